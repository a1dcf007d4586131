//! The `patroliq` command as users' scripts call it: JSON fields, exit codes, real data.

use std::path::Path;
use std::process::{Command, Output};

fn patroliq(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_patroliq")).args(args).output().expect("patroliq runs")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn validate_json_has_the_documented_fields() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("demo.csv.gz");
    assert!(patroliq(&["demo", p(&csv), "--rows", "5000", "--seed", "3"]).status.success());
    let out = patroliq(&["validate", p(&csv), "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    assert_eq!(v["rows_read"], 5000);
    for field in ["rows_read", "rows_clean", "dropped", "date_min", "date_max", "primary_types"] {
        assert!(!v[field].is_null(), "missing {field}");
    }
    let dropped: u64 = v["dropped"].as_object().unwrap().values().map(|n| n.as_u64().unwrap()).sum();
    assert_eq!(v["rows_clean"].as_u64().unwrap() + dropped, 5000);
    assert!(v["dropped"]["missing_coordinates"].as_u64().unwrap() > 0);
    assert_eq!(v["source"]["format"], "csv.gz");
}

#[test]
fn bad_input_exits_non_zero_with_a_json_error() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 4] = [
        ("empty.csv", b"", "empty"),
        ("wrong.csv", b"name,colour\nbob,red\n", "wrong_schema"),
        ("garbage.bin", &[0u8, 1, 2, 3, 0, 0, 0, 7, 255, 254, 0, 0, 1, 2, 3, 4], "unsupported"),
        ("bad.parquet", b"PAR1this is not parquet at all", "malformed"),
    ];
    for (name, bytes, kind) in cases {
        let f = dir.path().join(name);
        std::fs::write(&f, bytes).unwrap();
        let out = patroliq(&["validate", p(&f), "--json"]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert_eq!(json(&out)["error"]["kind"], kind, "{name}");
        assert!(!out.stderr.is_empty());
    }
    let missing = patroliq(&["validate", "/no/such/file.csv", "--json"]);
    assert_eq!(missing.status.code(), Some(1));
    assert_eq!(json(&missing)["error"]["kind"], "io");
}

#[test]
fn prepare_writes_parquet_that_loads_to_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("demo.csv");
    let pq = dir.path().join("demo.parquet");
    assert!(patroliq(&["demo", p(&csv), "--rows", "3000"]).status.success());
    let out = patroliq(&["prepare", p(&csv), p(&pq), "--since", "2017-01-01"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let a = json(&patroliq(&["validate", p(&csv), "--json"]));
    let b = json(&patroliq(&["validate", p(&pq), "--json"]));
    assert_eq!(b["source"]["format"], "parquet");
    assert_eq!(b["date_min"].as_str().unwrap()[..4].to_owned(), "2017");
    assert_eq!(a["date_max"], b["date_max"]);
    assert!(b["rows_clean"].as_u64().unwrap() < a["rows_clean"].as_u64().unwrap());
    let bad = patroliq(&["prepare", p(&csv), p(&pq), "--since", "01/02/2017x"]);
    assert_eq!(bad.status.code(), Some(64));
    // Every codec writes the same rows; snappy unless told (the app reads it fastest), zstd
    // the smallest.
    let size = |codec: Option<&str>| {
        let out = dir.path().join(format!("{}.parquet", codec.unwrap_or("default")));
        let mut args = vec!["prepare", p(&csv), p(&out)];
        args.extend(codec.map(|c| ["--compression", c]).into_iter().flatten());
        assert!(patroliq(&args).status.success(), "{codec:?}");
        let v = json(&patroliq(&["validate", p(&out), "--json"]));
        assert_eq!(v["rows_clean"], a["rows_clean"], "{codec:?}");
        std::fs::metadata(&out).unwrap().len()
    };
    let sizes: Vec<u64> = [None, Some("snappy"), Some("zstd"), Some("lz4"), Some("none")].map(size).into();
    assert_eq!(sizes[0], sizes[1]);
    assert!(sizes[2] < sizes[1] && sizes[1] < sizes[4] && sizes[3] < sizes[4], "{sizes:?}");
}

#[test]
fn features_writes_a_parquet_file() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("demo.csv");
    let out = dir.path().join("features.parquet");
    assert!(patroliq(&["demo", p(&csv), "--rows", "2000"]).status.success());
    let res = patroliq(&["features", p(&csv), p(&out)]);
    assert!(res.status.success(), "{}", String::from_utf8_lossy(&res.stderr));
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
    // The demo has a few deliberately dirty rows: features cover the clean ones.
    let clean = json(&patroliq(&["validate", p(&csv), "--json"]))["rows_clean"].as_u64().unwrap();
    assert!(String::from_utf8_lossy(&res.stderr).contains(&format!("33 features of {clean} rows")));
    let res = patroliq(&["features", p(&csv), p(&out), "--filter", "type=THEFT"]);
    assert!(res.status.success());
    let thefts = json(&patroliq(&["eda", p(&csv), "--filter", "type=THEFT"]))["rows"].as_u64().unwrap();
    assert!(String::from_utf8_lossy(&res.stderr).contains(&format!("33 features of {thefts} rows")));
}

#[test]
fn eda_json_follows_the_filter_and_rejects_a_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("demo.csv");
    assert!(patroliq(&["demo", p(&csv), "--rows", "3000"]).status.success());
    let all = json(&patroliq(&["eda", p(&csv)]));
    let clean = json(&patroliq(&["validate", p(&csv), "--json"]))["rows_clean"].clone();
    assert_eq!(all["rows"], clean);
    assert_eq!(all["total_rows"], clean);
    for key in [
        "types",
        "by_hour",
        "by_weekday",
        "hour_weekday",
        "by_month",
        "by_week",
        "top_locations",
        "districts",
        "partial_months",
        "partial_weeks",
    ] {
        assert!(all[key].is_array(), "{key}");
    }
    // A filter from the 10th of a month makes that month partial: 22 of its days at most.
    let mid = json(&patroliq(&["eda", p(&csv), "--filter", "from=2017-03-10"]));
    let first = &mid["partial_months"][0];
    assert_eq!((first["index"].as_u64(), first["start"].as_str()), (Some(0), Some("2017-03-01")));
    assert!(first["note"].as_str().unwrap().starts_with("partial month: data from 10 Mar"), "{first}");
    assert_eq!(all["correlation"]["features"].as_array().unwrap().len(), 19);
    let battery = all["types"].as_array().unwrap().iter().find(|t| t["primary_type"] == "BATTERY").unwrap();
    let only = json(&patroliq(&["eda", p(&csv), "--filter", "type=BATTERY&to=2017-12-31"]));
    assert_eq!(only["rows"], battery["count"]);
    assert_eq!(only["types"].as_array().unwrap().len(), 1);
    let bad = patroliq(&["eda", p(&csv), "--filter", "district=banana"]);
    assert_eq!(bad.status.code(), Some(64));
    assert_eq!(json(&bad)["error"]["kind"], "usage");
}

