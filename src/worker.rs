//! The data worker: holds the dataset and runs every heavy step off the UI thread.
//!
//! Loads are async loops over chunks (file slices, network packets, Parquet batches). Each await
//! lets the worker's event loop deliver a `Cancel`, so cancel is honoured within one chunk, and
//! the previous dataset is replaced only once a new one is complete.

use std::cell::{Cell, Ref, RefCell};
use std::rc::Rc;

use js_sys::{Array, Promise, Reflect, Uint8Array};
use patroliq_core::areas::{report, AreaKind, Boundaries};
use patroliq_core::backtest::{Backtest, BacktestParams};
use patroliq_core::bench::{in_order, Beside, PipelineParams};
use patroliq_core::briefing::BriefingParams;
use patroliq_core::cluster::kmeans::{self, SweepPoint};
use patroliq_core::cluster::metrics::SilhouetteSample;
use patroliq_core::cluster::report::{analyse_labelled, Algorithm, ClusterView};
use patroliq_core::cluster::Points;
use patroliq_core::density::{DensityParams, DensityView};
use patroliq_core::eda::Eda;
use patroliq_core::error::AnalysisError;
use patroliq_core::export::{FeaturesParquet, FEATURE_GROUP};
use patroliq_core::features::Features;
use patroliq_core::filter::Filter;
use patroliq_core::load::{Format, LoadError, LoadOptions, Loaded, Loader, Tail};
use patroliq_core::reduce::embed::{EmbedParams, EmbedView, Embedding, PointInfo};
use patroliq_core::reduce::pca::{Pca, PcaView, SCATTER_POINTS};
use patroliq_core::risk::hotspots::{check_count, hotspots, Hotspot, HotspotMode};
use patroliq_core::risk::{RiskModel, RiskParams, RiskView};
use patroliq_core::route::evaluate::check_reach;
use patroliq_core::route::network::RoadNetwork;
use patroliq_core::route::plan::RouteParams;
use patroliq_core::route::stations::Station;
use patroliq_core::route::travel::{StreetGrid, Travel};
use patroliq_core::route::{stations, RouteView};
use patroliq_core::summary::DatasetSummary;
use patroliq_core::temporal::peaks::Peaks;
use patroliq_core::temporal::{cell_of, hotspot_times, TemporalParams, TemporalReport, TemporalView};
use patroliq_core::{demo, CrimeTable};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{DedicatedWorkerGlobalScope, File, MessageEvent, ReadableStreamDefaultReader, Response};

use crate::mapper::{Inflation, Mapper};
use crate::memo::{key, Memo};
use crate::protocol::{FromWorker, JobId, Source, Stage, ToWorker};

/// File slices of 4 MiB: large enough to be fast, small enough for smooth progress and cancel.
const CHUNK: u64 = 4 << 20;

/// The last result of an analysis that another one can use, with the filter it was made for.
struct Kept<T> {
    filter: Filter,
    value: T,
}

#[derive(Default)]
struct Worker {
    table: RefCell<Option<CrimeTable>>,
    /// The hotspot of each filtered row in the last clustering (the temporal page's hotspot mix).
    hotspots: RefCell<Option<Kept<Vec<i32>>>>,
    /// The pattern of each (hour, weekday, month) cell and the patterns' names, from the last
    /// temporal clustering (colours the maps).
    patterns: RefCell<Option<Kept<(Vec<String>, Vec<i8>)>>>,
    /// The hotspots of the last risk run (the routes visit them).
    hotspots_risk: RefCell<Option<Kept<Vec<Hotspot>>>>,
    /// The road network the user loaded, if any.
    network: RefCell<Option<RoadNetwork>>,
    /// The boundary files the user loaded, at most one of each kind.
    boundaries: RefCell<Vec<Boundaries>>,
    /// The job that may run; any other job stops at its next chunk.
    active: Cell<JobId>,
    /// Results per (filter, parameters) of the loaded table (`crate::memo`).
    memo: RefCell<Memos>,
    /// The second worker that draws the maps (`crate::mapper`).
    mapper: Mapper,
    /// Counts the datasets loaded: an answer from the map worker for an earlier one is stale.
    generation: Cell<u64>,
    /// The last load's gzip was inflated in the map worker.
    inflated_beside: Cell<bool>,
}

/// The kept results of each analysis. Only what depends on nothing but the table, the filter and
/// the request's parameters is kept.
#[derive(Default)]
struct Memos {
    eda: Memo<Eda>,
    cluster: Memo<(ClusterView, Vec<i32>)>,
    sweep: Memo<Vec<SweepPoint>>,
    temporal: Memo<TemporalReport>,
    pca: Memo<(Pca, Vec<[f32; 3]>, Vec<u32>)>,
    embed: Memo<Embedding>,
    risk: Memo<RiskModel>,
    backtest: Memo<Backtest>,
    density: Memo<DensityView>,
}

impl Memos {
    fn clear(&mut self) {
        *self = Memos::default();
    }
}

