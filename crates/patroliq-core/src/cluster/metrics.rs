//! Cluster quality: silhouette (on a documented random sample), Davies–Bouldin and
//! Calinski–Harabasz (on every point). Noise points (label < 0) are left out of all three, as
//! they belong to no cluster. Formulas as scikit-learn's `sklearn.metrics`.

use rand::seq::index::sample;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::{dist2, Points};
use crate::error::AnalysisError;

/// The clustered points and their labels, noise removed, with labels renumbered 0..k.
fn clustered<const D: usize>(points: &[[f64; D]], labels: &[i32]) -> (Vec<[f64; D]>, Vec<usize>, usize) {
    let max = labels.iter().copied().max().unwrap_or(-1);
    let mut id = vec![usize::MAX; (max + 1).max(0) as usize];
    let mut k = 0;
    let (mut xy, mut l) = (Vec::new(), Vec::new());
    for (&p, &c) in points.iter().zip(labels) {
        if c < 0 {
            continue;
        }
        let slot = &mut id[c as usize];
        if *slot == usize::MAX {
            *slot = k;
            k += 1;
        }
        xy.push(p);
        l.push(*slot);
    }
    (xy, l, k)
}

fn centroids<const D: usize>(xy: &[[f64; D]], labels: &[usize], k: usize) -> (Vec<[f64; D]>, Vec<u64>) {
    let mut sums = vec![[0.0; D]; k];
    let mut counts = vec![0u64; k];
    for (&p, &l) in xy.iter().zip(labels) {
        sums[l].iter_mut().zip(p).for_each(|(s, v)| *s += v);
        counts[l] += 1;
    }
    let c = sums.iter().zip(&counts).map(|(s, &n)| s.map(|v| v / n as f64)).collect();
    (c, counts)
}

/// The mean of `xy`.
fn mean<const D: usize>(xy: &[[f64; D]]) -> [f64; D] {
    let mut m = [0.0; D];
    xy.iter().for_each(|p| m.iter_mut().zip(p).for_each(|(s, v)| *s += v));
    m.map(|v| v / xy.len() as f64)
}

/// Mean silhouette of every given point (O(n²): give it a sample). `None` with fewer than 2
/// clusters or more clusters than points − 1 (where it is undefined).
pub fn silhouette<const D: usize>(points: &[[f64; D]], labels: &[i32]) -> Option<f64> {
    // Weights of 1 leave every sum and quotient exactly as the unweighted formula has them.
    silhouette_weighted(points, &vec![1.0; points.len()], labels)
}

/// Σ w·distance from `p` to the points of each cluster, into `sums`. Never inlined, on purpose:
/// V8 first runs WebAssembly in its baseline compiler and optimises a function only for the calls
/// after it has been hot; inside the one call of the silhouette this loop stayed in the baseline.
#[inline(never)]
fn distance_sums<const D: usize>(
    points: &[[f64; D]],
    weights: &[f64],
    labels: &[i32],
    p: [f64; D],
    sums: &mut [f64],
) {
    sums.iter_mut().for_each(|s| *s = 0.0);
    for ((q, &lj), &w) in points.iter().zip(labels).zip(weights) {
        if lj >= 0 {
            sums[lj as usize] += w * dist2(p, *q).sqrt();
        }
    }
}

