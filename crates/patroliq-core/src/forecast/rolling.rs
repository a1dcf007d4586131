//! The rolling back-test, the way open_cp's scripted evaluations and the NIJ Crime Forecasting
//! Challenge score forecasts: for every period of the test window, each method is fitted on the
//! incidents dated before that period's start only, ranks the study cells, and is scored on the
//! period's incidents.
//!
//! - The grid and the study area (the cells where any row of the table has an incident) are those
//!   of the table as it stood at the first period's start, so they are the same for every period
//!   and no period's incidents shape them.
//! - Each method gets, at each period, the time-ordered incidents before its start: a longer
//!   prefix of one list at every period ([`super::methods::Forecaster`]), which it slides its
//!   state over instead of refitting from scratch.
//! - Scores per period are those of [`crate::backtest::score`]: hit rate, PAI and PEI at each
//!   coverage. A period with no located incident cannot be scored and is left out of the means.
//! - Over the periods: the mean of each metric with a percentile bootstrap interval (periods
//!   resampled with replacement, seeded), and the paired comparison with `naive`: share of periods
//!   won, the mean PAI gain and the relative gain (mean PAI ÷ naive's mean PAI − 1), each with the
//!   bootstrap interval of the same resamples.
//! - The ensemble's weights at a period come from the scores of periods that ended before it
//!   started (the rolling test scores [`EnsembleParams::periods`] periods before the window for it).

use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::methods::{
    combine, Counts, EnsembleParams, Event, ForecastMethod, Forecaster, Kde, NearRepeatParams,
    NearRepeatZones, Prospective, ProspectiveParams, Scores, Sepp, NONE, NONE_SLOT,
};
use super::risk_grid::RiskGrid;
use super::sepp::{SeppModel, SeppParams};
use super::terrain::Terrain;
use super::{AnalysisError, Horizon};
use crate::backtest::score::{cells_at, TestCounts};
use crate::cluster::Progress;
use crate::features::project;
use crate::model::CrimeTable;
use crate::risk::grid::Grid;
use crate::terrain::Layer;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollingParams {
    /// First and last day of the test window (inclusive).
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub horizon: Horizon,
    /// Area shares the methods are scored at, 0–1.
    pub coverages: Vec<f64>,
    /// Side of a grid cell, metres.
    pub cell_m: f64,
    /// The methods; empty: all. `naive` is always run (it is the reference).
    #[serde(default)]
    pub methods: Vec<ForecastMethod>,
    pub naive_weeks: u32,
    pub shift_weeks: u32,
    /// The window of `shift_hours`.
    pub hours_weeks: u32,
    pub kde_weeks: u32,
    pub bandwidth_m: f64,
    pub prospective: ProspectiveParams,
    pub near_repeat: NearRepeatParams,
    pub sepp: SeppParams,
    pub ensemble: EnsembleParams,
    /// The `risk` method's recency half-life (days) and weights of severity, recency and
    /// environment: the risk grid's ([`crate::risk::RiskParams`]).
    #[serde(default = "default_half_life")]
    pub risk_half_life_days: f64,
    #[serde(default = "default_risk_weights")]
    pub risk_weights: [f64; 3],
    /// Only the shifts (or days) starting on this weekday (0 = Monday): "the last 8 Friday
    /// nights". `None`: every period.
    #[serde(default)]
    pub weekday: Option<u8>,
    /// Bootstrap resamples of the periods, and the interval's confidence.
    pub bootstrap: usize,
    pub confidence: f64,
    pub seed: u64,
}

impl RollingParams {
    /// The night shift over `from ..= to`, everything else at its default.
    pub fn new(from: NaiveDate, to: NaiveDate, horizon: Horizon) -> RollingParams {
        RollingParams {
            from,
            to,
            horizon,
            coverages: vec![0.005, 0.01, 0.02, 0.05],
            cell_m: 250.0,
            methods: Vec::new(),
            naive_weeks: 4,
            shift_weeks: 12,
            hours_weeks: 52,
            kde_weeks: 52,
            bandwidth_m: 400.0,
            prospective: ProspectiveParams::default(),
            near_repeat: NearRepeatParams::default(),
            sepp: SeppParams::default(),
            ensemble: EnsembleParams::default(),
            risk_half_life_days: default_half_life(),
            risk_weights: default_risk_weights(),
            weekday: None,
            bootstrap: 2000,
            confidence: 0.95,
            seed: 42,
        }
    }
}

