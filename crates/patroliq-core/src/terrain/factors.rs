//! Each layer measured at every study cell, and the candidate factors made of the measures.
//!
//! Distances are from the cell's centre. A block length is taken as 200 m (a Chicago block is
//! 1/8 mile, 201 m, on its long side), so the radii of 1–3 blocks are 200, 400 and 600 m. The
//! forms, RTMDx's and chapter 5's:
//! - `distance`: km to the nearest feature (chapter 5's nearest-neighbour distance);
//! - `nn`: mean km to the [`NN_K`] nearest features of a layer of points (chapter 5's "nn"
//!   features: smoother than the nearest alone, and than a count within a radius);
//! - `log_distance`: ln(1 + distance in blocks), a distance whose effect fades with it;
//! - `proximity`: 1 when a feature is within the radius (RTMDx's proximity);
//! - `density`: ln(1 + features within the radius) (a count in a circle: a flat kernel);
//! - `share`: the share of the cell inside the layer's polygons (parks), 0–1;
//! - `lag`: ln(1 + past incidents a year in the neighbouring cells: one, two or three rings of
//!   them, the cell itself left out), the spatial lag of past crime;
//! - `here`: ln(1 + past incidents a year in the cell itself), past crime at the finest scale (a
//!   factor of its own beside the lag, so the fit weighs the cell against its neighbours).

use geo::{BoundingRect, Contains, Densify, Euclidean, Length, LineString, Point, Polygon};
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

use super::index::PointIndex;
use super::layers::Layer;
use crate::risk::grid::Grid;

pub const BLOCK_M: f64 = 200.0;
pub const RADII: [f64; 3] = [BLOCK_M, 2.0 * BLOCK_M, 3.0 * BLOCK_M];
/// Polygon outlines are sampled this often for the distance to a polygon.
const OUTLINE_STEP_M: f64 = 10.0;
/// Points per side sampled in a cell for its share inside polygons (16 points: 1/16 steps).
const SHARE_SAMPLES: usize = 4;
const MAX_DENSIFIED_M: f64 = 200_000.0;
/// The features averaged over by the `nn` form (chapter 5's k = 3).
pub const NN_K: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    Distance,
    Proximity,
    Density,
    Share,
    Lag,
    Nn,
    LogDistance,
    Here,
}

impl Form {
    pub fn key(self) -> &'static str {
        match self {
            Form::Distance => "distance",
            Form::Proximity => "proximity",
            Form::Density => "density",
            Form::Share => "share",
            Form::Lag => "lag",
            Form::Nn => "nn",
            Form::LogDistance => "log_distance",
            Form::Here => "here",
        }
    }
}

/// A layer measured at each study cell (in the order of the study cells).
#[derive(Debug, Clone, PartialEq)]
pub struct Measures {
    /// Metres from the centre to the nearest feature (0 inside a polygon); infinite when the layer
    /// has no feature left.
    pub nearest_m: Vec<f64>,
    /// Point features within each of [`RADII`]; `None` for a layer of lines or polygons.
    pub within: Option<[Vec<u32>; 3]>,
    /// Metres to each of the [`NN_K`] nearest point features, averaged; `None` as `within`.
    pub nn_m: Option<Vec<f64>>,
    /// Share of the cell inside polygons; `None` for a layer of points or lines.
    pub share: Option<Vec<f64>>,
}

/// One candidate column of the design: a layer (or the lag), a form and a radius.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Position of the layer; `None` for the lag.
    pub layer: Option<usize>,
    pub form: Form,
    pub radius_m: Option<f64>,
    pub values: Vec<f64>,
}

