//! `patroliq backtest`: every hotspot method fitted before a date, scored after it.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args as ClapArgs;
use patroliq_core::backtest::methods::Method;
use patroliq_core::backtest::score::Metrics;
use patroliq_core::backtest::{Backtest, BacktestParams};
use patroliq_core::cluster::Silent;
use patroliq_core::route::plan::clock;
use serde_json::{json, Value};

use super::print_json;
use super::route::parse_depart;
use crate::failure::{usage, Failure};
use crate::input::{load, parse_filter};

#[derive(ClapArgs)]
pub struct Args {
    input: PathBuf,
    #[command(flatten)]
    backtest: BacktestArgs,
    /// Print the result as JSON (see README).
    #[arg(long)]
    pub json: bool,
}

#[derive(ClapArgs)]
struct BacktestArgs {
    /// First day of the test period, YYYY-MM-DD (default: the last 20 % of the date range).
    #[arg(long)]
    split: Option<String>,
    /// Area shares to compare the methods at (0–1, comma-separated; the first is the headline).
    // 5 % heads the list, as on the Back-test page; the core's default lists them in order.
    #[arg(long, value_delimiter = ',', default_values_t = [0.05, 0.01, 0.10])]
    coverage: Vec<f64>,
    /// Side of a grid cell, metres (100–1000).
    #[arg(long = "cell-m", default_value_t = BacktestParams::default().cell_m)]
    cell_m: f64,
    /// KDE bandwidth, metres.
    #[arg(long = "bandwidth-m", default_value_t = BacktestParams::default().bandwidth_m)]
    bandwidth_m: f64,
    /// K-Means areas.
    #[arg(long, default_value_t = BacktestParams::default().kmeans_k)]
    k: usize,
    /// Only these methods (comma-separated: naive, kde, kmeans, dbscan, hdbscan, gi_star,
    /// risk_severity, risk).
    #[arg(long, value_delimiter = ',')]
    methods: Vec<String>,
    /// Hotspots on the scored patrol route (0: no route scoring).
    #[arg(long, default_value_t = BacktestParams::default().route_stops)]
    stops: usize,
    /// The route's reach: crimes within this many minutes' drive.
    #[arg(long = "within-min", default_value_t = BacktestParams::default().within_min)]
    within_min: f64,
    /// The route's departure, HH:MM (the traffic).
    #[arg(long, default_value_t = clock(BacktestParams::default().depart_min, 0.0))]
    depart: String,
    /// Only the rows passing this filter (the app's URL query, e.g. `type=ROBBERY&day=fri&hours=20-4`).
    #[arg(long)]
    filter: Option<String>,
}

