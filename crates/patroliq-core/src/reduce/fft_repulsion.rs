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
//!
//! The grid is what costs at 100,000 points (a layout ~225 wide: 675 nodes a side, transforms of
//! 1,350), so it is spared work three ways, each measured on that layout natively: the kernel's
//! transform is kept while the interval and grid stay the same ([`interval`]); the zero rows are
//! not transformed and the columns are transformed in bands, product and inverse included,
//! without a transposed copy (1.35× with the former); and the grids hold f32 (1.5×): against
//! the exact sums over every pair, Z's error was 0.12 % (f64: 0.19 %) and the forces' 2.36 %
//! (f64: 2.36 %) — the interpolation's error, not the rounding's, is what shows.

use std::sync::Arc;

use rustfft::num_complex::Complex;
use rustfft::{Fft, FftPlanner};

/// Interpolation nodes per interval and axis (FIt-SNE's and openTSNE's default).
const NODES: usize = 3;
/// Intervals a side at least, and their width at most (openTSNE's `min_num_intervals` and
/// `ints_in_interval`).
const MIN_INTERVALS: usize = 50;
const INTERVAL_WIDTH: f64 = 1.0;

/// The grids' numbers (see the module's notes for their accuracy).
type Real = f32;

/// The FFT plans and buffers, kept between iterations (the grid only grows as the layout
/// spreads, so a plan is reused for many).
#[derive(Default)]
pub struct FftRepulsion {
    /// The transforms' length m = 2g for a grid of g × g nodes (zero-padded to m × m: the linear
    /// convolution without wrap-around).
    side: usize,
    forward: Option<Arc<dyn Fft<Real>>>,
    inverse: Option<Arc<dyn Fft<Real>>>,
    planner: Option<FftPlanner<Real>>,
    /// The kernel's spectrum (real: the kernel is real and even), column by column, and the node
    /// spacing it is for.
    kernel: Vec<Real>,
    kernel_spacing: f64,
    /// Charges (1 + i·x) and (y + i·(x² + y²)), then their potentials: g rows of m (the padding
    /// rows are zeros, never stored).
    a: Vec<Complex<Real>>,
    b: Vec<Complex<Real>>,
    /// A few columns of a grid at a time, as rows.
    columns: Vec<Complex<Real>>,
    scratch: Vec<Complex<Real>>,
    /// Each point's row of boxes, in the points' own order (the counting sort's key, found once).
    row: Vec<u32>,
    /// The points in the order of their row of boxes: their indices and positions, and per
    /// point in that order its cell's first node on each axis and its 3 + 3 weights.
    order: Vec<u32>,
    sorted: Vec<[f64; 2]>,
    cell: Vec<[u32; 2]>,
    weights: Vec<[f64; 2 * NODES]>,
    /// Points per row of boxes, for the counting sort.
    count: Vec<u32>,
}

/// Columns transformed together: one cache line of complex doubles, read from each row at once.
const BAND: usize = 4;

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

/// Node j's place in its interval, (j + ½)/NODES.
const fn node(j: usize) -> f64 {
    (j as f64 + 0.5) / NODES as f64
}

/// 1 / Πₘ₌ⱼ (node j − node m): the Lagrange weights' denominators, once.
const INVERSE_DENOMINATORS: [f64; NODES] = {
    let mut d = [1.0; NODES];
    let mut j = 0;
    while j < NODES {
        let mut m = 0;
        while m < NODES {
            if m != j {
                d[j] *= node(j) - node(m);
            }
            m += 1;
        }
        d[j] = 1.0 / d[j];
        j += 1;
    }
    d
};

/// Lagrange weights of the nodes (j + ½)/NODES, j < NODES, at t ∈ [0, 1].
#[inline]
fn lagrange(t: f64) -> [f64; NODES] {
    let mut w = INVERSE_DENOMINATORS;
    for (j, wj) in w.iter_mut().enumerate() {
        for m in (0..NODES).filter(|&m| m != j) {
            *wj *= t - node(m);
        }
    }
    w
}

/// The interval width for a layout `width` wide: at most [`INTERVAL_WIDTH`] and at most a
/// [`MIN_INTERVALS`]th of the layout, rounded down to a power of 2^⅛. Rounded so that it stays
/// the same from one iteration to the next (the layout's bounds move every iteration): with the
/// grid's size, it is all the kernel depends on, so the kernel's transform is reused until
/// either changes.
fn interval(width: f64) -> f64 {
    let most = INTERVAL_WIDTH.min(width / MIN_INTERVALS as f64);
    ((most.log2() * 8.0).floor() / 8.0).exp2().min(most)
}

