//! What the pages and the JSON API show, gathered from the journal (read-only) and the
//! daemon (over its control socket). Both faces render the same views.

use std::collections::BTreeSet;

use serde::Serialize;
use trading_core::allocations::Allocation;
use trading_core::calculator::Trade;
use trading_core::control::{Request, Response, RunDetail, RunSummary, StatusReport};
use trading_core::protocol::{AccountResult, SnapshotPhase};

use super::{WebError, WebState};
use crate::journal::{RunFilter, RunState, StoredSnapshot};

/// Most runs a list shows.
pub const MAX_RUNS: u32 = 500;

/// The daemon's live status.
pub async fn status(state: &WebState) -> Result<StatusReport, WebError> {
    match state.ask(&Request::Status {}).await? {
        Response::Status(report) => Ok(report),
        other => Err(WebError::Unavailable(format!(
            "unexpected answer from the supervisor: {other:?}"
        ))),
    }
}

/// Recent runs, newest first, optionally of one strategy and in one state.
pub async fn runs(
    state: &WebState,
    strategy: Option<String>,
    run_state: Option<&str>,
    limit: Option<u32>,
) -> Result<Vec<RunSummary>, WebError> {
    let run_state = run_state
        .filter(|s| !s.is_empty())
        .map(|s| {
            RunState::parse(s).map_err(|_| WebError::BadRequest(format!("no run state `{s}`")))
        })
        .transpose()?;
    let filter = RunFilter {
        strategy: strategy.filter(|s| !s.is_empty()),
        state: run_state,
        limit: limit.unwrap_or(50).clamp(1, MAX_RUNS),
    };
    let rows = state.journal.recent_runs(&filter).await?;
    Ok(rows.iter().map(|r| r.summary()).collect())
}

/// One run with everything recorded about it, and its attempt chain.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RunView {
    /// The run, its accounts, targets, outcomes and orders.
    #[serde(flatten)]
    pub detail: RunDetail,
    /// Every attempt of the same work, the first first (this run among them).
    pub attempts: Vec<RunSummary>,
    /// Each account's plans: the trades it planned and why, and what it warned of.
    pub plans: Vec<AccountPlan>,
}

/// What a rebalance planned for one account.
#[derive(utoipa::ToSchema, Debug, Clone, PartialEq, Serialize)]
pub struct AccountPlan {
    /// The account.
    pub account: String,
    /// The trades, in the order they were to be placed.
    pub trades: Vec<PlannedTrade>,
    /// What the plan and the run warned of.
    pub warnings: Vec<String>,
}

/// One planned trade.
#[derive(utoipa::ToSchema, Debug, Clone, PartialEq, Serialize)]
pub struct PlannedTrade {
    /// The symbol.
    pub symbol: String,
    /// `BUY` or `SELL`.
    pub action: String,
    /// Shares.
    pub quantity: u64,
    /// `MKT` or `LMT`.
    pub order_type: String,
    /// The limit of a limit order.
    pub limit_price: Option<f64>,
    /// Why: the weights it moves between, or what it replaces.
    pub reason: String,
}

impl From<&Trade> for PlannedTrade {
    fn from(trade: &Trade) -> Self {
        Self {
            symbol: trade.symbol.clone(),
            action: trade.action.name().to_string(),
            quantity: trade.quantity,
            order_type: trade.order_type.name().to_string(),
            limit_price: trade.limit_price,
            reason: trade.reason.clone(),
        }
    }
}

/// Run `id`, or `NotFound`.
pub async fn run(state: &WebState, id: &str) -> Result<RunView, WebError> {
    let detail = state
        .journal
        .run_detail(id)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("no run `{id}`")))?;
    let attempts = state.journal.retry_chain(id).await?;
    let plans = state
        .journal
        .account_results(id)
        .await?
        .into_iter()
        .filter_map(|(account, result)| match result {
            AccountResult::Rebalance(report) => Some(AccountPlan {
                account,
                trades: report.plan.trades.iter().map(PlannedTrade::from).collect(),
                warnings: report.warnings,
            }),
            _ => None,
        })
        .collect();
    Ok(RunView {
        detail,
        attempts: attempts.iter().map(|r| r.summary()).collect(),
        plans,
    })
}

/// One symbol of an account: where it is and where the strategy wants it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Holding {
    /// The symbol.
    pub symbol: String,
    /// Shares held.
    pub quantity: f64,
    /// Its share of net liquidation now, 0–1 (valued at the quote's midpoint).
    pub weight: f64,
    /// Its target weight, 0–1 (0 when the strategy does not hold it).
    pub target: f64,
    /// `weight - target`.
    pub drift: f64,
}

/// An account as its latest snapshot shows it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AccountView {
    /// The account id.
    pub account: String,
    /// When the snapshot was taken (RFC 3339).
    pub taken_at: String,
    /// The run that took it.
    pub run_id: String,
    /// Before or after that run's trades.
    pub phase: SnapshotPhase,
    /// Net liquidation (USD).
    pub net_liquidation: f64,
    /// Cash (USD).
    pub cash: f64,
    /// Per symbol held or targeted, by symbol.
    pub holdings: Vec<Holding>,
}

