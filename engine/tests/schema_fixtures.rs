//! values.schema.json validation against real Helm: every case of
//! `tests/data/schema/cases.json` (made by scripts/gen_schema_fixtures.py)
//! is loaded as a chart, and `validate_against_schema` on Helm's coalesced
//! values must give Helm's exact error text (or none).
//!
//! Where Helm's own text changed between runs (Go map iteration order:
//! several failing properties, `additionalProperties` names, subcharts),
//! the case is `unordered` and compared line-sorted, with the names inside
//! `additional properties ... not allowed` sorted too. Each case is its
//! own test, named `FILE/NAME`.

mod kit;

use std::collections::BTreeMap;

use chartroom_engine::chart::{load_files, schema::validate_against_schema};

fn normalize_unordered(s: &str) -> Vec<String> {
    let mut lines: Vec<String> = s
        .lines()
        .map(|l| {
            if let (Some(a), Some(b)) = (l.find("additional properties "), l.rfind(" not allowed")) {
                let start = a + "additional properties ".len();
                if start <= b {
                    let mut names: Vec<&str> = l[start..b].split(", ").collect();
                    names.sort();
                    return format!("{}{}{}", &l[..start], names.join(", "), &l[b..]);
                }
            }
            l.to_string()
        })
        .collect();
    lines.sort();
    lines
}

fn load_cases(name: &str) -> Vec<serde_json::Value> {
    let how = match name {
        "formats.json" => "regenerate with ~/.cache/helm-oracle-venv/bin/python scripts/gen_strvals_schema_formats.py",
        _ => "regenerate with ~/.cache/helm-oracle-venv/bin/python scripts/gen_schema_fixtures.py",
    };
    kit::json_cases(&kit::data_dir("schema").join(name), how)
}

/// One case: Helm's error text for the coalesced values (or none).
fn check(case: &serde_json::Value) -> Result<(), String> {
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    files.insert("Chart.yaml".into(), b"apiVersion: v2\nname: c\nversion: 0.1.0\n".to_vec());
    files.insert("values.yaml".into(), case["values"].as_str().unwrap_or("").as_bytes().to_vec());
    files.insert("templates/t.yaml".into(), b"x: 1\n".to_vec());
    if let Some(s) = case["schema"].as_str() {
        files.insert("values.schema.json".into(), s.as_bytes().to_vec());
    }
    for sub in case["subs"].as_array().into_iter().flatten() {
        let sn = sub["name"].as_str().unwrap_or("s");
        files.insert(
            format!("charts/{sn}/Chart.yaml"),
            format!("apiVersion: v2\nname: {sn}\nversion: 0.1.0\n").into_bytes(),
        );
        files.insert(format!("charts/{sn}/values.yaml"), sub["values"].as_str().unwrap_or("").as_bytes().to_vec());
        if let Some(s) = sub["schema"].as_str() {
            files.insert(format!("charts/{sn}/values.schema.json"), s.as_bytes().to_vec());
        }
    }
    let chart = load_files(&files).map_err(|e| format!("chart does not load: {}", e.message))?;
    let values = kit::value_from_json(&case["coalesced"]);
    let got = validate_against_schema(&chart, &values).err().map(|e| e.to_string());
    let want = case["error"].as_str().map(String::from);
    let unordered = case["unordered"].as_bool().unwrap_or(false);
    let ok = match (&got, &want) {
        (None, None) => true,
        (Some(g), Some(w)) if g == w => true,
        (Some(g), Some(w)) if unordered => normalize_unordered(g) == normalize_unordered(w),
        // The resolver's own words (and address) differ per machine.
        (Some(g), Some(w)) if case["env_dependent"].as_bool() == Some(true) => {
            g.split("dial tcp:").next() == w.split("dial tcp:").next()
        }
        _ => false,
    };
    if ok {
        return Ok(());
    }
    Err(format!("want {want:?}\ngot  {got:?}"))
}

