//! The experiment log: every tracked run, kept in IndexedDB (`crate::store`), and the run being
//! re-opened.

use leptos::prelude::*;
use patroliq_core::filter::Filter;
use patroliq_core::track::{DatasetPrint, Outcome, Run, RunParams};

use super::data::Dataset;

#[derive(Clone, Copy)]
pub struct RunLog {
    /// The experiment log, oldest first.
    pub runs: RwSignal<Vec<Run>>,
    /// What went wrong with the log (a write refused, a quota), for the Experiments page.
    pub runs_note: RwSignal<Option<String>>,
    /// A run being re-opened: its page fills its form from it.
    pub reopened: RwSignal<Option<Run>>,
    /// The dataset a run is logged as made on.
    dataset: RwSignal<Option<Dataset>>,
}

impl RunLog {
    /// The log, read from IndexedDB behind.
    pub(super) fn new(dataset: RwSignal<Option<Dataset>>) -> RunLog {
        let log = RunLog {
            runs: RwSignal::new(Vec::new()),
            runs_note: RwSignal::new(None),
            reopened: RwSignal::new(None),
            dataset,
        };
        log.load();
        log
    }

    /// What logs a run of `params` when its result `T` is taken: `record` says its outcome.
    pub(super) fn track<T>(
        &self,
        params: RunParams,
        record: fn(&T) -> Outcome,
    ) -> impl FnOnce(&T, &Filter, f64) {
        let log = *self;
        move |value, filter, compute_ms| log.log(params, filter.clone(), record(value), compute_ms)
    }

    /// Logs a finished run: into the list at once, into IndexedDB behind it; a refused write is
    /// said on the Experiments page, the run stays in the list.
    pub(super) fn log(&self, params: RunParams, filter: Filter, outcome: Outcome, compute_ms: f64) {
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
    fn load(&self) {
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
}
