//! `supervisor trigger --strategy X [--command C] [--account ID]...`.

use std::path::Path;

use anyhow::Result;
use trading_core::control::{Request, Response};
use trading_core::protocol::Command;

use super::client::call;

/// Asks for a manual run and prints its id.
pub async fn run(
    socket: &Path,
    strategy: String,
    command: Command,
    accounts: Vec<String>,
) -> Result<u8> {
    match call(
        socket,
        &Request::Trigger {
            strategy,
            command,
            accounts,
        },
    )
    .await?
    {
        Response::Accepted { run_id, queued } => {
            println!(
                "{run_id}{}",
                if queued {
                    " (queued behind the running run)"
                } else {
                    ""
                }
            );
            Ok(0)
        }
        other => anyhow::bail!("unexpected answer: {other:?}"),
    }
}
