//! The recovery pass on a journal a stopped supervisor left, with the scheduler's clock set
//! to a weekend: interrupted work is resumed once, at the next session, and nothing runs
//! before it. A worker that records each start proves that nothing was spawned.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::os::unix::fs::PermissionsExt;

use supervisor::journal::{Journal, NewRun, RunState, StateChange, Trigger};
use supervisor::notify::Notifier;
use supervisor::runs::Scheduler;
use supervisor::runs::recovery::recover;
use supervisor::runs::scheduler::SchedulerSetup;
use supervisor::strategies::StrategyTable;
use time::OffsetDateTime;
use time::macros::datetime;
use trading_core::config::{Settings, TradingMode, load_accounts};
use trading_core::protocol::{Command, ErrorKind, Outcome};

/// Saturday 28 November 2026, noon in New York: the next session opens Monday at 09:30.
fn saturday() -> OffsetDateTime {
    datetime!(2026-11-28 17:00 UTC)
}

/// Monday's open plus the default five-minute delay, in ms.
const MONDAY_START_MS: i64 = datetime!(2026-11-30 14:35 UTC).unix_timestamp() * 1000;

struct Setup {
    dir: tempfile::TempDir,
    journal: Journal,
}

impl Setup {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("accounts.yaml"),
            "accounts:
  - {account_id: DU1111111, type: paper, enabled: true, strategy_name: alpha}
  - {account_id: DU2222222, type: paper, enabled: true, strategy_name: alpha}
  - {account_id: DU3333333, type: paper, enabled: true, strategy_name: alpha}
",
        )
        .unwrap();
        let worker = dir.path().join("worker");
        std::fs::write(
            &worker,
            format!(
                "#!/bin/sh\necho started >> {}\nexit 2\n",
                dir.path().join("starts").display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&worker, std::fs::Permissions::from_mode(0o755)).unwrap();
        let journal = Journal::open(&dir.path().join("journal.sqlite")).unwrap();
        Self { dir, journal }
    }

    fn scheduler(&self) -> std::sync::Arc<Scheduler> {
        let mut settings = Settings::default();
        settings.supervisor.worker_path = Some(self.dir.path().join("worker"));
        let accounts = load_accounts(&self.dir.path().join("accounts.yaml"), None).unwrap();
        Scheduler::new(SchedulerSetup {
            notifier: Notifier::start(&settings.notifications, None),
            table: StrategyTable::new(&accounts, TradingMode::Paper, 100),
            settings,
            journal: self.journal.clone(),
            mode: TradingMode::Paper,
            port: 1,
            worker: self.dir.path().join("worker"),
            api_key: None,
            clock: saturday,
        })
    }

    fn worker_starts(&self) -> usize {
        std::fs::read_to_string(self.dir.path().join("starts"))
            .map(|s| s.lines().count())
            .unwrap_or(0)
    }

    /// A rebalance of all three accounts that was running when the supervisor went away:
    /// DU1111111 finished ok, DU2222222 was stopped, DU3333333 had its orders rejected.
    async fn interrupted_run(&self, end: Option<RunState>) -> String {
        let run = NewRun::first(
            "alpha",
            Command::Rebalance,
            Trigger::Event,
            vec!["DU1111111".into(), "DU2222222".into(), "DU3333333".into()],
        );
        let id = self.journal.create_run(run).await.unwrap();
        self.journal
            .transition(&id, StateChange::to(RunState::Running))
            .await
            .unwrap();
        self.journal
            .record_account(&id, "DU1111111", &Outcome::Ok, None)
            .await
            .unwrap();
        let rejected = Outcome::Error {
            kind: ErrorKind::OrdersRejected,
            message: "rejected".into(),
        };
        self.journal
            .record_account(&id, "DU3333333", &rejected, None)
            .await
            .unwrap();
        if let Some(state) = end {
            self.journal
                .transition(&id, StateChange::ended(state, Some(143), None))
                .await
                .unwrap();
        }
        id
    }
}

