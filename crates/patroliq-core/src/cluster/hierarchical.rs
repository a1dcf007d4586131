//! Hierarchical clustering (Ward) of every row, through grid micro-clusters.
//!
//! Exact Ward needs the n × n distances: 500,000 points would take 1 TB (scikit-learn needs 69 s
//! and 12 GB for 40,000 rows). Ward's criterion, though, is the growth of the within-cluster sum of
//! squares, and that sum splits exactly: SSE(union of cells) = Σ SSE inside each cell + the
//! weighted SSE of the cell centroids. So Ward run on the centroids of small grid cells, each
//! weighted by its incident count, makes exactly the merges exact Ward would make among unions of
//! whole cells; the only approximation is that a cell (default 200 m × 200 m, a city block or two)
//! is never split. Chicago's 500k incidents fall in about 10,000 such cells; Ward on them runs by
//! the nearest-neighbour chain in O(cells²) time and O(cells) memory (distances computed on the fly
//! from centroids and weights, never stored).

use rustc_hash::FxHashMap as HashMap;

use serde::{Deserialize, Serialize};

use super::{dist2, find, Points, Progress};
use crate::error::AnalysisError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WardParams {
    /// Side of the micro-cluster cells, metres; 0 = every point its own leaf (exact Ward, for
    /// small inputs and the scikit-learn comparison).
    pub cell_m: f64,
    /// Where the dendrogram is cut.
    pub k: usize,
}

impl Default for WardParams {
    fn default() -> Self {
        WardParams { cell_m: 200.0, k: 9 }
    }
}

/// Leaves (cells, or points when exact) above which Ward is refused: its time is quadratic.
pub const MAX_LEAVES: usize = 40_000;

#[derive(Debug, Clone, PartialEq)]
pub struct WardValid(WardParams);

impl WardParams {
    pub fn check(self) -> Result<WardValid, AnalysisError> {
        if !(self.cell_m == 0.0 || (self.cell_m.is_finite() && (10.0..=5000.0).contains(&self.cell_m))) {
            return Err(AnalysisError::Param("the cell size must be 0 (exact) or 10–5,000 m".into()));
        }
        if !(1..=200).contains(&self.k) {
            return Err(AnalysisError::Param("k must be between 1 and 200".into()));
        }
        Ok(WardValid(self))
    }
}

/// One merge: leaves/clusters `a` and `b` (scipy's numbering: leaves 0..n, the i-th merge makes
/// cluster n + i) at Ward distance `height` (scipy's: √(2·nₐn_b/(nₐ+n_b))·‖cₐ−c_b‖, metres),
/// giving a cluster of `size` incidents.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Merge {
    pub a: usize,
    pub b: usize,
    pub height: f64,
    pub size: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WardModel {
    /// Cluster of each point, 0..k, numbered by decreasing size.
    pub labels: Vec<i32>,
    /// Leaves of the tree (cells, or points when exact): centroid and incident count.
    pub leaves: Vec<([f64; 2], f64)>,
    /// The n − 1 merges, by increasing height (a dendrogram).
    pub merges: Vec<Merge>,
}

/// Ward linkage of weighted points by the nearest-neighbour chain. Returns the merges by height.
/// The active slot nearest to `a` by Ward's merge cost; the previous chain element wins ties
/// (keeps the chain finite). Never inlined, on purpose: V8 first runs WebAssembly in its baseline
/// compiler and optimises a function only for the calls after it has been hot; as part of the one
/// long call of [`ward`] this scan stayed in the baseline tier.
#[inline(never)]
fn nearest(
    active: &[usize],
    centre: &[[f64; 2]],
    weight: &[f64],
    a: usize,
    prev: Option<usize>,
) -> (f64, usize) {
    let mut best = (f64::INFINITY, usize::MAX);
    for &j in active {
        if j == a {
            continue;
        }
        let d = weight[a] * weight[j] / (weight[a] + weight[j]) * dist2(centre[a], centre[j]);
        if d < best.0 || (d == best.0 && Some(j) == prev) {
            best = (d, j);
        }
    }
    best
}

