//! Field parsers for the portal's text and for typed Parquet values.
//!
//! The portal writes `12/31/2017 11:58:00 PM`, `true`/`false`, zero-padded codes ("0533", "005"),
//! integer State-Plane coordinates and `"(41.96, -87.71)"` locations; its SODA API writes ISO dates
//! (`2017-12-31T23:58:00.000`); pandas re-saves codes as floats ("5.0"). All of those parse here.

/// One source field, as the CSV or Parquet reader hands it over.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Null,
    Text(&'a str),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// Seconds since 1970-01-01 00:00, wall-clock time.
    Timestamp(i64),
}

/// A value that is present but cannot be read as the column's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid;

pub type Parsed<T> = Result<Option<T>, Invalid>;

impl<'a> Value<'a> {
    /// Empty text counts as missing, as in the portal's CSV (text columns and coordinates also
    /// take the words tools write for nothing as missing: [`missing_text`]).
    pub fn normalised(self) -> Value<'a> {
        match self {
            Value::Text(s) if trim(s).is_empty() => Value::Null,
            Value::Float(f) if f.is_nan() => Value::Null,
            v => v,
        }
    }

    pub fn as_text(self) -> Option<&'a str> {
        match self {
            Value::Text(s) => Some(trim(s)),
            _ => None,
        }
    }
}

/// Whether a trimmed field says "nothing": empty, or what databases, Power BI and Excel write
/// for a missing value (`NULL`, `(null)`, `(Blank)`, `N/A`, `#N/A`). Not `NA` or `NaN`, which
/// can be values (a code, a coordinate that is not a number).
#[inline]
pub fn missing_text(t: &str) -> bool {
    // By length first: this runs on every field, and nearly every field is longer than 7 bytes or
    // starts with a digit.
    match t.as_bytes() {
        [] => true,
        [b'(' | b'n' | b'N' | b'#', ..] if t.len() <= 7 => nothing_word(t),
        _ => false,
    }
}

#[cold]
#[inline(never)]
fn nothing_word(t: &str) -> bool {
    ["null", "(null)", "(blank)", "n/a", "#n/a"].iter().any(|n| t.eq_ignore_ascii_case(n))
}

/// `str::trim`, with a fast path for the usual field that starts and ends with a visible ASCII
/// character (a Unicode-aware trim of every field of every row was a tenth of the load's time).
#[inline]
pub fn trim(s: &str) -> &str {
    match s.as_bytes() {
        [a, .., b] | [a @ b] if a.is_ascii_graphic() && b.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// Parses the portal's `MM/DD/YYYY hh:mm:ss AM` (12- or 24-hour, seconds optional) and ISO
/// `YYYY-MM-DD[T ]hh:mm:ss[.fff][Z]` or a bare date. Returns seconds since the epoch, wall clock.
/// The two formats of a column whose format was not detected (typed sources, the portal's own
/// names); `crate::load::layout::dates` reads the others.
pub fn parse_datetime(s: &str) -> Option<i64> {
    use crate::load::layout::dates::DateFormat;
    [DateFormat::Mdy, DateFormat::Ymd].into_iter().find_map(|f| f.parse(s)).map(|st| st.wall)
}

/// Formats seconds since the epoch as ISO `YYYY-MM-DDThh:mm:ss` (wall clock, no zone).
pub fn format_datetime(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.naive_utc().format("%Y-%m-%dT%H:%M:%S").to_string())
        .unwrap_or_default()
}

pub fn datetime(v: Value<'_>) -> Parsed<i64> {
    match v.normalised() {
        Value::Null => Ok(None),
        Value::Text(s) => parse_datetime(s).map(Some).ok_or(Invalid),
        Value::Timestamp(t) => Ok(Some(t)),
        _ => Err(Invalid),
    }
}

pub fn boolean(v: Value<'_>) -> Parsed<bool> {
    match v.normalised() {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(b)),
        Value::Int(0) => Ok(Some(false)),
        Value::Int(1) => Ok(Some(true)),
        Value::Text(s) => {
            // Without allocating a lower-case copy: two of these a row.
            let s = trim(s);
            let is = |w: &str| s.eq_ignore_ascii_case(w);
            if ["true", "t", "y", "yes", "1"].into_iter().any(is) {
                Ok(Some(true))
            } else if ["false", "f", "n", "no", "0"].into_iter().any(is) {
                Ok(Some(false))
            } else {
                Err(Invalid)
            }
        }
        _ => Err(Invalid),
    }
}

