//! The fuzz targets' bodies that need only the engine: the targets in
//! fuzz_targets/ call them, and engine/tests/fuzz_regressions.rs runs every
//! file of fuzz/regressions/ through the same function with stable Rust
//! (`#[path]`-included in both), so a finding stays fixed.
#![allow(dead_code)]

use std::collections::BTreeMap;

use chartroom_engine::api::{render_templates, RenderRequest};
use chartroom_engine::chart;
use chartroom_engine::chart::archive::{files_from_archive, load_archive};
use chartroom_engine::chart::schema::validate_against_single_schema;
use chartroom_engine::plugin::manifest;
use chartroom_engine::value::Map;
use chartroom_engine::{json, strvals, yaml};

/// The limits every fuzzed render runs under: tight, so that a hostile
/// template ends quickly in the engine's own error (and a run reaches a
/// million inputs in minutes, not hours).
///
/// `FUZZ_MAX_MEMORY=bytes` replaces the memory budget (to replay a corpus
/// with the native default, 1 GiB, while investigating memory).
pub fn fuzz_request() -> RenderRequest {
    RenderRequest {
        max_steps: Some(50_000),
        max_memory: Some(max_memory()),
        timeout_nanos: Some(1_000_000_000),
        seed: Some(1),
        now_unix_nanos: Some(0),
        ..RenderRequest::default()
    }
}

fn max_memory() -> u64 {
    use std::sync::OnceLock;
    static MAX: OnceLock<u64> = OnceLock::new();
    *MAX.get_or_init(|| std::env::var("FUZZ_MAX_MEMORY").ok().and_then(|v| v.parse().ok()).unwrap_or(8 << 20))
}

/// Renders `template` (and `values.yaml` text) as a chart's only template,
/// beside a helper define and a file; it must end in output or an error.
pub fn render(values: &str, template: &str) {
    let mut files = BTreeMap::new();
    files.insert("Chart.yaml".to_string(), b"apiVersion: v2\nname: c\nversion: 0.1.0\n".to_vec());
    files.insert("values.yaml".to_string(), values.as_bytes().to_vec());
    files.insert("templates/t.txt".to_string(), template.as_bytes().to_vec());
    files.insert("templates/_h.tpl".to_string(), b"{{ define \"h\" }}{{ . }}{{ end }}".to_vec());
    files.insert("files/a.txt".to_string(), b"hello\nworld\n".to_vec());
    let Ok(ch) = chart::load_files(&files) else { return };
    let _ = render_templates(&ch, &fuzz_request());
}

/// Any text as a template; a first line `#v:…` holds values.yaml text
/// (`\n` for newlines).
pub fn template(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (values, template) = match text.strip_prefix("#v:") {
        Some(rest) => rest.split_once('\n').unwrap_or((rest, "")),
        None => ("", text.as_ref()),
    };
    render(&values.replace("\\n", "\n"), template);
}

/// The YAML decoder and encoder: whatever decodes must encode, and the
/// encoding (sigs.k8s.io/yaml.Marshal's whole text: Helm's `toYaml` trims
/// its final newline, which a block scalar at the end of the document
/// needs) must decode to the same value (compared as JSON) and encode to
/// the same text again.
pub fn yaml(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = yaml::parse_all(&text);
    let _ = yaml::parse_typed(&text);
    let Ok(v) = yaml::parse(&text) else { return };
    let _ = yaml::to_yaml(&v);
    let _ = yaml::to_yaml_pretty(&v);
    let Ok(out) = yaml::marshal(&v) else { return };
    let again = yaml::parse(&out).unwrap_or_else(|e| panic!("re-decode of {out:?}: {e:?}"));
    if let (Ok(a), Ok(b)) = (json::to_json(&v), json::to_json(&again)) {
        // Helm's own round trip turns a negative zero into 0 (`-.0` decodes
        // to float64 -0; sigs.k8s.io/yaml writes `0`, an int: checked with
        // the oracle, toYaml of -0 is `0`), so the values are compared with
        // -0 as 0.
        assert_eq!(
            without_negative_zero(&a),
            without_negative_zero(&b),
            "decode → encode → decode changed the value (encoded as {out:?})"
        );
    }
    let out2 = yaml::marshal(&again).expect("re-encode");
    assert_eq!(out, out2, "round trip changed the document");
}

/// JSON text with each number `-0` (outside strings) written `0`.
fn without_negative_zero(json: &str) -> String {
    let b = json.as_bytes();
    let mut out = String::with_capacity(json.len());
    let (mut in_str, mut esc) = (false, false);
    for (i, c) in json.char_indices() {
        if in_str {
            match c {
                _ if esc => esc = false,
                '\\' => esc = true,
                '"' => in_str = false,
                _ => {}
            }
        } else if c == '"' {
            in_str = true;
        } else if c == '-'
            && b.get(i + 1) == Some(&b'0')
            && !b.get(i + 2).is_some_and(|d| d.is_ascii_digit() || matches!(d, b'.' | b'e' | b'E'))
        {
            continue;
        }
        out.push(c);
    }
    out
}

