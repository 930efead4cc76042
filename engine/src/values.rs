//! Values: coalescing chart defaults with user values (Helm's
//! pkg/chart/common/util/coalesce.go), and merging user values files.

use std::rc::Rc;

use crate::chart::Chart;
use crate::error::{Error, Kind};
use crate::gofmt::log::printf;
use crate::value::{Map, MapRef, Value};

const GLOBAL_KEY: &str = "global";

fn as_table(v: &Value) -> Option<MapRef> {
    match v {
        Value::Map(m, _) => Some(m.clone()),
        _ => None,
    }
}

fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

/// `CoalesceValues(chart, vals)`: user values (deep-copied) with chart
/// defaults filled in, subcharts' defaults and globals included, nulls
/// deleting keys.
pub fn coalesce_values(chart: &Chart, vals: &Value) -> Result<Value, Error> {
    let copy = match vals.deep_copy() {
        Value::Map(m, _) => m,
        _ => crate::value::new_map(Map::new()),
    };
    coalesce(chart, &copy, "", false)?;
    Ok(Value::map_ref(copy))
}

fn coalesce(chart: &Chart, dest: &MapRef, prefix: &str, merge: bool) -> Result<(), Error> {
    coalesce_values_into(chart, dest, prefix, merge);
    coalesce_deps(chart, dest, prefix, merge)
}

fn coalesce_deps(chart: &Chart, dest: &MapRef, prefix: &str, merge: bool) -> Result<(), Error> {
    for sub in &chart.dependencies {
        let name = sub.name().to_string();
        let existing = dest.borrow().get(&name).cloned();
        let dv = match existing {
            None => {
                let m = crate::value::new_map(Map::new());
                dest.borrow_mut().insert(name.clone(), Value::map_ref(m.clone()));
                m
            }
            Some(Value::Map(m, _)) => m,
            Some(other) => {
                return Err(Error::new(
                    Kind::Values,
                    // Go's `fmt.Errorf("type mismatch on %s: %t", …)`: a bool
                    // prints as itself, nil as `%!t(<nil>)`.
                    format!("type mismatch on {name}: {}", crate::gofmt::printf::sprintf("%t", &[other])),
                ));
            }
        };
        let sub_prefix = concat_prefix(prefix, chart.name());
        coalesce_globals(&dv, dest, &sub_prefix);
        coalesce(sub, &dv, &sub_prefix, merge)?;
    }
    Ok(())
}

/// Copies the parent's globals into the subchart's values (`coalesceGlobals`).
fn coalesce_globals(dest: &MapRef, src: &MapRef, prefix: &str) {
    let dg = match dest.borrow().get(GLOBAL_KEY) {
        None => crate::value::new_map(Map::new()),
        Some(Value::Map(m, _)) => m.clone(),
        Some(_) => {
            printf(format!("warning: skipping globals because destination {GLOBAL_KEY} is not a table."));
            return;
        }
    };
    let sg = match src.borrow().get(GLOBAL_KEY) {
        None => crate::value::new_map(Map::new()),
        Some(Value::Map(m, _)) => m.clone(),
        Some(_) => {
            printf(format!("warning: skipping globals because source {GLOBAL_KEY} is not a table."));
            return;
        }
    };
    if !Rc::ptr_eq(&dg, &sg) {
        let entries: Vec<(String, Value)> = sg.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        for (key, val) in entries {
            if let Some(vm) = as_table(&val) {
                // copyMap: a shallow copy of the table.
                let vv = crate::value::new_map(vm.borrow().clone());
                let destv = dg.borrow().get(&key).cloned();
                match destv {
                    None => {
                        dg.borrow_mut().insert(key, Value::map_ref(vv));
                    }
                    Some(Value::Map(destvmap, _)) => {
                        coalesce_tables_full_key(&vv, &destvmap, &concat_prefix(prefix, &key), true);
                        dg.borrow_mut().insert(key, Value::map_ref(vv));
                    }
                    Some(_) => {
                        printf(format!(
                            "Conflict: cannot merge map onto non-map for {}. Skipping.",
                            crate::gofmt::strconv::quote(&key)
                        ));
                    }
                }
            } else {
                let is_table = matches!(dg.borrow().get(&key), Some(Value::Map(_, _)));
                if is_table {
                    printf(format!("key {key} is table. Skipping"));
                } else {
                    dg.borrow_mut().insert(key, val);
                }
            }
        }
    }
    dest.borrow_mut().insert(GLOBAL_KEY.into(), Value::map_ref(dg));
}

