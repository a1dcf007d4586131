//! Which column is which: the roles of a source's columns, found from its header and a sample of
//! its rows, for any crime export — the Chicago portal's dialects, other cities' portals, files
//! re-saved by Excel or pandas.
//!
//! Order of evidence: a column mapping the user gave (`--columns mapping.json`, the Data page's
//! mapper), then a known layout recognised from the header ([`presets`]), then names and values
//! (a date column is one whose sample reads as dates, coordinates are numbers in range, a type
//! column is short text repeated across rows). Every choice is checked against the sample's
//! values, so a misnamed column is not trusted. The result, a [`Layout`], tells the cleaner how
//! to read each row and the report which column fed which role.

pub mod dates;
pub mod parts;
pub mod points;
pub mod presets;
pub mod projected;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::float::finite_median;
use crate::schema::{Column, ColumnMap};
use dates::{DateFormat, TimeFormat, Zone};

/// What a source column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Id,
    CaseNumber,
    /// The date (and usually time) the incident happened.
    Date,
    /// A time of day in a column of its own, beside a date-only [`Role::Date`].
    Time,
    Block,
    /// The offence type shown to users (Chicago's `Primary Type`, LAPD's `Crm Cd Desc`).
    Type,
    Description,
    /// The source's own offence code (IUCR, LAPD `Crm Cd`, NYPD `KY_CD`).
    Code,
    FbiCode,
    LocationDescription,
    Arrest,
    /// A case status in words ("Adult Arrest", "Cite or Arrest Adult"): arrest when it says so.
    Status,
    Domestic,
    Beat,
    District,
    Ward,
    CommunityArea,
    X,
    Y,
    Latitude,
    Longitude,
    /// Both coordinates in one column: `"(lat, lon)"`, WKT, hex WKB, GeoJSON.
    Point,
    UpdatedOn,
}

impl Role {
    pub const ALL: [Role; 23] = [
        Role::Id,
        Role::CaseNumber,
        Role::Date,
        Role::Time,
        Role::Block,
        Role::Type,
        Role::Description,
        Role::Code,
        Role::FbiCode,
        Role::LocationDescription,
        Role::Arrest,
        Role::Status,
        Role::Domestic,
        Role::Beat,
        Role::District,
        Role::Ward,
        Role::CommunityArea,
        Role::X,
        Role::Y,
        Role::Latitude,
        Role::Longitude,
        Role::Point,
        Role::UpdatedOn,
    ];

    /// The name in mappings and the report (`"date"`, `"latitude"`, …).
    pub fn key(self) -> &'static str {
        match self {
            Role::Id => "id",
            Role::CaseNumber => "case_number",
            Role::Date => "date",
            Role::Time => "time",
            Role::Block => "block",
            Role::Type => "type",
            Role::Description => "description",
            Role::Code => "code",
            Role::FbiCode => "fbi_code",
            Role::LocationDescription => "location_description",
            Role::Arrest => "arrest",
            Role::Status => "status",
            Role::Domestic => "domestic",
            Role::Beat => "beat",
            Role::District => "district",
            Role::Ward => "ward",
            Role::CommunityArea => "community_area",
            Role::X => "x",
            Role::Y => "y",
            Role::Latitude => "latitude",
            Role::Longitude => "longitude",
            Role::Point => "point",
            Role::UpdatedOn => "updated_on",
        }
    }

    /// The portal column a role fills directly (Time and Status are read into Date and Arrest).
    fn column(self) -> Option<Column> {
        Some(match self {
            Role::Id => Column::Id,
            Role::CaseNumber => Column::CaseNumber,
            Role::Date => Column::Date,
            Role::Block => Column::Block,
            Role::Type => Column::PrimaryType,
            Role::Description => Column::Description,
            Role::Code => Column::Iucr,
            Role::FbiCode => Column::FbiCode,
            Role::LocationDescription => Column::LocationDescription,
            Role::Arrest => Column::Arrest,
            Role::Domestic => Column::Domestic,
            Role::Beat => Column::Beat,
            Role::District => Column::District,
            Role::Ward => Column::Ward,
            Role::CommunityArea => Column::CommunityArea,
            Role::X => Column::XCoordinate,
            Role::Y => Column::YCoordinate,
            Role::Latitude => Column::Latitude,
            Role::Longitude => Column::Longitude,
            Role::Point => Column::Location,
            Role::UpdatedOn => Column::UpdatedOn,
            Role::Time | Role::Status => return None,
        })
    }

    fn of_column(c: Column) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.column() == Some(c))
    }
}

/// A user's column choices: role → source header (as written in the file). Saved per header by
/// the app and read by `patroliq --columns mapping.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Mapping {
    pub columns: BTreeMap<Role, String>,
    /// The EPSG code of the X/Y columns, for a file whose projection is not found from where its
    /// points land (`layout::projected`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crs: Option<u32>,
}

/// The area coordinates must fall in; anything else is a geocoding error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Area {
    /// The portal's own extent of Chicago (lat 41.6–42.1, lon −87.95 to −87.5).
    Chicago,
    /// About 110 km around the median point of the sample: a city and its suburbs.
    Around { lat: f64, lon: f64 },
}

impl Area {
    pub fn contains(self, lat: f64, lon: f64) -> bool {
        match self {
            Area::Chicago => {
                use crate::clean::{LAT_RANGE, LON_RANGE};
                (LAT_RANGE.0..=LAT_RANGE.1).contains(&lat) && (LON_RANGE.0..=LON_RANGE.1).contains(&lon)
            }
            Area::Around { lat: la, lon: lo } => {
                (lat - la).abs() <= 1.0 && (lon - lo).abs() <= 1.0 / la.to_radians().cos().max(0.2)
            }
        }
    }
}

