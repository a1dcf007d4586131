//! The Shape page: how many independent directions the data has (PCA of every filtered
//! incident) and 2-D maps of a sample (t-SNE, UMAP) with their trustworthiness, so the two can be
//! compared honestly.

use leptos::prelude::*;
use patroliq_core::gloss::Term;
use patroliq_core::reduce::embed::{EmbedParams, Method, MAX_SAMPLE, TRUST_K};
use patroliq_core::reduce::tsne::TsneParams;
use patroliq_core::reduce::umap::UmapParams;
use patroliq_core::track::RunParams;

use crate::state::{Data, Projections};
use crate::ui::charts::chart::Chart;
use crate::ui::charts::shape::{self as shape_charts, ColourBy};
use crate::ui::widgets::form::{num, number_field, optional_num, wire, ParamForm};
use crate::ui::widgets::format::{count, percent};
use crate::ui::widgets::kpi::Kpi;
use crate::ui::widgets::progress::{task_error, task_progress};

#[component]
pub fn Shape() -> impl IntoView {
    view! {
        <PcaSection/>
        <MapSection/>
    }
}

/// Radio buttons choosing what colours the points; the temporal pattern needs a When run of the
/// same rows first.
fn colour_choice(id: &'static str, by: RwSignal<ColourBy>, has_pattern: bool) -> impl IntoView {
    let option = move |value: &'static str, label: &'static str, c: ColourBy, enabled: bool| {
        view! {
            <label title=if enabled { "" } else { "Find temporal patterns on the When page first" }>
                <input
                    type="radio"
                    name=id
                    value=value
                    disabled=!enabled
                    prop:checked=move || by.get() == c
                    on:change=move |_| by.set(c)
                />
                {label}
            </label>
        }
    };
    view! {
        <div class="map-background" id=id>
            {option("type", " Crime type", ColourBy::Type, true)}
            {option("hour", " Hour", ColourBy::Hour, true)}
            {option("pattern", " Temporal pattern", ColourBy::Pattern, has_pattern)}
        </div>
    }
}

