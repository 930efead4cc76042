//! Messages between the page and the render worker.
//!
//! These mirror the engine's `RenderRequest`/`RenderOutput`/`RenderError` with
//! serde derives, so the engine crate stays free of web and serialisation
//! dependencies. Every job carries a sequence number: the page only shows the
//! reply to its newest job, so a slow render can never overwrite a newer one.

use serde::{Deserialize, Serialize};

/// One render, as sent to the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RenderJob {
    pub seq: u64,
    /// Chart files, paths relative to the chart root.
    #[serde(with = "file_bytes")]
    pub files: Vec<(String, Vec<u8>)>,
    pub release_name: String,
    pub namespace: String,
    /// User `-f` files in order (name, bytes).
    pub values_files: Vec<(String, Vec<u8>)>,
    /// `--set` arguments.
    pub set: Vec<String>,
    pub kube_version: Option<String>,
    pub api_versions: Vec<String>,
    pub is_upgrade: bool,
    pub include_crds: bool,
    pub skip_tests: bool,
    pub show_only: Vec<String>,
    /// Evaluation step budget: a runaway template stops with a clear error
    /// long before the page's watchdog gives up on the worker.
    pub max_steps: u64,
    /// Memory budget (bytes of values the templates may hold at once): a doubling
    /// loop stops with a clear error before the worker runs out of memory.
    #[serde(default = "page_max_memory")]
    pub max_memory: u64,
    /// `--set-string` arguments.
    pub set_string: Vec<String>,
    /// `--set-json` arguments.
    pub set_json: Vec<String>,
    /// `--set-literal` arguments.
    pub set_literal: Vec<String>,
    /// `--set-file key=path` arguments; the paths are read from `files`.
    #[serde(default)]
    pub set_file: Vec<String>,
    /// Fixed seed (None: random, from the browser, as Helm is).
    pub seed: Option<u64>,
    /// Fixed clock in Unix nanoseconds (None: the browser's clock).
    pub now_unix_nanos: Option<i128>,
    /// The mock cluster `lookup` answers from (YAML).
    pub mock_cluster: Option<String>,
    /// An option the page could not read (bad seed or clock): the render
    /// fails with this message instead of silently ignoring the option.
    pub option_error: Option<String>,
    /// A plugin to run with this render (`--post-renderer`, or a cli/v1
    /// plugin when `run_cli`).
    #[serde(default)]
    pub plugin: Option<PluginJob>,
    /// The Helm release reproduced (`4.2.3`, `4.2.4`).
    #[serde(default)]
    pub helm_version: String,
    /// Wall-clock deadline of the render in ms (the engine's `--timeout`):
    /// a slow render ends with the engine's message and its template
    /// position, well before the page's watchdog gives up on the worker.
    #[serde(default)]
    pub timeout_ms: Option<u64>,
    /// Paths whose bytes are those the previous job sent to this worker
    /// carried (not sent again: a keystroke in a big chart sends one file,
    /// not 7 MB). The worker fills them in before rendering (worker.rs).
    #[serde(default)]
    pub kept: Vec<String>,
    /// Work out where each value came from (the Explain panel's values
    /// table): the page asks only while the panel is open, since it loads
    /// the chart and merges the values a second time (a quarter of a
    /// keystroke's render in kube-prometheus-stack).
    #[serde(default)]
    pub explain_values: bool,
}

/// A plugin as the page sends it: the files, the flags and the host's
/// settings. The worker caches the loaded plugin by content hash.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PluginJob {
    /// plugin.yaml text.
    pub yaml: String,
    /// plugin.wasm bytes.
    pub wasm: Vec<u8>,
    /// `--post-renderer-args` (cli/v1: the plugin's arguments).
    pub args: Vec<String>,
    /// `helm-4.2` or `documented`.
    pub profile: String,
    /// Total fuel budget; None = unlimited (as in Helm).
    pub fuel_budget: Option<u64>,
    /// Canned HTTP responses, tried before the network.
    pub mock_http: Vec<MockHttpEntry>,
    /// Run a cli/v1 plugin with this render (the panel's Run button).
    pub run_cli: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MockHttpEntry {
    pub url: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// The home directory the page's cli/v1 plugins see (HELM_* paths derive from it).
pub const BROWSER_HOME: &str = "/home/user";

/// A plugin job reached a worker built without the plugin host.
pub const NO_PLUGIN_HOST: &str = "this render worker has no plugin host (it is loaded when a plugin is chosen); the chart was rendered without the plugin";

/// Steps allowed per render. kube-prometheus-stack needs far fewer; a
/// runaway loop reaches this in a few seconds in the browser.
pub const MAX_STEPS: u64 = 20_000_000;

/// The worker's memory budget, below the native default: wasm32 memory ends
/// at 4 GiB and a value being built may briefly hold twice the budget.
pub const MAX_MEMORY: u64 = chartroom_engine::template::guard::PAGE_MAX_MEMORY;

fn page_max_memory() -> u64 {
    MAX_MEMORY
}

/// The page's default deadline per render (Helm has none; a browser tab
/// must not stay busy for minutes). Below the watchdog, so a slow render
/// ends with the engine's clear message and the worker is kept.
pub const PAGE_TIMEOUT_MS: u64 = 10_000;

/// A hook, as the hooks pane lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HookInfo {
    pub name: String,
    pub kind: String,
    pub path: String,
    pub events: Vec<String>,
    pub weight: i64,
    pub delete_policies: Vec<String>,
    pub manifest: String,
}

/// A successful render.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rendered {
    /// Exactly `helm template`'s stdout.
    pub manifest: String,
    pub notes: String,
    pub hooks: Vec<HookInfo>,
    /// The render explained (issue 15): coverage, values origins, unused
    /// values, the template line of each manifest line.
    #[serde(default)]
    pub explain: Option<ExplainInfo>,
    /// What Helm `log.Printf`s while rendering (values coalescing's
    /// `warning: destination for a.b is a table. Ignoring non-table value
    /// (1)`), in order, without Go's time prefix: the CLI's stderr lines.
    #[serde(default)]
    pub log: Vec<String>,
}

