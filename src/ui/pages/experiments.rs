//! The Experiments page: every logged run in a table to sort, filter and pick from; the picked
//! runs compared (parameters that differ, metrics, bars), a metric against a parameter over a
//! kind's runs, re-open and delete; export and import; push to an MLflow server.

use std::collections::{BTreeSet, HashMap};

use leptos::prelude::*;
use leptos::task::spawn_local;
use patroliq_core::track::run::KINDS;
use patroliq_core::track::{compare, exchange, mlflow as api, Run};
use wasm_bindgen_futures::JsFuture;

use crate::download::save_text;
use crate::state::{Data, Reopen, RunLog};
use crate::ui::charts::chart::Chart;
use crate::ui::charts::experiment as experiment_charts;

/// The column the table is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortBy {
    Time,
    Kind,
    Title,
    Dataset,
    Metric,
    Duration,
}

/// A push to MLflow in progress or failed, per run.
#[derive(Debug, Clone, PartialEq)]
enum PushState {
    Pushing,
    Failed(String),
}

const MLFLOW_URL_KEY: &str = "patroliq.mlflow.url";
const MLFLOW_EXPERIMENT_KEY: &str = "patroliq.mlflow.experiment";
/// Attempts per run before a failure is reported (with a pause between).
const ATTEMPTS: u32 = 3;
/// An import larger than this is not a runs export.
const MAX_IMPORT: f64 = 64.0 * 1024.0 * 1024.0;

fn stored(key: &str) -> Option<String> {
    window().local_storage().ok().flatten().and_then(|s| s.get_item(key).ok().flatten())
}

fn store(key: &str, value: &str) {
    if let Some(s) = window().local_storage().ok().flatten() {
        let _ = s.set_item(key, value);
    }
}

fn when(ms: i64) -> String {
    exchange::utc(ms).replace('T', " ").trim_end_matches('Z').to_string()
}

fn value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e12 {
        format!("{v:.0}")
    } else {
        format!("{v:.4}")
    }
}

/// The metric a kind's runs are best judged by (the table's default metric column).
fn headline(kind: &str) -> &'static str {
    match kind {
        "sweep" => "best_silhouette",
        "embed" => "trustworthiness",
        "pca" => "explained_pc1",
        "risk" => "hot_cells",
        "route" => "risk_per_min",
        "backtest" => "risk.pai",
        _ => "silhouette",
    }
}

/// A labelled text input bound to `value`.
fn text_field(
    id: &'static str,
    label: &'static str,
    kind: &'static str,
    hint: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    view! {
        <label class="field" class:wide=kind == "url">
            <span>{label}</span>
            <input type=kind id=id placeholder=hint prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
        </label>
    }
}

/// The `<option>`s of `keys` with `now` selected; `show` gives each its text.
fn options(keys: impl IntoIterator<Item = String>, now: &str, show: fn(&str) -> &str) -> impl IntoView {
    keys.into_iter()
        .map(|k| {
            let sel = k == now;
            let text = show(&k).to_string();
            view! { <option value=k selected=sel>{text}</option> }
        })
        .collect_view()
}

async fn sleep_ms(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(p).await;
}

