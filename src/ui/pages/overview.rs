//! The first look at a loaded dataset under the current filter: key figures and three charts.

use leptos::prelude::*;

use crate::state::Data;
use crate::ui::charts::chart::Chart;
use crate::ui::charts::eda;
use crate::ui::charts::figure;
use crate::ui::widgets::format::{count, date_range, percent};
use crate::ui::widgets::kpi::Kpi;

#[component]
pub fn Overview() -> impl IntoView {
    let data = expect_context::<Data>();
    let eda = move || data.analysis.get().map(|a| a.eda);
    let figure = move |f: fn(&patroliq_core::eda::Eda) -> plotly::Plot| {
        move || eda().map_or_else(figure::empty, |e| f(&e))
    };

    // Only a new dataset rebuilds the section; a new analysis updates figures and charts in place
    // (a chart keeps its element, Plotly redraws it).
    let name = Memo::new(move |_| data.dataset.with(|d| d.as_ref().map(|d| d.report.source.name.clone())));
    let kpis = move || {
        data.analysis.get().map(|a| {
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
                        <Chart id="chart-types" plot=figure(eda::types) class="wide"/>
                        <Chart id="chart-months" plot=figure(eda::by_month)/>
                        <Chart id="chart-hours" plot=figure(eda::by_hour)/>
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
