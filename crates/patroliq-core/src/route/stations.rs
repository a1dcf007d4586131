//! Police stations from the Chicago Data Portal's "Police Stations" CSV (DISTRICT, DISTRICT NAME,
//! ADDRESS, …, LATITUDE, LONGITUDE): the start points of patrol routes.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Station {
    /// "1"…"25", or "Headquarters".
    pub district: String,
    pub name: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
}

impl Station {
    /// "District 1 – Central (1718 S State St)".
    pub fn label(&self) -> String {
        let d = if self.district.chars().all(|c| c.is_ascii_digit()) {
            format!("District {}", self.district)
        } else {
            self.district.clone()
        };
        if self.name.is_empty() || self.name == self.district {
            format!("{d} ({})", self.address)
        } else {
            format!("{d} – {} ({})", self.name, self.address)
        }
    }
}

/// The stations of the file with usable coordinates, and how many rows were skipped.
pub fn parse(bytes: &[u8]) -> Result<(Vec<Station>, usize), String> {
    let mut rd = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let h = rd.headers().map_err(|e| format!("the stations file is not a CSV: {e}"))?.clone();
    let find = |n: &str| h.iter().position(|c| c.trim().eq_ignore_ascii_case(n));
    let (Some(lat), Some(lon)) = (find("LATITUDE"), find("LONGITUDE")) else {
        return Err("the stations file has no LATITUDE and LONGITUDE columns: is it the portal's \
                    \"Police Stations\" CSV?"
            .into());
    };
    let (district, name, address) = (find("DISTRICT"), find("DISTRICT NAME"), find("ADDRESS"));
    let (mut out, mut skipped) = (Vec::new(), 0);
    for rec in rd.records() {
        let Ok(rec) = rec else {
            skipped += 1;
            continue;
        };
        let text = |i: Option<usize>| i.and_then(|i| rec.get(i)).unwrap_or("").trim().to_string();
        let num = |i: usize| rec.get(i).and_then(|v| v.trim().parse::<f64>().ok());
        match (num(lat), num(lon)) {
            (Some(la), Some(lo)) if (-90.0..=90.0).contains(&la) && (-180.0..=180.0).contains(&lo) => out
                .push(Station {
                    district: text(district),
                    name: text(name),
                    address: text(address),
                    lat: la,
                    lon: lo,
                }),
            _ => skipped += 1,
        }
    }
    if out.is_empty() {
        return Err("the stations file has no row with a latitude and longitude".into());
    }
    Ok((out, skipped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_portal_file_with_its_quoted_newline() {
        let bytes = std::fs::read(crate::shared_data::file("chicago_police_stations.csv")).unwrap();
        let (s, skipped) = parse(&bytes).unwrap();
        assert_eq!((s.len(), skipped), (23, 0));
        let hq = s.iter().find(|s| s.district == "Headquarters").unwrap();
        assert!((hq.lat - 41.83).abs() < 0.01 && (hq.lon + 87.62).abs() < 0.01);
        let d12 = s.iter().find(|s| s.district == "12").unwrap();
        assert_eq!(d12.address, "1412 S Blue Island Ave");
        assert!(s[0].label().starts_with("District 1 – Central"), "{}", s[0].label());
    }

    #[test]
    fn a_wrong_file_gets_a_message() {
        assert!(parse(b"a,b\n1,2\n").unwrap_err().contains("LATITUDE"));
        assert!(parse(b"LATITUDE,LONGITUDE\nx,y\n").unwrap_err().contains("no row"));
        assert_eq!(parse(b"LATITUDE,LONGITUDE\n41.8,-87.6\nNaN,1\n").unwrap().1, 1);
    }
}
