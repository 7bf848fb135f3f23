//! `config.yaml`: gateway, trading parameters and the allocation API. Every key is optional;
//! the default of each is written beside it and in the README's configuration reference.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::values::{
    as_hours, as_seconds, at_least_one, attempts, connection_cap, fraction, http_url, identifier,
    non_negative, optional_http_url, percent, positive_hours, positive_seconds, turnover_percent,
    unit_fraction,
};
use super::{ConfigError, yaml};

/// Everything `config.yaml` holds.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Where IB Gateway listens and how long to wait for it.
    pub gateway: GatewaySettings,
    /// How plans are made and orders placed.
    pub trading: TradingSettings,
    /// The allocation API every strategy's targets come from.
    pub allocations: AllocationApiSettings,
    /// The Ably realtime service events arrive on.
    pub realtime: RealtimeSettings,
    /// The supervisor daemon.
    pub supervisor: SupervisorSettings,
    /// Push notifications (ntfy).
    pub notifications: NotificationSettings,
    /// The dashboard (`dashboard`): its pages, JSON API and metrics.
    pub web: WebSettings,
}

/// The dashboard's HTTP server. Its action token comes from the environment
/// (REBALANCER_API_TOKEN), never from this file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebSettings {
    /// Address and port to listen on. Default `127.0.0.1:8640` (loopback: reach it over an
    /// SSH tunnel or a reverse proxy rather than exposing it).
    pub listen: std::net::SocketAddr,
    /// An origin allowed to call the JSON API from a browser (CORS), e.g.
    /// `https://ops.example.com`. Default none: no cross-origin calls.
    #[serde(deserialize_with = "optional_http_url")]
    pub cors_origin: Option<String>,
}

impl Default for WebSettings {
    fn default() -> Self {
        Self {
            listen: std::net::SocketAddr::from(([127, 0, 0, 1], 8640)),
            cors_origin: None,
        }
    }
}

/// Push notifications through an ntfy server. The optional access token comes from the
/// environment (NTFY_TOKEN), never from this file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct NotificationSettings {
    /// The ntfy server, e.g. `https://ntfy.sh`; no notifications when absent. Default none.
    #[serde(deserialize_with = "optional_http_url")]
    pub ntfy_url: Option<String>,
    /// The topic. Default `rebalancer`.
    #[serde(deserialize_with = "identifier")]
    pub topic: String,
    /// Also notify successful runs, with a per-account summary. Default false.
    pub on_success: bool,
    /// At most one notification per this many seconds; later ones wait. Default 10 s.
    #[serde(
        rename = "min_interval_seconds",
        deserialize_with = "positive_seconds",
        serialize_with = "as_seconds"
    )]
    pub min_interval: Duration,
}

impl Default for NotificationSettings {
    fn default() -> Self {
        Self {
            ntfy_url: None,
            topic: "rebalancer".into(),
            on_success: false,
            min_interval: Duration::from_secs(10),
        }
    }
}

/// Where strategy events come from.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RealtimeSettings {
    /// Ably realtime websocket endpoint. Default `wss://realtime.ably.io`.
    pub realtime_url: String,
    /// Ably REST endpoint, for history after a failed resume. Default `https://rest.ably.io`.
    pub rest_url: String,
    /// First reconnect delay; doubled (with jitter) up to the maximum. Default 1 s.
    #[serde(
        rename = "reconnect_base_seconds",
        deserialize_with = "positive_seconds",
        serialize_with = "as_seconds"
    )]
    pub reconnect_base: Duration,
    /// Longest reconnect delay. Default 60 s.
    #[serde(
        rename = "reconnect_max_seconds",
        deserialize_with = "positive_seconds",
        serialize_with = "as_seconds"
    )]
    pub reconnect_max: Duration,
}

impl Default for RealtimeSettings {
    fn default() -> Self {
        Self {
            realtime_url: "wss://realtime.ably.io".into(),
            rest_url: "https://rest.ably.io".into(),
            reconnect_base: Duration::from_secs(1),
            reconnect_max: Duration::from_secs(60),
        }
    }
}

