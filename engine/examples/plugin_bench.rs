//! Benchmarks of the example plugins on the wasmi host (printed, never
//! asserted):
//! 1. per plugin: module compile time, instantiate time (fresh store +
//!    instance + `_initialize` + input block: the call stops at a missing
//!    entry), and run time (a full Helm Invoke minus instantiation);
//! 2. wasmi vs wasmtime (the python `extism` reference host) on `compute`:
//!    same input, best of N, call time only;
//! 3. how far past its 200 ms deadline `tight-loop` actually stopped.
//!
//! usage: cargo run --profile native -p chartroom-engine --example plugin_bench [RUNS] [COMPUTE_N]
#[cfg(feature = "plugins")]
fn main() {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};
    use std::rc::Rc;
    use std::time::Instant;

    use chartroom_engine::plugin::http::MockHttp;
    use chartroom_engine::plugin::{self, cli, getter, Plugin, RunOptions};

    let runs: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(20).max(1);
    let compute_n: u64 = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(5_000_000);
    // CHARTROOM_BENCH_ONLY=per-plugin,compute,wall,compile,deadline runs
    // only those sections (e.g. under a profiler).
    let only = std::env::var("CHARTROOM_BENCH_ONLY").unwrap_or_default();
    let section = |s: &str| only.is_empty() || only.split(',').any(|o| o == s);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = root.join("public/plugins");
    // public/plugins/<name>, else plugins/<name> (the modules built by other
    // toolchains: scripts/build-toolchain-plugins.sh).
    let pdir = |name: &str| -> PathBuf {
        let d = dir.join(name);
        if d.exists() {
            d
        } else {
            root.join("plugins").join(name)
        }
    };
    let read = |name: &str, yaml: Option<String>| -> Option<Plugin> {
        let mut files = BTreeMap::new();
        for f in ["plugin.yaml", "plugin.wasm"] {
            match std::fs::read(pdir(name).join(f)) {
                Ok(b) => {
                    files.insert(f.to_string(), b);
                }
                Err(e) => {
                    eprintln!("{name}: {e} (run scripts/build-plugins.sh)");
                    return None;
                }
            }
        }
        if let Some(y) = yaml {
            files.insert("plugin.yaml".into(), y.into_bytes());
        }
        plugin::load(&files).map_err(|e| eprintln!("{name}: {e}")).ok()
    };
    // The same plugin with an entry that does not exist: invoke then stops
    // right after instantiation (+ guest init + input), measuring just that.
    let no_entry_yaml = |name: &str| -> Option<String> {
        let y = std::fs::read_to_string(pdir(name).join("plugin.yaml")).ok()?;
        Some(if let Some(l) = y.lines().find(|l| l.trim_start().starts_with("entryFuncName:")) {
            y.replace(l, "  entryFuncName: chartroom_bench_no_entry")
        } else if y.contains("\nruntimeConfig:\n") {
            y.replace("\nruntimeConfig:\n", "\nruntimeConfig:\n  entryFuncName: chartroom_bench_no_entry\n")
        } else {
            format!("{y}runtimeConfig:\n  entryFuncName: chartroom_bench_no_entry\n")
        })
    };
    let best_median = |p: &Plugin, input: &[u8], opts: &RunOptions, n: usize| -> (f64, f64) {
        let mut t: Vec<f64> = (0..n)
            .map(|_| {
                let s = Instant::now();
                let _ = p.invoke(input, opts);
                s.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        t.sort_by(|a, b| a.total_cmp(b));
        (t.first().copied().unwrap_or(0.0), t.get(t.len() / 2).copied().unwrap_or(0.0))
    };

    let cm = br#"{"manifests":"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n","extraArgs":[]}"#.to_vec();
    let cli_in =
        |args: &[&str]| format!("{{\"extraArgs\":{}}}", serde_json::to_string(args).unwrap_or_default()).into_bytes();
    let get_in = getter::input_message("example://repo/index.yaml", &getter::GetterOptions::default()).into_bytes();
    let http = MockHttp::default().with("https://charts.example.com/big.tgz", 200, &[b'x'; 4096]).with(
        "https://evil.example.com/exfiltrate",
        200,
        b"",
    );
    let base = RunOptions { http: Some(Rc::new(http)), ..Default::default() };
    let env = RunOptions { env: cli::helm_env(&[("HOME".into(), "/home/u".into())], "helm"), ..base.clone() };

    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names.extend(["go-wasip1", "c-wc", "js-quickjs"].map(String::from));
    if section("per-plugin") {
        println!("== per plugin, native wasmi ({runs} runs; median ms; tight-loop once)");
        println!(
            "{:<20} {:>8} {:>11} {:>13} {:>9} {:>10}  outcome",
            "plugin", "wasm KB", "compile ms", "instantiate", "run ms", "invoke ms"
        );
        for name in &names {
            let Some(p) = read(name, None) else { continue };
            let input: Vec<u8> = match name.as_str() {
                "getter" => get_in.clone(),
                "compute" => cli_in(&["1000000"]),
                "hello-cli" => cli_in(&["a", "b"]),
                n if n.contains("labels")
                    || n.contains("annotation")
                    || n == "no-privileged"
                    || n == "tight-loop"
                    || n == "memory-bomb" =>
                {
                    cm.clone()
                }
                _ => cli_in(&[]),
            };
            let opts = if name == "hello-cli" { env.clone() } else { base.clone() };
            let kb = p.wasm.len() as f64 / 1024.0;
            let first = p.invoke(&input, &opts); // compiles (eager) once, then instantiates + runs
            let n = if name == "tight-loop" { 1 } else { runs };
            let (_, invoke) = best_median(&p, &input, &opts, n);
            // Compile = the first no-entry call minus a later one.
            let (compile, inst) = match read(name, no_entry_yaml(name)) {
                Some(q) => {
                    let t = Instant::now();
                    let _ = q.invoke(&input, &opts);
                    let first_ms = t.elapsed().as_secs_f64() * 1e3;
                    let inst = best_median(&q, &input, &opts, runs).1;
                    (first_ms - inst, inst)
                }
                None => (f64::NAN, f64::NAN),
            };
            let outcome = first.error_text().unwrap_or("ok").to_string();
            println!(
                "{name:<20} {kb:>8.1} {compile:>11.2} {inst:>13.3} {:>9.3} {invoke:>10.3}  {}",
                (invoke - inst).max(0.0),
                outcome.chars().take(60).collect::<String>()
            );
        }
    }

    // wasmi vs wasmtime on the compute plugin.
    if section("compute") {
        println!("\n== compute (primes up to {compute_n}): wasmi (native) vs wasmtime (python extism reference), best of {runs}, call only");
        let input = cli_in(&[&compute_n.to_string()]);
        if let Some(p) = read("compute", None) {
            let r = p.invoke(&input, &base);
            let out = String::from_utf8_lossy(&r.output).into_owned();
            let (best, _) = best_median(&p, &input, &base, runs);
            let inst = read("compute", no_entry_yaml("compute"))
                .map(|q| best_median(&q, &input, &base, runs).0)
                .unwrap_or(0.0);
            let wasmi_ms = best - inst;
            println!(
                "wasmi    {wasmi_ms:>10.2} ms  (invoke {best:.2} ms incl. {inst:.3} ms instantiation; output {out})"
            );
            match reference_bench(&root, &dir.join("compute"), &input, runs) {
                Some(wt) => println!(
                    "wasmtime {wt:>10.2} ms  (warm Extism plugin, Plugin.call)\nratio    {:>10.1}x  (wasmi / wasmtime)",
                    wasmi_ms / wt
                ),
                None => {
                    println!("wasmtime: skipped (no Python with the `extism` package; set CHARTROOM_EXTISM_PYTHON)")
                }
            }
        }
    }

    // Whole Invokes against the reference host's wall time.
    if section("wall") {
        println!("\n== vs the reference host: wall time of a whole Invoke (load + instantiate + call; compiled module cached; best of {runs})");
        println!("{:<34} {:>12} {:>12} {:>7}  target", "plugin", "chartroom ms", "reference ms", "ratio");
        let scratch = std::env::temp_dir().join(format!("chartroom-plugin-bench-{}", std::process::id()));
        let mut wall_cases: Vec<(String, PathBuf, Vec<u8>, &str)> = Vec::new();
        // A plugin folder from WAT text.
        let wat_plugin = |name: &str, wat: &str| {
            let d = scratch.join(name);
            let _ = std::fs::create_dir_all(&d);
            let _ = std::fs::write(d.join("plugin.wasm"), wat::parse_str(wat).expect("WAT"));
            let _ = std::fs::write(
                d.join("plugin.yaml"),
                format!("apiVersion: v1\ntype: cli/v1\nname: {name}\nversion: 0.1.0\nruntime: extism/v1\n"),
            );
            d
        };
        // A C-PDK-style plugin that reads its input one input_load_u8 call
        // at a time: 200,000 host calls.
        let d = wat_plugin("host-calls", HOST_CALLS_WAT);
        wall_cases.push(("host-calls (200,000 input_load_u8)".into(), d, vec![b'x'; 200_000], "<= 1.5x"));
        // The same loop calling a function of its own module instead of
        // the kernel: the interpreter's floor for a call per byte.
        let d = wat_plugin("internal-calls", INTERNAL_CALLS_WAT);
        wall_cases.push(("same loop, calls within the module".into(), d, vec![b'x'; 200_000], "ratio only"));
        let d = wat_plugin("inline-loads", INLINE_LOADS_WAT);
        wall_cases.push(("same loop, loads inline".into(), d, vec![b'x'; 200_000], "ratio only"));
        // The same kind of loop in a real C plugin (clang + wasi-libc
        // reactor: libc init, malloc, snprintf, fd_write), followed by its
        // own byte-counting loop over the 200,000 bytes (`isspace` and a
        // hash per byte): compute-bound, so a ratio only.
        let mut c_in = b"{".to_vec();
        c_in.resize(200_000, b'x');
        wall_cases.push(("c-wc (C: 200,000 input_load_u8 + wc)".into(), root.join("plugins/c-wc"), c_in, "ratio only"));
        for (name, input) in [("add-labels", cm.clone()), ("getter", get_in.clone()), ("hello-cli", cli_in(&["a"]))] {
            wall_cases.push((name.into(), dir.join(name), input, "ratio only"));
        }
        // Third-party plugins (scripts/fetch_compat_plugins.sh): start-up heavy
        // ones (Go, JS/QuickJS, Haskell) are targeted.
        let compat = compat_dir(&root);
        if let Ok(list) = std::fs::read_to_string(root.join("engine/tests/data/compat/cases.tsv")) {
            for l in list.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
                let f: Vec<&str> = l.split('\t').collect();
                // name source member sha256 pdk type entry input bench
                if f.len() == 9 && f[8] == "bench" {
                    let d = match f[1].strip_prefix("repo:") {
                        Some(d) => root.join(d),
                        None => compat.join(f[0]),
                    };
                    wall_cases.push((format!("compat {} (start-up)", f[0]), d, f[7].as_bytes().to_vec(), "<= 1.5x"));
                }
            }
        }
        for (name, d, input, target) in &wall_cases {
            let files: BTreeMap<String, Vec<u8>> = ["plugin.yaml", "plugin.wasm"]
                .iter()
                .filter_map(|f| std::fs::read(d.join(f)).ok().map(|b| (f.to_string(), b)))
                .collect();
            let opts = if name == "hello-cli" { env.clone() } else { base.clone() };
            let once = || {
                let s = Instant::now();
                let r = plugin::load(&files).map(|p| p.invoke(input, &opts));
                (s.elapsed().as_secs_f64() * 1e3, r.ok().and_then(|r| r.error).map(|e| e.message))
            };
            let (_, err) = once(); // compiles and fills the cache
            let ours = (0..runs).map(|_| once().0).fold(f64::INFINITY, f64::min);
            let (refms, note) = match reference_wall(&root, d, input, runs.min(10)) {
                Some(r) => (r, String::new()),
                None => (f64::NAN, " (no reference: set CHARTROOM_EXTISM_PYTHON)".into()),
            };
            let err = err.map(|e| format!("  error: {}", e.chars().take(80).collect::<String>())).unwrap_or_default();
            println!("{name:<34} {ours:>12.2} {refms:>12.2} {:>6.2}x  {target}{note}{err}", ours / refms);
        }
        let _ = std::fs::remove_dir_all(&scratch);
    }

    // Compiling a 2 MB module (target <= 20 ms), and the cache hit.
    if section("compile") {
        println!("\n== compile a ~2 MB module (target <= 20 ms), then the same bytes again (cache hit)");
        // Many functions, few exports, as a Go or QuickJS plugin (an
        // export per function would measure wasmi's export table instead).
        let mut src = String::from("(module (memory (export \"memory\") 1) (export \"f0\" (func $f0))\n");
        let salt = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
            as u32;
        let mut i = 0u32;
        let mut wasm = Vec::new();
        while wasm.len() < 2_000_000 {
            for _ in 0..8000 {
                src.push_str(&format!("(func $f{i} (param i32) (result i32) (local i32) (local.set 1 (i32.const {salt})) (block (loop (br_if 1 (i32.eqz (local.get 0))) (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 31)) (i32.load8_u (local.get 0)))) (local.set 0 (i32.sub (local.get 0) (i32.const 1))) (br 0))) (i32.xor (local.get 1) (i32.const {i})))\n"));
                i += 1;
            }
            wasm = wat::parse_str(format!("{src})")).expect("WAT");
        }
        let yaml = b"apiVersion: v1\ntype: cli/v1\nname: big\nversion: 0.1.0\nruntime: extism/v1\nruntimeConfig:\n  entryFuncName: chartroom_bench_no_entry\n".to_vec();
        let files: BTreeMap<String, Vec<u8>> =
            [("plugin.yaml".to_string(), yaml), ("plugin.wasm".to_string(), wasm.clone())].into_iter().collect();
        let time = || {
            let s = Instant::now();
            let _ = plugin::load(&files).map(|p| p.invoke(b"", &base));
            s.elapsed().as_secs_f64() * 1e3
        };
        let cold = time();
        let warm = (0..runs).map(|_| time()).fold(f64::INFINITY, f64::min);
        // More cold compiles of the same code: a custom section with a
        // counter makes each binary new to the content-hash cache.
        let cold_best =
            (0..runs.min(std::env::var("CHARTROOM_BENCH_COLD").ok().and_then(|s| s.parse().ok()).unwrap_or(10)) as u32)
                .map(|n| {
                    let mut w = wasm.clone();
                    w.extend_from_slice(&[0, 6, 1, b'x']);
                    w.extend_from_slice(&n.to_le_bytes());
                    let mut f = files.clone();
                    f.insert("plugin.wasm".into(), w);
                    let s = Instant::now();
                    let _ = plugin::load(&f).map(|p| p.invoke(b"", &base));
                    s.elapsed().as_secs_f64() * 1e3
                })
                .fold(f64::INFINITY, f64::min);
        println!("{} bytes, {i} functions: first call {cold:.2} ms (compile + instantiate), later calls {warm:.2} ms (cached by content hash) -> compile ~{:.2} ms; best of {} cold compiles {:.2} ms -> ~{:.2} ms", wasm.len(), cold - warm, runs.min(10), cold_best, cold_best - warm);
    }

    // Deadline precision of tight-loop (timeout 200 ms).
    if !section("deadline") {
        return;
    }
    println!("\n== tight-loop: how far past the deadline it stopped (15 runs; target <= 2 ms)");
    if let Some(p) = read("tight-loop", None) {
        let mut over = Vec::new();
        let mut timeout = 0u64;
        for _ in 0..15 {
            let r = p.invoke(&cm, &RunOptions::default());
            timeout = r.summary.timeout_ms.unwrap_or(0);
            if let Some(ev) = r.log.events.iter().find(|e| e.call == "limit.timeout") {
                if let Ok(ms) = ev.args.trim_start_matches("elapsed=").trim_end_matches("ms").parse::<f64>() {
                    over.push(ms - timeout as f64);
                }
            }
        }
        over.sort_by(|a, b| a.total_cmp(b));
        let pct = |v: f64| v / timeout.max(1) as f64 * 100.0;
        if let (Some(lo), Some(hi)) = (over.first().copied(), over.last().copied()) {
            let med = over.get(over.len() / 2).copied().unwrap_or(0.0);
            println!("timeout {timeout} ms; stopped after +{lo:.2} / +{med:.2} / +{hi:.2} ms (min/median/max) = {:.2} / {:.2} / {:.2} % of the timeout", pct(lo), pct(med), pct(hi));
        }
    }

    fn compat_dir(root: &Path) -> PathBuf {
        std::env::var_os("CHARTROOM_COMPAT_PLUGINS")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("target/compat-plugins"))
    }

    fn reference_wall(root: &Path, dir: &Path, input: &[u8], runs: usize) -> Option<f64> {
        reference(root, dir, input, "--bench-wall", runs)
    }

    fn reference_bench(root: &Path, dir: &Path, input: &[u8], runs: usize) -> Option<f64> {
        reference(root, dir, input, "--bench", runs)
    }

    /// The best time (ms) of scripts/extism_reference.py's `mode` (`--bench`:
    /// the plugin call, `--bench-wall`: the whole run) over `runs` runs.
    fn reference(root: &Path, dir: &Path, input: &[u8], mode: &str, runs: usize) -> Option<f64> {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let py = std::env::var_os("CHARTROOM_EXTISM_PYTHON").map(PathBuf::from).or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/helm-oracle-venv/bin/python"))
        })?;
        let mut child = Command::new(py)
            .arg(root.join("scripts/extism_reference.py"))
            .args([mode, &runs.to_string()])
            .arg(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        child.stdin.take()?.write_all(input).ok()?;
        let out = child.wait_with_output().ok()?;
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
        v["best_ms"].as_f64()
    }
}

