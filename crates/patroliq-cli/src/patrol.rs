//! `patroliq risk` and `patroliq route`: the risk grid, its hotspots and patrol routes.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, ValueEnum};
use patroliq_core::cluster::Silent;
use patroliq_core::model::CrimeTable;
use patroliq_core::risk::hotspots::{hotspots, Hotspot, HotspotMode};
use patroliq_core::risk::{RiskModel, RiskParams, PARTS};
use patroliq_core::route::evaluate::{evaluate, DEPARTURES};
use patroliq_core::route::export;
use patroliq_core::route::network::RoadNetwork;
use patroliq_core::route::plan::{parse_clock, RouteParams};
use patroliq_core::route::travel::{StreetGrid, Travel};
use serde_json::{json, Value};

use crate::{io_failure, load, parse_filter, usage, Failure};

#[derive(Clone, Copy, ValueEnum)]
pub enum Mode {
    /// The riskiest cells.
    Top,
    /// Clusters of significant Gi* hot cells.
    Gi,
}

/// The risk grid's parameters, shared by `risk` and `route`.
#[derive(Args)]
pub struct RiskArgs {
    /// Side of a grid cell, metres (100–1000).
    #[arg(long = "cell-m", default_value_t = 250.0)]
    pub cell_m: f64,
    /// Half-life of the recency decay, days.
    #[arg(long = "half-life", default_value_t = 90.0)]
    pub half_life: f64,
    /// Weights of severity, recency and environment.
    #[arg(long, value_delimiter = ',', num_args = 3, default_values_t = [0.5, 0.3, 0.2])]
    pub weights: Vec<f64>,
    /// KDE bandwidth, metres.
    #[arg(long = "bandwidth-m", default_value_t = 400.0)]
    pub bandwidth_m: f64,
    /// How hotspots are chosen.
    #[arg(long, value_enum, default_value = "top")]
    pub hotspots: Mode,
    /// Only the rows passing this filter (the app's URL query, e.g. `type=ROBBERY&hours=20-4&day=fri`).
    #[arg(long)]
    pub filter: Option<String>,
}

impl RiskArgs {
    /// The risk model of the filtered rows, and those rows.
    fn fit(&self, t: &CrimeTable) -> Result<(RiskModel, Vec<u32>), Failure> {
        let filter = parse_filter(self.filter.as_deref())?;
        let w = &self.weights;
        let params = RiskParams {
            cell_m: self.cell_m,
            half_life_days: self.half_life,
            weights: [w[0], w[1], w[2]],
            bandwidth_m: self.bandwidth_m,
            ..RiskParams::default()
        };
        let valid = params.check().map_err(usage)?;
        let rows = filter.select(t);
        Ok((valid.fit(t, &rows, &mut Silent).map_err(usage)?, rows))
    }

    fn mode(&self) -> HotspotMode {
        match self.hotspots {
            Mode::Top => HotspotMode::TopCells,
            Mode::Gi => HotspotMode::GiClusters,
        }
    }
}

fn model_json(m: &RiskModel) -> Value {
    json!({
        "grid": {"cell_m": m.grid.cell_m, "cols": m.grid.cols, "rows": m.grid.rows, "study_cells": m.cells.len()},
        "incidents": m.incidents,
        "unlocated": m.unlocated,
        "hot_cells": m.hot_cells,
        "cold_cells": m.cold_cells,
        "environment": m.environment,
    })
}

pub fn risk(input: &Path, args: &RiskArgs, top: usize, json: bool) -> Result<(), Failure> {
    let loaded = load(input)?;
    let started = Instant::now();
    let (m, _) = args.fit(&loaded.table)?;
    let seconds = started.elapsed().as_secs_f64();
    let cells: Vec<Value> = m
        .top(top)
        .iter()
        .map(|c| {
            json!({
                "lat": c.lat, "lon": c.lon, "score": c.score, "incidents": c.incidents,
                "parts": {PARTS[0]: c.parts[0], PARTS[1]: c.parts[1], PARTS[2]: c.parts[2]},
                "severity": c.severity, "recency": c.recency, "expected": c.expected, "kde": c.kde,
                "gi_z": c.gi.map(|g| g.z), "significant": c.gi.is_some_and(|g| g.hot),
            })
        })
        .collect();
    if json {
        let mut v = model_json(&m);
        v["cells"] = cells.into();
        v["hotspots"] = serde_json::to_value(hotspots(&m, args.mode(), top)).expect("JSON");
        v["seconds"] = seconds.into();
        println!("{}", serde_json::to_string_pretty(&v).expect("JSON"));
    } else {
        println!(
            "{} incidents on {} cells of {} m; {} significant hot cells (FDR 5 %); {:.2} s",
            m.incidents,
            m.cells.len(),
            m.grid.cell_m,
            m.hot_cells,
            seconds
        );
        for (i, c) in m.top(top).iter().enumerate() {
            println!(
                "{:>4}  {:.5}, {:.5}  score {:.3}  {:>5} incidents  Gi* z {}",
                i + 1,
                c.lat,
                c.lon,
                c.score,
                c.incidents,
                c.gi.map_or("–".into(), |g| format!("{:.1}", g.z))
            );
        }
    }
    Ok(())
}

