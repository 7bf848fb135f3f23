//! `supervisor migrate --from DIR`: a Python rebalancer installation's `config.yaml`,
//! `.env`, `accounts.yaml` and `replacement-sets.yaml` turned into ours in another
//! directory, every key reported (mapped, dropped and why, or changed in meaning), and the
//! result checked by the same loaders the daemon uses. Nothing is overwritten without
//! `force`.
//!
//! - [`config`]: the `config.yaml` key table.
//! - [`env`](mod@env): the `.env` names.

pub mod config;
pub mod env;

use std::fmt::Write as _;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_yaml::{Mapping, Value};
use trading_core::config::{Settings, load_accounts};

/// The files a migration reads and writes, by name.
const FILES: [&str; 4] = [
    "config.yaml",
    ".env",
    "accounts.yaml",
    "replacement-sets.yaml",
];

/// What a migration wrote, and the report to print.
#[derive(Debug, Clone, PartialEq)]
pub struct Migrated {
    /// The files written.
    pub written: Vec<PathBuf>,
    /// Every key and what became of it.
    pub report: String,
}

/// Migrates the installation in `from` into `to`.
pub fn run(from: &Path, to: &Path, force: bool) -> Result<Migrated> {
    let source = |name: &str| from.join(name);
    if !source("accounts.yaml").is_file() {
        bail!(
            "{} has no accounts.yaml: point --from at the Python rebalancer's directory",
            from.display()
        );
    }
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    let existing: Vec<String> = FILES
        .iter()
        .map(|f| to.join(f))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !existing.is_empty() && !force {
        bail!(
            "not overwriting {} (use --force to replace them)",
            existing.join(", ")
        );
    }
    let mut report = String::new();
    let mut written = Vec::new();

    let python_config = read_optional(&source("config.yaml"))?;
    let (mut ours, lines) = match &python_config {
        Some(text) => config::convert(text)
            .map_err(|e| anyhow::anyhow!("{}: {e}", source("config.yaml").display()))?,
        None => (Mapping::new(), Vec::new()),
    };
    let _ = writeln!(report, "config.yaml");
    if python_config.is_none() {
        let _ = writeln!(report, "  (none: every setting takes its default)");
    }
    for line in &lines {
        let _ = writeln!(report, "  {}: {}", line.python, line.said);
    }

    let env_text = read_optional(&source(".env"))?;
    let mut env_out = env_text.clone().unwrap_or_default();
    let _ = writeln!(report, ".env");
    for (name, value) in env::entries(env_text.as_deref().unwrap_or_default()) {
        let said = match env::fate(&name, &value) {
            env::EnvFate::Read(what) => what,
            env::EnvFate::Compose(what) => format!("used by docker-compose.yaml: {what}"),
            env::EnvFate::Config(key, converted) => {
                let shown = serde_yaml::to_string(&converted).unwrap_or_default();
                config::insert(&mut ours, key, converted);
                format!("→ config.yaml {key}: {}", shown.trim())
            }
            env::EnvFate::Renamed(ours_name) => {
                let _ = writeln!(env_out, "\n{ours_name}={value}");
                format!("added as {ours_name}")
            }
            env::EnvFate::Dropped(why) => format!("dropped: {why}"),
        };
        let _ = writeln!(report, "  {name}: {said}");
    }

    let zehnlabs = python_config
        .as_deref()
        .is_some_and(|t| t.contains("ibkr:") || t.contains("commission_rate"));
    let accounts_text = std::fs::read_to_string(source("accounts.yaml"))
        .with_context(|| format!("cannot read {}", source("accounts.yaml").display()))?;
    let (accounts, account_lines) = accounts(&accounts_text, zehnlabs)
        .map_err(|e| anyhow::anyhow!("{}: {e}", source("accounts.yaml").display()))?;
    let _ = writeln!(report, "accounts.yaml");
    for line in account_lines {
        let _ = writeln!(report, "  {line}");
    }

    let header = "# Written by `supervisor migrate` from the Python rebalancer's files.\n";
    let config_out = to.join("config.yaml");
    write(
        &config_out,
        &format!(
            "{header}# Every key not listed takes its default (see README, config.yaml).\n{}",
            yaml(&Value::Mapping(ours))?
        ),
        &mut written,
    )?;
    write(
        &to.join("accounts.yaml"),
        &format!("{header}{}", yaml(&accounts)?),
        &mut written,
    )?;
    if let Some(sets) = read_optional(&source("replacement-sets.yaml"))? {
        write(&to.join("replacement-sets.yaml"), &sets, &mut written)?;
        let _ = writeln!(report, "replacement-sets.yaml\n  copied as it is");
    }
    if env_text.is_some() {
        let env_path = to.join(".env");
        write(&env_path, &env_out, &mut written)?;
        std::fs::set_permissions(&env_path, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot restrict {}", env_path.display()))?;
    }

    Settings::load(Some(&config_out)).context("the migrated config.yaml does not load")?;
    load_accounts(&to.join("accounts.yaml"), None)
        .context("the migrated accounts.yaml does not load")?;
    let _ = writeln!(
        report,
        "checked: the written files load as the supervisor loads them\nnext: cd {} && worker --strategy STRATEGY --dry-run, then supervisor run",
        to.display()
    );
    Ok(Migrated { written, report })
}

/// Our accounts from the Python `accounts.yaml`: the `broker` field (always `ibkr`) is
/// dropped, and where the Python rebalancer (not its predecessor) defaulted a missing
/// `cash_reserve_percent` to 1 %, that default is written out.
fn accounts(text: &str, zehnlabs: bool) -> Result<(Value, Vec<String>), String> {
    let mut root: Value =
        serde_yaml::from_str(text).map_err(|e| format!("not a YAML document: {e}"))?;
    let mut lines = Vec::new();
    let list = root
        .get_mut("accounts")
        .and_then(Value::as_sequence_mut)
        .ok_or("expected a list under `accounts`")?;
    for (index, account) in list.iter_mut().enumerate() {
        let map = account
            .as_mapping_mut()
            .ok_or(format!("accounts[{index}] is not a mapping"))?;
        let id = map
            .get("account_id")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        if let Some(broker) = map.remove("broker") {
            if broker.as_str() != Some("ibkr") {
                return Err(format!(
                    "accounts[{index}] ({id}): broker `{}` is not supported; only ibkr",
                    broker.as_str().unwrap_or("?")
                ));
            }
            lines.push(format!("{id}: broker dropped (always ibkr here)"));
        }
        if !map.contains_key("enabled") {
            lines.push(format!(
                "{id}: no `enabled`: enabled, as in the Python rebalancer"
            ));
        }
        if zehnlabs && !map.contains_key("cash_reserve_percent") {
            map.insert(Value::from("cash_reserve_percent"), Value::from(1.0));
            lines.push(format!(
                "{id}: cash_reserve_percent written as 1.0, the Python rebalancer's default (ours is 0)"
            ));
        }
    }
    lines.push(format!("{} account(s) carried over", list.len()));
    Ok((root, lines))
}

fn yaml(value: &Value) -> Result<String> {
    match value {
        Value::Mapping(m) if m.is_empty() => Ok(String::new()),
        _ => serde_yaml::to_string(value).context("cannot write YAML"),
    }
}

fn read_optional(path: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

fn write(path: &Path, text: &str, written: &mut Vec<PathBuf>) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    written.push(path.to_path_buf());
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn docs_migrating_lists_every_key_and_name_the_migration_knows() {
        let doc = include_str!("../../../docs/migrating.md");
        for key in super::config::KEYS {
            let shown = key.python.trim_end_matches('.');
            assert!(
                doc.contains(&format!("`{shown}")),
                "docs/migrating.md lacks `{shown}`"
            );
        }
        for variable in trading_core::config::environment::ALL {
            for name in std::iter::once(variable.name).chain(variable.aliases.iter().copied()) {
                assert!(
                    doc.contains(&format!("`{name}`")),
                    "docs/migrating.md lacks `{name}`"
                );
            }
        }
    }
}
