//! Approximate k nearest neighbours by NN-descent (Dong, Charikar & Li 2011), as pynndescent
//! (umap-learn's k-NN) does it: a forest of random-projection trees gives each row candidates
//! from its leaves, then rounds of local join — every pair of a row's sampled neighbours and
//! reverse neighbours is offered to both — until fewer than δ·n·k lists change.
//!
//! Used for the maps above [`super::embed::EXACT_UP_TO`] points, where the exact k-NN's n²
//! distances dominate the map (100,000 points: 5 × 10⁹). Written here rather than taken from a
//! crate: the pure-Rust HNSW crates (`instant-distance`, `hnsw_rs`) insert in parallel with rayon,
//! so their graph depends on thread timing even when seeded, answer one query at a time (an
//! all-points k-NN graph is what NN-descent builds directly) and have no progress or cancel hook;
//! the NN-descent ones on crates.io are thin, little-used ports built on rayon as well. This one
//! is single-threaded and seeded (one map, one Web Worker), so a seed gives the same graph.
//!
//! Ties and duplicates: the feature rows have many exact duplicates (binary and calendar
//! features), and a graph over them is unstable — a cluster of more than k copies fills every
//! list with zeros in whatever order the join met them. Identical rows are therefore merged
//! first; the descent runs on distinct rows with ties broken by the lower index, and each row's
//! list is its own copies (distance 0, in index order) followed by its distinct neighbours'
//! copies, as the exact k-NN ([`super::knn::knn`]) orders them.

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg32;
use rustc_hash::FxHashMap;

use super::knn::{knn, sq, Knn, Matrix};
use crate::cluster::Progress;
use crate::error::AnalysisError;

/// NN-descent's settings; the defaults are pynndescent's as umap-learn calls it.
#[derive(Debug, Clone, PartialEq)]
pub struct NnDescentParams {
    pub seed: u64,
    /// Random-projection trees; `None`: 5 + √n / 20 (at most 64), umap-learn's choice.
    pub trees: Option<usize>,
    /// Rounds of local join at most; `None`: max(5, log₂ n).
    pub iterations: Option<usize>,
    /// Sampling rate ρ: each round joins at most ⌈ρ·k⌉ (and at most 60) new and as many old
    /// neighbours of a row (pynndescent's `max_candidates`).
    pub rho: f64,
    /// Early stop δ: the descent ends once a round changes fewer than δ·n·k entries.
    pub delta: f64,
}

impl Default for NnDescentParams {
    fn default() -> Self {
        NnDescentParams { seed: 42, trees: None, iterations: None, rho: 1.0, delta: 0.001 }
    }
}

/// Parameters that passed [`NnDescentParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct NnDescentValid(NnDescentParams);

/// Below this many distinct rows the exact k-NN is cheaper than building the trees.
const EXACT_BELOW: usize = 2_000;

/// pynndescent's cap on the candidates joined per row and round.
const MAX_CANDIDATES: usize = 60;

impl NnDescentParams {
    pub fn check(self) -> Result<NnDescentValid, AnalysisError> {
        if !(self.rho > 0.0 && self.rho <= 1.0) {
            return Err(AnalysisError::Param("NN-descent's sampling rate ρ must be in (0, 1]".into()));
        }
        if !(0.0..1.0).contains(&self.delta) {
            return Err(AnalysisError::Param("NN-descent's δ must be in [0, 1)".into()));
        }
        if self.trees == Some(0) || self.iterations == Some(0) {
            return Err(AnalysisError::Param("NN-descent needs a tree and a round at least".into()));
        }
        Ok(NnDescentValid(self))
    }
}

/// The k best (smallest key) of each row, a max-heap per row over flat arrays, largest first.
/// Keys are (squared distance or priority, index): equal distances go to the lower index,
/// whatever the order they were offered in.
struct Heaps {
    k: usize,
    key: Vec<f32>,
    idx: Vec<u32>,
    /// Whether the entry arrived after the row's last join (NN-descent's "new" flag).
    new: Vec<bool>,
    /// Each row's largest key (its root), apart: most offers are rejected on it, and n floats
    /// stay in cache where the n·k keys do not (100,000 rows: NN-descent at k = 14 5.8 → 2.8 s,
    /// k = 90 46 → 33 s; measured).
    worst: Vec<f32>,
}

const EMPTY: u32 = u32::MAX;

