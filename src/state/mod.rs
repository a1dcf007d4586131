//! The page's state: signals per area of the app, and the requests that fill them.
//!
//! Each area is a small `Copy` handle of signals with the methods that ask the worker for its
//! analyses; a page takes the handles it uses from context ([`AppState::provide`]) and sees
//! nothing else:
//! - [`Data`]: the dataset, its loading (kept on this device: [`kept`]; replacing it asks first:
//!   [`replace`]), the filter, the EDA, the feature export;
//! - [`Columns`]: which column is which — the column mapper's reload of a file with the user's
//!   columns, and the mappings remembered ([`columns`]);
//! - [`RunLog`] and [`Reopen`]: the experiment log, and re-opening a logged run;
//! - [`Clusters`] (Hotspots), [`Temporal`] (When), [`Projections`], [`Patrolling`], [`Maps`] (Heatmaps and
//!   the Home page's map), [`Backtesting`], [`Benchmark`], [`Briefings`] (Home).
//!
//! Every request goes through [`Requests`]: it sends the request with a new job id and puts a
//! waiter for that job in a table ([`jobs`]); the worker's progress and answer reach the waiter by
//! job alone. A page's long analysis lives in a [`Slot`], which [`Requests::run`] starts and fills:
//! an analysis added to the protocol needs a slot, a `run_…` method of one line, and no routing.
//! When a new dataset loads or the worker is replaced, every area that registered for it resets
//! itself ([`Requests::on_new_dataset`], [`Requests::on_worker_lost`]).

mod analyses;
mod clusters;
mod columns;
mod data;
mod jobs;
mod kept;
mod layers;
mod maps;
mod patrol;
mod reopen;
mod replace;
mod requests;
mod runlog;
mod shape;
mod slot;

use leptos::prelude::*;

pub use self::analyses::{Backtesting, Benchmark, Briefings, Temporal};
pub use self::clusters::{ClusterJob, Clustering, Clusters, Sweep};
pub use self::columns::{Columns, Target};
pub use self::data::{dataset_words, Analysis, Data, Dataset, Export, Running};
pub use self::kept::{KeptStatus, Origin};
pub use self::layers::{EnvLayers, LayerEntry};
pub use self::maps::{LoadedBoundaries, Maps};
pub use self::patrol::Patrolling;
pub use self::reopen::Reopen;
pub use self::replace::{Question, Replacing};
pub use self::requests::Requests;
pub use self::runlog::RunLog;
pub use self::shape::{MapRun, Projections};
pub use self::slot::{Done, Slot};
use crate::location;

/// Every area of the state; made once, by the shell.
#[derive(Clone, Copy)]
pub struct AppState {
    pub data: Data,
    pub columns: Columns,
    pub log: RunLog,
    pub reopen: Reopen,
    pub clusters: Clusters,
    pub temporal: Temporal,
    pub projections: Projections,
    pub patrolling: Patrolling,
    pub maps: Maps,
    pub backtesting: Backtesting,
    pub benchmark: Benchmark,
    pub briefings: Briefings,
}

impl AppState {
    /// Starts the worker; the filter is the URL's.
    pub fn start() -> AppState {
        let (filter, notes) = location::filter();
        let req = Requests::new(RwSignal::new(filter));
        let data = Data::new(req, notes);
        let log = RunLog::new(data.dataset);
        let clusters = Clusters::new(req, log, data);
        let temporal = Temporal::new(req, log);
        let projections = Projections::new(req, log);
        let patrolling = Patrolling::new(req, log);
        let backtesting = Backtesting::new(req, log, patrolling.layers);
        AppState {
            data,
            columns: Columns::new(req, data),
            log,
            reopen: Reopen { data, log, clusters, temporal, projections, patrolling, backtesting },
            clusters,
            temporal,
            projections,
            patrolling,
            maps: Maps::new(req),
            backtesting,
            benchmark: Benchmark::new(req),
            briefings: Briefings::new(req, patrolling),
        }
    }

    /// Puts each area in context, for the pages to take the ones they use.
    pub fn provide(&self) {
        provide_context(self.data);
        provide_context(self.columns);
        provide_context(self.log);
        provide_context(self.reopen);
        provide_context(self.clusters);
        provide_context(self.temporal);
        provide_context(self.projections);
        provide_context(self.patrolling);
        provide_context(self.maps);
        provide_context(self.backtesting);
        provide_context(self.benchmark);
        provide_context(self.briefings);
    }
}