/// Limits and places of the supervisor daemon.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SupervisorSettings {
    /// Gateway connections open at once across all workers (the gateway accepts 32). Default 30.
    #[serde(deserialize_with = "connection_cap")]
    pub max_gateway_connections: u32,
    /// A worker still running after this long is stopped. Default 1800 s.
    #[serde(
        rename = "worker_timeout_seconds",
        deserialize_with = "positive_seconds",
        serialize_with = "as_seconds"
    )]
    pub worker_timeout: Duration,
    /// Between SIGTERM and SIGKILL when stopping a worker. Default 30 s.
    #[serde(
        rename = "stop_grace_seconds",
        deserialize_with = "positive_seconds",
        serialize_with = "as_seconds"
    )]
    pub stop_grace: Duration,
    /// Retries of a run's failed accounts within one trading day. Default 2.
    pub max_retries: u32,
    /// After the day's retries, try again at each next session's open until this many days
    /// after the first failure (0: never). Default 7.
    pub max_retry_days: u32,
    /// Wait before each retry. Default 300 s.
    #[serde(
        rename = "retry_delay_seconds",
        deserialize_with = "positive_seconds",
        serialize_with = "as_seconds"
    )]
    pub retry_delay: Duration,
    /// The journal (SQLite). Default `/var/lib/rebalancer/journal.sqlite`.
    pub journal_path: PathBuf,
    /// The control socket. Default `/run/rebalancer/supervisor.sock`.
    pub socket_path: PathBuf,
    /// Finished runs older than this many days are deleted from the journal. Default 365.
    pub retention_days: u32,
    /// The worker executable [default: `worker` beside the supervisor].
    pub worker_path: Option<PathBuf>,
    /// Run rebalance events only in regular market hours; others wait for the next
    /// session. Default true.
    pub market_hours: bool,
    /// How long after the open a deferred rebalance runs. Default 300 s.
    #[serde(
        rename = "open_delay_seconds",
        deserialize_with = "positive_seconds",
        serialize_with = "as_seconds"
    )]
    pub open_delay: Duration,
    /// A rebalance event this close to the session's close waits for the next session
    /// (orders need time to fill before DAY orders expire). Default 900 s.
    #[serde(
        rename = "close_buffer_seconds",
        deserialize_with = "positive_seconds",
        serialize_with = "as_seconds"
    )]
    pub close_buffer: Duration,
    /// At start, and when a channel's history no longer reaches back to its last message
    /// after the realtime link was down, compare each strategy's current targets with those
    /// of its last successful rebalance and rebalance (in market hours) where they differ:
    /// Ably keeps little history, so events published while the supervisor was away can be
    /// lost. Default true.
    pub catch_up: bool,
    /// Also make that comparison at each session's open (plus `open_delay_seconds`), for
    /// every strategy. Default false.
    pub daily_check_at_open: bool,
    /// At a start, an event received before the stop and never run, or a run the stop cut
    /// short, older than this many hours is not traded: it gets an `expired` run and the
    /// operator is notified. Default 24.
    #[serde(
        rename = "max_event_age_hours",
        deserialize_with = "positive_hours",
        serialize_with = "as_hours"
    )]
    pub max_event_age: Duration,
}

impl Default for SupervisorSettings {
    fn default() -> Self {
        Self {
            max_gateway_connections: 30,
            worker_timeout: Duration::from_secs(1800),
            stop_grace: Duration::from_secs(30),
            max_retries: 2,
            max_retry_days: 7,
            retry_delay: Duration::from_secs(300),
            journal_path: PathBuf::from("/var/lib/rebalancer/journal.sqlite"),
            socket_path: PathBuf::from("/run/rebalancer/supervisor.sock"),
            retention_days: 365,
            worker_path: None,
            market_hours: true,
            open_delay: Duration::from_secs(300),
            close_buffer: Duration::from_secs(900),
            max_event_age: Duration::from_secs(24 * 3600),
            catch_up: true,
            daily_check_at_open: false,
        }
    }
}

impl Settings {
    /// Reads `config.yaml`; with no file, every setting takes its default.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        match file {
            Some(file) => Ok(yaml::parse_file::<Self>(file)?.value),
            None => Ok(Self::default()),
        }
    }
}

