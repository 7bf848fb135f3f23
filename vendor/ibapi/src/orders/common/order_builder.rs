//! Free-function order constructors — the advanced / client-less layer.
//!
//! For normal use, prefer the canonical fluent path on [`Client`](crate::Client):
//!
//! ```no_run
//! # #[cfg(feature = "async")]
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use ibapi::Client;
//! use ibapi::contracts::Contract;
//!
//! let client = Client::connect("127.0.0.1:4002", 100).await?;
//! let contract = Contract::stock("AAPL").build();
//!
//! let order_id = client.order(&contract)
//!     .buy(100)
//!     .limit(50.0)
//!     .submit().await?;
//! # Ok(()) }
//! ```
//!
//! `submit()` allocates the order id internally and uses fire-and-forget delivery;
//! status flows through [`Client::order_update_stream`](crate::Client::order_update_stream).
//!
//! Reach for these free functions when you need to build an [`Order`](crate::orders::Order)
//! *without* a [`Client`](crate::Client) — typically:
//!
//! - **Bring-your-own order id**: a multi-process or external allocator owns the id;
//!   build the [`Order`](crate::orders::Order) here and submit via the lower-level
//!   `place_order` / `submit_order` methods on [`Client`](crate::Client). For BYO-id
//!   with the fluent builder,
//!   [`OrderBuilder::build_order`](crate::orders::OrderBuilder::build_order)
//!   returns the bare [`Order`](crate::orders::Order) without submitting.
//! - **Offline construction**: tests, fixtures, or examples that illustrate order shapes
//!   without a live connection.
//! - **Hand-composed multi-leg orders**: e.g. an adjustable stop
//!   ([`attach_adjustable_stop`](crate::orders::order_builder::attach_adjustable_stop)) attached to a parent built by the fluent path.
//!
//! Side is a parameter on every function here ([`Action::Buy`](crate::orders::Action::Buy) /
//! [`Action::Sell`](crate::orders::Action::Sell)); the fluent builder implies side from
//! `.buy()` / `.sell()` instead.
//!
//! These functions mirror the C# `OrderSamples` argument order. For named, validated
//! construction without a client, use [`Order::builder()`](crate::orders::Order::builder).
//! Order types whose prices could be swapped silently (stop limit, limit if touched, relative,
//! trailing stop limit, pegged to stock or benchmark) are only on the builder. The 4-argument
//! functions left here take two prices in the fluent builder's order (`discretionary`,
//! `trailing_stop`, `pegged_to_midpoint`) or arguments of distinct types (`volatility`,
//! `limit_order_with_manual_order_time`).

use crate::orders::builder::validation::validate_bracket_prices;
use crate::orders::builder::{BracketPrices, Price, TrailBy, ValidationError};
use crate::orders::{Action, OcaType, Order, OrderComboLeg, OrderId, TagValue, TimeInForce, VolatilityType};

/// An auction order is entered into the electronic trading system during the pre-market opening period for execution at the
/// Calculated Opening Price (COP). If your order is not filled on the open, the order is re-submitted as a limit order with
/// the limit price set to the COP or the best bid/ask after the market opens.
/// Products: FUT, STK
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::at_auction(Action::Buy, 100.0, 50.0);
/// assert_eq!(order.order_type, "MTL");
/// ```
pub fn at_auction(action: Action, quantity: f64, price: f64) -> Order {
    Order {
        action,
        tif: TimeInForce::Auction,
        order_type: "MTL".to_owned(),
        total_quantity: quantity,
        limit_price: Some(price),
        ..Order::default()
    }
}

/// A Discretionary order is a limit order submitted with a hidden, specified 'discretionary' amount off the limit price which
/// may be used to increase the price range over which the limit order is eligible to execute. The market sees only the limit price.
/// Products: STK
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::discretionary(Action::Buy, 100.0, 50.0, 0.10);
/// assert_eq!(order.order_type, "LMT");
/// ```
pub fn discretionary(action: Action, quantity: f64, price: f64, discretionary_amount: f64) -> Order {
    Order {
        action,
        order_type: "LMT".to_owned(),
        total_quantity: quantity,
        limit_price: Some(price),
        discretionary_amt: discretionary_amount,
        ..Order::default()
    }
}

/// A Market order is an order to buy or sell at the market bid or offer price. A market order may increase the likelihood of a fill
/// and the speed of execution, but unlike the Limit order a Market order provides no price protection and may fill at a price far
/// lower/higher than the current displayed bid/ask.
/// Products: BOND, CFD, EFP, CASH, FUND, FUT, FOP, OPT, STK, WAR
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::market_order(Action::Buy, 100.0);
/// assert_eq!(order.order_type, "MKT");
/// ```
pub fn market_order(action: Action, quantity: f64) -> Order {
    Order {
        action,
        order_type: "MKT".to_owned(),
        total_quantity: quantity,
        ..Order::default()
    }
}

