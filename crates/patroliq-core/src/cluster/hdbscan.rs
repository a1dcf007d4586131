//! HDBSCAN on every point: core distances from a k-d tree, the minimum spanning tree of the
//! mutual-reachability graph by Borůvka's algorithm on the same tree (whole subtrees of the query's
//! own component are skipped, and points whose core distance cannot beat their component's best
//! edge are not queried at all), then scikit-learn's single-linkage → condensed tree → excess of
//! mass selection, step for step (`sklearn/cluster/_hdbscan/_tree.pyx`).
//!
//! The tree and the spanning tree are built on the distinct locations, each weighted by its rows
//! ([`Locations`]): rows at one place are at distance 0 and share a core distance c, so every edge
//! that leaves one of them weighs at least c while the edges between them weigh exactly c. A
//! spanning tree is therefore a chain of weight c through each place's rows plus a minimum
//! spanning tree of the places, which is what [`spanning_tree`] builds: the same tree weights as
//! on every row, on 2.5× fewer points for the portal's block-level coordinates.
//!
//! The hierarchy and the condensed tree are of the places too, each a leaf weighing its rows. In
//! the tree of every row a place's chain (weight c) is complete before any edge leaves it (those
//! weigh c at least, and come after the chain in the stable sort at a tie), so it hangs whole
//! under the merges of the places; walking down it, its rows leave their cluster one at a time,
//! all at λ = 1/c — or all at once where the place is smaller than a cluster. So a place either
//! falls out whole at its parent's λ, as a point of weight w would, or, reached as a cluster,
//! gives up its w rows at its own λ: the same condensed tree, stabilities and labels as on every
//! row (a test checks it against the tree of every row), on 20× fewer nodes at 8.2 M rows.

use serde::{Deserialize, Serialize};

use super::kdtree::KdTree;
use super::locations::Locations;
use super::{find, Points, Progress, NOISE};
use crate::error::AnalysisError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HdbscanParams {
    /// The smallest group that counts as a hotspot.
    pub min_cluster_size: usize,
    /// Neighbours (the point included) that define a point's core distance; scikit-learn's
    /// default is `min_cluster_size`.
    pub min_samples: usize,
}

