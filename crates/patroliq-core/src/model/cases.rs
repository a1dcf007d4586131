//! Case numbers in five bytes a row: a shape and a number.
//!
//! A case number is nearly always a short prefix and a serial (`JA123456`, `HZ100001`; other
//! portals' `2019-00012345`, `190100501`): unique per row, so a dictionary does not help, but
//! their *shapes* — the prefix and how many digits follow it — are few (Chicago's ~8.3 M case
//! numbers have a few dozen). A row stores its shape's code (a byte) and the serial, in one `u32`
//! while every serial fits 24 bits (up to seven digits: Chicago's have six), else in a byte and a
//! `u32`: 4 or 5 bytes instead of the 12 of the text and its end offset. Any value that does not
//! fit — a 256th shape, a prefix over 24 bytes — is kept as text, so every value reads back
//! exactly.

use compact_str::CompactString;
use rustc_hash::FxHashMap;

/// The shape code that marks a row kept as text: its number is the index into `literals`.
const LITERAL: u8 = u8::MAX;
/// A serial of up to nine digits fits a `u32`.
const MAX_DIGITS: usize = 9;

/// A prefix and the count of digits after it (leading zeros included).
type Shape = (CompactString, u8);

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseColumn {
    /// The shapes by code (at most 255: code 255 is [`LITERAL`]).
    shapes: Vec<Shape>,
    index: FxHashMap<Shape, u8>,
    /// The last shape pushed: consecutive rows nearly always share theirs.
    last: Option<u8>,
    rows: Rows,
    literals: Literals,
}

/// Each row's shape code and serial (for [`LITERAL`] rows, the literal's index).
#[derive(Debug, Clone)]
enum Rows {
    /// `code << 24 | serial`, while every serial is below 2²⁴.
    Packed(Vec<u32>),
    /// Once one is not.
    Split { code: Vec<u8>, serial: Vec<u32> },
}

/// Serials below this share a `u32` with their shape's code.
const PACKED_SERIALS: u32 = 1 << 24;

impl Default for Rows {
    fn default() -> Self {
        Rows::Packed(Vec::new())
    }
}

/// The same rows, however each side stores them.
impl PartialEq for Rows {
    fn eq(&self, other: &Rows) -> bool {
        self.len() == other.len() && (0..self.len()).all(|i| self.get(i) == other.get(i))
    }
}

impl Rows {
    #[inline]
    fn push(&mut self, code: u8, serial: u32) {
        if let Rows::Packed(v) = self {
            if serial < PACKED_SERIALS {
                v.push(u32::from(code) << 24 | serial);
                return;
            }
            let (code, serial) = v.iter().map(|&p| ((p >> 24) as u8, p % PACKED_SERIALS)).unzip();
            *self = Rows::Split { code, serial };
        }
        if let Rows::Split { code: c, serial: s } = self {
            c.push(code);
            s.push(serial);
        }
    }

    #[inline]
    fn get(&self, i: usize) -> (u8, u32) {
        match self {
            Rows::Packed(v) => ((v[i] >> 24) as u8, v[i] % PACKED_SERIALS),
            Rows::Split { code, serial } => (code[i], serial[i]),
        }
    }

    fn len(&self) -> usize {
        match self {
            Rows::Packed(v) => v.len(),
            Rows::Split { code, .. } => code.len(),
        }
    }

    /// Bytes a row takes.
    fn width(&self) -> usize {
        match self {
            Rows::Packed(_) => 4,
            Rows::Split { .. } => 5,
        }
    }

    fn capacity(&self) -> usize {
        match self {
            Rows::Packed(v) => v.capacity(),
            Rows::Split { code, .. } => code.capacity(),
        }
    }

    fn reserve_exact(&mut self, rows: usize) {
        match self {
            Rows::Packed(v) => v.reserve_exact(rows),
            Rows::Split { code, serial } => {
                code.reserve_exact(rows);
                serial.reserve_exact(rows);
            }
        }
    }

    fn shrink_to_fit(&mut self) {
        match self {
            Rows::Packed(v) => v.shrink_to_fit(),
            Rows::Split { code, serial } => {
                code.shrink_to_fit();
                serial.shrink_to_fit();
            }
        }
    }
}

/// Values that fit no shape, one byte buffer plus end offsets.
#[derive(Debug, Clone, Default, PartialEq)]
struct Literals {
    bytes: String,
    ends: Vec<u32>,
}

/// `s` as its prefix, digit count and serial: the longest run of at most nine ASCII digits at
/// its end is the serial.
fn split(s: &str) -> (&str, u8, u32) {
    let b = s.as_bytes();
    let mut i = b.len();
    while i > 0 && b.len() - i < MAX_DIGITS && b[i - 1].is_ascii_digit() {
        i -= 1;
    }
    let number = b[i..].iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'));
    (&s[..i], (b.len() - i) as u8, number)
}

impl CaseColumn {
    pub fn push(&mut self, s: &str) {
        let (prefix, digits, number) = split(s);
        match self.code(prefix, digits) {
            Some(c) => self.rows.push(c, number),
            None => {
                self.literals.bytes.push_str(s);
                self.literals.ends.push(self.literals.bytes.len() as u32);
                self.rows.push(LITERAL, self.literals.ends.len() as u32 - 1);
            }
        }
    }

