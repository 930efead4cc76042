//! Oracle cases for Go's fmt (printf/print/println), encoding/json
//! (toJson/toRawJson/toPrettyJson/fromJson/fromJsonArray) and the
//! text/template escapers (html/js/urlquery).
//!
//! Each case in `tests/cases/{printf,json,escape}.json` was rendered by real
//! Helm (scripts/gen_template_cases.py). The `args` key of a case spells out
//! the Go values the template passes, and the Rust port is called directly
//! with them (template_cases renders the same cases' templates). Each case is
//! its own test, named `TOPIC/NAME`; cases Helm answers with an error are
//! template-level only and are not run here.

mod kit;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use chartroom_engine::gofmt::{escape, printf};
use chartroom_engine::json::{self, Target};
use chartroom_engine::value::{IntType, ListType, Value};

const HOW: &str = kit::CASES_HOW;

thread_local! {
    /// Each topic's cases as engine values, read once per test thread (a
    /// `Value` cannot cross threads, so a trial names its case by index).
    static CASES: RefCell<HashMap<String, Rc<Vec<Value>>>> = RefCell::new(HashMap::new());
}

fn cases_path(topic: &str) -> std::path::PathBuf {
    kit::cases_dir().join(format!("{topic}.json"))
}

/// Case `i` of `tests/cases/<topic>.json`, read with the engine's
/// encoding/json port (exact Go numbers).
fn case_at(topic: &str, i: usize) -> Value {
    CASES.with(|c| {
        let list = c
            .borrow_mut()
            .entry(topic.to_string())
            .or_insert_with(|| {
                let path = cases_path(topic);
                match json::from_json(&kit::read_fixture(&path, HOW)) {
                    Ok(Value::List(l, _)) => Rc::new(l.borrow().clone()),
                    other => panic!("{}: not a JSON list: {other:?} ({HOW})", path.display()),
                }
            })
            .clone();
        list[i].clone()
    })
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

/// Expected output of a template that ends with a literal `|` after the call.
fn want_output(case: &Value) -> Option<String> {
    text(case, "output")
}

/// Compares a port's answer with Helm's.
fn same(got: &str, want: &str) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("   got {got:?}\n  want {want:?}"))
    }
}

fn printf_case(case: &Value) -> Result<(), String> {
    let want = want_output(case).ok_or("no output")?;
    let a = args(case).ok_or("no args")?;
    let template = text(case, "template").unwrap_or_default();
    let got = match text(case, "func").as_deref() {
        Some("print") => printf::sprint(&a.iter().map(spec).collect::<Vec<_>>()),
        Some("println") => printf::sprintln(&a.iter().map(spec).collect::<Vec<_>>()),
        _ => {
            let format = a.first().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
            let rest: Vec<Value> = a.iter().skip(1).map(spec).collect();
            printf::sprintf(&format, &rest)
        }
    };
    let got = if template.ends_with("}}|") { got + "|" } else { got };
    same(&got, &want)
}

fn json_case(case: &Value) -> Result<(), String> {
    let func = text(case, "func").unwrap_or_default();
    let a = args(case).ok_or("no args")?;
    let want = want_output(case);
    let err = text(case, "error");
    match func.as_str() {
        "fromJson" | "fromJsonArray" => {
            let src = a.first().map(spec).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
            let target = if func == "fromJson" { Target::Map } else { Target::Slice };
            let (v, e) = json::unmarshal(src.as_bytes(), target);
            // Helm: fromJson puts the error under "Error" in the map it
            // returns; fromJsonArray returns a list holding only the error.
            let v = match (e, target) {
                (None, _) => v,
                (Some(e), Target::Slice) => Value::list(vec![Value::string(e.message)]),
                (Some(e), _) => {
                    if let Value::Map(m, _) = &v {
                        m.borrow_mut().insert("Error".into(), Value::string(e.message));
                    }
                    v
                }
            };
            let got = format!("{}|{}", json::to_json(&v).unwrap_or_default(), printf::sprintf("%#v", &[v]));
            same(&got, &want.unwrap_or_default())
        }
        "roundtrip" => {
            // {{ .Values | toJson | fromJson | toJson }}
            let v = a.first().map(spec).unwrap_or(Value::Nil);
            let once = json::to_json(&v).unwrap_or_default();
            let back = json::from_json(&once).unwrap_or(Value::Nil);
            same(&json::to_json(&back).unwrap_or_default(), &want.unwrap_or_default())
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
                (Err(_), Some(w), _) if !func.starts_with("must") => same("", &w),
                (Ok(s), Some(w), _) => same(&s, &w),
                (Err(e), _, Some(he)) => {
                    let want_tail = he.rsplit(": error calling ").next().unwrap_or("").to_string();
                    same(&format!("{func}: {e}"), &want_tail)
                }
                (got, w, e) => same(&format!("{got:?}"), &format!("{w:?} / {e:?}")),
            }
        }
    }
}

fn escape_case(case: &Value) -> Result<(), String> {
    let want = want_output(case).ok_or("no output")?;
    let func = text(case, "func").unwrap_or_default();
    let a: Vec<Value> = args(case).unwrap_or_default().iter().map(spec).collect();
    let got = match func.as_str() {
        "html" => escape::html(&a),
        "js" => escape::js(&a),
        _ => escape::urlquery(&a),
    };
    same(&got, &want)
}

/// Differences we know about (`TOPIC/NAME`, reason); such a case must keep
/// failing. None today (json/fromJson-null and json/fromJsonArray-null,
/// listed before, match Helm now).
const KNOWN: &[(&str, &str)] = &[];

/// A topic's check of one case: Err says how Chartroom differs.
type Check = fn(&Value) -> Result<(), String>;

fn main() {
    let topics: [(&str, Check); 3] = [("printf", printf_case), ("json", json_case), ("escape", escape_case)];
    let mut trials = vec![kit::test("bench_hot_paths", bench_hot_paths).with_ignored_flag(true)];
    for (topic, check) in topics {
        let cases = kit::json_cases(&cases_path(topic), HOW);
        let mut run = 0;
        for (i, c) in cases.iter().enumerate() {
            // Cases Helm answers with an error have no port-level answer.
            if c.get("args").is_none() || (topic != "json" && c.get("output").is_none()) {
                continue;
            }
            let name = c["name"].as_str().unwrap_or("?").to_string();
            let is_known = KNOWN.iter().any(|(k, _)| *k == format!("{topic}/{name}"));
            run += 1;
            trials.push(kit::case(format!("{topic}/{name}"), is_known, move || check(&case_at(topic, i))));
        }
        assert!(run > 0, "no {topic} cases in {} ({HOW})", cases_path(topic).display());
    }
    kit::run(trials)
}

/// Rough speed check of the hot paths (run with `--release -- --ignored`).
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
