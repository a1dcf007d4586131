//! The map pages' areas: the boundary files loaded, the density surfaces and the area figures
//! (the Heatmaps page; the Home page draws the boundaries too).

use leptos::prelude::*;
use patroliq_core::areas::{AreaKind, AreaReport, Outline};
use patroliq_core::density::{DensityParams, DensityView};
use web_sys::File;

use super::requests::Requests;
use super::slot::Slot;
use crate::protocol::{JobId, Reply, Request};

/// A boundary file read by the worker: what the maps draw.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedBoundaries {
    /// The job that read them: an area run with a later job saw them.
    pub job: JobId,
    pub kind: AreaKind,
    pub source: String,
    pub outlines: Vec<Outline>,
}

#[derive(Clone, Copy)]
pub struct Maps {
    pub density: Slot<DensityView>,
    pub areas: Slot<AreaReport>,
    /// Boundary files loaded into the worker, one per kind.
    pub boundaries: RwSignal<Vec<LoadedBoundaries>>,
    /// A boundary file being read, and the last such read's error.
    pub boundaries_job: RwSignal<Option<JobId>>,
    pub boundaries_error: RwSignal<Option<String>>,
    req: Requests,
}

impl Maps {
    pub(super) fn new(req: Requests) -> Maps {
        let m = Maps {
            density: req.slot(),
            areas: req.slot(),
            boundaries: RwSignal::new(Vec::new()),
            boundaries_job: RwSignal::new(None),
            boundaries_error: RwSignal::new(None),
            req,
        };
        // The new worker has no boundaries, so no area figures either.
        req.on_worker_lost(move |why| {
            m.boundaries.set(Vec::new());
            m.areas.result.set(None);
            if m.boundaries_job.get_untracked().is_some() {
                m.boundaries_job.set(None);
                m.boundaries_error.set(Some(format!("the boundary file was not read: {why}")));
            }
        });
        m
    }

    pub fn run_density(&self, params: DensityParams) {
        self.req.run(self.density, |filter| Request::Density { filter, params }, |_, _, _| {});
    }

    pub fn run_areas(&self, kind: AreaKind) {
        self.req.run(self.areas, |filter| Request::Areas { filter, kind }, |_, _, _| {});
    }

    /// Reads a boundary file in the worker: the one picked, or the one at `url`.
    pub fn load_boundaries(&self, file: Option<File>, url: Option<String>) {
        let job = self.req.new_job();
        self.boundaries_job.set(Some(job));
        self.boundaries_error.set(None);
        let m = *self;
        self.req.expect(
            job,
            |_| {},
            move |a| {
                if m.boundaries_job.get_untracked() != Some(job) {
                    return;
                }
                m.boundaries_job.set(None);
                match a.result {
                    Ok(Reply::Boundaries(b)) => m.boundaries.update(|all| {
                        let crate::protocol::Boundaries { kind, source, outlines } = *b;
                        all.retain(|b| b.kind != kind);
                        all.push(LoadedBoundaries { job, kind, source, outlines });
                        all.sort_by_key(|b| b.kind as u8);
                    }),
                    Ok(_) => m.boundaries_error.set(Some("the data engine answered another request".into())),
                    Err(f) => m.boundaries_error.set(Some(f.to_string())),
                }
            },
        );
        self.req.send(job, Request::LoadBoundaries { url }, file.into_iter().collect());
    }
}
