//! The Patrol page: *where should we patrol tonight?* The crime-risk grid and its hotspots, then a
//! route from a station (or a clicked point) through them, its stop list, exports and evaluation.

use leptos::prelude::*;
use patroliq_core::gloss::Term;
use patroliq_core::risk::hotspots::{self, HotspotMode};
use patroliq_core::risk::{RiskParams, ENVIRONMENT};
use patroliq_core::route::evaluate::check_reach;
use patroliq_core::route::plan::{clock, parse_clock, RouteParams, HQ, HQ_NAME};
use patroliq_core::route::travel::CONGESTION;

use patroliq_core::track::RunParams;

use super::terrain::{environment_source, LayersPanel, TerrainFactors};
use crate::download::save_text;
use crate::state::{Data, Patrolling};
use crate::ui::charts::chart::Chart;
use crate::ui::charts::patrol::{self as patrol_charts, Layer};
use crate::ui::widgets::form::{num, number_field, optional_num, run_when_ready, untouched, wire, ParamForm};
use crate::ui::widgets::format::{count, percent};
use crate::ui::widgets::gloss::Glossary;
use crate::ui::widgets::kpi::Kpi;
use crate::ui::widgets::place::place_cell;
use crate::ui::widgets::progress::{task_error, task_progress};

/// The risk form's values, as typed.
#[derive(Clone, Copy)]
struct RiskForm {
    cell: RwSignal<String>,
    half_life: RwSignal<String>,
    w_sev: RwSignal<String>,
    w_rec: RwSignal<String>,
    w_env: RwSignal<String>,
    bandwidth: RwSignal<String>,
    mode: RwSignal<String>,
    top: RwSignal<String>,
}

impl RiskForm {
    fn new() -> RiskForm {
        let s = |v: &str| RwSignal::new(v.to_string());
        RiskForm {
            cell: s("250"),
            half_life: s("90"),
            w_sev: s("0.5"),
            w_rec: s("0.3"),
            w_env: s("0.2"),
            bandwidth: s("400"),
            mode: s("areas"),
            top: s("20"),
        }
    }
}

impl ParamForm for RiskForm {
    type Params = (RiskParams, HotspotMode, usize);

    /// Puts a logged risk run's parameters in the form (re-opening it from the Experiments page).
    fn fill(&self, params: &RunParams) {
        let risk = match params {
            RunParams::Risk { params, mode, top, .. } => Some((params, *mode, *top)),
            RunParams::Route { risk: Some((params, mode, top)), .. } => Some((params, *mode, *top)),
            _ => None,
        };
        if let Some((p, mode, top)) = risk {
            self.cell.set(p.cell_m.to_string());
            self.half_life.set(p.half_life_days.to_string());
            self.w_sev.set(p.weights[0].to_string());
            self.w_rec.set(p.weights[1].to_string());
            self.w_env.set(p.weights[2].to_string());
            self.bandwidth.set(p.bandwidth_m.to_string());
            self.mode.set(
                match mode {
                    HotspotMode::Areas => "areas",
                    HotspotMode::TopCells => "top",
                    HotspotMode::GiClusters => "gi",
                }
                .into(),
            );
            self.top.set(top.to_string());
        }
    }

    fn read(&self) -> Result<(RiskParams, HotspotMode, usize), String> {
        let params = RiskParams {
            cell_m: num(self.cell, "cell size")?,
            half_life_days: num(self.half_life, "half-life")?,
            weights: [
                num(self.w_sev, "severity weight")?,
                num(self.w_rec, "recency weight")?,
                num(self.w_env, "environment weight")?,
            ],
            bandwidth_m: num(self.bandwidth, "KDE bandwidth")?,
            ..RiskParams::default()
        };
        params.clone().check().map_err(|e| e.to_string())?;
        let top: usize = num(self.top, "hotspots")?;
        hotspots::check_count(top).map_err(|e| e.to_string())?;
        let mode = match self.mode.get_untracked().as_str() {
            "gi" => HotspotMode::GiClusters,
            "top" => HotspotMode::TopCells,
            _ => HotspotMode::Areas,
        };
        Ok((params, mode, top))
    }
}

