//! Sprig functions against real Helm: every case in
//! `tests/cases/sprig_*.json` that has `fn` + `args` calls the registered
//! function body directly (the template executor converts arguments in real
//! renders; here the args are already of the Go parameter types) and compares
//! `RESULT|TYPE` with Helm's output of
//! `{{ $r := fn args }}{{ $r }}|{{ typeOf $r }}`, or the error text with what
//! Helm prints after `error calling FN: `.
//! Cases without `args` (hand-written pipelines) and cases whose Helm error
//! happens before the call (argument conversion) are the executor's tests.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use chartroom_engine::sprig;
use chartroom_engine::template::{Env, FuncMap};
use chartroom_engine::value::{ListType, Value};
use serde_json::Value as J;

fn decode(j: &J) -> Value {
    match j {
        J::Null => Value::Nil,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => {
            if let Some(i) = n.as_i64().filter(|_| !n.is_f64()) {
                Value::int(i)
            } else {
                Value::Float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        J::String(s) => Value::str(s),
        J::Array(a) => Value::list(a.iter().map(decode).collect()),
        J::Object(m) => {
            if m.len() == 1 {
                if let Some(v) = m.get("$int64") {
                    return match decode(v) {
                        Value::Int(i, _) => Value::int64(i),
                        other => other,
                    };
                }
                if let Some(J::Array(a)) = m.get("$time") {
                    let (l, v) = (a[0].as_str().unwrap_or(""), a[1].as_str().unwrap_or(""));
                    let t = sprig::date::parse_layout(l, v).unwrap_or_default();
                    return Value::Object(Rc::new(t));
                }
                if let Some(J::Array(a)) = m.get("$strs") {
                    let items = a.iter().map(|x| Value::string(sprig_strval(&decode(x)))).collect();
                    return Value::List(Rc::new(RefCell::new(items)), ListType::String);
                }
            }
            let mut out = BTreeMap::new();
            for (k, v) in m {
                out.insert(k.clone(), decode(v));
            }
            Value::map(out)
        }
    }
}

fn sprig_strval(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        other => other.to_go_string(),
    }
}

/// What Go's template prints for a value (`<no value>` → "" in Helm).
fn printed(v: &Value) -> String {
    if v.is_nil() {
        String::new()
    } else {
        v.to_go_string()
    }
}

#[test]
fn sprig_functions_match_helm() {
    let mut funcs = FuncMap::new();
    sprig::register(&mut funcs);
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("cases dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            n.starts_with("sprig_") && n.ends_with(".json")
        })
        .collect();
    files.sort();
    let (mut passed, mut skipped, mut deviations) = (0, 0, 0);
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("read");
        let cases: Vec<J> = serde_json::from_str(&text).expect("json");
        for case in &cases {
            let name = case["name"].as_str().unwrap_or("?");
            let (Some(fname), Some(J::Array(args))) = (case.get("fn").and_then(J::as_str), case.get("args")) else {
                skipped += 1;
                continue;
            };
            let Some(f) = funcs.get(fname) else {
                failures.push(format!("{name}: function {fname} not registered"));
                continue;
            };
            let args: Vec<Value> = args.iter().map(decode).collect();
            // Random results: Helm's output and ours must both fit `shape`.
            if let Some(shape) = case.get("shape").and_then(J::as_str) {
                let re = regex::Regex::new(shape).expect("shape regex");
                let helm = case.get("output").and_then(J::as_str).unwrap_or("<error>");
                let ours = match (f.body)(&mut Env::default(), args) {
                    Ok(v) => format!("{}|{}", printed(&v), v.type_name()),
                    Err(e) => format!("error {e}"),
                };
                if !re.is_match(helm) {
                    failures.push(format!("{name}: Helm output {helm:?} does not fit shape {shape}"));
                } else if !re.is_match(&ours) {
                    failures.push(format!("{name}: got {ours:?}, not of shape {shape}"));
                } else {
                    passed += 1;
                }
                continue;
            }
            let mut env = Env::default();
            let got = (f.body)(&mut env, args);
            let marker = format!("error calling {fname}: ");
            match (case.get("output").and_then(J::as_str), case.get("error").and_then(J::as_str)) {
                (Some(want), _) => match got {
                    Ok(v) => {
                        let mut s = format!("{}|{}", printed(&v), v.type_name());
                        let mut want = want.to_string();
                        // A documented model limitation (e.g. map[string]string
                        // results are map[string]interface {} here): compare
                        // the printed value only.
                        if case.get("deviation").is_some() {
                            for x in [&mut s, &mut want] {
                                if let Some(p) = x.rfind('|') {
                                    x.truncate(p);
                                }
                            }
                            deviations += 1;
                        }
                        if s == want {
                            passed += 1;
                        } else {
                            failures.push(format!("{name}: got {s:?}, Helm {want:?}"));
                        }
                    }
                    Err(e) => failures.push(format!("{name}: got error {e:?}, Helm {want:?}")),
                },
                (None, Some(err)) => {
                    let Some(pos) = err.find(&marker) else {
                        skipped += 1; // conversion error: the executor's business
                        continue;
                    };
                    let want = &err[pos + marker.len()..];
                    match got {
                        Err(e) if e == want => passed += 1,
                        Err(e) => failures.push(format!("{name}: error {e:?}, Helm {want:?}")),
                        Ok(v) => failures.push(format!("{name}: got {:?}, Helm error {want:?}", printed(&v))),
                    }
                }
                _ => skipped += 1,
            }
        }
    }
    eprintln!(
        "sprig cases: {passed} passed ({deviations} value-only: documented type deviation), {} failed, {skipped} skipped",
        failures.len()
    );
    for f in &failures {
        eprintln!("  FAIL {f}");
    }
    assert!(failures.is_empty(), "{} sprig case(s) differ from Helm", failures.len());
    assert!(passed > 0, "no sprig cases ran");
}

