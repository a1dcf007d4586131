//! Which neighbourhoods are high-risk: incidents by community area, police district or beat, from
//! the portal's boundary files (GeoJSON exports).
//!
//! Each located incident is put in the area whose polygon holds it (point in polygon, on the
//! local metric projection), so the counts follow the map even when a record's own area field is
//! empty or wrong; the agreement between the two is reported, which checks both the boundaries and
//! the records. Per area: incidents, incidents per km², arrest rate, and the trend of the last four
//! weeks of the selected rows against the four before.

use std::collections::HashMap;

use geo::{Area as _, BoundingRect, Contains, InteriorPoint, MultiPolygon, Point, Rect, Simplify};
use serde::{Deserialize, Serialize};

use crate::features::{project, unproject};
use crate::filter::{day_of, DAY};
use crate::model::{CrimeTable, NULL_U16, NULL_U8};

mod properties;

/// The kind of area a boundary file describes, told from its properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaKind {
    CommunityArea,
    District,
    Beat,
}

impl AreaKind {
    /// The name of an area whose file gives none: "District 11".
    pub fn default_name(self, id: u16) -> String {
        match self {
            AreaKind::CommunityArea => format!("Area {id}"),
            AreaKind::District => format!("District {id}"),
            AreaKind::Beat => format!("Beat {id}"),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AreaKind::CommunityArea => "community area",
            AreaKind::District => "police district",
            AreaKind::Beat => "beat",
        }
    }

    /// The record's own field for this kind of area (`None`: missing).
    pub fn recorded(self, t: &CrimeTable, r: usize) -> Option<u16> {
        match self {
            // "0" is a portal quirk, not an area.
            AreaKind::CommunityArea => {
                Some(t.community_area[r]).filter(|&a| a != NULL_U8 && a != 0).map(u16::from)
            }
            AreaKind::District => Some(t.district[r]).filter(|&d| d != NULL_U8).map(u16::from),
            AreaKind::Beat => Some(t.beat[r]).filter(|&b| b != NULL_U16),
        }
    }
}

/// One area: its number, name and shape (projected metres).
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    pub id: u16,
    pub name: String,
    pub shape: MultiPolygon<f64>,
    pub km2: f64,
    bbox: Rect<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Boundaries {
    pub kind: AreaKind,
    /// Sorted by id; features with the same id (a district in two pieces) are one area.
    pub areas: Vec<Area>,
    /// Areas a point may be in, per 1 km square: the bounding boxes crossing it.
    index: HashMap<(i64, i64), Vec<usize>>,
}

const INDEX_M: f64 = 1000.0;

/// Why a boundary file cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BoundaryError {
    #[error("not GeoJSON: {0}")]
    NotGeoJson(String),
    #[error("a GeoJSON FeatureCollection of areas was expected")]
    NotCollection,
    #[error(
        "no property numbers the areas (a community area, police district or beat number, such as \
         area_numbe, District or beat_num, on nearly every feature): is this a file of area boundaries?"
    )]
    UnknownKind,
    #[error("feature {0}: {1}")]
    Feature(usize, String),
    #[error("the file has no polygons")]
    Empty,
}

fn text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn project_shape(m: MultiPolygon<f64>) -> MultiPolygon<f64> {
    use geo::MapCoords;
    m.map_coords(|c| {
        let (x, y) = project(c.y, c.x);
        geo::coord! { x: x, y: y }
    })
}

