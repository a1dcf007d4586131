//! The Hotspots page: cluster every filtered incident by location, see the clusters on a map, in
//! a table and through their metrics, and sweep k to choose it.

use leptos::prelude::*;
use patroliq_core::cluster::dbscan::DbscanParams;
use patroliq_core::cluster::hdbscan::HdbscanParams;
use patroliq_core::cluster::hierarchical::WardParams;
use patroliq_core::cluster::kmeans::KMeansParams;
use patroliq_core::cluster::metrics::SilhouetteSample;
use patroliq_core::cluster::report::{Algorithm, HOTSPOT_MAX_KM2, MAP_POINTS};
use patroliq_core::gloss::Term;
use patroliq_core::track::RunParams;

use crate::state::{Clusters, Data};
use crate::ui::charts::chart::{Chart, Picked};
use crate::ui::charts::cluster as cluster_charts;
use crate::ui::widgets::form::{num, number_field, run_when_ready, wire, ParamForm};
use crate::ui::widgets::format::{count, percent};

/// The form's values, as typed.
#[derive(Clone, Copy)]
struct Form {
    algo: RwSignal<String>,
    k: RwSignal<String>,
    seed: RwSignal<String>,
    n_init: RwSignal<String>,
    eps: RwSignal<String>,
    min_samples: RwSignal<String>,
    cell: RwSignal<String>,
    min_cluster_size: RwSignal<String>,
    hd_min_samples: RwSignal<String>,
    sample: RwSignal<String>,
}

impl Form {
    /// The core's defaults (`…Params::default()`, what the CLI takes too).
    fn new() -> Form {
        let s = |v: String| RwSignal::new(v);
        let (km, db, hd, ward) = (
            KMeansParams::default(),
            DbscanParams::default(),
            HdbscanParams::default(),
            WardParams::default(),
        );
        Form {
            algo: s("kmeans".into()),
            k: s(km.k.to_string()),
            seed: s(km.seed.to_string()),
            n_init: s(km.n_init.to_string()),
            eps: s(db.eps_m.to_string()),
            min_samples: s(db.min_samples.to_string()),
            cell: s(ward.cell_m.to_string()),
            min_cluster_size: s(hd.min_cluster_size.to_string()),
            hd_min_samples: s(hd.min_samples.to_string()),
            sample: s(SilhouetteSample::default().size.to_string()),
        }
    }
}

impl ParamForm for Form {
    type Params = (Algorithm, SilhouetteSample);

    fn fill(&self, params: &RunParams) {
        let put = |s: RwSignal<String>, v: String| s.set(v);
        let sample = match params {
            RunParams::Cluster { algo, sample } => {
                match algo {
                    Algorithm::Kmeans(p) => {
                        put(self.algo, "kmeans".into());
                        put(self.k, p.k.to_string());
                        put(self.n_init, p.n_init.to_string());
                        put(self.seed, p.seed.to_string());
                    }
                    Algorithm::Dbscan(p) => {
                        put(self.algo, "dbscan".into());
                        put(self.eps, p.eps_m.to_string());
                        put(self.min_samples, p.min_samples.to_string());
                    }
                    Algorithm::Hierarchical(p) => {
                        put(self.algo, "hierarchical".into());
                        put(self.cell, p.cell_m.to_string());
                        put(self.k, p.k.to_string());
                    }
                    Algorithm::Hdbscan(p) => {
                        put(self.algo, "hdbscan".into());
                        put(self.min_cluster_size, p.min_cluster_size.to_string());
                        put(self.hd_min_samples, p.min_samples.to_string());
                    }
                }
                sample
            }
            RunParams::Sweep { seed, sample, .. } => {
                put(self.algo, "kmeans".into());
                put(self.seed, seed.to_string());
                sample
            }
            _ => return,
        };
        put(self.sample, sample.size.to_string());
        if !matches!(params, RunParams::Cluster { algo: Algorithm::Kmeans(_), .. }) {
            put(self.seed, sample.seed.to_string());
        }
    }

