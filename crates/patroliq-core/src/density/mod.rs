//! Where incidents concentrate on the map, for the heatmaps page: incidents per km² on a square
//! grid, either as raw counts per cell or smoothed by a Gaussian kernel (the risk grid's binned
//! KDE), for all the selected rows and, for the time slider, per month or per hour of the day.
//!
//! Every frame shares one grid (covering all the selected located rows), so the slider moves
//! through time on a fixed map; the frames also share one colour scale (`frame_max`), so a quiet
//! month looks quiet.

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use crate::cluster::Progress;
use crate::error::AnalysisError;
use crate::features::project;
use crate::model::CrimeTable;
use crate::risk::grid::Grid;
use crate::risk::kde::kde;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DensityMethod {
    /// Kernel density estimate: smooth, the bandwidth sets how far an incident's weight spreads.
    #[default]
    Kde,
    /// Incidents per cell, unsmoothed.
    Counts,
}

/// What the time slider steps through.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frames {
    /// No slider: all the selected rows only.
    None,
    /// One frame per calendar month of the selected rows.
    #[default]
    Month,
    /// One frame per hour of the day (00:00 … 23:00), all days together.
    Hour,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DensityParams {
    pub method: DensityMethod,
    /// Side of a cell, metres (100–1000).
    pub cell_m: f64,
    /// KDE bandwidth, metres (50–5000); unused by `Counts`.
    pub bandwidth_m: f64,
    pub frames: Frames,
}

impl Default for DensityParams {
    fn default() -> Self {
        DensityParams { method: DensityMethod::Kde, cell_m: 300.0, bandwidth_m: 400.0, frames: Frames::Month }
    }
}

/// Parameters that passed [`DensityParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct DensityValid(DensityParams);

impl DensityParams {
    pub fn check(self) -> Result<DensityValid, AnalysisError> {
        let bad = |m: String| Err(AnalysisError::Param(m));
        if !(self.cell_m.is_finite() && (100.0..=1000.0).contains(&self.cell_m)) {
            return bad(format!("the cell size must be 100–1000 m, not {}", self.cell_m));
        }
        if self.method == DensityMethod::Kde
            && !(self.bandwidth_m.is_finite() && (50.0..=5000.0).contains(&self.bandwidth_m))
        {
            return bad(format!("the bandwidth must be 50–5000 m, not {}", self.bandwidth_m));
        }
        Ok(DensityValid(self))
    }
}

