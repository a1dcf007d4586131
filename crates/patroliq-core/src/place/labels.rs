//! Where a map's labels go so that they do not print over each other: greedy placement over label
//! boxes estimated from the text's length in pixels at the map's scale. Labels are placed in the
//! order given (the caller puts the most important first: hotspot 1 before hotspot 8, hotspots
//! before area names); each takes the first of its candidate sides whose box overlaps no label
//! placed before and no marker; a label that fits nowhere is shortened to its fallback (a
//! hotspot's rank) or dropped. Downtown, eight hotspots within a kilometre used to merge into one
//! blob of red text at city zoom.

/// Where a label sits against its point (Plotly's `textposition`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Right,
    Left,
    Top,
    Bottom,
    TopRight,
    TopLeft,
    BottomRight,
    BottomLeft,
    Centre,
}

impl Side {
    /// The sides tried for a label beside a marker, best first.
    pub const AROUND: [Side; 8] = [
        Side::Right,
        Side::Left,
        Side::Top,
        Side::Bottom,
        Side::TopRight,
        Side::TopLeft,
        Side::BottomRight,
        Side::BottomLeft,
    ];

    /// Plotly's name for it.
    pub fn plotly(self) -> &'static str {
        match self {
            Side::Right => "middle right",
            Side::Left => "middle left",
            Side::Top => "top center",
            Side::Bottom => "bottom center",
            Side::TopRight => "top right",
            Side::TopLeft => "top left",
            Side::BottomRight => "bottom right",
            Side::BottomLeft => "bottom left",
            Side::Centre => "middle center",
        }
    }
}

/// A box in pixels: [left, bottom, right, top], y upwards.
pub type PxBox = [f64; 4];

fn overlaps(a: &PxBox, b: &PxBox) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// Width in pixels of `text` at `font_px`, on the generous side (a capital as 0.72 em, any other
/// character as 0.6 em; the charts' own estimate, `chart::label_width`).
pub fn text_width(text: &str, font_px: f64) -> f64 {
    text.chars().map(|c| if c.is_uppercase() || c == 'W' || c == 'M' { 0.72 } else { 0.6 }).sum::<f64>()
        * font_px
}

/// Places labels on a map of a known scale.
#[derive(Debug, Clone)]
pub struct Labeller {
    /// Pixels per degree of longitude and of latitude.
    px_lon: f64,
    px_lat: f64,
    /// The boxes taken: labels placed and markers.
    taken: Vec<PxBox>,
    /// The boxes of the labels placed (a subset of `taken`), for the tests.
    labels: Vec<PxBox>,
}

impl Labeller {
    /// A map showing `extent` (south, west, north, east) in a plot area of `width` × `height`
    /// pixels at true proportions (a degree of longitude is cos(latitude) of one of latitude), as
    /// Plotly draws it with one axis anchored to the other's scale.
    pub fn new(extent: [f64; 4], width: f64, height: f64) -> Labeller {
        let [s, w, n, e] = extent;
        let cos = ((s + n) / 2.0).to_radians().cos().max(0.01);
        let dlat = (n - s).max(1e-6);
        let dlon = ((e - w) * cos).max(1e-6);
        // Pixels per degree of latitude: whichever side of the plot is the tighter fit.
        let px_lat = (height / dlat).min(width / dlon);
        Labeller { px_lon: px_lat * cos, px_lat, taken: Vec::new(), labels: Vec::new() }
    }

    fn px(&self, lon: f64, lat: f64) -> (f64, f64) {
        (lon * self.px_lon, lat * self.px_lat)
    }

    /// A marker of `radius` pixels at (lon, lat) that no label may cover.
    pub fn marker(&mut self, lon: f64, lat: f64, radius: f64) {
        let (x, y) = self.px(lon, lat);
        self.taken.push([x - radius, y - radius, x + radius, y + radius]);
    }

    /// The box of `text` at `font_px` on `side` of the point (lon, lat), `gap` pixels from it.
    pub fn label_box(&self, lon: f64, lat: f64, text: &str, font_px: f64, gap: f64, side: Side) -> PxBox {
        let (x, y) = self.px(lon, lat);
        let w = text_width(text, font_px);
        let h = font_px * 1.25;
        let (x0, y0) = match side {
            Side::Right => (x + gap, y - h / 2.0),
            Side::Left => (x - gap - w, y - h / 2.0),
            Side::Top => (x - w / 2.0, y + gap),
            Side::Bottom => (x - w / 2.0, y - gap - h),
            Side::TopRight => (x + gap * 0.7, y + gap * 0.7),
            Side::TopLeft => (x - gap * 0.7 - w, y + gap * 0.7),
            Side::BottomRight => (x + gap * 0.7, y - gap * 0.7 - h),
            Side::BottomLeft => (x - gap * 0.7 - w, y - gap * 0.7 - h),
            Side::Centre => (x - w / 2.0, y - h / 2.0),
        };
        [x0, y0, x0 + w, y0 + h]
    }