/// The layer measured at every study cell.
pub fn measure(layer: &Layer, grid: &Grid, study: &[usize]) -> Measures {
    let centres: Vec<(f64, f64)> = study.iter().map(|&c| grid.centre(c)).collect();
    let mut targets = layer.points.clone();
    let mut outline = |l: &LineString<f64>| {
        // A hostile outline thousands of km long would be millions of samples: its vertices only.
        if Euclidean.length(l) > MAX_DENSIFIED_M {
            targets.extend(l.0.iter().map(|c| (c.x, c.y)));
        } else {
            targets.extend(Euclidean.densify(l, OUTLINE_STEP_M).0.iter().map(|c| (c.x, c.y)));
        }
    };
    layer.lines.iter().for_each(&mut outline);
    for p in &layer.polygons {
        std::iter::once(p.exterior()).chain(p.interiors()).for_each(&mut outline);
    }
    let index = PointIndex::new(&targets, 200.0);
    let inside = PolygonIndex::new(&layer.polygons);
    let nearest_m: Vec<f64> = centres
        .iter()
        .map(|&c| if inside.holds(c) { 0.0 } else { index.nearest(c).unwrap_or(f64::INFINITY) })
        .collect();
    let point_index =
        (!layer.points.is_empty() && !layer.is_areal()).then(|| PointIndex::new(&layer.points, 200.0));
    let within = point_index
        .as_ref()
        .map(|points| RADII.map(|r| centres.iter().map(|&c| points.count_within(c, r) as u32).collect()));
    let nn_m = point_index.as_ref().map(|points| {
        centres.iter().map(|&c| points.mean_nearest(c, NN_K).unwrap_or(f64::INFINITY)).collect()
    });
    let share = (!layer.polygons.is_empty()).then(|| {
        let half = grid.cell_m / 2.0;
        let step = grid.cell_m / SHARE_SAMPLES as f64;
        centres
            .iter()
            .map(|&(cx, cy)| {
                let mut hit = 0;
                for i in 0..SHARE_SAMPLES {
                    for j in 0..SHARE_SAMPLES {
                        let p = (cx - half + (i as f64 + 0.5) * step, cy - half + (j as f64 + 0.5) * step);
                        hit += inside.holds(p) as usize;
                    }
                }
                hit as f64 / (SHARE_SAMPLES * SHARE_SAMPLES) as f64
            })
            .collect()
    });
    Measures { nearest_m, within, nn_m, share }
}

/// The candidate columns of one layer: every form its geometry allows. A layer with nothing left
/// inside the extent gives none.
pub fn candidates(layer: usize, m: &Measures) -> Vec<Candidate> {
    if m.nearest_m.iter().all(|d| !d.is_finite()) {
        return Vec::new();
    }
    let mut out = vec![Candidate {
        layer: Some(layer),
        form: Form::Distance,
        radius_m: None,
        values: m.nearest_m.iter().map(|d| d / 1000.0).collect(),
    }];
    out.push(Candidate {
        layer: Some(layer),
        form: Form::LogDistance,
        radius_m: None,
        values: m.nearest_m.iter().map(|d| (d / BLOCK_M).ln_1p()).collect(),
    });
    if let Some(nn) = m.nn_m.as_ref().filter(|v| v.iter().all(|d| d.is_finite())) {
        out.push(Candidate {
            layer: Some(layer),
            form: Form::Nn,
            radius_m: None,
            values: nn.iter().map(|d| d / 1000.0).collect(),
        });
    }
    for r in RADII {
        out.push(Candidate {
            layer: Some(layer),
            form: Form::Proximity,
            radius_m: Some(r),
            values: m.nearest_m.iter().map(|&d| (d <= r) as u8 as f64).collect(),
        });
    }
    if let Some(within) = &m.within {
        for (k, r) in RADII.iter().enumerate() {
            out.push(Candidate {
                layer: Some(layer),
                form: Form::Density,
                radius_m: Some(*r),
                values: within[k].iter().map(|&n| f64::from(n).ln_1p()).collect(),
            });
        }
    }
    if let Some(share) = &m.share {
        out.push(Candidate { layer: Some(layer), form: Form::Share, radius_m: None, values: share.clone() });
    }
    out
}

/// Neighbourhoods of the lag, in rings of cells around the cell (1: the eight neighbours).
pub const LAG_RINGS: [usize; 3] = [1, 2, 3];

