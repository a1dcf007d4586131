//! Load + clean the real 500,000-row sample natively, from CSV.gz and from Parquet.
//! Run: `cargo bench -p patroliq-core --bench load` (reads ../shared/data/, see README).

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use patroliq_core::export::{write_parquet, ParquetCompression};
use patroliq_core::{load_bytes, LoadOptions};

fn data_dir() -> PathBuf {
    std::env::var_os("PATROLIQ_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

fn bench(c: &mut Criterion) {
    let path = data_dir().join("chicago_crimes_sample.csv.gz");
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
}

criterion_group!(benches, bench);
criterion_main!(benches);
