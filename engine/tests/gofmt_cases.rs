//! Oracle cases for Go's fmt (printf/print/println), encoding/json
//! (toJson/toRawJson/toPrettyJson/fromJson/fromJsonArray) and the
//! text/template escapers (html/js/urlquery).
//!
//! Each case in `tests/cases/{printf,json,escape}.json` was rendered by real
//! Helm (scripts/gen_template_cases.py). Until the template executor exists,
//! the `args` key of a case spells out the Go values the template passes,
//! and we call the Rust port directly with them.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use chartroom_engine::gofmt::{escape, printf};
use chartroom_engine::json::{self, Target};
use chartroom_engine::value::{IntType, ListType, Value};

fn load(topic: &str) -> Vec<Value> {
    let path = format!("{}/tests/cases/{topic}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    match json::from_json(&text) {
        Ok(Value::List(l, _)) => l.borrow().clone(),
        other => panic!("{path}: not a JSON list: {other:?}"),
    }
}

fn field(case: &Value, key: &str) -> Option<Value> {
    case.get(key)
}

fn text(case: &Value, key: &str) -> Option<String> {
    field(case, key).and_then(|v| v.as_str().map(str::to_string))
}

fn num_i64(v: &Value) -> i64 {
    match v {
        Value::Float(f) => *f as i64,
        Value::String(s) => s.parse().unwrap_or_else(|_| panic!("bad int {s}")),
        other => panic!("bad int {other:?}"),
    }
}

/// Builds the Go value an `args` entry spells out.
fn spec(v: &Value) -> Value {
    if let Value::String(s) = v {
        assert_eq!(&**s, "nil", "bare string arg spec");
        return Value::Nil;
    }
    let Value::Map(m, _) = v else { panic!("bad arg spec {v:?}") };
    let m = m.borrow();
    let (k, x) = m.iter().next().unwrap_or_else(|| panic!("empty arg spec"));
    match k.as_str() {
        "f" => Value::Float(match x {
            Value::Float(f) => *f,
            Value::String(s) => s.parse().unwrap_or_else(|_| panic!("bad float {s}")),
            other => panic!("bad float {other:?}"),
        }),
        "i" => Value::Int(num_i64(x), IntType::Int),
        "i64" => Value::Int(num_i64(x), IntType::Int64),
        "u" => Value::Uint(num_i64(x) as u64),
        "s" => x.clone(),
        "b" => x.clone(),
        "l" => {
            let Value::List(l, _) = x else { panic!("bad list") };
            Value::List(Rc::new(RefCell::new(l.borrow().iter().map(spec).collect())), ListType::ANY)
        }
        "sl" => {
            let Value::List(l, _) = x else { panic!("bad list") };
            Value::List(Rc::new(RefCell::new(l.borrow().clone())), ListType::STRING)
        }
        "m" => {
            let Value::Map(mm, _) = x else { panic!("bad map") };
            let out: BTreeMap<String, Value> = mm.borrow().iter().map(|(k, v)| (k.clone(), spec(v))).collect();
            Value::map(out)
        }
        "bytes" => {
            let Value::List(l, _) = x else { panic!("bad bytes") };
            let b: Vec<u8> = l.borrow().iter().map(|v| num_i64(v) as u8).collect();
            Value::Bytes(Rc::from(b))
        }
        other => panic!("unknown arg spec {other}"),
    }
}

fn args(case: &Value) -> Option<Vec<Value>> {
    match field(case, "args")? {
        Value::List(l, _) => Some(l.borrow().clone()),
        _ => None,
    }
}

struct Tally {
    pass: usize,
    fail: Vec<String>,
    skipped: Vec<String>,
}

impl Tally {
    fn new() -> Tally {
        Tally { pass: 0, fail: Vec::new(), skipped: Vec::new() }
    }

    fn check(&mut self, name: &str, got: &str, want: &str) {
        if got == want {
            self.pass += 1;
        } else {
            self.fail.push(format!("{name}:\n   got {got:?}\n  want {want:?}"));
        }
    }

    fn report(&self, topic: &str, known: &[(&str, &str)]) {
        eprintln!("{topic}: {} passed, {} failed, {} skipped", self.pass, self.fail.len(), self.skipped.len());
        for s in &self.skipped {
            eprintln!("  skipped {s}");
        }
        let unexpected: Vec<&String> =
            self.fail.iter().filter(|f| !known.iter().any(|(k, _)| f.starts_with(&format!("{k}:")))).collect();
        for f in &self.fail {
            eprintln!("  FAIL {f}");
        }
        assert!(unexpected.is_empty(), "{topic}: {} unexpected failures", unexpected.len());
    }
}

/// Expected output of a template that ends with a literal `|` after the call.
fn want_output(case: &Value) -> Option<String> {
    text(case, "output")
}

#[test]
fn printf_cases_match_helm() {
    let mut t = Tally::new();
    for case in load("printf") {
        let name = text(&case, "name").unwrap_or_default();
        let Some(want) = want_output(&case) else {
            t.skipped.push(format!("{name} (Helm error)"));
            continue;
        };
        let Some(a) = args(&case) else {
            t.skipped.push(format!("{name} (no args)"));
            continue;
        };
        let template = text(&case, "template").unwrap_or_default();
        let got = match text(&case, "func").as_deref() {
            Some("print") => printf::sprint(&a.iter().map(spec).collect::<Vec<_>>()),
            Some("println") => printf::sprintln(&a.iter().map(spec).collect::<Vec<_>>()),
            _ => {
                let format = a.first().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
                let rest: Vec<Value> = a.iter().skip(1).map(spec).collect();
                printf::sprintf(&format, &rest)
            }
        };
        let got = if template.ends_with("}}|") { got + "|" } else { got };
        t.check(&name, &got, &want);
    }
    t.report("printf", KNOWN_PRINTF);
}

