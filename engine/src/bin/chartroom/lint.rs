//! `chartroom lint PATH...`: Helm v4.2.3's pkg/cmd/lint.go and
//! pkg/action/lint.go (lintChart) on the engine's port of Helm's lint
//! rules (chartroom_engine::lint).

use chartroom_engine::error::{Error, Kind as ErrorKind};
use std::path::Path;
use std::process::ExitCode;

use chartroom_engine::chart::objects::KubeVersion;
use chartroom_engine::gofmt::path;
use chartroom_engine::lint::{self, LintOptions, LintResult};
use chartroom_engine::RenderRequest;

use crate::cobra::{self, Command};
use crate::pflag::{Flag, Kind};

const LINT_DESC: &str = "
This command takes a path to a chart and runs a series of tests to verify that
the chart is well-formed.

If the linter encounters things that will cause the chart to fail installation,
it will emit [ERROR] messages. If it encounters issues that break with convention
or recommendation, it will emit [WARNING] messages.
";

pub fn command() -> Command {
    let mut c = Command::new("lint PATH", "examine a chart for possible issues", LINT_DESC, cobra::ROOT);
    let b = |name, usage| Flag::new(name, None, Kind::Bool, "false", usage);
    c.flag(b("strict", "fail on lint warnings"));
    c.flag(b("with-subcharts", "lint dependent charts"));
    c.flag(b("quiet", "print only warnings and errors"));
    c.flag(b("skip-schema-validation", "if set, disables JSON schema validation"));
    c.flag(Flag::new(
        "kube-version",
        None,
        Kind::String,
        "",
        "Kubernetes version used for capabilities and deprecation checks",
    ));
    crate::template::add_value_options_flags(&mut c);
    c
}

pub fn run(args: &[String]) -> ExitCode {
    command().run_e(args, cobra::minimum_n_args(1), |c, p| run_e(c, p).map(|()| ExitCode::SUCCESS))
}

fn run_e(c: &Command, args: &[String]) -> Result<(), Error> {
    let f = &c.flags;
    let kube_version = f.get_str("kube-version");
    if !kube_version.is_empty() {
        KubeVersion::parse_flag(&kube_version)?;
    }
    let mut paths: Vec<String> = args.to_vec();
    if f.get_bool("with-subcharts") {
        for p in args {
            walk_subcharts(&path::join(&[p, "charts"]), &mut paths);
        }
    }
    let namespace = match f.get_str("namespace") {
        ns if ns.is_empty() => "default".to_string(),
        ns => ns,
    };
    let mut req = RenderRequest::default();
    crate::template::read_value_options(f, &mut req)?;
    let vals = chartroom_engine::api::user_values(&req)?;
    let opts = LintOptions {
        namespace,
        kube_version: (!kube_version.is_empty()).then_some(kube_version),
        skip_schema_validation: f.get_bool("skip-schema-validation"),
        strict: f.get_bool("strict"),
        ..LintOptions::default()
    };
    let mut results = Vec::new();
    for path in &paths {
        chartroom_engine::gofmt::log::take();
        let result = match lint_chart(path, &vals, &opts) {
            Ok(linter) => {
                // Values coalescing (the values and templates rules) logs
                // before the render's slog lines.
                crate::template::print_go_log(&chartroom_engine::gofmt::log::take());
                for line in &linter.log {
                    eprintln!("{line}");
                }
                LintResult::from_linter(linter, opts.strict)
            }
            Err(e) => LintResult::failed(e.message),
        };
        results.push((path.clone(), result));
    }
    let (out, failed) = lint::format_report(&results, f.get_bool("quiet"));
    print!("{out}");
    match failed {
        Some(summary) => Err(Error::new(ErrorKind::Lint, summary)),
        None => Ok(()),
    }
}

/// action.lintChart: an archive is expanded first; the folder must hold a
/// Chart.yaml; then RunAll.
fn lint_chart(path: &str, vals: &chartroom_engine::value::Map, opts: &LintOptions) -> Result<lint::Linter, Error> {
    if path.ends_with(".tgz") || path.ends_with(".tar.gz") {
        let bytes = std::fs::read(path).map_err(|e| {
            Error::new(
                ErrorKind::Cli,
                format!("unable to open tarball: open {path}: {}", crate::template::go_io_error(&e)),
            )
        })?;
        let files = chartroom_engine::chart::archive::files_from_archive(&bytes)
            .map_err(|e| e.wrap("unable to extract tarball: "))?;
        // Helm expands into a fresh temporary folder: the name it reports
        // differs on every run.
        let name = chartroom_engine::chart::archive::load_archive(&bytes)
            .map(|c| c.metadata.name)
            .unwrap_or_else(|_| "chart".into());
        let dir = format!("{}/helm-lint/{name}", std::env::temp_dir().display());
        return Ok(lint::run_all(&files, &dir, vals, opts));
    }
    let chart_yaml = path::join(&[path, "Chart.yaml"]);
    std::fs::metadata(&chart_yaml).map_err(|e| {
        Error::new(
            ErrorKind::Cli,
            format!(
                "unable to check Chart.yaml file in chart: stat {chart_yaml}: {}",
                crate::template::go_io_error(&e)
            ),
        )
    })?;
    let mut files = crate::loader::read_chart_dir(Path::new(path))?;
    // The Chart.yaml and values rules read their files from disk even when
    // .helmignore leaves them out of the chart.
    for name in ["Chart.yaml", "values.yaml", "values.schema.json"] {
        if !files.contains_key(name) {
            if let Ok(b) = std::fs::read(Path::new(path).join(name)) {
                files.insert(name.to_string(), b);
            }
        }
    }
    let abs = std::path::absolute(path).map_err(|e| Error::new(ErrorKind::Cli, e.to_string()))?;
    let dir = path::clean(&abs.to_string_lossy());
    // The templates and crds rules os.Stat their folder on disk, which a
    // .helmignore may have left without files in the chart.
    let mut opts = opts.clone();
    opts.dirs_on_disk =
        ["templates", "crds"].iter().filter(|d| Path::new(path).join(d).is_dir()).map(|d| d.to_string()).collect();
    Ok(lint::run_all(&files, &dir, vals, &opts))
}

/// lint.go's `filepath.Walk(filepath.Join(p, "charts"), …)`: every folder
/// holding a Chart.yaml and every .tgz/.tar.gz below, in lexical order.
fn walk_subcharts(path: &str, out: &mut Vec<String>) {
    let Ok(meta) = std::fs::symlink_metadata(path) else { return };
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == "Chart.yaml" {
        out.push(path::dir(path));
    } else if path.ends_with(".tgz") || path.ends_with(".tar.gz") {
        out.push(path.to_string());
    }
    if !meta.is_dir() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else { return };
    let mut names: Vec<String> =
        entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    for n in names {
        walk_subcharts(&format!("{path}/{n}"), out);
    }
}
