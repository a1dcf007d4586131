//! The rolling back-test on the real 500,000-row sample: the last 10 weeks of 2017
//! (2017-10-23 → 2017-12-31), every method, per horizon; prints each method's table.
//!
//! Run: `PATROLIQ_DATA_DIR=../shared/data cargo run --release -p patroliq-core --example rolling_chicago
//! -- [night|day|week|month ...] [--naive-weeks N] [--kde-m M] [--sepp-bg-m M] ... [--json]`
//! (every option overrides one parameter of [`RollingParams::new`]'s defaults; `--from D --to D`
//! another window, e.g. the ten weeks before as a validation window).

use std::time::Instant;

use chrono::NaiveDate;
use patroliq_core::features::all_rows;
use patroliq_core::forecast::rolling::{Rolling, RollingParams};
use patroliq_core::forecast::Horizon;

fn table(r: &Rolling, secs: f64) {
    let p = &r.params;
    println!(
        "\n{} from {} to {}: {} periods ({} scored), {} study cells of {} m, {:.1} s",
        p.horizon.key(),
        p.from,
        p.to,
        r.periods.len(),
        r.scored,
        r.study_cells,
        p.cell_m,
        secs
    );
    let mean_incidents =
        r.periods.iter().map(|x| x.incidents as f64).sum::<f64>() / r.periods.len().max(1) as f64;
    println!("located incidents per period: {mean_incidents:.0}");
    println!(
        "{:<13} {:>7} {:>7} {:>16} {:>7} {:>7} {:>7} {:>6} {:>6} | vs naive at 1 %: {:>7} {:>17} {:>6}",
        "method",
        "PAI.5%",
        "PAI1%",
        "[95 % interval]",
        "PAI2%",
        "PAI5%",
        "hit1%",
        "PEI1%",
        "PEI5%",
        "gain",
        "[95 % interval]",
        "won"
    );
    for m in &r.methods {
        let (a, b, c, d) = (m.at(0.005), m.at(0.01), m.at(0.02), m.at(0.05));
        let vs = b.vs_naive.as_ref().map_or_else(
            || format!("{:>7} {:>17} {:>6}", "", "", ""),
            |v| {
                format!(
                    "{:>+6.1}% [{:>+6.1}%, {:>+6.1}%] {:>5.0}%",
                    100.0 * v.relative_gain,
                    100.0 * v.relative_interval[0],
                    100.0 * v.relative_interval[1],
                    100.0 * v.share_won
                )
            },
        );
        println!(
            "{:<13} {:>7.2} {:>7.2} [{:>6.2}, {:>6.2}] {:>7.2} {:>7.2} {:>6.1}% {:>6.2} {:>6.2} | {vs}",
            m.method.key(),
            a.pai,
            b.pai,
            b.pai_interval[0],
            b.pai_interval[1],
            c.pai,
            d.pai,
            100.0 * b.hit_rate,
            b.pei,
            d.pei,
        );
    }
    for m in &r.methods {
        let curve: Vec<String> =
            m.area_needed.iter().map(|(h, a)| format!("{:.0} % in {:.1} %", 100.0 * h, 100.0 * a)).collect();
        println!("  {}: {}; area needed: {}", m.method.key(), m.note, curve.join(", "));
    }
    if let Some(f) = r.sepp_fits.last() {
        println!("  SEPP fits: {}; last: {}", r.sepp_fits.len(), f.describe());
    }
    for w in &r.warnings {
        println!("  warning: {w}");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut horizons = Vec::new();
    let mut p0 = RollingParams::new(NaiveDate::MIN, NaiveDate::MIN, Horizon::NIGHT);
    let mut json = false;
    // The test window: the last 10 weeks of 2017.
    let (mut from, mut to) =
        (NaiveDate::from_ymd_opt(2017, 10, 23).unwrap(), NaiveDate::from_ymd_opt(2017, 12, 31).unwrap());
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "night" => horizons.push(Horizon::NIGHT),
            "day" => horizons.push(Horizon::Day),
            "week" => horizons.push(Horizon::Week),
            "month" => horizons.push(Horizon::Month),
            "--naive-weeks"
            | "--shift-weeks"
            | "--hours-weeks"
            | "--kde-weeks"
            | "--kde-m"
            | "--sepp-weeks"
            | "--sepp-bg-m"
            | "--power"
            | "--ensemble-periods"
            | "--prospective-m"
            | "--prospective-weeks"
            | "--cell-m" => {
                let v: f64 = args[i + 1].parse().expect("a number");
                match args[i].as_str() {
                    "--naive-weeks" => p0.naive_weeks = v as u32,
                    "--shift-weeks" => p0.shift_weeks = v as u32,
                    "--hours-weeks" => p0.hours_weeks = v as u32,
                    "--kde-weeks" => p0.kde_weeks = v as u32,
                    "--kde-m" => p0.bandwidth_m = v,
                    "--sepp-weeks" => p0.sepp.window_weeks = v as u32,
                    "--sepp-bg-m" => p0.sepp.background_m = v,
                    "--power" => p0.ensemble.power = v,
                    "--ensemble-periods" => p0.ensemble.periods = v as usize,
                    "--prospective-m" => p0.prospective.bandwidth_m = v,
                    "--prospective-weeks" => p0.prospective.weeks = v as u32,
                    _ => p0.cell_m = v,
                }
                i += 1;
            }
            "--json" => json = true,
            "--from" | "--to" => {
                let d: NaiveDate = args[i + 1].parse().expect("a date YYYY-MM-DD");
                if args[i] == "--from" {
                    from = d;
                } else {
                    to = d;
                }
                i += 1;
            }
            other => panic!("unknown argument {other}"),
        }
        i += 1;
    }
    if horizons.is_empty() {
        horizons = vec![Horizon::NIGHT, Horizon::Day, Horizon::Week];
    }
    let t0 = Instant::now();
    let t = patroliq_core::shared_data::sample();
    let rows = all_rows(&t);
    eprintln!("loaded {} rows in {:.1} s", t.len(), t0.elapsed().as_secs_f64());
    for h in horizons {
        let p = RollingParams { from, to, horizon: h, ..p0.clone() };
        let start = Instant::now();
        let r = p.check().unwrap().run(&t, &rows, &mut patroliq_core::cluster::Silent).unwrap();
        let secs = start.elapsed().as_secs_f64();
        if json {
            println!(
                "{}",
                serde_json::to_string(&r.methods.iter().map(|m| (m.method, &m.summary)).collect::<Vec<_>>())
                    .unwrap()
            );
        }
        table(&r, secs);
    }
}
