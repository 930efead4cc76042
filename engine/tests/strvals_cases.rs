//! strvals (`--set` and friends) against Helm v4.2.3:
//! - tests/strvals/helm_tests.json: Helm's own parser_test.go and
//!   literal_parser_test.go tables, compared through YAML like Helm's tests;
//! - tests/strvals/oracle.json: real Helm's strvals on each line (map as JSON,
//!   or the exact error), plus the number types Helm's source gives them;
//! - tests/strvals/e2e.json: `helm template --set/--set-string` on
//!   tests/strvals/chart, byte for byte;
//! - MergeValues (pkg/cli/values/options.go): order and error prefixes.
//!
//! Fixtures: scripts/gen_strvals_fixtures.py (oracle.json, e2e.json).
//! Each fixture case is its own test (`table/…`, `oracle/…`, `e2e/…`).

mod kit;

use std::collections::BTreeMap;

use chartroom_engine::api::{self, RenderRequest};
use chartroom_engine::error::Error;
use chartroom_engine::strvals;
use chartroom_engine::value::{IntType, Map, Value};
use serde_json::Value as J;

fn load(name: &str) -> J {
    let p = kit::manifest_dir().join("tests/strvals").join(name);
    let how = "regenerate with ~/.cache/helm-oracle-venv/bin/python scripts/gen_strvals_fixtures.py";
    serde_json::from_str(&kit::read_fixture(&p, how)).unwrap_or_else(|e| panic!("{}: {e} ({how})", p.display()))
}

/// A JSON fixture value as an engine value (integers as int64).
fn to_value(j: &J) -> Value {
    match j {
        J::Null => Value::Nil,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::int64(i),
            None => Value::Float(n.as_f64().unwrap()),
        },
        J::String(s) => Value::str(s),
        J::Array(a) => Value::list(a.iter().map(to_value).collect()),
        J::Object(o) => Value::map(o.iter().map(|(k, v)| (k.clone(), to_value(v))).collect()),
    }
}

fn to_map(j: &J) -> Map {
    match to_value(j) {
        Value::Map(m, _) => m.borrow().clone(),
        _ => panic!("not a map: {j}"),
    }
}

fn yaml(m: &Map) -> String {
    chartroom_engine::yaml::marshal(&Value::map(m.clone())).unwrap()
}

fn file_reader(files: &BTreeMap<String, String>) -> impl FnMut(&str) -> Result<Vec<u8>, Error> + '_ {
    move |p: &str| {
        files
            .get(p)
            .map(|s| s.as_bytes().to_vec())
            .ok_or_else(|| Error::go(format!("open {p}: no such file or directory")))
    }
}

fn files_of(c: &J) -> BTreeMap<String, String> {
    c.get("files")
        .and_then(J::as_object)
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string())).collect())
        .unwrap_or_default()
}

/// Runs `fn` of a helm_tests.json case: the resulting map or the error.
fn run_helm_fn(c: &J) -> Result<Map, String> {
    let f = c["fn"].as_str().unwrap();
    let input = c["input"].as_str().unwrap();
    let files = files_of(c);
    let mut dest = c.get("initial").map(to_map).unwrap_or_default();
    let mut reader = file_reader(&files);
    let mut step = |s: &str, dest: &mut Map| -> Result<(), String> {
        // The test compares Helm's text (the error's Display).
        match f {
            "parse" => strvals::parse(s).map(|m| *dest = m),
            "parse_string" => strvals::parse_string(s).map(|m| *dest = m),
            "parse_literal" => strvals::parse_literal(s).map(|m| *dest = m),
            "parse_file" => strvals::parse_file(s, &mut reader).map(|m| *dest = m),
            "parse_into" => strvals::parse_into(s, dest),
            "parse_into_string" => strvals::parse_into_string(s, dest),
            "parse_json" => strvals::parse_json(s, dest),
            "parse_into_file" => strvals::parse_into_file(s, dest, &mut reader),
            "parse_literal_into" => strvals::parse_literal_into(s, dest),
            other => panic!("unknown fn {other}"),
        }
        .map_err(|e| e.message)
    };
    step(input, &mut dest)?;
    if let Some(i2) = c.get("input2").and_then(J::as_str) {
        step(i2, &mut dest)?;
    }
    Ok(dest)
}

