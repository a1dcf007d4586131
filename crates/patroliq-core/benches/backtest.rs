//! The back-test on the real 500,000-row sample, natively: every method fitted on
//! 2016-02 → 2017-08 and scored on 2017-09 → 2017-12, and the cheap methods alone.
//! Run: `cargo bench -p patroliq-core --bench backtest` (reads ../shared/data/, see README).

use criterion::{criterion_group, criterion_main, Criterion};
use patroliq_core::backtest::methods::Method;
use patroliq_core::backtest::BacktestParams;
use patroliq_core::cluster::Silent;
use patroliq_core::features::all_rows;

fn bench(c: &mut Criterion) {
    let t = patroliq_core::shared_data::sample();
    let rows = all_rows(&t);
    let mut g = c.benchmark_group("backtest_500k");
    g.sample_size(10);
    let split = Some("2017-09-01".parse().unwrap());
    let all = BacktestParams { split, ..BacktestParams::default() }.check().unwrap();
    g.bench_function("all_methods_and_routes", |b| b.iter(|| all.run(&t, &rows, &mut Silent).unwrap()));
    for m in Method::ALL {
        let one = BacktestParams { split, methods: vec![m], route_stops: 0, ..BacktestParams::default() }
            .check()
            .unwrap();
        g.bench_function(m.key(), |b| b.iter(|| one.run(&t, &rows, &mut Silent).unwrap()));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