/// Coverage of one template file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FileCoverageInfo {
    /// As in `# Source:` (`mychart/templates/_helpers.tpl`).
    pub file: String,
    /// Lines holding an action, and those of them that ran.
    pub lines: u32,
    pub lines_hit: u32,
    /// `if`/`with`/`range` branches, and those taken.
    pub branches: u32,
    pub branches_taken: u32,
    /// Lines whose actions never ran.
    pub missed: Vec<u32>,
    /// Lines whose actions ran.
    pub ran: Vec<u32>,
    /// Lines of an if/with/range that ran with one of its two branches never taken.
    pub partial: Vec<u32>,
}

/// What the page shows of a traced render.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExplainInfo {
    pub coverage: Vec<FileCoverageInfo>,
    /// Every leaf of the merged values: path, value as YAML, origin.
    pub origins: Vec<(String, String, String)>,
    /// Per leaf of `origins`: the lower-precedence sources it overrode
    /// (`values.yaml:11` under a `--set` line).
    #[serde(default)]
    pub overrode: Vec<Vec<String>>,
    /// Value paths no template read.
    pub unused: Vec<String>,
    /// Per manifest line: the template file and line that produced it.
    pub manifest_lines: Vec<Option<(String, u32)>>,
    /// Per manifest line: the include/template/tpl calls that led there,
    /// innermost first (`file:line`), empty for a line written directly.
    pub manifest_chains: Vec<Vec<String>>,
    /// `origins` and `overrode` were worked out (the job asked for them,
    /// `RenderJob::explain_values`).
    #[serde(default)]
    pub values_explained: bool,
}

/// The explanation of a traced render, with the values' origins (the chart
/// is loaded again for them; a failure leaves them out).
pub(crate) fn explain_info(
    trace: &chartroom_engine::explain::RenderTrace,
    req: &chartroom_engine::RenderRequest,
    with_values: bool,
) -> ExplainInfo {
    let coverage = trace
        .coverage
        .iter()
        .map(|(file, fc)| FileCoverageInfo {
            file: file.clone(),
            lines: fc.lines.len() as u32,
            lines_hit: fc.lines.values().filter(|h| **h > 0).count() as u32,
            branches: 2 * fc.branches.len() as u32,
            branches_taken: fc
                .branches
                .iter()
                .filter_map(|b| b.taken)
                .map(|t| t.iter().filter(|n| **n > 0).count() as u32)
                .sum(),
            missed: fc.lines.iter().filter(|(_, h)| **h == 0).map(|(l, _)| *l as u32).collect(),
            ran: fc.lines.iter().filter(|(_, h)| **h > 0).map(|(l, _)| *l as u32).collect(),
            partial: fc
                .branches
                .iter()
                .filter(|b| b.taken.is_some_and(|t| t.contains(&0)))
                .map(|b| b.line as u32)
                .collect(),
        })
        .collect();
    let (origins, overrode) = with_values
        .then(|| chartroom_engine::chart::load_files(&req.files).ok())
        .flatten()
        .and_then(|ch| chartroom_engine::values_origin::values_origins(&ch, req).ok())
        .map(|(merged, o)| {
            o.into_iter()
                .map(|(path, origin)| {
                    let value = leaf_text(&merged, &path);
                    let (origin, overrode) = origin.map(|o| (o.origin, o.overrode)).unwrap_or_default();
                    ((path, value, origin), overrode)
                })
                .unzip()
        })
        .unwrap_or_default();
    ExplainInfo {
        coverage,
        origins,
        overrode,
        values_explained: with_values,
        unused: trace.unused_values.clone(),
        manifest_lines: trace
            .manifest_lines
            .iter()
            .map(|o| o.as_ref().map(|o| (o.at.file.clone(), o.at.line as u32)))
            .collect(),
        manifest_chains: trace
            .manifest_lines
            .iter()
            .map(|o| {
                o.as_ref()
                    .map(|o| o.chain.iter().map(|f| format!("{}:{}", f.file, f.line)).collect())
                    .unwrap_or_default()
            })
            .collect(),
    }
}

/// A leaf of the values by its path (`a.b[0].c`), as one line of YAML.
fn leaf_text(v: &chartroom_engine::Value, path: &str) -> String {
    use chartroom_engine::Value;
    let mut cur = v.clone();
    for part in path.split('.') {
        let (key, idx) = match part.find('[') {
            Some(i) => (&part[..i], Some(&part[i..])),
            None => (part, None),
        };
        if !key.is_empty() {
            cur = match &cur {
                Value::Map(m, _) => m.borrow().get(key).cloned().unwrap_or(Value::Nil),
                _ => Value::Nil,
            };
        }
        for i in idx.unwrap_or("").split(['[', ']']).filter(|s| !s.is_empty()) {
            let i: usize = i.parse().unwrap_or(usize::MAX);
            cur = match &cur {
                Value::List(l, _) => l.borrow().get(i).cloned().unwrap_or(Value::Nil),
                _ => Value::Nil,
            };
        }
    }
    chartroom_engine::yaml::marshal(&cur).unwrap_or_default().trim_end().replace('\n', " ")
}

/// A failed render: Helm's error text plus where it points, when known
/// (the engine's error fields; the page never reads them out of the text).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RenderFailure {
    pub message: String,
    pub file: Option<String>,
    pub line: Option<u64>,
    pub col: Option<u64>,
    /// The `include`/`tpl` calls that led to the failure, outermost first.
    #[serde(default)]
    pub calls: Vec<FailureCall>,
    /// Where each nested `error calling NAME: ` frame ends in `message`
    /// (byte offsets, outermost first): where a long chain is folded.
    #[serde(default)]
    pub frames: Vec<u64>,
    /// Helm's `log.Printf` lines written before the failure (as
    /// [`Rendered::log`]: Helm prints them on stderr before `Error: `).
    #[serde(default)]
    pub log: Vec<String>,
    /// This is the plugin's failure (it did not load, or its post-render
    /// run failed; the engine's `Kind::Plugin`): the plugin panel shows the
    /// same error beside the run.
    #[serde(default)]
    pub plugin: bool,
}

/// One `include`/`tpl` call on the way to a failure, where it was called
/// (line and column from 1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FailureCall {
    pub function: String,
    pub file: String,
    pub line: u64,
    pub col: u64,
}

impl RenderFailure {
    /// A failure that is only a text (no position).
    pub fn new(message: impl Into<String>) -> RenderFailure {
        RenderFailure { message: message.into(), ..RenderFailure::default() }
    }

