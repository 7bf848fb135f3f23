//! The journal: an embedded SQLite database (WAL) holding events, runs, per-account results,
//! orders and the realtime resume points. Writes happen before the supervisor acts on them,
//! so a restart knows what was received and not finished. Calls run on tokio's blocking pool.

mod events;
mod run_state;
mod runs;
mod schema;
mod snapshots;
mod stats;
mod trigger;

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;
use trading_core::control::LiveEvent;

pub use events::{EventRow, ResumeRow};
pub use run_state::{ALL_STATES, RunState, StateChange};
pub use runs::{NewRun, RunFilter, RunRow};
pub use schema::SCHEMA_VERSION;
pub use snapshots::StoredSnapshot;
pub use stats::JournalStats;
pub use trigger::Trigger;

/// Why the journal failed.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// SQLite refused.
    #[error("journal: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The blocking task died.
    #[error("journal: the database task failed: {0}")]
    Task(String),
    /// A stored value could not be read back.
    #[error("journal: corrupt row: {0}")]
    Corrupt(String),
    /// The journal was written by a newer release whose schema this one does not know.
    #[error(
        "journal: schema version {found} was written by a newer release (this one knows up to {supported}); run that release or restore a backup"
    )]
    Newer {
        /// The journal's version.
        found: u32,
        /// The newest this release knows.
        supported: u32,
    },
    /// A state change the run state machine does not allow, or one another path made first.
    #[error("journal: run {run} is {} and cannot become {}", .from.name(), .to.name())]
    Transition {
        /// The run.
        run: String,
        /// Its state now.
        from: RunState,
        /// The state asked for.
        to: RunState,
    },
    /// No run has this id.
    #[error("journal: no run `{0}`")]
    NoRun(String),
}

/// Live events buffered per subscriber before it counts as fallen behind.
const LIVE_CAPACITY: usize = 256;

/// A handle to the journal; cheap to clone.
#[derive(Clone)]
pub struct Journal {
    connection: Arc<Mutex<Connection>>,
    /// Runs created or changed and orders recorded, announced after they are written.
    live: tokio::sync::broadcast::Sender<LiveEvent>,
}

impl Journal {
    /// Opens (creating if needed) the journal at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, JournalError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                JournalError::Corrupt(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        let mut connection = Connection::open(path)?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        // The journal is small and written more than read: a 512 KiB page cache (SQLite's
        // default is 2 MiB) keeps the idle daemon small.
        connection.pragma_update(None, "cache_size", -512)?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        schema::migrate(&mut connection)?;
        Ok(Self::with(connection))
    }

    fn with(connection: Connection) -> Self {
        Self {
            connection: Arc::new(Mutex::new(connection)),
            live: tokio::sync::broadcast::channel(LIVE_CAPACITY).0,
        }
    }

    /// Hears of every run created or changed and every order recorded from now on, each
    /// after it is written.
    pub fn live(&self) -> tokio::sync::broadcast::Receiver<LiveEvent> {
        self.live.subscribe()
    }

    /// Announces run `id` as it is now, when anyone listens. The change is written
    /// already, so a failure to read it back is logged, never returned: listeners miss one
    /// event, the caller does not see a write fail that succeeded.
    async fn announce_run(&self, id: &str) {
        if self.live.receiver_count() == 0 {
            return;
        }
        match self.run(id).await {
            Ok(Some(run)) => {
                let _ = self.live.send(LiveEvent::Run { run: run.summary() });
            }
            Ok(None) => {}
            Err(err) => tracing::warn!(run_id = %id, %err, "cannot announce a run change"),
        }
    }

    /// Announces `event`, when anyone listens.
    fn announce(&self, event: LiveEvent) {
        if self.live.receiver_count() > 0 {
            let _ = self.live.send(event);
        }
    }

    /// Opens the journal at `path` for reading only, as the dashboard does: it never writes,
    /// never migrates, and (SQLite in WAL mode) never blocks the daemon's writes.
    pub fn open_read_only(path: &Path) -> Result<Self, JournalError> {
        let connection = Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| JournalError::Corrupt(format!("cannot open {}: {e}", path.display())))?;
        connection.pragma_update(None, "query_only", true)?;
        connection.pragma_update(None, "cache_size", -512)?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        schema::check_current(&connection)?;
        Ok(Self::with(connection))
    }

    /// Runs `work` on the database off the async runtime.
    pub async fn call<T, F>(&self, work: F) -> Result<T, JournalError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, JournalError> + Send + 'static,
    {
        let connection = self.connection.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = connection
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            work(&mut guard)
        })
        .await
        .map_err(|e| JournalError::Task(e.to_string()))?
    }
}
