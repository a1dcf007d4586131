//! Peak hours and high-risk months of each crime type and district, and the seasonality of the
//! selection.
//!
//! Months are compared by incidents *per day covered by the data*: a sample from 5 February
//! 2016 to 31 December 2017 covers 24 days of February 2016 and 28 of February 2017, and
//! counting raw incidents would make February look safe for no other reason.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::answer::Answer;
use super::when;
use crate::model::{CrimeTable, NULL_U8};

/// Types and districts with fewer incidents are left out of the tables (their peaks are noise).
pub const MIN_INCIDENTS: u64 = 50;

/// When one crime type (or district) peaks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeakRow {
    pub name: String,
    pub incidents: u64,
    /// Share of its incidents in each hour 0–23.
    pub hour_share: Vec<f64>,
    /// The three busiest hours, busiest first.
    pub peak_hours: Vec<u8>,
    /// Incidents per covered day in each calendar month, over the average month (1 = average).
    pub month_index: Vec<f64>,
    /// Months 1–12 at least 10 % above its average, riskiest first (at most three).
    pub high_risk_months: Vec<u8>,
}

/// One year of the seasonality chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearSeason {
    pub year: i32,
    /// Incidents per covered day in each month; `None` where the data does not cover the month.
    pub per_day: Vec<Option<f64>>,
    /// Days of each month the data covers (a partial month is marked in the chart).
    pub days: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Peaks {
    pub by_type: Vec<PeakRow>,
    pub by_district: Vec<PeakRow>,
    pub seasonality: Vec<YearSeason>,
    /// The whole selection's month index (1 = average month).
    pub month_index: Vec<f64>,
    /// The one-line answer the When page opens with ([`super::answer`]).
    #[serde(default = "no_answer")]
    pub answer: Answer,
}

fn no_answer() -> Answer {
    Answer::of(&[[0; 24]; 7], &[])
}

#[derive(Clone, Default)]
struct Acc {
    by_hour: [u64; 24],
    by_month: [u64; 12],
}

/// Incidents per covered day of each calendar month, over their mean.
fn month_index(by_month: &[u64; 12], days: &[u32; 12]) -> Vec<f64> {
    let rate: Vec<Option<f64>> =
        (0..12).map(|m| (days[m] > 0).then(|| by_month[m] as f64 / f64::from(days[m]))).collect();
    let known: Vec<f64> = rate.iter().flatten().copied().collect();
    let mean = known.iter().sum::<f64>() / known.len().max(1) as f64;
    rate.iter().map(|r| r.map_or(0.0, |r| if mean > 0.0 { r / mean } else { 0.0 })).collect()
}

fn row(name: String, a: &Acc, days: &[u32; 12]) -> PeakRow {
    let n: u64 = a.by_hour.iter().sum();
    let mut hours: Vec<usize> = (0..24).collect();
    hours.sort_by(|&x, &y| a.by_hour[y].cmp(&a.by_hour[x]).then(x.cmp(&y)));
    let index = month_index(&a.by_month, days);
    let mut risky: Vec<usize> = (0..12).filter(|&m| index[m] >= 1.1).collect();
    risky.sort_by(|&x, &y| index[y].total_cmp(&index[x]));
    risky.truncate(3);
    PeakRow {
        name,
        incidents: n,
        hour_share: a.by_hour.iter().map(|&k| k as f64 / n.max(1) as f64).collect(),
        peak_hours: hours[..3].iter().map(|&h| h as u8).collect(),
        month_index: index,
        high_risk_months: risky.iter().map(|&m| m as u8 + 1).collect(),
    }
}