/// One picture of the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    /// "All", "2017-03", "20:00".
    pub label: String,
    pub incidents: u64,
    /// Incidents per km² of each cell, row-major from the south-west; `None` where there is
    /// nothing (drawn transparent). Rounded to 3 significant digits: the page only colours them.
    pub z: Vec<Option<f32>>,
    /// The densest cell: latitude, longitude, incidents per km².
    pub peak: Option<(f64, f64, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DensityView {
    pub params: DensityParams,
    /// Latitude of each grid row's centre (south to north) and longitude of each column's.
    /// The projection is equirectangular, so the cells are a regular lon/lat lattice.
    pub lat: Vec<f64>,
    pub lon: Vec<f64>,
    /// All the selected rows.
    pub all: Frame,
    /// The slider's frames, in time order (empty for [`Frames::None`]).
    pub frames: Vec<Frame>,
    /// The top of the animation's one colour scale: the 99th percentile of the frames' non-blank
    /// values (a few downtown cells would otherwise wash out the rest of the city).
    pub frame_max: f64,
    /// The same for the `all` frame.
    pub all_max: f64,
    /// Selected rows without coordinates (not on the map).
    pub unlocated: u64,
}

fn round3(v: f64) -> f32 {
    if v <= 0.0 || !v.is_finite() {
        return 0.0;
    }
    let scale = 10f64.powi(2 - v.log10().floor() as i32);
    ((v * scale).round() / scale) as f32
}

impl DensityValid {
    pub fn params(&self) -> &DensityParams {
        &self.0
    }

    /// The density of `rows` of `t`.
    pub fn fit(
        &self,
        t: &CrimeTable,
        rows: &[u32],
        progress: &mut dyn Progress,
    ) -> Result<DensityView, AnalysisError> {
        let p = &self.0;
        let xy: Vec<(f64, f64)> =
            rows.iter().map(|&r| project(t.latitude.get(r as usize), t.longitude.get(r as usize))).collect();
        let mut grid = Grid::covering(xy.iter().copied(), p.cell_m).ok_or_else(|| {
            AnalysisError::Data("no selected incident has coordinates: nothing to map".into())
        })?;
        // Room for the kernel's reach (3 bandwidths) around the outermost incidents, so the
        // smoothing is not cut at the map's edge.
        if p.method == DensityMethod::Kde {
            let pad = (3.0 * p.bandwidth_m / p.cell_m).ceil() as usize;
            grid.col0 -= pad as i64;
            grid.row0 -= pad as i64;
            grid.cols += 2 * pad;
            grid.rows += 2 * pad;
        }
        let cell: Vec<Option<usize>> = xy.iter().map(|&(x, y)| grid.cell_of(x, y)).collect();
        let unlocated = cell.iter().filter(|c| c.is_none()).count() as u64;

        // The frame of each row (`None`: outside the slider, e.g. no date).
        let (labels, frame_of): (Vec<String>, Vec<Option<usize>>) = match p.frames {
            Frames::None => (Vec::new(), vec![None; rows.len()]),
            Frames::Hour => (
                (0..24).map(|h| format!("{h:02}:00")).collect(),
                rows.iter()
                    .map(|&r| Some((t.date.get(r as usize).rem_euclid(86_400) / 3600) as usize))
                    .collect(),
            ),
            Frames::Month => {
                let month = |d: i64| {
                    chrono::DateTime::from_timestamp(d, 0).map(|d| d.year() as i64 * 12 + d.month0() as i64)
                };
                let months: Vec<Option<i64>> = rows.iter().map(|&r| month(t.date.get(r as usize))).collect();
                let lo = months.iter().flatten().min().copied();
                let hi = months.iter().flatten().max().copied();
                match (lo, hi) {
                    (Some(lo), Some(hi)) => (
                        (lo..=hi)
                            .map(|m| format!("{}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1))
                            .collect(),
                        months.iter().map(|m| m.map(|m| (m - lo) as usize)).collect(),
                    ),
                    _ => (Vec::new(), vec![None; rows.len()]),
                }
            }
        };
        let n = labels.len();
        let mut counts = vec![vec![0.0f64; grid.len()]; n + 1];
        let mut incidents = vec![0u64; n + 1];
        for (c, f) in cell.iter().zip(&frame_of) {
            let Some(c) = *c else { continue };
            counts[n][c] += 1.0;
            incidents[n] += 1;
            if let Some(f) = *f {
                counts[f][c] += 1.0;
                incidents[f] += 1;
            }
        }
        let km2 = grid.cell_km2();
        let mut frames = Vec::with_capacity(n);
        for (i, (c, label)) in counts.iter().zip(labels.iter().map(String::as_str).chain(["All"])).enumerate()
        {
            if !progress.report(i as f64 / (n + 1) as f64) {
                return Err(AnalysisError::Cancelled);
            }
            let values = match p.method {
                DensityMethod::Kde => kde(&grid, c, p.bandwidth_m),
                DensityMethod::Counts => c.iter().map(|v| v / km2).collect(),
            };
            frames.push(frame(&grid, label, incidents[i], &values));
        }
        let all = frames.pop().expect("the all frame");
        let frame_max = p99(frames.iter().flat_map(|f| f.z.iter().flatten()));
        let all_max = p99(all.z.iter().flatten());
        Ok(DensityView {
            params: p.clone(),
            lat: (0..grid.rows).map(|r| grid.centre_latlon(r * grid.cols).0).collect(),
            lon: (0..grid.cols).map(|c| grid.centre_latlon(c).1).collect(),
            all,
            frames,
            frame_max,
            all_max,
            unlocated,
        })
    }
}

fn p99<'a>(values: impl Iterator<Item = &'a f32>) -> f64 {
    let mut v: Vec<f32> = values.copied().filter(|v| *v > 0.0).collect();
    v.sort_by(f32::total_cmp);
    v.get(v.len() * 99 / 100).map_or(0.0, |&x| x as f64)
}

/// A KDE's far tail is not worth a colour: values under a thousandth of the frame's peak are
/// left blank, as are empty cells.
fn frame(grid: &Grid, label: &str, incidents: u64, values: &[f64]) -> Frame {
    let (mut best, mut at) = (0.0f64, None);
    for (i, &v) in values.iter().enumerate() {
        if v > best {
            best = v;
            at = Some(i);
        }
    }
    let floor = best * 1e-3;
    Frame {
        label: label.to_string(),
        incidents,
        z: values.iter().map(|&v| (v > floor && v > 0.0).then(|| round3(v))).collect(),
        peak: at.map(|i| {
            let (la, lo) = grid.centre_latlon(i);
            (la, lo, best)
        }),
    }
}

#[cfg(test)]
mod tests;
