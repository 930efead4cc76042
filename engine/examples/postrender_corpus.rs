//! Renders a chart directory with the engine and, when a plugin directory
//! is given, post-renders it through the Wasm host; prints rel.Manifest
//! (for scripts/check_postrender_corpus.py).
//! usage: postrender_corpus CHART_DIR RELEASE NAMESPACE PLUGIN_DIR|- [VALUES...]
#[cfg(feature = "plugins")]
fn main() {
    use std::collections::BTreeMap;
    use std::path::Path;

    use chartroom_engine::plugin::{self, postrender, RunOptions};
    use chartroom_engine::{render, RenderRequest};

    fn files_of(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        let mut out = BTreeMap::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let Ok(rd) = std::fs::read_dir(&d) else { continue };
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if let (Ok(rel), Ok(b)) = (p.strip_prefix(dir), std::fs::read(&p)) {
                    out.insert(rel.to_string_lossy().replace('\\', "/"), b);
                }
            }
        }
        out
    }
    let a: Vec<String> = std::env::args().collect();
    if a.len() < 5 {
        eprintln!("usage: postrender_corpus CHART_DIR RELEASE NAMESPACE PLUGIN_DIR|- [VALUES...]");
        std::process::exit(2);
    }
    let req = RenderRequest {
        files: files_of(Path::new(&a[1])),
        release_name: a[2].clone(),
        namespace: a[3].clone(),
        values_files: a[5..].iter().map(|f| (f.clone(), std::fs::read(f).unwrap_or_default())).collect(),
        ..Default::default()
    };
    let out = match render(&req) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("Error: {}", e.message);
            std::process::exit(1);
        }
    };
    let mut files = out.files.clone();
    files.retain(|k, _| !k.ends_with("NOTES.txt"));
    if a[4] != "-" {
        let pf = files_of(Path::new(&a[4]));
        let p = match plugin::load(&pf) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("Error: {e}");
                std::process::exit(1);
            }
        };
        files = match postrender::run(&p, &files, &[], &RunOptions::default()) {
            Ok(o) => o.files,
            Err((e, _)) => {
                eprintln!("Error: {e}");
                std::process::exit(1);
            }
        };
    }
    match postrender::release_manifest(&files) {
        Ok(m) => print!("{m}"),
        Err(e) => {
            eprintln!("Error: {e}");
            std::process::exit(1);
        }
    }
}

#[cfg(not(feature = "plugins"))]
fn main() {}