    /// The code of the shape `(prefix, digits)`, added when new and there is room.
    fn code(&mut self, prefix: &str, digits: u8) -> Option<u8> {
        if let Some(c) = self.last {
            let (p, d) = &self.shapes[c as usize];
            if *d == digits && p == prefix {
                return Some(c);
            }
        }
        if prefix.len() > 24 {
            return None; // an inline key only: no heap string a row for text that fits no shape
        }
        let key = (CompactString::new(prefix), digits);
        let c = match self.index.get(&key) {
            Some(&c) => c,
            None if self.shapes.len() < LITERAL as usize => {
                let c = self.shapes.len() as u8;
                self.shapes.push(key.clone());
                self.index.insert(key, c);
                c
            }
            None => return None,
        };
        self.last = Some(c);
        Some(c)
    }

    /// Row `i`'s case number (no heap allocation up to 24 bytes, i.e. nearly always).
    pub fn get(&self, i: usize) -> CompactString {
        let (c, n) = self.rows.get(i);
        if c == LITERAL {
            let end = self.literals.ends[n as usize] as usize;
            let start = if n == 0 { 0 } else { self.literals.ends[n as usize - 1] as usize };
            return CompactString::new(&self.literals.bytes[start..end]);
        }
        let (prefix, digits) = &self.shapes[c as usize];
        let mut s = prefix.clone();
        let mut buf = [b'0'; MAX_DIGITS];
        let mut rest = n;
        for d in buf[..*digits as usize].iter_mut().rev() {
            *d = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        // ASCII digits only.
        s.push_str(std::str::from_utf8(&buf[..*digits as usize]).unwrap_or_default());
        s
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes in use (lengths, not capacities).
    pub(super) fn used_bytes(&self) -> usize {
        self.rows.len() * self.rows.width()
            + self.literals.bytes.len()
            + self.literals.ends.len() * 4
            + self.shapes.len() * 64
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.rows.capacity() * self.rows.width()
            + self.literals.bytes.capacity()
            + self.literals.ends.capacity() * 4
            + self.shapes.capacity() * 64
    }

    pub(super) fn reserve_exact(&mut self, rows: usize) {
        self.rows.reserve_exact(rows);
    }

    pub(super) fn shrink_to_fit(&mut self) {
        self.rows.shrink_to_fit();
        self.literals.bytes.shrink_to_fit();
        self.literals.ends.shrink_to_fit();
    }

    /// How many rows are kept as text (for tests and the benchmarks).
    pub fn literal_rows(&self) -> usize {
        self.literals.ends.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn read_back(values: &[String]) -> CaseColumn {
        let mut c = CaseColumn::default();
        values.iter().for_each(|v| c.push(v));
        assert_eq!(c.len(), values.len());
        for (i, v) in values.iter().enumerate() {
            assert_eq!(c.get(i), v.as_str(), "row {i}");
        }
        c
    }

    /// Portal-like values take a shape each; leading zeros, empty values, long serials, text
    /// with no digits and non-ASCII prefixes all read back as they were.
    #[test]
    fn case_numbers_read_back_exactly() {
        let values: Vec<String> = [
            "JA123456",
            "JA000001",
            "HZ100001",
            "",
            "2019-00012345",
            "190100501",
            "1234567890123",
            "A",
            "Ä12",
            "00",
            "0",
            "JA12345X",
            "  JB 1 ",
            "JA999999999",
            "JA9999999990",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let c = read_back(&values);
        assert_eq!(c.literal_rows(), 0);
        // Nine-digit serials do not fit beside their code.
        assert_eq!(c.rows.width(), 5);
        assert_eq!(split("JA012345"), ("JA", 6, 12_345));
        assert_eq!(split("JA012345"), ("JA", 6, 12_345));
        assert_eq!(split("1234567890123"), ("1234", 9, 567_890_123));
    }

    /// Serials of up to seven digits share a `u32` with their shape's code; the first longer one
    /// gives every row its two again, and each reads back as it was.
    #[test]
    fn serials_that_fit_24_bits_take_four_bytes_a_row() {
        let mut values: Vec<String> =
            (0..500).map(|i| format!("J{}{:06}", (b'A' + (i % 7) as u8) as char, i * 1999)).collect();
        values.push("".into());
        values.push("HZ9999999".into());
        let mut c = read_back(&values);
        assert_eq!((c.rows.width(), c.used_bytes() - c.shapes.len() * 64), (4, 4 * 502));
        let mut all = values.clone();
        for v in ["2019-16777215", "2019-16777216", "JC000123"] {
            c.push(v);
            all.push(v.into());
        }
        assert_eq!(c.rows.width(), 5);
        for (i, v) in all.iter().enumerate() {
            assert_eq!(c.get(i), v.as_str(), "row {i}");
        }
        assert_eq!(c, read_back(&all));
    }

    /// Past 255 shapes, and for prefixes over 24 bytes, the values are kept as text — still
    /// read back exactly, between rows of shapes.
    #[test]
    fn values_of_no_shape_are_kept_as_text() {
        let mut rng = ChaCha8Rng::seed_from_u64(38);
        let alphabet: Vec<char> = "AZ09-_ é".chars().collect();
        let mut values: Vec<String> = (0..3_000)
            .map(|i| match i % 3 {
                0 => format!("JA{:06}", rng.gen_range(0..1_000_000)),
                1 => (0..rng.gen_range(0..12)).map(|_| alphabet[rng.gen_range(0..alphabet.len())]).collect(),
                _ => format!("{}{}", "P".repeat(rng.gen_range(1..40)), rng.gen_range(0..100)),
            })
            .collect();
        values.push("X".repeat(30) + "1");
        let c = read_back(&values);
        assert!(c.literal_rows() > 0);
        assert_eq!(c.shapes.len(), 255);
    }
}
