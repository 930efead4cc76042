//! The engine's public entry point: `helm template` on an in-memory chart.
//! Port of pkg/action/install.go (renderResources) and pkg/cmd/template.go.

use crate::error::{go_err, Error};
use std::collections::BTreeMap;
use std::fmt;

use crate::chart::objects::{Capabilities, KubeVersion};
use crate::chart::{self, Chart};
use crate::engine::{self, RenderOptions};
use crate::releaseutil::{self, Document, Hook, Manifest};
use crate::template::{Env, Limits};
use crate::value::{Map, Value};
use crate::{helmfuncs, strvals, values};

/// Everything `helm template [NAME] CHART [flags]` takes.
#[derive(Clone, Debug)]
pub struct RenderRequest {
    /// Chart files, paths relative to the chart root (`Chart.yaml`,
    /// `templates/x.yaml`, `charts/sub/Chart.yaml`).
    pub files: BTreeMap<String, Vec<u8>>,
    pub release_name: String,
    pub namespace: String,
    /// User values files in `-f` order: (name, bytes).
    pub values_files: Vec<(String, Vec<u8>)>,
    /// `--set` arguments.
    pub set: Vec<String>,
    /// `--set-string` arguments.
    pub set_string: Vec<String>,
    /// `--set-json` arguments (`key=JSON,…` or a whole JSON object).
    pub set_json: Vec<String>,
    /// `--set-file` arguments, raw `key=path,…`.
    pub set_file: Vec<String>,
    /// The bytes of each path `set_file` names.
    pub set_file_data: BTreeMap<String, Vec<u8>>,
    /// `--set-literal` arguments.
    pub set_literal: Vec<String>,
    pub kube_version: Option<String>,
    pub api_versions: Vec<String>,
    pub is_upgrade: bool,
    pub include_crds: bool,
    pub skip_tests: bool,
    pub no_hooks: bool,
    pub show_only: Vec<String>,
    /// Seed of the render's random functions (fixed → reproducible).
    pub seed: Option<u64>,
    /// Fixed "now" for date functions, Unix nanoseconds.
    pub now_unix_nanos: Option<i128>,
    pub enable_dns: bool,
    /// Evaluation step budget (runaway templates).
    pub max_steps: Option<u64>,
    /// Memory budget: bytes of values the templates may hold at once (default
    /// [`crate::template::guard::DEFAULT_MAX_MEMORY`]).
    pub max_memory: Option<u64>,
    /// Wall-clock deadline of the render in nanoseconds (`--timeout`, Go
    /// duration syntax in the CLI); None = no deadline, as in Helm.
    pub timeout_nanos: Option<i64>,
    /// The deadline's clock and the cancel callback.
    pub hooks: RenderHooks,
    /// `--skip-schema-validation`
    pub skip_schema_validation: bool,
    /// A mock cluster for `lookup`: YAML documents (objects or `kind: List`).
    pub mock_cluster: Option<String>,
    /// The Helm patch release whose output is reproduced (v4.2.3 unless
    /// chosen).
    pub helm_release: releaseutil::HelmRelease,
    /// Trace the render (source map, coverage, values read): fills
    /// [`RenderOutput::trace`]. Off by default; the output is the same.
    pub trace: bool,
}

impl Default for RenderRequest {
    fn default() -> Self {
        RenderRequest {
            files: BTreeMap::new(),
            release_name: "release-name".into(),
            namespace: "default".into(),
            values_files: Vec::new(),
            set: Vec::new(),
            set_string: Vec::new(),
            set_json: Vec::new(),
            set_file: Vec::new(),
            set_file_data: BTreeMap::new(),
            set_literal: Vec::new(),
            kube_version: None,
            api_versions: Vec::new(),
            is_upgrade: false,
            include_crds: false,
            skip_tests: false,
            no_hooks: false,
            show_only: Vec::new(),
            seed: None,
            now_unix_nanos: None,
            enable_dns: false,
            max_steps: None,
            max_memory: None,
            timeout_nanos: None,
            hooks: RenderHooks::default(),
            skip_schema_validation: false,
            mock_cluster: None,
            helm_release: releaseutil::HelmRelease::default(),
            trace: false,
        }
    }
}

