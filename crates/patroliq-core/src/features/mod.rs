//! Feature engineering: one numeric row of documented features per incident.
//!
//! [`CATALOGUE`] names, defines and gives the unit of every feature; the app lists it and the
//! README copies it. Missing source values (no district, …) are NaN.

pub mod calendar;
pub mod categories;
mod cells;

use rustc_hash::FxHashMap;
use std::cell::Cell;
use std::f64::consts::TAU;

use crate::model::{CrimeTable, DictColumn, NULL_U16, NULL_U8};
use calendar::Calendar;
use cells::Cells;

/// The city-centre reference: State & Madison, the origin of Chicago's street numbering.
pub const CENTRE: (f64, f64) = (41.881_83, -87.627_76);
/// Mean Earth radius (IUGG), metres.
const EARTH_RADIUS_M: f64 = 6_371_008.8;
/// The features [`Features::coordinate_values`] gives, in its order.
pub const COORDINATE_FEATURES: [&str; 6] =
    ["latitude", "longitude", "x_m", "y_m", "dist_centre_km", "density_250m"];
/// Side of the density cells, metres.
pub const DENSITY_CELL_M: f64 = 250.0;

/// Metres per degree along a meridian (and along the equator): the local projection's scale.
const METRES_PER_DEGREE: f64 = EARTH_RADIUS_M * TAU / 360.0;

/// Local projection to metres: an equirectangular (plate carrée) projection centred on the
/// current [`frame`] (State & Madison, [`CENTRE`], for Chicago's data): x east, y north. Within
/// a city (≈ 40 km across) distances are off by < 0.2 %.
pub fn project(lat: f64, lon: f64) -> (f64, f64) {
    let (c_lat, c_lon, cos) = FRAME.with(Cell::get);
    let k = METRES_PER_DEGREE;
    ((lon - c_lon) * k * cos, (lat - c_lat) * k)
}

/// The inverse of [`project`]: (latitude, longitude) of a point in metres.
pub fn unproject(x: f64, y: f64) -> (f64, f64) {
    let (c_lat, c_lon, cos) = FRAME.with(Cell::get);
    let k = METRES_PER_DEGREE;
    (c_lat + y / k, c_lon + x / (k * cos))
}

thread_local! {
    /// The centre of [`project`] and the cosine of its latitude. Per thread, because the dataset
    /// is: the app's worker and the CLI hold one table at a time and set it when a table becomes
    /// current ([`set_frame_for`]); a test's thread starts at Chicago's.
    static FRAME: Cell<(f64, f64, f64)> = Cell::new((CENTRE.0, CENTRE.1, CENTRE.0.to_radians().cos()));
}

/// The centre of the metric projection now in use.
pub fn frame() -> (f64, f64) {
    FRAME.with(|f| (f.get().0, f.get().1))
}

/// Centres [`project`] on a dataset: State & Madison for Chicago's (every Chicago result stays
/// what it was), the median incident for another city's, so that its metres are true metres
/// (centred on Chicago, Los Angeles' east–west distances came out 10 % short and its 250 m cells
/// 277 m wide).
pub fn set_frame_for(t: &CrimeTable, chicago: bool) {
    let centre = if chicago || t.is_empty() {
        CENTRE
    } else {
        let median =
            |c: &crate::model::CoordColumn| crate::float::finite_median(c.iter()).unwrap_or(f64::NAN);
        (median(&t.latitude), median(&t.longitude))
    };
    set_frame(centre.0, centre.1);
}

/// Centres [`project`] on a point: the app's page thread follows its worker's frame with it
/// (`DatasetSummary::centre`).
pub fn set_frame(lat: f64, lon: f64) {
    let (lat, lon) = if lat.is_finite() && lon.is_finite() && lat.abs() < 89.0 { (lat, lon) } else { CENTRE };
    FRAME.with(|f| f.set((lat, lon, lat.to_radians().cos())));
}

/// One feature: its column name, what it is, and its unit.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct FeatureSpec {
    pub name: &'static str,
    pub group: &'static str,
    pub definition: &'static str,
    pub unit: &'static str,
}

macro_rules! spec {
    ($name:literal, $group:literal, $def:literal, $unit:literal) => {
        FeatureSpec { name: $name, group: $group, definition: $def, unit: $unit }
    };
}

/// How many of [`CATALOGUE`]'s features come first and depend only on the hour a row falls in
/// (its date, truncated to the hour): a sum over rows can compute them once an hour
/// ([`Features::time_values`]).
pub const TIME_FEATURES: usize = 14;

