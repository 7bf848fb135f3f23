//! One handler per control request.

mod cancel;
mod pause;
mod retry;
mod runs;
mod status;
mod trigger;

use trading_core::control::{Request, Response};

use crate::daemon::Daemon;

/// Answers one request.
pub async fn handle(daemon: &Daemon, request: Request) -> Response {
    match request {
        Request::Status {} => status::handle(daemon).await,
        Request::Trigger {
            strategy,
            command,
            accounts,
            at_open,
            confirm_targets,
        } => {
            if confirm_targets {
                daemon.scheduler.confirm_targets(&strategy);
            }
            trigger::handle(daemon, &strategy, command, &accounts, at_open).await
        }
        Request::Runs { strategy, limit } => runs::list(daemon, strategy, limit).await,
        Request::Run { id } => runs::detail(daemon, &id).await,
        Request::Retry { id } => retry::handle(daemon, &id).await,
        Request::Cancel { id } => cancel::handle(daemon, &id).await,
        Request::Pause { strategy } => pause::pause(daemon, strategy).await,
        Request::Resume { strategy } => pause::resume(daemon, strategy).await,
        // The socket streams these itself; a request answered here cannot stream.
        Request::Subscribe {} => error("subscribe is answered by the socket's stream"),
    }
}

/// An error response from anything displayable.
fn error(message: impl std::fmt::Display) -> Response {
    Response::Error {
        message: message.to_string(),
    }
}