/// IB Gateway / TWS connection settings.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct GatewaySettings {
    /// Host name or address of the gateway. Default `127.0.0.1`.
    pub host: String,
    /// Port of a live-trading gateway. Default 4003.
    pub live_port: u16,
    /// Port of a paper-trading gateway. Default 4004.
    pub paper_port: u16,
    /// Longest wait for the connection handshake. Default 10 s.
    #[serde(
        rename = "connect_timeout_seconds",
        deserialize_with = "positive_seconds",
        serialize_with = "as_seconds"
    )]
    pub connect_timeout: Duration,
    /// Longest wait for any single request's answer. Default 30 s.
    #[serde(
        rename = "request_timeout_seconds",
        deserialize_with = "positive_seconds",
        serialize_with = "as_seconds"
    )]
    pub request_timeout: Duration,
    /// Market data asked for: `realtime`, `frozen`, `delayed` (live where subscribed,
    /// delayed otherwise) or `delayed_frozen`. Default `delayed`.
    pub market_data_type: MarketDataKind,
    /// Longest wait for one symbol's quote snapshot. Default 10 s.
    #[serde(
        rename = "quote_timeout_seconds",
        deserialize_with = "positive_seconds",
        serialize_with = "as_seconds"
    )]
    pub quote_timeout: Duration,
    /// Snapshots asked for before a symbol without bid and ask is an error. Default 3.
    #[serde(deserialize_with = "attempts")]
    pub quote_attempts: u32,
    /// How often the supervisor probes the gateway (handshake, managed accounts, current
    /// time) with its own client id. Default 60 s.
    #[serde(
        rename = "probe_interval_seconds",
        deserialize_with = "positive_seconds",
        serialize_with = "as_seconds"
    )]
    pub probe_interval: Duration,
    /// `supervisor status --check` is unhealthy once the gateway has not been up for this
    /// long during market hours. Default 600 s.
    #[serde(
        rename = "unhealthy_after_seconds",
        deserialize_with = "positive_seconds",
        serialize_with = "as_seconds"
    )]
    pub unhealthy_after: Duration,
}

/// Which market data the gateway is asked for (TWS market data types 1–4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MarketDataKind {
    /// Live data (type 1).
    Realtime,
    /// Last live data, for closed markets (type 2).
    Frozen,
    /// Live where subscribed, 15–20 minute delayed otherwise (type 3).
    Delayed,
    /// Delayed, frozen when closed (type 4).
    DelayedFrozen,
}

impl Default for GatewaySettings {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            live_port: 4003,
            paper_port: 4004,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            market_data_type: MarketDataKind::Delayed,
            quote_timeout: Duration::from_secs(10),
            quote_attempts: 3,
            probe_interval: Duration::from_secs(60),
            unhealthy_after: Duration::from_secs(600),
        }
    }
}

/// Time in force of the orders placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum TimeInForce {
    /// Good for the trading day.
    #[serde(rename = "DAY")]
    Day,
    /// Good until cancelled.
    #[serde(rename = "GTC")]
    Gtc,
}

/// What to do about working orders someone else placed on a symbol the plan trades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ForeignOrders {
    /// Fail the account and list the orders: trading on top of them could double a trade.
    #[default]
    Fail,
    /// Trade anyway.
    Ignore,
}

