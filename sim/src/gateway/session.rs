//! One client connection: handshake, START_API, then requests in and frames out until the
//! client leaves or a fault drops it.

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use prost::Message;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::mpsc;

use super::market::{FillStep, NewOrder, Side};
use super::shared::{MAX_CLIENTS, Refusal, Shared, frames_for};
use super::wire::encode::{self, frame};
use super::wire::frame::{Frame, read_frame, read_handshake, write_handshake_ack};
use super::wire::ids::{request, response, tick};
use super::wire::proto;

/// The server version announced: the highest `ibapi` 5.x offers, all-protobuf.
pub const SERVER_VERSION: i32 = 226;
/// The lowest client version range maximum served (protobuf for every message).
pub const MIN_CLIENT_VERSION: i32 = 213;

/// Account summary tags the simulator answers.
const SUMMARY_TAGS: [&str; 5] = [
    "NetLiquidation",
    "TotalCashValue",
    "SettledCash",
    "BuyingPower",
    "AvailableFunds",
];

/// Runs one connection to its end.
pub async fn serve(shared: Arc<Shared>, stream: TcpStream, peer: SocketAddr) {
    if let Err(err) = run(&shared, stream, peer).await
        && !matches!(
            err.kind(),
            io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset
        )
    {
        eprintln!("gateway simulator: connection from {peer}: {err}");
    }
}

async fn run(shared: &Arc<Shared>, stream: TcpStream, peer: SocketAddr) -> io::Result<()> {
    let (mut reader, mut writer) = stream.into_split();
    let range = read_handshake(&mut reader).await?;
    if range.max < MIN_CLIENT_VERSION {
        return Err(io::Error::new(
            io::ErrorKind::Unsupported,
            format!(
                "client offers v{}..{}; only protobuf clients (≥ {MIN_CLIENT_VERSION}) are served",
                range.min, range.max
            ),
        ));
    }
    let version = range.max.min(SERVER_VERSION);
    write_handshake_ack(
        &mut writer,
        version,
        &format!("{} UTC", encode::tws_time(SystemTime::now())),
    )
    .await?;

    let Some(start) = read_frame(&mut reader).await? else {
        return Ok(());
    };
    if start.message() != (request::START_API, true) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("expected START_API, got message {:?}", start.message()),
        ));
    }
    let client_id = proto::StartApiRequest::decode(start.payload.as_slice())
        .map_err(invalid)?
        .client_id
        .unwrap_or(0);

    let (outbound, mut queued) = mpsc::unbounded_channel::<Vec<u8>>();
    if let Err(refusal) = shared.register(client_id, peer, outbound.clone()) {
        let bytes = match refusal {
            Refusal::InUse => encode::error(
                -1,
                326,
                "Unable to connect as the client id is already in use. Retry with a unique client id.",
            ),
            Refusal::Full => encode::error(
                -1,
                502,
                &format!(
                    "Couldn't connect to TWS: the maximum of {MAX_CLIENTS} API clients is connected."
                ),
            ),
        };
        shared.record(client_id, &bytes);
        writer.write_all(&bytes).await?;
        writer.shutdown().await?;
        return Ok(());
    }

    let (inbound_tx, mut inbound) = mpsc::unbounded_channel::<io::Result<Frame>>();
    let reader_task = tokio::spawn(async move {
        loop {
            match read_frame(&mut reader).await {
                Ok(Some(frame)) => {
                    if inbound_tx.send(Ok(frame)).is_err() {
                        break;
                    }
                }
                Ok(None) => break,
                Err(err) => {
                    let _ = inbound_tx.send(Err(err));
                    break;
                }
            }
        }
    });

    let mut session = Session {
        shared: shared.clone(),
        client_id,
        market_data_type: 1,
        streaming: HashMap::new(),
        outbound,
        orders_placed: 0,
        hang_up: false,
    };
    session.greet();
    let drop_after = shared.market().faults().drop_after_messages;
    let mut sent: u64 = 0;
    let result = loop {
        tokio::select! {
            frame = queued.recv() => {
                let Some(bytes) = frame else { break Ok(()) };
                shared.record(client_id, &bytes);
                if let Err(err) = writer.write_all(&bytes).await {
                    break Err(err);
                }
                sent += 1;
                if drop_after.is_some_and(|limit| sent >= limit) {
                    let _ = writer.shutdown().await;
                    break Ok(());
                }
            }
            frame = inbound.recv() => match frame {
                Some(Ok(frame)) => {
                    session.handle(frame);
                    if session.hang_up {
                        while let Ok(bytes) = queued.try_recv() {
                            shared.record(client_id, &bytes);
                            writer.write_all(&bytes).await?;
                        }
                        let _ = writer.shutdown().await;
                        break Ok(());
                    }
                }
                Some(Err(err)) => break Err(err),
                None => break Ok(()),
            },
        }
    };
    reader_task.abort();
    shared.unregister(client_id);
    result
}

