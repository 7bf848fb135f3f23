//! How a worker ended.

use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;

/// A worker's end, in the protocol's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: every account ok.
    AllOk,
    /// 1: some account failed.
    SomeFailed,
    /// 2: the job or configuration was bad.
    BadJob,
    /// 143: stopped by a signal it handled.
    Stopped,
    /// Killed by a signal it did not handle (a crash, or SIGKILL).
    Killed(i32),
    /// Any other exit code.
    Other(i32),
}

impl Exit {
    /// Reads an exit status.
    pub fn of(status: ExitStatus) -> Self {
        match (status.code(), status.signal()) {
            (Some(0), _) => Self::AllOk,
            (Some(1), _) => Self::SomeFailed,
            (Some(2), _) => Self::BadJob,
            (Some(143), _) => Self::Stopped,
            (Some(code), _) => Self::Other(code),
            (None, Some(signal)) => Self::Killed(signal),
            (None, None) => Self::Other(-1),
        }
    }

    /// The exit code to journal (signals as 128 + n).
    pub fn code(self) -> i32 {
        match self {
            Self::AllOk => 0,
            Self::SomeFailed => 1,
            Self::BadJob => 2,
            Self::Stopped => 143,
            Self::Killed(signal) => 128 + signal,
            Self::Other(code) => code,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_protocol_exits() {
        assert_eq!(Exit::of(ExitStatus::from_raw(0)), Exit::AllOk);
        assert_eq!(Exit::of(ExitStatus::from_raw(1 << 8)), Exit::SomeFailed);
        assert_eq!(Exit::of(ExitStatus::from_raw(143 << 8)), Exit::Stopped);
        assert_eq!(Exit::of(ExitStatus::from_raw(9)), Exit::Killed(9));
        assert_eq!(Exit::Killed(9).code(), 137);
    }
}
