//! The briefing's hotspots with their track record: the forecasting method with the best rolling
//! record over the last same shifts (the last 8 Friday nights for a Friday night) ranks tonight's
//! cells, and the briefing says in one line how its cells did on those shifts against counting.
//!
//! The candidates are [`CANDIDATES`]: the rolling back-test's methods but the self-exciting
//! process (its refits take seconds on 500,000 rows, too slow for a page that opens on the
//! briefing) and the ensemble (it learns from earlier periods of every day, not of this shift
//! only); with environment layers, the risk terrain ([`crate::forecast::terrain`]) too. Each is fitted before each of the last [`SHIFTS`] shifts of this weekday and hours that
//! the data covers, scored on it at [`COVERAGE`] of the city (the rolling test itself,
//! [`crate::forecast::rolling`], kept to one weekday), and the one with the highest mean PAI
//! ranks the next such shift — tonight's, after the data — from every row.

use serde::{Deserialize, Serialize};

use super::Shift;
use crate::cluster::Progress;
use crate::error::AnalysisError;
use crate::filter::{day_start, DAY};
use crate::forecast::methods::ForecastMethod;
use crate::forecast::rolling::RollingParams;
use crate::forecast::Horizon;
use crate::model::CrimeTable;
use crate::risk::hotspots::Hotspot;
use crate::terrain::Layer;

/// Same shifts scored (fewer when the data has less than four weeks before them).
pub const SHIFTS: usize = 8;
/// The share of the city the methods are scored at (the rolling test's headline).
pub const COVERAGE: f64 = 0.01;
pub const CANDIDATES: [ForecastMethod; 7] = [
    ForecastMethod::Naive,
    ForecastMethod::NaiveShift,
    ForecastMethod::ShiftHours,
    ForecastMethod::Prospective,
    ForecastMethod::NearRepeat,
    ForecastMethod::Kde,
    ForecastMethod::Risk,
];

/// One candidate's record over the shifts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub method: ForecastMethod,
    /// Mean hit rate and PAI at [`COVERAGE`] over the scored shifts.
    pub hit_rate: f64,
    pub pai: f64,
}

/// How the method behind tonight's hotspots did on the last same shifts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackRecord {
    /// The method chosen (the best mean PAI), and its label.
    pub method: ForecastMethod,
    pub label: String,
    /// The shifts scored (with at least one located incident), their first and last dates.
    pub shifts: usize,
    pub first: String,
    pub last: String,
    /// The area share flagged and its cells.
    pub area: f64,
    pub cells: usize,
    /// The chosen method's mean hit rate over those shifts, and the naive counts' ("counting").
    pub hit_rate: f64,
    pub naive_hit_rate: f64,
    pub pai: f64,
    pub naive_pai: f64,
    /// Every candidate, best first.
    pub candidates: Vec<Candidate>,
    /// "Over the last 8 Friday nights these cells held 9.1 % of incidents in 1.0 % of the city
    /// (counting: 8.0 %)."
    pub sentence: String,
}

const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// "Friday nights" for a shift in the evening or past midnight, else "Friday 08:00–16:00 shifts".
pub fn shifts_named(shift: &Shift) -> String {
    let day = DAYS[shift.weekday as usize % 7];
    if shift.start_hour >= 18 || u32::from(shift.start_hour) + u32::from(shift.hours) > 24 {
        format!("{day} nights")
    } else {
        format!("{day} {} shifts", shift.label().split_once(' ').map_or("", |x| x.1))
    }
}

