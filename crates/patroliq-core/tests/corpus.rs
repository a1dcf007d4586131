//! The bad-input corpus (tests/corpus, written by tests/corpus/make_corpus.py): every file gets the
//! outcome `expected.json` gives it — a load error of a named kind with a message, or the rows it
//! names —, never a panic; and every analysis of every file that loads (one row, two rows, 200
//! identical rows, one crime type…), with default and degenerate parameters and on an empty
//! filter result, gives a result or an error in words, never a panic. These are the calls the
//! browser's worker makes.

use std::path::PathBuf;

use patroliq_core::backtest::BacktestParams;
use patroliq_core::briefing::BriefingParams;
use patroliq_core::cluster::dbscan::DbscanParams;
use patroliq_core::cluster::hdbscan::HdbscanParams;
use patroliq_core::cluster::hierarchical::WardParams;
use patroliq_core::cluster::kmeans::KMeansParams;
use patroliq_core::cluster::metrics::SilhouetteSample;
use patroliq_core::cluster::report::{analyse, Algorithm};
use patroliq_core::cluster::Silent;
use patroliq_core::density::DensityParams;
use patroliq_core::eda::Eda;
use patroliq_core::features::Features;
use patroliq_core::reduce::embed::{EmbedParams, Method};
use patroliq_core::reduce::pca::Pca;
use patroliq_core::risk::hotspots::{hotspots, HotspotMode};
use patroliq_core::risk::RiskParams;
use patroliq_core::route::plan::RouteParams;
use patroliq_core::route::travel::StreetGrid;
use patroliq_core::route::RouteView;
use patroliq_core::temporal::peaks::Peaks;
use patroliq_core::temporal::TemporalParams;
use patroliq_core::terrain::Layer;
use patroliq_core::{load_bytes, CrimeTable, LoadOptions};
use serde_json::Value;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus")
}

/// An error must say something.
fn said<T, E: std::fmt::Display>(what: &str, r: Result<T, E>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            let m = e.to_string();
            assert!(m.trim().len() > 5, "{what}: an error without words: {m:?}");
            None
        }
    }
}

/// A result must cross to the page: the worker sends it as JSON, which has no NaN or infinity (a
/// NaN became `null`, the page could not read the message and waited forever).
fn crosses<T: serde::Serialize + serde::de::DeserializeOwned>(what: &str, v: &T) {
    let text = serde_json::to_string(v).unwrap();
    if let Err(e) = serde_json::from_str::<T>(&text) {
        panic!("{what}: the result does not survive JSON ({e}): a NaN or infinity?");
    }
}

/// Every analysis the app offers, on `rows` of `t`.
fn analyse_everything(name: &str, t: &CrimeTable, rows: &[u32]) {
    let what = |a: &str| format!("{name} ({} rows): {a}", rows.len());
    crosses(&what("eda"), &Eda::of(t, rows));
    let sample = SilhouetteSample { size: 500, seed: 1 };
    for algo in [
        Algorithm::Kmeans(KMeansParams::default()),
        Algorithm::Kmeans(KMeansParams { k: 1000, ..KMeansParams::default() }),
        Algorithm::Dbscan(DbscanParams::default()),
        Algorithm::Dbscan(DbscanParams { eps_m: 0.0, ..DbscanParams::default() }),
        Algorithm::Hierarchical(WardParams::default()),
        Algorithm::Hdbscan(HdbscanParams { min_cluster_size: 5, min_samples: 3 }),
        Algorithm::Hdbscan(HdbscanParams::default()),
    ] {
        if let Some(v) = said(&what(algo.name()), analyse(t, rows, &algo, &sample, &mut Silent)) {
            crosses(&what(algo.name()), &v);
        }
    }
    if let Some(r) =
        said(&what("temporal"), TemporalParams::default().check().and_then(|p| p.fit(t, rows, &mut Silent)))
    {
        crosses(&what("temporal"), &r);
    }
    crosses(&what("peaks"), &Peaks::of(t, rows));
    let features = Features::prepare(t, rows);
    if let Some(p) = said(&what("pca"), Pca::fit_prepared(&features, rows)) {
        crosses(&what("pca"), &p);
    }
    for method in [Method::Umap, Method::Tsne] {
        let params = EmbedParams { method, sample: 300, ..EmbedParams::default() };
        said(&what(method.name()), params.check().and_then(|p| p.fit(t, rows, &mut Silent)));
    }
    let risk = said(&what("risk"), RiskParams::default().check().and_then(|p| p.fit(t, rows, &mut Silent)));
    if let Some(model) = risk {
        crosses(&what("risk"), &model);
        for mode in [HotspotMode::TopCells, HotspotMode::GiClusters] {
            let spots = hotspots(&model, mode, 20);
            if let Some(valid) = said(&what("route params"), RouteParams::default().check()) {
                if let Some(prep) = said(&what("route"), valid.prepare(&spots, &mut StreetGrid)) {
                    let crimes: Vec<(f64, f64)> = rows
                        .iter()
                        .map(|&r| (t.latitude.get(r as usize), t.longitude.get(r as usize)))
                        .collect();
                    crosses(&what("route"), &RouteView::make(&valid, &prep, &crimes, 2.0));
                }
            }
        }
    }
    // The risk terrain with two layers (stops in the Loop, a park beside them), in the risk grid
    // and the back-test.
    let layers = [
        Layer::read("stops", b"Location\n\"(41.8857, -87.6309)\"\n\"(41.8781, -87.6298)\"\n")
            .expect("a layer"),
        Layer::read(
            "park",
            b"the_geom\n\"POLYGON ((-87.62 41.87, -87.61 41.87, -87.61 41.88, -87.62 41.87))\"\n",
        )
        .expect("a layer"),
    ];
    let terrain = RiskParams::default()
        .check()
        .and_then(|p| p.fit_with_layers(t, rows, i64::MAX, &layers, &mut Silent));
    if let Some(model) = said(&what("risk terrain"), terrain) {
        crosses(&what("risk terrain"), &model);
    }
    let with_layers =
        BacktestParams::default().check().and_then(|p| p.run_with_layers(t, rows, &layers, &mut Silent));
    if let Some(b) = said(&what("back-test with layers"), with_layers) {
        crosses(&what("back-test with layers"), &b);
    }
    if let Some(b) =
        said(&what("back-test"), BacktestParams::default().check().and_then(|p| p.run(t, rows, &mut Silent)))
    {
        crosses(&what("back-test"), &b);
    }
    if let Some(d) =
        said(&what("density"), DensityParams::default().check().and_then(|p| p.fit(t, rows, &mut Silent)))
    {
        crosses(&what("density"), &d);
    }
    forecasts(&what, t, rows);
    let briefing =
        BriefingParams::default().check().and_then(|p| p.fit(t, rows, &[], &mut StreetGrid, &mut Silent));
    if let Some(b) = said(&what("briefing"), briefing) {
        crosses(&what("briefing"), &b);
    }
}