/// Exact mean silhouette of weighted points: a point of weight w stands for w identical points
/// (the others of its own cell are at distance 0). Equal to [`silhouette`] on the expanded points.
pub fn silhouette_weighted<const D: usize>(
    points: &[[f64; D]],
    weights: &[f64],
    labels: &[i32],
) -> Option<f64> {
    let k = labels.iter().copied().max().unwrap_or(-1) + 1;
    let k = k.max(0) as usize;
    let mut sizes = vec![0.0; k];
    for (&l, &w) in labels.iter().zip(weights) {
        if l >= 0 {
            sizes[l as usize] += w;
        }
    }
    let n: f64 = sizes.iter().sum();
    let clusters = sizes.iter().filter(|&&s| s > 0.0).count();
    if clusters < 2 || clusters as f64 > n - 1.0 {
        return None;
    }
    let mut total = 0.0;
    let mut sums = vec![0.0; k];
    for (i, &li) in labels.iter().enumerate() {
        if li < 0 {
            continue;
        }
        distance_sums(points, weights, labels, points[i], &mut sums);
        let own = li as usize;
        if sizes[own] > 1.0 {
            let a = sums[own] / (sizes[own] - 1.0);
            let b = (0..k)
                .filter(|&c| c != own && sizes[c] > 0.0)
                .map(|c| sums[c] / sizes[c])
                .fold(f64::INFINITY, f64::min);
            let m = a.max(b);
            if m > 0.0 {
                total += weights[i] * (b - a) / m;
            }
        }
    }
    Some(total / n)
}

/// Silhouette on a uniform random sample without replacement: `size` points drawn with `seed`
/// (all points when there are fewer). The exact silhouette of 500,000 points would take 2.5 × 10¹¹
/// distances; 10,000 sampled points estimate it to about ±0.01.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SilhouetteSample {
    pub size: usize,
    pub seed: u64,
}

impl Default for SilhouetteSample {
    fn default() -> Self {
        SilhouetteSample { size: 10_000, seed: 42 }
    }
}

impl SilhouetteSample {
    /// Fewer than 100 points estimate nothing; more than 50,000 take minutes (the cost is
    /// quadratic in the sample).
    pub fn check(&self) -> Result<(), AnalysisError> {
        if !(100..=50_000).contains(&self.size) {
            return Err(AnalysisError::Param(format!(
                "the silhouette sample must be 100–50,000 points, not {}",
                self.size
            )));
        }
        Ok(())
    }

    pub fn score(&self, points: &Points, labels: &[i32]) -> Option<f64> {
        self.score_nd(&points.xy, labels)
    }

    /// The same for points of any dimension.
    pub fn score_nd<const D: usize>(&self, points: &[[f64; D]], labels: &[i32]) -> Option<f64> {
        let n = points.len();
        if n <= self.size {
            return silhouette(points, labels);
        }
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut idx = sample(&mut rng, n, self.size).into_vec();
        idx.sort_unstable();
        let xy: Vec<[f64; D]> = idx.iter().map(|&i| points[i]).collect();
        let l: Vec<i32> = idx.iter().map(|&i| labels[i]).collect();
        silhouette(&xy, &l)
    }
}

/// Davies–Bouldin index (lower is better; 0 is best). `None` with fewer than 2 clusters.
pub fn davies_bouldin<const D: usize>(points: &[[f64; D]], labels: &[i32]) -> Option<f64> {
    let (xy, l, k) = clustered(points, labels);
    if k < 2 {
        return None;
    }
    let (c, counts) = centroids(&xy, &l, k);
    let mut scatter = vec![0.0; k];
    for (&p, &j) in xy.iter().zip(&l) {
        scatter[j] += dist2(p, c[j]).sqrt();
    }
    scatter.iter_mut().zip(&counts).for_each(|(s, &n)| *s /= n as f64);
    if scatter.iter().all(|&s| s == 0.0) {
        return Some(0.0);
    }
    let worst = (0..k).map(|i| {
        (0..k)
            .filter(|&j| j != i)
            .map(|j| {
                let d = dist2(c[i], c[j]).sqrt();
                if d == 0.0 {
                    0.0
                } else {
                    (scatter[i] + scatter[j]) / d
                }
            })
            .fold(f64::MIN, f64::max)
    });
    Some(worst.sum::<f64>() / k as f64)
}

