//! The Hotspots page: a clustering run or a k sweep, and the last of each.

use leptos::prelude::*;
use patroliq_core::cluster::kmeans::SweepPoint;
use patroliq_core::cluster::metrics::SilhouetteSample;
use patroliq_core::cluster::report::{Algorithm, ClusterView};
use patroliq_core::filter::Filter;
use patroliq_core::track::{record, RunParams};

use super::data::Data;
use super::requests::Requests;
use super::runlog::RunLog;
use crate::protocol::{JobId, Progress, Reply, Request};

/// A clustering run or k sweep in the worker.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterJob {
    pub job: JobId,
    pub sweep: bool,
    pub done: f64,
    /// The filter the run was started with (the user may change it while it runs).
    pub filter: Filter,
}

/// The last clustering, with the filter it was computed for.
#[derive(Debug, Clone, PartialEq)]
pub struct Clustering {
    /// The run's job id: tells one run's result from the next.
    pub job: JobId,
    pub view: ClusterView,
    pub filter: Filter,
    pub compute_ms: f64,
}

/// The last k sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    pub points: Vec<SweepPoint>,
    pub filter: Filter,
    pub compute_ms: f64,
}

#[derive(Clone, Copy)]
pub struct Clusters {
    pub cluster_job: RwSignal<Option<ClusterJob>>,
    pub clustering: RwSignal<Option<Clustering>>,
    pub sweep: RwSignal<Option<Sweep>>,
    pub cluster_error: RwSignal<Option<String>>,
    req: Requests,
    log: RunLog,
    data: Data,
}

impl Clusters {
    pub(super) fn new(req: Requests, log: RunLog, data: Data) -> Clusters {
        let c = Clusters {
            cluster_job: RwSignal::new(None),
            clustering: RwSignal::new(None),
            sweep: RwSignal::new(None),
            cluster_error: RwSignal::new(None),
            req,
            log,
            data,
        };
        req.on_new_dataset(move || {
            c.cluster_error.set(None);
            c.clustering.set(None);
            c.sweep.set(None);
        });
        req.on_worker_lost(move |why| {
            if c.cluster_job.get_untracked().is_some() {
                c.cluster_job.set(None);
                c.cluster_error.set(Some(format!("the clustering was stopped: {why}")));
            }
        });
        c
    }

    fn is_running(&self, job: JobId) -> bool {
        self.cluster_job.with_untracked(|j| j.as_ref().is_some_and(|j| j.job == job))
    }

    /// Starts a clustering run (or a k sweep) of the filtered rows.
    pub fn cluster(&self, algo: Algorithm, sample: SilhouetteSample, sweep: Option<(usize, usize)>) {
        let job = self.req.new_job();
        let filter = self.req.filter().get_untracked();
        self.cluster_error.set(None);
        self.cluster_job.set(Some(ClusterJob {
            job,
            sweep: sweep.is_some(),
            done: 0.0,
            filter: filter.clone(),
        }));
        let (request, params) = match (sweep, &algo) {
            (Some((from, to)), Algorithm::Kmeans(p)) => (
                Request::Sweep { filter: filter.clone(), from, to, seed: p.seed, sample: sample.clone() },
                RunParams::Sweep { from, to, seed: p.seed, sample },
            ),
            _ => (
                Request::Cluster { filter: filter.clone(), algo: algo.clone(), sample: sample.clone() },
                RunParams::Cluster { algo, sample },
            ),
        };
        let c = *self;
        let progress = move |p| {
            if let Progress::Share(done) = p {
                c.cluster_job.update(|j| {
                    if let Some(j) = j.as_mut().filter(|j| j.job == job) {
                        j.done = done;
                    }
                });
            }
        };
        let asked = filter.clone();
        self.req.expect(job, progress, move |a| {
            if !c.is_running(job) {
                return;
            }
            let filter = c.cluster_job.get_untracked().map(|j| j.filter).unwrap_or_default();
            c.cluster_job.set(None);
            let compute_ms = a.compute_ms;
            match a.result {
                Ok(Reply::Clustered(view)) => {
                    c.log.log(params, asked, record::cluster(&view), compute_ms);
                    c.clustering.set(Some(Clustering { job, view: *view, filter, compute_ms }));
                }
                Ok(Reply::Swept(points)) => {
                    let points = *points;
                    c.log.log(params, asked, record::sweep(&points), compute_ms);
                    c.sweep.set(Some(Sweep { points, filter, compute_ms }));
                }
                Ok(_) => c.cluster_error.set(Some("the data engine answered another request".into())),
                Err(f) => c.cluster_error.set(Some(f.to_string())),
            }
        });
        self.req.send(job, request, Vec::new());
    }

    /// Stops a clustering run at once, as [`Data::cancel_task`] does.
    pub fn cancel_cluster(&self) {
        if self.cluster_job.get_untracked().is_none() {
            return;
        }
        self.cluster_job.set(None);
        self.data.restart_and_reload("the clustering was cancelled");
    }
}
