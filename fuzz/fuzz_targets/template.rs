//! The template parser and executor: any text as a chart template, with
//! tight limits (steps, memory, a deadline); it must end in output or an
//! error. The first line of the input may hold values.yaml text after `#v:`.
#![no_main]

use std::collections::BTreeMap;

use chartroom_engine::api::{render_templates, RenderRequest};
use chartroom_engine::chart;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (values, template) = match text.strip_prefix("#v:") {
        Some(rest) => rest.split_once('\n').unwrap_or((rest, "")),
        None => ("", text.as_ref()),
    };
    let mut files = BTreeMap::new();
    files.insert("Chart.yaml".to_string(), b"apiVersion: v2\nname: c\nversion: 0.1.0\n".to_vec());
    files.insert("values.yaml".to_string(), values.replace("\\n", "\n").into_bytes());
    files.insert("templates/t.txt".to_string(), template.as_bytes().to_vec());
    files.insert("templates/_h.tpl".to_string(), b"{{ define \"h\" }}{{ . }}{{ end }}".to_vec());
    let Ok(ch) = chart::load_files(&files) else { return };
    let req = RenderRequest {
        max_steps: Some(200_000),
        max_memory: Some(16 << 20),
        timeout_nanos: Some(2_000_000_000),
        seed: Some(1),
        now_unix_nanos: Some(0),
        ..RenderRequest::default()
    };
    let _ = render_templates(&ch, &req);
});
