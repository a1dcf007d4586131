//! Forecasting where crime will be in the next shift, day, week or month, and proving it.
//!
//! - [`rolling`]: the rolling back-test. For every period of a test window (a shift such as
//!   20:00–04:00 belonging to the day it starts, a day, a week, a month), each method of
//!   [`methods`] ranks the study cells from the rows dated before that period's start, and is
//!   scored on that period's incidents (hit rate, PAI, PEI at the asked coverages; bootstrap
//!   intervals over the periods; a paired comparison with last weeks' counts).
//! - [`methods`]: the forecasts: naive counts, the same weekday × hour window, prospective
//!   hotspotting, near-repeat risk zones, a self-exciting point process ([`sepp`]), KDE, the
//!   risk grid ([`risk_grid`]) and an ensemble whose weights come from earlier periods' scores.
//! - [`knox`]: the Knox test of near-repeat victimisation (space × time bands, Monte Carlo
//!   p-values) and each incident's originator / near-repeat label.
//! - [`emerging`]: emerging hot spot analysis (ArcGIS Pro's): a space–time cube, Gi* per bin with
//!   a false-discovery-rate correction, the Mann–Kendall trend of each cell and its category.
//!
//! Times are the table's: seconds since 1970-01-01 on the local wall clock.

pub mod emerging;
pub mod knox;
pub mod methods;
pub mod risk_grid;
pub mod rolling;
pub mod sepp;
pub mod terrain;
pub mod view;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::AnalysisError;

pub(crate) const DAY: i64 = 86_400;
pub(crate) const WEEK: i64 = 7 * DAY;

/// How long a forecast holds: the unit of the rolling back-test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Horizon {
    /// `from_hour`:00 to `to_hour`:00, wrapping past midnight (20 → 4 is the night shift); a shift
    /// belongs to the day it starts. `from_hour == to_hour` is a whole day from that hour.
    Shift {
        from_hour: u8,
        to_hour: u8,
    },
    Day,
    /// Seven days from the test window's first day.
    Week,
    /// Calendar months.
    Month,
}

impl Horizon {
    pub const NIGHT: Horizon = Horizon::Shift { from_hour: 20, to_hour: 4 };

    pub fn key(self) -> String {
        match self {
            Horizon::Shift { from_hour, to_hour } => format!("shift {from_hour:02}–{to_hour:02}"),
            Horizon::Day => "day".into(),
            Horizon::Week => "week".into(),
            Horizon::Month => "month".into(),
        }
    }

    pub(crate) fn check(self) -> Result<(), AnalysisError> {
        match self {
            Horizon::Shift { from_hour, to_hour } if from_hour > 23 || to_hour > 23 => Err(
                AnalysisError::Param(format!("a shift runs between hours 0–23, not {from_hour}–{to_hour}")),
            ),
            _ => Ok(()),
        }
    }

    /// The periods of the test window `from ..= to` (dates), in order, preceded by `warmup`
    /// periods before `from` (scored for the ensemble's learning, not reported). A week or a
    /// month that would run past `to` is left out; months start on the first month start on or
    /// after `from`.
    pub fn periods(self, from: NaiveDate, to: NaiveDate, warmup: usize) -> Vec<Span> {
        let day = |d: NaiveDate| crate::filter::day_start(d);
        let end_all = day(to) + DAY;
        let mut out = Vec::new();
        match self {
            Horizon::Shift { .. } | Horizon::Day => {
                let (h0, len) = match self {
                    Horizon::Shift { from_hour, to_hour } => {
                        let (a, b) = (i64::from(from_hour), i64::from(to_hour));
                        (a * 3600, if b > a { (b - a) * 3600 } else { (b + 24 - a) * 3600 })
                    }
                    _ => (0, DAY),
                };
                let first = day(from) - warmup as i64 * DAY;
                let mut d = first;
                while d < end_all {
                    out.push(Span { start: d + h0, end: d + h0 + len, warmup: d < day(from) });
                    d += DAY;
                }
            }
            Horizon::Week => {
                let mut s = day(from) - warmup as i64 * WEEK;
                while s + WEEK <= end_all {
                    out.push(Span { start: s, end: s + WEEK, warmup: s < day(from) });
                    s += WEEK;
                }
            }
            Horizon::Month => {
                let mut m = if from.day() == 1 { from } else { next_month(from) };
                for _ in 0..warmup {
                    m = prev_month(m);
                }
                loop {
                    let n = next_month(m);
                    if day(n) > end_all {
                        break;
                    }
                    out.push(Span { start: day(m), end: day(n), warmup: m < from });
                    m = n;
                }
            }
        }
        out
    }

