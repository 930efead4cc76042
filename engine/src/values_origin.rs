//! Where each value came from (issue 15): for every leaf of the values the
//! templates see, the source that set it — the `--set` family argument, a
//! `-f` file and line, the chart's or a subchart's `values.yaml` and line, a
//! parent's global, `import-values` — and the sources it overrode.
//!
//! Worked out after the merge, without touching it: each source is parsed
//! on its own and the leaf is given to the source of highest precedence that
//! holds the same value at that path (Helm's order: `--set-literal`,
//! `--set-file`, `--set-string`, `--set`, `--set-json`, last argument first;
//! then `-f` files, last first; then the chart's values.yaml over its
//! subcharts'; parents' globals over a subchart's own).

use std::collections::HashMap;

use crate::api::{RenderError, RenderRequest};
use crate::chart::Chart;
use crate::value::Value;

/// The origin of one leaf.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueOrigin {
    /// `values.yaml:12`, `charts/redis/values.yaml:40`, `-f prod.yaml:7`,
    /// `--set image.tag=1.2`, `global from values.yaml:3`,
    /// `import-values from charts/sub`.
    pub origin: String,
    /// Lower-precedence sources that set the same path to another value.
    pub overrode: Vec<String>,
}

/// Leaves of a value: scalars and empty maps/lists, by path
/// (`a.b`, `list[0].x`).
fn flatten(v: &Value, prefix: &str, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Map(m, _) if !m.borrow().is_empty() => {
            for (k, c) in m.borrow().iter() {
                let p = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                flatten(c, &p, out);
            }
        }
        Value::List(l, _) if !l.borrow().is_empty() => {
            for (i, c) in l.borrow().iter().enumerate() {
                flatten(c, &format!("{prefix}[{i}]"), out);
            }
        }
        _ if !prefix.is_empty() => out.push((prefix.to_string(), v.clone())),
        _ => {}
    }
}

/// The same leaf value (a number from `--set` and from YAML may differ in
/// Go type but not in what the templates print).
fn same(a: &Value, b: &Value) -> bool {
    let kind = |v: &Value| match v {
        Value::String(_) => 0,
        Value::Bool(_) => 1,
        Value::Int(..) | Value::Uint(_) | Value::Float(_) => 2,
        Value::Nil => 3,
        Value::Map(..) => 4,
        Value::List(..) => 5,
        _ => 6,
    };
    kind(a) == kind(b) && a.to_go_string() == b.to_go_string()
}

/// Path → 1-based line of its key (or list item) in a YAML text.
pub fn yaml_lines(text: &str) -> HashMap<String, usize> {
    use crate::yaml::events::{EventKind, Parser};
    enum Frame {
        Map { key: Option<String>, line: usize },
        Seq { index: usize },
    }
    let mut out = HashMap::new();
    let mut stack: Vec<(String, Frame)> = Vec::new();
    let mut p = Parser::new(text);
    // The path of the value about to come, and its line.
    fn next_path(stack: &[(String, Frame)]) -> Option<(String, usize)> {
        let (base, f) = stack.last()?;
        match f {
            Frame::Map { key: Some(k), line } => {
                Some((if base.is_empty() { k.clone() } else { format!("{base}.{k}") }, *line))
            }
            Frame::Map { key: None, .. } => None,
            Frame::Seq { index } => Some((format!("{base}[{index}]"), 0)),
        }
    }
    fn consumed(stack: &mut [(String, Frame)]) {
        match stack.last_mut() {
            Some((_, Frame::Map { key, .. })) => *key = None,
            Some((_, Frame::Seq { index })) => *index += 1,
            None => {}
        }
    }
    for _ in 0..10_000_000 {
        let ev = match p.next() {
            Ok(e) => e,
            Err(_) => break,
        };
        let line = ev.line + 1;
        match ev.kind {
            EventKind::StreamEnd => break,
            EventKind::DocumentEnd => break,
            EventKind::Scalar { value, .. } => {
                if let Some((_, Frame::Map { key: k @ None, line: l })) = stack.last_mut() {
                    *k = Some(value);
                    *l = line;
                    continue;
                }
                if let Some((path, l)) = next_path(&stack) {
                    out.insert(path, if l == 0 { line } else { l });
                }
                consumed(&mut stack);
            }
            EventKind::Alias { .. } => {
                if let Some((_, Frame::Map { key: None, .. })) = stack.last() {
                    // An alias as a key: not a values path.
                    if let Some((_, Frame::Map { key, line: l })) = stack.last_mut() {
                        *key = Some("*".into());
                        *l = line;
                    }
                    continue;
                }
                if let Some((path, l)) = next_path(&stack) {
                    out.insert(path, if l == 0 { line } else { l });
                }
                consumed(&mut stack);
            }
            EventKind::MappingStart { .. } | EventKind::SequenceStart { .. } => {
                let is_map = matches!(ev.kind, EventKind::MappingStart { .. });
                let base = match next_path(&stack) {
                    Some((path, l)) => {
                        out.insert(path.clone(), if l == 0 { line } else { l });
                        path
                    }
                    None => String::new(),
                };
                stack.push((base, if is_map { Frame::Map { key: None, line } } else { Frame::Seq { index: 0 } }));
            }
            EventKind::MappingEnd | EventKind::SequenceEnd => {
                stack.pop();
                consumed(&mut stack);
            }
            _ => {}
        }
    }
    out
}

