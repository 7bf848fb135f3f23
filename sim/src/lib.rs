//! Test doubles that speak the real wire protocols of the services the rebalancer talks to,
//! for tests and the credential-free demo. Every server binds 127.0.0.1, port 0 in tests.
//!
//! - [`ably`]: Ably's realtime websocket protocol and REST publish/history.
//! - [`allocations`]: the strategy allocation API (HTTP + JSON).
//! - [`gateway`]: IB Gateway, speaking the TWS API socket protocol.
//! - [`logs`]: an in-memory log sink for assertions on what was logged.
//! - [`ntfy`]: a sink for the supervisor's push notifications.
//! - [`process`]: stopping the binaries they start (SIGTERM, bounded wait).
//! - [`sim_up`]: `sim up` started by a test, its printed commands run by a shell.
//! - [`supervisor_socket`]: requests to the real supervisor's control socket.
//! - [`python`]: `ib_async` in a virtual environment, a classic-encoding client.
//! - [`ably_sdk`]: Ably's official Python SDK in a virtual environment, a second Ably client.

pub mod ably;
pub mod ably_sdk;
pub mod allocations;
pub mod bins;
pub mod external;
pub mod gateway;
pub mod logs;
pub mod ntfy;
pub mod process;
pub mod python;
pub mod sim_up;
pub mod supervisor_socket;
