//! PCA of the standardised numeric features of every selected row.
//!
//! One streaming pass over the rows (features computed a row at a time, never the whole matrix)
//! gathers the sums and cross products that give the means, standard deviations and the
//! correlation matrix of the standardised values, whose eigen-decomposition (nalgebra's symmetric
//! solver: pure Rust, so it runs in WASM) gives the components. Rows with a missing value in any PCA feature (an unknown arrest flag…)
//! are left out and counted.

use nalgebra::{DMatrix, SymmetricEigen};
use serde::{Deserialize, Serialize};

use crate::error::AnalysisError;
use crate::features::{index_of, Features};
use crate::model::CrimeTable;

/// The features PCA looks at: numeric, and no exact duplicates (latitude/longitude are x_m/y_m
/// rescaled; codes of categories are left out, as for the correlation matrix).
pub const PCA_FEATURES: [&str; 20] = [
    "hour",
    "weekday",
    "month",
    "is_weekend",
    "is_night",
    "is_holiday",
    "hour_sin",
    "hour_cos",
    "weekday_sin",
    "weekday_cos",
    "month_sin",
    "month_cos",
    "x_m",
    "y_m",
    "dist_centre_km",
    "density_250m",
    "is_index_crime",
    "arrest",
    "domestic",
    "severity",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pca {
    pub features: Vec<String>,
    /// Rows used, and rows left out for a missing value.
    pub rows: u64,
    pub rows_dropped: u64,
    /// Per feature, before standardising.
    pub mean: Vec<f64>,
    pub scale: Vec<f64>,
    /// Variance explained by each component, largest first, as a share of the total.
    pub explained_variance_ratio: Vec<f64>,
    pub cumulative: Vec<f64>,
    /// Components needed to explain 70 % and 90 % of the variance.
    pub components_for_70: usize,
    pub components_for_90: usize,
    /// `components[i][j]`: loading of feature j on component i (unit vectors; the sign of each
    /// component is fixed so that its largest loading is positive).
    pub components: Vec<Vec<f64>>,
}

/// Eigenvalues of a symmetric matrix, largest first (negative rounding noise clipped to 0), and
/// their unit eigenvectors, each signed so that its largest entry is positive (a convention, since
/// an axis has no direction; it makes runs comparable).
pub fn principal_axes(m: DMatrix<f64>) -> (Vec<f64>, Vec<Vec<f64>>) {
    let eig = SymmetricEigen::new(m);
    let mut order: Vec<usize> = (0..eig.eigenvalues.len()).collect();
    order.sort_by(|&a, &b| eig.eigenvalues[b].total_cmp(&eig.eigenvalues[a]));
    let values = order.iter().map(|&i| eig.eigenvalues[i].max(0.0)).collect();
    let axes = order
        .iter()
        .map(|&i| {
            let mut v: Vec<f64> = eig.eigenvectors.column(i).iter().copied().collect();
            let big = v.iter().copied().fold(0.0f64, |a, x| if x.abs() > a.abs() { x } else { a });
            if big < 0.0 {
                v.iter_mut().for_each(|x| *x = -*x);
            }
            v
        })
        .collect();
    (values, axes)
}

/// Running sums of the PCA features (shifted by the first complete row) and their cross products.
struct Moments<const K: usize> {
    n: u64,
    shift: Option<[f64; K]>,
    s1: [f64; K],
    s2: Vec<f64>,
}

impl<const K: usize> Moments<K> {
    /// Adds `rows`. Never inlined and called per chunk, on purpose: V8 first runs WebAssembly in
    /// its baseline compiler and optimises a function only for the calls after it has been hot;
    /// as one loop inside the fit this stayed in the baseline tier.
    #[inline(never)]
    fn add(&mut self, f: &Features, idx: &[usize; K], rows: &[u32]) {
        for &r in rows {
            let v = f.row(r as usize);
            let x: [f64; K] = std::array::from_fn(|j| v[idx[j]]);
            if !x.iter().all(|v| v.is_finite()) {
                continue;
            }
            let sh = self.shift.get_or_insert(x);
            let d: [f64; K] = std::array::from_fn(|j| x[j] - sh[j]);
            for a in 0..K {
                self.s1[a] += d[a];
                let row = &mut self.s2[a * K..(a + 1) * K];
                for b in a..K {
                    row[b] += d[a] * d[b];
                }
            }
            self.n += 1;
        }
    }
}

impl Pca {
    pub fn fit(t: &CrimeTable, rows: &[u32]) -> Result<Pca, AnalysisError> {
        Pca::fit_prepared(&Features::prepare(t, rows), rows)
    }

    /// The same with the features already prepared for `rows` (the worker also scores a sample
    /// with them, and preparing 500k rows is a pass of its own).
    pub fn fit_prepared(f: &Features, rows: &[u32]) -> Result<Pca, AnalysisError> {
        const K: usize = PCA_FEATURES.len();
        let idx: [usize; K] =
            std::array::from_fn(|j| index_of(PCA_FEATURES[j]).expect("PCA features are catalogued"));
        // One pass: sums and cross products of the features, shifted by the first complete row
        // (so the differences below keep their precision). The covariance of the standardised
        // values follows from them, so each row's features are computed once: computing them is
        // most of the cost, and a second pass doubled it.
        let mut m = Moments { n: 0, shift: None, s1: [0.0; K], s2: vec![0.0; K * K] };
        for chunk in rows.chunks(4096) {
            m.add(f, &idx, chunk);
        }
        let Moments { n, shift, s1, s2 } = m;
        let dropped = rows.len() as u64 - n;
        let Some(sh) = shift.filter(|_| n >= 2) else {
            return Err(AnalysisError::Data(format!(
                "PCA needs at least 2 rows with every feature known; {n} have"
            )));
        };
        let nf = n as f64;
        // Centred cross products Σ (x_a − mean_a)(x_b − mean_b), upper triangle.
        let centred = |a: usize, b: usize| s2[a.min(b) * K + a.max(b)] - s1[a] * s1[b] / nf;
        let mean: Vec<f64> = (0..K).map(|j| sh[j] + s1[j] / nf).collect();
        let scale: Vec<f64> = (0..K)
            .map(|j| {
                let var = centred(j, j) / nf;
                // A constant feature is left unscaled, as scikit-learn's StandardScaler does.
                if var > 0.0 {
                    var.sqrt()
                } else {
                    1.0
                }
            })
            .collect();
        let m = DMatrix::from_fn(K, K, |a, b| centred(a, b) / (scale[a] * scale[b]) / (nf - 1.0));
        let (values, components) = principal_axes(m);
        let total: f64 = values.iter().sum();
        // All features constant (identical rows): no share of zero variance exists.
        if !(total > 0.0 && total.is_finite()) {
            return Err(AnalysisError::Data(format!(
                "every feature has the same value in all {n} selected incidents: there is no variation for PCA to explain"
            )));
        }
        let ratio: Vec<f64> = values.iter().map(|v| v / total).collect();
        let cumulative: Vec<f64> = ratio
            .iter()
            .scan(0.0, |acc, r| {
                *acc += r;
                Some(*acc)
            })
            .collect();
        let needed = |share: f64| cumulative.iter().position(|&c| c >= share - 1e-12).map_or(K, |i| i + 1);
        Ok(Pca {
            features: PCA_FEATURES.iter().map(|s| s.to_string()).collect(),
            rows: n,
            rows_dropped: dropped,
            mean,
            scale,
            components_for_70: needed(0.7),
            components_for_90: needed(0.9),
            explained_variance_ratio: ratio,
            cumulative,
            components,
        })
    }
}

/// Rows drawn into the PCA scatter, every n-th of the selection. In SVG, 4,000 points held the UI
/// thread for 130–250 ms a draw, and WebGL was no quicker to start in Chromium's software
/// renderer; 2,000 show the same shape within the 100 ms goal.
pub const SCATTER_POINTS: usize = 2_000;

/// What the PCA part of the page shows: the fit, and evenly spread rows on the first three
/// components with what colours them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PcaView {
    pub pca: Pca,
    /// Scores on components 1–3 of the sampled rows.
    pub scores: Vec<[f32; 3]>,
    pub points: crate::reduce::embed::PointInfo,
    /// The temporal pattern of each point and the patterns' names, when the worker holds a
    /// temporal clustering of the same rows.
    #[serde(default)]
    pub pattern: Option<(Vec<String>, Vec<i8>)>,
}