thread_local! {
    static WORKER: Rc<Worker> = Rc::new(Worker::default());
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(msg: &FromWorker) {
    // Posting only fails if the page is gone; nothing is left to tell then.
    let _ = scope().post_message(&JsValue::from_str(&msg.encode()));
}

/// Entry point of the worker binary.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        post(&FromWorker::Crashed { message: info.to_string() });
    }));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| {
        let parts = Array::from(&e.data());
        let Some(text) = parts.get(0).as_string() else {
            return;
        };
        let Ok(msg) = serde_json::from_str::<ToWorker>(&text) else {
            return;
        };
        let file = parts.get(1).dyn_into::<File>().ok();
        let file2 = parts.get(2).dyn_into::<File>().ok();
        WORKER.with(|w| match msg {
            ToWorker::Load { job, source } => {
                w.active.set(job);
                spawn_local(run_load(w.clone(), job, source, file));
            }
            ToWorker::Cancel { job } => {
                if w.active.get() == job {
                    w.active.set(0);
                }
            }
            ToWorker::Analyse { job, filter } => analyse(w, job, filter),
            ToWorker::ExportFeatures { job, filter } => export_features(w, job, &filter),
            ToWorker::Cluster { job, filter, algo, sample } => cluster(w, job, &filter, &algo, &sample),
            ToWorker::Sweep { job, filter, from, to, seed, sample } => {
                sweep(w, job, &filter, from..=to, seed, &sample)
            }
            ToWorker::Temporal { job, filter, params } => temporal(w, job, &filter, params),
            ToWorker::Pca { job, filter } => pca(w, job, &filter),
            ToWorker::Embed { job, filter, params } => embed(w, job, &filter, params),
            ToWorker::Risk { job, filter, params, mode, top } => risk(w, job, &filter, params, mode, top),
            ToWorker::Route { job, filter, params, network, within_min } => {
                route(w, job, &filter, params, network, within_min)
            }
            ToWorker::Backtest { job, filter, params } => backtest(w, job, &filter, params),
            ToWorker::Bench { job, params } => spawn_local(bench(w.clone(), job, params)),
            ToWorker::Briefing { job, filter, params, stations, network } => {
                briefing(w, job, &filter, params, &stations, network)
            }
            ToWorker::Density { job, filter, params } => density(w, job, &filter, params),
            ToWorker::LoadBoundaries { job, url } => spawn_local(load_boundaries(w.clone(), job, file, url)),
            ToWorker::Areas { job, filter, kind } => areas(w, job, &filter, kind),
            ToWorker::LoadStations { job } => spawn_local(load_stations(job, file)),
            ToWorker::LoadNetwork { job } => spawn_local(load_network(w.clone(), job, file, file2)),
        });
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    WORKER.with(|w| w.mapper.start());
    post(&FromWorker::Ready);
}

async fn run_load(w: Rc<Worker>, job: JobId, source: Source, file: Option<File>) {
    let started = js_sys::Date::now();
    w.inflated_beside.set(false);
    let result = load(&w, job, &source, file).await;
    if w.active.get() != job {
        post(&FromWorker::Cancelled { job });
        return;
    }
    match result {
        Ok(Loaded { table, mut report }) => {
            progress(job, Stage::Summarising, report.source.bytes, None, report.rows_read);
            report.duration_ms = js_sys::Date::now() - started;
            if matches!(source, Source::Demo { .. }) {
                report.source.format = "demo".into();
            }
            let summary = DatasetSummary::of(&table);
            // Only now is the previous dataset let go, with what was computed from it.
            *w.table.borrow_mut() = Some(table);
            w.generation.set(w.generation.get() + 1);
            *w.hotspots.borrow_mut() = None;
            *w.patterns.borrow_mut() = None;
            *w.hotspots_risk.borrow_mut() = None;
            w.memo.borrow_mut().clear();
            let inflated_beside = w.inflated_beside.get();
            post(&FromWorker::Loaded {
                job,
                report: Box::new(report),
                summary: Box::new(summary),
                inflated_beside,
            });
        }
        Err(LoadError::Cancelled) => post(&FromWorker::Cancelled { job }),
        Err(e) => {
            let report = match &e {
                LoadError::NothingKept(r) => Some(r.clone()),
                _ => None,
            };
            post(&FromWorker::Failed { job, kind: e.kind().into(), message: e.to_string(), report });
        }
    }
}

/// The loaded table, or `None` once the page has been told there is none.
fn loaded(w: &Worker, job: JobId) -> Option<Ref<'_, CrimeTable>> {
    let table = Ref::filter_map(w.table.borrow(), Option::as_ref).ok();
    if table.is_none() {
        post(&FromWorker::AnalysisFailed { job, message: "no dataset is loaded yet".into() });
    }
    table
}

