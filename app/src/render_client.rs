//! The page's side of the render worker: debouncing, sequence numbers, one job
//! in flight at a time, and a watchdog that replaces a worker that stopped
//! answering (a trapped or hung engine must not leave the page stuck).

use std::sync::Arc;
use std::time::Duration;

use gloo_worker::{Spawnable, WorkerBridge};
use leptos::prelude::*;

use crate::files::ChartFiles;
use crate::options::Options;
use crate::protocol::{
    AppError, PluginInfo, PluginProgress, PluginReport, RenderFailure, RenderJob, RenderReply, Rendered, Task,
    TaskAnswer, WorkerInput, WorkerOutput,
};
use crate::worker::RenderWorker;

/// Quiet time after the last keystroke before rendering (big charts, and
/// before the first render has been timed).
pub const DEBOUNCE: Duration = Duration::from_millis(150);
/// Quiet time for charts that render fast: typing still coalesces into few
/// renders, but the output follows within a frame or three.
pub const FAST_DEBOUNCE: Duration = Duration::from_millis(25);

/// The debounce after the last render took `engine_ms`: short for small
/// charts (hello-world renders in a few ms), the full pause for big ones.
pub fn debounce_after(engine_ms: Option<f64>) -> Duration {
    match engine_ms {
        // Half the last render time, within [FAST_DEBOUNCE, DEBOUNCE]: a render
        // never waits much longer for quiet than it takes itself.
        Some(ms) if ms.is_finite() && ms >= 0.0 => {
            let half = Duration::from_secs_f64(ms / 2000.0);
            half.clamp(FAST_DEBOUNCE, DEBOUNCE)
        }
        _ => DEBOUNCE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debounce_follows_render_time() {
        assert_eq!(debounce_after(None), DEBOUNCE);
        assert_eq!(debounce_after(Some(2.0)), FAST_DEBOUNCE);
        assert_eq!(debounce_after(Some(120.0)), Duration::from_millis(60));
        assert_eq!(debounce_after(Some(5000.0)), DEBOUNCE);
        assert_eq!(debounce_after(Some(f64::NAN)), DEBOUNCE);
    }

    #[test]
    fn supersede_waits_longer_for_charts_that_render_slowly() {
        assert_eq!(supersede_after(None), SUPERSEDE_AFTER);
        assert_eq!(supersede_after(Some(65.0)), SUPERSEDE_AFTER);
        assert_eq!(supersede_after(Some(900.0)), Duration::from_millis(1800));
        assert_eq!(supersede_after(Some(f64::INFINITY)), SUPERSEDE_AFTER);
    }
}

/// The failure for an answer that is not the one a task expects (the
/// worker crashed on it).
pub fn task_failure(a: TaskAnswer) -> AppError {
    AppError::Worker(match a {
        TaskAnswer::Failed(m) => m,
        _ => "the render worker gave an unexpected answer".to_string(),
    })
}

/// A render taking longer than this is treated as a dead worker.
pub const WATCHDOG: Duration = Duration::from_secs(20);
/// A render still running this long after a newer edit arrived is
/// superseded: its worker is terminated and the newest edit renders in a
/// fresh one. Shorter renders are simply let finish (a fresh worker costs a
/// start-up and loses the parse cache, more than waiting for them).
pub const SUPERSEDE_AFTER: Duration = Duration::from_millis(400);

/// The time a running render is given after a newer edit before it is
/// superseded: `SUPERSEDE_AFTER`, or twice the last render's engine time
/// for charts that normally take longer (so typing in a big chart does not
/// restart the worker on every keystroke).
pub fn supersede_after(engine_ms: Option<f64>) -> Duration {
    match engine_ms {
        Some(ms) if ms.is_finite() && ms > 0.0 => SUPERSEDE_AFTER.max(Duration::from_secs_f64(ms * 2.0 / 1000.0)),
        _ => SUPERSEDE_AFTER,
    }
}

/// The watchdog, overridable for tests with `?watchdog_ms=N` (a runaway
/// test cannot wait 20 s per case).
fn watchdog() -> Duration {
    crate::embed::query_param(&crate::web::query(), "watchdog_ms")
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|ms| *ms >= 100)
        .map(Duration::from_millis)
        .unwrap_or(WATCHDOG)
}

/// The page's render deadline (`PAGE_TIMEOUT_MS`), overridable for tests
/// with `?deadline_ms=N`.
fn timeout_ms() -> u64 {
    crate::embed::query_param(&crate::web::query(), "deadline_ms")
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|ms| *ms >= 100)
        .unwrap_or(crate::protocol::PAGE_TIMEOUT_MS)
}

/// The deadline as the engine's message writes it (Go's Duration.String).
fn timeout_label() -> String {
    chartroom_engine::sprig::date::format_duration(timeout_ms() as i64 * 1_000_000)
}

