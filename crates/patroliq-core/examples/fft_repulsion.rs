//! Times the FFT repulsion of t-SNE alone on a saved layout (`embed_large ours DIR tsne` writes
//! DIR/ours-tsne.f32): `fft_repulsion DIR [CALLS]` prints the seconds of CALLS calls and Z.
use patroliq_core::reduce::fft_repulsion::FftRepulsion;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = std::path::Path::new(args.first().expect("usage: fft_repulsion DIR [CALLS]"));
    let exact = args.get(1).is_some_and(|a| a == "check");
    let calls: usize = if exact { 1 } else { args.get(1).map_or(200, |c| c.parse().expect("CALLS")) };
    let bytes = std::fs::read(dir.join("ours-tsne.f32")).expect("DIR/ours-tsne.f32");
    let v: Vec<f32> = bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
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
    let mut exact_z = 0.0;
    for i in 0..n {
        let mut s = 0.0;
        for j in i + 1..n {
            let (dx, dy) = (y[i][0] - y[j][0], y[i][1] - y[j][1]);
            s += 1.0 / (1.0 + dx * dx + dy * dy);
        }
        exact_z += 2.0 * s;
    }
    let (mut err, mut size) = (0.0, 0.0);
    for i in (0..n).step_by(n / 300) {
        let mut f = [0.0; 2];
        for j in (0..n).filter(|&j| j != i) {
            let (dx, dy) = (y[i][0] - y[j][0], y[i][1] - y[j][1]);
            let q = 1.0 / (1.0 + dx * dx + dy * dy);
            f[0] += q * q * dx;
            f[1] += q * q * dy;
        }
        err += (rep[i][0] - f[0]).hypot(rep[i][1] - f[1]);
        size += f[0].hypot(f[1]);
    }
    println!(
        "{{\"z\": {z}, \"exact_z\": {exact_z}, \"z_error\": {}, \"force_error\": {}}}",
        (z - exact_z) / exact_z,
        err / size
    );
}
