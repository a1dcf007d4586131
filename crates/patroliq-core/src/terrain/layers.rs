//! Environment layers read from the files users meet: GeoJSON (points, lines, polygons), CSV with
//! latitude/longitude columns under any usual name, a `"(lat, lon)"` text column, WKT or hex WKB
//! geometry columns. A UTF-8 BOM and quoted multi-line fields are read as the `csv` crate reads
//! them. Everything is kept in the local metric projection ([`crate::features::project`]), as the
//! risk grid is.

use geo::{BoundingRect, Geometry, LineString, MapCoords, Polygon};
use serde::{Deserialize, Serialize};

use super::geometry::{from_wkb_hex, from_wkt, looks_like_wkb, looks_like_wkt};
use crate::features::project;
use crate::load::layout::{key, points::parse_point, LAT_NAMES, LON_NAMES};

/// Why a file cannot be a layer. `kind()` is stable (CLI JSON `error.kind`, tests).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LayerError {
    #[error("the file is empty")]
    Empty,
    #[error(
        "no geometry found: no latitude/longitude columns, and no column of points, WKT or WKB \
         (columns: {0})"
    )]
    NoGeometry(String),
    #[error("row {row}: the WKT geometry cannot be read ({message})")]
    BadWkt { row: usize, message: String },
    #[error("not GeoJSON: {0}")]
    NotGeoJson(String),
    #[error("the CSV cannot be read: {0}")]
    Malformed(String),
}

impl LayerError {
    pub fn kind(&self) -> &'static str {
        match self {
            LayerError::Empty => "empty",
            LayerError::NoGeometry(_) => "no_geometry",
            LayerError::BadWkt { .. } => "bad_wkt",
            LayerError::NotGeoJson(_) => "not_geojson",
            LayerError::Malformed(_) => "malformed",
        }
    }
}

/// A layer: its features in projected metres.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    pub name: String,
    /// Points, and the vertices of multipoints.
    pub points: Vec<(f64, f64)>,
    pub lines: Vec<LineString<f64>>,
    pub polygons: Vec<Polygon<f64>>,
    pub summary: LayerSummary,
}

/// What was read, in numbers (the CLI's and the app's note on a layer).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LayerSummary {
    pub name: String,
    /// Where the geometry was found: "GeoJSON", "latitude/longitude columns School_Latitude,
    /// School_Longitude", "WKT column the_geom", …
    pub source: String,
    /// Records (rows or features) read, and those with no usable geometry (empty, not degrees).
    pub records: usize,
    pub skipped: usize,
    pub points: usize,
    pub lines: usize,
    pub polygons: usize,
    /// Features dropped as outside the crime data's extent ([`Layer::clip`]).
    pub outside: usize,
}