/// A Market if Touched (MIT) is an order to buy (or sell) a contract below (or above) the market. Its purpose is to take advantage
/// of sudden or unexpected changes in share or other prices and provides investors with a trigger price to set an order in motion.
/// Investors may be waiting for excessive strength (or weakness) to cease, which might be represented by a specific price point.
/// MIT orders can be used to determine whether or not to enter the market once a specific price level has been achieved. This order
/// is held in the system until the trigger price is touched, and is then submitted as a market order. An MIT order is similar to a
/// stop order, except that an MIT sell order is placed above the current market price, and a stop sell order is placed below
/// Products: BOND, CFD, CASH, FUT, FOP, OPT, STK, WAR
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::market_if_touched(Action::Buy, 100.0, 50.0);
/// assert_eq!(order.order_type, "MIT");
/// ```
pub fn market_if_touched(action: Action, quantity: f64, price: f64) -> Order {
    Order {
        action,
        order_type: "MIT".to_owned(),
        total_quantity: quantity,
        aux_price: Some(price),
        ..Order::default()
    }
}

/// A Market-on-Close (MOC) order is a market order that is submitted to execute as close to the closing price as possible.
/// Products: CFD, FUT, STK, WAR
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::market_on_close(Action::Buy, 100.0);
/// assert_eq!(order.order_type, "MOC");
/// ```
pub fn market_on_close(action: Action, quantity: f64) -> Order {
    Order {
        action,
        order_type: "MOC".to_owned(),
        total_quantity: quantity,
        ..Order::default()
    }
}

/// A Market-on-Open (MOO) order combines a market order with the OPG time in force to create an order that is automatically
/// submitted at the market's open and fills at the market price.
/// Products: CFD, STK, OPT, WAR
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::market_on_open(Action::Buy, 100.0);
/// assert_eq!(order.order_type, "MKT");
/// ```
pub fn market_on_open(action: Action, quantity: f64) -> Order {
    Order {
        action,
        order_type: "MKT".to_owned(),
        total_quantity: quantity,
        tif: TimeInForce::OnOpen,
        ..Order::default()
    }
}

/// ISE Midpoint Match (MPM) orders always execute at the midpoint of the NBBO. You can submit market and limit orders direct-routed
/// to ISE for MPM execution. Market orders execute at the midpoint whenever an eligible contra-order is available. Limit orders
/// execute only when the midpoint price is better than the limit price. Standard MPM orders are completely anonymous.
/// Products: STK
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::midpoint_match(Action::Buy, 100.0);
/// assert_eq!(order.order_type, "MKT");
/// ```
pub fn midpoint_match(action: Action, quantity: f64) -> Order {
    Order {
        action,
        order_type: "MKT".to_owned(),
        total_quantity: quantity,
        ..Order::default()
    }
}

// A Midprice order is designed to split the difference between the bid and ask prices, and fill at the current midpoint of
// the NBBO or better. Set an optional price cap to define the highest price (for a buy order) or the lowest price (for a sell
// order) you are willing to accept. Requires TWS 975+. Smart-routing to US stocks only.
/// Construct a midprice order with an optional price cap.
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::midprice(Action::Buy, 100.0, Some(50.0));
/// assert_eq!(order.order_type, "MIDPRICE");
/// ```
pub fn midprice(action: Action, quantity: f64, price_cap: Option<f64>) -> Order {
    Order {
        action,
        order_type: "MIDPRICE".to_owned(),
        total_quantity: quantity,
        limit_price: price_cap,
        ..Order::default()
    }
}

/// A pegged-to-market order is designed to maintain a purchase price relative to the national best offer (NBO) or a sale price
/// relative to the national best bid (NBB). Depending on the width of the quote, this order may be passive or aggressive.
/// The trader creates the order by entering a limit price which defines the worst limit price that they are willing to accept.
/// Next, the trader enters an offset amount which computes the active limit price as follows:
///     Sell order price = Bid price + offset amount
///     Buy order price = Ask price - offset amount
/// Products: STK
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::pegged_to_market(Action::Buy, 100.0, 0.05);
/// assert_eq!(order.order_type, "PEG MKT");
/// ```
pub fn pegged_to_market(action: Action, quantity: f64, market_offset: f64) -> Order {
    Order {
        action,
        order_type: "PEG MKT".to_owned(),
        total_quantity: quantity,
        aux_price: Some(market_offset),
        ..Order::default()
    }
}

/// Sweep-to-fill orders are useful when a trader values speed of execution over price. A sweep-to-fill order identifies the best price
/// and the exact quantity offered/available at that price, and transmits the corresponding portion of your order for immediate execution.
/// Simultaneously it identifies the next best price and quantity offered/available, and submits the matching quantity of your order for
/// immediate execution.
/// Products: CFD, STK, WAR
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::sweep_to_fill(Action::Buy, 100.0, 50.0);
/// assert_eq!(order.order_type, "LMT");
/// ```
pub fn sweep_to_fill(action: Action, quantity: f64, price: f64) -> Order {
    Order {
        action,
        order_type: "LMT".to_owned(),
        total_quantity: quantity,
        limit_price: Some(price),
        sweep_to_fill: true,
        ..Order::default()
    }
}

