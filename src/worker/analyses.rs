//! One handler per analysis: what it computes of the loaded table, through [`answer`].

use std::collections::HashMap;
use std::rc::Rc;

use js_sys::Uint8Array;
use patroliq_core::areas::{report, AreaKind};
use patroliq_core::backtest::BacktestParams;
use patroliq_core::briefing::{emptied_by, Briefing, BriefingParams};
use patroliq_core::cluster::kmeans;
use patroliq_core::cluster::metrics::SilhouetteSample;
use patroliq_core::cluster::report::{analyse_labelled, Algorithm};
use patroliq_core::cluster::Points;
use patroliq_core::density::DensityParams;
use patroliq_core::eda::Eda;
use patroliq_core::export::{FeaturesParquet, FEATURE_GROUP};
use patroliq_core::features::Features;
use patroliq_core::filter::Filter;
use patroliq_core::forecast::emerging::EmergingParams;
use patroliq_core::forecast::knox::KnoxParams;
use patroliq_core::forecast::rolling::RollingParams;
use patroliq_core::place::named_hotspots;
use patroliq_core::reduce::embed::{EmbedParams, EmbedView, Embedding, PointInfo};
use patroliq_core::reduce::pca::{Pca, PcaView, SCATTER_POINTS};
use patroliq_core::risk::hotspots::{check_count, Hotspot, HotspotMode};
use patroliq_core::risk::{RiskModel, RiskParams, RiskView};
use patroliq_core::route::evaluate::check_reach;
use patroliq_core::route::plan::RouteParams;
use patroliq_core::route::stations::Station;
use patroliq_core::route::travel::{StreetGrid, Travel};
use patroliq_core::route::RouteView;
use patroliq_core::temporal::peaks::Peaks;
use patroliq_core::temporal::{cell_of, hotspot_times, TemporalParams, TemporalView};
use patroliq_core::terrain::TerrainModel;
use patroliq_core::CrimeTable;
use wasm_bindgen_futures::spawn_local;

use super::answer::{answer, Cx, Job};
use super::state::{Kept, Worker};
use crate::memo::key;
use crate::protocol::{Analysed, Exported, Failure, Reply};

/// The EDA of the rows passing `filter`. Synchronous: well under a second on 500k rows, and a
/// load started meanwhile is queued behind it rather than racing it.
pub(super) fn eda(w: &Worker, job: Job, filter: Filter) {
    answer(w, job, |cx| {
        let t = cx.t;
        let eda =
            cx.memo(|m| &mut m.eda, key(&filter), || Ok(Eda::within(t, &filter.select(t), filter.span(t))))?;
        Ok(Reply::Analysed(Box::new(Analysed { filter: filter.clone(), eda: (*eda).clone() })))
    });
}

/// The features of the filtered rows as Parquet, handed to the page (which offers the download).
/// Feature computation and Parquet encoding are timed apart (the in-browser benchmark reports both).
pub(super) fn export_features(w: &Worker, job: Job, filter: &Filter) {
    let t = match w.table() {
        Ok(t) => t,
        Err(f) => return job.reply(Err(f)),
    };
    let rows = filter.select(&t);
    let features = Features::prepare(&t, &rows);
    let mut features_ms = job.elapsed_ms();
    let mut buf = Vec::new();
    let written = FeaturesParquet::new(&mut buf).and_then(|mut out| {
        for group in rows.chunks(FEATURE_GROUP) {
            let t0 = js_sys::Date::now();
            let columns = features.columns(group);
            features_ms += js_sys::Date::now() - t0;
            out.write(&t, group, columns)?;
        }
        out.finish()
    });
    if let Err(e) = written {
        return job.reply(Err(Failure::Io(format!("the export failed: {e}"))));
    }
    let exported = Exported {
        file_name: "patroliq-features.parquet".into(),
        rows: rows.len() as u64,
        bytes: buf.len() as u64,
        features_ms,
    };
    let bytes = Uint8Array::from(buf.as_slice());
    drop(buf);
    job.reply_with_bytes(Reply::Exported(Box::new(exported)), bytes);
}

