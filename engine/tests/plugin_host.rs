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

fn load_bytes(wasm: Vec<u8>, yaml: &str) -> plugin::Plugin {
    let mut files = BTreeMap::new();
    files.insert("plugin.yaml".to_string(), yaml.as_bytes().to_vec());
    files.insert("plugin.wasm".to_string(), wasm);
    plugin::load(&files).expect("load")
}

fn run_bytes(wasm: Vec<u8>, yaml: &str) -> RunResult {
    let p = load_bytes(wasm, yaml);
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
        r.error_text(),
        Some("failed to create existing plugin: instantiating module: module[env] not instantiated")
    );
    let r = run_wat(
        r#"(module (import "extism:host/user" "helm_get_values" (func)) (func (export "helm_plugin_main") (result i32) (i32.const 0)))"#,
        YAML,
    );
    assert_eq!(
        r.error_text(),
        Some("failed to create existing plugin: instantiating module: module[extism:host/user] not instantiated")
    );
}

#[test]
fn unknown_env_function_fails_instantiation() {
    let r = run_wat(
        r#"(module (import "extism:host/env" "helm_magic" (func)) (func (export "helm_plugin_main") (result i32) (i32.const 0)))"#,
        YAML,
    );
    let e = r.error_text().unwrap_or_default().to_string();
    assert!(e.starts_with("failed to create existing plugin: instantiating module: "), "{e}");
}

#[test]
fn not_wasm() {
    let r = run_bytes(b"\0asm\x01\0\0\0garbage".to_vec(), YAML);
    assert!(
        r.error_text().unwrap_or("").starts_with("failed to create existing plugin: compiling module: "),
        "{:?}",
        r.error
    );
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
    assert_eq!(r.error_text(), Some("plugin error: wasm error: stack overflow"));
}

