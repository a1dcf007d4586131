//! `risk_terrain`: the risk terrain of the user's environment layers ([`crate::terrain`]) as a
//! rolling forecast, fitted as the Patrol page fits it ([`crate::terrain::history`]) on the
//! incidents before the period.
//!
//! A fit chooses each layer's form and λ by cross-validation over the areas (seconds on a city),
//! so it is refitted once a quarter ([`REFIT`]), as an analyst would refresh a terrain model; in
//! between, each period's forecast keeps the fitted coefficients and takes the lag of every
//! incident before the period, so recent crime still moves it. The layers are a snapshot: a place
//! opened after a period is in its factors (said in the method's note).

use super::methods::{Event, Forecaster, Scores, NONE};
use super::{AnalysisError, Span, WEEK};
use crate::cluster::Silent;
use crate::risk::grid::Grid;
use crate::terrain::history::{fit_history, predict};
use crate::terrain::{Layer, TerrainModel};

/// Weeks between two fits of the model.
pub const REFIT: i64 = 13 * WEEK;

pub struct Terrain {
    grid: Grid,
    study: Vec<usize>,
    layers: Vec<Layer>,
    /// The period start of the last fit, and its model (`None`: it could not be fitted, `why`).
    fitted_at: Option<i64>,
    model: Option<TerrainModel>,
    why: Option<String>,
    fits: usize,
}

impl Terrain {
    pub fn new(grid: &Grid, study: &[usize], layers: &[Layer]) -> Terrain {
        Terrain {
            grid: *grid,
            study: study.to_vec(),
            layers: layers.to_vec(),
            fitted_at: None,
            model: None,
            why: None,
            fits: 0,
        }
    }
}

impl Forecaster for Terrain {
    fn forecast(&mut self, past: &[Event], span: Span, out: &mut Scores) -> Result<(), AnalysisError> {
        let incidents: Vec<(i64, usize)> =
            past.iter().filter(|e| e.cell != NONE).map(|e| (e.t, e.cell as usize)).collect();
        if self.fitted_at.is_none_or(|at| span.start - at >= REFIT) {
            self.fitted_at = Some(span.start);
            self.fits += 1;
            match fit_history(&self.grid, &self.study, &incidents, &self.layers, &mut Silent) {
                Ok((m, _)) => {
                    self.model = Some(m);
                    self.why = None;
                }
                // Too few incidents yet: no ranking this period (every cell ties), said in the note.
                Err(AnalysisError::Data(why)) => {
                    self.model = None;
                    self.why = Some(why);
                }
                Err(e) => return Err(e),
            }
        }
        out.secondary.iter_mut().for_each(|v| *v = 0.0);
        // The fitted coefficients with the lag of every incident so far, as the fit predicts.
        out.primary = match &self.model {
            Some(m) => predict(m, &self.grid, &self.study, &incidents),
            None => vec![0.0; self.grid.len()],
        };
        Ok(())
    }

    fn note(&self) -> String {
        let Some(m) = &self.model else {
            return format!(
                "no risk terrain could be fitted: {}",
                self.why.as_deref().unwrap_or("no period was forecast")
            );
        };
        let factors: Vec<String> =
            m.factors.iter().map(|f| format!("{} (RR {:.2})", f.name, f.relative_risk)).collect();
        format!(
            "{} layer{}, refitted every 13 weeks ({} fit{}); last fit's factors: {}; the layers are \
             today's, not as they stood at each period",
            self.layers.len(),
            if self.layers.len() == 1 { "" } else { "s" },
            self.fits,
            if self.fits == 1 { "" } else { "s" },
            if factors.is_empty() { "none".to_string() } else { factors.join(", ") }
        )
    }
}
