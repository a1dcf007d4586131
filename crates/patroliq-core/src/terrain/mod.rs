//! Risk terrain from real environment layers (issue #36): places that attract or generate crime
//! (liquor outlets, 'L' stops, abandoned buildings, parks …) read from files that exist apart
//! from the crime records, turned into factors per cell of the risk grid, and a penalised Poisson
//! regression that selects them and says how much each multiplies the risk.
//!
//! - [`layers`]: the readers (GeoJSON, CSV lat/lon, `"(lat, lon)"`, WKT, WKB) and the extent clip;
//! - [`sketch`]: a layer thinned to degrees for drawing (the app's thumbnails and map overlays);
//! - [`geometry`]: one geometry in one text field (WKT, hex WKB);
//! - [`index`]: nearest point and points within a radius;
//! - [`factors`]: each layer measured per cell, the candidate forms, the spatial lag;
//! - [`elastic`]: elastic-net Poisson regression (coordinate descent);
//! - [`cv`]: leave-one-community-area-out folds;
//! - [`model`]: forms chosen, factors selected, refitted, relative risks, reasons, the design;
//! - [`history`]: the model fitted on a history of incidents, as every caller fits it.

pub mod cv;
pub mod elastic;
pub mod factors;
pub mod geometry;
pub mod history;
pub mod index;
pub mod layers;
pub mod model;
pub mod sketch;

pub use factors::Form;
pub use layers::{Extent, Layer, LayerError, LayerSummary};
pub use model::{Factor, TerrainData, TerrainModel, TerrainParams};
pub use sketch::Sketch;

#[cfg(test)]
mod tests;
