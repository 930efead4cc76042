//! pkg/chart/v2/lint/rules/template.go: the chart loads, its values meet
//! the schemas, its templates render in lint mode (a missing `required`
//! value or a `fail` is logged, not an error), and each rendered YAML file
//! is valid YAML whose objects have conforming names, no deprecated API
//! version, selectors where needed and no resource policy inside a List.

use std::cell::RefCell;
use std::rc::Rc;

use super::{decode_documents, stat, Stat};
use crate::chart::objects::{Capabilities, KubeVersion};
use crate::error::{Error, Kind};
use crate::gofmt::slog::line as slog_line;
use crate::lint::support::{finding, Linter, Severity};
use crate::lint::{ChartFiles, LintOptions};
use crate::template::funcs::Ty;
use crate::template::{Env, FuncMap, Limits};
use crate::value::{Map, Value};

const DIR: &str = "templates/";

pub fn templates(linter: &mut Linter, files: &ChartFiles, values: &Map, opts: &LintOptions) {
    match stat(files, &opts.dirs_on_disk, DIR) {
        Stat::Missing => {
            linter.run(Severity::Warning, DIR, Err(Error::new(Kind::Lint, "directory does not exist")));
            return;
        }
        Stat::File => {
            linter.run(Severity::Error, DIR, Err(Error::new(Kind::Lint, "not a directory")));
            return;
        }
        Stat::Dir => {}
    }
    let mut chart = match crate::chart::load_files(files) {
        Ok(c) => c,
        Err(e) => {
            linter.run(Severity::Error, DIR, Err(e));
            return;
        }
    };
    let kube = opts.kube_version.as_deref().filter(|k| !k.is_empty()).and_then(|k| KubeVersion::parse(k).ok());
    let user = Value::map(values.clone()).deep_copy();
    // lint ignores import-values errors: a failing ProcessDependencies or
    // CoalesceValues ends the rule silently.
    if crate::chart::dependencies::process_dependencies(&mut chart, &user).is_err() {
        return;
    }
    let Ok(cvals) = crate::values::coalesce_values(&chart, &user) else { return };
    // ToRenderValuesWithSchemaValidation (release "test-release", not an
    // install: IsInstall false, revision 0).
    let vals = match crate::values::coalesce_values(&chart, &cvals) {
        Ok(v) => v,
        Err(e) => {
            linter.run(Severity::Error, DIR, Err(Error::new(Kind::Lint, e.message)));
            return;
        }
    };
    if !opts.skip_schema_validation {
        if let Err(e) = crate::chart::schema::validate_against_schema(&chart, &vals) {
            linter.run(Severity::Error, DIR, Err(Error::new(Kind::Lint, e.message)));
            return;
        }
    }
    let rendered = match render_lint_mode(&chart, vals, kube.clone(), opts, &mut linter.log) {
        Ok(r) => r,
        Err(e) => {
            linter.run(Severity::Error, DIR, Err(e));
            return;
        }
    };

    // chart.Templates in the loader's (folder walk) order.
    let mut names: Vec<&str> = chart.templates.iter().map(|t| t.name.as_str()).collect();
    names.sort_by(|a, b| a.split('/').cmp(b.split('/')));
    for file_name in names {
        let extension =
            validate_allowed_extension(file_name).map_err(|m| finding(m.message, Some(file_name.into()), None));
        linter.run(Severity::Error, file_name, extension);
        if !is_yaml_file_extension(file_name) {
            continue;
        }
        let content = rendered.get(&format!("{}/{file_name}", chart.name())).map(String::as_str).unwrap_or("");
        if content.trim().is_empty() {
            continue;
        }
        let top_indent =
            validate_top_indent_level(content).map_err(|m| finding(m.message, Some(file_name.into()), None));
        linter.run(Severity::Warning, file_name, top_indent);
        for doc in decode_documents_or_json(content) {
            let obj = match doc {
                Err(e) => {
                    // A document that does not parse stops the whole rule.
                    // Its line is in the rendered text, not the template:
                    // the finding points at the file only.
                    let line = None;
                    linter.run(
                        Severity::Error,
                        file_name,
                        Err(finding(format!("unable to parse YAML: {e}"), Some(file_name.into()), line)),
                    );
                    return;
                }
                Ok(None) => continue,
                Ok(Some(o)) => o,
            };
            // The object's findings lead to its template (the document's
            // line is in the rendered text, not the template).
            let in_file = |r: Result<(), Error>| r.map_err(|e| e.at(file_name, None, None));
            linter.run(
                Severity::Warning,
                file_name,
                in_file(super::names::validate_metadata_name(&obj.kind, &obj.name)),
            );
            linter.run(
                Severity::Warning,
                file_name,
                in_file(super::deprecations::validate_no_deprecations(&obj, kube.as_ref())),
            );
            linter.run(Severity::Error, file_name, in_file(validate_match_selector(&obj, content)));
            linter.run(Severity::Error, file_name, in_file(validate_list_annotations(&obj, content)));
        }
    }
}

