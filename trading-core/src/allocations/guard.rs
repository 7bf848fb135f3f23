//! The guard against a broken allocation list. A strategy may hold cash, so no fixed floor
//! on the total weight is right; what is never normal is the total dropping abruptly from
//! the targets the strategy was last rebalanced to (a truncated list of 0.3 would sell most
//! of an account at market). A full switch from one complete allocation to another keeps
//! the total and passes. A person who knows the drop is real confirms it once
//! (`supervisor trigger --confirm-targets`).

use serde::{Deserialize, Serialize};

use super::Allocation;

/// The targets of a strategy's last successful rebalance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreviousTargets {
    /// The run that traded against them.
    pub run_id: String,
    /// The targets.
    pub targets: Vec<Allocation>,
}

/// Refuses `current` when its total weight is more than `max_drop` below `previous`'s.
pub fn check_weight_drop(
    previous: &PreviousTargets,
    current: &[Allocation],
    max_drop: f64,
) -> Result<(), String> {
    let total = |list: &[Allocation]| list.iter().map(|a| a.weight).sum::<f64>();
    let (before, now) = (total(&previous.targets), total(current));
    if before - now > max_drop + 1e-9 {
        Err(format!(
            "the targets sum to {now:.2}, down from {before:.2} at the last successful rebalance (run {}), more than allocations.max_weight_drop ({max_drop:.2}); nothing was traded. If the strategy really moved to cash, confirm with `supervisor trigger --strategy STRATEGY --confirm-targets`",
            previous.run_id
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(weights: &[(&str, f64)]) -> Vec<Allocation> {
        weights
            .iter()
            .map(|(s, w)| Allocation {
                symbol: s.to_string(),
                weight: *w,
            })
            .collect()
    }

    fn previous() -> PreviousTargets {
        PreviousTargets {
            run_id: "alpha-1".into(),
            targets: list(&[("VTI", 0.6), ("BND", 0.4)]),
        }
    }

    #[test]
    fn a_full_switch_between_complete_allocations_passes() {
        assert!(
            check_weight_drop(&previous(), &list(&[("VXUS", 0.7), ("GLD", 0.3)]), 0.25).is_ok()
        );
        assert!(
            check_weight_drop(&previous(), &list(&[("VTI", 0.8)]), 0.25).is_ok(),
            "a 0.2 move to cash"
        );
    }

    #[test]
    fn a_truncated_list_is_refused_with_the_numbers() {
        let err = check_weight_drop(&previous(), &list(&[("VTI", 0.3)]), 0.25).unwrap_err();
        assert!(err.starts_with("the targets sum to 0.30, down from 1.00 at the last successful rebalance (run alpha-1)"), "{err}");
        assert!(err.contains("--confirm-targets"), "{err}");
        assert!(
            check_weight_drop(&previous(), &list(&[("VTI", 0.3)]), 1.0).is_ok(),
            "1 turns it off"
        );
    }
}
