//! The Back-test page's figures: hit rate against area for every method, PAI at the chosen
//! coverage, and the map of what one method flagged with the test period's crimes it caught.

use patroliq_core::backtest::methods::Method;
use patroliq_core::backtest::Backtest;
use patroliq_core::colour::ColourRange;
use patroliq_core::risk::grid::Grid;
use plotly::common::{
    ColorBar, ColorScale, ColorScalePalette, DashType, Line, Marker, MarkerSymbol, Mode, Orientation,
};
use plotly::layout::{Axis, Legend, Margin};
use plotly::{Bar, Plot, Scatter};

use crate::ui::charts::chart::base_layout;
use crate::ui::charts::cluster::{lon_lat_axes, COLOURS};
use crate::ui::charts::figure::plot;

/// One colour per method, the same in every figure.
pub fn colour(m: Method) -> &'static str {
    // The risk terrain (only with layers) after the methods every run has.
    let i = Method::ALL.iter().chain(&[Method::RiskTerrain]).position(|x| *x == m).unwrap_or(0);
    COLOURS[i % COLOURS.len()]
}

/// Hit rate (% of the test period's crimes) against area flagged (% of the city), every method
/// and the best possible; the headline coverage marked.
pub fn curve(b: &Backtest) -> Plot {
    let x: Vec<f64> = b.curve.iter().map(|c| 100.0 * c).collect();
    let pct = |v: &[f64]| v.iter().map(|h| 100.0 * h).collect::<Vec<_>>();
    let mut traces: Vec<Box<dyn plotly::Trace>> = b
        .methods
        .iter()
        .map(|m| {
            Scatter::new(x.clone(), pct(&m.curve))
                .mode(Mode::Lines)
                .name(m.label.clone())
                .line(Line::new().color(colour(m.method)).width(2.0))
                .hover_template(format!(
                    "{}<br>%{{x:.1f}} % of the area: %{{y:.1f}} % of crimes<extra></extra>",
                    m.label
                )) as Box<dyn plotly::Trace>
        })
        .collect();
    traces.push(
        Scatter::new(x, pct(&b.oracle_curve))
            .mode(Mode::Lines)
            .name("best possible")
            .line(Line::new().color("#111827").dash(DashType::Dash).width(1.5))
            .hover_template("best possible<br>%{x:.1f} %: %{y:.1f} %<extra></extra>"),
    );
    let c = 100.0 * b.params.coverages[0];
    traces.push(
        Scatter::new(vec![c, c], vec![0.0, 100.0])
            .mode(Mode::Lines)
            .name(format!("{c} % of the area"))
            .line(Line::new().color("#9ca3af").dash(DashType::Dot).width(1.0))
            .hover_info(plotly::common::HoverInfo::Skip),
    );
    plot(
        base_layout("Share of the test period's crimes in the flagged area", 440)
            .x_axis(Axis::new().title("area flagged, % of the city (drag to zoom)").range(vec![0.0, 30.0]))
            .y_axis(Axis::new().title("crimes caught, %").range(vec![0.0, 100.0]))
            .legend(Legend::new().x(1.02).y(1.0)),
        traces,
    )
}