fn coalesce_values_into(chart: &Chart, v: &MapRef, prefix: &str, merge: bool) {
    let sub_prefix = concat_prefix(prefix, chart.name());
    let vc = match chart.values.deep_copy() {
        Value::Map(m, _) => m,
        _ => return,
    };
    let entries: Vec<(String, Value)> = vc.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    for (key, val) in entries {
        let existing = v.borrow().get(&key).cloned();
        match existing {
            Some(value) => {
                if value.is_nil() && !merge {
                    v.borrow_mut().remove(&key);
                } else if let Some(dest) = as_table(&value) {
                    if let Some(src) = as_table(&val) {
                        let merge = merge || chart.dependencies.iter().any(|d| d.name() == key);
                        if !merge {
                            clean_nil_values(&src);
                        }
                        coalesce_tables_full_key(&dest, &src, &concat_prefix(&sub_prefix, &key), merge);
                    } else if !val.is_nil() {
                        printf(format!("warning: skipped value for {sub_prefix}.{key}: Not a table."));
                    }
                }
            }
            None => {
                if !merge {
                    if val.is_nil() {
                        continue;
                    }
                    if let Some(sub) = as_table(&val) {
                        clean_nil_values(&sub);
                    }
                }
                v.borrow_mut().insert(key, val);
            }
        }
    }
}

/// `CoalesceTables(dst, src)` (`merge` false) or `MergeTables` (true).
pub fn coalesce_tables(dst: &MapRef, src: &MapRef, merge: bool) {
    coalesce_tables_full_key(dst, src, "", merge);
}

/// `coalesceTablesFullKey`: fill `dst` with `src`'s keys it lacks, recursing
/// into tables; a nil in `dst` deletes the key unless merging. A table
/// meeting a non-table is logged (at `prefix.key`) and left as `dst` has it.
fn coalesce_tables_full_key(dst: &MapRef, src: &MapRef, prefix: &str, merge: bool) {
    if Rc::ptr_eq(dst, src) {
        return;
    }
    let src_non_nil: Vec<String> = src.borrow().iter().filter(|(_, v)| !v.is_nil()).map(|(k, _)| k.clone()).collect();
    let dst_nils: Vec<String> = dst.borrow().iter().filter(|(_, v)| v.is_nil()).map(|(k, _)| k.clone()).collect();
    for k in dst_nils {
        src.borrow_mut().insert(k, Value::Nil);
    }
    let entries: Vec<(String, Value)> = src.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    for (key, val) in entries {
        let dv = dst.borrow().get(&key).cloned();
        match dv {
            Some(dv) if !merge && dv.is_nil() && src_non_nil.contains(&key) => {
                dst.borrow_mut().remove(&key);
            }
            None => {
                dst.borrow_mut().insert(key, val);
            }
            Some(dv) => {
                let full_key = concat_prefix(prefix, &key);
                match (as_table(&val), as_table(&dv)) {
                    (Some(sv), Some(dm)) => coalesce_tables_full_key(&dm, &sv, &full_key, merge),
                    (Some(_), None) => printf(format!(
                        "warning: cannot overwrite table with non table for {full_key} ({})",
                        val.to_go_string()
                    )),
                    (None, Some(_)) if !val.is_nil() => printf(format!(
                        "warning: destination for {full_key} is a table. Ignoring non-table value ({})",
                        val.to_go_string()
                    )),
                    _ => {}
                }
            }
        }
    }
}

fn clean_nil_values(m: &MapRef) {
    let keys: Vec<(String, Value)> = m.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    for (k, v) in keys {
        if v.is_nil() {
            m.borrow_mut().remove(&k);
        } else if let Some(sub) = as_table(&v) {
            clean_nil_values(&sub);
        }
    }
}

/// Helm's `mergeMaps` for user values (`-f a -f b`, `--set`): later values
/// win, tables merge recursively.
pub fn merge_maps(a: &Map, b: &Map) -> Map {
    let mut out = a.clone();
    for (k, v) in b {
        if let Value::Map(vm, _) = v {
            if let Some(Value::Map(bv, _)) = out.get(k) {
                let merged = merge_maps(&bv.borrow(), &vm.borrow());
                out.insert(k.clone(), Value::map(merged));
                continue;
            }
        }
        out.insert(k.clone(), v.clone());
    }
    out
}

/// `MergeValues(chart, vals)`: like [`coalesce_values`] but keeping nulls
/// (used by import-values processing).
pub fn merge_values(chart: &Chart, vals: &Value) -> Result<Value, Error> {
    let copy = match vals.deep_copy() {
        Value::Map(m, _) => m,
        _ => crate::value::new_map(Map::new()),
    };
    coalesce(chart, &copy, "", true)?;
    Ok(Value::map_ref(copy))
}

/// `MergeTables(dst, src)`: `dst` keeps its values, gains `src`'s others.
pub fn merge_tables(dst: &MapRef, src: &MapRef) {
    coalesce_tables(dst, src, true);
}
