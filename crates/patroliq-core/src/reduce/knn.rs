//! Exact k nearest neighbours of every row of a dense matrix, and trustworthiness.
//!
//! Brute force, on purpose, up to the maps' 20,000 points (`embed::EXACT_UP_TO`; above,
//! [`super::nndescent`]): on ≈ 20,000 rows × 20 standardised features, many of them binary, tree
//! indexes lose their edge in 20 dimensions, and the many exact duplicates make a plain
//! approximate graph unstable (NN-descent merges them first for that). The n² distances come a
//! tile at a time as ‖a‖² + ‖b‖² − 2a·b, the dot products by `matrixmultiply`'s blocked f32 GEMM
//! (≈ 10× a plain loop), each once for both of its rows; the k chosen distances are then
//! recomputed exactly.

use crate::cluster::Progress;
use crate::error::AnalysisError;

/// Rows of `dim` features, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    pub dim: usize,
    pub data: Vec<f32>,
}

impl Matrix {
    pub fn rows(&self) -> usize {
        self.data.len() / self.dim.max(1)
    }

    pub fn row(&self, i: usize) -> &[f32] {
        &self.data[i * self.dim..(i + 1) * self.dim]
    }
}

/// Squared Euclidean distance, accumulated in f32 lanes the compiler vectorises.
#[inline]
pub fn sq(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for l in 0..8 {
            let d = x[l] - y[l];
            acc[l] += d * d;
        }
    }
    let mut s: f32 = acc.iter().sum();
    for (x, y) in ra.iter().zip(rb) {
        s += (x - y) * (x - y);
    }
    s
}

/// Rows per GEMM block: 64 × 20,000 products (5 MB) at a time.
const BLOCK: usize = 64;

/// −2·a·bᵀ into `out` (m × n, row-major), `a` and `b` being m and n rows of `d` features,
/// row-major.
fn products(a: &[f32], b: &[f32], d: usize, out: &mut [f32]) {
    let (m, n) = (a.len() / d, b.len() / d);
    assert!(a.len() == m * d && b.len() == n * d && out.len() >= m * n, "product shapes");
    // SAFETY: the pointers and strides describe `a` (m × d, row-major), `b`ᵀ (d × n, so row stride
    // 1 and column stride d over b's row-major data) and `out` (m × n), in bounds (asserted).
    unsafe {
        matrixmultiply::sgemm(
            m,
            d,
            n,
            -2.0,
            a.as_ptr(),
            d as isize,
            1,
            b.as_ptr(),
            1,
            d as isize,
            0.0,
            out.as_mut_ptr(),
            n as isize,
            1,
        );
    }
}

/// Squared distances from the rows of `a` (row-major, x's width; `a_norms` their squared norms)
/// to every row of `x`, into `out` (rows of a × n), clamped at 0 (the expansion can go slightly
/// negative for equal rows). Never inlined, as [`scan_tile`].
#[inline(never)]
fn query_distances(x: &Matrix, norms: &[f32], a: &[f32], a_norms: &[f32], out: &mut [f32]) {
    let n = x.rows();
    let m = a_norms.len();
    products(a, &x.data, x.dim, out);
    for (q, row) in out.chunks_exact_mut(n).enumerate().take(m) {
        let nq = a_norms[q];
        for (v, &nj) in row.iter_mut().zip(norms) {
            *v = distance(*v, nq, nj);
        }
    }
}

/// ‖a − b‖² from −2a·b and the squared norms, clamped at 0.
#[inline]
fn distance(product: f32, na: f32, nb: f32) -> f32 {
    (product + na + nb).max(0.0)
}

/// Distances a chunk of the selection's scan tests at once against the current k-th best.
const SCAN: usize = 16;

/// Whether any of the unclamped distances `products + nq + norms` of a chunk is below `worst`.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline]
fn any_below(products: &[f32], norms: &[f32], nq: f32, worst: f32) -> bool {
    products.iter().zip(norms).any(|(&g, &nj)| g + nq + nj < worst)
}

