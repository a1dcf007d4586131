//! The pieces several pages share: the filter bar, progress bars, the parameter form, key
//! figures, number formatting, the data source panel and the cleaning report, the loaded dataset's
//! line and the question asked before it is replaced.

pub mod change_columns;
pub mod column_mapper;
pub mod dataset_line;
pub mod filter_bar;
pub mod form;
pub mod format;
pub mod gloss;
pub mod handout;
pub mod kpi;
pub mod load_only;
pub mod place;
pub mod progress;
pub mod replace_dialog;
pub mod report;
pub mod source_panel;
pub mod track_record;
