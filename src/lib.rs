//! The PatrolIQ web app: a Leptos UI thread that renders and dispatches, and a Web Worker that
//! holds the dataset and runs the analyses of `patroliq-core`.

pub mod memo;
pub mod protocol;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod bridge;
#[cfg(target_arch = "wasm32")]
pub mod fault;
#[cfg(target_arch = "wasm32")]
pub mod location;
#[cfg(target_arch = "wasm32")]
pub mod mapper;
#[cfg(target_arch = "wasm32")]
pub mod mlflow;
#[cfg(target_arch = "wasm32")]
pub mod offline;
#[cfg(target_arch = "wasm32")]
pub mod store;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod worker;
