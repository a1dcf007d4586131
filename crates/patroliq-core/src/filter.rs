//! The analyst's filter (date range, crime types, districts, arrest, domestic, time of day,
//! weekdays): which rows every analysis looks at.
//!
//! A filter is also a URL query (`from=2017-01-01&type=THEFT&district=7&arrest=yes`), so a link
//! reproduces the view; that text is parsed leniently (a bad value is ignored and reported, never
//! an error), because links get edited by hand and pasted into mail.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{CrimeTable, FlagColumn, NULL_U8};

/// Which rows to analyse. The empty filter keeps every row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// First day kept (inclusive), Chicago local dates.
    pub from: Option<NaiveDate>,
    /// Last day kept (inclusive).
    pub to: Option<NaiveDate>,
    /// Primary types kept; empty keeps all.
    pub types: Vec<String>,
    /// Police districts kept; empty keeps all.
    pub districts: Vec<u8>,
    pub arrest: Option<bool>,
    pub domestic: Option<bool>,
    /// Hours of the day kept, `from` inclusive to `to` exclusive, wrapping past midnight:
    /// `(20, 4)` is 20:00–03:59 ("tonight"). `from == to` keeps every hour. Hours that wrap are a
    /// shift, and a shift belongs to the day it starts: with `(20, 4)`, 02:00 on a Saturday is
    /// Friday night for [`Filter::weekdays`] and for the date range.
    #[serde(default)]
    pub hours: Option<(u8, u8)>,
    /// Weekdays kept (0 = Monday … 6 = Sunday); empty keeps all.
    #[serde(default)]
    pub weekdays: Vec<u8>,
}

/// Short English weekday names, Monday first (the URL form `day=fri`).
pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The days a row is shifted back by so that it counts on the day its shift started: 1 for an
/// hour before `to` of hours that wrap past midnight (Saturday 02:00 of 20:00–04:00 is Friday
/// night), else 0. Police shifts are named by their start ("Friday night"), and an analyst who
/// filters `hours=20-4&day=fri` means the shift Fri 20:00 → Sat 04:00, not calendar Friday's two
/// ends of two different nights.
pub fn shift_back(hour: u8, hours: Option<(u8, u8)>) -> i64 {
    match hours {
        Some((from, to)) if from > to && hour < to => 1,
        _ => 0,
    }
}

/// Whether `hour` is in the wrapping range `[from, to)`.
pub fn in_hours(hour: u8, (from, to): (u8, u8)) -> bool {
    if from <= to {
        from == to || (from..to).contains(&hour)
    } else {
        hour >= from || hour < to
    }
}

/// One active condition, as a removable chip in the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chip {
    /// Passed back to [`Filter::without`].
    pub key: String,
    pub label: String,
}

pub(crate) const DAY: i64 = 86_400;

/// The first second of a local date.
pub(crate) fn day_start(d: NaiveDate) -> i64 {
    d.and_hms_opt(0, 0, 0).map_or(i64::MIN, |t| t.and_utc().timestamp())
}