/// Callbacks of a render: the clock its deadline reads (milliseconds;
/// natively `Instant` when none is given, in the page `performance.now()`)
/// and a cancel callback polled while templates run (a newer edit ends a
/// running render).
#[derive(Clone, Default)]
pub struct RenderHooks {
    pub clock: Option<crate::template::guard::Clock>,
    pub cancel: Option<crate::template::guard::Cancel>,
    /// Whether the native stack has room for more nested template calls (the
    /// page's probe of its worker's fixed stack).
    pub stack_room: Option<crate::template::guard::StackRoom>,
    /// Runs a function on a fresh native stack (the page's stack switching),
    /// so nested template calls reach Go's and Helm's limits.
    pub fresh_stack: Option<crate::template::guard::FreshStack>,
}

impl fmt::Debug for RenderHooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RenderHooks")
            .field("clock", &self.clock.is_some())
            .field("cancel", &self.cancel.is_some())
            .field("stack_room", &self.stack_room.is_some())
            .field("fresh_stack", &self.fresh_stack.is_some())
            .finish()
    }
}

/// The guard of a render (memory budget, deadline, cancel) from its request.
fn guard_for(req: &RenderRequest) -> crate::template::guard::Guard {
    use crate::template::guard::{Deadline, Guard, DEFAULT_MAX_MEMORY};
    let mut g = Guard::default();
    g.max_memory = req.max_memory.unwrap_or(DEFAULT_MAX_MEMORY);
    g.cancel = req.hooks.cancel.clone();
    g.stack_room = req.hooks.stack_room.clone();
    g.fresh_stack = req.hooks.fresh_stack.clone();
    if let Some(t) = req.timeout_nanos {
        if let Some(clock) = req.hooks.clock.clone().or_else(native_clock) {
            let at_ms = clock() + t as f64 / 1e6;
            g.deadline = Some(Deadline { clock, at_ms, label: crate::sprig::date::format_duration(t) });
        }
    }
    g
}

/// Milliseconds since the first call, natively; wasm32 has no clock of its
/// own (the page passes `performance.now()`).
fn native_clock() -> Option<crate::template::guard::Clock> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let start = std::time::Instant::now();
        Some(std::rc::Rc::new(move || start.elapsed().as_secs_f64() * 1e3))
    }
    #[cfg(target_arch = "wasm32")]
    {
        None
    }
}

/// What `helm template` prints, and the parts the playground shows apart.
#[derive(Clone, Debug, Default)]
pub struct RenderOutput {
    /// Exactly `helm template`'s stdout.
    pub manifest: String,
    /// Rendered NOTES.txt of the top chart (not part of `manifest`).
    pub notes: String,
    /// Rendered text of every template (engine.Render's map, NOTES included).
    pub files: BTreeMap<String, String>,
    pub hooks: Vec<Hook>,
    /// The release's manifests in install order (SortManifests), before
    /// printing: what `--output-dir` writes, one file per template.
    pub manifests: Vec<Manifest>,
    /// The documents of `manifest`, in order (after `--show-only`, the
    /// documents it kept): source path, kind, name, hook events, line and
    /// text, so nothing downstream splits `manifest` again.
    pub documents: Vec<Document>,
    /// Capability decisions made while rendering (lookup, DNS).
    pub capability_log: Vec<crate::template::funcs::CapabilityEvent>,
    /// What produced each output line, coverage and unused values, when
    /// [`RenderRequest::trace`] was set.
    pub trace: Option<crate::explain::RenderTrace>,
    /// What Helm writes with `log.Printf` while rendering (values
    /// coalescing's `warning: destination for a.b is a table…`), in order,
    /// without the logger's time prefix. A failed render's lines are left
    /// for [`crate::gofmt::log::take`].
    pub log: Vec<String>,
}

/// A failure, as `helm template` reports it after `Error: `: the engine's
/// one error type (its stage, position and call chain with Helm's text),
/// under the name the page and the CLI have always used.
pub use crate::error::Error as RenderError;
use crate::error::Kind;

