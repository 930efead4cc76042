//! The render's guard against hostile templates: a memory budget for the
//! values a render creates, a wall-clock deadline and a cancel callback.
//!
//! Go has none of these (a runaway Helm template exhausts the machine); they
//! are Chartroom's own, reported like the step limit: `render stopped: …` at
//! the template position, never as a Go error.
//!
//! Memory is *accounted*, not measured: every value a function, `include`,
//! `tpl` or an action creates is charged by what it adds over its distinct
//! inputs (`print $s $s` adds `len($s)`, `append $l x` one element, `concat
//! $l $l` `len($l)` elements). A doubling loop is so charged about its final
//! size and ends at the budget long before the process runs out; ordinary
//! charts charge a few megabytes. The count is deterministic: the same
//! template stops at the same place natively and in the browser.

use std::rc::Rc;

use crate::value::Value;

/// Default memory budget of a native render (bytes of values created).
pub const DEFAULT_MAX_MEMORY: u64 = 1 << 30;
/// What the page's worker allows (wasm32 memory ends at 4 GiB, and a
/// transient value may briefly hold twice the budget).
pub const PAGE_MAX_MEMORY: u64 = 256 << 20;

/// A clock in milliseconds (natively `Instant`, in the page `performance.now()`).
pub type Clock = Rc<dyn Fn() -> f64>;
/// Returns true when the render should stop (a newer edit replaced it).
pub type Cancel = Rc<dyn Fn() -> bool>;
/// Returns true while the native stack has room for more nested template
/// calls (the page's probe of V8's fixed worker stack; natively none, the
/// stack grows).
pub type StackRoom = Rc<dyn Fn() -> bool>;
/// Runs the given function to its end on a fresh native stack and says
/// whether it ran (the page's WebAssembly stack switching, JSPI: V8's
/// worker stack is fixed, about 1 MB, and a call of a `promising` export
/// runs on a new one; natively none, the stack grows).
pub type FreshStack = Rc<dyn Fn(&mut dyn FnMut()) -> bool>;

/// A wall-clock deadline.
#[derive(Clone)]
pub struct Deadline {
    pub clock: Clock,
    /// Clock reading at which the render stops.
    pub at_ms: f64,
    /// The timeout as the user gave it (`5s`), for the message.
    pub label: String,
}

/// The render-wide guard, kept in [`super::Env`] so functions can check it.
#[derive(Clone)]
pub struct Guard {
    pub max_memory: u64,
    pub used_memory: u64,
    pub deadline: Option<Deadline>,
    pub cancel: Option<Cancel>,
    pub stack_room: Option<StackRoom>,
    pub fresh_stack: Option<FreshStack>,
    /// Set when a check inside a function stopped the render, so the
    /// executor reports it as a limit and not as `error calling …`.
    pub tripped: Option<String>,
}

impl Default for Guard {
    fn default() -> Self {
        Guard {
            max_memory: DEFAULT_MAX_MEMORY,
            used_memory: 0,
            deadline: None,
            cancel: None,
            stack_room: None,
            fresh_stack: None,
            tripped: None,
        }
    }
}

impl Guard {
    /// Charges `bytes` of newly created values; `Err` with the message once
    /// the budget is spent.
    pub fn charge(&mut self, bytes: u64) -> Result<(), String> {
        self.used_memory = self.used_memory.saturating_add(bytes);
        if self.used_memory > self.max_memory {
            return Err(self.trip(self.memory_message()));
        }
        Ok(())
    }

    /// Whether `bytes` more would still fit (a function checks before it
    /// allocates a result of a size it can compute first).
    pub fn reserve(&mut self, bytes: u64) -> Result<(), String> {
        if self.used_memory.saturating_add(bytes) > self.max_memory {
            return Err(self.trip(self.memory_message()));
        }
        Ok(())
    }

    fn memory_message(&self) -> String {
        format!(
            "render stopped: the templates created more than {} bytes of values (memory budget; possible runaway template)",
            self.max_memory
        )
    }

