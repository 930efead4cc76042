//! The engine's error: what `helm template` prints after `Error: ` (its
//! `Display` is exactly Helm's text, so the CLI, the conformance corpus and
//! the template cases compare it byte for byte), plus what Helm's text only
//! spells out: which stage failed, the position to mark in the editor, and
//! the chain of `include`/`tpl` calls that led there. The page marks and
//! explains an error from these fields, never by reading the text again.
//!
//! Layers below the boundaries return this type too where they know a
//! position (YAML decoding, `--set` lines, manifests, values), so the
//! position travels up as fields: a wrapping layer adds Helm's prefix with
//! [`Error::wrap`] and keeps them.
//!
//! Go's own error values are this type too, of [`Kind::Go`]: what a Sprig
//! or Helm template function returns, and what the ports of Go's packages
//! return (encoding/json, go-yaml, BurntSushi/toml, base64, strconv,
//! net/url, semver, x509, the JSON Schema format checkers, a plugin's
//! output JSON and HTTP transport). Such an error is only Go's `Error()`
//! text; the stage that called it wraps it (`error calling NAME: …`,
//! `failed parsing --set data: …`) and gives it its own kind. The executor
//! keeps Go's wrapped error chain (`template::GoError`) because Helm's
//! reformatting walks that chain; `gofmt::NumError` is Go's
//! `*strconv.NumError`, whose fields callers test. pflag's `flag.ErrHelp`
//! is not an error to cobra (it prints the help, exit 0): the CLI's parser
//! returns it as an outcome.
//!
//! A limit that stops a render or a plugin call says which ([`Limit`]),
//! and a plugin call says how it ended ([`PluginEnd`]): the page explains
//! both from these fields. Parsers that recurse once per nesting level
//! (toml, the schema's JSON, strvals) box this error, so that their frames
//! stay small.

use std::fmt;

/// Which stage of `helm template` failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Reading the chart: files, Chart.yaml, archives, dependencies.
    Chart,
    /// User values: `-f` files and the `--set` family.
    Values,
    /// values.schema.json validation.
    Schema,
    /// A template that does not parse (Helm's `parse error at (…)`).
    Parse,
    /// Executing a template (Helm's `execution error at (…)`, `template: …`).
    Exec,
    /// A Chartroom resource limit ended the render (steps, memory, deadline,
    /// nesting): not an error Helm would give.
    Limit,
    /// The rendered manifests: YAML that does not parse, `--show-only`,
    /// post-rendering (where `helm template` adds its `--debug` hint).
    Manifest,
    /// Anything else before rendering: library charts, kubeVersion,
    /// capabilities, the mock cluster.
    Setup,
    /// A `helm lint` finding (the linter reports it, nothing failed).
    Lint,
    /// A plugin: its plugin.yaml, loading or running it.
    Plugin,
    /// The command line itself (the CLI's flags, arguments and files it
    /// reads or writes), as cobra and pflag report it.
    Cli,
    /// Valid for Helm, but not something Chartroom can do: a subprocess or
    /// legacy plugin runs a host executable, which a browser cannot. Not an
    /// error Helm would give (Helm loads such a plugin).
    Unsupported,
    /// A Go `error` value from a template function or a port of a Go
    /// package: its text is Go's `Error()`, which the stage calling it wraps
    /// (and reports as its own kind).
    Go,
}