/// The spatial lag: ln(1 + the mean of `rate` over the cells within `rings` rings of each study
/// cell, the cell itself left out). `rate` is per grid cell, incidents a year, so a lag from one
/// year and a lag from two are on one scale.
pub fn lag(grid: &Grid, study: &[usize], rate: &[f64], rings: usize) -> Vec<f64> {
    let k = rings as i64;
    study
        .iter()
        .map(|&c| {
            let (col, row) = grid.col_row(c);
            let (mut sum, mut n) = (0.0, 0usize);
            for dr in -k..=k {
                for dc in -k..=k {
                    let (cc, rr) = (col as i64 + dc, row as i64 + dr);
                    if (dc, dr) == (0, 0)
                        || cc < 0
                        || rr < 0
                        || cc as usize >= grid.cols
                        || rr as usize >= grid.rows
                    {
                        continue;
                    }
                    sum += rate[rr as usize * grid.cols + cc as usize];
                    n += 1;
                }
            }
            if n == 0 {
                0.0
            } else {
                (sum / n as f64).ln_1p()
            }
        })
        .collect()
}

/// The lag's candidate forms, one per neighbourhood ([`LAG_RINGS`]); `radius_m` the rings' reach.
pub fn lag_candidates(grid: &Grid, study: &[usize], rate: &[f64]) -> Vec<Candidate> {
    LAG_RINGS
        .iter()
        .map(|&k| Candidate {
            layer: None,
            form: Form::Lag,
            radius_m: Some(k as f64 * grid.cell_m),
            values: lag(grid, study, rate, k),
        })
        .collect()
}

/// Past crime in the cell itself: ln(1 + `rate`) at each study cell.
pub fn here(study: &[usize], rate: &[f64]) -> Vec<f64> {
    study.iter().map(|&c| rate[c].ln_1p()).collect()
}

/// The candidate of past crime in the cell itself (one form: [`Form::Here`]).
pub fn here_candidates(study: &[usize], rate: &[f64]) -> Vec<Candidate> {
    vec![Candidate { layer: None, form: Form::Here, radius_m: None, values: here(study, rate) }]
}

/// Which polygons may hold a point: their bounding boxes by 500 m square.
struct PolygonIndex<'a> {
    polygons: &'a [Polygon<f64>],
    buckets: HashMap<(i64, i64), Vec<usize>>,
}

const BUCKET_M: f64 = 500.0;

impl<'a> PolygonIndex<'a> {
    fn new(polygons: &'a [Polygon<f64>]) -> Self {
        let mut buckets: HashMap<(i64, i64), Vec<usize>> = HashMap::default();
        for (i, p) in polygons.iter().enumerate() {
            let Some(r) = p.bounding_rect() else { continue };
            let b = |v: f64| (v / BUCKET_M).floor() as i64;
            // A hostile polygon spanning a continent would make millions of buckets.
            if (b(r.max().x) - b(r.min().x)) * (b(r.max().y) - b(r.min().y)) > 40_000 {
                continue;
            }
            for x in b(r.min().x)..=b(r.max().x) {
                for y in b(r.min().y)..=b(r.max().y) {
                    buckets.entry((x, y)).or_default().push(i);
                }
            }
        }
        PolygonIndex { polygons, buckets }
    }

