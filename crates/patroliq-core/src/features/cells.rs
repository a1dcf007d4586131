//! A row's density cell read from its coordinates' integer offsets: the same cell
//! `cell(project(lat, lon))` gives, without dividing.
//!
//! Every row's cell is found twice in the EDA of the whole history (counted, then looked up by
//! the correlation): four divisions and two floors a row, a third of `Features::prepare`. A
//! cell along one axis is non-decreasing in the coordinate (each step of the projection and
//! the division by the cell's side is, rounding included), and a narrow coordinate column holds
//! its values as integers increasing with the value. So the offsets at which each cell starts
//! are found once (a binary search a cell, with the very arithmetic of `cell`), and a row's cell
//! is an estimate from its offset corrected against those starts — exact by construction.

use super::{floor_i64, Projection, DENSITY_CELL_M};
use crate::model::{CrimeTable, Offsets};

/// More cells than this along one axis (a country's spread) are found by dividing, as before:
/// their starts would take long to search for the few rows of each.
const MAX_CELLS: i64 = 1 << 16;

/// The cells along one axis of a narrow column's rows.
pub(super) struct Axis<'a> {
    column: Offsets<'a>,
    /// The rows' least and greatest offset.
    first: u32,
    last: u32,
    /// The cell of `first`.
    c0: i64,
    /// `starts[j]`: the least offset in `first..=last` whose cell is `c0 + j`; then `u32::MAX`.
    starts: Vec<u32>,
    /// The estimate of a row's cell: 1 + (offset − `o_ref`) × `per_offset`.
    o_ref: f64,
    per_offset: f64,
}

impl<'a> Axis<'a> {
    /// The cells of offsets `first..=last` of `column`, `cell_of` giving the cell of a value;
    /// `None` when they are too many, or when a cell between two is never reached (then the
    /// starts could not name every offset's cell).
    fn new(column: Offsets<'a>, (first, last): (u32, u32), cell_of: impl Fn(f64) -> i64) -> Option<Self> {
        let at = |o: u32| cell_of(column.value(o));
        let (c0, c1) = (at(first), at(last));
        if c1 - c0 >= MAX_CELLS {
            return None;
        }
        let mut starts = Vec::with_capacity((c1 - c0 + 1) as usize);
        starts.push(first);
        for c in c0 + 1..=c1 {
            // The least offset of cell c or later: at(a) < c ≤ at(b).
            let (mut a, mut b) = (*starts.last().expect("starts at first"), last);
            while b - a > 1 {
                let m = a + (b - a) / 2;
                if at(m) >= c {
                    b = m;
                } else {
                    a = m;
                }
            }
            if at(b) != c {
                return None;
            }
            starts.push(b);
        }
        // The estimate counts cells from the first start inside the span, so that it is off
        // by one at most, only next to a start; checked at every start (the estimate and the
        // cells both never decrease, so within a cell it stays within one of it between its
        // ends), else the cells are found by dividing.
        let n = starts.len();
        let (o_ref, per_offset) = if n >= 3 {
            (f64::from(starts[1]), (n - 2) as f64 / f64::from(starts[n - 1] - starts[1]))
        } else {
            (f64::from(first), 0.0)
        };
        starts.push(u32::MAX);
        let axis = Axis { column, first, last, c0, starts, o_ref, per_offset };
        for j in 0..n {
            let end = if j + 1 < n { axis.starts[j + 1] - 1 } else { last };
            for o in [axis.starts[j], end] {
                if axis.estimate(o).abs_diff(j) > 1 {
                    return None;
                }
            }
        }
        Some(axis)
    }

    /// The cell's index in `starts` that `o` is estimated to be in: never decreasing in `o`.
    #[inline(always)]
    fn estimate(&self, o: u32) -> usize {
        let e = (f64::from(o) - self.o_ref) * self.per_offset + 1.0;
        // Truncated, and below 1 is cell 0 (a float to integer conversion saturates).
        (e as usize).min(self.starts.len() - 2)
    }

    /// The cell of row `i`, or `None` when its offset is outside the prepared rows' (missing, or
    /// a row that was not prepared): the caller divides.
    #[inline(always)]
    fn cell(&self, i: usize) -> Option<i64> {
        self.cell_of(self.column.offsets[i])
    }

    #[inline(always)]
    fn cell_of(&self, o: u32) -> Option<i64> {
        if o < self.first || o > self.last {
            return None;
        }
        // The estimate is within one of the cell (checked in `new`): corrected without a branch.
        let j = self.estimate(o);
        let j = j + usize::from(self.starts[j + 1] <= o) - usize::from(self.starts[j] > o);
        Some(self.c0 + j as i64)
    }
}

/// Both axes' cells of the prepared rows: from the offsets where the columns are narrow, else by
/// dividing the projected metres, as `super::cell` does.
pub(super) struct Cells<'a> {
    table: &'a CrimeTable,
    projection: Projection,
    x: Option<Axis<'a>>,
    y: Option<Axis<'a>>,
}

impl<'a> Cells<'a> {
    /// For rows whose longitudes' and latitudes' offsets span `lon` and `lat` (`None`: a wide
    /// column, or no value).
    pub(super) fn new(
        table: &'a CrimeTable,
        projection: Projection,
        lon: Option<(u32, u32)>,
        lat: Option<(u32, u32)>,
    ) -> Self {
        let side = DENSITY_CELL_M;
        let x = table.longitude.offsets().zip(lon).and_then(|(column, span)| {
            Axis::new(column, span, |v| floor_i64(projection.project(0.0, v).0 / side))
        });
        let y = table.latitude.offsets().zip(lat).and_then(|(column, span)| {
            Axis::new(column, span, |v| floor_i64(projection.project(v, 0.0).1 / side))
        });
        Cells { table, projection, x, y }
    }

