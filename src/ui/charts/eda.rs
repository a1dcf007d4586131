//! The EDA figures, each built from the worker's [`Eda`] aggregates (never from rows).
//!
//! Hover texts carry the exact counts and shares: on a tablet there is no tooltip-free way to read
//! a bar's value, and analysts quote numbers.

use patroliq_core::coverage::PartialBin;
use patroliq_core::eda::Eda;
use plotly::common::{
    Anchor, ColorScale, ColorScalePalette, DashType, Font, Line, Marker, MarkerSymbol, Mode, Orientation,
    Title,
};
use plotly::layout::{Annotation, Axis, AxisType, BarMode, RangeSlider};
use plotly::{Bar, HeatMap, Plot, Scatter};

use super::chart::{base_layout, label_margin, label_width, rotated_height};
use super::figure::{hours, plot, ACCENT, WEEKDAYS};
use crate::ui::widgets::format::{count, percent};

const SECOND: &str = "#f59e0b";

fn share_of(n: u64, total: u64) -> String {
    percent(n as f64 / total.max(1) as f64)
}

/// Every crime type, most frequent at the top, with count and share.
pub fn types(e: &Eda) -> Plot {
    // Plotly draws horizontal bars bottom-up.
    let rows: Vec<_> = e.types.iter().rev().collect();
    let y: Vec<String> = rows.iter().map(|t| t.primary_type.clone()).collect();
    let x: Vec<u64> = rows.iter().map(|t| t.count).collect();
    let text: Vec<String> = rows.iter().map(|t| percent(t.share)).collect();
    let hover: Vec<String> = rows
        .iter()
        .map(|t| format!("{}: {} incidents ({})", t.primary_type, count(t.count), percent(t.share)))
        .collect();
    let bar = Bar::new(x, y)
        .orientation(Orientation::Horizontal)
        .text_array(text)
        .hover_text_array(hover)
        .hover_info(plotly::common::HoverInfo::Text)
        .marker(Marker::new().color(ACCENT))
        .name("incidents");
    let height = 90 + 22 * rows.len().max(3);
    let left = label_width(rows.iter().map(|t| t.primary_type.as_str()));
    plot(
        base_layout("Incidents by crime type", height)
            .margin(label_margin(left, 48.0))
            .x_axis(Axis::new().title("incidents")),
        vec![bar],
    )
}

/// Vertical bars of counts over named slots (hours, weekdays), hover giving count and share.
fn count_bars(title: &str, labels: Vec<String>, counts: &[u64], total: u64) -> Plot {
    let hover: Vec<String> = labels
        .iter()
        .zip(counts)
        .map(|(l, &n)| format!("{l}: {} ({})", count(n), share_of(n, total)))
        .collect();
    let bar = Bar::new(labels, counts.to_vec())
        .hover_text_array(hover)
        .hover_info(plotly::common::HoverInfo::Text)
        .marker(Marker::new().color(ACCENT))
        .name("incidents");
    plot(base_layout(title, 320).y_axis(Axis::new().title("incidents")), vec![bar])
}

pub fn by_hour(e: &Eda) -> Plot {
    count_bars("Incidents by hour of day", hours(), &e.by_hour, e.rows)
}

pub fn by_weekday(e: &Eda) -> Plot {
    count_bars(
        "Incidents by day of week",
        WEEKDAYS.iter().map(|d| d.to_string()).collect(),
        &e.by_weekday,
        e.rows,
    )
}

/// The light colour of a bin the data only partly covers.
const PARTIAL: &str = "#93a8d6";