/// The column pass of a 2-D transform of `grid` (`rows` stored rows of m; the rows below are
/// zeros): [`BAND`] columns at a time are copied out as rows, `each` transforms them (m values a
/// column), and their first `keep` values are copied back. The columns never make a transposed
/// copy of the grid in memory, and what is done to a spectrum (the kernel's product, the inverse
/// transform) is done while its columns are in the cache.
fn by_columns(
    grid: &mut [Complex<Real>],
    m: usize,
    rows: usize,
    keep: usize,
    columns: &mut Vec<Complex<Real>>,
    mut each: impl FnMut(usize, &mut [Complex<Real>]),
) {
    columns.resize(BAND * m, Complex::default());
    for c0 in (0..m).step_by(BAND) {
        let band = BAND.min(m - c0);
        let cols = &mut columns[..band * m];
        for r in 0..rows {
            let from = &grid[r * m + c0..r * m + c0 + band];
            for (b, &v) in from.iter().enumerate() {
                cols[b * m + r] = v;
            }
        }
        for col in cols.chunks_exact_mut(m) {
            col[rows..].fill(Complex::default());
        }
        each(c0, cols);
        for r in 0..keep {
            let to = &mut grid[r * m + c0..r * m + c0 + band];
            for (b, v) in to.iter_mut().enumerate() {
                *v = cols[b * m + r];
            }
        }
    }
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
        for v in [&mut self.a, &mut self.b] {
            v.clear();
            v.resize(m / 2 * m, Complex::default());
        }
        self.kernel.clear();
        self.kernel_spacing = f64::NAN;
    }

    /// The transform of the squared Cauchy kernel between nodes `spacing` apart, on the m × m
    /// grid (offsets in (−g, g) on each axis, wrapped; m = 2g), kept until the spacing or the grid
    /// changes.
    fn kernel(&mut self, spacing: f64) {
        if !self.kernel.is_empty() && self.kernel_spacing == spacing {
            return;
        }
        let (m, g) = (self.side, self.side / 2);
        let offset = |o: usize| {
            if o < g {
                o as f64
            } else if o > g {
                o as f64 - m as f64
            } else {
                0.0
            }
        };
        let mut grid = vec![Complex::default(); m * m];
        for (r, row) in grid.chunks_exact_mut(m).enumerate() {
            let dy = offset(r) * spacing;
            for (c, v) in row.iter_mut().enumerate() {
                let dx = offset(c) * spacing;
                let q = 1.0 / (1.0 + dx * dx + dy * dy);
                let far = r == g || c == g;
                *v = Complex::new(if far { 0.0 } else { (q * q) as Real }, 0.0);
            }
        }
        let fft = self.forward.clone().expect("planned");
        fft.process_with_scratch(&mut grid, &mut self.scratch);
        let scratch = &mut self.scratch;
        self.kernel.clear();
        self.kernel.resize(m * m, 0.0);
        // Stored column by column, as the convolution's column pass reads it.
        let kernel = &mut self.kernel;
        by_columns(&mut grid, m, m, 0, &mut self.columns, |c0, cols| {
            fft.process_with_scratch(cols, scratch);
            for (v, k) in cols.iter().zip(&mut kernel[c0 * m..]) {
                *k = v.re;
            }
        });
        self.kernel_spacing = spacing;
    }

    /// Convolves `which`'s charges (g × g in its g rows of m; m = 2g) with the kernel, leaving the
    /// potentials there (times m²): the rows' transforms (of the g rows that are not zeros), then
    /// column by column the transform, the kernel's product and the inverse (of the g values
    /// that are read back), then the rows' inverse transforms.
    fn convolve(&mut self, which: Which) {
        let (m, g) = (self.side, self.side / 2);
        let (forward, inverse) =
            (self.forward.clone().expect("planned"), self.inverse.clone().expect("planned"));
        let grid = if matches!(which, Which::A) { &mut self.a } else { &mut self.b };
        let (scratch, kernel) = (&mut self.scratch, &self.kernel);
        forward.process_with_scratch(grid, scratch);
        by_columns(grid, m, g, g, &mut self.columns, |c0, cols| {
            forward.process_with_scratch(cols, scratch);
            // The kernel's spectrum is real: the real and imaginary parts of each packed charge
            // convolve separately.
            cols.iter_mut().zip(&kernel[c0 * m..]).for_each(|(v, &k)| *v *= k);
            inverse.process_with_scratch(cols, scratch);
        });
        inverse.process_with_scratch(grid, scratch);
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
        let h = interval(width);
        let boxes = smooth(((width / h).ceil() as usize).max(MIN_INTERVALS));
        let g = boxes * NODES;
        // Twice the grid: the linear convolution of g nodes without wrap-around.
        self.plan(2 * g);
        let m = self.side;
        self.kernel(h / NODES as f64);
        // Centred coordinates keep x² + y² (the fourth charge) small; the sums do not change.
        let centre = (lo + hi) / 2.0;
        self.a.fill(Complex::default());
        self.b.fill(Complex::default());
        // The points by their row of boxes (a counting sort): spreading the charges and reading
        // the potentials back then walk the grids a few rows at a time, in the cache, where
        // points taken in their own order touched 12 scattered cache lines each. A coordinate in
        // intervals from `lo` (≥ 0, so truncation is the floor): its box and, less the box, its
        // place in it.
        let per_h = 1.0 / h;
        let box_of = |u: f64| (u as usize).min(boxes - 1);
        self.count.clear();
        self.count.resize(boxes + 1, 0);
        self.row.clear();
        self.row.extend(y.iter().map(|p| box_of((p[1] - lo) * per_h) as u32));
        self.row.iter().for_each(|&r| self.count[r as usize + 1] += 1);
        for r in 1..=boxes {
            self.count[r] += self.count[r - 1];
        }
        // The positions are copied in that order here, from the points in their own order: the
        // reads are in order and the writes scattered, where reading `y` through the sorted
        // indices stalled on a third of the repulsion's time (its cache lines evicted by the
        // grids).
        self.order.resize(n, 0);
        self.sorted.resize(n, [0.0; 2]);
        for (i, (p, &r)) in y.iter().zip(&self.row).enumerate() {
            let at = &mut self.count[r as usize];
            self.order[*at as usize] = i as u32;
            self.sorted[*at as usize] = *p;
            *at += 1;
        }
        self.cell.clear();
        self.weights.clear();
        for &p in &self.sorted {
            let mut cell = [0u32; 2];
            let mut w = [0.0; 2 * NODES];
            for axis in 0..2 {
                let u = (p[axis] - lo) * per_h;
                let k = box_of(u);
                cell[axis] = (k * NODES) as u32;
                w[axis * NODES..(axis + 1) * NODES].copy_from_slice(&lagrange(u - k as f64));
            }
            let (px, py) = (p[0] - centre, p[1] - centre);
            let (ca, cb) =
                (Complex::new(1.0, px as Real), Complex::new(py as Real, (px * px + py * py) as Real));
            for jy in 0..NODES {
                let row = (cell[1] as usize + jy) * m + cell[0] as usize;
                for jx in 0..NODES {
                    let wt = (w[jx] * w[NODES + jy]) as Real;
                    self.a[row + jx] += ca * wt;
                    self.b[row + jx] += cb * wt;
                }
            }
            self.cell.push(cell);
            self.weights.push(w);
        }
        self.convolve(Which::A);
        self.convolve(Which::B);
        let scale = 1.0 / (m * m) as f64;
        let mut z = 0.0;
        for (k, p) in self.sorted.iter_mut().enumerate() {
            let (cell, w) = (self.cell[k], &self.weights[k]);
            let (mut pa, mut pb) = (Complex::<Real>::default(), Complex::<Real>::default());
            for jy in 0..NODES {
                let row = (cell[1] as usize + jy) * m + cell[0] as usize;
                for jx in 0..NODES {
                    let wt = (w[jx] * w[NODES + jy]) as Real;
                    pa += self.a[row + jx] * wt;
                    pb += self.b[row + jx] * wt;
                }
            }
            let [phi1, phi2, phi3, phi4] = [pa.re, pa.im, pb.re, pb.im].map(|v| f64::from(v) * scale);
            let (px, py) = (p[0] - centre, p[1] - centre);
            z += (1.0 + px * px + py * py) * phi1 - 2.0 * (px * phi2 + py * phi3) + phi4;
            // The position is done with: its place keeps the force, scattered below.
            *p = [px * phi1 - phi2, py * phi1 - phi3];
        }
        for (&i, f) in self.order.iter().zip(&self.sorted) {
            rep[i as usize] = *f;
        }
        // Each point's own kernel value (1) is in its φ₁.
        (z - n as f64).max(f64::MIN_POSITIVE)
    }
}

