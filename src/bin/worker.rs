//! The data worker binary (trunk `data-type="worker"`).

// Counted, so the Benchmark page can report each stage's peak heap (two relaxed atomics per call).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOC: patroliq_core::bench::alloc::Counting = patroliq_core::bench::alloc::Counting;

#[cfg(target_arch = "wasm32")]
fn main() {
    patroliq_app::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the worker runs in the browser only");
}
