//! Builder types for order conditions.
//!
//! This module provides fluent builder APIs for constructing order conditions
//! with type safety and validation.

use crate::accounts::types::ContractId;
use serde::{Deserialize, Serialize};

/// Price evaluation method for price conditions.
///
/// Determines which price feed to use when evaluating price conditions.
/// The codes are IB's, listed at
/// <https://www.interactivebrokers.com/docs/tws-api/doc/orders/trigger-methods>.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TriggerMethod {
    /// Default method (last for most securities, double bid/ask for OTC and options). Wire code `0`.
    #[default]
    Default,
    /// Two consecutive bid or ask prices. Wire code `1`.
    DoubleBidAsk,
    /// Last traded price. Wire code `2`.
    Last,
    /// Two consecutive last prices. Wire code `3`.
    DoubleLast,
    /// Current bid or ask price. Wire code `4`.
    BidAsk,
    /// Last price or bid/ask if no last price available. Wire code `7`.
    LastOrBidAsk,
    /// Mid-point between bid and ask. Wire code `8`.
    Midpoint,
    /// A catch-all in case TWS adds a new trigger method.
    Unknown(i32),
}

impl From<TriggerMethod> for i32 {
    fn from(method: TriggerMethod) -> i32 {
        match method {
            TriggerMethod::Default => 0,
            TriggerMethod::DoubleBidAsk => 1,
            TriggerMethod::Last => 2,
            TriggerMethod::DoubleLast => 3,
            TriggerMethod::BidAsk => 4,
            TriggerMethod::LastOrBidAsk => 7,
            TriggerMethod::Midpoint => 8,
            TriggerMethod::Unknown(code) => code,
        }
    }
}

impl From<i32> for TriggerMethod {
    fn from(value: i32) -> Self {
        match value {
            0 => TriggerMethod::Default,
            1 => TriggerMethod::DoubleBidAsk,
            2 => TriggerMethod::Last,
            3 => TriggerMethod::DoubleLast,
            4 => TriggerMethod::BidAsk,
            7 => TriggerMethod::LastOrBidAsk,
            8 => TriggerMethod::Midpoint,
            code => TriggerMethod::Unknown(code),
        }
    }
}

/// Price-based condition that activates an order when a contract reaches a specified price.
///
/// This condition monitors the price of a specific contract and triggers when the price
/// crosses the specified threshold. The trigger method determines which price feed to use
/// (last, bid/ask, mid-point, etc.).
///
/// # TWS Behavior
///
/// - The contract must be specified by its contract ID, which can be obtained via
///   `contract_details()` API call
/// - Different exchanges may have different price feeds available
/// - The condition continuously monitors the price during market hours
/// - When `conditions_ignore_rth` is true on the order, monitoring extends to
///   after-hours trading
///
/// # Examples
///
/// ```no_run
/// use ibapi::orders::conditions::{PriceCondition, TriggerMethod};
/// use ibapi::orders::OrderCondition;
///
/// // Trigger when AAPL (contract ID 265598) goes above $150 on SMART
/// let condition = PriceCondition::builder(265598, "SMART")
///     .greater_than(150.0)
///     .trigger_method(TriggerMethod::Last)
///     .build();
///
/// let order_condition = OrderCondition::Price(condition);
/// ```
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PriceCondition {
    /// Contract identifier for the instrument to monitor.
    /// Use contract_details() to obtain the contract_id for a symbol.
    pub contract_id: i32,
    /// Exchange where the price is monitored (e.g., "SMART", "NASDAQ", "NYSE").
    pub exchange: String,
    /// Trigger price threshold.
    pub price: f64,
    /// Method for price evaluation.
    #[serde(serialize_with = "serialize_trigger_method", deserialize_with = "deserialize_trigger_method")]
    pub trigger_method: TriggerMethod,
    /// True to trigger when price goes above threshold, false for below.
    pub is_more: bool,
    /// True for AND condition (all conditions must be met), false for OR condition (any condition triggers).
    pub is_conjunction: bool,
}