/// Every feature, in column order.
pub const CATALOGUE: [FeatureSpec; 33] = [
    spec!("hour", "temporal", "Hour of the incident's Date, local time", "hour 0–23"),
    spec!("weekday", "temporal", "Day of the week", "0 = Monday … 6 = Sunday"),
    spec!("month", "temporal", "Calendar month", "1–12"),
    spec!("day_of_year", "temporal", "Day of the year", "1–366"),
    spec!("season", "temporal", "Meteorological season", "0 winter (Dec–Feb), 1 spring, 2 summer, 3 autumn"),
    spec!("is_weekend", "temporal", "Saturday or Sunday", "0/1"),
    spec!("is_night", "temporal", "Between 20:00 and 05:59", "0/1"),
    spec!("is_holiday", "temporal", "A US federal holiday (observed day, 5 U.S.C. 6103)", "0/1"),
    spec!("hour_sin", "temporal", "sin(2π·hour/24): hour on a circle, 23:00 next to 00:00", "−1…1"),
    spec!("hour_cos", "temporal", "cos(2π·hour/24)", "−1…1"),
    spec!("weekday_sin", "temporal", "sin(2π·weekday/7)", "−1…1"),
    spec!("weekday_cos", "temporal", "cos(2π·weekday/7)", "−1…1"),
    spec!("month_sin", "temporal", "sin(2π·(month−1)/12)", "−1…1"),
    spec!("month_cos", "temporal", "cos(2π·(month−1)/12)", "−1…1"),
    spec!("latitude", "geographic", "Latitude (WGS84)", "degrees"),
    spec!("longitude", "geographic", "Longitude (WGS84)", "degrees"),
    spec!(
        "x_m",
        "geographic",
        "Metres east of State & Madison (another city: of its median incident), equirectangular projection centred there",
        "m"
    ),
    spec!("y_m", "geographic", "Metres north of State & Madison (another city: of its median incident)", "m"),
    spec!(
        "x_norm",
        "geographic",
        "x_m scaled to 0–1 over the rows analysed (all loaded, or the filtered ones)",
        "0–1"
    ),
    spec!("y_norm", "geographic", "y_m scaled to 0–1 over the rows analysed", "0–1"),
    spec!("district", "geographic", "Police district", "code 1–31"),
    spec!("beat", "geographic", "Police beat", "code"),
    spec!("ward", "geographic", "City council ward", "1–50"),
    spec!("community_area", "geographic", "Community area", "1–77"),
    spec!("dist_centre_km", "geographic", "Straight-line distance to State & Madison (another city: its median incident)", "km"),
    spec!(
        "density_250m",
        "geographic",
        "Incidents among the rows analysed in the same 250 m × 250 m cell",
        "incidents"
    ),
    spec!("crime_type", "categorical", "Primary Type, coded by frequency (0 = most frequent)", "code"),
    spec!(
        "location_group",
        "categorical",
        "Location Description in 12 groups (street, residence, parking, …)",
        "code 0–11"
    ),
    spec!("fbi_code", "categorical", "FBI Code, coded by frequency (0 = most frequent)", "code"),
    spec!("is_index_crime", "categorical", "FBI UCR Part I offence (01A–07, 09)", "0/1"),
    spec!("arrest", "categorical", "An arrest was made", "0/1"),
    spec!("domestic", "categorical", "Domestic-related", "0/1"),
    spec!("severity", "categorical", "Severity from the FBI UCR hierarchy (see README)", "1–10"),
];

/// Position of the feature `name` in [`CATALOGUE`] (and in a row of [`Features::row`]).
pub fn index_of(name: &str) -> Option<usize> {
    CATALOGUE.iter().position(|s| s.name == name)
}

/// The features of every row of a table, column by column.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureMatrix {
    pub columns: Vec<Vec<f64>>,
    /// Category labels for the coded columns (`crime_type`, `fbi_code`), by code.
    pub crime_types: Vec<String>,
    pub fbi_codes: Vec<String>,
}

impl FeatureMatrix {
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, Vec::len)
    }

    pub fn column(&self, name: &str) -> Option<&[f64]> {
        index_of(name).map(|i| self.columns[i].as_slice())
    }
}

/// Codes dictionary entries by descending frequency among `rows`, so code 0 is the most common.
fn frequency_codes(column: &DictColumn, rows: &[u32]) -> (Vec<f64>, Vec<String>) {
    let values = column.values();
    let counts = column.counts_of(rows);
    let mut order: Vec<usize> = (0..values.len()).filter(|&i| counts[i] > 0).collect();
    order.sort_by(|&a, &b| counts[b].cmp(&counts[a]).then(values[a].cmp(&values[b])));
    let mut rank = vec![f64::NAN; values.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r as f64;
    }
    (rank, order.iter().map(|&i| values[i].clone()).collect())
}

fn flag(b: bool) -> f64 {
    f64::from(u8::from(b))
}

fn code_u8(v: u8) -> f64 {
    if v == NULL_U8 {
        f64::NAN
    } else {
        f64::from(v)
    }
}

