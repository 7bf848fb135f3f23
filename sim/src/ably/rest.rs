//! The REST side, shaped like Ably's: `POST /channels/{name}/messages` (a message object
//! or an array of them; 201 with `channel` and `messageId`) and
//! `GET /channels/{name}/messages` (history: `start`, `end`, `direction`, `limit`, paged
//! with `Link: <./messages?...>; rel="next"`), both behind Basic auth with the key.
//! Errors are `{"error": {code, statusCode, message}}` plus `X-Ably-ErrorCode`.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use crate::ably::hub::{Hub, now_ms};
use crate::ably::query;
use crate::ably::state::{HistoryQuery, NewMessage, SimError, codes};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// Ably's default and largest history page sizes.
const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 1000;

/// The REST routes.
pub(crate) fn router(hub: Arc<Hub>) -> Router {
    Router::new()
        .route("/channels/{channel}/messages", get(history).post(publish))
        .with_state(hub)
}

fn error_response(error: &SimError) -> Response {
    let status = u16::try_from(error.status_code)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = (status, axum::Json(json!({"error": error.to_json()}))).into_response();
    if let Ok(code) = HeaderValue::from_str(&error.code.to_string()) {
        response.headers_mut().insert("x-ably-errorcode", code);
    }
    if let Ok(message) = HeaderValue::from_str(&error.message) {
        response
            .headers_mut()
            .insert("x-ably-errormessage", message);
    }
    response
}

/// Basic auth with the simulator's key, or the error to answer.
fn authorize(hub: &Hub, headers: &HeaderMap) -> Result<(), SimError> {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return Err(SimError::new(
            codes::UNAUTHORIZED,
            "Unauthorized: no credentials",
        ));
    };
    let credentials = value
        .strip_prefix("Basic ")
        .and_then(|b64| STANDARD.decode(b64.trim()).ok())
        .and_then(|bytes| String::from_utf8(bytes).ok());
    if credentials.as_deref() == Some(hub.api_key.as_str()) {
        Ok(())
    } else {
        Err(SimError::new(
            codes::INVALID_CREDENTIALS,
            "Invalid credentials",
        ))
    }
}

async fn publish(
    State(hub): State<Arc<Hub>>,
    Path(channel): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(e) = authorize(&hub, &headers) {
        return error_response(&e);
    }
    let messages = match parse_messages(&body) {
        Ok(messages) => messages,
        Err(e) => return error_response(&e),
    };
    let stored = hub.publish(&channel, messages);
    let message_id = stored.first().map(|m| m.id.clone());
    (
        StatusCode::CREATED,
        axum::Json(json!({"channel": channel, "messageId": message_id})),
    )
        .into_response()
}

/// A message object or an array of them.
fn parse_messages(body: &[u8]) -> Result<Vec<NewMessage>, SimError> {
    let invalid =
        |why: &str| SimError::new(codes::INVALID_BODY, format!("Invalid request body: {why}"));
    let value: Value = serde_json::from_slice(body).map_err(|_| invalid("not JSON"))?;
    let items = match value {
        Value::Array(items) => items,
        object @ Value::Object(_) => vec![object],
        _ => return Err(invalid("expected a message object or an array of them")),
    };
    items
        .into_iter()
        .map(|item| {
            let Value::Object(map) = item else {
                return Err(invalid("a message is not an object"));
            };
            let text = |field: &str| -> Result<Option<String>, SimError> {
                match map.get(field) {
                    None | Some(Value::Null) => Ok(None),
                    Some(Value::String(s)) => Ok(Some(s.clone())),
                    Some(_) => Err(invalid(&format!("`{field}` must be a string"))),
                }
            };
            Ok(NewMessage {
                id: text("id")?,
                name: text("name")?,
                data: map.get("data").filter(|d| !d.is_null()).cloned(),
                encoding: text("encoding")?,
                client_id: text("clientId")?,
                connection_id: None,
            })
        })
        .collect()
}

