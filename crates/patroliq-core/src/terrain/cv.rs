//! Spatial cross-validation folds: leave one community area out (the cells whose centre is in
//! it), as chapter 5 does with Chicago's neighbourhoods, so a factor is judged on places the fit
//! never saw. Data outside Chicago (fewer than half the cells in a community area) falls back to
//! square blocks of 3 km.

use serde::{Deserialize, Serialize};

use super::elastic::{deviance, fit_path, Coefficients};
use crate::features::unproject;
use crate::place::reference;
use crate::risk::grid::Grid;

const BLOCK_M: f64 = 3000.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Folds {
    /// "community areas" or "3 km blocks".
    pub kind: String,
    pub names: Vec<String>,
    /// The fold of each study cell.
    #[serde(skip)]
    pub of: Vec<usize>,
}

impl Folds {
    pub fn of_cells(grid: &Grid, study: &[usize]) -> Folds {
        let centres: Vec<(f64, f64)> = study.iter().map(|&c| grid.centre(c)).collect();
        if let Some(areas) = reference::chicago().community_areas.as_ref() {
            let found: Vec<Option<usize>> = centres.iter().map(|&(x, y)| areas.locate(x, y)).collect();
            if found.iter().filter(|a| a.is_some()).count() * 2 >= study.len() {
                // Cells in no area (the lake shore, the airport's edge) make one fold of their own.
                let mut names: Vec<String> = areas.areas.iter().map(|a| a.name.clone()).collect();
                let outside = names.len();
                names.push("outside the community areas".into());
                let of: Vec<usize> = found.iter().map(|a| a.unwrap_or(outside)).collect();
                return Folds { kind: "community areas".into(), names, of }.compact();
            }
        }
        let key = |(x, y): (f64, f64)| ((x / BLOCK_M).floor() as i64, (y / BLOCK_M).floor() as i64);
        let mut keys: Vec<(i64, i64)> = centres.iter().map(|&c| key(c)).collect();
        keys.sort_unstable();
        keys.dedup();
        let names = keys
            .iter()
            .map(|&(bx, by)| {
                let (lat, lon) = unproject((bx as f64 + 0.5) * BLOCK_M, (by as f64 + 0.5) * BLOCK_M);
                format!("block at {lat:.3}, {lon:.3}")
            })
            .collect();
        let of = centres.iter().map(|&c| keys.binary_search(&key(c)).expect("a key of the list")).collect();
        Folds { kind: "3 km blocks".into(), names, of }
    }

    /// Only the folds that hold a cell, renumbered.
    fn compact(self) -> Folds {
        let mut used = vec![usize::MAX; self.names.len()];
        let mut names = Vec::new();
        for &f in &self.of {
            if used[f] == usize::MAX {
                used[f] = 0;
            }
        }
        for (f, u) in used.iter_mut().enumerate() {
            if *u == 0 {
                *u = names.len();
                names.push(self.names[f].clone());
            }
        }
        Folds { kind: self.kind, of: self.of.iter().map(|&f| used[f]).collect(), names }
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The rows of the fold `k` and those of every other fold.
    pub fn split(&self, k: usize) -> (Vec<usize>, Vec<usize>) {
        (0..self.of.len()).partition(|&i| self.of[i] == k)
    }
}

/// Held-out Poisson deviance per λ, summed over the folds; a fold whose training rows hold no
/// incident is left out (it cannot be fitted).
pub fn path_deviance(cols: &[Vec<f64>], y: &[f64], folds: &Folds, alpha: f64, lambdas: &[f64]) -> Vec<f64> {
    let mut total = vec![0.0; lambdas.len()];
    for k in 0..folds.len() {
        let (test, train) = folds.split(k);
        let Some(path) = fit_path(cols, y, &train, alpha, lambdas) else { continue };
        for (t, c) in total.iter_mut().zip(&path) {
            *t += held_out(cols, y, &test, c);
        }
    }
    total
}

pub fn held_out(cols: &[Vec<f64>], y: &[f64], test: &[usize], c: &Coefficients) -> f64 {
    deviance(test.iter().map(|&i| y[i]), test.iter().map(|&i| c.eta(cols, i).clamp(-30.0, 30.0).exp()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chicago_cells_fall_in_community_areas_and_elsewhere_in_blocks() {
        // A 2 × 2 km patch of the Loop: cells in Loop (32) and its neighbours.
        let g = Grid { cell_m: 250.0, col0: -4, row0: -4, cols: 8, rows: 8 };
        let study: Vec<usize> = (0..g.len()).collect();
        let f = Folds::of_cells(&g, &study);
        assert_eq!(f.kind, "community areas");
        assert!(f.names.iter().any(|n| n == "Loop"), "{:?}", f.names);
        assert!(f.len() >= 2 && f.of.iter().all(|&k| k < f.len()));
        // 300 km west of Chicago (6 × 6 km, on the 3 km lattice): no community area.
        let far = Grid { cell_m: 250.0, col0: -1200, row0: 0, cols: 24, rows: 24 };
        let f = Folds::of_cells(&far, &(0..far.len()).collect::<Vec<_>>());
        assert_eq!(f.kind, "3 km blocks");
        assert_eq!(f.len(), 4, "{:?}", f.names);
        let (test, train) = f.split(0);
        assert_eq!(test.len() + train.len(), far.len());
    }
}