/// The EDA of the rows passing `filter`. Synchronous: well under a second on 500k rows, and a
/// load started meanwhile is queued behind it rather than racing it.
fn analyse(w: &Worker, job: JobId, filter: Filter) {
    let started = js_sys::Date::now();
    let Some(table) = loaded(w, job) else {
        return;
    };
    let t: &CrimeTable = &table;
    let eda = w.memo.borrow_mut().eda.get_or(key(&filter), || Eda::of(t, &filter.select(t)));
    let compute_ms = js_sys::Date::now() - started;
    post(&FromWorker::Analysed { job, filter, eda: Box::new((*eda).clone()), compute_ms });
}

/// The features of the filtered rows as Parquet, handed to the page (which offers the download).
/// Feature computation and Parquet encoding are timed apart (the in-browser benchmark reports both).
fn export_features(w: &Worker, job: JobId, filter: &Filter) {
    let started = js_sys::Date::now();
    let Some(table) = loaded(w, job) else {
        return;
    };
    let t: &CrimeTable = &table;
    let rows = filter.select(t);
    let features = Features::prepare(t, &rows);
    let mut features_ms = js_sys::Date::now() - started;
    let mut buf = Vec::new();
    let written = FeaturesParquet::new(&mut buf).and_then(|mut out| {
        for group in rows.chunks(FEATURE_GROUP) {
            let t0 = js_sys::Date::now();
            let columns = features.columns(group);
            features_ms += js_sys::Date::now() - t0;
            out.write(t, group, columns)?;
        }
        out.finish()
    });
    if let Err(e) = written {
        return post(&FromWorker::AnalysisFailed { job, message: format!("the export failed: {e}") });
    }
    let msg = FromWorker::Exported {
        job,
        file_name: "patroliq-features.parquet".into(),
        rows: rows.len() as u64,
        bytes: buf.len() as u64,
        compute_ms: js_sys::Date::now() - started,
        features_ms,
    };
    let bytes = Uint8Array::from(buf.as_slice());
    drop(buf);
    let parts = Array::of2(&JsValue::from_str(&msg.encode()), &bytes);
    // Transferred, not copied: the worker gives the buffer up.
    let transfer = Array::of1(&bytes.buffer());
    let _ = scope().post_message_with_transfer(&parts, &transfer);
}

/// Posts clustering progress at most every 2 %. The fit runs to its end once started: the page
/// cancels a run by restarting the worker (see `AppState::cancel_cluster`).
fn cluster_progress(job: JobId) -> impl FnMut(f64) -> bool {
    let mut last = -1.0;
    move |done: f64| {
        if done - last >= 0.02 || done >= 1.0 {
            last = done;
            post(&FromWorker::ClusterProgress { job, done });
        }
        true
    }
}

fn cluster(w: &Worker, job: JobId, filter: &Filter, algo: &Algorithm, sample: &SilhouetteSample) {
    let started = js_sys::Date::now();
    let Some(table) = loaded(w, job) else {
        return;
    };
    let t: &CrimeTable = &table;
    let fit = w.memo.borrow_mut().cluster.get_or_try(key(&(filter, algo, sample)), || {
        let (mut view, labels) =
            analyse_labelled(t, &filter.select(t), algo, sample, &mut cluster_progress(job))?;
        // The run's own time: a kept result answers later with the time it took to make.
        view.report.seconds = (js_sys::Date::now() - started) / 1000.0;
        Ok::<_, AnalysisError>((view, labels))
    });
    match fit {
        Ok(kept) => {
            let (view, labels) = &*kept;
            *w.hotspots.borrow_mut() = Some(Kept { filter: filter.clone(), value: labels.clone() });
            let compute_ms = js_sys::Date::now() - started;
            post(&FromWorker::Clustered { job, view: Box::new(view.clone()), compute_ms });
        }
        Err(e) => post(&FromWorker::AnalysisFailed { job, message: e.to_string() }),
    }
}

/// Temporal patterns, peaks and, when the last clustering was of the same rows, the pattern mix
/// of each hotspot.
fn temporal(w: &Worker, job: JobId, filter: &Filter, params: TemporalParams) {
    let started = js_sys::Date::now();
    let Some(table) = loaded(w, job) else {
        return;
    };
    let t: &CrimeTable = &table;
    let rows = filter.select(t);
    let fit = w.memo.borrow_mut().temporal.get_or_try(key(&(filter, &params)), || {
        params.check().and_then(|p| p.fit(t, &rows, &mut cluster_progress(job)))
    });
    let report = match fit {
        Ok(r) => (*r).clone(),
        Err(e) => return post(&FromWorker::AnalysisFailed { job, message: e.to_string() }),
    };
    let peaks = Peaks::of(t, &rows);
    let hotspots = w
        .hotspots
        .borrow()
        .as_ref()
        .filter(|k| &k.filter == filter && k.value.len() == rows.len())
        .map(|k| hotspot_times(&report, t, &rows, &k.value, 12));
    let names = report.patterns.iter().map(|p| p.label.clone()).collect();
    *w.patterns.borrow_mut() =
        Some(Kept { filter: filter.clone(), value: (names, report.cell_pattern.clone()) });
    let view = TemporalView { report, peaks, hotspots };
    post(&FromWorker::Temporal { job, view: Box::new(view), compute_ms: js_sys::Date::now() - started });
}

