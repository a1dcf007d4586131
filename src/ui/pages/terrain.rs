//! The risk terrain on the Patrol page (issue #36): the environment layers the user adds, and the
//! factors the model selected from them. The state is `crate::state::EnvLayers`; this draws it.

use leptos::prelude::*;
use patroliq_core::risk::RiskModel;
use patroliq_core::terrain::{Factor, LayerSummary};

use crate::state::{LayerEntry, Patrolling};
use crate::ui::widgets::format::{count, percent};

/// The "Environment layers" panel: a file input (several files at once) and the layers read.
#[component]
pub fn LayersPanel() -> impl IntoView {
    let layers = expect_context::<Patrolling>().layers;
    let on_files = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let files = input.files();
        let picked: Vec<web_sys::File> =
            (0..files.as_ref().map_or(0, |f| f.length())).filter_map(|i| files.as_ref()?.get(i)).collect();
        // Cleared so that picking the same file again (after removing it) reads it again.
        input.set_value("");
        if !picked.is_empty() {
            layers.add(picked);
        }
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
            <label class="field">
                <span>"Add layer files"</span>
                <input type="file" id="layer-files" multiple=true
                    accept=".geojson,.json,.csv,.txt,application/geo+json,application/json,text/csv" on:change=on_files/>
                <span class="unit" id="layer-status">{move || match layers.pending.get() {
                    0 => String::new(),
                    n => format!("reading {n} file{}…", if n == 1 { "" } else { "s" }),
                }}</span>
            </label>
            {move || {
                let errors = layers.errors.get();
                (!errors.is_empty()).then(|| view! {
                    <ul class="form-error" id="layer-errors" role="alert">
                        {errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
                    </ul>
                })
            }}
            <ul class="layer-list" id="layer-list">
                <For each=move || layers.list.get() key=|e| (e.id, e.summary.outside, e.summary.records) let:entry>
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
    view! {
        <li class="layer" data-id=id.to_string() data-file=entry.file.clone()>
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
                             layers and past crime nearby, λ chosen by {} cross-validation (λ {:.4}), then refitted \
                             without penalty; {} of the deviance explained. A relative risk is how much the expected \
                             incidents are multiplied: per km for a distance, for being within the radius for a \
                             proximity, per unit of ln(1 + count) for a density, for a whole cell inside for a share.",
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
                }
            })
        })
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
