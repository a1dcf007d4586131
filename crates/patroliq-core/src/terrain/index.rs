//! Nearest feature and features within a radius, for every cell: a bucket index of points on a
//! square lattice (the layers are a few tens of thousands of points, the cells about ten
//! thousand; a k-d tree would buy nothing here and the buckets answer both questions).

use rustc_hash::FxHashMap as HashMap;

pub struct PointIndex {
    side: f64,
    buckets: HashMap<(i64, i64), Vec<(f64, f64)>>,
    /// Bucket bounds: no ring search goes past them.
    lo: (i64, i64),
    hi: (i64, i64),
}

impl PointIndex {
    pub fn new(points: &[(f64, f64)], side: f64) -> PointIndex {
        let mut buckets: HashMap<(i64, i64), Vec<(f64, f64)>> = HashMap::default();
        let (mut lo, mut hi) = ((i64::MAX, i64::MAX), (i64::MIN, i64::MIN));
        for &(x, y) in points.iter().filter(|(x, y)| x.is_finite() && y.is_finite()) {
            let b = ((x / side).floor() as i64, (y / side).floor() as i64);
            lo = (lo.0.min(b.0), lo.1.min(b.1));
            hi = (hi.0.max(b.0), hi.1.max(b.1));
            buckets.entry(b).or_default().push((x, y));
        }
        PointIndex { side, buckets, lo, hi }
    }

    fn bucket(&self, (x, y): (f64, f64)) -> (i64, i64) {
        ((x / self.side).floor() as i64, (y / self.side).floor() as i64)
    }

    /// Distance to the nearest point, metres; `None` for an empty index. Rings of buckets are
    /// searched outwards until the next ring cannot hold anything nearer.
    pub fn nearest(&self, p: (f64, f64)) -> Option<f64> {
        self.mean_nearest(p, 1)
    }

    /// Mean distance to the `k` nearest points, metres (chapter 5's "nn" feature, smoother than
    /// the nearest alone); over all the points when there are fewer than `k`; `None` for an
    /// empty index or `k` = 0.
    pub fn mean_nearest(&self, p: (f64, f64), k: usize) -> Option<f64> {
        if self.buckets.is_empty() || k == 0 {
            return None;
        }
        let (bx, by) = self.bucket(p);
        let reach = [bx - self.lo.0, self.hi.0 - bx, by - self.lo.1, self.hi.1 - by]
            .into_iter()
            .map(i64::abs)
            .max()
            .unwrap_or(0);
        // The k nearest so far, ascending.
        let mut best: Vec<f64> = Vec::with_capacity(k + 1);
        for ring_k in 0..=reach {
            for (cx, cy) in ring(bx, by, ring_k) {
                for &(x, y) in self.buckets.get(&(cx, cy)).into_iter().flatten() {
                    let d = (x - p.0).hypot(y - p.1);
                    if best.len() < k || d < best[k - 1] {
                        let at = best.partition_point(|&b| b <= d);
                        best.insert(at, d);
                        best.truncate(k);
                    }
                }
            }
            if best.len() == k && best[k - 1] <= ring_k as f64 * self.side {
                break;
            }
        }
        Some(best.iter().sum::<f64>() / best.len() as f64)
    }

    /// Points within `r` metres (inclusive).
    pub fn count_within(&self, p: (f64, f64), r: f64) -> usize {
        let (lo, hi) = (self.bucket((p.0 - r, p.1 - r)), self.bucket((p.0 + r, p.1 + r)));
        let mut n = 0;
        for cx in lo.0..=hi.0 {
            for cy in lo.1..=hi.1 {
                n += self
                    .buckets
                    .get(&(cx, cy))
                    .into_iter()
                    .flatten()
                    .filter(|&&(x, y)| (x - p.0).hypot(y - p.1) <= r)
                    .count();
            }
        }
        n
    }
}

/// The buckets at Chebyshev distance `k` from (x, y).
fn ring(x: i64, y: i64, k: i64) -> impl Iterator<Item = (i64, i64)> {
    (-k..=k).flat_map(move |dy| {
        let edge = dy.abs() == k;
        let step = if edge || k == 0 { 1 } else { 2 * k };
        (0..).map(move |i| -k + i * step).take_while(move |&dx| dx <= k).map(move |dx| (x + dx, y + dy))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn nearest_and_counts_equal_brute_force() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let pts: Vec<(f64, f64)> =
            (0..500).map(|_| (rng.gen_range(-5000.0..5000.0), rng.gen_range(-3000.0..3000.0))).collect();
        let idx = PointIndex::new(&pts, 200.0);
        for _ in 0..300 {
            let q = (rng.gen_range(-9000.0..9000.0), rng.gen_range(-9000.0..9000.0));
            let brute = pts.iter().map(|p| (p.0 - q.0).hypot(p.1 - q.1)).fold(f64::INFINITY, f64::min);
            assert_eq!(idx.nearest(q), Some(brute), "{q:?}");
            let mut all: Vec<f64> = pts.iter().map(|p| (p.0 - q.0).hypot(p.1 - q.1)).collect();
            all.sort_by(f64::total_cmp);
            for k in [1, 3, 5] {
                let want = all[..k].iter().sum::<f64>() / k as f64;
                assert!((idx.mean_nearest(q, k).unwrap() - want).abs() < 1e-9, "{q:?} k {k}");
            }
            for r in [150.0, 400.0, 1000.0] {
                let n = pts.iter().filter(|p| (p.0 - q.0).hypot(p.1 - q.1) <= r).count();
                assert_eq!(idx.count_within(q, r), n);
            }
        }
        assert_eq!(PointIndex::new(&[], 200.0).nearest((0.0, 0.0)), None);
        assert_eq!(PointIndex::new(&[], 200.0).mean_nearest((0.0, 0.0), 3), None);
        let two = PointIndex::new(&[(0.0, 0.0), (300.0, 400.0)], 200.0);
        assert_eq!(two.mean_nearest((0.0, 0.0), 3), Some(250.0), "fewer points than k: all of them");
        assert_eq!(ring(0, 0, 0).count(), 1);
        assert_eq!(ring(0, 0, 2).count(), 16);
    }
}
