//! A square grid over the city in the local metric projection ([`crate::features::project`]).
//!
//! Cells sit on one lattice anchored at State & Madison, so a cell is the same square of the city
//! whatever rows built the grid: a back-test's training grid and test grid line up.

use serde::{Deserialize, Serialize};

use crate::features::{project, unproject};
use crate::model::CrimeTable;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Grid {
    /// Side of a cell, metres.
    pub cell_m: f64,
    /// Column and row of the south-west cell on the lattice (cell (0, 0) has its south-west
    /// corner at State & Madison).
    pub col0: i64,
    pub row0: i64,
    pub cols: usize,
    pub rows: usize,
}

impl Grid {
    /// The smallest grid holding every point (metres); `None` when there is none.
    pub fn covering(points: impl IntoIterator<Item = (f64, f64)>, cell_m: f64) -> Option<Grid> {
        let (mut lo, mut hi) = ((i64::MAX, i64::MAX), (i64::MIN, i64::MIN));
        for (x, y) in points {
            if !(x.is_finite() && y.is_finite()) {
                continue;
            }
            let (c, r) = ((x / cell_m).floor() as i64, (y / cell_m).floor() as i64);
            lo = (lo.0.min(c), lo.1.min(r));
            hi = (hi.0.max(c), hi.1.max(r));
        }
        (lo.0 <= hi.0).then(|| Grid {
            cell_m,
            col0: lo.0,
            row0: lo.1,
            cols: (hi.0 - lo.0 + 1) as usize,
            rows: (hi.1 - lo.1 + 1) as usize,
        })
    }

    /// The grid over the located rows of `t` dated before `until` (seconds, local time), and the
    /// cell of every row of `t` (`None`: no coordinates, or dated `until` or later). The risk grid
    /// and the back-test both see the table as it stood at `until` through this.
    pub fn of_rows_before(t: &CrimeTable, until: i64, cell_m: f64) -> Option<(Grid, Vec<Option<usize>>)> {
        let xy: Vec<(f64, f64)> = (0..t.len())
            .map(|i| {
                if t.date.get(i) < until {
                    project(t.latitude.get(i), t.longitude.get(i))
                } else {
                    (f64::NAN, f64::NAN)
                }
            })
            .collect();
        let grid = Grid::covering(xy.iter().copied(), cell_m)?;
        let cell = xy.iter().map(|&(x, y)| grid.cell_of(x, y)).collect();
        Some((grid, cell))
    }

    pub fn len(&self) -> usize {
        self.cols * self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The cell holding the point (metres). A point on a border belongs to the cell east or north
    /// of it (cells are half-open squares `[x, x + side) × [y, y + side)`).
    pub fn cell_of(&self, x: f64, y: f64) -> Option<usize> {
        if !(x.is_finite() && y.is_finite()) {
            return None;
        }
        let c = (x / self.cell_m).floor() as i64 - self.col0;
        let r = (y / self.cell_m).floor() as i64 - self.row0;
        (c >= 0 && r >= 0 && (c as usize) < self.cols && (r as usize) < self.rows)
            .then(|| r as usize * self.cols + c as usize)
    }

    pub fn cell_of_latlon(&self, lat: f64, lon: f64) -> Option<usize> {
        let (x, y) = project(lat, lon);
        self.cell_of(x, y)
    }

    /// (column, row) of cell `i` within the grid.
    pub fn col_row(&self, i: usize) -> (usize, usize) {
        (i % self.cols, i / self.cols)
    }

    /// Centre of cell `i`, metres.
    pub fn centre(&self, i: usize) -> (f64, f64) {
        let (c, r) = self.col_row(i);
        (
            ((self.col0 + c as i64) as f64 + 0.5) * self.cell_m,
            ((self.row0 + r as i64) as f64 + 0.5) * self.cell_m,
        )
    }

    /// Centre of cell `i` as (latitude, longitude).
    pub fn centre_latlon(&self, i: usize) -> (f64, f64) {
        let (x, y) = self.centre(i);
        unproject(x, y)
    }

    /// Cell `i` and its (up to 8) neighbours sharing an edge or a corner.
    pub fn window(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let (c, r) = self.col_row(i);
        (-1i64..=1).flat_map(move |dr| {
            (-1i64..=1).filter_map(move |dc| {
                let (cc, rr) = (c as i64 + dc, r as i64 + dr);
                (cc >= 0 && rr >= 0 && (cc as usize) < self.cols && (rr as usize) < self.rows)
                    .then(|| rr as usize * self.cols + cc as usize)
            })
        })
    }

    /// Area of one cell, km².
    pub fn cell_km2(&self) -> f64 {
        self.cell_m * self.cell_m / 1e6
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_on_a_border_belongs_to_the_cell_east_and_north_of_it() {
        let g = Grid::covering([(0.0, 0.0), (999.0, 499.0)], 250.0).unwrap();
        assert_eq!((g.cols, g.rows, g.col0, g.row0), (4, 2, 0, 0));
        assert_eq!(g.cell_of(250.0, 0.0), Some(1));
        assert_eq!(g.cell_of(249.999, 0.0), Some(0));
        assert_eq!(g.cell_of(250.0, 250.0), Some(5));
        assert_eq!(g.cell_of(1000.0, 0.0), None, "past the last column");
        assert_eq!(g.cell_of(f64::NAN, 0.0), None);
        assert_eq!(g.centre(5), (375.0, 375.0));
    }

    #[test]
    fn negative_coordinates_floor_and_the_lattice_is_shared() {
        let g = Grid::covering([(-1.0, -1.0), (10.0, 10.0)], 100.0).unwrap();
        assert_eq!((g.col0, g.row0, g.cols, g.rows), (-1, -1, 2, 2));
        assert_eq!(g.cell_of(-100.0, -100.0), Some(0));
        assert_eq!(g.cell_of(-100.001, 0.0), None);
        let wider = Grid::covering([(-1.0, -1.0), (510.0, 10.0)], 100.0).unwrap();
        assert_eq!(g.centre(3), wider.centre(wider.cell_of(50.0, 50.0).unwrap()));
    }

    #[test]
    fn an_empty_or_all_nan_input_has_no_grid() {
        assert!(Grid::covering(std::iter::empty(), 250.0).is_none());
        assert!(Grid::covering([(f64::NAN, 1.0)], 250.0).is_none());
    }

    #[test]
    fn windows_are_clipped_at_the_edges() {
        let g = Grid { cell_m: 1.0, col0: 0, row0: 0, cols: 3, rows: 3 };
        assert_eq!(g.window(4).count(), 9);
        assert_eq!(g.window(0).collect::<Vec<_>>(), vec![0, 1, 3, 4]);
        assert_eq!(g.window(8).count(), 4);
    }
}
