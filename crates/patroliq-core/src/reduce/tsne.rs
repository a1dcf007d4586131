//! Barnes–Hut t-SNE (van der Maaten 2014), following scikit-learn's `TSNE(method="barnes_hut")`:
//! perplexity-calibrated affinities on the 3·perplexity nearest neighbours, PCA initialisation
//! scaled to a standard deviation of 1e-4, 250 iterations of early exaggeration (×12, momentum
//! 0.5; half of a shorter run's) then momentum 0.8, per-coordinate gains, learning rate
//! max(n / 48, 50), θ = 0.5, 1,000 iterations in all.
//!
//! The large maps, whose repulsion is openTSNE's ([`Repulsion::Fft`]), follow openTSNE's schedule
//! after the exaggeration too: the learning rate max(n / 4, 50) (its `"auto"`, max(n, 200), in
//! its units, which leave out the gradient's factor 4) and 750 iterations in all. The second
//! phase moves 12× as fast as scikit-learn's, so it needs fewer iterations; on 100,000 rows of
//! the sample the map ends as trustworthy (0.99974 against 0.99959 after scikit-learn's 1,000)
//! and the layout takes 0.78× the time natively, 0.75× in Chromium (docs/performance.md).
//!
//! Written here rather than taken from a crate: `bhtsne` draws its initial points from an
//! unseeded generator and offers no progress or cancel hook, which a seeded, cancellable map in a
//! Web Worker needs; the algorithm is short and is checked against scikit-learn by the
//! trustworthiness of the result (`scripts/sklearn_reference.py`).

use crate::float::{larger, smaller};
use serde::{Deserialize, Serialize};
use wide::f32x4;

use super::fft_repulsion::FftRepulsion;
use super::knn::Knn;
use crate::cluster::Progress;
use crate::error::AnalysisError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TsneParams {
    pub perplexity: f64,
    /// Iterations in all, the exaggeration's included; `None`: the schedule's own
    /// ([`TsneParams::iterations_for`]).
    #[serde(default)]
    pub iterations: Option<usize>,
    /// Barnes–Hut accuracy: a cell is summarised when its width / distance < θ.
    pub theta: f64,
}

impl Default for TsneParams {
    fn default() -> Self {
        TsneParams { perplexity: 30.0, iterations: None, theta: 0.5 }
    }
}

impl TsneParams {
    /// Neighbours the affinities use (scikit-learn's `min(n − 1, ⌊3·perplexity + 1⌋)`).
    pub fn neighbours(&self, n: usize) -> usize {
        ((3.0 * self.perplexity + 1.0) as usize).min(n.saturating_sub(1))
    }

    /// The iterations a map whose repulsion is `r` runs: the ones asked for, else 1,000
    /// (scikit-learn's) by Barnes–Hut and 750 (openTSNE's 250 + 500) by FFT.
    pub fn iterations_for(&self, r: Repulsion) -> usize {
        self.iterations.unwrap_or(match r {
            Repulsion::BarnesHut => 1000,
            Repulsion::Fft => 750,
        })
    }

    pub fn check(&self) -> Result<(), AnalysisError> {
        if !(2.0..=100.0).contains(&self.perplexity) {
            return Err(AnalysisError::Param("perplexity must be between 2 and 100".into()));
        }
        if self.iterations.is_some_and(|i| !(250..=5000).contains(&i)) {
            return Err(AnalysisError::Param("t-SNE iterations must be between 250 and 5,000".into()));
        }
        if !(self.theta > 0.0 && self.theta <= 1.0) {
            return Err(AnalysisError::Param("θ must be in (0, 1]".into()));
        }
        Ok(())
    }
}

/// Iterations of early exaggeration (scikit-learn's), at most half of a run's: a run of fewer
/// than 500 (the fewest allowed is 250) would otherwise end in the exaggerated, squeezed layout.
const EXPLORATION: usize = 250;
const EXAGGERATION: f64 = 12.0;

/// The symmetric joint probabilities P, each pair once: row i holds (j, pᵢⱼ) for its j > i.
/// Stored once, a pair is read and its force computed once and given to both points (the
/// attraction streamed every entry twice over, and it was the layout's largest part at 100,000
/// points).
struct Affinities {
    start: Vec<usize>,
    col: Vec<u32>,
    p: Vec<f64>,
}

/// A point of the layout in f32 beside the attraction gathered on it: x, y, then the force's
/// two parts, in one 16-byte slot, so the pair's read of the far point and its write of the
/// force on it touch one cache line.
type Slot = [f32; 4];

