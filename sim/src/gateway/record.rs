//! The gateway's record of what reached the exchange: every order placed, every execution,
//! every cancel and rejection, as JSON lines in a file, so that a test or a person can count
//! exactly what was traded.
//!
//! Each line has `event` (`placed`, `execution`, `cancelled` or `rejected`), the order's
//! `client_id`, `order_id`, `perm_id`, `account`, `symbol`, `action`, `quantity`,
//! `order_type`, `limit_price`, `order_ref` and `status`; an execution adds `exec_id`,
//! `shares`, `price` and `commission`.

use std::path::Path;

use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;

use super::market::{Execution, Notice, OrderRecord};

/// An order as the record and the control API show it.
pub fn order(record: &OrderRecord) -> Value {
    json!({
        "client_id": record.client_id,
        "order_id": record.order.order_id,
        "perm_id": record.perm_id,
        "account": record.order.account,
        "symbol": record.order.symbol,
        "con_id": record.con_id,
        "action": record.order.side.action(),
        "quantity": record.order.quantity,
        "order_type": record.order.order_type,
        "limit_price": record.order.limit_price,
        "order_ref": record.order.order_ref,
        "status": record.status,
        "filled": record.filled,
    })
}

fn line(event: &str, mut fields: Value, execution: Option<&Execution>) -> String {
    if let Some(map) = fields.as_object_mut() {
        map.insert("event".into(), json!(event));
        if let Some(e) = execution {
            map.insert("exec_id".into(), json!(e.exec_id));
            map.insert("shares".into(), json!(e.shares));
            map.insert("price".into(), json!(e.price));
            map.insert("commission".into(), json!(e.commission));
        }
    }
    fields.to_string()
}

/// Writes record lines to a file from a task of its own, so no connection waits on disk.
pub(crate) struct Recorder {
    lines: mpsc::UnboundedSender<String>,
}

impl Recorder {
    /// Appends to `path` (created if missing).
    pub async fn to_file(path: &Path) -> std::io::Result<Self> {
        let mut file = tokio::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .await?;
        let (lines, mut pending) = mpsc::unbounded_channel::<String>();
        tokio::spawn(async move {
            while let Some(mut text) = pending.recv().await {
                text.push('\n');
                if let Err(err) = file.write_all(text.as_bytes()).await {
                    eprintln!("gateway simulator: cannot write the record: {err}");
                    return;
                }
                let _ = file.flush().await;
            }
        });
        Ok(Self { lines })
    }

    /// Records what `notices` tell of orders: placements, executions, cancels, rejections.
    pub fn notices(&self, notices: &[Notice]) {
        for notice in notices {
            let text = match notice {
                Notice::OpenOrder(record) if record.filled == 0.0 && record.is_working() => {
                    line("placed", order(record), None)
                }
                Notice::Execution(execution) => {
                    line("execution", order(&execution.order), Some(execution))
                }
                Notice::OrderStatus(record) if record.status == "Cancelled" => {
                    line("cancelled", order(record), None)
                }
                Notice::OrderStatus(record) if record.status == "Inactive" => {
                    line("rejected", order(record), None)
                }
                _ => continue,
            };
            let _ = self.lines.send(text);
        }
    }
}