pub(super) fn cluster(w: &Worker, job: Job, filter: &Filter, algo: &Algorithm, sample: &SilhouetteSample) {
    answer(w, job, |cx| {
        let t = cx.t;
        let kept = cx.memo(
            |m| &mut m.cluster,
            key(&(filter, algo, sample)),
            || {
                let (mut view, labels) =
                    analyse_labelled(t, &filter.select(t), algo, sample, &mut job.progress())
                        .map_err(Failure::analysis)?;
                // The run's own time: a kept result answers later with the time it took to make.
                view.report.seconds = job.elapsed_ms() / 1000.0;
                Ok((view, labels))
            },
        )?;
        let (view, labels) = &*kept;
        *w.hotspots.borrow_mut() = Some(Kept { filter: filter.clone(), value: labels.clone() });
        Ok(Reply::Clustered(Box::new(view.clone())))
    });
}

/// K-Means for each k of `ks`, to help choose k.
pub(super) fn sweep(
    w: &Worker,
    job: Job,
    filter: &Filter,
    ks: std::ops::RangeInclusive<usize>,
    seed: u64,
    sample: &SilhouetteSample,
) {
    answer(w, job, |cx| {
        let t = cx.t;
        let points = cx.memo(
            |m| &mut m.sweep,
            key(&(filter, &ks, seed, sample)),
            || {
                kmeans::sweep(
                    &Points::of(t, &filter.select(t)),
                    ks.clone(),
                    seed,
                    sample,
                    &mut job.progress(),
                )
                .map_err(Failure::analysis)
            },
        )?;
        Ok(Reply::Swept(Box::new((*points).clone())))
    });
}

/// Temporal patterns, peaks and, when the last clustering was of the same rows, the pattern mix
/// of each hotspot.
pub(super) fn temporal(w: &Worker, job: Job, filter: &Filter, params: TemporalParams) {
    answer(w, job, |cx| {
        let t = cx.t;
        let rows = filter.select(t);
        let report = cx.memo(
            |m| &mut m.temporal,
            key(&(filter, &params)),
            || {
                let valid = params.check().map_err(Failure::invalid)?;
                valid.fit(t, &rows, &mut job.progress()).map_err(Failure::analysis)
            },
        )?;
        let report = (*report).clone();
        let peaks = Peaks::of(t, &rows);
        let hotspots = w
            .hotspots
            .borrow()
            .as_ref()
            .filter(|k| &k.filter == filter && k.value.len() == rows.len())
            .map(|k| hotspot_times(&report, t, &rows, &k.value, 12));
        let names = report.patterns.iter().map(|p| p.label.clone()).collect();
        *w.patterns.borrow_mut() =
            Some(Kept { filter: filter.clone(), value: (names, report.cell_pattern.clone()) });
        Ok(Reply::Temporal(Box::new(TemporalView { report, peaks, hotspots })))
    });
}

/// PCA of every filtered row, and every n-th of them on the first three components.
pub(super) fn pca(w: &Worker, job: Job, filter: &Filter) {
    answer(w, job, |cx| {
        let t = cx.t;
        let fit = cx.memo(
            |m| &mut m.pca,
            key(&filter),
            || {
                let rows = filter.select(t);
                let features = Features::prepare(t, &rows);
                let pca = Pca::fit_prepared(&features, &rows).map_err(Failure::analysis)?;
                let step = (rows.len() / SCATTER_POINTS).max(1);
                let sample: Vec<u32> = rows.iter().step_by(step).copied().collect();
                let (scores, kept) = pca.scores(&features, &sample);
                Ok((pca, scores, kept))
            },
        )?;
        let (pca, scores, kept) = (*fit).clone();
        let pattern = patterns_of(w, t, filter, &kept);
        Ok(Reply::Pca(Box::new(PcaView { pca, scores, points: PointInfo::of(t, &kept), pattern })))
    });
}

