//! Why a job gave no reply.
//!
//! The page shows a failure in words (its `Display`, the same sentence whichever page shows it);
//! the variant says what kind of trouble it was, so a page can tell "load a dataset first" from a
//! parameter it should correct without reading the words.

use std::fmt;

use patroliq_core::CleaningReport;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Failure {
    /// An analysis was asked for before any dataset loaded.
    NoDataset,
    /// A load failed; the previous dataset is still loaded.
    Load(LoadFailure),
    /// The job was cancelled.
    Cancelled,
    /// The request's parameters were refused (in the core's words).
    Invalid(String),
    /// The job needs something not there: a risk grid of this filter, a road network, boundaries.
    Missing(String),
    /// The analysis itself failed (too few rows for it, a degenerate fit).
    Analysis(String),
    /// A file or download could not be read, or the export could not be written.
    Io(String),
    /// A new dataset loaded while the job waited on the map worker: its answer would describe
    /// rows no longer loaded.
    Replaced,
}

/// A load's failure as the banner shows it: its kind (`LoadError::kind`), its message, and the
/// cleaning report when rows were read but none kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadFailure {
    pub kind: String,
    pub message: String,
    pub report: Option<Box<CleaningReport>>,
    /// The file's columns, samples and guessed roles, when its roles could not all be found:
    /// what the column mapper shows.
    #[serde(default)]
    pub preview: Option<Box<patroliq_core::load::layout::Preview>>,
}

impl Failure {
    pub fn invalid(e: impl fmt::Display) -> Failure {
        Failure::Invalid(e.to_string())
    }

    pub fn analysis(e: impl fmt::Display) -> Failure {
        Failure::Analysis(e.to_string())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::NoDataset => f.write_str("no dataset is loaded yet"),
            Failure::Load(l) => f.write_str(&l.message),
            Failure::Cancelled => f.write_str("cancelled"),
            Failure::Invalid(m) | Failure::Missing(m) | Failure::Analysis(m) | Failure::Io(m) => {
                f.write_str(m)
            }
            Failure::Replaced => f.write_str("a new dataset was loaded while the map was being drawn"),
        }
    }
}