/// The `--debug` hint `helm template` adds when the release was rendered
/// but its manifests could not be processed.
const DEBUG_HINT: &str = "\n\nUse --debug flag to render out invalid YAML";

/// Renders a chart like `helm template`.
pub fn render(req: &RenderRequest) -> Result<RenderOutput, RenderError> {
    let chart = chart::load_files(&req.files)?;
    render_chart(&chart, req)
}

/// Merges user values like Helm's `values.Options.MergeValues` (v4.2.3):
/// values files, then --set-json, --set, --set-string, --set-file,
/// --set-literal, each with Helm's error prefix.
pub fn user_values(req: &RenderRequest) -> Result<Map, RenderError> {
    let mut base = Map::new();
    for (name, bytes) in &req.values_files {
        let text = String::from_utf8_lossy(bytes);
        let v = chart::load_values(&text)
            .map_err(|e| RenderError::yaml(Kind::Values, name.clone(), e).wrap(&format!("failed to parse {name}: ")))?;
        if let Value::Map(m, _) = v {
            base = values::merge_maps(&base, &m.borrow());
        }
    }
    // --set-json: a whole JSON object is merged; else key=JSON pairs. Helm
    // drops the underlying error from both messages.
    for s in &req.set_json {
        let trimmed = s.trim_matches(char::is_whitespace);
        if trimmed.starts_with('{') {
            match crate::json::unmarshal(trimmed.as_bytes(), crate::json::Target::Map) {
                (Value::Map(m, _), None) => base = values::merge_maps(&base, &m.borrow()),
                _ => return Err(RenderError::new(Kind::Values, format!("failed parsing --set-json data JSON: {s}"))),
            }
        } else {
            strvals::parse_json(s, &mut base)
                .map_err(|_| RenderError::new(Kind::Values, format!("failed parsing --set-json data {s}")))?;
        }
    }
    // A line's error is marked at the flag (as the error's file), the
    // line's number among that flag's lines, and the column.
    fn at_line(flag: &'static str, i: usize) -> impl Fn(RenderError) -> RenderError {
        move |e| {
            let col = e.col;
            e.wrap(&format!("failed parsing {flag} data: ")).at(flag, Some(i + 1), col)
        }
    }
    for (i, s) in req.set.iter().enumerate() {
        strvals::parse_into(s, &mut base).map_err(at_line("--set", i))?;
    }
    for (i, s) in req.set_string.iter().enumerate() {
        strvals::parse_into_string(s, &mut base).map_err(at_line("--set-string", i))?;
    }
    for (i, s) in req.set_file.iter().enumerate() {
        // Helm's readFile: stdin for `-`, a getter for URLs, else
        // os.ReadFile. Here the bytes come from `set_file_data` (the CLI
        // reads the named paths, the browser passes workspace files); a path
        // that is not there fails with os.ReadFile's text for a missing file.
        let mut reader = |path: &str| -> Result<Vec<u8>, Error> {
            req.set_file_data.get(path).cloned().ok_or_else(|| go_err!("open {path}: no such file or directory"))
        };
        strvals::parse_into_file(s, &mut base, &mut reader).map_err(at_line("--set-file", i))?;
    }
    for (i, s) in req.set_literal.iter().enumerate() {
        strvals::parse_literal_into(s, &mut base).map_err(at_line("--set-literal", i))?;
    }
    Ok(base)
}

/// The values the templates see (`.Values` of the top chart): user values,
/// dependencies processed (conditions, tags, import-values), chart and
/// subchart defaults coalesced — as [`render`] computes them.
pub fn template_values(chart: &Chart, req: &RenderRequest) -> Result<Value, RenderError> {
    let user = user_values(req)?;
    let mut processed = chart.clone();
    chart::dependencies::process_dependencies(&mut processed, &Value::map(user.clone()))
        .map_err(|e| e.wrap("chart dependencies processing failed: ").of_kind(Kind::Chart))?;
    values::coalesce_values(&processed, &Value::map(user))
}

