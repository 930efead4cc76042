//! toYaml against real Helm on every conformance chart.
//!
//! Fixtures: engine/tests/data/yaml/<chart>.toyaml = Helm's `{{ toYaml .Values }}`
//! (scripts/gen_yaml_chart_fixtures.py). Two checks per chart:
//! * end to end, for charts without subcharts (whose .Values is values.yaml
//!   minus null entries, which coalescing deletes): to_yaml(parse(values.yaml));
//! * round trip, for all: to_yaml(parse(expected)) must give back expected.

mod kit;

use std::path::{Path, PathBuf};

use chartroom_engine::yaml::{parse, to_yaml};
use chartroom_engine::Value;

fn data_dir() -> PathBuf {
    kit::data_dir("yaml")
}

/// Helm's coalescing deletes keys whose value is null (recursively in maps).
fn strip_nils(v: &Value) {
    if let Value::Map(m, _) = v {
        let mut m = m.borrow_mut();
        m.retain(|_, x| !x.is_nil());
        for x in m.values() {
            strip_nils(x);
        }
    }
}

fn first_diff(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n  got:  {x:?}\n  want: {y:?}", i + 1);
        }
    }
    format!("length differs: got {} lines, want {}", a.lines().count(), b.lines().count())
}

fn has_subcharts(chart: &Path) -> bool {
    let deps = std::fs::read_dir(chart.join("charts")).map(|mut d| d.next().is_some()).unwrap_or(false);
    let chart_yaml = std::fs::read_to_string(chart.join("Chart.yaml")).unwrap_or_default();
    deps || chart_yaml.contains("dependencies:")
}

#[test]
fn conformance_to_yaml() {
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(data_dir())
        .expect("fixture dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toyaml"))
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 20, "fixtures missing");
    let charts = kit::conformance().join("charts");
    let (mut rt_ok, mut e2e_ok, mut e2e_total) = (0, 0, 0);
    let mut failures = Vec::new();
    for f in &fixtures {
        let name = f.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        let want = std::fs::read_to_string(f).expect("fixture");
        // Round trip.
        match parse(&want).map_err(|e| e.msg).and_then(|v| to_yaml(&v).map_err(|e| e.message)) {
            Ok(got) if got == want => rt_ok += 1,
            Ok(got) => failures.push(format!("{name} (round trip): {}", first_diff(&got, &want))),
            Err(e) => failures.push(format!("{name} (round trip): error {e}")),
        }
        // End to end.
        let dir = charts.join(&name);
        if !dir.is_dir() || has_subcharts(&dir) {
            continue;
        }
        e2e_total += 1;
        let src = std::fs::read_to_string(dir.join("values.yaml")).unwrap_or_default();
        match parse(&src) {
            Ok(v) => {
                strip_nils(&v);
                let v = if v.is_nil() { Value::empty_map() } else { v };
                match to_yaml(&v) {
                    Ok(got) if got == want => e2e_ok += 1,
                    Ok(got) => failures.push(format!("{name} (values.yaml): {}", first_diff(&got, &want))),
                    Err(e) => failures.push(format!("{name} (values.yaml): error {e}")),
                }
            }
            Err(e) => failures.push(format!("{name} (values.yaml): parse error {}", e.msg)),
        }
    }
    eprintln!("toYaml conformance: round trip {rt_ok}/{}, values.yaml end to end {e2e_ok}/{e2e_total}", fixtures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
