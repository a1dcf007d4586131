//! Re-opening a logged run: its filter, its page with its parameters, and the run again.

use leptos::prelude::*;
use patroliq_core::cluster::kmeans::KMeansParams;
use patroliq_core::cluster::report::Algorithm;
use patroliq_core::track::{Run, RunParams};

use super::analyses::{Backtesting, Temporal};
use super::clusters::Clusters;
use super::data::Data;
use super::patrol::Patrolling;
use super::runlog::RunLog;
use super::shape::Projections;

/// What re-opens a run: the areas whose analyses the log records.
#[derive(Clone, Copy)]
pub struct Reopen {
    pub(super) data: Data,
    pub(super) log: RunLog,
    pub(super) clusters: Clusters,
    pub(super) temporal: Temporal,
    pub(super) projections: Projections,
    pub(super) patrolling: Patrolling,
    pub(super) backtesting: Backtesting,
}

impl Reopen {
    /// Re-opens `run` (every analysis is seeded, so the same data gives the same result).
    pub fn reopen(&self, run: &Run) {
        self.log.reopened.set(Some(run.clone()));
        self.data.set_filter(run.filter.clone());
        match run.params.clone() {
            RunParams::Cluster { algo, sample } => self.clusters.cluster(algo, sample, None),
            RunParams::Sweep { from, to, seed, sample } => {
                let algo = Algorithm::Kmeans(KMeansParams { seed, ..Default::default() });
                self.clusters.cluster(algo, sample, Some((from, to)))
            }
            RunParams::Temporal { params } => self.temporal.run_temporal(params),
            RunParams::Pca => self.projections.run_pca(),
            RunParams::Embed { params } => self.projections.run_embed(params),
            RunParams::Risk { params, mode, top, .. } => self.patrolling.run_risk(params, mode, top),
            RunParams::Route { params, network, within_min, risk } => {
                // The route visits the hotspots of its risk grid: that grid first (the worker
                // answers in order), then the route. A road-network route needs the network
                // loaded; without it, the street grid.
                if let Some((p, mode, top)) = risk {
                    self.patrolling.run_risk(p, mode, top);
                }
                let network = network && self.patrolling.network.get_untracked().is_some();
                self.patrolling.run_route(params, network, within_min)
            }
            RunParams::Backtest { params, .. } => self.backtesting.run_backtest(params),
        }
        let _ = window().location().set_hash(run.params.page());
    }
}