#[inline]
fn before(a: (f32, u32), b: (f32, u32)) -> bool {
    a.0 < b.0 || (a.0 == b.0 && a.1 < b.1)
}

impl Heaps {
    fn new(n: usize, k: usize) -> Heaps {
        Heaps {
            k,
            key: vec![f32::INFINITY; n * k],
            idx: vec![EMPTY; n * k],
            new: vec![false; n * k],
            worst: vec![f32::INFINITY; n],
        }
    }

    fn reset(&mut self) {
        self.key.fill(f32::INFINITY);
        self.idx.fill(EMPTY);
        self.worst.fill(f32::INFINITY);
    }

    /// Offers (v, j) to row i; true when it entered.
    #[inline]
    fn push(&mut self, i: usize, v: f32, j: u32, new: bool) -> bool {
        if v > self.worst[i] {
            return false;
        }
        let (k, base) = (self.k, i * self.k);
        if !before((v, j), (self.key[base], self.idx[base])) || self.idx[base..base + k].contains(&j) {
            return false;
        }
        // Sift the new entry down from the root it replaces.
        let mut at = 0;
        loop {
            let (l, r) = (2 * at + 1, 2 * at + 2);
            let mut big = at;
            let mut big_key = (v, j);
            if l < k && before(big_key, (self.key[base + l], self.idx[base + l])) {
                (big, big_key) = (l, (self.key[base + l], self.idx[base + l]));
            }
            if r < k && before(big_key, (self.key[base + r], self.idx[base + r])) {
                big = r;
            }
            if big == at {
                break;
            }
            self.key[base + at] = self.key[base + big];
            self.idx[base + at] = self.idx[base + big];
            self.new[base + at] = self.new[base + big];
            at = big;
        }
        self.key[base + at] = v;
        self.idx[base + at] = j;
        self.new[base + at] = new;
        self.worst[i] = self.key[base];
        true
    }

    fn filled(&self, i: usize) -> usize {
        self.idx[i * self.k..(i + 1) * self.k].iter().filter(|&&j| j != EMPTY).count()
    }

    /// Row i's entries, ascending by (key, index).
    fn sorted(&self, i: usize) -> Vec<(f32, u32)> {
        let r = i * self.k..(i + 1) * self.k;
        let mut v: Vec<(f32, u32)> = self.key[r.clone()]
            .iter()
            .copied()
            .zip(self.idx[r].iter().copied())
            .filter(|e| e.1 != EMPTY)
            .collect();
        v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        v
    }
}

/// The distinct rows of `x` (in order of first appearance) and, for each, the rows equal to it
/// (ascending). -0.0 and 0.0 are one value.
fn distinct(x: &Matrix) -> (Matrix, Vec<Vec<u32>>) {
    let mut first: FxHashMap<Vec<u32>, u32> = FxHashMap::default();
    let mut data = Vec::new();
    let mut members: Vec<Vec<u32>> = Vec::new();
    for i in 0..x.rows() {
        let bits: Vec<u32> = x.row(i).iter().map(|&v| if v == 0.0 { 0 } else { v.to_bits() }).collect();
        let next = members.len() as u32;
        let u = *first.entry(bits).or_insert(next);
        if u == next {
            data.extend_from_slice(x.row(i));
            members.push(Vec::new());
        }
        members[u as usize].push(i as u32);
    }
    (Matrix { dim: x.dim, data }, members)
}

