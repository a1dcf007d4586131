//! The home page, tonight's briefing: where to patrol, when crimes happen and which
//! neighbourhoods are high-risk for the coming shift, computed as soon as data is loaded, with
//! the data's key figures, what moved in the last four weeks, and a way to every page.

use leptos::prelude::*;
use patroliq_core::areas::{title_case, AreaKind};
use patroliq_core::briefing::{AreaRisk, Briefing, BriefingParams, Shift};

use crate::location::Page;
use crate::state::{Briefings, Data, Maps};
use crate::ui::charts::chart::{Chart, Picked};
use crate::ui::charts::figure::{self, WEEKDAYS};
use crate::ui::charts::map as map_charts;
use crate::ui::widgets::form::{num, number_field};
use crate::ui::widgets::format::{count, date_range, percent, signed_percent};
use crate::ui::widgets::handout::{PrintButton, RouteStops};
use crate::ui::widgets::kpi::Kpi;
use crate::ui::widgets::place::place_cell;
use crate::ui::widgets::progress::{task_error, task_progress};
use crate::ui::widgets::track_record::Candidates;

/// Tonight: the current weekday, 20:00 for eight hours.
fn tonight() -> Shift {
    let js_day = js_sys::Date::new_0().get_day() as u8; // 0 = Sunday
    Shift { weekday: (js_day + 6) % 7, start_hour: 20, hours: 8 }
}

/// "▲ +12 %" in red (up is worse), "▼ −8 %" in green.
fn trend(c: Option<f64>) -> impl IntoView {
    let (arrow, class) = match c {
        Some(c) if c > 0.005 => ("▲ ", "trend up"),
        Some(c) if c < -0.005 => ("▼ ", "trend down"),
        _ => ("", "trend"),
    };
    view! { <span class=class>{arrow}{signed_percent(c)}</span> }
}

#[component]
pub fn Home() -> impl IntoView {
    let data = expect_context::<Data>();
    let briefings = expect_context::<Briefings>();
    let slot = briefings.briefing;
    let shift = RwSignal::new(slot.result.get_untracked().map(|d| d.value.shift).unwrap_or_else(tonight));
    let start = RwSignal::new(shift.get_untracked().start_hour.to_string());
    let hours = RwSignal::new(shift.get_untracked().hours.to_string());
    let form_error = RwSignal::new(None::<String>);

    // Brief as soon as there is data, and again when the data, the filter or the shift change
    // (not when the page is merely revisited: the last briefing is kept).
    slot.keep_fresh(
        move || {
            let epoch = data.data_epoch.get();
            data.dataset.with(Option::is_some).then(|| (epoch, data.filter.get(), shift.get()))
        },
        |d, (_, filter, shift)| d.filter == *filter && d.value.shift == *shift,
        move |(_, _, shift)| briefings.run_briefing(BriefingParams { shift, ..BriefingParams::default() }),
    );

    let apply = move |_| {
        let read = || -> Result<Shift, String> {
            let s = Shift {
                weekday: shift.get_untracked().weekday,
                start_hour: num(start, "start hour")?,
                hours: num(hours, "hours")?,
            };
            BriefingParams { shift: s, ..BriefingParams::default() }.check().map_err(|e| e.to_string())?;
            Ok(s)
        };
        match read() {
            Ok(s) => {
                form_error.set(None);
                if s == shift.get_untracked() {
                    briefings.run_briefing(BriefingParams { shift: s, ..BriefingParams::default() });
                } else {
                    shift.set(s);
                }
            }
            Err(e) => form_error.set(Some(e)),
        }
    };
    let on_day = move |ev| {
        if let Ok(d) = event_target_value(&ev).parse::<u8>() {
            shift.update(|s| s.weekday = d);
        }
    };
    let title = move || {
        slot.result.with(|r| r.as_ref().map(|d| d.value.label.clone())).unwrap_or_else(|| shift.get().label())
    };
    view! {
        <section class="card home" id="home">
            <h2>"Tonight's briefing — " <span id="home-shift">{title}</span></h2>
            <div class="filter-row cluster-form">
                <label class="field">
                    <span>"Day"</span>
                    <select id="home-day" on:change=on_day prop:value=move || shift.get().weekday.to_string()>
                        {(0..7u8)
                            .map(|d| view! { <option value=d.to_string()>{WEEKDAYS[d as usize]}</option> })
                            .collect_view()}
                    </select>
                    <span class="unit">"the shift starts"</span>
                </label>
                {number_field("home-start", "Starts at", "hour, 0–23", "", start)}
                {number_field("home-hours", "Length", "hours", "", hours)}
                <button class="btn primary" id="home-run" disabled=move || slot.busy() || data.dataset.with(Option::is_none)
                    on:click=apply>
                    "Brief me"
                </button>
                <PrintButton/>
            </div>
            {move || form_error.get().map(|e| view! { <p class="form-error" id="home-form-error">{e}</p> })}
            {task_progress(slot, "home-progress", "Preparing the briefing")}
            {task_error(slot, "home-error", "The briefing")}
            <KeyFigures/>
        </section>
        <BriefingResult/>
        <PageTiles/>
    }
}

