//! A page's long analysis in signals: the run in the worker, the last result, the last error.

use leptos::prelude::*;
use patroliq_core::filter::Filter;

use crate::protocol::JobId;

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
    pub(super) fn new() -> Self {
        Slot { running: RwSignal::new(None), result: RwSignal::new(None), error: RwSignal::new(None) }
    }

    pub fn busy(&self) -> bool {
        self.running.with(Option::is_some)
    }

    pub(super) fn is(&self, job: JobId) -> bool {
        self.running.with_untracked(|r| r.as_ref().is_some_and(|r| r.0 == job))
    }

    pub(super) fn start(&self, job: JobId, filter: Filter) {
        self.error.set(None);
        self.running.set(Some((job, 0.0, filter)));
    }

    pub(super) fn progress(&self, job: JobId, done: f64) {
        self.running.update(|r| {
            if let Some(r) = r.as_mut().filter(|r| r.0 == job) {
                r.1 = done;
            }
        });
    }

    /// Takes the result if it answers the run awaited; false otherwise (a late answer).
    pub(super) fn finish(&self, job: JobId, value: T, compute_ms: f64) -> bool {
        let Some((_, _, filter)) = self.running.get_untracked().filter(|r| r.0 == job) else {
            return false;
        };
        self.running.set(None);
        self.result.set(Some(Done { job, value, filter, compute_ms }));
        true
    }

    pub(super) fn fail(&self, job: JobId, message: String) {
        if self.is(job) {
            self.running.set(None);
            self.error.set(Some(message));
        }
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
    pub(super) fn clear(&self) {
        self.result.set(None);
        self.error.set(None);
    }

    /// The worker was replaced: the run is lost.
    pub(super) fn stop(&self, why: &str) {
        if self.running.get_untracked().is_some() {
            self.running.set(None);
            self.error.set(Some(why.to_string()));
        }
    }
}
