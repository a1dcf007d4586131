//! CSV bytes pushed in chunks of any size → whole records, each handed on as soon as it is
//! complete.
//!
//! Two lanes give the same records for any chunking:
//! - most lines of a crime export are plain: quotes, if any, only around whole fields (the
//!   portal's `"(41.9, -87.7)"`), none doubled, no newline inside one. Those are split where they
//!   lie in the pushed chunk by `memchr` (SIMD natively and in WebAssembly), their fields
//!   borrowed, not copied ([`Splitter::plain_lines`]);
//! - `csv-core`'s byte-at-a-time state machine reads the rest: a quoted field holding a newline
//!   or a doubled quote, a stray quote, a bare carriage return, text that is not UTF-8, and the
//!   cut-off line at the end of each chunk, which it carries into the next.
//!
//! The plain lane reads only between records, when a line is a whole record. `csv-core` was four
//! tenths of a CSV load's time; no maintained crate splits a pushed stream with SIMD
//! (`simd-csv` reads from `io::Read` and has no WebAssembly lanes), hence this file.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};
use memchr::{memchr, memchr2};

use super::LoadError;
use crate::clean::parse::Value;
use crate::clean::SourceRow;

/// A record longer than this is not a crime record: most likely an unbalanced quote that swallowed
/// the rest of the file, or a binary file.
pub(crate) const MAX_RECORD_BYTES: usize = 1 << 20;

/// Fields a record may have (more is not a crime-records CSV).
pub(crate) const MAX_FIELDS: usize = 4096;

/// One record: its fields are `text[a..b]` for each span.
pub(crate) struct Record<'a> {
    pub text: &'a str,
    pub spans: &'a [(usize, usize)],
    /// The record's bytes were not UTF-8 and were read as Latin-1 (Windows exports).
    pub latin1: bool,
}

impl Record<'_> {
    /// The record's size in the source, near enough: its fields' bytes and one a field.
    pub fn bytes(&self) -> usize {
        self.spans.iter().map(|(a, b)| b - a + 1).sum()
    }
}

impl SourceRow for Record<'_> {
    fn len(&self) -> usize {
        self.spans.len()
    }
    fn field(&self, i: usize) -> Value<'_> {
        let (a, b) = self.spans[i];
        Value::Text(&self.text[a..b])
    }
}

pub(crate) struct Splitter {
    reader: Reader,
    delimiter: u8,
    out: Vec<u8>,
    out_len: usize,
    ends: Vec<usize>,
    ends_len: usize,
    decoded: String,
    fields: Vec<(usize, usize)>,
    /// `csv-core` has read part of a record: the next bytes are its until the record ends.
    mid_record: bool,
    records: u64,
    /// Of which read by the plain lane.
    plain: u64,
    /// Bytes the plain lane searched for a newline (a test holds it linear in the input).
    searched: u64,
}

impl Splitter {
    pub fn new(delimiter: u8) -> Self {
        Splitter {
            reader: ReaderBuilder::new().delimiter(delimiter).build(),
            delimiter,
            out: vec![0; 64 * 1024],
            out_len: 0,
            ends: vec![0; 64],
            ends_len: 0,
            decoded: String::new(),
            fields: Vec::new(),
            mid_record: false,
            records: 0,
            plain: 0,
            searched: 0,
        }
    }

