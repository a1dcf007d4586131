use super::*;
use crate::load::{load_bytes, LoadOptions};

fn demo(rows: usize) -> CrimeTable {
    let csv = crate::demo::generate_csv(rows, 9);
    load_bytes("demo.csv", csv.as_bytes(), LoadOptions::default()).expect("demo loads").table
}

fn small() -> PipelineParams {
    PipelineParams { runs: 2, umap_sample: 400, tsne_sample: 300, route_stops: 10, only: Vec::new() }
}

#[test]
fn every_stage_runs_on_the_demo_and_reports_what_it_found() {
    let t = demo(6_000);
    let start = std::time::Instant::now();
    let clock = move || start.elapsed().as_secs_f64() * 1000.0;
    let mut seen = Vec::new();
    let stages = small().check().unwrap().run(&t, &clock, &mut |s, i, n| {
        seen.push((s.to_string(), i, n));
        true
    });
    let names: Vec<&str> = stages.iter().map(|s| s.stage.as_str()).collect();
    assert_eq!(names, STAGES);
    assert_eq!(seen.len(), STAGES.len());
    assert!(seen.iter().enumerate().all(|(i, (_, j, n))| *j == i && *n == STAGES.len()));
    for s in &stages {
        assert!(!s.failed(), "{}: {}", s.stage, s.outcome);
        assert_eq!(s.runs_ms.len(), 2, "{}", s.stage);
        assert!(s.runs_ms.iter().all(|ms| ms.is_finite() && *ms >= 0.0), "{}", s.stage);
        assert_eq!(s.rows, t.len() as u64);
        assert!(!s.what.is_empty() && !s.outcome.is_empty());
    }
    let by = |name: &str| stages.iter().find(|s| s.stage == name).unwrap();
    assert!(by("kmeans").outcome.starts_with("9 clusters"), "{}", by("kmeans").outcome);
    assert!(by("features").outcome.starts_with("33 features"), "{}", by("features").outcome);
    assert!(by("umap").outcome.starts_with("400 points"), "{}", by("umap").outcome);
    assert!(by("route").outcome.contains(" km"), "{}", by("route").outcome);
    // The report is the CLI's JSON: it must survive the trip.
    let json = serde_json::to_string(&stages).unwrap();
    assert_eq!(serde_json::from_str::<Vec<StageTime>>(&json).unwrap(), stages);
}

#[test]
fn only_runs_the_named_stages_in_pipeline_order_and_can_stop() {
    let t = demo(2_000);
    let clock = || 0.0;
    let p = PipelineParams { only: vec!["risk".into(), "features".into()], ..small() };
    let v = p.check().unwrap();
    assert_eq!(v.stages(), ["features", "risk"]);
    let done = v.run(&t, &clock, &mut |s, _, _| s != "risk");
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].stage, "features");
}

#[test]
fn bad_parameters_are_refused_with_a_reason() {
    let bad = |p: PipelineParams| p.check().unwrap_err();
    assert!(bad(PipelineParams { runs: 0, ..small() }).contains("runs"));
    assert!(bad(PipelineParams { only: vec!["kmean".into()], ..small() }).contains("\"kmean\""));
    assert!(bad(PipelineParams { umap_sample: 3, ..small() }).contains("at least 100"));
    assert!(bad(PipelineParams { route_stops: 0, ..small() }).contains("route stops"));
}

#[test]
fn a_failing_stage_is_reported_not_hidden() {
    // Two rows: K-Means with k = 9 cannot run; the stage says why and stops after one run.
    let t = demo(2);
    let p = PipelineParams { only: vec!["kmeans".into()], ..small() };
    let s = &p.check().unwrap().run(&t, &|| 0.0, &mut |_, _, _| true)[0];
    assert!(s.failed(), "{}", s.outcome);
    assert_eq!(s.runs_ms.len(), 1);
}

#[test]
fn median_of_odd_and_even_counts() {
    assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
    assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
}
