//! One analysis run as the experiment log keeps it: what was asked (typed, so it can be re-run),
//! what came out (metrics, small artifacts), on which data and filter, and how long it took.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::backtest::BacktestParams;
use crate::cluster::metrics::SilhouetteSample;
use crate::cluster::report::Algorithm;
use crate::filter::Filter;
use crate::reduce::embed::EmbedParams;
use crate::risk::hotspots::HotspotMode;
use crate::risk::RiskParams;
use crate::route::plan::RouteParams;
use crate::temporal::TemporalParams;
use crate::CleaningReport;

/// What was asked of the worker, exactly as asked: re-opening a run sends this again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RunParams {
    Cluster {
        algo: Algorithm,
        sample: SilhouetteSample,
    },
    Sweep {
        from: usize,
        to: usize,
        seed: u64,
        sample: SilhouetteSample,
    },
    Temporal {
        params: TemporalParams,
    },
    Pca,
    Embed {
        params: EmbedParams,
    },
    Risk {
        params: RiskParams,
        mode: HotspotMode,
        top: usize,
        /// The environment layers the risk terrain was fitted on, by name (their files are not
        /// kept: re-opening the run fits on the layers the page has then).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        layers: Vec<String>,
    },
    /// `risk`: the risk grid whose hotspots the route visits (re-opening runs it first).
    Route {
        params: RouteParams,
        network: bool,
        within_min: f64,
        #[serde(default)]
        risk: Option<(RiskParams, HotspotMode, usize)>,
    },
    Backtest {
        params: BacktestParams,
        /// The environment layers of the `risk_terrain` method, by name (as for `Risk`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        layers: Vec<String>,
    },
}

/// The analyses the log knows, in the order the Experiments page lists them.
pub const KINDS: [&str; 8] = ["cluster", "sweep", "temporal", "pca", "embed", "risk", "route", "backtest"];

impl RunParams {
    /// The kind's short name ("cluster", "sweep", …): the log's `kind` field.
    pub fn kind(&self) -> &'static str {
        match self {
            RunParams::Cluster { .. } => "cluster",
            RunParams::Sweep { .. } => "sweep",
            RunParams::Temporal { .. } => "temporal",
            RunParams::Pca => "pca",
            RunParams::Embed { .. } => "embed",
            RunParams::Risk { .. } => "risk",
            RunParams::Route { .. } => "route",
            RunParams::Backtest { .. } => "backtest",
        }
    }

    /// The page that shows this kind of run (its URL slug).
    pub fn page(&self) -> &'static str {
        match self {
            RunParams::Cluster { .. } | RunParams::Sweep { .. } => "hotspots",
            RunParams::Temporal { .. } => "when",
            RunParams::Pca | RunParams::Embed { .. } => "shape",
            RunParams::Risk { .. } | RunParams::Route { .. } => "patrol",
            RunParams::Backtest { .. } => "backtest",
        }
    }

    /// A one-line name for tables ("K-Means k=9").
    pub fn title(&self) -> String {
        match self {
            RunParams::Cluster { algo, .. } => match algo {
                Algorithm::Kmeans(p) => format!("K-Means k={}", p.k),
                Algorithm::Dbscan(p) => format!("DBSCAN eps={} m, min={}", p.eps_m, p.min_samples),
                Algorithm::Hierarchical(p) => format!("Ward k={}, cell {} m", p.k, p.cell_m),
                Algorithm::Hdbscan(p) => format!("HDBSCAN min size={}", p.min_cluster_size),
            },
            RunParams::Sweep { from, to, .. } => format!("K-Means sweep k={from}–{to}"),
            RunParams::Temporal { params } => match params.k {
                Some(k) => format!("Temporal patterns k={k}"),
                None => "Temporal patterns (k chosen)".into(),
            },
            RunParams::Pca => "PCA".into(),
            RunParams::Embed { params } => format!("{} map", params.method.name()),
            RunParams::Risk { params, mode, top, layers } => {
                let mode = match mode {
                    HotspotMode::Areas => "hotspot areas",
                    HotspotMode::TopCells => "top cells",
                    HotspotMode::GiClusters => "Gi* clusters",
                };
                let layers =
                    if layers.is_empty() { String::new() } else { format!(", layers {}", layers.join(", ")) };
                format!("Risk grid {} m, {top} {mode}{layers}", params.cell_m)
            }
            RunParams::Route { params, .. } => {
                format!(
                    "Route {} stops, {} car{}",
                    params.stops,
                    params.cars,
                    if params.cars == 1 { "" } else { "s" }
                )
            }
            RunParams::Backtest { params, layers } => {
                let layers =
                    if layers.is_empty() { String::new() } else { format!(", layers {}", layers.join(", ")) };
                match params.split {
                    Some(d) => format!("Back-test from {d}, {} m cells{layers}", params.cell_m),
                    None => format!("Back-test, {} m cells{layers}", params.cell_m),
                }
            }
        }
    }

    /// The parameters as flat `dotted.key → value` text (the form MLflow, the CSV and the diff
    /// use); the sample size and seeds are parameters too.
    pub fn flat(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let value = serde_json::to_value(self).unwrap_or(Value::Null);
        flatten("", &value, &mut out);
        out.remove("kind");
        out
    }
}