/// Calinski–Harabasz index (higher is better). `None` with fewer than 2 clusters.
pub fn calinski_harabasz<const D: usize>(points: &[[f64; D]], labels: &[i32]) -> Option<f64> {
    let (xy, l, k) = clustered(points, labels);
    let n = xy.len();
    if k < 2 || n <= k {
        return None;
    }
    let (c, counts) = centroids(&xy, &l, k);
    let mean = mean(&xy);
    let between: f64 = c.iter().zip(&counts).map(|(&cj, &nj)| nj as f64 * dist2(cj, mean)).sum();
    let within: f64 = xy.iter().zip(&l).map(|(&p, &j)| dist2(p, c[j])).sum();
    Some(if within == 0.0 { 1.0 } else { between * (n - k) as f64 / (within * (k - 1) as f64) })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Two clusters on a line: {0, 1} and {10, 11}; checked by hand.
    const XY: [[f64; 2]; 4] = [[0.0, 0.0], [1.0, 0.0], [10.0, 0.0], [11.0, 0.0]];
    const L: [i32; 4] = [0, 0, 1, 1];

    #[test]
    fn silhouette_by_hand() {
        // Point 0: a = 1, b = (10 + 11) / 2 = 10.5 → 9.5/10.5; point 1: a = 1, b = 9.5 → 8.5/9.5.
        let want = 2.0 * (9.5 / 10.5 + 8.5 / 9.5) / 4.0;
        assert!((silhouette(&XY, &L).unwrap() - want).abs() < 1e-12);
        assert_eq!(silhouette(&XY, &[0, 0, 0, 0]), None);
        // Noise is left out: the same as the two clusters alone.
        let xy = [XY[0], XY[1], [100.0, 100.0], XY[2], XY[3]];
        assert!((silhouette(&xy, &[0, 0, -1, 1, 1]).unwrap() - want).abs() < 1e-12);
    }

    #[test]
    fn davies_bouldin_and_calinski_harabasz_by_hand() {
        // Scatter 0.5 each, centres 10 apart: DB = (0.5 + 0.5) / 10.
        assert!((davies_bouldin(&XY, &L).unwrap() - 0.1).abs() < 1e-12);
        // Between: 2·5² + 2·5² = 100; within: 4 · 0.25 = 1; CH = 100·(4−2) / (1·(2−1)) = 200.
        assert!((calinski_harabasz(&XY, &L).unwrap() - 200.0).abs() < 1e-9);
        assert_eq!(davies_bouldin(&XY, &[0, 0, 0, 0]), None);
    }

    #[test]
    fn weighted_silhouette_equals_the_expanded_points() {
        let xy = [[0.0, 0.0], [1.0, 0.0], [10.0, 0.0], [11.0, 3.0]];
        let w = [3.0, 1.0, 2.0, 1.0];
        let l = [0, 0, 1, 1];
        let (mut ex, mut el) = (Vec::new(), Vec::new());
        for i in 0..4 {
            for _ in 0..w[i] as usize {
                ex.push(xy[i]);
                el.push(l[i]);
            }
        }
        let want = silhouette(&ex, &el).unwrap();
        assert!((silhouette_weighted(&xy, &w, &l).unwrap() - want).abs() < 1e-12);
        assert_eq!(silhouette_weighted(&xy, &w, &[0, 0, 0, 0]), None);
    }

    #[test]
    fn the_sample_is_reproducible_and_close_to_the_full_score() {
        let xy: Vec<[f64; 2]> =
            (0..3000).map(|i| [(i % 2) as f64 * 100.0 + (i % 17) as f64, (i % 13) as f64]).collect();
        let labels: Vec<i32> = (0..3000).map(|i| i % 2).collect();
        let pts = Points { xy: xy.clone() };
        let s = SilhouetteSample { size: 500, seed: 9 };
        assert_eq!(s.score(&pts, &labels), s.score(&pts, &labels));
        let full = silhouette(&xy, &labels).unwrap();
        assert!((s.score(&pts, &labels).unwrap() - full).abs() < 0.02);
    }
}
