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
    // 1000 levels as Go/Helm allow need more stack than a debug build's test
    // thread has (the browser worker is linked with a 16 MiB stack).
    let r = std::thread::Builder::new()
        .stack_size(512 << 20)
        .spawn(|| {
            let req = RenderRequest {
                files: chart_with("{{ define \"x\" }}{{ include \"x\" . }}{{ end }}{{ include \"x\" . }}"),
                ..RenderRequest::default()
            };
            render(&req)
        })
        .expect("thread")
        .join()
        .expect("no panic");
    let err = r.expect_err("runaway recursion must fail");
    assert!(err.message.contains("exceeded maximum template depth (1000)"), "{}", err.message);
}

#[test]
fn range_over_a_huge_integer_spends_the_step_budget_instead_of_allocating() {
    // Go (and Helm) would loop 2^63-1 times; the engine must neither hang
    // nor try to build all the items first (which aborted with a capacity
    // overflow). Found by the differential tester (scripts/difftest).
    for t in [
        "{{ range (list 0 | add .5 (9223372036854775807)) }}{{ end }}",
        "{{ range $i := (add 1 9223372036854775806) }}x{{ end }}",
    ] {
        let req = RenderRequest { files: chart_with(t), max_steps: Some(1000), ..RenderRequest::default() };
        let err =
            std::panic::catch_unwind(|| render(&req)).expect("no panic").expect_err("the budget must stop the loop");
        assert!(err.message.contains("more than 1000 evaluation steps"), "{t}: {}", err.message);
    }
}
