//! What every figure builder shares: the figure with the shared configuration, the empty figure,
//! the accent colour, hour and weekday labels.

use patroliq_core::colour::ColourRange;
use plotly::common::ColorBar;
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

/// A colour bar spanning `r`: its ticks and labels from the core (the top one "≥ x" when the
/// colours are clipped at a percentile), and the title with the true peak when they are.
pub fn colour_bar(r: &ColourRange, title: &str) -> ColorBar {
    let title = if r.clipped {
        format!(
            "{title}<br>peak {}",
            patroliq_core::colour::label(r.peak, if r.peak < 10.0 { 0.01 } else { 1.0 })
        )
    } else {
        title.to_string()
    };
    ColorBar::new().title(title.as_str()).tick_vals(r.ticks.clone()).tick_text(r.labels.clone())
}
