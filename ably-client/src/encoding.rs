//! Message payload decoding (RSL4, RSL6): the `encoding` field lists the transformations
//! applied to the original payload left to right, separated by `/`, so the decoder undoes
//! them right to left: `json/utf-8/base64` is base64 text of the UTF-8 bytes of JSON text.
//! A string holding a JSON object or array is parsed, since publishers often send the
//! event as JSON text without `encoding`.

use serde_json::Value;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// Why a payload could not be decoded.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum DecodeError {
    #[error("encoding step `{step}` failed: {detail}")]
    Step { step: String, detail: String },
    #[error("unsupported encoding step `{0}`")]
    Unsupported(String),
    #[error("binary payload is not UTF-8 text")]
    Binary,
}

enum Payload {
    Json(Value),
    Text(String),
    Bytes(Vec<u8>),
}

fn step_error(step: &str, detail: impl ToString) -> DecodeError {
    DecodeError::Step {
        step: step.to_string(),
        detail: detail.to_string(),
    }
}

/// Decodes `data` per `encoding`; absent data is `null`.
pub(crate) fn decode(data: Option<Value>, encoding: Option<&str>) -> Result<Value, DecodeError> {
    let mut payload = match data {
        None => return Ok(Value::Null),
        Some(Value::String(s)) => Payload::Text(s),
        Some(other) => Payload::Json(other),
    };
    let steps = encoding.unwrap_or("").split('/').filter(|s| !s.is_empty());
    for step in steps.rev() {
        payload = match (step, payload) {
            ("base64", Payload::Text(text)) => {
                Payload::Bytes(STANDARD.decode(&text).map_err(|e| step_error(step, e))?)
            }
            ("utf-8", Payload::Bytes(bytes)) => {
                Payload::Text(String::from_utf8(bytes).map_err(|e| step_error(step, e))?)
            }
            ("utf-8", Payload::Text(text)) => Payload::Text(text),
            ("json", Payload::Text(text)) => {
                Payload::Json(serde_json::from_str(&text).map_err(|e| step_error(step, e))?)
            }
            ("json", Payload::Bytes(bytes)) => {
                Payload::Json(serde_json::from_slice(&bytes).map_err(|e| step_error(step, e))?)
            }
            ("base64" | "utf-8" | "json", _) => {
                return Err(step_error(step, "payload has the wrong type for this step"));
            }
            (other, _) => return Err(DecodeError::Unsupported(other.to_string())),
        };
    }
    let value = match payload {
        Payload::Json(v) => v,
        Payload::Text(t) => Value::String(t),
        Payload::Bytes(b) => Value::String(String::from_utf8(b).map_err(|_| DecodeError::Binary)?),
    };
    Ok(parse_embedded_json(value))
}

/// A string whose content is a JSON object or array becomes that object or array.
fn parse_embedded_json(value: Value) -> Value {
    if let Value::String(text) = &value {
        let trimmed = text.trim_start();
        if (trimmed.starts_with('{') || trimmed.starts_with('['))
            && let Ok(parsed @ (Value::Object(_) | Value::Array(_))) =
                serde_json::from_str::<Value>(text)
        {
            return parsed;
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(bytes: &[u8]) -> String {
        STANDARD.encode(bytes)
    }
    use serde_json::json;

    #[test]
    fn plain_values_pass_through() {
        assert_eq!(decode(None, None), Ok(Value::Null));
        assert_eq!(decode(Some(json!("hi")), None), Ok(json!("hi")));
        assert_eq!(decode(Some(json!({"a": 1})), None), Ok(json!({"a": 1})));
        assert_eq!(decode(Some(json!(3)), Some("")), Ok(json!(3)));
    }

    #[test]
    fn json_encoding_is_parsed() {
        assert_eq!(
            decode(Some(json!(r#"{"a":[1,2]}"#)), Some("json")),
            Ok(json!({"a": [1, 2]}))
        );
        assert_eq!(decode(Some(json!("\"x\"")), Some("json")), Ok(json!("x")));
    }

    #[test]
    fn string_holding_json_object_is_parsed_but_other_strings_stay() {
        assert_eq!(
            decode(Some(json!(r#" {"event":"rebalance"}"#)), None),
            Ok(json!({"event": "rebalance"}))
        );
        assert_eq!(decode(Some(json!("[1]")), None), Ok(json!([1])));
        assert_eq!(
            decode(Some(json!("{not json")), None),
            Ok(json!("{not json"))
        );
        assert_eq!(decode(Some(json!("42")), None), Ok(json!("42")));
    }

    #[test]
    fn chained_base64_encodings() {
        let b64 = encode(br#"{"k":"v"}"#);
        assert_eq!(
            decode(Some(json!(b64.clone())), Some("json/utf-8/base64")),
            Ok(json!({"k": "v"}))
        );
        assert_eq!(
            decode(Some(json!(b64)), Some("json/base64")),
            Ok(json!({"k": "v"}))
        );
        assert_eq!(
            decode(
                Some(json!(encode("héllo".as_bytes()))),
                Some("utf-8/base64")
            ),
            Ok(json!("héllo"))
        );
        assert_eq!(
            decode(Some(json!(encode(b"plain"))), Some("base64")),
            Ok(json!("plain"))
        );
    }

    #[test]
    fn bad_encodings_are_errors() {
        assert!(matches!(
            decode(Some(json!("%%%")), Some("base64")),
            Err(DecodeError::Step { .. })
        ));
        assert!(matches!(
            decode(Some(json!("{")), Some("json")),
            Err(DecodeError::Step { .. })
        ));
        assert_eq!(
            decode(Some(json!("x")), Some("cipher+aes-128-cbc/base64")),
            Err(DecodeError::Step {
                step: "base64".into(),
                detail: "Invalid input length: 1".into()
            })
        );
        assert_eq!(
            decode(Some(json!(encode(b"abc"))), Some("vcdiff/base64")),
            Err(DecodeError::Unsupported("vcdiff".into()))
        );
        assert_eq!(
            decode(Some(json!(encode(&[0xff, 0xfe]))), Some("base64")),
            Err(DecodeError::Binary)
        );
        assert!(decode(Some(json!({"a": 1})), Some("base64")).is_err());
    }
}
