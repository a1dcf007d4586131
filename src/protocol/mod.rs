//! The messages between the UI thread and the data worker: one envelope each way.
//!
//! The page sends [`ToWorker`] — a job id and a [`Request`]. The worker answers every job that
//! does work with exactly one [`FromWorker::Answer`]: the job, how long it took, and either a
//! [`Reply`] or a typed [`Failure`]; a long job sends [`FromWorker::Progress`] before it. So the
//! page routes everything by job id alone (`crate::state::jobs`), and a late answer of a job the
//! user has moved on from simply finds no one waiting.
//!
//! Messages travel as JSON text in `postMessage`; a `File` to load travels beside the text (the
//! browser hands the worker a reference, not a copy); an export's bytes travel back the same way
//! (transferred, not copied), and so do a reply's bulk numbers (a heatmap's frames: [`bulk`]). The UI only ever receives summaries and exports the user asked
//! for: the table stays in the worker.

mod bulk;
mod failure;
mod reply;
mod request;

pub use self::failure::{Failure, LoadFailure};
pub use self::reply::{
    Analysed, Benched, Boundaries, Exported, FromReply, LayerRead, Loaded, Reply, Stations,
};
pub use self::request::{Request, Source};

use serde::{Deserialize, Serialize};

/// Identifies one request so that late messages from a cancelled job are ignored.
pub type JobId = u32;

/// A request for the worker, with the job that its answer will carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToWorker {
    pub job: JobId,
    pub request: Request,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker has started and can take requests.
    Ready,
    /// How far job `job` has got.
    Progress { job: JobId, progress: Progress },
    /// The one answer to job `job`; `compute_ms` is the worker's time on it.
    Answer { job: JobId, compute_ms: f64, result: Result<Reply, Failure> },
    /// A bug: the worker panicked and must be restarted. Of no job: every job in it is lost.
    Crashed { message: String },
}

/// How far a job has got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Progress {
    /// A load: bytes read (rows decoded, when decoding Parquet) and rows parsed so far.
    Load { stage: Stage, bytes: u64, total_bytes: Option<u64>, rows: u64 },
    /// An analysis, 0–1.
    Share(f64),
}

/// The step a load is at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Stage {
    Reading,
    Decoding,
    Summarising,
}

impl ToWorker {
    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("messages serialise")
    }
}

impl FromWorker {
    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("messages serialise")
    }
}
