//! `patroliq`: the command-line face of the PatrolIQ core.
//!
//! Output of `--json` commands is a contract with users' scripts (README, "CLI JSON"): fields are
//! added, never renamed or removed. Errors exit non-zero; with `--json` they are printed as
//! `{"error": {"kind": "...", "message": "..."}}` on stdout too.

use std::process::ExitCode;

mod commands;
mod failure;
mod input;

use clap::{Parser, Subcommand};
use commands::*;

#[derive(Parser)]
#[command(name = "patroliq", version, about = "Validate, clean and convert Chicago crime records")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// A column mapping (JSON: {"columns": {"date": "Incident Date", "type": "Offense", …}}) for a
    /// file whose columns PatrolIQ cannot find by itself; the app's mapper exports the same file.
    #[arg(long, global = true, value_name = "MAPPING.json")]
    columns: Option<std::path::PathBuf>,
    /// Load only incidents on or after this day (YYYY-MM-DD): for a file larger than the memory
    /// budget (the portal's whole history), or to work on one period. Rows left out are counted
    /// in the report's `rows_filtered`.
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    load_since: Option<String>,
    /// Load only incidents on or before this day (YYYY-MM-DD, the day included).
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    load_until: Option<String>,
    /// Load only these crime types (comma-separated, e.g. "BURGLARY,THEFT").
    #[arg(long, global = true, value_name = "TYPES")]
    load_types: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Load a portal export (CSV, CSV.gz or Parquet) and print its validation and cleaning report.
    Validate(validate::Args),
    /// Clean a portal export and write it as compact Parquet that the app loads fast.
    Prepare(prepare::Args),
    /// Compute the documented features (README, "Features") of every clean row and write them as
    /// Parquet: ID, one Float64 column per feature, and the crime-type / FBI-code labels.
    Features(features::Args),
    /// Print the exploratory analysis of the EDA page (counts by type, hour, weekday, week and
    /// month, rates, top locations, correlation matrix) as JSON, optionally for a filter.
    Eda(eda::Args),
    /// Cluster the incidents' locations (projected metres) and print sizes, centres and metrics.
    Cluster(cluster::Args),
    /// PCA of the standardised features of every selected row, as JSON: the whole catalogue but
    /// rescaled copies, category codes and features constant in the selection (`left_out` says
    /// which, and why).
    Pca(pca::Args),
    /// Temporal patterns: K-Means on (hour, weekday, month) with a silhouette sweep over k, each
    /// pattern named and profiled, plus the peak hours and months per type and district, as JSON.
    Temporal(temporal::Args),
    /// A 2-D t-SNE or UMAP map of a seeded sample, written as CSV (id, row, x, y, primary_type,
    /// hour); its trustworthiness (k = 10) is printed on stderr, or as JSON with --json.
    Embed(embed::Args),
    /// The crime-risk grid: each cell's score (severity, recency, environment), KDE and Gi*, and
    /// the hotspots; `cells` riskiest first.
    Risk(risk::Args),
    /// A patrol route from a start through the riskiest hotspots (optionally several cars, a shift
    /// budget, a road network), its evaluation, and GPX / GeoJSON / CSV exports.
    Route(route::Args),
    /// Back-test the hotspot methods: fit each before `--split`, score it after (hit rate, PAI,
    /// PEI at each coverage; the hit-rate curve; route PAI).
    Backtest(backtest::Args),
    /// The Knox test of near repeats: pairs of incidents per distance × days band against chance
    /// (Monte Carlo permutations of the dates), and the "x times more likely" sentence.
    Nearrepeat(nearrepeat::Args),
    /// Emerging hot spot analysis: a space–time cube, Gi* per bin with FDR, the Mann–Kendall trend
    /// per cell, and each cell's category (new, consecutive, intensifying, persistent, … hot or cold).
    Emerging(emerging::Args),
    /// Incidents by community area, police district or beat (point in polygon on a boundary
    /// file), per km², arrest rate, last four weeks against the four before, and the agreement
    /// with the records' own area field.
    Areas(areas::Args),
    /// The home page's briefing for one shift: expected incidents by hour and the peak hours,
    /// the shift's hotspots and a route from the nearest station, community areas and districts
    /// ranked for the shift with their trend, and the last four weeks against the four before.
    Briefing(briefing::Args),
    /// Time the whole analysis pipeline on one file (README, "Performance"): load, features, EDA,
    /// the four clusterings, temporal patterns, PCA, UMAP and t-SNE maps, risk grid, route and
    /// back-test, each with the app's parameters; median time and peak heap of each stage.
    Bench(bench::Args),
    /// Write the built-in demo dataset (synthetic, seeded) as a portal-layout CSV (.gz if so named).
    Demo(demo::Args),
}

