use super::*;
use crate::risk::hotspots::{hotspots, HotspotMode};
use crate::risk::RiskParams;

/// State & Madison, the zero point of Chicago's street numbers, in the Loop and District 1.
const LOOP: (f64, f64) = (41.88204, -87.62783);

#[test]
fn the_reference_layers_hold_chicagos_areas_with_names() {
    let r = reference::chicago();
    assert_eq!(r.asset.community_areas.len(), 77);
    assert!(r.asset.districts.len() >= 22, "{}", r.asset.districts.len());
    assert!(r.asset.roads.iter().any(|x| x.expressway) && r.asset.roads.len() > 100);
    let g = Gazetteer::new(&[], true);
    assert_eq!(g.locate(AreaKind::CommunityArea, LOOP.0, LOOP.1).as_deref(), Some("Loop"));
    assert_eq!(g.locate(AreaKind::District, LOOP.0, LOOP.1).as_deref(), Some("District 1 – Central"));
    assert_eq!(g.name(AreaKind::CommunityArea, 25).as_deref(), Some("Austin"));
    assert_eq!(g.name(AreaKind::District, 11).as_deref(), Some("District 11 – Harrison"));
    assert!(r.near(LOOP.0, LOOP.1) && !r.near(40.7128, -74.006));
    assert_eq!(r.outlines(AreaKind::CommunityArea).len(), 77);
}

/// A table pushed directly (the loader keeps only rows in Chicago's extent).
fn table(rows: &[(f64, f64, &str, &str)]) -> CrimeTable {
    let mut t = CrimeTable::default();
    for &(latitude, longitude, block, district) in rows {
        t.push(&crate::model::Incident {
            id: None,
            case_number: Default::default(),
            date: 1_527_890_400,
            block,
            iucr: "",
            primary_type: "THEFT",
            description: "",
            location_description: "",
            arrest: None,
            domestic: None,
            beat: None,
            district: district.parse().ok(),
            ward: None,
            community_area: Some(32),
            fbi_code: "",
            x_coordinate: None,
            y_coordinate: None,
            updated_on: None,
            latitude,
            longitude,
        });
    }
    t
}

#[test]
fn a_hotspot_is_named_by_its_busiest_blocks_and_its_areas() {
    let mut rows = Vec::new();
    for _ in 0..6 {
        rows.push((LOOP.0, LOOP.1, "001XX N STATE ST", "1"));
    }
    for _ in 0..3 {
        rows.push((LOOP.0 + 0.0002, LOOP.1, "000XX W MADISON ST", "1"));
    }
    rows.push((41.95, -87.75, "050XX W IRVING PARK RD", "16"));
    let t = table(&rows);
    let all: Vec<u32> = (0..t.len() as u32).collect();
    let model = RiskParams { cell_m: 250.0, ..RiskParams::default() }
        .check()
        .unwrap()
        .fit(&t, &all, &mut |_| true)
        .unwrap();
    let mut spots = hotspots(&model, HotspotMode::TopCells, 1);
    name_hotspots(&mut spots, &model.grid, &t, &all, &Gazetteer::for_rows(&t, &all, &[]));
    let p = &spots[0].place;
    assert_eq!(p.blocks, ["100 block of N State St", "0–100 block of W Madison St"]);
    assert_eq!(p.community_area.as_deref(), Some("Loop"));
    assert_eq!(p.district.as_deref(), Some("District 1 – Central"));
    assert_eq!(p.label(), "100 block of N State St, Loop");
}

#[test]
fn data_from_another_city_gets_no_chicago_names() {
    // Manhattan, with area numbers in its records: "District 1", not Chicago's "Central".
    let t = table(&[(40.7128, -74.006, "001XX BROADWAY", "1"); 5]);
    let all: Vec<u32> = (0..t.len() as u32).collect();
    assert!(!in_reference_city(&t, &all));
    let g = Gazetteer::for_rows(&t, &all, &[]);
    let p = place_of(40.7128, -74.006, &[0, 1, 2], &t, &g);
    assert_eq!(p.district.as_deref(), Some("District 1"));
    assert_eq!(p.community_area.as_deref(), Some("Area 32"));
    assert_eq!(p.blocks, ["100 block of Broadway"]);
}

#[test]
fn a_loaded_boundary_file_names_before_the_reference() {
    let file = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"District":"1","NAME":"Downtown"},
        "geometry":{"type":"Polygon","coordinates":[[[-87.7,41.8],[-87.5,41.8],[-87.5,41.95],[-87.7,41.95],[-87.7,41.8]]]}},
        {"type":"Feature","properties":{"District":"2","NAME":"Elsewhere"},
        "geometry":{"type":"Polygon","coordinates":[[[-87.9,41.6],[-87.8,41.6],[-87.8,41.7],[-87.9,41.7],[-87.9,41.6]]]}}]}"#;
    let b = Boundaries::from_geojson(file).unwrap();
    assert_eq!(b.kind, AreaKind::District);
    let loaded = [b];
    let g = Gazetteer::new(&loaded, true);
    assert_eq!(g.locate(AreaKind::District, LOOP.0, LOOP.1).as_deref(), Some("Downtown"));
    // The community areas still come from the reference.
    assert_eq!(g.locate(AreaKind::CommunityArea, LOOP.0, LOOP.1).as_deref(), Some("Loop"));
}

#[test]
fn the_most_frequent_value_breaks_ties_by_the_smallest() {
    let rows: Vec<usize> = (0..8).collect();
    // 3, 1, 2, 0 twice each: a tie of four, on each of many maps (each iterates in its own order).
    for _ in 0..50 {
        assert_eq!(mode(&rows, |r| Some([3u16, 1, 2, 0][r % 4])), Some(0));
    }
    assert_eq!(mode(&rows, |r| Some(u16::from(r < 5))), Some(1), "5 against 3");
    assert_eq!(mode(&rows, |_| None::<u16>), None);
}
