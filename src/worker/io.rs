//! Reading what the user picked or named: file slices, whole small files, downloads.

use js_sys::Uint8Array;
use patroliq_core::LoadError;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, Response};

use crate::js::{js_message, scope};

/// Files past this size are not station lists, boundary files or city road networks.
pub(super) const SMALL_FILE: f64 = 64.0 * 1024.0 * 1024.0;

/// Bytes `at..end` of `file`.
pub(super) async fn read_slice(file: &File, at: u64, end: u64) -> Result<Vec<u8>, LoadError> {
    read_ahead(file, at, end).await
}

/// Starts reading bytes `at..end` of `file` at once; the bytes are there when the future is
/// awaited. Started before the previous slice is parsed, the browser reads the next slice while
/// the worker parses: the 2012–2016 CSV (289 MB) loaded in 3.03 / 2.74 s, was 3.34 / 3.07
/// (Chromium, builds alternated). The Parquet reader's row groups read ahead this way were
/// slower (the read only moves on while the worker yields), so they are read synchronously.
pub(super) fn read_ahead(
    file: &File,
    at: u64,
    end: u64,
) -> impl std::future::Future<Output = Result<Vec<u8>, LoadError>> {
    let io = |e: wasm_bindgen::JsValue| LoadError::Io(js_message(&e));
    let started =
        file.slice_with_f64_and_f64(at as f64, end as f64).map(|b| JsFuture::from(b.array_buffer()));
    async move {
        let buf = started.map_err(io)?.await.map_err(io)?;
        Ok(Uint8Array::new(&buf).to_vec())
    }
}

/// The whole of a small file the user picked.
pub(super) async fn read_all(file: &File) -> Result<Vec<u8>, String> {
    let buf = JsFuture::from(file.array_buffer()).await.map_err(|e| js_message(&e))?;
    Ok(Uint8Array::new(&buf).to_vec())
}

/// "data.cityofchicago.org" of "https://data.cityofchicago.org/…": how messages name a server.
pub(super) fn host_of(url: &str) -> &str {
    url.split('/').nth(2).unwrap_or(url)
}

/// The response of a GET of `url` that succeeded, or why not in words.
pub(super) async fn request(url: &str) -> Result<Response, String> {
    let host = host_of(url);
    let resp = JsFuture::from(scope().fetch_with_str(url)).await.map_err(|_| {
        format!(
            "could not reach {host}: the network is down, or the server does not allow this page \
             to read it (CORS)"
        )
    })?;
    let resp: Response = resp.unchecked_into();
    if !resp.ok() {
        return Err(format!("{host} answered {} {}", resp.status(), resp.status_text()));
    }
    Ok(resp)
}

/// The text at `url`, refused past the small-file limit.
pub(super) async fn fetch_text(url: &str) -> Result<String, String> {
    let resp = request(url).await?;
    let host = host_of(url);
    let big = resp.headers().get("content-length").ok().flatten().and_then(|v| v.parse::<f64>().ok());
    if big.is_some_and(|n| n > SMALL_FILE) {
        return Err(format!("{host} sent a file too large for boundaries"));
    }
    let text = resp.text().map_err(|e| js_message(&e))?;
    JsFuture::from(text)
        .await
        .map_err(|e| format!("the download stopped: {}", js_message(&e)))?
        .as_string()
        .ok_or_else(|| "the answer is not text".to_string())
}