/// Helm's engine.Render for a loaded chart: template path → rendered text
/// (NOTES included), with the capability decisions made while rendering.
pub fn render_templates(
    chart: &Chart,
    req: &RenderRequest,
) -> Result<(BTreeMap<String, String>, Vec<crate::template::funcs::CapabilityEvent>), RenderError> {
    render_stages(chart, req).map(|(f, c, _, _)| (f, c)).map_err(|(e, _)| e)
}

/// The rendered files, the capability log, the trace, and the CRDs
/// `--include-crds` prints (of the chart as ProcessDependencies left it: a
/// subchart its condition or tags disabled has none).
type Rendered = (
    BTreeMap<String, String>,
    Vec<crate::template::funcs::CapabilityEvent>,
    Option<crate::explain::RenderTrace>,
    Vec<(String, String)>,
);

/// chartutil.ValidateReleaseName: at most 53 bytes matching
/// `^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`.
fn validate_release_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("no name provided");
    }
    let label_ok = |l: &str| {
        let b = l.as_bytes();
        let alnum = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
        !b.is_empty() && alnum(&b[0]) && alnum(&b[b.len() - 1]) && b.iter().all(|c| alnum(c) || *c == b'-')
    };
    if name.len() > 53 || !name.split('.').all(label_ok) {
        return Err("invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53");
    }
    Ok(())
}

/// Like [`render_templates`]; the flag tells whether the failure happened
/// inside Helm's renderResources (where `helm template` adds its --debug
/// hint) rather than before it.
fn render_stages(chart: &Chart, req: &RenderRequest) -> Result<Rendered, (RenderError, bool)> {
    // Declared first, dropped last: frees the cycles the render's values
    // made (`set $d "k" $d`) once its locals are gone (value::gc).
    let _gc = crate::value::gc::CollectOnDrop;
    let before = |e: RenderError| (e, false);
    // The deadline counts from here: loading values and schemas is part of it.
    let guard = guard_for(req);
    // runInstall's order: values (MergeValues), installable, dependencies
    // present, then Install.RunWithContext's release name check.
    let user = user_values(req).map_err(before)?;
    if chart.is_library() {
        return Err(before(RenderError::new(Kind::Chart, "library charts are not installable")));
    }
    if !chart.metadata.dependencies.is_empty() {
        chart::dependencies::check_dependencies(chart).map_err(|e| {
            before(e.wrap(
                "an error occurred while checking for chart dependencies. You may need to run 'helm dependency build' to fetch missing dependencies: ",
            ))
        })?;
    }
    if let Err(e) = validate_release_name(&req.release_name) {
        let e = format!("release name {}: {e}", crate::gofmt::strconv::quote(&req.release_name));
        crate::gofmt::slog::log("ERROR", "release name check failed", &[("error", &e)]);
        return Err(before(RenderError::new(Kind::Setup, format!("release name check failed: {e}"))));
    }
    let mut processed = chart.clone();
    chart::dependencies::process_dependencies(&mut processed, &Value::map(user.clone()))
        .map_err(|e| before(e.wrap("chart dependencies processing failed: ").of_kind(Kind::Chart)))?;
    let chart = &processed;
    let kube = match &req.kube_version {
        Some(k) if !k.is_empty() => Some(KubeVersion::parse_flag(k).map_err(before)?),
        _ => None,
    };
    let caps = Capabilities::new(kube, &req.api_versions);
    if !chart.metadata.kube_version.is_empty() {
        // Helm checks the chart's kubeVersion constraint before rendering.
        if !crate::sprig::semver_constraint_check(&chart.metadata.kube_version, &caps.kube_version.normalized) {
            return Err((
                RenderError::new(
                    Kind::Setup,
                    format!(
                        "chart requires kubeVersion: {} which is incompatible with Kubernetes {}",
                        chart.metadata.kube_version, caps.kube_version.version
                    ),
                ),
                true,
            ));
        }
    }
    let coalesced = values::coalesce_values(chart, &Value::map(user)).map_err(before)?;
    if !req.skip_schema_validation {
        chart::schema::validate_against_schema(chart, &coalesced).map_err(before)?;
    }

    let mut release = Map::new();
    release.insert("Name".into(), Value::str(&req.release_name));
    release.insert("Namespace".into(), Value::str(&req.namespace));
    release.insert("IsUpgrade".into(), Value::Bool(req.is_upgrade));
    release.insert("IsInstall".into(), Value::Bool(!req.is_upgrade));
    release.insert("Revision".into(), Value::int(1));
    release.insert("Service".into(), Value::str("Helm"));
    let mut top = Map::new();
    top.insert("Chart".into(), Value::map(chart.metadata.as_map()));
    top.insert("Capabilities".into(), Value::Object(std::rc::Rc::new(caps)));
    top.insert("Release".into(), Value::map(release));
    top.insert("Values".into(), coalesced);

    let funcs = helmfuncs::helm_func_map();
    let mut env = Env::default();
    if let Some(seed) = req.seed {
        env.rng_state = seed;
    }
    env.fixed_now_unix_nanos = req.now_unix_nanos;
    env.enable_dns = req.enable_dns;
    env.guard = guard;
    if let Some(text) = &req.mock_cluster {
        let docs = crate::yaml::parse_all(text).map_err(|e| {
            before(RenderError::new(Kind::Setup, format!("mock cluster: {}", e.msg)).at(
                "mock-cluster.yaml",
                (e.line > 0).then_some(e.line),
                (e.col > 0).then_some(e.col),
            ))
        })?;
        for d in docs {
            // A `kind: List` document contributes its items.
            match d.get("items") {
                Some(Value::List(items, _))
                    if d.get("kind").and_then(|k| k.as_str().map(|s| s.ends_with("List"))) == Some(true) =>
                {
                    env.mock_cluster.extend(items.borrow().iter().cloned());
                }
                _ if matches!(d, Value::Map(_, _)) => env.mock_cluster.push(d),
                _ => {}
            }
        }
    }
    let mut limits = Limits::default();
    if let Some(s) = req.max_steps {
        limits.max_steps = s;
    }
    let opts = RenderOptions { funcs: &funcs, limits };
    let values_seen = top.get("Values").cloned().unwrap_or(Value::Nil);
    let (files, trace) = engine::render_traced(chart, &top, &mut env, &opts, req.trace).map_err(|e| {
        let limit = e.is_limit();
        (e, !limit)
    })?;
    let trace = trace.map(|t| crate::explain::explain(&t, &files, &values_seen));
    // Helm's renderResources takes CRDObjects() of the processed chart.
    let crds = if req.include_crds { chart_crds(chart) } else { Vec::new() };
    Ok((files, env.capability_log, trace, crds))
}

