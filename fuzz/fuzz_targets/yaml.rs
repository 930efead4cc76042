//! The YAML decoder and encoder: whatever decodes must encode, and the
//! encoding must decode to the same value and encode to the same text again.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::yaml(data));
