//! Figures of the When page, each built from the worker's [`TemporalView`] (never from rows).

use patroliq_core::temporal::label::MONTHS;
use patroliq_core::temporal::peaks::Peaks;
use patroliq_core::temporal::{HotspotTime, Pattern, SweepPoint, TemporalReport};
use plotly::common::{
    AxisSide, ColorScale, ColorScalePalette, Line, Marker, MarkerSymbol, Mode, Orientation,
};
use plotly::layout::{Axis, BarMode};
use plotly::{Bar, HeatMap, Plot, Scatter};

use crate::ui::charts::chart::base_layout;
use crate::ui::charts::cluster::COLOURS;
use crate::ui::charts::figure::{hours, plot, WEEKDAYS};
use crate::ui::widgets::format::{count, percent};

/// One colour per pattern (the table's swatches use the same): the hotspots' palette.
pub fn colour(i: usize) -> &'static str {
    COLOURS[i % COLOURS.len()]
}

fn shares(v: &[u64]) -> Vec<f64> {
    let n: u64 = v.iter().sum::<u64>().max(1);
    v.iter().map(|&c| 100.0 * c as f64 / n as f64).collect()
}

/// The hour profile of each pattern: the share of its incidents in each hour.
pub fn by_hour(r: &TemporalReport) -> Plot {
    let hours = hours();
    let traces = r
        .patterns
        .iter()
        .enumerate()
        .map(|(i, p)| {
            Scatter::new(hours.clone(), shares(&p.by_hour))
                .mode(Mode::LinesMarkers)
                .name(&p.label)
                .line(Line::new().color(colour(i)).width(2.5))
                .hover_template(format!(
                    "{}<br>%{{x}}: %{{y:.1f}} % of its incidents<extra></extra>",
                    p.label
                )) as Box<dyn plotly::Trace>
        })
        .collect();
    plot(
        base_layout("When in the day: share of each pattern's incidents by hour", 380)
            .x_axis(Axis::new().title("hour of day (local time)"))
            .y_axis(Axis::new().title("% of the pattern")),
        traces,
    )
}

/// The weekday profile of each pattern.
pub fn by_weekday(r: &TemporalReport) -> Plot {
    let traces = r
        .patterns
        .iter()
        .enumerate()
        .map(|(i, p)| {
            Bar::new(WEEKDAYS.to_vec(), shares(&p.by_weekday))
                .name(&p.label)
                .marker(Marker::new().color(colour(i)))
                .hover_template(format!("{}<br>%{{x}}: %{{y:.1f}} %<extra></extra>", p.label))
                as Box<dyn plotly::Trace>
        })
        .collect();
    plot(
        base_layout("Which days: share of each pattern's incidents by weekday", 360)
            .bar_mode(BarMode::Group)
            .y_axis(Axis::new().title("% of the pattern")),
        traces,
    )
}

/// The month profile of each pattern.
pub fn by_month(r: &TemporalReport) -> Plot {
    let traces = r
        .patterns
        .iter()
        .enumerate()
        .map(|(i, p)| {
            Scatter::new(MONTHS.to_vec(), shares(&p.by_month))
                .mode(Mode::LinesMarkers)
                .name(&p.label)
                .line(Line::new().color(colour(i)).width(2.5))
                .hover_template(format!("{}<br>%{{x}}: %{{y:.1f}} %<extra></extra>", p.label))
                as Box<dyn plotly::Trace>
        })
        .collect();
    plot(
        base_layout("Which months: share of each pattern's incidents by month", 360)
            .y_axis(Axis::new().title("% of the pattern")),
        traces,
    )
}

/// Silhouette (exact, every incident) and inertia for each k of the sweep.
pub fn sweep(points: &[SweepPoint], chosen: usize) -> Plot {
    let k: Vec<usize> = points.iter().map(|p| p.k).collect();
    let sizes: Vec<usize> = points.iter().map(|p| if p.k == chosen { 14 } else { 8 }).collect();
    let traces: Vec<Box<dyn plotly::Trace>> = vec![
        Scatter::new(k.clone(), points.iter().map(|p| p.silhouette).collect())
            .mode(Mode::LinesMarkers)
            .name("silhouette")
            .marker(Marker::new().size_array(sizes).color("#2563eb")),
        Scatter::new(k, points.iter().map(|p| p.inertia).collect())
            .mode(Mode::LinesMarkers)
            .name("inertia")
            .y_axis("y2")
            .line(Line::new().color("#9ca3af")),
    ];
    plot(
        base_layout("Choosing the number of patterns", 340)
            .x_axis(Axis::new().title("k").dtick(1.0))
            .y_axis(Axis::new().title("silhouette"))
            .y_axis2(Axis::new().title("inertia").overlaying("y").side(AxisSide::Right)),
        traces,
    )
}

