//! Small components, each reading the shared [`crate::app::AppState`] from context.

pub mod backtest;
pub mod backtest_charts;
pub mod chart;
pub mod charts;
pub mod cluster_charts;
pub mod download;
pub mod explore;
pub mod features_page;
pub mod filter_bar;
pub mod form;
pub mod format;
pub mod heatmaps;
pub mod home;
pub mod hotspots;
pub mod map_charts;
pub mod overview;
pub mod patrol;
pub mod patrol_charts;
pub mod progress;
pub mod report;
pub mod shape;
pub mod shape_charts;
pub mod source_panel;
pub mod when;
pub mod when_charts;
