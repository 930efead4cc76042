//! The render worker: runs the engine in a dedicated Web Worker so that a
//! large chart never freezes typing in the editor.

use gloo_worker::{HandlerId, Worker, WorkerScope};

use crate::protocol::{RenderJob, RenderReply};

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
        let start = js_sys::Date::now();
        let result = job.run();
        let engine_ms = js_sys::Date::now() - start;
        scope.respond(id, RenderReply { seq, engine_ms, result });
    }
}