/// For option orders routed to the Boston Options Exchange (BOX) you may elect to participate in the BOX's price improvement auction in pennies.
/// All BOX-directed price improvement orders are immediately sent from Interactive Brokers to the BOX order book, and when the terms allow,
/// IB will evaluate it for inclusion in a price improvement auction based on price and volume priority. In the auction, your order will have
/// priority over broker-dealer price improvement orders at the same price.
/// An Auction Relative order that adjusts the order price by the product of a signed delta (which is entered as an absolute and assumed to be
/// positive for calls, negative for puts) and the change of the option's underlying stock price. A buy or sell call order price is determined
/// by adding the delta times a change in an underlying stock price change to a specified starting price for the call. To determine the change
/// in price, a stock reference price (NBBO midpoint at the time of the order is assumed if no reference price is entered) is subtracted from
/// the current NBBO midpoint. A stock range may also be entered that cancels an order when reached. The delta times the change in stock price
/// will be rounded to the nearest penny in favor of the order and will be used as your auction improvement amount.
/// Products: OPT
/// Supported Exchanges: BOX
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::auction_relative(Action::Buy, 100.0, 0.05);
/// assert_eq!(order.order_type, "REL");
/// ```
pub fn auction_relative(action: Action, quantity: f64, offset: f64) -> Order {
    Order {
        action,
        order_type: "REL".to_owned(),
        total_quantity: quantity,
        aux_price: Some(offset),
        ..Order::default()
    }
}

/// The Block attribute is used for large volume option orders on ISE that consist of at least 50 contracts. To execute large-volume
/// orders over time without moving the market, use the Accumulate/Distribute algorithm.
/// Products: OPT
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::block(Action::Buy, 100.0, 50.0);
/// assert_eq!(order.order_type, "LMT");
/// ```
pub fn block(action: Action, quantity: f64, price: f64) -> Order {
    Order {
        action,
        order_type: "LMT".to_owned(),
        total_quantity: quantity,
        limit_price: Some(price),
        block_order: true,
        ..Order::default()
    }
}

/// A Box Top order executes as a market order at the current best price. If the order is only partially filled, the remainder is submitted as
/// a limit order with the limit price equal to the price at which the filled portion of the order executed.
/// Products: OPT
/// Supported Exchanges: BOX
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::box_top(Action::Buy, 100.0);
/// assert_eq!(order.order_type, "BOX TOP");
/// ```
pub fn box_top(action: Action, quantity: f64) -> Order {
    Order {
        action,
        order_type: "BOX TOP".to_owned(),
        total_quantity: quantity,
        ..Order::default()
    }
}

/// A Limit order is an order to buy or sell at a specified price or better. The Limit order ensures that if the order fills,
/// it will not fill at a price less favorable than your limit price, but it does not guarantee a fill.
/// Products: BOND, CFD, CASH, FUT, FOP, OPT, STK, WAR
///
/// An option order routed to BOX with this limit price is an Auction Limit order: IB may enter it in
/// BOX's price improvement auction, with your improvement amount the difference between the limit price
/// and the nearest listed increment. TWS applies the account's configured auction strategy.
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::limit_order(Action::Buy, 100.0, 50.0);
/// assert_eq!(order.order_type, "LMT");
/// ```
pub fn limit_order(action: Action, quantity: f64, limit_price: f64) -> Order {
    Order {
        action,
        order_type: "LMT".to_owned(),
        total_quantity: quantity,
        limit_price: Some(limit_price),
        ..Order::default()
    }
}

/// Forex orders can be placed in denomination of second currency in pair using cash_qty field
/// Requires TWS or IBG 963+
/// <https://www.interactivebrokers.com/en/index.php?f=23876#963-02>
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::limit_order_with_cash_qty(Action::Buy, 50.0, 5000.0);
/// assert_eq!(order.order_type, "LMT");
/// ```
pub fn limit_order_with_cash_qty(action: Action, limit_price: f64, cash_qty: f64) -> Order {
    Order {
        action,
        order_type: "LMT".to_owned(),
        limit_price: Some(limit_price),
        cash_qty: Some(cash_qty),
        ..Order::default()
    }
}

/// A Limit-on-close (LOC) order will be submitted at the close and will execute if the closing price is at or better than the submitted
/// limit price.
/// Products: CFD, FUT, STK, WAR
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::limit_on_close(Action::Buy, 100.0, 50.0);
/// assert_eq!(order.order_type, "LOC");
/// ```
pub fn limit_on_close(action: Action, quantity: f64, limit_price: f64) -> Order {
    Order {
        action,
        order_type: "LOC".to_owned(),
        total_quantity: quantity,
        limit_price: Some(limit_price),
        ..Order::default()
    }
}

/// A Limit-on-Open (LOO) order combines a limit order with the OPG time in force to create an order that is submitted at the market's open,
/// and that will only execute at the specified limit price or better. Orders are filled in accordance with specific exchange rules.
/// Products: CFD, STK, OPT, WAR
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::limit_on_open(Action::Buy, 100.0, 50.0);
/// assert_eq!(order.order_type, "LMT");
/// ```
pub fn limit_on_open(action: Action, quantity: f64, limit_price: f64) -> Order {
    Order {
        action,
        order_type: "LMT".to_owned(),
        total_quantity: quantity,
        limit_price: Some(limit_price),
        tif: TimeInForce::OnOpen,
        ..Order::default()
    }
}

