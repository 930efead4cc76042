//! One Helm `Invoke` on wasmi: loading a plugin directory, the call's
//! options and result, instantiation, the fuel-sliced run with its deadline,
//! and the HTTP requests a suspended guest waits on.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::{Mutex, OnceLock};

use wasmi::{CompilationMode, Config, Engine, Linker, Module, ResumableCall, Store, Val};

use super::host::{self, HostState};
use super::kernel::{self, NULL};
use super::limits::{self, Clock, Limits, Profile};
use super::log::{CapLog, Decision, Summary};
use super::manifest::{self, Metadata};
use super::wasi::{self, WasiState};
use super::wasm_binary;
use super::{future, http, json};
use crate::error::{Error, Kind, Limit, PluginEnd};

/// A loaded extism/v1 plugin: validated metadata and the wasm bytes. The
/// module is compiled on first use and kept (here and in a process-wide
/// cache keyed by the bytes' hash, so loading the same plugin again — the
/// page and the CLI build a new `Plugin` per run — does not recompile);
/// every call instantiates anew.
pub struct Plugin {
    pub metadata: Metadata,
    pub wasm: Vec<u8>,
    compiled: RefCell<Option<Compiled>>,
}

/// A compiled module and what the host learnt about it.
#[derive(Clone)]
struct Compiled {
    engine: Engine,
    module: Module,
    /// The module had a start section, now exported as
    /// [`wasm_binary::START_EXPORT`] (run under the call's limits).
    has_start: bool,
    /// The producers section / toolchain hint, for error messages.
    toolchain: Option<String>,
    /// The kernel's per-byte functions are inlined into the module
    /// ([`wasm_binary::inline_kernel`]), over its memory of this index
    /// (None: the kernel module is linked instead).
    kernel_memory: Option<u32>,
    /// The kernel module compiled for `engine`, when it is linked (no
    /// inlining).
    kernel: Option<Module>,
}

/// How many compiled modules the process keeps (LRU).
const MODULE_CACHE_SIZE: usize = 16;

fn module_cache() -> &'static Mutex<Vec<(u128, Compiled)>> {
    static CACHE: OnceLock<Mutex<Vec<(u128, Compiled)>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(Vec::new()))
}

/// A new engine for one compiled module: WebAssembly 2.0 as
/// wazero 1.12 enables it in Helm v4.2.3 (go-sdk v1.7.1 uses
/// `wazero.NewRuntimeConfig()`, i.e. `api.CoreFeaturesV2`: mutable-global,
/// bulk-memory, multi-value, non-trapping float-to-int, reference-types,
/// sign-extension, SIMD). Proposals wazero leaves off (tail-call,
/// extended-const, multi-memory, memory64, relaxed SIMD, threads) are off
/// here too, so a module Helm rejects is rejected here.
///
/// One engine per module, not one for the process: wasmi's engine keeps
/// every function body compiled with it until the engine itself is dropped,
/// so a process-wide engine grew with every module ever loaded (the
/// plugin_host fuzz target: 39 MiB → 741 MiB over 522,000 modules; the
/// page's worker on every plugin edit). A module's engine now goes with the
/// module, when it leaves the cache and no plugin holds it.
fn new_engine() -> Engine {
    let mut cfg = Config::default();
    cfg.consume_fuel(true)
        // Validate and translate each function body on its first
        // call: compiling a 2 MB Go or QuickJS module then costs
        // parsing only (~4 ms instead of ~50 ms with up-front
        // validation). Sections are still validated at load, and
        // `wasm_binary::body_proposal` rejects at load a body using a
        // proposal Helm's wazero lacks, so a module Helm rejects for
        // a feature fails at load as there; a body invalid otherwise
        // (a malformed or ill-typed module no toolchain emits) fails
        // when first called.
        .compilation_mode(CompilationMode::Lazy)
        // Translation is free in fuel: wasmi 2.0 fails a call (not
        // resumably) when a lazily translated callee's translation
        // fuel exceeds what is left of the slice. Fuel is
        // Chartroom's own budget (Helm has none) and eager
        // translation never cost fuel either; translation time still
        // counts against the deadline.
        .fuel_cost(wasmi::CustomFuelCosts {
            bytes_copied_per_fuel: 64,
            fuel_per_bytes_translated: 0,
            fuel_per_bytes_validated: 0,
        })
        // Start sections are moved to an export before compiling
        // (see wasm_binary::hoist_start), so none reaches wasmi.
        .allow_start_fn(false)
        .set_max_recursion_depth(16 * 1024)
        .set_max_stack_height(8 * 1024 * 1024)
        .wasm_mutable_global(true)
        .wasm_bulk_memory(true)
        .wasm_multi_value(true)
        .wasm_saturating_float_to_int(true)
        .wasm_reference_types(true)
        .wasm_sign_extension(true)
        .wasm_simd(true)
        .wasm_relaxed_simd(false)
        .wasm_tail_call(false)
        .wasm_extended_const(false)
        // On for the kernel memory that `wasm_binary::inline_kernel`
        // adds to a plugin; a plugin's own second memory is still
        // rejected (`wasm_binary::memory_count`, and the body scan
        // for memory indexes other than 0), as wazero 1.12 does.
        .wasm_multi_memory(true)
        .wasm_wide_arithmetic(false)
        .wasm_custom_page_sizes(false);
    Engine::new(&cfg)
}

