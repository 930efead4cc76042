//! The engine's error: what `helm template` prints after `Error: ` (its
//! `Display` is exactly Helm's text, so the CLI, the conformance corpus and
//! the template cases compare it byte for byte), plus what Helm's text only
//! spells out: which stage failed, the position to mark in the editor, and
//! the chain of `include`/`tpl` calls that led there. The page marks and
//! explains an error from these fields, never by reading the text again.
//!
//! Below the engine's boundaries some layers keep Go's own shape on
//! purpose: a Sprig or Helm template function returns Go's `error` value,
//! which is only its `Error()` text (`Result<_, String>` there, as in Go),
//! and the executor keeps Go's wrapped error chain (`template::GoError`)
//! because Helm's reformatting walks that chain.

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
#[derive(Clone, Debug, PartialEq)]
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
}

impl Error {
    /// An error without a position.
    pub fn new(kind: Kind, message: impl Into<String>) -> Error {
        Error { kind, message: message.into(), file: None, line: None, col: None, calls: Vec::new() }
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
}
