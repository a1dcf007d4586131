//! `risk`: the Patrol page's crime-risk grid ([`crate::risk`]) as a rolling forecast. At each
//! period it scores every cell as the risk grid fitted on the table as it stood at the period's
//! start would: severity-weighted incidents, incidents decayed with the recency half-life, and
//! the count the environment model expects (a Poisson regression of the selected incidents of the
//! last quarter of the past on the places recorded before it, predicted from every place recorded
//! before the period), each scaled by its largest study cell and weighted.
//!
//! The three parts slide instead of being refitted from every row: the severity and place counts
//! gain the incidents and places recorded since the last period, the recency sums are decayed to
//! the new period's start and gain the new incidents; only the Poisson regression is refitted (a
//! few Newton steps on the study cells). Scaled by their largest cell, the recency sums decayed
//! to the period's start rank as the risk grid's, decayed to its latest incident, do.

use super::methods::{Event, Forecaster, Scores, NONE};
use super::{AnalysisError, Span, DAY};
use crate::features::categories::severity;
use crate::features::project;
use crate::model::CrimeTable;
use crate::risk::grid::Grid;
use crate::risk::poisson::{self, PoissonFit};
use crate::risk::{environment_of, ENVIRONMENT};

const KINDS: usize = ENVIRONMENT.len();

/// A place of the whole table (any filter) as the environment model counts it.
#[derive(Debug, Clone, Copy)]
struct Place {
    t: i64,
    cell: u32,
    kind: u8,
}

pub struct RiskGrid {
    study: Vec<usize>,
    weights: [f64; 3],
    lambda: f64,
    half_life_days: f64,
    /// The severity of each selected incident, in the order of the events handed to `forecast`.
    severity_of: Vec<f64>,
    /// Every located place of the table on the grid, in time order.
    places: Vec<Place>,
    /// Events taken in; the first event's time; events before the environment split.
    hi: usize,
    first: Option<i64>,
    split_hi: usize,
    /// Places taken in: before the split, before the period.
    place_split: usize,
    place_now: usize,
    count: Vec<f64>,
    count_before_split: Vec<f64>,
    sev: Vec<f64>,
    rec: Vec<f64>,
    rec_at: i64,
    env_before: Vec<[f64; KINDS]>,
    env_all: Vec<[f64; KINDS]>,
    fit: Option<PoissonFit>,
}

impl RiskGrid {
    /// `rows[i]` is the table row of the `i`-th event the rolling test hands over; `until` the end
    /// of its last period (no place at or after it is read).
    pub fn new(
        grid: &Grid,
        study: &[usize],
        t: &CrimeTable,
        rows: &[u32],
        until: i64,
        half_life_days: f64,
        weights: [f64; 3],
    ) -> RiskGrid {
        let by_code: Vec<f64> = t.fbi_code.values().iter().map(|c| severity(c)).collect();
        let kinds: Vec<Option<usize>> =
            t.location_description.values().iter().map(|d| environment_of(d)).collect();
        let mut places: Vec<Place> = (0..t.len())
            .filter(|&r| {
                t.date.get(r) < until && t.latitude.get(r).is_finite() && t.longitude.get(r).is_finite()
            })
            .filter_map(|r| {
                let kind = kinds[t.location_description.code(r) as usize]?;
                let (x, y) = project(t.latitude.get(r), t.longitude.get(r));
                let cell = grid.cell_of(x, y)?;
                Some(Place { t: t.date.get(r), cell: cell as u32, kind: kind as u8 })
            })
            .collect();
        places.sort_by_key(|p| p.t);
        let n = grid.len();
        RiskGrid {
            study: study.to_vec(),
            weights,
            lambda: std::f64::consts::LN_2 / (half_life_days * DAY as f64),
            half_life_days,
            severity_of: rows.iter().map(|&r| by_code[t.fbi_code.code(r as usize) as usize]).collect(),
            places,
            hi: 0,
            first: None,
            split_hi: 0,
            place_split: 0,
            place_now: 0,
            count: vec![0.0; n],
            count_before_split: vec![0.0; n],
            sev: vec![0.0; n],
            rec: vec![0.0; n],
            rec_at: i64::MIN,
            env_before: vec![[0.0; KINDS]; n],
            env_all: vec![[0.0; KINDS]; n],
            fit: None,
        }
    }

