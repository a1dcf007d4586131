//! The UI ⇄ worker messages survive their JSON trip unchanged (natively: no browser needed).

use patroliq_app::protocol::{
    Analysed, Exported, Failure, FromReply, FromWorker, LayerRead, LoadFailure, Loaded, Progress, Reply,
    Request, Source, Stage, ToWorker,
};
use patroliq_core::cluster::dbscan::DbscanParams;
use patroliq_core::cluster::kmeans::{KMeansParams, SweepPoint};
use patroliq_core::cluster::metrics::SilhouetteSample;
use patroliq_core::cluster::report::{analyse, Algorithm};
use patroliq_core::cluster::Silent;
use patroliq_core::eda::Eda;
use patroliq_core::features::all_rows;
use patroliq_core::filter::Filter;
use patroliq_core::load::portal::{PortalQuery, DEFAULT_ENDPOINT};
use patroliq_core::risk::hotspots::HotspotMode;
use patroliq_core::risk::RiskParams;
use patroliq_core::summary::DatasetSummary;
use patroliq_core::terrain::{LayerSummary, Sketch};
use patroliq_core::{demo, load_bytes, LoadOptions};

/// A page cached before “Load only…” existed sends loads without `only`: they read as every row.
#[test]
fn a_load_without_a_filter_still_reads() {
    let json = r#"{"job":1,"request":{"Load":{"source":{"Demo":{"rows":10,"seed":2}}}}}"#;
    let m: ToWorker = serde_json::from_str(json).unwrap();
    assert!(matches!(m.request, Request::Load { only, .. } if only.is_everything()));
}

#[test]
fn every_message_round_trips() {
    let csv = demo::generate_csv(500, 1);
    let loaded = load_bytes("demo", csv.as_bytes(), LoadOptions::default()).unwrap();
    let to = [
        ToWorker {
            job: 1,
            request: Request::Load { source: Source::Demo { rows: 10, seed: 2 }, only: Default::default() },
        },
        ToWorker {
            job: 2,
            request: Request::Load {
                source: Source::File { name: "a.csv".into(), size: 9, columns: None },
                only: patroliq_core::LoadFilter::from_days(Some("2016-01-01"), None, &["theft".into()])
                    .unwrap(),
            },
        },
        ToWorker {
            job: 3,
            request: Request::Load {
                source: Source::Url { url: "https://x/y.csv".into() },
                only: Default::default(),
            },
        },
        ToWorker {
            job: 4,
            request: Request::Load {
                source: Source::Portal(PortalQuery {
                    endpoint: DEFAULT_ENDPOINT.into(),
                    limit: 5,
                    from: Some("2017-01-01".into()),
                    to: None,
                }),
                only: Default::default(),
            },
        },
        ToWorker { job: 4, request: Request::Cancel },
        ToWorker { job: 5, request: Request::Analyse { filter: Filter::default() } },
        ToWorker {
            job: 7,
            request: Request::Cluster {
                filter: Filter::default(),
                algo: Algorithm::Dbscan(DbscanParams::default()),
                sample: SilhouetteSample::default(),
            },
        },
        ToWorker {
            job: 8,
            request: Request::Sweep {
                filter: Filter::default(),
                from: 2,
                to: 15,
                seed: 1,
                sample: SilhouetteSample::default(),
            },
        },
        ToWorker {
            job: 6,
            request: Request::ExportFeatures {
                filter: Filter::from_query("type=THEFT&district=7&from=2017-01-01").0,
            },
        },
        ToWorker { job: 7, request: Request::AddLayer { id: 3, name: "cta L stops".into() } },
        ToWorker { job: 9, request: Request::ForgetLayer { id: 3 } },
        ToWorker {
            job: 8,
            request: Request::Risk {
                filter: Filter::default(),
                params: RiskParams::default(),
                mode: HotspotMode::Areas,
                top: 20,
                layers: vec![(3, "cta L stops".into()), (4, "liquor \"retail\"".into())],
            },
        },
    ];
    for m in to {
        assert_eq!(serde_json::from_str::<ToWorker>(&m.encode()).unwrap(), m);
    }
    let answer = |job, compute_ms, result| FromWorker::Answer { job, compute_ms, result };
    let from = [
        FromWorker::Ready,
        FromWorker::Progress {
            job: 1,
            progress: Progress::Load { stage: Stage::Decoding, bytes: 5, total_bytes: Some(9), rows: 3 },
        },
        answer(
            1,
            40.0,
            Ok(Reply::Loaded(Box::new(Loaded {
                report: loaded.report.clone(),
                summary: DatasetSummary::of(&loaded.table),
                inflated_beside: true,
                preview: loaded.preview.clone(),
            }))),
        ),
        answer(
            2,
            1.0,
            Err(Failure::Load(LoadFailure {
                kind: "empty".into(),
                message: "m".into(),
                report: Some(Box::new(loaded.report)),
                preview: None,
            })),
        ),
        answer(3, 0.5, Err(Failure::Cancelled)),
        answer(
            5,
            12.5,
            Ok(Reply::Analysed(Box::new(Analysed {
                filter: Filter::from_query("arrest=yes").0,
                eda: Eda::of(&loaded.table, &all_rows(&loaded.table)),
            }))),
        ),
        answer(
            6,
            1.0,
            Ok(Reply::Exported(Box::new(Exported {
                file_name: "f.parquet".into(),
                rows: 3,
                bytes: 100,
                features_ms: 0.5,
            }))),
        ),
        FromWorker::Progress { job: 7, progress: Progress::Share(0.5) },
        answer(
            7,
            3.0,
            Ok(Reply::Clustered(Box::new(
                analyse(
                    &loaded.table,
                    &all_rows(&loaded.table),
                    &Algorithm::Kmeans(KMeansParams { k: 3, ..Default::default() }),
                    &SilhouetteSample::default(),
                    &mut Silent,
                )
                .unwrap(),
            ))),
        ),
        answer(8, 2.0, Ok(Reply::Swept(Box::new(vec![SweepPoint { k: 2, inertia: 1.5, silhouette: None }])))),
        answer(
            14,
            1.0,
            Ok(Reply::Layer(Box::new(LayerRead {
                id: 3,
                summary: LayerSummary {
                    name: "cta L stops".into(),
                    source: "point column Location".into(),
                    records: 298,
                    points: 282,
                    outside: 16,
                    ..LayerSummary::default()
                },
                sketch: Sketch {
                    points: vec![[-87.62773, 41.88466]],
                    paths: vec![vec![[-87.6, 41.8], [-87.5, 41.8], [-87.6, 41.8]]],
                    features: 282,
                },
            }))),
        ),
        answer(7, 0.0, Err(Failure::NoDataset)),
        answer(9, 0.0, Err(Failure::Invalid("k must be at least 2".into()))),
        answer(10, 0.0, Err(Failure::Missing("no road network is loaded".into()))),
        answer(11, 0.0, Err(Failure::Analysis("no data".into()))),
        answer(12, 0.0, Err(Failure::Io("the export failed".into()))),
        answer(13, 0.0, Err(Failure::Replaced)),
        FromWorker::Crashed { message: "boom".into() },
    ];
    for m in from {
        assert_eq!(serde_json::from_str::<FromWorker>(&m.encode()).unwrap(), m);
    }
    // A layer answer without a sketch (a worker of the version before it) still reads: empty.
    let old = r#"{"Answer":{"job":1,"compute_ms":0.0,"result":{"Ok":{"Layer":{"id":2,"summary":{"name":"x","source":"GeoJSON","records":1,"skipped":0,"points":1,"lines":0,"polygons":0,"outside":0}}}}}}"#;
    match serde_json::from_str::<FromWorker>(old).unwrap() {
        FromWorker::Answer { result: Ok(Reply::Layer(l)), .. } => assert_eq!(l.sketch, Sketch::default()),
        other => panic!("{other:?}"),
    }
}

