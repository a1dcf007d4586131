//! Dates as exports write them: one format chosen per column from a sample, not guessed row by row.
//!
//! A column is read with the format that parses most of its sample ([`detect`]); a row that the
//! chosen format cannot read is tried with the others (a column re-saved by hand can mix two), and
//! the report counts rows per format. Times of day may sit in a column of their own ([`TimeFormat`],
//! e.g. LAPD's `TIME OCC` = `2000` for 20:00). Values with a UTC offset (`…Z`, `…+00`) are turned
//! into the data's local clock ([`Zone`]), and the report says so.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

/// The ways a date column is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum DateFormat {
    /// Month/day/4-digit year: the Chicago portal's `12/31/2017 11:58:00 PM`, `5/3/2016 23:40`.
    Mdy,
    /// Month/day/2-digit year, as Excel re-saves it: `5/3/16 23:40`.
    MdyShort,
    /// Day/month/year: `31/12/2017 23:58`.
    Dmy,
    /// Year first: ISO `2017-12-31T23:58:00.000`, `2018/12/01 12:25:00 AM`, with `Z` or an offset.
    Ymd,
    /// Excel serial day numbers: `44119` = 2020-10-15, a fraction is the time of day.
    ExcelSerial,
    /// The month as a word: `Feb 26, 2016 5:36 AM`, `26 February 2016 17:36`, Oracle's
    /// `26-FEB-16 05.36.00.000000000 AM`.
    MonthName,
    /// Seconds or milliseconds since 1970 UTC (ArcGIS services, JSON APIs): `1456486560000`.
    Epoch,
}

impl DateFormat {
    /// In order of preference when two read a sample equally well (`01/02/2017` is both).
    pub const ALL: [DateFormat; 7] = [
        DateFormat::Mdy,
        DateFormat::Ymd,
        DateFormat::MdyShort,
        DateFormat::Dmy,
        DateFormat::MonthName,
        DateFormat::ExcelSerial,
        DateFormat::Epoch,
    ];

    /// Bare numbers: read only in a column named as a date (a column of IDs is not dates).
    pub fn is_number(self) -> bool {
        matches!(self, DateFormat::ExcelSerial | DateFormat::Epoch)
    }

    /// How the report names it.
    pub fn label(self) -> &'static str {
        match self {
            DateFormat::Mdy => "MM/DD/YYYY",
            DateFormat::MdyShort => "M/D/YY",
            DateFormat::Dmy => "DD/MM/YYYY",
            DateFormat::Ymd => "YYYY-MM-DD",
            DateFormat::ExcelSerial => "Excel serial day",
            DateFormat::MonthName => "month name (Feb 26, 2016)",
            DateFormat::Epoch => "seconds or milliseconds since 1970 (UTC)",
        }
    }

    /// Wall-clock seconds since 1970 and the UTC offset written with it, if any.
    pub fn parse(self, s: &str) -> Option<Stamp> {
        let s = s.trim();
        if let Some(st) = self.parse_fixed(s.as_bytes()) {
            return Some(st);
        }
        self.parse_any(s)
    }

    /// The two layouts nearly every row of a large export has, read by position: the portal's
    /// `12/31/2017 11:58:00 PM` and ISO `2017-12-31T23:58:00[.000]` (SODA). The same stamp as
    /// [`DateFormat::parse_any`], which reads every other layout; `None` sends a value there.
    #[inline]
    fn parse_fixed(self, b: &[u8]) -> Option<Stamp> {
        let digits = |at: usize, n: usize| -> Option<u32> {
            b.get(at..at + n)?
                .iter()
                .try_fold(0, |v, &c| c.is_ascii_digit().then(|| v * 10 + u32::from(c - b'0')))
        };
        let (y, mo, d, h, mi, sec) = match (self, b.len()) {
            (DateFormat::Mdy, 22)
                if b[2] == b'/'
                    && b[5] == b'/'
                    && b[10] == b' '
                    && b[13] == b':'
                    && b[16] == b':'
                    && b[19] == b' ' =>
            {
                let pm = match (b[20].to_ascii_uppercase(), b[21].to_ascii_uppercase()) {
                    (b'A', b'M') => false,
                    (b'P', b'M') => true,
                    _ => return None,
                };
                let h = digits(11, 2).filter(|h| (1..=12).contains(h))?;
                let h = h % 12 + if pm { 12 } else { 0 };
                (digits(6, 4)?, digits(0, 2)?, digits(3, 2)?, h, digits(14, 2)?, digits(17, 2)?)
            }
            (DateFormat::Ymd, 19 | 23)
                if b[4] == b'-'
                    && b[7] == b'-'
                    && matches!(b[10], b'T' | b' ')
                    && b[13] == b':'
                    && b[16] == b':'
                    && (b.len() == 19 || b[19] == b'.' && digits(20, 3).is_some()) =>
            {
                (digits(0, 4)?, digits(5, 2)?, digits(8, 2)?, digits(11, 2)?, digits(14, 2)?, digits(17, 2)?)
            }
            _ => return None,
        };
        Some(Stamp { wall: epoch(y, mo, d, h, mi, sec)?, offset: None, has_time: true })
    }

    /// Any layout of the format, a trimmed value. Not inlined: [`DateFormat::parse`]'s fixed
    /// readers take nearly every row.
    #[inline(never)]
    fn parse_any(self, s: &str) -> Option<Stamp> {
        match self {
            DateFormat::ExcelSerial => return excel_serial(s),
            DateFormat::Epoch => return epoch_number(s),
            DateFormat::MonthName => return month_named(s),
            _ => {}
        }
        let (date, rest) = match s.find([' ', 'T']) {
            Some(i) => (&s[..i], s[i + 1..].trim()),
            None => (s, ""),
        };
        let sep = if date.contains('/') {
            '/'
        } else if date.contains('-') {
            '-'
        } else if date.contains('.') {
            '.'
        } else if self == DateFormat::Ymd && date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()) {
            // Compact `20160226` (ISO's basic form; mainframe and RMS extracts), its time
            // `053600`, `0536` or `05:36`.
            let (y, mo, d) = (num(&date[..4])?, num(&date[4..6])?, num(&date[6..])?);
            let (clock, offset) = split_offset(rest)?;
            let digits =
                |c: &str| c.len() <= 6 && c.len().is_multiple_of(2) && c.bytes().all(|b| b.is_ascii_digit());
            let (h, mi, sec) = match clock {
                "" => (0, 0, 0),
                c if c.len() >= 4 && digits(c) => {
                    (num(&c[..2])?, num(&c[2..4])?, c.get(4..).map_or(Some(0), num)?)
                }
                c => clock_of_day(c)?,
            };
            return Some(Stamp { wall: epoch(y, mo, d, h, mi, sec)?, offset, has_time: !clock.is_empty() });
        } else {
            return None;
        };
        let mut it = date.split(sep);
        let (a, b) = (it.next()?, it.next()?);
        // A month alone (police.uk's `2024-03`): its first day.
        let c = match it.next() {
            None if self == DateFormat::Ymd && a.len() == 4 && rest.is_empty() => "1",
            c => c?,
        };
        if it.next().is_some() {
            return None;
        }
        let (y, mo, d) = match self {
            DateFormat::Ymd if a.len() == 4 => (num(a)?, num(b)?, num(c)?),
            DateFormat::Mdy if c.len() == 4 && sep != '.' => (num(c)?, num(a)?, num(b)?),
            DateFormat::Dmy if c.len() == 4 => (num(c)?, num(b)?, num(a)?),
            // Two-digit years: 00–69 are 2000s, 70–99 the 1900s (Excel's own pivot is 30).
            DateFormat::MdyShort if c.len() == 2 && sep == '/' => {
                let yy = num(c)?;
                (if yy < 70 { 2000 + yy } else { 1900 + yy }, num(a)?, num(b)?)
            }
            _ => return None,
        };
        let (clock, offset) = split_offset(rest)?;
        let (h, mi, sec) = if clock.is_empty() { (0, 0, 0) } else { clock_of_day(clock)? };
        Some(Stamp { wall: epoch(y, mo, d, h, mi, sec)?, offset, has_time: !clock.is_empty() })
    }
}

