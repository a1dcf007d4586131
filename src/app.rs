//! The application shell: state in signals, the worker bridge, and the page layout.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;
use patroliq_core::areas::{AreaKind, AreaReport, Outline};
use patroliq_core::backtest::{Backtest, BacktestParams};
use patroliq_core::bench::{Beside, PipelineParams, StageTime};
use patroliq_core::briefing::{Briefing, BriefingParams};
use patroliq_core::cluster::kmeans::SweepPoint;
use patroliq_core::cluster::metrics::SilhouetteSample;
use patroliq_core::cluster::report::{Algorithm, ClusterView};
use patroliq_core::density::{DensityParams, DensityView};
use patroliq_core::eda::Eda;
use patroliq_core::filter::Filter;
use patroliq_core::reduce::embed::{EmbedParams, EmbedView};
use patroliq_core::reduce::pca::PcaView;
use patroliq_core::risk::hotspots::HotspotMode;
use patroliq_core::risk::{RiskParams, RiskView};
use patroliq_core::route::network::NetworkSummary;
use patroliq_core::route::plan::RouteParams;
use patroliq_core::route::stations::Station;
use patroliq_core::route::RouteView;
use patroliq_core::summary::DatasetSummary;
use patroliq_core::temporal::{TemporalParams, TemporalView};
use patroliq_core::track::{record, DatasetPrint, Outcome, Run, RunParams};
use patroliq_core::{demo, CleaningReport};
use wasm_bindgen::JsValue;
use web_sys::File;

use crate::bridge::Bridge;
use crate::location::{self, Page};
use crate::protocol::{FromWorker, JobId, Source, Stage, ToWorker};
use crate::ui::backtest::BacktestPage;
use crate::ui::bench::BenchPage;
use crate::ui::download::save_bytes;
use crate::ui::experiments::Experiments;
use crate::ui::explore::Explore;
use crate::ui::features_page::FeaturesPage;
use crate::ui::filter_bar::FilterBar;
use crate::ui::heatmaps::Heatmaps;
use crate::ui::home::Home;
use crate::ui::hotspots::Hotspots;
use crate::ui::overview::Overview;
use crate::ui::patrol::Patrol;
use crate::ui::progress::LoadProgress;
use crate::ui::report::ReportView;
use crate::ui::shape::Shape;
use crate::ui::source_panel::SourcePanel;
use crate::ui::when::When;

/// A load in progress, as the progress bar shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Running {
    pub job: JobId,
    pub label: String,
    pub stage: Stage,
    pub bytes: u64,
    pub total_bytes: Option<u64>,
    pub rows: u64,
}

/// What the UI knows of the loaded dataset (the rows themselves stay in the worker).
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub report: CleaningReport,
    pub summary: DatasetSummary,
    /// The gzip file was inflated on the second core while it was parsed.
    pub inflated_beside: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub kind: String,
    pub message: String,
    pub report: Option<CleaningReport>,
}

/// The EDA of the loaded dataset under one filter.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub filter: Filter,
    pub eda: Eda,
    pub compute_ms: f64,
}

/// The feature export, as its button shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Export {
    Idle,
    Running { job: JobId },
    Done { file_name: String, rows: u64, bytes: u64, compute_ms: f64, features_ms: f64 },
    Failed(String),
}

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

/// A finished analysis with the filter it was computed for.
#[derive(Debug, Clone, PartialEq)]
pub struct Done<T> {
    pub job: JobId,
    pub value: T,
    pub filter: Filter,
    pub compute_ms: f64,
}

/// One long analysis of a page (temporal patterns, PCA, a map): the run in the worker with its
/// progress, the last result, the last error. Signals are `Copy`, so the slot is too.
pub struct Slot<T: Send + Sync + 'static> {
    /// The run in the worker: its job, progress 0–1, and the filter it was started with.
    pub running: RwSignal<Option<(JobId, f64, Filter)>>,
    pub result: RwSignal<Option<Done<T>>>,
    pub error: RwSignal<Option<String>>,
}

impl<T: Send + Sync + 'static> Clone for Slot<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Slot<T> {}