impl Default for PriceCondition {
    fn default() -> Self {
        Self {
            contract_id: 0,
            exchange: String::new(),
            price: 0.0,
            trigger_method: TriggerMethod::Default,
            is_more: true,
            is_conjunction: true,
        }
    }
}

// Serde helpers for TriggerMethod
fn serialize_trigger_method<S>(method: &TriggerMethod, serializer: S) -> Result<S::Ok, S::Error>
where
    S: serde::Serializer,
{
    serializer.serialize_i32((*method).into())
}

fn deserialize_trigger_method<'de, D>(deserializer: D) -> Result<TriggerMethod, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let value = i32::deserialize(deserializer)?;
    Ok(value.into())
}

/// Time-based condition that activates an order at a specific date and time.
///
/// This condition triggers when the current time passes (or is before) the specified
/// time threshold. Useful for scheduling orders to activate at specific times.
///
/// # TWS Behavior
///
/// - Time is evaluated based on the timezone specified in the time string
/// - The condition checks continuously and triggers once the time threshold is crossed
/// - Common use case: activate orders at market open, before close, or at specific times
/// - Unlike `good_after_time`/`good_till_date` on the order itself, this can be combined
///   with other conditions using AND/OR logic
///
/// # Time Format
///
/// Format: "YYYYMMDD HH:MM:SS TZ"
/// - YYYYMMDD: Year, month, day (e.g., 20251230)
/// - HH:MM:SS: Hour, minute, second in 24-hour format
/// - TZ: Timezone (e.g., "UTC", "US/Eastern", "America/New_York")
///
/// # Examples
///
/// ```no_run
/// use ibapi::orders::conditions::TimeCondition;
/// use ibapi::orders::OrderCondition;
///
/// // Trigger after 2:30 PM Eastern Time on December 30, 2025
/// let condition = TimeCondition::builder()
///     .greater_than("20251230 14:30:00 US/Eastern")
///     .build();
///
/// let order_condition = OrderCondition::Time(condition);
/// ```
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TimeCondition {
    /// Time in format "YYYYMMDD HH:MM:SS TZ".
    /// Example: "20251230 14:30:00 US/Eastern"
    pub time: String,
    /// True to trigger after the time, false for before.
    pub is_more: bool,
    /// True for AND condition (all conditions must be met), false for OR condition (any condition triggers).
    pub is_conjunction: bool,
}

/// Margin cushion condition that activates an order based on account margin levels.
///
/// The margin cushion is a measure of account health, calculated as:
/// (Equity with Loan Value - Maintenance Margin) / Net Liquidation Value
///
/// This condition monitors your account's margin cushion and triggers when it crosses
/// the specified percentage threshold. Useful for risk management and protecting against
/// margin calls.
///
/// # TWS Behavior
///
/// - Margin cushion is updated in real-time as positions and prices change
/// - The percentage is specified as an integer (e.g., 30 for 30%)
/// - Only applies to margin accounts; cash accounts will not trigger this condition
/// - Common use: Submit protective orders when margin cushion falls below safe levels
///
/// # Examples
///
/// ```no_run
/// use ibapi::orders::conditions::MarginCondition;
/// use ibapi::orders::OrderCondition;
///
/// // Trigger when margin cushion falls below 30%
/// let condition = MarginCondition::builder()
///     .less_than(30)
///     .build();
///
/// let order_condition = OrderCondition::Margin(condition);
/// ```
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MarginCondition {
    /// Margin cushion percentage threshold (0-100).
    /// Example: 30 represents 30% margin cushion.
    pub percent: i32,
    /// True to trigger when margin cushion goes above threshold, false for below.
    pub is_more: bool,
    /// True for AND condition (all conditions must be met), false for OR condition (any condition triggers).
    pub is_conjunction: bool,
}

