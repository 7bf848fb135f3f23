//! # Display Groups
//!
//! This module provides functionality for subscribing to TWS Display Group events.
//! Display Groups in TWS allow users to organize contracts into color-coded groups
//! (e.g., Group 1 = Red, Group 2 = Orange, etc.).
//!
//! When subscribed to a display group, you receive updates whenever the user
//! changes the contract displayed in that group within TWS.
//! The groups visible in TWS can also be listed.

pub(crate) mod common;

#[cfg(feature = "async")]
pub(crate) mod r#async;

#[cfg(feature = "sync")]
pub(crate) mod sync;

use common::encoders;

pub use common::DisplayGroupUpdate;

#[cfg(all(feature = "sync", not(feature = "async")))]
pub use sync::DisplayGroupSubscription;

#[cfg(feature = "async")]
pub use r#async::DisplayGroupSubscription;
