//! Hotspots from the risk grid: the N riskiest cells, or the significant Gi* hot-spot clusters
//! (significant hot cells joined with their significant neighbours), each with the reasons.

use serde::{Deserialize, Serialize};

use super::grid::Grid;
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
    /// Patrollable hotspot areas: the riskiest cell with its risky neighbours, up to about a
    /// quarter of a square kilometre, and each area at least [`MIN_SEPARATION_M`] from the
    /// others, so N areas are N different places to drive to (see [`patrol_areas`]).
    #[default]
    Areas,
    /// The N riskiest cells.
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
    /// Where it is, by name (filled by [`crate::place::name_hotspots`]; empty until then).
    #[serde(default)]
    pub place: crate::place::Place,
}

impl Hotspot {
    /// A hotspot of one point with no reasons (a hand-placed stop, tests).
    pub fn at(rank: usize, lat: f64, lon: f64, score: f64) -> Hotspot {
        Hotspot {
            rank,
            lat,
            lon,
            score,
            incidents: 0,
            cells: Vec::new(),
            why: String::new(),
            place: Default::default(),
        }
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
                    place: Default::default(),
                }
            })
            .collect(),
        HotspotMode::GiClusters => gi_clusters(model, n),
        HotspotMode::Areas => patrol_areas(model, n),
    }
}

/// The most ground one hotspot area covers, m²: about 500 m × 500 m, what an officer on a 10–15
/// minute stop can cover on foot (the hot-spot dosage studies' "place", a few blocks).
pub const AREA_MAX_M2: f64 = 250_000.0;

/// Two hotspot areas' riskiest cells are at least this far apart, metres: closer ones would be
/// one stop.
pub const MIN_SEPARATION_M: f64 = 800.0;

/// A neighbour joins an area when its score is at least this share of the area's riskiest cell.
const JOIN_SHARE: f64 = 0.5;

/// The most cells of `grid` one hotspot area holds: [`AREA_MAX_M2`] of them, 1–25.
fn area_cells(grid: &Grid) -> usize {
    ((AREA_MAX_M2 / (grid.cell_m * grid.cell_m)).floor() as usize).clamp(1, 25)
}

/// Patrollable areas from single cells already ranked by some forecast (riskiest first; each
/// `Hotspot` one cell of `grid`): a cell next to an area chosen before joins it while the area
/// stays within [`AREA_MAX_M2`]; a cell within [`MIN_SEPARATION_M`] of an area's first cell is
/// otherwise passed over; any other cell starts a new area. The first `n` areas, ranked again.
pub fn spread(ranked: Vec<Hotspot>, grid: &Grid, n: usize) -> Vec<Hotspot> {
    let max_cells = area_cells(grid);
    let mut out: Vec<Hotspot> = Vec::new();
    for h in ranked {
        let Some(&c) = h.cells.first() else { continue };
        let (x, y) = grid.centre(c);
        let seed = |a: &Hotspot| {
            let (sx, sy) = crate::features::project(a.lat, a.lon);
            (sx - x).hypot(sy - y)
        };
        let near: Vec<usize> = (0..out.len()).filter(|&k| seed(&out[k]) < MIN_SEPARATION_M).collect();
        if near.is_empty() {
            if out.len() < n {
                out.push(Hotspot { rank: out.len() + 1, ..h });
            }
            continue;
        }
        if let Some(&k) = near.iter().find(|&&k| {
            out[k].cells.len() < max_cells && out[k].cells.iter().any(|&m| grid.window(m).any(|w| w == c))
        }) {
            let a = &mut out[k];
            a.cells.push(c);
            a.incidents += h.incidents;
            a.score += h.score;
        }
    }
    for a in &mut out {
        if a.cells.len() > 1 {
            a.why = format!(
                "{} adjacent cells ({:.2} km²); {}",
                a.cells.len(),
                a.cells.len() as f64 * grid.cell_km2(),
                a.why
            );
        }
        a.cells.sort_unstable();
    }
    out
}

/// Patrollable hotspot areas, riskiest first: from the riskiest cell not yet used and at least
/// [`MIN_SEPARATION_M`] from every area chosen, the area grows by its riskiest neighbouring cell
/// (sharing an edge or a corner) while that cell scores at least half the first and the area
/// stays within [`AREA_MAX_M2`]. Adjacent hot cells thus become one place, and the N places
/// spread over the city instead of piling up downtown.
pub fn patrol_areas(model: &RiskModel, n: usize) -> Vec<Hotspot> {
    let g = &model.grid;
    let max_cells = area_cells(g);
    let mut at = vec![usize::MAX; g.len()];
    for (i, c) in model.cells.iter().enumerate() {
        at[c.cell] = i;
    }
    let mut used = vec![false; g.len()];
    let mut seeds: Vec<(f64, f64)> = Vec::new();
    let mut out = Vec::new();
    for (i, c) in model.cells.iter().enumerate() {
        if out.len() >= n || c.score <= 0.0 {
            break;
        }
        if used[c.cell] {
            continue;
        }
        let (x, y) = g.centre(c.cell);
        if seeds.iter().any(|&(sx, sy)| (sx - x).hypot(sy - y) < MIN_SEPARATION_M) {
            continue;
        }
        seeds.push((x, y));
        used[c.cell] = true;
        let mut members = vec![c.cell];
        while members.len() < max_cells {
            let next = members
                .iter()
                .flat_map(|&m| g.window(m))
                .filter(|&y| !used[y] && at[y] != usize::MAX)
                .map(|y| (y, model.cells[at[y]].score))
                .filter(|&(_, s)| s >= JOIN_SHARE * c.score)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            let Some((y, _)) = next else { break };
            used[y] = true;
            members.push(y);
        }
        let score: f64 = members.iter().map(|&m| model.cells[at[m]].score).sum();
        let incidents: u32 = members.iter().map(|&m| model.cells[at[m]].incidents).sum();
        let why = if members.len() == 1 {
            why(model, i)
        } else {
            format!(
                "{} adjacent cells ({:.2} km²), {incidents} incidents; riskiest cell: {}",
                members.len(),
                members.len() as f64 * g.cell_km2(),
                why(model, i)
            )
        };
        members.sort_unstable();
        out.push(Hotspot {
            rank: out.len() + 1,
            lat: c.lat,
            lon: c.lon,
            score,
            incidents,
            cells: members,
            why,
            place: Default::default(),
        });
    }
    out
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
            place: Default::default(),
        });
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    out.truncate(n);
    out.iter_mut().enumerate().for_each(|(i, h)| h.rank = i + 1);
    out
}
