//! A file fetched from a URL in the page, as a `File` the page then handles as a picked one (an
//! environment layer "Add from URL": kept on this device and re-sent to a new worker exactly as a
//! picked file is, which a URL fetched in the worker would not be).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, Response};

use crate::js::js_message;

/// Files past this size are no environment layer (the worker refuses them too).
const LIMIT: f64 = 64.0 * 1024.0 * 1024.0;

/// The body of `url` as a file called `name`, or why not: the message names the URL and says
/// what to do.
pub async fn fetch_file(url: &str, name: &str) -> Result<File, String> {
    let instead = "or download the file and add it with the file picker or by dropping it here";
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(format!("{url}: not a web address — give an http:// or https:// URL, {instead}"));
    }
    let window = web_sys::window().ok_or("no window")?;
    let resp = JsFuture::from(window.fetch_with_str(url)).await.map_err(|_| {
        format!(
            "{url} could not be fetched: the network is down, or its server does not let other sites \
             read it (CORS) — check the address, {instead}"
        )
    })?;
    let resp: Response = resp.unchecked_into();
    if !resp.ok() {
        return Err(format!(
            "{url} answered {} {} — check the address, {instead}",
            resp.status(),
            resp.status_text()
        ));
    }
    let blob = resp.blob().map_err(|e| format!("{url}: {}", js_message(&e)))?;
    let blob: web_sys::Blob = JsFuture::from(blob)
        .await
        .map_err(|e| format!("{url}: the download stopped ({}) — try again, {instead}", js_message(&e)))?
        .unchecked_into();
    if blob.size() > LIMIT {
        return Err(format!("{url}: too large for an environment layer (64 MB at most)"));
    }
    let parts = js_sys::Array::of1(&blob);
    let options = web_sys::FilePropertyBag::new();
    options.set_type(&blob.type_());
    File::new_with_blob_sequence_and_options(&parts, name, &options)
        .map_err(|e| format!("{url}: {}", js_message(&e)))
}
