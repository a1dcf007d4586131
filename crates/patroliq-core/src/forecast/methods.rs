//! The forecasts the rolling back-test compares. Each is a [`Forecaster`]: it is handed every
//! incident dated before a period's start (a longer prefix of the same time-ordered list at each
//! period, never a later row) and scores every grid cell for that period, higher = riskier.
//! Forecasters keep their state from one period to the next and slide it (counts in a moving
//! window gain the new incidents and lose the old), so a rolling test does not refit from scratch.
//!
//! | key | method | source | parameters |
//! | --- | --- | --- | --- |
//! | `naive` | incidents per cell in the last `naive_weeks` weeks | the "last period's counts" baseline of the hotspot literature (Chainey et al. 2008) | `naive_weeks` (4) |
//! | `naive_shift` | the same, counting only incidents in the same weekday × hour window (Friday 20:00–04:00 for a Friday night shift; the same weekday for a day; all incidents for weeks and months) | the shift-aware count of the NIJ Crime Forecasting Challenge entries | `shift_weeks` (12) |
//! | `shift_hours` | the same hours on every day (20:00–04:00 of every night for a night shift; all incidents for a day, a week, a month): seven times the data of `naive_shift`, still shift-aware | as `naive_shift` | `hours_weeks` (52) |
//! | `prospective` | Σ over incidents of the last `weeks` weeks within `bandwidth_m` of a cell of 1/(1 + distance in cell widths) × 1/(1 + weeks elapsed) | Bowers, Johnson & Pease (2004), *Prospective hot-spotting: the future of crime mapping?*, Brit. J. Criminol. 44(5) | [`ProspectiveParams`] |
//! | `near_repeat` | risk zones: every incident of the last `days` days raises the cells within `radius_m` of it by 1 − age/`days`; within and outside zones, cells rank by their last year's count | Townsley, Homel & Chaseling (2003); the Near Repeat Calculator's "x times more likely within 200 m and 7 days" (Ratcliffe 2009) | [`NearRepeatParams`] |
//! | `sepp` | the expected count of a self-exciting point process in the period: background rate + the triggering still owed by recent incidents | Mohler, Short, Brantingham, Schoenberg & Tita (2011), *Self-exciting point process modeling of crime*, JASA 106(493); see [`super::sepp`] | [`super::sepp::SeppParams`] |
//! | `kde` | Gaussian kernel density of the last `kde_weeks` weeks' incidents ([`crate::risk::kde`]) | Chainey et al. (2008) | `kde_weeks` (52), `bandwidth_m` (400) |
//! | `risk` | the Patrol page's risk grid ([`crate::risk`]) as it stood at the period's start: severity-weighted counts, recency-decayed counts and the environment model's expected count, weighted; see [`super::risk_grid`] | risk terrain modelling (Caplan & Kennedy 2011) with the near-repeat decay | `risk_half_life_days` (90), `risk_weights` (0.5, 0.3, 0.2) |
//! | `risk_terrain` | the risk terrain of the user's environment layers and the lag of past crime, fitted as on the Patrol page and refitted every 13 weeks; only with layers; see [`super::terrain`] | risk terrain modelling (Caplan & Kennedy 2011; RTMDx) | the layers |
//! | `ensemble` | Σ over the other methods of weight × score (each score scaled by the mean of its top 1 % of cells); the weights ∝ (mean hit rate over the last `periods` finished periods)^`power` | stacking on the rolling record, as in the NIJ challenge's winning entries | [`EnsembleParams`] (8 periods, 1 %, power 20) |

use serde::{Deserialize, Serialize};

use super::sepp::{SeppModel, SeppValid};
use super::{shuffle_key, AnalysisError, Span, DAY, WEEK};
use crate::risk::grid::Grid;
use crate::risk::kde;

/// A forecasting method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForecastMethod {
    Naive,
    NaiveShift,
    ShiftHours,
    Prospective,
    NearRepeat,
    Sepp,
    Kde,
    Risk,
    /// The risk terrain of the environment layers ([`super::terrain`]); runs only when layers
    /// are given, so not in [`ForecastMethod::ALL`].
    RiskTerrain,
    Ensemble,
}

impl ForecastMethod {
    pub const ALL: [ForecastMethod; 9] = [
        ForecastMethod::Naive,
        ForecastMethod::NaiveShift,
        ForecastMethod::ShiftHours,
        ForecastMethod::Prospective,
        ForecastMethod::NearRepeat,
        ForecastMethod::Sepp,
        ForecastMethod::Kde,
        ForecastMethod::Risk,
        ForecastMethod::Ensemble,
    ];

