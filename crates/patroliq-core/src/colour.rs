//! The range a map's colour bar spans, and its ticks.
//!
//! A few downtown cells dwarf the rest of the city: on the real sample the busiest 250 m cell's
//! KDE is 3.5 times the 99th percentile. A colour scale up to the peak would paint the city one
//! pale colour, so the maps end their colours at a percentile — on purpose. What must not happen
//! is a bar that silently stops below the values drawn (the risk map's bar read 0–0.12 beside
//! hotspots scoring 0.23–0.99): the bar's top tick says "≥ 0.12" when the colours are clipped
//! there, and the bar's title and the page give the true peak.

use serde::{Deserialize, Serialize};

/// The colour range of values drawn on a map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColourRange {
    /// The bottom and top of the colours (zmin, zmax).
    pub min: f64,
    pub max: f64,
    /// The largest value drawn.
    pub peak: f64,
    /// Whether values above `max` are drawn (in the top colour): the percentile clip.
    pub clipped: bool,
    /// Tick positions on the bar, bottom to top, and their labels; the top one reads "≥ max"
    /// when clipped.
    pub ticks: Vec<f64>,
    pub labels: Vec<String>,
}

/// A "nice" step (1, 2 or 5 × 10ⁿ) giving about `n` intervals over `span`.
fn nice_step(span: f64, n: usize) -> f64 {
    let raw = span / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    mag * if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    }
}

/// `v` with thousands separators and the decimals `step` needs.
pub fn label(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 { 0 } else { (-step.log10().floor()) as usize };
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(a, b)| (a, b));
    let grouped = crate::fmt::thousands(int.parse().unwrap_or(0));
    let sign = if v < 0.0 && s.chars().any(|c| c != '0' && c != '.') { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

impl ColourRange {
    /// From 0 (or the smallest value, if negative) to the `percentile` (0–100) of the positive
    /// `values`, the peak kept; `percentile` 100 never clips. `None` when nothing is positive.
    pub fn clipped(values: impl IntoIterator<Item = f64>, percentile: f64) -> Option<ColourRange> {
        let mut v: Vec<f64> = values.into_iter().filter(|x| x.is_finite() && *x > 0.0).collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        let peak = v[v.len() - 1];
        let at = ((v.len() as f64 * percentile / 100.0) as usize).min(v.len() - 1);
        Some(ColourRange::new(0.0, v[at], peak))
    }

    /// Colours from `min` to `max` for values up to `peak`.
    pub fn new(min: f64, max: f64, peak: f64) -> ColourRange {
        let max = if max > min { max } else { min + 1e-9 };
        let clipped = peak > max * (1.0 + 1e-9);
        let step = nice_step(max - min, 4);
        let mut ticks = Vec::new();
        let mut t = (min / step).ceil() * step;
        // Leave room for the top tick: no nice tick within a third of a step under it.
        while t < max - step / 3.0 {
            ticks.push(t);
            t += step;
        }
        ticks.push(max);
        let top_step = if max < 1.0 { step.min(max / 10.0) } else { step.min(1.0) };
        let labels = ticks
            .iter()
            .enumerate()
            .map(|(i, &t)| {
                if i + 1 == ticks.len() {
                    let top = label(t, top_step);
                    if clipped {
                        format!("≥ {top}")
                    } else {
                        top
                    }
                } else {
                    label(t, step)
                }
            })
            .collect();
        ColourRange { min, max, peak, clipped, ticks, labels }
    }

    /// Whether the bar covers `v`: within it, or above a clipped top ("≥ max").
    pub fn covers(&self, v: f64) -> bool {
        v >= self.min - 1e-12 && (v <= self.max * (1.0 + 1e-12) || self.clipped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_percentile_clip_says_so_on_the_top_tick_and_keeps_the_peak() {
        // 100 cells scoring 0.01 … 1.00: the 99th percentile is 1.00's neighbour.
        let r = ColourRange::clipped((1..=100).map(|i| i as f64 / 100.0), 90.0).unwrap();
        assert_eq!((r.min, r.max, r.peak, r.clipped), (0.0, 0.91, 1.0, true));
        assert_eq!(r.labels.last().unwrap(), "≥ 0.91");
        assert_eq!(r.ticks.first(), Some(&0.0));
        assert!(r.ticks.windows(2).all(|w| w[0] < w[1]));
        assert!((1..=100).all(|i| r.covers(i as f64 / 100.0)), "every value drawn is on the bar");
    }

    #[test]
    fn no_clip_when_the_percentile_is_the_peak_and_big_numbers_get_separators() {
        let r = ColourRange::clipped([10.0, 4902.0, 0.0, -3.0, f64::NAN], 100.0).unwrap();
        assert_eq!((r.max, r.peak, r.clipped), (4902.0, 4902.0, false));
        assert_eq!(r.labels, vec!["0", "2,000", "4,000", "4,902"]);
        assert!(!r.covers(5000.0));
        let clipped = ColourRange::new(0.0, 1400.0, 4902.0);
        assert_eq!(clipped.labels.last().unwrap(), "≥ 1,400");
        assert!(clipped.covers(4902.0));
        assert!(ColourRange::clipped([0.0, -1.0], 99.0).is_none());
    }

    #[test]
    fn labels_group_thousands_and_keep_the_decimals_the_step_needs() {
        assert_eq!(label(1234567.0, 1000.0), "1,234,567");
        assert_eq!(label(0.126, 0.05), "0.13");
        assert_eq!(label(999.0, 100.0), "999");
        assert_eq!(label(-1500.0, 500.0), "-1,500");
    }
}