/// How to read a source: which column fills which role and how its dates are written.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// A preset's name, or `generic`.
    pub preset: &'static str,
    /// The portal columns read directly.
    pub map: ColumnMap,
    /// Role → source header, for the report.
    pub columns: BTreeMap<Role, String>,
    /// The date column's format; `None` reads any (typed Parquet timestamps, tests).
    pub date_format: Option<DateFormat>,
    /// A time-of-day column joined to a date-only (or midnight) date.
    pub time: Option<(usize, TimeFormat)>,
    /// The clock that offset-bearing dates are turned into.
    pub zone: Zone,
    /// Whether the zone was guessed from the data's location.
    pub zone_guessed: bool,
    pub status: Option<usize>,
    /// Latitude and longitude columns hold each other's values.
    pub swapped: bool,
    pub area: Area,
    /// No FBI code column: codes are derived from the offence type (`crate::clean::taxonomy`).
    pub derive_fbi: bool,
    /// Projected X/Y columns and their CRS: the coordinates of rows without degrees.
    pub projected: Option<Projected>,
    /// Offsets written on the dates are not to be believed: the Chicago portal's own layout with
    /// `UTC` dates is BigQuery's copy of it (`bigquery-public-data.chicago_crime`), whose
    /// TIMESTAMPs hold the portal's local wall clock labelled UTC.
    pub offsets_are_wall: bool,
    /// Degrees written with a decimal comma (`41,784896`: Excel in much of Europe, with `;`
    /// between fields).
    pub decimal_comma: bool,
    /// The date's year, month, day (hour, minute) columns, for a source without a date column
    /// (the date role is then the year's column).
    pub date_parts: Option<parts::DateParts>,
    /// A column named as a time of day that was not read as one, beside dates without times.
    pub unjoined_time: Option<String>,
}

/// The X and Y columns (indices) of a source and the CRS they are written in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projected {
    pub x: usize,
    pub y: usize,
    pub crs: &'static projected::Crs,
    /// The city whose zone it is (from the layout or from where the points land); `None` when
    /// the user's mapping named the CRS.
    pub city: Option<&'static str>,
}

impl Layout {
    /// The Chicago layout of a column map made from the portal's names.
    pub fn of_map(map: ColumnMap) -> Layout {
        let columns = Column::ALL
            .into_iter()
            .filter(|c| map.get(*c).is_some())
            .filter_map(|c| Some((Role::of_column(c)?, c.portal_name().to_owned())))
            .collect();
        Layout {
            preset: "chicago_portal",
            derive_fbi: map.get(Column::FbiCode).is_none(),
            map,
            columns,
            date_format: None,
            time: None,
            zone: Zone::UsCentral,
            zone_guessed: false,
            status: None,
            swapped: false,
            area: Area::Chicago,
            projected: None,
            offsets_are_wall: false,
            decimal_comma: false,
            date_parts: None,
            unjoined_time: None,
        }
    }

    /// Whether the source is Chicago's (its reference layers, stations and portal apply).
    pub fn is_chicago(&self) -> bool {
        self.area == Area::Chicago
    }
}

/// What a source lacks, in words, and the roles found so far (column indices).
#[derive(Debug, Clone, PartialEq)]
pub struct Missing {
    pub roles: Vec<Cow<'static, str>>,
    pub guessed: BTreeMap<Role, usize>,
}

/// A file whose roles could not all be found, as the column mapper shows it: every column with
/// a few values, and the roles guessed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub headers: Vec<String>,
    pub samples: Vec<Vec<String>>,
    pub roles: BTreeMap<Role, String>,
}

impl Mapping {
    /// The key a mapping is remembered under: the file's header, as keys, joined.
    pub fn header_key(headers: &[String]) -> String {
        headers.iter().map(|h| key(h)).collect::<Vec<_>>().join("|")
    }

    /// What a crime file needs that this mapping does not name, in words (empty: nothing). The
    /// same three needs as detection's; a mapping that names them may still be corrected by
    /// the values (a "type" of numbers is set aside).
    pub fn missing(&self) -> Vec<&'static str> {
        let has = |r: Role| self.columns.contains_key(&r);
        let mut out = Vec::new();
        if !has(Role::Date) {
            out.push("a date");
        }
        if !has(Role::Type) {
            out.push("a crime type");
        }
        if !(has(Role::Point)
            || (has(Role::Latitude) && has(Role::Longitude))
            || (has(Role::X) && has(Role::Y)))
        {
            out.push("latitude and longitude (or a point)");
        }
        out
    }

    /// `self` with `later`'s choices over it: one column per role and one role per column, as
    /// the column mapper keeps them (a column given another role leaves its old one).
    pub fn then(&self, later: &Mapping) -> Mapping {
        let mut columns = self.columns.clone();
        for (r, c) in &later.columns {
            columns.retain(|_, x| x != c);
            columns.insert(*r, c.clone());
        }
        Mapping { columns, crs: later.crs.or(self.crs) }
    }

    /// The roles whose column is in `headers` (as [`detect`] finds them: exactly, or by key):
    /// a mapping remembered by file name may come from a file of other columns.
    pub fn within(&self, headers: &[String]) -> Mapping {
        let keys: HashSet<String> = headers.iter().map(|h| key(h)).collect();
        Mapping {
            columns: self
                .columns
                .iter()
                .filter(|(_, c)| headers.contains(c) || keys.contains(&key(c)))
                .map(|(r, c)| (*r, c.clone()))
                .collect(),
            crs: self.crs,
        }
    }
}

