//! `patroliq`: the command-line face of the PatrolIQ core.
//!
//! Output of `--json` commands is a contract with users' scripts (README, "CLI JSON"): fields are
//! added, never renamed or removed. Errors exit non-zero; with `--json` they are printed as
//! `{"error": {"kind": "...", "message": "..."}}` on stdout too.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

mod areas;
mod backtest;
mod bench;
mod briefing;
mod patrol;

use clap::{Parser, Subcommand, ValueEnum};
use patroliq_core::clean::parse::parse_datetime;
use patroliq_core::cluster::dbscan::DbscanParams;
use patroliq_core::cluster::hdbscan::HdbscanParams;
use patroliq_core::cluster::hierarchical::WardParams;
use patroliq_core::cluster::kmeans::KMeansParams;
use patroliq_core::cluster::metrics::SilhouetteSample;
use patroliq_core::cluster::report::Algorithm;
use patroliq_core::cluster::{self, Points, Silent};
use patroliq_core::eda::Eda;
use patroliq_core::export::{csv_field, write_features_parquet, write_parquet, ParquetCompression};
use patroliq_core::features::Features;
use patroliq_core::filter::Filter;
use patroliq_core::reduce::embed::{EmbedParams, Method};
use patroliq_core::reduce::pca::Pca;
use patroliq_core::reduce::tsne::TsneParams;
use patroliq_core::reduce::umap::UmapParams;
use patroliq_core::temporal::peaks::Peaks;
use patroliq_core::temporal::{self, Encoding, TemporalParams};
use patroliq_core::{demo, load_reader, CleaningReport, LoadError, LoadOptions, Loaded};

