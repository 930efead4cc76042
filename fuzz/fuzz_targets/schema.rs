//! values.schema.json validation: the input is `SCHEMA\0VALUES-YAML`.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::schema(data));
