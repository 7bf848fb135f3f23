pub(super) mod decoders;
pub(super) mod encoders;

// Narrow re-exports: only the items other domains call escape `realtime::common`.
pub(crate) use decoders::decode_tick_option_computation_proto;
#[cfg(test)]
pub(crate) use encoders::encode_request_market_data_type;
pub(crate) use encoders::{encode_cancel_market_data, encode_request_market_data};
