//! Loading a dataset: the demo, a picked file, a download or a portal query, read in chunks with
//! progress, and cancellable between chunks.

use std::rc::Rc;

use js_sys::{Reflect, Uint8Array};
use patroliq_core::demo;
use patroliq_core::load::layout::Mapping;
use patroliq_core::load::{is_parquet, open_parquet};
use patroliq_core::load::{Format, LoadError, LoadFilter, LoadOptions, Loaded, Loader, Tail};
use patroliq_core::summary::DatasetSummary;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, ReadableStreamDefaultReader};

use super::answer::post;
use super::answer::Job;
use super::file_ranges::FileRanges;
use super::io::{read_ahead, read_slice, request};
use super::state::Worker;
use crate::js::{js_message, now, sleep, yield_now};
use crate::mapper::Inflation;
use crate::protocol::{self, Failure, FromWorker, LoadFailure, Progress, Reply, Source, Stage};

/// File slices of 4 MiB: large enough to be fast, small enough for smooth progress and cancel.
const CHUNK: u64 = 4 << 20;

/// Loads `source` and answers `job`; the previous dataset is replaced only by a whole new one.
pub(super) async fn run(w: Rc<Worker>, job: Job, source: Source, only: LoadFilter, file: Option<File>) {
    w.inflated_beside.set(false);
    let result = load(&w, job, &source, only, file).await;
    if w.active.get() != job.id {
        return job.reply(Err(Failure::Cancelled));
    }
    let answer = match result {
        Ok(Loaded { table, mut report, preview }) => {
            progress(job, Stage::Summarising, report.source.bytes, None, report.rows_read);
            report.duration_ms = job.elapsed_ms();
            if matches!(source, Source::Demo { .. }) {
                report.source.format = "demo".into();
            }
            // Metres are true metres in this city from now on (Chicago's stay centred on State &
            // Madison); the summary carries the centre to the page thread.
            patroliq_core::features::set_frame_for(&table, report.chicago);
            let summary = DatasetSummary::of(&table);
            // Only now is the previous dataset let go, with what was computed from it.
            w.replace_table(table);
            let inflated_beside = w.inflated_beside.get();
            Ok(Reply::Loaded(Box::new(protocol::Loaded { report, summary, inflated_beside, preview })))
        }
        Err(LoadError::Cancelled) => Err(Failure::Cancelled),
        Err(e) => {
            let report = match &e {
                LoadError::NothingKept(r) => Some(r.clone()),
                _ => None,
            };
            let preview = match &e {
                LoadError::WrongSchema { preview, .. } => preview.clone(),
                _ => None,
            };
            Err(Failure::Load(LoadFailure { kind: e.kind().into(), message: e.to_string(), report, preview }))
        }
    };
    job.reply(answer);
}

fn progress(job: Job, stage: Stage, bytes: u64, total_bytes: Option<u64>, rows: u64) {
    post(&FromWorker::Progress { job: job.id, progress: Progress::Load { stage, bytes, total_bytes, rows } });
}

/// Stops a load that is no longer the one to run (cancelled, or replaced by a newer load).
fn check(w: &Worker, job: Job) -> Result<(), LoadError> {
    if w.active.get() == job.id {
        Ok(())
    } else {
        Err(LoadError::Cancelled)
    }
}

async fn load(
    w: &Worker,
    job: Job,
    source: &Source,
    only: LoadFilter,
    file: Option<File>,
) -> Result<Loaded, LoadError> {
    // Up-front size refusals are lifted when a filter may make the file fit.
    let opts = LoadOptions { filtered: !only.is_everything(), ..LoadOptions::default() };
    let tail = match source {
        Source::Demo { rows, seed } => {
            let csv = demo::generate_csv(*rows, *seed);
            let mut l = Loader::new("demo", opts);
            for chunk in csv.as_bytes().chunks(CHUNK as usize) {
                l.push(chunk)?;
            }
            l.finish()?
        }
        Source::File { name, columns, .. } => {
            let file = file.ok_or_else(|| LoadError::Io("the file was not passed to the worker".into()))?;
            read_file(w, job, name, &file, opts, columns.clone(), only).await?
        }
        Source::Url { url } => fetch(w, job, url, opts, only).await?,
        Source::Portal(q) => {
            let url = q.url().map_err(|m| LoadError::Io(format!("the portal query is not valid: {m}")))?;
            fetch(w, job, &url, opts, only).await?
        }
    };
    decode(w, job, tail).await
}

