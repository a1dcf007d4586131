//! The UI thread binary.

#[cfg(target_arch = "wasm32")]
fn main() {
    patroliq_app::fault::catch_panics();
    patroliq_app::offline::register();
    leptos::mount::mount_to_body(patroliq_app::shell::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("patroliq-app is a web app: build it with `trunk build` (see README).");
}