pub fn render_chart(chart: &Chart, req: &RenderRequest) -> Result<RenderOutput, RenderError> {
    let front = render_front(chart, req)?;
    render_back(chart, req, front)
}

/// A post-renderer to run between rendering and sorting (Helm's
/// `--post-renderer`, combined strategy, with the input/output contract Helm
/// intends; released Helm ≤ 4.2.4 cannot run Wasm post-renderers, #31832).
#[cfg(feature = "plugins")]
pub struct PostRender<'a> {
    pub plugin: &'a crate::plugin::Plugin,
    pub args: &'a [String],
    pub opts: &'a crate::plugin::RunOptions,
}

#[cfg(feature = "plugins")]
/// What the post-renderer of one render did: its run (None when it was not
/// reached) and the annotated stream it was given (for a diff).
#[derive(Default)]
pub struct PostRun {
    pub run: Option<crate::plugin::RunResult>,
    pub input: Option<String>,
}

#[cfg(feature = "plugins")]
/// Renders a chart like `helm template --post-renderer`: also returns the
/// plugin run (output, capability log, limits summary) and its input.
// The error carries the plugin run (log, limits) for the page: one per render.
#[allow(clippy::result_large_err)]
pub fn render_chart_post(
    chart: &Chart,
    req: &RenderRequest,
    pr: &PostRender<'_>,
) -> Result<(RenderOutput, PostRun), (RenderError, PostRun)> {
    crate::plugin::future::block_on(render_chart_post_async(chart, req, pr)).unwrap_or_else(|| {
        Err((RenderError::new(Kind::Manifest, crate::plugin::future::NOT_SYNCHRONOUS), PostRun::default()))
    })
}

