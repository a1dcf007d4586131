//! Loading: bytes from a file, a URL or the portal's API → a cleaned [`CrimeTable`] and its report.
//!
//! [`Loader`] is push-based: the caller feeds chunks as they arrive (the browser worker reads a
//! `File` slice by slice so it can show progress and honour cancel between slices; the CLI reads a
//! file in 1 MiB pieces). The format is sniffed from the first bytes, not from the file name:
//! gzip (`1f 8b`), Parquet (`PAR1`) or CSV text.

pub mod arcgis;
pub mod container;
pub mod csv;
pub mod gzip;
pub mod layout;
pub mod page_headers;
pub mod parquet;
pub mod portal;
pub mod ranged;
mod split;
pub mod subset;
mod utf16;

use std::io::Read;

use bytes::Bytes;
use serde::Serialize;

use self::csv::CsvSink;
use self::gzip::Inflater;
use self::parquet::ParquetLoad;
use crate::clean::{Cleaner, CleaningReport, DropReason, SourceInfo};
use crate::fmt::thousands;
use crate::model::CrimeTable;
pub use subset::{LoadFilter, DEFAULT_TABLE_BUDGET};

/// Everything that can go wrong while loading, each with a message an analyst can act on.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadError {
    Empty,
    Unsupported(String),
    WrongSchema {
        /// What could not be found, in words (some name the file's own values).
        missing: Vec<std::borrow::Cow<'static, str>>,
        found: String,
        /// The columns with sample values and the roles guessed so far, for the column mapper.
        preview: Option<Box<layout::Preview>>,
    },
    Malformed(String),
    Truncated(String),
    TooLarge(String),
    /// Every row was dropped; the report says why.
    NothingKept(Box<CleaningReport>),
    Cancelled,
    Io(String),
}

impl LoadError {
    /// A stable machine-readable kind (CLI JSON `error.kind`, UI tests).
    pub fn kind(&self) -> &'static str {
        match self {
            LoadError::Empty => "empty",
            LoadError::Unsupported(_) => "unsupported",
            LoadError::WrongSchema { .. } => "wrong_schema",
            LoadError::Malformed(_) => "malformed",
            LoadError::Truncated(_) => "truncated",
            LoadError::TooLarge(_) => "too_large",
            LoadError::NothingKept(_) => "nothing_kept",
            LoadError::Cancelled => "cancelled",
            LoadError::Io(_) => "io",
        }
    }
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Empty => write!(f, "The file is empty: there is no header and no data."),
            LoadError::Unsupported(m) => write!(f, "This file cannot be read: {m}."),
            LoadError::WrongSchema { missing, found, .. } => write!(
                f,
                "PatrolIQ could not find {} among this file's columns ({found}). A crime file needs \
                 the date of each incident, its type and where it happened. Name the columns in \
                 the column mapper, or on the command line with `--columns mapping.json`.",
                missing.join(", nor ")
            ),
            LoadError::Malformed(m) => write!(f, "The file is damaged: {m}."),
            LoadError::Truncated(m) => write!(f, "The file is incomplete: {m}."),
            LoadError::TooLarge(m) => write!(f, "The file is too large: {m}."),
            LoadError::NothingKept(r) if r.rows_read == 0 => {
                write!(f, "The file has a header but no data rows.")
            }
            LoadError::NothingKept(r) => {
                let top = r.dropped.iter().max_by_key(|(_, &n)| n).map(|(k, _)| k.as_str());
                let why = DropReason::ALL.iter().find(|d| Some(d.key()) == top).map_or("", |d| d.describe());
                write!(f, "None of the {} rows could be used (most often: {why}).", thousands(r.rows_read))
            }
            LoadError::Cancelled => write!(f, "Loading was cancelled."),
            LoadError::Io(m) => write!(f, "The file could not be read: {m}."),
        }
    }
}

impl std::error::Error for LoadError {}

/// Limits that keep a hostile or oversized file from exhausting memory.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LoadOptions {
    /// Bytes the kept rows may use, measured as the table grows ([`DEFAULT_TABLE_BUDGET`]): the
    /// memory budget that replaced a fixed row limit.
    pub max_table_bytes: u64,
    /// Whether a load filter selects part of the source: then no size is refused up front (the
    /// rows kept may well fit), only while reading, once they do not.
    pub filtered: bool,
    /// Parquet is read whole (its index is at the end of the file), so it has a byte limit.
    pub max_parquet_bytes: u64,
    /// Decompressed bytes at most for gzip input (a gzip bomb stops here).
    pub max_decompressed_bytes: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_table_bytes: DEFAULT_TABLE_BUDGET,
            filtered: false,
            max_parquet_bytes: 1 << 30,
            // The portal's whole history is ~2 GB of text; a gzip bomb past this stops.
            max_decompressed_bytes: 8 << 30,
        }
    }
}

/// Bytes per data row of a portal CSV export (≈ 225 on the real sample) and the usual gzip ratio
/// (≈ 4×): used to refuse a file that cannot fit before spending a minute reading it.
const CSV_BYTES_PER_ROW: u64 = 200;
const GZIP_RATIO: u64 = 5;