/// PAI of each method at the headline coverage, best on top; PEI in the hover.
pub fn pai_bars(b: &Backtest) -> Plot {
    let mut rows: Vec<_> = b.methods.iter().collect();
    rows.sort_by(|x, y| x.metrics[0].pai.total_cmp(&y.metrics[0].pai));
    let y: Vec<String> = rows.iter().map(|m| m.label.clone()).collect();
    let x: Vec<f64> = rows.iter().map(|m| m.metrics[0].pai).collect();
    let hover: Vec<String> = rows
        .iter()
        .map(|m| {
            let k = &m.metrics[0];
            format!(
                "PAI {:.2}, PEI {:.2}: {:.1} % of crimes on {:.1} % of the area",
                k.pai,
                k.pei,
                100.0 * k.hit_rate,
                100.0 * k.area
            )
        })
        .collect();
    let colours: Vec<&str> = rows.iter().map(|m| colour(m.method)).collect();
    let best = b.oracle[0].pai;
    let traces: Vec<Box<dyn plotly::Trace>> = vec![
        Bar::new(x, y.clone())
            .orientation(Orientation::Horizontal)
            .marker(Marker::new().color_array(colours))
            .hover_text_array(hover)
            .hover_info(plotly::common::HoverInfo::Text)
            .name("PAI"),
        Scatter::new(
            vec![best, best],
            vec![y.first().cloned().unwrap_or_default(), y.last().cloned().unwrap_or_default()],
        )
        .mode(Mode::Lines)
        .line(Line::new().color("#111827").dash(DashType::Dash))
        .name(format!("best possible PAI {best:.2}")),
    ];
    plot(
        base_layout(
            &format!("Prediction Accuracy Index at {} % of the area", 100.0 * b.params.coverages[0]),
            360,
        )
        .margin(Margin::new().left(300).right(20).top(48).bottom(48))
        .x_axis(Axis::new().title("PAI = % of crimes ÷ % of area"))
        .show_legend(false),
        traces,
    )
}

/// How flagged cells are drawn: squares of `size` px, yellow to red up to `cmax` crimes.
struct Square {
    size: usize,
    cmax: f64,
    bar: ColorBar,
}

/// A method's flagged cells (of `grid`, in rank order) as squares at their centres, coloured by
/// the crimes that fell in each (`hits`).
fn flagged_cells(
    grid: &Grid,
    cells: impl Iterator<Item = usize>,
    hits: Vec<f64>,
    hover: Vec<String>,
    method: &str,
    square: Square,
) -> Box<dyn plotly::Trace> {
    let (x, y): (Vec<f64>, Vec<f64>) = cells
        .map(|c| {
            let (la, lo) = grid.centre_latlon(c);
            (lo, la)
        })
        .unzip();
    Scatter::new(x, y)
        .mode(Mode::Markers)
        .name(format!("{method} — flagged cells"))
        .hover_text_array(hover)
        .hover_info(plotly::common::HoverInfo::Text)
        .marker(
            Marker::new()
                .symbol(MarkerSymbol::Square)
                .size(square.size)
                .color_array(hits)
                .cmin(0.0)
                .cmax(square.cmax)
                .color_scale(ColorScale::Palette(ColorScalePalette::YlOrRd))
                .reverse_scale(true)
                .color_bar(square.bar),
        )
}

/// The cells `method` flagged at the headline coverage, coloured by the test crimes in each, with
/// the scored routes.
pub fn map(b: &Backtest, method: Method) -> Plot {
    let corners = [b.grid.centre_latlon(0), b.grid.centre_latlon(b.grid.len().saturating_sub(1))];
    let extent = crate::ui::charts::reference::extent_of(corners.iter().map(|&(la, lo)| (lo, la)));
    let mut traces = crate::ui::charts::reference::traces(extent, Default::default());
    if let Some(m) = b.methods.iter().find(|m| m.method == method) {
        let k = m.metrics[0].cells.min(m.cells.len());
        let hits: Vec<f64> = m.hits[..k].iter().map(|&h| h as f64).collect();
        // A few downtown cells dwarf the rest: the colours end at the 95th percentile, on purpose;
        // the bar's top tick says "≥" and its title the peak.
        let mut sorted = hits.clone();
        sorted.sort_by(f64::total_cmp);
        let cmax = sorted.get(sorted.len() * 95 / 100).copied().unwrap_or(1.0).max(1.0);
        let range = ColourRange::new(0.0, cmax, sorted.last().copied().unwrap_or(0.0));
        let hover: Vec<String> = m.hits[..k]
            .iter()
            .enumerate()
            .map(|(i, h)| {
                format!("flagged #{}: {} test-period crimes", i + 1, patroliq_core::fmt::thousands(*h as u64))
            })
            .collect();
        let bar = crate::ui::charts::figure::colour_bar(&range, "test crimes");
        let square = Square { size: 8, cmax, bar };
        traces.push(flagged_cells(&b.grid, m.cells[..k].iter().copied(), hits, hover, &m.label, square));
    }
    if let Some(r) = &b.route {
        for (row, colour) in r.rows.iter().zip(["#2563eb", "#6b7280"]) {
            let (x, y): (Vec<f64>, Vec<f64>) = row.path.iter().map(|p| (p[1], p[0])).unzip();
            traces.push(
                Scatter::new(x, y)
                    .mode(Mode::Lines)
                    .name(format!("{} route ({} stops)", row.route, row.stops))
                    .line(Line::new().color(colour).width(2.5).dash(if row.route == "naive" {
                        DashType::Dash
                    } else {
                        DashType::Solid
                    }))
                    .hover_info(plotly::common::HoverInfo::Skip),
            );
        }
    }
    plot(
        lon_lat_axes(
            base_layout("Flagged from the past, scored on the future", 640)
                .legend(Legend::new().x(0.0).y(1.0)),
        ),
        traces,
    )
}