/// PCA of every filtered row, and every n-th of them on the first three components.
fn pca(w: &Worker, job: JobId, filter: &Filter) {
    let started = js_sys::Date::now();
    let Some(table) = loaded(w, job) else {
        return;
    };
    let t: &CrimeTable = &table;
    let fit = w.memo.borrow_mut().pca.get_or_try(key(filter), || {
        let rows = filter.select(t);
        let features = Features::prepare(t, &rows);
        let pca = Pca::fit_prepared(&features, &rows).map_err(|e| e.to_string())?;
        let step = (rows.len() / SCATTER_POINTS).max(1);
        let sample: Vec<u32> = rows.iter().step_by(step).copied().collect();
        let (scores, kept) = pca.scores(&features, &sample);
        Ok::<_, String>((pca, scores, kept))
    });
    let (pca, scores, kept) = match fit {
        Ok(p) => (*p).clone(),
        Err(message) => return post(&FromWorker::AnalysisFailed { job, message }),
    };
    let pattern = patterns_of(w, t, filter, &kept);
    let view = PcaView { pca, scores, points: PointInfo::of(t, &kept), pattern };
    post(&FromWorker::Pca { job, view: Box::new(view), compute_ms: js_sys::Date::now() - started });
}

/// The temporal pattern of each of `rows`, from the last temporal clustering of the same filter.
fn patterns_of(w: &Worker, t: &CrimeTable, filter: &Filter, rows: &[u32]) -> Option<(Vec<String>, Vec<i8>)> {
    w.patterns.borrow().as_ref().filter(|k| &k.filter == filter).map(|k| {
        let (names, cells) = &k.value;
        let of = |r: &u32| cell_of(t.date[*r as usize]).map_or(-1, |c| cells[c]);
        (names.clone(), rows.iter().map(of).collect())
    })
}

/// A t-SNE or UMAP map of a seeded sample of the filtered rows: the sample is prepared here and
/// mapped by a map worker, so that this worker serves other pages meanwhile.
fn embed(w: &Rc<Worker>, job: JobId, filter: &Filter, params: EmbedParams) {
    let started = js_sys::Date::now();
    let Some(table) = loaded(w, job) else {
        return;
    };
    let t: &CrimeTable = &table;
    let memo_key = key(&(filter, &params));
    if let Some(e) = w.memo.borrow_mut().embed.get(&memo_key) {
        return answer_embed(w, t, job, filter, &e, started);
    }
    let valid = match params.check() {
        Ok(v) => v,
        Err(e) => return post(&FromWorker::AnalysisFailed { job, message: e.to_string() }),
    };
    let prepared = valid.prepare(t, &filter.select(t));
    post(&FromWorker::ClusterProgress { job, done: 0.03 });
    // The table is not borrowed across the wait: a load may replace it meanwhile.
    drop(table);
    let (w, filter, generation) = (w.clone(), filter.clone(), w.generation.get());
    spawn_local(async move {
        let mut forward = cluster_progress(job);
        let reply = w.mapper.map(&valid, &prepared.x, move |d| _ = forward(0.03 + 0.97 * d)).await;
        if w.generation.get() != generation {
            let message = "a new dataset was loaded while the map was being drawn".into();
            return post(&FromWorker::AnalysisFailed { job, message });
        }
        let mapped = match reply.result {
            Ok(m) => m,
            Err(message) => return post(&FromWorker::AnalysisFailed { job, message }),
        };
        let e = w.memo.borrow_mut().embed.put(memo_key, valid.finish(prepared, mapped));
        if let Some(table) = loaded(&w, job) {
            answer_embed(&w, &table, job, &filter, &e, started);
        }
    });
}

fn answer_embed(w: &Worker, t: &CrimeTable, job: JobId, filter: &Filter, e: &Embedding, started: f64) {
    let pattern = patterns_of(w, t, filter, &e.rows);
    let view = EmbedView {
        points: PointInfo::of(t, &e.rows),
        params: e.params.clone(),
        xy: e.xy.clone(),
        pattern,
        selected: e.selected,
        dropped: e.dropped,
        trustworthiness: e.trustworthiness,
        trust_queries: e.trust_queries,
    };
    post(&FromWorker::Embedded { job, view: Box::new(view), compute_ms: js_sys::Date::now() - started });
}

/// The risk grid of the filtered rows; its hotspots are kept for the routes.
fn risk(w: &Worker, job: JobId, filter: &Filter, params: RiskParams, mode: HotspotMode, top: usize) {
    let started = js_sys::Date::now();
    let Some(table) = loaded(w, job) else {
        return;
    };
    if let Err(e) = check_count(top) {
        return post(&FromWorker::AnalysisFailed { job, message: e.to_string() });
    }
    let t: &CrimeTable = &table;
    let fit = w.memo.borrow_mut().risk.get_or_try(key(&(filter, &params)), || {
        params.check().and_then(|p| p.fit(t, &filter.select(t), &mut cluster_progress(job)))
    });
    let model = match fit {
        Ok(m) => (*m).clone(),
        Err(e) => return post(&FromWorker::AnalysisFailed { job, message: e.to_string() }),
    };
    let spots = hotspots(&model, mode, top);
    *w.hotspots_risk.borrow_mut() = Some(Kept { filter: filter.clone(), value: spots.clone() });
    let view = RiskView { model, mode, hotspots: spots };
    post(&FromWorker::Risk { job, view: Box::new(view), compute_ms: js_sys::Date::now() - started });
}

