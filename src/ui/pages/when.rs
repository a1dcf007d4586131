//! The When page: *when do crimes happen?* Temporal patterns (K-Means on hour, weekday and
//! month), their profiles, the peak hours and risky months of each crime type and district, the
//! seasonality, and when each geographic hotspot is busy.

use leptos::prelude::*;
use patroliq_core::gloss::Term;
use patroliq_core::temporal::peaks::PeakRow;
use patroliq_core::temporal::{Encoding, TemporalParams};
use patroliq_core::track::RunParams;

use crate::state::{Data, Temporal};
use crate::ui::charts::chart::Chart;
use crate::ui::charts::when::{self as when_charts, colour};
use crate::ui::widgets::form::{num, number_field, optional_num, run_when_ready, untouched, wire, ParamForm};
use crate::ui::widgets::format::{count, percent};
use crate::ui::widgets::kpi::Kpi;
use crate::ui::widgets::progress::{task_error, task_progress};
use patroliq_core::temporal::label::MONTHS;

/// The form's values, as typed.
#[derive(Clone, Copy)]
struct Form {
    encoding: RwSignal<String>,
    k: RwSignal<String>,
    n_init: RwSignal<String>,
    seed: RwSignal<String>,
}

impl Form {
    fn new() -> Form {
        let s = |v: &str| RwSignal::new(v.to_string());
        Form { encoding: s("cyclical"), k: s(""), n_init: s("4"), seed: s("42") }
    }
}

impl ParamForm for Form {
    type Params = TemporalParams;

    fn fill(&self, params: &RunParams) {
        if let RunParams::Temporal { params: p } = params {
            let name = if p.encoding == Encoding::Standardised { "standardised" } else { "cyclical" };
            self.encoding.set(name.into());
            self.k.set(p.k.map(|k| k.to_string()).unwrap_or_default());
            self.n_init.set(p.n_init.to_string());
            self.seed.set(p.seed.to_string());
        }
    }

    fn read(&self) -> Result<TemporalParams, String> {
        let params = TemporalParams {
            encoding: if self.encoding.get_untracked() == "standardised" {
                Encoding::Standardised
            } else {
                Encoding::Cyclical
            },
            k: optional_num(self.k, "patterns")?,
            n_init: num(self.n_init, "restarts")?,
            seed: num(self.seed, "seed")?,
            ..TemporalParams::default()
        };
        params.clone().check().map_err(|e| e.to_string())?;
        Ok(params)
    }
}

#[component]
pub fn When() -> impl IntoView {
    let patterns = expect_context::<Temporal>();
    let slot = patterns.temporal;
    let form = Form::new();
    let (form_error, read) = wire(form);
    let run = move || {
        if let Some(p) = read() {
            patterns.run_temporal(p);
        }
    };
    // Opens on the default run (well under a second for 500k rows: the cube has ≤ 2,016 cells).
    run_when_ready(move || untouched(slot), move || patterns.run_temporal(TemporalParams::default()));
    let field = |id, label, placeholder, value| number_field(id, label, "", placeholder, value);
    view! {
        <section class="card" id="when">
            <h2>"When do crimes happen?"</h2>
            <WhenAnswer/>
            <div class="filter-row cluster-form">
                <label class="field">
                    <span>"Encoding"</span>
                    <select
                        id="temporal-encoding"
                        prop:value=move || form.encoding.get()
                        on:change=move |ev| form.encoding.set(event_target_value(&ev))
                    >
                        <option value="cyclical">"Cyclical (sin/cos)"</option>
                        <option value="standardised">"Standardised"</option>
                    </select>
                </label>
                {field("temporal-k", "Patterns (k)", "auto: 3–6", form.k)}
                {field("temporal-ninit", "Restarts", "", form.n_init)}
                {field("temporal-seed", "Seed", "", form.seed)}
                <button class="btn primary" id="temporal-run" disabled=move || slot.busy() on:click=move |_| run()>
                    "Find patterns"
                </button>
            </div>
            <p class="muted about">
                "Every incident is a point in (hour, weekday, month). K-Means groups them into patterns: \
                 \"cyclical\" puts each on its circle (23:00 next to 00:00, December next to January), \
                 \"standardised\" on straight scales. With k left empty, k = 3 … 6 are tried and the best \
                 silhouette wins. There are only 2,016 distinct (hour, weekday, month) times, so the \
                 clustering runs on those weighted by their incidents: the same result as on every incident, \
                 and an exact silhouette."
            </p>
            {move || form_error.get().map(|e| view! { <p class="form-error" id="temporal-form-error">{e}</p> })}
            {task_progress(slot, "temporal-progress", "Finding temporal patterns")}
            {task_error(slot, "temporal-error", "The temporal clustering")}
        </section>
        <Patterns/>
        <Peaks/>
    }
}