/// Reads the input one `input_load_u8` host call per byte (as a naive C
/// PDK plugin does) and outputs the byte sum.
#[cfg(feature = "plugins")]
const HOST_CALLS_WAT: &str = r#"(module
  (import "extism:host/env" "input_length" (func $ilen (result i64)))
  (import "extism:host/env" "input_load_u8" (func $ild (param i64) (result i32)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u64" (func $st (param i64 i64)))
  (import "extism:host/env" "output_set" (func $oset (param i64 i64)))
  (memory (export "memory") 1)
  (func (export "helm_plugin_main") (result i32)
    (local $i i64) (local $n i64) (local $sum i64) (local $h i64)
    (local.set $n (call $ilen))
    (block $d (loop $l
      (br_if $d (i64.ge_u (local.get $i) (local.get $n)))
      (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (call $ild (local.get $i)))))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $l)))
    (local.set $h (call $alloc (i64.const 8)))
    (call $st (local.get $h) (local.get $sum))
    (call $oset (local.get $h) (i64.const 8))
    (i32.const 0)))"#;

/// HOST_CALLS_WAT with the per-byte call made to a function of the module
/// itself (reading its own memory): what a call costs without the kernel.
#[cfg(feature = "plugins")]
const INTERNAL_CALLS_WAT: &str = r#"(module
  (import "extism:host/env" "input_length" (func $ilen (result i64)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u64" (func $st (param i64 i64)))
  (import "extism:host/env" "output_set" (func $oset (param i64 i64)))
  (memory (export "memory") 1)
  (func $ld (param $o i64) (result i32)
    (if (result i32) (i64.lt_u (local.get $o) (i64.const 65536))
      (then (i32.load8_u (i32.wrap_i64 (local.get $o))))
      (else (i32.const 0))))
  (func (export "helm_plugin_main") (result i32)
    (local $i i64) (local $n i64) (local $sum i64) (local $h i64)
    (local.set $n (call $ilen))
    (block $d (loop $l
      (br_if $d (i64.ge_u (local.get $i) (local.get $n)))
      (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (call $ld (i64.and (local.get $i) (i64.const 65535))))))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $l)))
    (local.set $h (call $alloc (i64.const 8)))
    (call $st (local.get $h) (local.get $sum))
    (call $oset (local.get $h) (i64.const 8))
    (i32.const 0)))"#;

