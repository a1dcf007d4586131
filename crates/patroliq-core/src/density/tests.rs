use super::*;
use crate::cluster::Silent;
use crate::features::unproject;
use crate::{load_bytes, LoadOptions};

/// Rows at (x, y) metres with their dates.
fn table(rows: &[((f64, f64), &str)]) -> CrimeTable {
    let mut csv = String::from("Date,Primary Type,Latitude,Longitude\n");
    for ((x, y), date) in rows {
        let (lat, lon) = unproject(*x, *y);
        csv.push_str(&format!("{date},THEFT,{lat},{lon}\n"));
    }
    load_bytes("t", csv.as_bytes(), LoadOptions::default()).unwrap().table
}

fn all(t: &CrimeTable) -> Vec<u32> {
    (0..t.len() as u32).collect()
}

fn params(method: DensityMethod, frames: Frames) -> DensityValid {
    DensityParams { method, cell_m: 200.0, bandwidth_m: 400.0, frames }.check().unwrap()
}

#[test]
fn counts_are_incidents_per_km2_of_each_cell() {
    // Three incidents in one 200 m cell (0.04 km²), one in another.
    let t = table(&[
        ((10.0, 10.0), "2017-01-01 10:00:00"),
        ((20.0, 30.0), "2017-01-02 11:00:00"),
        ((50.0, 50.0), "2017-02-01 11:00:00"),
        ((1010.0, 10.0), "2017-02-03 23:00:00"),
    ]);
    let v = params(DensityMethod::Counts, Frames::Month).fit(&t, &all(&t), &mut Silent).unwrap();
    assert_eq!(v.all.incidents, 4);
    let cells: Vec<f32> = v.all.z.iter().flatten().copied().collect();
    assert_eq!(cells, vec![75.0, 25.0]);
    assert_eq!(v.lon.len() * v.lat.len(), v.all.z.len());
    let (la, lo, peak) = v.all.peak.unwrap();
    assert_eq!(peak, 75.0);
    let (x, y) = project(la, lo);
    assert!((x - 100.0).abs() < 1e-6 && (y - 100.0).abs() < 1e-6, "peak at the cell centre, got {x},{y}");
    // Months: January has 2, February 2; one colour scale for the animation.
    let labels: Vec<&str> = v.frames.iter().map(|f| f.label.as_str()).collect();
    assert_eq!(labels, ["2017-01", "2017-02"]);
    assert_eq!(v.frames.iter().map(|f| f.incidents).collect::<Vec<_>>(), [2, 2]);
    assert_eq!(v.frame_max, 50.0);
    assert_eq!(v.all_max, 75.0);
}

#[test]
fn hour_frames_split_the_day_and_add_up() {
    let t = table(&[
        ((10.0, 10.0), "2017-01-01 10:15:00"),
        ((20.0, 30.0), "2017-01-02 10:59:00"),
        ((50.0, 50.0), "2017-02-01 23:00:00"),
    ]);
    let v = params(DensityMethod::Counts, Frames::Hour).fit(&t, &all(&t), &mut Silent).unwrap();
    assert_eq!(v.frames.len(), 24);
    assert_eq!(v.frames[10].incidents, 2);
    assert_eq!(v.frames[23].incidents, 1);
    assert_eq!(v.frames.iter().map(|f| f.incidents).sum::<u64>(), v.all.incidents);
    assert!(v.frames[0].z.iter().all(Option::is_none));
}

#[test]
fn kde_integrates_to_the_incident_count_and_widens_with_the_bandwidth() {
    let t = table(&[((0.0, 0.0), "2017-01-01 10:00:00"), ((5000.0, 5000.0), "2017-01-01 11:00:00")]);
    let fit = |bw: f64| {
        DensityParams { method: DensityMethod::Kde, cell_m: 100.0, bandwidth_m: bw, frames: Frames::None }
            .check()
            .unwrap()
            .fit(&t, &all(&t), &mut Silent)
            .unwrap()
    };
    let narrow = fit(300.0);
    assert!(narrow.frames.is_empty());
    // Σ density × cell area ≈ the incidents (the kernel is cut at 3 bandwidths: 99 %).
    let mass: f64 = narrow.all.z.iter().flatten().map(|&v| v as f64 * 0.01).sum();
    assert!((mass - 2.0).abs() < 0.05, "mass {mass}");
    let wide = fit(900.0);
    let lit = |v: &DensityView| v.all.z.iter().flatten().count();
    assert!(lit(&wide) > lit(&narrow));
    assert!(wide.all.peak.unwrap().2 < narrow.all.peak.unwrap().2);
}

#[test]
fn bad_parameters_and_no_coordinates_are_errors() {
    let bad = DensityParams { cell_m: 20.0, ..DensityParams::default() }.check();
    assert!(matches!(bad, Err(AnalysisError::Param(_))));
    let bad = DensityParams { bandwidth_m: f64::NAN, ..DensityParams::default() }.check();
    assert!(matches!(bad, Err(AnalysisError::Param(_))));
    let t = table(&[((0.0, 0.0), "2017-01-01 10:00:00")]);
    let e = DensityParams::default().check().unwrap().fit(&t, &[], &mut Silent);
    assert!(matches!(e, Err(AnalysisError::Data(_))));
}

#[test]
fn round3_keeps_three_significant_digits() {
    assert_eq!(round3(12345.0), 12300.0);
    assert_eq!(round3(0.012345), 0.0123);
    assert_eq!(round3(0.0), 0.0);
}
