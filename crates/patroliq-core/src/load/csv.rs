//! Push-based CSV reading with `csv-core`: bytes arrive in chunks of any size (a file slice, a
//! network packet, a gzip block) and whole records go to the cleaner as soon as they are complete.
//! Push-based, so the browser can read a file piece by piece, report progress and stop on cancel
//! without holding the whole text in memory. The records are split in `load/split.rs`.

use super::layout::{self, Mapping, SAMPLE_ROWS};
use super::split::{Record, Splitter};
use super::LoadError;
use crate::clean::parse::Value;
use crate::clean::Cleaner;

pub struct CsvSink {
    splitter: Splitter,
    bytes_seen: u64,
    rows: Rows,
}

/// Where the records go: the header and a sample until the layout is decided, then the cleaner.
struct Rows {
    cleaner: Option<Cleaner>,
    /// The header and the first rows, held until the layout is decided from them.
    header: Option<Vec<String>>,
    /// The sample's rows, and whether each was read as Latin-1.
    sample: Vec<Vec<String>>,
    sample_latin1: Vec<bool>,
    mapping: Option<Mapping>,
    filter: super::LoadFilter,
    /// The memory budget of the kept rows, in bytes.
    budget: u64,
    /// The source's size when known (a file), to reserve the table's rows once the sample tells
    /// the bytes a row takes; and the bytes of the sample's records.
    size_hint: Option<u64>,
    sample_bytes: u64,
}

impl CsvSink {
    /// A sink whose kept rows may use `budget` bytes ([`Cleaner::check_budget`]).
    pub fn new(budget: u64) -> Self {
        CsvSink {
            splitter: Splitter::new(b','),
            bytes_seen: 0,
            rows: Rows {
                cleaner: None,
                header: None,
                sample: Vec::new(),
                sample_latin1: Vec::new(),
                mapping: None,
                filter: Default::default(),
                budget,
                size_hint: None,
                sample_bytes: 0,
            },
        }
    }

    /// Columns chosen by the user, which win over detection.
    pub fn with_mapping(mut self, mapping: Option<Mapping>) -> Self {
        self.rows.mapping = mapping;
        self
    }

    /// Rows to keep ([`Cleaner::with_filter`]).
    pub fn with_filter(mut self, filter: super::LoadFilter) -> Self {
        self.rows.filter = filter;
        self
    }

    /// The source's size in bytes (uncompressed text), when known.
    pub fn with_size_hint(mut self, bytes: Option<u64>) -> Self {
        self.rows.size_hint = bytes;
        self
    }

    pub fn rows_read(&self) -> u64 {
        self.rows.cleaner.as_ref().map_or(self.rows.sample.len() as u64, Cleaner::rows_read)
    }

    /// Feeds more bytes (an empty chunk, which a network stream may deliver, changes nothing).
    pub fn push(&mut self, input: &[u8]) -> Result<(), LoadError> {
        if input.is_empty() {
            return Ok(());
        }
        if self.bytes_seen == 0 {
            sniff_text(input)?;
            let d = delimiter(input);
            if d != b',' {
                self.splitter = Splitter::new(d);
            }
        }
        self.bytes_seen += input.len() as u64;
        self.feed(input, false)
    }

    /// Runs the splitter over `input`; with `at_end`, also flushes the last record.
    fn feed(&mut self, input: &[u8], at_end: bool) -> Result<(), LoadError> {
        let rows = &mut self.rows;
        self.splitter.push(input, at_end, &mut |r: &Record<'_>| {
            if rows.cleaner.is_none() {
                rows.sample_bytes += r.bytes() as u64;
            }
            rows.take(r, r.latin1)
        })
    }

    /// One record of a source that is not CSV text (a JSON array, GeoJSON features): the first
    /// is the header.
    pub fn push_record(&mut self, fields: &[String]) -> Result<(), LoadError> {
        self.rows.take(fields, false)
    }

    /// Ends the input; returns the cleaner, or an error if there was not even a header.
    pub fn finish(mut self) -> Result<Cleaner, LoadError> {
        self.feed(&[], true)?;
        self.rows.finish()
    }
}

