//! The render worker: runs the engine in a dedicated Web Worker so that a
//! large chart never freezes typing in the editor.

use std::cell::RefCell;

use gloo_worker::{HandlerId, Worker, WorkerScope};
use wasm_bindgen::JsCast;

use crate::protocol::{RenderFailure, RenderJob, RenderReply};

thread_local! {
    /// The job being rendered, so a panic can still answer it (see
    /// `install_panic_reporter`).
    static CURRENT_JOB: RefCell<Option<(WorkerScope<RenderWorker>, HandlerId, u64)>> =
        const { RefCell::new(None) };
}

/// The engine must never panic, but if it does the wasm instance aborts and
/// the page would wait for a reply that never comes. This hook answers the
/// job in flight with the panic message first, marked `worker_lost`, so the
/// page shows it at once and starts a fresh worker, and closes this one.
pub fn install_panic_reporter() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let current = CURRENT_JOB.try_with(|c| c.try_borrow_mut().ok().and_then(|mut c| c.take()));
        if let Ok(Some((scope, id, seq))) = current {
            let failure = RenderFailure {
                message: format!("internal error: the engine crashed ({info})"),
                file: None,
                line: None,
                col: None,
            };
            scope.respond(id, RenderReply { seq, engine_ms: 0.0, result: Err(failure), worker_lost: true });
        }
        // After the abort this instance can only fail; closing the worker
        // frees it and drops the page's later messages to it unprocessed.
        if let Ok(global) = js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() {
            global.close();
        }
    }));
}

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
        // Keep parsed templates between renders: a keystroke in values.yaml
        // re-renders unchanged templates (engine/src/template/cache.rs).
        chartroom_engine::template::cache::enable();
        RenderWorker
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, job: Self::Input, id: HandlerId) {
        let seq = job.seq;
        CURRENT_JOB.with(|c| *c.borrow_mut() = Some((scope.clone(), id, seq)));
        let start = now_ms();
        let result = job.run();
        let engine_ms = now_ms() - start;
        CURRENT_JOB.with(|c| *c.borrow_mut() = None);
        scope.respond(id, RenderReply { seq, engine_ms, result, worker_lost: false });
    }
}
