//! The crime-risk grid: where to patrol.
//!
//! Each cell of a square grid gets three parts, each scaled to 0–1 by its largest cell and
//! combined with weights the analyst sees and sets:
//! - **severity**: the severity-weighted count of the selected incidents
//!   ([`crate::features::categories::severity`]);
//! - **recency**: incidents counted with an exponential time decay (weight ½ every `half_life_days`
//!   before the latest selected incident), as in near-repeat / self-exciting models;
//! - **environment**: the count a Poisson regression expects from the cell's environment: how
//!   many places of each kind (bars and restaurants, gas stations, transit, retail, residences,
//!   parking, schools) the whole dataset records there, as `ln(1 + n)` covariates. The weights
//!   are fitted, not chosen: the covariates from the first 75 % of the period, the selected
//!   incidents of the last 25 % as the outcome (risk terrain modelling's set-up).
//!
//! Beside the score: a KDE surface ([`kde`]) and Getis–Ord Gi* z-scores with a false-discovery-
//! rate correction ([`gistar`]), so a hotspot can be a statistically significant one.

pub mod gistar;
pub mod grid;
pub mod hotspots;
pub mod kde;
pub mod poisson;

use serde::{Deserialize, Serialize};

use crate::cluster::Progress;
use crate::error::AnalysisError;
use crate::features::categories::{location_group, severity};
use crate::model::CrimeTable;
use gistar::{gi_star, GiStar};
use grid::Grid;
use poisson::PoissonFit;

use crate::terrain::{Layer, TerrainModel};

/// The environment covariates: a name and whether a location description is one.
pub const ENVIRONMENT: [&str; 7] =
    ["bars & restaurants", "gas stations", "transit", "retail", "residences", "parking", "schools"];

/// Which environment covariate a location description counts for, if any.
pub fn environment_of(desc: &str) -> Option<usize> {
    if desc.contains("GAS STATION") {
        return Some(1);
    }
    match location_group(desc) {
        6 => Some(0),
        4 => Some(2),
        5 => Some(3),
        1 => Some(4),
        2 => Some(5),
        7 => Some(6),
        _ => None,
    }
}

/// The three parts of a score, in this order everywhere.
pub const PARTS: [&str; 3] = ["severity", "recency", "environment"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskParams {
    /// Side of a cell, metres (100–1000).
    pub cell_m: f64,
    /// Half-life of the recency decay, days.
    pub half_life_days: f64,
    /// Weights of severity, recency and environment (any non-negative numbers, not all 0).
    pub weights: [f64; 3],
    /// KDE bandwidth, metres.
    pub bandwidth_m: f64,
    /// False-discovery rate of the Gi* hot spots.
    pub fdr_q: f64,
}

impl Default for RiskParams {
    fn default() -> Self {
        RiskParams {
            cell_m: 250.0,
            half_life_days: 90.0,
            weights: [0.5, 0.3, 0.2],
            bandwidth_m: 400.0,
            fdr_q: 0.05,
        }
    }
}

/// Parameters that passed [`RiskParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct RiskValid(RiskParams);

impl RiskParams {
    pub fn check(self) -> Result<RiskValid, AnalysisError> {
        let bad = |m: String| Err(AnalysisError::Param(m));
        if !(100.0..=1000.0).contains(&self.cell_m) {
            return bad(format!("the cell size must be 100–1000 m, not {}", self.cell_m));
        }
        if !(self.half_life_days.is_finite() && self.half_life_days >= 1.0) {
            return bad("the recency half-life must be at least 1 day".into());
        }
        if self.weights.iter().any(|w| !(w.is_finite() && *w >= 0.0))
            || self.weights.iter().sum::<f64>() <= 0.0
        {
            return bad("the weights must be non-negative and not all zero".into());
        }
        if !(self.bandwidth_m.is_finite() && (50.0..=5000.0).contains(&self.bandwidth_m)) {
            return bad("the KDE bandwidth must be 50–5000 m".into());
        }
        if !(self.fdr_q > 0.0 && self.fdr_q < 0.5) {
            return bad("the false-discovery rate must be between 0 and 0.5".into());
        }
        Ok(RiskValid(self))
    }
}

/// One cell of the study area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellRisk {
    /// Index in the grid.
    pub cell: usize,
    pub lat: f64,
    pub lon: f64,
    /// Weighted sum of the parts, 0–1.
    pub score: f64,
    /// Each part's contribution to `score` (weight × scaled part ÷ Σ weights); they add up to it.
    pub parts: [f64; 3],
    /// Selected incidents in the cell.
    pub incidents: u32,
    /// Severity-weighted incidents.
    pub severity: f64,
    /// Decayed incidents.
    pub recency: f64,
    /// The incidents the environment model expects.
    pub expected: f64,
    /// KDE density, incidents per km².
    pub kde: f64,
    pub gi: Option<GiStar>,
}

