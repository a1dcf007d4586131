//! The hotspot methods compared by the back-test, each turned into a ranking of the study cells
//! fitted on the training rows alone.
//!
//! Every method ends as an order of cells, riskiest first, so all are scored the same way at the
//! same coverage. Cells a method cannot tell apart (equal scores) come in a fixed pseudo-random
//! order: a method with no opinion is scored as chance would be, not helped by the grid's order.
//!
//! The clustering methods flag areas, not cells. An area's cells rank by the area's density
//! (training incidents per cell), and inside an area the cells nearest its centre come first, so
//! a partly flagged area grows from its middle, as an ellipse drawn around it would.

use rustc_hash::FxHashMap as HashMap;

use serde::{Deserialize, Serialize};

use crate::cluster::dbscan::DbscanParams;
use crate::cluster::hdbscan::HdbscanParams;
use crate::cluster::kmeans::KMeansParams;
use crate::cluster::locations::Locations;
use crate::cluster::{dist2, Points, Progress, NOISE};
use crate::error::AnalysisError;
use crate::model::CrimeTable;
use crate::risk::gistar::gi_star;
use crate::risk::grid::Grid;
use crate::risk::{kde, RiskParams};
use crate::terrain::Layer;

/// A hotspot method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Last period's counts: the training period's last stretch as long as the test period.
    Naive,
    /// The kernel density surface of the training incidents.
    Kde,
    /// K-Means areas (the Voronoi cells of the centres), densest first.
    Kmeans,
    Dbscan,
    Hdbscan,
    /// Getis–Ord Gi* z-score: significant hot cells first.
    GiStar,
    /// The risk grid with the severity term only (no recency, no environment).
    RiskSeverity,
    /// The risk grid with its default weights: severity, recency and environment.
    Risk,
    /// The risk terrain of the environment layers alone (its expected count per cell); only
    /// when layers are given, so not in [`Method::ALL`].
    RiskTerrain,
}

impl Method {
    pub const ALL: [Method; 8] = [
        Method::Naive,
        Method::Kde,
        Method::Kmeans,
        Method::Dbscan,
        Method::Hdbscan,
        Method::GiStar,
        Method::RiskSeverity,
        Method::Risk,
    ];

    /// The name in JSON and URLs.
    pub fn key(self) -> &'static str {
        match self {
            Method::Naive => "naive",
            Method::Kde => "kde",
            Method::Kmeans => "kmeans",
            Method::Dbscan => "dbscan",
            Method::Hdbscan => "hdbscan",
            Method::GiStar => "gi_star",
            Method::RiskSeverity => "risk_severity",
            Method::Risk => "risk",
            Method::RiskTerrain => "risk_terrain",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Method::Naive => "Last period's counts (naive)",
            Method::Kde => "KDE",
            Method::Kmeans => "K-Means areas",
            Method::Dbscan => "DBSCAN clusters",
            Method::Hdbscan => "HDBSCAN clusters",
            Method::GiStar => "Gi* hot spots",
            Method::RiskSeverity => "Risk grid, severity only",
            Method::Risk => "Risk grid (severity + recency + environment)",
            Method::RiskTerrain => "Risk terrain (environment layers)",
        }
    }
}

/// What every method is fitted on: the training rows and the study area.
pub struct Training<'a> {
    pub t: &'a CrimeTable,
    /// The analyst's rows dated before the split, with coordinates on the grid.
    pub rows: &'a [u32],
    /// Every filtered row before the split (located or not): what the risk grid is given.
    pub all_rows: &'a [u32],
    pub grid: &'a Grid,
    /// Grid index of each study cell (a cell where any row of the table before the split has an
    /// incident); rankings index into this.
    pub study: &'a [usize],
    /// Grid cell of each row of the table (`None`: no coordinates, or after the split).
    pub cell: &'a [Option<usize>],
    /// The first instant of the test period, and its length (seconds).
    pub split: i64,
    pub test_len: i64,
    pub cell_m: f64,
    pub bandwidth_m: f64,
    pub kmeans_k: usize,
    /// Environment layers (clipped to the crimes' extent) for [`Method::RiskTerrain`].
    pub layers: &'a [Layer],
}

/// A method's ranking of the study cells, and what it found, in words.
pub struct Ranked {
    pub order: Vec<usize>,
    pub note: String,
}

/// A fixed pseudo-random number per cell (splitmix64): the tie-break.
fn shuffle_key(cell: usize) -> u64 {
    let mut z = (cell as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Study positions ordered by `key` (higher first), ties in the fixed pseudo-random order.
fn order_by(tr: &Training, key: impl Fn(usize) -> (f64, f64)) -> Vec<usize> {
    let keys: Vec<(f64, f64, u64)> = (0..tr.study.len())
        .map(|i| {
            let (a, b) = key(i);
            (a, b, shuffle_key(tr.study[i]))
        })
        .collect();
    let mut order: Vec<usize> = (0..tr.study.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (keys[i], keys[j]);
        b.0.total_cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2))
    });
    order
}

