//! `patroliq route`: a patrol route from a start through the riskiest hotspots, its evaluation,
//! and GPX / GeoJSON / CSV exports.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args as ClapArgs;
use patroliq_core::place::named_hotspots;
use patroliq_core::risk::hotspots::Hotspot;
use patroliq_core::route::evaluate::{check_reach, evaluate, DEFAULT_REACH_MIN, DEPARTURES};
use patroliq_core::route::export;
use patroliq_core::route::network::RoadNetwork;
use patroliq_core::route::plan::{clock, parse_clock, RouteParams, HQ};
use patroliq_core::route::travel::{StreetGrid, Travel};
use serde_json::{json, Value};

use super::print_json;
use super::risk::{self, RiskArgs};
use crate::failure::{io_failure, usage, Failure};
use crate::input::load;

#[derive(ClapArgs)]
pub struct Args {
    input: PathBuf,
    #[command(flatten)]
    risk: RiskArgs,
    #[command(flatten)]
    route: RouteArgs,
    /// Print the result as JSON (see README).
    #[arg(long)]
    pub json: bool,
}

#[derive(ClapArgs)]
struct RouteArgs {
    /// Start and end of the route: LAT,LON (default police headquarters, 3510 S Michigan Ave).
    #[arg(long, default_value_t = format!("{},{}", HQ.0, HQ.1))]
    start: String,
    /// Hotspots to visit (the riskiest first), 1–200.
    #[arg(long, default_value_t = RouteParams::default().stops)]
    stops: usize,
    /// Cars sharing the hotspots.
    #[arg(long, default_value_t = RouteParams::default().cars)]
    cars: usize,
    /// Each car's shift in minutes: visit the riskiest hotspots possible within it.
    #[arg(long = "shift-min")]
    shift_min: Option<f64>,
    /// Departure time, HH:MM.
    #[arg(long, default_value_t = clock(RouteParams::default().depart_min, 0.0))]
    depart: String,
    /// Minutes spent at each hotspot.
    #[arg(long = "dwell-min", default_value_t = RouteParams::default().dwell_min)]
    dwell_min: f64,
    /// A road network: the TNTP nodes and links CSVs (optionally .gz). Without it, the built-in
    /// street-grid model.
    #[arg(long, num_args = 2, value_names = ["NODES", "LINKS"])]
    network: Option<Vec<PathBuf>>,
    /// The evaluation's reach: crimes within this many minutes' drive of the route.
    #[arg(long = "within-min", default_value_t = DEFAULT_REACH_MIN)]
    within_min: f64,
    #[arg(long, default_value_t = RouteParams::default().seed)]
    seed: u64,
    /// Write the plan as GPX.
    #[arg(long)]
    gpx: Option<PathBuf>,
    /// Write the plan as GeoJSON.
    #[arg(long)]
    geojson: Option<PathBuf>,
    /// Write the plan's waypoints as CSV.
    #[arg(long)]
    csv: Option<PathBuf>,
    /// Write the start + hotspots distance matrix (metres) as JSON (the OR-Tools reference reads it).
    #[arg(long)]
    matrix: Option<PathBuf>,
}

fn parse_start(s: &str) -> Result<(f64, f64), Failure> {
    let bad = || usage(format!("--start: expected LAT,LON, not {s:?}"));
    let (a, b) = s.split_once(',').ok_or_else(bad)?;
    Ok((a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?))
}

pub fn parse_depart(s: &str) -> Result<u32, Failure> {
    parse_clock(s).ok_or_else(|| usage(format!("--depart: expected HH:MM, not {s:?}")))
}

fn write(path: &Path, text: &str) -> Result<(), Failure> {
    std::fs::write(path, text).map_err(|e| io_failure(path, e))
}

