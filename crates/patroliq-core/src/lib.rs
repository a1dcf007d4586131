//! PatrolIQ's analytics core. No DOM types: everything here runs natively (`cargo test`, the
//! `patroliq` CLI) and in the browser's Web Worker alike.
//!
//! The modules follow the pipeline: [`load`] (bytes → rows) → [`clean`] (rows → typed incidents +
//! report) → [`model`] (the in-memory table) → [`filter`] (the rows the analyst looks at) →
//! [`features`] → analyses ([`eda`], [`cluster`], [`temporal`], [`reduce`], [`risk`], [`route`]) → [`export`].

pub mod areas;
pub mod backtest;
pub mod bench;
pub mod briefing;
pub mod clean;
pub mod cluster;
pub mod colour;
pub mod coverage;
pub mod demo;
pub mod density;
pub mod eda;
pub mod error;
pub mod export;
pub mod features;
pub mod filter;
pub mod float;
pub mod fmt;
pub mod forecast;
pub mod gloss;
pub mod load;
pub mod model;
pub mod place;
pub mod reduce;
pub mod risk;
pub mod route;
pub mod schema;
#[doc(hidden)]
pub mod shared_data;
pub mod summary;
pub mod temporal;
pub mod terrain;
pub mod track;

pub use clean::{CleaningReport, DropReason, SourceInfo};
pub use load::{
    load_bytes, load_reader, load_reader_mapped, load_reader_with, LoadError, LoadFilter, LoadOptions,
    Loaded, Loader,
};
pub use model::CrimeTable;
