//! A gzip file inflated in the map worker while the data worker parses its CSV.
//!
//! The map worker reads the `File` itself (a `File` posted to a worker is a handle, not a copy)
//! and sends the inflated pieces back, transferred. It keeps at most [`AHEAD`] pieces that the
//! data worker has not parsed yet: the parse is the slower step, and unparsed pieces would
//! otherwise pile up in the data worker's message queue (400 MB for the 1.7 million rows).
//! The inflater is the core's (`load::gzip`), so the errors are the ones of a load in one worker.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use futures::channel::{mpsc, oneshot};
use futures::StreamExt;
use js_sys::Uint8Array;
use patroliq_core::load::gzip::Inflater;
use patroliq_core::LoadError;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::File;

use super::handle::{Inner, Mapper};
use super::messages::{reply, FromMapper, Piece, ToMapper};

/// Compressed bytes read per piece (≈ 4 MB of CSV each).
const PIECE: f64 = (1 << 20) as f64;

/// Pieces sent and not yet parsed at most.
const AHEAD: u32 = 4;

// ---- the map worker's side ----

/// One inflation's flow control in the map worker.
#[derive(Default)]
struct Flow {
    unparsed: Cell<u32>,
    stopped: Cell<bool>,
    wake: RefCell<Option<oneshot::Sender<()>>>,
}

impl Flow {
    fn wake(&self) {
        if let Some(t) = self.wake.borrow_mut().take() {
            let _ = t.send(());
        }
    }

    /// Waits until the data worker has room for another piece or wants no more.
    async fn room(&self) {
        while self.unparsed.get() >= AHEAD && !self.stopped.get() {
            let (tell, told) = oneshot::channel();
            *self.wake.borrow_mut() = Some(tell);
            let _ = told.await;
        }
    }
}

thread_local! {
    static FLOWS: RefCell<HashMap<u64, Rc<Flow>>> = RefCell::default();
}

pub(super) fn parsed(id: u64) {
    FLOWS.with(|f| {
        if let Some(flow) = f.borrow().get(&id) {
            flow.unparsed.set(flow.unparsed.get().saturating_sub(1));
            flow.wake();
        }
    });
}

pub(super) fn stop(id: u64) {
    FLOWS.with(|f| {
        if let Some(flow) = f.borrow().get(&id) {
            flow.stopped.set(true);
            flow.wake();
        }
    });
}

/// Inflates `file`, sending each piece back as it comes.
pub(super) async fn run(id: u64, limit: u64, file: File) {
    let flow = Rc::new(Flow::default());
    FLOWS.with(|f| f.borrow_mut().insert(id, flow.clone()));
    if let Err(error) = pieces(id, limit, &file, &flow).await {
        reply(&FromMapper::InflateFailed { id, error: error.into() }, None);
    }
    FLOWS.with(|f| f.borrow_mut().remove(&id));
}

async fn pieces(id: u64, limit: u64, file: &File, flow: &Flow) -> Result<(), LoadError> {
    let io = |e: JsValue| LoadError::Io(crate::js::js_message(&e));
    let size = file.size();
    let mut inflater = Inflater::new(limit);
    let mut at = 0.0;
    while at < size {
        flow.room().await;
        if flow.stopped.get() {
            return Ok(());
        }
        let end = (at + PIECE).min(size);
        let buffer = JsFuture::from(file.slice_with_f64_and_f64(at, end).map_err(io)?.array_buffer())
            .await
            .map_err(io)?;
        let out = inflater.push(&Uint8Array::new(&buffer).to_vec())?;
        send(id, (end - at) as u64, &out, false, flow);
        at = end;
    }
    let out = inflater.finish()?;
    send(id, 0, &out, true, flow);
    Ok(())
}

fn send(id: u64, compressed: u64, out: &[u8], last: bool, flow: &Flow) {
    flow.unparsed.set(flow.unparsed.get() + 1);
    let data = Uint8Array::from(out);
    reply(&FromMapper::Inflated { id, compressed, last }, Some((&data, &data.buffer())));
}

// ---- the data worker's side ----

/// An inflation in flight, seen from the data worker. Dropping it before the last piece tells
/// the map worker to stop.
pub struct Inflation {
    id: u64,
    pieces: mpsc::UnboundedReceiver<Result<Piece, LoadError>>,
    inner: Rc<Inner>,
    ended: bool,
}

impl Inflation {
    /// The next piece, or why there is none.
    pub async fn next(&mut self) -> Result<Piece, LoadError> {
        let piece =
            self.pieces.next().await.unwrap_or_else(|| Err(LoadError::Io("the map worker stopped".into())));
        self.ended = !matches!(piece, Ok(Piece { last: false, .. }));
        piece
    }

    /// The last piece is parsed: the map worker may send one more.
    pub fn parsed(&self) {
        self.inner.post(&ToMapper::Parsed { id: self.id }, None, None);
    }
}

impl Drop for Inflation {
    fn drop(&mut self) {
        self.inner.inflating.borrow_mut().remove(&self.id);
        if !self.ended {
            self.inner.post(&ToMapper::Stop { id: self.id }, None, None);
        }
    }
}

impl Mapper {
    /// Inflates the gzip `file` in the map worker, if it is ready and idle now (a load does not
    /// wait behind a map); `None` means the data worker should inflate it itself.
    pub fn inflate(&self, file: &File, limit: u64) -> Option<Inflation> {
        let inner = &self.inner;
        if !inner.idle() {
            return None;
        }
        let id = inner.next.get();
        inner.next.set(id + 1);
        let (tx, pieces) = mpsc::unbounded();
        inner.inflating.borrow_mut().insert(id, tx);
        inner.post(&ToMapper::Inflate { id, limit }, Some(file.as_ref()), None);
        Some(Inflation { id, pieces, inner: inner.clone(), ended: false })
    }
}