/// A series over bins (`x`, `y`, their hover) with the bins the data only partly covers drawn
/// apart: the whole bins are the series' line; each partial bin is an open marker joined to its
/// neighbour by a dashed segment, its hover and a note beside it saying how many days it holds
/// ("partial month: data to 31 Dec (…)"), so that a short bin does not read as a collapse.
fn with_partials(
    x: Vec<String>,
    y: Vec<u64>,
    hover: Vec<String>,
    partial: &[PartialBin],
    mode: Mode,
    what: &str,
) -> (Vec<Box<dyn plotly::Trace>>, Vec<Annotation>) {
    let is_partial = |i: usize| partial.iter().any(|p| p.index == i);
    let whole: Vec<Option<u64>> = y.iter().enumerate().map(|(i, &v)| (!is_partial(i)).then_some(v)).collect();
    let mut traces: Vec<Box<dyn plotly::Trace>> = vec![Scatter::new(x.clone(), whole)
        .mode(mode)
        .hover_text_array(hover.clone())
        .hover_info(plotly::common::HoverInfo::Text)
        .name("incidents")
        .marker(Marker::new().color(ACCENT))];
    let mut notes = Vec::new();
    for (k, p) in partial.iter().enumerate().filter(|(_, p)| p.index < x.len()) {
        let i = p.index;
        // Joined to the whole neighbour on the inside of the series.
        let near = if i == 0 { 1 } else { i - 1 };
        let pair: Vec<usize> =
            if near < x.len() && !is_partial(near) { vec![near.min(i), near.max(i)] } else { vec![i] };
        let hov: Vec<String> = pair
            .iter()
            .map(|&j| if j == i { format!("{}<br>{}", hover[j], p.note) } else { hover[j].clone() })
            .collect();
        traces.push(
            Scatter::new(pair.iter().map(|&j| x[j].clone()).collect(), pair.iter().map(|&j| y[j]).collect())
                .mode(Mode::LinesMarkers)
                .name(format!("partial {what}"))
                .legend_group("partial")
                .show_legend(k == 0)
                .line(Line::new().color(PARTIAL).dash(DashType::Dash).width(2.0))
                .marker(
                    Marker::new()
                        .color(PARTIAL)
                        .size(9)
                        .symbol(MarkerSymbol::CircleOpen)
                        .line(Line::new().color(PARTIAL).width(2.0)),
                )
                .hover_text_array(hov)
                .hover_info(plotly::common::HoverInfo::Text),
        );
        notes.push(
            Annotation::new()
                .x(x[i].clone())
                .y(y[i] as f64)
                .text(p.note.replace(" (", "<br>("))
                .show_arrow(true)
                .arrow_color(PARTIAL)
                .font(Font::new().size(11).color("#475569"))
                .x_anchor(if i == 0 { Anchor::Left } else { Anchor::Right })
                .ay(-36.0)
                .ax(if i == 0 { 20.0 } else { -20.0 }),
        );
    }
    (traces, notes)
}

/// Incidents per month; the first and last months, when the data starts or ends inside them, are
/// drawn apart with how many of their days it holds.
pub fn by_month(e: &Eda) -> Plot {
    // A few months on a date axis get ticks of days or hours (`23:59:59.999`): drawn as
    // categories, each month is one labelled tick.
    let few = e.by_month.len() < 4;
    let x: Vec<String> =
        e.by_month.iter().map(|(m, _)| if few { m.clone() } else { format!("{m}-01") }).collect();
    let y: Vec<u64> = e.by_month.iter().map(|(_, n)| *n).collect();
    let hover: Vec<String> =
        e.by_month.iter().map(|(m, n)| format!("{m}: {} incidents", count(*n))).collect();
    let (traces, notes) = with_partials(x, y, hover, &e.partial_months, Mode::LinesMarkers, "month");
    plot(
        base_layout("Incidents per month", 320)
            .annotations(notes)
            .x_axis(Axis::new().type_(if few { AxisType::Category } else { AxisType::Date }))
            .y_axis(Axis::new().title("incidents").range_mode(plotly::layout::RangeMode::ToZero)),
        traces,
    )
}

/// Weekly counts with a range slider to zoom into a season; partial first and last weeks apart.
pub fn by_week(e: &Eda) -> Plot {
    let x: Vec<String> = e.by_week.iter().map(|(w, _)| w.clone()).collect();
    let y: Vec<u64> = e.by_week.iter().map(|(_, n)| *n).collect();
    let hover: Vec<String> = e.by_week.iter().map(|(w, n)| format!("week of {w}: {}", count(*n))).collect();
    let (traces, notes) = with_partials(x, y, hover, &e.partial_weeks, Mode::Lines, "week");
    plot(
        base_layout("Incidents per week (Monday to Sunday)", 360)
            .annotations(notes)
            .x_axis(Axis::new().type_(AxisType::Date).range_slider(RangeSlider::new().visible(true)))
            .y_axis(Axis::new().title("incidents").range_mode(plotly::layout::RangeMode::ToZero)),
        traces,
    )
}

/// When in the week: hours across, weekdays down (Monday at the top).
pub fn hour_weekday(e: &Eda) -> Plot {
    let z: Vec<Vec<u64>> = e.hour_weekday.iter().map(|r| r.to_vec()).collect();
    let heat = HeatMap::new(hours(), WEEKDAYS.to_vec(), z)
        .color_scale(ColorScale::Palette(ColorScalePalette::YlOrRd))
        .reverse_scale(true)
        .hover_template("%{y} %{x}: %{z:,} incidents<extra></extra>")
        .name("incidents");
    // An explicit descending range puts Monday at the top.
    plot(
        base_layout("Incidents by hour and day of week", 340).y_axis(Axis::new().range(vec![6.5, -0.5])),
        vec![heat],
    )
}

