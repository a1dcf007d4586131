//! Figures of the Hotspots page: the cluster map and the k sweep.
//!
//! The map is a plain longitude/latitude plot at true proportions (SVG, no tiles): it works
//! offline and without WebGL, and sends nothing to a tile server.

use patroliq_core::cluster::kmeans::SweepPoint;
use patroliq_core::cluster::report::ClusterView;
use patroliq_core::features::CENTRE;
use plotly::common::{AxisSide, Line, Marker, MarkerSymbol, Mode};
use plotly::layout::{Axis, Legend};
use plotly::{Plot, Scatter};

use crate::ui::chart::{base_layout, config};
use crate::ui::format::count;

/// Tableau 10 and two more: the 12 largest clusters get their own colour.
const COLOURS: [&str; 12] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
    "#bab0ac", "#17becf", "#8c564b",
];

pub fn map(v: &ClusterView) -> Plot {
    let mut plot = Plot::new();
    let m = &v.map;
    let shown = v.profiles.len().min(COLOURS.len());
    // Noise and small clusters first, so the big ones draw on top.
    let group = |pick: &dyn Fn(i32) -> bool| -> (Vec<f32>, Vec<f32>) {
        m.label
            .iter()
            .zip(m.lon.iter().zip(&m.lat))
            .filter(|(l, _)| pick(**l))
            .map(|(_, (x, y))| (*x, *y))
            .unzip()
    };
    let (x, y) = group(&|l| l < 0);
    if !x.is_empty() {
        plot.add_trace(
            Scatter::new(x, y)
                .mode(Mode::Markers)
                .name("noise")
                .marker(Marker::new().size(3).color("#c7ccd4")),
        );
    }
    let (x, y) = group(&|l| l >= shown as i32);
    if !x.is_empty() {
        plot.add_trace(
            Scatter::new(x, y)
                .mode(Mode::Markers)
                .name(format!("{} smaller hotspots", v.profiles.len() - shown))
                .marker(Marker::new().size(3).color("#7f8c9d")),
        );
    }
    for (i, p) in v.profiles.iter().enumerate().take(shown) {
        let (x, y) = group(&|l| l == i as i32);
        let name = format!("{}: {}", i + 1, count(p.size));
        plot.add_trace(
            Scatter::new(x, y)
                .mode(Mode::Markers)
                .name(&name)
                .legend_group(&name)
                .marker(Marker::new().size(4).opacity(0.6).color(COLOURS[i])),
        );
        let (hx, hy): (Vec<f64>, Vec<f64>) = p.hull.iter().map(|c| (c[1], c[0])).unzip();
        plot.add_trace(
            Scatter::new(hx, hy)
                .mode(Mode::Lines)
                .name(&name)
                .legend_group(&name)
                .show_legend(false)
                .hover_info(plotly::common::HoverInfo::Skip)
                .line(Line::new().color(COLOURS[i]).width(2.0)),
        );
    }
    let centres = &v.report.centers;
    let labels: Vec<String> = (1..=centres.len()).map(|i| i.to_string()).collect();
    plot.add_trace(
        Scatter::new(centres.iter().map(|c| c[1]).collect(), centres.iter().map(|c| c[0]).collect())
            .mode(Mode::MarkersText)
            .text_array(labels)
            .text_position(plotly::common::Position::TopCenter)
            .name("centres")
            .marker(Marker::new().symbol(MarkerSymbol::X).size(9).color("#111827")),
    );
    // One degree of longitude is cos(latitude) of a degree of latitude: keep true proportions.
    let ratio = 1.0 / CENTRE.0.to_radians().cos();
    plot.set_layout(
        base_layout("Hotspots", 720)
            .x_axis(Axis::new().title("longitude").show_grid(false).zero_line(false))
            .y_axis(
                Axis::new()
                    .title("latitude")
                    .scale_anchor("x")
                    .scale_ratio(ratio)
                    .show_grid(false)
                    .zero_line(false),
            )
            .legend(Legend::new().title("hotspot: incidents")),
    );
    plot.set_configuration(config());
    plot
}

pub fn sweep(points: &[SweepPoint]) -> Plot {
    let mut plot = Plot::new();
    let k: Vec<usize> = points.iter().map(|p| p.k).collect();
    // Inertia in km² keeps the axis readable.
    plot.add_trace(
        Scatter::new(k.clone(), points.iter().map(|p| p.inertia / 1e6).collect())
            .mode(Mode::LinesMarkers)
            .name("inertia (km²)"),
    );
    plot.add_trace(
        Scatter::new(k, points.iter().map(|p| p.silhouette).collect())
            .mode(Mode::LinesMarkers)
            .name("silhouette")
            .y_axis("y2"),
    );
    plot.set_layout(
        base_layout("Inertia and silhouette by k", 380)
            .x_axis(Axis::new().title("k").dtick(1.0))
            .y_axis(Axis::new().title("inertia (km²)"))
            .y_axis2(Axis::new().title("silhouette").overlaying("y").side(AxisSide::Right)),
    );
    plot.set_configuration(config());
    plot
}
