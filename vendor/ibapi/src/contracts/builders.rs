//! Type-safe builders for different contract types.

use super::types::*;
use super::{ComboLeg, Contract, SecurityType};
use crate::accounts::types::ContractId;
use crate::Error;

/// Stock contract builder with type-safe API
#[derive(Debug, Clone)]
#[must_use = "StockBuilder does nothing until you call .build()"]
pub struct StockBuilder<S = Missing> {
    symbol: S,
    exchange: Exchange,
    currency: Currency,
    primary_exchange: Option<Exchange>,
    trading_class: Option<String>,
}

impl StockBuilder<Missing> {
    /// Start building a stock contract for the provided symbol.
    pub fn new(symbol: impl Into<Symbol>) -> StockBuilder<Symbol> {
        StockBuilder {
            symbol: symbol.into(),
            exchange: "SMART".into(),
            currency: "USD".into(),
            primary_exchange: None,
            trading_class: None,
        }
    }
}

impl StockBuilder<Symbol> {
    /// Route the order to the specified exchange instead of the default.
    pub fn on_exchange(mut self, exchange: impl Into<Exchange>) -> Self {
        self.exchange = exchange.into();
        self
    }

    /// Quote the contract in a different currency.
    pub fn in_currency(mut self, currency: impl Into<Currency>) -> Self {
        self.currency = currency.into();
        self
    }

    /// Prefer a specific primary exchange when resolving the contract.
    pub fn primary(mut self, exchange: impl Into<Exchange>) -> Self {
        self.primary_exchange = Some(exchange.into());
        self
    }

    /// Hint the trading class for venues that require it.
    pub fn trading_class(mut self, class: impl Into<String>) -> Self {
        self.trading_class = Some(class.into());
        self
    }

    /// Build the contract - cannot fail for stocks
    pub fn build(self) -> Contract {
        Contract {
            symbol: self.symbol,
            security_type: SecurityType::Stock,
            exchange: self.exchange,
            currency: self.currency,
            primary_exchange: self.primary_exchange.unwrap_or_else(|| Exchange::from("")),
            trading_class: self.trading_class.unwrap_or_default(),
            ..Default::default()
        }
    }
}

/// Option contract builder with type states for required fields
#[derive(Debug, Clone)]
#[must_use = "OptionBuilder does nothing until you call .build()"]
pub struct OptionBuilder<Symbol = Missing, Strike = Missing, Expiry = Missing> {
    symbol: Symbol,
    right: OptionRight,
    strike: Strike,
    expiry: Expiry,
    exchange: Exchange,
    currency: Currency,
    multiplier: u32,
    primary_exchange: Option<Exchange>,
    trading_class: Option<String>,
}

impl OptionBuilder<Missing, Missing, Missing> {
    /// Begin constructing a call option contract for the provided symbol.
    pub fn call(symbol: impl Into<Symbol>) -> OptionBuilder<Symbol, Missing, Missing> {
        OptionBuilder {
            symbol: symbol.into(),
            right: OptionRight::Call,
            strike: Missing,
            expiry: Missing,
            exchange: "SMART".into(),
            currency: "USD".into(),
            multiplier: 100,
            primary_exchange: None,
            trading_class: None,
        }
    }

    /// Begin constructing a put option contract for the provided symbol.
    pub fn put(symbol: impl Into<Symbol>) -> OptionBuilder<Symbol, Missing, Missing> {
        OptionBuilder {
            symbol: symbol.into(),
            right: OptionRight::Put,
            strike: Missing,
            expiry: Missing,
            exchange: "SMART".into(),
            currency: "USD".into(),
            multiplier: 100,
            primary_exchange: None,
            trading_class: None,
        }
    }
}

