//! Figures of the Hotspots page: the cluster map and the k sweep.
//!
//! The map is, by default, a plain longitude/latitude plot at true proportions (SVG, no tiles): it
//! works offline and without WebGL, and sends nothing to a tile server. Street tiles
//! (OpenStreetMap) are one click away, as under every map (`crate::street`).

use patroliq_core::cluster::hierarchical::Merge;
use patroliq_core::cluster::kmeans::SweepPoint;
use patroliq_core::cluster::report::ClusterView;
use plotly::common::{AxisSide, Line, Marker, MarkerSymbol, Mode};
use plotly::layout::{Axis, Legend};
use plotly::{Layout, Plot, Scatter};

use crate::ui::charts::chart::{base_layout, config, label_margin, label_width, rotated_height, RASTER};
use crate::ui::widgets::format::count;

/// Tableau 10 and two more: the 12 largest clusters get their own colour.
pub const COLOURS: [&str; 12] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
    "#bab0ac", "#17becf", "#8c564b",
];

/// Points, a line, or labelled markers.
enum Layer {
    Points { marker: Box<Marker> },
    Outline { colour: &'static str },
    Centres,
}

/// One trace on longitude/latitude axes (on street tiles when the user asks: `crate::street`).
fn trace(lon: Vec<f64>, lat: Vec<f64>, name: &str, group: &str, layer: Layer) -> Box<dyn plotly::Trace> {
    let labels: Vec<String> = (1..=lon.len()).map(|i| i.to_string()).collect();
    let t = Scatter::new(lon, lat).name(name).legend_group(group);
    match layer {
        // Drawn as one image under the hulls (chart.rs): 10,000 SVG points were half a second of
        // the UI thread.
        Layer::Points { marker } => t.mode(Mode::Markers).marker(*marker).meta(RASTER),
        Layer::Outline { colour } => t
            .mode(Mode::Lines)
            .show_legend(false)
            .hover_info(plotly::common::HoverInfo::Skip)
            .line(Line::new().color(colour).width(2.0)),
        Layer::Centres => t
            .mode(Mode::MarkersText)
            .text_array(labels)
            .text_position(plotly::common::Position::TopCenter)
            .marker(Marker::new().symbol(MarkerSymbol::X).size(9).color("#111827")),
    }
}

/// The hotspots: a sample of points coloured by hotspot, every hotspot's hull, the centres, over
/// the city's reference layers.
pub fn map(v: &ClusterView) -> Plot {
    let mut plot = Plot::new();
    let m = &v.map;
    // Roads, districts and area names under the points: bearings without tiles.
    let extent =
        super::reference::extent_of(m.lon.iter().zip(&m.lat).map(|(x, y)| (f64::from(*x), f64::from(*y))));
    for t in super::reference::traces(extent, Default::default()) {
        plot.add_trace(t);
    }
    let shown = v.profiles.len().min(COLOURS.len());
    // Noise and small clusters first, so the big ones draw on top.
    let group = |pick: &dyn Fn(i32) -> bool| -> (Vec<f64>, Vec<f64>) {
        m.label
            .iter()
            .zip(m.lon.iter().zip(&m.lat))
            .filter(|(l, _)| pick(**l))
            .map(|(_, (x, y))| (f64::from(*x), f64::from(*y)))
            .unzip()
    };
    let (x, y) = group(&|l| l < 0);
    if !x.is_empty() {
        let marker = Marker::new().size(3).color("#c7ccd4");
        plot.add_trace(trace(x, y, "noise", "noise", Layer::Points { marker: Box::new(marker) }));
    }
    let (x, y) = group(&|l| l >= shown as i32);
    if !x.is_empty() {
        let name = format!("{} smaller {}", v.profiles.len() - shown, v.called());
        let marker = Marker::new().size(3).color("#7f8c9d");
        plot.add_trace(trace(x, y, &name, &name, Layer::Points { marker: Box::new(marker) }));
    }
    for (i, p) in v.profiles.iter().enumerate().take(shown) {
        let (x, y) = group(&|l| l == i as i32);
        let name = format!("{}: {}", i + 1, count(p.size));
        let marker = Marker::new().size(4).opacity(0.6).color(COLOURS[i]);
        plot.add_trace(trace(x, y, &name, &name, Layer::Points { marker: Box::new(marker) }));
        let (hx, hy): (Vec<f64>, Vec<f64>) = p.hull.iter().map(|c| (c[1], c[0])).unzip();
        plot.add_trace(trace(hx, hy, &name, &name, Layer::Outline { colour: COLOURS[i] }));
    }
    let centres = &v.report.centers;
    let (cx, cy) = centres.iter().map(|c| (c[1], c[0])).unzip();
    plot.add_trace(trace(cx, cy, "centres", "centres", Layer::Centres));
    let (title, legend) =
        if v.called() == "areas" { ("Areas", "area: incidents") } else { ("Hotspots", "hotspot: incidents") };
    let layout = base_layout(title, 720).legend(Legend::new().title(legend));
    plot.set_layout(lon_lat_axes(layout));
    plot.set_configuration(config());
    plot
}

/// Longitude and latitude axes in true proportions (a map without tiles).
pub fn lon_lat_axes(layout: Layout) -> Layout {
    // One degree of longitude is cos(latitude) of a degree of latitude.
    let ratio = 1.0 / patroliq_core::features::frame().0.to_radians().cos();
    layout.x_axis(Axis::new().title("longitude").show_grid(false).zero_line(false)).y_axis(
        Axis::new().title("latitude").scale_anchor("x").scale_ratio(ratio).show_grid(false).zero_line(false),
    )
}

/// [`lon_lat_axes`] showing `e` (south, west, north, east): the map zoomed to its data rather
/// than to everything drawn (the reference roads run across the city).
pub fn lon_lat_range(layout: Layout, e: [f64; 4]) -> Layout {
    let ratio = 1.0 / patroliq_core::features::frame().0.to_radians().cos();
    layout
        .x_axis(Axis::new().title("longitude").show_grid(false).zero_line(false).range(vec![e[1], e[3]]))
        .y_axis(
            Axis::new()
                .title("latitude")
                .scale_anchor("x")
                .scale_ratio(ratio)
                .show_grid(false)
                .zero_line(false)
                .range(vec![e[0], e[2]]),
        )
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

/// The top of the Ward tree (the last `p − 1` merges, as scipy's `truncate_mode="lastp"`), with
/// the cut that makes `k` clusters. Leaves are labelled with their incident counts.
pub fn dendrogram(merges: &[Merge], k: usize, p: usize) -> Plot {
    let mut plot = Plot::new();
    let n = merges.len() + 1;
    if n < 2 {
        return plot;
    }
    let p = p.clamp(2, n);
    let first = n - p; // The first merge drawn.
    let size = |node: usize| if node >= n { merges[node - n].size } else { 1.0 };
    // Leaves of the drawing, left to right, by a depth-first walk from the root.
    let mut x: std::collections::HashMap<usize, f64> = Default::default();
    let mut leaves: Vec<usize> = Vec::new();
    let mut stack = vec![2 * n - 2];
    while let Some(node) = stack.pop() {
        if node >= n + first {
            let m = merges[node - n];
            stack.push(m.b);
            stack.push(m.a);
        } else {
            x.insert(node, 5.0 + 10.0 * leaves.len() as f64);
            leaves.push(node);
        }
    }
    let (mut lx, mut ly): (Vec<Option<f64>>, Vec<Option<f64>>) = (Vec::new(), Vec::new());
    let height = |node: usize, x: &std::collections::HashMap<usize, f64>| -> (f64, f64) {
        (x[&node], if node >= n + first { merges[node - n].height } else { 0.0 })
    };
    for i in first..n - 1 {
        let m = merges[i];
        let ((xa, ha), (xb, hb)) = (height(m.a, &x), height(m.b, &x));
        x.insert(n + i, (xa + xb) / 2.0);
        for (px, py) in [(xa, ha), (xa, m.height), (xb, m.height), (xb, hb)] {
            lx.push(Some(px));
            ly.push(Some(py / 1000.0));
        }
        lx.push(None);
        ly.push(None);
    }
    plot.add_trace(
        Scatter::new(lx, ly).mode(Mode::Lines).name("merges").line(Line::new().color("#334155").width(1.5)),
    );
    // The cut: between the merge that leaves k clusters and the next.
    if (2..=n).contains(&k) {
        let below = merges[n - k - 1].height;
        let above = merges[n - k].height;
        let y = (below + above) / 2.0 / 1000.0;
        let right = 10.0 * leaves.len() as f64;
        plot.add_trace(
            Scatter::new(vec![0.0, right], vec![y, y])
                .mode(Mode::Lines)
                .name(format!("cut: k = {k}"))
                .line(Line::new().color("#dc2626").dash(plotly::common::DashType::Dash)),
        );
    }
    let ticks: Vec<f64> = leaves.iter().map(|l| x[l]).collect();
    let labels: Vec<String> = leaves.iter().map(|&l| count(size(l) as u64)).collect();
    let width = label_width(labels.iter().map(String::as_str));
    plot.set_layout(
        base_layout(&format!("Ward tree: the last {} merges", p - 1), 420)
            .margin(label_margin(60.0, rotated_height(width, 60.0, 28.0)))
            .x_axis(
                Axis::new()
                    .tick_values(ticks)
                    .tick_text(labels)
                    .tick_angle(-60.0)
                    .title("incidents under each branch")
                    .show_grid(false)
                    .zero_line(false),
            )
            .y_axis(Axis::new().title("Ward distance (km)")),
    );
    plot.set_configuration(config());
    plot
}
