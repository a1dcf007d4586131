//! Parquet as other tools write it by default (pyarrow with each codec, pandas-style float codes,
//! DuckDB with typed timestamps) loads to exactly the rows of the same records read as CSV.
//!
//! The files are made from the real sample by `scripts/make_parquet_fixtures.py` into
//! `$PATROLIQ_FIXTURES` (default `target/fixtures`); `scripts/test.sh` makes them first.

use patroliq_core::shared_data::fixtures;
use patroliq_core::{load_bytes, LoadOptions};

#[test]
fn parquet_from_pyarrow_pandas_and_duckdb_matches_the_csv() {
    let dir = fixtures();
    let reference = dir.join("reference.csv");
    let csv = std::fs::read(&reference).unwrap_or_else(|e| {
        panic!(
            "{}: {e}. Run scripts/make_parquet_fixtures.py {} first (scripts/test.sh does)",
            reference.display(),
            dir.display()
        )
    });
    let want = load_bytes("reference.csv", &csv, LoadOptions::default()).expect("reference loads");
    assert!(want.report.rows_read >= 10_000);
    let names = [
        "pyarrow_snappy",
        "pyarrow_none",
        "pyarrow_gzip",
        "pyarrow_zstd",
        "pyarrow_lz4",
        "pandas_style",
        "duckdb_default",
    ];
    for name in names {
        let path = dir.join(format!("{name}.parquet"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let got = load_bytes(name, &bytes, LoadOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(got.report.source.format, "parquet");
        assert_eq!(got.report.rows_read, want.report.rows_read, "{name}");
        assert_eq!(got.report.dropped, want.report.dropped, "{name}");
        assert_eq!(got.report.primary_type_counts, want.report.primary_type_counts, "{name}");
        assert_eq!(
            (&got.report.date_min, &got.report.date_max),
            (&want.report.date_min, &want.report.date_max),
            "{name}"
        );
        for i in 0..want.table.len() {
            assert_eq!(got.table.row(i), want.table.row(i), "{name}: row {i}");
        }
    }
}