/// The kernel module (kernel.rs), compiled for the plugin module's engine
/// (a store holds instances of one engine only).
fn kernel_module(engine: &Engine) -> Result<Module, Error> {
    Module::new(engine, kernel::KERNEL_WASM).map_err(|e| plugin_error(e.to_string()))
}

/// Instantiates the kernel module in `store` and links its functions as
/// the `extism:host/env` kernel imports.
fn link_kernel(
    store: &mut Store<HostState>,
    linker: &mut Linker<HostState>,
    engine: &Engine,
    module: &Module,
) -> Result<(), Error> {
    // Its memory is the host's block storage, counted in bytes per block.
    store.data_mut().kernel_growing = true;
    let inst = Linker::<HostState>::new(engine).instantiate_and_start(&mut *store, module);
    store.data_mut().kernel_growing = false;
    let inst = inst.map_err(|e| plugin_error(e.to_string()))?;
    let g = |n: &str| inst.get_global(&*store, n).ok_or_else(|| plugin_error(format!("kernel export {n} missing")));
    let globals = (g("input_offset_g")?, g("input_length_g")?);
    let kmem = inst.get_memory(&*store, "memory");
    let s = store.data_mut();
    s.kinput = Some(globals);
    s.kmem = kmem;
    for name in kernel::KERNEL_FUNCS {
        let f = inst.get_func(&*store, name).ok_or_else(|| plugin_error(format!("kernel export {name} missing")))?;
        linker.define(host::ENV, name, f).map_err(|e| plugin_error(e.to_string()))?;
    }
    Ok(())
}

/// The message for a module that does not compile: which WebAssembly
/// feature it needs and which toolchain built it, when the validator's
/// error says; the validator's own text otherwise.
fn compile_error(raw: &str, toolchain: Option<&str>) -> Error {
    let raw = raw.to_string();
    let built = toolchain.map(|t| format!(" (built by {t})")).unwrap_or_default();
    not_created(match wasm_binary::missing_feature(&raw) {
        Some((feature, true)) => format!(
            "failed to create existing plugin: compiling module: the module{built} uses the WebAssembly {feature} feature, which Helm's runtime (wazero) supports but Chartroom's interpreter does not ({raw})"
        ),
        Some((feature, false)) => format!(
            "failed to create existing plugin: compiling module: the module{built} uses the WebAssembly {feature} proposal, which neither Helm's runtime (wazero 1.12, WebAssembly 2.0) nor Chartroom supports ({raw})"
        ),
        None => format!("failed to create existing plugin: compiling module{built}: {raw}"),
    })
}

/// A plugin failure in Helm's words ([`Kind::Plugin`]; Chartroom's own caps
/// say [`Kind::Limit`] where they are raised).
fn plugin_error(message: impl Into<String>) -> Error {
    Error::new(Kind::Plugin, message)
}

/// Helm's `failed to create existing plugin: …`: the module did not compile
/// or instantiate.
fn not_created(message: impl Into<String>) -> Error {
    plugin_error(message).with_plugin_end(PluginEnd::NotCreated)
}

/// Loads a plugin directory given as `relative path → bytes`
/// (`plugin.yaml`, `plugin.wasm`, anything else is ignored). Errors are
/// Helm's texts: [`Kind::Plugin`] marked at the missing file or at
/// plugin.yaml's line, [`Kind::Unsupported`] for a subprocess plugin.
pub fn load(dir_files: &BTreeMap<String, Vec<u8>>) -> Result<Plugin, Error> {
    let yaml = dir_files.get("plugin.yaml").ok_or_else(|| {
        Error::new(Kind::Plugin, "failed to read plugin at \"plugin.yaml\": file does not exist").at(
            "plugin.yaml",
            None,
            None,
        )
    })?;
    let text = String::from_utf8_lossy(yaml);
    let metadata = manifest::parse(&text)?;
    let wasm = dir_files
        .get("plugin.wasm")
        .ok_or_else(|| {
            Error::new(
                Kind::Plugin,
                format!("wasm binary missing for extism/v1 plugin: {:?}", format!("{}/plugin.wasm", metadata.name)),
            )
            .at("plugin.wasm", None, None)
        })?
        .clone();
    Ok(Plugin { metadata, wasm, compiled: RefCell::new(None) })
}

