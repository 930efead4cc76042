//! The test kit shared by the engine's test crates (each includes it with
//! `mod kit;`): where the fixtures and the shared conformance corpus are,
//! reading a chart folder, the `known-failures.txt` lists, and a runner
//! that reports data-driven cases one per case (libtest-mimic), so
//! `cargo test --test template_cases -- topic/name` runs one case and a
//! failure names it.
//!
//! Missing data never passes silently: every reader here fails with a
//! message that says how to get what is missing. CI has `../shared` beside
//! the clone (or `$CHARTROOM_SHARED`) and the oracle's Python.

// Each crate uses part of the kit.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use libtest_mimic::{Failed, Trial};

/// The engine crate's folder (`engine/`).
pub fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `engine/tests/cases`: the oracle-generated template/function cases.
pub fn cases_dir() -> PathBuf {
    manifest_dir().join("tests/cases")
}

/// How to regenerate the `tests/cases` files.
pub const CASES_HOW: &str = "regenerate with ~/.cache/helm-oracle-venv/bin/python scripts/gen_template_cases.py";

/// `tests/cases/<topic>.json`'s cases (see [`CASES_HOW`]).
pub fn topic_cases(topic: &str) -> Vec<serde_json::Value> {
    json_cases(&cases_dir().join(format!("{topic}.json")), CASES_HOW)
}

/// One trial per case of a JSON case file, named `TOPIC/NAME` (the file's
/// stem and the case's `name`): the cases `keep` chooses, checked by
/// `check`; `known` tells the known failures by name.
pub fn file_trials<C>(
    path: &Path,
    how: &str,
    keep: impl Fn(&serde_json::Value) -> bool,
    known: impl Fn(&str) -> bool,
    check: C,
) -> Vec<Trial>
where
    C: Fn(&serde_json::Value) -> Result<(), String> + Clone + Send + 'static,
{
    let topic = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
    json_cases(path, how)
        .into_iter()
        .filter(|c| keep(c))
        .map(|c| {
            let name = format!("{topic}/{}", c["name"].as_str().unwrap_or("?"));
            let check = check.clone();
            let is_known = known(&name);
            case(name, is_known, move || check(&c))
        })
        .collect()
}

/// `engine/tests/data/<sub>`.
pub fn data_dir(sub: &str) -> PathBuf {
    manifest_dir().join("tests/data").join(sub)
}

/// The shared folder: `$CHARTROOM_SHARED`, else `../shared` beside the
/// repository. Panics, saying how to provide it, when it is not there.
pub fn shared() -> PathBuf {
    let p =
        std::env::var_os("CHARTROOM_SHARED").map(PathBuf::from).unwrap_or_else(|| manifest_dir().join("../../shared"));
    assert!(
        p.join("conformance/cases.yaml").is_file(),
        "the shared data folder was not found at {}: put the shared folder (conformance corpus, oracle) \
         beside the repository as ../shared, or set CHARTROOM_SHARED to it",
        p.display()
    );
    p
}

/// `../shared/conformance`: 29 charts and 54 cases with real Helm's output.
pub fn conformance() -> PathBuf {
    shared().join("conformance")
}

/// A fixture file's text; `how` says how to regenerate it when missing.
pub fn read_fixture(path: &Path, how: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e} ({how})", path.display()))
}

/// A JSON list of cases; `how` says how to regenerate the file.
pub fn json_cases(path: &Path, how: &str) -> Vec<serde_json::Value> {
    serde_json::from_str(&read_fixture(path, how)).unwrap_or_else(|e| panic!("{}: {e} ({how})", path.display()))
}

/// The `*.json` files of a folder whose name starts with `prefix`, sorted.
pub fn json_files(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            n.starts_with(prefix) && n.ends_with(".json")
        })
        .collect();
    out.sort();
    out
}

/// Every file under a folder as a chart's file map (`/`-separated paths
/// relative to `root`), read with the library's loader. Panics on I/O.
pub fn read_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    chartroom_engine::chart::directory::read_dir(root).unwrap_or_else(|e| panic!("{}: {e}", root.display()))
}

/// A `known-failures.txt`: `NAME<sep>REASON` lines (`sep` one of the given
/// characters), `#` comments. Absent file: no known failures.
pub fn known_failures(path: &Path, sep: &[char]) -> BTreeMap<String, String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once(sep) {
            Some((n, r)) => (n.trim().to_string(), r.trim().to_string()),
            None => (l.trim().to_string(), String::new()),
        })
        .collect()
}

/// One data-driven case. A case listed as a known failure must keep
/// failing (it is reported as passing while it does, with kind `known`); one
/// that starts to pass fails, asking for its line to be removed.
pub fn case<F>(name: impl Into<String>, known: bool, check: F) -> Trial
where
    F: FnOnce() -> Result<(), String> + Send + 'static,
{
    let name = name.into();
    if !known {
        return Trial::test(name, move || check().map_err(Failed::from));
    }
    // A panic is a failure too, so a known failure may panic.
    Trial::test(name, move || match std::panic::catch_unwind(std::panic::AssertUnwindSafe(check)) {
        Ok(Ok(())) => Err("passes but is listed as a known failure: remove its line from known-failures.txt".into()),
        _ => Ok(()),
    })
    .with_kind("known")
}

/// A trial that fails when `known-failures.txt` lists names that are no
/// case at all (renamed or removed cases).
pub fn stale_known(known: &BTreeMap<String, String>, names: &std::collections::BTreeSet<String>) -> Trial {
    let stale: Vec<String> = known.keys().filter(|k| !names.contains(*k)).cloned().collect();
    Trial::test("known-failures.txt lists only existing cases", move || {
        if stale.is_empty() {
            Ok(())
        } else {
            Err(format!("no such cases (remove their lines): {stale:?}").into())
        }
    })
}

/// A plain test function (`#[test]` in a crate with libtest's harness).
pub fn test(name: &str, f: fn()) -> Trial {
    Trial::test(name, move || {
        f();
        Ok(())
    })
}

/// Runs the trials with libtest's command line (filters, `--nocapture`,
/// `--test-threads`, `--list`) and exits with its status. Fails when a
/// data-driven crate found no cases at all.
pub fn run(trials: Vec<Trial>) -> ! {
    let args = libtest_mimic::Arguments::from_args();
    assert!(!trials.is_empty(), "no test cases were found");
    libtest_mimic::run(&args, trials).exit()
}

/// A fixture's `base64:…` text (chart archives in JSON), decoded with the
/// engine's encoding/base64 port.
pub fn base64_decode(s: &str) -> Vec<u8> {
    chartroom_engine::gofmt::base64::decode_std(s.as_bytes()).unwrap_or_else(|e| panic!("fixture base64: {e}"))
}

/// A JSON fixture value as Helm holds values: numbers are float64 (values
/// files and JSON alike), objects `map[string]interface{}`.
pub fn value_from_json(j: &serde_json::Value) -> chartroom_engine::value::Value {
    use chartroom_engine::value::Value;
    match j {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::str(s),
        serde_json::Value::Array(a) => Value::list(a.iter().map(value_from_json).collect()),
        serde_json::Value::Object(o) => Value::map(o.iter().map(|(k, v)| (k.clone(), value_from_json(v))).collect()),
    }
}

/// A xorshift64 generator: the same corruption sequence on every run of a
/// robustness test.
pub fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut rng = seed;
    move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    }
}
