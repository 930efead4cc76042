//! The parse cache (template::cache) must never change a render: every
//! conformance case and the gallery examples render identically with the
//! cache off, on and cold, and on and warm; edits between renders (values,
//! template text, a broken template, tpl strings) give what an uncached
//! render gives.

mod kit;

use chartroom_engine::template::cache;
use chartroom_engine::{render, RenderRequest};

/// Everything a render gives, as one comparable string.
fn outcome(req: &RenderRequest) -> String {
    match render(req) {
        Ok(o) => {
            format!("OK\n{}\n--notes--\n{}\n--files--\n{:?}\n--hooks--\n{:?}", o.manifest, o.notes, o.files, o.hooks)
        }
        Err(e) => format!("ERR {e:?}"),
    }
}

/// Uncached, then cached twice (cold, warm): all three identical. The seed
/// and the clock are pinned so random values and certificate dates repeat.
fn check(label: &str, req: &RenderRequest) {
    let req = &RenderRequest { seed: Some(7), now_unix_nanos: Some(1_750_000_000_000_000_000), ..req.clone() };
    cache::disable();
    let plain = outcome(req);
    cache::enable();
    let cold = outcome(req);
    let warm = outcome(req);
    cache::disable();
    assert!(plain == cold, "{label}: cold cached render differs from the uncached one");
    assert!(plain == warm, "{label}: warm cached render differs from the uncached one");
}

#[test]
fn conformance_cases_render_the_same_cached() {
    let root = kit::conformance();
    let text = std::fs::read_to_string(root.join("cases.yaml")).unwrap_or_else(|e| panic!("{e}"));
    let doc = chartroom_engine::yaml::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    let cases = match doc.get("cases") {
        Some(chartroom_engine::Value::List(l, _)) => l.borrow().clone(),
        _ => panic!("no cases"),
    };
    let s = |c: &chartroom_engine::Value, k: &str| {
        c.get(k).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
    };
    let mut n = 0;
    for c in &cases {
        let mut req = RenderRequest {
            files: kit::read_tree(&root.join(s(c, "chart"))),
            release_name: s(c, "release"),
            namespace: s(c, "namespace"),
            ..RenderRequest::default()
        };
        if let Some(chartroom_engine::Value::List(vs, _)) = c.get("values") {
            for v in vs.borrow().iter().filter_map(|v| v.as_str().map(str::to_string)) {
                let bytes = std::fs::read(root.join(&v)).unwrap_or_else(|e| panic!("{e}"));
                req.values_files.push((v, bytes));
            }
        }
        check(&s(c, "id"), &req);
        n += 1;
    }
    assert!(n >= 50, "only {n} cases");
}

fn example(name: &str) -> RenderRequest {
    let dir = kit::manifest_dir().join("../public/examples").join(name);
    RenderRequest { files: kit::read_tree(&dir), ..RenderRequest::default() }
}

#[test]
fn gallery_examples_render_the_same_cached() {
    for name in ["hello-world", "hooks-notes", "schema", "umbrella"] {
        check(name, &example(name));
    }
}

/// A sequence of edits rendered through one warm cache gives, at every step,
/// what a render without the cache gives.
#[test]
fn edits_between_cached_renders() {
    let base = example("hello-world");
    let mut steps: Vec<(&str, RenderRequest)> = Vec::new();
    steps.push(("base", base.clone()));
    let mut v = base.clone();
    v.values_files.push(("extra.yaml".into(), b"replicaCount: 7\n".to_vec()));
    steps.push(("values edit", v));
    let mut t = base.clone();
    if let Some(d) = t.files.get_mut("templates/service.yaml") {
        d.extend_from_slice(b"\n# edited {{ .Release.Name }}\n");
    }
    steps.push(("template edit", t.clone()));
    let mut broken = base.clone();
    broken.files.insert("templates/broken.yaml".into(), b"a: {{ .Values.x \n".to_vec());
    steps.push(("parse error", broken));
    steps.push(("template edit again", t));
    let mut tpl = base.clone();
    tpl.files.insert(
        "templates/tpl.yaml".into(),
        b"a: {{ tpl .Values.t . }}\nb: {{ tpl \"{{ .Release.Name }}\" . }}\n".to_vec(),
    );
    for (i, text) in ["x-{{ .Release.Namespace }}", "y-{{ .Chart.Name }}", "{{ if }}", "x-{{ .Release.Namespace }}"]
        .iter()
        .enumerate()
    {
        let mut r = tpl.clone();
        r.values_files.push((format!("t{i}.yaml"), format!("t: {text:?}\n").into_bytes()));
        steps.push(("tpl", r));
    }
    steps.push(("base again", base));

    for (_, r) in steps.iter_mut() {
        r.seed = Some(7);
        r.now_unix_nanos = Some(1_750_000_000_000_000_000);
    }
    cache::disable();
    let want: Vec<String> = steps.iter().map(|(_, r)| outcome(r)).collect();
    cache::enable();
    for ((label, r), w) in steps.iter().zip(&want) {
        assert!(outcome(r) == *w, "{label}: cached render differs from the uncached one");
    }
    let (hits, misses) = cache::stats().unwrap_or((0, 0));
    cache::disable();
    // The cache was used: most template parses of the later steps were hits.
    assert!(hits > misses, "hits {hits}, misses {misses}");
}
