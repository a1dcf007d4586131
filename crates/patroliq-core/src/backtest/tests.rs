use super::*;
use crate::cluster::Silent;
use crate::features::unproject;
use crate::{load_bytes, LoadOptions};

/// A table of incidents: (x, y metres, date, primary type).
fn table(rows: &[(f64, f64, String, &str)]) -> CrimeTable {
    let mut csv = String::from("Date,Primary Type,FBI Code,Location Description,Latitude,Longitude\n");
    for (x, y, date, ty) in rows {
        let (lat, lon) = unproject(*x, *y);
        csv.push_str(&format!("{date},{ty},06,STREET,{lat},{lon}\n"));
    }
    load_bytes("t", csv.as_bytes(), LoadOptions::default()).unwrap().table
}

fn all(t: &CrimeTable) -> Vec<u32> {
    (0..t.len() as u32).collect()
}

fn date(day: u32, hour: u32) -> String {
    let d = NaiveDate::from_ymd_opt(2017, 1, 1).unwrap() + chrono::Days::new(day as u64);
    format!("{}T{hour:02}:00:00", d.format("%Y-%m-%d"))
}

fn params(split: &str, coverages: Vec<f64>) -> BacktestValid {
    BacktestParams {
        split: Some(split.parse().unwrap()),
        coverages,
        route_stops: 0,
        ..BacktestParams::default()
    }
    .check()
    .unwrap()
}

fn method(b: &Backtest, m: Method) -> &MethodResult {
    b.methods.iter().find(|r| r.method == m).unwrap()
}

/// A 10 × 10 block of 250 m cells with one January incident each; cell (3, 4) has five more in
/// late February and all ten test crimes in March.
fn one_hot_cell() -> CrimeTable {
    let centre = |c: usize, r: usize| (c as f64 * 250.0 + 125.0, r as f64 * 250.0 + 125.0);
    let mut rows = Vec::new();
    for i in 0..100 {
        let (x, y) = centre(i % 10, i / 10);
        rows.push((x, y, date(i as u32 % 30, 10), "THEFT"));
    }
    let (hx, hy) = centre(3, 4);
    for d in 0..5 {
        rows.push((hx + 10.0 * d as f64, hy, date(55 + d, 12), "THEFT"));
    }
    for d in 0..10 {
        rows.push((hx - 5.0 * d as f64, hy + 3.0, date(69 + d, 22), "THEFT"));
    }
    table(&rows)
}

#[test]
fn all_test_crimes_in_one_of_a_hundred_cells_give_pai_100_when_it_is_flagged_first() {
    let t = one_hot_cell();
    let b = params("2017-03-10", vec![0.01, 0.05]).run(&t, &all(&t), &mut Silent).unwrap();
    assert_eq!(b.study_cells, 100);
    assert_eq!((b.train.incidents, b.test.incidents, b.test_outside), (105, 10, 0));
    assert_eq!(b.split, "2017-03-10");
    for m in [Method::Naive, Method::Kde, Method::RiskSeverity, Method::Risk] {
        let r = &method(&b, m).metrics[0];
        assert_eq!((r.cells, r.hits), (1, 10), "{m:?}");
        assert!((r.pai - 100.0).abs() < 1e-9, "{m:?}: {}", r.pai);
        assert_eq!(r.pei, 1.0);
        // At 5 %: the same 10 hits on 5 cells, PAI 20.
        assert!((method(&b, m).metrics[1].pai - 20.0).abs() < 1e-9);
    }
    assert_eq!(b.oracle[0].pei, 1.0);
    assert!((b.oracle[0].pai - 100.0).abs() < 1e-9);
    // Every curve ends at 100 % of the area with every test crime.
    for m in &b.methods {
        assert_eq!(*m.curve.last().unwrap(), 1.0, "{}", m.label);
        assert!(m.curve.windows(2).all(|w| w[0] <= w[1]));
    }
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
}

#[test]
fn the_split_never_leaks_test_rows_into_training() {
    let t = one_hot_cell();
    let v = params("2017-03-10", vec![1.0]);
    let before = v.rankings(&t, &all(&t));
    // The same table with every test row moved 3 km north-east, at another hour, of another type.
    let split = day_start("2017-03-10".parse().unwrap());
    let mut moved = t.clone();
    for r in 0..moved.len() {
        if moved.date.get(r) >= split {
            let (la, lo) = unproject(3000.0 + r as f64, 2800.0);
            moved.latitude.set(r, la);
            moved.longitude.set(r, lo);
            moved.date.set(r, moved.date.get(r) + 7 * 3600);
        }
    }
    assert_eq!(v.rankings(&moved, &all(&moved)), before);
    // And the test crimes did move: the moved ones fall outside the study area.
    let b = v.run(&moved, &all(&moved), &mut Silent).unwrap();
    assert_eq!((b.test.incidents, b.test_outside), (10, 10));
}