/// Hour × weekday counts of one pattern, Monday at the top.
pub fn heatmap(p: &Pattern) -> Plot {
    let heat = HeatMap::new(hours(), WEEKDAYS.to_vec(), p.hour_weekday.clone())
        .color_scale(ColorScale::Palette(ColorScalePalette::YlOrRd))
        .reverse_scale(true)
        .hover_template("%{y} %{x}: %{z:,} incidents<extra></extra>");
    plot(
        base_layout(&format!("{}: incidents by hour and weekday", p.label), 340)
            .x_axis(Axis::new().title("hour of day (local time)"))
            .y_axis(Axis::new().range(vec![6.5, -0.5])),
        vec![heat],
    )
}

/// Incidents per covered day in each month, one line per year; a partly covered month says so.
pub fn seasonality(p: &Peaks) -> Plot {
    let traces = p
        .seasonality
        .iter()
        .map(|y| {
            let hover: Vec<String> = (0..12)
                .map(|m| match y.per_day[m] {
                    Some(v) => {
                        let days = y.days[m];
                        let full = days_in(y.year, m as u32 + 1);
                        let part = if days < full {
                            format!(" (partial: {days} of {full} days)")
                        } else {
                            String::new()
                        };
                        format!("{} {}: {v:.0} incidents a day{part}", MONTHS[m], y.year)
                    }
                    None => format!("{} {}: not in the data", MONTHS[m], y.year),
                })
                .collect();
            Scatter::new(MONTHS.to_vec(), y.per_day.clone())
                .mode(Mode::LinesMarkers)
                .name(y.year.to_string())
                .hover_text_array(hover)
                .hover_info(plotly::common::HoverInfo::Text) as Box<dyn plotly::Trace>
        })
        .collect::<Vec<_>>();
    // The months the data only partly covers, ringed (their rate is per covered day).
    let (mut px, mut py, mut ph) = (Vec::new(), Vec::new(), Vec::new());
    for y in &p.seasonality {
        for m in 0..12 {
            let (days, full) = (y.days[m], days_in(y.year, m as u32 + 1));
            if let (Some(v), true) = (y.per_day[m], days > 0 && days < full) {
                px.push(MONTHS[m]);
                py.push(v);
                ph.push(format!(
                    "{} {}: partial month, {days} of {full} days in the data",
                    MONTHS[m], y.year
                ));
            }
        }
    }
    let mut traces = traces;
    if !px.is_empty() {
        traces.push(
            Scatter::new(px, py)
                .mode(Mode::Markers)
                .name("partial month")
                .marker(Marker::new().symbol(MarkerSymbol::CircleOpen).size(14).color("#111827"))
                .hover_text_array(ph)
                .hover_info(plotly::common::HoverInfo::Text),
        );
    }
    plot(
        base_layout("Seasonality: incidents per day, by month and year (ringed: a partial month)", 360)
            .y_axis(Axis::new().title("incidents a day")),
        traces,
    )
}

fn days_in(year: i32, month: u32) -> u32 {
    let first = chrono::NaiveDate::from_ymd_opt(year, month, 1);
    let next = if month == 12 {
        chrono::NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        chrono::NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    match (first, next) {
        (Some(a), Some(b)) => (b - a).num_days() as u32,
        _ => 30,
    }
}

/// How each hotspot's incidents split over the patterns (stacked, hotspot 1 at the top).
pub fn hotspot_mix(r: &TemporalReport, hs: &[HotspotTime]) -> Plot {
    let rows: Vec<&HotspotTime> = hs.iter().rev().collect();
    let y: Vec<String> = rows.iter().map(|h| format!("Hotspot {}", h.hotspot)).collect();
    let traces = r
        .patterns
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let x: Vec<f64> = rows.iter().map(|h| 100.0 * h.pattern_share[i]).collect();
            let hover: Vec<String> = rows
                .iter()
                .map(|h| {
                    format!(
                        "Hotspot {} ({} incidents, peak {:02}:00, {} at night): {} in “{}”",
                        h.hotspot,
                        count(h.incidents),
                        h.peak_hour,
                        percent(h.night_share),
                        percent(h.pattern_share[i]),
                        p.label
                    )
                })
                .collect();
            Bar::new(x, y.clone())
                .orientation(Orientation::Horizontal)
                .name(&p.label)
                .marker(Marker::new().color(colour(i)))
                .hover_text_array(hover)
                .hover_info(plotly::common::HoverInfo::Text) as Box<dyn plotly::Trace>
        })
        .collect();
    let height = 120 + 28 * rows.len().max(3);
    plot(
        base_layout("When each hotspot is busy: its incidents by temporal pattern", height)
            .margin(plotly::layout::Margin::new().left(100).right(20).top(48).bottom(48))
            .bar_mode(BarMode::Stack)
            .x_axis(Axis::new().title("% of the hotspot's incidents").range(vec![0.0, 100.0])),
        traces,
    )
}
