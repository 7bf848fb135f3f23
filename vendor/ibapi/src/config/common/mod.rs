//! Common functionality for the configuration module.

pub(super) mod decoders;
pub(super) mod encoders;
