//! URLs: the realtime websocket URL with its query parameters (RTN2, RTN15b, RTN23b) and
//! the REST history URL. The realtime URL carries the key, so it is only ever handed to
//! the websocket connector, never logged; errors about it are redacted.

use reqwest::Url;

use crate::PROTOCOL_VERSION;
use crate::error::AblyError;
use crate::settings::ApiKey;

/// `text` escaped as `application/x-www-form-urlencoded` does it (what [`Url`] query
/// pairs produce), so redaction finds the key in URLs too.
pub(crate) fn query_escape(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The websocket URL: `realtime_url` plus `key`, `v`, `format=json`, `heartbeats=true`,
/// `echo=false` and, when resuming, `resume=<connectionKey>`.
pub(crate) fn realtime(
    realtime_url: &str,
    key: &ApiKey,
    resume: Option<&str>,
) -> Result<String, AblyError> {
    let mut url = Url::parse(realtime_url).map_err(|e| AblyError::Url {
        what: "realtime",
        detail: key.redact(&e.to_string()),
    })?;
    if !matches!(url.scheme(), "ws" | "wss") {
        return Err(AblyError::Url {
            what: "realtime",
            detail: format!("scheme must be ws or wss, not {}", url.scheme()),
        });
    }
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair("key", key.expose())
            .append_pair("v", PROTOCOL_VERSION)
            .append_pair("format", "json")
            .append_pair("heartbeats", "true")
            .append_pair("echo", "false");
        if let Some(resume) = resume {
            query.append_pair("resume", resume);
        }
    }
    Ok(url.to_string())
}

/// `{rest_url}/channels/{channel}/messages`, the channel name escaped as one segment.
pub(crate) fn history(rest_url: &str, channel: &str) -> Result<Url, AblyError> {
    let bad = |detail: String| AblyError::Url {
        what: "REST",
        detail,
    };
    let mut url = Url::parse(rest_url).map_err(|e| bad(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad(format!(
            "scheme must be http or https, not {}",
            url.scheme()
        )));
    }
    url.path_segments_mut()
        .map_err(|()| bad("URL cannot have a path".into()))?
        .pop_if_empty()
        .extend(["channels", channel, "messages"]);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn realtime_url_has_protocol_params_and_escaped_key() {
        let key = ApiKey::new("app.id:se+cr/t=".into());
        let url = realtime("wss://realtime.ably.io", &key, None).unwrap();
        assert_eq!(
            url,
            "wss://realtime.ably.io/?key=app.id%3Ase%2Bcr%2Ft%3D&v=2&format=json&heartbeats=true&echo=false"
        );
        assert!(url.contains(&query_escape(key.expose())));
        let url = realtime("ws://127.0.0.1:9", &key, Some("ck!1")).unwrap();
        assert!(url.ends_with("&resume=ck%211"), "{url}");
    }

    #[test]
    fn realtime_url_rejects_http_and_garbage() {
        let key = ApiKey::new("a:b".into());
        assert!(realtime("http://x", &key, None).is_err());
        assert!(realtime("not a url", &key, None).is_err());
    }

    #[test]
    fn history_url_escapes_the_channel() {
        let url = history("http://127.0.0.1:5/", "a b/c").unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:5/channels/a%20b%2Fc/messages"
        );
        let url = history("https://rest.ably.io", "etf-blend").unwrap();
        assert_eq!(
            url.as_str(),
            "https://rest.ably.io/channels/etf-blend/messages"
        );
        assert!(history("ws://x", "c").is_err());
    }
}
