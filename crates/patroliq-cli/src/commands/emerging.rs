//! `patroliq emerging`: emerging hot spot analysis (a space–time cube, Gi* per bin, Mann–Kendall
//! per cell, ArcGIS Pro's categories).

use std::path::PathBuf;
use std::time::Instant;

use clap::Args as ClapArgs;
use patroliq_core::cluster::Silent;
use patroliq_core::forecast::emerging::{Bin, Emerging, EmergingParams};
use serde_json::{json, Value};

use super::print_json;
use crate::failure::{usage, Failure};
use crate::input::{load, parse_filter};

#[derive(ClapArgs)]
pub struct Args {
    input: PathBuf,
    /// The cube's time bins: week or month.
    #[arg(long, default_value = "month")]
    bin: String,
    /// Side of a cell of the cube, metres (50–5000).
    #[arg(long = "cell-m", default_value_t = EmergingParams::default().cell_m)]
    cell_m: f64,
    /// False-discovery rate of each bin's Gi* hot and cold spots.
    #[arg(long = "fdr-q", default_value_t = EmergingParams::default().fdr_q)]
    fdr_q: f64,
    /// Significance of the Mann–Kendall trend.
    #[arg(long = "trend-alpha", default_value_t = EmergingParams::default().trend_alpha)]
    trend_alpha: f64,
    /// Only the rows passing this filter (the app's URL query).
    #[arg(long)]
    filter: Option<String>,
    /// Print the result as JSON (see README).
    #[arg(long)]
    pub json: bool,
}

/// The documented JSON (docs/cli.md, "emerging --json"): fields are only ever added.
fn to_json(e: &Emerging, seconds: f64) -> Value {
    json!({
        "bin": e.params.bin,
        "cell_m": e.params.cell_m,
        "fdr_q": e.params.fdr_q,
        "trend_alpha": e.params.trend_alpha,
        "bins": e.bins,
        "end": e.end,
        "totals": e.totals,
        "total_trend": e.total_trend,
        "categories": e.categories.iter().map(|(c, n)| json!({ "category": c, "cells": n })).collect::<Vec<_>>(),
        "cells": e.cells,
        "outside_bins": e.outside_bins,
        "seconds": seconds,
    })
}

pub fn run(a: &Args) -> Result<(), Failure> {
    let bin = match a.bin.as_str() {
        "week" => Bin::Week,
        "month" => Bin::Month,
        b => return Err(usage(format!("--bin: week or month, not {b:?}"))),
    };
    let params = EmergingParams { bin, cell_m: a.cell_m, fdr_q: a.fdr_q, trend_alpha: a.trend_alpha };
    let valid = params.check().map_err(usage)?;
    let filter = parse_filter(a.filter.as_deref())?;
    let loaded = load(&a.input)?;
    let t = &loaded.table;
    let started = Instant::now();
    let e = valid.run(t, &filter.select(t), &mut Silent).map_err(usage)?;
    let seconds = started.elapsed().as_secs_f64();
    if a.json {
        print_json(&to_json(&e, seconds));
        return Ok(());
    }
    println!(
        "{} bins ({} → {}), {} cells of {} m; overall trend z = {:.2} (p = {:.3}); {:.1} s",
        e.bins.len(),
        e.bins.first().map_or("?", String::as_str),
        e.end,
        e.cells.len(),
        e.params.cell_m,
        e.total_trend.z,
        e.total_trend.p,
        seconds
    );
    for (c, n) in &e.categories {
        println!("  {:<20} {n:>6} cells", serde_json::to_value(c).expect("JSON").as_str().unwrap_or("?"));
    }
    Ok(())
}