/// Differences we know about, with the reason.
const KNOWN_PRINTF: &[(&str, &str)] = &[];

#[test]
fn json_cases_match_helm() {
    let mut t = Tally::new();
    for case in load("json") {
        let name = text(&case, "name").unwrap_or_default();
        let func = text(&case, "func").unwrap_or_default();
        let Some(a) = args(&case) else {
            t.skipped.push(format!("{name} (no args)"));
            continue;
        };
        let want = want_output(&case);
        let err = text(&case, "error");
        match func.as_str() {
            "fromJson" | "fromJsonArray" => {
                let src = a.first().map(spec).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
                let target = if func == "fromJson" { Target::Map } else { Target::Slice };
                let (v, e) = json::unmarshal(src.as_bytes(), target);
                // Helm: fromJson puts the error under "Error" in the map it
                // returns; fromJsonArray returns a list holding only the error.
                let v = match (e, target) {
                    (None, _) => v,
                    (Some(e), Target::Slice) => Value::list(vec![Value::string(e)]),
                    (Some(e), _) => {
                        if let Value::Map(m, _) = &v {
                            m.borrow_mut().insert("Error".into(), Value::string(e));
                        }
                        v
                    }
                };
                let got = format!("{}|{}", json::to_json(&v).unwrap_or_default(), printf::sprintf("%#v", &[v]));
                t.check(&name, &got, &want.unwrap_or_default());
            }
            "roundtrip" => {
                // {{ .Values | toJson | fromJson | toJson }}
                let v = a.first().map(spec).unwrap_or(Value::Nil);
                let once = json::to_json(&v).unwrap_or_default();
                let back = json::from_json(&once).unwrap_or(Value::Nil);
                t.check(&name, &json::to_json(&back).unwrap_or_default(), &want.unwrap_or_default());
            }
            _ => {
                let v = a.first().map(spec).unwrap_or(Value::Nil);
                let base = func.trim_start_matches("must");
                let res = match base {
                    "toJson" | "ToJson" => json::to_json(&v),
                    "toRawJson" | "ToRawJson" => json::to_raw_json(&v),
                    _ => json::to_pretty_json(&v),
                };
                match (res, want, err) {
                    // Sprig's toJson family swallows errors and yields "".
                    (Err(_), Some(w), _) if !func.starts_with("must") => t.check(&name, "", &w),
                    (Ok(s), Some(w), _) => t.check(&name, &s, &w),
                    (Err(e), _, Some(he)) => {
                        let want_tail = he.rsplit(": error calling ").next().unwrap_or("").to_string();
                        t.check(&name, &format!("{func}: {e}"), &want_tail);
                    }
                    (got, w, e) => t.check(&name, &format!("{got:?}"), &format!("{w:?} / {e:?}")),
                }
            }
        }
    }
    t.report("json", KNOWN_JSON);
}

/// Differences we know about, with the reason.
const KNOWN_JSON: &[(&str, &str)] = &[
    ("fromJson-null", "Go leaves a nil map (prints `map[string]interface {}(nil)`); we return an empty map"),
    ("fromJsonArray-null", "Go leaves a nil slice; we return an empty list"),
];

#[test]
fn escape_cases_match_helm() {
    let mut t = Tally::new();
    for case in load("escape") {
        let name = text(&case, "name").unwrap_or_default();
        let func = text(&case, "func").unwrap_or_default();
        let Some(want) = want_output(&case) else {
            t.skipped.push(format!("{name} (Helm error)"));
            continue;
        };
        let a: Vec<Value> = args(&case).unwrap_or_default().iter().map(spec).collect();
        let got = match func.as_str() {
            "html" => escape::html(&a),
            "js" => escape::js(&a),
            _ => escape::urlquery(&a),
        };
        t.check(&name, &got, &want);
    }
    t.report("escape", &[]);
}

/// Rough speed check of the hot paths (run with `--release -- --ignored`).
#[test]
#[ignore]
fn bench_hot_paths() {
    let a = [Value::str("release-name"), Value::str("component")];
    let n = 1_000_000;
    let t = std::time::Instant::now();
    let mut total = 0;
    for _ in 0..n {
        total += printf::sprintf("%s-%s", &a).len();
    }
    eprintln!("sprintf %s-%s: {:?}/call ({total})", t.elapsed() / n);
    let v = [Value::Float(3.0)];
    let t = std::time::Instant::now();
    for _ in 0..n {
        total += printf::sprintf("%v", &v).len();
    }
    eprintln!("sprintf %v float: {:?}/call", t.elapsed() / n);
    let m = Value::list(vec![Value::str("a"), Value::int(1), Value::Float(2.5)]);
    let t = std::time::Instant::now();
    for _ in 0..n {
        total += printf::sprint(std::slice::from_ref(&m)).len();
    }
    eprintln!("sprint list: {:?}/call ({total})", t.elapsed() / n);
}