    /// The engine's error as the protocol carries it: its text, position,
    /// call chain and whether a plugin failed (no log lines: see [`failure`]).
    pub fn of(e: chartroom_engine::error::Error) -> RenderFailure {
        RenderFailure {
            plugin: e.kind == chartroom_engine::error::Kind::Plugin,
            message: e.message,
            file: e.file,
            line: e.line.map(|l| l as u64),
            col: e.col.map(|c| c as u64),
            calls: e
                .calls
                .into_iter()
                .map(|c| FailureCall { function: c.function, file: c.file, line: c.line as u64, col: c.col as u64 })
                .collect(),
            frames: e.frames.into_iter().map(|f| f as u64).collect(),
            log: Vec::new(),
        }
    }

    /// "templates/x.yaml:3:7", "templates/x.yaml:3", "templates/x.yaml" or None.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_deref()?;
        Some(match (self.line, self.col) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file.to_string(),
        })
    }
}

/// The worker's answer to one job.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RenderReply {
    pub seq: u64,
    /// Time spent inside `chartroom_engine::render`, in milliseconds.
    pub engine_ms: f64,
    pub result: Result<Rendered, RenderFailure>,
    /// The engine panicked: this worker is unusable and must be replaced.
    pub worker_lost: bool,
    /// The plugin's run, when the job had a plugin.
    #[serde(default)]
    pub plugin: Option<PluginReport>,
    /// The render called a function the first-visit worker leaves out
    /// (chartroom_engine::sprig::ondemand): the page renders it again in the
    /// full worker and never shows this reply.
    #[serde(default)]
    pub needs_full: bool,
    /// Where the worker's time went (the page's keystroke breakdown).
    #[serde(default)]
    pub timing: WorkerTiming,
}

impl RenderReply {
    /// The answer of a worker that cannot go on (it panicked, or its files
    /// are not the page's): the job fails with `message` and the page
    /// replaces the worker.
    pub fn lost(seq: u64, message: String) -> RenderReply {
        RenderReply {
            seq,
            engine_ms: 0.0,
            result: Err(RenderFailure::new(message)),
            worker_lost: true,
            plugin: None,
            needs_full: false,
            timing: WorkerTiming::default(),
        }
    }
}

/// The worker's side of one render, for the page's latency breakdown
/// (render_client.rs): absolute times (`performance.timeOrigin + now()`,
/// comparable across the page and the worker) and durations in ms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkerTiming {
    /// The job was decoded and handed to the worker.
    pub received_at: f64,
    /// Filling in the files the job kept from the previous one.
    pub fill_ms: f64,
    /// Of `engine_ms`: turning the trace into the page's explanation
    /// (values origins load the chart again).
    pub explain_ms: f64,
    /// The reply was handed to postMessage (its encoding follows).
    pub replied_at: f64,
}

/// `performance.timeOrigin + performance.now()` in the page or a worker (0
/// natively).
pub fn abs_now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        let perf = js_sys::Reflect::get(&js_sys::global(), &"performance".into())
            .ok()
            .and_then(|p| wasm_bindgen::JsCast::dyn_into::<web_sys::Performance>(p).ok());
        perf.map(|p| p.time_origin() + p.now()).unwrap_or_else(js_sys::Date::now)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}

thread_local! {
    /// `WorkerTiming::explain_ms` of the newest render (set by render_plain).
    pub(crate) static EXPLAIN_MS: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

/// What the worker sends: live meters while a plugin runs, then the reply.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum WorkerOutput {
    Progress(PluginProgress),
    Reply(Box<RenderReply>),
    Answer { id: u64, answer: Box<TaskAnswer> },
}

/// What the page sends the worker: a render, or a one-off task that needs
/// engine code (the page links none of it, to keep the first visit small).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum WorkerInput {
    Render(Box<RenderJob>),
    Task {
        id: u64,
        task: Task,
    },
    /// A newer edit is waiting: stop render `seq` if it is waiting on a
    /// plugin's HTTP request (it is answered as cancelled). A render that is
    /// computing finishes first; the message then finds nothing to stop.
    Cancel {
        seq: u64,
    },
}

/// Engine work the page asks of the worker, answered by one `TaskAnswer`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Task {
    /// plugin.yaml → name, type, the limits table under both profiles, lint.
    PluginInfo { yaml: String },
    /// A `.tgz` chart archive → its files (Helm's checks and error texts).
    ImportArchive { bytes: Vec<u8> },
    /// Files → a `.tgz` with entries under `dir/` (as `helm package`).
    ExportArchive { dir: String, files: Vec<(String, Vec<u8>)> },
    /// sha256 (hex) of the bytes (a bundled plugin's hash in links).
    Sha256 { bytes: Vec<u8> },
    /// `helm lint` of the workspace with the render's options.
    Lint { job: Box<RenderJob>, strict: bool },
    /// Helm repository work (index.yaml, versions, dependencies, OCI).
    Repo(RepoTask),
    /// Kills the worker the way `how` says (`overflow`, `oom`, `trap`,
    /// `panic`): the browser tests check the page recovers from each kind
    /// of worker death (the engine itself must never die). The page only
    /// sends it with `?test_crash=1`.
    Crash { how: String },
    /// Checks a rendered manifest against the Kubernetes API of a version
    /// (engine/src/kube). `bundle` is that version's schema bundle, sent
    /// once the worker has answered `KubeAnswer::NeedBundle`.
    KubeValidate {
        manifest: String,
        /// The chart's `crds/` files (path, text).
        crds: Vec<(String, String)>,
        kube_version: Option<String>,
        bundle: Option<String>,
    },
}

/// The worker's answer to `Task::KubeValidate`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum KubeAnswer {
    /// The worker has no bundle for this minor release yet: fetch
    /// `kube-schemas/v1.<minor>.json` and ask again with it.
    NeedBundle {
        minor: u32,
    },
    Report(KubeReport),
    /// No schemas for the selected version, or a bundle that does not load.
    Error(RenderFailure),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KubeReport {
    pub minor: u32,
    /// `N documents: N valid, N invalid, N without schema`.
    pub summary: String,
    pub documents: Vec<KubeDocument>,
    pub engine_ms: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KubeDocument {
    /// Line of the document's first line in the manifest (1-based).
    pub line: u64,
    /// `Deployment/web`.
    pub object: String,
    /// `valid`, `invalid` or `no-schema`.
    pub status: String,
    /// `field.path: message` (or the message alone), with the manifest
    /// line the field is on when found.
    pub findings: Vec<(String, Option<u64>)>,
}

/// A task's answer. A failed import or repository step carries the
/// engine's error fields ([`RenderFailure`], as a render's failure does);
/// the page shows its text as the notice of the dialog that asked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TaskAnswer {
    PluginInfo(PluginInfo),
    Imported(Result<Vec<(String, Vec<u8>)>, RenderFailure>),
    Exported(Vec<u8>),
    Sha256(String),
    Lint(LintReport),
    Repo(RepoAnswer),
    Kube(KubeAnswer),
    /// The worker crashed on this task (the engine must not panic; if it
    /// does the page says so instead of waiting forever).
    Failed(String),
}