/// Parameters of the trade calculator and the order executor.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct TradingSettings {
    /// Cash (USD) never spent on buys. Default 0.
    #[serde(deserialize_with = "non_negative")]
    pub minimum_cash_reserve_usd: f64,
    /// Room for commissions: after a plan the account keeps (1 − 1/this) of its net
    /// liquidation above `minimum_cash_reserve_usd` in cash. Default 1.01 (about 1 %).
    #[serde(deserialize_with = "at_least_one")]
    pub commission_divisor: f64,
    /// After a plan the account keeps at least (1 − this) of its net liquidation in cash.
    /// Default 0.99.
    #[serde(deserialize_with = "unit_fraction")]
    pub max_account_utilization: f64,
    /// Time in force of every order: `DAY` or `GTC`. Default `DAY`.
    pub order_tif: TimeInForce,
    /// Buy limit price = ask × (1 + this / 100). Default 0.5.
    #[serde(deserialize_with = "percent")]
    pub buy_slippage_percent: f64,
    /// A position within this many percentage points of its target is left alone. Default 1.0.
    #[serde(deserialize_with = "percent")]
    pub allocation_threshold_percent: f64,
    /// Longest wait for the orders of one phase (sells, then buys) to fill. Default 300 s.
    #[serde(
        rename = "order_timeout_seconds",
        deserialize_with = "positive_seconds",
        serialize_with = "as_seconds"
    )]
    pub order_timeout: Duration,
    /// An order no update has confirmed this long after it was sent is looked up at the
    /// gateway (open orders and the day's executions) and, while still unconfirmed, again
    /// after each such wait; one the gateway has no record of is reported as never placed.
    /// Default 10 s.
    #[serde(
        rename = "order_ack_timeout_seconds",
        deserialize_with = "positive_seconds",
        serialize_with = "as_seconds"
    )]
    pub order_ack_timeout: Duration,
    /// On a stop (SIGTERM), cancel the run's working orders rather than leave them. Default true.
    pub cancel_orders_on_stop: bool,
    /// Risk guard: no single order may be worth more than this percent of net liquidation;
    /// a plan with one is refused and nothing is placed. Default 100 (an order larger than
    /// the whole account); tighten it to suit the strategies followed.
    #[serde(deserialize_with = "percent")]
    pub max_order_percent: f64,
    /// Risk guard: the orders of one plan together may be worth at most this percent of net
    /// liquidation (a full switch of holdings is about 200). Default 200.
    #[serde(deserialize_with = "turnover_percent")]
    pub max_turnover_percent: f64,
    /// A replacement scale above 1 takes its extra weight from the targets not replaced,
    /// which keep at least this fraction of their weight; a set needing more is refused.
    /// Default 0.1 (the Python rebalancer's `minimal_non_replaced_allocation_percent`).
    #[serde(deserialize_with = "fraction")]
    pub min_non_replaced_fraction: f64,
    /// Working orders without the rebalancer's `rb:` reference (placed by hand or another
    /// tool) on a symbol the plan trades: `fail` the account, listing them (the default), or
    /// `ignore` them and trade anyway.
    pub foreign_orders: ForeignOrders,
    /// After the buys fit, spend the cash left above the account's `cash_reserve_percent`
    /// and what it keeps on more shares of the buys, most under-weight first, none taking its
    /// target past its goal by more than half the allocation threshold. Default true.
    pub deploy_surplus_cash: bool,
}

impl Default for TradingSettings {
    fn default() -> Self {
        Self {
            minimum_cash_reserve_usd: 0.0,
            commission_divisor: 1.01,
            max_account_utilization: 0.99,
            order_tif: TimeInForce::Day,
            buy_slippage_percent: 0.5,
            allocation_threshold_percent: 1.0,
            order_timeout: Duration::from_secs(300),
            order_ack_timeout: Duration::from_secs(10),
            cancel_orders_on_stop: true,
            max_order_percent: 100.0,
            max_turnover_percent: 200.0,
            min_non_replaced_fraction: 0.1,
            deploy_surplus_cash: true,
            foreign_orders: ForeignOrders::Fail,
        }
    }
}

/// Where strategy allocations are fetched from.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct AllocationApiSettings {
    /// Base URL; a strategy's targets are at `{base_url}/{strategy}/allocations`.
    /// Default `https://workers.fintech.zehnlabs.com/api/v1/strategies`.
    #[serde(deserialize_with = "http_url")]
    pub base_url: String,
    /// Longest wait for one request. Default 30 s.
    #[serde(
        rename = "timeout_seconds",
        deserialize_with = "positive_seconds",
        serialize_with = "as_seconds"
    )]
    pub timeout: Duration,
    /// Attempts per fetch when requests time out or the API answers 5xx. Default 3.
    #[serde(deserialize_with = "attempts")]
    pub max_attempts: u32,
    /// Wait before the first retry; doubled before each further one. Default 1 s.
    #[serde(
        rename = "retry_delay_seconds",
        deserialize_with = "positive_seconds",
        serialize_with = "as_seconds"
    )]
    pub retry_delay: Duration,
    /// A rebalance whose targets sum more than this below those of the strategy's last
    /// successful rebalance is refused until a person confirms it (a truncated list would
    /// sell most of an account); 1 turns the guard off. Default 0.25.
    #[serde(deserialize_with = "fraction")]
    pub max_weight_drop: f64,
}

