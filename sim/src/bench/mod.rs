//! `sim bench`: measurements that need the real binaries and the simulators together.

pub mod fanout;
pub mod latency;

use std::path::PathBuf;

use anyhow::{Result, bail};

/// The directory holding this `sim` binary, where `supervisor` and `worker` are built too.
pub fn bin_dir() -> Result<PathBuf> {
    let me = std::env::current_exe()?;
    Ok(me.parent().map(PathBuf::from).unwrap_or_default())
}

/// The `worker` binary beside this `sim` binary (both live in the same target directory).
pub fn sibling_binary(name: &str) -> Result<PathBuf> {
    let me = std::env::current_exe()?;
    let path = me.with_file_name(name);
    if !path.is_file() {
        bail!(
            "{} not found; build it first (cargo build --release -p {name})",
            path.display()
        );
    }
    Ok(path)
}
