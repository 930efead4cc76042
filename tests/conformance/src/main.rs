//! Conformance runner: renders every case of `../shared/conformance/cases.yaml`
//! natively and compares with the exact output of real Helm v4.2.3.
//!
//! `ok` cases must be byte-identical; `ok-nondeterministic` cases are
//! byte-identical except the listed files, whose documents must match in YAML
//! shape; `error` cases must fail with Helm's error text. One line per
//! failing case (with the first differing line), then `N passed, N failed`.
//! Cases in `known-failures.txt` are counted separately, with their reason.
//!
//! Usage: conformance [--shared DIR] [--filter SUBSTR] [--verbose] [--bench N] [--cache]
//!
//! `--bench N` renders each non-error case N more times and prints the best
//! time per case and the sum (scripts/bench.sh sets it beside real Helm's).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

// The corpus charts are read as plain folders (`load_files` applies
// `.helmignore` as Helm's LoadDir does).
use chartroom_engine::chart::directory::read_dir;
use chartroom_engine::releaseutil::Document;
use chartroom_engine::value::Value;
use chartroom_engine::{render, RenderRequest};

struct Case {
    id: String,
    chart: String,
    values: Vec<String>,
    release: String,
    namespace: String,
    expected: String,
    status: String,
    nondeterministic_files: Vec<String>,
    helm_template: Option<String>,
}

fn s(v: &Value, k: &str) -> String {
    v.get(k).and_then(|x| x.as_str().map(str::to_string)).unwrap_or_default()
}

fn strs(v: &Value, k: &str) -> Vec<String> {
    match v.get(k) {
        Some(Value::List(l, _)) => l.borrow().iter().filter_map(|x| x.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    }
}

fn load_cases(root: &Path) -> Result<Vec<Case>, String> {
    let text = std::fs::read_to_string(root.join("cases.yaml")).map_err(|e| format!("cases.yaml: {e}"))?;
    let doc = chartroom_engine::yaml::parse(&text).map_err(|e| format!("cases.yaml: {e}"))?;
    let list = match doc.get("cases") {
        Some(Value::List(l, _)) => l.borrow().clone(),
        _ => return Err("cases.yaml: no cases list".into()),
    };
    Ok(list
        .iter()
        .map(|c| Case {
            id: s(c, "id"),
            chart: s(c, "chart"),
            values: strs(c, "values"),
            release: s(c, "release"),
            namespace: s(c, "namespace"),
            expected: s(c, "expected"),
            status: s(c, "status"),
            nondeterministic_files: strs(c, "nondeterministic_files"),
            helm_template: c.get("helm_template").and_then(|x| x.as_str().map(str::to_string)),
        })
        .collect())
}

/// Same YAML shape: equal keys and list lengths, same scalar kinds.
fn same_shape(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Map(x, _), Value::Map(y, _)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_shape(v, w)))
        }
        (Value::List(x, _), Value::List(y, _)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(v, w)| same_shape(v, w))
        }
        (x, y) => std::mem::discriminant(x) == std::mem::discriminant(y),
    }
}

fn first_difference(want: &str, got: &str) -> String {
    for (i, (w, g)) in want.lines().zip(got.lines()).enumerate() {
        if w != g {
            return format!("line {}: want {:?}, got {:?}", i + 1, w, g);
        }
    }
    let (wl, gl) = (want.lines().count(), got.lines().count());
    if wl != gl {
        return format!("want {wl} lines, got {gl}");
    }
    "outputs differ in trailing whitespace/newlines".into()
}

/// Real Helm's documents (its text split as the engine splits a render's
/// output) against the render's own.
fn compare_nondeterministic(want: &str, got: &[Document], files: &[String]) -> Result<(), String> {
    let wd = chartroom_engine::releaseutil::documents(want, chartroom_engine::releaseutil::HelmRelease::V4_2_3);
    if wd.len() != got.len() {
        return Err(format!("want {} documents, got {}", wd.len(), got.len()));
    }
    for (w, g) in wd.iter().zip(got.iter()) {
        let ws = &w.source;
        if *ws != g.source {
            return Err(format!("document source: want {ws:?}, got {:?}", g.source));
        }
        if files.iter().any(|f| f == ws) {
            let wv = chartroom_engine::yaml::parse(&w.text).map_err(|e| format!("{ws}: expected YAML: {e}"))?;
            let gv = chartroom_engine::yaml::parse(&g.text).map_err(|e| format!("{ws}: our YAML: {e}"))?;
            if !same_shape(&wv, &gv) {
                return Err(format!("{ws}: YAML shape differs"));
            }
        } else if w.text != g.text {
            return Err(format!("{ws}: {}", first_difference(&w.text, &g.text)));
        }
    }
    Ok(())
}

