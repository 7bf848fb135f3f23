//! Renders a plan as a table for people.

use std::fmt::Write;

use trading_core::calculator::Plan;

/// The plan as text: a header, one row per trade, then the warnings.
pub fn render(plan: &Plan, strategy: &str) -> String {
    let mut out = format!(
        "Plan for {} (strategy {}): {} trade(s), nothing placed\n",
        plan.account_id,
        strategy,
        plan.trades.len()
    );
    if plan.trades.is_empty() {
        out.push_str("No trades: every target is within the allocation threshold.\n");
    } else {
        let width = plan
            .trades
            .iter()
            .map(|t| t.symbol.len())
            .max()
            .unwrap_or(6)
            .max(6);
        let _ = writeln!(
            out,
            "{:>3}  {:<6} {:>8}  {:<width$}  {:<4} {:>10}  REASON",
            "#", "ACTION", "QTY", "SYMBOL", "TYPE", "LIMIT"
        );
        for (index, trade) in plan.trades.iter().enumerate() {
            let action = trade.action.name();
            let order_type = trade.order_type.name();
            let limit = trade
                .limit_price
                .map_or_else(|| "-".to_string(), |p| p.to_string());
            let _ = writeln!(
                out,
                "{:>3}  {:<6} {:>8}  {:<width$}  {:<4} {:>10}  {}",
                index + 1,
                action,
                trade.quantity,
                trade.symbol,
                order_type,
                limit,
                trade.reason
            );
        }
    }
    for warning in &plan.warnings {
        let _ = writeln!(out, "warning: {warning}");
    }
    out
}