/// A header cell as a key: lower-case letters and digits only (`"Crm Cd Desc"` → `crmcddesc`).
pub fn key(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Rows of text read before the layout is decided.
pub const SAMPLE_ROWS: usize = 2000;

/// Finds the layout of a source from its header and first rows.
pub fn detect(
    headers: &[String],
    sample: &[Vec<String>],
    mapping: Option<&Mapping>,
) -> Result<Layout, Missing> {
    let keys: Vec<String> = headers.iter().map(|h| key(h)).collect();
    let col = |i: usize| sample.iter().map(move |r| r.get(i).map_or("", |s| s.as_str()));
    let mut roles: BTreeMap<Role, usize> = BTreeMap::new();
    let mut taken: HashSet<usize> = HashSet::new();
    let assign = |roles: &mut BTreeMap<Role, usize>, taken: &mut HashSet<usize>, r: Role, i: usize| {
        if !roles.contains_key(&r) && !taken.contains(&i) {
            roles.insert(r, i);
            taken.insert(i);
        }
    };
    if let Some(m) = mapping {
        for (r, h) in &m.columns {
            let want = key(h);
            // An exact header first, then the key (case and spacing may differ).
            if let Some(i) =
                headers.iter().position(|x| x == h).or_else(|| keys.iter().position(|k| *k == want))
            {
                assign(&mut roles, &mut taken, *r, i);
            }
        }
    }
    let preset = presets::recognise(&keys);
    if let Some(p) = preset {
        for (r, k) in p.roles {
            if let Some(i) = keys.iter().position(|x| x == k) {
                assign(&mut roles, &mut taken, *r, i);
            }
        }
    }
    // The portal's names (and its SODA API's), wherever they appear.
    for (i, h) in headers.iter().enumerate() {
        if let Some(r) = Column::from_header(h).and_then(Role::of_column) {
            assign(&mut roles, &mut taken, r, i);
        }
    }
    // Degrees with a decimal comma: four or more digits after it (a thousands separator has
    // three), in a column where most values are so written.
    let decimal_comma = (0..headers.len()).any(|i| share(col(i), comma_decimal) >= 0.8);
    let parse = |v: &str| parse_number(v, decimal_comma);
    let is_text = |i: usize| share(col(i), |v| parse(v).is_none()) >= 0.9;

    // Coordinates: a name and numbers in range; projected values are not degrees.
    // Named columns need only most values right: real files have stray text rows.
    let degrees = |i: usize, limit: f64| share(col(i), |v| parse(v).is_some_and(|f| f.abs() <= limit)) >= 0.5;
    for (r, names, limit) in
        [(Role::Latitude, &LAT_NAMES[..], 90.0), (Role::Longitude, &LON_NAMES[..], 180.0)]
    {
        if let Some(&i) = roles.get(&r) {
            if !degrees(i, 180.0) {
                roles.remove(&r);
                taken.remove(&i);
            }
        }
        if !roles.contains_key(&r) {
            if let Some(i) = names.iter().find_map(|n| {
                keys.iter().position(|k| k == n).filter(|&i| !taken.contains(&i) && degrees(i, limit))
            }) {
                assign(&mut roles, &mut taken, r, i);
            }
        }
    }
    // Names the lists miss (`MapLatitude`, `OpenDataLon`, `LATITUDE_X`): any column named like a
    // latitude or longitude whose values are degrees with decimals.
    let decimals = |i: usize| share(col(i), |v| v.contains('.') || comma_decimal(v)) >= 0.5;
    for (r, like, limit) in
        [(Role::Latitude, lat_like as fn(&str) -> bool, 90.0), (Role::Longitude, lon_like, 180.0)]
    {
        if !roles.contains_key(&r) {
            if let Some(i) = (0..headers.len())
                .find(|&i| !taken.contains(&i) && like(&keys[i]) && degrees(i, limit) && decimals(i))
            {
                assign(&mut roles, &mut taken, r, i);
            }
        }
    }
    if let Some(&i) = roles.get(&Role::Point) {
        if share(col(i), |v| points::parse_point(v).is_some()) < 0.5 {
            roles.remove(&Role::Point);
            taken.remove(&i);
        }
    }
    if !roles.contains_key(&Role::Point) {
        // A point column anywhere, best named first (`the_geom` before `the_geom_webmercator`).
        let mut best: Option<(f64, usize)> = None;
        for i in (0..headers.len()).filter(|i| !taken.contains(i)) {
            let s = share(col(i), |v| points::parse_point(v).is_some());
            if s >= 0.8 && best.is_none_or(|(b, _)| s > b) {
                best = Some((s, i));
            }
        }
        if let Some((_, i)) = best {
            assign(&mut roles, &mut taken, Role::Point, i);
        }
    }

    // Projected X/Y: numbers beyond degrees under an X/Y name (State Plane feet, Web Mercator).
    let projected_values =
        |i: usize| share(col(i), |v| projected::number(v).is_some_and(|f| f.abs() > 1000.0)) >= 0.5;
    for (r, names) in [(Role::X, &X_NAMES[..]), (Role::Y, &Y_NAMES[..])] {
        if let Some(&i) = roles.get(&r) {
            if !projected_values(i) {
                roles.remove(&r);
                taken.remove(&i);
            }
        }
        if !roles.contains_key(&r) {
            // The listed names, then any `X…coord…` / `…coord… Y` (Dallas' `Y Cordinate`).
            let axis = if r == Role::X { 'x' } else { 'y' };
            let coord_like = |k: &str| {
                (k.starts_with(axis) || k.ends_with(axis)) && (k.contains("coord") || k.contains("cord"))
            };
            if let Some(i) = names
                .iter()
                .find_map(|n| {
                    keys.iter().position(|k| k == n).filter(|&i| !taken.contains(&i) && projected_values(i))
                })
                .or_else(|| {
                    (0..headers.len())
                        .find(|&i| !taken.contains(&i) && coord_like(&keys[i]) && projected_values(i))
                })
            {
                assign(&mut roles, &mut taken, r, i);
            }
        }
    }
    let xy_pairs: Vec<(f64, f64)> = match (roles.get(&Role::X), roles.get(&Role::Y)) {
        (Some(&xi), Some(&yi)) => sample
            .iter()
            .filter_map(|r| Some((projected::number(r.get(xi)?)?, projected::number(r.get(yi)?)?)))
            .filter(|&(x, y)| x != 0.0 && y != 0.0)
            .collect(),
        _ => Vec::new(),
    };
    let wanted_crs = mapping.and_then(|m| m.crs);
    let projection = if xy_pairs.is_empty() {
        None
    } else {
        match wanted_crs {
            Some(code) => projected::by_code(code).map(|c| (c, None)),
            None if preset.and_then(|p| presets::crs(p.name)).is_some() => preset
                .and_then(|p| presets::crs(p.name))
                .and_then(|(code, city)| Some((projected::by_code(code)?, Some(city)))),
            None => {
                let x = finite_median(xy_pairs.iter().map(|p| p.0));
                let y = finite_median(xy_pairs.iter().map(|p| p.1));
                x.zip(y).and_then(|(x, y)| projected::find(x, y)).map(|(c, city)| (c, Some(city)))
            }
        }
        .map(|(crs, city)| Projected { x: roles[&Role::X], y: roles[&Role::Y], crs, city })
    };

    // The date: the column whose values read as dates, preferring names of occurrence over
    // report or update times, and values with a time of day.
    // A date column named by the user, a preset or the portal's names that reads as no dates is
    // set aside for a better one, but kept when there is none: its rows are then dropped as
    // "date not readable", which says more than "no date column".
    let named_date = roles.get(&Role::Date).copied();
    if let Some(i) = named_date {
        if dates::detect(col(i), named_as_date(&keys[i])).is_none() {
            roles.remove(&Role::Date);
            taken.remove(&i);
        }
    }
    // The time-of-day column of date column `di` (`Date1 of Occurrence` / `Time1 of Occurrence`).
    let sibling_time = |di: usize, taken: &HashSet<usize>| {
        (0..headers.len())
            .filter(|&i| i != di && !taken.contains(&i))
            .filter(|&i| time_named(&keys[i]) && shares_stem(&keys[i], &keys[di]))
            .find_map(|i| dates::detect_time(col(i)).map(|f| (i, f)))
    };
    if !roles.contains_key(&Role::Date) {
        let mut best: Option<(f64, usize)> = None;
        for i in (0..headers.len()).filter(|i| !taken.contains(i)) {
            let k = &keys[i];
            let named =
                ["date", "time", "dt", "occurred", "when", "reported", "fecha"].iter().any(|n| k.contains(n));
            let Some(d) = dates::detect(col(i), named_as_date(k)) else { continue };
            if !named && d.share < 0.9 {
                continue;
            }
            // A day whose time of day is in a column beside it is as timed as a date-time.
            let timed = if d.timed < 0.05 && sibling_time(i, &taken).is_some() { 1.0 } else { d.timed };
            let mut score = d.share * 5.0 + timed * 3.0 - d.offset * 2.0 + f64::from(u8::from(named)) * 2.0;
            if [
                "occ", "from", "fr", "start", "incident", "offen", "crime", "event", "first", "hecho",
                "ocurr",
            ]
            .iter()
            .any(|n| k.contains(n))
            {
                score += 3.0;
            }
            if [
                "rpt", "report", "updat", "end", "last", "close", "entry", "enter", "created", "modif",
                "todt", "to", "inicio", "denun", "registro",
            ]
            .iter()
            .any(|n| k.ends_with(n) || k.starts_with(n) || (n.len() > 3 && k.contains(n)))
            {
                score -= 4.0;
            }
            // A call's dispatch, arrival or clearing comes after the event; its creation does not.
            if ["dispatch", "arriv", "enroute", "onscene"].iter().any(|n| k.contains(n)) {
                score -= 2.0;
            }
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, i));
            }
        }
        if let Some((_, i)) = best {
            assign(&mut roles, &mut taken, Role::Date, i);
        }
    }
    // No date column: a date split into year, month and day columns (and hour, minute).
    let date_parts = if roles.contains_key(&Role::Date) { None } else { parts::detect(&keys, col, &taken) };
    if let Some(p) = date_parts {
        assign(&mut roles, &mut taken, Role::Date, p.year);
        taken.extend([p.month, p.day].into_iter().chain(p.hour).chain(p.minute));
        if let Some(h) = p.hour {
            roles.insert(Role::Time, h);
        }
    }
    if let (None, Some(i)) = (roles.get(&Role::Date), named_date) {
        roles.insert(Role::Date, i);
        taken.insert(i);
    }
    let date = roles
        .get(&Role::Date)
        .filter(|_| date_parts.is_none())
        .and_then(|&i| Some((i, dates::detect(col(i), named_as_date(&keys[i]))?)));
    // A time column beside a date without times.
    let mut time = None;
    if let Some((di, d)) = date {
        if d.timed < 0.05 {
            if let Some(&i) = roles.get(&Role::Time) {
                time = dates::detect_time(col(i)).map(|f| (i, f));
            }
            if time.is_none() {
                time = sibling_time(di, &taken);
            }
            if let Some((i, _)) = time {
                roles.insert(Role::Time, i);
                taken.insert(i);
            }
        }
    }
    // A date without times beside a column named as a time that could not be read as one
    // (`heure_faits` of `5 heures 36`): the report says so, not only the hour chart's midnight.
    let unjoined_time = match (date, time, date_parts) {
        (Some((_, d)), None, None) if d.timed < 0.05 => (0..headers.len())
            .find(|&i| !taken.contains(&i) && time_named(&keys[i]))
            .map(|i| headers[i].trim_start_matches('\u{feff}').to_owned()),
        _ => None,
    };
    if time.is_none() && date_parts.is_none_or(|p| p.hour.is_none()) {
        if let Some(i) = roles.remove(&Role::Time) {
            taken.remove(&i);
        }
    }

    // The offence type: short text repeated across rows, under an offence-like name.
    if let Some(&i) = roles.get(&Role::Type) {
        if !is_text(i) {
            roles.remove(&Role::Type);
            taken.remove(&i);
        }
    }
    if !roles.contains_key(&Role::Type) {
        let mut best: Option<(i32, usize)> = None;
        for i in (0..headers.len()).filter(|i| !taken.contains(i)) {
            let mut score = type_score(&keys[i]);
            if score <= 0 || !is_text(i) || !repeated(col(i)) {
                continue;
            }
            // A column filled for some offences only (Austin's `Category Description`: Part I
            // crimes), one of a few classes (crimes against persons, property, society) or one of
            // codes (`4E`) loses to one that names every row's offence.
            let filled = col(i).filter(|v| !v.trim().is_empty()).count() as f64 / sample.len().max(1) as f64;
            if filled < 0.8 {
                score -= 10;
            }
            let mut counts: HashMap<&str, usize> = HashMap::new();
            for v in col(i).map(str::trim).filter(|v| !v.is_empty()) {
                *counts.entry(v).or_default() += 1;
            }
            if counts.len() < 5 {
                score -= 12;
            }
            // One class on most rows (CDMX's `categoria_delito`: "DELITO DE BAJO IMPACTO" on
            // 84 %) says little beside a column that names the offence.
            let (top, all) = (counts.values().max().copied().unwrap_or(0), counts.values().sum::<usize>());
            if top * 10 > all * 6 {
                score -= 8;
            }
            if share(col(i), |v| v.len() <= 5 && v.bytes().any(|b| b.is_ascii_digit())) >= 0.8 {
                score -= 10;
            }
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, i));
            }
        }
        // A file whose only offence text is its `Description` (Baltimore's, beside codes): that
        // is the type, before a column that lost every point above.
        let description = roles.get(&Role::Description).copied().filter(|&i| is_text(i) && repeated(col(i)));
        match (best, description) {
            (Some((score, i)), _) if score > 0 => assign(&mut roles, &mut taken, Role::Type, i),
            (_, Some(i)) => {
                roles.remove(&Role::Description);
                roles.insert(Role::Type, i);
            }
            (Some((_, i)), None) => assign(&mut roles, &mut taken, Role::Type, i),
            (None, None) => {}
        }
    }
    // Other roles by name, each checked by its values.
    for (r, names) in NAMED {
        if roles.contains_key(r) {
            continue;
        }
        let found = names.iter().find_map(|n| {
            keys.iter()
                .enumerate()
                .position(|(i, k)| k == n && !taken.contains(&i))
                .filter(|&i| fits(*r, col(i)))
        });
        if let Some(i) = found {
            assign(&mut roles, &mut taken, *r, i);
        }
    }

    let mut missing = Vec::new();
    if !roles.contains_key(&Role::Date) {
        missing.push("a date (or date-time) column".into());
    }
    if !roles.contains_key(&Role::Type) {
        missing.push("a crime-type column".into());
    }
    let has_coords = roles.contains_key(&Role::Latitude) && roles.contains_key(&Role::Longitude);
    let no_place = !has_coords && !roles.contains_key(&Role::Point) && projection.is_none();
    // A table of counts by year and month (Calgary's "Community Crime Statistics"): not a list
    // of incidents, and saying so helps more than naming the columns it lacks.
    let counted = keys.iter().any(|k| {
        k.contains("count")
            || k.starts_with("total")
            || k.starts_with("numberof")
            || k == "incidents"
            || k == "cases"
    }) && keys.iter().any(|k| k.contains("year") || k == "yr")
        && keys.iter().any(|k| k.contains("month"));
    let addressed = roles.contains_key(&Role::Block)
        || keys
            .iter()
            .any(|k| ["addr", "address", "direccion", "adresse", "street"].iter().any(|w| k.contains(w)));
    if counted && (no_place || !roles.contains_key(&Role::Date)) {
        missing = vec![
            "one row per incident: the file holds counts by month (a summary table); export the incidents themselves, with their dates and places".into(),
        ];
    } else if no_place {
        missing.push(if xy_pairs.is_empty() && addressed {
            "coordinates: the file has addresses but no latitude and longitude (nor X/Y); geocode the addresses first (a city GIS office or a geocoding tool), then load the file with its coordinates".into()
        } else if xy_pairs.is_empty() {
            "coordinates (latitude and longitude, or one point column)".into()
        } else if wanted_crs.is_some() {
            "coordinates: the mapping's \"crs\" is not an EPSG code PatrolIQ knows (US State Plane, UTM, a national grid such as 27700 or 2154, or 3857)".into()
        } else {
            unknown_projection(&xy_pairs)
        });
    }
    if !missing.is_empty() {
        return Err(Missing { roles: missing, guessed: roles });
    }

    // Swapped columns: "latitude" values beyond ±90 or the pair reversed in a known range.
    let number = |v: &str| parse(v).filter(|f| f.is_finite());
    let mut pts: Vec<(f64, f64)> = if has_coords {
        let (a, b) = (roles[&Role::Latitude], roles[&Role::Longitude]);
        sample.iter().filter_map(|r| Some((number(r.get(a)?)?, number(r.get(b)?)?))).collect()
    } else {
        Vec::new()
    };
    if let Some(&p) = roles.get(&Role::Point) {
        pts.extend(col(p).filter_map(points::parse_point));
    }
    if let Some(p) = projection {
        if let Some(inv) = projected::Inverse::new(p.crs) {
            pts.extend(xy_pairs.iter().filter_map(|&(x, y)| inv.lat_lon(x, y)));
        }
    }
    pts.retain(|&(la, lo)| (la, lo) != (0.0, 0.0) && la.abs() <= 180.0 && lo.abs() <= 180.0);
    let swapped = has_coords
        && {
            let la = finite_median(pts.iter().map(|p| p.0));
            let lo = finite_median(pts.iter().map(|p| p.1));
            matches!((la, lo), (Some(la), Some(lo)) if la.abs() > 90.0 || (la.abs() > 60.0 && lo.abs() < 60.0 && lo.abs() > 15.0))
        };
    if swapped {
        for p in &mut pts {
            *p = (p.1, p.0);
        }
    }
    pts.retain(|p| p.0.abs() <= 90.0);
    // The portal's layout (IUCR is Illinois' code) is Chicago's data: a point elsewhere is a bad
    // geocode, however many there are.
    let chicago_header = preset.is_some_and(|p| p.name == "chicago_portal");
    let area = if chicago_header {
        Area::Chicago
    } else {
        match densest(&pts) {
            Some((la, lo)) if !Area::Chicago.contains(la, lo) => Area::Around { lat: la, lon: lo },
            _ => Area::Chicago,
        }
    };
    let centre = match area {
        Area::Around { lat, lon } => Some((lat, lon)),
        Area::Chicago => None,
    };
    let (zone, zone_guessed) = match (area, centre) {
        (Area::Chicago, _) => (Zone::UsCentral, false),
        (_, Some((la, lo))) => (Zone::guess(la, lo), true),
        _ => (Zone::Utc, true),
    };

    let mut map = ColumnMap::from_headers(std::iter::empty::<&str>());
    map.width = headers.len();
    for (r, &i) in &roles {
        if let Some(c) = r.column() {
            map.set(c, i);
        }
    }
    // The table's X/Y are Chicago's State Plane: another city's are only read into degrees.
    if area != Area::Chicago || projection.is_some_and(|p| p.crs.code != 3435) {
        map.unset(Column::XCoordinate);
        map.unset(Column::YCoordinate);
        if projection.is_none() {
            roles.remove(&Role::X);
            roles.remove(&Role::Y);
        }
    }
    let columns =
        roles.iter().map(|(r, &i)| (*r, headers[i].trim_start_matches('\u{feff}').to_owned())).collect();
    Ok(Layout {
        preset: if area == Area::Chicago
            && preset.is_none_or(|p| p.name == "chicago_portal")
            && roles.contains_key(&Role::FbiCode)
        {
            "chicago_portal"
        } else {
            preset.map_or("generic", |p| p.name)
        },
        derive_fbi: !roles.contains_key(&Role::FbiCode),
        date_format: date.map(|(_, d)| d.format),
        time,
        zone,
        zone_guessed,
        status: roles.get(&Role::Status).copied(),
        swapped,
        area,
        map,
        columns,
        projected: projection,
        offsets_are_wall: chicago_header && date.is_some_and(|(_, d)| d.offset > 0.5),
        decimal_comma,
        date_parts,
        unjoined_time,
    })
}

