//! The risk terrain model: each layer's form chosen by spatial cross-validation, an elastic-net
//! Poisson regression that selects among the layers and the spatial lag of past crime, and the
//! selected factors refitted without penalty for their relative risks and Wald intervals
//! (RTMDx's output; a penalised coefficient is shrunk, so its interval would mean nothing).

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use super::cv::{held_out, path_deviance, Folds};
use super::elastic::{fit_path, lambda_path};
use super::factors::{self, Candidate, Form, Measures};
use super::layers::{Layer, LayerSummary};
use crate::cluster::Progress;
use crate::error::AnalysisError;
use crate::risk::grid::Grid;
use crate::risk::poisson;

/// The normal quantile of a two-sided 95 % interval (statsmodels' `norm.ppf(0.975)`).
const Z95: f64 = 1.959_963_984_540_054;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TerrainParams {
    /// Elastic-net mix: 1 is the lasso, 0 ridge.
    pub alpha: f64,
    /// Values of λ on the path (from the one that keeps every factor out down to 1/1000 of it).
    pub lambdas: usize,
    /// Past crime in the cell itself as a factor of its own beside the lag of its neighbours
    /// (the finest scale of past crime; without it only the neighbours count).
    #[serde(default = "yes")]
    pub here: bool,
}

fn yes() -> bool {
    true
}

impl Default for TerrainParams {
    fn default() -> Self {
        TerrainParams { alpha: 0.5, lambdas: 20, here: true }
    }
}

impl TerrainParams {
    pub fn check(&self) -> Result<(), AnalysisError> {
        if !(self.alpha > 0.0 && self.alpha <= 1.0) {
            return Err(AnalysisError::Param("the elastic-net mix must be above 0 and at most 1".into()));
        }
        if !(2..=100).contains(&self.lambdas) {
            return Err(AnalysisError::Param("the λ path must have 2–100 values".into()));
        }
        Ok(())
    }
}

/// What the model is fitted on. Per grid cell: `outcome` (the incidents to explain) and
/// `past_rate` (incidents a year before the outcome's period: the lag's input).
pub struct TerrainData<'a> {
    pub grid: &'a Grid,
    pub study: &'a [usize],
    pub outcome: &'a [f64],
    pub past_rate: &'a [f64],
    pub layers: &'a [Layer],
}

/// One selected factor, refitted without penalty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    /// The layer's name, or "past crime nearby" for the lag.
    pub name: String,
    pub form: Form,
    pub radius_m: Option<f64>,
    pub coefficient: f64,
    pub std_error: f64,
    /// exp(coefficient): the risk multiplied per unit of the factor (per km for a distance, for
    /// being within the radius for a proximity, per unit of ln(1 + count) for a density, for a
    /// whole cell inside for a share).
    pub relative_risk: f64,
    /// Wald 95 % interval of the relative risk.
    pub interval: [f64; 2],
    /// The coefficient at the cross-validated λ, before the refit.
    pub penalised: f64,
    /// Position of the layer in the input (`None`: the lag).
    pub layer: Option<usize>,
}

/// A candidate form of one factor and its held-out deviance (alone with an intercept).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormChoice {
    pub name: String,
    pub form: Form,
    pub radius_m: Option<f64>,
    /// `None` when the form could not be fitted (its column constant, or no incident).
    pub cv_deviance: Option<f64>,
    pub chosen: bool,
}