fn cell((x, y): (f64, f64)) -> (i64, i64) {
    (floor_i64(x / DENSITY_CELL_M), floor_i64(y / DENSITY_CELL_M))
}

/// `v.floor() as i64`, NaN (0) and saturation included, without `floor`: natively a call into
/// libm for a baseline x86-64 build (no SSE4.1 rounding instruction), 7 % of the EDA of the
/// whole history; in WebAssembly an instruction either way.
#[inline(always)]
fn floor_i64(v: f64) -> i64 {
    let t = v as i64;
    if (t as f64) > v {
        t.saturating_sub(1)
    } else {
        t
    }
}

/// [`project`] with its frame read once: the same arithmetic, without a thread-local read a row.
#[derive(Clone, Copy)]
struct Projection {
    c_lat: f64,
    c_lon: f64,
    cos: f64,
}

impl Projection {
    fn current() -> Self {
        let (c_lat, c_lon, cos) = FRAME.with(Cell::get);
        Projection { c_lat, c_lon, cos }
    }

    #[inline(always)]
    fn project(&self, lat: f64, lon: f64) -> (f64, f64) {
        let k = METRES_PER_DEGREE;
        ((lon - self.c_lon) * k * self.cos, (lat - self.c_lat) * k)
    }
}

/// Rows per density cell of the prepared rows. A city's cells fill a small rectangle (Chicago's
/// 8.3 M rows: ~30,000 cells), counted in a dense grid — the lookup on every row's features was
/// a hash probe, a fifth of the EDA of the whole history; rows spread wider (coordinates across
/// a country) are counted in a hash map. Either counts the same cells, NaN coordinates in cell
/// (0, 0) as `cell` makes them.
enum Density {
    Grid { x0: i64, y0: i64, width: i64, height: i64, counts: Vec<u32> },
    Map(FxHashMap<(i64, i64), u32>),
}

impl Density {
    /// Cells a grid may have: 16 MB of counts.
    const MAX_GRID: i64 = 1 << 22;

    #[cfg(test)]
    fn count(cells: impl Iterator<Item = (i64, i64)> + Clone) -> Density {
        let (mut lo, mut hi) = ((i64::MAX, i64::MAX), (i64::MIN, i64::MIN));
        for (cx, cy) in cells.clone() {
            lo = (lo.0.min(cx), lo.1.min(cy));
            hi = (hi.0.max(cx), hi.1.max(cy));
        }
        Density::count_within(lo, hi, cells)
    }

    /// Counts `cells`, all of them within `lo`..=`hi` (an empty extent when there are none).
    fn count_within(lo: (i64, i64), hi: (i64, i64), cells: impl Iterator<Item = (i64, i64)>) -> Density {
        let span = |a: i64, b: i64| b.checked_sub(a).and_then(|d| d.checked_add(1));
        let size = span(lo.0, hi.0).zip(span(lo.1, hi.1)).and_then(|(w, h)| Some((w, h, w.checked_mul(h)?)));
        match size {
            Some((width, height, n)) if n <= Self::MAX_GRID => {
                let mut counts = vec![0u32; n as usize];
                for (cx, cy) in cells {
                    counts[((cy - lo.1) * width + (cx - lo.0)) as usize] += 1;
                }
                Density::Grid { x0: lo.0, y0: lo.1, width, height, counts }
            }
            // No rows (an empty span) or too wide a spread.
            _ => {
                let mut map: FxHashMap<(i64, i64), u32> = FxHashMap::default();
                for c in cells {
                    *map.entry(c).or_default() += 1;
                }
                Density::Map(map)
            }
        }
    }

    #[inline(always)]
    fn get(&self, (cx, cy): (i64, i64)) -> u32 {
        match self {
            Density::Grid { x0, y0, width, height, counts } => {
                let (dx, dy) = (cx.wrapping_sub(*x0), cy.wrapping_sub(*y0));
                if (0..*width).contains(&dx) && (0..*height).contains(&dy) {
                    counts[(dy * width + dx) as usize]
                } else {
                    0
                }
            }
            Density::Map(map) => map.get(&(cx, cy)).copied().unwrap_or(0),
        }
    }
}

/// (sin, cos) of the angle of each step of a cycle: hours of 24, weekdays of 7, months of 12.
struct Cycles {
    hour: [(f64, f64); 24],
    weekday: [(f64, f64); 7],
    month: [(f64, f64); 12],
}

fn angles<const N: usize>() -> [(f64, f64); N] {
    std::array::from_fn(|v| angle(v as u32, N as f64))
}

/// (sin, cos) of step `v` of a cycle of `period`: the tables' entries, and the value for a step
/// outside them (never, for validated dates).
fn angle(v: u32, period: f64) -> (f64, f64) {
    let a = TAU * f64::from(v) / period;
    (a.sin(), a.cos())
}

