//! Messages between the page and the render worker.
//!
//! These mirror the engine's `RenderRequest`/`RenderOutput`/`RenderError` with
//! serde derives, so the engine crate stays free of web and serialisation
//! dependencies. Every job carries a sequence number: the page only shows the
//! reply to its newest job, so a slow render can never overwrite a newer one.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use chartroom_engine::api::{render_chart_post_async, PostRender};
use chartroom_engine::plugin::future::{block_on, SleepFn, NOT_SYNCHRONOUS};
use chartroom_engine::plugin::http::{HttpClient, HttpFuture, HttpRequest, HttpResponse, MockHttp};
use chartroom_engine::plugin::{Clock, Decision, Limits, Plugin, PluginType, Profile, RunOptions, RunResult};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One render, as sent to the worker.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RenderJob {
    pub seq: u64,
    /// Chart files, paths relative to the chart root.
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

/// Steps allowed per render. kube-prometheus-stack needs far fewer; a
/// runaway loop reaches this in a few seconds in the browser.
pub const MAX_STEPS: u64 = 20_000_000;

impl RenderJob {
    /// A job for the given workspace parts.
    pub fn new(seq: u64, files: Vec<(String, Vec<u8>)>, o: &crate::options::Options) -> Self {
        RenderJob {
            seq,
            files,
            release_name: o.release_name.clone(),
            namespace: o.namespace.clone(),
            values_files: o.values_files.iter().map(|v| (v.name.clone(), v.text.as_bytes().to_vec())).collect(),
            set: o.set_args(),
            kube_version: o.kube_version_opt(),
            api_versions: o.api_versions_list(),
            is_upgrade: o.is_upgrade,
            include_crds: o.include_crds,
            skip_tests: o.skip_tests,
            show_only: o.show_only_list(),
            max_steps: MAX_STEPS,
            plugin: None,
            set_string: o.set_string_args(),
            set_json: o.set_json_args(),
            set_literal: o.set_literal_args(),
            set_file: o.set_file_args(),
            seed: o.seed_value().ok().flatten(),
            now_unix_nanos: o.now_value().ok().flatten(),
            mock_cluster: o.mock_cluster_opt(),
            option_error: o.seed_value().err().or_else(|| o.now_value().err()),
        }
    }
}

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
}

/// A failed render: Helm's error text plus where it points, when known.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RenderFailure {
    pub message: String,
    pub file: Option<String>,
    pub line: Option<u64>,
    pub col: Option<u64>,
}

