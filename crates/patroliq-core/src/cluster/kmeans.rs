//! K-Means: Lloyd's algorithm from k-means++ seeds, best of several restarts; and the k sweep
//! (inertia for the elbow, sampled silhouette) that helps choose k.
//!
//! The iteration follows scikit-learn's `lloyd` exactly (stop when the labels no longer change or
//! the centres move less than `tol` × the mean variance of the data; relabel with the final
//! centres), so that from the same initial centres both give the same assignments. Hamerly's
//! bounds ([`Bounds`]) spare the scans of the centres that cannot change a point's label; they
//! change the work, not the result.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::locations::Locations;
use super::{dist2, metrics, Points, Progress};
use crate::error::AnalysisError;
use crate::float::smaller;

/// What the user sets. Defaults: k = 9, 4 restarts, 300 iterations, tol 1e-4, seed 42.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KMeansParams {
    pub k: usize,
    pub n_init: usize,
    pub max_iter: usize,
    pub tol: f64,
    pub seed: u64,
    /// Start from these centres instead of k-means++ (one run); used to compare with scikit-learn.
    #[serde(default)]
    pub init: Option<Vec<Vec<f64>>>,
}

impl Default for KMeansParams {
    fn default() -> Self {
        KMeansParams { k: 9, n_init: 4, max_iter: 300, tol: 1e-4, seed: 42, init: None }
    }
}

/// Parameters that passed [`KMeansParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansValid(KMeansParams);

impl KMeansParams {
    pub fn check(self) -> Result<KMeansValid, AnalysisError> {
        let bad = |m: &str| Err(AnalysisError::Param(m.into()));
        if !(1..=200).contains(&self.k) {
            return bad("k must be between 1 and 200");
        }
        if self.n_init == 0 || self.max_iter == 0 {
            return bad("restarts and iterations must be at least 1");
        }
        if !(self.tol >= 0.0 && self.tol.is_finite()) {
            return bad("tol must be a number ≥ 0");
        }
        if let Some(init) = &self.init {
            let dim = init.first().map_or(0, Vec::len);
            if init.len() != self.k
                || init.iter().any(|c| c.len() != dim)
                || init.iter().flatten().any(|v| !v.is_finite())
            {
                return bad("initial centres must be k finite points");
            }
        }
        Ok(KMeansValid(self))
    }
}

/// A fitted K-Means.
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansModel<const D: usize = 2> {
    pub centres: Vec<[f64; D]>,
    /// Cluster of each point, 0..k.
    pub labels: Vec<i32>,
    /// Sum of squared distances to the assigned centre (m²).
    pub inertia: f64,
    /// Iterations of the best run.
    pub n_iter: usize,
}

/// Nearest centre (the first on ties, as `argmin` does) and its squared distance.
#[inline]
fn nearest<const D: usize>(p: [f64; D], centres: &[[f64; D]]) -> (usize, f64) {
    let mut best = (0, f64::INFINITY);
    for (j, &c) in centres.iter().enumerate() {
        let d = dist2(p, c);
        if d < best.1 {
            best = (j, d);
        }
    }
    best
}

/// Weight of point `i`: 1 unless weights are given (a weighted point stands for that many
/// identical incidents).
#[inline]
fn weight(w: Option<&[f64]>, i: usize) -> f64 {
    w.map_or(1.0, |w| w[i])
}

/// Index of the first cumulative sum reaching `r`.
fn draw(cumulative: &[f64], r: f64) -> usize {
    cumulative.partition_point(|&c| c < r).min(cumulative.len() - 1)
}

// The passes over every point below are functions of their own, never inlined, on purpose: V8
// first runs WebAssembly in its baseline compiler and optimises a function only for the calls
// after it has been hot, and inside the one long call of a fit they stayed in the baseline tier.

