use super::*;
use crate::cluster::Silent;
use crate::features::unproject;
use crate::route::travel::StreetGrid;
use crate::{load_bytes, LoadOptions};

/// (x, y) metres, date, arrest, district, community area, type.
type Row<'a> = ((f64, f64), String, &'a str, &'a str, &'a str, &'a str);

fn table(rows: &[Row]) -> CrimeTable {
    let mut csv = String::from("Date,Primary Type,Arrest,District,Community Area,Latitude,Longitude\n");
    for ((x, y), date, arrest, district, area, kind) in rows {
        let (lat, lon) = unproject(*x, *y);
        csv.push_str(&format!("{date},{kind},{arrest},{district},{area},{lat},{lon}\n"));
    }
    load_bytes("t", csv.as_bytes(), LoadOptions::default()).unwrap().table
}

fn all(t: &CrimeTable) -> Vec<u32> {
    (0..t.len() as u32).collect()
}

fn fit(t: &CrimeTable, shift: Shift, stations: &[Station]) -> Briefing {
    BriefingParams { shift, ..BriefingParams::default() }
        .check()
        .unwrap()
        .fit(t, &all(t), stations, &mut StreetGrid, &mut Silent)
        .unwrap()
}

#[test]
fn a_shift_past_midnight_runs_into_the_next_day() {
    let s = Shift { weekday: 6, start_hour: 22, hours: 4 };
    assert_eq!(s.slots(), vec![(6, 22), (6, 23), (0, 0), (0, 1)]);
    assert_eq!(s.offset(0, 1), Some(3));
    assert_eq!(s.offset(0, 2), None);
    assert_eq!(s.offset(6, 21), None);
    assert_eq!(s.label(), "Sun 22:00–02:00");
    assert_eq!(Shift { weekday: 0, start_hour: 0, hours: 24 }.slots().len(), 24);
    assert_eq!(weekdays_between(0, 6, 3), 1, "1970-01-01 was a Thursday");
    assert_eq!(weekdays_between(0, 13, 4), 2);
}

/// Four weeks of Fridays (2017-03-03 … 2017-03-24) and the four before, with a hot corner.
fn city() -> CrimeTable {
    let mut rows = Vec::new();
    let fridays = [
        "2017-02-03",
        "2017-02-10",
        "2017-02-17",
        "2017-02-24",
        "2017-03-03",
        "2017-03-10",
        "2017-03-17",
        "2017-03-24",
    ];
    for (w, day) in fridays.iter().enumerate() {
        // Every Friday: 3 incidents at 22:00 at the hot corner (area 8, district 18), 1 at 21:00
        // elsewhere (area 32, district 1); the last four weeks have an extra battery at 23:00.
        for k in 0..3 {
            rows.push((
                (100.0 + k as f64, 100.0),
                format!("{day} 22:{:02}:00", 10 * k),
                "true",
                "18",
                "8",
                "THEFT",
            ));
        }
        rows.push(((3000.0, 3000.0), format!("{day} 21:00:00"), "false", "1", "32", "THEFT"));
        if w >= 4 {
            rows.push(((3000.0, 0.0), format!("{day} 23:30:00"), "false", "1", "32", "BATTERY"));
        }
        // Outside the shift: Friday noon.
        rows.push(((6000.0, 6000.0), format!("{day} 12:00:00"), "false", "2", "35", "THEFT"));
    }
    // The first day of the earlier four weeks (a Saturday noon, outside the shift), so that window
    // is wholly in the data and the trend is a real one.
    rows.push(((6000.0, 6000.0), "2017-01-28 12:00:00".into(), "false", "2", "35", "THEFT"));
    table(&rows)
}

