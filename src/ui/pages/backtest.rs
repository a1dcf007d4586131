//! The Back-test page: *can we trust the hotspot map?* Every method fitted on the past and scored
//! on the later period it was meant to predict: hit rate, PAI and PEI at a chosen share of the
//! city, the hit-rate curve, the map of what each method flagged, and last period's patrol route
//! against this period's crimes.

use leptos::prelude::*;
use patroliq_core::backtest::methods::Method;
use patroliq_core::backtest::BacktestParams;
use patroliq_core::gloss::Term;
use patroliq_core::route::plan::parse_clock;
use patroliq_core::track::RunParams;

use crate::state::{Backtesting, Data};
use crate::ui::charts::backtest as backtest_charts;
use crate::ui::charts::chart::Chart;
use crate::ui::widgets::form::{num, number_field, wire, ParamForm};
use crate::ui::widgets::format::{count, percent};
use crate::ui::widgets::gloss::Glossary;
use crate::ui::widgets::kpi::Kpi;
use crate::ui::widgets::progress::{task_error, task_progress};

/// Always compared beside the analyst's own coverage.
const STANDARD: [f64; 3] = [0.01, 0.05, 0.10];

#[derive(Clone, Copy)]
struct Form {
    split: RwSignal<String>,
    coverage: RwSignal<String>,
    cell: RwSignal<String>,
    k: RwSignal<String>,
    stops: RwSignal<String>,
    within: RwSignal<String>,
    depart: RwSignal<String>,
}

impl Form {
    fn new() -> Form {
        let s = |v: &str| RwSignal::new(v.to_string());
        Form {
            split: s(""),
            coverage: s("5"),
            cell: s("250"),
            k: s("25"),
            stops: s("20"),
            within: s("2"),
            depart: s("20:00"),
        }
    }
}

impl ParamForm for Form {
    type Params = BacktestParams;

    fn fill(&self, params: &RunParams) {
        if let RunParams::Backtest { params: p } = params {
            self.split.set(p.split.map(|d| d.to_string()).unwrap_or_default());
            if let Some(c) = p.coverages.first() {
                self.coverage.set(format!("{}", (c * 1e6).round() / 1e4));
            }
            self.cell.set(p.cell_m.to_string());
            self.k.set(p.kmeans_k.to_string());
            self.stops.set(p.route_stops.to_string());
            self.within.set(p.within_min.to_string());
            self.depart.set(format!("{:02}:{:02}", p.depart_min / 60 % 24, p.depart_min % 60));
        }
    }

    fn read(&self) -> Result<BacktestParams, String> {
        let split = match self.split.get_untracked().trim() {
            "" => None,
            s => Some(s.parse().map_err(|_| format!("split: {s} is not a date (YYYY-MM-DD)"))?),
        };
        let c: f64 = num(self.coverage, "coverage")?;
        if !(c > 0.0 && c <= 100.0) {
            return Err("coverage: a percentage of the city, above 0 and at most 100".into());
        }
        let headline = c / 100.0;
        let coverages = std::iter::once(headline)
            .chain(STANDARD.into_iter().filter(|s| (s - headline).abs() > 1e-9))
            .collect();
        let depart = self.depart.get_untracked();
        let params = BacktestParams {
            split,
            coverages,
            cell_m: num(self.cell, "cell size")?,
            kmeans_k: num(self.k, "K-Means k")?,
            route_stops: num(self.stops, "route stops")?,
            within_min: num(self.within, "reach")?,
            depart_min: parse_clock(depart.trim())
                .ok_or_else(|| format!("departure: {depart} is not HH:MM"))?,
            ..BacktestParams::default()
        };
        params.clone().check().map_err(|e| e.to_string())?;
        Ok(params)
    }
}

