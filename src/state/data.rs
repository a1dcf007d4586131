//! The dataset: loading it, the filter every page looks at, its EDA and its feature export; and
//! replacing the worker (a crash, a cancelled analysis) with the dataset reloaded.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use patroliq_core::eda::Eda;
use patroliq_core::filter::Filter;
use patroliq_core::summary::DatasetSummary;
use patroliq_core::CleaningReport;
use web_sys::File;

use super::columns::{self, Next, Target};
use super::jobs::Answer;
use super::kept::{Kept, Origin};
use super::replace::{Question, Replacing};
use super::requests::Requests;
use crate::download::save_bytes;
use crate::location;
use crate::protocol::{Failure, FromReply, JobId, LoadFailure, Progress, Reply, Request, Source, Stage};
use patroliq_core::load::layout::{Mapping, Preview};

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
    /// Its columns, first values and the roles they were read as (*Change columns…*).
    pub preview: Option<Box<Preview>>,
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

/// A source to load, with the `File` it names (if any).
type Loadable = Rc<RefCell<Option<(Source, Option<File>)>>>;

#[derive(Clone, Copy)]
pub struct Data {
    pub running: RwSignal<Option<Running>>,
    /// “Load only…”: the date range and crime types the next load keeps (all rows by default).
    pub only: RwSignal<patroliq_core::LoadFilter>,
    pub dataset: RwSignal<Option<Dataset>>,
    pub failure: RwSignal<Option<LoadFailure>>,
    /// The rows every page looks at; mirrored in the URL.
    pub filter: RwSignal<Filter>,
    /// What was wrong with the filter in the URL the page was opened with.
    pub filter_notes: RwSignal<Vec<String>>,
    /// The EDA of the current filter, once the worker has it (the previous one until then).
    pub analysis: RwSignal<Option<Analysis>>,
    /// The analysis job whose answer is awaited, if any.
    pub analysing: RwSignal<Option<JobId>>,
    pub export: RwSignal<Export>,
    /// Counts the datasets loaded (a reload of the same one after a cancel or crash is not new).
    pub data_epoch: RwSignal<u64>,
    /// Where the dataset on screen came from (the demo, a file, a URL, the portal).
    pub source: RwSignal<Option<Source>>,
    /// Whether it is kept on this device across reloads.
    pub kept: Kept,
    /// A replacement of the loaded dataset waiting for the user's answer.
    pub replacing: Replacing,
    /// Why the load running was started.
    origin: StoredValue<Origin>,
    /// The load running reloads the dataset already shown (after a cancel or a crash).
    reloading: RwSignal<bool>,
    /// The source of the dataset now loaded, with its `File`, to reload after a worker crash.
    last_good: StoredValue<Loadable, LocalStorage>,
    pending: StoredValue<Loadable, LocalStorage>,
    /// The load running is the user's new columns for a file (its failure is worded so).
    remapping: StoredValue<bool>,
    /// Counts the files whose mapping is looked up: the last picked wins, whichever lookup ends
    /// first. Any other load started meanwhile wins too (`start` counts).
    picks: StoredValue<u64>,
    req: Requests,
}

/// "chicago_2018.csv (230,114 incidents)".
pub fn dataset_words(name: &str, rows: u64) -> String {
    format!("{name} ({} incidents)", patroliq_core::fmt::thousands(rows))
}

fn demo() -> Source {
    Source::Demo { rows: patroliq_core::demo::DEFAULT_ROWS, seed: patroliq_core::demo::DEFAULT_SEED }
}

fn label(source: &Source) -> String {
    match source {
        Source::Demo { rows, .. } => format!("demo data ({rows} synthetic incidents)"),
        Source::File { name, .. } => name.clone(),
        Source::Url { url } => url.clone(),
        Source::Portal(q) => format!("Chicago Data Portal (newest {} rows)", q.limit),
    }
}