/// Σ w·min(closest, d²(·, cand)): the potential if `cand` became a centre.
#[inline(never)]
fn potential_with<const D: usize>(
    xy: &[[f64; D]],
    w: Option<&[f64]>,
    closest: &[f64],
    cand: [f64; D],
) -> f64 {
    xy.iter().zip(closest).enumerate().map(|(i, (&p, &d))| weight(w, i) * smaller(d, dist2(p, cand))).sum()
}

/// Hamerly's bounds (Hamerly 2010) on each point's distances: `upper` at least the distance to
/// its centre, `lower` at most the distance to any other. A point whose upper bound is below
/// both its lower bound and half the distance from its centre to the nearest other centre keeps
/// its centre without a scan of the k centres; after the first iterations most points do. The
/// labels, sums and centres stay Lloyd's own (tested): a point is skipped only when its centre is
/// nearest by a margin far above rounding, and the sums are taken afresh in point order.
struct Bounds {
    upper: Vec<f64>,
    lower: Vec<f64>,
}

impl Bounds {
    fn new(n: usize) -> Bounds {
        Bounds { upper: vec![f64::INFINITY; n], lower: vec![0.0; n] }
    }

    /// After the centres moved by `drift` (distances): the bounds loosen by as much.
    fn moved(&mut self, labels: &[i32], drift: &[f64]) {
        let (mut first, mut second, mut top) = (0.0f64, 0.0f64, usize::MAX);
        for (j, &d) in drift.iter().enumerate() {
            if d > first {
                (second, first, top) = (first, d, j);
            } else if d > second {
                second = d;
            }
        }
        for ((u, l), &a) in self.upper.iter_mut().zip(&mut self.lower).zip(labels) {
            *u += drift[a as usize];
            *l -= if a as usize == top { second } else { first };
        }
    }
}

/// Whether `u` is below `m` by more than rounding could account for.
#[inline]
fn clearly_below(u: f64, m: f64) -> bool {
    u + 1e-9 * (u.abs() + m.abs()) + 1e-12 < m
}

/// Nearest centre as [`nearest`] picks it (the same label on ties), its squared distance and the
/// squared distance to the second nearest.
#[inline]
fn nearest_two<const D: usize>(p: [f64; D], centres: &[[f64; D]]) -> (usize, f64, f64) {
    let (mut best, mut d1, mut d2) = (0, f64::INFINITY, f64::INFINITY);
    for (j, &c) in centres.iter().enumerate() {
        let d = dist2(p, c);
        if d < d1 {
            (best, d2, d1) = (j, d1, d);
        } else if d < d2 {
            d2 = d;
        }
    }
    (best, d1, d2)
}

/// One assignment pass of Lloyd's: each point to its nearest centre, with the weighted sums and
/// counts of each cluster; whether any label changed. `half_gap[j]` is half the distance from
/// centre j to its nearest other centre.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn assign<const D: usize>(
    xy: &[[f64; D]],
    w: Option<&[f64]>,
    centres: &[[f64; D]],
    half_gap: &[f64],
    bounds: &mut Bounds,
    labels: &mut [i32],
    sums: &mut [[f64; D]],
    counts: &mut [f64],
) -> bool {
    let mut changed = false;
    for (i, &p) in xy.iter().enumerate() {
        let mut j = labels[i];
        let (u, l) = (&mut bounds.upper[i], &mut bounds.lower[i]);
        let keep = j >= 0 && {
            let m = l.max(half_gap[j as usize]);
            clearly_below(*u, m) || {
                *u = dist2(p, centres[j as usize]).sqrt();
                clearly_below(*u, m)
            }
        };
        if !keep {
            let (best, d1, d2) = nearest_two(p, centres);
            (*u, *l) = (d1.sqrt(), d2.sqrt());
            if j != best as i32 {
                changed = true;
                j = best as i32;
                labels[i] = j;
            }
        }
        let (j, wi) = (j as usize, weight(w, i));
        sums[j].iter_mut().zip(p).for_each(|(s, v)| *s += wi * v);
        counts[j] += wi;
    }
    changed
}