/// One source of values: its leaves by path and how to name a leaf's line.
struct Source {
    /// `--set a=1`, `-f prod.yaml`, `values.yaml`, `charts/redis/values.yaml`.
    name: String,
    /// Whether `:LINE` follows the name.
    lines: Option<HashMap<String, usize>>,
    /// Path prefix where this source's paths sit in the merged values.
    prefix: String,
    leaves: HashMap<String, Value>,
}

impl Source {
    fn new(name: String, v: &Value, text: Option<&str>, prefix: String) -> Source {
        let mut l = Vec::new();
        flatten(v, "", &mut l);
        Source { name, lines: text.map(yaml_lines), prefix, leaves: l.into_iter().collect() }
    }

    /// The value this source gives the merged path, if any.
    fn get(&self, path: &str) -> Option<(&Value, String)> {
        let rel = if self.prefix.is_empty() { path } else { path.strip_prefix(&self.prefix)? };
        let v = self.leaves.get(rel)?;
        let label = match self.lines.as_ref().and_then(|m| m.get(rel)) {
            Some(l) => format!("{}:{l}", self.name),
            None => self.name.clone(),
        };
        Some((v, label))
    }
}

/// A chart of the tree: its key path in the merged values and its own
/// values.yaml.
struct ChartValues {
    /// `` for the top chart, `redis.` for a subchart.
    prefix: String,
    source: Source,
    /// import-values of this chart's dependencies: (child path in the
    /// dependency's values, parent path here, dependency's file).
    imports: Vec<(String, String, String)>,
}

fn chart_sources(
    chart: &Chart,
    files: &std::collections::BTreeMap<String, Vec<u8>>,
    prefix: &str,
    rel: &str,
    out: &mut Vec<ChartValues>,
) {
    let file = format!("{rel}values.yaml");
    let text = files.get(&file).map(|b| String::from_utf8_lossy(b).into_owned());
    let mut imports = Vec::new();
    for d in &chart.metadata.dependencies {
        let dep_file = format!("{rel}charts/{}", d.name);
        for iv in &d.import_values {
            match iv {
                Value::String(s) => imports.push((format!("exports.{s}"), String::new(), dep_file.clone())),
                Value::Map(m, _) => {
                    let g = |k: &str| m.borrow().get(k).map(|x| x.to_go_string()).unwrap_or_default();
                    imports.push((g("child"), g("parent"), dep_file.clone()));
                }
                _ => {}
            }
        }
    }
    out.push(ChartValues {
        prefix: prefix.to_string(),
        source: Source::new(file, &chart.values, text.as_deref(), prefix.to_string()),
        imports,
    });
    for sub in &chart.dependencies {
        let key = chart
            .metadata
            .dependencies
            .iter()
            .find(|d| d.name == sub.name() && !d.alias.is_empty())
            .map(|d| d.alias.clone())
            .unwrap_or_else(|| sub.name().to_string());
        let dir = sub.full_path.rsplit_once("/charts/").map(|(_, d)| d.to_string()).unwrap_or(key.clone());
        chart_sources(sub, files, &format!("{prefix}{key}."), &format!("{rel}charts/{dir}/"), out);
    }
}

/// The user's sources, highest precedence first.
fn user_sources(req: &RenderRequest) -> Vec<Source> {
    let mut v = Vec::new();
    let one = |kind: &str, arg: &String| -> Option<Source> {
        let mut r = RenderRequest { set_file_data: req.set_file_data.clone(), ..RenderRequest::default() };
        match kind {
            "--set-literal" => r.set_literal = vec![arg.clone()],
            "--set-file" => r.set_file = vec![arg.clone()],
            "--set-string" => r.set_string = vec![arg.clone()],
            "--set" => r.set = vec![arg.clone()],
            _ => r.set_json = vec![arg.clone()],
        }
        let m = crate::api::user_values(&r).ok()?;
        Some(Source::new(format!("{kind} {arg}"), &Value::map(m), None, String::new()))
    };
    for (kind, args) in [
        ("--set-literal", &req.set_literal),
        ("--set-file", &req.set_file),
        ("--set-string", &req.set_string),
        ("--set", &req.set),
        ("--set-json", &req.set_json),
    ] {
        for a in args.iter().rev() {
            v.extend(one(kind, a));
        }
    }
    for (name, bytes) in req.values_files.iter().rev() {
        let text = String::from_utf8_lossy(bytes);
        if let Ok(m) = crate::chart::load_values(&text) {
            v.push(Source::new(format!("-f {name}"), &m, Some(&text), String::new()));
        }
    }
    v
}

