//! The loaded dataset kept on this device, in IndexedDB (database `patroliq-data`, store `kept`,
//! one record): where it came from and, for a file, the file's own bytes (a `File` is stored as
//! the browser's blob, not copied through WebAssembly memory). It never leaves the device; a
//! reload reads the file again from here, as if it were picked again. The file's bytes rather
//! than the parsed columns: they are what the loaders already read (no second format to keep in
//! step with the table), the gzip sample's 28 MB against ≈ 50 MB of columns (≈ 100 B a row), and
//! they restore the 500,000-row sample in about 4 s (measured 3.5–3.9 s from the reload to the
//! restored dataset, 2.7 s for its first load; 2 shared cores). A copy of the columns was not
//! built to compare.

use idb::{Database, TransactionMode};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::File;

use crate::protocol::Source;

const DB: &str = "patroliq-data";
const STORE: &str = "kept";
const KEY: &str = "dataset";
const VERSION: u32 = 1;

/// What is kept beside the bytes: enough to say what will be restored before reading it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptMeta {
    pub source: Source,
    /// Rows kept by the cleaning when it was loaded.
    pub rows: u64,
    /// The first and last incident's dates (`YYYY-MM-DD`).
    pub first: Option<String>,
    pub last: Option<String>,
    pub saved_ms: f64,
    /// The load filter the rows were kept with (“Load only…”), restored with them.
    #[serde(default)]
    pub only: patroliq_core::LoadFilter,
}

fn megabytes(bytes: f64) -> String {
    format!("{:.0} MB", (bytes / 1e6).ceil())
}

/// Why the dataset could not be kept or read, in words for the page.
fn explain(what: &str, e: impl std::fmt::Display) -> String {
    let text = e.to_string();
    if text.contains("Quota") {
        format!(
            "{what}: the browser's storage for this site is full. It stays loaded until this tab is \
             closed or reloaded; free space (Experiments: delete old runs) or load it again then"
        )
    } else {
        format!("{what}: {text}")
    }
}

async fn open() -> Result<Database, String> {
    crate::idb_open::open(DB, VERSION, STORE, "the data kept on this device could not be opened", explain)
        .await
}

/// The free space the browser grants this site, if it says.
async fn free_bytes() -> Option<f64> {
    let storage = js_sys::Reflect::get(&web_sys::window()?.navigator(), &"storage".into()).ok()?;
    let estimate =
        js_sys::Reflect::get(&storage, &"estimate".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    let promise = estimate.call0(&storage).ok()?.dyn_into::<js_sys::Promise>().ok()?;
    let e = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    let get = |k: &str| js_sys::Reflect::get(&e, &k.into()).ok().and_then(|v| v.as_f64());
    Some(get("quota")? - get("usage").unwrap_or(0.0))
}

/// Asks the browser not to evict the site's storage under pressure (it may say no; nothing
/// depends on it).
fn ask_persistent() {
    let Some(w) = web_sys::window() else { return };
    let Ok(storage) = js_sys::Reflect::get(&w.navigator(), &"storage".into()) else { return };
    if let Ok(f) = js_sys::Reflect::get(&storage, &"persist".into()) {
        if let Ok(f) = f.dyn_into::<js_sys::Function>() {
            let _ = f.call0(&storage);
        }
    }
}

/// Keeps `meta` and `file` (a file's bytes; `None` for a source that can be asked again) in
/// place of what was kept. Checks the space first, so that a full quota is said in numbers.
pub async fn put(meta: &KeptMeta, file: Option<&File>) -> Result<(), String> {
    let name = match &meta.source {
        Source::File { name, .. } => name.clone(),
        _ => "the dataset".into(),
    };
    let what = format!("{name} is not kept on this device");
    if let (Some(f), Some(free)) = (file, free_bytes().await) {
        if f.size() > free {
            return Err(format!(
                "{what}: it needs {} and the browser grants this site {} more. It stays loaded until \
                 this tab is closed or reloaded",
                megabytes(f.size()),
                megabytes(free.max(0.0))
            ));
        }
    }
    ask_persistent();
    let record = js_sys::Object::new();
    let text = serde_json::to_string(meta).map_err(|e| explain(&what, e))?;
    let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&record, &k.into(), v).map(|_| ());
    set("meta", &JsValue::from_str(&text)).map_err(|e| explain(&what, format!("{e:?}")))?;
    set("file", file.map_or(&JsValue::NULL, |f| f.as_ref())).map_err(|e| explain(&what, format!("{e:?}")))?;
    let db = open().await?;
    let tx = db.transaction(&[STORE], TransactionMode::ReadWrite).map_err(|e| explain(&what, e))?;
    let store = tx.object_store(STORE).map_err(|e| explain(&what, e))?;
    store.put(&record, Some(&JsValue::from_str(KEY))).map_err(|e| explain(&what, e))?;
    crate::store::committed(tx).await.map_err(|e| explain(&what, e))
}

/// What is kept, with the file for a file source; `None` when nothing is. A record that no
/// longer reads (a newer version's, or damaged) is an error in words.
pub async fn get() -> Result<Option<(KeptMeta, Option<File>)>, String> {
    let what = "the data kept on this device could not be read";
    let db = open().await?;
    let tx = db.transaction(&[STORE], TransactionMode::ReadOnly).map_err(|e| explain(what, e))?;
    let store = tx.object_store(STORE).map_err(|e| explain(what, e))?;
    let Some(record) = store
        .get(JsValue::from_str(KEY))
        .map_err(|e| explain(what, e))?
        .await
        .map_err(|e| explain(what, e))?
    else {
        return Ok(None);
    };
    let meta = js_sys::Reflect::get(&record, &"meta".into())
        .ok()
        .and_then(|m| m.as_string())
        .and_then(|t| serde_json::from_str::<KeptMeta>(&t).ok())
        .ok_or_else(|| format!("{what}: its record is not one this version reads"))?;
    let file = js_sys::Reflect::get(&record, &"file".into()).ok().and_then(|f| f.dyn_into::<File>().ok());
    if matches!(meta.source, Source::File { .. }) && file.is_none() {
        return Err(format!("{what}: the file's bytes are missing (the browser may have cleared them)"));
    }
    Ok(Some((meta, file)))
}

/// Removes what is kept.
pub async fn forget() -> Result<(), String> {
    let what = "the data kept on this device could not be removed";
    let db = open().await?;
    let tx = db.transaction(&[STORE], TransactionMode::ReadWrite).map_err(|e| explain(what, e))?;
    let store = tx.object_store(STORE).map_err(|e| explain(what, e))?;
    store.delete(JsValue::from_str(KEY)).map_err(|e| explain(what, e))?;
    crate::store::committed(tx).await.map_err(|e| explain(what, e))
}