#[test]
fn expected_counts_peaks_areas_and_four_weeks_come_from_the_history() {
    let t = city();
    let b = fit(&t, Shift::default(), &[]);
    // The data spans 8 Fridays (2017-02-03 … 2017-03-24).
    assert_eq!(b.shifts_seen, 8);
    assert_eq!(b.shift_incidents, 8 * 4 + 4);
    let at = |h: u8| b.hours.iter().find(|x| x.hour == h).unwrap();
    assert_eq!(at(22).incidents, 24);
    assert_eq!(at(22).expected, 3.0);
    assert_eq!(at(21).expected, 1.0);
    assert_eq!(at(23).expected, 0.5);
    assert_eq!(at(0).weekday, 5, "midnight is Saturday");
    assert!((b.expected_total - 4.5).abs() < 1e-12);
    assert_eq!(b.peak_hours, vec![22, 21, 23]);
    // Areas: 8 (the hot corner) first, 32 next; 35 has nothing in the shift.
    assert_eq!(b.community_areas.iter().map(|a| a.id).collect::<Vec<_>>(), [8, 32, 35]);
    assert_eq!(b.community_areas[0].per_shift, 3.0);
    let a32 = &b.community_areas[1];
    assert_eq!((a32.last_4_weeks, a32.previous_4_weeks), (8, 4));
    assert_eq!(a32.change, Some(1.0));
    assert_eq!(b.districts[0].id, 18);
    // Four weeks: 2017-02-25 … 2017-03-24 against the 28 days before.
    let f = &b.four_weeks;
    assert_eq!(f.as_of, "2017-03-24");
    assert_eq!((f.last, f.previous), (4 * 6, 4 * 5 + 1));
    assert_eq!(f.partial, None);
    assert_eq!((f.arrests_last, f.arrests_previous), (12, 12));
    assert_eq!(f.movers[0].primary_type, "BATTERY");
    assert_eq!(f.movers[0].change, None);
    // Where: the hot corner is the top hotspot and the route visits it.
    let (x, y) = crate::features::project(b.hotspots[0].lat, b.hotspots[0].lon);
    assert!(x.hypot(y - 0.0) < 400.0 && (y - 125.0).abs() < 200.0, "top hotspot at {x},{y}");
    let route = b.route.as_ref().expect("a route");
    assert_eq!(route.params.depart_min, 20 * 60);
    assert!(route.cars[0].visits.iter().any(|v| v.rank == 1));
    assert!(route.params.start_name.contains("headquarters"), "no stations: from HQ");
    // The track record: the Friday nights with four weeks of data before them and wholly in the
    // data (the night of 2017-03-24 runs past its end), each forecast from the rows before it.
    let tr = b.track_record.as_ref().expect("a track record");
    assert_eq!((tr.shifts, tr.first.as_str(), tr.last.as_str()), (3, "2017-03-03", "2017-03-17"));
    assert!(track_record::CANDIDATES.contains(&tr.method));
    assert_eq!(tr.candidates.len(), track_record::CANDIDATES.len());
    assert_eq!(tr.candidates[0].method, tr.method);
    // One cell of the four in the study area (1 % rounds up to one): the hot corner, which held 3
    // of each night's 4 incidents (5 from March on, with the battery).
    assert_eq!(tr.cells, 1);
    assert!((tr.hit_rate - 3.0 / 5.0).abs() < 1e-9, "{}", tr.hit_rate);
    assert!(
        tr.sentence.starts_with("Over the last 3 Friday nights these cells held 60.0 % of incidents"),
        "{}",
        tr.sentence
    );
    assert_eq!(b.hotspots[0].why.split(';').next().map(|s| s.contains(&tr.label)), Some(true));
}

#[test]
fn the_route_starts_at_the_station_nearest_the_hotspots() {
    let t = city();
    let st = |d: &str, x: f64, y: f64| {
        let (lat, lon) = unproject(x, y);
        Station { district: d.into(), name: String::new(), address: format!("{d} Main St"), lat, lon }
    };
    let stations = [st("1", 9000.0, 9000.0), st("18", 500.0, 500.0), st("2", -8000.0, 0.0)];
    let b = fit(&t, Shift::default(), &stations);
    let route = b.route.unwrap();
    assert!(route.params.start_name.starts_with("District 18"), "{}", route.params.start_name);
    assert_eq!(nearest_station(&[], &b.hotspots), None);
}