/// Passive Relative orders provide a means for traders to seek a less aggressive price than the National Best Bid and Offer (NBBO) while
/// keeping the order pegged to the best bid (for a buy) or ask (for a sell). The order price is automatically adjusted as the markets move
/// to keep the order less aggressive. For a buy order, your order price is pegged to the NBB by a less aggressive offset, and if the NBB
/// moves up, your bid will also move up. If the NBB moves down, there will be no adjustment because your bid will become aggressive and execute.
/// For a sell order, your price is pegged to the NBO by a less aggressive offset, and if the NBO moves down, your offer will also move down.
/// If the NBO moves up, there will be no adjustment because your offer will become aggressive and execute. In addition to the offset, you can
/// define an absolute cap, which works like a limit price, and will prevent your order from being executed above or below a specified level.
/// The Passive Relative order is similar to the Relative/Pegged-to-Primary order, except that the Passive relative subtracts the offset from
/// the bid and the Relative adds the offset to the bid.
/// Products: STK, WAR
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::passive_relative(Action::Buy, 100.0, 0.05);
/// assert_eq!(order.order_type, "PASSV REL");
/// ```
pub fn passive_relative(action: Action, quantity: f64, offset: f64) -> Order {
    Order {
        action,
        order_type: "PASSV REL".to_owned(),
        total_quantity: quantity,
        aux_price: Some(offset),
        ..Order::default()
    }
}

/// A pegged-to-midpoint order provides a means for traders to seek a price at the midpoint of the National Best Bid and Offer (NBBO).
/// The price automatically adjusts to peg the midpoint as the markets move, to remain aggressive. For a buy order, your bid is pegged to
/// the NBBO midpoint and the order price adjusts automatically to continue to peg the midpoint if the market moves. The price only adjusts
/// to be more aggressive. If the market moves in the opposite direction, the order will execute.
/// Products: STK
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::pegged_to_midpoint(Action::Buy, 100.0, 0.05, 50.0);
/// assert_eq!(order.order_type, "PEG MID");
/// ```
pub fn pegged_to_midpoint(action: Action, quantity: f64, offset: f64, limit_price: f64) -> Order {
    Order {
        action,
        order_type: "PEG MID".to_owned(),
        total_quantity: quantity,
        aux_price: Some(offset),
        limit_price: Some(limit_price),
        ..Order::default()
    }
}

/// Bracket orders are designed to help limit your loss and lock in a profit by "bracketing" an order with two opposite-side orders.
/// A BUY order is bracketed by a high-side sell limit order and a low-side sell stop order. A SELL order is bracketed by a high-side buy
/// stop order and a low side buy limit order.
/// Products: CFD, BAG, FOP, CASH, FUT, OPT, STK, WAR
///
/// Returns the parent (LMT at `prices.entry`), take-profit (LMT) and stop-loss (STP) orders, with
/// ids `parent_order_id`, `+1` and `+2`. Fails with [`ValidationError::InvalidPrice`] for a
/// non-finite price, and [`ValidationError::InvalidBracketOrder`] when the take profit and stop
/// loss are on the wrong side of the entry.
///
/// # Examples
///
/// ```
/// use ibapi::orders::builder::BracketPrices;
/// use ibapi::orders::order_builder::bracket_order;
/// use ibapi::orders::Action;
///
/// let prices = BracketPrices { entry: 50.0, take_profit: 55.0, stop_loss: 45.0 };
/// let orders = bracket_order(100, Action::Buy, 10.0, prices)?;
/// assert_eq!(orders.len(), 3);
/// assert_eq!(orders[2].aux_price, Some(45.0));
/// # Ok::<(), ibapi::orders::builder::ValidationError>(())
/// ```
pub fn bracket_order(
    parent_order_id: impl Into<OrderId>,
    action: Action,
    quantity: f64,
    prices: BracketPrices,
) -> Result<Vec<Order>, ValidationError> {
    for price in [prices.entry, prices.take_profit, prices.stop_loss] {
        Price::new(price)?;
    }
    validate_bracket_prices(Some(&action), &prices)?;
    let parent_order_id = parent_order_id.into().value();

    //This will be our main or "parent" order
    let parent = Order {
        order_id: parent_order_id,
        action,
        order_type: "LMT".to_owned(),
        total_quantity: quantity,
        limit_price: Some(prices.entry),
        transmit: false,
        ..Order::default()
    };

    let take_profit = Order {
        order_id: parent.order_id + 1,
        action: action.reverse(),
        order_type: "LMT".to_owned(),
        total_quantity: quantity,
        limit_price: Some(prices.take_profit),
        parent_id: parent_order_id,
        transmit: false,
        ..Order::default()
    };

    let stop_loss = Order {
        order_id: parent.order_id + 2,
        action: action.reverse(),
        order_type: "STP".to_owned(),
        //Stop trigger price
        aux_price: Some(prices.stop_loss),
        total_quantity: quantity,
        parent_id: parent_order_id,
        //In this case, the low side order will be the last child being sent. Therefore, it needs to set this attribute to true
        //to activate all its predecessors
        transmit: true,
        ..Order::default()
    };

    Ok(vec![parent, take_profit, stop_loss])
}
/// Products:CFD, FUT, FOP, OPT, STK, WAR
/// A Market-to-Limit (MTL) order is submitted as a market order to execute at the current best market price. If the order is only
/// partially filled, the remainder of the order is canceled and re-submitted as a limit order with the limit price equal to the price
/// at which the filled portion of the order executed.
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::market_to_limit(Action::Buy, 100.0);
/// assert_eq!(order.order_type, "MTL");
/// ```
pub fn market_to_limit(action: Action, quantity: f64) -> Order {
    Order {
        action,
        order_type: "MTL".to_owned(),
        total_quantity: quantity,
        ..Order::default()
    }
}

