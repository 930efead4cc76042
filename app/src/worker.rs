//! The render worker: runs the engine in a dedicated Web Worker so that a
//! large chart never freezes typing in the editor. Two builds: without the
//! `plugins` feature for the first visit, and with it (worker_plugins.rs:
//! plugin runs) once the user chooses a plugin.

use std::cell::RefCell;

use gloo_worker::{HandlerId, Worker, WorkerScope};
use wasm_bindgen::JsCast;

use crate::protocol::{
    PluginReport, RenderFailure, RenderJob, RenderReply, Rendered, TaskAnswer, WorkerInput, WorkerOutput, WorkerTiming,
};

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
                scope.respond(id, WorkerOutput::Reply(Box::new(RenderReply::lost(seq, message))));
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

/// The worker's allocator: the system one, except that a failed allocation
/// throws a JS error that says so. Rust's default on wasm32 is a silent
/// `unreachable` trap, which the page could not tell from any other abort;
/// the error reaches the page's `error` listener (render_client.rs), which
/// restarts the worker and names the cause.
pub struct OomReporting;

#[cfg(target_arch = "wasm32")]
fn out_of_memory(size: usize) -> ! {
    // throw_str passes the text without allocating.
    let mut buf = [0u8; 96];
    let msg = oom_message(&mut buf, size);
    wasm_bindgen::throw_str(msg)
}

#[cfg(not(target_arch = "wasm32"))]
fn out_of_memory(_size: usize) -> ! {
    std::process::abort()
}

/// "out of memory: allocating N bytes failed", written into `buf` (no heap).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn oom_message(buf: &mut [u8; 96], size: usize) -> &str {
    use std::io::Write;
    let mut cur = std::io::Cursor::new(&mut buf[..]);
    let _ = write!(cur, "out of memory: allocating {size} bytes failed");
    let n = cur.position() as usize;
    std::str::from_utf8(&buf[..n]).unwrap_or("out of memory")
}