#[test]
fn a_shift_with_no_history_says_so_and_bad_parameters_are_errors() {
    let t = city();
    // Tuesday mornings: nothing happened then.
    let b = fit(&t, Shift { weekday: 1, start_hour: 6, hours: 2 }, &[]);
    assert_eq!(b.shift_incidents, 0);
    assert!(b.hotspots.is_empty());
    assert!(b.peak_hours.is_empty());
    assert!(b.route.is_none() && b.route_error.unwrap().contains("no hotspots"));
    for bad in [
        BriefingParams { shift: Shift { weekday: 7, ..Shift::default() }, ..BriefingParams::default() },
        BriefingParams { shift: Shift { hours: 0, ..Shift::default() }, ..BriefingParams::default() },
        BriefingParams { shift: Shift { start_hour: 24, ..Shift::default() }, ..BriefingParams::default() },
        BriefingParams { hotspots: 0, ..BriefingParams::default() },
        BriefingParams { cell_m: 5.0, ..BriefingParams::default() },
    ] {
        assert!(matches!(bad.check(), Err(AnalysisError::Param(_))));
    }
    let none = BriefingParams::default().check().unwrap().fit(&t, &[], &[], &mut StreetGrid, &mut Silent);
    assert!(matches!(none, Err(AnalysisError::Data(_))));
}

#[test]
fn on_the_real_sample_friday_night_peaks_at_20_and_22() {
    let t = crate::shared_data::sample();
    let b = fit(&t, Shift::default(), &[]);
    // 2016-02-26 … 2017-12-31: 97 Fridays.
    assert_eq!(b.shifts_seen, 97);
    let sum: u64 = b.hours.iter().map(|h| h.incidents).sum();
    assert_eq!(sum, b.shift_incidents);
    assert!(b.expected_total > 150.0 && b.expected_total < 400.0, "{}", b.expected_total);
    // The evening hours lead; midnight is among the peaks too (the portal dates incidents of
    // unknown time at 00:00).
    assert_eq!(b.peak_hours, vec![20, 0, 22]);
    assert_eq!(b.hotspots.len(), 10);
    assert!(b.route.is_some());
    assert!(b.districts.len() >= 22);
    assert!(b.community_areas.len() >= 77);
    let f = b.four_weeks;
    assert_eq!(f.as_of, "2017-12-31");
    // The hotspots come from the forecast with the best record over the last 8 Friday nights.
    let tr = b.track_record.expect("a track record");
    assert_eq!((tr.shifts, tr.first.as_str(), tr.last.as_str()), (8, "2017-11-10", "2017-12-29"));
    assert!(tr.pai >= tr.naive_pai, "the best candidate is at least naive's: {tr:?}");
    assert!(tr.hit_rate > 0.03 && tr.area > 0.009 && tr.area < 0.011, "{tr:?}");
    eprintln!("{} ({})", tr.sentence, tr.label);
}

#[test]
fn no_trend_when_the_data_starts_inside_the_earlier_four_weeks() {
    let row = |day: u32| ((0.0, 0.0), format!("2018-02-{day:02}T21:00:00"), "false", "1", "32", "THEFT");
    // 2018-01-17 … 2018-02-28: the earlier window (from 2018-01-04) is cut short.
    let mut rows: Vec<Row> = (1..=28).map(row).collect();
    rows.push(((0.0, 0.0), "2018-01-17T21:00:00".into(), "false", "1", "32", "THEFT"));
    let b = fit(&table(&rows), Shift::default(), &[]);
    let f = &b.four_weeks;
    assert!(
        f.partial.as_deref().is_some_and(|p| p.contains("2018-01-17") && p.contains("13 days")),
        "{:?}",
        f.partial
    );
    assert_eq!(f.change, None);
    assert!(b.community_areas.iter().all(|a| a.change.is_none()));
    assert!(f.movers.iter().all(|m| m.change.is_none()));
    // Both windows whole: a trend.
    rows.push(((0.0, 0.0), "2017-12-01T21:00:00".into(), "false", "1", "32", "THEFT"));
    let b = fit(&table(&rows), Shift::default(), &[]);
    assert_eq!(b.four_weeks.partial, None);
    assert!(b.four_weeks.change.is_some());
}

