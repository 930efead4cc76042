//! Issue 15: tracing a render (source map, coverage, values read) checked
//! against truth: the conformance corpus (real Helm v4.2.3 outputs) rendered
//! with tracing on must be byte-identical, and every output line must map to
//! a template line holding that literal text or an action; small charts
//! whose branch counts and value reads are known by construction.

mod kit;

use std::collections::BTreeMap;

use chartroom_engine::chart::{self, Chart};
use chartroom_engine::explain::Origin;
use chartroom_engine::{render, RenderRequest, Value};

struct Case {
    id: String,
    req: RenderRequest,
}

fn corpus() -> Vec<Case> {
    let root = kit::conformance();
    let text = std::fs::read_to_string(root.join("cases.yaml")).unwrap_or_else(|e| {
        panic!("{}: {e} (the conformance corpus lives in ../shared; set CHARTROOM_SHARED)", root.display())
    });
    let doc = chartroom_engine::yaml::parse(&text).unwrap();
    let Some(Value::List(list, _)) = doc.get("cases") else { panic!("cases.yaml: no cases") };
    let mut cases = Vec::new();
    for c in list.borrow().iter() {
        let s = |k: &str| c.get(k).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        if !s("status").starts_with("ok") {
            continue;
        }
        let mut req = RenderRequest {
            files: kit::read_tree(&root.join(s("chart"))),
            release_name: s("release"),
            namespace: s("namespace"),
            // Certificates and random names must repeat between the two renders.
            seed: Some(1),
            now_unix_nanos: Some(1_700_000_000_000_000_000),
            ..RenderRequest::default()
        };
        if let Some(Value::List(vs, _)) = c.get("values") {
            for v in vs.borrow().iter() {
                let v = v.as_str().unwrap().to_string();
                req.values_files.push((v.clone(), std::fs::read(root.join(&v)).unwrap()));
            }
        }
        cases.push(Case { id: s("id"), req });
    }
    assert!(cases.len() >= 50, "expected the 54-case corpus, found {}", cases.len());
    cases
}

/// Template texts of a chart and its subcharts by `# Source:` name.
fn template_texts(ch: &Chart, out: &mut BTreeMap<String, String>) {
    for t in &ch.templates {
        out.insert(format!("{}/{}", ch.full_path, t.name), String::from_utf8_lossy(&t.data).into_owned());
    }
    for d in &ch.dependencies {
        template_texts(d, out);
    }
}

/// Whether template line `o.at` holds the output line's text (from its
/// first non-blank byte) or an action.
fn check_line(out_line: &str, o: &Origin, texts: &BTreeMap<String, String>) -> Result<(), String> {
    let text = texts.get(&o.at.file).ok_or_else(|| format!("no template {}", o.at.file))?;
    let line =
        text.split('\n').nth(o.at.line - 1).ok_or_else(|| format!("{}:{} past the end", o.at.file, o.at.line))?;
    if o.action {
        // The position is inside `{{ … }}` (Go's action position is its
        // pipeline's, after the delimiter and trim marker).
        let line_start: usize = text.split('\n').take(o.at.line - 1).map(|l| l.len() + 1).sum();
        let p = line_start + o.at.col - 1;
        let before = text.get(..p).unwrap_or("");
        return match before.rfind("{{") {
            Some(open) if !before[open..].contains("}}") => Ok(()),
            _ => Err(format!("no action at {:?} col {}", line, o.at.col)),
        };
    }
    let from = line.get(o.at.col - 1..).unwrap_or("");
    let literal = from.split("{{").next().unwrap_or("").trim_end();
    let produced = out_line.trim_start();
    // The line holds the text (a derived line, e.g. an include re-read
    // with fromYaml, may hold less of it than the template line).
    if !literal.is_empty() && (produced.starts_with(literal) || literal.starts_with(produced)) {
        return Ok(());
    }
    if literal.is_empty() && produced.is_empty() {
        return Ok(());
    }
    Err(format!("template line {line:?} (col {}) does not hold {produced:?}", o.at.col))
}

