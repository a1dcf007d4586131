//! Parquet reading with the `parquet` crate's Arrow reader.
//!
//! Writers type the portal's columns differently: pyarrow from pandas makes District a float (it
//! has nulls), DuckDB's CSV sniffer makes Date a TIMESTAMP, our own `prepare` writes dictionaries.
//! Each column is cast to one of five Arrow types and read as a typed [`Value`], so the cleaner
//! makes the same decisions as for CSV without formatting numbers back to text.
//!
//! A file under the portal's names is read by them (only those columns: the fast path of
//! `patroliq prepare`'s files); any other (another city's, renamed columns, a user's mapping)
//! has its layout found like a CSV's, from its header and its first rows read as text.
//!
//! The file is read from a [`Ranged`] source: its footer, then one row group's column chunks at a
//! time, so its size is bounded by the table's memory budget, not by holding the file.

use std::ops::Range;
use std::sync::Arc;

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::{DataType, Float64Type, Int64Type, TimeUnit, TimestampSecondType};
use arrow_cast::cast;
use bytes::Bytes;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::ProjectionMask;
use parquet::file::metadata::{ColumnChunkMetaData, ParquetMetaData, ParquetMetaDataReader};

use super::ranged::{Ranged, Window};
use super::{LoadError, LoadFilter};
use crate::clean::parse::Value;
use crate::clean::{Cleaner, SourceRow};
use crate::fmt::thousands;
use crate::load::layout::{self, Mapping};
use crate::schema::{missing_required, Column, ColumnMap};

const BATCH_ROWS: usize = 65_536;

/// The most compressed bytes of one row group's columns read at once: a file whose row groups are
/// larger than this (a writer that made one group of the whole file) is refused with a message.
const MAX_GROUP_BYTES: u64 = 1 << 30;

/// A Parquet file being read row group by row group and batch by batch, so the caller can report
/// progress between batches and only one row group's columns are in memory ([`super::ranged`]).
pub struct ParquetLoad {
    source: Box<dyn Ranged>,
    meta: ArrowReaderMetadata,
    /// The columns read: the portal's (typed path) or all (layout found from a sample).
    mask: ProjectionMask,
    next_group: usize,
    /// The current row group's batches.
    reader: Option<ParquetRecordBatchReader>,
    cleaner: Cleaner,
    total_rows: u64,
    /// Whether typed batches take `clean::columns`' fast path (off only to test it against the
    /// row path).
    typed: bool,
    /// Batches the fast path read.
    typed_batches: usize,
}

fn corrupt(e: impl std::fmt::Display) -> LoadError {
    LoadError::Malformed(format!("the Parquet file is truncated or corrupted ({e})"))
}

/// The file's metadata, read from its end. The footer's length is checked in u64 first: the
/// parquet crate does it in `usize`, which on 32-bit WebAssembly overflows for a damaged length
/// (4 GiB) and panics (tests/corpus/corrupt_footer.parquet). The file is `PAR1`, the data, the
/// metadata, its length (u32 LE) and `PAR1`.
fn read_metadata(source: &mut dyn Ranged) -> Result<ParquetMetaData, LoadError> {
    let n = source.len();
    let tail = if n >= 12 { source.read(n - 8, 8)? } else { Bytes::new() };
    if tail.len() < 8 || &tail[4..] != b"PAR1" {
        return Err(corrupt("it does not end with the Parquet footer"));
    }
    let metadata = u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]) as u64;
    if metadata + 12 > n {
        return Err(corrupt(format!("the footer gives {metadata} bytes of metadata in a file of {n} bytes")));
    }
    let footer = Window::read(source, vec![n - 8 - metadata..n])?;
    let bytes = parquet::file::reader::ChunkReader::get_bytes(&footer, n - 8 - metadata, metadata as usize)
        .map_err(corrupt)?;
    super::page_headers::check_struct(&bytes, "the file's metadata")?;
    ParquetMetaDataReader::new().parse_and_finish(&footer).map_err(corrupt)
}

/// Where column chunk `c` lies: from its dictionary page, if it has one, for its compressed size.
fn chunk_range(c: &ColumnChunkMetaData) -> (i64, i64) {
    let start = c.dictionary_page_offset().map_or(c.data_page_offset(), |d| d.min(c.data_page_offset()));
    (start, c.compressed_size())
}

