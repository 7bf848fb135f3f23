//! `supervisor retry ID`.

use std::path::Path;

use anyhow::Result;
use trading_core::control::Request;

use super::client::{call, print_accepted};

/// Runs a finished run's failed accounts again and prints the new run's id.
pub async fn run(socket: &Path, id: String) -> Result<u8> {
    print_accepted(call(socket, &Request::Retry { id }).await?)
}