/// One case of Helm's parser_test.go / literal_parser_test.go tables.
fn helm_table_case(c: &J) -> Result<(), String> {
    if c["fn"] == "to_yaml" {
        let got = strvals::to_yaml(c["input"].as_str().unwrap());
        if got.as_deref() != Ok(c["expect"].as_str().unwrap()) {
            return Err(format!("got {got:?}"));
        }
        return Ok(());
    }
    match (run_helm_fn(c), c.get("expect")) {
        (Ok(m), Some(e)) => {
            let (g, w) = (yaml(&m), yaml(&to_map(e)));
            if g != w {
                return Err(format!("expected\n{w}got\n{g}"));
            }
        }
        (Ok(m), None) => return Err(format!("expected an error, got {}", yaml(&m))),
        (Err(e), Some(_)) => return Err(format!("unexpected error {e}")),
        (Err(e), None) => {
            if let Some(want) = c.get("error").and_then(J::as_str) {
                if e != want {
                    return Err(format!("error {e:?}, want {want:?}"));
                }
            }
        }
    }
    Ok(())
}

/// Number types as Helm's source gives them: typedVal makes int64, the
/// JSON decoder float64; string-only modes have no numbers.
fn check_types(kind: &str, v: &Value, path: &str, bad: &mut Vec<String>) {
    match v {
        Value::Int(_, t) if kind == "set" && *t == IntType::Int64 => {}
        Value::Float(_) if kind == "json" => {}
        Value::Int(..) | Value::Float(_) | Value::Uint(_) => bad.push(format!("{path}: {} in {kind}", v.type_name())),
        Value::List(l, _) => {
            for (i, x) in l.borrow().iter().enumerate() {
                check_types(kind, x, &format!("{path}[{i}]"), bad);
            }
        }
        Value::Map(m, _) => {
            for (k, x) in m.borrow().iter() {
                check_types(kind, x, &format!("{path}.{k}"), bad);
            }
        }
        _ => {}
    }
}