/// Checks that every column chunk the metadata names lies inside the file. The parquet crate
/// asserts (panics) on a negative offset or size when it reaches the chunk
/// (`ColumnChunkMetaData::byte_range`), which aborts the worker in WebAssembly; a damaged footer
/// must be an error instead (fuzz/regressions/load_parquet).
fn check_chunks(metadata: &ParquetMetaData, file_len: u64) -> Result<(), LoadError> {
    for (g, group) in metadata.row_groups().iter().enumerate() {
        if group.num_rows() < 0 {
            return Err(corrupt(format!("row group {g} has {} rows", group.num_rows())));
        }
        for c in group.columns() {
            let (start, len) = chunk_range(c);
            let inside = start >= 0 && len >= 0 && (start as u64).saturating_add(len as u64) <= file_len;
            if !inside {
                return Err(corrupt(format!(
                    "row group {g}, column {}: {len} bytes at offset {start} in a file of {file_len} bytes",
                    c.column_path()
                )));
            }
        }
    }
    Ok(())
}

impl ParquetLoad {
    pub fn open(
        mut source: Box<dyn Ranged>,
        budget: u64,
        mapping: Option<&Mapping>,
        filter: LoadFilter,
    ) -> Result<Self, LoadError> {
        let metadata = read_metadata(source.as_mut())?;
        check_chunks(&metadata, source.len())?;
        let plain =
            ArrowReaderMetadata::try_new(Arc::new(metadata), ArrowReaderOptions::new()).map_err(corrupt)?;
        let total_rows = plain.metadata().file_metadata().num_rows().max(0) as u64;
        // The row count is exact here: refuse at once what clearly cannot fit unfiltered.
        let fit = budget / crate::model::ROW_BYTES;
        if filter.is_everything() && total_rows > fit + fit / 10 {
            return Err(LoadError::TooLarge(format!(
                "{} rows: more than the about {} this tab's {} MB for data hold. Load a shorter period \
                 or fewer crime types (“Load only…” before choosing the file; on the command line \
                 `--load-since`, `--load-until`, `--load-types`)",
                thousands(total_rows),
                thousands(fit),
                thousands(budget >> 20)
            )));
        }
        let limits = |c: Cleaner| c.with_filter(filter.clone()).with_budget(budget, Some(total_rows));
        // Read only the portal's columns: a file with 200 extra columns costs nothing more.
        let arrow_schema = plain.schema().clone();
        let wanted: Vec<usize> = arrow_schema
            .fields()
            .iter()
            .enumerate()
            .filter(|(_, f)| Column::from_header(f.name()).is_some())
            .map(|(i, _)| i)
            .collect();
        let names: Vec<&str> = wanted.iter().map(|&i| arrow_schema.field(i).name().as_str()).collect();
        let map = ColumnMap::from_headers(names.iter().copied());
        let load = |source, meta: ArrowReaderMetadata, mask, cleaner| ParquetLoad {
            source,
            meta,
            mask,
            next_group: 0,
            reader: None,
            cleaner,
            total_rows,
            typed: true,
            typed_batches: 0,
        };
        if mapping.is_none() && missing_required(&map).is_empty() {
            // Text columns read as dictionaries: each distinct value is then cleaned and interned
            // once per row group, not once per row (`clean::columns`).
            let meta = dictionary_hint(&plain).unwrap_or(plain);
            let mask = ProjectionMask::roots(meta.parquet_schema(), wanted.iter().copied());
            return Ok(load(source, meta, mask, limits(Cleaner::new(map))));
        }
        let header: Vec<String> = arrow_schema.fields().iter().map(|f| f.name().clone()).collect();
        let sample = text_sample(source.as_mut(), &plain)?;
        let found = layout::detect(&header, &sample, mapping)
            .map_err(|m| super::wrong_schema(&header, super::preview_samples(&sample), m))?;
        let preview = layout::Preview {
            roles: found.columns.clone(),
            samples: super::preview_samples(&sample),
            headers: header,
        };
        let cleaner = limits(Cleaner::with_layout(found).with_preview(preview));
        Ok(load(source, plain, ProjectionMask::all(), cleaner))
    }

    pub fn total_rows(&self) -> u64 {
        self.total_rows
    }

    pub fn rows_read(&self) -> u64 {
        self.cleaner.rows_read()
    }

