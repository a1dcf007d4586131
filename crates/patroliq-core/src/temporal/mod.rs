//! When crimes happen: temporal patterns (K-Means on hour, weekday and month) and the peak hours
//! and months of each crime type and district ([`peaks`]).
//!
//! Every incident is a point in the (hour, weekday, month) cube, which has only 24 × 7 × 12 =
//! 2,016 distinct positions. The patterns are found by K-Means on those cells weighted by their
//! incidents — exactly K-Means on every incident (identical points always share a cluster), at a
//! fraction of the work, which also makes the silhouette exact over all incidents instead of a
//! sample.

pub mod answer;
pub mod label;
pub mod peaks;

use chrono::{DateTime, Datelike};
use serde::{Deserialize, Serialize};

use crate::cluster::kmeans::{KMeansModel, KMeansParams};
use crate::cluster::{metrics, Progress};
use crate::error::AnalysisError;
use crate::model::CrimeTable;

/// Hour (0–23), weekday (0 = Monday) and month (1–12) of a `Date` (seconds, local time).
pub fn when(date: i64) -> Option<(u8, u8, u8)> {
    let dt = DateTime::from_timestamp(date, 0)?.naive_utc();
    let hour = (date.rem_euclid(86_400) / 3600) as u8;
    Some((hour, dt.weekday().num_days_from_monday() as u8, dt.month() as u8))
}

/// The cell index of (hour, weekday, month): hour fastest.
fn cell(hour: u8, weekday: u8, month: u8) -> usize {
    hour as usize + 24 * (weekday as usize + 7 * (month as usize - 1))
}

/// The (hour, weekday, month) of cell `c`.
fn uncell(c: usize) -> (u8, u8, u8) {
    ((c % 24) as u8, (c / 24 % 7) as u8, (c / 168 + 1) as u8)
}

pub const CELLS: usize = 24 * 7 * 12;

/// How the three times become coordinates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// sin and cos of each on its circle (23:00 is next to 00:00, December next to January):
    /// six coordinates, each cycle weighing the same.
    #[default]
    Cyclical,
    /// Hour, weekday and month each standardised to mean 0 and deviation 1 (the straight scale:
    /// 23:00 is far from 00:00).
    Standardised,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Cyclical => "cyclical",
            Encoding::Standardised => "standardised",
        }
    }
}

/// What the user sets. Defaults: cyclical, k chosen by silhouette among 3–6, 4 restarts, seed 42.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemporalParams {
    pub encoding: Encoding,
    pub k_min: usize,
    pub k_max: usize,
    /// A fixed k (within the sweep's range or not); `None` takes the sweep's best silhouette.
    pub k: Option<usize>,
    pub n_init: usize,
    pub seed: u64,
}

impl Default for TemporalParams {
    fn default() -> Self {
        TemporalParams { encoding: Encoding::Cyclical, k_min: 3, k_max: 6, k: None, n_init: 4, seed: 42 }
    }
}

/// Parameters that passed [`TemporalParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct TemporalValid(TemporalParams);

impl TemporalParams {
    pub fn check(self) -> Result<TemporalValid, AnalysisError> {
        let bad = |m: &str| Err(AnalysisError::Param(m.into()));
        if !(2..=12).contains(&self.k_min) || !(self.k_min..=12).contains(&self.k_max) {
            return bad("the k range must lie within 2–12, smallest first");
        }
        if self.k.is_some_and(|k| !(2..=12).contains(&k)) {
            return bad("k must be between 2 and 12");
        }
        if !(1..=20).contains(&self.n_init) {
            return bad("restarts must be between 1 and 20");
        }
        Ok(TemporalValid(self))
    }
}

/// The incidents of a selection counted per (hour, weekday, month) cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cube {
    /// Occupied cells, ascending.
    pub cells: Vec<usize>,
    pub weight: Vec<f64>,
    pub incidents: u64,
}