/// Helm's engine with LintMode on: `required` and `fail` log (slog, to
/// stderr) and return "" instead of failing.
fn render_lint_mode(
    chart: &crate::chart::Chart,
    values: Value,
    kube: Option<KubeVersion>,
    opts: &LintOptions,
    log: &mut Vec<String>,
) -> Result<std::collections::BTreeMap<String, String>, Error> {
    // Frees the cycles the render's values made, after its locals (value::gc).
    let _gc = crate::value::gc::CollectOnDrop;
    let lines: Rc<RefCell<Vec<String>>> = Rc::default();
    let mut funcs: FuncMap = crate::helmfuncs::helm_func_map();
    let sink = lines.clone();
    funcs.add("required", &[Ty::String, Ty::Any], None, move |_, a| {
        let warn = a[0].as_str().unwrap_or_default().to_string();
        match &a[1] {
            Value::Nil => {
                sink.borrow_mut().push(slog_line("WARN", "missing required value", &[("message", &warn)]));
                Ok(Value::str(""))
            }
            Value::String(s) if s.is_empty() => {
                sink.borrow_mut().push(slog_line("WARN", "missing required values", &[("message", &warn)]));
                Ok(Value::str(""))
            }
            v => Ok(v.clone()),
        }
    });
    let sink = lines.clone();
    funcs.add("fail", &[Ty::String], None, move |_, a| {
        let msg = a[0].as_str().unwrap_or_default().to_string();
        sink.borrow_mut().push(slog_line("INFO", "funcMap fail", &[("message", &msg)]));
        Ok(Value::str(""))
    });

    let mut release = Map::new();
    release.insert("Name".into(), Value::str("test-release"));
    release.insert("Namespace".into(), Value::str(&opts.namespace));
    release.insert("IsUpgrade".into(), Value::Bool(false));
    release.insert("IsInstall".into(), Value::Bool(false));
    release.insert("Revision".into(), Value::int(0));
    release.insert("Service".into(), Value::str("Helm"));
    let mut top = Map::new();
    top.insert("Chart".into(), Value::map(chart.metadata.as_map()));
    top.insert("Capabilities".into(), Value::Object(Rc::new(Capabilities::new(kube, &[]))));
    top.insert("Release".into(), Value::map(release));
    top.insert("Values".into(), values);

    let mut env = Env::default();
    if let Some(m) = opts.max_memory {
        env.guard.max_memory = m;
    }
    let mut limits = Limits::default();
    if let Some(s) = opts.max_steps {
        limits.max_steps = s;
    }
    let render_opts = crate::engine::RenderOptions { funcs: &funcs, limits };
    let result = crate::engine::render(chart, &top, &mut env, &render_opts);
    log.extend(lines.borrow().iter().cloned());
    result.map_err(|e| {
        // Findings name files inside the chart folder.
        let file = e.file.as_ref().map(|f| f.split_once('/').map_or(f.clone(), |(_, f)| f.to_string()));
        finding(e.message, file, e.line)
    })
}

