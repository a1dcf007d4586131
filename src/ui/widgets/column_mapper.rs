//! The column mapper: when a file's date, type or coordinates could not be found, each of its
//! columns is shown with a few of its values and the role PatrolIQ guessed; the user picks the
//! missing roles (at most three choices for any crime file) and the file loads again with them.
//! The choice is remembered for files of the same header, and can be saved as the
//! `--columns mapping.json` the command line takes.

use std::collections::BTreeMap;

use leptos::prelude::*;
use patroliq_core::load::layout::{Mapping, Preview, Role};

use crate::download::save_text;
use crate::state::columns_for_header;
use crate::state::Data;

/// The roles offered, in the order a user thinks of them.
const CHOICES: [(Role, &str); 12] = [
    (Role::Date, "date (and time)"),
    (Role::Time, "time of day"),
    (Role::Type, "crime type"),
    (Role::Latitude, "latitude"),
    (Role::Longitude, "longitude"),
    (Role::Point, "point (lat, lon)"),
    (Role::Description, "description"),
    (Role::Block, "address / block"),
    (Role::Id, "record ID"),
    (Role::District, "district"),
    (Role::Beat, "beat"),
    (Role::Arrest, "arrest"),
];

#[component]
pub fn ColumnMapper(preview: Preview) -> impl IntoView {
    let data = expect_context::<Data>();
    let headers = preview.headers.clone();
    // Column → role: what was guessed, then what this header was mapped to before.
    let mut start: BTreeMap<String, Role> = preview.roles.iter().map(|(r, c)| (c.clone(), *r)).collect();
    if let Some(m) = columns_for_header(&headers) {
        start.extend(m.columns.into_iter().map(|(r, c)| (c, r)));
    }
    let chosen = RwSignal::new(start);
    let mapping = move || Mapping {
        columns: chosen.with(|c| c.iter().map(|(col, r)| (*r, col.clone())).collect()),
        crs: None,
    };
    let missing = move || {
        let m = mapping();
        let has = |r: Role| m.columns.contains_key(&r);
        let mut out = Vec::new();
        if !has(Role::Date) {
            out.push("a date");
        }
        if !has(Role::Type) {
            out.push("a crime type");
        }
        if !(has(Role::Point) || (has(Role::Latitude) && has(Role::Longitude))) {
            out.push("latitude and longitude (or a point)");
        }
        out
    };
    let load_headers = headers.clone();
    let on_load = move |_| data.load_with_columns(mapping(), &load_headers);
    let on_save = move |_| {
        let text = serde_json::to_string_pretty(&mapping()).unwrap_or_default();
        if let Err(e) = save_text("mapping.json", "application/json", &text) {
            leptos::logging::error!("download failed: {e:?}");
        }
    };
    let rows = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let samples: Vec<String> = preview.samples.iter().filter_map(|r| r.get(i).cloned()).filter(|v| !v.is_empty()).collect();
            let col = h.clone();
            let col_for_change = h.clone();
            let current = move || chosen.with(|c| c.get(&col).map_or(String::new(), |r| r.key().to_owned()));
            let on_change = move |ev: leptos::ev::Event| {
                let v = event_target_value(&ev);
                chosen.update(|c| {
                    let role = CHOICES.iter().map(|(r, _)| *r).find(|r| r.key() == v);
                    match role {
                        Some(r) => {
                            // One column per role.
                            c.retain(|_, x| *x != r);
                            c.insert(col_for_change.clone(), r);
                        }
                        None => {
                            c.remove(&col_for_change);
                        }
                    }
                });
            };
            view! {
                <tr data-column=h.clone()>
                    <th scope="row">{if h.is_empty() { "(unnamed)".to_owned() } else { h.clone() }}</th>
                    <td class="samples">{samples.join(" · ")}</td>
                    <td>
                        <select aria-label=format!("Role of column {h}") prop:value=current on:change=on_change>
                            <option value="">"—"</option>
                            {CHOICES.iter().map(|(r, label)| view! { <option value=r.key()>{*label}</option> }).collect_view()}
                        </select>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="column-mapper" id="column-mapper">
            <h3>"Which column is which?"</h3>
            <p class="muted">
                "Choose the columns PatrolIQ could not find. The choice is remembered for files with these \
                 columns in this browser, and can be saved for the command line (--columns mapping.json)."
            </p>
            <div class="table-scroll">
                <table id="mapper-table">
                    <thead><tr><th>"Column"</th><th>"First values"</th><th>"Holds"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p class="form-error" id="mapper-missing">
                {move || {
                    let m = missing();
                    if m.is_empty() { String::new() } else { format!("Still needed: {}.", m.join(", ")) }
                }}
            </p>
            <div class="actions">
                <button class="btn primary" id="mapper-load" disabled=move || !missing().is_empty() on:click=on_load>
                    "Load with these columns"
                </button>
                <button class="btn" id="mapper-save" on:click=on_save>"Save mapping.json"</button>
            </div>
        </section>
    }
}