#[tokio::test]
async fn a_crashed_run_is_resumed_once_at_the_next_session_and_nothing_runs_before() {
    let setup = Setup::new();
    let crashed = setup.interrupted_run(None).await;
    let scheduler = setup.scheduler();
    let first = recover(&scheduler).await.unwrap();
    assert_eq!(first.interrupted, std::slice::from_ref(&crashed));
    assert_eq!(first.resumed.len(), 1);
    let (from, next) = &first.resumed[0];
    assert_eq!(from, &crashed);

    let again = recover(&setup.scheduler()).await.unwrap();
    assert!(
        again.interrupted.is_empty() && again.resumed.is_empty(),
        "{again:?}"
    );

    let run = setup.journal.run(next).await.unwrap().unwrap();
    assert_eq!(run.state, RunState::Scheduled);
    assert_eq!(run.not_before, Some(MONDAY_START_MS));
    assert_eq!((run.trigger, run.attempt), (Trigger::Recovery, 2));
    assert_eq!(run.retry_of.as_deref(), Some(crashed.as_str()));
    assert_eq!(
        run.accounts,
        ["DU2222222"],
        "only the account without an ok or final outcome"
    );
    let old = setup.journal.run(&crashed).await.unwrap().unwrap();
    assert_eq!(old.state, RunState::Interrupted);
    assert_eq!(setup.worker_starts(), 0, "nothing runs before the open");
}

#[tokio::test]
async fn a_queued_rebalance_waits_for_the_open_and_an_old_interruption_expires() {
    let setup = Setup::new();
    let queued = setup
        .journal
        .create_run(NewRun::first(
            "alpha",
            Command::Rebalance,
            Trigger::Manual,
            vec!["DU1111111".into()],
        ))
        .await
        .unwrap();
    let old = setup.interrupted_run(Some(RunState::Interrupted)).await;
    setup
        .journal
        .call({
            let old = old.clone();
            move |c| {
                c.execute(
                    "UPDATE runs SET finished_at = finished_at - 25 * 3600 * 1000 WHERE id = ?1",
                    [&old],
                )?;
                Ok(())
            }
        })
        .await
        .unwrap();
    let done = recover(&setup.scheduler()).await.unwrap();
    assert_eq!(done.requeued, std::slice::from_ref(&queued));
    assert_eq!(done.expired.len(), 1);
    let expired = setup
        .journal
        .run(&done.expired[0].1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(expired.state, RunState::Expired);
    assert!(
        expired
            .error
            .as_deref()
            .unwrap_or("")
            .contains("not resumed"),
        "{expired:?}"
    );
    let queued = setup.journal.run(&queued).await.unwrap().unwrap();
    assert_eq!(
        (queued.state, queued.not_before),
        (RunState::Scheduled, Some(MONDAY_START_MS))
    );
    assert_eq!(setup.worker_starts(), 0);
}

#[tokio::test]
async fn an_event_never_run_is_expired_when_too_old_and_run_when_recent() {
    let setup = Setup::new();
    let old = setup
        .journal
        .insert_event("m-old", "alpha", Command::PrintPositions, "{}")
        .await
        .unwrap()
        .unwrap();
    setup
        .journal
        .call(move |c| {
            c.execute(
                "UPDATE events SET received_at = received_at - 48 * 3600 * 1000 WHERE id = ?1",
                [old],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    setup
        .journal
        .insert_event("m-new", "alpha", Command::PrintPositions, "{}")
        .await
        .unwrap();
    let scheduler = setup.scheduler();
    let done = recover(&scheduler).await.unwrap();
    assert_eq!((done.events_expired, done.events_submitted), (1, 1));
    assert!(setup.journal.unserved_events().await.unwrap().is_empty());
    let runs = setup.journal.recent_runs(None, 10).await.unwrap();
    assert_eq!(
        runs.iter().filter(|r| r.state == RunState::Expired).count(),
        1
    );
    let recent = runs
        .iter()
        .find(|r| r.state != RunState::Expired)
        .expect("the recent event's run")
        .id
        .clone();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !setup
        .journal
        .run(&recent)
        .await
        .unwrap()
        .is_some_and(|r| r.state.is_final())
    {
        assert!(std::time::Instant::now() < deadline, "the run never ended");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    scheduler.shut_down().await;
    assert_eq!(
        setup.worker_starts(),
        1,
        "the recent event ran (positions need no market hours)"
    );
}
