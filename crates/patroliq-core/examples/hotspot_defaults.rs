//! How the Hotspots page's default parameters were chosen: DBSCAN and HDBSCAN on every located
//! incident of the real 500,000-row sample over a grid of parameters, each run measured by what
//! makes a hotspot usable — the share of incidents in the largest cluster, the number of clusters,
//! the share of noise and the clusters' hull areas in km² (median and largest) — plus K-Means for
//! comparison. The table is the one in docs/analyses.md (*Hotspot defaults*).
//!
//! Run: `PATROLIQ_DATA_DIR=../shared/data cargo run --release -p patroliq-core --example
//! hotspot_defaults -- [dbscan|hdbscan|kmeans ...]` (all three without arguments).

use std::time::Instant;

use patroliq_core::cluster::dbscan::DbscanParams;
use patroliq_core::cluster::hdbscan::HdbscanParams;
use patroliq_core::cluster::kmeans::KMeansParams;
use patroliq_core::cluster::metrics::SilhouetteSample;
use patroliq_core::cluster::report::{analyse, Algorithm};
use patroliq_core::cluster::Silent;
use patroliq_core::features::all_rows;

fn measure(t: &patroliq_core::CrimeTable, rows: &[u32], algo: Algorithm) {
    let start = Instant::now();
    let v = analyse(t, rows, &algo, &SilhouetteSample::default(), &mut Silent).expect("clusters");
    let r = &v.report;
    let total = r.points.max(1) as f64;
    let mut areas: Vec<f64> = v.profiles.iter().map(|p| p.area_km2).collect();
    areas.sort_by(f64::total_cmp);
    let median = areas.get(areas.len() / 2).copied().unwrap_or(f64::NAN);
    let max = areas.last().copied().unwrap_or(f64::NAN);
    // The page's table lists the 50 largest: their median hull.
    let mut top: Vec<f64> = v.profiles.iter().take(50).map(|p| p.area_km2).collect();
    top.sort_by(f64::total_cmp);
    let top_median = top.get(top.len() / 2).copied().unwrap_or(f64::NAN);
    let clustered = r.sizes.iter().sum::<u64>() as f64;
    let small = v.profiles.iter().filter(|p| p.area_km2 <= 1.0).map(|p| p.size).sum::<u64>() as f64;
    println!(
        "{:<40} clusters {:>4}  largest {:>5.1} %  noise {:>5.1} %  area median {:>7.3} km²  max {:>8.2} km²  50 largest' median {:>6.3} km²  in ≤1 km² {:>5.1} % of clustered  silhouette {:>6}  {:.1} s",
        serde_json::to_string(&algo).unwrap(),
        r.n_clusters,
        100.0 * r.sizes.first().copied().unwrap_or(0) as f64 / total,
        100.0 * r.noise as f64 / total,
        median,
        max,
        top_median,
        if clustered > 0.0 { 100.0 * small / clustered } else { 0.0 },
        r.silhouette.map_or("–".into(), |s| format!("{s:.3}")),
        start.elapsed().as_secs_f64()
    );
}

fn main() {
    let t = patroliq_core::shared_data::sample();
    let mut which: Vec<String> = std::env::args().skip(1).collect();
    // `--filter QUERY` measures on a part of the sample (a year, a district) as a check.
    let rows = match which.iter().position(|a| a == "--filter") {
        Some(i) if i + 1 < which.len() => {
            let query = which.remove(i + 1);
            which.remove(i);
            println!("filter {query}");
            patroliq_core::filter::Filter::from_query(&query).0.select(&t)
        }
        _ => all_rows(&t),
    };
    let wants = |a: &str| which.is_empty() || which.iter().any(|w| w == a);
    println!("{} incidents", rows.len());
    if wants("kmeans") {
        measure(&t, &rows, Algorithm::Kmeans(KMeansParams::default()));
    }
    if wants("dbscan") {
        for &(eps_m, min_samples) in &[
            (150.0, 50),
            (100.0, 50),
            (100.0, 100),
            (75.0, 50),
            (75.0, 100),
            (50.0, 50),
            (50.0, 100),
            (50.0, 150),
            (100.0, 150),
            (100.0, 200),
            (125.0, 200),
            (125.0, 300),
            (150.0, 300),
        ] {
            measure(&t, &rows, Algorithm::Dbscan(DbscanParams { eps_m, min_samples }));
        }
    }
    if wants("hdbscan") {
        for &(min_cluster_size, min_samples) in &[
            (500, 50),
            (500, 100),
            (300, 100),
            (200, 50),
            (200, 100),
            (150, 100),
            (100, 100),
            (100, 50),
            (300, 200),
        ] {
            measure(&t, &rows, Algorithm::Hdbscan(HdbscanParams { min_cluster_size, min_samples }));
        }
    }
}
