//! Cross-check with the Extism reference host (python `extism` 1.1.1 = the
//! Rust SDK on wasmtime, from the oracle's venv): EVERY example plugin in
//! public/plugins runs on both hosts with the same input, and must end with
//! the same output, or the same class of error (trap kind, host refusal,
//! timeout, memory, instantiation, or the same guest message). Where the
//! hosts differ on purpose (Chartroom's own caps), the difference is listed
//! and asserted as such. Skipped (with a message) when that Python is not
//! available.
#![cfg(feature = "plugins")]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::rc::Rc;

use chartroom_engine::plugin::http::MockHttp;
use chartroom_engine::plugin::{self, getter, RunOptions};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn python() -> Option<PathBuf> {
    let p = std::env::var_os("CHARTROOM_EXTISM_PYTHON")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/helm-oracle-venv/bin/python")))?;
    let ok = Command::new(&p)
        .args(["-c", "import extism, yaml"])
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    ok.then_some(p)
}

struct Reference {
    ok: bool,
    output: Option<String>,
    output_len: u64,
    error: Option<String>,
    cause: Option<String>,
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
    Reference {
        ok: v["ok"] == true,
        output: v["output"].as_str().map(String::from),
        output_len: v["output_len"].as_u64().unwrap_or(0),
        error: v["error"].as_str().map(String::from),
        cause: v["cause"].as_str().map(String::from),
    }
}

fn ours(dir: &Path, input: &str, opts: &RunOptions) -> plugin::RunResult {
    let mut files = BTreeMap::new();
    for f in ["plugin.yaml", "plugin.wasm"] {
        files.insert(f.to_string(), std::fs::read(dir.join(f)).expect("built plugin (scripts/build-plugins.sh)"));
    }
    plugin::load(&files).expect("valid").invoke(input.as_bytes(), opts)
}

/// Chartroom's error text → a host-independent class.
fn our_class(e: &str) -> String {
    let g = e.strip_prefix("plugin error: ").unwrap_or(e);
    if e.starts_with("failed to create existing plugin: instantiating module: ") {
        "instantiate".into()
    } else if g.contains("memory limit exceeded") {
        "memory".into()
    } else if g == "module closed with context deadline exceeded" {
        "timeout".into()
    } else if let Some(t) = g.strip_prefix("wasm error: ") {
        format!("trap: {t}")
    } else if let Some(u) = g.strip_prefix("HTTP request to '").and_then(|r| r.strip_suffix("' is not allowed")) {
        format!("http denied: {u}")
    } else if g == "http: request body too large" {
        "http body too large".into()
    } else if g == "Variable store is full" {
        "vars full".into()
    } else if g.starts_with("host block limit exceeded") {
        "chartroom cap: host blocks".into()
    } else if g.starts_with("stdout/stderr limit exceeded") {
        "chartroom cap: stdio".into()
    } else {
        format!("guest: {g}")
    }
}

/// The reference host's error (and the cause from its log) → the class.
fn ref_class(r: &Reference) -> String {
    let e = r.error.as_deref().unwrap_or("");
    let cause = r.cause.as_deref().unwrap_or("");
    if e == "timeout" {
        "timeout".into()
    } else if e == "oom" {
        "memory".into()
    } else if e.starts_with("Unable to create Extism plugin: unknown import:") {
        "instantiate".into()
    } else if cause == "wasm trap: call stack exhausted" {
        "trap: stack overflow".into()
    } else if cause == "wasm trap: wasm `unreachable` instruction executed" {
        "trap: unreachable".into()
    } else if let Some(u) = cause.strip_prefix("HTTP request to ").and_then(|r| r.strip_suffix(" is not allowed")) {
        format!("http denied: {u}")
    } else if cause.starts_with("Response body exceeds") || cause.contains("exceeds the configured maximum") {
        "http body too large".into()
    } else if cause == "Variable store is full" {
        "vars full".into()
    } else if !e.starts_with("error while executing") {
        format!("guest: {e}")
    } else {
        format!("other: {cause}")
    }
}

/// A tiny HTTP server on 127.0.0.1 for the large-response plugin: GET
/// /bytes/N answers N bytes of `x`. Runs until the test process exits.
fn serve_bytes() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let mut conn = conn;
            let mut req = Vec::new();
            let mut buf = [0u8; 1024];
            while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                match conn.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => req.extend_from_slice(&buf[..n]),
                }
            }
            let line = String::from_utf8_lossy(&req).lines().next().unwrap_or("").to_string();
            let n: usize = line
                .split(' ')
                .nth(1)
                .and_then(|p| p.strip_prefix("/bytes/"))
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            let _ = write!(conn, "HTTP/1.1 200 OK\r\nContent-Length: {n}\r\nConnection: close\r\n\r\n");
            let _ = conn.write_all(&vec![b'x'; n]);
        }
    });
    port
}

