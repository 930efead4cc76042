//! Go's text/template executor (port of text/template/exec.go), configured as
//! Helm configures it: `missingkey=zero`, Helm's `include`/`tpl`, and errors
//! that Helm's `reformatExecErrorMsg` can take apart exactly as Go's.
//!
//! Go's reflection distinctions that templates can observe are kept in
//! [`EV`]: an *invalid* value (no value at all), a value whose static type is
//! `interface{}` (what a map lookup returns, possibly nil), and a concrete
//! value. They decide between `<no value>`, `nil pointer evaluating
//! interface {}.x` and `wrong type for value; expected string; got interface {}`.

use crate::error::{Error, Kind, Limit};
use std::collections::HashMap;
use std::rc::Rc;

use super::builtins;
use super::funcs::{Env, Func, FuncMap, Ty};
use super::guard;
use super::node::*;
use super::parse::ParseError;
use super::trace::{SiteId, Tracer};
use crate::value::{IntType, Value};

/// Go's maxExecDepth: nesting of `{{template}}` calls within one execution
/// (an `include` or `tpl` starts a new execution at depth 0, as Helm's
/// `ExecuteTemplate` does). Natively the stack grows as needed
/// ([`super::with_stack`]).
pub const MAX_EXEC_DEPTH: usize = 100_000;
/// Helm's recursionMaxNums for `include`.
pub const INCLUDE_RECURSION_MAX: usize = 1000;
/// Chartroom's own bound on nested `include`/`tpl` calls, reported as a
/// limit (`render stopped: …`, one short line instead of a chain of wrapped
/// errors). A recursive `include` of one name meets Helm's limit (1000)
/// first, with Helm's message; pure `tpl` recursion has no bound in Helm (Go
/// dies when the goroutine's 1 GB stack is exhausted), and each level would
/// wrap the error text of the next (quadratic), so it stops at 2500 — past
/// Helm's 1001 includes with a `tpl` between each two (`include` → `tpl` →
/// `include` recursion), which must end in Helm's own message.
pub const MAX_NESTING: usize = 2500;

fn nesting_limit() -> Error {
    Error::limit(
        Limit::Nesting,
        format!("render stopped: more than {MAX_NESTING} nested include/tpl calls (possible runaway recursion)"),
    )
}

/// In the browser the executor's frames live on V8's native stack of the
/// Web Worker (about 1 MB, not configurable, no stack switching), so the
/// page passes a probe ([`guard::Guard::stack_room`]) that says whether
/// enough of it is left, asked at each new greatest nesting of
/// template/include/tpl calls and pipelines past this many. The frames run
/// between two such points (nested `if`s, bounded by the parser) fit in the
/// room the probe keeps. Measured in Chromium, one level of `include`
/// recursion through an `if` costs about 2.6 KB of that stack (eight wasm
/// frames), so the worker's own stack holds about 320 levels; with stack
/// switching ([`FRESH_STACK_EVERY`]) the page reaches Helm's 1000, else it
/// stops there with the probe's message.
const STACK_PROBE_FROM: usize = 16;

/// With the page's stack switching ([`guard::Guard::fresh_stack`]) a nested
/// template/include/tpl call runs on a fresh stack once the current one
/// holds this many levels of [`Exec::deep`] (calls, pipelines and
/// if/with/range blocks: about 1 KB each, measured 2.7 KB for one level of
/// `include` recursion through an `if`), well inside V8's ~1 MB. On such a
/// stack the JavaScript probe measures another stack, so the levels are
/// counted instead, up to [`FRESH_STACK_MAX_DEEP`] (the parser bounds the
/// nesting between two calls).
const FRESH_STACK_EVERY: usize = 200;
const FRESH_STACK_MAX_DEEP: usize = 350;
/// At most this many fresh stacks at once (each about 1 MB of the
/// worker's memory): past Helm's 1001 nested includes, also with a `tpl`
/// between each two; deeper `template` recursion ends with the stack
/// message.
const MAX_FRESH_STACKS: usize = 48;

// ---------------------------------------------------------------- errors

/// One error in Go's wrap chain (outermost first), enough to reproduce both
/// `err.Error()` and Helm's walk over `errors.Unwrap`.
///
/// A wrapping error's text ends with the text of the error it wraps (`error
/// calling include: ` + the inner error), so a link keeps only its own head
/// and says that its cause's text follows ([`Self::tail`]): a recursive
/// `include` 1000 levels deep builds its chain in linear time and memory,
/// where formatting each level's whole text copied the level below it
/// (quadratic: about 1 s per such render). The texts are joined once, when
/// they are read ([`Self::text`], [`Self::chain`]).
#[derive(Debug, Clone, PartialEq)]
pub struct GoError {
    /// This link's own text: the whole `err.Error()`, or its start when
    /// [`Self::tail`] (empty when [`Self::wrapper_text`]).
    head: String,
    /// Whether this link is a `template.ExecError`.
    pub is_exec: bool,
    /// The wrapped error (`errors.Unwrap`), if any.
    pub cause: Option<Rc<GoError>>,
    /// This link's `Error()` is its wrapper's text (an `ExecError` returns
    /// the text of the error it wraps).
    wrapper_text: bool,
    /// The text goes on with the text of the next link below that is not a
    /// [`Self::wrapper_text`] one.
    tail: bool,
    /// The length of the whole text.
    len: usize,
}

impl GoError {
    pub fn plain(text: String) -> Rc<GoError> {
        let len = text.len();
        Rc::new(GoError { head: text, is_exec: false, cause: None, wrapper_text: false, tail: false, len })
    }

    /// `head` followed by the text of `cause` (`fmt.Errorf("…: %w", cause)`).
    fn wrapping(head: String, is_exec: bool, cause: Rc<GoError>) -> Rc<GoError> {
        let len = head.len() + cause.len;
        Rc::new(GoError { head, is_exec, cause: Some(cause), wrapper_text: false, tail: true, len })
    }

    /// A link whose text is its wrapper's, wrapping `cause`.
    fn unwrapped_by(cause: Option<Rc<GoError>>, len: usize) -> Rc<GoError> {
        Rc::new(GoError { head: String::new(), is_exec: false, cause, wrapper_text: true, tail: false, len })
    }

    /// The next link whose text follows this one's, when [`Self::tail`].
    fn tail_link(&self) -> Option<&GoError> {
        if !self.tail {
            return None;
        }
        let c = self.cause.as_deref()?;
        if c.wrapper_text {
            c.cause.as_deref()
        } else {
            Some(c)
        }
    }

    /// `err.Error()`.
    pub fn text(&self) -> String {
        let mut s = String::with_capacity(self.len);
        let mut cur = Some(self);
        while let Some(e) = cur {
            s.push_str(&e.head);
            cur = e.tail_link();
        }
        s
    }

    /// The length of `err.Error()`.
    pub fn text_len(&self) -> usize {
        self.len
    }

    /// The `Error()` texts of the chain, outermost first. The texts of a
    /// run of wrapping links are suffixes of one string, joined once.
    pub fn chain(&self) -> Vec<Link> {
        let mut v: Vec<Link> = Vec::new();
        // The text of the current run of wrapping links, and where the
        // next link's text starts in it.
        let mut run: Option<Link> = None;
        let mut cur = Some(self);
        while let Some(e) = cur {
            if e.wrapper_text {
                let prev = v.last().cloned().unwrap_or_else(|| Link(Rc::from(""), 0));
                v.push(prev);
                cur = e.cause.as_deref();
                continue;
            }
            let link = run.take().unwrap_or_else(|| Link(Rc::from(e.text()), 0));
            if e.tail {
                run = Some(Link(link.0.clone(), link.1 + e.head.len()));
            }
            v.push(link);
            cur = e.cause.as_deref();
        }
        v
    }
}

/// One link's `Error()` text: a suffix of a shared string.
#[derive(Clone, Debug)]
pub struct Link(Rc<str>, usize);

impl Link {
    pub fn as_str(&self) -> &str {
        &self.0[self.1..]
    }
}

// A chain of a few thousand links (Helm's 1001 nested includes, each
// wrapped by `error calling include` and, through `tpl`, by `error during
// tpl function execution`) would be dropped recursively, a few frames per
// link: more than the page's worker stack holds. Unlinked one at a time.
impl Drop for GoError {
    fn drop(&mut self) {
        let mut next = self.cause.take();
        while let Some(rc) = next {
            next = match Rc::try_unwrap(rc) {
                Ok(mut e) => e.cause.take(),
                Err(_) => None,
            };
        }
    }
}

/// Where an execution error happened, for the editor.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorPos {
    pub file: String,
    pub line: usize,
    pub col: usize,
}

/// An execution failure: Go's error chain plus the innermost position.
#[derive(Debug, Clone)]
pub struct ExecFailure {
    pub error: Rc<GoError>,
    pub pos: Option<ErrorPos>,
    /// Which resource limit (steps, output, cancellation…) stopped the
    /// run, if one did: not a Go error, Chartroom's own.
    pub limit: Option<Limit>,
    /// The `include`/`tpl` calls that led here, innermost first (each
    /// level appends its own; [`crate::error::Error::calls`] is outermost
    /// first).
    pub calls: Vec<crate::error::Call>,
    /// Where each `error calling NAME: ` frame ends in `error.text`
    /// ([`crate::error::Error::frames`]).
    pub frames: Vec<usize>,
}

enum Flow {
    Err(ExecFailure),
    Break,
    Continue,
}

type R<T> = Result<T, Flow>;

// ---------------------------------------------------------------- values

/// A value during evaluation, with Go's reflect distinctions.
#[derive(Clone, Debug)]
enum EV {
    /// The zero `reflect.Value`: no value at all.
    Invalid,
    /// A value of static type `interface{}` (map element); may hold nil.
    Iface(Value),
    /// A concrete value.
    Val(Value),
}

impl EV {
    /// evalPipeline's "dig down one level" out of interface{}.
    fn dig(self) -> EV {
        match self {
            EV::Iface(Value::Nil) | EV::Val(Value::Nil) => EV::Invalid,
            EV::Iface(v) => EV::Val(v),
            other => other,
        }
    }

