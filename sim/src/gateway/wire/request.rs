//! Client requests as the session handles them, whichever encoding carried them. The
//! protobuf message types double as the encoding-neutral form of a request's fields.

use prost::Message;

use super::frame::Frame;
use super::ids::request;
use super::proto;

/// A request the gateway could not read, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRequest(pub String);

impl std::fmt::Display for BadRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One client request.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// startApi with the client id.
    StartApi {
        /// The id the client asks to be known by.
        client_id: i32,
    },
    /// reqIds.
    NextId,
    /// reqCurrentTime.
    CurrentTime,
    /// reqCurrentTimeInMillis.
    CurrentTimeInMillis,
    /// reqManagedAccts.
    ManagedAccounts,
    /// reqAccountSummary.
    AccountSummary(proto::AccountSummaryRequest),
    /// reqAccountUpdates.
    AccountUpdates(proto::AccountDataRequest),
    /// reqPositions.
    Positions,
    /// cancelPositions.
    CancelPositions,
    /// reqPositionsMulti.
    PositionsMulti(proto::PositionsMultiRequest),
    /// cancelPositionsMulti for a request id.
    CancelPositionsMulti(i32),
    /// reqAccountUpdatesMulti.
    AccountUpdatesMulti(proto::AccountUpdatesMultiRequest),
    /// cancelAccountUpdatesMulti for a request id.
    CancelAccountUpdatesMulti(i32),
    /// reqContractDetails.
    ContractDetails(proto::ContractDataRequest),
    /// reqMarketDataType with the type asked for.
    MarketDataType(i32),
    /// reqMktData.
    MarketData(proto::MarketDataRequest),
    /// cancelMktData for a request id.
    CancelMarketData(i32),
    /// placeOrder.
    PlaceOrder(proto::PlaceOrderRequest),
    /// cancelOrder for an order id.
    CancelOrder(i64),
    /// reqGlobalCancel.
    GlobalCancel,
    /// reqOpenOrders: this client's working orders.
    OpenOrders,
    /// reqAllOpenOrders: every client's working orders.
    AllOpenOrders,
    /// reqCompletedOrders.
    CompletedOrders,
    /// reqExecutions.
    Executions(proto::ExecutionRequest),
    /// A request needing no answer here: cancels of one-shot answers, reqAutoOpenOrders.
    Ignored,
    /// A message id the simulator does not serve.
    Unsupported(i32),
}

impl Request {
    /// Decodes a protobuf-encoded request frame.
    pub fn from_protobuf(frame: &Frame) -> Result<Self, BadRequest> {
        let (id, protobuf) = frame.message();
        if !protobuf {
            return Err(BadRequest(format!(
                "text-encoded message {id} on a protobuf connection"
            )));
        }
        decode_protobuf(id, &frame.payload)
            .map_err(|err| BadRequest(format!("cannot decode message {id}: {err}")))
    }
}

fn decode_protobuf(id: i32, payload: &[u8]) -> Result<Request, prost::DecodeError> {
    Ok(match id {
        request::START_API => Request::StartApi {
            client_id: proto::StartApiRequest::decode(payload)?
                .client_id
                .unwrap_or(0),
        },
        request::IDS => Request::NextId,
        request::CURRENT_TIME => Request::CurrentTime,
        request::CURRENT_TIME_IN_MILLIS => Request::CurrentTimeInMillis,
        request::MANAGED_ACCOUNTS => Request::ManagedAccounts,
        request::ACCOUNT_SUMMARY => {
            Request::AccountSummary(proto::AccountSummaryRequest::decode(payload)?)
        }
        request::ACCOUNT_DATA => {
            Request::AccountUpdates(proto::AccountDataRequest::decode(payload)?)
        }
        request::POSITIONS => Request::Positions,
        request::CANCEL_POSITIONS => Request::CancelPositions,
        request::CANCEL_POSITIONS_MULTI => {
            Request::CancelPositionsMulti(proto::RequestId::decode(payload)?.req_id.unwrap_or(0))
        }
        request::CANCEL_ACCOUNT_UPDATES_MULTI => Request::CancelAccountUpdatesMulti(
            proto::RequestId::decode(payload)?.req_id.unwrap_or(0),
        ),
        request::POSITIONS_MULTI => {
            Request::PositionsMulti(proto::PositionsMultiRequest::decode(payload)?)
        }
        request::ACCOUNT_UPDATES_MULTI => {
            Request::AccountUpdatesMulti(proto::AccountUpdatesMultiRequest::decode(payload)?)
        }
        request::CONTRACT_DATA => {
            Request::ContractDetails(proto::ContractDataRequest::decode(payload)?)
        }
        request::MARKET_DATA_TYPE => Request::MarketDataType(
            proto::MarketDataTypeRequest::decode(payload)?
                .market_data_type
                .unwrap_or(1),
        ),
        request::MARKET_DATA => Request::MarketData(proto::MarketDataRequest::decode(payload)?),
        request::CANCEL_MARKET_DATA => {
            Request::CancelMarketData(proto::RequestId::decode(payload)?.req_id.unwrap_or(0))
        }
        request::PLACE_ORDER => Request::PlaceOrder(proto::PlaceOrderRequest::decode(payload)?),
        request::CANCEL_ORDER => Request::CancelOrder(i64::from(
            proto::CancelOrderRequest::decode(payload)?
                .order_id
                .unwrap_or(0),
        )),
        request::GLOBAL_CANCEL => Request::GlobalCancel,
        request::OPEN_ORDERS => Request::OpenOrders,
        request::ALL_OPEN_ORDERS => Request::AllOpenOrders,
        request::COMPLETED_ORDERS => Request::CompletedOrders,
        request::EXECUTIONS => Request::Executions(proto::ExecutionRequest::decode(payload)?),
        other => ignored_or_unsupported(other),
    })
}

/// The answer-less requests, and anything else the simulator does not serve.
pub fn ignored_or_unsupported(id: i32) -> Request {
    match id {
        request::AUTO_OPEN_ORDERS
        | request::CANCEL_ACCOUNT_SUMMARY
        | request::CANCEL_CONTRACT_DATA => Request::Ignored,
        other => Request::Unsupported(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::wire::frame::protobuf_frame;

    fn frame(id: i32, payload: Vec<u8>) -> Frame {
        let bytes = protobuf_frame(id, &payload);
        Frame {
            wire_id: i32::from_be_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]),
            payload: bytes[8..].to_vec(),
        }
    }

    #[test]
    fn protobuf_requests_decode_to_their_variant() {
        let cancel = proto::CancelOrderRequest {
            order_id: Some(12),
            order_cancel: None,
        };
        assert_eq!(
            Request::from_protobuf(&frame(request::CANCEL_ORDER, cancel.encode_to_vec())),
            Ok(Request::CancelOrder(12))
        );
        assert_eq!(
            Request::from_protobuf(&frame(request::AUTO_OPEN_ORDERS, Vec::new())),
            Ok(Request::Ignored)
        );
        let broken = Request::from_protobuf(&frame(request::PLACE_ORDER, vec![0xff]));
        assert!(broken.is_err_and(|e| e.0.starts_with("cannot decode message 3: ")));
    }

    #[test]
    fn text_frames_are_refused_on_a_protobuf_connection() {
        let text = Frame {
            wire_id: request::POSITIONS,
            payload: Vec::new(),
        };
        assert!(Request::from_protobuf(&text).is_err());
    }
}
