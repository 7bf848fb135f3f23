//! The Python rebalancer's `config.yaml`, key by key: what each becomes here, why it is
//! dropped, or how its meaning changed. [`KEYS`] is the table `docs/migrating.md` shows.

use serde_yaml::{Mapping, Value};

/// What becomes of one Python key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Copied to our key as it is.
    Same(&'static str),
    /// Converted into our key.
    Converted(&'static str, Conversion),
    /// Not carried over, for this reason.
    Dropped(&'static str),
}

/// How a value is converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// `commission_rate` r becomes the divisor 1 + r.
    RateToDivisor,
    /// TWS market data type 1–4 becomes its name.
    MarketDataType,
    /// A time of day after 09:30 becomes seconds after the open.
    SecondsAfterOpen,
    /// A worker count becomes a connection cap of at most 30.
    ConnectionCap,
}

/// One key of the Python `config.yaml` (or a whole section, ending in `.`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The Python key, dotted; a trailing `.` covers a whole section.
    pub python: &'static str,
    /// What becomes of it.
    pub fate: Fate,
    /// How its meaning differs here, if it does.
    pub changed: Option<&'static str>,
}

const fn same(python: &'static str, ours: &'static str) -> Key {
    Key {
        python,
        fate: Fate::Same(ours),
        changed: None,
    }
}

const fn dropped(python: &'static str, why: &'static str) -> Key {
    Key {
        python,
        fate: Fate::Dropped(why),
        changed: None,
    }
}

/// Every key of the Python rebalancer's `config.yaml` (and its predecessor's sections).
pub const KEYS: [Key; 37] = [
    same(
        "ibkr.request_timeout_seconds",
        "gateway.request_timeout_seconds",
    ),
    same(
        "ibkr.connection_timeout_seconds",
        "gateway.connect_timeout_seconds",
    ),
    dropped(
        "ibkr.connection_stabilization_delay_seconds",
        "no sleep after connecting: the worker waits for the gateway's next valid order id",
    ),
    dropped(
        "ibkr.price_cache_ttl_seconds",
        "quotes are read fresh for every run, never cached",
    ),
    Key {
        python: "ibkr.market_data_type",
        fate: Fate::Converted("gateway.market_data_type", Conversion::MarketDataType),
        changed: None,
    },
    Key {
        python: "ibkr.synthetic_ask_offset_usd",
        fate: Fate::Dropped("no ask is invented from the bid"),
        changed: Some(
            "a symbol without bid and ask after gateway.quote_attempts snapshots fails the account instead",
        ),
    },
    dropped(
        "ibkr.order_placement_delay_seconds",
        "orders are placed without sleeps; the gateway's pacing is respected by the client",
    ),
    dropped(
        "ibkr.market_data_retry_delay_seconds",
        "each snapshot waits gateway.quote_timeout_seconds",
    ),
    Key {
        python: "ibkr.market_data_max_retries",
        fate: Fate::Same("gateway.quote_attempts"),
        changed: Some("it counts snapshots asked for, the first included"),
    },
    same("ibkr.ports.live_internal", "gateway.live_port"),
    same("ibkr.ports.paper_internal", "gateway.paper_port"),
    same(
        "trading.minimum_cash_reserve_usd",
        "trading.minimum_cash_reserve_usd",
    ),
    Key {
        python: "trading.commission_rate",
        fate: Fate::Converted("trading.commission_divisor", Conversion::RateToDivisor),
        changed: Some(
            "the room for commissions is kept on the account after the plan ((1 − 1/divisor) of its net liquidation), not taken from the cash before it, so a rebalance right after a rebalance places nothing",
        ),
    },
    Key {
        python: "trading.max_account_utilization",
        fate: Fate::Same("trading.max_account_utilization"),
        changed: Some(
            "it bounds what the account holds invested after the plan, not the cost of one plan's buys",
        ),
    },
    same("trading.order_tif", "trading.order_tif"),
    same(
        "trading.buy_slippage_percent",
        "trading.buy_slippage_percent",
    ),
    Key {
        python: "trading.allocation_threshold_percent",
        fate: Fate::Same("trading.allocation_threshold_percent"),
        changed: Some(
            "the current share is compared with the reserve-adjusted goal (net liquidation × (1 − cash_reserve_percent) × weight), not with the bare weight",
        ),
    },
    same(
        "trading.order_timeout_seconds",
        "trading.order_timeout_seconds",
    ),
    dropped(
        "trading.order_status_check_interval_seconds",
        "order status is pushed by the gateway, not polled",
    ),
    dropped(
        "trading.post_completion_delay_seconds",
        "no sleep after a phase: its fills and commissions are awaited",
    ),
    dropped(
        "replacement.normalization_trigger_threshold",
        "weights are not renormalised: a scale's extra weight comes from the other targets and the published total is kept",
    ),
    dropped(
        "replacement.normalization_failure_threshold",
        "weights are not renormalised",
    ),
    Key {
        python: "replacement.minimal_non_replaced_allocation_percent",
        fate: Fate::Same("trading.min_non_replaced_fraction"),
        changed: Some(
            "a set needing more room than the floor allows is refused with the arithmetic instead of shrinking the others to the floor",
        ),
    },
    Key {
        python: "pdt_protection.next_execution_time",
        fate: Fate::Converted(
            "supervisor.open_delay_seconds",
            Conversion::SecondsAfterOpen,
        ),
        changed: Some(
            "deferred rebalances (PDT, market closed) start this long after the open; at 09:30 exactly the default 300 s is kept",
        ),
    },
    Key {
        python: "scheduler.enabled",
        fate: Fate::Same("supervisor.market_hours"),
        changed: None,
    },
    Key {
        python: "scheduler.market_open_time",
        fate: Fate::Converted(
            "supervisor.open_delay_seconds",
            Conversion::SecondsAfterOpen,
        ),
        changed: Some("the NYSE calendar gives the open, holidays and early closes"),
    },
    dropped(
        "scheduler.scheduled_file_path",
        "scheduled runs live in the journal",
    ),
    Key {
        python: "executor.max_workers",
        fate: Fate::Converted(
            "supervisor.max_gateway_connections",
            Conversion::ConnectionCap,
        ),
        changed: Some(
            "it caps gateway connections across all workers, at most 30 here: the gateway accepts 32 clients and a manual run needs room",
        ),
    },
    same(
        "api.allocation_timeout_seconds",
        "allocations.timeout_seconds",
    ),
    same("allocation.api_url", "allocations.base_url"),
    dropped(
        "service.",
        "service loops, heartbeats and manual-event files: the daemon and its control socket replace them (`supervisor trigger`)",
    ),
    dropped("redis.", "no queue: the journal keeps events and runs"),
    dropped("database.", "the journal (SQLite) keeps runs and orders"),
    dropped(
        "management_api.",
        "the control socket (`supervisor status`, `runs`, `trigger`) serves it",
    ),
    dropped(
        "logging.",
        "logs go to stderr; RUST_LOG or LOG_LEVEL sets the level",
    ),
    dropped(
        "notifications.",
        "set USER_NOTIFICATIONS_* in .env or notifications.ntfy_url here",
    ),
    dropped(
        "allocation.",
        "only allocation.api_url has a counterpart (allocations.base_url)",
    ),
];

