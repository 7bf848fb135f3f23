//! The encoding each client is served in, agreed at the handshake: classic text fields
//! below server version 201, protobuf from there on.

use prost::Message;

use super::classic::{self, Fields};
use super::encode;
use super::frame::{Frame, VersionRange};
use super::ids::response;
use super::proto;
use super::request::{BadRequest, Request};

/// Lowest protobuf version served (every message protobuf, as `ibapi` 5.x expects).
pub const MIN_PROTOBUF_VERSION: i32 = 213;
/// The highest version served: the newest `ibapi` 5.x offers.
pub const MAX_PROTOBUF_VERSION: i32 = 226;

/// How one client's messages are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Protobuf payloads behind a binary message id (server version 201 and up).
    Protobuf,
    /// NUL-terminated text fields at the agreed server version.
    Classic {
        /// The server version agreed; message layouts depend on it.
        version: i32,
    },
}

/// A message the gateway sends, in either encoding.
pub trait Reply: Message {
    /// The message id.
    const ID: i32;

    /// Appends the classic fields that follow the message id at server `version`.
    fn classic(&self, version: i32, out: &mut Fields);
}

impl Encoding {
    /// The highest version both sides offer, and its encoding: the gateway serves classic
    /// at [`classic::MIN_VERSION`]..=[`classic::MAX_VERSION`] and protobuf at
    /// [`MIN_PROTOBUF_VERSION`]..=[`MAX_PROTOBUF_VERSION`]. `None` when nothing overlaps.
    pub fn negotiate(offer: VersionRange) -> Option<(i32, Self)> {
        let served = [
            (MIN_PROTOBUF_VERSION, MAX_PROTOBUF_VERSION),
            (classic::MIN_VERSION, classic::MAX_VERSION),
        ];
        served.into_iter().find_map(|(low, high)| {
            let version = offer.max.min(high);
            (version >= low && version >= offer.min).then(|| {
                let encoding = if version >= MIN_PROTOBUF_VERSION {
                    Self::Protobuf
                } else {
                    Self::Classic { version }
                };
                (version, encoding)
            })
        })
    }

    /// The complete frame for `message`.
    pub fn reply<M: Reply>(self, message: &M) -> Vec<u8> {
        match self {
            Self::Protobuf => encode::frame(M::ID, message),
            Self::Classic { version } => {
                let mut fields = Fields::new(M::ID);
                message.classic(version, &mut fields);
                fields.into_frame()
            }
        }
    }

    /// The frame that ends an answer: message `id`, with the request id if it has one.
    pub fn end(self, id: i32, req_id: Option<i32>) -> Vec<u8> {
        match (self, req_id) {
            (Self::Protobuf, Some(req_id)) => encode::frame(
                id,
                &proto::RequestId {
                    req_id: Some(req_id),
                },
            ),
            (Self::Protobuf, None) => encode::frame(id, &proto::Empty {}),
            (Self::Classic { .. }, _) => {
                let mut fields = Fields::new(id);
                if id != response::COMPLETED_ORDERS_END {
                    fields.put(1);
                }
                if let Some(req_id) = req_id {
                    fields.put(req_id);
                }
                fields.into_frame()
            }
        }
    }

    /// An error or notice about request or order `id` (-1 for none).
    pub fn error(self, id: i64, code: i32, message: &str) -> Vec<u8> {
        self.reply(&proto::ErrorMessage {
            id: Some(id as i32),
            error_time: Some(encode::now_millis()),
            error_code: Some(code),
            error_msg: Some(message.to_string()),
            advanced_order_reject_json: None,
        })
    }

    /// Reads one request from a frame body.
    pub fn request(self, body: &[u8]) -> Result<Request, BadRequest> {
        match self {
            Self::Protobuf => Request::from_protobuf(&Frame::parse(body)?),
            Self::Classic { version } => classic::requests::decode(body, version),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer(min: i32, max: i32) -> Option<(i32, Encoding)> {
        Encoding::negotiate(VersionRange { min, max })
    }

    #[test]
    fn the_highest_common_version_decides_the_encoding() {
        assert_eq!(offer(213, 226), Some((226, Encoding::Protobuf)));
        assert_eq!(offer(100, 240), Some((226, Encoding::Protobuf)));
        assert_eq!(
            offer(157, 178),
            Some((178, Encoding::Classic { version: 178 }))
        );
        assert_eq!(
            offer(100, 200),
            Some((178, Encoding::Classic { version: 178 })),
            "a client that accepts 178 is served there"
        );
        assert_eq!(
            offer(157, 170),
            Some((170, Encoding::Classic { version: 170 }))
        );
        assert_eq!(offer(179, 200), None);
        assert_eq!(offer(100, 163), None);
    }

    #[test]
    fn ends_carry_a_version_except_completed_orders() {
        let classic = Encoding::Classic { version: 178 };
        assert_eq!(
            &classic.end(response::CONTRACT_DATA_END, Some(7))[4..],
            b"52\x001\x007\x00"
        );
        assert_eq!(
            &classic.end(response::POSITION_END, None)[4..],
            b"62\x001\x00"
        );
        assert_eq!(
            &classic.end(response::COMPLETED_ORDERS_END, None)[4..],
            b"102\x00"
        );
        let protobuf = Encoding::Protobuf.end(response::POSITION_END, None);
        assert_eq!(
            &protobuf[4..8],
            &(response::POSITION_END + 200).to_be_bytes()
        );
    }
}
