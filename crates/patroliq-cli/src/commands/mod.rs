//! One module per `patroliq` command: its arguments (`Args`) and what it does (`run`).
//!
//! Every command takes `--json`: its result as one JSON document on stdout, and a failure as
//! `{"error": {"kind", "message"}}` there too. `eda`, `pca` and `temporal` print JSON either way.

pub mod areas;
pub mod backtest;
pub mod bench;
pub mod briefing;
pub mod cluster;
pub mod demo;
pub mod eda;
pub mod embed;
pub mod emerging;
pub mod features;
pub mod nearrepeat;
pub mod pca;
pub mod prepare;
pub mod risk;
pub mod route;
pub mod temporal;
pub mod validate;

use serde::Serialize;

/// Prints `v` as pretty JSON on stdout: the `--json` contract (README, "CLI JSON").
pub fn print_json(v: &impl Serialize) {
    println!("{}", serde_json::to_string_pretty(v).expect("JSON serialises"));
}