impl LoadOptions {
    /// Rows the memory budget holds, about.
    pub fn rows_that_fit(&self) -> u64 {
        self.max_table_bytes / crate::model::ROW_BYTES
    }

    /// The largest source accepted at all, whatever its format.
    pub fn max_source_bytes(&self) -> u64 {
        if self.filtered {
            return u64::MAX;
        }
        (self.rows_that_fit() * CSV_BYTES_PER_ROW).max(self.max_parquet_bytes)
    }

    /// Refuses a source whose size alone shows it cannot fit, with a message that says what to do.
    /// `format` is `None` before the first bytes were seen.
    pub fn check_size(&self, format: Option<Format>, bytes: u64) -> Result<(), LoadError> {
        let advice = "Load a shorter period or fewer crime types: set them under “Load only…” \
                      before choosing the file (on the command line `--load-since`, \
                      `--load-until`, `--load-types`)";
        let mb = bytes as f64 / 1e6;
        let est_rows = match format {
            None if bytes > self.max_source_bytes() => u64::MAX,
            None => return Ok(()),
            Some(Format::Parquet | Format::Zip) if bytes > self.max_parquet_bytes => u64::MAX,
            Some(Format::Parquet | Format::Zip) => return Ok(()),
            Some(Format::Json) if bytes > MAX_JSON_BYTES => u64::MAX,
            Some(Format::Json) => return Ok(()),
            // Text is streamed: with a filter, any size may hold a period that fits.
            Some(Format::Csv | Format::GzipCsv) if self.filtered => return Ok(()),
            Some(Format::Csv) => bytes / CSV_BYTES_PER_ROW,
            Some(Format::GzipCsv) => bytes * GZIP_RATIO / CSV_BYTES_PER_ROW,
        };
        // Estimates are rough: only refuse what is clearly over (1.5×) and let the memory budget
        // catch the rest while reading.
        if est_rows == u64::MAX || est_rows > self.rows_that_fit() / 2 * 3 {
            return Err(LoadError::TooLarge(format!(
                "{mb:.0} MB is more than this browser tab can hold (its {} MB for data hold about {} \
                 rows). {advice}",
                thousands(self.max_table_bytes >> 20),
                thousands(self.rows_that_fit())
            )));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Format {
    Csv,
    GzipCsv,
    Parquet,
    /// A ZIP archive holding one data file.
    Zip,
    /// JSON records or GeoJSON features.
    Json,
}

/// JSON is parsed whole into a document several times its size: a smaller limit than Parquet's.
const MAX_JSON_BYTES: u64 = 256 << 20;

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::GzipCsv => "csv.gz",
            Format::Parquet => "parquet",
            Format::Zip => "zip",
            Format::Json => "json",
        }
    }
}

enum State {
    Sniffing(Vec<u8>),
    Csv(CsvSink),
    Gzip(Box<(Inflater, CsvSink)>),
    /// UTF-16 text, decoded to UTF-8 for the CSV reader.
    Utf16(Box<(utf16::Utf16, CsvSink)>),
    /// Gzip CSV inflated elsewhere ([`Loader::inflated`]).
    Inflated(CsvSink),
    Parquet(Vec<u8>),
    /// A ZIP archive or a JSON document: read whole, then opened in `finish`.
    Whole(Vec<u8>),
    Failed,
}

/// A load in progress.
pub struct Loader {
    opts: LoadOptions,
    mapping: Option<layout::Mapping>,
    filter: LoadFilter,
    /// The source's size in bytes when known (a file): rows are reserved from it.
    size_hint: Option<u64>,
    name: String,
    state: State,
    bytes_in: u64,
    format: Option<Format>,
}

/// The cleaned table and its report.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub table: CrimeTable,
    pub report: CleaningReport,
    /// Every column with its first values and the roles detected, for text sources whose layout
    /// was detected from a sample (CSV, gzip, JSON, a ZIP of one); `None` for Parquet and the
    /// portal's own layout read by name. The app's *Change columns…* starts from it.
    pub preview: Option<Box<layout::Preview>>,
}

impl Loader {
    pub fn new(name: impl Into<String>, opts: LoadOptions) -> Self {
        Loader {
            opts,
            mapping: None,
            filter: LoadFilter::default(),
            size_hint: None,
            name: name.into(),
            state: State::Sniffing(Vec::new()),
            bytes_in: 0,
            format: None,
        }
    }

    /// Columns the user chose (`--columns`, the app's mapper): they win over detection.
    pub fn with_mapping(mut self, mapping: Option<layout::Mapping>) -> Self {
        self.mapping = mapping;
        self.settings_changed()
    }

    /// Keeps only the rows `filter` selects (a date range, crime types); the others are counted in
    /// the report, not stored. Also lifts the up-front size refusal of text sources.
    pub fn with_filter(mut self, filter: LoadFilter) -> Self {
        self.opts.filtered = !filter.is_everything();
        self.filter = filter;
        self.settings_changed()
    }

