//! The Chartroom side of the differential tester (scripts/difftest/): one
//! process renders whole batches of generated programs, so thousands of
//! programs cost one process start instead of one each.
//!
//! stdin: one JSON request per line; stdout: one JSON answer per line.
//!   {"values": "<values.yaml text>", "user": "<user values JSON or null>",
//!    "files": {"files/a.txt": "...", ...},
//!    "templates": {"p1.txt": "...", ...}, "sets": ["a=1", ...]}
//! → {"templates": {"p1.txt": {"output": "..."} | {"error": "..."}, ...},
//!    "sets": [{"json": "<strvals result as JSON>"} | {"error": "..."}, ...]}
//!
//! Each template is rendered alone as `c/templates/<name>` of chart `c`
//! (release `release-name`, namespace `default`), which is what Helm's
//! outcome for that one program is; `sets` are parsed by strvals.ParseInto
//! (`--set`) one line each, so their result can be compared with Helm's
//! parser without the int64/float64 difference the oracle's JSON ABI adds.
//!
//! With `"together": true`, all the templates are rendered as one chart
//! (they share the values, so one template's `set`/`merge` on `.Values` is
//! seen by the templates rendered after it, as in Helm's batch render); an
//! error is every template's answer.
//!
//! Run: cargo run --release -p chartroom-engine --example difftest_render

use std::collections::BTreeMap;
use std::io::{BufRead, Write};

use chartroom_engine::api::{render_templates, RenderRequest};
use chartroom_engine::{chart, json, strvals, value::Map, Value};
use serde_json::{json, Value as Json};

fn render_one(values: &str, user: Option<&str>, extra: &BTreeMap<String, Vec<u8>>, name: &str, text: &str) -> Json {
    let one = BTreeMap::from([(name.to_string(), text.to_string())]);
    render_chart(values, user, extra, &one).remove(name).unwrap_or(Json::Null)
}

/// The outcome of each template of chart `c` holding all of `templates`.
fn render_chart(
    values: &str,
    user: Option<&str>,
    extra: &BTreeMap<String, Vec<u8>>,
    templates: &BTreeMap<String, String>,
) -> BTreeMap<String, Json> {
    let mut files = extra.clone();
    files.insert("Chart.yaml".into(), b"apiVersion: v2\nname: c\nversion: 0.1.0\n".to_vec());
    files.insert("values.yaml".into(), values.as_bytes().to_vec());
    for (name, text) in templates {
        files.insert(format!("templates/{name}"), text.as_bytes().to_vec());
    }
    let req = RenderRequest {
        release_name: "release-name".into(),
        namespace: "default".into(),
        values_files: user.map(|u| vec![("user.json".to_string(), u.as_bytes().to_vec())]).unwrap_or_default(),
        ..RenderRequest::default()
    };
    let res = chart::load_files(&files)
        .map_err(|e| e.message)
        .and_then(|ch| render_templates(&ch, &req).map(|(out, _)| out).map_err(|e| e.message));
    templates
        .keys()
        .map(|name| {
            let r = match &res {
                Ok(out) => json!({ "output": out.get(&format!("c/templates/{name}")).cloned().unwrap_or_default() }),
                Err(e) => json!({ "error": e }),
            };
            (name.clone(), r)
        })
        .collect()
}

fn parse_set(line: &str) -> Json {
    let mut m = Map::new();
    match strvals::parse_into(line, &mut m) {
        Ok(()) => match json::to_json(&Value::map(m)) {
            Ok(j) => json!({ "json": j }),
            Err(e) => json!({ "error": format!("to_json: {e}") }),
        },
        Err(e) => json!({ "error": e.to_string() }),
    }
}

fn answer(req: &Json) -> Json {
    let values = req["values"].as_str().unwrap_or("");
    let user = req["user"].as_str();
    // Other chart files (files/…), the same for every template of the batch.
    let extra: BTreeMap<String, Vec<u8>> = req["files"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").as_bytes().to_vec())).collect())
        .unwrap_or_default();
    let mut out = serde_json::Map::new();
    if req["together"].as_bool() == Some(true) {
        let ts: BTreeMap<String, String> = req["templates"]
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string())).collect())
            .unwrap_or_default();
        let r = std::panic::catch_unwind(|| render_chart(values, user, &extra, &ts))
            .unwrap_or_else(|_| ts.keys().map(|k| (k.clone(), json!({ "error": "PANIC" }))).collect());
        out.extend(r);
    } else if let Some(ts) = req["templates"].as_object() {
        for (name, text) in ts {
            let text = text.as_str().unwrap_or("");
            let r = std::panic::catch_unwind(|| render_one(values, user, &extra, name, text))
                .unwrap_or_else(|_| json!({ "error": "PANIC" }));
            out.insert(name.clone(), r);
        }
    }
    let sets: Vec<Json> = req["sets"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|l| {
                    let l = l.as_str().unwrap_or("");
                    std::panic::catch_unwind(|| parse_set(l)).unwrap_or_else(|_| json!({ "error": "PANIC" }))
                })
                .collect()
        })
        .unwrap_or_default();
    json!({ "templates": out, "sets": sets })
}

fn main() {
    // Panics are answers here (reported as "PANIC"), not noise on stderr.
    std::panic::set_hook(Box::new(|_| {}));
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let ans = match serde_json::from_str::<Json>(&line) {
            Ok(req) => answer(&req),
            Err(e) => json!({ "fatal": e.to_string() }),
        };
        let _ = writeln!(stdout, "{ans}");
        let _ = stdout.flush();
    }
}