impl Pca {
    /// Scores of `rows` (prepared in `f`) on the first `n` components (at most 3); rows with a
    /// missing feature value are left out, and the rows kept are returned.
    pub fn scores(&self, f: &Features, rows: &[u32]) -> (Vec<[f32; 3]>, Vec<u32>) {
        let idx: Vec<usize> =
            PCA_FEATURES.iter().map(|n| index_of(n).expect("PCA features are catalogued")).collect();
        let mut out = Vec::with_capacity(rows.len());
        let mut kept = Vec::with_capacity(rows.len());
        for &r in rows {
            let v = f.row(r as usize);
            let z: Vec<f64> =
                idx.iter().enumerate().map(|(j, &c)| (v[c] - self.mean[j]) / self.scale[j]).collect();
            if z.iter().all(|x| x.is_finite()) {
                let mut s = [0.0f32; 3];
                for (a, comp) in self.components.iter().take(3).enumerate() {
                    s[a] = comp.iter().zip(&z).map(|(w, x)| w * x).sum::<f64>() as f32;
                }
                out.push(s);
                kept.push(r);
            }
        }
        (out, kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::all_rows;
    use crate::load::{load_bytes, LoadOptions};

    #[test]
    fn ratios_sum_to_one_and_components_are_orthonormal() {
        let csv = crate::demo::generate_csv(3000, 5);
        let t = load_bytes("d", csv.as_bytes(), LoadOptions::default()).unwrap().table;
        let p = Pca::fit(&t, &all_rows(&t)).unwrap();
        assert_eq!(p.features.len(), 20);
        assert!((p.explained_variance_ratio.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(p.explained_variance_ratio.windows(2).all(|w| w[0] >= w[1]));
        assert!(p.components_for_70 <= p.components_for_90 && p.components_for_90 <= 20);
        for a in 0..20 {
            for b in 0..20 {
                let dot: f64 = (0..20).map(|j| p.components[a][j] * p.components[b][j]).sum();
                assert!((dot - if a == b { 1.0 } else { 0.0 }).abs() < 1e-9, "{a}·{b} = {dot}");
            }
        }
        assert!(p.rows > 2900);
        assert_eq!(
            Pca::fit(&t, &[0]).unwrap_err(),
            AnalysisError::Data("PCA needs at least 2 rows with every feature known; 1 have".into())
        );
        // Scores: mean 0 on each component, variance the component's eigenvalue share × 20.
        let rows = all_rows(&t);
        let (s, kept) = p.scores(&Features::prepare(&t, &rows), &rows);
        assert_eq!(s.len() as u64, p.rows);
        assert_eq!(kept.len(), s.len());
        for a in 0..3 {
            let m = s.iter().map(|v| f64::from(v[a])).sum::<f64>() / s.len() as f64;
            let var = s.iter().map(|v| (f64::from(v[a]) - m).powi(2)).sum::<f64>() / (s.len() - 1) as f64;
            assert!(m.abs() < 1e-4, "{a}: {m}");
            assert!((var - 20.0 * p.explained_variance_ratio[a]).abs() < 1e-3, "{a}: {var}");
        }
    }
}