/// The local date of an instant (seconds, local time), YYYY-MM-DD.
pub(crate) fn day_of(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string())
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// Indices of the rows of `t` that pass, in table order.
    pub fn select(&self, t: &CrimeTable) -> Vec<u32> {
        // No filter: every row, without reading one (8 million rows: a tenth of the EDA).
        if self.is_empty() {
            return (0..t.len() as u32).collect();
        }
        let hours = self.hours.filter(|(a, b)| a != b);
        // A wrapping shift is dated by its start: its hours after midnight count on the day
        // before (see `Filter::hours`), for the date range as for the weekdays.
        let wraps = hours.is_some_and(|(a, b)| a > b);
        let lo = self.from.map_or(i64::MIN, day_start);
        let hi = self.to.map_or(i64::MAX, |d| day_start(d).saturating_add(DAY));
        let wrap_to = hours.map_or(0, |(_, b)| b as i64 * 3600);
        let in_dates = |d: i64| {
            let shifted = if wraps && d.rem_euclid(DAY) < wrap_to { d - DAY } else { d };
            shifted >= lo && shifted < hi
        };
        let types: Option<Vec<bool>> = (!self.types.is_empty())
            .then(|| t.primary_type.values().iter().map(|v| self.types.iter().any(|s| s == v)).collect());
        let districts: Option<[bool; 256]> = (!self.districts.is_empty()).then(|| {
            let mut keep = [false; 256];
            self.districts.iter().for_each(|&d| keep[d as usize] = true);
            keep
        });
        // The flag's column is read only when a value is wanted.
        let flag = |want: Option<bool>, column: &FlagColumn, i: usize| {
            want.is_none_or(|w| {
                let v = column[i];
                v != NULL_U8 && (v == 1) == w
            })
        };
        let timed = hours.is_some() || !self.weekdays.is_empty();
        let when_ok = |d: i64| {
            !timed
                || crate::temporal::when(d).is_some_and(|(h, wd, _)| {
                    let shift_day = ((wd as i64 - shift_back(h, hours)).rem_euclid(7)) as u8;
                    hours.is_none_or(|r| in_hours(h, r))
                        && (self.weekdays.is_empty() || self.weekdays.contains(&shift_day))
                })
        };
        (0..t.len())
            .filter(|&i| {
                let d = t.date.get(i);
                in_dates(d)
                    && types.as_ref().is_none_or(|k| k[t.primary_type.code(i) as usize])
                    && districts.as_ref().is_none_or(|k| k[t.district[i] as usize])
                    && flag(self.arrest, &t.arrest, i)
                    && flag(self.domestic, &t.domestic, i)
                    && when_ok(d)
            })
            .map(|i| i as u32)
            .collect()
    }

    /// The URL query form (no leading `?`), parameters in a fixed order; empty for no filter.
    pub fn to_query(&self) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        if let Some(d) = self.from {
            q.append_pair("from", &d.to_string());
        }
        if let Some(d) = self.to {
            q.append_pair("to", &d.to_string());
        }
        for t in &self.types {
            q.append_pair("type", t);
        }
        for d in &self.districts {
            q.append_pair("district", &d.to_string());
        }
        if let Some(b) = self.arrest {
            q.append_pair("arrest", yes_no(b));
        }
        if let Some(b) = self.domestic {
            q.append_pair("domestic", yes_no(b));
        }
        if let Some((a, b)) = self.hours {
            q.append_pair("hours", &format!("{a}-{b}"));
        }
        for &d in &self.weekdays {
            q.append_pair("day", &WEEKDAYS[d as usize % 7].to_ascii_lowercase());
        }
        q.finish()
    }

    /// Reads the filter from a URL query (with or without `?`). Parameters that are not the
    /// filter's (`data=…`) are skipped; bad values are left out and described in the second value.
    pub fn from_query(query: &str) -> (Filter, Vec<String>) {
        let mut f = Filter::default();
        let mut problems = Vec::new();
        let query = query.strip_prefix('?').unwrap_or(query);
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            let v = v.trim();
            let mut bad = || problems.push(format!("ignored {k}={v}: not a valid value"));
            match &*k {
                "from" | "to" => match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
                    Ok(d) if k == "from" => f.from = Some(d),
                    Ok(d) => f.to = Some(d),
                    Err(_) => bad(),
                },
                "type" if !v.is_empty() => {
                    let t = v.to_uppercase();
                    if !f.types.contains(&t) {
                        f.types.push(t);
                    }
                }
                "district" => match v.parse::<u8>() {
                    Ok(d) if d != NULL_U8 => {
                        if !f.districts.contains(&d) {
                            f.districts.push(d);
                        }
                    }
                    _ => bad(),
                },
                "hours" => {
                    match v.split_once('-').map(|(a, b)| (a.trim().parse::<u8>(), b.trim().parse::<u8>())) {
                        Some((Ok(a), Ok(b))) if a < 24 && b <= 24 => f.hours = Some((a, b % 24)),
                        _ => bad(),
                    }
                }
                "day" => {
                    // `day=fri`, `day=Friday`, or a list `day=fri,sat`: each item a whole day's
                    // name or its first three letters or more ("fri,sat" once read as Friday).
                    let names =
                        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
                    for item in v.split(',').map(str::trim) {
                        let item = item.to_ascii_lowercase();
                        match names.iter().position(|n| item.len() >= 3 && n.starts_with(&item)) {
                            Some(d) => {
                                if !f.weekdays.contains(&(d as u8)) {
                                    f.weekdays.push(d as u8);
                                }
                            }
                            None => bad(),
                        }
                    }
                }
                "arrest" | "domestic" => {
                    let b = match v.to_ascii_lowercase().as_str() {
                        "yes" | "true" | "1" => Some(true),
                        "no" | "false" | "0" => Some(false),
                        _ => None,
                    };
                    match b {
                        Some(_) if k == "arrest" => f.arrest = b,
                        Some(_) => f.domestic = b,
                        None => bad(),
                    }
                }
                _ => {}
            }
        }
        if let (Some(a), Some(b)) = (f.from, f.to) {
            if a > b {
                problems
                    .push(format!("the date range {a} → {b} ends before it starts; the dates were swapped"));
                (f.from, f.to) = (Some(b), Some(a));
            }
        }
        (f, problems)
    }

    /// The active conditions, one chip per crime type and per district.
    pub fn chips(&self) -> Vec<Chip> {
        let mut chips = Vec::new();
        let date = match (self.from, self.to) {
            (Some(a), Some(b)) => Some(format!("{a} → {b}")),
            (Some(a), None) => Some(format!("from {a}")),
            (None, Some(b)) => Some(format!("until {b}")),
            (None, None) => None,
        };
        if let Some(label) = date {
            chips.push(Chip { key: "date".into(), label });
        }
        for t in &self.types {
            chips.push(Chip { key: format!("type:{t}"), label: t.clone() });
        }
        for d in &self.districts {
            chips.push(Chip { key: format!("district:{d}"), label: format!("District {d}") });
        }
        if let Some(b) = self.arrest {
            let label = if b { "Arrest made" } else { "No arrest" };
            chips.push(Chip { key: "arrest".into(), label: label.into() });
        }
        if let Some(b) = self.domestic {
            let label = if b { "Domestic" } else { "Not domestic" };
            chips.push(Chip { key: "domestic".into(), label: label.into() });
        }
        // Hours past midnight are a shift, dated by the day it starts: the chips say so.
        let shift = self.hours.is_some_and(|(a, b)| b != 0 && a > b);
        if let Some((a, b)) = self.hours {
            let label = if shift {
                format!("{a:02}:00–{b:02}:00 shift")
            } else {
                format!("{a:02}:00–{:02}:59", (b + 23) % 24)
            };
            chips.push(Chip { key: "hours".into(), label });
        }
        for &d in &self.weekdays {
            let day = WEEKDAYS[d as usize % 7];
            let label = if shift { format!("Shifts from {day}") } else { day.into() };
            chips.push(Chip { key: format!("day:{d}"), label });
        }
        chips
    }

    /// The days the filtered data can cover: the table's dates within `from`–`to`; `None` when
    /// they do not meet. What a month or week of a chart is judged partial against.
    pub fn span(&self, t: &CrimeTable) -> Option<(NaiveDate, NaiveDate)> {
        let (lo, hi) = crate::eda::table_span(t)?;
        let lo = self.from.map_or(lo, |f| f.max(lo));
        let hi = self.to.map_or(hi, |to| to.min(hi));
        (lo <= hi).then_some((lo, hi))
    }

    /// This filter with the condition of one chip removed.
    pub fn without(&self, key: &str) -> Filter {
        let mut f = self.clone();
        match key.split_once(':') {
            Some(("type", t)) => f.types.retain(|x| x != t),
            Some(("district", d)) => f.districts.retain(|x| x.to_string() != d),
            Some(("day", d)) => f.weekdays.retain(|x| x.to_string() != d),
            _ => match key {
                "date" => (f.from, f.to) = (None, None),
                "arrest" => f.arrest = None,
                "domestic" => f.domestic = None,
                "hours" => f.hours = None,
                _ => {}
            },
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load_bytes, LoadOptions};

    fn table() -> CrimeTable {
        let csv = "Date,Primary Type,District,Arrest,Domestic,Latitude,Longitude\n\
            2017-01-01T00:00:00,THEFT,1,true,false,41.9,-87.7\n\
            2017-01-31T23:59:59,BATTERY,7,false,true,41.9,-87.7\n\
            2017-02-01T00:00:00,THEFT,7,,false,41.9,-87.7\n\
            2017-03-15T12:00:00,CRIMINAL DAMAGE,,false,,41.9,-87.7\n";
        load_bytes("t", csv.as_bytes(), LoadOptions::default()).unwrap().table
    }

    fn parse(q: &str) -> Filter {
        let (f, problems) = Filter::from_query(q);
        assert!(problems.is_empty(), "{problems:?}");
        f
    }

    #[test]
    fn the_empty_filter_keeps_every_row() {
        assert_eq!(Filter::default().select(&table()), vec![0, 1, 2, 3]);
        assert!(Filter::default().to_query().is_empty());
    }

    #[test]
    fn dates_are_inclusive_whole_days() {
        let t = table();
        assert_eq!(parse("from=2017-01-31&to=2017-02-01").select(&t), vec![1, 2]);
        assert_eq!(parse("to=2017-01-31").select(&t), vec![0, 1]);
        assert_eq!(parse("from=2017-02-02").select(&t), vec![3]);
    }

    #[test]
    fn conditions_combine_and_missing_values_never_match_a_flag() {
        let t = table();
        assert_eq!(parse("type=THEFT").select(&t), vec![0, 2]);
        assert_eq!(parse("type=theft&type=BATTERY").select(&t), vec![0, 1, 2]);
        assert_eq!(parse("district=7").select(&t), vec![1, 2]);
        assert_eq!(parse("district=7&type=THEFT").select(&t), vec![2]);
        // Row 2's arrest is unknown: it is neither "arrest" nor "no arrest".
        assert_eq!(parse("arrest=no").select(&t), vec![1, 3]);
        assert_eq!(parse("arrest=yes").select(&t), vec![0]);
        assert_eq!(parse("domestic=yes").select(&t), vec![1]);
        assert!(parse("type=HOMICIDE").select(&t).is_empty());
    }

    #[test]
    fn the_query_round_trips_with_awkward_names() {
        let f = Filter {
            from: NaiveDate::from_ymd_opt(2017, 1, 1),
            to: NaiveDate::from_ymd_opt(2017, 6, 30),
            types: vec!["NON-CRIMINAL (SUBJECT SPECIFIED)".into(), "A&B=C".into()],
            districts: vec![1, 25],
            arrest: Some(true),
            domestic: Some(false),
            hours: Some((20, 4)),
            weekdays: vec![4, 5],
        };
        let q = f.to_query();
        assert!(q.starts_with("from=2017-01-01&to=2017-06-30&type=NON-CRIMINAL+%28SUBJECT"), "{q}");
        assert_eq!(Filter::from_query(&q), (f.clone(), vec![]));
        assert_eq!(Filter::from_query(&format!("?data=x.csv&{q}")).0, f);
    }

    #[test]
    fn time_of_day_wraps_past_midnight_and_weekdays_combine() {
        let csv = "Date,Primary Type,Latitude,Longitude\n\
            2017-01-06T19:59:00,THEFT,41.9,-87.7\n\
            2017-01-06T20:00:00,THEFT,41.9,-87.7\n\
            2017-01-07T03:59:00,THEFT,41.9,-87.7\n\
            2017-01-07T04:00:00,THEFT,41.9,-87.7\n\
            2017-01-08T23:00:00,THEFT,41.9,-87.7\n";
        let t = load_bytes("t", csv.as_bytes(), LoadOptions::default()).unwrap().table;
        // 2017-01-06 was a Friday.
        assert_eq!(parse("hours=20-4").select(&t), vec![1, 2, 4]);
        // Friday night is the shift Fri 20:00 → Sat 04:00, not calendar Friday.
        assert_eq!(parse("hours=20-4&day=fri").select(&t), vec![1, 2]);
        assert_eq!(parse("hours=20-4&day=sat").select(&t), vec![] as Vec<u32>);
        assert_eq!(parse("hours=20-4&day=sun").select(&t), vec![4]);
        // The shift that starts on the last day of the range is whole; the one before the first
        // day is not in it.
        assert_eq!(parse("hours=20-4&to=2017-01-06").select(&t), vec![1, 2]);
        assert_eq!(parse("hours=20-4&from=2017-01-07").select(&t), vec![4]);
        // Hours that do not wrap keep calendar days.
        assert_eq!(parse("hours=0-5&day=sat").select(&t), vec![2, 3]);
        assert_eq!(parse("day=sat&day=Sunday").select(&t), vec![2, 3, 4]);
        assert_eq!(parse("hours=4-20").select(&t), vec![0, 3]);
        assert_eq!(parse("hours=0-0").select(&t).len(), 5);
        let f = parse("hours=20-4&day=fri");
        assert_eq!(
            f.chips().iter().map(|c| c.label.as_str()).collect::<Vec<_>>(),
            ["20:00–04:00 shift", "Shifts from Fri"]
        );
        assert!(f.without("hours").without("day:4").is_empty());
        assert_eq!(Filter::from_query("hours=25-3&day=xyz").1.len(), 2);
        // A list is every day of it, not its first three letters.
        assert_eq!(parse("day=fri,sat").select(&t), vec![0, 1, 2, 3]);
        assert_eq!(parse("day=fri,sat"), parse("day=fri&day=sat"));
        let (f, problems) = Filter::from_query("day=fr,saturday,fridays");
        assert_eq!((f.weekdays, problems.len()), (vec![5], 2));
    }

    #[test]
    fn bad_values_are_ignored_and_reported() {
        let (f, problems) = Filter::from_query("from=yesterday&district=999&arrest=maybe&type=THEFT");
        assert_eq!(f, Filter { types: vec!["THEFT".into()], ..Filter::default() });
        assert_eq!(problems.len(), 3, "{problems:?}");
        let (f, problems) = Filter::from_query("from=2017-05-01&to=2017-01-01");
        assert_eq!(
            (f.from, f.to),
            (NaiveDate::from_ymd_opt(2017, 1, 1), NaiveDate::from_ymd_opt(2017, 5, 1))
        );
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn chips_remove_one_condition_each() {
        let f = parse("from=2017-01-01&type=THEFT&type=BATTERY&district=7&domestic=yes");
        let keys: Vec<_> = f.chips().into_iter().map(|c| c.key).collect();
        assert_eq!(keys, ["date", "type:THEFT", "type:BATTERY", "district:7", "domestic"]);
        assert_eq!(f.without("type:THEFT").types, vec!["BATTERY".to_string()]);
        assert_eq!(f.without("district:7").districts, Vec::<u8>::new());
        assert_eq!(f.without("date").from, None);
        assert_eq!(f.without("domestic").domestic, None);
        let all_removed = keys.iter().fold(f.clone(), |f, k| f.without(k));
        assert!(all_removed.is_empty());
    }
}