impl Cube {
    pub fn of(t: &CrimeTable, rows: &[u32]) -> Cube {
        let mut counts = vec![0u64; CELLS];
        for &r in rows {
            if let Some((h, w, m)) = when(t.date.get(r as usize)) {
                counts[cell(h, w, m)] += 1;
            }
        }
        let cells: Vec<usize> = (0..CELLS).filter(|&c| counts[c] > 0).collect();
        let weight = cells.iter().map(|&c| counts[c] as f64).collect();
        Cube { cells, weight, incidents: counts.iter().sum() }
    }

    /// The cells' coordinates in `encoding` (6 of them; standardised uses the first 3).
    pub fn encode(&self, encoding: Encoding) -> Vec<[f64; 6]> {
        let raw: Vec<[f64; 3]> = self
            .cells
            .iter()
            .map(|&c| {
                let (h, w, m) = uncell(c);
                [f64::from(h), f64::from(w), f64::from(m)]
            })
            .collect();
        match encoding {
            Encoding::Cyclical => raw
                .iter()
                .map(|&[h, w, m]| {
                    let a = |v: f64, p: f64| std::f64::consts::TAU * v / p;
                    let (h, w, m) = (a(h, 24.0), a(w, 7.0), a(m - 1.0, 12.0));
                    [h.sin(), h.cos(), w.sin(), w.cos(), m.sin(), m.cos()]
                })
                .collect(),
            Encoding::Standardised => {
                let n = self.incidents as f64;
                let mut z = [(0.0, 1.0); 3];
                for (a, zi) in z.iter_mut().enumerate() {
                    let mean = raw.iter().zip(&self.weight).map(|(p, w)| w * p[a]).sum::<f64>() / n;
                    let var =
                        raw.iter().zip(&self.weight).map(|(p, w)| w * (p[a] - mean).powi(2)).sum::<f64>() / n;
                    *zi = (mean, if var > 0.0 { var.sqrt() } else { 1.0 });
                }
                raw.iter()
                    .map(|p| {
                        let s = |a: usize| (p[a] - z[a].0) / z[a].1;
                        [s(0), s(1), s(2), 0.0, 0.0, 0.0]
                    })
                    .collect()
            }
        }
    }
}

/// One k of the sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    pub k: usize,
    pub inertia: f64,
    /// Exact, over every incident.
    pub silhouette: Option<f64>,
}

/// One temporal pattern.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pattern {
    /// Plain-language name from the pattern's centre and members ("Weekend late nights").
    pub label: String,
    pub incidents: u64,
    pub share: f64,
    /// Centre in the encoding's coordinates.
    pub centre: Vec<f64>,
    /// The hour the centre stands for (circular mean of its incidents' hours), 0–24.
    pub centre_hour: f64,
    pub peak_hour: u8,
    pub weekend_share: f64,
    pub by_hour: Vec<u64>,
    pub by_weekday: Vec<u64>,
    pub by_month: Vec<u64>,
    /// `hour_weekday[weekday][hour]`.
    pub hour_weekday: Vec<Vec<u64>>,
    pub top_types: Vec<(String, u64)>,
}

/// A temporal clustering: the sweep, the chosen k and its patterns (largest first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemporalReport {
    pub params: TemporalParams,
    pub incidents: u64,
    /// Distinct (hour, weekday, month) cells clustered.
    pub cells: usize,
    pub sweep: Vec<SweepPoint>,
    pub k: usize,
    pub silhouette: Option<f64>,
    pub inertia: f64,
    pub patterns: Vec<Pattern>,
    /// Pattern of each (hour, weekday, month) cell (index by [`cell_of`]), −1 where empty.
    pub cell_pattern: Vec<i8>,
}

/// The index of a `Date` into [`TemporalReport::cell_pattern`].
pub fn cell_of(date: i64) -> Option<usize> {
    when(date).map(|(h, w, m)| cell(h, w, m))
}

impl TemporalReport {
    /// The pattern of an incident's date.
    pub fn pattern_of(&self, date: i64) -> Option<usize> {
        let p = *self.cell_pattern.get(cell_of(date)?)?;
        (p >= 0).then_some(p as usize)
    }
}

