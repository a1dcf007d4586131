//! What every figure builder shares: the figure with the shared configuration, the empty figure,
//! the accent colour, hour and weekday labels.

use plotly::{Layout, Plot};

use super::chart::config;

pub const ACCENT: &str = "#2563eb";
pub use patroliq_core::filter::WEEKDAYS;

/// A figure of `traces` with the shared configuration.
pub fn plot(layout: Layout, traces: Vec<Box<dyn plotly::Trace>>) -> Plot {
    let mut p = Plot::new();
    p.add_traces(traces);
    p.set_layout(layout);
    p.set_configuration(config());
    p
}

/// An empty figure while the analysis is on its way.
pub fn empty() -> Plot {
    let mut p = Plot::new();
    p.set_configuration(config());
    p
}

/// "00:00" … "23:00".
pub fn hours() -> Vec<String> {
    (0..24).map(|h| format!("{h:02}:00")).collect()
}