// ---- The rolling back-test, near repeats and emerging hot spots --------------------------------

use patroliq_core::forecast::emerging::{Category, Emerging};
use patroliq_core::forecast::methods::ForecastMethod;
use patroliq_core::forecast::view::RollingView;
use plotly::common::{ErrorData, ErrorType};

/// One colour per forecasting method, the same in every figure.
pub fn forecast_colour(m: ForecastMethod) -> &'static str {
    // The risk terrain (only with layers) in a colour of its own, not next to the ensemble's.
    let i = match m {
        ForecastMethod::RiskTerrain => ForecastMethod::ALL.len() + 1,
        _ => ForecastMethod::ALL.iter().position(|x| *x == m).unwrap_or(0),
    };
    COLOURS[i % COLOURS.len()]
}

/// Each method's mean PAI gain over the naive counts at the headline coverage (%), with its
/// bootstrap interval as error bars; zero marked.
pub fn rolling_gain(v: &RollingView) -> Plot {
    let r = &v.rolling;
    let rows: Vec<_> = r.methods.iter().filter(|m| m.summary[0].vs_naive.is_some()).collect();
    let y: Vec<String> = rows.iter().map(|m| m.label.clone()).collect();
    let pct = |x: f64| if x.is_finite() { 100.0 * x } else { 0.0 };
    let gain: Vec<f64> =
        rows.iter().map(|m| pct(m.summary[0].vs_naive.as_ref().unwrap().relative_gain)).collect();
    let (plus, minus): (Vec<f64>, Vec<f64>) = rows
        .iter()
        .zip(&gain)
        .map(|(m, g)| {
            let iv = m.summary[0].vs_naive.as_ref().unwrap().relative_interval;
            ((pct(iv[1]) - g).max(0.0), (g - pct(iv[0])).max(0.0))
        })
        .unzip();
    let hover: Vec<String> = rows
        .iter()
        .map(|m| {
            let v = m.summary[0].vs_naive.as_ref().unwrap();
            format!(
                "{}: {:+.1} % PAI [{:+.1} %, {:+.1} %]; won {} of {} periods",
                m.label,
                pct(v.relative_gain),
                pct(v.relative_interval[0]),
                pct(v.relative_interval[1]),
                v.wins,
                r.scored
            )
        })
        .collect();
    let colours: Vec<&str> = rows.iter().map(|m| forecast_colour(m.method)).collect();
    let traces: Vec<Box<dyn plotly::Trace>> = vec![
        Bar::new(gain, y.clone())
            .orientation(Orientation::Horizontal)
            .marker(Marker::new().color_array(colours))
            .error_x(ErrorData::new(ErrorType::Data).array(plus).array_minus(minus).color("#111827"))
            .hover_text_array(hover)
            .hover_info(plotly::common::HoverInfo::Text)
            .name("gain"),
        Scatter::new(
            vec![0.0, 0.0],
            vec![y.first().cloned().unwrap_or_default(), y.last().cloned().unwrap_or_default()],
        )
        .mode(Mode::Lines)
        .line(Line::new().color("#6b7280").dash(DashType::Dash))
        .name("naive")
        .hover_info(plotly::common::HoverInfo::Skip),
    ];
    plot(
        base_layout(
            &format!(
                "PAI gain over last weeks' counts at {} % of the city, 95 % interval",
                100.0 * r.params.coverages[0]
            ),
            380,
        )
        .margin(Margin::new().left(300).right(20).top(48).bottom(48))
        .x_axis(Axis::new().title("mean PAI ÷ naive's mean PAI − 1, %"))
        .show_legend(false),
        traces,
    )
}

