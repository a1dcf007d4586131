//! Every crime export in ../shared/data/exports opens, with the rows and dates an independent
//! reading gives (scripts/exports_reference.py: pandas with each layout written out by hand),
//! and is recognised as the layout it is.

use patroliq_core::shared_data::{dir, fixtures};
use patroliq_core::{load_reader, LoadOptions};

fn reference() -> serde_json::Value {
    let path = fixtures().join("exports_reference.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("{}: {e} (made by scripts/test.sh from scripts/exports_reference.py)", path.display())
    });
    serde_json::from_str(&text).expect("the reference is JSON")
}

#[test]
fn every_shared_export_opens_with_the_independent_counts() {
    let want = reference();
    let expected_layout = [
        ("chicago_portal_export_2024_paras.csv", "chicago_portal"),
        ("chicago_soda_pandas_computed_regions_2012_jfkoehler.csv", "chicago_portal"),
        ("kaggle_chicago_excel_2digit_year_tambrewho.csv", "chicago_portal"),
        ("la_crime_2020_present_westla_excel_derived.csv", "lapd_2020_present"),
        ("nyc_nypd_complaint_historic_2010_sample.csv", "nypd_complaint"),
        ("philadelphia_incidents_part1_part2_2025.csv", "philadelphia_incidents"),
        ("sf_police_incident_reports_2018_dec.csv", "sfpd_2018_present"),
    ];
    let mut files: Vec<String> = std::fs::read_dir(dir().join("exports"))
        .expect("../shared/data/exports")
        .map(|e| e.expect("a directory entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv") || n.ends_with(".gz"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for name in files {
        let w = &want[&name];
        assert!(w.is_object(), "{name}: no reference (scripts/exports_reference.py)");
        let f = std::fs::File::open(dir().join("exports").join(&name)).expect("the export opens");
        let loaded = load_reader(&name, f, LoadOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let r = &loaded.report;
        assert_eq!(r.rows_read, w["rows_read"].as_u64().unwrap(), "{name}: rows read");
        assert_eq!(r.rows_clean, w["rows_clean"].as_u64().unwrap(), "{name}: rows kept ({:?})", r.dropped);
        assert_eq!(r.date_min.as_deref(), w["date_min"].as_str(), "{name}: first date");
        assert_eq!(r.date_max.as_deref(), w["date_max"].as_str(), "{name}: last date");
        if let Some((_, layout)) = expected_layout.iter().find(|(f, _)| *f == name) {
            assert_eq!(r.layout, *layout, "{name}");
        }
        // Another city's crimes get codes of the one taxonomy: most rows map to a known offence.
        let unmapped: u64 = r.types_unmapped.iter().map(|t| t.count).sum();
        assert!(
            unmapped * 20 <= r.rows_clean,
            "{name}: {unmapped} rows of unknown types: {:?}",
            r.types_unmapped
        );
        assert_eq!(r.chicago, name.starts_with("chicago") || name.starts_with("kaggle_chicago"), "{name}");
    }
}

/// The file with some columns left out (by header), as CSV bytes.
fn without_columns(reader: impl std::io::Read, drop: &[&str], max_rows: usize) -> Vec<u8> {
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let headers = r.headers().expect("a header").clone();
    let keep: Vec<usize> = (0..headers.len()).filter(|&i| !drop.contains(&&headers[i])).collect();
    assert!(keep.len() + drop.len() == headers.len(), "every dropped column exists: {drop:?}");
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(keep.iter().map(|&i| &headers[i])).unwrap();
    for rec in r.records().take(max_rows) {
        let rec = rec.expect("a record");
        w.write_record(keep.iter().map(|&i| rec.get(i).unwrap_or(""))).unwrap();
    }
    w.into_inner().unwrap()
}

/// A file that gives only projected X/Y places its rows where the same file's own latitude and
/// longitude do: the CRS found from where the points land, the thousands separators read.
#[test]
fn projected_x_y_alone_land_where_the_files_own_degrees_say() {
    let cases: [(&str, &[&str], u32, &str); 2] = [
        (
            "exports/nyc_nypd_complaint_historic_2010_sample.csv",
            &["Latitude", "Longitude", "Lat_Lon"],
            2263,
            "New York",
        ),
        ("chicago_crimes_sample.csv.gz", &["Latitude", "Longitude", "Location"], 3435, "Chicago"),
    ];
    for (file, drop, epsg, city) in cases {
        let open = || -> Box<dyn std::io::Read> {
            let f = std::fs::File::open(dir().join(file)).expect("the file opens");
            if file.ends_with(".gz") {
                Box::new(flate2::read::GzDecoder::new(f))
            } else {
                Box::new(f)
            }
        };
        let all = without_columns(open(), &[], 20_000);
        let xy = without_columns(open(), drop, 20_000);
        let full = load_reader("full.csv", &all[..], LoadOptions::default()).expect("the whole file loads");
        let only = load_reader("xy.csv", &xy[..], LoadOptions::default())
            .unwrap_or_else(|e| panic!("{file} without degrees: {e}"));
        let p = only.report.projection.as_ref().unwrap_or_else(|| panic!("{file}: no projection"));
        assert_eq!((p.epsg, p.city.as_deref()), (epsg, Some(city)), "{file}");
        assert_eq!(p.rows, only.report.rows_clean, "{file}: every kept row from X/Y");
        assert_eq!(only.report.columns.get("x").map(String::as_str), Some(drop_x(file)), "{file}");
        // The same rows kept (X/Y are empty where the degrees are), each within a few metres.
        assert_eq!(only.report.rows_clean, full.report.rows_clean, "{file}: {:?}", only.report.dropped);
        let (a, b) = (&full.table, &only.table);
        let mut worst = 0.0f64;
        for i in 0..a.len() {
            let dy = (a.latitude.get(i) - b.latitude.get(i)) * 111_200.0;
            let dx =
                (a.longitude.get(i) - b.longitude.get(i)) * 111_200.0 * a.latitude.get(i).to_radians().cos();
            worst = worst.max(dx.hypot(dy));
        }
        // The portal rounds X/Y to whole feet (0.3 m); NYPD's degrees are its own geocode.
        assert!(worst < 5.0, "{file}: a row {worst:.1} m from the file's own degrees");
    }
}

fn drop_x(file: &str) -> &'static str {
    if file.contains("nypd") {
        "X_COORD_CD"
    } else {
        "X Coordinate"
    }
}