fn main() {
    let mut trials = vec![
        kit::test("malformed_schemas_never_panic", malformed_schemas_never_panic),
        kit::test("deep_valid_schema_passes_meta_check", deep_valid_schema_passes_meta_check),
    ];
    let cases = load_cases("cases.json");
    // The meta-schema self-check is among them (29 cases).
    let meta = cases
        .iter()
        .filter(|c| c["error"].as_str().is_some_and(|w| w.contains("is not valid against metaschema")))
        .count();
    assert!(meta >= 29, "meta-schema cases missing: {meta}");
    // More meta-schema cases and the formats the check asserts (uri,
    // uri-reference, ipv6): scripts/gen_strvals_schema_formats.py.
    let formats = load_cases("formats.json");
    assert!(formats.len() > 70, "format cases missing: {}", formats.len());
    for (file, list) in [("cases", cases), ("formats", formats)] {
        for c in list {
            let name = format!("{file}/{}", c["name"].as_str().unwrap_or("?"));
            trials.push(kit::case(name, false, move || check(&c)));
        }
    }
    kit::run(trials)
}

/// Truncated and corrupted schemas, deep nesting and reference loops give
/// an error or a verdict, never a panic, a hang or a stack overflow.
fn malformed_schemas_never_panic() {
    use chartroom_engine::chart::schema::validate_against_single_schema;
    let path = kit::data_dir("schema").join("cases.json");
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(path).expect("cases.json")).expect("json");
    let mut next = kit::xorshift(0x2545_F491_4F6C_DD1D);
    let mut runs = 0;
    for case in &cases {
        let Some(schema) = case["schema"].as_str() else { continue };
        if schema.len() > 5000 {
            continue;
        }
        let values = kit::value_from_json(&case["coalesced"]);
        let bytes = schema.as_bytes();
        for cut in 0..bytes.len() {
            let _ = validate_against_single_schema(&values, &bytes[..cut]);
            runs += 1;
        }
        for _ in 0..50 {
            let mut m = bytes.to_vec();
            if m.is_empty() {
                break;
            }
            for _ in 0..(1 + next() % 3) {
                let i = (next() as usize) % m.len();
                m[i] = b"{}[]\",:0123456789.eE-+tfn$#/~\\ \xc3\xa9"[(next() % 33) as usize];
            }
            let _ = validate_against_single_schema(&values, &m);
            runs += 1;
        }
    }
    assert!(runs > 5000);

    // Deep schemas and values.
    let deep_allof = format!("{}{{}}{}", "{\"allOf\":[".repeat(900), "]}".repeat(900));
    let v = kit::value_from_json(&serde_json::json!({"a": 1}));
    let _ = validate_against_single_schema(&v, deep_allof.as_bytes());
    let deep_props = format!("{}{{\"type\":\"string\"}}{}", "{\"properties\":{\"a\":".repeat(900), "}}".repeat(900));
    let mut deep_val = serde_json::json!(1);
    for _ in 0..900 {
        deep_val = serde_json::json!({ "a": deep_val });
    }
    let _ = validate_against_single_schema(&kit::value_from_json(&deep_val), deep_props.as_bytes());
    let deep_json = "[".repeat(100_000);
    assert_eq!(
        validate_against_single_schema(&v, deep_json.as_bytes()).unwrap_err().to_string(),
        "invalid character '[' exceeded max depth"
    );
    // Self-referencing items on a deep list.
    let items_loop = r##"{"$defs":{"l":{"type":"array","items":{"$ref":"#/$defs/l"}}},"$ref":"#/$defs/l"}"##;
    let _ =
        validate_against_single_schema(&kit::value_from_json(&serde_json::json!([[[[[]]]]])), items_loop.as_bytes());
}

/// A valid schema nested deeper than any public chart's still passes: the
/// meta-schema check follows about 20 levels and skips deeper schemas
/// rather than overflowing the stack or refusing them.
fn deep_valid_schema_passes_meta_check() {
    use chartroom_engine::chart::schema::validate_against_single_schema;
    for depth in [5, 19, 30, 60, 300] {
        let schema = format!(
            "{}{{\"type\":\"string\"}}{}",
            "{\"type\":\"object\",\"properties\":{\"a\":".repeat(depth),
            "}}".repeat(depth)
        );
        let v = kit::value_from_json(&serde_json::json!({}));
        assert_eq!(validate_against_single_schema(&v, schema.as_bytes()), Ok(()), "depth {depth}");
    }
    // Within reach, a bad keyword at the bottom is still found.
    let schema = format!("{}{{\"type\":\"strin\"}}{}", "{\"properties\":{\"a\":".repeat(15), "}}".repeat(15));
    let e = validate_against_single_schema(&kit::value_from_json(&serde_json::json!({})), schema.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(e.contains("is not valid against metaschema"), "{e}");
}
