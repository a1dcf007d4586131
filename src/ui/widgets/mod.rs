//! The pieces several pages share: the filter bar, progress bars, the parameter form, key
//! figures, number formatting, the data source panel and the cleaning report.

pub mod filter_bar;
pub mod form;
pub mod format;
pub mod kpi;
pub mod place;
pub mod progress;
pub mod report;
pub mod source_panel;