impl Data {
    pub(super) fn new(req: Requests, filter_notes: Vec<String>) -> Data {
        let data = Data {
            running: RwSignal::new(None),
            only: RwSignal::new(Default::default()),
            dataset: RwSignal::new(None),
            failure: RwSignal::new(None),
            filter: req.filter(),
            filter_notes: RwSignal::new(filter_notes),
            analysis: RwSignal::new(None),
            analysing: RwSignal::new(None),
            export: RwSignal::new(Export::Idle),
            data_epoch: RwSignal::new(0),
            source: RwSignal::new(None),
            kept: Kept::new(),
            replacing: Replacing::new(),
            origin: StoredValue::new(Origin::Opening),
            reloading: RwSignal::new(false),
            last_good: StoredValue::new_local(Rc::new(RefCell::new(None))),
            pending: StoredValue::new_local(Rc::new(RefCell::new(None))),
            remapping: StoredValue::new(false),
            picks: StoredValue::new(0),
            req,
        };
        req.on_crash(move |message| data.recover(message));
        req.on_worker_lost(move |why| {
            // Work queued in the old worker is lost: the analysis is asked for again after the
            // reload, an export is failed with why so its button comes back.
            data.analysing.set(None);
            if matches!(data.export.get_untracked(), Export::Running { .. }) {
                data.export.set(Export::Failed(format!("the export was stopped: {why}")));
            }
        });
        data
    }

    /// Opens the app's dataset: the `?data=` link's if the address has one, else what is kept on
    /// this device, else the demo.
    pub fn open(&self) {
        if let Some(source) = location::data_source() {
            return self.start(source, None, Origin::Link);
        }
        let data = *self;
        leptos::task::spawn_local(async move {
            match Kept::read().await {
                Ok(Some((meta, file))) => {
                    // A part of a large file is kept with the filter that made it.
                    data.only.set(meta.only.clone());
                    data.start(meta.source, file, Origin::Restore)
                }
                Ok(None) => data.start(demo(), None, Origin::Opening),
                Err(why) => {
                    data.kept.unusable(format!("{why}. The demo data is loaded instead"));
                    data.start(demo(), None, Origin::Opening);
                }
            }
        });
    }

    /// Loads `source` in place of the dataset on screen, asking first when that is the user's
    /// own data (the demo can always be had again).
    pub fn replace(&self, source: Source, file: Option<File>) {
        let current = self.source.get_untracked();
        let real = current.as_ref().is_some_and(|s| !matches!(s, Source::Demo { .. }));
        if !real || self.dataset.with_untracked(Option::is_none) {
            return self.begin(source, file);
        }
        let (name, rows) = self.dataset.with_untracked(|d| {
            d.as_ref().map(|d| (d.report.source.name.clone(), d.report.rows_clean)).unwrap_or_default()
        });
        let loaded = dataset_words(&name, rows);
        let question = match &source {
            Source::Demo { .. } => Question {
                title: format!("Replace {loaded} with the demo data?"),
                detail: "The demo is synthetic. Your data is unloaded and no longer kept on this device \
                         (your file itself is not touched)."
                    .into(),
                replace: "Load the demo".into(),
                keep: format!("Keep {name}"),
            },
            other => Question {
                title: format!("Replace {loaded} with {}?", label(other)),
                detail: "The new data replaces it on every page and on this device once it has loaded; \
                         until then, and if it cannot be read, this one stays."
                    .into(),
                replace: "Replace".into(),
                keep: format!("Keep {name}"),
            },
        };
        self.replacing.ask(question, source, file);
    }

    /// Forgets the dataset kept on this device (asking first) and goes back to the demo.
    pub fn forget(&self) {
        let name = self.dataset.with_untracked(|d| d.as_ref().map(|d| d.report.source.name.clone()));
        let question = Question {
            title: format!("Forget {}?", name.as_deref().unwrap_or("the loaded data")),
            detail: "It is removed from this device and the demo data is loaded. Your file itself is not \
                     touched: load it again from the Data page."
                .into(),
            replace: "Forget it".into(),
            keep: "Keep it".into(),
        };
        self.replacing.ask(question, demo(), None);
    }

