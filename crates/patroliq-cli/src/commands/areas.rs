//! `patroliq areas`: incidents by community area, district or beat, from a boundary file.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args as ClapArgs;
use patroliq_core::areas::{report, Boundaries};
use serde_json::json;

use super::print_json;
use crate::failure::{bad_file, io_failure, Failure};
use crate::input::{load, parse_filter};

#[derive(ClapArgs)]
pub struct Args {
    input: PathBuf,
    /// A boundary file: the portal's GeoJSON export of community areas, police districts or beats.
    #[arg(long)]
    boundaries: PathBuf,
    /// Only the rows passing this filter (the app's URL query).
    #[arg(long)]
    filter: Option<String>,
    /// How many areas to print (all with --json).
    #[arg(long, default_value_t = 15)]
    top: usize,
    /// Print the result as JSON (see README).
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &Args) -> Result<(), Failure> {
    let filter = parse_filter(a.filter.as_deref())?;
    let bad = |e: String| bad_file("boundaries", &a.boundaries, e);
    let bytes = std::fs::read(&a.boundaries).map_err(|e| io_failure(&a.boundaries, e))?;
    let text = String::from_utf8(bytes).map_err(|_| bad("not text: a GeoJSON file is UTF-8 JSON".into()))?;
    let b = Boundaries::from_geojson(&text).map_err(|e| bad(e.to_string()))?;
    let loaded = load(&a.input)?;
    let t = &loaded.table;
    let started = Instant::now();
    let r = report(&b, t, &filter.select(t));
    let seconds = started.elapsed().as_secs_f64();
    if a.json {
        let mut v = serde_json::to_value(&r).expect("JSON");
        v["seconds"] = json!(seconds);
        print_json(&v);
        return Ok(());
    }
    println!(
        "{} {}s; {:.1} % of {} located incidents agree with their own {} field; {} outside every area; {:.2} s",
        b.areas.len(),
        b.kind.label(),
        100.0 * r.agreement.rate,
        r.agreement.compared,
        b.kind.label(),
        r.outside,
        seconds
    );
    println!("{:<28} {:>9} {:>9} {:>8} {:>14}", "area", "incidents", "per km²", "arrests", "last 4 weeks");
    for s in r.areas.iter().take(a.top) {
        println!(
            "{:<28} {:>9} {:>9.0} {:>7.1}% {:>6} {:>7}",
            format!("{} {}", s.id, s.name),
            s.incidents,
            s.per_km2,
            100.0 * s.arrest_rate.unwrap_or(0.0),
            s.last_4_weeks,
            s.change.map_or("–".into(), |c| format!("{:+.0} %", 100.0 * c))
        );
    }
    Ok(())
}
