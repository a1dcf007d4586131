//! A static 2-D k-d tree over the points: k-nearest-neighbour distances (HDBSCAN's core distances)
//! and the nearest point of another component under mutual reachability (its Borůvka MST).
//!
//! Written here because the queries HDBSCAN needs (pruning whole subtrees that lie in the query's
//! own component, with a lower bound from the smallest core distance inside) are not what general
//! k-d tree crates offer.

use super::dist2;
use crate::float::{larger, smaller};

const LEAF: usize = 32;

#[derive(Debug, Clone)]
struct Node {
    /// Range of `order` this node covers.
    start: usize,
    end: usize,
    lo: [f64; 2],
    hi: [f64; 2],
    /// Children (indices into `nodes`), none for a leaf.
    kids: Option<(usize, usize)>,
}

#[derive(Debug, Clone)]
pub struct KdTree<'a> {
    xy: &'a [[f64; 2]],
    /// Point indices, grouped by node.
    order: Vec<u32>,
    nodes: Vec<Node>,
}

/// Squared distance from `p` to the box [lo, hi] (0 inside).
fn box_dist2(p: [f64; 2], lo: [f64; 2], hi: [f64; 2]) -> f64 {
    let d = |a: usize| larger(larger(lo[a] - p[a], 0.0), p[a] - hi[a]);
    d(0).powi(2) + d(1).powi(2)
}

impl<'a> KdTree<'a> {
    pub fn new(xy: &'a [[f64; 2]]) -> KdTree<'a> {
        let mut t = KdTree { xy, order: (0..xy.len() as u32).collect(), nodes: Vec::new() };
        if !xy.is_empty() {
            t.build(0, xy.len());
        }
        t
    }

    fn build(&mut self, start: usize, end: usize) -> usize {
        let (mut lo, mut hi) = ([f64::MAX; 2], [f64::MIN; 2]);
        for &i in &self.order[start..end] {
            let p = self.xy[i as usize];
            for a in 0..2 {
                lo[a] = smaller(lo[a], p[a]);
                hi[a] = larger(hi[a], p[a]);
            }
        }
        let id = self.nodes.len();
        self.nodes.push(Node { start, end, lo, hi, kids: None });
        if end - start > LEAF {
            let axis = if hi[0] - lo[0] >= hi[1] - lo[1] { 0 } else { 1 };
            let mid = (start + end) / 2;
            let xy = self.xy;
            self.order[start..end].select_nth_unstable_by(mid - start, |&a, &b| {
                xy[a as usize][axis].total_cmp(&xy[b as usize][axis])
            });
            let l = self.build(start, mid);
            let r = self.build(mid, end);
            self.nodes[id].kids = Some((l, r));
        }
        id
    }

    /// Distance from each point to its `k`-th nearest point, itself counted as the first (the
    /// unweighted case, which the tests check [`KdTree::core_distances`] against).
    #[cfg(test)]
    pub(crate) fn kth_distances(&self, k: usize) -> Vec<f64> {
        self.core_distances(k, &vec![1; self.xy.len()])
    }

    /// Distance from each point to its `k`-th nearest point when point `i` stands for `weight[i]`
    /// points at one place (itself counted): the core distances of the rows behind distinct
    /// locations, exactly as if every row were in the tree.
    pub fn core_distances(&self, k: usize, weight: &[u32]) -> Vec<f64> {
        assert_eq!(weight.len(), self.xy.len(), "one weight per point");
        let mut heap = Nearest { k: k as u64, items: Vec::with_capacity(k + 1), total: 0 };
        (0..self.xy.len())
            .map(|i| {
                if weight[i] as usize >= k {
                    return 0.0;
                }
                heap.items.clear();
                heap.total = 0;
                self.knn(0, self.xy[i], weight, &mut heap);
                heap.bound().sqrt()
            })
            .collect()
    }

    fn knn(&self, node: usize, p: [f64; 2], weight: &[u32], heap: &mut Nearest) {
        let n = &self.nodes[node];
        if box_dist2(p, n.lo, n.hi) >= heap.bound() {
            return;
        }
        match n.kids {
            None => {
                for &i in &self.order[n.start..n.end] {
                    let d = dist2(p, self.xy[i as usize]);
                    if d < heap.bound() {
                        heap.insert(d, weight[i as usize]);
                    }
                }
            }
            Some((l, r)) => {
                let (dl, dr) = (
                    box_dist2(p, self.nodes[l].lo, self.nodes[l].hi),
                    box_dist2(p, self.nodes[r].lo, self.nodes[r].hi),
                );
                let (a, b) = if dl <= dr { (l, r) } else { (r, l) };
                self.knn(a, p, weight, heap);
                self.knn(b, p, weight, heap);
            }
        }
    }

    /// Per node: the component all its points share (or `MIXED`), and its smallest core distance.
    pub fn summarise(&self, component: &[u32], core: &[f64]) -> Vec<(u32, f64)> {
        let mut out = vec![(MIXED, f64::INFINITY); self.nodes.len()];
        // Children are built after their parent: walk backwards.
        for id in (0..self.nodes.len()).rev() {
            let n = &self.nodes[id];
            out[id] = match n.kids {
                None => {
                    let pts = &self.order[n.start..n.end];
                    let c = component[pts[0] as usize];
                    let same = pts.iter().all(|&i| component[i as usize] == c);
                    let m = pts.iter().map(|&i| core[i as usize]).fold(f64::INFINITY, f64::min);
                    (if same { c } else { MIXED }, m)
                }
                Some((l, r)) => {
                    let (a, b) = (out[l], out[r]);
                    (if a.0 == b.0 { a.0 } else { MIXED }, a.1.min(b.1))
                }
            };
        }
        out
    }

    /// The point of another component nearest to `p` under mutual reachability
    /// max(core_p, core_q, d(p, q)), if one beats `best` (weight, q) — which it then updates.
    pub fn nearest_other(
        &self,
        p: usize,
        component: &[u32],
        core: &[f64],
        summary: &[(u32, f64)],
        best: &mut (f64, usize),
    ) {
        self.other(0, p, component, core, summary, best);
    }

    fn other(
        &self,
        node: usize,
        p: usize,
        comp: &[u32],
        core: &[f64],
        summary: &[(u32, f64)],
        best: &mut (f64, usize),
    ) {
        let n = &self.nodes[node];
        let c = comp[p];
        if summary[node].0 == c {
            return;
        }
        let pp = self.xy[p];
        let bound = larger(larger(core[p], summary[node].1), box_dist2(pp, n.lo, n.hi).sqrt());
        if bound > best.0 {
            return;
        }
        match n.kids {
            None => {
                for &q in &self.order[n.start..n.end] {
                    let q = q as usize;
                    if comp[q] == c {
                        continue;
                    }
                    let w = larger(larger(core[p], core[q]), dist2(pp, self.xy[q]).sqrt());
                    // Ties go to the lower index, so the tree is the same whatever the visit order.
                    if w < best.0 || (w == best.0 && q < best.1) {
                        *best = (w, q);
                    }
                }
            }
            Some((l, r)) => {
                let d = |id: usize| box_dist2(pp, self.nodes[id].lo, self.nodes[id].hi);
                let (a, b) = if d(l) <= d(r) { (l, r) } else { (r, l) };
                self.other(a, p, comp, core, summary, best);
                self.other(b, p, comp, core, summary, best);
            }
        }
    }
}

/// Marks a node whose points lie in more than one component.
pub const MIXED: u32 = u32::MAX;

/// The nearest weighted points seen so far: the fewest, nearest first, whose weights reach `k`,
/// in a max-heap on squared distance (the farthest at index 0).
struct Nearest {
    k: u64,
    items: Vec<(f64, u32)>,
    total: u64,
}

impl Nearest {
    /// Squared distance a point must beat to matter.
    fn bound(&self) -> f64 {
        if self.total >= self.k {
            self.items[0].0
        } else {
            f64::INFINITY
        }
    }

