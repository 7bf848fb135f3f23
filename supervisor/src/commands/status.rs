//! `supervisor status [--json] [--check]`.

use std::fmt::Write;
use std::path::Path;

use anyhow::Result;
use trading_core::control::{Request, Response, StatusReport};

use super::client::call;

/// Prints the status; returns the exit code (with `check`: 1 when unhealthy or unreachable).
pub async fn run(socket: &Path, json: bool, check: bool) -> Result<u8> {
    let report = match call(socket, &Request::Status {}).await {
        Ok(Response::Status(report)) => report,
        Ok(other) => anyhow::bail!("unexpected answer: {other:?}"),
        Err(err) if check => {
            eprintln!("unhealthy: {err:#}");
            return Ok(1);
        }
        Err(err) => return Err(err),
    };
    if json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print!("{}", render(&report));
    }
    Ok(if check && !report.healthy { 1 } else { 0 })
}

fn render(report: &StatusReport) -> String {
    let mut out = format!(
        "{} · realtime {} · gateway connections {}/{}\n",
        if report.healthy {
            "healthy"
        } else {
            "UNHEALTHY"
        },
        report.realtime,
        report.gateway_connections,
        report.gateway_connection_cap
    );
    let gateway = &report.gateway;
    let _ = writeln!(
        out,
        "IB Gateway: {}{} ({}{})",
        gateway.health.name(),
        gateway
            .since
            .as_deref()
            .map_or_else(String::new, |since| format!(" since {since}")),
        gateway.health.advice(),
        gateway
            .checked_at
            .as_deref()
            .map_or_else(String::new, |at| format!("; checked {at}"))
    );
    for problem in &report.problems {
        let _ = writeln!(out, "  problem: {problem}");
    }
    for s in &report.strategies {
        let last = s
            .last_result
            .as_ref()
            .map_or_else(|| "-".to_string(), |r| format!("{} {}", r.state, r.id));
        let _ = writeln!(
            out,
            "{}: {} account(s), {}, last event {}, running {}, queued {}, scheduled {}, last result {}",
            s.name,
            s.accounts.len(),
            match (s.paused, s.subscribed) {
                (true, _) => "PAUSED",
                (false, true) => "subscribed",
                (false, false) => "not subscribed",
            },
            s.last_event_at.as_deref().unwrap_or("-"),
            s.running.as_deref().unwrap_or("-"),
            s.queued.as_deref().unwrap_or("-"),
            s.scheduled.as_ref().map_or_else(
                || "-".to_string(),
                |r| format!("{} at {}", r.id, r.not_before.as_deref().unwrap_or("?"))
            ),
            last
        );
        if let Some(note) = &s.note {
            let _ = writeln!(out, "  note: {note}");
        }
    }
    out
}
