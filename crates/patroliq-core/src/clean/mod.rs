//! Cleaning: source rows in, typed incidents out, every dropped row counted by reason.
//!
//! The loaders (CSV, Parquet, demo) only split bytes into fields; every decision about what a
//! field means and whether a row is kept is made here, once, for all sources.

pub(crate) mod columns;
mod ids;
pub mod parse;
pub mod report;
pub mod taxonomy;

use std::borrow::Cow;
use std::collections::BTreeMap;

use compact_str::CompactString;
use parse::{Invalid, Value};
pub use report::{CleaningReport, DropReason, Projection, SourceInfo, TypeCount};

use crate::load::layout::dates::DateFormat;
use crate::load::layout::{self, parts, points, projected, Layout, Preview};
use crate::model::{CrimeTable, FlagColumn, Incident};
use crate::schema::{Column, ColumnMap};

/// Chicago's bounding box, from the portal's own extent (see shared/data/README.md).
pub const LAT_RANGE: (f64, f64) = (41.6, 42.1);
pub const LON_RANGE: (f64, f64) = (-87.95, -87.5);

const EXAMPLES_PER_REASON: usize = 5;

/// The largest district code kept: Chicago's districts are 1–31; other cities' precincts run
/// higher (NYPD's to 123).
fn max_district(chicago: bool) -> i64 {
    if chicago {
        99
    } else {
        254
    }
}

/// A State Plane coordinate as stored: the portal writes X = 0 for its bad-geocode rows.
fn state_plane(c: Option<f64>) -> Option<f32> {
    c.filter(|c| c.is_finite() && *c > 0.0).map(|c| c as f32)
}

