//! How each forecast did on the last same shifts, under the briefing's track-record line: the
//! analyst sees why tonight's hotspots come from the method they come from (and, with
//! environment layers, how the risk terrain fared against counting).

use leptos::prelude::*;
use patroliq_core::briefing::track_record::TrackRecord;

use super::format::percent;

/// A folded table of the candidates, best first, the chosen one marked.
#[component]
pub fn Candidates(record: TrackRecord) -> impl IntoView {
    let chosen = record.method;
    let rows = record
        .candidates
        .iter()
        .map(|c| {
            let is = c.method == chosen;
            view! {
                <tr data-method=c.method.key() class:chosen=is>
                    <td>{c.method.label()}{is.then_some(" (tonight's)")}</td>
                    <td class="num">{percent(c.hit_rate)}</td>
                    <td class="num">{format!("{:.2}", c.pai)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <details class="candidates" id="home-candidates">
            <summary>{format!("The {} forecasts on the last {} shifts", record.candidates.len(), record.shifts)}</summary>
            <table class="table">
                <thead><tr>
                    <th>"Forecast"</th>
                    <th class="num">{format!("Incidents caught in {}", percent(record.area))}</th>
                    <th class="num">"PAI"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </details>
    }
}
