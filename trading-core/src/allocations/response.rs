//! Parsing and validating the allocation API's response body:
//! `{"status":"success","data":{"allocations":[{"symbol":"VTI","allocation":0.6}]}}`.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;

use super::{Allocation, AllocationError, SUM_TOLERANCE};
use crate::config::normalize_symbol;

#[derive(Deserialize)]
struct Body {
    status: String,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    data: Option<Data>,
}

#[derive(Deserialize)]
struct Data {
    allocations: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    symbol: Option<Value>,
    #[serde(default)]
    ticker: Option<Value>,
    #[serde(default)]
    allocation: Option<Value>,
}

/// Parses a response body for `strategy`, upper-casing symbols and rejecting an empty list,
/// missing or repeated symbols, weights that are negative or not finite, and sums above 1
/// or equal to 0. `ticker` is accepted in place of `symbol`.
pub fn parse_response(strategy: &str, body: &str) -> Result<Vec<Allocation>, AllocationError> {
    let strategy_name = || strategy.to_string();
    let body: Body = serde_json::from_str(body).map_err(|err| AllocationError::Malformed {
        strategy: strategy_name(),
        reason: err.to_string(),
    })?;
    if body.status != "success" {
        return Err(AllocationError::NotSuccess {
            strategy: strategy_name(),
            status: body.status,
            detail: body.message.map(|m| format!(": {m}")).unwrap_or_default(),
        });
    }
    let entries = body
        .data
        .ok_or_else(|| AllocationError::Malformed {
            strategy: strategy_name(),
            reason: "`data.allocations` is missing".into(),
        })?
        .allocations;
    if entries.is_empty() {
        return Err(AllocationError::Empty {
            strategy: strategy_name(),
        });
    }
    let mut allocations = Vec::with_capacity(entries.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (index, entry) in entries.into_iter().enumerate() {
        let raw_symbol = entry.symbol.or(entry.ticker);
        let symbol = raw_symbol
            .as_ref()
            .and_then(Value::as_str)
            .and_then(normalize_symbol)
            .ok_or_else(|| AllocationError::BadSymbol {
                strategy: strategy_name(),
                index,
                found: raw_symbol.map_or_else(|| "none".to_string(), |v| v.to_string()),
            })?;
        if let Some(first) = seen.insert(symbol.clone(), index) {
            return Err(AllocationError::DuplicateSymbol {
                strategy: strategy_name(),
                symbol,
                first,
                second: index,
            });
        }
        let weight = entry
            .allocation
            .as_ref()
            .and_then(Value::as_f64)
            .filter(|w| w.is_finite() && *w >= 0.0)
            .ok_or_else(|| AllocationError::BadWeight {
                strategy: strategy_name(),
                index,
                symbol: symbol.clone(),
                weight: entry
                    .allocation
                    .map_or_else(|| "missing".to_string(), |v| v.to_string()),
            })?;
        allocations.push(Allocation { symbol, weight });
    }
    let sum: f64 = allocations.iter().map(|a| a.weight).sum();
    if sum > 1.0 + SUM_TOLERANCE {
        return Err(AllocationError::SumAboveOne {
            strategy: strategy_name(),
            sum,
        });
    }
    if sum <= 0.0 {
        return Err(AllocationError::SumZero {
            strategy: strategy_name(),
        });
    }
    Ok(allocations)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> Result<Vec<Allocation>, AllocationError> {
        parse_response("etf-blend", body)
    }

    fn list(entries: &str) -> String {
        format!(r#"{{"status":"success","data":{{"allocations":[{entries}]}}}}"#)
    }

    #[test]
    fn accepts_symbol_and_ticker_and_upper_cases() {
        let got = parse(&list(
            r#"{"symbol":"vti","allocation":0.6},{"ticker":"BND","allocation":0.4}"#,
        ))
        .unwrap();
        assert_eq!(
            got,
            vec![
                Allocation {
                    symbol: "VTI".into(),
                    weight: 0.6
                },
                Allocation {
                    symbol: "BND".into(),
                    weight: 0.4
                },
            ]
        );
    }

    #[test]
    fn sum_within_tolerance_is_accepted() {
        assert!(
            parse(&list(
                r#"{"symbol":"A","allocation":0.5000005},{"symbol":"B","allocation":0.5}"#
            ))
            .is_ok()
        );
    }

    #[test]
    fn each_rejection_names_strategy_and_entry() {
        let cases = [
            (
                r#"{"status":"error","message":"unknown strategy"}"#.to_string(),
                "allocations for `etf-blend`: the API answered status `error`: unknown strategy",
            ),
            (
                "not json".to_string(),
                "allocations for `etf-blend`: the response is not of the expected shape",
            ),
            (
                r#"{"status":"success"}"#.to_string(),
                "`data.allocations` is missing",
            ),
            (
                list(""),
                "allocations for `etf-blend`: the list of allocations is empty",
            ),
            (
                list(r#"{"allocation":0.5}"#),
                "entry 0 has no valid symbol (none)",
            ),
            (
                list(r#"{"symbol":"  ","allocation":0.5}"#),
                "entry 0 has no valid symbol (\"  \")",
            ),
            (
                list(r#"{"symbol":"VTI","allocation":0.5},{"symbol":"vti","allocation":0.1}"#),
                "`VTI` appears twice (entries 0 and 1)",
            ),
            (
                list(r#"{"symbol":"VTI","allocation":-0.1}"#),
                "entry 0 (`VTI`) has weight -0.1, expected a finite number ≥ 0",
            ),
            (
                list(r#"{"symbol":"VTI","allocation":"0.5"}"#),
                "entry 0 (`VTI`) has weight \"0.5\"",
            ),
            (
                list(r#"{"symbol":"VTI"}"#),
                "entry 0 (`VTI`) has weight missing",
            ),
            (
                list(r#"{"symbol":"VTI","allocation":0.7},{"symbol":"BND","allocation":0.4}"#),
                "weights sum to 1.1",
            ),
            (
                list(r#"{"symbol":"VTI","allocation":0}"#),
                "weights sum to 0",
            ),
            (
                list(r#"{"symbol":"VTI","allocation":1e999}"#),
                "not of the expected shape",
            ),
        ];
        for (body, expected) in cases {
            let err = parse(&body).unwrap_err().to_string();
            assert!(
                err.contains(expected),
                "{body}: expected {expected:?} in {err:?}"
            );
            assert!(err.starts_with("allocations for `etf-blend`"), "{err}");
        }
    }
}