/// Execution-based condition that activates an order when a trade of a specific security executes.
///
/// This condition monitors executions in your account and triggers when any trade of the
/// specified contract executes. The condition checks for executions matching the symbol,
/// security type, and exchange.
///
/// # TWS Behavior
///
/// - The condition triggers on ANY execution of the specified contract, regardless of side or quantity
/// - Only monitors executions in the current account
/// - The execution can be from any order type (market, limit, stop, etc.)
/// - Common use case: Place a hedge order immediately after an initial position is filled
/// - The symbol must match exactly (case-sensitive in most cases)
///
/// # Examples
///
/// ```no_run
/// use ibapi::orders::conditions::ExecutionCondition;
/// use ibapi::orders::OrderCondition;
///
/// // Trigger when MSFT stock executes on SMART exchange
/// let condition = ExecutionCondition::builder("MSFT", "STK", "SMART")
///     .build();
///
/// let order_condition = OrderCondition::Execution(condition);
/// ```
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExecutionCondition {
    /// Symbol of the contract to monitor for executions.
    pub symbol: String,
    /// Security type: "STK" (stock), "OPT" (option), "FUT" (future), "FOP" (future option), etc.
    pub security_type: String,
    /// Exchange where execution is monitored (e.g., "SMART", "NASDAQ", "NYSE").
    pub exchange: String,
    /// True for AND condition (all conditions must be met), false for OR condition (any condition triggers).
    pub is_conjunction: bool,
}

/// Volume-based condition that activates an order when cumulative volume reaches a threshold.
///
/// This condition monitors the cumulative trading volume for a specific contract throughout
/// the trading day and triggers when the volume crosses the specified threshold.
///
/// # TWS Behavior
///
/// - Volume is cumulative from market open (resets daily)
/// - The contract must be specified by its contract ID
/// - Volume tracking is exchange-specific (different exchanges may show different volumes)
/// - When `conditions_ignore_rth` is true on the order, includes after-hours volume
/// - Common use case: Enter positions after sufficient liquidity is established
///
/// # Examples
///
/// ```no_run
/// use ibapi::orders::conditions::VolumeCondition;
/// use ibapi::orders::OrderCondition;
///
/// // Trigger when TSLA volume exceeds 50 million shares
/// let condition = VolumeCondition::builder(76792991, "SMART")
///     .greater_than(50_000_000)
///     .build();
///
/// let order_condition = OrderCondition::Volume(condition);
/// ```
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VolumeCondition {
    /// Contract identifier for the instrument to monitor.
    /// Use contract_details() to obtain the contract_id for a symbol.
    pub contract_id: i32,
    /// Exchange where volume is monitored (e.g., "SMART", "NASDAQ", "NYSE").
    pub exchange: String,
    /// Volume threshold (number of shares/contracts traded).
    pub volume: i32,
    /// True to trigger when volume goes above threshold, false for below.
    pub is_more: bool,
    /// True for AND condition (all conditions must be met), false for OR condition (any condition triggers).
    pub is_conjunction: bool,
}

/// Percent change condition that activates an order based on price movement percentage.
///
/// This condition monitors the percentage change in a contract's price from its value at
/// the start of the trading day and triggers when the change crosses the specified threshold.
/// The percentage can be positive (gain) or negative (loss).
///
/// # TWS Behavior
///
/// - Percent change is calculated from the session's opening price
/// - The contract must be specified by its contract ID
/// - The percentage is specified as a decimal (e.g., 2.0 for 2%, not 0.02)
/// - When `is_more` is true, triggers on upward moves; when false, on downward moves
/// - Resets at the start of each trading session
/// - Common use case: Momentum trading or volatility-based order activation
///
/// # Examples
///
/// ```no_run
/// use ibapi::orders::conditions::PercentChangeCondition;
/// use ibapi::orders::OrderCondition;
///
/// // Trigger when SPY moves more than 2% upward from open
/// let condition = PercentChangeCondition::builder(756733, "SMART")
///     .greater_than(2.0)
///     .build();
///
/// let order_condition = OrderCondition::PercentChange(condition);
/// ```
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PercentChangeCondition {
    /// Contract identifier for the instrument to monitor.
    /// Use contract_details() to obtain the contract_id for a symbol.
    pub contract_id: i32,
    /// Exchange where price change is monitored (e.g., "SMART", "NASDAQ", "NYSE").
    pub exchange: String,
    /// Percentage change threshold (e.g., 2.0 for 2%, 5.5 for 5.5%).
    pub percent: f64,
    /// True to trigger when percent change goes above threshold (gains), false for below (losses).
    pub is_more: bool,
    /// True for AND condition (all conditions must be met), false for OR condition (any condition triggers).
    pub is_conjunction: bool,
}

