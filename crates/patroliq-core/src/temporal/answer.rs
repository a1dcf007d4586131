//! The When page's one-line answer: "Most incidents: Fri 12:00–22:00, May–August".
//!
//! Defined precisely, from the weekday × hour table of the selected incidents and the month index
//! (incidents per covered day of each calendar month over the average month, [`super::peaks`]):
//!
//! - **Hours**: the smallest contiguous window of hours (wrapping past midnight) that holds at
//!   least [`HOUR_SHARE`] of the incidents; among windows of that length, the one holding the most
//!   (then the earliest start).
//! - **Days**: within those hours, each weekday's incidents — hours past midnight counted on the
//!   day the window started, as a shift is — against the average weekday's. The busiest weekday
//!   and its neighbours (wrapping Sunday → Monday) that are at least [`DAY_LIFT`] above the
//!   average form the span; when even the busiest is not, every day is alike ("every day").
//! - **Months**: the busiest month and its neighbours (wrapping December → January) whose index is
//!   at least [`MONTH_LIFT`] above the average (the high-risk months' threshold); "no month stands
//!   out" when none is.

use serde::{Deserialize, Serialize};

use super::label::MONTHS;
use crate::filter::WEEKDAYS;

/// The share of incidents the hour window holds at least.
pub const HOUR_SHARE: f64 = 0.5;
/// How far above the average weekday (within the hours) a day must be to be in the span.
pub const DAY_LIFT: f64 = 0.05;
/// How far above the average month (incidents per covered day) a month must be.
pub const MONTH_LIFT: f64 = 0.10;

const FULL_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The answer, its parts and the sentence that explains it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// "Most incidents: Fri 12:00–22:00, May–August"; "No incidents are selected." when none.
    pub line: String,
    /// What the line means, with its shares.
    pub detail: String,
    /// The hour window: from (inclusive) and to (exclusive, wrapping), and its share of incidents.
    pub hours: (u8, u8),
    pub hour_share: f64,
    /// The weekdays of the span (0 = Monday), in order from its first; all seven when alike.
    pub days: Vec<u8>,
    /// The months of the span (1–12), in order from its first; empty when none stands out.
    pub months: Vec<u8>,
}

/// A contiguous run, wrapping, around the peak of `v` of the entries at least `lift` above the
/// mean of `v`; empty when the peak is not.
fn run_around_peak(v: &[f64], lift: f64) -> Vec<usize> {
    let n = v.len();
    let mean = v.iter().sum::<f64>() / n.max(1) as f64;
    let Some(peak) = (0..n).max_by(|&a, &b| v[a].total_cmp(&v[b]).then(b.cmp(&a))) else {
        return Vec::new();
    };
    let high = |i: usize| mean > 0.0 && v[i] >= mean * (1.0 + lift);
    if !high(peak) {
        return Vec::new();
    }
    let (mut lo, mut len) = (peak, 1);
    while len < n && high((lo + n - 1) % n) {
        lo = (lo + n - 1) % n;
        len += 1;
    }
    while len < n && high((lo + len) % n) {
        len += 1;
    }
    (0..len).map(|k| (lo + k) % n).collect()
}

fn span(names: &[&str], run: &[usize]) -> String {
    match run {
        [] => String::new(),
        [one] => names[*one].to_string(),
        [first, .., last] => format!("{}–{}", names[*first], names[*last]),
    }
}

