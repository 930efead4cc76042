//! Sprig's dict.go: Go maps are references, so `set`, `unset`, `merge` and
//! `mergeOverwrite` mutate their first argument in place (visible through
//! every other variable holding it) and return it.

use crate::error::Error;
use crate::template::{FuncMap, Ty};
use crate::value::{MapOf, MapRef, MapType, Value};

use super::{arg, arg_str, empty, strval};

/// Deepest map nesting `merge` follows (Go would overflow its stack on a
/// map that contains itself; we report an error instead).
const MAX_MERGE_DEPTH: usize = 1000;

pub fn register(m: &mut FuncMap) {
    use Ty::*;
    m.add("get", &[Map, String], None, |_, a| Ok(arg(&a, 0).get(&arg_str(&a, 1)).unwrap_or_else(|| Value::str(""))));
    m.add("set", &[Map, String, Any], None, |_, a| {
        let d = map_arg(&a, 0)?;
        d.borrow_mut().insert(arg_str(&a, 1), arg(&a, 2));
        Ok(Value::map_ref(d))
    });
    m.add("unset", &[Map, String], None, |_, a| match arg(&a, 0) {
        // delete on a nil map is a no-op.
        Value::Map(d, t) => {
            if !t.nil {
                d.borrow_mut().remove(&arg_str(&a, 1));
            }
            Ok(Value::Map(d, MapType { of: MapOf::Any, nil: t.nil }))
        }
        _ => Ok(Value::typed_map(crate::value::Map::new(), MapType { of: MapOf::Any, nil: true })),
    });
    m.add("hasKey", &[Map, String], None, |_, a| Ok(Value::Bool(arg(&a, 0).get(&arg_str(&a, 1)).is_some())));
    m.add("pluck", &[String], Some(Map), |_, a| {
        let key = arg_str(&a, 0);
        Ok(Value::list(a.iter().skip(1).filter_map(|d| d.get(&key)).collect()))
    });
    m.add("keys", &[], Some(Map), |_, a| {
        // Go's map order is random; ours is sorted (one valid outcome).
        let mut k = Vec::new();
        for d in &a {
            if let Value::Map(d, _) = d {
                k.extend(d.borrow().keys().cloned());
            }
        }
        Ok(super::string_list(k))
    });
    m.add("values", &[Map], None, |_, a| match arg(&a, 0) {
        Value::Map(d, _) => Ok(Value::list(d.borrow().values().cloned().collect())),
        _ => Ok(Value::list(Vec::new())),
    });
    m.add("pick", &[Map], Some(String), |_, a| {
        let d = arg(&a, 0);
        let mut res = crate::value::Map::new();
        for k in a.iter().skip(1) {
            let k = strval(k);
            if let Some(v) = d.get(&k) {
                res.insert(k, v);
            }
        }
        Ok(Value::map(res))
    });
    m.add("omit", &[Map], Some(String), |_, a| {
        let omit: Vec<std::string::String> = a.iter().skip(1).map(strval).collect();
        let res = match arg(&a, 0) {
            Value::Map(d, _) => {
                d.borrow().iter().filter(|(k, _)| !omit.contains(k)).map(|(k, v)| (k.clone(), v.clone())).collect()
            }
            _ => crate::value::Map::new(),
        };
        Ok(Value::map(res))
    });
    m.add("dict", &[], Some(Any), |_, a| {
        let mut d = crate::value::Map::new();
        let mut i = 0;
        while i < a.len() {
            let key = strval(&a[i]);
            d.insert(key, a.get(i + 1).cloned().unwrap_or_else(|| Value::str("")));
            i += 2;
        }
        Ok(Value::map(d))
    });
    for (name, overwrite) in
        [("merge", false), ("mustMerge", false), ("mergeOverwrite", true), ("mustMergeOverwrite", true)]
    {
        m.add(name, &[Map], Some(Map), move |_, a| {
            // A nil dst map becomes a fresh map (mergo sets the pointer).
            let dst = match arg(&a, 0) {
                Value::Map(d, t) if !t.nil => d,
                _ => crate::value::new_map(crate::value::Map::new()),
            };
            for src in a.iter().skip(1) {
                if let Value::Map(src, _) = src {
                    merge_maps(&dst, src, overwrite, 0)?;
                }
            }
            Ok(Value::map_ref(dst))
        });
    }
    for name in ["deepCopy", "mustDeepCopy"] {
        m.add(name, &[Any], None, |_, a| match arg(&a, 0) {
            // copystructure reflects on the nil interface and panics.
            Value::Nil => Err("reflect: call of reflect.Value.Type on zero Value".into()),
            v => Ok(v.deep_copy()),
        });
    }
    m.add("dig", &[], Some(Any), |_, a| dig(&a));
}

