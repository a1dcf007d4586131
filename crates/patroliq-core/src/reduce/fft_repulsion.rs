//! The repulsion of t-SNE by interpolation on a grid and FFT (Linderman et al. 2019, FIt-SNE;
//! openTSNE's `negative_gradient_method="fft"`), for large maps where Barnes–Hut's tree walks
//! dominate.
//!
//! The layout's square is cut into intervals of width ≈ 1 (at least 50 a side), each with 3
//! equispaced nodes; every point spreads its charges (1, x, y, x² + y²) onto the 3 × 3 nodes of its
//! cell by Lagrange weights, the squared Cauchy kernel 1/(1 + d²)² between all nodes is applied
//! as one convolution (the nodes are equispaced, so the kernel matrix is Toeplitz: an FFT of
//! twice the grid), and the potentials are interpolated back with the same weights. From the
//! four potentials come both sums t-SNE needs, exactly in exact arithmetic:
//! Σⱼ q²ᵢⱼ (yᵢ − yⱼ) = yᵢ φ₁ − (φ₂, φ₃) and Σⱼ qᵢⱼ = (1 + |yᵢ|²) φ₁ − 2 yᵢ·(φ₂, φ₃) + φ₄.
//! O(n + G² log G) per iteration for a G × G grid, instead of O(n log n) tree walks.

use std::sync::Arc;

use rustfft::num_complex::Complex;
use rustfft::{Fft, FftPlanner};

/// Interpolation nodes per interval and axis (FIt-SNE's and openTSNE's default).
const NODES: usize = 3;
/// Intervals a side at least, and their width at most (openTSNE's `min_num_intervals` and
/// `ints_in_interval`).
const MIN_INTERVALS: usize = 50;
const INTERVAL_WIDTH: f64 = 1.0;

/// The FFT plans and buffers, kept between iterations (the grid only grows as the layout
/// spreads, so a plan is reused for many).
#[derive(Default)]
pub struct FftRepulsion {
    side: usize,
    forward: Option<Arc<dyn Fft<f64>>>,
    inverse: Option<Arc<dyn Fft<f64>>>,
    planner: Option<FftPlanner<f64>>,
    kernel: Vec<Complex<f64>>,
    /// Charges (1 + i·x) and (y + i·(x² + y²)), then their potentials.
    a: Vec<Complex<f64>>,
    b: Vec<Complex<f64>>,
    scratch: Vec<Complex<f64>>,
    flipped: Vec<Complex<f64>>,
    /// Per point: its cell's first node on each axis and its 3 + 3 weights.
    cell: Vec<[u32; 2]>,
    weights: Vec<[f64; 2 * NODES]>,
}

/// The smallest n' ≥ n whose only prime factors are 2, 3 and 5: FFT sizes rustfft does fastest.
fn smooth(n: usize) -> usize {
    (n.max(1)..)
        .find(|&m| {
            let mut r = m;
            for p in [2, 3, 5] {
                while r.is_multiple_of(p) {
                    r /= p;
                }
            }
            r == 1
        })
        .expect("a 5-smooth number exists above any n")
}

/// Lagrange weights of the nodes (j + ½)/NODES, j < NODES, at t ∈ [0, 1].
fn lagrange(t: f64) -> [f64; NODES] {
    let node = |j: usize| (j as f64 + 0.5) / NODES as f64;
    let mut w = [1.0; NODES];
    for (j, wj) in w.iter_mut().enumerate() {
        for m in (0..NODES).filter(|&m| m != j) {
            *wj *= (t - node(m)) / (node(j) - node(m));
        }
    }
    w
}

impl FftRepulsion {
    /// Plans (once per size) the FFTs of an m × m grid.
    fn plan(&mut self, m: usize) {
        if self.side == m {
            return;
        }
        let planner = self.planner.get_or_insert_with(FftPlanner::new);
        let (f, i) = (planner.plan_fft_forward(m), planner.plan_fft_inverse(m));
        let len = f.get_inplace_scratch_len().max(i.get_inplace_scratch_len());
        self.scratch = vec![Complex::default(); len];
        (self.forward, self.inverse, self.side) = (Some(f), Some(i), m);
        for v in [&mut self.kernel, &mut self.a, &mut self.b, &mut self.flipped] {
            v.clear();
            v.resize(m * m, Complex::default());
        }
    }

