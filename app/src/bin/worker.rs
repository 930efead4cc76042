//! The Web Worker entry point (trunk builds it with `data-type="worker"`).

use gloo_worker::Registrable;

#[global_allocator]
static ALLOC: chartroom_app::OomReporting = chartroom_app::OomReporting;

fn main() {
    chartroom_app::install_panic_reporter();
    chartroom_app::RenderWorker::registrar().register();
}
