//! What a layer looks like on a map, in degrees: its points and the outlines of its lines and
//! polygons, thinned so that a thumbnail or a map's overlay stays light (a bus-stop layer has
//! 10,000 points, a park outline hundreds of vertices). The layer itself is in projected metres
//! ([`super::Layer`]); this is only for drawing.

use serde::{Deserialize, Serialize};

use super::Layer;
use crate::features::unproject;

/// Features drawn at most: every k-th one past it (a thumbnail of 2,000 dots already reads as the
/// layer's pattern, and SVG costs per element).
pub const MAX_FEATURES: usize = 2000;
/// Vertices of one outline at most.
const MAX_VERTICES: usize = 100;

/// A layer's drawable geometry, (longitude, latitude) rounded to 1e-5° (about a metre).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sketch {
    pub points: Vec<[f64; 2]>,
    /// Lines, and polygons' outer rings (closed).
    pub paths: Vec<Vec<[f64; 2]>>,
    /// The layer's features, of which `points.len() + paths.len()` are drawn.
    pub features: usize,
}

fn degrees((x, y): (f64, f64)) -> [f64; 2] {
    let (lat, lon) = unproject(x, y);
    let r = |v: f64| (v * 1e5).round() / 1e5;
    [r(lon), r(lat)]
}

/// Every k-th of `coords` (k so that at most `max` are kept), the last one always kept so a
/// ring stays closed.
fn thin(coords: &[(f64, f64)], max: usize) -> Vec<[f64; 2]> {
    let step = coords.len().div_ceil(max.max(2)).max(1);
    let mut out: Vec<[f64; 2]> = coords.iter().step_by(step).map(|&c| degrees(c)).collect();
    if let Some(&last) = coords.last() {
        if !(coords.len() - 1).is_multiple_of(step) {
            out.push(degrees(last));
        }
    }
    out
}

impl Layer {
    /// The layer's features in degrees (in the frame it was read in), at most `max` of them
    /// taken evenly through points, lines and polygons.
    pub fn sketch(&self, max: usize) -> Sketch {
        let features = self.points.len() + self.lines.len() + self.polygons.len();
        let step = features.div_ceil(max.max(1)).max(1);
        let mut s = Sketch { features, ..Sketch::default() };
        let coords = |l: &geo::LineString<f64>| l.0.iter().map(|c| (c.x, c.y)).collect::<Vec<_>>();
        for k in (0..features).step_by(step) {
            if let Some(&p) = self.points.get(k) {
                s.points.push(degrees(p));
            } else if let Some(l) = self.lines.get(k - self.points.len()) {
                s.paths.push(thin(&coords(l), MAX_VERTICES));
            } else if let Some(p) = self.polygons.get(k - self.points.len() - self.lines.len()) {
                s.paths.push(thin(&coords(p.exterior()), MAX_VERTICES));
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_and_rings_in_degrees_thinned_to_the_cap() {
        let l = Layer::read("x", b"lat,lon\n41.88,-87.63\n41.89,-87.64\n41.90,-87.65\n").unwrap();
        let s = l.sketch(MAX_FEATURES);
        assert_eq!((s.features, s.points.len()), (3, 3));
        assert_eq!(s.points[1], [-87.64, 41.89]);
        // Every second feature of three: the first and the third.
        let s = l.sketch(2);
        assert_eq!(s.points, vec![[-87.63, 41.88], [-87.65, 41.9]]);
        // A ring of 301 vertices keeps at most ~100, closed.
        let ring: Vec<String> = (0..=300)
            .map(|i| {
                let a = std::f64::consts::TAU * i as f64 / 300.0;
                format!("{} {}", -87.6 + 0.01 * a.cos(), 41.8 + 0.01 * a.sin())
            })
            .collect();
        let wkt = format!("the_geom\n\"POLYGON (({}))\"\n", ring.join(", "));
        let s = Layer::read("p", wkt.as_bytes()).unwrap().sketch(MAX_FEATURES);
        assert_eq!((s.features, s.points.len(), s.paths.len()), (1, 0, 1));
        let p = &s.paths[0];
        assert!(p.len() <= MAX_VERTICES + 1 && p.len() >= 50, "{}", p.len());
        assert_eq!(p.first(), p.last());
        assert!((p[0][0] + 87.59).abs() < 1e-9 && (p[0][1] - 41.8).abs() < 1e-9, "{:?}", p[0]);
    }
}