fn invalid(err: prost::DecodeError) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, err)
}

struct Session {
    /// Set when a fault asks for the connection to be dropped.
    hang_up: bool,
    orders_placed: u64,
    shared: Arc<Shared>,
    client_id: i32,
    market_data_type: i32,
    streaming: HashMap<i32, String>,
    outbound: mpsc::UnboundedSender<Vec<u8>>,
}

impl Session {
    fn send(&self, bytes: Vec<u8>) {
        let _ = self.outbound.send(bytes);
    }

    fn send_all(&self, frames: impl IntoIterator<Item = Vec<u8>>) {
        for bytes in frames {
            self.send(bytes);
        }
    }

    fn greet(&self) {
        let (accounts, next_id) = {
            let market = self.shared.market();
            (
                market.account_ids().join(","),
                market.next_order_id(self.client_id),
            )
        };
        self.send(frame(
            response::MANAGED_ACCOUNTS,
            &proto::ManagedAccounts {
                accounts_list: Some(accounts),
            },
        ));
        self.send(frame(
            response::NEXT_VALID_ID,
            &proto::NextValidId {
                order_id: Some(next_id as i32),
            },
        ));
        self.send(encode::error(
            -1,
            2104,
            "Market data farm connection is OK:usfarm",
        ));
        self.send(encode::error(
            -1,
            2106,
            "HMDS data farm connection is OK:ushmds",
        ));
        self.send(encode::error(
            -1,
            2158,
            "Sec-def data farm connection is OK:secdefnj",
        ));
    }

