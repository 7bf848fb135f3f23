//! TWS API framing: the `API\0` handshake, then frames of a 4-byte big-endian length and
//! a body. After the handshake a body starts with a 4-byte big-endian message id; ids above
//! [`PROTOBUF_OFFSET`] carry a protobuf payload for message `id - 200`.

use std::io;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::request::BadRequest;

/// Added to a message id to mark its payload as protobuf, in both directions.
pub const PROTOBUF_OFFSET: i32 = 200;

/// Largest frame body the gateway accepts (16 MiB − 1).
pub const MAX_FRAME: usize = 0x00FF_FFFF;

/// The version range a client offers in its handshake (`v213..226`, `v157..178`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionRange {
    /// Lowest server version the client accepts.
    pub min: i32,
    /// Highest server version the client speaks.
    pub max: i32,
}

/// Reads the client's opening: `API\0`, then a length-prefixed `v{min}..{max}`.
pub async fn read_handshake<R: AsyncRead + Unpin>(reader: &mut R) -> io::Result<VersionRange> {
    let mut magic = [0u8; 4];
    reader.read_exact(&mut magic).await?;
    if &magic != b"API\0" {
        return Err(invalid(format!(
            "expected the API\\0 prefix, got {magic:02x?}"
        )));
    }
    let body = read_body(reader).await?;
    let text = String::from_utf8_lossy(&body);
    let range = text
        .split_whitespace()
        .next()
        .and_then(|v| v.strip_prefix('v'))
        .and_then(|v| v.split_once(".."))
        .and_then(|(min, max)| {
            Some(VersionRange {
                min: min.parse().ok()?,
                max: max.parse().ok()?,
            })
        });
    range.ok_or_else(|| invalid(format!("bad version range `{text}`")))
}

/// Writes a client's opening: `API\0`, then the length-prefixed version offer (`v213..226`).
pub async fn write_handshake<W: AsyncWrite + Unpin>(writer: &mut W, offer: &str) -> io::Result<()> {
    writer.write_all(b"API\0").await?;
    write_body(writer, offer.as_bytes()).await
}

/// Writes the handshake answer: server version and connection time as NUL-terminated text,
/// with no message id.
pub async fn write_handshake_ack<W: AsyncWrite + Unpin>(
    writer: &mut W,
    version: i32,
    time: &str,
) -> io::Result<()> {
    let body = format!("{version}\0{time}\0");
    write_body(writer, body.as_bytes()).await
}

/// A frame body split into message id and payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The id as sent on the wire (`logical + 200` for protobuf).
    pub wire_id: i32,
    /// The payload after the id.
    pub payload: Vec<u8>,
}

impl Frame {
    /// The logical message id and whether the payload is protobuf.
    pub fn message(&self) -> (i32, bool) {
        if self.wire_id > PROTOBUF_OFFSET {
            (self.wire_id - PROTOBUF_OFFSET, true)
        } else {
            (self.wire_id, false)
        }
    }

    /// Splits a protobuf-era frame body into its binary message id and payload.
    pub fn parse(body: &[u8]) -> Result<Self, BadRequest> {
        let Some((id, payload)) = body.split_first_chunk::<4>() else {
            return Err(BadRequest(format!(
                "frame of {} bytes has no message id",
                body.len()
            )));
        };
        Ok(Self {
            wire_id: i32::from_be_bytes(*id),
            payload: payload.to_vec(),
        })
    }
}

/// Reads one frame body (whatever its encoding); `Ok(None)` at a clean end of stream.
pub async fn read_message<R: AsyncRead + Unpin>(reader: &mut R) -> io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    match reader.read_exact(&mut len).await {
        Ok(_) => {}
        Err(err) if err.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(err) => return Err(err),
    }
    read_sized(reader, u32::from_be_bytes(len) as usize)
        .await
        .map(Some)
}

/// Reads one protobuf-era frame; `Ok(None)` at a clean end of stream.
pub async fn read_frame<R: AsyncRead + Unpin>(reader: &mut R) -> io::Result<Option<Frame>> {
    match read_message(reader).await? {
        Some(body) => Frame::parse(&body).map(Some).map_err(|err| invalid(err.0)),
        None => Ok(None),
    }
}

/// Encodes a protobuf message as a complete frame for logical message `id`.
pub fn protobuf_frame(id: i32, payload: &[u8]) -> Vec<u8> {
    let wire_id = id + PROTOBUF_OFFSET;
    let mut out = Vec::with_capacity(8 + payload.len());
    out.extend_from_slice(&((payload.len() + 4) as u32).to_be_bytes());
    out.extend_from_slice(&wire_id.to_be_bytes());
    out.extend_from_slice(payload);
    out
}

async fn read_body<R: AsyncRead + Unpin>(reader: &mut R) -> io::Result<Vec<u8>> {
    let mut len = [0u8; 4];
    reader.read_exact(&mut len).await?;
    read_sized(reader, u32::from_be_bytes(len) as usize).await
}

async fn read_sized<R: AsyncRead + Unpin>(reader: &mut R, len: usize) -> io::Result<Vec<u8>> {
    if len > MAX_FRAME {
        return Err(invalid(format!("frame length {len} exceeds {MAX_FRAME}")));
    }
    let mut body = vec![0u8; len];
    reader.read_exact(&mut body).await?;
    Ok(body)
}

async fn write_body<W: AsyncWrite + Unpin>(writer: &mut W, body: &[u8]) -> io::Result<()> {
    writer.write_all(&(body.len() as u32).to_be_bytes()).await?;
    writer.write_all(body).await?;
    writer.flush().await
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reads_the_ibapi_handshake() {
        let bytes = b"API\0\x00\x00\x00\x09v213..226";
        let range = read_handshake(&mut &bytes[..]).await.unwrap();
        assert_eq!(range, VersionRange { min: 213, max: 226 });
        assert!(read_handshake(&mut &b"APX\0"[..]).await.is_err());
    }

    #[tokio::test]
    async fn frames_round_trip_with_the_protobuf_offset() {
        let frame = protobuf_frame(71, &[0x08, 0x64]);
        assert_eq!(frame, [0, 0, 0, 6, 0, 0, 1, 0x0F, 0x08, 0x64]);
        let read = read_frame(&mut &frame[..]).await.unwrap().unwrap();
        assert_eq!(read.message(), (71, true));
        assert_eq!(read.payload, [0x08, 0x64]);
        assert_eq!(read_frame(&mut &b""[..]).await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_written_offer_reads_back() {
        let mut out = Vec::new();
        write_handshake(&mut out, "v157..178").await.unwrap();
        let range = read_handshake(&mut out.as_slice()).await.unwrap();
        assert_eq!(range, VersionRange { min: 157, max: 178 });
    }

    #[tokio::test]
    async fn handshake_ack_is_text_without_an_id() {
        let mut out = Vec::new();
        write_handshake_ack(&mut out, 226, "20240120 12:00:00 EST")
            .await
            .unwrap();
        assert_eq!(&out[..4], &[0, 0, 0, 0x1A]);
        assert_eq!(&out[4..], b"226\x0020240120 12:00:00 EST\x00");
    }
}