/// A key named as a time of day (`TIME OCC`, `OCC_HOUR`, `hora_hechos`, `Tatzeit`, `Pleegtijd`,
/// Italian `ora`), not a report's or an end's.
fn time_named(k: &str) -> bool {
    (["time", "hour", "hora", "heure", "zeit", "tijd"].iter().any(|n| k.contains(n))
        || k.ends_with("tm")
        || k.ends_with("hr")
        // Italian `ora`, alone or at either end (`ora_fatto`), not inside a word.
        || k.starts_with("ora")
        || k.ends_with("ora"))
        && !["rpt", "report", "end", "to"].iter().any(|n| k.ends_with(n) || k.starts_with(n))
}

/// What to say of projected X/Y whose CRS was not found: the CRSs that place them near a city,
/// when some do (the user knows which is right), else how to name one.
fn unknown_projection(xy: &[(f64, f64)]) -> Cow<'static, str> {
    let x = finite_median(xy.iter().map(|p| p.0));
    let y = finite_median(xy.iter().map(|p| p.1));
    let (mut named, mut codes): (Vec<String>, Vec<u32>) = (Vec::new(), Vec::new());
    for (_, crs, city) in x.zip(y).map(|(x, y)| projected::landings(x, y)).unwrap_or_default() {
        if !codes.contains(&crs.code) && named.len() < 3 {
            codes.push(crs.code);
            named.push(format!("EPSG:{} ({}, near {city})", crs.code, crs.name));
        }
    }
    if named.is_empty() {
        return "coordinates: the X/Y columns are in a projection PatrolIQ could not tell; give latitude and longitude, or the EPSG code as \"crs\" in the column mapping".into();
    }
    format!(
        "coordinates: the X/Y columns could be in {}; name the right one as \"crs\" in the column mapping, or give latitude and longitude",
        named.join(" or ")
    )
    .into()
}