async fn history(
    State(hub): State<Arc<Hub>>,
    Path(channel): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    if let Err(e) = authorize(&hub, &headers) {
        return error_response(&e);
    }
    let query = match parse_history_query(raw.as_deref().unwrap_or(""), now_ms()) {
        Ok(query) => query,
        Err(e) => return error_response(&e),
    };
    let page = hub.history(&channel, &query);
    let items: Vec<Value> = page.items.iter().map(|m| m.to_json()).collect();
    let mut response = (StatusCode::OK, axum::Json(Value::Array(items))).into_response();
    let link = |offset: Option<usize>, rel: &str| {
        let mut target = format!(
            "./messages?start={}&end={}&limit={}&direction={}",
            query.start,
            query.end,
            query.limit,
            if query.forwards {
                "forwards"
            } else {
                "backwards"
            }
        );
        if let Some(offset) = offset {
            target.push_str(&format!("&from={offset}"));
        }
        HeaderValue::from_str(&format!("<{target}>; rel=\"{rel}\""))
    };
    if let Ok(first) = link(None, "first") {
        response.headers_mut().append(header::LINK, first);
    }
    if let Some(next) = page.next_offset
        && let Ok(next) = link(Some(next), "next")
    {
        response.headers_mut().append(header::LINK, next);
    }
    response
}

/// `start`, `end` (default: now, fixed in the paging links), `direction` (default
/// backwards), `limit` (default 100, at most 1000) and the page cursor `from`.
fn parse_history_query(raw: &str, now: i64) -> Result<HistoryQuery, SimError> {
    let pairs = query::parse(raw);
    let bad = |name: &str| {
        SimError::new(
            codes::INVALID_PARAMETER,
            format!("Invalid parameter value: {name}"),
        )
    };
    let number = |name: &str| -> Result<Option<i64>, SimError> {
        query::get(&pairs, name)
            .map(|v| v.parse::<i64>().map_err(|_| bad(name)))
            .transpose()
    };
    let start = number("start")?.unwrap_or(0);
    let end = number("end")?.unwrap_or(now);
    if start > end {
        return Err(bad("start"));
    }
    let forwards = match query::get(&pairs, "direction") {
        None | Some("backwards") => false,
        Some("forwards") => true,
        Some(_) => return Err(bad("direction")),
    };
    let limit = match number("limit")? {
        None => DEFAULT_LIMIT,
        Some(l) if (1..=MAX_LIMIT as i64).contains(&l) => l as usize,
        Some(_) => return Err(bad("limit")),
    };
    let offset = number("from")?.map_or(Ok(0), |o| usize::try_from(o).map_err(|_| bad("from")))?;
    Ok(HistoryQuery {
        start,
        end,
        forwards,
        limit,
        offset,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_query_defaults_and_validation() {
        let q = parse_history_query("", 99).unwrap();
        assert_eq!(
            q,
            HistoryQuery {
                start: 0,
                end: 99,
                forwards: false,
                limit: 100,
                offset: 0
            }
        );
        let q = parse_history_query("start=5&direction=forwards&limit=2&from=4", 99).unwrap();
        assert!(q.forwards && q.start == 5 && q.limit == 2 && q.offset == 4);
        for bad in [
            "limit=0",
            "limit=1001",
            "direction=up",
            "start=x",
            "start=9&end=1",
            "from=-1",
        ] {
            assert!(parse_history_query(bad, 99).is_err(), "{bad}");
        }
    }

    #[test]
    fn bodies_are_objects_or_arrays_of_objects() {
        let one = parse_messages(br#"{"name":"e","data":{"a":1}}"#).unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].name.as_deref(), Some("e"));
        assert_eq!(
            parse_messages(br#"[{"data":"x"},{"data":"y","encoding":"json"}]"#)
                .unwrap()
                .len(),
            2
        );
        assert!(parse_messages(b"[1]").is_err());
        assert!(parse_messages(b"\"x\"").is_err());
        assert!(parse_messages(b"{").is_err());
        assert!(parse_messages(br#"{"name":5}"#).is_err());
    }
}
