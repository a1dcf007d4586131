use chrono::NaiveDate;

use super::methods::ForecastMethod;
use super::rolling::{Rolling, RollingParams, RollingValid};
use super::*;
use crate::cluster::Silent;
use crate::features::unproject;
use crate::model::CrimeTable;
use crate::{load_bytes, LoadOptions};

/// A table of incidents: (x, y metres, seconds since 2017-01-01 00:00).
pub(crate) fn table(rows: &[(f64, f64, i64)]) -> CrimeTable {
    let mut csv = String::from("Date,Primary Type,FBI Code,Location Description,Latitude,Longitude\n");
    let base = crate::filter::day_start(NaiveDate::from_ymd_opt(2017, 1, 1).unwrap());
    for &(x, y, s) in rows {
        let (lat, lon) = unproject(x, y);
        let d = chrono::DateTime::from_timestamp(base + s, 0).unwrap().format("%Y-%m-%dT%H:%M:%S");
        csv.push_str(&format!("{d},THEFT,06,STREET,{lat},{lon}\n"));
    }
    load_bytes("t", csv.as_bytes(), LoadOptions::default()).unwrap().table
}

pub(crate) fn all(t: &CrimeTable) -> Vec<u32> {
    (0..t.len() as u32).collect()
}

fn day(d: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2017, 1, 1).unwrap() + chrono::Days::new(d as u64)
}

/// Centre of cell (c, r) of a 250 m lattice.
fn centre(c: usize, r: usize) -> (f64, f64) {
    (c as f64 * 250.0 + 125.0, r as f64 * 250.0 + 125.0)
}

/// A tiny deterministic generator (the tests' own, so they do not depend on a crate's stream).
pub(crate) struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn rolling(from: i64, to: i64, horizon: Horizon) -> RollingParams {
    RollingParams { bootstrap: 500, ..RollingParams::new(day(from), day(to), horizon) }
}

fn run(p: RollingParams, t: &CrimeTable) -> Rolling {
    p.check().unwrap().run(t, &all(t), &mut Silent).unwrap()
}

#[test]
fn periods_of_a_night_shift_a_week_and_a_month_and_the_slot_of_a_late_hour() {
    let n = Horizon::NIGHT.periods(day(0), day(9), 2);
    assert_eq!(n.len(), 12);
    assert_eq!(n.iter().filter(|s| s.warmup).count(), 2);
    let d10 = crate::filter::day_start(day(10));
    assert_eq!(n[11], Span { start: d10 - DAY + 20 * 3600, end: d10 + 4 * 3600, warmup: false });
    // 2017-01-06 is a Friday: its night shift holds Saturday 02:00, not Saturday 20:00's.
    let fri = crate::filter::day_start(day(5));
    assert_eq!(Horizon::NIGHT.slot(fri + 22 * 3600), Some(4));
    assert_eq!(Horizon::NIGHT.slot(fri + DAY + 2 * 3600), Some(4));
    assert_eq!(Horizon::NIGHT.slot(fri + DAY + 4 * 3600), None);
    assert_eq!(Horizon::NIGHT.slot(fri + DAY + 20 * 3600), Some(5));
    assert_eq!(Horizon::Day.slot(fri + 3600), Some(4));
    let w = Horizon::Week.periods(day(0), day(20), 1);
    assert_eq!((w.len(), w[1].start), (4, crate::filter::day_start(day(0))));
    let m = Horizon::Month.periods(day(10), day(89), 1);
    // From the 2017-01-11: February and March, and January before them as the warm-up.
    let starts: Vec<String> = m.iter().map(|s| crate::filter::day_of(s.start)).collect();
    assert_eq!(starts, ["2017-01-01", "2017-02-01", "2017-03-01"]);
    assert!(m[0].warmup && !m[1].warmup);
    assert!(Horizon::Shift { from_hour: 24, to_hour: 2 }.check().is_err());
}