impl Answer {
    /// The answer for `hour_weekday[weekday][hour]` incidents and the 12-month `month_index`.
    pub fn of(hour_weekday: &[[u64; 24]; 7], month_index: &[f64]) -> Answer {
        let by_hour: Vec<u64> = (0..24).map(|h| hour_weekday.iter().map(|d| d[h]).sum()).collect();
        let total: u64 = by_hour.iter().sum();
        if total == 0 {
            return Answer {
                line: "No incidents are selected.".into(),
                detail: String::new(),
                hours: (0, 0),
                hour_share: 0.0,
                days: Vec::new(),
                months: Vec::new(),
            };
        }
        // The smallest window holding the share; the busiest of that length, then the earliest.
        let need = (HOUR_SHARE * total as f64).ceil() as u64;
        let (mut start, mut len, mut held) = (0usize, 24usize, total);
        'length: for l in 1..=24 {
            let mut best: Option<(u64, usize)> = None;
            for s in 0..24 {
                let n: u64 = (0..l).map(|k| by_hour[(s + k) % 24]).sum();
                if n >= need && best.is_none_or(|(b, _)| n > b) {
                    best = Some((n, s));
                }
            }
            if let Some((n, s)) = best {
                (start, len, held) = (s, l, n);
                break 'length;
            }
        }
        let hours = (start as u8, ((start + len) % 24) as u8);
        // Each weekday's incidents in the window, hours past midnight on the day it started.
        let mut per_day = [0f64; 7];
        for k in 0..len {
            let h = (start + k) % 24;
            let back = usize::from(start + k >= 24);
            for (wd, day) in hour_weekday.iter().enumerate() {
                per_day[(wd + 7 - back) % 7] += day[h] as f64;
            }
        }
        let day_run = run_around_peak(&per_day, DAY_LIFT);
        let month_run =
            if month_index.len() == 12 { run_around_peak(month_index, MONTH_LIFT) } else { vec![] };
        let window = if len == 24 {
            "at every hour".to_string()
        } else {
            format!("{:02}:00–{:02}:00", hours.0, hours.1)
        };
        let days = if day_run.is_empty() { "every day".to_string() } else { span(&WEEKDAYS, &day_run) };
        let months_text = if month_run.is_empty() {
            "no month stands out".to_string()
        } else {
            span(&FULL_MONTHS, &month_run)
        };
        let share = held as f64 / total as f64;
        let mean_day = per_day.iter().sum::<f64>() / 7.0;
        let day_detail = match day_run.as_slice() {
            [] => format!("no weekday is {:.0} % above the average day in those hours", DAY_LIFT * 100.0),
            run => {
                let lift = run.iter().map(|&d| per_day[d]).sum::<f64>() / run.len() as f64 / mean_day - 1.0;
                format!("{} {:.0} % above the average day in those hours", span(&WEEKDAYS, run), lift * 100.0)
            }
        };
        let month_detail = match month_run.as_slice() {
            [] => format!("no month is {:.0} % above the average month", MONTH_LIFT * 100.0),
            run => format!(
                "{} at least {:.0} % above the average month in incidents a day",
                span(&MONTHS, run),
                MONTH_LIFT * 100.0
            ),
        };
        Answer {
            line: format!("Most incidents: {days} {window}, {months_text}"),
            detail: format!(
                "{:.0} % of the incidents fall in {window} ({len} of 24 hours, local time); {day_detail}; \
                 {month_detail}.",
                share * 100.0
            ),
            hours,
            hour_share: share,
            days: if day_run.is_empty() {
                (0..7).collect()
            } else {
                day_run.iter().map(|&d| d as u8).collect()
            },
            months: month_run.iter().map(|&m| m as u8 + 1).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(f: impl Fn(usize, usize) -> u64) -> [[u64; 24]; 7] {
        let mut t = [[0u64; 24]; 7];
        for (wd, day) in t.iter_mut().enumerate() {
            for (h, c) in day.iter_mut().enumerate() {
                *c = f(wd, h);
            }
        }
        t
    }

    #[test]
    fn a_friday_and_saturday_night_peak_is_named_as_a_shift() {
        // 10 an hour everywhere; 100 an hour on Fri and Sat 20:00–01:59 (past midnight on Sat
        // and Sun mornings): the window wraps midnight and its early hours count on the day before.
        let t = table(|wd, h| {
            let night = (h >= 20 && (wd == 4 || wd == 5)) || (h < 2 && (wd == 5 || wd == 6));
            if night {
                100
            } else {
                10
            }
        });
        let mut months = vec![1.0; 12];
        (months[6], months[7]) = (1.3, 1.2);
        let a = Answer::of(&t, &months);
        assert_eq!(a.hours, (20, 2));
        assert_eq!(a.days, vec![4, 5]);
        assert_eq!(a.months, vec![7, 8]);
        assert_eq!(a.line, "Most incidents: Fri–Sat 20:00–02:00, July–August");
        assert!(a.hour_share >= HOUR_SHARE);
    }

    #[test]
    fn the_smallest_window_holding_half_and_flat_days_and_months() {
        // Every day alike: 1 an hour, 10 an hour 12:00–21:59 (114 a day: 5 of the busy hours hold
        // 50 / 114 = 44 %, 6 hold 60 / 114 = 53 %).
        let t = table(|_, h| if (12..22).contains(&h) { 10 } else { 1 });
        let a = Answer::of(&t, &[1.0; 12]);
        assert_eq!(a.hours, (12, 18), "6 busy hours hold at least half; the earliest of the busiest");
        assert_eq!(a.days.len(), 7);
        assert_eq!(a.line, "Most incidents: every day 12:00–18:00, no month stands out");
        assert!((a.hour_share - 60.0 / 114.0).abs() < 1e-12);
        assert!(a
            .detail
            .starts_with("53 % of the incidents fall in 12:00–18:00 (6 of 24 hours, local time)"));
    }

    #[test]
    fn a_december_january_peak_wraps_the_year_and_nothing_is_an_empty_answer() {
        let mut months = vec![1.0; 12];
        (months[11], months[0], months[1]) = (1.2, 1.15, 1.05);
        let t = table(|wd, _| if wd == 0 { 2 } else { 1 });
        let a = Answer::of(&t, &months);
        assert_eq!(a.months, vec![12, 1]);
        assert_eq!(a.days, vec![0]);
        assert!(a.line.starts_with("Most incidents: Mon ") && a.line.ends_with(", December–January"));
        let none = Answer::of(&[[0; 24]; 7], &months);
        assert_eq!(none.line, "No incidents are selected.");
    }
}
