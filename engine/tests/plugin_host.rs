//! The host against hand-written (hostile or unusual) modules: nothing a
//! plugin does may panic, hang or exhaust the host; each case gets Helm's
//! message (or ours where Helm has none).
#![cfg(feature = "plugins")]

use std::collections::BTreeMap;

use chartroom_engine::plugin::{self, Decision, RunOptions, RunResult};

const YAML: &str = "apiVersion: v1\ntype: cli/v1\nname: t\nversion: 0.1.0\nruntime: extism/v1\n";

fn run_wat(wat_src: &str, yaml: &str) -> RunResult {
    let wasm = wat::parse_str(wat_src).expect("valid WAT");
    run_bytes(wasm, yaml)
}

fn run_bytes(wasm: Vec<u8>, yaml: &str) -> RunResult {
    let mut files = BTreeMap::new();
    files.insert("plugin.yaml".to_string(), yaml.as_bytes().to_vec());
    files.insert("plugin.wasm".to_string(), wasm);
    let p = plugin::load(&files).expect("load");
    p.invoke(b"{\"x\":1}", &RunOptions { fuel_budget: Some(50_000_000), ..Default::default() })
}

/// A module whose entry copies the input to the output via the kernel.
const ECHO: &str = r#"(module
  (import "extism:host/env" "input_length" (func $ilen (result i64)))
  (import "extism:host/env" "input_offset" (func $ioff (result i64)))
  (import "extism:host/env" "output_set" (func $oset (param i64 i64)))
  (memory (export "memory") 1)
  (func (export "helm_plugin_main") (result i32)
    (call $oset (call $ioff) (call $ilen))
    (i32.const 0)))"#;

#[test]
fn echo_through_the_kernel() {
    let r = run_wat(ECHO, YAML);
    assert_eq!(r.error, None);
    assert_eq!(r.output, b"{\"x\":1}");
    assert_eq!(r.summary.peak_pages, 2); // 1 page of memory + the input block
}

#[test]
fn unknown_import_module() {
    let r = run_wat(
        r#"(module (import "env" "foo" (func)) (func (export "helm_plugin_main") (result i32) (i32.const 0)))"#,
        YAML,
    );
    assert_eq!(
        r.error.as_deref(),
        Some("failed to create existing plugin: instantiating module: module[env] not instantiated")
    );
    let r = run_wat(
        r#"(module (import "extism:host/user" "helm_get_values" (func)) (func (export "helm_plugin_main") (result i32) (i32.const 0)))"#,
        YAML,
    );
    assert_eq!(
        r.error.as_deref(),
        Some("failed to create existing plugin: instantiating module: module[extism:host/user] not instantiated")
    );
}

#[test]
fn unknown_env_function_fails_instantiation() {
    let r = run_wat(
        r#"(module (import "extism:host/env" "helm_magic" (func)) (func (export "helm_plugin_main") (result i32) (i32.const 0)))"#,
        YAML,
    );
    let e = r.error.unwrap_or_default();
    assert!(e.starts_with("failed to create existing plugin: instantiating module: "), "{e}");
}

#[test]
fn not_wasm() {
    let r = run_bytes(b"\0asm\x01\0\0\0garbage".to_vec(), YAML);
    assert!(
        r.error.as_deref().unwrap_or("").starts_with("failed to create existing plugin: compiling module: "),
        "{:?}",
        r.error
    );
}

#[test]
fn start_function_is_refused() {
    let r =
        run_wat(r#"(module (func $s) (start $s) (func (export "helm_plugin_main") (result i32) (i32.const 0)))"#, YAML);
    assert!(r.error.as_deref().unwrap_or("").starts_with("failed to create existing plugin: "), "{:?}", r.error);
}

#[test]
fn huge_alloc_returns_null() {
    let r = run_wat(
        r#"(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (func (export "helm_plugin_main") (result i32)
    (i32.wrap_i64 (call $alloc (i64.const 4294967295)))))"#,
        YAML,
    );
    // alloc returned 0 (refused); rc 0 and no error message → success.
    assert_eq!(r.error, None);
    assert_eq!(r.rc, 0);
    assert!(r.log.denied().any(|e| e.call == "kernel.alloc"));
}

#[test]
fn stack_overflow_traps() {
    let r = run_wat(
        r#"(module (func $f (call $f)) (func (export "helm_plugin_main") (result i32) (call $f) (i32.const 0)))"#,
        YAML,
    );
    assert_eq!(r.error.as_deref(), Some("plugin error: wasm error: stack overflow"));
}