    /// The deadline and the cancel callback: `Err` once either says stop.
    pub fn check_time(&mut self) -> Result<(), String> {
        if let Some(c) = &self.cancel {
            if c() {
                return Err(self.trip("render cancelled".into()));
            }
        }
        if let Some(d) = &self.deadline {
            if (d.clock)() >= d.at_ms {
                let msg = format!("render stopped: timeout of {} exceeded", d.label);
                return Err(self.trip(msg));
            }
        }
        Ok(())
    }

    fn trip(&mut self, msg: String) -> String {
        self.tripped = Some(msg.clone());
        msg
    }
}

/// Bytes a value holds itself, in O(1): a string's bytes, a list's or a
/// map's slots. Strings inside a container are not counted again: they were
/// charged when made, or are at most the input they were cut from.
pub fn footprint(v: &Value) -> u64 {
    const SLOT: u64 = std::mem::size_of::<Value>() as u64;
    match v {
        Value::String(s) => 16 + s.len() as u64,
        Value::Bytes(b) => 16 + b.len() as u64,
        Value::List(l, _) => 32 + l.borrow().len() as u64 * SLOT,
        Value::Map(m, _) => 32 + m.borrow().len() as u64 * (SLOT + 64),
        _ => 0,
    }
}

/// Identity of a value's heap block, to count an argument passed twice once.
pub fn block(v: &Value) -> Option<*const u8> {
    match v {
        Value::String(s) => Some(s.as_ptr()),
        Value::Bytes(b) => Some(b.as_ptr()),
        Value::List(l, _) => Some(Rc::as_ptr(l) as *const u8),
        Value::Map(m, _) => Some(Rc::as_ptr(m) as *const u8),
        _ => None,
    }
}

/// The arguments of a call as seen before it runs: block and footprint.
pub fn snapshot(args: &[Value]) -> Vec<(*const u8, u64)> {
    let mut v: Vec<(*const u8, u64)> = Vec::new();
    for a in args {
        if let Some(p) = block(a) {
            if !v.iter().any(|(q, _)| *q == p) {
                v.push((p, footprint(a)));
            }
        }
    }
    v
}

/// What a call's result adds over its distinct arguments (`before` from
/// [`snapshot`]). A result that is an argument itself (`set`, `default`)
/// adds only what it grew by.
pub fn growth(result: &Value, before: &[(*const u8, u64)]) -> u64 {
    let out = footprint(result);
    if out == 0 {
        return 0;
    }
    let rb = block(result);
    if let Some(&(_, was)) = before.iter().find(|(p, _)| Some(*p) == rb) {
        return out.saturating_sub(was);
    }
    out.saturating_sub(before.iter().map(|(_, n)| n).sum())
}

fn leaf_size(v: &Value) -> u64 {
    match v {
        Value::String(s) => s.len() as u64,
        Value::Bytes(b) => b.len() as u64,
        _ => 0,
    }
}

/// The size of `v` written out in full, as an encoder (`toJson`, `toYaml`,
/// `%v`) or `deepCopy` would produce it, counting shared parts at each
/// occurrence. Stops early once past `cap`, iteratively (a cyclic or deeply
/// nested value cannot overflow the stack here).
pub fn expanded_size(v: &Value, cap: u64) -> u64 {
    let mut total = 0u64;
    let mut stack: Vec<Value> = vec![v.clone()];
    while let Some(x) = stack.pop() {
        total = total.saturating_add(8 + footprint(&x));
        match &x {
            Value::List(l, _) => {
                for e in l.borrow().iter() {
                    total = total.saturating_add(leaf_size(e));
                    if is_container(e) {
                        stack.push(e.clone());
                    }
                }
            }
            Value::Map(m, _) => {
                for e in m.borrow().values() {
                    total = total.saturating_add(leaf_size(e));
                    if is_container(e) {
                        stack.push(e.clone());
                    }
                }
            }
            _ => {}
        }
        if total > cap {
            return total;
        }
    }
    total
}

