//! The server-rendered pages: overview, strategy, runs and run. Plain HTML from maud
//! (escaped at compile time), one embedded stylesheet, readable on a phone and without
//! colour: every state is a word, colour only repeats it.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{DOCTYPE, Markup, html};
use trading_core::control::{RunSummary, StatusReport};
use trading_core::protocol::Outcome;

use super::api::RunsQuery;
use super::views::{self, AccountView, RunView, StrategyView};
use super::{WebError, WebState};
use crate::journal::ALL_STATES;

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("live.js");

/// The page routes.
pub fn routes() -> Router<Arc<WebState>> {
    Router::new()
        .route("/", get(overview))
        .route("/runs", get(runs))
        .route("/runs/{id}", get(run))
        .route("/strategies/{name}", get(strategy))
}

/// A page that could not be made, shown as an HTML page with the error's status.
pub struct PageError(WebError);

impl From<WebError> for PageError {
    fn from(error: WebError) -> Self {
        Self(error)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let title = status.canonical_reason().unwrap_or("Error");
        (
            status,
            layout(title, html! { p.problem { (self.0.to_string()) } }),
        )
            .into_response()
    }
}

/// The frame of every page: title, navigation, content.
fn layout(title: &str, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · rebalancer" }
                style { (maud::PreEscaped(STYLE)) }
            }
            body {
                header {
                    nav {
                        a href="/" { "Overview" }
                        a href="/runs" { "Runs" }
                        span id="live" { "live updates: off" }
                    }
                }
                main {
                    h1 { (title) }
                    (content)
                }
                script { (maud::PreEscaped(SCRIPT)) }
            }
        }
    }
}

/// A run's state as a word, styled by state.
fn state_word(state: &str) -> Markup {
    html! { span class={ "state state-" (state) } { (state) } }
}

fn run_link(run: &RunSummary) -> Markup {
    html! { a href={ "/runs/" (run.id) } { (run.id) } }
}

fn or_dash(text: Option<&str>) -> &str {
    text.unwrap_or("-")
}

fn percent(fraction: f64) -> String {
    format!("{:.2}%", fraction * 100.0)
}

fn money(amount: f64) -> String {
    format!("{amount:.2}")
}