/// A key named like a latitude beyond [`LAT_NAMES`].
pub(crate) fn lat_like(k: &str) -> bool {
    k.contains("latitud")
        || k.contains("breitengrad")
        || k.contains("breedtegraad")
        || k.starts_with("lat")
        || k.ends_with("lat")
}

/// A key named like a longitude beyond [`LON_NAMES`].
pub(crate) fn lon_like(k: &str) -> bool {
    k.contains("longitud")
        || k.contains("längengrad")
        || k.contains("laengengrad")
        || k.contains("lengtegraad")
        || ["lon", "lng", "long"].iter().any(|n| k.starts_with(n) || k.ends_with(n))
}

pub(crate) const LAT_NAMES: [&str; 9] =
    ["latitude", "lat", "geolat", "ylat", "intptlat", "gpslat", "pointy", "y", "latitud"];
pub(crate) const LON_NAMES: [&str; 11] =
    ["longitude", "lon", "lng", "long", "geolon", "xlon", "intptlon", "gpslon", "pointx", "x", "longitud"];

/// Projected coordinates' names (NYPD `X_COORD_CD`, Denver `GEO_X`, Chicago `X Coordinate`).
const X_NAMES: [&str; 10] =
    ["xcoordinate", "xcoord", "xcoordcd", "geox", "x", "easting", "pointx", "xcoordinates", "locx", "xpos"];
