//! What is loaded, on every page: the dataset's name, incidents and date range, whether it is
//! kept on this device (with *Forget it*), and, while the demo is loaded, a banner saying its
//! incidents are synthetic.

use leptos::prelude::*;

use crate::protocol::Source;
use crate::state::{Data, KeptStatus};
use crate::ui::widgets::format::count;

fn kind(source: &Source) -> &'static str {
    match source {
        Source::Demo { .. } => "demo",
        Source::File { .. } => "file",
        Source::Url { .. } => "url",
        Source::Portal(_) => "portal",
    }
}

/// The demo's banner: it goes as soon as real data is loaded.
#[component]
pub fn DemoBanner() -> impl IntoView {
    let data = expect_context::<Data>();
    move || {
        data.source.with(|s| matches!(s, Some(Source::Demo { .. }))).then(|| {
            view! {
                <div class="banner demo" id="demo-banner" role="note">
                    <div class="banner-text">
                        <strong>"Demo data: synthetic incidents, not real crimes."</strong>
                        <span class="demo-more">
                            " Shaped like Chicago 2016–2017 to show what PatrolIQ does. "
                            <a href="#overview">"Load your own data"</a>
                            " (it stays on this device)."
                        </span>
                    </div>
                </div>
            }
        })
    }
}

/// One line under the tabs: the loaded dataset, its dates, and whether it is kept here.
#[component]
pub fn DatasetLine() -> impl IntoView {
    let data = expect_context::<Data>();
    move || {
        let source = data.source.get()?;
        let (name, rows, first, last) = data.dataset.with(|d| {
            d.as_ref().map(|d| {
                let r = &d.report;
                let day =
                    |s: &Option<String>| s.as_deref().and_then(|s| s.get(..10)).unwrap_or("–").to_owned();
                (r.source.name.clone(), r.rows_clean, day(&r.date_min), day(&r.date_max))
            })
        })?;
        let status = data.kept.status.get();
        let forget = move |_| data.forget();
        let (note, can_forget, failed) = match &status {
            KeptStatus::Kept { restored: true } => ("restored from this device".to_owned(), true, false),
            KeptStatus::Kept { restored: false } => ("kept on this device".to_owned(), true, false),
            KeptStatus::Saving => ("keeping it on this device…".to_owned(), false, false),
            KeptStatus::FromLink => {
                ("opened from the link (not kept: the link loads it again)".to_owned(), false, false)
            }
            KeptStatus::Failed(m) => (m.clone(), false, true),
            KeptStatus::Nothing => (String::new(), false, false),
        };
        let restored = matches!(status, KeptStatus::Kept { restored: true });
        let demo = matches!(source, Source::Demo { .. });
        Some(view! {
            <div class="dataset-line" id="dataset-line" role="status" data-source=kind(&source)
                data-kept=match &status {
                    KeptStatus::Kept { .. } => "kept",
                    KeptStatus::Saving => "saving",
                    KeptStatus::Failed(_) => "failed",
                    KeptStatus::FromLink => "link",
                    KeptStatus::Nothing => "no",
                }>
                {restored.then(|| view! { <span class="restored" id="restored-note">
                    {match &source {
                        // Only the address was kept: the data came again from where it lives.
                        Source::Url { .. } | Source::Portal(_) => {
                            format!("Fetched {name} ({} incidents) again, as last time on this device", count(rows))
                        }
                        _ => format!("Restored {name} ({} incidents) from this device", count(rows)),
                    }}
                </span> })}
                <span class="what">
                    "Data: "
                    <strong id="dataset-line-name">{if demo { "demo (synthetic)".to_owned() } else { name.clone() }}</strong>
                    " · " <span id="dataset-line-rows">{count(rows)}</span> " incidents · "
                    <span id="dataset-line-range">{format!("{first} → {last}")}</span>
                </span>
                {(!note.is_empty() && !restored).then(|| view! {
                    <span class="kept-note" class:error=failed id="kept-note">{note.clone()}</span>
                })}
                {can_forget.then(|| view! {
                    <button class="btn ghost small" id="forget-kept" on:click=forget
                        title="Remove it from this device and load the demo data">"Forget it"</button>
                })}
            </div>
        })
    }
}
