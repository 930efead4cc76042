//! Helm's chartutil.ProcessDependencies: aliases, conditions, tags and
//! import-values (pkg/chart/v2/util/dependencies.go), plus the CLI's
//! missing-dependency check.

use crate::error::{Error, Kind};
use crate::gofmt::slog;

use super::Chart;
use std::collections::HashSet;
use std::rc::Rc;

use crate::value::{Map, MapRef, Value};
use crate::values;

/// `action.CheckDependencies`: every Chart.yaml dependency must be present
/// under charts/.
pub fn check_dependencies(ch: &Chart) -> Result<(), Error> {
    let missing = missing_in_charts(ch);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::new(
            Kind::Chart,
            format!("found in Chart.yaml, but missing in charts/ directory: {}", missing.join(", ")),
        ))
    }
}

/// The Chart.yaml dependencies with no chart of that name under charts/
/// (CheckDependencies and lint's dependencies rule).
pub(crate) fn missing_in_charts(ch: &Chart) -> Vec<&str> {
    ch.metadata
        .dependencies
        .iter()
        .filter(|r| !ch.dependencies.iter().any(|d| d.name() == r.name))
        .map(|r| r.name.as_str())
        .collect()
}

fn compatible(constraint: &str, version: &str) -> bool {
    crate::sprig::semver_constraint_check(constraint, version)
}

/// `ProcessDependencies(c, v)`.
pub fn process_dependencies(c: &mut Chart, user: &Value) -> Result<(), Error> {
    process_enabled(c, user, "")?;
    process_import_values_rec(c);
    // Helm computes ChartFullPath from the (aliased) names when it renders:
    // a subchart used twice under aliases gets one path per alias
    // (`parent/charts/alpha/templates/…`), which is also the order its
    // documents come in.
    let fp = c.full_path.clone();
    for d in &mut c.dependencies {
        d.set_paths(Some(&fp));
    }
    Ok(())
}

/// `Values.Table(path)`.
fn table(v: &Value, path: &str) -> Option<MapRef> {
    table_lookup(v, path).ok()
}

/// `Values.Table(path)` with its error's text: the first key on the path
/// that is missing or not a table (`ErrNoTable`: `"x" is not a table`).
fn table_lookup(v: &Value, path: &str) -> Result<MapRef, Error> {
    let not_a_table = |k: &str| format!("{} is not a table", crate::gofmt::strconv::quote(k));
    let mut cur = match v {
        Value::Map(m, _) => m.clone(),
        _ => return Err(Error::go(not_a_table(path.split('.').next().unwrap_or("")))),
    };
    for n in path.split('.') {
        let next = match cur.borrow().get(n) {
            Some(Value::Map(m, _)) => m.clone(),
            _ => return Err(Error::go(not_a_table(n))),
        };
        cur = next;
    }
    Ok(cur)
}

/// `Values.PathValue(path)`: a non-table value at a dotted path.
fn path_value(v: &Value, path: &str) -> Option<Value> {
    if path.is_empty() {
        return None;
    }
    let (parent, key) = match path.rsplit_once('.') {
        Some((p, k)) => (Some(p), k),
        None => (None, path),
    };
    let t = match parent {
        None => match v {
            Value::Map(m, _) => m.clone(),
            _ => return None,
        },
        Some(p) => table(v, p)?,
    };
    let x = t.borrow().get(key).cloned()?;
    if matches!(x, Value::Map(_, _)) {
        None
    } else {
        Some(x)
    }
}

