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