fn fit<const D: usize>(
    xy: &[[f64; D]],
    w: &[f64],
    k: usize,
    p: &TemporalParams,
    progress: &mut dyn Progress,
) -> Result<(KMeansModel<D>, Option<f64>), AnalysisError> {
    let m = KMeansParams { k, n_init: p.n_init, seed: p.seed, ..KMeansParams::default() }
        .check()?
        .fit_weighted(xy, Some(w), progress)?;
    let s = metrics::silhouette_weighted(xy, w, &m.labels);
    Ok((m, s))
}

impl TemporalValid {
    pub fn params(&self) -> &TemporalParams {
        &self.0
    }

    /// Sweeps k, keeps the chosen one and profiles its patterns.
    pub fn fit(
        &self,
        t: &CrimeTable,
        rows: &[u32],
        progress: &mut dyn Progress,
    ) -> Result<TemporalReport, AnalysisError> {
        let cube = Cube::of(t, rows);
        match self.0.encoding {
            Encoding::Cyclical => self.fit_cube::<6>(t, rows, &cube, |p| p, progress),
            Encoding::Standardised => self.fit_cube::<3>(t, rows, &cube, |p| [p[0], p[1], p[2]], progress),
        }
    }

    fn fit_cube<const D: usize>(
        &self,
        t: &CrimeTable,
        rows: &[u32],
        cube: &Cube,
        dims: impl Fn([f64; 6]) -> [f64; D],
        progress: &mut dyn Progress,
    ) -> Result<TemporalReport, AnalysisError> {
        let p = &self.0;
        let xy: Vec<[f64; D]> = cube.encode(p.encoding).into_iter().map(dims).collect();
        let mut ks: Vec<usize> = (p.k_min..=p.k_max).collect();
        if let Some(k) = p.k.filter(|k| !ks.contains(k)) {
            ks.push(k);
        }
        let usable = |k: usize| k <= xy.len();
        if !ks.iter().any(|&k| usable(k)) {
            return Err(AnalysisError::Data(format!(
                "the selection has incidents at only {} distinct (hour, weekday, month) times, fewer \
                 than {} patterns",
                xy.len(),
                ks[0]
            )));
        }
        let mut sweep = Vec::new();
        let mut fits = Vec::new();
        let n = ks.len() as f64;
        for (i, &k) in ks.iter().enumerate() {
            if !usable(k) {
                continue;
            }
            let mut inner = |d: f64| progress.report((i as f64 + d) / n);
            let (m, s) = fit(&xy, &cube.weight, k, p, &mut inner)?;
            if (p.k_min..=p.k_max).contains(&k) {
                sweep.push(SweepPoint { k, inertia: m.inertia, silhouette: s });
            }
            fits.push((k, m, s));
        }
        let chosen = match p.k {
            Some(k) => fits.iter().position(|f| f.0 == k),
            None => (0..fits.len()).max_by(|&a, &b| {
                fits[a].2.unwrap_or(f64::MIN).total_cmp(&fits[b].2.unwrap_or(f64::MIN)).then(b.cmp(&a))
            }),
        }
        .ok_or_else(|| AnalysisError::Data("not enough distinct times for that k".into()))?;
        let (k, model, silhouette) = fits.swap_remove(chosen);
        Ok(self.report(
            t,
            rows,
            cube,
            model.centres.iter().map(|c| c.to_vec()).collect(),
            &model.labels,
            k,
            sweep,
            silhouette,
            model.inertia,
        ))
    }