    /// The 2-D transform of `data` (m × m, row-major) in place, leaving it transposed: a pass
    /// over the rows, a transpose, a pass over the rows again. The inverse of a transposed
    /// spectrum, by the same steps, is the grid in its own order.
    fn transform(&mut self, which: Which, inverse: bool) {
        let m = self.side;
        let fft = if inverse { self.inverse.clone() } else { self.forward.clone() }.expect("planned");
        let data = match which {
            Which::Kernel => &mut self.kernel,
            Which::A => &mut self.a,
            Which::B => &mut self.b,
        };
        fft.process_with_scratch(data, &mut self.scratch);
        transpose::transpose(data, &mut self.flipped, m, m);
        std::mem::swap(data, &mut self.flipped);
        fft.process_with_scratch(data, &mut self.scratch);
    }

    /// `rep[i]` = Σⱼ q²ᵢⱼ (yᵢ − yⱼ), qᵢⱼ = 1/(1 + |yᵢ − yⱼ|²); returns Z = Σ_{i≠j} qᵢⱼ.
    pub fn repulsion(&mut self, y: &[[f64; 2]], rep: &mut [[f64; 2]]) -> f64 {
        let n = y.len();
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for p in y {
            lo = lo.min(p[0]).min(p[1]);
            hi = hi.max(p[0]).max(p[1]);
        }
        let width = (hi - lo).max(1e-9) * (1.0 + 1e-9);
        let boxes = smooth(((width / INTERVAL_WIDTH).ceil() as usize).max(MIN_INTERVALS));
        let h = width / boxes as f64;
        let g = boxes * NODES;
        // Twice the grid: the linear convolution of g nodes without wrap-around.
        self.plan(2 * g);
        let m = self.side;
        // The kernel between nodes o = (ox, oy) apart, o in (−g, g) on each axis, wrapped.
        let spacing = h / NODES as f64;
        let offset = |o: usize| {
            if o < g {
                o as f64
            } else if o > g {
                o as f64 - m as f64
            } else {
                0.0
            }
        };
        for (r, row) in self.kernel.chunks_exact_mut(m).enumerate() {
            let dy = offset(r) * spacing;
            for (c, v) in row.iter_mut().enumerate() {
                let dx = offset(c) * spacing;
                let q = 1.0 / (1.0 + dx * dx + dy * dy);
                let far = r == g || c == g;
                *v = Complex::new(if far { 0.0 } else { q * q }, 0.0);
            }
        }
        self.transform(Which::Kernel, false);
        // Centred coordinates keep x² + y² (the fourth charge) small; the sums do not change.
        let centre = (lo + hi) / 2.0;
        self.a.fill(Complex::default());
        self.b.fill(Complex::default());
        self.cell.clear();
        self.weights.clear();
        for p in y {
            let mut cell = [0u32; 2];
            let mut w = [0.0; 2 * NODES];
            for axis in 0..2 {
                let u = (p[axis] - lo) / h;
                let k = (u.floor() as usize).min(boxes - 1);
                cell[axis] = (k * NODES) as u32;
                w[axis * NODES..(axis + 1) * NODES].copy_from_slice(&lagrange(u - k as f64));
            }
            let (px, py) = (p[0] - centre, p[1] - centre);
            let (ca, cb) = (Complex::new(1.0, px), Complex::new(py, px * px + py * py));
            for jy in 0..NODES {
                let row = (cell[1] as usize + jy) * m + cell[0] as usize;
                for jx in 0..NODES {
                    let wt = w[jx] * w[NODES + jy];
                    self.a[row + jx] += ca * wt;
                    self.b[row + jx] += cb * wt;
                }
            }
            self.cell.push(cell);
            self.weights.push(w);
        }
        // The kernel is real and even, so its spectrum is real: the real and imaginary parts of
        // each packed charge convolve separately.
        for which in [Which::A, Which::B] {
            self.transform(which, false);
            let data = if matches!(which, Which::A) { &mut self.a } else { &mut self.b };
            data.iter_mut().zip(&self.kernel).for_each(|(v, k)| *v *= k);
            self.transform(which, true);
        }
        let scale = 1.0 / (m * m) as f64;
        let mut z = 0.0;
        for (i, p) in y.iter().enumerate() {
            let (cell, w) = (self.cell[i], &self.weights[i]);
            let (mut pa, mut pb) = (Complex::<f64>::default(), Complex::<f64>::default());
            for jy in 0..NODES {
                let row = (cell[1] as usize + jy) * m + cell[0] as usize;
                for jx in 0..NODES {
                    let wt = w[jx] * w[NODES + jy];
                    pa += self.a[row + jx] * wt;
                    pb += self.b[row + jx] * wt;
                }
            }
            let (phi1, phi2, phi3, phi4) = (pa.re * scale, pa.im * scale, pb.re * scale, pb.im * scale);
            let (px, py) = (p[0] - centre, p[1] - centre);
            rep[i] = [px * phi1 - phi2, py * phi1 - phi3];
            z += (1.0 + px * px + py * py) * phi1 - 2.0 * (px * phi2 + py * phi3) + phi4;
        }
        // Each point's own kernel value (1) is in its φ₁.
        (z - n as f64).max(f64::MIN_POSITIVE)
    }
}