/// One row of the limits table: the plugin.yaml value and what it means
/// under each profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitRow {
    pub key: String,
    /// As written in plugin.yaml ("(not set)" when absent or zero).
    pub configured: String,
    pub helm42: String,
    pub documented: String,
}

/// The limits the meters are measured against under one profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LimitSummary {
    pub timeout_ms: Option<u64>,
    pub max_pages: u32,
    pub max_http_response_bytes: u64,
}

/// What the panel shows about a plugin.yaml before (and without) a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PluginInfo {
    /// The plugin.yaml text this describes.
    pub yaml: String,
    /// plugin.yaml's name ("" when it does not parse).
    pub name: String,
    /// `postrenderer/v1`, `cli/v1`… ("" when it does not parse).
    pub plugin_type: String,
    /// Helm's error text when plugin.yaml does not parse.
    pub error: Option<String>,
    pub rows: Vec<LimitRow>,
    /// Where the helm-4.2 and documented profiles differ for this plugin.
    pub lint: Vec<String>,
    pub helm42: LimitSummary,
    pub documented: LimitSummary,
}

/// Resources used so far by the running plugin (posted every ~50 ms).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct PluginProgress {
    pub seq: u64,
    pub elapsed_ms: f64,
    pub fuel_used: u64,
    pub pages: u32,
    pub http_bytes: u64,
}

/// The limits summary of a plugin call (the engine's `Summary`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct PluginSummary {
    pub wall_ms: f64,
    pub timeout_ms: Option<u64>,
    pub fuel_used: u64,
    pub fuel_budget: Option<u64>,
    pub peak_pages: u32,
    pub max_pages: u32,
    pub http_requests: u32,
    pub http_bytes: u64,
    pub max_http_response_bytes: u64,
    pub var_bytes: u64,
}

/// One capability decision (the engine's `Event`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CapEvent {
    pub t_ms: f64,
    /// Fuel used so far (cumulative), exact when `fuel_exact`, else a lower
    /// bound (see `plugin_state::fuel_ranges`).
    pub fuel: u64,
    pub fuel_exact: bool,
    pub pages: u32,
    pub call: String,
    pub args: String,
    pub allowed: bool,
    pub rule: String,
}

/// Everything the panel shows about one plugin run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct PluginReport {
    pub name: String,
    /// `postrenderer/v1`, `cli/v1`… (empty when plugin.yaml did not load).
    pub plugin_type: String,
    pub profile: String,
    /// The plugin was invoked.
    pub ran: bool,
    /// Why it was not run, or other remarks.
    pub note: Option<String>,
    /// The post-renderer's input stream (annotated documents).
    pub input: String,
    /// The post-renderer's output stream, when it returned one.
    pub output: Option<String>,
    pub rc: i32,
    /// Helm's error text (load or run), None on success.
    pub error: Option<String>,
    /// What ended a failed run, from the engine's error fields (set with
    /// `error`): the run summary reads these, never the text.
    #[serde(default)]
    pub end: Option<RunEnd>,
    pub stdout: String,
    pub stderr: String,
    pub summary: PluginSummary,
    pub events: Vec<CapEvent>,
    pub events_dropped: usize,
    /// Where the helm-4.2 and documented profiles differ for this plugin.
    pub lint: Vec<String>,
    /// The compiled module came from the worker's cache.
    pub cached: bool,
}

/// How a plugin call failed, as the engine's error says it
/// ([`chartroom_engine::error::Error`]'s kind, limit and plugin end).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunEnd {
    /// One of Chartroom's own caps ended it (not an error Helm gives).
    pub chartroom_limit: bool,
    /// The limit that ended it, if one did.
    pub limit: Option<RunLimit>,
    /// The guest's `proc_exit` code (not 0).
    pub exit_code: Option<i32>,
    /// The guest trapped: wazero's reason.
    pub trap: Option<String>,
    /// The module was not compiled or instantiated.
    pub not_created: bool,
}

/// Which limit ended a plugin call ([`chartroom_engine::error::Limit`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RunLimit {
    /// The plugin's timeout (Helm's `context deadline exceeded`).
    Timeout,
    /// Chartroom's fuel budget.
    Fuel,
    /// memory.maxPages.
    Memory,
    /// The host's cap on the blocks it holds for one call.
    HostBlock,
    /// The cap on captured stdout/stderr.
    Capture,
    /// A render limit (steps, memory budget, deadline…) met while the
    /// plugin ran.
    Render,
}

impl RunEnd {
    /// The fields of a plugin's error.
    pub fn of(e: &chartroom_engine::error::Error) -> RunEnd {
        use chartroom_engine::error::{Kind, Limit, PluginEnd};
        let limit = e.limit.map(|l| match l {
            Limit::PluginTimeout => RunLimit::Timeout,
            Limit::Fuel => RunLimit::Fuel,
            Limit::PluginMemory => RunLimit::Memory,
            Limit::HostBlock => RunLimit::HostBlock,
            Limit::Capture => RunLimit::Capture,
            Limit::Steps
            | Limit::Memory
            | Limit::Deadline
            | Limit::Cancelled
            | Limit::Nesting
            | Limit::Stack
            | Limit::Output => RunLimit::Render,
        });
        RunEnd {
            chartroom_limit: e.kind == Kind::Limit,
            limit,
            exit_code: match e.plugin_end {
                Some(PluginEnd::Exit(c)) => Some(c),
                _ => None,
            },
            trap: match &e.plugin_end {
                Some(PluginEnd::Trap(t)) => Some(t.clone()),
                _ => None,
            },
            not_created: e.plugin_end == Some(PluginEnd::NotCreated),
        }
    }
}

impl RenderJob {
    /// Renders this job's chart; its plugin, if any, is not run.
    pub fn run(self) -> Result<Rendered, RenderFailure> {
        self.render_plain().0
    }

