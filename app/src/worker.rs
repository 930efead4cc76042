//! The render worker: runs the engine in a dedicated Web Worker so that a
//! large chart never freezes typing in the editor. Plugins run here too,
//! with the browser's clock, synchronous XMLHttpRequest (allowed in
//! dedicated workers) and live meters posted while they run.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use chartroom_engine::plugin::http::{HttpClient, HttpRequest, HttpResponse};
use chartroom_engine::plugin::{Clock, Progress};
use gloo_worker::{HandlerId, Worker, WorkerScope};
use wasm_bindgen::JsCast;

use crate::protocol::{PluginCache, PluginHost, PluginProgress, RenderFailure, RenderJob, RenderReply, TaskAnswer, WorkerInput, WorkerOutput};

/// What the worker is doing: a render (by seq) or a task (by id).
#[derive(Clone, Copy)]
enum Current {
    Render(u64),
    Task(u64),
}

thread_local! {
    /// The job being done, so a panic can still answer it (see
    /// `install_panic_reporter`).
    static CURRENT_JOB: RefCell<Option<(WorkerScope<RenderWorker>, HandlerId, Current)>> =
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
        let message = format!("internal error: the engine crashed ({info})");
        match current {
            Ok(Some((scope, id, Current::Render(seq)))) => {
                let failure = RenderFailure { message, file: None, line: None, col: None };
                scope.respond(id, WorkerOutput::Reply(Box::new(RenderReply { seq, engine_ms: 0.0, result: Err(failure), worker_lost: true, plugin: None })));
            }
            Ok(Some((scope, id, Current::Task(task)))) => {
                scope.respond(id, WorkerOutput::Answer { id: task, answer: Box::new(TaskAnswer::Failed(message)) });
            }
            _ => {}
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

/// The plugin deadline's clock: performance.now(); WASI realtime from Date.now().
struct BrowserClock;

impl Clock for BrowserClock {
    fn now_ms(&self) -> f64 {
        now_ms()
    }
    fn wall_ns(&self) -> u64 {
        (js_sys::Date::now() * 1e6) as u64
    }
}

/// Requests the host has allowed (allowedHosts is checked before this is
/// called), with synchronous XMLHttpRequest: the guest waits for its answer
/// as it would in Helm. The browser's CORS rules still apply on top.
struct XhrClient;

const BLOCKED: &str = "blocked by the browser: CORS or network error";

impl HttpClient for XhrClient {
    fn fetch(&self, req: &HttpRequest) -> Result<HttpResponse, String> {
        let fail = |what: &str| format!("{} {:?}: {what}", req.method, req.url);
        let xhr = web_sys::XmlHttpRequest::new().map_err(|_| fail("XMLHttpRequest is not available"))?;
        xhr.open_with_async(&req.method, &req.url, false).map_err(|_| fail("invalid request"))?;
        xhr.set_response_type(web_sys::XmlHttpRequestResponseType::Arraybuffer);
        for (k, v) in &req.headers {
            // Forbidden headers (Host, Cookie…) are refused by the browser: skip them.
            let _ = xhr.set_request_header(k, v);
        }
        let sent = if req.body.is_empty() {
            xhr.send()
        } else {
            xhr.send_with_opt_u8_array(Some(&req.body))
        };
        // A CORS refusal and an unreachable host look the same from here
        // (a NetworkError, status 0): say both.
        if sent.is_err() || xhr.status().unwrap_or(0) == 0 {
            return Err(fail(BLOCKED));
        }
        let status = xhr.status().unwrap_or(0);
        let body = xhr.response().ok().filter(|r| !r.is_null() && !r.is_undefined()).map(|r| js_sys::Uint8Array::new(&r).to_vec()).unwrap_or_default();
        let mut headers = BTreeMap::new();
        for line in xhr.get_all_response_headers().unwrap_or_default().lines() {
            if let Some((k, v)) = line.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        Ok(HttpResponse { status, headers, body })
    }
}

/// Live meters: at most one message per this many ms of plugin time.
const PROGRESS_EVERY_MS: f64 = 50.0;

/// gloo-worker actor: one `RenderJob` in, progress messages while a plugin
/// runs, then one `RenderReply`.
pub struct RenderWorker {
    plugins: PluginCache,
}

impl Worker for RenderWorker {
    type Message = ();
    type Input = WorkerInput;
    type Output = WorkerOutput;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        // Keep parsed templates between renders: a keystroke in values.yaml
        // re-renders unchanged templates (engine/src/template/cache.rs).
        chartroom_engine::template::cache::enable();
        RenderWorker { plugins: PluginCache::default() }
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, input: Self::Input, id: HandlerId) {
        match input {
            WorkerInput::Render(job) => self.render(scope, *job, id),
            WorkerInput::Task { id: task_id, task } => {
                CURRENT_JOB.with(|c| *c.borrow_mut() = Some((scope.clone(), id, Current::Task(task_id))));
                let answer = crate::worker_tasks::answer(task);
                CURRENT_JOB.with(|c| *c.borrow_mut() = None);
                scope.respond(id, WorkerOutput::Answer { id: task_id, answer: Box::new(answer) });
            }
        }
    }
}

impl RenderWorker {
    fn render(&mut self, scope: &WorkerScope<Self>, job: RenderJob, id: HandlerId) {
        let seq = job.seq;
        CURRENT_JOB.with(|c| *c.borrow_mut() = Some((scope.clone(), id, Current::Render(seq))));
        let start = now_ms();
        let last = Rc::new(Cell::new(f64::NEG_INFINITY));
        let progress_scope = scope.clone();
        // gloo-worker posts every `respond` at once (WorkerScope::respond →
        // postMessage), so these arrive while the plugin is still running.
        let on_progress = move |p: &Progress| {
            if p.elapsed_ms - last.get() < PROGRESS_EVERY_MS {
                return;
            }
            last.set(p.elapsed_ms);
            progress_scope.respond(
                id,
                WorkerOutput::Progress(PluginProgress { seq, elapsed_ms: p.elapsed_ms, fuel_used: p.fuel_used, pages: p.pages, http_bytes: p.http_bytes }),
            );
        };
        let host = PluginHost { clock: Some(Rc::new(BrowserClock)), network: Some(Rc::new(XhrClient)), on_progress: Some(Rc::new(on_progress)) };
        let (result, plugin) = job.run_with(&host, &mut self.plugins);
        let engine_ms = now_ms() - start;
        CURRENT_JOB.with(|c| *c.borrow_mut() = None);
        scope.respond(id, WorkerOutput::Reply(Box::new(RenderReply { seq, engine_ms, result, worker_lost: false, plugin })));
    }
}