    /// The value as a function receives it through `interface{}`/reflect.Value
    /// (`indirectInterface`): invalid and nil both become Nil.
    fn into_value(self) -> Value {
        match self {
            EV::Invalid => Value::Nil,
            EV::Iface(v) | EV::Val(v) => v,
        }
    }

    fn from_result(v: Value) -> EV {
        match v {
            Value::Nil => EV::Iface(Value::Nil),
            v => EV::Val(v),
        }
    }
}

// ---------------------------------------------------------------- template set

/// A set of named templates sharing defines, as Go's `*Template` with its
/// `common` map. `tpl` pushes overlay layers that vanish after it returns.
#[derive(Default, Clone)]
pub struct TemplateSet {
    layers: Vec<HashMap<String, Rc<Tree>>>,
}

impl TemplateSet {
    pub fn new() -> Self {
        TemplateSet { layers: vec![HashMap::new()] }
    }

    /// `t.New(name).Parse(text)`: adds the file's tree and its defines with
    /// Go's rule that an empty tree never replaces a non-empty one.
    pub fn add(&mut self, name: &str, text: &str, funcs: &FuncMap) -> Result<(), ParseError> {
        let trees = super::cache::parse(name, text, &|n| is_known_func(funcs, n))?;
        self.associate_all(&trees);
        Ok(())
    }

    fn associate_all(&mut self, trees: &[Rc<Tree>]) {
        let top = self.layers.len() - 1;
        for tree in trees {
            let empty = is_empty_tree(&tree.root);
            if empty && self.get(&tree.name).is_some() {
                continue;
            }
            self.layers[top].insert(tree.name.clone(), tree.clone());
        }
    }

    pub fn get(&self, name: &str) -> Option<Rc<Tree>> {
        self.layers.iter().rev().find_map(|l| l.get(name).cloned())
    }

    /// Every tree of the set (the base layer).
    pub fn trees(&self) -> Vec<Rc<Tree>> {
        self.layers.first().map(|l| l.values().cloned().collect()).unwrap_or_default()
    }

    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    fn push_layer(&mut self) {
        self.layers.push(HashMap::new());
    }

    fn pop_layer(&mut self) {
        if self.layers.len() > 1 {
            self.layers.pop();
        }
    }
}

/// Names the executor implements itself; the parser must accept them.
pub const EXEC_FUNCS: &[&str] = &[
    "and", "or", "not", "len", "index", "print", "printf", "println", "eq", "ne", "lt", "le", "gt", "ge", "html", "js",
    "urlquery", "call", "include", "tpl",
];

fn is_known_func(funcs: &FuncMap, name: &str) -> bool {
    funcs.contains(name) || EXEC_FUNCS.contains(&name)
}

pub use super::parse::is_empty_tree;

// ---------------------------------------------------------------- limits

/// Resource limits so a hostile template cannot hang or exhaust the page.
#[derive(Clone)]
pub struct Limits {
    /// Maximum evaluation steps (nodes walked + commands evaluated).
    pub max_steps: u64,
    /// Maximum bytes of output of one template execution.
    pub max_output: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_steps: 200_000_000, max_output: 256 << 20 }
    }
}

/// How many steps pass between two looks at the clock and the cancel
/// callback (a clock read costs about as much as a few steps).
const TIME_CHECK_EVERY: u64 = 1024;

// ---------------------------------------------------------------- executor

/// Executes templates of a [`TemplateSet`].
pub struct Exec<'a> {
    pub set: TemplateSet,
    pub funcs: &'a FuncMap,
    pub env: &'a mut Env,
    pub limits: Limits,
    included: HashMap<String, usize>,
    steps: u64,
    /// Go's `state.depth`: template calls within the current execution.
    depth: usize,
    /// Nested include/tpl calls ([`MAX_NESTING`]).
    nesting: usize,
    /// Nested template/include/tpl calls and pipelines, for the stack probe
    /// ([`STACK_PROBE_FROM`]), and the depth up to which the probe passed.
    deep: usize,
    probed: usize,
    /// On a fresh stack ([`FRESH_STACK_EVERY`]): the `deep` it started at,
    /// and how many are in use.
    fresh_base: Option<usize>,
    fresh_stacks: usize,
    /// Nested template/include/tpl calls (for the stack probe's message).
    calls: usize,
    /// The render's trace, when asked for (None: tracing costs one check
    /// per node).
    pub trace: Option<Box<Tracer>>,
}

/// Per-invocation state (Go's `state` minus the writer); `'n` is the
/// executing tree's.
struct State<'n> {
    tree: Rc<Tree>,
    /// Name of the executing template (`executing "name"`).
    name: String,
    vars: Vec<(String, EV)>,
    /// Position of the node being evaluated, for errors.
    at: Pos,
    /// The node being evaluated, whose Go String() an error shows.
    at_ctx: Ctx<'n>,
}

