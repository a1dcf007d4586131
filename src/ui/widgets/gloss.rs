//! A "?" beside a metric that says what it means (the sentence is the core's, `gloss::Term`): it
//! opens when the "?" gets the focus (a tap, Tab) or the pointer, and closes when the focus
//! leaves or on Escape — never hover-only, as a touch screen has no hover.

use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::prelude::*;
use patroliq_core::gloss::Term;

/// Element ids unique in the page, whatever the number of "?" of one term.
static NEXT: AtomicUsize = AtomicUsize::new(0);

#[component]
pub fn Gloss(term: Term) -> impl IntoView {
    let open = RwSignal::new(false);
    let id = format!("gloss-{}-{}", term.slug(), NEXT.fetch_add(1, Ordering::Relaxed));
    view! {
        <span class="gloss" class:open=move || open.get() data-term=term.slug()>
            <button
                type="button"
                class="gloss-q"
                aria-label=format!("What is {}?", term.name())
                aria-describedby=id.clone()
                aria-expanded=move || open.get().to_string()
                on:focus=move |_| open.set(true)
                on:blur=move |_| open.set(false)
                on:click=move |_| open.set(true)
                on:keydown=move |ev: web_sys::KeyboardEvent| {
                    if ev.key() == "Escape" {
                        open.set(false);
                    }
                }
            >
                "?"
            </button>
            <span class="gloss-text" role="tooltip" id=id>
                <strong>{term.name()}</strong>
                ": "
                {term.gloss()}
            </span>
        </span>
    }
}

/// The terms a table or a figure uses, each with its "?", on one line under it.
#[component]
pub fn Glossary(terms: &'static [Term]) -> impl IntoView {
    view! {
        <p class="glossary muted">
            "Terms: "
            {terms
                .iter()
                .enumerate()
                .map(|(i, t)| view! { {(i > 0).then_some(" · ")} <span class="term">{t.name()}</span> <Gloss term=*t/> })
                .collect_view()}
        </p>
    }
}