    fn insert(&mut self, d: f64, w: u32) {
        self.items.push((d, w));
        self.total += w as u64;
        let h = &mut self.items;
        let mut i = h.len() - 1;
        while i > 0 {
            let parent = (i - 1) / 2;
            if h[parent].0 >= h[i].0 {
                break;
            }
            h.swap(parent, i);
            i = parent;
        }
        // Drop the farthest while the rest still reach k.
        while self.total - self.items[0].1 as u64 >= self.k {
            self.total -= self.items[0].1 as u64;
            let last = self.items.pop().expect("not empty");
            if !self.items.is_empty() {
                self.items[0] = last;
                sift_down(&mut self.items, 0);
            }
        }
    }
}

fn sift_down(heap: &mut [(f64, u32)], mut i: usize) {
    loop {
        let (l, r) = (2 * i + 1, 2 * i + 2);
        let mut big = i;
        if l < heap.len() && heap[l].0 > heap[big].0 {
            big = l;
        }
        if r < heap.len() && heap[r].0 > heap[big].0 {
            big = r;
        }
        if big == i {
            return;
        }
        heap.swap(i, big);
        i = big;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn kth_distances_equal_brute_force() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let xy: Vec<[f64; 2]> =
            (0..700).map(|_| [rng.gen_range(0.0..1000.0), rng.gen_range(0.0..500.0)]).collect();
        let t = KdTree::new(&xy);
        for k in [1, 2, 5, 40] {
            let got = t.kth_distances(k);
            for (i, &p) in xy.iter().enumerate() {
                let mut d: Vec<f64> = xy.iter().map(|&q| dist2(p, q)).collect();
                d.sort_by(f64::total_cmp);
                assert_eq!(got[i], d[k - 1].sqrt(), "k {k} point {i}");
            }
        }
    }

    #[test]
    fn weighted_core_distances_equal_those_of_every_row() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
        // Few distinct places, many rows at each: the portal's block-level coordinates.
        let places: Vec<[f64; 2]> = (0..60)
            .map(|_| [rng.gen_range(0.0f64..300.0).round(), rng.gen_range(0.0f64..300.0).round()])
            .collect();
        let rows: Vec<[f64; 2]> = (0..900).map(|_| places[rng.gen_range(0..places.len())]).collect();
        let locs = crate::cluster::locations::Locations::of(&rows);
        let by_loc = KdTree::new(&locs.xy);
        let by_row = KdTree::new(&rows);
        for k in [1, 3, 10, 25, 40] {
            let every = by_row.kth_distances(k);
            let weighted = by_loc.core_distances(k, &locs.weight);
            for (l, &w) in weighted.iter().enumerate().take(locs.len()) {
                for &r in locs.rows_at(l) {
                    assert_eq!(w, every[r as usize], "k {k} row {r}");
                }
            }
        }
    }
}
