//! Times the stages of the maps (k-NN, layout, trustworthiness) on a crime file, to see where a
//! map's time goes (UMAP on N incidents, t-SNE on N/4): `cargo run --release -p patroliq-core --example embed_stages -- FILE [N]`.
use std::time::Instant;

use patroliq_core::cluster::Silent;
use patroliq_core::features::{all_rows, Features};
use patroliq_core::load::{load_bytes, LoadOptions};
use patroliq_core::reduce::embed::{pca_2d, standardised, EmbedParams, Method};
use patroliq_core::reduce::knn::{knn, trustworthiness};
use patroliq_core::reduce::tsne::tsne;
use patroliq_core::reduce::umap::umap;
use rand::seq::index::sample;
use rand::SeedableRng;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).expect("usage: embed_stages FILE [N]");
    let n: usize = args.get(2).map_or(20_000, |s| s.parse().unwrap());
    let bytes = std::fs::read(path).unwrap();
    let t = load_bytes(path, &bytes, LoadOptions::default()).unwrap().table;
    let rows = all_rows(&t);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(42);
    let mut picked: Vec<u32> = sample(&mut rng, rows.len(), n).iter().map(|i| rows[i]).collect();
    picked.sort_unstable();
    let f = Features::prepare(&t, &rows);
    let p = EmbedParams::default();
    // t-SNE on a quarter of the sample, as the pipeline benchmark (5,000 of 20,000).
    for (method, m) in [(Method::Umap, n), (Method::Tsne, n / 4)] {
        let (x, _) = standardised(&f, &picked[..m]);
        let k = match method {
            Method::Umap => p.umap.neighbours(),
            Method::Tsne => p.tsne.neighbours(x.rows()),
        };
        let s = Instant::now();
        let nn = knn(&x, k, &mut Silent).unwrap();
        let t_knn = s.elapsed();
        let start = pca_2d(&x);
        let s = Instant::now();
        let y = match method {
            Method::Umap => umap(&nn, start.iter().map(|q| [q[0], q[1]]).collect(), &p.umap, 42, &mut Silent),
            Method::Tsne => {
                tsne(&nn, start.iter().map(|q| [q[0] * 1e-4, q[1] * 1e-4]).collect(), &p.tsne, &mut Silent)
            }
        }
        .unwrap();
        let t_layout = s.elapsed();
        let y: Vec<[f32; 2]> = y.iter().map(|q| [q[0] as f32, q[1] as f32]).collect();
        let qs: Vec<usize> = (0..x.rows()).step_by((x.rows() / 2000).max(1)).collect();
        let s = Instant::now();
        let tw = trustworthiness(&x, &y, 10, Some(&qs), &mut Silent).unwrap();
        let t_trust = s.elapsed();
        println!(
            "{:?} n={} k={k}: knn {:.2?}, layout {:.2?}, trust {:.2?} ({tw:.4})",
            method,
            x.rows(),
            t_knn,
            t_layout,
            t_trust
        );
    }
}
