//! A place in a table cell: its busiest block in bold, its other blocks, community area and
//! district below, the coordinates last and small (for a GPS, not for reading aloud).

use leptos::prelude::*;
use patroliq_core::place::Place;

/// The "Where" cell of a hotspot or stop at (lat, lon).
pub fn place_cell(place: &Place, lat: f64, lon: f64) -> impl IntoView {
    let (first, rest) = match place.blocks.split_first() {
        Some((f, r)) => (f.clone(), r.to_vec()),
        None => (place.community_area.clone().unwrap_or_else(|| format!("{lat:.5}, {lon:.5}")), Vec::new()),
    };
    let areas: Vec<String> =
        [place.community_area.clone(), place.district.clone()].into_iter().flatten().collect();
    let also = (!rest.is_empty())
        .then(|| view! { <span class="place-also">{format!("also {}", rest.join("; "))}</span> });
    view! {
        <td class="place" data-lat=format!("{lat:.6}") data-lon=format!("{lon:.6}")>
            <strong class="place-name">{first}</strong>
            {also}
            <span class="place-areas">{areas.join(" · ")}</span>
            <span class="place-coords">{format!("{lat:.5}, {lon:.5}")}</span>
        </td>
    }
}
