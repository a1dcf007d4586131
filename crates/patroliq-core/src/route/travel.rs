//! Travel times: a model of Chicago's street grid, and the congestion of each hour of the day.
//!
//! The built-in model drives the Manhattan distance on the city's north–south / east–west grid
//! (Chicago's streets follow it almost everywhere: a car between two points drives |Δx| + |Δy|)
//! at a free-flow speed, slowed by the hour's congestion factor. A loaded road network
//! ([`super::network`]) uses the same factors on its links' free-flow times.

use crate::features::{project, unproject};

/// Travel-time index by hour of the day (1 = free flow): how much longer a trip takes than at
/// night. An assumed profile shaped like published congestion indices for Chicago (a morning peak
/// around 8:00, the worst around 17:00, about 1.7× free-flow time); shown in the app and README.
pub const CONGESTION: [f64; 24] = [
    1.0, 1.0, 1.0, 1.0, 1.0, 1.05, 1.15, 1.5, 1.6, 1.35, 1.25, 1.25, 1.3, 1.25, 1.3, 1.45, 1.65, 1.7, 1.45,
    1.25, 1.15, 1.1, 1.05, 1.0,
];

/// Free-flow speed of the street-grid model, km/h: Chicago's default urban limit is 30 mph
/// (48 km/h); signals and turns bring a car's average on arterials down to about 40 km/h.
pub const GRID_FREE_FLOW_KMH: f64 = 40.0;

/// The congestion factor at a time of day (seconds after midnight, any value: taken modulo 24 h).
pub fn congestion(seconds: f64) -> f64 {
    CONGESTION[((seconds.rem_euclid(86_400.0)) / 3600.0) as usize % 24]
}

/// Distances and free-flow times between every pair of a route's points, and how to draw a leg.
pub trait Travel {
    /// "street grid" or "road network".
    fn name(&self) -> &'static str;
    /// Distance (m) and free-flow time (s) of every ordered pair of `points` (lat, lon), row-major.
    fn legs(&mut self, points: &[(f64, f64)]) -> Result<Legs, String>;
}

/// What [`Travel::legs`] gives: n × n, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Legs {
    pub n: usize,
    pub distance_m: Vec<f64>,
    pub free_s: Vec<f64>,
    /// The polyline of each leg ([lat, lon]), start and end included.
    pub paths: Vec<Vec<[f64; 2]>>,
}

impl Legs {
    pub fn at(&self, a: usize, b: usize) -> usize {
        a * self.n + b
    }
}

/// The street-grid model.
#[derive(Debug, Clone, Copy, Default)]
pub struct StreetGrid;

impl Travel for StreetGrid {
    fn name(&self) -> &'static str {
        "street grid"
    }

    fn legs(&mut self, points: &[(f64, f64)]) -> Result<Legs, String> {
        let n = points.len();
        let xy: Vec<(f64, f64)> = points.iter().map(|&(la, lo)| project(la, lo)).collect();
        let speed = GRID_FREE_FLOW_KMH / 3.6;
        let mut legs = Legs {
            n,
            distance_m: vec![0.0; n * n],
            free_s: vec![0.0; n * n],
            paths: Vec::with_capacity(n * n),
        };
        for a in 0..n {
            for b in 0..n {
                let d = (xy[a].0 - xy[b].0).abs() + (xy[a].1 - xy[b].1).abs();
                legs.distance_m[a * n + b] = d;
                legs.free_s[a * n + b] = d / speed;
                // East–west first, then north–south: the corner is at (x_b, y_a).
                let corner = unproject(xy[b].0, xy[a].1);
                legs.paths.push(vec![
                    [points[a].0, points[a].1],
                    [corner.0, corner.1],
                    [points[b].0, points[b].1],
                ]);
            }
        }
        Ok(legs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_legs_are_manhattan_and_symmetric() {
        let a = unproject(0.0, 0.0);
        let b = unproject(3000.0, -4000.0);
        let l = StreetGrid.legs(&[a, b]).unwrap();
        assert!((l.distance_m[1] - 7000.0).abs() < 1e-6);
        assert_eq!(l.distance_m[1], l.distance_m[2]);
        assert!((l.free_s[1] - 7000.0 / (40.0 / 3.6)).abs() < 1e-6);
        assert_eq!(l.paths[1].len(), 3);
        assert_eq!(l.distance_m[0], 0.0);
    }

    #[test]
    fn congestion_wraps_the_clock() {
        assert_eq!(congestion(17.5 * 3600.0), 1.7);
        assert_eq!(congestion(86_400.0 + 3600.0), 1.0);
        assert_eq!(congestion(-1.0), 1.0);
    }
}
