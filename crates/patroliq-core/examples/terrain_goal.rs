//! Issue #36's goal: chapter 5 of *Public Policy Analytics* (the geospatial risk model of Chicago
//! burglary) on the shared data. The risk terrain of the nine environment layers (the chapter's
//! four GeoJSON layers and five others) and the spatial lag of 2016's burglaries explains the
//! burglaries of January–June 2017; it is then compared with kernel density on the later
//! burglaries, July–December 2017 (the sample ends in 2017, so the chapter's 2018 test year is
//! the second half of 2017 here), by the chapter's measure (the share of later burglaries in the
//! highest risk category: the riskiest 10 % of cells) and by PAI at 5 % of the area.
//!
//! Run: `PATROLIQ_DATA_DIR=../shared/data cargo run --release -p patroliq-core --example terrain_goal`

use std::time::Instant;

use chrono::NaiveDate;
use patroliq_core::backtest::score::TestCounts;
use patroliq_core::cluster::Silent;
use patroliq_core::filter::Filter;
use patroliq_core::risk::grid::Grid;
use patroliq_core::risk::kde::kde;
use patroliq_core::terrain::layers::{crime_extent, name_of_file};
use patroliq_core::terrain::model::fit;
use patroliq_core::terrain::{Layer, TerrainData, TerrainParams};

const LAYERS: [&str; 9] = [
    "chicago_env_abandonBuildings.geojson",
    "chicago_env_liquorRetail.geojson",
    "chicago_env_streetLightsOut.geojson",
    "chicago_env_sanitation.geojson",
    "chicago_env_cta_L_stops.csv",
    "chicago_env_cta_bus_stops_wkt.csv",
    "chicago_env_cps_schools_profile_sy1819.csv",
    "chicago_env_cpd_parks_wkt_polygons.csv",
    "chicago_env_vacant_lots_points.csv",
];
const CELL_M: f64 = 250.0;
const BANDWIDTH_M: f64 = 400.0;