/// What a worker's uncaught error means, for the page's message.
pub fn describe_worker_death(message: &str) -> String {
    let cause = if message.contains("out of memory") || message.contains("Out of memory") {
        "it ran out of memory"
    } else if message.contains("call stack") || message.contains("memory access out of bounds") {
        "stack overflow"
    } else if message.contains("unreachable") {
        "the engine aborted (a WebAssembly trap)"
    } else {
        "an uncaught error"
    };
    let detail = message.trim().trim_start_matches("Uncaught ").trim();
    if detail.is_empty() {
        format!("The render worker died ({cause}).")
    } else {
        format!("The render worker died ({cause}: {detail}).")
    }
}

// gloo-worker keeps the `web_sys::Worker` it spawns to itself, and dropping
// its bridge only posts a "destroy" message that a worker busy in a render
// never reads: a runaway worker would keep computing in the background. The
// page therefore records every Worker it constructs (a subclass installed
// once before the first spawn) and takes the one just made, so it can
// `terminate()` it.
#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
export function trackWorkers() {
  if (globalThis.__chartroomWorkers) return;
  const Native = globalThis.Worker;
  const made = [];
  globalThis.__chartroomWorkers = made;
  globalThis.Worker = class extends Native {
    constructor(...args) {
      // The worker public/prespawn.js started before the page's wasm
      // loaded: taken for the first spawn with its loader (the messages it
      // sent meanwhile are delivered once gloo-worker's handler is set, in
      // this same turn), ended if the page starts another one instead.
      const pre = globalThis.__chartroomPrespawned;
      if (pre) {
        globalThis.__chartroomPrespawned = undefined;
        pre.worker.removeEventListener('message', pre.keep);
        if (String(args[0]) === pre.url) {
          made.push(pre.worker);
          queueMicrotask(() => {
            for (const data of pre.early) pre.worker.dispatchEvent(new MessageEvent('message', { data }));
          });
          return pre.worker;
        }
        pre.worker.terminate();
      }
      super(...args);
      made.push(this);
    }
  };
}
export function takeLastWorker() {
  const made = globalThis.__chartroomWorkers;
  return made && made.length ? made.pop() : undefined;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = trackWorkers)]
    fn track_workers();
    #[wasm_bindgen(js_name = takeLastWorker)]
    fn take_last_worker() -> Option<web_sys::Worker>;
}
/// trunk writes these shims next to index.html (Trunk.toml: filehash =
/// false). The first is the first-visit worker (no plugin host); the second
/// adds the Wasm plugin host (wasmi) and is loaded once a render needs it.
const WORKER_LOADER: &str = "./worker_loader.js";
const PLUGIN_WORKER_LOADER: &str = "./worker-plugins_loader.js";

/// What the render depends on (read when a job is built).
#[derive(Clone, Copy)]
pub struct RenderInputs {
    pub files: RwSignal<ChartFiles>,
    pub options: RwSignal<Options>,
    /// plugin.wasm of the chosen plugin (`options.plugin`), once loaded.
    pub plugin_wasm: RwSignal<Option<Arc<Vec<u8>>>>,
    /// Plugins may run at all: false in an embed whose page did not opt in
    /// (`plugins=1`); renders then leave the plugin out.
    pub plugins_allowed: bool,
}

/// What the output pane shows.
#[derive(Clone, Copy)]
pub struct RenderOutputs {
    /// The newest successful render (kept while an error is shown).
    pub rendered: RwSignal<Option<Rendered>>,
    /// The newest job's error, if it failed.
    pub error: RwSignal<Option<RenderFailure>>,
    /// An edit is waiting for its render.
    pub busy: RwSignal<bool>,
    /// Engine time of the newest shown render, in ms.
    pub engine_ms: RwSignal<Option<f64>>,
    /// Sequence number of the shown result (for tests and debugging).
    pub shown_seq: RwSignal<u64>,
    /// `performance.now()` when the shown result arrived.
    pub shown_at: RwSignal<f64>,
    /// The plugin's run in the shown render.
    pub plugin: RwSignal<Option<PluginReport>>,
    /// Live meters of the plugin running now (None when none runs).
    pub progress: RwSignal<Option<PluginProgress>>,
    /// The plugin settings could not make a job (bad fuel budget, mock line).
    pub plugin_settings_error: RwSignal<Option<String>>,
    /// The worker's description of the chosen plugin.yaml (name, type,
    /// limits table); None when no plugin is chosen.
    pub plugin_info: RwSignal<Option<PluginInfo>>,
    /// `performance.now()` when the render in flight was sent (None when
    /// none runs): the status shows the elapsed time and a Stop button.
    pub running_since: RwSignal<Option<f64>>,
    /// The render worker died (out of memory, stack overflow, a trap) and
    /// was restarted: what happened, until the next render is shown.
    pub worker_crash: RwSignal<Option<String>>,
}

impl RenderOutputs {
    pub fn new() -> Self {
        RenderOutputs {
            rendered: RwSignal::new(None),
            error: RwSignal::new(None),
            busy: RwSignal::new(true),
            engine_ms: RwSignal::new(None),
            shown_seq: RwSignal::new(0),
            shown_at: RwSignal::new(0.0),
            plugin: RwSignal::new(None),
            progress: RwSignal::new(None),
            plugin_settings_error: RwSignal::new(None),
            plugin_info: RwSignal::new(None),
            running_since: RwSignal::new(None),
            worker_crash: RwSignal::new(None),
        }
    }
}