// Can only set strike when symbol is present
impl<E> OptionBuilder<Symbol, Missing, E> {
    /// Specify the option strike price.
    ///
    /// # Panics
    ///
    /// If `price` is not positive and finite (zero, negative, NaN or infinite).
    pub fn strike(self, price: f64) -> OptionBuilder<Symbol, Strike, E> {
        OptionBuilder {
            symbol: self.symbol,
            right: self.right,
            strike: Strike::new_unchecked(price),
            expiry: self.expiry,
            exchange: self.exchange,
            currency: self.currency,
            multiplier: self.multiplier,
            primary_exchange: self.primary_exchange,
            trading_class: self.trading_class,
        }
    }
}

// Can only set expiry when symbol is present
impl<S> OptionBuilder<Symbol, S, Missing> {
    /// Provide an explicit expiration date.
    pub fn expires(self, date: ExpirationDate) -> OptionBuilder<Symbol, S, ExpirationDate> {
        OptionBuilder {
            symbol: self.symbol,
            right: self.right,
            strike: self.strike,
            expiry: date,
            exchange: self.exchange,
            currency: self.currency,
            multiplier: self.multiplier,
            primary_exchange: self.primary_exchange,
            trading_class: self.trading_class,
        }
    }

    /// Convenience helper to set a specific calendar date.
    pub fn expires_on(self, year: u16, month: u8, day: u8) -> OptionBuilder<Symbol, S, ExpirationDate> {
        self.expires(ExpirationDate::new(year, month, day))
    }

    /// Set the expiry to the next Friday weekly contract.
    pub fn expires_weekly(self) -> OptionBuilder<Symbol, S, ExpirationDate> {
        self.expires(ExpirationDate::next_friday())
    }

    /// Set the expiry to the standard monthly contract.
    pub fn expires_monthly(self) -> OptionBuilder<Symbol, S, ExpirationDate> {
        self.expires(ExpirationDate::third_friday_of_month())
    }
}

// Optional setters available at any stage when symbol is present
impl<S, E> OptionBuilder<Symbol, S, E> {
    /// Route the option to a specific exchange.
    pub fn on_exchange(mut self, exchange: impl Into<Exchange>) -> Self {
        self.exchange = exchange.into();
        self
    }

    /// Quote the option in a different currency.
    pub fn in_currency(mut self, currency: impl Into<Currency>) -> Self {
        self.currency = currency.into();
        self
    }

    /// Override the contract multiplier (defaults to 100).
    pub fn multiplier(mut self, multiplier: u32) -> Self {
        self.multiplier = multiplier;
        self
    }

    /// Prefer a specific primary exchange when resolving the option.
    pub fn primary(mut self, exchange: impl Into<Exchange>) -> Self {
        self.primary_exchange = Some(exchange.into());
        self
    }

    /// Hint the trading class used by this contract.
    pub fn trading_class(mut self, class: impl Into<String>) -> Self {
        self.trading_class = Some(class.into());
        self
    }
}

// Build only available when all required fields are set
impl OptionBuilder<Symbol, Strike, ExpirationDate> {
    /// Finalize the option contract once symbol, strike, and expiry are set.
    pub fn build(self) -> Contract {
        Contract {
            symbol: self.symbol,
            security_type: SecurityType::Option,
            strike: self.strike.value(),
            right: Some(self.right),
            last_trade_date_or_contract_month: self.expiry.to_string(),
            exchange: self.exchange,
            currency: self.currency,
            multiplier: self.multiplier.to_string(),
            primary_exchange: self.primary_exchange.unwrap_or_else(|| Exchange::from("")),
            trading_class: self.trading_class.unwrap_or_default(),
            ..Default::default()
        }
    }
}

/// Futures contract builder with type states
#[derive(Debug, Clone)]
#[must_use = "FuturesBuilder does nothing until you call .build()"]
pub struct FuturesBuilder<Symbol = Missing, Month = Missing> {
    symbol: Symbol,
    contract_month: Month,
    exchange: Exchange,
    currency: Currency,
    multiplier: Option<u32>,
}

