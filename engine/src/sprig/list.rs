//! Sprig's list.go: reflection-based list functions that accept any Go slice
//! (`[]interface{}`, `[]string`…) and return new `[]interface{}` values.
//! The non-`must` variants panic where the `must` ones return an error; Go's
//! template engine turns both into the same `error calling NAME: …`.

use crate::error::{go_err, Error};
use crate::template::{FuncMap, Ty};
use crate::value::{ListType, SliceOf, Value};

use super::cast::to_int;
use super::{arg, arg_int, empty, slice_items, slice_items_or, strings::strslice, NIL_DEREF};

pub fn register(m: &mut FuncMap) {
    use Ty::*;
    for name in ["list", "tuple"] {
        m.add(name, &[], Some(Any), |_, a| Ok(Value::list(a)));
    }
    for name in ["append", "push", "mustAppend", "mustPush"] {
        m.add(name, &[Any, Any], None, |_, a| {
            let mut l = slice_items_or(&arg(&a, 0), "Cannot push on type")?;
            l.push(arg(&a, 1));
            Ok(Value::list(l))
        });
    }
    for name in ["prepend", "mustPrepend"] {
        m.add(name, &[Any, Any], None, |_, a| {
            let mut l = slice_items_or(&arg(&a, 0), "Cannot prepend on type")?;
            l.insert(0, arg(&a, 1));
            Ok(Value::list(l))
        });
    }
    for name in ["chunk", "mustChunk"] {
        m.add(name, &[Int, Any], None, |_, a| chunk(arg_int(&a, 0), &arg(&a, 1)));
    }
    for name in ["last", "mustLast"] {
        m.add(name, &[Any], None, |_, a| {
            let l = slice_items_or(&arg(&a, 0), "Cannot find last on type")?;
            Ok(l.last().cloned().unwrap_or(Value::Nil))
        });
    }
    for name in ["first", "mustFirst"] {
        m.add(name, &[Any], None, |_, a| {
            let l = slice_items_or(&arg(&a, 0), "Cannot find first on type")?;
            Ok(l.first().cloned().unwrap_or(Value::Nil))
        });
    }
    for name in ["rest", "mustRest"] {
        m.add(name, &[Any], None, |_, a| {
            let l = slice_items_or(&arg(&a, 0), "Cannot find rest on type")?;
            // An empty input gives a nil []interface{} (prints `[]`, JSON null).
            if l.is_empty() {
                return Ok(Value::typed_list(Vec::new(), ListType::ANY.nil()));
            }
            Ok(Value::list(l.into_iter().skip(1).collect()))
        });
    }
    for name in ["initial", "mustInitial"] {
        m.add(name, &[Any], None, |_, a| {
            let mut l = slice_items_or(&arg(&a, 0), "Cannot find initial on type")?;
            if l.is_empty() {
                return Ok(Value::typed_list(Vec::new(), ListType::ANY.nil()));
            }
            l.pop();
            Ok(Value::list(l))
        });
    }
    m.add("sortAlpha", &[Any], None, |_, a| {
        let v = arg(&a, 0);
        // strslice returns a []string argument itself, so Go sorts it in
        // place: every variable holding it sees the new order.
        if let Value::List(l, t) = &v {
            if t.of == SliceOf::String {
                crate::gofmt::sort::sort_by(&mut l.borrow_mut(), |x, y| {
                    crate::gostring::cmp(x.as_str().unwrap_or(""), y.as_str().unwrap_or(""))
                });
                return Ok(Value::List(l.clone(), *t));
            }
        }
        let mut s = match &v {
            Value::List(..) | Value::Bytes(_) => strslice(&v),
            other => vec![super::strval(other)],
        };
        // sort.Strings: Go's byte order.
        crate::gofmt::sort::sort_by(&mut s, |x, y| crate::gostring::cmp(x, y));
        Ok(super::string_list(s))
    });
    for name in ["reverse", "mustReverse"] {
        m.add(name, &[Any], None, |_, a| {
            let mut l = slice_items_or(&arg(&a, 0), "Cannot find reverse on type")?;
            l.reverse();
            Ok(Value::list(l))
        });
    }
    for name in ["compact", "mustCompact"] {
        m.add(name, &[Any], None, |_, a| {
            let l = slice_items_or(&arg(&a, 0), "Cannot compact on type")?;
            Ok(Value::list(l.into_iter().filter(|x| !empty(x)).collect()))
        });
    }
    for name in ["uniq", "mustUniq"] {
        m.add(name, &[Any], None, |_, a| {
            let l = slice_items_or(&arg(&a, 0), "Cannot find uniq on type")?;
            let mut dest: Vec<Value> = Vec::new();
            for x in l {
                if !dest.iter().any(|d| deep_equal(&x, d)) {
                    dest.push(x);
                }
            }
            Ok(Value::list(dest))
        });
    }
    for name in ["without", "mustWithout"] {
        m.add(name, &[Any], Some(Any), |_, a| {
            let l = slice_items_or(&arg(&a, 0), "Cannot find without on type")?;
            let omit = a.get(1..).unwrap_or(&[]);
            Ok(Value::list(l.into_iter().filter(|x| !omit.iter().any(|o| deep_equal(x, o))).collect()))
        });
    }
    for name in ["has", "mustHas"] {
        m.add(name, &[Any, Any], None, |_, a| {
            let (needle, hay) = (arg(&a, 0), arg(&a, 1));
            if hay.is_nil() {
                return Ok(Value::Bool(false));
            }
            let l = slice_items_or(&hay, "Cannot find has on type")?;
            Ok(Value::Bool(l.iter().any(|x| deep_equal(&needle, x))))
        });
    }
    for name in ["slice", "mustSlice"] {
        m.add(name, &[Any], Some(Any), |_, a| slice(&arg(&a, 0), a.get(1..).unwrap_or(&[])));
    }
    m.add("concat", &[], Some(Any), |_, a| {
        let mut res = Vec::new();
        for l in &a {
            match slice_items(l) {
                Some(items) => res.extend(items),
                None if l.is_nil() => return Err(NIL_DEREF.into()),
                None => return Err(go_err!("Cannot concat type {} as list", l.kind_name())),
            }
        }
        // `var res []interface{}`: nil when nothing was appended.
        if res.is_empty() {
            return Ok(Value::typed_list(res, ListType::ANY.nil()));
        }
        Ok(Value::list(res))
    });
}

