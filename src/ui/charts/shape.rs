//! Figures of the Shape page: PCA (scree, loadings, scatter of the first components) and the
//! t-SNE / UMAP maps. Points are drawn one trace per category (crime type, temporal pattern or a
//! 3-hour block), so the legend toggles them and every trace keeps its own colour.

use patroliq_core::fmt::thousands;
use patroliq_core::reduce::embed::{EmbedView, PointInfo};
use patroliq_core::reduce::pca::{Pca, PcaView};
use plotly::common::{AxisSide, ColorScale, ColorScalePalette, Line, Marker, Mode, Title};
use plotly::layout::{Axis, Shape, ShapeLine, ShapeType};
use plotly::{Bar, HeatMap, Plot, Scatter, Scatter3D};

use crate::ui::charts::chart::{base_layout, RASTER};
use crate::ui::charts::figure::{plot, WEEKDAYS};
use crate::ui::charts::when::colour;

/// What colours the points of a map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColourBy {
    Type,
    Hour,
    Pattern,
}

/// The category of each point and the categories' names, for `by` (patterns fall back to types
/// when the map has none).
pub fn categories(
    points: &PointInfo,
    pattern: Option<&(Vec<String>, Vec<i8>)>,
    by: ColourBy,
) -> (Vec<String>, Vec<usize>) {
    match (by, pattern) {
        (ColourBy::Pattern, Some((names, of))) => {
            let mut names = names.clone();
            names.push("no pattern".into());
            let other = names.len() - 1;
            (names, of.iter().map(|&p| if p >= 0 { p as usize } else { other }).collect())
        }
        (ColourBy::Hour, _) => {
            let names = (0..8).map(|b| format!("{:02}:00–{:02}:59", 3 * b, 3 * b + 2)).collect();
            (names, points.hour.iter().map(|&h| h as usize / 3).collect())
        }
        _ => (points.types.clone(), points.type_of.iter().map(|&t| t as usize).collect()),
    }
}

/// A cyclic palette for the hour blocks (night blue, morning yellow, afternoon orange, evening
/// purple), else the categorical one.
fn category_colour(by: ColourBy, i: usize) -> &'static str {
    const HOURS: [&str; 8] =
        ["#1e3a8a", "#3b82f6", "#facc15", "#f59e0b", "#ea580c", "#dc2626", "#9333ea", "#4c1d95"];
    match by {
        ColourBy::Hour => HOURS[i % 8],
        _ => colour(i),
    }
}

fn hover(points: &PointInfo, i: usize) -> String {
    let district = points.district[i];
    let district =
        if district == patroliq_core::model::NULL_U8 { "–".to_string() } else { district.to_string() };
    format!(
        "{} · {} {:02}:00 · district {district}",
        points.types[points.type_of[i] as usize],
        WEEKDAYS[points.weekday[i] as usize % 7],
        points.hour[i]
    )
}

/// Points in 2-D, one trace per category, drawn as one image with their hover text kept
/// (chart.rs: a 20,000-point map drawn as SVG held the UI thread for about a second). Not `scattergl`: without a GPU (Chromium's software renderer, where the 3-D view
/// draws) Plotly's `scattergl` showed "WebGL is not supported" instead of the map, and it started
/// no faster than 2,000 SVG points.
fn scatter_2d(
    xy: &[[f32; 2]],
    points: &PointInfo,
    pattern: Option<&(Vec<String>, Vec<i8>)>,
    by: ColourBy,
    size: usize,
) -> Vec<Box<dyn plotly::Trace>> {
    let (names, cat) = categories(points, pattern, by);
    // Categories with no point get no trace (and no legend entry).
    (0..names.len())
        .map(|c| (c, (0..xy.len()).filter(|&i| cat[i] == c).collect::<Vec<usize>>()))
        .filter(|(_, idx)| !idx.is_empty())
        .map(|(c, idx)| {
            Scatter::new(idx.iter().map(|&i| xy[i][0]).collect(), idx.iter().map(|&i| xy[i][1]).collect())
                .mode(Mode::Markers)
                .name(&names[c])
                .marker(Marker::new().size(size).color(category_colour(by, c)).opacity(0.7))
                .hover_text_array(idx.iter().map(|&i| hover(points, i)).collect())
                .hover_info(plotly::common::HoverInfo::Text)
                // Pixels with hover text kept (chart.rs): 2,000 SVG points were the longest task
                // of the UI thread on the Shape page (86–91 ms, bench/ui_trace.mjs).
                .meta(RASTER) as Box<dyn plotly::Trace>
        })
        .collect()
}