    /// The name in JSON and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            ForecastMethod::Naive => "naive",
            ForecastMethod::NaiveShift => "naive_shift",
            ForecastMethod::ShiftHours => "shift_hours",
            ForecastMethod::Prospective => "prospective",
            ForecastMethod::NearRepeat => "near_repeat",
            ForecastMethod::Sepp => "sepp",
            ForecastMethod::Kde => "kde",
            ForecastMethod::Risk => "risk",
            ForecastMethod::RiskTerrain => "risk_terrain",
            ForecastMethod::Ensemble => "ensemble",
        }
    }

    pub fn from_key(key: &str) -> Option<ForecastMethod> {
        ForecastMethod::ALL.into_iter().chain([ForecastMethod::RiskTerrain]).find(|m| m.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            ForecastMethod::Naive => "Last weeks' counts (naive)",
            ForecastMethod::NaiveShift => "Same weekday × hours' counts",
            ForecastMethod::ShiftHours => "Same hours' counts, every day",
            ForecastMethod::Prospective => "Prospective hotspotting",
            ForecastMethod::NearRepeat => "Near-repeat risk zones",
            ForecastMethod::Sepp => "Self-exciting point process",
            ForecastMethod::Kde => "KDE",
            ForecastMethod::Risk => "Risk grid (severity + recency + environment)",
            ForecastMethod::RiskTerrain => "Risk terrain (environment layers)",
            ForecastMethod::Ensemble => "Ensemble (learnt weights)",
        }
    }
}

/// Prospective hotspotting's parameters. Defaults: Bowers et al.'s 400 m and two months.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProspectiveParams {
    pub bandwidth_m: f64,
    pub weeks: u32,
}

impl Default for ProspectiveParams {
    fn default() -> Self {
        ProspectiveParams { bandwidth_m: 400.0, weeks: 8 }
    }
}

/// Near-repeat risk zones. Defaults: the band where Chicago's Knox ratio is highest (see
/// [`super::knox`]): 200 m, 7 days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearRepeatParams {
    pub radius_m: f64,
    pub days: f64,
}

impl Default for NearRepeatParams {
    fn default() -> Self {
        NearRepeatParams { radius_m: 200.0, days: 7.0 }
    }
}

/// The ensemble's learning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnsembleParams {
    /// Finished periods whose scores set the weights (the rolling test scores as many periods
    /// before the test window, so the first test period has them too).
    pub periods: usize,
    /// The coverage whose hit rate is learnt from, 0–1.
    pub coverage: f64,
    /// Weight ∝ mean hit rate ^ power: 0 weighs all methods alike, a large power picks the best.
    pub power: f64,
}

impl Default for EnsembleParams {
    fn default() -> Self {
        EnsembleParams { periods: 8, coverage: 0.01, power: 20.0 }
    }
}

/// An incident as the forecasts see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Event {
    /// Seconds, local time.
    pub t: i64,
    /// Metres ([`crate::features::project`]).
    pub x: f64,
    pub y: f64,
    /// Grid cell, `NONE` when off the grid.
    pub cell: u32,
    /// [`super::Horizon::slot`], `NONE_SLOT` when outside the horizon's hours.
    pub slot: u8,
}

pub const NONE: u32 = u32::MAX;
pub const NONE_SLOT: u8 = u8::MAX;

/// Every cell's score for one period, by grid cell: `primary`, then `secondary` breaks ties, then
/// the fixed pseudo-random order.
pub struct Scores {
    pub primary: Vec<f64>,
    pub secondary: Vec<f64>,
}

impl Scores {
    pub fn new(n: usize) -> Scores {
        Scores { primary: vec![0.0; n], secondary: vec![0.0; n] }
    }

    fn clear(&mut self) {
        self.primary.iter_mut().for_each(|v| *v = 0.0);
        self.secondary.iter_mut().for_each(|v| *v = 0.0);
    }

    /// The study positions, riskiest first (`study[i]` is the grid cell of position `i`).
    pub fn order(&self, study: &[usize]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..study.len()).collect();
        let key = |i: usize| {
            let c = study[i];
            (self.primary[c], self.secondary[c], shuffle_key(c))
        };
        order.sort_by(|&i, &j| {
            let (a, b) = (key(i), key(j));
            b.0.total_cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2))
        });
        order
    }
}