/// Half the distance from each centre to its nearest other.
fn half_gaps<const D: usize>(centres: &[[f64; D]]) -> Vec<f64> {
    (0..centres.len())
        .map(|j| {
            let near = (0..centres.len())
                .filter(|&o| o != j)
                .map(|o| dist2(centres[j], centres[o]))
                .fold(f64::INFINITY, f64::min);
            near.sqrt() / 2.0
        })
        .collect()
}

/// k-means++ seeding, greedy like scikit-learn's: each new centre is the best (lowest potential)
/// of 2 + ln k candidates drawn proportionally to weight × squared distance to the nearest centre.
fn plus_plus<const D: usize>(
    xy: &[[f64; D]],
    w: Option<&[f64]>,
    k: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<[f64; D]> {
    let n = xy.len();
    let trials = 2 + (k as f64).ln() as usize;
    // Cumulative sums for drawing by weight; rebuilt once per centre.
    let mut cumulative = vec![0.0; n];
    let fill = |cumulative: &mut [f64], f: &dyn Fn(usize) -> f64| {
        let mut acc = 0.0;
        for (i, c) in cumulative.iter_mut().enumerate() {
            acc += f(i);
            *c = acc;
        }
        acc
    };
    // Indices drawn as u64: `usize` ranges draw differently on 32-bit WASM and 64-bit native.
    let first = match w {
        None => rng.gen_range(0..n as u64) as usize,
        Some(_) => {
            let total = fill(&mut cumulative, &|i| weight(w, i));
            draw(&cumulative, rng.gen::<f64>() * total)
        }
    };
    let mut centres = vec![xy[first]];
    let mut closest: Vec<f64> = xy.iter().map(|&p| dist2(p, centres[0])).collect();
    let mut potential: f64 = closest.iter().enumerate().map(|(i, d)| weight(w, i) * d).sum();
    while centres.len() < k {
        fill(&mut cumulative, &|i| weight(w, i) * closest[i]);
        let mut best: Option<(f64, usize)> = None;
        for _ in 0..trials {
            let pick = if potential > 0.0 {
                draw(&cumulative, rng.gen::<f64>() * potential)
            } else {
                rng.gen_range(0..n as u64) as usize
            };
            let cand = xy[pick];
            let pot = potential_with(xy, w, &closest, cand);
            if best.is_none_or(|(b, _)| pot < b) {
                best = Some((pot, pick));
            }
        }
        let (pot, pick) = best.expect("at least one trial");
        let c = xy[pick];
        for (d, &p) in closest.iter_mut().zip(xy) {
            *d = smaller(*d, dist2(p, c));
        }
        potential = pot;
        centres.push(c);
    }
    centres
}

/// Lloyd iterations from `centres`. `tick` is called once per iteration (false = cancel).
fn lloyd<const D: usize>(
    xy: &[[f64; D]],
    w: Option<&[f64]>,
    mut centres: Vec<[f64; D]>,
    max_iter: usize,
    tol: f64,
    tick: &mut dyn FnMut() -> bool,
) -> Result<KMeansModel<D>, AnalysisError> {
    let k = centres.len();
    let mut labels = vec![-1i32; xy.len()];
    let mut bounds = Bounds::new(xy.len());
    let mut strict = false;
    let mut n_iter = 0;
    for _ in 0..max_iter {
        n_iter += 1;
        let mut sums = vec![[0.0f64; D]; k];
        let mut counts = vec![0.0f64; k];
        let gaps = half_gaps(&centres);
        let changed = assign(xy, w, &centres, &gaps, &mut bounds, &mut labels, &mut sums, &mut counts);
        relocate_empty(xy, w, &centres, &labels, &mut sums, &mut counts);
        let (shift, drift) = move_centres(&mut centres, &sums, &counts);
        bounds.moved(&labels, &drift);
        if !tick() {
            return Err(AnalysisError::Cancelled);
        }
        if !changed {
            strict = true;
            break;
        }
        if shift <= tol {
            break;
        }
    }
    Ok(finish(xy, w, centres, labels, strict, n_iter))
}

/// An empty cluster takes the point farthest from its centre (as scikit-learn relocates).
fn relocate_empty<const D: usize>(
    xy: &[[f64; D]],
    w: Option<&[f64]>,
    centres: &[[f64; D]],
    labels: &[i32],
    sums: &mut [[f64; D]],
    counts: &mut [f64],
) {
    let empty: Vec<usize> = (0..centres.len()).filter(|&j| counts[j] == 0.0).collect();
    if empty.is_empty() {
        return;
    }
    let mut far: Vec<(f64, usize)> =
        xy.iter().enumerate().map(|(i, &p)| (dist2(p, centres[labels[i] as usize]), i)).collect();
    far.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (&j, &(_, i)) in empty.iter().zip(&far) {
        let (from, wi) = (labels[i] as usize, weight(w, i));
        sums[from].iter_mut().zip(xy[i]).for_each(|(s, v)| *s -= wi * v);
        counts[from] -= wi;
        sums[j] = xy[i].map(|v| wi * v);
        counts[j] = wi;
    }
}

/// Each non-empty cluster's centre to the mean of its points: the sum of the squared moves
/// (scikit-learn's shift) and each centre's move (the bounds' drift).
fn move_centres<const D: usize>(
    centres: &mut [[f64; D]],
    sums: &[[f64; D]],
    counts: &[f64],
) -> (f64, Vec<f64>) {
    let (mut shift, mut drift) = (0.0, vec![0.0; centres.len()]);
    for (j, centre) in centres.iter_mut().enumerate() {
        if counts[j] > 0.0 {
            let c = sums[j].map(|v| v / counts[j]);
            let d = dist2(c, *centre);
            (shift, drift[j]) = (shift + d, d.sqrt());
            *centre = c;
        }
    }
    (shift, drift)
}

/// The model: unless the labels were stable (`strict`), each point relabelled with the final
/// centres, as scikit-learn does; and the inertia.
fn finish<const D: usize>(
    xy: &[[f64; D]],
    w: Option<&[f64]>,
    centres: Vec<[f64; D]>,
    mut labels: Vec<i32>,
    strict: bool,
    n_iter: usize,
) -> KMeansModel<D> {
    if !strict {
        for (l, &p) in labels.iter_mut().zip(xy) {
            *l = nearest(p, &centres).0 as i32;
        }
    }
    let inertia = labels
        .iter()
        .zip(xy)
        .enumerate()
        .map(|(i, (&l, &p))| weight(w, i) * dist2(p, centres[l as usize]))
        .sum();
    KMeansModel { centres, labels, inertia, n_iter }
}

/// scikit-learn's tolerance: `tol` × the mean of the per-axis variances.
fn absolute_tol<const D: usize>(xy: &[[f64; D]], w: Option<&[f64]>, tol: f64) -> f64 {
    let n: f64 = (0..xy.len()).map(|i| weight(w, i)).sum();
    let var = |a: usize| {
        let m = xy.iter().enumerate().map(|(i, p)| weight(w, i) * p[a]).sum::<f64>() / n;
        xy.iter().enumerate().map(|(i, p)| weight(w, i) * (p[a] - m).powi(2)).sum::<f64>() / n
    };
    tol * (0..D).map(var).sum::<f64>() / D as f64
}

impl KMeansValid {
    pub fn params(&self) -> &KMeansParams {
        &self.0
    }

    /// Fits on `points`; progress runs over restarts × iterations (iterations bounded by
    /// `max_iter`, so the bar moves fast at first and jumps at convergence).
    ///
    /// The portal's coordinates are block-level: rows share places (the whole history's 8.2 M
    /// rows sit on 0.40 M). Each place is fitted once, weighted by its rows — scikit-learn's
    /// `sample_weight`, the same k-means++ distribution and Lloyd steps as on every row — and its
    /// rows take its label: a twentieth of the work at that size.
    pub fn fit(&self, points: &Points, progress: &mut dyn Progress) -> Result<KMeansModel, AnalysisError> {
        self.fit_places(points, &Locations::of(&points.xy), progress)
    }

    /// [`Self::fit`] with the places of `points` already grouped (the sweep groups once for
    /// all its k).
    fn fit_places(
        &self,
        points: &Points,
        places: &Locations,
        progress: &mut dyn Progress,
    ) -> Result<KMeansModel, AnalysisError> {
        if places.len() == points.len() || places.len() < self.0.k {
            return self.fit_nd(&points.xy, progress);
        }
        let w: Vec<f64> = places.weight.iter().map(|&c| f64::from(c)).collect();
        let m = self.fit_weighted(&places.xy, Some(&w), progress)?;
        let mut labels = vec![0i32; points.len()];
        for (l, &label) in m.labels.iter().enumerate() {
            places.rows_at(l).iter().for_each(|&r| labels[r as usize] = label);
        }
        Ok(KMeansModel { labels, ..m })
    }

    /// The same on points of any dimension.
    pub fn fit_nd<const D: usize>(
        &self,
        xy: &[[f64; D]],
        progress: &mut dyn Progress,
    ) -> Result<KMeansModel<D>, AnalysisError> {
        self.fit_weighted(xy, None, progress)
    }

    /// On weighted points: a point of weight w counts as w identical points (scikit-learn's
    /// `sample_weight`). Temporal patterns cluster the ≤ 2,016 distinct (hour, weekday, month)
    /// cells weighted by their incidents, the same result as every incident at 1/250 of the work.
    pub fn fit_weighted<const D: usize>(
        &self,
        xy: &[[f64; D]],
        w: Option<&[f64]>,
        progress: &mut dyn Progress,
    ) -> Result<KMeansModel<D>, AnalysisError> {
        let p = &self.0;
        if w.is_some_and(|w| w.len() != xy.len() || w.iter().any(|&v| !(v > 0.0 && v.is_finite()))) {
            return Err(AnalysisError::Param("weights must be one positive number per point".into()));
        }
        let init: Option<Vec<[f64; D]>> = match &p.init {
            None => None,
            Some(c) => {
                Some(c.iter().map(|v| <[f64; D]>::try_from(v.as_slice())).collect::<Result<_, _>>().map_err(
                    |_| AnalysisError::Param(format!("initial centres must have {D} coordinates")),
                )?)
            }
        };
        if xy.len() < p.k {
            return Err(AnalysisError::Data(format!("{} points cannot make {} clusters", xy.len(), p.k)));
        }
        let tol = absolute_tol(xy, w, p.tol);
        let runs = if p.init.is_some() { 1 } else { p.n_init };
        let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
        let mut best: Option<KMeansModel<D>> = None;
        for run in 0..runs {
            let start = match &init {
                Some(c) => c.clone(),
                None => plus_plus(xy, w, p.k, &mut rng),
            };
            let mut it = 0usize;
            let mut tick = || {
                it += 1;
                progress.report((run as f64 + (it as f64 / p.max_iter as f64).min(1.0)) / runs as f64)
            };
            let model = lloyd(xy, w, start, p.max_iter, tol, &mut tick)?;
            if best.as_ref().is_none_or(|b| model.inertia < b.inertia) {
                best = Some(model);
            }
        }
        Ok(best.expect("at least one run"))
    }
}

/// One k of the sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    pub k: usize,
    pub inertia: f64,
    /// On the documented sample (see [`metrics::SilhouetteSample`]).
    pub silhouette: Option<f64>,
}

