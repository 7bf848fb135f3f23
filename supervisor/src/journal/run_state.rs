//! The run state machine: the states a run passes through and the only moves between them.
//! Every state change goes through [`Journal::transition`](super::Journal::transition), a
//! conditional update (`UPDATE ... WHERE state IN (allowed sources)`), so a run starts at most
//! once even when two paths race to start it.
//!
//! | from | to |
//! |---|---|
//! | queued | running, scheduled, held, failed, cancelled, expired |
//! | scheduled | queued, scheduled, held, cancelled, expired |
//! | held | queued, scheduled, cancelled, expired |
//! | running | succeeded, failed, interrupted, cancelled |
//! | succeeded, failed, interrupted, cancelled, expired | nothing: they are final |
//!
//! A run is created `queued` (to start when its strategy is free) or `scheduled` (to start at
//! a time); an interrupted run is never restarted: recovery creates its next attempt.

use super::JournalError;

/// Where a run is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RunState {
    /// Waiting for its start time: a retry, a recovery or an event outside market hours.
    Scheduled,
    /// Waiting for its strategy to be resumed (`supervisor pause`).
    Held,
    /// Waiting for the strategy's current run, or for gateway connections.
    Queued,
    /// A worker is running it.
    Running,
    /// Every account ended ok.
    Succeeded,
    /// Some account failed.
    Failed,
    /// The supervisor stopped or died while it ran; its next attempt resumes it.
    Interrupted,
    /// Cancelled by request, or left with nothing to do (PDT deferral).
    Cancelled,
    /// Too old to be served when its turn came; nothing was traded.
    Expired,
}

/// Every state, for tables and tests.
pub const ALL_STATES: [RunState; 9] = [
    RunState::Scheduled,
    RunState::Held,
    RunState::Queued,
    RunState::Running,
    RunState::Succeeded,
    RunState::Failed,
    RunState::Interrupted,
    RunState::Cancelled,
    RunState::Expired,
];

/// The allowed moves: each target state with the states it may be reached from.
const TRANSITIONS: [(RunState, &[RunState]); 9] = [
    (RunState::Queued, &[RunState::Scheduled, RunState::Held]),
    (
        RunState::Scheduled,
        &[RunState::Queued, RunState::Scheduled, RunState::Held],
    ),
    (RunState::Held, &[RunState::Queued, RunState::Scheduled]),
    (RunState::Running, &[RunState::Queued]),
    (RunState::Succeeded, &[RunState::Running]),
    (RunState::Failed, &[RunState::Running, RunState::Queued]),
    (RunState::Interrupted, &[RunState::Running]),
    (
        RunState::Cancelled,
        &[
            RunState::Running,
            RunState::Queued,
            RunState::Scheduled,
            RunState::Held,
        ],
    ),
    (
        RunState::Expired,
        &[RunState::Queued, RunState::Scheduled, RunState::Held],
    ),
];

impl RunState {
    /// The stored name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Held => "held",
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Interrupted => "interrupted",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
        }
    }

    /// The state stored as `name`.
    pub fn parse(name: &str) -> Result<Self, JournalError> {
        ALL_STATES
            .into_iter()
            .find(|s| s.name() == name)
            .ok_or_else(|| JournalError::Corrupt(format!("run state `{name}`")))
    }

    /// The states a run may move to this one from.
    pub fn sources(self) -> &'static [RunState] {
        TRANSITIONS
            .iter()
            .find(|(to, _)| *to == self)
            .map_or(&[], |(_, from)| from)
    }

    /// Whether a run may move from `self` to `to`.
    pub fn can_move_to(self, to: RunState) -> bool {
        to.sources().contains(&self)
    }

    /// Whether nothing more happens to a run in this state.
    pub fn is_final(self) -> bool {
        ALL_STATES.iter().all(|to| !self.can_move_to(*to))
    }
}

/// A state change to make, with what it records.
#[derive(Debug, Clone, PartialEq)]
pub struct StateChange {
    /// The new state.
    pub to: RunState,
    /// For `scheduled`: the start time (ms).
    pub not_before: Option<i64>,
    /// For final states: the worst worker exit code.
    pub exit_code: Option<i32>,
    /// For final states: what went wrong, for people.
    pub error: Option<String>,
}

impl StateChange {
    /// A move to `to` that records nothing else.
    pub fn to(to: RunState) -> Self {
        Self {
            to,
            not_before: None,
            exit_code: None,
            error: None,
        }
    }

    /// A move to `scheduled`, starting at `not_before` (ms).
    pub fn scheduled_at(not_before: i64) -> Self {
        Self {
            not_before: Some(not_before),
            ..Self::to(RunState::Scheduled)
        }
    }

    /// A move to a final state with its exit code and error.
    pub fn ended(to: RunState, exit_code: Option<i32>, error: Option<String>) -> Self {
        Self {
            exit_code,
            error,
            ..Self::to(to)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for state in ALL_STATES {
            assert_eq!(RunState::parse(state.name()).unwrap(), state);
        }
        assert!(RunState::parse("paused").is_err());
    }

    #[test]
    fn a_run_starts_only_from_queued() {
        let starters: Vec<_> = ALL_STATES
            .into_iter()
            .filter(|s| s.can_move_to(RunState::Running))
            .collect();
        assert_eq!(starters, [RunState::Queued]);
    }

    #[test]
    fn final_states_are_final_and_the_others_are_not() {
        let finals: Vec<_> = ALL_STATES.into_iter().filter(|s| s.is_final()).collect();
        assert_eq!(
            finals,
            [
                RunState::Succeeded,
                RunState::Failed,
                RunState::Interrupted,
                RunState::Cancelled,
                RunState::Expired
            ]
        );
    }

    #[test]
    fn every_state_appears_once_as_a_target() {
        for state in ALL_STATES {
            let count = TRANSITIONS.iter().filter(|(to, _)| *to == state).count();
            assert_eq!(count, 1, "{}", state.name());
        }
    }

    #[test]
    fn a_running_run_cannot_go_back_to_waiting() {
        for waiting in [RunState::Queued, RunState::Scheduled, RunState::Held] {
            assert!(
                !RunState::Running.can_move_to(waiting),
                "{}",
                waiting.name()
            );
        }
    }
}
