//! The first look at a loaded dataset: key figures and three charts.

use leptos::prelude::*;
use plotly::common::{Marker, Orientation};
use plotly::layout::Axis;
use plotly::{Bar, Plot, Scatter};

use crate::app::AppState;
use crate::ui::chart::{base_layout, config, Chart};
use crate::ui::format::{count, percent};

const ACCENT: &str = "#2563eb";

#[component]
pub fn Overview() -> impl IntoView {
    let state = expect_context::<AppState>();
    let ds = move || state.dataset.get();

    let types_plot = move || {
        let mut plot = Plot::new();
        if let Some(d) = ds() {
            // Most frequent at the top: Plotly draws horizontal bars bottom-up.
            let counts: Vec<_> = d.report.primary_type_counts.iter().rev().collect();
            let y: Vec<String> = counts.iter().map(|c| c.primary_type.clone()).collect();
            let x: Vec<u64> = counts.iter().map(|c| c.count).collect();
            let total = d.report.rows_clean.max(1) as f64;
            let text: Vec<String> =
                counts.iter().map(|c| format!("{:.1} %", c.count as f64 * 100.0 / total)).collect();
            plot.add_trace(
                Bar::new(x, y)
                    .orientation(Orientation::Horizontal)
                    .text_array(text)
                    .marker(Marker::new().color(ACCENT))
                    .name("incidents"),
            );
            let height = 80 + 22 * counts.len();
            plot.set_layout(
                base_layout("Incidents by crime type", height)
                    .y_axis(Axis::new().auto_margin(true))
                    .x_axis(Axis::new().title("incidents")),
            );
        }
        plot.set_configuration(config());
        plot
    };

    let month_plot = move || {
        let mut plot = Plot::new();
        if let Some(d) = ds() {
            // First day of each month on a date axis: Plotly then labels "Jan 2017".
            let x: Vec<String> = d.summary.by_month.iter().map(|(m, _)| format!("{m}-01")).collect();
            let y: Vec<u64> = d.summary.by_month.iter().map(|(_, n)| *n).collect();
            plot.add_trace(Scatter::new(x, y).mode(plotly::common::Mode::LinesMarkers).name("incidents"));
            plot.set_layout(
                base_layout("Incidents per month", 320)
                    .x_axis(Axis::new().type_(plotly::layout::AxisType::Date)),
            );
        }
        plot.set_configuration(config());
        plot
    };

    let hour_plot = move || {
        let mut plot = Plot::new();
        if let Some(d) = ds() {
            let x: Vec<String> = (0..24).map(|h| format!("{h:02}:00")).collect();
            plot.add_trace(
                Bar::new(x, d.summary.by_hour.to_vec()).marker(Marker::new().color(ACCENT)).name("incidents"),
            );
            plot.set_layout(base_layout("Incidents by hour of day", 320));
        }
        plot.set_configuration(config());
        plot
    };

    move || {
        ds().map(|d| {
            let r = &d.report;
            let range = match (&r.date_min, &r.date_max) {
                (Some(a), Some(b)) => format!("{} → {}", &a[..10], &b[..10]),
                _ => "–".into(),
            };
            view! {
                <section class="card overview" id="overview">
                    <h2>
                        "Loaded: "<span id="dataset-name">{r.source.name.clone()}</span>
                    </h2>
                    <div class="kpis">
                        <Kpi id="kpi-rows" label="Incidents" value=count(r.rows_clean)/>
                        <Kpi id="kpi-range" label="Date range" value=range/>
                        <Kpi id="kpi-types" label="Crime types" value=r.primary_types.to_string()/>
                        <Kpi id="kpi-arrest" label="Arrest rate" value=percent(r.arrest_rate)/>
                        <Kpi id="kpi-domestic" label="Domestic" value=percent(r.domestic_rate)/>
                        <Kpi id="kpi-districts" label="Districts" value=d.summary.districts.to_string()/>
                    </div>
                    <div class="charts">
                        <Chart id="chart-types" plot=types_plot class="wide"/>
                        <Chart id="chart-months" plot=month_plot/>
                        <Chart id="chart-hours" plot=hour_plot/>
                    </div>
                </section>
            }
        })
    }
}

#[component]
fn Kpi(id: &'static str, label: &'static str, value: String) -> impl IntoView {
    view! {
        <div class="kpi" id=id>
            <div class="kpi-value">{value}</div>
            <div class="kpi-label">{label}</div>
        </div>
    }
}