struct Resolver<'a> {
    user: Vec<Source>,
    charts: Vec<ChartValues>,
    merged: HashMap<String, Value>,
    _req: &'a RenderRequest,
}

impl Resolver<'_> {
    /// Sources that hold `path`, highest precedence first.
    fn candidates(&self, path: &str, value: &Value) -> Vec<(String, bool)> {
        let mut c: Vec<(String, bool)> = Vec::new();
        for s in &self.user {
            if let Some((v, label)) = s.get(path) {
                c.push((label, same(v, value)));
            }
        }
        // Charts whose key path holds `path`, top chart first (a parent's
        // values.yaml overrides its subchart's).
        for cv in &self.charts {
            let Some(rel) = path.strip_prefix(&cv.prefix) else { continue };
            // A subchart's globals come from its parent first.
            if !cv.prefix.is_empty() {
                if let Some(g) = rel.strip_prefix("global.").or_else(|| rel.strip_prefix("global[")) {
                    let gpath = if rel.starts_with("global[") { format!("global[{g}") } else { format!("global.{g}") };
                    let parent = self
                        .charts
                        .iter()
                        .filter(|p| cv.prefix.starts_with(&p.prefix) && p.prefix.len() < cv.prefix.len())
                        .max_by_key(|p| p.prefix.len());
                    if let Some(p) = parent {
                        let ppath = format!("{}{gpath}", p.prefix);
                        for (label, ok) in self.candidates(&ppath, value) {
                            // A global passed down several levels is named once.
                            let label =
                                if label.starts_with("global from ") { label } else { format!("global from {label}") };
                            c.push((label, ok));
                        }
                    }
                }
            }
            if let Some((v, label)) = cv.source.get(path) {
                c.push((label, same(v, value)));
            }
        }
        // import-values: a dependency's value copied to this chart.
        for cv in &self.charts {
            let Some(rel) = path.strip_prefix(&cv.prefix) else { continue };
            for (child, parent, dep) in &cv.imports {
                let rest = if parent.is_empty() || parent == "." {
                    Some(rel)
                } else {
                    rel.strip_prefix(parent.as_str()).and_then(|r| r.strip_prefix('.'))
                };
                let Some(rest) = rest else { continue };
                let dep_key = dep.rsplit('/').next().unwrap_or(dep);
                let child_path = format!("{}{dep_key}.{child}.{rest}", cv.prefix);
                let from_child = self.charts.iter().find_map(|d| d.source.get(&child_path));
                if let Some((v, _)) = from_child {
                    c.push((format!("import-values from {dep}"), same(v, value)));
                }
            }
        }
        c
    }

    /// An empty map no source wrote empty: its keys were nulls that
    /// coalescing deleted, or Helm made it (a subchart's `global`). Named
    /// after the source that wrote the key.
    fn emptied(&self, path: &str, value: &Value) -> Option<ValueOrigin> {
        if !matches!(value, Value::Map(..)) {
            return None;
        }
        let named = |s: &Source| -> Option<String> {
            let rel = if s.prefix.is_empty() { path } else { path.strip_prefix(&s.prefix)? };
            let line = s.lines.as_ref()?.get(rel)?;
            Some(format!("{}:{line}", s.name))
        };
        let origin =
            self.user.iter().find_map(named).or_else(|| self.charts.iter().find_map(|c| named(&c.source))).or_else(
                || (path == "global" || path.ends_with(".global")).then(|| "global (made by Helm)".to_string()),
            )?;
        Some(ValueOrigin { origin, overrode: Vec::new() })
    }

    fn origin(&self, path: &str) -> Option<ValueOrigin> {
        let value = self.merged.get(path)?;
        let c = self.candidates(path, value);
        let Some(i) = c.iter().position(|(_, ok)| *ok) else { return self.emptied(path, value) };
        let overrode = c[i + 1..].iter().filter(|(_, ok)| !ok).map(|(l, _)| l.clone()).collect();
        Some(ValueOrigin { origin: c[i].0.clone(), overrode })
    }
}

