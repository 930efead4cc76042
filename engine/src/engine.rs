//! Helm's pkg/engine: all templates of a chart and its subcharts parsed into
//! one template set, each non-partial template executed with its chart's
//! render values, errors reformatted exactly as Helm 4 does.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::chart::objects::Files;
use crate::chart::Chart;
use crate::error::{Error, Kind};
use crate::template::exec::{Exec, GoError, Limits, TemplateSet};
use crate::template::trace::{Seg, Tracer};
use crate::template::{Env, FuncMap};
use crate::value::{Map, MapType, Value};

struct Renderable {
    text: Rc<str>,
    vals: Value,
    base_path: String,
}

/// The `next` map of recAllTpls for one chart, and its templates.
fn rec_all_tpls(chart: &Chart, templates: &mut BTreeMap<String, Renderable>, parent_vals: &Map) -> Value {
    let mut chart_meta = chart.metadata.as_map();
    chart_meta.insert("IsRoot".into(), Value::Bool(chart.is_root));
    let files = Files { files: chart.files.iter().map(|f| (f.name.clone(), f.data.clone())).collect() };
    let subcharts = Value::empty_map();
    let mut next = Map::new();
    next.insert("Chart".into(), Value::map(chart_meta));
    next.insert("Files".into(), Value::Object(Rc::new(files)));
    next.insert("Release".into(), parent_vals.get("Release").cloned().unwrap_or(Value::Nil));
    next.insert("Capabilities".into(), parent_vals.get("Capabilities").cloned().unwrap_or(Value::Nil));
    next.insert("Subcharts".into(), subcharts.clone());
    let values = if chart.is_root {
        parent_vals.get("Values").cloned().unwrap_or_else(Value::empty_map)
    } else {
        // values.Table("Values.<name>"): the parent's table, shared.
        match parent_vals.get("Values") {
            Some(Value::Map(pv, _)) => match pv.borrow().get(chart.name()) {
                Some(v @ Value::Map(_, _)) => v.clone(),
                _ => Value::empty_map(),
            },
            _ => Value::empty_map(),
        }
    };
    // Helm's top-level data, `.Values` and `.Template` are common.Values
    // (its named map type); a subchart's `.Values` shares the parent's map.
    let values = match values {
        Value::Map(m, _) => Value::Map(m, MapType::VALUES),
        other => other,
    };
    next.insert("Values".into(), values);
    let next_v = Value::typed_map(next, MapType::VALUES);
    let next_map = match &next_v {
        Value::Map(m, _) => m.borrow().clone(),
        _ => Map::new(),
    };
    for dep in &chart.dependencies {
        let sub = rec_all_tpls(dep, templates, &next_map);
        if let Value::Map(sm, _) = &subcharts {
            sm.borrow_mut().insert(dep.name().to_string(), sub);
        }
    }
    for t in &chart.templates {
        if chart.is_library() && !crate::gofmt::path::base(&t.name).starts_with('_') {
            continue;
        }
        let name = format!("{}/{}", chart.full_path, t.name);
        templates.insert(
            name,
            Renderable {
                text: Rc::from(String::from_utf8_lossy(&t.data).as_ref()),
                vals: next_v.clone(),
                base_path: format!("{}/templates", chart.full_path),
            },
        );
    }
    // `.Subcharts.NAME` holds the same map as a plain map[string]interface{}.
    match next_v {
        Value::Map(m, _) => Value::Map(m, MapType::ANY),
        other => other,
    }
}

/// Helm's sortTemplates: deepest paths first, then reverse lexical order.
fn sort_templates(names: Vec<String>) -> Vec<String> {
    let mut keys = names;
    crate::gofmt::sort::sort_by(&mut keys, |a, b| {
        let (ca, cb) = (a.matches('/').count(), b.matches('/').count());
        cb.cmp(&ca).then_with(|| b.cmp(a))
    });
    keys
}

/// Options of one render.
pub struct RenderOptions<'a> {
    pub funcs: &'a FuncMap,
    pub limits: Limits,
}

/// `engine.Render(chart, values)`: template path → rendered text (NOTES
/// included, partials excluded).
pub fn render(
    chart: &Chart,
    top: &Map,
    env: &mut Env,
    opts: &RenderOptions<'_>,
) -> Result<BTreeMap<String, String>, Error> {
    render_traced(chart, top, env, opts, false).map(|(files, _)| files)
}

/// The trace of a render: the tracer and each rendered file's segments.
pub(crate) struct EngineTrace {
    pub tracer: Box<Tracer>,
    pub files: BTreeMap<String, Vec<Seg>>,
}

