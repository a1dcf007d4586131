//! The UI ⇄ worker messages survive their JSON trip unchanged (natively: no browser needed).

use patroliq_app::protocol::{FromWorker, Source, Stage, ToWorker};
use patroliq_core::cluster::dbscan::DbscanParams;
use patroliq_core::cluster::kmeans::{KMeansParams, SweepPoint};
use patroliq_core::cluster::metrics::SilhouetteSample;
use patroliq_core::cluster::report::{analyse, Algorithm};
use patroliq_core::cluster::Silent;
use patroliq_core::eda::Eda;
use patroliq_core::features::all_rows;
use patroliq_core::filter::Filter;
use patroliq_core::load::portal::{PortalQuery, DEFAULT_ENDPOINT};
use patroliq_core::summary::DatasetSummary;
use patroliq_core::{demo, load_bytes, LoadOptions};

#[test]
fn every_message_round_trips() {
    let csv = demo::generate_csv(500, 1);
    let loaded = load_bytes("demo", csv.as_bytes(), LoadOptions::default()).unwrap();
    let to = [
        ToWorker::Load { job: 1, source: Source::Demo { rows: 10, seed: 2 } },
        ToWorker::Load { job: 2, source: Source::File { name: "a.csv".into(), size: 9 } },
        ToWorker::Load { job: 3, source: Source::Url { url: "https://x/y.csv".into() } },
        ToWorker::Load {
            job: 4,
            source: Source::Portal(PortalQuery {
                endpoint: DEFAULT_ENDPOINT.into(),
                limit: 5,
                from: Some("2017-01-01".into()),
                to: None,
            }),
        },
        ToWorker::Cancel { job: 4 },
        ToWorker::Analyse { job: 5, filter: Filter::default() },
        ToWorker::Cluster {
            job: 7,
            filter: Filter::default(),
            algo: Algorithm::Dbscan(DbscanParams::default()),
            sample: SilhouetteSample::default(),
        },
        ToWorker::Sweep {
            job: 8,
            filter: Filter::default(),
            from: 2,
            to: 15,
            seed: 1,
            sample: SilhouetteSample::default(),
        },
        ToWorker::ExportFeatures {
            job: 6,
            filter: Filter::from_query("type=THEFT&district=7&from=2017-01-01").0,
        },
    ];
    for m in to {
        assert_eq!(serde_json::from_str::<ToWorker>(&m.encode()).unwrap(), m);
    }
    let from = [
        FromWorker::Ready,
        FromWorker::Progress { job: 1, stage: Stage::Decoding, bytes: 5, total_bytes: Some(9), rows: 3 },
        FromWorker::Loaded {
            job: 1,
            report: Box::new(loaded.report.clone()),
            summary: Box::new(DatasetSummary::of(&loaded.table)),
            inflated_beside: true,
        },
        FromWorker::Failed {
            job: 2,
            kind: "empty".into(),
            message: "m".into(),
            report: Some(Box::new(loaded.report)),
        },
        FromWorker::Cancelled { job: 3 },
        FromWorker::Analysed {
            job: 5,
            filter: Filter::from_query("arrest=yes").0,
            eda: Box::new(Eda::of(&loaded.table, &all_rows(&loaded.table))),
            compute_ms: 12.5,
        },
        FromWorker::Exported {
            job: 6,
            file_name: "f.parquet".into(),
            rows: 3,
            bytes: 100,
            compute_ms: 1.0,
            features_ms: 0.5,
        },
        FromWorker::ClusterProgress { job: 7, done: 0.5 },
        FromWorker::Clustered {
            job: 7,
            view: Box::new(
                analyse(
                    &loaded.table,
                    &all_rows(&loaded.table),
                    &Algorithm::Kmeans(KMeansParams { k: 3, ..Default::default() }),
                    &SilhouetteSample::default(),
                    &mut Silent,
                )
                .unwrap(),
            ),
            compute_ms: 3.0,
        },
        FromWorker::Swept {
            job: 8,
            points: vec![SweepPoint { k: 2, inertia: 1.5, silhouette: None }],
            compute_ms: 2.0,
        },
        FromWorker::AnalysisFailed { job: 7, message: "no data".into() },
        FromWorker::Crashed { message: "boom".into() },
    ];
    for m in from {
        assert_eq!(serde_json::from_str::<FromWorker>(&m.encode()).unwrap(), m);
    }
}
