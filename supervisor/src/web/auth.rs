//! The bearer token that guards the dashboard's actions: read once from
//! REBALANCER_API_TOKEN, compared in constant time, never logged or shown.

use axum::http::HeaderMap;
use subtle::ConstantTimeEq;

/// The variable the action token is read from.
pub const TOKEN_VARIABLE: &str = "REBALANCER_API_TOKEN";

/// The action token; its `Debug` hides the value.
#[derive(Clone)]
pub struct ApiToken(String);

impl std::fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiToken(..)")
    }
}

impl ApiToken {
    /// The token from the environment; `None` (actions disabled) when unset or empty.
    pub fn from_environment() -> Option<Self> {
        std::env::var(TOKEN_VARIABLE)
            .ok()
            .filter(|t| !t.trim().is_empty())
            .map(Self)
    }

    /// A token with this value (for tests and embedding).
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// Whether `headers` carry `Authorization: Bearer <this token>`.
    pub fn admits(&self, headers: &HeaderMap) -> bool {
        let presented = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        bool::from(presented.as_bytes().ct_eq(self.0.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(axum::http::header::AUTHORIZATION, value.parse().unwrap());
        headers
    }

    #[test]
    fn only_the_exact_bearer_token_is_admitted_and_it_never_shows() {
        let token = ApiToken::new("s3cret-token");
        assert!(token.admits(&with("Bearer s3cret-token")));
        assert!(!token.admits(&with("Bearer s3cret-toke")));
        assert!(!token.admits(&with("Bearer s3cret-token2")));
        assert!(!token.admits(&with("bearer s3cret-token")));
        assert!(!token.admits(&with("s3cret-token")));
        assert!(!token.admits(&HeaderMap::new()));
        assert!(!format!("{token:?}").contains("s3cret"));
    }
}