impl<T: Send + Sync + 'static> Slot<T> {
    fn new() -> Self {
        Slot { running: RwSignal::new(None), result: RwSignal::new(None), error: RwSignal::new(None) }
    }

    pub fn busy(&self) -> bool {
        self.running.with(Option::is_some)
    }

    fn is(&self, job: JobId) -> bool {
        self.running.with_untracked(|r| r.as_ref().is_some_and(|r| r.0 == job))
    }

    fn start(&self, job: JobId, filter: Filter) {
        self.error.set(None);
        self.running.set(Some((job, 0.0, filter)));
    }

    fn progress(&self, job: JobId, done: f64) {
        self.running.update(|r| {
            if let Some(r) = r.as_mut().filter(|r| r.0 == job) {
                r.1 = done;
            }
        });
    }

    /// Takes the result if it answers the run awaited; false otherwise (a late answer).
    fn finish(&self, job: JobId, value: T, compute_ms: f64) -> bool {
        let Some((_, _, filter)) = self.running.get_untracked().filter(|r| r.0 == job) else {
            return false;
        };
        self.running.set(None);
        self.result.set(Some(Done { job, value, filter, compute_ms }));
        true
    }

    fn fail(&self, job: JobId, message: String) -> bool {
        if !self.is(job) {
            return false;
        }
        self.running.set(None);
        self.error.set(Some(message));
        true
    }

    /// Keeps the slot's result up to date with `key` (read in a reactive context): `run(key)`
    /// whenever `key` gives a new `Some` that is neither the key last asked for nor, with no run in
    /// flight, answered by the last result (a run in flight will replace that result). A change
    /// made during a run is asked at once (the worker queues it, and only the newest run's answer
    /// is taken), never dropped.
    pub fn keep_fresh<K: PartialEq + Clone + Send + Sync + 'static>(
        &self,
        key: impl Fn() -> Option<K> + 'static,
        answered: impl Fn(&Done<T>, &K) -> bool + 'static,
        run: impl Fn(K) + 'static,
    ) {
        let slot = *self;
        let asked = StoredValue::new(None::<K>);
        Effect::new(move |_| {
            let Some(k) = key() else { return };
            let idle = slot.running.with_untracked(Option::is_none);
            let done = idle && slot.result.with_untracked(|r| r.as_ref().is_some_and(|d| answered(d, &k)));
            if done || asked.with_value(|a| a.as_ref() == Some(&k)) {
                return;
            }
            asked.set_value(Some(k.clone()));
            run(k);
        });
    }

    /// A new dataset: the last result and error described the old one.
    fn clear(&self) {
        self.result.set(None);
        self.error.set(None);
    }

    /// The worker was replaced: the run is lost.
    fn stop(&self, why: &str) {
        if self.running.get_untracked().is_some() {
            self.running.set(None);
            self.error.set(Some(why.to_string()));
        }
    }
}

/// One map in the comparison table of the Shape page.
#[derive(Debug, Clone, PartialEq)]
pub struct MapRun {
    pub params: EmbedParams,
    pub points: usize,
    pub trustworthiness: Option<f64>,
    pub seconds: f64,
}

/// A boundary file read by the worker: what the maps draw.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedBoundaries {
    /// The job that read them: an area run with a later job saw them.
    pub job: JobId,
    pub kind: AreaKind,
    pub source: String,
    pub outlines: Vec<Outline>,
}

/// The tracked runs in flight, by job: what was asked, of which rows.
type Asked = Rc<RefCell<HashMap<JobId, (RunParams, Filter)>>>;

/// The app's state, shared with every component through context.
#[derive(Clone, Copy)]
pub struct AppState {
    pub running: RwSignal<Option<Running>>,
    pub dataset: RwSignal<Option<Dataset>>,
    pub failure: RwSignal<Option<Failure>>,
    /// The rows every page looks at; mirrored in the URL.
    pub filter: RwSignal<Filter>,
    /// What was wrong with the filter in the URL the page was opened with.
    pub filter_notes: RwSignal<Vec<String>>,
    /// The EDA of the current filter, once the worker has it (the previous one until then).
    pub analysis: RwSignal<Option<Analysis>>,
    /// The analysis job whose answer is awaited, if any.
    pub analysing: RwSignal<Option<JobId>>,
    pub export: RwSignal<Export>,
    pub page: RwSignal<Page>,
    pub cluster_job: RwSignal<Option<ClusterJob>>,
    pub clustering: RwSignal<Option<Clustering>>,
    pub sweep: RwSignal<Option<Sweep>>,
    pub cluster_error: RwSignal<Option<String>>,
    pub temporal: Slot<TemporalView>,
    pub pca: Slot<PcaView>,
    pub embedding: Slot<EmbedView>,
    pub risk: Slot<RiskView>,
    pub route: Slot<RouteView>,
    pub backtest: Slot<Backtest>,
    /// The whole-pipeline benchmark's stages (the Benchmark page).
    pub bench: Slot<(Vec<StageTime>, Option<Beside>)>,
    pub briefing: Slot<Briefing>,
    pub density: Slot<DensityView>,
    pub areas: Slot<AreaReport>,
    /// Boundary files loaded into the worker, one per kind.
    pub boundaries: RwSignal<Vec<LoadedBoundaries>>,
    /// A boundary file being read, and the last such read's error.
    pub boundaries_job: RwSignal<Option<JobId>>,
    pub boundaries_error: RwSignal<Option<String>>,
    /// Police stations the user loaded (route start points).
    pub stations: RwSignal<Vec<Station>>,
    /// The road network the user loaded into the worker.
    pub network: RwSignal<Option<NetworkSummary>>,
    /// A stations or network file being read, and the last such file's error.
    pub files_job: RwSignal<Option<JobId>>,
    pub files_error: RwSignal<Option<String>>,
    /// Every map made of this dataset, to compare their trustworthiness.
    pub maps: RwSignal<Vec<MapRun>>,
    /// The experiment log, oldest first (kept in IndexedDB).
    pub runs: RwSignal<Vec<Run>>,
    /// What went wrong with the log (a write refused, a quota), for the Experiments page.
    pub runs_note: RwSignal<Option<String>>,
    /// A run being re-opened: its page fills its form from it.
    pub reopened: RwSignal<Option<Run>>,
    /// Counts the datasets loaded (a reload of the same one after a cancel or crash is not new).
    pub data_epoch: RwSignal<u64>,
    /// The load running reloads the dataset already shown (after a cancel or a crash).
    reloading: RwSignal<bool>,
    bridge: StoredValue<Rc<Bridge>, LocalStorage>,
    /// The source of the dataset now loaded, with its `File`, to reload after a worker crash.
    last_good: StoredValue<Rc<RefCell<Option<(Source, Option<File>)>>>, LocalStorage>,
    pending: StoredValue<Rc<RefCell<Option<(Source, Option<File>)>>>, LocalStorage>,
    /// The tracked runs in flight: what was asked, when, of which rows.
    asked: StoredValue<Asked, LocalStorage>,
    /// The last risk grid asked for: a route visits its hotspots, and its log says which.
    last_risk: StoredValue<Option<(RiskParams, HotspotMode, usize)>>,
}

