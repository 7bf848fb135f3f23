//! Serving the control socket.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use tokio_util::sync::CancellationToken;
use trading_core::control::{LiveEvent, MAX_REQUEST_BYTES, Request, Response};

use super::handlers;
use crate::daemon::Daemon;

/// Binds the socket at `path`: its directory is created 0700 if missing, a stale socket file
/// is replaced, and the socket is made 0600.
pub fn bind(path: &Path) -> std::io::Result<UnixListener> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.exists()
    {
        std::fs::create_dir_all(dir)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    if path.exists() {
        if std::os::unix::net::UnixStream::connect(path).is_ok() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AddrInUse,
                format!("{} is in use by a running supervisor", path.display()),
            ));
        }
        std::fs::remove_file(path)?;
    }
    let listener = UnixListener::bind(path)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    Ok(listener)
}

/// Answers requests until `stop` fires.
pub async fn serve(listener: UnixListener, daemon: Arc<Daemon>, stop: CancellationToken) {
    loop {
        tokio::select! {
            () = stop.cancelled() => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let daemon = daemon.clone();
                    let stop = stop.clone();
                    tokio::spawn(async move {
                        if let Err(err) = answer(stream, &daemon, &stop).await {
                            tracing::warn!(%err, "control connection failed");
                        }
                    });
                }
                Err(err) => tracing::error!(%err, "control socket accept failed"),
            },
        }
    }
}

async fn answer(
    stream: UnixStream,
    daemon: &Daemon,
    stop: &CancellationToken,
) -> std::io::Result<()> {
    let (reader, mut writer) = stream.into_split();
    let mut line = Vec::new();
    let mut limited = BufReader::new(reader.take(MAX_REQUEST_BYTES as u64 + 1));
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        limited.read_until(b'\n', &mut line),
    )
    .await;
    let response = match read {
        Err(_) => Response::Error {
            message: "no request within 10 s".into(),
        },
        Ok(Err(err)) => return Err(err),
        Ok(Ok(_)) if line.len() > MAX_REQUEST_BYTES => {
            tracing::warn!(
                bytes = line.len(),
                "control request rejected: larger than {MAX_REQUEST_BYTES} bytes"
            );
            Response::Error {
                message: format!("request larger than {MAX_REQUEST_BYTES} bytes"),
            }
        }
        Ok(Ok(_)) => match serde_json::from_slice::<Request>(&line) {
            Ok(Request::Subscribe {}) => {
                return stream_live(writer, daemon.scheduler.journal().live(), stop).await;
            }
            Ok(request) => handlers::handle(daemon, request).await,
            Err(err) => {
                tracing::warn!(%err, "control request rejected: not a valid request");
                Response::Error {
                    message: format!("not a valid request: {err}"),
                }
            }
        },
    };
    write_line(&mut writer, &response).await?;
    writer.shutdown().await
}

async fn write_line(
    writer: &mut tokio::net::unix::OwnedWriteHalf,
    value: &impl serde::Serialize,
) -> std::io::Result<()> {
    let mut out = serde_json::to_vec(value).map_err(std::io::Error::other)?;
    out.push(b'\n');
    writer.write_all(&out).await
}

/// Answers `subscribe`: `subscribed`, then every live event as a line until the client
/// hangs up or the daemon stops. A subscriber too slow to keep up is told how many events it
/// missed and carries on; it never holds the daemon back.
async fn stream_live(
    mut writer: tokio::net::unix::OwnedWriteHalf,
    mut live: tokio::sync::broadcast::Receiver<LiveEvent>,
    stop: &CancellationToken,
) -> std::io::Result<()> {
    write_line(&mut writer, &Response::Subscribed {}).await?;
    loop {
        let event = tokio::select! {
            () = stop.cancelled() => break,
            received = live.recv() => match received {
                Ok(event) => event,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(count)) => {
                    LiveEvent::Missed { count }
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            },
        };
        tokio::time::timeout(LIVE_WRITE_TIMEOUT, write_line(&mut writer, &event))
            .await
            .map_err(|_| {
                std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "a subscriber stopped reading: dropped",
                )
            })??;
    }
    writer.shutdown().await
}

/// Longest a subscriber may take to accept one event line before it is dropped.
const LIVE_WRITE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
