//! `supervisor pause [--strategy X]` and `supervisor resume [--strategy X]`.

use std::path::Path;

use anyhow::{Result, bail};
use trading_core::control::{Request, Response};

use super::client::call;

/// Sends a pause or resume request and prints what is paused and what was released.
pub async fn run(socket: &Path, request: Request) -> Result<u8> {
    let Response::Paused { paused, released } = call(socket, &request).await? else {
        bail!("unexpected answer");
    };
    println!(
        "paused: {}",
        if paused.is_empty() {
            "nothing".to_string()
        } else {
            paused.join(", ")
        }
    );
    for run in released {
        println!("released {run}");
    }
    Ok(0)
}
