//! The risk terrain on the Patrol page (issue #36): the environment layers the user adds, and the
//! factors the model selected from them. The state is `crate::state::EnvLayers`; this draws it.

use leptos::ev::DragEvent;
use leptos::prelude::*;
use patroliq_core::risk::RiskModel;
use patroliq_core::terrain::model::AreaError;
use patroliq_core::terrain::{Factor, LayerSummary, TerrainModel};

use crate::state::{LayerEntry, Patrolling};
use crate::ui::charts::chart::Chart;
use crate::ui::charts::terrain as terrain_charts;
use crate::ui::widgets::format::{count, percent};

/// The files of a `FileList` (a file input's, a drop's).
fn listed(files: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    (0..files.as_ref().map_or(0, |f| f.length())).filter_map(|i| files.as_ref()?.get(i)).collect()
}

/// The "Environment layers" panel: a drop zone around a file input (several files at once), a URL
/// to fetch one from, and the layers read.
#[component]
pub fn LayersPanel() -> impl IntoView {
    let layers = expect_context::<Patrolling>().layers;
    let dragging = RwSignal::new(false);
    let url = RwSignal::new(String::new());
    let on_files = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let picked = listed(input.files());
        // Cleared so that picking the same file again (after removing it) reads it again.
        input.set_value("");
        if !picked.is_empty() {
            layers.add(picked);
        }
    };
    let on_drop = move |ev: DragEvent| {
        // Not the browser's own drop (opening the file in place of the app).
        ev.prevent_default();
        ev.stop_propagation();
        dragging.set(false);
        let dropped = listed(ev.data_transfer().and_then(|d| d.files()));
        if !dropped.is_empty() {
            layers.add(dropped);
        }
    };
    let on_url = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        layers.add_url(&url.get_untracked());
    };
    view! {
        <div class="layers" id="env-layers">
            <h3>"Environment layers"</h3>
            <p class="muted">
                "Places that attract or generate crime, from files apart from the crime records: GeoJSON, or a CSV \
                 with latitude/longitude columns, a \"(lat, lon)\" column, or a WKT or WKB geometry column. With \
                 layers, the score's environment part is the risk terrain fitted on them (and on past crime \
                 nearby) instead of the crimes' own location descriptions."
            </p>
            <div class="layer-add">
                <label class="dropzone layer-drop" id="layer-drop" for="layer-files" class:dragging=move || dragging.get()
                    on:dragover=move |ev: DragEvent| {
                        ev.prevent_default();
                        dragging.set(true);
                    }
                    on:dragleave=move |_| dragging.set(false)
                    on:drop=on_drop>
                    <input type="file" id="layer-files" multiple=true aria-label="Add layer files"
                        accept=".geojson,.json,.csv,.txt,application/geo+json,application/json,text/csv" on:change=on_files/>
                    <span class="drop-title">"Drop layer files here, or click to choose"</span>
                    <span class="muted">"GeoJSON or CSV, several at once; read in this tab only"</span>
                </label>
                <form class="row-form layer-url-form" on:submit=on_url>
                    <label class="field">
                        <span>"Or add from a URL"</span>
                        <input type="url" id="layer-url" placeholder="https://…/places.geojson"
                            prop:value=move || url.get() on:input=move |ev| url.set(event_target_value(&ev))/>
                    </label>
                    <button type="submit" class="btn" id="layer-url-add">"Add from URL"</button>
                </form>
                <span class="unit" id="layer-status" role="status">{move || match layers.pending.get() {
                    0 => String::new(),
                    n => format!("reading {n} file{}…", if n == 1 { "" } else { "s" }),
                }}</span>
            </div>
            {move || {
                let errors = layers.errors.get();
                (!errors.is_empty()).then(|| view! {
                    <ul class="form-error" id="layer-errors" role="alert">
                        {errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
                    </ul>
                })
            }}
            <ul class="layer-list" id="layer-list">
                <For each=move || layers.list.get() key=|e| (e.id, e.summary.outside, e.summary.records, e.sketch.features) let:entry>
                    <LayerRow entry=entry/>
                </For>
            </ul>
        </div>
    }
}