fn label(source: &Source) -> String {
    match source {
        Source::Demo { rows, .. } => format!("demo data ({rows} synthetic incidents)"),
        Source::File { name, .. } => name.clone(),
        Source::Url { url } => url.clone(),
        Source::Portal(q) => format!("Chicago Data Portal (newest {} rows)", q.limit),
    }
}

impl AppState {
    /// Starts loading `source`; any load still running is cancelled first.
    pub fn load(&self, source: Source, file: Option<File>) {
        if let Some(r) = self.running.get_untracked() {
            self.bridge.with_value(|b| b.send(&ToWorker::Cancel { job: r.job }, None));
        }
        let job = self.bridge.with_value(|b| b.new_job());
        self.failure.set(None);
        self.running.set(Some(Running {
            job,
            label: label(&source),
            stage: Stage::Reading,
            bytes: 0,
            total_bytes: match &source {
                Source::File { size, .. } => Some(*size),
                _ => None,
            },
            rows: 0,
        }));
        self.bridge.with_value(|b| b.send(&ToWorker::Load { job, source: source.clone() }, file.as_ref()));
        self.pending.with_value(|p| *p.borrow_mut() = Some((source, file)));
    }

    pub fn load_file(&self, file: File) {
        let source = Source::File { name: file.name(), size: file.size() as u64 };
        self.load(source, Some(file));
    }

    /// Asks the worker for the EDA of the current filter.
    pub fn analyse(&self) {
        let job = self.bridge.with_value(|b| b.new_job());
        self.analysing.set(Some(job));
        let filter = self.filter.get_untracked();
        self.bridge.with_value(|b| b.send(&ToWorker::Analyse { job, filter }, None));
    }

    /// Sets the filter: the URL follows and every page is recomputed.
    pub fn set_filter(&self, filter: Filter) {
        if filter != self.filter.get_untracked() {
            location::set_filter(&filter);
            self.filter.set(filter);
            self.filter_notes.set(Vec::new());
            if self.dataset.get_untracked().is_some() {
                self.analyse();
            }
        }
    }

    pub fn export_features(&self) {
        let job = self.bridge.with_value(|b| b.new_job());
        self.export.set(Export::Running { job });
        let filter = self.filter.get_untracked();
        self.bridge.with_value(|b| b.send(&ToWorker::ExportFeatures { job, filter }, None));
    }

    /// Starts a clustering run (or a k sweep) of the filtered rows.
    pub fn cluster(&self, algo: Algorithm, sample: SilhouetteSample, sweep: Option<(usize, usize)>) {
        let job = self.bridge.with_value(|b| b.new_job());
        let filter = self.filter.get_untracked();
        self.cluster_error.set(None);
        self.cluster_job.set(Some(ClusterJob {
            job,
            sweep: sweep.is_some(),
            done: 0.0,
            filter: filter.clone(),
        }));
        let (msg, params) = match (sweep, &algo) {
            (Some((from, to)), Algorithm::Kmeans(p)) => (
                ToWorker::Sweep {
                    job,
                    filter: filter.clone(),
                    from,
                    to,
                    seed: p.seed,
                    sample: sample.clone(),
                },
                RunParams::Sweep { from, to, seed: p.seed, sample },
            ),
            _ => (
                ToWorker::Cluster { job, filter: filter.clone(), algo: algo.clone(), sample: sample.clone() },
                RunParams::Cluster { algo, sample },
            ),
        };
        self.ask(job, params, filter);
        self.bridge.with_value(|b| b.send(&msg, None));
    }