impl Boundaries {
    /// Reads a boundary file: a FeatureCollection of (Multi)Polygons whose properties carry a
    /// community area, district or beat number.
    pub fn from_geojson(text_: &str) -> Result<Boundaries, BoundaryError> {
        let g: geojson::GeoJson =
            text_.parse().map_err(|e: geojson::Error| BoundaryError::NotGeoJson(e.to_string()))?;
        let geojson::GeoJson::FeatureCollection(fc) = g else {
            return Err(BoundaryError::NotCollection);
        };
        let props: Vec<&serde_json::Map<String, serde_json::Value>> =
            fc.features.iter().filter_map(|f| f.properties.as_ref()).collect();
        let keys = properties::detect(&props).ok_or(BoundaryError::UnknownKind)?;
        let kind = keys.kind;
        let mut by_id: HashMap<u16, (String, Vec<geo::Polygon<f64>>)> = HashMap::new();
        for (i, f) in fc.features.into_iter().enumerate() {
            let props = f.properties.unwrap_or_default();
            let Some(id) = props.get(&keys.id).and_then(properties::area_number) else {
                // A feature without a number (a lake, a park the file carries along) is no area.
                continue;
            };
            let name = keys
                .name
                .as_ref()
                .and_then(|k| props.get(k))
                .and_then(text)
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| kind.default_name(id));
            let Some(geom) = f.geometry else { continue };
            let shape: geo::Geometry<f64> = geom
                .value
                .try_into()
                .map_err(|e: geojson::Error| BoundaryError::Feature(i, e.to_string()))?;
            let polys = match shape {
                geo::Geometry::Polygon(p) => vec![p],
                geo::Geometry::MultiPolygon(m) => m.0,
                _ => return Err(BoundaryError::Feature(i, "not a polygon".into())),
            };
            by_id.entry(id).or_insert_with(|| (name, Vec::new())).1.extend(polys);
        }
        Boundaries::from_parts(
            kind,
            by_id.into_iter().map(|(id, (name, polys))| (id, name, MultiPolygon(polys))),
        )
    }

    /// Areas of `kind` from (number, name, shape in longitude/latitude); names are put in title
    /// case. Shared by the GeoJSON reader and the built-in reference layers.
    pub fn from_parts(
        kind: AreaKind,
        parts: impl IntoIterator<Item = (u16, String, MultiPolygon<f64>)>,
    ) -> Result<Boundaries, BoundaryError> {
        let mut areas: Vec<Area> = parts
            .into_iter()
            .filter_map(|(id, name, shape)| {
                let shape = project_shape(shape);
                let bbox = shape.bounding_rect()?;
                let km2 = shape.unsigned_area() / 1e6;
                Some(Area { id, name: title_case(&name), shape, km2, bbox })
            })
            .collect();
        if areas.is_empty() {
            return Err(BoundaryError::Empty);
        }
        areas.sort_by_key(|a| a.id);
        let mut index: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
        for (i, a) in areas.iter().enumerate() {
            let (lo, hi) = (a.bbox.min(), a.bbox.max());
            for cx in (lo.x / INDEX_M).floor() as i64..=(hi.x / INDEX_M).floor() as i64 {
                for cy in (lo.y / INDEX_M).floor() as i64..=(hi.y / INDEX_M).floor() as i64 {
                    index.entry((cx, cy)).or_default().push(i);
                }
            }
        }
        Ok(Boundaries { kind, areas, index })
    }

    /// The area holding the point (projected metres), by its position in `areas`.
    pub fn locate(&self, x: f64, y: f64) -> Option<usize> {
        if !(x.is_finite() && y.is_finite()) {
            return None;
        }
        let p = Point::new(x, y);
        self.index
            .get(&((x / INDEX_M).floor() as i64, (y / INDEX_M).floor() as i64))?
            .iter()
            .copied()
            .find(|&i| self.areas[i].bbox.contains(&p) && self.areas[i].shape.contains(&p))
    }

    /// The area of each row of `t` (`None`: no coordinates, or outside every polygon). Rows at
    /// the same place (the portal geocodes to the block) are looked up once.
    pub fn assign(&self, t: &CrimeTable, rows: &[u32]) -> Vec<Option<usize>> {
        let mut seen: HashMap<(u64, u64), Option<usize>> = HashMap::new();
        rows.iter()
            .map(|&r| {
                let (la, lo) = (t.latitude.get(r as usize), t.longitude.get(r as usize));
                *seen.entry((la.to_bits(), lo.to_bits())).or_insert_with(|| {
                    let (x, y) = project(la, lo);
                    self.locate(x, y)
                })
            })
            .collect()
    }
}

/// An area's outline for drawing on the page: outer rings simplified (Ramer–Douglas–Peucker on
/// the metric projection) and given back as (longitude, latitude); a point inside for its label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outline {
    pub id: u16,
    pub name: String,
    pub km2: f64,
    pub rings: Vec<Vec<(f64, f64)>>,
    /// (latitude, longitude) of a point inside the area.
    pub inside: (f64, f64),
}

impl Boundaries {
    /// Every area's outline, simplified to within `tolerance_m` metres (a few tens of metres
    /// keeps a city map's look and cuts the portal's files to a tenth).
    pub fn outlines(&self, tolerance_m: f64) -> Vec<Outline> {
        let back = |c: &geo::Coord<f64>| {
            let (la, lo) = unproject(c.x, c.y);
            (lo, la)
        };
        self.areas
            .iter()
            .map(|a| {
                let rings = a
                    .shape
                    .0
                    .iter()
                    .map(|p| p.exterior().simplify(tolerance_m).0.iter().map(back).collect())
                    .collect();
                let inside =
                    a.shape.interior_point().map_or((f64::NAN, f64::NAN), |p| unproject(p.x(), p.y()));
                Outline { id: a.id, name: a.name.clone(), km2: a.km2, rings, inside }
            })
            .collect()
    }
}