#[test]
fn declared_memory_over_limit() {
    // helm-4.2: wazero rejects a memory whose minimum is over the limit.
    let y = format!("{YAML}runtimeConfig:\n  memory:\n    maxPages: 50\n");
    let r = run_wat(r#"(module (memory 100) (func (export "helm_plugin_main") (result i32) (i32.const 0)))"#, &y);
    assert_eq!(
        r.error_text(),
        Some("failed to create existing plugin: section memory: min 100 pages (6 Mi) over limit of 50 pages (3 Mi)")
    );
    // documented: one budget over all memories and host blocks.
    let p = load_bytes(
        wat::parse_str(r#"(module (memory 30) (func (export "helm_plugin_main") (result i32) (i32.const 0)))"#)
            .unwrap(),
        &format!("{YAML}runtimeConfig:\n  memory:\n    maxPages: 30\n"),
    );
    let r = p.invoke(&[b'x'; 65536], &RunOptions { profile: plugin::Profile::Documented, ..Default::default() });
    assert_eq!(
        r.error_text(),
        Some("plugin error: memory limit exceeded: the host could not allocate a 65536-byte block (memory.maxPages: 30 pages, counted over all memories)")
    );
    // helm-4.2: the same call fits (the kernel's blocks have their own cap).
    let r = p.invoke(&[b'x'; 65536], &RunOptions::default());
    assert_eq!(r.error, None);
}

#[test]
fn max_pages_caps_each_memory_and_the_kernel() {
    // 30 pages of guest memory + 40 pages of host blocks: over 50 in total,
    // but each under 50, as with wazero's per-memory limit.
    let y = format!("{YAML}runtimeConfig:\n  memory:\n    maxPages: 50\n");
    let wat = r#"(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "output_set" (func $oset (param i64 i64)))
  (memory (export "memory") 30)
  (func (export "helm_plugin_main") (result i32)
    (call $oset (call $alloc (i64.const 2621440)) (i64.const 1))
    ;; the guest memory may grow to 50 pages, not past
    (if (i32.ne (memory.grow (i32.const 20)) (i32.const 30)) (then unreachable))
    (if (i32.ne (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))
    (i32.const 0)))"#;
    let r = run_wat(wat, &y);
    assert_eq!(r.error, None);
    assert_eq!(r.output, vec![0]);
    // A kernel block past 50 pages is refused.
    let r = run_wat(&wat.replace("2621440", "3342336"), &y);
    assert!(
        r.error_text().unwrap_or("").contains(
            "could not allocate a 3342336-byte block (memory.maxPages: 50 pages, per memory, as wazero in Helm 4.2)"
        ),
        "{:?}",
        r.error
    );
    // maxPages below the kernel's own 16 pages fails every plugin.
    let r = run_wat(ECHO, &format!("{YAML}runtimeConfig:\n  memory:\n    maxPages: 8\n"));
    assert_eq!(
        r.error_text(),
        Some("failed to create existing plugin: section memory: min 16 pages (1 Mi) over limit of 8 pages (512 Ki) (memory.maxPages applies to each memory, and the Extism kernel's memory starts at 16 pages)")
    );
}

#[test]
fn webassembly_2_features_as_in_wazero() {
    // SIMD, bulk memory, sign extension, multi-value, reference types,
    // non-trapping float-to-int: all accepted (wazero CoreFeaturesV2).
    let r = run_wat(
        r#"(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $st (param i64 i32)))
  (import "extism:host/env" "output_set" (func $oset (param i64 i64)))
  (memory (export "memory") 1)
  (table 2 funcref)
  (func $two (result i32 i32) (i32.const 3) (i32.const 4))
  (func (export "helm_plugin_main") (result i32)
    (local $h i64) (local $v i32)
    (memory.fill (i32.const 0) (i32.const 7) (i32.const 16))
    (v128.store (i32.const 16) (i8x16.add (v128.load (i32.const 0)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)))
    (local.set $v (i32.add (i32.load8_u (i32.const 16)) (i32.extend8_s (i32.const 0x80))))
    (local.set $v (i32.add (local.get $v) (i32.trunc_sat_f32_s (f32.const 1e30))))
    (drop (ref.is_null (table.get (i32.const 0))))
    (call $two) (i32.add) (local.get $v) (i32.add) (local.set $v)
    (local.set $h (call $alloc (i64.const 4)))
    (call $st (local.get $h) (local.get $v))
    (call $oset (local.get $h) (i64.const 1))
    (i32.const 0)))"#,
        YAML,
    );
    assert_eq!(r.error, None);
    // 8 - 128 + i32::MAX + 7, low byte: (8 - 128 + 7 - 1) mod 256
    assert_eq!(r.output, vec![((8i32 - 128).wrapping_add(i32::MAX).wrapping_add(7) & 0xff) as u8]);
}

#[test]
fn proposals_wazero_lacks_are_named() {
    let tail = r#"(module (func $f (result i32) (return_call $f)) (func (export "helm_plugin_main") (result i32) (i32.const 0)))"#;
    let r = run_wat(tail, YAML);
    let e = r.error_text().unwrap_or_default().to_string();
    assert!(e.starts_with("failed to create existing plugin: compiling module: the module uses the WebAssembly tail-call proposal, which neither Helm's runtime (wazero 1.12, WebAssembly 2.0) nor Chartroom supports"), "{e}");
    let mm = r#"(module (memory 1) (memory 1) (func (export "helm_plugin_main") (result i32) (i32.const 0)))"#;
    let e = run_wat(mm, YAML).error_text().unwrap_or_default().to_string();
    assert!(e.contains("the WebAssembly multi-memory proposal"), "{e}");
}

/// Functions are translated lazily, on first call: translating one whose
/// fuel does not fit in the current slice must resume, not fail.
#[test]
fn lazy_translation_resumes_across_fuel_slices() {
    let body = "(drop (i32.const 7))".repeat(30_000);
    let wat = format!(
        r#"(module
  (func $big (result i32) {body} (i32.const 5))
  (func (export "helm_plugin_main") (result i32) (i32.sub (call $big) (i32.const 5))))"#
    );
    let p = load_bytes(wat::parse_str(&wat).unwrap(), YAML);
    let r = p.invoke(b"", &RunOptions { fuel_slice: 10_000, ..Default::default() });
    assert_eq!((r.rc, r.error), (0, None));
    // A small budget: the budget's message, never a bare out-of-fuel trap.
    let r = p.invoke(b"", &RunOptions { fuel_slice: 10_000, fuel_budget: Some(20_000), ..Default::default() });
    assert!(r.error_text().unwrap_or("").starts_with("plugin error: fuel budget exhausted"), "{:?}", r.error);
}

