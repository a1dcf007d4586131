//! The Patrol page's figures: the risk map (score, KDE or Gi* z, with hotspots, stations and the
//! route) and the evaluation across departure times.

use std::sync::Arc;

use patroliq_core::risk::RiskView;
use patroliq_core::route::evaluate::Evaluation;
use patroliq_core::route::plan::{clock, RoutePlan};
use patroliq_core::route::stations::Station;
use patroliq_core::terrain::Sketch;
use plotly::common::{ColorScale, ColorScalePalette, Line, Marker, MarkerSymbol, Mode, Position};
use plotly::layout::{Axis, BarMode, Legend};
use plotly::{Bar, HeatMap, Plot, Scatter};

use crate::ui::charts::chart::base_layout;
use crate::ui::charts::cluster::{lon_lat_axes, COLOURS};
use crate::ui::charts::figure::{colour_bar, plot};
use crate::ui::charts::{reference, terrain};
use patroliq_core::colour::ColourRange;

/// What the map's colours show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    Score,
    Kde,
    GiZ,
}

impl Layer {
    pub fn parse(s: &str) -> Layer {
        match s {
            "kde" => Layer::Kde,
            "gi" => Layer::GiZ,
            _ => Layer::Score,
        }
    }
}

/// The risk grid as a heatmap on longitude / latitude, with the hotspots, the stations, the start,
/// the route of each car, and the environment layers switched on (`shown`: name and sketch).
pub fn risk_map(
    v: &RiskView,
    layer: Layer,
    route: Option<&RoutePlan>,
    stations: &[Station],
    start: (f64, f64),
    shown: &[(String, Arc<Sketch>)],
) -> Plot {
    let g = &v.model.grid;
    let lon: Vec<f64> = (0..g.cols).map(|c| g.centre_latlon(c).1).collect();
    let lat: Vec<f64> = (0..g.rows).map(|r| g.centre_latlon(r * g.cols).0).collect();
    let mut z: Vec<Vec<Option<f64>>> = vec![vec![None; g.cols]; g.rows];
    for c in &v.model.cells {
        let (col, row) = g.col_row(c.cell);
        z[row][col] = match layer {
            Layer::Score => Some(c.score),
            Layer::Kde => Some(c.kde),
            Layer::GiZ => c.gi.map(|g| g.z),
        };
    }
    let (title, palette, hover) = match layer {
        Layer::Score => ("risk score", ColorScalePalette::YlOrRd, "score %{z:.3f}"),
        Layer::Kde => ("incidents / km²", ColorScalePalette::YlOrRd, "KDE %{z:,.0f} incidents/km²"),
        Layer::GiZ => ("Gi* z", ColorScalePalette::RdBu, "Gi* z = %{z:.1f}"),
    };
    let mut heat = HeatMap::new(lon, lat, z)
        .color_scale(ColorScale::Palette(palette))
        .reverse_scale(layer != Layer::GiZ)
        .hover_template(format!("{hover}<br>%{{y:.4f}}, %{{x:.4f}}<extra></extra>"))
        .hover_on_gaps(false)
        .name(title);
    if layer == Layer::GiZ {
        heat = heat.zmid(0.0).reverse_scale(true);
    } else {
        // A few downtown cells dwarf the rest: the colours end at the 99th percentile so the
        // city's structure shows, on purpose; the bar's top tick says "≥" and its title the peak
        // (the hover gives every cell's own value).
        let values = v.model.cells.iter().map(|c| if layer == Layer::Score { c.score } else { c.kde });
        if let Some(r) = ColourRange::clipped(values, 99.0) {
            heat = heat.zmin(r.min).zmax(r.max).color_bar(colour_bar(&r, title));
        }
    }
    let mut traces: Vec<Box<dyn plotly::Trace>> = vec![heat];
    let extent = reference::extent_of(v.model.cells.iter().map(|c| (c.lon, c.lat)));
    // Labels placed at the map's scale (its plot area, about 1,100 × 620 px on a laptop), the
    // stops' or hotspots' first, then the area names where they fit.
    let mut labeller = reference::labeller(extent, 1100.0, 620.0);
    let points: Vec<(f64, f64)> = match route {
        Some(r) => r.cars.iter().flat_map(|c| c.visits.iter().map(|s| (s.lon, s.lat))).collect(),
        None => v.hotspots.iter().map(|h| (h.lon, h.lat)).collect(),
    };
    for &(x, y) in points.iter().chain(stations.iter().map(|s| (s.lon, s.lat)).collect::<Vec<_>>().iter()) {
        labeller.marker(x, y, 6.0);
    }
    labeller.marker(start.1, start.0, 9.0);
    let mut labelled_traces: Vec<Box<dyn plotly::Trace>> = Vec::new();
    if let Some(r) = route {
        for c in &r.cars {
            let colour = COLOURS[(c.car - 1) % COLOURS.len()];
            let (x, y): (Vec<f64>, Vec<f64>) = c.path.iter().map(|p| (p[1], p[0])).unzip();
            labelled_traces.push(
                Scatter::new(x, y)
                    .mode(Mode::Lines)
                    .name(format!("car {} route", c.car))
                    .line(Line::new().color(colour).width(3.0))
                    .hover_info(plotly::common::HoverInfo::Skip),
            );
            let at: Vec<(f64, f64)> = c.visits.iter().map(|s| (s.lon, s.lat)).collect();
            let names: Vec<String> =
                c.visits.iter().enumerate().map(|(i, s)| reference::short_label(i + 1, &s.place)).collect();
            let ranks: Vec<String> = (1..=at.len()).map(|i| i.to_string()).collect();
            let (text, sides) = reference::place_labels(&mut labeller, &at, &names, &ranks, 12.0, 6.0);
            let hover: Vec<String> = c
                .visits
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    format!(
                        "car {} stop {}: {} (hotspot #{}), arrive {}",
                        c.car,
                        i + 1,
                        s.name(),
                        s.rank,
                        clock(r.params.depart_min, s.eta_s)
                    )
                })
                .collect();
            let marker = Marker::new().size(11).color(colour).line(Line::new().color("#fff").width(1.5));
            labelled_traces.push(
                labelled(at, text, hover, marker, format!("car {} stops", c.car)).text_position_array(sides),
            );
        }
    } else {
        let at: Vec<(f64, f64)> = v.hotspots.iter().map(|h| (h.lon, h.lat)).collect();
        let names: Vec<String> =
            v.hotspots.iter().map(|h| reference::short_label(h.rank, &h.place)).collect();
        let ranks: Vec<String> = v.hotspots.iter().map(|h| h.rank.to_string()).collect();
        let (text, sides) = reference::place_labels(&mut labeller, &at, &names, &ranks, 12.0, 6.0);
        let hover: Vec<String> = v
            .hotspots
            .iter()
            .map(|h| format!("hotspot #{}: {}<br>{}", h.rank, h.place.label(), h.why))
            .collect();
        let marker = Marker::new().symbol(MarkerSymbol::CircleOpen).size(12).color("#111827");
        labelled_traces.push(labelled(at, text, hover, marker, "hotspots".into()).text_position_array(sides));
    }
    traces.extend(reference::labelled_traces(extent, reference::Layers::default(), Some(&mut labeller)));
    // Over the colours and the reference roads, under the route, the hotspots and their labels.
    traces.extend(terrain::overlays(shown));
    traces.extend(labelled_traces);
    if !stations.is_empty() {
        let (x, y): (Vec<f64>, Vec<f64>) = stations.iter().map(|s| (s.lon, s.lat)).unzip();
        let hover: Vec<String> = stations.iter().map(Station::label).collect();
        traces.push(
            Scatter::new(x, y)
                .mode(Mode::Markers)
                .hover_text_array(hover)
                .hover_info(plotly::common::HoverInfo::Text)
                .marker(Marker::new().symbol(MarkerSymbol::Square).size(9).color("#1e3a8a"))
                .name("police stations"),
        );
    }
    traces.push(
        Scatter::new(vec![start.1], vec![start.0])
            .mode(Mode::Markers)
            .marker(
                Marker::new()
                    .symbol(MarkerSymbol::Star)
                    .size(18)
                    .color("#16a34a")
                    .line(Line::new().color("#fff").width(1.0)),
            )
            .name("start"),
    );
    plot(
        lon_lat_axes(
            base_layout("Crime risk — click the map to start the route there", 720)
                .legend(Legend::new().x(0.0).y(1.0)),
        ),
        traces,
    )
}

