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

/// `chartroom template --render-timeout DURATION` (Go duration syntax, off by
/// default as in Helm): a crypto loop ends with a clear error.
#[test]
fn cli_timeout_stops_a_slow_render() {
    use std::process::Command;
    let dir = std::env::temp_dir().join(format!("chartroom-timeout-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("templates")).expect("mkdir");
    std::fs::write(dir.join("Chart.yaml"), "apiVersion: v2\nname: c\nversion: 0.1.0\n").expect("write");
    std::fs::write(dir.join("templates/t.yaml"), "{{ range 2000 }}{{ bcrypt \"x\" }}{{ end }}").expect("write");
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_chartroom"))
            .arg("template")
            .arg(&dir)
            .args(args)
            .output()
            .expect("run chartroom");
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let t0 = std::time::Instant::now();
    let (code, err) = run(&["--render-timeout", "300ms"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("render stopped: timeout of 300ms exceeded"), "{err}");
    assert!(t0.elapsed() < std::time::Duration::from_secs(20), "took {:?}", t0.elapsed());
    let (code, err) = run(&["--render-timeout=1m30s5x"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains(
            "invalid argument \"1m30s5x\" for \"--render-timeout\" flag: time: unknown unit \"x\" in duration \"1m30s5x\""
        ),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
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
        let err = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| render(&req)))
            .expect("no panic")
            .expect_err("the budget must stop the loop");
        assert!(err.message.contains("more than 1000 evaluation steps"), "{t}: {}", err.message);
    }
}

/// Loops that build and drop far more values over the render than the
/// memory budget, while holding little at once, render as in Helm: the
/// budget bounds what a render holds (values are credited back when
/// dropped), not what it created. Helm's outputs and times from
/// `scripts/gen_limits_fixtures.py`; the `-full` case (160 million
/// iterations) is too slow for a debug test and is rendered by hand.
#[test]
fn heavy_loops_that_hold_little_render_as_in_helm() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/limits/heavy_loops.json");
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e} (python3 scripts/gen_limits_fixtures.py writes it)"));
    let cases: Vec<serde_json::Value> = serde_json::from_str(&text).expect("fixture JSON");
    let mut ran = 0;
    for case in &cases {
        let name = case["name"].as_str().expect("name");
        if name.ends_with("-full") {
            continue;
        }
        let template = case["template"].as_str().expect("template");
        let mut files = chart_with("");
        files.remove("templates/t.yaml");
        files.insert("templates/t.txt".to_string(), template.as_bytes().to_vec());
        // Each creates more than this over the render (400 lists of 4,000
        // slots; 300 strings of 100,000 bytes) and holds one at a time.
        let req = RenderRequest { files, max_memory: Some(16 << 20), ..RenderRequest::default() };
        let t0 = std::time::Instant::now();
        let out = render(&req).unwrap_or_else(|e| panic!("{name}: {}", e.message));
        let took = t0.elapsed();
        assert_eq!(out.files.get("c/templates/t.txt").map(String::as_str), case["output"].as_str(), "{name}");
        println!(
            "{name}: {:.0} ms (helm {:.0} ms, oracle, for the figure only)",
            took.as_secs_f64() * 1e3,
            case["helm_template_s"].as_f64().unwrap_or(0.0) * 1e3
        );
        ran += 1;
    }
    assert!(ran >= 2, "the fixture has {ran} cases to run");
}
