use super::*;
use crate::features::unproject;
use crate::{load_bytes, LoadOptions};

/// A square (metres on the local projection) as a GeoJSON ring of [lon, lat].
fn square(x0: f64, y0: f64, side: f64) -> String {
    let pts = [(x0, y0), (x0 + side, y0), (x0 + side, y0 + side), (x0, y0 + side), (x0, y0)];
    let ring: Vec<String> = pts
        .iter()
        .map(|&(x, y)| {
            let (la, lo) = unproject(x, y);
            format!("[{lo},{la}]")
        })
        .collect();
    format!("[[{}]]", ring.join(","))
}

/// District 1: two 1 km squares apart; district 2: one 2 km square.
fn districts() -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[
        {{"type":"Feature","properties":{{"dist_label":"1ST","dist_num":"1"}},"geometry":{{"type":"Polygon","coordinates":{}}}}},
        {{"type":"Feature","properties":{{"dist_label":"1ST","dist_num":"1"}},"geometry":{{"type":"Polygon","coordinates":{}}}}},
        {{"type":"Feature","properties":{{"dist_label":"2ND","dist_num":"2"}},"geometry":{{"type":"Polygon","coordinates":{}}}}}]}}"#,
        square(0.0, 0.0, 1000.0),
        square(5000.0, 0.0, 1000.0),
        square(0.0, 3000.0, 2000.0)
    )
}

fn table(rows: &[((f64, f64), &str, &str, &str)]) -> CrimeTable {
    let mut csv = String::from("Date,Primary Type,Arrest,District,Latitude,Longitude\n");
    for ((x, y), date, arrest, district) in rows {
        let (lat, lon) = unproject(*x, *y);
        csv.push_str(&format!("{date},THEFT,{arrest},{district},{lat},{lon}\n"));
    }
    load_bytes("t", csv.as_bytes(), LoadOptions::default()).unwrap().table
}

#[test]
fn pieces_of_one_district_are_one_area_and_points_land_in_their_polygon() {
    let b = Boundaries::from_geojson(&districts()).unwrap();
    assert_eq!(b.kind, AreaKind::District);
    assert_eq!(b.areas.iter().map(|a| a.id).collect::<Vec<_>>(), [1, 2]);
    assert!((b.areas[0].km2 - 2.0).abs() < 0.01, "{}", b.areas[0].km2);
    assert!((b.areas[1].km2 - 4.0).abs() < 0.02);
    assert_eq!(b.areas[1].name, "2ND", "a label with a number stays as written");
    assert_eq!(b.locate(500.0, 500.0), Some(0));
    assert_eq!(b.locate(5500.0, 900.0), Some(0));
    assert_eq!(b.locate(1500.0, 4500.0), Some(1));
    assert_eq!(b.locate(3000.0, 500.0), None, "between the pieces");
    assert_eq!(b.locate(f64::NAN, 0.0), None);
}

#[test]
fn the_report_counts_rates_trends_and_agreement() {
    let b = Boundaries::from_geojson(&districts()).unwrap();
    let t = table(&[
        ((500.0, 500.0), "2017-01-01T10:00:00", "true", "1"),
        ((5500.0, 500.0), "2017-01-20T10:00:00", "false", "1"),
        ((5600.0, 500.0), "2017-02-10T10:00:00", "false", "2"), // recorded in the wrong district
        ((1000.0, 4000.0), "2017-02-11T10:00:00", "true", "2"),
        ((1100.0, 4000.0), "2017-02-12T10:00:00", "true", ""),
        ((9000.0, 9000.0), "2017-02-12T11:00:00", "true", "2"), // outside every polygon
    ]);
    let rows: Vec<u32> = (0..t.len() as u32).collect();
    let r = report(&b, &t, &rows);
    assert_eq!((r.outside, r.unlocated), (1, 0));
    assert_eq!(r.as_of.as_deref(), Some("2017-02-12"));
    let d1 = r.areas.iter().find(|a| a.id == 1).unwrap();
    let d2 = r.areas.iter().find(|a| a.id == 2).unwrap();
    assert_eq!((d1.incidents, d2.incidents), (3, 2));
    assert_eq!(r.areas[0].id, 1, "most incidents first");
    assert!((d1.per_km2 - 1.5).abs() < 0.01);
    assert!((d1.arrest_rate.unwrap() - 1.0 / 3.0).abs() < 1e-12);
    // The last 28 days end 2017-02-12: from 2017-01-16 on. Before that, 2016-12-19 → 2017-01-15.
    assert_eq!((d1.last_4_weeks, d1.previous_4_weeks), (2, 1));
    assert_eq!(d1.change, Some(1.0));
    assert_eq!((d2.last_4_weeks, d2.previous_4_weeks, d2.change), (2, 0, None));
    // Four located rows carry a district; three agree.
    assert_eq!((r.agreement.compared, r.agreement.matched), (4, 3));
}