/// This order type is useful for futures traders using Globex. A Market with Protection order is a market order that will be cancelled and
/// resubmitted as a limit order if the entire order does not immediately execute at the market price. The limit price is set by Globex to be
/// close to the current market price, slightly higher for a sell order and lower for a buy order.
/// Products: FUT, FOP
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::market_with_protection(Action::Buy, 100.0);
/// assert_eq!(order.order_type, "MKT PRT");
/// ```
pub fn market_with_protection(action: Action, quantity: f64) -> Order {
    Order {
        action,
        order_type: "MKT PRT".to_owned(),
        total_quantity: quantity,
        ..Order::default()
    }
}

/// A Stop order is an instruction to submit a buy or sell market order if and when the user-specified stop trigger price is attained or
/// penetrated. A Stop order is not guaranteed a specific execution price and may execute significantly away from its stop price. A Sell
/// Stop order is always placed below the current market price and is typically used to limit a loss or protect a profit on a long stock
/// position. A Buy Stop order is always placed above the current market price. It is typically used to limit a loss or help protect a
/// profit on a short sale.
/// Products: CFD, BAG, CASH, FUT, FOP, OPT, STK, WAR
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::stop(Action::Buy, 100.0, 45.0);
/// assert_eq!(order.order_type, "STP");
/// ```
pub fn stop(action: Action, quantity: f64, stop_price: f64) -> Order {
    Order {
        action,
        order_type: "STP".to_owned(),
        total_quantity: quantity,
        aux_price: Some(stop_price),
        ..Order::default()
    }
}

/// A Stop with Protection order combines the functionality of a stop limit order with a market with protection order. The order is set
/// to trigger at a specified stop price. When the stop price is penetrated, the order is triggered as a market with protection order,
/// which means that it will fill within a specified protected price range equal to the trigger price +/- the exchange-defined protection
/// point range. Any portion of the order that does not fill within this protected range is submitted as a limit order at the exchange-defined
/// trigger price +/- the protection points.
/// Products: FUT
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::stop_with_protection(Action::Buy, 100.0, 45.0);
/// assert_eq!(order.order_type, "STP PRT");
/// ```
pub fn stop_with_protection(action: Action, quantity: f64, stop_price: f64) -> Order {
    Order {
        action,
        order_type: "STP PRT".to_owned(),
        total_quantity: quantity,
        aux_price: Some(stop_price),
        ..Order::default()
    }
}

/// A sell trailing stop order sets the stop price at a fixed amount below the market price with an attached "trailing" amount. As the
/// market price rises, the stop price rises by the trail amount, but if the stock price falls, the stop loss price doesn't change,
/// and a market order is submitted when the stop price is hit. This technique is designed to allow an investor to specify a limit on the
/// maximum possible loss, without setting a limit on the maximum possible gain. "Buy" trailing stop orders are the mirror image of sell
/// trailing stop orders, and are most appropriate for use in falling markets.
/// Products: CFD, CASH, FOP, FUT, OPT, STK, WAR
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::trailing_stop(Action::Buy, 100.0, 2.0, 45.0);
/// assert_eq!(order.order_type, "TRAIL");
/// ```
pub fn trailing_stop(action: Action, quantity: f64, trailing_percent: f64, trail_stop_price: f64) -> Order {
    Order {
        action,
        order_type: "TRAIL".to_owned(),
        total_quantity: quantity,
        trailing_percent: Some(trailing_percent),
        trail_stop_price: Some(trail_stop_price),
        ..Order::default()
    }
}

/// Create combination orders that include options, stock and futures legs (stock legs can be included if the order is routed
/// through SmartRouting). Although a combination/spread order is constructed of separate legs, it is executed as a single transaction
/// if it is routed directly to an exchange. For combination orders that are SmartRouted, each leg may be executed separately to ensure
/// best execution.
/// Products: OPT, STK, FUT
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::combo_limit_order(Action::Buy, 100.0, 50.0);
/// assert_eq!(order.order_type, "LMT");
/// ```
pub fn combo_limit_order(action: Action, quantity: f64, limit_price: f64) -> Order {
    Order {
        action,
        order_type: "LMT".to_owned(),
        total_quantity: quantity,
        limit_price: Some(limit_price),
        ..Order::default()
    }
}

/// Mark a SMART-routed combo order non-guaranteed: each leg may fill separately, so the combo can
/// end up partly filled.
///
/// # Examples
///
/// ```
/// use ibapi::orders::order_builder::{combo_limit_order, non_guaranteed};
/// use ibapi::orders::Action;
///
/// let order = non_guaranteed(combo_limit_order(Action::Buy, 1.0, 2.5));
/// assert_eq!(order.smart_combo_routing_params[0].tag, "NonGuaranteed");
/// ```
pub fn non_guaranteed(mut order: Order) -> Order {
    order.smart_combo_routing_params = non_guaranteed_params();
    order
}

/// `smart_combo_routing_params` that mark a SMART-routed combo order non-guaranteed.
pub(crate) fn non_guaranteed_params() -> Vec<TagValue> {
    vec![TagValue {
        tag: "NonGuaranteed".to_owned(),
        value: "1".to_owned(),
    }]
}

