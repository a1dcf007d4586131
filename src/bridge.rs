//! The UI thread's handle on the data worker.
//!
//! Messages sent before the worker has loaded its WASM are queued (a worker that has not yet set
//! its handler would drop them). A crash or a failed start restarts the worker.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, File, MessageEvent, Worker};

use crate::protocol::{FromWorker, JobId, ToWorker};

/// Where trunk puts the worker's loader (the worker binary is named `worker`).
const WORKER_URL: &str = "./worker_loader.js";

/// Receives each message, with the bytes sent beside it (an export's file), if any.
type Handler = Rc<dyn Fn(FromWorker, Option<JsValue>)>;

pub struct Bridge {
    worker: RefCell<Option<Worker>>,
    ready: Cell<bool>,
    /// A panic posts `Crashed` and then also fires `onerror`: only the first is passed on.
    crashed: Cell<bool>,
    queue: RefCell<Vec<(String, Vec<File>)>>,
    handler: Handler,
    next_job: Cell<JobId>,
    // Keeps the JS callbacks alive as long as the worker they are attached to.
    callbacks: RefCell<Vec<Closure<dyn FnMut(JsValue)>>>,
}

impl Bridge {
    pub fn new(handler: impl Fn(FromWorker, Option<JsValue>) + 'static) -> Rc<Bridge> {
        let b = Rc::new(Bridge {
            worker: RefCell::new(None),
            ready: Cell::new(false),
            crashed: Cell::new(false),
            queue: RefCell::new(Vec::new()),
            handler: Rc::new(handler),
            next_job: Cell::new(1),
            callbacks: RefCell::new(Vec::new()),
        });
        b.spawn();
        b
    }

    fn spawn(self: &Rc<Self>) {
        self.ready.set(false);
        self.crashed.set(false);
        let worker = match Worker::new(WORKER_URL) {
            Ok(w) => w,
            Err(e) => {
                self.crash(format!("the data engine could not start: {e:?}"));
                return;
            }
        };
        let me = Rc::downgrade(self);
        let on_message = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let Some(me) = me.upgrade() else { return };
            let e: MessageEvent = e.unchecked_into();
            // Plain text, or [text, payload] when bytes come with the message.
            let data = e.data();
            let (text, payload) = match data.as_string() {
                Some(t) => (Some(t), None),
                None => {
                    let parts = Array::from(&data);
                    (parts.get(0).as_string(), Some(parts.get(1)).filter(|p| !p.is_undefined()))
                }
            };
            let Some(text) = text else { return };
            let Ok(msg) = serde_json::from_str::<FromWorker>(&text) else {
                return;
            };
            if let FromWorker::Crashed { message } = &msg {
                return me.crash(message.clone());
            }
            if msg == FromWorker::Ready {
                me.ready.set(true);
                let queued = std::mem::take(&mut *me.queue.borrow_mut());
                for (text, files) in queued {
                    me.post(&text, &files);
                }
            }
            (me.handler)(msg, payload);
        });
        let me = Rc::downgrade(self);
        let on_error = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let Some(me) = me.upgrade() else { return };
            let message = e
                .dyn_ref::<ErrorEvent>()
                .map(|e| e.message())
                .unwrap_or_else(|| "the data engine stopped".into());
            me.crash(message);
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        *self.callbacks.borrow_mut() = vec![on_message, on_error];
        *self.worker.borrow_mut() = Some(worker);
    }

    fn crash(&self, message: String) {
        if !self.crashed.replace(true) {
            (self.handler)(FromWorker::Crashed { message }, None);
        }
    }

    /// Stops the worker (its dataset is lost) and starts a fresh one.
    pub fn restart(self: &Rc<Self>) {
        if let Some(w) = self.worker.borrow_mut().take() {
            w.terminate();
        }
        self.queue.borrow_mut().clear();
        self.spawn();
    }

    pub fn new_job(&self) -> JobId {
        let j = self.next_job.get();
        self.next_job.set(j + 1);
        j
    }

    pub fn send(&self, msg: &ToWorker, file: Option<&File>) {
        self.send_files(msg, file.into_iter().cloned().collect());
    }

    /// Sends `msg` with `files` beside it (the worker reads them; nothing is copied here).
    pub fn send_files(&self, msg: &ToWorker, files: Vec<File>) {
        let text = msg.encode();
        if self.ready.get() {
            self.post(&text, &files);
        } else {
            self.queue.borrow_mut().push((text, files));
        }
    }

    fn post(&self, text: &str, files: &[File]) {
        if let Some(w) = self.worker.borrow().as_ref() {
            let parts = Array::new();
            parts.push(&JsValue::from_str(text));
            for f in files {
                parts.push(f);
            }
            if let Err(e) = w.post_message(&parts) {
                self.crash(format!("could not reach the data engine: {e:?}"));
            }
        }
    }
}