#[test]
fn a_file_that_is_not_a_boundary_export_is_refused_with_a_reason() {
    for (text, want) in [
        ("{not json", "not GeoJSON"),
        (r#"{"type":"Point","coordinates":[1,2]}"#, "FeatureCollection"),
        (
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"x":1},"geometry":null}]}"#,
            "no property numbers the areas",
        ),
        (
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"beat_num":"0111"},"geometry":{"type":"Point","coordinates":[1,2]}}]}"#,
            "not a polygon",
        ),
        (
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"beat_num":"0111"},"geometry":null}]}"#,
            "no polygons",
        ),
    ] {
        let e = Boundaries::from_geojson(text).unwrap_err().to_string();
        assert!(e.contains(want), "{text}: {e}");
    }
}

/// The portal's own boundary files against the records' own fields, on the real sample.
#[test]
fn on_the_real_sample_polygons_agree_with_the_records() {
    let t = crate::shared_data::sample();
    let rows: Vec<u32> = (0..t.len() as u32).collect();
    for (file, kind, lo) in [
        ("chicago_community_areas.geojson", AreaKind::CommunityArea, 0.97),
        ("chicago_police_districts.geojson", AreaKind::District, 0.97),
        ("chicago_police_beats.geojson", AreaKind::Beat, 0.90),
    ] {
        let text = std::fs::read_to_string(crate::shared_data::dir().join(file)).unwrap();
        let b = Boundaries::from_geojson(&text).unwrap();
        assert_eq!(b.kind, kind);
        let r = report(&b, &t, &rows);
        eprintln!(
            "{file}: {} areas, agreement {:.4} of {}, outside {}",
            b.areas.len(),
            r.agreement.rate,
            r.agreement.compared,
            r.outside
        );
        assert!(r.agreement.rate > lo && r.agreement.rate < 1.0, "{file}: {}", r.agreement.rate);
        assert!(r.outside < 2000, "{file}: {} outside", r.outside);
    }
}

#[test]
fn outlines_are_simplified_rings_in_lon_lat_with_a_point_inside() {
    let b = Boundaries::from_geojson(&districts()).unwrap();
    let o = b.outlines(20.0);
    assert_eq!(o.len(), 2);
    assert_eq!(o[0].rings.len(), 2, "district 1 is two squares");
    assert_eq!(o[0].rings[0].len(), 5, "a square keeps its corners");
    let (lon, lat) = o[1].rings[0][0];
    let (x, y) = project(lat, lon);
    assert!(x.abs() < 1e-6 && (y - 3000.0).abs() < 1e-6);
    let (la, lo) = o[1].inside;
    let (x, y) = project(la, lo);
    assert_eq!(b.locate(x, y), Some(1));
}