    /// The source's size in bytes (a file's; for gzip, the size it inflates to if known).
    pub fn with_size_hint(mut self, bytes: u64) -> Self {
        self.size_hint = Some(bytes);
        self.settings_changed()
    }

    /// A loader fed inflated text has its sink from the start ([`Loader::inflated`]): it is made
    /// again, still empty, with the settings as they are now. Other loaders make theirs once the
    /// format is known.
    fn settings_changed(mut self) -> Self {
        if let State::Inflated(_) = self.state {
            self.state = State::Inflated(self.csv_sink(self.size_hint));
        }
        self
    }

    /// The size a gzip file inflates to, from its trailer (`tail`: its last 4 bytes, the size
    /// modulo 4 GiB) and its compressed size: the multiple of 4 GiB nearest a 5× ratio.
    pub fn gzip_inflated_size(compressed: u64, tail: [u8; 4]) -> u64 {
        let isize = u64::from(u32::from_le_bytes(tail));
        let k = ((5.0 * compressed as f64 - isize as f64) / 4_294_967_296.0).round().max(0.0) as u64;
        isize + (k << 32)
    }

    fn csv_sink(&self, size: Option<u64>) -> CsvSink {
        CsvSink::new(self.opts.max_table_bytes)
            .with_mapping(self.mapping.clone())
            .with_filter(self.filter.clone())
            .with_size_hint(size)
    }

    /// A loader of gzip CSV that is inflated elsewhere, beside it, by an [`Inflater`] of the
    /// same limit: fed with [`Loader::push_inflated`].
    pub fn inflated(name: impl Into<String>, opts: LoadOptions) -> Self {
        let mut l = Loader { format: Some(Format::GzipCsv), ..Loader::new(name, opts) };
        l.state = State::Inflated(l.csv_sink(None));
        l
    }

    /// Feeds CSV that `compressed` more bytes of the source inflated to.
    pub fn push_inflated(&mut self, compressed: u64, csv: &[u8]) -> Result<(), LoadError> {
        self.bytes_in += compressed;
        let res = match &mut self.state {
            State::Inflated(c) => c.push(csv),
            _ => Err(LoadError::Io("only a loader made by Loader::inflated takes inflated bytes".into())),
        };
        if res.is_err() {
            self.state = State::Failed;
        }
        res
    }

    pub fn format(&self) -> Option<Format> {
        self.format
    }

    pub fn bytes_in(&self) -> u64 {
        self.bytes_in
    }

    /// Data rows read so far (CSV only; Parquet rows are read in [`Tail::step`]).
    pub fn rows_read(&self) -> u64 {
        match &self.state {
            State::Csv(c) => c.rows_read(),
            State::Gzip(g) => g.1.rows_read(),
            State::Utf16(u) => u.1.rows_read(),
            State::Inflated(c) => c.rows_read(),
            _ => 0,
        }
    }

