//! `/api/events`: the daemon's live events (runs created or changed, orders placed or
//! filled) as Server-Sent Events, relayed from a `subscribe` on the control socket. At most
//! [`MAX_STREAMS`] at once, so browsers left open cannot pile connections on the daemon.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use futures_util::Stream;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixStream;
use trading_core::control::{LiveEvent, Request, Response};

use super::{WebError, WebState};

/// Live streams served at once.
pub const MAX_STREAMS: usize = 16;

/// The live route.
pub fn routes() -> Router<Arc<WebState>> {
    Router::new().route("/api/events", get(events))
}

async fn events(
    State(state): State<Arc<WebState>>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, WebError> {
    let permit = state
        .streams
        .clone()
        .try_acquire_owned()
        .map_err(|_| WebError::Unavailable(format!("already {MAX_STREAMS} live streams")))?;
    let lines = subscribe(&state).await?;
    let stream = futures_util::stream::unfold((lines, permit), |(mut lines, permit)| async move {
        let line = lines.next_line().await.ok().flatten()?;
        let event = match serde_json::from_str::<LiveEvent>(&line) {
            Ok(LiveEvent::Run { .. }) => Event::default().event("run"),
            Ok(LiveEvent::Order { .. }) => Event::default().event("order"),
            Ok(LiveEvent::Missed { .. }) => Event::default().event("missed"),
            Err(_) => return None,
        };
        Some((Ok(event.data(line)), (lines, permit)))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// Opens a `subscribe` on the daemon's socket; the lines after its `subscribed` answer.
async fn subscribe(
    state: &WebState,
) -> Result<tokio::io::Lines<BufReader<tokio::net::unix::OwnedReadHalf>>, WebError> {
    let unavailable = |e: std::io::Error| {
        WebError::Unavailable(format!(
            "cannot reach the supervisor at {}: {e}",
            state.socket.display()
        ))
    };
    let opened = async {
        let stream = UnixStream::connect(&state.socket)
            .await
            .map_err(unavailable)?;
        let (reader, mut writer) = stream.into_split();
        let mut request = serde_json::to_vec(&Request::Subscribe {})
            .map_err(|e| WebError::Unavailable(e.to_string()))?;
        request.push(b'\n');
        writer.write_all(&request).await.map_err(unavailable)?;
        let mut lines = BufReader::new(reader).lines();
        let answer = lines.next_line().await.map_err(unavailable)?;
        match answer.map(|a| serde_json::from_str::<Response>(&a)) {
            Some(Ok(Response::Subscribed {})) => Ok(lines),
            other => Err(WebError::Unavailable(format!(
                "the supervisor did not subscribe: {other:?}"
            ))),
        }
    };
    tokio::time::timeout(Duration::from_secs(5), opened)
        .await
        .map_err(|_| WebError::Unavailable("the supervisor did not answer within 5 s".into()))?
}