impl Cycles {
    fn new() -> Self {
        Cycles { hour: angles(), weekday: angles(), month: angles() }
    }
    fn hour(&self, h: u32) -> (f64, f64) {
        self.hour.get(h as usize).copied().unwrap_or_else(|| angle(h, 24.0))
    }
    fn weekday(&self, d: u32) -> (f64, f64) {
        self.weekday.get(d as usize).copied().unwrap_or_else(|| angle(d, 7.0))
    }
    /// Months count from 1.
    fn month(&self, m: u32) -> (f64, f64) {
        let step = m.wrapping_sub(1);
        self.month.get(step as usize).copied().unwrap_or_else(|| angle(step, 12.0))
    }
}

/// What the features of a set of rows depend on beyond the row itself (density cells, the extent
/// for normalising, frequency codes), prepared once so that rows can then be computed one at a
/// time: analyses that only aggregate features (the correlation matrix) never hold the whole
/// matrix (33 × 8 bytes a row).
pub struct Features<'a> {
    table: &'a CrimeTable,
    /// Rows per density cell: looked up on every row's features (PCA, EDA's correlation, the
    /// maps, the feature stage).
    density: Density,
    /// Each row's density cell, read from its coordinates' offsets.
    cells: Cells<'a>,
    projection: Projection,
    /// sin and cos of each hour, weekday and month angle, computed once (in WebAssembly `sin`
    /// and `cos` are software routines, six of them a row).
    cycles: Cycles,
    x_range: (f64, f64),
    y_range: (f64, f64),
    type_rank: Vec<f64>,
    fbi_rank: Vec<f64>,
    location_groups: Vec<f64>,
    crime_types: Vec<String>,
    fbi_codes: Vec<String>,
    /// Per FBI code (dictionary value): Part I or not, and severity — looked up, not re-read
    /// from the code's text on every row.
    part_one: Vec<f64>,
    severity: Vec<f64>,
}

impl<'a> Features<'a> {
    /// Prepares the features of `rows` of `t` (density, extent and codes are those of `rows`).
    pub fn prepare(t: &'a CrimeTable, rows: &[u32]) -> Self {
        let projection = Projection::current();
        // x is increasing in longitude alone and y in latitude alone (each step of `project`
        // is, rounding included), so their ranges are the projected ranges of the degrees, read
        // from the columns' offsets without projecting every row (a fifth of the EDA's time).
        let span = |c: &crate::model::CoordColumn| match c.offsets() {
            Some(o) => {
                let (span, missing) = o.range_of(rows);
                let (lo, hi) = span.map_or((f64::MAX, f64::MIN), |(a, b)| (o.value(a), o.value(b)));
                (lo, hi, missing, span)
            }
            None => {
                let (lo, hi, missing) = c.range_of(rows);
                (lo, hi, missing, None)
            }
        };
        let (lat_lo, lat_hi, y_missing, lat_span) = span(&t.latitude);
        let (lon_lo, lon_hi, x_missing, lon_span) = span(&t.longitude);
        let x_range = if lon_lo <= lon_hi {
            (projection.project(0.0, lon_lo).0, projection.project(0.0, lon_hi).0)
        } else {
            (f64::MAX, f64::MIN)
        };
        let y_range = if lat_lo <= lat_hi {
            (projection.project(lat_lo, 0.0).1, projection.project(lat_hi, 0.0).1)
        } else {
            (f64::MAX, f64::MIN)
        };
        // The density cells' extent from the coordinates' (a cell is monotone in its coordinate,
        // a missing one is cell 0), not from a pass of its own over 8 million rows.
        let (first, last) = (cell((x_range.0, y_range.0)), cell((x_range.1, y_range.1)));
        let extent = |(lo, hi): (f64, f64), (a, b): (i64, i64), missing: bool| {
            let (a, b) = if lo <= hi { (a, b) } else { (i64::MAX, i64::MIN) };
            if missing {
                (a.min(0), b.max(0))
            } else {
                (a, b)
            }
        };
        let (x0, x1) = extent(x_range, (first.0, last.0), x_missing);
        let (y0, y1) = extent(y_range, (first.1, last.1), y_missing);
        // Each row's cell from its offsets (`cells`): the same cells as dividing its metres.
        let cells = Cells::new(t, projection, lon_span, lat_span);
        let density = Density::count_within((x0, y0), (x1, y1), rows.iter().map(|&r| cells.of(r as usize)));
        let (type_rank, crime_types) = frequency_codes(&t.primary_type, rows);
        let (fbi_rank, fbi_codes) = frequency_codes(&t.fbi_code, rows);
        let location_groups =
            t.location_description.values().iter().map(|d| categories::location_group(d) as f64).collect();
        Features {
            table: t,
            density,
            cells,
            projection,
            cycles: Cycles::new(),
            x_range,
            y_range,
            type_rank,
            fbi_rank,
            location_groups,
            crime_types,
            fbi_codes,
            part_one: t.fbi_code.values().iter().map(|c| flag(categories::is_part_one(c))).collect(),
            severity: t.fbi_code.values().iter().map(|c| categories::severity(c)).collect(),
        }
    }

