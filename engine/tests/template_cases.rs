//! Data-driven template tests: every `tests/cases/*.json` case (template +
//! values → Helm's exact output or error, generated from real Helm by
//! scripts/gen_template_cases.py) rendered by the engine as chart `c`.
//!
//! Cases whose `args` key is set are function-level cases; they are run by
//! the function tests, and here only when they also carry a `template`.
//! Cases with a `shape` (random or clock-dependent output) must match that
//! regular expression instead of Helm's sample output.
//! A file `tests/cases/known-failures.txt` may list `TOPIC/NAME  REASON`
//! lines; those are reported with kind `known` and must keep failing.
//! Each case is its own test, named `TOPIC/NAME`.

mod kit;

use std::collections::BTreeMap;

use chartroom_engine::api::{render_templates, RenderRequest};
use chartroom_engine::chart;

fn render_case(case: &serde_json::Value) -> Result<String, String> {
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    files.insert("Chart.yaml".into(), b"apiVersion: v2\nname: c\nversion: 0.1.0\n".to_vec());
    let values = case.get("values").and_then(|v| v.as_str()).unwrap_or("");
    files.insert("values.yaml".into(), values.as_bytes().to_vec());
    let template = case.get("template").and_then(|v| v.as_str()).unwrap_or("");
    files.insert("templates/t.txt".into(), template.as_bytes().to_vec());
    if let Some(extra) = case.get("files").and_then(|v| v.as_object()) {
        for (k, v) in extra {
            files.insert(k.clone(), v.as_str().unwrap_or("").as_bytes().to_vec());
        }
    }
    let req = RenderRequest {
        release_name: case.get("release").and_then(|v| v.as_str()).unwrap_or("release-name").into(),
        namespace: case.get("namespace").and_then(|v| v.as_str()).unwrap_or("default").into(),
        ..RenderRequest::default()
    };
    let ch = chart::load_files(&files).map_err(|e| e.message)?;
    let (out, _) = render_templates(&ch, &req).map_err(|e| e.message)?;
    // The oracle's answers cross Go's encoding/json, which writes bytes
    // that are not UTF-8 as U+FFFD.
    Ok(chartroom_engine::gostring::to_runes(&out.get("c/templates/t.txt").cloned().unwrap_or_default()).into_owned())
}

fn check(c: &serde_json::Value) -> Result<(), String> {
    let got = render_case(c);
    let shape = c.get("shape").and_then(|v| v.as_str());
    let ok = match (c.get("output").and_then(|v| v.as_str()), c.get("error").and_then(|v| v.as_str())) {
        // Nondeterministic functions (random, now): Helm's output is one
        // sample; ours must have the same shape (a regex).
        (Some(_), _) if shape.is_some() => match (&got, regex::Regex::new(shape.unwrap_or(""))) {
            (Ok(g), Ok(re)) => re.is_match(g),
            _ => false,
        },
        (Some(w), _) => got.as_deref() == Ok(w),
        (None, Some(e)) => got.as_ref().err().map(String::as_str) == Some(e),
        _ => return Err("the case has neither output nor error".into()),
    };
    if ok {
        return Ok(());
    }
    let want = c.get("output").or(c.get("error")).cloned().unwrap_or_default();
    Err(format!("want {want}\ngot  {got:?}"))
}

fn main() {
    let known = kit::known_failures(&kit::cases_dir().join("known-failures.txt"), &[' ', '\t']);
    let mut trials = Vec::new();
    for p in kit::json_files(&kit::cases_dir(), "") {
        let has_template = |c: &serde_json::Value| c.get("template").is_some();
        trials.extend(kit::file_trials(&p, kit::CASES_HOW, has_template, |n| known.contains_key(n), check));
    }
    let names = trials.iter().map(|t| t.name().to_string()).collect();
    trials.push(kit::stale_known(&known, &names));
    kit::run(trials)
}
