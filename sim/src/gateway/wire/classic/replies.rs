//! Where each message the simulator sends puts its fields in the classic encoding, as the
//! gateway writes them at server versions 157..178 (`ib_async` reads the same layouts).
//! Fields the simulator does not model go out empty, which readers take as unset.

use super::Fields;
use crate::gateway::wire::encoding::Reply;
use crate::gateway::wire::ids::response;
use crate::gateway::wire::proto;

/// Server versions at which a message gained or lost fields.
mod since {
    /// advancedOrderRejectJson on errors.
    pub const ADVANCED_REJECT: i32 = 166;
    /// faProfile dropped from orders.
    pub const NO_FA_PROFILE: i32 = 177;
    /// The pegged-to-best/mid fields on orders.
    pub const PEG_BEST_MID: i32 = 170;
    /// pendingPriceRevision on executions.
    pub const PENDING_PRICE_REVISION: i32 = 178;
}

impl Reply for proto::ManagedAccounts {
    const ID: i32 = response::MANAGED_ACCOUNTS;
    fn classic(&self, _: i32, out: &mut Fields) {
        out.put(1).opt(self.accounts_list.as_ref());
    }
}

impl Reply for proto::NextValidId {
    const ID: i32 = response::NEXT_VALID_ID;
    fn classic(&self, _: i32, out: &mut Fields) {
        out.put(1).opt(self.order_id);
    }
}

impl Reply for proto::ErrorMessage {
    const ID: i32 = response::ERROR;
    fn classic(&self, version: i32, out: &mut Fields) {
        out.put(2)
            .opt(self.id)
            .opt(self.error_code)
            .opt(self.error_msg.as_ref());
        if version >= since::ADVANCED_REJECT {
            out.opt(self.advanced_order_reject_json.as_ref());
        }
    }
}

impl Reply for proto::CurrentTime {
    const ID: i32 = response::CURRENT_TIME;
    fn classic(&self, _: i32, out: &mut Fields) {
        out.put(1).opt(self.current_time);
    }
}

impl Reply for proto::CurrentTimeInMillis {
    const ID: i32 = response::CURRENT_TIME_IN_MILLIS;
    fn classic(&self, _: i32, out: &mut Fields) {
        out.opt(self.current_time_in_millis);
    }
}

impl Reply for proto::AccountSummary {
    const ID: i32 = response::ACCOUNT_SUMMARY;
    fn classic(&self, _: i32, out: &mut Fields) {
        out.put(1)
            .opt(self.req_id)
            .opt(self.account.as_ref())
            .opt(self.tag.as_ref())
            .opt(self.value.as_ref())
            .opt(self.currency.as_ref());
    }
}

impl Reply for proto::AccountValue {
    const ID: i32 = response::ACCOUNT_VALUE;
    fn classic(&self, _: i32, out: &mut Fields) {
        out.put(2)
            .opt(self.key.as_ref())
            .opt(self.value.as_ref())
            .opt(self.currency.as_ref())
            .opt(self.account_name.as_ref());
    }
}

impl Reply for proto::PortfolioValue {
    const ID: i32 = response::PORTFOLIO_VALUE;
    fn classic(&self, _: i32, out: &mut Fields) {
        out.put(8)
            .contract(self.contract.as_ref(), true)
            .opt(self.position.as_ref())
            .opt(self.market_price)
            .opt(self.market_value)
            .opt(self.average_cost)
            .opt(self.unrealized_pnl)
            .opt(self.realized_pnl)
            .opt(self.account_name.as_ref());
    }
}

impl Reply for proto::AccountUpdateTime {
    const ID: i32 = response::ACCOUNT_UPDATE_TIME;
    fn classic(&self, _: i32, out: &mut Fields) {
        out.put(1).opt(self.time_stamp.as_ref());
    }
}

impl Reply for proto::AccountDataEnd {
    const ID: i32 = response::ACCOUNT_DOWNLOAD_END;
    fn classic(&self, _: i32, out: &mut Fields) {
        out.put(1).opt(self.account_name.as_ref());
    }
}

impl Reply for proto::Position {
    const ID: i32 = response::POSITION;
    fn classic(&self, _: i32, out: &mut Fields) {
        out.put(3)
            .opt(self.account.as_ref())
            .contract(self.contract.as_ref(), false)
            .opt(self.position.as_ref())
            .opt(self.avg_cost);
    }
}

