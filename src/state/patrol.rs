//! The Patrolling page: the risk grid and its hotspots, a route through them, and the stations and
//! road network the routes start from and drive on.

use leptos::prelude::*;
use patroliq_core::risk::hotspots::HotspotMode;
use patroliq_core::risk::{RiskParams, RiskView};
use patroliq_core::route::network::NetworkSummary;
use patroliq_core::route::plan::RouteParams;
use patroliq_core::route::stations::Station;
use patroliq_core::route::RouteView;
use patroliq_core::track::{record, RunParams};
use web_sys::File;

use super::layers::EnvLayers;
use super::requests::Requests;
use super::runlog::RunLog;
use super::slot::Slot;
use crate::protocol::{Failure, JobId, Reply, Request};

#[derive(Clone, Copy)]
pub struct Patrolling {
    pub risk: Slot<RiskView>,
    pub route: Slot<RouteView>,
    /// Police stations the user loaded (route start points).
    pub stations: RwSignal<Vec<Station>>,
    /// The road network the user loaded into the worker.
    pub network: RwSignal<Option<NetworkSummary>>,
    /// A stations or network file being read, and the last such file's error.
    pub files_job: RwSignal<Option<JobId>>,
    pub files_error: RwSignal<Option<String>>,
    /// The environment layers the risk grid's terrain is fitted on.
    pub layers: EnvLayers,
    /// The last risk grid asked for: a route visits its hotspots, and its log says which.
    last_risk: StoredValue<Option<(RiskParams, HotspotMode, usize)>>,
    req: Requests,
    log: RunLog,
}

impl Patrolling {
    pub(super) fn new(req: Requests, log: RunLog) -> Patrolling {
        let p = Patrolling {
            risk: req.slot(),
            route: req.slot(),
            stations: RwSignal::new(Vec::new()),
            network: RwSignal::new(None),
            files_job: RwSignal::new(None),
            files_error: RwSignal::new(None),
            layers: EnvLayers::new(req),
            last_risk: StoredValue::new(None),
            req,
            log,
        };
        // The new worker has no road network.
        req.on_worker_lost(move |_| p.network.set(None));
        p
    }

    pub fn run_risk(&self, params: RiskParams, mode: HotspotMode, top: usize) {
        self.route.result.set(None);
        self.last_risk.set_value(Some((params.clone(), mode, top)));
        let layers = self.layers.wanted();
        let names = layers.iter().map(|(_, n)| n.clone()).collect();
        let track = self
            .log
            .track(RunParams::Risk { params: params.clone(), mode, top, layers: names }, record::risk);
        let (asked, env) = (layers.clone(), self.layers);
        let taken = move |v: &RiskView, f: &patroliq_core::filter::Filter, ms: f64| {
            if let Some(tm) = &v.model.terrain {
                env.refresh(&asked, &tm.layers);
            }
            track(v, f, ms)
        };
        self.req.run(self.risk, |filter| Request::Risk { filter, params, mode, top, layers }, taken);
    }

    pub fn run_route(&self, params: RouteParams, network: bool, within_min: f64) {
        let risk = self.last_risk.get_value();
        let track = self
            .log
            .track(RunParams::Route { params: params.clone(), network, within_min, risk }, record::route);
        self.req.run(self.route, |filter| Request::Route { filter, params, network, within_min }, track);
    }

    /// Reads a stations CSV or a road network's two files in the worker.
    pub fn load_patrol_files(&self, files: Vec<File>, network: bool) {
        let job = self.req.new_job();
        self.files_job.set(Some(job));
        self.files_error.set(None);
        let p = *self;
        self.req.expect(
            job,
            |_| {},
            move |a| {
                if p.files_job.get_untracked() != Some(job) {
                    return;
                }
                p.files_job.set(None);
                match a.result {
                    Ok(Reply::Stations(s)) => {
                        if s.skipped > 0 {
                            let why =
                                format!("{} rows of the stations file had no usable coordinates", s.skipped);
                            p.files_error.set(Some(why));
                        }
                        p.stations.set(s.stations);
                    }
                    Ok(Reply::Network(summary)) => p.network.set(Some(*summary)),
                    Ok(_) => p.files_error.set(Some(
                        Failure::Io("the data engine answered another request".into()).to_string(),
                    )),
                    Err(f) => p.files_error.set(Some(f.to_string())),
                }
            },
        );
        let request = if network { Request::LoadNetwork } else { Request::LoadStations };
        self.req.send(job, request, files);
    }
}
