//! The resource limits of one plugin call, the two profiles that decide
//! what plugin.yaml's zero values mean, and the clock used for deadlines.
//!
//! * `helm-4.2`: what Helm 4.2 actually does (it builds the Extism manifest
//!   directly, so zeros pass through to go-sdk v1.7.1): maxPages 0 = no
//!   limit (wazero's 65536 pages), maxHttpResponseBytes 0 = any non-empty
//!   body fails, maxVarBytes 0 = vars disabled, timeout 0 = none.
//! * `documented`: what Helm's comments and docs promise: 4 pages, 4096
//!   HTTP bytes, 4096 var bytes.
//!
//! How maxPages applies differs too:
//! * `helm-4.2`: as go-sdk v1.7.1 on wazero 1.12 (`WithMemoryLimitPages`,
//!   a runtime-wide setting applied to **each memory** on its own): every
//!   guest memory may grow to maxPages pages (a declared maximum above it is
//!   lowered to it, a declared minimum above it fails at compile), and the
//!   Extism kernel's memory — here the host's kernel blocks — has the same
//!   cap of its own; the kernel memory starts at 16 pages, so maxPages
//!   below 16 fails every plugin at creation.
//! * `documented`: one budget over every memory of the call (plugin
//!   memories + host kernel blocks), like the Extism Rust SDK's store-wide
//!   limiter.

use super::manifest::ExtismConfig;

pub(crate) const WASM_PAGE: u64 = 65536;
/// Chartroom's cap on the bytes held in host kernel blocks during one call
/// (input, output, config values, vars, HTTP bodies): 64 MiB. They live in
/// the host's own memory (the page's Worker), which a guest must not be
/// able to exhaust even when memory.maxPages is unset (Helm: 4 GiB). Helm
/// has no such cap; past it the call fails with `host block limit exceeded`.
pub const MAX_HOST_BLOCK_BYTES: u64 = 64 << 20;

/// wazero's default memory limit (4 GiB).
pub(crate) const MAX_PAGES_UNLIMITED: u32 = 65536;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    #[default]
    Helm42,
    Documented,
}

impl Profile {
    pub fn name(self) -> &'static str {
        match self {
            Profile::Helm42 => "helm-4.2",
            Profile::Documented => "documented",
        }
    }
    pub fn parse(s: &str) -> Option<Profile> {
        match s {
            "helm-4.2" | "helm" => Some(Profile::Helm42),
            "documented" | "docs" => Some(Profile::Documented),
            _ => None,
        }
    }
}

/// Effective limits of a call.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Page limit: per memory (`pages_per_memory`) or over all memories.
    pub max_pages: u32,
    /// helm-4.2: maxPages caps each memory (and the kernel's) separately,
    /// as wazero does; documented: one store-wide budget.
    pub pages_per_memory: bool,
    /// Response body bytes; 0 = any non-empty body fails.
    pub max_http_response_bytes: u64,
    /// None = vars disabled (`Vars are disabled by this host`).
    pub max_var_bytes: Option<u64>,
    /// Wall-clock deadline in ms; None = no timeout.
    pub timeout_ms: Option<u64>,
    /// Total fuel budget (our addition; Helm has none).
    pub fuel_budget: Option<u64>,
    pub allowed_hosts: Vec<String>,
    pub create_temp_dir: bool,
}

/// Pages the Extism kernel's own memory starts with in Helm (go-sdk v1.7.1's
/// `extism-runtime.wasm` declares min 16, no max).
pub(crate) const KERNEL_MIN_PAGES: u32 = 16;

/// wazero's `PagesToUnitOfBytes` (`64 Ki`, `1 Mi`, `4 Gi`).
pub(crate) fn pages_to_unit_of_bytes(pages: u32) -> String {
    let k = u64::from(pages) * 64;
    if k < 1024 {
        return format!("{k} Ki");
    }
    let m = k / 1024;
    if m < 1024 {
        return format!("{m} Mi");
    }
    let g = m / 1024;
    if g < 1024 {
        return format!("{g} Gi");
    }
    format!("{} Ti", g / 1024)
}

impl Limits {
    /// How maxPages is counted, for messages and the limits panel.
    pub(crate) fn pages_scope(&self) -> &'static str {
        if self.pages_per_memory {
            "per memory, as wazero in Helm 4.2"
        } else {
            "counted over all memories"
        }
    }
    /// helm-4.2 with maxPages below the kernel's 16 pages: the error every
    /// plugin fails with at creation (wazero's memory-section check on the
    /// kernel module).
    pub(crate) fn kernel_memory_error(&self) -> Option<String> {
        (self.pages_per_memory && self.max_pages < KERNEL_MIN_PAGES).then(|| {
            format!(
                "failed to create existing plugin: section memory: min {KERNEL_MIN_PAGES} pages ({}) over limit of {} pages ({}) (memory.maxPages applies to each memory, and the Extism kernel's memory starts at {KERNEL_MIN_PAGES} pages)",
                pages_to_unit_of_bytes(KERNEL_MIN_PAGES),
                self.max_pages,
                pages_to_unit_of_bytes(self.max_pages)
            )
        })
    }

    pub fn from_config(rc: &ExtismConfig, profile: Profile) -> Limits {
        let (pages, http, vars) = match profile {
            Profile::Helm42 => (
                if rc.max_pages == 0 { MAX_PAGES_UNLIMITED } else { rc.max_pages.min(MAX_PAGES_UNLIMITED) },
                // go-sdk: negative → 50 MiB default, >= 0 taken literally.
                if rc.max_http_response_bytes < 0 { 50 * 1024 * 1024 } else { rc.max_http_response_bytes as u64 },
                if rc.max_var_bytes <= 0 { None } else { Some(rc.max_var_bytes as u64) },
            ),
            Profile::Documented => (
                if rc.max_pages == 0 { 4 } else { rc.max_pages.min(MAX_PAGES_UNLIMITED) },
                if rc.max_http_response_bytes <= 0 { 4096 } else { rc.max_http_response_bytes as u64 },
                Some(if rc.max_var_bytes <= 0 { 4096 } else { rc.max_var_bytes as u64 }),
            ),
        };
        Limits {
            max_pages: pages,
            pages_per_memory: profile == Profile::Helm42,
            max_http_response_bytes: http,
            max_var_bytes: vars,
            timeout_ms: if rc.timeout == 0 { None } else { Some(rc.timeout) },
            fuel_budget: None,
            allowed_hosts: rc.allowed_hosts.clone(),
            create_temp_dir: rc.create_temp_dir,
        }
    }
}