/// HOST_CALLS_WAT with the per-byte load written inline (bounds check and
/// load, no call): the interpreter's floor for the loop itself.
#[cfg(feature = "plugins")]
const INLINE_LOADS_WAT: &str = r#"(module
  (import "extism:host/env" "input_length" (func $ilen (result i64)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u64" (func $st (param i64 i64)))
  (import "extism:host/env" "output_set" (func $oset (param i64 i64)))
  (memory (export "memory") 1)
  (func (export "helm_plugin_main") (result i32)
    (local $i i64) (local $n i64) (local $sum i64) (local $h i64) (local $o i64)
    (local.set $n (call $ilen))
    (block $d (loop $l
      (br_if $d (i64.ge_u (local.get $i) (local.get $n)))
      (local.set $o (i64.and (local.get $i) (i64.const 65535)))
      (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u
        (if (result i32) (i64.lt_u (local.get $o) (local.get $n))
          (then (i32.load8_u (i32.wrap_i64 (local.get $o))))
          (else (i32.const 0))))))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $l)))
    (local.set $h (call $alloc (i64.const 8)))
    (call $st (local.get $h) (local.get $sum))
    (call $oset (local.get $h) (i64.const 8))
    (i32.const 0)))"#;

#[cfg(not(feature = "plugins"))]
fn main() {
    eprintln!("built without the `plugins` feature");
}
