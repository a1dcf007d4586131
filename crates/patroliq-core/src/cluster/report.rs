//! One clustering run as users see it: the algorithm and its parameters, cluster sizes, centres,
//! the three metrics and the guard-rail warnings. Its JSON is what `patroliq cluster --json`
//! prints (a contract: fields are only ever added) and what the worker sends the page.

use serde::{Deserialize, Serialize};

use super::dbscan::DbscanParams;
use super::hdbscan::HdbscanParams;
use super::hierarchical::{Merge, WardParams};
use super::kmeans::KMeansParams;
use super::metrics::{calinski_harabasz, davies_bouldin, SilhouetteSample};
use super::{Points, Progress, Sizes};
use crate::error::AnalysisError;
use crate::features::unproject;

/// Which algorithm, with its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "algo", rename_all = "lowercase")]
pub enum Algorithm {
    Kmeans(KMeansParams),
    Dbscan(DbscanParams),
    Hierarchical(WardParams),
    Hdbscan(HdbscanParams),
}

impl Algorithm {
    pub fn name(&self) -> &'static str {
        match self {
            Algorithm::Kmeans(_) => "kmeans",
            Algorithm::Dbscan(_) => "dbscan",
            Algorithm::Hierarchical(_) => "hierarchical",
            Algorithm::Hdbscan(_) => "hdbscan",
        }
    }
}

/// An [`Algorithm`] whose parameters passed their check.
#[derive(Debug, Clone, PartialEq)]
pub enum AlgorithmValid {
    Kmeans(super::kmeans::KMeansValid),
    Dbscan(super::dbscan::DbscanValid),
    Hierarchical(super::hierarchical::WardValid),
    Hdbscan(super::hdbscan::HdbscanValid),
}

impl Algorithm {
    /// Validates the parameters once (the page calls it for an early message; [`run`] to fit).
    pub fn check(&self) -> Result<AlgorithmValid, AnalysisError> {
        Ok(match self {
            Algorithm::Kmeans(p) => AlgorithmValid::Kmeans(p.clone().check()?),
            Algorithm::Dbscan(p) => AlgorithmValid::Dbscan(p.clone().check()?),
            Algorithm::Hierarchical(p) => AlgorithmValid::Hierarchical(p.clone().check()?),
            Algorithm::Hdbscan(p) => AlgorithmValid::Hdbscan(p.clone().check()?),
        })
    }
}

impl AlgorithmValid {
    /// Each point's cluster (noise −1), and the dendrogram's merges for Ward.
    pub fn fit(
        &self,
        points: &Points,
        progress: &mut dyn Progress,
    ) -> Result<(Vec<i32>, Vec<Merge>), AnalysisError> {
        Ok(match self {
            AlgorithmValid::Kmeans(a) => (a.fit(points, progress)?.labels, Vec::new()),
            AlgorithmValid::Dbscan(a) => (a.fit(points, progress)?.labels, Vec::new()),
            AlgorithmValid::Hierarchical(a) => {
                let m = a.fit(points, progress)?;
                (m.labels, m.merges)
            }
            AlgorithmValid::Hdbscan(a) => (a.fit(points, progress)?.labels, Vec::new()),
        })
    }
}

/// A finished run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterReport {
    pub algo: String,
    pub params: Algorithm,
    pub points: u64,
    pub n_clusters: usize,
    /// Incidents per cluster, largest first; cluster `i` of every per-cluster field is this order.
    pub sizes: Vec<u64>,
    /// Points in no cluster (DBSCAN, HDBSCAN); 0 for the others.
    pub noise: u64,
    /// [latitude, longitude] of each cluster's mean location.
    pub centers: Vec<[f64; 2]>,
    /// On `silhouette_sample` (noise excluded); `null` when undefined (fewer than 2 clusters).
    pub silhouette: Option<f64>,
    pub silhouette_sample: SilhouetteSample,
    /// On every clustered point.
    pub davies_bouldin: Option<f64>,
    pub calinski_harabasz: Option<f64>,
    /// Degenerate results said plainly (one cluster > 50 %, > 90 % noise, < 2 clusters).
    pub warnings: Vec<String>,
    /// Wall-clock time of the fit and metrics, set by the caller (no clock in the core).
    pub seconds: f64,
    /// The dendrogram's merges (hierarchical only), by height.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merges: Vec<Merge>,
}