fn run_case(root: &Path, c: &Case) -> Result<(), String> {
    let chart_dir = root.join(&c.chart);
    let mut req = RenderRequest {
        files: read_dir(&chart_dir).map_err(|e| format!("reading chart: {e}"))?,
        release_name: c.release.clone(),
        namespace: c.namespace.clone(),
        ..RenderRequest::default()
    };
    for v in &c.values {
        let bytes = std::fs::read(root.join(v)).map_err(|e| format!("{v}: {e}"))?;
        req.values_files.push((v.clone(), bytes));
    }
    let result = render(&req);
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join(&c.expected)).map_err(|e| format!("{}: {e}", c.expected))?,
    )
    .map_err(|e| format!("{}: {e}", c.expected))?;
    match c.status.as_str() {
        "error" => {
            let want = expected.get("cli_error").and_then(|x| x.as_str()).unwrap_or_default();
            match result {
                Ok(_) => Err(format!("expected error {want:?}, got a successful render")),
                Err(e) if e.message == want => Ok(()),
                Err(e) => Err(format!("error text: want {want:?}, got {:?}", e.message)),
            }
        }
        status => {
            let out = result.map_err(|e| format!("render failed: {}", e.message.lines().next().unwrap_or("")))?;
            let path = c.helm_template.as_ref().ok_or("case has no helm_template file")?;
            let want = std::fs::read_to_string(root.join(path)).map_err(|e| format!("{path}: {e}"))?;
            if status == "ok-nondeterministic" {
                compare_nondeterministic(&want, &out.documents, &c.nondeterministic_files)
            } else if want == out.manifest {
                Ok(())
            } else {
                Err(first_difference(&want, &out.manifest))
            }
        }
    }
}

/// Renders every successful case with tracing off and on (best of `n`
/// each, files read once) and prints both totals and their ratio. Figures
/// only: nothing is asserted.
fn bench_trace(root: &Path, n: usize) {
    let cases = load_cases(root).unwrap_or_default();
    let (mut off, mut on) = (0.0, 0.0);
    for c in cases.iter().filter(|c| c.status.starts_with("ok")) {
        let Ok(files) = read_dir(&root.join(&c.chart)) else { continue };
        let mut req = RenderRequest {
            files,
            release_name: c.release.clone(),
            namespace: c.namespace.clone(),
            ..RenderRequest::default()
        };
        for v in &c.values {
            req.values_files.push((v.clone(), std::fs::read(root.join(v)).unwrap_or_default()));
        }
        let time = |req: &RenderRequest| {
            (0..n.max(1))
                .map(|_| {
                    let t = Instant::now();
                    let _ = render(req);
                    t.elapsed().as_secs_f64()
                })
                .fold(f64::INFINITY, f64::min)
        };
        let a = time(&req);
        req.trace = true;
        let b = time(&req);
        off += a;
        on += b;
        println!("bench trace {:50} off {:8.2} ms  on {:8.2} ms", c.id, a * 1000.0, b * 1000.0);
    }
    println!("bench trace total (sum of per-case best of {n}): off {off:.3} s, on {on:.3} s, ratio {:.2}x", on / off);
}

