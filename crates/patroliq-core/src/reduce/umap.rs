//! UMAP (McInnes, Healy & Melville 2018), following umap-learn's defaults: a fuzzy simplicial set
//! on the `n_neighbors` nearest neighbours (local connectivity 1, smooth k-NN distances), its
//! fuzzy union, then stochastic gradient descent on the cross-entropy with 5 negative samples per
//! edge sample, a linearly decaying learning rate from 1, 200 epochs above 10,000 points (500
//! below) and the curve 1 / (1 + a·d^2b) fitted to `min_dist`.
//!
//! Written here rather than taken from a crate: no crate on crates.io offers a seeded, pure-Rust
//! UMAP with a progress and cancel hook (a Web Worker needs both). Two departures from
//! umap-learn: the start is the two first principal components of the sample rescaled to 0–10
//! (umap-learn's `init="pca"`) instead of a spectral embedding, which needs a sparse
//! eigen-solver; and the negative samples of one edge sample all see the point where it was
//! (see the layout loop). The result is checked against umap-learn by trustworthiness
//! (`scripts/sklearn_reference.py`).

use rand::distributions::{Distribution, Uniform};
use rand::SeedableRng;
use rand_pcg::Pcg32;
use serde::{Deserialize, Serialize};

use super::knn::Knn;
use crate::cluster::Progress;
use crate::error::AnalysisError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UmapParams {
    /// Neighbourhood size, counting the point itself (umap-learn's convention).
    pub n_neighbors: usize,
    pub min_dist: f64,
    /// `None`: 200 epochs above 10,000 points, 500 below (umap-learn's choice).
    pub epochs: Option<usize>,
}

impl Default for UmapParams {
    fn default() -> Self {
        UmapParams { n_neighbors: 15, min_dist: 0.1, epochs: None }
    }
}

const NEGATIVE_SAMPLE_RATE: f64 = 5.0;
const SPREAD: f64 = 1.0;

impl UmapParams {
    pub fn check(&self) -> Result<(), AnalysisError> {
        if !(2..=200).contains(&self.n_neighbors) {
            return Err(AnalysisError::Param("UMAP neighbours must be between 2 and 200".into()));
        }
        if !(0.0..=0.99).contains(&self.min_dist) {
            return Err(AnalysisError::Param("UMAP min_dist must be between 0 and 0.99".into()));
        }
        if self.epochs.is_some_and(|e| !(10..=2000).contains(&e)) {
            return Err(AnalysisError::Param("UMAP epochs must be between 10 and 2,000".into()));
        }
        Ok(())
    }

    /// Other points in each neighbourhood (the k-NN to compute).
    pub fn neighbours(&self) -> usize {
        self.n_neighbors - 1
    }

    pub fn epochs_for(&self, n: usize) -> usize {
        self.epochs.unwrap_or(if n > 10_000 { 200 } else { 500 })
    }
}

/// a and b of 1 / (1 + a·x^2b) fitted by least squares to the target curve (1 below `min_dist`,
/// exp(−(x − min_dist)) above) on 300 points over [0, 3], as umap-learn's `find_ab_params`;
/// Levenberg–Marquardt from (1.5, 0.9).
pub fn find_ab(min_dist: f64) -> (f64, f64) {
    let xs: Vec<f64> = (0..300).map(|i| 3.0 * SPREAD * i as f64 / 299.0).collect();
    let ys: Vec<f64> =
        xs.iter().map(|&x| if x < min_dist { 1.0 } else { (-(x - min_dist) / SPREAD).exp() }).collect();
    let sse = |a: f64, b: f64| -> f64 {
        xs.iter().zip(&ys).map(|(&x, &y)| (1.0 / (1.0 + a * x.powf(2.0 * b)) - y).powi(2)).sum()
    };
    let (mut a, mut b, mut lambda) = (1.5f64, 0.9f64, 1e-3);
    let mut err = sse(a, b);
    for _ in 0..200 {
        // Normal equations J'J δ = J'r of the residuals r = y − f.
        let (mut jtj, mut jtr) = ([[0.0f64; 2]; 2], [0.0f64; 2]);
        for (&x, &y) in xs.iter().zip(&ys) {
            if x == 0.0 {
                continue;
            }
            let p = x.powf(2.0 * b);
            let den = 1.0 + a * p;
            let f = 1.0 / den;
            let da = -p / (den * den);
            let db = -a * p * 2.0 * x.ln() / (den * den);
            let r = y - f;
            jtj[0][0] += da * da;
            jtj[0][1] += da * db;
            jtj[1][1] += db * db;
            jtr[0] += da * r;
            jtr[1] += db * r;
        }
        jtj[1][0] = jtj[0][1];
        let m = [[jtj[0][0] * (1.0 + lambda), jtj[0][1]], [jtj[1][0], jtj[1][1] * (1.0 + lambda)]];
        let det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
        if det.abs() < 1e-300 {
            break;
        }
        let da = (jtr[0] * m[1][1] - jtr[1] * m[0][1]) / det;
        let db = (m[0][0] * jtr[1] - m[1][0] * jtr[0]) / det;
        let (na, nb) = (a + da, b + db);
        let ne = if na > 0.0 && nb > 0.0 { sse(na, nb) } else { f64::INFINITY };
        if ne < err {
            let small = (err - ne) < 1e-15 * err.max(1e-300);
            (a, b, err, lambda) = (na, nb, ne, lambda / 10.0);
            if small {
                break;
            }
        } else {
            lambda *= 10.0;
            if lambda > 1e12 {
                break;
            }
        }
    }
    (a, b)
}

