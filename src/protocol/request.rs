//! What the page asks of the data worker.

use patroliq_core::areas::AreaKind;
use patroliq_core::backtest::BacktestParams;
use patroliq_core::bench::PipelineParams;
use patroliq_core::briefing::BriefingParams;
use patroliq_core::cluster::metrics::SilhouetteSample;
use patroliq_core::cluster::report::Algorithm;
use patroliq_core::density::DensityParams;
use patroliq_core::filter::Filter;
use patroliq_core::forecast::emerging::EmergingParams;
use patroliq_core::forecast::knox::KnoxParams;
use patroliq_core::forecast::rolling::RollingParams;
use patroliq_core::load::portal::PortalQuery;
use patroliq_core::reduce::embed::EmbedParams;
use patroliq_core::risk::hotspots::HotspotMode;
use patroliq_core::risk::RiskParams;
use patroliq_core::route::plan::RouteParams;
use patroliq_core::route::stations::Station;
use patroliq_core::temporal::TemporalParams;
use serde::{Deserialize, Serialize};

/// Where a dataset comes from. Kept by the UI so it can reload after a worker crash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Source {
    Demo {
        rows: usize,
        seed: u64,
    },
    /// A local file; the `File` object is sent beside the message. `columns`: the roles the
    /// user chose in the column mapper, when detection could not find them.
    File {
        name: String,
        size: u64,
        #[serde(default)]
        columns: Option<patroliq_core::load::layout::Mapping>,
    },
    Url {
        url: String,
    },
    Portal(PortalQuery),
}

/// One request. Each is answered by one reply, named beside it, or by a failure; `Cancel` is
/// answered by the job it stops, and `ForgetLayer` by nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Replaces the dataset → `Loaded`. The previous one stays loaded until the new one is whole.
    Load {
        source: Source,
        /// Rows to keep while loading (a date range, crime types); the default keeps all.
        #[serde(default)]
        only: patroliq_core::LoadFilter,
    },
    /// Stops the load of the envelope's job at its next chunk; the load answers `Cancelled`.
    Cancel,
    /// The EDA aggregates of the rows passing `filter` → `Analysed`.
    Analyse { filter: Filter },
    /// The features of the rows passing `filter`, as a Parquet file → `Exported`.
    ExportFeatures { filter: Filter },
    /// Hotspot clustering of the rows passing `filter` → `Clustered`.
    Cluster { filter: Filter, algo: Algorithm, sample: SilhouetteSample },
    /// K-Means for k = from..=to (inertia and silhouette of each), to help choose k → `Swept`.
    Sweep { filter: Filter, from: usize, to: usize, seed: u64, sample: SilhouetteSample },
    /// Temporal patterns and peaks of the rows passing `filter` → `Temporal`.
    Temporal { filter: Filter, params: TemporalParams },
    /// PCA of the rows passing `filter` → `Pca`.
    Pca { filter: Filter },
    /// A t-SNE or UMAP map of a sample of the rows passing `filter` → `Embedded`.
    Embed { filter: Filter, params: EmbedParams },
    /// The risk grid of the rows passing `filter` and its `top` hotspots → `Risk`. With `layers`
    /// (the ids of added layers and their names), the risk terrain of those layers.
    Risk {
        filter: Filter,
        params: RiskParams,
        mode: HotspotMode,
        top: usize,
        #[serde(default)]
        layers: Vec<(u32, String)>,
    },
    /// A patrol plan through the hotspots of the last risk run (of the same filter), on the loaded
    /// road network if `network`, else the street grid; evaluated within `within_min` minutes
    /// → `Route`.
    Route { filter: Filter, params: RouteParams, network: bool, within_min: f64 },
    /// Every hotspot method fitted before the split and scored after it, on the rows passing
    /// `filter` → `Backtest`.
    /// With `layers` (ids and names of added layers), `risk_terrain` joins the methods.
    Backtest {
        filter: Filter,
        params: BacktestParams,
        #[serde(default)]
        layers: Vec<(u32, String)>,
    },
    /// The rolling back-test: every forecasting method refitted before each period of the test
    /// window and scored on it, on the rows passing `filter` → `Rolling`.
    /// With `layers`, `risk_terrain` joins the methods.
    Rolling {
        filter: Filter,
        params: RollingParams,
        #[serde(default)]
        layers: Vec<(u32, String)>,
    },
    /// The Knox test of near repeats of the rows passing `filter` → `NearRepeat`.
    NearRepeat { filter: Filter, params: KnoxParams },
    /// Emerging hot spot analysis of the rows passing `filter` → `Emerging`.
    Emerging { filter: Filter, params: EmergingParams },
    /// The whole-pipeline benchmark on every loaded row (no filter: the benchmark times the
    /// pipeline on the dataset, as `patroliq bench` does on the file) → `Benched`.
    Bench { params: PipelineParams },
    /// Tonight's briefing of the rows passing `filter`; the route starts at the station of
    /// `stations` nearest the hotspots and drives on the loaded road network if `network`
    /// → `Briefing`.
    /// With `layers`, the risk terrain is one more candidate for the hotspots.
    Briefing {
        filter: Filter,
        params: BriefingParams,
        stations: Vec<Station>,
        network: bool,
        #[serde(default)]
        layers: Vec<(u32, String)>,
    },
    /// Incidents per km² on the map (KDE or counts), with the time slider's frames → `Density`.
    Density { filter: Filter, params: DensityParams },
    /// A boundary file (community areas, districts or beats): sent beside the message, or
    /// fetched from `url` (the Chicago Data Portal's export) → `Boundaries`.
    LoadBoundaries { url: Option<String> },
    /// The figures of each area of the loaded boundaries of `kind` → `Areas`.
    Areas { filter: Filter, kind: AreaKind },
    /// A "Police Stations" CSV, sent beside the message → `Stations`.
    LoadStations,
    /// A TNTP road network: the nodes file and the links file, sent beside the message
    /// → `Network`.
    LoadNetwork,
    /// An environment layer file, sent beside the message, kept under `id` and called `name`
    /// → `Layer`.
    AddLayer { id: u32, name: String },
    /// Lets the bytes of layer `id` go (removed on the page). Answered by nothing, as `Cancel`.
    ForgetLayer { id: u32 },
}