impl FuturesBuilder<Missing, Missing> {
    /// Start building a futures contract for the given symbol.
    pub fn new(symbol: impl Into<Symbol>) -> FuturesBuilder<Symbol, Missing> {
        FuturesBuilder {
            symbol: symbol.into(),
            contract_month: Missing,
            exchange: "CME".into(),
            currency: "USD".into(),
            multiplier: None,
        }
    }
}

impl FuturesBuilder<Symbol, Missing> {
    /// Specify the contract month to target for the future.
    pub fn expires_in(self, month: ContractMonth) -> FuturesBuilder<Symbol, ContractMonth> {
        FuturesBuilder {
            symbol: self.symbol,
            contract_month: month,
            exchange: self.exchange,
            currency: self.currency,
            multiplier: self.multiplier,
        }
    }

    /// Shortcut for selecting the current front-month contract.
    pub fn front_month(self) -> FuturesBuilder<Symbol, ContractMonth> {
        self.expires_in(ContractMonth::front())
    }

    /// Shortcut for selecting the next quarterly contract.
    pub fn next_quarter(self) -> FuturesBuilder<Symbol, ContractMonth> {
        self.expires_in(ContractMonth::next_quarter())
    }

    /// Leave the contract month unspecified for an open `contract_details` query.
    ///
    /// Use this when the month is what you are discovering: pass the resulting contract to
    /// `contract_details(..)` to enumerate every listing, then pick or roll the front month
    /// yourself from each `real_expiration_date`.
    ///
    /// # Examples
    ///
    /// ```
    /// use ibapi::contracts::Contract;
    ///
    /// let query = Contract::futures("ES")
    ///     .on_exchange("CME")
    ///     .in_currency("USD")
    ///     .any_month()
    ///     .build();
    /// ```
    pub fn any_month(self) -> FuturesBuilder<Symbol, AnyMonth> {
        FuturesBuilder {
            symbol: self.symbol,
            contract_month: AnyMonth,
            exchange: self.exchange,
            currency: self.currency,
            multiplier: self.multiplier,
        }
    }
}

impl<M> FuturesBuilder<Symbol, M> {
    /// Route the futures contract to a specific exchange.
    pub fn on_exchange(mut self, exchange: impl Into<Exchange>) -> Self {
        self.exchange = exchange.into();
        self
    }

    /// Quote the future in a different currency.
    pub fn in_currency(mut self, currency: impl Into<Currency>) -> Self {
        self.currency = currency.into();
        self
    }

    /// Set a custom multiplier value for the contract.
    pub fn multiplier(mut self, value: u32) -> Self {
        self.multiplier = Some(value);
        self
    }
}

impl FuturesBuilder<Symbol, ContractMonth> {
    /// Finalize the futures contract once the contract month is chosen.
    pub fn build(self) -> Contract {
        Contract {
            symbol: self.symbol,
            security_type: SecurityType::Future,
            last_trade_date_or_contract_month: self.contract_month.to_string(),
            exchange: self.exchange,
            currency: self.currency,
            multiplier: self.multiplier.map(|m| m.to_string()).unwrap_or_default(),
            ..Default::default()
        }
    }
}

impl FuturesBuilder<Symbol, AnyMonth> {
    /// Finalize a month-less futures contract for an open `contract_details` query.
    ///
    /// The contract month is left empty so the contract enumerates every listing rather than
    /// targeting one expiration.
    ///
    /// # Examples
    ///
    /// ```
    /// use ibapi::contracts::Contract;
    ///
    /// let query = Contract::futures("ES").in_currency("USD").any_month().build();
    /// ```
    pub fn build(self) -> Contract {
        Contract {
            symbol: self.symbol,
            security_type: SecurityType::Future,
            // last_trade_date_or_contract_month left empty (open query)
            exchange: self.exchange,
            currency: self.currency,
            multiplier: self.multiplier.map(|m| m.to_string()).unwrap_or_default(),
            ..Default::default()
        }
    }
}

