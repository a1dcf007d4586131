//! Which bins of a weekly or monthly series the data only partly covers.
//!
//! A series that starts on 26 February and ends on 17 June has a first month of 4 days and a last
//! month of 17: drawn like the others, those two bins look like a collapse of crime. This module
//! says which bins are partial and by how many days, from the dates the data (and the filter's
//! date range) covers — not from the rows themselves, so that a rare crime type whose first
//! incident falls on 3 January does not make January partial. The pages draw those bins
//! distinctly, with [`PartialBin::note`] ("partial month: data to 17 Jun").

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// Short English month names, January first.
const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Weekly or monthly bins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bin {
    /// Monday to Sunday.
    Week,
    /// A calendar month.
    Month,
}

impl Bin {
    pub fn name(self) -> &'static str {
        match self {
            Bin::Week => "week",
            Bin::Month => "month",
        }
    }

    /// The first day of the bin holding `d`.
    pub fn start(self, d: NaiveDate) -> NaiveDate {
        match self {
            Bin::Week => d - Duration::days(i64::from(d.weekday().num_days_from_monday())),
            Bin::Month => d.with_day(1).unwrap_or(d),
        }
    }

    /// The last day of the bin starting on `start`.
    pub fn end(self, start: NaiveDate) -> NaiveDate {
        match self {
            Bin::Week => start + Duration::days(6),
            Bin::Month => {
                let (y, m) = if start.month() == 12 {
                    (start.year() + 1, 1)
                } else {
                    (start.year(), start.month() + 1)
                };
                NaiveDate::from_ymd_opt(y, m, 1).map_or(start, |n| n - Duration::days(1))
            }
        }
    }
}

/// A bin the covered dates only partly fill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialBin {
    /// Position of the bin in its series (0 = the first bin).
    pub index: usize,
    /// The bin's first day, YYYY-MM-DD.
    pub start: String,
    /// Days in the bin (7, or 28–31).
    pub days: u32,
    /// Days of it the data covers.
    pub covered: u32,
    /// The first and last covered day of the bin, YYYY-MM-DD.
    pub from: String,
    pub to: String,
    /// What the chart says: "partial month: data to 17 Jun (17 of 30 days)".
    pub note: String,
}

fn day_month(d: NaiveDate) -> String {
    format!("{} {}", d.day(), MONTHS[d.month0() as usize])
}

/// The partial bins of the series of `bin`s whose first bin holds `first_bin_day`, for data
/// covering the days `span` (inclusive). Only the bins at the ends of the span can be partial,
/// and a bin outside the span altogether is not listed (the series has no such bin).
pub fn partial_bins(bin: Bin, first_bin_day: NaiveDate, span: (NaiveDate, NaiveDate)) -> Vec<PartialBin> {
    let (lo, hi) = span;
    if lo > hi {
        return Vec::new();
    }
    let series_start = bin.start(first_bin_day);
    let index_of = |d: NaiveDate| -> Option<usize> {
        let start = bin.start(d);
        if start < series_start {
            return None;
        }
        Some(match bin {
            Bin::Week => ((start - series_start).num_days() / 7) as usize,
            Bin::Month => {
                ((start.year() - series_start.year()) * 12 + start.month() as i32
                    - series_start.month() as i32) as usize
            }
        })
    };
    let mut out = Vec::new();
    let mut ends = vec![bin.start(lo)];
    if bin.start(hi) != bin.start(lo) {
        ends.push(bin.start(hi));
    }
    for start in ends {
        let end = bin.end(start);
        let (from, to) = (start.max(lo), end.min(hi));
        let days = ((end - start).num_days() + 1) as u32;
        let covered = ((to - from).num_days() + 1) as u32;
        if covered >= days {
            continue;
        }
        let Some(index) = index_of(start) else { continue };
        let what = match (from > start, to < end) {
            (true, true) => format!("data {} – {}", day_month(from), day_month(to)),
            (true, false) => format!("data from {}", day_month(from)),
            _ => format!("data to {}", day_month(to)),
        };
        out.push(PartialBin {
            index,
            start: start.to_string(),
            days,
            covered,
            from: from.to_string(),
            to: to.to_string(),
            note: format!("partial {}: {what} ({covered} of {days} days)", bin.name()),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_first_and_last_months_of_a_mid_month_span_are_partial_by_their_days() {
        let p = partial_bins(Bin::Month, d("2016-02-26"), (d("2016-02-26"), d("2017-06-17")));
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].index, p[0].days, p[0].covered), (0, 29, 4), "February 2016 had 29 days");
        assert_eq!(p[0].note, "partial month: data from 26 Feb (4 of 29 days)");
        assert_eq!((p[1].index, p[1].start.as_str(), p[1].days, p[1].covered), (16, "2017-06-01", 30, 17));
        assert_eq!(p[1].note, "partial month: data to 17 Jun (17 of 30 days)");
        assert_eq!((p[1].from.as_str(), p[1].to.as_str()), ("2017-06-01", "2017-06-17"));
    }

    #[test]
    fn whole_months_and_weeks_are_not_partial() {
        assert!(partial_bins(Bin::Month, d("2016-01-15"), (d("2016-01-01"), d("2017-12-31"))).is_empty());
        // Monday 2 January 2017 to Sunday 31 December 2017: whole weeks.
        assert!(partial_bins(Bin::Week, d("2017-01-02"), (d("2017-01-02"), d("2017-12-31"))).is_empty());
    }

    #[test]
    fn a_week_cut_at_both_ends_and_a_span_inside_one_month() {
        // Wednesday 4 to Friday 6 January 2017: one week bin, 3 of its 7 days.
        let w = partial_bins(Bin::Week, d("2017-01-04"), (d("2017-01-04"), d("2017-01-06")));
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].index, w[0].start.as_str(), w[0].covered), (0, "2017-01-02", 3));
        assert_eq!(w[0].note, "partial week: data 4 Jan – 6 Jan (3 of 7 days)");
        let m = partial_bins(Bin::Month, d("2017-03-10"), (d("2017-03-10"), d("2017-03-20")));
        assert_eq!((m.len(), m[0].covered, m[0].days), (1, 11, 31));
    }

    #[test]
    fn the_last_week_is_indexed_from_the_series_start() {
        // The series starts in the week of Monday 2 Jan (its rows); the data ends Tuesday 14 Feb.
        let w = partial_bins(Bin::Week, d("2017-01-03"), (d("2017-01-02"), d("2017-02-14")));
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].index, w[0].start.as_str(), w[0].covered), (6, "2017-02-13", 2));
        assert!(partial_bins(Bin::Week, d("2017-01-03"), (d("2017-02-14"), d("2017-01-02"))).is_empty());
    }
}
