//! The Knox test of near-repeat victimisation, as the Near Repeat Calculator runs it (Ratcliffe
//! 2009; Townsley, Homel & Chaseling 2003; Knox 1964).
//!
//! Every pair of incidents is put in a space band (its distance) and a time band (the days between
//! them). The observed table counts the pairs in each (space band, time band). Under no
//! space–time interaction the days between two incidents do not depend on how far apart they
//! are, so:
//! - the expected count of a cell is `S_i × T_j / P`, where `S_i` is the number of pairs in space
//!   band i (whatever their days), `T_j` the number in time band j (whatever their distance) and
//!   `P = n (n − 1) / 2` (Knox's marginal expectation);
//! - the Monte Carlo test permutes the incidents' dates over their places `permutations` times
//!   and counts the pairs again: the p-value of a cell is (1 + permutations with a count at least
//!   the observed) / (1 + permutations), and its Knox ratio is observed ÷ the permutations' mean
//!   ("1.9 times more likely than chance within 200 m and 7 days"). The permutation mean equals
//!   the marginal expectation on average.
//!
//! Bands are half-open, `[lower, upper)` metres and days, from 0 to the last edge; pairs beyond
//! the last edges fall in no cell but count in the marginals.
//!
//! Each incident is also labelled: a *near repeat* when an earlier incident lies within the first
//! space band and the first time band; an *originator* when it is not, but a later incident is
//! its near repeat; *isolated* otherwise.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::{AnalysisError, DAY};
use crate::cluster::Progress;
use crate::features::project;
use crate::model::CrimeTable;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KnoxParams {
    /// Upper edges of the space bands, metres, increasing (the Near Repeat Calculator's default
    /// bandwidth 200 m × 5 bands).
    pub space_m: Vec<f64>,
    /// Upper edges of the time bands, days, increasing (7 days × 4 bands).
    pub time_days: Vec<f64>,
    pub permutations: usize,
    pub seed: u64,
}

impl Default for KnoxParams {
    fn default() -> Self {
        KnoxParams {
            space_m: vec![200.0, 400.0, 600.0, 800.0, 1000.0],
            time_days: vec![7.0, 14.0, 21.0, 28.0],
            permutations: 99,
            seed: 42,
        }
    }
}

/// Parameters that passed [`KnoxParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct KnoxValid(KnoxParams);

/// At most this many incidents (a Knox test is run per crime type; all of Chicago's rows would
/// make ~10¹¹ pairs).
pub const MAX_INCIDENTS: usize = 100_000;
/// At most this many pairs within the last space band (each permutation walks them all).
pub const MAX_CLOSE_PAIRS: usize = 50_000_000;

impl KnoxParams {
    pub fn check(self) -> Result<KnoxValid, AnalysisError> {
        let bad = |m: &str| Err(AnalysisError::Param(format!("Knox test: {m}")));
        let increasing = |v: &[f64]| {
            !v.is_empty()
                && v.len() <= 50
                && v[0] > 0.0
                && v.iter().all(|x| x.is_finite())
                && v.windows(2).all(|w| w[0] < w[1])
        };
        if !increasing(&self.space_m) || !increasing(&self.time_days) {
            return bad("give 1–50 increasing positive band edges in metres and in days");
        }
        if !(1..=9999).contains(&self.permutations) {
            return bad("give 1–9999 permutations");
        }
        Ok(KnoxValid(self))
    }
}

/// One cell of the band table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KnoxCell {
    /// `[lower, upper)` metres and days.
    pub space_m: [f64; 2],
    pub time_days: [f64; 2],
    pub observed: u64,
    /// Knox's marginal expectation S_i T_j / P.
    pub expected: f64,
    /// The permutations' mean count.
    pub simulated_mean: f64,
    /// observed ÷ simulated mean (NaN when the mean is 0).
    #[serde(deserialize_with = "super::nan::f64")]
    pub ratio: f64,
    /// Monte Carlo p-value (one-sided: more pairs than chance).
    pub p: f64,
}

