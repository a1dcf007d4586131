//! What every analysis command starts from: the loaded file and the filter that selects its rows.

use std::fs::File;
use std::path::Path;
use std::time::Instant;

use patroliq_core::filter::Filter;
use std::sync::OnceLock;

use patroliq_core::load::layout::Mapping;
use patroliq_core::load::{is_parquet, open_parquet};
use patroliq_core::{load_reader_with, LoadFilter, LoadOptions, Loaded};

use patroliq_core::terrain::layers::{crime_extent, name_of_file};
use patroliq_core::terrain::Layer;

use crate::failure::{bad_file, io_failure, usage, Failure};

/// The `--columns` mapping of this run, read once before any command.
static COLUMNS: OnceLock<Mapping> = OnceLock::new();

/// Reads `--columns FILE`: a mapping of roles to the file's column names.
pub fn set_columns(path: &Path) -> Result<(), Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| io_failure(path, e))?;
    let mapping: Mapping = serde_json::from_str(&text).map_err(|e| {
        usage(format!(
            "--columns {}: not a column mapping ({e}). Expected {{\"columns\": {{\"date\": \"…\", \"type\": \"…\", \"latitude\": \"…\", \"longitude\": \"…\"}}}}",
            path.display()
        ))
    })?;
    let _ = COLUMNS.set(mapping);
    Ok(())
}

/// The `--load-since/--load-until/--load-types` filter of this run.
static LOAD_FILTER: OnceLock<LoadFilter> = OnceLock::new();

/// Reads the load filter's flags; a day that cannot be read is a usage error.
pub fn set_load_filter(since: Option<&str>, until: Option<&str>, types: Option<&str>) -> Result<(), Failure> {
    let types: Vec<String> = types.map(|t| vec![t.to_owned()]).unwrap_or_default();
    let f = LoadFilter::from_days(since, until, &types)
        .map_err(|m| usage(format!("--load-since/--load-until: {m}")))?;
    let _ = LOAD_FILTER.set(f);
    Ok(())
}

/// Loads a crime export (CSV, CSV.gz or Parquet), timing the load into its report.
pub fn load(path: &Path) -> Result<Loaded, Failure> {
    let started = Instant::now();
    let mut file = File::open(path).map_err(|e| io_failure(path, e))?;
    let size = file.metadata().ok().map(|m| m.len());
    let filter = LOAD_FILTER.get().cloned().unwrap_or_default();
    let opts = LoadOptions::default();
    let mut head = [0u8; 4];
    let parquet = std::io::Read::read_exact(&mut file, &mut head).is_ok() && is_parquet(&head);
    // Parquet is read by ranges, row group by row group; anything else streams from the start.
    std::io::Seek::rewind(&mut file).map_err(|e| io_failure(path, e))?;
    let mut loaded = if parquet {
        open_parquet(&file_name(path), Box::new(file), opts, COLUMNS.get(), &filter)?.finish()?
    } else {
        load_reader_with(&file_name(path), file, opts, COLUMNS.get(), &filter, size)?
    };
    loaded.report.duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    patroliq_core::features::set_frame_for(&loaded.table, loaded.report.chicago);
    Ok(loaded)
}

/// The name a report gives the source: the file's own name, not its path.
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into())
}

/// A filter given on the command line must be exactly right (unlike a link, nobody is waiting
/// on a page): a bad value is a usage error.
pub fn parse_filter(query: Option<&str>) -> Result<Filter, Failure> {
    let (filter, problems) = Filter::from_query(query.unwrap_or(""));
    match problems.first() {
        Some(p) => Err(usage(format!("--filter: {p}"))),
        None => Ok(filter),
    }
}

/// Reads `--layer PATH[=NAME]` environment layers (named from the file unless named) and drops
/// their features outside the crimes' extent (each layer's summary counts them).
pub fn load_layers(specs: &[String], t: &patroliq_core::CrimeTable) -> Result<Vec<Layer>, Failure> {
    let extent = crime_extent(t);
    specs
        .iter()
        .map(|spec| {
            // A path holding '=' is taken whole when it exists.
            let (path, name) = match spec.rsplit_once('=') {
                Some((p, n)) if !Path::new(spec).exists() && !n.trim().is_empty() => (p, Some(n.trim())),
                _ => (spec.as_str(), None),
            };
            let path = Path::new(path);
            let bytes = std::fs::read(path).map_err(|e| io_failure(path, e))?;
            let name = name.map_or_else(|| name_of_file(&file_name(path)), str::to_string);
            let mut layer = Layer::read(&name, &bytes).map_err(|e| bad_file(e.kind(), path, e))?;
            if let Some(x) = &extent {
                layer.clip(x);
            }
            Ok(layer)
        })
        .collect()
}