#[cfg(feature = "plugins")]
/// [`render_chart_post`] for hosts whose HTTP answers asynchronously (the
/// browser's worker awaits `fetch()` while the plugin is suspended).
pub async fn render_chart_post_async(
    chart: &Chart,
    req: &RenderRequest,
    pr: &PostRender<'_>,
) -> Result<(RenderOutput, PostRun), (RenderError, PostRun)> {
    let mut post = PostRun::default();
    let mut front = match render_front(chart, req) {
        Ok(f) => f,
        Err(e) => return Err((e, post)),
    };
    let stream = match crate::plugin::postrender::merged_input(&front.files) {
        Ok(s) => s,
        Err(e) => return Err((with_debug_hint(at_template_line(chart, &front.files, e)), post)),
    };
    let result = crate::plugin::postrender::run_stream_async(pr.plugin, &stream, pr.args, pr.opts).await;
    post.input = Some(stream);
    match result {
        Ok(out) => {
            post.run = Some(out.run);
            front.files = out.files;
        }
        Err((msg, r)) => {
            post.run = r;
            return Err((with_debug_hint(RenderError::new(Kind::Manifest, msg)), post));
        }
    }
    match render_back(chart, req, front) {
        Ok(out) => Ok((out, post)),
        Err(e) => Err((e, post)),
    }
}

fn with_debug_hint(mut e: RenderError) -> RenderError {
    e.message.push_str(DEBUG_HINT);
    e
}

/// A chart rendered, before post-rendering and sorting.
struct Front {
    /// Template path → content, NOTES removed (what a post-renderer gets).
    files: BTreeMap<String, String>,
    /// Every rendered file, NOTES included (`RenderOutput::files`).
    all_files: BTreeMap<String, String>,
    notes: String,
    capability_log: Vec<crate::template::funcs::CapabilityEvent>,
    trace: Option<crate::explain::RenderTrace>,
    /// What `--include-crds` prints first (see [`Rendered`]).
    crds: Vec<(String, String)>,
}

fn render_front(chart: &Chart, req: &RenderRequest) -> Result<Front, RenderError> {
    // Lines an earlier call on this thread left behind are not this render's.
    crate::gofmt::log::take();
    let (mut files, capability_log, trace, crds) =
        render_stages(chart, req).map_err(|(e, in_render)| if in_render { with_debug_hint(e) } else { e })?;
    let all_files = files.clone();

    // NOTES: only the top chart's (subNotes false), removed from the files.
    let notes_name = format!("{}/templates/NOTES.txt", chart.name());
    let mut notes = String::new();
    files.retain(|k, v| {
        if k.ends_with("NOTES.txt") {
            if *k == notes_name {
                if !notes.is_empty() {
                    notes.push('\n');
                }
                notes.push_str(v);
            }
            false
        } else {
            true
        }
    });

    Ok(Front { files, all_files, notes, capability_log, trace, crds })
}

/// The source of the template at `path` (`root/templates/x.yaml`,
/// `root/charts/sub/templates/y.yaml`) in the chart or its subcharts.
fn chart_template_text(chart: &Chart, path: &str) -> Option<String> {
    let rest = path.strip_prefix(chart.full_path.as_str())?.strip_prefix('/')?;
    if let Some(t) = chart.templates.iter().find(|t| t.name == rest) {
        return Some(String::from_utf8_lossy(&t.data).into_owned());
    }
    chart.dependencies.iter().find_map(|d| chart_template_text(d, path))
}

/// An error marked in a rendered file (`files`) marked instead at the
/// template line that wrote it; the column counts in the rendered line, not
/// the template's, so it is dropped.
fn at_template_line(chart: &Chart, files: &BTreeMap<String, String>, e: RenderError) -> RenderError {
    let path = e.file.clone().unwrap_or_default();
    let line = e.line.and_then(|n| {
        let rendered = files.get(&path)?;
        releaseutil::template_line(&chart_template_text(chart, &path)?, rendered, rendered, n)
    });
    e.at(path, line, None)
}