#[component]
pub fn Patrol() -> impl IntoView {
    let patrol = expect_context::<Patrolling>();
    let slot = patrol.risk;
    let form = RiskForm::new();
    let (form_error, read) = wire(form);
    let run = move || {
        if let Some((p, mode, top)) = read() {
            patrol.run_risk(p, mode, top);
        }
    };
    // Opens on the default grid (well under a second for 500k rows).
    run_when_ready(move || untouched(slot), run);
    let start = RwSignal::new((HQ.0, HQ.1, HQ_NAME.to_string()));
    // Chicago's headquarters is no start for another city's data: its riskiest hotspot is, until
    // the user clicks the map.
    let data = expect_context::<Data>();
    Effect::new(move |_| {
        let elsewhere = data.dataset.with(|d| d.as_ref().is_some_and(|d| !d.report.chicago));
        let at_hq = start.with_untracked(|s| s.2 == HQ_NAME);
        if elsewhere && at_hq {
            if let Some(h) = slot.result.with(|r| r.as_ref().and_then(|r| r.value.hotspots.first().cloned()))
            {
                start.set((
                    h.lat,
                    h.lon,
                    format!("Hotspot 1, {:.5}, {:.5} (click the map to move it)", h.lat, h.lon),
                ));
            }
        } else if !elsewhere && !at_hq && start.with_untracked(|s| s.2.starts_with("Hotspot 1,")) {
            start.set((HQ.0, HQ.1, HQ_NAME.to_string()));
        }
    });
    let field = |id, label, unit, value| number_field(id, label, unit, "", value);
    view! {
        <section class="card" id="patrol">
            <h2>"Where should we patrol tonight?"</h2>
            <div class="filter-row cluster-form">
                {field("risk-cell", "Cell size", "metres, 100–1000", form.cell)}
                {field("risk-half-life", "Recency half-life", "days", form.half_life)}
                {field("risk-w-severity", "Weight: severity", "", form.w_sev)}
                {field("risk-w-recency", "Weight: recency", "", form.w_rec)}
                {field("risk-w-environment", "Weight: environment", "", form.w_env)}
                {field("risk-bandwidth", "KDE bandwidth", "metres", form.bandwidth)}
                <label class="field">
                    <span>"Hotspots are"</span>
                    <select id="risk-mode" prop:value=move || form.mode.get() on:change=move |ev| form.mode.set(event_target_value(&ev))>
                        <option value="areas">"patrollable areas (adjacent risky cells merged, 800 m apart)"</option>
                        <option value="top">"the riskiest cells"</option>
                        <option value="gi">"significant Gi* clusters"</option>
                    </select>
                    <span class="unit"></span>
                </label>
                {field("risk-top", "How many", "1–200", form.top)}
                <button class="btn primary" id="risk-run" disabled=move || slot.busy() on:click=move |_| run()>
                    "Compute risk"
                </button>
            </div>
            <p class="muted about">
                "Each cell's score adds three parts, each scaled so the riskiest cell is 1: the severity-weighted \
                 count of incidents (FBI hierarchy), the same count with an exponential decay (weight ½ every \
                 half-life before the latest incident), and what the environment predicts — a Poisson regression \
                 of the last quarter's incidents on the places recorded in each cell (bars, gas stations, \
                 transit, shops, homes, parking, schools) in the first three quarters. The filter applies: pick \
                 a crime type, hours (20–4 is tonight) and weekdays above."
            </p>
            <LayersPanel/>
            {move || form_error.get().map(|e| view! { <p class="form-error" id="risk-form-error">{e}</p> })}
            {task_progress(slot, "risk-progress", "Computing the risk grid")}
            {task_error(slot, "risk-error", "The risk grid")}
        </section>
        <RiskResult start=start/>
        <RoutePanel start=start/>
        <RouteResult/>
    }
}