/// The first instant of the last 28 whole days up to and including the day of `end`: the
/// "last four weeks" of every trend (areas, the briefing).
pub(crate) fn four_weeks_cut(end: i64) -> i64 {
    (end.div_euclid(DAY) + 1) * DAY - 28 * DAY
}

/// "AUSTIN" → "Austin", "NEAR WEST SIDE" → "Near West Side"; "17TH" and text already in mixed
/// case stay. The portal writes area names and crime types in capitals.
pub fn title_case(s: &str) -> String {
    if s.chars().any(|c| c.is_ascii_digit()) || s.chars().any(|c| c.is_lowercase()) {
        return s.to_string();
    }
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or_else(String::new, |f| f.to_string() + &c.as_str().to_lowercase())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One area's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaStats {
    pub id: u16,
    pub name: String,
    pub km2: f64,
    pub incidents: u64,
    pub per_km2: f64,
    /// Share of its incidents with an arrest (of those whose arrest flag is known).
    pub arrest_rate: Option<f64>,
    /// Incidents in the last 28 days of the selected rows, and in the 28 days before.
    pub last_4_weeks: u64,
    pub previous_4_weeks: u64,
    /// (last − previous) ÷ previous; `None` when the previous four weeks had none.
    pub change: Option<f64>,
}

/// How well the polygons agree with the records' own area fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    /// Rows located in a polygon and with the field filled in.
    pub compared: u64,
    pub matched: u64,
    pub rate: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaReport {
    pub kind: AreaKind,
    /// Every area of the file, most incidents first.
    pub areas: Vec<AreaStats>,
    pub agreement: Agreement,
    /// Selected rows with coordinates in no polygon, and without coordinates.
    pub outside: u64,
    pub unlocated: u64,
    /// The last day of the selected rows (the trend's reference), YYYY-MM-DD.
    pub as_of: Option<String>,
}

/// The figures of every area for `rows` of `t`.
pub fn report(b: &Boundaries, t: &CrimeTable, rows: &[u32]) -> AreaReport {
    let at = b.assign(t, rows);
    let n = b.areas.len();
    let (mut count, mut arrests, mut known, mut last, mut prev) =
        (vec![0u64; n], vec![0u64; n], vec![0u64; n], vec![0u64; n], vec![0u64; n]);
    let end = rows.iter().map(|&r| t.date.get(r as usize)).max();
    // The last 28 whole days up to and including the last day with a row.
    let cut = end.map(four_weeks_cut).unwrap_or(i64::MAX);
    let (mut compared, mut matched, mut outside, mut unlocated) = (0u64, 0u64, 0u64, 0u64);
    for (&r, a) in rows.iter().zip(&at) {
        let r = r as usize;
        let Some(a) = *a else {
            if t.latitude.get(r).is_finite() {
                outside += 1;
            } else {
                unlocated += 1;
            }
            continue;
        };
        count[a] += 1;
        if t.arrest[r] != NULL_U8 {
            known[a] += 1;
            arrests[a] += u64::from(t.arrest[r]);
        }
        let d = t.date.get(r);
        if d >= cut {
            last[a] += 1;
        } else if d >= cut - 28 * DAY {
            prev[a] += 1;
        }
        if let Some(rec) = b.kind.recorded(t, r) {
            compared += 1;
            matched += u64::from(rec == b.areas[a].id);
        }
    }
    let mut areas: Vec<AreaStats> = b
        .areas
        .iter()
        .enumerate()
        .map(|(i, a)| AreaStats {
            id: a.id,
            name: a.name.clone(),
            km2: a.km2,
            incidents: count[i],
            per_km2: if a.km2 > 0.0 { count[i] as f64 / a.km2 } else { 0.0 },
            arrest_rate: (known[i] > 0).then(|| arrests[i] as f64 / known[i] as f64),
            last_4_weeks: last[i],
            previous_4_weeks: prev[i],
            change: (prev[i] > 0).then(|| (last[i] as f64 - prev[i] as f64) / prev[i] as f64),
        })
        .collect();
    areas.sort_by(|x, y| y.incidents.cmp(&x.incidents).then(x.id.cmp(&y.id)));
    AreaReport {
        kind: b.kind,
        areas,
        agreement: Agreement {
            compared,
            matched,
            rate: if compared > 0 { matched as f64 / compared as f64 } else { 0.0 },
        },
        outside,
        unlocated,
        as_of: end.map(day_of),
    }
}

#[cfg(test)]
mod tests;