/// Go's `node` of the error position (`executing "x" at <NODE>`): a
/// reference into the parse tree, formatted only when an error is produced
/// (formatting it at every action and field cost about a tenth of a big
/// chart's render).
#[derive(Clone, Copy)]
enum Ctx<'n> {
    /// No node yet (`template: NAME: MSG`).
    None,
    Arg(&'n Arg),
    Field(&'n FieldNode),
    Chain(&'n ChainNode),
    Var(&'n VariableNode),
    Ident(&'n str),
    /// An action's pipeline, shown as `{{PIPELINE}}`.
    Action(&'n PipeNode),
    Pipe(&'n PipeNode),
    Template(&'n TemplateNode),
    Cmd(CmdCtx<'n>),
}

impl std::fmt::Display for Ctx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ctx::None => Ok(()),
            Ctx::Arg(a) => write!(f, "{a}"),
            Ctx::Field(n) => write!(f, "{n}"),
            Ctx::Chain(n) => write!(f, "{n}"),
            Ctx::Var(n) => write!(f, "{n}"),
            Ctx::Ident(n) => f.write_str(n),
            Ctx::Action(p) => write!(f, "{{{{{p}}}}}"),
            Ctx::Pipe(p) => write!(f, "{p}"),
            Ctx::Template(t) => write!(f, "{t}"),
            Ctx::Cmd(c) => write!(f, "{c}"),
        }
    }
}

impl<'a> Exec<'a> {
    pub fn new(set: TemplateSet, funcs: &'a FuncMap, env: &'a mut Env) -> Self {
        Exec {
            set,
            funcs,
            env,
            limits: Limits::default(),
            included: HashMap::new(),
            steps: 0,
            depth: 0,
            nesting: 0,
            deep: 0,
            probed: STACK_PROBE_FROM,
            fresh_base: None,
            fresh_stacks: 0,
            calls: 0,
            trace: None,
        }
    }

    /// `t.ExecuteTemplate(&buf, name, data)`.
    pub fn execute(&mut self, name: &str, data: &Value) -> Result<String, ExecFailure> {
        let mut out = String::new();
        match self.execute_into(name, data, &mut out) {
            Ok(()) => Ok(out),
            Err(Flow::Err(e)) => Err(e),
            Err(_) => Err(ExecFailure {
                error: GoError::plain("break or continue outside range".into()),
                pos: None,
                limit: None,
                calls: Vec::new(),
                frames: Vec::new(),
            }),
        }
    }

    fn execute_into(&mut self, name: &str, data: &Value, out: &mut String) -> R<()> {
        let tree = match self.set.get(name) {
            Some(t) => t,
            None => {
                return Err(Flow::Err(ExecFailure {
                    error: GoError::plain(format!(
                        "template: no template {} associated with template \"gotpl\"",
                        go_quote(name)
                    )),
                    pos: None,
                    limit: None,
                    calls: Vec::new(),
                    frames: Vec::new(),
                }))
            }
        };
        let dot = match data {
            Value::Nil => EV::Invalid,
            v => EV::Val(v.clone()),
        };
        let mut st = State {
            tree: tree.clone(),
            name: name.to_string(),
            vars: vec![("$".into(), dot.clone())],
            at: 0,
            at_ctx: Ctx::None,
        };
        self.walk_list(&mut st, &dot, &tree.root, out)
    }

    // ---- errors

    fn fail(&self, st: &State, msg: String) -> Flow {
        Flow::Err(self.failure(st, msg, None))
    }

    /// Go's `s.errorf`: `template: LOC: executing "NAME" at <CTX>: MSG`,
    /// where MSG is `msg` followed by the text of `cause`, if any.
    fn failure(&self, st: &State, msg: String, cause: Option<Rc<GoError>>) -> ExecFailure {
        let (line, col) = line_col(&st.tree.text, st.at);
        let head = match &st.at_ctx {
            Ctx::None => format!("template: {}: {}", st.name, msg),
            ctx => format!(
                "template: {}:{}:{}: executing {} at <{}>: {}",
                st.tree.parse_name,
                line,
                col,
                go_quote(&st.name),
                ctx,
                msg
            ),
        };
        let pos = ErrorPos { file: st.tree.parse_name.clone(), line, col: col + 1 };
        // ExecError{Err: fmt.Errorf(...)}: with %w the inner link wraps cause.
        let error = match cause {
            Some(c) => {
                let len = head.len() + c.len;
                let inner = GoError::unwrapped_by(Some(c), len);
                Rc::new(GoError { head, is_exec: true, cause: Some(inner), wrapper_text: false, tail: true, len })
            }
            None => {
                let len = head.len();
                let inner = GoError::unwrapped_by(None, len);
                Rc::new(GoError { head, is_exec: true, cause: Some(inner), wrapper_text: false, tail: false, len })
            }
        };
        ExecFailure { error, pos: Some(pos), limit: None, calls: Vec::new(), frames: Vec::new() }
    }

    /// Go's `error calling NAME: ERR` for a function that returned the
    /// error text `e`: where its frame ends is recorded for the page.
    fn call_failure(&self, st: &State, name: &str, e: Error) -> ExecFailure {
        self.call_failure_of(st, name, &GoError::plain(e.message), Vec::new())
    }

    /// [`Self::call_failure`] wrapping a whole error chain (`include`,
    /// `tpl`): the inner frames move behind this one.
    fn call_failure_of(&self, st: &State, name: &str, cause: &Rc<GoError>, inner_frames: Vec<usize>) -> ExecFailure {
        let mut f = self.failure(st, format!("error calling {name}: "), Some(cause.clone()));
        // The inner text ends the message: its frame starts there.
        let end = f.error.len - cause.len;
        let mut frames = inner_frames;
        for x in &mut frames {
            *x += end;
        }
        frames.insert(0, end);
        f.frames = frames;
        f
    }

    /// A limit's error at the current position (a limit error is always
    /// of [`Kind::Limit`]: one that says which is taken as the budget's).
    fn limit_failure(&self, st: &State, e: Error) -> Flow {
        let limit = e.limit.unwrap_or(Limit::Memory);
        let mut f = self.failure(st, e.message, None);
        f.limit = Some(limit);
        Flow::Err(f)
    }

    fn at_arg<'n>(&self, st: &mut State<'n>, a: &'n Arg) {
        st.at = a.pos();
        st.at_ctx = Ctx::Arg(a);
    }

    fn step(&mut self, st: &State) -> R<()> {
        self.steps += 1;
        if self.steps > self.limits.max_steps {
            return Err(self.limit_failure(st, self.steps_limit()));
        }
        if self.steps.is_multiple_of(TIME_CHECK_EVERY) {
            self.check_time(st)?;
        }
        Ok(())
    }

    fn steps_limit(&self) -> Error {
        let msg =
            format!("render stopped: more than {} evaluation steps (possible runaway template)", self.limits.max_steps);
        Error::limit(Limit::Steps, msg)
    }

    /// The deadline and the cancel callback.
    fn check_time(&mut self, st: &State) -> R<()> {
        match self.env.guard.check_time() {
            Ok(()) => Ok(()),
            Err(m) => {
                self.env.guard.tripped = None;
                Err(self.limit_failure(st, m))
            }
        }
    }

    /// Charges `bytes` of created values against the memory budget.
    fn charge(&mut self, st: &State, bytes: u64) -> R<()> {
        if bytes == 0 {
            return Ok(());
        }
        match self.env.guard.charge(bytes) {
            Ok(()) => Ok(()),
            Err(m) => {
                self.env.guard.tripped = None;
                Err(self.limit_failure(st, m))
            }
        }
    }

    /// Before a function whose output is as large as its arguments written
    /// out in full: those sizes must fit in what is left of the budget.
    fn expansion_fits(&mut self, name: &str, argv: &[Value]) -> Result<(), Error> {
        if !guard::is_expander(name) {
            return Ok(());
        }
        // Against what is charged now, and when that does not fit, again
        // after crediting back the values dropped since the last sweep.
        let mut room = self.env.guard.max_memory.saturating_sub(self.env.guard.used_memory);
        for swept in [false, true] {
            let mut total = 0u64;
            let mut over = false;
            for (k, a) in argv.iter().enumerate() {
                if matches!(a, Value::List(..) | Value::Map(..)) && guard::expands_arg(name, k) {
                    let cap = room.saturating_sub(total);
                    let size = if guard::is_json_encoder(name) {
                        guard::json_expanded_size(a, cap)
                    } else {
                        guard::expanded_size(a, cap)
                    };
                    total = total.saturating_add(size);
                    if total > room {
                        over = true;
                        break;
                    }
                }
            }
            if !over {
                return Ok(());
            }
            if swept {
                let r = self.env.guard.reserve(total);
                self.env.guard.tripped = None;
                return r;
            }
            room = self.env.guard.room();
        }
        Ok(())
    }

    /// The guard's checks around a function call: before it (deadline for
    /// slow functions, expansion for encoders) and after it (a limit tripped
    /// inside, the result's growth charged). `Err` is the limit's message.
    fn guard_before(&mut self, name: &str, argv: &[Value]) -> Result<(), Error> {
        if guard::is_slow(name) {
            self.env.guard.check_time().inspect_err(|_| self.env.guard.tripped = None)?;
        }
        let size = guard::result_size(name, argv);
        if size > 0 {
            self.env.guard.reserve(size.saturating_mul(2)).inspect_err(|_| self.env.guard.tripped = None)?;
        }
        self.expansion_fits(name, argv)
    }

    fn guard_after(&mut self, r: &Result<Value, Error>, before: &[(*const u8, u64)]) -> Result<(), Error> {
        // A limit tripped inside the function, also one that reports
        // failure in its result text (genPrivateKey's key search stopped by
        // the deadline).
        match (r, self.env.guard.tripped.take()) {
            (_, Some(limit)) => Err(limit),
            (Ok(v), None) => self.guard_built(v, before),
            (Err(_), None) => Ok(()),
        }
    }

    /// The guard's checks after a call built `v` (or passed it on).
    fn guard_built(&mut self, v: &Value, before: &[(*const u8, u64)]) -> Result<(), Error> {
        // Building a value is work too: one step per 256 bytes, so a
        // quadratic loop (`$l = append $l x`, `$s = print $s "x"`)
        // spends the step budget as it copies.
        // A result that is an argument (`default`, `set`) was not built.
        let passed_through = guard::block(v).is_some_and(|b| before.iter().any(|(p, _)| *p == b));
        if !passed_through {
            self.steps += guard::footprint(v) / 256;
        }
        if self.steps > self.limits.max_steps {
            return Err(self.steps_limit());
        }
        self.env.guard.charge_result(v, before).inspect_err(|_| self.env.guard.tripped = None)
    }

    // ---- walking

    fn walk_list<'n>(&mut self, st: &mut State<'n>, dot: &EV, list: &'n ListNode, out: &mut String) -> R<()> {
        for n in &list.nodes {
            self.walk(st, dot, n, out)?;
        }
        Ok(())
    }

    fn walk<'n>(&mut self, st: &mut State<'n>, dot: &EV, node: &'n Node, out: &mut String) -> R<()> {
        self.nest(st, |s, st| s.walk_node(st, dot, node, out))
    }

    /// Runs one level of the executor's recursion (a node, a pipeline). When
    /// the native stack runs low the level continues on a new segment
    /// ([`super::STACK_SEGMENT`] bytes on the heap), charged against the
    /// memory budget until it returns: Go's depth limits (100,000 nested
    /// templates) would otherwise let one render hold hundreds of MiB of
    /// stack that no budget saw (issue 19: 751 MiB natively for
    /// `template-recursion`; the template_ast fuzz target's process peaked
    /// past libFuzzer's 2 GiB on recursion inside nested blocks).
    #[inline(always)]
    fn nest<'n, T>(&mut self, st: &mut State<'n>, f: impl FnOnce(&mut Self, &mut State<'n>) -> R<T>) -> R<T> {
        if super::stack_low() {
            return self.nest_on_new_segment(st, f);
        }
        f(self, st)
    }

    #[cold]
    #[inline(never)]
    fn nest_on_new_segment<'n, T>(
        &mut self,
        st: &mut State<'n>,
        f: impl FnOnce(&mut Self, &mut State<'n>) -> R<T>,
    ) -> R<T> {
        let bytes = super::STACK_SEGMENT as u64;
        if let Err(m) = self.env.guard.charge_stack(bytes) {
            self.env.guard.tripped = None;
            return Err(self.limit_failure(st, m));
        }
        let r = super::on_new_segment(|| f(self, st));
        self.env.guard.credit(bytes);
        r
    }

    fn walk_node<'n>(&mut self, st: &mut State<'n>, dot: &EV, node: &'n Node, out: &mut String) -> R<()> {
        self.step(st)?;
        match node {
            Node::Text(t) => {
                self.charge(st, t.text.len() as u64)?;
                let start = out.len();
                self.grow_output(out, t.text.len());
                out.push_str(&t.text);
                if let Some(tr) = self.trace.as_deref_mut() {
                    let loc = tr.loc(&st.tree, t.pos);
                    let site = tr.site(loc);
                    let cost = tr.seg(start, out.len(), site, Some(t.pos));
                    self.charge(st, cost)?;
                }
                if out.len() > self.limits.max_output {
                    return Err(self.limit_failure(st, self.output_limit()));
                }
                Ok(())
            }
            Node::Comment(_) => Ok(()),
            Node::Action(a) => {
                st.at = a.pos;
                st.at_ctx = Ctx::Action(&a.pipe);
                let site = self.trace.as_deref_mut().map(|tr| {
                    let loc = tr.hit(&st.tree, a.pos);
                    (tr.site(loc), tr.captures_len())
                });
                let v = self.eval_pipeline(st, dot, &a.pipe)?;
                if a.pipe.decl.is_empty() {
                    st.at = a.pos;
                    st.at_ctx = Ctx::Action(&a.pipe);
                    if let (Some(tr), Some((_, mark))) = (self.trace.as_deref_mut(), site) {
                        tr.action_mark = mark;
                    }
                    self.print_value(st, v, out, site.map(|s| s.0))?;
                }
                Ok(())
            }
            // Blocks count as stack levels too (their frames are on it).
            Node::If(b) | Node::With(b) => {
                self.deep += 1;
                let r = self.walk_if_with(st, dot, b, matches!(node, Node::With(_)), out);
                self.deep -= 1;
                r
            }
            Node::Range(b) => {
                self.deep += 1;
                let r = self.walk_range(st, dot, b, out);
                self.deep -= 1;
                r
            }
            Node::Template(t) => self.walk_template(st, dot, t, out),
            Node::Break(b) => {
                if let Some(tr) = self.trace.as_deref_mut() {
                    tr.hit(&st.tree, b.pos);
                }
                Err(Flow::Break)
            }
            Node::Continue(b) => {
                if let Some(tr) = self.trace.as_deref_mut() {
                    tr.hit(&st.tree, b.pos);
                }
                Err(Flow::Continue)
            }
            Node::List(l) => self.walk_list(st, dot, l, out),
        }
    }

    /// Makes room in `out` for `add` more bytes without letting its
    /// capacity run past what the memory budget has left: a String doubles
    /// when full, so an output stopped at the budget could hold a buffer of
    /// up to twice the budget (output-bomb-value: 97.7 MiB for 64 MiB).
    fn grow_output(&mut self, out: &mut String, add: usize) {
        let need = out.len().saturating_add(add);
        if need <= out.capacity() {
            return;
        }
        let g = &self.env.guard;
        let room = usize::try_from(g.max_memory.saturating_sub(g.used_memory)).unwrap_or(usize::MAX);
        let target = out.capacity().saturating_mul(2).max(64).min(need.saturating_add(room)).max(need);
        out.reserve_exact(target - out.len());
    }

    fn print_value(&mut self, st: &State, v: EV, out: &mut String, site: Option<SiteId>) -> R<()> {
        let before = out.len();
        // What the trace needs of the value, before it is consumed.
        let traced = match (&self.trace, site) {
            (Some(_), Some(site)) => Some((
                site,
                match &v {
                    EV::Iface(Value::String(s)) | EV::Val(Value::String(s)) => Some(s.clone()),
                    _ => None,
                },
            )),
            _ => None,
        };
        if let (Some(tr), EV::Iface(x) | EV::Val(x)) = (self.trace.as_deref_mut(), &v) {
            tr.read_whole(x);
        }
        match v {
            EV::Invalid => out.push_str("<no value>"),
            EV::Iface(Value::Nil) | EV::Val(Value::Nil) => out.push_str("<nil>"),
            EV::Iface(v) | EV::Val(v) => match v {
                Value::String(s) => {
                    self.grow_output(out, s.len());
                    out.push_str(&s)
                }
                other => {
                    if let Err(m) = self.expansion_fits("print", std::slice::from_ref(&other)) {
                        return Err(self.limit_failure(st, m));
                    }
                    let text = other.to_go_string();
                    self.grow_output(out, text.len());
                    out.push_str(&text)
                }
            },
        }
        self.charge(st, (out.len() - before) as u64)?;
        if let (Some(tr), Some((site, text))) = (self.trace.as_deref_mut(), traced) {
            let cost = match text {
                Some(s) => tr.printed(&s, before, site),
                None => tr.seg(before, out.len(), site, None),
            };
            self.charge(st, cost)?;
        }
        if out.len() > self.limits.max_output {
            return Err(self.limit_failure(st, self.output_limit()));
        }
        Ok(())
    }

    fn walk_if_with<'n>(
        &mut self,
        st: &mut State<'n>,
        dot: &EV,
        b: &'n BranchNode,
        with: bool,
        out: &mut String,
    ) -> R<()> {
        let mark = st.vars.len();
        let val = self.eval_pipeline(st, dot, &b.pipe)?;
        let truth = match &val {
            EV::Invalid => false,
            EV::Iface(v) | EV::Val(v) => v.truthy(),
        };
        if let Some(tr) = self.trace.as_deref_mut() {
            let loc = tr.hit(&st.tree, b.pos);
            tr.branch(loc, truth);
            if let (true, EV::Iface(v) | EV::Val(v)) = (with && truth, &val) {
                tr.read_whole(v);
            }
        }
        let r = if truth {
            if with {
                self.walk_list(st, &val, &b.list, out)
            } else {
                self.walk_list(st, dot, &b.list, out)
            }
        } else if let Some(e) = &b.else_list {
            self.walk_list(st, dot, e, out)
        } else {
            Ok(())
        };
        st.vars.truncate(mark);
        r
    }

    fn walk_range<'n>(&mut self, st: &mut State<'n>, dot: &EV, b: &'n BranchNode, out: &mut String) -> R<()> {
        st.at = b.pos;
        let mark0 = st.vars.len();
        let val = self.eval_pipeline(st, dot, &b.pipe)?;
        let val = val.dig();
        let mark = st.vars.len();
        let ndecl = b.pipe.decl.len();
        if let Some(tr) = self.trace.as_deref_mut() {
            let loc = tr.hit(&st.tree, b.pos);
            let taken = match &val {
                EV::Invalid => false,
                EV::Iface(v) | EV::Val(v) => match v {
                    Value::List(l, _) => !l.borrow().is_empty(),
                    Value::Map(m, _) => !m.borrow().is_empty(),
                    Value::Bytes(b) => !b.is_empty(),
                    Value::Int(n, _) => *n > 0,
                    Value::Uint(n) => *n > 0,
                    Value::Object(o) => matches!(o.to_data(), Some(Value::Map(m, _)) if !m.borrow().is_empty()),
                    _ => false,
                },
            };
            tr.branch(loc, taken);
            if let EV::Iface(v) | EV::Val(v) = &val {
                tr.read_whole(v);
            }
        }
        let items: Vec<(Value, Value)> = match &val {
            EV::Invalid => Vec::new(),
            EV::Iface(v) | EV::Val(v) => match v {
                Value::List(l, _) => {
                    l.borrow().iter().enumerate().map(|(i, x)| (Value::int(i as i64), x.clone())).collect()
                }
                Value::Bytes(bs) => bs
                    .iter()
                    .enumerate()
                    .map(|(i, x)| (Value::int(i as i64), Value::Int(i64::from(*x), IntType::Uint8)))
                    .collect(),
                Value::Map(m, _) => {
                    crate::value::go_sorted(&m.borrow()).into_iter().map(|(k, v)| (Value::str(k), v.clone())).collect()
                }
                Value::Int(n, t) => {
                    // Go 1.22: range over an integer.
                    if ndecl > 1 {
                        st.vars.truncate(mark0);
                        return Err(self.fail(st, format!("can't use {n} to iterate over more than one variable")));
                    }
                    // Counted, never collected: `range 1000000000000` only
                    // spends steps.
                    let (n, t) = (*n, *t);
                    let r = self.range_int(st, dot, b, n.max(0) as u64, &|i| Value::Int(i as i64, t), out);
                    st.vars.truncate(mark0);
                    return r;
                }
                // Unsigned integers too (e.g. a byte from `index "abc" 0`).
                Value::Uint(n) => {
                    if ndecl > 1 {
                        st.vars.truncate(mark0);
                        return Err(self.fail(st, format!("can't use {n} to iterate over more than one variable")));
                    }
                    let n = *n;
                    let r = self.range_int(st, dot, b, n, &Value::Uint, out);
                    st.vars.truncate(mark0);
                    return r;
                }
                Value::Object(o) => match o.to_data() {
                    Some(Value::Map(m, _)) => crate::value::go_sorted(&m.borrow())
                        .into_iter()
                        .map(|(k, v)| (Value::str(k), v.clone()))
                        .collect(),
                    _ => {
                        let msg = format!("range can't iterate over {}", o.format_v());
                        st.vars.truncate(mark0);
                        return Err(self.fail(st, msg));
                    }
                },
                other => {
                    let msg = format!("range can't iterate over {}", other.to_go_string());
                    st.vars.truncate(mark0);
                    return Err(self.fail(st, msg));
                }
            },
        };
        let is_map = matches!(&val, EV::Iface(Value::Map(..)) | EV::Val(Value::Map(..)));
        let elem_iface = match &val {
            EV::Iface(Value::List(_, t)) | EV::Val(Value::List(_, t)) => t.elem_is_interface(),
            EV::Iface(Value::Map(_, t)) | EV::Val(Value::Map(_, t)) => t.elem_is_interface(),
            EV::Iface(Value::Bytes(_) | Value::Int(..)) | EV::Val(Value::Bytes(_) | Value::Int(..)) => false,
            // Named Go map types (engine.files is map[string][]byte).
            EV::Iface(Value::Object(o)) | EV::Val(Value::Object(o)) => o.kind() != "map",
            _ => true,
        };
        if items.is_empty() {
            let r = self.walk_range_else(st, dot, b, out);
            st.vars.truncate(mark0);
            return r;
        }
        for (k, v) in items {
            // Every iteration costs a step, so a loop with an empty body
            // still runs out of budget.
            if let Err(e) = self.step(st) {
                st.vars.truncate(mark0);
                return Err(e);
            }
            // Elements of []interface{} / map[string]interface{} are
            // interface-typed; those of []string, []int… are not.
            let elem = if elem_iface { EV::Iface(v) } else { EV::Val(v) };
            if ndecl > 0 {
                let top = st.vars.len() - 1;
                st.vars[top].1 = elem.clone();
            }
            if ndecl > 1 {
                let i = st.vars.len() - 2;
                st.vars[i].1 = EV::Val(k.clone());
            }
            let _ = is_map;
            let r = self.walk_list(st, &elem, &b.list, out);
            st.vars.truncate(mark);
            match r {
                Ok(()) | Err(Flow::Continue) => {}
                Err(Flow::Break) => break,
                Err(e) => {
                    st.vars.truncate(mark0);
                    return Err(e);
                }
            }
        }
        st.vars.truncate(mark0);
        Ok(())
    }

    /// A range's `{{else}}`. Go's walkRange recovers `walkBreak` around the
    /// whole statement, else branch included, so a `{{break}}` there (legal
    /// when an outer range encloses it) ends only this range; `{{continue}}`
    /// is recovered per iteration and so reaches the enclosing loop.
    fn walk_range_else<'n>(&mut self, st: &mut State<'n>, dot: &EV, b: &'n BranchNode, out: &mut String) -> R<()> {
        match &b.else_list {
            Some(e) => match self.walk_list(st, dot, e, out) {
                Err(Flow::Break) => Ok(()),
                r => r,
            },
            None => Ok(()),
        }
    }

    /// `range N` (Go 1.22): N iterations over int values 0..N, each one a
    /// step, without materialising the sequence.
    fn range_int<'n>(
        &mut self,
        st: &mut State<'n>,
        dot: &EV,
        b: &'n BranchNode,
        n: u64,
        mk: &dyn Fn(u64) -> Value,
        out: &mut String,
    ) -> R<()> {
        let mark = st.vars.len();
        if n == 0 {
            return self.walk_range_else(st, dot, b, out);
        }
        let ndecl = b.pipe.decl.len();
        for i in 0..n {
            self.step(st)?;
            let elem = EV::Val(mk(i));
            if ndecl > 0 {
                let top = st.vars.len() - 1;
                st.vars[top].1 = elem.clone();
            }
            let r = self.walk_list(st, &elem, &b.list, out);
            st.vars.truncate(mark);
            match r {
                Ok(()) | Err(Flow::Continue) => {}
                Err(Flow::Break) => break,
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn walk_template<'n>(&mut self, st: &mut State<'n>, dot: &EV, t: &'n TemplateNode, out: &mut String) -> R<()> {
        st.at = t.pos;
        st.at_ctx = Ctx::Template(t);
        let tree = match self.set.get(&t.name) {
            Some(tr) => tr,
            None => return Err(self.fail(st, format!("template {} not defined", go_quote(&t.name)))),
        };
        if self.depth >= MAX_EXEC_DEPTH {
            return Err(self.fail(st, format!("exceeded maximum template depth ({MAX_EXEC_DEPTH})")));
        }
        if self.deep >= self.probed {
            self.probe_stack(st)?;
        }
        let via = self.trace.as_deref_mut().map(|tr| {
            let loc = tr.hit(&st.tree, t.pos);
            let site = tr.site(loc);
            tr.via.replace(site)
        });
        let newdot = match &t.pipe {
            Some(p) => self.eval_pipeline(st, dot, p),
            None => Ok(EV::Invalid),
        };
        let newdot = match newdot {
            Ok(d) => d,
            Err(e) => {
                if let (Some(tr), Some(via)) = (self.trace.as_deref_mut(), via) {
                    tr.via = via;
                }
                return Err(e);
            }
        };
        let mut ns = State {
            tree: tree.clone(),
            name: t.name.clone(),
            vars: vec![("$".into(), newdot.clone())],
            at: 0,
            at_ctx: Ctx::None,
        };
        self.depth += 1;
        self.deep += 1;
        self.calls += 1;
        let r = match self.run_nested(|s| s.walk_list(&mut ns, &newdot, &tree.root, out)) {
            Ok(r) => r,
            Err(m) => Err(self.limit_failure(st, m)),
        };
        self.depth -= 1;
        self.leave_call();
        if let (Some(tr), Some(via)) = (self.trace.as_deref_mut(), via) {
            tr.via = via;
        }
        r
    }

    // ---- evaluation

    fn eval_pipeline<'n>(&mut self, st: &mut State<'n>, dot: &EV, pipe: &'n PipeNode) -> R<EV> {
        if self.deep >= self.probed {
            self.probe_stack(st)?;
        }
        self.deep += 1;
        // Parenthesised pipelines nest as deep as the parser allowed.
        let r = self.nest(st, |s, st| s.eval_pipeline_inner(st, dot, pipe));
        self.deep -= 1;
        r
    }

    /// After a template/include/tpl call: the next call at this depth may
    /// take a path with bigger frames, so it is probed again.
    fn leave_call(&mut self) {
        self.deep -= 1;
        self.calls -= 1;
        self.probed = self.probed.min(self.deep + 1).max(STACK_PROBE_FROM);
    }

    /// The stack probe at a template position ([`STACK_PROBE_FROM`]).
    #[cold]
    #[inline(never)]
    fn probe_stack(&mut self, st: &State) -> R<()> {
        self.stack_room().map_err(|m| self.limit_failure(st, m))
    }

    /// Whether the browser's stack has room for one level more (always
    /// natively, where there is no probe: the stack grows); a passed probe
    /// holds for this depth until the render ends.
    fn stack_room(&mut self) -> Result<(), Error> {
        if let Some(base) = self.fresh_base {
            if self.deep - base > FRESH_STACK_MAX_DEEP {
                return Err(self.stack_used_up());
            }
        } else if let Some(room) = &self.env.guard.stack_room {
            if !room() {
                return Err(self.stack_used_up());
            }
        }
        self.probed = self.deep + 1;
        Ok(())
    }

    /// Runs a nested template/include/tpl call: on a fresh stack when the
    /// page can switch stacks and this one holds [`FRESH_STACK_EVERY`]
    /// levels, else on this one while it has room.
    fn run_nested<T>(&mut self, run: impl FnOnce(&mut Self) -> T) -> Result<T, Error> {
        let fresh = match &self.env.guard.fresh_stack {
            Some(f) if self.deep - self.fresh_base.unwrap_or(0) >= FRESH_STACK_EVERY => f.clone(),
            _ => {
                if self.deep >= self.probed {
                    self.stack_room()?;
                }
                return Ok(run(self));
            }
        };
        if self.fresh_stacks >= MAX_FRESH_STACKS {
            return Err(self.stack_used_up());
        }
        let saved = (self.fresh_base.replace(self.deep), self.probed);
        self.fresh_stacks += 1;
        let mut run = Some(run);
        let mut out = None;
        let ran = fresh(&mut || {
            if let Some(r) = run.take() {
                out = Some(r(&mut *self));
            }
        });
        self.fresh_stacks -= 1;
        (self.fresh_base, self.probed) = saved;
        match out {
            Some(v) if ran => Ok(v),
            _ => Err(self.stack_used_up()),
        }
    }

    fn output_limit(&self) -> Error {
        Error::limit(Limit::Output, format!("render stopped: output larger than {} bytes", self.limits.max_output))
    }

    fn stack_used_up(&self) -> Error {
        Error::limit(
            Limit::Stack,
            format!(
                "render stopped: the browser's stack is used up after {} nested template/include/tpl calls \
                     (Helm allows {INCLUDE_RECURSION_MAX} nested includes of one name and {MAX_EXEC_DEPTH} nested \
                     templates; the chartroom command line reaches them)",
                self.calls
            ),
        )
    }

    fn eval_pipeline_inner<'n>(&mut self, st: &mut State<'n>, dot: &EV, pipe: &'n PipeNode) -> R<EV> {
        st.at = pipe.pos;
        let mut value: Option<EV> = None; // None = missingVal
        for cmd in &pipe.cmds {
            // A parenthesised first word given arguments fails at the node
            // Go's s.at(pipe) left: this pipeline in its first command (its
            // text is only built for that error), else the node the
            // previous command visited last.
            if matches!(cmd.args.first(), Some(Arg::Pipe(_))) && cmd.args.len() > 1 && value.is_none() {
                st.at = pipe.pos;
                st.at_ctx = Ctx::Pipe(pipe);
            }
            let v = self.eval_command(st, dot, cmd, value.take())?;
            value = Some(v.dig());
        }
        let value = value.unwrap_or(EV::Invalid);
        for var in &pipe.decl {
            let name = var.ident.first().cloned().unwrap_or_default();
            if pipe.is_assign {
                match st.vars.iter_mut().rev().find(|(n, _)| *n == name) {
                    Some(slot) => slot.1 = value.clone(),
                    None => return Err(self.fail(st, format!("undefined variable: {name}"))),
                }
            } else {
                st.vars.push((name, value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, st: &State, args: &[Arg], fin: &Option<EV>) -> R<()> {
        if args.len() > 1 || fin.is_some() {
            return Err(self.fail(st, format!("can't give argument to non-function {}", args[0])));
        }
        Ok(())
    }

    fn eval_command<'n>(&mut self, st: &mut State<'n>, dot: &EV, cmd: &'n CommandNode, fin: Option<EV>) -> R<EV> {
        self.step(st)?;
        let first = match cmd.args.first() {
            Some(a) => a,
            None => return Err(self.fail(st, "empty command".into())),
        };
        match first {
            Arg::Field(f) => return self.eval_field_node(st, dot, f, &cmd.args, fin),
            Arg::Chain(c) => return self.eval_chain_node(st, dot, c, &cmd.args, fin),
            Arg::Identifier(id) => return self.eval_function(st, dot, id, &cmd.args, fin),
            Arg::Pipe(p) => {
                self.not_a_function(st, &cmd.args, &fin)?;
                return self.eval_pipeline(st, dot, p);
            }
            Arg::Variable(v) => return self.eval_variable_node(st, dot, v, &cmd.args, fin),
            _ => {}
        }
        self.at_arg(st, first);
        self.not_a_function(st, &cmd.args, &fin)?;
        match first {
            Arg::Bool(b) => Ok(EV::Val(Value::Bool(b.val))),
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Nil(_) => Err(self.fail(st, "nil is not a command".into())),
            Arg::Number(n) => self.ideal_constant(st, n).map(EV::Val),
            Arg::String(s) => Ok(EV::Val(Value::String(s.text.clone()))),
            other => Err(self.fail(st, format!("can't evaluate command {}", go_quote(&other.to_string())))),
        }
    }

    fn ideal_constant(&self, st: &State, n: &NumberNode) -> R<Value> {
        let t = &n.text;
        let is_hex_int = t.len() > 2
            && t.starts_with('0')
            && (t.as_bytes()[1] == b'x' || t.as_bytes()[1] == b'X')
            && !t.contains(['p', 'P']);
        let is_rune = t.starts_with('\'');
        if n.is_complex {
            return Err(self.fail(st, format!("complex constant {t} not supported")));
        }
        if n.is_float && !is_hex_int && !is_rune && t.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(Value::Float(n.float64));
        }
        if n.is_int {
            return Ok(Value::int(n.int64));
        }
        if n.is_uint {
            return Err(self.fail(st, format!("{t} overflows int")));
        }
        Ok(Value::Nil)
    }

    fn eval_field_node<'n>(
        &mut self,
        st: &mut State<'n>,
        dot: &EV,
        f: &'n FieldNode,
        args: &'n [Arg],
        fin: Option<EV>,
    ) -> R<EV> {
        st.at = f.pos;
        st.at_ctx = Ctx::Field(f);
        let ctx = st.at_ctx;
        self.eval_field_chain(st, dot, dot.clone(), f.pos, ctx, &f.ident, args, fin)
    }

    fn eval_chain_node<'n>(
        &mut self,
        st: &mut State<'n>,
        dot: &EV,
        c: &'n ChainNode,
        args: &'n [Arg],
        fin: Option<EV>,
    ) -> R<EV> {
        st.at = c.pos;
        st.at_ctx = Ctx::Chain(c);
        if c.field.is_empty() {
            return Err(self.fail(st, "internal error: no fields in evalChainNode".into()));
        }
        if matches!(*c.node, Arg::Nil(_)) {
            let s = c.to_string();
            return Err(self.fail(st, format!("indirection through explicit nil in {s}")));
        }
        let recv = self.eval_arg_ev(st, dot, &c.node)?;
        let ctx = Ctx::Chain(c);
        self.eval_field_chain(st, dot, recv, c.pos, ctx, &c.field, args, fin)
    }

    fn eval_variable_node<'n>(
        &mut self,
        st: &mut State<'n>,
        dot: &EV,
        v: &'n VariableNode,
        args: &'n [Arg],
        fin: Option<EV>,
    ) -> R<EV> {
        st.at = v.pos;
        st.at_ctx = Ctx::Var(v);
        let name = v.ident.first().map(String::as_str).unwrap_or("$");
        let value = match st.vars.iter().rev().find(|(n, _)| n == name) {
            Some((_, val)) => val.clone(),
            None => return Err(self.fail(st, format!("undefined variable: {name}"))),
        };
        if v.ident.len() == 1 {
            self.not_a_function(st, args, &fin)?;
            return Ok(value);
        }
        let ctx = st.at_ctx;
        self.eval_field_chain(st, dot, value, v.pos, ctx, &v.ident[1..], args, fin)
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_field_chain<'n>(
        &mut self,
        st: &mut State<'n>,
        dot: &EV,
        mut recv: EV,
        pos: Pos,
        ctx: Ctx<'n>,
        ident: &[String],
        args: &'n [Arg],
        fin: Option<EV>,
    ) -> R<EV> {
        let n = ident.len();
        for name in &ident[..n.saturating_sub(1)] {
            recv = self.eval_field(st, dot, name, pos, ctx, &[], None, recv)?;
        }
        match ident.last() {
            Some(last) => self.eval_field(st, dot, last, pos, ctx, args, fin, recv),
            None => Ok(recv),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_field<'n>(
        &mut self,
        st: &mut State<'n>,
        dot: &EV,
        name: &str,
        pos: Pos,
        ctx: Ctx<'n>,
        args: &'n [Arg],
        fin: Option<EV>,
        recv: EV,
    ) -> R<EV> {
        // Go's evalField does not move the error position: the caller set
        // it (field and variable nodes), or, for a chain, it is still on the
        // last node evaluated inside the parenthesised pipeline.
        // The receiver's Go type, for the error messages only.
        let (iface, v) = match recv {
            EV::Invalid => return Ok(EV::Invalid),
            EV::Iface(Value::Nil) => {
                return Err(self.fail(st, format!("nil pointer evaluating interface {{}}.{name}")));
            }
            EV::Iface(v) => (true, v),
            EV::Val(v) => (false, v),
        };
        let typ = |v: &Value| if iface { "interface {}".to_string() } else { v.type_name() };
        let has_args = args.len() > 1 || fin.is_some();
        match &v {
            Value::Object(o) => {
                if o.has_method(name) && (has_args || o.field(name).is_none()) {
                    let o = o.clone();
                    let argv = match o.method_params(name) {
                        Some(params) => {
                            let given = args.len().saturating_sub(1) + usize::from(fin.is_some());
                            if given == params.len() {
                                if let Some(e) = o.bad_signature(name) {
                                    return Err(self.fail(st, e));
                                }
                            }
                            self.eval_typed_method_args(st, dot, name, args, fin, params)?
                        }
                        None => self.eval_method_args(st, dot, args, fin)?,
                    };
                    let before = guard::snapshot(&argv);
                    let r = o.call_method(name, &argv);
                    // `.Files.AsSecrets` and the like build values too.
                    if let Err(m) = self.guard_after(&r, &before) {
                        st.at = pos;
                        st.at_ctx = ctx;
                        return Err(self.limit_failure(st, m));
                    }
                    // A successful call leaves the error position on the
                    // last argument evaluated, as in Go.
                    return match r {
                        Ok(v) => Ok(EV::from_result(v)),
                        Err(e) => {
                            st.at = pos;
                            st.at_ctx = ctx;
                            Err(Flow::Err(self.call_failure(st, name, e)))
                        }
                    };
                }
                match o.field(name) {
                    Some(f) => {
                        if has_args {
                            // evalField: a map key (engine.files is a map
                            // type) and a struct field say it differently.
                            let msg = if o.kind() == "map" {
                                format!("{name} is not a method but has arguments")
                            } else {
                                format!("{name} has arguments but cannot be invoked as function")
                            };
                            return Err(self.fail(st, msg));
                        }
                        Ok(match f {
                            Value::Nil => EV::Iface(Value::Nil),
                            f => EV::Val(f),
                        })
                    }
                    None => Err(self.fail(st, format!("can't evaluate field {name} in type {}", typ(&v)))),
                }
            }
            // Methods of named slice/int types (common.VersionSet.Has,
            // time.Month.String, time.Duration.Hours…).
            other if other.has_method(name) => {
                let recv = other.clone();
                let params = recv.method_params(name).unwrap_or(&[]);
                let argv = self.eval_typed_method_args(st, dot, name, args, fin, params)?;
                match recv.method(name, &argv) {
                    Some(Ok(v)) => Ok(EV::from_result(v)),
                    Some(Err(e)) => {
                        st.at = pos;
                        st.at_ctx = ctx;
                        Err(Flow::Err(self.call_failure(st, name, e)))
                    }
                    None => Err(self.fail(st, format!("can't evaluate field {name} in type {}", typ(&v)))),
                }
            }
            Value::Map(m, t) => {
                if has_args {
                    return Err(self.fail(st, format!("{name} is not a method but has arguments")));
                }
                if let Some(tr) = self.trace.as_deref_mut() {
                    tr.read_key(&v, name);
                }
                let r = m.borrow().get(name).cloned();
                Ok(match r {
                    Some(v) if t.elem_is_interface() => EV::Iface(v),
                    Some(v) => EV::Val(v),
                    // A missing key gives the element type's zero value.
                    None if t.elem_is_interface() => EV::Iface(Value::Nil),
                    None => EV::Val(Value::str("")),
                })
            }
            _ => Err(self.fail(st, format!("can't evaluate field {name} in type {}", typ(&v)))),
        }
    }

    /// Arguments of a method with a known Go signature: Go checks the
    /// count and converts each argument to its parameter type (`expected
    /// string; found 1`) before the call.
    fn eval_typed_method_args<'n>(
        &mut self,
        st: &mut State<'n>,
        dot: &EV,
        name: &str,
        args: &'n [Arg],
        fin: Option<EV>,
        params: &[Ty],
    ) -> R<Vec<Value>> {
        let given = args.len().saturating_sub(1) + usize::from(fin.is_some());
        if given != params.len() {
            return Err(self.fail(st, format!("wrong number of args for {name}: want {} got {given}", params.len())));
        }
        let mut v = Vec::with_capacity(given);
        for (a, ty) in args.iter().skip(1).zip(params) {
            v.push(self.eval_arg(st, dot, *ty, a)?);
        }
        if let Some(f) = fin {
            v.push(self.validate_type(st, f, params[given - 1])?);
        }
        Ok(v)
    }

    fn eval_method_args<'n>(
        &mut self,
        st: &mut State<'n>,
        dot: &EV,
        args: &'n [Arg],
        fin: Option<EV>,
    ) -> R<Vec<Value>> {
        let mut v = Vec::new();
        for a in args.iter().skip(1) {
            v.push(self.eval_arg(st, dot, Ty::Any, a)?);
        }
        if let Some(f) = fin {
            v.push(f.into_value());
        }
        Ok(v)
    }

    fn eval_function<'n>(
        &mut self,
        st: &mut State<'n>,
        dot: &EV,
        id: &'n IdentifierNode,
        args: &'n [Arg],
        fin: Option<EV>,
    ) -> R<EV> {
        st.at = id.pos;
        st.at_ctx = Ctx::Ident(&id.ident);
        let name = id.ident.as_str();
        // The whole command is Go's `node` for "error calling" positions.
        // Only formatted when an error needs it (a deep argument tree
        // would make every call quadratic).
        let cmd_ctx = CmdCtx { ident: &id.ident, args };
        if let Some(r) = self.eval_builtin(st, dot, name, id.pos, &cmd_ctx, args, fin.clone()) {
            return r;
        }
        let func = match self.funcs.get(name) {
            Some(f) => f.clone(),
            None => return Err(self.fail(st, format!("{} is not a defined function", go_quote(name)))),
        };
        let argv = self.eval_call_args(st, dot, &func, name, args, fin)?;
        // A copying function's arguments, linked to its result below.
        let mut copied = None;
        if let Some(tr) = self.trace.as_deref_mut() {
            tr.read_args(name, &argv);
            if super::trace::copies_arguments(name) {
                copied = Some(argv.clone());
            }
        }
        let before = guard::snapshot(&argv);
        let guarded = self.guard_before(name, &argv).and_then(|()| {
            let r = (func.body)(self.env, argv);
            self.guard_after(&r, &before).map(|()| r)
        });
        let r = match guarded {
            Ok(r) => r,
            Err(m) => {
                st.at = id.pos;
                st.at_ctx = Ctx::Cmd(cmd_ctx);
                return Err(self.limit_failure(st, m));
            }
        };
        match r {
            // Like Go, a successful call leaves the error position on the
            // last node evaluated (it only moves to the call on error).
            Ok(v) => {
                if let (Some(sources), Some(tr)) = (copied, self.trace.as_deref_mut()) {
                    tr.link_copy(&v, &sources);
                }
                Ok(EV::from_result(v))
            }
            Err(e) => {
                st.at = id.pos;
                st.at_ctx = Ctx::Cmd(cmd_ctx);
                Err(Flow::Err(self.call_failure(st, name, e)))
            }
        }
    }

    /// Go's evalCall argument handling for a typed function.
    fn eval_call_args<'n>(
        &mut self,
        st: &mut State<'n>,
        dot: &EV,
        func: &Func,
        name: &str,
        args: &'n [Arg],
        fin: Option<EV>,
    ) -> R<Vec<Value>> {
        let given = args.len().saturating_sub(1);
        let num_in = given + usize::from(fin.is_some());
        let num_fixed = func.params.len();
        if func.variadic.is_some() {
            if num_in < num_fixed {
                return Err(
                    self.fail(st, format!("wrong number of args for {name}: want at least {num_fixed} got {given}"))
                );
            }
        } else if num_in != num_fixed {
            return Err(self.fail(st, format!("wrong number of args for {name}: want {num_fixed} got {num_in}")));
        }
        let mut argv = Vec::with_capacity(num_in);
        for (i, a) in args.iter().skip(1).enumerate() {
            let ty = if i < num_fixed { func.params[i] } else { func.variadic.unwrap_or(Ty::Any) };
            argv.push(self.eval_arg(st, dot, ty, a)?);
        }
        if let Some(f) = fin {
            let ty = if num_in - 1 < num_fixed { func.params[num_in - 1] } else { func.variadic.unwrap_or(Ty::Any) };
            argv.push(self.validate_type(st, f, ty)?);
        }
        Ok(argv)
    }

    /// Go's validateType.
    fn validate_type(&self, st: &State, v: EV, ty: Ty) -> R<Value> {
        match v {
            EV::Invalid => {
                if can_be_nil(ty) {
                    Ok(Value::Nil)
                } else {
                    Err(self.fail(st, format!("invalid value; expected {}", ty.go_name())))
                }
            }
            EV::Iface(Value::Nil) => {
                if ty == Ty::Any {
                    Ok(Value::Nil)
                } else {
                    Err(self.fail(st, format!("wrong type for value; expected {}; got interface {{}}", ty.go_name())))
                }
            }
            EV::Iface(v) | EV::Val(v) => {
                if assignable(&v, ty) {
                    Ok(v)
                } else {
                    Err(self
                        .fail(st, format!("wrong type for value; expected {}; got {}", ty.go_name(), v.type_name())))
                }
            }
        }
    }

    /// evalArg for a node in a context where any value is accepted, keeping
    /// the EV distinctions (chain receivers).
    fn eval_arg_ev<'n>(&mut self, st: &mut State<'n>, dot: &EV, a: &'n Arg) -> R<EV> {
        self.at_arg(st, a);
        match a {
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Nil(_) => Ok(EV::Invalid),
            Arg::Field(f) => self.eval_field_node(st, dot, f, std::slice::from_ref(a), None),
            Arg::Variable(v) => self.eval_variable_node(st, dot, v, &[], None),
            Arg::Pipe(p) => self.eval_pipeline(st, dot, p),
            Arg::Identifier(id) => self.eval_function(st, dot, id, &[], None),
            Arg::Chain(c) => self.eval_chain_node(st, dot, c, &[], None),
            Arg::Bool(b) => Ok(EV::Val(Value::Bool(b.val))),
            Arg::Number(n) => self.ideal_constant(st, n).map(EV::Val),
            Arg::String(s) => Ok(EV::Val(Value::String(s.text.clone()))),
        }
    }

    /// Go's evalArg: evaluate `a` for a parameter of type `ty`.
    fn eval_arg<'n>(&mut self, st: &mut State<'n>, dot: &EV, ty: Ty, a: &'n Arg) -> R<Value> {
        self.at_arg(st, a);
        match a {
            Arg::Dot(_) => return self.validate_type(st, dot.clone(), ty),
            Arg::Nil(_) => {
                return if can_be_nil(ty) {
                    Ok(Value::Nil)
                } else {
                    Err(self.fail(st, format!("cannot assign nil to {}", ty.go_name())))
                }
            }
            // After a parenthesised pipeline Go's error position stays on the
            // last node evaluated inside it (`at <"a,b">`).
            Arg::Pipe(_) => {
                let v = self.eval_arg_ev(st, dot, a)?;
                return self.validate_type(st, v, ty);
            }
            Arg::Field(_) | Arg::Variable(_) | Arg::Identifier(_) | Arg::Chain(_) => {
                let v = self.eval_arg_ev(st, dot, a)?;
                return self.validate_type(st, v, ty);
            }
            _ => {}
        }
        match ty {
            Ty::Bool => match a {
                Arg::Bool(b) => Ok(Value::Bool(b.val)),
                _ => Err(self.fail(st, format!("expected bool; found {a}"))),
            },
            Ty::Float64 => match a {
                Arg::Number(n) if n.is_float => Ok(Value::Float(n.float64)),
                _ => Err(self.fail(st, format!("expected float; found {a}"))),
            },
            Ty::Int | Ty::Int64 | Ty::Duration => match a {
                Arg::Number(n) if n.is_int => Ok(Value::Int(
                    n.int64,
                    match ty {
                        Ty::Int => IntType::Int,
                        Ty::Int64 => IntType::Int64,
                        _ => IntType::Duration,
                    },
                )),
                _ => Err(self.fail(st, format!("expected integer; found {a}"))),
            },
            Ty::Uint32 => match a {
                Arg::Number(n) if n.is_uint => Ok(Value::Uint(n.uint64)),
                _ => Err(self.fail(st, format!("expected unsigned integer; found {a}"))),
            },
            Ty::String => match a {
                Arg::String(s) => Ok(Value::String(s.text.clone())),
                _ => Err(self.fail(st, format!("expected string; found {a}"))),
            },
            Ty::Any => match a {
                Arg::Bool(b) => Ok(Value::Bool(b.val)),
                Arg::Number(n) => self.ideal_constant(st, n),
                Arg::String(s) => Ok(Value::String(s.text.clone())),
                _ => Err(self.fail(st, format!("can't handle assignment of {a} to empty interface argument"))),
            },
            other => Err(self.fail(st, format!("can't handle {a} for arg of type {}", other.go_name()))),
        }
    }

    /// Evaluates all arguments (and the piped final value) as reflect.Values
    /// (builtins take `reflect.Value`/`any`): invalid and nil become Nil.
    fn eval_any_args<'n>(&mut self, st: &mut State<'n>, dot: &EV, args: &'n [Arg], fin: Option<EV>) -> R<Vec<Value>> {
        let mut v = Vec::with_capacity(args.len());
        for a in args.iter().skip(1) {
            let x = self.eval_arg_ev(st, dot, a)?;
            v.push(x.into_value());
        }
        if let Some(f) = fin {
            v.push(f.into_value());
        }
        Ok(v)
    }

    /// Builtins that need the executor (lazy evaluation, include, tpl) or
    /// take reflect.Values. Returns None when `name` is not one of them.
    #[allow(clippy::too_many_arguments)]
    fn eval_builtin<'n>(
        &mut self,
        st: &mut State<'n>,
        dot: &EV,
        name: &str,
        pos: Pos,
        cmd_ctx: &CmdCtx<'n>,
        args: &'n [Arg],
        fin: Option<EV>,
    ) -> Option<R<EV>> {
        let given = args.len().saturating_sub(1) + usize::from(fin.is_some());
        let want_at_least = |s: &Self, st: &State, n: usize| -> R<()> {
            if given < n {
                Err(s.fail(
                    st,
                    format!("wrong number of args for {name}: want at least {n} got {}", args.len().saturating_sub(1)),
                ))
            } else {
                Ok(())
            }
        };
        let want = |s: &Self, st: &State, n: usize| -> R<()> {
            if given != n {
                Err(s.fail(st, format!("wrong number of args for {name}: want {n} got {given}")))
            } else {
                Ok(())
            }
        };
        let call_err = |s: &Self, st: &mut State<'n>, e: Error| -> Flow {
            st.at = pos;
            st.at_ctx = Ctx::Cmd(*cmd_ctx);
            Flow::Err(s.call_failure(st, name, e))
        };
        let r = match name {
            "and" | "or" => (|| {
                want_at_least(self, st, 1)?;
                let is_or = name == "or";
                let mut last = EV::Invalid;
                for a in args.iter().skip(1) {
                    let v = self.eval_arg_ev(st, dot, a)?.dig();
                    let t = match &v {
                        EV::Invalid => false,
                        EV::Iface(x) | EV::Val(x) => x.truthy(),
                    };
                    if t == is_or {
                        return Ok(v);
                    }
                    last = v;
                }
                if let Some(f) = fin.clone() {
                    last = f.dig();
                }
                Ok(last)
            })(),
            "not" => (|| {
                want(self, st, 1)?;
                let v = self.eval_any_args(st, dot, args, fin.clone())?;
                Ok(EV::Val(Value::Bool(!v[0].truthy())))
            })(),
            "include" | "tpl" => (|| {
                want(self, st, 2)?;
                let argv = self.eval_typed(st, dot, args, fin.clone(), &[Ty::String, Ty::Any])?;
                let text = argv[0].as_str().unwrap_or_default().to_string();
                let via = self.trace.as_deref_mut().map(|tr| {
                    tr.read_whole(&argv[1]);
                    let loc = tr.loc(&st.tree, pos);
                    let site = tr.site(loc);
                    tr.begin();
                    tr.via.replace(site)
                });
                let r = if name == "include" { self.include(&text, &argv[1]) } else { self.tpl(&text, &argv[1]) };
                let segs = match (self.trace.as_deref_mut(), via) {
                    (Some(tr), Some(via)) => {
                        tr.via = via;
                        Some(tr.end())
                    }
                    _ => None,
                };
                match r {
                    Ok(s) => {
                        let cost = 16 + s.len() as u64;
                        // Raw bytes cut from one character and joined again
                        // by the template become that character (gostring).
                        let s: Rc<str> = match crate::gostring::canonical(&s) {
                            std::borrow::Cow::Borrowed(_) => Rc::from(s),
                            std::borrow::Cow::Owned(c) => Rc::from(c),
                        };
                        let mut traced = 0;
                        if let (Some(tr), Some(segs)) = (self.trace.as_deref_mut(), segs) {
                            traced = tr.capture(s.clone(), segs);
                        }
                        let v = Value::String(s);
                        // The string is held as long as the value; the
                        // trace's capture until the render ends.
                        let charged = self.env.guard.charge_value(&v, cost);
                        if let Err(m) = charged.and_then(|()| self.env.guard.charge(traced)) {
                            self.env.guard.tripped = None;
                            st.at = pos;
                            st.at_ctx = Ctx::Cmd(*cmd_ctx);
                            return Err(self.limit_failure(st, m));
                        }
                        Ok(EV::Val(v))
                    }
                    Err(f) => {
                        if let Some(limit) = f.limit {
                            if f.pos.is_none() {
                                st.at = pos;
                                st.at_ctx = Ctx::Cmd(*cmd_ctx);
                                return Err(self.limit_failure(st, Error::limit(limit, f.error.text())));
                            }
                            return Err(Flow::Err(f));
                        }
                        st.at = pos;
                        st.at_ctx = Ctx::Cmd(*cmd_ctx);
                        let mut out = self.call_failure_of(st, name, &f.error, f.frames);
                        // The call chain, innermost first: the ones inside,
                        // then this call (appending keeps a deep chain linear).
                        out.calls = f.calls;
                        if let Some(p) = &out.pos {
                            out.calls.push(crate::error::Call {
                                function: name.to_string(),
                                file: p.file.clone(),
                                line: p.line,
                                col: p.col,
                            });
                        }
                        // An include error points the editor at the included
                        // template's line; tpl text has no file, so its
                        // errors point at the call.
                        if name == "include" {
                            out.pos = f.pos.or(out.pos);
                        }
                        Err(Flow::Err(out))
                    }
                }
            })(),
            _ => {
                if !builtins::is_builtin(name) {
                    return None;
                }
                (|| {
                    if let Err(m) = builtins::check_arity(name, given, args.len().saturating_sub(1)) {
                        return Err(self.fail(st, m.message));
                    }
                    // len of the zero reflect.Value (a nil literal, or a nil
                    // the pipeline dug out of its interface): Go's length()
                    // calls item.Type() on it, which panics.
                    // (A missing map key is a nil interface{}, not the zero
                    // Value: "len of nil pointer".)
                    if name == "len" && given == 1 {
                        let v = match (args.get(1), &fin) {
                            (Some(a), _) => self.eval_arg_ev(st, dot, a)?,
                            (None, Some(f)) => f.clone(),
                            _ => EV::Invalid,
                        };
                        if matches!(v, EV::Invalid) {
                            return Err(call_err(self, st, "reflect: call of reflect.Value.Type on zero Value".into()));
                        }
                        return match builtins::call(name, vec![v.into_value()]) {
                            Ok(builtins::Out::Val(v)) => Ok(EV::from_result(v)),
                            Ok(builtins::Out::Invalid) => Ok(EV::Invalid),
                            // An argument error is the executor's own (no "error calling").
                            Err(e) if e.kind == Kind::Go => Err(call_err(self, st, e)),
                            Err(e) => Err(self.fail(st, e.message)),
                        };
                    }
                    let argv = if name == "printf" && given >= 1 {
                        self.eval_typed(st, dot, args, fin.clone(), &[Ty::String])?
                    } else {
                        self.eval_any_args(st, dot, args, fin.clone())?
                    };
                    if let Some(tr) = self.trace.as_deref_mut() {
                        tr.read_args(name, &argv);
                    }
                    let before = guard::snapshot(&argv);
                    if let Err(m) = self.guard_before(name, &argv) {
                        st.at = pos;
                        st.at_ctx = Ctx::Cmd(*cmd_ctx);
                        return Err(self.limit_failure(st, m));
                    }
                    match builtins::call(name, argv) {
                        Ok(builtins::Out::Val(v)) => {
                            // Not a clone: the guard tells a value the call
                            // built by its being held nowhere else.
                            if let Err(m) = self.guard_built(&v, &before) {
                                st.at = pos;
                                st.at_ctx = Ctx::Cmd(*cmd_ctx);
                                return Err(self.limit_failure(st, m));
                            }
                            Ok(EV::from_result(v))
                        }
                        Ok(builtins::Out::Invalid) => Ok(EV::Invalid),
                        // An argument error is the executor's own (no "error calling").
                        Err(e) if e.kind == Kind::Go => Err(call_err(self, st, e)),
                        Err(e) => Err(self.fail(st, e.message)),
                    }
                })()
            }
        };
        Some(r)
    }

    fn eval_typed<'n>(
        &mut self,
        st: &mut State<'n>,
        dot: &EV,
        args: &'n [Arg],
        fin: Option<EV>,
        tys: &[Ty],
    ) -> R<Vec<Value>> {
        let mut v = Vec::new();
        for (i, a) in args.iter().skip(1).enumerate() {
            v.push(self.eval_arg(st, dot, tys.get(i).copied().unwrap_or(Ty::Any), a)?);
        }
        if let Some(f) = fin {
            let ty = tys.get(v.len()).copied().unwrap_or(Ty::Any);
            v.push(self.validate_type(st, f, ty)?);
        }
        Ok(v)
    }

    // ---- Helm's include and tpl

    /// Helm's `include`: execute a named template into a string, with its
    /// recursion cap.
    pub fn include(&mut self, name: &str, data: &Value) -> Result<String, ExecFailure> {
        let count = self.included.get(name).copied();
        if let Some(c) = count {
            if c > INCLUDE_RECURSION_MAX {
                return Err(ExecFailure {
                    error: GoError::plain(format!(
                        "rendering template has a nested reference name: {name}: unable to execute template"
                    )),
                    pos: None,
                    limit: None,
                    calls: Vec::new(),
                    frames: Vec::new(),
                });
            }
        }
        if self.nesting >= MAX_NESTING {
            return Err(ExecFailure {
                error: GoError::plain(nesting_limit().message),
                pos: None,
                limit: Some(Limit::Nesting),
                calls: Vec::new(),
                frames: Vec::new(),
            });
        }
        match self.included.get_mut(name) {
            Some(c) => *c += 1,
            None => {
                self.included.insert(name.to_string(), 1);
            }
        }
        // ExecuteTemplate: a new Go state, at depth 0.
        let depth = std::mem::replace(&mut self.depth, 0);
        self.nesting += 1;
        self.deep += 1;
        self.calls += 1;
        let mut out = String::new();
        let r = self.run_nested(|s| s.execute_into(name, data, &mut out)).unwrap_or_else(|m| {
            Err(Flow::Err(ExecFailure {
                limit: m.limit,
                error: GoError::plain(m.message),
                pos: None,
                calls: Vec::new(),
                frames: Vec::new(),
            }))
        });
        self.nesting -= 1;
        self.leave_call();
        self.depth = depth;
        if let Some(c) = self.included.get_mut(name) {
            *c -= 1;
        }
        // The output was charged as it was written; it becomes the call's
        // result, charged as a value by the caller.
        self.env.guard.credit(out.len() as u64);
        match r {
            Ok(()) => Ok(out),
            Err(Flow::Err(e)) => Err(e),
            Err(_) => Ok(out),
        }
    }

    /// Helm's `tpl`: parse `text` as template "gotpl" in (an overlay of) the
    /// current set and execute it with `data`.
    pub fn tpl(&mut self, text: &str, data: &Value) -> Result<String, ExecFailure> {
        let funcs = self.funcs;
        let trees = match super::cache::parse("gotpl", text, &|n| is_known_func(funcs, n)) {
            Ok(t) => t,
            Err(e) => {
                let inner = GoError::plain(e.to_string());
                return Err(ExecFailure {
                    error: GoError::wrapping(format!("cannot parse template {}: ", go_quote(text)), false, inner),
                    pos: None,
                    limit: None,
                    calls: Vec::new(),
                    frames: Vec::new(),
                });
            }
        };
        self.set.push_layer();
        // The tpl text is always (re)defined as "gotpl", even if empty.
        let top = self.set.layers.len() - 1;
        for tree in trees.iter() {
            let empty = is_empty_tree(&tree.root);
            if tree.name != "gotpl" && empty && self.set.get(&tree.name).is_some() {
                continue;
            }
            self.set.layers[top].insert(tree.name.clone(), tree.clone());
        }
        let depth = std::mem::replace(&mut self.depth, 0);
        self.nesting += 1;
        let mut out = String::new();
        let limit = |m: Error| {
            Err(Flow::Err(ExecFailure {
                limit: m.limit,
                error: GoError::plain(m.message),
                pos: None,
                calls: Vec::new(),
                frames: Vec::new(),
            }))
        };
        let r = if self.nesting > MAX_NESTING {
            limit(nesting_limit())
        } else {
            self.deep += 1;
            self.calls += 1;
            let r = self.run_nested(|s| s.execute_into("gotpl", data, &mut out)).unwrap_or_else(limit);
            self.leave_call();
            r
        };
        self.nesting -= 1;
        self.depth = depth;
        self.set.pop_layer();
        self.env.guard.credit(out.len() as u64);
        if let Some(tr) = self.trace.as_deref_mut() {
            tr.remove_no_value(&out);
        }
        match r {
            Ok(()) => Ok(super::without_no_value(out)),
            Err(Flow::Err(e)) => {
                if e.limit.is_some() {
                    return Err(e);
                }
                let prefix = format!("error during tpl function execution for {}: ", go_quote(text));
                let plen = prefix.len();
                Err(ExecFailure {
                    error: GoError::wrapping(prefix, false, e.error),
                    pos: e.pos,
                    calls: e.calls,
                    frames: e.frames.iter().map(|f| f + plen).collect(),
                    limit: None,
                })
            }
            Err(_) => Ok(out),
        }
    }
}

