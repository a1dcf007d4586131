use std::collections::BTreeMap;

use super::*;
use crate::cluster::kmeans::{KMeansParams, SweepPoint};
use crate::cluster::metrics::SilhouetteSample;
use crate::cluster::report::{analyse, Algorithm};
use crate::cluster::Silent;
use crate::features::all_rows;
use crate::filter::Filter;
use crate::load::{load_bytes, LoadOptions};

fn kmeans(k: usize) -> RunParams {
    RunParams::Cluster {
        algo: Algorithm::Kmeans(KMeansParams { k, ..KMeansParams::default() }),
        sample: SilhouetteSample { size: 1000, seed: 7 },
    }
}

fn print() -> DatasetPrint {
    DatasetPrint { name: "demo".into(), rows: 100, first: None, last: None, fingerprint: "ab".into() }
}

fn run(k: usize, silhouette: f64, at: i64) -> Run {
    let mut o = Outcome::default();
    o.metric("silhouette", silhouette);
    o.metric("clusters", k as f64);
    Run::new(at, 1234.5, kmeans(k), o, print(), Filter::default())
}

#[test]
fn a_real_clustering_is_recorded_with_its_indices_and_centroids() {
    let csv = crate::demo::generate_csv(3000, 3);
    let loaded = load_bytes("demo.csv", csv.as_bytes(), LoadOptions::default()).unwrap();
    let rows = all_rows(&loaded.table);
    let params = kmeans(4);
    let RunParams::Cluster { algo, sample } = &params else { unreachable!() };
    let view = analyse(&loaded.table, &rows, algo, sample, &mut Silent).unwrap();
    let outcome = record::cluster(&view);
    let r = Run::new(
        1_700_000_000_000,
        250.0,
        params,
        outcome,
        DatasetPrint::of(&loaded.report),
        Filter::default(),
    );

    assert_eq!(r.kind, "cluster");
    assert_eq!(r.title, "K-Means k=4");
    assert_eq!(r.metrics["clusters"], 4.0);
    assert_eq!(r.metrics["silhouette"], view.report.silhouette.unwrap());
    assert_eq!(r.metrics["davies_bouldin"], view.report.davies_bouldin.unwrap());
    assert_eq!(r.metrics["calinski_harabasz"], view.report.calinski_harabasz.unwrap());
    assert_eq!(r.metrics["points"], rows.len() as f64);
    let geo: serde_json::Value = serde_json::from_str(&r.artifacts[0].text).unwrap();
    assert_eq!(r.artifacts[0].name, "centroids.geojson");
    assert_eq!(geo["features"].as_array().unwrap().len(), 4);
    // GeoJSON is [lon, lat].
    assert_eq!(geo["features"][0]["geometry"]["coordinates"][0], view.report.centers[0][1]);
    assert_eq!(r.dataset.rows, loaded.report.rows_clean);
    assert_eq!(r.dataset.fingerprint.len(), 16);
}

#[test]
fn the_fingerprint_tells_datasets_and_filters_apart() {
    let load = |rows, seed| {
        let csv = crate::demo::generate_csv(rows, seed);
        DatasetPrint::of(&load_bytes("demo.csv", csv.as_bytes(), LoadOptions::default()).unwrap().report)
    };
    assert_eq!(load(500, 1), load(500, 1));
    assert_ne!(load(500, 1).fingerprint, load(400, 1).fingerprint);
    let a = run(4, 0.5, 1);
    let mut b = a.clone();
    b = Run::new(
        1,
        b.duration_ms,
        b.params,
        Outcome { metrics: b.metrics, artifacts: vec![] },
        b.dataset,
        Filter { types: vec!["THEFT".into()], ..Filter::default() },
    );
    assert_ne!(a.filter_print, b.filter_print);
    assert_ne!(a.id, b.id, "the same time with another filter is another run");
}

#[test]
fn undefined_metrics_are_left_out_not_nan() {
    let mut o = Outcome::default();
    o.metric("silhouette", None);
    o.metric("nan", f64::NAN);
    o.metric("inf", f64::INFINITY);
    o.metric("ok", 0.25);
    assert_eq!(o.metrics.keys().collect::<Vec<_>>(), ["ok"]);
}

#[test]
fn parameters_flatten_to_dotted_keys() {
    let flat = kmeans(9).flat();
    assert_eq!(flat["algo.k"], "9");
    assert_eq!(flat["sample.size"], "1000");
    assert_eq!(flat["algo.init"], "none");
    assert!(!flat.contains_key("kind"));
    assert_eq!(run(9, 0.4, 1).number("params.algo.k"), Some(9.0));
    assert_eq!(run(9, 0.4, 1).number("silhouette"), Some(0.4));
    assert_eq!(run(9, 0.4, 1).number("params.nothing"), None);
}

