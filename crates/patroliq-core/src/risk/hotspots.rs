//! Hotspots from the risk grid: the N riskiest cells, or the significant Gi* hot-spot clusters
//! (significant hot cells joined with their significant neighbours), each with the reasons.

use serde::{Deserialize, Serialize};

use super::{RiskModel, PARTS};
use crate::error::AnalysisError;

/// Hotspots listed unless asked otherwise (`patroliq risk`, the Patrol page).
pub const DEFAULT_HOTSPOTS: usize = 20;

/// The most hotspots one may ask for: as many as a route can visit.
pub const MAX_HOTSPOTS: usize = 200;

/// Checks how many hotspots are asked for, before the risk grid is fitted.
pub fn check_count(n: usize) -> Result<(), AnalysisError> {
    if !(1..=MAX_HOTSPOTS).contains(&n) {
        return Err(AnalysisError::Param(format!(
            "the number of hotspots must be 1–{MAX_HOTSPOTS}, not {n}"
        )));
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum HotspotMode {
    /// The N riskiest cells.
    #[default]
    TopCells,
    /// Clusters of significant Gi* hot cells, riskiest cluster first.
    GiClusters,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hotspot {
    /// 1 = riskiest.
    pub rank: usize,
    /// The point to visit: the centre of the riskiest cell.
    pub lat: f64,
    pub lon: f64,
    /// The hotspot's risk: a cell's score, or a cluster's summed score (what a patrol collects).
    pub score: f64,
    pub incidents: u32,
    /// Grid cells it covers.
    pub cells: Vec<usize>,
    /// Why it is a hotspot, in words.
    pub why: String,
}

impl Hotspot {
    /// A hotspot of one point with no reasons (a hand-placed stop, tests).
    pub fn at(rank: usize, lat: f64, lon: f64, score: f64) -> Hotspot {
        Hotspot { rank, lat, lon, score, incidents: 0, cells: Vec::new(), why: String::new() }
    }
}

fn why(model: &RiskModel, i: usize) -> String {
    let c = &model.cells[i];
    let (k, _) =
        c.parts.iter().enumerate().fold((0, f64::MIN), |b, (k, &v)| if v > b.1 { (k, v) } else { b });
    let mut s = format!(
        "{} incidents, severity-weighted {:.0}; score {:.3} (mostly {}: {:.0} %)",
        c.incidents,
        c.severity,
        c.score,
        PARTS[k],
        if c.score > 0.0 { 100.0 * c.parts[k] / c.score } else { 0.0 },
    );
    if let Some(g) = c.gi {
        s.push_str(&format!("; Gi* z = {:.1}{}", g.z, if g.hot { ", significant" } else { "" }));
    }
    s
}

/// The `n` hotspots of `model` chosen by `mode`.
pub fn hotspots(model: &RiskModel, mode: HotspotMode, n: usize) -> Vec<Hotspot> {
    match mode {
        HotspotMode::TopCells => (0..model.cells.len().min(n))
            .map(|i| {
                let c = &model.cells[i];
                Hotspot {
                    rank: i + 1,
                    lat: c.lat,
                    lon: c.lon,
                    score: c.score,
                    incidents: c.incidents,
                    cells: vec![c.cell],
                    why: why(model, i),
                }
            })
            .collect(),
        HotspotMode::GiClusters => gi_clusters(model, n),
    }
}

fn gi_clusters(model: &RiskModel, n: usize) -> Vec<Hotspot> {
    let g = &model.grid;
    // Position in `model.cells` of each hot grid cell.
    let mut at = vec![usize::MAX; g.len()];
    for (i, c) in model.cells.iter().enumerate() {
        if c.gi.is_some_and(|g| g.hot) {
            at[c.cell] = i;
        }
    }
    let mut seen = vec![false; g.len()];
    let mut out = Vec::new();
    // Cells are riskiest first, so each cluster is found from its riskiest cell.
    for (i, c) in model.cells.iter().enumerate() {
        if at[c.cell] == usize::MAX || seen[c.cell] {
            continue;
        }
        let (mut members, mut stack) = (Vec::new(), vec![c.cell]);
        seen[c.cell] = true;
        while let Some(x) = stack.pop() {
            members.push(x);
            for y in g.window(x) {
                if at[y] != usize::MAX && !seen[y] {
                    seen[y] = true;
                    stack.push(y);
                }
            }
        }
        let score: f64 = members.iter().map(|&m| model.cells[at[m]].score).sum();
        let incidents: u32 = members.iter().map(|&m| model.cells[at[m]].incidents).sum();
        members.sort_unstable();
        out.push(Hotspot {
            rank: 0,
            lat: c.lat,
            lon: c.lon,
            score,
            incidents,
            why: format!("{} significant hot cells; riskiest cell: {}", members.len(), why(model, i)),
            cells: members,
        });
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    out.truncate(n);
    out.iter_mut().enumerate().for_each(|(i, h)| h.rank = i + 1);
    out
}
