//! The risk terrain fitted on a history of incidents, one way for every caller: the Patrol page's
//! risk grid ([`crate::risk`]), the one-shot back-test and the rolling back-test
//! ([`crate::forecast::terrain`]) fit it the same, so a method that wins a back-test is the one
//! the page shows.
//!
//! The layers and the spatial lag of the incidents before the split (the first three quarters of
//! the history, as a yearly rate) explain the incidents after it; the next period is predicted
//! with the lag of every incident (their yearly rate over the whole history).

use super::model::{fit, TerrainData, TerrainModel, TerrainParams};
use super::Layer;
use crate::cluster::Progress;
use crate::error::AnalysisError;
use crate::risk::grid::Grid;

const YEAR: f64 = 365.25 * 86_400.0;

/// Incidents a year per grid cell of the `incidents` (time, cell) dated before `until`, over the
/// span `from..to` (at least a day, so that a history of one day is not divided by zero).
fn rate(n: usize, incidents: &[(i64, usize)], until: i64, (from, to): (i64, i64)) -> Vec<f64> {
    let years = ((to - from) as f64 / YEAR).max(1.0 / 365.25);
    let mut out = vec![0.0; n];
    for &(_, c) in incidents.iter().filter(|(t, _)| *t < until) {
        out[c] += 1.0 / years;
    }
    out
}

/// The time three quarters of the way through the history: the split between what the lag sees
/// and what the model explains.
pub fn split_of(first: i64, last: i64) -> i64 {
    first + (last - first) * 3 / 4
}

/// The terrain of `layers` fitted on `incidents` (time in seconds, grid cell; any order) over the
/// study cells `study` (ascending), and the incidents it expects per grid cell in the next period
/// (0 outside the study cells).
pub fn fit_history(
    grid: &Grid,
    study: &[usize],
    incidents: &[(i64, usize)],
    layers: &[Layer],
    progress: &mut dyn Progress,
) -> Result<(TerrainModel, Vec<f64>), AnalysisError> {
    let (Some(first), Some(last)) =
        (incidents.iter().map(|e| e.0).min(), incidents.iter().map(|e| e.0).max())
    else {
        return Err(AnalysisError::Data("no incident to fit the risk terrain on".into()));
    };
    let n = grid.len();
    let split = split_of(first, last);
    let past = rate(n, incidents, split, (first, split));
    let mut later = vec![0.0; n];
    for &(_, c) in incidents.iter().filter(|(t, _)| *t >= split) {
        later[c] += 1.0;
    }
    let data = TerrainData { grid, study, outcome: &later, past_rate: &past, layers };
    let m = fit(&TerrainParams::default(), &data, progress)?;
    let expected = predict(&m, grid, study, incidents);
    Ok((m, expected))
}

/// The incidents `m` (fitted on `study`) expects per grid cell in the next period, its lag taken
/// from every one of `incidents` as a yearly rate (0 outside the study cells; all 0 without
/// incidents). A rolling forecast calls it between fits with the incidents seen since.
pub fn predict(m: &TerrainModel, grid: &Grid, study: &[usize], incidents: &[(i64, usize)]) -> Vec<f64> {
    let mut expected = vec![0.0; grid.len()];
    let (Some(first), Some(last)) =
        (incidents.iter().map(|e| e.0).min(), incidents.iter().map(|e| e.0).max())
    else {
        return expected;
    };
    let now = rate(grid.len(), incidents, i64::MAX, (first, last));
    for (&c, e) in study.iter().zip(m.expected(grid, &now)) {
        expected[c] = e;
    }
    expected
}
