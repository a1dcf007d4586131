//! The log's files: a JSON export that imports back exactly, and a CSV for spreadsheets.

use std::collections::{BTreeSet, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use super::run::Run;

/// The export's `format` field: an import checks it first.
pub const FORMAT: &str = "patroliq-runs";
pub const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Envelope {
    format: String,
    version: u32,
    runs: Vec<Run>,
}

/// Why an import file was refused. Nothing of it is imported then.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportError {
    NotJson(String),
    NotAnExport,
    Version(u32),
    BadRun { index: usize, message: String },
    DuplicateId(String),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::NotJson(e) => write!(f, "this is not a JSON file ({e})"),
            ImportError::NotAnExport => {
                write!(f, "this JSON is not a PatrolIQ runs export (no \"format\": \"{FORMAT}\")")
            }
            ImportError::Version(v) => {
                write!(f, "this export is format version {v}; this PatrolIQ reads version {VERSION}")
            }
            ImportError::BadRun { index, message } => {
                write!(f, "run {} of the file is not valid: {message}", index + 1)
            }
            ImportError::DuplicateId(id) => write!(f, "the file holds run {id} twice"),
        }
    }
}

impl std::error::Error for ImportError {}

/// The runs as a JSON export (pretty-printed: people read these).
pub fn to_json(runs: &[Run]) -> String {
    let env = Envelope { format: FORMAT.into(), version: VERSION, runs: runs.to_vec() };
    serde_json::to_string_pretty(&env).unwrap_or_default()
}

/// Reads an export; every run is checked before any is returned.
pub fn from_json(text: &str) -> Result<Vec<Run>, ImportError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| ImportError::NotJson(e.to_string()))?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(ImportError::NotAnExport);
    }
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v == VERSION as u64 => {}
        Some(v) => return Err(ImportError::Version(v.min(u32::MAX as u64) as u32)),
        None => return Err(ImportError::NotAnExport),
    }
    let items = value.get("runs").and_then(|r| r.as_array()).ok_or(ImportError::NotAnExport)?;
    let mut runs = Vec::with_capacity(items.len());
    let mut seen = HashSet::new();
    for (index, item) in items.iter().enumerate() {
        let run: Run = serde_json::from_value(item.clone())
            .map_err(|e| ImportError::BadRun { index, message: e.to_string() })?;
        if run.id.is_empty() || run.id.len() > 100 {
            return Err(ImportError::BadRun { index, message: "the id is empty or too long".into() });
        }
        if run.kind != run.params.kind() {
            return Err(ImportError::BadRun {
                index,
                message: format!(
                    "kind \"{}\" does not match its parameters ({})",
                    run.kind,
                    run.params.kind()
                ),
            });
        }
        if !seen.insert(run.id.clone()) {
            return Err(ImportError::DuplicateId(run.id));
        }
        runs.push(run);
    }
    Ok(runs)
}

/// What an import adds to the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Merge {
    /// Runs not in the log yet.
    pub added: Vec<Run>,
    /// Runs the log already holds, identical.
    pub same: usize,
    /// Runs whose id the log holds with other content: the log's copy is kept.
    pub conflicts: Vec<String>,
}

/// Merges imported runs into `log` without changing any run already there.
pub fn merge(log: &[Run], incoming: Vec<Run>) -> Merge {
    let mut out = Merge { added: Vec::new(), same: 0, conflicts: Vec::new() };
    for run in incoming {
        match log.iter().find(|r| r.id == run.id) {
            Some(r) if *r == run => out.same += 1,
            Some(_) => out.conflicts.push(run.id),
            None => out.added.push(run),
        }
    }
    out
}

fn cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// One row per run: id, time, kind, title, duration, dataset and filter fingerprints, then every
/// parameter (`param.…`) and metric (`metric.…`) any of the runs has, sorted by name.
pub fn to_csv(runs: &[Run]) -> String {
    let params: BTreeSet<String> = runs.iter().flat_map(|r| r.params.flat().into_keys()).collect();
    let metrics: BTreeSet<&String> = runs.iter().flat_map(|r| r.metrics.keys()).collect();
    let mut head: Vec<String> = [
        "id",
        "started_utc",
        "kind",
        "title",
        "duration_ms",
        "dataset",
        "rows",
        "dataset_print",
        "filter_print",
    ]
    .map(String::from)
    .to_vec();
    head.extend(params.iter().map(|p| format!("param.{p}")));
    head.extend(metrics.iter().map(|m| format!("metric.{m}")));
    let mut out = head.iter().map(|h| cell(h)).collect::<Vec<_>>().join(",");
    out.push('\n');
    for r in runs {
        let flat = r.params.flat();
        let mut row = vec![
            r.id.clone(),
            utc(r.started_ms),
            r.kind.clone(),
            r.title.clone(),
            format!("{:.1}", r.duration_ms),
            r.dataset.name.clone(),
            r.dataset.rows.to_string(),
            r.dataset.fingerprint.clone(),
            r.filter_print.clone(),
        ];
        row.extend(params.iter().map(|p| flat.get(p).cloned().unwrap_or_default()));
        row.extend(metrics.iter().map(|m| r.metrics.get(*m).map(|v| v.to_string()).unwrap_or_default()));
        out += &row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",");
        out.push('\n');
    }
    out
}

/// `2026-11-23T19:02:03Z` from milliseconds since the epoch.
pub fn utc(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}