/// Each method's hit rate at the headline coverage, period by period.
pub fn rolling_periods(v: &RollingView) -> Plot {
    let r = &v.rolling;
    let x: Vec<String> = r.periods.iter().map(|p| p.label.clone()).collect();
    let traces: Vec<Box<dyn plotly::Trace>> = r
        .methods
        .iter()
        .map(|m| {
            let y: Vec<Option<f64>> = m
                .periods
                .iter()
                .zip(&r.periods)
                .map(|(s, p)| (p.incidents > 0).then(|| 100.0 * s.hits[0] as f64 / p.incidents as f64))
                .collect();
            let dash = if m.method == ForecastMethod::Naive { DashType::Dash } else { DashType::Solid };
            Scatter::new(x.clone(), y)
                .mode(Mode::LinesMarkers)
                .name(m.label.clone())
                .line(Line::new().color(forecast_colour(m.method)).width(1.5).dash(dash))
                .marker(Marker::new().size(4))
                .hover_template(format!(
                    "{}<br>%{{x}}: %{{y:.1f}} % of the period's incidents<extra></extra>",
                    m.label
                )) as Box<dyn plotly::Trace>
        })
        .collect();
    plot(
        base_layout(&format!("Hit rate per period at {} % of the city", 100.0 * r.params.coverages[0]), 420)
            .x_axis(Axis::new().title("period start"))
            .y_axis(Axis::new().title("incidents in the flagged cells, %"))
            .legend(Legend::new().x(1.02).y(1.0)),
        traces,
    )
}

/// One period: the cells `method` flagged (squares, coloured by the period's incidents in them)
/// and every cell where the period's incidents fell (dots).
pub fn rolling_map(v: &RollingView, method: usize, period: usize) -> Plot {
    let r = &v.rolling;
    let g = &r.grid;
    let mut traces: Vec<Box<dyn plotly::Trace>> = Vec::new();
    let inc = v.incidents.get(period).cloned().unwrap_or_default();
    let count = |c: u32| inc.iter().find(|x| x.0 == c).map_or(0, |x| x.1);
    if let (Some(m), Some(cells)) = (r.methods.get(method), v.flagged.get(method).and_then(|f| f.get(period)))
    {
        let hits: Vec<f64> = cells.iter().map(|&c| f64::from(count(c))).collect();
        let hover: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, &c)| format!("flagged #{}: {} incidents", i + 1, count(c)))
            .collect();
        let square = Square { size: 9, cmax: 3.0, bar: ColorBar::new().title("incidents") };
        traces.push(flagged_cells(g, cells.iter().map(|&c| c as usize), hits, hover, &m.label, square));
    }
    let (x, y): (Vec<f64>, Vec<f64>) = inc
        .iter()
        .map(|&(c, _)| {
            let (la, lo) = g.centre_latlon(c as usize);
            (lo, la)
        })
        .unzip();
    let hover: Vec<String> = inc.iter().map(|&(_, n)| format!("{n} incidents this period")).collect();
    traces.push(
        Scatter::new(x, y)
            .mode(Mode::Markers)
            .name("where the period's incidents fell")
            .hover_text_array(hover)
            .hover_info(plotly::common::HoverInfo::Text)
            .marker(Marker::new().size(3).color("#1f2937").opacity(0.6)),
    );
    // The city under the cells: roads, districts, area outlines and names (the whole grid's
    // extent, so that the map does not jump from period to period).
    let corners = [g.centre_latlon(0), g.centre_latlon(g.len().saturating_sub(1))];
    let extent = crate::ui::charts::reference::extent_of(corners.iter().map(|&(la, lo)| (lo, la)));
    traces.splice(0..0, crate::ui::charts::reference::traces(extent, Default::default()));
    let label = r.periods.get(period).map_or(String::new(), |p| p.label.clone());
    plot(
        lon_lat_axes(
            base_layout(&format!("Period starting {label}: flagged from the rows before it"), 640)
                .legend(Legend::new().x(0.0).y(1.0)),
        ),
        traces,
    )
}

