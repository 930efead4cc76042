//! Every example plugin (sources in plugins/<name>, built into
//! public/plugins/<name> by scripts/build-plugins.sh) run natively through
//! the host, with the exact outcome and message for each.
#![cfg(feature = "plugins")]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::rc::Rc;

use chartroom_engine::plugin::http::MockHttp;
use chartroom_engine::plugin::{self, Decision, Plugin, Profile, RunOptions, RunResult};

fn dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../public/plugins").join(name)
}

fn read(p: PathBuf) -> Vec<u8> {
    match std::fs::read(&p) {
        Ok(b) => b,
        Err(e) => panic!("{}: {e} (run scripts/build-plugins.sh)", p.display()),
    }
}

fn load_with(name: &str, yaml: Option<&str>) -> Plugin {
    let d = dir(name);
    let mut files = BTreeMap::new();
    let y = yaml.map(|y| y.as_bytes().to_vec()).unwrap_or_else(|| read(d.join("plugin.yaml")));
    files.insert("plugin.yaml".to_string(), y);
    files.insert("plugin.wasm".to_string(), read(d.join("plugin.wasm")));
    match plugin::load(&files) {
        Ok(p) => p,
        Err(e) => panic!("{name}: {e}"),
    }
}

fn load(name: &str) -> Plugin {
    load_with(name, None)
}

const CM: &str = r#"{"manifests":"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n","extraArgs":[]}"#;

fn run(p: &Plugin, input: &str) -> RunResult {
    p.invoke(input.as_bytes(), &RunOptions::default())
}

fn denied(r: &RunResult) -> Vec<(String, String)> {
    r.log.denied().map(|e| (e.call.clone(), e.rule.clone())).collect()
}

#[test]
fn add_labels_output() {
    let r = run(&load("add-labels"), CM);
    assert_eq!(r.error, None);
    assert_eq!(
        String::from_utf8_lossy(&r.output),
        r#"{"manifests":"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    chartroom.dev/post-rendered: \"true\"\n  name: x\n"}"#
    );
    assert!(denied(&r).is_empty());
    // config_get was the only capability used.
    assert!(r.log.events.iter().any(|e| e.call == "extism:host/env.config_get" && e.args == "key=label"));
}

#[test]
fn no_privileged_rejects() {
    let p = load("no-privileged");
    let ok = run(&p, CM);
    assert_eq!(ok.error, None);
    let bad = r#"{"manifests":"apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    postrenderer.helm.sh/postrender-filename: c/templates/pod.yaml\n  name: root-pod\nspec:\n  containers:\n  - name: a\n    securityContext:\n      privileged: true\n","extraArgs":[]}"#;
    let r = run(&p, bad);
    assert_eq!(
        r.error_text(),
        Some("plugin error: policy violation: root-pod in c/templates/pod.yaml runs a privileged container")
    );
    assert_eq!(r.rc, -1);
}

#[test]
fn tight_loop_hits_timeout() {
    let r = run(&load("tight-loop"), CM);
    assert_eq!(r.error_text(), Some("plugin error: module closed with context deadline exceeded"));
    let ev = r.log.events.iter().find(|e| e.call == "limit.timeout").expect("timeout event");
    assert_eq!(ev.rule, "timeout=200ms");
    let ms: f64 = ev.args.trim_start_matches("elapsed=").trim_end_matches("ms").parse().expect("elapsed");
    // Not before the deadline. How far past it the run stopped depends on the
    // machine's load, so the precision (target: within 10 %) is measured and
    // printed by scripts/bench-plugins.sh, not asserted here.
    assert!(ms >= 200.0, "stopped after {ms} ms, before the 200 ms deadline");
    assert!(r.summary.fuel_used > 0);
}

