//! The render worker: runs the engine in a dedicated Web Worker so that a
//! large chart never freezes typing in the editor.

use gloo_worker::{HandlerId, Worker, WorkerScope};
use wasm_bindgen::JsCast;

use crate::protocol::{RenderJob, RenderReply};

/// A monotonic clock in the worker (Date.now() only has 1 ms resolution).
fn now_ms() -> f64 {
    js_sys::global()
        .dyn_into::<web_sys::WorkerGlobalScope>()
        .ok()
        .and_then(|g| g.performance())
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

/// gloo-worker actor: one `RenderJob` in, one `RenderReply` out.
pub struct RenderWorker;

impl Worker for RenderWorker {
    type Message = ();
    type Input = RenderJob;
    type Output = RenderReply;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        RenderWorker
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, job: Self::Input, id: HandlerId) {
        let seq = job.seq;
        let start = now_ms();
        let result = job.run();
        let engine_ms = now_ms() - start;
        scope.respond(id, RenderReply { seq, engine_ms, result });
    }
}
