//! `patroliq eda`: the EDA page's exploratory analysis as JSON.

use std::path::PathBuf;

use clap::Args as ClapArgs;
use patroliq_core::eda::Eda;

use super::print_json;
use crate::failure::Failure;
use crate::input::{load, parse_filter};

#[derive(ClapArgs)]
pub struct Args {
    input: PathBuf,
    /// The app's filter query, e.g. "from=2017-01-01&type=THEFT".
    #[arg(long)]
    filter: Option<String>,
    /// Accepted as on every command: the output is JSON either way.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &Args) -> Result<(), Failure> {
    let filter = parse_filter(a.filter.as_deref())?;
    let loaded = load(&a.input)?;
    print_json(&Eda::within(&loaded.table, &filter.select(&loaded.table), filter.span(&loaded.table)));
    Ok(())
}
