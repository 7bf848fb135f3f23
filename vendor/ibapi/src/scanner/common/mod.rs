pub(super) mod decoders;
pub(super) mod encoders;
pub(crate) mod stream_decoders;

#[cfg(test)]
pub(crate) mod test_tables;
