//! One client connection: handshake and version negotiation, START_API, then requests in
//! and frames out, in the encoding agreed, until the client leaves or a fault drops it.

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::{broadcast, mpsc};

use super::accounts::{self, Subscriptions};
use super::market::{FillStep, NewOrder, Notice, Side};
use super::scenario::LatencyRange;
use super::shared::{GatewayState, HANG_UP, MAX_CLIENTS, Refusal, Shared, frames_for};
use super::wire::encode;
use super::wire::encoding::{Encoding, MAX_PROTOBUF_VERSION};
use super::wire::frame::{read_handshake, read_message, write_handshake_ack};
use super::wire::ids::{response, tick};
use super::wire::proto;
use super::wire::request::Request;

/// The highest server version announced: the newest `ibapi` 5.x offers, all-protobuf.
pub const SERVER_VERSION: i32 = MAX_PROTOBUF_VERSION;

/// Messages per second a client may send unless the scenario says otherwise (IBKR's
/// documented limit).
pub const PACING_PER_SECOND: u32 = 50;

/// Messages dropped for pacing after which the client is disconnected.
pub const PACING_STRIKES: u32 = 20;

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
    let mut hang_ups = shared.watch_hang_ups();
    let mut offer = read_handshake(&mut reader).await?;
    if shared.state() == GatewayState::Hung {
        // Read whatever comes and never answer, until the client gives up or a restart.
        let mut rest = Vec::new();
        tokio::select! {
            _ = tokio::io::AsyncReadExt::read_to_end(&mut reader, &mut rest) => {}
            _ = hang_ups.changed() => {}
        }
        return Ok(());
    }
    let cap = shared.market().faults().max_server_version;
    if let Some(cap) = cap {
        if offer.min > cap {
            let time = format!("{} UTC", encode::tws_time(SystemTime::now()));
            write_handshake_ack(&mut writer, cap, &time).await?;
            let mut rest = Vec::new();
            let _ = tokio::io::AsyncReadExt::read_to_end(&mut reader, &mut rest).await;
            return Ok(());
        }
        offer.max = offer.max.min(cap);
    }
    let Some((version, encoding)) = Encoding::negotiate(offer) else {
        return Err(io::Error::new(
            io::ErrorKind::Unsupported,
            format!(
                "client offers v{}..{}; the simulator serves classic clients at v164..178 and \
                 protobuf clients at v213..{SERVER_VERSION}",
                offer.min, offer.max
            ),
        ));
    };
    write_handshake_ack(
        &mut writer,
        version,
        &format!("{} UTC", encode::tws_time(SystemTime::now())),
    )
    .await?;

    let Some(start) = read_message(&mut reader).await? else {
        return Ok(());
    };
    let client_id = match encoding.request(&start) {
        Ok(Request::StartApi { client_id }) => client_id,
        other => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("expected START_API, got {other:?}"),
            ));
        }
    };

    let (outbound, mut queued) = mpsc::unbounded_channel::<Vec<u8>>();
    if let Err(refusal) = shared.register(client_id, peer, encoding, outbound.clone()) {
        let bytes = match refusal {
            Refusal::InUse => encoding.error(
                -1,
                326,
                "Unable to connect as the client id is already in use. Retry with a unique client id.",
            ),
            Refusal::Full => encoding.error(
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

    let (inbound_tx, mut inbound) = mpsc::unbounded_channel::<io::Result<Vec<u8>>>();
    let reader_task = tokio::spawn(async move {
        loop {
            match read_message(&mut reader).await {
                Ok(Some(body)) => {
                    if inbound_tx.send(Ok(body)).is_err() {
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

    let (pacing, latency) = {
        let market = shared.market();
        let pacing = market
            .faults()
            .pacing_per_second
            .unwrap_or(PACING_PER_SECOND);
        (pacing, market.latency().clone())
    };
    let mut session = Session {
        shared: shared.clone(),
        client_id,
        encoding,
        subscriptions: Subscriptions::default(),
        market_data_type: 1,
        streaming: HashMap::new(),
        outbound,
        orders_placed: 0,
        hang_up: false,
        pacing: Pacing::new(pacing),
        draws: fastrand::Rng::with_seed(latency.seed ^ u64::from(client_id.unsigned_abs())),
        latency,
        delayed: Vec::new(),
    };
    session.greet();
    let mut fills = shared.watch_fills();
    let drop_after = shared.market().faults().drop_after_messages;
    let mut sent: u64 = 0;
    let result = loop {
        let next_due = session.delayed.iter().map(|(due, _)| *due).min();
        tokio::select! {
            () = sleep_until_due(next_due), if next_due.is_some() => session.answer_due(),
            frame = queued.recv() => {
                let Some(bytes) = frame else { break Ok(()) };
                if bytes == HANG_UP {
                    let _ = writer.shutdown().await;
                    break Ok(());
                }
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
            fill = fills.recv() => match fill {
                Ok(fill) => session.holding_changed(&fill.account, &fill.symbol),
                Err(broadcast::error::RecvError::Lagged(_)) => session.resend_holdings(),
                Err(broadcast::error::RecvError::Closed) => {}
            },
            body = inbound.recv() => match body {
                Some(Ok(body)) => {
                    session.receive(&body);
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
            _ = hang_ups.changed() => {
                let _ = writer.shutdown().await;
                break Ok(());
            }
        }
    };
    reader_task.abort();
    shared.unregister(client_id);
    result
}

/// The messages a client sent in the last second, and how often it went over the limit.
struct Pacing {
    limit: u32,
    recent: std::collections::VecDeque<std::time::Instant>,
    strikes: u32,
}

impl Pacing {
    fn new(limit: u32) -> Self {
        Self {
            limit,
            recent: std::collections::VecDeque::new(),
            strikes: 0,
        }
    }

    /// Counts one message now; `Some(count)` when it is over the limit (dropped).
    fn over(&mut self) -> Option<usize> {
        if self.limit == 0 {
            return None;
        }
        let now = std::time::Instant::now();
        while self
            .recent
            .front()
            .is_some_and(|at| now.duration_since(*at) >= Duration::from_secs(1))
        {
            self.recent.pop_front();
        }
        if self.recent.len() >= self.limit as usize {
            self.strikes += 1;
            return Some(self.recent.len() + 1);
        }
        self.recent.push_back(now);
        None
    }
}

/// Sleeps until `due`; never returns when there is nothing due.
async fn sleep_until_due(due: Option<tokio::time::Instant>) {
    match due {
        Some(due) => tokio::time::sleep_until(due).await,
        None => std::future::pending().await,
    }
}

struct Session {
    /// Set when a fault asks for the connection to be dropped.
    hang_up: bool,
    pacing: Pacing,
    /// How long each kind of request takes to answer, and the draws from it.
    latency: super::scenario::Latency,
    draws: fastrand::Rng,
    /// Requests waiting out their latency, with when to answer them.
    delayed: Vec<(tokio::time::Instant, Request)>,
    orders_placed: u64,
    shared: Arc<Shared>,
    client_id: i32,
    encoding: Encoding,
    subscriptions: Subscriptions,
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
        self.send(self.managed_accounts());
        self.send(self.next_valid_id());
        if self.shared.state() == GatewayState::LoggedOut {
            self.send(self.encoding.error(
                -1,
                1100,
                "Connectivity between IB and Trader Workstation has been lost.",
            ));
            return;
        }
        self.send(
            self.encoding
                .error(-1, 2104, "Market data farm connection is OK:usfarm"),
        );
        self.send(
            self.encoding
                .error(-1, 2106, "HMDS data farm connection is OK:ushmds"),
        );
        self.send(
            self.encoding
                .error(-1, 2158, "Sec-def data farm connection is OK:secdefnj"),
        );
    }

    /// managedAccounts: every account, comma-separated (none while logged out).
    fn managed_accounts(&self) -> Vec<u8> {
        let accounts = match self.shared.state() {
            GatewayState::Up => self.shared.market().account_ids().join(","),
            GatewayState::LoggedOut | GatewayState::Hung => String::new(),
        };
        self.encoding.reply(&proto::ManagedAccounts {
            accounts_list: Some(accounts),
        })
    }

    /// nextValidId: the lowest order id this client may use next.
    fn next_valid_id(&self) -> Vec<u8> {
        let next = self.shared.market().next_order_id(self.client_id);
        self.encoding.reply(&proto::NextValidId {
            order_id: Some(next as i32),
        })
    }

    /// Sends market notices about this client's orders and tells every subscription of
    /// the fills among them.
    fn send_notices(&self, notices: &[Notice]) {
        self.shared.publish_fills(notices);
        let notices = self.shared.market().audible(self.client_id, notices);
        self.send_all(frames_for(self.encoding, &notices));
    }

    /// Pushes a fill's change of `symbol` in `account` to this client's subscriptions.
    fn holding_changed(&self, account: &str, symbol: &str) {
        let frames =
            self.subscriptions
                .changed(self.encoding, &self.shared.market(), account, symbol);
        self.send_all(frames);
    }

    /// After missing fills, pushes every holding held now to the subscriptions again.
    fn resend_holdings(&self) {
        let market = self.shared.market();
        let mut frames = Vec::new();
        for account in market.account_ids() {
            for symbol in market.positions(&account).into_keys() {
                frames.extend(self.subscriptions.changed(
                    self.encoding,
                    &market,
                    &account,
                    &symbol,
                ));
            }
        }
        drop(market);
        self.send_all(frames);
    }

    /// Reads one request and answers it; an unreadable one gets error 10000.
    fn receive(&mut self, body: &[u8]) {
        if let Some(received) = self.pacing.over() {
            self.send(self.encoding.error(
                -1,
                100,
                &format!(
                    "Max rate of messages per second has been exceeded:max={} rec={received} ({})",
                    self.pacing.limit, self.pacing.strikes
                ),
            ));
            self.hang_up = self.pacing.strikes >= PACING_STRIKES;
            return;
        }
        let request = match self.encoding.request(body) {
            Ok(request) => request,
            Err(err) => return self.send(self.encoding.error(-1, 10000, &err.0)),
        };
        let answered = match self.shared.state() {
            GatewayState::Up => true,
            GatewayState::LoggedOut => matches!(
                request,
                Request::NextId
                    | Request::CurrentTime
                    | Request::CurrentTimeInMillis
                    | Request::ManagedAccounts
            ),
            GatewayState::Hung => false,
        };
        if !answered {
            return;
        }
        let latency = match &request {
            Request::AccountSummary(_)
            | Request::AccountUpdates(_)
            | Request::AccountUpdatesMulti(_)
            | Request::Positions
            | Request::PositionsMulti(_) => self.latency.account,
            Request::ContractDetails(_) => self.latency.contract_details,
            Request::MarketData(_) => self.latency.market_data,
            _ => LatencyRange::default(),
        };
        let delay = latency.draw(&mut self.draws);
        if delay.is_zero() {
            self.handle(request);
        } else {
            self.delayed
                .push((tokio::time::Instant::now() + delay, request));
        }
    }

    /// Answers the delayed requests whose latency is over, oldest first.
    fn answer_due(&mut self) {
        let now = tokio::time::Instant::now();
        let (due, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.delayed)
            .into_iter()
            .partition(|(at, _)| *at <= now);
        self.delayed = waiting;
        let mut due = due;
        due.sort_by_key(|(at, _)| *at);
        for (_, request) in due {
            self.handle(request);
        }
    }

    fn handle(&mut self, request: Request) {
        match request {
            Request::StartApi { .. } => {
                self.send(self.encoding.error(-1, 10000, "the API is already started"));
            }
            Request::NextId => self.send(self.next_valid_id()),
            Request::CurrentTime => {
                let seconds = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64);
                self.send(self.encoding.reply(&proto::CurrentTime {
                    current_time: Some(seconds),
                }));
            }
            Request::CurrentTimeInMillis => {
                self.send(self.encoding.reply(&proto::CurrentTimeInMillis {
                    current_time_in_millis: Some(encode::now_millis()),
                }));
            }
            Request::ManagedAccounts => self.send(self.managed_accounts()),
            Request::AccountSummary(r) => self.account_summary(&r),
            Request::AccountUpdates(r) => {
                let frames =
                    self.subscriptions
                        .account_updates(self.encoding, &self.shared.market(), &r);
                self.send_all(frames);
            }
            Request::Positions => {
                let frames = self
                    .subscriptions
                    .positions(self.encoding, &self.shared.market());
                self.send_all(frames);
            }
            Request::CancelPositions => self.subscriptions.cancel_positions(),
            Request::PositionsMulti(r) => {
                let frames =
                    self.subscriptions
                        .positions_multi(self.encoding, &self.shared.market(), &r);
                self.send_all(frames);
            }
            Request::CancelPositionsMulti(req_id) => {
                self.subscriptions.cancel_positions_multi(req_id);
            }
            Request::AccountUpdatesMulti(r) => {
                let frames = self.subscriptions.account_updates_multi(
                    self.encoding,
                    &self.shared.market(),
                    &r,
                );
                self.send_all(frames);
            }
            Request::CancelAccountUpdatesMulti(req_id) => {
                self.subscriptions.cancel_account_updates_multi(req_id);
            }
            Request::ContractDetails(r) => self.contract_details(&r),
            Request::MarketDataType(kind) => self.market_data_type = kind,
            Request::MarketData(r) => self.market_data(&r),
            Request::CancelMarketData(req_id) => {
                self.streaming.remove(&req_id);
            }
            Request::PlaceOrder(r) => {
                self.place_order(r);
                self.orders_placed += 1;
                let limit = self.shared.market().faults().drop_after_orders;
                self.hang_up = limit.is_some_and(|n| self.orders_placed >= n);
            }
            Request::CancelOrder(order_id) => {
                let notices = self.shared.market().cancel(self.client_id, order_id);
                self.shared.market_changed();
                self.send_notices(&notices);
            }
            Request::GlobalCancel => self.global_cancel(),
            Request::OpenOrders => self.open_orders(Some(self.client_id)),
            Request::AllOpenOrders => self.open_orders(None),
            Request::CompletedOrders => self.completed_orders(),
            Request::Executions(r) => self.executions(&r),
            Request::Ignored => {}
            Request::Unsupported(id) => self.send(self.encoding.error(
                -1,
                10000,
                &format!("message {id} is not served by the simulator"),
            )),
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
            for value in accounts::values(&market, &account) {
                if value.wanted_by(&wanted) {
                    frames.push(self.encoding.reply(&proto::AccountSummary {
                        req_id: Some(req_id),
                        account: Some(account.clone()),
                        tag: Some(value.key.to_string()),
                        value: Some(value.value),
                        currency: Some(value.currency.into()),
                    }));
                }
            }
        }
        drop(market);
        frames.push(
            self.encoding
                .end(response::ACCOUNT_SUMMARY_END, Some(req_id)),
        );
        self.send_all(frames);
    }

    /// The US-dollar stock a request's contract names, by symbol or contract id: the only
    /// instruments the simulated market quotes and trades. A contract of another security
    /// type or currency has no definition here, as an unknown one at the gateway.
    fn symbol_of(&self, contract: Option<&proto::Contract>) -> Option<(String, i64)> {
        let contract = contract?;
        let set_to = |field: &Option<String>, wanted: &str| {
            field.as_deref().is_none_or(|v| v.is_empty() || v == wanted)
        };
        if !(set_to(&contract.sec_type, "STK") && set_to(&contract.currency, "USD")) {
            return None;
        }
        let market = self.shared.market();
        let named = contract.con_id.filter(|id| *id != 0).map(i64::from);
        let symbol = match (contract.symbol.as_deref(), named) {
            (Some(symbol), _) if !symbol.is_empty() => symbol.to_string(),
            (_, Some(con_id)) => market.symbol_of(con_id)?.to_string(),
            _ => return None,
        };
        let con_id = market.con_id(&symbol)?;
        // A contract id that is not the symbol's names no security, as at the gateway.
        if named.is_some_and(|named| named != con_id) {
            return None;
        }
        Some((symbol, con_id))
    }

    fn contract_details(&self, request: &proto::ContractDataRequest) {
        let req_id = request.req_id.unwrap_or(0);
        let Some((symbol, con_id)) = self.symbol_of(request.contract.as_ref()) else {
            self.send(self.encoding.error(
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
        self.send(self.encoding.reply(&proto::ContractData {
            req_id: Some(req_id),
            contract: Some(encode::stock(&symbol, con_id)),
            contract_details: Some(details),
        }));
        self.send(self.encoding.end(response::CONTRACT_DATA_END, Some(req_id)));
    }

    fn market_data(&mut self, request: &proto::MarketDataRequest) {
        let req_id = request.req_id.unwrap_or(0);
        let Some((symbol, _)) = self.symbol_of(request.contract.as_ref()) else {
            self.send(self.encoding.error(
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
            self.send(self.encoding.reply(&proto::MarketDataType {
                req_id: Some(req_id),
                market_data_type: Some(self.market_data_type),
            }));
        }
        self.send(self.encoding.reply(&proto::TickReqParams {
            req_id: Some(req_id),
            min_tick: Some("0.01".into()),
            bbo_exchange: Some("9c0001".into()),
            snapshot_permissions: Some(3),
        }));
        self.send_ticks(req_id, &symbol);
        if request.snapshot == Some(true) {
            self.send(self.encoding.end(response::TICK_SNAPSHOT_END, Some(req_id)));
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
            self.send(self.encoding.reply(&proto::TickPrice {
                req_id: Some(req_id),
                tick_type: Some(tick_type),
                price: Some(price),
                size: Some("100".into()),
                attr_mask: Some(1),
            }));
        }
    }

    fn place_order(&self, request: proto::PlaceOrderRequest) {
        let order_id = i64::from(request.order_id.unwrap_or(0));
        let order = request.order.unwrap_or_default();
        let Some((symbol, _)) = self.symbol_of(request.contract.as_ref()) else {
            self.send(self.encoding.error(
                order_id,
                200,
                "No security definition has been found for the request",
            ));
            return;
        };
        let named_con_id = request
            .contract
            .as_ref()
            .and_then(|c| c.con_id)
            .filter(|id| *id != 0)
            .map(i64::from);
        let side = match order.action.as_deref() {
            Some("BUY") => Side::Buy,
            Some("SELL") => Side::Sell,
            other => {
                self.send(self.encoding.error(
                    order_id,
                    321,
                    &format!("Error validating request: unsupported action {other:?}"),
                ));
                return;
            }
        };
        if order.what_if == Some(true) || order.transmit != Some(true) {
            self.send(self.encoding.error(
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
            named_con_id,
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
        self.send_notices(&notices);
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
            self.send(self.encoding.reply(&encode::open_order(record)));
            self.send(self.encoding.reply(&encode::order_status(record)));
        }
        self.send(self.encoding.end(response::OPEN_ORDER_END, None));
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
            self.send(self.encoding.reply(&encode::completed_order(record)));
        }
        self.send(self.encoding.end(response::COMPLETED_ORDERS_END, None));
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
            let (details, commission) = encode::execution(req_id, execution);
            self.send(self.encoding.reply(&details));
            self.send(self.encoding.reply(&commission));
        }
        self.send(
            self.encoding
                .end(response::EXECUTION_DATA_END, Some(req_id)),
        );
    }
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