/// Per-call options.
#[derive(Clone)]
pub struct RunOptions {
    pub profile: Profile,
    /// Total fuel budget (None = unlimited, as in Helm).
    pub fuel_budget: Option<u64>,
    /// Fuel per slice between deadline checks.
    pub fuel_slice: u64,
    pub clock: Option<Rc<dyn Clock>>,
    pub http: Option<Rc<dyn http::HttpClient>>,
    /// WASI environment (the caller decides per plugin type; see cli/getter).
    pub env: Vec<(String, String)>,
    pub stdin: Vec<u8>,
    pub random_seed: u64,
    /// Overrides the plugin's `timeout` (ms) when set.
    pub timeout_ms: Option<u64>,
    /// `get_log_level` answer: i32::MAX (logging off) as in Helm.
    pub guest_log_level: i32,
    /// Called between fuel slices while the guest runs, so a host can show
    /// live meters (the browser worker posts them to the page). None: no
    /// calls. It must not block: it runs on the guest's time.
    pub on_progress: Option<ProgressFn>,
    /// The host's timer. With one, HTTP responses may arrive
    /// asynchronously (the browser's fetch): while the guest waits, progress
    /// is reported and the deadline enforced every [`HTTP_TICK_MS`]. Without
    /// one, the HTTP client must answer at once (natively).
    pub sleep: Option<future::SleepFn>,
}

/// How often a call waiting on HTTP checks its deadline and reports progress.
pub(crate) const HTTP_TICK_MS: f64 = 50.0;

/// See `RunOptions::on_progress`.
pub type ProgressFn = Rc<dyn Fn(&Progress)>;

/// Resources used so far by a running call (see `RunOptions::on_progress`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Progress {
    /// Since the call started (instantiation included).
    pub elapsed_ms: f64,
    pub fuel_used: u64,
    pub pages: u32,
    pub http_bytes: u64,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            profile: Profile::Helm42,
            fuel_budget: None,
            fuel_slice: 1_000_000,
            clock: None,
            http: None,
            env: Vec::new(),
            stdin: Vec::new(),
            random_seed: 0,
            timeout_ms: None,
            guest_log_level: i32::MAX,
            on_progress: None,
            sleep: None,
        }
    }
}

/// Everything one call produced.
#[derive(Debug, Clone, Default)]
pub struct RunResult {
    pub output: Vec<u8>,
    pub rc: i32,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub log: CapLog,
    pub summary: Summary,
    /// What Helm's `Invoke` returns (`plugin error: …`, `failed to create
    /// existing plugin: …`; its `Display` is Helm's text), None on success:
    /// [`Kind::Limit`] when one of Chartroom's own caps (fuel budget, host
    /// blocks, captured stdio) ended the call, else [`Kind::Plugin`].
    pub error: Option<Error>,
    pub guest_log: Vec<(String, String)>,
    /// Files left in the in-memory /tmp when the call ended (discarded, as
    /// Helm removes the temp dir; kept here for inspection).
    pub tmp_files: BTreeMap<String, Vec<u8>>,
}

impl RunResult {
    /// Helm's text of the error, if the call failed.
    pub fn error_text(&self) -> Option<&str> {
        self.error.as_ref().map(|e| e.message.as_str())
    }

    pub fn to_json(&self) -> String {
        format!(
            "{{\"rc\":{},\"error\":{},\"output\":{},\"stdout\":{},\"stderr\":{},\"summary\":{},\"log\":{}}}",
            self.rc,
            self.error_text().map(json::quote).unwrap_or_else(|| "null".into()),
            json::quote(&String::from_utf8_lossy(&self.output)),
            json::quote(&String::from_utf8_lossy(&self.stdout)),
            json::quote(&String::from_utf8_lossy(&self.stderr)),
            self.summary.to_json(),
            self.log.to_json()
        )
    }
}

/// wazero's wording for traps (`wasm error: <reason>`).
fn trap_text(code: wasmi::TrapCode) -> &'static str {
    use wasmi::TrapCode::*;
    match code {
        UnreachableCodeReached => "unreachable",
        MemoryOutOfBounds => "out of bounds memory access",
        TableOutOfBounds => "invalid table access",
        IndirectCallToNull => "invalid table access",
        IntegerDivisionByZero => "integer divide by zero",
        IntegerOverflow => "integer overflow",
        BadConversionToInteger => "invalid conversion to integer",
        StackOverflow => "stack overflow",
        BadSignature => "indirect call type mismatch",
        OutOfFuel => "out of fuel",
        GrowthOperationLimited => "memory growth limited",
        _ => "trap",
    }
}

enum CallEnd {
    Done,
    Failed(Error),
}

#[cfg(not(target_arch = "wasm32"))]
fn default_clock() -> Rc<dyn Clock> {
    Rc::new(limits::SystemClock::new())
}

#[cfg(target_arch = "wasm32")]
fn default_clock() -> Rc<dyn Clock> {
    Rc::new(limits::FixedClock { wall_ns: 0 })
}

impl Plugin {
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    /// Profile lint for this plugin (where helm-4.2 and documented differ).
    pub fn lint(&self) -> Vec<String> {
        limits::lint(&self.metadata.runtime)
    }

