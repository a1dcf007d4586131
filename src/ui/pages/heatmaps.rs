//! The Geographic heatmaps page: where incidents concentrate (KDE or counts per km²), animated by
//! month or hour of day, and the choropleth of community areas, districts or beats from a
//! boundary file (picked, or fetched from the Chicago Data Portal) with rates per area and km².

use std::time::Duration;

use leptos::prelude::*;
use patroliq_core::areas::AreaKind;
use patroliq_core::density::{DensityMethod, DensityParams, Frames};
use wasm_bindgen::JsCast;

use crate::state::{Data, Maps};
use crate::ui::charts::chart::Chart;
use crate::ui::charts::figure;
use crate::ui::charts::map::{self as map_charts, Measure};
use crate::ui::widgets::form::{num, number_field, wire, ParamForm};
use crate::ui::widgets::format::{count, percent, signed_percent};
use crate::ui::widgets::kpi::Kpi;
use crate::ui::widgets::progress::{task_error, task_progress};

/// The portal's boundary datasets (current boundaries), by kind.
const PORTAL_SETS: [(AreaKind, &str, &str); 3] = [
    (AreaKind::CommunityArea, "cauq-8yn6", "community areas"),
    (AreaKind::District, "fthy-xz3r", "police districts"),
    (AreaKind::Beat, "aerh-rz74", "police beats"),
];
const PORTAL_GEOSPATIAL: &str = "https://data.cityofchicago.org/api/geospatial/";

fn kind_slug(k: AreaKind) -> &'static str {
    match k {
        AreaKind::CommunityArea => "community_area",
        AreaKind::District => "district",
        AreaKind::Beat => "beat",
    }
}

fn kind_of(s: &str) -> Option<AreaKind> {
    [AreaKind::CommunityArea, AreaKind::District, AreaKind::Beat].into_iter().find(|k| kind_slug(*k) == s)
}

#[derive(Clone, Copy)]
struct Form {
    method: RwSignal<String>,
    bandwidth: RwSignal<String>,
    cell: RwSignal<String>,
    frames: RwSignal<String>,
}

impl ParamForm for Form {
    type Params = DensityParams;

    fn read(&self) -> Result<DensityParams, String> {
        let p = DensityParams {
            method: if self.method.get_untracked() == "counts" {
                DensityMethod::Counts
            } else {
                DensityMethod::Kde
            },
            bandwidth_m: num(self.bandwidth, "bandwidth")?,
            cell_m: num(self.cell, "cell size")?,
            frames: match self.frames.get_untracked().as_str() {
                "hour" => Frames::Hour,
                "none" => Frames::None,
                _ => Frames::Month,
            },
        };
        p.clone().check().map_err(|e| e.to_string())?;
        Ok(p)
    }
}

#[component]
pub fn Heatmaps() -> impl IntoView {
    let data = expect_context::<Data>();
    let maps = expect_context::<Maps>();
    let slot = maps.density;
    let s = |v: &str| RwSignal::new(v.to_string());
    let form = Form { method: s("kde"), bandwidth: s("400"), cell: s("300"), frames: s("month") };
    let (form_error, read) = wire(form);
    // Computed once data is there and again for a new filter; parameters change on "Draw".
    slot.keep_fresh(
        move || {
            let epoch = data.data_epoch.get();
            data.dataset.with(Option::is_some).then(|| (epoch, data.filter.get()))
        },
        |d, (_, filter)| d.filter == *filter,
        move |_| {
            if let Ok(p) = form.read() {
                maps.run_density(p);
            }
        },
    );
    let run = move |_| {
        if let Some(p) = read() {
            maps.run_density(p);
        }
    };
    let select = |id: &'static str,
                  label: &'static str,
                  v: RwSignal<String>,
                  options: &'static [(&str, &str)]| {
        view! {
            <label class="field">
                <span>{label}</span>
                <select id=id prop:value=move || v.get() on:change=move |ev| v.set(event_target_value(&ev))>
                    {options.iter().map(|(k, t)| view! { <option value=*k>{*t}</option> }).collect_view()}
                </select>
                <span class="unit"></span>
            </label>
        }
    };
    view! {
        <section class="card" id="heatmaps">
            <h2>"Where do incidents concentrate, and when?"</h2>
            <p class="muted about">
                "Incidents per km² of the filtered rows (use the filter above for a crime type or hours of the day): \
                 a kernel density estimate, whose bandwidth sets how far each incident's weight spreads, or the raw \
                 count per cell. The slider steps through months or hours of the day on one colour scale."
            </p>
            <div class="filter-row cluster-form">
                {select("hm-method", "Surface", form.method, &[("kde", "KDE (smooth)"), ("counts", "Counts per cell")])}
                {number_field("hm-bandwidth", "Bandwidth", "metres (KDE)", "", form.bandwidth)}
                {number_field("hm-cell", "Cell size", "metres, 100–1000", "", form.cell)}
                {select("hm-frames", "Animate by", form.frames, &[("month", "Month"), ("hour", "Hour of day"), ("none", "No animation")])}
                <button class="btn primary" id="hm-run" disabled=move || slot.busy() || data.dataset.with(Option::is_none) on:click=run>
                    "Draw"
                </button>
            </div>
            {move || form_error.get().map(|e| view! { <p class="form-error" id="hm-form-error">{e}</p> })}
            {task_progress(slot, "hm-progress", "Computing the density")}
            {task_error(slot, "hm-error", "The heatmap")}
            <DensityResult/>
        </section>
        <AreasSection/>
    }
}