pub fn float(v: Value<'_>) -> Parsed<f64> {
    match v.normalised() {
        Value::Null => Ok(None),
        Value::Float(f) => Ok(Some(f)),
        Value::Int(i) => Ok(Some(i as f64)),
        Value::Text(s) => trim(s).parse::<f64>().map(Some).map_err(|_| Invalid),
        _ => Err(Invalid),
    }
}

/// Integer codes: "0533" → 533, "5.0" → 5 (pandas), 5 → 5. Fractions are invalid.
pub fn integer(v: Value<'_>) -> Parsed<i64> {
    match v.normalised() {
        Value::Null => Ok(None),
        Value::Int(i) => Ok(Some(i)),
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Some(f as i64)),
        Value::Text(s) => {
            let s = trim(s);
            if let Ok(i) = s.parse::<i64>() {
                return Ok(Some(i));
            }
            integer(Value::Float(s.parse::<f64>().map_err(|_| Invalid)?))
        }
        _ => Err(Invalid),
    }
}

/// An integer code that must fit the column's range (beat 1..=9999, district 1..=99, ...).
pub fn code<T: TryFrom<i64>>(v: Value<'_>, max: i64) -> Parsed<T> {
    match integer(v)? {
        None => Ok(None),
        Some(i) if (0..=max).contains(&i) => T::try_from(i).map(Some).map_err(|_| Invalid),
        Some(_) => Err(Invalid),
    }
}