const Y_NAMES: [&str; 10] =
    ["ycoordinate", "ycoord", "ycoordcd", "geoy", "y", "northing", "pointy", "ycoordinates", "locy", "ypos"];

/// Roles found by name alone (then checked by [`fits`]), most likely name first.
const NAMED: &[(Role, &[&str])] = &[
    (
        Role::Id,
        &[
            "id",
            "incidentid",
            "rowid",
            "objectid",
            "eventid",
            "uniquekey",
            "cmplntnum",
            "drno",
            "pk",
            "offenseid",
            "recordid",
        ],
    ),
    (
        Role::CaseNumber,
        &["casenumber", "caseno", "reportnumber", "incidentnumber", "reportno", "ccr", "dckey", "case"],
    ),
    (
        Role::Description,
        &[
            "description",
            "pddesc",
            "incidentdescription",
            "incidentsubcategory",
            "offensedescription",
            "subcategory",
            "offense",
            "offence",
            "offenses",
            "offensetypeid",
            "crimedescription",
            "descript",
        ],
    ),
    (
        Role::Code,
        &[
            "iucr",
            "crmcd",
            "kycd",
            "ucrgeneral",
            "incidentcode",
            "offensecode",
            "ucrcode",
            "nibrscode",
            "ucr",
            "crimecode",
        ],
    ),
    (
        Role::Block,
        &[
            "block",
            "address",
            "locationblock",
            "incidentaddress",
            "100blockaddress",
            "hundredblock",
            "blockaddress",
            "streetaddress",
            "incidentlocation",
            "location",
            "intersection",
            "street",
        ],
    ),
    (
        Role::LocationDescription,
        &[
            "locationdescription",
            "premisdesc",
            "premtypdesc",
            "premise",
            "premisetype",
            "premisedescription",
            "locationtype",
            "loctype",
        ],
    ),
    (Role::Arrest, &["arrest", "arrested", "arrestmade", "cleared", "clearedflag"]),
    (Role::Status, &["statusdesc", "status", "resolution", "disposition", "clearancetype"]),
    (Role::Domestic, &["domestic", "domesticviolence", "isdomestic"]),
    (
        Role::District,
        &["district", "policedistrict", "districtid", "precinct", "addrpctcd", "dcdist", "area", "division"],
    ),
    (Role::Beat, &["beat", "rptdistno", "psa", "reportingdistrict", "beatnum", "sector"]),
];