/// A date read from a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Seconds since 1970-01-01 00:00 of the written wall clock.
    pub wall: i64,
    /// The UTC offset written after the time (`Z` = 0), in seconds east.
    pub offset: Option<i32>,
    /// Whether a time of day was written at all (a bare date is midnight).
    pub has_time: bool,
}

/// A time-of-day column beside a date column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum TimeFormat {
    /// `21:45:00`, `00:25`, `3:04 PM` (and `2145` among them).
    Clock,
    /// Hours and minutes as one number, unpadded: `2000` = 20:00, `100` = 01:00, `5` = 00:05.
    Hhmm,
    /// The hour alone, 0–23 (Houston's `RMSOccurrenceHour`, an "Occurrence Hour" column).
    Hour,
}

impl TimeFormat {
    pub fn label(self) -> &'static str {
        match self {
            TimeFormat::Clock => "hh:mm[:ss]",
            TimeFormat::Hhmm => "HHMM",
            TimeFormat::Hour => "hour (0–23)",
        }
    }

    /// Seconds after midnight (24:00, which some systems write for the midnight ending a day,
    /// is 86,400: the next day's first second).
    pub fn parse(self, s: &str) -> Option<i64> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("noon") || s.eq_ignore_ascii_case("12:00 noon") {
            return Some(12 * 3600);
        }
        if s.eq_ignore_ascii_case("midnight") || s.eq_ignore_ascii_case("12:00 midnight") {
            return Some(0);
        }
        match self {
            TimeFormat::Clock if s.contains(':') => {
                let (h, m, sec) = clock_of_day(s)?;
                Some(i64::from(h * 3600 + m * 60 + sec))
            }
            TimeFormat::Clock => match hour_h(s) {
                Some((h, m)) => Some(i64::from(h * 3600 + m * 60)),
                // A column re-keyed by hand can mix `14:05:00` and `1405`; three or four digits
                // are HHMM (one or two would be ambiguous).
                None if (3..=4).contains(&s.len()) => TimeFormat::Hhmm.parse(s),
                None => None,
            },
            TimeFormat::Hhmm => {
                let n: u32 = s.strip_suffix(".0").unwrap_or(s).parse().ok()?;
                let (h, m) = (n / 100, n % 100);
                (((h < 24 && m < 60) || n == 2400) && s.len() <= 6).then_some(i64::from(h * 3600 + m * 60))
            }
            TimeFormat::Hour => {
                let h: u32 = s.strip_suffix(".0").unwrap_or(s).parse().ok()?;
                (h < 24 && s.len() <= 4).then_some(i64::from(h * 3600))
            }
        }
    }
}

