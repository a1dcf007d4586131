//! Opening one of the app's IndexedDB databases (the kept dataset, the run log, the column
//! mappings, the environment layers): each holds one object store, made the first time the
//! database is opened. Each caller words its own errors (`explain(what, error)`).

use idb::{Database, DatabaseEvent, Factory, ObjectStoreParams};

/// Opens database `name` at `version` with its one object store `store`; `what` names the
/// database for an error that happens while opening it.
pub async fn open(
    name: &str,
    version: u32,
    store: &'static str,
    what: &str,
    explain: impl Fn(&str, String) -> String,
) -> Result<Database, String> {
    let factory = Factory::new().map_err(|e| explain("this browser offers no IndexedDB", e.to_string()))?;
    let mut request = factory.open(name, Some(version)).map_err(|e| explain(what, e.to_string()))?;
    request.on_upgrade_needed(move |event| {
        if let Ok(db) = event.database() {
            if !db.store_names().iter().any(|s| s == store) {
                let _ = db.create_object_store(store, ObjectStoreParams::new());
            }
        }
    });
    request.await.map_err(|e| explain(what, e.to_string()))
}
