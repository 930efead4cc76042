//! Helm's strvals grammar (`--set`, `--set-string`, `--set-json`, `--set-literal`).
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::strvals(data));
