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

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::{DataType, Float64Type, Int64Type, TimeUnit, TimestampSecondType};
use arrow_cast::cast;
use bytes::Bytes;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ProjectionMask;
use parquet::file::metadata::ParquetMetaData;

use super::{LoadError, LoadFilter};
use crate::clean::parse::Value;
use crate::clean::{Cleaner, SourceRow};
use crate::fmt::thousands;
use crate::load::layout::{self, Mapping};
use crate::schema::{missing_required, Column, ColumnMap};

const BATCH_ROWS: usize = 65_536;

/// A Parquet file being read batch by batch, so the caller can report progress between batches.
pub struct ParquetLoad {
    reader: ParquetRecordBatchReader,
    cleaner: Cleaner,
    total_rows: u64,
}

fn corrupt(e: impl std::fmt::Display) -> LoadError {
    LoadError::Malformed(format!("the Parquet file is truncated or corrupted ({e})"))
}

/// Checks the footer's metadata length against the file's size, in u64. The parquet crate does it
/// in `usize`, which on 32-bit WebAssembly overflows for a damaged length (4 GiB) and panics
/// (tests/corpus/corrupt_footer.parquet); natively it is an error. The file is `PAR1`, the data,
/// the metadata, its length (u32 LE) and `PAR1`.
fn check_footer(bytes: &[u8]) -> Result<(), LoadError> {
    let n = bytes.len();
    if n < 12 || &bytes[n - 4..] != b"PAR1" {
        return Err(corrupt("it does not end with the Parquet footer"));
    }
    let mut len = [0u8; 4];
    len.copy_from_slice(&bytes[n - 8..n - 4]);
    let metadata = u32::from_le_bytes(len) as u64;
    if metadata + 12 > n as u64 {
        return Err(corrupt(format!("the footer gives {metadata} bytes of metadata in a file of {n} bytes")));
    }
    Ok(())
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
            // The chunk starts at its dictionary page if it has one; both offsets must be sound.
            let start =
                c.dictionary_page_offset().map_or(c.data_page_offset(), |d| d.min(c.data_page_offset()));
            let len = c.compressed_size();
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
        bytes: Bytes,
        budget: u64,
        mapping: Option<&Mapping>,
        filter: LoadFilter,
    ) -> Result<Self, LoadError> {
        check_footer(&bytes)?;
        let file_len = bytes.len() as u64;
        // A clone of `Bytes` shares the buffer: the sample below reads the same memory.
        let builder = ParquetRecordBatchReaderBuilder::try_new(bytes.clone()).map_err(corrupt)?;
        check_chunks(builder.metadata(), file_len)?;
        let total_rows = builder.metadata().file_metadata().num_rows().max(0) as u64;
        // The row count is exact here: refuse at once what clearly cannot fit unfiltered.
        let fit = budget / 90;
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
        let arrow_schema = builder.schema().clone();
        let wanted: Vec<usize> = arrow_schema
            .fields()
            .iter()
            .enumerate()
            .filter(|(_, f)| Column::from_header(f.name()).is_some())
            .map(|(i, _)| i)
            .collect();
        let names: Vec<&str> = wanted.iter().map(|&i| arrow_schema.field(i).name().as_str()).collect();
        let map = ColumnMap::from_headers(names.iter().copied());
        if mapping.is_none() && missing_required(&map).is_empty() {
            let mask = ProjectionMask::roots(builder.parquet_schema(), wanted.iter().copied());
            let reader =
                builder.with_projection(mask).with_batch_size(BATCH_ROWS).build().map_err(corrupt)?;
            return Ok(ParquetLoad { reader, cleaner: limits(Cleaner::new(map)), total_rows });
        }
        let header: Vec<String> = arrow_schema.fields().iter().map(|f| f.name().clone()).collect();
        let sample = text_sample(bytes)?;
        let found = layout::detect(&header, &sample, mapping)
            .map_err(|m| super::wrong_schema(&header, super::preview_samples(&sample), m))?;
        let reader = builder.with_batch_size(BATCH_ROWS).build().map_err(corrupt)?;
        let preview = layout::Preview {
            roles: found.columns.clone(),
            samples: super::preview_samples(&sample),
            headers: header,
        };
        let cleaner = limits(Cleaner::with_layout(found).with_preview(preview));
        Ok(ParquetLoad { reader, cleaner, total_rows })
    }

    pub fn total_rows(&self) -> u64 {
        self.total_rows
    }

    pub fn rows_read(&self) -> u64 {
        self.cleaner.rows_read()
    }

    /// Reads and cleans the next batch; `Ok(false)` when the file is done.
    pub fn step(&mut self) -> Result<bool, LoadError> {
        let Some(batch) = next_batch(&mut self.reader)? else {
            return Ok(false);
        };
        let cols = TypedColumns::new(&batch)?;
        for r in 0..batch.num_rows() {
            self.cleaner.push(&cols.row(r));
        }
        self.cleaner.check_budget()?;
        Ok(true)
    }

    pub fn finish(mut self) -> Result<Cleaner, LoadError> {
        while self.step()? {}
        Ok(self.cleaner)
    }
}

/// The first rows of every column as text, as a CSV of the same data would read, for layout
/// detection.
fn text_sample(bytes: Bytes) -> Result<Vec<Vec<String>>, LoadError> {
    let mut reader = ParquetRecordBatchReaderBuilder::try_new(bytes)
        .map_err(corrupt)?
        .with_batch_size(layout::SAMPLE_ROWS)
        .with_limit(layout::SAMPLE_ROWS)
        .build()
        .map_err(corrupt)?;
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
