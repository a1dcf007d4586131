//! Records inside other containers: a ZIP holding one data file (the portal's zipped download),
//! an Excel workbook (`.xlsx`, itself a ZIP: an analyst's own records system export), and JSON — an array of records (the portal's SODA API: values as strings, null keys left out,
//! `location` a GeoJSON point), or a GeoJSON FeatureCollection of incidents.
//!
//! Both are read whole: a ZIP's index is at its end, and a JSON document is one value. The
//! records then go through the same detection and cleaning as CSV rows (`super::csv::CsvSink`).

use std::io::Read;

use super::arcgis;
use super::csv::CsvSink;
use super::LoadError;

/// The one data file of a ZIP archive: its name and bytes (inflated, at most `limit` bytes).
/// Folders, `__MACOSX` copies and read-me files are skipped; with several data files, the
/// largest is read and the others are named in the error if it fails.
pub fn unzip(bytes: &[u8], limit: u64) -> Result<(String, Vec<u8>), LoadError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        LoadError::Malformed(format!("the ZIP archive cannot be opened ({e}); it may be incomplete"))
    })?;
    let mut best: Option<(usize, u64, String)> = None;
    for i in 0..archive.len() {
        let f = archive
            .by_index_raw(i)
            .map_err(|e| LoadError::Malformed(format!("the ZIP archive is damaged ({e})")))?;
        let name = f.name().to_owned();
        let lower = name.to_ascii_lowercase();
        let data = [".csv", ".txt", ".tsv", ".json", ".geojson", ".parquet", ".gz"]
            .iter()
            .any(|x| lower.ends_with(x));
        if f.is_dir() || lower.contains("__macosx/") || !data || lower.contains("readme") {
            continue;
        }
        if best.as_ref().is_none_or(|b| f.size() > b.1) {
            best = Some((i, f.size(), name));
        }
    }
    let Some((i, size, name)) = best else {
        return Err(LoadError::Unsupported(
            "the ZIP archive holds no CSV, JSON, GeoJSON or Parquet file".into(),
        ));
    };
    if size > limit {
        return Err(LoadError::TooLarge(format!(
            "{name} inside the ZIP is {} MB once unzipped, more than this tab can hold",
            size >> 20
        )));
    }
    let f = archive
        .by_index(i)
        .map_err(|e| LoadError::Malformed(format!("{name} in the ZIP cannot be read ({e})")))?;
    let mut out = Vec::with_capacity(size as usize);
    // `take` guards a header that lies about the size.
    f.take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| LoadError::Malformed(format!("{name} in the ZIP is damaged ({e})")))?;
    if out.len() as u64 > limit {
        return Err(LoadError::TooLarge(format!("{name} inside the ZIP is larger than this tab can hold")));
    }
    Ok((name, out))
}