#[derive(Clone, Copy)]
enum Which {
    A,
    B,
}

/// The exact repulsion on point `i`, Σⱼ qᵢⱼ² (yᵢ − yⱼ) over every other point: O(n), the
/// reference the interpolation is checked against (tests, `examples/fft_repulsion.rs check`).
pub fn exact_repulsion(y: &[[f64; 2]], i: usize) -> [f64; 2] {
    let mut f = [0.0; 2];
    for (_, yj) in y.iter().enumerate().filter(|&(j, _)| j != i) {
        let d = [y[i][0] - yj[0], y[i][1] - yj[1]];
        let q = 1.0 / (1.0 + d[0] * d[0] + d[1] * d[1]);
        f[0] += q * q * d[0];
        f[1] += q * q * d[1];
    }
    f
}

/// The exact Z = Σ_{i≠j} qᵢⱼ over every pair (each once, doubled): O(n²).
pub fn exact_z(y: &[[f64; 2]]) -> f64 {
    let mut z = 0.0;
    for (i, yi) in y.iter().enumerate() {
        for yj in &y[i + 1..] {
            let d = [yi[0] - yj[0], yi[1] - yj[1]];
            z += 2.0 / (1.0 + d[0] * d[0] + d[1] * d[1]);
        }
    }
    z
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Every point's exact repulsion and Z (also the Barnes–Hut tests' reference).
    pub(crate) fn exact(y: &[[f64; 2]]) -> (Vec<[f64; 2]>, f64) {
        ((0..y.len()).map(|i| exact_repulsion(y, i)).collect(), exact_z(y))
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
    fn a_kept_kernel_gives_what_a_fresh_one_gives() {
        // One instance through layouts of other widths and back (its kernel and plans kept or
        // replaced) against a fresh instance for each: the same sums, bit for bit.
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let layout = |scale: f64, rng: &mut ChaCha8Rng| -> Vec<[f64; 2]> {
            (0..700).map(|_| [rng.gen_range(-scale..scale), rng.gen_range(-scale..scale)]).collect()
        };
        let (narrow, wide, wider) = (layout(3.0, &mut rng), layout(40.0, &mut rng), layout(90.0, &mut rng));
        let mut kept = FftRepulsion::default();
        for y in [&narrow, &wide, &wide, &wider, &narrow] {
            let (mut a, mut b) = (vec![[0.0; 2]; y.len()], vec![[0.0; 2]; y.len()]);
            let za = kept.repulsion(y, &mut a);
            let zb = FftRepulsion::default().repulsion(y, &mut b);
            assert_eq!((za, a), (zb, b));
        }
    }

    #[test]
    fn the_column_pass_is_the_transform_of_each_column() {
        // 11 columns (bands of 4 and a band of 3), 5 stored rows and zeros below, 7 kept.
        let (m, rows, keep) = (11, 5, 7);
        let mut grid: Vec<Complex<Real>> =
            (0..rows * m).map(|v| Complex::new(v as Real, (v * v % 7) as Real)).collect();
        let before = grid.clone();
        let fft = FftPlanner::new().plan_fft_forward(m);
        let mut columns = Vec::new();
        by_columns(&mut grid, m, rows, keep.min(rows), &mut columns, |_, cols| fft.process(cols));
        for c in 0..m {
            let mut col: Vec<Complex<Real>> =
                (0..m).map(|r| if r < rows { before[r * m + c] } else { Complex::default() }).collect();
            fft.process(&mut col);
            for r in 0..rows.min(keep) {
                assert!((grid[r * m + c] - col[r]).norm() < 1e-3, "column {c}, row {r}");
            }
        }
        // The weights from their precomputed denominators are the textbook formula's.
        let w = lagrange(0.3);
        for (j, wj) in w.iter().enumerate() {
            let plain: f64 =
                (0..NODES).filter(|&m| m != j).map(|m| (0.3 - node(m)) / (node(j) - node(m))).product();
            assert!((wj - plain).abs() < 1e-12);
        }
    }

    #[test]
    fn intervals_are_steady_powers_of_two_at_most_one_wide() {
        assert_eq!(interval(500.0), 1.0);
        assert_eq!(interval(50.0), 1.0);
        // Under 50 wide: a 50th of the width at most, rounded down to a power of 2^⅛, so the
        // small movements of an iteration keep it.
        for w in [49.0, 10.0, 0.37, 1e-6] {
            let h = interval(w);
            assert!(h <= w / 50.0 && h > w / 50.0 / 2f64.powf(0.125) * 0.999_999, "{w}: {h}");
            assert_eq!(interval(w * 1.001), h, "{w}");
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
