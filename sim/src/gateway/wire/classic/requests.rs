//! Reading classic requests into the session's [`Request`]s. Most requests start with a
//! version field, which is skipped; placeOrder, reqCompletedOrders and startApi's client
//! id are laid out as `ib_async` and IBKR's own clients send them at versions 164..178.

use super::FieldReader;
use crate::gateway::wire::ids::request;
use crate::gateway::wire::proto;
use crate::gateway::wire::request::{BadRequest, Request, ignored_or_unsupported};

/// Server versions at which a request gained or lost fields.
mod since {
    /// manualOrderCancelTime on cancelOrder.
    pub const MANUAL_CANCEL_TIME: i32 = 169;
    /// faProfile dropped from placeOrder.
    pub const NO_FA_PROFILE: i32 = 177;
}

/// Reads one classic request body.
pub fn decode(body: &[u8], version: i32) -> Result<Request, BadRequest> {
    let mut r = FieldReader::parse(body)?;
    let id = r.id();
    let request = match id {
        request::START_API => {
            r.skip(1, "version")?;
            Request::StartApi {
                client_id: r.number("clientId")?.unwrap_or(0),
            }
        }
        request::IDS => Request::NextId,
        request::CURRENT_TIME => Request::CurrentTime,
        request::MANAGED_ACCOUNTS => Request::ManagedAccounts,
        request::ACCOUNT_SUMMARY => {
            r.skip(1, "version")?;
            Request::AccountSummary(proto::AccountSummaryRequest {
                req_id: r.number("reqId")?,
                group: r.string("groupName")?,
                tags: r.string("tags")?,
            })
        }
        request::ACCOUNT_DATA => {
            r.skip(1, "version")?;
            Request::AccountUpdates(proto::AccountDataRequest {
                subscribe: Some(r.flag("subscribe")?),
                acct_code: r.string("acctCode")?,
            })
        }
        request::POSITIONS => Request::Positions,
        request::CANCEL_POSITIONS => Request::CancelPositions,
        request::CANCEL_POSITIONS_MULTI => {
            r.skip(1, "version")?;
            Request::CancelPositionsMulti(r.number("reqId")?.unwrap_or(0))
        }
        request::CANCEL_ACCOUNT_UPDATES_MULTI => {
            r.skip(1, "version")?;
            Request::CancelAccountUpdatesMulti(r.number("reqId")?.unwrap_or(0))
        }
        request::POSITIONS_MULTI => {
            r.skip(1, "version")?;
            Request::PositionsMulti(proto::PositionsMultiRequest {
                req_id: r.number("reqId")?,
                account: r.string("account")?,
                model_code: r.string("modelCode")?,
            })
        }
        request::ACCOUNT_UPDATES_MULTI => {
            r.skip(1, "version")?;
            Request::AccountUpdatesMulti(proto::AccountUpdatesMultiRequest {
                req_id: r.number("reqId")?,
                account: r.string("account")?,
                model_code: r.string("modelCode")?,
                ledger_and_nlv: Some(r.flag("ledgerAndNLV")?),
            })
        }
        request::CONTRACT_DATA => {
            r.skip(1, "version")?;
            Request::ContractDetails(proto::ContractDataRequest {
                req_id: r.number("reqId")?,
                contract: Some(r.contract()?),
            })
        }
        request::MARKET_DATA_TYPE => {
            r.skip(1, "version")?;
            Request::MarketDataType(r.number("marketDataType")?.unwrap_or(1))
        }
        request::MARKET_DATA => market_data(&mut r)?,
        request::CANCEL_MARKET_DATA => {
            r.skip(1, "version")?;
            Request::CancelMarketData(r.number("reqId")?.unwrap_or(0))
        }
        request::PLACE_ORDER => Request::PlaceOrder(place_order(&mut r, version)?),
        request::CANCEL_ORDER => {
            r.skip(1, "version")?;
            let order_id = r.number("orderId")?.unwrap_or(0);
            if version >= since::MANUAL_CANCEL_TIME {
                r.skip(1, "manualOrderCancelTime")?;
            }
            Request::CancelOrder(order_id)
        }
        request::GLOBAL_CANCEL => Request::GlobalCancel,
        request::OPEN_ORDERS => Request::OpenOrders,
        request::ALL_OPEN_ORDERS => Request::AllOpenOrders,
        request::COMPLETED_ORDERS => Request::CompletedOrders,
        request::EXECUTIONS => {
            r.skip(1, "version")?;
            let req_id = r.number("reqId")?;
            let client_id = r.number("clientId")?;
            let acct_code = r.string("acctCode")?;
            r.skip(1, "time")?;
            let symbol = r.string("symbol")?;
            Request::Executions(proto::ExecutionRequest {
                req_id,
                execution_filter: Some(proto::ExecutionFilter {
                    client_id: client_id.filter(|id| *id != 0),
                    acct_code,
                    symbol,
                }),
            })
        }
        request::CURRENT_TIME_IN_MILLIS => Request::Unsupported(id),
        other => ignored_or_unsupported(other),
    };
    Ok(request)
}

