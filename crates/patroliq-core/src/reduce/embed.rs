//! 2-D maps of a seeded sample of the selection by t-SNE or UMAP, with their trustworthiness.
//!
//! The map is of 20 features ([`MAP_FEATURES`]), standardised over the sample. Density is that of
//! the whole selection (a sampled incident keeps the neighbourhood it really has).
//!
//! Up to [`EXACT_UP_TO`] points the k-NN is exact ([`super::knn`]) and t-SNE's repulsion
//! Barnes–Hut; above, the k-NN is NN-descent's ([`super::nndescent`]) and the repulsion
//! interpolated by FFT ([`super::fft_repulsion`]), as umap-learn and openTSNE do at that size, and
//! t-SNE runs openTSNE's schedule ([`super::tsne`]).
//!
//! Stages and their share of the progress bar: features 0–3 %, k-NN 3–30 %, layout
//! 30–92 %, trustworthiness 92–100 %.

use nalgebra::DMatrix;
use rand::seq::index::sample;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::knn::{knn, trustworthiness, Matrix};
use super::nndescent::NnDescentParams;
use super::tsne::{tsne_by, Repulsion, TsneParams};
use super::umap::{umap, UmapParams};
use crate::cluster::Progress;
use crate::error::AnalysisError;
use crate::features::{index_of, Features};
use crate::model::CrimeTable;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    Tsne,
    #[default]
    Umap,
}

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Method::Tsne => "t-SNE",
            Method::Umap => "UMAP",
        }
    }

    /// NN-descent's settings for this method's graph. UMAP's are pynndescent's. t-SNE's k is
    /// 3·perplexity (90), so the trees alone offer each row 90 candidates a tree and one round of
    /// joins finds nearly all: on the 100,000-row sample the first round changed 5.9 % of the
    /// entries and left a recall of 0.9996 against the graph of every round, the second took 2.4×
    /// as long as the first to change 0.04 % (k-NN 35.6 → 15.0 s). t-SNE weighs its farthest
    /// neighbours least, so its graph stops once a round changes under 10 % (δ = 0.1); a graph the
    /// trees left poor still gets its rounds. And its one round joins ⌈ρ·k⌉ candidates a row (at
    /// most 60): at ρ = 0.5, 45 of its 90 neighbours, 990 pairs a row instead of 1,770; on the
    /// same sample the recall against the exact graph went 0.9995 → 0.9983 and the k-NN 14.3 →
    /// 11.3 s natively.
    fn descent(self, seed: u64) -> NnDescentParams {
        match self {
            Method::Tsne => NnDescentParams { seed, delta: 0.1, rho: 0.5, ..Default::default() },
            Method::Umap => NnDescentParams { seed, ..Default::default() },
        }
    }
}

/// Neighbours the trustworthiness looks at (the k = 10).
pub const TRUST_K: usize = 10;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmbedParams {
    pub method: Method,
    /// Incidents mapped (all of them when the selection is smaller).
    pub sample: usize,
    pub seed: u64,
    pub tsne: TsneParams,
    pub umap: UmapParams,
    /// Query points of the trustworthiness estimate (exact when ≥ the sample).
    pub trust_queries: usize,
    /// The largest sample mapped from the exact k-NN (and, for t-SNE, Barnes–Hut); larger ones
    /// use NN-descent and the FFT repulsion. [`EXACT_UP_TO`] unless a test forces the
    /// approximate paths on a small sample.
    #[serde(default = "exact_up_to")]
    pub exact_up_to: usize,
}

fn exact_up_to() -> usize {
    EXACT_UP_TO
}

/// The largest sample mapped exactly by default: 20,000 points' k-NN takes ~1 s natively (4 ×
/// 10⁸ distances), and every map and reference measured before NN-descent was at most that.
pub const EXACT_UP_TO: usize = 20_000;

impl Default for EmbedParams {
    fn default() -> Self {
        EmbedParams {
            method: Method::Umap,
            sample: 20_000,
            seed: 42,
            tsne: TsneParams::default(),
            umap: UmapParams::default(),
            trust_queries: 2_000,
            exact_up_to: EXACT_UP_TO,
        }
    }
}

/// The largest sample: above [`EXACT_UP_TO`] the k-NN and t-SNE's repulsion are approximate
/// and near linear, so the bound is the layout's time (100,000 points: see docs/performance.md).
pub const MAX_SAMPLE: usize = 100_000;

/// Parameters that passed [`EmbedParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct EmbedValid(EmbedParams);