    /// The environment model's expected count per grid cell (0 where it cannot be fitted).
    fn environment(&mut self, past: &[Event], start: i64) -> Vec<f64> {
        let n = self.count.len();
        let (Some(first), Some(last)) = (self.first, self.hi.checked_sub(1).map(|i| past[i].t)) else {
            self.fit = None;
            return vec![0.0; n];
        };
        let split = first + (last - first) * 3 / 4;
        while self.split_hi < self.hi && past[self.split_hi].t < split {
            let e = &past[self.split_hi];
            if e.cell != NONE {
                self.count_before_split[e.cell as usize] += 1.0;
            }
            self.split_hi += 1;
        }
        while self.place_split < self.places.len() && self.places[self.place_split].t < split {
            let p = self.places[self.place_split];
            self.env_before[p.cell as usize][p.kind as usize] += 1.0;
            self.place_split += 1;
        }
        while self.place_now < self.places.len() && self.places[self.place_now].t < start {
            let p = self.places[self.place_now];
            self.env_all[p.cell as usize][p.kind as usize] += 1.0;
            self.place_now += 1;
        }
        let ln = |v: &[f64; KINDS]| v.iter().map(|x| x.ln_1p()).collect::<Vec<f64>>();
        let x: Vec<Vec<f64>> = self.study.iter().map(|&c| ln(&self.env_before[c])).collect();
        let y: Vec<f64> = self.study.iter().map(|&c| self.count[c] - self.count_before_split[c]).collect();
        self.fit = poisson::fit(&x, &y);
        let mut out = vec![0.0; n];
        if let Some(f) = &self.fit {
            for &c in &self.study {
                out[c] = f.predict(&ln(&self.env_all[c]));
            }
        }
        out
    }
}

impl Forecaster for RiskGrid {
    fn forecast(&mut self, past: &[Event], span: Span, out: &mut Scores) -> Result<(), AnalysisError> {
        debug_assert!(past.len() >= self.hi, "the past only grows");
        let start = span.start;
        if self.rec_at != i64::MIN {
            let decay = (-((start - self.rec_at) as f64) * self.lambda).exp();
            self.rec.iter_mut().for_each(|v| *v *= decay);
        }
        self.rec_at = start;
        while self.hi < past.len() {
            let e = &past[self.hi];
            if e.cell != NONE {
                let c = e.cell as usize;
                self.first.get_or_insert(e.t);
                self.count[c] += 1.0;
                self.sev[c] += self.severity_of[self.hi];
                self.rec[c] += (-((start - e.t) as f64) * self.lambda).exp();
            }
            self.hi += 1;
        }
        let expected = self.environment(past, start);
        let max_of = |v: &[f64]| self.study.iter().map(|&c| v[c]).fold(0.0, f64::max);
        let raw = [&self.sev, &self.rec, &expected];
        let scale = [max_of(&self.sev), max_of(&self.rec), max_of(&expected)];
        let total_w: f64 = self.weights.iter().sum();
        out.primary.iter_mut().for_each(|v| *v = 0.0);
        for &c in &self.study {
            out.primary[c] = (0..3)
                .filter(|&k| scale[k] > 0.0)
                .map(|k| self.weights[k] * raw[k][c] / scale[k] / total_w)
                .sum();
        }
        // Ties as the risk grid breaks them: more incidents first.
        out.secondary.copy_from_slice(&self.count);
        Ok(())
    }

    fn note(&self) -> String {
        let w = self.weights;
        let env = match &self.fit {
            Some(f) => format!(
                "the environment model explains {:.0} % of the deviance",
                100.0 * f.deviance_explained
            ),
            None => "no environment model could be fitted".into(),
        };
        format!(
            "weights {}/{}/{} (severity/recency/environment), half-life {} days; {env}",
            w[0], w[1], w[2], self.half_life_days
        )
    }
}
