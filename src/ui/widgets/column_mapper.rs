//! The column mapper: each of a file's columns with a few of its values and the role it was read
//! as (or guessed); the user picks roles and the file loads again with them. Shown under a load
//! that failed for want of a date, type or coordinates (at most three choices for any crime
//! file), and under the report's "Read as" by *Change columns…* (another type column, the
//! occurrence date rather than the report's). The choice can be saved as the
//! `--columns mapping.json` the command line takes; what happens with it is `state::Columns`'.

use std::collections::BTreeMap;

use leptos::html;
use leptos::prelude::*;
use patroliq_core::load::layout::{Mapping, Preview, Role};

use crate::download::save_text;
use crate::state::{Columns, Target};

/// Every role, in the order a user thinks of them: the three a crime file needs first.
const ORDER: [Role; 23] = [
    Role::Date,
    Role::Time,
    Role::Type,
    Role::Latitude,
    Role::Longitude,
    Role::Point,
    Role::Description,
    Role::Code,
    Role::FbiCode,
    Role::Block,
    Role::LocationDescription,
    Role::Id,
    Role::CaseNumber,
    Role::District,
    Role::Beat,
    Role::Ward,
    Role::CommunityArea,
    Role::Arrest,
    Role::Status,
    Role::Domestic,
    Role::X,
    Role::Y,
    Role::UpdatedOn,
];

fn label(r: Role) -> &'static str {
    match r {
        Role::Date => "date (and time)",
        Role::Time => "time of day",
        Role::Type => "crime type",
        Role::Latitude => "latitude",
        Role::Longitude => "longitude",
        Role::Point => "point (lat, lon)",
        Role::Description => "description",
        Role::Code => "offence code",
        Role::FbiCode => "FBI code",
        Role::Block => "address / block",
        Role::LocationDescription => "kind of place",
        Role::Id => "record ID",
        Role::CaseNumber => "case number",
        Role::District => "district",
        Role::Beat => "beat",
        Role::Ward => "ward",
        Role::CommunityArea => "community area",
        Role::Arrest => "arrest",
        Role::Status => "case status",
        Role::Domestic => "domestic",
        Role::X => "X (state plane)",
        Role::Y => "Y (state plane)",
        Role::UpdatedOn => "updated on",
    }
}

/// Columns drawn at most: a hostile header of a hundred thousand names must not freeze the tab
/// (every crime export seen has under 60).
const MAX_COLUMNS: usize = 300;

/// The element ids of one mapper: the failed load's keeps the ones it always had, the loaded
/// file's has its own (both may be on the page at once for a moment).
struct Ids {
    section: &'static str,
    table: &'static str,
    missing: &'static str,
    load: &'static str,
    save: &'static str,
}

const FAILED: Ids = Ids {
    section: "column-mapper",
    table: "mapper-table",
    missing: "mapper-missing",
    load: "mapper-load",
    save: "mapper-save",
};
const LOADED: Ids = Ids {
    section: "column-changer",
    table: "changer-table",
    missing: "changer-missing",
    load: "changer-load",
    save: "changer-save",
};