/// The back-test of every hotspot method on the filtered rows.
fn backtest(w: &Worker, job: JobId, filter: &Filter, params: BacktestParams) {
    let started = js_sys::Date::now();
    let Some(table) = loaded(w, job) else {
        return;
    };
    let t: &CrimeTable = &table;
    let fit = w.memo.borrow_mut().backtest.get_or_try(key(&(filter, &params)), || {
        params.check().and_then(|p| p.run(t, &filter.select(t), &mut cluster_progress(job)))
    });
    match fit {
        Ok(b) => post(&FromWorker::Backtest {
            job,
            view: Box::new((*b).clone()),
            compute_ms: js_sys::Date::now() - started,
        }),
        Err(e) => post(&FromWorker::AnalysisFailed { job, message: e.to_string() }),
    }
}

/// The whole-pipeline benchmark on every loaded row (the core's `bench`, as `patroliq bench`
/// runs it), with progress between stages. Times come from `performance.now()`. With `beside`,
/// whole passes follow with the maps on the map workers (one each) while this one runs the rest.
async fn bench(w: Rc<Worker>, job: JobId, params: PipelineParams) {
    let started = js_sys::Date::now();
    let valid = match params.check() {
        Ok(v) => v,
        Err(e) => return post(&FromWorker::AnalysisFailed { job, message: e.to_string() }),
    };
    let performance: Option<web_sys::Performance> =
        js_sys::Reflect::get(&js_sys::global(), &"performance".into()).ok().and_then(|p| p.dyn_into().ok());
    let clock = move || performance.as_ref().map_or_else(js_sys::Date::now, |p| p.now());
    let passes = if valid.params().beside { valid.params().runs } else { 0 };
    let share = if passes > 0 { 0.5 } else { 1.0 };
    let stages = {
        let Some(table) = loaded(&w, job) else {
            return;
        };
        valid.run(&table, &clock, &mut |_, i, n| {
            post(&FromWorker::ClusterProgress { job, done: share * i as f64 / n as f64 });
            true
        })
    };
    let mut timed = Vec::new();
    if passes > 0 {
        w.mapper.warm_both().await;
    }
    for pass in 0..passes {
        let at = |i: usize, n: usize| 0.5 + 0.5 * (pass as f64 + i as f64 / n as f64) / passes as f64;
        let t0 = clock();
        let (jobs, rest) = {
            let Some(table) = loaded(&w, job) else {
                return;
            };
            let jobs = match valid.map_jobs(&table, &clock) {
                Ok(j) => j,
                Err(message) => return post(&FromWorker::AnalysisFailed { job, message }),
            };
            // Posted before the rest starts, so the map workers begin at once.
            let maps = futures::future::join_all(jobs.iter().map(|j| w.mapper.map(&j.valid, &j.x, |_| ())));
            let rest = valid.run_rest(&table, &clock, &mut |_, i, n| {
                post(&FromWorker::ClusterProgress { job, done: at(i, n) });
                true
            });
            (jobs, (rest, maps))
        };
        let (rest, maps) = rest;
        let replies = maps.await;
        let wall = clock() - t0;
        let map_stages =
            jobs.iter().zip(replies).map(|(j, r)| j.timed(r.result.as_ref().map_err(Clone::clone), r.ms));
        timed.push((wall, in_order(rest.into_iter().chain(map_stages).collect())));
    }
    let beside = (passes > 0).then(|| Beside::of(timed));
    post(&FromWorker::Benched { job, stages, beside, compute_ms: js_sys::Date::now() - started });
}

/// Tonight's briefing of the filtered rows, its areas named from the loaded boundaries.
fn briefing(
    w: &Worker,
    job: JobId,
    filter: &Filter,
    params: BriefingParams,
    stations: &[Station],
    network: bool,
) {
    let started = js_sys::Date::now();
    let Some(table) = loaded(w, job) else {
        return;
    };
    let t: &CrimeTable = &table;
    let rows = filter.select(t);
    let mut net = w.network.borrow_mut();
    let travel: &mut dyn Travel = match (network, net.as_mut()) {
        (true, Some(n)) => n,
        _ => &mut StreetGrid,
    };
    match params.check().and_then(|p| p.fit(t, &rows, stations, travel, &mut cluster_progress(job))) {
        Ok(mut b) => {
            for bounds in w.boundaries.borrow().iter() {
                b.name_areas(bounds);
            }
            post(&FromWorker::Briefing { job, view: Box::new(b), compute_ms: js_sys::Date::now() - started })
        }
        Err(e) => post(&FromWorker::AnalysisFailed { job, message: e.to_string() }),
    }
}