/// K-Means for each k in `ks` (one k-means++ run each, same seed), with inertia for the elbow and
/// the sampled silhouette.
pub fn sweep(
    points: &Points,
    ks: std::ops::RangeInclusive<usize>,
    seed: u64,
    sample: &metrics::SilhouetteSample,
    progress: &mut dyn Progress,
) -> Result<Vec<SweepPoint>, AnalysisError> {
    sample.check()?;
    let ks: Vec<usize> = ks.collect();
    let places = Locations::of(&points.xy);
    let mut out = Vec::new();
    for (i, &k) in ks.iter().enumerate() {
        let params = KMeansParams { k, n_init: 1, seed, ..KMeansParams::default() }.check()?;
        let n = ks.len() as f64;
        let mut inner = |d: f64| progress.report((i as f64 + d) / n);
        let m = params.fit_places(points, &places, &mut inner)?;
        out.push(SweepPoint { k, inertia: m.inertia, silhouette: sample.score(points, &m.labels) });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::Silent;
    use super::*;

    /// Three well-separated blobs of 50 points each.
    fn blobs() -> Points {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let centres = [[0.0, 0.0], [5000.0, 0.0], [0.0, 5000.0]];
        let xy = (0..150)
            .map(|i| {
                let c = centres[i % 3];
                [c[0] + rng.gen_range(-300.0..300.0), c[1] + rng.gen_range(-300.0..300.0)]
            })
            .collect();
        Points { xy }
    }

    #[test]
    fn finds_separated_blobs_whatever_the_seed() {
        let pts = blobs();
        for seed in 0..5 {
            let m = KMeansParams { k: 3, seed, ..Default::default() }
                .check()
                .unwrap()
                .fit(&pts, &mut Silent)
                .unwrap();
            // Every point is with the others of its blob.
            for i in 3..pts.len() {
                assert_eq!(m.labels[i], m.labels[i % 3], "seed {seed} point {i}");
            }
            let mut c = m.centres.clone();
            c.sort_by(|a, b| a.partial_cmp(b).unwrap());
            assert!(dist2(c[0], [0.0, 0.0]) < 200.0f64.powi(2));
        }
    }

    /// Lloyd's iteration as it was before the bounds: every point against every centre. The
    /// steps after the assignment are [`lloyd`]'s own, so what is compared is the assignment.
    fn plain_lloyd(xy: &[[f64; 2]], w: Option<&[f64]>, mut centres: Vec<[f64; 2]>, tol: f64) -> KMeansModel {
        let k = centres.len();
        let mut labels = vec![-1i32; xy.len()];
        let mut n_iter = 0;
        let mut strict = false;
        for _ in 0..300 {
            n_iter += 1;
            let (mut sums, mut counts, mut changed) = (vec![[0.0; 2]; k], vec![0.0; k], false);
            for (i, &p) in xy.iter().enumerate() {
                let (j, _) = nearest(p, &centres);
                changed |= labels[i] != j as i32;
                labels[i] = j as i32;
                sums[j] = [sums[j][0] + weight(w, i) * p[0], sums[j][1] + weight(w, i) * p[1]];
                counts[j] += weight(w, i);
            }
            relocate_empty(xy, w, &centres, &labels, &mut sums, &mut counts);
            let (shift, _) = move_centres(&mut centres, &sums, &counts);
            if !changed {
                strict = true;
                break;
            }
            if shift <= tol {
                break;
            }
        }
        finish(xy, w, centres, labels, strict, n_iter)
    }

    #[test]
    fn the_bounds_skip_scans_but_not_lloyds_result() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        // Overlapping clumps on a city's scale, with duplicates (block-level geocoding) and
        // exact ties between centres.
        let mut xy: Vec<[f64; 2]> = (0..6000)
            .map(|i| {
                let c = [(i % 13) as f64 * 900.0, (i % 7) as f64 * 1400.0];
                [
                    (c[0] + rng.gen_range(-1500.0f64..1500.0)).round(),
                    (c[1] + rng.gen_range(-1500.0f64..1500.0)).round(),
                ]
            })
            .collect();
        xy.extend([[0.0, 0.0], [2.0, 0.0], [1.0, 0.0], [1.0, 0.0]]);
        let w: Vec<f64> = (0..xy.len()).map(|i| 1.0 + (i % 5) as f64).collect();
        for (k, seed) in [(2, 1), (9, 2), (25, 3), (60, 4)] {
            for weights in [None, Some(w.as_slice())] {
                let start = plus_plus(&xy, weights, k, &mut ChaCha8Rng::seed_from_u64(seed));
                let tol = absolute_tol(&xy, weights, 1e-4);
                let want = plain_lloyd(&xy, weights, start.clone(), tol);
                for tol in [tol, 0.0] {
                    let want =
                        if tol == 0.0 { plain_lloyd(&xy, weights, start.clone(), 0.0) } else { want.clone() };
                    let got = lloyd(&xy, weights, start.clone(), 300, tol, &mut || true).unwrap();
                    assert_eq!(got, want, "k {k}, weighted {}, tol {tol}", weights.is_some());
                }
            }
        }
        // Ties: the point at 1 is as near to 0 as to 2; both take the first centre.
        let tie = [[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]];
        let got = lloyd(&tie, None, vec![[0.0, 0.0], [2.0, 0.0]], 300, 0.0, &mut || true).unwrap();
        assert_eq!(got, plain_lloyd(&tie, None, vec![[0.0, 0.0], [2.0, 0.0]], 0.0));
    }

    #[test]
    fn bad_parameters_are_errors_not_panics() {
        assert!(KMeansParams { k: 0, ..Default::default() }.check().is_err());
        assert!(KMeansParams { tol: f64::NAN, ..Default::default() }.check().is_err());
        assert!(KMeansParams { k: 2, init: Some(vec![vec![0.0, 0.0]]), ..Default::default() }
            .check()
            .is_err());
        let wrong_dim = KMeansParams { k: 1, init: Some(vec![vec![0.0; 3]]), ..Default::default() };
        let pts = Points { xy: vec![[0.0, 0.0]; 3] };
        assert!(matches!(wrong_dim.check().unwrap().fit(&pts, &mut Silent), Err(AnalysisError::Param(_))));
        let few = Points { xy: vec![[0.0, 0.0]; 3] };
        let err = KMeansParams::default().check().unwrap().fit(&few, &mut Silent).unwrap_err();
        assert!(matches!(err, AnalysisError::Data(_)));
    }

    #[test]
    fn identical_points_and_an_empty_cluster_do_not_break_it() {
        let pts = Points { xy: vec![[1.0, 1.0]; 10] };
        let m = KMeansParams { k: 3, ..Default::default() }.check().unwrap().fit(&pts, &mut Silent).unwrap();
        assert_eq!(m.inertia, 0.0);
        assert!(m.labels.iter().all(|&l| (0..3).contains(&l)));
    }

    #[test]
    fn cancel_stops_the_fit() {
        let pts = blobs();
        let mut calls = 0;
        let mut stop = |_: f64| {
            calls += 1;
            false
        };
        let err =
            KMeansParams { k: 3, ..Default::default() }.check().unwrap().fit(&pts, &mut stop).unwrap_err();
        assert_eq!(err, AnalysisError::Cancelled);
        assert_eq!(calls, 1);
    }

    #[test]
    fn the_sweep_prefers_the_true_k() {
        let pts = blobs();
        let sample = metrics::SilhouetteSample { size: 1000, seed: 1 };
        let s = sweep(&pts, 2..=6, 3, &sample, &mut Silent).unwrap();
        assert_eq!(s.len(), 5);
        assert!(s.windows(2).all(|w| w[1].inertia <= w[0].inertia * 1.001), "inertia falls with k");
        let best = s.iter().max_by(|a, b| a.silhouette.partial_cmp(&b.silhouette).unwrap()).unwrap();
        assert_eq!(best.k, 3);
    }
}
