//! `patroliq demo`: the built-in synthetic dataset as a portal-layout CSV.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use clap::Args as ClapArgs;
use patroliq_core::demo;
use serde_json::json;

use super::print_json;
use crate::failure::{io_failure, Failure};

#[derive(ClapArgs)]
pub struct Args {
    /// The file to write (gzipped when its name ends in .gz).
    output: PathBuf,
    #[arg(long, default_value_t = demo::DEFAULT_ROWS)]
    rows: usize,
    #[arg(long, default_value_t = demo::DEFAULT_SEED)]
    seed: u64,
    /// Also print what was written as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &Args) -> Result<(), Failure> {
    let csv = demo::generate_csv(a.rows, a.seed);
    let file = File::create(&a.output).map_err(|e| io_failure(&a.output, e))?;
    let written = if a.output.extension().is_some_and(|e| e == "gz") {
        let mut z = flate2::write::GzEncoder::new(file, flate2::Compression::default());
        z.write_all(csv.as_bytes()).and_then(|_| z.finish().map(|_| ()))
    } else {
        BufWriter::new(file).write_all(csv.as_bytes())
    };
    written.map_err(|e| io_failure(&a.output, e))?;
    if a.json {
        let size = std::fs::metadata(&a.output).map(|m| m.len()).unwrap_or(0);
        print_json(&json!({
            "rows": a.rows,
            "seed": a.seed,
            "output": a.output.display().to_string(),
            "bytes": size,
        }));
    }
    Ok(())
}
