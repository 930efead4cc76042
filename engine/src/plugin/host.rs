//! The `extism:host/env` import set on wasmi, one fresh store and instance
//! per call (Helm builds a new plugin for every Invoke and keeps nothing).
//!
//! Execution: lazy translation with translation free in fuel (see
//! `new_engine()` in invoke.rs: a callee's translation running out of fuel is
//! not resumable in wasmi 2.0), fuel on, `call_resumable` in slices; between
//! slices the host checks the wall-clock deadline (`timeout`) and the fuel
//! budget. Host functions that refuse something (HTTP to a host not
//! allowed, vars disabled or full, body too large) trap the guest as
//! go-sdk's panics do; the message is kept in [`HostState::failure`].
//!
//! An allowed `http_request` suspends the guest instead of answering: it
//! leaves a [`PendingHttp`] in the state and returns the [`HttpWait`] host
//! error, which ends `call_resumable` with a resumable host trap. The driver
//! (`run_sliced` in mod.rs) performs the request — at once natively, with an
//! awaited `fetch()` in the browser, whose worker stays free meanwhile — and
//! resumes the guest with [`HostState::complete_http`]'s block handle.

use std::collections::BTreeMap;
use std::rc::Rc;

use wasmi::{AsContext, AsContextMut, Caller, Error, Global, Linker, Memory, Val};

use super::http::{allowed_by, HttpClient, HttpRequest, HttpResponse};
use super::json::{self, Json};
use super::kernel::{Kernel, NULL};
use super::limits::{Clock, Limits, PageBudget, MAX_HOST_BLOCK_BYTES};
use super::log::{CapLog, Decision, Event};
use super::wasi::WasiState;
use crate::error::{Error as EngineError, Kind, Limit};

pub(crate) const ENV: &str = "extism:host/env";

/// Everything one call's store holds.
pub(crate) struct HostState {
    pub kernel: Kernel,
    /// The kernel module's memory (the block bytes) and its input
    /// offset/length globals, once the kernel is instantiated.
    pub kmem: Option<Memory>,
    pub kinput: Option<(Global, Global)>,
    /// The host is growing the kernel memory (or instantiating the kernel):
    /// its blocks are counted in bytes by [`PageBudget::alloc_kernel`], not
    /// as guest memory pages.
    pub kernel_growing: bool,
    /// While the plugin is instantiated with the kernel inlined
    /// (`wasm_binary::inline_kernel`): how many of its memories are created
    /// before the kernel memory, which is then not a guest memory either.
    pub kernel_memory_countdown: Option<u32>,
    pub budget: PageBudget,
    pub log: CapLog,
    pub limits: Limits,
    pub config: BTreeMap<String, String>,
    pub vars: BTreeMap<String, Vec<u8>>,
    pub var_bytes: u64,
    pub http: Option<Rc<dyn HttpClient>>,
    /// The request an `http_request` call is waiting on (see [`HttpWait`]).
    pub pending_http: Option<PendingHttp>,
    pub http_status: i32,
    pub http_headers: Option<BTreeMap<String, String>>,
    pub http_requests: u32,
    pub http_bytes: u64,
    pub clock: Rc<dyn Clock>,
    pub start_ms: f64,
    /// When the timeout clock started (guest init + entry call, as go-sdk
    /// wraps only the call, not compilation, in its context deadline).
    pub deadline_start_ms: f64,
    /// Fuel handed to the store so far (used = given − remaining).
    pub fuel_given: u64,
    /// Fuel used as of the last point where it was known exactly (a host
    /// call that could read the meter, a slice boundary): the log's fuel for
    /// events whose caller cannot read the meter (`memory.grow` comes from
    /// wasmi's resource limiter). `fuel_given` would count the unspent rest
    /// of the slice as used.
    pub fuel_used_known: u64,
    pub wasi: WasiState,
    /// Host-side reason for a trap (shown instead of a bare trap text):
    /// [`Kind::Limit`] when a Chartroom cap refused, else [`Kind::Plugin`].
    pub failure: Option<EngineError>,
    /// Guest log messages (`log_*`), kept even though Helm drops them.
    pub guest_log: Vec<(String, String)>,
    pub guest_log_level: i32,
}

