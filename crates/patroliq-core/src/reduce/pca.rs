//! PCA of the standardised features of every selected row: the whole catalogue but the features
//! that would mislead it (rescaled copies, category codes) and those constant in the selection,
//! each left-out feature reported with its reason.
//!
//! One streaming pass over the rows (features computed a row at a time, never the whole matrix)
//! gathers the sums and cross products that give the means, standard deviations and the
//! correlation matrix of the standardised values, whose eigen-decomposition (nalgebra's symmetric
//! solver: pure Rust, so it runs in WASM) gives the components. Rows with a missing value in any
//! candidate feature (an unknown arrest flag…) are left out and counted.

use nalgebra::{DMatrix, SymmetricEigen};
use serde::{Deserialize, Serialize};

use crate::error::AnalysisError;
use crate::features::{index_of, Features};
use crate::model::CrimeTable;

/// Why a feature of the catalogue is not among a PCA's features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A rescaled copy of another feature: standardised, the two are the same column, and the
    /// axis would count twice.
    Duplicate,
    /// A category's code: its numbers name categories, they do not measure anything, so a
    /// variance of them means nothing.
    Category,
    /// The same value in every selected row: no variance to explain, and no scale to standardise by.
    Constant,
}

/// A catalogue feature a PCA leaves out, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeftOut {
    pub feature: String,
    pub reason: Reason,
    /// The reason in words, e.g. "y_m in degrees".
    pub note: String,
}

/// Catalogue features PCA never takes (see [`Reason`]), with the reason in words.
pub const NEVER: [(&str, Reason, &str); 11] = [
    ("latitude", Reason::Duplicate, "y_m in degrees"),
    ("longitude", Reason::Duplicate, "x_m in degrees"),
    ("x_norm", Reason::Duplicate, "x_m scaled to 0–1"),
    ("y_norm", Reason::Duplicate, "y_m scaled to 0–1"),
    ("district", Reason::Category, "the code of a police district"),
    ("beat", Reason::Category, "the code of a police beat"),
    ("ward", Reason::Category, "the number of a council ward"),
    ("community_area", Reason::Category, "the number of a community area"),
    ("crime_type", Reason::Category, "a crime type coded by frequency"),
    ("location_group", Reason::Category, "a location group's code"),
    ("fbi_code", Reason::Category, "an FBI code coded by frequency"),
];