    /// Reads and cleans the next batch; `Ok(false)` when the file is done.
    pub fn step(&mut self) -> Result<bool, LoadError> {
        let batch = loop {
            if let Some(batch) = self.reader.as_mut().map(next_batch).transpose()?.flatten() {
                break batch;
            }
            if self.next_group >= self.meta.metadata().num_row_groups() {
                self.reader = None;
                return Ok(false);
            }
            let g = self.next_group;
            self.next_group += 1;
            // The last group's reader (and its window) goes before the next is read.
            self.reader = None;
            self.reader = Some(group_reader(self.source.as_mut(), &self.meta, &self.mask, g, None)?);
        };
        // A timestamp with a time zone holds instants (pandas' `tz_localize`, DuckDB's
        // TIMESTAMPTZ): read as UTC and turned into the data's local clock.
        let instants = self.cleaner.date_column().and_then(|i| batch.schema().fields().get(i).cloned());
        let instants = instants.is_some_and(|f| matches!(f.data_type(), DataType::Timestamp(_, Some(_))));
        self.cleaner.set_instant_dates(instants);
        if let Some(typed) = crate::clean::columns::Typed::of(&self.cleaner, &batch).filter(|_| self.typed) {
            self.cleaner.push_typed(&typed);
            self.typed_batches += 1;
        } else {
            let cols = TypedColumns::new(&batch)?;
            for r in 0..batch.num_rows() {
                self.cleaner.push(&cols.row(r));
            }
        }
        self.cleaner.check_budget()?;
        Ok(true)
    }

    pub fn finish(mut self) -> Result<Cleaner, LoadError> {
        while self.step()? {}
        Ok(self.cleaner)
    }
}

/// Where row group `g`'s column chunks in `mask` lie.
fn group_ranges(meta: &ArrowReaderMetadata, mask: &ProjectionMask, g: usize) -> Vec<Range<u64>> {
    meta.metadata()
        .row_group(g)
        .columns()
        .iter()
        .enumerate()
        .filter(|(i, _)| mask.leaf_included(*i))
        .map(|(_, c)| {
            // Sound: `check_chunks` saw every range inside the file.
            let (start, len) = chunk_range(c);
            start as u64..start as u64 + len as u64
        })
        .collect()
}

/// A reader of row group `g`'s columns in `mask`, read into memory from `source` first.
fn group_reader(
    source: &mut dyn Ranged,
    meta: &ArrowReaderMetadata,
    mask: &ProjectionMask,
    g: usize,
    limit: Option<usize>,
) -> Result<ParquetRecordBatchReader, LoadError> {
    let ranges = group_ranges(meta, mask, g);
    let bytes: u64 = ranges.iter().map(|r| r.end - r.start).sum();
    if bytes > MAX_GROUP_BYTES {
        return Err(LoadError::TooLarge(format!(
            "row group {g} of this Parquet file holds {} MB of compressed columns, and one is read at \
             a time up to {} MB: write it again with smaller row groups (pyarrow's `row_group_size`, \
             DuckDB's `ROW_GROUP_SIZE`, or `patroliq prepare`)",
            thousands(bytes >> 20),
            thousands(MAX_GROUP_BYTES >> 20)
        )));
    }
    let window = Window::read(source, ranges.clone())?;
    // Each chunk's page headers, before the parquet crate walks them (`page_headers`): from the
    // chunk's start to the end of the bytes held with it, as the crate reads a header.
    let columns =
        meta.metadata().row_group(g).columns().iter().enumerate().filter(|(i, _)| mask.leaf_included(*i));
    for (r, (_, c)) in ranges.iter().zip(columns) {
        let after =
            parquet::file::reader::ChunkReader::get_read(&window, r.start).map_err(corrupt)?.into_inner();
        let what = format!("row group {g}, column {}", c.column_path());
        super::page_headers::check(&after, (r.end - r.start) as usize, &what)?;
    }
    let mut b = ParquetRecordBatchReaderBuilder::new_with_metadata(window, meta.clone())
        .with_row_groups(vec![g])
        .with_projection(mask.clone())
        .with_batch_size(limit.unwrap_or(BATCH_ROWS));
    if let Some(n) = limit {
        b = b.with_limit(n);
    }
    b.build().map_err(corrupt)
}