impl Reply for proto::PositionMulti {
    const ID: i32 = response::POSITION_MULTI;
    fn classic(&self, _: i32, out: &mut Fields) {
        out.put(1)
            .opt(self.req_id)
            .opt(self.account.as_ref())
            .contract(self.contract.as_ref(), false)
            .opt(self.position.as_ref())
            .opt(self.avg_cost)
            .opt(self.model_code.as_ref());
    }
}

impl Reply for proto::AccountUpdateMulti {
    const ID: i32 = response::ACCOUNT_UPDATE_MULTI;
    fn classic(&self, _: i32, out: &mut Fields) {
        out.put(1)
            .opt(self.req_id)
            .opt(self.account.as_ref())
            .opt(self.model_code.as_ref())
            .opt(self.key.as_ref())
            .opt(self.value.as_ref())
            .opt(self.currency.as_ref());
    }
}

impl Reply for proto::ContractData {
    const ID: i32 = response::CONTRACT_DATA;
    fn classic(&self, _: i32, out: &mut Fields) {
        let c = self.contract.clone().unwrap_or_default();
        let d = self.contract_details.clone().unwrap_or_default();
        out.opt(self.req_id)
            .opt(c.symbol)
            .opt(c.sec_type)
            .blank(1)
            .put(0)
            .blank(1)
            .opt(c.exchange)
            .opt(c.currency)
            .opt(c.local_symbol)
            .opt(d.market_name)
            .opt(c.trading_class)
            .opt(c.con_id)
            .opt(d.min_tick);
        // multiplier, then order types and exchanges, price magnifier, underlying id.
        out.blank(1)
            .opt(d.order_types)
            .opt(d.valid_exchanges)
            .put(1)
            .put(0)
            .opt(d.long_name)
            .opt(c.primary_exch);
        // contract month, industry, category, subcategory.
        out.blank(4).opt(d.time_zone_id);
        // trading and liquid hours, EV rule and multiplier, no security ids, aggregation
        // group, underlying symbol and type, market rules, real expiry.
        out.blank(4).put(0).blank(5).opt(d.stock_type);
        // minimum size, size increment, suggested size increment.
        out.opt(d.min_size)
            .opt(d.size_increment.as_ref())
            .opt(d.size_increment.as_ref());
    }
}

impl Reply for proto::MarketDataType {
    const ID: i32 = response::MARKET_DATA_TYPE;
    fn classic(&self, _: i32, out: &mut Fields) {
        out.put(1).opt(self.req_id).opt(self.market_data_type);
    }
}

impl Reply for proto::TickReqParams {
    const ID: i32 = response::TICK_REQ_PARAMS;
    fn classic(&self, _: i32, out: &mut Fields) {
        out.opt(self.req_id)
            .opt(self.min_tick.as_ref())
            .opt(self.bbo_exchange.as_ref())
            .opt(self.snapshot_permissions);
    }
}

impl Reply for proto::TickPrice {
    const ID: i32 = response::TICK_PRICE;
    fn classic(&self, _: i32, out: &mut Fields) {
        out.put(6)
            .opt(self.req_id)
            .opt(self.tick_type)
            .opt(self.price)
            .opt(self.size.as_ref())
            .opt(self.attr_mask);
    }
}

impl Reply for proto::OrderStatus {
    const ID: i32 = response::ORDER_STATUS;
    fn classic(&self, _: i32, out: &mut Fields) {
        out.opt(self.order_id)
            .opt(self.status.as_ref())
            .opt(self.filled.as_ref())
            .opt(self.remaining.as_ref())
            .opt(self.avg_fill_price)
            .opt(self.perm_id)
            .opt(self.parent_id)
            .opt(self.last_fill_price)
            .opt(self.client_id)
            .opt(self.why_held.as_ref())
            .blank(1);
    }
}

/// The order fields both openOrder and completedOrder start with after the contract:
/// action through order reference.
fn order_head(order: &proto::Order, out: &mut Fields) {
    out.opt(order.action.as_ref())
        .opt(order.total_quantity.as_ref())
        .opt(order.order_type.as_ref())
        .opt(order.lmt_price)
        .blank(1)
        .opt(order.tif.as_ref())
        .blank(1)
        .opt(order.account.as_ref())
        .blank(1)
        .put(0)
        .opt(order.order_ref.as_ref());
}

/// The FA allocation fields (group, method, percentage, and the profile before v177).
fn fa_fields(version: i32, out: &mut Fields) {
    out.blank(3);
    if version < since::NO_FA_PROFILE {
        out.blank(1);
    }
}

