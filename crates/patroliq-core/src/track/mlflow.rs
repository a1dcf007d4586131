//! MLflow's REST API (version 2.0 paths, served by MLflow 2 and 3): the requests that push one
//! logged run to a tracking server. The app sends them with `fetch`; nothing here does I/O.
//!
//! A push is: find or create the experiment → create the run (tags name it and link it back to
//! the log's id) → log its parameters, metrics and tags in batches → upload each artifact through
//! the artifact proxy (`mlflow-artifacts`, when the server serves artifacts) → mark it FINISHED.

use serde_json::{json, Value};

use super::run::Run;

/// MLflow's limits per `log-batch` request.
const MAX_PARAMS: usize = 100;
const MAX_METRICS: usize = 1000;
const MAX_PARAM_VALUE: usize = 6000;

/// The tracking server's base URL, checked: `http(s)://host[:port][/prefix]` without a trailing
/// slash.
pub fn server_url(text: &str) -> Result<String, String> {
    let t = text.trim().trim_end_matches('/');
    let rest = t
        .strip_prefix("http://")
        .or_else(|| t.strip_prefix("https://"))
        .ok_or_else(|| "the MLflow server address must start with http:// or https://".to_string())?;
    if rest.is_empty() || rest.starts_with('/') || rest.contains(char::is_whitespace) {
        return Err(format!("\"{}\" is not a server address", text.trim()));
    }
    Ok(t.to_string())
}

/// Percent-encodes a query value (RFC 3986 unreserved characters pass).
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// GET: the experiment named `name` (404 with `RESOURCE_DOES_NOT_EXIST` when there is none).
pub fn get_experiment_path(name: &str) -> String {
    format!("/api/2.0/mlflow/experiments/get-by-name?experiment_name={}", encode(name))
}

pub const CREATE_EXPERIMENT: &str = "/api/2.0/mlflow/experiments/create";
pub const CREATE_RUN: &str = "/api/2.0/mlflow/runs/create";
pub const LOG_BATCH: &str = "/api/2.0/mlflow/runs/log-batch";
pub const UPDATE_RUN: &str = "/api/2.0/mlflow/runs/update";

pub fn create_experiment(name: &str) -> Value {
    json!({"name": name})
}

fn tag(key: &str, value: &str) -> Value {
    json!({"key": key, "value": value})
}

/// The run's tags: MLflow's own (name, source) and the log's (id, kind, dataset, filter).
fn tags(run: &Run) -> Vec<Value> {
    let mut out = vec![
        tag("mlflow.runName", &run.title),
        tag("mlflow.source.name", "PatrolIQ"),
        tag("mlflow.source.type", "LOCAL"),
        tag("patroliq.run_id", &run.id),
        tag("patroliq.kind", &run.kind),
        tag("patroliq.dataset", &run.dataset.name),
        tag("patroliq.dataset_print", &run.dataset.fingerprint),
        tag("patroliq.rows", &run.dataset.rows.to_string()),
        tag("patroliq.filter", &serde_json::to_string(&run.filter).unwrap_or_default()),
        tag("patroliq.filter_print", &run.filter_print),
    ];
    out.extend(run.tags.iter().map(|(k, v)| tag(&format!("patroliq.{k}"), v)));
    out
}

/// POST body of `runs/create`.
pub fn create_run(run: &Run, experiment_id: &str) -> Value {
    json!({
        "experiment_id": experiment_id,
        "run_name": run.title,
        "start_time": run.started_ms,
        "tags": [tag("mlflow.runName", &run.title), tag("patroliq.run_id", &run.id)],
    })
}

/// POST bodies of `runs/log-batch`: every parameter, metric (step 0, at the run's start) and tag,
/// in as few requests as MLflow's limits allow.
pub fn log_batches(run: &Run, mlflow_run_id: &str) -> Vec<Value> {
    let params: Vec<Value> = run
        .params
        .flat()
        .into_iter()
        .map(|(k, v)| {
            let v: String = v.chars().take(MAX_PARAM_VALUE).collect();
            json!({"key": k, "value": v})
        })
        .collect();
    let metrics: Vec<Value> = run
        .metrics
        .iter()
        .map(|(k, v)| json!({"key": k, "value": v, "timestamp": run.started_ms, "step": 0}))
        .chain(std::iter::once(json!({
            "key": "duration_ms", "value": run.duration_ms, "timestamp": run.started_ms, "step": 0
        })))
        .collect();
    let mut tags = tags(run);
    let mut out = Vec::new();
    let (mut p, mut m) = (params.chunks(MAX_PARAMS), metrics.chunks(MAX_METRICS));
    loop {
        let (pc, mc) = (p.next(), m.next());
        if pc.is_none() && mc.is_none() && tags.is_empty() {
            break;
        }
        let tc: Vec<Value> = tags.drain(..tags.len().min(MAX_PARAMS)).collect();
        out.push(json!({
            "run_id": mlflow_run_id,
            "params": pc.unwrap_or_default(),
            "metrics": mc.unwrap_or_default(),
            "tags": tc,
        }));
    }
    out
}

/// POST body of `runs/update` that closes the run (its end is its start plus its duration).
pub fn finish(run: &Run, mlflow_run_id: &str) -> Value {
    json!({
        "run_id": mlflow_run_id,
        "status": "FINISHED",
        "end_time": run.started_ms + run.duration_ms.round() as i64,
    })
}

/// PUT path of an artifact through the server's artifact proxy, from the run's `artifact_uri`
/// (`mlflow-artifacts:/<experiment>/<run>/artifacts`); `None` when the server keeps artifacts
/// where the browser cannot write (a local path, S3).
pub fn artifact_path(artifact_uri: &str, name: &str) -> Option<String> {
    let rest = artifact_uri.strip_prefix("mlflow-artifacts:")?;
    // `mlflow-artifacts:/1/abc/artifacts` or `mlflow-artifacts://host/1/abc/artifacts`.
    let rest = match rest.strip_prefix("//") {
        Some(with_host) => with_host.split_once('/').map(|(_, p)| p)?,
        None => rest.trim_start_matches('/'),
    };
    let clean = name.replace(['/', '\\'], "_");
    Some(format!("/api/2.0/mlflow-artifacts/artifacts/{}/{}", rest.trim_end_matches('/'), encode(&clean)))
}

/// A readable message from an MLflow error response (`{"error_code", "message"}`) or any other.
pub fn error_message(status: u16, body: &str) -> String {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    let code = parsed.as_ref().and_then(|v| v.get("error_code")?.as_str().map(String::from));
    let message = parsed.as_ref().and_then(|v| v.get("message")?.as_str().map(String::from));
    match (code, message) {
        (Some(c), Some(m)) => format!("HTTP {status} {c}: {m}"),
        _ => {
            let short: String = body.chars().take(200).collect();
            format!("HTTP {status}: {}", if short.trim().is_empty() { "no details" } else { short.trim() })
        }
    }
}