impl Affinities {
    /// Adds Σⱼ pᵢⱼ qᵢⱼ (yᵢ − yⱼ) to every point's force (`pts[i][2..]`, zeros on entry) from
    /// `p` (this P, scaled) over every pair once, four pairs at a time in f32. f32 differences
    /// of positions (at most a few hundred apart) carry an error of ~1e-5, far below the
    /// repulsion's approximation; P already in f32 keeps conversions out of the loop.
    fn attraction(&self, p: &[f32], pts: &mut [Slot]) {
        let one = f32x4::splat(1.0);
        for i in 0..pts.len() {
            let (cols, ps) =
                (&self.col[self.start[i]..self.start[i + 1]], &p[self.start[i]..self.start[i + 1]]);
            let [xi, yi, ..] = pts[i];
            let (xi4, yi4) = (f32x4::splat(xi), f32x4::splat(yi));
            let (mut fx, mut fy) = (f32x4::ZERO, f32x4::ZERO);
            let (col4, col_rest) = cols.as_chunks::<LANES>();
            let (p4, p_rest) = ps.as_chunks::<LANES>();
            for (c, &p) in col4.iter().zip(p4) {
                let far = c.map(|j| pts[j as usize]);
                let dx = xi4 - f32x4::from(far.map(|q| q[0]));
                let dy = yi4 - f32x4::from(far.map(|q| q[1]));
                let pq = f32x4::from(p) * (one / (one + dx * dx + dy * dy));
                let (ax, ay) = (pq * dx, pq * dy);
                fx += ax;
                fy += ay;
                // The four are other points than i and than each other (a row has each
                // neighbour once): the pull on them is the opposite.
                let (ax, ay) = (ax.to_array(), ay.to_array());
                for (l, &j) in c.iter().enumerate() {
                    let q = &mut pts[j as usize];
                    q[2] -= ax[l];
                    q[3] -= ay[l];
                }
            }
            let (mut px, mut py) = (fx.reduce_add(), fy.reduce_add());
            for (&j, &p) in col_rest.iter().zip(p_rest) {
                let q = &mut pts[j as usize];
                let d = [xi - q[0], yi - q[1]];
                let pq = p / (1.0 + d[0] * d[0] + d[1] * d[1]);
                let (ax, ay) = (pq * d[0], pq * d[1]);
                q[2] -= ax;
                q[3] -= ay;
                px += ax;
                py += ay;
            }
            pts[i][2] += px;
            pts[i][3] += py;
        }
    }
}

/// The conditional probabilities of one row (into `row`) whose entropy is `target`. Never
/// inlined, so that V8 optimises it for the rows after the first few (the search over all rows
/// inside one call stayed in its baseline tier: How it is built, "WebAssembly tiers").
#[inline(never)]
fn calibrate(d2: &[f64], target: f64, row: &mut [f64]) {
    let (mut beta, mut lo, mut hi) = (1.0f64, f64::NEG_INFINITY, f64::INFINITY);
    for _ in 0..100 {
        let mut sum = 0.0;
        for (r, &d) in row.iter_mut().zip(d2) {
            *r = (-d * beta).exp();
            sum += *r;
        }
        if sum == 0.0 {
            sum = 1e-8;
        }
        let mut weighted = 0.0;
        for (r, &d) in row.iter_mut().zip(d2) {
            *r /= sum;
            weighted += d * *r;
        }
        let entropy = sum.ln() + beta * weighted;
        let diff = entropy - target;
        if diff.abs() <= 1e-5 {
            break;
        }
        if diff > 0.0 {
            lo = beta;
            beta = if hi == f64::INFINITY { beta * 2.0 } else { (beta + hi) / 2.0 };
        } else {
            hi = beta;
            beta = if lo == f64::NEG_INFINITY { beta / 2.0 } else { (beta + lo) / 2.0 };
        }
    }
}

/// Conditional probabilities by binary search on the precision of each row's Gaussian (on
/// squared distances, as scikit-learn), then P = (P + Pᵀ) / Σ, each pair once, on the points
/// renamed by `order` (row `order[r]` of the k-NN is point r).
fn affinities(knn: &Knn, perplexity: f64, order: &[u32]) -> Affinities {
    let (n, k) = (knn.index.len() / knn.k.max(1), knn.k);
    let mut rank = vec![0u32; n];
    for (r, &i) in order.iter().enumerate() {
        rank[i as usize] = r as u32;
    }
    let target = perplexity.ln();
    let mut entries: Vec<(u32, u32, f64)> = Vec::with_capacity(n * k);
    let mut row = vec![0.0f64; k];
    // Σ over the full symmetric P before it is normalised: each conditional entry twice.
    let mut total = 0.0;
    for i in 0..n {
        let (idx, dist) = knn.neighbours(i);
        let d2: Vec<f64> = dist.iter().map(|&d| f64::from(d) * f64::from(d)).collect();
        calibrate(&d2, target, &mut row);
        for (&j, &p) in idx.iter().zip(&row) {
            total += 2.0 * p;
            // A point among its own neighbours (never, from the k-NN) pulls on nothing.
            if j as usize != i {
                let (a, b) = (rank[i], rank[j as usize]);
                entries.push((a.min(b), a.max(b), p));
            }
        }
    }
    entries.sort_unstable_by_key(|e| (e.0, e.1));
    let mut a = Affinities { start: vec![0; n + 1], col: Vec::new(), p: Vec::new() };
    let mut prev = None;
    for (r, c, v) in entries {
        if prev == Some((r, c)) {
            *a.p.last_mut().expect("a previous entry") += v;
        } else {
            a.col.push(c);
            a.p.push(v);
            a.start[r as usize + 1] += 1;
            prev = Some((r, c));
        }
    }
    for i in 0..n {
        a.start[i + 1] += a.start[i];
    }
    let total = total.max(f64::MIN_POSITIVE);
    a.p.iter_mut().for_each(|p| *p /= total);
    a
}

/// A quadtree over the embedding, rebuilt each iteration: each node knows its centre of mass and
/// how many points it holds.
struct QuadTree {
    nodes: Vec<Node>,
    /// The leaf each point ended in (to leave the point itself out of its own forces).
    leaf_of: Vec<u32>,
    /// The points in tree order: node `v` holds `order[v.first..v.first + v.count]`.
    order: Vec<u32>,
}