#[derive(Parser)]
#[command(name = "patroliq", version, about = "Validate, clean and convert Chicago crime records")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load a portal export (CSV, CSV.gz or Parquet) and print its validation and cleaning report.
    Validate {
        file: PathBuf,
        /// Print the report as JSON (see README for the fields).
        #[arg(long)]
        json: bool,
    },
    /// Clean a portal export and write it as compact Parquet that the app loads fast.
    Prepare {
        input: PathBuf,
        output: PathBuf,
        /// Keep incidents on or after this date (YYYY-MM-DD).
        #[arg(long)]
        since: Option<String>,
        /// Keep incidents before this date (YYYY-MM-DD).
        #[arg(long)]
        until: Option<String>,
        #[arg(long, value_enum, default_value = "zstd")]
        compression: Compression,
    },
    /// Compute the documented features (README, "Features") of every clean row and write them as
    /// Parquet: ID, one Float64 column per feature, and the crime-type / FBI-code labels.
    Features {
        input: PathBuf,
        output: PathBuf,
        /// Only the rows passing this filter, written as the app's URL query
        /// (e.g. "from=2017-01-01&type=THEFT&district=7&arrest=yes").
        #[arg(long)]
        filter: Option<String>,
    },
    /// Print the exploratory analysis of the EDA page (counts by type, hour, weekday, week and
    /// month, rates, top locations, correlation matrix) as JSON, optionally for a filter.
    Eda {
        input: PathBuf,
        /// The app's filter query, e.g. "from=2017-01-01&type=THEFT".
        #[arg(long)]
        filter: Option<String>,
    },
    /// Cluster the incidents' locations (projected metres) and print sizes, centres and metrics.
    Cluster {
        input: PathBuf,
        #[arg(long, value_enum, default_value = "kmeans")]
        algo: Algo,
        /// Clusters (K-Means; the cut of the hierarchical tree).
        #[arg(long, default_value_t = 9)]
        k: usize,
        /// DBSCAN neighbourhood radius, metres.
        #[arg(long = "eps-m", default_value_t = 150.0)]
        eps_m: f64,
        /// DBSCAN: points within eps (itself included) that make a core point; HDBSCAN: the
        /// neighbours that define a point's core distance.
        #[arg(long = "min-samples", default_value_t = 50)]
        min_samples: usize,
        /// HDBSCAN: the smallest group that counts as a hotspot.
        #[arg(long = "min-cluster-size", default_value_t = 500)]
        min_cluster_size: usize,
        /// Hierarchical: side of the grid micro-clusters, metres (0 = exact Ward, ≤ 40,000 points).
        #[arg(long = "cell-m", default_value_t = 200.0)]
        cell_m: f64,
        /// K-Means restarts (k-means++ seeds).
        #[arg(long = "n-init", default_value_t = 4)]
        n_init: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Points in the silhouette's random sample (drawn with --seed).
        #[arg(long = "silhouette-sample", default_value_t = 10_000)]
        silhouette_sample: usize,
        /// Only the rows passing this filter (the app's URL query).
        #[arg(long)]
        filter: Option<String>,
        /// Print the result as JSON (see README).
        #[arg(long)]
        json: bool,
    },
    /// PCA of the standardised numeric features (README, "PCA") of every clean row, as JSON.
    Pca {
        input: PathBuf,
        /// Only the rows passing this filter (the app's URL query).
        #[arg(long)]
        filter: Option<String>,
    },
    /// Temporal patterns: K-Means on (hour, weekday, month) with a silhouette sweep over k, each
    /// pattern named and profiled, plus the peak hours and months per type and district, as JSON.
    Temporal {
        input: PathBuf,
        #[arg(long, value_enum, default_value = "cyclical")]
        encoding: Enc,
        /// Fix k instead of taking the sweep's best silhouette.
        #[arg(long)]
        k: Option<usize>,
        #[arg(long = "k-min", default_value_t = 3)]
        k_min: usize,
        #[arg(long = "k-max", default_value_t = 6)]
        k_max: usize,
        #[arg(long = "n-init", default_value_t = 4)]
        n_init: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Only the rows passing this filter (the app's URL query).
        #[arg(long)]
        filter: Option<String>,
    },
    /// A 2-D t-SNE or UMAP map of a seeded sample, written as CSV (id, row, x, y, primary_type,
    /// hour); its trustworthiness (k = 10) is printed on stderr, or as JSON with --json.
    Embed {
        input: PathBuf,
        #[arg(long, value_enum, default_value = "umap")]
        method: EmbedMethod,
        /// Incidents mapped (a seeded uniform sample of the selection).
        #[arg(long, default_value_t = 20_000)]
        sample: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// t-SNE perplexity.
        #[arg(long, default_value_t = 30.0)]
        perplexity: f64,
        /// t-SNE iterations.
        #[arg(long, default_value_t = 1000)]
        iterations: usize,
        /// UMAP neighbourhood size (the point itself included).
        #[arg(long = "n-neighbors", default_value_t = 15)]
        n_neighbors: usize,
        /// UMAP minimum distance between mapped points.
        #[arg(long = "min-dist", default_value_t = 0.1)]
        min_dist: f64,
        /// Query points of the trustworthiness estimate (the whole sample when larger).
        #[arg(long = "trust-queries", default_value_t = 2_000)]
        trust_queries: usize,
        #[arg(long)]
        out: PathBuf,
        /// Only the rows passing this filter (the app's URL query).
        #[arg(long)]
        filter: Option<String>,
        /// Print a summary (method, points, trustworthiness, seconds) as JSON.
        #[arg(long)]
        json: bool,
    },
    /// The crime-risk grid: each cell's score (severity, recency, environment), KDE and Gi*, and
    /// the hotspots; `cells` riskiest first.
    Risk {
        input: PathBuf,
        /// How many cells and hotspots to list.
        #[arg(long, default_value_t = 20)]
        top: usize,
        #[command(flatten)]
        risk: patrol::RiskArgs,
        #[arg(long)]
        json: bool,
    },
    /// A patrol route from a start through the riskiest hotspots (optionally several cars, a shift
    /// budget, a road network), its evaluation, and GPX / GeoJSON / CSV exports.
    Route {
        input: PathBuf,
        #[command(flatten)]
        risk: patrol::RiskArgs,
        #[command(flatten)]
        route: patrol::RouteArgs,
        #[arg(long)]
        json: bool,
    },
    /// Back-test the hotspot methods: fit each before `--split`, score it after (hit rate, PAI,
    /// PEI at each coverage; the hit-rate curve; route PAI).
    Backtest {
        input: PathBuf,
        #[command(flatten)]
        args: backtest::BacktestArgs,
        #[arg(long)]
        json: bool,
    },
    /// Incidents by community area, police district or beat (point in polygon on a boundary
    /// file), per km², arrest rate, last four weeks against the four before, and the agreement
    /// with the records' own area field.
    Areas {
        input: PathBuf,
        #[command(flatten)]
        args: areas::AreasArgs,
        #[arg(long)]
        json: bool,
    },
    /// The home page's briefing for one shift: expected incidents by hour and the peak hours,
    /// the shift's hotspots and a route from the nearest station, community areas and districts
    /// ranked for the shift with their trend, and the last four weeks against the four before.
    Briefing {
        input: PathBuf,
        #[command(flatten)]
        args: briefing::BriefingArgs,
        #[arg(long)]
        json: bool,
    },
    /// Time the whole analysis pipeline on one file (README, "Performance"): load, features, EDA,
    /// the four clusterings, temporal patterns, PCA, UMAP and t-SNE maps, risk grid, route and
    /// back-test, each with the app's parameters; median time and peak heap of each stage.
    Bench {
        input: PathBuf,
        #[command(flatten)]
        args: bench::BenchArgs,
        /// Print the result as JSON (see README).
        #[arg(long)]
        json: bool,
    },
    /// Write the built-in demo dataset (synthetic, seeded) as a portal-layout CSV (.gz if so named).
    Demo {
        output: PathBuf,
        #[arg(long, default_value_t = demo::DEFAULT_ROWS)]
        rows: usize,
        #[arg(long, default_value_t = demo::DEFAULT_SEED)]
        seed: u64,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Algo {
    Kmeans,
    Dbscan,
    Hierarchical,
    Hdbscan,
}

#[derive(Clone, Copy, ValueEnum)]
enum Enc {
    Cyclical,
    Standardised,
}

#[derive(Clone, Copy, ValueEnum)]
enum EmbedMethod {
    Tsne,
    Umap,
}

#[derive(Clone, Copy, ValueEnum)]
enum Compression {
    Zstd,
    Snappy,
    None,
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
    let json = matches!(
        cli.command,
        Command::Validate { json: true, .. }
            | Command::Eda { .. }
            | Command::Pca { .. }
            | Command::Temporal { .. }
            | Command::Embed { json: true, .. }
            | Command::Cluster { json: true, .. }
            | Command::Risk { json: true, .. }
            | Command::Route { json: true, .. }
            | Command::Backtest { json: true, .. }
            | Command::Areas { json: true, .. }
            | Command::Briefing { json: true, .. }
            | Command::Bench { json: true, .. }
    );
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if json {
                let v = serde_json::json!({ "error": { "kind": e.kind, "message": e.message } });
                println!("{v}");
            }
            eprintln!("patroliq: {}", e.message);
            ExitCode::from(e.code)
        }
    }
}