impl Layer {
    /// Reads a layer from a file's bytes; `name` is what it is called (the file's stem by
    /// default).
    pub fn read(name: &str, bytes: &[u8]) -> Result<Layer, LayerError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        let mut layer = Layer {
            name: name.to_string(),
            points: Vec::new(),
            lines: Vec::new(),
            polygons: Vec::new(),
            summary: LayerSummary { name: name.to_string(), ..LayerSummary::default() },
        };
        match first {
            None => return Err(LayerError::Empty),
            Some(b'{') | Some(b'[') => layer.read_geojson(bytes)?,
            Some(_) => layer.read_csv(bytes)?,
        }
        if layer.points.is_empty() && layer.lines.is_empty() && layer.polygons.is_empty() {
            return Err(if layer.summary.records == 0 {
                LayerError::Empty
            } else {
                LayerError::NoGeometry(format!(
                    "{} of {} records have no usable geometry",
                    layer.summary.skipped, layer.summary.records
                ))
            });
        }
        layer.count();
        Ok(layer)
    }

    fn count(&mut self) {
        self.summary.points = self.points.len();
        self.summary.lines = self.lines.len();
        self.summary.polygons = self.polygons.len();
    }

    /// Adds one geometry in longitude/latitude; `false` when it is not in degrees or empty.
    fn add(&mut self, g: Geometry<f64>) -> bool {
        if !degrees(&g) {
            return false;
        }
        let g = g.map_coords(|c| {
            let (x, y) = project(c.y, c.x);
            geo::coord! { x: x, y: y }
        });
        let before = self.points.len() + self.lines.len() + self.polygons.len();
        self.push(g);
        self.points.len() + self.lines.len() + self.polygons.len() > before
    }

    fn push(&mut self, g: Geometry<f64>) {
        match g {
            Geometry::Point(p) => self.points.push((p.x(), p.y())),
            Geometry::MultiPoint(m) => self.points.extend(m.0.iter().map(|p| (p.x(), p.y()))),
            Geometry::Line(l) => self.lines.push(LineString::from(vec![l.start, l.end])),
            Geometry::LineString(l) if l.0.len() >= 2 => self.lines.push(l),
            Geometry::MultiLineString(m) => self.lines.extend(m.0.into_iter().filter(|l| l.0.len() >= 2)),
            Geometry::Polygon(p) if p.exterior().0.len() >= 4 => self.polygons.push(p),
            Geometry::MultiPolygon(m) => {
                self.polygons.extend(m.0.into_iter().filter(|p| p.exterior().0.len() >= 4))
            }
            Geometry::Rect(r) => self.polygons.push(r.to_polygon()),
            Geometry::Triangle(t) => self.polygons.push(t.to_polygon()),
            Geometry::GeometryCollection(c) => c.0.into_iter().for_each(|g| self.push(g)),
            _ => {}
        }
    }

    fn read_geojson(&mut self, bytes: &[u8]) -> Result<(), LayerError> {
        let text = std::str::from_utf8(bytes).map_err(|e| LayerError::NotGeoJson(e.to_string()))?;
        let g: geojson::GeoJson =
            text.parse().map_err(|e: geojson::Error| LayerError::NotGeoJson(e.to_string()))?;
        let geometries: Vec<Option<geojson::Geometry>> = match g {
            geojson::GeoJson::FeatureCollection(fc) => fc.features.into_iter().map(|f| f.geometry).collect(),
            geojson::GeoJson::Feature(f) => vec![f.geometry],
            geojson::GeoJson::Geometry(g) => vec![Some(g)],
        };
        self.summary.source = "GeoJSON".into();
        for g in geometries {
            self.summary.records += 1;
            let usable = g.and_then(|g| Geometry::<f64>::try_from(g.value).ok()).is_some_and(|g| self.add(g));
            self.summary.skipped += !usable as usize;
        }
        Ok(())
    }

    fn read_csv(&mut self, bytes: &[u8]) -> Result<(), LayerError> {
        let delimiter = crate::load::csv::delimiter(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(bytes);
        let headers: Vec<String> = reader
            .byte_headers()
            .map_err(|e| LayerError::Malformed(e.to_string()))?
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_string())
            .collect();
        let mut rows: Vec<Vec<String>> = Vec::new();
        for r in reader.byte_records() {
            let r = r.map_err(|e| LayerError::Malformed(e.to_string()))?;
            rows.push(r.iter().map(|f| String::from_utf8_lossy(f).trim().to_string()).collect());
        }
        if rows.is_empty() {
            return Err(LayerError::Empty);
        }
        let field = |row: &Vec<String>, i: usize| row.get(i).map_or("", |s| s.as_str()).to_string();
        self.summary.records = rows.len();
        match columns(&headers, &rows) {
            Some(Columns::LatLon(la, lo)) => {
                self.summary.source = format!("latitude/longitude columns {}, {}", headers[la], headers[lo]);
                for row in &rows {
                    let (lat, lon) = (field(row, la).parse::<f64>(), field(row, lo).parse::<f64>());
                    let ok = match (lat, lon) {
                        (Ok(lat), Ok(lon)) if !(lat == 0.0 && lon == 0.0) => {
                            self.add(Geometry::Point(geo::Point::new(lon, lat)))
                        }
                        _ => false,
                    };
                    self.summary.skipped += !ok as usize;
                }
            }
            Some(Columns::Text(i, form)) => {
                self.summary.source = format!("{} column {}", form.label(), headers[i]);
                for (r, row) in rows.iter().enumerate() {
                    let s = field(row, i);
                    let g = match form {
                        _ if s.is_empty() => None,
                        TextForm::Wkt => Some(from_wkt(&s).map_err(|message| LayerError::BadWkt {
                            row: r + 1,
                            message: format!("{message}: {}", clip_text(&s)),
                        })?),
                        TextForm::Wkb => from_wkb_hex(&s),
                        TextForm::Point => {
                            parse_point(&s).map(|(lat, lon)| Geometry::Point((lon, lat).into()))
                        }
                    };
                    let ok = g.is_some_and(|g| self.add(g));
                    self.summary.skipped += !ok as usize;
                }
            }
            None => {
                let mut names = headers.join(", ");
                if names.len() > 200 {
                    names = format!("{}…", clip_text(&names));
                }
                return Err(LayerError::NoGeometry(names));
            }
        }
        Ok(())
    }
}