pub(crate) fn num(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(s.bytes().fold(0, |n, b| n * 10 + u32::from(b - b'0')))
}

pub(crate) fn epoch(y: u32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<i64> {
    if h > 23 || mi > 59 || s > 60 || !(1900..=2200).contains(&y) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(y as i32, mo, d)?;
    Some(date.and_hms_opt(h, mi, s.min(59))?.and_utc().timestamp())
}

/// Splits `12:25:00 AM+00` / `23:58:00.000Z` / `02:45:00+00:00` into the clock and the offset.
fn split_offset(rest: &str) -> Option<(&str, Option<i32>)> {
    if let Some(c) = rest.strip_suffix('Z').or_else(|| rest.strip_suffix('z')) {
        return Some((c.trim(), Some(0)));
    }
    // BigQuery's `2016-02-26 05:36:00 UTC`.
    for zone in [" UTC", " GMT"] {
        if let Some(c) = rest.strip_suffix(zone) {
            return Some((c.trim(), Some(0)));
        }
    }
    // An offset starts at the last '+' or '-' (a date has no sign left after splitting).
    let Some(i) = rest.rfind(['+', '-']) else { return Some((rest, None)) };
    let (clock, off) = (rest[..i].trim(), &rest[i..]);
    let sign = if off.starts_with('-') { -1 } else { 1 };
    let digits: String = off[1..].chars().filter(|c| *c != ':').collect();
    let (h, m) = match digits.len() {
        2 => (num(&digits)?, 0),
        4 => (num(&digits[..2])?, num(&digits[2..])?),
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    Some((clock, Some(sign * (h as i32 * 3600 + m as i32 * 60))))
}

/// The French (and Québec) clock: `05h36`, `5h`, `17 h 30` → (h, m).
fn hour_h(s: &str) -> Option<(u32, u32)> {
    let (h, m) = s.trim().split_once(['h', 'H'])?;
    let (h, m) = (h.trim(), m.trim());
    if !(1..=2).contains(&h.len()) || m.len() > 2 {
        return None;
    }
    let h = num(h).filter(|&h| h < 24)?;
    let m = if m.is_empty() { 0 } else { num(m).filter(|&m| m < 60)? };
    Some((h, m))
}

/// `hh:mm[:ss[.fff]][ AM|PM]` → (h, m, s); 12-hour clocks need the AM/PM.
fn clock_of_day(t: &str) -> Option<(u32, u32, u32)> {
    let t = t.trim();
    let (clock, meridiem) = match t.rsplit_once(' ') {
        Some((c, m)) => (c.trim(), Some(m.to_ascii_uppercase())),
        None => match t.len().checked_sub(2).filter(|&i| t.is_char_boundary(i)) {
            Some(i) if matches!(t[i..].to_ascii_uppercase().as_str(), "AM" | "PM") => {
                (t[..i].trim(), Some(t[i..].to_ascii_uppercase()))
            }
            _ => (t, None),
        },
    };
    let clock = clock.split('.').next()?;
    let mut it = clock.split(':');
    let h = num(it.next()?)?;
    let m = num(it.next()?)?;
    let s = match it.next() {
        Some(s) => num(s)?,
        None => 0,
    };
    if it.next().is_some() {
        return None;
    }
    let h = match meridiem.as_deref() {
        None => h,
        Some(m @ ("AM" | "PM")) if (1..=12).contains(&h) => h % 12 + if m == "PM" { 12 } else { 0 },
        Some(_) => return None,
    };
    Some((h, m, s))
}

/// Excel's day numbers (1900 date system): day 25569 is 1970-01-01; a fraction is the time of
/// day. Only plausible crime dates (1960–2100) are accepted, so a column of IDs is not a date.
fn excel_serial(s: &str) -> Option<Stamp> {
    let v: f64 = s.parse().ok()?;
    if !(21916.0..=73051.0).contains(&v) {
        return None;
    }
    let secs = ((v - 25569.0) * 86_400.0).round() as i64;
    Some(Stamp { wall: secs, offset: None, has_time: v.fract() != 0.0 })
}

/// Seconds or milliseconds since 1970 in UTC, for 1990–2100 only (by the digits' count a value
/// can only be one of the two there), so a column of IDs or amounts is not read as dates.
fn epoch_number(s: &str) -> Option<Stamp> {
    let v: f64 = s.parse().ok()?;
    const SECONDS: std::ops::RangeInclusive<f64> = 631_152_000.0..=4_102_444_800.0;
    let secs = if SECONDS.contains(&v) {
        v
    } else if SECONDS.contains(&(v / 1000.0)) {
        v / 1000.0
    } else {
        return None;
    };
    Some(Stamp { wall: secs.floor() as i64, offset: Some(0), has_time: true })
}

/// The month of a name or its first three letters, English.
pub(crate) fn month_of(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 || !w.is_char_boundary(3) {
        return None;
    }
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let m = MONTHS.iter().position(|m| *m == &w[..3])?;
    (w.len() == 3 || full[m] == w || (m == 8 && w == "sept")).then_some(m as u32 + 1)
}

/// A date with its month as a word, then an optional clock: `Feb 26, 2016 5:36 AM`,
/// `Friday, February 26, 2016 17:36`, `26 Feb 2016`, Oracle's `26-FEB-16 05.36.00.000000000 AM`.
fn month_named(s: &str) -> Option<Stamp> {
    // The date's words end at the first token with a ':' or a clock's '.' separators.
    let mut tokens = s.split([' ', ',']).filter(|t| !t.is_empty()).peekable();
    let mut parts: Vec<&str> = Vec::new();
    while let Some(t) = tokens.peek() {
        if t.contains(':') || (t.matches('.').count() >= 2 && !t.contains('-')) {
            break;
        }
        if parts.len() >= 4 {
            break;
        }
        // Stata's `26feb2016`: runs of digits and of letters are parts of their own.
        for p in t.split('-').filter(|p| !p.is_empty()) {
            let mut start = 0;
            for (i, c) in p.char_indices().skip(1) {
                let prev = p[..i].chars().next_back().is_some_and(|c| c.is_ascii_digit());
                if c.is_ascii_digit() != prev {
                    parts.push(&p[start..i]);
                    start = i;
                }
            }
            parts.push(&p[start..]);
        }
        tokens.next();
    }
    let (mut month, mut day, mut year) = (None, None, None);
    for p in &parts {
        if let Some(m) = month_of(p) {
            month = month.or(Some(m));
        } else if p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit()) {
            year = year.or(num(p));
        } else if p.bytes().all(|b| b.is_ascii_digit()) && p.len() <= 2 {
            // A day first, then (Oracle's `26-FEB-16`) a two-digit year.
            if day.is_none() {
                day = num(p);
            } else if year.is_none() {
                let yy = num(p)?;
                year = Some(if yy < 70 { 2000 + yy } else { 1900 + yy });
            }
        } else if p.chars().all(char::is_alphabetic) {
            // A weekday's name.
            continue;
        } else {
            return None;
        }
    }
    let (y, mo, d) = (year?, month?, day?);
    let rest: Vec<&str> = tokens.collect();
    let rest = rest.join(" ");
    let (clock, offset) = split_offset(rest.trim())?;
    // Oracle writes the clock with dots: `05.36.00.000000000 AM`.
    let clock = match clock.split_once(' ') {
        Some((c, m)) if !c.contains(':') && c.contains('.') => {
            let mut it = c.splitn(4, '.');
            format!("{}:{}:{} {m}", it.next()?, it.next()?, it.next().unwrap_or("00"))
        }
        _ => clock.to_owned(),
    };
    let (h, mi, sec) = if clock.is_empty() { (0, 0, 0) } else { clock_of_day(&clock)? };
    Some(Stamp { wall: epoch(y, mo, d, h, mi, sec)?, offset, has_time: !clock.is_empty() })
}

/// What [`detect`] found in a column's sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detected {
    pub format: DateFormat,
    /// Share of the non-empty sample values the format reads (0–1).
    pub share: f64,
    /// Share of the read values that carry a time of day other than midnight.
    pub timed: f64,
    /// Share of the read values written with a UTC offset.
    pub offset: f64,
}