#[test]
fn export_then_import_round_trips_exactly() {
    let mut a = run(3, 0.1 + 0.2, 1_700_000_000_001);
    a.metrics.insert("tiny".into(), 1e-300);
    a.metrics.insert("third".into(), 1.0 / 3.0);
    a.tags.insert("note".into(), "quote \" comma , newline \n ünïcode".into());
    a.pushed = Some(Pushed {
        server: "http://127.0.0.1:5000".into(),
        experiment_id: "1".into(),
        run_id: "abc".into(),
        artifacts: 1,
        at_ms: 5,
        finished: true,
    });
    let b = run(5, -0.02, 1_700_000_000_002);
    let text = exchange::to_json(&[a.clone(), b.clone()]);
    let back = exchange::from_json(&text).unwrap();
    assert_eq!(back, vec![a, b]);
    assert_eq!(exchange::to_json(&back), text, "a second export is byte-identical");
}

#[test]
fn bad_imports_are_refused_whole() {
    use exchange::{from_json, ImportError};
    assert!(matches!(from_json("{not json"), Err(ImportError::NotJson(_))));
    assert_eq!(from_json("[1, 2]"), Err(ImportError::NotAnExport));
    assert_eq!(from_json(r#"{"format":"other","version":1,"runs":[]}"#), Err(ImportError::NotAnExport));
    assert_eq!(
        from_json(r#"{"format":"patroliq-runs","version":9,"runs":[]}"#),
        Err(ImportError::Version(9))
    );
    let good = run(3, 0.5, 1);
    let mut v: serde_json::Value =
        serde_json::from_str(&exchange::to_json(std::slice::from_ref(&good))).unwrap();
    v["runs"][0]["metrics"]["silhouette"] = serde_json::json!("high");
    let e = from_json(&v.to_string()).unwrap_err();
    assert!(matches!(e, ImportError::BadRun { index: 0, .. }), "{e}");
    let mut v: serde_json::Value =
        serde_json::from_str(&exchange::to_json(std::slice::from_ref(&good))).unwrap();
    v["runs"][0]["kind"] = serde_json::json!("route");
    assert!(from_json(&v.to_string()).unwrap_err().to_string().contains("does not match"));
    let twice = exchange::to_json(&[good.clone(), good.clone()]);
    assert_eq!(from_json(&twice), Err(ImportError::DuplicateId(good.id)));
    assert_eq!(from_json(r#"{"format":"patroliq-runs","version":1,"runs":[]}"#), Ok(vec![]));
}

#[test]
fn merging_an_import_never_changes_a_logged_run() {
    let a = run(3, 0.5, 1);
    let b = run(4, 0.6, 2);
    let mut a2 = a.clone();
    a2.title = "edited".into();
    let m = exchange::merge(std::slice::from_ref(&a), vec![a.clone(), a2, b.clone()]);
    assert_eq!(m.added, vec![b]);
    assert_eq!(m.same, 1);
    assert_eq!(m.conflicts, vec![a.id]);
}

#[test]
fn csv_has_a_column_per_parameter_and_metric() {
    let mut a = run(3, 0.5, 1_700_000_000_000);
    a.title = "with, comma \"q\"".into();
    let b = run(4, 0.25, 1_700_000_000_500);
    let csv = exchange::to_csv(&[a, b]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3);
    let head: Vec<&str> = lines[0].split(',').collect();
    assert_eq!(&head[..3], ["id", "started_utc", "kind"]);
    assert!(head.contains(&"param.algo.k"));
    assert!(head.contains(&"metric.silhouette"));
    assert!(lines[1].contains("\"with, comma \"\"q\"\"\""));
    assert!(lines[1].contains("2023-11-14T22:13:20Z"));
    let k = head.iter().position(|h| *h == "metric.silhouette").unwrap();
    assert_eq!(lines[2].split(',').nth(k), Some("0.25"));
}

#[test]
fn comparison_puts_differing_parameters_first() {
    let a = run(3, 0.5, 1);
    let b = run(9, 0.3, 2);
    let rows = compare::params(&[&a, &b]);
    assert!(rows[0].differs);
    assert_eq!(rows[0].key, "algo.k");
    assert_eq!(rows[0].values, vec![Some("3".into()), Some("9".into())]);
    assert!(rows.iter().skip(1).all(|r| !r.differs), "only k differs");
    let metrics = compare::metrics(&[&a, &b]);
    let sil = metrics.iter().find(|m| m.key == "silhouette").unwrap();
    assert_eq!(sil.values, vec![Some(0.5), Some(0.3)]);
    let (params, metrics) = compare::numeric_keys(&[&a, &b]);
    assert!(params.contains(&"params.algo.k".to_string()));
    assert!(metrics.contains(&"silhouette".to_string()));
}

#[test]
fn metric_against_parameter_is_sorted_by_the_parameter() {
    let runs = [run(9, 0.3, 1), run(3, 0.5, 2), run(5, 0.4, 3)];
    let refs: Vec<&Run> = runs.iter().collect();
    let s = compare::series(&refs, "params.algo.k", "silhouette");
    let xy: Vec<(f64, f64)> = s.iter().map(|p| (p.0, p.1)).collect();
    assert_eq!(xy, vec![(3.0, 0.5), (5.0, 0.4), (9.0, 0.3)]);
}

#[test]
fn a_sweep_records_its_best_k() {
    let points = [
        SweepPoint { k: 2, inertia: 10.0, silhouette: Some(0.4) },
        SweepPoint { k: 3, inertia: 8.0, silhouette: Some(0.6) },
        SweepPoint { k: 4, inertia: 7.0, silhouette: None },
    ];
    let o = record::sweep(&points);
    assert_eq!(o.metrics["best_k"], 3.0);
    assert_eq!(o.metrics["best_silhouette"], 0.6);
}

#[test]
fn mlflow_requests_carry_every_param_metric_and_tag() {
    let mut r = run(9, 0.42, 1_700_000_000_000);
    r.tags.insert("app".into(), "0.1.0".into());
    let batches = mlflow::log_batches(&r, "mlrun");
    assert_eq!(batches.len(), 1);
    let b = &batches[0];
    assert_eq!(b["run_id"], "mlrun");
    let params: BTreeMap<String, String> = b["params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["key"].as_str().unwrap().into(), p["value"].as_str().unwrap().into()))
        .collect();
    assert_eq!(params, r.params.flat());
    let metric =
        |k: &str| b["metrics"].as_array().unwrap().iter().find(|m| m["key"] == k).map(|m| m["value"].clone());
    assert_eq!(metric("silhouette"), Some(serde_json::json!(0.42)));
    assert_eq!(metric("duration_ms"), Some(serde_json::json!(1234.5)));
    let tags = b["tags"].as_array().unwrap();
    assert!(tags.iter().any(|t| t["key"] == "patroliq.run_id" && t["value"] == r.id.as_str()));
    assert!(tags.iter().any(|t| t["key"] == "patroliq.app" && t["value"] == "0.1.0"));
    assert_eq!(mlflow::finish(&r, "mlrun")["end_time"], 1_700_000_001_235i64);
    assert_eq!(mlflow::create_run(&r, "7")["experiment_id"], "7");
}

#[test]
fn mlflow_batches_respect_the_servers_limits() {
    let mut o = Outcome::default();
    for i in 0..1500 {
        o.metric(&format!("m{i}"), i as f64);
    }
    let r = Run::new(1, 1.0, kmeans(3), o, print(), Filter::default());
    let batches = mlflow::log_batches(&r, "x");
    assert_eq!(batches.len(), 2);
    let metrics: usize = batches.iter().map(|b| b["metrics"].as_array().unwrap().len()).sum();
    assert_eq!(metrics, 1501);
    assert!(batches.iter().all(|b| b["metrics"].as_array().unwrap().len() <= 1000));
}

#[test]
fn mlflow_addresses() {
    assert_eq!(mlflow::server_url(" http://127.0.0.1:5000/ "), Ok("http://127.0.0.1:5000".into()));
    assert!(mlflow::server_url("127.0.0.1:5000").is_err());
    assert!(mlflow::server_url("http://").is_err());
    assert_eq!(
        mlflow::get_experiment_path("Patrol IQ/é"),
        "/api/2.0/mlflow/experiments/get-by-name?experiment_name=Patrol%20IQ%2F%C3%A9"
    );
    assert_eq!(
        mlflow::artifact_path("mlflow-artifacts:/3/abc/artifacts", "route.geojson").as_deref(),
        Some("/api/2.0/mlflow-artifacts/artifacts/3/abc/artifacts/route.geojson")
    );
    assert_eq!(
        mlflow::artifact_path("mlflow-artifacts://host:5000/3/abc/artifacts/", "a b").as_deref(),
        Some("/api/2.0/mlflow-artifacts/artifacts/3/abc/artifacts/a%20b")
    );
    assert_eq!(mlflow::artifact_path("/tmp/mlruns/3/abc/artifacts", "x"), None);
    assert_eq!(
        mlflow::error_message(404, r#"{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"no such"}"#),
        "HTTP 404 RESOURCE_DOES_NOT_EXIST: no such"
    );
    assert_eq!(mlflow::error_message(502, ""), "HTTP 502: no details");
}
