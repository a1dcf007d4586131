//! Our clustering and metrics against scikit-learn on the same points: the first 20,000 records of
//! the real sample (`reference.csv`), projected to metres by PatrolIQ and read by
//! `scripts/sklearn_reference.py` from the `patroliq features` Parquet, so both sides see
//! bit-identical inputs. `scripts/test.sh` makes `sklearn_reference.json` first.

use std::collections::HashMap;

use patroliq_core::cluster::dbscan::DbscanParams;
use patroliq_core::cluster::hdbscan::HdbscanParams;
use patroliq_core::cluster::hierarchical::WardParams;
use patroliq_core::cluster::kmeans::KMeansParams;
use patroliq_core::cluster::metrics::{calinski_harabasz, davies_bouldin, silhouette};
use patroliq_core::cluster::{Points, Silent};
use patroliq_core::features::all_rows;
use patroliq_core::shared_data::fixtures;
use patroliq_core::{load_bytes, LoadOptions};
use serde_json::Value;

fn setup() -> (Points, Value) {
    let dir = fixtures();
    let path = dir.join("sklearn_reference.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}. Run scripts/sklearn_reference.py {} first (scripts/test.sh does)",
            path.display(),
            dir.display()
        )
    });
    let reference: Value = serde_json::from_str(&text).unwrap();
    let csv = std::fs::read(dir.join("reference.csv")).unwrap();
    let t = load_bytes("reference.csv", &csv, LoadOptions::default()).unwrap().table;
    let points = Points::of(&t, &all_rows(&t));
    assert_eq!(points.len() as u64, reference["n"].as_u64().unwrap());
    (points, reference)
}

fn labels(v: &Value) -> Vec<i32> {
    v.as_array().unwrap().iter().map(|x| x.as_i64().unwrap() as i32).collect()
}

fn close(ours: f64, theirs: f64, what: &str) {
    let rel = (ours - theirs).abs() / theirs.abs().max(1e-300);
    assert!(rel < 1e-6, "{what}: ours {ours}, scikit-learn {theirs} (relative difference {rel:e})");
}

/// Same partition, whatever the cluster numbers: a bijection between the labels.
fn same_partition(a: &[i32], b: &[i32]) -> bool {
    let (mut ab, mut ba) = (HashMap::new(), HashMap::new());
    a.iter().zip(b).all(|(x, y)| *ab.entry(x).or_insert(y) == y && *ba.entry(y).or_insert(x) == x)
}

#[test]
fn kmeans_from_the_same_centres_gives_sklearns_assignments() {
    let (points, r) = setup();
    for run in r["kmeans"].as_array().unwrap() {
        let init: Vec<Vec<f64>> = run["init_idx"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| points.xy[i.as_u64().unwrap() as usize].to_vec())
            .collect();
        let tol = run["tol"].as_f64().unwrap();
        let m = KMeansParams { k: init.len(), tol, init: Some(init), ..Default::default() }
            .check()
            .unwrap()
            .fit(&points, &mut Silent)
            .unwrap();
        assert_eq!(m.labels, labels(&run["labels"]), "tol {tol}: assignments");
        assert_eq!(m.n_iter as u64, run["n_iter"].as_u64().unwrap(), "tol {tol}: iterations");
        close(m.inertia, run["inertia"].as_f64().unwrap(), "inertia");
        for (c, want) in m.centres.iter().zip(run["centres"].as_array().unwrap()) {
            close(c[0], want[0].as_f64().unwrap(), "centre x");
            close(c[1], want[1].as_f64().unwrap(), "centre y");
        }
    }
}

#[test]
fn metrics_equal_sklearns_for_the_same_labels() {
    let (points, r) = setup();
    let l = labels(&r["kmeans"][0]["labels"]);
    let m = &r["metrics"];
    let first = m["silhouette_first"].as_u64().unwrap() as usize;
    close(
        silhouette(&points.xy[..first], &l[..first]).unwrap(),
        m["silhouette"].as_f64().unwrap(),
        "silhouette",
    );
    close(davies_bouldin(&points.xy, &l).unwrap(), m["davies_bouldin"].as_f64().unwrap(), "Davies–Bouldin");
    close(
        calinski_harabasz(&points.xy, &l).unwrap(),
        m["calinski_harabasz"].as_f64().unwrap(),
        "Calinski–Harabasz",
    );
}

