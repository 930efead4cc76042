//! The function map: what a template may call, with Go-typed signatures.
//!
//! Go calls template functions through reflection: each argument is converted
//! to the parameter's Go type first, and a mismatch is an execution error
//! (`wrong type for value; expected string; got float64`) *before* the
//! function runs. Number literals are untyped constants that take the
//! parameter's type. So every function declares its Go parameter types, and
//! the executor does the conversion exactly as Go's `evalArg` does.

use crate::error::Error;
use std::collections::HashMap;
use std::rc::Rc;

use crate::value::Value;

/// A Go parameter type, as far as template argument conversion can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// `interface{}`: anything, including nil.
    Any,
    /// `string`
    String,
    /// `int`
    Int,
    /// `int64`
    Int64,
    /// `uint32` (`randInt` etc. don't use it; `adler32sum` returns it)
    Uint32,
    /// `float64`
    Float64,
    /// `bool`
    Bool,
    /// `[]interface{}`
    List,
    /// `[]string`
    StringList,
    /// `map[string]interface{}`
    Map,
    /// `[]byte`
    Bytes,
    /// `time.Duration` (method parameters: `$t.Add`, `$d.Round`)
    Duration,
    /// `time.Time` (method parameters: `$t.Sub`, `$t.Before`)
    Time,
}

impl Ty {
    /// The Go spelling, for error messages (`expected string`).
    pub(crate) fn go_name(self) -> &'static str {
        match self {
            Ty::Any => "interface {}",
            Ty::String => "string",
            Ty::Int => "int",
            Ty::Int64 => "int64",
            Ty::Uint32 => "uint32",
            Ty::Float64 => "float64",
            Ty::Bool => "bool",
            Ty::List => "[]interface {}",
            Ty::StringList => "[]string",
            Ty::Map => "map[string]interface {}",
            Ty::Bytes => "[]uint8",
            Ty::Duration => "time.Duration",
            Ty::Time => "time.Time",
        }
    }
}

/// Render-wide context that functions may need: deterministic randomness and
/// clock for reproducible share links, DNS permission, capability decisions.
pub struct Env {
    /// Seed state of the render's random generator (SplitMix64/xorshift).
    pub rng_state: u64,
    /// "Now" as Unix nanoseconds; `None` = the real clock.
    pub fixed_now_unix_nanos: Option<i128>,
    /// Whether `getHostByName` may resolve (Helm's `--enable-dns`).
    pub enable_dns: bool,
    /// Capability decisions made during the render (e.g. a denied DNS lookup).
    pub capability_log: Vec<CapabilityEvent>,
    /// Objects of a user-defined mock cluster that `lookup` answers from
    /// (`helm template` has no cluster: empty by default).
    pub mock_cluster: Vec<Value>,
    /// Memory budget, deadline and cancellation of the render.
    pub guard: super::guard::Guard,
}

impl Default for Env {
    fn default() -> Self {
        Env {
            rng_state: 0x9E37_79B9_7F4A_7C15,
            fixed_now_unix_nanos: None,
            enable_dns: false,
            capability_log: Vec::new(),
            mock_cluster: Vec::new(),
            guard: super::guard::Guard::default(),
        }
    }
}

impl Env {
    /// Next 64 random bits (SplitMix64: small, good enough for template
    /// randomness; seeded from the browser's crypto or a fixed seed).
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.rng_state = self.rng_state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng_state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// One capability decision (shared shape with the plugin host's log).
#[derive(Clone, Debug, PartialEq)]
pub struct CapabilityEvent {
    pub capability: String,
    pub detail: String,
    pub allowed: bool,
    pub rule: String,
}

/// A plain function body: converted arguments in, value or error text out.
/// The error text is what Go prints after `error calling NAME: `.
pub type FuncBody = Rc<dyn Fn(&mut Env, Vec<Value>) -> Result<Value, Error>>;

#[derive(Clone)]
pub struct Func {
    pub name: &'static str,
    pub params: &'static [Ty],
    /// Type of the `...` parameter, if variadic.
    pub variadic: Option<Ty>,
    pub body: FuncBody,
}

/// Name → function. Engine-level functions that need the executor
/// (`include`, `tpl`, `template`-like builtins) are handled by the executor
/// itself and only registered here by name so the parser accepts them.
#[derive(Clone, Default)]
pub struct FuncMap {
    funcs: HashMap<&'static str, Func>,
}

impl FuncMap {
    pub fn new() -> Self {
        FuncMap::default()
    }

    /// Registers `name` with a Go signature.
    pub fn add(
        &mut self,
        name: &'static str,
        params: &'static [Ty],
        variadic: Option<Ty>,
        body: impl Fn(&mut Env, Vec<Value>) -> Result<Value, Error> + 'static,
    ) {
        self.funcs.insert(name, Func { name, params, variadic, body: Rc::new(body) });
    }

    pub fn get(&self, name: &str) -> Option<&Func> {
        self.funcs.get(name)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.funcs.contains_key(name)
    }

    pub fn remove(&mut self, name: &str) {
        self.funcs.remove(name);
    }

    pub fn names(&self) -> impl Iterator<Item = &&'static str> {
        self.funcs.keys()
    }
}