/// Helm's output for a hand-written case (the oracle's expectation).
fn helm_output(topic: &str, name: &str) -> String {
    let path = format!("{}/tests/cases/{topic}.json", env!("CARGO_MANIFEST_DIR"));
    let cases: Vec<J> = serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json");
    cases
        .iter()
        .find(|c| c["name"] == name)
        .and_then(|c| c["output"].as_str())
        .unwrap_or_else(|| panic!("no output for {name}"))
        .to_string()
}

fn call(funcs: &FuncMap, name: &str, args: Vec<Value>) -> Value {
    let f = funcs.get(name).unwrap_or_else(|| panic!("{name} not registered"));
    (f.body)(&mut Env::default(), args).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn d(pairs: &[(&str, Value)]) -> Value {
    Value::map(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

/// Go maps are references: `set`, `unset`, `merge`, `mergeOverwrite` mutate
/// what other variables see; `deepCopy` and `append` do not share.
#[test]
fn sprig_mutation_is_shared_like_go() {
    let mut f = FuncMap::new();
    sprig::register(&mut f);
    let t = "sprig_dict";

    let dm = d(&[("a", Value::int(1))]);
    call(&f, "set", vec![dm.clone(), Value::str("b"), Value::int(2)]);
    assert_eq!(dm.to_go_string(), helm_output(t, "set-mutates"));

    let dm = d(&[("a", Value::int(1)), ("b", Value::int(2))]);
    call(&f, "unset", vec![dm.clone(), Value::str("a")]);
    assert_eq!(dm.to_go_string(), helm_output(t, "unset-mutates"));

    let dm = d(&[("a", Value::int(1))]);
    call(&f, "merge", vec![dm.clone(), d(&[("b", Value::int(2))])]);
    assert_eq!(dm.to_go_string(), helm_output(t, "merge-mutates"));

    let n = d(&[("x", Value::int(1))]);
    let dm = d(&[("n", n.clone())]);
    let src = d(&[("n", d(&[("x", Value::int(2)), ("y", Value::int(3))]))]);
    call(&f, "mergeOverwrite", vec![dm, src]);
    assert_eq!(n.to_go_string(), helm_output(t, "mergeOverwrite-mutates-nested"));

    let sub = d(&[("x", Value::int(1))]);
    let s = d(&[("n", sub.clone())]);
    let dm = d(&[]);
    call(&f, "merge", vec![dm.clone(), s]);
    call(&f, "set", vec![sub, Value::str("y"), Value::int(2)]);
    assert_eq!(dm.to_go_string(), helm_output(t, "merge-shares-src-submap"));

    let dm = d(&[("n", d(&[("x", Value::int(1))]))]);
    let c = call(&f, "deepCopy", vec![dm.clone()]);
    let cn = c.get("n").expect("n");
    call(&f, "set", vec![cn, Value::str("y"), Value::int(2)]);
    assert_eq!(format!("{} {}", dm.to_go_string(), c.to_go_string()), helm_output(t, "deepCopy-independent"));

    let l = Value::list(vec![Value::int(1)]);
    let m = call(&f, "append", vec![l.clone(), Value::int(2)]);
    assert_eq!(format!("{} {}", l.to_go_string(), m.to_go_string()), helm_output(t, "append-does-not-mutate"));
}

/// `semver` returns a `*semver.Version` object with Go's fields and methods.
#[test]
fn sprig_semver_object_like_go() {
    let mut f = FuncMap::new();
    sprig::register(&mut f);
    let Value::Object(v) = call(&f, "semver", vec![Value::str("v1.2.3-rc.1+m")]) else { panic!("not an object") };
    let fld = |n: &str| v.field(n).unwrap_or_else(|| panic!("no field {n}"));
    let got = format!(
        "{} {} {} {} {} {} {} {}",
        fld("Major").to_go_string(),
        fld("Minor").to_go_string(),
        fld("Patch").to_go_string(),
        fld("Prerelease").to_go_string(),
        fld("Metadata").to_go_string(),
        fld("Original").to_go_string(),
        fld("Major").type_name(),
        v.kind()
    );
    assert_eq!(got, helm_output("sprig_semver", "semver-fields"));

    let sv = |s: &str| call(&f, "semver", vec![Value::str(s)]);
    let m = |o: &Value, name: &str, arg: Value| match o {
        Value::Object(o) => o.call_method(name, &[arg]).expect("method"),
        _ => panic!("not an object"),
    };
    let got = format!(
        "{} {} {} {}",
        m(&sv("1.2.3"), "Compare", sv("1.3.0")).to_go_string(),
        m(&sv("1.2.3"), "LessThan", sv("1.3.0")).to_go_string(),
        m(&sv("2.0.0"), "GreaterThan", sv("1.3.0")).to_go_string(),
        m(&sv("1.0.0"), "Equal", sv("v1.0.0")).to_go_string()
    );
    assert_eq!(got, helm_output("sprig_semver", "semver-compare-method"));

    let field_of = |o: &Value, n: &str| match o {
        Value::Object(o) => o.field(n).expect("field"),
        _ => panic!("not an object"),
    };
    let inc = |s: &str, n: &str| field_of(&sv(s), n);
    let maj = inc("1.2.3", "IncMajor");
    let kind = match &maj {
        Value::Object(o) => o.kind(),
        _ => "?",
    };
    let got = format!(
        "{} {} {} {} {}",
        inc("v1.2.3-pre", "IncPatch").to_go_string(),
        inc("v1.2.3", "IncMinor").to_go_string(),
        maj.to_go_string(),
        maj.type_name(),
        kind
    );
    assert_eq!(got, helm_output("sprig_semver", "semver-inc"));
    if let Value::Object(o) = inc("v1.2.3", "IncMajor") {
        assert!(o.field("Original").is_none(), "Original needs a pointer receiver");
    }
}

/// `getHostByName` never resolves in the browser; each call records a
/// capability decision (denied unless DNS is enabled), and returns "" like
/// Helm without `--enable-dns`.
#[test]
fn sprig_get_host_by_name_logs_capability() {
    let mut f = FuncMap::new();
    sprig::register(&mut f);
    let g = f.get("getHostByName").expect("registered");
    let mut env = Env::default();
    let v = (g.body)(&mut env, vec![Value::str("example.com")]).expect("ok");
    assert_eq!(v.to_go_string(), "");
    assert_eq!(env.capability_log.len(), 1);
    assert!(!env.capability_log[0].allowed);
    assert_eq!(env.capability_log[0].detail, "example.com");
    env.enable_dns = true;
    (g.body)(&mut env, vec![Value::str("x")]).expect("ok");
    assert!(env.capability_log[1].allowed);
}
