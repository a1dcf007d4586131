//! What the app shows of a rolling back-test: the summaries ([`Rolling`]) and, per test period,
//! the cells each method flagged at the headline coverage and where the period's incidents fell
//! (the map of one chosen period); and the default test window.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::methods::ForecastMethod;
use super::rolling::{Rolling, RollingValid};
use super::AnalysisError;
use crate::backtest::score::cells_at;
use crate::cluster::Progress;
use crate::features::project;
use crate::model::CrimeTable;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollingView {
    pub rolling: Rolling,
    /// `flagged[m][k]`: the grid cells method `m` (in [`Rolling::methods`]' order) flagged for test
    /// period `k` at the first coverage, riskiest first.
    pub flagged: Vec<Vec<Vec<u32>>>,
    /// `incidents[k]`: (grid cell, located incidents) of test period `k` on the grid.
    pub incidents: Vec<Vec<(u32, u32)>>,
}

impl RollingView {
    pub fn method_index(&self, m: ForecastMethod) -> Option<usize> {
        self.rolling.methods.iter().position(|r| r.method == m)
    }
}

impl RollingValid {
    /// [`Self::run`] with the flagged cells of every test period (see [`RollingView`]).
    pub fn view(
        &self,
        t: &CrimeTable,
        rows: &[u32],
        progress: &mut dyn Progress,
    ) -> Result<RollingView, AnalysisError> {
        self.view_with_layers(t, rows, &[], progress)
    }

    /// [`Self::view`] with environment layers: `risk_terrain` joins the methods
    /// ([`RollingValid::run_with_layers`]).
    pub fn view_with_layers(
        &self,
        t: &CrimeTable,
        rows: &[u32],
        layers: &[crate::terrain::Layer],
        progress: &mut dyn Progress,
    ) -> Result<RollingView, AnalysisError> {
        let p = self.params();
        let spans = self.spans();
        let first_test = spans.iter().position(|s| !s.warmup).unwrap_or(spans.len());
        let mut orders: Vec<(usize, ForecastMethod, Vec<usize>)> = Vec::new();
        let mut keep = |k: usize, m: ForecastMethod, order: &[usize]| {
            if k >= first_test {
                orders.push((k - first_test, m, order.to_vec()));
            }
        };
        let rolling = self.run_with_layers(t, rows, layers, progress, &mut keep)?;
        // The study cells in grid order, as the run numbered them.
        let study = self.study(t);
        let grid = rolling.grid;
        let n = cells_at(p.coverages[0], study.len());
        let nk = rolling.periods.len();
        let mut flagged = vec![vec![Vec::new(); nk]; rolling.methods.len()];
        for (k, m, order) in orders {
            if let Some(mi) = rolling.methods.iter().position(|r| r.method == m) {
                flagged[mi][k] = order.iter().take(n).map(|&i| study[i] as u32).collect();
            }
        }
        let mut incidents = vec![Vec::new(); nk];
        for (k, period) in rolling.periods.iter().enumerate() {
            let mut counts = std::collections::BTreeMap::<u32, u32>::new();
            for &r in rows {
                let r = r as usize;
                if t.date.get(r) >= period.start
                    && t.date.get(r) < period.end
                    && t.latitude.get(r).is_finite()
                {
                    let (x, y) = project(t.latitude.get(r), t.longitude.get(r));
                    if let Some(c) = grid.cell_of(x, y) {
                        *counts.entry(c as u32).or_default() += 1;
                    }
                }
            }
            incidents[k] = counts.into_iter().collect();
        }
        Ok(RollingView { rolling, flagged, incidents })
    }
}

/// The last `weeks` weeks of the selected rows' dates: `(first day, last day)`, the last day
/// being that of the latest row.
pub fn last_weeks(t: &CrimeTable, rows: &[u32], weeks: u32) -> Option<(NaiveDate, NaiveDate)> {
    let last = rows.iter().map(|&r| t.date.get(r as usize)).max()?;
    let to = chrono::DateTime::from_timestamp(last, 0)?.date_naive();
    let from = to - chrono::Days::new(u64::from(weeks) * 7 - 1);
    Some((from, to))
}