    fn compiled(&self) -> Result<Compiled, Error> {
        if let Some(c) = self.compiled.borrow().as_ref() {
            return Ok(c.clone());
        }
        let key = wasm_binary::content_hash(&self.wasm);
        let cached = module_cache().lock().ok().and_then(|mut cache| {
            let i = cache.iter().position(|(k, _)| *k == key)?;
            let hit = cache.remove(i);
            cache.push(hit.clone());
            Some(hit.1)
        });
        let c = match cached {
            Some(c) => c,
            None => {
                let hoisted = wasm_binary::hoist_start(&self.wasm);
                let bytes = hoisted.as_deref().unwrap_or(&self.wasm);
                let engine = new_engine();
                let toolchain = wasm_binary::producers(&self.wasm);
                // The kernel's per-byte calls inlined; the module as it is
                // (with the kernel module linked) if that does not compile.
                let inlined = wasm_binary::inline_kernel(bytes)
                    .and_then(|(b, k)| Module::new(&engine, &b[..]).ok().map(|m| (m, k)));
                let (module, kernel_memory) = match inlined {
                    Some((m, k)) => (m, Some(k)),
                    None => match Module::new(&engine, bytes) {
                        Ok(m) => (m, None),
                        Err(e) => return Err(compile_error(&e.to_string(), toolchain.as_deref())),
                    },
                };
                if wasm_binary::memory_count(bytes) > 1 {
                    return Err(compile_error("multiple memories", toolchain.as_deref()));
                }
                if let Some(raw) = wasm_binary::body_proposal(bytes) {
                    return Err(compile_error(&raw, toolchain.as_deref()));
                }
                let toolchain = toolchain.or_else(|| {
                    let exports: Vec<&str> = module.exports().map(|e| e.name()).collect();
                    wasm_binary::toolchain_hint(&exports).map(str::to_string)
                });
                let kernel = match kernel_memory {
                    Some(_) => None,
                    None => Some(kernel_module(&engine)?),
                };
                let c = Compiled { engine, module, has_start: hoisted.is_some(), toolchain, kernel_memory, kernel };
                if let Ok(mut cache) = module_cache().lock() {
                    if cache.len() >= MODULE_CACHE_SIZE {
                        cache.remove(0);
                    }
                    cache.push((key, c.clone()));
                }
                c
            }
        };
        *self.compiled.borrow_mut() = Some(c.clone());
        Ok(c)
    }

    /// [`Plugin::invoke_async`] for hosts whose HTTP answers at once.
    pub fn invoke(&self, input: &[u8], opts: &RunOptions) -> RunResult {
        future::block_on(self.invoke_async(input, opts)).unwrap_or_else(|| RunResult {
            error: Some(plugin_error(format!("plugin error: {}", future::NOT_SYNCHRONOUS))),
            ..RunResult::default()
        })
    }

