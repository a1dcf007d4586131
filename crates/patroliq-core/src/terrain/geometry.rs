//! One geometry written in one text field: WKT (any type) or hex WKB/EWKB.
//!
//! WKT through the `wkt` crate (georust: the grammar of nested rings is where a hand-written
//! parser goes wrong). Hex WKB is hand-written: the `wkb` crate pulls in geoarrow's traits for a
//! format of five fixed layouts, and `load::layout::points` already reads the point case.

use geo::{Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};
use wkt::TryFromWkt;

const WKT_TYPES: [&str; 7] =
    ["POINT", "MULTIPOINT", "LINESTRING", "MULTILINESTRING", "POLYGON", "MULTIPOLYGON", "GEOMETRYCOLLECTION"];

/// Whether the text starts like WKT (a geometry type word, optionally after an EWKT `SRID=…;`).
pub fn looks_like_wkt(s: &str) -> bool {
    let s = strip_srid(s.trim());
    let word: String = s.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    WKT_TYPES.iter().any(|t| t.eq_ignore_ascii_case(&word))
}

fn strip_srid(s: &str) -> &str {
    match s.get(..5) {
        Some(p) if p.eq_ignore_ascii_case("SRID=") => s.split_once(';').map_or(s, |(_, r)| r.trim_start()),
        _ => s,
    }
}

/// A WKT geometry in longitude/latitude, or why not.
pub fn from_wkt(s: &str) -> Result<Geometry<f64>, String> {
    let s = strip_srid(s.trim());
    Geometry::<f64>::try_from_wkt_str(s).map_err(|e| e.to_string())
}

/// Whether the text is hex WKB (long enough for a point, hex digits only, a byte-order byte).
pub fn looks_like_wkb(s: &str) -> bool {
    let s = s.trim();
    s.len() >= 42
        && s.len().is_multiple_of(2)
        && (s.starts_with("01") || s.starts_with("00"))
        && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A hex WKB or EWKB geometry. Only WGS84 (SRID 4326, or none) is read: a web-mercator twin
/// (Carto's `the_geom_webmercator`) is not degrees.
pub fn from_wkb_hex(s: &str) -> Option<Geometry<f64>> {
    let s = s.trim();
    let bytes: Vec<u8> = (0..s.len() / 2)
        .map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok())
        .collect::<Option<_>>()?;
    let mut r = Wkb { bytes: &bytes, at: 0 };
    let g = r.geometry(0)?;
    (r.at == bytes.len()).then_some(g)
}

