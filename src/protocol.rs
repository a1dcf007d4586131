//! The one message type each way between the UI thread and the data worker.
//!
//! Messages travel as JSON text in `postMessage`; a `File` to load travels beside the text (the
//! browser hands the worker a reference, not a copy); an export's bytes travel back the same way
//! (transferred, not copied). The UI only ever receives summaries and exports the user asked
//! for: the table stays in the worker.

use patroliq_core::areas::{AreaKind, AreaReport, Outline};
use patroliq_core::backtest::{Backtest, BacktestParams};
use patroliq_core::bench::{Beside, PipelineParams, StageTime};
use patroliq_core::briefing::{Briefing, BriefingParams};
use patroliq_core::cluster::kmeans::SweepPoint;
use patroliq_core::cluster::metrics::SilhouetteSample;
use patroliq_core::cluster::report::{Algorithm, ClusterView};
use patroliq_core::density::{DensityParams, DensityView};
use patroliq_core::eda::Eda;
use patroliq_core::filter::Filter;
use patroliq_core::load::portal::PortalQuery;
use patroliq_core::reduce::embed::{EmbedParams, EmbedView};
use patroliq_core::reduce::pca::PcaView;
use patroliq_core::risk::hotspots::HotspotMode;
use patroliq_core::risk::{RiskParams, RiskView};
use patroliq_core::route::network::NetworkSummary;
use patroliq_core::route::plan::RouteParams;
use patroliq_core::route::stations::Station;
use patroliq_core::route::RouteView;
use patroliq_core::summary::DatasetSummary;
use patroliq_core::temporal::{TemporalParams, TemporalView};
use patroliq_core::CleaningReport;
use serde::{Deserialize, Serialize};

/// Identifies one request so that late messages from a cancelled job are ignored.
pub type JobId = u32;

