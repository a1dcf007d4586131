//! The portal's projected X/Y (Chicago's State Plane feet) in no bytes a row while the row's
//! latitude and longitude predict them, read back exactly.
//!
//! A portal computes one pair from the other (Chicago's degrees are its whole State Plane feet
//! projected and printed with nine decimals), so the feet are a smooth function of the degrees
//! the table holds anyway. Over a city a cubic in latitude and longitude fits a conformal
//! projection to a small fraction of a foot (on the 2012–2016 file even a quadratic is within
//! 0.16 ft of every row, where an affine map misses by up to 170 ft), so once [`FIT`] rows with
//! feet are in, a cubic is fitted to them by least squares, and from then on a row stores
//! nothing when its feet are the fit's value rounded to a whole number, and an entry in a short
//! list of misses otherwise (no feet, an X of 0, another CRS). A column the fit does not predict
//! — feet with decimals, numbers that are no projection of the place, feet rounded from a
//! projection of the degrees (then a fit error of 0.1 ft misses one row in five), or misses above
//! one row in [`MISS_SHARE`] — is kept as two `f32` a row, as before; one with no feet at all
//! (most other portals) as nothing.
//!
//! The fit is evaluated the same way at push and at read, in f64 from the degrees as the table
//! reads them back (bit for bit), so a value reads back identically on every platform. The
//! least squares are nalgebra's LU on the normal equations (10 × 10).

use nalgebra::{SMatrix, SVector};

/// Rows with feet the fit is made from (the first ones).
pub const FIT: usize = 512;
/// Misses above one row in this many (after the fit's first rows) keep the column as it is.
const MISS_SHARE: usize = 16;

/// A cubic in (latitude, longitude) about a point, for each axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    origin: [f64; 2],
    coef: [[f64; TERMS]; 2],
}

const TERMS: usize = 10;

impl Fit {
    #[inline]
    fn terms(&self, lat: f64, lon: f64) -> [f64; TERMS] {
        let (u, v) = (lat - self.origin[0], lon - self.origin[1]);
        let (uu, vv) = (u * u, v * v);
        [1.0, u, v, uu, u * v, vv, uu * u, uu * v, u * vv, vv * v]
    }

    /// The predicted pair, rounded half away from zero to whole units (NaN without a place).
    #[inline]
    fn predict(&self, lat: f64, lon: f64) -> [f32; 2] {
        let t = self.terms(lat, lon);
        let axis = |c: &[f64; TERMS]| {
            let p: f64 = c.iter().zip(&t).map(|(a, b)| a * b).sum();
            // `as i64` truncates toward zero (NaN to 0: checked first); no libm call.
            if p.is_finite() && p.abs() < 1e15 {
                (p + 0.5f64.copysign(p)) as i64 as f32
            } else {
                f32::NAN
            }
        };
        // Not `self.coef.map(axis)`: an array's `map` stayed a call a row (3 % of a Parquet load).
        [axis(&self.coef[0]), axis(&self.coef[1])]
    }

    /// The least-squares cubic through `rows` (latitude, longitude, x, y), refitted once
    /// without the rows it misses by far (a stray X of 0 among the first rows).
    fn through(rows: &[[f64; 4]]) -> Option<Fit> {
        let origin = [rows.first()?[0], rows[0][1]];
        let solve = |keep: &dyn Fn(usize) -> bool| -> Option<Fit> {
            let mut fit = Fit { origin, coef: [[0.0; TERMS]; 2] };
            let mut ata = SMatrix::<f64, TERMS, TERMS>::zeros();
            let mut atb = [SVector::<f64, TERMS>::zeros(); 2];
            for (_, r) in rows.iter().enumerate().filter(|&(i, _)| keep(i)) {
                let t = SVector::<f64, TERMS>::from(fit.terms(r[0], r[1]));
                ata += t * t.transpose();
                atb[0] += t * r[2];
                atb[1] += t * r[3];
            }
            let lu = ata.lu();
            for (axis, b) in atb.iter().enumerate() {
                let c = lu.solve(b)?;
                fit.coef[axis] = c.into();
            }
            fit.coef.iter().flatten().all(|c| c.is_finite()).then_some(fit)
        };
        let first = solve(&|_| true)?;
        let misses: Vec<f64> = rows
            .iter()
            .map(|r| {
                let p = first.predict(r[0], r[1]);
                (f64::from(p[0]) - r[2]).abs().max((f64::from(p[1]) - r[3]).abs())
            })
            .collect();
        let mut sorted = misses.clone();
        sorted.sort_by(f64::total_cmp);
        let cut = 4.0 * sorted[sorted.len() * 9 / 10] + 1.0;
        solve(&|i| misses[i] <= cut)
    }

    /// Whether row `x`, `y` at (lat, lon) reads back from the fit exactly.
    #[inline]
    fn hits(&self, x: f32, y: f32, lat: f64, lon: f64) -> bool {
        let p = self.predict(lat, lon);
        same(p[0], x) && same(p[1], y)
    }
}

/// Equal bit for bit, or both NaN (a missing value).
#[inline]
fn same(a: f32, b: f32) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