/// A condition whose type this crate does not model, preserved as TWS sent it.
///
/// Decoding keeps every field of the wire condition, so an order read from TWS and
/// placed again sends the condition back unchanged. The payload fields are `Option`s
/// mirroring their presence on the wire; which of them a given type uses is unknown.
/// `is_conjunction` is the exception: an absent flag reads as `true` (AND), as it does
/// for the modeled conditions, and is sent back explicitly.
///
/// Decoders construct this; the condition builders do not.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UnknownCondition {
    /// The unrecognized condition type discriminator.
    pub condition_type: i32,
    /// True for AND condition (all conditions must be met), false for OR condition (any condition triggers).
    pub is_conjunction: bool,
    /// Raw `isMore` flag.
    pub is_more: Option<bool>,
    /// Raw contract identifier.
    pub contract_id: Option<i32>,
    /// Raw exchange.
    pub exchange: Option<String>,
    /// Raw symbol.
    pub symbol: Option<String>,
    /// Raw security type.
    pub security_type: Option<String>,
    /// Raw integer percent (as carried by margin conditions).
    pub percent: Option<i32>,
    /// Raw percent change (as carried by percent-change conditions).
    pub change_percent: Option<f64>,
    /// Raw price.
    pub price: Option<f64>,
    /// Raw trigger method code.
    pub trigger_method: Option<i32>,
    /// Raw time string.
    pub time: Option<String>,
    /// Raw volume.
    pub volume: Option<i32>,
}

// ============================================================================
// Builder Types
// ============================================================================

/// Builder for [`PriceCondition`].
///
/// # Examples
///
/// ```no_run
/// use ibapi::orders::conditions::{PriceCondition, TriggerMethod};
///
/// let condition = PriceCondition::builder(12345, "NASDAQ")
///     .greater_than(150.0)
///     .trigger_method(TriggerMethod::Last)
///     .conjunction(false)
///     .build();
/// ```
#[derive(Debug, Clone)]
#[must_use = "PriceConditionBuilder does nothing until you call .build()"]
pub struct PriceConditionBuilder {
    contract_id: i32,
    exchange: String,
    price: Option<f64>,
    trigger_method: TriggerMethod,
    is_more: bool,
    is_conjunction: bool,
}

impl PriceCondition {
    /// Create a builder for a price condition.
    ///
    /// # Parameters
    ///
    /// - `contract_id`: Contract identifier for the instrument to monitor
    /// - `exchange`: Exchange where the price is monitored
    pub fn builder(contract_id: impl Into<ContractId>, exchange: impl Into<String>) -> PriceConditionBuilder {
        PriceConditionBuilder::new(contract_id, exchange)
    }
}

impl PriceConditionBuilder {
    /// Create a new price condition builder.
    ///
    /// # Parameters
    ///
    /// - `contract_id`: Contract identifier for the instrument to monitor
    /// - `exchange`: Exchange where the price is monitored
    pub fn new(contract_id: impl Into<ContractId>, exchange: impl Into<String>) -> Self {
        Self {
            contract_id: contract_id.into().value(),
            exchange: exchange.into(),
            price: None,                            // Must be set by greater_than/less_than
            trigger_method: TriggerMethod::Default, // Default trigger method
            is_more: true,                          // Default: trigger when price goes above
            is_conjunction: true,                   // Default: AND condition
        }
    }