/// Create combination orders that include options, stock and futures legs (stock legs can be included if the order is routed
/// through SmartRouting). Although a combination/spread order is constructed of separate legs, it is executed as a single transaction
/// if it is routed directly to an exchange. For combination orders that are SmartRouted, each leg may be executed separately to ensure
/// best execution.
/// Products: OPT, STK, FUT
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::combo_market_order(Action::Buy, 100.0);
/// assert_eq!(order.order_type, "MKT");
/// ```
pub fn combo_market_order(action: Action, quantity: f64) -> Order {
    Order {
        action,
        order_type: "MKT".to_owned(),
        total_quantity: quantity,
        ..Order::default()
    }
}

/// Create combination orders that include options, stock and futures legs (stock legs can be included if the order is routed
/// through SmartRouting). Although a combination/spread order is constructed of separate legs, it is executed as a single transaction
/// if it is routed directly to an exchange. For combination orders that are SmartRouted, each leg may be executed separately to ensure
/// best execution.
/// Products: OPT, STK, FUT
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::limit_order_for_combo_with_leg_prices(Action::Buy, 100.0, vec![10.0, 11.0]);
/// assert_eq!(order.order_type, "LMT");
/// ```
pub fn limit_order_for_combo_with_leg_prices(action: Action, quantity: f64, leg_prices: Vec<f64>) -> Order {
    let mut order = Order {
        action,
        order_type: "LMT".to_owned(),
        total_quantity: quantity,
        order_combo_legs: vec![],
        ..Order::default()
    };

    for price in leg_prices {
        order.order_combo_legs.push(OrderComboLeg { price: Some(price) });
    }

    order
}

/// Create combination orders that include options, stock and futures legs (stock legs can be included if the order is routed
/// through SmartRouting). Although a combination/spread order is constructed of separate legs, it is executed as a single transaction
/// if it is routed directly to an exchange. For combination orders that are SmartRouted, each leg may be executed separately to ensure
/// best execution.
/// Products: OPT, STK, FUT
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::relative_limit_combo(Action::Buy, 100.0, 50.0);
/// assert_eq!(order.order_type, "REL + LMT");
/// ```
pub fn relative_limit_combo(action: Action, quantity: f64, limit_price: f64) -> Order {
    Order {
        action,
        order_type: "REL + LMT".to_owned(),
        total_quantity: quantity,
        limit_price: Some(limit_price),
        ..Order::default()
    }
}

/// Create combination orders that include options, stock and futures legs (stock legs can be included if the order is routed
/// through SmartRouting). Although a combination/spread order is constructed of separate legs, it is executed as a single transaction
/// if it is routed directly to an exchange. For combination orders that are SmartRouted, each leg may be executed separately to ensure
/// best execution.
/// Products: OPT, STK, FUT
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::relative_market_combo(Action::Buy, 100.0);
/// assert_eq!(order.order_type, "REL + MKT");
/// ```
pub fn relative_market_combo(action: Action, quantity: f64) -> Order {
    Order {
        action,
        order_type: "REL + MKT".to_owned(),
        total_quantity: quantity,
        ..Order::default()
    }
}

/// One-Cancels All (OCA) order type allows an investor to place multiple and possibly unrelated orders assigned to a group. The aim is
/// to complete just one of the orders, which in turn will cause TWS to cancel the remaining orders. The investor may submit several
/// orders aimed at taking advantage of the most desirable price within the group. Completion of one piece of the group order causes
/// cancellation of the remaining group orders while partial completion causes the group to rebalance. An investor might desire to sell
/// 1000 shares of only ONE of three positions held above prevailing market prices. The OCA order group allows the investor to enter prices
/// at specified target levels and if one is completed, the other two will automatically cancel. Alternatively, an investor may wish to take
/// a LONG position in eMini S&P stock index futures in a falling market or else SELL US treasury futures at a more favorable price.
/// Grouping the two orders using an OCA order type offers the investor two chance to enter a similar position, while only running the risk
/// of taking on a single position.
/// Products: BOND, CASH, FUT, FOP, STK, OPT, WAR
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action, OcaType};
///
/// let orders = order_builder::one_cancels_all(
///     "MyOCA",
///     vec![
///         order_builder::limit_order(Action::Buy, 100.0, 50.0),
///         order_builder::limit_order(Action::Buy, 100.0, 49.0),
///     ],
///     OcaType::CancelWithBlock,
/// );
/// assert!(orders.iter().all(|order| order.oca_group == "MyOCA"));
/// ```
pub fn one_cancels_all(oca_group: &str, mut oca_orders: Vec<Order>, oca_type: OcaType) -> Vec<Order> {
    for order in &mut oca_orders {
        order.oca_group = oca_group.to_owned();
        order.oca_type = oca_type;
    }

    oca_orders
}