#[component]
pub fn BacktestPage() -> impl IntoView {
    let data = expect_context::<Data>();
    let backtesting = expect_context::<Backtesting>();
    let slot = backtesting.backtest;
    let form = Form::new();
    let (form_error, read) = wire(form);
    let run = move |_| {
        if let Some(p) = read() {
            backtesting.run_backtest(p);
        }
    };
    let range = move || {
        data.dataset.with(|d| {
            d.as_ref().map(|d| {
                let r = &d.report;
                format!(
                    "The data run {} → {}. Leave the split empty to test on the last 20 % of that range.",
                    r.date_min.as_deref().unwrap_or("?").get(..10).unwrap_or("?"),
                    r.date_max.as_deref().unwrap_or("?").get(..10).unwrap_or("?")
                )
            })
        })
    };
    let field = |id, label, unit, value| number_field(id, label, unit, "", value);
    view! {
        <section class="card" id="backtest">
            <h2>"Would last period's hotspots have caught this period's crimes?"</h2>
            <p class="muted about">
                "Every method is fitted on the rows before the split only, then scored on the rows after it. \
                 At a chosen share of the city's area: the hit rate (share of the test period's crimes in the \
                 flagged cells), the PAI (hit rate ÷ area share: 1 is no better than chance) and the PEI (PAI \
                 ÷ the best PAI any cells of that area could have had: 1 is perfect). The filter above applies, \
                 so \"robberies on Friday nights\" can be back-tested."
            </p>
            <div class="filter-row cluster-form">
                <label class="field">
                    <span>"Test period starts"</span>
                    <input type="date" id="bt-split" prop:value=move || form.split.get()
                        on:input=move |ev| form.split.set(event_target_value(&ev))/>
                    <span class="unit">"empty: last 20 %"</span>
                </label>
                {field("bt-coverage", "Coverage", "% of the city's area", form.coverage)}
                {field("bt-cell", "Cell size", "metres, 100–1000", form.cell)}
                {field("bt-k", "K-Means areas", "k", form.k)}
                {field("bt-stops", "Route stops", "0: no route", form.stops)}
                {field("bt-within", "Route reach", "minutes' drive", form.within)}
                <label class="field">
                    <span>"Route departs"</span>
                    <input type="text" id="bt-depart" prop:value=move || form.depart.get()
                        on:input=move |ev| form.depart.set(event_target_value(&ev))/>
                    <span class="unit">"HH:MM"</span>
                </label>
                <button class="btn primary" id="bt-run" disabled=move || slot.busy() || data.dataset.with(Option::is_none) on:click=run>
                    "Run back-test"
                </button>
            </div>
            <p class="muted" id="bt-range">{range}</p>
            {move || form_error.get().map(|e| view! { <p class="form-error" id="bt-form-error">{e}</p> })}
            {task_progress(slot, "bt-progress", "Fitting and scoring every method")}
            {task_error(slot, "bt-error", "The back-test")}
        </section>
        <BacktestResult/>
    }
}

#[component]
fn BacktestResult() -> impl IntoView {
    let data = expect_context::<Data>();
    let backtesting = expect_context::<Backtesting>();
    let slot = backtesting.backtest;
    let shown = RwSignal::new(None::<Method>);
    move || {
        slot.result.get().map(|d| {
            let b = &d.value;
            let stale = (d.filter != data.filter.get()).then(|| {
                view! { <p class="banner warn" id="bt-stale">"The filter has changed since this back-test: run it again."</p> }
            });
            let c = b.params.coverages[0];
            let winner = b.winner(0).map(|m| (m.method, m.label.clone(), m.metrics[0].pai));
            let default = winner.as_ref().map_or(Method::Risk, |w| w.0);
            let method = move || shown.get().unwrap_or(default);
            let options = b
                .methods
                .iter()
                .map(|m| view! { <option value=m.method.key()>{m.label.clone()}</option> })
                .collect_view();
            let map = move || {
                slot.result.with(|d| {
                    d.as_ref().map_or_else(crate::ui::charts::figure::empty, |d| backtest_charts::map(&d.value, method()))
                })
            };
            let curve = move || {
                slot.result.with(|d| d.as_ref().map_or_else(crate::ui::charts::figure::empty, |d| backtest_charts::curve(&d.value)))
            };
            let bars = move || {
                slot.result.with(|d| d.as_ref().map_or_else(crate::ui::charts::figure::empty, |d| backtest_charts::pai_bars(&d.value)))
            };
            let warnings = b.warnings.iter().map(|w| view! { <p class="banner warn bt-warning">{w.clone()}</p> }).collect_view();
            view! {
                <section class="card" id="bt-result" data-run=d.job.to_string() data-ms=format!("{:.0}", d.compute_ms)
                    data-winner=winner.as_ref().map(|w| w.0.key())>
                    {stale}
                    {warnings}
                    <div class="kpis">
                        <Kpi id="bt-train" label="training incidents" value=count(b.train.incidents)
                            note=Some(format!("{} → {}", b.train.from, b.train.to))/>
                        <Kpi id="bt-test" label="test incidents" value=count(b.test.incidents)
                            note=Some(format!("{} → {}", b.test.from, b.test.to))/>
                        <Kpi id="bt-cells" label="cells in the study area" value=count(b.study_cells as u64)
                            note=Some(format!("of {} m; {} flagged at {}", b.grid.cell_m, b.oracle[0].cells, percent(c)))/>
                        <Kpi id="bt-winner" label="best PAI" gloss=Term::Pai
                            value=winner.as_ref().map_or("–".into(), |w| format!("{:.2}", w.2))
                            note=winner.as_ref().map(|w| format!("{} at {}", w.1, percent(c)))/>
                        <Kpi id="bt-seconds" label="seconds" value=format!("{:.1}", d.compute_ms / 1000.0)/>
                    </div>
                    <MethodTable/>
                    <Chart id="bt-curve" plot=curve/>
                    <Chart id="bt-pai" plot=bars/>
                    <label class="field inline">
                        <span>"Map: cells flagged by"</span>
                        <select id="bt-method" prop:value=move || method().key()
                            on:change=move |ev| {
                                let k = event_target_value(&ev);
                                shown.set(Method::ALL.into_iter().find(|m| m.key() == k));
                            }>
                            {options}
                        </select>
                    </label>
                    <Chart id="bt-map" plot=map/>
                    <RouteTable/>
                </section>
            }
        })
    }
}

