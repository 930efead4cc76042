//! The render's guard against hostile templates: a memory budget for the
//! values a render holds, a wall-clock deadline and a cancel callback.
//!
//! Go has none of these (a runaway Helm template exhausts the machine); they
//! are Chartroom's own, reported like the step limit: `render stopped: …` at
//! the template position, never as a Go error.
//!
//! Memory is *accounted*, not measured: every value a function, `include`,
//! `tpl` or an action creates is charged by its own size (a string's bytes,
//! a list's or a map's slots; `set` and `append`-like growth of a value by
//! what it grew), and the charge travels with the value: it is credited
//! back once the value is dropped. So the budget bounds what a render
//! *holds*, not what it made over its whole run — a loop that builds and
//! drops a list 40,000 times renders as in Helm, while a doubling loop is
//! charged about its current size and ends at the budget long before the
//! process runs out. Dropped values are noticed lazily: each charge keeps a
//! weak reference to its value, and the ledger is swept when the charges
//! since the last sweep reach what was alive then (or the budget), so the
//! bookkeeping is amortised O(1) per value and the memory the ledger pins
//! (a dropped string's block stays allocated until its weak reference goes)
//! is itself within the budget. Output written and the trace are charged
//! until the render ends (an `include`'s output until the call returns),
//! and each segment of native stack grown for deep recursion while the
//! recursion holds it (`Exec::nest`): Go's 100,000 nested templates need
//! hundreds of MiB of stack natively.
//! The count is deterministic: the same template stops at the same place
//! natively and in the browser.

use crate::error::{Error, Limit};
use std::cell::RefCell;
use std::rc::{Rc, Weak};

use crate::value::{Map, Value};

/// Default memory budget of a native render (bytes of values held).
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
    /// Bytes charged and not credited back: the values held (and those
    /// dropped since the last sweep of [`Self::held`]), output written and
    /// the trace.
    pub used_memory: u64,
    /// The charges that travel with a value ([`Self::charge_value`]).
    held: Vec<(Held, u64)>,
    /// `used_memory` at which the ledger is next swept.
    sweep_at: u64,
    pub deadline: Option<Deadline>,
    pub cancel: Option<Cancel>,
    pub stack_room: Option<StackRoom>,
    pub fresh_stack: Option<FreshStack>,
    /// Set when a check inside a function stopped the render, so the
    /// executor reports it as a limit and not as `error calling …`.
    pub tripped: Option<Error>,
}

impl Default for Guard {
    fn default() -> Self {
        Guard {
            max_memory: DEFAULT_MAX_MEMORY,
            used_memory: 0,
            held: Vec::new(),
            sweep_at: MIN_SWEEP,
            deadline: None,
            cancel: None,
            stack_room: None,
            fresh_stack: None,
            tripped: None,
        }
    }
}

impl Guard {
    /// Charges `bytes` of newly created values that are not one value (the
    /// output written, the trace); `Err` with the message once the budget is
    /// spent.
    pub fn charge(&mut self, bytes: u64) -> Result<(), Error> {
        self.used_memory = self.used_memory.saturating_add(bytes);
        self.check()
    }

    /// Charges a segment of native stack the executor grows for deeper
    /// recursion (credited back by [`Self::credit`] when it returns); `Err`
    /// with a message that says so once the budget is spent.
    pub fn charge_stack(&mut self, bytes: u64) -> Result<(), Error> {
        self.used_memory = self.used_memory.saturating_add(bytes);
        if self.used_memory > self.max_memory {
            self.sweep();
            if self.used_memory > self.max_memory {
                self.used_memory -= bytes;
                let msg = format!(
                    "render stopped: nested template calls need more than {} bytes of stack and values \
                     (memory budget; possible runaway recursion)",
                    self.max_memory
                );
                return Err(self.trip(Error::limit(Limit::Memory, msg)));
            }
        }
        Ok(())
    }

    /// Credits back `bytes` charged by [`Self::charge`] (an `include`'s
    /// output once it became the call's result).
    pub fn credit(&mut self, bytes: u64) {
        self.used_memory = self.used_memory.saturating_sub(bytes);
    }

