//! Unit tests for parse/emit corners; oracle fixtures live in engine/tests.

use super::*;

fn json(v: &Value) -> String {
    match v {
        Value::Nil => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Float(f) => crate::gofmt::strconv::format_float_g(*f, 64),
        Value::String(s) => format!("{s:?}"),
        Value::List(l, _) => format!("[{}]", l.borrow().iter().map(json).collect::<Vec<_>>().join(",")),
        Value::Map(m, _) => format!(
            "{{{}}}",
            m.borrow().iter().map(|(k, v)| format!("{k:?}:{}", json(v))).collect::<Vec<_>>().join(",")
        ),
        other => format!("{other:?}"),
    }
}

fn p(src: &str) -> String {
    match parse(src) {
        Ok(v) => json(&v),
        Err(e) => format!("ERR {}", e.msg),
    }
}

#[test]
fn basics() {
    assert_eq!(p(""), "null");
    assert_eq!(p("# c\n"), "null");
    assert_eq!(p("a: 1\nb: [x, y]\nc: {d: yes}\n"), r#"{"a":1,"b":["x",true],"c":{"d":true}}"#);
    assert_eq!(p("a: &x {b: 1}\nc:\n  <<: *x\n  d: 2\n"), r#"{"a":{"b":1},"c":{"b":1,"d":2}}"#);
    assert_eq!(p("y: 1\n1.5: a\n2: b\n"), r#"{"1.5":"a","2":"b","true":1}"#);
    assert_eq!(p("a: 9007199254740993\n"), r#"{"a":9.007199254740992e+15}"#);
    assert_eq!(p("a: .inf\n"), "ERR json: unsupported value: +Inf");
    assert_eq!(p("~: 1\n"), "ERR unsupported map key of type: %!s(<nil>), key: <nil>, value: 1");
    assert_eq!(p("a: 1\nb: c: d\n"), "ERR yaml: line 2: mapping values are not allowed in this context");
    assert_eq!(p("a:\n  - b\n  c: d\n"), "ERR yaml: line 2: did not find expected '-' indicator");
    assert_eq!(p("a: *x\n"), "ERR yaml: unknown anchor 'x' referenced");
    assert_eq!(p("a: &x [*x]\n"), "ERR yaml: anchor 'x' value contains itself");
}

#[test]
fn emit_basics() {
    let v = parse("b: [1, 2.5, 'yes', '', null]\na: {}\nc: []\nd: \"x\\ny\"\n").unwrap_or(Value::Nil);
    assert_eq!(
        to_yaml(&v).unwrap_or_default(),
        "a: {}\nb:\n- 1\n- 2.5\n- \"yes\"\n- \"\"\n- null\nc: []\nd: |-\n  x\n  y"
    );
}

/// Random and truncated inputs must never panic.
#[test]
fn fuzz_no_panic() {
    let seeds = [
        "a: &x {b: [1, 2, {c: d}]}\nd:\n  <<: [*x, {e: f}]\n  g: !!binary aGVsbG8=\n",
        "- - 1\n  - \"a\\tb\"\n- ? complex\n  : key\n- |+\n  lit\n\n- >-\n  folded\n",
        "%YAML 1.1\n---\nx: !!int 3\n...\n---\ny: 2001-12-14\n",
        "{a: [b, {c: d}], 'e': \"f\\u00e9\", g: *h}\n",
        "a:\tb\n\t- c\n  d: 'unterminated\n",
        "a: &a [x, x]\nb: &b [*a, *a]\nc: &c {<<: *b}\nd: *c\n",
        "k: |2-\n    x\n  y\nl: >+\n\n  z\nm: [\"lit\\n\\n\", x]\n",
        "\u{feff}a: \"\\x41\\u263A\\U0001F600\"\nb: '😀'\nc: 1e999\n",
    ];
    let mut state: u64 = 0x9E3779B97F4A7C15;
    let mut rnd = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let alphabet: Vec<char> = "ab01 :-?[]{},#&*!|>'\"%@`\n\t\\.~<=é😀\u{85}\r".chars().collect();
    for seed in seeds {
        for cut in 0..=seed.len() {
            if seed.is_char_boundary(cut) {
                let _ = parse(&seed[..cut]);
                let _ = parse_all(&seed[..cut]);
            }
        }
        for _ in 0..300 {
            let mut s: Vec<char> = seed.chars().collect();
            for _ in 0..(rnd() % 6 + 1) {
                let pos = (rnd() as usize) % (s.len() + 1);
                let c = alphabet[(rnd() as usize) % alphabet.len()];
                if rnd() % 3 == 0 && pos < s.len() {
                    s.remove(pos);
                } else {
                    s.insert(pos, c);
                }
            }
            let s: String = s.into_iter().collect();
            let _ = load_values(&s);
            let _ = manifest_head(&s);
            if let Ok(v) = parse(&s) {
                if let Ok(y) = marshal(&v) {
                    // What we emit must read back to the same data.
                    let again = parse(&y).map_err(|e| Error::go(e.msg)).and_then(|v2| marshal(&v2));
                    assert_eq!(again.as_deref(), Ok(y.as_str()), "input {s:?}");
                }
            }
        }
    }
    for len in 0..200 {
        let s: String = (0..len).map(|_| alphabet[(rnd() as usize) % alphabet.len()]).collect();
        let _ = parse(&s);
    }
}

#[test]
fn deep_nesting_is_bounded() {
    let deep = "[".repeat(20000);
    assert!(parse(&deep).is_err());
    let ok = format!("{}{}", "[".repeat(500), "]".repeat(500));
    assert!(parse(&ok).is_ok());
}

/// wasm32 has a 1 MiB stack by default: the deepest nesting we accept must
/// decode and encode within it (checked with a 1 MiB thread in release
/// builds; debug frames are several times larger, so debug uses 8 MiB).
#[test]
fn max_depth_fits_small_stack() {
    let stack = if cfg!(debug_assertions) { 8 << 20 } else { 1 << 20 };
    let r = std::thread::Builder::new()
        .stack_size(stack)
        .spawn(|| {
            let n = decode::MAX_DEPTH;
            let src = format!("{}{}", "[".repeat(n), "]".repeat(n));
            let v = parse(&src).map_err(|e| e.msg)?;
            let deeper = format!("[{src}]");
            if parse(&deeper).is_ok() {
                return Err("nesting limit not enforced".to_string());
            }
            let map_src = (0..n).map(|i| format!("{}k:\n", " ".repeat(i))).collect::<String>();
            parse(&map_src).map_err(|e| e.msg)?;
            to_yaml(&v).map(|s| s.len()).map_err(|e| e.message)
        })
        .map_err(|e| e.to_string())
        .and_then(|h| h.join().map_err(|_| "panicked".to_string()));
    assert!(matches!(r, Ok(Ok(_))), "{r:?}");
}

#[test]
fn cyclic_value_errors() {
    let stack = if cfg!(debug_assertions) { 8 << 20 } else { 1 << 20 };
    let r = std::thread::Builder::new().stack_size(stack).spawn(cyclic_value_errors_inner);
    assert!(r.map(|h| h.join().is_ok()).unwrap_or(false));
}

fn cyclic_value_errors_inner() {
    let m = Value::empty_map();
    if let Value::Map(r, _) = &m {
        r.borrow_mut().insert("self".into(), m.clone());
    }
    assert_eq!(
        to_yaml(&m),
        Err("error marshaling into JSON: json: unsupported value: encountered a cycle via map[string]interface {}"
            .into())
    );
    // Break the cycle so the test does not leak.
    if let Value::Map(r, _) = &m {
        r.borrow_mut().clear();
    }
}

#[test]
fn manifest_head_fields() {
    let h = manifest_head(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    helm.sh/hook: pre-install\n    w: 5\n",
    )
    .map_err(|e| e.msg);
    let Ok(h) = h else { panic!("{h:?}") };
    assert_eq!((h.api_version.as_str(), h.kind.as_str()), ("v1", "Pod"));
    let md = h.metadata.unwrap_or_default();
    assert_eq!(md.name, "p");
    let ann = md.annotations.unwrap_or_default();
    assert_eq!(ann.get("helm.sh/hook").map(String::as_str), Some("pre-install"));
    assert_eq!(ann.get("w").map(String::as_str), Some("5"));
    assert_eq!(manifest_head("# just a comment\n").map_err(|e| e.msg), Ok(ManifestHead::default()));
}

/// Editor positions: 1-based line/column of the problem in the whole file
/// (go-yaml's message keeps its own, document-relative line number).
#[test]
fn error_positions() {
    let e = parse("a: 1\nb: c: d\n").err().unwrap_or_else(|| YamlError::new(0, 0, String::new()));
    assert_eq!((e.line, e.col), (2, 5));
    let e = load_values("a: 1\n---\nx: 1\nb: c: d\n").err().unwrap_or_else(|| YamlError::new(0, 0, String::new()));
    assert_eq!(
        e.msg,
        "cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context"
    );
    assert_eq!((e.line, e.col), (4, 5));
}
