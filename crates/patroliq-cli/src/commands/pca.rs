//! `patroliq pca`: PCA of the standardised features of every selected row, as JSON.

use std::path::PathBuf;

use clap::Args as ClapArgs;
use patroliq_core::reduce::pca::Pca;

use super::print_json;
use crate::failure::{usage, Failure};
use crate::input::{load, parse_filter};

#[derive(ClapArgs)]
pub struct Args {
    input: PathBuf,
    /// Only the rows passing this filter (the app's URL query).
    #[arg(long)]
    filter: Option<String>,
    /// Accepted as on every command: the output is JSON either way.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &Args) -> Result<(), Failure> {
    let filter = parse_filter(a.filter.as_deref())?;
    let loaded = load(&a.input)?;
    let pca = Pca::fit(&loaded.table, &filter.select(&loaded.table)).map_err(usage)?;
    print_json(&pca);
    Ok(())
}
