//! plugin.yaml parsing (Helm 4 plugin metadata, v1 and legacy).
#![no_main]

use chartroom_engine::plugin::manifest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = manifest::parse(&String::from_utf8_lossy(data));
});