#[test]
fn corpus_byte_identical_and_lines_map_to_their_template_lines() {
    let mut mapped = 0usize;
    let mut lines_total = 0usize;
    let mut failures = Vec::new();
    for case in corpus() {
        let plain = render(&case.req).unwrap_or_else(|e| panic!("{}: {}", case.id, e.message));
        let mut req = case.req.clone();
        req.trace = true;
        let traced = render(&req).unwrap_or_else(|e| panic!("{} traced: {}", case.id, e.message));
        assert!(plain.manifest == traced.manifest, "{}: tracing changed the manifest", case.id);
        assert!(plain.notes == traced.notes, "{}: tracing changed NOTES", case.id);
        assert!(plain.files == traced.files, "{}: tracing changed a file", case.id);
        assert!(plain.trace.is_none());
        let t = traced.trace.expect("trace");
        let ch = chart::load_files(&req.files).unwrap();
        let mut texts = BTreeMap::new();
        template_texts(&ch, &mut texts);
        let out_lines: Vec<&str> = traced.manifest.split('\n').collect();
        assert_eq!(out_lines.len(), t.manifest_lines.len(), "{}", case.id);
        for (i, (l, o)) in out_lines.iter().zip(&t.manifest_lines).enumerate() {
            if l.trim().is_empty() || *l == "---" || l.starts_with("# Source: ") {
                continue;
            }
            lines_total += 1;
            let Some(o) = o else { continue };
            mapped += 1;
            if let Err(e) = check_line(l, o, &texts) {
                failures.push(format!("{} line {}: {l:?} -> {}:{}: {e}", case.id, i + 1, o.at.file, o.at.line));
            }
        }
    }
    println!("{mapped} of {lines_total} non-blank output lines mapped; {} wrong", failures.len());
    for f in failures.iter().take(30) {
        println!("  {f}");
    }
    assert!(failures.is_empty(), "{} lines map to a template line without their text or an action", failures.len());
    // Lines of CRDs (not templates) and of post-processed documents stay
    // unmapped; nearly all template output must be.
    assert!(mapped * 100 >= lines_total * 95, "only {mapped} of {lines_total} lines mapped");
}

/// A chart whose branch counts and value reads are known by construction:
/// `items` has two true and one false element, `flag` is false, `hidden`
/// is read only inside the branch `flag` never takes, `image.pullPolicy`
/// by nothing.
fn demo_chart() -> BTreeMap<String, Vec<u8>> {
    let mut f = BTreeMap::new();
    f.insert("Chart.yaml".into(), b"apiVersion: v2\nname: demo\nversion: 0.1.0\n".to_vec());
    f.insert(
        "values.yaml".into(),
        b"items: [true, false, true]\nflag: false\nshown: a\nhidden: b\nimage:\n  tag: \"1.0\"\n  pullPolicy: IfNotPresent\n"
            .to_vec(),
    );
    f.insert(
        "templates/cm.yaml".into(),
        concat!(
            "apiVersion: v1\n",                         // 1
            "kind: ConfigMap\n",                        // 2
            "metadata:\n",                              // 3
            "  name: {{ include \"demo.name\" . }}\n",  // 4
            "data:\n",                                  // 5
            "  items: |\n",                             // 6
            "{{- range .Values.items }}\n",             // 7
            "{{- if . }}\n",                            // 8
            "    yes\n",                                // 9
            "{{- else }}\n",                            // 10
            "    no\n",                                 // 11
            "{{- end }}\n",                             // 12
            "{{- end }}\n",                             // 13
            "{{- if .Values.flag }}\n",                 // 14
            "  hidden: {{ .Values.hidden }}\n",         // 15
            "{{- else }}\n",                            // 16
            "  shown: {{ .Values.shown }}\n",           // 17
            "{{- end }}\n",                             // 18
            "  tag: {{ .Values.image.tag | quote }}\n", // 19
        )
        .as_bytes()
        .to_vec(),
    );
    f.insert(
        "templates/_helpers.tpl".into(),
        b"{{- define \"demo.name\" -}}\ndemo-{{ .Release.Name }}\n{{- end }}\n".to_vec(),
    );
    f
}

