//! `supervisor trigger --strategy X [--command C] [--account ID]... [--at-open]
//! [--confirm-targets]`.

use std::path::Path;

use anyhow::Result;
use trading_core::control::Request;

use super::client::{call, print_accepted};

/// Sends a manual run's `trigger` request and prints the run's id.
pub async fn run(socket: &Path, trigger: Request) -> Result<u8> {
    print_accepted(call(socket, &trigger).await?)
}
