//! `patroliq bench`: the whole-pipeline benchmark (README, "Performance"), natively.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args as ClapArgs;
use patroliq_core::bench::{alloc, in_order, measure, Beside, PipelineParams, PipelineValid, StageTime};
use patroliq_core::CrimeTable;
use patroliq_core::{load_bytes, load_reader, LoadOptions};
use serde_json::json;

use crate::failure::{io_failure, usage, Failure};
use crate::input::file_name;

#[derive(ClapArgs)]
pub struct Args {
    input: PathBuf,
    /// Timed runs of each stage; the median is reported.
    #[arg(long, default_value_t = PipelineParams::default().runs)]
    runs: usize,
    /// Incidents in the UMAP map.
    #[arg(long = "umap-sample", default_value_t = PipelineParams::default().umap_sample)]
    umap_sample: usize,
    /// Incidents in the t-SNE map.
    #[arg(long = "tsne-sample", default_value_t = PipelineParams::default().tsne_sample)]
    tsne_sample: usize,
    /// Hotspots on the route.
    #[arg(long = "route-stops", default_value_t = PipelineParams::default().route_stops)]
    route_stops: usize,
    /// Only these stages (comma-separated: load and the names of `patroliq_core::bench::STAGES`).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Also time whole passes with the maps on threads of their own beside the other stages.
    #[arg(long)]
    beside: bool,
    /// Print the result as JSON (see README).
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &Args) -> Result<(), Failure> {
    let (input, json) = (&a.input, a.json);
    let with_load = a.only.is_empty() || a.only.iter().any(|s| s == "load");
    let only: Vec<String> = a.only.iter().filter(|s| *s != "load").cloned().collect();
    let params = PipelineParams {
        runs: a.runs,
        umap_sample: a.umap_sample,
        tsne_sample: a.tsne_sample,
        route_stops: a.route_stops,
        only: only.clone(),
        beside: a.beside,
    }
    .check()
    .map_err(usage)?;
    let bytes = std::fs::read(input).map_err(|e| io_failure(input, e))?;
    let name = file_name(input);
    let started = Instant::now();
    let clock = move || started.elapsed().as_secs_f64() * 1000.0;
    // The load is timed from the file's bytes in memory, as the browser reads the picked file;
    // gzip is inflated on a second thread beside the parse, as `load_reader` (the CLI's other
    // commands) and the app's map worker do.
    let mut load_stage: Option<StageTime> = None;
    if with_load {
        let what = format!("gunzip, parse, validate and clean {} ({:.1} MB)", name, bytes.len() as f64 / 1e6);
        let runs = a.runs;
        let s = measure(
            "load",
            what,
            0,
            runs,
            &clock,
            || load_reader(&name, &bytes[..], LoadOptions::default()).map_err(|e| e.to_string()),
            |l| format!("{} of {} rows kept", l.report.rows_clean, l.report.rows_read),
        );
        load_stage = Some(s);
    }
    alloc::reset_peak();
    let loaded = load_bytes(&name, &bytes, LoadOptions::default())?;
    drop(bytes);
    if let Some(s) = load_stage.as_mut() {
        s.rows = loaded.report.rows_read;
    }
    let t = &loaded.table;
    // `--only load` times the load alone.
    let stages_run = if a.only.is_empty() || !only.is_empty() {
        params.run(t, &clock, &mut |stage, i, n| {
            if !json {
                eprintln!("[{}/{n}] {stage}…", i + 1);
            }
            true
        })
    } else {
        Vec::new()
    };
    let beside = if a.beside && !stages_run.is_empty() {
        let passes = (0..a.runs)
            .map(|i| {
                if !json {
                    eprintln!("[beside {}/{}] the maps on threads of their own…", i + 1, a.runs);
                }
                beside_pass(&params, t, &clock)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Some(Beside::of(passes))
    } else {
        None
    };
    let stages: Vec<StageTime> = load_stage.into_iter().chain(stages_run).collect();
    if json {
        let v = json!({
            "file": name,
            "rows_read": loaded.report.rows_read,
            "rows": loaded.report.rows_clean,
            "table_bytes": loaded.report.table_bytes,
            "target": format!("native {}", std::env::consts::ARCH),
            "runs": a.runs,
            "stages": stages,
            "beside": beside,
        });
        println!("{v}");
    } else {
        println!(
            "{name}: {} rows kept, table {} MB, {} runs each",
            loaded.report.rows_clean,
            loaded.report.table_bytes >> 20,
            a.runs
        );
        println!("{:<13} {:>10} {:>10}  outcome", "stage", "median ms", "peak MB");
        for s in &stages {
            println!(
                "{:<13} {:>10.0} {:>10.0}  {}",
                s.stage,
                s.median_ms,
                s.peak_bytes as f64 / 1e6,
                s.outcome
            );
        }
    }
    if let Some(b) = &beside {
        if !json {
            println!("whole, the maps beside: {:.0} ms (median of {})", b.median_ms, b.runs_ms.len());
        }
    }
    let beside_stages = beside.iter().flat_map(|b| &b.stages);
    if let Some(bad) = stages.iter().chain(beside_stages).find(|s| s.failed()) {
        return Err(Failure { kind: "stage", message: format!("{}: {}", bad.stage, bad.outcome), code: 1 });
    }
    Ok(())
}

/// One pass with the maps on a thread of their own: (wall-clock ms, the stages in order).
fn beside_pass(
    params: &PipelineValid,
    t: &CrimeTable,
    clock: &(dyn Fn() -> f64 + Sync),
) -> Result<(f64, Vec<StageTime>), Failure> {
    let t0 = clock();
    let jobs = params.map_jobs(t, clock).map_err(usage)?;
    let (rest, maps) = std::thread::scope(|s| {
        // A thread per map, as the app's map workers (one per map when the first is busy).
        let maps: Vec<_> = jobs.iter().map(|j| s.spawn(|| j.run(clock))).collect();
        let rest = params.run_rest(t, clock, &mut |_, _, _| true);
        (rest, maps.into_iter().map(|m| m.join().expect("a map thread does not panic")).collect::<Vec<_>>())
    });
    Ok((clock() - t0, in_order(rest.into_iter().chain(maps).collect())))
}
