//! Offline use: registers the service worker (`sw.js`, next to index.html), which keeps the app's
//! files so that it opens and works with no network after the first visit. The data never goes
//! through it: files are read from disk, and the worker caches only the site's own files.

use wasm_bindgen_futures::JsFuture;

pub fn register() {
    let Some(window) = web_sys::window() else { return };
    // Service workers need a secure context (https, or localhost / 127.0.0.1).
    if !window.is_secure_context() {
        return;
    }
    let container = window.navigator().service_worker();
    let promise = container.register("./sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = JsFuture::from(promise).await {
            leptos::logging::warn!("offline use is not available: {e:?}");
        }
    });
}