#[derive(Args)]
pub struct RouteArgs {
    /// Start and end of the route: LAT,LON (default police headquarters, 3510 S Michigan Ave).
    #[arg(long, default_value = "41.8299,-87.6238")]
    pub start: String,
    /// Hotspots to visit (the riskiest first), 1–200.
    #[arg(long, default_value_t = 20)]
    pub stops: usize,
    /// Cars sharing the hotspots.
    #[arg(long, default_value_t = 1)]
    pub cars: usize,
    /// Each car's shift in minutes: visit the riskiest hotspots possible within it.
    #[arg(long = "shift-min")]
    pub shift_min: Option<f64>,
    /// Departure time, HH:MM.
    #[arg(long, default_value = "20:00")]
    pub depart: String,
    /// Minutes spent at each hotspot.
    #[arg(long = "dwell-min", default_value_t = 0.0)]
    pub dwell_min: f64,
    /// A road network: the TNTP nodes and links CSVs (optionally .gz). Without it, the built-in
    /// street-grid model.
    #[arg(long, num_args = 2, value_names = ["NODES", "LINKS"])]
    pub network: Option<Vec<PathBuf>>,
    /// The evaluation's reach: crimes within this many minutes' drive of the route.
    #[arg(long = "within-min", default_value_t = 2.0)]
    pub within_min: f64,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Write the plan as GPX, GeoJSON or CSV.
    #[arg(long)]
    pub gpx: Option<PathBuf>,
    #[arg(long)]
    pub geojson: Option<PathBuf>,
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// Write the start + hotspots distance matrix (metres) as JSON (the OR-Tools reference reads it).
    #[arg(long)]
    pub matrix: Option<PathBuf>,
}

fn parse_start(s: &str) -> Result<(f64, f64), Failure> {
    let bad = || usage(format!("--start: expected LAT,LON, not {s:?}"));
    let (a, b) = s.split_once(',').ok_or_else(bad)?;
    Ok((a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?))
}

pub(crate) fn parse_depart(s: &str) -> Result<u32, Failure> {
    parse_clock(s).ok_or_else(|| usage(format!("--depart: expected HH:MM, not {s:?}")))
}

fn write(path: &Path, text: &str) -> Result<(), Failure> {
    std::fs::write(path, text).map_err(|e| io_failure(path, e))
}

pub fn route(input: &Path, risk_args: &RiskArgs, a: &RouteArgs, json: bool) -> Result<(), Failure> {
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
    let loaded = load(input)?;
    let started = Instant::now();
    let t = &loaded.table;
    let (model, rows) = risk_args.fit(t)?;
    let spots: Vec<Hotspot> = hotspots(&model, risk_args.mode(), a.stops);
    let prep = valid.prepare(&spots, travel.as_mut()).map_err(usage)?;
    if let Some(path) = &a.matrix {
        let v = json!({"n": prep.legs.n, "distance_m": prep.legs.distance_m,
            "points": std::iter::once(valid.params().start).chain(spots.iter().map(|h| (h.lat, h.lon))).collect::<Vec<_>>()});
        write(path, &v.to_string())?;
    }
    let plan = valid.plan(&prep);
    let crimes: Vec<(f64, f64)> =
        rows.iter().map(|&r| (t.latitude[r as usize], t.longitude[r as usize])).collect();
    let eval = evaluate(&valid, &prep, &plan, &crimes, a.within_min, &DEPARTURES);
    let seconds = started.elapsed().as_secs_f64();
    for (path, text) in
        [(&a.gpx, export::gpx(&plan)), (&a.geojson, export::geojson(&plan)), (&a.csv, export::csv(&plan))]
    {
        if let Some(p) = path {
            write(p, &text)?;
        }
    }
    if json {
        let stops: Vec<Value> = plan
            .cars
            .iter()
            .flat_map(|c| c.visits.iter().map(move |v| (c.car, v)))
            .map(|(car, v)| {
                json!({"car": car, "rank": v.rank, "lat": v.lat, "lon": v.lon, "score": v.score,
                "incidents": v.incidents, "eta_s": v.eta_s, "why": v.why})
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
        println!("{}", serde_json::to_string_pretty(&v).expect("JSON"));
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
                    "  {:>3}. hotspot #{:<3} {:.5}, {:.5}  +{:.0} min",
                    i + 1,
                    v.rank,
                    v.lat,
                    v.lon,
                    v.eta_s / 60.0
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
