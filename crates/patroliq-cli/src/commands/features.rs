//! `patroliq features`: every clean row's documented features (README, "Features") as Parquet.

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::time::Instant;

use clap::Args as ClapArgs;
use patroliq_core::export::write_features_parquet;
use patroliq_core::features::{Features, CATALOGUE};
use serde_json::json;

use super::print_json;
use crate::failure::{io_failure, Failure};
use crate::input::{load, parse_filter};

#[derive(ClapArgs)]
pub struct Args {
    input: PathBuf,
    output: PathBuf,
    /// Only the rows passing this filter, written as the app's URL query
    /// (e.g. "from=2017-01-01&type=THEFT&district=7&arrest=yes").
    #[arg(long)]
    filter: Option<String>,
    /// Also print what was written as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &Args) -> Result<(), Failure> {
    let filter = parse_filter(a.filter.as_deref())?;
    let loaded = load(&a.input)?;
    let started = Instant::now();
    let rows = filter.select(&loaded.table);
    let features = Features::prepare(&loaded.table, &rows);
    let out = File::create(&a.output).map_err(|e| io_failure(&a.output, e))?;
    write_features_parquet(&features, &rows, BufWriter::new(out)).map_err(|e| io_failure(&a.output, e))?;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "{}: {} features of {} rows computed and written in {:.0} ms → {}",
        a.input.display(),
        CATALOGUE.len(),
        rows.len(),
        seconds * 1000.0,
        a.output.display()
    );
    if a.json {
        print_json(&json!({
            "rows": rows.len(),
            "features": CATALOGUE.iter().map(|f| f.name).collect::<Vec<_>>(),
            "output": a.output.display().to_string(),
            "seconds": seconds,
        }));
    }
    Ok(())
}