/// The fate of `key` (dotted): its own entry, else its section's, else `None`.
pub fn rule_for(key: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.python == key).or_else(|| {
        KEYS.iter()
            .filter(|k| k.python.ends_with('.'))
            .find(|k| key.starts_with(k.python))
    })
}

/// What migrating one key did, for the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The Python key.
    pub python: String,
    /// What happened, for people.
    pub said: String,
}

/// Our `config.yaml` mapping from the Python `config.yaml` text, and a report line per key.
pub fn convert(text: &str) -> Result<(Mapping, Vec<Line>), String> {
    let root: Value =
        serde_yaml::from_str(text).map_err(|e| format!("not a YAML document: {e}"))?;
    let mut leaves = Vec::new();
    flatten("", &root, &mut leaves);
    let mut ours = Mapping::new();
    let mut lines = Vec::new();
    for (key, value) in leaves {
        let said = match rule_for(&key) {
            None => "dropped: not known to this migration; check it by hand".to_string(),
            Some(rule) => {
                let mut said = match rule.fate {
                    Fate::Dropped(why) => format!("dropped: {why}"),
                    Fate::Same(to) => {
                        insert(&mut ours, to, value.clone());
                        format!("→ {to}: {}", show(&value))
                    }
                    Fate::Converted(to, how) => match convert_value(how, &value) {
                        Ok(Some(converted)) => {
                            let said = format!("→ {to}: {}", show(&converted));
                            insert(&mut ours, to, converted);
                            said
                        }
                        Ok(None) => format!("→ {to}: kept at its default"),
                        Err(why) => format!("dropped: {}: {why}", show(&value)),
                    },
                };
                if let Some(changed) = rule.changed {
                    said.push_str(&format!(" (changed in meaning: {changed})"));
                }
                said
            }
        };
        lines.push(Line { python: key, said });
    }
    Ok((ours, lines))
}