    /// Set trigger when price is greater than the specified value.
    pub fn greater_than(mut self, price: f64) -> Self {
        self.price = Some(price);
        self.is_more = true;
        self
    }

    /// Set trigger when price is less than the specified value.
    pub fn less_than(mut self, price: f64) -> Self {
        self.price = Some(price);
        self.is_more = false;
        self
    }

    /// Set the trigger method for price evaluation.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use ibapi::orders::conditions::{PriceCondition, TriggerMethod};
    ///
    /// let condition = PriceCondition::builder(12345, "NASDAQ")
    ///     .greater_than(150.0)
    ///     .trigger_method(TriggerMethod::Last)
    ///     .build();
    /// ```
    pub fn trigger_method(mut self, method: TriggerMethod) -> Self {
        self.trigger_method = method;
        self
    }

    /// Set whether this is an AND (conjunction) or OR (disjunction) condition.
    ///
    /// Default is `true` (AND).
    pub fn conjunction(mut self, is_conjunction: bool) -> Self {
        self.is_conjunction = is_conjunction;
        self
    }

    /// Build the price condition.
    ///
    /// # Panics
    ///
    /// If neither `greater_than()` nor `less_than()` was called.
    pub fn build(self) -> PriceCondition {
        PriceCondition {
            contract_id: self.contract_id,
            exchange: self.exchange,
            price: self
                .price
                .expect("PriceConditionBuilder requires a price threshold; call greater_than() or less_than() before build()"),
            trigger_method: self.trigger_method,
            is_more: self.is_more,
            is_conjunction: self.is_conjunction,
        }
    }
}

/// Builder for [`TimeCondition`].
///
/// # Examples
///
/// ```no_run
/// use ibapi::orders::conditions::TimeCondition;
///
/// let condition = TimeCondition::builder()
///     .greater_than("20251230 23:59:59 UTC")
///     .build();
/// ```
#[derive(Debug, Clone)]
#[must_use = "TimeConditionBuilder does nothing until you call .build()"]
pub struct TimeConditionBuilder {
    time: Option<String>,
    is_more: bool,
    is_conjunction: bool,
}

impl TimeCondition {
    /// Create a builder for a time condition.
    pub fn builder() -> TimeConditionBuilder {
        TimeConditionBuilder::new()
    }
}

impl TimeConditionBuilder {
    /// Create a new time condition builder.
    pub fn new() -> Self {
        Self {
            time: None,           // Must be set by greater_than/less_than
            is_more: true,        // Default: trigger after time
            is_conjunction: true, // Default: AND condition
        }
    }

    /// Set trigger when time is greater than (after) the specified time.
    ///
    /// # Parameters
    ///
    /// - `time`: Time in format "YYYYMMDD HH:MM:SS TZ"
    pub fn greater_than(mut self, time: impl Into<String>) -> Self {
        self.time = Some(time.into());
        self.is_more = true;
        self
    }

    /// Set trigger when time is less than (before) the specified time.
    ///
    /// # Parameters
    ///
    /// - `time`: Time in format "YYYYMMDD HH:MM:SS TZ"
    pub fn less_than(mut self, time: impl Into<String>) -> Self {
        self.time = Some(time.into());
        self.is_more = false;
        self
    }

    /// Set whether this is an AND (conjunction) or OR (disjunction) condition.
    ///
    /// Default is `true` (AND).
    pub fn conjunction(mut self, is_conjunction: bool) -> Self {
        self.is_conjunction = is_conjunction;
        self
    }

