//! “Load only…”: a date range and crime types kept while a file, a link or the portal is read —
//! how a file larger than the tab's memory budget (the portal's whole history) still opens. The
//! rows outside are counted in the cleaning report, never stored.

use leptos::prelude::*;
use patroliq_core::LoadFilter;

use crate::state::Data;

#[component]
pub fn LoadOnly() -> impl IntoView {
    let data = expect_context::<Data>();
    let since = RwSignal::new(String::new());
    let until = RwSignal::new(String::new());
    let types = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    // Every edit is checked at once: the filter the next load uses is always the one shown.
    let apply = move || {
        // An empty types field is no type: `from_days` drops blank entries.
        let list = [types.get_untracked()];
        match LoadFilter::from_days(Some(&since.get_untracked()), Some(&until.get_untracked()), &list) {
            Ok(f) => {
                problem.set(None);
                data.only.set(f);
            }
            Err(m) => {
                problem.set(Some(format!("{m}. Until it is fixed the next load keeps every row.")));
                data.only.set(LoadFilter::default());
            }
        }
    };
    // A restored dataset brings the filter it was kept with: show it.
    Effect::new(move |_| {
        let f = data.only.get();
        if problem.with_untracked(Option::is_none) {
            since.set(f.since_day().unwrap_or_default());
            until.set(f.until_day().unwrap_or_default());
            types.set(f.types.join(", "));
        }
    });
    let known_types = move || {
        data.dataset.with(|d| {
            d.as_ref()
                .map(|d| {
                    d.report.primary_type_counts.iter().map(|t| t.primary_type.clone()).collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let summary = move || {
        let f = data.only.get();
        if f.is_everything() {
            "Load only… (every row is loaded)".to_owned()
        } else {
            format!("Load only: {}", f.describe())
        }
    };
    view! {
        <details class="load-only" id="load-only" open=move || !data.only.with(LoadFilter::is_everything)>
            <summary id="load-only-summary">{summary}</summary>
            <p class="muted">
                "For a file larger than this tab can hold (the portal's whole history: 8 million rows), "
                "or to work on one period: the next file, link or portal query keeps only these rows. "
                "The others are counted in the cleaning report, not stored."
            </p>
            <div class="load-only-fields">
                <label>
                    "From"
                    <input type="date" id="load-since" bind:value=since on:change=move |_| apply()/>
                </label>
                <label>
                    "Until"
                    <input type="date" id="load-until" bind:value=until on:change=move |_| apply()/>
                </label>
                <label class="grow">
                    "Crime types"
                    <input
                        type="text"
                        id="load-types"
                        list="load-types-known"
                        placeholder="all (or e.g. BURGLARY, THEFT)"
                        bind:value=types
                        on:change=move |_| apply()
                    />
                </label>
                <datalist id="load-types-known">
                    {move || known_types().into_iter().map(|t| view! { <option value=t/> }).collect_view()}
                </datalist>
                <button
                    class="btn ghost"
                    id="load-only-clear"
                    type="button"
                    on:click=move |_| {
                        since.set(String::new());
                        until.set(String::new());
                        types.set(String::new());
                        apply();
                    }
                >
                    "Load every row"
                </button>
            </div>
            {move || problem.get().map(|p| view! { <p class="form-error" role="alert" id="load-only-error">{p}</p> })}
        </details>
    }
}