/// Where the two profiles disagree for this plugin: one message per
/// runtimeConfig key left at zero whose meaning differs.
pub fn lint(rc: &ExtismConfig) -> Vec<String> {
    let mut out = Vec::new();
    if rc.max_pages == 0 {
        out.push("runtimeConfig.memory.maxPages is not set: Helm 4.2 applies no memory limit (65536 pages, 4 GiB); the documented default is 4 pages (256 KiB), which no extism-pdk plugin fits in (they start at 17 pages)".to_string());
    }
    if rc.max_http_response_bytes == 0 {
        out.push("runtimeConfig.memory.maxHttpResponseBytes is not set: Helm 4.2 rejects every non-empty HTTP response body (limit 0); the documented default is 4096 bytes".to_string());
    }
    if rc.max_var_bytes == 0 {
        out.push("runtimeConfig.memory.maxVarBytes is not set: Helm 4.2 disables vars (var_set traps \"Vars are disabled by this host\"); the documented default is 4096 bytes".to_string());
    }
    if !rc.host_functions.is_empty() {
        out.push(format!(
            "runtimeConfig.hostFunctions lists {:?}: Helm registers no host functions, so every call fails with plugin requested host function {:?} not found",
            rc.host_functions,
            rc.host_functions.first().map(String::as_str).unwrap_or("")
        ));
    }
    out
}

/// Time source. Natively the system clock; in the browser the Worker
/// injects `performance.now()`/`Date.now()`.
pub trait Clock {
    /// Monotonic milliseconds (any origin), for deadlines and timings.
    fn now_ms(&self) -> f64;
    /// Wall-clock nanoseconds since the Unix epoch (WASI realtime).
    fn wall_ns(&self) -> u64;
}

/// The host's real clocks (not available on wasm32-unknown-unknown).
#[cfg(not(target_arch = "wasm32"))]
pub struct SystemClock {
    start: std::time::Instant,
}

#[cfg(not(target_arch = "wasm32"))]
impl SystemClock {
    pub fn new() -> SystemClock {
        SystemClock { start: std::time::Instant::now() }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Default for SystemClock {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Clock for SystemClock {
    fn now_ms(&self) -> f64 {
        self.start.elapsed().as_secs_f64() * 1000.0
    }
    fn wall_ns(&self) -> u64 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0)
    }
}

/// A clock that never moves (deterministic runs; timeouts never fire): the
/// default in the browser, which has no monotonic clock the host reaches.
#[cfg(target_arch = "wasm32")]
pub(crate) struct FixedClock {
    pub wall_ns: u64,
}

#[cfg(target_arch = "wasm32")]
impl Clock for FixedClock {
    fn now_ms(&self) -> f64 {
        0.0
    }
    fn wall_ns(&self) -> u64 {
        self.wall_ns
    }
}

/// The memory budget of a call: either one store-wide budget (every
/// memory's growth and the host kernel's blocks draw from it) or, with
/// `per_memory`, the same cap for each memory and for the kernel blocks.
#[derive(Debug, Default)]
pub(crate) struct PageBudget {
    pub limit_bytes: u64,
    pub per_memory: bool,
    /// Bytes of wasm memories (sum of current sizes).
    pub memory_bytes: u64,
    /// Bytes held by live kernel blocks.
    pub kernel_bytes: u64,
    pub peak_pages: u32,
    /// Set when a growth was refused: (current pages, desired pages, total
    /// pages counted against the limit had it been allowed).
    pub denied: Option<(u64, u64, u64)>,
}

impl PageBudget {
    pub(crate) fn pages_in_use(&self) -> u32 {
        ((self.memory_bytes + self.kernel_bytes).div_ceil(WASM_PAGE)).min(u32::MAX as u64) as u32
    }
    fn note_peak(&mut self) {
        self.peak_pages = self.peak_pages.max(self.pages_in_use());
    }
    /// May a memory grow from `current` to `desired` bytes?
    pub(crate) fn grow_memory(&mut self, current: u64, desired: u64) -> bool {
        let add = desired.saturating_sub(current);
        let counted = if self.per_memory { desired } else { self.memory_bytes + self.kernel_bytes + add };
        if counted > self.limit_bytes {
            self.denied = Some((current / WASM_PAGE, desired / WASM_PAGE, counted.div_ceil(WASM_PAGE)));
            return false;
        }
        self.memory_bytes += add;
        self.note_peak();
        true
    }
    pub fn fits(&self, n: u64) -> bool {
        let held = if self.per_memory { self.kernel_bytes } else { self.memory_bytes + self.kernel_bytes };
        held + n <= self.limit_bytes
    }
    pub(crate) fn alloc_kernel(&mut self, n: u64) -> bool {
        if !self.fits(n) {
            return false;
        }
        self.kernel_bytes += n;
        self.note_peak();
        true
    }
    pub(crate) fn free_kernel(&mut self, n: u64) {
        self.kernel_bytes = self.kernel_bytes.saturating_sub(n);
    }
}
