//! Sending one request to the daemon's control socket.

use std::path::Path;

use anyhow::{Context, Result, bail};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixStream;
use trading_core::control::{Request, Response};

use crate::daemon::CLIENT_TIMEOUT;

/// Sends `request` and returns the daemon's answer; an error response becomes an error.
pub async fn call(socket: &Path, request: &Request) -> Result<Response> {
    let response = exchange(socket, request).await?;
    if let Response::Error { message } = response {
        bail!("{message}");
    }
    Ok(response)
}

/// Sends `request` and returns the daemon's answer, an error response included; fails only
/// when the daemon cannot be reached or does not answer in time.
pub async fn exchange(socket: &Path, request: &Request) -> Result<Response> {
    let exchange = async {
        let stream = UnixStream::connect(socket).await.with_context(|| {
            format!(
                "cannot reach the supervisor at {} (is it running?)",
                socket.display()
            )
        })?;
        let (reader, mut writer) = stream.into_split();
        let mut line = serde_json::to_vec(request)?;
        line.push(b'\n');
        writer.write_all(&line).await?;
        let mut answer = String::new();
        BufReader::new(reader).read_line(&mut answer).await?;
        let response: Response = serde_json::from_str(&answer)
            .with_context(|| format!("unreadable answer from the supervisor: {answer}"))?;
        Ok::<_, anyhow::Error>(response)
    };
    tokio::time::timeout(CLIENT_TIMEOUT, exchange)
        .await
        .with_context(|| format!("the supervisor did not answer within {CLIENT_TIMEOUT:?}"))?
}

/// Prints the run id of an `accepted` answer (noting when it waits behind a running run).
pub fn print_accepted(response: Response) -> Result<u8> {
    let Response::Accepted { run_id, queued } = response else {
        bail!("unexpected answer: {response:?}");
    };
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