/// `plain`'s metadata with top-level text columns read as `Dictionary(Int32, Utf8)`; `None` if
/// the file's schema does not allow it (then plain strings are read).
fn dictionary_hint(plain: &ArrowReaderMetadata) -> Option<ArrowReaderMetadata> {
    use arrow_schema::{Field, Schema};
    let schema = plain.schema();
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .map(|f| match f.data_type() {
            // Not case numbers: unique values make a dictionary pure cost.
            DataType::Utf8 if Column::from_header(f.name()) != Some(Column::CaseNumber) => f
                .as_ref()
                .clone()
                .with_data_type(DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))),
            _ => f.as_ref().clone(),
        })
        .collect();
    let hint = Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone()));
    ArrowReaderMetadata::try_new(plain.metadata().clone(), ArrowReaderOptions::new().with_schema(hint)).ok()
}

/// The first rows of every column as text, as a CSV of the same data would read, for layout
/// detection.
fn text_sample(source: &mut dyn Ranged, meta: &ArrowReaderMetadata) -> Result<Vec<Vec<String>>, LoadError> {
    if meta.metadata().num_row_groups() == 0 {
        return Ok(Vec::new());
    }
    let mut reader = group_reader(source, meta, &ProjectionMask::all(), 0, Some(layout::SAMPLE_ROWS))?;
    let Some(batch) = next_batch(&mut reader)? else { return Ok(Vec::new()) };

    let cols = TypedColumns::new(&batch)?;
    Ok((0..batch.num_rows())
        .map(|r| {
            let row = cols.row(r);
            (0..row.len())
                .map(|i| match row.field(i) {
                    Value::Text(t) => t.to_owned(),
                    Value::Int(n) => n.to_string(),
                    Value::Float(f) => f.to_string(),
                    Value::Bool(b) => b.to_string(),
                    Value::Timestamp(t) => crate::clean::parse::format_datetime(t),
                    _ => String::new(),
                })
                .collect()
        })
        .collect())
}

/// The reader's next batch, with a panic of the parquet crate's decoder contained as an error.
/// parquet 60 still `expect`s on some damaged pages (a dictionary-encoded data page with no
/// dictionary page: "Decoder for dict should have been set", found by the fuzzer) where the
/// footer checks above cannot see; natively the load then fails in words, in WebAssembly (where a
/// panic aborts) the worker is restarted with the dataset before.
fn next_batch(reader: &mut ParquetRecordBatchReader) -> Result<Option<arrow::array::RecordBatch>, LoadError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reader.next())) {
        Ok(None) => Ok(None),
        Ok(Some(b)) => b.map(Some).map_err(corrupt),
        Err(_) => Err(corrupt("its pages cannot be decoded")),
    }
}

/// A batch's columns, each cast to one readable type.
struct TypedColumns {
    cols: Vec<Typed>,
}

enum Typed {
    Text(arrow::array::StringArray),
    Int(arrow::array::Int64Array),
    Float(arrow::array::Float64Array),
    Bool(arrow::array::BooleanArray),
    Seconds(arrow::array::TimestampSecondArray),
    /// A type no portal column has (lists, structs): read as missing.
    Unreadable,
}

impl TypedColumns {
    fn new(batch: &RecordBatch) -> Result<Self, LoadError> {
        let cast_to = |a: &dyn Array, t: &DataType| cast(a, t).map_err(corrupt);
        let mut cols = Vec::with_capacity(batch.num_columns());
        for a in batch.columns() {
            let dt = a.data_type();
            let value_type = match dt {
                DataType::Dictionary(_, v) => v.as_ref(),
                other => other,
            };
            let typed = match value_type {
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
                    Typed::Text(cast_to(a, &DataType::Utf8)?.as_string::<i32>().clone())
                }
                t if t.is_integer() => {
                    Typed::Int(cast_to(a, &DataType::Int64)?.as_primitive::<Int64Type>().clone())
                }
                t if t.is_floating() || matches!(t, DataType::Decimal128(..) | DataType::Decimal256(..)) => {
                    Typed::Float(cast_to(a, &DataType::Float64)?.as_primitive::<Float64Type>().clone())
                }
                DataType::Boolean => Typed::Bool(cast_to(a, &DataType::Boolean)?.as_boolean().clone()),
                // GeoParquet's WKB points, as the hex text the point reader takes.
                DataType::Binary | DataType::LargeBinary | DataType::BinaryView => {
                    let b = cast_to(a, &DataType::Binary)?;
                    // One string a value, not one a byte.
                    let hex = |v: &[u8]| {
                        v.iter().fold(String::with_capacity(2 * v.len()), |mut s, x| {
                            use std::fmt::Write;
                            let _ = write!(s, "{x:02X}");
                            s
                        })
                    };
                    Typed::Text(b.as_binary::<i32>().iter().map(|v| v.map(hex)).collect())
                }
                // A location struct (`{latitude, longitude}`), as `(lat, lon)` text.
                DataType::Struct(fields) => match struct_point(a, fields) {
                    Some(text) => Typed::Text(text),
                    None => Typed::Unreadable,
                },
                DataType::Timestamp(..) | DataType::Date32 | DataType::Date64 => Typed::Seconds(
                    cast_to(a, &DataType::Timestamp(TimeUnit::Second, None))?
                        .as_primitive::<TimestampSecondType>()
                        .clone(),
                ),
                _ => Typed::Unreadable,
            };
            cols.push(typed);
        }
        Ok(TypedColumns { cols })
    }

    fn row(&self, r: usize) -> BatchRow<'_> {
        BatchRow { cols: &self.cols, r }
    }
}

