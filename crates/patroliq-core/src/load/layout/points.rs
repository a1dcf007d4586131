//! Coordinates written in one column: the forms exports use for a point.
//!
//! `"(41.96, -87.71)"` (Chicago portal, SF), `POINT (-87.71 41.96)` (WKT, SODA), a hex WKB point
//! with or without an SRID (PostGIS and Carto's `the_geom`), a GeoJSON point object, and the
//! dictionary pandas writes for a SODA location (`{'latitude': '41.9', 'longitude': '-87.7', …}`).
//! Hand-written: each form is a few lines, and the crates that read WKB/WKT whole geometries
//! (`wkb`, `wkt`) would add two dependencies for one point type.

/// (latitude, longitude) of a point written in any of the forms above.
pub fn parse_point(s: &str) -> Option<(f64, f64)> {
    let s = s.trim();
    let first = s.as_bytes().first()?;
    match first {
        b'(' | b'[' => {
            let inner = s.get(1..s.len() - 1)?;
            let (a, b) = inner.split_once(',')?;
            Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
        }
        b'{' => dictionary(s),
        b'P' | b'p' => {
            let rest = s.get(5..)?;
            if !s[..5].eq_ignore_ascii_case("POINT") {
                return None;
            }
            let inner = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
            let mut it = inner.split_whitespace();
            let lon = it.next()?.parse().ok()?;
            let lat = it.next()?.parse().ok()?;
            Some((lat, lon))
        }
        b'S' if s.starts_with("SRID=") => parse_point(s.split_once(';')?.1),
        b'0' if s.len() >= 42 && s.bytes().all(|b| b.is_ascii_hexdigit()) => wkb_hex(s),
        b'-' | b'+' | b'0'..=b'9' => bare_pair(s),
        _ => None,
    }
}

/// `36.0, -78.9`: latitude and longitude without brackets (OpenDataSoft's `geo_point_2d`, a
/// spreadsheet's "Lat, Long"). Both with decimals and in degrees' range, so a list of counts or a
/// number with a decimal comma is not taken for one.
fn bare_pair(s: &str) -> Option<(f64, f64)> {
    let (a, b) = s.split_once(',')?;
    let (a, b) = (a.trim(), b.trim());
    if !a.contains('.') || !b.contains('.') {
        return None;
    }
    let (lat, lon): (f64, f64) = (a.parse().ok()?, b.parse().ok()?);
    (lat.abs() <= 90.0 && lon.abs() <= 180.0).then_some((lat, lon))
}

/// A GeoJSON point (`{"type": "Point", "coordinates": [lon, lat]}`) or a dictionary with
/// latitude/longitude keys: JSON, or Python's repr of one (single quotes, `False`, nested quoted
/// JSON), which no JSON reader takes, so its two numbers are found by key.
fn dictionary(s: &str) -> Option<(f64, f64)> {
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(s) {
        return point_of_json(&v);
    }
    let after = |key: &str| -> Option<f64> {
        let i = s.find(&format!("'{key}'")).or_else(|| s.find(&format!("\"{key}\"")))?;
        let rest = s[i + key.len() + 2..].trim_start().strip_prefix(':')?.trim_start();
        let rest = rest.trim_start_matches(['\'', '"']);
        let end = rest.find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E')))?;
        rest[..end].parse().ok()
    };
    let lat = after("latitude").or_else(|| after("lat"))?;
    let lon = after("longitude").or_else(|| after("lon")).or_else(|| after("lng"))?;
    Some((lat, lon))
}

/// The point of a JSON value: a GeoJSON Point, or an object with latitude/longitude (strings or
/// numbers) under the usual names.
pub fn point_of_json(v: &serde_json::Value) -> Option<(f64, f64)> {
    let o = v.as_object()?;
    if let Some(c) = o.get("coordinates").and_then(|c| c.as_array()) {
        if let (Some(lon), Some(lat)) = (c.first().and_then(number), c.get(1).and_then(number)) {
            return Some((lat, lon));
        }
        // A MultiPoint, a line or a polygon (a parcel, a block face): the mean of its vertices.
        let mut sum = (0.0, 0.0, 0usize);
        vertices(v.get("coordinates")?, &mut sum);
        return (sum.2 > 0).then(|| (sum.1 / sum.2 as f64, sum.0 / sum.2 as f64));
    }
    let find = |keys: &[&str]| keys.iter().find_map(|k| o.get(*k)).and_then(number);
    Some((find(&["latitude", "lat", "y"])?, find(&["longitude", "lon", "lng", "long", "x"])?))
}

