use super::hotspots::{hotspots, HotspotMode};
use super::*;
use crate::cluster::Silent;
use crate::features::unproject;
use crate::{load_bytes, LoadOptions};

/// A table of incidents at the given points (metres), dates and FBI codes.
fn table(rows: &[((f64, f64), &str, &str, &str)]) -> CrimeTable {
    let mut csv = String::from("Date,Primary Type,FBI Code,Location Description,Latitude,Longitude\n");
    for ((x, y), date, fbi, place) in rows {
        let (lat, lon) = unproject(*x, *y);
        csv.push_str(&format!("{date},THEFT,{fbi},{place},{lat},{lon}\n"));
    }
    load_bytes("t", csv.as_bytes(), LoadOptions::default()).unwrap().table
}

fn fit(t: &CrimeTable, p: RiskParams) -> RiskModel {
    let rows: Vec<u32> = (0..t.len() as u32).collect();
    p.check().unwrap().fit(t, &rows, &mut Silent).unwrap()
}

#[test]
fn parts_add_up_to_the_score_and_severity_ranks_cells() {
    let t = table(&[
        ((100.0, 100.0), "2017-01-01T10:00:00", "03", "STREET"),
        ((120.0, 130.0), "2017-01-02T10:00:00", "03", "STREET"),
        ((900.0, 100.0), "2017-01-03T10:00:00", "06", "STREET"),
        ((910.0, 110.0), "2017-01-04T10:00:00", "06", "STREET"),
        ((920.0, 120.0), "2017-01-05T10:00:00", "06", "STREET"),
    ]);
    let m = fit(&t, RiskParams { weights: [1.0, 0.0, 0.0], ..RiskParams::default() });
    assert_eq!(m.cells.len(), 2, "only cells with incidents are in the study area");
    // Robbery severity 8 × 2 = 16 beats theft 4 × 3 = 12.
    assert_eq!(m.cells[0].incidents, 2);
    assert!((m.cells[0].score - 1.0).abs() < 1e-12 && (m.cells[1].score - 0.75).abs() < 1e-12);
    for c in &m.cells {
        assert!((c.parts.iter().sum::<f64>() - c.score).abs() < 1e-12);
    }
    assert_eq!(m.incidents, 5);
}

#[test]
fn recency_halves_every_half_life() {
    let t = table(&[
        ((100.0, 100.0), "2017-01-01T00:00:00", "06", "STREET"),
        ((900.0, 100.0), "2017-01-31T00:00:00", "06", "STREET"),
    ]);
    let m = fit(&t, RiskParams { half_life_days: 30.0, weights: [0.0, 1.0, 0.0], ..RiskParams::default() });
    let old = m.cells.iter().find(|c| c.recency < 1.0).unwrap();
    assert!((old.recency - 0.5).abs() < 1e-12);
    assert!((old.score - 0.5).abs() < 1e-12 && (m.cells[0].score - 1.0).abs() < 1e-12);
}

#[test]
fn the_filter_does_not_shrink_the_study_area_and_unlocated_rows_are_counted() {
    let t = table(&[
        ((100.0, 100.0), "2017-01-01T00:00:00", "06", "STREET"),
        ((5000.0, 3000.0), "2017-01-31T00:00:00", "06", "STREET"),
    ]);
    let m = RiskParams::default().check().unwrap().fit(&t, &[0], &mut Silent).unwrap();
    assert_eq!(m.cells.len(), 2);
    assert_eq!(m.cells[1].incidents, 0);
    assert_eq!(m.cells[1].score, 0.0);
    let none = RiskParams::default().check().unwrap().fit(&t, &[], &mut Silent).unwrap();
    assert!(none.cells.iter().all(|c| c.score == 0.0 && c.score.is_finite()));
}

#[test]
fn bad_parameters_are_refused() {
    for p in [
        RiskParams { cell_m: 50.0, ..RiskParams::default() },
        RiskParams { cell_m: f64::NAN, ..RiskParams::default() },
        RiskParams { half_life_days: 0.0, ..RiskParams::default() },
        RiskParams { weights: [0.0; 3], ..RiskParams::default() },
        RiskParams { weights: [-1.0, 1.0, 1.0], ..RiskParams::default() },
        RiskParams { fdr_q: 0.0, ..RiskParams::default() },
    ] {
        assert!(matches!(p.check(), Err(AnalysisError::Param(_))));
    }
}

