//! Loading plugin modules one after another keeps memory bounded (issue
//! 19: the plugin_host fuzz target's RSS grew from 39 MiB to 741 MiB over
//! 522,000 modules, and the page's worker compiles a module on every plugin
//! edit). wasmi's engine keeps each function body compiled with it until
//! the engine is dropped, so one engine for the whole process never gave
//! memory back. A counting global allocator measures the bytes this thread
//! still holds after many distinct modules have gone through the host's
//! module cache (16 entries): once the cache is full, more modules must
//! not add memory.

use std::collections::BTreeMap;

use chartroom_engine::plugin::{load, RunOptions};

#[path = "kit/thread_alloc.rs"]
mod thread_alloc;
use thread_alloc::current;

/// A postrenderer module that differs from every other by `n` (so the
/// content-hash cache never reuses one), with 200 functions of some size
/// each, all called once, so their bodies are translated.
fn module(n: usize) -> Vec<u8> {
    let mut wat =
        String::from("(module\n (import \"extism:host/env\" \"input_length\" (func $len (result i64)))\n (memory 1)\n");
    for f in 0..200 {
        wat.push_str(&format!("(func $f{f} (result i64) (i64.const {n})"));
        for k in 0..20 {
            wat.push_str(&format!(" (i64.add (i64.const {k}))"));
        }
        wat.push_str(")\n");
    }
    wat.push_str("(func (export \"helm_plugin_main\") (result i32) (local $s i64)\n");
    for f in 0..200 {
        wat.push_str(&format!(" (local.set $s (i64.add (local.get $s) (call $f{f})))\n"));
    }
    wat.push_str(" (drop (call $len)) (i32.const 0)))\n");
    wat::parse_str(&wat).expect("the test module assembles")
}

fn run(n: usize) {
    let yaml = "apiVersion: v1\ntype: postrenderer/v1\nname: m\nversion: 0.1.0\nruntime: extism/v1\n";
    let mut files = BTreeMap::new();
    files.insert("plugin.yaml".to_string(), yaml.as_bytes().to_vec());
    files.insert("plugin.wasm".to_string(), module(n));
    let plugin = load(&files).expect("the test plugin loads");
    let r = plugin.invoke(b"kind: ConfigMap\n", &RunOptions::default());
    assert!(r.error.is_none(), "module {n}: {:?}", r.error.map(|e| e.to_string()));
}

#[test]
fn distinct_modules_do_not_accumulate_in_the_engine() {
    // Fill the module cache (16) and the host's other one-time state.
    for n in 0..40 {
        run(n);
    }
    let before = current();
    let more = 60;
    for n in 40..40 + more {
        run(n);
    }
    let kept = current() - before;
    let per_module = kept / more as isize;
    println!("bytes kept per further module: {per_module} ({kept} over {more})");
    // With one engine for the process, each such module kept its
    // translated bodies: tens of KB each. Allow a little for allocator
    // bookkeeping that settles late.
    assert!(per_module < 1024, "each further module kept {per_module} bytes ({kept} over {more} modules)");
}
