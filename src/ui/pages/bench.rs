//! The Benchmark page (`#bench`): the whole pipeline of `patroliq bench`, run by the worker on
//! the loaded dataset, stage by stage, with each stage's median time and peak heap; the same JSON
//! as the CLI's, to download or for `bench/browser_pipeline.mjs` to read.

use leptos::prelude::*;
use patroliq_core::bench::{Beside, PipelineParams, StageTime};
use plotly::common::{HoverInfo, Marker, Orientation};
use plotly::layout::{Axis, Margin};
use plotly::{Bar, Plot};

use crate::download::save_text;
use crate::state::{Benchmark, Data};
use crate::ui::charts::chart::{base_layout, Chart};
use crate::ui::charts::figure::plot;
use crate::ui::widgets::form::{num, number_field};
use crate::ui::widgets::format::count;
use crate::ui::widgets::progress::{task_error, task_progress};

fn ms(v: f64) -> String {
    if v >= 1000.0 {
        format!("{:.2} s", v / 1000.0)
    } else {
        format!("{v:.0} ms")
    }
}

/// Median time of each stage, slowest on top.
fn bars(stages: &[StageTime]) -> Plot {
    let mut rows: Vec<&StageTime> = stages.iter().collect();
    rows.sort_by(|a, b| a.median_ms.total_cmp(&b.median_ms));
    let y: Vec<String> = rows.iter().map(|s| s.stage.clone()).collect();
    let x: Vec<f64> = rows.iter().map(|s| s.median_ms / 1000.0).collect();
    let hover: Vec<String> =
        rows.iter().map(|s| format!("{}: {} — {}", s.stage, ms(s.median_ms), s.what)).collect();
    let trace = Bar::new(x, y)
        .orientation(Orientation::Horizontal)
        .marker(Marker::new().color("#2563eb"))
        .hover_text_array(hover)
        .hover_info(HoverInfo::Text);
    plot(
        base_layout("Median time of each stage", 420)
            .margin(Margin::new().left(110).right(20).top(48).bottom(48))
            .x_axis(Axis::new().title("seconds"))
            .show_legend(false),
        vec![trace],
    )
}

