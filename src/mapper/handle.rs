//! The data worker's handle on the map workers: starting them, sending them maps and
//! inflations, and routing their answers.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use futures::channel::{mpsc, oneshot};
use futures::future::{ready, LocalBoxFuture};
use js_sys::{Array, Float32Array, Uint8Array};
use patroliq_core::error::AnalysisError;
use patroliq_core::reduce::embed::{EmbedValid, Mapped};
use patroliq_core::reduce::knn::Matrix;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions};

use super::messages::{FromMapper, Piece, ToMapper};
use crate::js::now;

/// The map worker's `name`.
pub(super) const NAME: &str = "patroliq-maps";

/// The same loader as the data worker's, relative to the data worker's own script.
const URL: &str = "./worker_loader.js";

/// A map's answer and how long the map worker took.
pub struct MapReply {
    pub result: Result<Mapped, String>,
    pub ms: f64,
}

/// A map in flight: where its progress and answer go.
struct Pending {
    progress: Box<dyn FnMut(f64)>,
    done: oneshot::Sender<MapReply>,
}

/// The data worker's handle on the map workers.
#[derive(Default)]
pub struct Mapper {
    /// The first map worker: maps and inflation.
    pub(super) inner: Rc<Inner>,
    /// The second, for maps only: started when a map comes while the first is busy.
    spare: Rc<Inner>,
}

#[derive(Default)]
pub(super) struct Inner {
    worker: RefCell<Option<Worker>>,
    /// Set once the map worker could not be started: maps then run in the data worker.
    unavailable: Cell<bool>,
    ready: Cell<bool>,
    /// Requests posted before the map worker had set its handler (it would drop them), each
    /// with the buffer it transfers.
    queue: RefCell<Vec<(Array, Option<JsValue>)>>,
    pending: RefCell<HashMap<u64, Pending>>,
    /// Where the pieces of each inflation in flight go (`inflate`).
    pub(super) inflating:
        RefCell<HashMap<u64, mpsc::UnboundedSender<Result<Piece, patroliq_core::LoadError>>>>,
    /// Told when the map worker is ready (or failed).
    waiting: RefCell<Vec<oneshot::Sender<()>>>,
    pub(super) next: Cell<u64>,
    callbacks: RefCell<Vec<Closure<dyn FnMut(JsValue)>>>,
}

impl Mapper {
    /// Starts the map worker now, so that it is ready by the first load or map.
    pub fn start(&self) {
        self.inner.started();
    }

    /// Starts the first map worker if need be; resolves once it can take a map at once (or
    /// cannot run).
    pub fn warm(&self) -> LocalBoxFuture<'static, ()> {
        self.inner.warm()
    }

    /// Starts both map workers if need be; resolves once both can take a map at once. The
    /// benchmark waits for this before its two maps: a map worker still starting would have its
    /// Ready message wait behind the data worker's own synchronous stages, and its map would run
    /// after them.
    pub fn warm_both(&self) -> LocalBoxFuture<'static, ()> {
        let (first, second) = (self.inner.warm(), self.spare.warm());
        Box::pin(async move {
            first.await;
            second.await;
        })
    }

    /// The map worker for the next map: the first, unless it is busier than the second and a
    /// second can run (starting it then).
    fn pick(&self) -> &Rc<Inner> {
        let busy = |i: &Inner| i.pending.borrow().len() + i.inflating.borrow().len();
        if busy(&self.inner) > 0 && busy(&self.spare) < busy(&self.inner) && self.spare.started() {
            &self.spare
        } else {
            &self.inner
        }
    }

    /// Sends `x` to a map worker at once (the less busy), to be mapped with `valid` (or maps it
    /// here, now, if no map worker can run); the answer comes from the returned future. Progress
    /// 0–1 is reported as the map goes.
    pub fn map(
        &self,
        valid: &EmbedValid,
        x: &Matrix,
        mut progress: impl FnMut(f64) + 'static,
    ) -> LocalBoxFuture<'static, MapReply> {
        if !self.inner.started() {
            let started = now();
            let mut report = |d: f64| {
                progress(d);
                true
            };
            let result = valid.fit_matrix(x, &mut report).map_err(|e: AnalysisError| e.to_string());
            return Box::pin(ready(MapReply { result, ms: now() - started }));
        }
        let inner = self.pick();
        let id = inner.next.get();
        inner.next.set(id + 1);
        let (done, answer) = oneshot::channel();
        inner.pending.borrow_mut().insert(id, Pending { progress: Box::new(progress), done });
        let msg = ToMapper::Map { id, params: valid.params().clone(), dim: x.dim };
        let data = Float32Array::from(x.data.as_slice());
        let buffer = data.buffer().into();
        inner.post(&msg, Some(&data), Some(buffer));
        Box::pin(async move {
            answer.await.unwrap_or(MapReply { result: Err("the map worker stopped".into()), ms: 0.0 })
        })
    }
}

impl Inner {
    /// Started, ready, and with no map or inflation in flight.
    pub(super) fn idle(&self) -> bool {
        self.worker.borrow().is_some()
            && self.ready.get()
            && self.pending.borrow().is_empty()
            && self.inflating.borrow().is_empty()
    }

