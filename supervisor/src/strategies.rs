//! The strategies the supervisor serves: each strategy's enabled accounts of the trading
//! mode, with the rules the worker needs and a stable gateway client id per account.

use std::collections::{BTreeMap, BTreeSet};

use trading_core::config::{Accounts, TradingMode};
use trading_core::protocol::JobAccount;

/// Strategy name → its accounts, ready for a job.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StrategyTable {
    strategies: BTreeMap<String, Vec<JobAccount>>,
    pdt_protected: BTreeSet<String>,
}

impl StrategyTable {
    /// Builds the table from `accounts.yaml`, with client ids from
    /// [`Accounts::active_with_client_ids`].
    pub fn new(accounts: &Accounts, mode: TradingMode) -> Self {
        let mut strategies: BTreeMap<String, Vec<JobAccount>> = BTreeMap::new();
        let mut pdt_protected = BTreeSet::new();
        for (account, client_id) in accounts.active_with_client_ids(mode) {
            if account.pdt_protection_enabled {
                pdt_protected.insert(account.account_id.clone());
            }
            strategies
                .entry(account.strategy_name.clone())
                .or_default()
                .push(JobAccount::new(
                    account,
                    &accounts.replacement_sets,
                    client_id,
                ));
        }
        Self {
            strategies,
            pdt_protected,
        }
    }

    /// Whether the account trades at most once per day (`pdt_protection_enabled`).
    pub fn is_pdt_protected(&self, account: &str) -> bool {
        self.pdt_protected.contains(account)
    }

    /// Strategy names, sorted: one channel each.
    pub fn names(&self) -> Vec<String> {
        self.strategies.keys().cloned().collect()
    }

    /// A strategy's accounts.
    pub fn accounts(&self, strategy: &str) -> Option<&[JobAccount]> {
        self.strategies.get(strategy).map(Vec::as_slice)
    }

    /// The named accounts of a strategy (all of them for an empty list); an error names
    /// the first that does not belong to it.
    pub fn select(&self, strategy: &str, wanted: &[String]) -> Result<Vec<JobAccount>, String> {
        let Some(all) = self.accounts(strategy) else {
            return Err(format!("no enabled account follows strategy `{strategy}`"));
        };
        if wanted.is_empty() {
            return Ok(all.to_vec());
        }
        wanted
            .iter()
            .map(|id| {
                all.iter()
                    .find(|a| &a.account_id == id)
                    .cloned()
                    .ok_or_else(|| {
                        format!("account `{id}` is not an enabled account of strategy `{strategy}`")
                    })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_accounts_with_stable_client_ids() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("accounts.yaml");
        std::fs::write(
            &file,
            "accounts:
  - {account_id: DU1, type: paper, enabled: true, strategy_name: a}
  - {account_id: DU2, type: paper, enabled: false, strategy_name: a}
  - {account_id: DU3, type: paper, enabled: true, strategy_name: b}
  - {account_id: DU4, type: paper, enabled: true, strategy_name: a, client_id: 700}
",
        )
        .unwrap();
        let accounts = trading_core::config::load_accounts(&file, None).unwrap();
        let table = StrategyTable::new(&accounts, TradingMode::Paper);
        assert_eq!(table.names(), ["a", "b"]);
        let a: Vec<_> = table
            .accounts("a")
            .unwrap()
            .iter()
            .map(|x| (x.account_id.as_str(), x.client_id))
            .collect();
        assert_eq!(
            a,
            [("DU1", 1), ("DU4", 700)],
            "digits of the id, or the explicit one"
        );
        assert_eq!(table.select("a", &["DU4".into()]).unwrap().len(), 1);
        assert!(
            table
                .select("a", &["DU3".into()])
                .unwrap_err()
                .contains("not an enabled account of strategy `a`")
        );
        assert!(table.select("c", &[]).is_err());
    }
}
