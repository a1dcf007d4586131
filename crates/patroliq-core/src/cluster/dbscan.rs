//! DBSCAN on a grid of eps/√2 cells (the grid algorithm of Gunawan, 2013).
//!
//! Any two points of one such cell are within eps, so a cell holding min_samples points makes all
//! of them core points without a single distance, and core points of one cell are one cluster.
//! Only sparse cells count neighbours (over the 21 cells that can hold points within eps, with an
//! early exit), and cells are joined when some pair of their core points is within eps. On the
//! 500,000-row sample this takes about a second instead of the hours of a naive pass.
//!
//! The result is scikit-learn's, label for label: a point is core when at least `min_samples`
//! points (itself included) lie within `eps` (inclusive); clusters are numbered in the order of
//! their first core point; a border point joins the lowest-numbered cluster with a core point
//! within eps.

use rustc_hash::FxHashMap as HashMap;

use serde::{Deserialize, Serialize};

use super::{dist2, find, Points, Progress, NOISE};
use crate::error::AnalysisError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DbscanParams {
    /// Neighbourhood radius, metres.
    pub eps_m: f64,
    /// Points within eps (the point included) that make a core point.
    pub min_samples: usize,
}

impl Default for DbscanParams {
    /// 100 m and 100 incidents: on the real 500,000-row sample, 531 hotspots, the largest 6.1 % of
    /// the incidents, 62 % noise, half the hotspots under 0.03 km² (150 m and 50, the defaults
    /// before, made one 207 km² cluster of 46 % of them). Measured by `examples/hotspot_defaults.rs`;
    /// the table is in docs/analyses.md.
    fn default() -> Self {
        DbscanParams { eps_m: 100.0, min_samples: 100 }
    }
}

// The loops below are functions of their own, never inlined, on purpose: V8 first runs
// WebAssembly in its baseline compiler and optimises a function only for the calls after it has
// been hot, and inside the one long call of `fit` they stayed in the baseline tier.

/// The points of `lists[c]`, for the cells c in `near`, that lie within eps of `p`.
fn within<'a>(
    p: [f64; 2],
    near: &'a [usize],
    lists: &'a [Vec<u32>],
    xy: &'a [[f64; 2]],
    eps2: f64,
) -> impl Iterator<Item = usize> + 'a {
    near.iter()
        .flat_map(move |&nb| lists[nb].iter().map(|&j| j as usize))
        .filter(move |&j| dist2(p, xy[j]) <= eps2)
}

/// Whether at least `min_samples` points of the cells `near` lie within eps of `p`.
#[inline(never)]
fn has_neighbours(
    p: [f64; 2],
    near: &[usize],
    members: &[Vec<u32>],
    xy: &[[f64; 2]],
    eps2: f64,
    min_samples: usize,
) -> bool {
    within(p, near, members, xy, eps2).nth(min_samples - 1).is_some()
}

/// Whether some point of `a` and some point of `b` are within eps; `b_box` is `b`'s bounding box
/// (min x, min y, max x, max y), so points of `a` farther than eps from it are skipped whole.
#[inline(never)]
fn any_within(a: &[[f64; 2]], b: &[[f64; 2]], b_box: [f64; 4], eps2: f64) -> bool {
    a.iter().any(|&p| {
        let dx = (b_box[0] - p[0]).max(p[0] - b_box[2]).max(0.0);
        let dy = (b_box[1] - p[1]).max(p[1] - b_box[3]).max(0.0);
        dx * dx + dy * dy <= eps2 && b.iter().any(|&q| dist2(p, q) <= eps2)
    })
}

/// The distinct places of the points `ids` (rows at one place are one test for [`any_within`]:
/// at 8.2 M rows cells hold thousands of rows on a few hundred places) and their bounding box.
fn places(ids: &[u32], xy: &[[f64; 2]]) -> (Vec<[f64; 2]>, [f64; 4]) {
    let mut v: Vec<[f64; 2]> = ids.iter().map(|&i| xy[i as usize]).collect();
    v.sort_unstable_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    v.dedup();
    let mut bb = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
    for p in &v {
        bb = [bb[0].min(p[0]), bb[1].min(p[1]), bb[2].max(p[0]), bb[3].max(p[1])];
    }
    (v, bb)
}