struct Failure {
    kind: &'static str,
    message: String,
    code: u8,
}

impl From<LoadError> for Failure {
    fn from(e: LoadError) -> Self {
        Failure { kind: e.kind(), message: e.to_string(), code: 2 }
    }
}

fn io_failure(path: &Path, e: impl std::fmt::Display) -> Failure {
    Failure { kind: "io", message: format!("{}: {e}", path.display()), code: 1 }
}

fn load(path: &Path) -> Result<Loaded, Failure> {
    let started = Instant::now();
    let file = File::open(path).map_err(|e| io_failure(path, e))?;
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into());
    let mut loaded = load_reader(&name, file, LoadOptions::default())?;
    loaded.report.duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    Ok(loaded)
}

fn run(cmd: Command) -> Result<(), Failure> {
    match cmd {
        Command::Risk { input, top, risk, json } => patrol::risk(&input, &risk, top, json),
        Command::Route { input, risk, route, json } => patrol::route(&input, &risk, &route, json),
        Command::Backtest { input, args, json } => backtest::backtest(&input, &args, json),
        Command::Areas { input, args, json } => areas::areas(&input, &args, json),
        Command::Briefing { input, args, json } => briefing::briefing(&input, &args, json),
        Command::Bench { input, args, json } => bench::bench(&input, &args, json),
        Command::Validate { file, json } => {
            let loaded = load(&file)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&loaded.report).expect("report serialises"));
            } else {
                print_report(&loaded.report);
            }
            Ok(())
        }
        Command::Prepare { input, output, since, until, compression } => {
            let day = |s: Option<String>, flag: &str| -> Result<Option<i64>, Failure> {
                s.map(|s| {
                    parse_datetime(&s).ok_or(Failure {
                        kind: "usage",
                        message: format!("{flag} {s}: expected a date as YYYY-MM-DD"),
                        code: 64,
                    })
                })
                .transpose()
            };
            let (since, until) = (day(since, "--since")?, day(until, "--until")?);
            let loaded = load(&input)?;
            let table = loaded.table.filter(|i| {
                let d = loaded.table.date[i];
                since.is_none_or(|s| d >= s) && until.is_none_or(|u| d < u)
            });
            let out = File::create(&output).map_err(|e| io_failure(&output, e))?;
            let compression = match compression {
                Compression::Zstd => ParquetCompression::Zstd,
                Compression::Snappy => ParquetCompression::Snappy,
                Compression::None => ParquetCompression::None,
            };
            write_parquet(&table, BufWriter::new(out), compression).map_err(|e| io_failure(&output, e))?;
            let size = std::fs::metadata(&output).map(|m| m.len()).unwrap_or(0);
            eprintln!(
                "{}: {} rows read, {} clean, {} kept in range → {} ({:.1} MB)",
                input.display(),
                loaded.report.rows_read,
                loaded.report.rows_clean,
                table.len(),
                output.display(),
                size as f64 / 1e6
            );
            Ok(())
        }
        Command::Features { input, output, filter } => {
            let filter = parse_filter(filter.as_deref())?;
            let loaded = load(&input)?;
            let started = Instant::now();
            let rows = filter.select(&loaded.table);
            let features = Features::prepare(&loaded.table, &rows);
            let out = File::create(&output).map_err(|e| io_failure(&output, e))?;
            write_features_parquet(&features, &rows, BufWriter::new(out))
                .map_err(|e| io_failure(&output, e))?;
            eprintln!(
                "{}: {} features of {} rows computed and written in {:.0} ms → {}",
                input.display(),
                patroliq_core::features::CATALOGUE.len(),
                rows.len(),
                started.elapsed().as_secs_f64() * 1000.0,
                output.display()
            );
            Ok(())
        }
        Command::Eda { input, filter } => {
            let filter = parse_filter(filter.as_deref())?;
            let loaded = load(&input)?;
            let eda = Eda::of(&loaded.table, &filter.select(&loaded.table));
            println!("{}", serde_json::to_string_pretty(&eda).expect("EDA serialises"));
            Ok(())
        }
        Command::Cluster {
            input,
            algo,
            k,
            eps_m,
            min_samples,
            min_cluster_size,
            cell_m,
            n_init,
            seed,
            silhouette_sample,
            filter,
            json,
        } => {
            let filter = parse_filter(filter.as_deref())?;
            let algo = match algo {
                Algo::Kmeans => {
                    Algorithm::Kmeans(KMeansParams { k, n_init, seed, ..KMeansParams::default() })
                }
                Algo::Dbscan => Algorithm::Dbscan(DbscanParams { eps_m, min_samples }),
                Algo::Hierarchical => Algorithm::Hierarchical(WardParams { cell_m, k }),
                Algo::Hdbscan => Algorithm::Hdbscan(HdbscanParams { min_cluster_size, min_samples }),
            };
            let loaded = load(&input)?;
            let started = Instant::now();
            let points = Points::of(&loaded.table, &filter.select(&loaded.table));
            let sample = SilhouetteSample { size: silhouette_sample, seed };
            let (mut report, _) =
                cluster::report::run(&points, &algo, &sample, &mut Silent).map_err(usage)?;
            report.seconds = started.elapsed().as_secs_f64();
            if json {
                println!("{}", serde_json::to_string_pretty(&report).expect("report serialises"));
            } else {
                print_clusters(&report);
            }
            Ok(())
        }
        Command::Pca { input, filter } => {
            let filter = parse_filter(filter.as_deref())?;
            let loaded = load(&input)?;
            let pca = Pca::fit(&loaded.table, &filter.select(&loaded.table)).map_err(usage)?;
            println!("{}", serde_json::to_string_pretty(&pca).expect("PCA serialises"));
            Ok(())
        }
        Command::Temporal { input, encoding, k, k_min, k_max, n_init, seed, filter } => {
            let filter = parse_filter(filter.as_deref())?;
            let encoding = match encoding {
                Enc::Cyclical => Encoding::Cyclical,
                Enc::Standardised => Encoding::Standardised,
            };
            let params = TemporalParams { encoding, k_min, k_max, k, n_init, seed }.check().map_err(usage)?;
            let loaded = load(&input)?;
            let started = Instant::now();
            let rows = filter.select(&loaded.table);
            let report = params.fit(&loaded.table, &rows, &mut Silent).map_err(usage)?;
            let peaks = Peaks::of(&loaded.table, &rows);
            let mut v = serde_json::to_value(&report).expect("report serialises");
            v["peaks"] = serde_json::to_value(&peaks).expect("peaks serialise");
            v["seconds"] = started.elapsed().as_secs_f64().into();
            println!("{}", serde_json::to_string_pretty(&v).expect("JSON serialises"));
            Ok(())
        }
        Command::Embed {
            input,
            method,
            sample,
            seed,
            perplexity,
            iterations,
            n_neighbors,
            min_dist,
            trust_queries,
            out,
            filter,
            json,
        } => {
            let filter = parse_filter(filter.as_deref())?;
            let method = match method {
                EmbedMethod::Tsne => Method::Tsne,
                EmbedMethod::Umap => Method::Umap,
            };
            let params = EmbedParams {
                method,
                sample,
                seed,
                tsne: TsneParams { perplexity, iterations, ..TsneParams::default() },
                umap: UmapParams { n_neighbors, min_dist, epochs: None },
                trust_queries,
            }
            .check()
            .map_err(usage)?;
            let loaded = load(&input)?;
            let started = Instant::now();
            let t = &loaded.table;
            let e = params.fit(t, &filter.select(t), &mut Silent).map_err(usage)?;
            let seconds = started.elapsed().as_secs_f64();
            let file = File::create(&out).map_err(|e| io_failure(&out, e))?;
            let mut w = BufWriter::new(file);
            let mut write = || -> std::io::Result<()> {
                writeln!(w, "id,row,x,y,primary_type,hour")?;
                for (&r, p) in e.rows.iter().zip(&e.xy) {
                    let i = r as usize;
                    let mut ty = String::new();
                    csv_field(&mut ty, t.primary_type.get(i));
                    let hour = temporal::when(t.date[i]).map_or(0, |w| w.0);
                    writeln!(w, "{},{r},{},{},{ty},{hour}", t.id[i], p[0], p[1])?;
                }
                w.flush()
            };
            write().map_err(|e| io_failure(&out, e))?;
            let trust = e.trustworthiness.map_or("–".into(), |t| format!("{t:.4}"));
            if json {
                let v = serde_json::json!({
                    "method": method.name(),
                    "points": e.rows.len(),
                    "selected": e.selected,
                    "dropped": e.dropped,
                    "trustworthiness": e.trustworthiness,
                    "trust_queries": e.trust_queries,
                    "params": e.params,
                    "seconds": seconds,
                    "out": out.display().to_string(),
                });
                println!("{}", serde_json::to_string_pretty(&v).expect("JSON serialises"));
            }
            eprintln!(
                "{}: {} map of {} incidents in {seconds:.1} s, trustworthiness {trust} (k = 10, {} queries) → {}",
                input.display(),
                method.name(),
                e.rows.len(),
                e.trust_queries,
                out.display()
            );
            Ok(())
        }
        Command::Demo { output, rows, seed } => {
            let csv = demo::generate_csv(rows, seed);
            let file = File::create(&output).map_err(|e| io_failure(&output, e))?;
            let res = if output.extension().is_some_and(|e| e == "gz") {
                let mut z = flate2::write::GzEncoder::new(file, flate2::Compression::default());
                z.write_all(csv.as_bytes()).and_then(|_| z.finish().map(|_| ()))
            } else {
                BufWriter::new(file).write_all(csv.as_bytes())
            };
            res.map_err(|e| io_failure(&output, e))
        }
    }
}