/// Each leaf's path and origin (None when no source explains it).
pub type LeafOrigins = Vec<(String, Option<ValueOrigin>)>;

/// The merged values the templates see, and the origin of each leaf by
/// path. `chart` is the chart as loaded (before dependency processing).
pub fn values_origins(chart: &Chart, req: &RenderRequest) -> Result<(Value, LeafOrigins), RenderError> {
    let merged = crate::api::template_values(chart, req)?;
    let mut leaves = Vec::new();
    flatten(&merged, "", &mut leaves);
    let mut charts = Vec::new();
    let files = if req.files.is_empty() { &Default::default() } else { &req.files };
    chart_sources(chart, files, "", "", &mut charts);
    let r = Resolver { user: user_sources(req), charts, merged: leaves.iter().cloned().collect(), _req: req };
    let origins = leaves.iter().map(|(p, _)| (p.clone(), r.origin(p))).collect();
    Ok((merged, origins))
}

/// The merged values as YAML, each leaf followed by ` # <origin>`.
pub fn annotated_values(chart: &Chart, req: &RenderRequest) -> Result<String, RenderError> {
    let (merged, origins) = values_origins(chart, req)?;
    let by_path: HashMap<String, String> = origins.into_iter().filter_map(|(p, o)| o.map(|o| (p, o.origin))).collect();
    let mut out = String::new();
    write_value(&merged, "", 0, &by_path, &mut out);
    Ok(out)
}

/// A scalar (or empty container) as go-yaml writes it alone: its first
/// line and the rest (block scalars), without the trailing newline.
fn scalar_text(v: &Value) -> String {
    crate::yaml::marshal(v).unwrap_or_default().trim_end_matches('\n').to_string()
}

fn key_text(k: &str) -> String {
    scalar_text(&Value::str(k))
}

fn comment(path: &str, origins: &HashMap<String, String>) -> String {
    match origins.get(path) {
        Some(o) => format!(" # {o}"),
        None => String::new(),
    }
}

/// Writes a leaf after `key: ` / `- `: block scalars continue on indented
/// lines.
fn write_leaf(v: &Value, indent: usize, c: &str, out: &mut String) {
    let text = scalar_text(v);
    let mut lines = text.split('\n');
    let first = lines.next().unwrap_or("");
    let rest: Vec<&str> = lines.collect();
    // A block scalar takes the comment on its header; a plain or quoted
    // scalar folded over several lines, after its last line.
    let block = first.starts_with('|') || first.starts_with('>');
    out.push_str(first);
    if block || rest.is_empty() {
        out.push_str(c);
    }
    out.push('\n');
    let common =
        rest.iter().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
    let n = rest.len();
    for (i, l) in rest.into_iter().enumerate() {
        if l.trim().is_empty() {
            out.push('\n');
            continue;
        }
        out.push_str(&" ".repeat(indent + 2));
        out.push_str(&l[common..]);
        if !block && i + 1 == n {
            out.push_str(c);
        }
        out.push('\n');
    }
}

fn is_leaf(v: &Value) -> bool {
    match v {
        Value::Map(m, _) => m.borrow().is_empty(),
        Value::List(l, _) => l.borrow().is_empty(),
        _ => true,
    }
}

fn write_value(v: &Value, path: &str, indent: usize, origins: &HashMap<String, String>, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Map(m, _) if !m.borrow().is_empty() => {
            let m = m.borrow();
            let mut keys: Vec<&String> = m.keys().collect();
            crate::yaml::sorter::sort_keys(&mut keys, |k| k.as_str());
            for k in keys {
                let c = &m[k];
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                out.push_str(&pad);
                out.push_str(&key_text(k));
                out.push(':');
                if is_leaf(c) {
                    out.push(' ');
                    write_leaf(c, indent, &comment(&p, origins), out);
                } else {
                    out.push('\n');
                    let child_indent = if matches!(c, Value::List(..)) { indent } else { indent + 2 };
                    write_value(c, &p, child_indent, origins, out);
                }
            }
        }
        Value::List(l, _) if !l.borrow().is_empty() => {
            for (i, c) in l.borrow().iter().enumerate() {
                let p = format!("{path}[{i}]");
                out.push_str(&pad);
                out.push_str("- ");
                if is_leaf(c) {
                    write_leaf(c, indent + 2, &comment(&p, origins), out);
                } else {
                    // The first line of the item goes after `- `.
                    let mut inner = String::new();
                    write_value(c, &p, indent + 2, origins, &mut inner);
                    out.push_str(inner.get(indent + 2..).unwrap_or(&inner));
                }
            }
        }
        other => write_leaf(other, indent, &comment(path, origins), out),
    }
}
