//! Dates split into columns: `YEAR`, `MONTH`, `DAY` and often `HOUR`, `MINUTE` (Vancouver's
//! `crimedata_csv_all_years.csv`, statistics offices' tables, spreadsheets kept by hand), read as
//! one date when a file has no date column. Each part is found by its name (in English, Spanish,
//! French or German, alone or with a stem such as `OCC_`) and checked by its values; the parts
//! sharing the year's stem are preferred (`OCC_MONTH` before `REPORT_MONTH`).

use std::collections::HashSet;

use super::dates;

/// The columns (indices) of a date's parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateParts {
    pub year: usize,
    pub month: usize,
    pub day: usize,
    pub hour: Option<usize>,
    pub minute: Option<usize>,
}

#[derive(Clone, Copy, PartialEq)]
enum Part {
    Year,
    Month,
    Day,
    Hour,
    Minute,
}

impl Part {
    /// Whole-word names of the part, and the endings a stemmed name (`occyear`) may have.
    fn names(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Part::Year => (
                &["year", "yr", "anio", "año", "ano", "annee", "année", "jahr"],
                &["year", "anio", "año", "jahr"],
            ),
            Part::Month => (&["month", "mes", "mois", "monat"], &["month", "mes", "monat"]),
            Part::Day => {
                (&["day", "dayofmonth", "dia", "día", "jour", "tag"], &["day", "dayofmonth", "dia", "día"])
            }
            Part::Hour => (&["hour", "hr", "hora", "heure", "stunde"], &["hour", "hora", "heure", "stunde"]),
            Part::Minute => (&["minute", "minutes", "min", "minuto", "minuten"], &["minute", "minuto"]),
        }
    }

    /// The stem a key has for this part (`occ` of `occyear`), if it names the part.
    fn stem(self, key: &str) -> Option<&str> {
        let (whole, endings) = self.names();
        if whole.contains(&key) {
            return Some("");
        }
        // Not the day of the week, of the year or a count of days.
        if self == Part::Day && ["week", "dow", "year", "days"].iter().any(|w| key.contains(w)) {
            return None;
        }
        endings
            .iter()
            .find_map(|e| key.strip_suffix(e))
            .or_else(|| endings.iter().find_map(|e| key.strip_prefix(e)))
    }

    /// Whether a value is one of this part's: a number in range, or a month's name.
    fn fits(self, v: &str) -> bool {
        let v = v.trim();
        if self == Part::Month && dates::month_of(v).is_some() {
            return true;
        }
        let Some(n) = whole(v) else { return false };
        match self {
            Part::Year => (1900..=2200).contains(&n),
            Part::Month => (1..=12).contains(&n),
            Part::Day => (1..=31).contains(&n),
            Part::Hour => (0..=24).contains(&n),
            Part::Minute => (0..=59).contains(&n),
        }
    }
}

/// A whole number as written (`7`, `07`, `7.0`).
fn whole(v: &str) -> Option<u32> {
    let v = v.trim();
    dates::num(v.strip_suffix(".0").unwrap_or(v))
}

/// The date-part columns of a source, if it has a year, a month and a day: `keys` are the
/// headers as [`super::key`]s, `col(i)` the sample's values of column `i`, `taken` the columns
/// with other roles.
pub fn detect<'a, I: Iterator<Item = &'a str>>(
    keys: &[String],
    col: impl Fn(usize) -> I,
    taken: &HashSet<usize>,
) -> Option<DateParts> {
    // A part's columns: (index, stem), those whose values fit (90 % of the filled ones).
    let found = |part: Part| -> Vec<(usize, &str)> {
        keys.iter()
            .enumerate()
            .filter(|(i, _)| !taken.contains(i))
            .filter_map(|(i, k)| Some((i, part.stem(k)?)))
            .filter(|&(i, _)| {
                let (mut n, mut ok) = (0usize, 0usize);
                for v in col(i).filter(|v| !v.trim().is_empty()) {
                    n += 1;
                    ok += usize::from(part.fits(v));
                }
                n > 0 && ok * 10 >= n * 9
            })
            .collect()
    };
    let report =
        |stem: &str| ["rpt", "report", "rep", "entry", "close", "end"].iter().any(|w| stem.contains(w));
    let years = found(Part::Year);
    // The occurrence's year before a report's.
    let &(year, stem) = years.iter().find(|(_, s)| !report(s)).or(years.first())?;
    // A part with the year's stem, else one alone, else any.
    let pick = |part: Part| -> Option<usize> {
        let all = found(part);
        let at = all
            .iter()
            .find(|(_, s)| *s == stem)
            .or_else(|| all.iter().find(|(_, s)| s.is_empty()))
            .or_else(|| all.iter().find(|(_, s)| !report(s)))?;
        Some(at.0)
    };
    let (month, day) = (pick(Part::Month)?, pick(Part::Day)?);
    let hour = pick(Part::Hour);
    let minute = hour.and(pick(Part::Minute));
    let cols = [Some(year), Some(month), Some(day), hour, minute];
    let distinct: HashSet<usize> = cols.iter().flatten().copied().collect();
    (distinct.len() == cols.iter().flatten().count()).then_some(DateParts { year, month, day, hour, minute })
}

/// One part's value in a row: text (CSV), or a number (Parquet, Excel).
#[derive(Debug, Clone, Copy)]
pub enum Field<'a> {
    Text(&'a str),
    Number(f64),
}

impl Field<'_> {
    /// Empty text is no value.
    fn filled(self) -> Option<Self> {
        match self {
            Field::Text(t) if t.trim().is_empty() => None,
            f => Some(f),
        }
    }

    /// A whole number, or for the month a name.
    fn value(self, part: Part) -> Option<u32> {
        match self {
            Field::Text(t) => {
                whole(t).or_else(|| (part == Part::Month).then(|| dates::month_of(t.trim())).flatten())
            }
            Field::Number(f) => (f.fract() == 0.0 && (0.0..=9999.0).contains(&f)).then_some(f as u32),
        }
    }
}

