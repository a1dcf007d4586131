//! The user interface: `pages` (one per tab), `charts` (the Plotly component and the figure
//! builders), `widgets` (what several pages share). Each component takes the state areas it
//! uses from context (`crate::state`).

pub mod charts;
pub mod pages;
pub mod widgets;
