//! The control socket: newline-delimited JSON requests (see `trading_core::control`) on a
//! Unix socket only its owner can use.
//!
//! - [`socket`]: binding (mode 0600 in a 0700 directory), reading bounded request lines.
//! - [`handlers`]: one small function per request.

pub mod handlers;
pub mod socket;