#[test]
fn fuel_budget() {
    let opts = RunOptions { fuel_budget: Some(5_000_000), timeout_ms: Some(60_000), ..Default::default() };
    let r = load("tight-loop").invoke(CM.as_bytes(), &opts);
    // The last few units stay unused when the next instruction costs more.
    let used = r.summary.fuel_used;
    assert!((4_999_000..=5_000_000).contains(&used), "{used}");
    assert_eq!(
        r.error_text(),
        Some(format!("plugin error: fuel budget exhausted: {used} fuel used, budget 5000000").as_str())
    );
    // The fuel budget is Chartroom's own limit (Helm has none).
    assert_eq!(r.error.as_ref().map(|e| e.kind), Some(chartroom_engine::error::Kind::Limit));
    assert_eq!(denied(&r), vec![("limit.fuel".to_string(), "fuel budget".to_string())]);
}

#[test]
fn memory_bomb_hits_max_pages() {
    let r = run(&load("memory-bomb"), CM);
    let e = r.error_text().unwrap_or_default().to_string();
    assert!(e.starts_with("plugin error: memory limit exceeded: memory.grow from "), "{e}");
    assert!(e.ends_with(" pages was refused (memory.maxPages: 64, per memory, as wazero in Helm 4.2); the guest then trapped: wasm error: unreachable"), "{e}");
    assert!(r.summary.peak_pages <= 64 && r.summary.peak_pages > 17, "{:?}", r.summary);
    assert_eq!(r.summary.max_pages, 64);
    assert_eq!(
        denied(&r),
        vec![("memory.grow".to_string(), "memory.maxPages=64 (per memory, as wazero in Helm 4.2)".to_string())]
    );
}

