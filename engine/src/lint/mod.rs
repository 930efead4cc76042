//! `helm lint`: Helm v4.2.3's pkg/chart/v2/lint (RunAll and its rules) and
//! pkg/action/lint.go (severities, strict mode), on an in-memory chart
//! folder. The command's output (pkg/cmd/lint.go) is [`format_report`].
//!
//! The rules read the chart folder as Helm reads the disk: a path is a
//! folder when some file lies under it (`templates/x.yaml` makes
//! `templates/` a folder; a file named `templates` makes it a file).

mod rules;
pub mod support;

use std::collections::BTreeMap;

pub use support::{Linter, Message, Severity};

use crate::value::Map;

/// What `helm lint` passes to RunAll for one chart.
#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    /// `--namespace` (the release namespace of the render).
    pub namespace: String,
    /// `--kube-version` as given (None: Helm's default capabilities).
    pub kube_version: Option<String>,
    /// `--skip-schema-validation`
    pub skip_schema_validation: bool,
    /// `--strict`: warnings fail the chart too.
    pub strict: bool,
    /// The render's evaluation step and memory budgets (None: the native
    /// defaults; the page passes its smaller ones).
    pub max_steps: Option<u64>,
    pub max_memory: Option<u64>,
    /// Folders of a chart read from disk that exist there although no file
    /// of `files` lies in them (a .helmignore left them empty): Helm's rules
    /// `os.Stat` `templates/` and `crds/` on disk.
    pub dirs_on_disk: Vec<String>,
}

/// A chart folder in memory: paths relative to the chart root.
pub type ChartFiles = BTreeMap<String, Vec<u8>>;

/// `lint.RunAll(chartDir, values, namespace, …)`: every rule, in Helm's
/// order. `chart_dir` is the absolute folder Helm names in the
/// dependency messages (`filepath.Abs` of the path given).
pub fn run_all(files: &ChartFiles, chart_dir: &str, values: &Map, opts: &LintOptions) -> Linter {
    let mut linter = Linter { chart_dir: chart_dir.to_string(), ..Linter::default() };
    rules::chartfile::chartfile(&mut linter, files, &opts.dirs_on_disk);
    rules::values::values_with_overrides(&mut linter, files, values, opts.skip_schema_validation);
    rules::template::templates(&mut linter, files, values, opts);
    rules::dependencies::dependencies(&mut linter, files);
    rules::crds::crds(&mut linter, files, &opts.dirs_on_disk);
    // A finding about a chart file (Helm's path names it) points there.
    for m in &mut linter.messages {
        if m.file.is_none() && files.contains_key(&m.path) {
            m.file = Some(m.path.clone());
        }
    }
    linter
}

/// `action.LintResult` for one path.
#[derive(Clone, Debug, Default)]
pub struct LintResult {
    pub total_charts_linted: usize,
    pub messages: Vec<Message>,
    /// Error texts: the chart could not be linted, or messages at or above
    /// the tolerance (error; warning with `--strict`).
    pub errors: Vec<String>,
}

impl LintResult {
    /// `action.Lint.Run` for a linted chart.
    pub fn from_linter(linter: Linter, strict: bool) -> LintResult {
        let lowest = if strict { Severity::Warning } else { Severity::Error };
        let errors = linter.messages.iter().filter(|m| m.severity >= lowest).map(|m| m.err.clone()).collect();
        LintResult { total_charts_linted: 1, messages: linter.messages, errors }
    }

    /// `action.Lint.Run` when the chart could not be read (no Chart.yaml…).
    pub fn failed(err: String) -> LintResult {
        LintResult { total_charts_linted: 0, messages: Vec::new(), errors: vec![err] }
    }

    /// `action.HasWarningsOrErrors`
    pub fn has_warnings_or_errors(&self) -> bool {
        self.messages.iter().any(|m| m.severity > Severity::Info) || !self.errors.is_empty()
    }
}

/// What pkg/cmd/lint.go prints for the linted paths: (stdout, the error
/// after `Error: ` when a chart failed).
pub fn format_report(results: &[(String, LintResult)], quiet: bool) -> (String, Option<String>) {
    let mut out = String::new();
    let mut failed = 0;
    let mut errors_or_warnings = 0;
    for (path, result) in results {
        let has = result.has_warnings_or_errors();
        if has {
            errors_or_warnings += 1;
        }
        if quiet && !has {
            continue;
        }
        out.push_str(&format!("==> Linting {path}\n"));
        // The messages of a linted chart include its errors: the errors are
        // printed only when there are no messages.
        if result.messages.is_empty() {
            for e in &result.errors {
                out.push_str(&format!("Error {e}\n"));
            }
        }
        for m in &result.messages {
            if !quiet || m.severity > Severity::Info {
                out.push_str(&m.to_string());
                out.push('\n');
            }
        }
        if !result.errors.is_empty() {
            failed += 1;
        }
        out.push('\n');
    }
    let summary = format!("{} chart(s) linted, {failed} chart(s) failed", results.len());
    if failed > 0 {
        return (out, Some(summary));
    }
    if !quiet || errors_or_warnings > 0 {
        out.push_str(&summary);
        out.push('\n');
    }
    (out, None)
}
