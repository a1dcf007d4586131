//! Patrol routes: from a start (a police station or any point) through the riskiest hotspots.
//!
//! [`travel`] gives distances and times (the built-in street-grid model, or a loaded road
//! [`network`]); [`tour`] solves the single-car tour, [`orienteering`] the shift-budget and
//! several-car versions; [`plan`] puts them together with times of day; [`evaluate`] scores a
//! plan; [`export`] writes GPX, GeoJSON and CSV; [`stations`] reads the portal's station list.

pub mod evaluate;
pub mod export;
pub mod network;
pub mod orienteering;
pub mod plan;
pub mod stations;
pub mod tour;
pub mod travel;