#[derive(Clone, Copy)]
struct Node {
    /// Half the side of the square.
    half: f64,
    com: [f64; 2],
    count: u32,
    /// Index of the first of four children; 0 for a leaf.
    children: u32,
    first: u32,
}

/// Points that share one interaction list: a node of at most this many points.
const GROUP: u32 = 32;

/// The cells acting on a group of points, as columns a loop streams through: centres relative to
/// the group's centre, in f32, padded with empty cells to a multiple of [`LANES`].
#[derive(Default)]
struct Interactions {
    x: Vec<f32>,
    y: Vec<f32>,
    count: Vec<f32>,
}

/// Cells a point takes side by side, in `wide`'s f32x4 (SSE natively, simd128 in WebAssembly):
/// left to itself the compiler kept the loop scalar or paired, with shuffles.
const LANES: usize = 4;

/// The sum of the four lanes, in f64.
fn lane_sum(v: f32x4) -> f64 {
    v.to_array().iter().map(|&x| f64::from(x)).sum()
}

impl Interactions {
    fn clear(&mut self) {
        self.x.clear();
        self.y.clear();
        self.count.clear();
    }

    fn push(&mut self, x: f64, y: f64, count: u32) {
        self.x.push(x as f32);
        self.y.push(y as f32);
        self.count.push(count as f32);
    }

    /// Pads to whole lanes with empty cells, which add nothing.
    fn pad(&mut self) {
        while !self.x.len().is_multiple_of(LANES) {
            self.push(0.0, 0.0, 0);
        }
    }

    /// (Σ m·q²·dx, Σ m·q²·dy, Σ m·q) over the cells for a point at (px, py) relative to the
    /// group's centre, q = 1 / (1 + dx² + dy²).
    fn act_on(&self, px: f32, py: f32) -> (f64, f64, f64) {
        let (ppx, ppy, one) = (f32x4::splat(px), f32x4::splat(py), f32x4::splat(1.0));
        let (mut fx, mut fy, mut z) = (f32x4::ZERO, f32x4::ZERO, f32x4::ZERO);
        let (xs, ys, ms) =
            (self.x.as_chunks::<LANES>().0, self.y.as_chunks::<LANES>().0, self.count.as_chunks::<LANES>().0);
        for ((&cx, &cy), &m) in xs.iter().zip(ys).zip(ms) {
            let (dx, dy) = (ppx - f32x4::from(cx), ppy - f32x4::from(cy));
            let q = one / (one + dx * dx + dy * dy);
            let mq = f32x4::from(m) * q;
            let mqq = mq * q;
            z += mq;
            fx += mqq * dx;
            fy += mqq * dy;
        }
        (lane_sum(fx), lane_sum(fy), lane_sum(z))
    }
}

impl QuadTree {
    /// The tree of `y`, built from the points sorted by their Morton (Z-order) codes: a node's
    /// points are then a run of that order and its four quadrants four consecutive runs, found
    /// by binary search. Rebuilt every iteration, this replaced a recursive partition of the
    /// points at every level, a fifth of the layout's time natively. `hint` is the previous
    /// iteration's tree order, nearly sorted already.
    #[inline(never)]
    fn build(y: &[[f64; 2]], hint: Option<&[u32]>) -> QuadTree {
        let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
        for p in y {
            for a in 0..2 {
                lo[a] = smaller(lo[a], p[a]);
                hi[a] = larger(hi[a], p[a]);
            }
        }
        let centre = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
        let half = ((hi[0] - lo[0]).max(hi[1] - lo[1]) / 2.0).max(1e-12) * (1.0 + 1e-9);
        // A point's cell on the finest level: 2^LEVELS cells a side across the root square.
        let scale = (1u64 << LEVELS) as f64 / (2.0 * half);
        let cell = |v: f64, a: usize| (((v - (centre[a] - half)) * scale) as u64).min((1 << LEVELS) - 1);
        let code = |i: u32| {
            let p = y[i as usize];
            (spread(cell(p[0], 0)) << 1) | spread(cell(p[1], 1))
        };
        let mut keyed: Vec<(u64, u32)> = match hint {
            Some(h) if h.len() == y.len() => h.iter().map(|&i| (code(i), i)).collect(),
            _ => (0..y.len() as u32).map(|i| (code(i), i)).collect(),
        };
        keyed.sort_unstable();
        let mut t = QuadTree {
            nodes: Vec::with_capacity(2 * y.len()),
            leaf_of: vec![0; y.len()],
            order: keyed.iter().map(|k| k.1).collect(),
        };
        let codes: Vec<u64> = keyed.iter().map(|k| k.0).collect();
        t.nodes.push(Node { half, com: [0.0; 2], count: 0, children: 0, first: 0 });
        t.fill(0, &codes, 0, y, 0);
        t
    }