/// The empty combo, scale, hedge, delta-neutral and algo blocks shared by both order
/// messages: no legs, no order legs, no smart-routing parameters, no scale increment, no
/// hedge type; `open` adds the smart-routing opt-out that only openOrder carries.
fn order_blocks(open: bool, out: &mut Fields) {
    out.put(0).put(0).put(0);
    out.blank(2).blank(1).blank(1);
    if open {
        out.put(0);
    }
    out.blank(2).put(0).put(0).blank(1);
}

/// The pegged-to-best/mid fields from v170.
fn peg_fields(version: i32, out: &mut Fields) {
    if version >= since::PEG_BEST_MID {
        out.blank(5);
    }
}

impl Reply for proto::OpenOrder {
    const ID: i32 = response::OPEN_ORDER;
    fn classic(&self, version: i32, out: &mut Fields) {
        let order = self.order.clone().unwrap_or_default();
        let state = self.order_state.clone().unwrap_or_default();
        out.opt(self.order_id)
            .contract(self.contract.as_ref(), false);
        order_head(&order, out);
        // client id, perm id, outside RTH, hidden, discretionary amount, good after time,
        // the retired shares allocation.
        out.opt(order.client_id)
            .opt(order.perm_id)
            .put(0)
            .put(0)
            .blank(1)
            .blank(1)
            .blank(1);
        fa_fields(version, out);
        // model code through delta-neutral aux price: 29 fields the simulator leaves unset.
        out.blank(29);
        // continuous update, reference price type, trail stop, trailing percent, basis
        // points and their type, combo legs description.
        out.blank(7);
        order_blocks(true, out);
        out.put(0)
            .flag(order.what_if == Some(true))
            .opt(state.status.as_ref());
        // margin before/change/after (9), commission, min and max commission, their
        // currency, warning text, randomize size and price.
        out.blank(9)
            .opt(state.commission_and_fees)
            .blank(2)
            .opt(state.commission_and_fees_currency.as_ref())
            .blank(1)
            .put(0)
            .put(0);
        // no conditions; then adjusted-order fields, soft-dollar tier, cash quantity, the
        // order flags up to usePriceMgmtAlgo, duration, postToAts, autoCancelParent.
        out.put(0).blank(8).blank(3).blank(1).blank(4).blank(3);
        peg_fields(version, out);
    }
}

impl Reply for proto::CompletedOrder {
    const ID: i32 = response::COMPLETED_ORDER;
    fn classic(&self, version: i32, out: &mut Fields) {
        let order = self.order.clone().unwrap_or_default();
        let state = self.order_state.clone().unwrap_or_default();
        out.contract(self.contract.as_ref(), false);
        order_head(&order, out);
        // perm id, outside RTH, hidden, discretionary amount, good after time.
        out.opt(order.perm_id).put(0).put(0).blank(2);
        fa_fields(version, out);
        // model code through delta-neutral aux price: 23 fields the simulator leaves unset.
        out.blank(23);
        // continuous update, reference price type, trail stop, trailing percent, combo
        // legs description.
        out.blank(5);
        order_blocks(false, out);
        out.put(0).opt(state.status.as_ref()).put(0).put(0);
        // no conditions; trail stop, limit offset, cash quantity, hedge flag, OMS container,
        // auto-cancel date, then the filled quantity.
        out.put(0).blank(6).opt(order.filled_quantity.as_ref());
        // futures con id, auto-cancel parent, shareholder, imbalance only, route to BBO,
        // parent perm id, then when and how the order completed.
        out.blank(6)
            .opt(state.completed_time.as_ref())
            .opt(state.completed_status.as_ref());
        peg_fields(version, out);
    }
}

impl Reply for proto::ExecutionDetails {
    const ID: i32 = response::EXECUTION_DATA;
    fn classic(&self, version: i32, out: &mut Fields) {
        let e = self.execution.clone().unwrap_or_default();
        out.opt(self.req_id)
            .opt(e.order_id)
            .contract(self.contract.as_ref(), false)
            .opt(e.exec_id)
            .opt(e.time.map(|t| format!("{t} UTC")))
            .opt(e.acct_number)
            .opt(e.exchange)
            .opt(e.side)
            .opt(e.shares)
            .opt(e.price)
            .opt(e.perm_id)
            .opt(e.client_id)
            .put(0)
            .opt(e.cum_qty)
            .opt(e.avg_price)
            .opt(e.order_ref)
            .blank(3)
            .put(0);
        if version >= since::PENDING_PRICE_REVISION {
            out.put(0);
        }
    }
}

