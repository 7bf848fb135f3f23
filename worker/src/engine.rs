//! A run: fetch the strategy's targets once (unless the job carries them), then every
//! account in parallel, each in its own task and span; a failing or panicking account never
//! stops the others.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;
use trading_core::allocations::{Allocation, AllocationClient, ApiKey, check_weight_drop};
use trading_core::protocol::{AccountResult, Command, ErrorKind, EventBody, Job, Outcome};

use crate::account::{self, RunContext};
use crate::events::Events;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Accounts that ended ok.
    pub ok: usize,
    /// Accounts that failed.
    pub failed: usize,
    /// Whether a signal or the deadline stopped the run.
    pub stopped: bool,
}

impl Summary {
    /// The worker's exit code: 143 stopped, 1 some account failed, 0 all ok.
    pub fn exit_code(&self) -> u8 {
        if self.stopped {
            143
        } else if self.failed > 0 {
            1
        } else {
            0
        }
    }
}

/// Runs `job`, emitting `started`, per-account events and `finished`.
pub async fn run(
    job: Job,
    api_key: Option<ApiKey>,
    events: Events,
    stop: CancellationToken,
) -> Summary {
    let accounts: Vec<String> = job.accounts.iter().map(|a| a.account_id.clone()).collect();
    events.emit(EventBody::Started {
        strategy: job.strategy.clone(),
        command: job.command,
        accounts: accounts.clone(),
    });
    let run_span = tracing::info_span!("run", strategy = %job.strategy, run_id = %job.run_id);

    let targets = match (&job.targets, job.command.needs_targets()) {
        (_, false) => Vec::new(),
        (Some(targets), true) => targets.clone(),
        (None, true) => match fetch_targets(&job, api_key)
            .instrument(run_span.clone())
            .await
        {
            Ok(targets) => {
                events.emit(EventBody::Targets {
                    targets: targets.clone(),
                });
                targets
            }
            Err(message) => {
                for account in &accounts {
                    let outcome = Outcome::Error {
                        kind: ErrorKind::Allocations,
                        message: message.clone(),
                    };
                    events.emit(EventBody::AccountFinished {
                        account: account.clone(),
                        outcome,
                        result: None,
                    });
                }
                return finish(&events, 0, accounts.len(), stop.is_cancelled());
            }
        },
    };

    if let Some(refusal) = weight_drop_refusal(&job, &targets) {
        tracing::error!(parent: &run_span, %refusal, "targets refused");
        for account in &accounts {
            events.emit(EventBody::AccountFinished {
                account: account.clone(),
                outcome: Outcome::Error {
                    kind: ErrorKind::RiskLimit,
                    message: refusal.clone(),
                },
                result: None,
            });
        }
        return finish(&events, 0, accounts.len(), stop.is_cancelled());
    }

    let ctx = Arc::new(RunContext {
        job: job.clone(),
        targets,
        events: events.clone(),
        stop: stop.clone(),
    });
    let mut tasks = JoinSet::new();
    let mut names = HashMap::new();
    for account in job.accounts {
        let span = tracing::info_span!(parent: &run_span, "account", account = %account.account_id, strategy = %job.strategy, run_id = %job.run_id);
        let name = account.account_id.clone();
        let handle = tasks.spawn(account::run(ctx.clone(), account).instrument(span));
        names.insert(handle.id(), name);
    }
    let (mut ok, mut failed) = (0, 0);
    while let Some(joined) = tasks.join_next_with_id().await {
        let (account, outcome, result): (String, Outcome, Option<AccountResult>) = match joined {
            Ok((id, (outcome, result))) => (names.remove(&id).unwrap_or_default(), outcome, result),
            Err(err) => {
                let account = names.remove(&err.id()).unwrap_or_default();
                let message = if err.is_panic() {
                    "the account's task panicked".to_string()
                } else {
                    err.to_string()
                };
                tracing::error!(parent: &run_span, account = %account, strategy = %job.strategy, "{message}");
                (
                    account,
                    Outcome::Error {
                        kind: ErrorKind::Panic,
                        message,
                    },
                    None,
                )
            }
        };
        if outcome == Outcome::Ok {
            ok += 1;
        } else {
            failed += 1;
        }
        events.emit(EventBody::AccountFinished {
            account,
            outcome,
            result,
        });
    }
    finish(&events, ok, failed, stop.is_cancelled())
}

fn finish(events: &Events, ok: usize, failed: usize, stopped: bool) -> Summary {
    events.emit(EventBody::Finished {
        accounts_ok: ok,
        accounts_failed: failed,
        stopped,
    });
    Summary {
        ok,
        failed,
        stopped,
    }
}

/// Why a rebalance must not trade `targets`: their total dropped abruptly from the last
/// successful rebalance's and nobody confirmed it. A dry run only logs it.
fn weight_drop_refusal(job: &Job, targets: &[Allocation]) -> Option<String> {
    let previous = job.previous_targets.as_ref()?;
    if job.confirm_targets || !job.command.needs_targets() {
        return None;
    }
    let refusal =
        check_weight_drop(previous, targets, job.settings.allocations.max_weight_drop).err()?;
    if job.command == Command::Rebalance {
        Some(refusal)
    } else {
        tracing::warn!(%refusal, "a rebalance would refuse these targets");
        None
    }
}

async fn fetch_targets(job: &Job, api_key: Option<ApiKey>) -> Result<Vec<Allocation>, String> {
    let key =
        api_key.ok_or_else(|| "no allocation API key: set ALLOCATIONS_API_KEY".to_string())?;
    let client =
        AllocationClient::new(job.settings.allocations.clone(), key).map_err(|e| e.to_string())?;
    let targets = client.fetch(&job.strategy).await.map_err(|e| {
        tracing::error!(err = %e, "cannot fetch allocations");
        e.to_string()
    })?;
    tracing::info!(targets = targets.len(), "allocations fetched");
    Ok(targets)
}
