//! The readers on the shared data's real layers (counts from an independent count: Python's
//! `json` and `csv` modules over the same files, in the comments) and on broken files.

use super::*;
use crate::shared_data;

fn layer(file: &str) -> Layer {
    let path = shared_data::file(&format!("environment/{file}"));
    let bytes = std::fs::read(&path).unwrap();
    Layer::read(&layers::name_of_file(file), &bytes).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn the_four_geojson_layers_read_every_point() {
    // len(json.load(f)["features"]), every one a Point with two numbers.
    for (file, n) in [
        ("chicago_env_abandonBuildings.geojson", 3653),
        ("chicago_env_liquorRetail.geojson", 937),
        ("chicago_env_streetLightsOut.geojson", 14587),
        ("chicago_env_sanitation.geojson", 19733),
    ] {
        let l = layer(file);
        assert_eq!((l.points.len(), l.summary.records, l.summary.skipped), (n, n, 0), "{file}");
        assert_eq!(l.summary.source, "GeoJSON");
    }
}

#[test]
fn csv_layers_in_each_coordinate_form() {
    // csv.DictReader(open(f, encoding="utf-8-sig")): rows with a value in the geometry column(s).
    let l = layer("chicago_env_cta_L_stops.csv");
    assert_eq!((l.points.len(), l.summary.skipped), (298, 0));
    assert_eq!(l.summary.source, "point column Location");
    assert_eq!(l.name, "cta L stops");
    let l = layer("chicago_env_cta_bus_stops_wkt.csv");
    assert_eq!((l.points.len(), l.summary.skipped), (10760, 0));
    assert_eq!(l.summary.source, "WKT column the_geom");
    // 95 columns and quoted multi-line text fields: every row still one record.
    let l = layer("chicago_env_cps_schools_profile_sy1819.csv");
    assert_eq!((l.summary.records, l.points.len()), (654, 654));
    assert_eq!(l.summary.source, "latitude/longitude columns School_Latitude, School_Longitude");
    // The first column has an empty name (the parcel PIN).
    let l = layer("chicago_env_vacant_lots_points.csv");
    assert_eq!((l.points.len(), l.summary.skipped), (11899, 0));
    // UTF-8 BOM before `the_geom`; 614 MULTIPOLYGONs of 803 polygons (sum of "((" per row).
    let l = layer("chicago_env_cpd_parks_wkt_polygons.csv");
    assert_eq!((l.summary.records, l.polygons.len(), l.points.len()), (614, 803, 0));
    assert_eq!(l.summary.source, "WKT column the_geom");
    assert!(l.is_areal());
}

#[test]
fn broken_files_get_their_error_kind() {
    let kind = |b: &[u8]| Layer::read("x", b).unwrap_err().kind();
    assert_eq!(kind(b""), "empty");
    assert_eq!(kind(b"\xEF\xBB\xBF \n"), "empty");
    assert_eq!(kind(b"latitude,longitude\n"), "empty");
    assert_eq!(kind(b"name,size\npark,3\nlot,4\n"), "no_geometry");
    assert_eq!(kind(br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null}]}"#), "no_geometry");
    assert_eq!(kind(br#"{"type":"FeatureCollection","features":[]}"#), "empty");
    assert_eq!(kind(b"{\"type\": "), "not_geojson");
    let e = Layer::read("x", b"the_geom,name\nPOINT (-87.6 41.8),a\n\"POLYGON ((-87.6 41.8, -87.5\",b\n")
        .unwrap_err();
    assert!(
        matches!(&e, LayerError::BadWkt { row: 2, message } if message.contains("POLYGON ((-87.6 41.8")),
        "{e:?}"
    );
    assert_eq!(e.kind(), "bad_wkt");
    // Coordinates that are not degrees (a projected file) are no geometry.
    assert_eq!(kind(b"x,y\n1176000,1900000\n1177000,1901000\n"), "no_geometry");
    // An unclosed quote swallows the rest into the header: no rows.
    assert_eq!(kind(b"\"unclosed,b\nc"), "empty");
}

#[test]
fn small_files_in_every_form_and_the_extent_clip() {
    let wkb = "0101000020E6100000B39C009A33C652C038B3651258024440"; // (40.018, -75.097)
    let files: [(&[u8], usize, usize); 6] = [
        (b"Lat;Lng\n41.88;-87.63\n41.89;-87.64\n;\n", 2, 1),
        (b"geom\n\"(41.88, -87.63)\"\n", 1, 0),
        (format!("id,the_geom\n1,{wkb}\n").as_bytes().to_vec().leak(), 1, 0),
        (br#"{"type":"Feature","properties":null,"geometry":{"type":"MultiPoint","coordinates":[[-87.6,41.8],[-87.7,41.9]]}}"#, 2, 0),
        (br#"{"type":"LineString","coordinates":[[-87.6,41.8],[-87.7,41.9]]}"#, 0, 0),
        (b"wkt\n\"MULTIPOLYGON (((-87.6 41.8, -87.5 41.8, -87.5 41.9, -87.6 41.8)), ((-87.7 41.8, -87.65 41.8, -87.65 41.85, -87.7 41.8)))\"\n", 0, 0),
    ];
    for (bytes, points, skipped) in files {
        let l = Layer::read("x", bytes).unwrap_or_else(|e| panic!("{}: {e}", String::from_utf8_lossy(bytes)));
        assert_eq!(
            (l.points.len(), l.summary.skipped),
            (points, skipped),
            "{}",
            String::from_utf8_lossy(bytes)
        );
    }
    let l = Layer::read("x", files[4].0).unwrap();
    assert_eq!(l.lines.len(), 1);
    let l = Layer::read("x", files[5].0).unwrap();
    assert_eq!(l.polygons.len(), 2);
    // Philadelphia's point is outside a box around the Loop; the two Chicago ones are in.
    let mut l =
        Layer::read("x", format!("the_geom\n{wkb}\nPOINT (-87.63 41.88)\nPOINT (-87.64 41.89)\n").as_bytes())
            .unwrap();
    let e = Extent::around([crate::features::project(41.88, -87.63)], 2000.0).unwrap();
    assert_eq!((l.clip(&e), l.points.len(), l.summary.outside), (1, 2, 1));
    assert_eq!(layers::name_of_file("/a/b/chicago_env_cta_L_stops.csv"), "cta L stops");
    assert_eq!(layers::name_of_file(".csv"), "layer");
    let of_url = |u: &str| layers::name_of_file(&layers::file_of_url(u));
    assert_eq!(layers::file_of_url("https://x.org/d/liquor%20stores.geojson?v=2#a"), "liquor stores.geojson");
    assert_eq!(of_url("http://127.0.0.1:8080/layers/chicago_env_cta_L_stops.csv"), "cta L stops");
    assert_eq!(layers::file_of_url("https://x.org/"), "layer");
    assert_eq!(layers::file_of_url("https://x.org"), "layer");
    assert_eq!(layers::file_of_url("https://x.org/a%2"), "a%2");
}

/// A 10 × 10 km patch of the South and West Sides (many community areas), a layer that raises the
/// risk 2.7-fold within 200 m of its places and a layer of noise.
#[test]
fn the_model_finds_the_layer_that_matters_and_its_relative_risk() {
    use rand::{Rng, SeedableRng};
    use rand_distr::{Distribution, Poisson};
    let grid = crate::risk::grid::Grid { cell_m: 250.0, col0: -40, row0: -40, cols: 40, rows: 40 };
    let study: Vec<usize> = (0..grid.len()).collect();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    let mut place = |n: usize| -> Layer {
        let points: Vec<(f64, f64)> =
            (0..n).map(|_| (rng.gen_range(-10_000.0..0.0), rng.gen_range(-10_000.0..0.0))).collect();
        Layer { name: "t".into(), points, lines: vec![], polygons: vec![], summary: Default::default() }
    };
    let (mut bars, mut noise) = (place(120), place(300));
    bars.name = "bars".into();
    noise.name = "noise".into();
    let near = factors::measure(&bars, &grid, &study);
    let mut outcome = vec![0.0; grid.len()];
    for (i, &c) in study.iter().enumerate() {
        let mu: f64 = (-0.5 + 1.0 * (near.nearest_m[i] <= 200.0) as u8 as f64).exp();
        outcome[c] = Poisson::new(mu).unwrap().sample(&mut rng);
    }
    let past_rate: Vec<f64> = (0..grid.len()).map(|_| rng.gen_range(0.0..3.0)).collect();
    let layers = [bars, noise];
    let data =
        TerrainData { grid: &grid, study: &study, outcome: &outcome, past_rate: &past_rate, layers: &layers };
    // The past rate here is noise: as its own factor it comes out "significant" at this seed
    // (RR 0.86 [0.74, 0.99]: one chance in twenty for each noise factor), so this test keeps to
    // the layers and the lag; `past_crime_here_is_a_factor_of_its_own` tests that factor.
    let params = TerrainParams { here: false, ..TerrainParams::default() };
    let m = model::fit(&params, &data, &mut crate::cluster::Silent).unwrap();
    assert_eq!(m.cv.folds, "community areas");
    assert!(m.cv.per_area.len() >= 8, "{:?}", m.cv.per_area.iter().map(|a| &a.name).collect::<Vec<_>>());
    let bars = m.factors.iter().find(|f| f.name == "bars").expect("bars selected");
    assert_eq!((bars.form, bars.radius_m), (Form::Proximity, Some(200.0)), "{:?}", m.forms);
    assert!(bars.interval[0] < 1f64.exp() && 1f64.exp() < bars.interval[1], "{bars:?}");
    assert!((bars.relative_risk - bars.coefficient.exp()).abs() < 1e-12);
    for f in m.factors.iter().filter(|f| f.name != "bars") {
        assert!(f.interval[0] < 1.0 && f.interval[1] > 1.0 || f.relative_risk.ln().abs() < 0.1, "{f:?}");
    }
    // Each study cell knows its held-out area: the area's cell count, and its error is the mean
    // over those cells of |observed − expected| (what the app's error map colours them by).
    assert_eq!(m.cell_area.len(), study.len());
    for (k, a) in m.cv.per_area.iter().enumerate() {
        let own: Vec<usize> = (0..study.len()).filter(|&i| m.cell_area[i] == Some(k as u32)).collect();
        assert_eq!(own.len(), a.cells, "{}", a.name);
        let observed: f64 = own.iter().map(|&i| outcome[study[i]]).sum();
        assert_eq!(observed, a.observed, "{}", a.name);
    }
    assert_eq!(m.cell_area.iter().flatten().count(), m.cv.per_area.iter().map(|a| a.cells).sum::<usize>());
    // The model crosses to the page as JSON: no NaN or infinity anywhere (a form that cannot be
    // fitted has no deviance, not an infinite one).
    let text = serde_json::to_string(&m).unwrap();
    serde_json::from_str::<TerrainModel>(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert!(m.forms.iter().all(|f| f.cv_deviance.is_some()), "{:?}", m.forms);
    // A cell next to a bar is told so, by name.
    let i = (0..study.len()).find(|&i| near.nearest_m[i] <= 100.0).unwrap();
    assert!(m.reasons(i, 3).iter().any(|r| r.contains("m from 'bars'")), "{:?}", m.reasons(i, 3));
    // The design holds what the refit saw: header, one row per cell.
    let csv = m.design_csv(&grid);
    assert!(csv.starts_with("cell,lat,lon,response,\"bars|proximity|200\""), "{}", &csv[..80]);
    assert_eq!(csv.lines().count(), study.len() + 1);
    // The expected counts average the observed (a Poisson fit with an intercept matches totals).
    let e = m.expected(&grid, &past_rate);
    let (se, so) = (e.iter().sum::<f64>(), outcome.iter().sum::<f64>());
    assert!((se - so).abs() < 1e-6 * so, "{se} {so}");
}

/// Past crime in the cell itself, when it drives the outcome, is found as a factor of its own
/// beside the neighbours' lag, and the prediction re-reads it from the rate given.
#[test]
fn past_crime_here_is_a_factor_of_its_own() {
    use rand::{Rng, SeedableRng};
    use rand_distr::{Distribution, Poisson};
    let grid = crate::risk::grid::Grid { cell_m: 250.0, col0: -40, row0: -40, cols: 40, rows: 40 };
    let study: Vec<usize> = (0..grid.len()).collect();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
    let past_rate: Vec<f64> = (0..grid.len()).map(|_| if rng.gen_bool(0.2) { 4.0 } else { 0.0 }).collect();
    let outcome: Vec<f64> = past_rate
        .iter()
        .map(|&r| Poisson::new((-1.0 + 0.8 * f64::ln_1p(r)).exp()).unwrap().sample(&mut rng))
        .collect();
    let layers: [Layer; 0] = [];
    let data =
        TerrainData { grid: &grid, study: &study, outcome: &outcome, past_rate: &past_rate, layers: &layers };
    let m = model::fit(&TerrainParams::default(), &data, &mut crate::cluster::Silent).unwrap();
    let here = m.factors.iter().find(|f| f.form == Form::Here).expect("past crime here selected");
    assert_eq!(here.name, "past crime here");
    assert!(here.interval[0] < 0.8f64.exp() && 0.8f64.exp() < here.interval[1], "{here:?}");
    let i = (0..study.len()).find(|&i| past_rate[study[i]] > 0.0).unwrap();
    assert!(
        m.reasons(i, 3).iter().any(|r| r.contains("4.0 past incidents a year in the cell")),
        "{:?}",
        m.reasons(i, 3)
    );
    // Predicting from a rate of nothing anywhere: every cell alike.
    let e = m.expected(&grid, &vec![0.0; grid.len()]);
    assert!(e.iter().all(|&x| (x - e[0]).abs() < 1e-12));
    // Without it (the lag alone, as before), and old parameters read as the new default.
    let off = TerrainParams { here: false, ..TerrainParams::default() };
    let m = model::fit(&off, &data, &mut crate::cluster::Silent).unwrap();
    assert!(m.factors.iter().all(|f| f.form != Form::Here) && m.forms.iter().all(|f| f.form != Form::Here));
    let old: TerrainParams = serde_json::from_str(r#"{"alpha":0.5,"lambdas":20}"#).unwrap();
    assert!(old.here);
}

proptest::proptest! {
    /// Hostile bytes are a layer or an error, never a panic.
    #[test]
    fn any_bytes_are_a_layer_or_an_error(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
        let _ = Layer::read("x", &bytes);
    }

    /// Text shaped like the formats, with its numbers and brackets mangled.
    #[test]
    fn mangled_geometry_columns_never_panic(
        head in "(the_geom|Location|lat,lon|wkt)",
        body in proptest::collection::vec("(POINT|MULTIPOLYGON|POLYGON|LINESTRING|\\(|\\)|,| |-?[0-9]{1,3}(\\.[0-9]{1,4})?|0101000020E6100000|\"|\n){0,30}", 0..8),
    ) {
        let text = format!("{head}\n{}", body.concat());
        let _ = Layer::read("x", text.as_bytes());
        let json = format!("{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[[{}]]}}}}", body.concat());
        let _ = Layer::read("x", json.as_bytes());
        let _ = geometry::from_wkb_hex(&body.concat());
    }
}