pub fn ward(leaves: &[([f64; 2], f64)], progress: &mut dyn Progress) -> Result<Vec<Merge>, AnalysisError> {
    let n = leaves.len();
    let mut centre: Vec<[f64; 2]> = leaves.iter().map(|l| l.0).collect();
    let mut weight: Vec<f64> = leaves.iter().map(|l| l.1).collect();
    // Which tree node each slot holds now (slots are reused by merged clusters).
    let mut node: Vec<usize> = (0..n).collect();
    let mut active: Vec<usize> = (0..n).collect();
    let mut chain: Vec<usize> = Vec::new();
    let mut raw: Vec<(usize, usize, f64, f64)> = Vec::with_capacity(n.saturating_sub(1));
    while active.len() > 1 {
        if chain.is_empty() {
            chain.push(active[0]);
        }
        let a = *chain.last().expect("chain not empty");
        let prev = chain.len().checked_sub(2).map(|i| chain[i]);
        let best = nearest(&active, &centre, &weight, a, prev);
        let b = best.1;
        if Some(b) == prev {
            chain.pop();
            chain.pop();
            let (wa, wb) = (weight[a], weight[b]);
            let height = (2.0 * best.0).sqrt();
            raw.push((node[a], node[b], height, wa + wb));
            // The merged cluster takes slot min(a, b); the other slot leaves.
            let (keep, gone) = (a.min(b), a.max(b));
            centre[keep] = [
                (centre[a][0] * wa + centre[b][0] * wb) / (wa + wb),
                (centre[a][1] * wa + centre[b][1] * wb) / (wa + wb),
            ];
            weight[keep] = wa + wb;
            node[keep] = n + raw.len() - 1;
            active.retain(|&s| s != gone);
            if raw.len().is_multiple_of(64) && !progress.report(raw.len() as f64 / (n - 1) as f64) {
                return Err(AnalysisError::Cancelled);
            }
        } else {
            chain.push(b);
        }
    }
    // The chain finds merges out of height order: sort them, then renumber the clusters they make
    // (as scipy does), so that merge i makes cluster n + i.
    let mut order: Vec<usize> = (0..raw.len()).collect();
    order.sort_by(|&x, &y| raw[x].2.total_cmp(&raw[y].2));
    let mut parent: Vec<usize> = (0..2 * n).collect();
    // Map each raw node to a representative leaf, then use union-find on leaves.
    let mut leaf_of: Vec<usize> = (0..n).collect();
    for &(a, b, _, _) in &raw {
        leaf_of.push(leaf_of[a].min(leaf_of[b]));
    }
    let mut label_of_root: HashMap<usize, usize> = (0..n).map(|i| (i, i)).collect();
    let mut merges = Vec::with_capacity(raw.len());
    for (i, &r) in order.iter().enumerate() {
        let (a, b, height, size) = raw[r];
        let (ra, rb) = (find(&mut parent, leaf_of[a]), find(&mut parent, leaf_of[b]));
        let (la, lb) = (label_of_root[&ra], label_of_root[&rb]);
        parent[ra.max(rb)] = ra.min(rb);
        label_of_root.insert(ra.min(rb), n + i);
        merges.push(Merge { a: la.min(lb), b: la.max(lb), height, size });
    }
    Ok(merges)
}

/// The clusters of the leaves when the tree is cut into `k` (the last k − 1 merges undone),
/// numbered by decreasing weight.
pub fn cut(leaves: &[([f64; 2], f64)], merges: &[Merge], k: usize) -> Vec<i32> {
    let n = leaves.len();
    let mut parent: Vec<usize> = (0..2 * n).collect();
    let keep = n.saturating_sub(k.max(1));
    for (i, m) in merges.iter().take(keep).enumerate() {
        let (ra, rb) = (find(&mut parent, m.a), find(&mut parent, m.b));
        parent[ra] = n + i;
        parent[rb] = n + i;
    }
    let roots: Vec<usize> = (0..n).map(|i| find(&mut parent, i)).collect();
    let mut weight: HashMap<usize, f64> = HashMap::default();
    for (i, &r) in roots.iter().enumerate() {
        *weight.entry(r).or_default() += leaves[i].1;
    }
    let mut by_weight: Vec<(usize, f64)> = weight.into_iter().collect();
    by_weight.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let label: HashMap<usize, i32> = by_weight.iter().enumerate().map(|(l, &(r, _))| (r, l as i32)).collect();
    roots.iter().map(|r| label[r]).collect()
}

