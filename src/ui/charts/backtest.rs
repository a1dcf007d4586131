//! The Back-test page's figures: hit rate against area for every method, PAI at the chosen
//! coverage, and the map of what one method flagged with the test period's crimes it caught.

use patroliq_core::backtest::methods::Method;
use patroliq_core::backtest::Backtest;
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
    let i = Method::ALL.iter().position(|x| *x == m).unwrap_or(0);
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

/// The cells `method` flagged at the headline coverage, coloured by the test crimes in each, with
/// the scored routes.
pub fn map(b: &Backtest, method: Method) -> Plot {
    let corners = [b.grid.centre_latlon(0), b.grid.centre_latlon(b.grid.len().saturating_sub(1))];
    let extent = crate::ui::charts::reference::extent_of(corners.iter().map(|&(la, lo)| (lo, la)));
    let mut traces = crate::ui::charts::reference::traces(extent, Default::default());
    if let Some(m) = b.methods.iter().find(|m| m.method == method) {
        let k = m.metrics[0].cells.min(m.cells.len());
        let (mut x, mut y) = (Vec::with_capacity(k), Vec::with_capacity(k));
        for &c in &m.cells[..k] {
            let (la, lo) = b.grid.centre_latlon(c);
            x.push(lo);
            y.push(la);
        }
        let hits: Vec<f64> = m.hits[..k].iter().map(|&h| h as f64).collect();
        // A few downtown cells dwarf the rest: the colours end at the 95th percentile.
        let mut sorted = hits.clone();
        sorted.sort_by(f64::total_cmp);
        let cmax = sorted.get(sorted.len() * 95 / 100).copied().unwrap_or(1.0).max(1.0);
        let hover: Vec<String> = m.hits[..k]
            .iter()
            .enumerate()
            .map(|(i, h)| {
                format!("flagged #{}: {} test-period crimes", i + 1, patroliq_core::fmt::thousands(*h as u64))
            })
            .collect();
        traces.push(
            Scatter::new(x, y)
                .mode(Mode::Markers)
                .name(format!("{} — flagged cells", m.label))
                .hover_text_array(hover)
                .hover_info(plotly::common::HoverInfo::Text)
                .marker(
                    Marker::new()
                        .symbol(MarkerSymbol::Square)
                        .size(8)
                        .color_array(hits)
                        .cmin(0.0)
                        .cmax(cmax)
                        .color_scale(ColorScale::Palette(ColorScalePalette::YlOrRd))
                        .reverse_scale(true)
                        .color_bar(ColorBar::new().title("test crimes")),
                ),
        );
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