/// Which limit ended a render or a plugin call: the page explains the
/// failure from this, not from the text. Chartroom's own limits come with
/// [`Kind::Limit`]; a plugin's `memory.maxPages` and timeout are Helm's
/// (wazero's), with [`Kind::Plugin`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// The executor's evaluation steps.
    Steps,
    /// The render's memory budget for values and output.
    Memory,
    /// The render's timeout.
    Deadline,
    /// The page cancelled the render (a newer edit).
    Cancelled,
    /// Nested `include`/`tpl` calls past [`crate::template::exec::MAX_NESTING`].
    Nesting,
    /// The browser's stack is used up.
    Stack,
    /// The rendered output is too large.
    Output,
    /// A plugin's fuel budget.
    Fuel,
    /// The host's cap on the blocks a plugin call holds (or the kernel's
    /// memory).
    HostBlock,
    /// The cap on a plugin's captured stdout/stderr.
    Capture,
    /// A plugin's `memory.maxPages` (Helm's limit).
    PluginMemory,
    /// A plugin's timeout (Helm's `context deadline exceeded`).
    PluginTimeout,
}

/// How a plugin call ended, beyond its kind and limit: the page's run
/// summary says it from these fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PluginEnd {
    /// The guest called `proc_exit` with this code (not 0).
    Exit(i32),
    /// The guest trapped; wazero's reason (`unreachable`, `out of bounds
    /// memory access`…).
    Trap(String),
    /// The module could not be compiled or instantiated (`failed to create
    /// existing plugin`).
    NotCreated,
}

/// One `include`/`tpl` call on the way to the failure, where it was
/// called.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    /// The function called (`include`, `tpl`).
    pub function: String,
    /// The template file holding the call, as in `# Source:`.
    pub file: String,
    /// Line and column of the call, counted from 1.
    pub line: usize,
    pub col: usize,
}

/// An engine failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub kind: Kind,
    /// Helm's text, exactly.
    pub message: String,
    /// Where to mark it: the file (a chart path such as
    /// `mychart/templates/a.yaml`, or `values.yaml`), line and column,
    /// counted from 1.
    pub file: Option<String>,
    pub line: Option<usize>,
    pub col: Option<usize>,
    /// The `include`/`tpl` calls that led to the failure, outermost first
    /// (empty outside templates).
    pub calls: Vec<Call>,
    /// Where each frame of Go's nested function errors ends in `message`:
    /// the byte offset just after each `error calling NAME: `, outermost
    /// first (the page folds long chains there without reading the text).
    pub frames: Vec<usize>,
    /// Which limit ended the run, when one did.
    pub limit: Option<Limit>,
    /// How a plugin call ended, when it says more than the text's kind.
    pub plugin_end: Option<PluginEnd>,
}