#[component]
fn RiskResult(start: RwSignal<(f64, f64, String)>) -> impl IntoView {
    let data = expect_context::<Data>();
    let patrol = expect_context::<Patrolling>();
    let slot = patrol.risk;
    let layer = RwSignal::new("score".to_string());
    let click_note = RwSignal::new(None::<String>);
    // A start must be somewhere the data has incidents, not the lake.
    let on_click = Callback::new(move |(lon, lat): (f64, f64)| {
        let inside = slot.result.with_untracked(|d| {
            d.as_ref().is_some_and(|d| {
                let m = &d.value.model;
                m.grid.cell_of_latlon(lat, lon).is_some_and(|c| m.cells.iter().any(|x| x.cell == c))
            })
        });
        if inside {
            click_note.set(None);
            start.set((lat, lon, format!("Map point {lat:.5}, {lon:.5}")));
        } else {
            click_note.set(Some(format!(
                "{lat:.4}, {lon:.4} is outside the city's grid: click where the map has colour"
            )));
        }
    });
    // The layers drawn on the map: a memo, so that a risk run's new notes on the layers (or a
    // renamed layer that is not shown) do not draw the map again.
    let shown = Memo::new(move |_| patrol.layers.shown());
    let map = move || {
        let l = Layer::parse(&layer.get());
        let (la, lo, _) = start.get();
        slot.result.with(|d| {
            d.as_ref().map_or_else(crate::ui::charts::figure::empty, |d| {
                patrol.route.result.with(|r| {
                    let route = r.as_ref().filter(|r| r.filter == d.filter).map(|r| &r.value.plan);
                    shown.with(|shown| {
                        patrol
                            .stations
                            .with(|s| patrol_charts::risk_map(&d.value, l, route, s, (la, lo), shown))
                    })
                })
            })
        })
    };
    move || {
        slot.result.get().map(|d| {
            let m = &d.value.model;
            let stale = (d.filter != data.filter.get()).then(|| {
                view! { <p class="banner warn" id="risk-stale">"The filter has changed since this grid was computed: compute again."</p> }
            });
            let env = match &m.terrain {
                Some(tm) => percent(tm.deviance_explained),
                None => m.environment.fit.as_ref().map(|f| percent(f.deviance_explained)).unwrap_or_else(|| "not fitted".into()),
            };
            let source = environment_source(m);
            view! {
                <section class="card" id="risk-result" data-run=d.job.to_string() data-ms=format!("{:.0}", d.compute_ms) data-top-lat=d.value.hotspots.first().map(|h| format!("{:.6}", h.lat))>
                    {stale}
                    <p class="muted" id="risk-env-source">{source}</p>
                    <div class="kpis">
                        <Kpi id="risk-incidents" label="incidents on the grid" value=count(m.incidents)/>
                        <Kpi id="risk-cells" label="cells in the study area" value=count(m.cells.len() as u64)
                            note=Some(format!("of {} m", m.grid.cell_m))/>
                        <Kpi id="risk-hot" label="significant hot cells" value=count(m.hot_cells as u64)
                            note=Some(format!("Gi*, FDR {}", percent(m.params.fdr_q))) gloss=Term::GiZ/>
                        <Kpi id="risk-env" label="deviance explained by the environment" value=env gloss=Term::DevianceExplained/>
                        <Kpi id="risk-seconds" label="seconds" value=format!("{:.2}", d.compute_ms / 1000.0)/>
                    </div>
                    <label class="field inline">
                        <span>"Map colours"</span>
                        <select id="risk-layer" prop:value=move || layer.get() on:change=move |ev| layer.set(event_target_value(&ev))>
                            <option value="score">"risk score"</option>
                            <option value="kde">"KDE density"</option>
                            <option value="gi">"Gi* z-score"</option>
                        </select>
                    </label>
                    {move || click_note.get().map(|n| view! { <p class="form-error" id="map-click-note">{n}</p> })}
                    <Chart id="risk-map" plot=map on_click=on_click/>
                    <HotspotTable/>
                    <TerrainFactors/>
                    <EnvironmentTable/>
                </section>
            }
        })
    }
}