    #[allow(clippy::too_many_arguments)]
    fn report(
        &self,
        t: &CrimeTable,
        rows: &[u32],
        cube: &Cube,
        centres: Vec<Vec<f64>>,
        labels: &[i32],
        k: usize,
        sweep: Vec<SweepPoint>,
        silhouette: Option<f64>,
        inertia: f64,
    ) -> TemporalReport {
        let mut cell_pattern = vec![-1i8; CELLS];
        for (&c, &l) in cube.cells.iter().zip(labels) {
            cell_pattern[c] = l as i8;
        }
        let mut pats: Vec<Pattern> = (0..k)
            .map(|j| Pattern {
                label: String::new(),
                incidents: 0,
                share: 0.0,
                centre: centres[j].clone(),
                centre_hour: 0.0,
                peak_hour: 0,
                weekend_share: 0.0,
                by_hour: vec![0; 24],
                by_weekday: vec![0; 7],
                by_month: vec![0; 12],
                hour_weekday: vec![vec![0; 24]; 7],
                top_types: Vec::new(),
            })
            .collect();
        for (&c, &w) in cube.cells.iter().zip(&cube.weight) {
            let j = cell_pattern[c] as usize;
            let (h, d, m) = uncell(c);
            let w = w as u64;
            let p = &mut pats[j];
            p.incidents += w;
            p.by_hour[h as usize] += w;
            p.by_weekday[d as usize] += w;
            p.by_month[m as usize - 1] += w;
            p.hour_weekday[d as usize][h as usize] += w;
        }
        let types = t.primary_type.values();
        let mut by_type = vec![vec![0u64; types.len()]; k];
        for &r in rows {
            if let Some(c) = cell_of(t.date.get(r as usize)) {
                by_type[cell_pattern[c] as usize][t.primary_type.code(r as usize) as usize] += 1;
            }
        }
        for (p, counts) in pats.iter_mut().zip(&by_type) {
            let n = p.incidents.max(1) as f64;
            p.share = p.incidents as f64 / cube.incidents.max(1) as f64;
            p.peak_hour = (0..24).max_by_key(|&h| (p.by_hour[h], std::cmp::Reverse(h))).unwrap_or(0) as u8;
            p.weekend_share = (p.by_weekday[5] + p.by_weekday[6]) as f64 / n;
            p.centre_hour = label::circular_mean(&p.by_hour);
            let mut top: Vec<(String, u64)> = counts
                .iter()
                .enumerate()
                .filter(|(_, &c)| c > 0)
                .map(|(c, &n)| (types[c].clone(), n))
                .collect();
            top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            top.truncate(3);
            p.top_types = top;
        }
        label::name_all(&mut pats);
        // Largest first; the cell map follows the new order.
        let mut order: Vec<usize> = (0..k).collect();
        order.sort_by(|&a, &b| pats[b].incidents.cmp(&pats[a].incidents).then(a.cmp(&b)));
        let mut rank = vec![0i8; k];
        for (new, &old) in order.iter().enumerate() {
            rank[old] = new as i8;
        }
        cell_pattern.iter_mut().filter(|c| **c >= 0).for_each(|c| *c = rank[*c as usize]);
        let patterns = order.iter().map(|&o| pats[o].clone()).collect();
        TemporalReport {
            params: self.0.clone(),
            incidents: cube.incidents,
            cells: cube.cells.len(),
            sweep,
            k,
            silhouette,
            inertia,
            patterns,
            cell_pattern,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Silent;
    use crate::features::all_rows;
    use crate::load::{load_bytes, LoadOptions};

    /// Weekday afternoons (Mon–Thu 13–15 h, all year) and weekend late nights (Sat–Sun 1–3 h).
    fn two_habits() -> CrimeTable {
        let mut csv = String::from("Date,Primary Type,Latitude,Longitude\n");
        for m in 1..=12 {
            for d in 0..4 {
                // 2017-01-02 was a Monday; the first Monday of each month varies, so walk days.
                let day = chrono::NaiveDate::from_ymd_opt(2017, m, 1).unwrap();
                let monday =
                    day + chrono::Duration::days((7 - day.weekday().num_days_from_monday() as i64) % 7);
                for h in 13..=15 {
                    csv +=
                        &format!("{}T{h:02}:10:00,THEFT,41.88,-87.63\n", monday + chrono::Duration::days(d));
                }
                if d < 2 {
                    for h in 1..=3 {
                        csv += &format!(
                            "{}T{h:02}:10:00,BATTERY,41.88,-87.63\n",
                            monday + chrono::Duration::days(5 + d)
                        );
                    }
                }
            }
        }
        load_bytes("t", csv.as_bytes(), LoadOptions::default()).unwrap().table
    }

    #[test]
    fn two_habits_become_two_named_patterns() {
        let t = two_habits();
        for encoding in [Encoding::Cyclical, Encoding::Standardised] {
            let p = TemporalParams { encoding, k_min: 2, k_max: 4, ..Default::default() }.check().unwrap();
            let r = p.fit(&t, &all_rows(&t), &mut Silent).unwrap();
            assert_eq!(r.k, 2, "{encoding:?}: the sweep picks 2 ({:?})", r.sweep);
            assert_eq!(r.sweep.len(), 3);
            assert_eq!(r.incidents, 12 * (4 * 3 + 2 * 3));
            assert_eq!(r.patterns[0].label, "Mon–Thu afternoons");
            assert_eq!(r.patterns[0].top_types[0].0, "THEFT");
            assert_eq!(r.patterns[1].label, "Weekend late nights");
            assert_eq!(r.patterns[1].incidents, 72);
            assert_eq!(r.patterns.iter().map(|p| p.incidents).sum::<u64>(), r.incidents);
            let sat_2am = t.date.iter().position(|d| when(d).unwrap().0 == 2).unwrap();
            assert_eq!(r.pattern_of(t.date.get(sat_2am)), Some(1));
            assert!(r.silhouette.unwrap() > 0.3, "{:?}", r.silhouette);
        }
    }

    #[test]
    fn the_weighted_cube_equals_k_means_on_every_incident() {
        let t = two_habits();
        let rows = all_rows(&t);
        let cube = Cube::of(&t, &rows);
        let xy = cube.encode(Encoding::Cyclical);
        // Every incident as its own point, from the same initial centres.
        let each: Vec<[f64; 6]> = rows
            .iter()
            .map(|&r| xy[cube.cells.binary_search(&cell_of(t.date.get(r as usize)).unwrap()).unwrap()])
            .collect();
        let init = Some(vec![xy[0].to_vec(), xy[5].to_vec(), xy[xy.len() - 1].to_vec()]);
        let params = KMeansParams { k: 3, init, ..Default::default() }.check().unwrap();
        let w = params.fit_weighted(&xy, Some(&cube.weight), &mut Silent).unwrap();
        let e = params.fit_nd(&each, &mut Silent).unwrap();
        assert_eq!(w.n_iter, e.n_iter);
        assert!((w.inertia - e.inertia).abs() < 1e-9 * e.inertia.max(1.0));
        for (a, b) in w.centres.iter().zip(&e.centres) {
            assert!(dist2_close(a, b));
        }
        let ws = metrics::silhouette_weighted(&xy, &cube.weight, &w.labels).unwrap();
        let es = metrics::silhouette(&each, &e.labels).unwrap();
        assert!((ws - es).abs() < 1e-9);
    }

    fn dist2_close(a: &[f64; 6], b: &[f64; 6]) -> bool {
        crate::cluster::dist2(*a, *b) < 1e-18
    }

    #[test]
    fn degenerate_selections_are_errors_not_panics() {
        let t = two_habits();
        let p = TemporalParams::default().check().unwrap();
        assert!(matches!(p.fit(&t, &[], &mut Silent), Err(AnalysisError::Data(_))));
        assert!(matches!(p.fit(&t, &[0, 1], &mut Silent), Err(AnalysisError::Data(_))));
        assert!(TemporalParams { k_min: 5, k_max: 3, ..Default::default() }.check().is_err());
        assert!(TemporalParams { k: Some(1), ..Default::default() }.check().is_err());
        let mut stop = |_: f64| false;
        assert_eq!(p.fit(&t, &all_rows(&t), &mut stop).unwrap_err(), AnalysisError::Cancelled);
    }

    #[test]
    fn a_fixed_k_outside_the_sweep_is_used() {
        let t = two_habits();
        let p = TemporalParams { k: Some(8), ..Default::default() }.check().unwrap();
        let r = p.fit(&t, &all_rows(&t), &mut Silent).unwrap();
        assert_eq!((r.k, r.patterns.len(), r.sweep.len()), (8, 8, 4));
    }
}

/// When the incidents of one geographic hotspot happen, in terms of the temporal patterns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HotspotTime {
    /// The hotspot's number on the Hotspots page (1 = largest).
    pub hotspot: usize,
    pub incidents: u64,
    /// Share of its incidents in each pattern (the report's order).
    pub pattern_share: Vec<f64>,
    pub peak_hour: u8,
    /// Share between 20:00 and 05:59.
    pub night_share: f64,
}

/// The temporal pattern mix of each hotspot, given the hotspot of each of `rows` (−1 = noise),
/// for at most `max` hotspots (the largest).
pub fn hotspot_times(
    r: &TemporalReport,
    t: &CrimeTable,
    rows: &[u32],
    hotspot: &[i32],
    max: usize,
) -> Vec<HotspotTime> {
    let k = hotspot.iter().copied().max().map_or(0, |m| (m + 1).max(0) as usize).min(max);
    let mut counts = vec![vec![0u64; r.patterns.len()]; k];
    let mut hours = vec![[0u64; 24]; k];
    for (&row, &h) in rows.iter().zip(hotspot) {
        if h < 0 || h as usize >= k {
            continue;
        }
        let d = t.date.get(row as usize);
        if let (Some(p), Some((hour, _, _))) = (r.pattern_of(d), when(d)) {
            counts[h as usize][p] += 1;
            hours[h as usize][hour as usize] += 1;
        }
    }
    (0..k)
        .map(|h| {
            let n: u64 = counts[h].iter().sum();
            let night: u64 =
                hours[h].iter().enumerate().filter(|(hr, _)| *hr >= 20 || *hr < 6).map(|(_, c)| c).sum();
            HotspotTime {
                hotspot: h + 1,
                incidents: n,
                pattern_share: counts[h].iter().map(|&c| c as f64 / n.max(1) as f64).collect(),
                peak_hour: (0..24).max_by_key(|&x| (hours[h][x], std::cmp::Reverse(x))).unwrap_or(0) as u8,
                night_share: night as f64 / n.max(1) as f64,
            }
        })
        .collect()
}

/// Everything the temporal page shows for one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemporalView {
    pub report: TemporalReport,
    pub peaks: peaks::Peaks,
    /// When the worker holds a hotspot clustering of the same rows.
    pub hotspots: Option<Vec<HotspotTime>>,
}

