//! The city's reference layers under every map: major roads, police district and community area
//! outlines, and the community areas' names. Built in (`patroliq_core::place::reference`), so a
//! map is never blank: offline, without tiles and without a boundary file, an officer still sees
//! where things are. Drawn only when the data is in the reference city, and only the parts near
//! the data (the map's zoom follows the data, not the city).

use patroliq_core::place::labels::{Labeller, Side};
use patroliq_core::place::reference::{chicago, ReferenceArea};
use plotly::common::{DashType, Font, HoverInfo, Line, Mode};
use plotly::Scatter;

/// (south, west, north, east) of a map's data.
pub type Extent = [f64; 4];

/// The extent of (lon, lat) points; `None` without finite points.
pub fn extent_of(points: impl IntoIterator<Item = (f64, f64)>) -> Option<Extent> {
    let mut e: Option<Extent> = None;
    for (lo, la) in points {
        if !(lo.is_finite() && la.is_finite()) {
            continue;
        }
        let b = e.get_or_insert([la, lo, la, lo]);
        *b = [b[0].min(la), b[1].min(lo), b[2].max(la), b[3].max(lo)];
    }
    e
}

/// `e` grown by `share` of its size on each side (at least ~500 m).
pub fn grown(e: Extent, share: f64) -> Extent {
    let dy = ((e[2] - e[0]) * share).max(0.005);
    let dx = ((e[3] - e[1]) * share).max(0.007);
    [e[0] - dy, e[1] - dx, e[2] + dy, e[3] + dx]
}

fn touches(e: &Extent, pts: &[[f64; 2]]) -> bool {
    let [s, w, n, ea] = *e;
    let (mut lo0, mut la0, mut lo1, mut la1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in pts {
        lo0 = lo0.min(p[0]);
        lo1 = lo1.max(p[0]);
        la0 = la0.min(p[1]);
        la1 = la1.max(p[1]);
    }
    lo1 >= w && lo0 <= ea && la1 >= s && la0 <= n
}

/// Lines of `parts` in one trace, parts separated by gaps.
fn lines<'a>(parts: impl Iterator<Item = &'a Vec<[f64; 2]>>) -> (Vec<Option<f64>>, Vec<Option<f64>>) {
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for p in parts {
        x.extend(p.iter().map(|q| Some(q[0])));
        y.extend(p.iter().map(|q| Some(q[1])));
        x.push(None);
        y.push(None);
    }
    (x, y)
}

fn line_trace(
    (x, y): (Vec<Option<f64>>, Vec<Option<f64>>),
    name: &str,
    line: Line,
) -> Box<Scatter<Option<f64>, Option<f64>>> {
    Scatter::new(x, y)
        .mode(Mode::Lines)
        .line(line)
        .hover_info(HoverInfo::Skip)
        .show_legend(false)
        .name(name)
        .legend_group(crate::street::REFERENCE)
}

/// Whether the reference city's layers belong under data of extent `e`.
pub fn applies(e: Option<Extent>) -> bool {
    let r = chicago();
    e.is_some_and(|e| r.near((e[0] + e[2]) / 2.0, (e[1] + e[3]) / 2.0))
}

/// What a map draws of the reference layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layers {
    /// Community area outlines (off when a choropleth draws its own areas).
    pub community_outlines: bool,
    /// Community area names at their centres.
    pub names: bool,
}

impl Default for Layers {
    fn default() -> Self {
        Layers { community_outlines: true, names: true }
    }
}

/// The reference traces for data of extent `e`, to be drawn first (under the data); none when
/// the data is elsewhere.
pub fn traces(e: Option<Extent>, layers: Layers) -> Vec<Box<dyn plotly::Trace>> {
    // The names thinned at a typical map's scale (about 900 × 600 px of plot): at city zoom the
    // 77 areas' names printed over each other.
    let mut names = labeller(e, 900.0, 600.0);
    labelled_traces(e, layers, Some(&mut names))
}