#[component]
fn PcaSection() -> impl IntoView {
    let data = expect_context::<Data>();
    let shape = expect_context::<Projections>();
    let slot = shape.pca;
    // PCA of 500k rows takes about half a second: it runs when the page opens, and again when
    // the filter or the dataset has changed since (once each: a failure is not retried in a loop).
    let attempted = StoredValue::new(None::<(patroliq_core::filter::Filter, u64)>);
    Effect::new(move |_| {
        let ready = data.dataset.with(Option::is_some) && data.analysis.with(Option::is_some);
        let filter = data.filter.get();
        let epoch = data.data_epoch.get();
        let fresh = slot.result.with_untracked(|d| d.as_ref().is_some_and(|d| d.filter == filter));
        let tried = attempted.get_value().is_some_and(|a| a == (filter.clone(), epoch));
        if ready && !fresh && !tried && !slot.running.with_untracked(Option::is_some) {
            attempted.set_value(Some((filter, epoch)));
            shape.run_pca();
        }
    });
    let show_3d = RwSignal::new(false);
    let pca_colour = RwSignal::new(ColourBy::Type);
    let scatter = move || {
        let by = pca_colour.get();
        slot.result.with(|d| {
            d.as_ref()
                .map_or_else(crate::ui::charts::figure::empty, |d| shape_charts::pca_scatter(&d.value, by))
        })
    };
    let chart = move |f: fn(&patroliq_core::reduce::pca::PcaView) -> plotly::Plot| {
        move || {
            slot.result.with(|d| d.as_ref().map_or_else(crate::ui::charts::figure::empty, |d| f(&d.value)))
        }
    };
    let results = move || {
        let d = slot.result.get()?;
        let p = &d.value.pca;
        let first3 = p.cumulative.get(2).copied().unwrap_or(1.0);
        let top = (0..p.components.len().min(5))
            .map(|c| {
                let mut idx: Vec<usize> = (0..p.features.len()).collect();
                idx.sort_by(|&a, &b| p.components[c][b].abs().total_cmp(&p.components[c][a].abs()));
                let names = idx
                    .iter()
                    .take(4)
                    .map(|&j| format!("{} ({:+.2})", p.features[j], p.components[c][j]))
                    .collect::<Vec<_>>()
                    .join(", ");
                view! {
                    <tr>
                        <td>{format!("PC{}", c + 1)}</td>
                        <td class="num">{percent(p.explained_variance_ratio[c])}</td>
                        <td>{names}</td>
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <div id="pca-results" data-k70=p.components_for_70 data-k90=p.components_for_90 data-rows=p.rows
                data-run=d.job data-ms=format!("{:.0}", d.compute_ms)>
                <p class="lead" id="pca-summary">
                    {format!(
                        "The first three components explain {} of the variance of the {} standardised features; \
                         {} components are needed for 70 % and {} for 90 %. ",
                        percent(first3),
                        p.features.len(),
                        p.components_for_70,
                        p.components_for_90
                    )}
                    {if first3 < 0.6 {
                        "The features are largely independent of each other (time of day, place, type and outcome \
                         each carry their own information), so no handful of components summarises the data: read \
                         the maps below as views of a few of its directions, not of all of it."
                    } else {
                        "A few components carry most of the information."
                    }}
                </p>
                <div class="kpis">
                    <Kpi id="pca-kpi-rows" label="Incidents" value=count(p.rows)
                        note=Some(format!("{} left out for a missing value", count(p.rows_dropped)))/>
                    <Kpi id="pca-kpi-3" label="First 3 components" value=percent(first3)/>
                    <Kpi id="pca-kpi-70" label="Components for 70 %" value=p.components_for_70.to_string()/>
                    <Kpi id="pca-kpi-90" label="Components for 90 %" value=p.components_for_90.to_string()/>
                    <Kpi id="pca-kpi-time" label="Computed in" value=format!("{:.2} s", d.compute_ms / 1000.0)/>
                </div>
                <div class="charts">
                    <Chart id="chart-scree" plot=chart(|v| shape_charts::scree(&v.pca))/>
                    <Chart id="chart-pca-scatter" plot=scatter/>
                </div>
                {colour_choice("pca-colour", pca_colour, d.value.pattern.is_some())}
                <table class="data" id="pca-top">
                    <thead>
                        <tr><th>"Component"</th><th class="num">"Variance"</th><th>"Heaviest features (loading)"</th></tr>
                    </thead>
                    <tbody>{top}</tbody>
                </table>
                <div class="charts">
                    <Chart id="chart-loadings" plot=chart(|v| shape_charts::loadings(&v.pca, 8)) class="wide"/>
                </div>
                <button class="btn" id="pca-3d-toggle" on:click=move |_| show_3d.update(|s| *s = !*s)>
                    {move || if show_3d.get() { "Hide the 3-D view" } else { "Show the first three components in 3-D (needs WebGL)" }}
                </button>
                {move || show_3d.get().then(|| view! {
                    <div class="charts">
                        <Chart id="chart-pca-3d" plot=chart(|v| shape_charts::pca_3d(&v.scores, &v.points, &v.pca)) class="wide"/>
                    </div>
                })}
            </div>
        })
    };
    view! {
        <section class="card" id="pca">
            <h2>"The shape of the data: principal components"</h2>
            <p class="muted about">
                "PCA of every filtered incident over the whole feature catalogue (the calendar and its sines and \
                 cosines, weekend, night and holiday flags, position in metres, distance to the centre, local \
                 density, the environment and crime flags, severity), each standardised to mean 0 and deviation 1; \
                 left out: the rescaled copies of the position, the category codes, and any feature constant in \
                 the selection."
            </p>
            {task_progress(slot, "pca-progress", "Computing the principal components")}
            {task_error(slot, "pca-error", "PCA")}
            {results}
        </section>
    }
}

/// The parameters that shape a map, as the comparison table lists them.
fn describe(p: &EmbedParams) -> String {
    match p.method {
        Method::Tsne => match p.tsne.iterations {
            Some(i) => format!("perplexity {}, {i} iterations", p.tsne.perplexity),
            None => format!("perplexity {}, iterations by its schedule", p.tsne.perplexity),
        },
        Method::Umap => format!("{} neighbours, min_dist {}", p.umap.n_neighbors, p.umap.min_dist),
    }
}

/// The map form's values, as typed.
#[derive(Clone, Copy)]
struct Form {
    method: RwSignal<String>,
    sample: RwSignal<String>,
    seed: RwSignal<String>,
    perplexity: RwSignal<String>,
    iterations: RwSignal<String>,
    neighbours: RwSignal<String>,
    min_dist: RwSignal<String>,
}

impl Form {
    fn new() -> Form {
        let s = |v: &str| RwSignal::new(v.to_string());
        Form {
            method: s("umap"),
            sample: s("20000"),
            seed: s("42"),
            perplexity: s("30"),
            // Empty: the schedule's own (1,000 up to 20,000 points, 750 above).
            iterations: s(""),
            neighbours: s("15"),
            min_dist: s("0.1"),
        }
    }
}

impl ParamForm for Form {
    type Params = EmbedParams;

    /// Puts a logged run's parameters in the form (re-opening it from the Experiments page).
    fn fill(&self, params: &RunParams) {
        if let RunParams::Embed { params: p } = params {
            self.method.set(if p.method == Method::Tsne { "tsne" } else { "umap" }.into());
            self.sample.set(p.sample.to_string());
            self.seed.set(p.seed.to_string());
            self.perplexity.set(p.tsne.perplexity.to_string());
            self.iterations.set(p.tsne.iterations.map_or(String::new(), |i| i.to_string()));
            self.neighbours.set(p.umap.n_neighbors.to_string());
            self.min_dist.set(p.umap.min_dist.to_string());
        }
    }

    fn read(&self) -> Result<EmbedParams, String> {
        let params = EmbedParams {
            method: if self.method.get_untracked() == "tsne" { Method::Tsne } else { Method::Umap },
            sample: num(self.sample, "sample")?,
            seed: num(self.seed, "seed")?,
            tsne: TsneParams {
                perplexity: num(self.perplexity, "perplexity")?,
                iterations: optional_num(self.iterations, "iterations")?,
                ..TsneParams::default()
            },
            umap: UmapParams {
                n_neighbors: num(self.neighbours, "neighbours")?,
                min_dist: num(self.min_dist, "min_dist")?,
                epochs: None,
            },
            ..EmbedParams::default()
        };
        params.clone().check().map_err(|e| e.to_string())?;
        Ok(params)
    }
}

#[component]
fn MapSection() -> impl IntoView {
    let data = expect_context::<Data>();
    let shape = expect_context::<Projections>();
    let slot = shape.embedding;
    let form = Form::new();
    let (form_error, read) = wire(form);
    let colour_by = RwSignal::new(ColourBy::Type);
    let run = move || {
        if let Some(p) = read() {
            shape.run_embed(p);
        }
    };
    let field = |id, label, value| number_field(id, label, "", "", value);
    let iterations = move || number_field("map-iterations", "Iterations", "", "auto", form.iterations);
    let tsne = move || form.method.get() == "tsne";
    let map = move || {
        let by = colour_by.get();
        slot.result.with(|d| {
            d.as_ref().map_or_else(crate::ui::charts::figure::empty, |d| shape_charts::map(&d.value, by))
        })
    };
    let results = move || {
        let d = slot.result.get()?;
        let v = &d.value;
        let trust = v.trustworthiness.map_or("–".into(), |t| format!("{t:.3}"));
        let has_pattern = v.pattern.is_some();
        let stale = (d.filter != data.filter.get()).then(|| {
            view! { <p class="warnings" id="map-stale">"The filter has changed since this map: make it again to update."</p> }
        });
        Some(view! {
            <div id="map-results" data-method=v.params.method.name() data-points=v.xy.len() data-run=d.job
                data-trust=v.trustworthiness.map(|t| format!("{t:.6}")) data-ms=format!("{:.0}", d.compute_ms)>
                {stale}
                <div class="kpis">
                    <Kpi id="map-kpi-method" label="Method" value=v.params.method.name().to_string()/>
                    <Kpi id="map-kpi-points" label="Incidents mapped" value=count(v.xy.len() as u64)
                        note=Some(format!("sampled from {} (seed {})", count(v.selected), v.params.seed))/>
                    <Kpi id="map-kpi-trust" label="Trustworthiness (0–1)" value=trust gloss=Term::Trustworthiness
                        note=Some(format!("k = {TRUST_K}, on {} points", count(v.trust_queries as u64)))/>
                    <Kpi id="map-kpi-time" label="Computed in" value=format!("{:.1} s", d.compute_ms / 1000.0)/>
                </div>
                {colour_choice("map-colour", colour_by, has_pattern)}
                <div class="charts"><Chart id="chart-embedding" plot=map class="wide"/></div>
                <p class="muted">
                    "Nearby points are incidents with similar features; distances between far-apart groups mean \
                     little in t-SNE and only a little more in UMAP. Trustworthiness is the share of each point's \
                     map neighbours that are true neighbours in the 20 features (1 = all), estimated on a seeded \
                     sample of query points."
                </p>
            </div>
        })
    };
    let comparison = move || {
        let maps = shape.maps.get();
        (!maps.is_empty()).then(|| {
            let rows = maps
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    view! {
                        <tr>
                            <td>{i + 1}</td>
                            <td>{m.params.method.name()}</td>
                            <td class="num">{count(m.points as u64)}</td>
                            <td>{describe(&m.params)}</td>
                            <td class="num">{m.trustworthiness.map_or("–".into(), |t| format!("{t:.3}"))}</td>
                            <td class="num">{format!("{:.1} s", m.seconds)}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <h3>"Maps made of this dataset"</h3>
                <table class="data" id="map-runs">
                    <thead>
                        <tr>
                            <th>"#"</th><th>"Method"</th><th class="num">"Incidents"</th><th>"Parameters"</th>
                            <th class="num">"Trustworthiness"</th><th class="num">"Time"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            }
        })
    };
    view! {
        <section class="card" id="maps">
            <h2>"Maps of similar incidents: t-SNE and UMAP"</h2>
            <div class="filter-row cluster-form">
                <label class="field">
                    <span>"Method"</span>
                    <select id="map-method" prop:value=move || form.method.get()
                        on:change=move |ev| form.method.set(event_target_value(&ev))>
                        <option value="umap">"UMAP"</option>
                        <option value="tsne">"t-SNE"</option>
                    </select>
                </label>
                {field("map-sample", "Sample", form.sample)}
                {field("map-seed", "Seed", form.seed)}
                {move || if tsne() {
                    view! { {field("map-perplexity", "Perplexity", form.perplexity)} {iterations()} }.into_any()
                } else {
                    view! { {field("map-neighbours", "Neighbours", form.neighbours)} {field("map-min-dist", "Min distance", form.min_dist)} }.into_any()
                }}
                // Not disabled during a map: a new map goes to a second map worker and starts at
                // once; the one it replaces finishes there and is kept for the same request.
                <button class="btn primary" id="map-run" on:click=move |_| run()>
                    {move || if slot.busy() { "Make this map instead" } else { "Make the map" }}
                </button>
            </div>
            <p class="muted about">
                {format!(
                    "A seeded random sample (100 to {} incidents) of the filtered rows, on 20 standardised features \
                     (the calendar, position, density and crime flags). Exact neighbours, then UMAP (about 5–10 s for 20,000 incidents on a laptop) \
                     or Barnes–Hut t-SNE (about 5 s for 5,000, several times that for 20,000: try 5,000 first). Above 20,000, \
                     approximate neighbours (NN-descent) and FFT-interpolated t-SNE on openTSNE's schedule (750 iterations unless you set them): \
                     a map of 100,000 takes about a minute.",
                    count(MAX_SAMPLE as u64)
                )}
            </p>
            {move || form_error.get().map(|e| view! { <p class="form-error" id="map-form-error">{e}</p> })}
            {task_progress(slot, "map-progress", "Making the map")}
            {task_error(slot, "map-error", "The map")}
            {results}
            {comparison}
        </section>
    }
}