    /// One Helm `Invoke`: fresh instance, input in one kernel block, entry
    /// function, error block / rc / output collected. Awaits only while the
    /// guest waits on an HTTP response.
    pub async fn invoke_async(&self, input: &[u8], opts: &RunOptions) -> RunResult {
        let rc_cfg = &self.metadata.runtime;
        let mut limits = Limits::from_config(rc_cfg, opts.profile);
        limits.fuel_budget = opts.fuel_budget;
        if opts.timeout_ms.is_some() {
            limits.timeout_ms = opts.timeout_ms;
        }
        let clock = opts.clock.clone().unwrap_or_else(default_clock);
        let start_ms = clock.now_ms();
        let mut result = RunResult::default();
        let summary_base = |s: &HostState| Summary {
            peak_pages: s.budget.peak_pages,
            max_pages: s.limits.max_pages,
            fuel_used: s.fuel_given,
            fuel_budget: s.limits.fuel_budget,
            wall_ms: s.elapsed_ms(),
            timeout_ms: s.limits.timeout_ms,
            http_requests: s.http_requests,
            http_bytes: s.http_bytes,
            var_bytes: s.var_bytes,
            events: s.log.events.len(),
            events_dropped: s.log.dropped,
        };
        let limits_err = limits.kernel_memory_error();
        let state = HostState {
            kernel: kernel::Kernel::new(),
            kmem: None,
            kinput: None,
            kernel_growing: false,
            kernel_memory_countdown: None,
            budget: limits::PageBudget {
                limit_bytes: limits.max_pages as u64 * limits::WASM_PAGE,
                per_memory: limits.pages_per_memory,
                ..Default::default()
            },
            log: CapLog::default(),
            config: rc_cfg.config.clone(),
            vars: BTreeMap::new(),
            var_bytes: 0,
            http: opts.http.clone(),
            pending_http: None,
            http_status: 0,
            http_headers: None,
            http_requests: 0,
            http_bytes: 0,
            clock: clock.clone(),
            start_ms,
            deadline_start_ms: start_ms,
            fuel_given: 0,
            fuel_used_known: 0,
            wasi: WasiState::new(opts.env.clone(), opts.stdin.clone(), limits.create_temp_dir, opts.random_seed),
            failure: None,
            guest_log: Vec::new(),
            guest_log_level: opts.guest_log_level,
            limits,
        };
        // Helm registers no host functions: any requested one fails.
        if let Some(f) = rc_cfg.host_functions.first() {
            result.error = Some(plugin_error(format!("plugin requested host function {f:?} not found")));
            result.summary = summary_base(&state);
            return result;
        }
        if let Some(e) = limits_err {
            result.error = Some(not_created(e));
            result.summary = summary_base(&state);
            return result;
        }
        let compiled = match self.compiled() {
            Ok(c) => c,
            Err(e) => {
                result.error = Some(e);
                result.summary = summary_base(&state);
                return result;
            }
        };
        let (engine, module) = (&compiled.engine, &compiled.module);
        let mut store = Store::new(engine, state);
        store.limiter(|s| s as &mut dyn wasmi::ResourceLimiter);
        let finish = |store: Store<HostState>, mut result: RunResult| -> RunResult {
            let s = store.into_data();
            result.summary = summary_base(&s);
            result.stdout = s.wasi.stdout;
            result.stderr = s.wasi.stderr;
            result.tmp_files = s.wasi.tmp.unwrap_or_default();
            result.guest_log = s.guest_log;
            result.log = s.log;
            result
        };

        // Link: only the two modules Helm provides; anything else fails
        // instantiation as in wazero.
        let mut linker = Linker::<HostState>::new(engine);
        let kernel = match (&compiled.kernel_memory, &compiled.kernel) {
            (Some(_), _) => host::link_kernel_host(&mut linker).map_err(|e| plugin_error(e.to_string())),
            (None, Some(k)) => link_kernel(&mut store, &mut linker, engine, k),
            (None, None) => Err(plugin_error("kernel module missing".to_string())),
        };
        if let Err(e) = kernel {
            result.error =
                Some(e.wrap("failed to create existing plugin: kernel: ").with_plugin_end(PluginEnd::NotCreated));
            return finish(store, result);
        }
        if let Err(e) = host::link_env(&mut linker).and_then(|_| wasi::link_wasi(&mut linker, module)) {
            result.error = Some(not_created(format!("failed to create existing plugin: {e}")));
            return finish(store, result);
        }
        for imp in module.imports() {
            let m = imp.module();
            if m != host::ENV && m != wasi::WASI {
                store.data_mut().event(
                    "instantiate",
                    format!("import {m}.{}", imp.name()),
                    Decision::Denied,
                    "only extism:host/env and wasi_snapshot_preview1 exist",
                    None,
                );
                // A plugin for the pre-1.0 Extism ABI (`env.extism_*`, before
                // the kernel moved to extism:host/env): say so, and who built it.
                let why = if m == "env" && imp.name().starts_with("extism_") {
                    let built = compiled.toolchain.as_deref().map(|t| format!(", built by {t}")).unwrap_or_default();
                    format!(
                        " (the plugin imports env.{}: it was built for the pre-1.0 Extism ABI{built}; Helm 4 runs only plugins built with a 1.x PDK)",
                        imp.name()
                    )
                } else {
                    String::new()
                };
                result.error = Some(not_created(format!(
                    "failed to create existing plugin: instantiating module: module[{m}] not instantiated{why}"
                )));
                return finish(store, result);
            }
        }
        // Instantiation draws the initial pages from the budget (but for
        // an inlined kernel's memory).
        store.data_mut().kernel_memory_countdown = compiled.kernel_memory;
        let instance = linker.instantiate_and_start(&mut store, module);
        store.data_mut().kernel_memory_countdown = None;
        if let Ok(i) = &instance {
            if compiled.kernel_memory.is_some() {
                store.data_mut().kmem = i.get_memory(&store, wasm_binary::KERNEL_MEMORY_EXPORT);
            }
        }
        let instance = match instance {
            Ok(i) => i,
            Err(e) => {
                let lim = &store.data().limits;
                // Only the budget met at instantiation is a limit; wazero
                // rejects a memory whose minimum is over the limit when it
                // decodes the module.
                let (limit, msg) = match store.data().budget.denied {
                    Some((_, want, _)) if lim.pages_per_memory => (None, format!(
                        "failed to create existing plugin: section memory: min {want} pages ({}) over limit of {} pages ({})",
                        limits::pages_to_unit_of_bytes(want as u32),
                        lim.max_pages,
                        limits::pages_to_unit_of_bytes(lim.max_pages)
                    )),
                    Some((_, _, want)) => (Some(Limit::PluginMemory), format!(
                        "failed to create existing plugin: memory limit exceeded: the module needs {want} pages at instantiation, memory.maxPages is {} ({})",
                        lim.max_pages,
                        lim.pages_scope()
                    )),
                    None => (None, format!("failed to create existing plugin: instantiating module: {e}")),
                };
                let mut e = not_created(msg);
                e.limit = limit;
                result.error = Some(e);
                return finish(store, result);
            }
        };
        store.data_mut().deadline_start_ms = clock.now_ms();
        // The module's start section (wazero and wasmtime run it at
        // instantiation): moved to an export at compile time so that it
        // runs here, resumable, under the call's fuel and deadline.
        if compiled.has_start {
            if let Some(f) = instance.get_func(&store, wasm_binary::START_EXPORT) {
                if let CallEnd::Failed(e) = run_sliced(&mut store, f, &mut [], opts).await {
                    result.error = Some(e);
                    return finish(store, result);
                }
            }
        }
        // Guest runtime init (reactors), never `_start`.
        for init in ["_initialize", "__wasm_call_ctors", "hs_init"] {
            if let Some(f) = instance.get_func(&store, init) {
                if f.ty(&store).params().is_empty() && f.ty(&store).results().is_empty() {
                    if let CallEnd::Failed(e) = run_sliced(&mut store, f, &mut [], opts).await {
                        result.error = Some(e);
                        return finish(store, result);
                    }
                    break;
                }
            }
        }
        // Input: one kernel block.
        let input_h = match host::alloc_block(&mut store, Some(input), input.len() as u64) {
            Ok(h) => h,
            Err(m) => {
                result.error = Some(m.wrap("plugin error: "));
                return finish(store, result);
            }
        };
        host::set_input(&mut store, input_h, input.len() as u64);
        let entry = rc_cfg.entry().to_string();
        let Some(func) = instance.get_func(&store, &entry) else {
            result.error = Some(plugin_error(format!("plugin error: unknown function: {entry}")));
            return finish(store, result);
        };
        let nres = func.ty(&store).results().len();
        if nres > 1 || !func.ty(&store).params().is_empty() {
            result.error =
                Some(plugin_error(format!("plugin error: function {entry} has {nres} results, expected 0 or 1")));
            return finish(store, result);
        }
        let mut outs = vec![Val::I32(0); nres];
        let end = run_sliced(&mut store, func, &mut outs, opts).await;
        let rc = match outs.first() {
            Some(Val::I32(v)) => *v,
            Some(Val::I64(v)) => *v as i32,
            _ => 0,
        };
        result.rc = rc;
        let s = store.data();
        let err_msg = (s.kernel.error != NULL)
            .then(|| host::read_block(&store, s.kernel.error, s.kernel.length(s.kernel.error)))
            .flatten()
            .map(|b| String::from_utf8_lossy(&b).into_owned());
        match end {
            CallEnd::Failed(e) => {
                // A guest error message wins over the trap (go-sdk).
                result.error = Some(match err_msg {
                    Some(m) => plugin_error(format!("plugin error: {m}")),
                    // A WASI function this host lacks: say which toolchain
                    // asked for it.
                    None if e.message.contains(" is not supported by this host") => match &compiled.toolchain {
                        Some(t) => e.suffixed(&format!(" (the plugin was built by {t})")),
                        None => e,
                    },
                    None => e,
                });
                if result.rc == 0
                    && result.error.as_ref().is_some_and(|e| matches!(e.plugin_end, Some(PluginEnd::Exit(_))))
                {
                    result.rc = -1;
                }
            }
            CallEnd::Done => {
                if let Some(m) = err_msg {
                    result.error = Some(plugin_error(format!("plugin error: {m}")));
                } else if rc != 0 {
                    // Helm dereferences a nil error here and panics; say what happened.
                    result.error = Some(plugin_error(format!(
                        "plugin error: plugin exited with code {} and set no error message",
                        rc as u32
                    )));
                }
                if let Some((h, n)) = s.kernel.output {
                    match host::read_block(&store, h, n) {
                        Some(out) => result.output = out,
                        // An output outside every block: say why the block
                        // is missing when the host refused it.
                        None if n > 0 && result.error.is_none() => {
                            result.error = Some(match &s.failure {
                                Some(f) => f.clone().wrap("plugin error: "),
                                None => plugin_error(format!(
                                    "plugin error: output_set({h}, {n}) does not point into a block the host holds"
                                )),
                            });
                        }
                        None => {}
                    }
                } else {
                    let _ = NULL;
                }
            }
        }
        finish(store, result)
    }
}

