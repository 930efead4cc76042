//! Grows its memory 1 MiB at a time until `memory.maxPages` stops it.
use extism_pdk::*;

#[plugin_fn]
pub fn helm_plugin_main(_input: String) -> FnResult<String> {
    let mut hoard: Vec<Vec<u8>> = Vec::new();
    loop {
        hoard.push(core::hint::black_box(vec![1u8; 1 << 20]));
    }
}