    /// The user agreed to the replacement asked.
    pub fn confirm_replace(&self) {
        if let Some((source, file)) = self.replacing.agreed() {
            self.begin(source, file);
        }
    }

    /// Starts a load the user asked for. A picked file first gets the columns remembered for its
    /// name (after the question, which therefore comes at once): the lookup is a few
    /// milliseconds, at most `columns::LOOKUP_MS`, and a file picked meanwhile wins.
    fn begin(&self, source: Source, file: Option<File>) {
        let Source::File { name, size, columns: None } = source else {
            return self.start(source, file, Origin::User);
        };
        self.picks.update_value(|p| *p += 1);
        let pick = self.picks.get_value();
        let data = *self;
        leptos::task::spawn_local(async move {
            let columns = columns::remembered_for(&name).await;
            if data.picks.try_get_value() == Some(pick) {
                data.start(Source::File { name, size, columns }, file, Origin::User);
            }
        });
    }

    /// Starts loading `source`; any load still running is cancelled first.
    fn start(&self, source: Source, file: Option<File>, origin: Origin) {
        self.picks.update_value(|p| *p += 1);
        self.origin.set_value(origin);
        self.remapping.set_value(false);
        if let Some(r) = self.running.get_untracked() {
            self.req.send(r.job, Request::Cancel, Vec::new());
        }
        let job = self.req.new_job();
        self.failure.set(None);
        self.running.set(Some(Running {
            job,
            label: match origin {
                Origin::Restore => format!("{} (kept on this device)", label(&source)),
                _ => label(&source),
            },
            stage: Stage::Reading,
            bytes: 0,
            total_bytes: match &source {
                Source::File { size, .. } => Some(*size),
                _ => None,
            },
            rows: 0,
        }));
        let data = *self;
        self.req.expect(job, move |p| data.progress(job, p), move |a| data.loaded(a));
        // The demo is made whole: the filter is for files, links and the portal.
        let only = match source {
            Source::Demo { .. } => Default::default(),
            _ => self.only.get_untracked(),
        };
        self.req.send(job, Request::Load { source: source.clone(), only }, file.iter().cloned().collect());
        self.pending.with_value(|p| *p.borrow_mut() = Some((source, file)));
    }

    /// Loads a file the user picked or dropped (asking first if it replaces their data), with
    /// the columns remembered for its name ([`Data::begin`]).
    pub fn load_file(&self, file: File) {
        let source = Source::File { name: file.name(), size: file.size() as u64, columns: None };
        self.replace(source, Some(file));
    }

    /// Loads a file again with the roles the user chose in the column mapper: the file that
    /// failed for want of columns, or the one loaded now. No question first: it is the same
    /// file, and what is loaded stays until the new load is whole.
    pub(super) fn remap(&self, target: Target, mapping: Mapping) {
        let from = match target {
            Target::Failed => self.pending.with_value(|p| p.borrow().clone()),
            Target::Loaded => self.last_good.with_value(|g| g.borrow().clone()),
        };
        let Some((Source::File { name, size, .. }, file)) = from else { return };
        self.start(Source::File { name, size, columns: Some(mapping) }, file, Origin::User);
        self.remapping.set_value(true);
    }

    /// Stops the load running; the dataset loaded before stays.
    pub fn cancel(&self) {
        if let Some(r) = self.running.get_untracked() {
            self.req.send(r.job, Request::Cancel, Vec::new());
            self.running.set(None);
        }
    }

    fn is_current(&self, job: JobId) -> bool {
        self.running.with_untracked(|r| r.as_ref().is_some_and(|r| r.job == job))
    }

