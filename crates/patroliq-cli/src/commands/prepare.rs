//! `patroliq prepare`: clean a portal export and write it as compact Parquet, optionally a date
//! range of it.

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;

use clap::{Args as ClapArgs, ValueEnum};
use patroliq_core::clean::parse::parse_datetime;
use patroliq_core::export::{write_parquet, ParquetCompression};
use serde_json::json;

use super::print_json;
use crate::failure::{io_failure, usage, Failure};
use crate::input::load;

#[derive(ClapArgs)]
pub struct Args {
    input: PathBuf,
    output: PathBuf,
    /// Keep incidents on or after this date (YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    /// Keep incidents before this date (YYYY-MM-DD).
    #[arg(long)]
    until: Option<String>,
    /// The pages' codec: snappy (the default) loads fastest in the app, zstd makes the smallest
    /// file (the whole history: 397 against 319 MB, 4.2–4.8 against 4.9–5.3 s in Chromium).
    #[arg(long, value_enum, default_value = "snappy")]
    compression: Compression,
    /// Also print what was written as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Compression {
    Zstd,
    Snappy,
    /// LZ4_RAW
    Lz4,
    None,
}

fn day(s: Option<&str>, flag: &str) -> Result<Option<i64>, Failure> {
    s.map(|s| parse_datetime(s).ok_or_else(|| usage(format!("{flag} {s}: expected a date as YYYY-MM-DD"))))
        .transpose()
}

pub fn run(a: &Args) -> Result<(), Failure> {
    let (since, until) = (day(a.since.as_deref(), "--since")?, day(a.until.as_deref(), "--until")?);
    let loaded = load(&a.input)?;
    let table = loaded.table.filter(|i| {
        let d = loaded.table.date.get(i);
        since.is_none_or(|s| d >= s) && until.is_none_or(|u| d < u)
    });
    let out = File::create(&a.output).map_err(|e| io_failure(&a.output, e))?;
    let compression = match a.compression {
        Compression::Zstd => ParquetCompression::Zstd,
        Compression::Snappy => ParquetCompression::Snappy,
        Compression::Lz4 => ParquetCompression::Lz4,
        Compression::None => ParquetCompression::None,
    };
    write_parquet(&table, BufWriter::new(out), compression).map_err(|e| io_failure(&a.output, e))?;
    let size = std::fs::metadata(&a.output).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "{}: {} rows read, {} clean, {} kept in range → {} ({:.1} MB)",
        a.input.display(),
        loaded.report.rows_read,
        loaded.report.rows_clean,
        table.len(),
        a.output.display(),
        size as f64 / 1e6
    );
    if a.json {
        print_json(&json!({
            "rows_read": loaded.report.rows_read,
            "rows_clean": loaded.report.rows_clean,
            "rows_kept": table.len(),
            "output": a.output.display().to_string(),
            "bytes": size,
        }));
    }
    Ok(())
}
