//! Emerging hot spot analysis, after ArcGIS Pro's *Emerging Hot Spot Analysis* ("How Emerging
//! Hot Spot Analysis works"): a space–time cube of incident counts (grid cell × week or month),
//! the Getis–Ord Gi* of every cell in every bin with a Benjamini–Hochberg false-discovery-rate
//! correction ([`crate::risk::gistar`]), the Mann–Kendall trend of each cell's Gi* z-scores, and
//! one category per cell:
//!
//! | category | final bin | hot bins | also |
//! | --- | --- | --- | --- |
//! | new | hot | only the final | |
//! | consecutive | hot | one uninterrupted run of ≥ 2 ending at the final, < 90 % | none before the run |
//! | intensifying | hot | ≥ 90 % | the z-scores' trend rises significantly |
//! | persistent | hot | ≥ 90 % | no significant trend |
//! | diminishing | hot | ≥ 90 % | the trend falls significantly |
//! | sporadic | any | on and off, < 90 % | never a significant cold spot |
//! | oscillating | hot | < 90 % | a significant cold spot in some earlier bin |
//! | historical | not hot | ≥ 90 % | |
//!
//! and the same eight for cold spots, read with "cold" for "hot" (a cold spot intensifies when its
//! z-scores fall). Cells are those where any incident of the selection falls (ArcGIS's locations
//! with data). Differences from ArcGIS: the Gi* neighbourhood is the cell and its 8 neighbours in
//! the same bin (ArcGIS can add earlier bins to it); bins end at the last incident's day (ArcGIS's
//! "end" alignment), a first partial week is dropped and months are the calendar months lying
//! wholly inside the data.
//!
//! The Mann–Kendall test (Mann 1945; Kendall 1975): S = Σ_{i<j} sign(x_j − x_i), its variance
//! with the tie correction [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18, z with the continuity
//! correction (S ∓ 1) / √var, and the two-sided normal p-value.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{located_events, normal_sf, AnalysisError, DAY, WEEK};
use crate::cluster::Progress;
use crate::model::CrimeTable;
use crate::risk::gistar::gi_star;
use crate::risk::grid::Grid;

/// The Mann–Kendall trend test of a series (in time order).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MannKendall {
    pub n: usize,
    #[serde(deserialize_with = "super::nan::f64")]
    pub s: f64,
    /// Var(S) with the tie correction.
    #[serde(deserialize_with = "super::nan::f64")]
    pub var: f64,
    /// (S − sign S) / √var: the continuity-corrected z.
    #[serde(deserialize_with = "super::nan::f64")]
    pub z: f64,
    /// Two-sided p-value of `z`.
    #[serde(deserialize_with = "super::nan::f64")]
    pub p: f64,
    /// Kendall's τ-b of the series against time (SciPy's `kendalltau`).
    #[serde(deserialize_with = "super::nan::f64")]
    pub tau_b: f64,
    /// S / √var and its p-value: SciPy's asymptotic `kendalltau` p (no continuity correction).
    #[serde(deserialize_with = "super::nan::f64")]
    pub z_uncorrected: f64,
    #[serde(deserialize_with = "super::nan::f64")]
    pub p_uncorrected: f64,
}