/// An allowed request, waiting for the driver to perform it.
pub(crate) struct PendingHttp {
    pub req: HttpRequest,
}

/// The host error by which `http_request` suspends the guest; the driver
/// resumes it, so this never reaches the user.
#[derive(Debug)]
pub(crate) struct HttpWait;

impl std::fmt::Display for HttpWait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("waiting for an HTTP response")
    }
}

impl wasmi_core::HostError for HttpWait {}

impl wasmi::ResourceLimiter for HostState {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _max: Option<usize>,
    ) -> Result<bool, wasmi_core::LimiterError> {
        if self.kernel_growing {
            return Ok(true);
        }
        if current == 0 {
            if let Some(n) = self.kernel_memory_countdown {
                self.kernel_memory_countdown = n.checked_sub(1);
                if n == 0 {
                    return Ok(true);
                }
            }
        }
        let ok = self.budget.grow_memory(current as u64, desired as u64);
        let args = format!("from={} to={} pages", current as u64 / 65536, desired as u64 / 65536);
        let rule = format!("memory.maxPages={} ({})", self.limits.max_pages, self.limits.pages_scope());
        self.event("memory.grow", args, if ok { Decision::Allowed } else { Decision::Denied }, &rule, None);
        Ok(ok)
    }
    fn table_growing(
        &mut self,
        _c: usize,
        desired: usize,
        _m: Option<usize>,
    ) -> Result<bool, wasmi_core::LimiterError> {
        Ok(desired <= 1_000_000)
    }
    fn instances(&self) -> usize {
        4
    }
    fn tables(&self) -> usize {
        16
    }
    fn memories(&self) -> usize {
        16
    }
}

impl HostState {
    pub fn elapsed_ms(&self) -> f64 {
        self.clock.now_ms() - self.start_ms
    }
    /// Records one decision. `remaining` is the store's fuel left, when the
    /// caller can see it. The log's fuel is the fuel the call has used so
    /// far (cumulative, as the summary's total at its end); without
    /// `remaining` it is the last exact count.
    pub fn event(&mut self, call: &str, args: String, decision: Decision, rule: &str, remaining: Option<u64>) {
        let fuel = match remaining {
            Some(r) => {
                let used = self.fuel_given.saturating_sub(r);
                self.fuel_used_known = self.fuel_used_known.max(used);
                used
            }
            None => self.fuel_used_known,
        };
        let e = Event {
            t_ms: self.elapsed_ms(),
            fuel,
            fuel_exact: remaining.is_some(),
            pages: self.budget.pages_in_use(),
            call: call.to_string(),
            args,
            decision,
            rule: rule.to_string(),
        };
        self.log.push(e);
    }
    /// Counts an `n`-byte kernel block against the budget (false, logged,
    /// with the message, when it does not fit).
    fn charge_block(&mut self, n: u64) -> Result<(), EngineError> {
        self.check_host_blocks(n)?;
        if !self.budget.alloc_kernel(n) {
            let msg = format!(
                "memory limit exceeded: the host could not allocate a {n}-byte block (memory.maxPages: {} pages, {})",
                self.limits.max_pages,
                self.limits.pages_scope()
            );
            self.event("kernel.alloc", format!("bytes={n}"), Decision::Denied, "memory.maxPages", None);
            return Err(EngineError::new(Kind::Plugin, msg).with_limit(Limit::PluginMemory));
        }
        Ok(())
    }
    /// [`MAX_HOST_BLOCK_BYTES`]: may the host hold `n` more block bytes?
    pub fn check_host_blocks(&mut self, n: u64) -> Result<(), EngineError> {
        let held = self.budget.kernel_bytes;
        if held.saturating_add(n) <= MAX_HOST_BLOCK_BYTES {
            return Ok(());
        }
        self.event(
            "kernel.alloc",
            format!("bytes={n} held={held}"),
            Decision::Denied,
            &format!("host block cap={MAX_HOST_BLOCK_BYTES} bytes"),
            None,
        );
        Err(EngineError::limit(Limit::HostBlock, format!(
            "host block limit exceeded: a {n}-byte block was requested while {held} bytes are held; blocks kept by the host (input, output, config, vars, HTTP bodies) are capped at {MAX_HOST_BLOCK_BYTES} bytes ({} MiB) per call (Chartroom limit, independent of memory.maxPages)",
            MAX_HOST_BLOCK_BYTES >> 20
        )))
    }
    /// The answer to the pending `http_request`: the response body's block
    /// handle to resume the guest with, or the message the guest traps with
    /// (transport failure, body over maxHttpResponseBytes, no memory).
    pub fn complete_http(
        &mut self,
        resp: Result<HttpResponse, EngineError>,
        rem: Option<u64>,
    ) -> Result<Vec<u8>, EngineError> {
        // The transport's error is Go's (net/http) text, the guest's trap.
        let resp = resp.map_err(|e| e.of_kind(Kind::Plugin))?;
        self.http_status = resp.status as i32;
        self.http_bytes += resp.body.len() as u64;
        if resp.body.len() as u64 > self.limits.max_http_response_bytes {
            let max = self.limits.max_http_response_bytes;
            self.event(
                "extism:host/env.http_request",
                format!("body={} bytes", resp.body.len()),
                Decision::Denied,
                &format!("memory.maxHttpResponseBytes={max}"),
                rem,
            );
            // go-sdk's http.MaxBytesReader panic text.
            return Err(EngineError::new(Kind::Plugin, "http: request body too large"));
        }
        self.http_headers = Some(resp.headers.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.clone())).collect());
        Ok(resp.body)
    }
    /// Traps the guest with `e`'s text, keeping `e` as the call's reason.
    fn fail(&mut self, e: EngineError) -> Error {
        let trap = Error::new(e.message.clone());
        self.failure = Some(e);
        trap
    }
}

