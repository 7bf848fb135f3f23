//! A strategy's target allocations: the API response, its validation, and the HTTP client.

mod client;
mod error;
mod guard;
mod response;

pub use client::{AllocationClient, ApiKey};
pub use error::AllocationError;
pub use guard::{PreviousTargets, check_weight_drop};
pub use response::parse_response;

use serde::{Deserialize, Serialize};

/// Largest amount by which the weights may sum above 1 (rounding in the publisher's data).
pub const SUM_TOLERANCE: f64 = 1e-6;

/// One target: a symbol and the fraction of the investable value it should hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Allocation {
    /// Upper-cased ticker symbol.
    pub symbol: String,
    /// Fraction in [0, 1]; all weights of a strategy sum to at most 1.
    pub weight: f64,
}