/// The environment model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvironmentModel {
    pub covariates: Vec<String>,
    /// `None` when it could not be fitted (too few incidents, no variation).
    pub fit: Option<PoissonFit>,
    /// The training / outcome split (seconds, local time).
    pub split: i64,
    pub cells: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskModel {
    pub params: RiskParams,
    pub grid: Grid,
    /// Every study-area cell (a cell where the whole dataset records at least one incident),
    /// riskiest first.
    pub cells: Vec<CellRisk>,
    pub environment: EnvironmentModel,
    /// Selected incidents with coordinates, and those without (not on the grid).
    pub incidents: u64,
    pub unlocated: u64,
    /// The latest selected incident (the recency reference), seconds local time.
    pub as_of: Option<i64>,
    pub hot_cells: usize,
    pub cold_cells: usize,
    /// The risk terrain of the environment layers, when layers were given: then the score's
    /// environment part is its expected count, and `environment` (the records' own location
    /// descriptions) is only the fallback, shown beside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terrain: Option<TerrainModel>,
}

impl RiskModel {
    /// The cells sorted riskiest first; the `n` riskiest.
    pub fn top(&self, n: usize) -> &[CellRisk] {
        &self.cells[..n.min(self.cells.len())]
    }
}

const DAY: f64 = 86_400.0;

impl RiskValid {
    pub fn params(&self) -> &RiskParams {
        &self.0
    }

    /// The risk of every cell for the `rows` of `t`; the study area is where any row of `t`
    /// has an incident (so a filter to one crime type keeps the city's outline).
    pub fn fit(
        &self,
        t: &CrimeTable,
        rows: &[u32],
        progress: &mut impl Progress,
    ) -> Result<RiskModel, AnalysisError> {
        self.fit_before(t, rows, i64::MAX, progress)
    }

    /// The same as if the table held only the rows dated before `until` (seconds, local time):
    /// the grid, the study area and the environment covariates see nothing later, so a back-test
    /// fitted on its training period cannot peek at its test period. `rows` must be among them.
    pub fn fit_before(
        &self,
        t: &CrimeTable,
        rows: &[u32],
        until: i64,
        progress: &mut impl Progress,
    ) -> Result<RiskModel, AnalysisError> {
        self.fit_with_layers(t, rows, until, &[], progress)
    }

