//! The rebalancer's library: what the worker and the supervisor share, so neither binary
//! depends on the other. Most of it is the worker's trading logic; [`calendar`] (market
//! hours) and [`control`] (the control socket's messages) serve the supervisor and its
//! command-line clients, and [`config`] and [`protocol`] both.
//!
//! - [`calendar`]: the US equity market calendar (sessions, holidays, early closes).
//! - [`config`]: `accounts.yaml`, `config.yaml`, `replacement-sets.yaml`, TRADING_MODE.
//! - [`allocations`]: fetching and validating a strategy's target allocations.
//! - [`snapshot`]: an account's cash, positions and quotes, the calculator's input.
//! - [`calculator`]: the pure trade calculator turning a snapshot and targets into a plan.
//! - [`broker`]: the gateway connection seam, with an in-memory broker for tests.
//! - [`executor`]: one account's rebalance over a broker: sells, fills, buys, report.
//! - [`protocol`]: the worker's job (stdin) and events (stdout).
//! - [`control`]: the supervisor's control socket requests and responses.

pub mod allocations;
pub mod broker;
pub mod calculator;
pub mod calendar;
pub mod config;
pub mod control;
pub mod executor;
pub mod protocol;
pub mod snapshot;
