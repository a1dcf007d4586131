//! `patroliq backtest`: every hotspot method fitted before a date, scored after it; with
//! `--rolling`, every forecasting method refitted before each shift, day, week or month of a test
//! window and scored on it (`patroliq_core::forecast::rolling`).

use std::path::PathBuf;
use std::time::Instant;

use chrono::NaiveDate;
use clap::Args as ClapArgs;
use patroliq_core::backtest::methods::Method;
use patroliq_core::backtest::score::Metrics;
use patroliq_core::backtest::{Backtest, BacktestParams};
use patroliq_core::cluster::Silent;
use patroliq_core::forecast::methods::ForecastMethod;
use patroliq_core::forecast::rolling::{CoverageSummary, MethodRolling, Rolling, RollingParams};
use patroliq_core::forecast::view::last_weeks;
use patroliq_core::forecast::Horizon;
use patroliq_core::route::plan::clock;
use serde_json::{json, Value};

use super::print_json;
use super::route::parse_depart;
use crate::failure::{usage, Failure};
use crate::input::{load, load_layers, parse_filter};

#[derive(ClapArgs)]
pub struct Args {
    input: PathBuf,
    #[command(flatten)]
    backtest: BacktestArgs,
    #[command(flatten)]
    rolling: RollingArgs,
    /// An environment layer for the `risk_terrain` method, optionally named (`PATH=NAME`);
    /// repeat for more. With `--rolling` the terrain is refitted every 13 weeks.
    #[arg(long = "layer", value_name = "PATH[=NAME]")]
    layers: Vec<String>,
    /// Print the result as JSON (see README).
    #[arg(long)]
    pub json: bool,
}

/// The split back-test's coverages: 5 % heads the list, as on the Back-test page.
const SPLIT_COVERAGES: [f64; 3] = [0.05, 0.01, 0.10];
/// The rolling back-test's: 1 % of the city (the headline), then 0.5 %, 2 %, 5 %.
const ROLLING_COVERAGES: [f64; 4] = [0.01, 0.005, 0.02, 0.05];

#[derive(ClapArgs)]
struct RollingArgs {
    /// The rolling back-test: each method refitted on the rows before every period of the test
    /// window (`--from` … `--to`) and scored on that period.
    #[arg(long, conflicts_with = "split")]
    rolling: bool,
    /// First day of the rolling test window, YYYY-MM-DD (default: 10 weeks before `--to`).
    #[arg(long, requires = "rolling")]
    from: Option<String>,
    /// Last day of the rolling test window, YYYY-MM-DD (default: the day of the latest selected row).
    #[arg(long, requires = "rolling")]
    to: Option<String>,
    /// The period each forecast is for: shift, day, week or month.
    #[arg(long, default_value = "shift", requires = "rolling")]
    horizon: String,
    /// The shift's hours, FROM-TO (past midnight wraps: 20-4 is 20:00–04:00).
    #[arg(long, default_value = "20-4", requires = "rolling")]
    shift: String,
}