    /// Starts a page's long analysis of the filtered rows in `slot`; `message` names the job.
    /// The run is logged when it finishes (see [`AppState::log`]) when `track` names it.
    fn run<T: Send + Sync + 'static>(
        &self,
        slot: Slot<T>,
        track: Option<RunParams>,
        message: impl FnOnce(JobId, Filter) -> ToWorker,
    ) {
        let job = self.bridge.with_value(|b| b.new_job());
        let filter = self.filter.get_untracked();
        slot.start(job, filter.clone());
        if let Some(params) = track {
            self.ask(job, params, filter.clone());
        }
        self.bridge.with_value(|b| b.send(&message(job, filter), None));
    }

    pub fn run_temporal(&self, params: TemporalParams) {
        let track = RunParams::Temporal { params: params.clone() };
        self.run(self.temporal, Some(track), |job, filter| ToWorker::Temporal { job, filter, params });
    }

    pub fn run_pca(&self) {
        self.run(self.pca, Some(RunParams::Pca), |job, filter| ToWorker::Pca { job, filter });
    }

    pub fn run_embed(&self, params: EmbedParams) {
        let track = RunParams::Embed { params: params.clone() };
        self.run(self.embedding, Some(track), |job, filter| ToWorker::Embed { job, filter, params });
    }

    pub fn run_risk(&self, params: RiskParams, mode: HotspotMode, top: usize) {
        self.route.result.set(None);
        self.last_risk.set_value(Some((params.clone(), mode, top)));
        let track = RunParams::Risk { params: params.clone(), mode, top };
        self.run(self.risk, Some(track), |job, filter| ToWorker::Risk { job, filter, params, mode, top });
    }

    pub fn run_route(&self, params: RouteParams, network: bool, within_min: f64) {
        let risk = self.last_risk.get_value();
        let track = RunParams::Route { params: params.clone(), network, within_min, risk };
        self.run(self.route, Some(track), |job, filter| ToWorker::Route {
            job,
            filter,
            params,
            network,
            within_min,
        });
    }

    /// The whole-pipeline benchmark on every loaded row (not logged: it is not an analysis).
    pub fn run_bench(&self, params: PipelineParams) {
        self.run(self.bench, None, |job, _| ToWorker::Bench { job, params });
    }

    pub fn run_backtest(&self, params: BacktestParams) {
        let track = RunParams::Backtest { params: params.clone() };
        self.run(self.backtest, Some(track), |job, filter| ToWorker::Backtest { job, filter, params });
    }

    pub fn run_briefing(&self, params: BriefingParams) {
        let stations = self.stations.get_untracked();
        let network = self.network.get_untracked().is_some();
        self.run(self.briefing, None, |job, filter| ToWorker::Briefing {
            job,
            filter,
            params,
            stations,
            network,
        });
    }

    pub fn run_density(&self, params: DensityParams) {
        self.run(self.density, None, |job, filter| ToWorker::Density { job, filter, params });
    }

    pub fn run_areas(&self, kind: AreaKind) {
        self.run(self.areas, None, |job, filter| ToWorker::Areas { job, filter, kind });
    }

    /// Reads a boundary file in the worker: the one picked, or the one at `url`.
    pub fn load_boundaries(&self, file: Option<File>, url: Option<String>) {
        let job = self.bridge.with_value(|b| b.new_job());
        self.boundaries_job.set(Some(job));
        self.boundaries_error.set(None);
        let msg = ToWorker::LoadBoundaries { job, url };
        self.bridge.with_value(|b| b.send_files(&msg, file.into_iter().collect()));
    }

    /// Reads a stations CSV or a road network's two files in the worker.
    pub fn load_patrol_files(&self, files: Vec<File>, network: bool) {
        let job = self.bridge.with_value(|b| b.new_job());
        self.files_job.set(Some(job));
        self.files_error.set(None);
        let msg = if network { ToWorker::LoadNetwork { job } } else { ToWorker::LoadStations { job } };
        self.bridge.with_value(|b| b.send_files(&msg, files));
    }

    /// Stops a temporal clustering or a map at once, as [`AppState::cancel_cluster`] does.
    pub fn cancel_task(&self) {
        self.restart_and_reload("cancelled");
    }

    /// Stops a clustering run at once. A fit cannot be interrupted from outside the worker's
    /// thread, so the worker is replaced and the dataset reloaded (about two seconds for 500k rows).
    pub fn cancel_cluster(&self) {
        if self.cluster_job.get_untracked().is_none() {
            return;
        }
        self.cluster_job.set(None);
        self.restart_and_reload("the clustering was cancelled");
    }

    /// Replaces the worker and reloads the last dataset that loaded fine. Work queued in the old
    /// worker is lost: the analysis is asked for again after the reload, an export is failed with
    /// `why` so its button comes back.
    fn restart_and_reload(&self, why: &str) {
        self.analysing.set(None);
        if matches!(self.export.get_untracked(), Export::Running { .. }) {
            self.export.set(Export::Failed(format!("the export was stopped: {why}")));
        }
        if self.cluster_job.get_untracked().is_some() {
            self.cluster_job.set(None);
            self.cluster_error.set(Some(format!("the clustering was stopped: {why}")));
        }
        self.temporal.stop(why);
        self.pca.stop(why);
        self.embedding.stop(why);
        self.risk.stop(why);
        self.route.stop(why);
        self.backtest.stop(why);
        self.briefing.stop(why);
        self.density.stop(why);
        self.areas.stop(why);
        // The new worker has no road network and no boundaries.
        self.network.set(None);
        self.boundaries.set(Vec::new());
        self.areas.result.set(None);
        if self.boundaries_job.get_untracked().is_some() {
            self.boundaries_job.set(None);
            self.boundaries_error.set(Some(format!("the boundary file was not read: {why}")));
        }
        self.bridge.with_value(|b| b.restart());
        if let Some((source, file)) = self.last_good.with_value(|g| g.borrow().clone()) {
            self.reloading.set(true);
            self.load(source, file);
        }
    }

    /// Takes a tracked analysis's result into `slot` and logs the run; a late answer is neither
    /// shown nor recorded. True when taken.
    fn settle<T: Send + Sync + 'static>(
        &self,
        slot: Slot<T>,
        job: JobId,
        value: T,
        compute_ms: f64,
        record: fn(&T) -> Outcome,
    ) -> bool {
        let outcome = slot.is(job).then(|| record(&value));
        let taken = slot.finish(job, value, compute_ms);
        if let Some(outcome) = outcome.filter(|_| taken) {
            self.log(job, outcome, compute_ms);
        }
        taken
    }

    /// Notes a tracked run in flight, to log it when it finishes.
    fn ask(&self, job: JobId, params: RunParams, filter: Filter) {
        self.asked.with_value(|a| a.borrow_mut().insert(job, (params, filter)));
    }

    /// Logs the finished run `job` (if it was tracked): into the list at once, into IndexedDB
    /// behind it; a refused write is said on the Experiments page, the run stays in the list.
    fn log(&self, job: JobId, outcome: Outcome, compute_ms: f64) {
        let Some((params, filter)) = self.asked.with_value(|a| a.borrow_mut().remove(&job)) else { return };
        let Some(data) = self.dataset.get_untracked() else { return };
        let now = js_sys::Date::now();
        let started = (now - compute_ms).round() as i64;
        let mut run = Run::new(started, compute_ms, params, outcome, DatasetPrint::of(&data.report), filter);
        run.tags.insert("app".into(), env!("CARGO_PKG_VERSION").into());
        run.tags.insert("source_format".into(), data.report.source.format.clone());
        self.save_runs(vec![run]);
    }

    /// Adds or replaces `runs` in the list and the store.
    pub fn save_runs(&self, runs: Vec<Run>) {
        if runs.is_empty() {
            return;
        }
        self.runs.update(|all| {
            for r in &runs {
                match all.iter_mut().find(|x| x.id == r.id) {
                    Some(x) => *x = r.clone(),
                    None => all.push(r.clone()),
                }
            }
        });
        let note = self.runs_note;
        leptos::task::spawn_local(async move {
            if let Err(e) = crate::store::put(&runs).await {
                note.set(Some(e));
            }
        });
    }

    /// Deletes runs from the store, then from the list (a refused delete leaves both as they were).
    pub fn delete_runs(&self, ids: Vec<String>) {
        let (runs, note) = (self.runs, self.runs_note);
        leptos::task::spawn_local(async move {
            match crate::store::delete(&ids).await {
                Ok(()) => runs.update(|all| all.retain(|r| !ids.contains(&r.id))),
                Err(e) => note.set(Some(e)),
            }
        });
    }

    /// Reads the log from IndexedDB (once, at start); runs logged meanwhile are kept.
    fn load_runs(&self) {
        let (runs, note) = (self.runs, self.runs_note);
        leptos::task::spawn_local(async move {
            match crate::store::all().await {
                Ok((stored, unreadable)) => {
                    runs.update(|all| {
                        let fresh: Vec<Run> =
                            all.drain(..).filter(|r| !stored.iter().any(|s| s.id == r.id)).collect();
                        *all = stored;
                        all.extend(fresh);
                    });
                    if unreadable > 0 {
                        note.set(Some(format!(
                            "{unreadable} stored runs could not be read and are not shown"
                        )));
                    }
                }
                Err(e) => {
                    note.set(Some(format!("{e}. Runs of this session are kept until the tab is closed.")))
                }
            }
        });
    }

    /// Re-opens a logged run: its filter, its page with its parameters in the form, and the run
    /// itself again (every analysis is seeded, so the same data gives the same result).
    pub fn reopen(&self, run: &Run) {
        self.reopened.set(Some(run.clone()));
        self.set_filter(run.filter.clone());
        match run.params.clone() {
            RunParams::Cluster { algo, sample } => self.cluster(algo, sample, None),
            RunParams::Sweep { from, to, seed, sample } => {
                let algo = Algorithm::Kmeans(patroliq_core::cluster::kmeans::KMeansParams {
                    seed,
                    ..Default::default()
                });
                self.cluster(algo, sample, Some((from, to)))
            }
            RunParams::Temporal { params } => self.run_temporal(params),
            RunParams::Pca => self.run_pca(),
            RunParams::Embed { params } => self.run_embed(params),
            RunParams::Risk { params, mode, top } => self.run_risk(params, mode, top),
            RunParams::Route { params, network, within_min, risk } => {
                // The route visits the hotspots of its risk grid: that grid first (the worker
                // answers in order), then the route. A road-network route needs the network
                // loaded; without it, the street grid.
                if let Some((p, mode, top)) = risk {
                    self.run_risk(p, mode, top);
                }
                let network = network && self.network.get_untracked().is_some();
                self.run_route(params, network, within_min)
            }
            RunParams::Backtest { params } => self.run_backtest(params),
        }
        let _ = window().location().set_hash(run.params.page());
    }

    pub fn cancel(&self) {
        if let Some(r) = self.running.get_untracked() {
            self.bridge.with_value(|b| b.send(&ToWorker::Cancel { job: r.job }, None));
            self.running.set(None);
        }
    }

    fn on_message(&self, msg: FromWorker, payload: Option<JsValue>) {
        let current = self.running.get_untracked().map(|r| r.job);
        match msg {
            FromWorker::Ready => {}
            FromWorker::Progress { job, stage, bytes, total_bytes, rows } if Some(job) == current => {
                self.running.update(|r| {
                    if let Some(r) = r {
                        r.stage = stage;
                        r.bytes = bytes;
                        r.total_bytes = total_bytes.or(r.total_bytes);
                        r.rows = rows;
                    }
                });
            }
            FromWorker::Loaded { job, report, summary, inflated_beside } if Some(job) == current => {
                self.running.set(None);
                self.dataset.set(Some(Dataset { report: *report, summary: *summary, inflated_beside }));
                let done = self.pending.with_value(|p| p.borrow_mut().take());
                self.last_good.with_value(|g| *g.borrow_mut() = done);
                self.export.set(Export::Idle);
                // A reload of the same data (after a cancel or a crash) keeps the results.
                if !self.reloading.get_untracked() {
                    // Results and errors of the last dataset say nothing of this one (a stale
                    // error also stopped a page's automatic run).
                    self.cluster_error.set(None);
                    self.clustering.set(None);
                    self.sweep.set(None);
                    self.temporal.clear();
                    self.pca.clear();
                    self.embedding.clear();
                    self.risk.clear();
                    self.route.clear();
                    self.backtest.clear();
                    self.bench.clear();
                    self.briefing.clear();
                    self.density.clear();
                    self.areas.clear();
                    self.maps.set(Vec::new());
                    self.data_epoch.update(|e| *e += 1);
                }
                self.reloading.set(false);
                // The previous analysis describes another dataset: nothing is shown until the new one.
                self.analysis.set(None);
                self.analyse();
            }
            FromWorker::Analysed { job, filter, eda, compute_ms }
                if Some(job) == self.analysing.get_untracked() =>
            {
                self.analysing.set(None);
                self.analysis.set(Some(Analysis { filter, eda: *eda, compute_ms }));
            }
            FromWorker::Exported { job, file_name, rows, bytes, compute_ms, features_ms }
                if self.export.get_untracked() == (Export::Running { job }) =>
            {
                let saved = payload.ok_or_else(|| "the file did not arrive".to_string()).and_then(|p| {
                    save_bytes(&file_name, "application/vnd.apache.parquet", &p)
                        .map_err(|e| format!("the browser refused the download: {e:?}"))
                });
                self.export.set(match saved {
                    Ok(()) => Export::Done { file_name, rows, bytes, compute_ms, features_ms },
                    Err(m) => Export::Failed(m),
                });
            }
            FromWorker::ClusterProgress { job, done } => {
                self.cluster_job.update(|j| {
                    if let Some(j) = j.as_mut().filter(|j| j.job == job) {
                        j.done = done;
                    }
                });
                self.temporal.progress(job, done);
                self.pca.progress(job, done);
                self.embedding.progress(job, done);
                self.risk.progress(job, done);
                self.route.progress(job, done);
                self.backtest.progress(job, done);
                self.bench.progress(job, done);
                self.briefing.progress(job, done);
                self.density.progress(job, done);
                self.areas.progress(job, done);
            }
            FromWorker::Briefing { job, view, compute_ms } => {
                self.briefing.finish(job, *view, compute_ms);
            }
            FromWorker::Density { job, view, compute_ms } => {
                self.density.finish(job, *view, compute_ms);
            }
            FromWorker::Areas { job, report, compute_ms } => {
                self.areas.finish(job, *report, compute_ms);
            }
            FromWorker::Boundaries { job, kind, source, outlines }
                if self.boundaries_job.get_untracked() == Some(job) =>
            {
                self.boundaries_job.set(None);
                self.boundaries.update(|all| {
                    all.retain(|b| b.kind != kind);
                    all.push(LoadedBoundaries { job, kind, source, outlines });
                    all.sort_by_key(|b| b.kind as u8);
                });
            }
            FromWorker::AnalysisFailed { job, message }
                if self.boundaries_job.get_untracked() == Some(job) =>
            {
                self.boundaries_job.set(None);
                self.boundaries_error.set(Some(message));
            }
            FromWorker::Risk { job, view, compute_ms } => {
                self.settle(self.risk, job, *view, compute_ms, record::risk);
            }
            FromWorker::Route { job, view, compute_ms } => {
                self.settle(self.route, job, *view, compute_ms, record::route);
            }
            FromWorker::Backtest { job, view, compute_ms } => {
                self.settle(self.backtest, job, *view, compute_ms, record::backtest);
            }
            FromWorker::Benched { job, stages, beside, compute_ms } => {
                self.bench.finish(job, (stages, beside), compute_ms);
            }
            FromWorker::Stations { job, stations, skipped }
                if self.files_job.get_untracked() == Some(job) =>
            {
                self.files_job.set(None);
                if skipped > 0 {
                    self.files_error
                        .set(Some(format!("{skipped} rows of the stations file had no usable coordinates")));
                }
                self.stations.set(stations);
            }
            FromWorker::Network { job, summary } if self.files_job.get_untracked() == Some(job) => {
                self.files_job.set(None);
                self.network.set(Some(summary));
            }
            FromWorker::AnalysisFailed { job, message } if self.files_job.get_untracked() == Some(job) => {
                self.files_job.set(None);
                self.files_error.set(Some(message));
            }
            FromWorker::Temporal { job, view, compute_ms } => {
                self.settle(self.temporal, job, *view, compute_ms, record::temporal);
            }
            FromWorker::Pca { job, view, compute_ms } => {
                self.settle(self.pca, job, *view, compute_ms, record::pca);
            }
            FromWorker::Embedded { job, view, compute_ms } => {
                let run = MapRun {
                    params: view.params.clone(),
                    points: view.xy.len(),
                    trustworthiness: view.trustworthiness,
                    seconds: compute_ms / 1000.0,
                };
                if self.settle(self.embedding, job, *view, compute_ms, record::embed) {
                    self.maps.update(|m| m.push(run));
                }
            }
            FromWorker::Clustered { job, view, compute_ms } if self.is_cluster_job(job) => {
                let filter = self.cluster_job.get_untracked().map(|j| j.filter).unwrap_or_default();
                self.cluster_job.set(None);
                self.log(job, record::cluster(&view), compute_ms);
                self.clustering.set(Some(Clustering { job, view: *view, filter, compute_ms }));
            }
            FromWorker::Swept { job, points, compute_ms } if self.is_cluster_job(job) => {
                let filter = self.cluster_job.get_untracked().map(|j| j.filter).unwrap_or_default();
                self.cluster_job.set(None);
                self.log(job, record::sweep(&points), compute_ms);
                self.sweep.set(Some(Sweep { points, filter, compute_ms }));
            }
            FromWorker::AnalysisFailed { job, message } if self.is_cluster_job(job) => {
                self.cluster_job.set(None);
                self.cluster_error.set(Some(message));
            }
            FromWorker::AnalysisFailed { job, message }
                if self.temporal.is(job)
                    || self.pca.is(job)
                    || self.embedding.is(job)
                    || self.risk.is(job)
                    || self.route.is(job)
                    || self.backtest.is(job)
                    || self.bench.is(job)
                    || self.briefing.is(job)
                    || self.density.is(job)
                    || self.areas.is(job) =>
            {
                let _ = self.temporal.fail(job, message.clone())
                    || self.pca.fail(job, message.clone())
                    || self.embedding.fail(job, message.clone())
                    || self.risk.fail(job, message.clone())
                    || self.route.fail(job, message.clone())
                    || self.backtest.fail(job, message.clone())
                    || self.bench.fail(job, message.clone())
                    || self.briefing.fail(job, message.clone())
                    || self.density.fail(job, message.clone())
                    || self.areas.fail(job, message);
            }
            FromWorker::AnalysisFailed { job, message } => {
                if Some(job) == self.analysing.get_untracked() {
                    self.analysing.set(None);
                }
                if self.export.get_untracked() == (Export::Running { job }) {
                    self.export.set(Export::Failed(message));
                }
            }
            FromWorker::Failed { job, kind, message, report } if Some(job) == current => {
                self.reloading.set(false);
                self.running.set(None);
                self.failure.set(Some(Failure { kind, message, report: report.map(|r| *r) }));
            }
            FromWorker::Cancelled { job } if Some(job) == current => self.running.set(None),
            FromWorker::Crashed { message } => self.recover(message),
            // Late messages of a job the user has moved on from.
            _ => {}
        }
    }

    /// The worker died (a bug, or the tab ran out of memory): restart it and reload the last
    /// dataset that loaded fine, so the user keeps working.
    fn is_cluster_job(&self, job: JobId) -> bool {
        self.cluster_job.with_untracked(|j| j.as_ref().is_some_and(|j| j.job == job))
    }

    fn recover(&self, message: String) {
        let was = self.running.get_untracked().map(|r| r.label);
        self.running.set(None);
        let failure = Failure {
            kind: "crashed".into(),
            message: format!(
                "The data engine stopped{} ({message}). It has been restarted and your last \
                 dataset is being reloaded.",
                was.map(|l| format!(" while loading {l}")).unwrap_or_default()
            ),
            report: None,
        };
        self.restart_and_reload("the data engine stopped during the run");
        // Set after the reload starts (a load clears the message): the user needs to see why.
        self.failure.set(Some(failure));
    }
}