/// Continuous futures contract builder with type states
#[derive(Debug, Clone)]
#[must_use = "ContinuousFuturesBuilder does nothing until you call .build()"]
pub struct ContinuousFuturesBuilder<Symbol = Missing> {
    symbol: Symbol,
    exchange: Exchange,
    currency: Currency,
    multiplier: Option<u32>,
}

impl ContinuousFuturesBuilder<Missing> {
    /// Create a continuous future contract for the given symbol.
    pub fn new(symbol: impl Into<Symbol>) -> ContinuousFuturesBuilder<Symbol> {
        ContinuousFuturesBuilder {
            symbol: symbol.into(),
            exchange: "CME".into(),
            currency: "USD".into(),
            multiplier: None,
        }
    }
}

impl ContinuousFuturesBuilder<Symbol> {
    /// Route the continuous future to a specific exchange.
    pub fn on_exchange(mut self, exchange: impl Into<Exchange>) -> Self {
        self.exchange = exchange.into();
        self
    }

    /// Quote the continuous future in a different currency.
    pub fn in_currency(mut self, currency: impl Into<Currency>) -> Self {
        self.currency = currency.into();
        self
    }

    /// Set a custom multiplier value for the continuous future.
    pub fn multiplier(mut self, value: u32) -> Self {
        self.multiplier = Some(value);
        self
    }

    /// Finalize the continuous future contract definition.
    pub fn build(self) -> Contract {
        Contract {
            symbol: self.symbol,
            security_type: SecurityType::ContinuousFuture,
            exchange: self.exchange,
            currency: self.currency,
            multiplier: self.multiplier.map(|m| m.to_string()).unwrap_or_default(),
            ..Default::default()
        }
    }
}

/// Forex pair builder
#[derive(Debug, Clone)]
#[must_use = "ForexBuilder does nothing until you call .build()"]
pub struct ForexBuilder {
    base: Currency,
    quote: Currency,
    exchange: Exchange,
}

impl ForexBuilder {
    /// Create a forex contract using the given base and quote currencies.
    pub fn new(base: impl Into<Currency>, quote: impl Into<Currency>) -> Self {
        ForexBuilder {
            base: base.into(),
            quote: quote.into(),
            exchange: "IDEALPRO".into(),
        }
    }

    /// Route the trade to a different forex venue.
    pub fn on_exchange(mut self, exchange: impl Into<Exchange>) -> Self {
        self.exchange = exchange.into();
        self
    }

    /// Complete the forex contract definition.
    pub fn build(self) -> Contract {
        Contract {
            symbol: Symbol::new(self.base.0),
            security_type: SecurityType::ForexPair,
            exchange: self.exchange,
            currency: self.quote,
            ..Default::default()
        }
    }
}

/// Crypto currency builder
#[derive(Debug, Clone)]
#[must_use = "CryptoBuilder does nothing until you call .build()"]
pub struct CryptoBuilder {
    symbol: Symbol,
    exchange: Exchange,
    currency: Currency,
}

impl CryptoBuilder {
    /// Create a crypto contract for the specified symbol (e.g. `BTC`).
    pub fn new(symbol: impl Into<Symbol>) -> Self {
        CryptoBuilder {
            symbol: symbol.into(),
            exchange: "PAXOS".into(),
            currency: "USD".into(),
        }
    }

    /// Route the trade to a specific crypto venue.
    pub fn on_exchange(mut self, exchange: impl Into<Exchange>) -> Self {
        self.exchange = exchange.into();
        self
    }

    /// Quote the pair in an alternate fiat or stablecoin.
    pub fn in_currency(mut self, currency: impl Into<Currency>) -> Self {
        self.currency = currency.into();
        self
    }

    /// Finish building the crypto contract.
    pub fn build(self) -> Contract {
        Contract {
            symbol: self.symbol,
            security_type: SecurityType::Crypto,
            exchange: self.exchange,
            currency: self.currency,
            ..Default::default()
        }
    }
}