impl RollingArgs {
    fn params(
        &self,
        coverages: &[f64],
        b: &BacktestArgs,
        window: impl FnOnce() -> Result<(NaiveDate, NaiveDate), Failure>,
    ) -> Result<RollingParams, Failure> {
        let date = |flag: &str, s: &Option<String>| -> Result<Option<NaiveDate>, Failure> {
            s.as_ref()
                .map(|s| s.parse().map_err(|_| usage(format!("--{flag}: expected YYYY-MM-DD, not {s:?}"))))
                .transpose()
        };
        let (from, to) = (date("from", &self.from)?, date("to", &self.to)?);
        let horizon = match self.horizon.as_str() {
            "shift" => {
                let bad =
                    || usage(format!("--shift: expected FROM-TO hours such as 20-4, not {:?}", self.shift));
                let (a, z) = self.shift.split_once('-').ok_or_else(bad)?;
                Horizon::Shift {
                    from_hour: a.trim().parse().map_err(|_| bad())?,
                    to_hour: z.trim().parse().map_err(|_| bad())?,
                }
            }
            "day" => Horizon::Day,
            "week" => Horizon::Week,
            "month" => Horizon::Month,
            h => return Err(usage(format!("--horizon: shift, day, week or month, not {h:?}"))),
        };
        let methods = b
            .methods
            .iter()
            .map(|m| {
                ForecastMethod::from_key(m).ok_or_else(|| {
                    let keys: Vec<&str> = ForecastMethod::ALL
                        .iter()
                        .chain(&[ForecastMethod::RiskTerrain])
                        .map(|x| x.key())
                        .collect();
                    usage(format!("--methods: unknown method {m:?} (one of {})", keys.join(", ")))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let (from, to) = match (from, to) {
            (Some(f), Some(t)) => (f, t),
            // The last 10 weeks up to `--to`, or up to the latest selected row.
            (f, t) => {
                let to = match t {
                    Some(t) => t,
                    None => window()?.1,
                };
                (f.unwrap_or(to - chrono::Days::new(69)), to)
            }
        };
        Ok(RollingParams {
            coverages: coverages.to_vec(),
            cell_m: b.cell_m,
            bandwidth_m: b.bandwidth_m,
            methods,
            ..RollingParams::new(from, to, horizon)
        })
    }
}

#[derive(ClapArgs)]
struct BacktestArgs {
    /// First day of the test period, YYYY-MM-DD (default: the last 20 % of the date range).
    #[arg(long)]
    split: Option<String>,
    /// Area shares to compare the methods at (0–1, comma-separated; the first is the headline).
    /// Default 0.05,0.01,0.10; with --rolling 0.01,0.005,0.02,0.05.
    #[arg(long, value_delimiter = ',')]
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
    /// risk_severity, risk, risk_terrain (needs --layer); with --rolling: naive, naive_shift, shift_hours, prospective,
    /// near_repeat, sepp, kde, risk, risk_terrain (needs --layer), ensemble).
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
                let all = || Method::ALL.into_iter().chain([Method::RiskTerrain]);
                all().find(|x| x.key() == m).ok_or_else(|| {
                    let keys: Vec<&str> = all().map(|x| x.key()).collect();
                    usage(format!("--methods: unknown method {m:?} (one of {})", keys.join(", ")))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(BacktestParams {
            split,
            coverages: if self.coverage.is_empty() {
                SPLIT_COVERAGES.to_vec()
            } else {
                self.coverage.clone()
            },
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
    if args.rolling.rolling {
        return run_rolling(args);
    }
    let a = &args.backtest;
    let params = a.params()?;
    let valid = params.check().map_err(usage)?;
    let filter = parse_filter(a.filter.as_deref())?;
    let loaded = load(&args.input)?;
    let t = &loaded.table;
    let rows = filter.select(t);
    let layers = load_layers(&args.layers, t)?;
    let started = Instant::now();
    let b = valid.run_with_layers(t, &rows, &layers, &mut Silent).map_err(usage)?;
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

/// One method at one coverage of the rolling test (README, "backtest --rolling --json").
fn rolling_at(s: &CoverageSummary, periods: usize) -> Value {
    let v = s.vs_naive.as_ref();
    json!({
        "coverage": s.coverage, "cells": s.cells, "periods": periods,
        "hit_rate": s.hit_rate, "hit_rate_interval": s.hit_rate_interval,
        "pai": s.pai, "pai_interval": s.pai_interval,
        "pei": s.pei, "pei_interval": s.pei_interval,
        "gain_vs_naive": v.map(|v| v.relative_gain),
        "gain_interval": v.map(|v| v.relative_interval),
        "pai_gain_vs_naive": v.map(|v| v.mean_gain),
        "pai_gain_interval": v.map(|v| v.gain_interval),
        "wins_vs_naive": v.map(|v| v.wins),
        "ties_vs_naive": v.map(|v| v.ties),
        "losses_vs_naive": v.map(|v| v.losses),
        "share_won_vs_naive": v.map(|v| v.share_won),
    })
}

fn rolling_method(m: &MethodRolling, r: &Rolling) -> Value {
    let mut v = rolling_at(&m.summary[0], r.scored);
    v["method"] = m.method.key().into();
    v["label"] = m.label.clone().into();
    v["note"] = m.note.clone().into();
    v["at"] = m.summary.iter().map(|s| rolling_at(s, r.scored)).collect();
    v["area_needed"] = m.area_needed.iter().map(|(h, a)| json!({ "hit_rate": h, "area": a })).collect();
    v["per_period"] = m
        .periods
        .iter()
        .zip(&r.periods)
        .map(|(s, p)| {
            json!({
                "hits": s.hits[0],
                "hit_rate": if p.incidents > 0 { Some(s.hits[0] as f64 / p.incidents as f64) } else { None },
                "pai": s.pai[0],
            })
        })
        .collect();
    v
}

/// The documented JSON of `backtest --rolling` (README): fields are only ever added.
fn rolling_json(r: &Rolling, seconds: f64) -> Value {
    let p = &r.params;
    let c = p.coverages[0];
    json!({
        "rolling": true,
        "horizon": p.horizon.key(),
        "from": p.from.to_string(),
        "to": p.to.to_string(),
        "cell_m": p.cell_m,
        "study_cells": r.study_cells,
        "coverage": p.coverages,
        "periods": r.periods.iter().map(|x| json!({
            "label": x.label, "start": x.start, "end": x.end, "incidents": x.incidents, "outside": x.outside,
        })).collect::<Vec<_>>(),
        "scored": r.scored,
        "methods": r.methods.iter().map(|m| rolling_method(m, r)).collect::<Vec<_>>(),
        "best": r.best(c).map(|m| m.method.key()),
        "ensemble_weights": r.ensemble_weights.iter().map(|(m, w)| json!({ "method": m.key(), "weight": w })).collect::<Vec<_>>(),
        "sepp_fits": r.sepp_fits.len(),
        "warnings": r.warnings,
        "seconds": seconds,
    })
}

fn run_rolling(args: &Args) -> Result<(), Failure> {
    let a = &args.backtest;
    let coverages = if a.coverage.is_empty() { ROLLING_COVERAGES.to_vec() } else { a.coverage.clone() };
    let filter = parse_filter(a.filter.as_deref())?;
    // Every parameter checked before the file is read (a window not given is then the data's).
    let from = args.rolling.from.as_deref().and_then(|s| s.parse::<NaiveDate>().ok());
    let any_day =
        from.unwrap_or(NaiveDate::from_ymd_opt(2017, 1, 1).expect("a date")) + chrono::Days::new(69);
    args.rolling.params(&coverages, a, || Ok((any_day, any_day)))?.check().map_err(usage)?;
    let loaded = load(&args.input)?;
    let t = &loaded.table;
    let rows = filter.select(t);
    let params = args.rolling.params(&coverages, a, || {
        last_weeks(t, &rows, 10).ok_or_else(|| usage("no rows are selected: no test window"))
    })?;
    let valid = params.check().map_err(usage)?;
    let layers = load_layers(&args.layers, t)?;
    let started = Instant::now();
    let r = valid.run_with_layers(t, &rows, &layers, &mut Silent, &mut |_, _, _| {}).map_err(usage)?;
    let seconds = started.elapsed().as_secs_f64();
    if args.json {
        print_json(&rolling_json(&r, seconds));
        return Ok(());
    }
    let p = &r.params;
    println!(
        "rolling {} from {} to {}: {} periods ({} scored), {} cells of {} m; {:.1} s",
        p.horizon.key(),
        p.from,
        p.to,
        r.periods.len(),
        r.scored,
        r.study_cells,
        p.cell_m,
        seconds
    );
    for (i, c) in p.coverages.iter().enumerate() {
        println!("\nat {:.1} % of the area:", 100.0 * c);
        println!(
            "  {:<46} {:>9} {:>7} {:>17} {:>6} {:>9} {:>20} {:>5}",
            "method", "hit rate", "PAI", "[interval]", "PEI", "vs naive", "[interval]", "won"
        );
        for m in &r.methods {
            let s = &m.summary[i];
            let vs = s.vs_naive.as_ref().map_or_else(String::new, |v| {
                format!(
                    "{:>+8.1}% [{:>+7.1}%, {:>+7.1}%] {:>4.0}%",
                    100.0 * v.relative_gain,
                    100.0 * v.relative_interval[0],
                    100.0 * v.relative_interval[1],
                    100.0 * v.share_won
                )
            });
            println!(
                "  {:<46} {:>8.1}% {:>7.2} [{:>6.2}, {:>6.2}] {:>6.2} {vs}",
                m.label,
                100.0 * s.hit_rate,
                s.pai,
                s.pai_interval[0],
                s.pai_interval[1],
                s.pei
            );
        }
    }
    for w in &r.warnings {
        println!("warning: {w}");
    }
    Ok(())
}