#[test]
fn no_coordinates_is_an_error_not_a_panic() {
    let csv = "Date,Primary Type,Latitude,Longitude\n2017-01-01T00:00:00,THEFT,,\n";
    let t = load_bytes("t", csv.as_bytes(), LoadOptions::default()).map(|l| l.table);
    if let Ok(t) = t {
        assert!(RiskParams::default().check().unwrap().fit(&t, &[0], &mut Silent).is_err());
    }
}

#[test]
fn gi_clusters_merge_neighbouring_hot_cells() {
    // A 2 × 2 block of busy cells in a field of quiet ones.
    let mut rows = Vec::new();
    for cx in 0..20 {
        for cy in 0..20 {
            let busy = (8..10).contains(&cx) && (8..10).contains(&cy);
            for k in 0..if busy { 30 } else { 1 } {
                let p = (cx as f64 * 250.0 + 10.0 + k as f64, cy as f64 * 250.0 + 10.0);
                rows.push((p, "2017-01-01T00:00:00", "06", "STREET"));
            }
        }
    }
    let t = table(&rows);
    let m = fit(&t, RiskParams::default());
    assert!(m.hot_cells >= 4);
    let h = hotspots(&m, HotspotMode::GiClusters, 5);
    assert_eq!(h[0].rank, 1);
    assert!(h[0].cells.len() >= 4, "{:?}", h[0]);
    assert_eq!(
        h[0].incidents as usize,
        h[0].cells
            .iter()
            .map(|&c| m.cells.iter().find(|x| x.cell == c).unwrap().incidents as usize)
            .sum::<usize>()
    );
    let top = hotspots(&m, HotspotMode::TopCells, 3);
    assert_eq!(top.len(), 3);
    assert!(top[0].why.contains("30 incidents"), "{}", top[0].why);
}

#[test]
fn the_environment_model_fits_on_the_real_sample() {
    let t = crate::shared_data::sample();
    let rows = crate::features::all_rows(&t);
    let m = RiskParams::default().check().unwrap().fit(&t, &rows, &mut Silent).unwrap();
    let fit = m.environment.fit.as_ref().expect("fitted");
    assert!(fit.deviance_explained > 0.3, "{fit:?}");
    assert!(m.cells.len() > 5_000 && m.hot_cells > 100, "{} cells, {} hot", m.cells.len(), m.hot_cells);
    assert!(m.cells.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn patrol_areas_merge_adjacent_hot_cells_cap_their_size_and_keep_apart() {
    // A 3 × 3 block of busy 250 m cells, a lone busy cell 2 km east, quiet cells around.
    let mut rows = Vec::new();
    for cx in 0..24 {
        for cy in 0..20 {
            let block = (8..11).contains(&cx) && (8..11).contains(&cy);
            let n = if block {
                30
            } else if (cx, cy) == (18, 9) {
                20
            } else {
                1
            };
            for k in 0..n {
                let p = (cx as f64 * 250.0 + 10.0 + k as f64, cy as f64 * 250.0 + 10.0);
                rows.push((p, "2017-01-01T00:00:00", "06", "STREET"));
            }
        }
    }
    let t = table(&rows);
    let m = fit(&t, RiskParams::default());
    let h = hotspots(&m, HotspotMode::Areas, 6);
    let col_row = |c: usize| m.grid.col_row(c);
    // The block is one area of at most 250,000 m² (4 cells of 250 m), all inside the block.
    let first = &h[0];
    assert_eq!(first.cells.len(), 4, "{first:?}");
    let block_cells: Vec<usize> = first.cells.clone();
    let (bc, br) = col_row(block_cells[0]);
    for &c in &block_cells {
        let (cc, rr) = col_row(c);
        assert!(cc.abs_diff(bc) <= 2 && rr.abs_diff(br) <= 2);
    }
    assert!(first.why.contains("adjacent cells"), "{}", first.why);
    // The lone cell is the second place, not the block's leftover cells next door.
    let second = &h[1];
    assert_eq!(second.cells.len(), 1);
    assert!(second.incidents >= 20, "{second:?}");
    // Every two areas' points are at least MIN_SEPARATION_M apart.
    for a in &h {
        for b in &h {
            if a.rank < b.rank {
                let (ax, ay) = crate::features::project(a.lat, a.lon);
                let (bx, by) = crate::features::project(b.lat, b.lon);
                assert!((ax - bx).hypot(ay - by) >= super::hotspots::MIN_SEPARATION_M - 1.0, "{a:?} {b:?}");
            }
        }
    }
    // Ranks run 1, 2, 3…; the incidents are the cells' own.
    assert!(h.iter().enumerate().all(|(i, x)| x.rank == i + 1));
}
