//! One port for both protocols, as Ably's hosts serve both: each accepted connection's
//! request head is peeked at; a websocket upgrade goes to the realtime session, anything
//! else is handed to the REST router through an in-process listener.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};

use crate::ably::hub::Hub;
use crate::ably::{realtime, rest};

/// The longest wait for a request head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest request head looked at.
const HEAD_LIMIT: usize = 8192;

/// Hands plain HTTP connections to axum.
struct Handoff {
    rx: mpsc::Receiver<(TcpStream, SocketAddr)>,
    local: SocketAddr,
}

impl axum::serve::Listener for Handoff {
    type Io = TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.rx.recv().await {
            Some(accepted) => accepted,
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}

/// Serves `listener` until `shutdown` turns true.
pub(crate) fn spawn(listener: TcpListener, hub: Arc<Hub>, mut shutdown: watch::Receiver<bool>) {
    let local = listener
        .local_addr()
        .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)));
    let (to_rest, rx) = mpsc::channel(64);
    let app = rest::router(hub.clone());
    let mut rest_shutdown = shutdown.clone();
    tokio::spawn(async move {
        let server = axum::serve(Handoff { rx, local }, app).with_graceful_shutdown(async move {
            let _ = rest_shutdown.wait_for(|stop| *stop).await;
        });
        let _ = server.await;
    });
    tokio::spawn(async move {
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let Ok((stream, peer)) = accepted else { continue };
                    let hub = hub.clone();
                    let to_rest = to_rest.clone();
                    tokio::spawn(async move {
                        match is_websocket_upgrade(&stream).await {
                            Some(true) => realtime::serve(hub, stream).await,
                            Some(false) => {
                                let _ = to_rest.send((stream, peer)).await;
                            }
                            None => {}
                        }
                    });
                }
                _ = shutdown.wait_for(|stop| *stop) => break,
            }
        }
    });
}

/// Whether the request head on `stream` asks for a websocket; `None` if no head came.
async fn is_websocket_upgrade(stream: &TcpStream) -> Option<bool> {
    let mut buf = vec![0u8; HEAD_LIMIT];
    let deadline = tokio::time::Instant::now() + HEAD_TIMEOUT;
    let mut seen = 0;
    loop {
        let n = tokio::time::timeout_at(deadline, stream.peek(&mut buf))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            return None;
        }
        if let Some(end) = find_head_end(&buf[..n]) {
            return Some(head_is_upgrade(&buf[..end]));
        }
        if n == buf.len() {
            return Some(head_is_upgrade(&buf[..n]));
        }
        if n == seen {
            // Peeking does not consume: wait a moment for more bytes instead of spinning.
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        seen = n;
    }
}

fn find_head_end(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| p + 4)
}

fn head_is_upgrade(head: &[u8]) -> bool {
    String::from_utf8_lossy(head).lines().skip(1).any(|line| {
        line.split_once(':').is_some_and(|(name, value)| {
            name.trim().eq_ignore_ascii_case("upgrade")
                && value.trim().eq_ignore_ascii_case("websocket")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_websocket_upgrades_only() {
        let ws =
            b"GET /?key=x HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
        assert_eq!(find_head_end(ws), Some(ws.len()));
        assert!(head_is_upgrade(ws));
        let get = b"GET /channels/c/messages HTTP/1.1\r\nHost: h\r\n\r\n";
        assert!(!head_is_upgrade(get));
        assert_eq!(find_head_end(b"GET / HTTP/1.1\r\n"), None);
    }
}