    /// Charges `bytes` for the value `v` (its block); credited back once
    /// `v`'s block is dropped. A value without a block is not charged.
    pub fn charge_value(&mut self, v: &Value, bytes: u64) -> Result<(), Error> {
        if bytes == 0 {
            return Ok(());
        }
        let Some(h) = Held::of(v) else { return Ok(()) };
        // A value that grows in a loop (`set $d (print $i) $i`) is charged
        // again and again between a few other values: one entry for it.
        let n = self.held.len();
        match self.held[n.saturating_sub(4)..].iter_mut().rev().find(|(e, _)| e.ptr() == h.ptr()) {
            Some((_, held)) => *held += bytes,
            None => self.held.push((h, bytes)),
        }
        self.charge(bytes)
    }

    /// Charges a call's result: by its own size when the call built it (no
    /// one else holds it yet), by what it grew when it is an argument the
    /// call changed (`set`, `merge`), and not at all when it is a value
    /// that something else holds already (`index`, `first`, `default`).
    /// `before` from [`snapshot`].
    pub fn charge_result(&mut self, result: &Value, before: &[(*const u8, u64)]) -> Result<(), Error> {
        let out = footprint(result);
        if out == 0 {
            return Ok(());
        }
        let rb = block(result);
        let bytes = match before.iter().find(|(p, _)| Some(*p) == rb) {
            Some(&(_, was)) => out.saturating_sub(was),
            None if shared(result) => 0,
            None => out.saturating_add(self.built_inside(result)),
        };
        self.charge_value(result, bytes)
    }

    /// What a container a call just built holds in its top level besides
    /// its slots: map keys longer than [`footprint`]'s allowance (a key is
    /// always the map's own copy, with its spare capacity: `dict` prints
    /// any value into one) and
    /// strings only this container holds that were not charged just
    /// before (`toStrings`, `splitList`). In O(its length), as building it
    /// was. Without it a recursion whose every level printed the last
    /// level's map into a key held quadratic memory uncharged (the
    /// template_ast fuzz target: 2.8 GiB under a 1 GiB budget).
    fn built_inside(&self, v: &Value) -> u64 {
        let recent = &self.held[self.held.len().saturating_sub(8)..];
        let sole = |x: &Value| -> u64 {
            let (len, p) = match x {
                Value::String(s) if Rc::strong_count(s) == 1 => (s.len(), s.as_ptr()),
                Value::Bytes(b) if Rc::strong_count(b) == 1 => (b.len(), b.as_ptr()),
                _ => return 0,
            };
            if recent.iter().any(|(h, _)| h.ptr() == p) {
                0
            } else {
                len as u64
            }
        };
        match v {
            Value::List(l, _) => l.borrow().iter().map(sole).sum(),
            Value::Map(m, _) => {
                m.borrow().iter().map(|(k, x)| (k.capacity() as u64).saturating_sub(KEY_ALLOWANCE) + sole(x)).sum()
            }
            _ => 0,
        }
    }

    /// Whether `bytes` more would still fit (a function checks before it
    /// allocates a result of a size it can compute first).
    pub fn reserve(&mut self, bytes: u64) -> Result<(), Error> {
        if self.used_memory.saturating_add(bytes) > self.max_memory {
            self.sweep();
            if self.used_memory.saturating_add(bytes) > self.max_memory {
                return Err(self.trip(self.memory_limit()));
            }
        }
        Ok(())
    }

    /// The bytes that still fit, after crediting back the dropped values.
    pub fn room(&mut self) -> u64 {
        self.sweep();
        self.max_memory.saturating_sub(self.used_memory)
    }

    /// Runs `f` (an encoder) with the bytes that still fit as its cap:
    /// first what is left of the budget as charged now, and when `f` says
    /// that was too small (`None`), once more after crediting back the
    /// values dropped since the last sweep. `Err` with the budget's message
    /// when it is too small then too.
    pub fn within<T>(&mut self, mut f: impl FnMut(usize) -> Option<T>) -> Result<T, Error> {
        let cap = |g: &Self| usize::try_from(g.max_memory.saturating_sub(g.used_memory)).unwrap_or(usize::MAX);
        if let Some(r) = f(cap(self)) {
            return Ok(r);
        }
        let before = self.used_memory;
        self.sweep();
        if self.used_memory < before {
            if let Some(r) = f(cap(self)) {
                return Ok(r);
            }
        }
        Err(self.trip(self.memory_limit()))
    }

