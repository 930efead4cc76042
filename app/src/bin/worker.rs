//! The Web Worker entry point (trunk builds it with `data-type="worker"`).

use gloo_worker::Registrable;

fn main() {
    console_error_panic_hook::set_once();
    chartroom_app::RenderWorker::registrar().register();
}