    /// Build the time condition.
    ///
    /// # Panics
    ///
    /// If neither `greater_than()` nor `less_than()` was called.
    pub fn build(self) -> TimeCondition {
        TimeCondition {
            time: self
                .time
                .expect("TimeConditionBuilder requires a time value; call greater_than() or less_than() before build()"),
            is_more: self.is_more,
            is_conjunction: self.is_conjunction,
        }
    }
}

impl Default for TimeConditionBuilder {
    fn default() -> Self {
        Self::new()
    }
}

/// Builder for [`MarginCondition`].
///
/// # Examples
///
/// ```no_run
/// use ibapi::orders::conditions::MarginCondition;
///
/// let condition = MarginCondition::builder()
///     .less_than(30)
///     .build();
/// ```
#[derive(Debug, Clone)]
#[must_use = "MarginConditionBuilder does nothing until you call .build()"]
pub struct MarginConditionBuilder {
    percent: Option<i32>,
    is_more: bool,
    is_conjunction: bool,
}

impl MarginCondition {
    /// Create a builder for a margin cushion condition.
    pub fn builder() -> MarginConditionBuilder {
        MarginConditionBuilder::new()
    }
}

impl MarginConditionBuilder {
    /// Create a new margin condition builder.
    pub fn new() -> Self {
        Self {
            percent: None,        // Must be set by greater_than/less_than
            is_more: true,        // Default: trigger when above threshold
            is_conjunction: true, // Default: AND condition
        }
    }

    /// Set trigger when margin cushion is greater than the specified percentage.
    pub fn greater_than(mut self, percent: i32) -> Self {
        self.percent = Some(percent);
        self.is_more = true;
        self
    }

    /// Set trigger when margin cushion is less than the specified percentage.
    pub fn less_than(mut self, percent: i32) -> Self {
        self.percent = Some(percent);
        self.is_more = false;
        self
    }

    /// Set whether this is an AND (conjunction) or OR (disjunction) condition.
    ///
    /// Default is `true` (AND).
    pub fn conjunction(mut self, is_conjunction: bool) -> Self {
        self.is_conjunction = is_conjunction;
        self
    }

    /// Build the margin condition.
    ///
    /// # Panics
    ///
    /// If neither `greater_than()` nor `less_than()` was called.
    pub fn build(self) -> MarginCondition {
        MarginCondition {
            percent: self
                .percent
                .expect("MarginConditionBuilder requires a percentage threshold; call greater_than() or less_than() before build()"),
            is_more: self.is_more,
            is_conjunction: self.is_conjunction,
        }
    }
}

impl Default for MarginConditionBuilder {
    fn default() -> Self {
        Self::new()
    }
}

/// Builder for [`ExecutionCondition`].
///
/// # Examples
///
/// ```no_run
/// use ibapi::orders::conditions::ExecutionCondition;
///
/// let condition = ExecutionCondition::builder("AAPL", "STK", "SMART")
///     .conjunction(false)
///     .build();
/// ```
#[derive(Debug, Clone)]
#[must_use = "ExecutionConditionBuilder does nothing until you call .build()"]
pub struct ExecutionConditionBuilder {
    symbol: String,
    security_type: String,
    exchange: String,
    is_conjunction: bool,
}

impl ExecutionCondition {
    /// Create a builder for an execution condition.
    ///
    /// # Parameters
    ///
    /// - `symbol`: Symbol of the contract
    /// - `security_type`: Security type (e.g., "STK", "OPT")
    /// - `exchange`: Exchange where execution is monitored
    pub fn builder(symbol: impl Into<String>, security_type: impl Into<String>, exchange: impl Into<String>) -> ExecutionConditionBuilder {
        ExecutionConditionBuilder::new(symbol, security_type, exchange)
    }
}

impl ExecutionConditionBuilder {
    /// Create a new execution condition builder.
    ///
    /// # Parameters
    ///
    /// - `symbol`: Symbol of the contract
    /// - `security_type`: Security type (e.g., "STK", "OPT")
    /// - `exchange`: Exchange where execution is monitored
    pub fn new(symbol: impl Into<String>, security_type: impl Into<String>, exchange: impl Into<String>) -> Self {
        Self {
            symbol: symbol.into(),
            security_type: security_type.into(),
            exchange: exchange.into(),
            is_conjunction: true, // Default: AND condition
        }
    }

