//! Order references: `rb:<run_id>:<account>:<symbol>` marks an order as placed by a
//! rebalance run, so a later run can find and cancel what an earlier one left working.

/// Prefix of every order reference the rebalancer sets.
pub const PREFIX: &str = "rb:";

/// The reference for an order of `run_id` for `account` in `symbol`.
pub fn order_ref(run_id: &str, account: &str, symbol: &str) -> String {
    format!("{PREFIX}{run_id}:{account}:{symbol}")
}

/// Whether `reference` marks an order placed by a rebalance run for `account`.
pub fn is_rebalancer_order(reference: &str, account: &str) -> bool {
    reference
        .strip_prefix(PREFIX)
        .and_then(|rest| rest.split(':').nth(1))
        .is_some_and(|acct| acct == account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_round_trip() {
        let r = order_ref("run-7", "DU1234567", "VTI");
        assert_eq!(r, "rb:run-7:DU1234567:VTI");
        assert!(is_rebalancer_order(&r, "DU1234567"));
        assert!(!is_rebalancer_order(&r, "DU7654321"));
        assert!(!is_rebalancer_order("manual:DU1234567", "DU1234567"));
        assert!(!is_rebalancer_order("", "DU1234567"));
    }
}
