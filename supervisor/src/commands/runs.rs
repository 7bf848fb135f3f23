//! `supervisor runs [--strategy X] [--limit N]` and `supervisor run ID`.

use std::path::Path;

use anyhow::Result;
use trading_core::control::{Request, Response, RunSummary};

use super::client::call;

fn line(run: &RunSummary) -> String {
    format!(
        "{}  {:<11} {:<15} {:<8} attempt {}  {}{}{}",
        run.id,
        run.state,
        run.command.name(),
        run.trigger,
        run.attempt,
        run.created_at,
        run.not_before
            .as_deref()
            .map(|t| format!("  starts {t}"))
            .unwrap_or_default(),
        run.error
            .as_deref()
            .map(|e| format!("  {e}"))
            .unwrap_or_default()
    )
}

/// Lists recent runs.
pub async fn list(socket: &Path, strategy: Option<String>, limit: u32, json: bool) -> Result<u8> {
    let Response::Runs { runs } = call(socket, &Request::Runs { strategy, limit }).await? else {
        anyhow::bail!("unexpected answer");
    };
    if json {
        println!("{}", serde_json::to_string(&runs)?);
    } else if runs.is_empty() {
        println!("no runs");
    } else {
        for run in &runs {
            println!("{}", line(run));
        }
    }
    Ok(0)
}

/// Shows one run.
pub async fn show(socket: &Path, id: String, json: bool) -> Result<u8> {
    let Response::Run(detail) = call(socket, &Request::Run { id }).await? else {
        anyhow::bail!("unexpected answer");
    };
    if json {
        println!("{}", serde_json::to_string(&detail)?);
        return Ok(0);
    }
    println!("{}", line(&detail.run));
    if let Some(previous) = &detail.run.retry_of {
        println!(
            "attempt {} of the work of run {previous}",
            detail.run.attempt
        );
    }
    println!("accounts: {}", detail.accounts.join(", "));
    if let Some(targets) = &detail.targets {
        let list: Vec<String> = targets
            .iter()
            .map(|t| format!("{} {:.2}%", t.symbol, t.weight * 100.0))
            .collect();
        println!("targets: {}", list.join(", "));
    }
    for result in &detail.results {
        println!(
            "  {}: {}",
            result.account,
            serde_json::to_string(&result.outcome)?
        );
    }
    for order in &detail.orders {
        println!(
            "  {} #{} {} {} {} {} filled {}{}",
            order.account,
            order.order_id,
            order.action,
            order.quantity,
            order.symbol,
            order.status,
            order.filled,
            order
                .avg_fill_price
                .map(|p| format!(" @ {p:.4}"))
                .unwrap_or_default()
        );
    }
    Ok(0)
}
