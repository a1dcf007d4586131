//! `patroliq validate`: load a portal export and print its validation and cleaning report.

use std::path::PathBuf;

use clap::Args as ClapArgs;
use patroliq_core::CleaningReport;

use super::print_json;
use crate::failure::Failure;
use crate::input::load;

#[derive(ClapArgs)]
pub struct Args {
    file: PathBuf,
    /// Print the report as JSON (see README for the fields).
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &Args) -> Result<(), Failure> {
    let loaded = load(&a.file)?;
    if a.json {
        print_json(&loaded.report);
    } else {
        print_report(&loaded.report);
    }
    Ok(())
}

fn print_report(r: &CleaningReport) {
    println!("{} ({})", r.source.name, r.source.format);
    println!("  rows read      {:>10}", r.rows_read);
    println!("  rows kept      {:>10}", r.rows_clean);
    for (reason, n) in r.dropped.iter().filter(|(_, &n)| n > 0) {
        println!("  dropped {:<22} {:>6}", reason, n);
    }
    println!(
        "  dates          {} → {}",
        r.date_min.as_deref().unwrap_or("-"),
        r.date_max.as_deref().unwrap_or("-")
    );
    println!("  crime types    {:>10}", r.primary_types);
    println!("  arrest rate    {:>9.1}%", r.arrest_rate * 100.0);
    println!("  domestic       {:>9.1}%", r.domestic_rate * 100.0);
    for w in &r.warnings {
        println!("  warning: {w}");
    }
    println!("  took           {:>8.0} ms", r.duration_ms);
}