    fn progress(&self, job: JobId, progress: Progress) {
        let Progress::Load { stage, bytes, total_bytes, rows } = progress else { return };
        if self.is_current(job) {
            self.running.update(|r| {
                if let Some(r) = r {
                    r.stage = stage;
                    r.bytes = bytes;
                    r.total_bytes = total_bytes.or(r.total_bytes);
                    r.rows = rows;
                }
            });
        }
    }

    fn loaded(&self, a: Answer) {
        if !self.is_current(a.job) {
            return;
        }
        let loaded = match a.result {
            Ok(Reply::Loaded(l)) => *l,
            Ok(_) => return,
            Err(Failure::Cancelled) => return self.running.set(None),
            Err(Failure::Load(f)) => return self.failed(a.job, f),
            Err(other) => {
                return self.failed(
                    a.job,
                    LoadFailure {
                        kind: "failed".into(),
                        message: other.to_string(),
                        report: None,
                        preview: None,
                    },
                )
            }
        };
        self.running.set(None);
        let crate::protocol::Loaded { report, summary, inflated_beside, preview } = loaded;
        let done = self.pending.with_value(|p| p.borrow_mut().take());
        if let Some((source, file)) = done.clone().filter(|_| !self.reloading.get_untracked()) {
            let origin = self.origin.get_value();
            let only = if matches!(source, Source::Demo { .. }) {
                Default::default()
            } else {
                self.only.get_untracked()
            };
            self.kept.after_load(origin, &source, file, &report, only);
            if origin == Origin::User {
                // The address no longer names a link's data: a reload restores this dataset.
                location::set_data(None);
                columns::remember(&source, preview.as_deref());
            }
            self.source.set(Some(source));
        }
        // The page's maps measure in the worker's frame (this city's centre).
        patroliq_core::features::set_frame(summary.centre.0, summary.centre.1);
        self.dataset.set(Some(Dataset { report, summary, inflated_beside, preview }));
        self.last_good.with_value(|g| *g.borrow_mut() = done);
        self.export.set(Export::Idle);
        // A reload of the same data (after a cancel or a crash) keeps the results.
        if !self.reloading.get_untracked() {
            // Results and errors of the last dataset say nothing of this one (a stale error also
            // stopped a page's automatic run).
            self.req.new_dataset();
            self.data_epoch.update(|e| *e += 1);
        }
        self.reloading.set(false);
        // The previous analysis describes another dataset: nothing is shown until the new one.
        self.analysis.set(None);
        self.analyse();
    }

    /// A load failed: the dataset loaded before stays. A file whose columns could not all be found
    /// is first loaded again with a mapping remembered for its header, if there is one
    /// (`columns::after_wrong_schema`); the progress bar stays while that is looked up.
    fn failed(&self, job: JobId, mut f: LoadFailure) {
        self.reloading.set(false);
        let pending = self.pending.with_value(|p| p.borrow().clone());
        if let (Some(preview), Some((Source::File { name, size, columns: tried }, file))) =
            (f.preview.take(), pending)
        {
            let data = *self;
            let retry = !self.remapping.get_value();
            leptos::task::spawn_local(async move {
                let next = columns::after_wrong_schema(preview, tried, retry).await;
                // Cancelled, or another load started, meanwhile.
                if !data.is_current(job) {
                    return;
                }
                match next {
                    Next::Retry(m) => {
                        let source = Source::File { name, size, columns: Some(m) };
                        data.start(source, file, data.origin.get_value());
                    }
                    Next::Ask(preview) => data.show_failure(LoadFailure { preview: Some(preview), ..f }),
                }
            });
            return;
        }
        self.show_failure(f);
    }

