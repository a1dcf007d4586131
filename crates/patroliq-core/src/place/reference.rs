//! The city's reference layers, built in: Chicago's 77 community areas and 22 police districts
//! with their names, and its expressways and arterials. They name places and carry every map
//! without a boundary file and without the network. `assets/chicago_reference.json` is made from
//! `../shared/data` by `examples/make_reference.rs` (its provenance is in the file's `source`).

use std::sync::OnceLock;

use geo::{LineString, MultiPolygon, Polygon};
use serde::{Deserialize, Serialize};

use crate::areas::{AreaKind, Boundaries, Outline};

/// One area of the asset: outer rings as [longitude, latitude], and a point inside for its label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferenceArea {
    pub id: u16,
    pub name: String,
    pub rings: Vec<Vec<[f64; 2]>>,
    /// [latitude, longitude] of a point inside.
    pub label: [f64; 2],
}

/// A major road: [longitude, latitude] points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Road {
    pub expressway: bool,
    pub line: Vec<[f64; 2]>,
}

/// The file as committed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferenceAsset {
    pub source: String,
    pub community_areas: Vec<ReferenceArea>,
    pub districts: Vec<ReferenceArea>,
    pub roads: Vec<Road>,
}

/// The reference layers, read and indexed.
#[derive(Debug)]
pub struct Reference {
    pub asset: ReferenceAsset,
    pub community_areas: Option<Boundaries>,
    pub districts: Option<Boundaries>,
    /// (south, west, north, east) of the community areas.
    pub bounds: Option<[f64; 4]>,
}

fn boundaries(kind: AreaKind, areas: &[ReferenceArea]) -> Option<Boundaries> {
    let parts = areas.iter().map(|a| {
        let polys = a
            .rings
            .iter()
            .map(|r| {
                Polygon::new(LineString::from(r.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>()), vec![])
            })
            .collect();
        (a.id, a.name.clone(), MultiPolygon(polys))
    });
    Boundaries::from_parts(kind, parts).ok()
}

impl Reference {
    pub fn from_json(text: &str) -> Result<Reference, serde_json::Error> {
        let asset: ReferenceAsset = serde_json::from_str(text)?;
        let mut bounds: Option<[f64; 4]> = None;
        for p in asset.community_areas.iter().flat_map(|a| a.rings.iter().flatten()) {
            let b = bounds.get_or_insert([p[1], p[0], p[1], p[0]]);
            *b = [b[0].min(p[1]), b[1].min(p[0]), b[2].max(p[1]), b[3].max(p[0])];
        }
        Ok(Reference {
            community_areas: boundaries(AreaKind::CommunityArea, &asset.community_areas),
            districts: boundaries(AreaKind::District, &asset.districts),
            bounds,
            asset,
        })
    }

    /// Whether (lat, lon) is within the city's extent (a kilometre or so around its areas).
    pub fn near(&self, lat: f64, lon: f64) -> bool {
        self.bounds.is_some_and(|[s, w, n, e]| {
            let m = 0.01;
            (s - m..=n + m).contains(&lat) && (w - m..=e + m).contains(&lon)
        })
    }

    /// The areas of `kind` as outlines for drawing.
    pub fn outlines(&self, kind: AreaKind) -> Vec<Outline> {
        let (areas, b) = match kind {
            AreaKind::CommunityArea => (&self.asset.community_areas, &self.community_areas),
            AreaKind::District => (&self.asset.districts, &self.districts),
            AreaKind::Beat => return Vec::new(),
        };
        let km2 =
            |id: u16| b.as_ref().and_then(|b| b.areas.iter().find(|a| a.id == id)).map_or(0.0, |a| a.km2);
        areas
            .iter()
            .map(|a| Outline {
                id: a.id,
                name: a.name.clone(),
                km2: km2(a.id),
                rings: a.rings.iter().map(|r| r.iter().map(|p| (p[0], p[1])).collect()).collect(),
                inside: (a.label[0], a.label[1]),
            })
            .collect()
    }
}

/// Chicago's reference layers (read once).
pub fn chicago() -> &'static Reference {
    static R: OnceLock<Reference> = OnceLock::new();
    R.get_or_init(|| {
        Reference::from_json(include_str!("../../assets/chicago_reference.json"))
            .expect("the committed reference asset is valid JSON (examples/make_reference.rs)")
    })
}
