//! `worker plan`: the trade calculator on files, no gateway and no network.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;
use serde::de::DeserializeOwned;

use trading_core::allocations::parse_response;
use trading_core::calculator::{AccountRules, plan};
use trading_core::config::{Settings, load_accounts};
use trading_core::snapshot::AccountSnapshot;

/// Compute the trades that would rebalance one account, from a snapshot file and an
/// allocations file, and print them. Places nothing.
#[derive(Args)]
pub struct PlanArgs {
    /// Account snapshot JSON: account_id, net_liquidation, cash, positions, quotes
    /// (format in the README).
    #[arg(long, value_name = "FILE")]
    snapshot: PathBuf,
    /// Allocation API response body: {"status":"success","data":{"allocations":[...]}}.
    #[arg(long, value_name = "FILE")]
    allocations: PathBuf,
    /// accounts.yaml holding the account's settings.
    #[arg(long, value_name = "FILE", default_value = "accounts.yaml")]
    accounts: PathBuf,
    /// replacement-sets.yaml [default: replacement-sets.yaml beside the accounts file, if any].
    #[arg(long, value_name = "FILE")]
    replacement_sets: Option<PathBuf>,
    /// The account to plan for, e.g. DU1234567.
    #[arg(long, value_name = "ID")]
    account: String,
    /// config.yaml with trading parameters [default: built-in defaults].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

/// Runs `worker plan`; every error names the file and field at fault.
pub fn run(args: &PlanArgs) -> Result<()> {
    let settings = Settings::load(args.config.as_deref())?;
    let accounts = load_accounts(&args.accounts, args.replacement_sets.as_deref())?;
    let Some(account) = accounts.find(&args.account) else {
        bail!("{}: no account `{}`", args.accounts.display(), args.account);
    };
    let snapshot: AccountSnapshot = read_json(&args.snapshot)?;
    if snapshot.account_id != account.account_id {
        bail!(
            "{}: account_id is `{}` but --account is `{}`",
            args.snapshot.display(),
            snapshot.account_id,
            account.account_id
        );
    }
    let body = read_text(&args.allocations)?;
    let targets = parse_response(&account.strategy_name, &body)
        .with_context(|| args.allocations.display().to_string())?;
    let rules = AccountRules::of(account, &accounts.replacement_sets);
    let plan = plan(&snapshot, &targets, &rules, &settings.trading)?;
    if args.json {
        println!("{}", serde_json::to_string(&plan)?);
    } else {
        print!("{}", crate::table::render(&plan, &account.strategy_name));
    }
    Ok(())
}

fn read_text(file: &Path) -> Result<String> {
    std::fs::read_to_string(file)
        .with_context(|| format!("{}: cannot read the file", file.display()))
}

fn read_json<T: DeserializeOwned>(file: &Path) -> Result<T> {
    let text = read_text(file)?;
    let de = &mut serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let field = if path == "." {
            String::new()
        } else {
            format!("{path}: ")
        };
        anyhow::anyhow!("{}: {field}{}", file.display(), err.into_inner())
    })
}
