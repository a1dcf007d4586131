//! Geographic hotspot clustering of every selected incident, on projected metres.
//!
//! In linfa's style: parameters are validated once into a checked type, then `fit`; errors are
//! values. The algorithms are written here rather than taken from linfa because the worker must
//! report progress and honour Cancel *during* a fit (linfa's `fit` is one blocking call with no
//! hook), and because on 2-D points a flat `[f64; 2]` loop needs no ndarray in the WASM binary.
//! Results are checked against scikit-learn (`scripts/sklearn_reference.py`).

pub mod dbscan;
pub mod hdbscan;
pub mod hierarchical;
pub mod kdtree;
pub mod kmeans;
pub mod locations;
pub mod metrics;
pub mod profile;
pub mod report;

use serde::{Deserialize, Serialize};

use crate::features::project;
use crate::model::CrimeTable;

/// Incidents as points in metres (x east, y north of State & Madison; see [`project`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Points {
    pub xy: Vec<[f64; 2]>,
}

impl Points {
    /// The projected locations of `rows` of `t`.
    pub fn of(t: &CrimeTable, rows: &[u32]) -> Points {
        Points {
            xy: rows
                .iter()
                .map(|&r| {
                    let (x, y) = project(t.latitude.get(r as usize), t.longitude.get(r as usize));
                    [x, y]
                })
                .collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.xy.len()
    }

    pub fn is_empty(&self) -> bool {
        self.xy.is_empty()
    }
}

/// Squared Euclidean distance.
#[inline]
pub fn dist2<const D: usize>(a: [f64; D], b: [f64; D]) -> f64 {
    let mut s = 0.0;
    for i in 0..D {
        let d = a[i] - b[i];
        s += d * d;
    }
    s
}

/// Union-find root of `i`, halving paths on the way.
pub(crate) fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Label of a point left out of every cluster (DBSCAN, HDBSCAN).
pub const NOISE: i32 = -1;

/// Progress of a long fit, 0–1; returns `false` to cancel.
pub trait Progress {
    fn report(&mut self, done: f64) -> bool;
}

impl<F: FnMut(f64) -> bool> Progress for F {
    fn report(&mut self, done: f64) -> bool {
        self(done)
    }
}

/// No progress wanted (tests, the CLI).
pub struct Silent;

impl Progress for Silent {
    fn report(&mut self, _: f64) -> bool {
        true
    }
}

/// The share of noise, %, above which a result is flagged.
pub const NOISE_WARNING: f64 = 90.0;

/// Cluster sizes, descending, with the noise count: what the guard rails look at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sizes {
    pub sizes: Vec<u64>,
    pub noise: u64,
}

impl Sizes {
    pub fn of(labels: &[i32]) -> Sizes {
        let k = labels.iter().copied().max().map_or(0, |m| (m + 1).max(0) as usize);
        let mut sizes = vec![0u64; k];
        let mut noise = 0;
        for &l in labels {
            if l < 0 {
                noise += 1;
            } else {
                sizes[l as usize] += 1;
            }
        }
        sizes.retain(|&s| s > 0);
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        Sizes { sizes, noise }
    }

    /// Plain-language warnings when the result is degenerate: the thing a Python tool once hid
    /// when it crowned a DBSCAN run whose one cluster held 99 % of the points.
    pub fn warnings(&self) -> Vec<String> {
        let total = self.sizes.iter().sum::<u64>() + self.noise;
        let mut w = Vec::new();
        if total == 0 {
            return vec!["no points to cluster".into()];
        }
        let share = |n: u64| n as f64 * 100.0 / total as f64;
        if self.sizes.len() < 2 {
            w.push(format!(
                "only {} cluster{} found",
                self.sizes.len(),
                if self.sizes.len() == 1 { "" } else { "s" }
            ));
        }
        if let Some(&big) = self.sizes.first() {
            if share(big) > 50.0 {
                w.push(format!("one cluster holds {:.1} % of the points", share(big)));
            }
        }
        // Most incidents outside every hotspot is what a hotspot method should find (the
        // defaults leave 56–62 % of the real sample as noise, docs/analyses.md): only a result
        // where almost everything is noise, a handful of places, is degenerate.
        if share(self.noise) > NOISE_WARNING {
            w.push(format!("{:.1} % of the points are noise", share(self.noise)));
        }
        w
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_sort_and_warn_on_degenerate_results() {
        let s = Sizes::of(&[0, 1, 1, 2, 1, NOISE, 1]);
        assert_eq!(s, Sizes { sizes: vec![4, 1, 1], noise: 1 });
        assert_eq!(s.warnings(), vec!["one cluster holds 57.1 % of the points".to_string()]);
        let s = Sizes::of(&[NOISE, NOISE, NOISE, 0]);
        assert_eq!(s.warnings(), vec!["only 1 cluster found".to_string()], "75 % noise is a hotspot result");
        let mut mostly_noise = vec![NOISE; 19];
        mostly_noise.extend([0, 0, 1, 1, 2]);
        assert!(Sizes::of(&mostly_noise).warnings().is_empty(), "79 % noise, three clusters");
        let mut all_noise = vec![NOISE; 95];
        all_noise.extend([0, 0, 1, 1, 1]);
        assert_eq!(Sizes::of(&all_noise).warnings(), vec!["95.0 % of the points are noise".to_string()]);
        assert!(Sizes::of(&[0, 1, 0, 1]).warnings().is_empty());
        assert_eq!(Sizes::of(&[]).warnings(), vec!["no points to cluster".to_string()]);
    }

    #[test]
    fn dbscan_and_hdbscan_default_to_the_same_min_samples_as_the_cli_has_one_flag_for_both() {
        assert_eq!(
            dbscan::DbscanParams::default().min_samples,
            hdbscan::HdbscanParams::default().min_samples
        );
    }
}