impl Default for RenderOutputs {
    fn default() -> Self {
        Self::new()
    }
}

/// Called with a task's answer.
type TaskDone = Box<dyn FnOnce(TaskAnswer)>;

#[derive(Default)]
struct ClientState {
    bridge: Option<WorkerBridge<RenderWorker>>,
    /// The Web Worker behind `bridge`, to terminate it.
    native: Option<web_sys::Worker>,
    /// Counts spawned workers: an `error` event from a replaced worker is
    /// ignored.
    generation: u64,
    /// The `error` listener of `native` (kept alive with it).
    on_error: Option<wasm_bindgen::closure::Closure<dyn FnMut(web_sys::Event)>>,
    /// `performance.now()` when the job in flight was sent.
    sent_at: f64,
    /// Pending check that supersedes a long render once a newer edit waits.
    supersede: Option<TimeoutHandle>,
    /// Sequence number of the newest job built.
    issued: u64,
    /// The job the worker is working on.
    in_flight: Option<u64>,
    /// The newest job built while another was in flight (older ones are dropped).
    queued: Option<RenderJob>,
    /// The job in flight already asked to stop (one Cancel per job).
    cancel_sent: Option<u64>,
    debounce: Option<TimeoutHandle>,
    watchdog: Option<TimeoutHandle>,
    /// Jobs run the chosen cli/v1 plugin (the panel's Run button) until a
    /// reply with its run is shown (a newer job may supersede the first).
    run_cli_pending: bool,
    /// Id of the last task sent.
    task_ids: u64,
    /// The worker in use is the full one (worker-plugins: the plugin host,
    /// lint, the Kubernetes check, repositories, the key/certificate and
    /// TOML functions), kept once loaded.
    plugin_worker: bool,
    /// A task needs the full worker but a render is in flight: the switch
    /// waits for its reply (replacing the worker would end that render).
    switch_pending: bool,
    /// Tasks not answered yet: sent again to a replacement worker, so a
    /// restart (watchdog, crash) never loses one.
    tasks: Vec<(u64, Task, TaskDone)>,
    /// The chart files the current worker holds (those of the last job sent
    /// to it): a job sends only the files that differ and lists the others
    /// in `kept`. Emptied when a worker is spawned.
    worker_files: std::collections::HashMap<String, Vec<u8>>,
    /// When the first edit not yet rendered was made (`schedule`).
    edit_at: Option<f64>,
    /// `performance.now()` of the newest edit (`schedule`).
    last_edit_at: f64,
    /// The page's side of recent jobs, by seq, for the latency breakdown.
    timings: Vec<(u64, JobTiming)>,
    /// Jobs ask for the values' origins (the Explain panel is open).
    explain_values: bool,
}

/// The page's side of one job (see `Renderer::record_timing`).
#[derive(Clone, Copy, Default)]
struct JobTiming {
    /// `performance.now()` of the edit, of the job's build, of its send.
    edit_at: f64,
    fired_at: f64,
    build_ms: f64,
    /// bridge.send: bincode encoding and postMessage's structured clone.
    post_ms: f64,
    /// `abs_now_ms()` once posted.
    posted_abs: f64,
    /// Bytes of file contents sent, and files kept in the worker.
    sent_bytes: usize,
    kept_files: usize,
}

/// The files of `job` that `held` (what the worker holds) has unchanged
/// move to `job.kept`; `held` becomes the job's full set. Returns the bytes
/// still sent.
fn keep_unchanged(held: &mut std::collections::HashMap<String, Vec<u8>>, job: &mut RenderJob) -> usize {
    let mut next = std::collections::HashMap::with_capacity(job.files.len());
    let mut sent = Vec::new();
    let mut bytes = 0;
    for (path, content) in std::mem::take(&mut job.files) {
        match held.remove(&path) {
            Some(old) if old == content => {
                job.kept.push(path.clone());
                next.insert(path, old);
            }
            _ => {
                bytes += content.len();
                next.insert(path.clone(), content.clone());
                sent.push((path, content));
            }
        }
    }
    job.files = sent;
    *held = next;
    bytes
}

/// Whether `job` calls what only the full worker has, reading the files
/// the worker does not already hold unchanged.
fn job_needs_full(held: &std::collections::HashMap<String, Vec<u8>>, job: &RenderJob) -> bool {
    crate::worker_tasks::render_needs_full(
        job.files
            .iter()
            .filter(|(path, content)| held.get(path) != Some(content))
            .map(|(path, content)| (path.as_str(), content.as_slice())),
    )
}

/// `?full_send=1`: every job sends the whole chart (the behaviour before
/// jobs kept unchanged files in the worker; the e2e test compares both).
fn full_send() -> bool {
    crate::embed::query_param(&crate::web::query(), "full_send").is_some_and(|v| v == "1")
}

/// Handle to the render machinery; `Copy`, so closures can capture it.
#[derive(Clone, Copy)]
pub struct Renderer {
    state: StoredValue<ClientState, LocalStorage>,
    inputs: RenderInputs,
    outputs: RenderOutputs,
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or_else(js_sys::Date::now)
}