/// A struct column with a latitude-like and a longitude-like number field, as `(lat, lon)` text.
fn struct_point(a: &dyn Array, fields: &arrow_schema::Fields) -> Option<arrow::array::StringArray> {
    let s = a.as_struct_opt()?;
    let field = |like: fn(&str) -> bool| {
        let i = fields.iter().position(|f| like(&layout::key(f.name())))?;
        let c = cast(s.column(i), &DataType::Float64).ok()?;
        Some(c.as_primitive::<Float64Type>().clone())
    };
    // GeoArrow's native points are `{x, y}`.
    let (lat, lon) = match (field(layout::lat_like), field(layout::lon_like)) {
        (Some(lat), Some(lon)) => (lat, lon),
        _ => (field(|k: &str| k == "y")?, field(|k: &str| k == "x")?),
    };
    Some(
        (0..s.len())
            .map(|r| {
                (s.is_valid(r) && lat.is_valid(r) && lon.is_valid(r))
                    .then(|| format!("({}, {})", lat.value(r), lon.value(r)))
            })
            .collect(),
    )
}

struct BatchRow<'a> {
    cols: &'a [Typed],
    r: usize,
}

impl SourceRow for BatchRow<'_> {
    fn len(&self) -> usize {
        self.cols.len()
    }

    fn field(&self, i: usize) -> Value<'_> {
        let r = self.r;
        match &self.cols[i] {
            Typed::Text(a) if a.is_valid(r) => Value::Text(a.value(r)),
            Typed::Int(a) if a.is_valid(r) => Value::Int(a.value(r)),
            Typed::Float(a) if a.is_valid(r) => Value::Float(a.value(r)),
            Typed::Bool(a) if a.is_valid(r) => Value::Bool(a.value(r)),
            Typed::Seconds(a) if a.is_valid(r) => Value::Timestamp(a.value(r)),
            _ => Value::Null,
        }
    }
}

#[cfg(test)]
mod tests {
    use arrow::array::{ArrayRef, BooleanArray, Float64Array, Int16Array, Int64Array, StringArray};
    use arrow::array::{RecordBatch, TimestampSecondArray};

    use super::*;
    use crate::clean::SourceInfo;

    /// (table, report) of `bytes` read by the typed fast path or row by row.
    fn both(bytes: &[u8], filter: LoadFilter) -> [(crate::CrimeTable, crate::CleaningReport); 2] {
        [true, false].map(|typed| {
            let source = Box::new(Bytes::copy_from_slice(bytes));
            let mut l = ParquetLoad::open(source, u64::MAX / 2, None, filter.clone()).unwrap();
            l.typed = typed;
            while l.step().unwrap() {}
            assert_eq!(l.typed_batches > 0, typed, "the fast path was (not) taken");
            let (t, mut r) = l.finish().unwrap().finish(SourceInfo::default());
            r.table_bytes = 0;
            (t, r)
        })
    }

    fn same(bytes: &[u8], filter: LoadFilter) -> usize {
        let [(ft, fr), (rt, rr)] = both(bytes, filter);
        assert!(ft.same_rows(&rt), "the fast path's rows differ from the row path's");
        assert_eq!(serde_json::to_value(&fr).unwrap(), serde_json::to_value(&rr).unwrap());
        ft.len()
    }

    /// The real sample's first 40,000 rows, loaded.
    fn sample_table() -> crate::CrimeTable {
        let path = crate::shared_data::file("chicago_crimes_sample.csv.gz");
        let gz = flate2::read::MultiGzDecoder::new(std::fs::File::open(path).unwrap());
        let text: String = std::io::BufRead::lines(std::io::BufReader::new(gz))
            .take(40_001)
            .map(|l| l.unwrap() + "\n")
            .collect();
        crate::load_bytes("s", text.as_bytes(), Default::default()).unwrap().table
    }

