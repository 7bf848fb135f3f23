//! `sim demo`, the README's first command, on the binaries this build produced.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::process::Command;

#[test]
fn the_demo_converges_every_account() {
    let sim = env!("CARGO_BIN_EXE_sim");
    for binary in ["supervisor", "worker"] {
        sim::bins::path(binary);
    }
    let out = Command::new(sim).arg("demo").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "demo failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("Demo: 7 paper accounts, 2 strategies"),
        "{stdout}"
    );
    assert_eq!(stdout.matches("· succeeded").count(), 2, "{stdout}");
    assert!(
        stdout.contains("All 7 accounts converged to their targets."),
        "{stdout}"
    );
    assert!(!stdout.contains("not converged"), "{stdout}");
}