/// apimachinery's YAMLOrJSONDecoder: a stream whose first non-space byte
/// is `{` is read as a stream of JSON values (json.Decoder: one after the
/// other, errors without sigs' prefix).
fn decode_documents_or_json(content: &str) -> Vec<Result<Option<super::K8sYamlStruct>, Error>> {
    if !content.trim_start().starts_with('{') {
        return decode_documents(content);
    }
    let mut out = Vec::new();
    for (value, line) in json_values(content) {
        let decoded = match crate::yaml::parse_typed(value) {
            Err(e) => Err(finding(crate::yaml::sigs_unmarshal_error(&e), None, Some(line))),
            Ok(v) => super::decode_k8s_struct(&v).map_err(|e| {
                let prefix = "error unmarshaling JSON: while decoding JSON: ";
                let text = e.message.strip_prefix(prefix).map(str::to_string).unwrap_or(e.message);
                finding(text, None, Some(line))
            }),
        };
        let stop = decoded.is_err();
        out.push(decoded);
        if stop {
            break;
        }
    }
    out
}

/// The top-level values of a JSON stream (split where the brackets of a
/// value close, outside strings), with their 1-based first line.
fn json_values(s: &str) -> Vec<(&str, usize)> {
    let mut out = Vec::new();
    let (mut depth, mut start, mut in_str, mut esc) = (0usize, None, false, false);
    for (i, c) in s.char_indices() {
        if in_str {
            match (esc, c) {
                (true, _) => esc = false,
                (false, '\\') => esc = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_str = true;
                start.get_or_insert(i);
            }
            '{' | '[' => {
                depth += 1;
                start.get_or_insert(i);
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    if let Some(st) = start.take() {
                        out.push((&s[st..=i], s[..st].matches('\n').count() + 1));
                    }
                }
            }
            c if c.is_whitespace() => {}
            _ => {
                start.get_or_insert(i);
            }
        }
    }
    if let Some(st) = start {
        out.push((&s[st..], s[..st].matches('\n').count() + 1));
    }
    out
}

/// `validateTopIndentLevel`: the first non-blank line must not be indented.
fn validate_top_indent_level(content: &str) -> Result<(), Error> {
    for line in content.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with(' ') || line.starts_with('\t') {
            return Err(Error::new(
                Kind::Lint,
                format!(
                    "document starts with an illegal indent: {}, which may cause parsing problems",
                    crate::gofmt::strconv::quote(line)
                ),
            ));
        }
        return Ok(());
    }
    Ok(())
}

fn validate_allowed_extension(name: &str) -> Result<(), Error> {
    let e = crate::gofmt::path::ext(name);
    if matches!(e, ".yaml" | ".yml" | ".tpl" | ".txt") {
        return Ok(());
    }
    Err(Error::new(
        Kind::Lint,
        format!("file extension '{e}' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt"),
    ))
}

fn is_yaml_file_extension(name: &str) -> bool {
    matches!(crate::gofmt::path::ext(name).to_lowercase().as_str(), ".yaml" | ".yml")
}

/// `validateMatchSelector`: the workload kinds need a selector somewhere in
/// the file's text.
fn validate_match_selector(obj: &super::K8sYamlStruct, manifest: &str) -> Result<(), Error> {
    if matches!(obj.kind.as_str(), "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet")
        && !manifest.contains("matchLabels")
        && !manifest.contains("matchExpressions")
    {
        return Err(Error::new(
            Kind::Lint,
            format!(
                "a {} must contain matchLabels or matchExpressions, and {} does not",
                obj.kind,
                crate::gofmt::strconv::quote(&obj.name)
            ),
        ));
    }
    Ok(())
}

/// `validateListAnnotations`: the file's first document, read as a List,
/// must not carry helm.sh/resource-policy on an item.
fn validate_list_annotations(obj: &super::K8sYamlStruct, manifest: &str) -> Result<(), Error> {
    if obj.kind != "List" {
        return Ok(());
    }
    let doc = crate::yaml::parse_typed(manifest).map_err(|e| {
        Error::new(Kind::Lint, format!("unable to parse YAML: {}", crate::yaml::sigs_unmarshal_error(&e)))
    })?;
    let items = match doc.get("items").or_else(|| doc.get("Items")) {
        Some(Value::List(items, _)) => items.borrow().clone(),
        _ => Vec::new(),
    };
    for item in items {
        let ann = item.get("metadata").and_then(|m| m.get("annotations"));
        if let Some(Value::Map(a, _)) = ann {
            if a.borrow().contains_key("helm.sh/resource-policy") {
                return Err(Error::new(
                    Kind::Lint,
                    "annotation 'helm.sh/resource-policy' within List objects are ignored",
                ));
            }
        }
    }
    Ok(())
}