/// The format that reads most of `values` (ties go to the earlier of [`DateFormat::ALL`]), if it
/// reads at least half of them. `numbers` allows bare numbers (Excel serial days, epoch seconds:
/// only for columns named as dates).
pub fn detect<'a>(values: impl Iterator<Item = &'a str> + Clone, numbers: bool) -> Option<Detected> {
    let n = values.clone().filter(|v| !v.trim().is_empty()).count();
    if n == 0 {
        return None;
    }
    let mut best: Option<Detected> = None;
    for f in DateFormat::ALL {
        if f.is_number() && !numbers {
            continue;
        }
        let (mut ok, mut timed, mut offset) = (0usize, 0usize, 0usize);
        let mut clocks = std::collections::BTreeSet::new();
        for v in values.clone() {
            if let Some(s) = f.parse(v) {
                ok += 1;
                timed += usize::from(s.wall.rem_euclid(86_400) != 0);
                offset += usize::from(s.offset.is_some());
                if clocks.len() <= 2 {
                    clocks.insert(s.wall.rem_euclid(86_400));
                }
            }
        }
        // Days written as UTC instants (Toronto's `2016/02/26 05:00:00+00`, local midnight): one
        // or two clock times (daylight saving) over many rows is no time of day at all.
        if ok >= 20 && offset * 2 > ok && clocks.len() <= 2 {
            timed = 0;
        }
        let share = ok as f64 / n as f64;
        if ok > 0 && best.is_none_or(|b| share > b.share) {
            let of = |k: usize| k as f64 / ok as f64;
            best = Some(Detected { format: f, share, timed: of(timed), offset: of(offset) });
        }
    }
    best.filter(|b| b.share >= 0.5)
}

