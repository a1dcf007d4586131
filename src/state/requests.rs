//! The one way the page's state talks to the worker: a request goes out with its job, and the
//! job's waiter in the table ([`super::jobs`]) takes its progress and its answer.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use leptos::prelude::*;
use patroliq_core::filter::Filter;
use wasm_bindgen::JsValue;
use web_sys::File;

use super::jobs::{Answer, Jobs, Waiter};
use super::slot::Slot;
use crate::bridge::Bridge;
use crate::protocol::{Failure, FromReply, FromWorker, JobId, Progress, Request, ToWorker};

/// The worker, its jobs awaited, and what each area of the state does when the dataset or the
/// worker is replaced. `Copy`, like the signals beside it in every area.
#[derive(Clone, Copy)]
pub struct Requests {
    inner: StoredValue<Rc<Inner>, LocalStorage>,
    /// The rows every page looks at: a request of the filtered rows is of these.
    filter: RwSignal<Filter>,
}

/// What an area does when a new dataset loads.
type Clear = Box<dyn Fn()>;
/// What an area does when the worker is replaced, told why.
type Stop = Box<dyn Fn(&str)>;
/// What recovers from a crash, told the worker's message.
type Recover = Box<dyn Fn(String)>;

struct Inner {
    bridge: Rc<Bridge>,
    jobs: Jobs,
    new_dataset: RefCell<Vec<Clear>>,
    worker_lost: RefCell<Vec<Stop>>,
    crashed: RefCell<Option<Recover>>,
}

impl Inner {
    fn receive(&self, msg: FromWorker, payload: Option<JsValue>) {
        match msg {
            FromWorker::Ready => {}
            FromWorker::Progress { job, progress } => self.jobs.progress(job, progress),
            FromWorker::Answer { job, compute_ms, mut result } => {
                let payload = match &mut result {
                    Ok(reply) if reply.has_bulk() => {
                        if let Err(e) = reply.put_bulk(&floats(payload)) {
                            result = Err(Failure::Io(e));
                        }
                        None
                    }
                    _ => payload,
                };
                self.jobs.answer(Answer { job, compute_ms, result, payload })
            }
            FromWorker::Crashed { message } => {
                if let Some(crashed) = self.crashed.borrow().as_ref() {
                    crashed(message);
                }
            }
        }
    }
}

/// The 32-bit floats of bytes sent beside a message (none when nothing came).
fn floats(payload: Option<JsValue>) -> Vec<f32> {
    payload
        .map(|p| {
            let bytes = js_sys::Uint8Array::new(&p);
            js_sys::Float32Array::new_with_byte_offset_and_length(
                &bytes.buffer(),
                bytes.byte_offset(),
                bytes.byte_length() / 4,
            )
            .to_vec()
        })
        .unwrap_or_default()
}

impl Requests {
    /// Starts the worker.
    pub(super) fn new(filter: RwSignal<Filter>) -> Requests {
        let inner = Rc::new_cyclic(|me: &Weak<Inner>| {
            let me = me.clone();
            Inner {
                bridge: Bridge::new(move |msg, payload| {
                    if let Some(inner) = me.upgrade() {
                        inner.receive(msg, payload);
                    }
                }),
                jobs: Jobs::default(),
                new_dataset: RefCell::new(Vec::new()),
                worker_lost: RefCell::new(Vec::new()),
                crashed: RefCell::new(None),
            }
        });
        Requests { inner: StoredValue::new_local(inner), filter }
    }

    pub fn filter(&self) -> RwSignal<Filter> {
        self.filter
    }

    // Taken out of the arena before use: a waiter or a reset may send the next request meanwhile.
    fn inner(&self) -> Rc<Inner> {
        self.inner.get_value()
    }

    pub(super) fn new_job(&self) -> JobId {
        self.inner().bridge.new_job()
    }

    /// Sends `request` as `job`, with `files` beside it.
    pub(super) fn send(&self, job: JobId, request: Request, files: Vec<File>) {
        self.inner().bridge.send_files(&ToWorker { job, request }, files);
    }

    /// Routes `job`'s progress and answer to `progress` and `answer`.
    pub(super) fn expect(
        &self,
        job: JobId,
        progress: impl Fn(Progress) + 'static,
        answer: impl FnOnce(Answer) + 'static,
    ) {
        let waiter = Waiter { progress: Rc::new(progress), answer: Box::new(answer) };
        self.inner().jobs.expect(job, waiter);
    }

    /// A slot for a page's long analysis, emptied by a new dataset and stopped when the worker is
    /// replaced.
    pub(super) fn slot<T: Send + Sync + 'static>(&self) -> Slot<T> {
        let slot = Slot::new();
        self.on_new_dataset(move || slot.clear());
        self.on_worker_lost(move |why| slot.stop(why));
        slot
    }

    /// Starts a page's long analysis of the filtered rows in `slot`. Its reply, once it answers the
    /// slot's run still, is handed to `taken` (to log the run) and kept in the slot.
    pub(super) fn run<T: FromReply + Send + Sync + 'static>(
        &self,
        slot: Slot<T>,
        request: impl FnOnce(Filter) -> Request,
        taken: impl FnOnce(&T, &Filter, f64) + 'static,
    ) {
        let job = self.new_job();
        let filter = self.filter.get_untracked();
        slot.start(job, filter.clone());
        let asked = filter.clone();
        self.expect(
            job,
            move |p| {
                if let Progress::Share(done) = p {
                    slot.progress(job, done)
                }
            },
            move |a| match a.result.map(T::from_reply) {
                Ok(Some(value)) => {
                    if slot.is(job) {
                        taken(&value, &asked, a.compute_ms);
                    }
                    slot.finish(job, value, a.compute_ms);
                }
                Ok(None) => slot.fail(job, "the data engine answered another request".into()),
                Err(f) => slot.fail(job, f.to_string()),
            },
        );
        self.send(job, request(filter), Vec::new());
    }

    /// `clear` runs when a new dataset is loaded (not when the same one is reloaded).
    pub(super) fn on_new_dataset(&self, clear: impl Fn() + 'static) {
        self.inner().new_dataset.borrow_mut().push(Box::new(clear));
    }

    /// `stop` runs when the worker is replaced, with why: what it held and ran is lost.
    pub(super) fn on_worker_lost(&self, stop: impl Fn(&str) + 'static) {
        self.inner().worker_lost.borrow_mut().push(Box::new(stop));
    }

    /// `recover` runs when the worker crashes.
    pub(super) fn on_crash(&self, recover: impl Fn(String) + 'static) {
        *self.inner().crashed.borrow_mut() = Some(Box::new(recover));
    }

    pub(super) fn new_dataset(&self) {
        self.inner().new_dataset.borrow().iter().for_each(|clear| clear());
    }

    /// Tells every area the worker is being replaced, then replaces it.
    pub(super) fn restart(&self, why: &str) {
        let inner = self.inner();
        inner.worker_lost.borrow().iter().for_each(|stop| stop(why));
        inner.jobs.forget_all();
        inner.bridge.restart();
    }
}
