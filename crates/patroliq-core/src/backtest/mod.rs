//! The back-test: fit every hotspot method on the past, score it on the future.
//!
//! The analyst's rows (the filter applies: "robberies on Friday nights") are split at a date:
//! before it is training, from it on is the test period (default: the last 20 % of the date
//! range, from the start of that day). Each method of [`methods`] ranks the study cells using
//! the training rows alone: the study area, the grid and the risk grid's environment covariates
//! are built from the table as it stood before the split, so no test row can reach a fit
//! (a test proves it by moving every test row and getting the same rankings).
//! [`score`] turns a ranking into hit rate, PAI and PEI at the chosen coverages, and the
//! hit-rate curve; [`route`] scores last period's patrol route on this period's crimes.

pub mod methods;
pub mod route;
pub mod score;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::cluster::Progress;
use crate::error::AnalysisError;
use crate::filter::{day_of, day_start, DAY};
use crate::model::CrimeTable;
use crate::risk::grid::Grid;
use crate::route::evaluate::DEFAULT_REACH_MIN;
use crate::route::plan::RouteParams;
use crate::terrain::Layer;
use methods::{Method, Training};
use route::RouteScore;
use score::{curve_coverages, Metrics, TestCounts};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestParams {
    /// First day of the test period; `None`: the last 20 % of the rows' date range.
    pub split: Option<NaiveDate>,
    /// Area shares at which the methods are compared, 0–1 (e.g. 0.01, 0.05, 0.10).
    pub coverages: Vec<f64>,
    /// Side of a grid cell, metres (100–1000).
    pub cell_m: f64,
    /// KDE bandwidth (also the risk grid's), metres.
    pub bandwidth_m: f64,
    /// K-Means areas.
    pub kmeans_k: usize,
    /// The methods to compare; empty: all.
    #[serde(default)]
    pub methods: Vec<Method>,
    /// Hotspots on the optimised route (0: no route scoring).
    pub route_stops: usize,
    /// Reach of a route: crimes within this many minutes' drive.
    pub within_min: f64,
    /// Departure of the routes (the traffic), minutes after midnight.
    pub depart_min: u32,
}

impl Default for BacktestParams {
    fn default() -> Self {
        BacktestParams {
            split: None,
            coverages: vec![0.01, 0.05, 0.10],
            cell_m: 250.0,
            bandwidth_m: 400.0,
            kmeans_k: 25,
            methods: Vec::new(),
            route_stops: 20,
            within_min: DEFAULT_REACH_MIN,
            depart_min: 20 * 60,
        }
    }
}

/// Parameters that passed [`BacktestParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct BacktestValid(BacktestParams);

impl BacktestParams {
    pub fn check(mut self) -> Result<BacktestValid, AnalysisError> {
        let bad = |m: String| Err(AnalysisError::Param(m));
        if self.coverages.is_empty() || self.coverages.len() > 10 {
            return bad("give 1–10 coverages".into());
        }
        if let Some(c) = self.coverages.iter().find(|c| !(**c > 0.0 && **c <= 1.0)) {
            return bad(format!(
                "a coverage is a share of the area, above 0 and at most 1 (5 % is 0.05), not {c}"
            ));
        }
        if !(100.0..=1000.0).contains(&self.cell_m) {
            return bad(format!("the cell size must be 100–1000 m, not {}", self.cell_m));
        }
        if !(50.0..=5000.0).contains(&self.bandwidth_m) {
            return bad("the KDE bandwidth must be 50–5000 m".into());
        }
        if !(2..=200).contains(&self.kmeans_k) {
            return bad("K-Means k must be 2–200".into());
        }
        if self.route_stops > 200 {
            return bad("the route visits at most 200 hotspots".into());
        }
        if !(self.within_min.is_finite() && (0.5..=30.0).contains(&self.within_min)) {
            return bad("the route's reach must be 0.5–30 minutes".into());
        }
        if self.depart_min >= 1440 {
            return bad("the departure must be a time of day".into());
        }
        if self.methods.is_empty() {
            self.methods = Method::ALL.to_vec();
        }
        self.methods.dedup();
        Ok(BacktestValid(self))
    }
}

/// One side of the split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    /// First and last day with a row, YYYY-MM-DD.
    pub from: String,
    pub to: String,
    /// Rows with coordinates on the grid, and without.
    pub incidents: u64,
    pub unlocated: u64,
}