/// Adds the (lon, lat) positions nested in GeoJSON `coordinates` to `sum` (their total, count).
pub(crate) fn vertices(v: &serde_json::Value, sum: &mut (f64, f64, usize)) {
    let Some(a) = v.as_array() else { return };
    match (a.first().and_then(number), a.get(1).and_then(number)) {
        (Some(lon), Some(lat)) => *sum = (sum.0 + lon, sum.1 + lat, sum.2 + 1),
        _ => a.iter().for_each(|p| vertices(p, sum)),
    }
}

fn number(v: &serde_json::Value) -> Option<f64> {
    match v {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A hex WKB point: byte order, type 1 (with the EWKB SRID flag, 0x20000000, allowed), x, y.
/// Only WGS84 (SRID 4326, or none) is read as degrees: Carto's web-mercator twin is skipped.
fn wkb_hex(s: &str) -> Option<(f64, f64)> {
    let bytes: Vec<u8> =
        (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()).collect::<Option<_>>()?;
    let little = match bytes.first()? {
        1 => true,
        0 => false,
        _ => return None,
    };
    let u32_at = |i: usize| -> Option<u32> {
        let b: [u8; 4] = bytes.get(i..i + 4)?.try_into().ok()?;
        Some(if little { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) })
    };
    let f64_at = |i: usize| -> Option<f64> {
        let b: [u8; 8] = bytes.get(i..i + 8)?.try_into().ok()?;
        Some(if little { f64::from_le_bytes(b) } else { f64::from_be_bytes(b) })
    };
    let kind = u32_at(1)?;
    if kind & 0xffff != 1 {
        return None;
    }
    let mut at = 5;
    if kind & 0x2000_0000 != 0 {
        if u32_at(5)? != 4326 {
            return None;
        }
        at = 9;
    }
    let (x, y) = (f64_at(at)?, f64_at(at + 8)?);
    Some((y, x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_point_form() {
        assert_eq!(parse_point("(41.965693651, -87.715726125)"), Some((41.965693651, -87.715726125)));
        assert_eq!(parse_point("POINT (-87.7157 41.9656)"), Some((41.9656, -87.7157)));
        assert_eq!(parse_point("point(-87.7157 41.9656)"), Some((41.9656, -87.7157)));
        assert_eq!(parse_point("36.0, -78.9"), Some((36.0, -78.9)));
        assert_eq!(parse_point("-33.87,151.21"), Some((-33.87, 151.21)));
        assert_eq!(parse_point("3, 4"), None, "counts, not degrees");
        assert_eq!(parse_point("41,784896"), None, "one number with a decimal comma");
        assert_eq!(parse_point("120.5, 40.1"), None, "a latitude beyond 90");
        assert_eq!(parse_point("SRID=4326;POINT (-87.7 41.9)"), Some((41.9, -87.7)));
        assert_eq!(parse_point(r#"{"type": "Point", "coordinates": [-87.7, 41.9]}"#), Some((41.9, -87.7)));
        assert_eq!(
            parse_point("{'latitude': '41.900039997', 'human_address': '{\"address\": \"\"}', 'needs_recoding': False, 'longitude': '-87.721627039'}"),
            Some((41.900039997, -87.721627039))
        );
        assert_eq!(
            parse_point("{'latitude': '41.900039997', 'longitude': '-87.721627039'}"),
            Some((41.900039997, -87.721627039))
        );
        // Philadelphia's the_geom: EWKB, SRID 4326, little-endian.
        let p = parse_point("0101000020E6100000B39C009A33C652C038B3651258024440").unwrap();
        assert!((p.0 - 40.01831274).abs() < 1e-7 && (p.1 + 75.09689951).abs() < 1e-7, "{p:?}");
        // Its web-mercator twin (SRID 3857) is not degrees.
        assert_eq!(parse_point("0101000020110F00009A554527D1E35FC19AC4CFF27E925241"), None);
        // A MultiPoint of one point, a block face's polygon: the mean of the vertices.
        let multi = r#"{"type": "MultiPoint", "coordinates": [[-87.7, 41.9]]}"#;
        assert_eq!(parse_point(multi), Some((41.9, -87.7)));
        let square = r#"{"type": "Polygon", "coordinates": [[[-87.8, 41.8], [-87.6, 41.8], [-87.6, 42.0], [-87.8, 42.0]]]}"#;
        let p = parse_point(square).unwrap();
        assert!((p.0 - 41.9).abs() < 1e-9 && (p.1 + 87.7).abs() < 1e-9, "{p:?}");
        assert_eq!(parse_point(r#"{"type": "Polygon", "coordinates": []}"#), None);
        for bad in ["", "(41.9, )", "nowhere", "POINT EMPTY", "0101", "{}", "[1]"] {
            assert_eq!(parse_point(bad), None, "{bad:?}");
        }
    }
}
