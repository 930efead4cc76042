//! Measures how much native stack one level of `include` recursion takes
//! (prints figures; used to size the wasm stack and the depth cap).
use std::collections::BTreeMap;

use chartroom_engine::api::{render, RenderRequest};

/// Usage: stack_probe DEPTH KIB — renders DEPTH nested includes on a thread
/// with KIB KiB of stack; prints "ok" (a stack overflow aborts the process).
fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let (depth, kib) = (args.first().copied().unwrap_or(100), args.get(1).copied().unwrap_or(1024));
    {
        {
            let mb = kib;
            let ok = std::thread::Builder::new()
                .stack_size(mb << 10)
                .spawn(move || {
                    let mut files = BTreeMap::new();
                    files.insert("Chart.yaml".to_string(), b"apiVersion: v2\nname: c\nversion: 0.1.0\n".to_vec());
                    let t = format!(
                        "{{{{ define \"x\" }}}}{{{{ if lt (len .) {depth} }}}}{{{{ include \"x\" (append . 1) }}}}{{{{ end }}}}{{{{ end }}}}{{{{ include \"x\" (list) }}}}"
                    );
                    files.insert("templates/t.yaml".to_string(), t.into_bytes());
                    let req = RenderRequest { files, ..RenderRequest::default() };
                    render(&req).is_ok()
                })
                .expect("spawn")
                .join()
                .unwrap_or(false);
            println!("include depth {depth} on {mb} KiB: {}", if ok { "ok" } else { "error" });
        }
    }
}
