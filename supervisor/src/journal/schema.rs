//! The journal's tables and their migrations. `PRAGMA user_version` holds how many of
//! [`MIGRATIONS`] a journal has had; opening it applies the rest in order, each in its own
//! transaction, and refuses a journal written by a newer release.

use rusqlite::Connection;

use super::JournalError;

/// The first release's tables. Journals from before versioning (`user_version` 0) have them
/// already, hence `IF NOT EXISTS`.
const BASELINE: &str = "
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    strategy TEXT NOT NULL,
    command TEXT NOT NULL,
    payload TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    run_id TEXT
);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    strategy TEXT NOT NULL,
    command TEXT NOT NULL,
    trigger TEXT NOT NULL,
    state TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    accounts TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    not_before INTEGER,
    started_at INTEGER,
    finished_at INTEGER,
    exit_code INTEGER,
    error TEXT,
    retry_of TEXT
);
CREATE INDEX IF NOT EXISTS runs_by_strategy ON runs (strategy, created_at);
CREATE INDEX IF NOT EXISTS runs_by_state ON runs (state);
CREATE TABLE IF NOT EXISTS account_results (
    run_id TEXT NOT NULL,
    account TEXT NOT NULL,
    outcome TEXT NOT NULL,
    result TEXT,
    PRIMARY KEY (run_id, account)
);
CREATE TABLE IF NOT EXISTS orders (
    run_id TEXT NOT NULL,
    account TEXT NOT NULL,
    order_id INTEGER NOT NULL,
    symbol TEXT NOT NULL,
    action TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    status TEXT NOT NULL,
    filled REAL NOT NULL,
    avg_fill_price REAL,
    order_ref TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (run_id, account, order_id)
);
CREATE TABLE IF NOT EXISTS paused (
    strategy TEXT PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS resume (
    channel TEXT PRIMARY KEY,
    channel_serial TEXT,
    last_message_id TEXT,
    last_timestamp_ms INTEGER
);
";

/// Each run records the targets it traded against; recovery looks runs up by the run they
/// follow.
const RUN_TARGETS: &str = "
ALTER TABLE runs ADD COLUMN targets TEXT;
CREATE INDEX runs_by_retry_of ON runs (retry_of);
";

/// Each account's snapshot as a run's first plan saw it, which a rerun of the run
/// reconciles the gateway's positions against.
const ACCOUNT_SNAPSHOTS: &str = "
CREATE TABLE account_snapshots (
    run_id TEXT NOT NULL,
    account TEXT NOT NULL,
    taken_at INTEGER NOT NULL,
    snapshot TEXT NOT NULL,
    PRIMARY KEY (run_id, account)
);
";

/// Snapshots are kept before and after a run's trades (the dashboard shows drift from the
/// latest), and orders keep their commissions and when they were placed. Existing snapshots
/// are the before ones.
const SNAPSHOT_PHASES_AND_COMMISSIONS: &str = "
CREATE TABLE account_snapshots_by_phase (
    run_id TEXT NOT NULL,
    account TEXT NOT NULL,
    phase TEXT NOT NULL,
    taken_at INTEGER NOT NULL,
    snapshot TEXT NOT NULL,
    PRIMARY KEY (run_id, account, phase)
);
INSERT INTO account_snapshots_by_phase (run_id, account, phase, taken_at, snapshot)
    SELECT run_id, account, 'before', taken_at, snapshot FROM account_snapshots;
DROP TABLE account_snapshots;
ALTER TABLE account_snapshots_by_phase RENAME TO account_snapshots;
CREATE INDEX account_snapshots_by_account ON account_snapshots (account, taken_at);
ALTER TABLE orders ADD COLUMN commission REAL;
ALTER TABLE orders ADD COLUMN placed_at INTEGER;
";

/// The migrations, oldest first; a journal at version N has had the first N.
const MIGRATIONS: [&str; 4] = [
    BASELINE,
    RUN_TARGETS,
    ACCOUNT_SNAPSHOTS,
    SNAPSHOT_PHASES_AND_COMMISSIONS,
];

/// The schema version this release writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Brings the journal's schema up to [`SCHEMA_VERSION`].
pub fn migrate(connection: &mut Connection) -> Result<(), JournalError> {
    let found: u32 = connection.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(JournalError::Newer {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (done, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = connection.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", done as u32 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// Checks that a journal opened read-only is at the version this release writes: a
/// reader never migrates, so an older one waits for the daemon to bring it up to date.
pub fn check_current(connection: &Connection) -> Result<(), JournalError> {
    let found: u32 = connection.pragma_query_value(None, "user_version", |r| r.get(0))?;
    match found.cmp(&SCHEMA_VERSION) {
        std::cmp::Ordering::Equal => Ok(()),
        std::cmp::Ordering::Greater => Err(JournalError::Newer {
            found,
            supported: SCHEMA_VERSION,
        }),
        std::cmp::Ordering::Less => Err(JournalError::Corrupt(format!(
            "schema version {found} is older than this release's {SCHEMA_VERSION}: start the daemon (`supervisor run`), which updates it, then try again"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(connection: &Connection) -> u32 {
        connection
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_reader_accepts_only_the_current_version() {
        let mut connection = Connection::open_in_memory().unwrap();
        let older = check_current(&connection).unwrap_err().to_string();
        assert!(older.contains("start the daemon"), "{older}");
        migrate(&mut connection).unwrap();
        check_current(&connection).unwrap();
        connection
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        assert!(matches!(
            check_current(&connection),
            Err(JournalError::Newer { .. })
        ));
    }

    #[test]
    fn a_new_journal_gets_every_migration_once() {
        let mut connection = Connection::open_in_memory().unwrap();
        migrate(&mut connection).unwrap();
        assert_eq!(version(&connection), SCHEMA_VERSION);
        migrate(&mut connection).unwrap();
        assert_eq!(version(&connection), SCHEMA_VERSION);
        connection
            .execute("UPDATE runs SET targets = NULL", [])
            .unwrap();
    }

    #[test]
    fn a_version_3_journal_keeps_its_snapshots_as_the_before_ones_and_gains_commissions() {
        let mut connection = Connection::open_in_memory().unwrap();
        for (done, sql) in MIGRATIONS.iter().take(3).enumerate() {
            connection.execute_batch(sql).unwrap();
            connection
                .pragma_update(None, "user_version", done as u32 + 1)
                .unwrap();
        }
        connection
            .execute(
                "INSERT INTO account_snapshots (run_id, account, taken_at, snapshot) VALUES ('r1', 'DU1234567', 5, '{}')",
                [],
            )
            .unwrap();
        connection
            .execute(
                "INSERT INTO orders (run_id, account, order_id, symbol, action, quantity, status, filled, order_ref, updated_at) VALUES ('r1', 'DU1234567', 1, 'VTI', 'BUY', 1, 'Filled', 1, 'rb:r1', 5)",
                [],
            )
            .unwrap();
        migrate(&mut connection).unwrap();
        assert_eq!(version(&connection), SCHEMA_VERSION);
        let kept: (String, i64) = connection
            .query_row(
                "SELECT phase, taken_at FROM account_snapshots WHERE run_id = 'r1'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(kept, ("before".to_string(), 5));
        let commission: Option<f64> = connection
            .query_row("SELECT commission FROM orders", [], |r| r.get(0))
            .unwrap();
        assert_eq!(commission, None, "unknown for orders journaled before");
        connection
            .execute(
                "INSERT INTO account_snapshots (run_id, account, phase, taken_at, snapshot) VALUES ('r1', 'DU1234567', 'after', 6, '{}')",
                [],
            )
            .unwrap();
    }

    #[test]
    fn a_journal_from_a_newer_release_is_refused() {
        let mut connection = Connection::open_in_memory().unwrap();
        connection
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        let err = migrate(&mut connection).unwrap_err().to_string();
        assert!(err.contains("newer release"), "{err}");
    }
}
