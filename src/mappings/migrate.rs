//! The mappings earlier versions remembered in localStorage (`patroliq.columns`: one JSON object
//! of `name:…` and `header:…` keys, the same keys as here), moved to IndexedDB once: copied in
//! one transaction, then removed from localStorage only once the copy is committed, so a failed
//! copy is tried again on the next open and nothing is lost.

use std::collections::BTreeMap;

use idb::Database;
use patroliq_core::load::layout::Mapping;

const OLD_KEY: &str = "patroliq.columns";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Moves what localStorage holds, if anything. Never fails the caller: a mapping that cannot be
/// moved is only a question the mapper asks again.
pub(super) async fn from_local_storage(db: &Database) {
    let Some(storage) = local_storage() else { return };
    let Some(text) = storage.get_item(OLD_KEY).ok().flatten() else { return };
    // Entries that do not read (edited by hand, damaged) are dropped; the rest are kept.
    let entries: BTreeMap<String, Mapping> =
        serde_json::from_str::<BTreeMap<String, serde_json::Value>>(&text)
            .unwrap_or_default()
            .into_iter()
            .filter(|(k, _)| k.starts_with("name:") || k.starts_with("header:"))
            .filter_map(|(k, v)| Some((k, serde_json::from_value(v).ok()?)))
            .collect();
    match super::put_all(db, &entries).await {
        Ok(()) => {
            let _ = storage.remove_item(OLD_KEY);
        }
        Err(e) => leptos::logging::warn!("column mappings stay in localStorage for now: {e}"),
    }
}