#[test]
fn cluster_json_has_the_documented_fields_and_flags_degenerate_runs() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("demo.csv");
    assert!(patroliq(&["demo", p(&csv), "--rows", "4000"]).status.success());
    let clean = json(&patroliq(&["validate", p(&csv), "--json"]))["rows_clean"].as_u64().unwrap();
    for algo in ["kmeans", "dbscan", "hierarchical", "hdbscan"] {
        let v = json(&patroliq(&[
            "cluster",
            p(&csv),
            "--algo",
            algo,
            "--eps-m",
            "400",
            "--min-samples",
            "10",
            "--json",
        ]));
        assert_eq!(v["algo"], algo);
        let sizes: Vec<u64> = v["sizes"].as_array().unwrap().iter().map(|s| s.as_u64().unwrap()).collect();
        assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{algo}: sizes descending");
        assert_eq!(
            sizes.iter().sum::<u64>() + v["noise"].as_u64().unwrap(),
            clean,
            "{algo}: every point counted"
        );
        assert_eq!(v["n_clusters"].as_u64().unwrap() as usize, sizes.len());
        assert_eq!(v["centers"].as_array().unwrap().len(), sizes.len());
        let lat = v["centers"][0][0].as_f64().unwrap();
        assert!((41.6..42.1).contains(&lat), "{algo}: centre latitude {lat}");
        for m in ["silhouette", "davies_bouldin", "calinski_harabasz", "seconds"] {
            assert!(v[m].is_number(), "{algo}: {m}");
        }
        assert!(v["warnings"].is_array());
    }
    // A radius far too small: nearly everything is noise, and it is said.
    let v = json(&patroliq(&[
        "cluster",
        p(&csv),
        "--algo",
        "dbscan",
        "--eps-m",
        "5",
        "--min-samples",
        "20",
        "--json",
    ]));
    let warnings = v["warnings"].to_string();
    assert!(warnings.contains("noise"), "{warnings}");
    let bad = patroliq(&["cluster", p(&csv), "--algo", "dbscan", "--eps-m=-3", "--json"]);
    assert_eq!(bad.status.code(), Some(64));
    assert_eq!(json(&bad)["error"]["kind"], "usage");
    assert_eq!(patroliq(&["cluster", p(&csv), "--algo", "nonsense"]).status.code(), Some(64));
}

#[test]
fn pca_json_names_the_features_and_their_explained_variance() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("demo.csv");
    assert!(patroliq(&["demo", p(&csv), "--rows", "3000"]).status.success());
    let v = json(&patroliq(&["pca", p(&csv)]));
    assert_eq!(json(&patroliq(&["pca", p(&csv), "--json"])), v, "--json is accepted and changes nothing");
    let names = v["features"].as_array().unwrap();
    // The whole catalogue: each feature analysed or left out with a reason.
    let left_out = v["left_out"].as_array().unwrap();
    assert_eq!(names.len() + left_out.len(), 33);
    for x in left_out {
        let reason = x["reason"].as_str().unwrap();
        assert!(["duplicate", "category", "constant"].contains(&reason), "{x}");
        assert!(!x["note"].as_str().unwrap().is_empty(), "{x}");
        assert!(!names.contains(&x["feature"]), "{x}");
    }
    let ratios: Vec<f64> =
        v["explained_variance_ratio"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
    assert_eq!(names.len(), ratios.len());
    assert!((ratios.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    assert!(v["components_for_70"].as_u64().unwrap() <= v["components_for_90"].as_u64().unwrap());
    let none = patroliq(&["pca", p(&csv), "--filter", "type=NO SUCH TYPE"]);
    assert_eq!(none.status.code(), Some(64));
    assert_eq!(json(&none)["error"]["kind"], "usage");
}

#[test]
fn temporal_json_has_the_documented_fields() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("demo.csv");
    assert!(patroliq(&["demo", p(&csv), "--rows", "5000"]).status.success());
    let v = json(&patroliq(&["temporal", p(&csv)]));
    for field in [
        "params",
        "incidents",
        "cells",
        "sweep",
        "k",
        "silhouette",
        "inertia",
        "patterns",
        "cell_pattern",
        "peaks",
        "seconds",
    ] {
        assert!(!v[field].is_null(), "{field} missing");
    }
    let k = v["k"].as_u64().unwrap() as usize;
    assert!((3..=6).contains(&k));
    assert_eq!(v["sweep"].as_array().unwrap().len(), 4);
    let patterns = v["patterns"].as_array().unwrap();
    assert_eq!(patterns.len(), k);
    let total: u64 = patterns.iter().map(|p| p["incidents"].as_u64().unwrap()).sum();
    assert_eq!(total, v["incidents"].as_u64().unwrap());
    for p in patterns {
        assert!(!p["label"].as_str().unwrap().is_empty());
        assert_eq!(p["by_hour"].as_array().unwrap().len(), 24);
        assert_eq!(p["hour_weekday"].as_array().unwrap().len(), 7);
    }
    assert_eq!(v["cell_pattern"].as_array().unwrap().len(), 2016);
    for field in ["by_type", "by_district", "seasonality", "month_index"] {
        assert!(v["peaks"][field].is_array(), "peaks.{field}");
    }
    let answer = &v["peaks"]["answer"];
    assert!(answer["line"].as_str().unwrap().starts_with("Most incidents: "), "{answer}");
    assert!(answer["detail"].is_string() && answer["hours"].as_array().unwrap().len() == 2, "{answer}");
    assert!(
        answer["days"].is_array()
            && answer["months"].is_array()
            && answer["hour_share"].as_f64().unwrap() >= 0.5
    );
    let fixed = json(&patroliq(&["temporal", p(&csv), "--encoding", "standardised", "--k", "4"]));
    assert_eq!((fixed["k"].as_u64(), fixed["params"]["encoding"].as_str()), (Some(4), Some("standardised")));
    let bad = patroliq(&["temporal", p(&csv), "--k", "1"]);
    assert_eq!(bad.status.code(), Some(64));
    assert_eq!(json(&bad)["error"]["kind"], "usage");
}

#[test]
fn embed_writes_the_map_and_reports_its_trustworthiness() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("demo.csv");
    let out = dir.path().join("map.csv");
    assert!(patroliq(&["demo", p(&csv), "--rows", "3000"]).status.success());
    for method in ["umap", "tsne"] {
        let run = patroliq(&[
            "embed",
            p(&csv),
            "--method",
            method,
            "--sample",
            "800",
            "--seed",
            "3",
            "--iterations",
            "250",
            "--out",
            p(&out),
            "--json",
        ]);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        let v = json(&run);
        assert_eq!(v["points"].as_u64().unwrap() + v["dropped"].as_u64().unwrap(), 800);
        let t = v["trustworthiness"].as_f64().unwrap();
        assert!(t > 0.7 && t <= 1.0, "{method}: {t}");
        let text = std::fs::read_to_string(&out).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("id,row,x,y,primary_type,hour"));
        assert_eq!(lines.count() as u64, v["points"].as_u64().unwrap());
        assert!(String::from_utf8_lossy(&run.stderr).contains("trustworthiness"));
    }
    let small = patroliq(&["embed", p(&csv), "--sample", "10", "--out", p(&out)]);
    assert_eq!(small.status.code(), Some(64));
}