/// JSON equality with numbers compared as float64 (the fixture went through
/// Python, which reads Go's `-0` as the integer 0).
fn same_json(a: &J, b: &J) -> bool {
    match (a, b) {
        (J::Number(x), J::Number(y)) => x.as_f64() == y.as_f64(),
        (J::Array(x), J::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_json(p, q)),
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// One line given to real Helm's strvals (`files`: the oracle's --set-file
/// files).
fn oracle_case(files: &BTreeMap<String, String>, c: &J) -> Result<(), String> {
    let kind = c["kind"].as_str().unwrap();
    let input = c["input"].as_str().unwrap();
    let mut reader = file_reader(files);
    let got = match kind {
        "set" => strvals::parse(input),
        "str" => strvals::parse_string(input),
        "lit" => strvals::parse_literal(input),
        "file" => strvals::parse_file(input, &mut reader),
        "json" => {
            let mut m = Map::new();
            strvals::parse_json(input, &mut m).map(|()| m)
        }
        other => panic!("unknown kind {other}"),
    }
    .map_err(|e| e.message);
    match (got, c.get("expect"), c.get("error").and_then(J::as_str)) {
        (Ok(m), Some(want), _) => {
            let v = Value::map(m);
            let json = chartroom_engine::json::to_json(&v).unwrap();
            let g: J = serde_json::from_str(&json).unwrap();
            if !same_json(&g, want) {
                return Err(format!("got {g}, want {want}"));
            }
            let mut bad = Vec::new();
            check_types(kind, &v, "", &mut bad);
            if !bad.is_empty() {
                return Err(format!("types {bad:?}"));
            }
            Ok(())
        }
        (Ok(m), None, Some(e)) => Err(format!("expected error {e:?}, got {}", yaml(&m))),
        (Err(e), Some(_), _) => Err(format!("unexpected error {e:?}")),
        (Err(e), None, Some(want)) if e != want => Err(format!("error {e:?}, want {want:?}")),
        (Err(_), None, Some(_)) => Ok(()),
        _ => panic!("bad fixture {c}"),
    }
}

fn chart_files() -> BTreeMap<String, Vec<u8>> {
    let root = kit::manifest_dir().join("tests/strvals/chart");
    let mut files = BTreeMap::new();
    for rel in ["Chart.yaml", "values.yaml", "templates/values.yaml"] {
        files.insert(rel.to_string(), std::fs::read(root.join(rel)).unwrap());
    }
    files
}

fn strings(j: &J) -> Vec<String> {
    j.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

/// `helm template --set/--set-string` on tests/strvals/chart.
fn e2e_case(c: &J) -> Result<(), String> {
    let req = RenderRequest {
        files: chart_files(),
        set: strings(&c["set"]),
        set_string: strings(&c["set_string"]),
        ..RenderRequest::default()
    };
    match (api::render(&req), c.get("stdout").and_then(J::as_str), c.get("error").and_then(J::as_str)) {
        (Ok(out), Some(want), _) if out.manifest == want => Ok(()),
        (Err(e), _, Some(want)) if e.message == want => Ok(()),
        (got, _, _) => Err(format!("got {got:?}, want {c}")),
    }
}

// ---------------------------------------------------------------------------
// MergeValues (pkg/cli/values/options.go, v4.2.3): -f files, then --set-json,
// --set, --set-string, --set-file, --set-literal; later ones win.
// ---------------------------------------------------------------------------

fn merged(req: &RenderRequest) -> Result<String, String> {
    api::user_values(req).map(|m| yaml(&m)).map_err(|e| e.message)
}

fn req() -> RenderRequest {
    let mut r = RenderRequest::default();
    r.set_file_data.insert("f.txt".into(), b"from-file".to_vec());
    r
}

fn merge_order_follows_options_go() {
    // Each source sets `a` (and its own key); the last in Helm's order wins.
    let all = |r: &mut RenderRequest| {
        r.values_files.push(("v.yaml".into(), b"a: file\nv: 1\n".to_vec()));
        r.set_json.push("a=\"json\",j=1".into());
        r.set.push("a=set,s=1".into());
        r.set_string.push("a=string,ss=1".into());
        r.set_file.push("a=f.txt,sf=f.txt".into());
        r.set_literal.push("a=literal,x".into());
    };
    let mut r = req();
    all(&mut r);
    assert_eq!(merged(&r).unwrap(), "a: literal,x\nj: 1\ns: 1\nsf: from-file\nss: \"1\"\nv: 1\n");
    // Without --set-literal, --set-file wins; without that, --set-string…
    r.set_literal.clear();
    assert!(merged(&r).unwrap().starts_with("a: from-file\n"));
    r.set_file.clear();
    assert!(merged(&r).unwrap().starts_with("a: string\n"));
    r.set_string.clear();
    assert!(merged(&r).unwrap().starts_with("a: set\n"));
    r.set.clear();
    assert!(merged(&r).unwrap().starts_with("a: json\n"));
    r.set_json.clear();
    assert!(merged(&r).unwrap().starts_with("a: file\n"));
}

fn merge_types_follow_helm() {
    // --set numbers are int64, --set-json (both forms) and values files float64.
    let mut r = req();
    r.values_files.push(("v.yaml".into(), b"f: 1\n".to_vec()));
    r.set_json.push("j=1".into());
    r.set_json.push("{\"o\": 2}".into());
    r.set.push("s=3".into());
    let m = api::user_values(&r).unwrap();
    let ty = |k: &str| m.get(k).unwrap().type_name();
    assert_eq!(
        (ty("f"), ty("j"), ty("o"), ty("s")),
        ("float64".into(), "float64".into(), "float64".into(), "int64".into())
    );
}

fn merge_values_into_existing_ones_like_parse_into() {
    // ParseInto works on the values gathered so far: a --set path through a
    // string from a values file is Go's failed type assertion.
    let mut r = req();
    r.values_files.push(("v.yaml".into(), b"a: x\n".to_vec()));
    r.set.push("a.b=1".into());
    assert_eq!(
        merged(&r).unwrap_err(),
        "failed parsing --set data: unable to parse key: interface conversion: interface {} is string, not map[string]interface {}"
    );
    let mut r = req();
    r.values_files.push(("v.yaml".into(), b"num: 1\n".to_vec()));
    r.set_string.push("num[0]=1".into());
    assert_eq!(
        merged(&r).unwrap_err(),
        "failed parsing --set-string data: unable to parse key: interface conversion: interface {} is float64, not []interface {}"
    );
    // A JSON object is merged (MergeMaps), not parsed into.
    let mut r = req();
    r.values_files.push(("v.yaml".into(), b"a:\n  b: 1\n  c: 2\n".to_vec()));
    r.set_json.push(" {\"a\": {\"c\": 3}} ".into());
    assert_eq!(merged(&r).unwrap(), "a:\n  b: 1\n  c: 3\n");
}

fn merge_error_prefixes() {
    let one = |f: &dyn Fn(&mut RenderRequest)| {
        let mut r = req();
        f(&mut r);
        merged(&r).unwrap_err()
    };
    // --set-json drops the parser's error and quotes the whole argument.
    assert_eq!(one(&|r| r.set_json.push("{\"a\":".into())), "failed parsing --set-json data JSON: {\"a\":");
    assert_eq!(one(&|r| r.set_json.push("a=tru".into())), "failed parsing --set-json data a=tru");
    assert_eq!(one(&|r| r.set.push("a".into())), "failed parsing --set data: key \"a\" has no value");
    assert_eq!(one(&|r| r.set_string.push("a".into())), "failed parsing --set-string data: key \"a\" has no value");
    assert_eq!(
        one(&|r| r.set_file.push("a=missing.txt".into())),
        "failed parsing --set-file data: open missing.txt: no such file or directory"
    );
    assert_eq!(one(&|r| r.set_literal.push("a.b".into())), "failed parsing --set-literal data: key \"b\" has no value");
}

fn file_paths_lists_what_set_file_reads() {
    assert_eq!(strvals::file_paths("a=x.txt,b={y,z},c[1]=w"), vec!["x.txt", "y", "z", "w"]);
    assert_eq!(strvals::file_paths(r"a=dir\,x"), vec!["dir,x"]);
}

fn set_json_object_must_be_one_whole_json_object() {
    // json.Unmarshal: trailing data and non-object values are errors.
    for bad in ["{\"a\":1} x", "{\"a\":1}{}", "{\"a\":1e400}"] {
        let mut r = req();
        r.set_json.push(bad.into());
        assert_eq!(merged(&r).unwrap_err(), format!("failed parsing --set-json data JSON: {bad}"));
    }
}

fn main() {
    let mut trials = vec![
        kit::test("merge_order_follows_options_go", merge_order_follows_options_go),
        kit::test("merge_types_follow_helm", merge_types_follow_helm),
        kit::test("merge_values_into_existing_ones_like_parse_into", merge_values_into_existing_ones_like_parse_into),
        kit::test("merge_error_prefixes", merge_error_prefixes),
        kit::test("file_paths_lists_what_set_file_reads", file_paths_lists_what_set_file_reads),
        kit::test("set_json_object_must_be_one_whole_json_object", set_json_object_must_be_one_whole_json_object),
    ];
    let tables = load("helm_tests.json")["cases"].as_array().cloned().unwrap_or_default();
    assert!(tables.len() >= 100, "Helm's strvals tables incomplete: {}", tables.len());
    for (i, c) in tables.into_iter().enumerate() {
        let name = format!(
            "table/{i:03} {} {}({:?})",
            c["test"].as_str().unwrap_or("?"),
            c["fn"].as_str().unwrap_or("?"),
            c["input"].as_str().unwrap_or("?")
        );
        trials.push(kit::case(name, false, move || helm_table_case(&c)));
    }
    let oracle = load("oracle.json");
    let files = files_of(&oracle);
    for (i, c) in oracle["cases"].as_array().cloned().unwrap_or_default().into_iter().enumerate() {
        let name =
            format!("oracle/{i:03} {} {:?}", c["kind"].as_str().unwrap_or("?"), c["input"].as_str().unwrap_or("?"));
        let files = files.clone();
        trials.push(kit::case(name, false, move || oracle_case(&files, &c)));
    }
    for c in load("e2e.json")["cases"].as_array().cloned().unwrap_or_default() {
        let name = format!("e2e/{}", c["name"].as_str().unwrap_or("?"));
        trials.push(kit::case(name, false, move || e2e_case(&c)));
    }
    kit::run(trials)
}
