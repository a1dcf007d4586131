//! What the data worker answers: one reply per request (see [`super::Request`]).

use patroliq_core::areas::{AreaKind, AreaReport, Outline};
use patroliq_core::backtest::Backtest;
use patroliq_core::bench::{Beside, StageTime};
use patroliq_core::briefing::Briefing;
use patroliq_core::cluster::kmeans::SweepPoint;
use patroliq_core::cluster::report::ClusterView;
use patroliq_core::density::DensityView;
use patroliq_core::eda::Eda;
use patroliq_core::filter::Filter;
use patroliq_core::forecast::emerging::Emerging;
use patroliq_core::forecast::knox::Knox;
use patroliq_core::forecast::view::RollingView;
use patroliq_core::reduce::embed::EmbedView;
use patroliq_core::reduce::pca::PcaView;
use patroliq_core::risk::RiskView;
use patroliq_core::route::network::NetworkSummary;
use patroliq_core::route::stations::Station;
use patroliq_core::route::RouteView;
use patroliq_core::summary::DatasetSummary;
use patroliq_core::temporal::TemporalView;
use patroliq_core::CleaningReport;
use serde::{Deserialize, Serialize};

/// A reply's value taken out of the [`Reply`] that carries it: what lets the page's state wait for
/// a `T` of a job without a match per analysis.
pub trait FromReply: Sized {
    fn from_reply(reply: Reply) -> Option<Self>;
}

/// Declares [`Reply`], one boxed value per variant (a reply is large, a message enum should not
/// be), and the [`FromReply`] of each value.
macro_rules! replies {
    ($($(#[$doc:meta])* $variant:ident($value:ty),)*) => {
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub enum Reply {
            $($(#[$doc])* $variant(Box<$value>),)*
        }

        $(impl FromReply for $value {
            fn from_reply(reply: Reply) -> Option<Self> {
                match reply {
                    Reply::$variant(v) => Some(*v),
                    _ => None,
                }
            }
        })*
    };
}

replies! {
    Loaded(Loaded),
    Analysed(Analysed),
    /// The Parquet bytes are sent beside this message.
    Exported(Exported),
    Clustered(ClusterView),
    Swept(Vec<SweepPoint>),
    Temporal(TemporalView),
    Pca(PcaView),
    Embedded(EmbedView),
    Risk(RiskView),
    Route(RouteView),
    Backtest(Backtest),
    Rolling(RollingView),
    /// The Knox test, without the per-incident labels (`labels` is empty).
    NearRepeat(Knox),
    Emerging(Emerging),
    Benched(Benched),
    Briefing(Briefing),
    Density(DensityView),
    /// A boundary file was read.
    Boundaries(Boundaries),
    Areas(AreaReport),
    Stations(Stations),
    Network(NetworkSummary),
    /// An environment layer was read and kept.
    Layer(LayerRead),
}

/// A dataset is loaded: how it was cleaned and what it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Loaded {
    pub report: CleaningReport,
    pub summary: DatasetSummary,
    /// The gzip file was inflated in the map worker, beside the parse.
    pub inflated_beside: bool,
    /// The file's columns, first values and the roles they were read as: what *Change
    /// columns…* opens the column mapper with (`None` where the roles cannot be changed).
    #[serde(default)]
    pub preview: Option<Box<patroliq_core::load::layout::Preview>>,
}

/// The EDA of the rows passing `filter`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysed {
    pub filter: Filter,
    pub eda: Eda,
}

/// The feature export, its file sent beside.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exported {
    pub file_name: String,
    pub rows: u64,
    pub bytes: u64,
    /// The part of the answer's `compute_ms` spent computing features (the rest is Parquet
    /// encoding).
    pub features_ms: f64,
}

/// The whole-pipeline benchmark's stages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Benched {
    pub stages: Vec<StageTime>,
    /// Whole passes with the maps on the map worker, when asked for.
    #[serde(default)]
    pub beside: Option<Beside>,
}

/// A boundary file read: its kind, where it came from, and the areas' outlines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Boundaries {
    pub kind: AreaKind,
    pub source: String,
    pub outlines: Vec<Outline>,
}

/// A stations file read: the stations with coordinates, and how many rows had none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stations {
    pub stations: Vec<Station>,
    pub skipped: usize,
}

/// An environment layer read: the page's id for it and what it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerRead {
    pub id: u32,
    pub summary: patroliq_core::terrain::LayerSummary,
    /// Its features in degrees, thinned for drawing (the row's thumbnail, the maps' overlay).
    #[serde(default)]
    pub sketch: patroliq_core::terrain::Sketch,
}