    /// Feeds the next chunk of the source.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), LoadError> {
        self.bytes_in += chunk.len() as u64;
        let res = self.push_inner(chunk);
        if res.is_err() {
            self.state = State::Failed;
        }
        res
    }

    fn push_inner(&mut self, chunk: &[u8]) -> Result<(), LoadError> {
        match &mut self.state {
            State::Sniffing(head) => {
                head.extend_from_slice(chunk);
                if head.len() >= 4 {
                    let head = std::mem::take(head);
                    self.start(&head)?;
                }
                Ok(())
            }
            State::Csv(c) => c.push(chunk),
            State::Gzip(g) => {
                let out = g.0.push(chunk)?;
                g.1.push(&out)
            }
            State::Utf16(u) => {
                let out = u.0.push(chunk, false);
                u.1.push(&out)
            }
            State::Inflated(_) => Err(LoadError::Io("inflated input takes push_inflated".into())),
            State::Parquet(buf) => {
                if (buf.len() + chunk.len()) as u64 > self.opts.max_parquet_bytes {
                    return Err(parquet_too_big(self.opts.max_parquet_bytes));
                }
                buf.extend_from_slice(chunk);
                Ok(())
            }
            State::Whole(buf) => {
                let limit = if self.format == Some(Format::Json) {
                    MAX_JSON_BYTES
                } else {
                    self.opts.max_parquet_bytes
                };
                if (buf.len() + chunk.len()) as u64 > limit {
                    return Err(LoadError::TooLarge(format!(
                        "a {} file is read whole, and this one is over {} MB",
                        if self.format == Some(Format::Json) { "JSON" } else { "ZIP" },
                        limit >> 20
                    )));
                }
                buf.extend_from_slice(chunk);
                Ok(())
            }
            State::Failed => Err(LoadError::Io("loading already failed".into())),
        }
    }

    fn start(&mut self, head: &[u8]) -> Result<(), LoadError> {
        let (format, state) = if head.starts_with(&[0x1f, 0x8b]) {
            let inflater = Inflater::new(self.opts.max_decompressed_bytes);
            let sink = self.csv_sink(None);
            (Format::GzipCsv, State::Gzip(Box::new((inflater, sink))))
        } else if is_parquet(head) {
            // A download whose size is known is held once, not doubled as it grows.
            let size = self.size_hint.unwrap_or(0).min(self.opts.max_parquet_bytes);
            (Format::Parquet, State::Parquet(Vec::with_capacity(size as usize)))
        } else if head.starts_with(b"PK\x03\x04") || head.starts_with(container::OLE_MAGIC) {
            // A ZIP, or an Excel 97–2003 workbook (an OLE compound file): read whole.
            (Format::Zip, State::Whole(Vec::new()))
        } else if let Some(decoder) = utf16::Utf16::of(head) {
            (Format::Csv, State::Utf16(Box::new((decoder, self.csv_sink(self.size_hint.map(|n| n / 2))))))
        } else if matches!(
            head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head).iter().find(|b| !b.is_ascii_whitespace()),
            Some(b'[' | b'{')
        ) {
            (Format::Json, State::Whole(Vec::new()))
        } else {
            (Format::Csv, State::Csv(self.csv_sink(self.size_hint)))
        };
        self.format = Some(format);
        self.state = state;
        self.push_inner(head)
    }

    /// Ends the input. CSV is then complete; Parquet is decoded by stepping the returned [`Tail`].
    pub fn finish(mut self) -> Result<Tail, LoadError> {
        if let State::Sniffing(head) = &mut self.state {
            let head = std::mem::take(head);
            if head.iter().all(u8::is_ascii_whitespace) {
                return Err(LoadError::Empty);
            }
            self.start(&head)?;
        }
        let source = SourceInfo {
            name: self.name,
            format: self.format.map_or("csv", Format::label).to_owned(),
            bytes: self.bytes_in,
        };
        let inner = match self.state {
            State::Csv(c) => TailInner::Done(c.finish()?),
            State::Gzip(g) => {
                let (inflater, mut csv) = *g;
                csv.push(&inflater.finish()?)?;
                TailInner::Done(csv.finish()?)
            }
            State::Inflated(c) => TailInner::Done(c.finish()?),
            State::Utf16(u) => {
                let (mut decoder, mut csv) = *u;
                csv.push(&decoder.push(&[], true))?;
                TailInner::Done(csv.finish()?)
            }
            State::Parquet(buf) => TailInner::Parquet(ParquetLoad::open(
                Box::new(Bytes::from(buf)),
                self.opts.max_table_bytes,
                self.mapping.as_ref(),
                self.filter.clone(),
            )?),
            State::Whole(buf) if self.format == Some(Format::Json) => {
                let mut sink = CsvSink::new(self.opts.max_table_bytes)
                    .with_mapping(self.mapping.clone())
                    .with_filter(self.filter.clone());
                container::json_records(&buf, &mut sink)?;
                TailInner::Done(sink.finish()?)
            }
            State::Whole(buf) if container::workbook(&buf).is_some() => {
                let mut sink = CsvSink::new(self.opts.max_table_bytes)
                    .with_mapping(self.mapping.clone())
                    .with_filter(self.filter.clone());
                let kind = container::workbook_records(&buf, &mut sink)?;
                let source = SourceInfo { format: kind.into(), ..source };
                return Ok(Tail { inner: TailInner::Done(sink.finish()?), source });
            }
            State::Whole(buf) => {
                let (inner_name, inner) = container::unzip(&buf, self.opts.max_decompressed_bytes)?;
                let mut l = Loader::new(inner_name.clone(), self.opts)
                    .with_mapping(self.mapping)
                    .with_filter(self.filter);
                l.push(&inner)?;
                if matches!(l.format, Some(Format::Zip)) {
                    return Err(LoadError::Unsupported(format!(
                        "{inner_name} is a ZIP inside the ZIP: unzip it once"
                    )));
                }
                let inner_format = l.format.map_or("csv", Format::label);
                let mut tail = l.finish()?;
                tail.source = SourceInfo {
                    name: source.name,
                    format: format!("zip ({inner_format})"),
                    bytes: source.bytes,
                };
                return Ok(tail);
            }
            State::Sniffing(_) | State::Failed => return Err(LoadError::Io("loading already failed".into())),
        };
        Ok(Tail { inner, source })
    }
}

/// Opens a Parquet file that can be read by ranges (a picked file, a file on disk): it is read row
/// group by row group as [`Tail::step`] is called, never whole, so no byte limit applies — only the
/// table's memory budget. `source`'s name and size go to the report.
pub fn open_parquet(
    name: &str,
    source: Box<dyn ranged::Ranged>,
    opts: LoadOptions,
    mapping: Option<&layout::Mapping>,
    filter: &LoadFilter,
) -> Result<Tail, LoadError> {
    let bytes = source.len();
    let p = ParquetLoad::open(source, opts.max_table_bytes, mapping, filter.clone())?;
    let source = SourceInfo { name: name.to_owned(), format: Format::Parquet.label().to_owned(), bytes };
    Ok(Tail { inner: TailInner::Parquet(p), source })
}