    /// Set whether this is an AND (conjunction) or OR (disjunction) condition.
    ///
    /// Default is `true` (AND).
    pub fn conjunction(mut self, is_conjunction: bool) -> Self {
        self.is_conjunction = is_conjunction;
        self
    }

    /// Build the execution condition.
    pub fn build(self) -> ExecutionCondition {
        ExecutionCondition {
            symbol: self.symbol,
            security_type: self.security_type,
            exchange: self.exchange,
            is_conjunction: self.is_conjunction,
        }
    }
}

/// Builder for [`VolumeCondition`].
///
/// # Examples
///
/// ```no_run
/// use ibapi::orders::conditions::VolumeCondition;
///
/// let condition = VolumeCondition::builder(12345, "NASDAQ")
///     .greater_than(1000000)
///     .build();
/// ```
#[derive(Debug, Clone)]
#[must_use = "VolumeConditionBuilder does nothing until you call .build()"]
pub struct VolumeConditionBuilder {
    contract_id: i32,
    exchange: String,
    volume: Option<i32>,
    is_more: bool,
    is_conjunction: bool,
}

impl VolumeCondition {
    /// Create a builder for a volume condition.
    ///
    /// # Parameters
    ///
    /// - `contract_id`: Contract identifier for the instrument to monitor
    /// - `exchange`: Exchange where volume is monitored
    pub fn builder(contract_id: impl Into<ContractId>, exchange: impl Into<String>) -> VolumeConditionBuilder {
        VolumeConditionBuilder::new(contract_id, exchange)
    }
}

impl VolumeConditionBuilder {
    /// Create a new volume condition builder.
    ///
    /// # Parameters
    ///
    /// - `contract_id`: Contract identifier for the instrument to monitor
    /// - `exchange`: Exchange where volume is monitored
    pub fn new(contract_id: impl Into<ContractId>, exchange: impl Into<String>) -> Self {
        Self {
            contract_id: contract_id.into().value(),
            exchange: exchange.into(),
            volume: None,         // Must be set by greater_than/less_than
            is_more: true,        // Default: trigger when above threshold
            is_conjunction: true, // Default: AND condition
        }
    }

    /// Set trigger when volume is greater than the specified value.
    pub fn greater_than(mut self, volume: i32) -> Self {
        self.volume = Some(volume);
        self.is_more = true;
        self
    }

    /// Set trigger when volume is less than the specified value.
    pub fn less_than(mut self, volume: i32) -> Self {
        self.volume = Some(volume);
        self.is_more = false;
        self
    }

    /// Set whether this is an AND (conjunction) or OR (disjunction) condition.
    ///
    /// Default is `true` (AND).
    pub fn conjunction(mut self, is_conjunction: bool) -> Self {
        self.is_conjunction = is_conjunction;
        self
    }

    /// Build the volume condition.
    ///
    /// # Panics
    ///
    /// If neither `greater_than()` nor `less_than()` was called.
    pub fn build(self) -> VolumeCondition {
        VolumeCondition {
            contract_id: self.contract_id,
            exchange: self.exchange,
            volume: self
                .volume
                .expect("VolumeConditionBuilder requires a volume threshold; call greater_than() or less_than() before build()"),
            is_more: self.is_more,
            is_conjunction: self.is_conjunction,
        }
    }
}

/// Builder for [`PercentChangeCondition`].
///
/// # Examples
///
/// ```no_run
/// use ibapi::orders::conditions::PercentChangeCondition;
///
/// let condition = PercentChangeCondition::builder(12345, "NASDAQ")
///     .greater_than(5.0)
///     .build();
/// ```
#[derive(Debug, Clone)]
#[must_use = "PercentChangeConditionBuilder does nothing until you call .build()"]
pub struct PercentChangeConditionBuilder {
    contract_id: i32,
    exchange: String,
    percent: Option<f64>,
    is_more: bool,
    is_conjunction: bool,
}