fn flatten(prefix: &str, v: &Value, out: &mut BTreeMap<String, String>) {
    let key = |k: &str| if prefix.is_empty() { k.to_string() } else { format!("{prefix}.{k}") };
    match v {
        Value::Object(m) => m.iter().for_each(|(k, v)| flatten(&key(k), v, out)),
        Value::Array(a) if a.iter().all(|x| !x.is_object() && !x.is_array()) => {
            let items: Vec<String> = a.iter().map(scalar).collect();
            out.insert(prefix.to_string(), items.join(","));
        }
        Value::Array(a) => a.iter().enumerate().for_each(|(i, v)| flatten(&key(&i.to_string()), v, out)),
        Value::Null => {
            out.insert(prefix.to_string(), "none".into());
        }
        _ => {
            out.insert(prefix.to_string(), scalar(v));
        }
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The data a run was made on: enough to tell two datasets apart and say which it was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetPrint {
    pub name: String,
    pub rows: u64,
    pub first: Option<String>,
    pub last: Option<String>,
    /// FNV-1a 64 of the source's name, size and format, the rows read and kept, and the date range.
    pub fingerprint: String,
}

impl DatasetPrint {
    pub fn of(report: &CleaningReport) -> DatasetPrint {
        let key = serde_json::json!([
            report.source.name,
            report.source.format,
            report.source.bytes,
            report.rows_read,
            report.rows_clean,
            report.date_min,
            report.date_max
        ]);
        DatasetPrint {
            name: report.source.name.clone(),
            rows: report.rows_clean,
            first: report.date_min.clone(),
            last: report.date_max.clone(),
            fingerprint: fnv(&key.to_string()),
        }
    }
}

/// 16 hex digits of FNV-1a 64: a stable, dependency-free fingerprint (not a security hash).
pub fn fnv(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// A small file kept with a run (a GeoJSON of centroids, a route, a chart's data).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Artifact {
    /// A file name ("centroids.geojson").
    pub name: String,
    pub media_type: String,
    pub text: String,
}

/// Where a run went on an MLflow server, once it got there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pushed {
    pub server: String,
    pub experiment_id: String,
    pub run_id: String,
    /// Artifacts the server took (some servers store no artifacts through the REST API).
    pub artifacts: usize,
    /// Milliseconds since the epoch.
    pub at_ms: i64,
    /// The run was closed (FINISHED) with everything logged; false after a push that broke
    /// half-way, which a retry completes on the same MLflow run.
    pub finished: bool,
}

/// One logged run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// Unique in the log: the start time and a hash of everything else.
    pub id: String,
    /// Milliseconds since the epoch (the core has no clock: the caller gives it).
    pub started_ms: i64,
    pub duration_ms: f64,
    pub kind: String,
    pub title: String,
    pub params: RunParams,
    /// Finite numbers only (JSON has no NaN); a metric that is undefined is absent.
    pub metrics: BTreeMap<String, f64>,
    pub dataset: DatasetPrint,
    pub filter: Filter,
    /// FNV-1a of the filter's JSON.
    pub filter_print: String,
    pub artifacts: Vec<Artifact>,
    /// Free-form notes (the app's version, the data's source type).
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    #[serde(default)]
    pub pushed: Option<Pushed>,
}

/// What a finished run gives the log: its metrics and artifacts (see [`super::record`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    pub metrics: BTreeMap<String, f64>,
    pub artifacts: Vec<Artifact>,
}

impl Outcome {
    /// Keeps `value` under `key` when it is a finite number.
    pub fn metric(&mut self, key: &str, value: impl Into<Option<f64>>) {
        if let Some(v) = value.into().filter(|v| v.is_finite()) {
            self.metrics.insert(key.to_string(), v);
        }
    }

    pub fn artifact(&mut self, name: &str, media_type: &str, text: String) {
        self.artifacts.push(Artifact { name: name.into(), media_type: media_type.into(), text });
    }
}

impl Run {
    /// A run started at `started_ms` that took `duration_ms`.
    pub fn new(
        started_ms: i64,
        duration_ms: f64,
        params: RunParams,
        outcome: Outcome,
        dataset: DatasetPrint,
        filter: Filter,
    ) -> Run {
        let filter_print = fnv(&serde_json::to_string(&filter).unwrap_or_default());
        let body =
            serde_json::json!([params, outcome.metrics, dataset.fingerprint, filter_print, duration_ms]);
        let id = format!("{}-{}", started_ms.max(0), &fnv(&body.to_string())[..8]);
        Run {
            id,
            started_ms,
            duration_ms: if duration_ms.is_finite() { duration_ms.max(0.0) } else { 0.0 },
            kind: params.kind().into(),
            title: params.title(),
            params,
            metrics: outcome.metrics,
            dataset,
            filter,
            filter_print,
            artifacts: outcome.artifacts,
            tags: BTreeMap::new(),
            pushed: None,
        }
    }

    /// A parameter or metric by name, as a number if it is one ("params.algo.k", "silhouette").
    pub fn number(&self, key: &str) -> Option<f64> {
        if let Some(m) = self.metrics.get(key) {
            return Some(*m);
        }
        match key {
            "duration_ms" => Some(self.duration_ms),
            "rows" => Some(self.dataset.rows as f64),
            _ => key
                .strip_prefix("params.")
                .and_then(|p| self.params.flat().get(p).and_then(|v| v.parse().ok())),
        }
    }
}
