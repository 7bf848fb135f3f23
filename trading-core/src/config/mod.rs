//! Configuration compatible with the files users of the Python system already have:
//! `accounts.yaml`, `config.yaml` and `replacement-sets.yaml`, plus TRADING_MODE.

mod accounts;
pub mod environment;
mod error;
mod replacements;
mod settings;
mod values;
mod yaml;

use std::path::{Path, PathBuf};

pub use accounts::{Account, AccountType, Accounts};
pub use error::ConfigError;
pub use replacements::{Replacement, ReplacementSets};
pub use settings::{
    AllocationApiSettings, ForeignOrders, GatewaySettings, MarketDataKind, NotificationSettings,
    RealtimeSettings, Settings, SupervisorSettings, TimeInForce, TradingSettings, WebSettings,
};
pub use values::normalize_symbol;

/// Which accounts are traded: TRADING_MODE `paper` (the default) or `live`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TradingMode {
    /// Trade only `type: paper` accounts.
    Paper,
    /// Trade only `type: live` accounts.
    Live,
}

impl TradingMode {
    /// Reads a TRADING_MODE value; unset means paper.
    pub fn parse(value: Option<&str>) -> Result<Self, ConfigError> {
        match value.map(str::trim) {
            None | Some("") | Some("paper") => Ok(Self::Paper),
            Some("live") => Ok(Self::Live),
            Some(other) => Err(ConfigError::whole_file(
                Path::new("TRADING_MODE"),
                format!("must be `paper` or `live`, got `{other}`"),
            )),
        }
    }

    /// Reads the TRADING_MODE environment variable.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::parse(std::env::var("TRADING_MODE").ok().as_deref())
    }

    /// The account type this mode trades.
    pub fn account_type(self) -> AccountType {
        match self {
            Self::Paper => AccountType::Paper,
            Self::Live => AccountType::Live,
        }
    }
}

/// Reads `accounts.yaml` with its replacement sets: from `replacement_sets` when given,
/// otherwise from `replacement-sets.yaml` beside the accounts file when that exists.
pub fn load_accounts(
    accounts: &Path,
    replacement_sets: Option<&Path>,
) -> Result<Accounts, ConfigError> {
    let sets_file: Option<PathBuf> = match replacement_sets {
        Some(file) => Some(file.to_path_buf()),
        None => {
            let beside = accounts.with_file_name("replacement-sets.yaml");
            beside.is_file().then_some(beside)
        }
    };
    let sets = match sets_file {
        Some(file) => ReplacementSets::load(&file)?,
        None => ReplacementSets::default(),
    };
    Accounts::load(accounts, sets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trading_mode_defaults_to_paper_and_rejects_others() {
        assert_eq!(TradingMode::parse(None).unwrap(), TradingMode::Paper);
        assert_eq!(TradingMode::parse(Some("live")).unwrap(), TradingMode::Live);
        let err = TradingMode::parse(Some("LIVE!")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "TRADING_MODE: must be `paper` or `live`, got `LIVE!`"
        );
    }

    #[test]
    fn replacement_sets_beside_accounts_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let accounts = dir.path().join("accounts.yaml");
        std::fs::write(
            &accounts,
            "accounts:\n  - {account_id: DU1, type: paper, enabled: true, strategy_name: s, replacement_set: ira}\n",
        )
        .unwrap();
        assert!(load_accounts(&accounts, None).is_err());
        std::fs::write(
            dir.path().join("replacement-sets.yaml"),
            "ira:\n  - {source: SPY, target: VOO}\n",
        )
        .unwrap();
        let loaded = load_accounts(&accounts, None).unwrap();
        assert_eq!(loaded.replacement_sets.get("ira").map(<[_]>::len), Some(1));
    }
}
