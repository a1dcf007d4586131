//! Hit rate, PAI and PEI of a ranking of cells against the test period's crimes.
//!
//! A method's hotspots at coverage `c` are its `k = round(c × n)` first cells of the `n` cells of
//! the study area (at least one). Then
//! - **hit rate** = test crimes in those cells ÷ all located test crimes;
//! - **PAI** (Prediction Accuracy Index, Chainey et al. 2008) = hit rate ÷ area share (`k / n`);
//! - **PEI** (Prediction Efficiency Index, Hunt 2016) = PAI ÷ the best PAI any `k` cells could
//!   have had: the hits of the `k` cells with the most test crimes (the oracle). 1 is perfect.

use serde::{Deserialize, Serialize};

/// The metrics of one method at one coverage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// The coverage asked for, 0–1.
    pub coverage: f64,
    /// The area share actually flagged (`cells / study cells`).
    pub area: f64,
    pub cells: usize,
    /// Test crimes in the flagged cells.
    pub hits: u64,
    pub hit_rate: f64,
    pub pai: f64,
    pub pei: f64,
}

/// Coverages of the hit-rate curve: every half per cent to 30 %, then every 5 % to all of it.
pub fn curve_coverages() -> Vec<f64> {
    (1..=60).map(|i| i as f64 * 0.005).chain((7..=20).map(|i| i as f64 * 0.05)).collect()
}

/// Cells flagged at coverage `c` of `n` study cells.
pub fn cells_at(c: f64, n: usize) -> usize {
    ((c * n as f64).round() as usize).clamp(1, n.max(1))
}

/// Test crimes per study cell, and what the best `k` cells could catch.
pub struct TestCounts {
    /// Test crimes in each study cell (indexed like the ranking's entries).
    pub counts: Vec<u64>,
    /// Located test crimes, including those outside the study area (misses for every method).
    pub total: u64,
    /// `best[k]`: the crimes in the `k` cells with the most (best[0] = 0).
    best: Vec<u64>,
}

impl TestCounts {
    pub fn new(counts: Vec<u64>, total: u64) -> TestCounts {
        let mut sorted = counts.clone();
        sorted.sort_unstable_by(|a, b| b.cmp(a));
        let best = std::iter::once(0)
            .chain(sorted.iter().scan(0, |s, &c| {
                *s += c;
                Some(*s)
            }))
            .collect();
        TestCounts { counts, total, best }
    }

    /// The cumulative hits of a ranking (`order` holds indices into `counts`, best first).
    pub fn cumulative(&self, order: &[usize]) -> Vec<u64> {
        std::iter::once(0)
            .chain(order.iter().scan(0, |s, &i| {
                *s += self.counts[i];
                Some(*s)
            }))
            .collect()
    }

    /// The metrics of a ranking's cumulative hits at coverage `c`.
    pub fn metrics(&self, cum: &[u64], c: f64) -> Metrics {
        let n = self.counts.len();
        let k = cells_at(c, n);
        let hits = cum[k.min(cum.len() - 1)];
        let rate = |h: u64| if self.total > 0 { h as f64 / self.total as f64 } else { 0.0 };
        let area = if n > 0 { k as f64 / n as f64 } else { 0.0 };
        let hit_rate = rate(hits);
        let best = self.best[k.min(self.best.len() - 1)];
        Metrics {
            coverage: c,
            area,
            cells: k,
            hits,
            hit_rate,
            pai: if area > 0.0 { hit_rate / area } else { 0.0 },
            pei: if best > 0 { hits as f64 / best as f64 } else { 0.0 },
        }
    }

    /// The oracle's cumulative hits (the ranking by test counts themselves).
    pub fn oracle(&self) -> &[u64] {
        &self.best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_test_crimes_in_one_cell_of_a_hundred_give_pai_100() {
        let mut counts = vec![0; 100];
        counts[37] = 12;
        let t = TestCounts::new(counts, 12);
        let order: Vec<usize> = std::iter::once(37).chain((0..100).filter(|&i| i != 37)).collect();
        let m = t.metrics(&t.cumulative(&order), 0.01);
        assert_eq!((m.cells, m.hits), (1, 12));
        assert_eq!((m.hit_rate, m.area), (1.0, 0.01));
        assert!((m.pai - 100.0).abs() < 1e-9);
        assert_eq!(m.pei, 1.0);
        // Ranked last, it is found only when everything is flagged.
        let worst: Vec<usize> = order.iter().rev().copied().collect();
        let w = t.metrics(&t.cumulative(&worst), 0.05);
        assert_eq!((w.hits, w.pai, w.pei), (0, 0.0, 0.0));
        assert_eq!(t.metrics(&t.cumulative(&worst), 1.0).hit_rate, 1.0);
    }

    #[test]
    fn the_oracle_has_pei_one_and_crimes_outside_the_study_area_are_misses() {
        let counts = vec![5, 0, 9, 1, 3, 0, 0, 2, 0, 0];
        // 20 located test crimes, 20 in study cells + 4 outside.
        let t = TestCounts::new(counts, 24);
        for c in [0.1, 0.2, 0.5, 1.0] {
            let m = t.metrics(t.oracle(), c);
            assert_eq!(m.pei, 1.0, "coverage {c}");
        }
        let m = t.metrics(t.oracle(), 0.2);
        assert_eq!(m.hits, 14);
        assert!((m.hit_rate - 14.0 / 24.0).abs() < 1e-12);
        assert!((m.pai - 14.0 / 24.0 / 0.2).abs() < 1e-12);
        assert!(t.metrics(t.oracle(), 1.0).hit_rate < 1.0, "4 crimes no cell can catch");
        // Index order: 5 + 0 of the oracle's 14 at 20 %.
        let m = t.metrics(&t.cumulative(&(0..10).collect::<Vec<_>>()), 0.2);
        assert!((m.pei - 5.0 / 14.0).abs() < 1e-12);
    }

    #[test]
    fn coverage_rounds_to_at_least_one_cell_and_no_test_crime_scores_zero() {
        assert_eq!(cells_at(0.0001, 100), 1);
        assert_eq!(cells_at(0.05, 1000), 50);
        assert_eq!(cells_at(2.0, 10), 10);
        let t = TestCounts::new(vec![0, 0], 0);
        let m = t.metrics(t.oracle(), 0.5);
        assert_eq!((m.hit_rate, m.pai, m.pei), (0.0, 0.0, 0.0));
        let c = curve_coverages();
        assert_eq!((c.len(), c[0], *c.last().unwrap()), (74, 0.005, 1.0));
        assert!(c.windows(2).all(|w| w[0] < w[1]));
    }
}
