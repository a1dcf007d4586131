//! The large maps' benchmark (bench/embed_large.sh): PatrolIQ's side, and the trustworthiness of
//! every side's map on the same query points.
//!
//! - `embed_large prepare FILE N DIR`: the app's seeded sample of N incidents (EmbedValid::prepare,
//!   seed 42), standardised, to DIR/matrix.f32 (row-major little-endian f32) and DIR/matrix.json;
//! - `embed_large ours DIR [umap|tsne]`: UMAP and t-SNE (or the one named) of that matrix as the app makes them (above 20,000
//!   points: NN-descent, and FFT-interpolated t-SNE), timed by stage, maps to DIR/ours-METHOD.f32;
//! - `embed_large trust DIR MAP.f32…`: the trustworthiness (k = 10) of each map, estimated on
//!   the same 2,000 query points the app uses.
//!
//! Prints JSON. `cargo run --release -p patroliq-core --example embed_large -- …`.
use std::path::Path;
use std::time::Instant;

use patroliq_core::cluster::Silent;
use patroliq_core::features::all_rows;
use patroliq_core::load::{load_bytes, LoadOptions};
use patroliq_core::reduce::embed::{EmbedParams, Method, TRUST_K};
use patroliq_core::reduce::knn::{trustworthiness, Matrix};
use rand::seq::index::sample;
use rand::SeedableRng;

mod common;
use common::read_f32;

fn write_f32(path: &Path, v: impl Iterator<Item = f32>) {
    let bytes: Vec<u8> = v.flat_map(f32::to_le_bytes).collect();
    std::fs::write(path, bytes).unwrap();
}

fn matrix(dir: &Path) -> Matrix {
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("matrix.json")).unwrap()).unwrap();
    Matrix { dim: meta["dim"].as_u64().unwrap() as usize, data: read_f32(&dir.join("matrix.f32")) }
}

/// The app's query points (reduce/embed.rs, fit_matrix), seed 42.
fn queries(n: usize, count: usize) -> Vec<usize> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(42 ^ 0x7275_7374);
    let mut q = sample(&mut rng, n, count.min(n)).into_vec();
    q.sort_unstable();
    q
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: embed_large prepare FILE N DIR | ours DIR [umap|tsne] | trust DIR MAP.f32…";
    match args.first().map(String::as_str) {
        Some("prepare") => {
            let (file, n, dir) = (&args[1], args[2].parse::<usize>().expect(usage), Path::new(&args[3]));
            std::fs::create_dir_all(dir).unwrap();
            let t = load_bytes(file, &std::fs::read(file).unwrap(), LoadOptions::default()).unwrap().table;
            let v = EmbedParams { sample: n, ..Default::default() }.check().unwrap();
            let p = v.prepare(&t, &all_rows(&t));
            write_f32(&dir.join("matrix.f32"), p.x.data.iter().copied());
            let meta =
                serde_json::json!({"rows": p.x.rows(), "dim": p.x.dim, "sampled": n, "dropped": p.dropped});
            std::fs::write(dir.join("matrix.json"), meta.to_string()).unwrap();
            println!("{meta}");
        }
        Some("ours") => {
            let dir = Path::new(&args[1]);
            let x = matrix(dir);
            // An optional third argument, `umap` or `tsne`, runs that method alone.
            let only = args.get(2).map(String::as_str);
            let mut out = Vec::new();
            for (method, name) in [(Method::Umap, "umap"), (Method::Tsne, "tsne")] {
                if only.is_some_and(|o| o != name) {
                    continue;
                }
                let v = EmbedParams { method, sample: x.rows(), ..Default::default() }.check().unwrap();
                // The stages' ends from the progress bar: k-NN 0.28, layout 0.92 of fit_matrix.
                let start = Instant::now();
                let (mut knn_s, mut layout_s) = (None, None);
                let mut progress = |d: f64| {
                    let s = start.elapsed().as_secs_f64();
                    if d >= 0.28 && knn_s.is_none() {
                        knn_s = Some(s);
                    }
                    if d >= 0.92 && layout_s.is_none() {
                        layout_s = Some(s);
                    }
                    true
                };
                let (y, trust, q) = v.fit_matrix(&x, &mut progress).unwrap();
                let total = start.elapsed().as_secs_f64();
                write_f32(&dir.join(format!("ours-{name}.f32")), y.iter().flat_map(|p| [p[0], p[1]]));
                let (knn_s, layout_s) = (knn_s.unwrap(), layout_s.unwrap());
                out.push(serde_json::json!({
                    "method": name, "rows": x.rows(), "knn_s": knn_s, "layout_s": layout_s - knn_s,
                    "trust_s": total - layout_s, "map_s": layout_s, "total_s": total,
                    "trustworthiness": trust, "queries": q,
                }));
                eprintln!("{}", out.last().unwrap());
            }
            println!("{}", serde_json::Value::Array(out));
        }
        Some("trust") => {
            let dir = Path::new(&args[1]);
            let x = matrix(dir);
            let qs = queries(x.rows(), EmbedParams::default().trust_queries);
            let mut out = serde_json::Map::new();
            for map in &args[2..] {
                let v = read_f32(&dir.join(map));
                let y: Vec<[f32; 2]> = v.chunks_exact(2).map(|p| [p[0], p[1]]).collect();
                let t = trustworthiness(&x, &y, TRUST_K, Some(&qs), &mut Silent).unwrap();
                out.insert(map.clone(), serde_json::json!(t));
            }
            println!("{}", serde_json::Value::Object(out));
        }
        _ => panic!("{usage}"),
    }
}