/// The fuzzy union of the neighbourhoods as an edge list (each undirected edge in both
/// directions, like umap-learn's symmetric COO graph).
pub struct Graph {
    pub head: Vec<u32>,
    pub tail: Vec<u32>,
    pub weight: Vec<f64>,
}

/// ρ and σ of one point's neighbour distances `d`: σ such that Σ exp(−(d − ρ)/σ) = `target`.
/// Never inlined, so that V8 optimises it for the points after the first few (see
/// [`epoch_step`]).
#[inline(never)]
fn smooth_distances(d: &[f64], target: f64, mean_all: f64) -> (f64, f64) {
    let rho = d.iter().copied().find(|&v| v > 0.0).unwrap_or(0.0);
    let (mut lo, mut hi, mut mid) = (0.0f64, f64::INFINITY, 1.0f64);
    for _ in 0..64 {
        let psum: f64 = d.iter().map(|&v| if v - rho > 0.0 { (-(v - rho) / mid).exp() } else { 1.0 }).sum();
        if (psum - target).abs() < 1e-5 {
            break;
        }
        if psum > target {
            hi = mid;
            mid = (lo + hi) / 2.0;
        } else {
            lo = mid;
            mid = if hi == f64::INFINITY { mid * 2.0 } else { (lo + hi) / 2.0 };
        }
    }
    // umap-learn's floor: σ at least 1e-3 of the mean neighbour distance.
    let mean_i = d.iter().sum::<f64>() / d.len().max(1) as f64;
    let floor = 1e-3 * if rho > 0.0 { mean_i } else { mean_all };
    let sigma = mid.max(floor);
    (rho, sigma)
}

/// Smooth k-NN distances (ρ, σ per point, umap-learn's `smooth_knn_dist`) and the membership
/// strengths, symmetrised by the fuzzy union w = a + b − a·b.
pub fn fuzzy_graph(knn: &Knn, n_neighbors: usize) -> Graph {
    let (n, k) = (knn.index.len() / knn.k.max(1), knn.k);
    let target = (n_neighbors as f64).log2();
    let mut directed: Vec<(u32, u32, f64)> = Vec::with_capacity(n * k);
    let mean_all: f64 = knn.dist.iter().map(|&d| f64::from(d)).sum::<f64>() / knn.dist.len().max(1) as f64;
    for i in 0..n {
        let (idx, dist) = knn.neighbours(i);
        let d: Vec<f64> = dist.iter().map(|&v| f64::from(v)).collect();
        let (rho, sigma) = smooth_distances(&d, target, mean_all);
        for (&j, &v) in idx.iter().zip(&d) {
            let w = if v - rho <= 0.0 || sigma == 0.0 { 1.0 } else { (-(v - rho) / sigma).exp() };
            directed.push((i as u32, j, w));
        }
    }
    // Fuzzy union: collect both directions, then combine a and b of each pair.
    let mut both: Vec<(u32, u32, f64, bool)> = Vec::with_capacity(2 * directed.len());
    for &(i, j, w) in &directed {
        both.push((i, j, w, true));
        both.push((j, i, w, false));
    }
    both.sort_unstable_by_key(|e| (e.0, e.1, !e.3));
    let mut g = Graph { head: Vec::new(), tail: Vec::new(), weight: Vec::new() };
    let mut e = 0;
    while e < both.len() {
        let (i, j) = (both[e].0, both[e].1);
        let (mut a, mut b) = (0.0, 0.0);
        while e < both.len() && both[e].0 == i && both[e].1 == j {
            if both[e].3 {
                a = both[e].2;
            } else {
                b = both[e].2;
            }
            e += 1;
        }
        let w = a + b - a * b;
        if w > 0.0 {
            g.head.push(i);
            g.tail.push(j);
            g.weight.push(w);
        }
    }
    g
}