    /// Fills `node`, which holds the points `first..first + codes.len()` of the tree order, and
    /// returns the sum of their positions.
    fn fill(&mut self, node: usize, codes: &[u64], first: usize, y: &[[f64; 2]], depth: u32) -> [f64; 2] {
        let n = codes.len();
        let half = self.nodes[node].half;
        self.nodes[node].count = n as u32;
        self.nodes[node].first = first as u32;
        // Identical (or nearly) points share a leaf rather than splitting forever.
        let sum = if n <= 1 || depth >= LEVELS || half < 1e-9 {
            let mut sum = [0.0; 2];
            for &i in &self.order[first..first + n] {
                self.leaf_of[i as usize] = node as u32;
                sum = [sum[0] + y[i as usize][0], sum[1] + y[i as usize][1]];
            }
            sum
        } else {
            let child = self.nodes.len();
            self.nodes[node].children = child as u32;
            for _ in 0..4 {
                self.nodes.push(Node { half: half / 2.0, com: [0.0; 2], count: 0, children: 0, first: 0 });
            }
            // The codes of a node share their bits above this level, so its quadrant (west–south,
            // west–north, east–south, east–north) rises along the run.
            let shift = 2 * (LEVELS - 1 - depth);
            let quadrant = |c: u64| (c >> shift) & 3;
            let mut sum = [0.0; 2];
            let mut at = 0;
            for q in 0..4u64 {
                let end = if q == 3 { n } else { at + codes[at..].partition_point(|&c| quadrant(c) <= q) };
                let s = self.fill(child + q as usize, &codes[at..end], first + at, y, depth + 1);
                sum = [sum[0] + s[0], sum[1] + s[1]];
                at = end;
            }
            sum
        };
        if n > 0 {
            self.nodes[node].com = [sum[0] / n as f64, sum[1] / n as f64];
        }
        sum
    }

    /// Repulsion on every point: `rep[i]` = Σ q·q·(yᵢ − c) over the cells acting on i, and the
    /// returned Σ q (Z).
    ///
    /// Barnes–Hut with shared interaction lists (Barnes 1990): the points of a small node are
    /// a group, and one walk of the tree lists the cells every point of the group may take as a
    /// whole, a cell being summarised when its width / (its distance to the group's bounding
    /// box) < θ. That distance is at most each point's own, so every point gets an
    /// approximation at least as fine as its own walk would give; and instead of one branchy
    /// walk per point, the points stream through a flat list (the layout runs 2.5× faster),
    /// four cells at a time in f32 (the repulsion's inner loop 2.8× faster again; f32's 1e-7 is
    /// far below θ's approximation, and the test below holds with it).
    #[inline(never)]
    fn repulsion_all(
        &self,
        y: &[[f64; 2]],
        theta2: f64,
        rep: &mut [[f64; 2]],
        cells: &mut Interactions,
    ) -> f64 {
        let mut z = 0.0;
        let mut groups = vec![0u32];
        let mut stack = Vec::new();
        while let Some(g) = groups.pop() {
            let node = self.nodes[g as usize];
            if node.count == 0 {
                continue;
            }
            if node.count > GROUP && node.children != 0 {
                groups.extend(node.children..node.children + 4);
                continue;
            }
            let members = &self.order[node.first as usize..(node.first + node.count) as usize];
            let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
            for &i in members {
                for a in 0..2 {
                    lo[a] = lo[a].min(y[i as usize][a]);
                    hi[a] = hi[a].max(y[i as usize][a]);
                }
            }
            // Positions are taken relative to the group's centre, so the f32 differences of
            // nearby cells keep their precision.
            let centre = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
            cells.clear();
            stack.clear();
            stack.push(0u32);
            // With θ above 1/√2 a cell holding the group can be summarised whole (as a
            // point's own walk would do too); its points are then not taken out of it.
            let mut own_leaf_listed = true;
            while let Some(id) = stack.pop() {
                let c = &self.nodes[id as usize];
                if c.count == 0 {
                    continue;
                }
                let dx = (lo[0] - c.com[0]).max(c.com[0] - hi[0]).max(0.0);
                let dy = (lo[1] - c.com[1]).max(c.com[1] - hi[1]).max(0.0);
                if c.children == 0 || 4.0 * c.half * c.half < theta2 * (dx * dx + dy * dy) {
                    if c.children != 0
                        && c.first <= node.first
                        && node.first + node.count <= c.first + c.count
                    {
                        own_leaf_listed = false;
                    }
                    cells.push(c.com[0] - centre[0], c.com[1] - centre[1], c.count);
                } else {
                    stack.extend(c.children..c.children + 4);
                }
            }
            cells.pad();
            for &i in members {
                let i = i as usize;
                let [px, py] = y[i];
                let (mut fx, mut fy, mut zi) = cells.act_on((px - centre[0]) as f32, (py - centre[1]) as f32);
                // The point's own leaf is in the list (a group's own cells are never
                // summarised: their centres lie in its box); take the point itself out of it.
                if own_leaf_listed {
                    // In the lanes' own f32 arithmetic, so that the term cancels exactly.
                    let own = &self.nodes[self.leaf_of[i] as usize];
                    let rel = |a: usize, v: f64| (v - centre[a]) as f32;
                    let dx = rel(0, px) - rel(0, own.com[0]);
                    let dy = rel(1, py) - rel(1, own.com[1]);
                    let q = 1.0 / (1.0 + dx * dx + dy * dy);
                    let (qq, dx, dy) = (f64::from(q * q), f64::from(dx), f64::from(dy));
                    (fx, fy, zi) = (fx - qq * dx, fy - qq * dy, zi - f64::from(q));
                }
                rep[i] = [fx, fy];
                z += zi;
            }
        }
        z
    }