/// Arrest rate and domestic share of each type, most frequent type at the top.
pub fn rates_by_type(e: &Eda) -> Plot {
    let rows: Vec<_> = e.types.iter().rev().collect();
    let y: Vec<String> = rows.iter().map(|t| t.primary_type.clone()).collect();
    let pct = |v: Option<f64>| v.map(|v| v * 100.0);
    let arrest = Bar::new(rows.iter().map(|t| pct(t.arrest_rate)).collect(), y.clone())
        .orientation(Orientation::Horizontal)
        .marker(Marker::new().color(ACCENT))
        .name("arrest rate %");
    let domestic = Bar::new(rows.iter().map(|t| pct(t.domestic_share)).collect(), y)
        .orientation(Orientation::Horizontal)
        .marker(Marker::new().color(SECOND))
        .name("domestic share %");
    let height = 110 + 30 * rows.len().max(3);
    let left = label_width(rows.iter().map(|t| t.primary_type.as_str()));
    plot(
        base_layout("Arrest rate and domestic share by crime type", height)
            .bar_mode(BarMode::Group)
            .margin(label_margin(left, 48.0))
            .x_axis(Axis::new().title("% of the type's incidents").range(vec![0.0, 100.0])),
        vec![arrest, domestic],
    )
}

pub fn top_locations(e: &Eda) -> Plot {
    let rows: Vec<_> = e.top_locations.iter().rev().collect();
    let y: Vec<String> = rows.iter().map(|(l, _)| l.clone()).collect();
    let x: Vec<u64> = rows.iter().map(|(_, n)| *n).collect();
    let text: Vec<String> = rows.iter().map(|(_, n)| share_of(*n, e.rows)).collect();
    let bar = Bar::new(x, y)
        .orientation(Orientation::Horizontal)
        .text_array(text)
        .marker(Marker::new().color(ACCENT))
        .name("incidents");
    let left = label_width(rows.iter().map(|(l, _)| l.as_str()));
    plot(
        base_layout("Top location descriptions", 90 + 24 * rows.len().max(3))
            .margin(label_margin(left, 48.0))
            .x_axis(Axis::new().title("incidents")),
        vec![bar],
    )
}

pub fn districts(e: &Eda) -> Plot {
    let x: Vec<String> = e.districts.iter().map(|(d, _)| d.to_string()).collect();
    let y: Vec<u64> = e.districts.iter().map(|(_, n)| *n).collect();
    let bar = Bar::new(x, y).marker(Marker::new().color(ACCENT)).name("incidents");
    plot(
        base_layout("Incidents by police district", 320)
            .x_axis(Axis::new().type_(AxisType::Category).title("district"))
            .y_axis(Axis::new().title("incidents")),
        vec![bar],
    )
}

/// Pearson correlations on a diverging scale fixed at −1…1, so colours compare across filters.
pub fn correlation(e: &Eda) -> Plot {
    let c = &e.correlation;
    let heat = HeatMap::new(c.features.clone(), c.features.clone(), c.values.clone())
        .color_scale(ColorScale::Palette(ColorScalePalette::RdBu))
        .zmin(-1.0)
        .zmax(1.0)
        .zmid(0.0)
        .hover_template("%{y} × %{x}: r = %{z:.2f}<extra></extra>")
        .hover_on_gaps(false)
        .name("r");
    let width = label_width(c.features.iter().map(String::as_str));
    plot(
        base_layout("Correlation of the numeric features (Pearson r)", 620)
            .margin(label_margin(width, rotated_height(width, 45.0, 0.0)))
            .x_axis(Axis::new().tick_angle(-45.0))
            .y_axis(Axis::new().range(vec![c.features.len() as f64 - 0.5, -0.5])),
        vec![heat],
    )
}

/// Mean severity by crime type, highest first.
pub fn severity(e: &Eda) -> Plot {
    let mut rows: Vec<_> = e.types.iter().collect();
    rows.sort_by(|a, b| a.severity.total_cmp(&b.severity).then(a.count.cmp(&b.count)));
    let y: Vec<String> = rows.iter().map(|t| t.primary_type.clone()).collect();
    let x: Vec<f64> = rows.iter().map(|t| t.severity).collect();
    let bar = Bar::new(x, y)
        .orientation(Orientation::Horizontal)
        .marker(Marker::new().color(SECOND))
        .name("severity");
    let left = label_width(rows.iter().map(|t| t.primary_type.as_str()));
    plot(
        base_layout("Mean severity by crime type (1–10)", 90 + 22 * rows.len().max(3))
            .margin(label_margin(left, 48.0))
            .x_axis(Axis::new().title(Title::with_text("severity")).range(vec![0.0, 10.0])),
        vec![bar],
    )
}