/// A forecast that slides from period to period.
pub trait Forecaster {
    /// Scores every grid cell for `span` into `out`. `past` holds every incident dated before
    /// `span.start`, in time order; each call gets a prefix at least as long as the last one's.
    fn forecast(&mut self, past: &[Event], span: Span, out: &mut Scores) -> Result<(), AnalysisError>;

    /// What the last fit found, in words.
    fn note(&self) -> String;

    /// The fits of a self-exciting process (when the forecast is one), with the period starts
    /// they were made at.
    fn sepp_fits(&self) -> Option<&[(i64, SeppModel)]> {
        None
    }
}

/// Incidents per grid cell (and slot) in the moving window `[start − len, start)`. `slots`: 1 counts
/// every incident, 7 one count per weekday slot ([`super::Horizon::slot`]), 0 the incidents in the
/// horizon's hours on any day.
struct Sliding {
    len: i64,
    slots: usize,
    lo: usize,
    hi: usize,
    counts: Vec<f64>,
    cells: usize,
}

impl Sliding {
    fn new(cells: usize, slots: usize, len: i64) -> Sliding {
        Sliding { len, slots, lo: 0, hi: 0, counts: vec![0.0; cells * slots.max(1)], cells }
    }

    fn index(&self, e: &Event) -> Option<usize> {
        let slot = match self.slots {
            1 => 0,
            // One slot for the horizon's hours on any weekday.
            0 => usize::from(e.slot == NONE_SLOT) * usize::MAX,
            _ => e.slot as usize,
        };
        (e.cell != NONE && slot < self.slots.max(1)).then(|| slot * self.cells + e.cell as usize)
    }

    /// Brings the window to `[start − len, start)` given every incident before `start`.
    fn slide(&mut self, past: &[Event], start: i64) {
        debug_assert!(past.len() >= self.hi, "the past only grows");
        while self.hi < past.len() {
            if let Some(i) = self.index(&past[self.hi]) {
                self.counts[i] += 1.0;
            }
            self.hi += 1;
        }
        while self.lo < self.hi && past[self.lo].t < start - self.len {
            if let Some(i) = self.index(&past[self.lo]) {
                self.counts[i] -= 1.0;
            }
            self.lo += 1;
        }
    }

    fn window(&self, slot: usize) -> &[f64] {
        &self.counts[slot * self.cells..(slot + 1) * self.cells]
    }

    fn events<'a>(&self, past: &'a [Event]) -> &'a [Event] {
        &past[self.lo..self.hi]
    }
}

/// `naive` and `naive_shift`.
pub struct Counts {
    window: Sliding,
    weeks: u32,
    /// Counting only the period's weekday × hour slot.
    shift: Option<super::Horizon>,
    last: (f64, usize),
}

impl Counts {
    pub fn naive(grid: &Grid, weeks: u32) -> Counts {
        Counts {
            window: Sliding::new(grid.len(), 1, i64::from(weeks) * WEEK),
            weeks,
            shift: None,
            last: (0.0, 0),
        }
    }

    /// Counts of the period's weekday × hour slot ([`super::Horizon::slot`] of its start) only;
    /// with `any_weekday`, of its hours on every day.
    pub fn same_shift(grid: &Grid, weeks: u32, horizon: super::Horizon, any_weekday: bool) -> Counts {
        Counts {
            window: Sliding::new(grid.len(), if any_weekday { 0 } else { 7 }, i64::from(weeks) * WEEK),
            weeks,
            shift: Some(horizon),
            last: (0.0, 0),
        }
    }
}

impl Forecaster for Counts {
    fn forecast(&mut self, past: &[Event], span: Span, out: &mut Scores) -> Result<(), AnalysisError> {
        self.window.slide(past, span.start);
        // A shift's first second is inside it, so its slot is the period's.
        let slot = match self.window.slots {
            7 => self.shift.and_then(|h| h.slot(span.start)).map_or(0, usize::from),
            _ => 0,
        };
        out.clear();
        out.primary.copy_from_slice(self.window.window(slot));
        self.last = (out.primary.iter().sum(), out.primary.iter().filter(|&&v| v > 0.0).count());
        Ok(())
    }

    fn note(&self) -> String {
        format!(
            "{} incidents of the last {} weeks{} on {} cells",
            self.last.0,
            self.weeks,
            match (self.shift.is_some(), self.window.slots) {
                (false, _) => "",
                (true, 0) => " in these hours",
                _ => " in this weekday × hour window",
            },
            self.last.1
        )
    }
}

/// `kde`.
pub struct Kde {
    window: Sliding,
    grid: Grid,
    bandwidth_m: f64,
    weeks: u32,
}

