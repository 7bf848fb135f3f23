//! The scheduler, its runs and the recovery pass in process, on a real journal, with the
//! scheduler's clock set to a weekend and a stand-in worker: a shell script that keeps
//! each job it is given and replays the events a test wrote for it. Recovery resumes
//! interrupted work once, at the next session, and nothing runs before it; runs wider than
//! the connection cap trade one set of targets; final failures are not retried; a failing
//! journal fails the run; `supervisor retry` keeps the chain and market hours.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use supervisor::journal::{Journal, NewRun, RunFilter, RunState, StateChange, Trigger};
use supervisor::notify::Notifier;
use supervisor::runs::Scheduler;
use supervisor::runs::recovery::recover;
use supervisor::runs::scheduler::SchedulerSetup;
use supervisor::strategies::StrategyTable;
use time::OffsetDateTime;
use time::macros::datetime;
use trading_core::allocations::Allocation;
use trading_core::broker::OrderStatus;
use trading_core::calculator::{Action, OrderType};
use trading_core::config::{Settings, TradingMode, load_accounts};
use trading_core::executor::OrderReport;
use trading_core::protocol::{Command, ErrorKind, Event, EventBody, Outcome};

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
        // Job N is kept as jobs/N.json; the worker then prints events-N.jsonl with its run id
        // filled in and exits 0, or exits 2 (a bad job) when no events were written for it.
        let worker = dir.path().join("worker");
        std::fs::create_dir(dir.path().join("jobs")).unwrap();
        std::fs::write(
            &worker,
            format!(
                r#"#!/bin/sh
cd {}
n=$(ls jobs | wc -l)
cat > jobs/$n.json
[ -f events-$n.jsonl ] || exit 2
run_id=$(sed -n 's/.*"run_id":"\([^"]*\)".*/\1/p' jobs/$n.json)
sed "s/RUN_ID/$run_id/g" events-$n.jsonl
"#,
                dir.path().display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&worker, std::fs::Permissions::from_mode(0o755)).unwrap();
        let journal = Journal::open(&dir.path().join("journal.sqlite")).unwrap();
        Self { dir, journal }
    }

    fn scheduler(&self) -> Arc<Scheduler> {
        self.scheduler_with(|_| {})
    }

    /// A scheduler whose settings `adjust` changed first.
    fn scheduler_with(&self, adjust: impl FnOnce(&mut Settings)) -> Arc<Scheduler> {
        let mut settings = Settings::default();
        adjust(&mut settings);
        settings.supervisor.worker_path = Some(self.dir.path().join("worker"));
        let accounts = load_accounts(&self.dir.path().join("accounts.yaml"), None).unwrap();
        Scheduler::new(SchedulerSetup {
            notifier: Notifier::start(&settings.notifications, None),
            table: StrategyTable::new(&accounts, TradingMode::Paper),
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
        std::fs::read_dir(self.dir.path().join("jobs"))
            .unwrap()
            .count()
    }

    /// The job the worker was given at its `n`th start.
    fn job(&self, n: usize) -> serde_json::Value {
        let text = std::fs::read_to_string(self.jobs().join(format!("{n}.json"))).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    fn jobs(&self) -> PathBuf {
        self.dir.path().join("jobs")
    }

    /// What the worker prints at its `n`th start (`RUN_ID` stands for the job's run id).
    fn worker_prints(&self, n: usize, events: &[EventBody]) {
        let lines: Vec<String> = events
            .iter()
            .map(|body| {
                let event = Event {
                    run_id: "RUN_ID".into(),
                    ts: "2026-11-28T17:00:00Z".into(),
                    body: body.clone(),
                };
                serde_json::to_string(&event).unwrap()
            })
            .collect();
        std::fs::write(
            self.dir.path().join(format!("events-{n}.jsonl")),
            lines.join("\n") + "\n",
        )
        .unwrap();
    }

    /// Submits a manual `command` of alpha's `accounts` and waits until its run ended.
    async fn run_now(
        &self,
        scheduler: &Arc<Scheduler>,
        command: Command,
        accounts: &[String],
    ) -> supervisor::journal::RunRow {
        let submitted = scheduler
            .submit("alpha", command, accounts, Trigger::Manual, None, false)
            .await
            .unwrap();
        self.finished(&submitted.run_id).await
    }

    /// Waits until run `id` is in a final state, and returns it.
    async fn finished(&self, id: &str) -> supervisor::journal::RunRow {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let run = self.journal.run(id).await.unwrap().unwrap();
            if run.state.is_final() {
                return run;
            }
            assert!(Instant::now() < deadline, "run {id} never ended: {run:?}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// A rebalance of all three accounts that was running when the supervisor went away:
    /// DU1111111 finished ok, DU2222222 was stopped, DU3333333 had its orders rejected.
    async fn interrupted_run(&self, end: Option<RunState>) -> String {
        let run = alpha(
            Command::Rebalance,
            Trigger::Event,
            &["DU1111111", "DU2222222", "DU3333333"],
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
        .create_run(alpha(Command::Rebalance, Trigger::Manual, &["DU1111111"]))
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
    let runs = setup
        .journal
        .recent_runs(&RunFilter::latest(None, 10))
        .await
        .unwrap();
    assert_eq!(
        runs.iter().filter(|r| r.state == RunState::Expired).count(),
        1
    );
    let recent = runs
        .iter()
        .find(|r| r.state != RunState::Expired)
        .expect("the recent event's run");
    setup.finished(&recent.id).await;
    scheduler.shut_down().await;
    assert_eq!(
        setup.worker_starts(),
        1,
        "the recent event ran (positions need no market hours)"
    );
}

/// A new run of strategy alpha.
fn alpha(command: Command, trigger: Trigger, accounts: &[&str]) -> NewRun {
    NewRun::first(
        "alpha",
        command,
        trigger,
        accounts.iter().map(|a| a.to_string()).collect(),
    )
}

fn finished_ok(account: &str) -> EventBody {
    EventBody::AccountFinished {
        account: account.into(),
        outcome: Outcome::Ok,
        result: None,
    }
}

fn finished_with(account: &str, kind: ErrorKind, message: &str) -> EventBody {
    EventBody::AccountFinished {
        account: account.into(),
        outcome: Outcome::Error {
            kind,
            message: message.into(),
        },
        result: None,
    }
}

fn end(ok: usize, failed: usize) -> EventBody {
    EventBody::Finished {
        accounts_ok: ok,
        accounts_failed: failed,
        stopped: false,
    }
}

/// Settings for runs that start at once: market hours off.
fn any_time(settings: &mut Settings) {
    settings.supervisor.market_hours = false;
}

#[tokio::test]
async fn a_run_wider_than_the_connection_cap_trades_one_set_of_targets() {
    let setup = Setup::new();
    let targets = vec![
        Allocation {
            symbol: "VTI".into(),
            weight: 0.6,
        },
        Allocation {
            symbol: "BND".into(),
            weight: 0.4,
        },
    ];
    setup.worker_prints(
        0,
        &[
            EventBody::Targets {
                targets: targets.clone(),
            },
            finished_ok("DU1111111"),
            end(1, 0),
        ],
    );
    setup.worker_prints(1, &[finished_ok("DU2222222"), end(1, 0)]);
    let scheduler = setup.scheduler_with(|s| {
        any_time(s);
        s.supervisor.max_gateway_connections = 1;
    });
    let accounts = ["DU1111111".to_string(), "DU2222222".to_string()];
    let run = setup
        .run_now(&scheduler, Command::PrintRebalance, &accounts)
        .await;
    assert_eq!(run.state, RunState::Succeeded, "{run:?}");
    assert_eq!(setup.worker_starts(), 2, "one worker per batch of one");
    assert!(setup.job(0).get("targets").is_none(), "the first fetches");
    let handed: Vec<Allocation> = serde_json::from_value(setup.job(1)["targets"].clone()).unwrap();
    assert_eq!(handed, targets, "the second trades what the first fetched");
    assert_eq!(run.targets, Some(targets), "journaled with the run");
}

#[tokio::test]
async fn risk_limits_are_final_and_say_what_to_change_while_other_failures_retry() {
    let setup = Setup::new();
    setup.worker_prints(
        0,
        &[
            finished_with("DU1111111", ErrorKind::RiskLimit, "order of 60% above 50%"),
            finished_with("DU2222222", ErrorKind::Gateway, "connection dropped"),
            end(0, 2),
        ],
    );
    let scheduler = setup.scheduler_with(any_time);
    let accounts = ["DU1111111".to_string(), "DU2222222".to_string()];
    let run = setup
        .run_now(&scheduler, Command::Rebalance, &accounts)
        .await;
    assert_eq!(run.state, RunState::Failed);
    let error = run.error.unwrap_or_default();
    assert!(
        error.contains("not retried") && error.contains("trading.max_order_percent"),
        "{error}"
    );
    let retries = setup.journal.next_attempts(&run.id).await.unwrap();
    assert_eq!(retries.len(), 1, "{retries:?}");
    assert_eq!(
        retries[0].accounts,
        ["DU2222222"],
        "only the gateway failure"
    );
    assert_eq!(
        (retries[0].trigger, retries[0].attempt),
        (Trigger::Retry, 2)
    );
    scheduler.shut_down().await;
}

#[tokio::test]
async fn a_journal_that_cannot_record_an_order_fails_the_run() {
    let setup = Setup::new();
    setup
        .journal
        .call(|c| {
            c.execute_batch(
                "CREATE TRIGGER full_disk BEFORE INSERT ON orders BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END;",
            )?;
            Ok(())
        })
        .await
        .unwrap();
    let order = OrderReport {
        order_id: 1,
        symbol: "VTI".into(),
        action: Action::Buy,
        quantity: 10,
        order_type: OrderType::Limit,
        limit_price: Some(251.0),
        order_ref: "rb:RUN_ID:DU1111111:VTI".into(),
        status: OrderStatus::Submitted,
        filled: 0.0,
        avg_fill_price: None,
        commission: 0.0,
        unfilled_reason: None,
    };
    setup.worker_prints(
        0,
        &[
            EventBody::OrderSubmitted {
                account: "DU1111111".into(),
                order,
            },
            finished_ok("DU1111111"),
            end(1, 0),
        ],
    );
    let scheduler = setup.scheduler_with(any_time);
    let run = setup
        .run_now(&scheduler, Command::Rebalance, &["DU1111111".to_string()])
        .await;
    assert_eq!(run.state, RunState::Failed, "{run:?}");
    let error = run.error.unwrap_or_default();
    assert!(
        error.contains("the journal could not record the run") && error.contains("disk is full"),
        "{error}"
    );
    scheduler.shut_down().await;
}

#[tokio::test]
async fn a_pdt_check_that_cannot_read_the_journal_fails_the_run_before_any_worker() {
    let setup = Setup::new();
    let accounts = setup.dir.path().join("accounts.yaml");
    let text = std::fs::read_to_string(&accounts).unwrap().replace(
        "{account_id: DU1111111, type: paper,",
        "{account_id: DU1111111, type: paper, pdt_protection_enabled: true,",
    );
    std::fs::write(&accounts, text).unwrap();
    setup
        .journal
        .call(|c| {
            c.execute_batch("DROP TABLE orders")?;
            Ok(())
        })
        .await
        .unwrap();
    let scheduler = setup.scheduler_with(any_time);
    let run = setup
        .run_now(&scheduler, Command::Rebalance, &["DU1111111".to_string()])
        .await;
    assert_eq!(run.state, RunState::Failed);
    assert!(
        run.error
            .unwrap_or_default()
            .contains("PDT protection cannot read today's trades"),
    );
    assert_eq!(setup.worker_starts(), 0, "nothing traded on a guess");
}

#[tokio::test]
async fn supervisor_retry_keeps_the_chain_waits_for_the_open_and_happens_once() {
    let setup = Setup::new();
    let failed = setup
        .journal
        .create_run(alpha(
            Command::Rebalance,
            Trigger::Event,
            &["DU1111111", "DU2222222"],
        ))
        .await
        .unwrap();
    setup
        .journal
        .transition(&failed, StateChange::to(RunState::Running))
        .await
        .unwrap();
    setup
        .journal
        .record_account(&failed, "DU1111111", &Outcome::Ok, None)
        .await
        .unwrap();
    setup
        .journal
        .transition(
            &failed,
            StateChange::ended(RunState::Failed, Some(1), Some("DU2222222 failed".into())),
        )
        .await
        .unwrap();
    let row = setup.journal.run(&failed).await.unwrap().unwrap();
    let scheduler = setup.scheduler();
    let retried = scheduler
        .retry_now(&row, vec!["DU2222222".into()])
        .await
        .unwrap();
    assert!(retried.queued, "Saturday: it waits");
    let retry = setup.journal.run(&retried.run_id).await.unwrap().unwrap();
    assert_eq!(
        (retry.state, retry.not_before, retry.trigger, retry.attempt),
        (
            RunState::Scheduled,
            Some(MONDAY_START_MS),
            Trigger::Retry,
            2
        )
    );
    assert_eq!(retry.retry_of.as_deref(), Some(failed.as_str()));
    assert_eq!(retry.accounts, ["DU2222222"]);
    let again = scheduler
        .retry_now(&row, vec!["DU2222222".into()])
        .await
        .unwrap_err()
        .to_string();
    assert!(
        again.contains(&format!("already retried by run `{}`", retried.run_id)),
        "{again}"
    );
    assert_eq!(setup.worker_starts(), 0);
    scheduler.shut_down().await;
}

#[tokio::test]
async fn a_rebalance_carries_the_last_rebalanced_targets_and_a_confirmation_once() {
    let setup = Setup::new();
    let traded = vec![
        Allocation {
            symbol: "VTI".into(),
            weight: 0.6,
        },
        Allocation {
            symbol: "BND".into(),
            weight: 0.4,
        },
    ];
    let earlier = setup
        .journal
        .create_run(alpha(Command::Rebalance, Trigger::Event, &["DU1111111"]))
        .await
        .unwrap();
    setup.journal.set_targets(&earlier, &traded).await.unwrap();
    setup
        .journal
        .transition(&earlier, StateChange::to(RunState::Running))
        .await
        .unwrap();
    setup
        .journal
        .transition(
            &earlier,
            StateChange::ended(RunState::Succeeded, Some(0), None),
        )
        .await
        .unwrap();
    for n in 0..2 {
        setup.worker_prints(n, &[finished_ok("DU1111111"), end(1, 0)]);
    }
    let scheduler = setup.scheduler_with(any_time);
    scheduler.confirm_targets("alpha");
    let accounts = ["DU1111111".to_string()];
    setup
        .run_now(&scheduler, Command::Rebalance, &accounts)
        .await;
    setup
        .run_now(&scheduler, Command::Rebalance, &accounts)
        .await;
    let previous = setup.job(0)["previous_targets"].clone();
    assert_eq!(previous["run_id"], earlier.as_str());
    let handed: Vec<Allocation> = serde_json::from_value(previous["targets"].clone()).unwrap();
    assert_eq!(handed, traded);
    assert_eq!(setup.job(0)["confirm_targets"], true, "the confirmed run");
    assert_eq!(
        setup.job(1)["confirm_targets"],
        false,
        "a confirmation serves one run"
    );
}
