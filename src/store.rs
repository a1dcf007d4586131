//! The experiment log in IndexedDB: one object store of runs, each kept as its JSON text under its
//! id (JSON so that a run reads back exactly as the core wrote it, floats included).

use idb::{Database, TransactionMode, TransactionResult};
use patroliq_core::track::Run;
use wasm_bindgen::JsValue;

const DB: &str = "patroliq";
const STORE: &str = "runs";
const VERSION: u32 = 1;

/// Why the log could not be read or written, in words for the page.
fn explain(what: &str, e: impl std::fmt::Display) -> String {
    let text = e.to_string();
    if text.contains("Quota") {
        format!(
            "{what}: the browser's storage for this site is full. Delete or export old runs; the \
             runs shown stay in this tab until it is closed"
        )
    } else {
        format!("{what}: {text}")
    }
}

async fn open() -> Result<Database, String> {
    crate::idb_open::open(DB, VERSION, STORE, "the run log could not be opened", explain).await
}

/// Every run in the log, oldest first; runs that no longer read (from a newer version, or
/// damaged) are skipped and counted.
pub async fn all() -> Result<(Vec<Run>, usize), String> {
    let db = open().await?;
    let tx = db.transaction(&[STORE], TransactionMode::ReadOnly).map_err(|e| explain("the run log", e))?;
    let store = tx.object_store(STORE).map_err(|e| explain("the run log", e))?;
    let values = store
        .get_all(None, None)
        .map_err(|e| explain("the run log could not be read", e))?
        .await
        .map_err(|e| explain("the run log could not be read", e))?;
    let mut runs = Vec::with_capacity(values.len());
    let mut unreadable = 0;
    for v in values {
        match v.as_string().and_then(|t| serde_json::from_str::<Run>(&t).ok()) {
            Some(r) => runs.push(r),
            None => unreadable += 1,
        }
    }
    runs.sort_by(|a, b| a.started_ms.cmp(&b.started_ms).then_with(|| a.id.cmp(&b.id)));
    Ok((runs, unreadable))
}

/// Writes `runs` (new or updated) in one transaction: all are kept or none.
pub async fn put(runs: &[Run]) -> Result<(), String> {
    let what = if runs.len() == 1 {
        format!("run {} was not saved", runs[0].id)
    } else {
        format!("{} runs were not saved", runs.len())
    };
    let db = open().await?;
    let tx = db.transaction(&[STORE], TransactionMode::ReadWrite).map_err(|e| explain(&what, e))?;
    let store = tx.object_store(STORE).map_err(|e| explain(&what, e))?;
    for run in runs {
        let text = serde_json::to_string(run).map_err(|e| explain(&what, e))?;
        store
            .put(&JsValue::from_str(&text), Some(&JsValue::from_str(&run.id)))
            .map_err(|e| explain(&what, e))?;
    }
    committed(tx).await.map_err(|e| explain(&what, e))
}

/// Deletes the runs `ids`, in one transaction.
pub async fn delete(ids: &[String]) -> Result<(), String> {
    let what = "the runs were not deleted";
    let db = open().await?;
    let tx = db.transaction(&[STORE], TransactionMode::ReadWrite).map_err(|e| explain(what, e))?;
    let store = tx.object_store(STORE).map_err(|e| explain(what, e))?;
    for id in ids {
        store.delete(JsValue::from_str(id)).map_err(|e| explain(what, e))?;
    }
    committed(tx).await.map_err(|e| explain(what, e))
}

/// Waits for the transaction; an abort (the quota, above all) is an error, never silent. The
/// error is the raw reason: each store words it for its page (`explain`). Shared with `keep.rs`.
pub(crate) async fn committed(tx: idb::Transaction) -> Result<(), String> {
    match tx.await {
        Ok(TransactionResult::Committed) => Ok(()),
        // The abort's reason is not handed on here; a full quota is by far the likeliest.
        Ok(TransactionResult::Aborted) => Err("the browser aborted the write (QuotaExceeded?)".into()),
        Err(e) => Err(e.to_string()),
    }
}