/// [`traces`], the area names placed by `labeller` after the labels it holds (a name that would
/// print over one is left out; its hover stays).
pub fn labelled_traces(
    e: Option<Extent>,
    layers: Layers,
    mut labeller: Option<&mut Labeller>,
) -> Vec<Box<dyn plotly::Trace>> {
    if !applies(e) {
        return Vec::new();
    }
    let Some(e) = e.map(|e| grown(e, 0.05)) else { return Vec::new() };
    let r = chicago();
    let near = |a: &&ReferenceArea| a.rings.iter().any(|ring| touches(&e, ring));
    let mut out: Vec<Box<dyn plotly::Trace>> = Vec::new();
    let roads = |expressway: bool| {
        lines(
            r.asset
                .roads
                .iter()
                .filter(move |x| x.expressway == expressway && touches(&e, &x.line))
                .map(|x| &x.line),
        )
    };
    out.push(line_trace(roads(false), "arterials", Line::new().color("rgba(148,163,184,0.55)").width(0.8)));
    out.push(line_trace(roads(true), "expressways", Line::new().color("rgba(100,116,139,0.8)").width(2.0)));
    if layers.community_outlines {
        let rings = lines(r.asset.community_areas.iter().filter(near).flat_map(|a| a.rings.iter()));
        out.push(line_trace(rings, "community areas", Line::new().color("rgba(107,114,128,0.5)").width(0.7)));
    }
    let rings = lines(r.asset.districts.iter().filter(near).flat_map(|a| a.rings.iter()));
    out.push(line_trace(
        rings,
        "police districts",
        Line::new().color("rgba(30,58,138,0.45)").width(1.4).dash(DashType::Dash),
    ));
    if layers.names {
        let named: Vec<&ReferenceArea> = r
            .asset
            .community_areas
            .iter()
            .filter(|a| (e[0]..=e[2]).contains(&a.label[0]) && (e[1]..=e[3]).contains(&a.label[1]))
            .collect();
        let (x, y): (Vec<f64>, Vec<f64>) = named.iter().map(|a| (a.label[1], a.label[0])).unzip();
        let text: Vec<String> = named
            .iter()
            .map(|a| match labeller.as_deref_mut() {
                Some(l) => l
                    .place((a.label[1], a.label[0]), &a.name, None, 9.0, 0.0, &[Side::Centre])
                    .map_or_else(String::new, |p| p.0),
                None => a.name.clone(),
            })
            .collect();
        let districts = r.districts.as_ref();
        let hover: Vec<String> = named
            .iter()
            .map(|a| {
                let d = districts.and_then(|b| {
                    let (px, py) = patroliq_core::features::project(a.label[0], a.label[1]);
                    b.locate(px, py).map(|i| b.areas[i].name.clone())
                });
                format!(
                    "{} (community area {}){}",
                    a.name,
                    a.id,
                    d.map_or(String::new(), |d| format!("<br>{d}"))
                )
            })
            .collect();
        out.push(
            Scatter::new(x, y)
                .mode(Mode::Text)
                .text_array(text)
                .text_font(Font::new().size(9).color("rgba(75,85,99,0.85)"))
                .hover_text_array(hover)
                .hover_info(HoverInfo::Text)
                .show_legend(false)
                .name("community area names")
                .legend_group(crate::street::REFERENCE),
        );
    }
    out
}

/// A hotspot's or stop's label on a map: its rank and its busiest block, short ("3 · 100 N State
/// St"); the rank alone when it has no name.
pub fn short_label(rank: usize, place: &patroliq_core::place::Place) -> String {
    match place.blocks.first() {
        Some(b) => format!("{rank} · {}", b.replacen(" block of ", " ", 1)),
        None => rank.to_string(),
    }
}

/// Plotly's text position of a label's side.
pub fn position(side: Side) -> plotly::common::Position {
    use plotly::common::Position as P;
    match side {
        Side::Right => P::MiddleRight,
        Side::Left => P::MiddleLeft,
        Side::Top => P::TopCenter,
        Side::Bottom => P::BottomCenter,
        Side::TopRight => P::TopRight,
        Side::TopLeft => P::TopLeft,
        Side::BottomRight => P::BottomRight,
        Side::BottomLeft => P::BottomLeft,
        Side::Centre => P::MiddleCenter,
    }
}

/// A labeller for a map of `extent` (the data's, grown as the map shows it) drawn `width` ×
/// `height` pixels (its plot area).
pub fn labeller(extent: Option<Extent>, width: f64, height: f64) -> Labeller {
    Labeller::new(extent.map_or([41.64, -87.94, 42.02, -87.52], |e| grown(e, 0.05)), width, height)
}

/// Labels of markers of `radius` px at `at` (lon, lat), most important first: each beside its
/// point where it prints over no other label or marker (`labeller` has the markers), else its
/// rank alone (`ranks`), else none (""; its hover still names it). The texts and their positions.
pub fn place_labels(
    labeller: &mut Labeller,
    at: &[(f64, f64)],
    text: &[String],
    ranks: &[String],
    font: f64,
    radius: f64,
) -> (Vec<String>, Vec<plotly::common::Position>) {
    at.iter()
        .zip(text)
        .zip(ranks)
        .map(|((&p, t), r)| match labeller.place(p, t, Some(r), font, radius + 2.0, &Side::AROUND) {
            Some((t, side)) => (t, position(side)),
            None => (String::new(), position(Side::Right)),
        })
        .unzip()
}