/// Chicago's IUCR with the leading zero Excel drops ("486" for "0486"); `None` if it needs none.
fn pad_iucr(s: &str, chicago: bool) -> Option<String> {
    (chicago && (1..4).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{s:0>4}"))
}

/// A source row: field `i` of the source, in the source's own order.
pub trait SourceRow {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn field(&self, i: usize) -> Value<'_>;
}

impl SourceRow for [Value<'_>] {
    fn len(&self) -> usize {
        <[Value<'_>]>::len(self)
    }
    fn field(&self, i: usize) -> Value<'_> {
        self[i]
    }
}

/// Accumulates the cleaned table and the report while rows stream in.
pub struct Cleaner {
    layout: Layout,
    /// The inverse of the layout's projected X/Y, for rows without degrees.
    inverse: Option<projected::Inverse>,
    projected_rows: u64,
    date_formats: BTreeMap<DateFormat, u64>,
    offset_rows: u64,
    /// Whether the date column's timestamps are instants (a Parquet timestamp with a time zone,
    /// read as UTC): turned into the data's local clock as dates written with an offset are.
    instant_dates: bool,
    /// Rows whose time-of-day column was blank or unreadable (`UNK`): placed at midnight.
    time_unread: u64,
    /// Rows dated from year, month and day columns (`layout::parts`).
    parts_rows: u64,
    /// (type, description) → derived FBI code, and the labels that mapped to nothing.
    fbi: std::collections::HashMap<String, Option<&'static str>>,
    unmapped: BTreeMap<String, u64>,
    key_buf: String,
    table: CrimeTable,
    seen_ids: ids::IdSet,
    /// The text dictionaries of the last typed batch ([`columns`]).
    mapped: columns::MappedCache,
    rows_read: u64,
    dropped: BTreeMap<DropReason, u64>,
    examples: BTreeMap<DropReason, Vec<u64>>,
    nulls: [u64; 22],
    invalid: [u64; 22],
    labels_normalised: u64,
    rows_not_utf8: u64,
    label_buf: String,
    /// What to keep while loading ([`Cleaner::with_filter`]), and the rows it left out.
    filter: crate::load::LoadFilter,
    rows_filtered: u64,
    /// The memory budget the kept rows were held to (for the report).
    budget: u64,
    /// The source's columns, first values and roles as detected: what the app's column mapper
    /// shows when the user changes the columns of a file that loaded.
    preview: Option<Box<Preview>>,
}

impl Cleaner {
    /// A cleaner of a source in the Chicago portal's layout, by its column names.
    pub fn new(map: ColumnMap) -> Self {
        Cleaner::with_layout(Layout::of_map(map))
    }

    /// A cleaner of a source whose layout was detected (`crate::load::layout::detect`).
    pub fn with_layout(layout: Layout) -> Self {
        Cleaner {
            inverse: layout.projected.and_then(|p| projected::Inverse::new(p.crs)),
            projected_rows: 0,
            layout,
            date_formats: BTreeMap::new(),
            offset_rows: 0,
            instant_dates: false,
            time_unread: 0,
            parts_rows: 0,
            fbi: Default::default(),
            unmapped: BTreeMap::new(),
            key_buf: String::new(),
            table: CrimeTable::new(),
            seen_ids: Default::default(),
            mapped: Default::default(),
            rows_read: 0,
            dropped: BTreeMap::new(),
            examples: BTreeMap::new(),
            nulls: [0; 22],
            invalid: [0; 22],
            labels_normalised: 0,
            rows_not_utf8: 0,
            label_buf: String::new(),
            filter: Default::default(),
            rows_filtered: 0,
            budget: crate::load::DEFAULT_TABLE_BUDGET,
            preview: None,
        }
    }

    /// Reads the date column's timestamps as UTC instants ([`Cleaner::instant_dates`]).
    pub(crate) fn set_instant_dates(&mut self, instants: bool) {
        self.instant_dates = instants;
    }

    /// The source's column holding the date.
    pub(crate) fn date_column(&self) -> Option<usize> {
        self.layout.map.get(Column::Date)
    }

    /// Keeps only the rows `filter` selects; the others are counted in the report's
    /// `rows_filtered`, not stored.
    pub fn with_filter(mut self, filter: crate::load::LoadFilter) -> Self {
        self.filter = filter;
        self
    }

    /// Holds the kept rows to `bytes` ([`Cleaner::check_budget`]); `expected_rows` (when the
    /// source's size tells it) is reserved at once so the columns never double at the end.
    pub fn with_budget(mut self, bytes: u64, expected_rows: Option<u64>) -> Self {
        self.budget = bytes;
        if let Some(n) = expected_rows.filter(|_| self.filter.is_everything()) {
            // Never reserve past the budget: a wrong estimate must not cost memory it lacks.
            let fit = bytes / 100;
            self.table.reserve(n.min(fit) as usize);
        }
        self
    }

    /// An error once the kept rows use more than the budget, saying what fits and what to do.
    /// Cheap ([`CrimeTable::used_bytes`] is O(1)); the sinks call it every few thousand rows.
    pub fn check_budget(&self) -> Result<(), crate::load::LoadError> {
        let used = self.table.used_bytes();
        if used <= self.budget {
            return Ok(());
        }
        let m = crate::load::subset::over_budget(
            self.budget,
            self.table.len() as u64,
            used,
            self.rows_read,
            &self.filter,
        );
        Err(crate::load::LoadError::TooLarge(m))
    }

    /// Keeps the columns and first values the layout was detected from (see [`Loaded::preview`]).
    ///
    /// [`Loaded::preview`]: crate::load::Loaded::preview
    pub fn with_preview(mut self, preview: Preview) -> Self {
        self.preview = Some(Box::new(preview));
        self
    }

    /// The preview kept by [`Cleaner::with_preview`], taken out.
    pub fn take_preview(&mut self) -> Option<Box<Preview>> {
        self.preview.take()
    }

    pub fn rows_read(&self) -> u64 {
        self.rows_read
    }

    pub fn rows_kept(&self) -> usize {
        self.table.len()
    }

    pub fn note_not_utf8(&mut self) {
        self.rows_not_utf8 += 1;
    }

    fn drop_row(&mut self, reason: DropReason) {
        *self.dropped.entry(reason).or_default() += 1;
        let ex = self.examples.entry(reason).or_default();
        if ex.len() < EXAMPLES_PER_REASON {
            ex.push(self.rows_read);
        }
    }

    /// Reads column `c` from the row; absent columns read as missing.
    fn get<'r, R: SourceRow + ?Sized>(&mut self, row: &'r R, c: Column) -> Value<'r> {
        match self.layout.map.get(c) {
            Some(i) if i < row.len() => row.field(i).normalised(),
            _ => Value::Null,
        }
    }

    /// Counts empty values of every column present in the source, before any row is dropped,
    /// so null counts do not depend on the order of the cleaning rules.
    fn count_nulls<R: SourceRow + ?Sized>(&mut self, row: &R) {
        for c in Column::ALL {
            if let Some(i) = self.layout.map.get(c) {
                let null = match row.field(i).normalised() {
                    Value::Null => true,
                    // `NULL`, `(Blank)`: missing in a text column (numbers' are invalid values).
                    Value::Text(s) => c.is_text() && parse::missing_text(parse::trim(s)),
                    _ => false,
                };
                if null {
                    self.nulls[c as usize] += 1;
                }
            }
        }
    }

    /// Unwraps a parsed optional field, counting unreadable values (which are kept as missing).
    fn ok<T>(&mut self, c: Column, p: parse::Parsed<T>) -> Option<T> {
        p.unwrap_or_else(|Invalid| {
            self.invalid[c as usize] += 1;
            None
        })
    }

    fn text<'r, R: SourceRow + ?Sized>(&mut self, row: &'r R, c: Column) -> Cow<'r, str> {
        match self.get(row, c) {
            Value::Text(s) => {
                let t = parse::trim(s);
                Cow::Borrowed(if parse::missing_text(t) { "" } else { t })
            }
            Value::Null => Cow::Borrowed(""),
            // Writers that infer types turn all-digit codes into numbers ("0486" → 486):
            // write them back with the portal's zero padding.
            Value::Int(i) => Cow::Owned(match c {
                Column::Iucr => format!("{i:04}"),
                Column::FbiCode => format!("{i:02}"),
                _ => i.to_string(),
            }),
            _ => {
                self.invalid[c as usize] += 1;
                Cow::Borrowed("")
            }
        }
    }

    /// Cleans one source row: keeps it in the table or counts why it was dropped.
    pub fn push<R: SourceRow + ?Sized>(&mut self, row: &R) {
        self.rows_read += 1;
        if row.len() != self.layout.map.width {
            self.drop_row(DropReason::MalformedRow);
            return;
        }
        self.count_nulls(row);
        let date = match self.date(row) {
            Ok(Some(d)) => d,
            Ok(None) => return self.drop_row(DropReason::MissingDate),
            Err(Invalid) => return self.drop_row(DropReason::UnparsableDate),
        };
        let raw_type = self.text(row, Column::PrimaryType);
        if raw_type.is_empty() {
            return self.drop_row(DropReason::MissingPrimaryType);
        }
        let mut label = std::mem::take(&mut self.label_buf);
        let relabelled = parse::normalise_label(&raw_type, &mut label);
        if !self.filter.keeps_date(date) || !self.filter.keeps_type(&label) {
            self.label_buf = label;
            self.rows_filtered += 1;
            return;
        }

        let outcome = self.coordinates(row).and_then(|(lat, lon)| {
            let id_v = self.get(row, Column::Id);
            let id = self.ok(Column::Id, parse::integer(id_v));
            if let Some(id) = id {
                if !self.seen_ids.insert(id) {
                    return Err(DropReason::DuplicateId);
                }
            }
            Ok((id, lat, lon))
        });
        let (id, latitude, longitude) = match outcome {
            Ok(v) => v,
            Err(reason) => {
                self.label_buf = label;
                return self.drop_row(reason);
            }
        };
        if relabelled {
            self.labels_normalised += 1;
        }

        let v = self.get(row, Column::Arrest);
        let mut arrest = self.ok(Column::Arrest, parse::boolean(v));
        if let (None, Some(i)) = (arrest, self.layout.status) {
            // "Adult Arrest", "Cite or Arrest Adult" — but not "No Arrest".
            arrest = row.field(i).normalised().as_text().map(|t| {
                let t = t.to_ascii_uppercase();
                t.contains("ARREST") && !t.contains("NO ARREST") && !t.contains("NOT ARREST")
            });
        }
        let v = self.get(row, Column::Domestic);
        let domestic = self.ok(Column::Domestic, parse::boolean(v));
        let v = self.get(row, Column::Beat);
        let beat = self.ok(Column::Beat, parse::code::<u16>(v, 9999));
        let v = self.get(row, Column::District);
        let district =
            self.ok(Column::District, parse::code::<u8>(v, max_district(self.layout.is_chicago())));
        let v = self.get(row, Column::Ward);
        let ward = self.ok(Column::Ward, parse::code::<u8>(v, 99));
        let v = self.get(row, Column::CommunityArea);
        // The portal writes community area "0" for a handful of rows: not a real area (1–77).
        let community_area = self.ok(Column::CommunityArea, parse::code::<u8>(v, 77)).filter(|&c| c != 0);
        let v = self.get(row, Column::XCoordinate);
        let x = self.ok(Column::XCoordinate, parse::float(v));
        let v = self.get(row, Column::YCoordinate);
        let y = self.ok(Column::YCoordinate, parse::float(v));
        let v = self.get(row, Column::UpdatedOn);
        let updated_on = self.ok(Column::UpdatedOn, parse::datetime(v));

        let case_number = self.text(row, Column::CaseNumber);
        let block = self.text(row, Column::Block);
        let mut iucr = self.text(row, Column::Iucr);
        if let Some(padded) = pad_iucr(&iucr, self.layout.is_chicago()) {
            iucr = Cow::Owned(padded);
        }
        let description = self.text(row, Column::Description);
        let location_description = self.text(row, Column::LocationDescription);
        let fbi_code = if self.layout.derive_fbi {
            Cow::Borrowed(self.derived_fbi(&label, &description))
        } else {
            self.text(row, Column::FbiCode)
        };
        let incident = Incident {
            id,
            case_number: CompactString::new(&case_number),
            date,
            block: &block,
            iucr: &iucr,
            primary_type: &label,
            description: &description,
            location_description: &location_description,
            arrest,
            domestic,
            beat,
            district,
            ward,
            community_area,
            fbi_code: &fbi_code,
            x_coordinate: state_plane(x),
            y_coordinate: state_plane(y),
            updated_on,
            latitude,
            longitude,
        };
        self.table.push(&incident);
        self.label_buf = label;
    }

    /// The date of a row: in the column's detected format (or another, counted, when the row
    /// differs), plus the time column's time of day, in the data's local clock.
    fn date<R: SourceRow + ?Sized>(&mut self, row: &R) -> parse::Parsed<i64> {
        if let Some(p) = self.layout.date_parts {
            return self.date_of_parts(row, &p);
        }
        let v = self.get(row, Column::Date);
        let mut t = match (self.layout.date_format, v) {
            (Some(f), Value::Text(s)) => {
                let found = f.parse(s).map(|st| (f, st)).or_else(|| {
                    DateFormat::ALL
                        .into_iter()
                        .filter(|g| *g != f && !g.is_number())
                        .find_map(|g| g.parse(s).map(|st| (g, st)))
                });
                let Some((g, stamp)) = found else { return Err(Invalid) };
                *self.date_formats.entry(g).or_default() += 1;
                match stamp.offset.filter(|_| !self.layout.offsets_are_wall) {
                    Some(off) => {
                        self.offset_rows += 1;
                        self.layout.zone.local(stamp.wall - i64::from(off))
                    }
                    None => stamp.wall,
                }
            }
            _ => {
                let Some(t) = parse::datetime(v)? else { return Ok(None) };
                if self.instant_dates && matches!(v, Value::Timestamp(_)) {
                    self.offset_rows += 1;
                    self.layout.zone.local(t)
                } else {
                    t
                }
            }
        };
        if let Some((i, tf)) = self.layout.time {
            if t.rem_euclid(86_400) == 0 && i < row.len() {
                let secs = match row.field(i).normalised() {
                    Value::Text(x) => tf.parse(x),
                    Value::Int(n) => tf.parse(&n.to_string()),
                    Value::Float(f) if f.fract() == 0.0 => tf.parse(&(f as i64).to_string()),
                    _ => None,
                };
                if secs.is_none() {
                    self.time_unread += 1;
                }
                t += secs.unwrap_or(0);
            }
        }
        Ok(Some(t))
    }

    /// The date of a row whose year, month, day (hour, minute) are columns of their own.
    fn date_of_parts<R: SourceRow + ?Sized>(&mut self, row: &R, p: &parts::DateParts) -> parse::Parsed<i64> {
        let field = |i: usize| {
            (i < row.len()).then(|| row.field(i).normalised()).and_then(|v| match v {
                Value::Text(t) if parse::missing_text(parse::trim(t)) => None,
                Value::Text(t) => Some(parts::Field::Text(t)),
                Value::Int(n) => Some(parts::Field::Number(n as f64)),
                Value::Float(f) => Some(parts::Field::Number(f)),
                _ => None,
            })
        };
        match parts::read(p, field) {
            parts::Read::Stamp(t, unread) => {
                self.parts_rows += 1;
                self.time_unread += u64::from(unread);
                Ok(Some(t))
            }
            parts::Read::Missing => Ok(None),
            parts::Read::Invalid => Err(Invalid),
        }
    }

    /// The FBI code of an offence label without one (the common taxonomy), remembered per label.
    fn derived_fbi(&mut self, label: &str, description: &str) -> &'static str {
        self.key_buf.clear();
        self.key_buf.push_str(label);
        self.key_buf.push('\u{1f}');
        self.key_buf.push_str(description);
        let code = match self.fbi.get(self.key_buf.as_str()) {
            Some(c) => *c,
            None => {
                let c = taxonomy::fbi_code(label, description);
                self.fbi.insert(self.key_buf.clone(), c);
                c
            }
        };
        code.unwrap_or_else(|| {
            *self.unmapped.entry(label.to_owned()).or_default() += 1;
            "26"
        })
    }

    /// Latitude/Longitude, or the Location column when those are empty.
    fn coordinates<R: SourceRow + ?Sized>(&mut self, row: &R) -> Result<(f64, f64), DropReason> {
        let (lat_c, lon_c) = if self.layout.swapped {
            (Column::Longitude, Column::Latitude)
        } else {
            (Column::Latitude, Column::Longitude)
        };
        let lat_v = self.get(row, lat_c);
        let lon_v = self.get(row, lon_c);
        let loc_v = self.get(row, Column::Location);
        let comma = self.layout.decimal_comma;
        let float = |v: Value<'_>| match v.normalised() {
            Value::Text(t) if parse::missing_text(parse::trim(t)) => Ok(None),
            Value::Text(t) if comma => layout::parse_number(t, true).map(Some).ok_or(Invalid),
            // `40.68°N`, `111.83 W`: read only when the number alone is not.
            Value::Text(t) => {
                parse::float(v).or_else(|_| layout::parse_number(t, false).map(Some).ok_or(Invalid))
            }
            v => parse::float(v),
        };
        let (lat, lon) = match (float(lat_v), float(lon_v)) {
            (Ok(Some(lat)), Ok(Some(lon))) => (lat, lon),
            (Ok(None), Ok(None)) => match loc_v {
                Value::Null if self.inverse.is_some() => self.projected_point(row)?,
                Value::Null => return Err(DropReason::MissingCoordinates),
                v => v.as_text().and_then(points::parse_point).ok_or(DropReason::InvalidCoordinates)?,
            },
            (Ok(None), _) | (_, Ok(None)) => return Err(DropReason::MissingCoordinates),
            _ => return Err(DropReason::InvalidCoordinates),
        };
        if !lat.is_finite() || !lon.is_finite() {
            return Err(DropReason::InvalidCoordinates);
        }
        if lat == 0.0 && lon == 0.0 {
            return Err(DropReason::ZeroCoordinates);
        }
        if !self.layout.area.contains(lat, lon) {
            return Err(DropReason::OutOfBounds);
        }
        Ok((lat, lon))
    }

    /// Degrees from the row's projected X/Y.
    fn projected_point<R: SourceRow + ?Sized>(&mut self, row: &R) -> Result<(f64, f64), DropReason> {
        let (Some(p), Some(inv)) = (self.layout.projected, &self.inverse) else {
            return Err(DropReason::MissingCoordinates);
        };
        let read = |i: usize| match row.field(i).normalised() {
            Value::Null => Ok(None),
            Value::Int(n) => Ok(Some(n as f64)),
            Value::Float(f) => Ok(Some(f)),
            Value::Text(t) => projected::number(t).map(Some).ok_or(DropReason::InvalidCoordinates),
            _ => Err(DropReason::InvalidCoordinates),
        };
        match (read(p.x)?, read(p.y)?) {
            (Some(x), Some(y)) if x == 0.0 || y == 0.0 => Err(DropReason::ZeroCoordinates),
            (Some(x), Some(y)) => {
                let ll = inv.lat_lon(x, y).ok_or(DropReason::InvalidCoordinates)?;
                self.projected_rows += 1;
                Ok(ll)
            }
            _ => Err(DropReason::MissingCoordinates),
        }
    }

    /// Ends cleaning: the table and its report (source and timing are filled in by the loader).
    pub fn finish(self, source: SourceInfo) -> (CrimeTable, CleaningReport) {
        let mut table = self.table;
        table.shrink_to_fit();
        table.share_codes();
        let n = table.len();
        let type_counts = table.primary_type.counts();
        let mut primary_type_counts: Vec<TypeCount> = table
            .primary_type
            .values()
            .iter()
            .zip(&type_counts)
            .filter(|(_, &c)| c > 0)
            .map(|(t, &count)| TypeCount { primary_type: t.clone(), count })
            .collect();
        primary_type_counts.sort_by(|a, b| b.count.cmp(&a.count).then(a.primary_type.cmp(&b.primary_type)));
        let rate = |col: &FlagColumn| {
            if n == 0 {
                0.0
            } else {
                col.iter().filter(|&v| v == 1).count() as f64 / n as f64
            }
        };
        let absent: Vec<String> = self.layout.map.absent().into_iter().map(String::from).collect();
        let well_formed = self.rows_read - self.dropped.get(&DropReason::MalformedRow).unwrap_or(&0);
        let mut nulls = self.nulls;
        for c in Column::ALL {
            if self.layout.map.get(c).is_none() {
                nulls[c as usize] = well_formed;
            }
        }
        let mut report = CleaningReport {
            source,
            rows_read: self.rows_read,
            rows_clean: n as u64,
            dropped: DropReason::ALL
                .iter()
                .map(|r| (r.key().to_owned(), self.dropped.get(r).copied().unwrap_or(0)))
                .collect(),
            dropped_examples: self.examples.iter().map(|(r, v)| (r.key().to_owned(), v.clone())).collect(),
            date_min: table.date.iter().min().map(parse::format_datetime),
            date_max: table.date.iter().max().map(parse::format_datetime),
            primary_types: primary_type_counts.len(),
            primary_type_counts,
            null_counts: Column::ALL
                .iter()
                .map(|c| (c.portal_name().to_owned(), nulls[*c as usize]))
                .collect(),
            invalid_counts: Column::ALL
                .iter()
                .filter(|c| self.invalid[**c as usize] > 0)
                .map(|c| (c.portal_name().to_owned(), self.invalid[*c as usize]))
                .collect(),
            columns_absent: absent,
            labels_normalised: self.labels_normalised,
            rows_not_utf8: self.rows_not_utf8,
            arrest_rate: rate(&table.arrest),
            domestic_rate: rate(&table.domestic),
            table_bytes: table.heap_bytes() as u64,
            duration_ms: 0.0,
            warnings: Vec::new(),
            layout: self.layout.preset.to_owned(),
            columns: self.layout.columns.iter().map(|(r, h)| (r.key().to_owned(), h.clone())).collect(),
            date_formats: self
                .date_formats
                .iter()
                .map(|(f, n)| (f.label().to_owned(), *n))
                .chain((self.parts_rows > 0).then(|| (PARTS_LABEL.to_owned(), self.parts_rows)))
                .collect(),
            time_zone: (self.offset_rows > 0).then(|| {
                format!(
                    "{} dates were written with a UTC offset and are shown in {}{}.",
                    crate::fmt::thousands(self.offset_rows),
                    self.layout.zone.label(),
                    if self.layout.zone_guessed { " (guessed from where the data is)" } else { "" }
                )
            }),
            fbi_codes_derived: self.layout.derive_fbi,
            projection: self.layout.projected.filter(|_| self.projected_rows > 0).map(|p| Projection {
                epsg: p.crs.code,
                name: p.crs.name.to_owned(),
                rows: self.projected_rows,
                city: p.city.map(str::to_owned),
            }),
            types_unmapped: {
                let mut v: Vec<TypeCount> = self
                    .unmapped
                    .into_iter()
                    .map(|(primary_type, count)| TypeCount { primary_type, count })
                    .collect();
                v.sort_by(|a, b| b.count.cmp(&a.count).then(a.primary_type.cmp(&b.primary_type)));
                v
            },
            chicago: self.layout.is_chicago(),
            rows_filtered: self.rows_filtered,
            filter: (!self.filter.is_everything()).then(|| self.filter.describe()),
            table_budget_bytes: self.budget,
        };
        report.warnings = warnings(&report);
        if let Some(col) = &self.layout.unjoined_time {
            report.warnings.push(format!(
                "The dates have no time of day, and the column “{col}” looks like times but could not be \
                 read as them (PatrolIQ reads 14:05, 2:05 PM, 1405, 05h36 and hours 0–23): every incident \
                 is at 00:00. If it holds the times, name it as the time with Change columns… (or \
                 `--columns`)."
            ));
        }
        if self.time_unread > 0 {
            report.warnings.push(format!(
                "{} rows have no readable time of day (blank, or written as “UNK”): they are placed at \
                 midnight, so the hour charts count them at 00:00.",
                crate::fmt::thousands(self.time_unread)
            ));
        }
        (table, report)
    }
}