    /// Repulsion on point `i` by its own walk of the tree: (Σ q·q·(yᵢ − c)) and Σ q over the
    /// summarised cells (the plain Barnes–Hut, kept to check [`QuadTree::repulsion_all`]).
    #[cfg(test)]
    fn repulsion(&self, i: usize, yi: [f64; 2], theta2: f64, stack: &mut Vec<u32>) -> ([f64; 2], f64) {
        let (mut f, mut z) = ([0.0; 2], 0.0);
        stack.clear();
        stack.push(0);
        while let Some(id) = stack.pop() {
            let node = &self.nodes[id as usize];
            if node.count == 0 {
                continue;
            }
            let d = [yi[0] - node.com[0], yi[1] - node.com[1]];
            let dist2 = d[0] * d[0] + d[1] * d[1];
            let leaf = node.children == 0;
            if leaf || 4.0 * node.half * node.half < theta2 * dist2 {
                let size = f64::from(node.count) - if leaf && self.leaf_of[i] == id { 1.0 } else { 0.0 };
                if size > 0.0 {
                    let q = 1.0 / (1.0 + dist2);
                    z += size * q;
                    f[0] += size * q * q * d[0];
                    f[1] += size * q * q * d[1];
                }
            } else {
                stack.extend(node.children..node.children + 4);
            }
        }
        (f, z)
    }
}

/// Levels of the tree at most: a cell of the deepest is 2⁻³⁰ of the layout's width.
const LEVELS: u32 = 30;

/// The bits of `v` (below 2³²) spread to the even bits, to interleave two coordinates.
fn spread(v: u64) -> u64 {
    let mut v = v & 0xffff_ffff;
    v = (v | (v << 16)) & 0x0000_ffff_0000_ffff;
    v = (v | (v << 8)) & 0x00ff_00ff_00ff_00ff;
    v = (v | (v << 4)) & 0x0f0f_0f0f_0f0f_0f0f;
    v = (v | (v << 2)) & 0x3333_3333_3333_3333;
    (v | (v << 1)) & 0x5555_5555_5555_5555
}

/// How the repulsion between every pair of points is approximated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repulsion {
    /// A quadtree's cells summarised at accuracy θ: O(n log n), the maps up to
    /// [`super::embed::EXACT_UP_TO`] points (and scikit-learn's method).
    BarnesHut,
    /// Interpolation on a grid and FFT ([`super::fft_repulsion`], openTSNE's method): O(n) but
    /// for the grid, the larger maps.
    Fft,
}

/// Runs Barnes–Hut t-SNE from `init` (n × 2). `progress` gets 0–1 once per iteration; false
/// cancels.
pub fn tsne(
    knn: &Knn,
    init: Vec<[f64; 2]>,
    params: &TsneParams,
    progress: &mut dyn Progress,
) -> Result<Vec<[f64; 2]>, AnalysisError> {
    tsne_by(knn, init, params, Repulsion::BarnesHut, progress)
}

/// Runs t-SNE from `init` (n × 2) with the repulsion computed by `repulsion`.
pub fn tsne_by(
    knn: &Knn,
    init: Vec<[f64; 2]>,
    params: &TsneParams,
    repulsion: Repulsion,
    progress: &mut dyn Progress,
) -> Result<Vec<[f64; 2]>, AnalysisError> {
    params.check()?;
    let n = init.len();
    // The layout runs on the points in an order where P's pairs sit near one another in memory
    // and is put back in the caller's order at the end (see [`near_first`]).
    let order = near_first(knn);
    let a = affinities(knn, params.perplexity, &order);
    let mut d = Descent {
        y: order.iter().map(|&i| init[i as usize]).collect(),
        update: vec![[0.0; 2]; n],
        gains: vec![[1.0; 2]; n],
        grad: vec![[0.0; 2]; n],
        cells: Interactions::default(),
        pts: Vec::with_capacity(n),
        order: Vec::new(),
        lr: (n as f64 / EXAGGERATION / 4.0).max(50.0),
        theta2: params.theta * params.theta,
        fft: (repulsion == Repulsion::Fft).then(FftRepulsion::default),
    };
    let scaled = |by: f64| a.p.iter().map(|&p| (p * by) as f32).collect::<Vec<f32>>();
    let (exaggerated, plain) = (scaled(EXAGGERATION), scaled(1.0));
    let iterations = params.iterations_for(repulsion);
    let exploration = EXPLORATION.min(iterations / 2);
    // After the exaggeration: scikit-learn's rate stays, openTSNE's is 12× (module notes).
    let released = match repulsion {
        Repulsion::BarnesHut => d.lr,
        Repulsion::Fft => (n as f64 / 4.0).max(50.0),
    };
    for it in 0..iterations {
        let (p, momentum) = if it < exploration { (&exaggerated, 0.5) } else { (&plain, 0.8) };
        if it == exploration {
            d.lr = released;
        }
        d.iterate(&a, p, momentum);
        if !progress.report((it + 1) as f64 / iterations as f64) {
            return Err(AnalysisError::Cancelled);
        }
    }
    let mut y = vec![[0.0; 2]; n];
    for (&i, p) in order.iter().zip(d.y) {
        y[i as usize] = p;
    }
    Ok(y)
}

