//! The whole-pipeline benchmark: every analysis of the app, run on one table with the pages'
//! parameters, timed stage by stage with each stage's peak heap. `patroliq bench` runs it; it
//! has no I/O and takes its clock as a closure, so the worker can run it unchanged for the
//! browser's column of the README's table. `bench/reference_pipeline.py` does the equivalent with
//! scikit-learn, umap-learn and OR-Tools. The stage names are part of `patroliq bench --json`'s
//! contract (README, "CLI JSON").

pub mod alloc;

use serde::{Deserialize, Serialize};

use crate::backtest::methods::Method as BtMethod;
use crate::backtest::BacktestParams;
use crate::cluster::dbscan::DbscanParams;
use crate::cluster::hdbscan::HdbscanParams;
use crate::cluster::hierarchical::WardParams;
use crate::cluster::kmeans::KMeansParams;
use crate::cluster::metrics::SilhouetteSample;
use crate::cluster::report::{analyse_labelled, Algorithm};
use crate::cluster::Silent;
use crate::eda::Eda;
use crate::error::AnalysisError;
use crate::features::{self, Features};
use crate::reduce::embed::{EmbedParams, EmbedValid, Mapped, Method as EmbedMethod};
use crate::reduce::knn::Matrix;
use crate::reduce::pca::Pca;
use crate::risk::hotspots::{hotspots, HotspotMode};
use crate::risk::RiskParams;
use crate::route::evaluate::DEFAULT_REACH_MIN;
use crate::route::plan::RouteParams;
use crate::route::travel::StreetGrid;
use crate::route::RouteView;
use crate::temporal::peaks::Peaks;
use crate::temporal::TemporalParams;
use crate::CrimeTable;

/// Every analysis stage, in pipeline order (`load` is timed by the caller, which has the bytes).
pub const STAGES: [&str; 13] = [
    "features",
    "eda",
    "kmeans",
    "dbscan",
    "hierarchical",
    "hdbscan",
    "temporal",
    "pca",
    "umap",
    "tsne",
    "risk",
    "route",
    "backtest",
];

/// The stages that map a sample ([`MapJob`]).
pub const MAPS: [&str; 2] = ["umap", "tsne"];

fn map_what(stage: &str, sample: usize) -> String {
    format!(
        "{} map of a {sample}-incident sample: exact k-NN, layout, trustworthiness",
        if stage == "umap" { "UMAP" } else { "t-SNE, 1,000 iterations," }
    )
}

/// What to run and how often.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipelineParams {
    /// Timed runs of each stage (the median is reported), 1–20.
    pub runs: usize,
    /// Incidents in the UMAP and t-SNE maps.
    pub umap_sample: usize,
    pub tsne_sample: usize,
    /// Hotspots on the route.
    pub route_stops: usize,
    /// Stages to run (names of [`STAGES`]); empty: all.
    #[serde(default)]
    pub only: Vec<String>,
    /// Also time whole passes with the maps (`umap`, `tsne`) beside the other stages, each on a
    /// thread or worker of its own ([`Beside`]).
    #[serde(default)]
    pub beside: bool,
}

impl Default for PipelineParams {
    fn default() -> Self {
        PipelineParams {
            runs: 3,
            umap_sample: 20_000,
            tsne_sample: 5_000,
            route_stops: 50,
            only: Vec::new(),
            beside: false,
        }
    }
}

impl PipelineParams {
    pub fn check(self) -> Result<PipelineValid, AnalysisError> {
        let bad = |m: String| Err(AnalysisError::Param(m));
        if !(1..=20).contains(&self.runs) {
            return bad(format!("runs must be 1–20, not {}", self.runs));
        }
        if let Some(stage) = self.only.iter().find(|s| !STAGES.contains(&s.as_str())) {
            return bad(format!("no stage is called {stage:?}; the stages are {}", STAGES.join(", ")));
        }
        if self.umap_sample < 100 || self.tsne_sample < 100 {
            return bad("the map samples must be at least 100 incidents".into());
        }
        if !(1..=200).contains(&self.route_stops) {
            return bad(format!("route stops must be 1–200, not {}", self.route_stops));
        }
        Ok(PipelineValid(self))
    }
}

/// Checked [`PipelineParams`].
#[derive(Debug, Clone)]
pub struct PipelineValid(PipelineParams);

/// One stage's times.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageTime {
    /// A name of [`STAGES`], or `load`.
    pub stage: String,
    /// The work, in words (parameters, sample sizes).
    pub what: String,
    /// Rows the stage read.
    pub rows: u64,
    pub runs_ms: Vec<f64>,
    pub median_ms: f64,
    /// The most heap allocated at once during a run, table included (0: not counted).
    pub peak_bytes: u64,
    /// What the last run found (so a benchmark of a failing stage cannot pass unseen), or its
    /// error as `error: …`.
    pub outcome: String,
}