#[test]
fn the_default_split_is_the_last_fifth_of_the_date_range_and_bad_splits_are_refused() {
    let t = one_hot_cell();
    let v = BacktestParams { route_stops: 0, ..BacktestParams::default() }.check().unwrap();
    let rows = all(&t);
    let s = v.split_of(&t, &rows).unwrap();
    let (lo, hi) = (t.date.iter().min().unwrap(), t.date.iter().max().unwrap());
    assert_eq!(s % DAY, 0, "from the start of a day");
    assert!(s <= lo + (hi - lo) * 4 / 5 && s > lo + (hi - lo) * 4 / 5 - DAY);
    for (split, word) in [("2016-12-01", "no training rows"), ("2017-06-01", "no test rows")] {
        let e = params(split, vec![0.05]).run(&t, &rows, &mut Silent).unwrap_err();
        assert!(e.to_string().contains(word), "{e}");
    }
    assert!(params("2017-03-10", vec![0.05]).run(&t, &[], &mut Silent).is_err());
    for bad in [vec![], vec![0.0], vec![1.5], vec![f64::NAN]] {
        assert!(BacktestParams { coverages: bad, ..BacktestParams::default() }.check().is_err());
    }
}

/// Three persistent hotspots over a scatter, two years of days.
fn persistent() -> CrimeTable {
    let mut rows = Vec::new();
    let spots = [(-2000.0, 1500.0), (1800.0, -900.0), (500.0, 2500.0)];
    let mut seed = 7u64;
    let mut rnd = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    for day in 0..360u32 {
        for (k, &(sx, sy)) in spots.iter().enumerate() {
            for _ in 0..(3 - k) {
                rows.push((sx + 300.0 * (rnd() - 0.5), sy + 300.0 * (rnd() - 0.5), date(day, 13), "THEFT"));
            }
        }
        for _ in 0..4 {
            rows.push((8000.0 * (rnd() - 0.5), 8000.0 * (rnd() - 0.5), date(day, 3), "BATTERY"));
        }
    }
    table(&rows)
}

#[test]
fn on_persistent_hotspots_every_method_beats_chance_and_the_filter_applies() {
    let t = persistent();
    let v = BacktestParams { kmeans_k: 6, ..BacktestParams::default() }.check().unwrap();
    let b = v.run(&t, &all(&t), &mut Silent).unwrap();
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    assert_eq!(b.methods.len(), Method::ALL.len());
    for m in &b.methods {
        let at5 = &m.metrics[1];
        assert!(at5.pai > 3.0, "{}: PAI {} at 5 %", m.label, at5.pai);
        eprintln!("{}: PAI {:.2} PEI {:.2} note {}", m.label, at5.pai, at5.pei, m.note);
        assert!(at5.pei > 0.25 && at5.pei <= 1.0 + 1e-12, "{}: PEI {}", m.label, at5.pei);
    }
    let route = b.route.as_ref().expect("route scoring");
    let opt = &route.rows[0];
    assert_eq!((opt.route.as_str(), opt.stops), ("optimised", 20));
    assert!(opt.pai > 1.0, "route PAI {}", opt.pai);
    assert!(route.rows[1].distance_m <= opt.distance_m + 1e-6 || route.rows[1].stops == 1);

    // Thefts only: the scattered batteries are gone from the test crimes, hit rates rise.
    let thefts = crate::filter::Filter { types: vec!["THEFT".into()], ..Default::default() }.select(&t);
    let f = v.run(&t, &thefts, &mut Silent).unwrap();
    assert!(f.test.incidents < b.test.incidents);
    assert!(method(&f, Method::Kde).metrics[1].hit_rate > method(&b, Method::Kde).metrics[1].hit_rate);
    // The study area is the whole table's, not the filter's.
    assert_eq!(f.study_cells, b.study_cells);
}

/// With a layer of places at the three hotspots, `risk_terrain` joins the methods, finds them and
/// ranks the cells from the training rows alone (moving every test row changes nothing).
#[test]
fn risk_terrain_joins_with_layers_and_never_sees_the_test_rows() {
    use crate::terrain::Layer;
    let t = persistent();
    let v = BacktestParams { route_stops: 0, ..BacktestParams::default() }.check().unwrap();
    let places = Layer {
        name: "places".into(),
        points: vec![(-2000.0, 1500.0), (1800.0, -900.0), (500.0, 2500.0)],
        lines: vec![],
        polygons: vec![],
        summary: Default::default(),
    };
    let layers = [places];
    let terrain = |t: &CrimeTable| {
        let b = v.run_with_layers(t, &all(t), &layers, &mut Silent).unwrap();
        assert!(b.warnings.is_empty(), "{:?}", b.warnings);
        b.methods.into_iter().find(|m| m.method == Method::RiskTerrain).expect("risk_terrain ran")
    };
    let before = terrain(&t);
    assert!(before.metrics[0].pai > 3.0, "PAI {} at 5 %: {}", before.metrics[0].pai, before.note);
    assert!(before.note.contains("places"), "{}", before.note);
    let split = v.split_of(&t, &all(&t)).unwrap();
    let mut moved = t.clone();
    for r in 0..moved.len() {
        if moved.date.get(r) >= split {
            let (la, lo) = unproject(3000.0 + r as f64, 2800.0);
            moved.latitude.set(r, la);
            moved.longitude.set(r, lo);
        }
    }
    assert_eq!(terrain(&moved).cells, before.cells);
    // Without layers it is not run, and asked for alone it says why.
    let b = v.run(&t, &all(&t), &mut Silent).unwrap();
    assert!(b.methods.iter().all(|m| m.method != Method::RiskTerrain));
    let alone =
        BacktestParams { route_stops: 0, methods: vec![Method::RiskTerrain], ..BacktestParams::default() }
            .check()
            .unwrap()
            .run(&t, &all(&t), &mut Silent)
            .unwrap();
    assert!(alone.warnings[0].contains("needs environment layers"), "{:?}", alone.warnings);
}
