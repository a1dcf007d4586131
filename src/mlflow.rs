//! Pushing logged runs to an MLflow tracking server with `fetch`, only when the user asks. The
//! requests themselves are shaped (and tested) in `patroliq_core::track::mlflow`.

use patroliq_core::track::mlflow as api;
use patroliq_core::track::{Pushed, Run};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

/// The server's answer: status and body text.
async fn call(
    server: &str,
    method: &str,
    path: &str,
    body: Option<(&str, &str)>,
) -> Result<(u16, String), String> {
    let init = RequestInit::new();
    init.set_method(method);
    if let Some((text, _)) = body {
        init.set_body(&JsValue::from_str(text));
    }
    let url = format!("{server}{path}");
    let request = Request::new_with_str_and_init(&url, &init)
        .map_err(|_| format!("\"{url}\" is not a valid address"))?;
    if let Some((_, content_type)) = body {
        let _ = request.headers().set("Content-Type", content_type);
    }
    let window = web_sys::window().ok_or("no window")?;
    let resp = JsFuture::from(window.fetch_with_request(&request)).await.map_err(|_| {
        format!(
            "could not reach the MLflow server at {server}: is it running, and does it allow this \
             page's origin ({})? Start it with --cors-allowed-origins {}",
            origin(),
            origin()
        )
    })?;
    let resp: Response = resp.unchecked_into();
    let text = match resp.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|t| t.as_string()).unwrap_or_default(),
        Err(_) => String::new(),
    };
    Ok((resp.status(), text))
}

/// This page's origin (what the server must allow).
pub fn origin() -> String {
    web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
}

/// A JSON request that must succeed; its parsed answer.
async fn json(server: &str, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let text = body.map(Value::to_string);
    let (status, text) = call(server, method, path, text.as_deref().map(|t| (t, "application/json"))).await?;
    if !(200..300).contains(&status) {
        return Err(api::error_message(status, &text));
    }
    serde_json::from_str(&text).map_err(|_| format!("the server's answer to {path} is not JSON"))
}

/// The id of the experiment named `name`, created if the server has none.
pub async fn experiment(server: &str, name: &str) -> Result<String, String> {
    let (status, text) = call(server, "GET", &api::get_experiment_path(name), None).await?;
    let parsed: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    if status == 200 {
        if let Some(id) = parsed.pointer("/experiment/experiment_id").and_then(Value::as_str) {
            return Ok(id.to_string());
        }
    }
    if status != 404 && parsed.get("error_code").and_then(Value::as_str) != Some("RESOURCE_DOES_NOT_EXIST") {
        return Err(api::error_message(status, &text));
    }
    let created = json(server, "POST", api::CREATE_EXPERIMENT, Some(&api::create_experiment(name))).await?;
    created
        .get("experiment_id")
        .and_then(Value::as_str)
        .map(String::from)
        .ok_or_else(|| "the server created the experiment but sent no id".into())
}

/// Pushes one run: creates it (or reuses the MLflow run an earlier, broken push made), logs
/// everything, uploads the artifacts the server takes and closes it. A failure after the run was
/// created hands back that run (unfinished), so a retry completes it rather than making another.
pub async fn push(
    server: &str,
    experiment_id: &str,
    run: &Run,
    earlier: Option<&Pushed>,
) -> Result<Pushed, (String, Option<Pushed>)> {
    let reuse = earlier.filter(|p| p.server == server && p.experiment_id == experiment_id);
    let found = match reuse {
        Some(p) => {
            let path = format!("/api/2.0/mlflow/runs/get?run_id={}", api::encode(&p.run_id));
            json(server, "GET", &path, None).await.ok().map(|v| {
                let uri = v.pointer("/run/info/artifact_uri").and_then(Value::as_str).unwrap_or("");
                (p.run_id.clone(), uri.to_string())
            })
        }
        None => None,
    };
    let (run_id, artifact_uri) = match found {
        Some(f) => f,
        None => create(server, experiment_id, run).await.map_err(|e| (e, None))?,
    };
    let mut pushed = Pushed {
        server: server.to_string(),
        experiment_id: experiment_id.to_string(),
        run_id: run_id.clone(),
        artifacts: 0,
        at_ms: js_sys::Date::now() as i64,
        finished: false,
    };
    match finish(server, run, &run_id, &artifact_uri).await {
        Ok(artifacts) => {
            pushed.artifacts = artifacts;
            pushed.finished = true;
            Ok(pushed)
        }
        Err(e) => Err((e, Some(pushed))),
    }
}

/// Logs, uploads and closes a created run; the number of artifacts the server took.
async fn finish(server: &str, run: &Run, run_id: &str, artifact_uri: &str) -> Result<usize, String> {
    for batch in api::log_batches(run, run_id) {
        json(server, "POST", api::LOG_BATCH, Some(&batch)).await?;
    }
    let mut artifacts = 0;
    for a in &run.artifacts {
        let Some(path) = api::artifact_path(artifact_uri, &a.name) else { break };
        let (status, _) = call(server, "PUT", &path, Some((&a.text, &a.media_type))).await?;
        if (200..300).contains(&status) {
            artifacts += 1;
        }
    }
    json(server, "POST", api::UPDATE_RUN, Some(&api::finish(run, run_id))).await?;
    Ok(artifacts)
}

async fn create(server: &str, experiment_id: &str, run: &Run) -> Result<(String, String), String> {
    let made = json(server, "POST", api::CREATE_RUN, Some(&api::create_run(run, experiment_id))).await?;
    let info = made.pointer("/run/info").ok_or("the server created the run but sent no run info")?;
    let id = info.get("run_id").and_then(Value::as_str).ok_or("the server sent no run id")?;
    let uri = info.get("artifact_uri").and_then(Value::as_str).unwrap_or("");
    Ok((id.to_string(), uri.to_string()))
}