    #[test]
    fn a_file_of_many_row_groups_is_read_by_ranges_as_from_memory() {
        let t = sample_table();
        let mut out = Vec::new();
        crate::export::write_parquet_grouped(&t, &mut out, crate::export::ParquetCompression::Zstd, 3_000)
            .unwrap();
        let path = std::env::temp_dir().join(format!("groups-{}.parquet", std::process::id()));
        std::fs::write(&path, &out).unwrap();
        let open = |filter: &LoadFilter| {
            let file = std::fs::File::open(&path).unwrap();
            let mut tail =
                crate::load::open_parquet("g.parquet", Box::new(file), Default::default(), None, filter)
                    .unwrap();
            let mut steps = 0;
            while tail.step().unwrap() {
                steps += 1;
            }
            (steps, tail.finish().unwrap())
        };
        let (steps, ranged) = open(&LoadFilter::default());
        assert_eq!(steps, t.len().div_ceil(3_000), "a batch per row group");
        let whole = crate::load_bytes("g.parquet", &out, Default::default()).unwrap();
        assert!(ranged.table.same_rows(&t) && whole.table.same_rows(&t));
        let json = |r: &crate::CleaningReport| {
            let mut v = serde_json::to_value(r).unwrap();
            v["duration_ms"] = 0.into();
            v
        };
        assert_eq!(json(&ranged.report), json(&whole.report));
        assert_eq!(ranged.report.source.bytes, out.len() as u64);
        // A load filter works on ranges too.
        let f = LoadFilter::from_days(Some("2017-12-01"), None, &["theft".into()]).unwrap();
        let (_, filtered) = open(&f);
        assert!(filtered.table.len() > 100 && filtered.table.len() < t.len() / 5);
        // Cut in half, the file has no footer: said so, as from memory.
        std::fs::write(&path, &out[..out.len() / 2]).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let err = crate::load::open_parquet("g.parquet", Box::new(file), Default::default(), None, &f)
            .err()
            .unwrap();
        assert_eq!(err.kind(), "malformed", "{err}");
        assert!(err.to_string().contains("footer"), "{err}");
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn the_typed_path_cleans_a_prepared_file_as_the_row_path_does() {
        // The real sample's first 40,000 rows, written as `patroliq prepare` writes them.
        let t = sample_table();
        let mut out = Vec::new();
        crate::export::write_parquet(&t, &mut out, crate::export::ParquetCompression::Zstd).unwrap();
        assert_eq!(same(&out, LoadFilter::default()), t.len());
        let f =
            LoadFilter::from_days(Some("2017-12-01"), None, &["theft".into(), "burglary".into()]).unwrap();
        let kept = same(&out, f);
        assert!(kept > 1000 && kept < t.len() / 4, "{kept}");
    }

    #[test]
    fn the_typed_path_drops_and_counts_hostile_rows_as_the_row_path_does() {
        let n = 14;
        let kinds = [
            "THEFT",
            " theft ",
            "NON - CRIMINAL",
            "",
            "  ",
            "BURGLARY",
            "THEFT",
            "THEFT",
            "THEFT",
            "THEFT",
            "ROBBERY",
            "THEFT",
            "THEFT",
            "ASSAULT",
        ];
        let lat =
            [41.9, 41.9, 41.9, 41.9, 41.9, f64::NAN, 0.0, 36.6, f64::INFINITY, 41.8, 41.8, 41.8, 41.85, 41.7];
        let lon =
            [-87.7, -87.7, -87.7, -87.7, -87.7, -87.7, 0.0, -91.6, -87.7, -87.6, -87.6, -87.6, -87.65, -87.6];
        let ids: Vec<Option<i64>> = (0..n)
            .map(|i| {
                if i == 11 {
                    Some(9)
                } else if i == 12 {
                    None
                } else {
                    Some(i as i64)
                }
            })
            .collect();
        let dates: Vec<Option<i64>> =
            (0..n).map(|i| (i != 2).then_some(1_500_000_000 + i as i64 * 86_400)).collect();
        let iucr = [
            "486", "0820", "820", "", "x", "0610", "0820", "0820", "0820", "0820", "031A", "0820", "0820",
            "0460",
        ];
        let beat: Vec<Option<i16>> =
            (0..n).map(|i| [Some(1723), Some(-1), None, Some(9999)][i % 4]).collect();
        let area: Vec<Option<i16>> = (0..n).map(|i| [Some(0), Some(14), Some(78), None][i % 4]).collect();
        let x: Vec<Option<f64>> =
            (0..n).map(|i| [Some(1_152_214.0), Some(0.0), None, Some(f64::NAN)][i % 4]).collect();
        let arrest: Vec<Option<bool>> = (0..n).map(|i| [Some(true), Some(false), None][i % 3]).collect();
        let text = |v: &[&str]| {
            Arc::new(StringArray::from(v.iter().map(|s| Some(*s)).collect::<Vec<_>>())) as ArrayRef
        };
        let batch = RecordBatch::try_from_iter(vec![
            ("ID", Arc::new(Int64Array::from(ids)) as ArrayRef),
            ("Case Number", text(&["A"; 14])),
            ("Date", Arc::new(TimestampSecondArray::from(dates)) as ArrayRef),
            (
                "Block",
                text(&[
                    " 001XX W MADISON ST",
                    "",
                    "x",
                    "y",
                    "z",
                    "a",
                    "b",
                    "c",
                    "d",
                    "e",
                    "f",
                    "g",
                    "h",
                    "i",
                ]),
            ),
            ("IUCR", text(&iucr)),
            ("Primary Type", text(&kinds)),
            ("Arrest", Arc::new(BooleanArray::from(arrest)) as ArrayRef),
            ("Beat", Arc::new(Int16Array::from(beat)) as ArrayRef),
            ("Community Area", Arc::new(Int16Array::from(area)) as ArrayRef),
            ("FBI Code", text(&["06"; 14])),
            ("X Coordinate", Arc::new(Float64Array::from(x)) as ArrayRef),
            ("Latitude", Arc::new(Float64Array::from(lat.to_vec())) as ArrayRef),
            ("Longitude", Arc::new(Float64Array::from(lon.to_vec())) as ArrayRef),
        ])
        .unwrap();
        let mut out = Vec::new();
        let mut w = ::parquet::arrow::ArrowWriter::try_new(&mut out, batch.schema(), None).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
        let kept = same(&out, LoadFilter::default());
        // Dropped: no date (2), no type (3, 4), NaN (5), 0,0 (6), Missouri (7), infinite (8),
        // the second ID 9 (11).
        assert_eq!(kept, 6);
        assert_eq!(same(&out, LoadFilter::from_days(None, None, &["theft".into()]).unwrap()), 4);
    }

    /// A generic export's Parquet: `date` (with its zone or a day), an hour, a type, degrees.
    fn generic(date: ArrayRef, hour: Option<Vec<i64>>) -> Vec<u8> {
        let n = date.len();
        let kinds = ["THEFT", "BATTERY", "ROBBERY", "ASSAULT", "FRAUD", "ARSON"];
        let mut cols = vec![
            ("occurred", date),
            (
                "offense",
                Arc::new(StringArray::from((0..n).map(|i| kinds[i % 6]).collect::<Vec<_>>())) as ArrayRef,
            ),
            (
                "latitude",
                Arc::new(Float64Array::from((0..n).map(|i| 41.8 + i as f64 * 1e-3).collect::<Vec<_>>())),
            ),
            (
                "longitude",
                Arc::new(Float64Array::from((0..n).map(|i| -87.6 - i as f64 * 1e-3).collect::<Vec<_>>())),
            ),
        ];
        if let Some(h) = hour {
            cols.insert(1, ("occurred_hour", Arc::new(Int64Array::from(h)) as ArrayRef));
        }
        let batch = RecordBatch::try_from_iter(cols).unwrap();
        let mut out = Vec::new();
        let mut w = ::parquet::arrow::ArrowWriter::try_new(&mut out, batch.schema(), None).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
        out
    }

    fn wall(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
        chrono::NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
            .and_utc()
            .timestamp()
    }

    #[test]
    fn zoned_timestamps_are_instants_shown_in_the_datas_clock() {
        // pandas' `tz_localize`, DuckDB's TIMESTAMPTZ: 18:30 UTC in January is 12:30 in Chicago,
        // 17:30 UTC in July 12:30 too (daylight time).
        let utc: Vec<i64> = (0..12)
            .map(|i| if i % 2 == 0 { wall(2024, 1, 15, 18, 30) } else { wall(2024, 7, 15, 17, 30) })
            .collect();
        for zone in ["UTC", "America/Chicago", "+00:00"] {
            let date = Arc::new(TimestampSecondArray::from(utc.clone()).with_timezone(zone)) as ArrayRef;
            let loaded = crate::load_bytes("z.parquet", &generic(date, None), Default::default()).unwrap();
            let t = &loaded.table;
            assert_eq!(t.len(), 12, "{zone}");
            assert_eq!(t.date.get(0), wall(2024, 1, 15, 12, 30), "{zone}");
            assert_eq!(t.date.get(1), wall(2024, 7, 15, 12, 30), "{zone}");
            assert!(loaded.report.time_zone.is_some(), "the report says the times were converted");
        }
        // Without a zone a timestamp is the wall clock, as before.
        let date = Arc::new(TimestampSecondArray::from(utc.clone())) as ArrayRef;
        let t = crate::load_bytes("w.parquet", &generic(date, None), Default::default()).unwrap().table;
        assert_eq!(t.date.get(0), wall(2024, 1, 15, 18, 30));
    }

    #[test]
    fn an_hour_column_joins_a_parquet_day() {
        use arrow::array::Date32Array;
        let days: Vec<i32> = (0..12).map(|i| 19_737 + i).collect(); // 2024-01-15 on
        let hours: Vec<i64> = (0..12).map(|i| (i * 5) % 24).collect();
        let loaded = crate::load_bytes(
            "h.parquet",
            &generic(Arc::new(Date32Array::from(days)) as ArrayRef, Some(hours.clone())),
            Default::default(),
        )
        .unwrap();
        assert_eq!(loaded.table.len(), 12);
        for (i, h) in hours.iter().enumerate() {
            assert_eq!(loaded.table.date.get(i), wall(2024, 1, 15 + i as u32, *h as u32, 0), "row {i}");
        }
    }

    #[test]
    fn points_in_a_struct_or_as_wkb_are_read() {
        use arrow::array::{BinaryArray, StructArray};
        use arrow_schema::{DataType, Field};
        let n = 12;
        let kinds = ["THEFT", "BATTERY", "ROBBERY", "ASSAULT", "FRAUD", "ARSON"];
        let lat: Vec<f64> = (0..n).map(|i| 41.8 + i as f64 * 1e-3).collect();
        let lon: Vec<f64> = (0..n).map(|i| -87.6 - i as f64 * 1e-3).collect();
        let location = StructArray::from(vec![
            (
                Arc::new(Field::new("latitude", DataType::Float64, true)),
                Arc::new(Float64Array::from(lat.clone())) as ArrayRef,
            ),
            (
                Arc::new(Field::new("longitude", DataType::Float64, true)),
                Arc::new(Float64Array::from(lon.clone())) as ArrayRef,
            ),
        ]);
        // WKB: little-endian, type 1 (point), x = longitude, y = latitude.
        let wkb: Vec<Vec<u8>> = (0..n)
            .map(|i| [&[1u8, 1, 0, 0, 0][..], &lon[i].to_le_bytes(), &lat[i].to_le_bytes()].concat())
            .collect();
        let geometry = BinaryArray::from(wkb.iter().map(|v| Some(v.as_slice())).collect::<Vec<_>>());
        for (name, col) in
            [("location", Arc::new(location) as ArrayRef), ("geometry", Arc::new(geometry) as ArrayRef)]
        {
            let batch = RecordBatch::try_from_iter(vec![
                (
                    "occurred",
                    Arc::new(TimestampSecondArray::from(
                        (0..n).map(|i| wall(2024, 1, 15, i as u32, 0)).collect::<Vec<_>>(),
                    )) as ArrayRef,
                ),
                ("offense", Arc::new(StringArray::from((0..n).map(|i| kinds[i % 6]).collect::<Vec<_>>()))),
                (name, col),
            ])
            .unwrap();
            let mut out = Vec::new();
            let mut w = ::parquet::arrow::ArrowWriter::try_new(&mut out, batch.schema(), None).unwrap();
            w.write(&batch).unwrap();
            w.close().unwrap();
            let l = crate::load_bytes("p.parquet", &out, Default::default()).unwrap();
            assert_eq!(l.table.len(), n, "{name}");
            assert_eq!(l.report.columns["point"], name);
            assert!((l.table.latitude.get(5) - lat[5]).abs() < 1e-9, "{name}");
            assert!((l.table.longitude.get(5) - lon[5]).abs() < 1e-9, "{name}");
        }
    }
}