    fn handle(&mut self, frame: Frame) {
        let (id, protobuf) = frame.message();
        if !protobuf {
            self.send(encode::error(
                -1,
                10000,
                &format!("text-encoded message {id} is not served; use protobuf"),
            ));
            return;
        }
        let payload = frame.payload.as_slice();
        let outcome = match id {
            request::IDS => {
                let next = self.shared.market().next_order_id(self.client_id);
                self.send(frame_next_id(next));
                Ok(())
            }
            request::CURRENT_TIME => {
                let seconds = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64);
                self.send(encode::frame(
                    response::CURRENT_TIME,
                    &proto::CurrentTime {
                        current_time: Some(seconds),
                    },
                ));
                Ok(())
            }
            request::CURRENT_TIME_IN_MILLIS => {
                let ms = encode::now_millis();
                self.send(encode::frame(
                    response::CURRENT_TIME_IN_MILLIS,
                    &proto::CurrentTimeInMillis {
                        current_time_in_millis: Some(ms),
                    },
                ));
                Ok(())
            }
            request::MANAGED_ACCOUNTS => {
                let accounts = self.shared.market().account_ids().join(",");
                self.send(encode::frame(
                    response::MANAGED_ACCOUNTS,
                    &proto::ManagedAccounts {
                        accounts_list: Some(accounts),
                    },
                ));
                Ok(())
            }
            request::ACCOUNT_SUMMARY => {
                proto::AccountSummaryRequest::decode(payload).map(|r| self.account_summary(&r))
            }
            request::ACCOUNT_DATA => {
                proto::AccountDataRequest::decode(payload).map(|r| self.account_updates(&r))
            }
            request::POSITIONS => {
                self.positions();
                Ok(())
            }
            request::POSITIONS_MULTI => {
                proto::PositionsMultiRequest::decode(payload).map(|r| self.positions_multi(&r))
            }
            request::ACCOUNT_UPDATES_MULTI => proto::AccountUpdatesMultiRequest::decode(payload)
                .map(|r| self.account_updates_multi(&r)),
            request::CONTRACT_DATA => {
                proto::ContractDataRequest::decode(payload).map(|r| self.contract_details(&r))
            }
            request::MARKET_DATA_TYPE => proto::MarketDataTypeRequest::decode(payload).map(|r| {
                self.market_data_type = r.market_data_type.unwrap_or(1);
            }),
            request::MARKET_DATA => {
                proto::MarketDataRequest::decode(payload).map(|r| self.market_data(&r))
            }
            request::CANCEL_MARKET_DATA => proto::RequestId::decode(payload).map(|r| {
                self.streaming.remove(&r.req_id.unwrap_or(0));
            }),
            request::PLACE_ORDER => proto::PlaceOrderRequest::decode(payload).map(|r| {
                self.place_order(r);
                self.orders_placed += 1;
                let limit = self.shared.market().faults().drop_after_orders;
                self.hang_up = limit.is_some_and(|n| self.orders_placed >= n);
            }),
            request::CANCEL_ORDER => proto::CancelOrderRequest::decode(payload).map(|r| {
                let notices = self
                    .shared
                    .market()
                    .cancel(self.client_id, i64::from(r.order_id.unwrap_or(0)));
                self.shared.market_changed();
                self.send_all(frames_for(&notices));
            }),
            request::GLOBAL_CANCEL => {
                self.global_cancel();
                Ok(())
            }
            request::OPEN_ORDERS | request::AUTO_OPEN_ORDERS => {
                self.open_orders(Some(self.client_id));
                Ok(())
            }
            request::ALL_OPEN_ORDERS => {
                self.open_orders(None);
                Ok(())
            }
            request::COMPLETED_ORDERS => {
                self.completed_orders();
                Ok(())
            }
            request::EXECUTIONS => {
                proto::ExecutionRequest::decode(payload).map(|r| self.executions(&r))
            }
            request::CANCEL_ACCOUNT_SUMMARY
            | request::CANCEL_POSITIONS
            | request::CANCEL_POSITIONS_MULTI
            | request::CANCEL_ACCOUNT_UPDATES_MULTI
            | request::CANCEL_CONTRACT_DATA => Ok(()),
            other => {
                self.send(encode::error(
                    -1,
                    10000,
                    &format!("message {other} is not served by the simulator"),
                ));
                Ok(())
            }
        };
        if let Err(err) = outcome {
            self.send(encode::error(
                -1,
                10000,
                &format!("cannot decode message {id}: {err}"),
            ));
        }
    }

    fn account_summary(&self, request: &proto::AccountSummaryRequest) {
        let req_id = request.req_id.unwrap_or(0);
        let wanted: Vec<&str> = request
            .tags
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .collect();
        let market = self.shared.market();
        let mut frames = Vec::new();
        for account in market.account_ids() {
            for (tag, value) in account_values(&market, &account) {
                if wanted.contains(&tag) {
                    frames.push(encode::frame(
                        response::ACCOUNT_SUMMARY,
                        &proto::AccountSummary {
                            req_id: Some(req_id),
                            account: Some(account.clone()),
                            tag: Some(tag.to_string()),
                            value: Some(format!("{value:.2}")),
                            currency: Some("USD".into()),
                        },
                    ));
                }
            }
        }
        drop(market);
        frames.push(end_of(response::ACCOUNT_SUMMARY_END, req_id));
        self.send_all(frames);
    }

    fn account_updates(&self, request: &proto::AccountDataRequest) {
        if request.subscribe != Some(true) {
            return;
        }
        let market = self.shared.market();
        let account = match request.acct_code.as_deref() {
            Some(code) if !code.is_empty() => code.to_string(),
            _ => market.account_ids().into_iter().next().unwrap_or_default(),
        };
        let mut frames = Vec::new();
        for (key, value) in account_values(&market, &account) {
            frames.push(encode::frame(
                response::ACCOUNT_VALUE,
                &proto::AccountValue {
                    key: Some(key.to_string()),
                    value: Some(format!("{value:.2}")),
                    currency: Some("USD".into()),
                    account_name: Some(account.clone()),
                },
            ));
        }
        for (symbol, (quantity, cost)) in market.positions(&account) {
            let price = market.quote(&symbol).map_or(0.0, |q| q.mid());
            frames.push(encode::frame(
                response::PORTFOLIO_VALUE,
                &proto::PortfolioValue {
                    contract: Some(encode::stock(&symbol, market.con_id(&symbol).unwrap_or(0))),
                    position: Some(encode::decimal(quantity)),
                    market_price: Some(price),
                    market_value: Some(price * quantity),
                    average_cost: Some(cost),
                    unrealized_pnl: Some((price - cost) * quantity),
                    realized_pnl: Some(0.0),
                    account_name: Some(account.clone()),
                },
            ));
        }
        let stamp = encode::tws_time(SystemTime::now());
        frames.push(encode::frame(
            response::ACCOUNT_UPDATE_TIME,
            &proto::AccountUpdateTime {
                time_stamp: Some(stamp[9..14].to_string()),
            },
        ));
        frames.push(encode::frame(
            response::ACCOUNT_DOWNLOAD_END,
            &proto::AccountDataEnd {
                account_name: Some(account),
            },
        ));
        drop(market);
        self.send_all(frames);
    }

    fn account_updates_multi(&self, request: &proto::AccountUpdatesMultiRequest) {
        let req_id = request.req_id.unwrap_or(0);
        let market = self.shared.market();
        let accounts = requested_accounts(&market, request.account.as_deref());
        let mut frames = Vec::new();
        for account in accounts {
            for (key, value) in account_values(&market, &account) {
                frames.push(encode::frame(
                    response::ACCOUNT_UPDATE_MULTI,
                    &proto::AccountUpdateMulti {
                        req_id: Some(req_id),
                        account: Some(account.clone()),
                        model_code: None,
                        key: Some(key.to_string()),
                        value: Some(format!("{value:.2}")),
                        currency: Some("USD".into()),
                    },
                ));
            }
        }
        drop(market);
        frames.push(end_of(response::ACCOUNT_UPDATE_MULTI_END, req_id));
        self.send_all(frames);
    }

    fn positions(&self) {
        let market = self.shared.market();
        let mut frames = Vec::new();
        for account in market.account_ids() {
            for (symbol, (quantity, cost)) in market.positions(&account) {
                frames.push(encode::frame(
                    response::POSITION,
                    &proto::Position {
                        account: Some(account.clone()),
                        contract: Some(encode::stock(&symbol, market.con_id(&symbol).unwrap_or(0))),
                        position: Some(encode::decimal(quantity)),
                        avg_cost: Some(cost),
                    },
                ));
            }
        }
        drop(market);
        frames.push(encode::frame(response::POSITION_END, &proto::Empty {}));
        self.send_all(frames);
    }

    fn positions_multi(&self, request: &proto::PositionsMultiRequest) {
        let req_id = request.req_id.unwrap_or(0);
        let market = self.shared.market();
        let accounts = requested_accounts(&market, request.account.as_deref());
        let mut frames = Vec::new();
        for account in accounts {
            for (symbol, (quantity, cost)) in market.positions(&account) {
                frames.push(encode::frame(
                    response::POSITION_MULTI,
                    &proto::PositionMulti {
                        req_id: Some(req_id),
                        account: Some(account.clone()),
                        contract: Some(encode::stock(&symbol, market.con_id(&symbol).unwrap_or(0))),
                        position: Some(encode::decimal(quantity)),
                        avg_cost: Some(cost),
                        model_code: None,
                    },
                ));
            }
        }
        drop(market);
        frames.push(end_of(response::POSITION_MULTI_END, req_id));
        self.send_all(frames);
    }

    /// The symbol a request's contract names, by symbol or by contract id.
    fn symbol_of(&self, contract: Option<&proto::Contract>) -> Option<(String, i64)> {
        let contract = contract?;
        let market = self.shared.market();
        let symbol = match (contract.symbol.as_deref(), contract.con_id) {
            (Some(symbol), _) if !symbol.is_empty() => symbol.to_string(),
            (_, Some(con_id)) => market.symbol_of(i64::from(con_id))?.to_string(),
            _ => return None,
        };
        let con_id = market.con_id(&symbol)?;
        Some((symbol, con_id))
    }

    fn contract_details(&self, request: &proto::ContractDataRequest) {
        let req_id = request.req_id.unwrap_or(0);
        let Some((symbol, con_id)) = self.symbol_of(request.contract.as_ref()) else {
            self.send(encode::error(
                i64::from(req_id),
                200,
                "No security definition has been found for the request",
            ));
            return;
        };
        let details = proto::ContractDetails {
            market_name: Some(symbol.clone()),
            min_tick: Some("0.01".into()),
            order_types: Some("LMT,MKT,MOC,LOC".into()),
            valid_exchanges: Some("SMART,ARCA,NYSE,NASDAQ".into()),
            long_name: Some(format!("{symbol} (simulated)")),
            time_zone_id: Some("US/Eastern".into()),
            stock_type: Some("ETF".into()),
            min_size: Some("1".into()),
            size_increment: Some("1".into()),
        };
        self.send(encode::frame(
            response::CONTRACT_DATA,
            &proto::ContractData {
                req_id: Some(req_id),
                contract: Some(encode::stock(&symbol, con_id)),
                contract_details: Some(details),
            },
        ));
        self.send(end_of(response::CONTRACT_DATA_END, req_id));
    }

    fn market_data(&mut self, request: &proto::MarketDataRequest) {
        let req_id = request.req_id.unwrap_or(0);
        let Some((symbol, _)) = self.symbol_of(request.contract.as_ref()) else {
            self.send(encode::error(
                i64::from(req_id),
                200,
                "No security definition has been found for the request",
            ));
            return;
        };
        if self
            .shared
            .market()
            .faults()
            .stall_symbols
            .contains(&symbol)
        {
            return;
        }
        if self.market_data_type != 1 {
            self.send(encode::frame(
                response::MARKET_DATA_TYPE,
                &proto::MarketDataType {
                    req_id: Some(req_id),
                    market_data_type: Some(self.market_data_type),
                },
            ));
        }
        self.send(encode::frame(
            response::TICK_REQ_PARAMS,
            &proto::TickReqParams {
                req_id: Some(req_id),
                min_tick: Some("0.01".into()),
                bbo_exchange: Some("9c0001".into()),
                snapshot_permissions: Some(3),
            },
        ));
        self.send_ticks(req_id, &symbol);
        if request.snapshot == Some(true) {
            self.send(end_of(response::TICK_SNAPSHOT_END, req_id));
        } else {
            self.streaming.insert(req_id, symbol);
        }
    }

    fn send_ticks(&self, req_id: i32, symbol: &str) {
        let Some(quote) = self.shared.market().quote(symbol) else {
            return;
        };
        let delayed = matches!(self.market_data_type, 3 | 4);
        let ticks = if delayed {
            [
                (tick::DELAYED_BID, quote.bid),
                (tick::DELAYED_ASK, quote.ask),
                (
                    tick::DELAYED_LAST,
                    quote.last.unwrap_or_else(|| quote.mid()),
                ),
            ]
        } else {
            [
                (tick::BID, quote.bid),
                (tick::ASK, quote.ask),
                (tick::LAST, quote.last.unwrap_or_else(|| quote.mid())),
            ]
        };
        for (tick_type, price) in ticks {
            self.send(encode::frame(
                response::TICK_PRICE,
                &proto::TickPrice {
                    req_id: Some(req_id),
                    tick_type: Some(tick_type),
                    price: Some(price),
                    size: Some("100".into()),
                    attr_mask: Some(1),
                },
            ));
        }
    }

    fn place_order(&self, request: proto::PlaceOrderRequest) {
        let order_id = i64::from(request.order_id.unwrap_or(0));
        let order = request.order.unwrap_or_default();
        let Some((symbol, _)) = self.symbol_of(request.contract.as_ref()) else {
            self.send(encode::error(
                order_id,
                200,
                "No security definition has been found for the request",
            ));
            return;
        };
        let side = match order.action.as_deref() {
            Some("BUY") => Side::Buy,
            Some("SELL") => Side::Sell,
            other => {
                self.send(encode::error(
                    order_id,
                    321,
                    &format!("Error validating request: unsupported action {other:?}"),
                ));
                return;
            }
        };
        if order.what_if == Some(true) || order.transmit != Some(true) {
            self.send(encode::error(
                order_id,
                321,
                "Error validating request: what-if and untransmitted orders are not simulated",
            ));
            return;
        }
        let mut market = self.shared.market();
        let account = match order.account.as_deref() {
            Some(account) if !account.is_empty() => account.to_string(),
            _ => market.account_ids().into_iter().next().unwrap_or_default(),
        };
        let new_order = NewOrder {
            order_id,
            account,
            symbol,
            side,
            quantity: order
                .total_quantity
                .as_deref()
                .and_then(|q| q.parse().ok())
                .unwrap_or(0.0),
            order_type: order.order_type.unwrap_or_default(),
            limit_price: order.lmt_price,
            tif: order.tif.unwrap_or_else(|| "DAY".into()),
            order_ref: order.order_ref.unwrap_or_default(),
        };
        let (notices, schedule) = market.place(self.client_id, new_order);
        let latency = Duration::from_millis(market.fill_model().latency_ms);
        drop(market);
        self.send_all(frames_for(&notices));
        if schedule {
            tokio::spawn(fill(self.shared.clone(), self.client_id, order_id, latency));
        }
    }

    fn global_cancel(&self) {
        let working: Vec<(i32, i64)> = self
            .shared
            .market()
            .open_orders(None)
            .iter()
            .map(|o| (o.client_id, o.order.order_id))
            .collect();
        for (client_id, order_id) in working {
            let notices = self.shared.market().cancel(client_id, order_id);
            self.shared.notify(client_id, &notices);
        }
        self.shared.market_changed();
    }

    fn open_orders(&self, client_id: Option<i32>) {
        let orders = self.shared.market().open_orders(client_id);
        for record in &orders {
            self.send(encode::open_order(record));
            self.send(encode::order_status(record));
        }
        self.send(encode::frame(response::OPEN_ORDER_END, &proto::Empty {}));
    }

    fn completed_orders(&self) {
        let done: Vec<_> = self
            .shared
            .market()
            .orders()
            .iter()
            .filter(|o| !o.is_working())
            .cloned()
            .collect();
        for record in &done {
            self.send(encode::completed_order(record));
        }
        self.send(encode::frame(
            response::COMPLETED_ORDERS_END,
            &proto::Empty {},
        ));
    }

    fn executions(&self, request: &proto::ExecutionRequest) {
        let req_id = request.req_id.unwrap_or(0);
        let filter = request.execution_filter.clone().unwrap_or_default();
        let executions: Vec<_> = self
            .shared
            .market()
            .executions()
            .iter()
            .filter(|e| filter.client_id.is_none_or(|c| c == e.order.client_id))
            .filter(|e| {
                filter
                    .acct_code
                    .as_deref()
                    .is_none_or(|a| a.is_empty() || a == e.order.order.account)
            })
            .filter(|e| {
                filter
                    .symbol
                    .as_deref()
                    .is_none_or(|s| s.is_empty() || s == e.order.order.symbol)
            })
            .cloned()
            .collect();
        for execution in &executions {
            self.send_all(encode::execution(req_id, execution));
        }
        self.send(end_of(response::EXECUTION_DATA_END, req_id));
    }
}