#[component]
pub fn BenchPage() -> impl IntoView {
    let data = expect_context::<Data>();
    let benchmark = expect_context::<Benchmark>();
    let slot = benchmark.bench;
    let defaults = PipelineParams::default();
    let runs = RwSignal::new("1".to_string());
    let umap = RwSignal::new(defaults.umap_sample.to_string());
    let tsne = RwSignal::new(defaults.tsne_sample.to_string());
    let stops = RwSignal::new(defaults.route_stops.to_string());
    let beside = RwSignal::new(true);
    // Stage names, separated by commas or spaces; empty: every stage.
    let only = RwSignal::new(String::new());
    let form_error = RwSignal::new(None::<String>);
    let start = move |_| {
        let params = (|| {
            Ok::<_, String>(PipelineParams {
                runs: num(runs, "runs")?,
                umap_sample: num(umap, "UMAP sample")?,
                tsne_sample: num(tsne, "t-SNE sample")?,
                route_stops: num(stops, "route stops")?,
                only: only.with_untracked(|o| {
                    o.split([',', ' ']).filter(|s| !s.is_empty()).map(str::to_string).collect()
                }),
                beside: beside.get_untracked(),
            })
        })()
        .and_then(|p| p.check().map(|v| v.params().clone()).map_err(|e| e.to_string()));
        match params {
            Ok(p) => {
                form_error.set(None);
                benchmark.run_bench(p);
            }
            Err(e) => form_error.set(Some(e)),
        }
    };
    // The load, as the worker timed it, heads the table (its peak heap is not counted apart).
    let load_stage = move || {
        data.dataset.with(|d| {
            d.as_ref().map(|d| StageTime {
                stage: "load".into(),
                what: format!(
                    "read, parse, validate and clean {} in the worker{}",
                    d.report.source.name,
                    if d.inflated_beside {
                        ", the gzip inflated in the map worker beside the parse"
                    } else {
                        ""
                    }
                ),
                rows: d.report.rows_read,
                runs_ms: vec![d.report.duration_ms],
                median_ms: d.report.duration_ms,
                peak_bytes: 0,
                outcome: format!("{} of {} rows kept", count(d.report.rows_clean), count(d.report.rows_read)),
            })
        })
    };
    let report_json = move |stages: &[StageTime], beside: &Option<Beside>| {
        data.dataset.with_untracked(|d| {
            let d = d.as_ref()?;
            let all: Vec<StageTime> = load_stage().into_iter().chain(stages.iter().cloned()).collect();
            let agent = window().navigator().user_agent().unwrap_or_default();
            let v = serde_json::json!({
                "file": d.report.source.name,
                "rows_read": d.report.rows_read,
                "rows": d.report.rows_clean,
                "table_bytes": d.report.table_bytes,
                "target": format!("WebAssembly in a worker, {agent}"),
                "runs": stages.first().map_or(0, |s| s.runs_ms.len()),
                "stages": all,
                "beside": beside,
            });
            Some(v.to_string())
        })
    };
    let results = move || {
        slot.result.with(|r| {
            r.as_ref().map(|done| {
                let crate::protocol::Benched { stages, beside } = done.value.clone();
                let json = report_json(&stages, &beside).unwrap_or_default();
                let total: f64 = stages.iter().map(|s| s.median_ms).sum();
                let load_ms = load_stage().map_or(0.0, |s| s.median_ms);
                let whole = load_ms + total;
                let beside_line = beside.as_ref().map(|b| {
                    let text = format!(
                        "With the maps (UMAP, t-SNE) in workers of their own beside the other stages, a pass took {} \
                         (median of {}); with the load, {} against {} one stage after another.",
                        ms(b.median_ms),
                        b.runs_ms.len(),
                        ms(load_ms + b.median_ms),
                        ms(whole),
                    );
                    view! { <p id="bench-beside" data-ms=format!("{:.0}", b.median_ms)>{text}</p> }
                });
                let rows = load_stage()
                    .into_iter()
                    .chain(stages.iter().cloned())
                    .map(|s| {
                        let failed = s.failed();
                        view! {
                            <tr data-stage=s.stage.clone() class:error=failed>
                                <th scope="row">{s.stage.clone()}</th>
                                <td class="num">{ms(s.median_ms)}</td>
                                <td class="num">
                                    {if s.peak_bytes > 0 { format!("{:.0} MB", s.peak_bytes as f64 / 1e6) } else { "–".into() }}
                                </td>
                                <td>{s.what.clone()}</td>
                                <td>{s.outcome.clone()}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                let chart_stages = stages.clone();
                let download = move |_| {
                    if let Err(e) = save_text("patroliq-bench.json", "application/json", &json) {
                        leptos::logging::warn!("bench download: {e:?}");
                    }
                };
                let json_attr = report_json(&stages, &beside).unwrap_or_default();
                view! {
                    <section class="card" id="bench-results" data-run=done.job.to_string()
                        data-ms=format!("{:.0}", done.compute_ms) data-json=json_attr>
                        <p>
                            {match stages.first().map_or(0, |s| s.runs_ms.len()) {
                                1 => format!("The analyses took {} in all (one run of each).", ms(total)),
                                n => format!("The analyses took {} in all (medians of {n} runs of each).", ms(total)),
                            }}
                        </p>
                        {beside_line}
                        <Chart id="bench-chart" plot=move || bars(&chart_stages)/>
                        <div class="table-scroll">
                            <table class="data" id="bench-table">
                                <thead>
                                    <tr><th>"stage"</th><th>"median"</th><th>"peak heap"</th><th>"work"</th><th>"found"</th></tr>
                                </thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                        <button class="btn" id="bench-download" on:click=download>"Download as JSON"</button>
                    </section>
                }
            })
        })
    };
    view! {
        <section class="card">
            <h2>"Benchmark"</h2>
            <p class="muted">
                "Runs every analysis of the app on all "
                {move || data.dataset.with(|d| d.as_ref().map_or("–".into(), |d| count(d.report.rows_clean)))}
                " loaded rows with the pages' parameters — features, EDA, the four clusterings, temporal patterns, PCA, "
                "UMAP and t-SNE maps, risk grid, route and back-test — as "<code>"patroliq bench"</code>
                " does natively. It takes about a minute on 500,000 rows; the page stays usable meanwhile."
            </p>
            <div class="filter-row cluster-form">
                {number_field("bench-runs", "Runs of each stage", "median shown", "1", runs)}
                {number_field("bench-umap", "UMAP sample", "incidents", "20000", umap)}
                {number_field("bench-tsne", "t-SNE sample", "incidents", "5000", tsne)}
                {number_field("bench-stops", "Route stops", "riskiest cells", "50", stops)}
                <label class="field">
                    <span>"Stages"</span>
                    <input type="text" id="bench-only" placeholder="all" prop:value=move || only.get()
                        on:input=move |ev| only.set(event_target_value(&ev))/>
                    <span class="unit">"e.g. kmeans, dbscan"</span>
                </label>
                <label class="field checkbox">
                    <input type="checkbox" id="bench-beside-on" prop:checked=move || beside.get()
                        on:change=move |ev| beside.set(event_target_checked(&ev))/>
                    <span>"Then time whole passes with the maps in workers of their own"</span>
                </label>
            </div>
            <button class="btn primary" id="bench-run" on:click=start disabled=move || slot.busy()
                || data.dataset.with(Option::is_none)>
                "Run the whole pipeline"
            </button>
            {move || form_error.get().map(|e| view! { <div class="banner error" id="bench-form-error" role="alert">{e}</div> })}
            {task_progress(slot, "bench-progress", "Benchmarking")}
            {task_error(slot, "bench-error", "The benchmark")}
        </section>
        {results}
    }
}
