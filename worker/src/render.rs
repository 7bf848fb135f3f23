//! The final output of a manual run: tables for people or one JSON object.

use std::fmt::Write;

use serde_json::json;
use trading_core::protocol::{AccountResult, Command, Outcome};

use crate::engine::Summary;

/// One account's end: id, outcome, result.
pub type Finished = (String, Outcome, Option<AccountResult>);

/// The whole run as one JSON object.
pub fn json(strategy: &str, command: Command, accounts: &[Finished], summary: &Summary) -> String {
    let accounts: Vec<_> = accounts
        .iter()
        .map(|(account, outcome, result)| json!({"account_id": account, "outcome": outcome, "result": result}))
        .collect();
    json!({
        "strategy": strategy,
        "command": command,
        "accounts": accounts,
        "accounts_ok": summary.ok,
        "accounts_failed": summary.failed,
        "stopped": summary.stopped,
    })
    .to_string()
}

/// The whole run as tables.
pub fn tables(
    strategy: &str,
    command: Command,
    accounts: &[Finished],
    summary: &Summary,
) -> String {
    let mut out = format!(
        "Strategy {strategy}: {} on {} account(s)\n",
        command.name(),
        accounts.len()
    );
    for (account, outcome, result) in accounts {
        let status = match outcome {
            Outcome::Ok => "ok".to_string(),
            Outcome::Error { kind, message } => format!("FAILED ({kind:?}): {message}"),
        };
        let _ = writeln!(out, "\n{account}: {status}");
        if let Some(result) = result {
            account_result(&mut out, result);
        }
    }
    let _ = writeln!(
        out,
        "\n{} ok, {} failed{}",
        summary.ok,
        summary.failed,
        if summary.stopped {
            ", stopped by a signal or the deadline"
        } else {
            ""
        }
    );
    out
}

fn account_result(out: &mut String, result: &AccountResult) {
    match result {
        AccountResult::Rebalance(report) if report.dry_run => {
            out.push_str(&crate::table::render(&report.plan, "dry run"));
        }
        AccountResult::Rebalance(report) => {
            let _ = writeln!(
                out,
                "  {:<4} {:>7} {:<8} {:<4} {:>9} {:>10} {:>8}  STATUS",
                "SIDE", "QTY", "SYMBOL", "TYPE", "FILLED", "AVG PRICE", "COMM"
            );
            for o in &report.orders {
                let avg = o
                    .avg_fill_price
                    .map_or_else(|| "-".to_string(), |p| format!("{p:.4}"));
                let note = o
                    .unfilled_reason
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "  {:<4} {:>7} {:<8} {:<4} {:>9} {:>10} {:>8.2}  {:?}{note}",
                    format!("{:?}", o.action).to_uppercase(),
                    o.quantity,
                    o.symbol,
                    format!("{:?}", o.order_type)
                        .to_uppercase()
                        .chars()
                        .take(3)
                        .collect::<String>(),
                    o.filled,
                    avg,
                    o.commission,
                    o.status
                );
            }
            if report.orders.is_empty() {
                out.push_str("  no orders: every target is within the threshold\n");
            }
            let after = report
                .cash_after
                .map_or_else(|| "-".to_string(), |c| format!("{c:.2}"));
            let _ = writeln!(
                out,
                "  cash {:.2} -> {after}; net liquidation before {:.2}",
                report.cash_before, report.net_liquidation_before
            );
            for warning in &report.warnings {
                let _ = writeln!(out, "  warning: {warning}");
            }
        }
        AccountResult::Account(state) => {
            let _ = writeln!(
                out,
                "  net liquidation {:.2}, cash {:.2}",
                state.net_liquidation, state.cash
            );
            if let Some(bp) = state.buying_power {
                let _ = writeln!(out, "  buying power {bp:.2}");
            }
            for p in &state.positions {
                let _ = writeln!(out, "  {:<8} {:>12}", p.symbol, p.quantity);
            }
        }
        AccountResult::Orders { orders } => {
            if orders.is_empty() {
                out.push_str("  no working orders\n");
            }
            for o in orders {
                let _ = writeln!(
                    out,
                    "  #{:<8} {:?} {} {} {:?} {}",
                    o.order_id, o.action, o.quantity, o.symbol, o.status, o.order_ref
                );
            }
        }
        AccountResult::Cancelled {
            cancelled,
            still_working,
        } => {
            let _ = writeln!(
                out,
                "  cancelled {} order(s); {} still working",
                cancelled.len(),
                still_working.len()
            );
        }
    }
}