/// One method's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodResult {
    pub method: Method,
    pub label: String,
    /// What it found (clusters, parameters), in words.
    pub note: String,
    /// At each asked coverage.
    pub metrics: Vec<Metrics>,
    /// Hit rate at each of [`Backtest::curve`]'s coverages.
    pub curve: Vec<f64>,
    /// The first grid cells of its ranking (up to the largest asked coverage), for the map.
    pub cells: Vec<usize>,
    /// Test crimes in each of `cells`.
    pub hits: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backtest {
    pub params: BacktestParams,
    /// First day of the test period.
    pub split: String,
    pub train: Period,
    pub test: Period,
    pub grid: Grid,
    pub study_cells: usize,
    /// Located test crimes in no study cell: misses for every method.
    pub test_outside: u64,
    pub methods: Vec<MethodResult>,
    /// The best any ranking could do (PEI's denominator) at the asked coverages, and its curve.
    pub oracle: Vec<Metrics>,
    pub oracle_curve: Vec<f64>,
    /// The coverages of the curves.
    pub curve: Vec<f64>,
    pub route: Option<RouteScore>,
    /// Problems that did not stop the run (a method that failed, a route that could not be made).
    pub warnings: Vec<String>,
}

impl Backtest {
    /// The method with the highest PAI at the `i`-th asked coverage.
    pub fn winner(&self, i: usize) -> Option<&MethodResult> {
        self.methods.iter().max_by(|a, b| a.metrics[i].pai.total_cmp(&b.metrics[i].pai))
    }
}

impl BacktestValid {
    pub fn params(&self) -> &BacktestParams {
        &self.0
    }

    /// The split instant for `rows` (seconds, local time).
    pub fn split_of(&self, t: &CrimeTable, rows: &[u32]) -> Result<i64, AnalysisError> {
        let (lo, hi) = rows
            .iter()
            .map(|&r| t.date.get(r as usize))
            .fold((i64::MAX, i64::MIN), |(a, b), d| (a.min(d), b.max(d)));
        if lo > hi {
            return Err(AnalysisError::Data("no rows pass the filter".into()));
        }
        let split = match self.0.split {
            Some(d) => day_start(d),
            None => (lo + (hi - lo) * 4 / 5).div_euclid(DAY) * DAY,
        };
        if split <= lo {
            return Err(AnalysisError::Param(format!(
                "the split {} leaves no training rows: the rows start {}",
                day_of(split),
                day_of(lo)
            )));
        }
        if split > hi {
            return Err(AnalysisError::Param(format!(
                "the split {} leaves no test rows: the rows end {}",
                day_of(split),
                day_of(hi)
            )));
        }
        Ok(split)
    }

    /// Back-tests every method on `rows` of `t`.
    pub fn run(
        &self,
        t: &CrimeTable,
        rows: &[u32],
        progress: &mut dyn Progress,
    ) -> Result<Backtest, AnalysisError> {
        self.run_with_layers(t, rows, &[], progress)
    }