/// x^b for x > 0. Natively `powf` (glibc's, ≈ 7 ns). In WebAssembly `powf` is a software routine
/// several times slower, while `floor` is one instruction, so there it is 2^(b·log2 x) by short
/// polynomials on the float's bits, within 1e-4 relative (tested): far inside the noise of the
/// layout's stochastic gradient. (Natively the same code is slower than glibc: measured.)
#[inline]
fn pow(x: f32, b: f32) -> f32 {
    if cfg!(target_arch = "wasm32") {
        fast_pow(x, b)
    } else {
        x.powf(b)
    }
}

#[inline]
fn fast_pow(x: f32, b: f32) -> f32 {
    // log2 x = exponent + log2 m, m in [1, 2): ln m = 2 atanh t, t = (m − 1)/(m + 1) < 1/3.
    let bits = x.to_bits();
    let exponent = ((bits >> 23) & 0xff) as i32 - 127;
    let m = f32::from_bits((bits & 0x007f_ffff) | 0x3f80_0000);
    let t = (m - 1.0) / (m + 1.0);
    let t2 = t * t;
    let ln_m = 2.0 * t * (1.0 + t2 * (1.0 / 3.0 + t2 * (1.0 / 5.0 + t2 * (1.0 / 7.0 + t2 / 9.0))));
    let y = (b * (exponent as f32 + ln_m * std::f32::consts::LOG2_E)).clamp(-126.0, 127.0);
    // 2^y = 2^i · e^(f ln 2), f in [0, 1).
    let i = y.floor();
    let z = (y - i) * std::f32::consts::LN_2;
    let e = 1.0 + z * (1.0 + z * (0.5 + z * (1.0 / 6.0 + z * (1.0 / 24.0 + z * (1.0 / 120.0 + z / 720.0)))));
    e * f32::from_bits(((i as i32 + 127) as u32) << 23)
}

/// The updates of one edge sample computed side by side (f32x4 twice in WebAssembly SIMD): lane
/// 0 the edge's attraction, the others its negative samples.
const LANES: usize = 8;

/// A kept edge of the graph and when it is next due, in epochs (umap-learn's
/// `epochs_per_sample` and `epoch_of_next_sample`, and their negative-sample twins).
struct Edge {
    head: u32,
    tail: u32,
    per_sample: f64,
    next_sample: f64,
    per_negative: f64,
    next_negative: f64,
}

fn clip(v: f32) -> f32 {
    v.clamp(-4.0, 4.0)
}