fn default_half_life() -> f64 {
    crate::risk::RiskParams::default().half_life_days
}

fn default_risk_weights() -> [f64; 3] {
    crate::risk::RiskParams::default().weights
}

/// Parameters that passed [`RollingParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct RollingValid(RollingParams);

impl RollingParams {
    pub fn check(mut self) -> Result<RollingValid, AnalysisError> {
        let bad = |m: String| Err(AnalysisError::Param(m));
        if self.to < self.from {
            return bad(format!("the test window ends ({}) before it starts ({})", self.to, self.from));
        }
        self.horizon.check()?;
        if self.coverages.is_empty() || self.coverages.len() > 10 {
            return bad("give 1–10 coverages".into());
        }
        if let Some(c) = self.coverages.iter().find(|c| !(**c > 0.0 && **c <= 1.0)) {
            return bad(format!("a coverage is a share of the area, above 0 and at most 1, not {c}"));
        }
        if !(self.cell_m.is_finite() && (50.0..=1000.0).contains(&self.cell_m)) {
            return bad(format!("the cell size must be 50–1000 m, not {}", self.cell_m));
        }
        for (w, what) in
            [(self.naive_weeks, "naive"), (self.shift_weeks, "same-shift"), (self.kde_weeks, "KDE")]
        {
            if !(1..=260).contains(&w) {
                return bad(format!("the {what} window must be 1–260 weeks, not {w}"));
            }
        }
        if !(self.bandwidth_m.is_finite() && (50.0..=5000.0).contains(&self.bandwidth_m)) {
            return bad("the KDE bandwidth must be 50–5000 m".into());
        }
        let pr = &self.prospective;
        if !(pr.bandwidth_m.is_finite()
            && (0.0..=5000.0).contains(&pr.bandwidth_m)
            && (1..=104).contains(&pr.weeks))
        {
            return bad("prospective hotspotting: 0–5000 m and 1–104 weeks".into());
        }
        let nr = &self.near_repeat;
        if !(nr.radius_m.is_finite()
            && (0.0..=5000.0).contains(&nr.radius_m)
            && nr.days.is_finite()
            && (0.5..=365.0).contains(&nr.days))
        {
            return bad("near-repeat zones: 0–5000 m and 0.5–365 days".into());
        }
        let en = &self.ensemble;
        if !((1..=200).contains(&en.periods)
            && en.coverage > 0.0
            && en.coverage <= 1.0
            && en.power.is_finite()
            && (0.0..=50.0).contains(&en.power))
        {
            return bad(
                "the ensemble learns from 1–200 periods, at a coverage in (0, 1], with a power of 0–50"
                    .into(),
            );
        }
        self.sepp.clone().check()?;
        if !(self.risk_half_life_days.is_finite() && (1.0..=3650.0).contains(&self.risk_half_life_days)) {
            return bad(format!(
                "the risk grid's recency half-life must be 1–3650 days, not {}",
                self.risk_half_life_days
            ));
        }
        if self.risk_weights.iter().any(|w| !(w.is_finite() && *w >= 0.0))
            || self.risk_weights.iter().sum::<f64>() <= 0.0
        {
            return bad("the risk grid's weights must be non-negative and not all zero".into());
        }
        match (self.weekday, self.horizon) {
            (Some(w), _) if w > 6 => return bad(format!("a weekday is 0 (Monday) to 6 (Sunday), not {w}")),
            (Some(_), Horizon::Week | Horizon::Month) => {
                return bad("only shifts and days can be kept to one weekday".into())
            }
            _ => {}
        }
        if !((0..=100_000).contains(&self.bootstrap) && self.confidence > 0.5 && self.confidence < 1.0) {
            return bad("0–100,000 bootstrap resamples and a confidence between 0.5 and 1".into());
        }
        if self.methods.is_empty() {
            self.methods = ForecastMethod::ALL.to_vec();
        }
        if !self.methods.contains(&ForecastMethod::Naive) {
            self.methods.insert(0, ForecastMethod::Naive);
        }
        let mut seen = Vec::new();
        self.methods.retain(|m| {
            let new = !seen.contains(m);
            seen.push(*m);
            new
        });
        // The ensemble last: it combines the others.
        if let Some(i) = self.methods.iter().position(|&m| m == ForecastMethod::Ensemble) {
            let e = self.methods.remove(i);
            self.methods.push(e);
        }
        Ok(RollingValid(self))
    }
}