    /// The render of a worker built without the plugin host (the first
    /// visit's): a job with a plugin renders without it and says why. The
    /// page sends such jobs to the plugin worker instead (render_client.rs).
    pub fn render_plain(mut self) -> (Result<Rendered, RenderFailure>, Option<PluginReport>) {
        if let Some(message) = self.option_error.take() {
            // A seed or clock the page could not read fails the render rather
            // than being silently ignored.
            return (Err(RenderFailure::new(message)), None);
        }
        let report = self
            .plugin
            .take()
            .map(|_| PluginReport { note: Some(NO_PLUGIN_HOST.to_string()), ..PluginReport::default() });
        let with_values = self.explain_values;
        let mut req = self.request();
        let mut result = chartroom_engine::render(&req);
        // The trace is charged to the memory budget: a render it pushed over
        // the budget is shown untraced rather than failed (other limits,
        // steps and the deadline, would only stop it again).
        if matches!(&result, Err(e) if e.limit == Some(chartroom_engine::error::Limit::Memory)) {
            req.trace = false;
            result = chartroom_engine::render(&req);
        }
        let result = result.map(|mut out| {
            let t0 = abs_now_ms();
            let explain = out.trace.take().map(|t| explain_info(&t, &req, with_values));
            EXPLAIN_MS.with(|e| e.set(abs_now_ms() - t0));
            let mut r = rendered(out);
            r.explain = explain;
            r
        });
        (result.map_err(failure), report)
    }

    pub(crate) fn request(&mut self) -> chartroom_engine::RenderRequest {
        // `--set-file` reads workspace files (in the browser there is no
        // other filesystem); only cloned when the flag is used.
        let set_file_data =
            if self.set_file.is_empty() { Default::default() } else { self.files.iter().cloned().collect() };
        chartroom_engine::RenderRequest {
            set_file: std::mem::take(&mut self.set_file),
            set_file_data,
            files: std::mem::take(&mut self.files).into_iter().collect(),
            release_name: std::mem::take(&mut self.release_name),
            namespace: std::mem::take(&mut self.namespace),
            values_files: std::mem::take(&mut self.values_files),
            set: std::mem::take(&mut self.set),
            set_json: std::mem::take(&mut self.set_json),
            set_literal: std::mem::take(&mut self.set_literal),
            kube_version: self.kube_version.take(),
            api_versions: std::mem::take(&mut self.api_versions),
            is_upgrade: self.is_upgrade,
            include_crds: self.include_crds,
            skip_tests: self.skip_tests,
            show_only: std::mem::take(&mut self.show_only),
            max_steps: Some(self.max_steps),
            max_memory: Some(self.max_memory),
            timeout_nanos: self.timeout_ms.map(|ms| ms.saturating_mul(1_000_000).min(i64::MAX as u64) as i64),
            // The deadline's clock, when a deadline is set (a newer edit's
            // cancel callback can be passed the same way).
            hooks: chartroom_engine::RenderHooks {
                clock: page_clock(),
                cancel: None,
                stack_room: page_stack_room(),
                fresh_stack: page_fresh_stack(),
            },
            set_string: std::mem::take(&mut self.set_string),
            // Like Helm, random functions are random and `now` is the current
            // time: the browser supplies both (the engine has no clock or
            // entropy source of its own on wasm32), unless the user fixed them.
            seed: self.seed.or_else(browser_seed),
            now_unix_nanos: self.now_unix_nanos.or_else(browser_now_nanos),
            mock_cluster: self.mock_cluster.take(),
            helm_release: chartroom_engine::releaseutil::HelmRelease::parse(&self.helm_version).unwrap_or_default(),
            // The page explains every render (tracing costs about 1.2x).
            trace: true,
            ..chartroom_engine::RenderRequest::default()
        }
    }
}

pub(crate) fn rendered(out: chartroom_engine::RenderOutput) -> Rendered {
    Rendered {
        // Bytes that are not UTF-8 (Go byte strings) show as U+FFFD, as a
        // browser shows Helm's bytes.
        manifest: chartroom_engine::gostring::to_runes(&out.manifest).into_owned(),
        notes: chartroom_engine::gostring::to_runes(&out.notes).into_owned(),
        hooks: out
            .hooks
            .into_iter()
            .map(|h| HookInfo {
                name: h.name,
                kind: h.kind,
                path: h.path,
                events: h.events,
                weight: h.weight,
                delete_policies: h.delete_policies,
                manifest: chartroom_engine::gostring::to_runes(&h.manifest).into_owned(),
            })
            .collect(),
        explain: None,
        log: out.log,
    }
}

pub(crate) fn failure(e: chartroom_engine::RenderError) -> RenderFailure {
    RenderFailure {
        // Called right after the failed render: its log lines are still
        // waiting in Go's logger (the engine hands them over on success only).
        log: chartroom_engine::gofmt::log::take(),
        ..RenderFailure::of(e)
    }
}

/// Why something the page asked outside a render failed: the engine's
/// error (its fields, as a render's failure carries them) or the
/// browser's. `Display` is the text the notice shows; the page tells
/// failures apart by variant and fields, never by their text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum AppError {
    /// The engine's error (Helm's text, the file it is about…), from a
    /// worker task.
    Engine(RenderFailure),
    /// A browser `fetch` that did not get the file: `status` is None when
    /// no answer arrived (network, CORS, not https), else the HTTP status.
    Fetch { url: String, status: Option<u16>, message: String },
    /// Browser storage is missing, full or disabled.
    Storage(String),
    /// A browser API that threw or is missing (File API, `window`).
    Browser(String),
    /// A check the page makes itself: a file whose sha256 is not the
    /// link's, a bundle or link that does not decode, a bad path.
    Check(String),
    /// The render worker crashed on the task or gave no or another answer.
    Worker(String),
}

impl AppError {
    /// The text the notice shows.
    pub fn message(&self) -> &str {
        match self {
            AppError::Engine(f) => &f.message,
            AppError::Fetch { message, .. }
            | AppError::Storage(message)
            | AppError::Browser(message)
            | AppError::Check(message)
            | AppError::Worker(message) => message,
        }
    }

    fn message_mut(&mut self) -> &mut String {
        match self {
            AppError::Engine(f) => &mut f.message,
            AppError::Fetch { message, .. }
            | AppError::Storage(message)
            | AppError::Browser(message)
            | AppError::Check(message)
            | AppError::Worker(message) => message,
        }
    }

