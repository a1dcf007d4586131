//! What every page's parameter form shares: number fields bound to text signals (the value is
//! kept as typed, so a half-typed number is not lost), and parsing with a message naming the field.

use leptos::prelude::*;

/// The number typed in `v`, or "WHAT: not a number".
pub fn num<T: std::str::FromStr>(v: RwSignal<String>, what: &str) -> Result<T, String> {
    v.get_untracked().trim().parse().map_err(|_| format!("{what}: not a number"))
}

/// A labelled number input bound to `value`; `unit` under it, `placeholder` inside it when empty.
pub fn number_field(
    id: &'static str,
    label: &'static str,
    unit: &'static str,
    placeholder: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <input
                type="number"
                id=id
                placeholder=placeholder
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            // Always there, empty or not: it keeps the fields of a row aligned.
            <span class="unit">{unit}</span>
        </label>
    }
}
