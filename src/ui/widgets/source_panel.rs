//! Where data comes from: the demo, a local file (picker or drag-and-drop), a URL, or the Chicago
//! Data Portal's API. Every path reads into this tab only.

use leptos::prelude::*;
use patroliq_core::demo;
use patroliq_core::load::portal::{PortalQuery, DEFAULT_ENDPOINT};
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, File, HtmlInputElement};

use super::load_only::LoadOnly;
use crate::protocol::Source;
use crate::state::Data;

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    File,
    Url,
    Portal,
}

#[component]
pub fn SourcePanel() -> impl IntoView {
    let data = expect_context::<Data>();
    let tab = RwSignal::new(Tab::File);
    let dragging = RwSignal::new(false);

    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(f) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
            data.load_file(f);
        }
    };
    let tab_button = move |t: Tab, text: &'static str, id: &'static str| {
        view! {
            <button
                class="tab"
                id=id
                class:active=move || tab.get() == t
                aria-selected=move || (tab.get() == t).to_string()
                role="tab"
                on:click=move |_| tab.set(t)
            >
                {text}
            </button>
        }
    };

    view! {
        <section
            class="card source-panel"
            class:dragging=move || dragging.get()
            on:dragover=move |ev: DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <div class="source-head">
                <h2>"Data"</h2>
                <div class="tabs" role="tablist">
                    {tab_button(Tab::File, "File", "tab-file")}
                    {tab_button(Tab::Url, "URL", "tab-url")}
                    {tab_button(Tab::Portal, "Chicago Data Portal", "tab-portal")}
                </div>
                <button
                    class="btn ghost"
                    id="load-demo"
                    on:click=move |_| {
                        data.replace(Source::Demo { rows: demo::DEFAULT_ROWS, seed: demo::DEFAULT_SEED }, None)
                    }
                >
                    "Reload demo data"
                </button>
            </div>
            {move || match tab.get() {
                Tab::File => view! { <FilePicker/> }.into_any(),
                Tab::Url => view! { <UrlForm/> }.into_any(),
                Tab::Portal => view! { <PortalForm/> }.into_any(),
            }}
            <LoadOnly/>
        </section>
    }
}

#[component]
fn FilePicker() -> impl IntoView {
    let data = expect_context::<Data>();
    let on_change = move |ev: web_sys::Event| {
        let input: HtmlInputElement = ev.target().expect("input").unchecked_into();
        let file: Option<File> = input.files().and_then(|f| f.get(0));
        if let Some(f) = file {
            data.load_file(f);
        }
        // Choosing the same file again must load it again.
        input.set_value("");
    };
    view! {
        <label class="dropzone" for="file-input">
            <input
                type="file"
                id="file-input"
                // Every kind the loader reads: on a tablet the picker offers only these.
                accept=".csv,.tsv,.txt,.gz,.parquet,.pq,.json,.geojson,.ndjson,.zip,.xlsx,.xlsb,.xls,.ods,text/csv,text/plain,application/gzip,application/json,application/geo+json,application/zip,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel,application/vnd.oasis.opendocument.spreadsheet"
                on:change=on_change
            />
            <span class="drop-title">"Drop a crime export here, or click to choose a file"</span>
            <span class="muted">
                "Any city's crime export — CSV (or .gz), Excel, JSON or GeoJSON, Parquet, or a ZIP of one — \
                 such as the Chicago Data Portal's “Crimes - 2001 to Present”. "
                "Read in this tab only; nothing is uploaded."
            </span>
        </label>
    }
}

#[component]
fn UrlForm() -> impl IntoView {
    let data = expect_context::<Data>();
    let url = RwSignal::new(String::new());
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let u = url.get_untracked().trim().to_owned();
        if !u.is_empty() {
            data.replace(Source::Url { url: u }, None);
        }
    };
    view! {
        <form class="row-form" on:submit=submit>
            <input
                type="url"
                id="url-input"
                placeholder="https://example.org/crimes.csv.gz"
                required
                bind:value=url
            />
            <button class="btn primary" type="submit" id="url-load">"Load"</button>
            <p class="muted">
                "The browser downloads the file directly (the server must allow it: CORS). "
                "Tip: share a link with "<code>"?data=<url>"</code>" to open PatrolIQ on that file."
            </p>
        </form>
    }
}

#[component]
fn PortalForm() -> impl IntoView {
    let data = expect_context::<Data>();
    let endpoint = RwSignal::new(DEFAULT_ENDPOINT.to_owned());
    let limit = RwSignal::new("50000".to_owned());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let q = PortalQuery {
            endpoint: endpoint.get_untracked(),
            limit: limit.get_untracked().trim().replace(',', "").parse().unwrap_or(0),
            from: Some(from.get_untracked()).filter(|s| !s.is_empty()),
            to: Some(to.get_untracked()).filter(|s| !s.is_empty()),
        };
        match q.url() {
            Ok(_) => {
                problem.set(None);
                data.replace(Source::Portal(q), None);
            }
            Err(m) => problem.set(Some(m)),
        }
    };
    view! {
        <form class="portal-form" on:submit=submit>
            <label>
                "Newest rows"
                <input type="number" id="portal-limit" min="1" max="2000000" bind:value=limit/>
            </label>
            <label>"From" <input type="date" id="portal-from" bind:value=from/></label>
            <label>"To" <input type="date" id="portal-to" bind:value=to/></label>
            <button class="btn primary" type="submit" id="portal-load">"Fetch from the portal"</button>
            <details class="advanced">
                <summary>"API address"</summary>
                <input type="url" id="portal-endpoint" bind:value=endpoint/>
            </details>
            {move || problem.get().map(|p| view! { <p class="form-error" role="alert">{p}</p> })}
            <p class="muted">
                "Your browser asks data.cityofchicago.org (SODA API, dataset ijzp-q8t2) directly; "
                "no PatrolIQ server is involved."
            </p>
        </form>
    }
}
