//! Received events and the realtime resume points.

use rusqlite::{OptionalExtension, params};
use trading_core::protocol::Command;

use super::{Journal, JournalError};
use crate::clock::now_ms;

/// A received event.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    /// Journal id.
    pub id: i64,
    /// The Ably message id.
    pub message_id: String,
    /// Strategy (channel).
    pub strategy: String,
    /// Command asked for.
    pub command: Command,
    /// When it arrived (ms).
    pub received_at: i64,
}

/// Where to resume a channel after a restart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResumeRow {
    /// Last channel serial.
    pub channel_serial: Option<String>,
    /// Last message id.
    pub last_message_id: Option<String>,
    /// Last message time (ms).
    pub last_timestamp_ms: Option<i64>,
}

impl Journal {
    /// Records an event; `None` when its message id was seen before (a duplicate).
    pub async fn insert_event(
        &self,
        message_id: &str,
        strategy: &str,
        command: Command,
        payload: &str,
    ) -> Result<Option<i64>, JournalError> {
        let (message_id, strategy, payload) = (
            message_id.to_string(),
            strategy.to_string(),
            payload.to_string(),
        );
        self.call(move |c| {
            let inserted = c.execute(
                "INSERT OR IGNORE INTO events (message_id, strategy, command, payload, received_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![message_id, strategy, command.name(), payload, now_ms()],
            )?;
            Ok((inserted == 1).then(|| c.last_insert_rowid()))
        })
        .await
    }

    /// Links an event to the run that serves it.
    pub async fn link_event(&self, event_id: i64, run_id: &str) -> Result<(), JournalError> {
        let run_id = run_id.to_string();
        self.call(move |c| {
            c.execute(
                "UPDATE events SET run_id = ?2 WHERE id = ?1",
                params![event_id, run_id],
            )?;
            Ok(())
        })
        .await
    }

    /// Events received but never given a run (the supervisor stopped in between).
    pub async fn unserved_events(&self) -> Result<Vec<EventRow>, JournalError> {
        self.call(|c| {
            let mut statement = c.prepare("SELECT id, message_id, strategy, command, received_at FROM events WHERE run_id IS NULL ORDER BY id")?;
            let rows = statement
                .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, i64>(4)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            rows.into_iter()
                .map(|(id, message_id, strategy, command, received_at)| {
                    let command = serde_json::from_value(serde_json::Value::String(command.clone()))
                        .map_err(|_| JournalError::Corrupt(format!("event {id}: command `{command}`")))?;
                    Ok(EventRow { id, message_id, strategy, command, received_at })
                })
                .collect()
        })
        .await
    }

    /// When the last event of a strategy arrived (ms).
    pub async fn last_event_at(&self, strategy: &str) -> Result<Option<i64>, JournalError> {
        let strategy = strategy.to_string();
        self.call(move |c| {
            Ok(c.query_row(
                "SELECT MAX(received_at) FROM events WHERE strategy = ?1",
                [&strategy],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
        })
        .await
    }

    /// Remembers where a channel's stream stands.
    pub async fn save_resume(&self, channel: &str, point: ResumeRow) -> Result<(), JournalError> {
        let channel = channel.to_string();
        self.call(move |c| {
            c.execute(
                "INSERT OR REPLACE INTO resume (channel, channel_serial, last_message_id, last_timestamp_ms) VALUES (?1, ?2, ?3, ?4)",
                params![channel, point.channel_serial, point.last_message_id, point.last_timestamp_ms],
            )?;
            Ok(())
        })
        .await
    }

    /// Every channel's resume point.
    pub async fn resume_points(&self) -> Result<Vec<(String, ResumeRow)>, JournalError> {
        self.call(|c| {
            let mut statement = c.prepare(
                "SELECT channel, channel_serial, last_message_id, last_timestamp_ms FROM resume",
            )?;
            let rows = statement
                .query_map([], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        ResumeRow {
                            channel_serial: r.get(1)?,
                            last_message_id: r.get(2)?,
                            last_timestamp_ms: r.get(3)?,
                        },
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{NewRun, RunState, StateChange, Trigger};

    #[tokio::test]
    async fn events_are_unique_and_runs_move_through_states() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        let first = journal
            .insert_event("m1", "s", Command::Rebalance, "{}")
            .await
            .unwrap();
        assert!(first.is_some());
        assert_eq!(
            journal
                .insert_event("m1", "s", Command::Rebalance, "{}")
                .await
                .unwrap(),
            None,
            "duplicate"
        );
        assert_eq!(journal.unserved_events().await.unwrap().len(), 1);
        let run = journal
            .create_run(NewRun::first(
                "s",
                Command::Rebalance,
                Trigger::Event,
                vec!["DU1".into()],
            ))
            .await
            .unwrap();
        assert!(!run.contains(':'));
        journal.link_event(first.unwrap(), &run).await.unwrap();
        assert!(journal.unserved_events().await.unwrap().is_empty());
        assert_eq!(
            journal.run(&run).await.unwrap().unwrap().state,
            RunState::Queued
        );
        journal
            .transition(&run, StateChange::to(RunState::Running))
            .await
            .unwrap();
        assert_eq!(
            journal.runs_in(&[RunState::Running]).await.unwrap().len(),
            1
        );
        journal
            .transition(
                &run,
                StateChange::ended(RunState::Failed, Some(1), Some("DU1 failed".into())),
            )
            .await
            .unwrap();
        let row = journal.run(&run).await.unwrap().unwrap();
        assert_eq!(
            (row.state, row.error.as_deref()),
            (RunState::Failed, Some("DU1 failed"))
        );
        assert!(row.finished_at.is_some());
        assert_eq!(journal.last_finished("s").await.unwrap().unwrap().id, run);
    }

    #[tokio::test]
    async fn resume_points_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.sqlite");
        {
            let journal = Journal::open(&path).unwrap();
            journal
                .save_resume(
                    "s",
                    ResumeRow {
                        channel_serial: Some("abc".into()),
                        last_message_id: Some("m9".into()),
                        last_timestamp_ms: Some(5),
                    },
                )
                .await
                .unwrap();
        }
        let journal = Journal::open(&path).unwrap();
        let points = journal.resume_points().await.unwrap();
        assert_eq!(points[0].0, "s");
        assert_eq!(points[0].1.last_message_id.as_deref(), Some("m9"));
    }
}