const CM: &str = r#"{"manifests":"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    postrenderer.helm.sh/postrender-filename: c/templates/cm.yaml\n","extraArgs":["team=a"]}"#;
const PRIV: &str = r#"{"manifests":"kind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - securityContext:\n      privileged: true\n","extraArgs":[]}"#;

/// How a case must compare.
enum Expect {
    /// Same output, or the same error class.
    Same,
    /// A deliberate difference: (our class, the reference's class) and why.
    Differs(&'static str, &'static str, &'static str),
}

#[test]
fn same_outcome_as_extism_reference_host() {
    let Some(py) = python() else {
        eprintln!(
            "SKIP: no Python with the `extism` package (set CHARTROOM_EXTISM_PYTHON or run the oracle's setup.sh)"
        );
        return;
    };
    let scratch = std::env::temp_dir().join(format!("chartroom-plugin-ref-{}", std::process::id()));
    // A plugin dir variant: the built wasm with another plugin.yaml.
    let variant = |name: &str, base: &str, yaml: String| -> PathBuf {
        let d = scratch.join(name);
        std::fs::create_dir_all(&d).expect("scratch");
        std::fs::copy(root().join("public/plugins").join(base).join("plugin.wasm"), d.join("plugin.wasm"))
            .expect("copy");
        std::fs::write(d.join("plugin.yaml"), yaml).expect("yaml");
        d
    };
    let head = |n: &str| format!("apiVersion: v1\ntype: cli/v1\nname: {n}\nversion: 0.1.0\nruntime: extism/v1\n");
    let tmp_ok = variant(
        "tmp-write-ok",
        "tmp-write",
        head("tmp-write") + "runtimeConfig:\n  fileSystem:\n    createTempDir: true\n",
    );
    // The reference host cannot cap stdout: a timeout ends its run instead.
    let flood_stdout = variant(
        "flood-stdout",
        "output-flood",
        head("output-flood") + "runtimeConfig:\n  timeout: 3000\n  config:\n    mode: stdout\n",
    );
    let port = serve_bytes();
    let large = |name: &str, n: usize| {
        let url = format!("http://127.0.0.1:{port}/bytes/{n}");
        let yaml = head("large-response") + &format!("runtimeConfig:\n  allowedHosts: [127.0.0.1]\n  memory:\n    maxHttpResponseBytes: 1024\n  config:\n    url: {url}\n");
        (variant(name, "large-response", yaml), MockHttp::default().with(&url, 200, &vec![b'x'; n]))
    };
    let (large_over, mock_over) = large("large-over", 4096);
    let (large_fits, mock_fits) = large("large-fits", 1024);

    let p = |n: &str| root().join("public/plugins").join(n);
    let get =
        |href: &str| getter::input_message(href, &getter::GetterOptions { url: href.into(), ..Default::default() });
    let plain = RunOptions::default();
    let with_http = |m: MockHttp| RunOptions { http: Some(Rc::new(m)), ..Default::default() };
    let env =
        RunOptions { env: plugin::cli::helm_env(&[("HOME".into(), "/home/u".into())], "helm"), ..Default::default() };
    let cases: Vec<(&str, PathBuf, String, RunOptions, Expect)> = vec![
        ("add-labels", p("add-labels"), CM.into(), plain.clone(), Expect::Same),
        ("no-privileged ok", p("no-privileged"), CM.into(), plain.clone(), Expect::Same),
        ("no-privileged reject", p("no-privileged"), PRIV.into(), plain.clone(), Expect::Same),
        ("tight-loop", p("tight-loop"), CM.into(), plain.clone(), Expect::Same),
        ("memory-bomb", p("memory-bomb"), CM.into(), plain.clone(), Expect::Same),
        ("denied-host", p("denied-host"), "{}".into(), plain.clone(), Expect::Same),
        ("var-overflow", p("var-overflow"), "{}".into(), plain.clone(), Expect::Same),
        ("tmp-write without createTempDir", p("tmp-write"), "{}".into(), plain.clone(), Expect::Same),
        ("tmp-write with createTempDir", tmp_ok, "hello".into(), plain.clone(), Expect::Same),
        ("trap", p("trap"), "{}".into(), plain.clone(), Expect::Same),
        ("getter index.yaml", p("getter"), get("example://repo/index.yaml"), plain.clone(), Expect::Same),
        ("getter missing", p("getter"), get("example://repo/nope"), plain.clone(), Expect::Same),
        ("list-tmp readdir", p("list-tmp"), get("tmp://x/y"), plain.clone(), Expect::Same),
        ("hello-cli", p("hello-cli"), r#"{"extraArgs":["a","b"]}"#.into(), env, Expect::Same),
        ("deep-recursion", p("deep-recursion"), "{}".into(), plain.clone(), Expect::Same),
        (
            "output-flood output_set",
            p("output-flood"),
            r#"{"extraArgs":[]}"#.into(),
            plain.clone(),
            Expect::Differs("chartroom cap: host blocks", "ok", "Chartroom holds at most 64 MiB of host blocks; the Rust SDK returns the 128 MiB output"),
        ),
        (
            "output-flood stdout",
            flood_stdout,
            r#"{"extraArgs":[]}"#.into(),
            plain.clone(),
            Expect::Differs("chartroom cap: stdio", "timeout", "Chartroom captures at most 16 MiB of stdio; the Rust SDK discards it, so only the timeout ends the call"),
        ),
        ("undeclared-host-fn", p("undeclared-host-fn"), "{}".into(), plain.clone(), Expect::Same),
        ("large-response over", large_over, "{}".into(), with_http(mock_over), Expect::Same),
        ("large-response fits", large_fits, "{}".into(), with_http(mock_fits), Expect::Same),
        ("compute", p("compute"), r#"{"extraArgs":["100000"]}"#.into(), plain.clone(), Expect::Same),
        ("compute bad N", p("compute"), r#"{"extraArgs":["ten"]}"#.into(), plain.clone(), Expect::Same),
        ("as-add-annotation", p("as-add-annotation"), CM.into(), plain.clone(), Expect::Same),
        // Other toolchains (plugins/<name>, scripts/build-toolchain-plugins.sh).
        ("go-wasip1 (Go 1.23, _start)", root().join("plugins/go-wasip1"), r#"{"extraArgs":["b","a","c d"]}"#.into(), plain.clone(), Expect::Same),
        ("go-wasip1 bad input", root().join("plugins/go-wasip1"), "not json".into(), plain.clone(), Expect::Same),
        ("c-wc (clang + wasi-libc)", root().join("plugins/c-wc"), CM.into(), plain.clone(), Expect::Same),
        ("c-wc bad input", root().join("plugins/c-wc"), "[]".into(), plain.clone(), Expect::Same),
        ("js-quickjs (QuickJS + wasi-libc)", root().join("plugins/js-quickjs"), r#"{"extraArgs":["b","a","c d!x"]}"#.into(), plain.clone(), Expect::Same),
        ("js-quickjs throws", root().join("plugins/js-quickjs"), r#"{"extraArgs":3}"#.into(), plain.clone(), Expect::Same),
        ("as-add-annotation bad arg", p("as-add-annotation"), r#"{"manifests":"a: 1\n","extraArgs":["x"]}"#.into(), plain.clone(), Expect::Same),
    ];
    // Every built example plugin is covered.
    // (by plugin.yaml `name:`, which variants keep)
    let name_of = |d: &PathBuf| {
        std::fs::read_to_string(d.join("plugin.yaml"))
            .ok()
            .and_then(|y| y.lines().find_map(|l| l.strip_prefix("name: ").map(str::to_string)))
    };
    let mut covered: Vec<String> = cases.iter().filter_map(|(_, d, ..)| name_of(d)).collect();
    covered.sort();
    covered.dedup();
    let mut built: Vec<String> = std::fs::read_dir(root().join("public/plugins"))
        .expect("public/plugins")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    built.sort();
    // (the toolchain-built plugins in plugins/<name> are covered too)
    covered.retain(|n| built.contains(n));
    assert_eq!(covered, built, "every public/plugins/<name> needs a cross-check case");

    let mut diffs = Vec::new();
    for (name, dir, input, opts, expect) in cases {
        let r = reference(&py, &dir, &input);
        let o = ours(&dir, &input, &opts);
        let our_out = String::from_utf8_lossy(&o.output).into_owned();
        let oc = o.error_text().map(our_class).unwrap_or_else(|| "ok".into());
        let rc = if r.ok { "ok".to_string() } else { ref_class(&r) };
        eprintln!("{name:<34} chartroom: {oc:<28} reference: {rc}");
        match expect {
            Expect::Same => {
                if oc != rc {
                    diffs.push(format!(
                        "{name}: chartroom {oc:?} ({:?}), reference {rc:?} ({:?} / {:?})",
                        o.error, r.error, r.cause
                    ));
                } else if r.ok && r.output.as_deref() != Some(our_out.as_str()) {
                    diffs.push(format!("{name}: outputs differ: chartroom {our_out:?}, reference {:?}", r.output));
                }
            }
            Expect::Differs(want_ours, want_ref, why) => {
                if (oc.as_str(), rc.as_str()) != (want_ours, want_ref) {
                    diffs.push(format!("{name}: expected the documented difference ({want_ours} vs {want_ref}: {why}), got {oc} vs {rc}"));
                }
                if want_ref == "ok" && r.output_len != 128 << 20 {
                    diffs.push(format!("{name}: the reference output is {} bytes, expected 128 MiB", r.output_len));
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}
