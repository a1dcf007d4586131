//! Near repeats, contagion and emerging hot spots on the real 500,000-row sample: the Knox test
//! of 2017's burglaries, the self-exciting process fitted per crime type (2017), and the
//! emerging hot spot categories of the whole sample by month.
//!
//! Run: `PATROLIQ_DATA_DIR=../shared/data cargo run --release -p patroliq-core --example near_repeat_chicago`

use std::time::Instant;

use chrono::NaiveDate;
use patroliq_core::cluster::Silent;
use patroliq_core::features::all_rows;
use patroliq_core::filter::Filter;
use patroliq_core::forecast::emerging::{Bin, EmergingParams};
use patroliq_core::forecast::knox::KnoxParams;
use patroliq_core::forecast::sepp::SeppParams;

fn main() {
    let t = patroliq_core::shared_data::sample();
    let year = |ty: &str| {
        Filter {
            from: NaiveDate::from_ymd_opt(2017, 1, 1),
            to: NaiveDate::from_ymd_opt(2017, 12, 31),
            types: vec![ty.into()],
            ..Filter::default()
        }
        .select(&t)
    };

    let start = Instant::now();
    let burglaries = year("BURGLARY");
    let k = KnoxParams::default().check().unwrap().run(&t, &burglaries, &mut Silent).unwrap();
    println!(
        "Knox, {} burglaries of 2017 ({} pairs, {} permutations, {:.1} s): {} originators, {} near repeats",
        k.incidents,
        k.pairs,
        k.params.permutations,
        start.elapsed().as_secs_f64(),
        k.originators,
        k.near_repeats
    );
    print!("{:>12}", "m \\ days");
    for d in &k.params.time_days {
        print!(" {:>18}", format!("< {d}"));
    }
    println!();
    for i in 0..k.params.space_m.len() {
        print!("{:>12}", format!("{}–{}", k.cell(i, 0).space_m[0], k.cell(i, 0).space_m[1]));
        for j in 0..k.params.time_days.len() {
            let c = k.cell(i, j);
            print!(" {:>18}", format!("{} ×{:.2} p={:.2}", c.observed, c.ratio, c.p));
        }
        println!();
    }

    println!("\nSelf-exciting process per type, 2017 (cells of 250 m, pairs within 500 m and 21 days):");
    for ty in ["BURGLARY", "ROBBERY", "MOTOR VEHICLE THEFT", "BATTERY", "THEFT"] {
        let rows = year(ty);
        let start = Instant::now();
        let m = SeppParams::default().check().unwrap().fit(&t, &rows, &mut Silent).unwrap();
        println!(
            "  {ty:<20} {} ({} iterations, converged {}, {:.1} s)",
            m.describe(),
            m.iterations,
            m.converged,
            start.elapsed().as_secs_f64()
        );
    }

    let start = Instant::now();
    let e = EmergingParams { bin: Bin::Month, ..EmergingParams::default() }
        .check()
        .unwrap()
        .run(&t, &all_rows(&t), &mut Silent)
        .unwrap();
    println!(
        "\nEmerging hot spots, all incidents, {} monthly bins {} → {}, {} cells of {} m ({:.1} s); the cube's trend z = {:.2}:",
        e.bins.len(),
        e.bins[0],
        e.end,
        e.cells.len(),
        e.params.cell_m,
        start.elapsed().as_secs_f64(),
        e.total_trend.z
    );
    for (c, n) in &e.categories {
        println!("  {c:?}: {n}");
    }
}
