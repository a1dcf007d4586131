//! What to keep while loading — a date range and crime types — and the memory budget the kept
//! rows must fit in. A file larger than the tab can hold (the portal's whole history, ~8 M rows)
//! still opens when the analyst asks for less: rows outside the subset are counted, never stored.

use serde::{Deserialize, Serialize};

use crate::clean::parse::{normalise_label, parse_datetime};
use crate::fmt::thousands;

/// Rows to keep while loading; the default keeps every row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadFilter {
    /// Keep incidents on or after this local wall-clock time (seconds since 1970).
    #[serde(default)]
    pub since: Option<i64>,
    /// Keep incidents before this time (exclusive).
    #[serde(default)]
    pub until: Option<i64>,
    /// Keep these crime types only, as the cleaned table labels them (upper case); empty: all.
    #[serde(default)]
    pub types: Vec<String>,
}

const DAY: i64 = 86_400;

fn day(t: i64) -> String {
    crate::clean::parse::format_datetime(t)[..10].to_owned()
}

impl LoadFilter {
    /// From the dates an analyst types (`YYYY-MM-DD`, both days included) and a comma-separated
    /// list of types; a date that cannot be read is an error naming it.
    pub fn from_days(
        since: Option<&str>,
        until: Option<&str>,
        types: &[String],
    ) -> Result<LoadFilter, String> {
        let day = |s: &str, what: &str| {
            parse_datetime(s.trim())
                .ok_or_else(|| format!("{what} “{s}” is not a date: write it as YYYY-MM-DD"))
        };
        let since = since.filter(|s| !s.trim().is_empty()).map(|s| day(s, "From")).transpose()?;
        // The last day is included: keep what happens before the next midnight.
        let until = until
            .filter(|s| !s.trim().is_empty())
            .map(|s| day(s, "Until").map(|t| t.div_euclid(DAY) * DAY + DAY))
            .transpose()?;
        if let (Some(s), Some(u)) = (since, until) {
            if u <= s {
                return Err("the “Until” day is before the “From” day".into());
            }
        }
        Ok(LoadFilter { since, until, types: types.to_vec() }.normalised())
    }

    /// Types written as the cleaner writes labels ("  burglary" → "BURGLARY"), sorted, unique.
    pub fn normalised(mut self) -> LoadFilter {
        let mut buf = String::new();
        let mut types: Vec<String> = self
            .types
            .iter()
            .flat_map(|t| t.split(','))
            .filter(|t| !t.trim().is_empty())
            .map(|t| {
                normalise_label(t.trim(), &mut buf);
                buf.clone()
            })
            .collect();
        types.sort();
        types.dedup();
        self.types = types;
        self
    }

    pub fn is_everything(&self) -> bool {
        self.since.is_none() && self.until.is_none() && self.types.is_empty()
    }

    #[inline]
    pub fn keeps_date(&self, t: i64) -> bool {
        self.since.is_none_or(|s| t >= s) && self.until.is_none_or(|u| t < u)
    }

    #[inline]
    pub fn keeps_type(&self, label: &str) -> bool {
        self.types.is_empty() || self.types.binary_search_by(|t| t.as_str().cmp(label)).is_ok()
    }

    /// The first day kept, `YYYY-MM-DD`, as [`LoadFilter::from_days`] reads it.
    pub fn since_day(&self) -> Option<String> {
        self.since.map(day)
    }

    /// The last day kept (included), `YYYY-MM-DD`.
    pub fn until_day(&self) -> Option<String> {
        self.until.map(|u| day(u - 1))
    }

    /// In words, for the report: "from 2016-01-01 until 2016-12-31, BURGLARY and THEFT only".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = self.since_day() {
            parts.push(format!("from {s}"));
        }
        if let Some(u) = self.until_day() {
            parts.push(format!("until {u}"));
        }
        if !self.types.is_empty() {
            let list = match self.types.as_slice() {
                [one] => one.clone(),
                [init @ .., last] => format!("{} and {last}", init.join(", ")),
                [] => String::new(),
            };
            parts.push(format!("{list} only"));
        }
        if parts.is_empty() {
            "every row".into()
        } else {
            parts.join(", ")
        }
    }
}

/// The largest table a load may build, in bytes, measured as it grows.
///
/// 1.5 GiB: WebAssembly's 32-bit memory is 4 GiB, and the analyses need room beside the table
/// (features, selections, grids). At about 50 bytes a row that is ~30 million rows — the portal's
/// whole history (8.3 M) fits with room to spare. The CLI keeps the same budget so that
/// `patroliq validate` says what the page will do.
pub const DEFAULT_TABLE_BUDGET: u64 = 3 << 29;

/// The refusal once the kept rows outgrow `budget`: what fits, and what to filter.
pub fn over_budget(budget: u64, rows_kept: u64, bytes: u64, rows_read: u64, filter: &LoadFilter) -> String {
    let per_row = (bytes as f64 / rows_kept.max(1) as f64).max(1.0);
    let fit = (budget as f64 / per_row) as u64;
    let mb = |b: u64| thousands(b >> 20);
    let filtered = if filter.is_everything() { String::new() } else { format!(" ({})", filter.describe()) };
    format!(
        "the rows kept so far{filtered} need more memory than this tab keeps for data: {} of {} rows \
         read already use {} MB of its {} MB, so about {} rows of this file fit. Load a shorter period \
         or fewer crime types (“Load only…” before choosing the file; on the command line \
         `--load-since`, `--load-until`, `--load-types`)",
        thousands(rows_kept),
        thousands(rows_read),
        mb(bytes),
        mb(budget),
        thousands(fit),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_inclusive_and_types_normalised() {
        let f = LoadFilter::from_days(Some("2016-01-01"), Some("2016-12-31"), &["theft, burglary ".into()])
            .unwrap();
        assert_eq!(f.types, vec!["BURGLARY", "THEFT"]);
        let t = |s: &str| parse_datetime(s).unwrap();
        assert!(f.keeps_date(t("2016-01-01T00:00:00")));
        assert!(f.keeps_date(t("2016-12-31T23:59:59")));
        assert!(!f.keeps_date(t("2017-01-01T00:00:00")));
        assert!(!f.keeps_date(t("2015-12-31T23:59:59")));
        assert!(f.keeps_type("THEFT") && !f.keeps_type("ROBBERY"));
        assert_eq!(f.describe(), "from 2016-01-01, until 2016-12-31, BURGLARY and THEFT only");
        assert!(LoadFilter::default().keeps_type("ANY") && LoadFilter::default().is_everything());
    }

    #[test]
    fn bad_days_say_what_to_write() {
        assert!(LoadFilter::from_days(Some("31/12/2016"), None, &[]).unwrap_err().contains("YYYY-MM-DD"));
        assert!(LoadFilter::from_days(Some("2017-01-01"), Some("2016-01-01"), &[])
            .unwrap_err()
            .contains("before"));
        assert!(LoadFilter::from_days(Some(" "), Some(""), &[]).unwrap().is_everything());
    }

    #[test]
    fn the_refusal_says_what_fits() {
        let m = over_budget(1 << 30, 1_000_000, 100 << 20, 1_200_000, &LoadFilter::default());
        assert!(m.contains("about 10,240,000 rows of this file fit"), "{m}");
        assert!(m.contains("100 MB of its 1,024 MB"), "{m}");
    }
}