/// Specific to US options, investors are able to create and enter Volatility-type orders for options and combinations rather than price orders.
/// Option traders may wish to trade and position for movements in the price of the option determined by its implied volatility. Because
/// implied volatility is a key determinant of the premium on an option, traders position in specific contract months in an effort to take
/// advantage of perceived changes in implied volatility arising before, during or after earnings or when company specific or broad market
/// volatility is predicted to change. In order to create a Volatility order, clients must first create a Volatility Trader page from the
/// Trading Tools menu and as they enter option contracts, premiums will display in percentage terms rather than premium. The buy/sell process
/// is the same as for regular orders priced in premium terms except that the client can limit the volatility level they are willing to pay or
/// receive.
/// Products: FOP, OPT
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action, VolatilityType};
///
/// let order = order_builder::volatility(Action::Buy, 100.0, 0.2, VolatilityType::Daily);
/// assert_eq!(order.order_type, "VOL");
/// ```
pub fn volatility(action: Action, quantity: f64, volatility_percent: f64, volatility_type: VolatilityType) -> Order {
    Order {
        action,
        order_type: "VOL".to_owned(),
        total_quantity: quantity,
        volatility: Some(volatility_percent), //Expressed in percentage (40%)
        volatility_type: Some(volatility_type),
        ..Order::default()
    }
}

/// Create an FX hedge order tied to the specified parent order id.
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::market_f_hedge(1001, Action::Buy);
/// assert_eq!(order.hedge_type, "F");
/// ```
pub fn market_f_hedge(parent_order_id: impl Into<OrderId>, action: Action) -> Order {
    //FX Hedge orders can only have a quantity of 0
    let mut order = market_order(action, 0.0);
    order.parent_id = parent_order_id.into().value();
    order.hedge_type = "F".to_owned();

    order
}

/// What an attached adjustable stop turns into once the market reaches
/// [`Adjustment::trigger_price`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AdjustTo {
    /// A STP order at `stop_price`.
    Stop {
        /// Stop price after the adjustment.
        stop_price: f64,
    },
    /// A STP LMT order at `stop_price` / `limit_price`.
    StopLimit {
        /// Stop price after the adjustment.
        stop_price: f64,
        /// Limit price after the adjustment.
        limit_price: f64,
    },
    /// A TRAIL order starting at `stop_price`, trailing by `trail`.
    Trail {
        /// Stop price after the adjustment.
        stop_price: f64,
        /// Trail amount or percent after the adjustment.
        trail: TrailBy,
    },
}

/// When and how an attached stop adjusts. See [`attach_adjustable_stop`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Adjustment {
    /// Price that, once penetrated, triggers the adjustment.
    pub trigger_price: f64,
    /// The order the stop becomes.
    pub to: AdjustTo,
}

/// A STP order attached to `parent`, on the opposite side, that becomes another STP, a STP LMT
/// or a TRAIL order once the market reaches the adjustment's trigger price.
///
/// # Examples
///
/// ```
/// use ibapi::orders::builder::TrailBy;
/// use ibapi::orders::order_builder::{attach_adjustable_stop, limit_order, AdjustTo, Adjustment};
/// use ibapi::orders::Action;
///
/// let mut parent = limit_order(Action::Buy, 100.0, 30.0);
/// parent.order_id = 1;
/// let stop = attach_adjustable_stop(
///     &parent,
///     29.0,
///     Adjustment {
///         trigger_price: 32.0,
///         to: AdjustTo::Trail { stop_price: 31.0, trail: TrailBy::Percent(1.0) },
///     },
/// );
/// assert_eq!(stop.parent_id, 1);
/// assert_eq!(stop.adjusted_order_type, "TRAIL");
/// assert_eq!(stop.adjustable_trailing_unit, 100);
/// ```
pub fn attach_adjustable_stop(parent: &Order, stop_price: f64, adjustment: Adjustment) -> Order {
    let mut order = stop(parent.action.reverse(), parent.total_quantity, stop_price);
    order.parent_id = parent.order_id;
    order.trigger_price = Some(adjustment.trigger_price);

    match adjustment.to {
        AdjustTo::Stop { stop_price } => {
            order.adjusted_order_type = "STP".to_owned();
            order.adjusted_stop_price = Some(stop_price);
        }
        AdjustTo::StopLimit { stop_price, limit_price } => {
            order.adjusted_order_type = "STP LMT".to_owned();
            order.adjusted_stop_price = Some(stop_price);
            order.adjusted_stop_limit_price = Some(limit_price);
        }
        AdjustTo::Trail { stop_price, trail } => {
            order.adjusted_order_type = "TRAIL".to_owned();
            order.adjusted_stop_price = Some(stop_price);
            // Live-verified: TWS takes 0 (amount) and 100 (percent), and rejects 1 (code 201).
            let (unit, amount) = match trail {
                TrailBy::Amount(amount) => (0, amount),
                TrailBy::Percent(percent) => (100, percent),
            };
            order.adjustable_trailing_unit = unit;
            order.adjusted_trailing_amount = Some(amount);
        }
    }

    order
}
/// Build a limit order flagged for "what if" margin calculation.
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::what_if_limit_order(Action::Buy, 100.0, 50.0);
/// assert!(order.what_if);
/// ```
pub fn what_if_limit_order(action: Action, quantity: f64, limit_price: f64) -> Order {
    let mut order = limit_order(action, quantity, limit_price);
    order.what_if = true;

    order
}

