//! The first look at a loaded dataset under the current filter: key figures and three charts.

use leptos::prelude::*;

use crate::app::AppState;
use crate::ui::chart::Chart;
use crate::ui::charts;
use crate::ui::format::{count, date_range, percent};

#[component]
pub fn Overview() -> impl IntoView {
    let state = expect_context::<AppState>();
    let eda = move || state.analysis.get().map(|a| a.eda);
    let figure = move |f: fn(&patroliq_core::eda::Eda) -> plotly::Plot| {
        move || eda().map_or_else(charts::empty, |e| f(&e))
    };

    // Only a new dataset rebuilds the section; a new analysis updates figures and charts in place
    // (a chart keeps its element, Plotly redraws it).
    let name = Memo::new(move |_| state.dataset.with(|d| d.as_ref().map(|d| d.report.source.name.clone())));
    let kpis = move || {
        state.analysis.get().map(|a| {
            let e = a.eda;
            let range = date_range(&e);
            let rows_note = (e.rows != e.total_rows).then(|| format!("of {}", count(e.total_rows)));
            let rate = |r: Option<f64>| r.map_or("–".into(), percent);
            view! {
                <div class="kpis">
                    <Kpi id="kpi-rows" label="Incidents" value=count(e.rows) note=rows_note/>
                    <Kpi id="kpi-range" label="Date range" value=range/>
                    <Kpi id="kpi-types" label="Crime types" value=e.types.len().to_string()/>
                    <Kpi id="kpi-arrest" label="Arrest rate" value=rate(e.arrest_rate)/>
                    <Kpi id="kpi-domestic" label="Domestic" value=rate(e.domestic_rate)/>
                    <Kpi id="kpi-districts" label="Districts" value=e.districts.len().to_string()/>
                </div>
            }
        })
    };
    move || {
        name.get().map(|name| {
            view! {
                <section class="card overview" id="overview">
                    <h2>"Loaded: "<span id="dataset-name">{name}</span></h2>
                    {kpis}
                    <div class="charts">
                        <Chart id="chart-types" plot=figure(charts::types) class="wide"/>
                        <Chart id="chart-months" plot=figure(charts::by_month)/>
                        <Chart id="chart-hours" plot=figure(charts::by_hour)/>
                    </div>
                    <p class="more">
                        <a href="#explore">"Explore when, what and where →"</a>
                        " · "
                        <a href="#bench" id="link-bench">"Time the whole pipeline on this data →"</a>
                    </p>
                </section>
            }
        })
    }
}

#[component]
pub fn Kpi(
    id: &'static str,
    label: &'static str,
    value: String,
    #[prop(optional_no_strip)] note: Option<String>,
) -> impl IntoView {
    view! {
        <div class="kpi" id=id>
            <div class="kpi-value">{value}</div>
            <div class="kpi-label">{label} {note.map(|n| view! { <span class="kpi-note">" " {n}</span> })}</div>
        </div>
    }
}
