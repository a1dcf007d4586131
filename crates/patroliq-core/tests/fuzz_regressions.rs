//! Every input that ever crashed a fuzz target (fuzz/regressions/<target>/), replayed through the
//! fuzz harness itself on every `cargo test`: a crash found once stays fixed. A new crash from
//! scripts/fuzz.sh is copied there from fuzz/artifacts/<target>/ before it is fixed.

use std::path::PathBuf;

#[path = "../../../fuzz/fuzz_targets/common.rs"]
mod common;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions").join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let data = std::fs::read(&path).unwrap();
        if std::panic::catch_unwind(|| run(&data)).is_err() {
            panic!("{target}: {name} panics the loader again");
        }
        n += 1;
    }
    println!("{target}: {n} inputs replayed");
}

#[test]
fn parquet_inputs_that_once_crashed_the_fuzzer() {
    replay("load_parquet", common::parquet);
}

#[test]
fn csv_inputs_that_once_crashed_the_fuzzer() {
    replay("load_csv", common::csv);
}
