//! What the two workers say to each other: the data worker asks for maps and inflations, the map
//! worker answers with maps, progress and inflated pieces.

use js_sys::Array;
use patroliq_core::reduce::embed::EmbedParams;
use patroliq_core::LoadError;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use crate::js::scope;

#[derive(Debug, Serialize, Deserialize)]
pub(super) enum ToMapper {
    /// Map the matrix sent beside (rows of `dim` f32).
    Map { id: u64, params: EmbedParams, dim: usize },
    /// Inflate the gzip `File` sent beside, at most `limit` bytes, sending the pieces back.
    Inflate { id: u64, limit: u64 },
    /// The data worker has parsed one more piece of inflation `id`.
    Parsed { id: u64 },
    /// Inflation `id` is no longer wanted.
    Stop { id: u64 },
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) enum FromMapper {
    Ready,
    Progress {
        id: u64,
        done: f64,
    },
    /// The map's x, y pairs are sent beside, flattened.
    Mapped {
        id: u64,
        trustworthiness: Option<f64>,
        trust_queries: usize,
        ms: f64,
    },
    Failed {
        id: u64,
        message: String,
        ms: f64,
    },
    Crashed {
        message: String,
    },
    /// `compressed` more bytes of the file inflated to the bytes sent beside; `last` ends it.
    Inflated {
        id: u64,
        compressed: u64,
        last: bool,
    },
    InflateFailed {
        id: u64,
        error: InflateError,
    },
}

/// What can stop an inflation, as it crosses between the workers.
#[derive(Debug, Serialize, Deserialize)]
pub(super) enum InflateError {
    Truncated(String),
    Malformed(String),
    TooLarge(String),
    Io(String),
}

impl From<LoadError> for InflateError {
    fn from(e: LoadError) -> Self {
        match e {
            LoadError::Truncated(m) => InflateError::Truncated(m),
            LoadError::Malformed(m) => InflateError::Malformed(m),
            LoadError::TooLarge(m) => InflateError::TooLarge(m),
            LoadError::Io(m) => InflateError::Io(m),
            other => InflateError::Io(other.to_string()),
        }
    }
}

impl From<InflateError> for LoadError {
    fn from(e: InflateError) -> Self {
        match e {
            InflateError::Truncated(m) => LoadError::Truncated(m),
            InflateError::Malformed(m) => LoadError::Malformed(m),
            InflateError::TooLarge(m) => LoadError::TooLarge(m),
            InflateError::Io(m) => LoadError::Io(m),
        }
    }
}

/// A piece of the inflated file: `compressed` more bytes of it inflated to `csv`.
pub struct Piece {
    pub compressed: u64,
    pub csv: Vec<u8>,
    pub last: bool,
}

/// Posts `msg` to the data worker, with a typed array beside whose buffer is transferred.
pub(super) fn reply(msg: &FromMapper, beside: Option<(&JsValue, &JsValue)>) {
    let text = JsValue::from_str(&serde_json::to_string(msg).expect("messages serialise"));
    // Posting fails only when the data worker is gone; nobody is left to tell.
    let _ = match beside {
        Some((data, buffer)) => {
            scope().post_message_with_transfer(&Array::of2(&text, data), &Array::of1(buffer))
        }
        None => scope().post_message(&text),
    };
}