impl Rows {
    /// The header, a row held for the sample, or a row cleaned.
    fn take<R: crate::clean::SourceRow + ?Sized>(&mut self, row: &R, latin1: bool) -> Result<(), LoadError> {
        self.accept(row)?;
        self.sampled(latin1)
    }

    /// After a record: notes the Latin-1 flag of a row held for the sample (a cleaned row was
    /// noted by the cleaner), and decides the layout once the sample is full.
    fn sampled(&mut self, latin1: bool) -> Result<(), LoadError> {
        match &mut self.cleaner {
            Some(c) if latin1 => c.note_not_utf8(),
            Some(_) => {}
            None if self.sample.len() > self.sample_latin1.len() => {
                self.sample_latin1.push(latin1);
                if self.sample.len() >= SAMPLE_ROWS {
                    self.decide()?;
                }
            }
            None => {}
        }
        Ok(())
    }

    /// The header, a row held for the sample, or a row cleaned.
    fn accept<R: crate::clean::SourceRow + ?Sized>(&mut self, row: &R) -> Result<(), LoadError> {
        match &mut self.cleaner {
            None if self.header.is_none() => {
                let mut names: Vec<String> =
                    (0..row.len()).map(|i| row.field(i).as_text().unwrap_or("").to_owned()).collect();
                // Excel's BOM before the first name.
                if let Some(first) = names.first_mut() {
                    *first = first.trim_start_matches('\u{feff}').to_owned();
                }
                self.header = Some(names);
            }
            None => {
                let fields =
                    (0..row.len()).map(|i| row.field(i).as_text().unwrap_or("").to_owned()).collect();
                self.sample.push(fields);
            }
            Some(c) => {
                if c.rows_read() % BUDGET_EVERY == 0 {
                    c.check_budget()?;
                }
                c.push(row);
            }
        }
        Ok(())
    }

    /// Finds the layout from the header and the sample, then cleans the sample's rows.
    fn decide(&mut self) -> Result<(), LoadError> {
        let mut header = self.header.take().unwrap_or_default();
        let mut rows = std::mem::take(&mut self.sample);
        if let Some(at) = header_below_titles(&header, &rows) {
            let mut rest = rows.split_off(at);
            header = rest.remove(0);
            rows = rest;
            self.sample_latin1.drain(..=at);
        }
        let samples = super::preview_samples(&rows);
        let found = layout::detect(&header, &rows, self.mapping.as_ref())
            .map_err(|m| super::wrong_schema(&header, samples.clone(), m))?;
        // Kept for a load that succeeds too: the user may still want other columns (a more
        // detailed type column, the report's date rather than the occurrence's).
        let preview = layout::Preview { roles: found.columns.clone(), samples, headers: header };
        // Rows the whole source holds, from the bytes the sample's rows took.
        let expected = self.size_hint.filter(|_| !rows.is_empty()).map(|size| {
            let per_row = (self.sample_bytes as f64 / (rows.len() + 1) as f64).max(16.0);
            (size as f64 / per_row * 1.02) as u64
        });
        let mut cleaner = Cleaner::with_layout(found)
            .with_preview(preview)
            .with_filter(self.filter.clone())
            .with_budget(self.budget, expected);
        for (fields, latin1) in rows.iter().zip(std::mem::take(&mut self.sample_latin1)) {
            if latin1 {
                cleaner.note_not_utf8();
            }
            cleaner.push(fields.as_slice());
        }
        self.cleaner = Some(cleaner);
        Ok(())
    }

    /// The cleaner once the input has ended, or an error if there was not even a header.
    fn finish(mut self) -> Result<Cleaner, LoadError> {
        if self.cleaner.is_none() && self.header.is_some() {
            if self.sample.is_empty() {
                // A header and no rows: nothing to detect from; the usual "no data rows".
                // Named in the portal's way, that is "no data rows"; otherwise it is not a crime
                // file at all (a JSON document read as CSV is one long header).
                let header = self.header.take().unwrap_or_default();
                let map = crate::schema::ColumnMap::from_headers(header.iter().map(String::as_str));
                let missing = crate::schema::missing_required(&map);
                if !missing.is_empty() {
                    let found: Vec<&str> = header.iter().take(8).map(String::as_str).collect();
                    let missing = missing.into_iter().map(std::borrow::Cow::Borrowed).collect();
                    return Err(LoadError::WrongSchema { missing, found: found.join(", "), preview: None });
                }
                return Ok(Cleaner::new(map).with_filter(self.filter.clone()).with_budget(self.budget, None));
            }
            self.decide()?;
        }
        let cleaner = self.cleaner.ok_or(LoadError::Empty)?;
        cleaner.check_budget()?;
        Ok(cleaner)
    }
}