impl Error {
    /// An error without a position.
    pub fn new(kind: Kind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            file: None,
            line: None,
            col: None,
            calls: Vec::new(),
            frames: Vec::new(),
            limit: None,
            plugin_end: None,
        }
    }

    /// A Go `error` value: `errors.New(text)` or `fmt.Errorf` without `%w`.
    pub fn go(text: impl Into<String>) -> Error {
        Error::new(Kind::Go, text)
    }

    /// A limit's error: [`Kind::Limit`] (Chartroom's own) with which one.
    pub fn limit(limit: Limit, message: impl Into<String>) -> Error {
        Error::new(Kind::Limit, message).with_limit(limit)
    }

    /// The same error, ended by `limit`.
    pub fn with_limit(mut self, limit: Limit) -> Error {
        self.limit = Some(limit);
        self
    }

    /// The same error, with how the plugin call ended.
    pub fn with_plugin_end(mut self, end: PluginEnd) -> Error {
        self.plugin_end = Some(end);
        self
    }

    /// Go's text of the error (what a wrapping layer puts after its
    /// prefix).
    pub fn text(&self) -> &str {
        &self.message
    }

    /// A YAML error (go-yaml's text) as an error of `kind`, marked at its
    /// line and column in `file`.
    pub fn yaml(kind: Kind, file: impl Into<String>, e: crate::yaml::YamlError) -> Error {
        let (line, col) = ((e.line > 0).then_some(e.line), (e.col > 0).then_some(e.col));
        Error::new(kind, e.msg).at(file, line, col)
    }

    /// Helm's wrapping (`fmt.Errorf("PREFIX%w", err)`): `prefix` before the
    /// text, the position and frames kept.
    pub fn wrap(mut self, prefix: &str) -> Error {
        self.message.insert_str(0, prefix);
        for f in &mut self.frames {
            *f += prefix.len();
        }
        self
    }

    /// The same error with `suffix` after its text (frames stay valid).
    pub fn suffixed(mut self, suffix: &str) -> Error {
        self.message.push_str(suffix);
        self
    }

    /// The same error of another kind (a lower layer's error reported as
    /// the stage that called it).
    pub fn of_kind(mut self, kind: Kind) -> Error {
        self.kind = kind;
        self
    }

    /// The same error marked at `file` (line and column from 1, when known).
    pub fn at(mut self, file: impl Into<String>, line: Option<usize>, col: Option<usize>) -> Error {
        self.file = Some(file.into());
        self.line = line;
        self.col = col;
        self
    }

    /// Whether a Chartroom limit (not Helm) stopped the render.
    pub fn is_limit(&self) -> bool {
        self.kind == Kind::Limit
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// An error equals Helm's text (tests compare with Helm's messages).
impl PartialEq<&str> for Error {
    fn eq(&self, other: &&str) -> bool {
        self.message == *other
    }
}

impl PartialEq<String> for Error {
    fn eq(&self, other: &String) -> bool {
        self.message == *other
    }
}

/// `errors.New(text)`: a Go error value that is only its text.
impl From<String> for Error {
    fn from(text: String) -> Error {
        Error::go(text)
    }
}

impl From<&str> for Error {
    fn from(text: &str) -> Error {
        Error::go(text)
    }
}

/// `fmt.Errorf(…)` as a Go error value ([`Kind::Go`]): the text formatted
/// as `format!` does.
macro_rules! go_err {
    ($($arg:tt)*) => {
        $crate::error::Error::go(format!($($arg)*))
    };
}
pub(crate) use go_err;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_helms_text_alone() {
        let e = Error::new(Kind::Exec, "execution error at (c/templates/a.yaml:1:3): boom").at(
            "c/templates/a.yaml",
            Some(1),
            Some(4),
        );
        assert_eq!(e.to_string(), "execution error at (c/templates/a.yaml:1:3): boom");
        assert_eq!((e.file.as_deref(), e.line, e.col), (Some("c/templates/a.yaml"), Some(1), Some(4)));
        assert!(!e.is_limit() && Error::new(Kind::Limit, "render stopped").is_limit());
    }

    #[test]
    fn go_errors_and_limits_carry_their_kind() {
        let e: Error = "strconv.Atoi: parsing \"x\": invalid syntax".into();
        assert_eq!((e.kind, e.limit), (Kind::Go, None));
        let e = go_err!("error calling {}: {}", "fail", "boom").wrap("template: ");
        assert_eq!((e.kind, e.to_string().as_str()), (Kind::Go, "template: error calling fail: boom"));
        let e = Error::limit(Limit::Steps, "render stopped: more than 1 evaluation steps");
        assert!(e.is_limit() && e.limit == Some(Limit::Steps) && e.plugin_end.is_none());
        let e = Error::new(Kind::Plugin, "plugin error: wasm error: unreachable")
            .with_plugin_end(PluginEnd::Trap("unreachable".into()));
        assert!(!e.is_limit() && e.plugin_end == Some(PluginEnd::Trap("unreachable".into())));
    }

    #[test]
    fn wrapping_keeps_the_position_and_moves_the_frames() {
        let mut e = Error::new(Kind::Values, "key \"a\" has no value").at("--set", Some(2), Some(2));
        e.frames = vec![3];
        let e = e.wrap("failed parsing --set data: ").suffixed("!");
        assert_eq!(e.to_string(), "failed parsing --set data: key \"a\" has no value!");
        assert_eq!((e.file.as_deref(), e.line, e.col, e.frames), (Some("--set"), Some(2), Some(2), vec![30]));
    }
}