/// Relabels so that cluster 0 is the largest (noise stays negative).
fn by_size(labels: &mut [i32]) -> usize {
    let k = labels.iter().copied().max().map_or(0, |m| (m + 1).max(0) as usize);
    let mut count = vec![0u64; k];
    labels.iter().filter(|&&l| l >= 0).for_each(|&l| count[l as usize] += 1);
    let mut order: Vec<usize> = (0..k).filter(|&c| count[c] > 0).collect();
    order.sort_by(|&a, &b| count[b].cmp(&count[a]).then(a.cmp(&b)));
    let mut new = vec![-1i32; k];
    order.iter().enumerate().for_each(|(i, &c)| new[c] = i as i32);
    labels.iter_mut().filter(|l| **l >= 0).for_each(|l| *l = new[*l as usize]);
    order.len()
}

/// Runs `algo` on `points`; returns the report and each point's cluster (largest = 0, noise −1).
pub fn run(
    points: &Points,
    algo: &Algorithm,
    sample: &SilhouetteSample,
    progress: &mut dyn Progress,
) -> Result<(ClusterReport, Vec<i32>), AnalysisError> {
    sample.check()?;
    // The fit takes 90 % of the bar, the metrics the rest.
    let mut fit_progress = |d: f64| progress.report(0.9 * d);
    let (mut labels, merges) = algo.check()?.fit(points, &mut fit_progress)?;
    let k = by_size(&mut labels);
    let mut sums = vec![[0.0f64; 2]; k];
    let mut counts = vec![0u64; k];
    for (&l, &p) in labels.iter().zip(&points.xy) {
        if l >= 0 {
            sums[l as usize][0] += p[0];
            sums[l as usize][1] += p[1];
            counts[l as usize] += 1;
        }
    }
    let centers = sums
        .iter()
        .zip(&counts)
        .map(|(s, &n)| {
            let (lat, lon) = unproject(s[0] / n as f64, s[1] / n as f64);
            [lat, lon]
        })
        .collect();
    let sizes = Sizes::of(&labels);
    if !progress.report(0.92) {
        return Err(AnalysisError::Cancelled);
    }
    let report = ClusterReport {
        algo: algo.name().into(),
        params: algo.clone(),
        points: points.len() as u64,
        n_clusters: k,
        warnings: sizes.warnings(),
        noise: sizes.noise,
        sizes: sizes.sizes,
        centers,
        silhouette: sample.score(points, &labels),
        silhouette_sample: sample.clone(),
        davies_bouldin: davies_bouldin(&points.xy, &labels),
        calinski_harabasz: calinski_harabasz(&points.xy, &labels),
        seconds: 0.0,
        merges,
    };
    progress.report(1.0);
    Ok((report, labels))
}

#[cfg(test)]
mod tests {
    use super::super::Silent;
    use super::*;