/// reqMktData: version, request id, contract, delta-neutral flag, generic ticks, snapshot.
fn market_data(r: &mut FieldReader<'_>) -> Result<Request, BadRequest> {
    r.skip(1, "version")?;
    let req_id = r.number("reqId")?;
    let contract = r.contract()?;
    if contract.sec_type.as_deref() == Some("BAG") {
        return Err(BadRequest("combo market data is not simulated".into()));
    }
    if r.flag("deltaNeutralContract")? {
        r.skip(3, "deltaNeutral conId, delta, price")?;
    }
    Ok(Request::MarketData(proto::MarketDataRequest {
        req_id,
        contract: Some(contract),
        generic_tick_list: r.string("genericTickList")?,
        snapshot: Some(r.flag("snapshot")?),
        regulatory_snapshot: Some(r.flag("regulatorySnapshot")?),
    }))
}

/// placeOrder, read through `whatIf`. Fields the simulator does not model are skipped,
/// following each conditional block so that `whatIf` is read from its true position;
/// combo orders and order conditions are refused.
fn place_order(
    r: &mut FieldReader<'_>,
    version: i32,
) -> Result<proto::PlaceOrderRequest, BadRequest> {
    let order_id = r.number("orderId")?;
    let contract = r.contract()?;
    if contract.sec_type.as_deref() == Some("BAG") {
        return Err(BadRequest("combo orders are not simulated".into()));
    }
    r.skip(2, "secIdType, secId")?;
    let action = r.string("action")?;
    let total_quantity = r.string("totalQuantity")?;
    let order_type = r.string("orderType")?;
    let lmt_price = r.number("lmtPrice")?;
    r.skip(1, "auxPrice")?;
    let tif = r.string("tif")?;
    r.skip(1, "ocaGroup")?;
    let account = r.string("account")?;
    r.skip(2, "openClose, origin")?;
    let order_ref = r.string("orderRef")?;
    let transmit = r.flag("transmit")?;
    // parent id through hidden; the retired shares allocation through FA percentage.
    r.skip(7, "parentId..hidden")?;
    r.skip(7, "sharesAllocation..faPercentage")?;
    if version < since::NO_FA_PROFILE {
        r.skip(1, "faProfile")?;
    }
    // model code through volatility type.
    r.skip(22, "modelCode..volatilityType")?;
    if r.string("deltaNeutralOrderType")?.is_some() {
        r.skip(9, "deltaNeutral fields")?;
    } else {
        r.skip(1, "deltaNeutralAuxPrice")?;
    }
    r.skip(6, "continuousUpdate..scaleSubsLevelSize")?;
    let increment: Option<f64> = r.number("scalePriceIncrement")?;
    if increment.is_some_and(|v| v > 0.0 && v < f64::MAX) {
        r.skip(7, "scale fields")?;
    }
    r.skip(3, "scaleTable, activeStartTime, activeStopTime")?;
    if r.string("hedgeType")?.is_some() {
        r.skip(1, "hedgeParam")?;
    }
    r.skip(4, "optOutSmartRouting..notHeld")?;
    if r.flag("deltaNeutralContract")? {
        r.skip(3, "deltaNeutral conId, delta, price")?;
    }
    if r.string("algoStrategy")?.is_some() {
        let params: usize = r.number("algoParams count")?.unwrap_or(0);
        r.skip(2 * params, "algoParams")?;
    }
    r.skip(1, "algoId")?;
    let what_if = r.flag("whatIf")?;
    r.skip(4, "orderMiscOptions..randomizePrice")?;
    if matches!(order_type.as_deref(), Some("PEG BENCH" | "PEGBENCH")) {
        r.skip(5, "pegged-to-benchmark fields")?;
    }
    if r.number::<u32>("conditions count")?.unwrap_or(0) > 0 {
        return Err(BadRequest("order conditions are not simulated".into()));
    }
    Ok(proto::PlaceOrderRequest {
        order_id,
        contract: Some(contract),
        order: Some(proto::Order {
            client_id: None,
            order_id,
            perm_id: None,
            action,
            total_quantity,
            order_type,
            lmt_price,
            tif,
            account,
            order_ref,
            what_if: Some(what_if),
            transmit: Some(transmit),
            filled_quantity: None,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(fields: &[&str]) -> Vec<u8> {
        fields
            .iter()
            .flat_map(|f| [f.as_bytes(), b"\0"].concat())
            .collect()
    }

    #[test]
    fn simple_requests_skip_their_version() {
        let r = decode(&body(&["71", "2", "7", ""]), 178).unwrap();
        assert_eq!(r, Request::StartApi { client_id: 7 });
        let r = decode(&body(&["6", "2", "1", "DU1234567"]), 178).unwrap();
        assert_eq!(
            r,
            Request::AccountUpdates(proto::AccountDataRequest {
                subscribe: Some(true),
                acct_code: Some("DU1234567".into()),
            })
        );
        assert_eq!(
            decode(&body(&["4", "1", "12", ""]), 178),
            Ok(Request::CancelOrder(12))
        );
        assert_eq!(
            decode(&body(&["99", "0"]), 178),
            Ok(Request::CompletedOrders)
        );
        assert_eq!(decode(&body(&["15", "1", "1"]), 178), Ok(Request::Ignored));
        assert_eq!(
            decode(&body(&["20", "1"]), 178),
            Ok(Request::Unsupported(20))
        );
    }

    /// `MarketOrder("BUY", 10, account=..., orderRef="rb:1")` as `ib_async` 2.1 sent it at
    /// v178 (its debug log, commas for NULs).
    const MARKET_BUY: &str = "3,4,0,VTI,STK,,0.0,,,SMART,,USD,,,,,BUY,10,MKT,,,,,DU1234567,O,0,\
        rb:1,1,0,0,0,0,0,0,0,,0.0,,,,,,,0,,-1,0,,,0,,,0,0,,0,,,,,,0,,,,,0,,,,,,,,,,,0,,,0,0,,,0,,\
        0,0,0,0,,,,,,,0,,,,,,,,,0,0,0,0,,,0,,";
    /// `LimitOrder("SELL", 5, 251.5, account=..., whatIf=True)`, likewise.
    const WHAT_IF_SELL: &str = "3,5,0,VTI,STK,,0.0,,,SMART,,USD,,,,,SELL,5,LMT,251.5,,,,DU1234567,\
        O,0,,1,0,0,0,0,0,0,0,,0.0,,,,,,,0,,-1,0,,,0,,,0,0,,0,,,,,,0,,,,,0,,,,,,,,,,,0,,,0,0,,,1,,0,\
        0,0,0,,,,,,,0,,,,,,,,,0,0,0,0,,,0,,";

    fn logged(line: &str) -> Vec<u8> {
        format!("{}\0", line.replace(',', "\0")).into_bytes()
    }

    fn placed(line: &str) -> proto::PlaceOrderRequest {
        match decode(&logged(line), 178) {
            Ok(Request::PlaceOrder(order)) => order,
            other => panic!("expected a placeOrder, got {other:?}"),
        }
    }

    #[test]
    fn orders_read_through_to_what_if() {
        let order = placed(MARKET_BUY);
        assert_eq!(order.order_id, Some(4));
        assert_eq!(order.contract.unwrap().symbol.as_deref(), Some("VTI"));
        let o = order.order.unwrap();
        assert_eq!(o.action.as_deref(), Some("BUY"));
        assert_eq!(o.total_quantity.as_deref(), Some("10"));
        assert_eq!(o.order_type.as_deref(), Some("MKT"));
        assert_eq!(o.lmt_price, None);
        assert_eq!(o.account.as_deref(), Some("DU1234567"));
        assert_eq!(o.order_ref.as_deref(), Some("rb:1"));
        assert_eq!((o.transmit, o.what_if), (Some(true), Some(false)));

        let o = placed(WHAT_IF_SELL).order.unwrap();
        assert_eq!(o.action.as_deref(), Some("SELL"));
        assert_eq!(o.lmt_price, Some(251.5));
        assert_eq!(o.what_if, Some(true));
    }

    #[test]
    fn a_truncated_order_names_the_missing_field() {
        let cut: Vec<&str> = MARKET_BUY.split(',').take(30).collect();
        let err = decode(&logged(&cut.join(",")), 178).unwrap_err();
        assert!(err.0.starts_with("message 3 ends before field 30"), "{err}");
    }

    #[test]
    fn combo_orders_and_conditions_are_refused() {
        let combo = MARKET_BUY.replacen("STK", "BAG", 1);
        assert!(decode(&logged(&combo), 178).is_err());
        let fields: Vec<&str> = MARKET_BUY.split(',').collect();
        // after the conditions count: 19 adjusted-order to usePriceMgmtAlgo fields, then
        // duration, postToAts, autoCancelParent, advancedErrorOverride, manualOrderTime.
        let conditions_at = fields.len() - 25;
        assert_eq!(fields[conditions_at], "0");
        let mut conditional = fields.clone();
        conditional[conditions_at] = "1";
        let err = decode(&logged(&conditional.join(",")), 178).unwrap_err();
        assert_eq!(err.0, "order conditions are not simulated");
    }
}
