//! The risk grid and the route solvers on the real 500,000-row sample, natively.
//! Run: `cargo bench -p patroliq-core --bench patrol` (reads ../shared/data/, see README).
//! OR-Tools' guided local search on the same 51-node matrix: 20 s (its time limit) for the
//! same tour length.

use criterion::{criterion_group, criterion_main, Criterion};
use patroliq_core::cluster::Silent;
use patroliq_core::features::all_rows;
use patroliq_core::risk::hotspots::{hotspots, HotspotMode};
use patroliq_core::risk::RiskParams;
use patroliq_core::route::network::RoadNetwork;
use patroliq_core::route::plan::RouteParams;
use patroliq_core::route::travel::StreetGrid;
use patroliq_core::route::RouteView;

fn bench(c: &mut Criterion) {
    let t = patroliq_core::shared_data::sample();
    let rows = all_rows(&t);
    let mut g = c.benchmark_group("patrol_500k");
    g.sample_size(10);
    let p = RiskParams::default().check().unwrap();
    g.bench_function("risk_grid_250m", |b| b.iter(|| p.fit(&t, &rows, &mut Silent).unwrap()));
    let p100 = RiskParams { cell_m: 100.0, ..RiskParams::default() }.check().unwrap();
    g.bench_function("risk_grid_100m", |b| b.iter(|| p100.fit(&t, &rows, &mut Silent).unwrap()));
    let model = p.fit(&t, &rows, &mut Silent).unwrap();
    let spots = hotspots(&model, HotspotMode::TopCells, 200);
    let crimes: Vec<(f64, f64)> =
        rows.iter().map(|&r| (t.latitude.get(r as usize), t.longitude.get(r as usize))).collect();
    for (name, params) in [
        ("route_50_stops", RouteParams { stops: 50, ..RouteParams::default() }),
        ("route_200_stops", RouteParams { stops: 200, ..RouteParams::default() }),
        (
            "route_100_stops_3_cars_shift_120",
            RouteParams { stops: 100, cars: 3, shift_min: Some(120.0), ..RouteParams::default() },
        ),
    ] {
        let v = params.check().unwrap();
        let prep = v.prepare(&spots, &mut StreetGrid).unwrap();
        g.bench_function(name, |b| b.iter(|| v.plan(&prep)));
        if name == "route_50_stops" {
            g.bench_function("route_50_stops_with_evaluation", |b| {
                b.iter(|| RouteView::make(&v, &prep, &crimes, 2.0))
            });
        }
    }
    let dir = patroliq_core::shared_data::dir();
    let read = |f: &str| std::fs::read(dir.join(f)).unwrap();
    let (nodes, links) =
        (read("chicago_road_network_tntp_nodes.csv.gz"), read("chicago_road_network_tntp_links.csv.gz"));
    g.bench_function("network_parse", |b| b.iter(|| RoadNetwork::from_tntp(&nodes, &links).unwrap()));
    let mut net = RoadNetwork::from_tntp(&nodes, &links).unwrap();
    let v = RouteParams { stops: 50, ..RouteParams::default() }.check().unwrap();
    g.bench_function("network_legs_51_points", |b| b.iter(|| v.prepare(&spots, &mut net).unwrap()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
