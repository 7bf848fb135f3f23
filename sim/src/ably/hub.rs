//! The shared core between the websocket sessions, the REST handlers and the test API:
//! the state behind a lock, each live connection's outbound queue, the fault switches,
//! counters, and a change signal that waiters watch instead of sleeping.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::{mpsc, watch};

use crate::ably::faults::Faults;
use crate::ably::protocol::Timing;
use crate::ably::state::StoredMessage;
use crate::ably::state::{
    AttachFrom, Attachment, HistoryPage, HistoryQuery, NewMessage, Opened, SimState,
};

/// How the simulator is configured.
#[derive(Clone, Copy, Debug)]
pub struct SimConfig {
    /// `maxIdleInterval` advertised in `CONNECTED`; heartbeats go out after this much
    /// silence. Small by default so that idle detection is quick to test.
    pub max_idle_interval: Duration,
    /// `connectionStateTtl`: how long a dropped connection can be resumed.
    pub connection_state_ttl: Duration,
    /// How long a channel keeps its messages for history and channel resumes: about two
    /// minutes on Ably for a channel without persistence.
    pub history_retention: Duration,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            max_idle_interval: Duration::from_secs(2),
            connection_state_ttl: Duration::from_secs(120),
            history_retention: Duration::from_secs(120),
        }
    }
}

/// Counters of what the simulator did, for assertions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SimStats {
    /// `CONNECTED` messages sent (fresh, resumed or after a failed resume).
    pub connects: usize,
    /// Connections resumed with the same connection id.
    pub resumes: usize,
    /// Resume requests answered with a new connection.
    pub failed_resumes: usize,
    /// Websocket connections refused for a wrong key.
    pub refused_keys: usize,
    /// REST history requests answered.
    pub history_requests: usize,
}

/// What a session task is told to do.
#[derive(Debug)]
pub(crate) enum Outbound {
    /// Deliver a message published on a channel.
    Message(String, Box<StoredMessage>),
    /// Drop the transport abruptly, keeping the connection state for resume.
    Drop,
    /// Send the malformed frames.
    Malformed,
}

struct Link {
    generation: u64,
    tx: mpsc::UnboundedSender<Outbound>,
}

struct Inner {
    state: SimState,
    links: HashMap<String, Link>,
    next_generation: u64,
}

/// Shared simulator core.
pub(crate) struct Hub {
    pub api_key: String,
    pub config: SimConfig,
    pub faults: Faults,
    inner: Mutex<Inner>,
    connects: AtomicUsize,
    resumes: AtomicUsize,
    failed_resumes: AtomicUsize,
    refused_keys: AtomicUsize,
    history_requests: AtomicUsize,
    changed: watch::Sender<u64>,
}

