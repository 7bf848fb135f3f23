//! Rewriting a strategy's targets through an account's replacement set.

use std::collections::HashMap;

use crate::allocations::Allocation;
use crate::config::Replacement;

/// Targets with every replaced symbol rewritten to its replacement and its weight scaled;
/// targets that end up on the same symbol are merged, in order of first appearance.
pub fn apply_replacements(targets: &[Allocation], replacements: &[Replacement]) -> Vec<Allocation> {
    let mut out: Vec<Allocation> = Vec::with_capacity(targets.len());
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(targets.len());
    for target in targets {
        let (symbol, weight) = match replacements.iter().find(|r| r.source == target.symbol) {
            Some(r) => (r.target.as_str(), target.weight * r.scale),
            None => (target.symbol.as_str(), target.weight),
        };
        match index.get(symbol) {
            Some(&at) => out[at].weight += weight,
            None => {
                index.insert(symbol, out.len());
                out.push(Allocation {
                    symbol: symbol.to_string(),
                    weight,
                });
            }
        }
    }
    out
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

    #[test]
    fn rewrites_scales_and_merges() {
        let targets = [alloc("SPY", 0.5), alloc("VOO", 0.2), alloc("BND", 0.3)];
        let got = apply_replacements(&targets, &[rep("SPY", "VOO", 1.0), rep("BND", "AGG", 0.5)]);
        assert_eq!(got, vec![alloc("VOO", 0.7), alloc("AGG", 0.15)]);
    }

    #[test]
    fn no_replacements_is_identity() {
        let targets = [alloc("SPY", 0.5), alloc("BND", 0.5)];
        assert_eq!(apply_replacements(&targets, &[]), targets.to_vec());
    }
}
