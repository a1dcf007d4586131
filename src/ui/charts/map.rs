//! The briefing's and the heatmaps page's figures: area outlines, the choropleth, the density
//! heatmap, the briefing's map and its expected-incidents-by-hour bars.
//!
//! Maps are drawn on longitude/latitude axes without street tiles: tiles would be requests to a
//! third party, and the data must not leave the device.

use patroliq_core::areas::{AreaReport, AreaStats, Outline};
use patroliq_core::briefing::Briefing;
use patroliq_core::colour::ColourRange;
use patroliq_core::density::{DensityView, Frame};
use patroliq_core::route::plan::clock;
use plotly::common::{ColorScale, ColorScalePalette, Fill, HoverInfo, Line, Marker, MarkerSymbol, Mode};
use plotly::layout::{Axis, AxisType, Legend};
use plotly::{Bar, HeatMap, Scatter};

use crate::ui::charts::chart::base_layout;
use crate::ui::charts::cluster::{lon_lat_axes, lon_lat_range};
use crate::ui::charts::figure::{plot, ACCENT, WEEKDAYS};
use crate::ui::charts::patrol::labelled;
use crate::ui::charts::reference;

/// Every ring of `outlines` in one trace, rings separated by gaps: (x, y) = (lon, lat).
fn rings<'a>(outlines: impl Iterator<Item = &'a Outline>) -> (Vec<Option<f64>>, Vec<Option<f64>>) {
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for o in outlines {
        for r in &o.rings {
            x.extend(r.iter().map(|p| Some(p.0)));
            y.extend(r.iter().map(|p| Some(p.1)));
            x.push(None);
            y.push(None);
        }
    }
    (x, y)
}

/// Thin outlines of the areas, under the data.
pub fn outline_trace(outlines: &[Outline]) -> Box<Scatter<Option<f64>, Option<f64>>> {
    let (x, y) = rings(outlines.iter());
    Scatter::new(x, y)
        .mode(Mode::Lines)
        .line(Line::new().color("rgba(55,65,81,0.55)").width(1.0))
        .hover_info(HoverInfo::Skip)
        .show_legend(false)
        .name("boundaries")
}

/// What the choropleth colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    PerKm2,
    Incidents,
    Change,
    ArrestRate,
}

impl Measure {
    pub fn parse(s: &str) -> Measure {
        match s {
            "incidents" => Measure::Incidents,
            "change" => Measure::Change,
            "arrests" => Measure::ArrestRate,
            _ => Measure::PerKm2,
        }
    }

    fn of(self, a: &AreaStats) -> Option<f64> {
        match self {
            Measure::PerKm2 => Some(a.per_km2),
            Measure::Incidents => Some(a.incidents as f64),
            Measure::Change => a.change.map(|c| 100.0 * c),
            Measure::ArrestRate => a.arrest_rate.map(|r| 100.0 * r),
        }
    }

    fn unit(self) -> &'static str {
        match self {
            Measure::PerKm2 => "incidents per km²",
            Measure::Incidents => "incidents",
            Measure::Change => "% change, last 4 weeks vs the 4 before",
            Measure::ArrestRate => "% with an arrest",
        }
    }
}

const SEQUENTIAL: [&str; 7] = ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"];
const DIVERGING: [&str; 7] = ["#2166ac", "#67a9cf", "#d1e5f0", "#f7f7f7", "#fddbc7", "#ef8a62", "#b2182b"];