fn map_arg(a: &[Value], i: usize) -> Result<MapRef, Error> {
    match arg(a, i) {
        Value::Map(d, t) if !t.nil => Ok(d),
        // A nil map: Go panics on assignment.
        _ => Err("assignment to entry in nil map".into()),
    }
}

/// mergo's isEmptyValue with dereferencing, on an element of a
/// map[string]interface{} (nil interface is empty).
fn mergo_empty(v: &Value) -> bool {
    empty(v)
}

/// mergo `deepMerge` for two map[string]interface{} values (dario.cat/mergo
/// v1.0.1), `overwrite` = `WithOverride`.
fn merge_maps(dst: &MapRef, src: &MapRef, overwrite: bool, depth: usize) -> Result<(), Error> {
    if depth > MAX_MERGE_DEPTH {
        return Err("chartroom: merge: maps nested too deeply (cyclic?)".into());
    }
    // Snapshot src first: dst and src may be the same map.
    let src_entries: Vec<(String, Value)> = src.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let src_empty = src_entries.is_empty();
    for (key, s) in src_entries {
        let d = dst.borrow().get(&key).cloned();
        if s.is_nil() {
            if overwrite {
                dst.borrow_mut().insert(key, Value::Nil);
            }
            continue;
        }
        match &s {
            Value::Map(sm, _) => {
                if let Some(Value::Map(dm, _)) = &d {
                    merge_maps(dm, sm, overwrite, depth + 1)?;
                }
            }
            Value::List(..) | Value::Bytes(_) => {
                // dstSlice: the existing element (whatever it is), or a new
                // empty slice; replaced by src when overwriting or when the
                // whole dst map is empty.
                let dst_is_empty = dst.borrow().is_empty();
                let new = if !src_empty && (overwrite || dst_is_empty) {
                    s.clone()
                } else {
                    match &d {
                        Some(v) if !v.is_nil() => v.clone(),
                        _ => match &s {
                            Value::List(_, t) => Value::List(Default::default(), *t),
                            _ => Value::Bytes(std::rc::Rc::from(Vec::<u8>::new())),
                        },
                    }
                };
                dst.borrow_mut().insert(key.clone(), new);
            }
            _ => {}
        }
        if let Some(dv) = &d {
            if !mergo_empty(dv) {
                if matches!(s, Value::List(..) | Value::Bytes(_)) {
                    continue;
                }
                if matches!(s, Value::Map(_, _)) && matches!(dv, Value::Map(_, _)) {
                    continue;
                }
            }
        }
        let d_missing_or_empty = d.as_ref().map(mergo_empty).unwrap_or(true);
        if overwrite || d_missing_or_empty {
            dst.borrow_mut().insert(key, s);
        }
    }
    Ok(())
}

/// Sprig's `dig KEY... DEFAULT DICT`.
fn dig(ps: &[Value]) -> Result<Value, Error> {
    if ps.len() < 3 {
        return Err("dig needs at least three arguments".into());
    }
    let n = ps.len();
    // A type assertion to map[string]interface{}: named map types
    // (common.Values, `.Values`!) and map[string]string fail it.
    let mut dict = match &ps[n - 1] {
        Value::Map(m, t) if t.of == MapOf::Any => m.clone(),
        other => return Err(Error::go(iface_conversion(other, "map[string]interface {}"))),
    };
    let def = ps[n - 2].clone();
    let mut keys = Vec::new();
    for k in &ps[..n - 2] {
        match k {
            Value::String(s) => keys.push(s.to_string()),
            other => return Err(Error::go(iface_conversion(other, "string"))),
        }
    }
    for (i, k) in keys.iter().enumerate() {
        let step = match dict.borrow().get(k) {
            None => return Ok(def),
            Some(v) => v.clone(),
        };
        if i == keys.len() - 1 {
            return Ok(step);
        }
        dict = match step {
            Value::Map(m, t) if t.of == MapOf::Any => m,
            other => return Err(Error::go(iface_conversion(&other, "map[string]interface {}"))),
        };
    }
    Ok(def)
}

/// Go's panic text for a failed `x.(T)` type assertion on interface{}.
fn iface_conversion(v: &Value, want: &str) -> String {
    if v.is_nil() {
        format!("interface conversion: interface {{}} is nil, not {want}")
    } else {
        format!("interface conversion: interface {{}} is {}, not {want}", v.type_name())
    }
}