/// The heatmaps page's density surfaces of the filtered rows.
fn density(w: &Worker, job: JobId, filter: &Filter, params: DensityParams) {
    let started = js_sys::Date::now();
    let Some(table) = loaded(w, job) else {
        return;
    };
    let t: &CrimeTable = &table;
    let fit = w.memo.borrow_mut().density.get_or_try(key(&(filter, &params)), || {
        params.check().and_then(|p| p.fit(t, &filter.select(t), &mut cluster_progress(job)))
    });
    match fit {
        Ok(v) => post(&FromWorker::Density {
            job,
            view: Box::new((*v).clone()),
            compute_ms: js_sys::Date::now() - started,
        }),
        Err(e) => post(&FromWorker::AnalysisFailed { job, message: e.to_string() }),
    }
}

/// The figures of each area of the loaded boundaries of `kind`.
fn areas(w: &Worker, job: JobId, filter: &Filter, kind: AreaKind) {
    let started = js_sys::Date::now();
    let Some(table) = loaded(w, job) else {
        return;
    };
    let t: &CrimeTable = &table;
    let all = w.boundaries.borrow();
    let Some(b) = all.iter().find(|b| b.kind == kind) else {
        let message = format!("no {} boundaries are loaded", kind.label());
        return post(&FromWorker::AnalysisFailed { job, message });
    };
    let r = report(b, t, &filter.select(t));
    post(&FromWorker::Areas { job, report: Box::new(r), compute_ms: js_sys::Date::now() - started });
}

/// Reads a boundary file (picked, or fetched from `url`) and keeps it, replacing one of its kind.
async fn load_boundaries(w: Rc<Worker>, job: JobId, file: Option<File>, url: Option<String>) {
    let fail = |message: String| post(&FromWorker::AnalysisFailed { job, message });
    let (source, text) = match (url, file) {
        (Some(url), _) => match fetch_text(&url).await {
            Ok(t) => (host_of(&url).to_string(), t),
            Err(e) => return fail(e),
        },
        (None, Some(file)) => {
            if file.size() > SMALL_FILE {
                return fail(format!("{} is too large for a boundary file", file.name()));
            }
            match read_all(&file).await {
                Ok(b) => match String::from_utf8(b) {
                    Ok(t) => (file.name(), t),
                    Err(_) => {
                        return fail(format!("{}: not text (a GeoJSON file is UTF-8 JSON)", file.name()))
                    }
                },
                Err(e) => return fail(format!("{}: {e}", file.name())),
            }
        }
        (None, None) => return fail("no boundary file was given".into()),
    };
    match Boundaries::from_geojson(&text) {
        Ok(b) => {
            let (kind, outlines) = (b.kind, b.outlines(25.0));
            let mut all = w.boundaries.borrow_mut();
            all.retain(|x| x.kind != kind);
            all.push(b);
            post(&FromWorker::Boundaries { job, kind, source, outlines });
        }
        Err(e) => fail(format!("{source}: {e}")),
    }
}

/// The text at `url`, refused past the small-file limit.
async fn fetch_text(url: &str) -> Result<String, String> {
    let resp = request(url).await?;
    let host = host_of(url);
    let big = resp.headers().get("content-length").ok().flatten().and_then(|v| v.parse::<f64>().ok());
    if big.is_some_and(|n| n > SMALL_FILE) {
        return Err(format!("{host} sent a file too large for boundaries"));
    }
    let text = resp.text().map_err(|e| js_message(&e))?;
    JsFuture::from(text)
        .await
        .map_err(|e| format!("the download stopped: {}", js_message(&e)))?
        .as_string()
        .ok_or_else(|| "the answer is not text".to_string())
}

/// A patrol plan through the kept hotspots, evaluated against the filtered crimes.
fn route(w: &Worker, job: JobId, filter: &Filter, params: RouteParams, network: bool, within_min: f64) {
    let started = js_sys::Date::now();
    let fail = |message: String| post(&FromWorker::AnalysisFailed { job, message });
    let Some(table) = loaded(w, job) else {
        return;
    };
    let t: &CrimeTable = &table;
    let kept = w.hotspots_risk.borrow();
    let Some(spots) = kept.as_ref().filter(|k| &k.filter == filter) else {
        return fail("compute the risk grid for this filter first: the route visits its hotspots".into());
    };
    let valid = match params.check().and_then(|v| check_reach(within_min).map(|()| v)) {
        Ok(v) => v,
        Err(e) => return fail(e.to_string()),
    };
    let mut net = w.network.borrow_mut();
    let travel: &mut dyn Travel = match (network, net.as_mut()) {
        (true, Some(n)) => n,
        (true, None) => return fail("no road network is loaded".into()),
        (false, _) => &mut StreetGrid,
    };
    let prep = match valid.prepare(&spots.value, travel) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    post(&FromWorker::ClusterProgress { job, done: 0.5 });
    let crimes: Vec<(f64, f64)> =
        filter.select(t).iter().map(|&r| (t.latitude[r as usize], t.longitude[r as usize])).collect();
    let view = RouteView::make(&valid, &prep, &crimes, within_min);
    post(&FromWorker::Route { job, view: Box::new(view), compute_ms: js_sys::Date::now() - started });
}