#[test]
fn declared_memory_over_limit() {
    let y = format!("{YAML}runtimeConfig:\n  memory:\n    maxPages: 50\n");
    let r = run_wat(r#"(module (memory 100) (func (export "helm_plugin_main") (result i32) (i32.const 0)))"#, &y);
    assert_eq!(
        r.error.as_deref(),
        Some("failed to create existing plugin: memory limit exceeded: the module needs 100 pages at instantiation, memory.maxPages is 50 (counted over all memories)")
    );
    // Two memories share the budget.
    let r = run_wat(
        r#"(module (memory 30) (memory 30) (func (export "helm_plugin_main") (result i32) (i32.const 0)))"#,
        &y,
    );
    assert!(r.error.as_deref().unwrap_or("").contains("the module needs 60 pages"), "{:?}", r.error);
}

#[test]
fn random_get_out_of_bounds_is_einval() {
    let r = run_wat(
        r#"(module
  (import "wasi_snapshot_preview1" "random_get" (func $rg (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "helm_plugin_main") (result i32)
    (call $rg (i32.const 0) (i32.const 2147483647))))"#,
        YAML,
    );
    assert_eq!(r.rc, 28); // EINVAL, returned as the exit code
    assert_eq!(r.error.as_deref(), Some("plugin error: plugin exited with code 28 and set no error message"));
}

#[test]
fn proc_exit_codes() {
    let src = |code: i32| {
        format!(
            r#"(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "extism:host/env" "input_length" (func $ilen (result i64)))
  (import "extism:host/env" "input_offset" (func $ioff (result i64)))
  (import "extism:host/env" "output_set" (func $oset (param i64 i64)))
  (func (export "helm_plugin_main") (result i32)
    (call $oset (call $ioff) (call $ilen))
    (call $exit (i32.const {code}))
    (i32.const 0)))"#
        )
    };
    let r = run_wat(&src(3), YAML);
    assert_eq!(r.error.as_deref(), Some("plugin error: module closed with exit_code(3)"));
    let r = run_wat(&src(0), YAML);
    assert_eq!(r.error, None);
    assert_eq!(r.output, b"{\"x\":1}");
}

#[test]
fn unimplemented_wasi_is_enosys_and_logged() {
    let r = run_wat(
        r#"(module
  (import "wasi_snapshot_preview1" "sock_accept" (func $sa (param i32 i32 i32) (result i32)))
  (func (export "helm_plugin_main") (result i32)
    (call $sa (i32.const 0) (i32.const 0) (i32.const 0))))"#,
        YAML,
    );
    assert_eq!(r.rc, 52);
    let ev = r.log.events.iter().find(|e| e.call == "wasi_snapshot_preview1.sock_accept").expect("logged");
    assert_eq!(ev.decision, Decision::Denied);
}

#[test]
fn entry_signatures() {
    let r = run_wat(r#"(module (func (export "helm_plugin_main") (param i32) (result i32) (i32.const 0)))"#, YAML);
    assert!(r.error.is_some());
    // Go plugins may return uint64: the low 32 bits are the rc.
    let r = run_wat(r#"(module (func (export "helm_plugin_main") (result i64) (i64.const 0x100000000)))"#, YAML);
    assert_eq!((r.rc, r.error), (0, None));
    let r = run_wat(r#"(module (func (export "helm_plugin_main")))"#, YAML);
    assert_eq!((r.rc, r.error), (0, None));
}

#[test]
fn reactor_initialize_runs_first() {
    // _initialize stores 7 in a global; the entry returns it as rc.
    let r = run_wat(
        r#"(module (global $g (mut i32) (i32.const 0))
  (func (export "_initialize") (global.set $g (i32.const 7)))
  (func (export "helm_plugin_main") (result i32) (global.get $g)))"#,
        YAML,
    );
    assert_eq!(r.rc, 7);
}

#[test]
fn getter_messages() {
    use chartroom_engine::plugin::getter::{self, GetterOptions};
    let o = GetterOptions { url: "s3://b/c.tgz".into(), timeout_ns: 120_000_000_000, ..Default::default() };
    assert_eq!(
        getter::input_message("s3://b/c.tgz", &o),
        r#"{"href":"s3://b/c.tgz","protocol":"s3","options":{"URL":"s3://b/c.tgz","CertFile":"","KeyFile":"","CAFile":"","UNTar":false,"InsecureSkipVerifyTLS":false,"PlainHTTP":false,"AcceptHeader":"","Username":"","Password":"","PassCredentialsAll":false,"UserAgent":"","Version":"","Timeout":120000000000}}"#
    );
    assert_eq!(getter::base64_decode("aGVsbG8gd29ybGQ=").as_deref(), Ok(&b"hello world"[..]));
    // A getter that echoes its input returns no `data` string: empty artifact.
    let yaml =
        "apiVersion: v1\ntype: getter/v1\nname: g\nversion: 0.1.0\nruntime: extism/v1\nconfig:\n  protocols: [s3]\n";
    let mut files = BTreeMap::new();
    files.insert("plugin.yaml".to_string(), yaml.as_bytes().to_vec());
    files.insert("plugin.wasm".to_string(), wat::parse_str(ECHO).expect("wat"));
    let p = plugin::load(&files).expect("load");
    let (r, data) = getter::run(&p, "s3://b/c.tgz", &o, &RunOptions::default());
    assert_eq!(r.error, None);
    assert_eq!(data, Ok(Vec::new()));
}

#[test]
fn output_outside_any_block_is_an_error() {
    let r = run_wat(
        r#"(module
  (import "extism:host/env" "output_set" (func $out (param i64 i64)))
  (func (export "helm_plugin_main") (result i32)
    (call $out (i64.const 12345) (i64.const 10)) (i32.const 0)))"#,
        YAML,
    );
    assert_eq!(
        r.error.as_deref(),
        Some("plugin error: output_set(12345, 10) does not point into a block the host holds")
    );
}
