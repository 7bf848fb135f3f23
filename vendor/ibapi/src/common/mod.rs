//! Common utilities shared across the ibapi crate

pub mod error_helpers;
pub mod request_helpers;
pub mod retry;
pub mod timezone;

#[cfg(test)]
pub mod test_utils;
