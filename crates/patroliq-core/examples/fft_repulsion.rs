//! Times the FFT repulsion of t-SNE alone on a saved layout (`embed_large ours DIR tsne` writes
//! DIR/ours-tsne.f32): `fft_repulsion DIR [CALLS]` prints the seconds of CALLS calls and Z.
use patroliq_core::reduce::fft_repulsion::{exact_repulsion, exact_z, FftRepulsion};
use std::time::Instant;

mod common;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = std::path::Path::new(args.first().expect("usage: fft_repulsion DIR [CALLS]"));
    let exact = args.get(1).is_some_and(|a| a == "check");
    let calls: usize = if exact { 1 } else { args.get(1).map_or(200, |c| c.parse().expect("CALLS")) };
    let v = common::read_f32(&dir.join("ours-tsne.f32"));
    let y: Vec<[f64; 2]> = v.chunks_exact(2).map(|p| [f64::from(p[0]), f64::from(p[1])]).collect();
    let mut rep = vec![[0.0; 2]; y.len()];
    let mut f = FftRepulsion::default();
    let start = Instant::now();
    let mut z = 0.0;
    for _ in 0..calls {
        z = f.repulsion(&y, &mut rep);
    }
    println!(
        "{{\"points\": {}, \"calls\": {calls}, \"s\": {}, \"z\": {z}}}",
        y.len(),
        start.elapsed().as_secs_f64()
    );
    if exact {
        check(&y, &rep, z);
    }
}

/// `fft_repulsion DIR check`: the exact Z (every pair) and the exact forces of 300 points.
fn check(y: &[[f64; 2]], rep: &[[f64; 2]], z: f64) {
    let n = y.len();
    let exact_z = exact_z(y);
    let (mut err, mut size) = (0.0, 0.0);
    for i in (0..n).step_by(n / 300) {
        let f = exact_repulsion(y, i);
        err += (rep[i][0] - f[0]).hypot(rep[i][1] - f[1]);
        size += f[0].hypot(f[1]);
    }
    println!(
        "{{\"z\": {z}, \"exact_z\": {exact_z}, \"z_error\": {}, \"force_error\": {}}}",
        (z - exact_z) / exact_z,
        err / size
    );
}