impl StageTime {
    pub fn failed(&self) -> bool {
        self.outcome.starts_with("error:")
    }
}

/// Whole passes of the chosen stages with the maps beside: the maps are prepared (their
/// samples' features, which need the table) and each handed to a thread or worker of its own,
/// the other stages run meanwhile, and a pass ends when the last of them ends. The load is not
/// in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Beside {
    /// Wall-clock time of each pass.
    pub runs_ms: Vec<f64>,
    pub median_ms: f64,
    /// The stages of the last pass, each timed where it ran (two cores busy at once).
    pub stages: Vec<StageTime>,
}

impl Beside {
    pub fn of(passes: Vec<(f64, Vec<StageTime>)>) -> Beside {
        let runs_ms: Vec<f64> = passes.iter().map(|p| p.0).collect();
        Beside {
            median_ms: median(&runs_ms),
            runs_ms,
            stages: passes.into_iter().last().map_or_else(Vec::new, |p| p.1),
        }
    }
}

/// A map stage made ready for another thread or worker: its sample's standardised features,
/// the only part of a map that needs the table.
#[derive(Debug, Clone)]
pub struct MapJob {
    /// `umap` or `tsne`.
    pub stage: &'static str,
    pub what: String,
    /// Rows of the table the sample was drawn from.
    pub rows: u64,
    pub valid: EmbedValid,
    pub x: Matrix,
    /// The preparation's time, counted in the stage's.
    pub prepare_ms: f64,
}

impl MapJob {
    /// The stage's time, from the map's result wherever it ran and how long it took there.
    pub fn timed(&self, result: Result<&Mapped, String>, map_ms: f64) -> StageTime {
        let ms = self.prepare_ms + map_ms;
        StageTime {
            stage: self.stage.into(),
            what: self.what.clone(),
            rows: self.rows,
            runs_ms: vec![ms],
            median_ms: ms,
            peak_bytes: 0,
            outcome: match result {
                Ok(m) => map_outcome(m.0.len(), m.1),
                Err(e) => format!("error: {e}"),
            },
        }
    }

    /// Maps the sample here.
    pub fn run(&self, clock: &dyn Fn() -> f64) -> StageTime {
        let t0 = clock();
        let r = self.valid.fit_matrix(&self.x, &mut Silent).map_err(|e| e.to_string());
        self.timed(r.as_ref().map_err(Clone::clone), clock() - t0)
    }
}

fn map_outcome(points: usize, trust: Option<f64>) -> String {
    format!("{points} points, trustworthiness {}", silhouette(trust))
}

/// `stages` in the order of [`STAGES`].
pub fn in_order(mut stages: Vec<StageTime>) -> Vec<StageTime> {
    stages.sort_by_key(|s| STAGES.iter().position(|&n| n == s.stage).unwrap_or(usize::MAX));
    stages
}

/// Median of `xs` (the mean of the middle two for an even count).
pub fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// Times `runs` runs of `f` with `clock` (milliseconds), resetting the peak-heap counter before
/// each; `describe` summarises the last result. A result is dropped after its clock stops.
pub fn measure<T>(
    stage: &str,
    what: String,
    rows: u64,
    runs: usize,
    clock: &dyn Fn() -> f64,
    mut f: impl FnMut() -> Result<T, String>,
    describe: impl Fn(&T) -> String,
) -> StageTime {
    let mut runs_ms = Vec::with_capacity(runs);
    let mut peak = 0;
    let mut outcome = String::new();
    for _ in 0..runs.max(1) {
        alloc::reset_peak();
        let t0 = clock();
        let r = f();
        runs_ms.push(clock() - t0);
        peak = peak.max(alloc::peak_bytes());
        outcome = match &r {
            Ok(v) => describe(v),
            Err(e) => format!("error: {e}"),
        };
        drop(r);
        if outcome.starts_with("error:") {
            break;
        }
    }
    StageTime {
        stage: stage.into(),
        what,
        median_ms: median(&runs_ms),
        runs_ms,
        rows,
        peak_bytes: peak as u64,
        outcome,
    }
}

fn silhouette(v: Option<f64>) -> String {
    v.map_or("–".into(), |s| format!("{s:.3}"))
}

impl PipelineValid {
    pub fn params(&self) -> &PipelineParams {
        &self.0
    }

