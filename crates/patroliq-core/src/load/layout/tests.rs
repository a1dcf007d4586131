use super::*;

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn rows(v: &[&[&str]]) -> Vec<Vec<String>> {
    v.iter().map(|r| strings(r)).collect()
}

#[test]
fn unknown_names_are_found_by_their_values() {
    let header = strings(&["caseno", "Type", "When", "Where", "gps_lat", "gps_lon"]);
    let sample = rows(&[
        &["A1", "THEFT", "2019-03-01 10:00", "1 Main St", "40.7", "-74.0"],
        &["A2", "ASSAULT", "2019-03-02 22:30", "2 Main St", "40.71", "-74.01"],
        &["A3", "THEFT", "2019-03-02 23:30", "3 Main St", "40.72", "-74.02"],
    ]);
    let l = detect(&header, &sample, None).unwrap();
    assert_eq!(l.preset, "generic");
    assert_eq!(l.columns[&Role::Date], "When");
    assert_eq!(l.columns[&Role::Type], "Type");
    assert_eq!(l.columns[&Role::Latitude], "gps_lat");
    assert_eq!(l.columns[&Role::Longitude], "gps_lon");
    assert_eq!(l.columns[&Role::CaseNumber], "caseno");
    assert_eq!(l.date_format, Some(DateFormat::Ymd));
    assert!(!l.is_chicago());
    assert_eq!(l.zone, Zone::UsEastern);
}

#[test]
fn a_date_column_and_a_time_column_are_joined() {
    let header = strings(&["DR_NO", "DATE OCC", "TIME OCC", "Crm Cd Desc", "LAT", "LON"]);
    let sample = rows(&[
        &["1", "10/15/2020 0:00", "2000", "VEHICLE - STOLEN", "34.07", "-118.46"],
        &["2", "04/28/2020 0:00", "100", "BURGLARY", "34.05", "-118.44"],
    ]);
    let l = detect(&header, &sample, None).unwrap();
    assert_eq!(l.preset, "lapd_2010_2019");
    assert_eq!(l.time.map(|t| t.1), Some(TimeFormat::Hhmm));
    assert_eq!(l.columns[&Role::Time], "TIME OCC");
}

#[test]
fn swapped_coordinates_and_point_columns() {
    let header = strings(&["date", "category", "latitude", "longitude"]);
    let sample = rows(&[
        &["2020-01-01 10:00", "THEFT", "-122.4", "37.7"],
        &["2020-01-02 10:00", "ROBBERY", "-122.41", "37.71"],
    ]);
    let l = detect(&header, &sample, None).unwrap();
    assert!(l.swapped);
    let header = strings(&["date", "category", "geom"]);
    let sample = rows(&[
        &["2020-01-01 10:00", "THEFT", "POINT (-122.4 37.7)"],
        &["2020-01-02 10:00", "ROBBERY", "POINT (-122.41 37.71)"],
    ]);
    let l = detect(&header, &sample, None).unwrap();
    assert_eq!(l.columns[&Role::Point], "geom");
}

#[test]
fn missing_roles_are_named_and_a_mapping_supplies_them() {
    let header = strings(&["a", "b", "c", "d"]);
    let sample = rows(&[&["x1", "2020-01-01", "41.9", "-87.6"], &["x2", "2020-01-02", "41.8", "-87.7"]]);
    let err = detect(&header, &sample, None).unwrap_err();
    assert_eq!(
        err.roles,
        vec!["a crime-type column", "coordinates (latitude and longitude, or one point column)"]
    );
    let mapping = Mapping {
        columns: [
            (Role::Type, "a".to_owned()),
            (Role::Latitude, "c".to_owned()),
            (Role::Longitude, "d".to_owned()),
        ]
        .into_iter()
        .collect(),
        crs: None,
    };
    let l = detect(&header, &sample, Some(&mapping)).unwrap();
    assert_eq!(l.columns[&Role::Date], "b");
    assert!(l.is_chicago());
}

