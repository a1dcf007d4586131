//! Why an analysis could not run: one error for every analysis, in linfa's style (parameters are
//! checked into a `…Valid` type before `fit`, and errors are values).
//!
//! One type so that the CLI, the app's forms and its worker refuse the same values with the same
//! words: each params type's `check` is the only place a range is written.

/// Why an analysis could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnalysisError {
    /// A parameter outside its range, refused by `check` before any work.
    #[error("invalid parameter: {0}")]
    Param(String),
    /// The selected rows cannot support the analysis (too few, none located, no variation).
    #[error("{0}")]
    Data(String),
    /// The progress callback asked to stop.
    #[error("cancelled")]
    Cancelled,
}
