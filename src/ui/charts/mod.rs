//! The figures: [`chart::Chart`], the Plotly component every figure is drawn in, and one module
//! of figure builders per page; below, what every builder shares.

pub mod backtest;
pub mod chart;
pub mod cluster;
pub mod eda;
pub mod experiment;
pub mod figure;
pub mod map;
pub mod patrol;
pub mod print;
pub mod reference;
pub mod shape;
pub mod terrain;
pub mod when;
