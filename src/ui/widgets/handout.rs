//! The briefing as the roll-call handout: the button that prints it, and the route's stop list an
//! officer takes to the car (arrival, time at the stop, where, why). What prints and what does
//! not is style.css's `@media print`; the charts' print width is `charts::print`.

use leptos::prelude::*;
use patroliq_core::briefing::Briefing;
use patroliq_core::gloss::Term;
use patroliq_core::route::plan::clock;

use crate::ui::charts::print;
use crate::ui::widgets::gloss::Glossary;

/// "Print the briefing": one or two A4 or Letter pages.
#[component]
pub fn PrintButton() -> impl IntoView {
    view! {
        <button class="btn" id="home-print" type="button" title="One or two pages for roll call: the map, the stops, the hours and the areas to watch"
            on:click=move |_| print::print()>
            "Print the briefing"
        </button>
    }
}

/// The route's stops in order, per car: arrival and departure clock times, time at the stop,
/// the hotspot and why it is one.
#[component]
pub fn RouteStops(b: Briefing) -> impl IntoView {
    let Some(r) = b.route.clone() else { return ().into_any() };
    let dwell = r.params.dwell_min;
    let several = r.cars.len() > 1;
    let rows = r
        .cars
        .iter()
        .flat_map(|c| c.visits.iter().enumerate().map(move |(i, v)| (c.car, i, v)))
        .map(|(car, i, v)| {
            let arrive = clock(r.params.depart_min, v.eta_s);
            let leave = clock(r.params.depart_min, v.eta_s + dwell * 60.0);
            view! {
                <tr data-rank=v.rank.to_string()>
                    {several.then(|| view! { <td>{car + 1}</td> })}
                    <td>{i + 1}</td>
                    <td class="num arrive">{arrive}</td>
                    <td class="num">{if dwell > 0.0 { format!("{dwell:.0} min, to {leave}") } else { "drive by".into() }}</td>
                    <td>{format!("#{}", v.rank)}</td>
                    {crate::ui::widgets::place::place_cell(&v.place, v.lat, v.lon)}
                    <td class="why">{v.why.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h4 class="stops-title">{format!("Stops from {}, leaving at {}", r.params.start_name, clock(r.params.depart_min, 0.0))}</h4>
        <table class="data stops" id="home-stops">
            <thead><tr>
                {several.then(|| view! { <th>"Car"</th> })}
                <th>"Stop"</th><th class="num">"Arrive"</th><th class="num">"Dwell"</th><th>"Hotspot"</th><th>"Where"</th><th>"Why"</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <Glossary terms=&[Term::PerShift, Term::RiskScore, Term::SeverityWeighted, Term::GiZ]/>
    }
    .into_any()
}