impl EmbedParams {
    pub fn check(self) -> Result<EmbedValid, AnalysisError> {
        if !(100..=MAX_SAMPLE).contains(&self.sample) {
            let max = crate::fmt::thousands(MAX_SAMPLE as u64);
            return Err(AnalysisError::Param(format!("the sample must be between 100 and {max} incidents")));
        }
        if self.trust_queries == 0 {
            return Err(AnalysisError::Param("trustworthiness needs at least one query point".into()));
        }
        match self.method {
            Method::Tsne => self.tsne.check()?,
            Method::Umap => self.umap.check()?,
        }
        Ok(EmbedValid(self))
    }
}

/// A 2-D map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Embedding {
    pub params: EmbedParams,
    /// Table rows mapped, in the order of `xy`.
    pub rows: Vec<u32>,
    pub xy: Vec<[f32; 2]>,
    /// Incidents in the selection, and sampled ones left out for a missing feature value.
    pub selected: u64,
    pub dropped: u64,
    /// At k = [`TRUST_K`]; `None` when the sample is too small for it.
    pub trustworthiness: Option<f64>,
    /// Query points it was estimated on (= the sample when exact).
    pub trust_queries: usize,
}

/// The crime types with their own colour in the maps; the rest are "Other".
pub const TOP_TYPES: usize = 8;

/// What a point on a map says about its incident (hover text, colours).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PointInfo {
    /// The most frequent types of the points, then "OTHER".
    pub types: Vec<String>,
    /// Index into `types` of each point.
    pub type_of: Vec<u8>,
    pub hour: Vec<u8>,
    /// 0 = Monday.
    pub weekday: Vec<u8>,
    pub district: Vec<u8>,
}

impl PointInfo {
    pub fn of(t: &CrimeTable, rows: &[u32]) -> PointInfo {
        let names = t.primary_type.values();
        let mut counts = vec![0u64; names.len()];
        rows.iter().for_each(|&r| counts[t.primary_type.code(r as usize) as usize] += 1);
        let mut order: Vec<usize> = (0..names.len()).filter(|&c| counts[c] > 0).collect();
        order.sort_by(|&a, &b| counts[b].cmp(&counts[a]).then(names[a].cmp(&names[b])));
        let other = order.len() > TOP_TYPES;
        order.truncate(TOP_TYPES);
        let mut slot = vec![TOP_TYPES as u8; names.len()];
        order.iter().enumerate().for_each(|(i, &c)| slot[c] = i as u8);
        let mut types: Vec<String> = order.iter().map(|&c| names[c].clone()).collect();
        if other {
            types.push("OTHER".into());
        }
        let when = |r: u32| crate::temporal::when(t.date.get(r as usize)).unwrap_or((0, 0, 1));
        PointInfo {
            types,
            type_of: rows.iter().map(|&r| slot[t.primary_type.code(r as usize) as usize]).collect(),
            hour: rows.iter().map(|&r| when(r).0).collect(),
            weekday: rows.iter().map(|&r| when(r).1).collect(),
            district: rows.iter().map(|&r| t.district[r as usize]).collect(),
        }
    }
}

/// A map as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmbedView {
    pub params: EmbedParams,
    pub xy: Vec<[f32; 2]>,
    pub points: PointInfo,
    /// The temporal pattern of each point and the patterns' names, when the worker holds a
    /// temporal clustering of the same rows.
    pub pattern: Option<(Vec<String>, Vec<i8>)>,
    pub selected: u64,
    pub dropped: u64,
    pub trustworthiness: Option<f64>,
    pub trust_queries: usize,
}

/// The features a map is drawn from: numeric, and no exact duplicates (latitude/longitude are
/// x_m/y_m rescaled; codes of categories are left out). They were PCA's too until PCA took the
/// whole catalogue ([`super::pca::CANDIDATES`]); the maps keep them so that their
/// trustworthiness stays comparable with the runs measured before.
pub const MAP_FEATURES: [&str; 20] = [
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

/// A map's sample, ready to be mapped ([`EmbedValid::prepare`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// The standardised features of `rows`, one row each.
    pub x: Matrix,
    /// Table rows sampled with every feature known, in the order of `x`.
    pub rows: Vec<u32>,
    pub selected: u64,
    pub dropped: u64,
}

/// A map of a sample: its points, trustworthiness and the query points it was estimated on.
pub type Mapped = (Vec<[f32; 2]>, Option<f64>, usize);

