//! *Change columns…* under the report's "Read as": the column mapper opened on the file loaded
//! now, with the roles it was read as, for an analyst who wants another column in a role (the
//! detailed offence rather than its category). Only where a file's columns can be chosen.

use leptos::html;
use leptos::prelude::*;

use crate::state::{Columns, Target};
use crate::ui::widgets::column_mapper::ColumnMapper;

#[component]
pub fn ChangeColumns() -> impl IntoView {
    let columns = expect_context::<Columns>();
    let button = NodeRef::<html::Button>::new();
    // Focus goes back to the button the mapper was opened with when it closes (Cancel, Escape).
    Effect::new(move |was_open: Option<bool>| {
        let open = columns.changing.get();
        if was_open == Some(true) && !open {
            if let Some(b) = button.get_untracked() {
                let _ = b.focus();
            }
        }
        open
    });
    let toggle = move |_| if columns.changing.get_untracked() { columns.close() } else { columns.open() };
    move || {
        let preview = columns.loaded_preview()?;
        Some(view! {
            <div class="change-columns">
                <button
                    class="btn"
                    id="change-columns"
                    node_ref=button
                    aria-expanded=move || columns.changing.get().to_string()
                    aria-controls="column-changer"
                    on:click=toggle
                >
                    "Change columns…"
                </button>
                <span class="muted" id="change-columns-status" role="status">
                    {move || columns.reading_again().then_some(" Reading the file again with your columns…")}
                </span>
                {move || {
                    columns
                        .changing
                        .get()
                        .then(|| view! { <ColumnMapper preview=(*preview).clone() target=Target::Loaded/> })
                }}
            </div>
        })
    }
}
