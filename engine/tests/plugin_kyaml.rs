//! kyaml's re-serialisation in the post-render path against real Helm
//! v4.2.3: engine/tests/data/kyaml-chart rendered by our engine and passed
//! through the identity plugin no-privileged (annotateAndMerge → plugin →
//! splitAndDeannotate → sort) must print Helm's rel.Manifest byte for byte
//! (tests/data/kyaml/cases.json from scripts/gen_plugin_kyaml_cases.py).
#![cfg(feature = "plugins")]

use std::collections::BTreeMap;
use std::path::PathBuf;

use chartroom_engine::plugin::{self, postrender, RunOptions};
use chartroom_engine::{render, RenderRequest};

#[test]
fn kyaml_layouts_match_helm() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let case: serde_json::Value = serde_json::from_str(include_str!("data/kyaml/cases.json")).expect("fixture");
    let chart = root.join("tests/data/kyaml-chart");
    let mut files = BTreeMap::new();
    for rel in [
        "Chart.yaml",
        "values.yaml",
        "templates/literal-end.yaml",
        "templates/literal-cases.yaml",
        "templates/two-docs.yaml",
        "templates/foot-comments.yaml",
        "templates/head-comment.yaml",
        "templates/doc-comment.yaml",
        "templates/quoted.yaml",
    ] {
        files.insert(rel.to_string(), std::fs::read(chart.join(rel)).expect("chart file"));
    }
    let out = render(&RenderRequest { files, ..Default::default() }).expect("render");
    let d = root.join("../public/plugins/no-privileged");
    let mut pf = BTreeMap::new();
    for f in ["plugin.yaml", "plugin.wasm"] {
        pf.insert(f.to_string(), std::fs::read(d.join(f)).expect("built plugin"));
    }
    let p = plugin::load(&pf).expect("plugin");
    let post = match postrender::run(&p, &out.files, &[], &RunOptions::default()) {
        Ok(o) => o.files,
        Err((e, _)) => panic!("{e}"),
    };
    let got = postrender::release_manifest(&post).expect("sort");
    assert_eq!(got, case["manifest"].as_str().unwrap_or(""));
}