#[test]
fn start_function_runs_under_the_call_limits() {
    // The start function sets the global the entry returns.
    let r = run_wat(
        r#"(module
  (global $g (mut i32) (i32.const 0))
  (func $init (global.set $g (i32.const 42)))
  (start $init)
  (func (export "helm_plugin_main") (result i32) (global.get $g)))"#,
        YAML,
    );
    assert_eq!(r.rc, 42);
    // A start function that never ends hits the fuel budget (run_bytes
    // gives 50M), as a resumable, sliced call.
    let r = run_wat(
        r#"(module
  (func $spin (loop $l (br $l)))
  (start $spin)
  (func (export "helm_plugin_main") (result i32) (i32.const 0)))"#,
        YAML,
    );
    assert!(r.error_text().unwrap_or("").starts_with("plugin error: fuel budget exhausted"), "{:?}", r.error);
    // ... and the deadline.
    let p = load_bytes(
        wat::parse_str(r#"(module (func $spin (loop $l (br $l))) (start $spin) (func (export "helm_plugin_main") (result i32) (i32.const 0)))"#).unwrap(),
        &format!("{YAML}runtimeConfig:\n  timeout: 50\n"),
    );
    let r = p.invoke(b"", &RunOptions::default());
    assert_eq!(r.error_text(), Some("plugin error: module closed with context deadline exceeded"));
}