impl Reply for proto::CommissionAndFeesReport {
    const ID: i32 = response::COMMISSION_REPORT;
    fn classic(&self, _: i32, out: &mut Fields) {
        out.put(1)
            .opt(self.exec_id.as_ref())
            .opt(self.commission_and_fees)
            .opt(self.currency.as_ref())
            .blank(3);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::wire::encoding::Encoding;

    /// The fields of a classic frame, message id first.
    fn fields_of(frame: &[u8]) -> Vec<String> {
        let body = std::str::from_utf8(&frame[4..]).unwrap();
        let mut fields: Vec<String> = body.split('\0').map(str::to_string).collect();
        assert_eq!(
            fields.pop().as_deref(),
            Some(""),
            "every field NUL-terminated"
        );
        fields
    }

    fn at(version: i32, message: &impl Reply) -> Vec<String> {
        fields_of(&Encoding::Classic { version }.reply(message))
    }

    fn order() -> proto::Order {
        proto::Order {
            client_id: Some(7),
            order_id: Some(4),
            perm_id: Some(1_000_001),
            action: Some("BUY".into()),
            total_quantity: Some("10".into()),
            order_type: Some("MKT".into()),
            account: Some("DU1234567".into()),
            filled_quantity: Some("10".into()),
            ..Default::default()
        }
    }

    fn state(status: &str) -> proto::OrderState {
        proto::OrderState {
            status: Some(status.into()),
            completed_status: Some(status.into()),
            ..Default::default()
        }
    }

    #[test]
    fn open_orders_have_the_v178_layout() {
        let open = proto::OpenOrder {
            order_id: Some(4),
            contract: None,
            order: Some(order()),
            order_state: Some(state("Submitted")),
        };
        let fields = at(178, &open);
        assert_eq!(fields.len(), 127);
        assert_eq!((fields[0].as_str(), fields[1].as_str()), ("5", "4"));
        assert_eq!(&fields[13..16], ["BUY", "10", "MKT"]);
        assert_eq!(&fields[24..26], ["7", "1000001"], "client and perm id");
        assert_eq!(&fields[84..86], ["0", "Submitted"], "whatIf, then status");
        assert_eq!(at(176, &open).len(), 128, "faProfile before v177");
        assert_eq!(at(169, &open).len(), 123, "and no peg fields before v170");
    }

    #[test]
    fn completed_orders_have_the_v178_layout() {
        let done = proto::CompletedOrder {
            contract: None,
            order: Some(order()),
            order_state: Some(state("Filled")),
        };
        let fields = at(178, &done);
        assert_eq!(fields.len(), 96);
        assert_eq!(fields[0], "101");
        assert_eq!(&fields[12..15], ["BUY", "10", "MKT"]);
        assert_eq!(fields[23], "1000001", "perm id");
        assert_eq!(fields[72], "Filled", "status");
        assert_eq!(fields[82], "10", "filled quantity");
        assert_eq!(fields[90], "Filled", "completed status");
    }

    #[test]
    fn executions_and_errors_grow_with_the_version() {
        let details = proto::ExecutionDetails {
            req_id: Some(-1),
            contract: None,
            execution: Some(proto::Execution {
                exec_id: Some("0000e0d5.6553a1b0.01.01".into()),
                time: Some("20261125 15:30:00".into()),
                ..Default::default()
            }),
        };
        let fields = at(178, &details);
        assert_eq!(fields.len(), 32);
        assert_eq!(fields[15], "20261125 15:30:00 UTC", "a time with its zone");
        assert_eq!(
            at(177, &details).len(),
            31,
            "pendingPriceRevision from v178"
        );

        let error = Encoding::Classic { version: 178 }.error(12, 202, "Order Canceled");
        assert_eq!(
            fields_of(&error),
            ["4", "2", "12", "202", "Order Canceled", ""]
        );
        let error = Encoding::Classic { version: 165 }.error(12, 202, "Order Canceled");
        assert_eq!(fields_of(&error).len(), 5, "no reject JSON before v166");
    }

    #[test]
    fn protobuf_errors_keep_the_protobuf_id() {
        use prost::Message;
        let bytes = Encoding::Protobuf.error(-1, 2104, "Market data farm connection is OK");
        assert_eq!(&bytes[4..8], &204i32.to_be_bytes());
        let decoded = proto::ErrorMessage::decode(&bytes[8..]).unwrap();
        assert_eq!((decoded.id, decoded.error_code), (Some(-1), Some(2104)));
    }
}