/// The loaded data's key figures and the briefing's headline numbers.
#[component]
fn KeyFigures() -> impl IntoView {
    let data = expect_context::<Data>();
    let briefings = expect_context::<Briefings>();
    move || {
        let eda = data.analysis.get().map(|a| a.eda);
        let b = briefings.briefing.result.get().map(|d| d.value);
        eda.map(|e| {
            let range = date_range(&e);
            let top: Vec<String> = e.types.iter().take(3).map(|t| title_case(&t.primary_type)).collect();
            let four = b.as_ref().map(|b| b.four_weeks.clone());
            view! {
                <div class="kpis" id="home-kpis">
                    <Kpi id="home-rows" label="Incidents" value=count(e.rows)/>
                    <Kpi id="home-range" label="Date range" value=range/>
                    <Kpi id="home-arrest" label="Arrest rate" value=e.arrest_rate.map_or("–".into(), percent)/>
                    <Kpi id="home-top-types" label="Top types" value=top.join(", ")/>
                    {b.as_ref().filter(|b| b.emptied_by.is_none()).map(|b| view! {
                        <Kpi id="home-expected" label="Expected this shift" value=format!("{:.0}", b.expected_total)
                            note=Some(format!("from {} past {}s", b.shifts_seen, WEEKDAYS[b.shift.weekday as usize]))/>
                    })}
                    {four.filter(|f| !f.as_of.is_empty()).map(|f| view! {
                        <Kpi id="home-4w" label="Last 4 weeks" value=count(f.last)
                            note=Some(format!("{} vs the 4 before (to {})", signed_percent(f.change), f.as_of))/>
                        <Kpi id="home-4w-arrests" label="Arrests, last 4 weeks" value=count(f.arrests_last)
                            note=Some(format!("{} before", count(f.arrests_previous)))/>
                    })}
                </div>
            }
        })
    }
}

fn area_label(kind: AreaKind, a: &AreaRisk) -> String {
    match (&a.name, kind) {
        (Some(n), _) => n.clone(),
        (None, AreaKind::District) => format!("District {}", a.id),
        (None, _) => format!("Area {}", a.id),
    }
}

