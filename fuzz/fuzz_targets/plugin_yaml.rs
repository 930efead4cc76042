//! plugin.yaml parsing (Helm 4 plugin metadata, v1 and legacy).
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::plugin_yaml(data));
