//! values.schema.json validation: the input is `SCHEMA\0VALUES-YAML`.
#![no_main]

use chartroom_engine::chart::schema::validate_against_single_schema;
use chartroom_engine::yaml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (schema, values) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b"a: 1\nb: [x, 2]\n"[..]),
    };
    let Ok(v) = yaml::parse(&String::from_utf8_lossy(values)) else { return };
    let _ = validate_against_single_schema(&v, schema);
});