#[test]
fn branch_counts_lines_and_unused_values_of_a_known_chart() {
    let req = RenderRequest { files: demo_chart(), trace: true, ..RenderRequest::default() };
    let out = render(&req).unwrap();
    let t = out.trace.unwrap();
    let cov = &t.coverage["demo/templates/cm.yaml"];
    let br = |line: usize| cov.branches.iter().find(|b| b.line == line).map(|b| b.taken).unwrap();
    assert_eq!(br(7), Some([1, 0]), "range ran its body, never empty");
    assert_eq!(br(8), Some([2, 1]), "two true items, one false");
    assert_eq!(br(14), Some([0, 1]), "flag is false: the untaken branch counts 0");
    assert_eq!(cov.lines[&15], 0, "the action in the untaken branch never ran");
    assert_eq!(cov.lines[&17], 1);
    assert_eq!(cov.lines[&8], 3, "the if ran once per item");
    let helpers = &t.coverage["demo/templates/_helpers.tpl"];
    assert_eq!(helpers.lines[&2], 1);

    // Output lines: `  name: demo-release-name` comes from the helper's
    // line 2 through the include on cm.yaml line 4.
    let lines: Vec<&str> = out.manifest.split('\n').collect();
    let i = lines.iter().position(|l| l.trim_start().starts_with("name: ")).unwrap();
    let o = t.manifest_lines[i].as_ref().unwrap();
    assert_eq!((o.at.file.as_str(), o.at.line), ("demo/templates/cm.yaml", 4));
    let j = lines.iter().position(|l| l.trim() == "no").unwrap();
    let o = t.manifest_lines[j].as_ref().unwrap();
    assert_eq!((o.at.file.as_str(), o.at.line, o.action), ("demo/templates/cm.yaml", 11, false));

    assert_eq!(t.unused_values, vec!["hidden".to_string(), "image.pullPolicy".to_string()]);
}

/// Reading a copy reads the original: values reached only through
/// `deepCopy`, `merge`, `mergeOverwrite`, `pick`, `omit`, variables,
/// `dict` and `include` count as read where the copy is read, and only
/// there; a copy made in a branch that never runs reads nothing.
#[test]
fn reads_through_copies_count_for_the_original() {
    let mut f = BTreeMap::new();
    f.insert("Chart.yaml".into(), b"apiVersion: v2\nname: copies\nversion: 0.1.0\n".to_vec());
    f.insert(
        "values.yaml".into(),
        concat!(
            "copied: {a: 1, b: {c: 2}}\n",
            "deep: {x: {p: 1, q: 2}}\n",
            "merged: {a: 1, b: 2}\n",
            "over: {a: 1, b: 2}\n",
            "overrides: {b: 3, c: 4}\n",
            "picked: {a: 1, b: 2}\n",
            "omitted: {a: 1, b: 2}\n",
            "viaInclude: {a: 1, b: 2}\n",
            "untaken: {a: 1}\n",
            "listed: [{a: 1, b: 2}]\n",
        )
        .as_bytes()
        .to_vec(),
    );
    f.insert("templates/_helpers.tpl".into(), b"{{- define \"copies.a\" -}}{{ .v.a }}{{- end }}\n".to_vec());
    f.insert(
        "templates/cm.yaml".into(),
        concat!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: copies\ndata:\n",
            "  copied: {{ deepCopy .Values.copied | toYaml | quote }}\n",
            "{{- $d := deepCopy .Values.deep }}\n",
            "  deep: {{ $d.x.p | quote }}\n",
            "{{- $m := merge (dict) .Values.merged }}\n",
            "  merged: {{ $m.a | quote }}\n",
            "{{- $o := mergeOverwrite (deepCopy .Values.over) .Values.overrides }}\n",
            "  over: {{ $o.a | quote }}\n",
            "  overrides: {{ $o.c | quote }}\n",
            "  picked: {{ (pick .Values.picked \"a\").a | quote }}\n",
            "  omitted: {{ omit .Values.omitted \"b\" | toJson | quote }}\n",
            "  included: {{ include \"copies.a\" (dict \"v\" (deepCopy .Values.viaInclude)) | quote }}\n",
            "{{- $l := deepCopy .Values.listed }}\n",
            "  listed: {{ (index $l 0).a | quote }}\n",
            "{{- if false }}\n",
            "  untaken: {{ deepCopy .Values.untaken | toYaml | quote }}\n",
            "{{- end }}\n",
        )
        .as_bytes()
        .to_vec(),
    );
    let out = render(&RenderRequest { files: f, trace: true, ..RenderRequest::default() }).unwrap();
    assert!(out.manifest.contains("  copied: \"a: 1\\nb:\\n  c: 2\""), "{}", out.manifest);
    assert!(out.manifest.contains("  omitted: \"{\\\"a\\\":1}\""), "{}", out.manifest);
    let t = out.trace.unwrap();
    assert_eq!(
        t.unused_values,
        [
            "deep.x.q",
            "listed[0].b",
            "merged.b",
            "omitted.b",
            // mergeOverwrite's result holds over.b's copy, then overrides.b:
            // reading $o.b would read both; nothing reads it.
            "over.b",
            "overrides.b",
            "picked.b",
            "untaken.a",
            "viaInclude.b",
        ]
    );
}