/// Hit rates of the inverse hit-rate curve ([`MethodRolling::area_needed`]).
pub const CURVE_HIT_RATES: [f64; 5] = [0.1, 0.2, 0.3, 0.4, 0.5];

/// A method's score on one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodScore {
    /// Incidents in the flagged cells at each coverage.
    pub hits: Vec<u64>,
    #[serde(deserialize_with = "super::nan::vec")]
    pub pai: Vec<f64>,
    #[serde(deserialize_with = "super::nan::vec")]
    pub pei: Vec<f64>,
    /// The smallest area share of its ranking holding each of [`CURVE_HIT_RATES`] of the
    /// period's incidents (1 when the study area cannot: incidents outside it).
    #[serde(deserialize_with = "super::nan::vec")]
    pub area_needed: Vec<f64>,
}

/// One period of the test window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodInfo {
    pub start: i64,
    pub end: i64,
    /// Start as `YYYY-MM-DD HH:MM`.
    pub label: String,
    /// Located incidents (in the study area or not), and those outside it (misses for all).
    pub incidents: u64,
    pub outside: u64,
}

/// A paired comparison with `naive` over the scored periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paired {
    pub wins: usize,
    pub ties: usize,
    pub losses: usize,
    /// wins ÷ periods.
    #[serde(deserialize_with = "super::nan::f64")]
    pub share_won: f64,
    /// Mean of (PAI − naive's PAI) per period, with its bootstrap interval.
    #[serde(deserialize_with = "super::nan::f64")]
    pub mean_gain: f64,
    #[serde(deserialize_with = "super::nan::pair")]
    pub gain_interval: [f64; 2],
    /// Mean PAI ÷ naive's mean PAI − 1, with its bootstrap interval.
    #[serde(deserialize_with = "super::nan::f64")]
    pub relative_gain: f64,
    #[serde(deserialize_with = "super::nan::pair")]
    pub relative_interval: [f64; 2],
}

/// One method at one coverage, over the scored periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverageSummary {
    pub coverage: f64,
    /// Cells flagged (of the study area).
    pub cells: usize,
    #[serde(deserialize_with = "super::nan::f64")]
    pub hit_rate: f64,
    #[serde(deserialize_with = "super::nan::pair")]
    pub hit_rate_interval: [f64; 2],
    #[serde(deserialize_with = "super::nan::f64")]
    pub pai: f64,
    #[serde(deserialize_with = "super::nan::pair")]
    pub pai_interval: [f64; 2],
    #[serde(deserialize_with = "super::nan::f64")]
    pub pei: f64,
    #[serde(deserialize_with = "super::nan::pair")]
    pub pei_interval: [f64; 2],
    /// `None` for `naive` itself.
    pub vs_naive: Option<Paired>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodRolling {
    pub method: ForecastMethod,
    pub label: String,
    pub note: String,
    pub summary: Vec<CoverageSummary>,
    /// The inverse hit-rate curve: the mean over the scored periods of the area share needed to
    /// hold each of [`CURVE_HIT_RATES`] of a period's incidents.
    pub area_needed: Vec<(f64, f64)>,
    /// Per test period (same order as [`Rolling::periods`]).
    pub periods: Vec<PeriodScore>,
}