impl RenderFailure {
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
    Task { id: u64, task: Task },
    /// A newer edit is waiting: stop render `seq` if it is waiting on a
    /// plugin's HTTP request (it is answered as cancelled). A render that is
    /// computing finishes first; the message then finds nothing to stop.
    Cancel { seq: u64 },
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
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TaskAnswer {
    PluginInfo(PluginInfo),
    Imported(Result<Vec<(String, Vec<u8>)>, String>),
    Exported(Vec<u8>),
    Sha256(String),
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
    pub fuel: u64,
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

impl RenderJob {
    /// Runs the engine on this job (called in the worker; also usable natively).
    pub fn run(self) -> Result<Rendered, RenderFailure> {
        self.run_with(&PluginHost::default(), &mut PluginCache::default()).0
    }

    fn request(&mut self) -> chartroom_engine::RenderRequest {
        // `--set-file` reads workspace files (in the browser there is no
        // other filesystem); only cloned when the flag is used.
        let set_file_data = if self.set_file.is_empty() { Default::default() } else { self.files.iter().cloned().collect() };
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
            set_string: std::mem::take(&mut self.set_string),
            // Like Helm, random functions are random and `now` is the current
            // time: the browser supplies both (the engine has no clock or
            // entropy source of its own on wasm32), unless the user fixed them.
            seed: self.seed.or_else(browser_seed),
            now_unix_nanos: self.now_unix_nanos.or_else(browser_now_nanos),
            mock_cluster: self.mock_cluster.take(),
            ..chartroom_engine::RenderRequest::default()
        }
    }

    /// [`RenderJob::run_with_async`] for hosts whose network answers at once
    /// (natively, in tests).
    pub fn run_with(self, host: &PluginHost, cache: &mut PluginCache) -> (Result<Rendered, RenderFailure>, Option<PluginReport>) {
        let cell = RefCell::new(std::mem::take(cache));
        let out = block_on(self.run_with_async(host, &cell));
        *cache = cell.into_inner();
        out.unwrap_or_else(|| (Err(RenderFailure { message: NOT_SYNCHRONOUS.to_string(), file: None, line: None, col: None }), None))
    }

    /// Runs the engine, and the job's plugin if any, with the host's clock,
    /// network, timer and progress callback. Awaits only while a plugin
    /// waits on an HTTP response (the worker stays free meanwhile).
    pub async fn run_with_async(mut self, host: &PluginHost, cache: &RefCell<PluginCache>) -> (Result<Rendered, RenderFailure>, Option<PluginReport>) {
        if let Some(message) = self.option_error.take() {
            // A seed or clock the page could not read fails the render rather
            // than being silently ignored.
            return (Err(RenderFailure { message, file: None, line: None, col: None }), None);
        }
        let plugin_job = self.plugin.take();
        let req = self.request();
        let Some(pj) = plugin_job else {
            return (chartroom_engine::render(&req).map(rendered).map_err(failure), None);
        };
        let profile = Profile::parse(&pj.profile).unwrap_or_default();
        let mut report = PluginReport { profile: profile.name().to_string(), ..PluginReport::default() };
        let loaded = cache.borrow_mut().load(&pj.yaml, &pj.wasm);
        let (plugin, cached) = match loaded {
            Ok(p) => p,
            Err(e) => {
                report.error = Some(e.clone());
                report.name = chartroom_engine::plugin::manifest::parse(&pj.yaml).map(|m| m.name).unwrap_or_default();
                // Helm stops before rendering when the plugin does not load.
                let f = RenderFailure { message: format!("failed to load plugin: {e}"), file: None, line: None, col: None };
                return (Err(f), Some(report));
            }
        };
        report.cached = cached;
        report.name = plugin.name().to_string();
        report.plugin_type = plugin.metadata.plugin_type.name().to_string();
        report.lint = plugin.lint();
        let http_limit = Limits::from_config(&plugin.metadata.runtime, profile).max_http_response_bytes;
        let opts = RunOptions {
            profile,
            fuel_budget: pj.fuel_budget,
            clock: host.clock.clone(),
            http: Some(Rc::new(MockThenNetwork::new(&pj.mock_http, host.network.clone()))),
            random_seed: req.seed.unwrap_or(0),
            on_progress: host.on_progress.clone(),
            sleep: host.sleep.clone(),
            ..RunOptions::default()
        };
        let chart = match chartroom_engine::chart::load_files(&req.files) {
            Ok(c) => c,
            Err(e) => {
                report.note = Some("the chart did not load, so the plugin did not run".into());
                return (Err(RenderFailure { message: e.message, file: e.file, line: e.line.map(|l| l as u64), col: e.col.map(|c| c as u64) }), Some(report));
            }
        };
        match &plugin.metadata.plugin_type {
            PluginType::PostRenderer => {
                let pr = PostRender { plugin: &plugin, args: &pj.args, opts: &opts };
                let (result, post) = match render_chart_post_async(&chart, &req, &pr).await {
                    Ok((out, post)) => (Ok(rendered(out)), post),
                    Err((e, post)) => (Err(failure(e)), post),
                };
                // The plugin's input, for the diff (None: the chart did not render).
                report.input = post.input.unwrap_or_default();
                if let Some(run) = post.run {
                    fill_run(&mut report, &run, http_limit);
                    report.output = post_render_stream(&run.output);
                } else if report.input.is_empty() {
                    report.note = Some("the chart failed to render, so the post-renderer did not run".into());
                } else {
                    report.note = Some("the post-renderer did not run".into());
                }
                (result, Some(report))
            }
            PluginType::Cli(_) => {
                let result = chartroom_engine::api::render_chart(&chart, &req).map(rendered).map_err(failure);
                if pj.run_cli {
                    // Helm gives cli plugins os.Environ + its HELM_* settings;
                    // a browser has no OS environment, so the page plays a
                    // user whose HOME is /home/user running `helm`.
                    // The options bar's namespace is `helm -n NS`'s
                    // HELM_NAMESPACE (Helm's settings.EnvVars).
                    let mut os_env = vec![("HOME".to_string(), BROWSER_HOME.to_string())];
                    if !req.namespace.is_empty() {
                        os_env.push(("HELM_NAMESPACE".to_string(), req.namespace.clone()));
                    }
                    let env = chartroom_engine::plugin::cli::helm_env(&os_env, "helm");
                    let opts = RunOptions { env, ..opts };
                    let run = chartroom_engine::plugin::cli::run_async(&plugin, &pj.args, &opts).await;
                    fill_run(&mut report, &run, http_limit);
                } else {
                    report.note = Some("a cli/v1 plugin is not a post-renderer: it runs when you press Run, with the arguments as its command line".into());
                }
                (result, Some(report))
            }
            PluginType::Getter(_) => {
                let result = chartroom_engine::api::render_chart(&chart, &req).map(rendered).map_err(failure);
                match (pj.run_cli, pj.args.first()) {
                    (true, Some(href)) => {
                        // As `chartroom plugin get DIR URL`: the first argument
                        // is the URL Helm would ask the getter for.
                        use chartroom_engine::plugin::getter;
                        let gopts = getter::GetterOptions { url: href.clone(), ..Default::default() };
                        let (run, data) = getter::run_async(&plugin, href, &gopts, &opts).await;
                        fill_run(&mut report, &run, http_limit);
                        match data {
                            Ok(bytes) => {
                                report.output = Some(match String::from_utf8(bytes) {
                                    Ok(text) => text,
                                    Err(e) => format!("(binary artefact, {} bytes)", e.as_bytes().len()),
                                });
                            }
                            Err(e) => report.error = Some(e),
                        }
                    }
                    (true, None) => {
                        report.note = Some("a getter/v1 plugin downloads a URL: put it (e.g. example://repo/index.yaml) in the arguments field, then Run".into());
                    }
                    (false, _) => {
                        report.note = Some("a getter/v1 plugin is not a post-renderer: it runs when you press Run, with the first argument as the URL to get".into());
                    }
                }
                (result, Some(report))
            }
            other => {
                let result = chartroom_engine::api::render_chart(&chart, &req).map(rendered).map_err(failure);
                report.note = Some(format!("{} plugins are not run by the playground (only postrenderer/v1 with the render, cli/v1 and getter/v1 with Run)", other.name()));
                (result, Some(report))
            }
        }
    }
}

fn rendered(out: chartroom_engine::RenderOutput) -> Rendered {
    Rendered {
        manifest: out.manifest,
        notes: out.notes,
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
                manifest: h.manifest,
            })
            .collect(),
    }
}