/// A 10 × 10 block of 250 m cells with one January incident each, and cell (3, 4) with one
/// incident at 22:00 every night: the only incident of every night shift from February on.
fn one_repeating_cell() -> CrimeTable {
    let mut rows = Vec::new();
    for i in 0..100 {
        let (x, y) = centre(i % 10, i / 10);
        rows.push((x, y, (i as i64 % 30) * DAY + 10 * 3600));
    }
    let (hx, hy) = centre(3, 4);
    for d in 0..100 {
        rows.push((hx + (d % 7) as f64 * 10.0, hy, d * DAY + 22 * 3600));
    }
    table(&rows)
}

#[test]
fn one_repeating_cell_gives_pai_100_at_one_percent_for_every_method() {
    let t = one_repeating_cell();
    let r = run(rolling(70, 79, Horizon::NIGHT), &t);
    assert_eq!((r.study_cells, r.periods.len(), r.scored), (100, 10, 10));
    assert!(r.periods.iter().all(|p| p.incidents == 1 && p.outside == 0));
    assert_eq!(r.methods.len(), ForecastMethod::ALL.len());
    for m in &r.methods {
        let s = m.at(0.01);
        assert_eq!(s.cells, 1);
        assert!((s.pai - 100.0).abs() < 1e-9, "{}: PAI {} ({})", m.method.key(), s.pai, m.note);
        assert_eq!((s.hit_rate, s.pei), (1.0, 1.0), "{}", m.method.key());
        assert_eq!(s.pai_interval, [100.0, 100.0]);
        // At 5 %: the same hit on 5 cells.
        assert!((m.at(0.05).pai - 20.0).abs() < 1e-9);
        // Any hit rate needs the one cell: 1 % of the area.
        assert!(m.area_needed.iter().all(|&(_, a)| (a - 0.01).abs() < 1e-12), "{:?}", m.area_needed);
        if let Some(v) = &s.vs_naive {
            assert_eq!((v.wins, v.ties, v.losses), (0, 10, 0));
            assert_eq!((v.mean_gain, v.relative_gain), (0.0, 0.0));
        }
    }
    assert!(r.method(ForecastMethod::Naive).unwrap().summary[0].vs_naive.is_none());
    // Cancel half-way: the run stops with `Cancelled`.
    let v = rolling(70, 79, Horizon::NIGHT).check().unwrap();
    let e = v.run(&t, &all(&t), &mut |d: f64| d < 0.5).unwrap_err();
    assert_eq!(e, AnalysisError::Cancelled);
    assert!(!r.sepp_fits.is_empty());
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

/// Cell A: many incidents by day; cell B: fewer, all at night; the night shifts' incidents are B's.
fn day_and_night_cells() -> CrimeTable {
    let mut rows = Vec::new();
    let mut rnd = Lcg(3);
    for i in 0..400 {
        let (x, y) = centre(i % 20, i / 20);
        rows.push((x, y, (rnd.next() * 120.0 * DAY as f64) as i64));
    }
    let ((ax, ay), (bx, by)) = (centre(5, 5), centre(14, 12));
    for d in 0..120 {
        for h in [9, 11, 13, 15] {
            rows.push((ax, ay, d * DAY + h * 3600));
        }
        rows.push((bx, by, d * DAY + 23 * 3600));
    }
    table(&rows)
}

#[test]
fn the_same_shift_count_beats_the_all_day_count_on_night_incidents_every_night() {
    let t = day_and_night_cells();
    let p = RollingParams {
        methods: vec![ForecastMethod::Naive, ForecastMethod::NaiveShift],
        coverages: vec![1.0 / 400.0],
        ..rolling(100, 115, Horizon::NIGHT)
    };
    let r = run(p, &t);
    let shift = r.method(ForecastMethod::NaiveShift).unwrap().at(0.0025);
    let naive = r.method(ForecastMethod::Naive).unwrap().at(0.0025);
    assert!(naive.hit_rate < shift.hit_rate, "{} vs {}", naive.hit_rate, shift.hit_rate);
    let v = shift.vs_naive.as_ref().unwrap();
    assert_eq!(v.wins, r.scored, "{v:?}");
    assert_eq!(v.share_won, 1.0);
    assert!(v.gain_interval[0] > 0.0, "{v:?}");
    // The all-day count never flags B: its PAI is 0 and a relative gain has no meaning.
    assert_eq!(naive.pai, 0.0);
    assert!(v.relative_gain.is_nan() && v.relative_interval[0].is_nan());
    // The day horizon counts every hour: there A holds most incidents, and the all-day count wins.
    let p = RollingParams {
        methods: vec![ForecastMethod::Naive, ForecastMethod::NaiveShift],
        coverages: vec![1.0 / 400.0],
        ..rolling(100, 115, Horizon::Day)
    };
    let d = run(p, &t);
    assert!(d.method(ForecastMethod::Naive).unwrap().at(0.0025).hit_rate > shift.hit_rate / 2.0);
}

/// Persistent spots, a drifting one and a scatter over 140 days at all hours, and `extra` rows.
fn busy(extra: &[(f64, f64, i64)]) -> CrimeTable {
    let mut rows = extra.to_vec();
    let mut rnd = Lcg(11);
    let spots = [(-2000.0, 1500.0, 3.0), (1800.0, -900.0, 2.0), (500.0, 2500.0, 1.0)];
    for d in 0..140i64 {
        for &(sx, sy, k) in &spots {
            for _ in 0..k as usize {
                let s = (rnd.next() * DAY as f64) as i64;
                rows.push((sx + 400.0 * (rnd.next() - 0.5), sy + 400.0 * (rnd.next() - 0.5), d * DAY + s));
            }
        }
        // A spot that moves east 50 m a day: what near-repeat and self-exciting forecasts follow.
        for _ in 0..2 {
            let s = (rnd.next() * DAY as f64) as i64;
            rows.push((-3000.0 + 50.0 * d as f64, -2500.0 + 100.0 * rnd.next(), d * DAY + s));
        }
        for _ in 0..6 {
            let s = (rnd.next() * DAY as f64) as i64;
            rows.push((8000.0 * (rnd.next() - 0.5), 8000.0 * (rnd.next() - 0.5), d * DAY + s));
        }
    }
    table(&rows)
}

fn rankings(v: &RollingValid, t: &CrimeTable) -> Vec<(usize, ForecastMethod, Vec<usize>)> {
    let mut out = Vec::new();
    v.run_inspect(t, &all(t), &mut Silent, &mut |k, m, order| out.push((k, m, order.to_vec()))).unwrap();
    out
}

#[test]
fn no_period_is_fitted_on_its_own_or_later_rows() {
    let base = crate::filter::day_start(day(0));
    for horizon in [Horizon::NIGHT, Horizon::Day, Horizon::Week] {
        let p = RollingParams {
            ensemble: methods::EnsembleParams { periods: 3, ..Default::default() },
            ..rolling(112, 133, horizon)
        };
        let v = p.check().unwrap();
        let spans = horizon.periods(day(112), day(133), 3);
        // A row exactly at a period's start belongs to that period.
        let mid = spans.len() / 2;
        let t = busy(&[(3000.0, 3000.0, spans[mid].start - base)]);
        let before = rankings(&v, &t);
        assert_eq!(before.len(), spans.len() * ForecastMethod::ALL.len());
        for k in [0, 3, mid, spans.len() - 2] {
            let start = spans[k].start;
            // Every row at or after the period's start: moved anywhere in 8 km, three hours later.
            let mut moved = t.clone();
            let mut rnd = Lcg(k as u64);
            for r in 0..moved.len() {
                if moved.date.get(r) >= start {
                    let (lat, lon) = unproject(-4000.0 + 8000.0 * rnd.next(), -4000.0 + 8000.0 * rnd.next());
                    moved.latitude.set(r, lat);
                    moved.longitude.set(r, lon);
                    moved.date.set(r, moved.date.get(r) + 3 * 3600);
                }
            }
            let after = rankings(&v, &moved);
            for (b, a) in before.iter().zip(&after) {
                assert_eq!((b.0, b.1), (a.0, a.1));
                if b.0 <= k {
                    assert!(
                        b.2 == a.2,
                        "{horizon:?}: period {} ({}) saw rows at or after period {k}'s start",
                        b.0,
                        b.1.key()
                    );
                }
            }
            // The moved rows do change later forecasts: the comparison can fail. (The same-shift
            // count sees them only a week on, at the same weekday's period.)
            let unchanged: Vec<ForecastMethod> = ForecastMethod::ALL
                .into_iter()
                .filter(|&m| m != ForecastMethod::NaiveShift || spans.len() - k > 7)
                .filter(|&m| !before.iter().zip(&after).any(|(b, a)| b.0 > k && b.1 == m && b.2 != a.2))
                .collect();
            assert!(unchanged.is_empty(), "{horizon:?}, period {k}: {unchanged:?} did not change");
        }
    }
}

#[test]
fn bad_parameters_are_refused() {
    let ok = rolling(70, 79, Horizon::NIGHT);
    assert!(ok.clone().check().is_ok());
    for bad in [
        RollingParams { to: day(60), ..ok.clone() },
        RollingParams { coverages: vec![0.0], ..ok.clone() },
        RollingParams { cell_m: 5.0, ..ok.clone() },
        RollingParams { naive_weeks: 0, ..ok.clone() },
        RollingParams { confidence: 1.0, ..ok.clone() },
        RollingParams { horizon: Horizon::Shift { from_hour: 20, to_hour: 30 }, ..ok.clone() },
    ] {
        assert!(bad.check().is_err());
    }
    // Naive always runs, the ensemble last.
    let v =
        RollingParams { methods: vec![ForecastMethod::Ensemble, ForecastMethod::Kde], ..ok }.check().unwrap();
    assert_eq!(v.params().methods, [ForecastMethod::Naive, ForecastMethod::Kde, ForecastMethod::Ensemble]);
    // A week does not fit in three days.
    let t = one_repeating_cell();
    assert!(rolling(70, 72, Horizon::Week).check().unwrap().run(&t, &all(&t), &mut Silent).is_err());
}

/// `busy`'s incidents with crime types and places that vary: what the risk grid's severity and
/// environment parts read.
fn busy_varied() -> CrimeTable {
    let t = busy(&[]);
    let kinds = [
        ("BATTERY", "08B", "BAR OR TAVERN"),
        ("THEFT", "06", "RESIDENCE"),
        ("ROBBERY", "03", "GAS STATION"),
        ("HOMICIDE", "01A", "CTA PLATFORM"),
        ("THEFT", "06", "PARKING LOT/GARAGE(NON.RESID.)"),
        ("NARCOTICS", "18", "STREET"),
        ("THEFT", "06", "SMALL RETAIL STORE"),
        ("BATTERY", "08B", "SCHOOL PUBLIC BUILDING"),
    ];
    let mut csv = String::from("Date,Primary Type,FBI Code,Location Description,Latitude,Longitude\n");
    let mut rnd = Lcg(5);
    for r in 0..t.len() {
        let (ty, fbi, place) = kinds[(rnd.next() * kinds.len() as f64) as usize % kinds.len()];
        let d = chrono::DateTime::from_timestamp(t.date.get(r), 0).unwrap().format("%Y-%m-%dT%H:%M:%S");
        csv.push_str(&format!("{d},{ty},{fbi},{place},{},{}\n", t.latitude.get(r), t.longitude.get(r)));
    }
    load_bytes("t", csv.as_bytes(), LoadOptions::default()).unwrap().table
}

#[test]
fn the_risk_method_ranks_as_the_risk_grid_fitted_at_the_period_start() {
    let t = busy_varied();
    let p = RollingParams { methods: vec![ForecastMethod::Risk], ..rolling(112, 112, Horizon::Day) };
    let v = p.check().unwrap();
    let mut orders = Vec::new();
    v.run_inspect(&t, &all(&t), &mut Silent, &mut |k, m, order| {
        if m == ForecastMethod::Risk {
            orders.push((k, order.to_vec()));
        }
    })
    .unwrap();
    assert_eq!(orders.len(), 1);
    let start = crate::filter::day_start(day(112));
    let before: Vec<u32> = all(&t).into_iter().filter(|&r| t.date.get(r as usize) < start).collect();
    let model = crate::risk::RiskParams::default()
        .check()
        .unwrap()
        .fit_before(&t, &before, start, &mut Silent)
        .unwrap();
    assert!(model.environment.fit.is_some(), "the environment part takes part");
    let mut study: Vec<usize> = model.cells.iter().map(|c| c.cell).collect();
    study.sort_unstable();
    let ours: Vec<usize> = orders[0].1.iter().map(|&i| study[i]).collect();
    // The same cells on top, wherever the risk grid's scores are not tied at the cut.
    let mut checked = 0;
    for n in [5, 10, 20, 40, 80] {
        if (model.cells[n - 1].score - model.cells[n].score).abs() < 1e-12 {
            continue;
        }
        let mut a: Vec<usize> = ours[..n].to_vec();
        let mut b: Vec<usize> = model.cells[..n].iter().map(|c| c.cell).collect();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b, "top {n}");
        checked += 1;
    }
    assert!(checked >= 3);
}