// https://github.com/InteractiveBrokers/tws-api/blob/07e54ceecda2c9cbd6ffb5f524894f0c837a9ecb/source/csharpclient/client/ContractCondition.cs
// pub fn price_condition(contract_id: i32, exchange: &str, price: f64, is_more: bool, is_conjunction: bool) -> PriceCondition
// {
//     //! [price_condition]
//     //Conditions have to be created via the OrderCondition.Create
//     PriceCondition priceCondition = (PriceCondition)OrderCondition.Create(OrderConditionType.Price);
//     //When this contract...
//     priceCondition.ConId = conId;
//     //traded on this exchange
//     priceCondition.Exchange = exchange;
//     //has a price above/below
//     priceCondition.IsMore = isMore;
//     //this quantity
//     priceCondition.Price = price;
//     //AND | OR next condition (will be ignored if no more conditions are added)
//     priceCondition.IsConjunctionConnection = isConjunction;
//     //! [price_condition]
//     return priceCondition;
// }

//     public static ExecutionCondition ExecutionCondition(string symbol, string secType, string exchange, bool isConjunction)
//     {
//         //! [execution_condition]
//         ExecutionCondition execCondition = (ExecutionCondition)OrderCondition.Create(OrderConditionType.Execution);
//         //When an execution on symbol
//         execCondition.Symbol = symbol;
//         //at exchange
//         execCondition.Exchange = exchange;
//         //for this secType
//         execCondition.SecType = secType;
//         //AND | OR next condition (will be ignored if no more conditions are added)
//         execCondition.IsConjunctionConnection = isConjunction;
//         //! [execution_condition]
//         return execCondition;
//     }

//     public static MarginCondition MarginCondition(int percent, bool isMore, bool isConjunction)
//     {
//         //! [margin_condition]
//         MarginCondition marginCondition = (MarginCondition)OrderCondition.Create(OrderConditionType.Margin);
//         //If margin is above/below
//         marginCondition.IsMore = isMore;
//         //given percent
//         marginCondition.Percent = percent;
//         //AND | OR next condition (will be ignored if no more conditions are added)
//         marginCondition.IsConjunctionConnection = isConjunction;
//         //! [margin_condition]
//         return marginCondition;
//     }

//     public static PercentChangeCondition PercentageChangeCondition(double pctChange, int conId, string exchange, bool isMore, bool isConjunction)
//     {
//         //! [percentage_condition]
//         PercentChangeCondition pctChangeCondition = (PercentChangeCondition)OrderCondition.Create(OrderConditionType.PercentCange);
//         //If there is a price percent change measured against last close price above or below...
//         pctChangeCondition.IsMore = isMore;
//         //this amount...
//         pctChangeCondition.ChangePercent = pctChange;
//         //on this contract
//         pctChangeCondition.ConId = conId;
//         //when traded on this exchange...
//         pctChangeCondition.Exchange = exchange;
//         //AND | OR next condition (will be ignored if no more conditions are added)
//         pctChangeCondition.IsConjunctionConnection = isConjunction;
//         //! [percentage_condition]
//         return pctChangeCondition;
//     }

//     public static TimeCondition TimeCondition(string time, bool isMore, bool isConjunction)
//     {
//         //! [time_condition]
//         TimeCondition timeCondition = (TimeCondition)OrderCondition.Create(OrderConditionType.Time);
//         //Before or after...
//         timeCondition.IsMore = isMore;
//         //this time..
//         timeCondition.Time = time;
//         //AND | OR next condition (will be ignored if no more conditions are added)
//         timeCondition.IsConjunctionConnection = isConjunction;
//         //! [time_condition]
//         return timeCondition;
//     }

//     public static VolumeCondition VolumeCondition(int conId, string exchange, bool isMore, int volume, bool isConjunction)
//     {
//         //! [volume_condition]
//         VolumeCondition volCond = (VolumeCondition)OrderCondition.Create(OrderConditionType.Volume);
//         //Whenever contract...
//         volCond.ConId = conId;
//         //When traded at
//         volCond.Exchange = exchange;
//         //reaches a volume higher/lower
//         volCond.IsMore = isMore;
//         //than this...
//         volCond.Volume = volume;
//         //AND | OR next condition (will be ignored if no more conditions are added)
//         volCond.IsConjunctionConnection = isConjunction;
//         //! [volume_condition]
//         return volCond;

//     }

/// Build an IBKRATS limit order (not-held with auto-routing).
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::limit_ibkrats(Action::Buy, 100.0, 50.0);
/// assert_eq!(order.order_type, "LMT");
/// ```
pub fn limit_ibkrats(action: Action, quantity: f64, limit_price: f64) -> Order {
    Order {
        action,
        order_type: "LMT".to_owned(),
        total_quantity: quantity,
        limit_price: Some(limit_price),
        not_held: true,
        ..Order::default()
    }
}

/// Build a limit order while overriding the manual order time field.
///
/// # Examples
///
/// ```
/// use ibapi::orders::{order_builder, Action};
///
/// let order = order_builder::limit_order_with_manual_order_time(Action::Buy, 100.0, 50.0, "20240102 09:30:00 US/Eastern");
/// assert_eq!(order.manual_order_time, "20240102 09:30:00 US/Eastern");
/// ```
pub fn limit_order_with_manual_order_time(action: Action, quantity: f64, limit_price: f64, manual_order_time: &str) -> Order {
    let mut order = limit_order(action, quantity, limit_price);
    manual_order_time.clone_into(&mut order.manual_order_time);

    order
}

#[cfg(test)]
#[path = "order_builder_tests.rs"]
mod tests;