fn failure(e: chartroom_engine::RenderError) -> RenderFailure {
    RenderFailure { message: e.message, file: e.file, line: e.line.map(|l| l as u64), col: e.col.map(|c| c as u64) }
}

/// The `manifests` string of a post-renderer's output message, else the
/// raw output (so the panel still shows what came back).
fn post_render_stream(output: &[u8]) -> Option<String> {
    if output.is_empty() {
        return None;
    }
    match chartroom_engine::plugin::json::parse(output) {
        Ok(v) => match v.get_field("manifests") {
            Some(chartroom_engine::plugin::json::Json::String(s)) => Some(s.clone()),
            _ => Some(String::from_utf8_lossy(output).into_owned()),
        },
        Err(_) => Some(String::from_utf8_lossy(output).into_owned()),
    }
}

fn fill_run(report: &mut PluginReport, run: &RunResult, http_limit: u64) {
    let s = &run.summary;
    report.ran = true;
    report.rc = run.rc;
    report.error = run.error.clone();
    report.stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    report.stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    report.summary = PluginSummary {
        wall_ms: s.wall_ms,
        timeout_ms: s.timeout_ms,
        fuel_used: s.fuel_used,
        fuel_budget: s.fuel_budget,
        peak_pages: s.peak_pages,
        max_pages: s.max_pages,
        http_requests: s.http_requests,
        http_bytes: s.http_bytes,
        max_http_response_bytes: http_limit,
        var_bytes: s.var_bytes,
    };
    report.events = run
        .log
        .events
        .iter()
        .map(|e| CapEvent {
            t_ms: e.t_ms,
            fuel: e.fuel,
            pages: e.pages,
            call: e.call.clone(),
            args: e.args.clone(),
            allowed: e.decision == Decision::Allowed,
            rule: e.rule.clone(),
        })
        .collect();
    report.events_dropped = run.log.dropped;
}