/// Spread/Combo builder
#[derive(Debug, Clone)]
#[must_use = "SpreadBuilder does nothing until you call .build()"]
pub struct SpreadBuilder {
    legs: Vec<Leg>,
    symbol: Symbol,
    currency: Currency,
    exchange: Exchange,
}

/// Internal representation of a spread leg used by [SpreadBuilder].
#[derive(Debug, Clone)]
pub struct Leg {
    contract_id: i32,
    action: LegAction,
    ratio: i32,
    exchange: Option<Exchange>,
}

impl SpreadBuilder {
    /// Create an empty spread builder ready to accept legs.
    pub fn new() -> Self {
        SpreadBuilder {
            legs: Vec::new(),
            symbol: Symbol::default(),
            currency: "USD".into(),
            exchange: "SMART".into(),
        }
    }
}

impl Default for SpreadBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl SpreadBuilder {
    /// Begin configuring a new leg for the spread.
    pub fn add_leg(self, contract_id: impl Into<ContractId>, action: LegAction) -> LegBuilder {
        LegBuilder {
            parent: self,
            leg: Leg {
                contract_id: contract_id.into().value(),
                action,
                ratio: 1,
                exchange: None,
            },
        }
    }

    /// Long calendar spread: sell the near-dated leg, buy the far-dated leg.
    ///
    /// Buy the combo to open. Both legs normally share strike and right.
    pub fn long_calendar(self, near_id: impl Into<ContractId>, far_id: impl Into<ContractId>) -> Self {
        self.add_leg(near_id, LegAction::Sell).done().add_leg(far_id, LegAction::Buy).done()
    }

    /// Short calendar spread: buy the near-dated leg, sell the far-dated leg.
    ///
    /// Buy the combo to open. Both legs normally share strike and right.
    pub fn short_calendar(self, near_id: impl Into<ContractId>, far_id: impl Into<ContractId>) -> Self {
        self.add_leg(near_id, LegAction::Buy).done().add_leg(far_id, LegAction::Sell).done()
    }

    /// Vertical spread: buy the long leg, sell the short leg.
    ///
    /// For an iron condor, use [`iron_condor`](Self::iron_condor).
    ///
    /// ```
    /// use ibapi::contracts::Contract;
    ///
    /// let (long_call, short_call) = (100, 105);
    /// let bull_call = Contract::spread().symbol("AAPL").vertical(long_call, short_call).build()?;
    /// # Ok::<(), ibapi::Error>(())
    /// ```
    pub fn vertical(self, long_id: impl Into<ContractId>, short_id: impl Into<ContractId>) -> Self {
        self.add_leg(long_id, LegAction::Buy).done().add_leg(short_id, LegAction::Sell).done()
    }

    /// Long straddle: buy a call and a put with the same strike and expiry.
    ///
    /// Buy the combo to open.
    ///
    /// ```
    /// use ibapi::contracts::Contract;
    ///
    /// let (call, put) = (100, 101);
    /// let straddle = Contract::spread().symbol("AAPL").straddle(call, put).build()?;
    /// # Ok::<(), ibapi::Error>(())
    /// ```
    pub fn straddle(self, call_id: impl Into<ContractId>, put_id: impl Into<ContractId>) -> Self {
        self.add_leg(call_id, LegAction::Buy).done().add_leg(put_id, LegAction::Buy).done()
    }

    /// Long strangle: buy an out-of-the-money call and put with the same expiry and different
    /// strikes.
    ///
    /// Buy the combo to open. The legs are those of [`straddle`](Self::straddle); only the
    /// strikes differ.
    ///
    /// ```
    /// use ibapi::contracts::Contract;
    ///
    /// let (call, put) = (110, 90);
    /// let strangle = Contract::spread().symbol("AAPL").strangle(call, put).build()?;
    /// # Ok::<(), ibapi::Error>(())
    /// ```
    pub fn strangle(self, call_id: impl Into<ContractId>, put_id: impl Into<ContractId>) -> Self {
        self.straddle(call_id, put_id)
    }