/// The class (0–6) of each value: quantile classes for counts and rates (an even spread of
/// colours over skewed figures), equal classes around 0 for a change.
fn classes(values: &[f64], diverging: bool) -> (Vec<usize>, Vec<(f64, f64)>) {
    let n = SEQUENTIAL.len();
    if diverging {
        let top = values.iter().fold(1.0f64, |m, v| m.max(v.abs()));
        let step = 2.0 * top / n as f64;
        let class = values.iter().map(|v| (((v + top) / step).floor() as usize).min(n - 1)).collect();
        let bounds = (0..n).map(|k| (-top + k as f64 * step, -top + (k + 1) as f64 * step)).collect();
        return (class, bounds);
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let cuts: Vec<f64> = (1..n).map(|k| sorted[(k * sorted.len() / n).min(sorted.len() - 1)]).collect();
    let class = values.iter().map(|v| cuts.iter().filter(|c| v >= *c).count()).collect();
    let mut bounds = Vec::with_capacity(n);
    let lo = sorted.first().copied().unwrap_or(0.0);
    let hi = sorted.last().copied().unwrap_or(0.0);
    for k in 0..n {
        bounds.push((if k == 0 { lo } else { cuts[k - 1] }, if k == n - 1 { hi } else { cuts[k] }));
    }
    (class, bounds)
}

fn fmt(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// The areas filled by class of `measure`, a legend of the classes, and a hover per area.
pub fn choropleth(outlines: &[Outline], report: &AreaReport, measure: Measure) -> plotly::Plot {
    let shown: Vec<(&Outline, &AreaStats, f64)> = outlines
        .iter()
        .filter_map(|o| {
            let a = report.areas.iter().find(|a| a.id == o.id)?;
            Some((o, a, measure.of(a)?))
        })
        .collect();
    let values: Vec<f64> = shown.iter().map(|s| s.2).collect();
    let diverging = measure == Measure::Change;
    let (class, bounds) = classes(&values, diverging);
    let palette = if diverging { DIVERGING } else { SEQUENTIAL };
    let mut traces: Vec<Box<dyn plotly::Trace>> = Vec::new();
    for (k, colour) in palette.iter().enumerate() {
        let members = shown.iter().zip(&class).filter(|(_, c)| **c == k).map(|(s, _)| s.0);
        let (x, y) = rings(members);
        if x.is_empty() {
            continue;
        }
        let (lo, hi) = bounds[k];
        traces.push(
            Scatter::new(x, y)
                .mode(Mode::Lines)
                .fill(Fill::ToSelf)
                .fill_color(*colour)
                .line(Line::new().color("rgba(55,65,81,0.6)").width(0.8))
                .hover_info(HoverInfo::Skip)
                .name(format!("{} – {}", fmt(lo), fmt(hi))),
        );
    }
    // The roads and districts over the fills, for bearings.
    let extent = reference::extent_of(outlines.iter().flat_map(|o| o.rings.iter().flatten().copied()));
    traces.extend(reference::traces(extent, reference::Layers { community_outlines: false, names: false }));
    // Outlines of the areas with no value (a change with no incidents before), then the hovers.
    let blank: Vec<Outline> =
        outlines.iter().filter(|o| !shown.iter().any(|s| s.0.id == o.id)).cloned().collect();
    if !blank.is_empty() {
        traces.push(outline_trace(&blank));
    }
    let (x, y): (Vec<f64>, Vec<f64>) = shown.iter().map(|s| (s.0.inside.1, s.0.inside.0)).unzip();
    let hover: Vec<String> = shown
        .iter()
        .map(|(o, a, _)| {
            format!(
                "<b>{}</b> ({})<br>{} incidents, {:.0} per km² ({:.1} km²)<br>arrests {}<br>last 4 weeks {} (before: {}){}",
                o.name,
                o.id,
                a.incidents,
                a.per_km2,
                a.km2,
                a.arrest_rate.map_or("–".into(), |r| format!("{:.1} %", 100.0 * r)),
                a.last_4_weeks,
                a.previous_4_weeks,
                a.change.map_or(String::new(), |c| format!(", {:+.0} %", 100.0 * c)),
            )
        })
        .collect();
    traces.push(
        Scatter::new(x, y)
            .mode(Mode::Markers)
            .marker(Marker::new().size(6).color("rgba(17,24,39,0.35)"))
            .hover_text_array(hover)
            .hover_info(HoverInfo::Text)
            .show_legend(false)
            .name("areas"),
    );
    plot(
        lon_lat_axes(
            base_layout(&format!("{}s: {}", capital(report.kind.label()), measure.unit()), 680)
                .legend(Legend::new().x(1.0).y(1.0).title(plotly::common::Title::with_text(measure.unit()))),
        ),
        traces,
    )
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().collect::<String>() + c.as_str())
}

/// The density of one frame on the map, on the colour scale `zmax`, under the outlines.
pub fn density_map(v: &DensityView, f: &Frame, zmax: f64, outlines: Option<&[Outline]>) -> plotly::Plot {
    let cols = v.lon.len();
    let z: Vec<Vec<Option<f32>>> = f.z.chunks(cols).map(<[Option<f32>]>::to_vec).collect();
    // The colours end at the 99th percentile of the frames ([`DensityView::frame_max`]), on
    // purpose; the bar says "≥" at its top and gives this frame's peak.
    let peak = f.z.iter().flatten().fold(0.0f64, |m, &x| m.max(f64::from(x)));
    let range = ColourRange::new(0.0, zmax.max(1e-9), peak);
    let heat = HeatMap::new(v.lon.clone(), v.lat.clone(), z)
        .color_scale(ColorScale::Palette(ColorScalePalette::YlOrRd))
        .reverse_scale(true)
        .zmin(0.0)
        .zmax(range.max)
        .color_bar(super::figure::colour_bar(&range, "incidents / km²"))
        .hover_template("%{z:,.0f} incidents/km²<br>%{y:.4f}, %{x:.4f}<extra></extra>")
        .hover_on_gaps(false)
        .name("incidents / km²");
    let mut traces: Vec<Box<dyn plotly::Trace>> = vec![heat];
    let corners = [(v.lon.first(), v.lat.first()), (v.lon.last(), v.lat.last())];
    let extent = reference::extent_of(corners.iter().filter_map(|&(x, y)| Some((*x?, *y?))));
    traces.extend(reference::traces(
        extent,
        reference::Layers { community_outlines: outlines.is_none(), names: true },
    ));
    if let Some(o) = outlines {
        traces.push(outline_trace(o));
    }
    let what = match v.params.method {
        patroliq_core::density::DensityMethod::Kde => {
            format!("KDE, bandwidth {:.0} m", v.params.bandwidth_m)
        }
        patroliq_core::density::DensityMethod::Counts => {
            format!("incidents per {:.0} m cell", v.params.cell_m)
        }
    };
    let n = patroliq_core::fmt::thousands(f.incidents);
    plot(lon_lat_axes(base_layout(&format!("{} — {n} incidents ({what})", f.label), 680)), traces)
}

/// The briefing's map: the city's reference layers, the area outlines of a loaded file, the route
/// from the station, and the hotspots labelled by name.
pub fn briefing_map(b: &Briefing, outlines: Option<&[Outline]>) -> plotly::Plot {
    let points = b
        .hotspots
        .iter()
        .map(|h| (h.lon, h.lat))
        .chain(b.route.iter().flat_map(|r| r.cars.iter().flat_map(|c| c.path.iter().map(|p| (p[1], p[0])))))
        .chain(b.route.iter().map(|r| (r.params.start.1, r.params.start.0)));
    let extent = reference::extent_of(points);
    // Labels placed at the map's scale (its plot area in the briefing's card, about 480 × 660
    // px), the hotspots' first, then the area names where they fit.
    let mut labeller = reference::labeller(extent, 480.0, 660.0);
    let at: Vec<(f64, f64)> = b.hotspots.iter().map(|h| (h.lon, h.lat)).collect();
    for &(x, y) in &at {
        labeller.marker(x, y, 7.0);
    }
    if let Some(r) = &b.route {
        labeller.marker(r.params.start.1, r.params.start.0, 9.0);
    }
    let names: Vec<String> = b.hotspots.iter().map(|h| reference::short_label(h.rank, &h.place)).collect();
    let ranks: Vec<String> = b.hotspots.iter().map(|h| h.rank.to_string()).collect();
    let (text, sides) = reference::place_labels(&mut labeller, &at, &names, &ranks, 11.0, 7.0);
    let mut traces = reference::labelled_traces(extent, reference::Layers::default(), Some(&mut labeller));
    if let Some(o) = outlines {
        traces.push(outline_trace(o));
    }
    if let Some(r) = &b.route {
        for c in &r.cars {
            let (x, y): (Vec<f64>, Vec<f64>) = c.path.iter().map(|p| (p[1], p[0])).unzip();
            traces.push(
                Scatter::new(x, y)
                    .mode(Mode::Lines)
                    .name("route")
                    .line(Line::new().color(ACCENT).width(3.0))
                    .hover_info(HoverInfo::Skip),
            );
        }
    }
    let eta = |rank: usize| {
        b.route.as_ref().and_then(|r| {
            r.cars
                .iter()
                .flat_map(|c| &c.visits)
                .find(|v| v.rank == rank)
                .map(|v| format!("<br>route: arrive {}", clock(r.params.depart_min, v.eta_s)))
        })
    };
    let hover = b
        .hotspots
        .iter()
        .map(|h| {
            format!(
                "<b>hotspot #{}: {}</b><br>{}<br>{:.1} incidents per shift<br>{}{}",
                h.rank,
                h.place.blocks.join("; "),
                [h.place.community_area.as_deref(), h.place.district.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · "),
                h.incidents as f64 / b.shifts_seen.max(1) as f64,
                h.why,
                eta(h.rank).unwrap_or_default()
            )
        })
        .collect();
    let marker = Marker::new().size(14).color("#dc2626").line(Line::new().color("#fff").width(1.5));
    traces.push(
        labelled(at, text, hover, marker, "hotspots".into())
            .text_position_array(sides)
            .text_font(plotly::common::Font::new().size(11).color("#7f1d1d")),
    );
    if let Some(r) = &b.route {
        let (la, lo) = r.params.start;
        traces.push(
            Scatter::new(vec![lo], vec![la])
                .mode(Mode::Markers)
                .marker(Marker::new().symbol(MarkerSymbol::Star).size(18).color("#16a34a"))
                .hover_text(r.params.start_name.clone())
                .hover_info(HoverInfo::Text)
                .name("station"),
        );
    }
    // Zoomed to the hotspots and the route, not to the whole city the roads cross: in the
    // briefing's card the whole city left the hotspots a few pixels apart.
    let layout = base_layout("Where: tonight's hotspots and the route", 760)
        .legend(Legend::new().x(0.0).y(1.0))
        .margin(plotly::layout::Margin::new().left(56).right(12).top(48).bottom(44));
    let layout = match extent {
        Some(e) => lon_lat_range(layout, reference::grown(e, 0.05)),
        None => lon_lat_axes(layout),
    };
    plot(layout, traces)
}

/// Expected incidents in each hour of the shift; the peak hours stand out.
pub fn shift_hours(b: &Briefing) -> plotly::Plot {
    let x: Vec<String> =
        b.hours.iter().map(|h| format!("{} {:02}:00", WEEKDAYS[h.weekday as usize], h.hour)).collect();
    let y: Vec<f64> = b.hours.iter().map(|h| h.expected).collect();
    let colours: Vec<&str> =
        b.hours.iter().map(|h| if b.peak_hours.contains(&h.hour) { "#dc2626" } else { ACCENT }).collect();
    let bar = Bar::new(x, y)
        .marker(Marker::new().color_array(colours))
        .hover_template("%{x}: %{y:.1f} incidents expected<extra></extra>")
        .name("expected");
    plot(
        base_layout("When: incidents expected by hour (peaks in red)", 360)
            .x_axis(Axis::new().type_(AxisType::Category))
            .y_axis(Axis::new().title("incidents expected")),
        vec![bar],
    )
}