/// The source to open with: `?data=<url>` if given, else the built-in demo.
fn initial_source() -> Source {
    location::data_source().unwrap_or(Source::Demo { rows: demo::DEFAULT_ROWS, seed: demo::DEFAULT_SEED })
}

#[component]
pub fn App() -> impl IntoView {
    let running = RwSignal::new(None);
    let dataset = RwSignal::new(None);
    let failure = RwSignal::new(None);
    let (filter, notes) = location::filter();
    let slot: Rc<RefCell<Option<AppState>>> = Rc::new(RefCell::new(None));
    let handler_slot = slot.clone();
    let bridge = Bridge::new(move |msg, payload| {
        if let Some(state) = *handler_slot.borrow() {
            state.on_message(msg, payload);
        }
    });
    let state = AppState {
        running,
        dataset,
        failure,
        filter: RwSignal::new(filter),
        filter_notes: RwSignal::new(notes),
        analysis: RwSignal::new(None),
        analysing: RwSignal::new(None),
        export: RwSignal::new(Export::Idle),
        page: RwSignal::new(Page::current()),
        cluster_job: RwSignal::new(None),
        clustering: RwSignal::new(None),
        sweep: RwSignal::new(None),
        cluster_error: RwSignal::new(None),
        temporal: Slot::new(),
        pca: Slot::new(),
        embedding: Slot::new(),
        risk: Slot::new(),
        route: Slot::new(),
        backtest: Slot::new(),
        bench: Slot::new(),
        briefing: Slot::new(),
        density: Slot::new(),
        areas: Slot::new(),
        boundaries: RwSignal::new(Vec::new()),
        boundaries_job: RwSignal::new(None),
        boundaries_error: RwSignal::new(None),
        stations: RwSignal::new(Vec::new()),
        network: RwSignal::new(None),
        files_job: RwSignal::new(None),
        files_error: RwSignal::new(None),
        maps: RwSignal::new(Vec::new()),
        data_epoch: RwSignal::new(0),
        reloading: RwSignal::new(false),
        bridge: StoredValue::new_local(bridge),
        last_good: StoredValue::new_local(Rc::new(RefCell::new(None))),
        pending: StoredValue::new_local(Rc::new(RefCell::new(None))),
        runs: RwSignal::new(Vec::new()),
        runs_note: RwSignal::new(None),
        reopened: RwSignal::new(None),
        asked: StoredValue::new_local(Rc::new(RefCell::new(HashMap::new()))),
        last_risk: StoredValue::new(None),
    };
    *slot.borrow_mut() = Some(state);
    provide_context(state);
    state.load(initial_source(), None);
    state.load_runs();
    let on_hash = window_event_listener(leptos::ev::hashchange, move |_| state.page.set(Page::current()));
    // The listener lives as long as the page.
    std::mem::forget(on_hash);
    // A re-opened run fills its page's form until the user goes to another page.
    Effect::new(move |_| {
        let page = state.page.get();
        if state.reopened.with_untracked(|r| r.as_ref().is_some_and(|r| r.params.page() != page.slug())) {
            state.reopened.set(None);
        }
    });

    view! {
        <header class="topbar">
            <div class="brand">
                <span class="logo" aria-hidden="true">"◆"</span>
                <span class="name">"PatrolIQ"</span>
                <span class="tagline">"Crime analytics in your browser — your data never leaves this device"</span>
            </div>
            <Nav/>
        </header>
        <main class="page">
            <LoadProgress/>
            <FailureBanner/>
            <FilterBar/>
            <ReopenedBanner/>
            {move || match state.page.get() {
                Page::Home => view! { <Home/> }.into_any(),
                Page::Overview => view! { <SourcePanel/><Overview/><ReportView/> }.into_any(),
                Page::Heatmaps => view! { <Heatmaps/> }.into_any(),
                Page::Explore => view! { <Explore/> }.into_any(),
                Page::Features => view! { <FeaturesPage/> }.into_any(),
                Page::Hotspots => view! { <Hotspots/> }.into_any(),
                Page::When => view! { <When/> }.into_any(),
                Page::Shape => view! { <Shape/> }.into_any(),
                Page::Patrol => view! { <Patrol/> }.into_any(),
                Page::Backtest => view! { <BacktestPage/> }.into_any(),
                Page::Bench => view! { <BenchPage/> }.into_any(),
                Page::Experiments => view! { <Experiments/> }.into_any(),
            }}
        </main>
        <footer class="footer">
            "PatrolIQ runs entirely in this browser tab (Rust + WebAssembly). The built-in demo data is synthetic."
        </footer>
    }
}