/// Runs `func` in fuel slices, checking the deadline and the fuel budget
/// between slices, and performing the HTTP requests it suspends on. Errors
/// are Helm's texts.
async fn run_sliced(store: &mut Store<HostState>, func: wasmi::Func, outs: &mut [Val], opts: &RunOptions) -> CallEnd {
    // Slices adapt so that one takes at most ~1/40 of the timeout (and at
    // most 0.5 ms), and the slice that reaches the deadline is cut to the
    // fuel the last slices ran per ms times the time left: the deadline is
    // then met within a fraction of a millisecond (plus the OS's
    // scheduling on a loaded machine).
    let mut slice = opts.fuel_slice.max(10_000);
    if store.data().limits.timeout_ms.is_some() {
        slice = slice.min(50_000); // start small; grows to fit the target
    }
    let target_ms = store.data().limits.timeout_ms.map(|t| (t as f64 / 40.0).min(0.5)).unwrap_or(f64::INFINITY);
    let deadline_ms = {
        let s = store.data();
        s.limits.timeout_ms.map(|t| s.deadline_start_ms + t as f64)
    };
    // Fuel per ms of the last slice (None until one has been timed).
    let mut rate: Option<f64> = None;
    let give = |store: &mut Store<HostState>, want: u64, slice: u64| -> Result<(), Error> {
        let s = store.data();
        let mut n = want.max(slice);
        if let Some(b) = s.limits.fuel_budget {
            let left = b.saturating_sub(s.fuel_given);
            // Resuming with less than `required_fuel` never progresses
            // (wasmi returns OutOfFuel again): that is exhaustion too.
            if left == 0 || left < want {
                // The fuel budget is Chartroom's (Helm has none).
                return Err(Error::limit(
                    Limit::Fuel,
                    format!("plugin error: fuel budget exhausted: {} fuel used, budget {b}", s.fuel_given),
                ));
            }
            n = n.min(left);
        }
        let rem = store.get_fuel().unwrap_or(0);
        let _ = store.set_fuel(rem + n);
        store.data_mut().fuel_given += n;
        Ok(())
    };
    if let Err(e) = give(store, slice, slice) {
        return CallEnd::Failed(e);
    }
    // The fuel of the slice running now (the last one before the deadline
    // is cut short).
    let mut given = slice;
    let mut slice_start = store.data().clock.now_ms();
    let mut call = func.call_resumable(&mut *store, &[], outs);
    loop {
        match call {
            Ok(ResumableCall::Finished) => {
                account(store);
                return CallEnd::Done;
            }
            Ok(ResumableCall::OutOfFuel(r)) => {
                account(store);
                report_progress(store, opts);
                let now = store.data().clock.now_ms();
                let took = now - slice_start;
                if took > 0.0 {
                    rate = Some(given as f64 / took);
                }
                if given < slice {
                    // a cut slice says nothing about the slice size
                } else if took > target_ms {
                    slice = (slice / 2).max(10_000);
                } else if took < target_ms / 4.0 {
                    slice = (slice * 2).min(50_000_000);
                }
                slice_start = now;
                if let Some(end) = past_deadline(store, now) {
                    return end;
                }
                // The last slice before the deadline: only what fits.
                let next = match (deadline_ms, rate) {
                    (Some(d), Some(rate)) if (d - now) * rate < slice as f64 => {
                        (((d - now) * rate) as u64).clamp(10_000, slice)
                    }
                    _ => slice,
                };
                given = next.max(r.required_fuel());
                if let Err(e) = give(store, r.required_fuel(), next) {
                    let used = store.data().fuel_given;
                    store.data_mut().event(
                        "limit.fuel",
                        format!("used={used}"),
                        Decision::Denied,
                        "fuel budget",
                        Some(0),
                    );
                    return CallEnd::Failed(e);
                }
                call = r.resume(&mut *store, outs);
            }
            Ok(ResumableCall::HostTrap(t)) if t.host_error().downcast_ref::<host::HttpWait>().is_some() => {
                account(store);
                let Some(pending) = store.data_mut().pending_http.take() else {
                    return CallEnd::Failed(plugin_error(
                        "plugin error: internal: http_request suspended without a request",
                    ));
                };
                let Some(client) = store.data().http.clone() else {
                    return CallEnd::Failed(plugin_error(
                        "plugin error: internal: http_request suspended without an HTTP client",
                    ));
                };
                let answer = match wait_http(store, client.fetch(&pending.req), opts).await {
                    Ok(a) => a,
                    Err(end) => return end,
                };
                // `account` has run: the meter is empty (remaining 0) and
                // fuel_given is the fuel used so far.
                let handle = match store
                    .data_mut()
                    .complete_http(answer, Some(0))
                    .and_then(|body| host::alloc_block(&mut *store, Some(&body), body.len() as u64))
                {
                    Ok(h) => h as i64,
                    Err(m) => {
                        store.data_mut().failure = Some(m.clone());
                        return CallEnd::Failed(m.wrap("plugin error: "));
                    }
                };
                if let Err(e) = give(store, slice, slice) {
                    return CallEnd::Failed(e);
                }
                given = slice;
                slice_start = store.data().clock.now_ms();
                call = t.resume(&mut *store, &[Val::I64(handle)], outs);
            }
            Ok(ResumableCall::HostTrap(t)) => {
                account(store);
                let e = t.into_host_error();
                if e.i32_exit_status() == Some(0) {
                    return CallEnd::Done;
                }
                return CallEnd::Failed(call_error(store, &e));
            }
            Err(e) => {
                account(store);
                // WASI proc_exit(0) is a normal end (output still read).
                if e.i32_exit_status() == Some(0) {
                    return CallEnd::Done;
                }
                return CallEnd::Failed(call_error(store, &e));
            }
        }
    }
}