/// fd_readdir layout, cookies and `.`/`..` (as wasmtime's WASI p1), on the
/// preopen and on a directory opened with O_DIRECTORY.
#[test]
fn readdir_on_preopen_and_opened_directory() {
    let wat = r#"(module
  (import "wasi_snapshot_preview1" "path_create_directory" (func $mkdir (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_readdir" (func $readdir (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_get" (func $fstat (param i32 i32) (result i32)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $st (param i64 i32)))
  (import "extism:host/env" "output_set" (func $oset (param i64 i64)))
  (memory (export "memory") 1)
  (data (i32.const 0) "sub")
  (data (i32.const 8) "sub/f.txt")
  (func $out (param $p i32) (param $n i32)
    (local $h i64) (local $i i32)
    (local.set $h (call $alloc (i64.extend_i32_u (local.get $n))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (call $st (i64.add (local.get $h) (i64.extend_i32_u (local.get $i))) (i32.load8_u (i32.add (local.get $p) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (call $oset (local.get $h) (i64.extend_i32_u (local.get $n))))
  (func (export "helm_plugin_main") (result i32)
    (if (call $mkdir (i32.const 3) (i32.const 0) (i32.const 3)) (then (return (i32.const 101))))
    ;; create sub/f.txt (O_CREAT)
    (if (call $open (i32.const 3) (i32.const 0) (i32.const 8) (i32.const 9) (i32.const 1) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 100)) (then (return (i32.const 102))))
    ;; open sub with O_DIRECTORY -> fd at 104
    (if (call $open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 3) (i32.const 2) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 104)) (then (return (i32.const 103))))
    ;; fd_filestat_get on it: filetype at +16 must be 3 (directory)
    (if (call $fstat (i32.load (i32.const 104)) (i32.const 200)) (then (return (i32.const 104))))
    (if (i32.ne (i32.load8_u (i32.const 216)) (i32.const 3)) (then (return (i32.const 105))))
    ;; O_DIRECTORY on a file: ENOTDIR (54)
    (if (i32.ne (call $open (i32.const 3) (i32.const 0) (i32.const 8) (i32.const 9) (i32.const 2) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 108)) (i32.const 54)) (then (return (i32.const 106))))
    ;; list the opened dir from cookie 0, then the preopen from cookie 2 (skips . and ..)
    (if (call $readdir (i32.load (i32.const 104)) (i32.const 1000) (i32.const 1000) (i64.const 0) (i32.const 300)) (then (return (i32.const 107))))
    (if (call $readdir (i32.const 3) (i32.add (i32.const 1000) (i32.load (i32.const 300))) (i32.const 1000) (i64.const 2) (i32.const 304)) (then (return (i32.const 108))))
    (call $out (i32.const 1000) (i32.add (i32.load (i32.const 300)) (i32.load (i32.const 304))))
    (i32.const 0)))"#;
    let y = format!("{YAML}runtimeConfig:\n  fileSystem:\n    createTempDir: true\n");
    let r = run_wat(wat, &y);
    assert_eq!((r.rc, &r.error), (0, &None));
    // Parse the dirents: (d_next, d_namlen, d_type, name).
    let mut got = Vec::new();
    let b = &r.output;
    let mut i = 0;
    while i + 24 <= b.len() {
        let next = u64::from_le_bytes(b[i..i + 8].try_into().unwrap());
        let len = u32::from_le_bytes(b[i + 16..i + 20].try_into().unwrap()) as usize;
        let ty = b[i + 20];
        let name = String::from_utf8_lossy(&b[i + 24..i + 24 + len]).into_owned();
        got.push((next, ty, name));
        i += 24 + len;
    }
    assert_eq!(i, b.len());
    assert_eq!(
        got,
        vec![(1, 3, ".".to_string()), (2, 3, "..".to_string()), (3, 4, "f.txt".to_string()), (3, 3, "sub".to_string()),]
    );
    // A buffer too small for every entry is filled completely (libc asks
    // again with a larger one).
    let r = run_wat(
        &wat.replace(
            "(i32.const 1000) (i32.const 1000) (i64.const 0)",
            "(i32.const 1000) (i32.const 30) (i64.const 0)",
        ),
        &y,
    );
    assert_eq!(r.error, None);
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
    assert_eq!(r.error_text(), Some("plugin error: plugin exited with code 28 and set no error message"));
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
    assert_eq!(r.error_text(), Some("plugin error: module closed with exit_code(3)"));
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
    assert_eq!(chartroom_engine::gofmt::base64::decode_std(b"aGVsbG8gd29ybGQ=").as_deref(), Ok(&b"hello world"[..]));
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
    assert_eq!(r.error_text(), Some("plugin error: output_set(12345, 10) does not point into a block the host holds"));
}

/// The kernel's memory functions (wasm functions of the kernel module since
/// issue 18) at and past their bounds. Expected values from the Extism
/// reference host (python `extism` 1.1.1, scripts/extism_reference.py) on
/// the same module and input: the last 8 input bytes, 0 one byte further,
/// the last byte, 0 at the length; a stored word and byte read back; the
/// block length, 0 once freed; 0 for a load far outside the kernel memory.
#[test]
fn kernel_memory_functions_at_their_bounds() {
    let wasm = wat::parse_str(KERNEL_BOUNDS).expect("valid WAT");
    let r = load_bytes(wasm, YAML).invoke(b"0123456789", &RunOptions::default());
    assert_eq!(r.error, None);
    let words: Vec<u64> = r.output.chunks(8).map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes"))).collect();
    assert_eq!(words, vec![0x3938373635343332, 0, 0x39, 0, 0x0102030405060708, 0x41, 16, 0, 0]);
}

const KERNEL_BOUNDS: &str = r#"(module
  (import "extism:host/env" "input_length" (func $ilen (result i64)))
  (import "extism:host/env" "input_load_u8" (func $ild8 (param i64) (result i32)))
  (import "extism:host/env" "input_load_u64" (func $ild64 (param i64) (result i64)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "free" (func $free (param i64)))
  (import "extism:host/env" "length" (func $len (param i64) (result i64)))
  (import "extism:host/env" "load_u8" (func $ld8 (param i64) (result i32)))
  (import "extism:host/env" "load_u64" (func $ld64 (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $st8 (param i64 i32)))
  (import "extism:host/env" "store_u64" (func $st64 (param i64 i64)))
  (import "extism:host/env" "output_set" (func $oset (param i64 i64)))
  (memory (export "memory") 1)
  (func (export "helm_plugin_main") (result i32)
    (local $n i64) (local $h i64) (local $o i64)
    (local.set $n (call $ilen))
    (local.set $h (call $alloc (i64.const 16)))
    (call $st64 (local.get $h) (i64.const 0x0102030405060708))
    (call $st8 (i64.add (local.get $h) (i64.const 8)) (i32.const 0x41))
    (local.set $o (call $alloc (i64.const 72)))
    (call $st64 (local.get $o) (call $ild64 (i64.sub (local.get $n) (i64.const 8))))
    (call $st64 (i64.add (local.get $o) (i64.const 8)) (call $ild64 (i64.sub (local.get $n) (i64.const 7))))
    (call $st64 (i64.add (local.get $o) (i64.const 16)) (i64.extend_i32_u (call $ild8 (i64.sub (local.get $n) (i64.const 1)))))
    (call $st64 (i64.add (local.get $o) (i64.const 24)) (i64.extend_i32_u (call $ild8 (local.get $n))))
    (call $st64 (i64.add (local.get $o) (i64.const 32)) (call $ld64 (local.get $h)))
    (call $st64 (i64.add (local.get $o) (i64.const 40)) (i64.extend_i32_u (call $ld8 (i64.add (local.get $h) (i64.const 8)))))
    (call $st64 (i64.add (local.get $o) (i64.const 48)) (call $len (local.get $h)))
    (call $free (local.get $h))
    (call $st64 (i64.add (local.get $o) (i64.const 56)) (call $len (local.get $h)))
    (call $st64 (i64.add (local.get $o) (i64.const 64)) (i64.extend_i32_u (call $ld8 (i64.const 0x10000000000))))
    (call $oset (local.get $o) (i64.const 72))
    (i32.const 0)))"#;

/// The kernel's per-byte functions give the same answers whether a plugin
/// calls them directly (the host inlines those calls into the plugin) or
/// through a table (the imports, linked to host functions): Extism's kernel
/// bounds (blocks from address 8 up, loads and stores anywhere in the
/// kernel memory, input reads within the input), and stores below address
/// 8 do not reach the input's address and length the inlined code keeps
/// there.
#[test]
fn kernel_functions_direct_and_through_a_table() {
    let wat = r#"(module
  (type $l8 (func (param i64) (result i32)))
  (type $l64 (func (param i64) (result i64)))
  (type $s8 (func (param i64 i32)))
  (type $s64 (func (param i64 i64)))
  (type $n (func (result i64)))
  (import "extism:host/env" "load_u8" (func $load_u8 (type $l8)))
  (import "extism:host/env" "load_u64" (func $load_u64 (type $l64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (type $s8)))
  (import "extism:host/env" "store_u64" (func $store_u64 (type $s64)))
  (import "extism:host/env" "input_length" (func $ilen (type $n)))
  (import "extism:host/env" "input_offset" (func $ioff (type $n)))
  (import "extism:host/env" "input_load_u8" (func $ild8 (type $l8)))
  (import "extism:host/env" "input_load_u64" (func $ild64 (type $l64)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "output_set" (func $oset (param i64 i64)))
  (memory (export "memory") 1)
  (table 8 funcref)
  (elem (i32.const 0) $load_u8 $load_u64 $store_u8 $store_u64 $ilen $ioff $ild8 $ild64)
  (global $acc (mut i64) (i64.const 0))
  (func $v (param i64) (global.set $acc (i64.add (i64.mul (global.get $acc) (i64.const 31)) (local.get 0))))
  (func $v32 (param i32) (call $v (i64.extend_i32_u (local.get 0))))
  (func $l8 (param $t i32) (param $p i64) (result i32)
    (if (result i32) (local.get $t) (then (call_indirect (type $l8) (local.get $p) (i32.const 0))) (else (call $load_u8 (local.get $p)))))
  (func $l64 (param $t i32) (param $p i64) (result i64)
    (if (result i64) (local.get $t) (then (call_indirect (type $l64) (local.get $p) (i32.const 1))) (else (call $load_u64 (local.get $p)))))
  (func $s8 (param $t i32) (param $p i64) (param $x i32)
    (if (local.get $t) (then (call_indirect (type $s8) (local.get $p) (local.get $x) (i32.const 2))) (else (call $store_u8 (local.get $p) (local.get $x)))))
  (func $s64 (param $t i32) (param $p i64) (param $x i64)
    (if (local.get $t) (then (call_indirect (type $s64) (local.get $p) (local.get $x) (i32.const 3))) (else (call $store_u64 (local.get $p) (local.get $x)))))
  (func $len (param $t i32) (result i64)
    (if (result i64) (local.get $t) (then (call_indirect (type $n) (i32.const 4))) (else (call $ilen))))
  (func $off (param $t i32) (result i64)
    (if (result i64) (local.get $t) (then (call_indirect (type $n) (i32.const 5))) (else (call $ioff))))
  (func $i8 (param $t i32) (param $p i64) (result i32)
    (if (result i32) (local.get $t) (then (call_indirect (type $l8) (local.get $p) (i32.const 6))) (else (call $ild8 (local.get $p)))))
  (func $i64 (param $t i32) (param $p i64) (result i64)
    (if (result i64) (local.get $t) (then (call_indirect (type $l64) (local.get $p) (i32.const 7))) (else (call $ild64 (local.get $p)))))
  (func $run (param $t i32) (local $h i64)
    (call $v (call $len (local.get $t)))
    (call $v (call $off (local.get $t)))
    (call $v32 (call $i8 (local.get $t) (i64.const 0)))
    (call $v32 (call $i8 (local.get $t) (i64.const 9)))
    (call $v32 (call $i8 (local.get $t) (i64.const 10)))
    (call $v32 (call $i8 (local.get $t) (i64.const -1)))
    (call $v (call $i64 (local.get $t) (i64.const 0)))
    (call $v (call $i64 (local.get $t) (i64.const 2)))
    (call $v (call $i64 (local.get $t) (i64.const 3)))
    (local.set $h (call $alloc (i64.const 16)))
    (call $s64 (local.get $t) (local.get $h) (i64.const 0x1122334455667788))
    (call $v (call $l64 (local.get $t) (local.get $h)))
    (call $v32 (call $l8 (local.get $t) (i64.add (local.get $h) (i64.const 1))))
    (call $s8 (local.get $t) (i64.add (local.get $h) (i64.const 15)) (i32.const 0xab))
    (call $v32 (call $l8 (local.get $t) (i64.add (local.get $h) (i64.const 15))))
    (call $v32 (call $l8 (local.get $t) (i64.const 7)))
    (call $v (call $l64 (local.get $t) (i64.const 0)))
    (call $v32 (call $l8 (local.get $t) (i64.const 65535)))
    (call $v32 (call $l8 (local.get $t) (i64.const 65536)))
    (call $v (call $l64 (local.get $t) (i64.const 65528)))
    (call $v (call $l64 (local.get $t) (i64.const 65529)))
    (call $s8 (local.get $t) (i64.const 4) (i32.const 9))
    (call $s64 (local.get $t) (i64.const 0) (i64.const -1))
    (call $v (call $len (local.get $t)))
    (call $v (call $off (local.get $t))))
  (func (export "helm_plugin_main") (result i32) (local $h i64)
    (call $run (i32.const 0))
    (local.set $h (call $alloc (i64.const 16)))
    (call $store_u64 (local.get $h) (global.get $acc))
    (global.set $acc (i64.const 0))
    (call $run (i32.const 1))
    (call $store_u64 (i64.add (local.get $h) (i64.const 8)) (global.get $acc))
    (call $oset (local.get $h) (i64.const 16))
    (i32.const 0)))"#;
    let p = load_bytes(wat::parse_str(wat).expect("WAT"), YAML);
    let r = p.invoke(b"0123456789", &RunOptions::default());
    assert_eq!(r.error, None);
    let word = |s: &[u8]| u64::from_le_bytes(s.try_into().unwrap());
    // The input is the first block (address 8); each run allocates one
    // 16-byte block; the kernel memory is one page.
    let expected = [
        10,
        8,
        u64::from(b'0'),
        u64::from(b'9'),
        0,
        0,
        word(b"01234567"),
        word(b"23456789"),
        0,
        0x1122334455667788,
        0x77,
        0xab,
        0,
        0,
        0,
        0,
        0,
        0,
        10,
        8,
    ]
    .iter()
    .fold(0u64, |acc, v| acc.wrapping_mul(31).wrapping_add(*v));
    assert_eq!(r.output.len(), 16, "{:?}", r.output);
    assert_eq!(word(&r.output[..8]), expected, "direct calls");
    assert_eq!(word(&r.output[8..]), expected, "through the table");
}
