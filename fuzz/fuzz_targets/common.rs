//! The fuzz harness, shared by the cargo-fuzz targets and the native replay of every input that
//! once crashed them (crates/patroliq-core/tests/fuzz_regressions.rs includes this file).
use patroliq_core::{LoadOptions, Loader};

const HEADER: &[u8] = b"ID,Case Number,Date,Block,IUCR,Primary Type,Description,Location Description,Arrest,Domestic,Beat,District,Ward,Community Area,FBI Code,X Coordinate,Y Coordinate,Year,Updated On,Latitude,Longitude,Location\n";

/// The CSV path: the portal's header, then fuzzed rows (and, one time in eight each, fuzzed bytes
/// from the first byte on, so the sniffing and layout detection are fuzzed too; fuzzed bytes
/// framed as JSON records; fuzzed bytes framed as a ZIP archive).
#[allow(dead_code)]
pub fn csv(data: &[u8]) {
    let framed = |prefix: &[u8]| [prefix, data.get(1..).unwrap_or_default()].concat();
    if data.first().is_some_and(|b| b % 8 == 0) {
        load("fuzz.csv", data);
    } else if data.first().is_some_and(|b| b % 8 == 4) {
        load("fuzz.json", &framed(b"[{"));
    } else if data.first().is_some_and(|b| b % 8 == 2) {
        load("fuzz.zip", &framed(b"PK\x03\x04"));
    } else {
        let mut bytes = Vec::with_capacity(HEADER.len() + data.len() + 1);
        bytes.push(data.first().copied().unwrap_or(0));
        bytes.extend_from_slice(HEADER);
        bytes.extend_from_slice(data.get(1..).unwrap_or_default());
        load("fuzz.csv", &bytes);
    }
}

/// The Parquet path: inputs framed by the magic bytes, so every one reaches the Parquet reader
/// (the seed corpus holds a valid file to mutate: tests/corpus/small.parquet).
#[allow(dead_code)]
pub fn parquet(data: &[u8]) {
    let (first, rest) = data.split_first().map_or((0, data), |(f, r)| (*f, r));
    let mut bytes = vec![first];
    if !rest.starts_with(b"PAR1") {
        bytes.extend_from_slice(b"PAR1");
    }
    bytes.extend_from_slice(rest);
    if !rest.ends_with(b"PAR1") {
        bytes.extend_from_slice(b"PAR1");
    }
    load("fuzz.parquet", &bytes);
}

/// Loads `data` as the browser does: pushed in chunks (of a size the input chooses, so splits
/// fall everywhere), then finished and decoded step by step. Small limits keep a run fast and
/// check that the limits hold.
pub fn load(name: &str, data: &[u8]) {
    let (split, data) = match data.split_first() {
        Some((&s, rest)) => (1 + s as usize * 7, rest),
        None => (1, data),
    };
    let opts = LoadOptions {
        max_table_bytes: 2 << 20,
        filtered: false,
        max_decompressed_bytes: 16 << 20,
        max_parquet_bytes: 16 << 20,
    };
    let mut loader = Loader::new(name, opts);
    for chunk in data.chunks(split) {
        if loader.push(chunk).is_err() {
            return;
        }
    }
    let Ok(mut tail) = loader.finish() else { return };
    loop {
        match tail.step() {
            Ok(true) => continue,
            Ok(false) => break,
            Err(_) => return,
        }
    }
    if let Ok(loaded) = tail.finish() {
        // What the app does next with any table: its summary and filter must hold too.
        assert_eq!(loaded.table.len() as u64, loaded.report.rows_clean);
        let _ = patroliq_core::summary::DatasetSummary::of(&loaded.table);
    }
}
