//! Errors of the Ably client. None of them carries the API key: every message built from
//! a URL or a transport error goes through [`crate::ApiKey::redact`] first.

use std::fmt;

use crate::protocol::ErrorInfo;

/// An error of the Ably client.
#[derive(Debug, thiserror::Error)]
pub enum AblyError {
    /// A configured URL could not be used.
    #[error("invalid {what} URL: {detail}")]
    Url {
        /// Which URL (`realtime` or `REST`).
        what: &'static str,
        /// Why (redacted).
        detail: String,
    },
    /// The websocket could not be opened, or broke.
    #[error("websocket: {0}")]
    Transport(String),
    /// A network wait ran out.
    #[error("timed out after {0:?} waiting for {1}")]
    Timeout(std::time::Duration, &'static str),
    /// Ably answered with an error.
    #[error("Ably error: {0}")]
    Ably(ErrorInfo),
    /// A REST request failed before Ably answered.
    #[error("REST request failed: {0}")]
    Http(String),
    /// A REST response could not be understood.
    #[error("unexpected REST response: {0}")]
    BadResponse(String),
}

impl fmt::Display for ErrorInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (code {}, status {})",
            self.message.as_deref().unwrap_or("no message"),
            self.code.map_or_else(|| "-".to_string(), |c| c.to_string()),
            self.status_code
                .map_or_else(|| "-".to_string(), |c| c.to_string()),
        )
    }
}