/// What the worker lends plugin runs: its clock, its network (fetch), its
/// timer and the live meters' callback (all None natively: the engine's
/// defaults, HTTP from the mock table only).
#[derive(Clone, Default)]
pub struct PluginHost {
    pub clock: Option<Rc<dyn Clock>>,
    pub network: Option<Rc<dyn HttpClient>>,
    pub on_progress: Option<chartroom_engine::plugin::ProgressFn>,
    pub sleep: Option<SleepFn>,
}

/// Loaded plugins by content hash (plugin.yaml + plugin.wasm), so a render
/// after an edit of the chart reuses the compiled module.
#[derive(Default)]
pub struct PluginCache {
    entries: Vec<(String, Rc<Plugin>)>,
}

/// Plugins kept compiled (a few, so switching examples back and forth is fast).
const CACHE_SIZE: usize = 4;

impl PluginCache {
    /// The plugin for these files, and whether it came from the cache.
    pub fn load(&mut self, yaml: &str, wasm: &[u8]) -> Result<(Rc<Plugin>, bool), String> {
        let mut h = Sha256::new();
        h.update((yaml.len() as u64).to_le_bytes());
        h.update(yaml.as_bytes());
        h.update(wasm);
        let key: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        if let Some(i) = self.entries.iter().position(|(k, _)| *k == key) {
            let e = self.entries.remove(i);
            let p = e.1.clone();
            self.entries.push(e);
            return Ok((p, true));
        }
        let files: BTreeMap<String, Vec<u8>> = [("plugin.yaml".to_string(), yaml.as_bytes().to_vec()), ("plugin.wasm".to_string(), wasm.to_vec())].into();
        let p = Rc::new(chartroom_engine::plugin::load(&files).map_err(|e| e.to_string())?);
        if self.entries.len() >= CACHE_SIZE {
            self.entries.remove(0);
        }
        self.entries.push((key, p.clone()));
        Ok((p, false))
    }
}

/// The mock table first (exact URL), then the network when the host has one.
pub struct MockThenNetwork {
    mock: MockHttp,
    network: Option<Rc<dyn HttpClient>>,
}

impl MockThenNetwork {
    pub fn new(entries: &[MockHttpEntry], network: Option<Rc<dyn HttpClient>>) -> Self {
        let mut mock = MockHttp::default();
        for e in entries {
            mock.responses.insert(
                e.url.clone(),
                HttpResponse { status: e.status, headers: e.headers.iter().cloned().collect(), body: e.body.as_bytes().to_vec() },
            );
        }
        MockThenNetwork { mock, network }
    }
}

