//! Every example plugin (plugins/<name>, built into public/plugins/<name>
//! by scripts/build-plugins.sh) run natively through the host: exact
//! outcome and message per plugin.
#![cfg(feature = "plugins")]

use std::collections::BTreeMap;
use std::path::PathBuf;

use chartroom_engine::plugin::{self, Decision, Plugin, Profile, RunOptions};

fn dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../public/plugins").join(name)
}

fn load_with(name: &str, yaml: Option<&str>) -> Plugin {
    let d = dir(name);
    let mut files = BTreeMap::new();
    let y = match yaml {
        Some(y) => y.as_bytes().to_vec(),
        None => std::fs::read(d.join("plugin.yaml")).expect("plugin.yaml (run scripts/build-plugins.sh)"),
    };
    files.insert("plugin.yaml".to_string(), y);
    files.insert("plugin.wasm".to_string(), std::fs::read(d.join("plugin.wasm")).expect("plugin.wasm (run scripts/build-plugins.sh)"));
    match plugin::load(&files) {
        Ok(p) => p,
        Err(e) => panic!("{name}: {e}"),
    }
}

fn load(name: &str) -> Plugin {
    load_with(name, None)
}

#[test]
fn explore() {
    for n in ["add-labels", "no-privileged", "tight-loop", "memory-bomb", "denied-host", "var-overflow", "tmp-write", "trap"] {
        let p = load(n);
        let t = std::time::Instant::now();
        let r = p.invoke(br#"{"manifests":"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n","extraArgs":[]}"#, &RunOptions::default());
        eprintln!("{n}: {:?} rc={} out={:?} err={:?} stdout={:?} {:?} {:?}", t.elapsed(), r.rc, String::from_utf8_lossy(&r.output), r.error, String::from_utf8_lossy(&r.stdout), r.summary, r.log.denied().collect::<Vec<_>>());
    }
}
