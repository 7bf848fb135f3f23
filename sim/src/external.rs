//! Tests that need a tool from outside the workspace (Python with venv and PyPI for
//! `ib_async`, `systemd-analyze`). With `REQUIRE_EXTERNAL_TESTS=1` (CI sets it) a missing
//! tool fails the test; without it (a contributor's machine) the test is skipped, and the
//! skip is written straight to the terminal's stderr, past libtest's output capture, so it
//! shows in the test run's output even though the test passes.

use std::fmt::Display;
use std::io::Write;

/// The variable that turns a missing prerequisite from a skip into a failure.
pub const REQUIRE_VAR: &str = "REQUIRE_EXTERNAL_TESTS";

/// Whether missing prerequisites must fail tests (`REQUIRE_EXTERNAL_TESTS` set and not `0`).
pub fn required() -> bool {
    std::env::var(REQUIRE_VAR).is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Says that `test` cannot run because `why`: panics when prerequisites are required,
/// otherwise reports the skip where libtest does not hide it. The caller returns after it.
pub fn missing(test: &str, why: impl Display) {
    if required() {
        panic!("{test}: {why} ({REQUIRE_VAR} is set, so this fails instead of skipping)");
    }
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(
        stderr,
        "SKIPPED {test}: {why} (set {REQUIRE_VAR}=1 to make this a failure)"
    );
}