    /// Says why a load failed. What was kept on this device and no longer loads is forgotten, and
    /// the demo takes its place.
    fn show_failure(&self, mut f: LoadFailure) {
        self.running.set(None);
        if self.remapping.get_value() {
            // The banner adds that the dataset loaded before is still loaded.
            let choose = if f.preview.is_some() {
                "below"
            } else {
                "with Change columns… under \"Read as\" in the report"
            };
            f.message = format!(
                "The columns you chose could not be used: {} Choose other columns {choose}, or dismiss \
                 this message to keep the data as it was read.",
                f.message
            );
        }
        if self.origin.get_value() == Origin::Restore {
            self.kept.unusable(format!(
                "The data kept on this device could not be loaded again ({}); it has been forgotten and \
                 the demo data is loaded instead",
                f.message
            ));
            self.start(demo(), None, Origin::Opening);
        }
        self.failure.set(Some(f));
    }

    /// Asks the worker for the EDA of the current filter.
    pub fn analyse(&self) {
        let job = self.req.new_job();
        self.analysing.set(Some(job));
        let filter = self.filter.get_untracked();
        let data = *self;
        self.req.expect(
            job,
            |_| {},
            move |a| {
                if Some(a.job) != data.analysing.get_untracked() {
                    return;
                }
                data.analysing.set(None);
                if let Ok(Some(r)) = a.result.map(crate::protocol::Analysed::from_reply) {
                    data.analysis.set(Some(Analysis {
                        filter: r.filter,
                        eda: r.eda,
                        compute_ms: a.compute_ms,
                    }));
                }
            },
        );
        self.req.send(job, Request::Analyse { filter }, Vec::new());
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

    /// Exports the features of the filtered rows; the browser saves the file.
    pub fn export_features(&self) {
        let job = self.req.new_job();
        self.export.set(Export::Running { job });
        let export = self.export;
        self.req.expect(
            job,
            |_| {},
            move |a| {
                if export.get_untracked() != (Export::Running { job }) {
                    return;
                }
                let saved = a.result.map_err(|f| f.to_string()).and_then(|r| {
                    let e = crate::protocol::Exported::from_reply(r)
                        .ok_or_else(|| "the data engine answered another request".to_string())?;
                    let p = a.payload.ok_or_else(|| "the file did not arrive".to_string())?;
                    save_bytes(&e.file_name, "application/vnd.apache.parquet", &p)
                        .map_err(|err| format!("the browser refused the download: {err:?}"))?;
                    Ok(e)
                });
                export.set(match saved {
                    Ok(e) => Export::Done {
                        file_name: e.file_name,
                        rows: e.rows,
                        bytes: e.bytes,
                        compute_ms: a.compute_ms,
                        features_ms: e.features_ms,
                    },
                    Err(m) => Export::Failed(m),
                });
            },
        );
        let filter = self.filter.get_untracked();
        self.req.send(job, Request::ExportFeatures { filter }, Vec::new());
    }

    /// Stops a page's long analysis at once. A fit cannot be interrupted from outside the
    /// worker's thread, so the worker is replaced and the dataset reloaded (about two seconds for
    /// 500k rows).
    pub fn cancel_task(&self) {
        self.restart_and_reload("cancelled");
    }

    /// Replaces the worker and reloads the last dataset that loaded fine.
    pub(super) fn restart_and_reload(&self, why: &str) {
        self.req.restart(why);
        if let Some((source, file)) = self.last_good.with_value(|g| g.borrow().clone()) {
            self.reloading.set(true);
            self.start(source, file, self.origin.get_value());
        }
    }

    /// The worker died (a bug, or the tab ran out of memory): restart it and reload the last
    /// dataset that loaded fine, so the user keeps working.
    fn recover(&self, message: String) {
        let was = self.running.get_untracked().map(|r| r.label);
        self.running.set(None);
        let failure = LoadFailure {
            kind: "crashed".into(),
            message: format!(
                "The data engine stopped{} ({message}). It has been restarted and your last \
                 dataset is being reloaded.",
                was.map(|l| format!(" while loading {l}")).unwrap_or_default()
            ),
            report: None,
            preview: None,
        };
        self.restart_and_reload("the data engine stopped during the run");
        // Set after the reload starts (a load clears the message): the user needs to see why.
        self.failure.set(Some(failure));
    }
}