/// The kernel memory's cap: four times [`MAX_HOST_BLOCK_BYTES`], room for
/// the blocks the host may hold plus first-fit fragmentation (a safety net:
/// alloc/free patterns that fragment that much are contrived).
pub(crate) const MAX_KERNEL_MEMORY_BYTES: u64 = 4 * MAX_HOST_BLOCK_BYTES;

/// A new kernel block of `n` bytes holding `data` (zeros without it),
/// charged to the budget; 0 for n = 0 (Extism's `memory_new` of nothing is
/// the null handle).
pub(crate) fn alloc_block<C: AsContextMut<Data = HostState>>(
    ctx: &mut C,
    data: Option<&[u8]>,
    n: u64,
) -> Result<u64, EngineError> {
    if n == 0 {
        return Ok(NULL);
    }
    let mut cx = ctx.as_context_mut();
    let s = cx.data_mut();
    let Some(mem) = s.kmem else {
        return Err(EngineError::new(Kind::Plugin, "internal: the kernel is not instantiated"));
    };
    s.charge_block(n)?;
    let addr = s.kernel.reserve(n);
    let top = s.kernel.top;
    // Freed space is reused first-fit, but a guest can still fragment it
    // (ever larger blocks between small live ones): cap the memory itself.
    if top > MAX_KERNEL_MEMORY_BYTES {
        s.kernel.free(addr);
        s.budget.free_kernel(n);
        let held = s.budget.kernel_bytes;
        s.event(
            "kernel.alloc",
            format!("bytes={n} held={held} kernel memory={top}"),
            Decision::Denied,
            &format!("kernel memory cap={MAX_KERNEL_MEMORY_BYTES} bytes"),
            None,
        );
        return Err(EngineError::limit(Limit::HostBlock, format!(
            "host block limit exceeded: a {n}-byte block does not fit in the kernel memory ({held} bytes held in fragmented blocks; the kernel memory is capped at {} MiB per call, a Chartroom limit)",
            MAX_KERNEL_MEMORY_BYTES >> 20
        )));
    }
    let have = mem.data_size(&cx) as u64;
    if top > have {
        cx.data_mut().kernel_growing = true;
        let grown = mem.grow(&mut cx, (top - have).div_ceil(super::limits::WASM_PAGE));
        let s = cx.data_mut();
        s.kernel_growing = false;
        if grown.is_err() {
            s.kernel.free(addr);
            s.budget.free_kernel(n);
            s.event("kernel.alloc", format!("bytes={n}"), Decision::Denied, "host out of memory", None);
            return Err(EngineError::new(
                Kind::Plugin,
                format!("host out of memory: could not allocate a {n}-byte block"),
            ));
        }
    }
    let bytes = &mut mem.data_mut(&mut cx)[addr as usize..(addr + n) as usize];
    match data {
        Some(d) => bytes.copy_from_slice(d),
        None => bytes.fill(0),
    }
    Ok(addr)
}

