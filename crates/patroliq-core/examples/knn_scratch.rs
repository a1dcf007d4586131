use patroliq_core::cluster::Progress;
use patroliq_core::reduce::knn::{Knn, Matrix};
use patroliq_core::reduce::nndescent::{recall, NnDescentParams};
use std::path::Path;
use std::time::Instant;
mod common;
use common::read_f32;
struct P(Instant, f64);
impl Progress for P {
    fn report(&mut self, f: f64) -> bool {
        if f >= 0.2 && self.1 < 0.2 {
            eprintln!("trees done {:.2}s", self.0.elapsed().as_secs_f64());
        }
        self.1 = f;
        true
    }
}
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let x = Matrix { dim: 20, data: read_f32(&Path::new(&args[0]).join("matrix.f32")) };
    let trees: usize = args[1].parse().unwrap();
    let rho: f64 = args[2].parse().unwrap();
    let p = NnDescentParams { trees: (trees > 0).then_some(trees), delta: 0.1, rho, ..Default::default() };
    let mut pr = P(Instant::now(), 0.0);
    let a = p.check().unwrap().fit(&x, 90, &mut pr).unwrap();
    let b = std::fs::read(Path::new(&args[0]).join("exact90.bin")).unwrap();
    let v: Vec<u32> = b.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    let n = v.len() / 2;
    let exact =
        Knn { k: 90, index: v[..n].to_vec(), dist: v[n..].iter().map(|&u| f32::from_bits(u)).collect() };
    eprintln!("all {:.2}s recall {:.5}", pr.0.elapsed().as_secs_f64(), recall(&exact, &a));
}