    /// The algorithm with its parameters, or what is wrong with the form.
    fn read(&self) -> Result<(Algorithm, SilhouetteSample), String> {
        let seed = num(self.seed, "seed")?;
        let algo = match self.algo.get_untracked().as_str() {
            "dbscan" => Algorithm::Dbscan(DbscanParams {
                eps_m: num(self.eps, "eps")?,
                min_samples: num(self.min_samples, "min samples")?,
            }),
            "hierarchical" => Algorithm::Hierarchical(WardParams {
                cell_m: num(self.cell, "cell size")?,
                k: num(self.k, "k")?,
            }),
            "hdbscan" => Algorithm::Hdbscan(HdbscanParams {
                min_cluster_size: num(self.min_cluster_size, "min cluster size")?,
                min_samples: num(self.hd_min_samples, "min samples")?,
            }),
            _ => Algorithm::Kmeans(KMeansParams {
                k: num(self.k, "k")?,
                n_init: num(self.n_init, "restarts")?,
                seed,
                ..KMeansParams::default()
            }),
        };
        let sample = SilhouetteSample { size: num(self.sample, "silhouette sample")?, seed };
        // Check the parameters here too, for a message before anything runs.
        sample.check().map_err(|e| e.to_string())?;
        algo.check().map_err(|e| e.to_string())?;
        Ok((algo, sample))
    }
}

fn about(algo: &str) -> &'static str {
    match algo {
        "dbscan" => {
            "DBSCAN: a hotspot is a dense area: at least \"min samples\" incidents within eps metres of a \
             point make it a core point; core points within eps of each other form one hotspot, and \
             incidents in no dense area are noise. Runs on a grid of eps/√2 cells, so every row is used."
        }
        "hdbscan" => {
            "HDBSCAN: finds dense areas of any size and shape without a radius: a point's core distance \
             is the distance to its \"min samples\"-th neighbour, areas are linked by the minimum spanning \
             tree of those distances, and the groups of at least \"min cluster size\" incidents that \
             persist longest are kept; the rest is noise. Runs on every row (about 3 s for 500,000 in a \
             browser)."
        }
        "hierarchical" => {
            "Hierarchical (Ward): merges areas step by step, always the pair that least increases the \
             spread within clusters, then cuts the tree into k clusters. Exact Ward on 500,000 points \
             would need a terabyte of distances, so incidents are first grouped in small grid cells \
             (default 200 m) and Ward runs on the cells weighted by their counts: since Ward's criterion \
             adds up exactly over cells, this gives exact Ward over whole cells; only a cell is never split."
        }
        _ => {
            "K-Means: splits the incidents into k areas, each around its mean location, minimising the \
             squared distances to it. Starts from k-means++ seeds, keeps the best of several restarts. \
             Use \"Sweep k\" to compare k = 2 … 15 by inertia (the elbow) and silhouette."
        }
    }
}