fn print_clusters(r: &cluster::report::ClusterReport) {
    let opt = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.4}"));
    println!(
        "{} on {} points: {} clusters, {} noise, {:.2} s",
        r.algo, r.points, r.n_clusters, r.noise, r.seconds
    );
    println!(
        "  silhouette {} (sample of {})   Davies–Bouldin {}   Calinski–Harabasz {}",
        opt(r.silhouette),
        r.silhouette_sample.size.min(r.points as usize),
        opt(r.davies_bouldin),
        r.calinski_harabasz.map_or("–".into(), |v| format!("{v:.1}"))
    );
    for (i, (size, c)) in r.sizes.iter().zip(&r.centers).enumerate() {
        println!("  cluster {i:>3}  {size:>8} incidents  centre {:.5}, {:.5}", c[0], c[1]);
    }
    for w in &r.warnings {
        println!("  warning: {w}");
    }
}

fn usage(e: impl std::fmt::Display) -> Failure {
    Failure { kind: "usage", message: e.to_string(), code: 64 }
}

/// A filter given on the command line must be exactly right (unlike a link, nobody is waiting
/// on a page): a bad value is a usage error.
fn parse_filter(query: Option<&str>) -> Result<Filter, Failure> {
    let (filter, problems) = Filter::from_query(query.unwrap_or(""));
    match problems.first() {
        Some(p) => Err(Failure { kind: "usage", message: format!("--filter: {p}"), code: 64 }),
        None => Ok(filter),
    }
}

fn print_report(r: &CleaningReport) {
    println!("{} ({})", r.source.name, r.source.format);
    println!("  rows read      {:>10}", r.rows_read);
    println!("  rows kept      {:>10}", r.rows_clean);
    for (reason, n) in r.dropped.iter().filter(|(_, &n)| n > 0) {
        println!("  dropped {:<22} {:>6}", reason, n);
    }
    println!(
        "  dates          {} → {}",
        r.date_min.as_deref().unwrap_or("-"),
        r.date_max.as_deref().unwrap_or("-")
    );
    println!("  crime types    {:>10}", r.primary_types);
    println!("  arrest rate    {:>9.1}%", r.arrest_rate * 100.0);
    println!("  domestic       {:>9.1}%", r.domestic_rate * 100.0);
    for w in &r.warnings {
        println!("  warning: {w}");
    }
    println!("  took           {:>8.0} ms", r.duration_ms);
}