/// Where the header is when title lines sit above it (a records system's report: the agency's
/// name, the period, a blank line): the first of the sample's first rows that fills most of the
/// columns the rows fill, with no numbers in it. `None`: the first record is the header.
fn header_below_titles(first: &[String], rows: &[Vec<String>]) -> Option<usize> {
    let filled = |r: &[String]| r.iter().filter(|f| !f.trim().is_empty()).count();
    let width = rows.iter().take(50).map(|r| filled(r)).max()?;
    if width < 3 || filled(first) * 2 > width {
        return None;
    }
    rows.iter().take(20).position(|r| {
        filled(r) * 2 > width
            && r.iter().filter(|f| !f.trim().is_empty()).all(|f| f.trim().parse::<f64>().is_err())
    })
}

/// Rows between two checks of the memory budget (each is O(1), but not free).
const BUDGET_EVERY: u64 = 4096;

impl crate::clean::SourceRow for [String] {
    fn len(&self) -> usize {
        <[String]>::len(self)
    }
    fn field(&self, i: usize) -> Value<'_> {
        Value::Text(&self[i])
    }
}

/// The field separator of the header line: a comma unless the line has none and more of `;`
/// (Excel in much of Europe), tab or `|` (outside quotes).
pub(crate) fn delimiter(head: &[u8]) -> u8 {
    let line = head.split(|&b| b == b'\n').next().unwrap_or(head);
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for &b in line {
        match b {
            b'"' => quoted = !quoted,
            _ if quoted => {}
            b',' => counts[0] += 1,
            b';' => counts[1] += 1,
            b'\t' => counts[2] += 1,
            b'|' => counts[3] += 1,
            _ => {}
        }
    }
    let (best, n) =
        counts.iter().enumerate().max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i))).unwrap_or((0, &0));
    if counts[0] >= *n || *n == 0 {
        b','
    } else {
        [b',', b';', b'\t', b'|'][best]
    }
}

