//! What the UI needs to know of the whole loaded dataset beyond the cleaning report: the filter
//! bar's district choices. (Every figure the pages draw comes from [`crate::eda::Eda`], computed
//! for the current filter.) The dataset itself stays in the worker.

use serde::{Deserialize, Serialize};

use crate::model::{CrimeTable, NULL_U8};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DatasetSummary {
    pub rows: u64,
    /// The police districts present, ascending.
    pub district_codes: Vec<u8>,
    /// The centre of the metric projection the worker uses for this dataset
    /// (`features::set_frame_for`): the page thread sets the same, so metres mean the same on
    /// both sides.
    #[serde(default = "chicago")]
    pub centre: (f64, f64),
}

fn chicago() -> (f64, f64) {
    crate::features::CENTRE
}

impl DatasetSummary {
    pub fn of(t: &CrimeTable) -> Self {
        let mut seen = [false; 256];
        t.district.iter().filter(|&x| x != NULL_U8).for_each(|x| seen[x as usize] = true);
        DatasetSummary {
            rows: t.len() as u64,
            district_codes: (0..=u8::MAX).filter(|&x| seen[x as usize]).collect(),
            centre: crate::features::frame(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load_bytes, LoadOptions};

    #[test]
    fn districts_are_listed_once_in_order_without_the_missing_ones() {
        let csv = b"Date,Primary Type,District,Latitude,Longitude\n\
            2017-01-31T23:10:00,THEFT,7,41.9,-87.7\n2017-02-01T00:10:00,THEFT,2,41.8,-87.6\n\
            2017-02-03T23:59:00,THEFT,,41.85,-87.65\n2017-02-03T23:59:00,THEFT,2,41.85,-87.65\n";
        let l = load_bytes("s", csv, LoadOptions::default()).unwrap();
        let s = DatasetSummary::of(&l.table);
        assert_eq!(s.rows, 4);
        assert_eq!(s.district_codes, vec![2, 7]);
    }
}