    fn check(&mut self) -> Result<(), Error> {
        if self.used_memory > self.sweep_at.min(self.max_memory) {
            self.sweep();
            if self.used_memory > self.max_memory {
                return Err(self.trip(self.memory_limit()));
            }
        }
        Ok(())
    }

    /// Credits back the charges of values dropped since the last sweep.
    /// The next sweep waits until as much again has been charged (at least
    /// [`MIN_SWEEP`]), so sweeping costs O(1) per charge.
    fn sweep(&mut self) {
        let mut freed = 0u64;
        self.held.retain(|(h, n)| {
            let alive = h.alive();
            if !alive {
                freed += n;
            }
            alive
        });
        self.used_memory = self.used_memory.saturating_sub(freed);
        self.sweep_at = self.used_memory.saturating_add(self.used_memory.max(MIN_SWEEP));
    }

    fn memory_limit(&self) -> Error {
        let msg = format!(
            "render stopped: the templates hold more than {} bytes of values (memory budget; possible runaway template)",
            self.max_memory
        );
        Error::limit(Limit::Memory, msg)
    }

    /// The deadline and the cancel callback: `Err` once either says stop.
    pub fn check_time(&mut self) -> Result<(), Error> {
        if let Some(c) = &self.cancel {
            if c() {
                return Err(self.trip(Error::limit(Limit::Cancelled, "render cancelled")));
            }
        }
        if let Some(d) = &self.deadline {
            if (d.clock)() >= d.at_ms {
                let msg = format!("render stopped: timeout of {} exceeded", d.label);
                return Err(self.trip(Error::limit(Limit::Deadline, msg)));
            }
        }
        Ok(())
    }

    fn trip(&mut self, e: Error) -> Error {
        self.tripped = Some(e.clone());
        e
    }
}

/// Charges held by the ledger are swept at the latest once this many bytes
/// were charged since the last sweep.
const MIN_SWEEP: u64 = 4 << 20;

/// A weak reference to a charged value's block: it says whether the value
/// is still held.
#[derive(Clone)]
enum Held {
    Str(Weak<str>),
    Bytes(Weak<[u8]>),
    List(Weak<RefCell<Vec<Value>>>),
    Map(Weak<RefCell<Map>>),
}

impl Held {
    fn of(v: &Value) -> Option<Held> {
        Some(match v {
            Value::String(s) => Held::Str(Rc::downgrade(s)),
            Value::Bytes(b) => Held::Bytes(Rc::downgrade(b)),
            Value::List(l, _) => Held::List(Rc::downgrade(l)),
            Value::Map(m, _) => Held::Map(Rc::downgrade(m)),
            _ => return None,
        })
    }

    /// The block's address (kept allocated while the weak reference is).
    fn ptr(&self) -> *const u8 {
        match self {
            Held::Str(w) => w.as_ptr() as *const u8,
            Held::Bytes(w) => w.as_ptr() as *const u8,
            Held::List(w) => w.as_ptr() as *const u8,
            Held::Map(w) => w.as_ptr() as *const u8,
        }
    }

    fn alive(&self) -> bool {
        match self {
            Held::Str(w) => w.strong_count() > 0,
            Held::Bytes(w) => w.strong_count() > 0,
            Held::List(w) => w.strong_count() > 0,
            Held::Map(w) => w.strong_count() > 0,
        }
    }
}

/// Whether something besides `v` holds its block (a value taken out of a
/// container, or passed on from elsewhere): then it was not built here.
fn shared(v: &Value) -> bool {
    match v {
        Value::String(s) => Rc::strong_count(s) > 1,
        Value::Bytes(b) => Rc::strong_count(b) > 1,
        Value::List(l, _) => Rc::strong_count(l) > 1,
        Value::Map(m, _) => Rc::strong_count(m) > 1,
        _ => false,
    }
}