    pub fn table(&self) -> &'a CrimeTable {
        self.table
    }

    /// The [`CATALOGUE`] values of row `i` of the table (one of the prepared rows).
    pub fn row(&self, i: usize) -> [f64; CATALOGUE.len()] {
        let mut v = [0.0; CATALOGUE.len()];
        v[..TIME_FEATURES].copy_from_slice(&self.time_values(self.table.date.get(i)));
        v[TIME_FEATURES..].copy_from_slice(&self.place_values(i));
        v
    }

    /// The first [`TIME_FEATURES`] values of [`CATALOGUE`] for a row dated `date`: the same for
    /// every row of the same hour.
    pub fn time_values(&self, date: i64) -> [f64; TIME_FEATURES] {
        // Dates in the table were validated on load, so a calendar always exists.
        let c = Calendar::of(date).expect("valid date");
        let cy = &self.cycles;
        let (hour, weekday, month) = (cy.hour(c.hour), cy.weekday(c.weekday), cy.month(c.month));
        [
            f64::from(c.hour),
            f64::from(c.weekday),
            f64::from(c.month),
            f64::from(c.day_of_year),
            f64::from(c.season),
            flag(c.weekend),
            flag(c.night),
            flag(c.holiday),
            hour.0,
            hour.1,
            weekday.0,
            weekday.1,
            month.0,
            month.1,
        ]
    }

    /// The values of [`CATALOGUE`] after the time features, of row `i`. Inlined, so that a caller
    /// using a few of them (the EDA's correlation) does not compute the others.
    #[inline(always)]
    pub fn place_values(&self, i: usize) -> [f64; CATALOGUE.len() - TIME_FEATURES] {
        let t = self.table;
        let (x, y) = self.projection.project(t.latitude.get(i), t.longitude.get(i));
        let fbi = t.fbi_code.code(i) as usize;
        let scale = |v: f64, (lo, hi): (f64, f64)| if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
        [
            t.latitude.get(i),
            t.longitude.get(i),
            x,
            y,
            scale(x, self.x_range),
            scale(y, self.y_range),
            code_u8(t.district[i]),
            if t.beat[i] == NULL_U16 { f64::NAN } else { f64::from(t.beat[i]) },
            code_u8(t.ward[i]),
            code_u8(t.community_area[i]),
            // Not `hypot`: its care for overflow costs a tenth of the EDA (a software routine in
            // WebAssembly), and a city's metres are far from overflowing.
            (x * x + y * y).sqrt() / 1000.0,
            f64::from(self.density.get(self.cells.of(i))),
            self.type_rank[t.primary_type.code(i) as usize],
            self.location_groups[t.location_description.code(i) as usize],
            self.fbi_rank[fbi],
            self.part_one[fbi],
            code_u8(t.arrest[i]),
            code_u8(t.domestic[i]),
            self.severity[fbi],
        ]
    }

    /// `x_m` and `y_m` as affine functions of longitude and latitude: for each, the metres per
    /// degree and the degree at 0 (x = kx · (longitude − lon₀), y = ky · (latitude − lat₀)).
    pub(crate) fn projection_lines(&self) -> [(f64, f64); 2] {
        let p = self.projection;
        [(METRES_PER_DEGREE * p.cos, p.c_lon), (METRES_PER_DEGREE, p.c_lat)]
    }

    /// The values of row `i` that its coordinates fix, named by [`COORDINATE_FEATURES`]: what
    /// [`Features::place_values`] gives for them, without its other lookups (the EDA's
    /// correlation reads these of every row).
    #[inline(always)]
    pub fn coordinate_values(&self, i: usize) -> [f64; COORDINATE_FEATURES.len()] {
        let t = self.table;
        let (x, y) = self.projection.project(t.latitude.get(i), t.longitude.get(i));
        [
            t.latitude.get(i),
            t.longitude.get(i),
            x,
            y,
            (x * x + y * y).sqrt() / 1000.0,
            f64::from(self.density.get(self.cells.of(i))),
        ]
    }

    /// The matrix of the given rows (normally the prepared ones), column by column.
    pub fn matrix(self, rows: &[u32]) -> FeatureMatrix {
        let columns = self.columns(rows);
        FeatureMatrix { columns, crime_types: self.crime_types, fbi_codes: self.fbi_codes }
    }

    /// The [`CATALOGUE`] columns of `rows` (e.g. one row group of an export).
    pub fn columns(&self, rows: &[u32]) -> Vec<Vec<f64>> {
        let mut columns: Vec<Vec<f64>> =
            (0..CATALOGUE.len()).map(|_| Vec::with_capacity(rows.len())).collect();
        for chunk in rows.chunks(4096) {
            self.push_columns(chunk, &mut columns);
        }
        columns
    }

    /// Appends the features of `rows` to `columns`. Never inlined and called per chunk, on
    /// purpose: V8 first runs WebAssembly in its baseline compiler and optimises a function only
    /// for the calls after it has been hot; as one loop this stayed in the baseline tier.
    #[inline(never)]
    fn push_columns(&self, rows: &[u32], columns: &mut [Vec<f64>]) {
        for &r in rows {
            for (col, v) in columns.iter_mut().zip(self.row(r as usize)) {
                col.push(v);
            }
        }
    }
}

