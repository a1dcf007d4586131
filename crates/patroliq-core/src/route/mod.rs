//! Patrol routes: from a start (a police station or any point) through the riskiest hotspots.
//!
//! [`travel`] gives distances and times (the built-in street-grid model, or a loaded road
//! [`network`]); [`tour`] solves the single-car tour, [`orienteering`] the shift-budget and
//! several-car versions; [`plan`] puts them together with times of day; [`evaluate`] scores a
//! plan; [`export`] writes GPX, GeoJSON and CSV; [`stations`] reads the portal's station list.

pub mod evaluate;
pub mod export;
pub mod network;
pub mod orienteering;
pub mod plan;
pub mod stations;
pub mod tour;
pub mod travel;

use serde::{Deserialize, Serialize};

/// What the app shows of a plan: the plan, its evaluation and its exports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteView {
    pub plan: plan::RoutePlan,
    pub evaluation: evaluate::Evaluation,
    pub gpx: String,
    pub geojson: String,
    pub csv: String,
}

impl RouteView {
    /// Plans, evaluates against `crimes` (lat, lon) and exports.
    pub fn make(
        valid: &plan::RouteValid,
        prep: &plan::Prepared,
        crimes: &[(f64, f64)],
        within_min: f64,
    ) -> RouteView {
        let plan = valid.plan(prep);
        let evaluation = evaluate::evaluate(valid, prep, &plan, crimes, within_min, &evaluate::DEPARTURES);
        RouteView {
            gpx: export::gpx(&plan),
            geojson: export::geojson(&plan),
            csv: export::csv(&plan),
            plan,
            evaluation,
        }
    }
}
