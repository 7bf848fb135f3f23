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
    run_of(reference, account).is_some()
}

/// The run that placed the order with `reference` for `account`, when it is a rebalancer
/// order for that account.
pub fn run_of<'a>(reference: &'a str, account: &str) -> Option<&'a str> {
    let mut parts = reference.strip_prefix(PREFIX)?.split(':');
    let run = parts.next()?;
    (parts.next()? == account).then_some(run)
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
        assert_eq!(run_of(&r, "DU1234567"), Some("run-7"));
        assert_eq!(run_of(&r, "DU7654321"), None);
    }
}