/// A registered session: its connection, queue and generation.
pub(crate) struct Registration {
    pub opened: Opened,
    pub generation: u64,
    pub rx: mpsc::UnboundedReceiver<Outbound>,
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl Hub {
    pub(crate) fn new(api_key: &str, config: SimConfig) -> Self {
        // A random epoch, so that serials and ids of another instance are not recognised.
        let epoch = format!("{:08x}", RandomState::new().hash_one(now_ms()) as u32);
        let retention_ms = i64::try_from(config.history_retention.as_millis()).unwrap_or(i64::MAX);
        Self {
            api_key: api_key.to_string(),
            config,
            faults: Faults::default(),
            inner: Mutex::new(Inner {
                state: SimState::new(epoch).with_retention(retention_ms),
                links: HashMap::new(),
                next_generation: 0,
            }),
            connects: AtomicUsize::new(0),
            resumes: AtomicUsize::new(0),
            failed_resumes: AtomicUsize::new(0),
            refused_keys: AtomicUsize::new(0),
            history_requests: AtomicUsize::new(0),
            changed: watch::Sender::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn bump(&self) {
        self.changed.send_modify(|v| *v = v.wrapping_add(1));
    }

    /// A receiver that sees every change of state or counters.
    pub(crate) fn subscribe(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }

    /// The timing advertised in `CONNECTED`.
    pub(crate) fn timing(&self) -> Timing {
        Timing {
            max_idle_interval_ms: millis(self.config.max_idle_interval),
            connection_state_ttl_ms: millis(self.config.connection_state_ttl),
        }
    }

    /// Opens (or resumes) a connection and registers its session queue. A resumed
    /// connection replaces any session still registered for it.
    pub(crate) fn open(&self, resume: Option<&str>) -> Registration {
        let refuse = self.faults.refuse_resume();
        let ttl = i64::try_from(self.config.connection_state_ttl.as_millis()).unwrap_or(i64::MAX);
        let (tx, rx) = mpsc::unbounded_channel();
        let (opened, generation) = {
            let mut inner = self.lock();
            let opened = inner.state.open(resume, refuse, ttl, now_ms());
            inner.next_generation += 1;
            let generation = inner.next_generation;
            inner
                .links
                .insert(opened.id.clone(), Link { generation, tx });
            (opened, generation)
        };
        self.connects.fetch_add(1, Ordering::SeqCst);
        if opened.resumed {
            self.resumes.fetch_add(1, Ordering::SeqCst);
        } else if resume.is_some() {
            self.failed_resumes.fetch_add(1, Ordering::SeqCst);
        }
        self.bump();
        Registration {
            opened,
            generation,
            rx,
        }
    }

    /// Counts a connection refused for its key.
    pub(crate) fn refused_key(&self) {
        self.refused_keys.fetch_add(1, Ordering::SeqCst);
        self.bump();
    }

    /// The session of `connection` (generation `generation`) ended; `closed` disposes of
    /// the connection state, otherwise it is kept for resume.
    pub(crate) fn ended(&self, connection: &str, generation: u64, closed: bool) {
        {
            let mut inner = self.lock();
            let current = inner
                .links
                .get(connection)
                .is_some_and(|l| l.generation == generation);
            if !current {
                return;
            }
            inner.links.remove(connection);
            if closed {
                inner.state.close(connection);
            } else {
                inner.state.disconnect(connection, now_ms());
            }
        }
        self.bump();
    }

    /// Attaches; the backlog is computed under the same lock that publishing takes, so
    /// that every message is either in the backlog or queued after it, never both.
    pub(crate) fn attach(
        &self,
        connection: &str,
        channel: &str,
        from: AttachFrom<'_>,
    ) -> Attachment {
        let refuse = self.faults.refuse_resume();
        let attachment = self
            .lock()
            .state
            .attach(connection, channel, from, refuse, now_ms());
        self.bump();
        attachment
    }

    /// Detaches.
    pub(crate) fn detach(&self, connection: &str, channel: &str) {
        self.lock().state.detach(connection, channel);
        self.bump();
    }

    /// Appends to `channel` and queues the new messages to every attached connection.
    pub(crate) fn publish(&self, channel: &str, messages: Vec<NewMessage>) -> Vec<StoredMessage> {
        let appended = {
            let mut inner = self.lock();
            let appended = inner.state.publish(channel, messages, now_ms());
            for connection in inner.state.subscribers(channel) {
                if let Some(link) = inner.links.get(&connection) {
                    for message in &appended {
                        let _ = link.tx.send(Outbound::Message(
                            channel.to_string(),
                            Box::new(message.clone()),
                        ));
                    }
                }
            }
            appended
        };
        self.bump();
        appended
    }

    /// One page of history (counted).
    pub(crate) fn history(&self, channel: &str, query: &HistoryQuery) -> HistoryPage {
        let page = self.lock().state.history(channel, query, now_ms());
        self.history_requests.fetch_add(1, Ordering::SeqCst);
        self.bump();
        page
    }

    /// Every message of `channel`.
    pub(crate) fn messages(&self, channel: &str) -> Vec<StoredMessage> {
        self.lock().state.messages(channel).to_vec()
    }

    /// Live connections.
    pub(crate) fn connections(&self) -> usize {
        self.lock().links.len()
    }

    /// Live connections attached to `channel`.
    pub(crate) fn attached(&self, channel: &str) -> usize {
        let inner = self.lock();
        inner
            .state
            .subscribers(channel)
            .iter()
            .filter(|c| inner.links.contains_key(*c))
            .count()
    }

    /// Tells every live session to do `what`.
    pub(crate) fn broadcast(&self, what: impl Fn() -> Outbound) {
        let inner = self.lock();
        for link in inner.links.values() {
            let _ = link.tx.send(what());
        }
    }

    /// The counters.
    pub(crate) fn stats(&self) -> SimStats {
        SimStats {
            connects: self.connects.load(Ordering::SeqCst),
            resumes: self.resumes.load(Ordering::SeqCst),
            failed_resumes: self.failed_resumes.load(Ordering::SeqCst),
            refused_keys: self.refused_keys.load(Ordering::SeqCst),
            history_requests: self.history_requests.load(Ordering::SeqCst),
        }
    }
}