    fn free(&self, b: &PxBox) -> bool {
        !self.taken.iter().any(|t| overlaps(t, b))
    }

    /// Places `text` on the first of `sides` where it covers nothing placed before; failing that,
    /// `fallback` (e.g. the hotspot's rank alone) the same way; `None` when neither fits. Returns
    /// the text placed and its side.
    pub fn place(
        &mut self,
        (lon, lat): (f64, f64),
        text: &str,
        fallback: Option<&str>,
        font_px: f64,
        gap: f64,
        sides: &[Side],
    ) -> Option<(String, Side)> {
        if !(lon.is_finite() && lat.is_finite()) {
            return None;
        }
        for t in std::iter::once(text).chain(fallback) {
            if t.is_empty() {
                continue;
            }
            for &side in sides {
                let b = self.label_box(lon, lat, t, font_px, gap, side);
                if self.free(&b) {
                    self.taken.push(b);
                    self.labels.push(b);
                    return Some((t.to_owned(), side));
                }
            }
        }
        None
    }

    /// The boxes of the labels placed so far.
    pub fn placed(&self) -> &[PxBox] {
        &self.labels
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Eight hotspots within about a kilometre of the Loop, on the briefing's map of the city.
    fn loop_hotspots() -> Vec<(f64, f64)> {
        vec![
            (-87.6277, 41.8818),
            (-87.6310, 41.8790),
            (-87.6250, 41.8850),
            (-87.6290, 41.8760),
            (-87.6230, 41.8800),
            (-87.6330, 41.8830),
            (-87.6270, 41.8870),
            (-87.6300, 41.8740),
        ]
    }

    #[test]
    fn no_two_placed_labels_overlap_downtown_at_city_zoom() {
        let mut l = Labeller::new([41.64, -87.84, 42.02, -87.52], 480.0, 660.0);
        let pts = loop_hotspots();
        for &(x, y) in &pts {
            l.marker(x, y, 7.0);
        }
        let mut shown = 0;
        for (i, &p) in pts.iter().enumerate() {
            let text = format!("{} · 100 N State St", i + 1);
            let rank = (i + 1).to_string();
            if l.place(p, &text, Some(&rank), 11.0, 9.0, &Side::AROUND).is_some() {
                shown += 1;
            }
        }
        let b = l.placed();
        assert_eq!(b.len(), shown);
        for i in 0..b.len() {
            for j in i + 1..b.len() {
                assert!(!overlaps(&b[i], &b[j]), "labels {i} and {j} overlap: {:?} {:?}", b[i], b[j]);
            }
        }
        // Most get at least their number; the first gets its whole name.
        assert!(shown >= 4, "only {shown} of 8 placed");
    }

    #[test]
    fn the_first_label_keeps_its_name_and_crowded_ones_fall_back_to_their_rank() {
        let mut l = Labeller::new([41.64, -87.84, 42.02, -87.52], 480.0, 660.0);
        let pts = loop_hotspots();
        let placed: Vec<_> = pts
            .iter()
            .enumerate()
            .map(|(i, &p)| {
                l.place(
                    p,
                    &format!("{} · 1200 S Wabash Ave", i + 1),
                    Some(&(i + 1).to_string()),
                    11.0,
                    9.0,
                    &Side::AROUND,
                )
            })
            .collect();
        assert_eq!(placed[0].as_ref().map(|p| p.0.as_str()), Some("1 · 1200 S Wabash Ave"));
        assert!(
            placed.iter().flatten().any(|p| !p.0.contains('·')),
            "none fell back to its rank: {placed:?}"
        );
    }

    #[test]
    fn labels_far_apart_all_keep_their_names_and_avoid_markers() {
        let mut l = Labeller::new([41.64, -87.84, 42.02, -87.52], 480.0, 660.0);
        let pts = [(-87.80, 41.70), (-87.60, 41.95), (-87.70, 41.80)];
        for &(x, y) in &pts {
            l.marker(x, y, 7.0);
        }
        for (i, &p) in pts.iter().enumerate() {
            let placed = l.place(p, &format!("{i} · a street"), None, 11.0, 9.0, &Side::AROUND);
            assert_eq!(placed.map(|p| p.1), Some(Side::Right));
        }
        // A label centred on a marker is refused: markers are obstacles.
        assert_eq!(l.place(pts[0], "name", None, 9.0, 0.0, &[Side::Centre]), None);
    }
}