    /// [`BacktestValid::run`] with environment layers: [`Method::RiskTerrain`] joins the methods
    /// (the layers are fixed in time: only the crimes are split).
    pub fn run_with_layers(
        &self,
        t: &CrimeTable,
        rows: &[u32],
        layers: &[Layer],
        progress: &mut dyn Progress,
    ) -> Result<Backtest, AnalysisError> {
        let mut with = self.0.clone();
        if !layers.is_empty() && !with.methods.contains(&Method::RiskTerrain) {
            with.methods.push(Method::RiskTerrain);
        }
        let p = &with;
        let split = self.split_of(t, rows)?;
        let (train_all, test_all): (Vec<u32>, Vec<u32>) =
            rows.iter().partition(|&&r| t.date.get(r as usize) < split);
        // The table as it stood before the split: grid, study area.
        let (grid, cell) = Grid::of_rows_before(t, split, p.cell_m)
            .ok_or_else(|| AnalysisError::Data("no incident before the split has coordinates".into()))?;
        let mut pos = vec![usize::MAX; grid.len()];
        let mut study = Vec::new();
        for c in cell.iter().flatten() {
            if pos[*c] == usize::MAX {
                pos[*c] = 0;
                study.push(*c);
            }
        }
        study.sort_unstable();
        study.iter().enumerate().for_each(|(i, &c)| pos[c] = i);
        let train: Vec<u32> = train_all.iter().copied().filter(|&r| cell[r as usize].is_some()).collect();
        if train.is_empty() {
            return Err(AnalysisError::Data("no training row has coordinates".into()));
        }
        // Test crimes on the training grid's lattice.
        let test_xy = route::located_xy(t, &test_all);
        let mut counts = vec![0u64; study.len()];
        let mut outside = 0;
        for &(x, y) in &test_xy {
            match grid.cell_of(x, y).map(|c| pos[c]).filter(|&i| i != usize::MAX) {
                Some(i) => counts[i] += 1,
                None => outside += 1,
            }
        }
        let tc = TestCounts::new(counts, test_xy.len() as u64);
        let period = |rows: &[u32], located: u64| Period {
            from: rows.iter().map(|&r| t.date.get(r as usize)).min().map_or_else(String::new, day_of),
            to: rows.iter().map(|&r| t.date.get(r as usize)).max().map_or_else(String::new, day_of),
            incidents: located,
            unlocated: rows.len() as u64 - located,
        };
        let test_end = test_all.iter().map(|&r| t.date.get(r as usize)).max().unwrap_or(split);
        let tr = Training {
            t,
            rows: &train,
            all_rows: &train_all,
            grid: &grid,
            study: &study,
            cell: &cell,
            split,
            test_len: (test_end - split).max(DAY),
            cell_m: p.cell_m,
            bandwidth_m: p.bandwidth_m,
            kmeans_k: p.kmeans_k,
            layers,
        };

        let curve = curve_coverages();
        let widest = p.coverages.iter().copied().fold(0.0, f64::max);
        let shown = score::cells_at(widest, study.len());
        let (mut methods, mut warnings, mut orders) = (Vec::new(), Vec::new(), Vec::new());
        let steps = p.methods.len() as f64 + 1.0;
        for (i, &m) in p.methods.iter().enumerate() {
            let mut sub = |d: f64| progress.report((i as f64 + d.clamp(0.0, 1.0)) / steps);
            if !sub(0.0) {
                return Err(AnalysisError::Cancelled);
            }
            let ranked = match tr.rank(m, &mut sub) {
                Ok(r) => r,
                Err(AnalysisError::Cancelled) => return Err(AnalysisError::Cancelled),
                Err(e) => {
                    warnings.push(format!("{}: {e}", m.label()));
                    continue;
                }
            };
            let cum = tc.cumulative(&ranked.order);
            methods.push(MethodResult {
                method: m,
                label: m.label().into(),
                note: ranked.note,
                metrics: p.coverages.iter().map(|&c| tc.metrics(&cum, c)).collect(),
                curve: curve.iter().map(|&c| tc.metrics(&cum, c).hit_rate).collect(),
                cells: ranked.order[..shown].iter().map(|&i| study[i]).collect(),
                hits: ranked.order[..shown].iter().map(|&i| tc.counts[i] as u32).collect(),
            });
            orders.push((m, ranked.order));
        }
        if !progress.report(p.methods.len() as f64 / steps) {
            return Err(AnalysisError::Cancelled);
        }
        let order_of = |m: Method| {
            orders.iter().find(|o| o.0 == m).map(|o| o.1.iter().map(|&i| study[i]).collect::<Vec<_>>())
        };
        let route = match (p.route_stops, order_of(Method::Risk), order_of(Method::Naive)) {
            (0, _, _) => None,
            (stops, Some(risky), Some(naive)) => {
                let rp = RouteParams {
                    stops: stops.min(risky.len()).max(1),
                    depart_min: p.depart_min,
                    ..RouteParams::default()
                };
                let risky = &risky[..rp.stops];
                match route::score_routes(&grid, &study, risky, &naive, &test_xy, rp, p.within_min) {
                    Ok(r) => Some(r),
                    Err(e) => {
                        warnings.push(format!("route scoring: {e}"));
                        None
                    }
                }
            }
            _ => {
                warnings.push("route scoring needs the risk grid and the naive method".into());
                None
            }
        };
        progress.report(1.0);
        Ok(Backtest {
            params: p.clone(),
            split: day_of(split),
            train: period(&train_all, train.len() as u64),
            test: period(&test_all, test_xy.len() as u64),
            grid,
            study_cells: study.len(),
            test_outside: outside,
            methods,
            oracle: p.coverages.iter().map(|&c| tc.metrics(tc.oracle(), c)).collect(),
            oracle_curve: curve.iter().map(|&c| tc.metrics(tc.oracle(), c).hit_rate).collect(),
            curve,
            route,
            warnings,
        })
    }

    /// Each method's ranking of the study cells (grid indices), fitted on the rows before the
    /// split: what the leak test compares.
    #[cfg(test)]
    pub(crate) fn rankings(&self, t: &CrimeTable, rows: &[u32]) -> Vec<(Method, Vec<usize>)> {
        let b = self.run(t, rows, &mut crate::cluster::Silent).expect("a back-test");
        b.methods.into_iter().map(|m| (m.method, m.cells)).collect()
    }
}

#[cfg(test)]
mod tests;
