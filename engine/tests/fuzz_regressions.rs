//! Every input the fuzz targets once failed on (fuzz/regressions/
//! `<target>-<what>`), run through the target's own body (fuzz/harness.rs)
//! with stable Rust: each must end without a panic, within the fuzz
//! limits. Add a file there for every crash, timeout or OOM a fuzz run
//! finds (scripts/fuzz.sh; findings in fuzz/artifacts/<target>/).

#[path = "../../fuzz/harness.rs"]
mod harness;

use std::path::Path;
use std::time::{Duration, Instant};

#[test]
fn fuzz_regressions_end_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e} (the fuzz regressions are part of the repository)", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    let mut ran = 0;
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).expect("file name").to_string();
        let target = name.split('-').next().unwrap_or_default();
        let run = harness::by_name(target)
            .unwrap_or_else(|| panic!("{name}: no fuzz target {target:?} (name files <target>-<what>)"));
        let data = std::fs::read(&path).expect("read regression");
        let t0 = Instant::now();
        run(&data);
        let took = t0.elapsed();
        eprintln!("{name}: {:.1} ms", took.as_secs_f64() * 1e3);
        // libFuzzer's -timeout in scripts/fuzz.sh (the harness's render
        // deadline is 1 s).
        assert!(took < Duration::from_secs(10), "{name} took {took:?}");
        ran += 1;
    }
    assert!(ran > 0, "no regression files in {}", dir.display());
}