/// Whether a column's sample fits a role found by name.
fn fits<'a>(r: Role, values: impl Iterator<Item = &'a str> + Clone) -> bool {
    match r {
        Role::Id => {
            let v: Vec<&str> = values.filter(|v| !v.trim().is_empty()).collect();
            let unique: HashSet<&str> = v.iter().copied().collect();
            !v.is_empty()
                && unique.len() * 100 >= v.len() * 99
                && v.iter().all(|s| s.trim().parse::<f64>().is_ok())
        }
        Role::Arrest | Role::Domestic => {
            share(values, |v| crate::clean::parse::boolean(crate::clean::parse::Value::Text(v)).is_ok())
                >= 0.95
        }
        Role::District | Role::Beat => {
            share(values, |v| {
                v.trim().parse::<f64>().is_ok_and(|f| f >= 0.0 && f.fract() == 0.0 && f < 10_000.0)
            }) >= 0.9
        }
        Role::Block | Role::Description | Role::LocationDescription | Role::Status => {
            share(values.clone(), |v| points::parse_point(v).is_none()) >= 0.9
                && share(values, |v| v.parse::<f64>().is_err()) >= 0.5
        }
        _ => true,
    }
}

/// How much a column's name says "offence type" (0 = not at all).
fn type_score(k: &str) -> i32 {
    const EXACT: [&str; 20] = [
        "primarytype",
        "crmcddesc",
        "ofnsdesc",
        "incidentcategory",
        "textgeneralcode",
        "offenseparentgroup",
        "offensecategoryid",
        "incidenthierarchydesc",
        "offensetype",
        "crimetype",
        "offensecategory",
        "category",
        "crimecategory",
        "typeofcrime",
        "offense",
        "offence",
        "crime",
        "type",
        "ucrdesc",
        "incidenttype",
    ];
    if EXACT.contains(&k) {
        return 20 - EXACT.iter().position(|e| *e == k).unwrap_or(0) as i32 / 4;
    }
    const NOT: [&str; 17] = [
        "premis", "loc", "weapon", "vict", "susp", "status", "report", "address", "street", "race", "sex",
        "descent", "mocode", "district", "area", "name", "place",
    ];
    if NOT.iter().any(|n| k.contains(n)) {
        return 0;
    }
    [
        ("categ", 8),
        ("offen", 7),
        ("type", 6),
        ("crime", 6),
        ("charge", 5),
        ("literal", 5),
        ("nibrs", 7),
        ("delit", 7),
        ("delikt", 7),
        ("delict", 7),
        ("straftat", 7),
        ("misdrijf", 7),
        ("reato", 7),
        ("reati", 7),
        ("rubrica", 6),
        ("tipolog", 6),
        ("natureza", 5),
        ("infrac", 6),
        ("nature", 5),
        ("desc", 3),
        ("ucr", 3),
    ]
    .iter()
    .filter(|(n, _)| k.contains(n))
    .map(|(_, s)| *s)
    .max()
    .unwrap_or(0)
}

