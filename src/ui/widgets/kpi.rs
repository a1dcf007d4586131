//! A key figure: a big number with its label.

use leptos::prelude::*;

#[component]
pub fn Kpi(
    id: &'static str,
    label: &'static str,
    value: String,
    #[prop(optional_no_strip)] note: Option<String>,
) -> impl IntoView {
    view! {
        <div class="kpi" id=id>
            <div class="kpi-value">{value}</div>
            <div class="kpi-label">{label} {note.map(|n| view! { <span class="kpi-note">" " {n}</span> })}</div>
        </div>
    }
}