/// The deadline check: the timeout event and Helm's text once `timeout` has
/// passed at `now`.
fn past_deadline(store: &mut Store<HostState>, now: f64) -> Option<CallEnd> {
    let s = store.data();
    let t = s.limits.timeout_ms?;
    let ms = now - s.deadline_start_ms;
    if ms < t as f64 {
        return None;
    }
    let rem = store.get_fuel().ok();
    store.data_mut().event(
        "limit.timeout",
        format!("elapsed={ms:.1}ms"),
        Decision::Denied,
        &format!("timeout={t}ms"),
        rem,
    );
    Some(CallEnd::Failed(
        plugin_error("plugin error: module closed with context deadline exceeded").with_limit(Limit::PluginTimeout),
    ))
}

/// Waits for an HTTP response while the guest is suspended. With the host's
/// timer the wait reports progress and ends at the deadline (dropping the
/// request: the browser aborts its fetch); without one the client must have
/// answered already.
async fn wait_http(
    store: &mut Store<HostState>,
    fetch: http::HttpFuture,
    opts: &RunOptions,
) -> Result<Result<http::HttpResponse, Error>, CallEnd> {
    let Some(sleep) = opts.sleep.as_ref() else {
        return future::now_or_never(fetch)
            .map_err(|_| CallEnd::Failed(plugin_error(format!("plugin error: {}", future::NOT_SYNCHRONOUS))));
    };
    let mut fetch = fetch;
    loop {
        let now = store.data().clock.now_ms();
        if let Some(end) = past_deadline(store, now) {
            return Err(end);
        }
        let s = store.data();
        let left = s.limits.timeout_ms.map(|t| s.deadline_start_ms + t as f64 - now).unwrap_or(f64::INFINITY);
        match future::first_of(&mut fetch, sleep(left.min(HTTP_TICK_MS))).await {
            future::Either::Left(answer) => return Ok(answer),
            future::Either::Right(()) => report_progress(store, opts),
        }
    }
}