/// Explained variance of each component and the running total, with the 70 % and 90 % marks.
pub fn scree(p: &Pca) -> Plot {
    let pcs: Vec<String> = (1..=p.explained_variance_ratio.len()).map(|i| format!("PC{i}")).collect();
    let mark = |y: f64| {
        Shape::new()
            .shape_type(ShapeType::Line)
            .x_ref("paper")
            .y_ref("y2")
            .x0(0.0)
            .x1(1.0)
            .y0(y)
            .y1(y)
            .line(ShapeLine::new().color("#9ca3af").dash(plotly::common::DashType::Dash))
    };
    let mut layout = base_layout("Scree plot: variance explained by each component", 380)
        .y_axis(Axis::new().title("% of the variance"))
        .y_axis2(
            Axis::new().title("cumulative %").overlaying("y").side(AxisSide::Right).range(vec![0.0, 100.0]),
        );
    layout.add_shape(mark(70.0));
    layout.add_shape(mark(90.0));
    plot(
        layout,
        vec![
            Bar::new(pcs.clone(), p.explained_variance_ratio.iter().map(|r| 100.0 * r).collect())
                .name("explained")
                .marker(Marker::new().color("#2563eb"))
                .hover_template("%{x}: %{y:.1f} % of the variance<extra></extra>"),
            Scatter::new(pcs, p.cumulative.iter().map(|r| 100.0 * r).collect())
                .mode(Mode::LinesMarkers)
                .name("cumulative")
                .y_axis("y2")
                .line(Line::new().color("#f59e0b"))
                .hover_template("up to %{x}: %{y:.1f} %<extra></extra>"),
        ],
    )
}

/// Loadings of the first `n` components on every feature.
pub fn loadings(p: &Pca, n: usize) -> Plot {
    let n = n.min(p.components.len());
    let pcs: Vec<String> = (1..=n).map(|i| format!("PC{i}")).collect();
    let z: Vec<Vec<f64>> =
        p.features.iter().enumerate().map(|(j, _)| (0..n).map(|c| p.components[c][j]).collect()).collect();
    let heat = HeatMap::new(pcs, p.features.clone(), z)
        .color_scale(ColorScale::Palette(ColorScalePalette::RdBu))
        .zmin(-1.0)
        .zmax(1.0)
        .hover_template("%{y} on %{x}: %{z:.3f}<extra></extra>");
    plot(
        base_layout("Loadings: how much each feature weighs in each component", 560)
            .margin(plotly::layout::Margin::new().left(130).right(20).top(48).bottom(48)),
        vec![heat],
    )
}

/// The sampled rows on PC1 and PC2.
pub fn pca_scatter(v: &PcaView, by: ColourBy) -> Plot {
    let (scores, points, p) = (&v.scores, &v.points, &v.pca);
    let xy: Vec<[f32; 2]> = scores.iter().map(|s| [s[0], s[1]]).collect();
    let pct = |i: usize| 100.0 * p.explained_variance_ratio.get(i).copied().unwrap_or(0.0);
    let what = match (by, &v.pattern) {
        (ColourBy::Pattern, Some(_)) => "temporal pattern",
        (ColourBy::Hour, _) => "hour",
        _ => "crime type",
    };
    plot(
        base_layout(
            &format!("{} incidents on the first two components, by {what}", thousands(xy.len() as u64)),
            480,
        )
        .x_axis(Axis::new().title(Title::with_text(format!("PC1 ({:.1} %)", pct(0)))))
        .y_axis(Axis::new().title(Title::with_text(format!("PC2 ({:.1} %)", pct(1))))),
        scatter_2d(&xy, points, v.pattern.as_ref(), by, 4),
    )
}

/// The sampled rows on PC1–PC3 (WebGL).
pub fn pca_3d(scores: &[[f32; 3]], points: &PointInfo, p: &Pca) -> Plot {
    let pct = |i: usize| 100.0 * p.explained_variance_ratio.get(i).copied().unwrap_or(0.0);
    let axis = |i: usize| Axis::new().title(Title::with_text(format!("PC{} ({:.1} %)", i + 1, pct(i))));
    let (names, cat) = categories(points, None, ColourBy::Type);
    let traces = (0..names.len())
        .map(|c| {
            let idx: Vec<usize> = (0..scores.len()).filter(|&i| cat[i] == c).collect();
            let pick = |a: usize| idx.iter().map(|&i| scores[i][a]).collect::<Vec<f32>>();
            Scatter3D::new(pick(0), pick(1), pick(2))
                .mode(Mode::Markers)
                .name(&names[c])
                .marker(Marker::new().size(2).color(colour(c))) as Box<dyn plotly::Trace>
        })
        .collect();
    let scene = plotly::layout::LayoutScene::new().x_axis(axis(0)).y_axis(axis(1)).z_axis(axis(2));
    plot(base_layout("The first three components (drag to turn)", 560).scene(scene), traces)
}

/// A t-SNE or UMAP map.
pub fn map(v: &EmbedView, by: ColourBy) -> Plot {
    let size = if v.xy.len() > 10_000 { 3 } else { 4 };
    let title = format!("{} map of {} incidents", v.params.method.name(), thousands(v.xy.len() as u64));
    plot(
        base_layout(&title, 600)
            .x_axis(Axis::new().show_tick_labels(false).zero_line(false))
            .y_axis(Axis::new().show_tick_labels(false).zero_line(false)),
        scatter_2d(&v.xy, &v.points, v.pattern.as_ref(), by, size),
    )
}