    fn holds(&self, (x, y): (f64, f64)) -> bool {
        let key = ((x / BUCKET_M).floor() as i64, (y / BUCKET_M).floor() as i64);
        self.buckets
            .get(&key)
            .is_some_and(|v| v.iter().any(|&i| self.polygons[i].contains(&Point::new(x, y))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, side: f64) -> Polygon<f64> {
        Polygon::new(
            vec![(x0, y0), (x0 + side, y0), (x0 + side, y0 + side), (x0, y0 + side), (x0, y0)].into(),
            vec![],
        )
    }

    fn layer(points: Vec<(f64, f64)>, polygons: Vec<Polygon<f64>>) -> Layer {
        Layer { name: "t".into(), points, lines: vec![], polygons, summary: Default::default() }
    }

    #[test]
    fn measures_of_points_and_of_a_park() {
        let g = Grid { cell_m: 100.0, col0: 0, row0: 0, cols: 10, rows: 1 };
        let study: Vec<usize> = (0..10).collect();
        // Two places at the centre of cell 0 and one in cell 5.
        let m = measure(&layer(vec![(50.0, 50.0), (50.0, 50.0), (550.0, 50.0)], vec![]), &g, &study);
        assert_eq!(m.nearest_m[0], 0.0);
        assert_eq!(m.nearest_m[2], 200.0);
        assert_eq!(m.within.as_ref().unwrap()[0][..4], [2, 2, 2, 1]);
        assert_eq!(m.within.as_ref().unwrap()[1][1], 3, "100 m and 400 m");
        assert!(m.share.is_none());
        // A park covering cells 2 and 3 whole and half of cell 4.
        let m = measure(&layer(vec![], vec![square(200.0, -50.0, 250.0)]), &g, &study);
        assert_eq!(m.share.as_ref().unwrap()[..6], [0.0, 0.0, 1.0, 1.0, 0.5, 0.0]);
        assert_eq!(m.nearest_m[3], 0.0);
        assert!(
            (m.nearest_m[0] - 150.0).abs() < 1e-9 && (m.nearest_m[6] - 200.0).abs() < 1e-9,
            "{:?}",
            m.nearest_m
        );
        let c = candidates(0, &m);
        assert_eq!(
            c.iter().map(|c| c.form.key()).collect::<Vec<_>>(),
            ["distance", "log_distance", "proximity", "proximity", "proximity", "share"]
        );
        assert!(m.nn_m.is_none(), "no nn form for a park");
        assert_eq!(c[2].values[..3], [1.0, 1.0, 1.0], "150 m from the park: within 200 m");
        assert!((c[1].values[0] - (150.0f64 / BLOCK_M).ln_1p()).abs() < 1e-12, "log distance in blocks");
    }

    #[test]
    fn nn_is_the_mean_distance_to_the_three_nearest_points() {
        let g = Grid { cell_m: 100.0, col0: 0, row0: 0, cols: 10, rows: 1 };
        let study: Vec<usize> = (0..10).collect();
        let pts = vec![(50.0, 50.0), (350.0, 50.0), (650.0, 50.0), (950.0, 50.0)];
        let m = measure(&layer(pts, vec![]), &g, &study);
        let nn = m.nn_m.as_ref().unwrap();
        assert!((nn[0] - (0.0 + 300.0 + 600.0) / 3.0).abs() < 1e-9, "{nn:?}");
        assert!((nn[5] - (100.0 + 200.0 + 400.0) / 3.0).abs() < 1e-9, "{nn:?}");
        let c = candidates(0, &m);
        let nn_c = c.iter().find(|c| c.form == Form::Nn).expect("an nn candidate for points");
        assert!((nn_c.values[0] - 0.3).abs() < 1e-12, "km");
        // One point: every cell's nn is its distance, a layer with fewer than k points still works.
        let m = measure(&layer(vec![(50.0, 50.0)], vec![]), &g, &study);
        assert_eq!(m.nn_m.unwrap(), m.nearest_m);
    }

    #[test]
    fn here_is_the_cells_own_past_rate() {
        let mut rate = vec![0.0; 9];
        rate[4] = 3.0;
        let c = here_candidates(&[4, 0], &rate);
        assert_eq!((c.len(), c[0].form, c[0].layer), (1, Form::Here, None));
        assert_eq!(c[0].values, [3.0f64.ln_1p(), 0.0]);
        assert_eq!(Form::Here.key(), "here");
        assert_eq!(serde_json::to_string(&Form::LogDistance).unwrap(), "\"log_distance\"");
        assert_eq!(serde_json::to_string(&Form::Nn).unwrap(), "\"nn\"");
    }

    #[test]
    fn the_lag_is_the_neighbours_mean_without_the_cell() {
        let g = Grid { cell_m: 100.0, col0: 0, row0: 0, cols: 3, rows: 3 };
        let mut rate = vec![0.0; 9];
        rate[4] = 100.0;
        rate[0] = 8.0;
        let l = lag(&g, &[4, 0], &rate, 1);
        assert!((l[0] - 1.0f64.ln_1p()).abs() < 1e-12);
        assert!((l[1] - (100.0f64 / 3.0).ln_1p()).abs() < 1e-12);
        // Two rings from a corner: the other eight cells of the 3 × 3 grid.
        let l = lag(&g, &[0], &rate, 2);
        assert!((l[0] - (100.0f64 / 8.0).ln_1p()).abs() < 1e-12);
    }
}
