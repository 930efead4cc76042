//! `chartroom lint` against real Helm v4.2.3's `helm lint`: stdout, stderr
//! and exit status byte for byte, for every case of
//! tests/data/lint/cases.json (scripts/gen_lint_cases.py: the oracle's
//! action.Lint formatted as pkg/cmd/lint.go prints it) — small charts
//! broken in each rule's way, and every conformance chart of
//! ../shared/conformance. `$CWD` in the expected text stands for the
//! folder the command runs in. Known deviations are listed, with reasons,
//! in tests/data/lint/known-failures.txt.

use std::path::{Path, PathBuf};
use std::process::Command;

fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/lint")
}

fn conformance_dir() -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut candidates = Vec::new();
    if let Ok(s) = std::env::var("CHARTROOM_SHARED") {
        candidates.push(PathBuf::from(s));
    }
    candidates.push(manifest.join("../../shared"));
    candidates.push(manifest.join("../../../shared"));
    candidates.into_iter().map(|p| p.join("conformance")).find(|p| p.join("cases.yaml").is_file())
}

/// Standard base64 (the fixtures carry chart archives as `base64:…`).
fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let bytes: Vec<u8> = s.bytes().filter(|&c| c != b'=').map(val).collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, &b)| acc | (b as u32) << (18 - 6 * i));
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

fn write_files(root: &Path, files: &serde_json::Value) {
    for (path, text) in files.as_object().expect("files") {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let text = text.as_str().expect("text");
        match text.strip_prefix("base64:") {
            Some(b) => std::fs::write(&p, base64_decode(b)).unwrap(),
            None => std::fs::write(&p, text).unwrap(),
        }
    }
}

#[test]
fn lint_matches_helm() {
    let text = std::fs::read_to_string(data().join("cases.json")).expect(
        "tests/data/lint/cases.json (regenerate with ~/.cache/helm-oracle-venv/bin/python scripts/gen_lint_cases.py)",
    );
    let cases: serde_json::Value = serde_json::from_str(&text).expect("json");
    let known_text = std::fs::read_to_string(data().join("known-failures.txt")).unwrap_or_default();
    let known: Vec<&str> = known_text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split(':').next().unwrap().trim())
        .collect();
    let conformance = conformance_dir();
    let tmp_root = std::env::temp_dir().join(format!("chartroom-lint-cases-{}", std::process::id()));
    let (mut passed, mut known_failed) = (0, 0);
    let mut failures = Vec::new();
    let mut fixed = Vec::new();
    for (i, c) in cases.as_array().expect("list").iter().enumerate() {
        let name = c["name"].as_str().unwrap();
        let cwd = if c["conformance"].as_bool() == Some(true) {
            conformance.clone().unwrap_or_else(|| {
                panic!("../shared/conformance not found (set CHARTROOM_SHARED to the shared folder) for {name}")
            })
        } else {
            let dir = tmp_root.join(i.to_string());
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
        let abs = cwd.to_string_lossy().into_owned();
        let stdout = String::from_utf8_lossy(&out.stdout).replace(&abs, "$CWD");
        let stderr = String::from_utf8_lossy(&out.stderr).replace(&abs, "$CWD");
        let ok = stdout == c["stdout"].as_str().unwrap()
            && stderr == c["stderr"].as_str().unwrap()
            && out.status.code() == c["exit"].as_i64().map(|e| e as i32);
        match (ok, known.contains(&name)) {
            (true, false) => passed += 1,
            (true, true) => fixed.push(name.to_string()),
            (false, true) => known_failed += 1,
            (false, false) => failures.push(format!(
                "{name} ({}):\n--- got (exit {:?}) ---\n{stdout}{stderr}--- want (exit {}) ---\n{}{}",
                args.join(" "),
                out.status.code(),
                c["exit"],
                c["stdout"].as_str().unwrap(),
                c["stderr"].as_str().unwrap()
            )),
        }
    }
    let _ = std::fs::remove_dir_all(&tmp_root);
    println!(
        "lint cases: {passed} passed, {known_failed} known failures, {} failed, of {}",
        failures.len(),
        cases.as_array().unwrap().len()
    );
    assert!(fixed.is_empty(), "listed as known failures but now pass (remove them): {fixed:?}");
    assert!(failures.is_empty(), "{} failing:\n{}", failures.len(), failures.join("\n"));
}

/// cobra's texts for `lint`: its help (pkg/cmd/lint.go's Use, Long and
/// flags) and require.MinimumNArgs(1).
#[test]
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