/// One epoch of the layout. Never inlined, on purpose: V8 first runs WebAssembly in its baseline
/// compiler and moves a function to its optimising one only after it has been hot, for the calls
/// that follow; the epochs' loop inside one long call never got there (no on-stack replacement).
#[inline(never)]
fn epoch_step(
    edges: &mut [Edge],
    y: &mut [[f32; 2]],
    rng: &mut Pcg32,
    draw: &Uniform<u32>,
    epoch: usize,
    epochs: usize,
    a: f32,
    b: f32,
) {
    let alpha = (1.0 - epoch as f64 / epochs as f64) as f32;
    let now = epoch as f64;
    // Per lane: the gradient's numerator (a factor of d²ᵇ when 1) and the offset of its
    // denominator; the first round has the attraction in lane 0.
    let repel = ([2.0 * b; LANES], [0.0f32; LANES], [0.001f32; LANES]);
    let mut attract = repel;
    (attract.0[0], attract.1[0], attract.2[0]) = (0.0, -2.0 * a * b, 0.0);
    for e in edges.iter_mut() {
        if e.next_sample > now {
            continue;
        }
        let (j, k) = (e.head as usize, e.tail as usize);
        e.next_sample += e.per_sample;
        let behind = (now - e.next_negative) / e.per_negative;
        let negatives = if behind > 0.0 { behind as usize } else { 0 };
        e.next_negative += negatives as f64 * e.per_negative;
        // The attraction and the repulsions of the negative samples are all taken at the same
        // position of j, then summed (umap-learn moves j after each). Independent of each other,
        // they run in the lanes of one vector computation, one power for each; parallel
        // umap-learn updates with the same kind of staleness, across threads.
        let yj = y[j];
        let mut push = [0.0f32; 2];
        let mut pull = [0.0f32; 2];
        let mut first = true;
        let mut left = negatives + 1;
        while left > 0 {
            let m = left.min(LANES);
            left -= m;
            // Lanes past m, and a sample that is j itself, have no direction (d = 0) and move
            // nothing: the lanes run without branches, and the compiler vectorises them.
            let (mut dx, mut dy) = ([0.0f32; LANES], [0.0f32; LANES]);
            for l in 0..m {
                let o = if first && l == 0 { k } else { draw.sample(rng) as usize };
                dx[l] = yj[0] - y[o][0];
                dy[l] = yj[1] - y[o][1];
            }
            let (num, times_pb, off) = if first { &attract } else { &repel };
            let (mut gx, mut gy) = ([0.0f32; LANES], [0.0f32; LANES]);
            for l in 0..LANES {
                // Attraction −2ab·d²⁽ᵇ⁻¹⁾/(1 + a·d²ᵇ), repulsion 2b/((0.001 + d²)(1 + a·d²ᵇ)).
                let d2 = dx[l] * dx[l] + dy[l] * dy[l];
                let pb = pow(d2, b);
                let top = num[l] + times_pb[l] * pb;
                let coeff = top / ((off[l] + d2) * (a * pb + 1.0));
                let coeff = if d2 > 0.0 { coeff } else { 0.0 };
                gx[l] = clip(coeff * dx[l]) * alpha;
                gy[l] = clip(coeff * dy[l]) * alpha;
            }
            if first {
                pull = [gx[0], gy[0]];
            }
            push[0] += gx.iter().sum::<f32>();
            push[1] += gy.iter().sum::<f32>();
            first = false;
        }
        y[j] = [yj[0] + push[0], yj[1] + push[1]];
        y[k] = [y[k][0] - pull[0], y[k][1] - pull[1]];
    }
}

pub fn umap(
    knn: &Knn,
    init: Vec<[f64; 2]>,
    params: &UmapParams,
    seed: u64,
    progress: &mut dyn Progress,
) -> Result<Vec<[f64; 2]>, AnalysisError> {
    params.check()?;
    let n = init.len();
    let epochs = params.epochs_for(n);
    let (a, b) = find_ab(params.min_dist);
    let g = fuzzy_graph(knn, params.n_neighbors);
    // Edges too weak to be sampled once in the whole run are dropped (as umap-learn). The kept
    // ones are packed with their sampling schedule: the epoch loop walks them in order, and one
    // cache line then holds two edges' whole state instead of six scattered arrays.
    let max = g.weight.iter().copied().fold(0.0, f64::max);
    let mut edges: Vec<Edge> = (0..g.weight.len())
        .filter(|&e| g.weight[e] >= max / epochs as f64)
        .map(|e| {
            let per_sample = max / g.weight[e];
            Edge {
                head: g.head[e],
                tail: g.tail[e],
                per_sample,
                next_sample: per_sample,
                per_negative: per_sample / NEGATIVE_SAMPLE_RATE,
                next_negative: per_sample / NEGATIVE_SAMPLE_RATE,
            }
        })
        .collect();
    drop(g);
    // The layout runs in f32, as umap-learn's: half the memory traffic, and f32 `powf` is the
    // cost of every update.
    let mut y: Vec<[f32; 2]> = init.iter().map(|p| [p[0] as f32, p[1] as f32]).collect();
    let (a, b) = (a as f32, b as f32);
    // The negative samples draw from PCG32 (seeded from the run's seed): a multiply and a shift
    // per draw, the same on 32-bit WASM and 64-bit native. ChaCha, used elsewhere, cost as much
    // as the update itself here (umap-learn too uses a small Tausworthe generator for this).
    let mut rng = Pcg32::seed_from_u64(seed);
    let draw = Uniform::new(0, n as u32);
    for epoch in 0..epochs {
        epoch_step(&mut edges, &mut y, &mut rng, &draw, epoch, epochs, a, b);
        if !progress.report((epoch + 1) as f64 / epochs as f64) {
            return Err(AnalysisError::Cancelled);
        }
    }
    Ok(y.iter().map(|p| [f64::from(p[0]), f64::from(p[1])]).collect())
}