    /// Long butterfly: buy 1 lower, sell 2 middle, buy 1 upper.
    ///
    /// All legs share right and expiry. Buy the combo to open. The legs are named fields, so a
    /// wing cannot be swapped with the body by argument order.
    ///
    /// ```
    /// use ibapi::contracts::{ButterflyLegs, Contract};
    ///
    /// let butterfly = Contract::spread()
    ///     .symbol("AAPL")
    ///     .butterfly(ButterflyLegs {
    ///         lower: 100.into(),
    ///         middle: 105.into(),
    ///         upper: 110.into(),
    ///     })
    ///     .build()?;
    /// # Ok::<(), ibapi::Error>(())
    /// ```
    pub fn butterfly(self, legs: ButterflyLegs) -> Self {
        self.add_leg(legs.lower, LegAction::Buy)
            .done()
            .add_leg(legs.middle, LegAction::Sell)
            .ratio(2)
            .done()
            .add_leg(legs.upper, LegAction::Buy)
            .done()
    }

    /// Iron condor: a put vertical plus a call vertical, each long the wing and short the body.
    ///
    /// Legs are added as buy long put, sell short put, buy long call, sell short call. Buy the
    /// combo to open: it opens for a credit, so the limit price is negative. TWS rejects a
    /// positive price with 201 ("Guaranteed-to-Lose"). The legs are named fields because four
    /// ids in a fixed order compile when swapped and build a different strategy.
    ///
    /// ```
    /// use ibapi::contracts::{Contract, IronCondorLegs};
    ///
    /// let iron_condor = Contract::spread()
    ///     .symbol("AAPL")
    ///     .iron_condor(IronCondorLegs {
    ///         long_put: 100.into(),
    ///         short_put: 105.into(),
    ///         short_call: 110.into(),
    ///         long_call: 115.into(),
    ///     })
    ///     .build()?;
    /// # Ok::<(), ibapi::Error>(())
    /// ```
    pub fn iron_condor(self, legs: IronCondorLegs) -> Self {
        self.vertical(legs.long_put, legs.short_put).vertical(legs.long_call, legs.short_call)
    }

    /// Collar: buy the stock, buy a put below it as a floor, sell a call above it as a cap.
    ///
    /// Legs are added as buy stock (ratio `shares_per_contract`), buy put, sell call. Buy the
    /// combo to open. The limit price is per combo, a debit of about
    /// `shares_per_contract × spot + put − call`.
    ///
    /// # Examples
    ///
    /// ```
    /// use ibapi::contracts::{CollarLegs, Contract};
    ///
    /// let collar = Contract::spread()
    ///     .symbol("AAPL")
    ///     .collar(CollarLegs {
    ///         stock: 265598.into(),
    ///         put: 100.into(),
    ///         call: 101.into(),
    ///         shares_per_contract: 100,
    ///     })
    ///     .build()?;
    /// # Ok::<(), ibapi::Error>(())
    /// ```
    pub fn collar(self, legs: CollarLegs) -> Self {
        self.add_leg(legs.stock, LegAction::Buy)
            .ratio(legs.shares_per_contract)
            .done()
            .add_leg(legs.put, LegAction::Buy)
            .done()
            .add_leg(legs.call, LegAction::Sell)
            .done()
    }

    /// Set the combo's symbol. TWS requires it to place the combo and rejects one without it
    /// with 321.
    ///
    /// Usually the underlying. For a combo across underlyings, TWS's samples join them with a
    /// comma (`"IBKR,MCD"`).
    ///
    /// # Examples
    ///
    /// ```
    /// use ibapi::contracts::Contract;
    ///
    /// let (long_call, short_call) = (100, 105);
    /// let bull_call = Contract::spread().symbol("AAPL").vertical(long_call, short_call).build()?;
    /// assert_eq!(bull_call.symbol.to_string(), "AAPL");
    /// # Ok::<(), ibapi::Error>(())
    /// ```
    pub fn symbol(mut self, symbol: impl Into<Symbol>) -> Self {
        self.symbol = symbol.into();
        self
    }