/// `41,784896`: a number with a decimal comma, unambiguously (four or more digits after it).
fn comma_decimal(v: &str) -> bool {
    let v = v.trim();
    let Some((int, frac)) = v.split_once(',') else { return false };
    let int = int.strip_prefix('-').unwrap_or(int);
    (1..=3).contains(&int.len())
        && frac.len() >= 4
        && int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
}

/// A number as text, its decimal separator a comma if `decimal_comma`.
pub(crate) fn parse_number(v: &str, decimal_comma: bool) -> Option<f64> {
    let v = v.trim();
    match v.parse::<f64>() {
        Ok(f) => Some(f),
        Err(_) if decimal_comma && comma_decimal(v) => v.replacen(',', ".", 1).parse().ok(),
        Err(_) => hemisphere(v),
    }
}

/// Degrees written with a degree sign or a hemisphere letter: `40.684896°N`, `111.83° W`,
/// `S33.87`, `-87.7°`; south and west are negative.
fn hemisphere(v: &str) -> Option<f64> {
    let (body, sign) = match v.chars().last()? {
        'N' | 'n' | 'E' | 'e' => (&v[..v.len() - 1], 1.0),
        'S' | 's' | 'W' | 'w' => (&v[..v.len() - 1], -1.0),
        _ => match v.chars().next()? {
            'N' | 'n' | 'E' | 'e' => (&v[1..], 1.0),
            'S' | 's' | 'W' | 'w' => (&v[1..], -1.0),
            _ if v.contains('°') => (v, 1.0),
            _ => return None,
        },
    };
    let f: f64 = body.trim().trim_end_matches('°').trim().parse().ok()?;
    (f.is_finite() && f.abs() <= 180.0).then_some(if f < 0.0 { f } else { sign * f })
}

/// Whether a column's name says it holds dates or times, so bare numbers in it (Excel serial
/// days, epoch seconds) may be read as such.
fn named_as_date(k: &str) -> bool {
    ["date", "time", "stamp"].iter().any(|n| k.contains(n))
}

/// Labels that repeat: at most a third as many distinct values as rows (and more than one).
fn repeated<'a>(values: impl Iterator<Item = &'a str>) -> bool {
    let v: Vec<&str> = values.map(str::trim).filter(|v| !v.is_empty()).collect();
    let distinct: HashSet<&str> = v.iter().copied().collect();
    distinct.len() >= 2 && (distinct.len() * 3 <= v.len() || distinct.len() <= 60)
}

/// Two column keys of one event (`cmplntfrdt` / `cmplntfrtm`, `dateocc` / `timeocc`,
/// `dispatchdate` / `dispatchtime`): the same words once `date`/`time`/`dt`/`tm` are taken out.
fn shares_stem(time: &str, date: &str) -> bool {
    let strip = |k: &str| {
        ["date", "time", "hour", "fecha", "hora", "heure", "datum", "zeit", "tijd", "data", "ora"]
            .iter()
            .fold(k.to_owned(), |k, w| k.replace(w, ""))
            .trim_end_matches("dt")
            .trim_end_matches("tm")
            .trim_end_matches("hr")
            .to_owned()
    };
    let (a, b) = (strip(time), strip(date));
    a == b || a.is_empty() || b.is_empty() || a.contains(&b) || b.contains(&a)
}

/// Share of the non-empty values that pass `ok` (0 when all are empty).
fn share<'a>(values: impl Iterator<Item = &'a str>, ok: impl Fn(&str) -> bool) -> f64 {
    let (mut n, mut good) = (0usize, 0usize);
    for v in values.map(str::trim).filter(|v| !v.is_empty()) {
        n += 1;
        good += usize::from(ok(v));
    }
    if n == 0 {
        0.0
    } else {
        good as f64 / n as f64
    }
}

/// The point with the most others in its [`Area::Around`] box (the city, not its stray geocodes),
/// then the median of those others: robust to a file whose bad points outnumber none of the good.
fn densest(pts: &[(f64, f64)]) -> Option<(f64, f64)> {
    let step = (pts.len() / 500).max(1);
    let best = pts
        .iter()
        .step_by(step)
        .map(|&(la, lo)| {
            let a = Area::Around { lat: la, lon: lo };
            (pts.iter().filter(|p| a.contains(p.0, p.1)).count(), (la, lo))
        })
        .max_by_key(|(n, _)| *n)?
        .1;
    let around = Area::Around { lat: best.0, lon: best.1 };
    let near: Vec<&(f64, f64)> = pts.iter().filter(|p| around.contains(p.0, p.1)).collect();
    Some((finite_median(near.iter().map(|p| p.0))?, finite_median(near.iter().map(|p| p.1))?))
}

#[cfg(test)]
mod tests;
