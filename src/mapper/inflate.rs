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

/// What has been sent of one inflation: decompressed bytes, and compressed bytes reported.
#[derive(Default)]
struct Sent {
    decompressed: u64,
    reported: u64,
}

/// Inflates natively (the browser's `DecompressionStream`, C zlib, several times the speed of
/// inflating in WebAssembly), and if that is missing or fails — a damaged file, the several
/// members some tools write — goes on with the core's inflater from where it stopped: the same
/// bytes are skipped, so the data worker sees one stream, and its errors are the core's.
async fn pieces(id: u64, limit: u64, file: &File, flow: &Flow) -> Result<(), LoadError> {
    let mut sent = Sent::default();
    if native(id, limit, file, flow, &mut sent).await.unwrap_or(false) || flow.stopped.get() {
        return Ok(());
    }
    let io = |e: JsValue| LoadError::Io(crate::js::js_message(&e));
    let size = file.size();
    let mut inflater = Inflater::new(limit);
    let mut skip = sent.decompressed;
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
        let drop = skip.min(out.len() as u64) as usize;
        skip -= drop as u64;
        let compressed = (end as u64).saturating_sub(sent.reported);
        sent.reported = sent.reported.max(end as u64);
        if drop < out.len() || compressed > 0 {
            send(id, compressed, &out[drop..], false, flow);
        }
        at = end;
    }
    let out = inflater.finish()?;
    let drop = skip.min(out.len() as u64) as usize;
    send(id, 0, &out[drop..], true, flow);
    Ok(())
}

/// The decompressed size the gzip trailer gives: for the progress of a stream whose compressed
/// position is not seen.
async fn inflated_size(file: &File) -> Option<u64> {
    let size = file.size();
    if size < 18.0 {
        return None;
    }
    let tail =
        JsFuture::from(file.slice_with_f64_and_f64(size - 4.0, size).ok()?.array_buffer()).await.ok()?;
    let tail: [u8; 4] = Uint8Array::new(&tail).to_vec().try_into().ok()?;
    Some(patroliq_core::Loader::gzip_inflated_size(size as u64, tail)).filter(|&n| n > 0)
}

/// `file.stream().pipeThrough(new DecompressionStream('gzip'))`, read in [`NATIVE_PIECE`]s.
/// `Ok(false)`: the browser has no `DecompressionStream`; an error: what went wrong, to fall back.
async fn native(id: u64, limit: u64, file: &File, flow: &Flow, sent: &mut Sent) -> Result<bool, JsValue> {
    use js_sys::{Function, Reflect};
    use wasm_bindgen::JsCast;
    let ctor = Reflect::get(&js_sys::global(), &"DecompressionStream".into())?;
    let Ok(ctor) = ctor.dyn_into::<Function>() else { return Ok(false) };
    let total = inflated_size(file).await;
    let ds = Reflect::construct(&ctor, &js_sys::Array::of1(&"gzip".into()))?;
    let stream = file.stream();
    let piped = Reflect::get(&stream, &"pipeThrough".into())?.dyn_into::<Function>()?.call1(&stream, &ds)?;
    let reader: web_sys::ReadableStreamDefaultReader =
        Reflect::get(&piped, &"getReader".into())?.dyn_into::<Function>()?.call0(&piped)?.unchecked_into();
    let size = file.size() as u64;
    let mut buf: Vec<u8> = Vec::with_capacity(NATIVE_PIECE + (1 << 16));
    let flush = |buf: &mut Vec<u8>, sent: &mut Sent, last: bool| {
        sent.decompressed += buf.len() as u64;
        // The compressed position, estimated from the decompressed one; the last piece reports
        // the rest, so the sum is the file's size.
        let at = match (last, total) {
            (true, _) => size,
            (false, Some(t)) => {
                (sent.decompressed as f64 / t as f64 * size as f64).min(size as f64 - 1.0) as u64
            }
            (false, None) => sent.reported,
        };
        let compressed = at.saturating_sub(sent.reported);
        sent.reported = sent.reported.max(at);
        send(id, compressed, buf, last, flow);
        buf.clear();
    };
    loop {
        let chunk = JsFuture::from(reader.read()).await?;
        if Reflect::get(&chunk, &"done".into())?.as_bool().unwrap_or(true) {
            break;
        }
        let value: Uint8Array = Reflect::get(&chunk, &"value".into())?.unchecked_into();
        let at = buf.len();
        buf.resize(at + value.length() as usize, 0);
        value.copy_to(&mut buf[at..]);
        if sent.decompressed + buf.len() as u64 > limit {
            // Over the bomb limit: the core's inflater says so in its own words.
            let _ = reader.cancel();
            return Err("over the limit".into());
        }
        if buf.len() >= NATIVE_PIECE {
            flow.room().await;
            if flow.stopped.get() {
                let _ = reader.cancel();
                return Ok(true);
            }
            flush(&mut buf, sent, false);
        }
    }
    flow.room().await;
    if !flow.stopped.get() {
        flush(&mut buf, sent, true);
    }
    Ok(true)
}

/// Decompressed bytes per piece sent from the native stream (its own chunks are ~64 kB: one
/// message each would be a round trip of flow control per 64 kB).
const NATIVE_PIECE: usize = 4 << 20;

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