/// The page's one-line answer, from the core ([`patroliq_core::temporal::answer`]), over the
/// filtered incidents of the last run.
#[component]
fn WhenAnswer() -> impl IntoView {
    let slot = expect_context::<Temporal>().temporal;
    move || {
        slot.result.with(|d| d.as_ref().map(|d| d.value.peaks.answer.clone())).map(|a| {
            view! {
                <div class="when-answer" id="when-answer">
                    <p class="answer-line" id="when-answer-line"><strong>{a.line}</strong></p>
                    <p class="muted" id="when-answer-detail">{a.detail}</p>
                </div>
            }
        })
    }
}

#[component]
fn Patterns() -> impl IntoView {
    let data = expect_context::<Data>();
    let patterns = expect_context::<Temporal>();
    let slot = patterns.temporal;
    let chosen = RwSignal::new(0usize);
    let chart = move |f: fn(&patroliq_core::temporal::TemporalView) -> plotly::Plot| {
        move || {
            slot.result.with(|d| d.as_ref().map_or_else(crate::ui::charts::figure::empty, |d| f(&d.value)))
        }
    };
    let heat = move || {
        let i = chosen.get();
        slot.result.with(|d| {
            d.as_ref()
                .and_then(|d| d.value.report.patterns.get(i).map(when_charts::heatmap))
                .unwrap_or_else(crate::ui::charts::figure::empty)
        })
    };
    let stale = move || {
        let changed = slot.result.with(|d| d.as_ref().is_some_and(|d| d.filter != data.filter.get()));
        changed.then(|| {
            view! {
                <p class="warnings" id="temporal-stale">"The filter has changed since this run: run it again to update."</p>
            }
        })
    };
    move || {
        let d = slot.result.get()?;
        let r = &d.value.report;
        let sil = r.silhouette.map_or("–".into(), |s| format!("{s:.3}"));
        let weak = r.silhouette.is_some_and(|s| s < 0.25);
        let options = r
            .patterns
            .iter()
            .enumerate()
            .map(|(i, p)| view! { <option value=i.to_string()>{p.label.clone()}</option> })
            .collect_view();
        let rows = r
            .patterns
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let types = p.top_types.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>().join(", ");
                view! {
                    <tr data-pattern=i>
                        <td><span class="swatch" style=format!("background:{}", colour(i))></span></td>
                        <td class="pattern-label">{p.label.clone()}</td>
                        <td class="num">{count(p.incidents)}</td>
                        <td class="num">{percent(p.share)}</td>
                        <td class="num">{format!("{:02}:00", p.peak_hour)}</td>
                        <td class="num">{percent(p.weekend_share)}</td>
                        <td>{types}</td>
                    </tr>
                }
            })
            .collect_view();
        let hotspots = d.value.hotspots.clone();
        let hotspot_view = match hotspots {
            Some(hs) if !hs.is_empty() => {
                let report = r.clone();
                let plot = move || when_charts::hotspot_mix(&report, &hs);
                view! {
                    <div class="charts"><Chart id="chart-hotspot-times" plot=plot class="wide"/></div>
                }
                .into_any()
            }
            _ => view! {
                <p class="muted" id="hotspot-times-none">
                    "Run a clustering on the Hotspots page with the same filter to see when each hotspot is busy."
                </p>
            }
            .into_any(),
        };
        Some(view! {
            <section class="card" id="temporal-results" data-k=r.k data-run=d.job data-ms=format!("{:.0}", d.compute_ms)>
                <h2>{format!("{} temporal patterns in {} incidents", r.k, count(r.incidents))}</h2>
                {stale}
                <div class="kpis">
                    <Kpi id="temporal-kpi-k" label="Patterns" value=r.k.to_string()/>
                    <Kpi id="temporal-kpi-silhouette" label="Silhouette (exact, every incident)" value=sil gloss=Term::Silhouette/>
                    <Kpi id="temporal-kpi-cells" label="Distinct (hour, weekday, month) times" value=count(r.cells as u64)/>
                    <Kpi id="temporal-kpi-time" label="Computed in" value=format!("{:.2} s", d.compute_ms / 1000.0)/>
                </div>
                {weak.then(|| view! {
                    <p class="muted" id="temporal-weak">
                        "A silhouette this low means the hours, days and months of the incidents run into each other: \
                         the patterns summarise the calendar, they are not sharply separated groups."
                    </p>
                })}
                <table class="data" id="pattern-table">
                    <thead>
                        <tr>
                            <th></th>
                            <th>"Pattern"</th>
                            <th class="num">"Incidents"</th>
                            <th class="num">"Share"</th>
                            <th class="num">"Peak hour"</th>
                            <th class="num">"Weekend"</th>
                            <th>"Top crime types"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
                <div class="charts">
                    <Chart id="chart-pattern-hours" plot=chart(|v| when_charts::by_hour(&v.report))/>
                    <Chart id="chart-pattern-weekdays" plot=chart(|v| when_charts::by_weekday(&v.report))/>
                    <Chart id="chart-pattern-months" plot=chart(|v| when_charts::by_month(&v.report))/>
                    <Chart id="chart-temporal-sweep" plot=chart(|v| when_charts::sweep(&v.report.sweep, v.report.k))/>
                </div>
                <label class="field inline">
                    <span>"Hour × weekday of "</span>
                    <select id="pattern-pick" on:change=move |ev| chosen.set(event_target_value(&ev).parse().unwrap_or(0))>
                        {options}
                    </select>
                </label>
                <div class="charts"><Chart id="chart-pattern-heatmap" plot=heat class="wide"/></div>
                <h3>"Hotspots"</h3>
                {hotspot_view}
            </section>
        })
    }
}