/// The refitted model's error on one held-out fold (a community area).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaError {
    pub name: String,
    pub cells: usize,
    pub observed: f64,
    pub expected: f64,
    /// Mean over the fold's cells of |observed − expected|.
    pub mean_abs_error: f64,
    pub deviance: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossValidation {
    /// "community areas" or "3 km blocks".
    pub folds: String,
    pub lambda: f64,
    pub per_area: Vec<AreaError>,
    pub mean_abs_error: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TerrainModel {
    pub layers: Vec<LayerSummary>,
    pub factors: Vec<Factor>,
    pub intercept: f64,
    pub forms: Vec<FormChoice>,
    pub alpha: f64,
    /// Share of the null deviance the refitted model explains.
    pub deviance_explained: f64,
    pub cv: CrossValidation,
    /// Grid index of each study cell, the selected factors' columns (in `factors`' order) and the
    /// outcome: the design matrix (`design_csv`).
    #[serde(skip)]
    pub cells: Vec<usize>,
    #[serde(skip)]
    pub columns: Vec<Vec<f64>>,
    #[serde(skip)]
    pub outcome: Vec<f64>,
    /// The held-out fold of each study cell (in `cells`' order, which is the grid's: the risk
    /// model's cells sorted by index) as a position in `cv.per_area`; `None` for a cell of a fold
    /// that could not be fitted. Sent to the app (unlike `cells`), which maps each area's error
    /// on its cells.
    #[serde(default)]
    pub cell_area: Vec<Option<u32>>,
    #[serde(skip)]
    measures: Vec<Option<Measures>>,
    #[serde(skip)]
    means: Vec<f64>,
}

fn factor_name(layers: &[Layer], layer: Option<usize>, form: Form) -> String {
    match (layer, form) {
        (Some(l), _) => layers[l].name.clone(),
        (None, Form::Here) => "past crime here".to_string(),
        (None, _) => "past crime nearby".to_string(),
    }
}

pub fn fit(
    params: &TerrainParams,
    d: &TerrainData,
    progress: &mut dyn Progress,
) -> Result<TerrainModel, AnalysisError> {
    params.check()?;
    let n = d.study.len();
    let y: Vec<f64> = d.study.iter().map(|&c| d.outcome[c]).collect();
    if n < 10 || y.iter().sum::<f64>() <= 0.0 {
        return Err(AnalysisError::Data("too few cells or no incident to fit the risk terrain on".into()));
    }
    let folds = Folds::of_cells(d.grid, d.study);
    let measures: Vec<Option<Measures>> =
        d.layers.iter().map(|l| Some(factors::measure(l, d.grid, d.study))).collect();
    if !progress.report(0.2) {
        return Err(AnalysisError::Cancelled);
    }
    // Each factor's form: the candidate with the least held-out deviance on its own.
    let mut forms = Vec::new();
    let mut chosen: Vec<Candidate> = Vec::new();
    let mut choose = |name: &str, cands: Vec<Candidate>| {
        let scores: Vec<f64> = cands
            .iter()
            .map(|c| {
                let v = path_deviance(std::slice::from_ref(&c.values), &y, &folds, 1.0, &[0.0])[0];
                if v.is_finite() {
                    v
                } else {
                    f64::INFINITY
                }
            })
            .collect();
        let best = (0..cands.len()).min_by(|&a, &b| scores[a].total_cmp(&scores[b]));
        for (k, c) in cands.iter().enumerate() {
            forms.push(FormChoice {
                name: name.to_string(),
                form: c.form,
                radius_m: c.radius_m,
                cv_deviance: Some(scores[k]).filter(|v| v.is_finite()),
                chosen: Some(k) == best,
            });
        }
        if let Some(b) = best.filter(|&b| scores[b].is_finite()) {
            chosen.push(cands[b].clone());
        }
    };
    for (l, m) in measures.iter().enumerate() {
        choose(&d.layers[l].name, factors::candidates(l, m.as_ref().expect("measured")));
        if !progress.report(0.2 + 0.5 * (l + 1) as f64 / d.layers.len() as f64) {
            return Err(AnalysisError::Cancelled);
        }
    }
    choose(&factor_name(d.layers, None, Form::Lag), factors::lag_candidates(d.grid, d.study, d.past_rate));
    if params.here {
        choose(&factor_name(d.layers, None, Form::Here), factors::here_candidates(d.study, d.past_rate));
    }
    let cols: Vec<Vec<f64>> = chosen.iter().map(|c| c.values.clone()).collect();
    let all: Vec<usize> = (0..n).collect();
    let lambdas = lambda_path(&cols, &y, &all, params.alpha, params.lambdas, 1e-3);
    let cv_dev = path_deviance(&cols, &y, &folds, params.alpha, &lambdas);
    let best = (0..lambdas.len()).min_by(|&a, &b| cv_dev[a].total_cmp(&cv_dev[b])).unwrap_or(0);
    let path = fit_path(&cols, &y, &all, params.alpha, &lambdas[..=best])
        .ok_or_else(|| AnalysisError::Data("no incident in the study cells".into()))?;
    let penalised = path.last().expect("one λ at least");
    let selected: Vec<usize> = (0..cols.len()).filter(|&j| penalised.beta[j] != 0.0).collect();
    if !progress.report(0.8) {
        return Err(AnalysisError::Cancelled);
    }
    let sel_cols: Vec<Vec<f64>> = selected.iter().map(|&j| cols[j].clone()).collect();
    let rows: Vec<Vec<f64>> = (0..n).map(|i| sel_cols.iter().map(|c| c[i]).collect()).collect();
    let refit = poisson::fit(&rows, &y).ok_or_else(|| {
        AnalysisError::Data("the selected factors are collinear: the refit is singular".into())
    })?;
    let se = wald_se(&rows, &y, &refit)
        .ok_or_else(|| AnalysisError::Data("the refit's information matrix is singular".into()))?;
    let factors: Vec<Factor> = selected
        .iter()
        .enumerate()
        .map(|(k, &j)| {
            let (b, s) = (refit.coef[k], se[k + 1]);
            Factor {
                name: factor_name(d.layers, chosen[j].layer, chosen[j].form),
                form: chosen[j].form,
                radius_m: chosen[j].radius_m,
                coefficient: b,
                std_error: s,
                relative_risk: b.exp(),
                interval: [(b - Z95 * s).exp(), (b + Z95 * s).exp()],
                penalised: penalised.beta[j],
                layer: chosen[j].layer,
            }
        })
        .collect();
    // A factor that all but separates the cells (every incident on one side of it) has a
    // coefficient running off to infinity: said, not reported as an infinite relative risk.
    if let Some(f) = factors.iter().find(|f| {
        ![f.coefficient, f.std_error, f.relative_risk, f.interval[0], f.interval[1]]
            .iter()
            .all(|v| v.is_finite())
    }) {
        return Err(AnalysisError::Data(format!(
            "the fit of '{}' ({}) does not converge: too few incidents to tell its effect",
            f.name,
            f.form.key()
        )));
    }
    // Leave each area out, refit the selected factors on the rest, predict it.
    let mut per_area = Vec::new();
    let mut cell_area = vec![None; n];
    for k in 0..folds.len() {
        let (test, train) = folds.split(k);
        let Some(c) = fit_path(&sel_cols, &y, &train, 1.0, &[0.0]).map(|mut p| p.remove(0)) else {
            continue;
        };
        for &i in &test {
            cell_area[i] = Some(per_area.len() as u32);
        }
        let mu: Vec<f64> = test.iter().map(|&i| c.eta(&sel_cols, i).clamp(-30.0, 30.0).exp()).collect();
        per_area.push(AreaError {
            name: folds.names[k].clone(),
            cells: test.len(),
            observed: test.iter().map(|&i| y[i]).sum(),
            expected: mu.iter().sum(),
            mean_abs_error: test.iter().zip(&mu).map(|(&i, m)| (y[i] - m).abs()).sum::<f64>()
                / test.len() as f64,
            deviance: held_out(&sel_cols, &y, &test, &c),
        });
    }
    let total_cells: usize = per_area.iter().map(|a| a.cells).sum();
    let mean_abs_error =
        per_area.iter().map(|a| a.mean_abs_error * a.cells as f64).sum::<f64>() / total_cells.max(1) as f64;
    let means: Vec<f64> = sel_cols.iter().map(|c| c.iter().sum::<f64>() / n as f64).collect();
    progress.report(1.0);
    Ok(TerrainModel {
        layers: d.layers.iter().map(|l| l.summary.clone()).collect(),
        intercept: refit.intercept,
        deviance_explained: refit.deviance_explained,
        factors,
        forms,
        alpha: params.alpha,
        cv: CrossValidation { folds: folds.kind.clone(), lambda: lambdas[best], per_area, mean_abs_error },
        cells: d.study.to_vec(),
        columns: sel_cols,
        outcome: y,
        cell_area,
        measures,
        means,
    })
}

fn round10(m: f64) -> f64 {
    (m / 10.0).round() * 10.0
}

/// Standard errors of the intercept and coefficients: the inverse of the Fisher information
/// `Xᵀ diag(μ) X` at the fit (the Poisson scale is 1), as statsmodels' GLM reports them.
fn wald_se(rows: &[Vec<f64>], y: &[f64], f: &poisson::PoissonFit) -> Option<Vec<f64>> {
    let p = f.coef.len() + 1;
    let mut info = DMatrix::<f64>::zeros(p, p);
    for (x, _) in rows.iter().zip(y) {
        let mu = f.predict(x);
        let row: Vec<f64> = std::iter::once(1.0).chain(x.iter().copied()).collect();
        for a in 0..p {
            for b in 0..p {
                info[(a, b)] += mu * row[a] * row[b];
            }
        }
    }
    let cov = info.try_inverse()?;
    (0..p).map(|k| Some(cov[(k, k)]).filter(|v| *v >= 0.0).map(f64::sqrt)).collect()
}

impl TerrainModel {
    /// The incidents expected in each study cell (in `cells`' order) with the lag taken from
    /// `past_rate` (per grid cell, incidents a year): the rate the model predicts for the next
    /// period when `past_rate` runs up to now.
    pub fn expected(&self, grid: &Grid, past_rate: &[f64]) -> Vec<f64> {
        let lag = |f: &Factor| {
            let rings = f.radius_m.map_or(1, |r| (r / grid.cell_m).round().max(1.0) as usize);
            factors::lag(grid, &self.cells, past_rate, rings)
        };
        let lags: Vec<Option<Vec<f64>>> = self
            .factors
            .iter()
            .map(|f| match f.form {
                Form::Lag => Some(lag(f)),
                Form::Here => Some(factors::here(&self.cells, past_rate)),
                _ => None,
            })
            .collect();
        (0..self.cells.len())
            .map(|i| {
                let eta = self.intercept
                    + self
                        .factors
                        .iter()
                        .zip(&self.columns)
                        .zip(&lags)
                        .map(|((f, c), l)| f.coefficient * l.as_ref().map_or(c[i], |l| l[i]))
                        .sum::<f64>();
                eta.clamp(-30.0, 30.0).exp()
            })
            .collect()
    }

    /// Why cell `i` (a position in `cells`) is risky: the factors that raise it most above the
    /// average cell, in words naming their layers, at most `max`.
    pub fn reasons(&self, i: usize, max: usize) -> Vec<String> {
        let mut up: Vec<(f64, String)> = self
            .factors
            .iter()
            .zip(&self.columns)
            .zip(&self.means)
            // "0 % of the cell in a park" lifts a cell when parks lower risk, but is no reason: a
            // share, proximity or density speaks only where the place is there and raises risk.
            .filter(|((f, c), _)| match f.form {
                Form::Share | Form::Proximity | Form::Density => c[i] > 0.0 && f.coefficient > 0.0,
                Form::Distance | Form::Nn | Form::LogDistance | Form::Lag | Form::Here => true,
            })
            .filter_map(|((f, c), m)| {
                let lift = f.coefficient * (c[i] - m);
                (lift > 1e-9).then(|| (lift, self.reason(f, i)))
            })
            .collect();
        up.sort_by(|a, b| b.0.total_cmp(&a.0));
        up.into_iter().take(max).map(|(_, s)| s).collect()
    }

    fn reason(&self, f: &Factor, i: usize) -> String {
        let m = f.layer.and_then(|l| self.measures.get(l)).and_then(|m| m.as_ref());
        let name = &f.name;
        match (f.form, m) {
            (Form::Nn, Some(m)) => {
                let d = m.nn_m.as_ref().map_or(f64::INFINITY, |v| v[i]);
                format!("{:.0} m on average to the {} nearest '{name}'", round10(d), factors::NN_K)
            }
            (Form::Distance | Form::LogDistance | Form::Proximity, Some(m)) => {
                let d = m.nearest_m[i];
                let k = self.factors.iter().position(|g| g == f).expect("own factor");
                if d == 0.0 && m.share.is_some() {
                    format!("inside '{name}'")
                } else if f.form == Form::Distance {
                    // A distance raises the risk by being shorter than usual: say what usual is.
                    format!(
                        "{:.0} m from '{name}' (cells average {:.0} m)",
                        round10(d),
                        round10(1000.0 * self.means[k])
                    )
                } else {
                    format!("{:.0} m from '{name}'", round10(d))
                }
            }
            (Form::Density, Some(m)) => {
                let r = f.radius_m.unwrap_or(0.0);
                let k = factors::RADII.iter().position(|&x| x == r).unwrap_or(0);
                let count = m.within.as_ref().map_or(0, |w| w[k][i]);
                format!("{count} of '{name}' within {r:.0} m")
            }
            (Form::Share, Some(m)) => {
                format!("{:.0} % of the cell in '{name}'", 100.0 * m.share.as_ref().map_or(0.0, |s| s[i]))
            }
            (Form::Here, _) => {
                let rate = self.columns[self.factors.iter().position(|g| g == f).expect("own factor")][i];
                format!("{:.1} past incidents a year in the cell", rate.exp_m1())
            }
            _ => {
                let rate = self.columns[self.factors.iter().position(|g| g == f).expect("own factor")][i];
                format!(
                    "{:.1} past incidents a year in each cell within {:.0} m",
                    rate.exp_m1(),
                    f.radius_m.unwrap_or(0.0)
                )
            }
        }
    }

    /// The design matrix as CSV: the cell, its centre, the outcome and the selected factors'
    /// columns (named `name|form|radius`), every number written to round-trip.
    pub fn design_csv(&self, grid: &Grid) -> String {
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let mut out = String::from("cell,lat,lon,response");
        for f in &self.factors {
            let radius = f.radius_m.map_or(String::new(), |r| format!("{r:.0}"));
            out.push(',');
            out.push_str(&quote(&format!("{}|{}|{}", f.name, f.form.key(), radius)));
        }
        out.push('\n');
        for (i, &c) in self.cells.iter().enumerate() {
            let (lat, lon) = grid.centre_latlon(c);
            out.push_str(&format!("{c},{lat},{lon},{}", self.outcome[i]));
            for col in &self.columns {
                out.push_str(&format!(",{}", col[i]));
            }
            out.push('\n');
        }
        out
    }
}
