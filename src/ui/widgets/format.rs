//! Number formatting for people: "495,829", "19.4 %", "28.1 MB".

pub fn count(n: u64) -> String {
    patroliq_core::fmt::thousands(n)
}

pub fn percent(share: f64) -> String {
    format!("{:.1} %", share * 100.0)
}

pub fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// "2016-02-26 → 2017-12-31": the dates of the first and last incidents of an analysis.
pub fn date_range(e: &patroliq_core::eda::Eda) -> String {
    match (&e.date_min, &e.date_max) {
        (Some(x), Some(y)) => format!("{} → {}", &datetime(x)[..10], &datetime(y)[..10]),
        _ => "–".into(),
    }
}

/// "2016-02-26T01:20:00" → "2016-02-26 01:20".
pub fn datetime(iso: &str) -> String {
    iso.get(..16).unwrap_or(iso).replace('T', " ")
}

/// "+12 %", "−8 %", "0 %" (never "-0 %"); "–" when there was nothing to compare with.
pub fn signed_percent(c: Option<f64>) -> String {
    c.map_or("–".into(), |c| {
        let p = (100.0 * c).round();
        if p == 0.0 {
            "0 %".into()
        } else {
            format!("{p:+.0} %")
        }
    })
}
