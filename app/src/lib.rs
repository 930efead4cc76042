//! Chartroom's browser app: a Leptos (client-side rendered) page that edits a
//! chart in memory and renders it with `chartroom_engine` in a Web Worker.

mod app;
mod example;
pub mod files;
pub mod protocol;
mod render_client;
mod worker;

pub use app::App;
pub use worker::{install_panic_reporter, RenderWorker};