impl Renderer {
    pub fn new(inputs: RenderInputs, outputs: RenderOutputs) -> Self {
        // A workspace that starts with a plugin (autosave, share link) loads
        // the worker with the plugin host straight away.
        let plugin_worker = inputs.plugins_allowed
            && inputs.options.with_untracked(|o| o.plugin.has_plugin() && !o.plugin.needs_consent);
        let r = Renderer {
            state: StoredValue::new_local(ClientState { plugin_worker, ..ClientState::default() }),
            inputs,
            outputs,
        };
        r.spawn_worker();
        r.install_crash_hook();
        // The chosen plugin.yaml, described by the worker (the page does not
        // parse YAML): asked again whenever the text changes.
        let yaml = Memo::new(move |_| inputs.options.with(|o| o.plugin.has_plugin().then(|| o.plugin.yaml.clone())));
        Effect::new(move |_| match yaml.get() {
            None => outputs.plugin_info.set(None),
            Some(y) => {
                if outputs.plugin_info.with_untracked(|i| i.as_ref().is_some_and(|i| i.yaml == y)) {
                    return;
                }
                r.task(Task::PluginInfo { yaml: y }, move |a| {
                    // Only the answer for the text still chosen is kept.
                    if let TaskAnswer::PluginInfo(info) = a {
                        if yaml.with_untracked(|cur| cur.as_ref() == Some(&info.yaml)) {
                            outputs.plugin_info.set(Some(info));
                        }
                    }
                })
            }
        });
        r
    }