/// The rows of `indices` split by random hyperplanes (through the midpoint of two random rows,
/// normal to their difference) until at most `leaf` remain: the leaves, as ranges of `indices`.
fn rp_leaves(x: &Matrix, indices: &mut [u32], leaf: usize, rng: &mut Pcg32) -> Vec<(usize, usize)> {
    let mut leaves = Vec::new();
    let mut todo = vec![(0, indices.len())];
    let mut normal = vec![0.0f32; x.dim];
    let mut side = Vec::new();
    while let Some((lo, hi)) = todo.pop() {
        if hi - lo <= leaf {
            leaves.push((lo, hi));
            continue;
        }
        let part = &mut indices[lo..hi];
        // u32 ranges: rand draws usize ranges differently on 32-bit WebAssembly and 64-bit native,
        // and a seed must give the browser's map the CLI's graph.
        let a = rng.gen_range(0..part.len() as u32) as usize;
        let mut b = rng.gen_range(0..part.len() as u32 - 1) as usize;
        b += usize::from(b >= a);
        let (xa, xb) = (x.row(part[a] as usize), x.row(part[b] as usize));
        let mut offset = 0.0f32;
        for ((w, &u), &v) in normal.iter_mut().zip(xa).zip(xb) {
            *w = u - v;
            offset -= *w * (u + v) / 2.0;
        }
        side.clear();
        for &i in part.iter() {
            let m: f32 = x.row(i as usize).iter().zip(&normal).map(|(v, w)| v * w).sum::<f32>() + offset;
            // On the plane: a coin, as pynndescent.
            side.push(if m == 0.0 { rng.gen::<bool>() } else { m > 0.0 });
        }
        let left = side.iter().filter(|&&s| s).count();
        if left == 0 || left == part.len() {
            // No split (rows too close for f32): halve at random, so the recursion ends.
            side.iter_mut().for_each(|s| *s = rng.gen::<bool>());
        }
        let mut ordered: Vec<u32> = part.iter().zip(&side).filter(|p| *p.1).map(|p| *p.0).collect();
        let cut = ordered.len();
        ordered.extend(part.iter().zip(&side).filter(|p| !*p.1).map(|p| *p.0));
        part.copy_from_slice(&ordered);
        if cut == 0 || cut == part.len() {
            leaves.push((lo, hi));
            continue;
        }
        todo.push((lo + cut, hi));
        todo.push((lo, lo + cut));
    }
    leaves
}

/// Samples each row's candidates for a round: up to `max` new and `max` old entries of its
/// list and of the lists it is in, chosen by random priority; the new ones sampled are then old.
fn candidates(graph: &mut Heaps, fresh: &mut Heaps, old: &mut Heaps, rng: &mut Pcg32) {
    fresh.reset();
    old.reset();
    let (n, k) = (graph.idx.len() / graph.k, graph.k);
    for i in 0..n {
        for s in i * k..(i + 1) * k {
            let j = graph.idx[s];
            if j == EMPTY {
                continue;
            }
            let priority: f32 = rng.gen();
            let into = if graph.new[s] { &mut *fresh } else { &mut *old };
            into.push(i, priority, j, true);
            into.push(j as usize, priority, i as u32, true);
        }
    }
    let m = fresh.k;
    for i in 0..n {
        for s in i * k..(i + 1) * k {
            if graph.new[s] && fresh.idx[i * m..(i + 1) * m].contains(&graph.idx[s]) {
                graph.new[s] = false;
            }
        }
    }
}

/// One round of local join: every pair (new, new) and (new, old) among each row's candidates
/// is offered to both lists. The number of entries that changed.
#[inline(never)]
fn local_join(x: &Matrix, graph: &mut Heaps, fresh: &Heaps, old: &Heaps) -> usize {
    let (n, m) = (x.rows(), fresh.k);
    let mut updates = 0;
    let (mut a, mut b) = (Vec::with_capacity(m), Vec::with_capacity(m));
    for i in 0..n {
        a.clear();
        a.extend(fresh.idx[i * m..(i + 1) * m].iter().copied().filter(|&j| j != EMPTY));
        b.clear();
        b.extend(old.idx[i * m..(i + 1) * m].iter().copied().filter(|&j| j != EMPTY));
        for (s, &p) in a.iter().enumerate() {
            let xp = x.row(p as usize);
            for &q in a[s + 1..].iter().chain(b.iter()) {
                if p == q {
                    continue;
                }
                let d = sq(xp, x.row(q as usize));
                updates += usize::from(graph.push(p as usize, d, q, true));
                updates += usize::from(graph.push(q as usize, d, p, true));
            }
        }
    }
    updates
}