/// The frame that ends the answer to request `req_id` (…End messages carry only the id).
fn end_of(id: i32, req_id: i32) -> Vec<u8> {
    encode::frame(
        id,
        &proto::RequestId {
            req_id: Some(req_id),
        },
    )
}

/// The account a request names, or every account when it names none.
fn requested_accounts(market: &super::market::Market, requested: Option<&str>) -> Vec<String> {
    match requested {
        Some(account) if !account.is_empty() => vec![account.to_string()],
        _ => market.account_ids(),
    }
}

fn frame_next_id(next: i64) -> Vec<u8> {
    encode::frame(
        response::NEXT_VALID_ID,
        &proto::NextValidId {
            order_id: Some(next as i32),
        },
    )
}

/// NetLiquidation, TotalCashValue, SettledCash, BuyingPower and AvailableFunds of an account.
fn account_values(market: &super::market::Market, account: &str) -> Vec<(&'static str, f64)> {
    let cash = market.cash(account).unwrap_or(0.0);
    let nlv = market.net_liquidation(account).unwrap_or(0.0);
    SUMMARY_TAGS
        .iter()
        .map(|tag| {
            let value = match *tag {
                "NetLiquidation" => nlv,
                "BuyingPower" | "AvailableFunds" => cash.max(0.0),
                _ => cash,
            };
            (*tag, value)
        })
        .collect()
}

/// Fills an accepted order slice by slice, waiting while the market is closed or the order
/// is not marketable; updates go to the placing client, if still connected.
async fn fill(shared: Arc<Shared>, client_id: i32, order_id: i64, latency: Duration) {
    let mut changes = shared.watch_market();
    loop {
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        changes.borrow_and_update();
        let step = shared.market().fill_next_slice(client_id, order_id);
        match step {
            FillStep::Filled(notices) => shared.notify(client_id, &notices),
            FillStep::Waiting => {
                if changes.changed().await.is_err() {
                    return;
                }
            }
            FillStep::Done => return,
        }
    }
}