fn render_back(chart: &Chart, req: &RenderRequest, front: Front) -> Result<RenderOutput, RenderError> {
    let Front { files, all_files, notes, capability_log, trace, crds } = front;
    let (hooks, manifests) = releaseutil::sort_manifests_as(&files, req.helm_release)
        .map_err(|e| with_debug_hint(at_template_line(chart, &files, e)))?;

    // rel.Manifest
    let mut b = String::new();
    for c in &crds {
        b.push_str(&format!("---\n# Source: {}\n{}\n", c.0, c.1));
    }
    for m in &manifests {
        b.push_str(&format!("---\n# Source: {}\n{}\n", m.name, m.content));
    }
    // helm template: TrimSpace(rel.Manifest) + "\n", then hooks.
    let mut out = String::new();
    out.push_str(go_trim_space(&b));
    out.push('\n');
    let printed_hooks: Vec<&Hook> = if req.no_hooks {
        Vec::new()
    } else {
        hooks.iter().filter(|h| !(req.skip_tests && h.events.iter().any(|e| e == "test"))).collect()
    };
    for h in &printed_hooks {
        out.push_str(&format!("---\n# Source: {}\n{}\n", h.path, h.manifest));
    }
    // The documents, split once; the sorter's heads are reused.
    let known: Vec<releaseutil::Known<'_>> = manifests
        .iter()
        .map(|m| releaseutil::Known { path: &m.name, kind: &m.head.kind, name: &m.head.name, hook: &[] })
        .chain(printed_hooks.iter().map(|h| releaseutil::Known {
            path: &h.path,
            kind: &h.kind,
            name: &h.name,
            hook: &h.events,
        }))
        .collect();
    let mut documents = releaseutil::documents_with(&out, req.helm_release, &known);
    let manifest = if req.show_only.is_empty() {
        out
    } else {
        documents = show_only(&documents, &req.show_only)?;
        print_documents(&mut documents)
    };
    let trace = trace.map(|mut t| {
        let notes_file = format!("{}/templates/NOTES.txt", chart.name());
        crate::explain::map_output(&mut t, &manifest, &documents, &notes, &notes_file, &all_files);
        t
    });
    let log = crate::gofmt::log::take();
    Ok(RenderOutput { manifest, notes, files: all_files, hooks, manifests, documents, capability_log, trace, log })
}

/// CRD files of the chart and its subcharts (`CRDObjects`), with their
/// `chart/crds/x.yaml`-style names.
fn chart_crds(chart: &Chart) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = chart
        .crd_files()
        .into_iter()
        .map(|f| (format!("{}/{}", chart.full_path, f.name), String::from_utf8_lossy(&f.data).into_owned()))
        .collect();
    for d in &chart.dependencies {
        v.extend(chart_crds(d));
    }
    v
}

fn go_trim_space(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace())
}

/// template.go's `--show-only`: the documents whose `# Source:` path after
/// the chart's name matches a pattern (filepath.Match), pattern by pattern
/// (a document matched by two patterns is kept twice). The error is
/// Helm's text for a pattern that matches nothing.
pub fn show_only(docs: &[Document], patterns: &[String]) -> Result<Vec<Document>, RenderError> {
    let mut kept = Vec::new();
    for f in patterns {
        let before = kept.len();
        kept.extend(
            docs.iter()
                .filter(|d| {
                    d.template_path().is_some_and(|p| crate::chart::objects::glob_match(f.as_bytes(), p.as_bytes()))
                })
                .cloned(),
        );
        if kept.len() == before {
            return Err(RenderError::new(Kind::Manifest, format!("could not find template {f} in chart")));
        }
    }
    Ok(kept)
}

/// How template.go prints the documents `--show-only` kept
/// (`---\n{text}\n` each); their lines are set to where they now stand.
pub fn print_documents(docs: &mut [Document]) -> String {
    let mut out = String::new();
    let mut line = 1;
    for d in docs {
        out.push_str("---\n");
        d.line = line + 1;
        out.push_str(&d.text);
        out.push('\n');
        line += 2 + d.text.matches('\n').count();
    }
    out
}
