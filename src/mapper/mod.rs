//! The map worker: a second Web Worker, started by the data worker, that draws the t-SNE and
//! UMAP maps on the machine's second core.
//!
//! A map of 20,000 incidents takes seconds and needs only its sample's standardised features
//! (20 numbers per incident), not the table. So the data worker prepares the sample
//! (`EmbedValid::prepare`), hands the matrix over (transferred, not copied) and goes on serving
//! the other pages meanwhile; before, a request from Hotspots waited behind a 6-second t-SNE.
//! The Benchmark page uses the same split to time the pipeline with the maps beside the other
//! stages. The page talks to the data worker only; this protocol is between the two workers.
//!
//! It also inflates a gzip file while the data worker loads it (`inflate`): inflating is a third
//! of a load, and beside the CSV parse it costs the load nothing.
//!
//! A second map worker is started when a map is asked for while the first is busy (a map
//! superseded by the page's new request, or the benchmark's two maps): the new map starts at
//! once instead of waiting behind the old one, and on two cores the three workers share them,
//! so the data worker's idle time at the end of a benchmark pass goes to the maps.
//!
//! Started with the data worker, from the same WebAssembly binary (its `name` tells it which it
//! is), so that it is ready by the first load or map. It dies with the data worker, so the
//! page's cancel (restart the data worker) stops a map too. Where a worker cannot start one (no
//! nested workers), the map runs in the data worker as before.
//!
//! Here, the map worker's side ([`serve`]); `handle`: the data worker's side ([`Mapper`]);
//! `messages`: what the two say to each other; `inflate`: the gzip inflation, both sides.

mod handle;
mod inflate;
mod messages;

use js_sys::{Array, Float32Array};
use patroliq_core::reduce::embed::EmbedParams;
use patroliq_core::reduce::knn::Matrix;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{File, MessageEvent};

pub use self::handle::{MapReply, Mapper};
pub use self::inflate::Inflation;
use self::messages::{reply, FromMapper, InflateError, ToMapper};
use crate::js::{now, scope};

/// Whether this worker was started as the map worker.
pub fn is_mapper() -> bool {
    scope().name() == handle::NAME
}

/// Entry point of the map worker: maps each matrix it is sent, in order.
pub fn serve() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        reply(&FromMapper::Crashed { message: info.to_string() }, None);
    }));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| {
        let parts = Array::from(&e.data());
        let Some(Ok(msg)) = parts.get(0).as_string().map(|t| serde_json::from_str::<ToMapper>(&t)) else {
            return;
        };
        match msg {
            ToMapper::Map { id, params, dim } => {
                let data = parts.get(1).dyn_into::<Float32Array>().map(|a| a.to_vec()).unwrap_or_default();
                map(id, params, Matrix { dim, data });
            }
            ToMapper::Inflate { id, limit } => match parts.get(1).dyn_into::<File>() {
                Ok(file) => spawn_local(inflate::run(id, limit, file)),
                Err(_) => {
                    let error = InflateError::Io("the file was not passed to the map worker".into());
                    reply(&FromMapper::InflateFailed { id, error }, None);
                }
            },
            ToMapper::Parsed { id } => inflate::parsed(id),
            ToMapper::Stop { id } => inflate::stop(id),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    reply(&FromMapper::Ready, None);
}

/// Draws one map and sends it back.
fn map(id: u64, params: EmbedParams, x: Matrix) {
    let started = now();
    let mut last = -1.0;
    let mut progress = |done: f64| {
        if done - last >= 0.01 || done >= 1.0 {
            last = done;
            reply(&FromMapper::Progress { id, done }, None);
        }
        true
    };
    let result = params.check().and_then(|v| v.fit_matrix(&x, &mut progress));
    let ms = now() - started;
    match result {
        Ok((xy, trustworthiness, trust_queries)) => {
            let flat: Vec<f32> = xy.iter().flatten().copied().collect();
            let msg = FromMapper::Mapped { id, trustworthiness, trust_queries, ms };
            let data = Float32Array::from(flat.as_slice());
            reply(&msg, Some((&data, &data.buffer())));
        }
        Err(e) => reply(&FromMapper::Failed { id, message: e.to_string(), ms }, None),
    }
}
