//! The EDA page: when, what and where, for the rows of the current filter.

use leptos::prelude::*;
use patroliq_core::eda::Eda;

use crate::state::Data;
use crate::ui::charts::chart::Chart;
use crate::ui::charts::eda;
use crate::ui::charts::figure;
use crate::ui::widgets::format::{count, percent};

#[component]
pub fn Explore() -> impl IntoView {
    let data = expect_context::<Data>();
    let figure = move |f: fn(&Eda) -> plotly::Plot| {
        move || data.analysis.with(|a| a.as_ref().map_or_else(figure::empty, |a| f(&a.eda)))
    };
    // A memo: the page is built once, then charts update in place on each new analysis.
    let ready = Memo::new(move |_| data.analysis.with(Option::is_some));
    move || {
        if !ready.get() {
            let text =
                if data.dataset.with(Option::is_some) { "Analysing…" } else { "Load data to explore it." };
            return view! { <section class="card"><p class="muted">{text}</p></section> }.into_any();
        }
        view! {
            <section class="card explore" id="explore">
                <h2>"When"</h2>
                <div class="charts">
                    <Chart id="chart-eda-hours" plot=figure(eda::by_hour)/>
                    <Chart id="chart-eda-weekdays" plot=figure(eda::by_weekday)/>
                    <Chart id="chart-heatmap" plot=figure(eda::hour_weekday) class="wide"/>
                    <Chart id="chart-eda-months" plot=figure(eda::by_month)/>
                    <Chart id="chart-weeks" plot=figure(eda::by_week)/>
                </div>
            </section>
            <section class="card explore">
                <h2>"What"</h2>
                <div class="charts">
                    <Chart id="chart-eda-types" plot=figure(eda::types)/>
                    <Chart id="chart-rates" plot=figure(eda::rates_by_type)/>
                </div>
                <TypeTable/>
            </section>
            <section class="card explore">
                <h2>"Where"</h2>
                <div class="charts">
                    <Chart id="chart-locations" plot=figure(eda::top_locations)/>
                    <Chart id="chart-districts" plot=figure(eda::districts)/>
                </div>
            </section>
            <section class="card explore">
                <h2>"How the features relate"</h2>
                <p class="muted">
                    "Pearson correlation of the numeric features over the filtered incidents (pairs where both "
                    "values are known). Codes of categories (district, beat, crime type…) are left out: their "
                    "correlation would mean nothing. Empty cells: the feature does not vary under this filter."
                </p>
                <div class="charts">
                    <Chart id="chart-correlation" plot=figure(eda::correlation) class="wide"/>
                </div>
            </section>
        }
        .into_any()
    }
}

/// Every crime type with its figures: the numbers behind the charts, sortable by eye.
#[component]
fn TypeTable() -> impl IntoView {
    let data = expect_context::<Data>();
    let rate = |r: Option<f64>| r.map_or("–".into(), percent);
    move || {
        data.analysis.with(|a| {
            a.as_ref().map(|a| {
                let rows = a
                    .eda
                    .types
                    .iter()
                    .map(|t| {
                        view! {
                            <tr data-type=t.primary_type.clone()>
                                <td>{t.primary_type.clone()}</td>
                                <td class="num">{count(t.count)}</td>
                                <td class="num">{percent(t.share)}</td>
                                <td class="num">{rate(t.arrest_rate)}</td>
                                <td class="num">{rate(t.domestic_share)}</td>
                                <td class="num">{format!("{:.1}", t.severity)}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <details class="table-wrap">
                        <summary>"Table of crime types"</summary>
                        <table class="data" id="types-table">
                            <thead>
                                <tr>
                                    <th>"Crime type"</th>
                                    <th class="num">"Incidents"</th>
                                    <th class="num">"Share"</th>
                                    <th class="num">"Arrest rate"</th>
                                    <th class="num">"Domestic"</th>
                                    <th class="num">"Severity"</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </details>
                }
            })
        })
    }
}
