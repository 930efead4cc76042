//! The capability log: one structured event per decision the host takes on
//! the guest's behalf (an Extism host function, a WASI call, a memory
//! growth, a limit), plus a summary of the resources the call used. JSON is
//! written by hand (no serde in the engine).

use super::json::quote;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    Denied,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Milliseconds since the call started.
    pub t_ms: f64,
    /// Fuel used so far in this call (cumulative; the summary's
    /// `fuel_used` at the end).
    pub fuel: u64,
    /// `fuel` was read from the meter when this happened. False for events
    /// whose caller cannot read it (`memory.grow` comes from wasmi's
    /// resource limiter): `fuel` is then the last exact count, a lower
    /// bound, and the next exact count (or the total) an upper one.
    pub fuel_exact: bool,
    /// Pages in use (all memories + kernel blocks).
    pub pages: u32,
    /// `extism:host/env.http_request`, `wasi_snapshot_preview1.path_open`,
    /// `memory.grow`, `limit.timeout`…
    pub call: String,
    /// Short argument summary (`url=https://…`, `fd=1 bytes=12`).
    pub args: String,
    pub decision: Decision,
    /// Which rule decided (`allowedHosts`, `memory.maxPages`, `always`…).
    pub rule: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    pub peak_pages: u32,
    pub max_pages: u32,
    pub fuel_used: u64,
    pub fuel_budget: Option<u64>,
    pub wall_ms: f64,
    pub timeout_ms: Option<u64>,
    pub http_requests: u32,
    pub http_bytes: u64,
    pub var_bytes: u64,
    pub events: usize,
    pub events_dropped: usize,
}

/// At most this many events are kept (a chatty plugin cannot exhaust the
/// browser's memory through the log); the rest are counted.
pub(crate) const MAX_EVENTS: usize = 10_000;

#[derive(Debug, Clone, Default)]
pub struct CapLog {
    pub events: Vec<Event>,
    pub dropped: usize,
}

impl CapLog {
    pub fn push(&mut self, e: Event) {
        if self.events.len() < MAX_EVENTS {
            self.events.push(e);
        } else {
            self.dropped += 1;
        }
    }
    pub fn denied(&self) -> impl Iterator<Item = &Event> {
        self.events.iter().filter(|e| e.decision == Decision::Denied)
    }
}

fn num(f: f64) -> String {
    if f.is_finite() {
        format!("{}", (f * 1000.0).round() / 1000.0)
    } else {
        "null".into()
    }
}

fn opt(o: Option<u64>) -> String {
    o.map(|v| v.to_string()).unwrap_or_else(|| "null".into())
}

impl Event {
    pub fn to_json(&self) -> String {
        format!(
            "{{\"t_ms\":{},\"fuel\":{},\"pages\":{},\"call\":{},\"args\":{},\"decision\":{},\"rule\":{}}}",
            num(self.t_ms),
            self.fuel,
            self.pages,
            quote(&self.call),
            quote(&self.args),
            quote(match self.decision {
                Decision::Allowed => "allowed",
                Decision::Denied => "denied",
            }),
            quote(&self.rule)
        )
    }
}

impl Summary {
    pub fn to_json(&self) -> String {
        format!(
            "{{\"peak_pages\":{},\"max_pages\":{},\"fuel_used\":{},\"fuel_budget\":{},\"wall_ms\":{},\"timeout_ms\":{},\"http_requests\":{},\"http_bytes\":{},\"var_bytes\":{},\"events\":{},\"events_dropped\":{}}}",
            self.peak_pages,
            self.max_pages,
            self.fuel_used,
            opt(self.fuel_budget),
            num(self.wall_ms),
            opt(self.timeout_ms),
            self.http_requests,
            self.http_bytes,
            self.var_bytes,
            self.events,
            self.events_dropped
        )
    }
}

impl CapLog {
    pub fn to_json(&self) -> String {
        let parts: Vec<String> = self.events.iter().map(Event::to_json).collect();
        format!("[{}]", parts.join(","))
    }
}