/// Feeds the records of a JSON document to `sink`: the header (every key, in order of first
/// appearance) and one row per record. A GeoJSON feature's properties are its columns and its
/// geometry one more (`geometry`, as JSON text, which the point reader takes).
pub fn json_records(bytes: &[u8], sink: &mut CsvSink) -> Result<(), LoadError> {
    let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let doc: serde_json::Value = match serde_json::from_slice(text) {
        Ok(doc) => doc,
        // Newline-delimited JSON (BigQuery's and many APIs' exports): one record a line.
        Err(e) if !e.is_eof() && e.line() > 1 && ndjson(text).is_some() => ndjson(text).unwrap_or_default(),
        Err(e) if e.is_eof() => {
            return Err(LoadError::Truncated(format!("the JSON ends before its last record ({e})")))
        }
        Err(e) => return Err(LoadError::Malformed(format!("the JSON cannot be read ({e})"))),
    };
    let records: Vec<serde_json::Map<String, serde_json::Value>> = match doc {
        serde_json::Value::Array(items) => items.into_iter().filter_map(object).collect(),
        serde_json::Value::Object(mut o)
            if o.get("type").and_then(|t| t.as_str()) == Some("FeatureCollection") =>
        {
            let features = o.remove("features").and_then(|f| match f {
                serde_json::Value::Array(a) => Some(a),
                _ => None,
            });
            let inverse = match o.get("crs").and_then(epsg) {
                None | Some(4326) => None,
                Some(code) => Some(
                    crate::load::layout::projected::by_code(code)
                        .and_then(crate::load::layout::projected::Inverse::new)
                        .ok_or_else(|| {
                            LoadError::Unsupported(format!(
                                "the GeoJSON's coordinates are in EPSG:{code}, which PatrolIQ cannot turn into \
                                 latitude and longitude; export it in EPSG:4326 (WGS 84)"
                            ))
                        })?,
                ),
            };
            let mut records: Vec<_> =
                features.unwrap_or_default().into_iter().filter_map(object).map(feature).collect();
            if let Some(inv) = &inverse {
                for g in records.iter_mut().filter_map(|r| r.get_mut("geometry")) {
                    if let Some(c) = g.get_mut("coordinates") {
                        to_degrees(c, inv);
                    }
                }
            }
            records
        }
        // An ArcGIS REST query's answer: `features` of `attributes` and `geometry` {x, y}.
        serde_json::Value::Object(o) if arcgis::is_arcgis(&o) => arcgis::records(o)?,
        serde_json::Value::Object(o) => match wrapped(o) {
            Some(items) => items.into_iter().filter_map(object).collect(),
            None => {
                return Err(LoadError::Unsupported(
                    "the JSON is not a list of records nor a GeoJSON FeatureCollection".into(),
                ))
            }
        },
        _ => return Err(LoadError::Unsupported("the JSON is not a list of records".into())),
    };
    if records.is_empty() {
        return Err(LoadError::Unsupported("the JSON holds no records".into()));
    }
    let mut keys: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for r in &records {
        for k in r.keys() {
            if seen.insert(k.clone()) {
                keys.push(k.clone());
            }
        }
    }
    sink.push_record(&keys)?;
    let mut row = vec![String::new(); keys.len()];
    for r in &records {
        for (slot, k) in row.iter_mut().zip(&keys) {
            slot.clear();
            match r.get(k) {
                None | Some(serde_json::Value::Null) => {}
                Some(serde_json::Value::String(s)) => slot.push_str(s),
                Some(v @ (serde_json::Value::Object(_) | serde_json::Value::Array(_))) => {
                    slot.push_str(&v.to_string())
                }
                Some(v) => slot.push_str(&v.to_string()),
            }
        }
        sink.push_record(&row)?;
    }
    Ok(())
}

/// The records of newline-delimited JSON as one array, if every non-blank line is an object.
fn ndjson(text: &[u8]) -> Option<serde_json::Value> {
    let records = text
        .split(|&b| b == b'\n')
        .filter(|l| !l.trim_ascii().is_empty())
        .map(|l| serde_json::from_slice::<serde_json::Value>(l).ok().filter(|v| v.is_object()))
        .collect::<Option<Vec<_>>>()?;
    Some(serde_json::Value::Array(records))
}

fn object(v: serde_json::Value) -> Option<serde_json::Map<String, serde_json::Value>> {
    match v {
        serde_json::Value::Object(o) => Some(o),
        _ => None,
    }
}

/// The records of an API's answer wrapped in an object: SODA's and many APIs' `data`,
/// `records`, `results`, `items` or `rows`; OData's `value` (Power BI, Dynamics); CKAN's
/// datastore `{"result": {"records": […]}}`.
fn wrapped(mut o: serde_json::Map<String, serde_json::Value>) -> Option<Vec<serde_json::Value>> {
    for k in ["data", "records", "value", "results", "items", "rows"] {
        if let Some(serde_json::Value::Array(items)) = o.get(k) {
            if items.iter().any(|i| i.is_object()) {
                let Some(serde_json::Value::Array(items)) = o.remove(k) else { unreachable!() };
                return Some(items);
            }
        }
    }
    match o.remove("result") {
        Some(serde_json::Value::Object(inner)) => wrapped(inner),
        _ => None,
    }
}