/// A strategy: its accounts, targets and recent runs.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StrategyView {
    /// The strategy (its channel).
    pub name: String,
    /// The targets of its latest run that fetched them.
    pub targets: Option<Vec<Allocation>>,
    /// Its accounts, from the latest snapshot of each.
    pub accounts: Vec<AccountView>,
    /// Its recent runs, newest first.
    pub runs: Vec<RunSummary>,
}

/// Strategy `name`, or `NotFound` when neither the journal nor the daemon knows it.
pub async fn strategy(state: &WebState, name: &str) -> Result<StrategyView, WebError> {
    let recent = state
        .journal
        .recent_runs(&RunFilter::latest(Some(name.to_string()), 20))
        .await?;
    let known_to_daemon = match status(state).await {
        Ok(report) => report.strategies.iter().any(|s| s.name == name),
        Err(_) => false,
    };
    if recent.is_empty() && !known_to_daemon {
        return Err(WebError::NotFound(format!("no strategy `{name}`")));
    }
    let targets = recent.iter().find_map(|r| r.targets.clone());
    let accounts = state
        .journal
        .latest_snapshots(name)
        .await?
        .into_iter()
        .map(|stored| account_view(&stored, targets.as_deref()))
        .collect();
    Ok(StrategyView {
        name: name.to_string(),
        targets,
        accounts,
        runs: recent.iter().map(|r| r.summary()).collect(),
    })
}

/// `stored` against `targets`: every symbol held or targeted, with weight and drift.
pub fn account_view(stored: &StoredSnapshot, targets: Option<&[Allocation]>) -> AccountView {
    let snapshot = &stored.snapshot;
    let targets = targets.unwrap_or(&[]);
    let symbols: BTreeSet<&str> = snapshot
        .positions
        .iter()
        .map(|p| p.symbol.as_str())
        .chain(targets.iter().map(|t| t.symbol.as_str()))
        .collect();
    let holdings = symbols
        .into_iter()
        .map(|symbol| {
            let quantity = snapshot
                .positions
                .iter()
                .find(|p| p.symbol == symbol)
                .map_or(0.0, |p| p.quantity);
            let price = snapshot.quotes.get(symbol).map_or(0.0, |q| q.mid());
            let weight = if snapshot.net_liquidation > 0.0 {
                quantity * price / snapshot.net_liquidation
            } else {
                0.0
            };
            let target = targets
                .iter()
                .find(|t| t.symbol == symbol)
                .map_or(0.0, |t| t.weight);
            Holding {
                symbol: symbol.to_string(),
                quantity,
                weight,
                target,
                drift: weight - target,
            }
        })
        .collect();
    AccountView {
        account: snapshot.account_id.clone(),
        taken_at: crate::clock::rfc3339(stored.taken_at),
        run_id: stored.run_id.clone(),
        phase: stored.phase,
        net_liquidation: snapshot.net_liquidation,
        cash: snapshot.cash,
        holdings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trading_core::snapshot::{AccountSnapshot, Position, Quote};

    #[test]
    fn an_account_shows_every_held_and_targeted_symbol_with_its_drift() {
        let snapshot = AccountSnapshot {
            account_id: "DU1234567".into(),
            net_liquidation: 100_000.0,
            cash: 10_000.0,
            positions: vec![
                Position {
                    symbol: "VTI".into(),
                    quantity: 200.0,
                },
                Position {
                    symbol: "ARKK".into(),
                    quantity: 100.0,
                },
            ],
            quotes: [
                ("VTI", 249.0, 251.0),
                ("ARKK", 49.0, 51.0),
                ("BND", 72.0, 72.0),
            ]
            .into_iter()
            .map(|(s, bid, ask)| {
                (
                    s.to_string(),
                    Quote {
                        bid,
                        ask,
                        last: None,
                    },
                )
            })
            .collect(),
            held_not_traded: vec![],
        };
        let targets = [
            Allocation {
                symbol: "VTI".into(),
                weight: 0.6,
            },
            Allocation {
                symbol: "BND".into(),
                weight: 0.4,
            },
        ];
        let stored = StoredSnapshot {
            run_id: "r1".into(),
            phase: SnapshotPhase::After,
            taken_at: 0,
            snapshot,
        };
        let view = account_view(&stored, Some(&targets));
        let by = |s: &str| {
            view.holdings
                .iter()
                .find(|h| h.symbol == s)
                .unwrap()
                .clone()
        };
        assert_eq!(view.holdings.len(), 3);
        assert!((by("VTI").weight - 0.5).abs() < 1e-9);
        assert!((by("VTI").drift + 0.1).abs() < 1e-9);
        assert!((by("ARKK").drift - 0.05).abs() < 1e-9, "held, not a target");
        assert_eq!((by("BND").quantity, by("BND").drift), (0.0, -0.4));
        assert_eq!(view.taken_at, "1970-01-01T00:00:00Z");
    }
}
