//! Route scoring: would last period's patrol route have passed this period's crimes?
//!
//! The optimised route visits the risk grid's riskiest training cells (shortest tour from the
//! start). The naive route of equal length drives the naive baseline's busiest cells in rank
//! order, as many as fit in the optimised route's distance. Each is scored on the test period:
//! the share of test crimes within X minutes' drive of the route (at the departure's traffic),
//! the share of the study area within the same reach, and their ratio, the route's PAI.

use serde::{Deserialize, Serialize};

use crate::features::project;
use crate::risk::grid::Grid;
use crate::risk::hotspots::Hotspot;
use crate::route::evaluate::coverage;
use crate::route::plan::{clock, RouteParams, RoutePlan};
use crate::route::travel::{congestion, StreetGrid, GRID_FREE_FLOW_KMH};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteRow {
    /// "optimised" or "naive".
    pub route: String,
    /// The method whose cells it visits.
    pub method: String,
    pub stops: usize,
    pub distance_m: f64,
    pub travel_time_s: f64,
    /// Share of the test period's crimes within reach of the route, 0–1.
    pub hit_rate: f64,
    /// Share of the study area (cell centres) within the same reach, 0–1.
    pub area: f64,
    /// hit_rate ÷ area.
    pub pai: f64,
    /// [lat, lon] of the drawn path.
    pub path: Vec<[f64; 2]>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteScore {
    pub within_min: f64,
    pub depart: String,
    /// Driving `within_min` at the departure's traffic on the street grid, metres.
    pub reach_m: f64,
    pub rows: Vec<RouteRow>,
}

/// Cells as stops, in the given order.
fn stops(grid: &Grid, cells: &[usize]) -> Vec<Hotspot> {
    cells
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let (lat, lon) = grid.centre_latlon(c);
            Hotspot::at(i + 1, lat, lon, 1.0)
        })
        .collect()
}

/// Scores the optimised route through `risky` (grid cells, riskiest first) and the naive route
/// through `naive` (its first cells in rank order, as many as fit in the same distance).
pub fn score_routes(
    grid: &Grid,
    study: &[usize],
    risky: &[usize],
    naive: &[usize],
    test_xy: &[(f64, f64)],
    params: RouteParams,
    within_min: f64,
) -> Result<RouteScore, String> {
    let depart = params.depart_min;
    let v = params.clone().check().map_err(|e| e.to_string())?;
    let prep = v.prepare(&stops(grid, risky), &mut StreetGrid)?;
    let optimised = v.plan(&prep);
    // The naive route: up to 200 of its cells, cut where it would outdrive the optimised one.
    let cap = naive.len().min(200);
    let nv = RouteParams { stops: cap.max(1), ..params }.check().map_err(|e| e.to_string())?;
    let nprep = nv.prepare(&stops(grid, &naive[..cap]), &mut StreetGrid)?;
    let d = |a: usize, b: usize| nprep.legs.distance_m[nprep.legs.at(a, b)];
    let (mut k, mut open) = (1, d(0, 1));
    while k + 1 < nprep.legs.n && open + d(k, k + 1) + d(k + 1, 0) <= optimised.distance_m {
        open += d(k, k + 1);
        k += 1;
    }
    let naive_plan = nv.assemble(&nprep, &[(0..=k).collect()], depart);

    let reach_m = within_min * 60.0 * GRID_FREE_FLOW_KMH / 3.6 / congestion(depart as f64 * 60.0);
    let centres: Vec<(f64, f64)> = study.iter().map(|&c| grid.centre(c)).collect();
    let row = |route: &str, method: &str, p: &RoutePlan| {
        let hit_rate = coverage(p, test_xy, reach_m);
        let area = coverage(p, &centres, reach_m);
        RouteRow {
            route: route.into(),
            method: method.into(),
            stops: p.cars.iter().map(|c| c.visits.len()).sum(),
            distance_m: p.distance_m,
            travel_time_s: p.travel_time_s,
            hit_rate,
            area,
            pai: if area > 0.0 { hit_rate / area } else { 0.0 },
            path: p.cars.iter().flat_map(|c| c.path.iter().copied()).collect(),
        }
    };
    Ok(RouteScore {
        within_min,
        depart: clock(depart, 0.0),
        reach_m,
        rows: vec![row("optimised", "risk", &optimised), row("naive", "naive", &naive_plan)],
    })
}

/// Projected metres of the located crimes among `rows`.
pub fn located_xy(t: &crate::model::CrimeTable, rows: &[u32]) -> Vec<(f64, f64)> {
    rows.iter()
        .map(|&r| project(t.latitude.get(r as usize), t.longitude.get(r as usize)))
        .filter(|p| p.0.is_finite() && p.1.is_finite())
        .collect()
}