async fn read_file(
    w: &Worker,
    job: Job,
    name: &str,
    file: &File,
    opts: LoadOptions,
    columns: Option<Mapping>,
    only: LoadFilter,
) -> Result<Tail, LoadError> {
    let size = file.size() as u64;
    opts.check_size(None, size)?;
    if size >= 4 {
        let head = read_slice(file, 0, 4).await?;
        if is_parquet(&head) {
            // Read by ranges as it is decoded: one row group in memory, not the whole file.
            if let Some(ranges) = FileRanges::new(file) {
                return open_parquet(name, Box::new(ranges), opts, columns.as_ref(), &only);
            }
        }
        if head.starts_with(&[0x1f, 0x8b]) {
            opts.check_size(Some(Format::GzipCsv), size)?;
            // A file picked just as the page opened finds the map worker still starting: waiting
            // for it (a second at most) costs less than inflating here.
            futures::future::select(w.mapper.warm(), Box::pin(sleep(1000))).await;
            if let Some(inflation) = w.mapper.inflate(file, opts.max_decompressed_bytes) {
                w.inflated_beside.set(true);
                let tail = match size >= 18 {
                    true => read_slice(file, size - 4, size).await?.try_into().ok(),
                    false => None,
                };
                return read_inflated(w, job, name, inflation, size, opts, columns, only, tail).await;
            }
        }
    }
    let mut l = Loader::new(name, opts).with_mapping(columns).with_filter(only).with_size_hint(size);
    let mut at = 0u64;
    let mut next = (size > 0).then(|| read_ahead(file, 0, CHUNK.min(size)));
    while let Some(pending) = next.take() {
        let chunk = pending.await?;
        check(w, job)?;
        let end = (at + CHUNK).min(size);
        if end < size {
            next = Some(read_ahead(file, end, (end + CHUNK).min(size)));
        }
        l.push(&chunk)?;
        if at == 0 {
            opts.check_size(l.format(), size)?;
        }
        at = end;
        progress(job, Stage::Reading, at, Some(size), l.rows_read());
    }
    l.finish()
}

/// Parses a gzip file that the map worker inflates meanwhile (`crate::mapper::Inflation`).
async fn read_inflated(
    w: &Worker,
    job: Job,
    name: &str,
    mut inflation: Inflation,
    size: u64,
    opts: LoadOptions,
    columns: Option<Mapping>,
    only: LoadFilter,
    tail: Option<[u8; 4]>,
) -> Result<Tail, LoadError> {
    let mut l = Loader::inflated(name, opts).with_mapping(columns).with_filter(only);
    if let Some(tail) = tail {
        // The trailer's size, so the table's rows are reserved once, not doubled as they grow.
        l = l.with_size_hint(Loader::gzip_inflated_size(size, tail));
    }
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

async fn fetch(
    w: &Worker,
    job: Job,
    url: &str,
    opts: LoadOptions,
    only: LoadFilter,
) -> Result<Tail, LoadError> {
    let resp = request(url).await.map_err(LoadError::Io)?;
    let total = resp.headers().get("content-length").ok().flatten().and_then(|v| v.parse::<u64>().ok());
    if let Some(t) = total {
        opts.check_size(None, t)?;
    }
    let name = url.rsplit('/').next().unwrap_or("download").split('?').next().unwrap_or("download");
    let mut l = Loader::new(name, opts).with_filter(only);
    if let Some(t) = total {
        // Rows (text) or the buffer (Parquet, held whole) reserved once, not doubled as they grow.
        l = l.with_size_hint(t);
    }
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

/// Decodes Parquet batches (CSV is already done), yielding every 50 ms so progress shows and
/// cancel gets in. Not after every batch: a worker's `setTimeout(0)` in a chain of them waits
/// 4 ms, half a second over the 126 batches of a full history.
async fn decode(w: &Worker, job: Job, mut tail: Tail) -> Result<Loaded, LoadError> {
    let mut last = now();
    while tail.step()? {
        if now() - last >= 50.0 {
            let (done, total) = tail.progress();
            progress(job, Stage::Decoding, done, Some(total), done);
            yield_now().await;
            check(w, job)?;
            last = now();
        }
    }
    tail.finish()
}
