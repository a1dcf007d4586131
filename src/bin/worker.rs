//! The data worker binary (trunk `data-type="worker"`).

#[cfg(target_arch = "wasm32")]
fn main() {
    patroliq_app::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the worker runs in the browser only");
}