/// The EPSG code a GeoJSON `crs` member names (GeoJSON 2008, as QGIS and ogr2ogr still write it
/// for projected data): `{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2263"}}`
/// or `"EPSG:2263"`, or the older `{"type": "EPSG", "properties": {"code": 2263}}`. WGS 84's
/// `…OGC:1.3:CRS84` is 4326.
fn epsg(crs: &serde_json::Value) -> Option<u32> {
    let props = crs.get("properties")?;
    if let Some(code) = props.get("code").and_then(|c| c.as_u64()) {
        return u32::try_from(code).ok();
    }
    let name = props.get("name")?.as_str()?.to_ascii_uppercase();
    if name.ends_with("CRS84") || name.ends_with("CRS:84") {
        return Some(4326);
    }
    let (_, code) = name.split_once("EPSG")?;
    code.rsplit(':').next()?.trim().parse().ok()
}

/// A geometry's coordinates (nested arrays of positions) turned from projected X/Y into
/// longitude and latitude, in place; a position that has none is left for the point reader to
/// refuse.
fn to_degrees(c: &mut serde_json::Value, inv: &crate::load::layout::projected::Inverse) {
    let Some(items) = c.as_array_mut() else { return };
    if let [serde_json::Value::Number(x), serde_json::Value::Number(y), ..] = items.as_slice() {
        if let Some((lat, lon)) = x.as_f64().zip(y.as_f64()).and_then(|(x, y)| inv.lat_lon(x, y)) {
            items[0] = serde_json::json!(lon);
            items[1] = serde_json::json!(lat);
        }
        return;
    }
    items.iter_mut().for_each(|i| to_degrees(i, inv));
}

/// A GeoJSON feature as one record: its properties and its geometry.
fn feature(mut f: serde_json::Map<String, serde_json::Value>) -> serde_json::Map<String, serde_json::Value> {
    let mut out = match f.remove("properties") {
        Some(serde_json::Value::Object(p)) => p,
        _ => serde_json::Map::new(),
    };
    if let Some(g) = f.remove("geometry") {
        out.insert("geometry".to_owned(), g);
    }
    out
}

/// The first bytes of an OLE compound file: an Excel 97–2003 workbook (`.xls`).
pub const OLE_MAGIC: &[u8] = &[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/// The kind of spreadsheet workbook a file is, if it is one: `xlsx` (a ZIP holding
/// `xl/workbook.xml`), `xlsb` (`xl/workbook.bin`), `ods` (OpenDocument: its `mimetype` entry
/// says so) or `xls` (an OLE compound file).
pub fn workbook(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(OLE_MAGIC) {
        return Some("xls");
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    if zip.by_name("xl/workbook.xml").is_ok() {
        return Some("xlsx");
    }
    if zip.by_name("xl/workbook.bin").is_ok() {
        return Some("xlsb");
    }
    let mut mime = String::new();
    zip.by_name("mimetype").ok()?.take(100).read_to_string(&mut mime).ok()?;
    (mime.trim() == "application/vnd.oasis.opendocument.spreadsheet").then_some("ods")
}

/// Feeds the rows of a spreadsheet workbook's data to `sink` and says which kind it was: the
/// first worksheet with a header and at least one row (a workbook may open on a cover sheet),
/// its first row the header. Cells read as a CSV export of the sheet would write them: dates as
/// ISO text, times of day as `hh:mm:ss`, whole numbers without decimals. `calamine` reads every
/// kind (Excel 2007+, binary, 97–2003, OpenDocument).
pub fn workbook_records(bytes: &[u8], sink: &mut CsvSink) -> Result<&'static str, LoadError> {
    use calamine::Reader;
    let kind = workbook(bytes).unwrap_or("xlsx");
    let damaged = |e: calamine::Error| {
        LoadError::Malformed(format!(
            "the spreadsheet workbook cannot be read ({e}); save it as CSV UTF-8 and load that"
        ))
    };
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(damaged)?;
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(damaged)?;
        if range.height() < 2 {
            continue;
        }
        for row in range.rows() {
            let fields: Vec<String> = row.iter().map(cell_text).collect();
            sink.push_record(&fields)?;
        }
        return Ok(kind);
    }
    Err(LoadError::Unsupported("the workbook has no worksheet with a header and rows".into()))
}

