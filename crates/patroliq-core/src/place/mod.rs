//! Places by name: a hotspot, a route stop or a ranked cell is named as people say it — its
//! busiest blocks from the records' `Block` column ("100 block of N State St"), its community
//! area and its police district — instead of "41.88295, -87.62927".
//!
//! Areas are named from a boundary file the user loaded, else from the built-in reference layers
//! ([`reference::chicago`]) when the data lies in that city; elsewhere from the records' own
//! area numbers ("District 11"), and never with another city's names.

pub mod block;
pub mod labels;
pub mod reference;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::areas::{AreaKind, Boundaries};
use crate::features::project;
use crate::model::CrimeTable;
use crate::risk::grid::Grid;
use crate::risk::hotspots::{hotspots, Hotspot, HotspotMode};
use crate::risk::RiskModel;

pub use block::say_block;

/// Where something is, in words.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// Its busiest blocks, busiest first, as people say them ("100 block of N State St").
    pub blocks: Vec<String>,
    /// The community area ("Loop") and police district ("District 1 – Central") it is in.
    pub community_area: Option<String>,
    pub district: Option<String>,
}

impl Place {
    /// "100 block of N State St, Loop"; the area alone, or "" when nothing is known.
    pub fn label(&self) -> String {
        match (self.blocks.first(), &self.community_area) {
            (Some(b), Some(a)) => format!("{b}, {a}"),
            (Some(b), None) => b.clone(),
            (None, Some(a)) => a.clone(),
            (None, None) => self.district.clone().unwrap_or_default(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty() && self.community_area.is_none() && self.district.is_none()
    }
}

/// Names community areas and districts: from the boundary files loaded, else the reference
/// layers when the data is in the reference city.
#[derive(Debug, Clone, Copy, Default)]
pub struct Gazetteer<'a> {
    community: Option<&'a Boundaries>,
    district: Option<&'a Boundaries>,
}

impl<'a> Gazetteer<'a> {
    /// `loaded`: boundary files the user gave (any kinds); `in_reference_city`: whether the
    /// built-in layers fill what they lack.
    pub fn new(loaded: &'a [Boundaries], in_reference_city: bool) -> Gazetteer<'a> {
        let r = reference::chicago();
        let pick = |kind: AreaKind, builtin: &'a Option<Boundaries>| {
            loaded.iter().find(|b| b.kind == kind).or(if in_reference_city { builtin.as_ref() } else { None })
        };
        Gazetteer {
            community: pick(AreaKind::CommunityArea, &r.community_areas),
            district: pick(AreaKind::District, &r.districts),
        }
    }

    /// The gazetteer for `rows` of `t`: the reference city's names only if most of the located
    /// rows (a sample of up to 2,000) fall in it.
    pub fn for_rows(t: &CrimeTable, rows: &[u32], loaded: &'a [Boundaries]) -> Gazetteer<'a> {
        Gazetteer::new(loaded, in_reference_city(t, rows))
    }

    fn area(&self, kind: AreaKind) -> Option<&'a Boundaries> {
        match kind {
            AreaKind::CommunityArea => self.community,
            AreaKind::District => self.district,
            AreaKind::Beat => None,
        }
    }

    /// The name of area `id` of `kind`, if a boundary file or the reference knows it.
    pub fn name(&self, kind: AreaKind, id: u16) -> Option<String> {
        let b = self.area(kind)?;
        b.areas.binary_search_by_key(&id, |a| a.id).ok().map(|i| b.areas[i].name.clone())
    }

    /// The name of the area of `kind` holding (lat, lon).
    pub fn locate(&self, kind: AreaKind, lat: f64, lon: f64) -> Option<String> {
        let b = self.area(kind)?;
        let (x, y) = project(lat, lon);
        b.locate(x, y).map(|i| b.areas[i].name.clone())
    }

    /// The area of `id` of `kind`, km², if a boundary file or the reference knows it.
    pub fn km2(&self, kind: AreaKind, id: u16) -> Option<f64> {
        let b = self.area(kind)?;
        b.areas.binary_search_by_key(&id, |a| a.id).ok().map(|i| b.areas[i].km2)
    }