    /// Splits `input` and hands each whole record to `each`; with `at_end`, also the last
    /// record, when the input does not end with a newline. Stops at `each`'s first error.
    pub fn push<F>(&mut self, mut input: &[u8], at_end: bool, each: &mut F) -> Result<(), LoadError>
    where
        F: FnMut(&Record<'_>) -> Result<(), LoadError>,
    {
        // Bytes of this chunk before which `csv-core` reads: the end of the line the plain lane
        // last stopped at, or the chunk's end when it found no newline. Without it a file of
        // records ended by bare CRs would have the rest of the chunk searched for a newline after
        // each record — quadratic.
        let (len, mut slow_until) = (input.len(), 0);
        loop {
            let at = len - input.len();
            if !self.mid_record && !input.is_empty() && at >= slow_until {
                let (n, stop) = self.plain_lines(input, each)?;
                slow_until = at + stop;
                input = &input[n..];
            }
            let (res, nin, nout, nend) = self.reader.read_record(
                input,
                &mut self.out[self.out_len..],
                &mut self.ends[self.ends_len..],
            );
            input = &input[nin..];
            self.out_len += nout;
            self.ends_len += nend;
            if nin > 0 || !matches!(res, ReadRecordResult::InputEmpty) {
                self.mid_record = !matches!(res, ReadRecordResult::Record | ReadRecordResult::End);
            }
            match res {
                ReadRecordResult::InputEmpty => {
                    if !at_end {
                        return Ok(());
                    }
                }
                ReadRecordResult::OutputFull => {
                    if self.out.len() >= MAX_RECORD_BYTES {
                        return Err(LoadError::Malformed(format!(
                            "a record after row {} is longer than 1 MB: the file is not a crime-records \
                             CSV, or a quote (\") is never closed",
                            self.records.saturating_sub(1)
                        )));
                    }
                    let n = self.out.len() * 2;
                    self.out.resize(n, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    if self.ends.len() >= MAX_FIELDS {
                        return Err(LoadError::Malformed(
                            "a record has more than 4,096 fields: not a crime-records CSV".into(),
                        ));
                    }
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                ReadRecordResult::Record => {
                    let (out_len, ends_len) = (self.out_len, self.ends_len);
                    self.out_len = 0;
                    self.ends_len = 0;
                    self.record(out_len, ends_len, each)?;
                }
                ReadRecordResult::End => return Ok(()),
            }
        }
    }

    /// A record `csv-core` read into `out` and `ends`.
    fn record<F>(&mut self, out_len: usize, ends_len: usize, each: &mut F) -> Result<(), LoadError>
    where
        F: FnMut(&Record<'_>) -> Result<(), LoadError>,
    {
        let bytes = &self.out[..out_len];
        let ends = &self.ends[..ends_len];
        // A blank line between records is not a row.
        if ends.len() == 1 && ends[0] == 0 {
            return Ok(());
        }
        // Text that is not UTF-8 is read as Latin-1, never rejected. The fields arrive joined
        // without their delimiters, so each must be UTF-8 on its own: two invalid fields can join
        // into a valid character (`D\xC8` and `\x8C` make `DȌ`), and a field would then end
        // inside it.
        let utf8 = std::str::from_utf8(bytes).ok().filter(|s| ends.iter().all(|&e| s.is_char_boundary(e)));
        let latin1 = utf8.is_none();
        self.fields.clear();
        let mut start = 0;
        if latin1 {
            self.decoded.clear();
            for &end in ends {
                let s = self.decoded.len();
                self.decoded.extend(bytes[start..end].iter().map(|&b| b as char));
                self.fields.push((s, self.decoded.len()));
                start = end;
            }
        } else {
            for &end in ends {
                self.fields.push((start, end));
                start = end;
            }
        }
        let text: &str = utf8.unwrap_or(&self.decoded);
        self.records += 1;
        each(&Record { text, spans: &self.fields, latin1 })
    }

    /// Reads the whole lines at the start of `input` that `csv-core` would read alike — valid
    /// UTF-8, of a record's size, no carriage return but the one of a CRLF, quotes only around
    /// whole fields and none doubled — splitting them in place; returns the bytes read. Stops at
    /// the first other line, or the cut-off last one, for `csv-core`; and where that line ends
    /// (past its newline, or at the end of `input`).
    fn plain_lines<F>(&mut self, input: &[u8], each: &mut F) -> Result<(usize, usize), LoadError>
    where
        F: FnMut(&Record<'_>) -> Result<(), LoadError>,
    {
        let mut pos = 0;
        loop {
            let found = memchr(b'\n', &input[pos..]);
            self.searched += found.map_or(input.len() - pos, |n| n + 1) as u64;
            let Some(n) = found else { return Ok((pos, input.len())) };
            let end = pos + n;
            let mut line = &input[pos..end];
            if let [rest @ .., b'\r'] = line {
                line = rest;
            }
            // The delimiter and quote are ASCII, so a line of valid UTF-8 cuts into fields of
            // valid UTF-8.
            let text = (line.len() < MAX_RECORD_BYTES && memchr(b'\r', line).is_none())
                .then(|| std::str::from_utf8(line).ok())
                .flatten()
                .filter(|_| split_line(line, self.delimiter, &mut self.fields));
            let Some(text) = text else { return Ok((pos, end + 1)) };
            pos = end + 1;
            // A blank line (or one empty field) is not a row: `record` drops it too.
            if let [(a, b)] = self.fields[..] {
                if a == b {
                    continue;
                }
            }
            self.records += 1;
            self.plain += 1;
            each(&Record { text, spans: &self.fields, latin1: false })?;
        }
    }
}

/// The fields of one line into `fields`, each unquoted (`"a, b"` → `a, b`); false if the line
/// needs `csv-core`: a quote inside a field or after a closing one (`a"b`, `"a""b"`, `"a"b`), an
/// unclosed quote (a field going on past the line), or more than [`MAX_FIELDS`] fields.
#[inline]
fn split_line(line: &[u8], delimiter: u8, fields: &mut Vec<(usize, usize)>) -> bool {
    fields.clear();
    let mut i = 0;
    loop {
        if fields.len() >= MAX_FIELDS {
            return false;
        }
        if line.get(i) == Some(&b'"') {
            let Some(q) = memchr(b'"', &line[i + 1..]) else { return false };
            let close = i + 1 + q;
            fields.push((i + 1, close));
            match line.get(close + 1) {
                None => return true,
                Some(&d) if d == delimiter => i = close + 2,
                Some(_) => return false,
            }
        } else {
            match memchr2(delimiter, b'"', &line[i..]) {
                None => {
                    fields.push((i, line.len()));
                    return true;
                }
                Some(k) if line[i + k] == delimiter => {
                    fields.push((i, i + k));
                    i += k + 1;
                }
                Some(_) => return false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    type Rows = Vec<(Vec<String>, bool)>;

    /// Every record, as owned fields and the Latin-1 flag.
    fn split(text: &[u8], delimiter: u8, chunk: usize) -> Result<Rows, LoadError> {
        split_counted(text, delimiter, chunk).map(|(rows, _)| rows)
    }

    /// And how many records the plain lane read.
    fn split_counted(text: &[u8], delimiter: u8, chunk: usize) -> Result<(Rows, u64), LoadError> {
        let mut s = Splitter::new(delimiter);
        let mut rows = Vec::new();
        let mut each = |r: &Record<'_>| {
            let text = |i| match r.field(i) {
                Value::Text(t) => t.to_owned(),
                v => panic!("{v:?}"),
            };
            rows.push(((0..r.len()).map(text).collect(), r.latin1));
            Ok(())
        };
        for c in text.chunks(chunk.max(1)) {
            s.push(c, false, &mut each)?;
        }
        s.push(&[], true, &mut each)?;
        Ok((rows, s.plain))
    }

    /// The same text through `csv-core` alone (the `csv` crate), blank records dropped as the
    /// splitter drops them; fields decoded as the splitter decodes them.
    fn reference(text: &[u8], delimiter: u8) -> Rows {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text);
        let mut rows = Vec::new();
        for rec in r.byte_records() {
            let rec = rec.unwrap();
            if rec.len() == 1 && rec[0].is_empty() {
                continue;
            }
            let joined: Vec<u8> = rec.iter().flatten().copied().collect();
            let utf8 =
                std::str::from_utf8(&joined).is_ok() && rec.iter().all(|f| std::str::from_utf8(f).is_ok());
            let fields = rec
                .iter()
                .map(|f| {
                    if utf8 {
                        String::from_utf8(f.to_vec()).unwrap()
                    } else {
                        f.iter().map(|&b| b as char).collect()
                    }
                })
                .collect();
            rows.push((fields, !utf8));
        }
        rows
    }

    #[test]
    fn both_lanes_give_csv_cores_records_for_any_chunking() {
        let text: &[u8] = b"ID,Block,Location\n\
            1,001XX W A ST,\"(41.9, -87.7)\"\n\
            2,\"001XX W \"\"B\"\" ST\",\"multi\nline\"\r\n\
            \n\
            3,12\" TV,x\r\n\
            4,bare\rcr,y\n\
            5,CAF\xc9 AVE,z\n\
            \r\n\
            6,D\xc8,\x8c\n\
            7,,\n\
            \"\"\n\
            9,\"\",\"a\"b,\"c\"\n\
            10, \"x\",\"\"\n\
            8,plain,last";
        let want = reference(text, b',');
        assert_eq!(want.len(), 12, "{want:?}");
        for chunk in [1, 2, 3, 5, 7, 13, 64, 10_000] {
            assert_eq!(split(text, b',', chunk).unwrap(), want, "chunk {chunk}");
        }
        // Whole: the header, records 1 and 7, and `cr,y` after the bare carriage return are plain.
        assert_eq!(split_counted(text, b',', 10_000).unwrap().1, 4);
    }

    #[test]
    fn generated_files_split_alike_in_both_lanes() {
        // Deterministic noise over the characters that steer the lanes.
        let alphabet: &[u8] = b"ab,,,\"\"\n\r\xc9;\t 1";
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for case in 0..300 {
            let len = 20 + case * 3;
            let text: Vec<u8> = (0..len).map(|_| alphabet[rng.gen_range(0..alphabet.len())]).collect();
            let want = reference(&text, b',');
            for chunk in [1, 4, 17, 4096] {
                assert_eq!(split(&text, b',', chunk).unwrap(), want, "case {case} chunk {chunk}: {text:?}");
            }
            let want = reference(&text, b';');
            assert_eq!(split(&text, b';', 9).unwrap(), want, "case {case} (;): {text:?}");
        }
    }

    #[test]
    fn records_ended_by_bare_carriage_returns_are_searched_once() {
        // Old Mac line ends: no newline at all, or one at the very end of the chunk.
        for tail in ["", "\n"] {
            let mut text = b"ID,Block\r".to_vec();
            for i in 0..20_000 {
                text.extend_from_slice(format!("{i},\"X\"\r").as_bytes());
            }
            text.extend_from_slice(tail.as_bytes());
            let mut s = Splitter::new(b',');
            let mut n = 0;
            s.push(&text, true, &mut |_: &Record<'_>| {
                n += 1;
                Ok(())
            })
            .unwrap();
            assert_eq!(n, 20_001);
            assert!(s.searched <= text.len() as u64, "{} bytes searched of {}", s.searched, text.len());
        }
    }

    #[test]
    fn a_long_plain_line_is_refused_like_a_long_quoted_one() {
        let mut text = b"a,b\n1,".to_vec();
        text.extend(std::iter::repeat_n(b'x', 2 << 20));
        text.push(b'\n');
        for chunk in [65_536, 8 << 20] {
            assert!(matches!(split(&text, b',', chunk), Err(LoadError::Malformed(_))), "chunk {chunk}");
        }
    }
}
