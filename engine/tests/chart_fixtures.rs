//! Small fixture charts against real Helm's `helm template` output or error
//! (engine/tests/data/<chart>.expected, made by scripts/gen_chart_fixtures.py).

use std::collections::BTreeMap;
use std::path::Path;

use chartroom_engine::api::{render, RenderRequest};

fn chart_files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).expect("chart dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn expected(data: &Path, chart: &str) -> String {
    std::fs::read_to_string(data.join(format!("{chart}.expected"))).unwrap_or_else(|_| {
        panic!("tests/data/{chart}.expected is missing: run scripts/gen_chart_fixtures.py with the oracle's python")
    })
}

fn render_fixture(data: &Path, chart: &str) -> Result<String, String> {
    let req = RenderRequest {
        files: chart_files(&data.join(chart)),
        release_name: "release-name".into(),
        ..RenderRequest::default()
    };
    render(&req).map(|o| o.manifest).map_err(|e| format!("Error: {}\n", e.message))
}

/// One subchart used several times under aliases: Helm renders each copy
/// under its aliased path (`parent/charts/alpha/templates/cm.yaml`), and
/// that path decides the order of the documents.
#[test]
fn aliased_subchart_copies_render_like_helm() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    assert_eq!(render_fixture(&data, "alias-chart"), Ok(expected(&data, "alias-chart")));
}

/// `trunc` cuts a UTF-8 sequence and `b64dec` yields a byte that is not
/// UTF-8: the bytes reach the manifest, and go-yaml's reader rejects it.
#[test]
fn bytes_that_are_not_utf8_reach_the_manifest() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    assert_eq!(render_fixture(&data, "broken-utf8-chart"), Err(expected(&data, "broken-utf8-chart")));
}
