//! Common implementation for display groups functionality.

pub(super) mod decoders;
pub(super) mod encoders;
pub(crate) mod stream_decoders;

pub use stream_decoders::DisplayGroupUpdate;
