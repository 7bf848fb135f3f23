//! The supervisor daemon's library: one module per job, the binary's `main` only wires them.
//! The Ably realtime client is the `ably-client` crate.
//!
//! - [`journal`]: SQLite record of events, runs, account results, orders, resume points.
//! - [`notify`]: ntfy push notifications, rate-limited and never blocking.
//! - [`workers`]: spawning, stopping and reaping worker processes.
//! - [`runs`]: one active run per strategy, coalesced follow-ups, connection leases, retries.
//! - [`strategies`]: each strategy's accounts with their stable client ids.
//! - [`control`]: the Unix control socket and its request handlers.
//! - [`gateway`]: the gateway watch: probes, the state and since when, runs held while down.
//! - [`daemon`]: `supervisor run`, wiring all of the above; [`systemd`]: readiness and watchdog.
//! - [`commands`]: the command-line clients of the control socket.
//! - [`migrate`]: `supervisor migrate`, from the Python rebalancer's files to ours.
//! - [`preflight`]: `supervisor check`, everything the daemon needs, without starting it.
//! - [`web`]: the dashboard's pages and JSON API, served by the `dashboard` binary.

pub mod clock;
pub mod commands;
pub mod control;
pub mod daemon;
pub mod gateway;
pub mod journal;
pub mod migrate;
pub mod notify;
pub mod preflight;
pub mod runs;
pub mod strategies;
pub mod systemd;
pub mod web;
pub mod workers;