/// The standardised map features of `rows` (prepared in `f`), rows with a missing value left out.
pub fn standardised(f: &Features, rows: &[u32]) -> (Matrix, Vec<u32>) {
    let idx: Vec<usize> =
        MAP_FEATURES.iter().map(|n| index_of(n).expect("map features are catalogued")).collect();
    let dim = idx.len();
    let mut raw: Vec<f64> = Vec::with_capacity(rows.len() * dim);
    let mut kept = Vec::with_capacity(rows.len());
    for &r in rows {
        let v = f.row(r as usize);
        if idx.iter().all(|&c| v[c].is_finite()) {
            raw.extend(idx.iter().map(|&c| v[c]));
            kept.push(r);
        }
    }
    let n = kept.len().max(1) as f64;
    let mut data = vec![0.0f32; raw.len()];
    for c in 0..dim {
        let mean = raw.iter().skip(c).step_by(dim).sum::<f64>() / n;
        let var = raw.iter().skip(c).step_by(dim).map(|v| (v - mean).powi(2)).sum::<f64>() / n;
        // A constant feature is left unscaled, as scikit-learn's StandardScaler does.
        let sd = if var > 0.0 { var.sqrt() } else { 1.0 };
        for (o, v) in data.iter_mut().skip(c).step_by(dim).zip(raw.iter().skip(c).step_by(dim)) {
            *o = ((v - mean) / sd) as f32;
        }
    }
    (Matrix { dim, data }, kept)
}

/// The first two principal components of `x` (centred), as scikit-learn's `PCA(2)`: the sign of
/// each axis is fixed so that its largest loading is positive.
pub fn pca_2d(x: &Matrix) -> Vec<[f64; 2]> {
    let (n, d) = (x.rows(), x.dim);
    let mut mean = vec![0.0f64; d];
    for i in 0..n {
        x.row(i).iter().zip(&mut mean).for_each(|(&v, m)| *m += f64::from(v));
    }
    mean.iter_mut().for_each(|m| *m /= n.max(1) as f64);
    let mut cov = DMatrix::<f64>::zeros(d, d);
    let mut z = vec![0.0; d];
    for i in 0..n {
        for (c, zc) in z.iter_mut().enumerate() {
            *zc = f64::from(x.row(i)[c]) - mean[c];
        }
        for a in 0..d {
            for b in a..d {
                cov[(a, b)] += z[a] * z[b];
            }
        }
    }
    for a in 0..d {
        for b in 0..a {
            cov[(a, b)] = cov[(b, a)];
        }
    }
    let axes = super::pca::principal_axes(cov).1;
    (0..n)
        .map(|i| {
            let r = x.row(i);
            let p = |a: &[f64]| a.iter().zip(r).zip(&mean).map(|((w, &v), m)| w * (f64::from(v) - m)).sum();
            [p(&axes[0]), axes.get(1).map_or(0.0, |a| p(a))]
        })
        .collect()
}

/// A progress callback mapped onto [lo, hi] of the whole bar.
fn stage<'a>(progress: &'a mut dyn Progress, lo: f64, hi: f64) -> impl FnMut(f64) -> bool + 'a {
    move |d: f64| progress.report(lo + (hi - lo) * d)
}

impl EmbedValid {
    pub fn params(&self) -> &EmbedParams {
        &self.0
    }

    /// Maps a seeded sample of `rows`: [`EmbedValid::prepare`], [`EmbedValid::fit_matrix`] and
    /// [`EmbedValid::finish`] in a row (the worker runs the middle one in a second worker).
    pub fn fit(
        &self,
        t: &CrimeTable,
        rows: &[u32],
        progress: &mut dyn Progress,
    ) -> Result<Embedding, AnalysisError> {
        let prepared = self.prepare(t, rows);
        if !progress.report(0.03) {
            return Err(AnalysisError::Cancelled);
        }
        let mapped = self.fit_matrix(&prepared.x, &mut stage(progress, 0.03, 1.0))?;
        Ok(self.finish(prepared, mapped))
    }

    /// The seeded sample of `rows` as standardised features: everything of a map that needs the
    /// table (0.1 s of 500,000 rows), so that the rest can run where the table is not.
    pub fn prepare(&self, t: &CrimeTable, rows: &[u32]) -> Prepared {
        let p = &self.0;
        let mut picked: Vec<u32> = if rows.len() <= p.sample {
            rows.to_vec()
        } else {
            let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
            sample(&mut rng, rows.len(), p.sample).iter().map(|i| rows[i]).collect()
        };
        picked.sort_unstable();
        let f = Features::prepare(t, rows);
        let (x, kept) = standardised(&f, &picked);
        Prepared { x, selected: rows.len() as u64, dropped: (picked.len() - kept.len()) as u64, rows: kept }
    }

