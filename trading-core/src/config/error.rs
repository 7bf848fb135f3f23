//! The error every configuration loader returns: which file, where in it, and what is wrong.

use std::fmt;
use std::path::{Path, PathBuf};

/// A configuration file that cannot be used, with the place at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ConfigError {
    /// The file at fault (or the environment variable, for settings read from the environment).
    pub file: PathBuf,
    /// Line and column (1-based) of the offending value, when known.
    pub location: Option<(usize, usize)>,
    /// What is wrong, starting with the field path (`accounts[1].type: ...`) when there is one.
    pub message: String,
}

impl ConfigError {
    /// An error about `file` with no position in it (unreadable file, missing file).
    pub fn whole_file(file: &Path, message: impl Into<String>) -> Self {
        Self {
            file: file.to_path_buf(),
            location: None,
            message: message.into(),
        }
    }

    /// An error about the value at `location` in `file`.
    pub fn at(file: &Path, location: Option<(usize, usize)>, message: impl Into<String>) -> Self {
        Self {
            file: file.to_path_buf(),
            location,
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some((line, column)) = self.location {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}", self.message)
    }
}
