//! `supervisor retry ID`.

use std::path::Path;

use anyhow::Result;
use trading_core::control::{Request, Response};

use super::client::call;

/// Runs a finished run's failed accounts again and prints the new run's id.
pub async fn run(socket: &Path, id: String) -> Result<u8> {
    match call(socket, &Request::Retry { id }).await? {
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
