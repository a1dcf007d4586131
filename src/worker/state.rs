//! What the worker holds between requests: the table, the results other analyses build on, the
//! side files, the memo of every analysis, and the map worker.

use std::cell::{Cell, Ref, RefCell};
use std::rc::Rc;

use patroliq_core::areas::Boundaries;
use patroliq_core::backtest::Backtest;
use patroliq_core::cluster::kmeans::SweepPoint;
use patroliq_core::cluster::report::ClusterView;
use patroliq_core::density::DensityView;
use patroliq_core::eda::Eda;
use patroliq_core::filter::Filter;
use patroliq_core::forecast::emerging::Emerging;
use patroliq_core::forecast::knox::Knox;
use patroliq_core::forecast::view::RollingView;
use patroliq_core::reduce::embed::Embedding;
use patroliq_core::reduce::pca::Pca;
use patroliq_core::risk::hotspots::Hotspot;
use patroliq_core::risk::RiskModel;
use patroliq_core::route::network::RoadNetwork;
use patroliq_core::temporal::TemporalReport;
use patroliq_core::CrimeTable;

use crate::mapper::Mapper;
use crate::memo::Memo;
use crate::protocol::{Failure, JobId};

/// The last result of an analysis that another one can use, with the filter it was made for.
pub(super) struct Kept<T> {
    pub filter: Filter,
    pub value: T,
}

#[derive(Default)]
pub(super) struct Worker {
    pub table: RefCell<Option<CrimeTable>>,
    /// The hotspot of each filtered row in the last clustering (the temporal page's hotspot mix).
    pub hotspots: RefCell<Option<Kept<Vec<i32>>>>,
    /// The pattern of each (hour, weekday, month) cell and the patterns' names, from the last
    /// temporal clustering (colours the maps).
    pub patterns: RefCell<Option<Kept<(Vec<String>, Vec<i8>)>>>,
    /// The hotspots of the last risk run (the routes visit them).
    pub hotspots_risk: RefCell<Option<Kept<Vec<Hotspot>>>>,
    /// The road network the user loaded, if any.
    pub network: RefCell<Option<RoadNetwork>>,
    /// The environment layers the user added (their bytes: each risk run reads them again for
    /// the loaded dataset, whose projection centre and extent they depend on).
    pub layers: RefCell<Vec<super::layers::KeptLayer>>,
    /// The boundary files the user loaded, at most one of each kind.
    pub boundaries: RefCell<Vec<Boundaries>>,
    /// The load that may run; any other load stops at its next chunk.
    pub active: Cell<JobId>,
    /// Results per (filter, parameters) of the loaded table (`crate::memo`).
    pub memo: RefCell<Memos>,
    /// The second worker that draws the maps (`crate::mapper`).
    pub mapper: Mapper,
    /// Counts the datasets loaded: an answer from the map worker for an earlier one is stale.
    pub generation: Cell<u64>,
    /// The last load's gzip was inflated in the map worker.
    pub inflated_beside: Cell<bool>,
}

/// The kept results of each analysis. Only what depends on nothing but the table, the filter and
/// the request's parameters is kept.
#[derive(Default)]
pub(super) struct Memos {
    pub eda: Memo<Eda>,
    pub cluster: Memo<(ClusterView, Vec<i32>)>,
    pub sweep: Memo<Vec<SweepPoint>>,
    pub temporal: Memo<TemporalReport>,
    pub pca: Memo<(Pca, Vec<[f32; 3]>, Vec<u32>)>,
    pub embed: Memo<Embedding>,
    pub risk: Memo<RiskModel>,
    pub backtest: Memo<Backtest>,
    pub rolling: Memo<RollingView>,
    pub near_repeat: Memo<Knox>,
    pub emerging: Memo<Emerging>,
    pub density: Memo<DensityView>,
}

impl Worker {
    /// The loaded table, if any.
    pub fn table(&self) -> Result<Ref<'_, CrimeTable>, Failure> {
        Ref::filter_map(self.table.borrow(), Option::as_ref).map_err(|_| Failure::NoDataset)
    }

    /// A new dataset is loaded: what was computed from the previous one goes with it.
    pub fn replace_table(&self, table: CrimeTable) {
        *self.table.borrow_mut() = Some(table);
        self.generation.set(self.generation.get() + 1);
        *self.hotspots.borrow_mut() = None;
        *self.patterns.borrow_mut() = None;
        *self.hotspots_risk.borrow_mut() = None;
        *self.memo.borrow_mut() = Memos::default();
    }
}

thread_local! {
    pub(super) static WORKER: Rc<Worker> = Rc::new(Worker::default());
}
