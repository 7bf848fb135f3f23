//! The TWS API wire format: framing, message ids, the two encodings (classic text fields
//! and protobuf) and the requests and replies they carry.

pub mod classic;
pub mod encode;
pub mod encoding;
pub mod frame;
pub mod ids;
pub mod proto;
pub mod request;