/// The track record of the best candidate for `shift` on `rows` of `t`, and tonight's `n`
/// hotspots by its ranking; `None` when no shift of the last [`SHIFTS`] had an incident.
pub fn track_record(
    t: &CrimeTable,
    rows: &[u32],
    shift: &Shift,
    n: usize,
    cell_m: f64,
    layers: &[Layer],
    progress: &mut dyn Progress,
) -> Result<Option<(TrackRecord, Vec<Hotspot>, crate::risk::grid::Grid)>, AnalysisError> {
    let (Some(earliest), Some(last)) = (
        rows.iter().map(|&r| t.date.get(r as usize)).min(),
        rows.iter().map(|&r| t.date.get(r as usize)).max(),
    ) else {
        return Ok(None);
    };
    let to_hour = ((u32::from(shift.start_hour) + u32::from(shift.hours)) % 24) as u8;
    let horizon = Horizon::Shift { from_hour: shift.start_hour, to_hour };
    // The latest shift of this weekday that ends by the end of the data's last day.
    let end_of_data = last.div_euclid(DAY) * DAY + DAY;
    let len = i64::from(shift.hours) * 3600;
    let mut day = last.div_euclid(DAY);
    while (day + 3).rem_euclid(7) != i64::from(shift.weekday)
        || day * DAY + i64::from(shift.start_hour) * 3600 + len > end_of_data
    {
        day -= 1;
    }
    let date = |d: i64| chrono::DateTime::from_timestamp(d * DAY, 0).expect("a date").date_naive();
    // The last SHIFTS such shifts, or as many as have four weeks of rows before them (the grid
    // and the study area are the table's before the first: they need a history to cover).
    let mut first_day = day - 7 * (SHIFTS as i64 - 1);
    while first_day * DAY + i64::from(shift.start_hour) * 3600 < earliest + 28 * DAY {
        first_day += 7;
    }
    if first_day > day {
        return Ok(None);
    }
    let scored_shifts = ((day - first_day) / 7 + 1) as usize;
    let (first, latest, tonight) = (date(first_day), date(day), date(day + 7));
    debug_assert_eq!(day_start(latest), day * DAY);
    let params = RollingParams {
        coverages: vec![COVERAGE],
        methods: CANDIDATES.to_vec(),
        weekday: Some(shift.weekday),
        bootstrap: 0,
        cell_m,
        ..RollingParams::new(first, tonight, horizon)
    };
    let valid = params.check()?;
    let mut tonight_orders: Vec<(ForecastMethod, Vec<usize>)> = Vec::new();
    // Tonight is scored on nothing, even when the data reaches into it.
    let tonight_start = (day + 7) * DAY + i64::from(shift.start_hour) * 3600;
    let before: Vec<u32> = rows.iter().copied().filter(|&r| t.date.get(r as usize) < tonight_start).collect();
    let run = valid.run_with_layers(t, &before, layers, progress, &mut |k, m, order| {
        if k == scored_shifts {
            tonight_orders.push((m, order[..n.min(order.len())].to_vec()));
        }
    });
    let r = match run {
        // No located row before the first shift: no record to keep.
        Err(AnalysisError::Data(_)) => return Ok(None),
        r => r?,
    };
    if r.scored == 0 {
        return Ok(None);
    }
    let mut candidates: Vec<Candidate> = r
        .methods
        .iter()
        .map(|m| Candidate { method: m.method, hit_rate: m.summary[0].hit_rate, pai: m.summary[0].pai })
        .collect();
    // Best first; a tie goes to the simpler method (the candidates' order).
    candidates.sort_by(|a, b| b.pai.total_cmp(&a.pai));
    let best = candidates[0].method;
    let naive = r.method(ForecastMethod::Naive).expect("naive always runs");
    let chosen = r.method(best).expect("a candidate");
    let s = &chosen.summary[0];
    let area = s.cells as f64 / r.study_cells.max(1) as f64;
    let sentence = format!(
        "Over the last {} {} these cells held {:.1} % of incidents in {:.1} % of the city (counting: {:.1} %).",
        r.scored,
        shifts_named(shift),
        100.0 * s.hit_rate,
        100.0 * area,
        100.0 * naive.summary[0].hit_rate
    );
    // Tonight's cells in the chosen ranking, with the shift's incidents in each over the history.
    let study = valid.study(t);
    let order = tonight_orders.iter().find(|(m, _)| *m == best).map(|x| x.1.clone()).unwrap_or_default();
    let mut in_shift = vec![0u32; r.grid.len()];
    for &row in rows {
        let i = row as usize;
        if t.latitude.get(i).is_finite() && horizon.slot(t.date.get(i)) == Some(shift.weekday) {
            let (x, y) = crate::features::project(t.latitude.get(i), t.longitude.get(i));
            if let Some(c) = r.grid.cell_of(x, y) {
                in_shift[c] += 1;
            }
        }
    }
    let spots = order
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let c = study[i];
            let (lat, lon) = r.grid.centre_latlon(c);
            Hotspot {
                rank: k + 1,
                lat,
                lon,
                score: 1.0 / (k + 1) as f64,
                incidents: in_shift[c],
                cells: vec![c],
                why: format!(
                    "#{} for {} ({}); {} incidents in these hours on {}s so far",
                    k + 1,
                    tonight,
                    chosen.label,
                    in_shift[c],
                    DAYS[shift.weekday as usize % 7]
                ),
                place: Default::default(),
            }
        })
        .collect();
    Ok(Some((
        TrackRecord {
            method: best,
            label: chosen.label.clone(),
            shifts: r.scored,
            first: first.to_string(),
            last: latest.to_string(),
            area,
            cells: s.cells,
            hit_rate: s.hit_rate,
            naive_hit_rate: naive.summary[0].hit_rate,
            pai: s.pai,
            naive_pai: naive.summary[0].pai,
            candidates,
            sentence,
        },
        spots,
        r.grid,
    )))
}