#[test]
fn dbscan_gives_sklearns_labels() {
    let (points, r) = setup();
    let d = &r["dbscan"];
    let params = DbscanParams {
        eps_m: d["eps"].as_f64().unwrap(),
        min_samples: d["min_samples"].as_u64().unwrap() as usize,
    };
    let m = params.check().unwrap().fit(&points, &mut Silent).unwrap();
    let want = labels(&d["labels"]);
    assert!(m.n_clusters > 5, "{} clusters", m.n_clusters);
    assert_eq!(m.labels, want);
    close(
        davies_bouldin(&points.xy, &m.labels).unwrap(),
        d["davies_bouldin"].as_f64().unwrap(),
        "DBSCAN Davies–Bouldin",
    );
    close(
        calinski_harabasz(&points.xy, &m.labels).unwrap(),
        d["calinski_harabasz"].as_f64().unwrap(),
        "DBSCAN Calinski–Harabasz",
    );
}

#[test]
fn exact_ward_gives_sklearns_partition() {
    let (points, r) = setup();
    let w = &r["ward"];
    let first = w["first"].as_u64().unwrap() as usize;
    let k = w["k"].as_u64().unwrap() as usize;
    let head = Points { xy: points.xy[..first].to_vec() };
    let m = WardParams { cell_m: 0.0, k }.check().unwrap().fit(&head, &mut Silent).unwrap();
    assert!(same_partition(&m.labels, &labels(&w["labels"])), "Ward partitions differ");
}

#[test]
fn hdbscan_gives_sklearns_partition() {
    let (points, r) = setup();
    let h = &r["hdbscan"];
    let params = HdbscanParams {
        min_cluster_size: h["min_cluster_size"].as_u64().unwrap() as usize,
        min_samples: h["min_samples"].as_u64().unwrap() as usize,
    };
    let m = params.check().unwrap().fit(&points, &mut Silent).unwrap();
    let want = labels(&h["labels"]);
    let clusters = |l: &[i32]| l.iter().filter(|&&x| x >= 0).collect::<std::collections::HashSet<_>>().len();
    assert_eq!(m.n_clusters, clusters(&want), "number of clusters");
    let noise = |l: &[i32]| l.iter().filter(|&&x| x < 0).count();
    assert_eq!(noise(&m.labels), noise(&want), "noise points");
    assert!(same_partition(&m.labels, &want), "HDBSCAN partitions differ");
}

#[test]
fn pca_explained_variance_and_loadings_equal_sklearns() {
    let (_, r) = setup();
    let csv = std::fs::read(fixtures().join("reference.csv")).unwrap();
    let t = load_bytes("reference.csv", &csv, LoadOptions::default()).unwrap().table;
    let p = patroliq_core::reduce::pca::Pca::fit(&t, &all_rows(&t)).unwrap();
    let want = &r["pca"];
    assert_eq!(p.rows, want["rows"].as_u64().unwrap());
    let names: Vec<String> =
        want["features"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().into()).collect();
    assert_eq!(p.features, names);
    let ratios = want["explained_variance_ratio"].as_array().unwrap();
    // The slice covers a few weeks, so the month features are constant and both sides leave them
    // out. A component with no variance left (ratios of 1e-17 on both sides) would have an
    // arbitrary direction: such ratios are compared absolutely and their loadings skipped.
    let mut live = 0;
    for (i, (ours, theirs)) in p.explained_variance_ratio.iter().zip(ratios).enumerate() {
        let theirs = theirs.as_f64().unwrap();
        if theirs > 1e-9 {
            close(*ours, theirs, &format!("explained variance ratio {i}"));
            live += 1;
        } else {
            assert!(ours.abs() < 1e-12, "ratio {i}: {ours}");
        }
    }
    assert!(live >= 15, "{live} components with variance");
    for (i, (ours, theirs)) in
        p.components.iter().zip(want["components"].as_array().unwrap()).enumerate().take(live)
    {
        let theirs: Vec<f64> = theirs.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
        // Up to sign.
        let sign = if ours.iter().zip(&theirs).map(|(a, b)| a * b).sum::<f64>() < 0.0 { -1.0 } else { 1.0 };
        for (j, (a, b)) in ours.iter().zip(&theirs).enumerate() {
            assert!((a - sign * b).abs() < 1e-6, "component {i}, feature {j}: {a} vs {}", sign * b);
        }
    }
}