#[cfg(test)]
mod hotspot_tests {
    use super::*;
    use crate::cluster::Silent;
    use crate::features::all_rows;
    use crate::load::{load_bytes, LoadOptions};

    #[test]
    fn each_hotspot_gets_its_pattern_mix() {
        // Hotspot 1: afternoons on weekdays; hotspot 2: weekend nights.
        let mut csv = String::from("Date,Primary Type,Latitude,Longitude\n");
        for d in 2..=6 {
            for h in [13, 14, 15] {
                csv += &format!("2017-01-{d:02}T{h}:00:00,THEFT,41.88,-87.63\n");
            }
        }
        for d in [7, 8, 14, 15, 21] {
            for h in [1, 2, 23] {
                csv += &format!("2017-01-{d:02}T{h:02}:00:00,BATTERY,41.75,-87.60\n");
            }
        }
        let t = load_bytes("t", csv.as_bytes(), LoadOptions::default()).unwrap().table;
        let rows = all_rows(&t);
        let r = TemporalParams { k: Some(2), k_min: 2, k_max: 3, ..Default::default() }
            .check()
            .unwrap()
            .fit(&t, &rows, &mut Silent)
            .unwrap();
        let hotspot: Vec<i32> =
            rows.iter().map(|&i| if t.latitude.get(i as usize) > 41.8 { 0 } else { 1 }).collect();
        let h = hotspot_times(&r, &t, &rows, &hotspot, 10);
        assert_eq!(h.len(), 2);
        assert_eq!((h[0].hotspot, h[0].incidents, h[1].incidents), (1, 15, 15));
        assert!(h.iter().all(|x| (x.pattern_share.iter().sum::<f64>() - 1.0).abs() < 1e-12));
        // Each hotspot lies wholly in one pattern, a different one.
        let main = |x: &HotspotTime| x.pattern_share.iter().position(|&s| s == 1.0);
        assert!(main(&h[0]).is_some() && main(&h[1]).is_some() && main(&h[0]) != main(&h[1]));
        assert_eq!(h[0].night_share, 0.0);
        assert_eq!(h[1].night_share, 1.0);
        assert_eq!(h[0].peak_hour, 13);
        assert!(hotspot_times(&r, &t, &rows, &vec![-1; rows.len()], 10).is_empty());
    }
}