/// The page's state waits for a value of a job, not a message: the reply gives up its value only to
/// the type it carries.
#[test]
fn a_reply_gives_its_value_to_its_own_type_only() {
    let points = vec![SweepPoint { k: 2, inertia: 1.5, silhouette: None }];
    let reply = Reply::Swept(Box::new(points.clone()));
    assert_eq!(Vec::<SweepPoint>::from_reply(reply.clone()), Some(points));
    assert_eq!(Exported::from_reply(reply), None);
}

/// The failure's words are the ones the pages have always shown.
#[test]
fn failures_say_what_the_pages_show() {
    assert_eq!(Failure::NoDataset.to_string(), "no dataset is loaded yet");
    assert_eq!(Failure::Replaced.to_string(), "a new dataset was loaded while the map was being drawn");
    assert_eq!(Failure::Missing("no road network is loaded".into()).to_string(), "no road network is loaded");
}

/// A heatmap's frames travel as 32-bit floats beside the JSON (the page's parse of 1.8 M JSON
/// numbers was its longest task): taken out, sent, put back, it is the heatmap the worker made,
/// blank cells still blank; bytes cut short are refused, not read as a smaller map.
#[test]
fn a_heatmap_travels_as_floats_beside_its_json() {
    use patroliq_core::density::{DensityParams, Frames};
    let csv = demo::generate_csv(3_000, 4);
    let loaded = load_bytes("demo", csv.as_bytes(), LoadOptions::default()).unwrap();
    let t = &loaded.table;
    let params = DensityParams { frames: Frames::Hour, ..Default::default() };
    let view = params.check().unwrap().fit(t, &all_rows(t), &mut |_| true).unwrap();
    assert_eq!(view.frames.len(), 24);
    assert!(view.all.z.iter().any(Option::is_none) && view.all.z.iter().any(Option::is_some));
    let reply = Reply::Density(Box::new(view));
    let mut sent = reply.clone();
    assert!(sent.has_bulk());
    let bulk = sent.take_bulk().unwrap();
    let json = FromWorker::Answer { job: 3, compute_ms: 1.0, result: Ok(sent) }.encode();
    assert!(json.len() < 20_000, "{} bytes of JSON", json.len());
    let FromWorker::Answer { result: Ok(mut got), .. } = serde_json::from_str(&json).unwrap() else {
        panic!()
    };
    assert!(got.put_bulk(&bulk[..bulk.len() - 1]).unwrap_err().contains("values"));
    got.put_bulk(&bulk).unwrap();
    assert_eq!(got, reply);
    // Replies without bulk send none and take none.
    let mut swept = Reply::Swept(Box::default());
    assert!(!swept.has_bulk() && swept.take_bulk().is_none());
    assert!(swept.put_bulk(&[1.0]).is_err());
}