#[component]
fn DensityResult() -> impl IntoView {
    let maps = expect_context::<Maps>();
    let slot = maps.density;
    // 0 = every row; 1… = the frames.
    let frame = RwSignal::new(0usize);
    let playing = RwSignal::new(false);
    let timer = StoredValue::new(None::<IntervalHandle>);
    let stop = move || {
        playing.set(false);
        // Also called on cleanup and from the interval, possibly after the page is disposed.
        if let Some(h) = timer.try_get_value().flatten() {
            h.clear();
            timer.try_set_value(None);
        }
    };
    on_cleanup(stop);
    let run = Memo::new(move |_| slot.result.with(|r| r.as_ref().map(|d| d.job)));
    Effect::new(move |_| {
        run.track();
        frame.set(0);
        stop();
    });
    let frames = move || slot.result.with(|r| r.as_ref().map_or(0, |d| d.value.frames.len()));
    let toggle = move |_| {
        if playing.get_untracked() {
            return stop();
        }
        let n = frames();
        if n == 0 {
            return;
        }
        playing.set(true);
        let step = move || frame.update(|f| *f = if *f >= n { 1 } else { *f + 1 });
        step();
        if let Ok(h) = set_interval_with_handle(step, Duration::from_millis(900)) {
            timer.set_value(Some(h));
        }
    };
    let overlay = RwSignal::new(String::from("community_area"));
    let outlines = move || {
        let k = kind_of(&overlay.get());
        maps.boundaries.with(|all| all.iter().find(|b| Some(b.kind) == k).map(|b| b.outlines.clone()))
    };
    let figure = move || {
        let o = outlines();
        slot.result.with(|r| {
            r.as_ref().map_or_else(figure::empty, |d| {
                let v = &d.value;
                let f = frame.get();
                match f.checked_sub(1).and_then(|i| v.frames.get(i)) {
                    Some(fr) => map_charts::density_map(v, fr, v.frame_max, o.as_deref()),
                    None => map_charts::density_map(v, &v.all, v.all_max, o.as_deref()),
                }
            })
        })
    };
    let shown = move || {
        slot.result.with(|r| {
            r.as_ref().map(|d| {
                let v = &d.value;
                let f = frame.get();
                let fr = f.checked_sub(1).and_then(|i| v.frames.get(i)).unwrap_or(&v.all);
                (fr.label.clone(), fr.incidents, fr.peak, d.compute_ms, v.unlocated)
            })
        })
    };
    move || {
        shown().map(|(label, incidents, peak, ms, unlocated)| {
            let n = frames();
            view! {
                <div id="hm-result" data-run=run.get().unwrap_or_default().to_string() data-frame=frame.get().to_string()>
                    <div class="kpis">
                        <Kpi id="hm-frame" label="Showing" value=label/>
                        <Kpi id="hm-incidents" label="Incidents on the map" value=count(incidents)
                            note=(unlocated > 0).then(|| format!("{} without coordinates", count(unlocated)))/>
                        <Kpi id="hm-peak" label="Densest cell" value=peak.map_or("–".into(), |p| format!("{:.0} /km²", p.2))
                            note=peak.map(|p| format!("at {:.4}, {:.4}", p.0, p.1))/>
                        <Kpi id="hm-ms" label="Computed in" value=format!("{:.2} s", ms / 1000.0)/>
                    </div>
                    {(n > 0).then(|| view! {
                        <div class="slider-row">
                            <button class="btn" id="hm-play" on:click=toggle>
                                {move || if playing.get() { "⏸ Pause" } else { "▶ Play" }}
                            </button>
                            <input type="range" id="hm-slider" min="0" max=n.to_string() step="1"
                                prop:value=move || frame.get().to_string()
                                on:input=move |ev| {
                                    stop();
                                    if let Ok(v) = event_target_value(&ev).parse() { frame.set(v) }
                                }/>
                            <span class="muted">"0 = all; then each frame"</span>
                        </div>
                    })}
                    <label class="field inline">
                        <span>"Boundaries on the map"</span>
                        <select id="hm-overlay" prop:value=move || overlay.get() on:change=move |ev| overlay.set(event_target_value(&ev))>
                            <option value="community_area">"Community areas"</option>
                            <option value="district">"Districts"</option>
                            <option value="beat">"Beats"</option>
                            <option value="none">"None"</option>
                        </select>
                    </label>
                    <Chart id="hm-map" plot=figure/>
                </div>
            }
        })
    }
}