/// The forecasts: a rolling back-test of the last two weeks (every method), the Knox test and
/// emerging hot spots by week.
fn forecasts(what: &dyn Fn(&str) -> String, t: &CrimeTable, rows: &[u32]) {
    use patroliq_core::forecast::emerging::{Bin, EmergingParams};
    use patroliq_core::forecast::knox::KnoxParams;
    use patroliq_core::forecast::rolling::RollingParams;
    use patroliq_core::forecast::view::last_weeks;
    use patroliq_core::forecast::Horizon;
    if let Some((from, to)) = last_weeks(t, rows, 2) {
        for horizon in [Horizon::NIGHT, Horizon::Week] {
            let p = RollingParams { bootstrap: 50, ..RollingParams::new(from, to, horizon) };
            let r = said(&what("rolling back-test"), p.check().and_then(|p| p.view(t, rows, &mut Silent)));
            if let Some(r) = r {
                crosses(&what("rolling back-test"), &r);
            }
        }
    }
    let k = KnoxParams { permutations: 9, ..KnoxParams::default() };
    if let Some(k) = said(&what("knox"), k.check().and_then(|p| p.run(t, rows, &mut Silent))) {
        crosses(&what("knox"), &k);
    }
    for bin in [Bin::Week, Bin::Month] {
        let e = EmergingParams { bin, ..EmergingParams::default() };
        if let Some(e) = said(&what("emerging"), e.check().and_then(|p| p.run(t, rows, &mut Silent))) {
            crosses(&what("emerging"), &e);
        }
    }
}

#[test]
fn every_file_of_the_corpus_gets_its_outcome_and_every_analysis_survives_it() {
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(corpus().join("expected.json")).unwrap()).unwrap();
    let cases = expected.as_object().unwrap();
    assert!(cases.len() >= 20, "the corpus is there");
    for (name, want) in cases {
        let bytes = std::fs::read(corpus().join(name)).unwrap();
        let got = load_bytes(name, &bytes, LoadOptions::default());
        let number = |k: &str| want.get(k).and_then(Value::as_u64);
        match got {
            Err(e) => {
                let message = e.to_string();
                println!("{name}: {} — {message}", e.kind());
                assert!(message.len() > 10, "{name}: a message in words, got {message:?}");
                if let Some(kind) = want.get("error").and_then(Value::as_str) {
                    assert_eq!(e.kind(), kind, "{name}: {message}");
                } else {
                    assert!(
                        want.get("error_any").is_some() || want.get("error_or_rows").is_some(),
                        "{name} ({}) should load: {message}",
                        want["why"]
                    );
                }
            }
            Ok(loaded) => {
                let rows = loaded.report.rows_clean;
                println!("{name}: {rows} rows of {}", loaded.report.rows_read);
                assert!(
                    want.get("error").is_none() && want.get("error_any").is_none(),
                    "{name} ({}) should be refused, loaded {rows} rows",
                    want["why"]
                );
                if let Some(n) = number("rows") {
                    assert_eq!(rows, n, "{name}");
                }
                if let Some(n) = number("rows_at_least") {
                    assert!(rows >= n, "{name}: {rows} rows");
                }
                if let Some(n) = number("dropped_at_least") {
                    let dropped = loaded.report.rows_read - loaded.report.rows_clean;
                    assert!(dropped >= n, "{name}: {dropped} dropped");
                }
                let t = &loaded.table;
                let all: Vec<u32> = (0..t.len() as u32).collect();
                analyse_everything(name, t, &all);
                // An empty filter result.
                analyse_everything(name, t, &[]);
            }
        }
    }
}

#[test]
fn pca_of_identical_rows_says_there_is_no_variation() {
    // It gave NaN shares, which JSON cannot carry to the page: the Shape page waited forever.
    let bytes = std::fs::read(corpus().join("identical_rows.csv")).unwrap();
    let loaded = load_bytes("identical_rows.csv", &bytes, LoadOptions::default()).unwrap();
    let rows: Vec<u32> = (0..loaded.table.len() as u32).collect();
    let e = Pca::fit(&loaded.table, &rows).unwrap_err();
    assert!(e.to_string().contains("no variation"), "{e}");
}