/// The features PCA takes unless constant in the selection: the catalogue but [`NEVER`], in
/// catalogue order.
pub const CANDIDATES: [&str; 22] = [
    "hour",
    "weekday",
    "month",
    "day_of_year",
    "season",
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
    /// The features analysed, in catalogue order; every per-feature field follows this order.
    pub features: Vec<String>,
    /// The catalogue's other features, in catalogue order, each with why it was left out.
    #[serde(default)]
    pub left_out: Vec<LeftOut>,
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

/// Running sums of the candidate features (shifted by the first complete row) and their cross products.
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
        const K: usize = CANDIDATES.len();
        let idx = candidate_columns();
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
        let mean_of = |j: usize| sh[j] + s1[j] / nf;
        // Differences from the first complete row are exactly 0 for a constant feature, so its
        // variance is exactly 0, not rounding noise.
        let (live, constant): (Vec<usize>, Vec<usize>) = (0..K).partition(|&j| centred(j, j) > 0.0);
        if live.is_empty() {
            return Err(AnalysisError::Data(format!(
                "every feature has the same value in all {n} selected incidents: there is no variation for PCA to explain"
            )));
        }
        let mean: Vec<f64> = live.iter().map(|&j| mean_of(j)).collect();
        let scale: Vec<f64> = live.iter().map(|&j| (centred(j, j) / nf).sqrt()).collect();
        let l = live.len();
        let m = DMatrix::from_fn(l, l, |a, b| centred(live[a], live[b]) / (scale[a] * scale[b]) / (nf - 1.0));
        let (values, components) = principal_axes(m);
        let total: f64 = values.iter().sum();
        let ratio: Vec<f64> = values.iter().map(|v| v / total).collect();
        let cumulative: Vec<f64> = ratio
            .iter()
            .scan(0.0, |acc, r| {
                *acc += r;
                Some(*acc)
            })
            .collect();
        let needed = |share: f64| cumulative.iter().position(|&c| c >= share - 1e-12).map_or(l, |i| i + 1);
        let constant = constant.iter().map(|&j| LeftOut {
            feature: CANDIDATES[j].into(),
            reason: Reason::Constant,
            // Rounded: a constant sine reads 0.5, not 0.49999999999999994.
            note: format!("{} in every row analysed", (mean_of(j) * 1e6).round() / 1e6),
        });
        let never = NEVER.iter().map(|&(feature, reason, note)| LeftOut {
            feature: feature.into(),
            reason,
            note: note.into(),
        });
        let mut left_out: Vec<LeftOut> = never.chain(constant).collect();
        left_out.sort_by_key(|x| index_of(&x.feature));
        Ok(Pca {
            features: live.iter().map(|&j| CANDIDATES[j].to_string()).collect(),
            left_out,
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

/// The catalogue columns of [`CANDIDATES`].
fn candidate_columns() -> [usize; CANDIDATES.len()] {
    std::array::from_fn(|j| index_of(CANDIDATES[j]).expect("PCA candidates are catalogued"))
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
    /// missing candidate value are left out, as in the fit, and the rows kept are returned.
    pub fn scores(&self, f: &Features, rows: &[u32]) -> (Vec<[f32; 3]>, Vec<u32>) {
        // The rows the fit used: every candidate known, the constant ones too.
        let known = candidate_columns();
        let idx: Vec<usize> =
            self.features.iter().map(|n| index_of(n).expect("PCA features are catalogued")).collect();
        let mut out = Vec::with_capacity(rows.len());
        let mut kept = Vec::with_capacity(rows.len());
        for &r in rows {
            let v = f.row(r as usize);
            if known.iter().all(|&c| v[c].is_finite()) {
                let z: Vec<f64> =
                    idx.iter().enumerate().map(|(j, &c)| (v[c] - self.mean[j]) / self.scale[j]).collect();
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
    use crate::features::{all_rows, CATALOGUE};
    use crate::load::{load_bytes, LoadOptions};

    #[test]
    fn every_catalogue_feature_is_a_candidate_or_never_taken_with_a_reason() {
        let never: Vec<&str> = NEVER.iter().map(|n| n.0).collect();
        let rest: Vec<&str> = CATALOGUE.iter().map(|s| s.name).filter(|n| !never.contains(n)).collect();
        assert_eq!(rest, CANDIDATES, "the candidates are the catalogue but NEVER, in its order");
        assert_eq!(never.len() + CANDIDATES.len(), CATALOGUE.len());
    }

    #[test]
    fn ratios_sum_to_one_and_components_are_orthonormal() {
        let csv = crate::demo::generate_csv(3000, 5);
        let t = load_bytes("d", csv.as_bytes(), LoadOptions::default()).unwrap().table;
        let p = Pca::fit(&t, &all_rows(&t)).unwrap();
        // Two years of incidents: no candidate is constant, and the rest are left out as NEVER says.
        let k = p.features.len();
        assert_eq!(p.features, CANDIDATES);
        assert_eq!(p.left_out.iter().map(|x| x.feature.as_str()).collect::<Vec<_>>(), NEVER.map(|n| n.0));
        assert!((p.explained_variance_ratio.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(p.explained_variance_ratio.windows(2).all(|w| w[0] >= w[1]));
        assert!(p.components_for_70 <= p.components_for_90 && p.components_for_90 <= k);
        for a in 0..k {
            for b in 0..k {
                let dot: f64 = (0..k).map(|j| p.components[a][j] * p.components[b][j]).sum();
                assert!((dot - if a == b { 1.0 } else { 0.0 }).abs() < 1e-9, "{a}·{b} = {dot}");
            }
        }
        assert!(p.rows > 2900);
        assert_eq!(
            Pca::fit(&t, &[0]).unwrap_err(),
            AnalysisError::Data("PCA needs at least 2 rows with every feature known; 1 have".into())
        );
        // Scores: mean 0 on each component, variance the component's eigenvalue: its share of the
        // trace, k · n/(n − 1) (each feature is scaled by its population deviation).
        let total = k as f64 * p.rows as f64 / (p.rows - 1) as f64;
        let rows = all_rows(&t);
        let (s, kept) = p.scores(&Features::prepare(&t, &rows), &rows);
        assert_eq!(s.len() as u64, p.rows);
        assert_eq!(kept.len(), s.len());
        for a in 0..3 {
            let m = s.iter().map(|v| f64::from(v[a])).sum::<f64>() / s.len() as f64;
            let var = s.iter().map(|v| (f64::from(v[a]) - m).powi(2)).sum::<f64>() / (s.len() - 1) as f64;
            assert!(m.abs() < 1e-4, "{a}: {m}");
            assert!((var - total * p.explained_variance_ratio[a]).abs() < 1e-3, "{a}: {var}");
        }
    }

    #[test]
    fn features_constant_in_the_selection_are_left_out_and_said_so() {
        let csv = crate::demo::generate_csv(3000, 5);
        let t = load_bytes("d", csv.as_bytes(), LoadOptions::default()).unwrap().table;
        // One calendar month: month, its sine and cosine, and the season do not vary.
        let month = index_of("month").unwrap();
        let f = Features::prepare(&t, &all_rows(&t));
        let first = f.row(0)[month];
        let rows: Vec<u32> =
            all_rows(&t).into_iter().filter(|&r| f.row(r as usize)[month] == first).collect();
        let p = Pca::fit(&t, &rows).unwrap();
        let constant: Vec<&str> =
            p.left_out.iter().filter(|x| x.reason == Reason::Constant).map(|x| x.feature.as_str()).collect();
        for name in ["month", "season", "month_sin", "month_cos"] {
            assert!(constant.contains(&name), "{name} is constant in {constant:?}");
            assert!(!p.features.iter().any(|f| f == name), "{name} is not analysed");
        }
        let m = p.left_out.iter().find(|x| x.feature == "month").unwrap();
        assert_eq!(m.note, format!("{first} in every row analysed"));
        assert_eq!(p.features.len() + p.left_out.len(), CATALOGUE.len());
        assert_eq!(p.components.len(), p.features.len());
        assert!(p.components.iter().all(|c| c.len() == p.features.len()));
        let (s, _) = p.scores(&Features::prepare(&t, &rows), &rows);
        assert_eq!(s.len() as u64, p.rows);
    }
}
