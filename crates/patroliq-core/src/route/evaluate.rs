//! How good is a plan: driving time, risk collected per minute, and the share of the period's
//! crimes within X minutes' drive of the route, at several departure times (traffic) and against
//! the naive route (the same hotspots in rank order).

// Fx: the keys are the cells a route's path passes through, at most a quarter cell apart along
// it, so a road-network file places its vertices but not the run of cells between them (nothing
// a collision attack needs); they are looked up nine times per crime, and SipHash was most of
// the coverage's time in a Chromium profile.
use rustc_hash::FxHashMap as HashMap;

use serde::{Deserialize, Serialize};

use super::plan::{tours_of, Prepared, RoutePlan, RouteValid};
use super::travel::{congestion, GRID_FREE_FLOW_KMH};
use crate::error::AnalysisError;
use crate::features::project;

/// The reach unless asked otherwise, minutes: crimes within 2 minutes' drive of a route count as
/// covered by it.
pub const DEFAULT_REACH_MIN: f64 = 2.0;

/// Checks a reach (minutes' drive) before a route is planned: beyond an hour's drive every crime
/// in the city is covered and the share says nothing.
pub fn check_reach(within_min: f64) -> Result<(), AnalysisError> {
    if !(within_min > 0.0 && within_min <= 60.0) {
        return Err(AnalysisError::Param(format!(
            "the reach must be above 0 and at most 60 minutes, not {within_min}"
        )));
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalRow {
    /// "optimised" or "naive".
    pub route: String,
    pub depart_min: u32,
    pub distance_m: f64,
    pub travel_time_s: f64,
    pub risk: f64,
    pub risk_per_min: f64,
    /// Share of the crimes within `within_min` minutes' drive of the route, 0–1.
    pub covered: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub within_min: f64,
    pub crimes: u64,
    pub rows: Vec<EvalRow>,
}

/// Departure times compared by default: night, morning peak, midday, evening peak, evening.
pub const DEPARTURES: [u32; 5] = [2 * 60, 8 * 60, 12 * 60, 17 * 60, 21 * 60];

/// Route points every `step` metres along a path (projected).
fn densify(path: &[[f64; 2]], step: f64) -> Vec<(f64, f64)> {
    let xy: Vec<(f64, f64)> = path.iter().map(|p| project(p[0], p[1])).collect();
    let mut out = xy.first().copied().into_iter().collect::<Vec<_>>();
    for w in xy.windows(2) {
        let (a, b) = (w[0], w[1]);
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        let k = (len / step).ceil().max(1.0) as usize;
        out.extend((1..=k).map(|i| {
            let f = i as f64 / k as f64;
            (a.0 + f * (b.0 - a.0), a.1 + f * (b.1 - a.1))
        }));
    }
    out
}

/// Crimes at the same place counted once with their number: the portal geocodes to the block, so
/// 500k crimes sit on a few tens of thousands of points.
fn places(crimes: &[(f64, f64)]) -> Vec<((f64, f64), u32)> {
    let mut sorted: Vec<(f64, f64)> = crimes.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut out: Vec<((f64, f64), u32)> = Vec::new();
    for p in sorted {
        match out.last_mut() {
            Some((q, n)) if *q == p => *n += 1,
            _ => out.push((p, 1)),
        }
    }
    out
}

/// Share of `crimes` (projected metres) within `radius` metres (Manhattan) of any car's path.
pub fn coverage(plan: &RoutePlan, crimes: &[(f64, f64)], radius: f64) -> f64 {
    coverage_of(plan, &places(crimes), radius)
}

fn coverage_of(plan: &RoutePlan, places: &[((f64, f64), u32)], radius: f64) -> f64 {
    let total: u64 = places.iter().map(|p| u64::from(p.1)).sum();
    if total == 0 || radius <= 0.0 {
        return 0.0;
    }
    let key = |x: f64, y: f64| ((x / radius).floor() as i64, (y / radius).floor() as i64);
    let mut bins: HashMap<(i64, i64), Vec<(f64, f64)>> = HashMap::default();
    for car in &plan.cars {
        for p in densify(&car.path, (radius / 4.0).min(50.0)) {
            bins.entry(key(p.0, p.1)).or_default().push(p);
        }
    }
    let near: u64 = places
        .iter()
        .filter(|&&((x, y), _)| {
            let (kx, ky) = key(x, y);
            (-1..=1).any(|dx| {
                (-1..=1).any(|dy| {
                    bins.get(&(kx + dx, ky + dy))
                        .is_some_and(|ps| ps.iter().any(|p| (p.0 - x).abs() + (p.1 - y).abs() <= radius))
                })
            })
        })
        .map(|p| u64::from(p.1))
        .sum();
    near as f64 / total as f64
}

/// The optimised plan and the naive one, at its own departure and at each of `departures`.
pub fn evaluate(
    v: &RouteValid,
    prep: &Prepared,
    plan: &RoutePlan,
    crimes_latlon: &[(f64, f64)],
    within_min: f64,
    departures: &[u32],
) -> Evaluation {
    let crimes: Vec<(f64, f64)> = crimes_latlon
        .iter()
        .map(|&(la, lo)| project(la, lo))
        .filter(|p| p.0.is_finite() && p.1.is_finite())
        .collect();
    let places = places(&crimes);
    let tours = tours_of(plan, prep);
    // The same hotspots as the plan, in rank order.
    let mut by_rank: Vec<usize> = tours.iter().flat_map(|t| t[1..].to_vec()).collect();
    by_rank.sort_by_key(|&i| prep.hotspots[i - 1].rank);
    let naive_tours = v.naive_tours(&by_rank);
    // The plan's own departure first, then the others.
    let depart = v.params().depart_min;
    let times = std::iter::once(depart).chain(departures.iter().copied().filter(|&t| t != depart));
    let mut rows = Vec::new();
    for t in times {
        // Driving `within_min` at that hour's speed on the street grid.
        let radius = within_min * 60.0 * GRID_FREE_FLOW_KMH / 3.6 / congestion(t as f64 * 60.0);
        for (name, tours) in [("optimised", &tours), ("naive", &naive_tours)] {
            let p = v.assemble(prep, tours, t);
            rows.push(EvalRow {
                route: name.into(),
                depart_min: t,
                distance_m: p.distance_m,
                travel_time_s: p.travel_time_s,
                risk: p.risk,
                risk_per_min: p.risk_per_min(),
                covered: coverage_of(&p, &places, radius),
            });
        }
    }
    Evaluation { within_min, crimes: crimes.len() as u64, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::unproject;
    use crate::route::plan::RouteParams;
    use crate::route::travel::StreetGrid;

    #[test]
    fn coverage_counts_crimes_near_the_path_only() {
        let (la, lo) = unproject(0.0, 0.0);
        let (hl, ho) = unproject(2000.0, 0.0);
        let h = vec![crate::risk::hotspots::Hotspot::at(1, hl, ho, 1.0)];
        let v = RouteParams { start: (la, lo), stops: 1, depart_min: 180, ..RouteParams::default() }
            .check()
            .unwrap();
        let prep = v.prepare(&h, &mut StreetGrid).unwrap();
        let plan = v.plan(&prep);
        let crimes = [(1000.0, 100.0), (1000.0, 900.0), (3000.0, 0.0), (1500.0, -400.0)];
        assert_eq!(coverage(&plan, &crimes, 500.0), 0.5);
        assert_eq!(coverage(&plan, &[], 500.0), 0.0);
        let crimes_ll: Vec<(f64, f64)> = crimes.iter().map(|&(x, y)| unproject(x, y)).collect();
        let e = evaluate(&v, &prep, &plan, &crimes_ll, 1.0, &DEPARTURES);
        assert_eq!(e.rows.len(), 12);
        // One minute at 40 km/h is 667 m at 03:00: the two near crimes and the one 1 km past the
        // hotspot? No: that one is 1,000 m away. Half again.
        assert_eq!(e.rows[0].covered, 0.5);
        // At 17:00 the same minute reaches 392 m: one crime of four.
        let rush = e.rows.iter().find(|r| r.depart_min == 17 * 60 && r.route == "optimised").unwrap();
        assert_eq!(rush.covered, 0.25);
        assert!(rush.travel_time_s > e.rows[0].travel_time_s);
    }
}