/// Markers at (lon, lat) with a label above each and a hover text: a route's stops, the hotspots.
pub(crate) fn labelled(
    at: Vec<(f64, f64)>,
    text: Vec<String>,
    hover: Vec<String>,
    marker: Marker,
    name: String,
) -> Box<Scatter<f64, f64>> {
    let (x, y) = at.into_iter().unzip();
    Scatter::new(x, y)
        .mode(Mode::MarkersText)
        .text_array(text)
        .text_position(Position::TopCenter)
        .hover_text_array(hover)
        .hover_info(plotly::common::HoverInfo::Text)
        .marker(marker)
        .name(name)
}

/// Driving time and crimes covered, optimised vs naive, at each departure time.
pub fn evaluation(e: &Evaluation) -> Plot {
    let mut traces: Vec<Box<dyn plotly::Trace>> = Vec::new();
    for (route, colour) in [("optimised", "#2563eb"), ("naive", "#9ca3af")] {
        let rows: Vec<_> = e.rows.iter().filter(|r| r.route == route).collect();
        let x: Vec<String> = rows.iter().map(|r| clock(r.depart_min, 0.0)).collect();
        traces.push(
            Bar::new(x.clone(), rows.iter().map(|r| r.travel_time_s / 60.0).collect())
                .name(format!("{route}: driving minutes"))
                .marker(Marker::new().color(colour))
                .hover_template("%{x}: %{y:.0f} min<extra></extra>"),
        );
        traces.push(
            Scatter::new(x, rows.iter().map(|r| r.risk_per_min).collect())
                .name(format!("{route}: risk per minute"))
                .y_axis("y2")
                .mode(Mode::LinesMarkers)
                .line(Line::new().color(colour).dash(plotly::common::DashType::Dot))
                .hover_template("%{x}: %{y:.3f} risk/min<extra></extra>"),
        );
    }
    plot(
        base_layout("The route at other departure times, and the naive route", 360)
            .bar_mode(BarMode::Group)
            .x_axis(Axis::new().title("departure").type_(plotly::layout::AxisType::Category))
            .y_axis(Axis::new().title("driving minutes"))
            .y_axis2(
                Axis::new().title("risk per minute").overlaying("y").side(plotly::common::AxisSide::Right),
            ),
        traces,
    )
}