/// `[h, h+len)` of a live block.
pub(crate) fn read_block<C: AsContext<Data = HostState>>(ctx: &C, h: u64, len: u64) -> Option<Vec<u8>> {
    let cx = ctx.as_context();
    let s = cx.data();
    let r = s.kernel.in_block(h, len)?;
    let mem = s.kmem?;
    mem.data(cx).get(r).map(<[u8]>::to_vec)
}

/// Takes a block's bytes and frees it (host-owned argument handles).
pub(crate) fn take_block<C: AsContextMut<Data = HostState>>(ctx: &mut C, h: u64) -> Option<Vec<u8>> {
    let n = ctx.as_context().data().kernel.length(h);
    let b = read_block(&*ctx, h, n)?;
    free_block(ctx, h);
    Some(b)
}

/// Frees a block (the input's handle too: then input_length is 0).
pub(crate) fn free_block<C: AsContextMut<Data = HostState>>(ctx: &mut C, h: u64) {
    let mut cx = ctx.as_context_mut();
    let s = cx.data_mut();
    let was_input = h != NULL && h == s.kernel.input;
    let n = s.kernel.free(h);
    s.budget.free_kernel(n);
    if was_input {
        set_input(&mut cx, NULL, 0);
    }
}

/// Points the kernel's input globals (the kernel module) or its input
/// words (the kernel inlined into the plugin, `wasm_binary::inline_kernel`)
/// at a block.
pub(crate) fn set_input<C: AsContextMut<Data = HostState>>(ctx: &mut C, h: u64, len: u64) {
    use super::wasm_binary::{INPUT_LENGTH_ADDR, INPUT_OFFSET_ADDR};
    let mut cx = ctx.as_context_mut();
    let s = cx.data_mut();
    s.kernel.input = h;
    if let Some((off, n)) = s.kinput {
        let _ = off.set(&mut cx, Val::I64(h as i64));
        let _ = n.set(&mut cx, Val::I64(len as i64));
    } else if let Some(mem) = s.kmem {
        // Blocks live below the kernel memory cap (< 4 GiB): u32 each.
        let _ = mem.write(&mut cx, INPUT_OFFSET_ADDR as usize, &(h as u32).to_le_bytes());
        let _ = mem.write(&mut cx, INPUT_LENGTH_ADDR as usize, &(len as u32).to_le_bytes());
    }
}

