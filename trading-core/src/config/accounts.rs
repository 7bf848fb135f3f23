//! `accounts.yaml`: the accounts, which strategy each follows and its settings.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::values::{identifier, percent};
use super::{ConfigError, ReplacementSets, TradingMode, yaml};

/// Paper or live: which gateway an account trades through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountType {
    /// A paper-trading account (`DU…`).
    Paper,
    /// A live account.
    Live,
}

/// One account entry.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// The IBKR account id, e.g. `DU1234567`. Required, unique.
    #[serde(deserialize_with = "identifier")]
    pub account_id: String,
    /// `paper` or `live`. Required; only accounts of the current TRADING_MODE are traded.
    #[serde(rename = "type")]
    pub account_type: AccountType,
    /// Whether the account is traded at all. Default `true`, as in the Python rebalancer:
    /// an account is listed to be traded; `enabled: false` sets it aside.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// The strategy followed: its Ably channel and allocation API path segment. Required.
    #[serde(deserialize_with = "identifier")]
    pub strategy_name: String,
    /// Percent of net liquidation kept in cash. Default 0.
    #[serde(default, deserialize_with = "percent")]
    pub cash_reserve_percent: f64,
    /// Trade the account at most once per day. Default `false`.
    #[serde(default)]
    pub pdt_protection_enabled: bool,
    /// Name of a set in `replacement-sets.yaml` applied to this account's targets. Optional.
    #[serde(default)]
    pub replacement_set: Option<String>,
    /// The gateway client id this account's runs use. Default: the digits of its account
    /// id (`DU1234567` → 1234567), as the Python rebalancer did, so it never changes when
    /// other accounts are added, removed, enabled or reordered.
    #[serde(default)]
    pub client_id: Option<i32>,
}

impl Account {
    /// The account's gateway client id: explicit, or the digits of its account id.
    pub fn client_id(&self) -> Result<i32, String> {
        if let Some(id) = self.client_id {
            return if id > 0 {
                Ok(id)
            } else {
                Err(format!("client_id must be 1 or more, got {id}"))
            };
        }
        let digits: String = self
            .account_id
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        match digits.parse::<i32>() {
            Ok(id) if id > 0 => Ok(id),
            _ => Err(format!(
                "`{}` gives no client id from its digits; set client_id (1 or more)",
                self.account_id
            )),
        }
    }
}

fn enabled_by_default() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountsFile {
    accounts: Vec<Account>,
}

/// Every account in `accounts.yaml`, checked against each other and the replacement sets.
#[derive(Debug, Clone, PartialEq)]
pub struct Accounts {
    /// All accounts in file order, enabled or not.
    pub all: Vec<Account>,
    /// The replacement sets the accounts may refer to.
    pub replacement_sets: ReplacementSets,
}

impl Accounts {
    /// Reads `accounts.yaml` and checks that account ids are unique and that every
    /// `replacement_set` exists in `replacement_sets`.
    pub fn load(file: &Path, replacement_sets: ReplacementSets) -> Result<Self, ConfigError> {
        let parsed = yaml::parse_file::<AccountsFile>(file)?;
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut client_ids: HashMap<(AccountType, i32), usize> = HashMap::new();
        for (index, account) in parsed.value.accounts.iter().enumerate() {
            let path = format!("accounts[{index}]");
            if let Some(first) = seen.insert(&account.account_id, index) {
                let field = format!("{path}.account_id");
                return Err(ConfigError::at(
                    file,
                    parsed.positions.of(&field),
                    format!(
                        "{field}: `{}` is already listed as accounts[{first}]",
                        account.account_id
                    ),
                ));
            }
            let client_id_at = || {
                let field = format!("{path}.client_id");
                let at = parsed.positions.of(&field);
                if at.is_some() {
                    at
                } else {
                    parsed.positions.of(&format!("{path}.account_id"))
                }
            };
            let client_id = account.client_id().map_err(|message| {
                ConfigError::at(file, client_id_at(), format!("{path}.client_id: {message}"))
            })?;
            if let Some(first) = client_ids.insert((account.account_type, client_id), index) {
                return Err(ConfigError::at(
                    file,
                    client_id_at(),
                    format!(
                        "{path}.client_id: client id {client_id} is already accounts[{first}]'s ({}); set client_id to tell them apart",
                        parsed.value.accounts[first].account_id
                    ),
                ));
            }
            if let Some(name) = &account.replacement_set
                && replacement_sets.get(name).is_none()
            {
                let field = format!("{path}.replacement_set");
                let source = match &replacement_sets.file {
                    Some(sets_file) => format!("is not defined in {}", sets_file.display()),
                    None => "is used but no replacement-sets.yaml was found".to_string(),
                };
                return Err(ConfigError::at(
                    file,
                    parsed.positions.of(&field),
                    format!("{field}: `{name}` {source}"),
                ));
            }
        }
        Ok(Self {
            all: parsed.value.accounts,
            replacement_sets,
        })
    }

