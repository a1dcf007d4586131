//! `patroliq temporal`: temporal patterns (K-Means on hour, weekday and month, k by silhouette)
//! and the peak hours and months per type and district, as JSON.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Args as ClapArgs, ValueEnum};
use patroliq_core::cluster::Silent;
use patroliq_core::temporal::peaks::Peaks;
use patroliq_core::temporal::{Encoding, TemporalParams};

use super::print_json;
use crate::failure::{usage, Failure};
use crate::input::{load, parse_filter};

#[derive(ClapArgs)]
pub struct Args {
    input: PathBuf,
    #[arg(long, value_enum, default_value = "cyclical")]
    encoding: Enc,
    /// Fix k instead of taking the sweep's best silhouette.
    #[arg(long)]
    k: Option<usize>,
    #[arg(long = "k-min", default_value_t = TemporalParams::default().k_min)]
    k_min: usize,
    #[arg(long = "k-max", default_value_t = TemporalParams::default().k_max)]
    k_max: usize,
    #[arg(long = "n-init", default_value_t = TemporalParams::default().n_init)]
    n_init: usize,
    #[arg(long, default_value_t = TemporalParams::default().seed)]
    seed: u64,
    /// Only the rows passing this filter (the app's URL query).
    #[arg(long)]
    filter: Option<String>,
    /// Accepted as on every command: the output is JSON either way.
    #[arg(long)]
    pub json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Enc {
    Cyclical,
    Standardised,
}

pub fn run(a: &Args) -> Result<(), Failure> {
    let filter = parse_filter(a.filter.as_deref())?;
    let encoding = match a.encoding {
        Enc::Cyclical => Encoding::Cyclical,
        Enc::Standardised => Encoding::Standardised,
    };
    let params =
        TemporalParams { encoding, k_min: a.k_min, k_max: a.k_max, k: a.k, n_init: a.n_init, seed: a.seed };
    let valid = params.check().map_err(usage)?;
    let loaded = load(&a.input)?;
    let started = Instant::now();
    let rows = filter.select(&loaded.table);
    let report = valid.fit(&loaded.table, &rows, &mut Silent).map_err(usage)?;
    let peaks = Peaks::of(&loaded.table, &rows);
    let mut v = serde_json::to_value(&report).expect("report serialises");
    v["peaks"] = serde_json::to_value(&peaks).expect("peaks serialise");
    v["seconds"] = started.elapsed().as_secs_f64().into();
    print_json(&v);
    Ok(())
}