/// The report's `date_formats` entry of dates read from year, month and day columns.
pub const PARTS_LABEL: &str = "year, month, day columns";

fn warnings(r: &CleaningReport) -> Vec<String> {
    let mut w = Vec::new();
    if r.rows_read == 0 {
        w.push("The file has a header but no data rows.".to_owned());
    } else if r.rows_clean == 0 {
        w.push("No row survived cleaning: check the drop reasons below.".to_owned());
    } else {
        let share = r.dropped_total() as f64 / (r.rows_read - r.rows_filtered).max(1) as f64;
        if share > 0.05 {
            w.push(format!(
                "{:.1}% of the rows were dropped: more than usual for a portal export (about 1%).",
                share * 100.0
            ));
        }
    }
    // Year and Location are derived from Date and Latitude/Longitude: not worth a warning; nor
    // are degrees read from a point or X/Y column, nor Chicago's State Plane X/Y elsewhere.
    let degrees_elsewhere = r.projection.is_some() || r.columns.contains_key("point");
    let absent: Vec<&str> = r
        .columns_absent
        .iter()
        .map(String::as_str)
        .filter(|c| !matches!(*c, "Year" | "Location"))
        .filter(|c| !(degrees_elsewhere && matches!(*c, "Latitude" | "Longitude")))
        .filter(|c| r.chicago || !matches!(*c, "X Coordinate" | "Y Coordinate"))
        .collect();
    if !absent.is_empty() {
        w.push(format!("Columns not in this file: {}.", absent.join(", ")));
    }
    if r.rows_not_utf8 > 0 {
        w.push(format!("{} rows were not UTF-8 and were read as Latin-1.", r.rows_not_utf8));
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: [&str; 22] = [
        "ID",
        "Case Number",
        "Date",
        "Block",
        "IUCR",
        "Primary Type",
        "Description",
        "Location Description",
        "Arrest",
        "Domestic",
        "Beat",
        "District",
        "Ward",
        "Community Area",
        "FBI Code",
        "X Coordinate",
        "Y Coordinate",
        "Year",
        "Updated On",
        "Latitude",
        "Longitude",
        "Location",
    ];

    const ROW: [&str; 22] = [
        "11192233",
        "JB100016",
        "12/31/2017 11:58:00 PM",
        "046XX N ST LOUIS AVE",
        "0630",
        "BURGLARY",
        "ATTEMPT FORCIBLE ENTRY",
        "APARTMENT",
        "false",
        "true",
        "1723",
        "017",
        "33",
        "14",
        "05",
        "1152214",
        "1930694",
        "2017",
        "05/04/2018 03:51:04 PM",
        "41.965693651",
        "-87.715726125",
        "(41.965693651, -87.715726125)",
    ];

    fn cleaner() -> Cleaner {
        Cleaner::new(ColumnMap::from_headers(HEADER))
    }

    fn push(c: &mut Cleaner, fields: &[&str]) {
        let vals: Vec<Value> = fields.iter().map(|s| Value::Text(s)).collect();
        c.push(vals.as_slice());
    }

    fn with(i: usize, v: &'static str) -> [&'static str; 22] {
        let mut r = ROW;
        r[i] = v;
        r
    }

    #[test]
    fn a_portal_row_is_read_with_its_quirks() {
        let mut c = cleaner();
        push(&mut c, &ROW);
        let (t, r) = c.finish(SourceInfo::default());
        assert_eq!(r.rows_clean, 1);
        let row = t.row(0);
        assert_eq!(row.id, Some(11192233));
        assert_eq!(row.arrest, Some(false));
        assert_eq!(row.domestic, Some(true));
        assert_eq!(row.beat, Some(1723));
        assert_eq!(row.district, Some(17));
        assert_eq!(row.community_area, Some(14));
        assert_eq!(row.iucr, "0630");
        assert_eq!(row.fbi_code, "05");
        assert_eq!(row.x_coordinate, Some(1152214.0));
        assert_eq!(r.date_min.as_deref(), Some("2017-12-31T23:58:00"));
        assert_eq!(r.primary_types, 1);
        assert_eq!(r.arrest_rate, 0.0);
        assert_eq!(r.domestic_rate, 1.0);
    }

    #[test]
    fn every_drop_reason_is_counted() {
        let mut c = cleaner();
        push(&mut c, &ROW);
        push(&mut c, &ROW); // duplicate ID
        push(&mut c, &with(2, "")); // missing date
        push(&mut c, &with(2, "31/12/2017 10:00")); // unparsable date
        push(&mut c, &with(5, " ")); // missing type
        let mut no_coords = with(19, "");
        no_coords[20] = "";
        no_coords[21] = "";
        push(&mut c, &no_coords);
        push(&mut c, &with(19, "NaN")); // invalid
        push(&mut c, &with(19, "abc")); // invalid
        let mut missouri = with(19, "36.619446395");
        missouri[20] = "-91.686565684";
        push(&mut c, &missouri);
        push(&mut c, &ROW[..21]); // malformed
        let (t, r) = c.finish(SourceInfo::default());
        assert_eq!(t.len(), 1);
        assert_eq!(r.rows_read, 10);
        assert_eq!(r.rows_clean, 1);
        let d = |k: &str| r.dropped[k];
        assert_eq!(d("duplicate_id"), 1);
        assert_eq!(d("missing_date"), 1);
        assert_eq!(d("unparsable_date"), 1);
        assert_eq!(d("missing_primary_type"), 1);
        assert_eq!(d("missing_coordinates"), 1);
        assert_eq!(d("invalid_coordinates"), 2);
        assert_eq!(d("out_of_bounds"), 1);
        assert_eq!(d("malformed_row"), 1);
        assert_eq!(r.dropped_total() + r.rows_clean, r.rows_read);
        assert_eq!(r.dropped_examples["invalid_coordinates"], vec![7, 8]);
    }

    #[test]
    fn location_fills_in_for_empty_latitude_longitude() {
        let mut c = cleaner();
        let mut r = with(19, "");
        r[20] = "";
        push(&mut c, &r);
        let (t, rep) = c.finish(SourceInfo::default());
        assert_eq!(rep.rows_clean, 1);
        assert_eq!(t.latitude.get(0), 41.965693651);
        assert_eq!(rep.null_counts["Latitude"], 1);
    }

    #[test]
    fn unreadable_optional_fields_are_kept_as_missing_and_counted() {
        let mut c = cleaner();
        let mut r = with(8, "maybe");
        r[13] = "0"; // the portal's community-area quirk
        r[11] = "";
        push(&mut c, &r);
        let (t, rep) = c.finish(SourceInfo::default());
        assert_eq!(rep.rows_clean, 1);
        assert_eq!(t.row(0).arrest, None);
        assert_eq!(t.row(0).community_area, None);
        assert_eq!(t.row(0).district, None);
        assert_eq!(rep.invalid_counts["Arrest"], 1);
        assert_eq!(rep.null_counts["District"], 1);
    }

    #[test]
    fn the_non_criminal_variant_is_folded() {
        let mut c = cleaner();
        push(&mut c, &with(5, "NON - CRIMINAL"));
        let mut other = with(5, "NON-CRIMINAL");
        other[0] = "2";
        push(&mut c, &other);
        let (_, rep) = c.finish(SourceInfo::default());
        assert_eq!(rep.primary_types, 1);
        assert_eq!(rep.labels_normalised, 1);
        assert_eq!(rep.primary_type_counts[0].count, 2);
    }

    #[test]
    fn numeric_codes_from_type_inferring_writers_get_their_zero_padding_back() {
        let mut c =
            Cleaner::new(ColumnMap::from_headers(["Date", "Primary Type", "IUCR", "FBI Code", "Location"]));
        let row = [
            Value::Text("2017-01-01"),
            Value::Text("BATTERY"),
            Value::Int(486),
            Value::Int(5),
            Value::Text("(41.9, -87.7)"),
        ];
        c.push(row.as_slice());
        let (t, _) = c.finish(SourceInfo::default());
        assert_eq!(t.iucr.get(0), "0486");
        assert_eq!(t.fbi_code.get(0), "05");
    }

    #[test]
    fn a_file_without_ids_is_not_deduplicated() {
        let mut c = Cleaner::new(ColumnMap::from_headers(["Date", "Primary Type", "Location"]));
        for _ in 0..3 {
            push(&mut c, &["2017-01-01T10:00:00", "THEFT", "(41.9, -87.7)"]);
        }
        let (_, rep) = c.finish(SourceInfo::default());
        assert_eq!(rep.rows_clean, 3);
        assert!(rep.columns_absent.contains(&"ID".to_owned()));
        assert_eq!(rep.null_counts["ID"], 3);
    }
}