#[component]
pub fn ColumnMapper(preview: Preview, target: Target) -> impl IntoView {
    let columns = expect_context::<Columns>();
    let ids = match target {
        Target::Failed => FAILED,
        Target::Loaded => LOADED,
    };
    // Column → role, from the roles the state started it with.
    let start: BTreeMap<String, Role> = preview.roles.iter().map(|(r, c)| (c.clone(), *r)).collect();
    let initial = start.clone();
    let chosen = RwSignal::new(start);
    let mapping = move || Mapping {
        columns: chosen.with(|c| c.iter().map(|(col, r)| (*r, col.clone())).collect()),
        crs: None,
    };
    let missing = move || mapping().missing();
    // A change of columns with nothing changed would only read the file again.
    let unchanged = move || target == Target::Loaded && chosen.with(|c| *c == initial);
    let on_load = move |_| columns.load_with(target, mapping());
    let on_save = move |_| {
        let text = serde_json::to_string_pretty(&mapping()).unwrap_or_default();
        if let Err(e) = save_text("mapping.json", "application/json", &text) {
            leptos::logging::error!("download failed: {e:?}");
        }
    };
    let shown = preview.headers.len().min(MAX_COLUMNS);
    let rows = preview.headers[..shown]
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let samples: Vec<String> =
                preview.samples.iter().filter_map(|r| r.get(i).cloned()).filter(|v| !v.is_empty()).collect();
            let col = h.clone();
            let col_for_change = h.clone();
            let current = move || chosen.with(|c| c.get(&col).map_or(String::new(), |r| r.key().to_owned()));
            let on_change = move |ev: leptos::ev::Event| {
                let v = event_target_value(&ev);
                chosen.update(|c| match ORDER.iter().copied().find(|r| r.key() == v) {
                    Some(r) => {
                        // One column per role: the column that had it gives it up.
                        c.retain(|_, x| *x != r);
                        c.insert(col_for_change.clone(), r);
                    }
                    None => {
                        c.remove(&col_for_change);
                    }
                });
            };
            let name = if h.is_empty() { "(unnamed)".to_owned() } else { h.clone() };
            // A mapping names columns, and a name written twice (Excel's duplicated header) is
            // read as its first column: the second gets no choice of its own.
            let twin = preview.headers[..i].iter().position(|x| x == h);
            let note = twin.map(|j| format!(" (same name as column {}: only that one can be chosen)", j + 1));
            view! {
                <tr data-column=h.clone() data-twin=twin.map(|j| (j + 1).to_string())>
                    <th scope="row">{name.clone()}<span class="muted">{note}</span></th>
                    <td class="samples">{samples.join(" · ")}</td>
                    <td>
                        <select
                            aria-label=format!("Role of column {name}")
                            disabled=twin.is_some()
                            prop:value=move || if twin.is_some() { String::new() } else { current() }
                            on:change=on_change
                        >
                            <option value="">"—"</option>
                            {ORDER.iter().map(|r| view! { <option value=r.key()>{label(*r)}</option> }).collect_view()}
                        </select>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let more = (preview.headers.len() > shown).then(|| {
        view! {
            <p class="muted">
                {format!("The first {shown} of {} columns are shown.", preview.headers.len())}
            </p>
        }
    });
    let (title, intro) = match target {
        Target::Failed => (
            "Which column is which?",
            "Choose the columns PatrolIQ could not find. Once the file loads, the choice is remembered \
             on this device for this file and files with these columns, and can be saved for the \
             command line (--columns mapping.json).",
        ),
        Target::Loaded => (
            "Change columns",
            "Each column with its first values and what it was read as. Choose other roles (another \
             crime-type column, the date of the incident rather than of the report) and load again: \
             the data loaded now stays until the new load is whole, and stays if it fails. The choice \
             is remembered on this device for this file and files with these columns.",
        ),
    };
    // Keyboard and screen-reader users land on the mapper it opens (Change columns…).
    let heading = NodeRef::<html::H3>::new();
    if target == Target::Loaded {
        Effect::new(move |_| {
            if let Some(h) = heading.get() {
                let _ = h.focus();
            }
        });
    }
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if target == Target::Loaded && ev.key() == "Escape" {
            columns.close();
        }
    };
    view! {
        <section class="column-mapper" id=ids.section aria-labelledby=format!("{}-title", ids.section) on:keydown=on_key>
            <h3 id=format!("{}-title", ids.section) tabindex="-1" node_ref=heading>{title}</h3>
            <p class="muted">{intro}</p>
            <div class="table-scroll">
                <table id=ids.table>
                    <thead><tr><th>"Column"</th><th>"First values"</th><th>"Holds"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {more}
            <p class="form-error" id=ids.missing role="status">
                {move || {
                    let m = missing();
                    if m.is_empty() { String::new() } else { format!("Still needed: {}.", m.join(", ")) }
                }}
            </p>
            <div class="actions">
                <button class="btn primary" id=ids.load disabled=move || !missing().is_empty() || unchanged() on:click=on_load>
                    {match target {
                        Target::Failed => "Load with these columns",
                        Target::Loaded => "Load again with these columns",
                    }}
                </button>
                <button class="btn" id=ids.save on:click=on_save>"Save mapping.json"</button>
                {(target == Target::Loaded).then(|| view! {
                    <button class="btn ghost" id="changer-cancel" on:click=move |_| columns.close()>"Cancel"</button>
                })}
            </div>
        </section>
    }
}
