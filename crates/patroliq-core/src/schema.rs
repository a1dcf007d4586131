//! The "Crimes - 2001 to Present" column layout and how source headers map onto it.
//!
//! Headers are matched loosely (case, spaces, underscores and dashes are ignored) so that the
//! portal's CSV export ("Primary Type"), its SODA API ("primary_type") and files re-saved by
//! pandas, pyarrow or DuckDB all map to the same columns.

use serde::Serialize;

/// One column of the portal layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Column {
    Id,
    CaseNumber,
    Date,
    Block,
    Iucr,
    PrimaryType,
    Description,
    LocationDescription,
    Arrest,
    Domestic,
    Beat,
    District,
    Ward,
    CommunityArea,
    FbiCode,
    XCoordinate,
    YCoordinate,
    Year,
    UpdatedOn,
    Latitude,
    Longitude,
    Location,
}

impl Column {
    /// Whether the column holds text the table keeps as a dictionary (and the case number).
    pub fn is_text(self) -> bool {
        use Column::*;
        matches!(self, CaseNumber | Block | Iucr | PrimaryType | Description | LocationDescription | FbiCode)
    }

    pub const ALL: [Column; 22] = [
        Column::Id,
        Column::CaseNumber,
        Column::Date,
        Column::Block,
        Column::Iucr,
        Column::PrimaryType,
        Column::Description,
        Column::LocationDescription,
        Column::Arrest,
        Column::Domestic,
        Column::Beat,
        Column::District,
        Column::Ward,
        Column::CommunityArea,
        Column::FbiCode,
        Column::XCoordinate,
        Column::YCoordinate,
        Column::Year,
        Column::UpdatedOn,
        Column::Latitude,
        Column::Longitude,
        Column::Location,
    ];

    /// The exact header of the portal's CSV export.
    pub fn portal_name(self) -> &'static str {
        match self {
            Column::Id => "ID",
            Column::CaseNumber => "Case Number",
            Column::Date => "Date",
            Column::Block => "Block",
            Column::Iucr => "IUCR",
            Column::PrimaryType => "Primary Type",
            Column::Description => "Description",
            Column::LocationDescription => "Location Description",
            Column::Arrest => "Arrest",
            Column::Domestic => "Domestic",
            Column::Beat => "Beat",
            Column::District => "District",
            Column::Ward => "Ward",
            Column::CommunityArea => "Community Area",
            Column::FbiCode => "FBI Code",
            Column::XCoordinate => "X Coordinate",
            Column::YCoordinate => "Y Coordinate",
            Column::Year => "Year",
            Column::UpdatedOn => "Updated On",
            Column::Latitude => "Latitude",
            Column::Longitude => "Longitude",
            Column::Location => "Location",
        }
    }

    /// The field name of the portal's SODA API (`ijzp-q8t2`).
    pub fn soda_name(self) -> &'static str {
        match self {
            Column::Id => "id",
            Column::CaseNumber => "case_number",
            Column::Date => "date",
            Column::Block => "block",
            Column::Iucr => "iucr",
            Column::PrimaryType => "primary_type",
            Column::Description => "description",
            Column::LocationDescription => "location_description",
            Column::Arrest => "arrest",
            Column::Domestic => "domestic",
            Column::Beat => "beat",
            Column::District => "district",
            Column::Ward => "ward",
            Column::CommunityArea => "community_area",
            Column::FbiCode => "fbi_code",
            Column::XCoordinate => "x_coordinate",
            Column::YCoordinate => "y_coordinate",
            Column::Year => "year",
            Column::UpdatedOn => "updated_on",
            Column::Latitude => "latitude",
            Column::Longitude => "longitude",
            Column::Location => "location",
        }
    }

    /// Matches a header cell, ignoring case, spaces, underscores, dashes and a UTF-8 BOM.
    pub fn from_header(h: &str) -> Option<Column> {
        let key: String = h
            .trim_start_matches('\u{feff}')
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        Column::ALL.into_iter().find(|c| {
            let canon: String = c.soda_name().chars().filter(|c| *c != '_').collect();
            canon == key
        })
    }
}

/// Where each portal column sits in a source's fields, if it is there at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMap {
    index: [Option<usize>; 22],
    pub width: usize,
}

/// The columns a file must have: without a date, a type and a location there is nothing to analyse.
pub fn missing_required(map: &ColumnMap) -> Vec<&'static str> {
    let mut missing = Vec::new();
    for c in [Column::Date, Column::PrimaryType] {
        if map.get(c).is_none() {
            missing.push(c.portal_name());
        }
    }
    let has_latlon = map.get(Column::Latitude).is_some() && map.get(Column::Longitude).is_some();
    if !has_latlon && map.get(Column::Location).is_none() {
        missing.push("Latitude/Longitude (or Location)");
    }
    missing
}

impl ColumnMap {
    pub fn from_headers<'a>(headers: impl IntoIterator<Item = &'a str>) -> ColumnMap {
        let mut index = [None; 22];
        let mut width = 0;
        for (i, h) in headers.into_iter().enumerate() {
            width = i + 1;
            if let Some(c) = Column::from_header(h) {
                // First occurrence wins: a duplicated header must not silently shift data.
                index[c as usize].get_or_insert(i);
            }
        }
        ColumnMap { index, width }
    }

    pub fn get(&self, c: Column) -> Option<usize> {
        self.index[c as usize]
    }

    /// Reads column `c` from field `i` (a layout found by values, not names).
    pub fn set(&mut self, c: Column, i: usize) {
        self.index[c as usize] = Some(i);
    }

    pub fn unset(&mut self, c: Column) {
        self.index[c as usize] = None;
    }

    /// Portal columns that the source does not have (reported, not fatal).
    pub fn absent(&self) -> Vec<&'static str> {
        Column::ALL.iter().filter(|c| self.get(**c).is_none()).map(|c| c.portal_name()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portal_soda_and_pandas_headers_map_to_the_same_columns() {
        for c in Column::ALL {
            assert_eq!(Column::from_header(c.portal_name()), Some(c), "{c:?}");
            assert_eq!(Column::from_header(c.soda_name()), Some(c), "{c:?}");
            assert_eq!(Column::from_header(&c.portal_name().to_uppercase()), Some(c));
        }
        assert_eq!(Column::from_header("\u{feff}ID"), Some(Column::Id));
        assert_eq!(Column::from_header("community-area"), Some(Column::CommunityArea));
        assert_eq!(Column::from_header("Colour"), None);
    }

    #[test]
    fn required_columns_are_reported_by_their_portal_names() {
        let m = ColumnMap::from_headers(["ID", "Block", "Latitude"]);
        assert_eq!(missing_required(&m), vec!["Date", "Primary Type", "Latitude/Longitude (or Location)"]);
        let ok = ColumnMap::from_headers(["date", "primary_type", "location"]);
        assert!(missing_required(&ok).is_empty());
    }
}
