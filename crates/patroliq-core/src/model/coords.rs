//! Latitudes and longitudes in four bytes a row while they allow it, read back exactly.
//!
//! Portals write degrees with at most nine decimals (Chicago's `41.881213205`), and a city spans
//! well under a degree. So a row stores its value in nanodegrees as an offset from a base near
//! the first value (±2.1°: 32 bits), and reads it back as `nanodegrees / 1e9` — the double
//! nearest that decimal, which is the double the text was parsed to (IEEE division is correctly
//! rounded and both operands are exact). Each value is checked that way as it is pushed; the
//! first that does not read back identically (more decimals than nine, a computed value, or a
//! place more than 2° from the first) widens the column to `f64` in place, once. Missing
//! coordinates are NaN, as before.

/// The offset that marks NaN.
const MISSING: u32 = u32::MAX;
const SCALE: f64 = 1e9;

#[derive(Debug, Clone, PartialEq)]
pub enum CoordColumn {
    /// Row `i` is `(base + offsets[i]) / 1e9` degrees; no base until the first finite value.
    Narrow {
        base: Option<i64>,
        offsets: Vec<u32>,
    },
    Wide(Vec<f64>),
}

impl Default for CoordColumn {
    fn default() -> Self {
        CoordColumn::Narrow { base: None, offsets: Vec::new() }
    }
}

/// The offset of `v` from `base`, if `v` reads back from it exactly.
#[inline]
fn offset(v: f64, base: i64) -> Option<u32> {
    let x = v * SCALE;
    // NaN, infinite, or beyond the integers a double holds exactly: not narrow.
    if x.is_nan() || x.abs() >= 9e15 {
        return None;
    }
    // Rounded half away from zero without `f64::round`, a libm call on x86-64; any integer near
    // `x` would do, the check below is what makes the value exact.
    let n = (x + 0.5f64.copysign(x)) as i64;
    if (n as f64 / SCALE).to_bits() != v.to_bits() {
        return None;
    }
    u32::try_from(n - base).ok().filter(|&o| o != MISSING)
}

/// A base that puts `v` mid-range: offsets reach 2.1° either side of it.
fn base_near(v: f64) -> i64 {
    ((v * SCALE) as i64).saturating_sub(1 << 31)
}

impl CoordColumn {
    pub fn push(&mut self, v: f64) {
        match self {
            CoordColumn::Narrow { offsets, .. } if v.is_nan() => offsets.push(MISSING),
            CoordColumn::Narrow { base, offsets } => {
                let b = *base.get_or_insert_with(|| base_near(v));
                match offset(v, b) {
                    Some(o) => offsets.push(o),
                    None => {
                        self.widen();
                        self.push(v);
                    }
                }
            }
            CoordColumn::Wide(w) => w.push(v),
        }
    }

    fn widen(&mut self) {
        if let CoordColumn::Narrow { .. } = self {
            let mut wide = Vec::with_capacity(self.capacity());
            wide.extend((0..self.len()).map(|i| self.get(i)));
            *self = CoordColumn::Wide(wide);
        }
    }

    /// Appends `values`, matching on the width once, not per value (the Parquet path's columns).
    pub fn extend(&mut self, values: impl IntoIterator<Item = f64>) {
        let mut values = values.into_iter();
        let mut misfit = None;
        if let CoordColumn::Narrow { base, offsets } = self {
            offsets.reserve(values.size_hint().0);
            for v in values.by_ref() {
                if v.is_nan() {
                    offsets.push(MISSING);
                    continue;
                }
                match offset(v, *base.get_or_insert_with(|| base_near(v))) {
                    Some(o) => offsets.push(o),
                    None => {
                        misfit = Some(v);
                        break;
                    }
                }
            }
        }
        if let Some(v) = misfit {
            self.push(v);
        }
        if let CoordColumn::Wide(w) = self {
            w.extend(values);
        }
    }

    /// Row `i`'s value in degrees (NaN when missing).
    #[inline]
    pub fn get(&self, i: usize) -> f64 {
        match self {
            CoordColumn::Narrow { base, offsets } => match offsets[i] {
                MISSING => f64::NAN,
                o => (base.unwrap_or(0) + i64::from(o)) as f64 / SCALE,
            },
            CoordColumn::Wide(w) => w[i],
        }
    }

    /// Sets row `i`'s value (tests that move rows).
    pub fn set(&mut self, i: usize, v: f64) {
        match self {
            CoordColumn::Narrow { offsets, .. } if v.is_nan() => offsets[i] = MISSING,
            CoordColumn::Narrow { base, offsets } => {
                let b = *base.get_or_insert_with(|| base_near(v));
                match offset(v, b) {
                    Some(o) => offsets[i] = o,
                    None => {
                        self.widen();
                        self.set(i, v);
                    }
                }
            }
            CoordColumn::Wide(w) => w[i] = v,
        }
    }

    /// The least and greatest value of `rows` (`(f64::MAX, f64::MIN)` when none is known) and
    /// whether any is missing: the same as reading each row's value, but a narrow column compares
    /// its offsets (a value is monotone in its offset) and divides twice, not once a row.
    pub fn range_of(&self, rows: &[u32]) -> (f64, f64, bool) {
        match self.offsets() {
            Some(o) => match o.range_of(rows) {
                (Some((lo, hi)), missing) => (o.value(lo), o.value(hi), missing),
                (None, missing) => (f64::MAX, f64::MIN, missing),
            },
            None => rows.iter().fold((f64::MAX, f64::MIN, false), |(lo, hi, missing), &r| {
                let v = self.get(r as usize);
                (lo.min(v), hi.max(v), missing | v.is_nan())
            }),
        }
    }

