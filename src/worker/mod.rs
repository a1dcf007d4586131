//! The data worker: holds the dataset and runs every heavy step off the UI thread.
//!
//! - [`start`] (here) reads each [`ToWorker`] and dispatches its [`Request`] to one handler;
//! - `answer`: [`answer::Job`] and [`answer::answer`], the one way an analysis answers — the
//!   loaded table or `NoDataset`, the memo of its results, progress, the timed reply or failure;
//! - `analyses`: a handler per analysis, each a call of `answer`; `bench`: the benchmark;
//! - `load`: loading a dataset in chunks; `io`: reading files and downloads; `file_ranges`: a
//!   picked Parquet file read row group by row group;
//! - `side_files`: the boundary, stations and road-network files the patrol and map pages use;
//! - `state`: what the worker holds between requests (the table, kept results, memos).
//!
//! Loads are async loops over chunks (file slices, network packets, Parquet batches). Each await
//! lets the worker's event loop deliver a `Cancel`, so cancel is honoured within one chunk, and
//! the previous dataset is replaced only once a new one is complete.
//!
//! # Adding an analysis
//!
//! With its core function in `patroliq-core` (parameters checked by a `check`, progress reported
//! through the core's `Progress`):
//! 1. `crate::protocol`: a `Request` variant with its filter and parameters, and a `Reply` variant
//!    with its view (one line in the `replies!` list);
//! 2. here: a memo in `state::Memos` if its result depends on the filter and parameters only, and a
//!    dispatch arm calling its handler in `analyses` — a call of `answer::answer`;
//! 3. `crate::state`: a `Slot<View>` in the state of its area (`req.slot()`) and a `run_…` method
//!    of one line (`Requests::run`); the reply reaches the slot by its job, with no routing to write;
//! 4. its page under `crate::ui::pages`.

mod analyses;
mod answer;
mod bench;
mod file_ranges;
mod io;
mod layers;
mod load;
mod side_files;
mod state;

use std::rc::Rc;

use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{File, MessageEvent};

use self::answer::{post, Job};
use self::state::{Worker, WORKER};
use crate::js::scope;
use crate::protocol::{FromWorker, JobId, Request, ToWorker};

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
        let Ok(ToWorker { job, request }) = serde_json::from_str::<ToWorker>(&text) else {
            return;
        };
        let files: Vec<File> = (1..parts.length()).filter_map(|i| parts.get(i).dyn_into().ok()).collect();
        WORKER.with(|w| dispatch(w, job, request, files));
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    WORKER.with(|w| w.mapper.start());
    post(&FromWorker::Ready);
}

/// Hands `request` to its handler; `files` are the files sent beside it.
fn dispatch(w: &Rc<Worker>, id: JobId, request: Request, files: Vec<File>) {
    let job = Job::start(id);
    let mut files = files.into_iter();
    match request {
        Request::Load { source, only } => {
            w.active.set(id);
            spawn_local(load::run(w.clone(), job, source, only, files.next()));
        }
        Request::Cancel => {
            if w.active.get() == id {
                w.active.set(0);
            }
        }
        Request::Analyse { filter } => analyses::eda(w, job, filter),
        Request::ExportFeatures { filter } => analyses::export_features(w, job, &filter),
        Request::Cluster { filter, algo, sample } => analyses::cluster(w, job, &filter, &algo, &sample),
        Request::Sweep { filter, from, to, seed, sample } => {
            analyses::sweep(w, job, &filter, from..=to, seed, &sample)
        }
        Request::Temporal { filter, params } => analyses::temporal(w, job, &filter, params),
        Request::Pca { filter } => analyses::pca(w, job, &filter),
        Request::Embed { filter, params } => analyses::embed(w, job, &filter, params),
        Request::Risk { filter, params, mode, top, layers } => {
            analyses::risk(w, job, &filter, params, mode, top, &layers)
        }
        Request::Route { filter, params, network, within_min } => {
            analyses::route(w, job, &filter, params, network, within_min)
        }
        Request::Backtest { filter, params, layers } => analyses::backtest(w, job, &filter, params, &layers),
        Request::Rolling { filter, params, layers } => analyses::rolling(w, job, &filter, params, &layers),
        Request::NearRepeat { filter, params } => analyses::near_repeat(w, job, &filter, params),
        Request::Emerging { filter, params } => analyses::emerging(w, job, &filter, params),
        Request::Bench { params } => spawn_local(bench::run(w.clone(), job, params)),
        Request::Briefing { filter, params, stations, network, layers } => {
            analyses::briefing(w, job, &filter, params, &stations, network, &layers)
        }
        Request::Density { filter, params } => analyses::density(w, job, &filter, params),
        Request::Areas { filter, kind } => analyses::areas(w, job, &filter, kind),
        Request::LoadBoundaries { url } => {
            spawn_local(side_files::boundaries(w.clone(), job, files.next(), url))
        }
        Request::LoadStations => spawn_local(side_files::stations(job, files.next())),
        Request::LoadNetwork => spawn_local(side_files::network(w.clone(), job, files.next(), files.next())),
        Request::AddLayer { id, name } => spawn_local(layers::add(w.clone(), job, files.next(), id, name)),
        Request::ForgetLayer { id } => w.layers.borrow_mut().retain(|k| k.id != id),
    }
}