fn clip_text(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Whether every coordinate is finite and within degrees (a projected file's metres are not).
fn degrees(g: &Geometry<f64>) -> bool {
    g.bounding_rect().is_some_and(|r| {
        let (lo, hi) = (r.min(), r.max());
        [lo.x, lo.y, hi.x, hi.y].iter().all(|v| v.is_finite())
            && lo.x >= -180.0
            && hi.x <= 180.0
            && lo.y >= -90.0
            && hi.y <= 90.0
    })
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum TextForm {
    Wkt,
    Wkb,
    /// `"(lat, lon)"` and the other one-column point forms of [`parse_point`].
    Point,
}

impl TextForm {
    fn label(self) -> &'static str {
        match self {
            TextForm::Wkt => "WKT",
            TextForm::Wkb => "WKB",
            TextForm::Point => "point",
        }
    }
}

enum Columns {
    LatLon(usize, usize),
    Text(usize, TextForm),
}

/// Which columns hold the geometry: a latitude and a longitude column by name (exact usual names
/// first, then names ending in "latitude"/"longitude", as `School_Latitude`), checked on the
/// values; else the first column whose sampled values are mostly WKT, WKB or a point.
fn columns(headers: &[String], rows: &[Vec<String>]) -> Option<Columns> {
    let keys: Vec<String> = headers.iter().map(|h| key(h)).collect();
    let sample = &rows[..rows.len().min(200)];
    let numeric_share = |i: usize, limit: f64| {
        let vals: Vec<&str> =
            sample.iter().filter_map(|r| r.get(i)).map(|s| s.as_str()).filter(|s| !s.is_empty()).collect();
        let ok = vals.iter().filter(|s| s.parse::<f64>().is_ok_and(|v| v.abs() <= limit)).count();
        if vals.is_empty() {
            0.0
        } else {
            ok as f64 / vals.len() as f64
        }
    };
    let find = |names: &[&str], suffix: &str, limit: f64| {
        let exact = names.iter().find_map(|n| keys.iter().position(|k| k == n));
        exact
            .or_else(|| keys.iter().position(|k| k.ends_with(suffix)))
            .filter(|&i| numeric_share(i, limit) >= 0.8)
    };
    if let (Some(la), Some(lo)) = (find(&LAT_NAMES, "latitude", 90.0), find(&LON_NAMES, "longitude", 180.0)) {
        if la != lo {
            return Some(Columns::LatLon(la, lo));
        }
    }
    (0..headers.len()).find_map(|i| {
        let vals: Vec<&str> =
            sample.iter().filter_map(|r| r.get(i)).map(|s| s.as_str()).filter(|s| !s.is_empty()).collect();
        if vals.is_empty() {
            return None;
        }
        let share =
            |f: &dyn Fn(&str) -> bool| vals.iter().filter(|s| f(s)).count() as f64 / vals.len() as f64;
        if share(&looks_like_wkt) >= 0.8 {
            Some(Columns::Text(i, TextForm::Wkt))
        } else if share(&looks_like_wkb) >= 0.8 {
            Some(Columns::Text(i, TextForm::Wkb))
        } else if share(&|s| parse_point(s).is_some()) >= 0.8 {
            Some(Columns::Text(i, TextForm::Point))
        } else {
            None
        }
    })
}

/// The name of a layer from its file name: the stem without the shared data's `chicago_env_`
/// prefix and with underscores as spaces ("chicago_env_cta_L_stops.csv" → "cta L stops").
pub fn name_of_file(file: &str) -> String {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let stem = base.split('.').next().unwrap_or(base);
    let stem = stem.strip_prefix("chicago_env_").unwrap_or(stem);
    let name = stem.replace(['_', '-'], " ").trim().to_string();
    if name.is_empty() {
        "layer".into()
    } else {
        name
    }
}

/// The file name of a layer fetched from `url`: its last path segment, percent-decoded, without
/// the query or fragment ("https://x.org/data/liquor%20stores.geojson?v=2" →
/// "liquor stores.geojson"); "layer" when the path ends in a slash.
pub fn file_of_url(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let path = path.split_once("://").map_or(path, |(_, rest)| rest.split_once('/').map_or("", |(_, p)| p));
    let last = path.rsplit('/').next().unwrap_or("");
    let bytes = last.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex =
            bytes.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    let name = String::from_utf8_lossy(&out).trim().to_string();
    if name.is_empty() {
        "layer".into()
    } else {
        name
    }
}

/// The extent layers are kept within: projected metres (west, south, east, north).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Extent {
    pub lo: (f64, f64),
    pub hi: (f64, f64),
}

impl Extent {
    /// The box of `points` grown by `margin` metres on every side (so that a feature just outside
    /// the crimes' box still counts for the cells at its edge).
    pub fn around(points: impl IntoIterator<Item = (f64, f64)>, margin: f64) -> Option<Extent> {
        let mut e: Option<Extent> = None;
        for (x, y) in points.into_iter().filter(|(x, y)| x.is_finite() && y.is_finite()) {
            let b = e.get_or_insert(Extent { lo: (x, y), hi: (x, y) });
            b.lo = (b.lo.0.min(x), b.lo.1.min(y));
            b.hi = (b.hi.0.max(x), b.hi.1.max(y));
        }
        e.map(|b| Extent { lo: (b.lo.0 - margin, b.lo.1 - margin), hi: (b.hi.0 + margin, b.hi.1 + margin) })
    }

    pub fn holds(&self, (x, y): (f64, f64)) -> bool {
        (self.lo.0..=self.hi.0).contains(&x) && (self.lo.1..=self.hi.1).contains(&y)
    }

    fn meets(&self, r: geo::Rect<f64>) -> bool {
        r.min().x <= self.hi.0 && r.max().x >= self.lo.0 && r.min().y <= self.hi.1 && r.max().y >= self.lo.1
    }
}

/// The crimes' extent: every located row of `t`, grown by the widest factor radius.
pub fn crime_extent(t: &crate::model::CrimeTable) -> Option<Extent> {
    Extent::around(
        (0..t.len()).map(|i| project(t.latitude.get(i), t.longitude.get(i))),
        super::factors::RADII[2],
    )
}

impl Layer {
    /// Drops the features outside `extent` (a line or polygon when its box misses it), counted in
    /// `summary.outside`; returns how many.
    pub fn clip(&mut self, extent: &Extent) -> usize {
        let before = self.points.len() + self.lines.len() + self.polygons.len();
        self.points.retain(|&p| extent.holds(p));
        self.lines.retain(|l| l.bounding_rect().is_some_and(|r| extent.meets(r)));
        self.polygons.retain(|p| p.bounding_rect().is_some_and(|r| extent.meets(r)));
        let dropped = before - (self.points.len() + self.lines.len() + self.polygons.len());
        self.summary.outside += dropped;
        self.count();
        dropped
    }

    /// Whether the layer is areas (parks) rather than places: most of its features are polygons.
    pub fn is_areal(&self) -> bool {
        self.polygons.len() > self.points.len() + self.lines.len()
    }
}