#[derive(Debug, Clone, PartialEq)]
enum Store {
    /// No row has a value yet.
    Absent,
    /// Two `f32` a row: until [`FIT`] rows have both values (`pending`: how many have so far),
    /// or for good (`pending` None: the fit was tried).
    Wide { x: Vec<f32>, y: Vec<f32>, pending: Option<usize> },
    /// Every row is its place's prediction but the rows listed, in row order.
    Predicted { fit: Fit, misses: Vec<(u32, [f32; 2])> },
}

/// X and Y of every row (NaN when missing), given each row's latitude and longitude.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaneColumn {
    len: usize,
    store: Store,
    /// Rows room was asked for ([`PlaneColumn::reserve_exact`]) while nothing was stored: the
    /// room the two `f32` columns take if they come, so that they do not double as they grow.
    room: usize,
}

impl Default for PlaneColumn {
    fn default() -> Self {
        PlaneColumn { len: 0, store: Store::Absent, room: 0 }
    }
}

impl PlaneColumn {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends the next row's pair; `place(i)` is row i's (latitude, longitude), the row being
    /// pushed included.
    pub fn push(&mut self, x: f32, y: f32, place: &dyn Fn(usize) -> (f64, f64)) {
        let i = self.len;
        self.len += 1;
        match &mut self.store {
            Store::Absent if x.is_nan() && y.is_nan() => {}
            Store::Absent => {
                let wide = |v: f32| {
                    let mut c = Vec::with_capacity(self.room.max(i + 1));
                    c.resize(i, f32::NAN);
                    c.push(v);
                    c
                };
                let known = usize::from(!x.is_nan() && !y.is_nan());
                self.store = Store::Wide { x: wide(x), y: wide(y), pending: Some(known) };
                self.settle(place);
            }
            Store::Wide { x: xs, y: ys, pending } => {
                xs.push(x);
                ys.push(y);
                if let Some(known) = pending.as_mut().filter(|_| !x.is_nan() && !y.is_nan()) {
                    *known += 1;
                    self.settle(place);
                }
            }
            Store::Predicted { fit, misses } => {
                let (lat, lon) = place(i);
                if !fit.hits(x, y, lat, lon) {
                    misses.push((i as u32, [x, y]));
                    if misses.len() > FIT + self.len / MISS_SHARE {
                        self.widen(place);
                    }
                }
            }
        }
    }

    /// Once [`FIT`] rows have both values: fits them and keeps the rows as predictions if the
    /// fit gives back all but one in [`MISS_SHARE`] of them.
    fn settle(&mut self, place: &dyn Fn(usize) -> (f64, f64)) {
        // Counted as the rows come, so that rows without feet between them cost nothing here.
        let Store::Wide { x, y, pending } = &mut self.store else { return };
        if pending.is_none_or(|known| known < FIT) {
            return;
        }
        *pending = None;
        let known: Vec<usize> = (0..x.len()).filter(|&i| !x[i].is_nan() && !y[i].is_nan()).collect();
        let rows: Vec<[f64; 4]> = known
            .iter()
            .map(|&i| {
                let (lat, lon) = place(i);
                [lat, lon, f64::from(x[i]), f64::from(y[i])]
            })
            .filter(|r| r.iter().all(|v| v.is_finite()))
            .collect();
        let Some(fit) = Fit::through(&rows) else { return };
        let misses: Vec<(u32, [f32; 2])> = (0..x.len())
            .filter(|&i| {
                let (lat, lon) = place(i);
                !fit.hits(x[i], y[i], lat, lon)
            })
            .map(|i| (i as u32, [x[i], y[i]]))
            .collect();
        if misses.len() * MISS_SHARE <= x.len() {
            self.store = Store::Predicted { fit, misses };
        }
    }

    /// Back to two `f32` a row, for good.
    fn widen(&mut self, place: &dyn Fn(usize) -> (f64, f64)) {
        let (x, y): (Vec<f32>, Vec<f32>) = (0..self.len).map(|i| self.get(i, place)).unzip();
        self.store = Store::Wide { x, y, pending: None };
    }

    /// Row `i`'s pair (NaN when missing).
    #[inline]
    pub fn get(&self, i: usize, place: &dyn Fn(usize) -> (f64, f64)) -> (f32, f32) {
        match &self.store {
            Store::Absent => (f32::NAN, f32::NAN),
            Store::Wide { x, y, .. } => (x[i], y[i]),
            Store::Predicted { fit, misses } => match misses.binary_search_by_key(&(i as u32), |m| m.0) {
                Ok(at) => (misses[at].1[0], misses[at].1[1]),
                Err(_) => {
                    let (lat, lon) = place(i);
                    let p = fit.predict(lat, lon);
                    (p[0], p[1])
                }
            },
        }
    }

    /// Bytes a row takes on average (0 when predicted or absent; the misses are in
    /// [`PlaneColumn::used_bytes`]).
    pub fn width(&self) -> usize {
        match self.store {
            Store::Wide { .. } => 8,
            _ => 0,
        }
    }

