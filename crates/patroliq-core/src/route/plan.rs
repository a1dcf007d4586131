//! A patrol plan: from a start through the hotspots, for one car or several, with or without a
//! shift budget, leaving at a time of day.
//!
//! The tour is optimised on travel time at the departure hour (the congestion factor scales every
//! leg alike, so this is also the shortest free-flow tour); the arrival times then follow the clock:
//! each leg is slowed by the congestion of the hour it starts in.

use serde::{Deserialize, Serialize};

use super::orienteering::{share_all, team_orienteering};
use super::tour::{default_kicks, solve, Matrix};
use super::travel::{congestion, Legs, Travel};
use crate::error::AnalysisError;
use crate::risk::hotspots::Hotspot;

/// "HH:MM" of `depart_min` (minutes after midnight) plus `plus_s` seconds, past midnight wrapping.
pub fn clock(depart_min: u32, plus_s: f64) -> String {
    let m = (depart_min as f64 + plus_s / 60.0).round() as u32 % 1440;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// Minutes after midnight of a time of day written "HH:MM" (00:00–23:59).
pub fn parse_clock(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Police headquarters, 3510 S Michigan Ave: where a route starts and ends unless told otherwise.
pub const HQ: (f64, f64) = (41.8299, -87.6238);
pub const HQ_NAME: &str = "Police headquarters (3510 S Michigan Ave)";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteParams {
    /// (latitude, longitude) of the start and end.
    pub start: (f64, f64),
    pub start_name: String,
    /// How many hotspots to consider (the riskiest first), 1–200.
    pub stops: usize,
    /// Cars sharing them, 1–10.
    pub cars: usize,
    /// Each car's shift, minutes: visit the riskiest hotspots possible within it. `None`: visit
    /// every hotspot.
    pub shift_min: Option<f64>,
    /// Departure, minutes after midnight.
    pub depart_min: u32,
    /// Minutes spent at each hotspot.
    pub dwell_min: f64,
    pub seed: u64,
}

/// Minutes at each stop unless asked otherwise: the hot-spot dosage studies (Koper 1995; Telep,
/// Mitchell & Weisburd 2014) found stops of 10–15 minutes deter longest.
pub const DWELL_MIN: f64 = 12.0;

impl Default for RouteParams {
    fn default() -> Self {
        RouteParams {
            start: HQ,
            start_name: HQ_NAME.into(),
            stops: 20,
            cars: 1,
            shift_min: None,
            depart_min: 20 * 60,
            dwell_min: DWELL_MIN,
            seed: 42,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RouteValid(RouteParams);

impl RouteParams {
    pub fn check(self) -> Result<RouteValid, AnalysisError> {
        let bad = |m: String| Err(AnalysisError::Param(m));
        let (la, lo) = self.start;
        if !(la.is_finite()
            && lo.is_finite()
            && (-90.0..=90.0).contains(&la)
            && (-180.0..=180.0).contains(&lo))
        {
            return bad("the start is not a valid latitude, longitude".into());
        }
        if !(1..=200).contains(&self.stops) {
            return bad(format!("the number of stops must be 1–200, not {}", self.stops));
        }
        if !(1..=10).contains(&self.cars) {
            return bad(format!("the number of cars must be 1–10, not {}", self.cars));
        }
        if self.shift_min.is_some_and(|s| !(s.is_finite() && (5.0..=1440.0).contains(&s))) {
            return bad("the shift must be 5–1440 minutes".into());
        }
        if self.depart_min >= 1440 {
            return bad("the departure must be a time of day, 00:00–23:59".into());
        }
        if !(self.dwell_min.is_finite() && (0.0..=120.0).contains(&self.dwell_min)) {
            return bad("the time at each stop must be 0–120 minutes".into());
        }
        Ok(RouteValid(self))
    }
}

/// A hotspot on a route.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    /// The hotspot's rank (1 = riskiest).
    pub rank: usize,
    pub lat: f64,
    pub lon: f64,
    pub score: f64,
    pub incidents: u32,
    /// Arrival, seconds after departure.
    pub eta_s: f64,
    pub why: String,
    /// Where it is, by name (the hotspot's place).
    #[serde(default)]
    pub place: crate::place::Place,
}

impl Visit {
    /// "100 block of N State St, Loop", else "Hotspot #3".
    pub fn name(&self) -> String {
        let l = self.place.label();
        if l.is_empty() {
            format!("Hotspot #{}", self.rank)
        } else {
            l
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CarRoute {
    pub car: usize,
    pub visits: Vec<Visit>,
    /// [lat, lon]: the start, each visit, the start again.
    pub waypoints: Vec<[f64; 2]>,
    /// The drawn path, [lat, lon].
    pub path: Vec<[f64; 2]>,
    pub distance_m: f64,
    /// Driving time with the clock's congestion.
    pub travel_time_s: f64,
    /// Driving plus time at the stops.
    pub duration_s: f64,
    /// Sum of the visited hotspots' scores.
    pub risk: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoutePlan {
    pub params: RouteParams,
    /// "street grid" or "road network".
    pub model: String,
    pub cars: Vec<CarRoute>,
    pub distance_m: f64,
    pub travel_time_s: f64,
    pub risk: f64,
    /// Ranks of the hotspots no car reached within the shift.
    pub unvisited: Vec<usize>,
}

impl RoutePlan {
    /// Risk collected per minute of driving.
    pub fn risk_per_min(&self) -> f64 {
        if self.travel_time_s > 0.0 {
            self.risk / (self.travel_time_s / 60.0)
        } else {
            0.0
        }
    }
}

/// Distances, times and paths of the start (index 0) and the hotspots (1…).
pub struct Prepared {
    pub legs: Legs,
    pub hotspots: Vec<Hotspot>,
    pub model: String,
}

impl RouteValid {
    pub fn params(&self) -> &RouteParams {
        &self.0
    }

    /// Legs between the start and the `stops` riskiest hotspots.
    pub fn prepare(&self, hotspots: &[Hotspot], travel: &mut dyn Travel) -> Result<Prepared, String> {
        let p = &self.0;
        if hotspots.is_empty() {
            return Err("there are no hotspots to visit: compute the risk grid first".into());
        }
        let hotspots: Vec<Hotspot> = hotspots.iter().take(p.stops).cloned().collect();
        let points: Vec<(f64, f64)> =
            std::iter::once(p.start).chain(hotspots.iter().map(|h| (h.lat, h.lon))).collect();
        let legs = travel.legs(&points)?;
        Ok(Prepared { legs, hotspots, model: travel.name().into() })
    }

    /// The optimised plan.
    pub fn plan(&self, prep: &Prepared) -> RoutePlan {
        let p = &self.0;
        let n = prep.legs.n;
        let dwell = p.dwell_min * 60.0;
        let factor = congestion(p.depart_min as f64 * 60.0);
        // Time at the departure hour, plus the dwell at the stop arrived at.
        let cost = Matrix::new(
            n,
            (0..n * n).map(|k| prep.legs.free_s[k] * factor + if k % n == 0 { 0.0 } else { dwell }).collect(),
        );
        let prize: Vec<f64> = std::iter::once(0.0).chain(prep.hotspots.iter().map(|h| h.score)).collect();
        let nodes: Vec<usize> = (0..n).collect();
        let tours = match (p.shift_min, p.cars) {
            (Some(shift), cars) => team_orienteering(&cost, &prize, cars, shift * 60.0),
            (None, 1) => vec![solve(&cost, &nodes, default_kicks(n), p.seed)],
            (None, cars) => {
                let single = solve(&cost, &nodes, default_kicks(n), p.seed);
                share_all(&cost, &prize, cars, cost.tour_cost(&single))
                    .into_iter()
                    .map(|t| if t.len() > 3 { solve(&cost, &t, default_kicks(t.len()), p.seed) } else { t })
                    .collect()
            }
        };
        self.assemble(prep, &tours, p.depart_min)
    }

    /// The tours of the nodes `visit` (in rank order, the riskiest first) split round-robin
    /// among the cars: what an unplanned patrol would do; the baseline of the evaluation.
    pub fn naive_tours(&self, visit: &[usize]) -> Vec<Vec<usize>> {
        let cars = self.0.cars;
        let mut tours = vec![vec![0]; cars];
        for (k, &i) in visit.iter().enumerate() {
            tours[k % cars].push(i);
        }
        tours
    }

    /// A plan from tours (node lists starting at 0), timed from `depart_min`.
    pub fn assemble(&self, prep: &Prepared, tours: &[Vec<usize>], depart_min: u32) -> RoutePlan {
        let p = &self.0;
        let legs = &prep.legs;
        let dwell = p.dwell_min * 60.0;
        let start = [p.start.0, p.start.1];
        let mut seen = vec![false; legs.n];
        let cars: Vec<CarRoute> = tours
            .iter()
            .enumerate()
            .map(|(car, t)| {
                let (mut clock, mut drive, mut dist) = (depart_min as f64 * 60.0, 0.0, 0.0);
                let mut visits = Vec::new();
                let mut path: Vec<[f64; 2]> = vec![start];
                let closed: Vec<usize> = t.iter().copied().chain(std::iter::once(0)).collect();
                for w in closed.windows(2) {
                    let (a, b) = (w[0], w[1]);
                    let k = legs.at(a, b);
                    let time = legs.free_s[k] * congestion(clock);
                    clock += time;
                    drive += time;
                    dist += legs.distance_m[k];
                    path.extend_from_slice(&legs.paths[k][1..]);
                    if b != 0 {
                        seen[b] = true;
                        let h = &prep.hotspots[b - 1];
                        visits.push(Visit {
                            rank: h.rank,
                            lat: h.lat,
                            lon: h.lon,
                            score: h.score,
                            incidents: h.incidents,
                            eta_s: clock - depart_min as f64 * 60.0,
                            why: h.why.clone(),
                            place: h.place.clone(),
                        });
                        clock += dwell;
                    }
                }
                let waypoints = std::iter::once(start)
                    .chain(visits.iter().map(|v| [v.lat, v.lon]))
                    .chain(std::iter::once(start))
                    .collect();
                CarRoute {
                    car: car + 1,
                    risk: visits.iter().map(|v| v.score).sum(),
                    duration_s: clock - depart_min as f64 * 60.0,
                    visits,
                    waypoints,
                    path,
                    distance_m: dist,
                    travel_time_s: drive,
                }
            })
            .collect();
        let unvisited = (1..legs.n).filter(|&i| !seen[i]).map(|i| prep.hotspots[i - 1].rank).collect();
        RoutePlan {
            params: p.clone(),
            model: prep.model.clone(),
            distance_m: cars.iter().map(|c| c.distance_m).sum(),
            travel_time_s: cars.iter().map(|c| c.travel_time_s).sum(),
            risk: cars.iter().map(|c| c.risk).sum(),
            cars,
            unvisited,
        }
    }
}

/// The node lists of a plan's cars (for re-timing it at other departures).
pub fn tours_of(plan: &RoutePlan, prep: &Prepared) -> Vec<Vec<usize>> {
    plan.cars
        .iter()
        .map(|c| {
            std::iter::once(0)
                .chain(
                    c.visits
                        .iter()
                        .map(|v| 1 + prep.hotspots.iter().position(|h| h.rank == v.rank).expect("a hotspot")),
                )
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::unproject;
    use crate::route::travel::StreetGrid;

    fn spots(xy: &[(f64, f64)]) -> Vec<Hotspot> {
        let at = |(i, &(x, y)): (usize, &(f64, f64))| {
            let (lat, lon) = unproject(x, y);
            Hotspot::at(i + 1, lat, lon, 1.0 / (i + 1) as f64)
        };
        xy.iter().enumerate().map(at).collect()
    }

    fn params() -> RouteParams {
        let (la, lo) = unproject(0.0, 0.0);
        // No time at the stops: these tests time the driving.
        RouteParams { start: (la, lo), depart_min: 3 * 60, dwell_min: 0.0, ..RouteParams::default() }
    }

    #[test]
    fn a_square_is_driven_round_and_timed_by_the_clock() {
        let h = spots(&[(1000.0, 1000.0), (0.0, 1000.0), (1000.0, 0.0)]);
        let v = params().check().unwrap();
        let prep = v.prepare(&h, &mut StreetGrid).unwrap();
        let plan = v.plan(&prep);
        let car = &plan.cars[0];
        assert!((car.distance_m - 4000.0).abs() < 1e-6);
        assert_eq!(car.waypoints.len(), 5);
        assert_eq!(car.waypoints[0], car.waypoints[4]);
        // At 03:00 there is no congestion: 4 km at 40 km/h = 360 s.
        assert!((car.travel_time_s - 360.0).abs() < 1e-6);
        assert!((car.visits[2].eta_s - 270.0).abs() < 1e-6);
        assert!(plan.unvisited.is_empty());
        assert_eq!(car.visits.iter().map(|v| v.rank).filter(|&r| r == 1).count(), 1);
        // Leaving at 17:00 the same tour takes 1.7 times as long.
        let rush = v.assemble(&prep, &tours_of(&plan, &prep), 17 * 60);
        assert!((rush.travel_time_s - 360.0 * 1.7).abs() < 1e-6);
        // The naive route (rank order 1, 2, 3) is longer: (1000,1000) → (0,1000) → (1000,0) → start.
        let naive = v.assemble(&prep, &v.naive_tours(&[1, 2, 3]), 3 * 60);
        assert!(naive.distance_m > plan.distance_m);
    }

    #[test]
    fn a_shift_leaves_the_far_hotspots_out_and_cars_share_the_rest() {
        let h = spots(&[(500.0, 0.0), (0.0, 500.0), (20_000.0, 20_000.0)]);
        let v = RouteParams { shift_min: Some(10.0), ..params() }.check().unwrap();
        let plan = v.plan(&v.prepare(&h, &mut StreetGrid).unwrap());
        assert_eq!(plan.unvisited, vec![3]);
        assert!(plan.cars[0].travel_time_s <= 600.0);
        let v = RouteParams { cars: 2, ..params() }.check().unwrap();
        let plan = v.plan(&v.prepare(&h, &mut StreetGrid).unwrap());
        assert_eq!(plan.cars.len(), 2);
        assert_eq!(plan.cars.iter().map(|c| c.visits.len()).sum::<usize>(), 3);
    }

    #[test]
    fn clock_times_wrap_and_parse() {
        assert_eq!(clock(23 * 60 + 58, 150.0), "00:01");
        assert_eq!(parse_clock("20:05"), Some(20 * 60 + 5));
        assert_eq!(parse_clock("24:00"), None);
        assert_eq!(parse_clock("10:75"), None);
        assert_eq!(parse_clock("8"), None);
    }

    #[test]
    fn bad_parameters_and_no_hotspots_are_messages() {
        assert!(RouteParams { stops: 0, ..params() }.check().is_err());
        assert!(RouteParams { cars: 11, ..params() }.check().is_err());
        assert!(RouteParams { start: (f64::NAN, 0.0), ..params() }.check().is_err());
        assert!(RouteParams { shift_min: Some(1.0), ..params() }.check().is_err());
        assert!(RouteParams { depart_min: 1440, ..params() }.check().is_err());
        assert!(params().check().unwrap().prepare(&[], &mut StreetGrid).is_err());
    }
}
