//! `chartroom validate` on engine/tests/data/kube-chart: the findings, the
//! summary line and the exit status; a render error as `template` prints
//! it. Needs the schema bundles (`python3 scripts/kube_schemas.py`, run by
//! scripts/setup.sh): without them the first test fails saying so.

use std::process::{Command, Output};

const CHART: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/kube-chart");

fn chartroom(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chartroom")).args(args).output().expect("run chartroom")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn valid_chart_exits_zero() {
    let o = chartroom(&["validate", CHART]);
    assert_eq!(text(&o.stderr), "", "bundles missing? stdout: {}", text(&o.stdout));
    assert_eq!(text(&o.stdout), "5 documents: 4 valid, 0 invalid, 1 without schema\n");
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn findings_one_line_each_then_summary() {
    let o = chartroom(&[
        "validate",
        "web",
        CHART,
        "--set",
        "quoteReplicas=true,legacyPdb=true,widgetSize=0",
        "--kube-version",
        "1.33",
    ]);
    assert_eq!(
        text(&o.stdout),
        "kube-chart/templates/pdb.yaml: PodDisruptionBudget/web-web: policy/v1beta1 PodDisruptionBudget is not served by Kubernetes v1.33: removed in v1.25, use policy/v1 PodDisruptionBudget
kube-chart/templates/deployment.yaml: Deployment/web-web: spec.replicas: expected integer, got string
kube-chart/templates/widget.yaml: Widget/web-widget: spec.size: value 0 is less than the minimum 1
5 documents: 1 valid, 3 invalid, 1 without schema
"
    );
    assert_eq!(o.status.code(), Some(1));
    // --show-only narrows the documents as it narrows template's output.
    let o = chartroom(&["validate", CHART, "-s", "templates/widget.yaml", "--set", "widgetSize=0"]);
    assert_eq!(
        text(&o.stdout),
        "kube-chart/templates/widget.yaml: Widget/release-name-widget: spec.size: value 0 is less than the minimum 1
2 documents: 0 valid, 1 invalid, 1 without schema
"
    );
}

#[test]
fn render_error_as_template_reports_it() {
    let v = chartroom(&["validate", CHART, "--set", "fail=true"]);
    let t = chartroom(&["template", CHART, "--set", "fail=true"]);
    assert_eq!(text(&v.stderr), text(&t.stderr));
    assert!(text(&v.stderr)
        .starts_with("Error: execution error at (kube-chart/templates/deployment.yaml:1:25): asked to fail"));
    assert_eq!((v.status.code(), text(&v.stdout)), (Some(1), String::new()));
}

#[test]
fn kube_version_without_schemas() {
    let o = chartroom(&["validate", CHART, "--kube-version", "1.20"]);
    assert_eq!(text(&o.stderr), "Error: no Kubernetes schemas for v1.20: validation covers v1.25 to v1.37\n");
    assert_eq!(o.status.code(), Some(1));
    let o = chartroom(&["validate", CHART, "--schema-dir", "/nonexistent"]);
    assert!(text(&o.stderr).contains("scripts/kube_schemas.py"), "{}", text(&o.stderr));
}

#[test]
fn help_has_templates_flags() {
    let o = chartroom(&["validate", "--help"]);
    let h = text(&o.stdout);
    assert!(h.contains("\nUsage:\n  chartroom validate [NAME] [CHART] [flags]\n"), "{h}");
    for flag in [
        "  -f, --values strings",
        "      --kube-version string",
        "  -s, --show-only stringArray",
        "      --schema-dir string",
    ] {
        assert!(h.contains(flag), "missing {flag:?} in\n{h}");
    }
    let root = text(&chartroom(&["--help"]).stdout);
    assert!(
        root.contains("\n  validate    render templates and check them against the Kubernetes API (chartroom only)\n")
    );
}
