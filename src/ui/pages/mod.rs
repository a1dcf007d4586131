//! One module per page of the app; the shell (`crate::shell`) routes to them. A page takes the
//! state areas it uses from context (`crate::state`) and draws with `super::charts` and
//! `super::widgets`; no page imports another.

pub mod backtest;
pub mod bench;
pub mod experiments;
pub mod explore;
pub mod features;
pub mod heatmaps;
pub mod home;
pub mod hotspots;
pub mod overview;
pub mod patrol;
pub mod shape;
mod terrain;
pub mod when;