fn convert_value(how: Conversion, value: &Value) -> Result<Option<Value>, String> {
    match how {
        Conversion::RateToDivisor => {
            let rate = value.as_f64().ok_or("expected a number")?;
            Ok(Some(Value::from(((1.0 + rate) * 1e9).round() / 1e9)))
        }
        Conversion::MarketDataType => {
            let name = match value.as_i64() {
                Some(1) => "realtime",
                Some(2) => "frozen",
                Some(3) => "delayed",
                Some(4) => "delayed_frozen",
                _ => return Err("expected 1, 2, 3 or 4".into()),
            };
            Ok(Some(Value::from(name)))
        }
        Conversion::SecondsAfterOpen => {
            let text = value.as_str().ok_or("expected a time like \"09:35\"")?;
            let (h, m) = text
                .split_once(':')
                .ok_or("expected a time like \"09:35\"")?;
            let minutes = h.trim().parse::<i64>().map_err(|_| "bad hour")? * 60
                + m.trim().parse::<i64>().map_err(|_| "bad minute")?;
            let after = (minutes - (9 * 60 + 30)) * 60;
            match after {
                0 => Ok(None),
                a if a > 0 => Ok(Some(Value::from(a))),
                _ => Err("before the 09:30 open".into()),
            }
        }
        Conversion::ConnectionCap => {
            let workers = value.as_u64().ok_or("expected a whole number")?;
            Ok(Some(Value::from(workers.clamp(1, 30))))
        }
    }
}

fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Mapping(map) if !map.is_empty() => {
            for (k, v) in map {
                let name = match k {
                    Value::String(s) => s.clone(),
                    other => show(other),
                };
                let key = if prefix.is_empty() {
                    name
                } else {
                    format!("{prefix}.{name}")
                };
                flatten(&key, v, out);
            }
        }
        _ if prefix.is_empty() => {}
        other => out.push((prefix.to_string(), other.clone())),
    }
}

/// Sets `dotted` (e.g. `trading.order_tif`) in `root`, creating the sections it needs.
pub(super) fn insert(root: &mut Mapping, dotted: &str, value: Value) {
    let mut parts = dotted.split('.').peekable();
    let mut map = root;
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            map.insert(Value::from(part), value);
            return;
        }
        let entry = map
            .entry(Value::from(part))
            .or_insert_with(|| Value::Mapping(Mapping::new()));
        if !entry.is_mapping() {
            *entry = Value::Mapping(Mapping::new());
        }
        let Value::Mapping(next) = entry else { return };
        map = next;
    }
}

fn show(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .map(|s| s.trim_end().to_string())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_python_key_has_one_fate_and_sections_cover_their_keys() {
        let mut names: Vec<&str> = KEYS.iter().map(|k| k.python).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), KEYS.len());
        assert_eq!(
            rule_for("service.heartbeat_interval_seconds").map(|k| k.python),
            Some("service.")
        );
        assert_eq!(
            rule_for("allocation.api_url").map(|k| k.fate),
            Some(Fate::Same("allocations.base_url")),
            "a key's own entry wins over its section's"
        );
        assert!(rule_for("colour").is_none());
    }

    #[test]
    fn values_are_converted_as_their_meaning_asks() {
        let text = "trading:\n  commission_rate: 0.01\nibkr:\n  market_data_type: 1\npdt_protection:\n  next_execution_time: \"09:45\"\nexecutor:\n  max_workers: 64\nscheduler:\n  market_open_time: \"09:30\"\n";
        let (ours, lines) = convert(text).unwrap();
        let ours = Value::Mapping(ours);
        assert_eq!(ours["trading"]["commission_divisor"], Value::from(1.01));
        assert_eq!(ours["gateway"]["market_data_type"], Value::from("realtime"));
        assert_eq!(ours["supervisor"]["open_delay_seconds"], Value::from(900));
        assert_eq!(
            ours["supervisor"]["max_gateway_connections"],
            Value::from(30)
        );
        let open = lines
            .iter()
            .find(|l| l.python == "scheduler.market_open_time")
            .unwrap();
        assert!(
            open.said
                .starts_with("→ supervisor.open_delay_seconds: kept at its default"),
            "{open:?}"
        );
        let rate = lines
            .iter()
            .find(|l| l.python == "trading.commission_rate")
            .unwrap();
        assert!(rate.said.contains("changed in meaning"), "{rate:?}");
    }
}
