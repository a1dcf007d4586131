//! Risk terrain from real environment layers (issue #36): places that attract or generate crime
//! (liquor outlets, 'L' stops, abandoned buildings, parks …) read from files that exist apart
//! from the crime records, turned into factors per cell of the risk grid, and a penalised Poisson
//! regression that selects them and says how much each multiplies the risk.
//!
//! - [`layers`]: the readers (GeoJSON, CSV lat/lon, `"(lat, lon)"`, WKT, WKB) and the extent clip;
//! - [`geometry`]: one geometry in one text field (WKT, hex WKB).

pub mod geometry;
pub mod layers;

pub use layers::{Extent, Layer, LayerError, LayerSummary};

#[cfg(test)]
mod tests;
