//! Messages between the page and the render worker.
//!
//! These mirror the engine's `RenderRequest`/`RenderOutput`/`RenderError` with
//! serde derives, so the engine crate stays free of web and serialisation
//! dependencies. Every job carries a sequence number: the page only shows the
//! reply to its newest job, so a slow render can never overwrite a newer one.

use serde::{Deserialize, Serialize};

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
    /// Fixed seed (None: random, from the browser, as Helm is).
    pub seed: Option<u64>,
    /// Fixed clock in Unix nanoseconds (None: the browser's clock).
    pub now_unix_nanos: Option<i128>,
    /// The mock cluster `lookup` answers from (YAML).
    pub mock_cluster: Option<String>,
    /// An option the page could not read (bad seed or clock): the render
    /// fails with this message instead of silently ignoring the option.
    pub option_error: Option<String>,
}

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
            set_string: o.set_string_args(),
            set_json: o.set_json_args(),
            set_literal: o.set_literal_args(),
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
}

impl RenderJob {
    /// Runs the engine on this job (called in the worker; also usable natively).
    pub fn run(self) -> Result<Rendered, RenderFailure> {
        let fail = |message: String| Err(RenderFailure { message, file: None, line: None, col: None });
        if let Some(e) = self.option_error {
            return fail(e);
        }
        // TODO(merge): the engine gains RenderRequest.set_json / set_literal
        // (another branch); pass them through then. Until then say so rather
        // than render without them.
        if !self.set_json.is_empty() || !self.set_literal.is_empty() {
            return fail("--set-json and --set-literal are not supported by this build's engine yet".into());
        }
        let req = chartroom_engine::RenderRequest {
            files: self.files.into_iter().collect(),
            release_name: self.release_name,
            namespace: self.namespace,
            values_files: self.values_files,
            set: self.set,
            kube_version: self.kube_version,
            api_versions: self.api_versions,
            is_upgrade: self.is_upgrade,
            include_crds: self.include_crds,
            skip_tests: self.skip_tests,
            show_only: self.show_only,
            max_steps: Some(self.max_steps),
            set_string: self.set_string,
            // Like Helm, random functions are random and `now` is the current
            // time: the browser supplies both (the engine has no clock or
            // entropy source of its own on wasm32), unless the user fixed them.
            seed: self.seed.or_else(browser_seed),
            now_unix_nanos: self.now_unix_nanos.or_else(browser_now_nanos),
            mock_cluster: self.mock_cluster,
            ..chartroom_engine::RenderRequest::default()
        };
        match chartroom_engine::render(&req) {
            Ok(out) => Ok(Rendered {
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
            }),
            Err(e) => Err(RenderFailure {
                message: e.message,
                file: e.file,
                line: e.line.map(|l| l as u64),
                col: e.col.map(|c| c as u64),
            }),
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