impl Command {
    /// Whether a failure is printed as JSON on stdout: with `--json`, and always for the commands
    /// whose output is JSON anyway.
    fn json(&self) -> bool {
        match self {
            Command::Eda(_) | Command::Pca(_) | Command::Temporal(_) => true,
            Command::Validate(a) => a.json,
            Command::Prepare(a) => a.json,
            Command::Features(a) => a.json,
            Command::Cluster(a) => a.json,
            Command::Embed(a) => a.json,
            Command::Risk(a) => a.json,
            Command::Route(a) => a.json,
            Command::Backtest(a) => a.json,
            Command::Nearrepeat(a) => a.json,
            Command::Emerging(a) => a.json,
            Command::Areas(a) => a.json,
            Command::Briefing(a) => a.json,
            Command::Bench(a) => a.json,
            Command::Demo(a) => a.json,
        }
    }

    fn run(&self) -> Result<(), failure::Failure> {
        match self {
            Command::Validate(a) => validate::run(a),
            Command::Prepare(a) => prepare::run(a),
            Command::Features(a) => features::run(a),
            Command::Eda(a) => eda::run(a),
            Command::Cluster(a) => cluster::run(a),
            Command::Pca(a) => pca::run(a),
            Command::Temporal(a) => temporal::run(a),
            Command::Embed(a) => embed::run(a),
            Command::Risk(a) => risk::run(a),
            Command::Route(a) => route::run(a),
            Command::Backtest(a) => backtest::run(a),
            Command::Nearrepeat(a) => nearrepeat::run(a),
            Command::Emerging(a) => emerging::run(a),
            Command::Areas(a) => areas::run(a),
            Command::Briefing(a) => briefing::run(a),
            Command::Bench(a) => bench::run(a),
            Command::Demo(a) => demo::run(a),
        }
    }
}

// Counted, so `patroliq bench` can report each stage's peak heap (two relaxed atomics per call).
#[global_allocator]
static ALLOC: patroliq_core::bench::alloc::Counting = patroliq_core::bench::alloc::Counting;

/// Lets a closed pipe end the process, as it does `head` or `grep`: Rust ignores SIGPIPE, so
/// `patroliq eda FILE | head -1` panicked at the next `println!` once `head` had exited.
fn default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first in `main`, before any thread is started or any signal is handled.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    default_sigpipe();
    // clap exits with 2 on bad arguments; 2 means "the file cannot be used" here, so usage errors
    // get 64 (EX_USAGE) as documented.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(64) } else { ExitCode::SUCCESS };
        }
    };
    let columns = cli.columns.as_deref().map_or(Ok(()), input::set_columns).and_then(|()| {
        input::set_load_filter(
            cli.load_since.as_deref(),
            cli.load_until.as_deref(),
            cli.load_types.as_deref(),
        )
    });
    match columns.and_then(|()| cli.command.run()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if cli.command.json() {
                let v = serde_json::json!({ "error": { "kind": e.kind, "message": e.message } });
                println!("{v}");
            }
            eprintln!("patroliq: {}", e.message);
            ExitCode::from(e.code)
        }
    }
}