/// The time format that reads at least 90 % of a time column's sample.
pub fn detect_time<'a>(values: impl Iterator<Item = &'a str> + Clone) -> Option<TimeFormat> {
    let n = values.clone().filter(|v| !v.trim().is_empty()).count();
    if n == 0 {
        return None;
    }
    // Numbers all below 24 are hours: as HHMM they would put every incident in 00:00–00:23.
    // A clock is a column of mostly `hh:mm` (its HHMM values are the odd ones re-keyed by hand).
    let clocks = values.clone().filter(|v| v.contains(':') || hour_h(v).is_some()).count();
    [TimeFormat::Clock, TimeFormat::Hour, TimeFormat::Hhmm]
        .into_iter()
        .filter(|f| *f != TimeFormat::Clock || clocks * 2 >= n)
        .find(|f| values.clone().filter(|v| f.parse(v).is_some()).count() * 10 >= n * 9)
}

/// A clock to turn offset-bearing times into: a US zone (standard offset and the US daylight-saving
/// rule of 2007 on), guessed from where the data is, or UTC when the data is not in the US.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Zone {
    UsEastern,
    UsCentral,
    UsMountain,
    /// Arizona keeps mountain standard time all year.
    UsArizona,
    UsPacific,
    Utc,
}

impl Zone {
    /// From the median point of the data: the US time-zone bands by longitude (the lines follow
    /// state borders, so a city within ~50 km of one can be guessed wrong; the report says it
    /// was a guess).
    pub fn guess(lat: f64, lon: f64) -> Zone {
        let us = (24.0..=50.0).contains(&lat) && (-125.0..=-66.0).contains(&lon);
        if !us {
            return Zone::Utc;
        }
        if (31.3..=37.0).contains(&lat) && (-114.8..=-109.05).contains(&lon) {
            Zone::UsArizona
        } else if lon > -86.5 {
            Zone::UsEastern
        } else if lon > -101.0 {
            Zone::UsCentral
        } else if lon > -114.5 {
            Zone::UsMountain
        } else {
            Zone::UsPacific
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Zone::UsEastern => "US Eastern time",
            Zone::UsCentral => "US Central time",
            Zone::UsMountain => "US Mountain time",
            Zone::UsArizona => "Arizona time (no daylight saving)",
            Zone::UsPacific => "US Pacific time",
            Zone::Utc => "UTC",
        }
    }

    fn standard(self) -> i64 {
        match self {
            Zone::UsEastern => -5,
            Zone::UsCentral => -6,
            Zone::UsMountain | Zone::UsArizona => -7,
            Zone::UsPacific => -8,
            Zone::Utc => 0,
        }
    }