/// The same in WebAssembly SIMD, four lanes at a time: the compiler leaves this loop scalar in
/// WebAssembly, where it then cost more than the GEMM itself (measured in Node).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline]
fn any_below(products: &[f32], norms: &[f32], nq: f32, worst: f32) -> bool {
    use core::arch::wasm32::*;
    if products.len() != SCAN || norms.len() != SCAN {
        return products.iter().zip(norms).any(|(&g, &nj)| g + nq + nj < worst);
    }
    let (q, w) = (f32x4_splat(nq), f32x4_splat(worst));
    let mut below = i32x4_splat(0);
    for l in 0..SCAN / 4 {
        // SAFETY: both slices hold SCAN floats, so lanes 4l..4l + 4 are in bounds; v128_load
        // takes unaligned addresses.
        let (g, nj) = unsafe {
            (
                v128_load(products.as_ptr().add(4 * l) as *const v128),
                v128_load(norms.as_ptr().add(4 * l) as *const v128),
            )
        };
        below = v128_or(below, f32x4_lt(f32x4_add(f32x4_add(g, q), nj), w));
    }
    v128_any_true(below)
}

fn norms(x: &Matrix) -> Vec<f32> {
    (0..x.rows()).map(|i| x.row(i).iter().map(|v| v * v).sum()).collect()
}

/// The k nearest other rows of each row, nearest first, with their (not squared) distances.
#[derive(Debug, Clone, PartialEq)]
pub struct Knn {
    pub k: usize,
    /// `index[i * k + j]`: j-th neighbour of row i.
    pub index: Vec<u32>,
    pub dist: Vec<f32>,
}

impl Knn {
    pub fn neighbours(&self, i: usize) -> (&[u32], &[f32]) {
        (&self.index[i * self.k..(i + 1) * self.k], &self.dist[i * self.k..(i + 1) * self.k])
    }
}

/// Offers (v, j), with v below the current worst, to `best`, the ascending k best so far; returns
/// the worst to beat from now on (infinite until k are held). Among equal distances the one
/// offered first stays.
#[inline]
fn keep_best(best: &mut Vec<(f32, u32)>, k: usize, v: f32, j: u32) -> f32 {
    let at = best.partition_point(|b| b.0 <= v);
    if best.len() == k {
        best.pop();
    }
    best.insert(at, (v, j));
    if best.len() == k {
        best[k - 1].0
    } else {
        f32::INFINITY
    }
}

/// Rows (and columns) of a tile of products: 256 × 256 f32 (256 KB, within a core's cache).
const TILE: usize = 256;

/// −2·(rows `i0..i0 + mi`)·(rows `j0..j0 + mj`)ᵀ into `out` (mi × mj, row-major).
fn tile_products(x: &Matrix, (i0, mi): (usize, usize), (j0, mj): (usize, usize), out: &mut [f32]) {
    let (d, rows) = (x.dim, |first: usize, m: usize| &x.data[first * x.dim..(first + m) * x.dim]);
    products(rows(i0, mi), rows(j0, mj), d, out);
}

/// `out` (cols × rows) = `tile` (rows × cols)ᵀ, in blocks of [`BLOCK_T`] × [`BLOCK_T`]: a plain
/// loop writes each value a whole column (1 KB) from the last, and in a Chromium profile it took
/// as long as the GEMM that made the tile. Never inlined, as [`scan_tile`]: inlined into
/// [`knn`], it ran in V8's baseline tier on a map worker's first map.
#[inline(never)]
fn transpose(tile: &[f32], rows: usize, cols: usize, out: &mut [f32]) {
    for r0 in (0..rows).step_by(BLOCK_T) {
        let r1 = (r0 + BLOCK_T).min(rows);
        for c0 in (0..cols).step_by(BLOCK_T) {
            let c1 = (c0 + BLOCK_T).min(cols);
            for r in r0..r1 {
                let row = &tile[r * cols + c0..r * cols + c1];
                for (c, &v) in (c0..c1).zip(row) {
                    out[c * rows + r] = v;
                }
            }
        }
    }
}

/// The side of [`transpose`]'s blocks: 16 × 16 f32, one 64-byte line per row each way.
const BLOCK_T: usize = 16;

