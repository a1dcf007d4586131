//! Getis–Ord Gi* hot-spot statistic with a Benjamini–Hochberg false-discovery-rate correction.
//!
//! Weights are binary: a cell and its 8 neighbours (the "queen" window, the cell itself included,
//! which is what makes it Gi* rather than Gi). Only cells of the study area count: the mean, the
//! spread and `n` are over those cells, so the lake and the suburbs do not dilute the city.
//! Formulas as in Getis & Ord (1992) and ArcGIS's "Hot Spot Analysis (Getis-Ord Gi*)".

use serde::{Deserialize, Serialize};

use super::grid::Grid;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GiStar {
    pub z: f64,
    /// Two-sided p-value of `z` under the normal approximation.
    pub p: f64,
    /// Significant hot spot after the FDR correction (z > 0).
    pub hot: bool,
    /// Significant cold spot after the FDR correction (z < 0).
    pub cold: bool,
}

/// Gi* of every study cell. `values[i]` is the value of grid cell `i`; `study[i]` says whether
/// it is part of the study area. Cells outside it get `None`.
pub fn gi_star(grid: &Grid, values: &[f64], study: &[bool], fdr_q: f64) -> Vec<Option<GiStar>> {
    let n = study.iter().filter(|&&s| s).count();
    let mut out = vec![None; grid.len()];
    if n < 2 {
        return out;
    }
    let nf = n as f64;
    let (sum, sum2) =
        values.iter().zip(study).filter(|(_, &s)| s).fold((0.0, 0.0), |(a, b), (&v, _)| (a + v, b + v * v));
    let mean = sum / nf;
    let s = (sum2 / nf - mean * mean).max(0.0).sqrt();
    let mut ps = Vec::with_capacity(n);
    for i in (0..grid.len()).filter(|&i| study[i]) {
        let (mut wx, mut w) = (0.0, 0.0);
        for j in grid.window(i).filter(|&j| study[j]) {
            wx += values[j];
            w += 1.0;
        }
        // Binary weights: Σw² = Σw.
        let denom = s * ((nf * w - w * w) / (nf - 1.0)).max(0.0).sqrt();
        let z = if denom > 0.0 { (wx - mean * w) / denom } else { 0.0 };
        let p = libm::erfc(z.abs() / std::f64::consts::SQRT_2);
        out[i] = Some(GiStar { z, p, hot: false, cold: false });
        ps.push((p, i));
    }
    for i in benjamini_hochberg(&mut ps, fdr_q) {
        if let Some(g) = out[i].as_mut() {
            g.hot = g.z > 0.0;
            g.cold = g.z < 0.0;
        }
    }
    out
}

/// The ids whose p-values are discoveries at false-discovery rate `q` (Benjamini & Hochberg 1995):
/// every p up to the largest `p_(k) ≤ k q / m`.
pub fn benjamini_hochberg(ps: &mut [(f64, usize)], q: f64) -> Vec<usize> {
    ps.sort_by(|a, b| a.0.total_cmp(&b.0));
    let m = ps.len() as f64;
    let last =
        ps.iter().enumerate().rev().find(|(k, (p, _))| *p <= (*k as f64 + 1.0) * q / m).map(|(k, _)| k);
    last.map_or_else(Vec::new, |k| ps[..=k].iter().map(|&(_, i)| i).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_checked_three_by_three_case() {
        // One hot cell (9) in the middle of eight cells of 1.
        // n = 9, mean = 17/9, S = sqrt(Σx²/n − mean²) = sqrt(89/9 − 289/81) = sqrt(512)/9.
        // Centre: window = all 9 cells, w = 9: numerator 17 − 17 = 0 → z = 0 (a window holding
        // the whole study area carries no information).
        // Corner: window of 4 cells (3 ones + the 9) = 12, w = 4:
        // z = (12 − 4·17/9) / (S·sqrt((9·4 − 16)/8)) = (40/9) / (sqrt(512)/9 · sqrt(2.5))
        //   = 40 / sqrt(1280) = 1.118034.
        let g = Grid { cell_m: 1.0, col0: 0, row0: 0, cols: 3, rows: 3 };
        let mut v = vec![1.0; 9];
        v[4] = 9.0;
        let r = gi_star(&g, &v, &[true; 9], 0.05);
        assert!(r[4].unwrap().z.abs() < 1e-12);
        assert!((r[0].unwrap().z - 1.118_034).abs() < 1e-6, "{:?}", r[0]);
        // Edge cell: window of 6 cells (5 ones + the 9) = 14, w = 6:
        // z = (14 − 6·17/9) / (sqrt(512)/9 · sqrt((54 − 36)/8)) = (24/9)/(sqrt(512)/9·1.5) = 1/√2.
        assert!((r[1].unwrap().z - std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-6);
        // p of z = 1.118 is 0.2636: nothing is significant.
        assert!((r[0].unwrap().p - 0.263_552).abs() < 1e-5);
        assert!(r.iter().all(|g| !g.unwrap().hot));
    }

    #[test]
    fn a_strong_cluster_is_a_significant_hot_spot_and_outside_cells_are_skipped() {
        let g = Grid { cell_m: 1.0, col0: 0, row0: 0, cols: 20, rows: 20 };
        let mut v = vec![1.0; 400];
        for i in [210, 211, 230, 231] {
            v[i] = 40.0;
        }
        let mut study = vec![true; 400];
        study[0] = false;
        let r = gi_star(&g, &v, &study, 0.05);
        assert!(r[0].is_none());
        assert!(r[210].unwrap().hot && r[210].unwrap().z > 5.0);
        assert!(!r[100].unwrap().hot);
    }

    #[test]
    fn benjamini_hochberg_keeps_everything_up_to_the_last_passing_rank() {
        // m = 5, q = 0.05: thresholds 0.01, 0.02, 0.03, 0.04, 0.05. p(3) = 0.025 ≤ 0.03 passes,
        // so ranks 1–3 are discoveries even though p(2) = 0.021 > 0.02.
        let mut ps = vec![(0.021, 1), (0.001, 0), (0.025, 2), (0.5, 3), (0.045, 4)];
        let mut d = benjamini_hochberg(&mut ps, 0.05);
        d.sort();
        assert_eq!(d, vec![0, 1, 2]);
        assert!(benjamini_hochberg(&mut [(0.5, 0)], 0.05).is_empty());
    }
}