#[component]
pub fn Hotspots() -> impl IntoView {
    let clusters = expect_context::<Clusters>();
    let form = Form::new();
    let busy = move || clusters.cluster_job.with(Option::is_some);
    let (form_error, read) = wire(form);
    let run = move |sweep: bool| {
        if let Some((algo, sample)) = read() {
            clusters.cluster(algo, sample, sweep.then_some((2, 15)));
        }
    };
    let field = |id, label, unit, value| number_field(id, label, unit, "", value);
    let algo = move || form.algo.get();
    // The page opens on K-Means with k = 9 (under a second or two for 500k rows): once a dataset
    // and its analysis are there, and nothing has been clustered yet.
    let idle = move || {
        clusters.clustering.with_untracked(Option::is_none)
            && clusters.cluster_job.with_untracked(Option::is_none)
            && clusters.cluster_error.with_untracked(Option::is_none)
    };
    run_when_ready(idle, move || {
        if let Ok((algo, sample)) = Form::new().read() {
            clusters.cluster(algo, sample, None);
        }
    });
    view! {
        <section class="card" id="hotspots">
            <h2>"Hotspots"</h2>
            <p class="hotspot-meaning" id="hotspot-meaning">
                <strong>"A hotspot"</strong>
                {format!(
                    " is a small place — a few blocks, at most about {HOTSPOT_MAX_KM2:.0} km² — where incidents \
                     concentrate far above the city's average. DBSCAN and HDBSCAN find such places and leave the \
                     rest as noise; K-Means and Ward split every incident into regions, called areas unless \
                     every one of them is that small."
                )}
            </p>
            <div class="filter-row cluster-form">
                <label class="field">
                    <span>"Algorithm"</span>
                    <select
                        id="cluster-algo"
                        prop:value=move || form.algo.get()
                        on:change=move |ev| form.algo.set(event_target_value(&ev))
                    >
                        <option value="kmeans">"K-Means"</option>
                        <option value="dbscan">"DBSCAN"</option>
                        <option value="hierarchical">"Hierarchical (Ward)"</option>
                        <option value="hdbscan">"HDBSCAN"</option>
                    </select>
                </label>
                {move || match algo().as_str() {
                    "dbscan" => view! {
                        {field("cluster-eps", "eps", "m", form.eps)}
                        {field("cluster-min-samples", "Min samples", "", form.min_samples)}
                    }
                    .into_any(),
                    "hdbscan" => view! {
                        {field("cluster-min-cluster-size", "Min cluster size", "incidents", form.min_cluster_size)}
                        {field("cluster-hd-min-samples", "Min samples", "", form.hd_min_samples)}
                    }
                    .into_any(),
                    "hierarchical" => view! {
                        {field("cluster-k", "k", "clusters", form.k)}
                        {field("cluster-cell", "Cell", "m", form.cell)}
                    }
                    .into_any(),
                    _ => view! {
                        {field("cluster-k", "k", "clusters", form.k)}
                        {field("cluster-ninit", "Restarts", "", form.n_init)}
                    }
                    .into_any(),
                }}
                {field("cluster-seed", "Seed", "", form.seed)}
                {field("cluster-sample", "Silhouette sample", "points", form.sample)}
                <button class="btn primary" id="cluster-run" disabled=busy on:click=move |_| run(false)>
                    "Find hotspots"
                </button>
                {move || {
                    (algo() == "kmeans")
                        .then(|| {
                            view! {
                                <button class="btn" id="cluster-sweep" disabled=busy on:click=move |_| run(true)>
                                    "Sweep k 2–15"
                                </button>
                            }
                        })
                }}
            </div>
            <p class="muted about">{move || about(&algo())}</p>
            {move || form_error.get().map(|e| view! { <p class="form-error" id="cluster-form-error">{e}</p> })}
            <ClusterProgress/>
            {move || {
                clusters
                    .cluster_error
                    .get()
                    .map(|e| {
                        view! {
                            <div class="banner error" id="cluster-error" role="alert">
                                {format!("The clustering failed: {e}")}
                            </div>
                        }
                    })
            }}
        </section>
        <ClusterResults/>
        <SweepView/>
    }
}

#[component]
fn ClusterProgress() -> impl IntoView {
    let clusters = expect_context::<Clusters>();
    // The card is built once per run (a memo of whether one runs, and what): only its text and
    // bar follow the progress. Rebuilt on every progress message, its Cancel button was replaced
    // under the pointer several times a second, and a click could miss it.
    let running = Memo::new(move |_| clusters.cluster_job.with(|j| j.as_ref().map(|j| j.sweep)));
    let done = move || clusters.cluster_job.with(|j| j.as_ref().map_or(0.0, |j| j.done));
    move || {
        running.get().map(|sweep| {
            let what = if sweep { "Sweeping k = 2 … 15" } else { "Clustering every filtered incident" };
            view! {
                <div class="progress-card" id="cluster-progress">
                    <div class="progress-head">
                        <span>{move || format!("{what}… {:.0} %", done() * 100.0)}</span>
                        <button class="btn ghost" id="cluster-cancel" on:click=move |_| clusters.cancel_cluster()>
                            "Cancel"
                        </button>
                    </div>
                    <progress max="1" value=done></progress>
                </div>
            }
        })
    }
}

