//! The filter every page honours: date range, crime types, districts, arrest, domestic, time of
//! day and weekdays,
//! with the active conditions as removable chips. Each change goes to [`AppState::set_filter`],
//! which mirrors it in the URL and asks the worker for the new analysis.

use leptos::prelude::*;
use patroliq_core::filter::{Filter, WEEKDAYS};
use wasm_bindgen::prelude::*;

use crate::state::Data;
use crate::ui::widgets::format::count;

/// "yes" / "no" / "" (any) for a select.
fn tri(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    }
}

fn parse_tri(s: &str) -> Option<bool> {
    match s {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// Adds `x` to a multiple choice (at the end, so chips keep the order of clicks) or removes it.
fn toggle<T: PartialEq>(chosen: &mut Vec<T>, x: T, on: bool) {
    chosen.retain(|c| *c != x);
    if on {
        chosen.push(x);
    }
}

/// What a multiple-choice picker shows beside its name.
fn picked(n: usize) -> String {
    if n == 0 {
        "(all)".into()
    } else {
        format!("({n} chosen)")
    }
}

#[wasm_bindgen(inline_js = "export function pad_under(el) {
  const root = document.documentElement;
  const set = () => {
    const sticky = getComputedStyle(el).position === 'sticky';
    root.style.setProperty('--filters-h', sticky ? Math.ceil(el.getBoundingClientRect().height) + 'px' : '0px');
  };
  set();
  new ResizeObserver(set).observe(el);
  window.addEventListener('resize', set);
}")]
extern "C" {
    /// Keeps `--filters-h` (style.css: the page's `scroll-padding-top`) at the height of the
    /// sticky bar `el`, 0 where it is not sticky: a chart title scrolled into view (a link, a
    /// search, `scrollIntoView`) then stops below the bar instead of under it.
    fn pad_under(el: &web_sys::HtmlElement);
}

#[component]
pub fn FilterBar() -> impl IntoView {
    let data = expect_context::<Data>();
    let update = move |change: &dyn Fn(&mut Filter)| {
        let mut f = data.filter.get_untracked();
        change(&mut f);
        data.set_filter(f);
    };
    // The choices come from the whole dataset, so a filter never hides its own options.
    let bounds = Memo::new(move |_| {
        data.dataset.with(|d| {
            d.as_ref().map(|d| {
                let day =
                    |s: &Option<String>| s.as_deref().and_then(|s| s.get(..10)).unwrap_or("").to_string();
                (day(&d.report.date_min), day(&d.report.date_max))
            })
        })
    });
    let types = Memo::new(move |_| {
        data.dataset.with(|d| {
            d.as_ref().map_or_else(Vec::new, |d| {
                d.report
                    .primary_type_counts
                    .iter()
                    .map(|t| (t.primary_type.clone(), t.count))
                    .collect::<Vec<_>>()
            })
        })
    });
    let districts = Memo::new(move |_| {
        data.dataset.with(|d| {
            d.as_ref().map_or_else(Vec::new, |d| {
                d.summary.district_codes.iter().map(|&c| (c, c.to_string())).collect()
            })
        })
    });
    let weekdays = Signal::derive(|| {
        WEEKDAYS.iter().enumerate().map(|(i, d)| (i as u8, d.to_string())).collect::<Vec<_>>()
    });

    let date_input = move |id: &'static str, label: &'static str, is_from: bool| {
        let value = move || {
            let f = data.filter.get();
            if is_from { f.from } else { f.to }.map(|d| d.to_string()).unwrap_or_default()
        };
        view! {
            <label class="field">
                <span>{label}</span>
                <input
                    type="date"
                    id=id
                    min=move || bounds.get().map(|b| b.0)
                    max=move || bounds.get().map(|b| b.1)
                    prop:value=value
                    on:change=move |ev| {
                        let d = chrono::NaiveDate::parse_from_str(&event_target_value(&ev), "%Y-%m-%d").ok();
                        update(&|f: &mut Filter| if is_from { f.from = d } else { f.to = d });
                    }
                />
            </label>
        }
    };

    let type_picker = move || {
        let chosen = move || data.filter.with(|f| f.types.len());
        view! {
            <details class="picker" id="filter-types">
                <summary>
                    "Crime types "
                    <span class="picked">
                        {move || picked(chosen())}
                    </span>
                </summary>
                <div class="options">
                    <For each=move || types.get() key=|t| t.0.clone() let:t>
                        {
                            let name = t.0.clone();
                            let checked_name = name.clone();
                            view! {
                                <label class="option">
                                    <input
                                        type="checkbox"
                                        value=name.clone()
                                        prop:checked=move || data.filter.with(|f| f.types.contains(&checked_name))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            update(&|f: &mut Filter| toggle(&mut f.types, name.clone(), on));
                                        }
                                    />
                                    <span class="option-name">{t.0.clone()}</span>
                                    <span class="option-count">{count(t.1)}</span>
                                </label>
                            }
                        }
                    </For>
                </div>
            </details>
        }
    };

    // A multiple choice of codes (districts, weekdays) kept sorted in one field of the filter.
    let code_picker = move |id: &'static str,
                            title: &'static str,
                            options: Signal<Vec<(u8, String)>>,
                            get: fn(&Filter) -> &Vec<u8>,
                            set: fn(&mut Filter) -> &mut Vec<u8>| {
        view! {
            <details class="picker" id=id>
                <summary>
                    {title} " "
                    <span class="picked">
                        {move || picked(data.filter.with(|f| get(f).len()))}
                    </span>
                </summary>
                <div class="options grid">
                    <For each=move || options.get() key=|o| o.0 let:o>
                        <label class="option">
                            <input
                                type="checkbox"
                                value=o.0.to_string()
                                prop:checked=move || data.filter.with(|f| get(f).contains(&o.0))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    update(&|f: &mut Filter| {
                                        let codes = set(f);
                                        toggle(codes, o.0, on);
                                        codes.sort_unstable();
                                    });
                                }
                            />
                            <span class="option-name">{o.1}</span>
                        </label>
                    </For>
                </div>
            </details>
        }
    };

    // Hours as `from-to` (wrapping past midnight); the presets an analyst asks for, plus whatever a
    // link brought.
    let hours_select = move || {
        const PRESETS: [(&str, &str); 5] = [
            ("20-4", "Night shift 20:00–04:00"),
            ("6-12", "Morning 06:00–11:59"),
            ("12-18", "Afternoon 12:00–17:59"),
            ("18-24", "Evening 18:00–23:59"),
            ("0-6", "Small hours 00:00–05:59"),
        ];
        let value =
            move || data.filter.with(|f| f.hours.map(|(a, b)| format!("{a}-{b}")).unwrap_or_default());
        let custom = move || {
            let v = value();
            let b = v.split('-').nth(1).and_then(|b| b.parse::<u8>().ok());
            let v24 = match b {
                Some(0) => v.replace("-0", "-24"),
                _ => v.clone(),
            };
            (!v.is_empty() && !PRESETS.iter().any(|p| p.0 == v || p.0 == v24)).then(|| {
                view! { <option value=v.clone()>{format!("Hours {v}")}</option> }
            })
        };
        view! {
            <label class="field">
                <span>"Time of day"</span>
                <select
                    id="filter-hours"
                    prop:value=move || {
                        let v = value();
                        if v.ends_with("-0") { v.replace("-0", "-24") } else { v }
                    }
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        let hours = v.split_once('-').and_then(|(a, b)| Some((a.parse::<u8>().ok()?, b.parse::<u8>().ok()? % 24)));
                        update(&|f: &mut Filter| f.hours = hours);
                    }
                >
                    <option value="">"Any hour"</option>
                    {PRESETS.iter().map(|(v, l)| view! { <option value=*v>{*l}</option> }).collect_view()}
                    {custom}
                </select>
            </label>
        }
    };

    let flag_select =
        move |id: &'static str, label: &'static str, yes: &'static str, no: &'static str, arrest: bool| {
            let value = move || tri(data.filter.with(|f| if arrest { f.arrest } else { f.domestic }));
            view! {
                <label class="field">
                    <span>{label}</span>
                    <select
                        id=id
                        prop:value=value
                        on:change=move |ev| {
                            let v = parse_tri(&event_target_value(&ev));
                            update(&|f: &mut Filter| if arrest { f.arrest = v } else { f.domestic = v });
                        }
                    >
                        <option value="">"Any"</option>
                        <option value="yes">{yes}</option>
                        <option value="no">{no}</option>
                    </select>
                </label>
            }
        };

    let chips = move || {
        let f = data.filter.get();
        f.chips()
            .into_iter()
            .map(|c| {
                let key = c.key.clone();
                view! {
                    <button
                        class="chip"
                        data-key=c.key.clone()
                        title="Remove this condition"
                        on:click=move |_| data.set_filter(data.filter.get_untracked().without(&key))
                    >
                        {c.label}
                        <span class="x" aria-hidden="true">"✕"</span>
                    </button>
                }
            })
            .collect_view()
    };

    let status = move || {
        let busy = data.analysing.get().is_some();
        let a = data.analysis.get();
        let text = a.as_ref().map(|a| {
            if a.eda.rows == a.eda.total_rows {
                format!("All {} incidents", count(a.eda.total_rows))
            } else {
                format!("{} of {} incidents", count(a.eda.rows), count(a.eda.total_rows))
            }
        });
        let ms = a.map(|a| format!("{:.0}", a.compute_ms));
        view! {
            <div class="filter-status" id="filter-status" data-busy=busy.to_string() data-ms=ms>
                <span id="filtered-rows">{text}</span>
                {busy.then(|| view! { <span class="busy">" · updating…"</span> })}
            </div>
        }
    };

    let notes = move || {
        let n = data.filter_notes.get();
        (!n.is_empty()).then(|| {
            view! {
                <div class="warnings" id="filter-notes">
                    "The link's filter had problems: " {n.join("; ")}
                </div>
            }
        })
    };

    // On a tablet or a phone the bar shows only its chips until "Filters" is tapped (style.css:
    // the button is shown there only), so that it never takes a quarter of the screen.
    let open = RwSignal::new(false);
    let toggle = move || {
        let n = data.filter.with(|f| f.chips().len());
        view! {
            <button
                class="btn small filters-toggle"
                id="filters-toggle"
                aria-controls="filter-row"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {move || if open.get() { "Filters ▴" } else { "Filters ▾" }}
                {(n > 0).then(|| format!(" ({n})"))}
            </button>
        }
    };

    let bar = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        if let Some(el) = bar.get() {
            pad_under(&el);
        }
    });
    move || {
        data.dataset.with(|d| d.is_some()).then(|| {
            view! {
                <section class="card filters" class:open=move || open.get() id="filters" aria-label="Filters" node_ref=bar>
                    <div class="filter-row" id="filter-row">
                        {date_input("filter-from", "From", true)}
                        {date_input("filter-to", "To", false)}
                        {type_picker()}
                        {code_picker("filter-districts", "Districts", districts.into(), |f| &f.districts, |f| &mut f.districts)}
                        {flag_select("filter-arrest", "Arrest", "Arrest made", "No arrest", true)}
                        {flag_select("filter-domestic", "Domestic", "Domestic", "Not domestic", false)}
                        {hours_select()}
                        {code_picker("filter-weekdays", "Weekdays", weekdays, |f| &f.weekdays, |f| &mut f.weekdays)}
                    </div>
                    <div class="chip-row" id="filter-chips">
                        {toggle}
                        {chips}
                        {move || {
                            (!data.filter.with(Filter::is_empty)).then(|| {
                                view! {
                                    <button
                                        class="btn ghost small"
                                        id="clear-filters"
                                        on:click=move |_| data.set_filter(Filter::default())
                                    >
                                        "Clear all"
                                    </button>
                                }
                            })
                        }}
                        {status}
                    </div>
                    {notes}
                </section>
            }
        })
    }
}