#[test]
fn chicago_portal_headers_keep_the_chicago_layout() {
    let header =
        strings(&["ID", "Date", "Primary Type", "FBI Code", "IUCR", "Latitude", "Longitude", "Location"]);
    let sample = rows(&[&[
        "1",
        "12/31/2017 11:58:00 PM",
        "BURGLARY",
        "05",
        "0630",
        "41.96",
        "-87.71",
        "(41.96, -87.71)",
    ]]);
    let l = detect(&header, &sample, None).unwrap();
    assert_eq!(l.preset, "chicago_portal");
    assert!(l.is_chicago() && !l.derive_fbi);
    assert_eq!(l.columns[&Role::Point], "Location");
}

#[test]
fn a_mapping_says_what_it_lacks_and_keeps_only_the_columns_a_header_has() {
    let m = |pairs: &[(Role, &str)]| Mapping {
        columns: pairs.iter().map(|(r, c)| (*r, c.to_string())).collect(),
        crs: None,
    };
    assert_eq!(m(&[]).missing(), vec!["a date", "a crime type", "latitude and longitude (or a point)"]);
    assert_eq!(
        m(&[(Role::Date, "d"), (Role::Type, "t"), (Role::Latitude, "y")]).missing(),
        vec!["latitude and longitude (or a point)"]
    );
    assert!(m(&[(Role::Date, "d"), (Role::Type, "t"), (Role::Point, "p")]).missing().is_empty());
    // Remembered for another file of the same name: columns it does not have are dropped; a
    // header written otherwise (case, spaces, a BOM) is the same column, as detection reads it.
    let old = m(&[(Role::Date, "Crm Date"), (Role::Type, "gone"), (Role::Latitude, "LAT")]);
    let within = old.within(&strings(&["\u{feff}crm_date", "lat", "other"]));
    assert_eq!(within, m(&[(Role::Date, "Crm Date"), (Role::Latitude, "LAT")]));
    // Later choices win, and a column moved to another role leaves its old one.
    let guessed = m(&[(Role::Date, "d"), (Role::Type, "t"), (Role::Description, "desc")]);
    let chosen = m(&[(Role::Type, "desc"), (Role::Latitude, "y")]);
    assert_eq!(guessed.then(&chosen), m(&[(Role::Date, "d"), (Role::Type, "desc"), (Role::Latitude, "y")]));
}

#[test]
fn a_loaded_file_keeps_its_preview_and_another_type_column_can_be_chosen() {
    let mut csv = String::from("when,offence,detail,lat,lon\n");
    for i in 0..50 {
        let (o, d) = if i % 2 == 0 { ("THEFT", "FROM AUTO") } else { ("ASSAULT", "SIMPLE") };
        csv.push_str(&format!("2020-01-{:02} 10:00,{o},{o} {d} {i},34.0{i:02},-118.2{i:02}\n", 1 + i % 28));
    }
    let load = |m: Option<&Mapping>| {
        crate::load::load_reader_mapped("t.csv", csv.as_bytes(), crate::load::LoadOptions::default(), m)
            .unwrap()
    };
    let detected = load(None);
    let p = detected.preview.expect("a CSV load keeps its preview");
    assert_eq!(p.headers, strings(&["when", "offence", "detail", "lat", "lon"]));
    assert_eq!(p.samples.len(), 3);
    assert_eq!(p.roles[&Role::Type], "offence");
    assert_eq!(detected.report.primary_types, 2);
    // The detected roles with the type moved to `detail`, as the mapper sends them.
    let mut columns = p.roles.clone();
    columns.insert(Role::Type, "detail".into());
    columns.retain(|r, c| *r == Role::Type || c != "detail");
    let remapped = load(Some(&Mapping { columns, crs: None }));
    assert_eq!(remapped.report.columns["type"], "detail");
    assert_eq!(remapped.report.primary_types, 50);
    assert_eq!(remapped.preview.unwrap().roles[&Role::Type], "detail");
}