/// The kernel functions as host functions over the kernel memory, for a
/// plugin whose calls to them were inlined (`wasm_binary::inline_kernel`):
/// its imports of them remain, reachable only through a table or
/// `ref.func`. Same bounds as kernel.rs `KERNEL_WAT`.
pub(crate) fn link_kernel_host(linker: &mut Linker<HostState>) -> Result<(), Error> {
    use super::wasm_binary::{INPUT_LENGTH_ADDR, INPUT_OFFSET_ADDR};
    // The kernel memory's bytes [p, p + n) when 8 <= p and p + n <= size.
    fn at(c: &Caller<'_, HostState>, p: i64, n: usize) -> Option<std::ops::Range<usize>> {
        let mem = c.data().kmem?;
        let size = mem.data_size(c);
        let p = usize::try_from(p as u64).ok().filter(|p| *p >= 8)?;
        (p.checked_add(n)? <= size).then_some(p..p + n)
    }
    fn word(c: &Caller<'_, HostState>, addr: u64) -> u64 {
        let Some(mem) = c.data().kmem else { return 0 };
        let mut b = [0u8; 4];
        let _ = mem.read(c, addr as usize, &mut b);
        u64::from(u32::from_le_bytes(b))
    }
    fn byte(c: &Caller<'_, HostState>, r: Option<std::ops::Range<usize>>) -> i32 {
        match (r, c.data().kmem) {
            (Some(r), Some(m)) => i32::from(m.data(c)[r.start]),
            _ => 0,
        }
    }
    fn u64_at(c: &Caller<'_, HostState>, r: Option<std::ops::Range<usize>>) -> i64 {
        match (r, c.data().kmem) {
            (Some(r), Some(m)) => i64::from_le_bytes(m.data(c)[r].try_into().unwrap_or_default()),
            _ => 0,
        }
    }
    fn put(c: &mut Caller<'_, HostState>, r: Option<std::ops::Range<usize>>, v: &[u8]) {
        if let (Some(r), Some(m)) = (r, c.data().kmem) {
            m.data_mut(c)[r].copy_from_slice(v);
        }
    }
    linker.func_wrap(ENV, "load_u8", |c: Caller<'_, HostState>, p: i64| byte(&c, at(&c, p, 1)))?;
    linker.func_wrap(ENV, "load_u64", |c: Caller<'_, HostState>, p: i64| u64_at(&c, at(&c, p, 8)))?;
    linker.func_wrap(ENV, "store_u8", |mut c: Caller<'_, HostState>, p: i64, v: i32| {
        let r = at(&c, p, 1);
        put(&mut c, r, &[v as u8]);
    })?;
    linker.func_wrap(ENV, "store_u64", |mut c: Caller<'_, HostState>, p: i64, v: i64| {
        let r = at(&c, p, 8);
        put(&mut c, r, &v.to_le_bytes());
    })?;
    linker.func_wrap(ENV, "input_length", |c: Caller<'_, HostState>| word(&c, INPUT_LENGTH_ADDR) as i64)?;
    linker.func_wrap(ENV, "input_offset", |c: Caller<'_, HostState>| word(&c, INPUT_OFFSET_ADDR) as i64)?;
    linker.func_wrap(ENV, "input_load_u8", |c: Caller<'_, HostState>, o: i64| {
        let (off, len) = (word(&c, INPUT_OFFSET_ADDR), word(&c, INPUT_LENGTH_ADDR));
        if (o as u64) < len {
            byte(&c, at(&c, (off + o as u64) as i64, 1))
        } else {
            0
        }
    })?;
    linker.func_wrap(ENV, "input_load_u64", |c: Caller<'_, HostState>, o: i64| {
        let (off, len) = (word(&c, INPUT_OFFSET_ADDR), word(&c, INPUT_LENGTH_ADDR));
        if len >= 8 && (o as u64) <= len - 8 {
            u64_at(&c, at(&c, (off + o as u64) as i64, 8))
        } else {
            0
        }
    })?;
    Ok(())
}

fn remaining(c: &Caller<'_, HostState>) -> Option<u64> {
    c.get_fuel().ok()
}

