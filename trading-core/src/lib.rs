//! The rebalancer's library: everything a worker needs that is not process plumbing.
//!
//! - [`config`]: `accounts.yaml`, `config.yaml`, `replacement-sets.yaml`, TRADING_MODE.
//! - [`allocations`]: fetching and validating a strategy's target allocations.
//! - [`snapshot`]: an account's cash, positions and quotes, the calculator's input.
//! - [`calculator`]: the pure trade calculator turning a snapshot and targets into a plan.

pub mod allocations;
pub mod calculator;
pub mod config;
pub mod snapshot;