#[component]
fn LayerRow(entry: LayerEntry) -> impl IntoView {
    let layers = expect_context::<Patrolling>().layers;
    let id = entry.id;
    let input_id = format!("layer-name-{id}");
    let show_id = format!("layer-show-{id}");
    // The chart's id must live as long as the page (`Chart` takes a `&'static str`): a few bytes
    // per layer added in a session.
    let map_id: &'static str = Box::leak(format!("layer-map-{id}").into_boxed_str());
    let sketch = entry.sketch.clone();
    let (points, read) = (sketch.points.len(), sketch.features);
    let drawn = points + sketch.paths.len();
    let thumb_note =
        (drawn < read).then(|| format!("{} of {} features drawn", count(drawn as u64), count(read as u64)));
    view! {
        <li class="layer" data-id=id.to_string() data-file=entry.file.clone()>
            <div class="layer-thumb" data-drawn=drawn.to_string() data-points=points.to_string()
                data-features=read.to_string()>
                <Chart id=map_id class="thumb" plot=move || terrain_charts::thumbnail(&sketch)/>
                {thumb_note.map(|n| view! { <span class="muted small">{n}</span> })}
            </div>
            <label class="field inline">
                <span>"Name"</span>
                <input type="text" id=input_id class="layer-name" prop:value=entry.name.clone()
                    on:change=move |ev| layers.rename(id, &event_target_value(&ev))/>
            </label>
            <span class="layer-file muted">{entry.file.clone()}</span>
            <span class="layer-count">{features(&entry.summary)}</span>
            {(entry.summary.outside > 0).then(|| view! {
                <span class="layer-outside muted">
                    {format!("{} outside the crimes' area, dropped", count(entry.summary.outside as u64))}
                </span>
            })}
            {(entry.summary.skipped > 0).then(|| view! {
                <span class="layer-skipped muted">
                    {format!("{} records without usable geometry", count(entry.summary.skipped as u64))}
                </span>
            })}
            <label class="check layer-show-label">
                <input type="checkbox" id=show_id class="layer-show" prop:checked=entry.shown
                    on:change=move |ev| layers.show(id, event_target_checked(&ev))/>
                <span>"Show on maps"</span>
            </label>
            <button class="btn small layer-remove" aria-label=format!("Remove layer {}", entry.name)
                on:click=move |_| layers.remove(id)>"Remove"</button>
        </li>
    }
}