impl MethodRolling {
    /// The summary at the asked coverage nearest to `c`.
    pub fn at(&self, c: f64) -> &CoverageSummary {
        self.summary
            .iter()
            .min_by(|a, b| (a.coverage - c).abs().total_cmp(&(b.coverage - c).abs()))
            .expect("at least one coverage")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rolling {
    pub params: RollingParams,
    pub grid: Grid,
    pub study_cells: usize,
    /// The test periods (warm-up periods left out).
    pub periods: Vec<PeriodInfo>,
    /// Periods with at least one located incident: those the means are over.
    pub scored: usize,
    pub methods: Vec<MethodRolling>,
    /// The ensemble's weights at the last period, by method key.
    pub ensemble_weights: Vec<(ForecastMethod, f64)>,
    /// Each SEPP fit: when, and what it found.
    pub sepp_fits: Vec<SeppModel>,
    pub warnings: Vec<String>,
}

impl Rolling {
    pub fn method(&self, m: ForecastMethod) -> Option<&MethodRolling> {
        self.methods.iter().find(|r| r.method == m)
    }

    /// The method with the highest mean PAI at the asked coverage nearest `c`.
    pub fn best(&self, c: f64) -> Option<&MethodRolling> {
        self.methods.iter().max_by(|a, b| a.at(c).pai.total_cmp(&b.at(c).pai))
    }
}

/// Wall-clock label of an instant.
fn label(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map_or_else(String::new, |d| d.format("%Y-%m-%d %H:%M").to_string())
}

/// The located `rows` of `t` dated before `until` as time-ordered events on `grid`.
pub(crate) fn events_of(
    t: &CrimeTable,
    rows: &[u32],
    until: i64,
    grid: &Grid,
    horizon: Horizon,
) -> Vec<(u32, Event)> {
    let mut ev: Vec<(u32, Event)> = rows
        .iter()
        .copied()
        .filter(|&r| {
            let r = r as usize;
            t.date.get(r) < until && t.latitude.get(r).is_finite() && t.longitude.get(r).is_finite()
        })
        .map(|r| {
            let i = r as usize;
            let (x, y) = project(t.latitude.get(i), t.longitude.get(i));
            let e = Event {
                t: t.date.get(i),
                x,
                y,
                cell: grid.cell_of(x, y).map_or(NONE, |c| c as u32),
                slot: horizon.slot(t.date.get(i)).unwrap_or(NONE_SLOT),
            };
            (r, e)
        })
        .collect();
    ev.sort_by(|a, b| a.1.t.cmp(&b.1.t).then(a.0.cmp(&b.0)));
    ev
}

/// Percentile interval of `values` (sorted in place).
fn interval(values: &mut [f64], confidence: f64) -> [f64; 2] {
    if values.is_empty() {
        return [f64::NAN, f64::NAN];
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let q = |p: f64| {
        let i = (p * (values.len() - 1) as f64).round() as usize;
        values[i.min(values.len() - 1)]
    };
    [q((1.0 - confidence) / 2.0), q((1.0 + confidence) / 2.0)]
}

fn mean(v: impl Iterator<Item = f64>) -> f64 {
    let (s, n) = v.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 {
        0.0
    } else {
        s / n as f64
    }
}

impl RollingValid {
    pub fn params(&self) -> &RollingParams {
        &self.0
    }

    /// The study area's grid cells, ascending (position `i` of a ranking is `study(t)[i]`): the
    /// cells with an incident of any row of `t` before the first period.
    pub fn study(&self, t: &CrimeTable) -> Vec<usize> {
        let Some(first) = self.spans().first().map(|s| s.start) else { return Vec::new() };
        let Some((grid, cell)) = Grid::of_rows_before(t, first, self.0.cell_m) else { return Vec::new() };
        let mut on = vec![false; grid.len()];
        cell.iter().flatten().for_each(|&c| on[c] = true);
        (0..grid.len()).filter(|&c| on[c]).collect()
    }

    /// The periods the run scores, warm-up periods (for the ensemble) first.
    pub fn spans(&self) -> Vec<super::Span> {
        let p = &self.0;
        let warmup = if p.methods.contains(&ForecastMethod::Ensemble) { p.ensemble.periods } else { 0 };
        let weekday = |t: i64| (t.div_euclid(super::DAY) + 3).rem_euclid(7) as u8;
        let mut spans = p.horizon.periods(p.from, p.to, warmup * if p.weekday.is_some() { 7 } else { 1 });
        if let Some(w) = p.weekday {
            spans.retain(|s| weekday(s.start) == w);
        }
        spans
    }

    /// Runs the rolling test on the `rows` of `t` (the analyst's filter); `progress` runs 0–1 over
    /// the periods and can cancel.
    pub fn run(
        &self,
        t: &CrimeTable,
        rows: &[u32],
        progress: &mut dyn Progress,
    ) -> Result<Rolling, AnalysisError> {
        self.run_inspect(t, rows, progress, &mut |_, _, _| {})
    }

    /// [`Self::run`], handing every period's ranking of every method (study positions, riskiest
    /// first) to `inspect(period index, method, order)`; warm-up periods come first.
    pub fn run_inspect(
        &self,
        t: &CrimeTable,
        rows: &[u32],
        progress: &mut dyn Progress,
        inspect: &mut dyn FnMut(usize, ForecastMethod, &[usize]),
    ) -> Result<Rolling, AnalysisError> {
        self.run_with_layers(t, rows, &[], progress, inspect)
    }

    /// [`Self::run_inspect`] with environment layers (clipped to the crimes' extent, in the
    /// table's frame): `risk_terrain` joins the methods (before the ensemble) when there are
    /// any; asked for without layers it is refused.
    pub fn run_with_layers(
        &self,
        t: &CrimeTable,
        rows: &[u32],
        layers: &[Layer],
        progress: &mut dyn Progress,
        inspect: &mut dyn FnMut(usize, ForecastMethod, &[usize]),
    ) -> Result<Rolling, AnalysisError> {
        let mut with = self.0.clone();
        let wants_terrain = with.methods.contains(&ForecastMethod::RiskTerrain);
        if layers.is_empty() && wants_terrain {
            return Err(AnalysisError::Param(
                "the risk terrain needs environment layers: add them, or leave risk_terrain out".into(),
            ));
        }
        if !layers.is_empty() && !wants_terrain {
            let at = with
                .methods
                .iter()
                .position(|&m| m == ForecastMethod::Ensemble)
                .unwrap_or(with.methods.len());
            with.methods.insert(at, ForecastMethod::RiskTerrain);
        }
        let p = &with;
        let spans = self.spans();
        if spans.iter().all(|s| s.warmup) {
            return Err(AnalysisError::Param(format!(
                "no whole {} fits between {} and {}",
                p.horizon.key(),
                p.from,
                p.to
            )));
        }
        let first = spans[0].start;
        let last_end = spans.iter().map(|s| s.end).max().expect("a period");
        // The table as it stood at the first period's start.
        let (grid, cell) = Grid::of_rows_before(t, first, p.cell_m).ok_or_else(|| {
            AnalysisError::Data(format!("no incident before {} has coordinates", label(first)))
        })?;
        let mut pos = vec![usize::MAX; grid.len()];
        cell.iter().flatten().for_each(|&c| pos[c] = 0);
        let study: Vec<usize> = (0..grid.len()).filter(|&c| pos[c] == 0).collect();
        study.iter().enumerate().for_each(|(i, &c)| pos[c] = i);
        let (event_rows, events): (Vec<u32>, Vec<Event>) =
            events_of(t, rows, last_end, &grid, p.horizon).into_iter().unzip();

        let base: Vec<ForecastMethod> =
            p.methods.iter().copied().filter(|&m| m != ForecastMethod::Ensemble).collect();
        let with_ensemble = base.len() < p.methods.len();
        let mut forecasters: Vec<Box<dyn Forecaster>> = Vec::new();
        let mut sepp_at = None;
        for &m in &base {
            forecasters.push(match m {
                ForecastMethod::Naive => Box::new(Counts::naive(&grid, p.naive_weeks)),
                ForecastMethod::NaiveShift => {
                    Box::new(Counts::same_shift(&grid, p.shift_weeks, p.horizon, false))
                }
                ForecastMethod::ShiftHours => {
                    Box::new(Counts::same_shift(&grid, p.hours_weeks, p.horizon, true))
                }
                ForecastMethod::Kde => Box::new(Kde::new(&grid, p.kde_weeks, p.bandwidth_m)),
                ForecastMethod::Prospective => Box::new(Prospective::new(&grid, p.prospective.clone())),
                ForecastMethod::NearRepeat => Box::new(NearRepeatZones::new(&grid, p.near_repeat.clone())),
                ForecastMethod::Sepp => {
                    sepp_at = Some(forecasters.len());
                    Box::new(Sepp::new(&grid, p.sepp.clone().check()?))
                }
                ForecastMethod::Risk => Box::new(RiskGrid::new(
                    &grid,
                    &study,
                    t,
                    &event_rows,
                    last_end,
                    p.risk_half_life_days,
                    p.risk_weights,
                )),
                ForecastMethod::RiskTerrain => Box::new(Terrain::new(&grid, &study, layers)),
                ForecastMethod::Ensemble => unreachable!("the ensemble is not a base method"),
            });
        }
        let nm = p.methods.len();
        let mut scores: Vec<Scores> = (0..base.len()).map(|_| Scores::new(grid.len())).collect();
        let mut ens = Scores::new(grid.len());
        // Per period (warm-up included) per method: scores at each coverage; and the period's facts.
        let mut all_scores: Vec<Vec<Option<PeriodScore>>> = Vec::with_capacity(spans.len());
        let mut infos = Vec::new();
        let ens_c = cells_at(p.ensemble.coverage, study.len());
        let mut weights = vec![1.0; base.len()];
        let mut warnings = Vec::new();
        // Hit rate at the ensemble's coverage per period per base method, and the period's end.
        let mut record: Vec<(i64, Vec<f64>)> = Vec::new();

        for (k, span) in spans.iter().enumerate() {
            if !progress.report(k as f64 / spans.len() as f64) {
                return Err(AnalysisError::Cancelled);
            }
            let now = events.partition_point(|e| e.t < span.start);
            let past = &events[..now];
            let end = events.partition_point(|e| e.t < span.end);
            let mut counts = vec![0u64; study.len()];
            let mut outside = 0;
            for e in &events[now..end] {
                match (e.cell != NONE).then(|| pos[e.cell as usize]).filter(|&i| i != usize::MAX) {
                    Some(i) => counts[i] += 1,
                    None => outside += 1,
                }
            }
            let located = (end - now) as u64;
            let tc = TestCounts::new(counts, located);
            let score = |order: &[usize]| {
                let cum = tc.cumulative(order);
                let m: Vec<_> = p.coverages.iter().map(|&c| tc.metrics(&cum, c)).collect();
                let n = study.len().max(1);
                let area_needed = CURVE_HIT_RATES
                    .iter()
                    .map(|&h| {
                        let want = (h * located as f64).ceil() as u64;
                        let k = cum.partition_point(|&c| c < want);
                        if k < cum.len() {
                            k as f64 / n as f64
                        } else {
                            1.0
                        }
                    })
                    .collect();
                PeriodScore {
                    hits: m.iter().map(|m| m.hits).collect(),
                    pai: m.iter().map(|m| m.pai).collect(),
                    pei: m.iter().map(|m| m.pei).collect(),
                    area_needed,
                }
            };
            let mut row: Vec<Option<PeriodScore>> = vec![None; nm];
            let mut rates = vec![0.0; base.len()];
            for (i, f) in forecasters.iter_mut().enumerate() {
                f.forecast(past, *span, &mut scores[i])?;
                let order = scores[i].order(&study);
                inspect(k, base[i], &order);
                let cum = tc.cumulative(&order);
                rates[i] = if located > 0 { cum[ens_c] as f64 / located as f64 } else { f64::NAN };
                row[i] = Some(score(&order));
            }
            if with_ensemble {
                // Weights from the periods that ended before this one started.
                let done: Vec<&Vec<f64>> = record
                    .iter()
                    .rev()
                    .filter(|(e, r)| *e <= span.start && r.iter().all(|v| v.is_finite()))
                    .take(p.ensemble.periods)
                    .map(|(_, r)| r)
                    .collect();
                if !done.is_empty() {
                    weights = (0..base.len())
                        .map(|i| mean(done.iter().map(|r| r[i])).max(0.0).powf(p.ensemble.power))
                        .collect();
                    let s: f64 = weights.iter().sum();
                    if s > 0.0 {
                        weights.iter_mut().for_each(|w| *w /= s);
                    } else {
                        weights = vec![1.0 / base.len() as f64; base.len()];
                    }
                } else {
                    weights = vec![1.0 / base.len() as f64; base.len()];
                }
                let parts: Vec<(&[f64], f64)> =
                    scores.iter().zip(&weights).map(|(s, &w)| (s.primary.as_slice(), w)).collect();
                combine(&parts, &study, &mut ens.primary);
                let order = ens.order(&study);
                inspect(k, ForecastMethod::Ensemble, &order);
                row[nm - 1] = Some(score(&order));
            }
            record.push((span.end, rates));
            all_scores.push(row);
            infos.push(PeriodInfo {
                start: span.start,
                end: span.end,
                label: label(span.start),
                incidents: located,
                outside,
            });
        }
        progress.report(1.0);

        // Summaries over the test periods with incidents.
        let test: Vec<usize> = (0..spans.len()).filter(|&k| !spans[k].warmup).collect();
        let scored: Vec<usize> = test.iter().copied().filter(|&k| infos[k].incidents > 0).collect();
        if scored.is_empty() {
            warnings.push("no test period has a located incident: nothing to score".into());
        }
        let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
        let resamples: Vec<Vec<usize>> = (0..p.bootstrap)
            // u32 draws: rand draws usize ranges differently on 32-bit WebAssembly, and the page
            // must give the command's intervals.
            .map(|_| {
                (0..scored.len())
                    .map(|_| scored[rng.gen_range(0..scored.len().max(1) as u32) as usize])
                    .collect()
            })
            .collect();
        let naive_i = p.methods.iter().position(|&m| m == ForecastMethod::Naive).expect("naive always runs");
        let get = |m: usize, k: usize| all_scores[k][m].as_ref().expect("every method scored every period");
        let mut methods = Vec::new();
        for (mi, &m) in p.methods.iter().enumerate() {
            let mut summary = Vec::new();
            for (ci, &c) in p.coverages.iter().enumerate() {
                let n = study.len();
                let rate = |k: usize| get(mi, k).hits[ci] as f64 / infos[k].incidents as f64;
                let pai = |m: usize, k: usize| get(m, k).pai[ci];
                let pei = |k: usize| get(mi, k).pei[ci];
                let boot = |f: &dyn Fn(usize) -> f64| {
                    let mut v: Vec<f64> = resamples.iter().map(|r| mean(r.iter().map(|&k| f(k)))).collect();
                    interval(&mut v, p.confidence)
                };
                let vs_naive = (mi != naive_i).then(|| {
                    let (mut wins, mut ties, mut losses) = (0, 0, 0);
                    for &k in &scored {
                        let (a, b) = (get(mi, k).hits[ci], get(naive_i, k).hits[ci]);
                        match a.cmp(&b) {
                            std::cmp::Ordering::Greater => wins += 1,
                            std::cmp::Ordering::Equal => ties += 1,
                            std::cmp::Ordering::Less => losses += 1,
                        }
                    }
                    let rel = |ks: &[usize]| {
                        let base = mean(ks.iter().map(|&k| pai(naive_i, k)));
                        if base > 0.0 {
                            mean(ks.iter().map(|&k| pai(mi, k))) / base - 1.0
                        } else {
                            f64::NAN
                        }
                    };
                    let mut rels: Vec<f64> =
                        resamples.iter().map(|r| rel(r)).filter(|v| v.is_finite()).collect();
                    Paired {
                        wins,
                        ties,
                        losses,
                        share_won: if scored.is_empty() { 0.0 } else { wins as f64 / scored.len() as f64 },
                        mean_gain: mean(scored.iter().map(|&k| pai(mi, k) - pai(naive_i, k))),
                        gain_interval: boot(&|k| pai(mi, k) - pai(naive_i, k)),
                        relative_gain: rel(&scored),
                        relative_interval: interval(&mut rels, p.confidence),
                    }
                });
                summary.push(CoverageSummary {
                    coverage: c,
                    cells: cells_at(c, n),
                    hit_rate: mean(scored.iter().map(|&k| rate(k))),
                    hit_rate_interval: boot(&rate),
                    pai: mean(scored.iter().map(|&k| pai(mi, k))),
                    pai_interval: boot(&|k| pai(mi, k)),
                    pei: mean(scored.iter().map(|&k| pei(k))),
                    pei_interval: boot(&pei),
                    vs_naive,
                });
            }
            let note = match m {
                ForecastMethod::Ensemble => format!(
                    "weights at the last period: {}",
                    base.iter()
                        .zip(&weights)
                        .map(|(b, w)| format!("{} {:.2}", b.key(), w))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                _ => forecasters[mi].note(),
            };
            let area_needed = CURVE_HIT_RATES
                .iter()
                .enumerate()
                .map(|(i, &h)| (h, mean(scored.iter().map(|&k| get(mi, k).area_needed[i]))))
                .collect();
            methods.push(MethodRolling {
                method: m,
                label: m.label().into(),
                note,
                summary,
                area_needed,
                periods: test.iter().map(|&k| get(mi, k).clone()).collect(),
            });
        }
        let sepp_fits = match sepp_at {
            Some(i) => sepp_fits(forecasters[i].as_ref()),
            None => Vec::new(),
        };
        Ok(Rolling {
            params: p.clone(),
            grid,
            study_cells: study.len(),
            periods: test.iter().map(|&k| infos[k].clone()).collect(),
            scored: scored.len(),
            methods,
            ensemble_weights: if with_ensemble {
                base.iter().copied().zip(weights).collect()
            } else {
                Vec::new()
            },
            sepp_fits,
            warnings,
        })
    }
}

/// The fits of the SEPP forecaster (a [`Sepp`]).
fn sepp_fits(f: &dyn Forecaster) -> Vec<SeppModel> {
    f.sepp_fits().map(|v| v.iter().map(|(_, m)| m.clone()).collect()).unwrap_or_default()
}