    /// The stages this run will time, in order.
    pub fn stages(&self) -> Vec<&'static str> {
        STAGES
            .iter()
            .copied()
            .filter(|s| self.0.only.is_empty() || self.0.only.iter().any(|o| o == s))
            .collect()
    }

    /// Runs every chosen stage on all rows of `t`. `progress(stage, i, n)` is called before each
    /// stage; it returns `false` to stop (the stages done so far are returned).
    pub fn run(
        &self,
        t: &CrimeTable,
        clock: &dyn Fn() -> f64,
        progress: &mut dyn FnMut(&str, usize, usize) -> bool,
    ) -> Vec<StageTime> {
        let stages = self.stages();
        let mut out = Vec::with_capacity(stages.len());
        for (i, stage) in stages.iter().enumerate() {
            if !progress(stage, i, stages.len()) {
                break;
            }
            out.push(self.stage(t, stage, clock, self.0.runs));
        }
        out
    }

    /// One pass of every chosen stage but the maps (their part of a [`Beside`] pass).
    pub fn run_rest(
        &self,
        t: &CrimeTable,
        clock: &dyn Fn() -> f64,
        progress: &mut dyn FnMut(&str, usize, usize) -> bool,
    ) -> Vec<StageTime> {
        let stages: Vec<&str> = self.stages().into_iter().filter(|s| !MAPS.contains(s)).collect();
        let mut out = Vec::with_capacity(stages.len());
        for (i, stage) in stages.iter().enumerate() {
            if !progress(stage, i, stages.len()) {
                break;
            }
            out.push(self.stage(t, stage, clock, 1));
        }
        out
    }

    /// The chosen map stages, prepared on `t` (the other part of a [`Beside`] pass).
    pub fn map_jobs(&self, t: &CrimeTable, clock: &dyn Fn() -> f64) -> Result<Vec<MapJob>, String> {
        let all = features::all_rows(t);
        let mut jobs = Vec::new();
        for stage in self.stages().into_iter().filter(|s| MAPS.contains(s)) {
            let t0 = clock();
            let params = self.map_params(stage);
            let what = map_what(stage, params.sample);
            let valid = params.check().map_err(|e| e.to_string())?;
            let x = valid.prepare(t, &all).x;
            let stage = if stage == "umap" { "umap" } else { "tsne" };
            jobs.push(MapJob { stage, what, rows: all.len() as u64, valid, x, prepare_ms: clock() - t0 });
        }
        Ok(jobs)
    }

    fn map_params(&self, stage: &str) -> EmbedParams {
        let (method, sample) = if stage == "umap" {
            (EmbedMethod::Umap, self.0.umap_sample)
        } else {
            (EmbedMethod::Tsne, self.0.tsne_sample)
        };
        EmbedParams { method, sample, ..EmbedParams::default() }
    }

    fn stage(&self, t: &CrimeTable, stage: &str, clock: &dyn Fn() -> f64, runs: usize) -> StageTime {
        let p = &self.0;
        let all = features::all_rows(t);
        let n = all.len() as u64;
        let cluster = |algo: Algorithm, what: String| {
            let sample = SilhouetteSample::default();
            measure(
                stage,
                format!("{what}, + silhouette of 10,000, Davies–Bouldin, Calinski–Harabasz, hotspot table"),
                n,
                runs,
                clock,
                || analyse_labelled(t, &all, &algo, &sample, &mut Silent).map_err(|e| e.to_string()),
                |(v, _)| {
                    format!(
                        "{} clusters, {} noise, silhouette {}",
                        v.report.n_clusters,
                        v.report.noise,
                        silhouette(v.report.silhouette)
                    )
                },
            )
        };
        match stage {
            "features" => measure(
                stage,
                "the 33 features of every row".into(),
                n,
                runs,
                clock,
                || Ok(features::compute(t)),
                |m| format!("{} features", m.columns.len()),
            ),
            "eda" => measure(
                stage,
                "every aggregate and the 19 × 19 correlation".into(),
                n,
                runs,
                clock,
                || Ok(Eda::of(t, &all)),
                |e| format!("{} crime types", e.types.len()),
            ),
            "kmeans" => cluster(
                Algorithm::Kmeans(KMeansParams { k: 9, n_init: 1, ..KMeansParams::default() }),
                "K-Means k = 9, 1 k-means++ init".into(),
            ),
            "dbscan" => cluster(
                Algorithm::Dbscan(DbscanParams { eps_m: 150.0, min_samples: 50 }),
                "DBSCAN eps 150 m, min samples 50".into(),
            ),
            "hierarchical" => cluster(
                Algorithm::Hierarchical(WardParams { cell_m: 200.0, k: 9 }),
                "Ward k = 9 on 200 m cells".into(),
            ),
            "hdbscan" => cluster(
                Algorithm::Hdbscan(HdbscanParams { min_cluster_size: 500, min_samples: 50 }),
                "HDBSCAN min cluster size 500, min samples 50".into(),
            ),
            "temporal" => {
                let params = TemporalParams::default();
                let what = format!(
                    "hour × weekday × month cells, k = {}…{} × {} restarts with silhouettes, + peaks",
                    params.k_min, params.k_max, params.n_init
                );
                measure(
                    stage,
                    what,
                    n,
                    runs,
                    clock,
                    || {
                        let r = params.clone().check().and_then(|v| v.fit(t, &all, &mut Silent));
                        let peaks = Peaks::of(t, &all);
                        r.map(|r| (r, peaks)).map_err(|e| e.to_string())
                    },
                    |(r, _)| format!("{} patterns of {} cells", r.k, r.cells),
                )
            }
            "pca" => measure(
                stage,
                "standardised numeric features of every row, all components".into(),
                n,
                runs,
                clock,
                || Pca::fit_prepared(&Features::prepare(t, &all), &all).map_err(|e| e.to_string()),
                |p| {
                    format!(
                        "{} features, first component {:.1} %",
                        p.features.len(),
                        100.0 * p.explained_variance_ratio.first().copied().unwrap_or(f64::NAN)
                    )
                },
            ),
            "umap" | "tsne" => {
                let params = self.map_params(stage);
                let what = map_what(stage, params.sample);
                measure(
                    stage,
                    what,
                    n,
                    runs,
                    clock,
                    || {
                        params
                            .clone()
                            .check()
                            .and_then(|v| v.fit(t, &all, &mut Silent))
                            .map_err(|e| e.to_string())
                    },
                    |e| map_outcome(e.xy.len(), e.trustworthiness),
                )
            }
            "risk" => measure(
                stage,
                "250 m cells: severity, recency, Poisson environment model, KDE, Gi* + FDR; top 50".into(),
                n,
                runs,
                clock,
                || {
                    let m = RiskParams::default().check().and_then(|v| v.fit(t, &all, &mut Silent));
                    m.map(|m| (hotspots(&m, HotspotMode::TopCells, 50), m.cells.len()))
                        .map_err(|e| e.to_string())
                },
                |(h, cells)| format!("{cells} cells, {} hotspots", h.len()),
            ),
            "route" => {
                // The hotspots come from the risk grid, fitted outside the clock (its own stage).
                let spots = RiskParams::default()
                    .check()
                    .and_then(|v| v.fit(t, &all, &mut Silent))
                    .map(|m| hotspots(&m, HotspotMode::TopCells, p.route_stops))
                    .map_err(|e| e.to_string());
                let crimes: Vec<(f64, f64)> =
                    all.iter().map(|&r| (t.latitude.get(r as usize), t.longitude.get(r as usize))).collect();
                let params = RouteParams { stops: p.route_stops, ..RouteParams::default() };
                let what = format!(
                    "tour from headquarters through the {} riskiest cells (street grid, 20:00), \
                     + reach of every crime at 6 departures × 2 routes",
                    p.route_stops
                );
                measure(
                    stage,
                    what,
                    n,
                    runs,
                    clock,
                    || {
                        let spots = spots.as_ref().map_err(Clone::clone)?;
                        let valid = params.clone().check().map_err(|e| e.to_string())?;
                        let prep = valid.prepare(spots, &mut StreetGrid)?;
                        Ok(RouteView::make(&valid, &prep, &crimes, DEFAULT_REACH_MIN))
                    },
                    |v| {
                        format!(
                            "{:.1} km, {:.0} min",
                            v.plan.distance_m / 1000.0,
                            v.plan.travel_time_s / 60.0
                        )
                    },
                )
            }
            "backtest" => {
                let params = BacktestParams {
                    methods: vec![
                        BtMethod::Naive,
                        BtMethod::Kde,
                        BtMethod::Kmeans,
                        BtMethod::Dbscan,
                        BtMethod::GiStar,
                    ],
                    route_stops: 0,
                    ..BacktestParams::default()
                };
                measure(
                    stage,
                    "last 20 % of days held out: naive, KDE, K-Means areas, DBSCAN, Gi* fitted before, \
                     hit rates at 1, 5, 10 % of the area"
                        .into(),
                    n,
                    runs,
                    clock,
                    || {
                        params
                            .clone()
                            .check()
                            .and_then(|v| v.run(t, &all, &mut Silent))
                            .map_err(|e| e.to_string())
                    },
                    |b| {
                        let w = b.winner(1).map_or("–", |m| m.label.as_str());
                        format!("{} methods, best at 5 %: {w}", b.methods.len())
                    },
                )
            }
            other => StageTime {
                stage: other.into(),
                what: String::new(),
                rows: n,
                runs_ms: Vec::new(),
                median_ms: 0.0,
                peak_bytes: 0,
                outcome: format!("error: no stage is called {other:?}"),
            },
        }
    }
}

#[cfg(test)]
mod tests;