/// Go's `reflect.DeepEqual` on template data.
pub(crate) fn deep_equal(a: &Value, b: &Value) -> bool {
    a == b
}

fn chunk(size: i64, list: &Value) -> Result<Value, Error> {
    let l = slice_items_or(list, "Cannot chunk type")?;
    let n = l.len() as i64;
    // cs := int(math.Floor(float64(l-1)/float64(size)) + 1)
    let cs_f = ((n - 1) as f64 / size as f64).floor() + 1.0;
    let cs = super::cast::f64_to_i64(cs_f);
    if cs < 0 {
        return Err("runtime error: makeslice: len out of range".into());
    }
    let mut out = Vec::new();
    for i in 0..cs {
        let mut clen = size;
        if i == cs - 1 {
            clen = super::cast::f64_to_i64(((n as f64) % (size as f64)).floor());
            if clen == 0 {
                clen = size;
            }
        }
        if clen < 0 {
            return Err("runtime error: makeslice: len out of range".into());
        }
        let mut c = Vec::new();
        for j in 0..clen {
            let ix = i * size + j;
            match usize::try_from(ix).ok().and_then(|ix| l.get(ix)) {
                Some(v) => c.push(v.clone()),
                None => return Err(Error::go("reflect: slice index out of range".to_string())),
            }
        }
        out.push(Value::list(c));
    }
    Ok(Value::typed_list(out, ListType::ANY_LIST))
}

fn slice(list: &Value, indices: &[Value]) -> Result<Value, Error> {
    let (items, ty) = match list {
        Value::List(l, t) => (l.borrow().clone(), *t),
        Value::Bytes(b) => {
            // A []byte slice stays a []byte.
            let len = b.len();
            if len == 0 {
                return Ok(Value::Nil);
            }
            let (s, e) = bounds(indices, len)?;
            return Ok(Value::Bytes(b[s..e].into()));
        }
        Value::Nil => return Err(NIL_DEREF.into()),
        other => return Err(go_err!("list should be type of slice or array but {}", other.kind_name())),
    };
    if items.is_empty() {
        return Ok(Value::Nil);
    }
    let (s, e) = bounds(indices, items.len())?;
    let part = items[s..e].to_vec();
    // reflect's Slice keeps the slice type ([]string, []int, VersionSet…).
    Ok(Value::typed_list(part, ty.non_nil()))
}

/// reflect.Value.Slice bounds: 0 <= start <= end <= cap (cap == len here).
fn bounds(indices: &[Value], len: usize) -> Result<(usize, usize), Error> {
    let start = indices.first().map(to_int).unwrap_or(0);
    let end = if indices.len() < 2 { len as i64 } else { to_int(&indices[1]) };
    if start < 0 || end < start || end > len as i64 {
        return Err("reflect.Value.Slice: slice index out of bounds".into());
    }
    Ok((start as usize, end as usize))
}