impl Peaks {
    pub fn of(t: &CrimeTable, rows: &[u32]) -> Peaks {
        let mut by_type = vec![Acc::default(); t.primary_type.values().len()];
        let mut by_district = vec![Acc::default(); 256];
        let mut all = Acc::default();
        let mut hour_weekday = [[0u64; 24]; 7];
        let mut ym: BTreeMap<(i32, u32), u64> = BTreeMap::new();
        let (mut lo, mut hi) = (i64::MAX, i64::MIN);
        for &r in rows {
            let i = r as usize;
            let d = t.date.get(i);
            let (Some((h, wd, m)), Some(dt)) = (when(d), DateTime::from_timestamp(d, 0)) else {
                continue;
            };
            hour_weekday[wd as usize][h as usize] += 1;
            (lo, hi) = (lo.min(d), hi.max(d));
            let (h, m) = (h as usize, m as usize - 1);
            for a in [
                &mut by_type[t.primary_type.code(i) as usize],
                &mut by_district[t.district[i] as usize],
                &mut all,
            ] {
                a.by_hour[h] += 1;
                a.by_month[m] += 1;
            }
            *ym.entry((dt.year(), dt.month())).or_default() += 1;
        }
        // Days of each (year, month) between the first and the last incident.
        let mut covered: BTreeMap<(i32, u32), u32> = BTreeMap::new();
        if lo <= hi {
            let day = |s: i64| DateTime::from_timestamp(s, 0).map(|d| d.date_naive());
            if let (Some(mut d), Some(last)) = (day(lo), day(hi)) {
                while d <= last {
                    *covered.entry((d.year(), d.month())).or_default() += 1;
                    d = d.succ_opt().unwrap_or(NaiveDate::MAX);
                    if d == NaiveDate::MAX {
                        break;
                    }
                }
            }
        }
        let mut days = [0u32; 12];
        covered.iter().for_each(|(&(_, m), &n)| days[m as usize - 1] += n);

        let names = t.primary_type.values();
        let mut types: Vec<PeakRow> = by_type
            .iter()
            .enumerate()
            .filter(|(_, a)| a.by_hour.iter().sum::<u64>() >= MIN_INCIDENTS)
            .map(|(c, a)| row(names[c].clone(), a, &days))
            .collect();
        types.sort_by(|a, b| b.incidents.cmp(&a.incidents).then_with(|| a.name.cmp(&b.name)));
        let districts: Vec<PeakRow> = by_district
            .iter()
            .enumerate()
            .filter(|&(d, a)| d != NULL_U8 as usize && a.by_hour.iter().sum::<u64>() >= MIN_INCIDENTS)
            .map(|(d, a)| row(format!("District {d}"), a, &days))
            .collect();

        let years: Vec<i32> = {
            let mut y: Vec<i32> = covered.keys().map(|k| k.0).collect();
            y.dedup();
            y
        };
        let seasonality = years
            .iter()
            .map(|&y| {
                let d: Vec<u32> = (1..=12).map(|m| covered.get(&(y, m)).copied().unwrap_or(0)).collect();
                YearSeason {
                    year: y,
                    per_day: (1..=12u32)
                        .map(|m| {
                            let n = d[m as usize - 1];
                            (n > 0).then(|| ym.get(&(y, m)).copied().unwrap_or(0) as f64 / f64::from(n))
                        })
                        .collect(),
                    days: d,
                }
            })
            .collect();
        let index = month_index(&all.by_month, &days);
        Peaks {
            by_type: types,
            by_district: districts,
            seasonality,
            answer: Answer::of(&hour_weekday, &index),
            month_index: index,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::all_rows;
    use crate::load::{load_bytes, LoadOptions};

    #[test]
    fn peaks_count_per_covered_day() {
        // 60 thefts: 40 at 14:00 in January 2017 (31 days covered), 20 at 02:00 on 1–10 February
        // (10 days covered, the data ends there): February's daily rate is higher.
        let mut csv = String::from("Date,Primary Type,District,Latitude,Longitude\n");
        for i in 0..40 {
            csv += &format!("2017-01-{:02}T14:00:00,THEFT,1,41.88,-87.63\n", 1 + i % 31);
        }
        for i in 0..20 {
            csv += &format!("2017-02-{:02}T02:00:00,THEFT,1,41.88,-87.63\n", 1 + i % 10);
        }
        let t = load_bytes("t", csv.as_bytes(), LoadOptions::default()).unwrap().table;
        let p = Peaks::of(&t, &all_rows(&t));
        let theft = &p.by_type[0];
        assert_eq!((theft.name.as_str(), theft.incidents), ("THEFT", 60));
        assert_eq!(theft.peak_hours[0], 14);
        assert!((theft.hour_share[2] - 1.0 / 3.0).abs() < 1e-12);
        // January 40/31 = 1.29 a day, February 20/10 = 2: mean 1.645.
        let mean = (40.0 / 31.0 + 2.0) / 2.0;
        assert!((theft.month_index[1] - 2.0 / mean).abs() < 1e-12);
        assert_eq!(theft.high_risk_months, vec![2]);
        assert_eq!(p.by_district[0].name, "District 1");
        assert_eq!(p.seasonality.len(), 1);
        assert_eq!(p.seasonality[0].days[1], 10);
        assert_eq!(p.seasonality[0].per_day[1], Some(2.0));
        assert_eq!(p.seasonality[0].per_day[2], None);
    }

    #[test]
    fn an_empty_selection_gives_empty_tables() {
        let csv = "Date,Primary Type,Latitude,Longitude\n2017-01-01T00:00:00,THEFT,41.88,-87.63\n";
        let t = load_bytes("t", csv.as_bytes(), LoadOptions::default()).unwrap().table;
        let p = Peaks::of(&t, &[]);
        assert!(p.by_type.is_empty() && p.seasonality.is_empty());
        assert!(p.month_index.iter().all(|&v| v == 0.0));
    }
}