    /// Starts this map worker if need be; resolves once it can take a map at once (or cannot run).
    fn warm(self: &Rc<Self>) -> LocalBoxFuture<'static, ()> {
        if !self.started() || self.ready.get() {
            return Box::pin(ready(()));
        }
        let (tell, told) = oneshot::channel();
        self.waiting.borrow_mut().push(tell);
        Box::pin(async move {
            let _ = told.await;
        })
    }

    /// Whether the map worker runs (starting it if need be).
    fn started(self: &Rc<Self>) -> bool {
        if self.worker.borrow().is_none() && !self.unavailable.get() {
            self.spawn();
        }
        self.worker.borrow().is_some()
    }

    fn spawn(self: &Rc<Self>) {
        let options = WorkerOptions::new();
        options.set_name(NAME);
        let worker = match Worker::new_with_options(URL, &options) {
            Ok(w) => w,
            Err(e) => {
                web_sys::console::warn_2(
                    &"the map worker could not start; maps run in the data worker:".into(),
                    &e,
                );
                self.unavailable.set(true);
                return;
            }
        };
        let me = Rc::downgrade(self);
        let on_message = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let Some(me) = me.upgrade() else { return };
            let data = e.unchecked_into::<MessageEvent>().data();
            let (text, beside) = match data.as_string() {
                Some(t) => (Some(t), None),
                None => {
                    let parts = Array::from(&data);
                    (parts.get(0).as_string(), Some(parts.get(1)))
                }
            };
            let Some(Ok(msg)) = text.map(|t| serde_json::from_str::<FromMapper>(&t)) else {
                return;
            };
            me.receive(msg, beside);
        });
        let me = Rc::downgrade(self);
        let on_error = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let Some(me) = me.upgrade() else { return };
            let message = e.dyn_ref::<ErrorEvent>().map_or_else(|| "it stopped".into(), ErrorEvent::message);
            me.fail_all(&message);
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        *self.callbacks.borrow_mut() = vec![on_message, on_error];
        *self.worker.borrow_mut() = Some(worker);
        self.ready.set(false);
    }

    /// Posts `msg` with `beside` (a typed array or a `File`), transferring `transfer`.
    pub(super) fn post(&self, msg: &ToMapper, beside: Option<&JsValue>, transfer: Option<JsValue>) {
        let text = JsValue::from_str(&serde_json::to_string(msg).expect("messages serialise"));
        let parts = match beside {
            Some(b) => Array::of2(&text, b),
            None => Array::of1(&text),
        };
        self.send(parts, transfer);
    }

    fn send(&self, parts: Array, transfer: Option<JsValue>) {
        if !self.ready.get() {
            self.queue.borrow_mut().push((parts, transfer));
            return;
        }
        let Some(worker) = self.worker.borrow().clone() else { return };
        let transfer = transfer.map_or_else(Array::new, |t| Array::of1(&t));
        if let Err(e) = worker.post_message_with_transfer(&parts, &transfer) {
            self.fail_all(&format!("{e:?}"));
        }
    }

    fn receive(&self, msg: FromMapper, beside: Option<JsValue>) {
        match msg {
            FromMapper::Ready => {
                self.ready.set(true);
                let queued = std::mem::take(&mut *self.queue.borrow_mut());
                queued.into_iter().for_each(|(parts, transfer)| self.send(parts, transfer));
                self.waiting.borrow_mut().drain(..).for_each(|t| _ = t.send(()));
            }
            FromMapper::Progress { id, done } => {
                if let Some(p) = self.pending.borrow_mut().get_mut(&id) {
                    (p.progress)(done);
                }
            }
            FromMapper::Mapped { id, trustworthiness, trust_queries, ms } => {
                let flat = beside.and_then(|a| a.dyn_into::<Float32Array>().ok()).map(|a| a.to_vec());
                let flat = flat.unwrap_or_default();
                let xy = flat.chunks_exact(2).map(|p| [p[0], p[1]]).collect();
                self.answer(id, MapReply { result: Ok((xy, trustworthiness, trust_queries)), ms });
            }
            FromMapper::Failed { id, message, ms } => self.answer(id, MapReply { result: Err(message), ms }),
            FromMapper::Crashed { message } => self.fail_all(&message),
            FromMapper::Inflated { id, compressed, last } => {
                let csv = beside.and_then(|a| a.dyn_into::<Uint8Array>().ok()).map(|a| a.to_vec());
                let csv = csv.unwrap_or_default();
                self.forward(id, Ok(Piece { compressed, csv, last }));
            }
            FromMapper::InflateFailed { id, error } => self.forward(id, Err(error.into())),
        }
    }

    fn forward(&self, id: u64, piece: Result<Piece, patroliq_core::LoadError>) {
        if let Some(tx) = self.inflating.borrow().get(&id) {
            // The receiver is gone only when its load stopped.
            let _ = tx.unbounded_send(piece);
        }
    }

    fn answer(&self, id: u64, reply: MapReply) {
        if let Some(p) = self.pending.borrow_mut().remove(&id) {
            // The receiver is gone only when its request was dropped.
            let _ = p.done.send(reply);
        }
    }

    /// The map worker failed: every map in flight gets the reason, and the next map starts a
    /// fresh map worker.
    fn fail_all(&self, why: &str) {
        if let Some(w) = self.worker.borrow_mut().take() {
            w.terminate();
        }
        self.queue.borrow_mut().clear();
        self.waiting.borrow_mut().drain(..).for_each(|t| _ = t.send(()));
        let inflating: Vec<_> = self.inflating.borrow_mut().drain().map(|(_, tx)| tx).collect();
        for tx in inflating {
            let why = format!("the map worker stopped while inflating the file: {why}");
            let _ = tx.unbounded_send(Err(patroliq_core::LoadError::Io(why)));
        }
        let pending: Vec<Pending> = self.pending.borrow_mut().drain().map(|(_, p)| p).collect();
        for p in pending {
            let reply = MapReply { result: Err(format!("the map worker stopped: {why}")), ms: 0.0 };
            let _ = p.done.send(reply);
        }
    }
}