pub fn mann_kendall(x: &[f64]) -> MannKendall {
    let n = x.len();
    let mut s = 0.0f64;
    for i in 0..n {
        for j in i + 1..n {
            s += match x[j].partial_cmp(&x[i]) {
                Some(std::cmp::Ordering::Greater) => 1.0,
                Some(std::cmp::Ordering::Less) => -1.0,
                _ => 0.0,
            };
        }
    }
    // Tie groups.
    let mut sorted: Vec<f64> = x.to_vec();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let (mut ties_var, mut ties_pairs) = (0.0, 0.0);
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && sorted[j + 1] == sorted[i] {
            j += 1;
        }
        let t = (j - i + 1) as f64;
        ties_var += t * (t - 1.0) * (2.0 * t + 5.0);
        ties_pairs += t * (t - 1.0) / 2.0;
        i = j + 1;
    }
    let nf = n as f64;
    let var = (nf * (nf - 1.0) * (2.0 * nf + 5.0) - ties_var) / 18.0;
    let z = if var > 0.0 && s != 0.0 { (s - s.signum()) / var.sqrt() } else { 0.0 };
    let zu = if var > 0.0 { s / var.sqrt() } else { 0.0 };
    let n0 = nf * (nf - 1.0) / 2.0;
    let denom = ((n0 - ties_pairs) * n0).sqrt();
    MannKendall {
        n,
        s,
        var,
        z,
        p: (2.0 * normal_sf(z.abs())).min(1.0),
        tau_b: if denom > 0.0 { s / denom } else { f64::NAN },
        z_uncorrected: zu,
        p_uncorrected: (2.0 * normal_sf(zu.abs())).min(1.0),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bin {
    Week,
    Month,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmergingParams {
    pub bin: Bin,
    /// Side of a cell of the cube, metres.
    pub cell_m: f64,
    /// False-discovery rate of the Gi* hot and cold spots in each bin.
    pub fdr_q: f64,
    /// Significance of the Mann–Kendall trend.
    pub trend_alpha: f64,
}

impl Default for EmergingParams {
    fn default() -> Self {
        EmergingParams { bin: Bin::Month, cell_m: 500.0, fdr_q: 0.05, trend_alpha: 0.05 }
    }
}

/// Parameters that passed [`EmergingParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct EmergingValid(EmergingParams);

impl EmergingParams {
    pub fn check(self) -> Result<EmergingValid, AnalysisError> {
        if !(self.cell_m.is_finite() && (50.0..=5000.0).contains(&self.cell_m)) {
            return Err(AnalysisError::Param(format!(
                "the cube's cells must be 50–5000 m, not {}",
                self.cell_m
            )));
        }
        if !(self.fdr_q > 0.0 && self.fdr_q < 0.5 && self.trend_alpha > 0.0 && self.trend_alpha < 0.5) {
            return Err(AnalysisError::Param(
                "the false-discovery rate and the trend's α must be in (0, 0.5)".into(),
            ));
        }
        Ok(EmergingValid(self))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    NoPattern,
    NewHot,
    ConsecutiveHot,
    IntensifyingHot,
    PersistentHot,
    DiminishingHot,
    SporadicHot,
    OscillatingHot,
    HistoricalHot,
    NewCold,
    ConsecutiveCold,
    IntensifyingCold,
    PersistentCold,
    DiminishingCold,
    SporadicCold,
    OscillatingCold,
    HistoricalCold,
}

impl Category {
    pub fn is_hot(self) -> bool {
        matches!(
            self,
            Category::NewHot
                | Category::ConsecutiveHot
                | Category::IntensifyingHot
                | Category::PersistentHot
                | Category::DiminishingHot
                | Category::SporadicHot
                | Category::OscillatingHot
                | Category::HistoricalHot
        )
    }
}

/// The pattern names of one side (hot or cold), in [`categorise`]'s order.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Pattern {
    New,
    Consecutive,
    Intensifying,
    Persistent,
    Diminishing,
    Sporadic,
    Oscillating,
    Historical,
}

/// The pattern of one side: `this[b]` marks the bins significant on this side, `other[b]` on the
/// other; `trend` is the Mann–Kendall z of the Gi* z-scores signed so that positive means
/// "more of this side" (rising for hot, falling for cold), `significant` whether it is.
fn pattern(this: &[bool], other: &[bool], trend: f64, significant: bool) -> Option<Pattern> {
    let n = this.len();
    if n == 0 || !this.iter().any(|&b| b) {
        return None;
    }
    let last = this[n - 1];
    let share = this.iter().filter(|&&b| b).count() as f64 / n as f64;
    let run = this.iter().rev().take_while(|&&b| b).count();
    let before_run = this[..n - run].iter().any(|&b| b);
    if last {
        if run == 1 && !before_run {
            return Some(Pattern::New);
        }
        if share >= 0.9 {
            return Some(match (significant, trend > 0.0) {
                (true, true) => Pattern::Intensifying,
                (true, false) => Pattern::Diminishing,
                _ => Pattern::Persistent,
            });
        }
        if run >= 2 && !before_run {
            return Some(Pattern::Consecutive);
        }
        if other.iter().any(|&b| b) {
            return Some(Pattern::Oscillating);
        }
        return Some(Pattern::Sporadic);
    }
    if share >= 0.9 {
        return Some(Pattern::Historical);
    }
    if !other.iter().any(|&b| b) {
        return Some(Pattern::Sporadic);
    }
    None
}

/// The category of a cell from its bins' hot and cold flags and the trend of its z-scores.
pub fn categorise(hot: &[bool], cold: &[bool], trend: &MannKendall, alpha: f64) -> Category {
    let sig = trend.p < alpha && trend.n >= 3;
    let hot_p = pattern(hot, cold, trend.z, sig);
    let cold_p = pattern(cold, hot, -trend.z, sig);
    let last_cold = cold.last().copied().unwrap_or(false);
    let (side_hot, p) = match (hot_p, cold_p) {
        (Some(h), Some(c)) => {
            if last_cold {
                (false, c)
            } else {
                (true, h)
            }
        }
        (Some(h), None) => (true, h),
        (None, Some(c)) => (false, c),
        (None, None) => return Category::NoPattern,
    };
    use Category::*;
    match (side_hot, p) {
        (true, Pattern::New) => NewHot,
        (true, Pattern::Consecutive) => ConsecutiveHot,
        (true, Pattern::Intensifying) => IntensifyingHot,
        (true, Pattern::Persistent) => PersistentHot,
        (true, Pattern::Diminishing) => DiminishingHot,
        (true, Pattern::Sporadic) => SporadicHot,
        (true, Pattern::Oscillating) => OscillatingHot,
        (true, Pattern::Historical) => HistoricalHot,
        (false, Pattern::New) => NewCold,
        (false, Pattern::Consecutive) => ConsecutiveCold,
        (false, Pattern::Intensifying) => IntensifyingCold,
        (false, Pattern::Persistent) => PersistentCold,
        (false, Pattern::Diminishing) => DiminishingCold,
        (false, Pattern::Sporadic) => SporadicCold,
        (false, Pattern::Oscillating) => OscillatingCold,
        (false, Pattern::Historical) => HistoricalCold,
    }
}

/// One location of the cube.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellTrend {
    /// Grid index.
    pub cell: usize,
    pub lat: f64,
    pub lon: f64,
    pub category: Category,
    pub incidents: u64,
    pub hot_bins: usize,
    pub cold_bins: usize,
    /// Mann–Kendall of the Gi* z-scores over the bins.
    #[serde(deserialize_with = "super::nan::f64")]
    pub trend_z: f64,
    #[serde(deserialize_with = "super::nan::f64")]
    pub trend_p: f64,
    /// Gi* z of the final bin.
    #[serde(deserialize_with = "super::nan::f64")]
    pub last_z: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Emerging {
    pub params: EmergingParams,
    pub grid: Grid,
    /// First day of each bin, YYYY-MM-DD, and the day after the last.
    pub bins: Vec<String>,
    pub end: String,
    /// Incidents per bin (the cube's overall count), and its Mann–Kendall trend.
    pub totals: Vec<u64>,
    pub total_trend: MannKendall,
    pub cells: Vec<CellTrend>,
    /// Cells per category, most common first.
    pub categories: Vec<(Category, usize)>,
    /// Located incidents outside the bins (before the first whole one).
    pub outside_bins: u64,
}

impl Emerging {
    /// The cells of a category ("show intensifying hot spots").
    pub fn of(&self, c: Category) -> impl Iterator<Item = &CellTrend> {
        self.cells.iter().filter(move |x| x.category == c)
    }
}

fn next_month(d: NaiveDate) -> NaiveDate {
    super::next_month(d)
}

impl EmergingValid {
    pub fn params(&self) -> &EmergingParams {
        &self.0
    }

    /// The analysis of the located `rows` of `t`.
    pub fn run(
        &self,
        t: &CrimeTable,
        rows: &[u32],
        progress: &mut dyn Progress,
    ) -> Result<Emerging, AnalysisError> {
        let pts = located_events(t, rows);
        self.points(&pts, progress)
    }

    /// The analysis of incidents `(seconds, x metres, y metres)`.
    pub fn points(
        &self,
        pts: &[(i64, f64, f64)],
        progress: &mut dyn Progress,
    ) -> Result<Emerging, AnalysisError> {
        let p = &self.0;
        let (lo, hi) = pts.iter().fold((i64::MAX, i64::MIN), |(a, b), e| (a.min(e.0), b.max(e.0)));
        if lo > hi {
            return Err(AnalysisError::Data("no incident has coordinates".into()));
        }
        let day = |s: i64| s.div_euclid(DAY) * DAY;
        let as_date = |s: i64| chrono::DateTime::from_timestamp(s, 0).expect("a date").date_naive();
        // Bin edges, ending at the day after the last incident.
        let end = day(hi) + DAY;
        let mut edges = Vec::new();
        match p.bin {
            Bin::Week => {
                let mut e = end;
                while e - WEEK >= day(lo) {
                    edges.push(e);
                    e -= WEEK;
                }
                edges.push(e);
                edges.reverse();
            }
            Bin::Month => {
                let first = as_date(lo);
                let mut m = if first.day() == 1 { first } else { next_month(first) };
                edges.push(crate::filter::day_start(m));
                loop {
                    m = next_month(m);
                    let s = crate::filter::day_start(m);
                    if s > end {
                        break;
                    }
                    edges.push(s);
                }
            }
        }
        let nb = edges.len().saturating_sub(1);
        if nb < 3 {
            return Err(AnalysisError::Data(format!(
                "the incidents span {nb} whole {}s: the trend needs at least 3 (ArcGIS asks for 10)",
                if p.bin == Bin::Week { "week" } else { "month" }
            )));
        }
        let grid = Grid::covering(pts.iter().map(|e| (e.1, e.2)), p.cell_m)
            .ok_or_else(|| AnalysisError::Data("no incident has coordinates".into()))?;
        let n = grid.len();
        let mut cube = vec![0.0; nb * n];
        let mut outside = 0;
        let mut totals = vec![0u64; nb];
        let mut study = vec![false; n];
        for &(ts, x, y) in pts {
            let Some(c) = grid.cell_of(x, y) else { continue };
            study[c] = true;
            let b = edges.partition_point(|&e| e <= ts);
            if b == 0 || b > nb {
                outside += 1;
                continue;
            }
            cube[(b - 1) * n + c] += 1.0;
            totals[b - 1] += 1;
        }
        let cells: Vec<usize> = (0..n).filter(|&c| study[c]).collect();
        let mut z = vec![0.0; nb * cells.len()];
        let (mut hot, mut cold) = (vec![false; nb * cells.len()], vec![false; nb * cells.len()]);
        for b in 0..nb {
            if !progress.report(b as f64 / nb as f64) {
                return Err(AnalysisError::Cancelled);
            }
            let gi = gi_star(&grid, &cube[b * n..(b + 1) * n], &study, p.fdr_q);
            for (k, &c) in cells.iter().enumerate() {
                let g = gi[c].expect("a study cell");
                z[k * nb + b] = g.z;
                hot[k * nb + b] = g.hot;
                cold[k * nb + b] = g.cold;
            }
        }
        progress.report(1.0);
        let mut out: Vec<CellTrend> = cells
            .iter()
            .enumerate()
            .map(|(k, &c)| {
                let zs = &z[k * nb..(k + 1) * nb];
                let (h, co) = (&hot[k * nb..(k + 1) * nb], &cold[k * nb..(k + 1) * nb]);
                let mk = mann_kendall(zs);
                let (lat, lon) = grid.centre_latlon(c);
                CellTrend {
                    cell: c,
                    lat,
                    lon,
                    category: categorise(h, co, &mk, p.trend_alpha),
                    incidents: (0..nb).map(|b| cube[b * n + c] as u64).sum(),
                    hot_bins: h.iter().filter(|&&v| v).count(),
                    cold_bins: co.iter().filter(|&&v| v).count(),
                    trend_z: mk.z,
                    trend_p: mk.p,
                    last_z: zs[nb - 1],
                }
            })
            .collect();
        out.sort_by(|a, b| b.last_z.total_cmp(&a.last_z).then(a.cell.cmp(&b.cell)));
        let mut categories: Vec<(Category, usize)> = Vec::new();
        for c in &out {
            match categories.iter_mut().find(|x| x.0 == c.category) {
                Some(x) => x.1 += 1,
                None => categories.push((c.category, 1)),
            }
        }
        categories.sort_by_key(|c| std::cmp::Reverse(c.1));
        let label = |s: i64| crate::filter::day_of(s);
        Ok(Emerging {
            params: p.clone(),
            grid,
            bins: edges[..nb].iter().map(|&e| label(e)).collect(),
            end: label(edges[nb]),
            total_trend: mann_kendall(&totals.iter().map(|&v| v as f64).collect::<Vec<_>>()),
            totals,
            cells: out,
            categories,
            outside_bins: outside,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Silent;
    use crate::forecast::tests::Lcg;

    #[test]
    fn mann_kendall_of_hand_checked_series() {
        // 1..5: S = 10, Var = 5·4·15/18, z = 9/√Var = 2.2045, p = 0.0275.
        let m = mann_kendall(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(m.s, 10.0);
        assert!((m.var - 300.0 / 18.0).abs() < 1e-12);
        assert!((m.z - 9.0 / (300.0f64 / 18.0).sqrt()).abs() < 1e-12);
        assert!((m.p - 0.027_486).abs() < 1e-5, "{}", m.p);
        assert_eq!(m.tau_b, 1.0);
        // Ties: [1, 1, 2]: S = 2, Var = (3·2·11 − 2·1·9)/18 = 48/18.
        let t = mann_kendall(&[1.0, 1.0, 2.0]);
        assert_eq!(t.s, 2.0);
        assert!((t.var - 48.0 / 18.0).abs() < 1e-12);
        let flat = mann_kendall(&[3.0; 6]);
        assert_eq!((flat.s, flat.z, flat.p), (0.0, 0.0, 1.0));
    }

    fn mk(z: f64, p: f64) -> MannKendall {
        MannKendall { n: 10, s: 0.0, var: 1.0, z, p, tau_b: 0.0, z_uncorrected: z, p_uncorrected: p }
    }

    fn flags(s: &str) -> Vec<bool> {
        s.chars().map(|c| c == '1').collect()
    }

    #[test]
    fn the_categories_of_hand_made_histories() {
        let none = flags("0000000000");
        let flat = mk(0.5, 0.6);
        let cases = [
            ("0000000001", "0000000000", flat, Category::NewHot),
            ("0000000111", "0000000000", flat, Category::ConsecutiveHot),
            ("1111111111", "0000000000", mk(3.0, 0.003), Category::IntensifyingHot),
            ("1111111111", "0000000000", flat, Category::PersistentHot),
            ("0111111111", "0000000000", mk(-2.5, 0.01), Category::DiminishingHot),
            ("0100100101", "0000000000", flat, Category::SporadicHot),
            ("0100100100", "0000000000", flat, Category::SporadicHot),
            ("0100100101", "1000000000", flat, Category::OscillatingHot),
            ("1111111110", "0000000000", flat, Category::HistoricalHot),
            ("0000000000", "0000000001", flat, Category::NewCold),
            ("0000000000", "1111111111", mk(-3.0, 0.003), Category::IntensifyingCold),
            ("0000000000", "1111111111", mk(3.0, 0.003), Category::DiminishingCold),
            ("0000000000", "0000000000", flat, Category::NoPattern),
        ];
        for (h, c, t, want) in cases {
            assert_eq!(categorise(&flags(h), &flags(c), &t, 0.05), want, "hot {h} cold {c}");
        }
        assert_eq!(none.len(), 10);
    }

    #[test]
    fn a_planted_intensifying_cell_is_classed_intensifying() {
        // 20 weeks of a scatter over 6 km (about 2 incidents per 500 m cell a week), and a 1 km
        // square (four cells) whose incidents grow from 60 to 288 a week.
        let mut r = Lcg(21);
        let mut pts = Vec::new();
        let start = crate::filter::day_start(NaiveDate::from_ymd_opt(2017, 1, 2).unwrap());
        let at = |w: i64, r: &mut Lcg| start + w * WEEK + (r.next() * (WEEK - 1) as f64) as i64;
        for w in 0..20 {
            for _ in 0..290 {
                let s = at(w, &mut r);
                pts.push((s, 6000.0 * r.next(), 6000.0 * r.next()));
            }
            for _ in 0..(60 + 12 * w) {
                let s = at(w, &mut r);
                pts.push((s, 4000.0 + 1000.0 * r.next(), 1000.0 + 1000.0 * r.next()));
            }
        }
        let p = EmergingParams { bin: Bin::Week, ..EmergingParams::default() };
        let e = p.check().unwrap().points(&pts, &mut Silent).unwrap();
        assert_eq!(e.bins.len(), 20);
        assert_eq!(e.outside_bins, 0);
        let of = |x: f64, y: f64| e.cells.iter().find(|c| c.cell == e.grid.cell_of(x, y).unwrap()).unwrap();
        for (x, y) in [(4300.0, 1300.0), (4700.0, 1700.0)] {
            let growing = of(x, y);
            assert_eq!(growing.category, Category::IntensifyingHot, "{growing:?}");
            assert!(growing.trend_z > 2.0 && growing.hot_bins >= 18);
            assert!(e.of(Category::IntensifyingHot).any(|c| c.cell == growing.cell));
        }
        // The scatter's cells are mostly no pattern.
        let none = e.cells.iter().filter(|c| c.category == Category::NoPattern).count();
        assert!(none as f64 > 0.8 * e.cells.len() as f64, "{:?}", e.categories);
        assert_eq!(e.totals.iter().sum::<u64>(), pts.len() as u64);
        assert!(e.total_trend.z > 2.0, "the cube's total grows");
    }
}