/// Whether `head` (a source's first bytes) starts a Parquet file.
pub fn is_parquet(head: &[u8]) -> bool {
    head.starts_with(b"PAR1")
}

fn parquet_too_big(limit: u64) -> LoadError {
    LoadError::TooLarge(format!("a Parquet file is read whole, and this one is over {} MB", limit >> 20))
}

enum TailInner {
    Done(Cleaner),
    Parquet(ParquetLoad),
}

/// The last part of a load: decoding Parquet batches (CSV has none left), then the report.
pub struct Tail {
    inner: TailInner,
    source: SourceInfo,
}

impl Tail {
    /// Decodes one more batch; `Ok(false)` when nothing is left.
    pub fn step(&mut self) -> Result<bool, LoadError> {
        match &mut self.inner {
            TailInner::Done(_) => Ok(false),
            TailInner::Parquet(p) => p.step(),
        }
    }

    /// (rows done, rows in total) of the decoding step.
    pub fn progress(&self) -> (u64, u64) {
        match &self.inner {
            TailInner::Done(c) => (c.rows_read(), c.rows_read()),
            TailInner::Parquet(p) => (p.rows_read(), p.total_rows()),
        }
    }

    /// Builds the table and report. A load that keeps no row is an error, so the dataset the
    /// user had before stays in place.
    pub fn finish(self) -> Result<Loaded, LoadError> {
        let mut cleaner = match self.inner {
            TailInner::Done(c) => c,
            TailInner::Parquet(p) => p.finish()?,
        };
        let preview = cleaner.take_preview();
        let (table, report) = cleaner.finish(self.source);
        if table.is_empty() {
            return Err(LoadError::NothingKept(Box::new(report)));
        }
        Ok(Loaded { table, report, preview })
    }
}

/// Loads a whole in-memory source (tests, small files).
pub fn load_bytes(name: &str, bytes: &[u8], opts: LoadOptions) -> Result<Loaded, LoadError> {
    let mut l = Loader::new(name, opts);
    for chunk in bytes.chunks(1 << 20) {
        l.push(chunk)?;
    }
    l.finish()?.finish()
}

/// Streams a reader (the CLI's files) through the loader in 1 MiB pieces. Gzip is inflated on a
/// second thread, beside the parse (natively; WebAssembly has one thread).
pub fn load_reader(name: &str, r: impl Read + Send, opts: LoadOptions) -> Result<Loaded, LoadError> {
    load_reader_mapped(name, r, opts, None)
}

/// [`load_reader`] with the columns the user chose.
pub fn load_reader_mapped(
    name: &str,
    r: impl Read + Send,
    opts: LoadOptions,
    mapping: Option<&layout::Mapping>,
) -> Result<Loaded, LoadError> {
    load_reader_with(name, r, opts, mapping, &LoadFilter::default(), None)
}

/// [`load_reader_mapped`] keeping only the rows `filter` selects; `size` is the source's size in
/// bytes when known (a file's), from which the table's rows are reserved.
pub fn load_reader_with(
    name: &str,
    mut r: impl Read + Send,
    opts: LoadOptions,
    mapping: Option<&layout::Mapping>,
    filter: &LoadFilter,
    size: Option<u64>,
) -> Result<Loaded, LoadError> {
    let mut buf = vec![0u8; 1 << 20];
    let mut head = Vec::new();
    while head.len() < 2 {
        let n = read_some(&mut r, &mut buf)?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    if cfg!(not(target_arch = "wasm32")) && head.starts_with(&[0x1f, 0x8b]) {
        return load_gzip_beside(name, head, r, opts, mapping, filter);
    }
    let mut l = Loader::new(name, opts).with_mapping(mapping.cloned()).with_filter(filter.clone());
    if let Some(size) = size {
        l = l.with_size_hint(size);
    }
    l.push(&head)?;
    loop {
        let n = read_some(&mut r, &mut buf)?;
        if n == 0 {
            break;
        }
        l.push(&buf[..n])?;
    }
    l.finish()?.finish()
}

fn read_some(r: &mut impl Read, buf: &mut [u8]) -> Result<usize, LoadError> {
    loop {
        match r.read(buf) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(LoadError::Io(e.to_string())),
        }
    }
}

/// Inflates on a scoped thread and parses here; a few pieces in flight bound the memory.
fn load_gzip_beside(
    name: &str,
    head: Vec<u8>,
    mut r: impl Read + Send,
    opts: LoadOptions,
    mapping: Option<&layout::Mapping>,
    filter: &LoadFilter,
) -> Result<Loaded, LoadError> {
    type Piece = Result<(u64, Vec<u8>), LoadError>;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Piece>(4);
    let mut l = Loader::inflated(name, opts).with_mapping(mapping.cloned()).with_filter(filter.clone());
    let parsed = std::thread::scope(|s| {
        s.spawn(move || {
            let mut inflater = Inflater::new(opts.max_decompressed_bytes);
            // Sends what `chunk` inflates to; false once there is no point going on (the
            // stream is bad, or the parse stopped and its error is the one reported).
            let mut inflate = |chunk: &[u8]| {
                let piece = inflater.push(chunk).map(|out| (chunk.len() as u64, out));
                let failed = piece.is_err();
                tx.send(piece).is_ok() && !failed
            };
            if !inflate(&head) {
                return;
            }
            let mut buf = vec![0u8; 1 << 20];
            loop {
                match read_some(&mut r, &mut buf) {
                    Ok(0) => break,
                    Ok(n) if inflate(&buf[..n]) => {}
                    Ok(_) => return,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                }
            }
            let _ = tx.send(inflater.finish().map(|out| (0, out)));
        });
        // The receiver is dropped on an error, which ends the inflating thread.
        for piece in rx {
            let (compressed, csv) = piece?;
            l.push_inflated(compressed, &csv)?;
        }
        Ok::<(), LoadError>(())
    });
    parsed?;
    l.finish()?.finish()
}

