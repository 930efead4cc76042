//! Instantiate+run times of the example plugins on the wasmi host.
//! usage: cargo run --profile native -p chartroom-engine --example plugin_bench [RUNS]
#[cfg(feature = "plugins")]
fn main() {
    use std::collections::BTreeMap;
    use std::time::Instant;

    use chartroom_engine::plugin::{self, RunOptions};

    let runs: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(20);
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../public/plugins");
    let input = br#"{"manifests":"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n","extraArgs":[]}"#;
    println!("{:<14} {:>9} {:>12} {:>12} {:>12}  outcome", "plugin", "wasm KB", "compile ms", "first ms", "median ms");
    for name in ["add-labels", "no-privileged", "trap", "denied-host", "var-overflow", "tmp-write", "memory-bomb", "tight-loop"] {
        let mut files = BTreeMap::new();
        for f in ["plugin.yaml", "plugin.wasm"] {
            match std::fs::read(root.join(name).join(f)) {
                Ok(b) => {
                    files.insert(f.to_string(), b);
                }
                Err(e) => {
                    eprintln!("{name}: {e} (run scripts/build-plugins.sh)");
                    return;
                }
            }
        }
        let kb = files.get("plugin.wasm").map(|b| b.len()).unwrap_or(0) as f64 / 1024.0;
        let p = match plugin::load(&files) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{name}: {e}");
                continue;
            }
        };
        let opts = RunOptions::default();
        let t = Instant::now();
        let first = p.invoke(input, &opts); // compiles (eager) + instantiates + runs
        let first_ms = t.elapsed().as_secs_f64() * 1e3;
        let n = if name == "tight-loop" { 1 } else { runs };
        let mut times: Vec<f64> = (0..n)
            .map(|_| {
                let t = Instant::now();
                let _ = p.invoke(input, &opts);
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(|a, b| a.total_cmp(b));
        let median = times.get(times.len() / 2).copied().unwrap_or(0.0);
        let outcome = first.error.unwrap_or_else(|| "ok".into());
        println!("{name:<14} {kb:>9.1} {:>12.2} {first_ms:>12.2} {median:>12.3}  {}", first_ms - median, outcome.chars().take(70).collect::<String>());
    }
}

#[cfg(not(feature = "plugins"))]
fn main() {
    eprintln!("built without the `plugins` feature");
}