fn main() {
    let t = patroliq_core::shared_data::sample();
    let burglaries = |from: (i32, u32, u32), to: (i32, u32, u32)| {
        Filter {
            from: NaiveDate::from_ymd_opt(from.0, from.1, from.2),
            to: NaiveDate::from_ymd_opt(to.0, to.1, to.2),
            types: vec!["BURGLARY".into()],
            ..Filter::default()
        }
        .select(&t)
    };
    let past = burglaries((2016, 1, 1), (2016, 12, 31));
    let fitted = burglaries((2017, 1, 1), (2017, 6, 30));
    let later = burglaries((2017, 7, 1), (2017, 12, 31));
    let until = later.iter().map(|&r| t.date[r as usize]).min().expect("later burglaries");
    // The grid and study area of every crime before the test period, as the back-test's.
    let (grid, cell) = Grid::of_rows_before(&t, until, CELL_M).expect("located rows");
    let mut study: Vec<usize> = cell.iter().flatten().copied().collect();
    study.sort_unstable();
    study.dedup();
    let count = |rows: &[u32], per: f64| {
        let mut c = vec![0.0; grid.len()];
        for &r in rows {
            if let Some(i) = grid.cell_of_latlon(t.latitude[r as usize], t.longitude[r as usize]) {
                c[i] += 1.0 / per;
            }
        }
        c
    };
    let extent = crime_extent(&t).expect("located rows");
    let layers: Vec<Layer> = LAYERS
        .iter()
        .map(|f| {
            let bytes = std::fs::read(patroliq_core::shared_data::file(&format!("environment/{f}"))).unwrap();
            let mut l = Layer::read(&name_of_file(f), &bytes).unwrap();
            l.clip(&extent);
            l
        })
        .collect();
    println!("layers (features kept; dropped outside the crimes' extent):");
    for l in &layers {
        let s = &l.summary;
        println!(
            "  {:<28} {:>6} points {:>4} polygons  {:>4} outside  ({})",
            s.name, s.points, s.polygons, s.outside, s.source
        );
    }

    let started = Instant::now();
    let outcome = count(&fitted, 1.0);
    let past_rate = count(&past, 1.0);
    let data =
        TerrainData { grid: &grid, study: &study, outcome: &outcome, past_rate: &past_rate, layers: &layers };
    let m = fit(&TerrainParams::default(), &data, &mut Silent).expect("the terrain fits");
    println!(
        "\n{} burglaries Jan–Jun 2017 on {} cells of {CELL_M} m ({} in 2016 for the lag); fitted in {:.1} s",
        fitted.len(),
        study.len(),
        past.len(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "elastic net α {}, λ {:.4} by leave-one-out over {} {}; deviance explained {:.1} %; CV mean absolute error {:.3} per cell",
        m.alpha,
        m.cv.lambda,
        m.cv.per_area.len(),
        m.cv.folds,
        100.0 * m.deviance_explained,
        m.cv.mean_abs_error
    );
    println!(
        "\n{:<28} {:>9} {:>7} {:>9} {:>8} {:>20}",
        "factor", "form", "radius", "coef", "RR", "95 % interval"
    );
    for f in &m.factors {
        println!(
            "{:<28} {:>9} {:>7} {:>9.4} {:>8.3} {:>20}",
            f.name,
            f.form.key(),
            f.radius_m.map_or("–".into(), |r| format!("{r:.0} m")),
            f.coefficient,
            f.relative_risk,
            format!("[{:.3}, {:.3}]", f.interval[0], f.interval[1])
        );
    }
    let dropped: Vec<&str> =
        layers.iter().map(|l| l.name.as_str()).filter(|n| !m.factors.iter().any(|f| f.name == *n)).collect();
    println!("not selected: {}", if dropped.is_empty() { "none".into() } else { dropped.join(", ") });
    let mut worst = m.cv.per_area.clone();
    worst.sort_by(|a, b| b.mean_abs_error.total_cmp(&a.mean_abs_error));
    println!("largest held-out errors per cell:");
    for a in worst.iter().take(3) {
        println!(
            "  {:<28} {:>4} cells, observed {:>4}, expected {:>7.1}, MAE {:.2}",
            a.name, a.cells, a.observed, a.expected, a.mean_abs_error
        );
    }

    // The later burglaries per study cell, and each method's order of the cells.
    let mut pos = vec![usize::MAX; grid.len()];
    study.iter().enumerate().for_each(|(i, &c)| pos[c] = i);
    let mut counts = vec![0u64; study.len()];
    let mut located = 0;
    for &r in &later {
        if let Some(i) = grid.cell_of_latlon(t.latitude[r as usize], t.longitude[r as usize]) {
            located += 1;
            if pos[i] != usize::MAX {
                counts[pos[i]] += 1;
            }
        }
    }
    let tc = TestCounts::new(counts, located);
    let order = |score: &dyn Fn(usize) -> f64| {
        let mut o: Vec<usize> = (0..study.len()).collect();
        o.sort_by(|&a, &b| score(b).total_cmp(&score(a)).then(a.cmp(&b)));
        o
    };
    let now = count(&[past.as_slice(), fitted.as_slice()].concat(), 1.5);
    let terrain = m.expected(&grid, &now);
    let kde_fit = kde(&grid, &count(&fitted, 1.0), BANDWIDTH_M);
    let kde_all = kde(&grid, &count(&[past.as_slice(), fitted.as_slice()].concat(), 1.0), BANDWIDTH_M);
    let methods: [(&str, Vec<usize>); 3] = [
        ("risk terrain", order(&|i| terrain[i])),
        ("KDE, Jan–Jun 2017 (chapter 5's)", order(&|i| kde_fit[study[i]])),
        ("KDE, 2016 – Jun 2017", order(&|i| kde_all[study[i]])),
    ];
    println!(
        "\n{} later burglaries (Jul–Dec 2017) located, {} on the study cells",
        located,
        tc.counts.iter().sum::<u64>()
    );
    println!("{:<34} {:>26} {:>10} {:>10}", "method", "share in top 10 % of cells", "PAI 5 %", "PAI 1 %");
    for (name, o) in &methods {
        let cum = tc.cumulative(o);
        let (top10, at5, at1) = (tc.metrics(&cum, 0.10), tc.metrics(&cum, 0.05), tc.metrics(&cum, 0.01));
        println!("{:<34} {:>25.1}% {:>10.2} {:>10.2}", name, 100.0 * top10.hit_rate, at5.pai, at1.pai);
    }
    let pai5 = |o: &[usize]| tc.metrics(&tc.cumulative(o), 0.05).pai;
    let gain = pai5(&methods[0].1) / pai5(&methods[1].1) - 1.0;
    println!("\nrisk terrain's PAI at 5 % is {:+.1} % against chapter 5's KDE (aim: +10 %)", 100.0 * gain);
}
