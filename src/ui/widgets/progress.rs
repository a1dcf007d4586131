//! Progress bars with their Cancel buttons: of a running load, and of a page's long analysis.

use leptos::prelude::*;

use crate::protocol::Stage;
use crate::state::{Data, Slot};
use crate::ui::widgets::format::{count, megabytes};

#[component]
pub fn LoadProgress() -> impl IntoView {
    let data = expect_context::<Data>();
    move || {
        data.running.get().map(|r| {
            let share = match (r.stage.clone(), r.total_bytes) {
                (Stage::Summarising, _) => Some(1.0),
                (_, Some(t)) if t > 0 => Some((r.bytes as f64 / t as f64).min(1.0)),
                _ => None,
            };
            let what = match r.stage {
                Stage::Reading => "Reading",
                Stage::Decoding => "Decoding",
                Stage::Summarising => "Summarising",
            };
            let detail = match (r.stage.clone(), r.total_bytes) {
                (Stage::Decoding, Some(t)) => format!("{} of {} rows", count(r.bytes), count(t)),
                (_, Some(t)) => {
                    format!("{} of {} · {} rows", megabytes(r.bytes), megabytes(t), count(r.rows))
                }
                _ => format!("{} · {} rows", megabytes(r.bytes), count(r.rows)),
            };
            let pct = share.map(|s| format!("{:.0}", s * 100.0));
            view! {
                <section class="card progress-card" id="progress" aria-live="polite">
                    <div class="progress-head">
                        <span><strong>{what}</strong>" "{r.label.clone()}</span>
                        <button class="btn" id="cancel-load" on:click=move |_| data.cancel()>"Cancel"</button>
                    </div>
                    <progress max="100" value=pct.clone() aria-label="Loading progress"></progress>
                    <div class="muted">{detail}{pct.map(|p| format!(" · {p} %"))}</div>
                </section>
            }
        })
    }
}

/// The progress bar of a page's long analysis, with Cancel (which replaces the worker).
pub fn task_progress<T: Send + Sync + 'static>(
    slot: Slot<T>,
    id: &'static str,
    what: &'static str,
) -> impl IntoView {
    let data = expect_context::<Data>();
    move || {
        slot.running.get().map(|(_, done, _)| {
            view! {
                <div class="progress-card" id=id>
                    <div class="progress-head">
                        <span>{format!("{what}… {:.0} %", done * 100.0)}</span>
                        <button class="btn ghost" id=format!("{id}-cancel") on:click=move |_| data.cancel_task()>
                            "Cancel"
                        </button>
                    </div>
                    <progress max="1" value=done></progress>
                </div>
            }
        })
    }
}

/// The error banner of a page's long analysis.
pub fn task_error<T: Send + Sync + 'static>(
    slot: Slot<T>,
    id: &'static str,
    what: &'static str,
) -> impl IntoView {
    move || {
        slot.error.get().map(|e| {
            view! { <div class="banner error" id=id role="alert">{format!("{what} failed: {e}")}</div> }
        })
    }
}