/// Crime-type labels: trimmed, upper case, single spaces; the portal's one known variant
/// ("NON - CRIMINAL" beside "NON-CRIMINAL") folded together. Returns whether anything changed.
pub fn normalise_label(s: &str, buf: &mut String) -> bool {
    buf.clear();
    // Most labels are already in the portal's form: upper case, single spaces, no " - ".
    // One pass over the bytes (this runs on every row).
    let plain = |b: &[u8]| {
        let (mut p1, mut p2) = (0u8, 0u8);
        for &c in b {
            let odd = c.is_ascii_lowercase()
                || !c.is_ascii()
                || (c.is_ascii_whitespace() && c != b' ')
                || (c == b' ' && (p1 == b' ' || (p1 == b'-' && p2 == b' ')));
            if odd {
                return false;
            }
            (p2, p1) = (p1, c);
        }
        true
    };
    if trim(s).len() == s.len() && plain(s.as_bytes()) {
        buf.push_str(s);
        return false;
    }
    for (i, w) in s.split_whitespace().enumerate() {
        if i > 0 {
            buf.push(' ');
        }
        // Accented letters too (`Méfait` → `MÉFAIT`); `ß` stays (its upper case is two letters).
        for c in w.chars() {
            match c.to_uppercase() {
                mut up if up.len() == 1 => buf.push(up.next().unwrap_or(c)),
                _ => buf.push(c),
            }
        }
    }
    if buf.contains(" - ") {
        *buf = buf.replace(" - ", "-");
    }
    buf != s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
        chrono::NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, s)
            .unwrap()
            .and_utc()
            .timestamp()
    }

    #[test]
    fn portal_dates_use_a_12_hour_clock() {
        assert_eq!(parse_datetime("12/31/2017 11:58:00 PM"), Some(ts(2017, 12, 31, 23, 58, 0)));
        assert_eq!(parse_datetime("01/01/2017 12:00:00 AM"), Some(ts(2017, 1, 1, 0, 0, 0)));
        assert_eq!(parse_datetime("01/01/2017 12:30:00 PM"), Some(ts(2017, 1, 1, 12, 30, 0)));
        assert_eq!(parse_datetime("1/2/2017 3:04 am"), Some(ts(2017, 1, 2, 3, 4, 0)));
        assert_eq!(parse_datetime("02/29/2016 13:15:00"), Some(ts(2016, 2, 29, 13, 15, 0)));
    }

    #[test]
    fn iso_dates_from_soda_and_parquet_text() {
        assert_eq!(parse_datetime("2017-12-31T23:58:00.000"), Some(ts(2017, 12, 31, 23, 58, 0)));
        assert_eq!(parse_datetime("2017-12-31 23:58:00"), Some(ts(2017, 12, 31, 23, 58, 0)));
        assert_eq!(parse_datetime("2017-12-31T23:58:00Z"), Some(ts(2017, 12, 31, 23, 58, 0)));
        assert_eq!(parse_datetime("2017-12-31"), Some(ts(2017, 12, 31, 0, 0, 0)));
        // Year first with slashes (San Francisco's export).
        assert_eq!(parse_datetime("2017/12/31"), Some(ts(2017, 12, 31, 0, 0, 0)));
    }

    #[test]
    fn impossible_dates_are_rejected() {
        for bad in [
            "",
            "02/30/2017 01:00:00 AM",
            "13/01/2017 01:00:00 AM",
            "01/01/2017 13:00:00 PM",
            "01/01/2017 00:00:00 AM",
            "01/01/2017 24:00:00",
            "yesterday",
            "31.12.2017 10:00",
            "01/01/17 10:00:00 AM",
        ] {
            assert_eq!(parse_datetime(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn formats_back_to_iso() {
        assert_eq!(format_datetime(ts(2016, 2, 26, 1, 20, 0)), "2016-02-26T01:20:00");
    }

    #[test]
    fn portal_booleans_and_codes() {
        assert_eq!(boolean(Value::Text("true")), Ok(Some(true)));
        assert_eq!(boolean(Value::Text("false")), Ok(Some(false)));
        assert_eq!(boolean(Value::Text("")), Ok(None));
        assert_eq!(boolean(Value::Text("maybe")), Err(Invalid));
        assert_eq!(code::<u16>(Value::Text("0533"), 9999), Ok(Some(533)));
        assert_eq!(code::<u8>(Value::Text("005"), 99), Ok(Some(5)));
        assert_eq!(code::<u8>(Value::Text("5.0"), 99), Ok(Some(5)));
        assert_eq!(code::<u8>(Value::Float(31.0), 99), Ok(Some(31)));
        assert_eq!(code::<u8>(Value::Text("5.5"), 99), Err(Invalid));
        assert_eq!(code::<u8>(Value::Text("300"), 99), Err(Invalid));
        assert_eq!(code::<u8>(Value::Float(f64::NAN), 99), Ok(None));
    }

    #[test]
    fn labels_are_folded() {
        use rand::{Rng, SeedableRng};
        use rand_chacha::ChaCha8Rng;

        let mut b = String::new();
        assert!(normalise_label("NON - CRIMINAL", &mut b));
        assert_eq!(b, "NON-CRIMINAL");
        assert!(!normalise_label("THEFT", &mut b));
        assert!(normalise_label(" theft ", &mut b));
        assert_eq!(b, "THEFT");
        // The one-pass check for a label already folded agrees with folding, on generated labels.
        assert!(normalise_label("Méfait ß", &mut b));
        assert_eq!(b, "MÉFAIT ß");
        let alphabet = ['A', 'b', ' ', '-', '\t', 'É', 'é', 'Z'];
        let upper = |w: &str| -> String {
            w.chars()
                .map(|c| if c.to_uppercase().count() == 1 { c.to_uppercase().next().unwrap() } else { c })
                .collect()
        };
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for _ in 0..50_000 {
            let len = rng.gen_range(1..8);
            let label: String = (0..len).map(|_| alphabet[rng.gen_range(0..alphabet.len())]).collect();
            let folded = label.split_whitespace().map(upper).collect::<Vec<_>>().join(" ");
            let folded = folded.replace(" - ", "-");
            assert_eq!(normalise_label(&label, &mut b), folded != label, "{label:?}");
            assert_eq!(b, folded, "{label:?}");
        }
    }
}
