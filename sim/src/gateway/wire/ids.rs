//! Message ids of the TWS API socket protocol, as IBKR's EClient/EDecoder number them.
//! On the wire a protobuf payload is marked by adding 200 (see [`super::frame`]).

/// Requests a client sends to the gateway.
pub mod request {
    /// reqMktData.
    pub const MARKET_DATA: i32 = 1;
    /// cancelMktData.
    pub const CANCEL_MARKET_DATA: i32 = 2;
    /// placeOrder.
    pub const PLACE_ORDER: i32 = 3;
    /// cancelOrder.
    pub const CANCEL_ORDER: i32 = 4;
    /// reqOpenOrders.
    pub const OPEN_ORDERS: i32 = 5;
    /// reqAccountUpdates (subscribe / unsubscribe).
    pub const ACCOUNT_DATA: i32 = 6;
    /// reqExecutions.
    pub const EXECUTIONS: i32 = 7;
    /// reqIds.
    pub const IDS: i32 = 8;
    /// reqContractDetails.
    pub const CONTRACT_DATA: i32 = 9;
    /// reqAutoOpenOrders.
    pub const AUTO_OPEN_ORDERS: i32 = 15;
    /// reqAllOpenOrders.
    pub const ALL_OPEN_ORDERS: i32 = 16;
    /// reqManagedAccts.
    pub const MANAGED_ACCOUNTS: i32 = 17;
    /// reqCurrentTime.
    pub const CURRENT_TIME: i32 = 49;
    /// reqGlobalCancel.
    pub const GLOBAL_CANCEL: i32 = 58;
    /// reqMarketDataType.
    pub const MARKET_DATA_TYPE: i32 = 59;
    /// reqPositions.
    pub const POSITIONS: i32 = 61;
    /// reqAccountSummary.
    pub const ACCOUNT_SUMMARY: i32 = 62;
    /// cancelAccountSummary.
    pub const CANCEL_ACCOUNT_SUMMARY: i32 = 63;
    /// cancelPositions.
    pub const CANCEL_POSITIONS: i32 = 64;
    /// startApi.
    pub const START_API: i32 = 71;
    /// reqPositionsMulti.
    pub const POSITIONS_MULTI: i32 = 74;
    /// cancelPositionsMulti.
    pub const CANCEL_POSITIONS_MULTI: i32 = 75;
    /// reqAccountUpdatesMulti.
    pub const ACCOUNT_UPDATES_MULTI: i32 = 76;
    /// cancelAccountUpdatesMulti.
    pub const CANCEL_ACCOUNT_UPDATES_MULTI: i32 = 77;
    /// reqCompletedOrders.
    pub const COMPLETED_ORDERS: i32 = 99;
    /// reqCurrentTimeInMillis.
    pub const CURRENT_TIME_IN_MILLIS: i32 = 105;
    /// cancelContractData.
    pub const CANCEL_CONTRACT_DATA: i32 = 106;
}

/// Messages the gateway sends to a client.
pub mod response {
    /// tickPrice.
    pub const TICK_PRICE: i32 = 1;
    /// tickSize.
    pub const TICK_SIZE: i32 = 2;
    /// orderStatus.
    pub const ORDER_STATUS: i32 = 3;
    /// error / notice.
    pub const ERROR: i32 = 4;
    /// openOrder.
    pub const OPEN_ORDER: i32 = 5;
    /// updateAccountValue.
    pub const ACCOUNT_VALUE: i32 = 6;
    /// updatePortfolio.
    pub const PORTFOLIO_VALUE: i32 = 7;
    /// updateAccountTime.
    pub const ACCOUNT_UPDATE_TIME: i32 = 8;
    /// nextValidId.
    pub const NEXT_VALID_ID: i32 = 9;
    /// contractDetails.
    pub const CONTRACT_DATA: i32 = 10;
    /// execDetails.
    pub const EXECUTION_DATA: i32 = 11;
    /// managedAccounts.
    pub const MANAGED_ACCOUNTS: i32 = 15;
    /// currentTime.
    pub const CURRENT_TIME: i32 = 49;
    /// contractDetailsEnd.
    pub const CONTRACT_DATA_END: i32 = 52;
    /// openOrderEnd.
    pub const OPEN_ORDER_END: i32 = 53;
    /// accountDownloadEnd.
    pub const ACCOUNT_DOWNLOAD_END: i32 = 54;
    /// execDetailsEnd.
    pub const EXECUTION_DATA_END: i32 = 55;
    /// tickSnapshotEnd.
    pub const TICK_SNAPSHOT_END: i32 = 57;
    /// marketDataType.
    pub const MARKET_DATA_TYPE: i32 = 58;
    /// commissionAndFeesReport.
    pub const COMMISSION_REPORT: i32 = 59;
    /// position.
    pub const POSITION: i32 = 61;
    /// positionEnd.
    pub const POSITION_END: i32 = 62;
    /// accountSummary.
    pub const ACCOUNT_SUMMARY: i32 = 63;
    /// accountSummaryEnd.
    pub const ACCOUNT_SUMMARY_END: i32 = 64;
    /// positionMulti.
    pub const POSITION_MULTI: i32 = 71;
    /// positionMultiEnd.
    pub const POSITION_MULTI_END: i32 = 72;
    /// accountUpdateMulti.
    pub const ACCOUNT_UPDATE_MULTI: i32 = 73;
    /// accountUpdateMultiEnd.
    pub const ACCOUNT_UPDATE_MULTI_END: i32 = 74;
    /// tickReqParams.
    pub const TICK_REQ_PARAMS: i32 = 81;
    /// completedOrder.
    pub const COMPLETED_ORDER: i32 = 101;
    /// completedOrdersEnd.
    pub const COMPLETED_ORDERS_END: i32 = 102;
    /// currentTimeInMillis.
    pub const CURRENT_TIME_IN_MILLIS: i32 = 109;
}

/// Tick types the gateway sends for quotes.
pub mod tick {
    /// Bid price (real-time).
    pub const BID: i32 = 1;
    /// Ask price (real-time).
    pub const ASK: i32 = 2;
    /// Last trade price (real-time).
    pub const LAST: i32 = 4;
    /// Bid price (delayed).
    pub const DELAYED_BID: i32 = 66;
    /// Ask price (delayed).
    pub const DELAYED_ASK: i32 = 67;
    /// Last trade price (delayed).
    pub const DELAYED_LAST: i32 = 68;
}