#[component]
fn ClusterResults() -> impl IntoView {
    let data = expect_context::<Data>();
    let clusters = expect_context::<Clusters>();
    let map = move || {
        clusters.clustering.with(|c| {
            c.as_ref().map_or_else(crate::ui::charts::figure::empty, |c| cluster_charts::map(&c.view))
        })
    };
    // A tapped point or centre of the map: its hotspot's figures, as its row of the table says them.
    let describe_point = Callback::new(move |p: Picked| {
        let hotspot = match p.trace.split_once(':') {
            Some((n, _)) => n.trim().parse::<usize>().ok(),
            None if p.trace == "centres" => usize::try_from(p.index).ok().map(|i| i + 1),
            None => None,
        };
        let lines = clusters.clustering.with_untracked(|c| {
            let c = c.as_ref()?;
            let n = hotspot?;
            let prof = c.view.profiles.get(n.checked_sub(1)?)?;
            let one = if c.view.called() == "areas" { "Area" } else { "Hotspot" };
            let types = prof.top_types.iter().map(|(t, k)| format!("{t} {}", count(*k))).collect::<Vec<_>>();
            Some(vec![
                format!("{one} {n}"),
                format!("{} incidents on {:.2} km²", count(prof.size), prof.area_km2),
                format!("Most: {}", types.join(", ")),
                format!(
                    "Busiest at {:02}:00; arrests {}",
                    prof.peak_hour,
                    prof.arrest_rate.map_or("–".into(), percent)
                ),
            ])
        });
        match lines {
            Some(mut l) => {
                l.extend(p.lines.iter().skip(1).map(|x| format!("This point: {x}")));
                Picked { lines: l, ..p }
            }
            None => p,
        }
    });
    // Its own reactive piece, so that a filter change does not rebuild the results and the map.
    let stale = move || {
        let changed = clusters.clustering.with(|c| c.as_ref().is_some_and(|c| c.filter != data.filter.get()));
        changed.then(|| {
            view! {
                <p class="warnings" id="cluster-stale">
                    "The filter has changed since this run: run it again to update."
                </p>
            }
        })
    };
    move || {
        let c = clusters.clustering.get()?;
        let r = &c.view.report;
        let called = c.view.called();
        // "Hotspot 3" or "Area 3": one word for a cluster everywhere on the page.
        let one = if called == "areas" { "Area" } else { "Hotspot" };
        let opt = |v: Option<f64>, digits: usize| v.map_or("–".into(), |v| format!("{v:.digits$}"));
        let noise_share = if r.points > 0 { percent(r.noise as f64 / r.points as f64) } else { "–".into() };
        let warnings = r.warnings.clone();
        let one_lower = one.to_lowercase();
        let dendrogram = match &r.params {
            Algorithm::Hierarchical(p) if !r.merges.is_empty() => {
                let (merges, k) = (r.merges.clone(), p.k);
                let plot = move || cluster_charts::dendrogram(&merges, k, 30);
                Some(view! {
                    <div class="charts">
                        <Chart id="chart-dendrogram" plot=plot class="wide"/>
                    </div>
                    <p class="muted">
                        "The top of the tree: each branch joins two groups of cells at the Ward distance shown; \
                         the red line is the cut into k clusters. Change k and run again to cut elsewhere \
                         (about a second)."
                    </p>
                })
            }
            _ => None,
        };
        let rows = c
            .view
            .profiles
            .iter()
            .enumerate()
            .take(50)
            .map(|(i, p)| {
                let share = percent(p.size as f64 / r.points.max(1) as f64);
                // A hotspot on one address has a hull of almost no area: a density would be absurd.
                let density = if p.area_km2 >= 0.01 {
                    count((p.size as f64 / p.area_km2) as u64)
                } else {
                    "–".into()
                };
                let types = p.top_types.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>().join(", ");
                view! {
                    <tr data-cluster=i>
                        <td>{format!("{one} {}", i + 1)}</td>
                        <td class="num">{count(p.size)}</td>
                        <td class="num">{share}</td>
                        <td class="num">{format!("{:.2}", p.area_km2)}</td>
                        <td class="num">{density}</td>
                        <td>{types}</td>
                        <td class="num">{format!("{:02}:00", p.peak_hour)}</td>
                        <td class="num">{p.arrest_rate.map_or("–".into(), percent)}</td>
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <section
                class="card"
                id="cluster-results"
                data-algo=r.algo.clone()
                data-clusters=r.n_clusters
                data-run=c.job
                data-ms=format!("{:.0}", c.compute_ms)
            >
                <h2>{format!("{} {called} of {} incidents", r.n_clusters, count(r.points))}</h2>
                {(called == "areas").then(|| view! {
                    <p class="muted" id="cluster-areas-note">
                        {format!(
                            "Called areas, not hotspots: the largest covers {:.0} km², more than the {HOTSPOT_MAX_KM2:.0} km² \
                             of a place a car can patrol. Every incident is in one of them, so they show how the \
                             city divides, not where crime concentrates; DBSCAN or HDBSCAN find hotspots.",
                            c.view.profiles.iter().map(|p| p.area_km2).fold(0.0, f64::max)
                        )}
                    </p>
                })}
                {stale}
                {(!warnings.is_empty()).then(|| view! {
                    <div class="banner warn" id="cluster-warnings" role="alert">
                        <strong>"Degenerate result: "</strong>{warnings.join("; ")}"."
                    </div>
                })}
                <div class="kpis">
                    <crate::ui::widgets::kpi::Kpi id="metric-clusters" label="Clusters" value=r.n_clusters.to_string()/>
                    <crate::ui::widgets::kpi::Kpi
                        id="metric-silhouette"
                        label="Silhouette (−1…1, higher is better)"
                        value=opt(r.silhouette, 3)
                        gloss=Term::Silhouette
                        note=Some(format!("on {} sampled points", count(r.silhouette_sample.size.min(r.points as usize) as u64)))
                    />
                    <crate::ui::widgets::kpi::Kpi id="metric-db" label="Davies–Bouldin (lower is better)" value=opt(r.davies_bouldin, 3) gloss=Term::DaviesBouldin/>
                    <crate::ui::widgets::kpi::Kpi
                        id="metric-ch"
                        label="Calinski–Harabasz (higher is better)"
                        value=r.calinski_harabasz.map_or("–".into(), |v| count(v as u64))
                        gloss=Term::CalinskiHarabasz
                    />
                    <crate::ui::widgets::kpi::Kpi id="metric-noise" label="Noise" value=format!("{} ({noise_share})", count(r.noise)) gloss=Term::Noise/>
                    <crate::ui::widgets::kpi::Kpi id="metric-time" label="Computed in" value=format!("{:.1} s", c.compute_ms / 1000.0)/>
                </div>
                <div class="charts">
                    <Chart id="chart-cluster-map" plot=map class="wide" describe=describe_point/>
                </div>
                {dendrogram}
                <p class="muted">
                    {format!(
                        "The map draws a random sample of {} incidents (seed {}) coloured by {one_lower}, the {called}' \
                         outlines (convex hulls of all their incidents) and centres; the 12 largest {called} have \
                         their own colour.",
                        count(MAP_POINTS.min(r.points as usize) as u64),
                        r.silhouette_sample.seed
                    )}
                </p>
                <table class="data" id="cluster-table">
                    <thead>
                        <tr>
                            <th>{if called == "areas" { "Area" } else { "Hotspot" }}</th>
                            <th class="num">"Incidents"</th>
                            <th class="num">"Share"</th>
                            <th class="num">"Area km²"</th>
                            <th class="num">"Per km²"</th>
                            <th>"Top crime types"</th>
                            <th class="num">"Peak hour"</th>
                            <th class="num">"Arrest rate"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
        })
    }
}

#[component]
fn SweepView() -> impl IntoView {
    let clusters = expect_context::<Clusters>();
    let has = Memo::new(move |_| clusters.sweep.with(Option::is_some));
    let plot = move || {
        clusters.sweep.with(|s| {
            s.as_ref().map_or_else(crate::ui::charts::figure::empty, |s| cluster_charts::sweep(&s.points))
        })
    };
    move || {
        has.get().then(|| {
            view! {
                <section class="card" id="sweep">
                    <h2>"Choosing k"</h2>
                    <p class="muted">
                        "K-Means for each k on every filtered incident (one k-means++ start each). Look for the \
                         elbow, where inertia stops falling fast, and for a high silhouette."
                    </p>
                    <div class="charts">
                        <Chart id="chart-sweep" plot=plot class="wide"/>
                    </div>
                </section>
            }
        })
    }
}
