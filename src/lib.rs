//! The PatrolIQ web app: a Leptos UI thread that renders and dispatches, and a Web Worker that
//! holds the dataset and runs the analyses of `patroliq-core`.
//!
//! The UI thread: `shell` (the page shell and router) → `ui` (pages, charts, widgets) → `state`
//! (signals per area and the requests that fill them) → `bridge` (the worker handle). The
//! workers: `worker` (the data worker) and `mapper` (the map worker it starts), both over `js`.
//! Between them, `protocol`: the messages each way. Imports run only in that direction.

pub mod memo;
pub mod protocol;
pub mod street;

#[cfg(target_arch = "wasm32")]
pub mod bridge;
#[cfg(target_arch = "wasm32")]
pub mod download;
#[cfg(target_arch = "wasm32")]
pub mod fault;
#[cfg(target_arch = "wasm32")]
pub mod fetch_file;
#[cfg(target_arch = "wasm32")]
pub mod idb_open;
#[cfg(target_arch = "wasm32")]
pub mod js;
#[cfg(target_arch = "wasm32")]
pub mod keep;
#[cfg(target_arch = "wasm32")]
pub mod keep_layers;
#[cfg(target_arch = "wasm32")]
pub mod location;
#[cfg(target_arch = "wasm32")]
pub mod mapper;
#[cfg(target_arch = "wasm32")]
pub mod mappings;
#[cfg(target_arch = "wasm32")]
pub mod mlflow;
#[cfg(target_arch = "wasm32")]
pub mod offline;
#[cfg(target_arch = "wasm32")]
pub mod shell;
#[cfg(target_arch = "wasm32")]
pub mod state;
#[cfg(target_arch = "wasm32")]
pub mod store;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod worker;