    #[test]
    fn largest_cluster_first_and_a_degenerate_run_is_flagged() {
        let mut xy = vec![[0.0, 0.0]; 30];
        xy.extend(vec![[5000.0, 5000.0]; 10]);
        let pts = Points { xy };
        let algo = Algorithm::Kmeans(KMeansParams { k: 2, ..Default::default() });
        let (r, labels) = run(&pts, &algo, &SilhouetteSample::default(), &mut Silent).unwrap();
        assert_eq!(r.sizes, vec![30, 10]);
        assert_eq!(labels[0], 0, "the big cluster is cluster 0");
        assert!((r.centers[0][0] - crate::features::CENTRE.0).abs() < 1e-9);
        assert_eq!(r.warnings, vec!["one cluster holds 75.0 % of the points".to_string()]);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["algo"], "kmeans");
        assert_eq!(json["params"]["k"], 2);
        assert!(json.get("merges").is_none());
    }

    #[test]
    fn a_partition_into_large_clusters_is_called_areas_and_small_ones_hotspots() {
        // Two groups 5 km apart, each spread over about 1.5 km (hull ≈ 2 km²), or over 100 m.
        let spread = |d: f64| {
            let mut xy = Vec::new();
            for (cx, cy) in [(0.0, 0.0), (5000.0, 0.0)] {
                for (i, j) in [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0), (0.5, 0.5)] {
                    xy.push([cx + i * d, cy + j * d]);
                }
            }
            Points { xy }
        };
        let view = |pts: &Points, algo: Algorithm| {
            let (report, labels) = run(pts, &algo, &SilhouetteSample::default(), &mut Silent).unwrap();
            // `called` reads only the areas: each cluster's bounding box stands for its hull.
            let profiles = (0..report.n_clusters)
                .map(|c| {
                    let m: Vec<[f64; 2]> =
                        pts.xy.iter().zip(&labels).filter(|(_, &l)| l == c as i32).map(|(p, _)| *p).collect();
                    let (w, h) = (
                        m.iter().map(|p| p[0]).fold(f64::MIN, f64::max)
                            - m.iter().map(|p| p[0]).fold(f64::MAX, f64::min),
                        m.iter().map(|p| p[1]).fold(f64::MIN, f64::max)
                            - m.iter().map(|p| p[1]).fold(f64::MAX, f64::min),
                    );
                    super::super::profile::ClusterProfile {
                        size: m.len() as u64,
                        hull: Vec::new(),
                        area_km2: w * h / 1e6,
                        top_types: Vec::new(),
                        peak_hour: 0,
                        arrest_rate: None,
                    }
                })
                .collect();
            ClusterView { report, profiles, map: Default::default() }
        };
        let kmeans = || Algorithm::Kmeans(KMeansParams { k: 2, ..Default::default() });
        assert_eq!(view(&spread(1500.0), kmeans()).called(), "areas");
        assert_eq!(view(&spread(100.0), kmeans()).called(), "hotspots");
        let dbscan = Algorithm::Dbscan(DbscanParams { eps_m: 1200.0, min_samples: 3 });
        assert_eq!(view(&spread(1500.0), dbscan).called(), "hotspots", "density clusters are hotspots");
    }
}

/// Points drawn on the map (a seeded uniform sample; hulls and centres use every point).
pub const MAP_POINTS: usize = 10_000;

/// Everything the Hotspots page shows for one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterView {
    pub report: ClusterReport,
    pub profiles: Vec<super::profile::ClusterProfile>,
    pub map: super::profile::MapSample,
}

/// The largest hull, km², of a cluster that is called a hotspot when the algorithm assigns every
/// incident (K-Means, Ward): 1 km² is about eight Chicago blocks a side — a place a car can
/// patrol. A partition into bigger regions is called "areas".
pub const HOTSPOT_MAX_KM2: f64 = 1.0;

impl ClusterView {
    /// What the page calls the clusters: "hotspots" for DBSCAN and HDBSCAN (they leave the
    /// incidents outside dense places as noise), and for K-Means and Ward only when every
    /// cluster's hull is at most [`HOTSPOT_MAX_KM2`]; "areas" otherwise.
    pub fn called(&self) -> &'static str {
        let partition = matches!(self.report.params, Algorithm::Kmeans(_) | Algorithm::Hierarchical(_));
        if partition && self.profiles.iter().any(|p| p.area_km2 > HOTSPOT_MAX_KM2) {
            "areas"
        } else {
            "hotspots"
        }
    }
}

/// Clusters `rows` of `t` and profiles the clusters: the worker's one call per run.
pub fn analyse(
    t: &crate::CrimeTable,
    rows: &[u32],
    algo: &Algorithm,
    sample: &SilhouetteSample,
    progress: &mut dyn Progress,
) -> Result<ClusterView, AnalysisError> {
    analyse_labelled(t, rows, algo, sample, progress).map(|(v, _)| v)
}

/// The same, with the hotspot of each of `rows` (−1 for noise; 0 is the largest), which the
/// worker keeps for the temporal page's hotspot patterns.
pub fn analyse_labelled(
    t: &crate::CrimeTable,
    rows: &[u32],
    algo: &Algorithm,
    sample: &SilhouetteSample,
    progress: &mut dyn Progress,
) -> Result<(ClusterView, Vec<i32>), AnalysisError> {
    let points = Points::of(t, rows);
    let (report, labels) = run(&points, algo, sample, progress)?;
    let profiles = super::profile::profiles(t, rows, &points, &labels, report.n_clusters);
    let map = super::profile::map_sample(&points, &labels, MAP_POINTS, sample.seed);
    Ok((ClusterView { report, profiles, map }, labels))
}