impl Kde {
    pub fn new(grid: &Grid, weeks: u32, bandwidth_m: f64) -> Kde {
        Kde { window: Sliding::new(grid.len(), 1, i64::from(weeks) * WEEK), grid: *grid, bandwidth_m, weeks }
    }
}

impl Forecaster for Kde {
    fn forecast(&mut self, past: &[Event], span: Span, out: &mut Scores) -> Result<(), AnalysisError> {
        self.window.slide(past, span.start);
        out.clear();
        out.primary = kde::kde(&self.grid, self.window.window(0), self.bandwidth_m);
        Ok(())
    }

    fn note(&self) -> String {
        format!("bandwidth {} m, the last {} weeks", self.bandwidth_m, self.weeks)
    }
}

/// Offsets (columns, rows) of the cells whose centres lie within `r` metres of a cell's centre,
/// with the distance in cell widths.
fn disk(cell_m: f64, r: f64) -> Vec<(i64, i64, f64)> {
    let reach = (r / cell_m).floor() as i64;
    let mut out = Vec::new();
    for dr in -reach..=reach {
        for dc in -reach..=reach {
            let d = ((dr * dr + dc * dc) as f64).sqrt();
            if d * cell_m <= r + 1e-9 {
                out.push((dc, dr, d));
            }
        }
    }
    out
}

/// Adds `value × kernel(d)` to every grid cell of `cell`'s disk.
fn spread(
    grid: &Grid,
    disk: &[(i64, i64, f64)],
    cell: usize,
    value: f64,
    kernel: impl Fn(f64) -> f64,
    out: &mut [f64],
) {
    let (c, r) = grid.col_row(cell);
    for &(dc, dr, d) in disk {
        let (cc, rr) = (c as i64 + dc, r as i64 + dr);
        if cc >= 0 && rr >= 0 && (cc as usize) < grid.cols && (rr as usize) < grid.rows {
            out[rr as usize * grid.cols + cc as usize] += value * kernel(d);
        }
    }
}

/// `prospective`: Bowers, Johnson & Pease (2004).
pub struct Prospective {
    window: Sliding,
    grid: Grid,
    disk: Vec<(i64, i64, f64)>,
    p: ProspectiveParams,
    weekly: Vec<f64>,
}

impl Prospective {
    pub fn new(grid: &Grid, p: ProspectiveParams) -> Prospective {
        Prospective {
            window: Sliding::new(grid.len(), 1, i64::from(p.weeks) * WEEK),
            grid: *grid,
            disk: disk(grid.cell_m, p.bandwidth_m),
            weekly: vec![0.0; grid.len()],
            p,
        }
    }
}

impl Forecaster for Prospective {
    fn forecast(&mut self, past: &[Event], span: Span, out: &mut Scores) -> Result<(), AnalysisError> {
        self.window.slide(past, span.start);
        // Each cell's incidents weighted by 1 / (1 + whole weeks elapsed), then spread over the
        // disk with 1 / (1 + distance in cell widths).
        self.weekly.iter_mut().for_each(|v| *v = 0.0);
        for e in self.window.events(past).iter().filter(|e| e.cell != NONE) {
            let weeks = ((span.start - e.t) / WEEK) as f64;
            self.weekly[e.cell as usize] += 1.0 / (1.0 + weeks);
        }
        out.clear();
        for (c, &w) in self.weekly.iter().enumerate().filter(|(_, w)| **w > 0.0) {
            spread(&self.grid, &self.disk, c, w, |d| 1.0 / (1.0 + d), &mut out.primary);
        }
        Ok(())
    }

    fn note(&self) -> String {
        format!("{} m, {} weeks; 1/(1 + cells) × 1/(1 + weeks)", self.p.bandwidth_m, self.p.weeks)
    }
}

/// `near_repeat`: risk zones around the last days' incidents.
pub struct NearRepeatZones {
    recent: Sliding,
    year: Sliding,
    grid: Grid,
    p: NearRepeatParams,
    reach: i64,
    zoned: usize,
}

impl NearRepeatZones {
    pub fn new(grid: &Grid, p: NearRepeatParams) -> NearRepeatZones {
        NearRepeatZones {
            recent: Sliding::new(grid.len(), 1, (p.days * DAY as f64).ceil() as i64),
            year: Sliding::new(grid.len(), 1, 52 * WEEK),
            grid: *grid,
            reach: (p.radius_m / grid.cell_m).ceil() as i64,
            p,
            zoned: 0,
        }
    }
}

