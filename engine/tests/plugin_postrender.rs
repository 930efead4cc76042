//! postrenderer/v1 end to end against real Helm v4.2.3: the chart in
//! tests/data/plugin-chart rendered by our engine, post-rendered by the
//! example plugins through our host (annotateAndMerge → plugin →
//! splitAndDeannotate → sort), compared byte for byte with Helm's
//! rel.Manifest for the same plugin run inside Helm's own pipeline
//! (tests/cases/plugin_postrender.json, scripts/gen_plugin_postrender_cases.py).
#![cfg(feature = "plugins")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chartroom_engine::plugin::{self, postrender, RunOptions};
use chartroom_engine::{render, RenderRequest};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn chart_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read chart dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).expect("prefix").to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}

fn load_plugin(name: &str) -> plugin::Plugin {
    let d = root().join("../public/plugins").join(name);
    let mut files = BTreeMap::new();
    for f in ["plugin.yaml", "plugin.wasm"] {
        files.insert(f.to_string(), std::fs::read(d.join(f)).expect("built plugin (scripts/build-plugins.sh)"));
    }
    plugin::load(&files).expect("valid plugin")
}

#[test]
fn post_rendered_manifests_match_helm() {
    let cases: serde_json::Value = serde_json::from_str(include_str!("cases/plugin_postrender.json")).expect("fixture");
    let cases = cases.as_array().expect("array");
    let mut failed = Vec::new();
    for c in cases {
        let name = c["name"].as_str().unwrap_or("?");
        let req = RenderRequest {
            files: chart_files(&root().join("tests/data/plugin-chart")),
            set: c["set"]
                .as_array()
                .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
                .unwrap_or_default(),
            ..Default::default()
        };
        let out = render(&req).expect("render");
        let mut files = out.files.clone();
        files.retain(|k, _| !k.ends_with("NOTES.txt"));
        let files = match c["plugin"].as_str() {
            None => files,
            Some(p) => {
                let args: Vec<String> = c["args"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
                    .unwrap_or_default();
                match postrender::run(&load_plugin(p), &files, &args, &RunOptions::default()) {
                    Ok(o) => o.files,
                    Err((e, _)) => {
                        failed.push(format!("{name}: post-render failed: {e}"));
                        continue;
                    }
                }
            }
        };
        let got = postrender::release_manifest(&files).expect("sort");
        let want = c["manifest"].as_str().unwrap_or("");
        if got != want {
            failed.push(format!("{name}:\n--- want\n{want}\n--- got\n{got}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn annotate_and_split_round_trip() {
    let mut files = BTreeMap::new();
    files.insert("c/templates/_helpers.tpl".to_string(), "ignored: true\n".to_string());
    files.insert("c/templates/empty.yaml".to_string(), "  \n".to_string());
    files.insert(
        "c/templates/a.yaml".to_string(),
        "kind: A\nmetadata:\n  name: a\n  annotations:\n    x: y\n---\nkind: B\n".to_string(),
    );
    let merged = postrender::annotate_and_merge(&files).expect("merge");
    assert_eq!(
        merged,
        "kind: A\nmetadata:\n  name: a\n  annotations:\n    x: y\n    postrenderer.helm.sh/postrender-filename: c/templates/a.yaml\n---\nkind: B\nmetadata:\n  annotations:\n    postrenderer.helm.sh/postrender-filename: c/templates/a.yaml\n"
    );
    let extra = format!("{merged}---\nkind: New\nmetadata:\n  name: n\n");
    let back = postrender::split_and_deannotate(&extra, "").expect("split");
    assert_eq!(
        back.get("c/templates/a.yaml").map(String::as_str),
        Some("kind: A\nmetadata:\n  name: a\n  annotations:\n    x: y\n---\nkind: B\n")
    );
    assert_eq!(
        back.get("generated-by-postrender-2.yaml").map(String::as_str),
        Some("kind: New\nmetadata:\n  name: n\n")
    );
}

#[test]
fn empty_output_is_an_error() {
    // no-privileged echoes its input: an input with only blank files gives
    // an empty stream, which Helm rejects as empty output.
    let mut files = BTreeMap::new();
    files.insert("c/templates/a.yaml".to_string(), "\n".to_string());
    let err = postrender::run(&load_plugin("no-privileged"), &files, &[], &RunOptions::default()).err().map(|e| e.0);
    assert_eq!(
        err.as_deref(),
        Some("error while running post render on files: post-renderer \"no-privileged\" produced empty output")
    );
}
