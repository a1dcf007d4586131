//! `patroliq briefing`: the home page's briefing for one shift (expected incidents by hour, peak
//! hours, hotspots and a route from the nearest station, areas ranked for the shift, the last
//! four weeks against the four before).

use std::path::PathBuf;
use std::time::Instant;

use clap::Args as ClapArgs;
use patroliq_core::areas::Boundaries;
use patroliq_core::briefing::{emptied_by, emptied_sentence};
use patroliq_core::briefing::{AreaRisk, BriefingParams, Shift};
use patroliq_core::cluster::Silent;
use patroliq_core::filter::WEEKDAYS;
use patroliq_core::route::stations;
use patroliq_core::route::travel::StreetGrid;
use serde_json::json;

use super::print_json;
use crate::failure::{bad_file, io_failure, usage, Failure};
use crate::input::{load, load_layers, parse_filter};

#[derive(ClapArgs)]
pub struct Args {
    input: PathBuf,
    /// The shift's weekday: mon … sun.
    #[arg(long, default_value_t = WEEKDAYS[Shift::default().weekday as usize].to_ascii_lowercase())]
    day: String,
    /// The hour the shift starts, 0–23.
    #[arg(long, default_value_t = Shift::default().start_hour)]
    start: u8,
    /// The shift's length in hours, 1–24.
    #[arg(long, default_value_t = Shift::default().hours)]
    hours: u8,
    /// Hotspots to find, 1–50.
    #[arg(long, default_value_t = BriefingParams::default().hotspots)]
    hotspots: usize,
    /// Of which the route visits the first, 1–50.
    #[arg(long, default_value_t = BriefingParams::default().route_stops)]
    stops: usize,
    /// The portal's "Police Stations" CSV: the route starts at the one nearest the hotspots
    /// (police headquarters without it).
    #[arg(long)]
    stations: Option<PathBuf>,
    /// A community-area boundary file, to name the areas.
    #[arg(long)]
    boundaries: Option<PathBuf>,
    /// Only the rows passing this filter (the app's URL query).
    #[arg(long)]
    filter: Option<String>,
    /// An environment layer, optionally named (`PATH=NAME`); repeat for more: the risk terrain
    /// joins the candidates for the hotspots (`track_record.candidates`).
    #[arg(long = "layer", value_name = "PATH[=NAME]")]
    layers: Vec<String>,
    /// Print the result as JSON (see README).
    #[arg(long)]
    pub json: bool,
}

fn weekday(s: &str) -> Result<u8, Failure> {
    let lower = s.trim().to_ascii_lowercase();
    WEEKDAYS
        .iter()
        .position(|d| lower.len() >= 3 && d.to_ascii_lowercase().starts_with(&lower[..3]))
        .map(|i| i as u8)
        .ok_or_else(|| usage(format!("--day: expected a weekday (mon … sun), not {s:?}")))
}

fn area_name(prefix: &str, a: &AreaRisk) -> String {
    a.name.clone().unwrap_or_else(|| format!("{prefix} {}", a.id))
}

pub fn run(a: &Args) -> Result<(), Failure> {
    let filter = parse_filter(a.filter.as_deref())?;
    let params = BriefingParams {
        shift: Shift { weekday: weekday(&a.day)?, start_hour: a.start, hours: a.hours },
        hotspots: a.hotspots,
        route_stops: a.stops,
        ..BriefingParams::default()
    };
    let valid = params.check().map_err(|e| usage(e.to_string()))?;
    let station_list = match &a.stations {
        Some(p) => {
            let bytes = std::fs::read(p).map_err(|e| io_failure(p, e))?;
            stations::parse(&bytes).map_err(|m| bad_file("stations", p, m))?.0
        }
        None => Vec::new(),
    };
    let names = match &a.boundaries {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| io_failure(p, e))?;
            Some(Boundaries::from_geojson(&text).map_err(|e| bad_file("boundaries", p, e))?)
        }
        None => None,
    };
    let loaded = load(&a.input)?;
    let t = &loaded.table;
    let started = Instant::now();
    // A filter that leaves the shift nothing: the conditions that did it, named as the page names them.
    if let Some(chips) = emptied_by(t, &filter, &valid.params().shift) {
        let message = emptied_sentence(&chips, &valid.params().shift);
        return Err(Failure { kind: "briefing", message, code: 1 });
    }
    let layers = load_layers(&a.layers, t)?;
    let mut b = valid
        .fit_with_layers(t, &filter.select(t), &station_list, &mut StreetGrid, &layers, &mut Silent)
        .map_err(|e| Failure { kind: "briefing", message: e.to_string(), code: 1 })?;
    if let Some(names) = &names {
        b.name_areas(names);
    }
    let seconds = started.elapsed().as_secs_f64();
    if a.json {
        let mut v = serde_json::to_value(&b).expect("JSON");
        v["seconds"] = json!(seconds);
        print_json(&v);
        return Ok(());
    }
    println!(
        "{}: {:.0} incidents expected (history of {} such days); peak hours {}",
        b.label,
        b.expected_total,
        b.shifts_seen,
        b.peak_hours.iter().map(|h| format!("{h:02}:00")).collect::<Vec<_>>().join(", ")
    );
    for h in &b.hours {
        println!("  {} {:02}:00  {:>6.1}", WEEKDAYS[h.weekday as usize], h.hour, h.expected);
    }
    match &b.track_record {
        Some(r) => println!("Hotspots ({}): {}", r.label, r.sentence),
        None => println!("Hotspots (the risk grid: no same shift to keep a record on):"),
    }
    for s in &b.hotspots {
        println!("  {:>2}  {}  ({:.5}, {:.5})  {}", s.rank, s.place.label(), s.lat, s.lon, s.why);
    }
    match (&b.route, &b.route_error) {
        (Some(r), _) => println!(
            "Route from {}: {} stops, {:.1} km, {:.0} min",
            r.params.start_name,
            r.cars.iter().map(|c| c.visits.len()).sum::<usize>(),
            r.distance_m / 1000.0,
            r.travel_time_s / 60.0
        ),
        (None, Some(e)) => println!("No route: {e}"),
        _ => {}
    }
    for (title, prefix, list) in
        [("Community areas", "Area", &b.community_areas), ("Districts", "District", &b.districts)]
    {
        println!("{title} (per shift, last 4 weeks, change):");
        for x in list.iter().take(5) {
            println!(
                "  {:<26} {:>6.1} {:>6} {:>7}",
                area_name(prefix, x),
                x.per_shift,
                x.last_4_weeks,
                x.change.map_or("–".into(), |c| format!("{:+.0} %", 100.0 * c))
            );
        }
    }
    println!("{seconds:.2} s");
    Ok(())
}
