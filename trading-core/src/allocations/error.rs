//! Why a strategy's allocations could not be used. Every variant about a response names the
//! strategy; none ever holds the API key.

/// A failed fetch or a response that fails validation. No orders follow either.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AllocationError {
    /// The client cannot be set up: a base URL that takes no path, a key that is not a
    /// valid header value, no TLS backend.
    #[error("cannot set up the allocation API client: {0}")]
    ClientSetup(String),
    /// The API could not be reached or kept failing (timeouts, connection errors, 5xx).
    #[error("allocations for `{strategy}`: no answer after {attempts} attempt(s): {reason}")]
    Unavailable {
        /// Strategy name.
        strategy: String,
        /// Attempts made.
        attempts: u32,
        /// The last failure.
        reason: String,
    },
    /// The API refused the request (4xx): wrong key, unknown strategy. Not retried.
    #[error("allocations for `{strategy}`: the API refused the request with HTTP {status}: {body}")]
    Refused {
        /// Strategy name.
        strategy: String,
        /// HTTP status code.
        status: u16,
        /// Start of the response body, for the operator.
        body: String,
    },
    /// The body is not JSON of the documented shape.
    #[error("allocations for `{strategy}`: the response is not of the expected shape: {reason}")]
    Malformed {
        /// Strategy name.
        strategy: String,
        /// What the parser objected to.
        reason: String,
    },
    /// The response's `status` is not `success`.
    #[error("allocations for `{strategy}`: the API answered status `{status}`{detail}")]
    NotSuccess {
        /// Strategy name.
        strategy: String,
        /// The status given.
        status: String,
        /// The API's message, prefixed with `: `, or empty.
        detail: String,
    },
    /// The list of allocations is empty.
    #[error("allocations for `{strategy}`: the list of allocations is empty")]
    Empty {
        /// Strategy name.
        strategy: String,
    },
    /// An entry has no usable symbol.
    #[error("allocations for `{strategy}`: entry {index} has no valid symbol ({found})")]
    BadSymbol {
        /// Strategy name.
        strategy: String,
        /// Zero-based position in the list.
        index: usize,
        /// What was found instead.
        found: String,
    },
    /// A symbol appears twice.
    #[error(
        "allocations for `{strategy}`: `{symbol}` appears twice (entries {first} and {second})"
    )]
    DuplicateSymbol {
        /// Strategy name.
        strategy: String,
        /// The repeated symbol.
        symbol: String,
        /// First entry with it.
        first: usize,
        /// Second entry with it.
        second: usize,
    },
    /// A weight is missing, negative or not finite.
    #[error(
        "allocations for `{strategy}`: entry {index} (`{symbol}`) has weight {weight}, expected a finite number ≥ 0"
    )]
    BadWeight {
        /// Strategy name.
        strategy: String,
        /// Zero-based position in the list.
        index: usize,
        /// The entry's symbol.
        symbol: String,
        /// The weight given, as text.
        weight: String,
    },
    /// Weights sum above 1 (beyond [`super::SUM_TOLERANCE`]).
    #[error("allocations for `{strategy}`: weights sum to {sum}, above 1")]
    SumAboveOne {
        /// Strategy name.
        strategy: String,
        /// The sum.
        sum: f64,
    },
    /// Every weight is zero.
    #[error("allocations for `{strategy}`: weights sum to 0")]
    SumZero {
        /// Strategy name.
        strategy: String,
    },
}