    /// How a map of `n` points computes t-SNE's repulsion.
    fn repulsion(&self, n: usize) -> Repulsion {
        if n > self.0.exact_up_to {
            Repulsion::Fft
        } else {
            Repulsion::BarnesHut
        }
    }

    /// The embedding of a prepared sample and its map, with the parameters it was made with
    /// (t-SNE's iterations the number its schedule runs on this sample, when left to it: always
    /// a number, as the CLI's JSON has always given it).
    pub fn finish(&self, prepared: Prepared, (xy, trust, queries): Mapped) -> Embedding {
        let mut params = self.0.clone();
        params.tsne.iterations = Some(params.tsne.iterations_for(self.repulsion(prepared.rows.len())));
        Embedding {
            params,
            selected: prepared.selected,
            dropped: prepared.dropped,
            rows: prepared.rows,
            xy,
            trustworthiness: trust,
            trust_queries: queries,
        }
    }

    /// Maps the rows of `x` and scores the map: (map, trustworthiness, its query points).
    pub fn fit_matrix(&self, x: &Matrix, progress: &mut dyn Progress) -> Result<Mapped, AnalysisError> {
        let p = &self.0;
        let n = x.rows();
        let k = match p.method {
            Method::Tsne => p.tsne.neighbours(n),
            Method::Umap => p.umap.neighbours(),
        };
        if n < 3 || n <= k {
            return Err(AnalysisError::Data(format!(
                "{n} incidents with every feature known are too few for a {} map (it needs more than {})",
                p.method.name(),
                k.max(2)
            )));
        }
        let approximate = n > p.exact_up_to;
        let nn = if approximate {
            p.method.descent(p.seed).check()?.fit(x, k, &mut stage(progress, 0.0, 0.28))?
        } else {
            knn(x, k, &mut stage(progress, 0.0, 0.28))?
        };
        let start = pca_2d(x);
        let y = match p.method {
            Method::Tsne => {
                // scikit-learn's `init="pca"`: the components scaled to a deviation of 1e-4.
                let m = start.iter().map(|q| q[0]).sum::<f64>() / n as f64;
                let sd = (start.iter().map(|q| (q[0] - m).powi(2)).sum::<f64>() / n as f64).sqrt();
                let s = if sd > 0.0 { 1e-4 / sd } else { 1.0 };
                tsne_by(
                    &nn,
                    start.iter().map(|q| [q[0] * s, q[1] * s]).collect(),
                    &p.tsne,
                    self.repulsion(n),
                    &mut stage(progress, 0.28, 0.92),
                )?
            }
            Method::Umap => {
                // umap-learn rescales any start to 0–10 on each axis.
                let mut init = start;
                for c in 0..2 {
                    let lo = init.iter().map(|q| q[c]).fold(f64::INFINITY, f64::min);
                    let hi = init.iter().map(|q| q[c]).fold(f64::NEG_INFINITY, f64::max);
                    let w = if hi > lo { hi - lo } else { 1.0 };
                    init.iter_mut().for_each(|q| q[c] = 10.0 * (q[c] - lo) / w);
                }
                umap(&nn, init, &p.umap, p.seed, &mut stage(progress, 0.28, 0.92))?
            }
        };
        let y: Vec<[f32; 2]> = y.iter().map(|q| [q[0] as f32, q[1] as f32]).collect();
        let queries: Option<Vec<usize>> = (p.trust_queries < n).then(|| {
            let mut rng = ChaCha8Rng::seed_from_u64(p.seed ^ 0x7275_7374);
            let mut q = sample(&mut rng, n, p.trust_queries).into_vec();
            q.sort_unstable();
            q
        });
        let used = queries.as_ref().map_or(n, Vec::len);
        let trust = match trustworthiness(x, &y, TRUST_K, queries.as_deref(), &mut stage(progress, 0.92, 1.0))
        {
            Ok(t) => Some(t),
            Err(AnalysisError::Cancelled) => return Err(AnalysisError::Cancelled),
            Err(_) => None,
        };
        Ok((y, trust, used))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Silent;
    use crate::features::all_rows;
    use crate::load::{load_bytes, LoadOptions};

    fn demo(n: usize) -> CrimeTable {
        let csv = crate::demo::generate_csv(n, 11);
        load_bytes("d", csv.as_bytes(), LoadOptions::default()).unwrap().table
    }

    #[test]
    fn point_info_keeps_the_top_types_and_lumps_the_rest() {
        let t = demo(2000);
        let rows = all_rows(&t);
        let p = PointInfo::of(&t, &rows);
        assert_eq!(p.types.len(), TOP_TYPES + 1);
        assert_eq!(p.types.last().unwrap(), "OTHER");
        assert_eq!(p.type_of.len(), rows.len());
        let first = p.type_of.iter().filter(|&&c| c == 0).count();
        assert!(p.type_of.iter().all(|&c| (c as usize) <= TOP_TYPES));
        assert!((1..TOP_TYPES as u8).all(|c| p.type_of.iter().filter(|&&x| x == c).count() <= first));
        assert!(p.hour.iter().all(|&h| h < 24) && p.weekday.iter().all(|&d| d < 7));
    }

    #[test]
    fn standardised_columns_have_mean_0_and_deviation_1() {
        let t = demo(500);
        let rows = all_rows(&t);
        let (x, kept) = standardised(&Features::prepare(&t, &rows), &rows);
        assert_eq!(x.dim, 20);
        assert_eq!(x.rows(), kept.len());
        for c in 0..20 {
            let col: Vec<f64> = (0..x.rows()).map(|i| f64::from(x.row(i)[c])).collect();
            let m = col.iter().sum::<f64>() / col.len() as f64;
            let v = col.iter().map(|v| (v - m).powi(2)).sum::<f64>() / col.len() as f64;
            assert!(m.abs() < 1e-5, "{c}: mean {m}");
            assert!((v - 1.0).abs() < 1e-4 || v == 0.0, "{c}: variance {v}");
        }
    }

    #[test]
    fn both_methods_map_a_seeded_sample_reproducibly() {
        let t = demo(1500);
        let rows = all_rows(&t);
        // exact_up_to 0: the approximate k-NN and the FFT repulsion, as above 20,000 points.
        for (method, exact_up_to) in
            [(Method::Tsne, EXACT_UP_TO), (Method::Umap, EXACT_UP_TO), (Method::Tsne, 0), (Method::Umap, 0)]
        {
            let params = EmbedParams {
                method,
                exact_up_to,
                sample: 600,
                tsne: TsneParams { iterations: Some(300), ..Default::default() },
                umap: UmapParams { epochs: Some(60), ..Default::default() },
                ..Default::default()
            };
            let v = params.clone().check().unwrap();
            let a = v.fit(&t, &rows, &mut Silent).unwrap();
            assert_eq!(a.rows.len() + a.dropped as usize, 600);
            assert_eq!(a.xy.len(), a.rows.len());
            assert!(a.rows.windows(2).all(|w| w[0] < w[1]));
            assert!(a.xy.iter().all(|p| p[0].is_finite() && p[1].is_finite()));
            let trust = a.trustworthiness.unwrap();
            assert!(trust > 0.75 && trust <= 1.0, "{method:?}: {trust}");
            assert_eq!(a.trust_queries, a.rows.len());
            assert_eq!(a, v.fit(&t, &rows, &mut Silent).unwrap(), "{method:?}: same seed, same map");
        }
    }

    #[test]
    fn degenerate_inputs_are_errors_and_cancel_stops() {
        let t = demo(300);
        let rows = all_rows(&t);
        assert!(EmbedParams { sample: 10, ..Default::default() }.check().is_err());
        let v = EmbedParams::default().check().unwrap();
        assert!(matches!(v.fit(&t, &rows[..5], &mut Silent), Err(AnalysisError::Data(_))));
        assert!(matches!(v.fit(&t, &[], &mut Silent), Err(AnalysisError::Data(_))));
        let mut stop = |d: f64| d < 0.1;
        assert_eq!(v.fit(&t, &rows, &mut stop).unwrap_err(), AnalysisError::Cancelled);
    }

    #[test]
    fn the_2d_pca_start_follows_the_widest_direction() {
        let data: Vec<f32> = (0..100).flat_map(|i| [i as f32, 0.5 * (i % 3) as f32]).collect();
        let y = pca_2d(&Matrix { dim: 2, data });
        let spread = |c: usize| {
            y.iter().map(|p| p[c]).fold(f64::MIN, f64::max) - y.iter().map(|p| p[c]).fold(f64::MAX, f64::min)
        };
        assert!(spread(0) > 90.0 && spread(1) < 2.0);
    }
}
