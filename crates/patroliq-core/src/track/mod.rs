//! Experiment tracking: every analysis run as a [`run::Run`] (what was asked, what came out, on
//! which data and filter), the metrics and artifacts each analysis leaves ([`record`]), runs side
//! by side ([`compare`]), the log's JSON and CSV files ([`exchange`]), and the requests that push
//! a run to an MLflow tracking server ([`mlflow`]). The browser keeps the log in IndexedDB; the
//! core only shapes it, so all of it is tested natively.

pub mod compare;
pub mod exchange;
pub mod mlflow;
pub mod record;
pub mod run;

pub use run::{Artifact, DatasetPrint, Outcome, Pushed, Run, RunParams};

#[cfg(test)]
mod tests;
