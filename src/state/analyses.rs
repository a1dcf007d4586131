//! The pages with one analysis each: When (temporal patterns), Backtest, Benchmark, and the
//! Home page's briefing.

use leptos::prelude::*;
use patroliq_core::backtest::{Backtest, BacktestParams};
use patroliq_core::bench::PipelineParams;
use patroliq_core::briefing::{Briefing, BriefingParams};
use patroliq_core::forecast::emerging::{Emerging, EmergingParams};
use patroliq_core::forecast::knox::{Knox, KnoxParams};
use patroliq_core::forecast::rolling::RollingParams;
use patroliq_core::forecast::view::RollingView;
use patroliq_core::route::network::NetworkSummary;
use patroliq_core::route::stations::Station;
use patroliq_core::temporal::{TemporalParams, TemporalView};
use patroliq_core::track::{record, RunParams};

use super::layers::EnvLayers;
use super::requests::Requests;
use super::runlog::RunLog;
use super::slot::Slot;
use crate::protocol::{Benched, Request};

/// The When page.
#[derive(Clone, Copy)]
pub struct Temporal {
    pub temporal: Slot<TemporalView>,
    req: Requests,
    log: RunLog,
}

impl Temporal {
    pub(super) fn new(req: Requests, log: RunLog) -> Temporal {
        Temporal { temporal: req.slot(), req, log }
    }

    pub fn run_temporal(&self, params: TemporalParams) {
        let track = self.log.track(RunParams::Temporal { params: params.clone() }, record::temporal);
        self.req.run(self.temporal, |filter| Request::Temporal { filter, params }, track);
    }
}

/// The Backtest page: the split back-test, the rolling one, near repeats and emerging hot spots.
#[derive(Clone, Copy)]
pub struct Backtesting {
    pub backtest: Slot<Backtest>,
    pub rolling: Slot<RollingView>,
    pub near_repeat: Slot<Knox>,
    pub emerging: Slot<Emerging>,
    /// The Patrol page's environment layers: with any, the risk terrain joins both back-tests.
    layers: EnvLayers,
    req: Requests,
    log: RunLog,
}

impl Backtesting {
    pub(super) fn new(req: Requests, log: RunLog, layers: EnvLayers) -> Backtesting {
        Backtesting {
            backtest: req.slot(),
            rolling: req.slot(),
            near_repeat: req.slot(),
            emerging: req.slot(),
            layers,
            req,
            log,
        }
    }

    pub fn run_rolling(&self, params: RollingParams) {
        let layers = self.layers.wanted();
        self.req.run(self.rolling, |filter| Request::Rolling { filter, params, layers }, |_, _, _| {});
    }

    /// The Knox test of the filtered rows, narrowed to `kind` (a crime type; empty: the filter's)
    /// and to the days from `since` (the near-repeat section's own choices).
    pub fn run_near_repeat_of(&self, params: KnoxParams, kind: String, since: Option<chrono::NaiveDate>) {
        let request = move |mut filter: patroliq_core::filter::Filter| {
            if !kind.is_empty() {
                filter.types = vec![kind];
            }
            if let Some(s) = since {
                filter.from = Some(filter.from.map_or(s, |f| f.max(s)));
            }
            Request::NearRepeat { filter, params }
        };
        self.req.run(self.near_repeat, request, |_, _, _| {});
    }

    pub fn run_emerging(&self, params: EmergingParams) {
        self.req.run(self.emerging, |filter| Request::Emerging { filter, params }, |_, _, _| {});
    }

    pub fn run_backtest(&self, params: BacktestParams) {
        let layers = self.layers.wanted();
        let names = layers.iter().map(|(_, n)| n.clone()).collect();
        let track =
            self.log.track(RunParams::Backtest { params: params.clone(), layers: names }, record::backtest);
        self.req.run(self.backtest, |filter| Request::Backtest { filter, params, layers }, track);
    }
}

/// The Benchmark page.
#[derive(Clone, Copy)]
pub struct Benchmark {
    /// The whole-pipeline benchmark's stages.
    pub bench: Slot<Benched>,
    req: Requests,
}

impl Benchmark {
    pub(super) fn new(req: Requests) -> Benchmark {
        Benchmark { bench: req.slot(), req }
    }

    /// The whole-pipeline benchmark on every loaded row (not logged: it is not an analysis).
    pub fn run_bench(&self, params: PipelineParams) {
        self.req.run(self.bench, |_| Request::Bench { params }, |_, _, _| {});
    }
}

/// Tonight's briefing (the Home page), from the stations and road network the Patrolling page loaded.
#[derive(Clone, Copy)]
pub struct Briefings {
    pub briefing: Slot<Briefing>,
    stations: RwSignal<Vec<Station>>,
    network: RwSignal<Option<NetworkSummary>>,
    layers: EnvLayers,
    req: Requests,
}

impl Briefings {
    pub(super) fn new(req: Requests, patrol: super::patrol::Patrolling) -> Briefings {
        Briefings {
            briefing: req.slot(),
            stations: patrol.stations,
            network: patrol.network,
            layers: patrol.layers,
            req,
        }
    }

    pub fn run_briefing(&self, params: BriefingParams) {
        let stations = self.stations.get_untracked();
        let network = self.network.get_untracked().is_some();
        let layers = self.layers.wanted();
        let request = |filter| Request::Briefing { filter, params, stations, network, layers };
        self.req.run(self.briefing, request, |_, _, _| {});
    }
}