#[component]
pub fn Experiments() -> impl IntoView {
    let data = expect_context::<Data>();
    let runlog = expect_context::<RunLog>();
    let reopen = expect_context::<Reopen>();
    let kind = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let metric = RwSignal::new(String::new());
    let sort = RwSignal::new((SortBy::Time, true));
    let picked = RwSignal::new(Vec::<String>::new());
    let note = RwSignal::new(None::<(bool, String)>);
    let pushes = RwSignal::new(HashMap::<String, PushState>::new());
    let url = RwSignal::new(stored(MLFLOW_URL_KEY).unwrap_or_default());
    let experiment = RwSignal::new(stored(MLFLOW_EXPERIMENT_KEY).unwrap_or_else(|| "PatrolIQ".into()));

    // One fingerprint of the loaded data for every row's "other data" mark.
    let data_print = Memo::new(move |_| {
        data.dataset
            .with(|d| d.as_ref().map(|d| patroliq_core::track::DatasetPrint::of(&d.report).fingerprint))
    });
    // The metric column: chosen, else the headline of the kind shown, else silhouette.
    let metric_key = move || {
        let m = metric.get();
        if m.is_empty() {
            headline(&kind.get()).to_string()
        } else {
            m
        }
    };
    let shown = Memo::new(move |_| {
        let (k, q) = (kind.get(), search.get().to_lowercase());
        let m = metric_key();
        let (by, desc) = sort.get();
        let mut rows: Vec<Run> = runlog.runs.with(|all| {
            all.iter()
                .filter(|r| k.is_empty() || r.kind == k)
                .filter(|r| {
                    q.is_empty()
                        || r.title.to_lowercase().contains(&q)
                        || r.dataset.name.to_lowercase().contains(&q)
                        || r.id.contains(&q)
                })
                .cloned()
                .collect()
        });
        rows.sort_by(|a, b| {
            let o = match by {
                SortBy::Time => a.started_ms.cmp(&b.started_ms),
                SortBy::Kind => a.kind.cmp(&b.kind),
                SortBy::Title => a.title.cmp(&b.title),
                SortBy::Dataset => a.dataset.name.cmp(&b.dataset.name),
                SortBy::Duration => a.duration_ms.total_cmp(&b.duration_ms),
                // Runs without the metric go last whichever the direction.
                SortBy::Metric => match (a.number(&m), b.number(&m)) {
                    (Some(x), Some(y)) => x.total_cmp(&y),
                    (Some(_), None) => return std::cmp::Ordering::Less,
                    (None, Some(_)) => return std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                },
            };
            if desc {
                o.reverse()
            } else {
                o
            }
        });
        rows
    });
    let metric_choices = move || {
        let k = kind.get();
        runlog.runs.with(|all| {
            all.iter()
                .filter(|r| k.is_empty() || r.kind == k)
                .flat_map(|r| r.metrics.keys().cloned())
                .collect::<BTreeSet<String>>()
        })
    };
    let picked_runs = move || {
        let ids = picked.get();
        runlog.runs.with(|all| {
            ids.iter().filter_map(|id| all.iter().find(|r| &r.id == id).cloned()).collect::<Vec<_>>()
        })
    };
    // What export and delete act on: the picked runs, else every run shown.
    let targets = move || {
        let p = picked_runs();
        if p.is_empty() {
            shown.get()
        } else {
            p
        }
    };

    let header = move |label: &'static str, by: SortBy| {
        let arrow = move || match sort.get() {
            (b, true) if b == by => " ▼",
            (b, false) if b == by => " ▲",
            _ => "",
        };
        view! {
            <th
                class="sortable"
                data-sort=format!("{by:?}").to_lowercase()
                on:click=move |_| sort.update(|s| *s = if s.0 == by { (by, !s.1) } else { (by, by != SortBy::Title && by != SortBy::Kind) })
            >
                {label}
                {arrow}
            </th>
        }
    };

    let export = move |json: bool| {
        let runs = targets();
        if runs.is_empty() {
            note.set(Some((false, "there are no runs to export".into())));
            return;
        }
        let day = exchange::utc(js_sys::Date::now() as i64).get(..10).unwrap_or("").replace('-', "");
        let saved = if json {
            save_text(&format!("patroliq-runs-{day}.json"), "application/json", &exchange::to_json(&runs))
        } else {
            save_text(&format!("patroliq-runs-{day}.csv"), "text/csv", &exchange::to_csv(&runs))
        };
        note.set(Some(match saved {
            Ok(()) => {
                (true, format!("Exported {} runs as {}.", runs.len(), if json { "JSON" } else { "CSV" }))
            }
            Err(e) => (false, format!("the browser refused the download: {e:?}")),
        }));
    };

    let import = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        if file.size() > MAX_IMPORT {
            note.set(Some((
                false,
                format!(
                    "{} is too large to be a runs export (over 64 MB); nothing was imported",
                    file.name()
                ),
            )));
            return;
        }
        spawn_local(async move {
            let text = JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string());
            let Some(text) = text else {
                note.set(Some((
                    false,
                    format!("{} could not be read as text; nothing was imported", file.name()),
                )));
                return;
            };
            match exchange::from_json(&text) {
                Err(e) => note.set(Some((false, format!("{}: {e}; nothing was imported", file.name())))),
                Ok(incoming) => {
                    let total = incoming.len();
                    let m = runlog.runs.with_untracked(|all| exchange::merge(all, incoming));
                    let added = m.added.len();
                    runlog.save_runs(m.added);
                    let mut msg = format!("Imported {added} of the {total} runs in {}", file.name());
                    if m.same > 0 {
                        msg += &format!("; {} were already here", m.same);
                    }
                    if !m.conflicts.is_empty() {
                        msg += &format!(
                            "; {} have the id of a run here with other content and were left out ({})",
                            m.conflicts.len(),
                            m.conflicts.join(", ")
                        );
                    }
                    note.set(Some((true, msg + ".")));
                }
            }
        });
    };

    let delete = move |ids: Vec<String>| {
        if ids.is_empty() {
            return;
        }
        let ask =
            format!("Delete {} run{} from this browser?", ids.len(), if ids.len() == 1 { "" } else { "s" });
        if window().confirm_with_message(&ask).unwrap_or(false) {
            picked.update(|p| p.retain(|x| !ids.contains(x)));
            runlog.delete_runs(ids);
        }
    };

    // Pushes `runs` one after another; each is tried ATTEMPTS times before its failure is shown.
    let push = move |runs: Vec<Run>| {
        let server = match api::server_url(&url.get_untracked()) {
            Ok(s) => s,
            Err(e) => return note.set(Some((false, e))),
        };
        let name = experiment.get_untracked().trim().to_string();
        if name.is_empty() {
            return note.set(Some((false, "name the MLflow experiment to push to".into())));
        }
        if runs.is_empty() {
            return note.set(Some((false, "pick the runs to push (the check boxes)".into())));
        }
        store(MLFLOW_URL_KEY, &server);
        store(MLFLOW_EXPERIMENT_KEY, &name);
        pushes.update(|p| runs.iter().for_each(|r| drop(p.insert(r.id.clone(), PushState::Pushing))));
        spawn_local(async move {
            let mut found = Err(String::new());
            for attempt in 1..=ATTEMPTS {
                found = crate::mlflow::experiment(&server, &name).await;
                if found.is_ok() {
                    break;
                }
                if attempt < ATTEMPTS {
                    sleep_ms(500 * attempt as i32).await;
                }
            }
            let exp = match found {
                Ok(id) => id,
                Err(e) => {
                    let e = format!("{e} (tried {ATTEMPTS} times)");
                    pushes.update(|p| {
                        runs.iter().for_each(|r| drop(p.insert(r.id.clone(), PushState::Failed(e.clone()))))
                    });
                    return;
                }
            };
            for run in runs {
                let mut earlier = run.pushed.clone();
                let mut outcome = Err(String::new());
                for attempt in 1..=ATTEMPTS {
                    match crate::mlflow::push(&server, &exp, &run, earlier.as_ref()).await {
                        Ok(p) => {
                            outcome = Ok(p);
                            break;
                        }
                        Err((e, partial)) => {
                            // A run created half-way is kept, so the next attempt completes it.
                            if let Some(p) = partial {
                                earlier = Some(p.clone());
                                let mut r = run.clone();
                                r.pushed = Some(p);
                                runlog.save_runs(vec![r]);
                            }
                            outcome = Err(format!(
                                "{e} (tried {attempt} time{})",
                                if attempt == 1 { "" } else { "s" }
                            ));
                            if attempt < ATTEMPTS {
                                sleep_ms(500 * attempt as i32).await;
                            }
                        }
                    }
                }
                match outcome {
                    Ok(p) => {
                        let mut r = run.clone();
                        r.pushed = Some(p);
                        runlog.save_runs(vec![r]);
                        pushes.update(|m| drop(m.remove(&run.id)));
                    }
                    Err(e) => pushes.update(|m| drop(m.insert(run.id.clone(), PushState::Failed(e)))),
                }
            }
        });
    };
    let failed = move || {
        let ids: Vec<String> = pushes.with(|p| {
            p.iter().filter(|(_, s)| matches!(s, PushState::Failed(_))).map(|(id, _)| id.clone()).collect()
        });
        runlog.runs.with(|all| all.iter().filter(|r| ids.contains(&r.id)).cloned().collect::<Vec<_>>())
    };

    view! {
        <section class="card">
            <h2>"Experiments"</h2>
            <p class="muted">
                "Every clustering, sweep, temporal clustering, PCA, map, risk grid, route and back-test is logged here \
                 with its parameters, metrics, data and filter. The log stays in this browser (IndexedDB) across reloads \
                 and restarts; nothing is sent anywhere unless you push it to an MLflow server below."
            </p>
            {move || runlog.runs_note.get().map(|n| view! {
                <div class="banner error" id="runs-note" role="alert">
                    <div class="banner-text">{n}</div>
                    <button class="btn ghost" aria-label="Dismiss" on:click=move |_| runlog.runs_note.set(None)>"✕"</button>
                </div>
            })}
            <div class="toolbar">
                <label class="field">
                    <span>"Kind"</span>
                    <select id="runs-kind" on:change=move |ev| { kind.set(event_target_value(&ev)); metric.set(String::new()); }>
                        <option value="" selected=move || kind.get().is_empty()>"all kinds"</option>
                        {KINDS.into_iter().map(|k| view! { <option value=k selected=move || kind.get() == k>{k}</option> }).collect_view()}
                    </select>
                </label>
                {text_field("runs-search", "Search", "search", "title, data file or id", search)}
                <label class="field">
                    <span>"Metric column"</span>
                    <select id="runs-metric" on:change=move |ev| metric.set(event_target_value(&ev))>
                        {move || {
                            let now = metric_key();
                            let mut keys = metric_choices();
                            keys.insert(now.clone());
                            options(keys, &now, |k| k)
                        }}
                    </select>
                </label>
                <div class="actions">
                    <button class="btn" id="export-json" on:click=move |_| export(true)>
                        {move || if picked.with(Vec::is_empty) { "Export shown (JSON)".to_string() } else { format!("Export {} picked (JSON)", picked.with(Vec::len)) }}
                    </button>
                    <button class="btn" id="export-csv" on:click=move |_| export(false)>"CSV"</button>
                    <label class="btn file-btn">
                        "Import JSON…"
                        <input type="file" id="import-runs" accept=".json,application/json" on:change=import/>
                    </label>
                    <button class="btn danger" id="delete-runs" disabled=move || picked.with(Vec::is_empty)
                        on:click=move |_| delete(picked.get_untracked())>
                        "Delete picked"
                    </button>
                </div>
            </div>
            {move || note.get().map(|(ok, text)| view! {
                <p id="runs-message" class=if ok { "note ok" } else { "note error" } role="status">{text}</p>
            })}
            <p class="muted" id="runs-count">
                {move || {
                    let (n, all) = (shown.with(Vec::len), runlog.runs.with(Vec::len));
                    if n == all { format!("{all} runs logged") } else { format!("{n} of {all} runs shown") }
                }}
            </p>
            <div class="table-scroll">
                <table class="data" id="runs-table">
                    <thead>
                        <tr>
                            <th>
                                <input type="checkbox" aria-label="Pick every run shown" id="pick-all"
                                    prop:checked=move || { let p = picked.get(); !p.is_empty() && shown.with(|s| s.iter().all(|r| p.contains(&r.id))) }
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        picked.set(if on { shown.get_untracked().into_iter().map(|r| r.id).collect() } else { Vec::new() });
                                    }/>
                            </th>
                            {header("Started (UTC)", SortBy::Time)}
                            {header("Kind", SortBy::Kind)}
                            {header("Run", SortBy::Title)}
                            {header("Data", SortBy::Dataset)}
                            <th class="sortable num" data-sort="metric"
                                on:click=move |_| sort.update(|s| *s = if s.0 == SortBy::Metric { (SortBy::Metric, !s.1) } else { (SortBy::Metric, true) })>
                                {metric_key}
                                {move || match sort.get() { (SortBy::Metric, true) => " ▼", (SortBy::Metric, false) => " ▲", _ => "" }}
                            </th>
                            {header("Time", SortBy::Duration)}
                            <th>"MLflow"</th>
                            <th></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || shown.get() key=|r| (r.id.clone(), r.pushed.as_ref().map(|p| (p.run_id.clone(), p.finished))) let:run>
                            {
                                let id = run.id.clone();
                                let id_pick = id.clone();
                                let id_check = id.clone();
                                let id_push = id.clone();
                                let other_data = {
                                    let fp = run.dataset.fingerprint.clone();
                                    move || data_print.with(|d| d.as_ref().is_some_and(|d| *d != fp))
                                };
                                let m = {
                                    let run = run.clone();
                                    move || run.number(&metric_key()).map(value).unwrap_or_else(|| "—".into())
                                };
                                let pushed = run.pushed.clone();
                                let reopen_run = run.clone();
                                let del_id = id.clone();
                                view! {
                                    <tr data-id=id.clone() class:picked=move || picked.with(|p| p.contains(&id_check))>
                                        <td>
                                            <input type="checkbox" class="pick" aria-label="Pick this run"
                                                prop:checked=move || picked.with(|p| p.contains(&id_pick))
                                                on:change={
                                                    let id = id.clone();
                                                    move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        picked.update(|p| { p.retain(|x| x != &id); if on { p.push(id.clone()); } });
                                                    }
                                                }/>
                                        </td>
                                        <td class="when">{when(run.started_ms)}</td>
                                        <td class="kind">{run.kind.clone()}</td>
                                        <td class="title">{run.title.clone()}</td>
                                        <td class="data-name">
                                            {run.dataset.name.clone()}
                                            {move || other_data().then(|| view! {
                                                <span class="tag warn" title="made on other data than the dataset now loaded">" other data"</span>
                                            })}
                                        </td>
                                        <td class="num metric">{m}</td>
                                        <td class="num">{format!("{:.2} s", run.duration_ms / 1000.0)}</td>
                                        <td class="mlflow">
                                            {move || match pushes.with(|p| p.get(&id_push).cloned()) {
                                                Some(PushState::Pushing) => view! { <span class="muted">"pushing…"</span> }.into_any(),
                                                Some(PushState::Failed(e)) => { let shown = format!("failed: {e}"); view! { <span class="tag error" title=e>{shown}</span> }.into_any() }
                                                None => match pushed.clone() {
                                                    Some(p) if p.finished => view! { <span class="tag ok" title=format!("{} run {}", p.server, p.run_id)>"✓ pushed"</span> }.into_any(),
                                                    Some(_) => view! { <span class="tag warn">"incomplete"</span> }.into_any(),
                                                    None => view! { <span class="muted">"—"</span> }.into_any(),
                                                },
                                            }}
                                        </td>
                                        <td class="row-actions">
                                            <button class="btn small reopen" on:click=move |_| reopen.reopen(&reopen_run)>"Re-open"</button>
                                            <button class="btn small ghost delete" aria-label="Delete this run"
                                                on:click=move |_| delete(vec![del_id.clone()])>"Delete"</button>
                                        </td>
                                    </tr>
                                }
                            }
                        </For>
                    </tbody>
                </table>
            </div>
            {move || runlog.runs.with(Vec::is_empty).then(|| view! {
                <p class="empty" id="runs-empty">"No runs yet. Run an analysis on any page (Hotspots opens with a K-Means run) and it appears here."</p>
            })}
        </section>
        <Compare picked=Signal::derive(picked_runs)/>
        <Trend kind=kind picked=picked/>
        <section class="card" id="mlflow">
            <h2>"Push to MLflow"</h2>
            <p class="muted">
                "Sends the picked runs — parameters, metrics, tags and artifacts — to an MLflow tracking server with its REST API. \
                 The server must allow this page's origin: start it with "
                <code>{move || format!("mlflow server --cors-allowed-origins {}", crate::mlflow::origin())}</code>
                ". Each run is tried "{ATTEMPTS}" times; a failure is shown on its row, and the run stays here."
            </p>
            <div class="toolbar">
                {text_field("mlflow-url", "Tracking server", "url", "http://127.0.0.1:5000", url)}
                {text_field("mlflow-experiment", "Experiment", "text", "", experiment)}
                <div class="actions">
                    <button class="btn primary" id="mlflow-push" disabled=move || picked.with(Vec::is_empty)
                        on:click=move |_| push(picked_runs())>
                        {move || format!("Push {} picked", picked.with(Vec::len))}
                    </button>
                    <button class="btn" id="mlflow-retry" disabled=move || failed().is_empty()
                        on:click=move |_| push(failed())>
                        {move || format!("Retry {} failed", failed().len())}
                    </button>
                </div>
            </div>
        </section>
    }
}

