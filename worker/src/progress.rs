//! One line per event on stderr while a manual run goes on.

use std::io::Write;

use trading_core::protocol::{Event, EventBody, Outcome};

/// Prints `event` as a progress line, if it is one worth showing.
pub fn show(event: &Event) {
    let line = match &event.body {
        EventBody::Targets { targets } => {
            let list: Vec<String> = targets
                .iter()
                .map(|t| format!("{} {:.2}%", t.symbol, t.weight * 100.0))
                .collect();
            format!("targets: {}", list.join(", "))
        }
        EventBody::AccountStarted { account, client_id } => {
            format!("[{account}] connecting (client id {client_id})")
        }
        EventBody::Snapshot {
            account,
            phase,
            snapshot,
        } => {
            format!(
                "[{account}] {}: net liquidation {:.2}, cash {:.2}, {} position(s)",
                phase.name(),
                snapshot.net_liquidation,
                snapshot.cash,
                snapshot.positions.len()
            )
        }
        EventBody::Plan { account, plan } => {
            format!("[{account}] planned {} trade(s)", plan.trades.len())
        }
        EventBody::OrderSubmitted { account, order } => {
            format!(
                "[{account}] placed {:?} {} {} ({})",
                order.action, order.quantity, order.symbol, order.order_ref
            )
        }
        EventBody::OrderStatus { account, order } => {
            format!(
                "[{account}] {} {:?}: filled {}/{}",
                order.symbol, order.status, order.filled, order.quantity
            )
        }
        EventBody::AccountFinished {
            account,
            outcome: Outcome::Ok,
            ..
        } => format!("[{account}] done"),
        EventBody::AccountFinished {
            account,
            outcome: Outcome::Error { kind, message },
            ..
        } => {
            format!("[{account}] FAILED ({kind:?}): {message}")
        }
        EventBody::Started { .. } | EventBody::Finished { .. } => return,
    };
    // Progress is a courtesy: a closed terminal must not stop the run.
    let _ = writeln!(std::io::stderr(), "{line}");
}