    /// [`RiskValid::fit_before`] with environment layers: when `layers` is not empty the
    /// environment part of the score is the risk terrain's expected count ([`crate::terrain`]),
    /// fitted as the location-description model is (the layers and the lag of the incidents
    /// before the split explain the incidents after it) and predicted with the lag of every
    /// incident. Layers are used as given (clip them to the crimes' extent first).
    pub fn fit_with_layers(
        &self,
        t: &CrimeTable,
        rows: &[u32],
        until: i64,
        layers: &[Layer],
        progress: &mut impl Progress,
    ) -> Result<RiskModel, AnalysisError> {
        let p = &self.0;
        let (grid, cell) = Grid::of_rows_before(t, until, p.cell_m)
            .ok_or_else(|| AnalysisError::Data("no incident has coordinates".into()))?;
        let n = grid.len();
        let mut study = vec![false; n];
        cell.iter().flatten().for_each(|&c| study[c] = true);
        if !progress.report(0.2) {
            return Err(AnalysisError::Cancelled);
        }
        debug_assert!(rows.iter().all(|&r| t.date.get(r as usize) < until), "rows after `until`");
        let located: Vec<u32> = rows.iter().copied().filter(|&r| cell[r as usize].is_some()).collect();
        let as_of = located.iter().map(|&r| t.date.get(r as usize)).max();
        let first = located.iter().map(|&r| t.date.get(r as usize)).min();
        let (mut count, mut sev, mut rec) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        let fbi_severity: Vec<f64> = t.fbi_code.values().iter().map(|c| severity(c)).collect();
        let lambda = std::f64::consts::LN_2 / (p.half_life_days * DAY);
        for &r in &located {
            let r = r as usize;
            let c = cell[r].expect("located");
            count[c] += 1.0;
            sev[c] += fbi_severity[t.fbi_code.code(r) as usize];
            rec[c] += (-(as_of.unwrap_or(0) - t.date.get(r)) as f64 * lambda).exp();
        }
        if !progress.report(0.4) {
            return Err(AnalysisError::Cancelled);
        }
        let split = match (first, as_of) {
            (Some(a), Some(b)) => crate::terrain::history::split_of(a, b),
            _ => 0,
        };
        let environment = environment_model(t, &cell, &located, split, n, &study);
        let mut expected: Vec<f64> = match &environment.1 {
            Some(fit) => environment.0.iter().map(|x| fit.predict(x)).collect(),
            None => vec![0.0; n],
        };
        let terrain = if layers.is_empty() {
            None
        } else {
            let cells: Vec<usize> = (0..n).filter(|&c| study[c]).collect();
            let incidents: Vec<(i64, usize)> = located
                .iter()
                .map(|&r| (t.date.get(r as usize), cell[r as usize].expect("located")))
                .collect();
            let (m, e) =
                crate::terrain::history::fit_history(&grid, &cells, &incidents, layers, &mut |d: f64| {
                    progress.report(0.4 + 0.2 * d)
                })?;
            // The next period's expectation, scaled like the fallback's: incidents per outcome period.
            expected = e;
            Some(m)
        };
        if !progress.report(0.6) {
            return Err(AnalysisError::Cancelled);
        }
        let density = kde::kde(&grid, &count, p.bandwidth_m);
        let gi = gi_star(&grid, &count, &study, p.fdr_q);
        if !progress.report(0.9) {
            return Err(AnalysisError::Cancelled);
        }
        let max_of =
            |v: &[f64]| v.iter().zip(&study).filter(|(_, &s)| s).map(|(x, _)| *x).fold(0.0, f64::max);
        let scale = [max_of(&sev), max_of(&rec), max_of(&expected)];
        let total_w: f64 = p.weights.iter().sum();
        let mut cells: Vec<CellRisk> = (0..n)
            .filter(|&c| study[c])
            .map(|c| {
                let raw = [sev[c], rec[c], expected[c]];
                let parts: [f64; 3] = std::array::from_fn(|k| {
                    if scale[k] > 0.0 {
                        p.weights[k] * raw[k] / scale[k] / total_w
                    } else {
                        0.0
                    }
                });
                let (lat, lon) = grid.centre_latlon(c);
                CellRisk {
                    cell: c,
                    lat,
                    lon,
                    score: parts.iter().sum(),
                    parts,
                    incidents: count[c] as u32,
                    severity: sev[c],
                    recency: rec[c],
                    expected: expected[c],
                    kde: density[c],
                    gi: gi[c],
                }
            })
            .collect();
        // Riskiest first; ties by more incidents, then by cell index so the order is stable.
        cells.sort_by(|a, b| {
            b.score.total_cmp(&a.score).then(b.incidents.cmp(&a.incidents)).then(a.cell.cmp(&b.cell))
        });
        progress.report(1.0);
        let (hot_cells, cold_cells) =
            gi.iter().flatten().fold((0, 0), |(h, c), g| (h + g.hot as usize, c + g.cold as usize));
        Ok(RiskModel {
            params: p.clone(),
            grid,
            cells,
            environment: EnvironmentModel {
                covariates: ENVIRONMENT.iter().map(|s| s.to_string()).collect(),
                fit: environment.1,
                split,
                cells: study.iter().filter(|&&s| s).count(),
            },
            incidents: located.len() as u64,
            unlocated: (rows.len() - located.len()) as u64,
            as_of,
            hot_cells,
            cold_cells,
            terrain,
        })
    }
}

/// Each cell's covariates (ln(1 + places of each kind), over every row of the table) and the
/// Poisson model of the selected incidents after `split` fitted on the covariates before it.
fn environment_model(
    t: &CrimeTable,
    cell: &[Option<usize>],
    located: &[u32],
    split: i64,
    n: usize,
    study: &[bool],
) -> (Vec<Vec<f64>>, Option<PoissonFit>) {
    let kinds: Vec<Option<usize>> =
        t.location_description.values().iter().map(|d| environment_of(d)).collect();
    let k = ENVIRONMENT.len();
    let (mut before, mut all) = (vec![vec![0.0; k]; n], vec![vec![0.0; k]; n]);
    for (r, c) in cell.iter().enumerate() {
        let (Some(c), Some(kind)) = (c, kinds[t.location_description.code(r) as usize]) else {
            continue;
        };
        all[*c][kind] += 1.0;
        if t.date.get(r) < split {
            before[*c][kind] += 1.0;
        }
    }
    let log1p = |v: &mut Vec<Vec<f64>>| v.iter_mut().flatten().for_each(|x| *x = x.ln_1p());
    log1p(&mut before);
    log1p(&mut all);
    let mut later = vec![0.0; n];
    for &r in located {
        if t.date.get(r as usize) >= split {
            later[cell[r as usize].expect("located")] += 1.0;
        }
    }
    let idx: Vec<usize> = (0..n).filter(|&c| study[c]).collect();
    let x: Vec<Vec<f64>> = idx.iter().map(|&c| before[c].clone()).collect();
    let y: Vec<f64> = idx.iter().map(|&c| later[c]).collect();
    (all, poisson::fit(&x, &y))
}

#[cfg(test)]
mod tests;

/// What the app shows of a risk run: the model (every study cell, for the map) and its hotspots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskView {
    pub model: RiskModel,
    pub mode: hotspots::HotspotMode,
    pub hotspots: Vec<hotspots::Hotspot>,
}