/// The colour of an emerging hot spot category: reds for hot, blues for cold, grey for none.
pub fn category_colour(c: Category) -> &'static str {
    use Category::*;
    match c {
        NoPattern => "#d1d5db",
        NewHot => "#fca5a5",
        ConsecutiveHot => "#f87171",
        IntensifyingHot => "#b91c1c",
        PersistentHot => "#dc2626",
        DiminishingHot => "#fb923c",
        SporadicHot => "#fdba74",
        OscillatingHot => "#f472b6",
        HistoricalHot => "#a16207",
        NewCold => "#bfdbfe",
        ConsecutiveCold => "#93c5fd",
        IntensifyingCold => "#1d4ed8",
        PersistentCold => "#2563eb",
        DiminishingCold => "#60a5fa",
        SporadicCold => "#a5b4fc",
        OscillatingCold => "#818cf8",
        HistoricalCold => "#0e7490",
    }
}

/// "intensifying hot spot".
pub fn category_label(c: Category) -> String {
    let key = serde_json::to_value(c).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
    match key.rsplit_once('_') {
        Some((what, side)) => format!("{} {side} spot", what.replace('_', " ")),
        None => key.replace('_', " "),
    }
}

/// The cells of the cube by category (one trace per category shown; `only` keeps one).
pub fn emerging_map(e: &Emerging, only: Option<Category>) -> Plot {
    // The city under the cells (all of them, whichever categories are shown).
    let extent = crate::ui::charts::reference::extent_of(e.cells.iter().map(|t| (t.lon, t.lat)));
    let mut traces = crate::ui::charts::reference::traces(extent, Default::default());
    traces.extend(
        e.categories
            .iter()
            .filter(|(c, _)| only.is_none_or(|o| o == *c))
            .filter(|(c, _)| only.is_some() || *c != Category::NoPattern)
            .map(|&(c, _)| {
                let cells: Vec<_> = e.of(c).collect();
                let (x, y): (Vec<f64>, Vec<f64>) = cells.iter().map(|t| (t.lon, t.lat)).unzip();
                let hover: Vec<String> = cells
                    .iter()
                    .map(|t| {
                        format!(
                            "{}: {} incidents, hot in {} bins, trend z {:.2} (p {:.3})",
                            category_label(c),
                            t.incidents,
                            t.hot_bins,
                            t.trend_z,
                            t.trend_p
                        )
                    })
                    .collect();
                Scatter::new(x, y)
                    .mode(Mode::Markers)
                    .name(format!("{} ({})", category_label(c), cells.len()))
                    .hover_text_array(hover)
                    .hover_info(plotly::common::HoverInfo::Text)
                    .marker(Marker::new().symbol(MarkerSymbol::Square).size(7).color(category_colour(c)))
                    as Box<dyn plotly::Trace>
            }),
    );
    plot(
        lon_lat_axes(
            base_layout(
                &format!(
                    "Emerging hot spots, {} bins ({} cells of {} m)",
                    match e.params.bin {
                        patroliq_core::forecast::emerging::Bin::Week => "weekly",
                        patroliq_core::forecast::emerging::Bin::Month => "monthly",
                    },
                    e.cells.len(),
                    e.params.cell_m
                ),
                640,
            )
            .legend(Legend::new().x(1.02).y(1.0)),
        ),
        traces,
    )
}
