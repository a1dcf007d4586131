//! The Back-test page: *can we trust the hotspot map?* Every method fitted on the past and scored
//! on the later period it was meant to predict: hit rate, PAI and PEI at a chosen share of the
//! city, the hit-rate curve, the map of what each method flagged, and last period's patrol route
//! against this period's crimes. Below it, the forecasts proven period by period: the rolling
//! back-test (shift by shift, day, week or month), near repeats (the Knox test) and emerging hot
//! spots.

use leptos::prelude::*;
use patroliq_core::backtest::methods::Method;
use patroliq_core::backtest::BacktestParams;
use patroliq_core::gloss::Term;
use patroliq_core::route::plan::parse_clock;
use patroliq_core::track::RunParams;

use chrono::NaiveDate;
use patroliq_core::forecast::emerging::{Bin, Category, EmergingParams};
use patroliq_core::forecast::knox::KnoxParams;
use patroliq_core::forecast::rolling::RollingParams;
use patroliq_core::forecast::Horizon;

use crate::state::{Backtesting, Data};
use crate::ui::charts::backtest as backtest_charts;
use crate::ui::charts::chart::Chart;
use crate::ui::charts::figure;
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
        if let RunParams::Backtest { params: p, .. } = params {
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
        <RollingSection/>
        <NearRepeatSection/>
        <EmergingSection/>
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
                                shown.set(Method::ALL.into_iter().chain([Method::RiskTerrain]).find(|m| m.key() == k));
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

// ---- The rolling back-test ---------------------------------------------------------------------

/// The last day of the loaded data (its report's `date_max`).
fn last_day(data: Data) -> Option<NaiveDate> {
    data.dataset.with_untracked(|d| {
        d.as_ref()
            .and_then(|d| d.report.date_max.as_deref().and_then(|s| s.get(..10)).and_then(|s| s.parse().ok()))
    })
}

#[derive(Clone, Copy)]
struct RollingForm {
    horizon: RwSignal<String>,
    shift: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    coverage: RwSignal<String>,
    cell: RwSignal<String>,
}

impl RollingForm {
    /// The parameters, the window defaulting to the last 10 weeks of the data.
    fn read(&self, data: Data) -> Result<RollingParams, String> {
        let date = |v: RwSignal<String>, what: &str| -> Result<Option<NaiveDate>, String> {
            match v.get_untracked().trim() {
                "" => Ok(None),
                s => s.parse().map(Some).map_err(|_| format!("{what}: {s} is not a date (YYYY-MM-DD)")),
            }
        };
        let to = match date(self.to, "to")? {
            Some(d) => d,
            None => last_day(data).ok_or("no data loaded")?,
        };
        let from = date(self.from, "from")?.unwrap_or(to - chrono::Days::new(69));
        let horizon = match self.horizon.get_untracked().as_str() {
            "shift" => {
                let sh = self.shift.get_untracked();
                let bad = || format!("shift: {sh} is not FROM-TO hours such as 20-4");
                let (a, z) = sh.split_once('-').ok_or_else(bad)?;
                Horizon::Shift {
                    from_hour: a.trim().parse().map_err(|_| bad())?,
                    to_hour: z.trim().parse().map_err(|_| bad())?,
                }
            }
            "day" => Horizon::Day,
            "week" => Horizon::Week,
            _ => Horizon::Month,
        };
        let c: f64 = num(self.coverage, "coverage")?;
        if !(c > 0.0 && c <= 100.0) {
            return Err("coverage: a percentage of the city, above 0 and at most 100".into());
        }
        let headline = c / 100.0;
        let coverages = std::iter::once(headline)
            .chain([0.005, 0.01, 0.02, 0.05].into_iter().filter(|s| (s - headline).abs() > 1e-9))
            .collect();
        let params = RollingParams {
            coverages,
            cell_m: num(self.cell, "cell size")?,
            ..RollingParams::new(from, to, horizon)
        };
        params.clone().check().map_err(|e| e.to_string())?;
        Ok(params)
    }
}

#[component]
fn RollingSection() -> impl IntoView {
    let data = expect_context::<Data>();
    let backtesting = expect_context::<Backtesting>();
    let slot = backtesting.rolling;
    let s = |v: &str| RwSignal::new(v.to_string());
    let form = RollingForm {
        horizon: s("shift"),
        shift: s("20-4"),
        from: s(""),
        to: s(""),
        coverage: s("1"),
        cell: s("250"),
    };
    let error = RwSignal::new(None::<String>);
    let run = move |_| match form.read(data) {
        Ok(p) => {
            error.set(None);
            backtesting.run_rolling(p);
        }
        Err(e) => error.set(Some(e)),
    };
    let window = move || {
        data.dataset.track();
        last_day(data).map(|to| {
            format!(
                "Empty dates: the last 10 weeks of the data, {} → {to}. A 90-night test on 500,000 rows takes about a minute.",
                to - chrono::Days::new(69)
            )
        })
    };
    let field = |id, label, unit, value| number_field(id, label, unit, "", value);
    view! {
        <section class="card" id="rolling">
            <h2>"Rolling back-test (shift by shift)"</h2>
            <p class="muted about">
                "For every shift (or day, week, month) of the test window, each forecasting method is fitted on the rows \
                 dated before that shift starts — never on the shift itself — ranks the city's cells, and is scored on \
                 the shift's incidents. Means over the periods with a 95 % bootstrap interval, and each method against \
                 last weeks' counts (naive): the periods it won and its PAI gain with its interval. The filter above applies."
            </p>
            <div class="filter-row cluster-form">
                <label class="field">
                    <span>"Forecast for each"</span>
                    <select id="rb-horizon" prop:value=move || form.horizon.get()
                        on:change=move |ev| form.horizon.set(event_target_value(&ev))>
                        <option value="shift">"shift"</option>
                        <option value="day">"day"</option>
                        <option value="week">"week"</option>
                        <option value="month">"month"</option>
                    </select>
                </label>
                <label class="field">
                    <span>"Shift hours"</span>
                    <input type="text" id="rb-shift" prop:value=move || form.shift.get()
                        on:input=move |ev| form.shift.set(event_target_value(&ev))/>
                    <span class="unit">"20-4: 20:00–04:00"</span>
                </label>
                <label class="field">
                    <span>"Test from"</span>
                    <input type="date" id="rb-from" prop:value=move || form.from.get()
                        on:input=move |ev| form.from.set(event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span>"to"</span>
                    <input type="date" id="rb-to" prop:value=move || form.to.get()
                        on:input=move |ev| form.to.set(event_target_value(&ev))/>
                </label>
                {field("rb-coverage", "Coverage", "% of the city's area", form.coverage)}
                {field("rb-cell", "Cell size", "metres", form.cell)}
                <button class="btn primary" id="rb-run" disabled=move || slot.busy() || data.dataset.with(Option::is_none) on:click=run>
                    "Run rolling back-test"
                </button>
            </div>
            <p class="muted" id="rb-window">{window}</p>
            {move || error.get().map(|e| view! { <p class="form-error" id="rb-form-error">{e}</p> })}
            {task_progress(slot, "rb-progress", "Refitting every method before each period")}
            {task_error(slot, "rb-error", "The rolling back-test")}
            <RollingResult/>
        </section>
    }
}

#[component]
fn RollingResult() -> impl IntoView {
    let backtesting = expect_context::<Backtesting>();
    let slot = backtesting.rolling;
    let shown_method = RwSignal::new(None::<usize>);
    let shown_period = RwSignal::new(None::<usize>);
    move || {
        slot.result.get().map(|d| {
            let v = &d.value;
            let r = &v.rolling;
            let c = r.params.coverages[0];
            let best = r.best(c).map(|m| (m.method, m.label.clone(), m.at(c).pai));
            let best_i = best.as_ref().and_then(|b| v.method_index(b.0)).unwrap_or(0);
            let last = r.periods.len().saturating_sub(1);
            let method = move || shown_method.get().unwrap_or(best_i);
            let period = move || shown_period.get().unwrap_or(last);
            let gain = move || slot.result.with(|d| d.as_ref().map_or_else(figure::empty, |d| backtest_charts::rolling_gain(&d.value)));
            let per_period = move || slot.result.with(|d| d.as_ref().map_or_else(figure::empty, |d| backtest_charts::rolling_periods(&d.value)));
            let map = move || {
                let (m, k) = (method(), period());
                slot.result.with(|d| d.as_ref().map_or_else(figure::empty, |d| backtest_charts::rolling_map(&d.value, m, k)))
            };
            let method_options = r
                .methods
                .iter()
                .enumerate()
                .map(|(i, m)| view! { <option value=i.to_string() selected=i == best_i>{m.label.clone()}</option> })
                .collect_view();
            let period_options = r
                .periods
                .iter()
                .enumerate()
                .map(|(k, p)| view! { <option value=k.to_string() selected=k == last>{format!("{} ({} incidents)", p.label, p.incidents)}</option> })
                .collect_view();
            let best_gain = best.as_ref().and_then(|b| r.method(b.0)).and_then(|m| m.at(c).vs_naive.clone());
            let warnings = r.warnings.iter().map(|w| view! { <p class="banner warn">{w.clone()}</p> }).collect_view();
            view! {
                <div id="rb-result" data-run=d.job.to_string() data-ms=format!("{:.0}", d.compute_ms)
                    data-best=best.as_ref().map(|b| b.0.key())>
                    {warnings}
                    <div class="kpis">
                        <Kpi id="rb-periods" label="periods" value=count(r.periods.len() as u64)
                            note=Some(format!("{}, {} → {}; {} scored", r.params.horizon.key(), r.params.from, r.params.to, r.scored))/>
                        <Kpi id="rb-best" label="best mean PAI"
                            value=best.as_ref().map_or("–".into(), |b| format!("{:.2}", b.2))
                            note=best.as_ref().map(|b| format!("{} at {}", b.1, percent(c)))/>
                        <Kpi id="rb-gain" label="vs last weeks' counts"
                            value=best_gain.as_ref().map_or("–".into(), |g| format!("{:+.1} %", 100.0 * g.relative_gain))
                            note=best_gain.as_ref().map(|g| format!("interval {:+.1} % to {:+.1} %; won {:.0} % of periods",
                                100.0 * g.relative_interval[0], 100.0 * g.relative_interval[1], 100.0 * g.share_won))/>
                        <Kpi id="rb-seconds" label="seconds" value=format!("{:.1}", d.compute_ms / 1000.0)/>
                    </div>
                    <RollingTable/>
                    <Chart id="rb-gain-chart" plot=gain/>
                    <Chart id="rb-periods-chart" plot=per_period/>
                    <div class="filter-row">
                        <label class="field inline">
                            <span>"Map: cells flagged by"</span>
                            <select id="rb-method" on:change=move |ev| shown_method.set(event_target_value(&ev).parse().ok())>
                                {method_options}
                            </select>
                        </label>
                        <label class="field inline">
                            <span>"for the period"</span>
                            <select id="rb-period" on:change=move |ev| shown_period.set(event_target_value(&ev).parse().ok())>
                                {period_options}
                            </select>
                        </label>
                    </div>
                    <Chart id="rb-map" plot=map/>
                </div>
            }
        })
    }
}

#[component]
fn RollingTable() -> impl IntoView {
    let backtesting = expect_context::<Backtesting>();
    move || {
        backtesting.rolling.result.with(|d| {
            d.as_ref().map(|d| {
                let r = &d.value.rolling;
                let c = r.params.coverages[0];
                let iv = |x: [f64; 2], f: &dyn Fn(f64) -> String| {
                    if x[0].is_finite() { format!("{} – {}", f(x[0]), f(x[1])) } else { "–".into() }
                };
                let body = r
                    .methods
                    .iter()
                    .map(|m| {
                        let s = &m.summary[0];
                        let vs = s.vs_naive.as_ref();
                        let pct = |x: f64| format!("{:+.1} %", 100.0 * x);
                        view! {
                            <tr data-method=m.method.key()>
                                <td><span class="swatch" style=format!("background:{}", backtest_charts::forecast_colour(m.method))></span>{m.label.clone()}</td>
                                <td class="num hit">{percent(s.hit_rate)}</td>
                                <td class="num pai">{format!("{:.2}", s.pai)}</td>
                                <td class="num">{iv(s.pai_interval, &|x| format!("{x:.2}"))}</td>
                                <td class="num pei">{format!("{:.2}", s.pei)}</td>
                                <td class="num gain">{vs.map_or("–".into(), |v| pct(v.relative_gain))}</td>
                                <td class="num">{vs.map_or("–".into(), |v| iv(v.relative_interval, &pct))}</td>
                                <td class="num wins">{vs.map_or("–".into(), |v| format!("{} / {}", v.wins, r.scored))}</td>
                                <td class="muted">{m.note.clone()}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                let heads = r.params.coverages.iter().map(|c| view! { <th>{format!("at {}", percent(*c))}</th> }).collect_view();
                let all = r
                    .methods
                    .iter()
                    .map(|m| {
                        let cells = m
                            .summary
                            .iter()
                            .map(|s| view! { <td class="num">{format!("PAI {:.2} · {} · PEI {:.2}", s.pai, percent(s.hit_rate), s.pei)}</td> })
                            .collect_view();
                        view! { <tr data-method=m.method.key()><td>{m.label.clone()}</td>{cells}</tr> }
                    })
                    .collect_view();
                view! {
                    <h3>{format!("Means over {} periods at {} of the city", r.scored, percent(c))}</h3>
                    <div class="table-scroll"><table class="table" id="rb-table">
                        <thead><tr><th>"Method"</th><th>"Hit rate"</th><th>"PAI"</th><th>"95 % interval"</th><th>"PEI"</th>
                            <th>"PAI vs naive"</th><th>"95 % interval"</th><th>"Periods won"</th><th>"Last fit"</th></tr></thead>
                        <tbody>{body}</tbody>
                    </table></div>
                    <h3>"Every coverage"</h3>
                    <div class="table-scroll"><table class="table" id="rb-coverages">
                        <thead><tr><th>"Method"</th>{heads}</tr></thead>
                        <tbody>{all}</tbody>
                    </table></div>
                }
            })
        })
    }
}

// ---- Near repeats ------------------------------------------------------------------------------

#[component]
fn NearRepeatSection() -> impl IntoView {
    let data = expect_context::<Data>();
    let backtesting = expect_context::<Backtesting>();
    let slot = backtesting.near_repeat;
    let kind = RwSignal::new("BURGLARY".to_string());
    let days = RwSignal::new("365".to_string());
    let error = RwSignal::new(None::<String>);
    let run = move |_| {
        let d: Result<u64, String> = num(days, "days");
        match d {
            Ok(d) if d >= 1 => {
                error.set(None);
                let ty = kind.get_untracked().trim().to_uppercase();
                let since = last_day(data).map(|l| l - chrono::Days::new(d - 1));
                backtesting.run_near_repeat_of(KnoxParams::default(), ty, since);
            }
            _ => error.set(Some("days: a whole number of days, at least 1".into())),
        }
    };
    view! {
        <section class="card" id="near-repeat">
            <h2>"Near repeats: does one incident bring another close by, soon?"</h2>
            <p class="muted about">
                "The Knox test, as the Near Repeat Calculator runs it: every pair of incidents is put in a distance band \
                 and a days band, and each band's count is compared with what 99 random reshufflings of the dates over \
                 the places give. A ratio above 1 with a small p-value is a near-repeat pattern. One crime type over the \
                 last year by default (at most 100,000 incidents); the filter above applies too."
            </p>
            <div class="filter-row cluster-form">
                <label class="field">
                    <span>"Crime type"</span>
                    <input type="text" id="nr-type" prop:value=move || kind.get()
                        on:input=move |ev| kind.set(event_target_value(&ev))/>
                    <span class="unit">"empty: the filter's"</span>
                </label>
                {number_field("nr-days", "Last", "days of the data", "", days)}
                <button class="btn primary" id="nr-run" disabled=move || slot.busy() || data.dataset.with(Option::is_none) on:click=run>
                    "Run Knox test"
                </button>
            </div>
            {move || error.get().map(|e| view! { <p class="form-error" id="nr-form-error">{e}</p> })}
            {task_progress(slot, "nr-progress", "Counting pairs and permuting dates")}
            {task_error(slot, "nr-error", "The Knox test")}
            {move || slot.result.get().map(|d| {
                let k = &d.value;
                let nt = k.params.time_days.len();
                let heads = (0..nt).map(|j| {
                    let c = k.cell(0, j);
                    view! { <th>{format!("{}–{} days", c.time_days[0], c.time_days[1])}</th> }
                }).collect_view();
                let rows = (0..k.params.space_m.len()).map(|i| {
                    let c0 = k.cell(i, 0);
                    let cells = (0..nt).map(|j| {
                        let c = k.cell(i, j);
                        let sig = c.p <= 0.05 && c.ratio > 1.0;
                        view! {
                            <td class=if sig { "num significant" } else { "num" } title=format!("{} pairs observed, {:.1} expected", c.observed, c.expected)>
                                {format!("{} / {:.0}", c.observed, c.expected)}<br/>
                                <b>{if c.ratio.is_finite() { format!("×{:.2}", c.ratio) } else { "–".into() }}</b>
                                {format!(" p {:.2}", c.p)}
                            </td>
                        }
                    }).collect_view();
                    view! { <tr><th>{format!("{}–{} m", c0.space_m[0], c0.space_m[1])}</th>{cells}</tr> }
                }).collect_view();
                view! {
                    <div id="nr-result" data-run=d.job.to_string()>
                        <p class="lead" id="nr-sentence">{k.sentence()}</p>
                        <p class="muted">{format!(
                            "{} incidents, {} pairs; {} originators and {} near repeats (within the first bands). Each cell: pairs observed / expected, the Knox ratio and its p-value; significant bands are marked.",
                            count(k.incidents as u64), count(k.pairs), count(k.originators as u64), count(k.near_repeats as u64)
                        )}</p>
                        <div class="table-scroll"><table class="table" id="nr-table">
                            <thead><tr><th>"distance \\ days"</th>{heads}</tr></thead>
                            <tbody>{rows}</tbody>
                        </table></div>
                    </div>
                }
            })}
        </section>
    }
}

// ---- Emerging hot spots ------------------------------------------------------------------------

#[component]
fn EmergingSection() -> impl IntoView {
    let data = expect_context::<Data>();
    let backtesting = expect_context::<Backtesting>();
    let slot = backtesting.emerging;
    let bin = RwSignal::new("month".to_string());
    let cell = RwSignal::new("500".to_string());
    let intensifying = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let run = move |_| {
        let params = num(cell, "cell size").and_then(|cell_m| {
            let p = EmergingParams {
                bin: if bin.get_untracked() == "week" { Bin::Week } else { Bin::Month },
                cell_m,
                ..EmergingParams::default()
            };
            p.clone().check().map_err(|e| e.to_string())?;
            Ok(p)
        });
        match params {
            Ok(p) => {
                error.set(None);
                backtesting.run_emerging(p);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let only = move || intensifying.get().then_some(Category::IntensifyingHot);
    let map = move || {
        let o = only();
        slot.result
            .with(|d| d.as_ref().map_or_else(figure::empty, |d| backtest_charts::emerging_map(&d.value, o)))
    };
    view! {
        <section class="card" id="emerging">
            <h2>"Emerging hot spots: which hot spots are new, growing or fading?"</h2>
            <p class="muted about">
                "ArcGIS Pro's emerging hot spot analysis: incidents counted per cell and month (or week), the Getis–Ord \
                 Gi* of every cell in every bin with a false-discovery-rate correction, the Mann–Kendall trend of each \
                 cell's z-scores, and a category per cell: new, consecutive, intensifying, persistent, diminishing, \
                 sporadic, oscillating or historical, hot or cold. The filter above applies."
            </p>
            <div class="filter-row cluster-form">
                <label class="field">
                    <span>"Bins"</span>
                    <select id="em-bin" prop:value=move || bin.get() on:change=move |ev| bin.set(event_target_value(&ev))>
                        <option value="month">"months"</option>
                        <option value="week">"weeks"</option>
                    </select>
                </label>
                {number_field("em-cell", "Cell size", "metres", "", cell)}
                <button class="btn primary" id="em-run" disabled=move || slot.busy() || data.dataset.with(Option::is_none) on:click=run>
                    "Find emerging hot spots"
                </button>
                <label class="field checkbox">
                    <input type="checkbox" id="em-intensifying" prop:checked=move || intensifying.get()
                        on:change=move |ev| intensifying.set(event_target_checked(&ev))/>
                    <span>"Show intensifying hot spots only"</span>
                </label>
            </div>
            {move || error.get().map(|e| view! { <p class="form-error" id="em-form-error">{e}</p> })}
            {task_progress(slot, "em-progress", "Building the space–time cube")}
            {task_error(slot, "em-error", "Emerging hot spot analysis")}
            {move || slot.result.get().map(|d| {
                let e = &d.value;
                let cats = e.categories.iter().map(|(c, n)| view! {
                    <tr data-category=backtest_charts::category_label(*c)>
                        <td><span class="swatch" style=format!("background:{}", backtest_charts::category_colour(*c))></span>{backtest_charts::category_label(*c)}</td>
                        <td class="num">{count(*n as u64)}</td>
                        <td class="num">{percent(*n as f64 / e.cells.len().max(1) as f64)}</td>
                    </tr>
                }).collect_view();
                view! {
                    <div id="em-result" data-run=d.job.to_string()
                        data-intensifying=e.of(Category::IntensifyingHot).count().to_string()>
                        <p class="muted" id="em-summary">{format!(
                            "{} bins from {} to {}; {} cells of {} m with incidents. Overall, incidents per bin trend {} (Mann–Kendall z = {:.2}, p = {:.3}).",
                            e.bins.len(), e.bins.first().cloned().unwrap_or_default(), e.end, count(e.cells.len() as u64), e.params.cell_m,
                            if e.total_trend.p > 0.05 { "neither up nor down" } else if e.total_trend.z > 0.0 { "up" } else { "down" },
                            e.total_trend.z, e.total_trend.p
                        )}</p>
                        <table class="table" id="em-table">
                            <thead><tr><th>"Category"</th><th>"Cells"</th><th>"Share"</th></tr></thead>
                            <tbody>{cats}</tbody>
                        </table>
                    </div>
                }
            })}
            {move || slot.result.with(Option::is_some).then(|| view! { <Chart id="em-map" plot=map/> })}
            {move || slot.result.with(|d| d.as_ref().map(|d| {
                let e = &d.value;
                let o = only();
                let mut cells: Vec<_> = e.cells.iter().filter(|c| o.is_none_or(|o| c.category == o) && (o.is_some() || c.category.is_hot())).collect();
                cells.sort_by(|a, b| b.trend_z.total_cmp(&a.trend_z));
                let rows = cells.iter().take(15).map(|c| view! {
                    <tr>
                        <td>{backtest_charts::category_label(c.category)}</td>
                        <td class="num">{format!("{:.4}, {:.4}", c.lat, c.lon)}</td>
                        <td class="num">{count(c.incidents)}</td>
                        <td class="num">{c.hot_bins}</td>
                        <td class="num">{format!("{:.2}", c.trend_z)}</td>
                        <td class="num">{format!("{:.3}", c.trend_p)}</td>
                    </tr>
                }).collect_view();
                view! {
                    <h3>{if o.is_some() { "Intensifying hot spots, strongest trend first" } else { "Hot spots, strongest rising trend first" }}</h3>
                    <div class="table-scroll"><table class="table" id="em-cells">
                        <thead><tr><th>"Category"</th><th>"Cell centre"</th><th>"Incidents"</th><th>"Hot bins"</th><th>"Trend z"</th><th>"p"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table></div>
                }
            }))}
        </section>
    }
}
