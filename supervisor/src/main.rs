//! The supervisor daemon is not built yet: this binary says so instead of pretending.

use std::process::ExitCode;

fn main() -> ExitCode {
    eprintln!(
        "supervisor {}: the daemon is not part of this build yet; \
         use `worker plan` to compute a rebalance offline",
        env!("CARGO_PKG_VERSION")
    );
    ExitCode::from(2)
}
