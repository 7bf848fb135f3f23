//! Turning simulator state into the messages that carry it (the protobuf types, which
//! [`super::encoding::Encoding`] writes in either encoding), and protobuf framing.

use std::time::{SystemTime, UNIX_EPOCH};

use prost::Message;

use super::frame::protobuf_frame;
use super::proto;
use crate::gateway::InstrumentSeed;
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
        ..Default::default()
    }
}

/// The contract of a held instrument that is not a US-dollar stock.
pub fn instrument(seed: &InstrumentSeed) -> proto::Contract {
    proto::Contract {
        con_id: Some(seed.con_id as i32),
        symbol: Some(seed.symbol.clone()),
        sec_type: Some(seed.sec_type.clone()),
        last_trade_date_or_contract_month: seed.expiry.clone(),
        strike: seed.strike,
        right: seed.right.clone(),
        multiplier: (seed.multiplier != 1.0).then_some(seed.multiplier),
        exchange: Some(seed.exchange.clone()),
        primary_exch: Some(seed.exchange.clone()),
        currency: Some(seed.currency.clone()),
        local_symbol: Some(seed.symbol.clone()),
        trading_class: Some(seed.symbol.clone()),
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
pub fn open_order(record: &OrderRecord) -> proto::OpenOrder {
    proto::OpenOrder {
        order_id: Some(record.order.order_id as i32),
        contract: Some(stock(&record.order.symbol, record.con_id)),
        order: Some(order(record)),
        order_state: Some(order_state(record)),
    }
}

/// completedOrder for `record`.
pub fn completed_order(record: &OrderRecord) -> proto::CompletedOrder {
    let mut state = order_state(record);
    state.completed_status = Some(record.status.clone());
    proto::CompletedOrder {
        contract: Some(stock(&record.order.symbol, record.con_id)),
        order: Some(order(record)),
        order_state: Some(state),
    }
}

/// orderStatus for `record`.
pub fn order_status(record: &OrderRecord) -> proto::OrderStatus {
    proto::OrderStatus {
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
    }
}

/// execDetails (for request `req_id`, -1 for a live fill) and its commission report.
pub fn execution(
    req_id: i32,
    execution: &Execution,
) -> (proto::ExecutionDetails, proto::CommissionAndFeesReport) {
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
    (details, commission)
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
}
