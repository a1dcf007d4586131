//! The environment layers kept on this device, in IndexedDB (database `patroliq-layers`, store
//! `layers`, one record per layer under its id): the name the user gave it and the file itself
//! (stored as the browser's blob, as `keep.rs` keeps the dataset). A reload adds them again as if
//! they were picked again; they never leave the device.

use idb::{Database, TransactionMode};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::File;

const DB: &str = "patroliq-layers";
const STORE: &str = "layers";
const VERSION: u32 = 1;

/// What is kept beside the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptLayer {
    pub id: u32,
    pub name: String,
    /// Drawn on the maps (absent in what was kept before the switch existed).
    #[serde(default)]
    pub shown: bool,
}

fn explain(what: &str, e: impl std::fmt::Display) -> String {
    let text = e.to_string();
    if text.contains("Quota") {
        format!("{what}: the browser's storage for this site is full (it stays for this tab)")
    } else {
        format!("{what}: {text}")
    }
}

async fn open() -> Result<Database, String> {
    crate::idb_open::open(DB, VERSION, STORE, "the layers kept on this device could not be opened", explain)
        .await
}

/// Keeps layer `meta` with its `file`, in place of what was kept under its id.
pub async fn put(meta: &KeptLayer, file: &File) -> Result<(), String> {
    let what = format!("the layer '{}' is not kept on this device", meta.name);
    let record = js_sys::Object::new();
    let text = serde_json::to_string(meta).map_err(|e| explain(&what, e))?;
    let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&record, &k.into(), v).map(|_| ());
    set("meta", &JsValue::from_str(&text)).map_err(|e| explain(&what, format!("{e:?}")))?;
    set("file", file.as_ref()).map_err(|e| explain(&what, format!("{e:?}")))?;
    let db = open().await?;
    let tx = db.transaction(&[STORE], TransactionMode::ReadWrite).map_err(|e| explain(&what, e))?;
    let store = tx.object_store(STORE).map_err(|e| explain(&what, e))?;
    store.put(&record, Some(&JsValue::from(meta.id))).map_err(|e| explain(&what, e))?;
    crate::store::committed(tx).await.map_err(|e| explain(&what, e))
}

/// Every kept layer with its file, in the order they were added; records that no longer read
/// are skipped.
pub async fn all() -> Result<Vec<(KeptLayer, File)>, String> {
    let what = "the layers kept on this device could not be read";
    let db = open().await?;
    let tx = db.transaction(&[STORE], TransactionMode::ReadOnly).map_err(|e| explain(what, e))?;
    let store = tx.object_store(STORE).map_err(|e| explain(what, e))?;
    let values =
        store.get_all(None, None).map_err(|e| explain(what, e))?.await.map_err(|e| explain(what, e))?;
    let mut out: Vec<(KeptLayer, File)> = values
        .iter()
        .filter_map(|record| {
            let meta = js_sys::Reflect::get(record, &"meta".into())
                .ok()?
                .as_string()
                .and_then(|t| serde_json::from_str::<KeptLayer>(&t).ok())?;
            let file = js_sys::Reflect::get(record, &"file".into()).ok()?.dyn_into::<File>().ok()?;
            Some((meta, file))
        })
        .collect();
    out.sort_by_key(|(m, _)| m.id);
    Ok(out)
}

/// Forgets layer `id`.
pub async fn delete(id: u32) -> Result<(), String> {
    let what = "the layer could not be removed from this device";
    let db = open().await?;
    let tx = db.transaction(&[STORE], TransactionMode::ReadWrite).map_err(|e| explain(what, e))?;
    let store = tx.object_store(STORE).map_err(|e| explain(what, e))?;
    store.delete(JsValue::from(id)).map_err(|e| explain(what, e))?;
    crate::store::committed(tx).await.map_err(|e| explain(what, e))
}
