//! `worker job`: one job JSON on stdin, JSON-lines events on stdout, logs on stderr.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use tokio::io::AsyncReadExt;
use tokio_util::sync::CancellationToken;
use trading_core::allocations::ApiKey;
use trading_core::config::environment;
use trading_core::protocol::Job;

use crate::engine::{self, Summary};
use crate::events::{self, Events};
use crate::signals;

/// Largest job accepted on stdin.
const MAX_JOB_BYTES: u64 = 4 * 1024 * 1024;

/// Reads and checks the job; an error here means exit 2 with nothing connected.
pub async fn read_job() -> Result<Job> {
    let mut input = Vec::new();
    tokio::io::stdin()
        .take(MAX_JOB_BYTES + 1)
        .read_to_end(&mut input)
        .await
        .context("cannot read the job from stdin")?;
    if input.len() as u64 > MAX_JOB_BYTES {
        bail!("the job on stdin is larger than {MAX_JOB_BYTES} bytes");
    }
    let de = &mut serde_json::Deserializer::from_slice(&input);
    let job: Job = serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        anyhow::anyhow!("bad job on stdin: {path}: {}", err.into_inner())
    })?;
    job.validate()
        .map_err(|reason| anyhow::anyhow!("bad job on stdin: {reason}"))?;
    Ok(job)
}

/// Runs a validated job to its end.
pub async fn run(job: Job) -> Result<Summary> {
    if !signals::die_with_parent() {
        bail!("the parent process is already gone");
    }
    let stop = CancellationToken::new();
    signals::on_signals(stop.clone()).context("cannot install signal handlers")?;
    signals::on_deadline(stop.clone(), Duration::from_secs_f64(job.deadline_seconds));
    let api_key = job
        .secrets
        .allocations_api_key
        .clone()
        .or_else(|| environment::ALLOCATIONS_API_KEY.read().map(|f| f.value))
        .filter(|k| !k.is_empty())
        .map(ApiKey::new);
    let (events, receiver) = Events::channel(&job.run_id);
    let writer = events::to_stdout(receiver);
    let summary = engine::run(job, api_key, events, stop).await;
    writer.await.context("the event writer failed")?;
    Ok(summary)
}