impl Default for AllocationApiSettings {
    fn default() -> Self {
        Self {
            base_url: "https://workers.fintech.zehnlabs.com/api/v1/strategies".into(),
            timeout: Duration::from_secs(30),
            max_attempts: 3,
            retry_delay: Duration::from_secs(1),
            max_weight_drop: 0.25,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings, ConfigError> {
        yaml::parse_str::<Settings>(Path::new("config.yaml"), text).map(|p| p.value)
    }

    #[test]
    fn settings_round_trip_through_json() {
        let default = Settings::default();
        let back: Settings =
            serde_json::from_str(&serde_json::to_string(&default).unwrap()).unwrap();
        assert_eq!(
            back, default,
            "defaults, with no ntfy server, round-trip too"
        );
        let mut settings = parse("trading:\n  order_timeout_seconds: 12.5\nnotifications:\n  ntfy_url: https://ntfy.example\n").unwrap();
        settings.gateway.quote_attempts = 5;
        let json = serde_json::to_string(&settings).unwrap();
        assert!(json.contains(r#""order_timeout_seconds":12.5"#), "{json}");
        let back: Settings = serde_json::from_str(&json).unwrap();
        assert_eq!(back, settings);
    }

    #[test]
    fn the_allocation_service_is_the_one_the_python_rebalancer_asks() {
        assert_eq!(
            AllocationApiSettings::default().base_url,
            "https://workers.fintech.zehnlabs.com/api/v1/strategies"
        );
    }

    #[test]
    fn empty_file_and_missing_file_give_defaults() {
        assert_eq!(parse("{}\n").unwrap(), Settings::default());
        assert_eq!(Settings::load(None).unwrap(), Settings::default());
    }

    #[test]
    fn values_override_defaults() {
        let s = parse("trading:\n  buy_slippage_percent: 0.25\n  order_tif: GTC\ngateway:\n  paper_port: 7497\n")
            .unwrap();
        assert_eq!(s.trading.buy_slippage_percent, 0.25);
        assert_eq!(s.trading.order_tif, TimeInForce::Gtc);
        assert_eq!(s.gateway.paper_port, 7497);
        assert_eq!(s.trading.allocation_threshold_percent, 1.0);
    }

    #[test]
    fn unknown_key_is_rejected_with_position() {
        let err = parse("trading:\n  slippage: 1\n").unwrap_err();
        assert_eq!(err.location, Some((2, 3)));
        assert!(
            err.message.starts_with("trading: unknown field `slippage`"),
            "{err}"
        );
    }

    #[test]
    fn percent_outside_range_is_rejected() {
        let err = parse("trading:\n  allocation_threshold_percent: 150\n").unwrap_err();
        assert_eq!(err.location.map(|l| l.0), Some(2));
        assert!(
            err.message.contains(
                "trading.allocation_threshold_percent: must be a percentage from 0 to 100, got 150"
            ),
            "{err}"
        );
        let err = parse("trading:\n  buy_slippage_percent: -1\n").unwrap_err();
        assert!(err.message.contains("buy_slippage_percent"), "{err}");
    }

    #[test]
    fn non_positive_timeouts_are_rejected() {
        for text in [
            "trading:\n  order_timeout_seconds: 0\n",
            "gateway:\n  connect_timeout_seconds: -5\n",
            "allocations:\n  timeout_seconds: 0\n",
        ] {
            let err = parse(text).unwrap_err();
            assert!(
                err.message
                    .contains("must be a number of seconds greater than 0"),
                "{err}"
            );
            assert_eq!(err.location.map(|l| l.0), Some(2), "{err}");
        }
    }

    #[test]
    fn other_bounds_are_checked() {
        let cases = [
            (
                "trading:\n  commission_divisor: 0.5\n",
                "trading.commission_divisor: must be 1 or more",
            ),
            (
                "trading:\n  max_account_utilization: 1.5\n",
                "trading.max_account_utilization: must be greater than 0 and at most 1",
            ),
            (
                "trading:\n  minimum_cash_reserve_usd: -10\n",
                "trading.minimum_cash_reserve_usd: must be 0 or more",
            ),
            (
                "trading:\n  order_tif: IOC\n",
                "trading.order_tif: unknown variant `IOC`",
            ),
            (
                "allocations:\n  base_url: ftp://x\n",
                "allocations.base_url: `ftp://x` is not an http:// or https:// URL",
            ),
            (
                "allocations:\n  max_attempts: 0\n",
                "allocations.max_attempts: must be a whole number from 1 to 20, got 0",
            ),
            (
                "allocations:\n  max_attempts: 2.5\n",
                "allocations.max_attempts: must be a whole number",
            ),
        ];
        for (text, expected) in cases {
            let err = parse(text).unwrap_err();
            assert!(err.message.contains(expected), "{text:?} gave {err}");
        }
    }
}
