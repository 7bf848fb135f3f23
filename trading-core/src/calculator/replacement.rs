//! Rewriting a strategy's targets through an account's replacement set, as the Python
//! rebalancer does: a replaced target takes its replacement's symbol and its weight times
//! the scale; the weight a scale above 1 adds is taken from the targets not replaced,
//! proportionally, so the total stays what the strategy published. The targets not replaced
//! keep at least a floor fraction of their weight; a set that would take more is refused
//! with the arithmetic (where the Python system shrank them to the floor and normalised).

use std::collections::{HashMap, HashSet};

use crate::allocations::Allocation;
use crate::config::Replacement;

/// Targets after replacement, with a warning for each weight rescaled.
#[derive(Debug, Clone, PartialEq)]
pub struct Replaced {
    /// The targets to plan for.
    pub targets: Vec<Allocation>,
    /// What was rescaled, for the plan's warnings.
    pub warnings: Vec<String>,
}

/// A replacement set that needs more weight than the targets not replaced may give.
#[derive(Debug, Clone, PartialEq)]
pub struct DoesNotFit {
    /// Extra weight the scales add.
    pub needed: f64,
    /// Weight of the targets not replaced.
    pub others: f64,
    /// The fraction of it they keep at least.
    pub floor: f64,
}

impl std::fmt::Display for DoesNotFit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the replacement scales add {:.4} of weight, but the targets not replaced hold {:.4} and keep at least {:.0}% of it, so they can give only {:.4}",
            self.needed,
            self.others,
            self.floor * 100.0,
            self.others * (1.0 - self.floor)
        )
    }
}

/// The symbols a plan needs quotes for: every target's, after replacement.
pub fn replaced_symbols(targets: &[Allocation], replacements: &[Replacement]) -> Vec<String> {
    let mut seen = HashSet::new();
    targets
        .iter()
        .map(|t| {
            replacements
                .iter()
                .find(|r| r.source == t.symbol)
                .map_or(t.symbol.as_str(), |r| r.target.as_str())
        })
        .filter(|s| seen.insert(*s))
        .map(str::to_string)
        .collect()
}

