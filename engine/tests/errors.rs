//! The engine's error fields (engine/src/error.rs): the stage, the position
//! the editor marks and the include/tpl call chain agree with the positions
//! Helm's own text names (Go counts columns from 0, the fields from 1).

use std::collections::BTreeMap;

use chartroom_engine::error::{Call, Kind};
use chartroom_engine::{render, RenderRequest};

fn chart(files: &[(&str, &str)]) -> RenderRequest {
    let mut map: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    map.insert("Chart.yaml".into(), b"apiVersion: v2\nname: c\nversion: 0.1.0\n".to_vec());
    for (k, v) in files {
        map.insert(k.to_string(), v.as_bytes().to_vec());
    }
    RenderRequest { files: map, ..RenderRequest::default() }
}

#[test]
fn nested_includes_give_the_call_chain_and_the_innermost_position() {
    let req = chart(&[
        (
            "templates/_helpers.tpl",
            "{{- define \"a\" }}\n  {{ include \"b\" . }}\n{{- end }}\n{{- define \"b\" }}{{ index 1 2 }}{{ end }}\n",
        ),
        ("templates/t.yaml", "x: {{ include \"a\" . }}\n"),
    ]);
    let e = render(&req).unwrap_err();
    assert_eq!(e.kind, Kind::Exec);
    // Helm's text names each frame `FILE:LINE:COL` with Go's columns from 0.
    for frame in ["c/templates/t.yaml:1:6:", "c/templates/_helpers.tpl:2:5:", "c/templates/_helpers.tpl:4:20:"] {
        assert!(e.message.contains(frame), "{frame} in {}", e.message);
    }
    assert_eq!((e.file.as_deref(), e.line, e.col), (Some("c/templates/_helpers.tpl"), Some(4), Some(21)));
    let call = |file: &str, line, col| Call { function: "include".into(), file: file.into(), line, col };
    assert_eq!(e.calls, vec![call("c/templates/t.yaml", 1, 7), call("c/templates/_helpers.tpl", 2, 6)]);
}

#[test]
fn stages_are_told_apart() {
    let e = render(&chart(&[("templates/t.yaml", "{{ if }}")])).unwrap_err();
    assert_eq!((e.kind, e.file.as_deref(), e.line), (Kind::Parse, Some("c/templates/t.yaml"), Some(1)));
    assert!(e.calls.is_empty());
    let mut req = chart(&[("templates/t.yaml", "a: 1\n")]);
    req.files.insert("Chart.yaml".into(), b"apiVersion: v2\nname: c\nversion: [\n".to_vec());
    let e = render(&req).unwrap_err();
    assert_eq!((e.kind, e.file.as_deref()), (Kind::Chart, Some("Chart.yaml")), "{e:?}");
    let mut req = chart(&[("templates/t.yaml", "a: 1\n")]);
    req.set.push("a".into());
    let e = render(&req).unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (Kind::Values, "failed parsing --set data: key \"a\" has no value"));
    let e = render(&chart(&[("templates/t.yaml", "a: [\n")])).unwrap_err();
    assert_eq!((e.kind, e.file.as_deref()), (Kind::Manifest, Some("c/templates/t.yaml")));
    let mut req = chart(&[("templates/t.yaml", "{{ range $i := until 10000 }}{{ $i }}{{ end }}")]);
    req.max_steps = Some(1000);
    assert_eq!(render(&req).unwrap_err().kind, Kind::Limit);
}

#[test]
fn positions_found_below_the_render_reach_the_top_as_fields() {
    // A `--set` line: the flag, its line among that flag's lines, and the
    // column where strvals stopped (Helm's text has none of them).
    let mut req = chart(&[("templates/t.yaml", "a: 1\n")]);
    req.set = vec!["x=1".into(), "a.b=2,c".into()];
    let e = render(&req).unwrap_err();
    assert_eq!(e.message, "failed parsing --set data: key \"c\" has no value");
    assert_eq!((e.kind, e.file.as_deref(), e.line, e.col), (Kind::Values, Some("--set"), Some(2), Some(8)));
    // A values file: go-yaml's line and column in it.
    let mut req = chart(&[("templates/t.yaml", "a: 1\n")]);
    req.values_files.push(("my.yaml".into(), b"a: 1\nb: c: d\n".to_vec()));
    let e = render(&req).unwrap_err();
    assert!(e.message.starts_with("failed to parse my.yaml: "), "{}", e.message);
    assert_eq!((e.kind, e.file.as_deref(), e.line), (Kind::Values, Some("my.yaml"), Some(2)));
    // A rendered manifest that does not parse: the template line that
    // wrote the line go-yaml names (helm-oracle: `yaml: line 6` of the
    // document; the template line is 8).
    let t = "{{- $x := \"a: b\" }}\n{{- $y := 1 }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: {{ $x }}\n";
    let e = render(&chart(&[("templates/bad.yaml", t)])).unwrap_err();
    assert!(e.message.contains("yaml: line 6: mapping values are not allowed in this context"), "{}", e.message);
    assert_eq!((e.kind, e.file.as_deref(), e.line), (Kind::Manifest, Some("c/templates/bad.yaml"), Some(8)));
}

#[test]
fn frames_end_after_each_error_calling() {
    let req = chart(&[(
        "templates/t.yaml",
        "{{ define \"r\" }}{{ if lt (len .) 3 }}{{ include \"r\" (append . 1) }}{{ else }}{{ index . 9 }}{{ end }}{{ end }}x: {{ include \"r\" (list) }}\n",
    )]);
    let e = render(&req).unwrap_err();
    let ends: Vec<&str> = e.frames.iter().map(|&f| &e.message[..f]).collect();
    assert_eq!(ends.len(), 5, "4 includes and the index call: {}", e.message);
    for (i, end) in ends.iter().enumerate() {
        assert_eq!(end.matches("error calling ").count(), i + 1, "{end}");
        assert!(end.ends_with("error calling include: ") || end.ends_with("error calling index: "), "{end}");
    }
}

/// Lint findings about a rendered object lead to its template, those about
/// Chart.yaml to the key's line (Helm's text carries neither).
#[test]
fn lint_findings_name_their_file() {
    use chartroom_engine::lint::{run_all, LintOptions};
    let files: BTreeMap<String, Vec<u8>> = [
        ("Chart.yaml", "apiVersion: v2\nname: c\nversion: \"1.0\"\n"),
        ("values.yaml", ""),
        ("templates/svc.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: 1svc\n"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
    .collect();
    let linter = run_all(&files, "/c", &Default::default(), &LintOptions::default());
    let at = |needle: &str| {
        let m = linter
            .messages
            .iter()
            .find(|m| m.err.contains(needle))
            .unwrap_or_else(|| panic!("{needle}: {:?}", linter.messages));
        (m.file.clone(), m.line)
    };
    assert_eq!(at("1svc"), (Some("templates/svc.yaml".into()), None));
    assert_eq!(at("is not a valid SemVerV2"), (Some("Chart.yaml".into()), Some(3)));
    assert_eq!(at("icon is recommended"), (Some("Chart.yaml".into()), None));
}
