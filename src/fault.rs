//! A panic on the UI thread: said in the page with a way back, never a silently dead tab.
//!
//! After a panic the WebAssembly instance may be in any state, so the notice is plain DOM built by
//! hand (no Leptos), and the way back is a reload. The experiment log is safe: IndexedDB writes
//! are whole transactions, and nothing is written while the notice shows. (A panic in the worker
//! is handled by the bridge: the worker is restarted and the dataset reloaded.)

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Installs the hook: the browser console gets the panic as before, the page gets the notice.
pub fn catch_panics() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let message = match info.payload().downcast_ref::<&str>() {
            Some(s) => s.to_string(),
            None => {
                info.payload().downcast_ref::<String>().cloned().unwrap_or_else(|| "unknown error".into())
            }
        };
        let at = info.location().map(|l| format!(" ({}:{})", l.file(), l.line())).unwrap_or_default();
        show(&format!("{message}{at}"));
    }));
}

fn show(detail: &str) -> Option<()> {
    let document = web_sys::window()?.document()?;
    if document.get_element_by_id("fault").is_some() {
        return Some(());
    }
    let el = |tag: &str| document.create_element(tag).ok();
    let overlay = el("div")?;
    overlay.set_id("fault");
    overlay.set_attribute("role", "alertdialog").ok()?;
    overlay.set_attribute("aria-labelledby", "fault-title").ok()?;
    let card = el("div")?;
    card.set_class_name("fault-card");
    let title = el("h2")?;
    title.set_id("fault-title");
    title.set_text_content(Some("PatrolIQ stopped because of an internal error"));
    let text = el("p")?;
    text.set_text_content(Some(
        "Your experiment log is safe in this browser, and nothing was sent anywhere. Reload the page \
         to carry on; a file you had loaded needs to be loaded again.",
    ));
    // Text, never HTML: the message may quote data.
    let code = el("pre")?;
    code.set_id("fault-detail");
    code.set_text_content(Some(detail));
    let button: web_sys::HtmlElement = el("button")?.dyn_into().ok()?;
    button.set_id("fault-reload");
    button.set_class_name("btn primary");
    button.set_text_content(Some("Reload PatrolIQ"));
    let reload = Closure::<dyn FnMut()>::new(|| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    });
    button.set_onclick(Some(reload.as_ref().unchecked_ref()));
    reload.forget();
    for child in [&title, &text, &code, button.as_ref()] {
        card.append_child(child).ok()?;
    }
    overlay.append_child(&card).ok()?;
    document.body()?.append_child(&overlay).ok()?;
    Some(())
}

/// Panics on purpose: the end-to-end test of the notice calls it (`window.wasmBindings`).
#[wasm_bindgen]
pub fn patroliq_test_panic() {
    panic!("a test of the panic notice");
}