/// Parses every template file of the corpus (all charts and subcharts) and
/// prints the best time of 5 runs: the parser's share of a render.
fn bench_parse(root: &Path) {
    let mut texts = Vec::new();
    if let Ok(files) = read_dir(&root.join("charts")) {
        for (path, data) in files {
            if path.contains("/templates/") {
                texts.push((path, String::from_utf8_lossy(&data).into_owned()));
            }
        }
    }
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let mut best = f64::INFINITY;
    let mut trees = 0;
    for _ in 0..5 {
        let t = Instant::now();
        trees = 0;
        for (name, text) in &texts {
            if let Ok(ts) = chartroom_engine::template::parse(name, text, &|_| true) {
                trees += ts.len();
            }
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "bench parse: {} template files ({} KB, {trees} trees) in {:.1} ms (best of 5)",
        texts.len(),
        bytes / 1024,
        best * 1000.0
    );
}

fn shared_dir(arg: Option<String>) -> PathBuf {
    if let Some(a) = arg {
        return PathBuf::from(a);
    }
    if let Ok(e) = std::env::var("CHARTROOM_SHARED") {
        return PathBuf::from(e);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut shared, mut filter, mut verbose, mut bench) = (None, None, false, 0usize);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--shared" => shared = args.next(),
            "--filter" => filter = args.next(),
            "--verbose" => verbose = true,
            "--bench" => bench = args.next().and_then(|n| n.parse().ok()).unwrap_or(5),
            // Keep parsed templates between renders, as the browser worker does
            // (--bench then times warm renders after the first).
            "--cache" => chartroom_engine::template::cache::enable(),
            // Render time of the corpus with tracing off and on (issue 15).
            "--bench-trace" => {
                let n = args.next().and_then(|n| n.parse().ok()).unwrap_or(5);
                bench_trace(&shared_dir(shared.clone()).join("conformance"), n);
                return;
            }
            "--bench-parse" => {
                bench_parse(&shared_dir(shared.clone()).join("conformance"));
                return;
            }
            // cargo test passes harness flags; ignore them.
            _ => {}
        }
    }
    let root = shared_dir(shared).join("conformance");
    let cases = match load_cases(&root) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("conformance: cannot load cases from {}: {e}", root.display());
            std::process::exit(1);
        }
    };
    let known_text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("known-failures.txt")).unwrap_or_default();
    let known: BTreeMap<String, String> = known_text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (id, reason) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            (id.to_string(), reason.trim().to_string())
        })
        .collect();
    let (mut passed, mut failed, mut known_failed, mut stale) = (0, 0, 0, Vec::new());
    let t0 = Instant::now();
    for c in &cases {
        if let Some(f) = &filter {
            if !c.id.contains(f.as_str()) {
                continue;
            }
        }
        let t = Instant::now();
        let r = std::panic::catch_unwind(|| run_case(&root, c)).unwrap_or_else(|_| Err("engine panicked".into()));
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        match (r, known.get(&c.id)) {
            (Ok(()), None) => {
                passed += 1;
                if verbose {
                    println!("ok   {} ({ms:.1} ms)", c.id);
                }
            }
            (Ok(()), Some(_)) => {
                passed += 1;
                stale.push(c.id.clone());
                println!("PASS {} is listed in known-failures.txt: remove it", c.id);
            }
            (Err(e), Some(reason)) => {
                known_failed += 1;
                println!("known {}: {e} [known: {reason}]", c.id);
            }
            (Err(e), None) => {
                failed += 1;
                println!("FAIL {}: {e}", c.id);
            }
        }
    }
    if bench > 0 {
        let mut total = 0.0;
        for c in cases.iter().filter(|c| c.status != "error") {
            if filter.as_ref().is_some_and(|f| !c.id.contains(f.as_str())) {
                continue;
            }
            let best = (0..bench)
                .map(|_| {
                    let t = Instant::now();
                    let _ = run_case(&root, c);
                    t.elapsed().as_secs_f64()
                })
                .fold(f64::INFINITY, f64::min);
            total += best;
            println!("bench {:50} {:8.2} ms", c.id, best * 1000.0);
        }
        println!("bench total (sum of per-case best of {bench}, incl. reading files and comparing): {total:.3} s");
    }
    let failed_total = failed + stale.len();
    println!(
        "conformance: {} cases in {:.2} s; {known_failed} known failures (tests/conformance/known-failures.txt)",
        passed + failed + known_failed,
        t0.elapsed().as_secs_f64()
    );
    println!("conformance: {passed} passed, {failed_total} failed");
    if failed_total > 0 {
        std::process::exit(1);
    }
}
