//! What started a run.

use super::JournalError;

/// Why a run exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Trigger {
    /// A strategy event on the realtime channel.
    Event,
    /// `supervisor trigger`.
    Manual,
    /// An automatic retry of a failed run, or `supervisor retry`.
    Retry,
    /// The next attempt of a run that a supervisor stop or crash cut short.
    Recovery,
    /// PDT protection moved an account's rebalance to the next session.
    Pdt,
    /// At start, the strategy's targets differed from those it was last rebalanced to: an
    /// event was missed while the supervisor was away.
    CatchUp,
}

impl Trigger {
    /// Every trigger.
    pub const ALL: [Trigger; 6] = [
        Trigger::Event,
        Trigger::Manual,
        Trigger::Retry,
        Trigger::Recovery,
        Trigger::Pdt,
        Trigger::CatchUp,
    ];

    /// The stored name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Event => "event",
            Self::Manual => "manual",
            Self::Retry => "retry",
            Self::Recovery => "recovery",
            Self::Pdt => "pdt",
            Self::CatchUp => "catch-up",
        }
    }

    /// The trigger stored as `name`.
    pub fn parse(name: &str) -> Result<Self, JournalError> {
        Self::ALL
            .into_iter()
            .find(|t| t.name() == name)
            .ok_or_else(|| JournalError::Corrupt(format!("run trigger `{name}`")))
    }
}

impl std::fmt::Display for Trigger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for trigger in Trigger::ALL {
            assert_eq!(Trigger::parse(trigger.name()).unwrap(), trigger);
        }
        assert!(Trigger::parse("cron").is_err());
    }
}
