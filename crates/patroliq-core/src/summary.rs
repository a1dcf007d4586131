//! What the UI gets instead of the table: small aggregates for the overview charts.
//! The dataset stays in the worker; this is a few kilobytes whatever the row count.

use serde::{Deserialize, Serialize};

use crate::model::CrimeTable;
use chrono::Datelike;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DatasetSummary {
    pub rows: u64,
    /// Incidents per calendar month, as ("YYYY-MM", count), oldest first.
    pub by_month: Vec<(String, u64)>,
    /// Incidents per hour of day, 0–23.
    pub by_hour: [u64; 24],
    /// South-west and north-east corners (lat, lon) of the kept incidents.
    pub bounds: Option<((f64, f64), (f64, f64))>,
    pub districts: usize,
    /// The police districts present, ascending.
    pub district_codes: Vec<u8>,
    pub community_areas: usize,
}

impl DatasetSummary {
    pub fn of(t: &CrimeTable) -> Self {
        // Keyed by (year, month) as integers: one string per month, not one per row.
        let mut months: std::collections::BTreeMap<(i32, u32), u64> = Default::default();
        let mut by_hour = [0u64; 24];
        for &d in &t.date {
            by_hour[(d.rem_euclid(86_400) / 3600) as usize] += 1;
            if let Some(dt) = chrono::DateTime::from_timestamp(d, 0) {
                *months.entry((dt.year(), dt.month())).or_default() += 1;
            }
        }
        let bounds = (!t.is_empty()).then(|| {
            let fold = |v: &[f64]| v.iter().fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
            let (la, lb) = fold(&t.latitude);
            let (oa, ob) = fold(&t.longitude);
            ((la, oa), (lb, ob))
        });
        let distinct = |v: &[u8]| -> Vec<u8> {
            let mut seen = [false; 256];
            v.iter().filter(|&&x| x != crate::model::NULL_U8).for_each(|&x| seen[x as usize] = true);
            (0..=u8::MAX).filter(|&x| seen[x as usize]).collect()
        };
        let district_codes = distinct(&t.district);
        DatasetSummary {
            rows: t.len() as u64,
            by_month: months.into_iter().map(|((y, m), n)| (format!("{y:04}-{m:02}"), n)).collect(),
            by_hour,
            bounds,
            districts: district_codes.len(),
            district_codes,
            community_areas: distinct(&t.community_area).len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load_bytes, LoadOptions};

    #[test]
    fn months_and_hours_add_up() {
        let csv = b"Date,Primary Type,District,Latitude,Longitude\n\
            2017-01-31T23:10:00,THEFT,1,41.9,-87.7\n2017-02-01T00:10:00,THEFT,2,41.8,-87.6\n\
            2017-02-03T23:59:00,THEFT,2,41.85,-87.65\n";
        let l = load_bytes("s", csv, LoadOptions::default()).unwrap();
        let s = DatasetSummary::of(&l.table);
        assert_eq!(s.by_month, vec![("2017-01".into(), 1), ("2017-02".into(), 2)]);
        assert_eq!(s.by_hour[23], 2);
        assert_eq!(s.by_hour[0], 1);
        assert_eq!(s.bounds, Some(((41.8, -87.7), (41.9, -87.6))));
        assert_eq!(s.districts, 2);
        assert_eq!(s.district_codes, vec![1, 2]);
    }
}
