//! The risk terrain's figures (issue #36): a layer's thumbnail, the layers drawn over the risk map,
//! and the map of the leave-one-area-out error.

use std::sync::Arc;

use patroliq_core::colour::ColourRange;
use patroliq_core::risk::RiskModel;
use patroliq_core::terrain::{Sketch, TerrainModel};
use plotly::common::{ColorScale, ColorScalePalette, HoverInfo, Line, Marker, MarkerSymbol, Mode};
use plotly::layout::{Axis, Margin};
use plotly::{HeatMap, Plot, Scatter};

use crate::ui::charts::chart::base_layout;
use crate::ui::charts::cluster::lon_lat_axes;
use crate::ui::charts::figure::{colour_bar, plot};

/// The overlays' colours: none of the risk map's (its heatmap's reds, the cars' colours, the
/// stations' navy, the start's green).
const OVERLAY: [&str; 6] = ["#7c3aed", "#0891b2", "#db2777", "#4d7c0f", "#b45309", "#0f766e"];
const OVERLAY_SYMBOLS: [MarkerSymbol; 3] =
    [MarkerSymbol::Diamond, MarkerSymbol::TriangleUp, MarkerSymbol::Cross];

/// The paths of `s` in one trace, separated by gaps: (x, y) = (lon, lat).
fn paths(s: &Sketch) -> (Vec<Option<f64>>, Vec<Option<f64>>) {
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for p in &s.paths {
        x.extend(p.iter().map(|c| Some(c[0])));
        y.extend(p.iter().map(|c| Some(c[1])));
        x.push(None);
        y.push(None);
    }
    (x, y)
}

/// A layer's features in a small plot: points as dots, lines and polygons as outlines. No axes,
/// no hover, no legend: it says what the layer holds and where, at a glance.
pub fn thumbnail(s: &Sketch) -> Plot {
    let mut traces: Vec<Box<dyn plotly::Trace>> = Vec::new();
    if !s.paths.is_empty() {
        let (x, y) = paths(s);
        traces.push(
            Scatter::new(x, y)
                .mode(Mode::Lines)
                .line(Line::new().color("#0f766e").width(1.0))
                .hover_info(HoverInfo::Skip)
                .name("outlines"),
        );
    }
    if !s.points.is_empty() {
        let (x, y): (Vec<f64>, Vec<f64>) = s.points.iter().map(|c| (c[0], c[1])).unzip();
        traces.push(
            Scatter::new(x, y)
                .mode(Mode::Markers)
                .marker(Marker::new().size(3).color("#7c3aed").opacity(0.7))
                .hover_info(HoverInfo::Skip)
                .name("points"),
        );
    }
    let ratio = 1.0 / patroliq_core::features::frame().0.to_radians().cos();
    let hidden = || Axis::new().visible(false).show_grid(false).zero_line(false);
    let layout = base_layout("", 150)
        .width(200)
        .margin(Margin::new().left(4).right(4).top(4).bottom(4))
        .show_legend(false)
        .x_axis(hidden())
        .y_axis(hidden().scale_anchor("x").scale_ratio(ratio));
    let mut p = plot(layout, traces);
    // A thumbnail is a picture: no toolbar, no zoom catching the page's scroll.
    p.set_configuration(crate::ui::charts::chart::config().static_plot(true).responsive(false));
    p
}

/// The layers switched on, as traces over a map: a trace named after each layer (its points as
/// markers, its lines and polygons as outlines in the same colour, one legend entry).
pub fn overlays(shown: &[(String, Arc<Sketch>)]) -> Vec<Box<dyn plotly::Trace>> {
    let mut traces: Vec<Box<dyn plotly::Trace>> = Vec::new();
    for (k, (name, s)) in shown.iter().enumerate() {
        let colour = OVERLAY[k % OVERLAY.len()];
        let group = format!("layer {name}");
        if !s.paths.is_empty() {
            let (x, y) = paths(s);
            traces.push(
                Scatter::new(x, y)
                    .mode(Mode::Lines)
                    .line(Line::new().color(colour).width(1.5))
                    .hover_info(HoverInfo::Skip)
                    .legend_group(&group)
                    .show_legend(s.points.is_empty())
                    .name(name),
            );
        }
        if !s.points.is_empty() {
            let (x, y): (Vec<f64>, Vec<f64>) = s.points.iter().map(|c| (c[0], c[1])).unzip();
            traces.push(
                Scatter::new(x, y)
                    .mode(Mode::Markers)
                    .marker(
                        Marker::new()
                            .symbol(OVERLAY_SYMBOLS[k % OVERLAY_SYMBOLS.len()].clone())
                            .size(5)
                            .color(colour)
                            .opacity(0.75),
                    )
                    .hover_template(format!("{name}<br>%{{y:.4f}}, %{{x:.4f}}<extra></extra>"))
                    .legend_group(&group)
                    .name(name),
            );
        }
    }
    traces
}

/// The held-out area of each of `m`'s cells (grid index, area's position in `cv.per_area`):
/// `tm.cell_area` follows the study cells in grid order, which are `m.cells` sorted by index.
pub fn cells_by_area(m: &RiskModel, tm: &TerrainModel) -> Vec<(usize, usize)> {
    let mut cells: Vec<usize> = m.cells.iter().map(|c| c.cell).collect();
    cells.sort_unstable();
    if cells.len() != tm.cell_area.len() {
        return Vec::new();
    }
    cells.into_iter().zip(&tm.cell_area).filter_map(|(c, a)| a.map(|a| (c, a as usize))).collect()
}

/// Each study cell coloured by the mean absolute error of its area when that area was left out
/// and predicted from the others: a choropleth of the areas the model predicts worst.
pub fn cv_map(m: &RiskModel, tm: &TerrainModel) -> Plot {
    let g = &m.grid;
    let lon: Vec<f64> = (0..g.cols).map(|c| g.centre_latlon(c).1).collect();
    let lat: Vec<f64> = (0..g.rows).map(|r| g.centre_latlon(r * g.cols).0).collect();
    let mut z: Vec<Vec<Option<f64>>> = vec![vec![None; g.cols]; g.rows];
    for (cell, area) in cells_by_area(m, tm) {
        let (col, row) = g.col_row(cell);
        z[row][col] = tm.cv.per_area.get(area).map(|a| a.mean_abs_error);
    }
    let title = "mean |observed − expected|<br>incidents per cell";
    let mut heat = HeatMap::new(lon, lat, z)
        .color_scale(ColorScale::Palette(ColorScalePalette::YlOrRd))
        .reverse_scale(true)
        .hover_template("held-out error %{z:.2f} incidents per cell<br>%{y:.4f}, %{x:.4f}<extra></extra>")
        .hover_on_gaps(false)
        .name("held-out error");
    if let Some(r) = ColourRange::clipped(tm.cv.per_area.iter().map(|a| a.mean_abs_error), 100.0) {
        heat = heat.zmin(r.min).zmax(r.max).color_bar(colour_bar(&r, title));
    }
    plot(
        lon_lat_axes(base_layout(
            &format!("Error when each of the {} is left out and predicted from the others", tm.cv.folds),
            560,
        )),
        vec![heat],
    )
}
