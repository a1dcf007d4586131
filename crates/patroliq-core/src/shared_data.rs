//! Where the real Chicago data lives for tests and benchmarks: `$PATROLIQ_DATA_DIR`, else
//! `../shared/data` beside the project. The files are read there at run time, never copied in.

use std::path::PathBuf;

/// The shared data folder.
pub fn dir() -> PathBuf {
    std::env::var_os("PATROLIQ_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

/// A file of the shared data folder, with a message naming the folder when it is missing.
pub fn file(name: &str) -> PathBuf {
    let path = dir().join(name);
    assert!(
        path.exists(),
        "{} is missing: tests read ../shared/data (or $PATROLIQ_DATA_DIR)",
        path.display()
    );
    path
}

/// The real 500,000-row sample, loaded and cleaned.
pub fn sample() -> crate::CrimeTable {
    let path = file("chicago_crimes_sample.csv.gz");
    let f = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    crate::load_reader("sample", f, crate::LoadOptions::default()).expect("the sample loads").table
}

/// Where `scripts/test.sh` writes fixtures made at test time (Parquet from other writers,
/// scikit-learn references): `$PATROLIQ_FIXTURES`, else `target/fixtures`.
pub fn fixtures() -> PathBuf {
    std::env::var_os("PATROLIQ_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/fixtures"))
}
