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
use crate::failure::io_failure;
use crate::failure::{usage, Failure};
use crate::input::{load, load_layers, parse_filter};
use patroliq_core::terrain::{Layer, TerrainModel};

#[derive(ClapArgs)]
pub struct Args {
    input: PathBuf,
    /// How many cells and hotspots to list.
    #[arg(long, default_value_t = DEFAULT_HOTSPOTS)]
    top: usize,
    #[command(flatten)]
    risk: RiskArgs,
    /// An environment layer (GeoJSON, or CSV with coordinates, a "(lat, lon)", WKT or WKB column),
    /// optionally named: `--layer parks.csv=parks`. Repeat for more; the risk terrain then gives
    /// the environment part of the score.
    #[arg(long = "layer", value_name = "PATH[=NAME]")]
    layers: Vec<String>,
    /// Write the risk terrain's design matrix (cell, centre, response, selected factors) as CSV.
    #[arg(long, value_name = "CSV", requires = "layers")]
    design: Option<PathBuf>,
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
    fit_with_layers(valid, filter, t, &[])
}

fn fit_with_layers(
    valid: &RiskValid,
    filter: &Filter,
    t: &CrimeTable,
    layers: &[Layer],
) -> Result<(RiskModel, Vec<u32>), Failure> {
    let rows = filter.select(t);
    Ok((valid.fit_with_layers(t, &rows, i64::MAX, layers, &mut Silent).map_err(usage)?, rows))
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
    let layers = load_layers(&a.layers, &loaded.table)?;
    let started = Instant::now();
    let (m, rows) = fit_with_layers(&valid, &filter, &loaded.table, &layers)?;
    let seconds = started.elapsed().as_secs_f64();
    if let (Some(path), Some(tm)) = (&a.design, &m.terrain) {
        std::fs::write(path, tm.design_csv(&m.grid)).map_err(|e| io_failure(path, e))?;
    }
    let position: std::collections::HashMap<usize, usize> = m
        .terrain
        .as_ref()
        .map_or_else(Default::default, |tm| tm.cells.iter().enumerate().map(|(i, &c)| (c, i)).collect());
    let reasons =
        |tm: &TerrainModel, cell: usize| position.get(&cell).map_or_else(Vec::new, |&i| tm.reasons(i, 3));
    if a.json {
        let cells: Vec<Value> = m
            .top(a.top)
            .iter()
            .map(|c| {
                let mut v = json!({
                    "lat": c.lat, "lon": c.lon, "score": c.score, "incidents": c.incidents,
                    "parts": {PARTS[0]: c.parts[0], PARTS[1]: c.parts[1], PARTS[2]: c.parts[2]},
                    "severity": c.severity, "recency": c.recency, "expected": c.expected, "kde": c.kde,
                    "gi_z": c.gi.map(|g| g.z), "significant": c.gi.is_some_and(|g| g.hot),
                });
                if let Some(tm) = &m.terrain {
                    v["reasons"] = json!(reasons(tm, c.cell));
                }
                v
            })
            .collect();
        let mut v = model_json(&m);
        if let Some(tm) = &m.terrain {
            v["factors"] = tm
                .factors
                .iter()
                .map(|f| {
                    json!({
                        "name": f.name, "form": f.form, "radius_m": f.radius_m, "coefficient": f.coefficient,
                        "relative_risk": f.relative_risk, "interval": f.interval, "std_error": f.std_error,
                        "penalised": f.penalised,
                    })
                })
                .collect::<Vec<_>>()
                .into();
            v["layers"] = serde_json::to_value(&tm.layers).expect("JSON");
            v["terrain"] = json!({
                "intercept": tm.intercept, "alpha": tm.alpha, "deviance_explained": tm.deviance_explained,
                "forms": tm.forms, "cross_validation": tm.cv,
            });
        }
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
    if let Some(tm) = &m.terrain {
        for l in &tm.layers {
            let mut note = format!(
                "layer '{}' ({}): {} points, {} lines, {} polygons",
                l.name, l.source, l.points, l.lines, l.polygons
            );
            if l.skipped > 0 {
                note += &format!("; {} of {} records without usable geometry", l.skipped, l.records);
            }
            if l.outside > 0 {
                note += &format!("; {} outside the crimes' extent dropped", l.outside);
            }
            println!("{note}");
        }
        println!("risk terrain ({} cross-validation, λ {:.4}):", tm.cv.folds, tm.cv.lambda);
        for f in &tm.factors {
            let radius = f.radius_m.map_or(String::new(), |r| format!(" {r:.0} m"));
            println!(
                "  {:<32} {:>9}{:<7} RR {:>6.3} [{:.3}, {:.3}]",
                f.name,
                f.form.key(),
                radius,
                f.relative_risk,
                f.interval[0],
                f.interval[1]
            );
        }
    }
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
        if let Some(tm) = &m.terrain {
            let r = reasons(tm, c.cell);
            if !r.is_empty() {
                println!("        {}", r.join("; "));
            }
        }
    }
    Ok(())
}