    fn spawn_worker(self) {
        track_workers();
        let bridge = RenderWorker::spawner()
            .callback(move |out: WorkerOutput| match out {
                WorkerOutput::Reply(reply) => self.on_reply(*reply),
                WorkerOutput::Progress(p) => self.on_progress(p),
                WorkerOutput::Answer { id, answer } => self.on_answer(id, *answer),
            })
            .spawn_with_loader(if self.state.with_value(|s| s.plugin_worker) {
                PLUGIN_WORKER_LOADER
            } else {
                WORKER_LOADER
            });
        let native = take_last_worker();
        let generation = self.state.try_update_value(|s| {
            s.generation += 1;
            s.generation
        });
        // A worker that dies without answering (a trap, running out of
        // memory, a stack overflow: an uncaught exception in the worker)
        // fires `error` here; it is replaced at once.
        let on_error = native.as_ref().zip(generation).map(|(w, generation)| {
            let cb = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
                e.prevent_default();
                let message = js_sys::Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string());
                self.on_worker_error(generation, message.unwrap_or_default());
            });
            let _ = w.add_event_listener_with_callback("error", wasm_bindgen::JsCast::unchecked_ref(cb.as_ref()));
            cb
        });
        // A replacement worker gets the tasks its predecessor left unanswered.
        self.state.update_value(|s| {
            s.native = native;
            s.on_error = on_error;
            // A new worker holds no files: its first job sends them all.
            s.worker_files.clear();
            // A switch to the full worker waiting for a render's reply is
            // done by any replacement (Stop, watchdog, crash): it is spawned
            // as the full one. A flag left set would restart it once more.
            if s.plugin_worker {
                s.switch_pending = false;
            }
            for (id, task, _) in &s.tasks {
                bridge.send(WorkerInput::Task { id: *id, task: task.clone() });
            }
            s.bridge = Some(bridge);
        });
    }

    /// Asks the worker for engine work; `done` gets its answer. Tasks queue
    /// behind a render in flight (the worker does one thing at a time) and
    /// are not subject to newest-wins: each is answered once.
    pub fn task(self, task: Task, done: impl FnOnce(TaskAnswer) + 'static) {
        // Lint, the Kubernetes check, repositories and plugin.yaml live in
        // the full worker: the first such task loads it (the new worker gets
        // every unanswered task, this one included).
        let switch = crate::worker_tasks::needs_full_worker(&task) && !self.state.with_value(|s| s.plugin_worker);
        self.state.update_value(|s| {
            s.task_ids += 1;
            let id = s.task_ids;
            if switch {
                s.plugin_worker = true;
                s.switch_pending = true;
            } else if let Some(bridge) = &s.bridge {
                bridge.send(WorkerInput::Task { id, task: task.clone() });
            }
            s.tasks.push((id, task, Box::new(done)));
        });
        if switch && self.state.with_value(|s| s.in_flight.is_none()) {
            self.switch_to_full_worker();
        }
    }

    /// A workspace with `files` is about to be shown (an import, an embed's
    /// `chartroom:load`, a link): when its templates call what only the full
    /// worker has, that worker starts loading now, while the page is still
    /// busy taking the files in (file list, editor), instead of when the
    /// first job is sent (issue 21: first import of kube-prometheus-stack).
    /// A render in flight in the first-visit worker finishes first, as for
    /// a task that needs the full worker.
    pub fn prepare_for(self, files: &ChartFiles) {
        if self.state.with_value(|s| s.plugin_worker) {
            return;
        }
        if !crate::worker_tasks::render_needs_full(files.iter().map(|f| (f.path.as_str(), f.content.bytes()))) {
            return;
        }
        if self.state.with_value(|s| s.in_flight.is_none()) {
            self.switch_to_full_worker();
        } else {
            self.state.update_value(|s| {
                s.plugin_worker = true;
                s.switch_pending = true;
            });
        }
    }

    /// Replaces the first-visit worker with the full one (nothing in flight).
    fn switch_to_full_worker(self) {
        self.state.update_value(|s| {
            s.plugin_worker = true;
            s.switch_pending = false;
        });
        self.replace_worker();
    }

    fn on_answer(self, id: u64, answer: TaskAnswer) {
        let failed = matches!(answer, TaskAnswer::Failed(_));
        let done = self
            .state
            .try_update_value(|s| s.tasks.iter().position(|t| t.0 == id).map(|i| s.tasks.remove(i).2))
            .flatten();
        if let TaskAnswer::Failed(m) = &answer {
            self.outputs
                .worker_crash
                .set(Some(format!("The render worker crashed ({m}). It was restarted; your files are unchanged.")));
        }
        if failed {
            // The worker crashed on it and closed itself: a render in flight
            // will not be answered either, so start a fresh one now.
            self.replace_worker_after_crash();
        }
        if let Some(done) = done {
            done(answer);
        }
    }

    /// Called on every change: renders after `DEBOUNCE` of quiet (or at once).
    pub fn schedule(self, immediate: bool) {
        self.outputs.busy.set(true);
        self.state.update_value(|s| {
            s.edit_at.get_or_insert_with(now_ms);
        });
        let debounce = debounce_after(self.outputs.engine_ms.get_untracked());
        // The first edit after a quiet spell renders at once (a single
        // keystroke shows without waiting): no edit for longer than the
        // debounce, nothing pending or running. Edits that follow it within
        // the debounce wait for quiet as before, so typing still coalesces.
        let now = now_ms();
        let idle = self.state.with_value(|s| {
            s.debounce.is_none()
                && s.in_flight.is_none()
                && s.queued.is_none()
                && now - s.last_edit_at >= debounce.as_secs_f64() * 1000.0
        });
        self.state.update_value(|s| s.last_edit_at = now);
        if let Some(h) = self.state.try_update_value(|s| s.debounce.take()).flatten() {
            h.clear();
        }
        if immediate || idle {
            self.fire();
            return;
        }
        match set_timeout_with_handle(move || self.fire(), debounce) {
            Ok(h) => self.state.update_value(|s| s.debounce = Some(h)),
            Err(_) => self.fire(),
        }
    }

    /// The Explain panel opened (`on`) or closed: renders work out where
    /// each value came from only while it is open. Opening it over a render
    /// made without them renders again at once.
    pub fn explain_values(self, on: bool) {
        self.state.update_value(|s| s.explain_values = on);
        let missing = self
            .outputs
            .rendered
            .with_untracked(|r| r.as_ref().is_some_and(|r| r.explain.as_ref().is_some_and(|e| !e.values_explained)));
        if on && missing {
            self.schedule(true);
        }
    }

    /// Renders now and runs the chosen cli/v1 plugin with it.
    pub fn run_cli(self) {
        self.state.update_value(|s| s.run_cli_pending = true);
        self.schedule(true);
    }

    fn build_job(self, seq: u64) -> RenderJob {
        let files = self.inputs.files.with_untracked(|f| f.to_bytes());
        let mut job = self.inputs.options.with_untracked(|o| RenderJob::new(seq, files, o));
        job.timeout_ms = Some(timeout_ms());
        job.explain_values = self.state.with_value(|s| s.explain_values);
        let run_cli = self.state.with_value(|s| s.run_cli_pending);
        let settings = self.inputs.options.with_untracked(|o| o.plugin.clone());
        // An uploaded plugin carries its wasm; a bundled one is fetched by the
        // panel (until it arrives the chart renders without it).
        let wasm = settings
            .uploaded_wasm()
            .or_else(|| self.inputs.plugin_wasm.with_untracked(|w| w.as_ref().map(|w| w.to_vec())))
            .filter(|_| self.inputs.plugins_allowed);
        match wasm.map(|w| settings.job(w, run_cli)) {
            Some(Ok(pj)) => {
                job.plugin = pj;
                self.outputs.plugin_settings_error.set(None);
            }
            Some(Err(e)) => self.outputs.plugin_settings_error.set(Some(e.to_string())),
            None => self.outputs.plugin_settings_error.set(None),
        }
        job
    }

    fn on_progress(self, p: PluginProgress) {
        if self.state.with_value(|s| s.in_flight == Some(p.seq)) {
            self.outputs.progress.set(Some(p));
        }
    }

    fn fire(self) {
        let Some(seq) = self.state.try_update_value(|s| {
            s.debounce = None;
            s.issued += 1;
            s.issued
        }) else {
            return;
        };
        let fired_at = now_ms();
        let job = self.build_job(seq);
        let build_ms = now_ms() - fired_at;
        self.state.update_value(|s| {
            let edit_at = s.edit_at.take().unwrap_or(fired_at);
            s.timings.retain(|(q, _)| *q + 8 > seq);
            s.timings.push((seq, JobTiming { edit_at, fired_at, build_ms, ..JobTiming::default() }));
        });
        let busy = self.state.with_value(|s| s.in_flight.is_some());
        if busy {
            // Replaces any older queued job: only the newest edit matters.
            // The job in flight is asked to stop if it is only waiting on a
            // plugin's HTTP request (a computing render finishes first).
            self.state.update_value(|s| {
                s.queued = Some(job);
                if let (Some(seq), Some(bridge)) = (s.in_flight, &s.bridge) {
                    if s.cancel_sent != Some(seq) {
                        s.cancel_sent = Some(seq);
                        bridge.send(WorkerInput::Cancel { seq });
                    }
                }
            });
            self.arm_supersede();
        } else {
            self.send(job);
        }
    }

    fn send(self, job: RenderJob) {
        let seq = job.seq;
        // The first job with a plugin moves to the worker with the plugin
        // host (nothing is in flight when a job is sent; unanswered tasks
        // are sent again to the new worker).
        // So does a job whose chart calls what only the full worker has
        // (a certificate, TOML or regex function, semver constraints, a
        // schema): it goes there at once instead of failing in the
        // first-visit worker first. Files the worker holds were checked.
        let lean = !self.state.with_value(|s| s.plugin_worker);
        if lean && (job.plugin.is_some() || self.state.with_value(|s| job_needs_full(&s.worker_files, &job))) {
            self.state.update_value(|s| s.plugin_worker = true);
            self.replace_worker();
        }
        let watchdog = set_timeout_with_handle(move || self.on_timeout(seq), watchdog()).ok();
        let sent_at = now_ms();
        self.outputs.running_since.set(Some(sent_at));
        self.state.update_value(|s| {
            s.in_flight = Some(seq);
            s.sent_at = sent_at;
            if let Some(old) = std::mem::replace(&mut s.watchdog, watchdog) {
                old.clear();
            }
            let mut job = job;
            let sent_bytes = if full_send() {
                s.worker_files.clear();
                job.files.iter().map(|f| f.1.len()).sum()
            } else {
                keep_unchanged(&mut s.worker_files, &mut job)
            };
            let kept_files = job.kept.len();
            let t0 = now_ms();
            if let Some(bridge) = &s.bridge {
                bridge.send(WorkerInput::Render(Box::new(job)));
            }
            let post_ms = now_ms() - t0;
            if let Some((_, t)) = s.timings.iter_mut().find(|(q, _)| *q == seq) {
                *t = JobTiming { post_ms, posted_abs: crate::protocol::abs_now_ms(), sent_bytes, kept_files, ..*t };
            }
        });
    }

    fn on_reply(self, reply: RenderReply) {
        let reply_abs = crate::protocol::abs_now_ms();
        let Some((latest, next)) = self
            .state
            .try_update_value(|s| {
                if s.in_flight != Some(reply.seq) {
                    return None; // a reply from before a watchdog restart
                }
                s.in_flight = None;
                self.outputs.running_since.set(None);
                if let Some(h) = s.watchdog.take() {
                    h.clear();
                }
                if let Some(h) = s.supersede.take() {
                    h.clear();
                }
                Some((s.issued, s.queued.take()))
            })
            .flatten()
        else {
            return;
        };
        if reply.worker_lost {
            self.replace_worker();
        }
        let pending = self.state.with_value(|s| s.switch_pending);
        if reply.needs_full && !reply.worker_lost {
            // The first-visit worker lacks a function this chart calls: the
            // full worker renders it again (the newest edit, if one waits).
            self.switch_to_full_worker();
            match next {
                Some(job) => self.send(job),
                None => self.fire(),
            }
            return;
        }
        if pending {
            self.switch_to_full_worker();
        }
        if reply.seq == latest {
            let (seq, engine_ms, timing) = (reply.seq, reply.engine_ms, reply.timing);
            let t0 = now_ms();
            self.show(reply);
            self.record_timing(seq, engine_ms, timing, reply_abs, t0);
        }
        if let Some(job) = next {
            self.send(job);
        }
    }

    /// A task crashed the worker (it closed itself): a render sent after the
    /// task will never be answered, so it fails now as at the watchdog;
    /// otherwise the worker is simply replaced.
    fn replace_worker_after_crash(self) {
        match self.state.with_value(|s| s.in_flight) {
            Some(seq) => self.on_timeout(seq),
            None => self.replace_worker(),
        }
    }

    /// Terminates the current worker (busy or not: nothing it still does
    /// is wanted) and starts a new one.
    fn replace_worker(self) {
        self.kill_worker();
        self.spawn_worker();
    }

    /// Ends the current worker at once: `terminate()` stops a render in the
    /// middle of its computation, so no abandoned worker keeps a core busy.
    fn kill_worker(self) {
        let (bridge, native, on_error) =
            self.state.try_update_value(|s| (s.bridge.take(), s.native.take(), s.on_error.take())).unwrap_or_default();
        if let Some(native) = native {
            // An `error` already queued (the trap after a panic) must not
            // reach the listener once its closure is dropped.
            if let Some(cb) = &on_error {
                let _ = native
                    .remove_event_listener_with_callback("error", wasm_bindgen::JsCast::unchecked_ref(cb.as_ref()));
            }
            native.terminate();
        }
        drop(bridge);
        drop(on_error);
    }

    /// A newer edit waits behind the render in flight: if that render is
    /// still running `supersede_after` after it was sent, it is given up.
    fn arm_supersede(self) {
        let Some((seq, sent_at, armed)) =
            self.state.with_value(|s| s.in_flight.map(|seq| (seq, s.sent_at, s.supersede.is_some())))
        else {
            return;
        };
        if armed {
            return;
        }
        let due = supersede_after(self.outputs.engine_ms.get_untracked()).as_secs_f64() * 1000.0;
        let wait = Duration::from_secs_f64(((sent_at + due) - now_ms()).max(0.0) / 1000.0);
        if let Ok(h) = set_timeout_with_handle(move || self.supersede(seq), wait) {
            self.state.update_value(|s| s.supersede = Some(h));
        }
    }

    /// Gives up the render `seq` for the newer job queued behind it: the
    /// worker is terminated and a fresh one renders the newest edit. The
    /// superseded render is never shown (a newer one is on its way).
    fn supersede(self, seq: u64) {
        let Some(queued) = self
            .state
            .try_update_value(|s| {
                s.supersede = None;
                if s.in_flight != Some(seq) || s.queued.is_none() {
                    return None;
                }
                s.in_flight = None;
                if let Some(h) = s.watchdog.take() {
                    h.clear();
                }
                s.queued.take()
            })
            .flatten()
        else {
            return;
        };
        self.replace_worker();
        self.outputs.progress.set(None);
        self.send(queued);
    }

    /// Where the time of the shown job `seq` went, from the edit to the
    /// output on screen, pushed to `window.__chartroomTimings` (read by
    /// scripts/bench-browser.mjs; the newest 50 are kept). `paint_ms` (the
    /// signals' DOM updates, style, layout and the next frame) is filled in
    /// after the frame, with `total_painted_ms`.
    fn record_timing(
        self,
        seq: u64,
        engine_ms: f64,
        w: crate::protocol::WorkerTiming,
        reply_abs: f64,
        show_start: f64,
    ) {
        let Some(t) = self.state.with_value(|s| s.timings.iter().find(|(q, _)| *q == seq).map(|(_, t)| *t)) else {
            return;
        };
        let shown_at = now_ms();
        let obj = js_sys::Object::new();
        let set = |k: &str, v: f64| {
            let _ = js_sys::Reflect::set(&obj, &k.into(), &v.into());
        };
        set("seq", seq as f64);
        set("debounce_ms", t.fired_at - t.edit_at);
        set("build_ms", t.build_ms);
        set("post_ms", t.post_ms);
        set("sent_bytes", t.sent_bytes as f64);
        set("kept_files", t.kept_files as f64);
        set("to_worker_ms", w.received_at - t.posted_abs);
        set("fill_ms", w.fill_ms);
        set("engine_ms", engine_ms);
        set("explain_ms", w.explain_ms);
        set("from_worker_ms", reply_abs - w.replied_at);
        set("show_ms", shown_at - show_start);
        set("total_ms", shown_at - t.edit_at);
        let global = js_sys::global();
        let list = match js_sys::Reflect::get(&global, &"__chartroomTimings".into()) {
            // The array itself (`Array::from` would push onto a copy).
            Ok(v) if js_sys::Array::is_array(&v) => wasm_bindgen::JsCast::unchecked_into::<js_sys::Array>(v),
            _ => {
                let a = js_sys::Array::new();
                let _ = js_sys::Reflect::set(&global, &"__chartroomTimings".into(), &a);
                a
            }
        };
        list.push(&obj);
        if list.length() > 50 {
            list.shift();
        }
        let edit_at = t.edit_at;
        // After the frame that shows it: rAF runs before style and layout,
        // a timeout queued there runs after the frame's paint.
        request_animation_frame(move || {
            set_timeout(
                move || {
                    let now = now_ms();
                    let _ = js_sys::Reflect::set(&obj, &"paint_ms".into(), &(now - shown_at).into());
                    let _ = js_sys::Reflect::set(&obj, &"total_painted_ms".into(), &(now - edit_at).into());
                },
                Duration::ZERO,
            );
        });
    }

    fn show(self, reply: RenderReply) {
        let o = self.outputs;
        o.progress.set(None);
        // A render without Run keeps the shown run of the same cli/v1 plugin.
        let keep = match (&reply.plugin, o.plugin.get_untracked()) {
            (Some(new), Some(old)) => !new.ran && new.plugin_type == "cli/v1" && old.ran && old.name == new.name,
            _ => false,
        };
        if !keep {
            o.plugin.set(reply.plugin.clone());
        }
        if reply.plugin.as_ref().is_some_and(|p| p.ran && p.plugin_type == "cli/v1") || reply.plugin.is_none() {
            self.state.update_value(|s| s.run_cli_pending = false);
        }
        o.worker_crash.set(None);
        match reply.result {
            Ok(r) => {
                o.rendered.set(Some(r));
                o.error.set(None);
            }
            Err(mut e) => {
                // The page's deadline (Helm has none): say whose limit it is
                // and what changes it.
                if e.message.ends_with(&format!("render stopped: timeout of {} exceeded", timeout_label())) {
                    e.message.push_str(&format!(
                        " (the page stops a render after {}; the Stop button ends one sooner)",
                        timeout_label()
                    ));
                }
                o.error.set(Some(e))
            }
        }
        o.engine_ms.set(Some(reply.engine_ms));
        o.shown_seq.set(reply.seq);
        o.shown_at.set(now_ms());
        o.busy.set(self.state.with_value(|s| s.debounce.is_some()));
    }

    /// The Stop button: ends the render in flight at once (its worker is
    /// terminated, as by the watchdog, and a fresh one started); the
    /// workspace is left as it is and a queued edit is dropped too.
    pub fn stop(self) {
        let Some(Some((seq, sent_at))) = self.state.try_update_value(|s| {
            let seq = s.in_flight.take()?;
            s.queued = None;
            for h in [s.watchdog.take(), s.supersede.take(), s.debounce.take()].into_iter().flatten() {
                h.clear();
            }
            Some((seq, s.sent_at))
        }) else {
            return;
        };
        self.replace_worker();
        let o = self.outputs;
        o.progress.set(None);
        o.running_since.set(None);
        o.error.set(Some(RenderFailure::new(format!(
            "render stopped after {:.1} s (Stop): the render worker was restarted; your files are unchanged — \
                 edit or press Ctrl+Enter to render again",
            (now_ms() - sent_at) / 1000.0
        ))));
        o.shown_seq.set(seq);
        o.busy.set(false);
    }

    /// The worker `generation` threw an uncaught error: it died without
    /// answering. It is replaced; the render in flight fails with what
    /// happened, and the tasks it had are answered as failed (sending them
    /// again could kill the next worker the same way).
    fn on_worker_error(self, generation: u64, message: String) {
        if self.state.with_value(|s| s.generation != generation) {
            return;
        }
        let text = describe_worker_death(&message);
        let (in_flight, tasks) = self
            .state
            .try_update_value(|s| {
                let seq = s.in_flight.take();
                s.queued = None;
                for h in [s.watchdog.take(), s.supersede.take()].into_iter().flatten() {
                    h.clear();
                }
                (seq, std::mem::take(&mut s.tasks))
            })
            .unwrap_or_default();
        self.replace_worker();
        let o = self.outputs;
        o.progress.set(None);
        o.running_since.set(None);
        let note =
            format!("{text} It was restarted; your files are unchanged — edit or press Ctrl+Enter to render again.");
        o.worker_crash.set(Some(note.clone()));
        if let Some(seq) = in_flight {
            o.error.set(Some(RenderFailure::new(note.clone())));
            o.shown_seq.set(seq);
            o.busy.set(self.state.with_value(|s| s.debounce.is_some()));
        }
        for (_, _, done) in tasks {
            done(TaskAnswer::Failed(note.clone()));
        }
    }

    /// `?test_crash=1`: `window.chartroomCrashWorker(how)` kills the worker
    /// (Task::Crash) so the browser tests can check the recovery.
    fn install_crash_hook(self) {
        if crate::embed::query_param(&crate::web::query(), "test_crash").as_deref() != Some("1") {
            return;
        }
        let f = wasm_bindgen::closure::Closure::<dyn Fn(String)>::new(move |how: String| {
            self.task(Task::Crash { how }, |_| {});
        });
        let _ = js_sys::Reflect::set(&js_sys::global(), &"chartroomCrashWorker".into(), f.as_ref());
        f.forget();
    }

    /// The worker did not answer in time: it trapped (a panic aborts the wasm
    /// instance) or loops. It is terminated and replaced so the next edit
    /// renders again and no runaway keeps computing in the background.
    fn on_timeout(self, seq: u64) {
        let Some((latest, queued)) = self
            .state
            .try_update_value(|s| {
                if s.in_flight != Some(seq) {
                    return None;
                }
                s.in_flight = None;
                s.watchdog = None;
                if let Some(h) = s.supersede.take() {
                    h.clear();
                }
                Some((s.issued, s.queued.take()))
            })
            .flatten()
        else {
            return;
        };
        self.replace_worker();
        self.outputs.progress.set(None);
        self.outputs.running_since.set(None);
        if seq == latest {
            self.outputs.error.set(Some(RenderFailure::new(format!(
                "the render did not finish within {} s (the engine crashed or is stuck); \
                     the render worker was stopped and restarted — edit to try again",
                watchdog().as_secs_f64()
            ))));
            self.outputs.shown_seq.set(seq);
            self.outputs.busy.set(false);
        }
        if let Some(job) = queued {
            self.send(job);
        }
    }
}
