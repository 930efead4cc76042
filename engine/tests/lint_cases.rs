//! `chartroom lint` against real Helm v4.2.3's `helm lint`: stdout, stderr
//! and exit status byte for byte, for every case of
//! tests/data/lint/cases.json (scripts/gen_lint_cases.py: the oracle's
//! action.Lint formatted as pkg/cmd/lint.go prints it) — small charts
//! broken in each rule's way, and every conformance chart of
//! ../shared/conformance. `$CWD` in the expected text stands for the
//! folder the command runs in. Known deviations are listed, with reasons,
//! in tests/data/lint/known-failures.txt. Each case is its own test, named
//! after the case.

mod kit;

use std::path::{Path, PathBuf};
use std::process::Command;

fn data() -> PathBuf {
    kit::data_dir("lint")
}

fn write_files(root: &Path, files: &serde_json::Value) {
    for (path, text) in files.as_object().expect("files") {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let text = text.as_str().expect("text");
        match text.strip_prefix("base64:") {
            Some(b) => std::fs::write(&p, kit::base64_decode(b)).unwrap(),
            None => std::fs::write(&p, text).unwrap(),
        }
    }
}

/// One case: the chart folders written under a fresh temporary folder (or
/// the conformance corpus), `chartroom lint ARGS` run there.
fn check(i: usize, c: &serde_json::Value) -> Result<(), String> {
    let cwd = if c["conformance"].as_bool() == Some(true) {
        kit::conformance()
    } else {
        let dir = std::env::temp_dir().join(format!("chartroom-lint-cases-{}/{i}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (folder, files) in c["charts"].as_object().expect("charts") {
            write_files(&dir.join(folder), files);
        }
        write_files(&dir, &c["files"]);
        dir
    };
    let cwd = cwd.canonicalize().unwrap();
    let args: Vec<&str> = c["args"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    let out = Command::new(env!("CARGO_BIN_EXE_chartroom")).args(&args).current_dir(&cwd).output().unwrap();
    if c["conformance"].as_bool() != Some(true) {
        let _ = std::fs::remove_dir_all(&cwd);
    }
    let abs = cwd.to_string_lossy().into_owned();
    let stdout = String::from_utf8_lossy(&out.stdout).replace(&abs, "$CWD");
    let stderr = String::from_utf8_lossy(&out.stderr).replace(&abs, "$CWD");
    let ok = stdout == c["stdout"].as_str().unwrap()
        && stderr == c["stderr"].as_str().unwrap()
        && out.status.code() == c["exit"].as_i64().map(|e| e as i32);
    if ok {
        return Ok(());
    }
    Err(format!(
        "chartroom {}:\n--- got (exit {:?}) ---\n{stdout}{stderr}--- want (exit {}) ---\n{}{}",
        args.join(" "),
        out.status.code(),
        c["exit"],
        c["stdout"].as_str().unwrap(),
        c["stderr"].as_str().unwrap()
    ))
}

fn main() {
    let how = "regenerate with ~/.cache/helm-oracle-venv/bin/python scripts/gen_lint_cases.py";
    let known = kit::known_failures(&data().join("known-failures.txt"), &[':']);
    let mut trials = vec![kit::test("lint_help_and_argument_errors", lint_help_and_argument_errors)];
    let mut names = std::collections::BTreeSet::new();
    for (i, c) in kit::json_cases(&data().join("cases.json"), how).into_iter().enumerate() {
        let name = c["name"].as_str().unwrap_or("?").to_string();
        names.insert(name.clone());
        trials.push(kit::case(name.clone(), known.contains_key(&name), move || check(i, &c)));
    }
    trials.push(kit::stale_known(&known, &names));
    kit::run(trials)
}

/// cobra's texts for `lint`: its help (pkg/cmd/lint.go's Use, Long and
/// flags) and require.MinimumNArgs(1).
fn lint_help_and_argument_errors() {
    let run = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_chartroom")).args(args).output().unwrap();
    let out = run(&["lint"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Error: \"chartroom lint\" requires at least 1 argument\n\nUsage:  chartroom lint PATH [flags]\n"
    );
    let out = run(&["lint", "--help"]);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.starts_with("\nThis command takes a path to a chart and runs a series of tests to verify that\nthe chart is well-formed.\n\nIf the linter encounters things that will cause the chart to fail installation,\nit will emit [ERROR] messages. If it encounters issues that break with convention\nor recommendation, it will emit [WARNING] messages.\n\nUsage:\n  chartroom lint PATH [flags]\n\nFlags:\n"), "{help}");
    for flag in [
        "  -h, --help                      help for lint\n",
        "      --kube-version string       Kubernetes version used for capabilities and deprecation checks\n",
        "      --quiet                     print only warnings and errors\n",
        "      --skip-schema-validation    if set, disables JSON schema validation\n",
        "      --strict                    fail on lint warnings\n",
        "      --with-subcharts            lint dependent charts\n",
        "  -f, --values strings            specify values in a YAML file or a URL (can specify multiple)\n",
    ] {
        assert!(help.contains(flag), "{flag:?} in {help}");
    }
}
