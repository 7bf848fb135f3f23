//! The journal's tables.

use rusqlite::Connection;

const SCHEMA: &str = "
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

/// Creates any missing table or index.
pub fn migrate(connection: &Connection) -> rusqlite::Result<()> {
    connection.execute_batch(SCHEMA)
}