/// [`render`], with a trace when `trace` is set.
pub(crate) fn render_traced(
    chart: &Chart,
    top: &Map,
    env: &mut Env,
    opts: &RenderOptions<'_>,
    trace: bool,
) -> Result<(BTreeMap<String, String>, Option<EngineTrace>), Error> {
    let mut tpls = BTreeMap::new();
    rec_all_tpls(chart, &mut tpls, top);
    let keys = sort_templates(tpls.keys().cloned().collect());
    crate::template::cache::begin_render(opts.funcs);
    let mut set = TemplateSet::new();
    for name in &keys {
        let r = &tpls[name];
        if let Err(e) = set.add(name, &r.text, opts.funcs) {
            return Err(cleanup_parse_error(name, &e));
        }
    }
    let mut exec = Exec::new(set, opts.funcs, env);
    exec.limits = opts.limits.clone();
    let mut seg_files = BTreeMap::new();
    if trace {
        let mut tr = Box::new(Tracer::new());
        tr.add_trees(exec.set.trees());
        exec.trace = Some(tr);
    }
    let mut rendered = BTreeMap::new();
    for name in &keys {
        let base = crate::gofmt::path::base(name);
        if base.starts_with('_') {
            continue;
        }
        let r = &tpls[name];
        if let Value::Map(m, _) = &r.vals {
            let mut t = Map::new();
            t.insert("Name".into(), Value::str(name));
            t.insert("BasePath".into(), Value::str(&r.base_path));
            m.borrow_mut().insert("Template".into(), Value::typed_map(t, MapType::VALUES));
        }
        if let Some(tr) = exec.trace.as_deref_mut() {
            tr.begin();
        }
        let result = exec.execute(name, &r.vals);
        if let Some(tr) = exec.trace.as_deref_mut() {
            if let Ok(out) = &result {
                tr.remove_no_value(out);
            }
            seg_files.insert(name.clone(), tr.end_file());
        }
        match result {
            Ok(out) => {
                rendered.insert(name.clone(), crate::template::without_no_value(out));
            }
            Err(f) => {
                let full = f.error.text();
                let (kind, message) = match f.limit {
                    Some(_) => (Kind::Limit, full.clone()),
                    None => (Kind::Exec, reformat_exec_error(name, &f.error)),
                };
                // Frames count in Go's text; Helm's traceable rewrite
                // (or the `fail` text alone) has other ones.
                let frames = if message == full { f.frames } else { Vec::new() };
                let mut e = Error::new(kind, message);
                if let Some(p) = f.pos {
                    e = e.at(p.file, Some(p.line), Some(p.col));
                }
                e.calls = f.calls;
                e.calls.reverse();
                e.frames = frames;
                e.limit = f.limit;
                return Err(e);
            }
        }
    }
    let trace = exec.trace.take().map(|tracer| EngineTrace { tracer, files: seg_files });
    Ok((rendered, trace))
}

/// Helm's cleanupParseError.
fn cleanup_parse_error(filename: &str, e: &crate::template::ParseError) -> Error {
    let text = e.to_string();
    let tokens: Vec<&str> = text.split(": ").collect();
    let message = if tokens.len() == 1 {
        format!("parse error in ({filename}): {text}")
    } else {
        format!("parse error at ({}): {}", tokens[1], tokens[tokens.len() - 1])
    };
    // An unclosed block is marked where it opens (the message keeps Go's
    // end-of-file line).
    let (line, col) = e.opened_at.unwrap_or((e.line, e.col));
    Error::new(Kind::Parse, message).at(e.parse_name.clone(), Some(line), Some(col))
}

#[derive(PartialEq)]
struct Traceable {
    location: String,
    message: String,
    executed_function: String,
}

impl Traceable {
    fn render(&self) -> String {
        let mut s = String::new();
        if !self.location.is_empty() {
            s.push_str(&self.location);
            s.push_str("\n  ");
        }
        if !self.executed_function.is_empty() {
            s.push_str(&self.executed_function);
            s.push_str("\n    ");
        }
        if !self.message.is_empty() {
            s.push_str(&self.message);
            s.push('\n');
        }
        s
    }
}

fn cut_template(msg: &str) -> &str {
    match msg.find(" template:") {
        Some(i) => &msg[..i],
        None => msg,
    }
}

fn parse_exec_error_string(s: &str) -> Option<Traceable> {
    let remainder = s.strip_prefix("template: ")?;
    if remainder.starts_with("no template ") {
        return Some(Traceable { location: String::new(), message: s.to_string(), executed_function: String::new() });
    }
    // "NAME: executing \"FN\" at <LOC>: MSG"
    if let Some((template_name, after)) = remainder.split_once(": executing ") {
        if let Some(after) = after.strip_prefix('"') {
            if let Some(end) = after.find('"') {
                let function_name = &after[..end];
                let after_func = &after[end + 1..];
                if let Some(after_at) = after_func.strip_prefix(" at <") {
                    if let Some((loc, msg)) = after_at.split_once(">: ") {
                        return Some(Traceable {
                            location: template_name.to_string(),
                            message: cut_template(msg).to_string(),
                            executed_function: format!("executing \"{function_name}\" at <{loc}>:"),
                        });
                    }
                }
            }
        }
        return None.or_else(|| simple(remainder));
    }
    simple(remainder)
}

fn simple(remainder: &str) -> Option<Traceable> {
    let sep = remainder.rfind(": ")?;
    Some(Traceable {
        location: remainder[..sep].to_string(),
        message: cut_template(&remainder[sep + 2..]).to_string(),
        executed_function: String::new(),
    })
}

/// Helm 4's reformatExecErrorMsg over Go's error chain.
pub(crate) fn reformat_exec_error(filename: &str, err: &GoError) -> String {
    let text = &err.text();
    if !err.is_exec {
        return text.clone();
    }
    let tokens: Vec<&str> = text.splitn(3, ": ").collect();
    if tokens.len() != 3 {
        return format!("execution error in ({filename}): {text}");
    }
    let location = tokens[1];
    if let Some(start) = tokens[2].find("HELM_ERR_START") {
        let rest = &tokens[2][start + "HELM_ERR_START".len()..];
        if let Some(end) = rest.rfind("HELM_ERR_END") {
            return format!("execution error at ({location}): {}", &rest[..end]);
        }
    }
    let mut locs: Vec<Traceable> = Vec::new();
    for link in err.chain() {
        match parse_exec_error_string(link.as_str()) {
            Some(t) => {
                if locs.last() != Some(&t) {
                    locs.push(t);
                }
            }
            None => return text.clone(),
        }
    }
    let s: String = locs.iter().map(Traceable::render).collect();
    s.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_order_like_helm() {
        let v = sort_templates(vec!["a/templates/x".into(), "a/charts/b/templates/y".into(), "a/templates/z".into()]);
        assert_eq!(v, vec!["a/charts/b/templates/y", "a/templates/z", "a/templates/x"]);
    }
}
