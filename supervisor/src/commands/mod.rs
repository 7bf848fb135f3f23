//! The command-line clients of the control socket, one file per command.

pub mod cancel;
pub mod client;
pub mod pause;
pub mod retry;
pub mod runs;
pub mod status;
pub mod trigger;