/// Every row index of a table: the selection "no filter".
pub fn all_rows(t: &CrimeTable) -> Vec<u32> {
    (0..t.len() as u32).collect()
}

/// Computes [`CATALOGUE`] for every row.
pub fn compute(t: &CrimeTable) -> FeatureMatrix {
    compute_rows(t, &all_rows(t))
}

/// Computes [`CATALOGUE`] for the selected rows only (a filtered view of the data).
pub fn compute_rows(t: &CrimeTable, rows: &[u32]) -> FeatureMatrix {
    Features::prepare(t, rows).matrix(rows)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::load::{load_bytes, LoadOptions};

    /// A table from hand-made rows of Date, Primary Type, Location Description, FBI Code,
    /// District, Arrest, Domestic, Latitude, Longitude (shared with the EDA tests).
    pub(crate) fn table(rows: &str) -> CrimeTable {
        let csv = format!(
            "Date,Primary Type,Location Description,FBI Code,District,Arrest,Domestic,Latitude,Longitude\n{rows}"
        );
        load_bytes("t", csv.as_bytes(), LoadOptions::default()).unwrap().table
    }

    #[test]
    fn the_catalogue_has_22_or_more_unique_documented_features() {
        assert!(CATALOGUE.len() >= 22);
        let mut names: Vec<_> = CATALOGUE.iter().map(|s| s.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), CATALOGUE.len());
        assert!(CATALOGUE.iter().all(|s| !s.definition.is_empty() && !s.unit.is_empty()));
    }

    #[test]
    fn a_late_sunday_night_theft_downtown() {
        let t = table(
            "12/31/2017 11:30:00 PM,THEFT,STREET,06,1,false,true,41.88183,-87.62776\n\
             07/04/2017 02:00:00 PM,HOMICIDE,APARTMENT,01A,,true,false,41.88183,-87.64\n\
             07/05/2017 02:00:00 PM,THEFT,APARTMENT,06,1,,false,41.95,-87.7\n",
        );
        let f = compute(&t);
        assert_eq!(f.rows(), 3);
        let v = |name: &str, row: usize| f.column(name).unwrap()[row];
        assert_eq!(v("hour", 0), 23.0);
        assert_eq!(v("weekday", 0), 6.0);
        assert_eq!(v("is_night", 0), 1.0);
        assert_eq!(v("is_weekend", 0), 1.0);
        assert_eq!(v("season", 0), 0.0);
        assert_eq!(v("is_holiday", 0), 0.0);
        assert_eq!(v("is_holiday", 1), 1.0, "4 July");
        assert_eq!(v("is_night", 1), 0.0);
        assert!((v("hour_sin", 0) - (TAU * 23.0 / 24.0).sin()).abs() < 1e-12);
        assert!(v("dist_centre_km", 0).abs() < 1e-9, "State & Madison itself");
        // 0.01227° of longitude at 41.88° N ≈ 1.017 km.
        assert!((v("dist_centre_km", 1) - 1.0167).abs() < 0.005, "{}", v("dist_centre_km", 1));
        assert!((v("x_m", 1) + 1016.7).abs() < 5.0);
        assert_eq!(v("y_m", 1), 0.0);
        assert_eq!(v("density_250m", 0), 1.0);
        assert_eq!(v("severity", 1), 10.0);
        assert_eq!(v("is_index_crime", 0), 1.0);
        assert_eq!(v("crime_type", 0), 0.0, "THEFT is the most frequent");
        assert_eq!(f.crime_types[0], "THEFT");
        assert_eq!(v("location_group", 1), 1.0, "residence");
        assert!(v("district", 1).is_nan());
        assert!(v("arrest", 2).is_nan());
        assert_eq!(v("domestic", 0), 1.0);
        assert_eq!(v("x_norm", 2), 0.0);
        assert_eq!(v("y_norm", 2), 1.0);
    }

    /// Every catalogued feature has an expected value on one hand-made row: a feature added to
    /// the catalogue without one fails here.
    #[test]
    fn every_feature_on_a_hand_made_row() {
        let csv = "ID,Date,Primary Type,Location Description,FBI Code,Beat,District,Ward,Community Area,Arrest,Domestic,Latitude,Longitude\n\
            7,07/04/2017 09:15:00 PM,ROBBERY,CTA PLATFORM,03,0111,001,42,32,true,false,41.88183,-87.62776\n\
            8,02/01/2016 06:00:00 AM,THEFT,STREET,06,1723,017,33,14,false,false,41.96569,-87.71573\n\
            9,02/02/2016 06:00:00 AM,THEFT,STREET,06,1723,017,33,14,false,true,41.96569,-87.71573\n";
        let t = load_bytes("t", csv.as_bytes(), LoadOptions::default()).unwrap().table;
        let f = compute(&t);
        // Row 0: Tuesday 4 July 2017, 21:15, at State & Madison itself.
        let angle = |v: f64, p: f64| TAU * v / p;
        let expected: [(&str, f64); 33] = [
            ("hour", 21.0),
            ("weekday", 1.0),
            ("month", 7.0),
            ("day_of_year", 185.0),
            ("season", 2.0),
            ("is_weekend", 0.0),
            ("is_night", 1.0),
            ("is_holiday", 1.0),
            ("hour_sin", angle(21.0, 24.0).sin()),
            ("hour_cos", angle(21.0, 24.0).cos()),
            ("weekday_sin", angle(1.0, 7.0).sin()),
            ("weekday_cos", angle(1.0, 7.0).cos()),
            ("month_sin", angle(6.0, 12.0).sin()),
            ("month_cos", angle(6.0, 12.0).cos()),
            ("latitude", 41.88183),
            ("longitude", -87.62776),
            ("x_m", 0.0),
            ("y_m", 0.0),
            // The other rows lie north-west: this one is the east and south edge.
            ("x_norm", 1.0),
            ("y_norm", 0.0),
            ("district", 1.0),
            ("beat", 111.0),
            ("ward", 42.0),
            ("community_area", 32.0),
            ("dist_centre_km", 0.0),
            ("density_250m", 1.0),
            // THEFT (2 rows) is code 0, ROBBERY 1; FBI 06 is 0, 03 is 1.
            ("crime_type", 1.0),
            ("location_group", 4.0),
            ("fbi_code", 1.0),
            ("is_index_crime", 1.0),
            ("arrest", 1.0),
            ("domestic", 0.0),
            ("severity", 8.0),
        ];
        assert_eq!(expected.len(), CATALOGUE.len());
        for ((name, want), spec) in expected.iter().zip(CATALOGUE.iter()) {
            assert_eq!(*name, spec.name, "expected values follow the catalogue order");
            let got = f.column(name).unwrap()[0];
            assert!((got - want).abs() < 1e-9, "{name}: {got} ≠ {want}");
        }
        // Row 1: Monday 1 Feb 2016, 06:00: the first hour of the day shift, winter, not a holiday.
        let v = |name: &str, row: usize| f.column(name).unwrap()[row];
        assert_eq!(
            (v("is_night", 1), v("season", 1), v("weekday", 1), v("is_holiday", 1)),
            (0.0, 0.0, 0.0, 0.0)
        );
        assert_eq!((v("density_250m", 1), v("location_group", 1), v("severity", 1)), (2.0, 0.0, 4.0));
        assert_eq!(v("domestic", 2), 1.0);
        assert_eq!(f.fbi_codes, vec!["06".to_string(), "03".to_string()]);
    }

    #[test]
    fn unproject_inverts_project() {
        let (x, y) = project(41.97, -87.71);
        let (lat, lon) = unproject(x, y);
        assert!((lat - 41.97).abs() < 1e-12 && (lon + 87.71).abs() < 1e-12);
    }

    #[test]
    fn another_citys_metres_are_true_metres_and_chicagos_stay_as_they_were() {
        use crate::load::{load_bytes, LoadOptions};
        // Haversine metres between two points.
        let metres = |a: (f64, f64), b: (f64, f64)| {
            let (p1, p2) = (a.0.to_radians(), b.0.to_radians());
            let h = ((p2 - p1) / 2.0).sin().powi(2)
                + p1.cos() * p2.cos() * ((b.1 - a.1).to_radians() / 2.0).sin().powi(2);
            2.0 * EARTH_RADIUS_M * h.sqrt().asin()
        };
        let la = load_bytes(
            "la.csv",
            b"Date,Crm Cd Desc,LAT,LON\n2020-03-01 10:00,ROBBERY,34.05,-118.24\n\
              2020-03-01 11:00,BURGLARY,34.06,-118.30\n2020-03-01 12:00,ROBBERY,34.04,-118.20\n",
            LoadOptions::default(),
        )
        .unwrap();
        assert!(!la.report.chicago);
        set_frame_for(&la.table, la.report.chicago);
        assert_eq!(frame(), (34.05, -118.24), "the median incident");
        let (a, b) = ((34.05, -118.30), (34.05, -118.20));
        let (pa, pb) = (project(a.0, a.1), project(b.0, b.1));
        let along = (pb.0 - pa.0).hypot(pb.1 - pa.1);
        assert!((along / metres(a, b) - 1.0).abs() < 0.001, "{along} m vs {} m", metres(a, b));
        let (lat, lon) = unproject(pa.0, pa.1);
        assert!((lat - a.0).abs() < 1e-12 && (lon - a.1).abs() < 1e-12);
        // Chicago's data puts the frame back on State & Madison.
        set_frame_for(&la.table, true);
        assert_eq!(frame(), CENTRE);
        assert_eq!(project(CENTRE.0, CENTRE.1), (0.0, 0.0));
    }

    #[test]
    fn floor_i64_is_floor_then_cast() {
        for v in [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.0,
            -1.0,
            249.999,
            -250.0,
            -250.001,
            1e17 + 0.5,
            -1e30,
            1e30,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            i64::MIN as f64,
            i64::MAX as f64,
            -4_503_599_627_370_495.5,
        ] {
            assert_eq!(floor_i64(v), v.floor() as i64, "{v}");
        }
    }

    /// The grid (a city) and the map (rows spread across a country) count the same cells: the
    /// same count for every cell, 0 outside, an empty selection counted at all.
    #[test]
    fn density_grid_and_map_count_alike() {
        let cells = [(0, 0), (3, -2), (3, -2), (-5, 7), (0, 0), (0, 0)];
        let grid = Density::count(cells.iter().copied());
        assert!(matches!(grid, Density::Grid { width: 9, height: 10, .. }));
        let wide = Density::count(cells.iter().copied().chain([(1 << 40, 1 << 40)]));
        assert!(matches!(wide, Density::Map(_)));
        let extreme = Density::count(cells.iter().copied().chain([(i64::MIN, i64::MAX)]));
        assert!(matches!(extreme, Density::Map(_)));
        for probe in [(0, 0), (3, -2), (-5, 7), (1, 1), (-6, 7), (4, 8), (100, -100), (i64::MIN, 0)] {
            let want = cells.iter().filter(|&&c| c == probe).count() as u32;
            assert_eq!(
                (grid.get(probe), wide.get(probe), extreme.get(probe)),
                (want, want, want),
                "{probe:?}"
            );
        }
        assert_eq!(Density::count(std::iter::empty()).get((0, 0)), 0);
    }

    /// The grid's extent, taken from the coordinates' range and whether one is missing, is the
    /// one the rows' cells span: rows west and south of the centre (negative cells), on a cell's
    /// edge, and without a latitude or a longitude (cell 0 on that axis).
    #[test]
    fn the_density_extent_from_the_coordinates_is_that_of_the_cells() {
        let mut t = table(
            "2017-01-01,THEFT,STREET,06,1,false,false,41.80,-87.80\n\
             2017-01-01,THEFT,STREET,06,1,false,false,41.70,-87.90\n\
             2017-01-01,THEFT,STREET,06,1,false,false,41.75,-87.85\n\
             2017-01-01,THEFT,STREET,06,1,false,false,41.75,-87.85\n",
        );
        let p = Projection::current();
        // Row 2 exactly on a cell's west edge; row 3 without a longitude.
        let (x, _) = p.project(41.75, -87.85);
        let edge = (x / DENSITY_CELL_M).floor() * DENSITY_CELL_M / (p.cos * METRES_PER_DEGREE);
        t.longitude.set(2, p.c_lon + edge);
        t.longitude.set(3, f64::NAN);
        let rows: Vec<u32> = (0..t.len() as u32).collect();
        let cells: Vec<(i64, i64)> = rows
            .iter()
            .map(|&r| cell(p.project(t.latitude.get(r as usize), t.longitude.get(r as usize))))
            .collect();
        assert!(cells[3].0 == 0 && cells.iter().all(|c| c.1 < 0), "{cells:?}");
        let (f, plain) = (Features::prepare(&t, &rows), Density::count(cells.iter().copied()));
        match (&f.density, &plain) {
            (
                Density::Grid { x0, y0, width, height, counts },
                Density::Grid { x0: a, y0: b, width: w, height: h, counts: c },
            ) => assert_eq!((x0, y0, width, height, counts), (a, b, w, h, c)),
            _ => panic!("both are grids"),
        }
    }

    #[test]
    fn density_counts_neighbours_in_the_same_cell() {
        let t = table(
            "2017-01-01,THEFT,STREET,06,1,false,false,41.90001,-87.70001\n\
             2017-01-01,THEFT,STREET,06,1,false,false,41.90002,-87.70002\n\
             2017-01-01,THEFT,STREET,06,1,false,false,41.95,-87.65\n",
        );
        let d = compute(&t).column("density_250m").unwrap().to_vec();
        assert_eq!(d, vec![2.0, 2.0, 1.0]);
    }
}