#[test]
fn denied_host() {
    let r = run(&load("denied-host"), r#"{"extraArgs":[]}"#);
    assert_eq!(
        r.error_text(),
        Some("plugin error: HTTP request to 'https://evil.example.com/exfiltrate' is not allowed")
    );
    assert_eq!(
        denied(&r),
        vec![(
            "extism:host/env.http_request".to_string(),
            "allowedHosts=[\"charts.example.com\", \"*.trusted.example.org\"]".to_string()
        )]
    );
    assert_eq!(r.summary.http_requests, 0);
}

const HOST_YAML: &str = "apiVersion: v1\ntype: cli/v1\nname: denied-host\nversion: 0.1.0\nruntime: extism/v1\nruntimeConfig:\n  allowedHosts: [charts.example.com, \"*.trusted.example.org\"]\n  memory:\n    maxHttpResponseBytes: 16\n  config:\n    url: URL\n";

#[test]
fn allowed_host_with_mock() {
    let mock = MockHttp::default()
        .with("https://charts.example.com/index.yaml", 200, b"apiVersion: v1\n")
        .with("https://a.b.trusted.example.org/x", 404, b"")
        .with("https://charts.example.com/big", 200, &[b'x'; 17]);
    let opts = RunOptions { http: Some(Rc::new(mock)), ..Default::default() };
    let p = load_with("denied-host", Some(&HOST_YAML.replace("URL", "https://charts.example.com/index.yaml")));
    let r = p.invoke(b"{}", &opts);
    assert_eq!(r.error, None);
    assert_eq!(String::from_utf8_lossy(&r.output), r#"{"status":200}"#);
    assert_eq!((r.summary.http_requests, r.summary.http_bytes), (1, 15));
    let ev = r.log.events.iter().find(|e| e.call == "extism:host/env.http_request").expect("event");
    assert_eq!(
        (ev.decision, ev.rule.as_str(), ev.args.as_str()),
        (Decision::Allowed, "allowedHosts: charts.example.com", "GET https://charts.example.com/index.yaml")
    );

    let p = load_with("denied-host", Some(&HOST_YAML.replace("URL", "https://a.b.trusted.example.org/x")));
    let r = p.invoke(b"{}", &opts);
    assert_eq!(String::from_utf8_lossy(&r.output), r#"{"status":404}"#);

    let p = load_with("denied-host", Some(&HOST_YAML.replace("URL", "https://charts.example.com/big")));
    let r = p.invoke(b"{}", &opts);
    assert_eq!(r.error_text(), Some("plugin error: http: request body too large"));

    // Helm 4.2's effective default: maxHttpResponseBytes 0 → any body fails.
    let p = load_with(
        "denied-host",
        Some(
            &HOST_YAML
                .replace("URL", "https://charts.example.com/index.yaml")
                .replace("maxHttpResponseBytes: 16", "maxPages: 100"),
        ),
    );
    let r = p.invoke(b"{}", &opts);
    assert_eq!(r.error_text(), Some("plugin error: http: request body too large"));
    // The documented default (4096 bytes) lets it through.
    let r = p.invoke(b"{}", &RunOptions { profile: Profile::Documented, ..opts.clone() });
    assert_eq!(r.error, None, "{:?}", r.error);
}

#[test]
fn var_overflow() {
    let r = run(&load("var-overflow"), "{}");
    assert_eq!(r.error_text(), Some("plugin error: Variable store is full"));
    // 3 entries of key (2) + value (1024) + 40 bytes overhead fit; the 4th does not.
    assert_eq!(r.summary.var_bytes, 3 * (2 + 1024 + 40));
    assert_eq!(denied(&r), vec![("extism:host/env.var_set".to_string(), "memory.maxVarBytes=4096".to_string())]);
    // Helm 4.2's default maxVarBytes 0 disables vars.
    let p =
        load_with("var-overflow", Some("apiVersion: v1\ntype: cli/v1\nname: v\nversion: 0.1.0\nruntime: extism/v1\n"));
    let r = run(&p, "{}");
    assert_eq!(r.error_text(), Some("plugin error: Vars are disabled by this host"));
    // A fresh instance per call: the same result again (nothing kept).
    assert_eq!(run(&p, "{}").error, r.error);
}

#[test]
fn tmp_write_needs_create_temp_dir() {
    let r = run(&load("tmp-write"), "{}");
    assert_eq!(r.error_text(), Some("plugin error: write /tmp/greeting.txt: No such file or directory (os error 44)"));
    assert_eq!(r.rc, -1);
    assert_eq!(
        denied(&r),
        vec![(
            "wasi_snapshot_preview1.fd_prestat_get".to_string(),
            "no filesystem: fileSystem.createTempDir is false".to_string()
        )]
    );
    let p = load_with("tmp-write", Some("apiVersion: v1\ntype: cli/v1\nname: tmp-write\nversion: 0.1.0\nruntime: extism/v1\nruntimeConfig:\n  fileSystem:\n    createTempDir: true\n"));
    let r = run(&p, "abcd");
    assert_eq!(r.error, None);
    assert_eq!(String::from_utf8_lossy(&r.output), r#"{"greeting":"hello 4"}"#);
    assert_eq!(String::from_utf8_lossy(&r.stdout), "wrote hello 4\n");
    assert_eq!(r.tmp_files.get("greeting.txt").map(|b| b.as_slice()), Some(&b"hello 4"[..]));
    assert!(denied(&r).is_empty(), "{:?}", denied(&r));
    // Each call starts with an empty /tmp.
    let r2 = run(&p, "abcd");
    assert_eq!(r2.tmp_files.len(), 1);
}

#[test]
fn trap() {
    let r = run(&load("trap"), "{}");
    assert_eq!(r.error_text(), Some("plugin error: wasm error: unreachable"));
}

#[test]
fn host_functions_and_entry() {
    let y = "apiVersion: v1\ntype: cli/v1\nname: t\nversion: 0.1.0\nruntime: extism/v1\nruntimeConfig:\n  hostFunctions: [helm_get_values]\n";
    let r = run(&load_with("trap", Some(y)), "{}");
    assert_eq!(r.error_text(), Some("plugin requested host function \"helm_get_values\" not found"));
    let y = "apiVersion: v1\ntype: cli/v1\nname: t\nversion: 0.1.0\nruntime: extism/v1\nruntimeConfig:\n  entryFuncName: nope\n";
    let r = run(&load_with("trap", Some(y)), "{}");
    assert_eq!(r.error_text(), Some("plugin error: unknown function: nope"));
}

#[test]
fn documented_profile_and_lint() {
    let p = load("add-labels");
    let r = p.invoke(CM.as_bytes(), &RunOptions { profile: Profile::Documented, ..Default::default() });
    assert_eq!(
        r.error_text(),
        Some("failed to create existing plugin: memory limit exceeded: the module needs 17 pages at instantiation, memory.maxPages is 4 (counted over all memories)")
    );
    let lint = p.lint();
    assert_eq!(lint.len(), 3, "{lint:?}");
    assert!(lint[0].starts_with("runtimeConfig.memory.maxPages is not set: Helm 4.2 applies no memory limit"));
    // memory-bomb sets maxPages and nothing HTTP/vars-related it uses.
    assert_eq!(load("memory-bomb").lint().len(), 2);
}

#[test]
fn wrong_input_is_a_guest_error() {
    let r = run(&load("add-labels"), "not json");
    let e = r.error_text().unwrap_or_default().to_string();
    assert!(e.starts_with("plugin error: expected ident at line 1 column 2"), "{e}");
}

#[test]
fn log_json_shape() {
    let r = run(&load("denied-host"), "{}");
    let j = r.to_json();
    let v: serde_json::Value = serde_json::from_str(&j).expect("valid JSON");
    assert_eq!(v["summary"]["max_pages"], 65536);
    assert_eq!(v["log"].as_array().map(|a| a.len()), Some(r.log.events.len()));
    let last = &v["log"][r.log.events.len() - 1];
    assert_eq!(last["decision"], "denied");
    assert_eq!(last["call"], "extism:host/env.http_request");
}

#[test]
fn cli_extra_args() {
    use chartroom_engine::plugin::cli;
    let args: Vec<String> = ["a", "--debug", "-n", "ns", "--kube-context=x", "--flag", "v", "--namespace"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(cli::extra_args(&args), vec!["a", "--flag", "v"]);
    let p = load("trap");
    assert_eq!(cli::input_message(&p, &args), r#"{"extraArgs":["a","--flag","v"]}"#);
    assert_eq!(cli::check_output(b"{}"), Ok(()));
    assert_eq!(
        cli::check_output(b"").unwrap_err(),
        "failed to json marshal plugin output message: reflect.Value: unexpected end of JSON input"
    );
}

const INDEX_YAML: &str = "apiVersion: v1\nentries:\n  hello:\n  - name: hello\n    version: 0.1.0\n    urls:\n    - example://repo/hello-0.1.0.tgz\ngenerated: \"2026-01-01T00:00:00Z\"\n";

#[test]
fn getter_serves_its_protocol() {
    use chartroom_engine::plugin::getter::{self, GetterOptions};
    let p = load("getter");
    let url = "example://repo/index.yaml";
    let (r, data) =
        getter::run(&p, url, &GetterOptions { url: url.into(), ..Default::default() }, &RunOptions::default());
    assert_eq!(r.error, None);
    assert_eq!(data.map(|b| String::from_utf8_lossy(&b).into_owned()), Ok(INDEX_YAML.to_string()));
    let url = "example://repo/nope";
    let (_, data) =
        getter::run(&p, url, &GetterOptions { url: url.into(), ..Default::default() }, &RunOptions::default());
    assert_eq!(
        data.map_err(|e| e.message),
        Err("plugin \"getter\" failed to invoke: plugin error: example getter: no artefact at example://repo/nope (try example://repo/index.yaml)".to_string())
    );
    // The protocol field is the URL's scheme.
    let url = "other://repo/index.yaml";
    let (_, data) = getter::run(&p, url, &GetterOptions::default(), &RunOptions::default());
    assert_eq!(
        data.map_err(|e| e.message),
        Err("plugin \"getter\" failed to invoke: plugin error: example getter: unsupported protocol \"other\""
            .to_string())
    );
}

fn helm_env() -> Vec<(String, String)> {
    let os = [("HOME", "/home/u"), ("PATH", "/bin"), ("HELM_NAMESPACE", "apps")];
    let os: Vec<(String, String)> = os.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    plugin::cli::helm_env(&os, "/usr/bin/helm")
}

const HELLO_STDOUT: &str =
    "hello from a Wasm cli plugin\nextraArgs: [\"a\", \"b\"]\nargv: 0 entries\nenv: 24 variables, HELM_* ones:
  HELM_BIN=/usr/bin/helm
  HELM_BURST_LIMIT=100
  HELM_CACHE_HOME=/home/u/.cache/helm
  HELM_CONFIG_HOME=/home/u/.config/helm
  HELM_CONTENT_CACHE=/home/u/.cache/helm/content
  HELM_DATA_HOME=/home/u/.local/share/helm
  HELM_DEBUG=false
  HELM_KUBEAPISERVER=
  HELM_KUBEASGROUPS=
  HELM_KUBEASUSER=
  HELM_KUBECAFILE=
  HELM_KUBECONTEXT=
  HELM_KUBEINSECURE_SKIP_TLS_VERIFY=false
  HELM_KUBETLS_SERVER_NAME=
  HELM_KUBETOKEN=
  HELM_MAX_HISTORY=10
  HELM_NAMESPACE=apps
  HELM_PLUGINS=/home/u/.local/share/helm/plugins
  HELM_QPS=0.00
  HELM_REGISTRY_CONFIG=/home/u/.config/helm/registry/config.json
  HELM_REPOSITORY_CACHE=/home/u/.cache/helm/repository
  HELM_REPOSITORY_CONFIG=/home/u/.config/helm/repositories.yaml
";

#[test]
fn hello_cli_prints_args_and_env() {
    let p = load("hello-cli");
    let args: Vec<String> = ["a", "--namespace", "x", "b"].iter().map(|s| s.to_string()).collect();
    let r = plugin::cli::run(&p, &args, &RunOptions { env: helm_env(), ..Default::default() });
    assert_eq!(r.error, None);
    assert_eq!(String::from_utf8_lossy(&r.stdout), HELLO_STDOUT);
    assert_eq!(String::from_utf8_lossy(&r.stderr), "hello-cli: this line went to stderr\n");
    assert_eq!(String::from_utf8_lossy(&r.output), "{}");
}

#[test]
fn deep_recursion_hits_call_stack_limit() {
    let r = run(&load("deep-recursion"), "{}");
    // wazero's text for wasmruntime.ErrRuntimeStackOverflow.
    assert_eq!(r.error_text(), Some("plugin error: wasm error: stack overflow"));
    assert_eq!(r.rc, 0);
}

#[test]
fn output_flood_stopped_by_host_caps() {
    use chartroom_engine::plugin::limits::MAX_HOST_BLOCK_BYTES;
    use chartroom_engine::plugin::wasi::MAX_CAPTURE_BYTES;
    // output_set of a 128 MiB block: the host refuses to hold it. Held so
    // far: the input (16 bytes) and the config value "output" (6 bytes).
    let r = run(&load("output-flood"), r#"{"extraArgs":[]}"#);
    assert_eq!(
        r.error_text(),
        Some("plugin error: host block limit exceeded: a 134217728-byte block was requested while 22 bytes are held; blocks kept by the host (input, output, config, vars, HTTP bodies) are capped at 67108864 bytes (64 MiB) per call (Chartroom limit, independent of memory.maxPages)")
    );
    assert_eq!(MAX_HOST_BLOCK_BYTES, 64 << 20);
    assert!(r.output.is_empty());
    assert_eq!(denied(&r), vec![("kernel.alloc".to_string(), "host block cap=67108864 bytes".to_string())]);
    // Unbounded stdout: the capture cap fails the call instead of looping.
    let y = "apiVersion: v1\ntype: cli/v1\nname: output-flood\nversion: 0.1.0\nruntime: extism/v1\nruntimeConfig:\n  config:\n    mode: stdout\n";
    let r = run(&load_with("output-flood", Some(y)), r#"{"extraArgs":[]}"#);
    assert_eq!(
        r.error_text(),
        Some("plugin error: stdout/stderr limit exceeded: the guest wrote more than 16777216 bytes (16 MiB) to stdout and stderr, the most Chartroom captures per call (Helm streams cli output to the terminal)")
    );
    assert_eq!(r.stdout.len(), MAX_CAPTURE_BYTES);
    assert!(r.stdout.iter().all(|&b| b == b'y'));
    assert_eq!(
        denied(&r),
        vec![("wasi_snapshot_preview1.fd_write".to_string(), "stdio capture cap=16777216 bytes".to_string())]
    );
}

#[test]
fn undeclared_host_fn_fails_instantiation() {
    let r = run(&load("undeclared-host-fn"), "{}");
    assert_eq!(
        r.error_text(),
        Some("failed to create existing plugin: instantiating module: module[extism:host/user] not instantiated")
    );
    assert_eq!(
        denied(&r),
        vec![("instantiate".to_string(), "only extism:host/env and wasi_snapshot_preview1 exist".to_string())]
    );
    // Nothing ran: no fuel used.
    assert_eq!(r.summary.fuel_used, 0);
}

#[test]
fn large_response_exceeds_max_http_response_bytes() {
    let url = "https://charts.example.com/big.tgz";
    let p = load("large-response");
    let big = MockHttp::default().with(url, 200, &[7u8; 4096]);
    let r = p.invoke(b"{}", &RunOptions { http: Some(Rc::new(big)), ..Default::default() });
    // go-sdk's http.MaxBytesReader panic text, as Helm shows it.
    assert_eq!(r.error_text(), Some("plugin error: http: request body too large"));
    let ev = r.log.events.iter().rev().find(|e| e.call == "extism:host/env.http_request").expect("event");
    assert_eq!(
        (ev.decision, ev.args.as_str(), ev.rule.as_str()),
        (Decision::Denied, "body=4096 bytes", "memory.maxHttpResponseBytes=1024")
    );
    // Exactly the limit passes.
    let fits = MockHttp::default().with(url, 200, &[7u8; 1024]);
    let r = p.invoke(b"{}", &RunOptions { http: Some(Rc::new(fits)), ..Default::default() });
    assert_eq!(r.error, None);
    assert_eq!(String::from_utf8_lossy(&r.output), r#"{"status":200,"bytes":1024}"#);
}

#[test]
fn compute_counts_primes() {
    let p = load("compute");
    // pi(10^5) = 9592, pi(10) = 4 (OEIS A006880).
    let r = plugin::cli::run(&p, &["100000".to_string()], &RunOptions::default());
    assert_eq!(r.error, None);
    assert_eq!(String::from_utf8_lossy(&r.output), r#"{"data":{"n":100000,"primes":9592}}"#);
    let r = plugin::cli::run(&p, &["10".to_string()], &RunOptions::default());
    assert_eq!(String::from_utf8_lossy(&r.output), r#"{"data":{"n":10,"primes":4}}"#);
    let r = plugin::cli::run(&p, &["ten".to_string()], &RunOptions::default());
    assert_eq!(r.error_text(), Some("plugin error: compute: N must be a number up to 100000000, got \"ten\""));
}

#[test]
fn as_add_annotation_assemblyscript() {
    let p = load("as-add-annotation");
    let input = r#"{"manifests":"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    postrenderer.helm.sh/postrender-filename: c/templates/cm.yaml\n  name: x\n---\nkind: Secret\nmetadata:\n  name: \"s<é>\"\n","extraArgs":[]}"#;
    let r = run(&p, input);
    assert_eq!(r.error, None);
    assert_eq!(
        String::from_utf8_lossy(&r.output),
        r#"{"manifests":"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    chartroom.dev/post-renderer: \"as-add-annotation\"\n    postrenderer.helm.sh/postrender-filename: c/templates/cm.yaml\n  name: x\n---\nkind: Secret\nmetadata:\n  annotations:\n    chartroom.dev/post-renderer: \"as-add-annotation\"\n  name: \"s\u003cé\u003e\"\n"}"#
    );
    let r = run(&p, r#"{"manifests":"a: 1\n","extraArgs":["team"]}"#);
    assert_eq!(r.error_text(), Some("plugin error: as-add-annotation: expected key=value, got \"team\""));
    assert_eq!(r.rc, 1);
    // Through the post-renderer contract: the host annotates, merges, sends,
    // then splits the result back per file and removes its annotation.
    let files: BTreeMap<String, String> =
        [("c/templates/a.yaml".to_string(), "kind: A\nmetadata:\n  name: a\n".to_string())].into();
    match plugin::postrender::run(&p, &files, &["team=web".to_string()], &RunOptions::default()) {
        Ok(out) => {
            let a = out.files.get("c/templates/a.yaml").cloned().unwrap_or_default();
            assert!(a.contains("  annotations:\n    team: \"web\"\n"), "{a}");
            assert!(!a.contains("postrender-filename"), "{a}");
        }
        Err((e, _)) => panic!("{e}"),
    }
}

/// The CLI entry points named in the docs: `plugin get` prints the
/// artefact bytes, `plugin run` shows the guest's stdout/stderr.
#[test]
fn cli_get_and_run() {
    use std::process::Command;
    let bin = env!("CARGO_BIN_EXE_chartroom");
    let out = Command::new(bin)
        .args(["plugin", "get"])
        .arg(dir("getter"))
        .arg("example://repo/index.yaml")
        .output()
        .expect("run chartroom");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), INDEX_YAML);
    let out = Command::new(bin)
        .env_clear()
        .envs([("HOME", "/home/u"), ("PATH", "/bin"), ("HELM_NAMESPACE", "apps")])
        .args(["plugin", "run"])
        .arg(dir("hello-cli"))
        .args(["--", "a", "b"])
        .output()
        .expect("run chartroom");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), HELLO_STDOUT.replace("/usr/bin/helm", bin));
    assert!(String::from_utf8_lossy(&out.stderr).contains("hello-cli: this line went to stderr\n"));
}

/// `--mock-http FILE` drives large-response from the command line.
#[test]
fn cli_large_response_with_mock_http_file() {
    use std::process::Command;
    let mock = std::env::temp_dir().join(format!("chartroom-mock-http-{}.yaml", std::process::id()));
    let body = "x".repeat(2048);
    std::fs::write(&mock, format!("https://charts.example.com/big.tgz:\n  status: 200\n  body: \"{body}\"\n"))
        .expect("mock file");
    let out = Command::new(env!("CARGO_BIN_EXE_chartroom"))
        .args(["plugin", "run"])
        .arg(dir("large-response"))
        .arg("--mock-http")
        .arg(&mock)
        .output()
        .expect("run chartroom");
    let _ = std::fs::remove_file(&mock);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.ends_with("Error: plugin error: http: request body too large\n"), "{err}");
}

/// The capability log's fuel column is the fuel the call has used up to
/// each event: never more than the summary's total and never decreasing
/// (issue 21: memory-bomb showed the 1,000,000 fuel slice in every
/// memory.grow row against a total of 91,096; denied-host went 0 → 100000
/// → 6548).
#[test]
fn log_fuel_is_cumulative_and_within_the_total() {
    let check = |name: &str, r: &RunResult| {
        let fuel: Vec<u64> = r.log.events.iter().map(|e| e.fuel).collect();
        assert!(!fuel.is_empty(), "{name}: events");
        assert!(fuel.windows(2).all(|w| w[0] <= w[1]), "{name}: fuel column not cumulative: {fuel:?}");
        let total = r.summary.fuel_used;
        assert!(fuel.iter().all(|f| *f <= total), "{name}: fuel column {fuel:?} above the total {total}");
    };
    check("memory-bomb", &run(&load("memory-bomb"), CM));
    check("denied-host", &run(&load("denied-host"), r#"{"extraArgs":[]}"#));
    let mock = MockHttp::default().with("https://charts.example.com/index.yaml", 200, b"apiVersion: v1\n");
    let p = load_with("denied-host", Some(&HOST_YAML.replace("URL", "https://charts.example.com/index.yaml")));
    let opts = RunOptions { http: Some(Rc::new(mock)), ..Default::default() };
    check("denied-host (allowed, mocked)", &p.invoke(b"{}", &opts));
}
