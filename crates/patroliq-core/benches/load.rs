//! Load + clean the real 500,000-row sample natively, from CSV.gz and from Parquet.
//! Run: `cargo bench -p patroliq-core --bench load` (reads ../shared/data/, see README).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use patroliq_core::eda::Eda;
use patroliq_core::export::{write_parquet, ParquetCompression};
use patroliq_core::filter::Filter;
use patroliq_core::{load_bytes, LoadOptions};

fn bench(c: &mut Criterion) {
    let path = patroliq_core::shared_data::file("chicago_crimes_sample.csv.gz");
    let gz = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let loaded = load_bytes("sample", &gz, LoadOptions::default()).expect("sample loads");
    let mut parquet = Vec::new();
    write_parquet(&loaded.table, &mut parquet, ParquetCompression::Zstd).expect("parquet");
    eprintln!(
        "sample: {} rows kept, csv.gz {} MB, prepared parquet {} MB, table {} MB",
        loaded.report.rows_clean,
        gz.len() >> 20,
        parquet.len() >> 20,
        loaded.report.table_bytes >> 20
    );

    let mut g = c.benchmark_group("load_500k");
    g.sample_size(10);
    g.throughput(Throughput::Elements(loaded.report.rows_read));
    g.bench_function("csv_gz", |b| b.iter(|| load_bytes("s", &gz, LoadOptions::default()).unwrap()));
    g.bench_function("parquet_zstd", |b| {
        b.iter(|| load_bytes("s", &parquet, LoadOptions::default()).unwrap())
    });
    g.finish();

    let mut g = c.benchmark_group("features_500k");
    g.sample_size(10);
    g.throughput(Throughput::Elements(loaded.report.rows_clean));
    g.bench_function("compute_33", |b| b.iter(|| patroliq_core::features::compute(&loaded.table)));
    g.finish();

    // What the EDA page costs per filter change: select the rows, then every aggregate.
    let t = &loaded.table;
    let all = patroliq_core::features::all_rows(t);
    let (theft, _) = Filter::from_query("type=THEFT&from=2017-01-01");
    let mut g = c.benchmark_group("eda_500k");
    g.sample_size(10);
    g.throughput(Throughput::Elements(loaded.report.rows_clean));
    g.bench_function("select_filter", |b| b.iter(|| theft.select(t)));
    g.bench_function("eda_all_rows", |b| b.iter(|| Eda::of(t, &all)));
    g.bench_function("correlation_19", |b| b.iter(|| patroliq_core::eda::correlation(t, &all)));
    g.finish();

    let mut g = c.benchmark_group("reduce_500k");
    g.sample_size(10);
    g.bench_function("pca_20_features", |b| {
        b.iter(|| patroliq_core::reduce::pca::Pca::fit(t, &all).unwrap())
    });
    // Temporal patterns as the When page runs them: k = 3…6 swept, 4 restarts each, cyclical.
    g.bench_function("temporal_default", |b| {
        let p = patroliq_core::temporal::TemporalParams::default().check().unwrap();
        b.iter(|| p.fit(t, &all, &mut patroliq_core::cluster::Silent).unwrap())
    });
    g.bench_function("peaks", |b| b.iter(|| patroliq_core::temporal::peaks::Peaks::of(t, &all)));
    g.finish();

    // The maps of a 20,000-incident sample (the app's default): k-NN, layout and
    // trustworthiness together, as the page runs them. t-SNE at 1,000 iterations takes about a
    // minute, so it is measured on 5,000 incidents.
    use patroliq_core::reduce::embed::{EmbedParams, Method};
    let mut g = c.benchmark_group("embed");
    g.sample_size(10);
    for (name, method, sample) in [("umap_20k", Method::Umap, 20_000), ("tsne_5k", Method::Tsne, 5_000)] {
        let p = EmbedParams { method, sample, ..EmbedParams::default() }.check().unwrap();
        g.bench_function(name, |b| b.iter(|| p.fit(t, &all, &mut patroliq_core::cluster::Silent).unwrap()));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