    /// The name of area `id`, or the kind's default ("District 11") when no file names it.
    pub fn name_or_number(&self, kind: AreaKind, id: u16) -> String {
        self.name(kind, id).unwrap_or_else(|| kind.default_name(id))
    }
}

/// Whether most of `rows`' located incidents lie in the reference city.
pub fn in_reference_city(t: &CrimeTable, rows: &[u32]) -> bool {
    let r = reference::chicago();
    let step = (rows.len() / 2000).max(1);
    let (mut located, mut inside) = (0usize, 0usize);
    for &row in rows.iter().step_by(step) {
        let (la, lo) = (t.latitude.get(row as usize), t.longitude.get(row as usize));
        if la.is_finite() && lo.is_finite() {
            located += 1;
            inside += usize::from(r.near(la, lo));
        }
    }
    located > 0 && inside * 2 > located
}

/// The most frequent value of `f` over `rows`, if any row has one; of tied values the smallest, so
/// a place is named the same on every run (a `HashMap`'s order differs from map to map).
fn mode<T: std::hash::Hash + Ord + Copy>(rows: &[usize], f: impl Fn(usize) -> Option<T>) -> Option<T> {
    let mut count: HashMap<T, u32> = HashMap::new();
    for &r in rows {
        if let Some(v) = f(r) {
            *count.entry(v).or_default() += 1;
        }
    }
    count.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|(v, _)| v)
}

/// How many of a place's busiest blocks are named.
pub const BLOCKS_NAMED: usize = 3;

/// Names each hotspot from the rows of `rows` in its cells (`grid`: the risk grid they were
/// found on): its busiest blocks, and the community area and district of its point (else the
/// areas most of its records name).
pub fn name_hotspots(spots: &mut [Hotspot], grid: &Grid, t: &CrimeTable, rows: &[u32], g: &Gazetteer) {
    let mut of_cell: HashMap<usize, usize> = HashMap::new();
    for (k, h) in spots.iter().enumerate() {
        for &c in &h.cells {
            of_cell.entry(c).or_insert(k);
        }
        if h.cells.is_empty() {
            if let Some(c) = grid.cell_of_latlon(h.lat, h.lon) {
                of_cell.entry(c).or_insert(k);
            }
        }
    }
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); spots.len()];
    for &r in rows {
        let r = r as usize;
        if let Some(&k) =
            grid.cell_of_latlon(t.latitude.get(r), t.longitude.get(r)).and_then(|c| of_cell.get(&c))
        {
            members[k].push(r);
        }
    }
    for (h, rows) in spots.iter_mut().zip(&members) {
        h.place = place_of(h.lat, h.lon, rows, t, g);
    }
}

/// The `n` hotspots of `model` (fitted on `rows` of `t`) chosen by `mode`, each named; the
/// areas' names from `loaded` boundary files first.
pub fn named_hotspots(
    model: &RiskModel,
    mode: HotspotMode,
    n: usize,
    t: &CrimeTable,
    rows: &[u32],
    loaded: &[Boundaries],
) -> Vec<Hotspot> {
    let mut spots = hotspots(model, mode, n);
    name_hotspots(&mut spots, &model.grid, t, rows, &Gazetteer::for_rows(t, rows, loaded));
    spots
}

/// The place at (lat, lon) whose incidents are `rows`.
pub fn place_of(lat: f64, lon: f64, rows: &[usize], t: &CrimeTable, g: &Gazetteer) -> Place {
    let mut count: HashMap<u32, u32> = HashMap::new();
    for &r in rows {
        *count.entry(t.block.code(r)).or_default() += 1;
    }
    let mut busiest: Vec<(u32, u32)> = count.into_iter().collect();
    busiest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let blocks = busiest
        .iter()
        .map(|&(code, _)| say_block(&t.block.values()[code as usize]))
        .filter(|s| !s.is_empty())
        .take(BLOCKS_NAMED)
        .collect();
    let area = |kind: AreaKind| {
        g.locate(kind, lat, lon)
            .or_else(|| mode(rows, |r| kind.recorded(t, r)).map(|id| g.name_or_number(kind, id)))
    };
    Place { blocks, community_area: area(AreaKind::CommunityArea), district: area(AreaKind::District) }
}

#[cfg(test)]
mod tests;
