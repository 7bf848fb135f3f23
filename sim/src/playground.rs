//! `sim up` and `sim publish`: the demo's world on the simulators, left running for a person
//! to drive by hand with the real `supervisor`, no credentials needed.
//!
//! `sim up --dir D` starts the gateway (with its control API and a record of what reached
//! the exchange in `D/exchange.jsonl`), Ably and the allocation API, writes a ready
//! `config.yaml`, `accounts.yaml` and `replacement-sets.yaml` into D, and
//! `D/playground.json` for `sim publish --dir D --strategy S`, which sends an event to the
//! running Ably simulator over its REST API as a strategy's publisher would.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::bench;
use crate::demo_world::{ACCOUNTS, REPLACEMENTS, scenario_and_accounts, strategies};
use crate::stack::{ABLY_KEY, Simulators};

/// The directory `sim up` and `sim publish` use when given none.
pub const DEFAULT_DIR: &str = "sim-playground";

/// What `sim publish` needs to reach a running `sim up`.
#[derive(Debug, Serialize, Deserialize)]
struct Playground {
    /// The Ably simulator's REST base URL.
    ably_rest_url: String,
    /// Its API key (a simulator key, not a secret).
    ably_key: String,
    /// The strategies it has channels and targets for.
    strategies: Vec<String>,
}

const PLAYGROUND_FILE: &str = "playground.json";

/// Runs `sim up` in `dir` until Ctrl-C.
pub async fn up(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let dir = dir
        .canonicalize()
        .with_context(|| format!("cannot resolve {}", dir.display()))?;
    let (scenario, accounts_yaml) = scenario_and_accounts();
    let strategies = strategies();
    let sims = Simulators::start(&scenario, &strategies).await?;
    let worker = beside_me("worker")?;
    sims.write_config(&dir, &worker, &accounts_yaml, Some(REPLACEMENTS))?;
    let record = dir.join("exchange.jsonl");
    sims.gateway
        .record_to(&record)
        .await
        .with_context(|| format!("cannot write the record {}", record.display()))?;
    let control = sim::gateway::control::serve(Arc::clone(&sims.gateway), 0)
        .await
        .context("cannot start the gateway control API")?;
    let playground = Playground {
        ably_rest_url: sims.ably.rest_url(),
        ably_key: ABLY_KEY.to_string(),
        strategies: strategies.iter().map(|s| s.name.clone()).collect(),
    };
    let file = dir.join(PLAYGROUND_FILE);
    std::fs::write(&file, serde_json::to_string_pretty(&playground)?)
        .with_context(|| format!("cannot write {}", file.display()))?;

    let environment: Vec<String> = Simulators::environment()
        .iter()
        .map(|(name, value)| format!("{name}={}", shell_word(value)))
        .collect();
    println!("Playground up on 127.0.0.1 (simulators only; Ctrl-C stops them):");
    println!(
        "  IB Gateway   {}   control API http://{control}   record {}",
        sims.gateway.addr(),
        record.display()
    );
    println!("  Ably         {}", sims.ably.realtime_url());
    println!("  allocations  {}", sims.allocations.base_url());
    println!(
        "  {} paper accounts on strategies {}",
        ACCOUNTS.len(),
        playground.strategies.join(", ")
    );
    println!(
        "Wrote config.yaml, accounts.yaml and replacement-sets.yaml into {}.",
        dir.display()
    );
    println!("Next, start the daemon, then send it an event:");
    println!(
        "  {} {} run --config {} --accounts {}",
        environment.join(" "),
        shell_word(&beside_me("supervisor")?.display().to_string()),
        shell_word(&dir.join("config.yaml").display().to_string()),
        shell_word(&dir.join("accounts.yaml").display().to_string())
    );
    println!(
        "  {} publish --dir {} --strategy {} --exec rebalance",
        shell_word(&std::env::current_exe()?.display().to_string()),
        shell_word(&dir.display().to_string()),
        playground.strategies[0]
    );
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    Ok(())
}

/// Runs `sim publish`: one event `{"exec": exec}` named `rebalance` on `strategy`'s channel
/// of the `sim up` running in `dir`; prints the message id.
pub async fn publish(dir: &Path, strategy: &str, exec: &str) -> Result<()> {
    let file = dir.join(PLAYGROUND_FILE);
    let text = std::fs::read_to_string(&file).with_context(|| {
        format!(
            "cannot read {}: start the playground first with `sim up --dir {}`",
            file.display(),
            dir.display()
        )
    })?;
    let playground: Playground = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a playground file", file.display()))?;
    if !playground.strategies.iter().any(|s| s == strategy) {
        bail!(
            "the playground has no strategy {strategy}; it has {}",
            playground.strategies.join(", ")
        );
    }
    let (name, secret) = playground
        .ably_key
        .split_once(':')
        .with_context(|| format!("{}: ably_key is not name:secret", file.display()))?;
    let channel: String = form_urlencoded::byte_serialize(strategy.as_bytes()).collect();
    let url = format!("{}/channels/{channel}/messages", playground.ably_rest_url);
    let answer = reqwest::Client::new()
        .post(&url)
        .basic_auth(name, Some(secret))
        .timeout(std::time::Duration::from_secs(10))
        .json(&json!({"name": "rebalance", "data": {"exec": exec}}))
        .send()
        .await
        .with_context(|| {
            format!("cannot reach the Ably simulator at {url}: is `sim up` running?")
        })?;
    let status = answer.status();
    let body: serde_json::Value = answer.json().await.unwrap_or_default();
    if !status.is_success() {
        bail!("the Ably simulator refused the event ({status}): {body}");
    }
    let id = body["messageId"].as_str().unwrap_or("?");
    println!("published {{\"exec\":\"{exec}\"}} on channel {strategy} (message {id})");
    Ok(())
}

/// The binary `name` beside this one, or just `name` (from PATH) when it is not there.
fn beside_me(name: &str) -> Result<PathBuf> {
    Ok(bench::sibling_binary(name).unwrap_or_else(|_| PathBuf::from(name)))
}

/// `text` as one POSIX shell word: as it is when it is plain, single-quoted otherwise.
fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-:=,+@".contains(&b));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_quote_only_what_needs_it() {
        assert_eq!(
            shell_word("/tmp/sim-playground/config.yaml"),
            "/tmp/sim-playground/config.yaml"
        );
        assert_eq!(
            shell_word("demo.key:not-a-real-secret"),
            "demo.key:not-a-real-secret"
        );
        assert_eq!(shell_word("/my dir/x"), "'/my dir/x'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
    }
}