#[test]
fn notes_and_hook_lines_map_to_their_templates() {
    let mut files = demo_chart();
    files.insert("templates/NOTES.txt".into(), b"Thanks.\nRelease {{ .Release.Name }} is up.\n".to_vec());
    files.insert(
        "templates/job.yaml".into(),
        b"apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: hook\n  annotations:\n    \"helm.sh/hook\": post-install\n"
            .to_vec(),
    );
    let out = render(&RenderRequest { files, trace: true, ..RenderRequest::default() }).unwrap();
    let t = out.trace.unwrap();
    let n = t.notes_lines[1].as_ref().unwrap();
    assert_eq!((n.at.file.as_str(), n.at.line), ("demo/templates/NOTES.txt", 2));
    let lines: Vec<&str> = out.manifest.split('\n').collect();
    let i = lines.iter().position(|l| *l == "kind: Job").unwrap();
    let o = t.manifest_lines[i].as_ref().unwrap();
    assert_eq!((o.at.file.as_str(), o.at.line, o.action), ("demo/templates/job.yaml", 2, false));
}

#[test]
fn include_chain_is_kept() {
    let mut files = demo_chart();
    files.insert("templates/cm.yaml".into(), b"a: {{ include \"demo.name\" . }}\n".to_vec());
    let out = render(&RenderRequest { files, trace: true, ..RenderRequest::default() }).unwrap();
    let t = out.trace.unwrap();
    let f = &t.file_lines["demo/templates/cm.yaml"];
    let o = f[0].as_ref().unwrap();
    // `a: ` is the first non-blank text: the file's own line.
    assert_eq!((o.at.file.as_str(), o.at.line, o.action), ("demo/templates/cm.yaml", 1, false));
    let mut files = demo_chart();
    files.insert("templates/_kv.tpl".into(), b"{{- define \"demo.kv\" -}}\nkey: value\n{{- end }}\n".to_vec());
    files.insert("templates/cm.yaml".into(), b"{{ include \"demo.kv\" . }}\n".to_vec());
    let out = render(&RenderRequest { files, trace: true, ..RenderRequest::default() }).unwrap();
    let t = out.trace.unwrap();
    let o = t.file_lines["demo/templates/cm.yaml"][0].clone().unwrap();
    assert_eq!((o.at.file.as_str(), o.at.line, o.action), ("demo/templates/_kv.tpl", 2, false));
    assert_eq!(o.chain.len(), 1);
    assert_eq!((o.chain[0].file.as_str(), o.chain[0].line), ("demo/templates/cm.yaml", 1));
    // A value that merely equals an earlier include's text is the action's.
    let mut files = demo_chart();
    files.insert(
        "templates/cm.yaml".into(),
        b"a: {{ include \"demo.name\" . }}\n{{ printf \"demo-release-name\" }}: 1\n".to_vec(),
    );
    let out = render(&RenderRequest { files, trace: true, ..RenderRequest::default() }).unwrap();
    let o = out.trace.unwrap().file_lines["demo/templates/cm.yaml"][1].clone().unwrap();
    assert_eq!((o.at.file.as_str(), o.at.line, o.action), ("demo/templates/cm.yaml", 2, true));
    assert!(o.chain.is_empty());
}