#[component]
fn MethodTable() -> impl IntoView {
    let backtesting = expect_context::<Backtesting>();
    move || {
        backtesting.backtest.result.with(|d| {
            d.as_ref().map(|d| {
                let b = &d.value;
                let c = b.params.coverages[0];
                // The standard coverages' columns, in the order the run computed them.
                let others: Vec<(usize, f64)> =
                    b.params.coverages.iter().copied().enumerate().skip(1).collect();
                let heads = others.iter().map(|(_, c)| view! { <th>{format!("hit rate at {}", percent(*c))}</th> }).collect_view();
                let mut rows: Vec<_> = b.methods.iter().collect();
                rows.sort_by(|x, y| y.metrics[0].pai.total_cmp(&x.metrics[0].pai));
                let body = rows
                    .into_iter()
                    .map(|m| {
                        let k = &m.metrics[0];
                        let more = others
                            .iter()
                            .map(|(i, _)| view! { <td class="num">{percent(m.metrics[*i].hit_rate)}</td> })
                            .collect_view();
                        view! {
                            <tr data-method=m.method.key()>
                                <td><span class="swatch" style=format!("background:{}", backtest_charts::colour(m.method))></span>{m.label.clone()}</td>
                                <td class="num">{percent(k.hit_rate)}</td>
                                <td class="num pai">{format!("{:.2}", k.pai)}</td>
                                <td class="num">{format!("{:.2}", k.pei)}</td>
                                {more}
                                <td class="muted">{m.note.clone()}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                let o = &b.oracle[0];
                let best_more = others
                    .iter()
                    .map(|(i, _)| view! { <td class="num">{percent(b.oracle[*i].hit_rate)}</td> })
                    .collect_view();
                view! {
                    <h3>{format!("At {} of the area", percent(c))}</h3>
                    <table class="table" id="bt-table">
                        <thead><tr><th>"Method"</th><th>"Hit rate"</th><th>"PAI"</th><th>"PEI"</th>{heads}<th>"Fitted"</th></tr></thead>
                        <tbody>
                            {body}
                            <tr class="muted" id="bt-oracle">
                                <td>"Best possible (the test period's own busiest cells)"</td>
                                <td class="num">{percent(o.hit_rate)}</td>
                                <td class="num">{format!("{:.2}", o.pai)}</td>
                                <td class="num">"1.00"</td>
                                {best_more}
                                <td>{format!("{} test crimes fell outside the training period's study area", count(b.test_outside))}</td>
                            </tr>
                        </tbody>
                    </table>
                    <Glossary terms=&[Term::HitRate, Term::Pai, Term::Pei]/>
                }
            })
        })
    }
}

#[component]
fn RouteTable() -> impl IntoView {
    let backtesting = expect_context::<Backtesting>();
    move || {
        backtesting.backtest.result.with(|d| {
            d.as_ref().and_then(|d| d.value.route.clone()).map(|r| {
                let rows = r
                    .rows
                    .iter()
                    .map(|x| {
                        view! {
                            <tr data-route=x.route.clone()>
                                <td>{if x.route == "optimised" { "Optimised through the risk grid's cells" } else { "Naive: the busiest cells in rank order, same length" }}</td>
                                <td class="num">{x.stops}</td>
                                <td class="num">{format!("{:.1} km", x.distance_m / 1000.0)}</td>
                                <td class="num">{format!("{:.0} min", x.travel_time_s / 60.0)}</td>
                                <td class="num">{percent(x.hit_rate)}</td>
                                <td class="num">{percent(x.area)}</td>
                                <td class="num">{format!("{:.2}", x.pai)}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <h3>"Last period's route, this period's crimes"</h3>
                    <p class="muted">{format!(
                        "Crimes within {} minutes' drive of the route ({:.0} m on the street grid at {} traffic). \
                         Route PAI = share of crimes ÷ share of the area within that reach.",
                        r.within_min, r.reach_m, r.depart
                    )}</p>
                    <table class="table" id="bt-routes">
                        <thead><tr><th>"Route"</th><th>"Stops"</th><th>"Distance"</th><th>"Driving"</th><th>"Crimes within reach"</th><th>"Area within reach"</th><th>"Route PAI"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
            })
        })
    }
}