/// A function call's command, Go's `node` for "error calling" positions:
/// the whole command, or the identifier alone when it has no arguments.
#[derive(Clone, Copy)]
struct CmdCtx<'n> {
    ident: &'n str,
    args: &'n [Arg],
}

impl std::fmt::Display for CmdCtx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.args.is_empty() {
            return f.write_str(self.ident);
        }
        // As CommandNode.String().
        write_args(f, self.args)
    }
}

/// Go's canBeNil for our parameter types.
fn can_be_nil(ty: Ty) -> bool {
    matches!(ty, Ty::Any | Ty::List | Ty::StringList | Ty::Map | Ty::Bytes)
}

/// Go's AssignableTo for a value's dynamic type and a parameter type.
fn assignable(v: &Value, ty: Ty) -> bool {
    use crate::value::SliceOf;
    // A named type (common.VersionSet, common.Values) is assignable to the
    // unnamed type with the same underlying type.
    match ty {
        Ty::Any => true,
        Ty::String => matches!(v, Value::String(_)),
        Ty::Int => matches!(v, Value::Int(_, IntType::Int)),
        Ty::Int64 => matches!(v, Value::Int(_, IntType::Int64)),
        Ty::Uint32 => false,
        Ty::Float64 => matches!(v, Value::Float(_)),
        Ty::Bool => matches!(v, Value::Bool(_)),
        Ty::List => matches!(v, Value::List(_, t) if t.of == SliceOf::Any),
        Ty::StringList => matches!(v, Value::List(_, t) if t.is_string_slice()),
        Ty::Map => matches!(v, Value::Map(_, t) if t.is_any_map()),
        Ty::Bytes => matches!(v, Value::Bytes(_)),
        Ty::Duration => matches!(v, Value::Int(_, IntType::Duration)),
        Ty::Time => matches!(v, Value::Object(o) if o.type_name() == "time.Time"),
    }
}

/// Go's `%q` of a string (strconv.Quote).
pub fn go_quote(s: &str) -> String {
    crate::gofmt::strconv::quote(s)
}