fn summarize(s: &str) -> String {
    let mut out: String = s.chars().take(80).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// Defines every `extism:host/env` function on the linker.
pub(crate) fn link_env(linker: &mut Linker<HostState>) -> Result<(), Error> {
    // Kernel: memory blocks.
    linker.func_wrap(ENV, "alloc", |mut c: Caller<'_, HostState>, n: i64| -> Result<i64, Error> {
        let n = n.max(0) as u64;
        // Past the host-block cap alloc returns 0, as the kernel does when
        // it cannot grow; the reason is kept for the error a guest then hits
        // (e.g. output_set of that null block).
        if let Err(msg) = c.data_mut().check_host_blocks(n) {
            c.data_mut().failure.get_or_insert(msg);
            return Ok(0);
        }
        if !c.data().budget.fits(n) {
            let rem = remaining(&c);
            let s = c.data_mut();
            let msg = format!(
                "memory limit exceeded: the host could not allocate a {n}-byte block (memory.maxPages: {} pages, {})",
                s.limits.max_pages,
                s.limits.pages_scope()
            );
            s.event("kernel.alloc", format!("bytes={n}"), Decision::Denied, "memory.maxPages", rem);
            s.failure.get_or_insert(EngineError::new(Kind::Plugin, msg).with_limit(Limit::PluginMemory));
            return Ok(0);
        }
        match alloc_block(&mut c, None, n) {
            Ok(h) => Ok(h as i64),
            Err(msg) => {
                // A refused allocation returns 0 (PDKs then fail); remember why.
                c.data_mut().failure.get_or_insert(msg);
                Ok(0)
            }
        }
    })?;
    linker.func_wrap(ENV, "free", |mut c: Caller<'_, HostState>, h: i64| free_block(&mut c, h as u64))?;
    linker.func_wrap(ENV, "length", |c: Caller<'_, HostState>, h: i64| -> i64 {
        c.data().kernel.length(h as u64) as i64
    })?;
    linker.func_wrap(ENV, "length_unsafe", |c: Caller<'_, HostState>, h: i64| -> i64 {
        c.data().kernel.length(h as u64) as i64
    })?;
    // load_*/store_*/input_*: the kernel module's wasm functions, linked
    // by the caller (see kernel.rs); `kernel::KERNEL_FUNCS` names them.
    linker.func_wrap(ENV, "output_set", |mut c: Caller<'_, HostState>, h: i64, n: i64| {
        c.data_mut().kernel.output = Some((h as u64, n.max(0) as u64));
    })?;
    linker.func_wrap(ENV, "error_set", |mut c: Caller<'_, HostState>, h: i64| c.data_mut().kernel.error = h as u64)?;
    linker.func_wrap(ENV, "error_get", |c: Caller<'_, HostState>| -> i64 { c.data().kernel.error as i64 })?;

    // config: read-only manifest config; the key block is freed (Rust SDK).
    linker.func_wrap(ENV, "config_get", |mut c: Caller<'_, HostState>, k: i64| -> Result<i64, Error> {
        let rem = remaining(&c);
        let key = String::from_utf8_lossy(&take_block(&mut c, k as u64).unwrap_or_default()).into_owned();
        let s = c.data_mut();
        let val = s.config.get(&key).cloned();
        let rule = if val.is_some() { "runtimeConfig.config" } else { "runtimeConfig.config (key absent)" };
        s.event("extism:host/env.config_get", format!("key={}", summarize(&key)), Decision::Allowed, rule, rem);
        match val {
            Some(v) => alloc_block(&mut c, Some(v.as_bytes()), v.len() as u64)
                .map(|h| h as i64)
                .map_err(|m| c.data_mut().fail(m)),
            None => Ok(0),
        }
    })?;

    // vars: per-call store (Helm keeps nothing between calls).
    linker.func_wrap(ENV, "var_get", |mut c: Caller<'_, HostState>, k: i64| -> Result<i64, Error> {
        let rem = remaining(&c);
        let key = String::from_utf8_lossy(&take_block(&mut c, k as u64).unwrap_or_default()).into_owned();
        let s = c.data_mut();
        s.event("extism:host/env.var_get", format!("key={}", summarize(&key)), Decision::Allowed, "vars", rem);
        match s.vars.get(&key).cloned() {
            Some(v) => {
                alloc_block(&mut c, Some(&v), v.len() as u64).map(|h| h as i64).map_err(|m| c.data_mut().fail(m))
            }
            None => Ok(0),
        }
    })?;
    linker.func_wrap(ENV, "var_set", |mut c: Caller<'_, HostState>, k: i64, v: i64| -> Result<(), Error> {
        let rem = remaining(&c);
        let key = String::from_utf8_lossy(&take_block(&mut c, k as u64).unwrap_or_default()).into_owned();
        let val = if v == 0 { None } else { take_block(&mut c, v as u64) };
        let s = c.data_mut();
        let args = format!("key={} bytes={}", summarize(&key), val.as_ref().map(Vec::len).unwrap_or(0));
        let Some(max) = s.limits.max_var_bytes else {
            s.event("extism:host/env.var_set", args, Decision::Denied, "memory.maxVarBytes=0", rem);
            return Err(s.fail(EngineError::new(Kind::Plugin, "Vars are disabled by this host")));
        };
        // go-sdk: running total of key+value bytes plus 40 bytes per entry
        // (Go string + slice headers), refused when >= max.
        const OVERHEAD: u64 = 40;
        let old = s.vars.get(&key).map(|o| o.len() as u64 + key.len() as u64 + OVERHEAD).unwrap_or(0);
        match val {
            None => {
                s.vars.remove(&key);
                s.var_bytes = s.var_bytes.saturating_sub(old);
                s.event("extism:host/env.var_set", args, Decision::Allowed, "delete", rem);
                Ok(())
            }
            Some(val) => {
                let new = s.var_bytes - old + key.len() as u64 + val.len() as u64 + OVERHEAD;
                if new >= max {
                    s.event(
                        "extism:host/env.var_set",
                        args,
                        Decision::Denied,
                        &format!("memory.maxVarBytes={max}"),
                        rem,
                    );
                    return Err(s.fail(EngineError::new(Kind::Plugin, "Variable store is full")));
                }
                s.var_bytes = new;
                s.vars.insert(key, val);
                s.event("extism:host/env.var_set", args, Decision::Allowed, &format!("memory.maxVarBytes={max}"), rem);
                Ok(())
            }
        }
    })?;

    linker.func_wrap(
        ENV,
        "http_request",
        |mut c: Caller<'_, HostState>, req: i64, body: i64| -> Result<i64, Error> {
            let rem = remaining(&c);
            let raw = take_block(&mut c, req as u64).unwrap_or_default();
            let body = if body == 0 { Vec::new() } else { take_block(&mut c, body as u64).unwrap_or_default() };
            let s = c.data_mut();
            s.http_status = 0;
            s.http_headers = None;
            let parsed = json::parse(&raw)
                .map_err(|e| s.fail(EngineError::new(Kind::Plugin, format!("invalid HTTP request JSON: {e}"))))?;
            let url = parsed.get_field("url").and_then(Json::as_str).unwrap_or("").to_string();
            let method = parsed.get_field("method").and_then(Json::as_str).unwrap_or("GET").to_ascii_uppercase();
            let mut headers = BTreeMap::new();
            if let Some(Json::Object(kv)) = parsed.get_field("headers") {
                for (k, v) in kv {
                    if let Some(v) = v.as_str() {
                        headers.insert(k.clone(), v.to_string());
                    }
                }
            }
            let args = format!("{method} {}", summarize(&url));
            let Some(rule) = allowed_by(&s.limits.allowed_hosts, &url).map(str::to_string) else {
                let rule = if s.limits.allowed_hosts.is_empty() {
                    "allowedHosts is empty".to_string()
                } else {
                    format!("allowedHosts={:?}", s.limits.allowed_hosts)
                };
                s.event("extism:host/env.http_request", args, Decision::Denied, &rule, rem);
                return Err(s.fail(EngineError::new(Kind::Plugin, format!("HTTP request to '{url}' is not allowed"))));
            };
            if s.http.is_none() {
                s.event("extism:host/env.http_request", args, Decision::Denied, "no HTTP client", rem);
                return Err(s.fail(EngineError::new(
                    Kind::Plugin,
                    format!("HTTP request to '{url}' failed: this host has no network access"),
                )));
            }
            s.event("extism:host/env.http_request", args, Decision::Allowed, &format!("allowedHosts: {rule}"), rem);
            s.http_requests += 1;
            // Suspend: the driver performs the request and resumes the guest.
            s.pending_http = Some(PendingHttp { req: HttpRequest { url, method, headers, body } });
            Err(Error::host(HttpWait))
        },
    )?;
    linker.func_wrap(ENV, "http_status_code", |c: Caller<'_, HostState>| -> i32 { c.data().http_status })?;
    linker.func_wrap(ENV, "http_headers", |mut c: Caller<'_, HostState>| -> Result<i64, Error> {
        match c.data().http_headers.clone() {
            Some(h) => {
                let j = json::object_of_strings(&h);
                alloc_block(&mut c, Some(j.as_bytes()), j.len() as u64)
                    .map(|h| h as i64)
                    .map_err(|m| c.data_mut().fail(m))
            }
            None => Ok(0),
        }
    })?;

    // Logging: Helm never sets a level, so get_log_level says "off"
    // (i32::MAX) and PDKs that check it log nothing; messages that still
    // arrive are kept in the run result.
    linker.func_wrap(ENV, "get_log_level", |c: Caller<'_, HostState>| -> i32 { c.data().guest_log_level })?;
    for level in ["trace", "debug", "info", "warn", "error"] {
        linker.func_wrap(ENV, &format!("log_{level}"), move |mut c: Caller<'_, HostState>, m: i64| {
            let rem = remaining(&c);
            let msg = String::from_utf8_lossy(&take_block(&mut c, m as u64).unwrap_or_default()).into_owned();
            let s = c.data_mut();
            s.event(&format!("extism:host/env.log_{level}"), summarize(&msg), Decision::Allowed, "log", rem);
            s.guest_log.push((level.to_string(), msg));
        })?;
    }
    Ok(())
}