impl NnDescentValid {
    /// The approximate k nearest other rows of each row of `x`, nearest first (ties by the lower
    /// index), with their distances. Progress 0–1; false cancels.
    pub fn fit(&self, x: &Matrix, k: usize, progress: &mut dyn Progress) -> Result<Knn, AnalysisError> {
        let n = x.rows();
        if n <= k {
            return Err(AnalysisError::Data(format!("{n} rows cannot have {k} neighbours each")));
        }
        let (u, members) = distinct(x);
        let nu = u.rows();
        // Each distinct row needs at most k distinct neighbours (each has a copy at least).
        let ku = k.min(nu - 1);
        let distinct_knn = if ku == 0 {
            Knn { k: 0, index: Vec::new(), dist: Vec::new() }
        } else if nu < EXACT_BELOW {
            knn(&u, ku, progress)?
        } else {
            self.descend(&u, ku, progress)?
        };
        // Expand: own copies first, then each distinct neighbour's copies.
        let mut rep = vec![0u32; n];
        for (g, rows) in members.iter().enumerate() {
            rows.iter().for_each(|&r| rep[r as usize] = g as u32);
        }
        let (mut index, mut dist) = (Vec::with_capacity(n * k), Vec::with_capacity(n * k));
        for (i, &g) in rep.iter().enumerate() {
            let g = g as usize;
            let start = index.len();
            for &r in members[g].iter().filter(|&&r| r as usize != i).take(k) {
                index.push(r);
                dist.push(0.0);
            }
            let (near, d) = if ku == 0 { (&[][..], &[][..]) } else { distinct_knn.neighbours(g) };
            'fill: for (&h, &dh) in near.iter().zip(d) {
                for &r in &members[h as usize] {
                    if index.len() - start == k {
                        break 'fill;
                    }
                    index.push(r);
                    dist.push(dh);
                }
            }
            debug_assert_eq!(index.len() - start, k);
        }
        progress.report(1.0);
        Ok(Knn { k, index, dist })
    }

    /// NN-descent on distinct rows.
    fn descend(&self, x: &Matrix, k: usize, progress: &mut dyn Progress) -> Result<Knn, AnalysisError> {
        let p = &self.0;
        let n = x.rows();
        let trees = p.trees.unwrap_or_else(|| (5 + ((n as f64).sqrt() / 20.0).round() as usize).min(64));
        let rounds = p.iterations.unwrap_or_else(|| ((n as f64).log2().round() as usize).max(5));
        let max_candidates = ((p.rho * k as f64).ceil() as usize).clamp(1, MAX_CANDIDATES);
        let mut rng = Pcg32::seed_from_u64(p.seed);
        let mut graph = Heaps::new(n, k);
        // Trees take the first 20 % of the bar, the rounds the rest.
        let leaf = k.max(10);
        let mut order: Vec<u32> = (0..n as u32).collect();
        for t in 0..trees {
            if !progress.report(0.2 * t as f64 / trees as f64) {
                return Err(AnalysisError::Cancelled);
            }
            order.iter_mut().enumerate().for_each(|(i, o)| *o = i as u32);
            for (lo, hi) in rp_leaves(x, &mut order, leaf, &mut rng) {
                let members = &order[lo..hi];
                for (s, &a) in members.iter().enumerate() {
                    for &b in &members[s + 1..] {
                        let d = sq(x.row(a as usize), x.row(b as usize));
                        graph.push(a as usize, d, b, true);
                        graph.push(b as usize, d, a, true);
                    }
                }
            }
        }
        // Rows the leaves left short: random rows, so every list is full before the join.
        for i in 0..n {
            while graph.filled(i) < k {
                let j = rng.gen_range(0..n as u32);
                if j as usize != i {
                    graph.push(i, sq(x.row(i), x.row(j as usize)), j, true);
                }
            }
        }
        let mut fresh = Heaps::new(n, max_candidates);
        let mut old = Heaps::new(n, max_candidates);
        let enough = p.delta * (n * k) as f64;
        for round in 0..rounds {
            if !progress.report(0.2 + 0.8 * round as f64 / rounds as f64) {
                return Err(AnalysisError::Cancelled);
            }
            candidates(&mut graph, &mut fresh, &mut old, &mut rng);
            let updates = local_join(x, &mut graph, &fresh, &old);
            if (updates as f64) <= enough {
                break;
            }
        }
        let (mut index, mut dist) = (Vec::with_capacity(n * k), Vec::with_capacity(n * k));
        for i in 0..n {
            for (v, j) in graph.sorted(i) {
                index.push(j);
                dist.push(v.sqrt());
            }
        }
        Ok(Knn { k, index, dist })
    }
}