/// The lowest label of a core point of the cells `near` within eps of `p` (`i32::MAX` if none).
#[inline(never)]
fn lowest_label_within(
    p: [f64; 2],
    near: &[usize],
    cores: &[Vec<u32>],
    xy: &[[f64; 2]],
    labels: &[i32],
    eps2: f64,
) -> i32 {
    within(p, near, cores, xy, eps2).map(|j| labels[j]).min().unwrap_or(i32::MAX)
}

#[derive(Debug, Clone, PartialEq)]
pub struct DbscanValid(DbscanParams);

impl DbscanParams {
    pub fn check(self) -> Result<DbscanValid, AnalysisError> {
        if !(self.eps_m.is_finite() && self.eps_m >= 1.0 && self.eps_m <= 5000.0) {
            return Err(AnalysisError::Param("eps must be between 1 m and 5,000 m".into()));
        }
        if !(1..=100_000).contains(&self.min_samples) {
            return Err(AnalysisError::Param("min samples must be between 1 and 100,000".into()));
        }
        Ok(DbscanValid(self))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DbscanModel {
    /// Cluster of each point, or [`NOISE`].
    pub labels: Vec<i32>,
    pub n_clusters: usize,
    pub core: Vec<bool>,
}

type Cell = (i64, i64);

/// Cell offsets that can hold a point within eps of a point of cell (0, 0) (side eps/√2): the 5×5
/// block without its corners.
const REACH: [(i64, i64); 21] = [
    (-2, -1),
    (-2, 0),
    (-2, 1),
    (-1, -2),
    (-1, -1),
    (-1, 0),
    (-1, 1),
    (-1, 2),
    (0, -2),
    (0, -1),
    (0, 0),
    (0, 1),
    (0, 2),
    (1, -2),
    (1, -1),
    (1, 0),
    (1, 1),
    (1, 2),
    (2, -1),
    (2, 0),
    (2, 1),
];

impl DbscanValid {
    pub fn fit(&self, points: &Points, progress: &mut dyn Progress) -> Result<DbscanModel, AnalysisError> {
        let DbscanParams { eps_m, min_samples } = self.0;
        let xy = &points.xy;
        let n = xy.len();
        let eps2 = eps_m * eps_m;
        let side = eps_m / std::f64::consts::SQRT_2;
        let cell_of = |p: [f64; 2]| ((p[0] / side).floor() as i64, (p[1] / side).floor() as i64);

        // Points per cell, in index order.
        let mut cells: HashMap<Cell, usize> = HashMap::default();
        let mut members: Vec<Vec<u32>> = Vec::new();
        let mut cell_idx = Vec::with_capacity(n);
        for (i, &p) in xy.iter().enumerate() {
            let c = cell_of(p);
            let id = *cells.entry(c).or_insert_with(|| {
                members.push(Vec::new());
                members.len() - 1
            });
            members[id].push(i as u32);
            cell_idx.push(id);
        }
        let keys: Vec<Cell> = {
            let mut k = vec![(0, 0); members.len()];
            cells.iter().for_each(|(&c, &id)| k[id] = c);
            k
        };
        // Captures references only, so it is `Copy` and usable in every loop below.
        let (cells, keys) = (&cells, &keys);
        let neighbours = move |id: usize| {
            let (cx, cy) = keys[id];
            REACH.iter().filter_map(move |&(dx, dy)| cells.get(&(cx + dx, cy + dy)).copied())
        };

        // 1. Core points.
        let mut core = vec![false; n];
        let mut near = Vec::with_capacity(REACH.len());
        let step = (members.len() / 50).max(1);
        for (id, m) in members.iter().enumerate() {
            if m.len() >= min_samples {
                m.iter().for_each(|&i| core[i as usize] = true);
            } else {
                near.clear();
                near.extend(neighbours(id));
                for &i in m {
                    core[i as usize] = has_neighbours(xy[i as usize], &near, &members, xy, eps2, min_samples);
                }
            }
            if id % step == 0 && !progress.report(0.6 * id as f64 / members.len() as f64) {
                return Err(AnalysisError::Cancelled);
            }
        }

        // 2. Cells with core points, joined when two of their core points are within eps.
        let cores: Vec<Vec<u32>> =
            members.iter().map(|m| m.iter().copied().filter(|&i| core[i as usize]).collect()).collect();
        let core_places: Vec<(Vec<[f64; 2]>, [f64; 4])> = cores.iter().map(|c| places(c, xy)).collect();
        let mut parent: Vec<usize> = (0..members.len()).collect();
        for id in 0..members.len() {
            if cores[id].is_empty() {
                continue;
            }
            for nb in neighbours(id) {
                if nb <= id || cores[nb].is_empty() || find(&mut parent, id) == find(&mut parent, nb) {
                    continue;
                }
                let (a, (b, b_box)) = (&core_places[id].0, &core_places[nb]);
                if any_within(a, b, *b_box, eps2) {
                    let (ra, rb) = (find(&mut parent, id), find(&mut parent, nb));
                    parent[ra.max(rb)] = ra.min(rb);
                }
            }
            if id % step == 0 && !progress.report(0.6 + 0.3 * id as f64 / members.len() as f64) {
                return Err(AnalysisError::Cancelled);
            }
        }

        // 3. Number clusters by their first core point, as scikit-learn's scan does.
        let mut number: HashMap<usize, i32> = HashMap::default();
        let mut labels = vec![NOISE; n];
        for i in 0..n {
            if core[i] {
                let root = find(&mut parent, cell_idx[i]);
                let next = number.len() as i32;
                labels[i] = *number.entry(root).or_insert(next);
            }
        }

        // 4. Border points: the lowest-numbered cluster with a core point within eps.
        for i in 0..n {
            if core[i] {
                continue;
            }
            near.clear();
            near.extend(neighbours(cell_idx[i]));
            let best = lowest_label_within(xy[i], &near, &cores, xy, &labels, eps2);
            if best != i32::MAX {
                labels[i] = best;
            }
        }
        progress.report(1.0);
        Ok(DbscanModel { n_clusters: number.len(), labels, core })
    }
}

#[cfg(test)]
mod tests {
    use super::super::Silent;
    use super::*;

    /// The textbook definition, O(n²), to check the grid against.
    fn naive(xy: &[[f64; 2]], eps: f64, min: usize) -> Vec<i32> {
        let n = xy.len();
        let nb: Vec<Vec<usize>> =
            (0..n).map(|i| (0..n).filter(|&j| dist2(xy[i], xy[j]) <= eps * eps).collect()).collect();
        let core: Vec<bool> = nb.iter().map(|v| v.len() >= min).collect();
        let mut labels = vec![NOISE; n];
        let mut next = 0;
        for i in 0..n {
            if labels[i] != NOISE || !core[i] {
                continue;
            }
            let mut stack = vec![i];
            while let Some(p) = stack.pop() {
                if labels[p] == NOISE {
                    labels[p] = next;
                    if core[p] {
                        stack.extend(nb[p].iter().copied().filter(|&q| labels[q] == NOISE));
                    }
                }
            }
            next += 1;
        }
        labels
    }

    fn random_points(n: usize, seed: u64) -> Vec<[f64; 2]> {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let hubs = [[0.0, 0.0], [800.0, 300.0], [-500.0, 900.0]];
        (0..n)
            .map(|i| {
                if i % 4 == 0 {
                    [rng.gen_range(-2000.0..2000.0), rng.gen_range(-2000.0..2000.0)]
                } else {
                    let h = hubs[i % 3];
                    [h[0] + rng.gen_range(-250.0..250.0), h[1] + rng.gen_range(-250.0..250.0)]
                }
            })
            .collect()
    }

    #[test]
    fn equals_the_textbook_algorithm() {
        for (seed, eps, min) in [(1, 60.0, 5), (2, 100.0, 12), (3, 35.0, 3), (4, 200.0, 40)] {
            let xy = random_points(1500, seed);
            let m = DbscanParams { eps_m: eps, min_samples: min }
                .check()
                .unwrap()
                .fit(&Points { xy: xy.clone() }, &mut Silent)
                .unwrap();
            assert_eq!(m.labels, naive(&xy, eps, min), "seed {seed} eps {eps} min {min}");
        }
    }

    #[test]
    fn all_noise_and_bad_parameters() {
        let xy = vec![[0.0, 0.0], [1000.0, 0.0], [0.0, 1000.0]];
        let m = DbscanParams { eps_m: 10.0, min_samples: 2 }
            .check()
            .unwrap()
            .fit(&Points { xy }, &mut Silent)
            .unwrap();
        assert_eq!((m.n_clusters, m.labels), (0, vec![NOISE; 3]));
        assert!(DbscanParams { eps_m: 0.0, min_samples: 5 }.check().is_err());
        assert!(DbscanParams { eps_m: f64::NAN, min_samples: 5 }.check().is_err());
        assert!(DbscanParams { eps_m: 100.0, min_samples: 0 }.check().is_err());
    }
}
