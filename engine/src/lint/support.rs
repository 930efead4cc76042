//! pkg/chart/v2/lint/support: severities, messages and the linter that
//! collects them.

use crate::error::{Error, Kind};
use std::fmt;

/// `support.*Sev`, in Helm's order (compared: `>= WarningSev`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Unknown,
    Info,
    Warning,
    Error,
}

impl Severity {
    /// The name Helm prints between brackets.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Unknown => "UNKNOWN",
            Severity::Info => "INFO",
            Severity::Warning => "WARNING",
            Severity::Error => "ERROR",
        }
    }
}

/// `support.Message`, plus where the finding is in the chart (for the
/// page; Helm's text does not carry it).
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub severity: Severity,
    /// Helm's `Path` (`Chart.yaml`, `templates/`, `templates/x.yaml`, the
    /// chart folder for dependency findings, or empty).
    pub path: String,
    /// The error text.
    pub err: String,
    /// The chart file the finding is about, when known.
    pub file: Option<String>,
    /// 1-based line in that file, when known.
    pub line: Option<usize>,
}

impl fmt::Display for Message {
    /// `Message.Error()`: `[SEVERITY] path: text`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}: {}", self.severity.name(), self.path, self.err)
    }
}

/// `support.Linter`, plus the slog lines Helm's engine writes in lint
/// mode (a missing `required` value, a `fail` call).
#[derive(Clone, Debug, Default)]
pub struct Linter {
    pub messages: Vec<Message>,
    pub highest_severity: Option<Severity>,
    pub chart_dir: String,
    /// What Helm logs to stderr while linting, in its CLI's slog text
    /// form (`level=WARN msg="missing required value" message=…`).
    pub log: Vec<String>,
}

impl Linter {
    /// `RunLinterRule`: records the error (with its file and line, when
    /// known), if any; true when there was none.
    pub fn run(&mut self, severity: Severity, path: &str, err: Result<(), Error>) -> bool {
        match err {
            Ok(()) => true,
            Err(e) => {
                let (err, file, line) = (e.message, e.file, e.line);
                self.messages.push(Message { severity, path: path.to_string(), err, file, line });
                if self.highest_severity.is_none_or(|h| severity > h) {
                    self.highest_severity = Some(severity);
                }
                false
            }
        }
    }
}

/// A finding's text marked at `file` and `line` (when known).
pub(crate) fn finding(message: impl Into<String>, file: Option<String>, line: Option<usize>) -> Error {
    let mut e = Error::new(Kind::Lint, message);
    e.file = file;
    e.line = line;
    e
}
