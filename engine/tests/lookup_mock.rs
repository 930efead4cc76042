//! `lookup` answers from a user-defined mock cluster; without one it
//! returns an empty map as `helm template` does (checked by the oracle cases).

use std::collections::BTreeMap;

use chartroom_engine::api::{render, RenderRequest};

fn render_with(template: &str, mock: Option<&str>) -> String {
    let mut files = BTreeMap::new();
    files.insert("Chart.yaml".to_string(), b"apiVersion: v2\nname: c\nversion: 0.1.0\n".to_vec());
    files.insert("templates/t.yaml".to_string(), template.as_bytes().to_vec());
    let req = RenderRequest { files, mock_cluster: mock.map(str::to_string), ..RenderRequest::default() };
    render(&req).map(|o| o.manifest).unwrap_or_else(|e| e.message)
}

const CLUSTER: &str = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: prod\ndata:\n  password: c2VjcmV0\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: other\n  namespace: prod\n";

#[test]
fn lookup_by_name_and_list() {
    let t = "a: {{ (lookup \"v1\" \"Secret\" \"prod\" \"db\").data.password }}\nn: {{ len (lookup \"v1\" \"Secret\" \"prod\" \"\").items }}\nk: {{ (lookup \"v1\" \"Secret\" \"prod\" \"\").kind }}\nmissing: {{ lookup \"v1\" \"Secret\" \"dev\" \"db\" | len }}\n";
    let out = render_with(t, Some(CLUSTER));
    assert!(out.contains("a: c2VjcmV0\n"), "{out}");
    assert!(out.contains("n: 2\n"), "{out}");
    assert!(out.contains("k: SecretList\n"), "{out}");
    assert!(out.contains("missing: 0\n"), "{out}");
}

#[test]
fn lookup_without_a_cluster_is_empty() {
    let out = render_with("n: {{ lookup \"v1\" \"Secret\" \"prod\" \"db\" | len }}\n", None);
    assert!(out.contains("n: 0\n"), "{out}");
}
