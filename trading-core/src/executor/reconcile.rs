//! Reconciling an account's positions with the executions of the attempts before this one.
//!
//! The gateway's positions and cash can lag the fills (IB reports account values every few
//! minutes, positions soon after a fill, but not at once). A rerun of a crashed attempt that
//! planned from lagging positions would buy again what the crashed attempt bought. So a
//! rerun is given what the first attempt started from (its cash and positions) and the ids
//! of the attempts so far; their executions are read from the gateway, and for every symbol
//! they traded the positions read now must show either none of them (lagging: the plan uses
//! the positions plus the executions, and says so) or all of them. Anything else (a trade by
//! hand in between, say) fails the account: nothing is planned on a guess.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::order_ref::run_of;
use crate::broker::ExecutionRecord;
use crate::snapshot::{AccountSnapshot, Position};

/// Shares closer than this are the same quantity.
const SAME_SHARES: f64 = 1e-6;

/// What the earlier attempts of a run started from, for one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EarlierAttempts {
    /// The ids of the earlier attempts, whose executions count.
    pub run_ids: Vec<String>,
    /// The account's cash before the first of them traded.
    pub cash: f64,
    /// The account's positions before the first of them traded.
    pub positions: Vec<Position>,
}

impl EarlierAttempts {
    /// What `snapshot` shows, before the attempts `run_ids` traded.
    pub fn before(snapshot: &AccountSnapshot, run_ids: Vec<String>) -> Self {
        Self {
            run_ids,
            cash: snapshot.cash,
            positions: snapshot.positions.clone(),
        }
    }
}

/// The positions read now agree with neither the state before the earlier attempts nor the
/// state after their executions.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "{symbol}: {before} shares before run {runs}, whose executions add {executed}, but the gateway reports {now}: neither before nor after them (traded by hand meanwhile?); check the account, then rerun"
)]
pub struct Unreconciled {
    /// The symbol.
    pub symbol: String,
    /// Shares before the earlier attempts.
    pub before: f64,
    /// Shares their executions bought (positive) or sold (negative).
    pub executed: f64,
    /// Shares the gateway reports now.
    pub now: f64,
    /// The attempts' ids.
    pub runs: String,
}