/// The k best so far of rows `r0..r0 + rows`, and the worst of each (infinite until k are
/// held), lowered by their products with the columns `c0..c0 + cols` (`tile`, row-major).
/// Never inlined, on purpose: V8 first runs WebAssembly in its baseline compiler and moves a
/// function to its optimising one only after it has been hot, for the calls that follow; inside
/// the one long call of [`knn`] this scan never got there (no on-stack replacement).
#[allow(clippy::too_many_arguments)]
#[inline(never)]
fn scan_tile(
    tile: &[f32],
    (r0, rows): (usize, usize),
    (c0, cols): (usize, usize),
    norms: &[f32],
    k: usize,
    best: &mut [Vec<(f32, u32)>],
    worst: &mut [f32],
) {
    let col_norms = &norms[c0..c0 + cols];
    for (q, row) in tile[..rows * cols].chunks_exact(cols).enumerate() {
        let i = r0 + q;
        let nq = norms[i];
        let (held, mut w) = (&mut best[i], worst[i]);
        // Once k are held, a chunk of distances rarely holds a better one: the chunk is tested
        // whole and scanned one by one only when it may. The test leaves out the clamp at 0 (a
        // distance is never below its unclamped value, so no candidate is missed): `f32::max`
        // has no single WebAssembly SIMD instruction, and with it the test ran one lane at a
        // time.
        for (c, (chunk, chunk_norms)) in row.chunks(SCAN).zip(col_norms.chunks(SCAN)).enumerate() {
            if !any_below(chunk, chunk_norms, nq, w) {
                continue;
            }
            for (o, (&g, &nj)) in chunk.iter().zip(chunk_norms).enumerate() {
                let (j, v) = (c0 + c * SCAN + o, distance(g, nq, nj));
                if j == i || v >= w {
                    continue;
                }
                w = keep_best(held, k, v, j as u32);
            }
        }
        worst[i] = w;
    }
}

/// Exact k-NN (ties broken by the lower index). Progress 0–1; false cancels.
///
/// Tile by tile over the upper triangle of the n × n products: a tile serves its rows as it is
/// and its columns' rows transposed, so each product is computed once (half the GEMM of a scan
/// of every row against every row). Each row still meets its candidates in ascending order
/// (the tiles left of the diagonal come first, transposed), so ties resolve as in a plain scan.
pub fn knn(x: &Matrix, k: usize, progress: &mut dyn Progress) -> Result<Knn, AnalysisError> {
    let n = x.rows();
    if n <= k {
        return Err(AnalysisError::Data(format!("{n} rows cannot have {k} neighbours each")));
    }
    let norms = norms(x);
    let (mut tile, mut flipped) = (vec![0.0f32; TILE * TILE], vec![0.0f32; TILE * TILE]);
    // The k best so far of each row, ascending; a candidate enters only if strictly better than
    // the worst, so among equal distances the lower index (seen first) stays.
    let mut best: Vec<Vec<(f32, u32)>> = (0..n).map(|_| Vec::with_capacity(k + 1)).collect();
    let mut worst = vec![f32::INFINITY; n];
    let tiles = n.div_ceil(TILE);
    let span = |t: usize| (t * TILE, TILE.min(n - t * TILE));
    for ti in 0..tiles {
        let left = (tiles - ti) as f64 / tiles as f64;
        if !progress.report(1.0 - left * left) {
            return Err(AnalysisError::Cancelled);
        }
        for tj in ti..tiles {
            let (rows, cols) = (span(ti), span(tj));
            tile_products(x, rows, cols, &mut tile);
            scan_tile(&tile, rows, cols, &norms, k, &mut best, &mut worst);
            if tj != ti {
                transpose(&tile, rows.1, cols.1, &mut flipped);
                scan_tile(&flipped, cols, rows, &norms, k, &mut best, &mut worst);
            }
        }
    }
    let mut index = vec![0u32; n * k];
    let mut dist = vec![0.0f32; n * k];
    for (i, held) in best.iter_mut().enumerate() {
        finish_row(x, i, held, &mut index[i * k..(i + 1) * k], &mut dist[i * k..(i + 1) * k]);
    }
    progress.report(1.0);
    Ok(Knn { k, index, dist })
}

