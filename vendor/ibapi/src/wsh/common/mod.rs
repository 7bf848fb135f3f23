//! Common functionality for Wall Street Horizon module

pub(super) mod decoders;
pub(super) mod encoders;
pub(crate) mod stream_decoders;

#[cfg(test)]
pub(crate) mod test_data;

#[cfg(test)]
pub(crate) mod test_tables;
