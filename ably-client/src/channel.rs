//! Per-channel state: where the attach stands, the last channel serial (RTL15b) and the
//! last message handled, which together say where to resume or recover from.

use std::time::{Duration, Instant};

use crate::backoff::Backoff;
use crate::types::ResumePoint;

/// Where a channel's attachment stands on the current connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AttachState {
    /// No `ATTACH` sent on this connection yet.
    Idle,
    /// `ATTACH` sent at this instant; waiting for `ATTACHED`.
    Attaching(Instant),
    /// `ATTACHED` received.
    Attached,
    /// Refused or detached; `ATTACH` again at this instant.
    RetryAt(Instant),
}

/// One subscribed channel.
#[derive(Debug)]
pub(crate) struct Channel {
    pub name: String,
    /// The last `channelSerial` received (RTL15b); sent with `ATTACH` to resume.
    pub serial: Option<String>,
    /// The last message handled, live or recovered.
    pub last_id: Option<String>,
    /// Its timestamp (ms since the epoch).
    pub last_ts: Option<i64>,
    /// When this process first attached the channel (ms since the epoch): the recovery
    /// start when no message has been seen yet.
    pub live_since_ms: Option<i64>,
    pub attach: AttachState,
    /// Delay between re-attach attempts after a refusal.
    pub retry: Backoff,
}

impl Channel {
    /// A channel starting from `resume` (persisted by a previous run), if any.
    pub(crate) fn new(
        name: String,
        resume: Option<&ResumePoint>,
        retry_base: Duration,
        retry_max: Duration,
    ) -> Self {
        Self {
            name,
            serial: resume.and_then(|r| r.channel_serial.clone()),
            last_id: resume.and_then(|r| r.last_message_id.clone()),
            last_ts: resume.and_then(|r| r.last_timestamp_ms),
            live_since_ms: None,
            attach: AttachState::Idle,
            retry: Backoff::new(retry_base, retry_max),
        }
    }

    /// The timestamp to recover history from when continuity is lost: the last message
    /// handled, else when this process first attached; `None` when nothing is known.
    pub(crate) fn recovery_start(&self) -> Option<i64> {
        self.last_ts.or(self.live_since_ms)
    }

    /// When the attach machinery must act next: an `ATTACH` timing out, or a retry due.
    pub(crate) fn attach_deadline(&self, request_timeout: Duration) -> Option<Instant> {
        match self.attach {
            AttachState::Attaching(since) => Some(since + request_timeout),
            AttachState::RetryAt(at) => Some(at),
            AttachState::Idle | AttachState::Attached => None,
        }
    }

    /// Records a handled message.
    pub(crate) fn handled(&mut self, id: &str, timestamp: Option<i64>) {
        self.last_id = Some(id.to_string());
        if timestamp.is_some() {
            self.last_ts = timestamp;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel(resume: Option<&ResumePoint>) -> Channel {
        Channel::new(
            "c".into(),
            resume,
            Duration::from_millis(10),
            Duration::from_millis(100),
        )
    }

    #[test]
    fn starts_from_the_persisted_point() {
        let resume = ResumePoint {
            channel_serial: Some("s:3".into()),
            last_message_id: Some("m3".into()),
            last_timestamp_ms: Some(1_000),
        };
        let ch = channel(Some(&resume));
        assert_eq!(ch.serial.as_deref(), Some("s:3"));
        assert_eq!(ch.recovery_start(), Some(1_000));
    }

    #[test]
    fn recovery_starts_at_the_last_message_else_the_first_attach() {
        let mut ch = channel(None);
        assert_eq!(ch.recovery_start(), None);
        ch.live_since_ms = Some(500);
        assert_eq!(ch.recovery_start(), Some(500));
        ch.handled("m1", Some(700));
        assert_eq!(ch.recovery_start(), Some(700));
        ch.handled("m2", None);
        assert_eq!((ch.last_id.as_deref(), ch.last_ts), (Some("m2"), Some(700)));
    }

    #[test]
    fn attach_deadlines() {
        let mut ch = channel(None);
        let t = Duration::from_secs(1);
        assert_eq!(ch.attach_deadline(t), None);
        let now = Instant::now();
        ch.attach = AttachState::Attaching(now);
        assert_eq!(ch.attach_deadline(t), Some(now + t));
        ch.attach = AttachState::RetryAt(now);
        assert_eq!(ch.attach_deadline(t), Some(now));
        ch.attach = AttachState::Attached;
        assert_eq!(ch.attach_deadline(t), None);
    }
}