#[test]
fn outlines_of_the_real_community_areas_are_much_smaller_than_the_file() {
    let path = crate::shared_data::file("chicago_community_areas.geojson");
    let text = std::fs::read_to_string(path).unwrap();
    let b = Boundaries::from_geojson(&text).unwrap();
    let o = b.outlines(25.0);
    assert_eq!(o.len(), 77);
    let points: usize = o.iter().flat_map(|a| &a.rings).map(Vec::len).sum();
    let json = serde_json::to_string(&o).unwrap();
    assert!(json.len() < text.len() / 4, "{} bytes of outlines, {points} points", json.len());
    for a in &o {
        let (x, y) = project(a.inside.0, a.inside.1);
        assert_eq!(b.locate(x, y).map(|i| b.areas[i].id), Some(a.id), "{}", a.name);
    }
}

fn collection(features: &[(&str, &str)]) -> String {
    // Each feature: its properties (JSON object body) and a small square somewhere distinct.
    let f: Vec<String> = features
        .iter()
        .enumerate()
        .map(|(i, (props, _))| {
            format!(
                r#"{{"type":"Feature","properties":{{{props}}},"geometry":{{"type":"Polygon","coordinates":{}}}}}"#,
                square(3000.0 * i as f64, 0.0, 1000.0)
            )
        })
        .collect();
    format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, f.join(","))
}

#[test]
fn property_names_are_found_by_their_values_not_a_fixed_list() {
    // A districts export whose number is "District", with an OBJECTID running 1…n beside it.
    let d: Vec<String> = (1..=4)
        .map(|i| format!(r#""OBJECTID":{i},"District":"{:03}","Shape_Area":{}.5"#, i * 2, i * 1000))
        .collect();
    let b = Boundaries::from_geojson(&collection(&d.iter().map(|s| (s.as_str(), "")).collect::<Vec<_>>()))
        .unwrap();
    assert_eq!(b.kind, AreaKind::District);
    assert_eq!(b.areas.iter().map(|a| a.id).collect::<Vec<_>>(), [2, 4, 6, 8]);
    assert_eq!(b.areas[0].name, "District 2");

    // Upper-case community areas with a name column.
    let c =
        [r#""AREA_NUMBER":"8","COMMUNITY":"NEAR NORTH SIDE""#, r#""AREA_NUMBER":"32","COMMUNITY":"LOOP""#];
    let b = Boundaries::from_geojson(&collection(&c.map(|s| (s, "")))).unwrap();
    assert_eq!(b.kind, AreaKind::CommunityArea);
    assert_eq!(b.areas[1].name, "Loop");

    // No hint in the key: 77 numbers up to 77 are community areas.
    let n: Vec<String> = (1..=77).map(|i| format!(r#""num":{i},"label":"Place {i}""#)).collect();
    let b = Boundaries::from_geojson(&collection(&n.iter().map(|s| (s.as_str(), "")).collect::<Vec<_>>()))
        .unwrap();
    assert_eq!((b.kind, b.areas.len(), b.areas[76].name.as_str()), (AreaKind::CommunityArea, 77, "Place 77"));

    // Only text: refused with the message that says what was looked for.
    let e =
        Boundaries::from_geojson(&collection(&[(r#""name":"A""#, ""), (r#""name":"B""#, "")])).unwrap_err();
    assert_eq!(e, BoundaryError::UnknownKind);
    assert!(e.to_string().contains("District"), "{e}");
}

#[test]
fn the_real_district_and_beat_files_still_read_as_before() {
    for (file, kind, n) in [
        ("chicago_police_districts.geojson", AreaKind::District, 23),
        ("chicago_police_beats.geojson", AreaKind::Beat, 274),
        ("chicago_community_areas.geojson", AreaKind::CommunityArea, 77),
    ] {
        let text = std::fs::read_to_string(crate::shared_data::file(file)).unwrap();
        let b = Boundaries::from_geojson(&text).unwrap();
        assert_eq!(b.kind, kind, "{file}");
        assert!(b.areas.len() >= n, "{file}: {}", b.areas.len());
    }
}
