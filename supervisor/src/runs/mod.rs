//! Runs: what to run when. One active run per strategy; an event or trigger for a busy
//! strategy becomes one follow-up run (later ones join it); gateway connections are leased
//! under the cap; failed accounts are retried by policy.
//!
//! - [`scheduler`]: submitting, coalescing, starting the next run, retries, cancelling.
//! - [`execute`]: one run: batches under the connection cap, a worker per batch, results.
//! - [`recovery`]: at start, what a previous supervisor left: interrupted runs resumed.
//! - [`catch_up`]: at start, a rebalance for each strategy whose targets changed unseen.
//! - [`market_hours`]: when a rebalance may start.
//! - [`retry_policy`]: when a failed run is tried again.
//! - [`pdt`]: PDT protection, deferring accounts that traded today.

pub mod catch_up;
pub mod execute;
pub mod market_hours;
pub mod pdt;
pub mod recovery;
pub mod retry_policy;
pub mod scheduler;

pub use scheduler::{Scheduler, Submitted};
