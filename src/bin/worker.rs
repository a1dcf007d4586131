//! The data worker binary (trunk `data-type="worker"`).

// Counted, so the Benchmark page can report each stage's peak heap (two relaxed atomics per call).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOC: patroliq_core::bench::alloc::Counting = patroliq_core::bench::alloc::Counting;

#[cfg(target_arch = "wasm32")]
fn main() {
    // One binary, two workers: the data worker, and the map worker it starts (`mapper`).
    if patroliq_app::mapper::is_mapper() {
        patroliq_app::mapper::serve();
    } else {
        patroliq_app::worker::start();
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the worker runs in the browser only");
}
