use super::*;
use crate::load::{load_bytes, LoadOptions};

fn demo(rows: usize) -> CrimeTable {
    let csv = crate::demo::generate_csv(rows, 9);
    load_bytes("demo.csv", csv.as_bytes(), LoadOptions::default()).expect("demo loads").table
}

fn small() -> PipelineParams {
    PipelineParams {
        runs: 2,
        umap_sample: 400,
        tsne_sample: 300,
        route_stops: 10,
        ..PipelineParams::default()
    }
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
    let bad = |p: PipelineParams| p.check().unwrap_err().to_string();
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
fn a_pass_with_the_maps_beside_finds_what_the_stages_in_a_row_find() {
    let t = demo(4_000);
    let start = std::time::Instant::now();
    let clock = move || start.elapsed().as_secs_f64() * 1000.0;
    let v = PipelineParams { runs: 1, ..small() }.check().unwrap();
    let in_a_row = v.run(&t, &clock, &mut |_, _, _| true);
    let jobs = v.map_jobs(&t, &clock).unwrap();
    assert_eq!(jobs.iter().map(|j| j.stage).collect::<Vec<_>>(), MAPS);
    assert!(jobs.iter().all(|j| j.x.dim == 20 && j.x.rows() > 250 && j.prepare_ms >= 0.0));
    // The maps on a thread of their own while the rest runs here, as `patroliq bench --beside`.
    let (rest, maps) = std::thread::scope(|s| {
        let maps = s.spawn(|| jobs.iter().map(|j| j.run(&clock)).collect::<Vec<_>>());
        (v.run_rest(&t, &clock, &mut |s, _, _| !MAPS.contains(&s)), maps.join().unwrap())
    });
    let beside = in_order(rest.into_iter().chain(maps).collect());
    let names = |v: &[StageTime]| v.iter().map(|s| s.stage.clone()).collect::<Vec<_>>();
    assert_eq!(names(&beside), names(&in_a_row));
    for (a, b) in beside.iter().zip(&in_a_row) {
        assert_eq!(a.outcome, b.outcome, "{}", a.stage);
        assert_eq!(a.what, b.what, "{}", a.stage);
        assert_eq!(a.runs_ms.len(), 1);
    }
    let b = Beside::of(vec![(30.0, beside.clone()), (10.0, Vec::new()), (20.0, beside)]);
    assert_eq!((b.median_ms, b.stages.len()), (20.0, STAGES.len()));
    // A map that fails says so in its stage.
    let failed = jobs[0].timed(Err("too few".into()), 5.0);
    assert!(failed.failed() && failed.median_ms >= 5.0);
}

#[test]
fn median_of_odd_and_even_counts() {
    assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
    assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
}