/// The temporal pattern of each of `rows`, from the last temporal clustering of the same filter.
fn patterns_of(w: &Worker, t: &CrimeTable, filter: &Filter, rows: &[u32]) -> Option<(Vec<String>, Vec<i8>)> {
    w.patterns.borrow().as_ref().filter(|k| &k.filter == filter).map(|k| {
        let (names, cells) = &k.value;
        let of = |r: &u32| cell_of(t.date.get(*r as usize)).map_or(-1, |c| cells[c]);
        (names.clone(), rows.iter().map(of).collect())
    })
}

/// A t-SNE or UMAP map of a seeded sample of the filtered rows: the sample is prepared here and
/// mapped by a map worker, so that this worker serves other pages meanwhile. The one analysis
/// that answers later: a kept map answers at once, a new one once the map worker has drawn it.
pub(super) fn embed(w: &Rc<Worker>, job: Job, filter: &Filter, params: EmbedParams) {
    let memo_key = key(&(filter, &params));
    let kept = w.memo.borrow_mut().embed.get(&memo_key);
    if let Some(e) = kept {
        return answer(w, job, |cx| Ok(embedded(cx, filter, &e)));
    }
    let prepared = w.table().and_then(|t| {
        let valid = params.check().map_err(Failure::invalid)?;
        Ok((valid.prepare(&t, &filter.select(&t)), valid))
    });
    // The table is not borrowed across the wait: a load may replace it meanwhile.
    let (prepared, valid) = match prepared {
        Ok(p) => p,
        Err(f) => return job.reply(Err(f)),
    };
    job.share(0.03);
    let (w, filter, generation) = (w.clone(), filter.clone(), w.generation.get());
    spawn_local(async move {
        let mut progress = job.progress();
        let reply = w.mapper.map(&valid, &prepared.x, move |d| _ = progress(0.03 + 0.97 * d)).await;
        if w.generation.get() != generation {
            return job.reply(Err(Failure::Replaced));
        }
        let mapped = match reply.result {
            Ok(m) => m,
            Err(message) => return job.reply(Err(Failure::Analysis(message))),
        };
        let e = w.memo.borrow_mut().embed.put(memo_key, valid.finish(prepared, mapped));
        answer(&w, job, |cx| Ok(embedded(cx, &filter, &e)));
    });
}

fn embedded(cx: &Cx, filter: &Filter, e: &Embedding) -> Reply {
    let pattern = patterns_of(cx.w, cx.t, filter, &e.rows);
    Reply::Embedded(Box::new(EmbedView {
        points: PointInfo::of(cx.t, &e.rows),
        params: e.params.clone(),
        xy: e.xy.clone(),
        pattern,
        selected: e.selected,
        dropped: e.dropped,
        trustworthiness: e.trustworthiness,
        trust_queries: e.trust_queries,
    }))
}

/// The risk grid of the filtered rows, with the risk terrain of `layers` when there are any;
/// its hotspots are kept for the routes.
pub(super) fn risk(
    w: &Worker,
    job: Job,
    filter: &Filter,
    params: RiskParams,
    mode: HotspotMode,
    top: usize,
    layers: &[(u32, String)],
) {
    answer(w, job, |cx| {
        let t = cx.t;
        check_count(top).map_err(Failure::invalid)?;
        let model = cx.memo(
            |m| &mut m.risk,
            key(&(filter, &params, layers)),
            || {
                let valid = params.check().map_err(Failure::invalid)?;
                let read = super::layers::for_table(w, t, layers)?;
                valid
                    .fit_with_layers(t, &filter.select(t), i64::MAX, &read, &mut job.progress())
                    .map_err(Failure::analysis)
            },
        )?;
        let model = (*model).clone();
        let mut spots = named_hotspots(&model, mode, top, t, &filter.select(t), &w.boundaries.borrow());
        if let Some(tm) = &model.terrain {
            terrain_reasons(&model, tm, &mut spots);
        }
        *w.hotspots_risk.borrow_mut() = Some(Kept { filter: filter.clone(), value: spots.clone() });
        Ok(Reply::Risk(Box::new(RiskView { model, mode, hotspots: spots })))
    });
}