fn runs_table(runs: &[RunSummary]) -> Markup {
    html! {
        @if runs.is_empty() {
            p { "No runs." }
        } @else {
            div.scroll {
                table {
                    thead { tr { th { "Run" } th { "Strategy" } th { "Trigger" } th { "Command" } th { "State" } th { "Attempt" } th { "Created" } th { "Finished" } th { "Error" } } }
                    tbody {
                        @for run in runs {
                            tr {
                                td { (run_link(run)) }
                                td { a href={ "/strategies/" (run.strategy) } { (run.strategy) } }
                                td { (run.trigger) }
                                td { (format!("{:?}", run.command).to_lowercase()) }
                                td { (state_word(&run.state)) }
                                td { (run.attempt) }
                                td { (run.created_at) }
                                td { (or_dash(run.finished_at.as_deref())) }
                                td { (or_dash(run.error.as_deref())) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn status_section(report: &StatusReport) -> Markup {
    html! {
        dl.status {
            dt { "Health" }
            dd { (if report.healthy { "healthy" } else { "needs attention" }) }
            dt { "Realtime link" }
            dd { (report.realtime) }
            dt { "IB Gateway" }
            dd { (report.gateway.health.name()) " · " (report.gateway.health.advice()) " · since " (or_dash(report.gateway.since.as_deref())) }
            dt { "Gateway connections" }
            dd { (report.gateway_connections) " of " (report.gateway_connection_cap) }
        }
        @if !report.problems.is_empty() {
            ul.problems { @for problem in &report.problems { li { (problem) } } }
        }
        div.scroll {
            table {
                thead { tr { th { "Strategy" } th { "Accounts" } th { "Link" } th { "Paused" } th { "Last event" } th { "Running" } th { "Queued" } th { "Scheduled" } th { "Last result" } } }
                tbody {
                    @for s in &report.strategies {
                        tr {
                            td { a href={ "/strategies/" (s.name) } { (s.name) } }
                            td { (s.accounts.len()) }
                            td { (if s.subscribed { "subscribed" } else { "not subscribed" }) }
                            td { (if s.paused { "paused" } else { "no" }) }
                            td { (or_dash(s.last_event_at.as_deref())) }
                            td { @match &s.running { Some(id) => a href={ "/runs/" (id) } { (id) }, None => "-" } }
                            td { @match &s.queued { Some(id) => a href={ "/runs/" (id) } { (id) }, None => "-" } }
                            td { @match &s.scheduled { Some(run) => { (run_link(run)) " at " (or_dash(run.not_before.as_deref())) }, None => "-" } }
                            td { @match &s.last_result { Some(run) => { (state_word(&run.state)) " " (run_link(run)) }, None => "-" } }
                        }
                    }
                }
            }
        }
    }
}

async fn overview(State(state): State<Arc<WebState>>) -> Result<Markup, PageError> {
    let status = views::status(&state).await;
    let recent = views::runs(&state, None, None, Some(10)).await?;
    Ok(layout(
        "Overview",
        html! {
            @match &status {
                Ok(report) => (status_section(report)),
                Err(error) => p.problem { "The supervisor is not reachable: " (error.to_string()) },
            }
            h2 { "Recent runs" }
            (runs_table(&recent))
        },
    ))
}

async fn runs(
    State(state): State<Arc<WebState>>,
    Query(query): Query<RunsQuery>,
) -> Result<Markup, PageError> {
    let list = views::runs(
        &state,
        query.strategy.clone(),
        query.state.as_deref(),
        query.limit,
    )
    .await?;
    let chosen = query.state.as_deref().unwrap_or("");
    Ok(layout(
        "Runs",
        html! {
            form.filter method="get" action="/runs" {
                label { "Strategy " input type="text" name="strategy" value=(query.strategy.as_deref().unwrap_or("")); }
                label { "State "
                    select name="state" {
                        option value="" selected[chosen.is_empty()] { "any" }
                        @for s in ALL_STATES {
                            option value=(s.name()) selected[chosen == s.name()] { (s.name()) }
                        }
                    }
                }
                button type="submit" { "Show" }
            }
            (runs_table(&list))
        },
    ))
}

fn account_section(account: &AccountView) -> Markup {
    html! {
        section.account {
            h3 { (account.account) }
            p {
                "Net liquidation " (money(account.net_liquidation)) " · cash " (money(account.cash))
                " · as of " (account.taken_at) ", " (account.phase.name()) " run "
                a href={ "/runs/" (account.run_id) } { (account.run_id) }
            }
            div.scroll {
                table {
                    thead { tr { th { "Symbol" } th { "Shares" } th { "Weight" } th { "Target" } th { "Drift" } } }
                    tbody {
                        @for h in &account.holdings {
                            tr {
                                td { (h.symbol) }
                                td.number { (h.quantity) }
                                td.number { (percent(h.weight)) }
                                td.number { (percent(h.target)) }
                                td.number { (format!("{:+.2} points", h.drift * 100.0)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn strategy_page(view: &StrategyView) -> Markup {
    html! {
        h2 { "Targets" }
        @match &view.targets {
            Some(targets) => ul.targets { @for t in targets { li { (t.symbol) " " (percent(t.weight)) } } },
            None => p { "No run has fetched its targets yet." },
        }
        h2 { "Accounts" }
        @if view.accounts.is_empty() {
            p { "No snapshot of its accounts yet: one is recorded when a run reads them." }
        }
        @for account in &view.accounts { (account_section(account)) }
        h2 { "Recent runs" }
        (runs_table(&view.runs))
    }
}

async fn strategy(
    State(state): State<Arc<WebState>>,
    Path(name): Path<String>,
) -> Result<Markup, PageError> {
    let view = views::strategy(&state, &name).await?;
    Ok(layout(&format!("Strategy {name}"), strategy_page(&view)))
}

fn run_page(view: &RunView) -> Markup {
    let run = &view.detail.run;
    html! {
        dl.status {
            dt { "Strategy" } dd { a href={ "/strategies/" (run.strategy) } { (run.strategy) } }
            dt { "State" } dd { (state_word(&run.state)) }
            dt { "Trigger" } dd { (run.trigger) }
            dt { "Command" } dd { (format!("{:?}", run.command).to_lowercase()) }
            dt { "Created" } dd { (run.created_at) }
            dt { "Finished" } dd { (or_dash(run.finished_at.as_deref())) }
            @if let Some(error) = &run.error { dt { "Error" } dd { (error) } }
        }
        @if view.attempts.len() > 1 {
            h2 { "Attempts" }
            ol.attempts {
                @for attempt in &view.attempts {
                    li { (run_link(attempt)) " " (state_word(&attempt.state)) }
                }
            }
        }
        h2 { "Targets" }
        @match &view.detail.targets {
            Some(targets) => ul.targets { @for t in targets { li { (t.symbol) " " (percent(t.weight)) } } },
            None => p { "Not fetched." },
        }
        h2 { "Accounts" }
        div.scroll {
            table {
                thead { tr { th { "Account" } th { "Outcome" } } }
                tbody {
                    @for account in &view.detail.accounts {
                        tr {
                            td { (account) }
                            td {
                                @match view.detail.results.iter().find(|r| &r.account == account).map(|r| &r.outcome) {
                                    Some(Outcome::Ok) => span.state.state-succeeded { "ok" },
                                    Some(Outcome::Error { kind, message }) => { span.state.state-failed { "failed" } " " (format!("{kind:?}")) ": " (message) },
                                    None => "no result yet",
                                }
                            }
                        }
                    }
                }
            }
        }
        @for plan in &view.plans {
            section.plan {
                h3 { "Plan for " (plan.account) }
                @if plan.trades.is_empty() {
                    p { "Nothing to trade." }
                } @else {
                    div.scroll {
                        table {
                            thead { tr { th { "#" } th { "Action" } th { "Shares" } th { "Symbol" } th { "Type" } th { "Limit" } th { "Reason" } } }
                            tbody {
                                @for (n, t) in plan.trades.iter().enumerate() {
                                    tr {
                                        td.number { (n + 1) }
                                        td { (t.action) }
                                        td.number { (t.quantity) }
                                        td { (t.symbol) }
                                        td { (t.order_type) }
                                        td.number { (t.limit_price.map(money).unwrap_or_else(|| "-".into())) }
                                        td { (t.reason) }
                                    }
                                }
                            }
                        }
                    }
                }
                @if !plan.warnings.is_empty() {
                    ul.problems { @for w in &plan.warnings { li { "warning: " (w) } } }
                }
            }
        }
        h2 { "Orders" }
        @if view.detail.orders.is_empty() {
            p { "No orders." }
        } @else {
            div.scroll {
                table id="orders" {
                    thead { tr { th { "Account" } th { "Order" } th { "Action" } th { "Shares" } th { "Symbol" } th { "Status" } th { "Filled" } th { "Average price" } th { "Commission" } } }
                    tbody {
                        @for o in &view.detail.orders {
                            tr {
                                td { (o.account) }
                                td.number { (o.order_id) }
                                td { (o.action) }
                                td.number { (o.quantity) }
                                td { (o.symbol) }
                                td { (o.status) }
                                td.number { (o.filled) }
                                td.number { (o.avg_fill_price.map(money).unwrap_or_else(|| "-".into())) }
                                td.number { (o.commission.map(money).unwrap_or_else(|| "-".into())) }
                            }
                        }
                    }
                }
            }
        }
    }
}

async fn run(
    State(state): State<Arc<WebState>>,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let view = views::run(&state, &id).await?;
    Ok(layout(&format!("Run {id}"), run_page(&view)))
}