    /// Override the spread currency, useful for non-USD underlyings.
    pub fn in_currency(mut self, currency: impl Into<Currency>) -> Self {
        self.currency = currency.into();
        self
    }

    /// Route the spread order to a specific exchange.
    pub fn on_exchange(mut self, exchange: impl Into<Exchange>) -> Self {
        self.exchange = exchange.into();
        self
    }

    /// Finalize the spread contract, returning an error if no legs were added.
    ///
    /// A combo built without [`symbol`](Self::symbol) builds, but TWS rejects it with 321.
    pub fn build(self) -> Result<Contract, Error> {
        if self.legs.is_empty() {
            return Err(Error::InvalidArgument("Spread must have at least one leg".into()));
        }

        let combo_legs: Vec<ComboLeg> = self
            .legs
            .into_iter()
            .map(|leg| ComboLeg {
                contract_id: leg.contract_id,
                ratio: leg.ratio,
                action: leg.action,
                exchange: leg.exchange.map(|e| e.to_string()).unwrap_or_default(),
                ..Default::default()
            })
            .collect();

        Ok(Contract {
            symbol: self.symbol,
            security_type: SecurityType::Spread,
            currency: self.currency,
            exchange: self.exchange,
            combo_legs,
            ..Default::default()
        })
    }
}

/// Legs of a [`SpreadBuilder::butterfly`], by option contract id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ButterflyLegs {
    /// Lower-strike wing, bought.
    pub lower: ContractId,
    /// Middle strike, sold twice.
    pub middle: ContractId,
    /// Upper-strike wing, bought.
    pub upper: ContractId,
}

/// Legs of a [`SpreadBuilder::iron_condor`], by option contract id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IronCondorLegs {
    /// Lowest-strike put, bought.
    pub long_put: ContractId,
    /// Higher-strike put, sold.
    pub short_put: ContractId,
    /// Lower-strike call, sold.
    pub short_call: ContractId,
    /// Highest-strike call, bought.
    pub long_call: ContractId,
}

/// Legs of a [`SpreadBuilder::collar`], by contract id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CollarLegs {
    /// The underlying stock, bought.
    pub stock: ContractId,
    /// Put below the stock price, bought.
    pub put: ContractId,
    /// Call above the stock price, sold.
    pub call: ContractId,
    /// Shares one option contract delivers: the stock leg's ratio. Usually 100, and for
    /// split-adjusted options usually the option's `multiplier` (see
    /// [`ContractDetails`](crate::contracts::ContractDetails)). After a merger or spin-off the
    /// deliverable can differ from both, so check it before collaring an adjusted option. A
    /// wrong value still places, as a mis-hedged position rather than a collar.
    pub shares_per_contract: i32,
}

/// Builder for individual spread legs
#[must_use = "LegBuilder must be terminated with .done() to add the leg to the SpreadBuilder"]
pub struct LegBuilder {
    parent: SpreadBuilder,
    leg: Leg,
}

impl LegBuilder {
    /// Set the contract ratio for the current leg.
    pub fn ratio(mut self, ratio: i32) -> Self {
        self.leg.ratio = ratio;
        self
    }

    /// Target a specific exchange for the leg.
    pub fn on_exchange(mut self, exchange: impl Into<Exchange>) -> Self {
        self.leg.exchange = Some(exchange.into());
        self
    }

    /// Finish the leg and return control to the parent spread builder.
    pub fn done(mut self) -> SpreadBuilder {
        self.parent.legs.push(self.leg);
        self.parent
    }
}

#[cfg(test)]
#[path = "builders_tests.rs"]
mod tests;