/// The points in the order a breadth-first walk of the k-NN graph meets them (each point's
/// neighbours nearest first), so that a point's neighbours mostly sit near it in memory rather
/// than anywhere among n (the caller's order is the rows', a shuffle in space). The attraction
/// reads and writes the far point of every pair; on 100,000 rows of the sample it took 8.7 s of
/// the layout natively in the caller's order and 7.9 s in this one, and the layout in Chromium
/// 56.5 → 52.3 s and 60.2 → 56.3 s in alternated runs. An order by place in the layout once the
/// exaggeration ends (a Morton curve) was tried beside it: no faster.
fn near_first(knn: &Knn) -> Vec<u32> {
    let n = knn.index.len().checked_div(knn.k).unwrap_or(0);
    let mut seen = vec![false; n];
    let mut order: Vec<u32> = Vec::with_capacity(n);
    for start in 0..n {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        order.push(start as u32);
        let mut head = order.len() - 1;
        while head < order.len() {
            let i = order[head] as usize;
            head += 1;
            for &j in knn.neighbours(i).0 {
                if !std::mem::replace(&mut seen[j as usize], true) {
                    order.push(j);
                }
            }
        }
    }
    order
}

/// The gradient from the attraction and the repulsion already in `grad`:
/// ∂KL/∂yᵢ = 4 (attraction − repulsion / Z). `p` is P as [`Affinities::attraction`] takes it,
/// `pts` room for the layout in f32.
#[inline(never)]
fn attract_all(
    a: &Affinities,
    p: &[f32],
    y: &[[f64; 2]],
    pts: &mut Vec<Slot>,
    z: f64,
    grad: &mut [[f64; 2]],
) {
    pts.clear();
    pts.extend(y.iter().map(|q| [q[0] as f32, q[1] as f32, 0.0, 0.0]));
    a.attraction(p, pts);
    for (g, q) in grad.iter_mut().zip(pts.iter()) {
        *g = [4.0 * (f64::from(q[2]) - g[0] / z), 4.0 * (f64::from(q[3]) - g[1] / z)];
    }
}

/// The state of the gradient descent.
struct Descent {
    y: Vec<[f64; 2]>,
    update: Vec<[f64; 2]>,
    gains: Vec<[f64; 2]>,
    grad: Vec<[f64; 2]>,
    cells: Interactions,
    /// The layout in f32 and the attraction on it.
    pts: Vec<Slot>,
    /// The last tree's order of the points, the next sort's start.
    order: Vec<u32>,
    lr: f64,
    theta2: f64,
    /// The grid's plans and buffers when the repulsion is [`Repulsion::Fft`].
    fft: Option<FftRepulsion>,
}

