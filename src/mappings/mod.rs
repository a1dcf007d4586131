//! Column mappings the user chose, remembered on this device in IndexedDB (database
//! `patroliq-columns`, store `mappings`): each under the file's name (`name:…`, the one thing
//! known before a file is read) and its header (`header:…`, `Mapping::header_key`: files with
//! the same columns, whatever their name), as the mapping's JSON text. A few hundred bytes each,
//! nothing of the data itself.
//!
//! A database of its own rather than a store in `patroliq-data` (`crate::keep`): adding a store
//! there means a new database version, and an upgrade waits until every other tab holding the
//! old version closes it — which this app's tabs never do —, so one old tab left open would stall
//! the restore of the kept dataset in every new one.
//!
//! Earlier versions kept the mappings in localStorage; [`migrate`] moves them here once.

mod migrate;

use std::collections::BTreeMap;

use futures::future::{select, Either};
use idb::{Database, TransactionMode};
use patroliq_core::load::layout::Mapping;
use wasm_bindgen::JsValue;

const DB: &str = "patroliq-columns";
const STORE: &str = "mappings";
const VERSION: u32 = 1;

fn name_key(name: &str) -> String {
    format!("name:{name}")
}

fn header_key(headers: &[String]) -> String {
    format!("header:{}", Mapping::header_key(headers))
}

/// Why the mappings could not be read or written, in words (for the console: nothing the user
/// does depends on them, a load goes on without).
fn explain(what: &str, e: impl std::fmt::Display) -> String {
    format!("{what}: {e}")
}

async fn open() -> Result<Database, String> {
    let what = "the remembered column mappings could not be opened";
    let db = crate::idb_open::open(DB, VERSION, STORE, what, explain).await?;
    migrate::from_local_storage(&db).await;
    Ok(db)
}

/// Writes `entries` (key → mapping) in one transaction.
async fn put_all(db: &Database, entries: &BTreeMap<String, Mapping>) -> Result<(), String> {
    let what = "the column mapping was not remembered";
    let tx = db.transaction(&[STORE], TransactionMode::ReadWrite).map_err(|e| explain(what, e))?;
    let store = tx.object_store(STORE).map_err(|e| explain(what, e))?;
    for (key, mapping) in entries {
        let text = serde_json::to_string(mapping).map_err(|e| explain(what, e))?;
        store.put(&JsValue::from_str(&text), Some(&JsValue::from_str(key))).map_err(|e| explain(what, e))?;
    }
    crate::store::committed(tx).await.map_err(|e| explain(what, e))
}

async fn get(key: String) -> Result<Option<Mapping>, String> {
    let what = "the remembered column mapping could not be read";
    let db = open().await?;
    let tx = db.transaction(&[STORE], TransactionMode::ReadOnly).map_err(|e| explain(what, e))?;
    let store = tx.object_store(STORE).map_err(|e| explain(what, e))?;
    let value = store
        .get(JsValue::from_str(&key))
        .map_err(|e| explain(what, e))?
        .await
        .map_err(|e| explain(what, e))?;
    // A record that no longer reads (damaged, or a newer version's) is as good as none.
    Ok(value.and_then(|v| v.as_string()).and_then(|t| serde_json::from_str(&t).ok()))
}

/// The mapping last used for a file of this name.
pub async fn for_name(name: &str) -> Result<Option<Mapping>, String> {
    get(name_key(name)).await
}

/// The mapping last used for a file of these columns.
pub async fn for_header(headers: &[String]) -> Result<Option<Mapping>, String> {
    get(header_key(headers)).await
}

/// Remembers `mapping` for the file `name` and for every file of its `headers`.
pub async fn remember(name: &str, headers: &[String], mapping: &Mapping) -> Result<(), String> {
    let db = open().await?;
    let entries = [(name_key(name), mapping.clone()), (header_key(headers), mapping.clone())];
    put_all(&db, &entries.into_iter().collect()).await
}

/// `lookup`, unless it takes longer than `ms` (a database held by another tab's upgrade, a
/// browser that never answers): a load waits for its mapping, and must not wait forever.
pub async fn at_most<T>(
    ms: i32,
    lookup: impl std::future::Future<Output = Result<T, String>>,
) -> Result<T, String> {
    let timer = Box::pin(wasm_bindgen_futures::JsFuture::from(js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    })));
    match select(Box::pin(lookup), timer).await {
        Either::Left((found, _)) => found,
        Either::Right(_) => Err(format!("no answer from IndexedDB within {ms} ms")),
    }
}
