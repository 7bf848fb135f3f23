//! Fault injection: switches the realtime side consults, and the malformed frames sent
//! on request.

use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{Value, json};

use crate::ably::protocol::action;

/// Switches that change how the simulator behaves.
#[derive(Debug)]
pub struct Faults {
    refuse_resume: AtomicBool,
    heartbeats: AtomicBool,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            refuse_resume: AtomicBool::new(false),
            heartbeats: AtomicBool::new(true),
        }
    }
}

impl Faults {
    /// Refuse connection resumes (new connection id, error 80008) and channel resumes
    /// (`ATTACHED` without `RESUMED`, no backlog).
    pub fn set_refuse_resume(&self, on: bool) {
        self.refuse_resume.store(on, Ordering::SeqCst);
    }

    /// Whether resumes are refused.
    pub fn refuse_resume(&self) -> bool {
        self.refuse_resume.load(Ordering::SeqCst)
    }

    /// Send heartbeats (or pings) on idle connections; when off, idle connections get
    /// nothing at all.
    pub fn set_heartbeats(&self, on: bool) {
        self.heartbeats.store(on, Ordering::SeqCst);
    }

    /// Whether heartbeats are sent.
    pub fn heartbeats(&self) -> bool {
        self.heartbeats.load(Ordering::SeqCst)
    }
}

/// The frames sent by `send_malformed` to a connection attached to `channels`: a text
/// frame that is not JSON, then per channel a `MESSAGE` whose payload does not decode
/// per its encoding (bad base64) and one with an encoding clients cannot undo (cipher).
/// None carries a `channelSerial`, and none is stored in history.
pub fn malformed_frames(channels: &[String], timestamp: i64) -> Vec<String> {
    let mut frames = vec!["this is not a protocol message {".to_string()];
    let fallback = ["malformed".to_string()];
    let channels = if channels.is_empty() {
        &fallback[..]
    } else {
        channels
    };
    for (n, channel) in channels.iter().enumerate() {
        let bad: Value = json!({
            "action": action::MESSAGE,
            "id": format!("malformed{n}:0"),
            "channel": channel,
            "timestamp": timestamp,
            "messages": [
                {"id": format!("malformed{n}:0:0"), "name": "malformed", "data": "%%% not base64 %%%", "encoding": "json/base64"},
                {"id": format!("malformed{n}:0:1"), "name": "malformed", "data": "AAAA", "encoding": "cipher+aes-128-cbc/base64"}
            ]
        });
        frames.push(bad.to_string());
    }
    frames
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switches_default_to_normal_behaviour() {
        let f = Faults::default();
        assert!(!f.refuse_resume() && f.heartbeats());
        f.set_refuse_resume(true);
        f.set_heartbeats(false);
        assert!(f.refuse_resume() && !f.heartbeats());
    }

    #[test]
    fn malformed_frames_are_one_bad_text_and_one_bad_message_per_channel() {
        let frames = malformed_frames(&["a".into(), "b".into()], 5);
        assert_eq!(frames.len(), 3);
        assert!(serde_json::from_str::<Value>(&frames[0]).is_err());
        let msg: Value = serde_json::from_str(&frames[2]).unwrap();
        assert_eq!(msg["channel"], "b");
        assert!(msg.get("channelSerial").is_none());
    }
}
