//! The Experiments page's figures: one metric of the compared runs as bars, and a metric against
//! a parameter over every run of a kind (silhouette against k).

use patroliq_core::track::compare;
use patroliq_core::track::Run;
use plotly::common::{Marker, Mode};
use plotly::layout::Axis;
use plotly::{Bar, Plot, Scatter};

use crate::ui::charts::chart::base_layout;
use crate::ui::charts::cluster::COLOURS;
use crate::ui::charts::figure::{plot, ACCENT};

/// The label of a run in a figure: its title and the time it started (titles repeat).
pub fn label(r: &Run) -> String {
    let t = patroliq_core::track::exchange::utc(r.started_ms);
    format!("{} · {}", r.title, t.get(11..19).unwrap_or(&t))
}

/// `metric` of each compared run, one bar each (runs without it are left out).
pub fn bars(runs: &[&Run], metric: &str) -> Plot {
    let (mut x, mut y, mut colours) = (Vec::new(), Vec::new(), Vec::new());
    for (i, r) in runs.iter().enumerate() {
        if let Some(v) = r.number(metric) {
            x.push(label(r));
            y.push(v);
            colours.push(COLOURS[i % COLOURS.len()]);
        }
    }
    let text: Vec<String> = y.iter().map(|v| format!("{v:.4}")).collect();
    let trace = Bar::new(x, y).marker(Marker::new().color_array(colours)).text_array(text).name(metric);
    plot(
        base_layout(&format!("{metric} of the compared runs"), 320).y_axis(Axis::new().title(metric)),
        vec![trace],
    )
}

/// `y` against `x` over `runs`, in order of `x`; the `picked` runs ringed.
pub fn trend(runs: &[&Run], x: &str, y: &str, picked: &[String]) -> Plot {
    let points = compare::series(runs, x, y);
    let xs: Vec<f64> = points.iter().map(|p| p.0).collect();
    let ys: Vec<f64> = points.iter().map(|p| p.1).collect();
    let hover: Vec<String> =
        points.iter().map(|p| format!("{x} = {}<br>{y} = {:.4}<br>{}", p.0, p.1, p.2)).collect();
    let sizes: Vec<usize> = points.iter().map(|p| if picked.contains(&p.2) { 16 } else { 9 }).collect();
    let trace = Scatter::new(xs, ys)
        .mode(Mode::LinesMarkers)
        .marker(Marker::new().color(ACCENT).size_array(sizes))
        .hover_text_array(hover)
        .hover_info(plotly::common::HoverInfo::Text)
        .name(y);
    let short = x.strip_prefix("params.").unwrap_or(x);
    plot(
        base_layout(&format!("{y} against {short} ({} runs)", points.len()), 360)
            .x_axis(Axis::new().title(short))
            .y_axis(Axis::new().title(y))
            .show_legend(false),
        vec![trace],
    )
}
