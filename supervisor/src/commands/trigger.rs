//! `supervisor trigger --strategy X [--command C] [--account ID]... [--at-open]`.

use std::path::Path;

use anyhow::Result;
use trading_core::control::Request;
use trading_core::protocol::Command;

use super::client::{call, print_accepted};

/// Asks for a manual run and prints its id.
pub async fn run(
    socket: &Path,
    strategy: String,
    command: Command,
    accounts: Vec<String>,
    at_open: bool,
) -> Result<u8> {
    print_accepted(
        call(
            socket,
            &Request::Trigger {
                strategy,
                command,
                accounts,
                at_open,
            },
        )
        .await?,
    )
}