/// Adds to each hotspot's "why" what the risk terrain says of its riskiest cell, naming the
/// layers ("310 m from 'CTA L stops'"): the page has no columns of the model to say it.
fn terrain_reasons(model: &RiskModel, tm: &TerrainModel, spots: &mut [Hotspot]) {
    let position: HashMap<usize, usize> = tm.cells.iter().enumerate().map(|(i, &c)| (c, i)).collect();
    // `model.cells` is riskiest first: a hotspot's first cell there is its riskiest.
    let rank: HashMap<usize, usize> = model.cells.iter().enumerate().map(|(r, c)| (c.cell, r)).collect();
    for h in spots {
        let riskiest = h.cells.iter().min_by_key(|c| rank.get(c).copied().unwrap_or(usize::MAX));
        let reasons = riskiest.and_then(|c| position.get(c)).map_or_else(Vec::new, |&i| tm.reasons(i, 3));
        if reasons.is_empty() {
            continue;
        }
        let terrain = reasons.join("; ");
        h.why = if h.why.is_empty() { terrain } else { format!("{}; {terrain}", h.why) };
    }
}

/// A patrol plan through the kept hotspots, evaluated against the filtered crimes.
pub(super) fn route(
    w: &Worker,
    job: Job,
    filter: &Filter,
    params: RouteParams,
    network: bool,
    within_min: f64,
) {
    answer(w, job, |cx| {
        let t = cx.t;
        let kept = w.hotspots_risk.borrow();
        let Some(spots) = kept.as_ref().filter(|k| &k.filter == filter) else {
            let why = "compute the risk grid for this filter first: the route visits its hotspots";
            return Err(Failure::Missing(why.into()));
        };
        let valid = params.check().map_err(Failure::invalid)?;
        check_reach(within_min).map_err(Failure::invalid)?;
        let mut net = w.network.borrow_mut();
        let travel: &mut dyn Travel = match (network, net.as_mut()) {
            (true, Some(n)) => n,
            (true, None) => return Err(Failure::Missing("no road network is loaded".into())),
            (false, _) => &mut StreetGrid,
        };
        let prep = valid.prepare(&spots.value, travel).map_err(Failure::Analysis)?;
        job.share(0.5);
        let crimes: Vec<(f64, f64)> = filter
            .select(t)
            .iter()
            .map(|&r| (t.latitude.get(r as usize), t.longitude.get(r as usize)))
            .collect();
        Ok(Reply::Route(Box::new(RouteView::make(&valid, &prep, &crimes, within_min))))
    });
}

/// The back-test of every hotspot method on the filtered rows (and the risk terrain of `layers`).
pub(super) fn backtest(
    w: &Worker,
    job: Job,
    filter: &Filter,
    params: BacktestParams,
    layers: &[(u32, String)],
) {
    answer(w, job, |cx| {
        let t = cx.t;
        let b = cx.memo(
            |m| &mut m.backtest,
            key(&(filter, &params, layers)),
            || {
                let valid = params.check().map_err(Failure::invalid)?;
                let read = super::layers::for_table(w, t, layers)?;
                valid
                    .run_with_layers(t, &filter.select(t), &read, &mut job.progress())
                    .map_err(Failure::analysis)
            },
        )?;
        Ok(Reply::Backtest(Box::new((*b).clone())))
    });
}

/// The rolling back-test of every forecasting method on the filtered rows, with the cells each
/// flagged per period (the page's map of one period); with `layers`, the risk terrain too.
pub(super) fn rolling(
    w: &Worker,
    job: Job,
    filter: &Filter,
    params: RollingParams,
    layers: &[(u32, String)],
) {
    answer(w, job, |cx| {
        let t = cx.t;
        let r = cx.memo(
            |m| &mut m.rolling,
            key(&(filter, &params, layers)),
            || {
                let valid = params.check().map_err(Failure::invalid)?;
                let read = super::layers::for_table(w, t, layers)?;
                valid
                    .view_with_layers(t, &filter.select(t), &read, &mut job.progress())
                    .map_err(Failure::analysis)
            },
        )?;
        Ok(Reply::Rolling(Box::new((*r).clone())))
    });
}

