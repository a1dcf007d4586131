//! How a job answers: timed from its arrival, with progress on the way and exactly one answer.
//!
//! Every analysis is the same few steps — take the loaded table (or fail with `NoDataset`), get
//! the result from the memo or compute it while posting progress, post the reply or the failure
//! with the time taken. [`answer`] does them; a handler only says what to compute.

use std::rc::Rc;

use js_sys::{Array, Float32Array, Uint8Array};
use patroliq_core::CrimeTable;
use wasm_bindgen::JsValue;

use super::state::{Memos, Worker};
use crate::js::scope;
use crate::memo::Memo;
use crate::protocol::{Failure, FromWorker, JobId, Progress, Reply};

/// One request being served: its id and when it arrived (answers carry the time since).
#[derive(Clone, Copy)]
pub(super) struct Job {
    pub id: JobId,
    started: f64,
}

/// Posts `msg` to the page.
pub(super) fn post(msg: &FromWorker) {
    // Posting only fails if the page is gone; nothing is left to tell then.
    let _ = scope().post_message(&JsValue::from_str(&msg.encode()));
}

impl Job {
    pub fn start(id: JobId) -> Job {
        Job { id, started: js_sys::Date::now() }
    }

    /// Milliseconds since the request arrived.
    pub fn elapsed_ms(&self) -> f64 {
        js_sys::Date::now() - self.started
    }

    /// Says the job is `done` (0–1) of the way.
    pub fn share(&self, done: f64) {
        post(&FromWorker::Progress { job: self.id, progress: Progress::Share(done) });
    }

    /// The core's progress callback for this job: posts at most every 2 %. The fit runs to its
    /// end once started: the page cancels a run by restarting the worker.
    pub fn progress(&self) -> impl FnMut(f64) -> bool {
        let job = *self;
        let mut last = -1.0;
        move |done: f64| {
            if done - last >= 0.02 || done >= 1.0 {
                last = done;
                job.share(done);
            }
            true
        }
    }

    /// Posts the job's one answer, its bulk numbers (if any) as bytes beside it.
    pub fn reply(&self, result: Result<Reply, Failure>) {
        match result {
            Ok(mut reply) => match reply.take_bulk() {
                Some(bulk) => {
                    let floats = Float32Array::from(&bulk[..]);
                    drop(bulk);
                    self.reply_with_bytes(reply, Uint8Array::new(&floats.buffer()))
                }
                None => post(&self.answer(Ok(reply))),
            },
            Err(f) => post(&self.answer(Err(f))),
        }
    }

    /// Posts the job's answer with `bytes` beside it, transferred, not copied: the worker gives
    /// the buffer up.
    pub fn reply_with_bytes(&self, reply: Reply, bytes: Uint8Array) {
        let parts = Array::of2(&JsValue::from_str(&self.answer(Ok(reply)).encode()), &bytes);
        let _ = scope().post_message_with_transfer(&parts, &Array::of1(&bytes.buffer()));
    }

    fn answer(&self, result: Result<Reply, Failure>) -> FromWorker {
        FromWorker::Answer { job: self.id, compute_ms: self.elapsed_ms(), result }
    }
}

/// What an analysis computes with: the worker and its loaded table.
pub(super) struct Cx<'a> {
    pub w: &'a Worker,
    pub t: &'a CrimeTable,
}

impl Cx<'_> {
    /// The result kept in the memo `pick` for `key` (`crate::memo::key` of the request's filter
    /// and parameters), or `compute`'s, kept when it succeeds.
    pub fn memo<V>(
        &self,
        pick: fn(&mut Memos) -> &mut Memo<V>,
        key: String,
        compute: impl FnOnce() -> Result<V, Failure>,
    ) -> Result<Rc<V>, Failure> {
        pick(&mut self.w.memo.borrow_mut()).get_or_try(key, compute)
    }
}

/// Answers `job` with what `compute` makes of the loaded table, or `NoDataset`.
pub(super) fn answer(w: &Worker, job: Job, compute: impl FnOnce(&Cx) -> Result<Reply, Failure>) {
    let result = w.table().and_then(|t| compute(&Cx { w, t: &t }));
    job.reply(result);
}
