//! Resource limits: a hostile template ends with a clear error instead of
//! hanging the page.

use std::collections::BTreeMap;

use chartroom_engine::api::{render, RenderRequest};

fn chart_with(template: &str) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    files.insert("Chart.yaml".to_string(), b"apiVersion: v2\nname: c\nversion: 0.1.0\n".to_vec());
    files.insert("templates/t.yaml".to_string(), template.as_bytes().to_vec());
    files
}

#[test]
fn empty_range_bodies_still_spend_the_step_budget() {
    let req = RenderRequest {
        files: chart_with("{{ range until 300 }}{{ range until 300 }}{{ end }}{{ end }}"),
        max_steps: Some(1000),
        ..RenderRequest::default()
    };
    let err = render(&req).expect_err("the budget must stop the loop");
    assert!(err.message.contains("more than 1000 evaluation steps"), "{}", err.message);
}

#[test]
fn recursive_include_is_stopped() {
    // Helm's recursionMaxNums (1000 nested includes of a name), with Helm's
    // message at the end of the chain (the whole text is checked against the
    // oracle in tests/cases/hostile_depth.json). Natively the stack grows,
    // so an ordinary test thread is enough.
    let req = RenderRequest {
        files: chart_with("{{ define \"x\" }}{{ include \"x\" . }}{{ end }}{{ include \"x\" . }}"),
        ..RenderRequest::default()
    };
    let err = render(&req).expect_err("runaway recursion must fail");
    assert!(
        err.message.contains(
            "error calling include: rendering template has a nested reference name: x: unable to execute template"
        ),
        "{}",
        &err.message[err.message.len().saturating_sub(300)..]
    );
}