impl Training<'_> {
    /// Training incidents per grid cell, of the rows passing `keep`.
    fn counts(&self, keep: impl Fn(u32) -> bool) -> Vec<f64> {
        let mut c = vec![0.0; self.grid.len()];
        for &r in self.rows.iter().filter(|&&r| keep(r)) {
            if let Some(i) = self.cell[r as usize] {
                c[i] += 1.0;
            }
        }
        c
    }

    fn points(&self) -> Points {
        Points::of(self.t, self.rows)
    }

    /// Fits `method`; `progress` runs 0–1 over this method.
    pub fn rank(&self, method: Method, progress: &mut dyn Progress) -> Result<Ranked, AnalysisError> {
        let study = self.study;
        match method {
            Method::Naive => {
                let from = self.split - self.test_len;
                let c = self.counts(|r| self.t.date.get(r as usize) >= from);
                let n = c.iter().filter(|&&v| v > 0.0).count();
                Ok(Ranked {
                    order: order_by(self, |i| (c[study[i]], 0.0)),
                    note: format!(
                        "{} incidents in the last {} days of training, on {n} cells",
                        c.iter().sum::<f64>(),
                        self.test_len / 86_400
                    ),
                })
            }
            Method::Kde => {
                let d = kde::kde(self.grid, &self.counts(|_| true), self.bandwidth_m);
                Ok(Ranked {
                    order: order_by(self, |i| (d[study[i]], 0.0)),
                    note: format!("bandwidth {} m", self.bandwidth_m),
                })
            }
            Method::GiStar => {
                let mut in_study = vec![false; self.grid.len()];
                study.iter().for_each(|&c| in_study[c] = true);
                let gi = gi_star(self.grid, &self.counts(|_| true), &in_study, 0.05);
                let hot = gi.iter().flatten().filter(|g| g.hot).count();
                Ok(Ranked {
                    order: order_by(self, |i| (gi[study[i]].map_or(f64::NEG_INFINITY, |g| g.z), 0.0)),
                    note: format!(
                        "{hot} significant hot cells (FDR 5 %), {:.1} % of the area",
                        pct(hot, study.len())
                    ),
                })
            }
            Method::Risk | Method::RiskSeverity => {
                let weights =
                    if method == Method::Risk { RiskParams::default().weights } else { [1.0, 0.0, 0.0] };
                let params = RiskParams {
                    cell_m: self.cell_m,
                    bandwidth_m: self.bandwidth_m,
                    weights,
                    ..RiskParams::default()
                };
                // With layers the full grid's environment part is the risk terrain's, as on the
                // Patrol page; severity only has none to take.
                let layers = if method == Method::Risk { self.layers } else { &[] };
                let m =
                    params.check()?.fit_with_layers(self.t, self.all_rows, self.split, layers, &mut |d| {
                        progress.report(d)
                    })?;
                if m.grid != *self.grid {
                    return Err(AnalysisError::Param(
                        "the risk grid does not line up with the back-test's".into(),
                    ));
                }
                let mut score = vec![0.0; self.grid.len()];
                m.cells.iter().for_each(|c| score[c.cell] = c.score);
                let note = match (&m.environment.fit, method) {
                    _ if m.terrain.is_some() => {
                        format!("weights {weights:?}; environment from the risk terrain of the layers")
                    }
                    (Some(f), Method::Risk) => format!(
                        "weights {weights:?}; environment model explains {:.0} % of the deviance",
                        100.0 * f.deviance_explained
                    ),
                    _ => format!("weights {weights:?}"),
                };
                Ok(Ranked { order: order_by(self, |i| (score[study[i]], 0.0)), note })
            }
            Method::RiskTerrain => {
                if self.layers.is_empty() {
                    return Err(AnalysisError::Param("the risk terrain needs environment layers".into()));
                }
                let params = RiskParams {
                    cell_m: self.cell_m,
                    bandwidth_m: self.bandwidth_m,
                    ..RiskParams::default()
                };
                let m = params.check()?.fit_with_layers(
                    self.t,
                    self.all_rows,
                    self.split,
                    self.layers,
                    &mut |d| progress.report(d),
                )?;
                if m.grid != *self.grid {
                    return Err(AnalysisError::Param(
                        "the risk grid does not line up with the back-test's".into(),
                    ));
                }
                let mut expected = vec![0.0; self.grid.len()];
                m.cells.iter().for_each(|c| expected[c.cell] = c.expected);
                let note = m.terrain.as_ref().map_or_else(String::new, |tm| {
                    let names: Vec<String> = tm
                        .factors
                        .iter()
                        .map(|f| format!("{} (RR {:.2})", f.name, f.relative_risk))
                        .collect();
                    format!("factors: {}", names.join(", "))
                });
                Ok(Ranked { order: order_by(self, |i| (expected[study[i]], 0.0)), note })
            }
            Method::Kmeans => self.kmeans(progress),
            Method::Dbscan | Method::Hdbscan => self.density_clusters(method, progress),
        }
    }

    /// K-Means on the training incidents, weighted by place (the portal geocodes to the block,
    /// so incidents share a few tens of thousands of points): each study cell belongs to its
    /// nearest centre.
    fn kmeans(&self, progress: &mut dyn Progress) -> Result<Ranked, AnalysisError> {
        let places = Locations::of(&self.points().xy);
        let k = self.kmeans_k.min(places.len());
        if k == 0 {
            return Err(AnalysisError::Data("no training incident has coordinates".into()));
        }
        let w: Vec<f64> = places.weight.iter().map(|&w| f64::from(w)).collect();
        let model = KMeansParams { k, ..KMeansParams::default() }.check()?.fit_weighted(
            &places.xy,
            Some(&w),
            progress,
        )?;
        let counts = self.counts(|_| true);
        let nearest = |c: usize| {
            let (x, y) = self.grid.centre(c);
            model
                .centres
                .iter()
                .enumerate()
                .map(|(j, m)| (j, dist2(*m, [x, y])))
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .expect("k ≥ 1")
        };
        let area: Vec<(usize, f64)> = self.study.iter().map(|&c| nearest(c)).collect();
        let (mut incidents, mut cells) = (vec![0.0; k], vec![0.0; k]);
        for (i, &(j, _)) in area.iter().enumerate() {
            incidents[j] += counts[self.study[i]];
            cells[j] += 1.0;
        }
        let density: Vec<f64> =
            (0..k).map(|j| if cells[j] > 0.0 { incidents[j] / cells[j] } else { 0.0 }).collect();
        Ok(Ranked {
            order: order_by(self, |i| (density[area[i].0], -area[i].1)),
            note: format!("k = {k}, on {} distinct places", places.len()),
        })
    }

    /// DBSCAN or HDBSCAN on every training incident. A cell belongs to the cluster most of its
    /// clustered incidents belong to; cells with none rank last (in chance order).
    fn density_clusters(&self, method: Method, progress: &mut dyn Progress) -> Result<Ranked, AnalysisError> {
        let points = self.points();
        let n = points.len();
        // Scaled to the training size, so that a filtered back-test (robberies on Friday nights)
        // still finds clusters: the defaults of the Hotspots page suit ~400,000 incidents.
        let min_samples = (n / 8000).clamp(5, 50);
        let (labels, params) = if method == Method::Dbscan {
            let p = DbscanParams { eps_m: 150.0, min_samples };
            let text = format!("eps {} m, min samples {}", p.eps_m, p.min_samples);
            (p.check()?.fit(&points, progress)?.labels, text)
        } else {
            let p = HdbscanParams { min_cluster_size: (n / 1000).clamp(10, 1000), min_samples };
            let text = format!("min cluster size {}, min samples {}", p.min_cluster_size, p.min_samples);
            (p.check()?.fit(&points, progress)?.labels, text)
        };
        // Votes per (cell, label).
        let mut votes: HashMap<(usize, i32), u64> = HashMap::default();
        for (p, &l) in self.rows.iter().zip(&labels) {
            if let (Some(c), true) = (self.cell[*p as usize], l != NOISE) {
                *votes.entry((c, l)).or_default() += 1;
            }
        }
        let mut cell_label: HashMap<usize, (i32, u64)> = HashMap::default();
        for (&(c, l), &v) in &votes {
            let e = cell_label.entry(c).or_insert((l, v));
            if v > e.1 || (v == e.1 && l < e.0) {
                *e = (l, v);
            }
        }
        let clusters = labels.iter().copied().max().map_or(0, |m| (m + 1).max(0) as usize);
        let (mut members, mut cells, mut sum) =
            (vec![0.0; clusters], vec![0.0; clusters], vec![[0.0; 2]; clusters]);
        for (&c, &(l, v)) in &cell_label {
            let l = l as usize;
            members[l] += v as f64;
            cells[l] += 1.0;
            let (x, y) = self.grid.centre(c);
            sum[l] = [sum[l][0] + x * v as f64, sum[l][1] + y * v as f64];
        }
        let key = |i: usize| match cell_label.get(&self.study[i]) {
            Some(&(l, _)) => {
                let l = l as usize;
                let centre = [sum[l][0] / members[l], sum[l][1] / members[l]];
                let (x, y) = self.grid.centre(self.study[i]);
                (members[l] / cells[l], -dist2(centre, [x, y]))
            }
            None => (0.0, 0.0),
        };
        let flagged = cell_label.len();
        Ok(Ranked {
            order: order_by(self, key),
            note: format!(
                "{params}: {clusters} clusters on {flagged} cells ({:.1} % of the area); the rest in chance order",
                pct(flagged, self.study.len())
            ),
        })
    }
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}