/// Row `i`'s chosen few with their exact distances, reordered if the exact values disagree with
/// the GEMM's. Never inlined, as [`scan_tile`].
#[inline(never)]
fn finish_row(x: &Matrix, i: usize, held: &mut [(f32, u32)], index: &mut [u32], dist: &mut [f32]) {
    let xi = x.row(i);
    held.iter_mut().for_each(|b| b.0 = sq(xi, x.row(b.1 as usize)));
    held.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    for ((&(s, idx), slot), d) in held.iter().zip(index).zip(dist) {
        *slot = idx;
        *d = s.sqrt();
    }
}

/// Σ max(0, r(i, j) − k) over the embedded neighbours j of each i of `chunk`, from the chunk's
/// distances to every row in `block`. Never inlined, so that V8 optimises it (see
/// [`select_block`]).
#[inline(never)]
fn rank_penalty(y: &[[f32; 2]], k: usize, chunk: &[usize], block: &mut [f32], near: &mut Near) -> f64 {
    let n = y.len();
    let mut penalty = 0.0;
    for (q, &i) in chunk.iter().enumerate() {
        // Embedded neighbours of i: a running k best, which one comparison rejects most points
        // from (a full select over n was most of the cost).
        near.best.clear();
        let mut worst = f32::INFINITY;
        let yi = y[i];
        for (j, p) in y.iter().enumerate() {
            let (dx, dy) = (yi[0] - p[0], yi[1] - p[1]);
            let v = dx * dx + dy * dy;
            if v >= worst || j == i {
                continue;
            }
            worst = keep_best(&mut near.best, k, v, j as u32);
        }
        // Their ranks in the original space (1 = nearest; ties in index order). Only points no
        // farther than the farthest of them can come before any: one pass gathers those, and
        // the ranks are counted among them.
        let d = &mut block[q * n..(q + 1) * n];
        d[i] = f32::INFINITY;
        let far = near.best.iter().map(|&(_, j)| d[j as usize]).fold(f32::NEG_INFINITY, f32::max);
        near.closer.clear();
        near.closer.extend(d.iter().enumerate().filter(|&(_, &dm)| dm <= far).map(|(m, &dm)| (dm, m as u32)));
        for &(_, j) in &near.best {
            let dj = d[j as usize];
            let rank = 1 + near.closer.iter().filter(|&&(dm, m)| dm < dj || (dm == dj && m < j)).count();
            if rank > k {
                penalty += (rank - k) as f64;
            }
        }
    }
    penalty
}

/// Scratch of [`rank_penalty`]: one query's k embedded neighbours (ascending) and the points
/// at most as far in the original space as the farthest of them.
#[derive(Default)]
struct Near {
    best: Vec<(f32, u32)>,
    closer: Vec<(f32, u32)>,
}

