//! Saving a file the user asked for, through a temporary object URL: nothing leaves the device.

use leptos::prelude::document;
use wasm_bindgen::{JsCast, JsValue};

/// Offers `parts` (strings or byte arrays, as a JS array) as a download named `name`.
fn save(name: &str, mime: &str, parts: &js_sys::Array) -> Result<(), JsValue> {
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(parts, &opts)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url)
}

pub fn save_text(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    save(name, mime, &js_sys::Array::of1(&text.into()))
}

/// `bytes`: a `Uint8Array` (e.g. transferred from the worker).
pub fn save_bytes(name: &str, mime: &str, bytes: &JsValue) -> Result<(), JsValue> {
    save(name, mime, &js_sys::Array::of1(bytes))
}
