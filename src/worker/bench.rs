//! The whole-pipeline benchmark on every loaded row (the core's `bench`, as `patroliq bench` runs
//! it), with progress between stages. Times come from `performance.now()`.

use std::rc::Rc;

use patroliq_core::bench::{in_order, Beside, PipelineParams};

use super::answer::Job;
use super::state::Worker;
use crate::js::now;
use crate::protocol::{Benched, Failure, Reply};

/// Runs the benchmark and answers `job`. With `beside`, whole passes follow with the maps on the
/// map workers (one each) while this one runs the rest.
pub(super) async fn run(w: Rc<Worker>, job: Job, params: PipelineParams) {
    let result = passes(&w, job, params).await;
    job.reply(result.map(|b| Reply::Benched(Box::new(b))));
}

async fn passes(w: &Worker, job: Job, params: PipelineParams) -> Result<Benched, Failure> {
    let valid = params.check().map_err(Failure::invalid)?;
    let clock = now;
    let passes = if valid.params().beside { valid.params().runs } else { 0 };
    let share = if passes > 0 { 0.5 } else { 1.0 };
    let stages = valid.run(&*w.table()?, &clock, &mut |_, i, n| {
        job.share(share * i as f64 / n as f64);
        true
    });
    let mut timed = Vec::new();
    if passes > 0 {
        w.mapper.warm_both().await;
    }
    for pass in 0..passes {
        let at = |i: usize, n: usize| 0.5 + 0.5 * (pass as f64 + i as f64 / n as f64) / passes as f64;
        let t0 = clock();
        let (jobs, rest, maps) = {
            let table = w.table()?;
            let jobs = valid.map_jobs(&table, &clock).map_err(Failure::Analysis)?;
            // Posted before the rest starts, so the map workers begin at once.
            let maps = futures::future::join_all(jobs.iter().map(|j| w.mapper.map(&j.valid, &j.x, |_| ())));
            let rest = valid.run_rest(&table, &clock, &mut |_, i, n| {
                job.share(at(i, n));
                true
            });
            (jobs, rest, maps)
        };
        let replies = maps.await;
        let wall = clock() - t0;
        let map_stages =
            jobs.iter().zip(replies).map(|(j, r)| j.timed(r.result.as_ref().map_err(Clone::clone), r.ms));
        timed.push((wall, in_order(rest.into_iter().chain(map_stages).collect())));
    }
    Ok(Benched { stages, beside: (passes > 0).then(|| Beside::of(timed)) })
}