impl Forecaster for NearRepeatZones {
    fn forecast(&mut self, past: &[Event], span: Span, out: &mut Scores) -> Result<(), AnalysisError> {
        self.recent.slide(past, span.start);
        self.year.slide(past, span.start);
        out.clear();
        out.secondary.copy_from_slice(self.year.window(0));
        let g = &self.grid;
        let (r2, len) = (self.p.radius_m * self.p.radius_m, self.p.days * DAY as f64);
        for e in self.recent.events(past).iter().filter(|e| e.cell != NONE) {
            let w = 1.0 - (span.start - e.t) as f64 / len;
            if w <= 0.0 {
                continue;
            }
            let (c, r) = g.col_row(e.cell as usize);
            for dr in -self.reach..=self.reach {
                for dc in -self.reach..=self.reach {
                    let (cc, rr) = (c as i64 + dc, r as i64 + dr);
                    if cc < 0 || rr < 0 || cc as usize >= g.cols || rr as usize >= g.rows {
                        continue;
                    }
                    let i = rr as usize * g.cols + cc as usize;
                    // The nearest point of the cell to the incident.
                    let (cx, cy) = g.centre(i);
                    let h = g.cell_m / 2.0;
                    let dx = ((e.x - cx).abs() - h).max(0.0);
                    let dy = ((e.y - cy).abs() - h).max(0.0);
                    if dx * dx + dy * dy <= r2 {
                        out.primary[i] += w;
                    }
                }
            }
        }
        self.zoned = out.primary.iter().filter(|&&v| v > 0.0).count();
        Ok(())
    }

    fn note(&self) -> String {
        format!(
            "zones within {} m of the last {} days' incidents ({} cells); ties by the last year's counts",
            self.p.radius_m, self.p.days, self.zoned
        )
    }
}

/// `sepp`: refitted every `refit_days` on the window before the period; between refits the fitted
/// process carries on with the new incidents.
pub struct Sepp {
    params: SeppValid,
    grid: Grid,
    model: Option<(i64, SeppModel)>,
    pub fits: Vec<(i64, SeppModel)>,
    progress_note: String,
}

impl Sepp {
    pub fn new(grid: &Grid, params: SeppValid) -> Sepp {
        Sepp { params, grid: *grid, model: None, fits: Vec::new(), progress_note: String::new() }
    }
}

impl Forecaster for Sepp {
    fn forecast(&mut self, past: &[Event], span: Span, out: &mut Scores) -> Result<(), AnalysisError> {
        let p = self.params.params();
        let due = match &self.model {
            None => true,
            Some((at, _)) => span.start - at >= (p.refit_days * DAY as f64) as i64,
        };
        if due {
            let from = span.start - i64::from(p.window_weeks) * WEEK;
            let lo = past.partition_point(|e| e.t < from);
            let warm = self.model.as_ref().map(|(_, m)| m.clone());
            let m = self.params.fit_events(
                &self.grid,
                &past[lo..],
                from,
                span.start,
                warm.as_ref(),
                &mut crate::cluster::Silent,
            )?;
            self.fits.push((span.start, m.clone()));
            self.model = Some((span.start, m));
        }
        let (_, m) = self.model.as_ref().expect("fitted");
        out.clear();
        m.expected(&self.grid, past, span.start, span.end, &mut out.primary);
        self.progress_note = m.describe();
        Ok(())
    }

    fn note(&self) -> String {
        format!("{} fits; last: {}", self.fits.len(), self.progress_note)
    }

    fn sepp_fits(&self) -> Option<&[(i64, SeppModel)]> {
        Some(&self.fits)
    }
}

/// The ensemble's combination: Σ weight × score scaled by the mean of its top 1 % of study cells.
pub fn combine(parts: &[(&[f64], f64)], study: &[usize], out: &mut [f64]) {
    out.iter_mut().for_each(|v| *v = 0.0);
    let top = (study.len() / 100).max(1);
    let mut vals: Vec<f64> = Vec::with_capacity(study.len());
    for &(score, w) in parts {
        if w <= 0.0 {
            continue;
        }
        vals.clear();
        vals.extend(study.iter().map(|&c| score[c]));
        let k = top.min(vals.len());
        if k == 0 {
            continue;
        }
        vals.select_nth_unstable_by(k - 1, |a, b| b.total_cmp(a));
        let scale = vals[..k].iter().sum::<f64>() / k as f64;
        if scale <= 0.0 || !scale.is_finite() {
            continue;
        }
        for &c in study {
            out[c] += w * score[c] / scale;
        }
    }
}
