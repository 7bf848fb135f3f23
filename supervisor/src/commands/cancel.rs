//! `supervisor cancel ID`.

use std::path::Path;

use anyhow::Result;
use trading_core::control::{Request, Response};

use super::client::call;

/// Stops a running run or drops a queued one.
pub async fn run(socket: &Path, id: String) -> Result<u8> {
    match call(socket, &Request::Cancel { id }).await? {
        Response::Cancelled { run_id } => {
            println!("cancel requested for {run_id}");
            Ok(0)
        }
        other => anyhow::bail!("unexpected answer: {other:?}"),
    }
}
