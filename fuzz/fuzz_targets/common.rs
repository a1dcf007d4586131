use patroliq_core::{LoadOptions, Loader};

/// Loads `data` as the browser does: pushed in chunks (of a size the input chooses, so splits
/// fall everywhere), then finished and decoded step by step. Small limits keep a run fast and
/// check that the limits hold.
pub fn load(name: &str, data: &[u8]) {
    let (split, data) = match data.split_first() {
        Some((&s, rest)) => (1 + s as usize * 7, rest),
        None => (1, data),
    };
    let opts =
        LoadOptions { max_rows: 20_000, max_decompressed_bytes: 16 << 20, max_parquet_bytes: 16 << 20 };
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
