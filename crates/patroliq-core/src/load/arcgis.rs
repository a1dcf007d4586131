//! The answer of an ArcGIS REST query (`…/FeatureServer/0/query?f=json`), as police departments'
//! ArcGIS Hub sites serve their incidents: `features` of `attributes` and an Esri `geometry`
//! (`{x, y}`, `{points}`, `{paths}` or `{rings}`) in the `spatialReference` the answer names,
//! dates as epoch milliseconds (UTC) in the fields typed `esriFieldTypeDate`. Each feature becomes
//! one record: its attributes, its dates as ISO text with `Z` (so they are shown in the data's
//! local clock, as other UTC dates are), and its place as a GeoJSON point in degrees (a line's or
//! polygon's vertices' mean), which the point reader takes.

use serde_json::{json, Map, Value};

use super::layout::projected::{by_code, Inverse};
use super::LoadError;

/// Whether a JSON object is an ArcGIS query answer: features with `attributes`.
pub fn is_arcgis(o: &Map<String, Value>) -> bool {
    o.get("features")
        .and_then(Value::as_array)
        .is_some_and(|f| f.iter().take(5).any(|f| f.get("attributes").is_some_and(Value::is_object)))
}

/// The EPSG code of an Esri spatial reference: `latestWkid` when given (the EPSG code of an Esri
/// one), Web Mercator's Esri codes as 3857.
fn epsg(sr: &Value) -> Option<u32> {
    let wkid = sr.get("latestWkid").or_else(|| sr.get("wkid"))?.as_u64()?;
    match wkid {
        102_100 | 102_113 | 900_913 => Some(3857),
        w => u32::try_from(w).ok(),
    }
}

/// A geometry's point in its own coordinates: x/y, or the mean of its vertices.
fn xy(g: &Value) -> Option<(f64, f64)> {
    if let (Some(x), Some(y)) = (g.get("x").and_then(Value::as_f64), g.get("y").and_then(Value::as_f64)) {
        return Some((x, y));
    }
    // Vertices of points, paths and rings: nested arrays of [x, y], as GeoJSON's are walked.
    let mut sum = (0.0, 0.0, 0usize);
    for k in ["points", "paths", "rings"] {
        if let Some(v) = g.get(k) {
            super::layout::points::vertices(v, &mut sum);
        }
    }
    let (sx, sy, n) = sum;
    (n > 0).then(|| (sx / n as f64, sy / n as f64))
}

/// The features as records.
pub fn records(mut o: Map<String, Value>) -> Result<Vec<Map<String, Value>>, LoadError> {
    let sr = o.get("spatialReference").and_then(epsg).unwrap_or(4326);
    let inverse = match sr {
        4326 => None,
        code => Some(by_code(code).and_then(Inverse::new).ok_or_else(|| {
            LoadError::Unsupported(format!(
                "the ArcGIS answer's coordinates are in spatial reference {code}, which PatrolIQ cannot turn \
                 into latitude and longitude; query it again with outSR=4326"
            ))
        })?),
    };
    let dates: Vec<String> = o
        .get("fields")
        .and_then(Value::as_array)
        .map(|fields| {
            fields
                .iter()
                .filter(|f| f.get("type").and_then(Value::as_str) == Some("esriFieldTypeDate"))
                .filter_map(|f| Some(f.get("name")?.as_str()?.to_owned()))
                .collect()
        })
        .unwrap_or_default();
    let Some(Value::Array(features)) = o.remove("features") else { return Ok(Vec::new()) };
    Ok(features
        .into_iter()
        .filter_map(|mut f| {
            let mut rec = match f.get_mut("attributes").map(Value::take) {
                Some(Value::Object(a)) => a,
                _ => return None,
            };
            for name in &dates {
                if let Some(v) = rec.get_mut(name) {
                    if let Some(ms) = v.as_f64() {
                        let text = crate::clean::parse::format_datetime((ms / 1000.0).floor() as i64);
                        *v = Value::String(format!("{text}Z"));
                    }
                }
            }
            let place = f.get("geometry").and_then(xy).and_then(|(x, y)| match &inverse {
                None => Some((y, x)),
                Some(inv) => inv.lat_lon(x, y),
            });
            if let Some((lat, lon)) = place {
                rec.insert("geometry".to_owned(), json!({"type": "Point", "coordinates": [lon, lat]}));
            }
            Some(rec)
        })
        .collect())
}
