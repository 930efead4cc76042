//! Cross-check with the Extism reference host (python `extism` 1.1.1 = the
//! Rust SDK on wasmtime, from the oracle's venv): the same plugin and input
//! must succeed with the same output, or fail, on both hosts. Skipped (with
//! a message) when that Python is not available.
#![cfg(feature = "plugins")]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chartroom_engine::plugin::{self, RunOptions};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn python() -> Option<PathBuf> {
    let p = std::env::var_os("CHARTROOM_EXTISM_PYTHON")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/helm-oracle-venv/bin/python")))?;
    let ok = Command::new(&p).args(["-c", "import extism, yaml"]).stderr(Stdio::null()).status().map(|s| s.success()).unwrap_or(false);
    ok.then_some(p)
}

struct Reference {
    ok: bool,
    output: Option<String>,
    error: Option<String>,
}

fn reference(py: &Path, dir: &Path, input: &str) -> Reference {
    let mut child = Command::new(py)
        .arg(root().join("scripts/extism_reference.py"))
        .arg(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn python");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write");
    let out = child.wait_with_output().expect("python");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("reference JSON");
    Reference { ok: v["ok"] == true, output: v["output"].as_str().map(String::from), error: v["error"].as_str().map(String::from) }
}

fn ours(dir: &Path, input: &str) -> plugin::RunResult {
    let mut files = BTreeMap::new();
    for f in ["plugin.yaml", "plugin.wasm"] {
        files.insert(f.to_string(), std::fs::read(dir.join(f)).expect("built plugin (scripts/build-plugins.sh)"));
    }
    plugin::load(&files).expect("valid").invoke(input.as_bytes(), &RunOptions::default())
}

const CM: &str = r#"{"manifests":"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    postrenderer.helm.sh/postrender-filename: c/templates/cm.yaml\n","extraArgs":["team=a"]}"#;
const PRIV: &str = r#"{"manifests":"kind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - securityContext:\n      privileged: true\n","extraArgs":[]}"#;

#[test]
fn same_outcome_as_extism_reference_host() {
    let Some(py) = python() else {
        eprintln!("SKIP: no Python with the `extism` package (set CHARTROOM_EXTISM_PYTHON or run the oracle's setup.sh)");
        return;
    };
    // A tmp-write variant with createTempDir, in a scratch dir.
    let scratch = std::env::temp_dir().join(format!("chartroom-plugin-ref-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch");
    std::fs::copy(root().join("public/plugins/tmp-write/plugin.wasm"), scratch.join("plugin.wasm")).expect("copy");
    std::fs::write(
        scratch.join("plugin.yaml"),
        "apiVersion: v1\ntype: cli/v1\nname: tmp-write\nversion: 0.1.0\nruntime: extism/v1\nruntimeConfig:\n  fileSystem:\n    createTempDir: true\n",
    )
    .expect("yaml");
    let p = |n: &str| root().join("public/plugins").join(n);
    let cases: Vec<(&str, PathBuf, &str)> = vec![
        ("add-labels", p("add-labels"), CM),
        ("no-privileged ok", p("no-privileged"), CM),
        ("no-privileged reject", p("no-privileged"), PRIV),
        ("tight-loop", p("tight-loop"), CM),
        ("memory-bomb", p("memory-bomb"), CM),
        ("denied-host", p("denied-host"), "{}"),
        ("var-overflow", p("var-overflow"), "{}"),
        ("tmp-write without createTempDir", p("tmp-write"), "{}"),
        ("tmp-write with createTempDir", scratch.clone(), "hello"),
        ("trap", p("trap"), "{}"),
    ];
    let mut diffs = Vec::new();
    for (name, dir, input) in cases {
        let r = reference(&py, &dir, input);
        let o = ours(&dir, input);
        let our_out = String::from_utf8_lossy(&o.output).into_owned();
        match (r.ok, o.error.as_deref()) {
            (true, None) if r.output.as_deref() == Some(our_out.as_str()) => {}
            (false, Some(e)) => {
                // Guest-set error messages must agree (traps and host
                // refusals are worded per host).
                if let Some(re) = &r.error {
                    if !re.starts_with("error while executing") && re != "timeout" && re != "oom" && e != format!("plugin error: {re}") {
                        diffs.push(format!("{name}: reference error {re:?}, ours {e:?}"));
                    }
                }
            }
            _ => diffs.push(format!("{name}: reference ok={} out={:?} err={:?}; ours out={our_out:?} err={:?}", r.ok, r.output, r.error, o.error)),
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}