#[component]
fn HotspotTable() -> impl IntoView {
    let patrol = expect_context::<Patrolling>();
    move || {
        patrol.risk.result.with(|d| {
            d.as_ref().map(|d| {
                let rows = d
                    .value
                    .hotspots
                    .iter()
                    .map(|h| {
                        view! {
                            <tr>
                                <td class="num">{h.rank}</td>
                                {place_cell(&h.place, h.lat, h.lon)}
                                <td class="num">{format!("{:.3}", h.score)}</td>
                                <td class="num">{count(h.incidents as u64)}</td>
                                <td>{h.why.clone()}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <h3>"Hotspots"</h3>
                    <table class="table" id="hotspot-table">
                        <thead><tr><th>"#"</th><th>"Where"</th><th>"Score"</th><th>"Incidents"</th><th>"Why"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <Glossary terms=&[Term::RiskScore, Term::SeverityWeighted, Term::Recency, Term::GiZ, Term::Fdr]/>
                }
            })
        })
    }
}

#[component]
fn EnvironmentTable() -> impl IntoView {
    let patrol = expect_context::<Patrolling>();
    move || {
        patrol.risk.result.with(|d| {
            let beside = d.as_ref().is_some_and(|d| d.value.model.terrain.is_some());
            d.as_ref().and_then(|d| d.value.model.environment.fit.clone()).map(|f| {
                let rows = ENVIRONMENT
                    .iter()
                    .zip(&f.coef)
                    .map(|(name, b)| {
                        view! {
                            <tr>
                                <td>{*name}</td>
                                <td class="num">{format!("{b:+.3}")}</td>
                                <td class="num">{format!("×{:.2}", 2f64.powf(*b))}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <h3>{if beside {
                        "Beside it: the location descriptions' model (not in the score while layers are used)"
                    } else {
                        "What the environment model learned"
                    }}</h3>
                    <p class="muted">
                        {format!(
                            "Poisson regression (log link) of each cell's incidents in the last quarter on ln(1 + places of \
                             each kind) in the first three quarters; {} Newton steps, {} of the deviance explained. \
                             A coefficient b means: twice as many such places, ×2^b the expected incidents.",
                            f.iterations,
                            percent(f.deviance_explained)
                        )}
                    </p>
                    <table class="table" id="environment-table">
                        <thead><tr><th>"Places"</th><th>"Coefficient"</th><th>"Twice as many"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
            })
        })
    }
}

/// The route form's values, as typed.
#[derive(Clone, Copy)]
struct RouteForm {
    stops: RwSignal<String>,
    cars: RwSignal<String>,
    shift: RwSignal<String>,
    depart: RwSignal<String>,
    dwell: RwSignal<String>,
    within: RwSignal<String>,
    network: RwSignal<bool>,
    /// Where the route starts: latitude, longitude and name (the start picker, or the map).
    start: RwSignal<(f64, f64, String)>,
}

impl ParamForm for RouteForm {
    type Params = (RouteParams, f64);

    fn fill(&self, params: &RunParams) {
        if let RunParams::Route { params: p, network, within_min, .. } = params {
            self.stops.set(p.stops.to_string());
            self.cars.set(p.cars.to_string());
            self.shift.set(p.shift_min.map(|m| m.to_string()).unwrap_or_default());
            self.depart.set(format!("{:02}:{:02}", p.depart_min / 60 % 24, p.depart_min % 60));
            self.dwell.set(p.dwell_min.to_string());
            self.within.set(within_min.to_string());
            self.network.set(*network);
            self.start.set((p.start.0, p.start.1, p.start_name.clone()));
        }
    }

    fn read(&self) -> Result<(RouteParams, f64), String> {
        let start = self.start.get_untracked();
        let depart_min = parse_clock(&self.depart.get_untracked()).ok_or("departure: a time, HH:MM")?;
        let params = RouteParams {
            start: (start.0, start.1),
            start_name: start.2,
            stops: num(self.stops, "stops")?,
            cars: num(self.cars, "cars")?,
            shift_min: optional_num(self.shift, "shift")?,
            depart_min,
            dwell_min: num(self.dwell, "minutes at each stop")?,
            seed: 42,
        };
        params.clone().check().map_err(|e| e.to_string())?;
        let within: f64 = num(self.within, "reach")?;
        check_reach(within).map_err(|e| e.to_string())?;
        Ok((params, within))
    }
}

/// The `File`s chosen in an `<input type=file>` event.
fn files_of(ev: &leptos::ev::Event) -> Vec<web_sys::File> {
    let input: web_sys::HtmlInputElement = event_target(ev);
    let files = input.files();
    let out = (0..files.as_ref().map_or(0, |f| f.length())).filter_map(|i| files.as_ref()?.get(i)).collect();
    input.set_value("");
    out
}

#[component]
fn RoutePanel(start: RwSignal<(f64, f64, String)>) -> impl IntoView {
    let patrol = expect_context::<Patrolling>();
    let slot = patrol.route;
    let s = |v: &str| RwSignal::new(v.to_string());
    let form = RouteForm {
        stops: s("20"),
        cars: s("1"),
        shift: s(""),
        depart: s("20:00"),
        dwell: s(&patroliq_core::route::plan::DWELL_MIN.to_string()),
        within: s("2"),
        network: RwSignal::new(false),
        start,
    };
    let (form_error, read) = wire(form);
    let run = move || {
        if let Some((p, within)) = read() {
            let network = form.network.get_untracked() && patrol.network.get_untracked().is_some();
            patrol.run_route(p, network, within);
        }
    };
    let pick_start = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        if v == "hq" {
            start.set((HQ.0, HQ.1, HQ_NAME.to_string()));
        } else if let Some(i) = v.strip_prefix('s').and_then(|i| i.parse::<usize>().ok()) {
            if let Some(st) = patrol.stations.with_untracked(|s| s.get(i).cloned()) {
                start.set((st.lat, st.lon, st.label()));
            }
        }
    };
    let on_stations = move |ev: leptos::ev::Event| {
        let files = files_of(&ev);
        if !files.is_empty() {
            patrol.load_patrol_files(files, false);
        }
    };
    let on_network = move |ev: leptos::ev::Event| {
        let files = files_of(&ev);
        if files.len() == 2 {
            patrol.load_patrol_files(files, true);
        } else if !files.is_empty() {
            patrol
                .files_error
                .set(Some("choose both files of the road network at once: nodes and links".into()));
        }
    };
    let field = |id, label, unit, value| number_field(id, label, unit, "", value);
    let ready = move || patrol.risk.result.with(Option::is_some) && !slot.busy();
    let data = expect_context::<Data>();
    let chicago = move || data.dataset.with(|d| d.as_ref().is_none_or(|d| d.report.chicago));
    view! {
        <section class="card" id="route-panel">
            <h2>"Patrol route"</h2>
            <div class="filter-row cluster-form">
                <label class="field">
                    <span>"Start and end"</span>
                    <select id="route-start" on:change=pick_start>
                        <option value="hq">
                            {move || if chicago() { HQ_NAME.to_string() } else { format!("{HQ_NAME} (Chicago only)") }}
                        </option>
                        {move || {
                            patrol
                                .stations
                                .get()
                                .iter()
                                .enumerate()
                                .map(|(i, s)| view! { <option value=format!("s{i}")>{s.label()}</option> })
                                .collect_view()
                        }}
                    </select>
                    <span class="unit" id="route-start-name">{move || start.get().2}</span>
                </label>
                <label class="field">
                    <span>"Police stations CSV"</span>
                    <input type="file" id="stations-file" accept=".csv,text/csv" on:change=on_stations/>
                    <span class="unit">{move || {
                        let n = patrol.stations.with(Vec::len);
                        if n > 0 {
                            format!("{n} stations loaded")
                        } else if chicago() {
                            "the portal's \"Police Stations\" export".to_string()
                        } else {
                            "a CSV of this city's stations (name, latitude, longitude), or click the map".to_string()
                        }
                    }}</span>
                </label>
                <label class="field">
                    <span>"Road network (TNTP nodes + links)"</span>
                    <input type="file" id="network-files" multiple=true accept=".csv,.gz" on:change=on_network/>
                    <span class="unit" id="network-status">{move || match patrol.network.get() {
                        Some(n) => format!("{} nodes, {} links loaded", count(n.routable_nodes as u64), count(n.links as u64)),
                        None => "optional: the street grid otherwise".into(),
                    }}</span>
                </label>
                <label class="field checkbox">
                    <input type="checkbox" id="route-network" prop:checked=move || form.network.get()
                        disabled=move || patrol.network.with(Option::is_none)
                        on:change=move |ev| form.network.set(event_target_checked(&ev))/>
                    <span>"Drive on the road network"</span>
                </label>
            </div>
            <div class="filter-row cluster-form">
                {field("route-stops", "Hotspots to visit", "the riskiest first", form.stops)}
                {field("route-cars", "Cars", "1–10", form.cars)}
                {field("route-shift", "Shift", "minutes; empty: visit all", form.shift)}
                <label class="field">
                    <span>"Departure"</span>
                    <input type="time" id="route-depart" prop:value=move || form.depart.get()
                        on:input=move |ev| form.depart.set(event_target_value(&ev))/>
                    <span class="unit">{move || {
                        let h = form.depart.get().split(':').next().and_then(|h| h.parse::<usize>().ok()).unwrap_or(0) % 24;
                        format!("traffic ×{:.2}", CONGESTION[h])
                    }}</span>
                </label>
                {field("route-dwell", "At each stop", "minutes", form.dwell)}
                {field("route-within", "Reach", "minutes, for the evaluation", form.within)}
                <button class="btn primary" id="route-run" disabled=move || !ready() on:click=move |_| run()>
                    "Plan the route"
                </button>
            </div>
            <p class="muted about">
                "The route leaves the start, visits the hotspots and comes back, in the order with the shortest \
                 driving time (iterated 2-opt / Or-opt local search; within 1 % of OR-Tools on the test set). \
                 With a shift, it visits the riskiest hotspots it can fit; with several cars, they share them. \
                 Without a road network, cars drive Chicago's north–south / east–west grid at 40 km/h free flow, \
                 slowed by the hour's traffic (×1.7 at 17:00). Click the map to start from any point."
            </p>
            {move || form_error.get().map(|e| view! { <p class="form-error" id="route-form-error">{e}</p> })}
            {move || patrol.files_error.get().map(|e| view! { <p class="form-error" id="files-error">{e}</p> })}
            {task_progress(slot, "route-progress", "Planning the route")}
            {task_error(slot, "route-error", "The route")}
        </section>
    }
}

#[component]
fn RouteResult() -> impl IntoView {
    let patrol = expect_context::<Patrolling>();
    let slot = patrol.route;
    let eval_chart = move || {
        slot.result.with(|d| {
            d.as_ref().map_or_else(crate::ui::charts::figure::empty, |d| {
                patrol_charts::evaluation(&d.value.evaluation)
            })
        })
    };
    move || {
        slot.result.get().map(|d| {
            let v = d.value.clone();
            let p = &v.plan;
            let depart = p.params.depart_min;
            let dwell = p.params.dwell_min;
            let unvisited = (!p.unvisited.is_empty()).then(|| {
                view! {
                    <p class="banner warn" id="route-unvisited">
                        {format!("{} hotspots do not fit in the shift: #{}", p.unvisited.len(),
                            p.unvisited.iter().map(usize::to_string).collect::<Vec<_>>().join(", #"))}
                    </p>
                }
            });
            let cars = p
                .cars
                .iter()
                .map(|c| {
                    let rows = c
                        .visits
                        .iter()
                        .enumerate()
                        .map(|(i, s)| {
                            view! {
                                <tr>
                                    <td class="num">{i + 1}</td>
                                    <td class="num">{format!("#{}", s.rank)}</td>
                                    {place_cell(&s.place, s.lat, s.lon)}
                                    <td class="num">{clock(depart, s.eta_s)}</td>
                                    <td class="num">{format!("{:.0} min", dwell)}</td>
                                    <td class="num">{format!("{:.3}", s.score)}</td>
                                </tr>
                            }
                        })
                        .collect_view();
                    view! {
                        <h3>{format!("Car {}: {} stops, {:.1} km, {:.0} min driving, back at {}", c.car, c.visits.len(),
                            c.distance_m / 1000.0, c.travel_time_s / 60.0, clock(depart, c.duration_s))}</h3>
                        <table class="table route-stops" id=format!("route-stops-{}", c.car)>
                            <thead><tr><th>"Stop"</th><th>"Hotspot"</th><th>"Where"</th><th>"Arrive"</th><th>"Stay"</th><th>"Score"</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    }
                })
                .collect_view();
            let e = &v.evaluation;
            let eval_rows = e
                .rows
                .iter()
                .map(|r| {
                    view! {
                        <tr>
                            <td>{r.route.clone()}</td>
                            <td class="num">{clock(r.depart_min, 0.0)}</td>
                            <td class="num">{format!("{:.1}", r.distance_m / 1000.0)}</td>
                            <td class="num">{format!("{:.0}", r.travel_time_s / 60.0)}</td>
                            <td class="num">{format!("{:.3}", r.risk_per_min)}</td>
                            <td class="num">{percent(r.covered)}</td>
                        </tr>
                    }
                })
                .collect_view();
            let (gpx, geojson, csv) = (v.gpx.clone(), v.geojson.clone(), v.csv.clone());
            let visited = p.cars.iter().map(|c| c.visits.len()).sum::<usize>().to_string();
            let visited_kpi = visited.clone();
            let save = |name: &'static str, mime: &'static str, text: String| {
                move |_| {
                    if let Err(e) = save_text(name, mime, &text) {
                        leptos::logging::error!("download {name}: {e:?}");
                    }
                }
            };
            view! {
                <section class="card" id="route-result" data-run=d.job.to_string() data-ms=format!("{:.0}", d.compute_ms) data-distance=format!("{:.1}", p.distance_m) data-stops=visited.clone()>
                    <div class="kpis">
                        <Kpi id="route-distance" label="km driven" value=format!("{:.1}", p.distance_m / 1000.0)/>
                        <Kpi id="route-time" label="minutes driving" value=format!("{:.0}", p.travel_time_s / 60.0)
                            note=Some(format!("leaving {} on the {}", clock(depart, 0.0), p.model))/>
                        <Kpi id="route-visits" label="hotspots visited" value=visited_kpi/>
                        <Kpi id="route-risk" label="risk collected per minute" value=format!("{:.3}", p.risk_per_min())/>
                    </div>
                    {unvisited}
                    <div class="actions">
                        <button class="btn" id="download-gpx" on:click=save("patroliq-route.gpx", "application/gpx+xml", gpx)>"Download GPX"</button>
                        <button class="btn" id="download-geojson" on:click=save("patroliq-route.geojson", "application/geo+json", geojson)>"GeoJSON"</button>
                        <button class="btn" id="download-csv" on:click=save("patroliq-route.csv", "text/csv", csv)>"Waypoints CSV"</button>
                    </div>
                    {cars}
                    <h3>"Evaluation"</h3>
                    <p class="muted">{format!(
                        "The same hotspots, optimised vs visited in rank order (naive), at other departure times. \
                         Reach: the share of the filter's {} crimes within {} minutes' drive of the route.",
                        count(e.crimes), e.within_min)}</p>
                    <Chart id="route-eval-chart" plot=eval_chart/>
                    <table class="table" id="route-eval">
                        <thead><tr><th>"Route"</th><th>"Leaves"</th><th>"km"</th><th>"Minutes"</th><th>"Risk / min"</th><th>"Crimes within reach"</th></tr></thead>
                        <tbody>{eval_rows}</tbody>
                    </table>
                </section>
            }
        })
    }
}
