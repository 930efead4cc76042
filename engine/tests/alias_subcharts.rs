//! One subchart used several times under aliases: Helm renders each copy
//! under its aliased path (`parent/charts/alpha/templates/cm.yaml`), and
//! that path decides the order of the documents. Expected output: real
//! Helm's `helm template` (scripts/gen_alias_fixture.py).

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

#[test]
fn aliased_subchart_copies_render_like_helm() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let expected = std::fs::read_to_string(data.join("alias-chart.expected")).expect(
        "tests/data/alias-chart.expected is missing: run scripts/gen_alias_fixture.py with the oracle's python",
    );
    let req = RenderRequest {
        files: chart_files(&data.join("alias-chart")),
        release_name: "release-name".into(),
        ..RenderRequest::default()
    };
    let out = render(&req).expect("render");
    assert_eq!(out.manifest, expected);
}
