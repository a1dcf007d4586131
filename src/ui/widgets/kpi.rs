//! A key figure: a big number with its label.

use leptos::prelude::*;
use patroliq_core::gloss::Term;

use crate::ui::widgets::gloss::Gloss;

#[component]
pub fn Kpi(
    id: &'static str,
    label: &'static str,
    value: String,
    #[prop(optional_no_strip)] note: Option<String>,
    /// The metric's plain sentence, behind a "?" beside its label.
    #[prop(optional)]
    gloss: Option<Term>,
) -> impl IntoView {
    view! {
        <div class="kpi" id=id>
            <div class="kpi-value">{value}</div>
            <div class="kpi-label">
                {label}
                {gloss.map(|t| view! { " " <Gloss term=t/> })}
                {note.map(|n| view! { <span class="kpi-note">" " {n}</span> })}
            </div>
        </div>
    }
}