/// Where a dataset comes from. Kept by the UI so it can reload after a worker crash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Source {
    Demo {
        rows: usize,
        seed: u64,
    },
    /// A local file; the `File` object is sent beside the message.
    File {
        name: String,
        size: u64,
    },
    Url {
        url: String,
    },
    Portal(PortalQuery),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    Load {
        job: JobId,
        source: Source,
    },
    Cancel {
        job: JobId,
    },
    /// The EDA aggregates of the rows passing `filter`.
    Analyse {
        job: JobId,
        filter: Filter,
    },
    /// The features of the rows passing `filter`, as a Parquet file.
    ExportFeatures {
        job: JobId,
        filter: Filter,
    },
    /// Hotspot clustering of the rows passing `filter`.
    Cluster {
        job: JobId,
        filter: Filter,
        algo: Algorithm,
        sample: SilhouetteSample,
    },
    /// K-Means for k = from..=to (inertia and silhouette of each), to help choose k.
    Sweep {
        job: JobId,
        filter: Filter,
        from: usize,
        to: usize,
        seed: u64,
        sample: SilhouetteSample,
    },
    /// Temporal patterns and peaks of the rows passing `filter`.
    Temporal {
        job: JobId,
        filter: Filter,
        params: TemporalParams,
    },
    /// PCA of the rows passing `filter`.
    Pca {
        job: JobId,
        filter: Filter,
    },
    /// A t-SNE or UMAP map of a sample of the rows passing `filter`.
    Embed {
        job: JobId,
        filter: Filter,
        params: EmbedParams,
    },
    /// The risk grid of the rows passing `filter` and its `top` hotspots.
    Risk {
        job: JobId,
        filter: Filter,
        params: RiskParams,
        mode: HotspotMode,
        top: usize,
    },
    /// A patrol plan through the hotspots of the last risk run (of the same filter), on the loaded
    /// road network if `network`, else the street grid; evaluated within `within_min` minutes.
    Route {
        job: JobId,
        filter: Filter,
        params: RouteParams,
        network: bool,
        within_min: f64,
    },
    /// Every hotspot method fitted before the split and scored after it, on the rows passing
    /// `filter`.
    Backtest {
        job: JobId,
        filter: Filter,
        params: BacktestParams,
    },
    /// The whole-pipeline benchmark on every loaded row (the filter is ignored: the benchmark
    /// times the pipeline on the dataset, as `patroliq bench` does on the file).
    Bench {
        job: JobId,
        params: PipelineParams,
    },
    /// Tonight's briefing of the rows passing `filter`; the route starts at the station of
    /// `stations` nearest the hotspots and drives on the loaded road network if `network`.
    Briefing {
        job: JobId,
        filter: Filter,
        params: BriefingParams,
        stations: Vec<Station>,
        network: bool,
    },
    /// Incidents per km² on the map (KDE or counts), with the time slider's frames.
    Density {
        job: JobId,
        filter: Filter,
        params: DensityParams,
    },
    /// A boundary file (community areas, districts or beats): sent beside the message, or
    /// fetched from `url` (the Chicago Data Portal's export).
    LoadBoundaries {
        job: JobId,
        url: Option<String>,
    },
    /// The figures of each area of the loaded boundaries of `kind`.
    Areas {
        job: JobId,
        filter: Filter,
        kind: AreaKind,
    },
    /// A "Police Stations" CSV, sent beside the message.
    LoadStations {
        job: JobId,
    },
    /// A TNTP road network: the nodes file and the links file, sent beside the message.
    LoadNetwork {
        job: JobId,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Stage {
    Reading,
    Decoding,
    Summarising,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker has started and can take requests.
    Ready,
    Progress {
        job: JobId,
        stage: Stage,
        bytes: u64,
        total_bytes: Option<u64>,
        rows: u64,
    },
    Loaded {
        job: JobId,
        report: Box<CleaningReport>,
        summary: Box<DatasetSummary>,
        /// The gzip file was inflated in the map worker, beside the parse.
        inflated_beside: bool,
    },
    /// The load failed; the previous dataset is still loaded in the worker.
    Failed {
        job: JobId,
        kind: String,
        message: String,
        report: Option<Box<CleaningReport>>,
    },
    Cancelled {
        job: JobId,
    },
    Analysed {
        job: JobId,
        filter: Filter,
        eda: Box<Eda>,
        compute_ms: f64,
    },
    /// The Parquet bytes are sent beside this message. `features_ms`: the part of `compute_ms`
    /// spent computing features (the rest is Parquet encoding).
    Exported {
        job: JobId,
        file_name: String,
        rows: u64,
        bytes: u64,
        compute_ms: f64,
        features_ms: f64,
    },
    /// How far a clustering, sweep, temporal clustering or map has got, 0–1.
    ClusterProgress {
        job: JobId,
        done: f64,
    },
    Clustered {
        job: JobId,
        view: Box<ClusterView>,
        compute_ms: f64,
    },
    Swept {
        job: JobId,
        points: Vec<SweepPoint>,
        compute_ms: f64,
    },
    Temporal {
        job: JobId,
        view: Box<TemporalView>,
        compute_ms: f64,
    },
    Pca {
        job: JobId,
        view: Box<PcaView>,
        compute_ms: f64,
    },
    Embedded {
        job: JobId,
        view: Box<EmbedView>,
        compute_ms: f64,
    },
    Risk {
        job: JobId,
        view: Box<RiskView>,
        compute_ms: f64,
    },
    Route {
        job: JobId,
        view: Box<RouteView>,
        compute_ms: f64,
    },
    Backtest {
        job: JobId,
        view: Box<Backtest>,
        compute_ms: f64,
    },
    Benched {
        job: JobId,
        stages: Vec<StageTime>,
        /// Whole passes with the maps on the map worker, when asked for.
        #[serde(default)]
        beside: Option<Beside>,
        compute_ms: f64,
    },
    Briefing {
        job: JobId,
        view: Box<Briefing>,
        compute_ms: f64,
    },
    Density {
        job: JobId,
        view: Box<DensityView>,
        compute_ms: f64,
    },
    /// A boundary file was read: its kind, where it came from, and the areas' outlines.
    Boundaries {
        job: JobId,
        kind: AreaKind,
        source: String,
        outlines: Vec<Outline>,
    },
    Areas {
        job: JobId,
        report: Box<AreaReport>,
        compute_ms: f64,
    },
    Stations {
        job: JobId,
        stations: Vec<Station>,
        skipped: usize,
    },
    Network {
        job: JobId,
        summary: NetworkSummary,
    },
    /// An analysis or export failed (e.g. no dataset is loaded yet).
    AnalysisFailed {
        job: JobId,
        message: String,
    },
    /// A bug: the worker panicked and must be restarted.
    Crashed {
        message: String,
    },
}

impl ToWorker {
    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("messages serialise")
    }
}

impl FromWorker {
    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("messages serialise")
    }
}