/// The page tabs: plain links to `#slug`, so they work with the keyboard, open in a new tab and
/// survive a reload.
#[component]
fn Nav() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <nav class="tabs-nav" aria-label="Pages">
            {Page::TABS
                .into_iter()
                .map(|p| {
                    let current = move || state.page.get() == p;
                    view! {
                        <a
                            href=format!("#{}", p.slug())
                            id=format!("nav-{}", p.slug())
                            class:active=current
                            aria-current=move || current().then_some("page")
                        >
                            {p.title()}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// Says which logged run the page shows after "Re-open" on the Experiments page, and whether it
/// was made on other data than the dataset now loaded.
#[component]
fn ReopenedBanner() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let run = state.reopened.get()?;
        if run.params.page() != state.page.get().slug() {
            return None;
        }
        let now = state.dataset.with(|d| d.as_ref().map(|d| DatasetPrint::of(&d.report)));
        let other = now.filter(|d| d.fingerprint != run.dataset.fingerprint).map(|d| {
            format!(
                " It was made on {} ({} rows); it has been run again on the data now loaded, {} ({} rows).",
                run.dataset.name, run.dataset.rows, d.name, d.rows
            )
        });
        let when = patroliq_core::track::exchange::utc(run.started_ms).replace('T', " ").replace('Z', " UTC");
        Some(view! {
            <div class="banner info" id="reopened" role="status" data-run=run.id.clone()>
                <div class="banner-text">
                    <strong>{format!("Re-opened: {} ", run.title)}</strong>
                    {format!("(logged {when}). Its filter and parameters are restored and it has been run again.")}
                    {other}
                </div>
                <button class="btn ghost" aria-label="Dismiss" on:click=move |_| state.reopened.set(None)>"✕"</button>
            </div>
        })
    }
}

#[component]
fn FailureBanner() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.failure.get().map(|f| {
            let kept = state
                .dataset
                .get_untracked()
                .map(|d| format!("Your previous dataset ({}) is still loaded.", d.report.source.name));
            let dismiss = move |_| state.failure.set(None);
            view! {
                <div class="banner error" id="load-error" role="alert" data-kind=f.kind.clone()>
                    <div class="banner-text">
                        <strong>"Could not load the data. "</strong>
                        <span class="message">{f.message.clone()}</span>
                        {kept.map(|k| view! { <div class="kept">{k}</div> })}
                    </div>
                    <button class="btn ghost" on:click=dismiss aria-label="Dismiss">"✕"</button>
                </div>
            }
        })
    }
}