#[test]
fn cli_coverage_writes_lcov_and_keeps_stdout() {
    let dir = std::env::temp_dir().join(format!("chartroom-explain-{}", std::process::id()));
    let chart = dir.join("demo");
    for (k, v) in demo_chart() {
        let p = chart.join(&k);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, v).unwrap();
    }
    let bin = env!("CARGO_BIN_EXE_chartroom");
    let plain = std::process::Command::new(bin).args(["template", chart.to_str().unwrap()]).output().unwrap();
    let lcov = dir.join("cov.info");
    let traced = std::process::Command::new(bin)
        .args(["template", chart.to_str().unwrap(), "--coverage", lcov.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(plain.status.success() && traced.status.success());
    assert_eq!(plain.stdout, traced.stdout);
    let text = std::fs::read_to_string(&lcov).unwrap();
    let rec = text.split("end_of_record\n").find(|r| r.contains("SF:demo/templates/cm.yaml\n")).unwrap();
    for want in ["BRDA:14,2,0,0\n", "BRDA:14,2,1,1\n", "BRDA:8,1,0,2\n", "BRDA:8,1,1,1\n", "DA:15,0\n", "DA:17,1\n"] {
        assert!(rec.contains(want), "{want:?} missing from\n{rec}");
    }
    let field = |k: &str| rec.lines().find_map(|l| l.strip_prefix(k)).unwrap().to_string();
    let da: Vec<&str> = rec.lines().filter(|l| l.starts_with("DA:")).collect();
    assert_eq!(field("LF:"), da.len().to_string());
    assert_eq!(field("LH:"), da.iter().filter(|l| !l.ends_with(",0")).count().to_string());
    assert_eq!(field("BRF:"), "6");
    assert_eq!(field("BRH:"), "4");
    assert!(text.contains("SF:demo/templates/_helpers.tpl\n"));
    let help = std::process::Command::new(bin).args(["template", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("--coverage"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The demo chart with a subchart `sub` (own values, reads a global).
fn demo_with_sub() -> BTreeMap<String, Vec<u8>> {
    let mut f = demo_chart();
    f.insert(
        "Chart.yaml".into(),
        b"apiVersion: v2\nname: demo\nversion: 0.1.0\ndependencies:\n  - name: sub\n    version: 0.1.0\n".to_vec(),
    );
    f.insert("values.yaml".into(), [&f["values.yaml"][..], b"global:\n  region: eu\nsub:\n  size: 3\n"].concat());
    f.insert("charts/sub/Chart.yaml".into(), b"apiVersion: v2\nname: sub\nversion: 0.1.0\n".to_vec());
    f.insert("charts/sub/values.yaml".into(), b"size: 1\ncolor: red\nnested:\n  list: [a, b]\n".to_vec());
    f.insert(
        "charts/sub/templates/cm.yaml".into(),
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sub\ndata:\n  region: {{ .Values.global.region }}\n  size: {{ .Values.size | quote }}\n".to_vec(),
    );
    f
}

fn origin_of(o: &[(String, Option<chartroom_engine::values_origin::ValueOrigin>)], path: &str) -> String {
    o.iter().find(|(p, _)| p == path).and_then(|(_, o)| o.as_ref()).map(|o| o.origin.clone()).unwrap_or_default()
}

#[test]
fn values_origins_name_the_last_source_that_set_each_leaf() {
    let files = demo_with_sub();
    let ch = chart::load_files(&files).unwrap();
    let mut req = RenderRequest { files, ..RenderRequest::default() };
    req.values_files.push(("prod.yaml".into(), b"shown: z\nimage:\n  tag: \"2.0\"\n".to_vec()));
    let (_, o) = chartroom_engine::values_origin::values_origins(&ch, &req).unwrap();
    assert_eq!(origin_of(&o, "image.tag"), "-f prod.yaml:3");
    assert_eq!(origin_of(&o, "shown"), "-f prod.yaml:1");
    assert_eq!(origin_of(&o, "image.pullPolicy"), "values.yaml:7");
    assert_eq!(origin_of(&o, "sub.size"), "values.yaml:11", "the parent's values.yaml overrides the subchart's");
    assert_eq!(origin_of(&o, "sub.color"), "charts/sub/values.yaml:2");
    assert_eq!(origin_of(&o, "sub.nested.list[1]"), "charts/sub/values.yaml:4");
    assert_eq!(origin_of(&o, "sub.global.region"), "global from values.yaml:9");
    // -f then --set: the --set argument wins and is named.
    req.set.push("image.tag=1.2".into());
    let (_, o) = chartroom_engine::values_origin::values_origins(&ch, &req).unwrap();
    let tag = o.iter().find(|(p, _)| p == "image.tag").unwrap().1.clone().unwrap();
    assert_eq!(tag.origin, "--set image.tag=1.2");
    assert_eq!(tag.overrode, vec!["-f prod.yaml:3".to_string(), "values.yaml:6".to_string()]);
}

#[test]
fn annotated_values_are_the_merged_values() {
    let files = demo_with_sub();
    let ch = chart::load_files(&files).unwrap();
    let mut req = RenderRequest { files, ..RenderRequest::default() };
    req.set.push("image.tag=1.2".into());
    let text = chartroom_engine::values_origin::annotated_values(&ch, &req).unwrap();
    assert!(text.contains("  tag: \"1.2\" # --set image.tag=1.2\n"), "{text}");
    let back = chartroom_engine::yaml::parse(&text).unwrap();
    let merged = chartroom_engine::api::template_values(&ch, &req).unwrap();
    assert_eq!(chartroom_engine::yaml::to_yaml(&back).unwrap(), chartroom_engine::yaml::to_yaml(&merged).unwrap());
}

#[test]
fn corpus_values_every_leaf_has_an_origin_and_the_annotated_text_is_the_values() {
    let mut without = Vec::new();
    let mut leaves = 0;
    for case in corpus() {
        let ch = chart::load_files(&case.req.files).unwrap();
        let (merged, o) = chartroom_engine::values_origin::values_origins(&ch, &case.req).unwrap();
        leaves += o.len();
        without.extend(o.iter().filter(|(_, x)| x.is_none()).map(|(p, _)| format!("{}: {p}", case.id)));
        let text = chartroom_engine::values_origin::annotated_values(&ch, &case.req).unwrap();
        let back = chartroom_engine::yaml::parse(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", case.id));
        assert!(
            chartroom_engine::yaml::to_yaml(&back).unwrap() == chartroom_engine::yaml::to_yaml(&merged).unwrap(),
            "{}: the annotated YAML is not the merged values",
            case.id
        );
    }
    println!("{leaves} leaves, {} without origin", without.len());
    for w in without.iter().take(20) {
        println!("  {w}");
    }
    assert!(without.is_empty(), "{} leaves without an origin", without.len());
}

#[test]
fn cli_values_prints_origins_and_unused_paths() {
    let dir = std::env::temp_dir().join(format!("chartroom-explain-values-{}", std::process::id()));
    let chart = dir.join("demo");
    for (k, v) in demo_with_sub() {
        let p = chart.join(&k);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, v).unwrap();
    }
    let prod = dir.join("prod.yaml");
    std::fs::write(&prod, "image:\n  tag: \"2.0\"\n").unwrap();
    let bin = env!("CARGO_BIN_EXE_chartroom");
    let run = |extra: &[&str]| {
        let mut args = vec!["values", "rel", chart.to_str().unwrap(), "-f", prod.to_str().unwrap()];
        args.extend_from_slice(extra);
        let o = std::process::Command::new(bin).args(&args).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let text = run(&["--set", "image.tag=1.2"]);
    assert!(
        text.contains("image:\n  pullPolicy: IfNotPresent # values.yaml:7\n  tag: \"1.2\" # --set image.tag=1.2\n"),
        "{text}"
    );
    assert!(text.contains("  color: red # charts/sub/values.yaml:2\n"), "{text}");
    let text = run(&[]);
    assert!(text.contains(&format!("  tag: \"2.0\" # -f {}:2\n", prod.display())), "{text}");
    // hidden: read only in the branch never taken; sub.color, sub.nested:
    // read by nothing; global.region: read by the subchart.
    let unused = run(&["--unused"]);
    assert_eq!(unused, "hidden\nimage.pullPolicy\nsub.color\nsub.nested.list[0]\nsub.nested.list[1]\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn tracing_is_charged_to_the_memory_budget() {
    // 200,000 one-byte text segments: 200 KB of output fits a 2 MiB budget,
    // their trace (a segment each) does not.
    let mut files = demo_chart();
    files.insert("templates/cm.yaml".into(), b"{{ range 200000 }}x{{ end }}\n".to_vec());
    let ch = chart::load_files(&files).unwrap();
    let mut req = RenderRequest { files, max_memory: Some(2 << 20), ..RenderRequest::default() };
    assert!(chartroom_engine::api::render_templates(&ch, &req).is_ok());
    req.trace = true;
    let e = chartroom_engine::api::render_templates(&ch, &req).unwrap_err();
    assert!(e.message.contains("render stopped:") && e.message.contains("memory budget"), "{}", e.message);
}