pub fn run(args: &Args) -> Result<(), Failure> {
    let (a, risk_args) = (&args.route, &args.risk);
    let params = RouteParams {
        start: parse_start(&a.start)?,
        start_name: format!("Start ({})", a.start),
        stops: a.stops,
        cars: a.cars,
        shift_min: a.shift_min,
        depart_min: parse_depart(&a.depart)?,
        dwell_min: a.dwell_min,
        seed: a.seed,
    };
    let valid = params.check().map_err(usage)?;
    check_reach(a.within_min).map_err(usage)?;
    let (risk_valid, filter) = risk_args.check()?;
    let mut travel: Box<dyn Travel> =
        match &a.network {
            Some(files) => {
                let read = |p: &PathBuf| std::fs::read(p).map_err(|e| io_failure(p, e));
                let net = RoadNetwork::from_tntp(&read(&files[0])?, &read(&files[1])?)
                    .map_err(|m| Failure { kind: "network", message: m, code: 2 })?;
                Box::new(net)
            }
            None => Box::new(StreetGrid),
        };
    let loaded = load(&args.input)?;
    let started = Instant::now();
    let t = &loaded.table;
    let (model, rows) = risk::fit(&risk_valid, &filter, t)?;
    let spots: Vec<Hotspot> = named_hotspots(&model, risk_args.mode(), a.stops, t, &rows, &[]);
    let prep = valid.prepare(&spots, travel.as_mut()).map_err(usage)?;
    if let Some(path) = &a.matrix {
        let v = json!({"n": prep.legs.n, "distance_m": prep.legs.distance_m,
            "points": std::iter::once(valid.params().start).chain(spots.iter().map(|h| (h.lat, h.lon))).collect::<Vec<_>>()});
        write(path, &v.to_string())?;
    }
    let plan = valid.plan(&prep);
    let crimes: Vec<(f64, f64)> =
        rows.iter().map(|&r| (t.latitude.get(r as usize), t.longitude.get(r as usize))).collect();
    let eval = evaluate(&valid, &prep, &plan, &crimes, a.within_min, &DEPARTURES);
    let seconds = started.elapsed().as_secs_f64();
    for (path, text) in
        [(&a.gpx, export::gpx(&plan)), (&a.geojson, export::geojson(&plan)), (&a.csv, export::csv(&plan))]
    {
        if let Some(p) = path {
            write(p, &text)?;
        }
    }
    if args.json {
        let stops: Vec<Value> = plan
            .cars
            .iter()
            .flat_map(|c| c.visits.iter().map(move |v| (c.car, v)))
            .map(|(car, v)| {
                json!({"car": car, "rank": v.rank, "lat": v.lat, "lon": v.lon, "score": v.score,
                "incidents": v.incidents, "eta_s": v.eta_s, "why": v.why, "name": v.name(), "place": v.place,
                "eta": clock(valid.params().depart_min, v.eta_s)})
            })
            .collect();
        let cars: Vec<Value> = plan
            .cars
            .iter()
            .map(|c| {
                json!({"car": c.car, "waypoints": c.waypoints, "distance_m": c.distance_m,
                "travel_time_s": c.travel_time_s, "duration_s": c.duration_s, "risk": c.risk})
            })
            .collect();
        let v = json!({
            "waypoints": plan.cars[0].waypoints,
            "distance_m": plan.distance_m,
            "travel_time_s": plan.travel_time_s,
            "stops": stops,
            "cars": cars,
            "risk": plan.risk,
            "risk_per_min": plan.risk_per_min(),
            "unvisited": plan.unvisited,
            "model": plan.model,
            "evaluation": eval,
            "seconds": seconds,
        });
        print_json(&v);
    } else {
        println!(
            "{} car(s) on the {}: {:.1} km, {:.0} min driving, risk {:.2} ({:.3}/min); {:.2} s",
            plan.cars.len(),
            plan.model,
            plan.distance_m / 1000.0,
            plan.travel_time_s / 60.0,
            plan.risk,
            plan.risk_per_min(),
            seconds
        );
        for c in &plan.cars {
            println!(
                "car {}: {} stops, {:.1} km, {:.0} min",
                c.car,
                c.visits.len(),
                c.distance_m / 1000.0,
                c.travel_time_s / 60.0
            );
            for (i, v) in c.visits.iter().enumerate() {
                println!(
                    "  {:>3}. hotspot #{:<3} {:.5}, {:.5}  +{:.0} min  {}",
                    i + 1,
                    v.rank,
                    v.lat,
                    v.lon,
                    v.eta_s / 60.0,
                    v.name()
                );
            }
        }
        for r in &eval.rows {
            println!(
                "  {:<9} {:02}:{:02}  {:>6.0} min  risk/min {:.3}  {:.1} % of crimes within {} min",
                r.route,
                r.depart_min / 60,
                r.depart_min % 60,
                r.travel_time_s / 60.0,
                r.risk_per_min,
                r.covered * 100.0,
                eval.within_min
            );
        }
    }
    Ok(())
}