/// The picked runs side by side: parameters (the differing first, marked), metrics, and one
/// metric as bars.
#[component]
fn Compare(picked: Signal<Vec<Run>>) -> impl IntoView {
    let chosen = RwSignal::new(String::new());
    let metric = move || {
        let c = chosen.get();
        let runs = picked.get();
        let refs: Vec<&Run> = runs.iter().collect();
        let keys: Vec<String> = compare::metrics(&refs).into_iter().map(|r| r.key).collect();
        if keys.contains(&c) {
            c
        } else {
            let first = runs.first().map(|r| headline(&r.kind)).unwrap_or("silhouette");
            if keys.iter().any(|k| k == first) {
                first.to_string()
            } else {
                keys.first().cloned().unwrap_or_default()
            }
        }
    };
    move || {
        let runs = picked.get();
        if runs.len() < 2 {
            return view! {
                <section class="card" id="compare">
                    <h2>"Compare"</h2>
                    <p class="muted">"Pick two runs or more in the table to compare them side by side."</p>
                </section>
            }
            .into_any();
        }
        let refs: Vec<&Run> = runs.iter().collect();
        let params = compare::params(&refs);
        let metrics = compare::metrics(&refs);
        let differing = params.iter().filter(|p| p.differs).count();
        let names: Vec<String> = runs.iter().map(experiment_charts::label).collect();
        let keys: Vec<String> = metrics.iter().map(|m| m.key.clone()).collect();
        view! {
            <section class="card" id="compare">
                <h2>{format!("Compare {} runs", runs.len())}</h2>
                <p class="muted" id="compare-summary">
                    {format!("{differing} of {} settings differ (marked, listed first).", params.len())}
                </p>
                <div class="table-scroll">
                    <table class="data" id="compare-params">
                        <thead><tr><th>"Parameter"</th>{names.iter().map(|n| view! { <th>{n.clone()}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {params.into_iter().map(|p| view! {
                                <tr class:differs=p.differs data-key=p.key.clone()>
                                    <td>{p.key.clone()}</td>
                                    {p.values.into_iter().map(|v| view! { <td>{v.unwrap_or_else(|| "—".into())}</td> }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <div class="table-scroll">
                    <table class="data" id="compare-metrics">
                        <thead><tr><th>"Metric"</th>{names.iter().map(|n| view! { <th class="num">{n.clone()}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {metrics.into_iter().map(|m| view! {
                                <tr class:differs=m.differs data-key=m.key.clone()>
                                    <td>{m.key.clone()}</td>
                                    {m.values.into_iter().map(|v| view! { <td class="num">{v.map(value).unwrap_or_else(|| "—".into())}</td> }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <label class="field">
                    <span>"Bars of"</span>
                    <select id="compare-metric" on:change=move |ev| chosen.set(event_target_value(&ev))>
                        {options(keys, &metric(), |k| k)}
                    </select>
                </label>
                <Chart id="compare-bars" plot=move || {
                    let runs = picked.get();
                    let refs: Vec<&Run> = runs.iter().collect();
                    experiment_charts::bars(&refs, &metric())
                }/>
            </section>
        }
        .into_any()
    }
}

/// A metric against a numeric parameter over every run of one kind (the kind filter's, else the
/// picked runs', else clustering).
#[component]
fn Trend(kind: RwSignal<String>, picked: RwSignal<Vec<String>>) -> impl IntoView {
    let runlog = expect_context::<RunLog>();
    let x = RwSignal::new(String::new());
    let y = RwSignal::new(String::new());
    let the_kind = move || {
        let k = kind.get();
        if !k.is_empty() {
            return k;
        }
        let ids = picked.get();
        runlog
            .runs
            .with(|all| all.iter().find(|r| ids.contains(&r.id)).map(|r| r.kind.clone()))
            .unwrap_or_else(|| "cluster".into())
    };
    // Memos: the selects, the chosen keys and the chart all read these, once per change of the log.
    let runs = Memo::new(move |_| {
        let k = the_kind();
        runlog.runs.with(|all| all.iter().filter(|r| r.kind == k).cloned().collect::<Vec<_>>())
    });
    let choices =
        Memo::new(move |_| runs.with(|rs| compare::numeric_keys(&rs.iter().collect::<Vec<&Run>>())));
    let pick = |chosen: String, keys: &[String], prefer: &[&str]| -> String {
        if keys.contains(&chosen) {
            return chosen;
        }
        prefer
            .iter()
            .find(|p| keys.iter().any(|k| k == *p))
            .map(|p| p.to_string())
            .or_else(|| keys.first().cloned())
            .unwrap_or_default()
    };
    let xk = move || {
        let chosen = x.get();
        choices.with(|c| {
            pick(chosen, &c.0, &["params.algo.k", "params.params.k", "params.algo.eps_m", "params.top"])
        })
    };
    let yk = move || {
        let chosen = y.get();
        choices.with(|c| {
            pick(
                chosen,
                &c.1,
                &["silhouette", "best_silhouette", "trustworthiness", "risk_per_min", "risk.pai"],
            )
        })
    };
    view! {
        <section class="card" id="trend">
            <h2>"A metric against a parameter"</h2>
            <p class="muted">{move || format!("Every {} run in the log; the picked ones are drawn larger.", the_kind())}</p>
            <div class="toolbar">
                <label class="field">
                    <span>"Parameter"</span>
                    <select id="trend-x" on:change=move |ev| x.set(event_target_value(&ev))>
                        {move || options(choices.get().0, &xk(), |k| k.trim_start_matches("params."))}
                    </select>
                </label>
                <label class="field">
                    <span>"Metric"</span>
                    <select id="trend-y" on:change=move |ev| y.set(event_target_value(&ev))>
                        {move || options(choices.get().1, &yk(), |k| k)}
                    </select>
                </label>
            </div>
            <Chart id="trend-chart" plot=move || {
                let rs = runs.get();
                let refs: Vec<&Run> = rs.iter().collect();
                experiment_charts::trend(&refs, &xk(), &yk(), &picked.get())
            }/>
        </section>
    }
}