    /// Row `i`'s cell: `cell(project(latitude, longitude))`.
    #[inline(always)]
    pub(super) fn of(&self, i: usize) -> (i64, i64) {
        let t = self.table;
        let p = &self.projection;
        let side = DENSITY_CELL_M;
        let cx = self
            .x
            .as_ref()
            .and_then(|a| a.cell(i))
            .unwrap_or_else(|| floor_i64(p.project(0.0, t.longitude.get(i)).0 / side));
        let cy = self
            .y
            .as_ref()
            .and_then(|a| a.cell(i))
            .unwrap_or_else(|| floor_i64(p.project(t.latitude.get(i), 0.0).1 / side));
        (cx, cy)
    }

    /// Whether both axes are read from the offsets (tests).
    #[cfg(test)]
    pub(super) fn read_from_offsets(&self) -> bool {
        self.x.is_some() && self.y.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::cell;
    use crate::features::tests::table;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Rows at nine decimals across a city (and a few missing a coordinate).
    fn city(n: usize, seed: u64, spread: f64) -> CrimeTable {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut csv = String::new();
        for i in 0..n {
            let lat = 41.85 + rng.gen_range(-spread..spread);
            let lon = -87.70 + rng.gen_range(-spread..spread);
            let (lat, lon) = match i % 97 {
                0 => (String::new(), format!("{lon:.9}")),
                1 => (format!("{lat:.9}"), String::new()),
                _ => (format!("{lat:.9}"), format!("{lon:.9}")),
            };
            csv.push_str(&format!("2017-01-01,THEFT,STREET,06,1,false,false,{lat},{lon}\n"));
        }
        table(&csv)
    }

    /// The least and greatest offset of a column's rows.
    type Span = Option<(u32, u32)>;

    fn spans(t: &CrimeTable, rows: &[u32]) -> (Span, Span) {
        let lon = t.longitude.offsets().and_then(|o| o.range_of(rows).0);
        let lat = t.latitude.offsets().and_then(|o| o.range_of(rows).0);
        (lon, lat)
    }

    /// Every row's cell read from its offsets is the cell of its projected metres — rows that
    /// were not prepared and rows missing a coordinate included — and so is every offset on
    /// either side of a cell's start.
    #[test]
    fn cells_from_offsets_are_those_of_the_metres() {
        for (seed, spread) in [(1, 0.2), (2, 0.001), (3, 1.0)] {
            let t = city(20_000, seed, spread);
            let p = Projection::current();
            let rows: Vec<u32> = (0..t.len() as u32).filter(|r| r % 3 != 0).collect();
            let (lon, lat) = spans(&t, &rows);
            let cells = Cells::new(&t, p, lon, lat);
            assert!(cells.read_from_offsets(), "spread {spread}");
            for i in 0..t.len() {
                let want = cell(p.project(t.latitude.get(i), t.longitude.get(i)));
                assert_eq!(cells.of(i), want, "row {i}, spread {spread}");
            }
            for (axis, column, of) in [
                (cells.x.as_ref().unwrap(), t.longitude.offsets().unwrap(), 0),
                (cells.y.as_ref().unwrap(), t.latitude.offsets().unwrap(), 1),
            ] {
                let divided = |o: u32| {
                    let v = column.value(o);
                    let m = if of == 0 { p.project(0.0, v).0 } else { p.project(v, 0.0).1 };
                    floor_i64(m / DENSITY_CELL_M)
                };
                let n = axis.starts.len() - 1;
                assert!(n >= 1);
                for &s in &axis.starts[..n] {
                    for o in s.saturating_sub(2)..=s.saturating_add(2) {
                        if (axis.first..=axis.last).contains(&o) {
                            assert_eq!(axis.cell_of(o), Some(divided(o)), "offset {o}");
                        } else {
                            assert_eq!(axis.cell_of(o), None);
                        }
                    }
                }
            }
        }
    }

    /// A wide column (a computed value) and a column with no value are divided, as before; a
    /// span of one cell is read from the offsets.
    #[test]
    fn wide_empty_and_one_cell_columns() {
        let mut t = city(50, 4, 0.0001);
        let p = Projection::current();
        let rows: Vec<u32> = (0..t.len() as u32).collect();
        let (lon, lat) = spans(&t, &rows);
        let cells = Cells::new(&t, p, lon, lat);
        assert!(cells.read_from_offsets());
        t.latitude.set(5, 1.0 / 3.0 + 41.0);
        let (lon, lat) = spans(&t, &rows);
        let cells = Cells::new(&t, p, lon, lat);
        assert!(cells.x.is_some() && cells.y.is_none());
        for i in 0..t.len() {
            assert_eq!(cells.of(i), cell(p.project(t.latitude.get(i), t.longitude.get(i))), "row {i}");
        }
        let none = Cells::new(&t, p, None, None);
        assert!(none.x.is_none() && none.y.is_none());
        assert_eq!(none.of(5), cell(p.project(t.latitude.get(5), t.longitude.get(5))));
    }
}