impl Default for HdbscanParams {
    /// 150 and 100: on the real 500,000-row sample, 499 hotspots, the largest 2.2 % of the
    /// incidents, 56 % noise, half the hotspots under 0.09 km² (500 and 50, the defaults before,
    /// made 111 clusters with a median hull of 0.8 km² and a largest of 57 km²). Measured by
    /// `examples/hotspot_defaults.rs`; the table is in docs/analyses.md.
    fn default() -> Self {
        HdbscanParams { min_cluster_size: 150, min_samples: 100 }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct HdbscanValid(HdbscanParams);

impl HdbscanParams {
    pub fn check(self) -> Result<HdbscanValid, AnalysisError> {
        if !(2..=1_000_000).contains(&self.min_cluster_size) {
            return Err(AnalysisError::Param("min cluster size must be between 2 and 1,000,000".into()));
        }
        if !(1..=1000).contains(&self.min_samples) {
            return Err(AnalysisError::Param("min samples must be between 1 and 1,000".into()));
        }
        Ok(HdbscanValid(self))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HdbscanModel {
    pub labels: Vec<i32>,
    pub n_clusters: usize,
}

/// Points one call of [`best_edges`] looks at.
const CHUNK: usize = 4096;

/// Part of a Borůvka round: lowers `best` (weight, from, to), the lightest edge leaving each
/// component, by the edges from the points `by_core`. Never inlined and called per chunk, on
/// purpose: V8 first runs WebAssembly in its baseline compiler and optimises a function only for
/// the calls after it has been hot; as one loop inside the fit this stayed in the baseline tier.
#[inline(never)]
fn best_edges(
    tree: &KdTree,
    summary: &[(u32, f64)],
    by_core: &[usize],
    comp: &[u32],
    core: &[f64],
    best: &mut [(f64, usize, usize)],
) {
    for &p in by_core {
        let c = comp[p] as usize;
        // Every edge from p weighs at least core[p].
        if core[p] > best[c].0 {
            continue;
        }
        let mut cand = (best[c].0, usize::MAX);
        tree.nearest_other(p, comp, core, summary, &mut cand);
        if cand.1 != usize::MAX && (cand.0 < best[c].0 || best[c].1 == usize::MAX) {
            best[c] = (cand.0, p, cand.1);
        }
    }
}

/// The mutual-reachability MST as (a, b, weight) edges, Borůvka on the k-d tree.
fn mst(
    xy: &[[f64; 2]],
    core: &[f64],
    progress: &mut dyn Progress,
) -> Result<Vec<(usize, usize, f64)>, AnalysisError> {
    let n = xy.len();
    let tree = KdTree::new(xy);
    let mut by_core: Vec<usize> = (0..n).collect();
    by_core.sort_by(|&a, &b| core[a].total_cmp(&core[b]).then(a.cmp(&b)));
    let mut parent: Vec<usize> = (0..n).collect();
    let mut comp: Vec<u32> = (0..n as u32).collect();
    let mut edges = Vec::with_capacity(n.saturating_sub(1));
    while edges.len() + 1 < n {
        let summary = tree.summarise(&comp, core);
        let mut best = vec![(f64::INFINITY, usize::MAX, usize::MAX); n];
        for chunk in by_core.chunks(CHUNK) {
            best_edges(&tree, &summary, chunk, &comp, core, &mut best);
        }
        let before = edges.len();
        for &(w, a, b) in &best[..n] {
            if a == usize::MAX {
                continue;
            }
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            if ra != rb {
                parent[ra.max(rb)] = ra.min(rb);
                edges.push((a, b, w));
            }
        }
        if edges.len() == before {
            break; // Only with non-finite coordinates; never loop forever.
        }
        for (i, c) in comp[..n].iter_mut().enumerate() {
            *c = find(&mut parent, i) as u32;
        }
        if !progress.report(0.2 + 0.7 * edges.len() as f64 / (n - 1).max(1) as f64) {
            return Err(AnalysisError::Cancelled);
        }
    }
    Ok(edges)
}

/// The mutual-reachability MST of the places: with a chain of weight c through each place's
/// rows, the MST of every row (see the module's notes).
struct Spanning {
    /// The distinct places of the rows.
    places: Locations,
    /// Each place's core distance (its rows weighted).
    core: Vec<f64>,
    /// (place, place, weight).
    edges: Vec<(usize, usize, f64)>,
}

/// The places of `xy` and their spanning tree with core distances of `min_samples`.
fn spanning_tree(
    xy: &[[f64; 2]],
    min_samples: usize,
    progress: &mut dyn Progress,
) -> Result<Spanning, AnalysisError> {
    let places = Locations::of(xy);
    let core = KdTree::new(&places.xy).core_distances(min_samples, &places.weight);
    if !progress.report(0.2) {
        return Err(AnalysisError::Cancelled);
    }
    let edges = mst(&places.xy, &core, progress)?;
    Ok(Spanning { places, core, edges })
}

/// One row of the condensed tree: `child` (a point < n, or a cluster ≥ n) leaves `parent` at λ.
#[derive(Debug, Clone, Copy)]
struct Condensed {
    parent: usize,
    child: usize,
    lambda: f64,
    size: usize,
}

/// Single-linkage merges (left, right, distance, size) from MST edges, scipy/sklearn numbering,
/// leaf i weighing `weight[i]` points. The sort is stable: edges of equal weight merge in the
/// spanning tree's order, as scikit-learn's.
fn single_linkage(weight: &[u32], mut edges: Vec<(usize, usize, f64)>) -> Vec<(usize, usize, f64, usize)> {
    let n = weight.len();
    edges.sort_by(|a, b| a.2.total_cmp(&b.2));
    let mut parent: Vec<usize> = (0..2 * n).collect();
    let mut size: Vec<usize> = weight.iter().map(|&w| w as usize).chain(std::iter::repeat_n(0, n)).collect();
    let mut out = Vec::with_capacity(edges.len());
    for (i, (a, b, w)) in edges.into_iter().enumerate() {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        let node = n + i;
        size[node] = size[ra] + size[rb];
        out.push((ra, rb, w, size[node]));
        parent[ra] = node;
        parent[rb] = node;
    }
    out
}

/// Nodes below `node` (itself included), breadth first.
fn bfs(hierarchy: &[(usize, usize, f64, usize)], n: usize, node: usize) -> Vec<usize> {
    let mut out = vec![node];
    let mut i = 0;
    while i < out.len() {
        let x = out[i];
        if x >= n {
            let (l, r, _, _) = hierarchy[x - n];
            out.push(l);
            out.push(r);
        }
        i += 1;
    }
    out
}

/// λ of a merge at `distance`.
fn lambda(distance: f64) -> f64 {
    if distance > 0.0 {
        1.0 / distance
    } else {
        f64::INFINITY
    }
}

/// The condensed tree of a hierarchy whose leaf i weighs `weight[i]` points at core distance
/// `core[i]` (a place and its rows; see the module's notes).
fn condense(
    hierarchy: &[(usize, usize, f64, usize)],
    weight: &[u32],
    core: &[f64],
    min_size: usize,
) -> Vec<Condensed> {
    let n = weight.len();
    let root = 2 * hierarchy.len();
    let mut relabel = vec![0usize; root + 1];
    relabel[root] = n;
    let mut next = n + 1;
    let mut ignore = vec![false; root + 1];
    let mut out = Vec::new();
    let count = |x: usize| if x >= n { hierarchy[x - n].3 } else { weight[x] as usize };
    for node in bfs(hierarchy, n, root) {
        if ignore[node] {
            continue;
        }
        if node < n {
            // A place reached as a cluster of its own: its rows leave it at its core distance.
            out.push(Condensed {
                parent: relabel[node],
                child: node,
                lambda: lambda(core[node]),
                size: count(node),
            });
            continue;
        }
        let (left, right, distance, _) = hierarchy[node - n];
        let lambda = lambda(distance);
        let (lc, rc) = (count(left), count(right));
        // The points under `sub` leave this node's cluster at λ.
        let parent = relabel[node];
        let fall_out = |sub: usize, out: &mut Vec<Condensed>, ignore: &mut Vec<bool>| {
            for s in bfs(hierarchy, n, sub) {
                if s < n {
                    out.push(Condensed { parent, child: s, lambda, size: count(s) });
                }
                ignore[s] = true;
            }
        };
        if lc >= min_size && rc >= min_size {
            relabel[left] = next;
            next += 1;
            out.push(Condensed { parent, child: relabel[left], lambda, size: lc });
            relabel[right] = next;
            next += 1;
            out.push(Condensed { parent, child: relabel[right], lambda, size: rc });
        } else if lc < min_size && rc < min_size {
            fall_out(left, &mut out, &mut ignore);
            fall_out(right, &mut out, &mut ignore);
        } else if lc < min_size {
            relabel[right] = parent;
            fall_out(left, &mut out, &mut ignore);
        } else {
            relabel[left] = parent;
            fall_out(right, &mut out, &mut ignore);
        }
    }
    out
}

/// Excess-of-mass selection and labelling, as scikit-learn with `allow_single_cluster=False`.
fn select(tree: &[Condensed], n: usize) -> (Vec<i32>, usize) {
    let Some(max_parent) = tree.iter().map(|r| r.parent).max() else {
        return (vec![NOISE; n], 0);
    };
    let top = max_parent.max(tree.iter().map(|r| r.child).max().unwrap_or(0));
    let mut birth = vec![0.0f64; top + 1];
    for r in tree.iter().filter(|r| r.child >= n) {
        birth[r.child] = r.lambda;
    }
    birth[n] = 0.0;
    let mut stability = vec![0.0f64; max_parent + 1];
    for r in tree {
        stability[r.parent] += (r.lambda - birth[r.parent]) * r.size as f64;
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); max_parent + 1];
    let mut up = vec![usize::MAX; top + 1];
    for r in tree {
        up[r.child] = r.parent;
        if r.child >= n {
            children[r.parent].push(r.child);
        }
    }
    let mut selected = vec![false; max_parent + 1];
    // Every cluster but the root, deepest (highest id) first.
    for node in ((n + 1)..=max_parent).rev() {
        selected[node] = true;
        let subtree: f64 = children[node].iter().map(|&c| stability[c]).sum();
        if subtree > stability[node] {
            selected[node] = false;
            stability[node] = subtree;
        } else {
            let mut stack = children[node].clone();
            while let Some(s) = stack.pop() {
                selected[s] = false;
                stack.extend(children[s].iter().copied());
            }
        }
    }
    let chosen: Vec<usize> = (n + 1..=max_parent).filter(|&c| selected[c]).collect();
    let mut number = vec![NOISE; max_parent + 1];
    chosen.iter().enumerate().for_each(|(i, &c)| number[c] = i as i32);
    // A point's label: the first selected cluster above it. A cluster's id is above its
    // parent's, so each cluster's answer is its own number or its parent's, found once.
    let mut above = vec![NOISE; max_parent + 1];
    for node in (n + 1)..=max_parent {
        above[node] = if selected[node] {
            number[node]
        } else if up[node] == usize::MAX {
            NOISE
        } else {
            above[up[node]]
        };
    }
    let labels = (0..n).map(|p| if up[p] == usize::MAX { NOISE } else { above[up[p]] }).collect();
    (labels, chosen.len())
}

impl HdbscanValid {
    pub fn fit(&self, points: &Points, progress: &mut dyn Progress) -> Result<HdbscanModel, AnalysisError> {
        let HdbscanParams { min_cluster_size, min_samples } = self.0;
        let n = points.len();
        if n <= min_samples.max(1) {
            return Err(AnalysisError::Data(format!("{n} points are too few for min samples {min_samples}")));
        }
        let Spanning { places, core, edges } = spanning_tree(&points.xy, min_samples, progress)?;
        let hierarchy = single_linkage(&places.weight, edges);
        if !progress.report(0.94) {
            return Err(AnalysisError::Cancelled);
        }
        let tree = condense(&hierarchy, &places.weight, &core, min_cluster_size);
        if !progress.report(0.97) {
            return Err(AnalysisError::Cancelled);
        }
        let (by_place, n_clusters) = select(&tree, places.len());
        let mut labels = vec![NOISE; n];
        for (l, &label) in by_place.iter().enumerate() {
            places.rows_at(l).iter().for_each(|&r| labels[r as usize] = label);
        }
        progress.report(1.0);
        Ok(HdbscanModel { labels, n_clusters })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{dist2, Silent};
    use super::*;
    use rand::{Rng, SeedableRng};

    /// Prim's algorithm on the full mutual-reachability graph: the MST weight to compare with.
    fn prim_weight(xy: &[[f64; 2]], core: &[f64]) -> f64 {
        let n = xy.len();
        let w = |a: usize, b: usize| core[a].max(core[b]).max(dist2(xy[a], xy[b]).sqrt());
        let mut in_tree = vec![false; n];
        let mut dist = vec![f64::INFINITY; n];
        dist[0] = 0.0;
        let mut total = 0.0;
        for _ in 0..n {
            let u = (0..n).filter(|&i| !in_tree[i]).min_by(|&a, &b| dist[a].total_cmp(&dist[b])).unwrap();
            in_tree[u] = true;
            total += dist[u];
            for v in 0..n {
                if !in_tree[v] {
                    dist[v] = dist[v].min(w(u, v));
                }
            }
        }
        total
    }

    fn blobs(seed: u64) -> Vec<[f64; 2]> {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let hubs = [[0.0, 0.0], [3000.0, 0.0], [0.0, 3000.0], [3000.0, 3000.0]];
        (0..800)
            .map(|i| {
                if i % 10 == 0 {
                    [rng.gen_range(-1000.0..4000.0), rng.gen_range(-1000.0..4000.0)]
                } else {
                    let h = hubs[i % 4];
                    [h[0] + rng.gen_range(-300.0..300.0), h[1] + rng.gen_range(-300.0..300.0)]
                }
            })
            .collect()
    }

    #[test]
    fn the_boruvka_tree_has_the_minimum_weight() {
        for seed in 0..3 {
            let xy = blobs(seed);
            let core = KdTree::new(&xy).kth_distances(5);
            let edges = mst(&xy, &core, &mut Silent).unwrap();
            assert_eq!(edges.len(), xy.len() - 1);
            let total: f64 = edges.iter().map(|e| e.2).sum();
            let want = prim_weight(&xy, &core);
            assert!((total - want).abs() < 1e-6 * want, "seed {seed}: {total} vs {want}");
        }
    }

    /// The spanning tree of every row: a chain of weight c through each place's rows, then the
    /// places' tree between their first rows (in that order, as the per-row fit sorted them).
    fn row_edges(xy: &[[f64; 2]], k: usize) -> Vec<(usize, usize, f64)> {
        let Spanning { places, core, edges: mst } = spanning_tree(xy, k, &mut Silent).unwrap();
        let mut edges = Vec::new();
        for (l, &c) in core.iter().enumerate() {
            edges.extend(places.rows_at(l).windows(2).map(|w| (w[0] as usize, w[1] as usize, c)));
        }
        let first = |l: usize| places.rows_at(l)[0] as usize;
        edges.extend(mst.into_iter().map(|(a, b, w)| (first(a), first(b), w)));
        edges
    }

    /// Rows on `places` spots of the blobs, some spots holding many rows.
    fn stacked(seed: u64, places: usize, rows: usize) -> Vec<[f64; 2]> {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let spots = blobs(seed);
        (0..rows).map(|_| spots[rng.gen_range(0..places).min(rng.gen_range(0..places))]).collect()
    }

    #[test]
    fn the_tree_built_on_distinct_locations_has_the_weight_of_the_tree_of_every_row() {
        for (seed, places) in [(0u64, 40usize), (1, 150), (2, 400)] {
            let xy = stacked(seed, places, 500);
            for k in [1, 4, 12] {
                let edges = row_edges(&xy, k);
                assert_eq!(edges.len(), xy.len() - 1);
                let mut parent: Vec<usize> = (0..xy.len()).collect();
                for &(a, b, _) in &edges {
                    let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                    assert_ne!(ra, rb, "a cycle");
                    parent[ra] = rb;
                }
                let total: f64 = edges.iter().map(|e| e.2).sum();
                let want = prim_weight(&xy, &KdTree::new(&xy).kth_distances(k));
                assert!(
                    (total - want).abs() <= 1e-9 * want.max(1.0),
                    "{places} places, k {k}: {total} vs {want}"
                );
            }
        }
    }

    #[test]
    fn the_condensed_tree_of_the_places_labels_every_row_as_the_tree_of_every_row() {
        // The tree of every row (each a leaf of weight 1, scikit-learn's) against the fit's tree
        // of weighted places, on rows stacked on few spots (places of hundreds of rows, core
        // distances of 0) and on many, for small and large clusters.
        let (mut clusters, mut noise) = (0, 0);
        for (seed, places, rows) in
            [(3u64, 30usize, 3000usize), (4, 120, 3000), (5, 500, 2500), (6, 800, 1600)]
        {
            let xy = stacked(seed, places, rows);
            for (min_cluster_size, min_samples) in [(5, 3), (40, 10), (150, 60), (400, 5)] {
                let every_row = {
                    let hierarchy = single_linkage(&vec![1; rows], row_edges(&xy, min_samples));
                    let tree = condense(&hierarchy, &vec![1; rows], &vec![0.0; rows], min_cluster_size);
                    select(&tree, rows)
                };
                let fit = HdbscanParams { min_cluster_size, min_samples }
                    .check()
                    .unwrap()
                    .fit(&Points { xy: xy.clone() }, &mut Silent)
                    .unwrap();
                let what = format!("{places} places, {min_cluster_size}/{min_samples}");
                clusters += every_row.1;
                noise += every_row.0.iter().filter(|&&l| l == NOISE).count();
                assert_eq!((fit.labels, fit.n_clusters), every_row, "{what}");
            }
        }
        // Not a vacuous comparison: clusters and noise both found.
        assert!(clusters > 20 && noise > 1000, "{clusters} clusters, {noise} noise");
    }

    #[test]
    fn finds_the_four_blobs_and_leaves_the_scatter_as_noise() {
        let xy = blobs(7);
        let m = HdbscanParams { min_cluster_size: 40, min_samples: 10 }
            .check()
            .unwrap()
            .fit(&Points { xy }, &mut Silent)
            .unwrap();
        assert_eq!(m.n_clusters, 4);
        // Blob members (i % 10 != 0) share their hub's label.
        for i in (0..800).filter(|i| i % 10 != 0) {
            let j = (i % 4..800).step_by(4).find(|j| j % 10 != 0).unwrap();
            assert_eq!(m.labels[i], m.labels[j], "point {i}");
        }
        let noise = m.labels.iter().filter(|&&l| l == NOISE).count();
        assert!(noise > 10 && noise < 200, "noise {noise}");
    }

    #[test]
    fn bad_parameters() {
        assert!(HdbscanParams { min_cluster_size: 1, min_samples: 5 }.check().is_err());
        assert!(HdbscanParams { min_cluster_size: 5, min_samples: 0 }.check().is_err());
    }
}