impl BacktestArgs {
    fn params(&self) -> Result<BacktestParams, Failure> {
        let split = match &self.split {
            None => None,
            Some(s) => {
                Some(s.parse().map_err(|_| usage(format!("--split: expected YYYY-MM-DD, not {s:?}")))?)
            }
        };
        let methods = self
            .methods
            .iter()
            .map(|m| {
                Method::ALL.into_iter().find(|x| x.key() == m).ok_or_else(|| {
                    let keys: Vec<&str> = Method::ALL.iter().map(|x| x.key()).collect();
                    usage(format!("--methods: unknown method {m:?} (one of {})", keys.join(", ")))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(BacktestParams {
            split,
            coverages: self.coverage.clone(),
            cell_m: self.cell_m,
            bandwidth_m: self.bandwidth_m,
            kmeans_k: self.k,
            methods,
            route_stops: self.stops,
            within_min: self.within_min,
            depart_min: parse_depart(&self.depart)?,
        })
    }
}

fn headline(m: &Metrics, at: &[Metrics]) -> Value {
    json!({
        "hit_rate": m.hit_rate, "pai": m.pai, "pei": m.pei, "area": m.area, "cells": m.cells, "hits": m.hits,
        "at": at,
    })
}

/// The documented JSON (README, "patroliq backtest --json"): fields are only ever added.
fn to_json(b: &Backtest, seconds: f64) -> Value {
    let methods: Vec<Value> = b
        .methods
        .iter()
        .map(|m| {
            let mut v = headline(&m.metrics[0], &m.metrics);
            v["method"] = m.method.key().into();
            v["label"] = m.label.clone().into();
            v["note"] = m.note.clone().into();
            v
        })
        .collect();
    let mut curve = json!({ "coverage": b.curve, "oracle": b.oracle_curve });
    for m in &b.methods {
        curve[m.method.key()] = json!(m.curve);
    }
    let route = b.route.as_ref().map(|r| {
        json!({
            "within_min": r.within_min, "depart": r.depart, "reach_m": r.reach_m,
            "rows": r.rows.iter().map(|x| json!({
                "route": x.route, "method": x.method, "stops": x.stops, "distance_m": x.distance_m,
                "travel_time_s": x.travel_time_s, "hit_rate": x.hit_rate, "area": x.area, "pai": x.pai,
            })).collect::<Vec<_>>(),
        })
    });
    json!({
        "split": b.split,
        "train": b.train,
        "test": b.test,
        "cell_m": b.grid.cell_m,
        "study_cells": b.study_cells,
        "test_outside": b.test_outside,
        "coverage": b.params.coverages,
        "methods": methods,
        "oracle": headline(&b.oracle[0], &b.oracle),
        "winner": b.winner(0).map(|m| m.method.key()),
        "curve": curve,
        "route": route,
        "warnings": b.warnings,
        "seconds": seconds,
    })
}

pub fn run(args: &Args) -> Result<(), Failure> {
    let a = &args.backtest;
    let params = a.params()?;
    let valid = params.check().map_err(usage)?;
    let filter = parse_filter(a.filter.as_deref())?;
    let loaded = load(&args.input)?;
    let t = &loaded.table;
    let rows = filter.select(t);
    let started = Instant::now();
    let b = valid.run(t, &rows, &mut Silent).map_err(usage)?;
    let seconds = started.elapsed().as_secs_f64();
    if args.json {
        print_json(&to_json(&b, seconds));
        return Ok(());
    }
    println!(
        "train {} → {} ({} incidents), test {} → {} ({} incidents); {} cells of {} m; {:.1} s",
        b.train.from,
        b.train.to,
        b.train.incidents,
        b.test.from,
        b.test.to,
        b.test.incidents,
        b.study_cells,
        b.grid.cell_m,
        seconds
    );
    for (i, c) in b.params.coverages.iter().enumerate() {
        println!("\nat {:.1} % of the area ({} cells):", 100.0 * c, b.oracle[i].cells);
        println!("  {:<46} {:>9} {:>7} {:>6}", "method", "hit rate", "PAI", "PEI");
        let mut rows: Vec<_> = b.methods.iter().collect();
        rows.sort_by(|x, y| y.metrics[i].pai.total_cmp(&x.metrics[i].pai));
        for m in rows {
            let x = &m.metrics[i];
            println!("  {:<46} {:>8.1}% {:>7.2} {:>6.2}", m.label, 100.0 * x.hit_rate, x.pai, x.pei);
        }
        let o = &b.oracle[i];
        println!("  {:<46} {:>8.1}% {:>7.2} {:>6.2}", "(best possible)", 100.0 * o.hit_rate, o.pai, o.pei);
    }
    if let Some(r) = &b.route {
        println!("\nroutes, crimes within {} min ({:.0} m) at {}:", r.within_min, r.reach_m, r.depart);
        for x in &r.rows {
            println!(
                "  {:<10} {:>3} stops {:>6.1} km  hit rate {:>5.1}%  area {:>5.1}%  PAI {:.2}",
                x.route,
                x.stops,
                x.distance_m / 1000.0,
                100.0 * x.hit_rate,
                100.0 * x.area,
                x.pai
            );
        }
    }
    for w in &b.warnings {
        println!("warning: {w}");
    }
    Ok(())
}
