//! `patroliq nearrepeat`: the Knox test of near repeats (the Near Repeat Calculator's table).

use std::path::PathBuf;
use std::time::Instant;

use clap::Args as ClapArgs;
use patroliq_core::cluster::Silent;
use patroliq_core::forecast::knox::{Knox, KnoxParams};
use serde_json::{json, Value};

use super::print_json;
use crate::failure::{usage, Failure};
use crate::input::{load, parse_filter};

#[derive(ClapArgs)]
pub struct Args {
    input: PathBuf,
    /// Upper edges of the distance bands, metres, increasing (comma-separated).
    #[arg(long = "space-m", value_delimiter = ',', default_values_t = KnoxParams::default().space_m)]
    space_m: Vec<f64>,
    /// Upper edges of the time bands, days, increasing (comma-separated).
    #[arg(long = "time-days", value_delimiter = ',', default_values_t = KnoxParams::default().time_days)]
    time_days: Vec<f64>,
    /// Monte Carlo permutations of the dates (1–9999).
    #[arg(long, default_value_t = KnoxParams::default().permutations)]
    permutations: usize,
    #[arg(long, default_value_t = KnoxParams::default().seed)]
    seed: u64,
    /// Only the rows passing this filter (the app's URL query, e.g. `type=BURGLARY&from=2017-01-01`).
    /// At most 100,000 located incidents are tested.
    #[arg(long)]
    filter: Option<String>,
    /// Print the result as JSON (see README).
    #[arg(long)]
    pub json: bool,
}

/// The documented JSON (docs/cli.md, "nearrepeat --json"): fields are only ever added.
fn to_json(k: &Knox, seconds: f64) -> Value {
    let c = k.cell(0, 0);
    json!({
        "incidents": k.incidents,
        "pairs": k.pairs,
        "space_m": k.params.space_m,
        "time_days": k.params.time_days,
        "permutations": k.params.permutations,
        "seed": k.params.seed,
        "bands": k.cells,
        "space_totals": k.space_totals,
        "time_totals": k.time_totals,
        "originators": k.originators,
        "near_repeats": k.near_repeats,
        "headline": {
            "space_m": c.space_m[1], "time_days": c.time_days[1], "ratio": c.ratio, "p": c.p,
            "sentence": k.sentence(),
        },
        "seconds": seconds,
    })
}

pub fn run(a: &Args) -> Result<(), Failure> {
    let params = KnoxParams {
        space_m: a.space_m.clone(),
        time_days: a.time_days.clone(),
        permutations: a.permutations,
        seed: a.seed,
    };
    let valid = params.check().map_err(usage)?;
    let filter = parse_filter(a.filter.as_deref())?;
    let loaded = load(&a.input)?;
    let t = &loaded.table;
    let started = Instant::now();
    let k = valid.run(t, &filter.select(t), &mut Silent).map_err(usage)?;
    let seconds = started.elapsed().as_secs_f64();
    if a.json {
        print_json(&to_json(&k, seconds));
        return Ok(());
    }
    println!(
        "Knox test of {} incidents ({} pairs, {} permutations, {:.1} s): {} originators, {} near repeats",
        k.incidents, k.pairs, k.params.permutations, seconds, k.originators, k.near_repeats
    );
    println!("{}", k.sentence());
    print!("{:>12}", "m \\ days");
    for d in &k.params.time_days {
        print!(" {:>22}", format!("< {d}"));
    }
    println!();
    for i in 0..k.params.space_m.len() {
        print!("{:>12}", format!("{}–{}", k.cell(i, 0).space_m[0], k.cell(i, 0).space_m[1]));
        for j in 0..k.params.time_days.len() {
            let c = k.cell(i, j);
            print!(" {:>22}", format!("{}/{:.0} ×{:.2} p={:.2}", c.observed, c.expected, c.ratio, c.p));
        }
        println!();
    }
    Ok(())
}
