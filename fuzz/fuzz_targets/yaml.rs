//! The YAML decoder and encoder: whatever decodes must encode, and the
//! encoding must decode again to the same text when encoded once more.
#![no_main]

use chartroom_engine::yaml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = yaml::parse_all(&text);
    if let Ok(v) = yaml::parse(&text) {
        if let Ok(out) = yaml::to_yaml(&v) {
            let again = yaml::parse(&out).unwrap_or_else(|e| panic!("re-decode of {out:?}: {e:?}"));
            let out2 = yaml::to_yaml(&again).expect("re-encode");
            assert_eq!(out, out2, "round trip changed the document");
        }
    }
});
