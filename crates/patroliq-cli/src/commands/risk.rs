//! `patroliq risk`: the crime-risk grid (each cell's score, KDE and Gi*) and its hotspots.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Args as ClapArgs, ValueEnum};
use patroliq_core::cluster::Silent;
use patroliq_core::filter::Filter;
use patroliq_core::model::CrimeTable;
use patroliq_core::place::named_hotspots;
use patroliq_core::risk::hotspots::{check_count, HotspotMode, DEFAULT_HOTSPOTS};
use patroliq_core::risk::{RiskModel, RiskParams, RiskValid, PARTS};
use serde_json::{json, Value};

use super::print_json;
use crate::failure::{usage, Failure};
use crate::input::{load, parse_filter};

#[derive(ClapArgs)]
pub struct Args {
    input: PathBuf,
    /// How many cells and hotspots to list.
    #[arg(long, default_value_t = DEFAULT_HOTSPOTS)]
    top: usize,
    #[command(flatten)]
    risk: RiskArgs,
    /// Print the result as JSON (see README).
    #[arg(long)]
    pub json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Mode {
    /// Patrollable areas: adjacent risky cells merged (up to ~0.25 km²), 800 m apart at least.
    Areas,
    /// The riskiest cells.
    Top,
    /// Clusters of significant Gi* hot cells.
    Gi,
}

/// The risk model of the rows `filter` selects, and those rows.
pub fn fit(valid: &RiskValid, filter: &Filter, t: &CrimeTable) -> Result<(RiskModel, Vec<u32>), Failure> {
    let rows = filter.select(t);
    Ok((valid.fit(t, &rows, &mut Silent).map_err(usage)?, rows))
}

/// The risk grid's parameters, shared by `risk` and `route`.
#[derive(ClapArgs)]
pub struct RiskArgs {
    /// Side of a grid cell, metres (100–1000).
    #[arg(long = "cell-m", default_value_t = RiskParams::default().cell_m)]
    cell_m: f64,
    /// Half-life of the recency decay, days.
    #[arg(long = "half-life", default_value_t = RiskParams::default().half_life_days)]
    half_life: f64,
    /// Weights of severity, recency and environment.
    #[arg(long, value_delimiter = ',', num_args = 3, default_values_t = RiskParams::default().weights)]
    weights: Vec<f64>,
    /// KDE bandwidth, metres.
    #[arg(long = "bandwidth-m", default_value_t = RiskParams::default().bandwidth_m)]
    bandwidth_m: f64,
    /// How hotspots are chosen.
    #[arg(long, value_enum, default_value = "areas")]
    hotspots: Mode,
    /// Only the rows passing this filter (the app's URL query, e.g. `type=ROBBERY&hours=20-4&day=fri`).
    #[arg(long)]
    filter: Option<String>,
}

impl RiskArgs {
    /// The checked parameters and the filter, before the file is read.
    pub fn check(&self) -> Result<(RiskValid, Filter), Failure> {
        let filter = parse_filter(self.filter.as_deref())?;
        let w = &self.weights;
        let params = RiskParams {
            cell_m: self.cell_m,
            half_life_days: self.half_life,
            weights: [w[0], w[1], w[2]],
            bandwidth_m: self.bandwidth_m,
            ..RiskParams::default()
        };
        Ok((params.check().map_err(usage)?, filter))
    }

    pub fn mode(&self) -> HotspotMode {
        match self.hotspots {
            Mode::Areas => HotspotMode::Areas,
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

pub fn run(a: &Args) -> Result<(), Failure> {
    check_count(a.top).map_err(usage)?;
    let (valid, filter) = a.risk.check()?;
    let loaded = load(&a.input)?;
    let started = Instant::now();
    let (m, rows) = fit(&valid, &filter, &loaded.table)?;
    let seconds = started.elapsed().as_secs_f64();
    if a.json {
        let cells: Vec<Value> = m
            .top(a.top)
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
        let mut v = model_json(&m);
        v["cells"] = cells.into();
        v["hotspots"] =
            serde_json::to_value(named_hotspots(&m, a.risk.mode(), a.top, &loaded.table, &rows, &[]))
                .expect("JSON");
        v["seconds"] = seconds.into();
        print_json(&v);
        return Ok(());
    }
    println!(
        "{} incidents on {} cells of {} m; {} significant hot cells (FDR 5 %); {:.2} s",
        m.incidents,
        m.cells.len(),
        m.grid.cell_m,
        m.hot_cells,
        seconds
    );
    for (i, c) in m.top(a.top).iter().enumerate() {
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
    Ok(())
}