/// The Knox test of near repeats of the filtered rows (the labels per incident stay here).
pub(super) fn near_repeat(w: &Worker, job: Job, filter: &Filter, params: KnoxParams) {
    answer(w, job, |cx| {
        let t = cx.t;
        let k = cx.memo(
            |m| &mut m.near_repeat,
            key(&(filter, &params)),
            || {
                let valid = params.check().map_err(Failure::invalid)?;
                let mut k =
                    valid.run(t, &filter.select(t), &mut job.progress()).map_err(Failure::analysis)?;
                k.labels = Vec::new();
                Ok(k)
            },
        )?;
        Ok(Reply::NearRepeat(Box::new((*k).clone())))
    });
}

/// Emerging hot spot analysis of the filtered rows.
pub(super) fn emerging(w: &Worker, job: Job, filter: &Filter, params: EmergingParams) {
    answer(w, job, |cx| {
        let t = cx.t;
        let e = cx.memo(
            |m| &mut m.emerging,
            key(&(filter, &params)),
            || {
                let valid = params.check().map_err(Failure::invalid)?;
                valid.run(t, &filter.select(t), &mut job.progress()).map_err(Failure::analysis)
            },
        )?;
        Ok(Reply::Emerging(Box::new((*e).clone())))
    });
}

/// Tonight's briefing of the filtered rows, its areas named from the loaded boundaries.
pub(super) fn briefing(
    w: &Worker,
    job: Job,
    filter: &Filter,
    params: BriefingParams,
    stations: &[Station],
    network: bool,
    layers: &[(u32, String)],
) {
    answer(w, job, |cx| {
        let t = cx.t;
        let rows = filter.select(t);
        let mut net = w.network.borrow_mut();
        let travel: &mut dyn Travel = match (network, net.as_mut()) {
            (true, Some(n)) => n,
            _ => &mut StreetGrid,
        };
        let valid = params.check().map_err(Failure::invalid)?;
        // A filter that leaves the shift nothing: say which conditions did, not zeros.
        if let Some(chips) = emptied_by(t, filter, &valid.params().shift) {
            return Ok(Reply::Briefing(Box::new(Briefing::emptied(valid.params().shift, chips))));
        }
        let read = super::layers::for_table(w, t, layers)?;
        let mut b = valid
            .fit_with_layers(t, &rows, stations, travel, &read, &mut job.progress())
            .map_err(Failure::analysis)?;
        for bounds in w.boundaries.borrow().iter() {
            b.name_areas(bounds);
        }
        Ok(Reply::Briefing(Box::new(b)))
    });
}

/// The heatmaps page's density surfaces of the filtered rows.
pub(super) fn density(w: &Worker, job: Job, filter: &Filter, params: DensityParams) {
    answer(w, job, |cx| {
        let t = cx.t;
        let view = cx.memo(
            |m| &mut m.density,
            key(&(filter, &params)),
            || {
                let valid = params.check().map_err(Failure::invalid)?;
                valid.fit(t, &filter.select(t), &mut job.progress()).map_err(Failure::analysis)
            },
        )?;
        Ok(Reply::Density(Box::new((*view).clone())))
    });
}

/// The figures of each area of the loaded boundaries of `kind`.
pub(super) fn areas(w: &Worker, job: Job, filter: &Filter, kind: AreaKind) {
    answer(w, job, |cx| {
        let all = w.boundaries.borrow();
        let Some(b) = all.iter().find(|b| b.kind == kind) else {
            return Err(Failure::Missing(format!("no {} boundaries are loaded", kind.label())));
        };
        Ok(Reply::Areas(Box::new(report(b, cx.t, &filter.select(cx.t)))))
    });
}