/// Rows of first values a [`layout::Preview`] shows, each value cut to [`PREVIEW_CHARS`]: a
/// record may be a megabyte, and the preview travels to the page and is drawn there.
const PREVIEW_ROWS: usize = 3;
const PREVIEW_CHARS: usize = 120;

/// The first rows as the column mapper shows them: a few, each value cut short.
pub(crate) fn preview_samples(rows: &[Vec<String>]) -> Vec<Vec<String>> {
    rows.iter()
        .take(PREVIEW_ROWS)
        .map(|r| r.iter().map(|v| v.chars().take(PREVIEW_CHARS).collect()).collect())
        .collect()
}

/// The error of a source whose roles were not all found, with what the column mapper shows: every
/// column, a few rows, the roles guessed.
pub(crate) fn wrong_schema(header: &[String], samples: Vec<Vec<String>>, m: layout::Missing) -> LoadError {
    let shown: Vec<&str> = header.iter().take(12).map(String::as_str).collect();
    let more = if header.len() > 12 { format!(", … ({} in all)", header.len()) } else { String::new() };
    let preview = layout::Preview {
        samples,
        roles: m.guessed.iter().map(|(r, &i)| (*r, header[i].clone())).collect(),
        headers: header.to_vec(),
    };
    LoadError::WrongSchema {
        missing: m.roles,
        found: format!("{}{more}", shown.join(", ")),
        preview: Some(Box::new(preview)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    const CSV: &[u8] = b"ID,Date,Primary Type,Latitude,Longitude\n\
        1,01/02/2017 10:00:00 AM,THEFT,41.9,-87.7\n\
        2,01/02/2017 11:00:00 AM,BATTERY,41.8,-87.6\n";

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn plain_and_gzip_csv_give_the_same_report() {
        let a = load_bytes("a.csv", CSV, LoadOptions::default()).unwrap();
        let b = load_bytes("a.csv.gz", &gz(CSV), LoadOptions::default()).unwrap();
        assert_eq!(a.report.source.format, "csv");
        assert_eq!(b.report.source.format, "csv.gz");
        assert!(a.table.same_rows(&b.table));
        assert_eq!(a.report.rows_clean, 2);
    }

    #[test]
    fn inflating_beside_the_parse_gives_the_same_table_and_errors() {
        let big = CSV.repeat(3000);
        let a = load_bytes("a.csv.gz", &gz(&big), LoadOptions::default()).unwrap();
        let b = load_reader("a.csv.gz", &gz(&big)[..], LoadOptions::default()).unwrap();
        assert!(a.table.same_rows(&b.table));
        assert_eq!(a.report, b.report);
        let z = gz(&big);
        let cut = load_reader("t.csv.gz", &z[..z.len() / 2], LoadOptions::default()).unwrap_err();
        assert_eq!(cut.kind(), "truncated", "{cut}");
        let opts = LoadOptions { max_decompressed_bytes: 10_000, ..Default::default() };
        assert_eq!(load_reader("b.gz", &z[..], opts).unwrap_err().kind(), "too_large");
        let wrong = gz(b"a,b\n1,2\n");
        assert_eq!(
            load_reader("w.gz", &wrong[..], LoadOptions::default()).unwrap_err().kind(),
            "wrong_schema"
        );
        assert_eq!(load_reader("e", &b""[..], LoadOptions::default()).unwrap_err(), LoadError::Empty);
    }

    #[test]
    fn truncated_gzip_is_reported_as_incomplete() {
        let z = gz(&CSV.repeat(200));
        let err = load_bytes("t.csv.gz", &z[..z.len() / 2], LoadOptions::default()).unwrap_err();
        assert_eq!(err.kind(), "truncated", "{err}");
    }

    #[test]
    fn gzip_bomb_stops_at_the_limit() {
        let mut big = CSV.to_vec();
        big.extend(std::iter::repeat_n(b'\n', 4 << 20));
        let opts = LoadOptions { max_decompressed_bytes: 1 << 20, ..Default::default() };
        let err = load_bytes("bomb.gz", &gz(&big), opts).unwrap_err();
        assert_eq!(err.kind(), "too_large", "{err}");
    }

    #[test]
    fn corrupted_gzip_is_malformed() {
        let mut z = gz(&CSV.repeat(50));
        for b in z.iter_mut().skip(20).take(40) {
            *b ^= 0x5a;
        }
        let err = load_bytes("c.gz", &z, LoadOptions::default()).unwrap_err();
        assert!(matches!(err.kind(), "malformed" | "truncated"), "{err}");
    }

    #[test]
    fn empty_and_whitespace_files() {
        assert_eq!(load_bytes("e", b"", LoadOptions::default()).unwrap_err(), LoadError::Empty);
        assert_eq!(load_bytes("e", b" \n", LoadOptions::default()).unwrap_err(), LoadError::Empty);
    }

    /// Ten rows of an export, `row(r)` each, under `head` (which may hold title lines).
    fn export(head: &str, row: impl Fn(usize) -> String) -> Vec<u8> {
        let mut text = head.to_owned();
        for r in 0..10 {
            text.push_str(&row(r));
            text.push('\n');
        }
        text.into_bytes()
    }

    const KINDS: [&str; 5] = ["THEFT", "BATTERY", "ROBBERY", "ASSAULT", "FRAUD"];

    #[test]
    fn title_lines_above_the_header_are_passed_over() {
        let head = "Springfield Police Department,,,,\nIncident Listing by Date: 02/26/2016 - 12/31/2017,,,,\n,,,,\n\
                    Incident Number,Date/Time Occurred,Offense Description,Lat,Long\n";
        let csv =
            export(head, |r| format!("{},02/2{r}/2016 0{r}:36,{},41.7{r}4,-87.6{r}8", 100 + r, KINDS[r % 5]));
        let l = load_bytes("t.csv", &csv, LoadOptions::default()).unwrap();
        assert_eq!((l.report.rows_read, l.report.rows_clean), (10, 10));
        assert_eq!(l.report.columns["type"], "Offense Description");
    }

    #[test]
    fn degrees_with_a_decimal_comma_are_read() {
        // Excel in much of Europe: `;` between fields, a comma before the decimals.
        let head = "Case Number;Date;Offense;Address;Latitude;Longitude\n";
        let csv = export(head, |r| {
            format!("HZ{r};26/02/2016 0{r}:36;{};060XX S PRAIRIE AVE;41,78{r}896;-87,61{r}974", KINDS[r % 5])
        });
        let l = load_bytes("eu.csv", &csv, LoadOptions::default()).unwrap();
        assert_eq!(l.report.rows_clean, 10);
        assert!((l.table.latitude.get(3) - 41.783896).abs() < 1e-9);
        assert!((l.table.longitude.get(3) + 87.613974).abs() < 1e-9);
    }

    #[test]
    fn months_alone_are_dated_the_first_of_the_month() {
        // police.uk: `Month` = `2024-03`, degrees, `Crime type`.
        let head = "Crime ID,Month,Reported by,Longitude,Latitude,Location,Crime type\n";
        let csv = export(head, |r| {
            format!("ab{r},2024-0{},Met,-0.05{r}9,51.45{r}9,On or near High St,{}", 1 + r % 3, KINDS[r % 5])
        });
        let l = load_bytes("uk.csv", &csv, LoadOptions::default()).unwrap();
        assert_eq!(l.report.rows_clean, 10);
        assert_eq!(l.report.date_min.as_deref(), Some("2024-01-01T00:00:00"));
    }

    #[test]
    fn bigquerys_copy_of_the_portal_keeps_its_wall_clock() {
        // `bigquery-public-data.chicago_crime`: the portal's columns, its local times labelled UTC.
        let head =
            "unique_key,case_number,date,block,iucr,primary_type,description,fbi_code,latitude,longitude\n";
        let csv = export(head, |r| {
            format!(
                "{r},JA{r},2016-02-2{r} 0{r}:36:00 UTC,001XX W MADISON ST,0820,{},X,06,41.7{r}4,-87.6{r}8",
                KINDS[r % 5]
            )
        });
        let l = load_bytes("bq.csv", &csv, LoadOptions::default()).unwrap();
        assert_eq!(l.report.rows_clean, 10);
        assert_eq!(l.report.date_min.as_deref(), Some("2016-02-20T00:36:00"));
        assert_eq!(l.report.time_zone, None);
    }

    #[test]
    fn header_only_is_an_error_so_the_previous_dataset_stays() {
        let err = load_bytes("h", b"Date,Primary Type,Location\n", LoadOptions::default()).unwrap_err();
        assert_eq!(err.kind(), "nothing_kept");
        assert!(err.to_string().contains("no data rows"), "{err}");
    }

    #[test]
    fn all_rows_unusable_is_an_error_with_the_report() {
        let err = load_bytes(
            "x",
            b"Date,Primary Type,Location\nsoon,THEFT,\"(41.9, -87.7)\"\n",
            LoadOptions::default(),
        )
        .unwrap_err();
        let LoadError::NothingKept(r) = &err else { panic!("{err:?}") };
        assert_eq!(r.dropped["unparsable_date"], 1);
        assert!(err.to_string().contains("date not readable"), "{err}");
    }

    #[test]
    fn sizes_that_cannot_fit_are_refused_up_front() {
        let o = LoadOptions::default();
        assert!(o.check_size(None, 100 << 20).is_ok());
        // The portal's whole history: 8.3 M rows, ~2 GB of CSV, ~400 MB gzipped.
        assert!(o.check_size(Some(Format::Csv), 2 << 30).is_ok());
        assert!(o.check_size(Some(Format::GzipCsv), 400 << 20).is_ok());
        assert_eq!(o.check_size(None, 8 << 30).unwrap_err().kind(), "too_large");
        assert!(o.check_size(Some(Format::GzipCsv), 2 << 30).is_err());
        assert!(o.check_size(Some(Format::Parquet), 2 << 30).is_err());
        let m = o.check_size(None, 8 << 30).unwrap_err().to_string();
        assert!(m.contains("Load only") && m.contains("--load-since") && m.contains("1,536 MB"), "{m}");
        // With a load filter a text file of any size is streamed: the rows kept may fit.
        let f = LoadOptions { filtered: true, ..o };
        assert!(f.check_size(None, 8 << 30).is_ok() && f.check_size(Some(Format::GzipCsv), 2 << 30).is_ok());
        assert!(f.check_size(Some(Format::Parquet), 2 << 30).is_err());
    }

    #[test]
    fn truncated_parquet_is_reported() {
        let err = load_bytes("p.parquet", b"PAR1\x15\x04garbage", LoadOptions::default()).unwrap_err();
        assert_eq!(err.kind(), "malformed", "{err}");
        assert!(err.to_string().contains("Parquet"), "{err}");
    }

    /// A Parquet file of typed columns, as pyarrow or DuckDB would write another city's export.
    fn parquet_of(columns: Vec<(&str, arrow::array::ArrayRef)>) -> Vec<u8> {
        let batch = arrow::array::RecordBatch::try_from_iter(columns).unwrap();
        let mut out = Vec::new();
        let mut w = ::parquet::arrow::ArrowWriter::try_new(&mut out, batch.schema(), None).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
        out
    }

    fn city_parquet(names: [&str; 4]) -> Vec<u8> {
        use arrow::array::{Float64Array, StringArray, TimestampSecondArray};
        use std::sync::Arc;
        let n = 30;
        // 2021-03-01 00:00 UTC plus i hours.
        let when: Vec<i64> = (0..n).map(|i| 1_614_556_800 + i * 3600).collect();
        let kind: Vec<&str> =
            (0..n).map(|i| ["ROBBERY", "BURGLARY", "VEHICLE - STOLEN"][i as usize % 3]).collect();
        let lat: Vec<f64> = (0..n).map(|i| 34.05 + i as f64 * 1e-3).collect();
        let lon: Vec<f64> = (0..n).map(|i| -118.24 - i as f64 * 1e-3).collect();
        parquet_of(vec![
            (names[0], Arc::new(TimestampSecondArray::from(when)) as arrow::array::ArrayRef),
            (names[1], Arc::new(StringArray::from(kind))),
            (names[2], Arc::new(Float64Array::from(lat))),
            (names[3], Arc::new(Float64Array::from(lon))),
        ])
    }

    #[test]
    fn another_citys_parquet_has_its_layout_found_like_a_csv() {
        let bytes = city_parquet(["occurred_at", "offense_category", "lat", "lng"]);
        let l = load_bytes("la.parquet", &bytes, LoadOptions::default()).unwrap();
        assert_eq!(l.report.rows_clean, 30);
        assert_eq!(l.report.layout, "generic");
        assert_eq!(l.report.columns["type"], "offense_category");
        assert_eq!(l.report.columns["latitude"], "lat");
        assert!(!l.report.chicago);
        assert_eq!(l.report.date_min.as_deref(), Some("2021-03-01T00:00:00"));
        assert_eq!(l.report.primary_type_counts.len(), 3);
    }

    #[test]
    fn a_parquet_of_unknown_names_asks_for_a_mapping_and_loads_with_one() {
        let bytes = city_parquet(["a", "b", "c", "d"]);
        let err = load_bytes("x.parquet", &bytes, LoadOptions::default()).unwrap_err();
        assert_eq!(err.kind(), "wrong_schema", "{err}");
        let LoadError::WrongSchema { preview: Some(p), .. } = &err else { panic!("no preview: {err}") };
        assert_eq!(p.headers, ["a", "b", "c", "d"]);
        assert_eq!(p.samples[0][1], "ROBBERY");
        let mapping = layout::Mapping {
            columns: [
                (layout::Role::Type, "b".to_owned()),
                (layout::Role::Latitude, "c".to_owned()),
                (layout::Role::Longitude, "d".to_owned()),
            ]
            .into_iter()
            .collect(),
            crs: None,
        };
        let l = load_reader_mapped("x.parquet", &bytes[..], LoadOptions::default(), Some(&mapping)).unwrap();
        assert_eq!(l.report.rows_clean, 30);
        assert_eq!(l.report.columns["date"], "a");
    }
}