fn process_enabled(c: &mut Chart, v: &Value, path: &str) -> Result<(), Error> {
    if c.metadata.dependencies.is_empty() {
        return Ok(());
    }
    // Charts present but not named in Chart.yaml stay as they are.
    let mut chart_deps: Vec<Chart> = c
        .dependencies
        .iter()
        .filter(|existing| {
            !c.metadata
                .dependencies
                .iter()
                .any(|req| existing.name() == req.name && compatible(&req.version, &existing.metadata.version))
        })
        .cloned()
        .collect();
    for req in c.metadata.dependencies.iter_mut() {
        if let Some(found) =
            c.dependencies.iter().find(|d| d.name() == req.name && compatible(&req.version, &d.metadata.version))
        {
            let mut out = found.clone();
            if !req.alias.is_empty() {
                out.metadata.name = req.alias.clone();
                // Template paths follow the alias, its own subcharts' too:
                // `parent/charts/<alias>/charts/<sub>/...` (as Helm renders).
                out.set_paths(Some(&c.full_path));
            }
            chart_deps.push(out);
        }
        if !req.alias.is_empty() {
            req.name = req.alias.clone();
        }
    }
    c.dependencies = chart_deps;
    for r in c.metadata.dependencies.iter_mut() {
        r.enabled = true;
    }
    let cvals = values::coalesce_values(c, v)?;
    // Tags.
    if let Some(tags) = table(&cvals, "tags") {
        for r in c.metadata.dependencies.iter_mut() {
            let (mut has_true, mut has_false) = (false, false);
            for k in &r.tags {
                match tags.borrow().get(k) {
                    Some(Value::Bool(true)) => has_true = true,
                    Some(Value::Bool(false)) => has_false = true,
                    Some(_) => slog::log("WARN", "returned non-bool value", &[("tag", k), ("chart", &r.name)]),
                    None => {}
                }
            }
            r.enabled = has_true || !has_false;
        }
    }
    // Conditions: the first condition path that holds a bool decides.
    for r in c.metadata.dependencies.iter_mut() {
        for cond in r.condition.trim().split(',') {
            if cond.is_empty() {
                continue;
            }
            match path_value(&cvals, &format!("{path}{cond}")) {
                Some(Value::Bool(b)) => {
                    r.enabled = b;
                    break;
                }
                Some(_) => slog::log("WARN", "returned non-bool value", &[("path", cond), ("chart", &r.name)]),
                None => {}
            }
        }
    }
    let removed: Vec<String> = c.metadata.dependencies.iter().filter(|r| !r.enabled).map(|r| r.name.clone()).collect();
    c.dependencies.retain(|d| !removed.contains(&d.metadata.name));
    c.metadata.dependencies.retain(|r| !removed.contains(&r.name));
    for t in c.dependencies.iter_mut() {
        let subpath = format!("{path}{}.", t.metadata.name);
        process_enabled(t, &cvals, &subpath)?;
    }
    Ok(())
}

fn path_to_map(path: &str, data: MapRef) -> MapRef {
    if path == "." {
        return data;
    }
    let mut cur = Value::map_ref(data);
    for p in path.split('.').rev() {
        let mut m = Map::new();
        m.insert(p.to_string(), cur);
        cur = Value::map(m);
    }
    match cur {
        Value::Map(m, _) => m,
        _ => crate::value::new_map(Map::new()),
    }
}

