//! Oracle fixtures (scripts/gen_template_cases.py) for YAML reading and writing.
//!
//! yaml_parse: each case's values.yaml through Helm (`{{ toJson .Values }}`)
//! vs our `load_values` (null map entries removed, as Helm's coalescing does);
//! errors vs Helm's `cannot load values.yaml: …` text.
//! yaml_emit: `{{ toYaml .Values }}` (or `.Values.x`) vs `to_yaml` of what we
//! read.
//! Each case is its own test, named `TOPIC/NAME`; the known parse deviations
//! are reported with kind `known` and must keep failing.

mod kit;

use chartroom_engine::value::Map;
use chartroom_engine::yaml::{load_values, to_yaml};
use chartroom_engine::Value;
use serde_json::Value as J;

/// Helm's coalescing deletes null values from maps (not from lists).
fn strip_nils(v: &Value) {
    match v {
        Value::Map(m, _) => {
            let mut m = m.borrow_mut();
            m.retain(|_, x| !x.is_nil());
            for x in m.values() {
                strip_nils(x);
            }
        }
        Value::List(l, _) => {
            for x in l.borrow().iter() {
                strip_nils(x);
            }
        }
        _ => {}
    }
}

/// Structural equality of our value with encoding/json output parsed by serde_json.
fn same(v: &Value, j: &J) -> bool {
    match (v, j) {
        (Value::Nil, J::Null) => true,
        (Value::Bool(a), J::Bool(b)) => a == b,
        (Value::Float(a), J::Number(n)) => n.as_f64() == Some(*a),
        (Value::String(a), J::String(b)) => &**a == b.as_str(),
        (Value::List(l, _), J::Array(b)) => {
            let l = l.borrow();
            l.len() == b.len() && l.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (Value::Map(m, _), J::Object(o)) => {
            let m = m.borrow();
            m.len() == o.len() && m.iter().all(|(k, x)| o.get(k).is_some_and(|y| same(x, y)))
        }
        _ => false,
    }
}

const LOAD_PREFIX: &str = "cannot load values.yaml: ";

/// Known deviations of libyaml 0.2.5's scanner (unsafe-libyaml) from go-yaml
/// v2's inside flow collections: libyaml rejects `:` right before `,` / `]`
/// ("found unexpected ':'") where go-yaml keeps it in the plain scalar;
/// go-yaml ends flow plain scalars at `?` and reads `?x` as a key. These
/// cases must keep failing until the scanner is fixed (then drop them here).
const KNOWN_PARSE_DEVIATIONS: &[&str] =
    &["flow-colon-before-bracket", "flow-question-inside", "flow-colon-comma", "flow-question-start"];

fn values_of(case: &J) -> String {
    case.get("values").and_then(J::as_str).unwrap_or_default().to_string()
}

fn parse_case(case: &J) -> Result<(), String> {
    let got = load_values(&values_of(case));
    match (case.get("output").and_then(J::as_str), case.get("error").and_then(J::as_str), got) {
        (Some(out), _, Ok(m)) => {
            let v = Value::map(m);
            strip_nils(&v);
            let want: J = serde_json::from_str(out).expect("toJson output");
            if !same(&v, &want) {
                return Err(format!("got {v:?}\n   want {out}"));
            }
            Ok(())
        }
        (_, Some(err), Err(e)) => {
            let want = err.strip_prefix(LOAD_PREFIX).unwrap_or(err);
            if e.msg != want {
                return Err(format!("error\n   got  {}\n   want {want}", e.msg));
            }
            Ok(())
        }
        (Some(out), _, Err(e)) => Err(format!("got error {}, want {out}", e.msg)),
        (_, Some(err), Ok(m)) => Err(format!("got {m:?}, want error {err}")),
        _ => Err("fixture has neither output nor error".into()),
    }
}

/// The data a template's `.Values.x` path reaches.
fn path(m: &Map, template: &str) -> Option<Value> {
    // Templates look like `{{ toYaml .Values }}` or `{{ toYaml .Values.key }}`.
    let inner = template.trim().strip_prefix("{{ toYaml .Values")?.strip_suffix("}}")?.trim();
    if inner.is_empty() {
        return Some(Value::map(m.clone()));
    }
    let key = inner.strip_prefix('.')?;
    // A missing key is nil (`toYaml` prints `null`).
    Some(m.get(key).cloned().unwrap_or(Value::Nil))
}

/// `toYaml` (or `toYamlPretty` when `pretty`) of the values a case's
/// template reaches.
fn emit_case(case: &J, pretty: bool) -> Result<(), String> {
    let mut template = case["template"].as_str().unwrap_or_default().to_string();
    if pretty {
        template = template.replace("toYamlPretty", "toYaml");
    }
    let Some(want) = case.get("output").and_then(J::as_str) else {
        return Err(format!("Helm failed: {:?}", case.get("error")));
    };
    let m = load_values(&values_of(case)).map_err(|e| format!("load error {}", e.msg))?;
    let v = Value::map(m);
    strip_nils(&v);
    let Value::Map(m, _) = &v else { return Ok(()) };
    let Some(data) = path(&m.borrow(), &template) else {
        return Err(format!("unsupported template {template}"));
    };
    let got = if pretty { chartroom_engine::yaml::to_yaml_pretty(&data) } else { to_yaml(&data) };
    match got {
        Ok(got) if got == want => Ok(()),
        Ok(got) => Err(format!("got  {got:?}\n   want {want:?}")),
        // toYaml swallows marshalling errors and prints nothing.
        Err(_) if want.is_empty() => Ok(()),
        Err(e) => Err(format!("error {e}")),
    }
}

/// Helm's `releaseutil.SplitManifests` separator, simplified: documents are
/// separated by lines starting with `---` (enough for these fixtures).
fn split_docs(s: &str) -> Vec<String> {
    let mut docs = vec![String::new()];
    for line in s.split_inclusive('\n') {
        if line.starts_with("---") {
            docs.push(String::new());
        } else if let Some(d) = docs.last_mut() {
            d.push_str(line);
        }
    }
    docs.into_iter().filter(|d| !d.trim().is_empty()).collect()
}

fn manifest_case(case: &J) -> Result<(), String> {
    let manifest = case["manifest"].as_str().unwrap_or_default();
    let got: Result<(), String> = split_docs(manifest)
        .iter()
        .try_for_each(|d| chartroom_engine::yaml::manifest_head(d).map(|_| ()).map_err(|e| e.msg));
    let want_err = case
        .get("error")
        .and_then(J::as_str)
        .map(|e| e.strip_prefix("YAML parse error on c/templates/a.yaml: ").unwrap_or(e));
    match (want_err, got) {
        (None, Ok(())) => Ok(()),
        (Some(w), Err(g)) if w == g => Ok(()),
        (w, g) => Err(format!("got  {g:?}\n   want {w:?}")),
    }
}

fn from_case(case: &J) -> Result<(), String> {
    let template = case["template"].as_str().unwrap_or_default();
    // The input string is the value of `s` in the case's values.
    let s = load_values(&values_of(case))
        .map(|m| m.get("s").and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default())
        .map_err(|e| format!("values: {}", e.msg))?;
    let got = if template.contains("fromYamlArray") {
        chartroom_engine::yaml::from_yaml_array(&s)
    } else {
        chartroom_engine::yaml::from_yaml(&s)
    };
    let Some(out) = case.get("output").and_then(J::as_str) else {
        return Err("Helm failed".into());
    };
    let want: J = serde_json::from_str(out).expect("toJson output");
    if !same(&got, &want) {
        return Err(format!("got {got:?}\n   want {out}"));
    }
    Ok(())
}

/// One case's check.
type Check = fn(&J) -> Result<(), String>;

fn main() {
    let mut trials = Vec::new();
    let topics: [(&str, Check); 5] = [
        ("yaml_parse", parse_case),
        ("yaml_emit", |c| emit_case(c, false)),
        ("yaml_manifest", manifest_case),
        ("yaml_from", from_case),
        ("yaml_pretty", |c| emit_case(c, true)),
    ];
    for (topic, check) in topics {
        let known = |n: &str| n.strip_prefix("yaml_parse/").is_some_and(|n| KNOWN_PARSE_DEVIATIONS.contains(&n));
        let path = kit::cases_dir().join(format!("{topic}.json"));
        trials.extend(kit::file_trials(&path, kit::CASES_HOW, |_| true, known, check));
    }
    kit::run(trials)
}