#[test]
fn the_conditions_that_empty_a_shift_are_named() {
    // Thefts on Friday nights (Fri 6 Jan 2017 22:00) and a battery on a Monday noon.
    let t = table(&[
        ((0.0, 0.0), "2017-01-06T22:00:00".into(), "false", "1", "32", "THEFT"),
        ((0.0, 0.0), "2017-01-13T23:00:00".into(), "true", "1", "32", "THEFT"),
        ((500.0, 0.0), "2017-01-09T12:00:00".into(), "false", "1", "32", "BATTERY"),
    ]);
    let friday = Shift::default();
    let parse = |q: &str| Filter::from_query(q).0;
    assert_eq!(emptied_by(&t, &parse(""), &friday), None);
    assert_eq!(emptied_by(&t, &parse("type=THEFT&arrest=yes"), &friday), None);
    // A Monday filter with Friday's briefing: the day is named, the type is not.
    let by = emptied_by(&t, &parse("type=THEFT&day=mon"), &friday).unwrap();
    assert_eq!(by.iter().map(|c| c.key.as_str()).collect::<Vec<_>>(), vec!["day:0"]);
    assert_eq!(
        emptied_sentence(&by, &friday),
        "The filter “Mon” leaves no incidents in the shift Fri 20:00–04:00."
    );
    // Without the type an arrest on a Friday night remains; without the arrest, a Monday battery
    // only: the type is named.
    let by = emptied_by(&t, &parse("type=BATTERY&arrest=yes"), &friday).unwrap();
    assert_eq!(by.iter().map(|c| c.key.as_str()).collect::<Vec<_>>(), vec!["type:BATTERY"]);
    // Dates outside the data and a Monday: neither alone, so both are named.
    let by = emptied_by(&t, &parse("from=2018-01-01&day=mon"), &friday).unwrap();
    assert_eq!(by.iter().map(|c| c.key.as_str()).collect::<Vec<_>>(), vec!["date", "day:0"]);
    assert_eq!(
        emptied_sentence(&by, &friday),
        "The filters “from 2018-01-01” and “Mon” leave no incidents in the shift Fri 20:00–04:00."
    );
    // Nothing at 03:00–05:00 on Mondays, filter or not: no condition to blame.
    let dawn = Shift { weekday: 0, start_hour: 3, hours: 2 };
    assert_eq!(emptied_by(&t, &parse(""), &dawn), Some(vec![]));
    let b = Briefing::emptied(friday, vec![]);
    assert_eq!((b.shift_incidents, b.emptied_by), (0, Some(vec![])));
}

/// With environment layers the risk terrain is one more candidate for the hotspots; on a city too
/// small to fit it (four cells) it ranks nothing, and the briefing is the one without layers.
#[test]
fn layers_add_the_risk_terrain_to_the_candidates() {
    let t = city();
    let layer = crate::terrain::Layer {
        name: "bars".into(),
        points: vec![(100.0, 100.0)],
        lines: vec![],
        polygons: vec![],
        summary: Default::default(),
    };
    let with = BriefingParams::default()
        .check()
        .unwrap()
        .fit_with_layers(&t, &all(&t), &[], &mut StreetGrid, &[layer], &mut Silent)
        .unwrap();
    let tr = with.track_record.as_ref().expect("a track record");
    assert_eq!(tr.candidates.len(), track_record::CANDIDATES.len() + 1);
    let terrain = tr
        .candidates
        .iter()
        .find(|c| c.method == crate::forecast::methods::ForecastMethod::RiskTerrain)
        .expect("a candidate");
    assert!(terrain.pai <= tr.pai);
    let without = fit(&t, Shift::default(), &[]);
    assert_eq!(with.hotspots, without.hotspots);
}