/// What the parts of one row give.
#[derive(Debug, PartialEq)]
pub enum Read {
    /// Seconds since 1970 of the wall clock, and whether the time of day could not be read.
    Stamp(i64, bool),
    /// The year, month or day is empty.
    Missing,
    /// A part is not a number in its range (30 February, month 13).
    Invalid,
}

/// The date of one row from its parts' values (`field(i)` the value of column `i`; `None` for
/// a column the row lacks or a null). An empty or unreadable hour or minute leaves the time at
/// the day's start (counted by the caller, as a time column's are).
pub fn read<'a>(p: &DateParts, field: impl Fn(usize) -> Option<Field<'a>>) -> Read {
    let get = |i: usize| field(i).and_then(Field::filled);
    let (Some(y), Some(mo), Some(d)) = (get(p.year), get(p.month), get(p.day)) else { return Read::Missing };
    let (Some(y), Some(mo), Some(d)) = (y.value(Part::Year), mo.value(Part::Month), d.value(Part::Day))
    else {
        return Read::Invalid;
    };
    let Some(day) = dates::epoch(y, mo, d, 0, 0, 0) else { return Read::Invalid };
    let clock = |i: Option<usize>, part: Part, max: u32| {
        i.map(|i| get(i).and_then(|f| f.value(part)).filter(|&v| v <= max))
    };
    let (h, mi) = (clock(p.hour, Part::Hour, 24), clock(p.minute, Part::Minute, 59));
    // Minutes without their hour say nothing of the time.
    let unread = matches!(h, Some(None)) || matches!(mi, Some(None));
    let secs = match h {
        Some(None) => 0,
        _ => i64::from(h.flatten().unwrap_or(0)) * 3600 + i64::from(mi.flatten().unwrap_or(0)) * 60,
    };
    Read::Stamp(day + secs, unread)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(h: &[&str]) -> Vec<String> {
        h.iter().map(|h| super::super::key(h)).collect()
    }

    #[test]
    fn vancouver_parts_are_found_and_read() {
        let k = keys(&[
            "TYPE",
            "YEAR",
            "MONTH",
            "DAY",
            "HOUR",
            "MINUTE",
            "HUNDRED_BLOCK",
            "NEIGHBOURHOOD",
            "X",
            "Y",
        ]);
        let rows = [
            [
                "Theft from Vehicle",
                "2019",
                "3",
                "7",
                "18",
                "30",
                "10XX W 10TH AVE",
                "Fairview",
                "491000",
                "5457000",
            ],
            ["Mischief", "2019", "12", "31", "0", "0", "OFFSET TO PROTECT PRIVACY", "", "0", "0"],
        ];
        let col = |i: usize| rows.iter().map(move |r| r[i]);
        let p = detect(&k, col, &HashSet::new()).expect("parts");
        assert_eq!(p, DateParts { year: 1, month: 2, day: 3, hour: Some(4), minute: Some(5) });
        let r = |row: &[&'static str; 10]| read(&p, |i| row.get(i).map(|v| Field::Text(v)));
        // 2019-03-07 18:30.
        assert_eq!(r(&rows[0]), Read::Stamp(1_551_983_400, false));
        let mut bad = rows[0];
        bad[3] = "30";
        bad[2] = "2";
        assert_eq!(r(&bad), Read::Invalid, "30 February");
        bad = rows[0];
        bad[4] = "";
        assert_eq!(r(&bad), Read::Stamp(1_551_916_800, true), "the day's start, counted");
        bad[1] = " ";
        assert_eq!(r(&bad), Read::Missing);
    }

    #[test]
    fn the_occurrence_stem_wins_and_weekdays_are_not_days() {
        // Toronto's parts of the report and of the occurrence, a weekday and a day of the year.
        let k = keys(&[
            "REPORT_YEAR",
            "REPORT_MONTH",
            "REPORT_DAY",
            "OCC_YEAR",
            "OCC_MONTH",
            "OCC_DAY",
            "OCC_DOW",
            "OCC_DOY",
            "OCC_HOUR",
            "MCI_CATEGORY",
        ]);
        let row = ["2020", "February", "3", "2020", "January", "30", "Thursday", "30", "23", "Assault"];
        let col = |i: usize| std::iter::once(row[i]);
        let p = detect(&k, col, &HashSet::new()).expect("parts");
        assert_eq!(p, DateParts { year: 3, month: 4, day: 5, hour: Some(8), minute: None });
        assert_eq!(read(&p, |i| row.get(i).map(|v| Field::Text(v))), Read::Stamp(1_580_425_200, false));
        // Numbers typed as such (Parquet, Excel).
        let typed = |i: usize| {
            Some(if i == 4 { Field::Text("January") } else { Field::Number(row[i].parse().ok()?) })
        };
        assert_eq!(read(&p, typed), Read::Stamp(1_580_425_200, false));
        // Without a day there is no date; a year of counts is not a year.
        let k = keys(&["Year", "Month", "Offence", "Count"]);
        let row = ["2020", "5", "Burglary", "12"];
        assert!(detect(&k, |i: usize| std::iter::once(row[i]), &HashSet::new()).is_none());
        let k = keys(&["año", "mes", "día", "delito"]);
        let row = ["1850", "5", "3", "Robo"];
        assert!(detect(&k, |i: usize| std::iter::once(row[i]), &HashSet::new()).is_none());
        let row = ["2021", "5", "3", "Robo"];
        assert!(detect(&k, |i: usize| std::iter::once(row[i]), &HashSet::new()).is_some());
    }
}