    /// The enabled accounts of `mode`, in file order.
    pub fn active(&self, mode: TradingMode) -> impl Iterator<Item = &Account> {
        self.all
            .iter()
            .filter(move |a| a.enabled && a.account_type == mode.account_type())
    }

    /// The enabled accounts of `mode`, each with its gateway client id
    /// ([`Account::client_id`], checked unique at load). The supervisor and manual runs give
    /// an account the same id, so any run can cancel what an earlier run of that account left
    /// working (an order belongs to the client id that placed it), and the gateway refuses a
    /// second run of the same account at once (TWS error 326).
    pub fn active_with_client_ids(
        &self,
        mode: TradingMode,
    ) -> impl Iterator<Item = (&Account, i32)> {
        self.active(mode)
            .filter_map(|a| a.client_id().ok().map(|id| (a, id)))
    }

    /// The enabled accounts of `mode` grouped by strategy name.
    pub fn by_strategy(&self, mode: TradingMode) -> BTreeMap<&str, Vec<&Account>> {
        let mut groups: BTreeMap<&str, Vec<&Account>> = BTreeMap::new();
        for account in self.active(mode) {
            groups
                .entry(&account.strategy_name)
                .or_default()
                .push(account);
        }
        groups
    }

    /// The account with this id, enabled or not.
    pub fn find(&self, account_id: &str) -> Option<&Account> {
        self.all.iter().find(|a| a.account_id == account_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "accounts:
  - account_id: DU1111111
    type: paper
    enabled: true
    strategy_name: etf-blend-102-25
    cash_reserve_percent: 1.0
  - account_id: DU2222222
    type: paper
    enabled: true
    strategy_name: etf-blend-102-25
    replacement_set: ira
  - account_id: DU3333333
    type: paper
    enabled: false
    strategy_name: other
  - account_id: U4444444
    type: live
    enabled: true
    strategy_name: other
";

    fn sets() -> ReplacementSets {
        let mut sets = ReplacementSets::default();
        sets.sets.insert("ira".into(), Vec::new());
        sets
    }

    fn load(text: &str, sets: ReplacementSets) -> Result<Accounts, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("accounts.yaml");
        std::fs::write(&file, text).unwrap();
        Accounts::load(&file, sets)
    }

    #[test]
    fn filters_by_mode_and_enabled_and_groups_by_strategy() {
        let accounts = load(GOOD, sets()).unwrap();
        let paper = accounts.by_strategy(TradingMode::Paper);
        assert_eq!(paper.len(), 1);
        let ids: Vec<_> = paper["etf-blend-102-25"]
            .iter()
            .map(|a| a.account_id.as_str())
            .collect();
        assert_eq!(ids, ["DU1111111", "DU2222222"]);
        let live = accounts.by_strategy(TradingMode::Live);
        assert_eq!(live["other"][0].account_id, "U4444444");
        assert_eq!(accounts.find("DU3333333").map(|a| a.enabled), Some(false));
        assert_eq!(accounts.all[1].cash_reserve_percent, 0.0);
    }

    #[test]
    fn client_ids_belong_to_accounts_whatever_their_order_or_neighbours() {
        let ids = |text: &str| -> Vec<(String, i32)> {
            load(text, sets())
                .unwrap()
                .active_with_client_ids(TradingMode::Paper)
                .map(|(a, id)| (a.account_id.clone(), id))
                .collect()
        };
        let before = ids(
            "accounts:\n  - {account_id: DU1111111, type: paper, strategy_name: s}\n  - {account_id: DU2222222, type: paper, strategy_name: s}\n",
        );
        let after = ids(
            "accounts:\n  - {account_id: DU0000001, type: paper, strategy_name: s}\n  - {account_id: DU2222222, type: paper, strategy_name: s}\n  - {account_id: DU1111111, type: paper, enabled: false, strategy_name: s}\n  - {account_id: DU3333333, type: paper, strategy_name: s, client_id: 42}\n",
        );
        assert_eq!(
            before,
            [("DU1111111".into(), 1111111), ("DU2222222".into(), 2222222)]
        );
        assert_eq!(
            after,
            [
                ("DU0000001".into(), 1),
                ("DU2222222".into(), 2222222),
                ("DU3333333".into(), 42)
            ],
            "adding, disabling and reordering others leaves DU2222222's id alone"
        );
    }

    #[test]
    fn colliding_or_missing_client_ids_are_refused_at_load_with_file_and_line() {
        let clash = "accounts:\n  - {account_id: DU1234567, type: paper, strategy_name: s}\n  - {account_id: DUX7654321, type: paper, strategy_name: s, client_id: 1234567}\n";
        let err = load(clash, sets()).unwrap_err().to_string();
        assert!(err.contains(":3:"), "the second account's line: {err}");
        assert!(
            err.contains("client id 1234567 is already accounts[0]'s (DU1234567)"),
            "{err}"
        );
        let live_and_paper = "accounts:\n  - {account_id: DU1234567, type: paper, strategy_name: s}\n  - {account_id: U1234567, type: live, strategy_name: s}\n";
        assert!(
            load(live_and_paper, sets()).is_ok(),
            "one gateway per mode: no clash"
        );
        let no_digits = "accounts:\n  - {account_id: DEMO, type: paper, strategy_name: s}\n";
        let err = load(no_digits, sets()).unwrap_err().to_string();
        assert!(err.contains("set client_id"), "{err}");
    }

    #[test]
    fn a_missing_enabled_means_enabled_as_in_the_python_rebalancer() {
        let text = "accounts:\n  - {account_id: DU1111111, type: paper, strategy_name: s}\n";
        let accounts = load(text, sets()).unwrap();
        assert!(accounts.all[0].enabled);
        assert_eq!(accounts.by_strategy(TradingMode::Paper)["s"].len(), 1);
    }

    #[test]
    fn duplicate_account_id_points_at_second_entry() {
        let text = GOOD.replace("DU2222222", "DU1111111");
        let err = load(&text, sets()).unwrap_err();
        assert_eq!(err.location, Some((7, 17)));
        assert!(
            err.message
                .contains("accounts[1].account_id: `DU1111111` is already listed as accounts[0]"),
            "{err}"
        );
    }

    #[test]
    fn unknown_replacement_set_is_rejected() {
        let err = load(GOOD, ReplacementSets::default()).unwrap_err();
        assert_eq!(err.location, Some((11, 22)));
        assert!(
            err.message.contains(
                "accounts[1].replacement_set: `ira` is used but no replacement-sets.yaml"
            ),
            "{err}"
        );
        let mut other = ReplacementSets {
            file: Some("sets.yaml".into()),
            ..Default::default()
        };
        other.sets.insert("taxable".into(), Vec::new());
        let err = load(GOOD, other).unwrap_err();
        assert!(
            err.message.contains("`ira` is not defined in sets.yaml"),
            "{err}"
        );
    }

    #[test]
    fn field_errors_name_file_line_and_field() {
        let cases = [
            (
                GOOD.replace("type: live", "type: demo"),
                17,
                "accounts[3].type: unknown variant `demo`, expected `paper` or `live`",
            ),
            (
                GOOD.replace("cash_reserve_percent: 1.0", "cash_reserve_percent: 101"),
                6,
                "accounts[0].cash_reserve_percent: must be a percentage from 0 to 100, got 101",
            ),
            (
                GOOD.replace(
                    "    enabled: false\n",
                    "    enabled: false\n    colour: red\n",
                ),
                15,
                "accounts[2]: unknown field `colour`",
            ),
            (
                GOOD.replace(
                    "    strategy_name: other\n  - account_id: U4",
                    "  - account_id: U4",
                ),
                12,
                "accounts[2]: missing field `strategy_name`",
            ),
            (
                GOOD.replace("strategy_name: other", "strategy_name: a/b"),
                15,
                "accounts[2].strategy_name: `a/b` must be 1 to 128 letters",
            ),
        ];
        for (text, line, expected) in cases {
            let err = load(&text, sets()).unwrap_err();
            assert!(
                err.message.contains(expected),
                "expected {expected:?}, got {err}"
            );
            assert_eq!(err.location.map(|l| l.0), Some(line), "{err}");
            assert!(err.to_string().contains("accounts.yaml:"), "{err}");
        }
    }

    #[test]
    fn missing_file_is_named() {
        let err = Accounts::load(Path::new("/nonexistent/accounts.yaml"), sets()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("/nonexistent/accounts.yaml: cannot read the file"),
            "{err}"
        );
    }
}