    /// The same failure with `prefix` before its text (the engine's frames
    /// kept valid), as Helm's `fmt.Errorf("PREFIX%w", err)`.
    pub fn wrap(mut self, prefix: &str) -> AppError {
        if let AppError::Engine(f) = &mut self {
            for o in &mut f.frames {
                *o += prefix.len() as u64;
            }
        }
        self.message_mut().insert_str(0, prefix);
        self
    }

    /// The same failure with `suffix` after its text.
    pub fn suffixed(mut self, suffix: &str) -> AppError {
        self.message_mut().push_str(suffix);
        self
    }

    /// A fetch that got no answer (the browser refused or the network failed).
    pub fn unreachable(&self) -> bool {
        matches!(self, AppError::Fetch { status: None, .. })
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for AppError {}

impl From<chartroom_engine::error::Error> for AppError {
    fn from(e: chartroom_engine::error::Error) -> AppError {
        AppError::Engine(RenderFailure::of(e))
    }
}

impl From<RenderFailure> for AppError {
    fn from(f: RenderFailure) -> AppError {
        AppError::Engine(f)
    }
}

/// 64 bits from the browser's `crypto.getRandomValues` (None natively: the
/// engine then uses its own default seed).
#[cfg(target_arch = "wasm32")]
fn browser_seed() -> Option<u64> {
    use wasm_bindgen::JsCast;
    let global = js_sys::global();
    let crypto = js_sys::Reflect::get(&global, &"crypto".into()).ok()?;
    let get = js_sys::Reflect::get(&crypto, &"getRandomValues".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    let arr = js_sys::Uint8Array::new_with_length(8);
    get.call1(&crypto, &arr).ok()?;
    let mut b = [0u8; 8];
    arr.copy_to(&mut b);
    Some(u64::from_le_bytes(b))
}

#[cfg(not(target_arch = "wasm32"))]
fn browser_seed() -> Option<u64> {
    None
}

/// The browser's clock (`Date.now()`), as Unix nanoseconds.
#[cfg(target_arch = "wasm32")]
fn browser_now_nanos() -> Option<i128> {
    Some((js_sys::Date::now() * 1e6) as i128)
}

#[cfg(not(target_arch = "wasm32"))]
fn browser_now_nanos() -> Option<i128> {
    None
}

/// A monotonic clock in the worker: performance.now() (Date.now() only has
/// 1 ms resolution, and is the fallback where there is no performance).
pub(crate) fn now_ms() -> f64 {
    use wasm_bindgen::JsCast;
    js_sys::global()
        .dyn_into::<web_sys::WorkerGlobalScope>()
        .ok()
        .and_then(|g| g.performance())
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

/// performance.now() in the worker; natively the engine's own clock.
#[cfg(target_arch = "wasm32")]
fn page_clock() -> Option<chartroom_engine::template::guard::Clock> {
    Some(std::rc::Rc::new(now_ms))
}

#[cfg(not(target_arch = "wasm32"))]
fn page_clock() -> Option<chartroom_engine::template::guard::Clock> {
    None
}

// The worker's stack probe: V8 gives a Web Worker about 1 MB of native
// stack, which the executor's wasm frames share, with no way to grow it.
// The worker's loader defines `chartroomStackRoom(n)` (scripts/
// loader-shims.mjs): a JavaScript recursion of n calls (110–140 bytes a
// frame, measured in Chromium, cold and optimised) that succeeds only while
// that much stack is left. 1000 calls keep ~110 KB: room for the frames the
// executor runs between two probes (nested `if`s, bounded by the parser)
// and for the functions it calls. A failed probe unwinds only its own
// JavaScript frames, so the render ends cleanly with the engine's message.
#[cfg(target_arch = "wasm32")]
const STACK_PROBE_CALLS: u32 = 1000;

#[cfg(target_arch = "wasm32")]
fn page_stack_room() -> Option<chartroom_engine::template::guard::StackRoom> {
    use wasm_bindgen::JsCast;
    let probe = js_sys::Reflect::get(&js_sys::global(), &"chartroomStackRoom".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let n = wasm_bindgen::JsValue::from(STACK_PROBE_CALLS);
    Some(std::rc::Rc::new(move || {
        probe.call1(&wasm_bindgen::JsValue::NULL, &n).map(|v| v.as_bool() == Some(true)).unwrap_or(false)
    }))
}

#[cfg(not(target_arch = "wasm32"))]
fn page_stack_room() -> Option<chartroom_engine::template::guard::StackRoom> {
    None
}

// The worker's stack switching: with JSPI (`WebAssembly.promising`,
// Chromium 137+), calling a promising export runs it on a fresh stack of
// its own (about 1 MB, like the worker's); a function that never suspends
// runs there to its end before the call returns (its promise is already
// settled). The engine runs a nested template call this way each few
// hundred levels (template/exec.rs, FRESH_STACK_EVERY), so a recursive
// `include` reaches Helm's 1000 levels in the page. Without JSPI the probe
// above ends the render instead.
#[cfg(target_arch = "wasm32")]
thread_local! {
    static FRESH_STACK_RUN: std::cell::Cell<Option<*mut dyn FnMut()>> = const { std::cell::Cell::new(None) };
}

/// The promising export's body: runs the function the engine handed over.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn chartroom_fresh_stack_entry() {
    if let Some(f) = FRESH_STACK_RUN.with(|c| c.take()) {
        // SAFETY: set by the caller below, which outlives this call (the
        // promising call runs the function to its end synchronously).
        unsafe { (*f)() }
    }
}

#[cfg(target_arch = "wasm32")]
fn page_fresh_stack() -> Option<chartroom_engine::template::guard::FreshStack> {
    use wasm_bindgen::JsCast;
    let wasm = js_sys::Reflect::get(&js_sys::global(), &"WebAssembly".into()).ok()?;
    let promising = js_sys::Reflect::get(&wasm, &"promising".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    let entry = js_sys::Reflect::get(&wasm_bindgen::exports(), &"chartroom_fresh_stack_entry".into()).ok()?;
    let run = promising.call1(&wasm_bindgen::JsValue::NULL, &entry).ok()?.dyn_into::<js_sys::Function>().ok()?;
    Some(std::rc::Rc::new(move |f: &mut dyn FnMut()| {
        // SAFETY: only the lifetime is erased; the pointer is taken back
        // (by the entry or below) before this function returns.
        let f: *mut (dyn FnMut() + '_) = f;
        let f: *mut dyn FnMut() = unsafe { std::mem::transmute(f) };
        FRESH_STACK_RUN.with(|c| c.set(Some(f)));
        let settled = run.call0(&wasm_bindgen::JsValue::NULL);
        // Not taken: the entry never ran.
        let ran = FRESH_STACK_RUN.with(|c| c.take()).is_none();
        match settled {
            Ok(p) => {
                // A trap on the fresh stack rejects the promise (the engine
                // counts levels so that it does not happen): never unhandled.
                if let Ok(p) = p.dyn_into::<js_sys::Promise>() {
                    thread_local! {
                        static IGNORE: wasm_bindgen::closure::Closure<dyn FnMut(wasm_bindgen::JsValue)> =
                            wasm_bindgen::closure::Closure::new(|_| {});
                    }
                    IGNORE.with(|c| {
                        let _ = p.catch(c);
                    });
                }
                ran
            }
            Err(_) => false,
        }
    }))
}

#[cfg(not(target_arch = "wasm32"))]
fn page_fresh_stack() -> Option<chartroom_engine::template::guard::FreshStack> {
    None
}

/// Helm repository work asked of the render worker (repo_tasks.rs answers).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RepoTask {
    /// The URL of a repository's index.yaml.
    IndexUrl { repo_url: String },
    /// index.yaml → the charts and their versions (newest first).
    List { repo_url: String, index: Vec<u8> },
    /// `FindChartInRepoURL` once the index is fetched.
    Find { repo_url: String, index: Vec<u8>, name: String, version: String },
    /// Chart files → what `helm dependency build` downloads for the
    /// dependencies missing under charts/.
    Plan { files: Vec<(String, Vec<u8>)> },
    /// One planned download in its repository's index.
    Pick { index: Vec<u8>, download: Download },
    /// `helm dependency build`'s message for constraints nothing matched.
    MissingVersions { downloads: Vec<Download> },
    /// An oci:// reference and `--version` → what to request.
    Oci { reference: String, version: String },
    /// The tags list of an OCI repository → the chosen tag.
    OciTag { reference: String, version: String, tags_json: Vec<u8> },
    /// A manifest → the chart layer's digest.
    OciLayer { manifest: Vec<u8> },
    /// A registry's `401` challenge → the anonymous token URL ("" if none).
    OciTokenUrl { www_authenticate: String, reference: String },
}

/// A chart version as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listed {
    pub version: String,
    pub app_version: String,
    pub description: String,
}

/// A chosen chart: its absolute URL, exact version and the digest the
/// index gives (hex, may be empty).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    pub url: String,
    pub name: String,
    pub version: String,
    pub digest: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Download {
    pub name: String,
    pub repository: String,
    pub version: String,
    pub locked: bool,
}

/// What to fetch from a registry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OciPlan {
    /// Tags list URL when a constraint must be resolved, else empty.
    pub tags_url: String,
    /// Manifest URL when the tag is known.
    pub manifest_url: String,
    pub tag: String,
    /// `https://registry/v2/repository` (blob URLs are under it).
    pub base: String,
}

/// A repository task's answer; errors are the engine's, as in [`TaskAnswer`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RepoAnswer {
    IndexUrl(Result<String, RenderFailure>),
    List(Result<Vec<(String, Vec<Listed>)>, RenderFailure>),
    Found(Result<Found, RenderFailure>),
    Plan(Result<Vec<Download>, RenderFailure>),
    /// Err(None): no version satisfies the constraint (collected for
    /// `MissingVersions`).
    Picked(Result<Found, Option<RenderFailure>>),
    Message(String),
    Oci(Result<OciPlan, RenderFailure>),
    OciLayer(Result<String, RenderFailure>),
}

/// `helm lint`'s result for the Lint pane: the command's output and each
/// finding with the file (and line) it is about.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LintReport {
    /// What `helm lint` prints on stdout.
    pub output: String,
    /// `N chart(s) linted, N chart(s) failed` when the chart failed (Helm
    /// prints it after `Error: ` on stderr), or why linting could not run.
    pub error: Option<String>,
    pub findings: Vec<LintFinding>,
    /// The slog lines Helm writes on stderr (missing `required` values…).
    pub log: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LintFinding {
    /// "ERROR", "WARNING", "INFO".
    pub severity: String,
    /// Helm's path (`Chart.yaml`, `templates/`, `templates/x.yaml`).
    pub path: String,
    pub message: String,
    /// The workspace file the finding is about, and the line, when known.
    pub file: Option<String>,
    pub line: Option<u64>,
}

/// Files whose contents serde sees as bytes, not as a sequence of u8: bincode
/// (gloo-worker's encoding) then copies each file at once instead of
/// encoding and decoding it byte by byte, which took tens of ms for a 7 MB
/// chart. Other formats are unaffected (JSON writes bytes as the same array
/// of numbers, and reads one back through `visit_seq`).
mod file_bytes {
    use serde::de::{SeqAccess, Visitor};
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    struct BytesRef<'a>(&'a [u8]);

    impl Serialize for BytesRef<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(self.0)
        }
    }

    struct ByteBuf(Vec<u8>);

    impl<'de> Deserialize<'de> for ByteBuf {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = ByteBuf;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("bytes")
                }
                fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<ByteBuf, E> {
                    Ok(ByteBuf(v.to_vec()))
                }
                fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<ByteBuf, E> {
                    Ok(ByteBuf(v))
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ByteBuf, A::Error> {
                    let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
                    while let Some(b) = seq.next_element()? {
                        v.push(b);
                    }
                    Ok(ByteBuf(v))
                }
            }
            d.deserialize_byte_buf(V)
        }
    }

    pub fn serialize<S: Serializer>(files: &[(String, Vec<u8>)], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(files.len()))?;
        for (path, bytes) in files {
            seq.serialize_element(&(path, BytesRef(bytes)))?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, Vec<u8>)>, D::Error> {
        let files: Vec<(String, ByteBuf)> = Deserialize::deserialize(d)?;
        Ok(files.into_iter().map(|(p, b)| (p, b.0)).collect())
    }

    #[cfg(test)]
    mod tests {
        /// bincode (as gloo-worker encodes) and JSON give the files back.
        #[test]
        fn files_round_trip() {
            #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
            struct J {
                #[serde(with = "super")]
                files: Vec<(String, Vec<u8>)>,
            }
            let j = J { files: vec![("a".into(), b"x: 1\n".to_vec()), ("b.tgz".into(), vec![0, 255, 7])] };
            let enc = bincode::serialize(&j).unwrap();
            assert_eq!(bincode::deserialize::<J>(&enc).unwrap(), j);
            let json = serde_json::to_string(&j).unwrap();
            assert_eq!(json, r#"{"files":[["a",[120,58,32,49,10]],["b.tgz",[0,255,7]]]}"#);
            assert_eq!(serde_json::from_str::<J>(&json).unwrap(), j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RenderJob;

    /// The values' origins are worked out only when the job asks (the
    /// Explain panel is open); the rest of the explanation always is.
    #[test]
    fn values_origins_only_when_asked() {
        let files: Vec<(String, Vec<u8>)> = vec![
            ("Chart.yaml".into(), b"apiVersion: v2\nname: c\nversion: 0.1.0\n".to_vec()),
            ("values.yaml".into(), b"a: 1\nb: 2\n".to_vec()),
            ("templates/t.yaml".into(), b"a: {{ .Values.a }}\n".to_vec()),
        ];
        let o = crate::options::Options::default();
        let job = |ask: bool| RenderJob { explain_values: ask, ..RenderJob::new(1, files.clone(), &o) };
        let without = job(false).run().expect("render").explain.expect("explained");
        assert!(!without.values_explained && without.origins.is_empty() && without.overrode.is_empty());
        assert_eq!(without.unused, ["b"]);
        // `a: 1` comes from line 1 of the template.
        assert!(
            without.manifest_lines.contains(&Some(("c/templates/t.yaml".into(), 1))),
            "{:?}",
            without.manifest_lines
        );
        let with = job(true).run().expect("render").explain.expect("explained");
        assert!(with.values_explained);
        let origins: Vec<_> = with.origins.iter().map(|(p, v, o)| (p.as_str(), v.as_str(), o.as_str())).collect();
        assert_eq!(origins, [("a", "1", "values.yaml:1"), ("b", "2", "values.yaml:2")]);
        assert_eq!(
            (with.coverage, with.unused, with.manifest_lines),
            (without.coverage, without.unused, without.manifest_lines)
        );
    }

    /// Helm's values-coalescing `log.Printf` lines travel with the reply,
    /// after a render and before a failure, as real Helm wrote them (the
    /// oracle's cases, scripts/gen_chart_cases.py values_log).
    #[test]
    fn helm_log_lines_travel_with_the_reply() {
        let cases: serde_json::Value =
            serde_json::from_str(include_str!("../../engine/tests/chart_cases/values_log.json")).expect("cases");
        let case =
            |name: &str| cases.as_array().and_then(|a| a.iter().find(|c| c["name"] == name)).expect(name).clone();
        let job = |c: &serde_json::Value| {
            let files: Vec<(String, Vec<u8>)> = c["files"]
                .as_object()
                .expect("files")
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").as_bytes().to_vec()))
                .collect();
            let mut o = crate::options::Options { release_name: "release-name".into(), ..Default::default() };
            for (i, text) in c["values_files"].as_array().into_iter().flatten().enumerate() {
                let (name, text) = (format!("values-{i}.yaml"), text.as_str().unwrap_or("").to_string());
                o.values_files.push(crate::options::ValuesFile { name, text });
            }
            RenderJob::new(1, files, &o)
        };
        let lines = |c: &serde_json::Value| -> Vec<String> {
            c["log"].as_array().expect("log").iter().map(|l| l.as_str().unwrap_or("").to_string()).collect()
        };
        let ok = case("nested-both-ways");
        let r = job(&ok).run().expect("renders");
        assert_eq!(r.manifest, ok["output"].as_str().unwrap_or(""));
        assert_eq!(r.log, lines(&ok));
        let failed = case("logged-then-render-error");
        let e = job(&failed).run().expect_err("fails");
        assert_eq!(e.message, failed["error"].as_str().unwrap_or(""));
        assert_eq!(e.log, lines(&failed));
    }

    /// A task's failure crosses the worker protocol with its fields (as
    /// gloo-worker encodes it), and its text is the notice's whatever the
    /// wrapping; the engine's frames stay on the same words.
    #[test]
    fn app_errors_keep_their_fields_and_text() {
        use super::{AppError, RenderFailure, TaskAnswer};
        use chartroom_engine::error::{Error, Kind};
        let engine = Error::new(Kind::Chart, "Chart.yaml file is missing").at("c/Chart.yaml", Some(1), None);
        let answer = TaskAnswer::Imported(Err(RenderFailure::of(engine)));
        let back: TaskAnswer = bincode::deserialize(&bincode::serialize(&answer).unwrap()).unwrap();
        assert_eq!(back, answer);
        let TaskAnswer::Imported(Err(f)) = back else { panic!("not a failed import") };
        assert_eq!((f.file.as_deref(), f.line), (Some("c/Chart.yaml"), Some(1)));
        let e = AppError::from(RenderFailure { frames: vec![3], ..f }).wrap("x.tgz: ");
        assert_eq!(e.to_string(), "x.tgz: Chart.yaml file is missing");
        assert!(matches!(&e, AppError::Engine(f) if f.frames == [10]));
        let unreachable = AppError::Fetch { url: "u".into(), status: None, message: "u could not be fetched".into() };
        assert!(unreachable.unreachable());
        assert_eq!(unreachable.suffixed(". Hint").to_string(), "u could not be fetched. Hint");
        let not_found = AppError::Fetch { url: "u".into(), status: Some(404), message: "404".into() };
        assert!(!not_found.unreachable());
    }

    /// A render that only the trace pushes over the memory budget is shown
    /// untraced: the worker tells the budget's failure by its `Limit`.
    #[test]
    fn a_trace_over_the_memory_budget_renders_untraced() {
        let files: Vec<(String, Vec<u8>)> = vec![
            ("Chart.yaml".into(), b"apiVersion: v2\nname: c\nversion: 0.1.0\n".to_vec()),
            ("templates/cm.yaml".into(), b"a: {{ range 200000 }}x{{ end }}\n".to_vec()),
        ];
        let job = RenderJob { max_memory: 2 << 20, ..RenderJob::new(1, files, &crate::options::Options::default()) };
        let out = job.run().expect("rendered without the trace");
        assert!(out.explain.is_none() && out.manifest.contains("xxxx"));
    }
}