    /// Bytes the rows use.
    pub fn used_bytes(&self) -> usize {
        match &self.store {
            Store::Absent => 0,
            Store::Wide { x, .. } => x.len() * 8,
            Store::Predicted { misses, .. } => misses.len() * std::mem::size_of::<(u32, [f32; 2])>(),
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        match &self.store {
            Store::Absent => 0,
            Store::Wide { x, y, .. } => (x.capacity() + y.capacity()) * 4,
            Store::Predicted { misses, .. } => misses.capacity() * std::mem::size_of::<(u32, [f32; 2])>(),
        }
    }

    pub(crate) fn reserve_exact(&mut self, n: usize) {
        match &mut self.store {
            Store::Absent => self.room = self.len + n,
            Store::Wide { x, y, .. } => {
                x.reserve_exact(n);
                y.reserve_exact(n);
            }
            Store::Predicted { .. } => {}
        }
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        self.room = 0;
        match &mut self.store {
            Store::Absent => {}
            Store::Wide { x, y, .. } => {
                x.shrink_to_fit();
                y.shrink_to_fit();
            }
            Store::Predicted { misses, .. } => misses.shrink_to_fit(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// A column of `rows` (latitude, longitude, x, y), each read back bit for bit.
    fn column(rows: &[[f64; 4]]) -> PlaneColumn {
        let place = |i: usize| (rows[i][0], rows[i][1]);
        let mut c = PlaneColumn::default();
        for r in rows {
            c.push(r[2] as f32, r[3] as f32, &place);
        }
        for (i, r) in rows.iter().enumerate() {
            let (x, y) = c.get(i, &place);
            assert!(same(x, r[2] as f32) && same(y, r[3] as f32), "row {i}: {r:?} read back as {x}, {y}");
        }
        c
    }

    /// A Chicago row as the portal writes it: whole State Plane feet (Illinois East, US feet)
    /// and the degrees they project to, printed with nine decimals.
    fn chicago(rng: &mut ChaCha8Rng) -> [f64; 4] {
        use crate::load::layout::projected::{by_code, Inverse};
        let inverse = Inverse::new(by_code(3435).expect("Illinois East (ftUS)")).unwrap();
        let (x, y) = (rng.gen_range(1_100_000..1_205_000) as f64, rng.gen_range(1_813_000..1_952_000) as f64);
        let (lat, lon) = inverse.lat_lon(x, y).unwrap();
        let nine = |v: f64| format!("{v:.9}").parse::<f64>().unwrap();
        [nine(lat), nine(lon), x, y]
    }

    #[test]
    fn projected_feet_cost_nothing_and_read_back_exactly() {
        let mut rng = ChaCha8Rng::seed_from_u64(38);
        let mut rows: Vec<[f64; 4]> = (0..20_000).map(|_| chicago(&mut rng)).collect();
        // Stray rows: no feet, an X of 0, a pair from elsewhere.
        rows[3][2] = f64::NAN;
        rows[3][3] = f64::NAN;
        rows[100] = [41.8, -87.6, 0.0, 0.0];
        rows[15_000][2] += 3.0;
        let c = column(&rows);
        assert_eq!(c.width(), 0);
        assert_eq!(c.used_bytes(), 3 * 12, "the three stray rows only");
    }

    #[test]
    fn other_numbers_keep_two_floats_a_row_and_none_keeps_nothing() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        // Feet with decimals; numbers that are no function of the place.
        let decimals: Vec<[f64; 4]> = (0..2_000)
            .map(|_| {
                let r = chicago(&mut rng);
                [r[0], r[1], r[2] + 0.25, r[3]]
            })
            .collect();
        assert_eq!(column(&decimals).width(), 8);
        let noise: Vec<[f64; 4]> = (0..2_000)
            .map(|_| [41.8, -87.6, rng.gen_range(0.0..1e6f64).round(), rng.gen_range(0.0..1e6f64).round()])
            .collect();
        assert_eq!(column(&noise).width(), 8);
        let none: Vec<[f64; 4]> =
            (0..2_000).map(|i| [41.8 + i as f64 * 1e-4, -87.6, f64::NAN, f64::NAN]).collect();
        let c = column(&none);
        assert_eq!((c.width(), c.used_bytes()), (0, 0));
        // Predicted rows, then a run of misses past the share: the column widens, every row kept.
        let mut late: Vec<[f64; 4]> = (0..4_000).map(|_| chicago(&mut rng)).collect();
        late.extend((0..1_000).map(|_| [41.8, -87.6, rng.gen_range(0.0..1e6f64).round(), 5.0]));
        assert_eq!(column(&late).width(), 8);
        // Fewer rows with feet than the fit needs: held as they are.
        assert_eq!(column(&late[..FIT - 1]).width(), 8);
        // Feet on one row in ten: the fit is tried once, at the 512th, and the rows without feet
        // are too many misses; every row still reads back.
        let sparse: Vec<[f64; 4]> = (0..10_000)
            .map(|i| {
                let r = chicago(&mut rng);
                if i % 10 == 0 {
                    r
                } else {
                    [r[0], r[1], f64::NAN, f64::NAN]
                }
            })
            .collect();
        assert_eq!(column(&sparse).width(), 8);
    }
}
