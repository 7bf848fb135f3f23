//! The workspace's binaries for tests that start them from another crate (the supervisor's
//! tests start `worker`, the demo test `supervisor` and `worker`). On first use the cargo
//! that runs the tests builds every test target of the workspace into the same target
//! directory and profile: a no-op within `cargo test --workspace`, and what makes
//! `cargo test -p supervisor` work on a clean checkout without ever running a stale binary.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The path of the workspace binary `name`, built first if needed; panics with cargo's
/// output when the build fails, as a test should.
pub fn path(name: &str) -> PathBuf {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    let dir = profile_dir();
    if let Err(failure) = BUILT.get_or_init(|| build(&dir)) {
        panic!("{failure}");
    }
    let binary = dir.join(name);
    assert!(
        binary.is_file(),
        "{} is not a binary of this workspace",
        binary.display()
    );
    binary
}

fn build(dir: &Path) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.args([
        "test",
        "--quiet",
        "--workspace",
        "--all-targets",
        "--no-run",
    ]);
    if dir.file_name().is_some_and(|p| p == "release") {
        command.arg("--release");
    }
    if let Some(target) = dir.parent() {
        command.arg("--target-dir").arg(target);
    }
    let out = command
        .output()
        .map_err(|e| format!("cannot run cargo to build the workspace's binaries: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "building the workspace's binaries failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// The directory of the running test's profile (`target/debug`): tests run from
/// `target/debug/deps`.
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("no current executable: {e}"));
    let deps = exe.parent().unwrap_or(Path::new("."));
    if deps.file_name().is_some_and(|d| d == "deps") {
        deps.parent().unwrap_or(deps).to_path_buf()
    } else {
        deps.to_path_buf()
    }
}