/// What each incident is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RepeatLabel {
    Originator,
    NearRepeat,
    Isolated,
    /// No coordinates.
    Unlocated,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Knox {
    pub params: KnoxParams,
    pub incidents: usize,
    /// All pairs, n (n − 1) / 2.
    pub pairs: u64,
    /// Pairs per space band and per time band (the marginals).
    pub space_totals: Vec<u64>,
    pub time_totals: Vec<u64>,
    /// Space band major: `cells[i * time bands + j]`.
    pub cells: Vec<KnoxCell>,
    /// Per input row (same order as the rows given).
    pub labels: Vec<RepeatLabel>,
    pub originators: usize,
    pub near_repeats: usize,
}

impl Knox {
    pub fn cell(&self, space: usize, time: usize) -> &KnoxCell {
        &self.cells[space * self.params.time_days.len() + time]
    }

    /// The Near Repeat Calculator's sentence for the first band (closest and soonest): "Within
    /// 200 m and 7 days of an incident, another is 1.9 times more likely than if time and place
    /// were unrelated (p = 0.01)."
    pub fn sentence(&self) -> String {
        let c = self.cell(0, 0);
        let (m, d) = (c.space_m[1], c.time_days[1]);
        if !c.ratio.is_finite() {
            return format!(
                "No two incidents fell within {m} m and {d} days of each other by chance: no ratio."
            );
        }
        let how = if c.p <= 0.05 && c.ratio > 1.0 {
            format!("{:.1} times more likely than", c.ratio)
        } else if c.ratio > 1.0 {
            format!("{:.1} times as likely (not significant) as", c.ratio)
        } else {
            format!("{:.1} times as likely (no near-repeat pattern) as", c.ratio)
        };
        format!(
            "Within {m} m and {d} days of an incident, another is {how} if time and place were unrelated (p = {:.2}, {} permutations).",
            c.p, self.params.permutations
        )
    }
}

/// The band holding `v` of the upper `edges` (None beyond the last).
fn band(edges: &[f64], v: f64) -> Option<usize> {
    let i = edges.partition_point(|&e| e <= v);
    (i < edges.len()).then_some(i)
}

impl KnoxValid {
    pub fn params(&self) -> &KnoxParams {
        &self.0
    }

    /// The test on the `rows` of `t` (rows without coordinates are labelled unlocated).
    pub fn run(
        &self,
        t: &CrimeTable,
        rows: &[u32],
        progress: &mut dyn Progress,
    ) -> Result<Knox, AnalysisError> {
        let mut located = Vec::new();
        let mut pts = Vec::new();
        for (k, &r) in rows.iter().enumerate() {
            let r = r as usize;
            if t.latitude.get(r).is_finite() && t.longitude.get(r).is_finite() {
                let (x, y) = project(t.latitude.get(r), t.longitude.get(r));
                pts.push([x, y, t.date.get(r) as f64 / DAY as f64]);
                located.push(k);
            }
        }
        let mut out = self.points(&pts, progress)?;
        let mut labels = vec![RepeatLabel::Unlocated; rows.len()];
        for (i, &k) in located.iter().enumerate() {
            labels[k] = out.labels[i];
        }
        out.labels = labels;
        Ok(out)
    }

