//! The question asked before the loaded dataset is replaced (`state::Replacing`): a modal dialog
//! the keyboard answers (Tab between the buttons, Enter, Escape keeps what is loaded); the safe
//! answer has the focus.

use leptos::html::Dialog;
use leptos::prelude::*;

use crate::state::Data;

#[component]
pub fn ReplaceDialog() -> impl IntoView {
    let data = expect_context::<Data>();
    let asking = data.replacing.asking;
    let node = NodeRef::<Dialog>::new();
    let keep_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        let open = asking.with(Option::is_some);
        let Some(d) = node.get() else { return };
        if open && !d.open() {
            let _ = d.show_modal();
            if let Some(b) = keep_button.get() {
                let _ = b.focus();
            }
        } else if !open && d.open() {
            d.close();
        }
    });
    let text = move |f: fn(&crate::state::Question) -> String| {
        move || asking.with(|q| q.as_ref().map(f).unwrap_or_default())
    };
    view! {
        <dialog class="replace-dialog" id="replace-dialog" node_ref=node aria-labelledby="replace-title"
            aria-describedby="replace-detail"
            // Escape: the browser closes the dialog; the answer is "keep".
            on:cancel=move |_: web_sys::Event| data.replacing.keep()>
            <h2 id="replace-title">{text(|q| q.title.clone())}</h2>
            <p id="replace-detail">{text(|q| q.detail.clone())}</p>
            <div class="dialog-actions">
                <button class="btn" id="replace-no" node_ref=keep_button on:click=move |_| data.replacing.keep()>
                    {text(|q| q.keep.clone())}
                </button>
                <button class="btn primary" id="replace-yes" on:click=move |_| data.confirm_replace()>
                    {text(|q| q.replace.clone())}
                </button>
            </div>
        </dialog>
    }
}