/// Trustworthiness of an embedding `y` (n × 2) of `x` at `k` neighbours, as scikit-learn's
/// `sklearn.manifold.trustworthiness`: 1 − 2/(nk(2n − 3k − 1)) Σᵢ Σ_{j ∈ embedded kNN(i)}
/// max(0, r(i, j) − k), r being j's rank among i's neighbours in the original space. 1 means
/// every embedded neighbour is a true neighbour.
///
/// `queries` limits the outer sum to those points (an unbiased estimate scaled to n; the exact
/// value needs n² distances). `None` uses every point.
pub fn trustworthiness(
    x: &Matrix,
    y: &[[f32; 2]],
    k: usize,
    queries: Option<&[usize]>,
    progress: &mut dyn Progress,
) -> Result<f64, AnalysisError> {
    let n = x.rows();
    if n < 3 * k + 2 || y.len() != n {
        return Err(AnalysisError::Data(format!(
            "trustworthiness at k = {k} needs more than {} rows",
            3 * k + 1
        )));
    }
    let all: Vec<usize>;
    let qs = match queries {
        Some(q) => q,
        None => {
            all = (0..n).collect();
            &all
        }
    };
    let mut penalty = 0.0f64;
    let norms = norms(x);
    let mut block = vec![0.0f32; BLOCK * n];
    let mut a = Vec::with_capacity(BLOCK * x.dim);
    let mut near = Near::default();
    for (b, chunk) in qs.chunks(BLOCK).enumerate() {
        if !progress.report((b * BLOCK) as f64 / qs.len() as f64) {
            return Err(AnalysisError::Cancelled);
        }
        a.clear();
        chunk.iter().for_each(|&i| a.extend_from_slice(x.row(i)));
        let a_norms: Vec<f32> = chunk.iter().map(|&i| norms[i]).collect();
        query_distances(x, &norms, &a, &a_norms, &mut block);
        penalty += rank_penalty(y, k, chunk, &mut block, &mut near);
    }
    progress.report(1.0);
    let (nf, kf) = (n as f64, k as f64);
    let scaled = penalty * nf / qs.len() as f64;
    Ok(1.0 - scaled * 2.0 / (nf * kf * (2.0 * nf - 3.0 * kf - 1.0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Silent;

    fn line(n: usize) -> Matrix {
        Matrix { dim: 1, data: (0..n).map(|i| i as f32).collect() }
    }

    #[test]
    fn neighbours_on_a_line() {
        let k = knn(&line(10), 2, &mut Silent).unwrap();
        assert_eq!(k.neighbours(0).0, &[1, 2]);
        assert_eq!(k.neighbours(5).0, &[4, 6], "ties go to the lower index");
        assert_eq!(k.neighbours(5).1, &[1.0, 1.0]);
        assert!(knn(&line(2), 2, &mut Silent).is_err());
    }

    #[test]
    fn trustworthiness_is_one_for_a_faithful_map_and_lower_for_a_shuffled_one() {
        let x = line(60);
        let same: Vec<[f32; 2]> = (0..60).map(|i| [i as f32, 0.0]).collect();
        assert!((trustworthiness(&x, &same, 5, None, &mut Silent).unwrap() - 1.0).abs() < 1e-12);
        // Reverse every other block of 10: neighbours across block edges are false.
        let shuffled: Vec<[f32; 2]> = (0..60).map(|i| [((i * 37) % 60) as f32, 0.0]).collect();
        let t = trustworthiness(&x, &shuffled, 5, None, &mut Silent).unwrap();
        assert!(t < 0.9, "{t}");
        let half: Vec<usize> = (0..60).step_by(2).collect();
        let est = trustworthiness(&x, &shuffled, 5, Some(&half), &mut Silent).unwrap();
        assert!((est - t).abs() < 0.1, "{est} vs {t}");
    }

    /// Across tiles (three of 256, the last partial) and the transposed scans, with many ties:
    /// small integers make the GEMM's expansion exact, so the answer is the plain scan's.
    #[test]
    fn tiled_knn_is_the_plain_scan_with_its_ties() {
        let (n, dim, k) = (700, 20, 12);
        let mut state = 7u64;
        let data: Vec<f32> = (0..n * dim)
            .map(|_| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ((state >> 33) % 3) as f32 - 1.0
            })
            .collect();
        let x = Matrix { dim, data };
        let got = knn(&x, k, &mut Silent).unwrap();
        for i in 0..n {
            let mut all: Vec<(f32, u32)> =
                (0..n).filter(|&j| j != i).map(|j| (sq(x.row(i), x.row(j)), j as u32)).collect();
            all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let want: Vec<u32> = all[..k].iter().map(|a| a.1).collect();
            assert_eq!(got.neighbours(i).0, &want[..], "row {i}");
        }
    }

    #[test]
    fn squared_distance_handles_every_length() {
        for dim in [1, 7, 8, 9, 20] {
            let a: Vec<f32> = (0..dim).map(|i| i as f32).collect();
            let b: Vec<f32> = (0..dim).map(|i| 2.0 * i as f32).collect();
            let want: f32 = (0..dim).map(|i| (i * i) as f32).sum();
            assert_eq!(sq(&a, &b), want);
        }
    }
}