impl HttpClient for MockThenNetwork {
    fn fetch(&self, req: &HttpRequest) -> HttpFuture {
        match (self.mock.answer(req), &self.network) {
            (Ok(r), _) => chartroom_engine::plugin::http::ready(Ok(r)),
            (Err(_), Some(n)) => n.fetch(req),
            (Err(e), None) => chartroom_engine::plugin::http::ready(Err(e)),
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::Options;

    fn read(rel: &str) -> Vec<u8> {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel);
        std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    fn plugin(name: &str, args: &[&str], run_cli: bool) -> PluginJob {
        PluginJob {
            yaml: String::from_utf8(read(&format!("public/plugins/{name}/plugin.yaml"))).unwrap(),
            wasm: read(&format!("public/plugins/{name}/plugin.wasm")),
            args: args.iter().map(|a| a.to_string()).collect(),
            profile: "helm-4.2".into(),
            fuel_budget: None,
            mock_http: Vec::new(),
            run_cli,
        }
    }

    #[test]
    fn set_json_literal_and_file_reach_the_values() {
        let files: Vec<(String, Vec<u8>)> = vec![
            ("Chart.yaml".into(), b"apiVersion: v2\nname: c\nversion: 0.1.0\n".to_vec()),
            ("files/cfg.txt".into(), b"x: 1\n".to_vec()),
            ("templates/t.yaml".into(), b"j: {{ toJson .Values.a }}\nl: {{ .Values.l | quote }}\nf: {{ .Values.f | quote }}\n".to_vec()),
        ];
        let o = Options {
            set_json: "a={\"b\":[1,2]}".into(),
            set_literal: "l=p,q".into(),
            set_file: "f=files/cfg.txt".into(),
            ..Options::default()
        };
        let out = RenderJob::new(1, files.clone(), &o).run().expect("render");
        assert!(out.manifest.contains("j: {\"b\":[1,2]}\nl: \"p,q\"\nf: \"x: 1\\n\"\n"), "{}", out.manifest);
        let o = Options { set_file: "f=files/missing.txt".into(), ..Options::default() };
        let err = RenderJob::new(1, files, &o).run().expect_err("missing file");
        assert!(err.message.contains("files/missing.txt"), "{}", err.message);
    }

    /// Expected texts: `chartroom plugin get public/plugins/getter URL`
    /// (stdout, and the `Error:` line for a missing artefact).
    #[test]
    fn getter_runs_on_demand_with_the_first_argument_as_url() {
        let (r, rep) = hello_world_job(Some(plugin("getter", &["example://repo/README.txt"], false))).run_with(&PluginHost::default(), &mut PluginCache::default());
        let rep = rep.expect("report");
        assert!(r.is_ok() && !rep.ran && rep.note.is_some(), "not run with a plain render");
        let (_, rep) = hello_world_job(Some(plugin("getter", &["example://repo/README.txt"], true))).run_with(&PluginHost::default(), &mut PluginCache::default());
        let rep = rep.expect("report");
        assert_eq!(rep.output.as_deref(), Some("Served by the example getter plugin over example://\n"));
        assert_eq!(rep.error, None);
        let (_, rep) = hello_world_job(Some(plugin("getter", &["example://repo/nope"], true))).run_with(&PluginHost::default(), &mut PluginCache::default());
        assert_eq!(
            rep.expect("report").error.as_deref(),
            Some("plugin \"getter\" failed to invoke: plugin error: example getter: no artefact at example://repo/nope (try example://repo/index.yaml)")
        );
    }

    fn hello_world_job(p: Option<PluginJob>) -> RenderJob {
        let files = crate::examples::HELLO_WORLD.iter().map(|(k, v)| (k.to_string(), v.as_bytes().to_vec())).collect();
        let mut job = RenderJob::new(1, files, &Options::default());
        job.plugin = p;
        job
    }

    /// The expected text comes from the native CLI (`chartroom template
    /// release-name public/examples/hello-world --post-renderer
    /// public/plugins/add-labels --post-renderer-args team=web`).
    #[test]
    fn post_renderer_output_matches_the_native_cli() {
        let mut cache = PluginCache::default();
        let (r, rep) = hello_world_job(Some(plugin("add-labels", &["team=web"], false))).run_with(&PluginHost::default(), &mut cache);
        let expected = String::from_utf8(read("tests/e2e/fixtures/hello-world-add-labels-team.post-renderer.yaml")).unwrap();
        assert_eq!(r.unwrap().manifest, expected);
        let rep = rep.unwrap();
        assert!(rep.ran && rep.error.is_none() && !rep.cached);
        assert_eq!(rep.plugin_type, "postrenderer/v1");
        assert!(rep.input.contains("postrenderer.helm.sh/postrender-filename: hello-world/templates/service.yaml"), "{}", rep.input);
        let out = rep.output.unwrap();
        assert!(out.contains("team: \"web\"") || out.contains("team: web"), "{out}");
        let (add, del) = crate::plugin_state::diff_stats(&crate::plugin_state::line_diff(&rep.input, &out));
        assert!(add >= 3 && del == 0, "+{add} -{del}");
        // Second render: the compiled plugin comes from the cache.
        let (_, rep2) = hello_world_job(Some(plugin("add-labels", &["team=web"], false))).run_with(&PluginHost::default(), &mut cache);
        assert!(rep2.unwrap().cached);
    }

    /// `helm -n prod hello-cli`: the options bar's namespace reaches the
    /// plugin as HELM_NAMESPACE (Helm's settings.EnvVars); default otherwise.
    #[test]
    fn cli_plugins_see_the_namespace_as_helm_namespace() {
        for (ns, expected) in [("prod", "  HELM_NAMESPACE=prod\n"), ("default", "  HELM_NAMESPACE=default\n")] {
            let files = crate::examples::HELLO_WORLD.iter().map(|(k, v)| (k.to_string(), v.as_bytes().to_vec())).collect();
            let mut job = RenderJob::new(1, files, &Options { namespace: ns.into(), ..Options::default() });
            job.plugin = Some(plugin("hello-cli", &[], true));
            let (_, rep) = job.run_with(&PluginHost::default(), &mut PluginCache::default());
            let rep = rep.expect("report");
            assert_eq!(rep.error, None);
            assert!(rep.stdout.contains(expected), "{}", rep.stdout);
        }
    }

    #[test]
    fn memory_bomb_hits_max_pages() {
        let (r, rep) = hello_world_job(Some(plugin("memory-bomb", &[], false))).run_with(&PluginHost::default(), &mut PluginCache::default());
        let msg = r.unwrap_err().message;
        assert!(msg.contains("memory limit exceeded"), "{msg}");
        let rep = rep.unwrap();
        assert_eq!(rep.summary.max_pages, 64);
        assert!(rep.events.iter().any(|e| !e.allowed && e.rule.contains("maxPages")), "{:?}", rep.events);
    }

    #[test]
    fn cli_plugins_run_only_when_asked_and_denials_are_logged() {
        let mut cache = PluginCache::default();
        let (r, rep) = hello_world_job(Some(plugin("denied-host", &[], false))).run_with(&PluginHost::default(), &mut cache);
        assert!(r.is_ok());
        let rep = rep.unwrap();
        assert!(!rep.ran && rep.note.is_some());
        let (r, rep) = hello_world_job(Some(plugin("denied-host", &[], true))).run_with(&PluginHost::default(), &mut cache);
        assert!(r.is_ok(), "the chart still renders");
        let rep = rep.unwrap();
        assert_eq!(rep.error.as_deref(), Some("plugin error: HTTP request to 'https://evil.example.com/exfiltrate' is not allowed"));
        let denial = rep.events.iter().find(|e| !e.allowed).unwrap();
        assert_eq!(denial.call, "extism:host/env.http_request");
        assert!(denial.rule.contains("allowedHosts"), "{}", denial.rule);
    }

    #[test]
    fn mock_table_answers_before_the_network() {
        struct Net;
        impl HttpClient for Net {
            fn fetch(&self, _: &HttpRequest) -> HttpFuture {
                chartroom_engine::plugin::http::ready(Err("blocked by the browser: CORS or network error".into()))
            }
        }
        let m = MockThenNetwork::new(&[MockHttpEntry { url: "https://a.example/x".into(), status: 201, headers: vec![], body: "hi".into() }], Some(Rc::new(Net)));
        let req = |url: &str| HttpRequest { url: url.into(), method: "GET".into(), headers: BTreeMap::new(), body: vec![] };
        let get = |url: &str| block_on(m.fetch(&req(url))).expect("answered at once");
        assert_eq!(get("https://a.example/x").unwrap().status, 201);
        assert_eq!(get("https://a.example/y").unwrap_err(), "blocked by the browser: CORS or network error");
    }

    #[test]
    fn a_plugin_yaml_error_stops_the_render_with_helms_text() {
        let mut p = plugin("add-labels", &[], false);
        p.yaml = "apiVersion: v1\nname: x\n".into();
        let (r, rep) = hello_world_job(Some(p)).run_with(&PluginHost::default(), &mut PluginCache::default());
        assert!(r.unwrap_err().message.starts_with("failed to load plugin: "));
        assert!(rep.unwrap().error.is_some());
    }
}
