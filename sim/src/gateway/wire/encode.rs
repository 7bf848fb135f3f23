//! Turning simulator state into complete protobuf frames, one function per message.

use std::time::{SystemTime, UNIX_EPOCH};

use prost::Message;

use super::frame::protobuf_frame;
use super::ids::response;
use super::proto;
use crate::gateway::market::{Execution, OrderRecord};

/// A frame for logical message `id` carrying `message`.
pub fn frame<M: Message>(id: i32, message: &M) -> Vec<u8> {
    protobuf_frame(id, &message.encode_to_vec())
}

/// A quantity as TWS sends it: a decimal string (`"500"`, `"0.5"`).
pub fn decimal(value: f64) -> String {
    format!("{value}")
}

/// Milliseconds since the Unix epoch.
pub fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// An error or notice about request/order `id` (-1 for none).
pub fn error(id: i64, code: i32, message: &str) -> Vec<u8> {
    frame(
        response::ERROR,
        &proto::ErrorMessage {
            id: Some(id as i32),
            error_time: Some(now_millis()),
            error_code: Some(code),
            error_msg: Some(message.to_string()),
            advanced_order_reject_json: None,
        },
    )
}

/// A US stock routed through SMART.
pub fn stock(symbol: &str, con_id: i64) -> proto::Contract {
    proto::Contract {
        con_id: Some(con_id as i32),
        symbol: Some(symbol.to_string()),
        sec_type: Some("STK".into()),
        exchange: Some("SMART".into()),
        primary_exch: Some("ARCA".into()),
        currency: Some("USD".into()),
        local_symbol: Some(symbol.to_string()),
        trading_class: Some(symbol.to_string()),
    }
}

fn order(record: &OrderRecord) -> proto::Order {
    let o = &record.order;
    proto::Order {
        client_id: Some(record.client_id),
        order_id: Some(o.order_id as i32),
        perm_id: Some(record.perm_id),
        action: Some(o.side.action().into()),
        total_quantity: Some(decimal(o.quantity)),
        order_type: Some(o.order_type.clone()),
        lmt_price: o.limit_price,
        tif: Some(o.tif.clone()),
        account: Some(o.account.clone()),
        order_ref: (!o.order_ref.is_empty()).then(|| o.order_ref.clone()),
        what_if: None,
        transmit: Some(true),
        filled_quantity: Some(decimal(record.filled)),
    }
}

fn order_state(record: &OrderRecord) -> proto::OrderState {
    proto::OrderState {
        status: Some(record.status.clone()),
        commission_and_fees: None,
        commission_and_fees_currency: None,
        completed_time: None,
        completed_status: None,
    }
}

/// openOrder for `record`.
pub fn open_order(record: &OrderRecord) -> Vec<u8> {
    frame(
        response::OPEN_ORDER,
        &proto::OpenOrder {
            order_id: Some(record.order.order_id as i32),
            contract: Some(stock(&record.order.symbol, record.con_id)),
            order: Some(order(record)),
            order_state: Some(order_state(record)),
        },
    )
}

/// completedOrder for `record`.
pub fn completed_order(record: &OrderRecord) -> Vec<u8> {
    let mut state = order_state(record);
    state.completed_status = Some(record.status.clone());
    frame(
        response::COMPLETED_ORDER,
        &proto::CompletedOrder {
            contract: Some(stock(&record.order.symbol, record.con_id)),
            order: Some(order(record)),
            order_state: Some(state),
        },
    )
}

/// orderStatus for `record`.
pub fn order_status(record: &OrderRecord) -> Vec<u8> {
    frame(
        response::ORDER_STATUS,
        &proto::OrderStatus {
            order_id: Some(record.order.order_id as i32),
            status: Some(record.status.clone()),
            filled: Some(decimal(record.filled)),
            remaining: Some(decimal(record.remaining())),
            avg_fill_price: Some(record.avg_price),
            perm_id: Some(record.perm_id),
            parent_id: Some(0),
            last_fill_price: Some(record.last_fill_price),
            client_id: Some(record.client_id),
            why_held: None,
        },
    )
}

/// execDetails (for request `req_id`, -1 for a live fill) followed by its commission report.
pub fn execution(req_id: i32, execution: &Execution) -> [Vec<u8>; 2] {
    let record = &execution.order;
    let details = proto::ExecutionDetails {
        req_id: Some(req_id),
        contract: Some(stock(&record.order.symbol, record.con_id)),
        execution: Some(proto::Execution {
            order_id: Some(record.order.order_id as i32),
            exec_id: Some(execution.exec_id.clone()),
            time: Some(tws_time(execution.time)),
            acct_number: Some(record.order.account.clone()),
            exchange: Some("ARCA".into()),
            side: Some(record.order.side.exec_side().into()),
            shares: Some(decimal(execution.shares)),
            price: Some(execution.price),
            perm_id: Some(record.perm_id),
            client_id: Some(record.client_id),
            cum_qty: Some(decimal(record.filled)),
            avg_price: Some(record.avg_price),
            order_ref: (!record.order.order_ref.is_empty()).then(|| record.order.order_ref.clone()),
        }),
    };
    let commission = proto::CommissionAndFeesReport {
        exec_id: Some(execution.exec_id.clone()),
        commission_and_fees: Some(execution.commission),
        currency: Some("USD".into()),
    };
    [
        frame(response::EXECUTION_DATA, &details),
        frame(response::COMMISSION_REPORT, &commission),
    ]
}

/// `yyyyMMdd HH:mm:ss` in UTC, the form TWS uses for times.
pub fn tws_time(at: SystemTime) -> String {
    let format = time::macros::format_description!("[year][month][day] [hour]:[minute]:[second]");
    time::OffsetDateTime::from(at)
        .format(&format)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_and_times_look_like_tws() {
        assert_eq!(decimal(500.0), "500");
        assert_eq!(decimal(0.5), "0.5");
        assert_eq!(tws_time(UNIX_EPOCH), "19700101 00:00:00");
    }

    #[test]
    fn errors_use_the_protobuf_error_id() {
        let bytes = error(-1, 2104, "Market data farm connection is OK:usfarm");
        assert_eq!(&bytes[4..8], &204i32.to_be_bytes());
        let decoded = proto::ErrorMessage::decode(&bytes[8..]).unwrap();
        assert_eq!(decoded.id, Some(-1));
        assert_eq!(decoded.error_code, Some(2104));
    }
}
