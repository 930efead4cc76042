//! `chartroom show FORMAT CHART` against real Helm v4.2.3's `helm show`
//! (fixtures from the oracle: scripts/gen_show_fixtures.py), and the
//! command line's Helm-shaped errors, run through the built binary.

use std::path::PathBuf;
use std::process::{Command, Output};

fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/show")
}

fn chartroom(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chartroom")).args(args).output().expect("run chartroom")
}

#[test]
fn show_matches_helm() {
    let text = std::fs::read_to_string(data().join("expected.json"))
        .expect("tests/data/show/expected.json (regenerate with scripts/gen_show_fixtures.py)");
    let cases: serde_json::Value = serde_json::from_str(&text).expect("json");
    let mut failures = Vec::new();
    for c in cases.as_array().expect("list") {
        let chart = data().join(c["chart"].as_str().unwrap());
        let format = c["format"].as_str().unwrap();
        let out = chartroom(&["show", format, chart.to_str().unwrap()]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let ok = match (c["output"].as_str(), c["error"].as_str()) {
            (Some(want), _) => out.status.success() && stdout == want,
            (None, Some(err)) => {
                !out.status.success() && String::from_utf8_lossy(&out.stderr) == format!("Error: {err}\n")
            }
            _ => false,
        };
        if !ok {
            failures.push(format!("show {format} {}:\n{stdout}\n--- want ---\n{}", c["chart"], c["output"]));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Helm's require.ExactArgs and cobra's non-runnable parent (help).
#[test]
fn show_argument_errors_and_help() {
    let out = chartroom(&["show", "chart"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Error: \"chartroom show chart\" requires 1 argument\n\nUsage:  chartroom show chart [CHART] [flags]\n"
    );
    let out = chartroom(&["show"]);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.starts_with(
        "\nThis command consists of multiple subcommands to display information about a chart\n\nUsage:\n  chartroom show [command]\n\nAliases:\n  show, inspect\n\nAvailable Commands:\n  all         show all information of the chart\n"
    ), "{help}");
}

/// pflag's and cobra's texts for `template`, with `chartroom` for `helm`
/// (pkg/cmd/testdata/output/template-no-args.txt at v4.2.3 is the first).
#[test]
fn template_command_line_errors() {
    let cases: &[(&[&str], &str)] = &[
        (&["template"], "Error: \"chartroom template\" requires at least 1 argument\n\nUsage:  chartroom template [NAME] [CHART] [flags]\n"),
        (&["template", "--bogus"], "Error: unknown flag: --bogus\n"),
        (&["template", "-x"], "Error: unknown shorthand flag: 'x' in -x\n"),
        (&["template", "c", "--namespace"], "Error: flag needs an argument: --namespace\n"),
        (&["template", "c", "-n"], "Error: flag needs an argument: 'n' in -n\n"),
        (&["template", "c", "--wait=sometimes"], "Error: invalid argument \"sometimes\" for \"--wait\" flag: invalid wait input \"sometimes\". Valid inputs are watcher, hookOnly, and legacy\n"),
        (&["template", "c", "--timeout", "5"], "Error: invalid argument \"5\" for \"--timeout\" flag: time: missing unit in duration \"5\"\n"),
        (&["template", "c", "--include-crds=maybe"], "Error: invalid argument \"maybe\" for \"--include-crds\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\n"),
        (&["template", "a", "b", "c"], "Error: expected at most two arguments, unexpected arguments: c\n"),
        (&["template", "a", "b", "-g"], "Error: cannot set --generate-name and also specify a name\n"),
        (&["template", "c", "--dry-run=none"], "Error: invalid dry-run value (\"none\"). Must be \"server\" or \"client\"\n"),
        (&["template", "c", "--validate", "--dry-run=client"], "Flag --validate has been deprecated, use '--dry-run=server' instead\nError: if any flags in the group [validate dry-run] are set none of the others can be; [dry-run validate] were all set\n"),
        (&["tempalte"], "Error: unknown command \"tempalte\" for \"chartroom\"\n\nDid you mean this?\n\ttemplate\n\nRun 'chartroom --help' for usage.\n"),
    ];
    for (args, want) in cases {
        let out = chartroom(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), *want, "{args:?}");
    }
}

#[test]
fn version_is_helms_format_with_chartroom_metadata() {
    let out = chartroom(&["version", "--short"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("v4.2.3+chartroom.{}\n", env!("CARGO_PKG_VERSION")));
    let out = chartroom(&["version", "--template", "{{.Version}}|{{.KubeClientVersion}}"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("v4.2.3+chartroom.{}|v1.36", env!("CARGO_PKG_VERSION")));
}

fn hello() -> String {
    // The example chart the page loads (public/examples).
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../public/examples/hello-world");
    p.canonicalize().expect("public/examples/hello-world").to_string_lossy().into_owned()
}

/// `--post-renderer NAME` finds a `postrenderer/v1` plugin in
/// `$HELM_PLUGINS` (plugin.FindPlugin), and reports Helm's error text from
/// the flag's Set when there is none.
#[test]
fn post_renderer_by_name_in_helm_plugins() {
    let plugins = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../public/plugins");
    let run = |name: &str| {
        Command::new(env!("CARGO_BIN_EXE_chartroom"))
            .env("HELM_PLUGINS", &plugins)
            .args(["template", &hello(), "--post-renderer", name])
            .output()
            .expect("run chartroom")
    };
    let out = run("add-labels");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("chartroom.dev/post-rendered: \"true\""));
    // A cli/v1 plugin of that name is not a post-renderer.
    let out = run("hello-cli");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Error: invalid argument \"hello-cli\" for \"--post-renderer\" flag: plugin: {Name:hello-cli Type:postrenderer/v1} not found\n"
    );
}

/// `--output-dir`: one file per template (`---\n# Source:` header, several
/// documents of a template appended), `wrote <path>` per document on
/// stdout, then the empty TrimSpace(rel.Manifest) line (template.go,
/// action.writeToFile); `--release-name` adds the release's folder.
#[test]
fn output_dir_writes_helms_files() {
    let dir = std::env::temp_dir().join(format!("chartroom-output-dir-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.to_string_lossy().into_owned();
    let plain = chartroom(&["template", "rel", &hello()]);
    let out = chartroom(&["template", "rel", &hello(), "--output-dir", &d, "--release-name"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(stdout.ends_with("\n\n") && stdout.lines().filter(|l| !l.is_empty()).all(|l| l.starts_with("wrote ")));
    // The files hold the documents `helm template` prints, with the same
    // `# Source:` headers.
    let mut joined = String::new();
    for line in stdout.lines().filter(|l| !l.is_empty()) {
        let path = &line["wrote ".len()..];
        assert!(path.starts_with(&format!("{d}/rel/")), "{path}");
        let text = std::fs::read_to_string(path).expect("written file");
        assert!(text.starts_with("---\n# Source: "), "{text}");
        if !joined.contains(&text) {
            joined.push_str(&text);
        }
    }
    let plain = String::from_utf8_lossy(&plain.stdout);
    for doc in plain.split("---\n").filter(|d| !d.trim().is_empty()) {
        assert!(joined.contains(doc.trim_end()), "missing {doc}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--debug` (template.go): the rendered files even when they are not
/// valid YAML, then the error without the "Use --debug" hint.
#[test]
fn debug_prints_invalid_yaml_then_the_error() {
    let dir = std::env::temp_dir().join(format!("chartroom-debug-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(dir.join("Chart.yaml"), "apiVersion: v2\nname: dbg\nversion: 0.1.0\n").unwrap();
    std::fs::write(dir.join("templates/a.yaml"), "a: 1\nb\n").unwrap();
    let d = dir.to_string_lossy().into_owned();
    let out = chartroom(&["template", &d]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.ends_with("\n\nUse --debug flag to render out invalid YAML\n"), "{err}");
    let out = chartroom(&["template", &d, "--debug"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "---\n# Source: dbg/templates/a.yaml\na: 1\nb\n");
    let err2 = String::from_utf8_lossy(&out.stderr).into_owned();
    let last = err2.lines().filter(|l| !l.starts_with("level=")).collect::<Vec<_>>().join("\n") + "\n";
    assert_eq!(last, err.replace("\n\nUse --debug flag to render out invalid YAML", ""));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--include-crds` prints CRDObjects: crds/ files with a manifest
/// extension only (pkg/chart/v2 hasManifestExtension; real Helm's
/// `helm show crds` of the same chart, tests/data/show/expected.json, leaves
/// crds/notes.txt out too), of the chart as ProcessDependencies left it, so
/// the aliased subchart's CRDs are under its alias (`charts/subby/`; real
/// Helm v4.2.3 through the oracle: `helm_oracle.oracle(chart,
/// include_crds=True, kube_version="v1.30.0")` prints these three sources).
#[test]
fn include_crds_takes_manifest_extensions_only() {
    let chart = data().join("full");
    let out = chartroom(&["template", chart.to_str().unwrap(), "--include-crds"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let sources: Vec<&str> = text.lines().filter(|l| l.starts_with("# Source: ") && l.contains("/crds/")).collect();
    assert_eq!(
        sources,
        [
            "# Source: full/crds/gadgets.yml",
            "# Source: full/crds/widgets.yaml",
            "# Source: full/charts/subby/crds/subs.yaml"
        ]
    );
}

/// An invalid release name: Install.RunWithContext logs the failed check
/// through the action's logger, which Helm's CLI points at its slog
/// TextHandler (pkg/cmd/root.go; internal/logging drops the time), then
/// returns no release, so template.go adds no --debug hint
/// (pkg/action/install.go availableName, pkg/chart/v2/util/validate_name.go).
/// The error text itself is checked against the oracle in chart_cases
/// (helm_slog.json); the oracle's action logger is not the CLI's.
#[test]
fn invalid_release_name_logs_and_fails_like_helm() {
    let out = chartroom(&["template", "Bad_Name", &hello()]);
    let e = "release name \"Bad_Name\": invalid release name, must match regex \
             ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53";
    let quoted = chartroom_engine::gofmt::strconv::quote(e);
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "level=ERROR msg=\"release name check failed\" error={quoted}\nError: release name check failed: {e}\n"
        )
    );
    assert!(out.stdout.is_empty());
}