impl Descent {
    /// One iteration. Never inlined, on purpose: V8 first runs WebAssembly in its baseline
    /// compiler and moves a function to its optimising one only after it has been hot, for the
    /// calls that follow; a loop inside one long call never gets there (no on-stack replacement).
    /// Called once per iteration, this runs optimised from the first few on.
    #[inline(never)]
    fn iterate(&mut self, a: &Affinities, p: &[f32], momentum: f64) {
        let z = match &mut self.fft {
            Some(fft) => fft.repulsion(&self.y, &mut self.grad),
            None => {
                let tree = QuadTree::build(&self.y, Some(&self.order));
                let z = tree.repulsion_all(&self.y, self.theta2, &mut self.grad, &mut self.cells);
                self.order = tree.order;
                z
            }
        };
        let z = z.max(f64::MIN_POSITIVE);
        attract_all(a, p, &self.y, &mut self.pts, z, &mut self.grad);
        for i in 0..self.y.len() {
            for c in 0..2 {
                let g = self.grad[i][c];
                let gain =
                    if self.update[i][c] * g < 0.0 { self.gains[i][c] + 0.2 } else { self.gains[i][c] * 0.8 };
                self.gains[i][c] = gain.max(0.01);
                self.update[i][c] = momentum * self.update[i][c] - self.lr * self.gains[i][c] * g;
                self.y[i][c] += self.update[i][c];
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::knn::{knn, trustworthiness, Matrix};
    use super::*;
    use crate::cluster::Silent;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Three separated Gaussian blobs in 5 dimensions.
    pub(crate) fn blobs(n: usize) -> (Matrix, Vec<usize>) {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut data = Vec::new();
        let mut label = Vec::new();
        for i in 0..n {
            let c = i % 3;
            for d in 0..5 {
                let centre = if d == c { 10.0 } else { 0.0 };
                data.push(centre + rng.gen_range(-1.0f32..1.0));
            }
            label.push(c);
        }
        (Matrix { dim: 5, data }, label)
    }

    #[test]
    fn affinities_are_a_symmetric_distribution() {
        let (x, _) = blobs(90);
        let k = knn(&x, 20, &mut Silent).unwrap();
        let a = affinities(&k, 5.0, &identity(90));
        // Each pair once, as the later point of its row: twice the stored half is all of P.
        assert!((2.0 * a.p.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        let mut pairs = std::collections::BTreeSet::new();
        for i in 0..90 {
            for e in a.start[i]..a.start[i + 1] {
                assert!(a.col[e] as usize > i, "row {i} holds only later points");
                assert!(pairs.insert((i, a.col[e])), "each pair once");
            }
        }
        // pᵢⱼ = (p_{j|i} + p_{i|j}) / 2n: a pair of mutual neighbours weighs more than either
        // conditional alone, and every k-NN edge is a pair.
        for i in 0..90 {
            for &j in k.neighbours(i).0 {
                let (lo, hi) = (i.min(j as usize), i.max(j as usize) as u32);
                assert!(pairs.contains(&(lo, hi)), "edge {i}–{j}");
            }
        }
    }

    fn identity(n: usize) -> Vec<u32> {
        (0..n as u32).collect()
    }

    #[test]
    fn the_walk_order_names_every_point_once_and_p_follows_it() {
        let (x, _) = blobs(150);
        let k = knn(&x, 12, &mut Silent).unwrap();
        let order = near_first(&k);
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, identity(150), "a permutation");
        // Neighbours come soon after a point: a walk, not the caller's shuffle.
        assert_ne!(order, identity(150));
        let (plain, renamed) = (affinities(&k, 4.0, &identity(150)), affinities(&k, 4.0, &order));
        let pairs = |a: &Affinities, name: &dyn Fn(u32) -> u32| {
            let mut v: Vec<(u32, u32, u64)> = (0..150)
                .flat_map(|i| (a.start[i]..a.start[i + 1]).map(move |e| (i, e)))
                .map(|(i, e)| {
                    let (p, q) = (name(i as u32), name(a.col[e]));
                    (p.min(q), p.max(q), a.p[e].to_bits())
                })
                .collect();
            v.sort_unstable();
            v
        };
        assert_eq!(pairs(&plain, &|i| i), pairs(&renamed, &|r| order[r as usize]));
    }

    #[test]
    fn the_attraction_of_each_pair_once_is_the_rows_sum() {
        // Against Σⱼ pᵢⱼ qᵢⱼ (yᵢ − yⱼ) over the full symmetric P, row by row in f64.
        let (x, _) = blobs(200);
        let k = knn(&x, 30, &mut Silent).unwrap();
        let a = affinities(&k, 10.0, &identity(200));
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let y: Vec<[f64; 2]> =
            (0..200).map(|_| [rng.gen_range(-20.0..20.0), rng.gen_range(-20.0..20.0)]).collect();
        let mut want = vec![[0.0f64; 2]; 200];
        for i in 0..200 {
            for e in a.start[i]..a.start[i + 1] {
                let j = a.col[e] as usize;
                let d = [y[i][0] - y[j][0], y[i][1] - y[j][1]];
                let pq = a.p[e] / (1.0 + d[0] * d[0] + d[1] * d[1]);
                for c in 0..2 {
                    want[i][c] += pq * d[c];
                    want[j][c] -= pq * d[c];
                }
            }
        }
        let p32: Vec<f32> = a.p.iter().map(|&p| p as f32).collect();
        let mut pts: Vec<Slot> = y.iter().map(|q| [q[0] as f32, q[1] as f32, 0.0, 0.0]).collect();
        a.attraction(&p32, &mut pts);
        let scale = want.iter().map(|w| w[0].hypot(w[1])).fold(0.0, f64::max);
        for (q, w) in pts.iter().zip(&want) {
            for c in 0..2 {
                assert!((f64::from(q[2 + c]) - w[c]).abs() < 1e-5 * scale, "{q:?} vs {w:?}");
            }
        }
    }

    #[test]
    fn separated_blobs_stay_separated() {
        for repulsion in [Repulsion::BarnesHut, Repulsion::Fft] {
            blobs_stay_separated(repulsion);
        }
    }

    fn blobs_stay_separated(repulsion: Repulsion) {
        let (x, label) = blobs(300);
        let params = TsneParams { perplexity: 20.0, iterations: Some(400), ..Default::default() };
        let k = knn(&x, params.neighbours(300), &mut Silent).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let init = (0..300).map(|_| [rng.gen_range(-1e-4..1e-4), rng.gen_range(-1e-4..1e-4)]).collect();
        let y = tsne_by(&k, init, &params, repulsion, &mut Silent).unwrap();
        // Each point's nearest embedded neighbour is from its own blob.
        let mut same = 0;
        for i in 0..300 {
            let j = (0..300)
                .filter(|&j| j != i)
                .min_by(|&a, &b| {
                    let d = |j: usize| (y[i][0] - y[j][0]).powi(2) + (y[i][1] - y[j][1]).powi(2);
                    d(a).total_cmp(&d(b))
                })
                .unwrap();
            same += usize::from(label[i] == label[j]);
        }
        assert_eq!(same, 300, "{repulsion:?}");
        assert!(y.iter().all(|p| p[0].is_finite() && p[1].is_finite()));
    }

    #[test]
    fn the_fewest_iterations_still_leave_the_exaggeration() {
        // With 250 iterations all exaggerated, a map was the early phase's squeezed layout (a
        // line on the real sample, trustworthiness 0.70 against 0.97 with 500).
        let (x, _) = blobs(600);
        let init: Vec<[f64; 2]> = (0..600)
            .map(|i| [f64::from(x.data[i * 5]) * 1e-5, f64::from(x.data[i * 5 + 1]) * 1e-5])
            .collect();
        let trust = |iterations: usize| {
            let params = TsneParams { perplexity: 30.0, iterations: Some(iterations), ..Default::default() };
            let k = knn(&x, params.neighbours(600), &mut Silent).unwrap();
            let y = tsne(&k, init.clone(), &params, &mut Silent).unwrap();
            let y32: Vec<[f32; 2]> = y.iter().map(|p| [p[0] as f32, p[1] as f32]).collect();
            trustworthiness(&x, &y32, 10, None, &mut Silent).unwrap()
        };
        let (short, long) = (trust(250), trust(1000));
        assert!(short > long - 0.03, "250 iterations: {short}; 1,000: {long}");
    }

    #[test]
    fn shared_interaction_lists_are_at_least_as_accurate_as_per_point_walks() {
        // Clumps, a spread and exact duplicates, as a t-SNE layout has.
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut y: Vec<[f64; 2]> = (0..1500)
            .map(|i| {
                let c = (i % 5) as f64 * 7.0;
                [c + rng.gen_range(-1.0..1.0), (i % 3) as f64 * 5.0 + rng.gen_range(-2.0..2.0)]
            })
            .collect();
        y.extend(std::iter::repeat_n([3.0, 3.0], 20));
        let n = y.len();
        let (exact, z_exact) = crate::reduce::fft_repulsion::tests::exact(&y);
        for theta in [0.3f64, 0.5, 0.8, 1.0] {
            let tree = QuadTree::build(&y, None);
            let mut grouped = vec![[0.0; 2]; n];
            let z = tree.repulsion_all(&y, theta * theta, &mut grouped, &mut Interactions::default());
            let (mut stack, mut z_walk, mut err_walk, mut err_grouped) = (Vec::new(), 0.0, 0.0, 0.0);
            for i in 0..n {
                let (f, zi) = tree.repulsion(i, y[i], theta * theta, &mut stack);
                z_walk += zi;
                let e = |g: [f64; 2]| (g[0] - exact[i][0]).hypot(g[1] - exact[i][1]);
                err_walk += e(f);
                err_grouped += e(grouped[i]);
            }
            assert!(err_grouped <= err_walk * 1.0001, "θ {theta}: {err_grouped} vs {err_walk}");
            assert!((z - z_exact).abs() <= (z_walk - z_exact).abs() * 1.0001 + 1e-9 * z_exact, "θ {theta}");
            if theta <= 0.5 {
                assert!((z - z_exact).abs() < 0.01 * z_exact, "θ {theta}: Z {z} vs {z_exact}");
            }
        }
    }

    /// Each node's points lie in its square, its centre of mass is theirs, its four children
    /// split them in tree order, and a leaf holds one point unless they are too close to split.
    fn check_node(t: &QuadTree, y: &[[f64; 2]], id: usize, centre: [f64; 2], seen: &mut usize) {
        let node = t.nodes[id];
        let members = &t.order[node.first as usize..(node.first + node.count) as usize];
        let slack = 1e-9 * node.half.max(1.0);
        let mut sum = [0.0; 2];
        for &i in members {
            let p = y[i as usize];
            assert!((p[0] - centre[0]).abs() <= node.half + slack, "{p:?} outside node {id}");
            assert!((p[1] - centre[1]).abs() <= node.half + slack, "{p:?} outside node {id}");
            sum = [sum[0] + p[0], sum[1] + p[1]];
        }
        if node.count > 0 {
            let n = f64::from(node.count);
            assert!((node.com[0] - sum[0] / n).abs() < 1e-9 && (node.com[1] - sum[1] / n).abs() < 1e-9);
        }
        if node.children == 0 {
            assert!(
                node.count <= 1 || node.half < 1e-6,
                "a leaf of {} points, half {}",
                node.count,
                node.half
            );
            members.iter().for_each(|&i| assert_eq!(t.leaf_of[i as usize], id as u32));
            *seen += members.len();
            return;
        }
        let (c, q) = (node.children as usize, node.half / 2.0);
        let mut first = node.first;
        for (k, (sx, sy)) in [(-1.0, -1.0), (-1.0, 1.0), (1.0, -1.0), (1.0, 1.0)].into_iter().enumerate() {
            let child = t.nodes[c + k];
            assert!(child.count == 0 || child.first == first, "children in tree order");
            first += child.count;
            check_node(t, y, c + k, [centre[0] + sx * q, centre[1] + sy * q], seen);
        }
        assert_eq!(first, node.first + node.count, "the children hold every point of their parent");
    }

    #[test]
    fn the_tree_holds_every_point_in_its_square() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let mut y: Vec<[f64; 2]> = (0..3000)
            .map(|i| [(i % 7) as f64 * 3.0 + rng.gen_range(-1.0..1.0), rng.gen_range(-20.0..5.0)])
            .collect();
        y.extend(std::iter::repeat_n([1.0, -2.0], 30));
        y.push([1.0 + 1e-12, -2.0]);
        for hint in [None, Some((0..y.len() as u32).rev().collect::<Vec<_>>())] {
            let t = QuadTree::build(&y, hint.as_deref());
            let mut sorted = t.order.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, (0..y.len() as u32).collect::<Vec<_>>(), "each point once");
            let (lo, hi) = y.iter().fold(([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]), |(lo, hi), p| {
                ([lo[0].min(p[0]), lo[1].min(p[1])], [hi[0].max(p[0]), hi[1].max(p[1])])
            });
            let mut seen = 0;
            check_node(&t, &y, 0, [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0], &mut seen);
            assert_eq!(seen, y.len());
        }
    }

    #[test]
    fn duplicates_and_cancel_are_handled() {
        let x = Matrix { dim: 2, data: vec![1.0; 2 * 100] };
        let params = TsneParams { perplexity: 10.0, iterations: Some(250), ..Default::default() };
        let k = knn(&x, params.neighbours(100), &mut Silent).unwrap();
        let init: Vec<[f64; 2]> = (0..100).map(|i| [i as f64 * 1e-5, 0.0]).collect();
        let y = tsne(&k, init.clone(), &params, &mut Silent).unwrap();
        assert!(y.iter().all(|p| p[0].is_finite() && p[1].is_finite()));
        let mut stop = |_: f64| false;
        assert_eq!(tsne(&k, init, &params, &mut stop).unwrap_err(), AnalysisError::Cancelled);
        assert!(TsneParams { perplexity: 0.5, ..Default::default() }.check().is_err());
    }
}