impl WardValid {
    pub fn fit(&self, points: &Points, progress: &mut dyn Progress) -> Result<WardModel, AnalysisError> {
        let WardParams { cell_m, k } = self.0;
        let xy = &points.xy;
        // Leaves, and the leaf of each point.
        let (leaves, leaf_of): (Vec<([f64; 2], f64)>, Vec<usize>) = if cell_m == 0.0 {
            if xy.len() > MAX_LEAVES {
                return Err(AnalysisError::Data(format!(
                    "exact Ward is limited to {MAX_LEAVES} points; use micro-cluster cells"
                )));
            }
            (xy.iter().map(|&p| (p, 1.0)).collect(), (0..xy.len()).collect())
        } else {
            let mut index: HashMap<(i64, i64), usize> = HashMap::default();
            let mut sums: Vec<([f64; 2], f64)> = Vec::new();
            let leaf_of = xy
                .iter()
                .map(|&p| {
                    let c = ((p[0] / cell_m).floor() as i64, (p[1] / cell_m).floor() as i64);
                    let id = *index.entry(c).or_insert_with(|| {
                        sums.push(([0.0, 0.0], 0.0));
                        sums.len() - 1
                    });
                    sums[id].0[0] += p[0];
                    sums[id].0[1] += p[1];
                    sums[id].1 += 1.0;
                    id
                })
                .collect();
            (sums.into_iter().map(|(s, w)| ([s[0] / w, s[1] / w], w)).collect(), leaf_of)
        };
        if leaves.len() > MAX_LEAVES {
            return Err(AnalysisError::Param(format!(
                "{} cells of {cell_m} m is too many for Ward (at most {MAX_LEAVES}): use larger cells",
                leaves.len()
            )));
        }
        if leaves.len() < k {
            return Err(AnalysisError::Data(format!(
                "{} {} cannot make {k} clusters",
                leaves.len(),
                if cell_m == 0.0 { "points" } else { "occupied cells" }
            )));
        }
        let merges = ward(&leaves, progress)?;
        let leaf_labels = cut(&leaves, &merges, k);
        let labels = leaf_of.iter().map(|&l| leaf_labels[l]).collect();
        Ok(WardModel { labels, leaves, merges })
    }
}

#[cfg(test)]
mod tests {
    use super::super::Silent;
    use super::*;

    fn points(xy: &[[f64; 2]]) -> Points {
        Points { xy: xy.to_vec() }
    }

    #[test]
    fn merges_nearest_first_and_cuts_into_k() {
        // 0,1 close; 2,3 close; 4 far away.
        let xy = [[0.0, 0.0], [1.0, 0.0], [10.0, 0.0], [11.0, 0.0], [100.0, 0.0]];
        let leaves: Vec<_> = xy.iter().map(|&p| (p, 1.0)).collect();
        let m = ward(&leaves, &mut Silent).unwrap();
        assert_eq!(m.len(), 4);
        assert!(m.windows(2).all(|w| w[0].height <= w[1].height));
        // Two unit pairs first, at scipy's Ward height √(2·½·1) = 1.
        assert_eq!((m[0].a, m[0].b, m[0].height), (0, 1, 1.0));
        assert_eq!((m[1].a, m[1].b), (2, 3));
        // Then the two pairs (clusters 5 and 6), then the far point with cluster 7.
        assert_eq!((m[2].a, m[2].b, m[2].size), (5, 6, 4.0));
        assert_eq!((m[3].a, m[3].b, m[3].size), (4, 7, 5.0));
        assert_eq!(cut(&leaves, &m, 2), vec![0, 0, 0, 0, 1]);
        assert_eq!(cut(&leaves, &m, 3), vec![0, 0, 1, 1, 2]);
        assert_eq!(cut(&leaves, &m, 5).iter().collect::<std::collections::HashSet<_>>().len(), 5);
    }

    #[test]
    fn cells_group_points_and_every_point_gets_its_cells_cluster() {
        let mut xy = Vec::new();
        for (cx, cy) in [(0.0, 0.0), (5000.0, 0.0), (0.0, 5000.0)] {
            for i in 0..30 {
                xy.push([cx + (i % 6) as f64 * 30.0, cy + (i / 6) as f64 * 30.0]);
            }
        }
        let m = WardParams { cell_m: 100.0, k: 3 }.check().unwrap().fit(&points(&xy), &mut Silent).unwrap();
        assert!(m.leaves.len() < xy.len());
        for i in 0..xy.len() {
            assert_eq!(m.labels[i], m.labels[i - i % 30], "point {i} with its blob");
        }
        assert_eq!(m.labels.iter().collect::<std::collections::HashSet<_>>().len(), 3);
    }

    #[test]
    fn bad_parameters() {
        assert!(WardParams { cell_m: 5.0, k: 9 }.check().is_err());
        assert!(WardParams { cell_m: 200.0, k: 0 }.check().is_err());
        let e = WardParams { cell_m: 0.0, k: 3 }.check().unwrap().fit(&points(&[[0.0, 0.0]; 2]), &mut Silent);
        assert!(matches!(e, Err(AnalysisError::Data(_))));
    }
}
