//! The Web Worker entry point (trunk builds it with `data-type="worker"`).

use gloo_worker::Registrable;

fn main() {
    chartroom_app::install_panic_reporter();
    chartroom_app::RenderWorker::registrar().register();
}