/// Bytes of a map's key counted in its footprint (keys are short; a
/// longer one is charged when the map is built, [`Guard::charge_result`]).
const KEY_ALLOWANCE: u64 = 64;

/// Bytes a value holds itself, in O(1): a string's bytes, a list's or a
/// map's slots. Strings inside a container are not counted again: they were
/// charged when made, or are at most the input they were cut from.
pub fn footprint(v: &Value) -> u64 {
    const SLOT: u64 = std::mem::size_of::<Value>() as u64;
    match v {
        Value::String(s) => 16 + s.len() as u64,
        Value::Bytes(b) => 16 + b.len() as u64,
        Value::List(l, _) => 32 + l.borrow().len() as u64 * SLOT,
        Value::Map(m, _) => 32 + m.borrow().len() as u64 * (SLOT + KEY_ALLOWANCE),
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

fn leaf_size(v: &Value) -> u64 {
    match v {
        Value::String(s) => s.len() as u64,
        Value::Bytes(b) => b.len() as u64,
        _ => 0,
    }
}

/// The size of `v` written out in full, as an encoder (`toJson`, `toYaml`,
/// `%v`) or `deepCopy` would produce it, counting shared parts at each
/// occurrence; a value that holds itself is endless (`u64::MAX`: Go's fmt
/// recurses until its stack is exhausted). Returns early once past `cap`.
pub fn expanded_size(v: &Value, cap: u64) -> u64 {
    sizes(v, cap, false)
}

/// [`expanded_size`] for encoding/json, which stops at a cycle: a map or
/// list met again inside itself counts nothing there (encoding/json writes
/// it ~1000 levels deep, then fails; its encoder's own cap bounds that).
pub fn json_expanded_size(v: &Value, cap: u64) -> u64 {
    sizes(v, cap, true)
}

/// Both sizes, computed once per distinct map or list (a value built by
/// doubling references, `$l = list $l $l` 64 times, has 64 blocks and an
/// exponential size), iteratively: post-order over an explicit stack, so
/// neither a cyclic nor a deeply nested value can overflow the stack.
fn sizes(v: &Value, cap: u64, cycles_end: bool) -> u64 {
    struct Frame {
        ptr: *const u8,
        children: Vec<Value>,
        next: usize,
        total: u64,
    }
    fn open(x: &Value, p: *const u8) -> Frame {
        let children: Vec<Value> = match x {
            Value::List(l, _) => l.borrow().iter().filter(|e| is_container(e)).cloned().collect(),
            Value::Map(m, _) => m.borrow().values().filter(|e| is_container(e)).cloned().collect(),
            _ => Vec::new(),
        };
        let leaves: u64 = match x {
            Value::List(l, _) => l.borrow().iter().map(leaf_size).sum(),
            Value::Map(m, _) => m.borrow().values().map(leaf_size).sum(),
            _ => 0,
        };
        Frame { ptr: p, children, next: 0, total: (8 + footprint(x)).saturating_add(leaves) }
    }
    let Some(root) = block(v) else { return 0 };
    // Finished blocks: their whole size. Blocks on the path: `None`.
    let mut done: std::collections::HashMap<*const u8, Option<u64>> = Default::default();
    done.insert(root, None);
    let first = open(v, root);
    // The sum of the partial totals on the stack: the size so far.
    let mut running = first.total;
    let mut stack = vec![first];
    while let Some(top) = stack.last_mut() {
        if running > cap {
            return running;
        }
        let Some(child) = top.children.get(top.next).cloned() else {
            let f = stack.pop().expect("a frame");
            done.insert(f.ptr, Some(f.total));
            if let Some(parent) = stack.last_mut() {
                parent.total = parent.total.saturating_add(f.total);
            } else {
                return f.total;
            }
            continue;
        };
        top.next += 1;
        let Some(p) = block(&child) else { continue };
        match done.get(&p) {
            Some(Some(size)) => {
                top.total = top.total.saturating_add(*size);
                running = running.saturating_add(*size);
            }
            Some(None) if cycles_end => {}
            Some(None) => return u64::MAX,
            None => {
                done.insert(p, None);
                let f = open(&child, p);
                running = running.saturating_add(f.total);
                stack.push(f);
            }
        }
    }
    running
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
        "repeat" => match (argv.first().and_then(count), argv.get(1)) {
            // Past sprig's own cap `repeat` fails with Go's overflow error.
            (Some(n), Some(s)) => match n.saturating_mul(leaf_size(s)) {
                n if n > crate::sprig::strings::MAX_OUTPUT as u64 => 0,
                n => n,
            },
            _ => 0,
        },
        // The indentation on every line (found by the template_ast fuzz
        // target: `nindent 123456789.0 ""` built 118 MiB, and `camelcase`
        // of it more, before the budget of 8 MiB saw the result).
        "indent" | "nindent" => match (argv.first().and_then(count), argv.get(1)) {
            (Some(n), Some(s)) => {
                let lines = s.as_str().map_or(1, |t| t.matches('\n').count() as u64 + 1);
                match n.saturating_mul(lines).saturating_add(leaf_size(s) + 1) {
                    n if n > crate::sprig::strings::MAX_OUTPUT as u64 => 0,
                    n => n,
                }
            }
            _ => 0,
        },
        // `until N`'s list (past sprig's own cap it fails with its error).
        "until" => match argv.first().and_then(count) {
            Some(n) if n < crate::sprig::numeric::MAX_RANGE as u64 => n * SLOT,
            _ => 0,
        },
        "untilStep" | "seq" => {
            let ints: Option<Vec<i64>> = argv.iter().map(int_arg).collect();
            let n = match ints.as_deref() {
                Some([stop]) if name == "seq" => range_len(1, *stop, 1),
                Some([start, stop]) if name == "seq" => range_len(*start, *stop, 1),
                Some([start, step, stop]) if name == "seq" => range_len(*start, *stop, *step),
                Some([start, stop, step]) => range_len(*start, *stop, *step),
                _ => 0,
            };
            // seq writes them out: up to 20 digits and a space each.
            let each = if name == "seq" { SLOT + 21 } else { SLOT };
            if n < crate::sprig::numeric::MAX_RANGE as u64 {
                n * each
            } else {
                0
            }
        }
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

/// A count argument (Go's template passes an integral float constant to an
/// `int` parameter as that int).
fn count(v: &Value) -> Option<u64> {
    match v {
        Value::Int(n, _) if *n > 0 => Some(*n as u64),
        Value::Float(f) if *f >= 1.0 && f.fract() == 0.0 && *f < 9.2e18 => Some(*f as u64),
        _ => None,
    }
}

fn int_arg(v: &Value) -> Option<i64> {
    match v {
        Value::Int(n, _) => Some(*n),
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Some(*f as i64),
        _ => None,
    }
}

/// How many values `untilStep start stop step` makes (about: seq counts
/// its end too).
fn range_len(start: i64, stop: i64, step: i64) -> u64 {
    if step == 0 || (stop < start) != (step < 0) {
        return 0;
    }
    let (d, s) = ((stop as i128 - start as i128).abs(), (step as i128).abs());
    u64::try_from((d + s) / s).unwrap_or(u64::MAX)
}

/// Functions whose output grows with the *expanded* size of their arguments
/// (shared sub-values are written once per occurrence): a list built by
/// doubling references (`$l = list $l $l`) is small in memory but its
/// `toString` is exponential, so these are checked before they run. The
/// JSON encoders and `toYaml` are not listed: they stop themselves at the
/// budget ([`Guard::within`]) too, and are checked here with
/// [`json_expanded_size`], which does not go round a cycle, so that a value
/// holding itself reaches Go's `encountered a cycle` error as in Helm.
pub fn is_expander(name: &str) -> bool {
    is_json_encoder(name)
        || matches!(
            name,
            "toYamlPretty"
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
                | "dict"
        )
}

/// Whether argument `k` of the expander `name` is written out: of `dict`
/// only the keys (`dict $big 1` prints `$big` into a key; its values are
/// held, not written).
pub fn expands_arg(name: &str, k: usize) -> bool {
    name != "dict" || k.is_multiple_of(2)
}

/// The encoders that go through encoding/json (and so stop at a cycle).
pub fn is_json_encoder(name: &str) -> bool {
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
