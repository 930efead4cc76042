//! Helm's strvals grammar (`--set`, `--set-string`, `--set-json`, `--set-literal`).
#![no_main]

use chartroom_engine::strvals;
use chartroom_engine::value::Map;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let _ = strvals::parse(&s);
    let _ = strvals::parse_string(&s);
    let _ = strvals::parse_literal(&s);
    let _ = strvals::parse_json(&s, &mut Map::new());
    let _ = strvals::to_yaml(&s);
});