#[test]
fn temporal_k_means_gives_every_incident_sklearns_label() {
    use patroliq_core::temporal::{cell_of, Cube, Encoding};
    let (_, r) = setup();
    let csv = std::fs::read(fixtures().join("reference.csv")).unwrap();
    let t = load_bytes("reference.csv", &csv, LoadOptions::default()).unwrap().table;
    let rows = all_rows(&t);
    let cube = Cube::of(&t, &rows);
    let cell_index =
        |row: u32| cube.cells.binary_search(&cell_of(t.date.get(row as usize)).unwrap()).unwrap();
    for run in r["temporal"].as_array().unwrap() {
        let encoding = match run["encoding"].as_str().unwrap() {
            "cyclical" => Encoding::Cyclical,
            _ => Encoding::Standardised,
        };
        let xy = cube.encode(encoding);
        let dims = if encoding == Encoding::Cyclical { 6 } else { 3 };
        let init: Vec<Vec<f64>> = run["init_idx"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| xy[cell_index(rows[i.as_u64().unwrap() as usize])][..dims].to_vec())
            .collect();
        let params = KMeansParams { k: init.len(), tol: 1e-4, init: Some(init), ..Default::default() }
            .check()
            .unwrap();
        let (cell_labels, inertia, n_iter) = if dims == 6 {
            let m = params.fit_weighted(&xy, Some(&cube.weight), &mut Silent).unwrap();
            (m.labels, m.inertia, m.n_iter)
        } else {
            let xy3: Vec<[f64; 3]> = xy.iter().map(|p| [p[0], p[1], p[2]]).collect();
            let m = params.fit_weighted(&xy3, Some(&cube.weight), &mut Silent).unwrap();
            (m.labels, m.inertia, m.n_iter)
        };
        let ours: Vec<i32> = rows.iter().map(|&row| cell_labels[cell_index(row)]).collect();
        assert_eq!(ours, labels(&run["labels"]), "{encoding:?}: every incident's pattern");
        assert_eq!(n_iter as u64, run["n_iter"].as_u64().unwrap(), "{encoding:?}: iterations");
        close(inertia, run["inertia"].as_f64().unwrap(), "temporal inertia");
    }
}

#[test]
fn tsne_and_umap_are_as_trustworthy_as_sklearn_and_umap_learn() {
    use patroliq_core::features::Features;
    use patroliq_core::reduce::embed::{standardised, EmbedParams, Method};
    let (_, r) = setup();
    let e = &r["embed"];
    let csv = std::fs::read(fixtures().join("reference.csv")).unwrap();
    let t = load_bytes("reference.csv", &csv, LoadOptions::default()).unwrap().table;
    let rows = all_rows(&t);
    let first = e["first"].as_u64().unwrap() as usize;
    let (x, kept) = standardised(&Features::prepare(&t, &rows), &rows[..first]);
    assert_eq!(kept.len() as u64, e["rows"].as_u64().unwrap());
    for (method, key) in [(Method::Tsne, "tsne_trustworthiness"), (Method::Umap, "umap_trustworthiness")] {
        let params = EmbedParams { method, sample: first, trust_queries: first, ..Default::default() };
        let (_, trust, queries) = params.check().unwrap().fit_matrix(&x, &mut Silent).unwrap();
        assert_eq!(queries, kept.len(), "exact trustworthiness");
        let (ours, theirs) = (trust.unwrap(), e[key].as_f64().unwrap());
        eprintln!("{method:?}: trustworthiness {ours:.4}, reference {theirs:.4}");
        assert!((ours - theirs).abs() <= 0.02, "{method:?}: ours {ours}, reference {theirs}");
    }
}

#[test]
fn poisson_regression_equals_sklearns() {
    let (_, r) = setup();
    let p = &r["poisson"];
    let x: Vec<Vec<f64>> = p["x"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect())
        .collect();
    let y: Vec<f64> = p["y"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    let fit = patroliq_core::risk::poisson::fit(&x, &y).unwrap();
    let want: Vec<f64> = p["coef"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    // scikit-learn stops its L-BFGS at a gradient tolerance; IRLS converges to machine precision.
    let near =
        |a: f64, b: f64, what: &str| assert!((a - b).abs() < 1e-5, "{what}: ours {a}, scikit-learn {b}");
    near(fit.intercept, p["intercept"].as_f64().unwrap(), "intercept");
    for (k, (a, b)) in fit.coef.iter().zip(&want).enumerate() {
        near(*a, *b, &format!("coefficient {k}"));
    }
}