fn process_import_values(c: &mut Chart) {
    if c.metadata.dependencies.is_empty() {
        return;
    }
    // MergeValues(c, nil): chart values with subchart defaults, nulls kept.
    let Ok(mut cvals) = values::merge_values(c, &Value::empty_map()) else { return };
    // Go's MergeTables stores the child's table itself under the parent key,
    // so one child table imported under several parents is one map: a later
    // import merged into one of them shows in all, and in the child's own
    // values (Helm's subpop testdata: imported-chartA gains subchartb's
    // SCBdata keys). The imports share tables the same way, unless that would
    // make a table hold itself (Go then recurses until its stack overflows);
    // such a chart gets copies instead.
    let mut b = import_tables(&c.metadata.dependencies, &cvals, true);
    let mut clear = HashSet::new();
    if holds_itself(&cvals, &mut Vec::new(), &mut clear)
        || holds_itself(&Value::map_ref(b.clone()), &mut Vec::new(), &mut clear)
    {
        cvals = match values::merge_values(c, &Value::empty_map()) {
            Ok(v) => v,
            Err(_) => return,
        };
        b = import_tables(&c.metadata.dependencies, &cvals, false);
    }
    for r in c.metadata.dependencies.iter_mut() {
        let mut outiv = Vec::new();
        for riv in &r.import_values {
            let (child, parent) = match riv {
                Value::Map(iv, _) => {
                    let field =
                        |k: &str| iv.borrow().get(k).map(|x| x.to_go_string()).unwrap_or_else(|| "<nil>".into());
                    (field("child"), field("parent"))
                }
                Value::String(iv) => (format!("exports.{iv}"), ".".to_string()),
                _ => continue,
            };
            let mut m = Map::new();
            m.insert("child".into(), Value::str(&child));
            m.insert("parent".into(), Value::str(&parent));
            outiv.push(Value::map(m));
        }
        r.import_values = outiv;
    }
    let merged = match cvals.deep_copy() {
        Value::Map(m, _) => m,
        _ => crate::value::new_map(Map::new()),
    };
    values::merge_tables(&merged, &b);
    c.values = Value::map_ref(merged);
}

/// The imported values (`b` in processImportValues): each dependency's
/// import-values tables, merged in order. With `share` the child tables go
/// in as themselves (Go's maps), otherwise as copies.
fn import_tables(deps: &[super::Dependency], cvals: &Value, share: bool) -> MapRef {
    let b: MapRef = crate::value::new_map(Map::new());
    let take = |m: MapRef| if share { m } else { crate::value::new_map(m.borrow().clone()) };
    for r in deps {
        for riv in &r.import_values {
            match riv {
                Value::Map(iv, _) => {
                    let child = iv.borrow().get("child").map(|x| x.to_go_string()).unwrap_or_else(|| "<nil>".into());
                    let parent = iv.borrow().get("parent").map(|x| x.to_go_string()).unwrap_or_else(|| "<nil>".into());
                    match table_lookup(cvals, &format!("{}.{child}", r.name)) {
                        Ok(vv) => values::merge_tables(&b, &path_to_map(&parent, take(vv))),
                        // Logged once: the copying second pass meets the same tables.
                        Err(e) if share => slog::log(
                            "WARN",
                            "ImportValues missing table from chart",
                            &[("chart", &r.name), ("error", &e.message)],
                        ),
                        Err(_) => {}
                    }
                }
                Value::String(iv) => match table_lookup(cvals, &format!("{}.exports.{iv}", r.name)) {
                    Ok(vm) => values::merge_tables(&b, &take(vm)),
                    Err(e) if share => slog::log("WARN", "ImportValues missing table", &[("error", &e.message)]),
                    Err(_) => {}
                },
                _ => {}
            }
        }
    }
    b
}

/// Whether a table or list holds itself, directly or further down. `clear`
/// remembers the tables already known not to, so that tables shared many
/// times over (imports do that) are walked once, not once per path.
fn holds_itself(v: &Value, path: &mut Vec<*const ()>, clear: &mut HashSet<*const ()>) -> bool {
    let (ptr, children): (*const (), Vec<Value>) = match v {
        Value::Map(m, _) => (Rc::as_ptr(m) as *const (), m.borrow().values().cloned().collect()),
        Value::List(l, _) => (Rc::as_ptr(l) as *const (), l.borrow().clone()),
        _ => return false,
    };
    if path.contains(&ptr) {
        return true;
    }
    if clear.contains(&ptr) {
        return false;
    }
    path.push(ptr);
    let found = children.iter().any(|c| holds_itself(c, path, clear));
    path.pop();
    if !found {
        clear.insert(ptr);
    }
    found
}

fn process_import_values_rec(c: &mut Chart) {
    for d in c.dependencies.iter_mut() {
        process_import_values_rec(d);
    }
    process_import_values(c);
}
