//! The jobs awaited from the worker, each with what takes its progress and its answer.
//!
//! Whoever sends a request says at once where its messages go; a message is then routed by its
//! job alone. A job not in the table (of a worker since replaced) is dropped.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use wasm_bindgen::JsValue;

use crate::protocol::{Failure, JobId, Progress, Reply};

/// A job's one answer, as the page receives it.
pub struct Answer {
    pub job: JobId,
    pub compute_ms: f64,
    pub result: Result<Reply, Failure>,
    /// The bytes sent beside (an export's file).
    pub payload: Option<JsValue>,
}

/// Where one job's messages go.
pub(super) struct Waiter {
    pub progress: Rc<dyn Fn(Progress)>,
    pub answer: Box<dyn FnOnce(Answer)>,
}

#[derive(Default)]
pub(super) struct Jobs {
    waiting: RefCell<HashMap<JobId, Waiter>>,
}

impl Jobs {
    pub fn expect(&self, job: JobId, waiter: Waiter) {
        self.waiting.borrow_mut().insert(job, waiter);
    }

    // The table is not borrowed while a waiter runs: taking an answer may send the next request.
    pub fn progress(&self, job: JobId, progress: Progress) {
        let to = self.waiting.borrow().get(&job).map(|w| w.progress.clone());
        if let Some(to) = to {
            to(progress);
        }
    }

    pub fn answer(&self, answer: Answer) {
        let waiter = self.waiting.borrow_mut().remove(&answer.job);
        if let Some(w) = waiter {
            (w.answer)(answer);
        }
    }

    /// The worker was replaced: its jobs will never answer.
    pub fn forget_all(&self) {
        self.waiting.borrow_mut().clear();
    }
}