/// The share of the exact k-NN's entries that `approx` found: per row, the approximate
/// neighbours no farther than the row's exact k-th distance (so that a tie at the k-th place
/// counts whichever of the tied rows was kept), over n·k.
pub fn recall(exact: &Knn, approx: &Knn) -> f64 {
    let (n, k) = (exact.index.len() / exact.k.max(1), exact.k);
    let mut hit = 0usize;
    for i in 0..n {
        let kth = exact.neighbours(i).1[k - 1];
        hit += approx.neighbours(i).1.iter().take(k).filter(|&&d| d <= kth * (1.0 + 1e-6)).count();
    }
    hit as f64 / (n * k) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Silent;
    use rand_chacha::ChaCha8Rng;

    /// Clusters in 20 dimensions, with a third of the coordinates binary and many exact copies,
    /// as the map features have.
    fn clumpy(n: usize, seed: u64) -> Matrix {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let dim = 20;
        let centres: Vec<Vec<f32>> =
            (0..12).map(|_| (0..dim).map(|_| rng.gen_range(-3.0f32..3.0)).collect()).collect();
        let mut data: Vec<f32> = Vec::with_capacity(n * dim);
        for i in 0..n {
            if i > 10 && rng.gen::<f32>() < 0.15 {
                let j = rng.gen_range(0..i);
                let copy = data[j * dim..(j + 1) * dim].to_vec();
                data.extend(copy);
                continue;
            }
            let c = &centres[rng.gen_range(0..centres.len())];
            for (d, &m) in c.iter().enumerate() {
                data.push(if d % 3 == 0 {
                    f32::from(rng.gen::<bool>())
                } else {
                    m + rng.gen_range(-1.0f32..1.0)
                });
            }
        }
        Matrix { dim, data }
    }

    fn valid() -> NnDescentValid {
        NnDescentParams::default().check().unwrap()
    }

    #[test]
    fn recall_against_the_exact_graph_is_high() {
        let x = clumpy(6000, 1);
        for k in [14, 90] {
            let exact = knn(&x, k, &mut Silent).unwrap();
            let approx = valid().fit(&x, k, &mut Silent).unwrap();
            let r = recall(&exact, &approx);
            assert!(r >= 0.95, "k = {k}: recall {r}");
            // Every list is ascending, without the row itself or a repeat.
            for i in 0..x.rows() {
                let (idx, d) = approx.neighbours(i);
                assert!(d.windows(2).all(|w| w[0] <= w[1]), "row {i}");
                assert!(!idx.contains(&(i as u32)));
                let mut s = idx.to_vec();
                s.sort_unstable();
                s.dedup();
                assert_eq!(s.len(), k);
            }
        }
    }

    #[test]
    fn copies_come_first_in_index_order_and_the_graph_is_seeded() {
        let mut x = clumpy(3000, 2);
        // Forty copies of row 7: each one's 14 neighbours are the lowest-numbered other copies.
        let row = x.row(7).to_vec();
        for _ in 0..40 {
            x.data.extend_from_slice(&row);
        }
        let a = valid().fit(&x, 14, &mut Silent).unwrap();
        let copies: Vec<u32> = (0..x.rows() as u32).filter(|&i| x.row(i as usize) == &row[..]).collect();
        assert!(copies.len() > 40);
        for &c in &copies {
            let want: Vec<u32> = copies.iter().copied().filter(|&o| o != c).take(14).collect();
            assert_eq!(a.neighbours(c as usize).0, &want[..]);
            assert!(a.neighbours(c as usize).1.iter().all(|&d| d == 0.0));
        }
        assert_eq!(a, valid().fit(&x, 14, &mut Silent).unwrap(), "same seed, same graph");
        let other = NnDescentParams { seed: 7, ..Default::default() }.check().unwrap();
        let b = other.fit(&x, 14, &mut Silent).unwrap();
        assert!(recall(&a, &b) > 0.95);
    }

    #[test]
    fn all_copies_tiny_inputs_bad_parameters_and_cancel() {
        let same = Matrix { dim: 3, data: vec![1.0; 3 * 50] };
        let g = valid().fit(&same, 5, &mut Silent).unwrap();
        assert_eq!(g.neighbours(0).0, &[1, 2, 3, 4, 5]);
        assert_eq!(g.neighbours(49).0, &[0, 1, 2, 3, 4]);
        assert!(valid().fit(&same, 50, &mut Silent).is_err());
        assert!(NnDescentParams { rho: 0.0, ..Default::default() }.check().is_err());
        assert!(NnDescentParams { delta: 1.0, ..Default::default() }.check().is_err());
        let x = clumpy(4000, 3);
        let mut stop = |d: f64| d < 0.1;
        assert_eq!(valid().fit(&x, 10, &mut stop).unwrap_err(), AnalysisError::Cancelled);
    }
}
