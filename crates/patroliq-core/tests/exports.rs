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