/// Helm's strvals grammar (`--set`, `--set-string`, `--set-json`, `--set-literal`).
pub fn strvals(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    let _ = strvals::parse(&s);
    let _ = strvals::parse_string(&s);
    let _ = strvals::parse_literal(&s);
    let _ = strvals::parse_json(&s, &mut Map::new());
    let _ = strvals::to_yaml(&s);
}

/// values.schema.json validation: the input is `SCHEMA\0VALUES-YAML`.
pub fn schema(data: &[u8]) {
    let (schema, values) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b"a: 1\nb: [x, 2]\n"[..]),
    };
    let Ok(v) = yaml::parse(&String::from_utf8_lossy(values)) else { return };
    let _ = validate_against_single_schema(&v, schema);
}

/// The chart archive reader (gzip + tar, Helm's path and size checks).
pub fn archive(data: &[u8]) {
    let _ = files_from_archive(data);
    let _ = load_archive(data);
}

/// plugin.yaml parsing (Helm 4 plugin metadata, v1 and legacy).
pub fn plugin_yaml(data: &[u8]) {
    let _ = manifest::parse(&String::from_utf8_lossy(data));
}

/// Runs a module as an extism/v1 postrenderer under tight limits (fuel,
/// a deadline, `max_pages` of memory): it must end with an output or a
/// `RunResult::error`, never a panic or an abort.
pub fn plugin_run(wasm: Vec<u8>, input: &[u8], max_pages: u32, timeout_ms: u64) {
    use chartroom_engine::plugin::{load, RunOptions};
    let yaml = format!(
        "apiVersion: v1\ntype: postrenderer/v1\nname: fz\nversion: 0.1.0\nruntime: extism/v1\n\
         runtimeConfig:\n  timeout: {timeout_ms}\n  memory:\n    maxPages: {max_pages}\n    \
         maxHttpResponseBytes: 1024\n    maxVarBytes: 1024\n  allowedHosts: []\n  config:\n    k: v\n"
    );
    let mut files = BTreeMap::new();
    files.insert("plugin.yaml".to_string(), yaml.into_bytes());
    files.insert("plugin.wasm".to_string(), wasm);
    let plugin = match load(&files) {
        Ok(p) => p,
        Err(e) => panic!("the fuzz harness's plugin.yaml does not load: {e}"),
    };
    let opts = RunOptions { fuel_budget: Some(200_000), fuel_slice: 20_000, ..RunOptions::default() };
    let _ = plugin.invoke(input, &opts);
}

/// A plugin_host regression: the module's bytes, run with 4 pages and 50 ms.
pub fn plugin_wasm(data: &[u8]) {
    plugin_run(data.to_vec(), b"input", 4, 50);
}

/// Prints one line to stderr after an input (`FUZZ_RSS=1`): the process's
/// resident memory, its peak since the last line (/proc/self/status's
/// VmHWM, reset through /proc/self/clear_refs: this input's own peak) and
/// the bytes malloc has handed out and not had back (glibc's `mallinfo2`),
/// so a replay of a corpus in one process shows whether memory builds up
/// across inputs (held by the program: in use grows; kept by the allocator:
/// RSS grows) or one input's peak is high.
pub fn report_memory() {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |key: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|r| r.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    eprintln!("mem {n} rss_kb {} hwm_kb {} in_use_kb {}", kb("VmRSS:"), kb("VmHWM:"), malloc_in_use() / 1024);
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn malloc_in_use() -> u64 {
    #[repr(C)]
    struct Mallinfo2 {
        arena: usize,
        ordblks: usize,
        smblks: usize,
        hblks: usize,
        hblkhd: usize,
        usmblks: usize,
        fsmblks: usize,
        uordblks: usize,
        fordblks: usize,
        keepcost: usize,
    }
    extern "C" {
        fn mallinfo2() -> Mallinfo2;
    }
    // SAFETY: glibc's mallinfo2 takes no arguments and returns a struct of
    // this layout (malloc.h).
    let m = unsafe { mallinfo2() };
    (m.uordblks + m.hblkhd) as u64
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn malloc_in_use() -> u64 {
    0
}

/// The harness for a target's name (the regression files' prefix).
pub fn by_name(target: &str) -> Option<fn(&[u8])> {
    Some(match target {
        "template" => template,
        "yaml" => yaml,
        "strvals" => strvals,
        "schema" => schema,
        "archive" => archive,
        "plugin_yaml" => plugin_yaml,
        "plugin_host" => plugin_wasm,
        _ => return None,
    })
}
