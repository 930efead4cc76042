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
