//! `patroliq cluster`: hotspot clustering of the incidents' locations (projected metres).

use std::path::PathBuf;
use std::time::Instant;

use clap::{Args as ClapArgs, ValueEnum};
use patroliq_core::cluster::dbscan::DbscanParams;
use patroliq_core::cluster::hdbscan::HdbscanParams;
use patroliq_core::cluster::hierarchical::WardParams;
use patroliq_core::cluster::kmeans::KMeansParams;
use patroliq_core::cluster::metrics::SilhouetteSample;
use patroliq_core::cluster::report::{self, Algorithm, ClusterReport};
use patroliq_core::cluster::{Points, Silent};

use super::print_json;
use crate::failure::{usage, Failure};
use crate::input::{load, parse_filter};

#[derive(ClapArgs)]
pub struct Args {
    input: PathBuf,
    #[arg(long, value_enum, default_value = "kmeans")]
    algo: Algo,
    /// Clusters (K-Means; the cut of the hierarchical tree).
    #[arg(long, default_value_t = KMeansParams::default().k)]
    k: usize,
    /// DBSCAN neighbourhood radius, metres.
    #[arg(long = "eps-m", default_value_t = DbscanParams::default().eps_m)]
    eps_m: f64,
    /// DBSCAN: points within eps (itself included) that make a core point; HDBSCAN: the
    /// neighbours that define a point's core distance.
    #[arg(long = "min-samples", default_value_t = DbscanParams::default().min_samples)]
    min_samples: usize,
    /// HDBSCAN: the smallest group that counts as a hotspot.
    #[arg(long = "min-cluster-size", default_value_t = HdbscanParams::default().min_cluster_size)]
    min_cluster_size: usize,
    /// Hierarchical: side of the grid micro-clusters, metres (0 = exact Ward, ≤ 40,000 points).
    #[arg(long = "cell-m", default_value_t = WardParams::default().cell_m)]
    cell_m: f64,
    /// K-Means restarts (k-means++ seeds).
    #[arg(long = "n-init", default_value_t = KMeansParams::default().n_init)]
    n_init: usize,
    #[arg(long, default_value_t = KMeansParams::default().seed)]
    seed: u64,
    /// Points in the silhouette's random sample (drawn with --seed).
    #[arg(long = "silhouette-sample", default_value_t = SilhouetteSample::default().size)]
    silhouette_sample: usize,
    /// Only the rows passing this filter (the app's URL query).
    #[arg(long)]
    filter: Option<String>,
    /// Print the result as JSON (see README).
    #[arg(long)]
    pub json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Algo {
    Kmeans,
    Dbscan,
    Hierarchical,
    Hdbscan,
}

impl Args {
    fn algorithm(&self) -> Algorithm {
        match self.algo {
            Algo::Kmeans => Algorithm::Kmeans(KMeansParams {
                k: self.k,
                n_init: self.n_init,
                seed: self.seed,
                ..KMeansParams::default()
            }),
            Algo::Dbscan => {
                Algorithm::Dbscan(DbscanParams { eps_m: self.eps_m, min_samples: self.min_samples })
            }
            Algo::Hierarchical => Algorithm::Hierarchical(WardParams { cell_m: self.cell_m, k: self.k }),
            Algo::Hdbscan => Algorithm::Hdbscan(HdbscanParams {
                min_cluster_size: self.min_cluster_size,
                min_samples: self.min_samples,
            }),
        }
    }
}

pub fn run(a: &Args) -> Result<(), Failure> {
    let filter = parse_filter(a.filter.as_deref())?;
    let algo = a.algorithm();
    let sample = SilhouetteSample { size: a.silhouette_sample, seed: a.seed };
    // Refused before the file is read, as every command's parameters are.
    algo.check().map_err(usage)?;
    sample.check().map_err(usage)?;
    let loaded = load(&a.input)?;
    let started = Instant::now();
    let points = Points::of(&loaded.table, &filter.select(&loaded.table));
    let (mut report, _) = report::run(&points, &algo, &sample, &mut Silent).map_err(usage)?;
    report.seconds = started.elapsed().as_secs_f64();
    if a.json {
        print_json(&report);
    } else {
        print_clusters(&report);
    }
    Ok(())
}

fn print_clusters(r: &ClusterReport) {
    let opt = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.4}"));
    println!(
        "{} on {} points: {} clusters, {} noise, {:.2} s",
        r.algo, r.points, r.n_clusters, r.noise, r.seconds
    );
    println!(
        "  silhouette {} (sample of {})   Davies–Bouldin {}   Calinski–Harabasz {}",
        opt(r.silhouette),
        r.silhouette_sample.size.min(r.points as usize),
        opt(r.davies_bouldin),
        r.calinski_harabasz.map_or("–".into(), |v| format!("{v:.1}"))
    );
    for (i, (size, c)) in r.sizes.iter().zip(&r.centers).enumerate() {
        println!("  cluster {i:>3}  {size:>8} incidents  centre {:.5}, {:.5}", c[0], c[1]);
    }
    for w in &r.warnings {
        println!("  warning: {w}");
    }
}