    /// A narrow column's offsets and how they read back, for readers that work on the integers
    /// (the density cells, `features::cells`); `None` when the column is wide or has no value.
    pub fn offsets(&self) -> Option<Offsets<'_>> {
        match self {
            CoordColumn::Narrow { base: Some(base), offsets } => Some(Offsets { base: *base, offsets }),
            _ => None,
        }
    }

    /// Every row's value, in order, without a copy of the column.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = f64> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Every row's value, in order.
    pub fn to_vec(&self) -> Vec<f64> {
        self.iter().collect()
    }
}

narrow_or_wide!(CoordColumn);

impl CoordColumn {
    pub(crate) fn shrink_to_fit(&mut self) {
        match self {
            CoordColumn::Narrow { offsets, .. } => offsets.shrink_to_fit(),
            CoordColumn::Wide(v) => v.shrink_to_fit(),
        }
    }
}

/// A narrow column's rows as integers: row `i` is `value(offsets[i])` degrees, or missing when
/// its offset is [`Offsets::MISSING`]. A value is increasing in its offset.
#[derive(Clone, Copy)]
pub struct Offsets<'a> {
    base: i64,
    pub offsets: &'a [u32],
}

impl Offsets<'_> {
    pub const MISSING: u32 = MISSING;

    /// The degrees of offset `o` (not [`Offsets::MISSING`]): the value [`CoordColumn::get`] reads.
    #[inline(always)]
    pub fn value(&self, o: u32) -> f64 {
        (self.base + i64::from(o)) as f64 / SCALE
    }

    /// The least and greatest offset of `rows` that is not missing (`None` when all are), and
    /// whether any is missing. Without a branch a row: missing is the greatest `u32`, so it
    /// never lowers the least, and it is masked from the greatest.
    pub fn range_of(&self, rows: &[u32]) -> (Option<(u32, u32)>, bool) {
        let (mut lo, mut hi, mut missing) = (u32::MAX, 0u32, false);
        for &r in rows {
            let o = self.offsets[r as usize];
            let m = o == MISSING;
            missing |= m;
            lo = lo.min(o);
            hi = hi.max(if m { 0 } else { o });
        }
        // Every row missing leaves lo at MISSING and hi at 0 (a row at offset 0 sets both to 0).
        ((lo != MISSING).then_some((lo, hi)), missing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn column(values: &[f64]) -> CoordColumn {
        let mut c = CoordColumn::default();
        c.extend(values.iter().copied());
        let back = c.to_vec();
        for (i, (a, b)) in values.iter().zip(&back).enumerate() {
            assert!(
                a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
                "row {i}: {a} read back as {b}"
            );
        }
        c
    }

    /// Values parsed from text of up to nine decimals within 2° of the first stay four bytes a
    /// row and read back bit for bit, NaNs included, whatever the digits (200,000 generated).
    #[test]
    fn decimals_read_back_exactly_in_four_bytes() {
        let mut rng = ChaCha8Rng::seed_from_u64(38);
        let values: Vec<f64> = (0..200_000)
            .map(|i| match i % 50 {
                0 => f64::NAN,
                _ => {
                    let decimals = rng.gen_range(0..=9);
                    let v = -87.9 + rng.gen_range(-1.0..1.0f64);
                    format!("{v:.decimals$}").parse().unwrap()
                }
            })
            .collect();
        let c = column(&values);
        assert_eq!(c.width(), 4);
        let mut lat = column(&[f64::NAN, 41.881213205, 41.644580105, 42.022535004]);
        assert_eq!(lat.width(), 4);
        lat.set(1, 41.9);
        assert_eq!((lat.get(1), lat.width()), (41.9, 4));
    }

    /// A value with more than nine decimals, far from the first, or -0.0 widens the column: every
    /// row still reads back bit for bit.
    #[test]
    fn other_values_widen_the_column() {
        for odd in [41.881213205123, 41.8 + 1e-10, 45.0, -0.0, f64::INFINITY, -1e300, 1.0 / 3.0] {
            let c = column(&[41.881213205, f64::NAN, odd, 41.5, f64::NAN]);
            assert_eq!(c.width(), 8, "{odd}");
        }
        let mut c = column(&[41.881213205, 41.5]);
        c.set(0, 1.0 / 3.0);
        assert_eq!((c.width(), c.get(0), c.get(1)), (8, 1.0 / 3.0, 41.5));
        // A first value that is NaN sets no base.
        assert_eq!(column(&[f64::NAN, f64::NAN, -87.6, -87.7]).width(), 4);
    }

    /// A range read from the offsets is the range of the values, missing ones noted, however the
    /// column is stored.
    #[test]
    fn ranges_are_those_of_the_values() {
        let values = [41.881213205, f64::NAN, 41.644580105, 42.022535004, 41.9];
        let narrow = column(&values);
        let wide = column(&[values.as_slice(), &[1.0 / 3.0]].concat());
        for c in [&narrow, &wide] {
            assert_eq!(c.range_of(&[0, 2, 3, 4]), (41.644580105, 42.022535004, false));
            assert_eq!(c.range_of(&[1, 4]), (41.9, 41.9, true));
            assert_eq!(c.range_of(&[1]), (f64::MAX, f64::MIN, true));
            assert_eq!(c.range_of(&[]), (f64::MAX, f64::MIN, false));
        }
        assert_eq!((narrow.width(), wide.width()), (4, 8));
    }
}
