//! Worker processes: one per (strategy, command) run, in its own process group, with the job
//! on stdin, events read from stdout and logs from stderr.
//!
//! - [`spawn`]: start a worker with a cleared environment and hand it its job.
//! - [`stop`]: SIGTERM to the group, a grace period, then SIGKILL.
//! - [`reap`]: how a worker ended.

pub mod reap;
pub mod spawn;
pub mod stop;