#[cfg(test)]
mod tests {
    use super::super::knn::{knn, trustworthiness, Matrix};
    use super::*;
    use crate::cluster::Silent;

    #[test]
    fn the_polynomial_power_is_within_1e_4_of_powf() {
        for b in [0.7f32, 0.895, 1.0, 1.334, 1.9] {
            let mut x = 1e-12f32;
            while x < 1e6 {
                let (got, want) = (fast_pow(x, b), x.powf(b));
                assert!(((got - want) / want).abs() < 1e-4, "{x}^{b}: {got} vs {want}");
                x *= 1.37;
            }
        }
    }

    #[test]
    fn the_curve_parameters_match_umap_learns() {
        // umap-learn 0.5: find_ab_params(1.0, 0.1) = (1.5769, 0.8951); (1.0, 0.5) = (0.5830, 1.3341).
        let (a, b) = find_ab(0.1);
        assert!((a - 1.577).abs() < 0.01 && (b - 0.895).abs() < 0.005, "{a} {b}");
        let (a, b) = find_ab(0.5);
        assert!((a - 0.583).abs() < 0.01 && (b - 1.334).abs() < 0.005, "{a} {b}");
    }

    #[test]
    fn the_graph_is_symmetric_with_weights_in_0_1() {
        let x = Matrix { dim: 1, data: (0..50).map(|i| (i * i) as f32 / 10.0).collect() };
        let k = knn(&x, 5, &mut Silent).unwrap();
        let g = fuzzy_graph(&k, 6);
        let w = |i: u32, j: u32| {
            (0..g.head.len()).find(|&e| g.head[e] == i && g.tail[e] == j).map(|e| g.weight[e])
        };
        for e in 0..g.head.len() {
            assert!(g.weight[e] > 0.0 && g.weight[e] <= 1.0);
            assert_eq!(w(g.tail[e], g.head[e]), Some(g.weight[e]));
        }
        // The nearest neighbour of each point has membership 1 (local connectivity).
        assert_eq!(w(10, k.neighbours(10).0[0]), Some(1.0));
    }

    #[test]
    fn separated_blobs_stay_separated_and_trustworthy() {
        let (x, label) = super::super::tsne::tests::blobs(300);
        let p = UmapParams::default();
        let k = knn(&x, p.neighbours(), &mut Silent).unwrap();
        let init: Vec<[f64; 2]> = (0..300).map(|i| [(i % 17) as f64 * 0.5, (i % 13) as f64 * 0.7]).collect();
        let y = umap(&k, init, &p, 7, &mut Silent).unwrap();
        assert!(y.iter().all(|p| p[0].is_finite() && p[1].is_finite()));
        let nearest_same = (0..300)
            .filter(|&i| {
                let d = |j: usize| (y[i][0] - y[j][0]).powi(2) + (y[i][1] - y[j][1]).powi(2);
                let j = (0..300).filter(|&j| j != i).min_by(|&a, &b| d(a).total_cmp(&d(b))).unwrap();
                label[i] == label[j]
            })
            .count();
        assert!(nearest_same >= 297, "{nearest_same}");
        let yf: Vec<[f32; 2]> = y.iter().map(|p| [p[0] as f32, p[1] as f32]).collect();
        assert!(trustworthiness(&x, &yf, 10, None, &mut Silent).unwrap() > 0.8);
        // Same seed, same map.
        let again = umap(
            &k,
            (0..300).map(|i| [(i % 17) as f64 * 0.5, (i % 13) as f64 * 0.7]).collect(),
            &p,
            7,
            &mut Silent,
        )
        .unwrap();
        assert_eq!(y, again);
    }

    #[test]
    fn bad_parameters_and_cancel() {
        assert!(UmapParams { n_neighbors: 1, ..Default::default() }.check().is_err());
        assert!(UmapParams { min_dist: -0.1, ..Default::default() }.check().is_err());
        let x = Matrix { dim: 1, data: (0..40).map(|i| i as f32).collect() };
        let k = knn(&x, 14, &mut Silent).unwrap();
        let mut stop = |_: f64| false;
        let init = vec![[0.0, 0.0]; 40];
        assert_eq!(
            umap(&k, init, &UmapParams::default(), 1, &mut stop).unwrap_err(),
            AnalysisError::Cancelled
        );
    }
}