#[derive(Clone, Copy)]
enum Which {
    Kernel,
    A,
    B,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Every point's exact repulsion Σⱼ qᵢⱼ² (yᵢ − yⱼ) and Z = Σ qᵢⱼ, by every pair (also the
    /// Barnes–Hut tests' reference).
    pub(crate) fn exact(y: &[[f64; 2]]) -> (Vec<[f64; 2]>, f64) {
        let n = y.len();
        let (mut rep, mut z) = (vec![[0.0; 2]; n], 0.0);
        for i in 0..n {
            for j in (0..n).filter(|&j| j != i) {
                let d = [y[i][0] - y[j][0], y[i][1] - y[j][1]];
                let q = 1.0 / (1.0 + d[0] * d[0] + d[1] * d[1]);
                z += q;
                rep[i][0] += q * q * d[0];
                rep[i][1] += q * q * d[1];
            }
        }
        (rep, z)
    }

    #[test]
    fn interpolated_repulsion_is_close_to_the_exact_sums() {
        // A squeezed early layout (well under one interval wide), then a spread one with clumps,
        // a far outlier and duplicates, as t-SNE's layouts go.
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let small: Vec<[f64; 2]> =
            (0..1500).map(|_| [rng.gen_range(-0.01..0.01), rng.gen_range(-0.01..0.01)]).collect();
        let mut spread: Vec<[f64; 2]> = (0..2500)
            .map(|i| {
                let c = (i % 6) as f64 * 12.0 - 30.0;
                [c + rng.gen_range(-3.0..3.0), (i % 4) as f64 * 9.0 + rng.gen_range(-4.0..4.0)]
            })
            .collect();
        spread.push([80.0, -70.0]);
        spread.extend(std::iter::repeat_n([1.5, 2.5], 15));
        let mut f = FftRepulsion::default();
        for y in [small, spread] {
            let (want, z_want) = exact(&y);
            let mut got = vec![[0.0; 2]; y.len()];
            let z = f.repulsion(&y, &mut got);
            assert!((z - z_want).abs() < 3e-3 * z_want, "Z {z} vs {z_want}");
            let (err, size): (f64, f64) = got.iter().zip(&want).fold((0.0, 0.0), |(e, s), (g, w)| {
                (e + (g[0] - w[0]).hypot(g[1] - w[1]), s + w[0].hypot(w[1]))
            });
            // openTSNE's accuracy (3 nodes an interval of width 1): Z within 0.16 %, the forces
            // 1.4 % (summed over points) on the spread layout; an interval half as wide cuts both
            // ~10× (measured), the h³ of cubic interpolation.
            assert!(err < 3e-2 * size, "relative force error {}", err / size);
        }
    }

    #[test]
    fn grid_sizes_are_5_smooth() {
        assert_eq!(smooth(50), 50);
        assert_eq!(smooth(61), 64);
        assert_eq!(smooth(7), 8);
        assert_eq!(smooth(121), 125);
        let w = lagrange(0.3);
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12, "weights reproduce constants");
    }
}