/// Boundary files in, the choropleth and the per-area table out.
#[component]
fn AreasSection() -> impl IntoView {
    let data = expect_context::<Data>();
    let maps = expect_context::<Maps>();
    let slot = maps.areas;
    let kind = RwSignal::new(None::<AreaKind>);
    let measure = RwSignal::new(String::from("per_km2"));
    let portal = RwSignal::new(PORTAL_GEOSPATIAL.to_string());
    // The newest loaded kind is shown until the user picks another.
    Effect::new(move |_| {
        let loaded: Vec<AreaKind> = maps.boundaries.with(|b| b.iter().map(|b| b.kind).collect());
        if kind.get_untracked().is_none_or(|k| !loaded.contains(&k)) {
            kind.set(loaded.first().copied());
        }
    });
    // Figures for the chosen kind, the filter and the boundary file now loaded for that kind.
    slot.keep_fresh(
        move || {
            let epoch = data.data_epoch.get();
            let k = kind.get()?;
            let read = maps.boundaries.with(|all| all.iter().find(|b| b.kind == k).map(|b| b.job))?;
            data.dataset.with(Option::is_some).then(|| (epoch, data.filter.get(), k, read))
        },
        |d, (_, filter, k, read)| d.filter == *filter && d.value.kind == *k && d.job > *read,
        move |(_, _, k, _)| maps.run_areas(k),
    );
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = ev.target().expect("target").unchecked_into();
        if let Some(f) = input.files().and_then(|l| l.get(0)) {
            maps.load_boundaries(Some(f), None);
        }
        input.set_value("");
    };
    let fetch = move |id: &'static str| {
        let base = portal.get_untracked();
        maps.load_boundaries(None, Some(format!("{base}{id}?method=export&format=GeoJSON")));
    };
    let loaded = move || {
        maps.boundaries.with(|all| {
            all.iter()
                .map(|b| {
                    view! {
                        <li data-kind=kind_slug(b.kind)>
                            {format!("{} {}s from {}", b.outlines.len(), b.kind.label(), b.source)}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="card" id="areas">
            <h2>"Which neighbourhoods? Rates by area"</h2>
            <p class="muted about">
                "Load the portal's boundary exports (GeoJSON) of community areas, police districts or beats. Each \
                 incident is placed in the area whose polygon holds it, and checked against the area its record names."
            </p>
            <div class="filter-row">
                <label class="field">
                    <span>"Boundary file (GeoJSON)"</span>
                    <input type="file" id="boundaries-input" accept=".geojson,.json,application/geo+json,application/json" on:change=on_file/>
                    <span class="unit"></span>
                </label>
                {PORTAL_SETS
                    .iter()
                    .map(|&(k, id, what)| view! {
                        <button class="btn" id=format!("fetch-{}", kind_slug(k)) disabled=move || maps.boundaries_job.with(Option::is_some)
                            on:click=move |_| fetch(id)>
                            {format!("Fetch {what} from the portal")}
                        </button>
                    })
                    .collect_view()}
            </div>
            <details class="advanced">
                <summary>"Portal address"</summary>
                <input type="url" id="boundaries-portal" bind:value=portal/>
            </details>
            {move || maps.boundaries_job.get().map(|_| view! { <p class="muted" id="boundaries-busy">"Reading the boundaries…"</p> })}
            {move || maps.boundaries_error.get().map(|e| view! {
                <div class="banner error" id="boundaries-error" role="alert">{format!("The boundary file could not be used: {e}")}</div>
            })}
            <ul class="loaded-list" id="boundaries-loaded">{loaded}</ul>
            {move || (!maps.boundaries.with(Vec::is_empty)).then(|| view! {
                <div class="filter-row">
                    <label class="field">
                        <span>"Areas"</span>
                        <select id="areas-kind" prop:value=move || kind.get().map_or("", kind_slug)
                            on:change=move |ev| kind.set(kind_of(&event_target_value(&ev)))>
                            {move || maps.boundaries.with(|all| all.iter().map(|b| view! {
                                <option value=kind_slug(b.kind)>{b.kind.label()}</option>
                            }).collect_view())}
                        </select>
                        <span class="unit"></span>
                    </label>
                    <label class="field">
                        <span>"Colour by"</span>
                        <select id="areas-measure" prop:value=move || measure.get() on:change=move |ev| measure.set(event_target_value(&ev))>
                            <option value="per_km2">"Incidents per km²"</option>
                            <option value="incidents">"Incidents"</option>
                            <option value="change">"4-week change"</option>
                            <option value="arrests">"Arrest rate"</option>
                        </select>
                        <span class="unit"></span>
                    </label>
                </div>
            })}
            {task_progress(slot, "areas-progress", "Placing incidents in areas")}
            {task_error(slot, "areas-error", "The area figures")}
            <AreasResult measure=measure/>
        </section>
    }
}

#[component]
fn AreasResult(measure: RwSignal<String>) -> impl IntoView {
    let maps = expect_context::<Maps>();
    let slot = maps.areas;
    let figure = move || {
        let m = Measure::parse(&measure.get());
        slot.result.with(|r| {
            r.as_ref().map_or_else(figure::empty, |d| {
                maps.boundaries.with(|all| {
                    all.iter()
                        .find(|b| b.kind == d.value.kind)
                        .map_or_else(figure::empty, |b| map_charts::choropleth(&b.outlines, &d.value, m))
                })
            })
        })
    };
    move || {
        slot.result.get().map(|d| {
            let r = d.value;
            let label = r.kind.label();
            let rows = r
                .areas
                .iter()
                .take(15)
                .enumerate()
                .map(|(i, a)| {
                    view! {
                        <tr data-id=a.id.to_string()>
                            <td>{i + 1}</td>
                            <td class="name">{a.name.clone()}</td>
                            <td class="num">{count(a.incidents)}</td>
                            <td class="num per-km2">{format!("{:.0}", a.per_km2)}</td>
                            <td class="num">{a.arrest_rate.map_or("–".into(), percent)}</td>
                            <td class="num">{count(a.last_4_weeks)}</td>
                            <td class="num">{signed_percent(a.change)}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <div id="areas-result" data-run=d.job.to_string() data-kind=kind_slug(r.kind)>
                    <div class="kpis">
                        <Kpi id="areas-agreement" label="Agree with the records" value=percent(r.agreement.rate)
                            note=Some(format!("of {} located incidents fall in the {label} their record names", count(r.agreement.compared)))/>
                        <Kpi id="areas-count" label="Areas" value=r.areas.len().to_string()/>
                        <Kpi id="areas-outside" label="Outside every area" value=count(r.outside)
                            note=Some(format!("{} without coordinates", count(r.unlocated)))/>
                        <Kpi id="areas-ms" label="Computed in" value=format!("{:.2} s", d.compute_ms / 1000.0)/>
                    </div>
                    <Chart id="choropleth" plot=figure/>
                    <table class="data" id="areas-table">
                        <thead><tr><th>"#"</th><th>{label}</th><th class="num">"Incidents"</th><th class="num">"Per km²"</th>
                            <th class="num">"Arrests"</th><th class="num">"Last 4 weeks"</th><th class="num">"vs 4 before"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
        })
    }
}