impl PercentChangeCondition {
    /// Create a builder for a percent change condition.
    ///
    /// # Parameters
    ///
    /// - `contract_id`: Contract identifier for the instrument to monitor
    /// - `exchange`: Exchange where price change is monitored
    pub fn builder(contract_id: impl Into<ContractId>, exchange: impl Into<String>) -> PercentChangeConditionBuilder {
        PercentChangeConditionBuilder::new(contract_id, exchange)
    }
}

impl PercentChangeConditionBuilder {
    /// Create a new percent change condition builder.
    ///
    /// # Parameters
    ///
    /// - `contract_id`: Contract identifier for the instrument to monitor
    /// - `exchange`: Exchange where price change is monitored
    pub fn new(contract_id: impl Into<ContractId>, exchange: impl Into<String>) -> Self {
        Self {
            contract_id: contract_id.into().value(),
            exchange: exchange.into(),
            percent: None,        // Must be set by greater_than/less_than
            is_more: true,        // Default: trigger when above threshold
            is_conjunction: true, // Default: AND condition
        }
    }

    /// Set trigger when percent change is greater than the specified value.
    pub fn greater_than(mut self, percent: f64) -> Self {
        self.percent = Some(percent);
        self.is_more = true;
        self
    }

    /// Set trigger when percent change is less than the specified value.
    pub fn less_than(mut self, percent: f64) -> Self {
        self.percent = Some(percent);
        self.is_more = false;
        self
    }

    /// Set whether this is an AND (conjunction) or OR (disjunction) condition.
    ///
    /// Default is `true` (AND).
    pub fn conjunction(mut self, is_conjunction: bool) -> Self {
        self.is_conjunction = is_conjunction;
        self
    }

    /// Build the percent change condition.
    ///
    /// # Panics
    ///
    /// If neither `greater_than()` nor `less_than()` was called.
    pub fn build(self) -> PercentChangeCondition {
        PercentChangeCondition {
            contract_id: self.contract_id,
            exchange: self.exchange,
            percent: self
                .percent
                .expect("PercentChangeConditionBuilder requires a threshold; call greater_than() or less_than() before build()"),
            is_more: self.is_more,
            is_conjunction: self.is_conjunction,
        }
    }
}

// From implementations to convert builders to OrderCondition
impl From<PriceConditionBuilder> for crate::orders::OrderCondition {
    fn from(builder: PriceConditionBuilder) -> Self {
        crate::orders::OrderCondition::Price(builder.build())
    }
}

impl From<TimeConditionBuilder> for crate::orders::OrderCondition {
    fn from(builder: TimeConditionBuilder) -> Self {
        crate::orders::OrderCondition::Time(builder.build())
    }
}

impl From<MarginConditionBuilder> for crate::orders::OrderCondition {
    fn from(builder: MarginConditionBuilder) -> Self {
        crate::orders::OrderCondition::Margin(builder.build())
    }
}

impl From<VolumeConditionBuilder> for crate::orders::OrderCondition {
    fn from(builder: VolumeConditionBuilder) -> Self {
        crate::orders::OrderCondition::Volume(builder.build())
    }
}

impl From<PercentChangeConditionBuilder> for crate::orders::OrderCondition {
    fn from(builder: PercentChangeConditionBuilder) -> Self {
        crate::orders::OrderCondition::PercentChange(builder.build())
    }
}

impl From<ExecutionConditionBuilder> for crate::orders::OrderCondition {
    fn from(builder: ExecutionConditionBuilder) -> Self {
        crate::orders::OrderCondition::Execution(builder.build())
    }
}

#[cfg(test)]
#[path = "conditions_tests.rs"]
mod tests;