fn is_container(v: &Value) -> bool {
    matches!(v, Value::List(..) | Value::Map(..))
}

/// The bytes a call is about to allocate for its result, when its
/// arguments tell in advance (0 when they do not): the string functions
/// that join their arguments (`print $s $s`, `cat`, `join`), `repeat`, and
/// the lists of `until` and `concat`. Twice that must fit in the budget before the call runs
/// (the result is built, then copied once into the value that holds it), so
/// a doubling loop stops *before* its last allocation and the memory the
/// render really holds stays near the budget (accounting after the call
/// alone let the page's worker reach 5–8 times its budget).
pub fn result_size(name: &str, argv: &[Value]) -> u64 {
    const SLOT: u64 = std::mem::size_of::<Value>() as u64;
    let leaves = |vs: &[Value]| vs.iter().map(|v| leaf_size(v) + 1).sum::<u64>();
    match name {
        "print" | "println" | "printf" | "cat" => leaves(argv),
        "join" => match argv.get(1) {
            Some(Value::List(l, _)) => leaves(&l.borrow()) + leaf_size(&argv[0]) * l.borrow().len() as u64,
            _ => 0,
        },
        "repeat" => match (argv.first(), argv.get(1)) {
            // Past sprig's own cap `repeat` fails with Go's overflow error.
            (Some(Value::Int(n, _)), Some(s)) if *n > 0 => match (*n as u64).saturating_mul(leaf_size(s)) {
                n if n > crate::sprig::strings::MAX_OUTPUT as u64 => 0,
                n => n,
            },
            _ => 0,
        },
        // `until N`'s list (past sprig's own cap it fails with its error).
        "until" => match argv.first() {
            Some(Value::Int(n, _)) if *n > 0 && (*n as u64) < crate::sprig::numeric::MAX_RANGE as u64 => {
                *n as u64 * SLOT
            }
            _ => 0,
        },
        "concat" => argv
            .iter()
            .map(|v| match v {
                Value::List(l, _) => l.borrow().len() as u64 * SLOT,
                _ => 0,
            })
            .sum(),
        _ => 0,
    }
}

/// Functions whose output grows with the *expanded* size of their arguments
/// (shared sub-values are written once per occurrence): a list built by
/// doubling references (`$l = list $l $l`) is small in memory but its
/// `toJson` is exponential, so these are checked before they run.
pub fn is_expander(name: &str) -> bool {
    matches!(
        name,
        "toJson"
            | "mustToJson"
            | "toPrettyJson"
            | "mustToPrettyJson"
            | "toRawJson"
            | "mustToRawJson"
            | "toYaml"
            | "mustToYaml"
            | "toYamlPretty"
            | "toToml"
            | "mustToToml"
            | "toString"
            | "toStrings"
            | "print"
            | "printf"
            | "println"
            | "deepCopy"
            | "mustDeepCopy"
            | "cat"
            | "join"
            | "sortAlpha"
            | "html"
            | "js"
            | "urlquery"
            | "quote"
            | "squote"
            | "fail"
            | "b64enc"
            | "b32enc"
            | "sha256sum"
            | "sha1sum"
            | "sha512sum"
            | "adler32sum"
    )
}

/// Functions slow enough per call (key generation, bcrypt, scrypt) that the
/// deadline is checked before each call rather than every few thousand steps.
pub fn is_slow(name: &str) -> bool {
    matches!(
        name,
        "bcrypt"
            | "htpasswd"
            | "derivePassword"
            | "genPrivateKey"
            | "genCA"
            | "genCAWithKey"
            | "genSelfSignedCert"
            | "genSelfSignedCertWithKey"
            | "genSignedCert"
            | "genSignedCertWithKey"
            | "encryptAES"
            | "decryptAES"
    )
}
