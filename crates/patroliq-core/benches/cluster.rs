//! Hotspot clustering of every row of the real 500,000-row sample, natively.
//! Run: `cargo bench -p patroliq-core --bench cluster` (reads ../shared/data/, see README).
//! scikit-learn on the same rows and machine (the figures): K-Means 1 init 0.7 s,
//! DBSCAN eps 150 m / min 50 6.5 s, Ward 69 s on 40k rows, HDBSCAN > 600 s.

use criterion::{criterion_group, criterion_main, Criterion};
use patroliq_core::cluster::dbscan::DbscanParams;
use patroliq_core::cluster::hdbscan::HdbscanParams;
use patroliq_core::cluster::hierarchical::WardParams;
use patroliq_core::cluster::kmeans::KMeansParams;
use patroliq_core::cluster::metrics::{calinski_harabasz, davies_bouldin, SilhouetteSample};
use patroliq_core::cluster::{Points, Silent};
use patroliq_core::features::all_rows;

fn bench(c: &mut Criterion) {
    let t = patroliq_core::shared_data::sample();
    let points = Points::of(&t, &all_rows(&t));
    let mut g = c.benchmark_group("cluster_500k");
    g.sample_size(10);
    for n_init in [1, 4] {
        let p = KMeansParams { k: 9, n_init, ..Default::default() }.check().unwrap();
        g.bench_function(format!("kmeans_k9_init{n_init}"), |b| {
            b.iter(|| p.fit(&points, &mut Silent).unwrap())
        });
    }
    let p = DbscanParams { eps_m: 150.0, min_samples: 50 }.check().unwrap();
    g.bench_function("dbscan_150m_50", |b| b.iter(|| p.fit(&points, &mut Silent).unwrap()));
    let p = HdbscanParams { min_cluster_size: 500, min_samples: 50 }.check().unwrap();
    g.bench_function("hdbscan_500_50", |b| b.iter(|| p.fit(&points, &mut Silent).unwrap()));
    let p = WardParams::default().check().unwrap();
    g.bench_function("ward_200m_cells", |b| b.iter(|| p.fit(&points, &mut Silent).unwrap()));
    let labels = KMeansParams::default().check().unwrap().fit(&points, &mut Silent).unwrap().labels;
    let sample = SilhouetteSample::default();
    g.bench_function("silhouette_sample_10k", |b| b.iter(|| sample.score(&points, &labels)));
    g.bench_function("davies_bouldin", |b| b.iter(|| davies_bouldin(&points.xy, &labels)));
    g.bench_function("calinski_harabasz", |b| b.iter(|| calinski_harabasz(&points.xy, &labels)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