/// The real 500,000-row sample: the figures of shared/data/README.md.
#[test]
fn the_real_sample_validates_to_its_documented_figures() {
    let f = patroliq_core::shared_data::file("chicago_crimes_sample.csv.gz");
    let v = json(&patroliq(&["validate", p(&f), "--json"]));
    assert_eq!(v["rows_read"], 500_000);
    assert_eq!(v["dropped"]["missing_coordinates"], 4_171);
    assert_eq!(v["dropped"]["duplicate_id"], 0);
    assert_eq!(v["dropped"]["out_of_bounds"], 0);
    assert_eq!(v["rows_clean"], 500_000 - 4_171);
    assert_eq!(v["date_min"], "2016-02-26T01:20:00");
    assert_eq!(v["date_max"], "2017-12-31T23:58:00");
    assert_eq!(v["primary_types"], 32);
    assert_eq!(v["null_counts"]["District"], 1);
    assert_eq!(v["null_counts"]["Location Description"], 1_882);
    let arrest = v["arrest_rate"].as_f64().unwrap();
    assert!((0.19..0.20).contains(&arrest), "{arrest}");
}

#[test]
fn risk_and_route_json_have_the_documented_fields() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("demo.csv.gz");
    assert!(patroliq(&["demo", p(&csv), "--rows", "20000", "--seed", "5"]).status.success());
    let out = patroliq(&["risk", p(&csv), "--top", "5", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    let cells = v["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 5);
    for c in cells {
        for f in ["lat", "lon", "score", "incidents", "parts", "kde", "gi_z", "significant"] {
            assert!(c.get(f).is_some(), "cells[].{f}");
        }
    }
    let scores: Vec<f64> = cells.iter().map(|c| c["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "riskiest first: {scores:?}");
    assert_eq!(v["hotspots"].as_array().unwrap().len(), 5);

    let gpx = dir.path().join("r.gpx");
    let start = "41.8299,-87.6238";
    let out = patroliq(&["route", p(&csv), "--start", start, "--stops", "8", "--gpx", p(&gpx), "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    let w = v["waypoints"].as_array().unwrap();
    assert_eq!(w.len(), 10, "start, 8 stops, start");
    assert_eq!(w[0], w[9]);
    assert!((w[0][0].as_f64().unwrap() - 41.8299).abs() < 1e-9);
    assert!(v["distance_m"].as_f64().unwrap() > 0.0 && v["travel_time_s"].as_f64().unwrap() > 0.0);
    assert_eq!(v["stops"].as_array().unwrap().len(), 8);
    assert_eq!(v["model"], "street grid");
    assert!(std::fs::read_to_string(&gpx).unwrap().contains("<rtept"));

    // Usage errors: exit 64 with a JSON error.
    for args in [
        vec!["route", p(&csv), "--start", "north", "--json"],
        vec!["route", p(&csv), "--depart", "25:00", "--json"],
        vec!["route", p(&csv), "--stops", "0", "--json"],
        vec!["risk", p(&csv), "--cell-m", "10", "--json"],
    ] {
        let out = patroliq(&args);
        assert_eq!(out.status.code(), Some(64), "{args:?}");
        assert_eq!(json(&out)["error"]["kind"], "usage", "{args:?}");
    }
}

#[test]
fn backtest_json_has_the_documented_fields_per_method() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("demo.csv.gz");
    assert!(patroliq(&["demo", p(&csv), "--rows", "20000", "--seed", "5"]).status.success());
    let out = patroliq(&["backtest", p(&csv), "--split", "2017-09-01", "--coverage", "0.05", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    assert_eq!(v["split"], "2017-09-01");
    assert!(v["train"]["to"].as_str().unwrap() < "2017-09-01");
    assert!(v["test"]["from"].as_str().unwrap() >= "2017-09-01");
    let methods = v["methods"].as_array().unwrap();
    let keys: Vec<&str> = methods.iter().map(|m| m["method"].as_str().unwrap()).collect();
    assert_eq!(keys, ["naive", "kde", "kmeans", "dbscan", "hdbscan", "gi_star", "risk_severity", "risk"]);
    for m in methods {
        for f in ["hit_rate", "pai", "pei"] {
            let x = m[f].as_f64().unwrap_or_else(|| panic!("methods[].{f}"));
            assert!(x.is_finite() && x >= 0.0, "{f} = {x}");
        }
        let (h, a, pai) =
            (m["hit_rate"].as_f64().unwrap(), m["area"].as_f64().unwrap(), m["pai"].as_f64().unwrap());
        assert!((pai - h / a).abs() < 1e-9, "PAI = hit rate ÷ area");
        assert!(m["pei"].as_f64().unwrap() <= 1.0 + 1e-12);
    }
    assert_eq!(v["oracle"]["pei"], 1.0);
    assert_eq!(v["curve"]["coverage"].as_array().unwrap().len(), v["curve"]["kde"].as_array().unwrap().len());
    assert_eq!(v["route"]["rows"].as_array().unwrap().len(), 2);

    for args in [
        vec!["backtest", p(&csv), "--split", "2030-01-01", "--json"],
        vec!["backtest", p(&csv), "--split", "1 Sept", "--json"],
        vec!["backtest", p(&csv), "--coverage", "5", "--json"],
        vec!["backtest", p(&csv), "--methods", "kde,magic", "--json"],
    ] {
        let out = patroliq(&args);
        assert_eq!(out.status.code(), Some(64), "{args:?}");
        assert_eq!(json(&out)["error"]["kind"], "usage", "{args:?}");
    }
}

#[test]
fn rolling_backtest_json_has_the_documented_fields_per_method() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("demo.csv.gz");
    assert!(patroliq(&["demo", p(&csv), "--rows", "20000", "--seed", "5"]).status.success());
    let args = [
        "backtest",
        p(&csv),
        "--rolling",
        "--from",
        "2017-10-02",
        "--to",
        "2017-12-31",
        "--horizon",
        "week",
        "--methods",
        "naive,kde,risk,ensemble",
        "--json",
    ];
    let out = patroliq(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    assert_eq!((v["rolling"].as_bool(), v["horizon"].as_str()), (Some(true), Some("week")));
    assert_eq!(v["coverage"][0], 0.01, "1 % of the city heads the rolling test");
    let periods = v["periods"].as_array().unwrap();
    assert_eq!(periods.len(), 13, "13 whole weeks from 2017-10-02 to 2017-12-31");
    let methods = v["methods"].as_array().unwrap();
    let keys: Vec<&str> = methods.iter().map(|m| m["method"].as_str().unwrap()).collect();
    assert_eq!(keys, ["naive", "kde", "risk", "ensemble"]);
    for m in methods {
        for f in ["hit_rate", "pai", "pei"] {
            let x = m[f].as_f64().unwrap_or_else(|| panic!("methods[].{f}"));
            assert!(x.is_finite() && x >= 0.0, "{f} = {x}");
        }
        let (pai, iv) = (m["pai"].as_f64().unwrap(), m["pai_interval"].as_array().unwrap());
        assert!(iv[0].as_f64().unwrap() <= pai && pai <= iv[1].as_f64().unwrap(), "{pai} in {iv:?}");
        assert_eq!(m["periods"], v["scored"]);
        assert_eq!(m["at"].as_array().unwrap().len(), 4);
        assert_eq!(m["per_period"].as_array().unwrap().len(), periods.len());
        // The headline is the mean of the periods' PAI.
        let mean: f64 =
            m["per_period"].as_array().unwrap().iter().map(|x| x["pai"].as_f64().unwrap()).sum::<f64>()
                / periods.len() as f64;
        assert!((mean - pai).abs() < 1e-9, "{mean} vs {pai}");
        if m["method"] == "naive" {
            assert!(m["gain_vs_naive"].is_null() && m["wins_vs_naive"].is_null());
        } else {
            let w = m["wins_vs_naive"].as_u64().unwrap()
                + m["ties_vs_naive"].as_u64().unwrap()
                + m["losses_vs_naive"].as_u64().unwrap();
            assert_eq!(w, v["scored"].as_u64().unwrap());
            assert!(m["gain_vs_naive"].as_f64().is_some());
        }
    }
    assert!(keys.contains(&v["best"].as_str().unwrap()));
    // Today's split back-test is unchanged by the new flags.
    let out = patroliq(&["backtest", p(&csv), "--split", "2017-09-01", "--stops", "0", "--json"]);
    assert_eq!(json(&out)["coverage"], serde_json::json!([0.05, 0.01, 0.10]));

    for args in [
        vec!["backtest", p(&csv), "--rolling", "--horizon", "fortnight", "--json"],
        vec!["backtest", p(&csv), "--rolling", "--shift", "late", "--json"],
        vec!["backtest", p(&csv), "--rolling", "--shift", "20-30", "--json"],
        vec!["backtest", p(&csv), "--rolling", "--from", "2017-12-01", "--to", "2017-11-01", "--json"],
        vec!["backtest", p(&csv), "--rolling", "--methods", "naive,crystal_ball", "--json"],
        vec!["backtest", p(&csv), "--rolling", "--coverage", "2", "--json"],
    ] {
        let out = patroliq(&args);
        assert_eq!(out.status.code(), Some(64), "{args:?}");
        assert_eq!(json(&out)["error"]["kind"], "usage", "{args:?}");
    }
}

#[test]
fn nearrepeat_and_emerging_json_have_the_documented_fields() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("demo.csv.gz");
    assert!(patroliq(&["demo", p(&csv), "--rows", "20000", "--seed", "5"]).status.success());
    let out = patroliq(&["nearrepeat", p(&csv), "--filter", "type=THEFT", "--permutations", "19", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    let n = v["incidents"].as_u64().unwrap();
    assert!(n > 100, "{n} thefts");
    assert_eq!(v["pairs"].as_u64().unwrap(), n * (n - 1) / 2);
    let bands = v["bands"].as_array().unwrap();
    assert_eq!(bands.len(), 5 * 4);
    for b in bands {
        for f in ["observed", "expected", "simulated_mean", "p"] {
            assert!(b[f].as_f64().is_some(), "bands[].{f}");
        }
        let p = b["p"].as_f64().unwrap();
        assert!(p > 0.0 && p <= 1.0);
    }
    assert_eq!(bands[0]["space_m"], serde_json::json!([0.0, 200.0]));
    assert_eq!(bands[0]["time_days"], serde_json::json!([0.0, 7.0]));
    assert!(v["headline"]["sentence"].as_str().unwrap().starts_with("Within 200 m and 7 days"));
    let out = patroliq(&["nearrepeat", p(&csv), "--space-m", "200,100", "--json"]);
    assert_eq!(out.status.code(), Some(64));
    // Every row of the demo is too many pairs to test: refused in words.
    let big = dir.path().join("big.csv.gz");
    assert!(patroliq(&["demo", p(&big), "--rows", "120000", "--seed", "5"]).status.success());
    let out = patroliq(&["nearrepeat", p(&big), "--json"]);
    assert_eq!(out.status.code(), Some(64));
    assert!(json(&out)["error"]["message"].as_str().unwrap().contains("one crime type"));

    let out = patroliq(&["emerging", p(&csv), "--bin", "month", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    let bins = v["bins"].as_array().unwrap();
    assert_eq!(v["totals"].as_array().unwrap().len(), bins.len());
    let cells = v["cells"].as_array().unwrap();
    assert!(!cells.is_empty());
    for c in cells {
        for f in ["lat", "lon", "category", "incidents", "trend_z", "trend_p", "hot_bins", "cold_bins"] {
            assert!(c.get(f).is_some(), "cells[].{f}");
        }
    }
    let counted: u64 = v["categories"].as_array().unwrap().iter().map(|c| c["cells"].as_u64().unwrap()).sum();
    assert_eq!(counted, cells.len() as u64);
    let out = patroliq(&["emerging", p(&csv), "--bin", "year", "--json"]);
    assert_eq!(out.status.code(), Some(64));
}

/// The README's back-test figures on the real sample (train 2016-02 → 2017-08, test to 2017-12).
#[test]
fn the_real_sample_backtest_matches_the_readme() {
    let f = patroliq_core::shared_data::file("chicago_crimes_sample.csv.gz");
    let out = patroliq(&["backtest", p(&f), "--split", "2017-09-01", "--coverage", "0.05", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    assert_eq!(
        (v["train"]["incidents"].as_u64(), v["test"]["incidents"].as_u64()),
        (Some(409_439), Some(86_390))
    );
    assert_eq!(v["winner"], "risk");
    let pai = |k: &str| {
        v["methods"].as_array().unwrap().iter().find(|m| m["method"] == k).unwrap()["pai"].as_f64().unwrap()
    };
    for (k, want) in [("risk", 5.14), ("naive", 5.09), ("kde", 4.06), ("gi_star", 4.10), ("kmeans", 2.98)] {
        assert!((pai(k) - want).abs() < 0.01, "{k}: PAI {}", pai(k));
    }
}

#[test]
fn areas_json_has_the_documented_fields_and_refuses_a_file_that_is_not_boundaries() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("demo.csv.gz");
    assert!(patroliq(&["demo", p(&csv), "--rows", "20000", "--seed", "5"]).status.success());
    let districts = patroliq_core::shared_data::file("chicago_police_districts.geojson");
    let out = patroliq(&["areas", p(&csv), "--boundaries", p(&districts), "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    assert_eq!(v["kind"], "district");
    let areas = v["areas"].as_array().unwrap();
    assert_eq!(areas.len(), 23);
    for a in areas {
        for f in [
            "id",
            "name",
            "km2",
            "incidents",
            "per_km2",
            "arrest_rate",
            "last_4_weeks",
            "previous_4_weeks",
            "change",
        ] {
            assert!(a.get(f).is_some(), "areas[].{f}");
        }
    }
    let n: Vec<u64> = areas.iter().map(|a| a["incidents"].as_u64().unwrap()).collect();
    assert!(n.windows(2).all(|w| w[0] >= w[1]), "most incidents first");
    for f in ["compared", "matched", "rate"] {
        assert!(v["agreement"].get(f).is_some(), "agreement.{f}");
    }
    assert!(v.get("outside").is_some() && v.get("as_of").is_some());

    let out = patroliq(&["areas", p(&csv), "--boundaries", p(&csv), "--json"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&out)["error"]["kind"], "boundaries");
}

#[test]
fn briefing_json_has_the_documented_fields_and_starts_at_the_nearest_station() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("demo.csv.gz");
    assert!(patroliq(&["demo", p(&csv), "--rows", "20000", "--seed", "5"]).status.success());
    let stations = patroliq_core::shared_data::file("chicago_police_stations.csv");
    let areas = patroliq_core::shared_data::file("chicago_community_areas.geojson");
    let out = patroliq(&[
        "briefing",
        p(&csv),
        "--day",
        "saturday",
        "--start",
        "22",
        "--hours",
        "6",
        "--stations",
        p(&stations),
        "--boundaries",
        p(&areas),
        "--json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    assert_eq!(v["label"], "Sat 22:00–04:00");
    for f in [
        "shift",
        "shifts_seen",
        "shift_incidents",
        "hours",
        "expected_total",
        "peak_hours",
        "hotspots",
        "route",
        "route_error",
        "community_areas",
        "districts",
        "four_weeks",
        "seconds",
    ] {
        assert!(v.get(f).is_some(), "{f}");
    }
    let hours = v["hours"].as_array().unwrap();
    assert_eq!(hours.len(), 6);
    assert_eq!(hours[2]["weekday"], 6, "midnight is Sunday");
    let seen = v["shifts_seen"].as_f64().unwrap();
    for h in hours {
        let e = h["incidents"].as_f64().unwrap() / seen;
        assert!((h["expected"].as_f64().unwrap() - e).abs() < 1e-9);
    }
    let total: u64 = hours.iter().map(|h| h["incidents"].as_u64().unwrap()).sum();
    assert_eq!(total, v["shift_incidents"].as_u64().unwrap());
    assert_eq!(v["hotspots"].as_array().unwrap().len(), 10);
    // The hotspots' track record over the last 8 Saturday nights of the demo.
    let tr = &v["track_record"];
    for f in [
        "method",
        "label",
        "shifts",
        "first",
        "last",
        "area",
        "cells",
        "hit_rate",
        "naive_hit_rate",
        "pai",
        "naive_pai",
        "candidates",
        "sentence",
    ] {
        assert!(tr.get(f).is_some(), "track_record.{f}");
    }
    assert_eq!(tr["shifts"], 8);
    let sentence = tr["sentence"].as_str().unwrap();
    assert!(sentence.starts_with("Over the last 8 Saturday nights these cells held "), "{sentence}");
    let best = tr["candidates"][0]["pai"].as_f64().unwrap();
    assert_eq!(tr["pai"].as_f64().unwrap(), best);
    let start = v["route"]["params"]["start_name"].as_str().unwrap();
    assert!(start.starts_with("District"), "{start}");
    let ca = v["community_areas"].as_array().unwrap();
    assert!(ca[0]["name"].is_string(), "named from the boundary file");
    for a in ca {
        for f in ["id", "name", "shift_incidents", "per_shift", "last_4_weeks", "previous_4_weeks", "change"]
        {
            assert!(a.get(f).is_some(), "community_areas[].{f}");
        }
    }
    for f in ["as_of", "last", "previous", "change", "arrests_last", "arrests_previous", "movers"] {
        assert!(v["four_weeks"].get(f).is_some(), "four_weeks.{f}");
    }

    assert!(v["emptied_by"].is_null());
    // A Monday filter with Saturday night's briefing: the filter is named, not zeros.
    let out = patroliq(&["briefing", p(&csv), "--day", "saturday", "--filter", "day=mon", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["error"]["kind"], "briefing");
    assert_eq!(
        json(&out)["error"]["message"],
        "The filter “Mon” leaves no incidents in the shift Sat 20:00–04:00."
    );
    let out = patroliq(&["briefing", p(&csv), "--day", "someday", "--json"]);
    assert_eq!(out.status.code(), Some(64));
    let out = patroliq(&["briefing", p(&csv), "--hours", "30", "--json"]);
    assert_eq!(out.status.code(), Some(64));
}

#[test]
fn places_are_named_without_a_boundary_file() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("demo.csv.gz");
    assert!(patroliq(&["demo", p(&csv), "--rows", "20000", "--seed", "7"]).status.success());
    let out = patroliq(&["briefing", p(&csv), "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    for list in ["community_areas", "districts"] {
        for a in v[list].as_array().unwrap() {
            let name = a["name"].as_str().unwrap_or_else(|| panic!("{list}[].name: {a}"));
            assert!(!name.is_empty() && !name.starts_with("Area "), "{name}");
        }
    }
    assert!(v["districts"][0]["name"].as_str().unwrap().starts_with("District "));
    let named = |h: &serde_json::Value| {
        let p = &h["place"];
        assert!(p["community_area"].is_string() && p["district"].is_string(), "{h}");
        let blocks = p["blocks"].as_array().unwrap();
        assert!(!blocks.is_empty() && blocks[0].as_str().unwrap().contains(" block of "), "{h}");
    };
    v["hotspots"].as_array().unwrap().iter().for_each(named);
    for car in v["route"]["cars"].as_array().unwrap() {
        car["visits"].as_array().unwrap().iter().for_each(named);
    }
    assert!(v["route"]["params"]["dwell_min"].as_f64().unwrap() >= 10.0, "a dwell at each stop by default");

    let out = patroliq(&["risk", p(&csv), "--top", "5", "--json"]);
    assert!(out.status.success());
    json(&out)["hotspots"].as_array().unwrap().iter().for_each(named);
    let gpx = dir.path().join("r.gpx");
    let out = patroliq(&["route", p(&csv), "--stops", "4", "--gpx", p(&gpx), "--json"]);
    assert!(out.status.success());
    json(&out)["stops"].as_array().unwrap().iter().for_each(named);
    let g = std::fs::read_to_string(&gpx).unwrap();
    assert!(g.contains(" block of ") && !g.contains("Car 1 stop 1</name>"), "{g}");
}

#[test]
fn bench_json_times_every_stage_with_the_documented_fields() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("demo.csv.gz");
    assert!(patroliq(&["demo", p(&csv), "--rows", "4000", "--seed", "5"]).status.success());
    let out = patroliq(&[
        "bench",
        p(&csv),
        "--runs",
        "1",
        "--umap-sample",
        "300",
        "--tsne-sample",
        "200",
        "--route-stops",
        "8",
        "--json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    for field in ["file", "rows_read", "rows", "table_bytes", "target", "runs", "stages"] {
        assert!(!v[field].is_null(), "missing {field}");
    }
    let stages = v["stages"].as_array().unwrap();
    let names: Vec<&str> = stages.iter().map(|s| s["stage"].as_str().unwrap()).collect();
    let mut expected = vec!["load"];
    expected.extend(patroliq_core::bench::STAGES);
    assert_eq!(names, expected);
    for s in stages {
        for field in ["what", "rows", "runs_ms", "median_ms", "peak_bytes", "outcome"] {
            assert!(!s[field].is_null(), "{}: missing {field}", s["stage"]);
        }
        // The CLI counts its heap: every stage holds at least the table.
        assert!(s["peak_bytes"].as_u64().unwrap() > 0, "{}", s["stage"]);
        assert!(!s["outcome"].as_str().unwrap().starts_with("error"), "{}", s["outcome"]);
    }
    // A stage that cannot run fails the command, with its reason.
    let bad = patroliq(&["bench", p(&csv), "--only", "kmean", "--json"]);
    assert_eq!(bad.status.code(), Some(64));
    assert!(json(&bad)["error"]["message"].as_str().unwrap().contains("\"kmean\""));
}

/// `patroliq eda FILE | head -1`: the reader goes away before the report is written. The command
/// ends as Unix tools do (by SIGPIPE), not with a panic's message and exit code 101.
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("demo.csv.gz");
    assert!(patroliq(&["demo", p(&csv), "--rows", "3000", "--seed", "5"]).status.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_patroliq"))
        .args(["eda", p(&csv)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("patroliq runs");
    // Closed before the command has read its file, let alone written its report.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.signal(), Some(libc::SIGPIPE), "{:?} {stderr}", out.status);
}

#[test]
fn parameters_the_app_refuses_are_refused_with_the_same_words() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("demo.csv");
    assert!(patroliq(&["demo", p(&csv), "--rows", "2000"]).status.success());
    for (args, words) in [
        (
            &["cluster", p(&csv), "--silhouette-sample", "0"][..],
            "the silhouette sample must be 100–50,000 points",
        ),
        (&["risk", p(&csv), "--top", "0"][..], "the number of hotspots must be 1–200"),
        (&["route", p(&csv), "--within-min", "0"][..], "the reach must be above 0 and at most 60 minutes"),
    ] {
        let out = patroliq(&[args, &["--json"][..]].concat());
        assert_eq!(out.status.code(), Some(64), "{args:?}");
        let e = json(&out);
        assert_eq!(e["error"]["kind"], "usage", "{args:?}");
        assert!(e["error"]["message"].as_str().unwrap().contains(words), "{args:?}: {e}");
    }
}

#[test]
fn projected_x_y_are_read_with_the_crs_found_or_the_one_the_mapping_names() {
    let dir = tempfile::tempdir().unwrap();
    // NYPD's State Plane feet with thousands separators, and no degrees at all.
    let f = dir.path().join("xy.csv");
    std::fs::write(
        &f,
        "CMPLNT_NUM,CMPLNT_FR_DT,CMPLNT_FR_TM,OFNS_DESC,X_COORD_CD,Y_COORD_CD\n\
         1,01/01/2010,10:00:00,ROBBERY,\"1,007,314\",\"241,257\"\n\
         2,01/01/2010,11:30:00,FELONY ASSAULT,\"1,043,991\",\"193,406\"\n\
         3,01/01/2010,12:00:00,ROBBERY,,\n",
    )
    .unwrap();
    let out = patroliq(&["validate", p(&f), "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    assert_eq!(v["layout"], "nypd_complaint");
    assert_eq!(v["projection"]["epsg"], 2263);
    assert_eq!(v["projection"]["city"], "New York");
    assert_eq!(v["projection"]["rows"], 2);
    assert_eq!(v["columns"]["x"], "X_COORD_CD");
    assert_eq!(v["rows_clean"], 2);
    assert_eq!(v["dropped"]["missing_coordinates"], 1);

    // X/Y in a zone of no listed city: the message asks for the code, the mapping gives it.
    let g = dir.path().join("elsewhere.csv");
    std::fs::write(
        &g,
        "when,offense,x,y\n2019-03-01 10:00,THEFT,2000000,300000\n2019-03-01 11:00,ROBBERY,2001000,301000\n",
    )
    .unwrap();
    let out = patroliq(&["validate", p(&g), "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let msg = json(&out)["error"]["message"].as_str().unwrap().to_owned();
    assert!(msg.contains("X/Y") && msg.contains("crs"), "{msg}");
    let mapping = dir.path().join("mapping.json");
    std::fs::write(&mapping, r#"{"columns": {}, "crs": 2272}"#).unwrap();
    let out = patroliq(&["validate", p(&g), "--columns", p(&mapping), "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    assert_eq!(v["projection"]["epsg"], 2272);
    assert!(v["projection"].get("city").is_none(), "{}", v["projection"]);
    assert_eq!(v["rows_clean"], 2);
}

#[test]
fn validate_reports_the_layout_and_columns_and_a_mapping_opens_what_detection_cannot() {
    let dir = tempfile::tempdir().unwrap();
    // Columns no name list knows, and a type column whose name says nothing.
    let f = dir.path().join("odd.csv");
    std::fs::write(
        &f,
        "ref,when,what,y_deg,x_deg\n\
         1,2019-03-01 10:00,THEFT,34.05,-118.24\n\
         2,2019-03-01 22:30,ROBBERY,34.06,-118.25\n\
         3,2019-03-02 01:00,THEFT,0,0\n",
    )
    .unwrap();
    let out = patroliq(&["validate", p(&f), "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = json(&out);
    assert_eq!(err["error"]["kind"], "wrong_schema");
    let msg = err["error"]["message"].as_str().unwrap();
    assert!(msg.contains("a crime-type column") && msg.contains("--columns"), "{msg}");

    let mapping = dir.path().join("mapping.json");
    std::fs::write(&mapping, r#"{"columns": {"type": "what", "latitude": "y_deg", "longitude": "x_deg"}}"#)
        .unwrap();
    let out = patroliq(&["validate", p(&f), "--columns", p(&mapping), "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    assert_eq!(v["layout"], "generic");
    assert_eq!(v["columns"]["date"], "when");
    assert_eq!(v["columns"]["type"], "what");
    assert_eq!(v["date_formats"]["YYYY-MM-DD"], 3);
    assert_eq!(v["rows_clean"], 2);
    assert_eq!(v["dropped"]["zero_coordinates"], 1);
    assert_eq!(v["chicago"], false);
    assert_eq!(v["fbi_codes_derived"], true);

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{not json").unwrap();
    let out = patroliq(&["validate", p(&f), "--columns", p(&bad), "--json"]);
    assert_eq!(out.status.code(), Some(64));
}

#[test]
fn another_citys_briefing_starts_its_route_in_that_city_not_at_chicagos_headquarters() {
    let f = patroliq_core::shared_data::file("exports/la_crime_2020_present_westla_excel_derived.csv");
    let out = patroliq(&["briefing", p(&f), "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    let start = &v["route"]["params"]["start"];
    let lat = start[0].as_f64().unwrap();
    assert!((33.5..34.5).contains(&lat), "the route starts in Los Angeles: {start}");
    assert!(v["route"]["params"]["start_name"].as_str().unwrap().starts_with("Hotspot 1"));
    // No Chicago names on Los Angeles.
    assert!(v["community_areas"].as_array().unwrap().is_empty());
    assert!(v["districts"][0]["name"].is_null());
}

/// The layers of the terrain fixture (scripts/test.sh makes the same design and fits it with
/// statsmodels: scripts/terrain_reference.py).
const TERRAIN_LAYERS: [&str; 3] = [
    "chicago_env_liquorRetail.geojson",
    "chicago_env_cta_L_stops.csv",
    "chicago_env_cpd_parks_wkt_polygons.csv",
];

#[test]
fn risk_with_layers_adds_factors_and_reasons_equal_to_statsmodels() {
    let f = patroliq_core::shared_data::file("chicago_crimes_sample.csv.gz");
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("design.csv");
    let layers: Vec<String> = TERRAIN_LAYERS
        .iter()
        .map(|l| p(&patroliq_core::shared_data::file(&format!("environment/{l}"))).to_string())
        .collect();
    let mut args = vec!["risk", p(&f), "--filter", "type=BURGLARY", "--json", "--top", "5"];
    for l in &layers {
        args.extend(["--layer", l.as_str()]);
    }
    args.extend(["--design", p(&design)]);
    let out = patroliq(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    // The contract: the old keys stay, `factors`, `layers` and per-cell `reasons` are added.
    for key in ["grid", "incidents", "environment", "cells", "hotspots", "factors", "layers", "terrain"] {
        assert!(!v[key].is_null(), "missing {key}");
    }
    let factors = v["factors"].as_array().unwrap();
    assert!(!factors.is_empty());
    for f in factors {
        for key in ["name", "form", "coefficient", "relative_risk", "interval"] {
            assert!(!f[key].is_null(), "{key} in {f}");
        }
        assert!(f.get("radius_m").is_some());
        let (rr, ci) = (f["relative_risk"].as_f64().unwrap(), f["interval"].as_array().unwrap());
        assert!(ci[0].as_f64().unwrap() < rr && rr < ci[1].as_f64().unwrap(), "{f}");
    }
    assert_eq!(v["layers"].as_array().unwrap().len(), 3);
    assert_eq!(v["layers"][1]["name"], "cta L stops");
    assert_eq!(v["terrain"]["cross_validation"]["folds"], "community areas");
    let names: Vec<&str> = factors.iter().map(|f| f["name"].as_str().unwrap()).collect();
    let reasons: Vec<String> = v["cells"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["reasons"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_string()))
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| names.iter().any(|n| *n != "past crime nearby" && r.contains(&format!("'{n}'")))),
        "no reason names a layer: {reasons:?}"
    );

    // statsmodels on the fixture's design: the same design byte for byte, the same fit to 1e-6.
    let fixtures = patroliq_core::shared_data::fixtures();
    let theirs_design = std::fs::read_to_string(fixtures.join("terrain_design.csv")).unwrap_or_else(|e| {
        panic!("{e}: run scripts/test.sh (its terrain fixture) or scripts/terrain_reference.py first")
    });
    assert_eq!(std::fs::read_to_string(&design).unwrap(), theirs_design, "the fixture's design is stale");
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures.join("terrain_reference.json")).unwrap())
            .unwrap();
    let theirs = r["factors"].as_array().unwrap();
    assert_eq!(theirs.len(), factors.len());
    let close =
        |a: f64, b: f64, what: &str| assert!((a - b).abs() <= 1e-6 * b.abs().max(1.0), "{what}: {a} vs {b}");
    for (ours, theirs) in factors.iter().zip(theirs) {
        let what = theirs["column"].as_str().unwrap();
        assert!(what.starts_with(ours["name"].as_str().unwrap()), "{what}");
        for key in ["coefficient", "relative_risk", "std_error"] {
            close(ours[key].as_f64().unwrap(), theirs[key].as_f64().unwrap(), &format!("{what} {key}"));
        }
        for k in 0..2 {
            close(
                ours["interval"][k].as_f64().unwrap(),
                theirs["interval"][k].as_f64().unwrap(),
                &format!("{what} interval"),
            );
        }
    }
}

#[test]
fn a_broken_layer_is_refused_with_its_kind() {
    let dir = tempfile::tempdir().unwrap();
    let crimes = dir.path().join("demo.csv.gz");
    assert!(patroliq(&["demo", p(&crimes), "--rows", "3000", "--seed", "3"]).status.success());
    let cases: [(&str, &[u8], &str); 3] = [
        ("empty.csv", b"", "empty"),
        ("names.csv", b"name,size\npark,3\n", "no_geometry"),
        ("bad.csv", b"the_geom\nPOINT (-87.6 41.8)\n\"MULTIPOLYGON (((-87.6 41.8, -87\"\n", "bad_wkt"),
    ];
    for (name, bytes, kind) in cases {
        let f = dir.path().join(name);
        std::fs::write(&f, bytes).unwrap();
        let out = patroliq(&["risk", p(&crimes), "--layer", p(&f), "--json"]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert_eq!(json(&out)["error"]["kind"], kind, "{name}");
    }
    // A layer named on the command line, on the demo's own city.
    let stops = dir.path().join("stops.csv");
    std::fs::write(&stops, "Location\n\"(41.8857, -87.6309)\"\n\"(41.8781, -87.6298)\"\n").unwrap();
    let out = patroliq(&["risk", p(&crimes), "--layer", &format!("{}=Loop stops", p(&stops)), "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json(&out)["layers"][0]["name"], "Loop stops");
    // The back-test gains the method.
    let out = patroliq(&["backtest", p(&crimes), "--layer", p(&stops), "--stops", "0", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let methods: Vec<String> = json(&out)["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["method"].as_str().unwrap().into())
        .collect();
    assert!(methods.contains(&"risk_terrain".to_string()), "{methods:?}");
    // So do the rolling back-test and the briefing's candidates for its hotspots.
    let out = patroliq(&["backtest", p(&crimes), "--rolling", "--layer", p(&stops), "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    let keys: Vec<&str> =
        v["methods"].as_array().unwrap().iter().map(|m| m["method"].as_str().unwrap()).collect();
    assert!(keys.contains(&"risk_terrain"), "{keys:?}");
    let out = patroliq(&["briefing", p(&crimes), "--layer", p(&stops), "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    let candidates: Vec<&str> = v["track_record"]["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["method"].as_str().unwrap())
        .collect();
    assert!(candidates.contains(&"risk_terrain"), "{candidates:?}");
    // Asked for without layers, the rolling test says what to do.
    let out = patroliq(&["backtest", p(&crimes), "--rolling", "--methods", "risk_terrain", "--json"]);
    assert_eq!(out.status.code(), Some(64), "a usage error");
    assert!(json(&out)["error"]["message"].as_str().unwrap().contains("needs environment layers"));
}