/// With a layer of places at three persistent hotspots, `risk_terrain` joins the rolling test
/// (before the ensemble), ranks the hotspots' cells first, is refitted once a quarter, and is
/// refused, saying why, when asked for without layers.
#[test]
fn risk_terrain_joins_the_rolling_test_with_layers() {
    use crate::terrain::Layer;
    let spots = [(-2000.0, 1500.0), (1800.0, -900.0), (500.0, 2500.0)];
    let mut g = Lcg(11);
    let mut rows = Vec::new();
    for d in 0..200i64 {
        for (k, &(sx, sy)) in spots.iter().enumerate() {
            for _ in 0..(3 - k) {
                rows.push((
                    sx + 300.0 * (g.next() - 0.5),
                    sy + 300.0 * (g.next() - 0.5),
                    d * DAY + 13 * 3600,
                ));
            }
        }
        for _ in 0..4 {
            rows.push((8000.0 * (g.next() - 0.5), 8000.0 * (g.next() - 0.5), d * DAY + 3 * 3600));
        }
    }
    let t = table(&rows);
    let layer = Layer {
        name: "places".into(),
        points: spots.to_vec(),
        lines: vec![],
        polygons: vec![],
        summary: Default::default(),
    };
    let p = RollingParams {
        methods: vec![ForecastMethod::Naive, ForecastMethod::Kde, ForecastMethod::Ensemble],
        coverages: vec![0.05],
        ensemble: super::methods::EnsembleParams { periods: 2, ..Default::default() },
        ..rolling(150, 199, Horizon::Week)
    };
    let v = p.clone().check().unwrap();
    let r = v
        .run_with_layers(&t, &all(&t), std::slice::from_ref(&layer), &mut Silent, &mut |_, _, _| {})
        .unwrap();
    let keys: Vec<&str> = r.methods.iter().map(|m| m.method.key()).collect();
    assert_eq!(keys, ["naive", "kde", "risk_terrain", "ensemble"]);
    let terrain = r.method(ForecastMethod::RiskTerrain).unwrap();
    assert!(terrain.summary[0].pai > 3.0, "PAI {}: {}", terrain.summary[0].pai, terrain.note);
    assert!(terrain.note.contains("places (RR"), "{}", terrain.note);
    // 9 weeks (2 warm-up + 7 scored) are less than the 13 between fits: one fit.
    assert!(terrain.note.contains("(1 fit)"), "{}", terrain.note);
    // Without layers it does not run; asked for alone it is refused with what to do.
    assert!(v.run(&t, &all(&t), &mut Silent).unwrap().method(ForecastMethod::RiskTerrain).is_none());
    let alone = RollingParams { methods: vec![ForecastMethod::RiskTerrain], ..p }.check().unwrap();
    let e = alone.run(&t, &all(&t), &mut Silent).unwrap_err();
    assert!(e.to_string().contains("needs environment layers"), "{e}");
    assert_eq!(ForecastMethod::from_key("risk_terrain"), Some(ForecastMethod::RiskTerrain));
}