/// Rewrites `targets` through `replacements`. Targets that end on the same symbol are
/// merged, in order of first appearance. A replacement's target symbol (and a target the
/// strategy already had on it) is not shrunk to make room; the others are, by one factor,
/// never below `floor` of their weight.
pub fn apply_replacements(
    targets: &[Allocation],
    replacements: &[Replacement],
    floor: f64,
) -> Result<Replaced, DoesNotFit> {
    let mut out: Vec<Allocation> = Vec::with_capacity(targets.len());
    let mut index: HashMap<String, usize> = HashMap::with_capacity(targets.len());
    let mut replaced: HashSet<String> = HashSet::new();
    let mut warnings = Vec::new();
    let mut extra = 0.0;
    for target in targets {
        let (symbol, weight) = match replacements.iter().find(|r| r.source == target.symbol) {
            Some(r) => {
                replaced.insert(r.target.clone());
                let weight = target.weight * r.scale;
                if r.scale != 1.0 {
                    extra += weight - target.weight;
                    warnings.push(format!(
                        "replacement: {} holds {:.2}× the weight of {} ({:.4} → {weight:.4})",
                        r.target, r.scale, r.source, target.weight
                    ));
                }
                (r.target.clone(), weight)
            }
            None => (target.symbol.clone(), target.weight),
        };
        match index.get(&symbol) {
            Some(&at) => out[at].weight += weight,
            None => {
                index.insert(symbol.clone(), out.len());
                out.push(Allocation { symbol, weight });
            }
        }
    }
    if extra > 0.0 {
        let others: f64 = out
            .iter()
            .filter(|t| !replaced.contains(&t.symbol))
            .map(|t| t.weight)
            .sum();
        if extra > others * (1.0 - floor) {
            return Err(DoesNotFit {
                needed: extra,
                others,
                floor,
            });
        }
        let factor = (others - extra) / others;
        for target in out.iter_mut().filter(|t| !replaced.contains(&t.symbol)) {
            target.weight *= factor;
        }
        warnings.push(format!(
            "replacement: the targets not replaced are scaled by {factor:.4} to make room for {extra:.4} of weight"
        ));
    }
    Ok(Replaced {
        targets: out,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alloc(symbol: &str, weight: f64) -> Allocation {
        Allocation {
            symbol: symbol.into(),
            weight,
        }
    }

    fn rep(source: &str, target: &str, scale: f64) -> Replacement {
        Replacement {
            source: source.into(),
            target: target.into(),
            scale,
        }
    }

    /// The Python rebalancer's shipped `ira` set.
    fn ira() -> Vec<Replacement> {
        vec![
            rep("DBC", "PDBC", 1.0),
            rep("UUP", "USDU", 1.0),
            rep("VIXY", "VXX", 1.0),
            rep("VIXM", "VXZ", 1.0),
            rep("UVXY", "VXX", 1.5),
            rep("SVXY", "USMV", 1.0),
        ]
    }

    fn weights(replaced: &Replaced) -> Vec<(String, f64)> {
        replaced
            .targets
            .iter()
            .map(|t| (t.symbol.clone(), (t.weight * 1e9).round() / 1e9))
            .collect()
    }

    #[test]
    fn rewrites_scales_and_merges() {
        let targets = [alloc("SPY", 0.5), alloc("VOO", 0.2), alloc("BND", 0.3)];
        let got = apply_replacements(
            &targets,
            &[rep("SPY", "VOO", 1.0), rep("BND", "AGG", 0.5)],
            0.1,
        )
        .unwrap();
        assert_eq!(got.targets, vec![alloc("VOO", 0.7), alloc("AGG", 0.15)]);
    }

    #[test]
    fn no_replacements_is_identity() {
        let targets = [alloc("SPY", 0.5), alloc("BND", 0.5)];
        let got = apply_replacements(&targets, &[], 0.1).unwrap();
        assert_eq!(got.targets, targets.to_vec());
        assert!(got.warnings.is_empty());
    }

    #[test]
    fn the_ira_set_makes_room_for_vxx_from_the_others() {
        // UVXY .20 → VXX .30 adds .10; SPY and TLT (.80) shrink by .70/.80 = .875.
        let targets = [alloc("UVXY", 0.2), alloc("SPY", 0.5), alloc("TLT", 0.3)];
        let got = apply_replacements(&targets, &ira(), 0.1).unwrap();
        assert_eq!(
            weights(&got),
            [
                ("VXX".to_string(), 0.3),
                ("SPY".to_string(), 0.4375),
                ("TLT".to_string(), 0.2625)
            ]
        );
        let total: f64 = got.targets.iter().map(|t| t.weight).sum();
        assert!((total - 1.0).abs() < 1e-12, "the published total is kept");
        assert_eq!(got.warnings.len(), 2, "{:?}", got.warnings);
        assert!(
            got.warnings[1].contains("scaled by 0.8750"),
            "{:?}",
            got.warnings
        );
    }

    #[test]
    fn a_target_already_on_the_replacement_is_not_shrunk() {
        // VXX .10 is already a target: with UVXY's .30 it holds .40; SPY and TLT (.70)
        // give the .10 extra: factor .6/.7.
        let targets = [
            alloc("UVXY", 0.2),
            alloc("VXX", 0.1),
            alloc("SPY", 0.4),
            alloc("TLT", 0.3),
        ];
        let got = apply_replacements(&targets, &ira(), 0.1).unwrap();
        let w = weights(&got);
        assert_eq!(w[0], ("VXX".to_string(), 0.4));
        assert!((w[1].1 - 0.4 * 6.0 / 7.0).abs() < 1e-9 && (w[2].1 - 0.3 * 6.0 / 7.0).abs() < 1e-9);
    }

    #[test]
    fn a_set_that_cannot_fit_is_refused_with_the_arithmetic() {
        // UVXY .8 → VXX 1.2 adds .4; SPY holds .2 and keeps 10 %: it can give .18.
        let err =
            apply_replacements(&[alloc("UVXY", 0.8), alloc("SPY", 0.2)], &ira(), 0.1).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the replacement scales add 0.4000 of weight, but the targets not replaced hold 0.2000 and keep at least 10% of it, so they can give only 0.1800"
        );
    }

    #[test]
    fn symbols_are_the_replaced_ones_each_once() {
        let targets = [alloc("UVXY", 0.2), alloc("VIXY", 0.1), alloc("SPY", 0.7)];
        assert_eq!(replaced_symbols(&targets, &ira()), ["VXX", "SPY"]);
    }
}