/// "412 points, 3 polygons (GeoJSON)".
fn features(s: &LayerSummary) -> String {
    let parts: Vec<String> = [(s.points, "point"), (s.lines, "line"), (s.polygons, "polygon")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{} {what}{}", count(*n as u64), if *n == 1 { "" } else { "s" }))
        .collect();
    let parts = if parts.is_empty() { "no features".to_string() } else { parts.join(", ") };
    format!("{parts} ({})", s.source)
}

/// Where the score's environment part comes from, in words.
pub fn environment_source(m: &RiskModel) -> String {
    match &m.terrain {
        Some(tm) => {
            let n = tm.layers.len();
            format!("Environment part: the risk terrain from {n} layer{}", if n == 1 { "" } else { "s" })
        }
        None => {
            "Environment part: from the crimes' own location descriptions (fallback; add layers below the \
                 form to use real places)"
                .into()
        }
    }
}

/// The risk terrain's selected factors, refitted without penalty.
#[component]
pub fn TerrainFactors() -> impl IntoView {
    let patrol = expect_context::<Patrolling>();
    move || {
        patrol.risk.result.with(|d| {
            d.as_ref().and_then(|d| d.value.model.terrain.clone()).map(|tm| {
                let rows = tm.factors.iter().map(factor_row).collect_view();
                let empty = tm.factors.is_empty().then(|| {
                    view! { <p class="muted" id="terrain-none">"No factor was selected: no layer helps predict where the incidents happen."</p> }
                });
                view! {
                    <h3>"What the risk terrain learned"</h3>
                    <p class="muted">
                        {format!(
                            "Elastic-net Poisson regression (α {}) of each cell's incidents in the last quarter on the \
                             layers and past crime in and around the cell, λ chosen by {} cross-validation (λ {:.4}), \
                             then refitted without penalty; {} of the deviance explained. A relative risk is how much \
                             the expected incidents are multiplied: per km for a distance (to the nearest feature, or \
                             the mean to the 3 nearest for nn), per unit of ln(1 + blocks) for a log-distance, for \
                             being within the radius for a proximity, per unit of ln(1 + count) for a density or past \
                             crime, for a whole cell inside for a share.",
                            tm.alpha,
                            tm.cv.folds,
                            tm.cv.lambda,
                            percent(tm.deviance_explained)
                        )}
                    </p>
                    {empty}
                    <table class="table" id="terrain-factors">
                        <thead><tr>
                            <th>"Factor"</th><th>"Form"</th><th>"Radius (m)"</th><th>"Coefficient"</th>
                            <th>"Relative risk"</th><th>"95 % interval"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <CrossValidationError tm=tm/>
                }
            })
        })
    }
}

/// Where the model predicts badly: each area left out in turn, refitted on the others and
/// predicted; its cells coloured by that error, and the five worst areas.
#[component]
fn CrossValidationError(tm: TerrainModel) -> impl IntoView {
    let patrol = expect_context::<Patrolling>();
    let cells = patrol.risk.result.with_untracked(|d| {
        d.as_ref().map_or(0, |d| terrain_charts::cells_by_area(&d.value.model, &tm).len())
    });
    let mut worst: Vec<AreaError> = tm.cv.per_area.clone();
    worst.sort_by(|a, b| b.mean_abs_error.total_cmp(&a.mean_abs_error));
    worst.truncate(5);
    let rows = worst.iter().map(area_row).collect_view();
    let map = move || {
        patrol.risk.result.with(|d| {
            match d.as_ref().and_then(|d| d.value.model.terrain.as_ref().map(|t| (d, t))) {
                Some((d, tm)) => terrain_charts::cv_map(&d.value.model, tm),
                None => crate::ui::charts::figure::empty(),
            }
        })
    };
    view! {
        <h3>"Where the risk terrain predicts worst"</h3>
        <p class="muted">
            {format!(
                "Each of the {} is left out in turn, the selected factors are refitted on the others and its                  cells predicted: a cell's colour is its area's mean absolute error, in incidents per cell in                  the last quarter ({:.2} over all cells). Red areas are where the layers explain least.",
                tm.cv.folds,
                tm.cv.mean_abs_error
            )}
        </p>
        <div id="terrain-cv" data-cells=cells.to_string()>
            <Chart id="terrain-cv-map" plot=map/>
            <table class="table" id="terrain-cv-worst">
                <caption>"The five areas predicted worst"</caption>
                <thead><tr>
                    <th>"Area"</th><th>"Cells"</th><th>"Observed"</th><th>"Expected"</th>
                    <th>"Mean absolute error"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

fn area_row(a: &AreaError) -> impl IntoView {
    view! {
        <tr data-area=a.name.clone() data-mae=a.mean_abs_error.to_string()>
            <td>{a.name.clone()}</td>
            <td class="num">{count(a.cells as u64)}</td>
            <td class="num">{count(a.observed.round() as u64)}</td>
            <td class="num">{count(a.expected.round() as u64)}</td>
            <td class="num">{format!("{:.3}", a.mean_abs_error)}</td>
        </tr>
    }
}

fn factor_row(f: &Factor) -> impl IntoView {
    let radius = f.radius_m.map_or_else(|| "—".to_string(), |r| format!("{r:.0}"));
    view! {
        <tr data-factor=f.name.clone() data-form=f.form.key() data-rr=f.relative_risk.to_string()>
            <td>{f.name.clone()}</td>
            <td>{f.form.key()}</td>
            <td class="num">{radius}</td>
            <td class="num">{format!("{:+.4}", f.coefficient)}</td>
            <td class="num">{format!("{:.3}", f.relative_risk)}</td>
            <td class="num">{format!("{:.3}–{:.3}", f.interval[0], f.interval[1])}</td>
        </tr>
    }
}
