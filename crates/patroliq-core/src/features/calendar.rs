//! Calendar facts of a wall-clock timestamp: weekday, season, night, US federal holidays.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Weekday};

/// Night is 20:00–05:59: the evening and overnight shifts, when Chicago's violent incidents peak.
pub const NIGHT_START_HOUR: u32 = 20;
pub const NIGHT_END_HOUR: u32 = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    pub hour: u32,
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u32,
    /// 1–12.
    pub month: u32,
    /// 1–366.
    pub day_of_year: u32,
    /// Meteorological seasons: 0 winter (Dec–Feb), 1 spring, 2 summer, 3 autumn.
    pub season: u32,
    pub weekend: bool,
    pub night: bool,
    pub holiday: bool,
}

impl Calendar {
    /// `t`: seconds since 1970-01-01 00:00, wall clock (as stored in the table).
    pub fn of(t: i64) -> Option<Calendar> {
        let dt = DateTime::from_timestamp(t, 0)?.naive_utc();
        let (date, hour) = (dt.date(), dt.hour());
        let weekday = date.weekday().num_days_from_monday();
        Some(Calendar {
            hour,
            weekday,
            month: date.month(),
            day_of_year: date.ordinal(),
            season: (date.month() % 12) / 3,
            weekend: weekday >= 5,
            night: !(NIGHT_END_HOUR..NIGHT_START_HOUR).contains(&hour),
            holiday: is_federal_holiday(date),
        })
    }
}

fn nth_weekday(year: i32, month: u32, wd: Weekday, n: u8) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, wd, n)
}

fn last_weekday(year: i32, month: u32, wd: Weekday) -> Option<NaiveDate> {
    nth_weekday(year, month, wd, 5).or_else(|| nth_weekday(year, month, wd, 4))
}

/// A fixed-date holiday moves to Friday when it falls on Saturday, Monday when on Sunday
/// (5 U.S.C. 6103 and Executive Order 11582).
fn observed(d: NaiveDate) -> NaiveDate {
    match d.weekday() {
        Weekday::Sat => d.pred_opt().unwrap_or(d),
        Weekday::Sun => d.succ_opt().unwrap_or(d),
        _ => d,
    }
}

/// US federal holidays (observed days), 5 U.S.C. 6103: New Year's Day, Martin Luther King Jr. Day,
/// Washington's Birthday, Memorial Day, Juneteenth (from 2021), Independence Day, Labor Day,
/// Columbus Day, Veterans Day, Thanksgiving, Christmas.
pub fn is_federal_holiday(d: NaiveDate) -> bool {
    could_be_holiday(d) && holiday_by_rule(d)
}

/// The days of the year on which some holiday can fall (observed days are weekdays): a quick
/// answer for nine days in ten, since every row's features ask (an exhaustive test checks that
/// it never turns a holiday away).
fn could_be_holiday(d: NaiveDate) -> bool {
    if d.weekday().num_days_from_monday() >= 5 {
        return false;
    }
    let day = d.day();
    match d.month() {
        1 => day <= 21,
        2 => (15..=21).contains(&day),
        5 => day >= 25,
        6 => (18..=20).contains(&day),
        7 => (3..=5).contains(&day),
        9 => day <= 7,
        10 => (8..=14).contains(&day),
        11 => (10..=12).contains(&day) || (22..=28).contains(&day),
        12 => (24..=26).contains(&day) || day == 31,
        _ => false,
    }
}

/// The holidays of `d`'s year computed from their rules.
fn holiday_by_rule(d: NaiveDate) -> bool {
    let y = d.year();
    let fixed = |m, day| NaiveDate::from_ymd_opt(y, m, day).map(observed);
    let mut days = vec![
        fixed(1, 1),
        nth_weekday(y, 1, Weekday::Mon, 3),
        nth_weekday(y, 2, Weekday::Mon, 3),
        last_weekday(y, 5, Weekday::Mon),
        fixed(7, 4),
        nth_weekday(y, 9, Weekday::Mon, 1),
        nth_weekday(y, 10, Weekday::Mon, 2),
        fixed(11, 11),
        nth_weekday(y, 11, Weekday::Thu, 4),
        fixed(12, 25),
        // Next year's New Year's Day observed on 31 December when 1 January is a Saturday.
        NaiveDate::from_ymd_opt(y + 1, 1, 1).map(observed),
    ];
    if y >= 2021 {
        days.push(fixed(6, 19));
    }
    days.into_iter().flatten().any(|h| h == d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, mi: u32) -> i64 {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, mi, 0).unwrap().and_utc().timestamp()
    }

    #[test]
    fn sunday_new_years_eve_late_evening() {
        // 23:30 on Sunday 31 Dec 2017: night, weekend, winter, not a holiday (1 Jan 2018 is a Monday).
        let c = Calendar::of(at(2017, 12, 31, 23, 30)).unwrap();
        assert_eq!((c.hour, c.weekday, c.month, c.day_of_year), (23, 6, 12, 365));
        assert!(c.night && c.weekend && !c.holiday);
        assert_eq!(c.season, 0);
    }

    #[test]
    fn night_bounds() {
        assert!(Calendar::of(at(2017, 6, 1, 20, 0)).unwrap().night);
        assert!(Calendar::of(at(2017, 6, 1, 5, 59)).unwrap().night);
        assert!(!Calendar::of(at(2017, 6, 1, 6, 0)).unwrap().night);
        assert!(!Calendar::of(at(2017, 6, 1, 19, 59)).unwrap().night);
        assert_eq!(Calendar::of(at(2017, 7, 4, 12, 0)).unwrap().season, 2);
        assert_eq!(Calendar::of(at(2017, 3, 1, 12, 0)).unwrap().season, 1);
        assert_eq!(Calendar::of(at(2017, 11, 30, 12, 0)).unwrap().season, 3);
    }

    #[test]
    fn the_quick_answer_never_turns_a_holiday_away() {
        let mut d = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
        let mut holidays = 0;
        while d.year() < 2070 {
            assert_eq!(is_federal_holiday(d), holiday_by_rule(d), "{d}");
            holidays += usize::from(holiday_by_rule(d));
            d = d.succ_opt().unwrap();
        }
        assert!(holidays >= 80 * 10, "{holidays} holidays in 80 years");
    }

    #[test]
    fn federal_holidays_2016_2017_and_observed_days() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        for h in [
            d(2017, 1, 2), // New Year's Day on a Sunday → Monday
            d(2017, 1, 16),
            d(2017, 2, 20),
            d(2017, 5, 29),
            d(2017, 7, 4),
            d(2017, 9, 4),
            d(2017, 10, 9),
            d(2017, 11, 10), // Veterans Day on a Saturday → Friday
            d(2017, 11, 23),
            d(2017, 12, 25),
            d(2016, 5, 30),
            d(2016, 11, 24),
            d(2016, 12, 26), // Christmas on a Sunday → Monday
            d(2021, 12, 31), // New Year's Day 2022 on a Saturday → Friday 31 Dec
            d(2022, 6, 20),  // Juneteenth on a Sunday → Monday
        ] {
            assert!(is_federal_holiday(h), "{h}");
        }
        for not in [d(2017, 1, 1), d(2017, 11, 11), d(2017, 12, 24), d(2019, 6, 19), d(2017, 3, 17)] {
            assert!(!is_federal_holiday(not), "{not}");
        }
    }
}
