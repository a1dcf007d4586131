//! The feature catalogue, the severity basis and the feature export of the filtered rows.

use leptos::prelude::*;
use patroliq_core::features::categories::SEVERITY_BASIS;
use patroliq_core::features::{CATALOGUE, DENSITY_CELL_M};

use crate::state::{Data, Export};
use crate::ui::charts::chart::Chart;
use crate::ui::charts::eda;
use crate::ui::charts::figure;
use crate::ui::widgets::format::{count, megabytes};

#[component]
pub fn FeaturesPage() -> impl IntoView {
    view! {
        <section class="card" id="features">
            <h2>"Features"</h2>
            <p class="muted">
                {format!(
                    "{} features per incident, computed in this browser from the loaded rows. Geographic \
                     features use an equirectangular projection centred on State & Madison (metres east \
                     and north); density counts the incidents in the same {DENSITY_CELL_M:.0} m cell.",
                    CATALOGUE.len()
                )}
            </p>
            <ExportButton/>
            <table class="data" id="feature-catalogue">
                <thead>
                    <tr><th>"Feature"</th><th>"Group"</th><th>"Definition"</th><th>"Unit"</th></tr>
                </thead>
                <tbody>
                    {CATALOGUE
                        .iter()
                        .map(|s| {
                            view! {
                                <tr data-feature=s.name>
                                    <td><code>{s.name}</code></td>
                                    <td>{s.group}</td>
                                    <td>{s.definition}</td>
                                    <td>{s.unit}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
        <Severity/>
    }
}

#[component]
fn ExportButton() -> impl IntoView {
    let data = expect_context::<Data>();
    let rows = move || data.analysis.with(|a| a.as_ref().map(|a| a.eda.rows));
    let running = move || matches!(data.export.get(), Export::Running { .. });
    let label = move || match rows() {
        Some(n) => format!("Export features of {} incidents (Parquet)", count(n)),
        None => "Export features (Parquet)".into(),
    };
    let status = move || match data.export.get() {
        Export::Idle => view! { <span id="export-status" data-state="idle"></span> }.into_any(),
        Export::Running { .. } => {
            view! { <span id="export-status" data-state="running">"Computing and compressing…"</span> }
                .into_any()
        }
        Export::Done { file_name, rows, bytes, compute_ms, features_ms } => view! {
            <span
                id="export-status"
                data-state="done"
                data-rows=rows
                data-ms=format!("{compute_ms:.0}")
                data-features-ms=format!("{features_ms:.0}")
            >
                {format!(
                    "Saved {file_name}: {} rows, {}, made in {:.1} s.",
                    count(rows),
                    megabytes(bytes),
                    compute_ms / 1000.0
                )}
            </span>
        }
        .into_any(),
        Export::Failed(m) => {
            view! { <span id="export-status" class="error" data-state="failed">{m}</span> }.into_any()
        }
    };
    view! {
        <div class="export">
            <button
                class="btn"
                id="export-features"
                disabled=move || running() || rows().is_none()
                on:click=move |_| data.export_features()
            >
                {label}
            </button>
            {status}
        </div>
    }
}

/// What severity means, and what it gives each crime type of the filtered data.
#[component]
fn Severity() -> impl IntoView {
    let data = expect_context::<Data>();
    let plot =
        move || data.analysis.with(|a| a.as_ref().map_or_else(figure::empty, |a| eda::severity(&a.eda)));
    view! {
        <section class="card" id="severity">
            <h2>"Severity score"</h2>
            <p class="muted">
                "From the FBI's own ordering of offences, not a list of ours: Part I offences rank by the UCR "
                "Hierarchy Rule (homicide > rape > robbery > aggravated assault > burglary > larceny-theft > "
                "motor vehicle theft), violent above property; arson ranks with burglary; Part II offences "
                "score 1, except simple assault and battery (the lesser forms of aggravated assault) at 2. "
                "A crime type spans several FBI codes, so a type's severity is the mean of its incidents."
            </p>
            <table class="data" id="severity-basis">
                <thead>
                    <tr><th>"FBI code"</th><th>"Offence"</th><th class="num">"Severity"</th></tr>
                </thead>
                <tbody>
                    {SEVERITY_BASIS
                        .iter()
                        .map(|(codes, offence, score)| {
                            view! {
                                <tr>
                                    <td>{*codes}</td>
                                    <td>{*offence}</td>
                                    <td class="num">{format!("{score:.0}")}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <div class="charts">
                <Chart id="chart-severity" plot=plot class="wide"/>
            </div>
        </section>
    }
}