/// A cell as text.
fn cell_text(c: &calamine::Data) -> String {
    use calamine::Data;
    match c {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => {
            // Days since 1899-12-30 (the 1900 date system); below 1, a time of day.
            let v = d.as_f64();
            let secs = (v * 86_400.0).round() as i64;
            if v < 1.0 {
                let s = secs.rem_euclid(86_400);
                format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
            } else {
                let t = secs - 25_569 * 86_400;
                let text = crate::clean::parse::format_datetime(t);
                if v.fract() == 0.0 {
                    text[..10.min(text.len())].to_owned()
                } else {
                    text
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::load::{load_bytes, LoadOptions};

    #[test]
    fn soda_json_and_geojson_load_like_csv() {
        // SODA: values are strings, null keys left out, `location` a GeoJSON point.
        let soda = br#"[
          {"id": "1", "date": "2018-01-01T10:00:00.000", "primary_type": "THEFT", "iucr": "0820", "fbi_code": "06",
           "location": {"type": "Point", "coordinates": [-87.7, 41.9]}},
          {"id": "2", "date": "2018-01-01T22:00:00.000", "primary_type": "BATTERY", "iucr": "0486", "fbi_code": "08B",
           "latitude": "41.8", "longitude": "-87.6"}
        ]"#;
        let l = load_bytes("soda.json", soda, LoadOptions::default()).unwrap();
        assert_eq!(l.report.rows_clean, 2);
        assert_eq!(l.report.source.format, "json");
        assert_eq!(l.report.layout, "chicago_portal");
        let geo = br#"{"type": "FeatureCollection", "features": [
          {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-118.3, 34.05]},
           "properties": {"occurred": "2021-03-04 21:15", "offense": "ROBBERY", "objectid": 7}},
          {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-118.31, 34.06]},
           "properties": {"occurred": "2021-03-05 01:15", "offense": "BURGLARY", "objectid": 8}}
        ]}"#;
        let l = load_bytes("incidents.geojson", geo, LoadOptions::default()).unwrap();
        assert_eq!(l.report.rows_clean, 2);
        assert_eq!(l.report.columns["point"], "geometry");
        assert!(!l.report.chicago);
        assert_eq!(l.table.fbi_code.get(0), "03");
        // Newline-delimited (BigQuery's export): the same records, one a line; times in UTC.
        let lines = b"{\"occurred\": \"2021-03-04 21:15:00 UTC\", \"offense\": \"ROBBERY\", \"lat\": 34.05, \"lon\": -118.3}\n\
                      {\"occurred\": \"2021-03-05 01:15:00 UTC\", \"offense\": \"BURGLARY\", \"lat\": 34.06, \"lon\": -118.31}\n";
        let l = load_bytes("bq.json", lines, LoadOptions::default()).unwrap();
        assert_eq!(l.report.rows_clean, 2);
        assert!(l.report.time_zone.is_some(), "UTC times shown in the city's clock");
        assert_eq!(l.report.date_min.as_deref(), Some("2021-03-04T13:15:00"));
        // A polygon's geometry (a block face) is placed at its vertices' mean.
        let poly = br#"{"type": "FeatureCollection", "features": [
          {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[-118.31, 34.04], [-118.29, 34.04], [-118.29, 34.06], [-118.31, 34.06]]]},
           "properties": {"occurred": "2021-03-04 21:15", "offense": "ROBBERY"}},
          {"type": "Feature", "geometry": {"type": "MultiPoint", "coordinates": [[-118.31, 34.06]]},
           "properties": {"occurred": "2021-03-05 01:15", "offense": "BURGLARY"}}
        ]}"#;
        let l = load_bytes("blocks.geojson", poly, LoadOptions::default()).unwrap();
        assert_eq!(l.report.rows_clean, 2);
        assert!((l.table.latitude.get(0) - 34.05).abs() < 1e-9);
    }

    #[test]
    fn a_geojson_in_a_projected_crs_is_read_in_degrees() {
        // QGIS's export of NYPD points in EPSG:2263 (New York Long Island, US feet); X/Y from
        // pyproj of 40.75 N 73.99 W and 40.80 N 73.95 W.
        let geo = br#"{"type": "FeatureCollection", "name": "complaints",
          "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2263"}},
          "features": [
          {"type": "Feature", "properties": {"CMPLNT_FR_DT": "03/04/2021", "CMPLNT_FR_TM": "21:15:00", "OFNS_DESC": "ROBBERY"},
           "geometry": {"type": "Point", "coordinates": [987020.7286923546, 212522.0447844112]}},
          {"type": "Feature", "properties": {"CMPLNT_FR_DT": "03/05/2021", "CMPLNT_FR_TM": "01:15:00", "OFNS_DESC": "BURGLARY"},
           "geometry": {"type": "MultiPoint", "coordinates": [[998093.244763895, 230742.5158355389]]}}
        ]}"#;
        let l = load_bytes("complaints.geojson", geo, LoadOptions::default()).unwrap();
        assert_eq!(l.report.rows_clean, 2);
        assert!(
            (l.table.latitude.get(0) - 40.75).abs() < 1e-5 && (l.table.longitude.get(0) + 73.99).abs() < 1e-5
        );
        assert!(
            (l.table.latitude.get(1) - 40.80).abs() < 1e-5 && (l.table.longitude.get(1) + 73.95).abs() < 1e-5
        );
        // The older form of the member, and a CRS PatrolIQ does not know: a message, not a
        // load of points far outside any city.
        let old = String::from_utf8_lossy(geo).replace(
            r#"{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2263"}}"#,
            r#"{"type": "EPSG", "properties": {"code": 2263}}"#,
        );
        assert_eq!(
            load_bytes("old.geojson", old.as_bytes(), LoadOptions::default()).unwrap().report.rows_clean,
            2
        );
        let unknown = String::from_utf8_lossy(geo).replace("EPSG::2263", "EPSG::3400");
        let e = load_bytes("alberta.geojson", unknown.as_bytes(), LoadOptions::default()).unwrap_err();
        assert!(e.to_string().contains("EPSG:3400") && e.to_string().contains("EPSG:4326"), "{e}");
        // WGS 84 named as CRS84 is left as it is.
        let wgs = String::from_utf8_lossy(geo)
            .replace("EPSG::2263", "OGC:1.3:CRS84")
            .replace("987020.7286923546, 212522.0447844112", "-73.99, 40.75")
            .replace("998093.244763895, 230742.5158355389", "-73.95, 40.80");
        assert_eq!(
            load_bytes("wgs.geojson", wgs.as_bytes(), LoadOptions::default()).unwrap().report.rows_clean,
            2
        );
    }

    #[test]
    fn an_arcgis_query_answer_and_wrapped_api_records_load() {
        // An ArcGIS Hub FeatureServer query (f=json): Web Mercator points (102100), dates as
        // epoch milliseconds in UTC (2021-03-05 02:15 and 06:15 UTC: 21:15 and 01:15 in New York).
        let esri = br#"{"objectIdFieldName": "OBJECTID", "geometryType": "esriGeometryPoint",
          "spatialReference": {"wkid": 102100, "latestWkid": 3857},
          "fields": [{"name": "OBJECTID", "type": "esriFieldTypeOID"}, {"name": "OCCURRED_ON", "type": "esriFieldTypeDate"},
                     {"name": "OFFENSE", "type": "esriFieldTypeString"}],
          "features": [
            {"attributes": {"OBJECTID": 1, "OCCURRED_ON": 1614910500000, "OFFENSE": "ROBBERY"},
             "geometry": {"x": -8236529.123794311, "y": 4975536.361069248}},
            {"attributes": {"OBJECTID": 2, "OCCURRED_ON": 1614924900000, "OFFENSE": "BURGLARY"},
             "geometry": {"rings": [[[-8232076.3441625815, 4982886.316570544], [-8232076.3441625815, 4982886.316570544]]]}},
            {"attributes": {"OBJECTID": 3, "OCCURRED_ON": null, "OFFENSE": "THEFT"}, "geometry": null}
          ]}"#;
        let l = load_bytes("query.json", esri, LoadOptions::default()).unwrap();
        assert_eq!(l.report.rows_clean, 2);
        assert!(
            (l.table.latitude.get(0) - 40.75).abs() < 1e-6 && (l.table.longitude.get(1) + 73.95).abs() < 1e-6
        );
        assert_eq!(
            l.report.date_min.as_deref(),
            Some("2021-03-04T21:15:00"),
            "UTC shown in New York's clock"
        );
        // Another spatial reference PatrolIQ does not know: a message that says what to ask for.
        let other =
            String::from_utf8_lossy(esri).replace(r#""wkid": 102100, "latestWkid": 3857"#, r#""wkid": 3400"#);
        let e = load_bytes("query.json", other.as_bytes(), LoadOptions::default()).unwrap_err();
        assert!(e.to_string().contains("outSR=4326"), "{e}");
        // OData (Power BI, Dynamics) and CKAN's datastore wrap their records.
        let row = r#"{"occurred": "2021-03-04 21:15", "offense": "ROBBERY", "lat": 40.75, "lon": -73.99},
                     {"occurred": "2021-03-05 01:15", "offense": "BURGLARY", "lat": 40.8, "lon": -73.95}"#;
        for doc in [
            format!(r#"{{"@odata.context": "https://x/$metadata#incidents", "value": [{row}]}}"#),
            format!(
                r#"{{"help": "…", "success": true, "result": {{"fields": [{{"id": "occurred"}}], "records": [{row}]}}}}"#
            ),
        ] {
            assert_eq!(
                load_bytes("api.json", doc.as_bytes(), LoadOptions::default()).unwrap().report.rows_clean,
                2,
                "{doc}"
            );
        }
    }

    #[test]
    fn a_zip_of_one_csv_opens_and_broken_ones_say_why() {
        use std::io::Write;
        let csv = b"Date,Primary Type,Latitude,Longitude,IUCR,FBI Code\n01/02/2017 10:00:00 AM,THEFT,41.9,-87.7,0820,06\n";
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            let opts =
                zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            z.start_file("__MACOSX/._crimes.csv", opts).unwrap();
            z.write_all(b"junk").unwrap();
            z.start_file("crimes.csv", opts).unwrap();
            z.write_all(csv).unwrap();
            z.finish().unwrap();
        }
        let bytes = buf.into_inner();
        let l = load_bytes("crimes.zip", &bytes, LoadOptions::default()).unwrap();
        assert_eq!(l.report.rows_clean, 1);
        assert_eq!(l.report.source.format, "zip (csv)");
        let cut = load_bytes("cut.zip", &bytes[..bytes.len() / 2], LoadOptions::default()).unwrap_err();
        assert_eq!(cut.kind(), "malformed", "{cut}");
        let bad_json = load_bytes("x.json", b"[{\"a\": 1}, {\"a\"", LoadOptions::default()).unwrap_err();
        assert_eq!(bad_json.kind(), "truncated", "{bad_json}");
        let not_records = load_bytes("x.json", b"{\"hello\": 1}", LoadOptions::default()).unwrap_err();
        assert_eq!(not_records.kind(), "unsupported", "{not_records}");
    }
}