    /// The test on points `[x metres, y metres, t days]`; labels in the points' order.
    pub fn points(&self, pts: &[[f64; 3]], progress: &mut dyn Progress) -> Result<Knox, AnalysisError> {
        let p = &self.0;
        let n = pts.len();
        if n < 3 {
            return Err(AnalysisError::Data(format!("a Knox test needs 3 located incidents, not {n}")));
        }
        if n > MAX_INCIDENTS {
            return Err(AnalysisError::Param(format!(
                "a Knox test takes at most {MAX_INCIDENTS} incidents ({n} given): filter to one crime type or a shorter period"
            )));
        }
        let (ns, nt) = (p.space_m.len(), p.time_days.len());
        let dmax = p.space_m[ns - 1];
        // Time marginals: pairs with |Δt| in each band, by binary search over the sorted dates.
        let mut times: Vec<f64> = pts.iter().map(|q| q[2]).collect();
        times.sort_by(|a, b| a.total_cmp(b));
        let mut within = vec![0u64; nt];
        for (i, &ti) in times.iter().enumerate() {
            for (j, &e) in p.time_days.iter().enumerate() {
                // Later incidents (by sorted position) less than e days after.
                within[j] += (times.partition_point(|&x| x < ti + e) - (i + 1)) as u64;
            }
        }
        let time_totals: Vec<u64> =
            (0..nt).map(|j| within[j] - if j > 0 { within[j - 1] } else { 0 }).collect();
        // Pairs within the last space band: a bucket grid of that side.
        let key = |q: &[f64; 3]| ((q[0] / dmax).floor() as i64, (q[1] / dmax).floor() as i64);
        let mut buckets: rustc_hash::FxHashMap<(i64, i64), Vec<u32>> = Default::default();
        for (i, q) in pts.iter().enumerate() {
            buckets.entry(key(q)).or_default().push(i as u32);
        }
        let mut close: Vec<(u32, u32, u8)> = Vec::new();
        let mut space_totals = vec![0u64; ns];
        for (i, q) in pts.iter().enumerate() {
            if i % 4096 == 0 && !progress.report(0.2 * i as f64 / n as f64) {
                return Err(AnalysisError::Cancelled);
            }
            let (bx, by) = key(q);
            for dx in -1..=1 {
                for dy in -1..=1 {
                    let Some(list) = buckets.get(&(bx + dx, by + dy)) else { continue };
                    for &j in list.iter().filter(|&&j| (j as usize) > i) {
                        let r = &pts[j as usize];
                        let d = ((q[0] - r[0]).powi(2) + (q[1] - r[1]).powi(2)).sqrt();
                        if let Some(s) = band(&p.space_m, d) {
                            space_totals[s] += 1;
                            close.push((i as u32, j, s as u8));
                        }
                    }
                }
            }
            if close.len() > MAX_CLOSE_PAIRS {
                return Err(AnalysisError::Param(format!(
                    "more than {MAX_CLOSE_PAIRS} pairs within {dmax} m: narrow the bands or the selection"
                )));
            }
        }
        let table = |t: &dyn Fn(usize) -> f64| {
            let mut c = vec![0u64; ns * nt];
            for &(i, j, s) in &close {
                if let Some(b) = band(&p.time_days, (t(i as usize) - t(j as usize)).abs()) {
                    c[s as usize * nt + b] += 1;
                }
            }
            c
        };
        let observed = table(&|i| pts[i][2]);
        let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
        let mut perm: Vec<f64> = pts.iter().map(|q| q[2]).collect();
        let (mut sum, mut at_least) = (vec![0u64; ns * nt], vec![0u64; ns * nt]);
        for k in 0..p.permutations {
            if !progress.report(0.2 + 0.8 * k as f64 / p.permutations as f64) {
                return Err(AnalysisError::Cancelled);
            }
            for i in (1..n).rev() {
                // A u32 range: rand draws usize ranges differently on 32-bit WebAssembly, and the page must
                // give the command's p-values.
                perm.swap(i, rng.gen_range(0..=i as u32) as usize);
            }
            let sim = table(&|i| perm[i]);
            for c in 0..ns * nt {
                sum[c] += sim[c];
                at_least[c] += u64::from(sim[c] >= observed[c]);
            }
        }
        progress.report(1.0);
        let pairs = n as u64 * (n as u64 - 1) / 2;
        let lower = |e: &[f64], i: usize| if i == 0 { 0.0 } else { e[i - 1] };
        let mut cells = Vec::with_capacity(ns * nt);
        for (i, &si) in space_totals.iter().enumerate() {
            for (j, &tj) in time_totals.iter().enumerate() {
                let c = i * nt + j;
                let mean = sum[c] as f64 / p.permutations as f64;
                cells.push(KnoxCell {
                    space_m: [lower(&p.space_m, i), p.space_m[i]],
                    time_days: [lower(&p.time_days, j), p.time_days[j]],
                    observed: observed[c],
                    expected: si as f64 * tj as f64 / pairs as f64,
                    simulated_mean: mean,
                    ratio: if mean > 0.0 { observed[c] as f64 / mean } else { f64::NAN },
                    p: (1 + at_least[c]) as f64 / (1 + p.permutations) as f64,
                });
            }
        }
        // Labels: the pairs of the first space band less than the first time band apart.
        let (mut before, mut after) = (vec![false; n], vec![false; n]);
        for &(i, j, _) in close.iter().filter(|c| c.2 == 0) {
            let (ti, tj) = (pts[i as usize][2], pts[j as usize][2]);
            if (ti - tj).abs() < p.time_days[0] {
                // i < j: on equal dates the earlier row comes first.
                let (first, second) = if tj < ti { (j, i) } else { (i, j) };
                after[first as usize] = true;
                before[second as usize] = true;
            }
        }
        let labels: Vec<RepeatLabel> = (0..n)
            .map(|i| match (before[i], after[i]) {
                (true, _) => RepeatLabel::NearRepeat,
                (false, true) => RepeatLabel::Originator,
                (false, false) => RepeatLabel::Isolated,
            })
            .collect();
        let count = |l: RepeatLabel| labels.iter().filter(|&&x| x == l).count();
        Ok(Knox {
            params: p.clone(),
            incidents: n,
            pairs,
            space_totals,
            time_totals,
            originators: count(RepeatLabel::Originator),
            near_repeats: count(RepeatLabel::NearRepeat),
            cells,
            labels,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Silent;
    use crate::forecast::tests::Lcg;

    /// 300 incidents over 5 km and a year; the first 150 each followed by a repeat within 150 m
    /// and 5 days.
    fn planted() -> Vec<[f64; 3]> {
        let mut r = Lcg(5);
        let mut pts: Vec<[f64; 3]> =
            (0..300).map(|_| [5000.0 * r.next(), 5000.0 * r.next(), 365.0 * r.next()]).collect();
        for i in 0..150 {
            let (a, d) = (std::f64::consts::TAU * r.next(), 150.0 * r.next());
            let q = pts[i];
            pts.push([q[0] + d * a.cos(), q[1] + d * a.sin(), q[2] + 0.01 + 5.0 * r.next()]);
        }
        pts
    }

    #[test]
    fn a_planted_near_repeat_pattern_is_found_and_a_shuffled_one_is_not() {
        let v = KnoxParams { permutations: 199, ..KnoxParams::default() }.check().unwrap();
        let pts = planted();
        let k = v.points(&pts, &mut Silent).unwrap();
        let first = k.cell(0, 0);
        assert!(first.observed >= 150, "{first:?}");
        assert!(first.p <= 0.01 && first.ratio > 3.0, "{first:?}");
        assert_eq!(k.pairs, 450 * 449 / 2);
        assert!(k.near_repeats >= 140 && k.originators >= 140, "{} {}", k.near_repeats, k.originators);
        // The permutations' mean is Knox's marginal expectation.
        for c in &k.cells {
            if c.expected > 20.0 {
                assert!((c.simulated_mean / c.expected - 1.0).abs() < 0.1, "{c:?}");
            }
        }
        // The same places with their dates shuffled: no near repeats beyond chance.
        let mut r = Lcg(9);
        let mut shuffled = pts.clone();
        for i in (1..shuffled.len()).rev() {
            let j = (r.next() * (i + 1) as f64) as usize;
            let t = shuffled[i][2];
            shuffled[i][2] = shuffled[j][2];
            shuffled[j][2] = t;
        }
        let s = v.points(&shuffled, &mut Silent).unwrap();
        assert!(s.cell(0, 0).p > 0.05 && s.cell(0, 0).ratio < 1.5, "{:?}", s.cell(0, 0));
        assert_eq!(s.space_totals, k.space_totals, "the places did not move");
        assert_eq!(s.time_totals, k.time_totals, "nor did the set of dates");
    }

    #[test]
    fn labels_a_hand_made_sequence_and_refuses_bad_bands() {
        // A at day 0, B 100 m away at day 3 (near repeat of A), C 5 km away.
        let pts = [[0.0, 0.0, 0.0], [100.0, 0.0, 3.0], [5000.0, 0.0, 1.0]];
        let k = KnoxParams::default().check().unwrap().points(&pts, &mut Silent).unwrap();
        assert_eq!(k.labels, [RepeatLabel::Originator, RepeatLabel::NearRepeat, RepeatLabel::Isolated]);
        assert_eq!(k.cell(0, 0).observed, 1);
        assert_eq!(k.space_totals.iter().sum::<u64>(), 1);
        assert_eq!(k.time_totals.iter().sum::<u64>(), 3);
        for bad in [vec![], vec![200.0, 100.0], vec![0.0, 100.0]] {
            assert!(KnoxParams { space_m: bad, ..KnoxParams::default() }.check().is_err());
        }
        assert!(KnoxParams::default().check().unwrap().points(&pts[..2], &mut Silent).is_err());
    }
}