/// The live meters' callback, if the host gave one (between fuel slices and
/// while the guest waits on HTTP).
fn report_progress(store: &Store<HostState>, opts: &RunOptions) {
    if let Some(cb) = opts.on_progress.as_ref() {
        let s = store.data();
        cb(&Progress {
            elapsed_ms: s.elapsed_ms(),
            fuel_used: s.fuel_given,
            pages: s.budget.pages_in_use(),
            http_bytes: s.http_bytes,
        });
    }
}

/// Turns the fuel left in the store into "used" bookkeeping.
fn account(store: &mut Store<HostState>) {
    let rem = store.get_fuel().unwrap_or(0);
    let s = store.data_mut();
    s.fuel_given = s.fuel_given.saturating_sub(rem);
    s.fuel_used_known = s.fuel_given;
    let _ = store.set_fuel(0);
}

/// Helm's error for a call that trapped or exited: the host's own reason
/// when it refused something (its kind kept), else wazero's wording.
fn call_error(store: &Store<HostState>, e: &wasmi::Error) -> Error {
    let s = store.data();
    if let Some(f) = &s.failure {
        if e.i32_exit_status().is_none() {
            return f.clone().wrap("plugin error: ");
        }
    }
    let mut err = plugin_error(error_text(store, e));
    if let Some(code) = e.i32_exit_status().filter(|c| *c != 0) {
        err.plugin_end = Some(PluginEnd::Exit(code));
    } else if let Some(code) = e.as_trap_code() {
        err.plugin_end = Some(PluginEnd::Trap(trap_text(code).to_string()));
        if s.budget.denied.is_some() {
            err.limit = Some(Limit::PluginMemory);
        }
    }
    err
}

fn error_text(store: &Store<HostState>, e: &wasmi::Error) -> String {
    let s = store.data();
    if let Some(code) = e.i32_exit_status() {
        return if code == 0 { String::new() } else { format!("plugin error: module closed with exit_code({code})") };
    }
    if let Some(f) = &s.failure {
        return format!("plugin error: {f}");
    }
    if let Some(code) = e.as_trap_code() {
        let base = format!("plugin error: wasm error: {}", trap_text(code));
        if let Some((from, to, _)) = s.budget.denied {
            return format!(
                "plugin error: memory limit exceeded: memory.grow from {from} to {to} pages was refused (memory.maxPages: {}, {}); the guest then trapped: wasm error: {}",
                s.limits.max_pages,
                s.limits.pages_scope(),
                trap_text(code)
            );
        }
        return base;
    }
    format!("plugin error: {e}")
}
