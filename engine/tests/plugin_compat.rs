//! The compatibility set: third-party Extism plugin binaries published in
//! package registries (engine/tests/data/compat/cases.tsv), each run on
//! Chartroom and compared with what the Extism reference host (python
//! `extism` on wasmtime) did with it (expected.json, written by
//! scripts/gen_compat_expected.py). The registry binaries are not in the
//! repository: scripts/fetch_compat_plugins.sh downloads them (scripts/test.sh
//! runs it first); without them this test FAILS and says so. `repo:<dir>`
//! rows are modules built by other toolchains (Go, clang + wasi-libc) from
//! sources in plugins/<name>, committed there with their plugin.wasm.
#![cfg(feature = "plugins")]

use std::collections::BTreeMap;
use std::path::PathBuf;

use chartroom_engine::plugin::{self, RunOptions};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Our error → a class comparable with the reference's.
fn our_class(e: &str) -> String {
    let g = e.strip_prefix("plugin error: ").unwrap_or(e);
    if e.starts_with("failed to create existing plugin: instantiating module: ") {
        "instantiate".into()
    } else if e.starts_with("failed to create existing plugin: compiling module") {
        "compile".into()
    } else if let Some(t) = g.strip_prefix("wasm error: ") {
        format!("trap: {t}")
    } else {
        format!("guest: {g}")
    }
}

fn ref_class(v: &serde_json::Value) -> String {
    let e = v["error"].as_str().unwrap_or("");
    let cause = v["cause"].as_str().unwrap_or("");
    if v["ok"] == true {
        "ok".into()
    } else if e.starts_with("Unable to create Extism plugin: unknown import:") {
        "instantiate".into()
    } else if e.starts_with("Unable to create Extism plugin: ") {
        "compile".into()
    } else if cause == "wasm trap: wasm `unreachable` instruction executed" {
        "trap: unreachable".into()
    } else {
        format!("guest: {e}")
    }
}

#[test]
fn third_party_plugins_behave_as_on_the_reference_host() {
    let data = root().join("engine/tests/data/compat");
    let cases = std::fs::read_to_string(data.join("cases.tsv")).expect("cases.tsv");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data.join("expected.json")).expect("expected.json"))
            .expect("expected.json is JSON");
    let cache = std::env::var_os("CHARTROOM_COMPAT_PLUGINS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/compat-plugins"));
    let mut diffs = Vec::new();
    let mut n = 0;
    for line in cases.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 9, "cases.tsv: 9 tab-separated columns: {line:?}");
        let (name, pdk, input) = (f[0], f[4], f[7]);
        let dir = match f[1].strip_prefix("repo:") {
            Some(d) => root().join(d),
            None => cache.join(name),
        };
        let mut files = BTreeMap::new();
        for file in ["plugin.yaml", "plugin.wasm"] {
            let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| {
                panic!(
                    "{}: {e}: the compatibility set is not downloaded; run scripts/fetch_compat_plugins.sh (or set CHARTROOM_COMPAT_PLUGINS)",
                    dir.join(file).display()
                )
            });
            files.insert(file.to_string(), bytes);
        }
        let want = &expected[name];
        assert!(want.is_object(), "{name}: no expected outcome; run scripts/gen_compat_expected.py");
        let p = plugin::load(&files).expect("plugin.yaml");
        let r = p.invoke(input.as_bytes(), &RunOptions::default());
        let ours = r.error_text().map(our_class).unwrap_or_else(|| "ok".into());
        let theirs = ref_class(want);
        eprintln!("{name:<24} {pdk:<44} chartroom: {ours:<16} reference: {theirs}");
        n += 1;
        if ours != theirs {
            diffs.push(format!("{name} ({pdk}): chartroom {ours} ({:?}), reference {theirs} ({want})", r.error));
        } else if ours == "ok" && want["output"].as_str() != Some(String::from_utf8_lossy(&r.output).as_ref()) {
            diffs.push(format!(
                "{name}: outputs differ: {:?} vs {}",
                String::from_utf8_lossy(&r.output),
                want["output"]
            ));
        } else if ours == "instantiate" || ours == "compile" {
            // A plugin that cannot run says why and who built it.
            let e = r.error_text().unwrap_or_default().to_string();
            if !e.contains("built by") {
                diffs.push(format!("{name}: the error does not name the toolchain: {e}"));
            }
        }
    }
    assert!(n > 0, "cases.tsv lists no case");
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}
