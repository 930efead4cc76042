//! Real-world schemas: every conformance case (shared/conformance, real
//! charts rendered by real Helm) whose chart or subcharts ship a
//! values.schema.json passed Helm's schema validation (status ok), so the
//! engine's validation of the same coalesced values must pass too. Fails,
//! saying so, when the shared folder is not beside the repository.

mod kit;

use chartroom_engine::chart::{self, schema::validate_against_schema};
use chartroom_engine::value::Value;
use chartroom_engine::{api, values, yaml};

fn get(m: &Value, k: &str) -> Option<Value> {
    match m {
        Value::Map(mm, _) => mm.borrow().get(k).cloned(),
        _ => None,
    }
}

#[test]
fn conformance_schemas_accept_what_helm_accepted() {
    let shared = kit::conformance();
    let text = kit::read_fixture(&shared.join("cases.yaml"), "the shared conformance corpus");
    let doc = yaml::parse(&text).expect("cases.yaml");
    let Some(Value::List(cases, _)) = get(&doc, "cases") else { panic!("no cases") };
    let (mut pass, mut failures) = (0, Vec::new());
    for case in cases.borrow().iter() {
        let id = get(case, "id").and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
        if get(case, "status").and_then(|v| v.as_str().map(String::from)).as_deref() != Some("ok") {
            continue;
        }
        let chart_rel = get(case, "chart").and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
        let root = shared.join(&chart_rel);
        let files = kit::read_tree(&root);
        if !files.keys().any(|k| k.ends_with("values.schema.json")) {
            continue;
        }
        let mut req = api::RenderRequest { files, ..Default::default() };
        if let Some(Value::List(vs, _)) = get(case, "values") {
            for v in vs.borrow().iter() {
                if let Some(p) = v.as_str() {
                    req.values_files.push((p.to_string(), std::fs::read(shared.join(p)).unwrap_or_default()));
                }
            }
        }
        let ch = match chart::load_files(&req.files) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{id}: load: {}", e.message));
                continue;
            }
        };
        // As render_templates does: dependencies processed, then coalesced.
        let user = match api::user_values(&req) {
            Ok(u) => Value::map(u),
            Err(e) => {
                failures.push(format!("{id}: values: {}", e.message));
                continue;
            }
        };
        let mut processed = ch.clone();
        if let Err(e) = chart::dependencies::process_dependencies(&mut processed, &user) {
            failures.push(format!("{id}: dependencies: {e}"));
            continue;
        }
        let coalesced = match values::coalesce_values(&processed, &user) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{id}: coalesce: {e}"));
                continue;
            }
        };
        match validate_against_schema(&processed, &coalesced) {
            Ok(()) => pass += 1,
            Err(e) => failures.push(format!("{id}: {e}")),
        }
    }
    eprintln!("schema conformance: {pass} passed, {} failed", failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `tests/data/schema/conformance.json`: the same real charts with user
/// values that break their schemas, and Helm's error text for each.
#[test]
fn conformance_schemas_reject_like_helm() {
    let shared = kit::conformance();
    let path = kit::data_dir("schema").join("conformance.json");
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(path).expect("conformance.json")).expect("json");
    let (mut pass, mut failures) = (0, Vec::new());
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        let root = shared.join(case["chart"].as_str().unwrap_or(""));
        let files = kit::read_tree(&root);
        let ch = match chart::load_files(&files) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{name}: load: {}", e.message));
                continue;
            }
        };
        let user = kit::value_from_json(&case["user"]);
        let mut processed = ch.clone();
        if let Err(e) = chart::dependencies::process_dependencies(&mut processed, &user) {
            failures.push(format!("{name}: dependencies: {e}"));
            continue;
        }
        let coalesced = match values::coalesce_values(&processed, &user) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{name}: coalesce: {e}"));
                continue;
            }
        };
        let got = validate_against_schema(&processed, &coalesced).err().map(|e| e.to_string());
        let want = case["error"].as_str().map(String::from);
        let same = match (&got, &want) {
            (Some(g), Some(w)) if case["unordered"].as_bool() == Some(true) => {
                let mut a: Vec<&str> = g.lines().collect();
                let mut b: Vec<&str> = w.lines().collect();
                a.sort();
                b.sort();
                a == b
            }
            (g, w) => g == w,
        };
        if same {
            pass += 1;
        } else {
            failures.push(format!("{name}:\n  want {want:?}\n  got  {got:?}"));
        }
    }
    eprintln!("schema conformance (negative): {pass} passed, {} failed", failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
