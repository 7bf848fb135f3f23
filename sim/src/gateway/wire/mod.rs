//! The TWS API wire format: framing, message ids, protobuf messages and encoders.

pub mod encode;
pub mod frame;
pub mod ids;
pub mod proto;
