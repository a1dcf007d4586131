//! The Chicago Data Portal's public SODA API for "Crimes - 2001 to Present" (`ijzp-q8t2`).
//!
//! The browser fetches the CSV form of the API directly (no PatrolIQ server in between), and the
//! same loader reads it: SODA's CSV headers are the API field names (`primary_type`, …), which the
//! schema maps, and its ISO dates parse like the export's.

use serde::{Deserialize, Serialize};

pub const DEFAULT_ENDPOINT: &str = "https://data.cityofchicago.org/resource/ijzp-q8t2.csv";
/// SODA answers at most this many rows per request without paging.
pub const MAX_LIMIT: u64 = 2_000_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortalQuery {
    /// The resource URL, ending in `.csv`.
    pub endpoint: String,
    /// Newest rows to fetch.
    pub limit: u64,
    /// Optional date range, `YYYY-MM-DD`, both ends included.
    pub from: Option<String>,
    pub to: Option<String>,
}

fn is_day(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Percent-encodes a query value (RFC 3986 unreserved characters pass).
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl PortalQuery {
    /// The request URL, or a message saying which input is wrong.
    pub fn url(&self) -> Result<String, String> {
        let endpoint = self.endpoint.trim();
        if !(endpoint.starts_with("https://") || endpoint.starts_with("http://")) {
            return Err("the API address must start with https://".into());
        }
        if self.limit == 0 || self.limit > MAX_LIMIT {
            return Err(format!("the number of rows must be between 1 and {MAX_LIMIT}"));
        }
        let mut clauses = Vec::new();
        for (d, op, time) in [(&self.from, ">=", "T00:00:00"), (&self.to, "<=", "T23:59:59")] {
            if let Some(d) = d.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
                if !is_day(d) {
                    return Err(format!("{d}: dates must be written YYYY-MM-DD"));
                }
                clauses.push(format!("date {op} '{d}{time}'"));
            }
        }
        let sep = if endpoint.contains('?') { '&' } else { '?' };
        let mut url = format!("{endpoint}{sep}$limit={}&$order={}", self.limit, encode("date DESC"));
        if !clauses.is_empty() {
            url.push_str(&format!("&$where={}", encode(&clauses.join(" AND "))));
        }
        Ok(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(limit: u64, from: Option<&str>, to: Option<&str>) -> PortalQuery {
        PortalQuery {
            endpoint: DEFAULT_ENDPOINT.into(),
            limit,
            from: from.map(Into::into),
            to: to.map(Into::into),
        }
    }

    #[test]
    fn newest_rows() {
        assert_eq!(
            q(50_000, None, None).url().unwrap(),
            "https://data.cityofchicago.org/resource/ijzp-q8t2.csv?$limit=50000&$order=date%20DESC"
        );
    }

    #[test]
    fn date_range_is_a_where_clause() {
        let u = q(1000, Some("2017-01-01"), Some("2017-03-31")).url().unwrap();
        assert!(u.ends_with(
            "&$where=date%20%3E%3D%20%272017-01-01T00%3A00%3A00%27%20AND%20date%20%3C%3D%20%272017-03-31T23%3A59%3A59%27"
        ), "{u}");
    }

    #[test]
    fn bad_inputs_are_explained() {
        assert!(q(0, None, None).url().unwrap_err().contains("between"));
        assert!(q(10, Some("01/02/2017"), None).url().unwrap_err().contains("YYYY-MM-DD"));
        let mut bad = q(10, None, None);
        bad.endpoint = "javascript:alert(1)".into();
        assert!(bad.url().is_err());
    }
}