fn hours(row: &PeakRow) -> String {
    row.peak_hours.iter().map(|h| format!("{h:02}:00")).collect::<Vec<_>>().join(", ")
}

fn months(row: &PeakRow) -> String {
    if row.high_risk_months.is_empty() {
        return "none stands out".into();
    }
    row.high_risk_months
        .iter()
        .map(|&m| {
            format!("{} (+{:.0} %)", MONTHS[m as usize - 1], (row.month_index[m as usize - 1] - 1.0) * 100.0)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn peak_table(id: &'static str, what: &'static str, rows: &[PeakRow], limit: usize) -> impl IntoView {
    let body = rows
        .iter()
        .take(limit)
        .map(|r| {
            view! {
                <tr>
                    <td>{r.name.clone()}</td>
                    <td class="num">{count(r.incidents)}</td>
                    <td class="num">{hours(r)}</td>
                    <td>{months(r)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data" id=id>
            <thead>
                <tr>
                    <th>{what}</th>
                    <th class="num">"Incidents"</th>
                    <th class="num">"Peak hours"</th>
                    <th>"High-risk months (incidents a day above its average)"</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </table>
    }
}

#[component]
fn Peaks() -> impl IntoView {
    let patterns = expect_context::<Temporal>();
    let slot = patterns.temporal;
    let season = move || {
        slot.result.with(|d| {
            d.as_ref()
                .map_or_else(crate::ui::charts::figure::empty, |d| when_charts::seasonality(&d.value.peaks))
        })
    };
    move || {
        let d = slot.result.get()?;
        let p = &d.value.peaks;
        Some(view! {
            <section class="card" id="peaks">
                <h2>"Peak hours and high-risk months"</h2>
                <p class="muted">
                    "Months are compared by incidents per day the data covers, so a month only partly in the data \
                     (or a short February) does not look safer than it is. Types and districts with fewer than 50 \
                     incidents are left out."
                </p>
                <div class="charts"><Chart id="chart-seasonality" plot=season class="wide"/></div>
                <h3>"By crime type"</h3>
                {peak_table("peaks-by-type", "Crime type", &p.by_type, 15)}
                <h3>"By district"</h3>
                {peak_table("peaks-by-district", "District", &p.by_district, 30)}
            </section>
        })
    }
}
