//! The Projections page: PCA, the t-SNE and UMAP maps, and every map made of this dataset.

use leptos::prelude::*;
use patroliq_core::reduce::embed::{EmbedParams, EmbedView};
use patroliq_core::reduce::pca::PcaView;
use patroliq_core::track::{record, RunParams};

use super::requests::Requests;
use super::runlog::RunLog;
use super::slot::Slot;
use crate::protocol::Request;

/// One map in the comparison table of the Projections page.
#[derive(Debug, Clone, PartialEq)]
pub struct MapRun {
    pub params: EmbedParams,
    pub points: usize,
    pub trustworthiness: Option<f64>,
    pub seconds: f64,
}

#[derive(Clone, Copy)]
pub struct Projections {
    pub pca: Slot<PcaView>,
    pub embedding: Slot<EmbedView>,
    /// Every map made of this dataset, to compare their trustworthiness.
    pub maps: RwSignal<Vec<MapRun>>,
    req: Requests,
    log: RunLog,
}

impl Projections {
    pub(super) fn new(req: Requests, log: RunLog) -> Projections {
        let s =
            Projections { pca: req.slot(), embedding: req.slot(), maps: RwSignal::new(Vec::new()), req, log };
        req.on_new_dataset(move || s.maps.set(Vec::new()));
        s
    }

    pub fn run_pca(&self) {
        let track = self.log.track(RunParams::Pca, record::pca);
        self.req.run(self.pca, |filter| Request::Pca { filter }, track);
    }

    pub fn run_embed(&self, params: EmbedParams) {
        let track = self.log.track(RunParams::Embed { params: params.clone() }, record::embed);
        let maps = self.maps;
        let taken = move |view: &EmbedView, filter: &_, compute_ms: f64| {
            track(view, filter, compute_ms);
            maps.update(|m| {
                m.push(MapRun {
                    params: view.params.clone(),
                    points: view.xy.len(),
                    trustworthiness: view.trustworthiness,
                    seconds: compute_ms / 1000.0,
                })
            });
        };
        self.req.run(self.embedding, |filter| Request::Embed { filter, params }, taken);
    }
}
