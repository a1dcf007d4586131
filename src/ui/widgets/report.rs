//! The validation and cleaning report of the last load, downloadable as JSON.

use leptos::prelude::*;
use patroliq_core::{CleaningReport, DropReason};

use crate::download::save_text;
use crate::state::Data;
use crate::ui::widgets::change_columns::ChangeColumns;
use crate::ui::widgets::format::{count, datetime, megabytes, percent};

#[component]
pub fn ReportView() -> impl IntoView {
    let data = expect_context::<Data>();
    // A failed load that still produced a report (every row dropped) shows that report.
    let shown = move || {
        data.failure
            .get()
            .and_then(|f| f.report)
            .map(|r| (*r, true, false))
            .or_else(|| data.dataset.get().map(|d| (d.report, false, d.inflated_beside)))
    };
    move || shown().map(|(r, failed, beside)| view! { <Report report=r failed=failed beside=beside/> })
}

#[component]
fn Report(report: CleaningReport, failed: bool, beside: bool) -> impl IntoView {
    let json = serde_json::to_string_pretty(&report).unwrap_or_default();
    let file_name = format!("patroliq-report-{}.json", report.source.name.replace(['/', '\\'], "_"));
    let on_download = move |_| {
        if let Err(e) = save_text(&file_name, "application/json", &json) {
            leptos::logging::error!("download failed: {e:?}");
        }
    };
    let read = report.rows_read.max(1) as f64;
    let dropped: Vec<_> = DropReason::ALL
        .iter()
        .map(|d| (d.key(), d.describe(), report.dropped.get(d.key()).copied().unwrap_or(0)))
        .collect();
    let any_dropped = dropped.iter().any(|d| d.2 > 0);
    let nulls: Vec<(String, u64)> = report.null_counts.iter().map(|(k, v)| (k.clone(), *v)).collect();
    let absent = report.columns_absent.clone();
    let read_as = read_as(&report, !failed);
    let source = &report.source;
    let source_line = format!(
        "{} · {} · {} · {:.1} s{}{}",
        source.name,
        source.format,
        megabytes(source.bytes),
        report.duration_ms / 1000.0,
        if beside { " (inflated on a second core while parsed)" } else { "" },
        report.filter.as_deref().map(|f| format!(" · loaded only {f}")).unwrap_or_default()
    );

    view! {
        <section
            class="card report"
            id="cleaning-report"
            data-failed=failed.to_string()
            data-duration-ms=format!("{:.0}", report.duration_ms)
            data-inflated=if beside { "beside" } else { "here" }
        >
            <div class="report-head">
                <h2>
                    {if failed {
                        "Cleaning report of the file that could not be loaded"
                    } else {
                        "Validation and cleaning report"
                    }}
                </h2>
                <button class="btn" id="download-report" on:click=on_download>"Download JSON"</button>
            </div>
            <p class="muted" id="report-source">{source_line}</p>
            <ul class="warnings">
                {report.warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}
            </ul>
            {read_as}
            <div class="report-grid">
                <table class="figures">
                    <tbody>
                        <tr><th>"Rows read"</th><td id="rows-read">{count(report.rows_read)}</td></tr>
                        <tr><th>"Rows kept"</th><td id="rows-clean">{count(report.rows_clean)}</td></tr>
                        <tr><th>"Rows dropped"</th><td id="rows-dropped">{count(report.dropped_total())}</td></tr>
                        <tr>
                            <th>"Dates"</th>
                            <td id="date-range">
                                {report.date_min.as_deref().map(datetime).unwrap_or_default()}
                                " → "
                                {report.date_max.as_deref().map(datetime).unwrap_or_default()}
                            </td>
                        </tr>
                        <tr><th>"Crime types"</th><td id="primary-types">{report.primary_types}</td></tr>
                        <tr><th>"Labels normalised"</th><td>{count(report.labels_normalised)}</td></tr>
                        {(report.rows_filtered > 0 || report.filter.is_some()).then(|| view! {
                            <tr>
                                <th>"Left out by “Load only”"</th>
                                <td id="rows-filtered" title=report.filter.clone().unwrap_or_default()>
                                    {count(report.rows_filtered)}
                                </td>
                            </tr>
                        })}
                        <tr>
                            <th>"Memory"</th>
                            <td id="table-memory">
                                {megabytes(report.table_bytes)}
                                {(report.table_budget_bytes > 0).then(|| {
                                    format!(
                                        " of {} for data ({:.0} %)",
                                        megabytes(report.table_budget_bytes),
                                        100.0 * report.table_bytes as f64 / report.table_budget_bytes as f64
                                    )
                                })}
                            </td>
                        </tr>
                    </tbody>
                </table>
                <table class="dropped" id="dropped-table">
                    <thead><tr><th>"Dropped because"</th><th>"Rows"</th><th>"Share"</th></tr></thead>
                    <tbody>
                        {dropped
                            .into_iter()
                            .filter(|d| d.2 > 0 || !any_dropped)
                            .map(|(key, text, n)| {
                                view! {
                                    <tr data-reason=key>
                                        <td>{text}</td>
                                        <td class="num">{count(n)}</td>
                                        <td class="num">{percent(n as f64 / read)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                <table class="nulls" id="null-table">
                    <thead><tr><th>"Column"</th><th>"Empty"</th><th>"Share"</th></tr></thead>
                    <tbody>
                        {nulls
                            .into_iter()
                            .map(|(col, n)| {
                                let missing = absent.contains(&col);
                                view! {
                                    <tr class:absent=missing>
                                        <td>{col.clone()}</td>
                                        <td class="num">{if missing { "not in file".to_owned() } else { count(n) }}</td>
                                        <td class="num">{percent(n as f64 / read)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// How the file was read: the layout recognised, which column fed each role, the date formats,
/// the time-zone conversion and the offence labels outside the common taxonomy — so an analyst
/// can check a file PatrolIQ has never seen was understood.
/// `changeable`: the report is of the dataset loaded (not of a file that failed), whose columns
/// *Change columns…* may change.
fn read_as(report: &CleaningReport, changeable: bool) -> impl IntoView {
    let layout = match report.layout.as_str() {
        "" => return None,
        "generic" => "columns found by their names and values".to_owned(),
        l => format!("recognised layout: {}", l.replace('_', " ")),
    };
    let columns: Vec<(String, String)> =
        report.columns.iter().map(|(r, c)| (r.replace('_', " "), c.clone())).collect();
    let formats = report
        .date_formats
        .iter()
        .map(|(f, n)| format!("{f} ({})", count(*n)))
        .collect::<Vec<_>>()
        .join(", ");
    let unmapped = report
        .types_unmapped
        .iter()
        .take(8)
        .map(|t| format!("{} ({})", t.primary_type, count(t.count)))
        .collect::<Vec<_>>()
        .join(", ");
    let city = if report.chicago {
        "Chicago: reference map layers, stations and the portal's boundaries apply"
    } else {
        "not Chicago: Chicago's map layers, stations and boundaries are not used"
    };
    Some(view! {
        <details class="read-as" id="read-as" data-layout=report.layout.clone() open=!report.chicago>
            <summary>"Read as: " {layout} " · " {city}</summary>
            <table class="columns" id="columns-table">
                <thead><tr><th>"Role"</th><th>"Column in the file"</th></tr></thead>
                <tbody>
                    {columns
                        .into_iter()
                        .map(|(role, col)| {
                            let key = role.clone();
                            view! { <tr data-role=key><td>{role}</td><td>{col}</td></tr> }
                        })
                        .collect_view()}
                </tbody>
            </table>
            {changeable.then(|| view! { <ChangeColumns/> })}
            {(!formats.is_empty()).then(|| view! { <p id="date-formats">"Dates read as: " {formats}</p> })}
            {report.time_zone.clone().map(|z| view! { <p id="time-zone">{z}</p> })}
            {report.projection.clone().map(|p| {
                let whence = match &p.city {
                    Some(city) => format!(", which places the data in {city} (check the map)"),
                    None => ", as the column mapping says".to_owned(),
                };
                view! {
                    <p id="projection">
                        {format!(
                            "{} rows have only projected X/Y: read as EPSG:{} ({}){whence}.",
                            patroliq_core::fmt::thousands(p.rows),
                            p.epsg,
                            p.name,
                        )}
                    </p>
                }
            })}
            {report.fbi_codes_derived.then(|| view! {
                <p id="fbi-derived">
                    "No FBI code column: each offence label was given its FBI UCR code (severity, Part I) by the common taxonomy."
                </p>
            })}
            {(!unmapped.is_empty()).then(|| view! {
                <p id="types-unmapped">"Labels the taxonomy does not know (severity 1, as other offences): " {unmapped}</p>
            })}
        </details>
    })
}
