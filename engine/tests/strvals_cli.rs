//! `chartroom template` accepts Helm's --set-json, --set-file and
//! --set-literal (repeatable, `--flag value` and `--flag=value`), merged in
//! MergeValues' order (pkg/cli/values/options.go, v4.2.3).

use std::path::Path;
use std::process::Command;

fn chart() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/strvals/chart").display().to_string()
}

fn template(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chartroom")).arg("template").arg(chart()).args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The chart's ConfigMap around `toYaml .Values` (indented 4).
fn manifest(values_yaml: &str) -> String {
    let body: String = values_yaml.lines().map(|l| format!("    {l}\n")).collect();
    format!(
        "---\n# Source: strvals/templates/values.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: values\ndata:\n  values.yaml: |\n{body}"
    )
}

#[test]
fn set_json_file_literal_flags() {
    let dir = std::env::temp_dir().join(format!("chartroom-strvals-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("motd.txt");
    std::fs::write(&f, "hi\n").unwrap();
    let file_arg = format!("motd={}", f.display());
    let (ok, stdout, stderr) = template(&[
        "--set-json",
        r#"j={"k":[1,2]}"#,
        "--set-json={\"keep\":null}",
        "--set",
        "a=set",
        "--set-file",
        &file_arg,
        "--set-literal=a=lit,eral",
    ]);
    std::fs::remove_dir_all(&dir).ok();
    assert!(ok, "{stderr}");
    // keep: null (a JSON object merged over user values) deletes the chart default.
    let want = manifest("a: lit,eral\ndefaults:\n  \"true\": old\n  x: 1\nj:\n  k:\n  - 1\n  - 2\nmotd: |\n  hi\n");
    assert_eq!(stdout, want);
}

#[test]
fn set_file_missing_path_is_helms_error() {
    let (ok, _, stderr) = template(&["--set-file", "a=/nonexistent/chartroom.txt"]);
    assert!(!ok);
    assert_eq!(
        stderr.trim_end(),
        "Error: failed parsing --set-file data: open /nonexistent/chartroom.txt: no such file or directory"
    );
}

#[test]
fn flags_need_arguments() {
    for f in ["--set-json", "--set-file", "--set-literal"] {
        let (ok, _, stderr) = template(&[f]);
        assert!(!ok);
        assert!(stderr.contains(&format!("flag needs an argument: {f}")), "{stderr}");
    }
}
