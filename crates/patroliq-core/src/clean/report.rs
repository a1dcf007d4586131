//! The validation and cleaning report shown after every load and printed by `patroliq validate`.
//!
//! Its JSON form is a contract with users' scripts (see README, "CLI JSON"): fields are only
//! ever added, never renamed or removed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Why a row was left out of the cleaned dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DropReason {
    /// The row has a different number of fields than the header.
    MalformedRow,
    MissingDate,
    UnparsableDate,
    MissingPrimaryType,
    MissingCoordinates,
    /// Coordinates present but not numbers (text, NaN, infinity).
    InvalidCoordinates,
    /// Outside the data's area: Chicago's bounding box (lat 41.6–42.1, lon −87.95 to −87.5) for
    /// Chicago, e.g. the portal's bad-geocode point in Missouri; about 110 km around the data's
    /// median point for other cities.
    OutOfBounds,
    /// Latitude and longitude both 0: a record that was never geocoded (LAPD writes 0, 0).
    ZeroCoordinates,
    /// The same `ID` was already kept earlier in the file.
    DuplicateId,
}

impl DropReason {
    pub const ALL: [DropReason; 9] = [
        DropReason::MalformedRow,
        DropReason::MissingDate,
        DropReason::UnparsableDate,
        DropReason::MissingPrimaryType,
        DropReason::MissingCoordinates,
        DropReason::InvalidCoordinates,
        DropReason::OutOfBounds,
        DropReason::ZeroCoordinates,
        DropReason::DuplicateId,
    ];

    pub fn key(self) -> &'static str {
        match self {
            DropReason::MalformedRow => "malformed_row",
            DropReason::MissingDate => "missing_date",
            DropReason::UnparsableDate => "unparsable_date",
            DropReason::MissingPrimaryType => "missing_primary_type",
            DropReason::MissingCoordinates => "missing_coordinates",
            DropReason::InvalidCoordinates => "invalid_coordinates",
            DropReason::OutOfBounds => "out_of_bounds",
            DropReason::ZeroCoordinates => "zero_coordinates",
            DropReason::DuplicateId => "duplicate_id",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            DropReason::MalformedRow => "wrong number of fields",
            DropReason::MissingDate => "no date",
            DropReason::UnparsableDate => "date not readable",
            DropReason::MissingPrimaryType => "no crime type",
            DropReason::MissingCoordinates => "no coordinates",
            DropReason::InvalidCoordinates => "coordinates not numbers",
            DropReason::OutOfBounds => "coordinates far outside the data's city",
            DropReason::ZeroCoordinates => "coordinates 0, 0 (never geocoded)",
            DropReason::DuplicateId => "duplicate ID",
        }
    }
}

/// Count of one crime type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeCount {
    pub primary_type: String,
    pub count: u64,
}

/// Where the data came from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// File name, URL or "demo".
    pub name: String,
    /// "csv", "csv.gz", "parquet" or "demo".
    pub format: String,
    /// Bytes read from the source (compressed size for gzip).
    pub bytes: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CleaningReport {
    pub source: SourceInfo,
    /// Data rows in the source (header excluded).
    pub rows_read: u64,
    /// Rows kept after cleaning.
    pub rows_clean: u64,
    /// Rows dropped, per reason (every reason is listed, zero or not).
    pub dropped: BTreeMap<String, u64>,
    /// Record numbers (1 = first data row) of the first few dropped rows, per reason.
    pub dropped_examples: BTreeMap<String, Vec<u64>>,
    /// Earliest and latest `Date` of the kept rows, ISO `YYYY-MM-DDThh:mm:ss`, Chicago local time.
    pub date_min: Option<String>,
    pub date_max: Option<String>,
    /// Number of distinct crime types among the kept rows.
    pub primary_types: usize,
    /// Kept rows per crime type, most frequent first.
    pub primary_type_counts: Vec<TypeCount>,
    /// Empty values per portal column among the well-formed rows read (a column absent from the
    /// source counts every row).
    pub null_counts: BTreeMap<String, u64>,
    /// Values present but unreadable per column (e.g. "maybe" in Arrest); they are kept as empty.
    pub invalid_counts: BTreeMap<String, u64>,
    /// Portal columns the source does not have.
    pub columns_absent: Vec<String>,
    /// Crime-type labels rewritten to their canonical form (e.g. "NON - CRIMINAL").
    pub labels_normalised: u64,
    /// Rows whose text was not valid UTF-8 and was read as Latin-1.
    pub rows_not_utf8: u64,
    /// Share of kept rows with an arrest, and flagged domestic (0–1).
    pub arrest_rate: f64,
    pub domestic_rate: f64,
    /// Approximate memory of the cleaned table, in bytes.
    pub table_bytes: u64,
    /// Wall-clock time of load + clean, in milliseconds.
    pub duration_ms: f64,
    /// Plain-language notes for the analyst (e.g. many rows dropped).
    pub warnings: Vec<String>,
    /// The layout recognised: a preset's name (`chicago_portal`, `lapd_2020_present`,
    /// `nypd_complaint`, …) or `generic` (found from names and values).
    #[serde(default)]
    pub layout: String,
    /// Role (`date`, `time`, `type`, `latitude`, `point`, …) → the source column that fed it.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Rows whose date was read in each format (`MM/DD/YYYY`, `M/D/YY`, `YYYY-MM-DD`, …): more
    /// than one key when a column mixes formats.
    #[serde(default)]
    pub date_formats: BTreeMap<String, u64>,
    /// How times written with a UTC offset were turned into the data's local clock, if any were.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Whether the FBI codes (severity, Part I) were derived from the offence labels because the
    /// file has no FBI code column.
    #[serde(default)]
    pub fbi_codes_derived: bool,
    /// The CRS projected X/Y were read in, for rows without latitude/longitude; absent when none
    /// were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projection: Option<Projection>,
    /// Offence labels no rule of the common taxonomy knows: they get code 26 (all other
    /// offences, severity 1). Most frequent first.
    #[serde(default)]
    pub types_unmapped: Vec<TypeCount>,
    /// Whether the data is Chicago's (its reference layers, stations and portal apply); other
    /// cities' data gets none of them.
    #[serde(default = "chicago_by_default")]
    pub chicago: bool,
    /// Rows left out by the load filter (a date range, crime types), not stored:
    /// `rows_read = rows_clean + dropped + rows_filtered`.
    #[serde(default)]
    pub rows_filtered: u64,
    /// The load filter in words ("from 2016-01-01, until 2016-12-31, BURGLARY only"); absent when
    /// every row was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// The memory the table was allowed (bytes): `table_bytes` of it is used.
    #[serde(default)]
    pub table_budget_bytes: u64,
}

/// How projected X/Y were turned into degrees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    /// The EPSG code (2263 = NAD83 / New York Long Island, US feet).
    pub epsg: u32,
    pub name: String,
    /// Rows whose coordinates came from X/Y.
    pub rows: u64,
    /// The city whose State Plane zone it is (from the layout, or from where the points land);
    /// absent when the column mapping named the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
}

fn chicago_by_default() -> bool {
    true
}

impl CleaningReport {
    pub fn dropped_total(&self) -> u64 {
        self.dropped.values().sum()
    }
}