    /// The weekday × hour slot of an instant, as [`methods`]' same-shift counts see it: for a
    /// shift, the weekday of the shift holding it (`None` outside the shift's hours); for a day,
    /// its weekday; weeks and months have one slot.
    pub fn slot(self, t: i64) -> Option<u8> {
        let weekday = |t: i64| (t.div_euclid(DAY) + 3).rem_euclid(7) as u8;
        match self {
            Horizon::Shift { from_hour, to_hour } => {
                let h = t.rem_euclid(DAY) / 3600;
                let (a, b) = (i64::from(from_hour), i64::from(to_hour));
                if a == b {
                    // A whole day from hour a: hours before a belong to the previous day's.
                    return Some(weekday(if h < a { t - DAY } else { t }));
                }
                let inside = if a < b { h >= a && h < b } else { h >= a || h < b };
                match (inside, a > b && h < b) {
                    (false, _) => None,
                    (true, true) => Some(weekday(t - DAY)),
                    (true, false) => Some(weekday(t)),
                }
            }
            Horizon::Day => Some(weekday(t)),
            Horizon::Week | Horizon::Month => Some(0),
        }
    }
}

/// One period: `[start, end)`, seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: i64,
    pub end: i64,
    /// Before the test window: scored only so that the ensemble has a past to learn from.
    pub warmup: bool,
}

fn next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 { (d.year() + 1, 1) } else { (d.year(), d.month() + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).expect("a month start")
}

fn prev_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 1 { (d.year() - 1, 12) } else { (d.year(), d.month() - 1) };
    NaiveDate::from_ymd_opt(y, m, 1).expect("a month start")
}

/// The located incidents of `rows` as (time, x metres, y metres), in row order: what the
/// point-process analyses read (rows without coordinates are left out).
pub(crate) fn located_events(t: &crate::model::CrimeTable, rows: &[u32]) -> Vec<(i64, f64, f64)> {
    rows.iter()
        .map(|&r| r as usize)
        .filter(|&r| t.latitude.get(r).is_finite() && t.longitude.get(r).is_finite())
        .map(|r| {
            let (x, y) = crate::features::project(t.latitude.get(r), t.longitude.get(r));
            (t.date.get(r), x, y)
        })
        .collect()
}

/// Serde for numbers that may be undefined (NaN): JSON writes NaN as `null`, and these read `null`
/// back as NaN, so a result with an undefined ratio or interval still crosses from the worker to
/// the page.
pub mod nan {
    use serde::{Deserialize, Deserializer};

    pub fn f64<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
    }

    pub fn pair<'de, D: Deserializer<'de>>(d: D) -> Result<[f64; 2], D::Error> {
        Ok(<[Option<f64>; 2]>::deserialize(d)?.map(|x| x.unwrap_or(f64::NAN)))
    }

    pub fn vec<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        Ok(Vec::<Option<f64>>::deserialize(d)?.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect())
    }
}

/// A fixed pseudo-random number per cell (splitmix64): the tie-break of every ranking, so a
/// method with no opinion on some cells is scored as chance would be.
pub(crate) fn shuffle_key(cell: usize) -> u64 {
    let mut z = (cell as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Standard normal upper tail P(Z > z).
pub(crate) fn normal_sf(z: f64) -> f64 {
    0.5 * libm::erfc(z / std::f64::consts::SQRT_2)
}

#[cfg(test)]
mod tests;