struct Wkb<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Wkb<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let b: [u8; N] = self.bytes.get(self.at..self.at + N)?.try_into().ok()?;
        self.at += N;
        Some(b)
    }

    fn u32(&mut self, little: bool) -> Option<u32> {
        let b = self.take::<4>()?;
        Some(if little { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) })
    }

    fn f64(&mut self, little: bool) -> Option<f64> {
        let b = self.take::<8>()?;
        Some(if little { f64::from_le_bytes(b) } else { f64::from_be_bytes(b) })
    }

    /// A count read from the input, refused when the bytes left cannot hold that many items
    /// (a hostile count must not make us allocate).
    fn count(&mut self, little: bool, min_item: usize) -> Option<usize> {
        let n = self.u32(little)? as usize;
        (n.checked_mul(min_item)? <= self.bytes.len() - self.at).then_some(n)
    }

    fn coords(&mut self, little: bool, dims: usize) -> Option<Vec<Coord<f64>>> {
        let n = self.count(little, 8 * dims)?;
        (0..n).map(|_| self.coord(little, dims)).collect()
    }

    fn coord(&mut self, little: bool, dims: usize) -> Option<Coord<f64>> {
        let x = self.f64(little)?;
        let y = self.f64(little)?;
        for _ in 2..dims {
            self.f64(little)?;
        }
        Some(Coord { x, y })
    }

    fn geometry(&mut self, depth: usize) -> Option<Geometry<f64>> {
        if depth > 4 {
            return None;
        }
        let little = match self.take::<1>()?[0] {
            1 => true,
            0 => false,
            _ => return None,
        };
        let kind = self.u32(little)?;
        if kind & 0x2000_0000 != 0 && self.u32(little)? != 4326 {
            return None;
        }
        // EWKB flags Z (0x80000000) and M (0x40000000); ISO WKB adds 1000/2000/3000.
        let ewkb_dims = 2 + (kind & 0x8000_0000 != 0) as usize + (kind & 0x4000_0000 != 0) as usize;
        let base = kind & 0x0fff_ffff;
        let (base, dims) = match base / 1000 {
            0 => (base, ewkb_dims),
            1 | 2 => (base % 1000, 3),
            3 => (base % 1000, 4),
            _ => return None,
        };
        Some(match base {
            1 => Geometry::Point(Point(self.coord(little, dims)?)),
            2 => Geometry::LineString(LineString(self.coords(little, dims)?)),
            3 => Geometry::Polygon(self.polygon(little, dims)?),
            4..=7 => {
                let n = self.count(little, 9)?;
                let parts: Vec<Geometry<f64>> =
                    (0..n).map(|_| self.geometry(depth + 1)).collect::<Option<_>>()?;
                match base {
                    4 => Geometry::MultiPoint(MultiPoint(
                        parts.into_iter().map(|g| Point::try_from(g).ok()).collect::<Option<_>>()?,
                    )),
                    5 => Geometry::MultiLineString(MultiLineString(
                        parts.into_iter().map(|g| LineString::try_from(g).ok()).collect::<Option<_>>()?,
                    )),
                    6 => Geometry::MultiPolygon(MultiPolygon(
                        parts.into_iter().map(|g| Polygon::try_from(g).ok()).collect::<Option<_>>()?,
                    )),
                    _ => Geometry::GeometryCollection(geo::GeometryCollection(parts)),
                }
            }
            _ => return None,
        })
    }

    fn polygon(&mut self, little: bool, dims: usize) -> Option<Polygon<f64>> {
        let n = self.count(little, 4)?;
        let mut rings: Vec<LineString<f64>> =
            (0..n).map(|_| self.coords(little, dims).map(LineString)).collect::<Option<_>>()?;
        if rings.is_empty() {
            return None;
        }
        let outer = rings.remove(0);
        Some(Polygon::new(outer, rings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02X}")).collect()
    }

    #[test]
    fn wkt_of_every_type_and_ewkt() {
        assert!(matches!(from_wkt("POINT (-87.7 41.9)"), Ok(Geometry::Point(_))));
        assert!(matches!(from_wkt("SRID=4326;POINT (-87.7 41.9)"), Ok(Geometry::Point(_))));
        let m = from_wkt("MULTIPOLYGON (((-87.6 41.8, -87.5 41.8, -87.5 41.9, -87.6 41.8)))").unwrap();
        assert!(matches!(m, Geometry::MultiPolygon(ref p) if p.0.len() == 1));
        assert!(from_wkt("POLYGON ((-87.6 41.8, -87.5").is_err());
        assert!(from_wkt("POINT (-87.6)").is_err());
        assert!(looks_like_wkt(" multipolygon (((1 2, 3 4, 5 6, 1 2)))"));
        assert!(looks_like_wkt("SRID=4326;LINESTRING (1 2, 3 4)"));
        assert!(!looks_like_wkt("(41.9, -87.7)"));
        assert!(!looks_like_wkt("POINTLESS"));
    }

    #[test]
    fn wkb_point_polygon_and_multipolygon_both_byte_orders() {
        // Philadelphia's the_geom: EWKB point, SRID 4326, little-endian.
        let p = from_wkb_hex("0101000020E6100000B39C009A33C652C038B3651258024440").unwrap();
        let Geometry::Point(p) = p else { panic!("{p:?}") };
        assert!((p.y() - 40.01831274).abs() < 1e-7 && (p.x() + 75.09689951).abs() < 1e-7);
        assert_eq!(from_wkb_hex("0101000020110F00009A554527D1E35FC19AC4CFF27E925241"), None, "SRID 3857");
        // A big-endian polygon of one ring, inside a multipolygon.
        let ring = [(0.0f64, 0.0f64), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)];
        let mut poly = vec![0u8, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 4];
        for (x, y) in ring {
            poly.extend(x.to_be_bytes());
            poly.extend(y.to_be_bytes());
        }
        let mut multi = vec![0u8, 0, 0, 0, 6, 0, 0, 0, 1];
        multi.extend(&poly);
        let Some(Geometry::MultiPolygon(m)) = from_wkb_hex(&hex(&multi)) else { panic!() };
        assert_eq!(m.0[0].exterior().0.len(), 4);
        assert!(matches!(from_wkb_hex(&hex(&poly)), Some(Geometry::Polygon(_))));
        // A count far beyond the bytes is refused, not allocated.
        let mut huge = vec![0u8, 0, 0, 0, 6, 0xff, 0xff, 0xff, 0xff];
        huge.extend(&poly);
        assert_eq!(from_wkb_hex(&hex(&huge)), None);
        // Trailing bytes and a truncated body are refused.
        assert_eq!(from_wkb_hex(&(hex(&poly) + "00")), None);
        assert_eq!(from_wkb_hex(&hex(&poly[..poly.len() - 3])), None);
        assert!(looks_like_wkb(&hex(&poly)) && !looks_like_wkb("0101") && !looks_like_wkb("zz"));
    }
}