// SAFETY: every call is passed to `System` unchanged; only a null result
// (allocation failure) diverges instead of being returned.
unsafe impl std::alloc::GlobalAlloc for OomReporting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        let p = unsafe { std::alloc::System.alloc(layout) };
        if p.is_null() {
            out_of_memory(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        let p = unsafe { std::alloc::System.alloc_zeroed(layout) };
        if p.is_null() {
            out_of_memory(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { std::alloc::System.realloc(ptr, layout, new_size) };
        if p.is_null() {
            out_of_memory(new_size);
        }
        p
    }
}

// The worker's clock lives with the protocol (the engine's deadline uses it too).
use crate::protocol::now_ms;

/// gloo-worker actor: one `RenderJob` in, progress messages while a plugin
/// runs, then one `RenderReply`.
pub struct RenderWorker {
    /// The chart files of the previous job: a job lists the unchanged ones
    /// in `kept` instead of sending them again (render_client.rs keeps the
    /// page's copy of what this worker holds).
    files: std::collections::HashMap<String, Vec<u8>>,
    /// Compiled plugins and the render in progress (plugin worker only).
    #[cfg(feature = "plugins")]
    plugins: crate::worker_plugins::PluginRuns,
}

impl Worker for RenderWorker {
    type Message = ();
    type Input = WorkerInput;
    type Output = WorkerOutput;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        // Keep parsed templates between renders: a keystroke in values.yaml
        // re-renders unchanged templates (engine/src/template/cache.rs).
        chartroom_engine::template::cache::enable();
        RenderWorker {
            files: Default::default(),
            #[cfg(feature = "plugins")]
            plugins: Default::default(),
        }
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, input: Self::Input, id: HandlerId) {
        match input {
            WorkerInput::Render(job) => self.render(scope, *job, id),
            WorkerInput::Task { id: task_id, task } => {
                // A render may be waiting on a plugin's HTTP request: it is
                // the job again once this task is answered.
                let before = CURRENT_JOB.with(|c| c.borrow_mut().replace((scope.clone(), id, Current::Task(task_id))));
                let answer = crate::worker_tasks::answer(task);
                CURRENT_JOB.with(|c| *c.borrow_mut() = before);
                scope.respond(id, WorkerOutput::Answer { id: task_id, answer: Box::new(answer) });
            }
            // Only a plugin waiting on the network can be stopped (and only
            // the plugin worker awaits anything).
            #[cfg(feature = "plugins")]
            WorkerInput::Cancel { seq } => self.plugins.cancel(seq),
            #[cfg(not(feature = "plugins"))]
            WorkerInput::Cancel { .. } => {}
        }
    }
}

impl RenderWorker {
    fn render(&mut self, scope: &WorkerScope<Self>, mut job: RenderJob, id: HandlerId) {
        let received_at = crate::protocol::abs_now_ms();
        crate::protocol::EXPLAIN_MS.with(|e| e.set(0.0));
        let missing = self.fill_files(&mut job);
        let fill_ms = crate::protocol::abs_now_ms() - received_at;
        TIMING.with(|t| t.set(WorkerTiming { received_at, fill_ms, ..WorkerTiming::default() }));
        if let Some(path) = missing {
            // The page's record of this worker's files is wrong (it never
            // should be): the worker is replaced and the job sent in full.
            let message = format!("internal error: the render worker does not hold {path}; it was restarted");
            scope.respond(id, WorkerOutput::Reply(Box::new(RenderReply::lost(job.seq, message))));
            return;
        }
        CURRENT_JOB.with(|c| *c.borrow_mut() = Some((scope.clone(), id, Current::Render(job.seq))));
        chartroom_engine::sprig::ondemand::take_wanted();
        // The plugin worker may wait on a plugin's HTTP request and answer
        // later; the first-visit worker renders and answers at once.
        #[cfg(feature = "plugins")]
        {
            let (seq, start) = (job.seq, now_ms());
            let progress = scope.clone();
            let answer = scope.clone();
            crate::worker_plugins::render(
                &self.plugins,
                job,
                move |out| progress.respond(id, out),
                move |result, plugin| reply(&answer, id, seq, start, result, plugin),
            );
        }
        #[cfg(not(feature = "plugins"))]
        {
            let (seq, start) = (job.seq, now_ms());
            let (result, plugin) = job.render_plain();
            reply(scope, id, seq, start, result, plugin);
        }
    }
}

impl RenderWorker {
    /// Completes `job.files` with the `kept` files of the previous job and
    /// remembers the result for the next one; the first kept path this
    /// worker does not hold, if any.
    fn fill_files(&mut self, job: &mut RenderJob) -> Option<String> {
        let mut previous = std::mem::take(&mut self.files);
        let mut missing = None;
        for path in std::mem::take(&mut job.kept) {
            match previous.remove(&path) {
                Some(bytes) => job.files.push((path, bytes)),
                None => {
                    missing.get_or_insert(path);
                }
            }
        }
        self.files = job.files.iter().cloned().collect();
        missing
    }
}

thread_local! {
    /// The worker's timing of the render in progress (sent with its reply).
    static TIMING: std::cell::Cell<WorkerTiming> = const { std::cell::Cell::new(WorkerTiming {
        received_at: 0.0, fill_ms: 0.0, explain_ms: 0.0, replied_at: 0.0,
    }) };
}

/// Answers render `seq` (started at `start`) and ends its panic bookkeeping.
fn reply(
    scope: &WorkerScope<RenderWorker>,
    id: HandlerId,
    seq: u64,
    start: f64,
    result: Result<Rendered, RenderFailure>,
    plugin: Option<PluginReport>,
) {
    let engine_ms = now_ms() - start;
    CURRENT_JOB.with(|c| *c.borrow_mut() = None);
    // Also for a render that succeeded: a lean build's failure may have been
    // swallowed on the way (a pattern that did not compile), so only the
    // full worker's output is shown.
    let needs_full = chartroom_engine::sprig::ondemand::take_wanted();
    let timing = WorkerTiming {
        explain_ms: crate::protocol::EXPLAIN_MS.with(|e| e.get()),
        replied_at: crate::protocol::abs_now_ms(),
        ..TIMING.with(|t| t.get())
    };
    let reply = RenderReply { seq, engine_ms, result, worker_lost: false, plugin, needs_full, timing };
    scope.respond(id, WorkerOutput::Reply(Box::new(reply)));
}