/// The whole of a small file the user picked.
async fn read_all(file: &File) -> Result<Vec<u8>, String> {
    let buf = JsFuture::from(file.array_buffer()).await.map_err(|e| js_message(&e))?;
    Ok(Uint8Array::new(&buf).to_vec())
}

/// Files past this size are not station lists or city road networks.
const SMALL_FILE: f64 = 64.0 * 1024.0 * 1024.0;

async fn load_stations(job: JobId, file: Option<File>) {
    let fail = |message: String| post(&FromWorker::AnalysisFailed { job, message });
    let Some(file) = file else {
        return fail("no stations file was given".into());
    };
    if file.size() > SMALL_FILE {
        return fail(format!("{} is too large for a list of police stations", file.name()));
    }
    match read_all(&file).await.and_then(|b| stations::parse(&b)) {
        Ok((stations, skipped)) => post(&FromWorker::Stations { job, stations, skipped }),
        Err(e) => fail(format!("{}: {e}", file.name())),
    }
}

async fn load_network(w: Rc<Worker>, job: JobId, nodes: Option<File>, links: Option<File>) {
    let fail = |message: String| post(&FromWorker::AnalysisFailed { job, message });
    let (Some(a), Some(b)) = (nodes, links) else {
        return fail("choose two files: the network's nodes and its links".into());
    };
    if a.size() + b.size() > 4.0 * SMALL_FILE {
        return fail("these files are too large for a city road network".into());
    }
    // Either order: the file named like "…links…" is the links file (from_tntp names a mix-up).
    let (na, nb) = (a.name(), b.name());
    let (nodes, links) = if na.contains("link") || nb.contains("node") { (b, a) } else { (a, b) };
    let parsed = match (read_all(&nodes).await, read_all(&links).await) {
        (Ok(n), Ok(l)) => RoadNetwork::from_tntp(&n, &l),
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    match parsed {
        Ok(net) => {
            let summary = net.summary.clone();
            *w.network.borrow_mut() = Some(net);
            post(&FromWorker::Network { job, summary });
        }
        Err(e) => fail(e),
    }
}

fn sweep(
    w: &Worker,
    job: JobId,
    filter: &Filter,
    ks: std::ops::RangeInclusive<usize>,
    seed: u64,
    sample: &SilhouetteSample,
) {
    let started = js_sys::Date::now();
    let Some(table) = loaded(w, job) else {
        return;
    };
    let t: &CrimeTable = &table;
    let fit = w.memo.borrow_mut().sweep.get_or_try(key(&(filter, &ks, seed, sample)), || {
        kmeans::sweep(&Points::of(t, &filter.select(t)), ks.clone(), seed, sample, &mut cluster_progress(job))
    });
    match fit {
        Ok(points) => post(&FromWorker::Swept {
            job,
            points: (*points).clone(),
            compute_ms: js_sys::Date::now() - started,
        }),
        Err(e) => post(&FromWorker::AnalysisFailed { job, message: e.to_string() }),
    }
}

fn progress(job: JobId, stage: Stage, bytes: u64, total_bytes: Option<u64>, rows: u64) {
    post(&FromWorker::Progress { job, stage, bytes, total_bytes, rows });
}

fn check(w: &Worker, job: JobId) -> Result<(), LoadError> {
    if w.active.get() == job {
        Ok(())
    } else {
        Err(LoadError::Cancelled)
    }
}

async fn load(w: &Worker, job: JobId, source: &Source, file: Option<File>) -> Result<Loaded, LoadError> {
    let opts = LoadOptions::default();
    let tail = match source {
        Source::Demo { rows, seed } => {
            let csv = demo::generate_csv(*rows, *seed);
            let mut l = Loader::new("demo", opts);
            for chunk in csv.as_bytes().chunks(CHUNK as usize) {
                l.push(chunk)?;
            }
            l.finish()?
        }
        Source::File { name, .. } => {
            let file = file.ok_or_else(|| LoadError::Io("the file was not passed to the worker".into()))?;
            read_file(w, job, name, &file, opts).await?
        }
        Source::Url { url } => fetch(w, job, url, opts).await?,
        Source::Portal(q) => {
            let url = q.url().map_err(|m| LoadError::Io(format!("the portal query is not valid: {m}")))?;
            fetch(w, job, &url, opts).await?
        }
    };
    decode(w, job, tail).await
}

async fn read_file(
    w: &Worker,
    job: JobId,
    name: &str,
    file: &File,
    opts: LoadOptions,
) -> Result<Tail, LoadError> {
    let size = file.size() as u64;
    opts.check_size(None, size)?;
    if size >= 2 {
        let head = read_slice(file, 0, 2).await?;
        if head.starts_with(&[0x1f, 0x8b]) {
            opts.check_size(Some(Format::GzipCsv), size)?;
            // A file picked just as the page opened finds the map worker still starting: waiting
            // for it (a second at most) costs less than inflating here.
            futures::future::select(w.mapper.warm(), Box::pin(sleep(1000))).await;
            if let Some(inflation) = w.mapper.inflate(file, opts.max_decompressed_bytes) {
                w.inflated_beside.set(true);
                return read_inflated(w, job, name, inflation, size, opts).await;
            }
        }
    }
    let mut l = Loader::new(name, opts);
    let mut at = 0u64;
    while at < size {
        let end = (at + CHUNK).min(size);
        let chunk = read_slice(file, at, end).await?;
        check(w, job)?;
        l.push(&chunk)?;
        if at == 0 {
            opts.check_size(l.format(), size)?;
        }
        at = end;
        progress(job, Stage::Reading, at, Some(size), l.rows_read());
    }
    l.finish()
}

async fn read_slice(file: &File, at: u64, end: u64) -> Result<Vec<u8>, LoadError> {
    let blob =
        file.slice_with_f64_and_f64(at as f64, end as f64).map_err(|e| LoadError::Io(js_message(&e)))?;
    let buf = JsFuture::from(blob.array_buffer()).await.map_err(|e| LoadError::Io(js_message(&e)))?;
    Ok(Uint8Array::new(&buf).to_vec())
}

/// Parses a gzip file that the map worker inflates meanwhile (`crate::mapper::Inflation`).
async fn read_inflated(
    w: &Worker,
    job: JobId,
    name: &str,
    mut inflation: Inflation,
    size: u64,
    opts: LoadOptions,
) -> Result<Tail, LoadError> {
    let mut l = Loader::inflated(name, opts);
    loop {
        let piece = inflation.next().await;
        check(w, job)?;
        let piece = piece?;
        l.push_inflated(piece.compressed, &piece.csv)?;
        if piece.last {
            break;
        }
        inflation.parsed();
        progress(job, Stage::Reading, l.bytes_in(), Some(size), l.rows_read());
    }
    l.finish()
}

/// "data.cityofchicago.org" of "https://data.cityofchicago.org/…": how messages name a server.
fn host_of(url: &str) -> &str {
    url.split('/').nth(2).unwrap_or(url)
}

/// The response of a GET of `url` that succeeded, or why not in words.
async fn request(url: &str) -> Result<Response, String> {
    let host = host_of(url);
    let resp = JsFuture::from(scope().fetch_with_str(url)).await.map_err(|_| {
        format!(
            "could not reach {host}: the network is down, or the server does not allow this page \
             to read it (CORS)"
        )
    })?;
    let resp: Response = resp.unchecked_into();
    if !resp.ok() {
        return Err(format!("{host} answered {} {}", resp.status(), resp.status_text()));
    }
    Ok(resp)
}

async fn fetch(w: &Worker, job: JobId, url: &str, opts: LoadOptions) -> Result<Tail, LoadError> {
    let resp = request(url).await.map_err(LoadError::Io)?;
    let total = resp.headers().get("content-length").ok().flatten().and_then(|v| v.parse::<u64>().ok());
    if let Some(t) = total {
        opts.check_size(None, t)?;
    }
    let name = url.rsplit('/').next().unwrap_or("download").split('?').next().unwrap_or("download");
    let mut l = Loader::new(name, opts);
    let body = resp.body().ok_or_else(|| LoadError::Io("the response has no body".into()))?;
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut last_post = 0u64;
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|e| LoadError::Truncated(format!("the download stopped: {}", js_message(&e))))?;
        if let Err(e) = check(w, job) {
            let _ = reader.cancel();
            return Err(e);
        }
        if Reflect::get(&chunk, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true) {
            break;
        }
        let value: Uint8Array = Reflect::get(&chunk, &"value".into())
            .map_err(|e| LoadError::Io(js_message(&e)))?
            .unchecked_into();
        l.push(&value.to_vec())?;
        if l.bytes_in() - last_post >= 1 << 20 {
            last_post = l.bytes_in();
            progress(job, Stage::Reading, l.bytes_in(), total, l.rows_read());
        }
    }
    l.finish()
}

/// Decodes Parquet batches (CSV is already done), yielding between batches so cancel gets in.
async fn decode(w: &Worker, job: JobId, mut tail: Tail) -> Result<Loaded, LoadError> {
    while tail.step()? {
        let (done, total) = tail.progress();
        progress(job, Stage::Decoding, done, Some(total), done);
        yield_now().await;
        check(w, job)?;
    }
    tail.finish()
}

/// Lets the worker's event loop run (a `setTimeout(0)` turn).
async fn yield_now() {
    sleep(0).await;
}

async fn sleep(ms: i32) {
    let p = Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(p).await;
}

pub(crate) fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}