/// `snapshot` with the executions of `earlier` that its positions do not show yet added in,
/// and what was added, for the plan's warnings. Only executions with the rebalancer's
/// reference for `account` from one of `earlier.run_ids` count. Cash is then the lower of
/// the cash read and the cash the executions leave, so a lagging balance never buys twice.
pub fn reconcile(
    mut snapshot: AccountSnapshot,
    account: &str,
    earlier: &EarlierAttempts,
    executions: &[ExecutionRecord],
) -> Result<(AccountSnapshot, Vec<String>), Unreconciled> {
    let mut executed: BTreeMap<&str, f64> = BTreeMap::new();
    let mut cash_change = 0.0;
    for execution in executions.iter().filter(|e| {
        e.account == account
            && run_of(&e.order_ref, account)
                .is_some_and(|run| earlier.run_ids.iter().any(|r| r == run))
    }) {
        *executed.entry(execution.symbol.as_str()).or_default() += execution.signed_shares();
        cash_change -=
            execution.signed_shares() * execution.price + execution.commission.unwrap_or(0.0);
    }
    let runs = earlier.run_ids.join(", ");
    // `+ 0.0` turns the empty sum (-0) into 0 for the messages.
    let held = |positions: &[Position], symbol: &str| -> f64 {
        positions
            .iter()
            .filter(|p| p.symbol == symbol)
            .map(|p| p.quantity)
            .sum::<f64>()
            + 0.0
    };
    let mut warnings = Vec::new();
    for (symbol, shares) in executed {
        if shares.abs() < SAME_SHARES {
            continue;
        }
        let before = held(&earlier.positions, symbol);
        let now = held(&snapshot.positions, symbol);
        let after = before + shares;
        if (now - after).abs() < SAME_SHARES {
            continue;
        }
        let (low, high) = if before < after {
            (before, after)
        } else {
            (after, before)
        };
        if now < low - SAME_SHARES || now > high + SAME_SHARES {
            return Err(Unreconciled {
                symbol: symbol.to_string(),
                before,
                executed: shares,
                now,
                runs,
            });
        }
        warnings.push(format!(
            "{symbol}: the gateway reports {now} shares, but run {runs} executed {shares:+} on {before}: planning from {after}, the position after those executions"
        ));
        snapshot.positions.retain(|p| p.symbol != symbol);
        if after.abs() >= SAME_SHARES {
            snapshot.positions.push(Position {
                symbol: symbol.to_string(),
                quantity: after,
            });
        }
    }
    let cash_after = earlier.cash + cash_change;
    if !warnings.is_empty() && cash_after < snapshot.cash {
        warnings.push(format!(
            "cash: the gateway reports {:.2}, the executions of run {runs} leave {cash_after:.2}: planning from {cash_after:.2}",
            snapshot.cash
        ));
        snapshot.cash = cash_after;
    }
    Ok((snapshot, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calculator::Action;

    fn snapshot(cash: f64, positions: &[(&str, f64)]) -> AccountSnapshot {
        AccountSnapshot {
            account_id: "DU1234567".into(),
            net_liquidation: 100_000.0,
            cash,
            positions: positions
                .iter()
                .map(|(s, q)| Position {
                    symbol: s.to_string(),
                    quantity: *q,
                })
                .collect(),
            quotes: BTreeMap::new(),
            held_not_traded: Vec::new(),
        }
    }

    fn bought(run: &str, symbol: &str, shares: f64, price: f64) -> ExecutionRecord {
        ExecutionRecord {
            exec_id: format!("e-{run}-{symbol}"),
            order_id: 1,
            client_id: 7,
            perm_id: 1,
            account: "DU1234567".into(),
            symbol: symbol.into(),
            con_id: 1,
            action: Action::Buy,
            shares,
            price,
            order_ref: format!("rb:{run}:DU1234567:{symbol}"),
            commission: Some(1.0),
        }
    }

    fn earlier(cash: f64, positions: &[(&str, f64)]) -> EarlierAttempts {
        EarlierAttempts::before(&snapshot(cash, positions), vec!["run-1".into()])
    }

    #[test]
    fn lagging_positions_get_the_executions_added_and_the_cash_they_cost_taken() {
        let lagging = snapshot(50_000.0, &[("XYZ", 10.0)]);
        let executions = [bought("run-1", "VTI", 40.0, 250.0)];
        let (planned, warnings) = reconcile(
            lagging,
            "DU1234567",
            &earlier(50_000.0, &[("XYZ", 10.0)]),
            &executions,
        )
        .unwrap();
        assert_eq!(planned.quantity("VTI"), 40.0);
        assert_eq!(planned.quantity("XYZ"), 10.0);
        assert_eq!(planned.cash, 50_000.0 - 40.0 * 250.0 - 1.0);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("planning from 40"), "{warnings:?}");
    }

    #[test]
    fn positions_that_show_the_executions_are_left_as_read() {
        let current = snapshot(39_999.0, &[("XYZ", 10.0), ("VTI", 40.0)]);
        let executions = [bought("run-1", "VTI", 40.0, 250.0)];
        let (planned, warnings) = reconcile(
            current.clone(),
            "DU1234567",
            &earlier(50_000.0, &[("XYZ", 10.0)]),
            &executions,
        )
        .unwrap();
        assert_eq!(planned, current);
        assert!(warnings.is_empty());
    }

    #[test]
    fn executions_of_other_runs_and_accounts_do_not_count() {
        let current = snapshot(50_000.0, &[]);
        let mut other_account = bought("run-1", "BND", 5.0, 80.0);
        other_account.account = "DU7654321".into();
        other_account.order_ref = "rb:run-1:DU7654321:BND".into();
        let executions = [
            bought("run-0", "VTI", 40.0, 250.0),
            other_account,
            ExecutionRecord {
                order_ref: "by hand".into(),
                ..bought("run-1", "VOO", 1.0, 500.0)
            },
        ];
        let (planned, warnings) = reconcile(
            current.clone(),
            "DU1234567",
            &earlier(50_000.0, &[]),
            &executions,
        )
        .unwrap();
        assert_eq!(planned, current);
        assert!(warnings.is_empty());
    }

    #[test]
    fn positions_matching_neither_side_fail_naming_the_symbol() {
        let current = snapshot(50_000.0, &[("VTI", 55.0)]);
        let executions = [bought("run-1", "VTI", 40.0, 250.0)];
        let err =
            reconcile(current, "DU1234567", &earlier(50_000.0, &[]), &executions).unwrap_err();
        assert_eq!(err.symbol, "VTI");
        assert!(err.to_string().contains("gateway reports 55"), "{err}");
    }
}