fn area_table(id: &'static str, kind: AreaKind, list: &[AreaRisk], n: usize) -> impl IntoView {
    let rows = list
        .iter()
        .take(n)
        .enumerate()
        .map(|(i, a)| {
            view! {
                <tr data-id=a.id.to_string()>
                    <td>{i + 1}</td>
                    <td class="name">{area_label(kind, a)}</td>
                    <td class="num per-shift">{format!("{:.1}", a.per_shift)}</td>
                    <td class="num">{count(a.last_4_weeks)}</td>
                    <td class="num">{trend(a.change)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data" id=id>
            <thead><tr><th>"#"</th><th>{if kind == AreaKind::District { "District" } else { "Community area" }}</th>
                <th class="num">"Per shift"</th><th class="num">"Last 4 weeks"</th><th class="num">"vs 4 before"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
fn BriefingResult() -> impl IntoView {
    let maps = expect_context::<Maps>();
    let briefings = expect_context::<Briefings>();
    let view_of = Memo::new(move |_| briefings.briefing.result.get().map(|d| (d.job, d.compute_ms)));
    move || {
        view_of.get().map(|(job, ms)| {
            let b = move || briefings.briefing.result.with(|d| d.as_ref().map(|d| d.value.clone()));
            let Some(now) = b() else { return view! { <div></div> }.into_any() };
            if let Some(chips) = now.emptied_by.clone() {
                return view! { <Emptied chips=chips shift=now.shift/> }.into_any();
            }
            let outlines = move || {
                maps.boundaries.with(|all| {
                    all.iter()
                        .find(|x| x.kind == AreaKind::CommunityArea)
                        .or_else(|| all.iter().find(|x| x.kind == AreaKind::District))
                        .map(|x| x.outlines.clone())
                })
            };
            let map = move || b().map_or_else(figure::empty, |b| map_charts::briefing_map(&b, outlines().as_deref()));
            let bars = move || b().map_or_else(figure::empty, |b| map_charts::shift_hours(&b));
            // A hotspot tapped on the map or picked in its table: its details under the map.
            let picked = RwSignal::new(None::<Picked>);
            view! {
                <div class="briefing-grid" id="briefing" data-run=job.to_string()
                    data-ms=format!("{ms:.0}")>
                    <section class="card">
                        <h3>"Where to patrol"</h3>
                        {stale_note(&now.four_weeks.as_of)}
                        {now.track_record.as_ref().map(|r| view! {
                            <p id="home-track-record" data-method=r.method.key()>
                                {r.sentence.clone()}
                                <span class="muted">{format!(" Hotspots from {}, the best record of {} forecasts on those shifts. ", r.label, r.candidates.len())}</span>
                                <a href="#backtest">"See the rolling back-test →"</a>
                            </p>
                            <Candidates record=r.clone()/>
                        })}
                        <Chart id="home-map" plot=map picked=picked/>
                        <RouteLine b=now.clone()/>
                        <RouteStops b=now.clone()/>
                        <HotspotTable b=now.clone() picked=picked/>
                    </section>
                    <section class="card">
                        <h3>"When"</h3>
                        <Chart id="home-hours-chart" plot=bars/>
                        <p id="home-peaks">
                            "Peak hours: "
                            <strong>{now.peak_hours.iter().map(|h| format!("{h:02}:00")).collect::<Vec<_>>().join(", ")}</strong>
                            {format!(" — {:.0} incidents expected in the shift ({} in the history of {} shifts).",
                                now.expected_total, count(now.shift_incidents), now.shifts_seen)}
                        </p>
                        {now.peak_hours.contains(&0).then(|| view! {
                            <p class="muted">"00:00 includes incidents whose time of day is unknown: the portal dates them at midnight."</p>
                        })}
                        <Movers b=now.clone()/>
                    </section>
                    <section class="card">
                        <h3>"Which neighbourhoods"</h3>
                        <p class="muted">"Ranked by the incidents each can expect in this shift; trend: last 4 weeks against the 4 before (all hours)."</p>
                        {area_table("home-areas", AreaKind::CommunityArea, &now.community_areas, 10)}
                        {area_table("home-districts", AreaKind::District, &now.districts, 5)}
                        {now.reconcile.clone().map(|r| view! { <p class="note" id="home-reconcile">{r}</p> })}
                        <p class="more"><a href="#heatmaps">"Map the areas and their rates →"</a></p>
                    </section>
                </div>
            }
            .into_any()
        })
    }
}

/// The briefing a filter left without incidents: which of its conditions did, and one click to
/// clear them (instead of "0 expected" and blank charts).
#[component]
fn Emptied(chips: Vec<patroliq_core::filter::Chip>, shift: Shift) -> impl IntoView {
    let data = expect_context::<crate::state::Data>();
    let keys: Vec<String> = chips.iter().map(|c| c.key.clone()).collect();
    let text = patroliq_core::briefing::emptied_sentence(&chips, &shift);
    let clear = move |_| {
        let mut f = data.filter.get_untracked();
        for k in &keys {
            f = f.without(k);
        }
        data.set_filter(f);
    };
    let any = !chips.is_empty();
    view! {
        <div class="banner warn" id="home-emptied" role="alert">
            <p>{text}</p>
            {any.then(|| view! {
                <p>
                    <button class="btn primary" id="home-emptied-clear" on:click=clear>
                        {if chips.len() == 1 { "Clear this filter" } else { "Clear these filters" }}
                    </button>
                    " or pick another day or hours above."
                </p>
            })}
        </div>
    }
}

/// Days from the data's last day to today, when it is more than two weeks: "tonight" is then a
/// typical shift of that history, not a forecast for the coming night, and the page says so.
fn stale_note(as_of: &str) -> Option<impl IntoView> {
    let last = js_sys::Date::parse(&format!("{as_of}T00:00:00Z"));
    if !last.is_finite() {
        return None;
    }
    let days = ((js_sys::Date::now() - last) / 86_400_000.0).floor();
    (days > 14.0).then(|| {
        view! {
            <p class="banner warn" id="home-stale">
                {format!(
                    "The data ends on {as_of}, {} days before today: this is a typical shift of that history, \
                     not a forecast for tonight. Load recent records for tonight's patrol.",
                    count(days as u64)
                )}
            </p>
        }
    })
}

#[component]
fn RouteLine(b: Briefing) -> impl IntoView {
    match (&b.route, &b.route_error) {
        (Some(r), _) => {
            let stops: usize = r.cars.iter().map(|c| c.visits.len()).sum();
            view! {
                <p id="home-route">
                    "Route from " <strong>{r.params.start_name.clone()}</strong>
                    {format!(": {stops} hotspots, {:.1} km, about {:.0} min of driving at {:02}:00 ({}), {:.0} min at each stop. ",
                        r.distance_m / 1000.0, r.travel_time_s / 60.0, b.shift.start_hour, r.model, r.params.dwell_min)}
                    <a href="#patrol">"Plan it in detail →"</a>
                </p>
            }
            .into_any()
        }
        (None, e) => {
            view! { <p id="home-route" class="muted">{e.clone().unwrap_or_default()}</p> }.into_any()
        }
    }
}

/// A hotspot in words, as its point on the map says it on hover.
fn hotspot_lines(b: &Briefing, h: &patroliq_core::risk::hotspots::Hotspot) -> Vec<String> {
    let mut lines = vec![
        format!("Hotspot #{}: {}", h.rank, h.place.label()),
        format!("{:.1} incidents per shift", h.incidents as f64 / b.shifts_seen.max(1) as f64),
        h.why.clone(),
    ];
    if let Some(r) = &b.route {
        if let Some(v) = r.cars.iter().flat_map(|c| &c.visits).find(|v| v.rank == h.rank) {
            lines.push(format!(
                "route: arrive {}",
                patroliq_core::route::plan::clock(r.params.depart_min, v.eta_s)
            ));
        }
    }
    lines.push(format!("{:.4}, {:.4}", h.lat, h.lon));
    lines
}

#[component]
fn HotspotTable(b: Briefing, picked: RwSignal<Option<Picked>>) -> impl IntoView {
    let seen = b.shifts_seen.max(1) as f64;
    let rows = b
        .hotspots
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let lines = hotspot_lines(&b, h);
            let pick = move || {
                picked.set(Some(Picked { trace: "hotspots".into(), index: i as i32, lines: lines.clone() }))
            };
            let on_key = {
                let pick = pick.clone();
                move |ev: web_sys::KeyboardEvent| {
                    if ev.key() == "Enter" || ev.key() == " " {
                        ev.prevent_default();
                        pick();
                    }
                }
            };
            view! {
                <tr class="pickable" tabindex="0" title="Show its details under the map"
                    on:click=move |_| pick() on:keydown=on_key>
                    <td>{h.rank}</td>
                    <td class="num">{format!("{:.1}", h.incidents as f64 / seen)}</td>
                    <td class="num">{format!("{:.3}", h.score)}</td>
                    {place_cell(&h.place, h.lat, h.lon)}
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data" id="home-hotspots">
            <thead><tr><th>"#"</th><th class="num">"Incidents per shift"</th>
                <th class="num">{if b.track_record.is_some() { "Weight (1 ÷ rank)" } else { "Risk" }}</th><th>"Where"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
fn Movers(b: Briefing) -> impl IntoView {
    let f = b.four_weeks;
    let rows = f
        .movers
        .iter()
        .map(|m| {
            view! {
                <tr>
                    <td>{title_case(&m.primary_type)}</td>
                    <td class="num">{count(m.last_4_weeks)}</td>
                    <td class="num">{count(m.previous_4_weeks)}</td>
                    <td class="num">{trend(m.change)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h4>{format!("What moved in the last 4 weeks (to {})", f.as_of)}</h4>
        <table class="data" id="home-movers">
            <thead><tr><th>"Type"</th><th class="num">"Last 4 weeks"</th><th class="num">"4 before"</th><th class="num">"Change"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// Large links to every page: the tabs are small on a tablet.
#[component]
fn PageTiles() -> impl IntoView {
    let about = |p: Page| match p {
        Page::Home => "",
        Page::Overview => "Load data; key figures and the cleaning report",
        Page::Explore => "Crime types, hourly, weekday and monthly trends, arrest and domestic rates",
        Page::Hotspots => "Hotspot clustering: K-Means, DBSCAN, hierarchical, HDBSCAN",
        Page::When => "Temporal patterns by hour, weekday and month",
        Page::Shape => "PCA with loadings, t-SNE and UMAP maps",
        Page::Heatmaps => "Density heatmaps over time; areas by rate",
        Page::Patrol => "Risk grid, hotspots and patrol routes",
        Page::Backtest => "Would last period's hotspots have caught this period's crimes?",
        Page::Features => "The 22+ engineered features, exportable",
        Page::Experiments => "Every analysis run logged: compare, re-open, export, push to MLflow",
        Page::Bench => "Time the whole pipeline on this dataset",
    };
    view! {
        <nav class="page-tiles" id="home-nav" aria-label="Every page">
            {Page::TABS
                .into_iter()
                .filter(|p| *p != Page::Home)
                .map(|p| view! {
                    <a class="tile" href=format!("#{}", p.slug()) id=format!("tile-{}", p.slug())>
                        <strong>{p.title()}</strong>
                        <span>{about(p)}</span>
                    </a>
                })
                .collect_view()}
        </nav>
    }
}
