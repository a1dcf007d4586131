//! The approximate paths of the maps (NN-descent, FFT-interpolated t-SNE: what maps above
//! 20,000 points use) on real data: the first 10,000 records of the fixture slice
//! (`reference.csv`), standardised as the app does. NN-descent's graph against the exact k-NN, and
//! the maps' trustworthiness against umap-learn's and openTSNE's on the same rows
//! (`scripts/embed_reference.py`, which `scripts/test.sh` runs first).

use patroliq_core::cluster::Silent;
use patroliq_core::features::{all_rows, Features};
use patroliq_core::reduce::embed::{standardised, EmbedParams, Method};
use patroliq_core::reduce::knn::{knn, Matrix};
use patroliq_core::reduce::nndescent::{recall, NnDescentParams};
use patroliq_core::shared_data::fixtures;
use patroliq_core::{load_bytes, LoadOptions};
use serde_json::Value;

const FIRST: usize = 10_000;

fn matrix() -> Matrix {
    let csv = std::fs::read(fixtures().join("reference.csv")).unwrap_or_else(|e| {
        panic!("{}: {e}. Run scripts/test.sh (it makes the fixtures) first", fixtures().display())
    });
    let t = load_bytes("reference.csv", &csv, LoadOptions::default()).unwrap().table;
    let rows = all_rows(&t);
    standardised(&Features::prepare(&t, &rows), &rows[..FIRST]).0
}

#[test]
fn nndescent_finds_nine_tenths_of_the_exact_neighbours_of_real_rows() {
    let x = matrix();
    // UMAP's 14 other neighbours and t-SNE's 90.
    for k in [14, 90] {
        let exact = knn(&x, k, &mut Silent).unwrap();
        let approx = NnDescentParams::default().check().unwrap().fit(&x, k, &mut Silent).unwrap();
        let r = recall(&exact, &approx);
        let same = exact.index.iter().zip(&approx.index).filter(|(a, b)| a == b).count();
        eprintln!(
            "k = {k}: recall {r:.4} (neighbours within the exact k-th distance); same index at the same rank {:.4}",
            same as f64 / exact.index.len() as f64
        );
        assert!(r >= 0.9, "k = {k}: recall {r}");
    }
}

#[test]
fn approximate_maps_are_as_trustworthy_as_umap_learn_and_opentsne() {
    let path = fixtures().join("embed_reference.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}. Run scripts/embed_reference.py {} first (scripts/test.sh does)",
            path.display(),
            fixtures().display()
        )
    });
    let r: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(r["first"].as_u64(), Some(FIRST as u64));
    let x = matrix();
    assert_eq!(x.rows() as u64, r["rows"].as_u64().unwrap(), "the same rows as the reference");
    for (method, key) in [(Method::Umap, "umap_trustworthiness"), (Method::Tsne, "tsne_trustworthiness")] {
        // exact_up_to 0 forces NN-descent and, for t-SNE, the FFT repulsion at this size.
        let params =
            EmbedParams { method, sample: FIRST, trust_queries: FIRST, exact_up_to: 0, ..Default::default() };
        let (_, trust, queries) = params.check().unwrap().fit_matrix(&x, &mut Silent).unwrap();
        assert_eq!(queries, x.rows(), "exact trustworthiness");
        let (ours, theirs) = (trust.unwrap(), r[key].as_f64().unwrap());
        eprintln!("{method:?}: trustworthiness {ours:.4}, reference {theirs:.4}");
        assert!((ours - theirs).abs() <= 0.02, "{method:?}: ours {ours}, reference {theirs}");
    }
}