/// Rejects binary content early, with a message that says what the file looks like.
fn sniff_text(head: &[u8]) -> Result<(), LoadError> {
    let head = &head[..head.len().min(4096)];
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        return Err(LoadError::Unsupported(
            "the file is UTF-16 text; save it as UTF-8 CSV and load it again".into(),
        ));
    }
    if head.starts_with(b"PK\x03\x04") {
        return Err(LoadError::Unsupported(
            "the file is a ZIP archive (or an Excel workbook); unzip it or export CSV".into(),
        ));
    }
    let controls =
        head.iter().filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))).count();
    if controls > 0 && controls * 100 > head.len() {
        return Err(LoadError::Unsupported(
            "the file is binary data, not CSV, gzip-compressed CSV or Parquet".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::SourceInfo;

    fn load_in_chunks(text: &[u8], chunk: usize) -> Result<crate::clean::CleaningReport, LoadError> {
        let mut sink = CsvSink::new(u64::MAX);
        for c in text.chunks(chunk.max(1)) {
            sink.push(c)?;
        }
        Ok(sink.finish()?.finish(SourceInfo::default()).1)
    }

    const CSV: &str = "ID,Case Number,Date,Block,Primary Type,Location Description,Latitude,Longitude\n\
        1,JA1,01/02/2017 10:00:00 AM,\"001XX W \"\"A\"\" ST\",THEFT,\"STREET, OR ALLEY\",41.9,-87.7\n\
        2,JA2,01/02/2017 11:00:00 AM,\"multi\nline\",BATTERY,STREET,41.8,-87.6\r\n\
        \n\
        3,JA3,01/03/2017 11:00:00 PM,X,THEFT,STREET,41.8,-87.6";

    #[test]
    fn quoted_commas_newlines_and_any_chunking() {
        for chunk in [1, 2, 3, 7, 64, 10_000] {
            let r = load_in_chunks(CSV.as_bytes(), chunk).unwrap();
            assert_eq!(r.rows_read, 3, "chunk {chunk}");
            assert_eq!(r.rows_clean, 3, "chunk {chunk}");
            assert_eq!(r.primary_types, 2);
        }
    }

    #[test]
    fn semicolon_tab_and_pipe_separated_files_read_like_commas() {
        for sep in [";", "\t", "|"] {
            let text = CSV.replace(',', sep).replace("STREET; OR ALLEY", "STREET, OR ALLEY");
            let r = load_in_chunks(text.as_bytes(), 7).unwrap();
            assert_eq!((r.rows_read, r.rows_clean), (3, 3), "{sep:?}: {:?}", r.dropped);
        }
        // Commas inside quotes do not make a semicolon file a comma one.
        assert_eq!(delimiter(b"\"a,b,c\";d;e\n"), b';');
        assert_eq!(delimiter(b"a,b;c,d\n"), b',');
    }

    #[test]
    fn latin1_text_is_read_not_rejected() {
        let mut bytes = b"Date,Primary Type,Block,Latitude,Longitude\n2017-01-01,THEFT,".to_vec();
        bytes.extend_from_slice(b"CAF\xc9 AVE,41.9,-87.7\n");
        let mut sink = CsvSink::new(u64::MAX);
        sink.push(&bytes).unwrap();
        let (t, r) = sink.finish().unwrap().finish(SourceInfo::default());
        assert_eq!(r.rows_clean, 1);
        assert_eq!(r.rows_not_utf8, 1);
        assert_eq!(t.block.get(0), "CAFÉ AVE");
    }

    #[test]
    fn wrong_columns_name_what_is_missing() {
        let err = load_in_chunks(b"name,colour\nbob,red\n", 100).unwrap_err();
        match err {
            LoadError::WrongSchema { missing, found, .. } => {
                assert!(missing.iter().any(|m| m == "a date (or date-time) column"), "{missing:?}");
                assert_eq!(found, "name, colour");
            }
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn an_unclosed_quote_is_reported_not_buffered_forever() {
        let mut text = b"Date,Primary Type,Latitude,Longitude\n2017-01-01,\"THEFT,41.9,-87.7\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', 2 << 20));
        assert!(matches!(load_in_chunks(&text, 65536), Err(LoadError::Malformed(_))));
    }

    #[test]
    fn binary_and_empty_inputs() {
        let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(matches!(load_in_chunks(&garbage, 512), Err(LoadError::Unsupported(_))));
        assert!(matches!(load_in_chunks(b"", 1), Err(LoadError::Empty)));
    }

    #[test]
    fn the_memory_budget_stops_a_huge_file_and_a_filter_lets_it_through() {
        let mut text = b"Date,Primary Type,Latitude,Longitude\n".to_vec();
        for i in 0..10_000 {
            let (day, kind) = if i % 10 == 0 { ("2016-06-01", "BURGLARY") } else { ("2017-01-01", "THEFT") };
            text.extend_from_slice(format!("{day},{kind},41.9,-87.7\n").as_bytes());
        }
        // 10,000 rows need ~900 kB; 200 kB hold about 2,000.
        let mut sink = CsvSink::new(200_000);
        let err = sink.push(&text).and_then(|_| sink.finish().map(|_| ())).unwrap_err();
        let LoadError::TooLarge(m) = &err else { panic!("{err:?}") };
        assert!(m.contains("rows of this file fit") && m.contains("--load-since"), "{m}");
        // The same budget holds the year 2016 (1,000 rows), and burglaries.
        for f in [
            super::super::LoadFilter::from_days(Some("2016-01-01"), Some("2016-12-31"), &[]).unwrap(),
            super::super::LoadFilter::from_days(None, None, &["burglary".into()]).unwrap(),
        ] {
            let mut sink = CsvSink::new(200_000).with_filter(f);
            sink.push(&text).unwrap();
            let (t, r) = sink.finish().unwrap().finish(Default::default());
            assert_eq!((t.len(), r.rows_filtered, r.rows_read), (1000, 9000, 10_000));
            assert!(r.filter.is_some() && r.table_budget_bytes == 200_000);
        }
    }
}
