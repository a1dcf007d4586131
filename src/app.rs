//! The application shell: state in signals, the worker bridge, and the page layout.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use patroliq_core::summary::DatasetSummary;
use patroliq_core::{demo, CleaningReport};
use web_sys::File;

use crate::bridge::Bridge;
use crate::protocol::{FromWorker, JobId, Source, Stage, ToWorker};
use crate::ui::overview::Overview;
use crate::ui::progress::LoadProgress;
use crate::ui::report::ReportView;
use crate::ui::source_panel::SourcePanel;

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
}

#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub kind: String,
    pub message: String,
    pub report: Option<CleaningReport>,
}

/// The app's state, shared with every component through context.
#[derive(Clone, Copy)]
pub struct AppState {
    pub running: RwSignal<Option<Running>>,
    pub dataset: RwSignal<Option<Dataset>>,
    pub failure: RwSignal<Option<Failure>>,
    bridge: StoredValue<Rc<Bridge>, LocalStorage>,
    /// The source of the dataset now loaded, with its `File`, to reload after a worker crash.
    last_good: StoredValue<Rc<RefCell<Option<(Source, Option<File>)>>>, LocalStorage>,
    pending: StoredValue<Rc<RefCell<Option<(Source, Option<File>)>>>, LocalStorage>,
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

    pub fn cancel(&self) {
        if let Some(r) = self.running.get_untracked() {
            self.bridge.with_value(|b| b.send(&ToWorker::Cancel { job: r.job }, None));
            self.running.set(None);
        }
    }

    fn on_message(&self, msg: FromWorker) {
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
            FromWorker::Loaded { job, report, summary } if Some(job) == current => {
                self.running.set(None);
                self.dataset.set(Some(Dataset { report: *report, summary: *summary }));
                let done = self.pending.with_value(|p| p.borrow_mut().take());
                self.last_good.with_value(|g| *g.borrow_mut() = done);
            }
            FromWorker::Failed { job, kind, message, report } if Some(job) == current => {
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
    fn recover(&self, message: String) {
        let was = self.running.get_untracked().map(|r| r.label);
        self.running.set(None);
        self.failure.set(Some(Failure {
            kind: "crashed".into(),
            message: format!(
                "The data engine stopped{} ({message}). It has been restarted and your last \
                 dataset is being reloaded.",
                was.map(|l| format!(" while loading {l}")).unwrap_or_default()
            ),
            report: None,
        }));
        self.bridge.with_value(|b| b.restart());
        let good = self.last_good.with_value(|g| g.borrow().clone());
        let failure = self.failure.get_untracked();
        if let Some((source, file)) = good {
            self.load(source, file);
            // `load` clears the message; the user still needs to see why the reload happened.
            self.failure.set(failure);
        }
    }
}

/// The source to open with: `?data=<url>` if given, else the built-in demo.
fn initial_source() -> Source {
    let search = window().location().search().unwrap_or_default();
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()
        .and_then(|p| p.get("data"))
        .filter(|u| !u.trim().is_empty())
        .map(|url| Source::Url { url })
        .unwrap_or(Source::Demo { rows: demo::DEFAULT_ROWS, seed: demo::DEFAULT_SEED })
}

#[component]
pub fn App() -> impl IntoView {
    let running = RwSignal::new(None);
    let dataset = RwSignal::new(None);
    let failure = RwSignal::new(None);
    let slot: Rc<RefCell<Option<AppState>>> = Rc::new(RefCell::new(None));
    let handler_slot = slot.clone();
    let bridge = Bridge::new(move |msg| {
        if let Some(state) = *handler_slot.borrow() {
            state.on_message(msg);
        }
    });
    let state = AppState {
        running,
        dataset,
        failure,
        bridge: StoredValue::new_local(bridge),
        last_good: StoredValue::new_local(Rc::new(RefCell::new(None))),
        pending: StoredValue::new_local(Rc::new(RefCell::new(None))),
    };
    *slot.borrow_mut() = Some(state);
    provide_context(state);
    state.load(initial_source(), None);

    view! {
        <header class="topbar">
            <div class="brand">
                <span class="logo" aria-hidden="true">"◆"</span>
                <span class="name">"PatrolIQ"</span>
                <span class="tagline">"Crime analytics in your browser — your data never leaves this device"</span>
            </div>
        </header>
        <main class="page">
            <SourcePanel/>
            <LoadProgress/>
            <FailureBanner/>
            <Overview/>
            <ReportView/>
        </main>
        <footer class="footer">
            "PatrolIQ runs entirely in this browser tab (Rust + WebAssembly). The demo data is synthetic."
        </footer>
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
