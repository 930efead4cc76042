//! The Web Worker with the plugin host (trunk builds it with
//! `data-type="worker"` and the `plugins` feature); the page spawns it
//! instead of `worker` once a plugin is chosen.

use gloo_worker::Registrable;

#[global_allocator]
static ALLOC: chartroom_app::OomReporting = chartroom_app::OomReporting;

fn main() {
    chartroom_app::install_panic_reporter();
    chartroom_app::RenderWorker::registrar().register();
}