    /// The local wall clock of a UTC instant.
    pub fn local(self, utc: i64) -> i64 {
        let std = utc + self.standard() * 3600;
        if matches!(self, Zone::Utc | Zone::UsArizona) {
            return std;
        }
        // Daylight time from the second Sunday of March, 02:00 standard, to the first Sunday of
        // November, 02:00 daylight (= 01:00 standard).
        let Some(day) = chrono::DateTime::from_timestamp(std, 0).map(|d| d.date_naive()) else { return std };
        let y = day.year();
        let sunday = |month: u32, nth: u32| {
            let first = NaiveDate::from_ymd_opt(y, month, 1).expect("a month's first day exists");
            let back = first.weekday().days_since(Weekday::Sun);
            let to_sunday = (7 - back) % 7;
            first.and_hms_opt(0, 0, 0).expect("midnight").and_utc().timestamp()
                + i64::from(to_sunday + 7 * (nth - 1)) * 86_400
        };
        let start = sunday(3, 2) + 2 * 3600;
        let end = sunday(11, 1) + 3600;
        if (start..end).contains(&std) {
            std + 3600
        } else {
            std
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixed_layouts_read_as_any_layout_reads_them() {
        // Every value the fixed readers accept, parse_any reads the same; what they refuse is
        // left to it (and read the same through `parse`).
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let mut next = |n: u64| rng.gen_range(0..n);
        let mut fixed = 0;
        for _ in 0..200_000 {
            // Mostly numbers in range (and a little past it), sometimes not digits.
            let pick = |n: u64, max: u64, next: &mut dyn FnMut(u64) -> u64| match next(20) {
                0 => "x".repeat(n as usize),
                1 => "9".repeat(n as usize),
                _ => format!("{:0w$}", next(max + 2), w = n as usize),
            };
            let (mo, d) = (pick(2, 12, &mut next), pick(2, 31, &mut next));
            let y = if next(4) == 0 { pick(4, 9999, &mut next) } else { format!("{}", 1890 + next(330)) };
            let (h, mi, sec) = (pick(2, 24, &mut next), pick(2, 59, &mut next), pick(2, 60, &mut next));
            let ampm = ["AM", "PM", "am", "pM", "XM", "A "][next(6) as usize];
            let ms = ["", ".000", ".5", ".123Z", "+05:00"][next(5) as usize];
            let sep = ["T", " ", "t"][next(3) as usize];
            for (f, s) in [
                (DateFormat::Mdy, format!("{mo}/{d}/{y} {h}:{mi}:{sec} {ampm}")),
                (DateFormat::Ymd, format!("{y}-{mo}-{d}{sep}{h}:{mi}:{sec}{ms}")),
            ] {
                let any = f.parse_any(&s);
                if let Some(st) = f.parse_fixed(s.as_bytes()) {
                    fixed += 1;
                    assert_eq!(Some(st), any, "{f:?} {s}");
                }
                assert_eq!(f.parse(&s), any, "{f:?} {s}");
            }
        }
        assert!(fixed > 20_000, "the fixed readers were tried only {fixed} times");
        assert_eq!(
            DateFormat::Mdy.parse_fixed(b"12/31/2017 11:58:00 PM").map(|s| s.wall),
            Some(1_514_764_680)
        );
        assert_eq!(
            DateFormat::Mdy.parse_fixed(b"01/01/2017 12:00:00 AM").map(|s| s.wall),
            Some(1_483_228_800)
        );
    }

    use super::*;
    use proptest::prelude::*;

    fn ts(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
        NaiveDate::from_ymd_opt(y, mo, d).unwrap().and_hms_opt(h, mi, s).unwrap().and_utc().timestamp()
    }

    #[test]
    fn every_format_reads_its_own_writing() {
        let at = |f: DateFormat, s: &str| f.parse(s).map(|p| p.wall);
        assert_eq!(at(DateFormat::Mdy, "12/31/2017 11:58:00 PM"), Some(ts(2017, 12, 31, 23, 58, 0)));
        assert_eq!(at(DateFormat::Mdy, "5/3/2016 23:40"), Some(ts(2016, 5, 3, 23, 40, 0)));
        assert_eq!(at(DateFormat::MdyShort, "5/3/16 23:40"), Some(ts(2016, 5, 3, 23, 40, 0)));
        assert_eq!(at(DateFormat::MdyShort, "5/3/98 1:40 PM"), Some(ts(1998, 5, 3, 13, 40, 0)));
        assert_eq!(at(DateFormat::Dmy, "31/12/2017 23:58"), Some(ts(2017, 12, 31, 23, 58, 0)));
        assert_eq!(at(DateFormat::Dmy, "31.12.2017 23:58"), Some(ts(2017, 12, 31, 23, 58, 0)));
        assert_eq!(at(DateFormat::Ymd, "2017-12-31T23:58:00.000"), Some(ts(2017, 12, 31, 23, 58, 0)));
        assert_eq!(at(DateFormat::Ymd, "2018/12/01 12:25:00 AM"), Some(ts(2018, 12, 1, 0, 25, 0)));
        assert_eq!(at(DateFormat::Ymd, "2025-01-06"), Some(ts(2025, 1, 6, 0, 0, 0)));
        assert_eq!(at(DateFormat::ExcelSerial, "44119"), Some(ts(2020, 10, 15, 0, 0, 0)));
        assert_eq!(at(DateFormat::ExcelSerial, "44119.75"), Some(ts(2020, 10, 15, 18, 0, 0)));
        assert_eq!(at(DateFormat::Mdy, "31/12/2017 10:00"), None);
        assert_eq!(at(DateFormat::Mdy, "12/31/17 10:00"), None);
        assert_eq!(at(DateFormat::Ymd, "12/31/2017"), None);
        assert_eq!(at(DateFormat::Mdy, "01/01/2017 13:00:00 PM"), None);
    }

    #[test]
    fn months_by_name_epochs_and_dashed_days() {
        let at = |f: DateFormat, s: &str| f.parse(s).map(|p| p.wall);
        let want = Some(ts(2016, 2, 26, 5, 36, 0));
        assert_eq!(at(DateFormat::MonthName, "Feb 26, 2016 5:36 AM"), want);
        assert_eq!(at(DateFormat::MonthName, "Friday, February 26, 2016 05:36"), want);
        assert_eq!(at(DateFormat::MonthName, "26 Feb 2016 05:36:00"), want);
        assert_eq!(at(DateFormat::MonthName, "26-FEB-16 05.36.00.000000000 AM"), want);
        assert_eq!(at(DateFormat::MonthName, "26-Sept-2016"), Some(ts(2016, 9, 26, 0, 0, 0)));
        assert_eq!(at(DateFormat::MonthName, "26feb2016 05:36:00"), want);
        assert_eq!(at(DateFormat::MonthName, "2016-02-26 05:36"), None);
        assert_eq!(at(DateFormat::MonthName, "THEFT"), None);
        assert_eq!(at(DateFormat::MonthName, "Marching 26 2016"), None);
        let ms = DateFormat::Epoch.parse("1456486560000").unwrap();
        assert_eq!((ms.wall, ms.offset), (ts(2016, 2, 26, 11, 36, 0), Some(0)));
        assert_eq!(at(DateFormat::Epoch, "1456486560"), Some(ts(2016, 2, 26, 11, 36, 0)));
        assert_eq!(at(DateFormat::Epoch, "10427738"), None, "an ID is not a date");
        assert_eq!(at(DateFormat::Dmy, "26-02-2016 05:36"), want);
        assert_eq!(at(DateFormat::Ymd, "2016-02"), Some(ts(2016, 2, 1, 0, 0, 0)));
        assert_eq!(at(DateFormat::Ymd, "2016-02 05:36"), None);
        let dashed = ["26-02-2016 05:36", "27-02-2016 10:00"];
        assert_eq!(detect(dashed.iter().copied(), false).unwrap().format, DateFormat::Dmy);
        let epochs = ["1456486560000", "1456496560000"];
        assert_eq!(detect(epochs.iter().copied(), false), None, "not in a column named as dates");
        assert_eq!(detect(epochs.iter().copied(), true).unwrap().format, DateFormat::Epoch);
        let named = ["Feb 26, 2016 5:36 AM", "Mar 1, 2016 11:00 PM"];
        assert_eq!(detect(named.iter().copied(), false).unwrap().format, DateFormat::MonthName);
    }

    #[test]
    fn offsets_are_read_and_kept_apart_from_the_clock() {
        let p = DateFormat::Ymd.parse("2025-01-07 02:45:00+00").unwrap();
        assert_eq!((p.wall, p.offset), (ts(2025, 1, 7, 2, 45, 0), Some(0)));
        let p = DateFormat::Ymd.parse("2017-12-31T23:58:00Z").unwrap();
        assert_eq!(p.offset, Some(0));
        let p = DateFormat::Ymd.parse("2017-12-31T18:58:00-05:00").unwrap();
        assert_eq!(p.offset, Some(-5 * 3600));
        assert_eq!(DateFormat::Ymd.parse("2017-12-31T18:58:00").unwrap().offset, None);
        let p = DateFormat::Ymd.parse("2016-02-26 05:36:00 UTC").unwrap();
        assert_eq!((p.wall, p.offset), (ts(2016, 2, 26, 5, 36, 0), Some(0)));
    }

    #[test]
    fn a_column_gets_the_format_that_reads_most_of_it() {
        let us = ["01/02/2017 10:00", "12/31/2017 10:00", "03/04/2017 10:00"];
        assert_eq!(detect(us.iter().copied(), false).unwrap().format, DateFormat::Mdy);
        let eu = ["01/02/2017 10:00", "31/12/2017 10:00", "25/04/2017 10:00"];
        assert_eq!(detect(eu.iter().copied(), false).unwrap().format, DateFormat::Dmy);
        let excel = ["5/3/16 23:40", "5/3/16 21:40", ""];
        let d = detect(excel.iter().copied(), false).unwrap();
        assert_eq!((d.format, d.share), (DateFormat::MdyShort, 1.0));
        let ids = ["44119", "44120"];
        assert_eq!(detect(ids.iter().copied(), false), None);
        assert_eq!(detect(ids.iter().copied(), true).unwrap().format, DateFormat::ExcelSerial);
        assert_eq!(detect(["THEFT", "x"].iter().copied(), true), None);
        let utc_days: Vec<String> = (0..30)
            .map(|d| format!("2016/03/{:02} 0{}:00:00+00", d + 1, if d < 12 { 5 } else { 4 }))
            .collect();
        assert_eq!(detect(utc_days.iter().map(String::as_str), false).unwrap().timed, 0.0);
        let bare = ["2025-01-06", "2025-01-07"];
        assert_eq!(detect(bare.iter().copied(), false).unwrap().timed, 0.0);
    }

    #[test]
    fn time_columns_in_both_forms() {
        assert_eq!(TimeFormat::Hhmm.parse("2000"), Some(20 * 3600));
        assert_eq!(TimeFormat::Hhmm.parse("100"), Some(3600));
        assert_eq!(TimeFormat::Hhmm.parse("5"), Some(300));
        assert_eq!(TimeFormat::Hhmm.parse("2460"), None);
        assert_eq!(TimeFormat::Hhmm.parse("2400"), Some(24 * 3600));
        assert_eq!(TimeFormat::Hhmm.parse("2401"), None);
        assert_eq!(TimeFormat::Clock.parse("12:00 NOON"), Some(12 * 3600));
        assert_eq!(TimeFormat::Hhmm.parse("Midnight"), Some(0));
        assert_eq!(TimeFormat::Clock.parse("21:45:00"), Some(21 * 3600 + 45 * 60));
        assert_eq!(TimeFormat::Clock.parse("3:04 PM"), Some(15 * 3600 + 4 * 60));
        assert_eq!(detect_time(["2000", "100", "1230"].iter().copied()), Some(TimeFormat::Hhmm));
        assert_eq!(detect_time(["17:30:00", "00:25"].iter().copied()), Some(TimeFormat::Clock));
        // Mixed by hand: clock times and HHMM in one column.
        assert_eq!(
            detect_time(["17:30:00", "1405", "00:25", "905"].iter().copied()),
            Some(TimeFormat::Clock)
        );
        assert_eq!(TimeFormat::Clock.parse("1405"), Some(14 * 3600 + 5 * 60));
        assert_eq!(TimeFormat::Clock.parse("14"), None);
        // Compact dates.
        let at = |y, mo, d, h, mi| {
            NaiveDate::from_ymd_opt(y, mo, d).unwrap().and_hms_opt(h, mi, 0).unwrap().and_utc().timestamp()
        };
        assert_eq!(
            DateFormat::Ymd.parse("20160226").map(|s| (s.wall, s.has_time)),
            Some((at(2016, 2, 26, 0, 0), false))
        );
        assert_eq!(DateFormat::Ymd.parse("20160226T053600").unwrap().wall, at(2016, 2, 26, 5, 36));
        assert_eq!(DateFormat::Ymd.parse("20160226 05:36").unwrap().wall, at(2016, 2, 26, 5, 36));
        assert_eq!(DateFormat::Ymd.parse("20161326"), None);
        assert_eq!(DateFormat::Ymd.parse("12345678"), None);
        assert_eq!(
            detect(["20160226", "20160301", "20151231"].into_iter(), true).map(|d| d.format),
            Some(DateFormat::Ymd)
        );
        // French clocks.
        assert_eq!(TimeFormat::Clock.parse("05h36"), Some(5 * 3600 + 36 * 60));
        assert_eq!(TimeFormat::Clock.parse("17 h 30"), Some(17 * 3600 + 30 * 60));
        assert_eq!(TimeFormat::Clock.parse("5h"), Some(5 * 3600));
        assert_eq!(TimeFormat::Clock.parse("25h10"), None);
        assert_eq!(TimeFormat::Clock.parse("hh"), None);
        assert_eq!(detect_time(["05h36", "23h05", "0h15"].into_iter()), Some(TimeFormat::Clock));
        assert_eq!(detect_time(["THEFT", "17:30:00"].iter().copied()), None);
        // Hours alone: as HHMM every one would fall in 00:00–00:23.
        assert_eq!(detect_time(["5", "23", "0", "14"].iter().copied()), Some(TimeFormat::Hour));
        assert_eq!(TimeFormat::Hour.parse("23"), Some(23 * 3600));
        assert_eq!(TimeFormat::Hour.parse("24"), None);
        assert_eq!(detect_time(["5", "23", "1405", "14"].iter().copied()), Some(TimeFormat::Hhmm));
    }

    #[test]
    fn zones_follow_the_us_daylight_rule() {
        let z = Zone::guess(39.95, -75.16); // Philadelphia
        assert_eq!(z, Zone::UsEastern);
        // 2025-01-07 02:45 UTC is 21:45 the evening before in Philadelphia (standard time).
        assert_eq!(z.local(ts(2025, 1, 7, 2, 45, 0)), ts(2025, 1, 6, 21, 45, 0));
        // In July it is daylight time, UTC−4.
        assert_eq!(z.local(ts(2025, 7, 7, 2, 45, 0)), ts(2025, 7, 6, 22, 45, 0));
        // 2025's change days: 9 March and 2 November.
        assert_eq!(z.local(ts(2025, 3, 9, 6, 59, 0)), ts(2025, 3, 9, 1, 59, 0));
        assert_eq!(z.local(ts(2025, 3, 9, 7, 0, 0)), ts(2025, 3, 9, 3, 0, 0));
        assert_eq!(z.local(ts(2025, 11, 2, 5, 59, 0)), ts(2025, 11, 2, 1, 59, 0));
        assert_eq!(z.local(ts(2025, 11, 2, 6, 0, 0)), ts(2025, 11, 2, 1, 0, 0));
        assert_eq!(Zone::guess(41.88, -87.63), Zone::UsCentral);
        assert_eq!(Zone::guess(34.05, -118.24), Zone::UsPacific);
        assert_eq!(Zone::guess(33.45, -112.07), Zone::UsArizona);
        assert_eq!(Zone::guess(39.74, -104.99), Zone::UsMountain);
        assert_eq!(Zone::guess(51.5, -0.12), Zone::Utc);
    }

    proptest! {
        /// Any date and time written in any of the text formats reads back as itself, and the
        /// detector picks a format that reads it (day ≤ 12 is ambiguous between M/D and D/M, so
        /// only the value, not the format, is checked then).
        #[test]
        fn written_dates_read_back(
            y in 1971i32..2069, mo in 1u32..=12, d in 1u32..=28, h in 0u32..24, mi in 0u32..60,
            style in 0usize..7,
        ) {
            let (h12, ampm) = (if h % 12 == 0 { 12 } else { h % 12 }, if h < 12 { "AM" } else { "PM" });
            let (text, f) = match style {
                0 => (format!("{mo:02}/{d:02}/{y} {h12:02}:{mi:02}:00 {ampm}"), DateFormat::Mdy),
                1 => (format!("{mo}/{d}/{y} {h}:{mi:02}"), DateFormat::Mdy),
                2 => (format!("{mo}/{d}/{:02} {h}:{mi:02}", y % 100), DateFormat::MdyShort),
                3 => (format!("{d:02}/{mo:02}/{y} {h:02}:{mi:02}"), DateFormat::Dmy),
                4 => (format!("{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:00.000"), DateFormat::Ymd),
                5 => (format!("{y}/{mo:02}/{d:02} {h12:02}:{mi:02}:00 {ampm}"), DateFormat::Ymd),
                _ => (format!("{y}-{mo:02}-{d:02} {h:02}:{mi:02}:00+00"), DateFormat::Ymd),
            };
            prop_assume!(style != 2 || (y >= 2000) == (y % 100 < 70));
            let want = ts(y, mo, d, h, mi, 0);
            prop_assert_eq!(f.parse(&text).map(|p| p.wall), Some(want), "{}", text);
            let found = detect(std::iter::once(text.as_str()), false).unwrap();
            prop_assert_eq!(found.format.parse(&text).map(|p| p.wall).is_some(), true);
            if d > 12 {
                prop_assert_eq!(found.format.parse(&text).map(|p| p.wall), Some(want));
            }
        }
    }
}
