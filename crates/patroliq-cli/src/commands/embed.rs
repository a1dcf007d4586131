//! `patroliq embed`: a 2-D t-SNE or UMAP map of a seeded sample, written as CSV.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args as ClapArgs, ValueEnum};
use patroliq_core::cluster::Silent;
use patroliq_core::export::csv_field;
use patroliq_core::model::CrimeTable;
use patroliq_core::reduce::embed::{EmbedParams, Embedding, Method};
use patroliq_core::reduce::tsne::TsneParams;
use patroliq_core::reduce::umap::UmapParams;
use patroliq_core::temporal;
use serde_json::json;

use super::print_json;
use crate::failure::{io_failure, usage, Failure};
use crate::input::{load, parse_filter};

#[derive(ClapArgs)]
pub struct Args {
    input: PathBuf,
    #[arg(long, value_enum, default_value = "umap")]
    method: EmbedMethod,
    /// Incidents mapped (a seeded uniform sample of the selection).
    #[arg(long, default_value_t = EmbedParams::default().sample)]
    sample: usize,
    #[arg(long, default_value_t = EmbedParams::default().seed)]
    seed: u64,
    /// t-SNE perplexity.
    #[arg(long, default_value_t = TsneParams::default().perplexity)]
    perplexity: f64,
    /// t-SNE iterations in all [default: 1,000 (scikit-learn's schedule) up to 20,000 points,
    /// 750 (openTSNE's) above].
    #[arg(long)]
    iterations: Option<usize>,
    /// UMAP neighbourhood size (the point itself included).
    #[arg(long = "n-neighbors", default_value_t = UmapParams::default().n_neighbors)]
    n_neighbors: usize,
    /// UMAP minimum distance between mapped points.
    #[arg(long = "min-dist", default_value_t = UmapParams::default().min_dist)]
    min_dist: f64,
    /// Query points of the trustworthiness estimate (the whole sample when larger).
    #[arg(long = "trust-queries", default_value_t = EmbedParams::default().trust_queries)]
    trust_queries: usize,
    /// The CSV file to write the map to.
    #[arg(long)]
    out: PathBuf,
    /// Only the rows passing this filter (the app's URL query).
    #[arg(long)]
    filter: Option<String>,
    /// Print a summary (method, points, trustworthiness, seconds) as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum EmbedMethod {
    Tsne,
    Umap,
}

/// The map as CSV: id, row, x, y, primary_type, hour.
fn write_csv(t: &CrimeTable, e: &Embedding, w: &mut impl Write) -> std::io::Result<()> {
    writeln!(w, "id,row,x,y,primary_type,hour")?;
    for (&r, p) in e.rows.iter().zip(&e.xy) {
        let i = r as usize;
        let mut ty = String::new();
        csv_field(&mut ty, t.primary_type.get(i));
        let hour = temporal::when(t.date.get(i)).map_or(0, |w| w.0);
        let id = t.id.get(i).map_or(String::new(), |id| id.to_string());
        writeln!(w, "{id},{r},{},{},{ty},{hour}", p[0], p[1])?;
    }
    w.flush()
}

pub fn run(a: &Args) -> Result<(), Failure> {
    let filter = parse_filter(a.filter.as_deref())?;
    let method = match a.method {
        EmbedMethod::Tsne => Method::Tsne,
        EmbedMethod::Umap => Method::Umap,
    };
    let params = EmbedParams {
        method,
        sample: a.sample,
        seed: a.seed,
        tsne: TsneParams { perplexity: a.perplexity, iterations: a.iterations, ..TsneParams::default() },
        umap: UmapParams { n_neighbors: a.n_neighbors, min_dist: a.min_dist, epochs: None },
        trust_queries: a.trust_queries,
        ..EmbedParams::default()
    }
    .check()
    .map_err(usage)?;
    let loaded = load(&a.input)?;
    let started = Instant::now();
    let t = &loaded.table;
    let e = params.fit(t, &filter.select(t), &mut Silent).map_err(usage)?;
    let seconds = started.elapsed().as_secs_f64();
    let file = File::create(&a.out).map_err(|e| io_failure(&a.out, e))?;
    write_csv(t, &e, &mut BufWriter::new(file)).map_err(|e| io_failure(&a.out, e))?;
    if a.json {
        print_json(&json!({
            "method": method.name(),
            "points": e.rows.len(),
            "selected": e.selected,
            "dropped": e.dropped,
            "trustworthiness": e.trustworthiness,
            "trust_queries": e.trust_queries,
            "params": e.params,
            "seconds": seconds,
            "out": a.out.display().to_string(),
        }));
    }
    let trust = e.trustworthiness.map_or("–".into(), |t| format!("{t:.4}"));
    eprintln!(
        "{}: {} map of {} incidents in {seconds:.1} s, trustworthiness {trust} (k = 10, {} queries) → {}",
        a.input.display(),
        method.name(),
        e.rows.len(),
        e.trust_queries,
        a.out.display()
    );
    Ok(())
}
