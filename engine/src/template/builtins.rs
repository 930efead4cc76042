//! Go text/template's predefined functions (funcs.go) that take
//! `reflect.Value`s or `any`: comparison, `index`, `len`, printing, escapers.
//! `and`/`or`/`not`, `include` and `tpl` live in the executor (they are lazy
//! or need the template set).

use crate::error::{go_err, Error, Kind as ErrorKind};
use crate::gofmt::{escape, printf};
use crate::value::{IntType, Value};

pub enum Out {
    Val(Value),
    /// The zero reflect.Value (e.g. `index` of a missing map key is a typed
    /// zero, but a nil result of `index` on a nil interface is invalid).
    Invalid,
}

const NAMES: &[&str] = &[
    "len", "index", "print", "printf", "println", "eq", "ne", "lt", "le", "gt", "ge", "html", "js", "urlquery", "call",
];

pub(crate) fn is_builtin(name: &str) -> bool {
    NAMES.contains(&name)
}

/// The builtin's Go signature as evalCall sees it: fixed parameters and
/// whether the last one is variadic (text/template funcs.go).
fn signature(name: &str) -> (usize, bool) {
    match name {
        "len" => (1, false),
        "ne" | "lt" | "le" | "gt" | "ge" => (2, false),
        "index" | "printf" | "eq" | "call" => (1, true),
        // print, println, html, js, urlquery: `args ...any`.
        _ => (0, true),
    }
}

/// Go's evalCall checks the argument count before it evaluates any argument,
/// so the error points at the function, not at an argument. `num_in` counts
/// the pipeline's final value, `nargs` does not (Go's "want at least" message
/// reports `len(args)`).
pub fn check_arity(name: &str, num_in: usize, nargs: usize) -> Result<(), Error> {
    match signature(name) {
        (fixed, true) if num_in < fixed => Err(Error::new(
            ErrorKind::Exec,
            format!("wrong number of args for {name}: want at least {fixed} got {nargs}"),
        )),
        (fixed, false) if num_in != fixed => {
            Err(Error::new(ErrorKind::Exec, format!("wrong number of args for {name}: want {fixed} got {num_in}")))
        }
        _ => Ok(()),
    }
}

pub fn call(name: &str, args: Vec<Value>) -> Result<Out, Error> {
    // The executor checked the count before evaluating the arguments; this
    // keeps the indexing below safe for any caller.
    check_arity(name, args.len(), args.len())?;
    let val = |v: Value| Ok(Out::Val(v));
    match name {
        "len" => len(&args[0]).map(|n| Out::Val(Value::int(n as i64))),
        "index" => index(&args[0], &args[1..]).map(Out::Val),
        "print" => val(Value::string(printf::sprint(&args))),
        "println" => val(Value::string(printf::sprintln(&args))),
        "printf" => match &args[0] {
            Value::String(f) => val(Value::string(printf::sprintf(f, &args[1..]))),
            Value::Nil => Err(Error::new(ErrorKind::Exec, "invalid value; expected string")),
            other => Err(Error::new(
                ErrorKind::Exec,
                format!("wrong type for value; expected string; got {}", other.type_name()),
            )),
        },
        "eq" => eq(&args[0], &args[1..]).map(|b| Out::Val(Value::Bool(b))),
        "ne" => eq(&args[0], &args[1..2]).map(|b| Out::Val(Value::Bool(!b))),
        "lt" | "le" | "gt" | "ge" => {
            let (a, b) = (&args[0], &args[1]);
            let r = match name {
                "lt" => lt(a, b),
                "le" => lt(a, b).and_then(|l| if l { Ok(true) } else { eq(a, std::slice::from_ref(b)) }),
                "gt" => lt(a, b).and_then(|l| if l { Ok(true) } else { eq(a, std::slice::from_ref(b)) }).map(|le| !le),
                _ => lt(a, b).map(|l| !l),
            };
            r.map(|b| Out::Val(Value::Bool(b)))
        }
        "html" => val(Value::string(escape::html(&args))),
        "js" => val(Value::string(escape::js(&args))),
        "urlquery" => val(Value::string(escape::urlquery(&args))),
        "call" => Err(go_err!("non-function {} of type {}", printf::sprint(&args[..1]), args[0].type_name())),
        _ => Ok(Out::Invalid),
    }
}

fn len(v: &Value) -> Result<usize, Error> {
    match v {
        Value::Nil => Err("len of nil pointer".into()),
        Value::String(s) => Ok(crate::gostring::byte_len(s)),
        Value::Bytes(b) => Ok(b.len()),
        Value::List(l, _) => Ok(l.borrow().len()),
        Value::Map(m, _) => Ok(m.borrow().len()),
        // len indirects pointers first (`len of type semver.Version`).
        Value::Object(o) => o.len().ok_or_else(|| go_err!("len of type {}", o.type_name().trim_start_matches('*'))),
        other => Err(go_err!("len of type {}", other.type_name())),
    }
}

fn index_arg(idx: &Value, cap: usize) -> Result<usize, Error> {
    let x: i64 = match idx {
        Value::Int(i, _) => *i,
        Value::Uint(u) => *u as i64,
        Value::Nil => return Err("cannot index slice/array with nil".into()),
        other => return Err(go_err!("cannot index slice/array with type {}", other.type_name())),
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(go_err!("index out of range: {x}"));
    }
    Ok(x as usize)
}

fn index(item: &Value, idxs: &[Value]) -> Result<Value, Error> {
    if item.is_nil() {
        return Err("index of untyped nil".into());
    }
    let mut cur = item.clone();
    for idx in idxs {
        cur = match &cur {
            Value::Nil => return Err("index of nil pointer".into()),
            Value::List(l, _) => {
                let l = l.borrow();
                let x = index_arg(idx, l.len())?;
                match l.get(x) {
                    Some(v) => v.clone(),
                    None => return Err("reflect: slice index out of range".into()),
                }
            }
            Value::Bytes(b) => {
                let x = index_arg(idx, b.len())?;
                match b.get(x) {
                    Some(v) => Value::Int(i64::from(*v), IntType::Uint8),
                    None => return Err("reflect: slice index out of range".into()),
                }
            }
            Value::String(s) => {
                let b = crate::gostring::to_bytes(s);
                let x = index_arg(idx, b.len())?;
                match b.get(x) {
                    Some(v) => Value::Int(i64::from(*v), IntType::Uint8),
                    None => return Err("reflect: string index out of range".into()),
                }
            }
            Value::Map(m, t) => {
                // A missing key gives the element type's zero value.
                let zero = || if t.elem_is_interface() { Value::Nil } else { Value::str("") };
                match idx {
                    Value::String(k) => m.borrow().get(&**k).cloned().unwrap_or_else(zero),
                    // prepareArg: a nil key cannot become a string.
                    Value::Nil => return Err("value is nil; should be of type string".into()),
                    other => return Err(go_err!("value has type {}; should be string", other.type_name())),
                }
            }
            Value::Object(o) => match (o.map_index(""), idx) {
                (Some(_), Value::String(k)) => o.map_index(k).unwrap_or(Value::Nil),
                // A Go map type (engine.files): prepareArg's key conversion.
                (Some(_), Value::Nil) => return Err("value is nil; should be of type string".into()),
                (Some(_), other) => return Err(go_err!("value has type {}; should be string", other.type_name())),
                _ => return Err(go_err!("can't index item of type {}", o.type_name().trim_start_matches('*'))),
            },
            other => return Err(go_err!("can't index item of type {}", other.type_name())),
        };
    }
    Ok(cur)
}

#[derive(PartialEq, Eq, Clone, Copy, Debug)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Float,
    String,
    Uint,
}

/// Go's `basicKind`: nil and every non-basic kind (slices, maps, structs…)
/// are `invalidKind`, so `eq` compares them with each other by nil-ness.
fn basic_kind(v: &Value) -> Kind {
    match v {
        Value::Bool(_) => Kind::Bool,
        Value::Int(..) => Kind::Int,
        Value::Uint(_) => Kind::Uint,
        Value::Float(_) => Kind::Float,
        Value::String(_) => Kind::String,
        _ => Kind::Invalid,
    }
}

/// Go 1.25 `eq` (text/template funcs.go): basic kinds compare by value;
/// mismatched basic kinds are an error unless one side is nil; everything
/// else goes through `canCompare` and `isNil`.
fn eq(a: &Value, others: &[Value]) -> Result<bool, Error> {
    if others.is_empty() {
        return Err("missing argument for comparison".into());
    }
    let k1 = basic_kind(a);
    for b in others {
        let k2 = basic_kind(b);
        let truth = if k1 != k2 {
            match (a, b) {
                (Value::Int(i, _), Value::Uint(u)) => *i >= 0 && *i as u64 == *u,
                (Value::Uint(u), Value::Int(i, _)) => *i >= 0 && *i as u64 == *u,
                _ => {
                    if !a.is_nil() && !b.is_nil() {
                        return Err(go_err!(
                            "incompatible types for comparison: {} and {}",
                            a.type_name(),
                            b.type_name()
                        ));
                    }
                    false
                }
            }
        } else {
            match (a, b) {
                (Value::Bool(x), Value::Bool(y)) => x == y,
                (Value::Int(x, _), Value::Int(y, _)) => x == y,
                (Value::Uint(x), Value::Uint(y)) => x == y,
                (Value::Float(x), Value::Float(y)) => x == y,
                (Value::String(x), Value::String(y)) => x == y,
                _ => {
                    // canCompare: the same reflect kind, or one side is nil.
                    // The values are formatted with %s, as Go's Errorf does.
                    if !a.is_nil() && !b.is_nil() && a.kind_name() != b.kind_name() {
                        return Err(Error::go(printf::sprintf(
                            "non-comparable types %s: %v, %s: %v",
                            &[a.clone(), Value::string(a.type_name()), Value::string(b.type_name()), b.clone()],
                        )));
                    }
                    // isNil: the nil interface, or a nil map or slice.
                    if a.is_go_nil() || b.is_go_nil() {
                        a.is_go_nil() == b.is_go_nil()
                    } else {
                        // The SECOND value's type must be comparable (maps
                        // and slices are not).
                        let comparable = |v: &Value| !matches!(v, Value::Map(..) | Value::List(..) | Value::Bytes(_));
                        if !comparable(b) {
                            return Err(Error::go(printf::sprintf(
                                "non-comparable type %s: %v",
                                &[b.clone(), Value::string(b.type_name())],
                            )));
                        }
                        a.go_identical(b)
                    }
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn lt(a: &Value, b: &Value) -> Result<bool, Error> {
    let k1 = basic_kind(a);
    let k2 = basic_kind(b);
    if k1 == Kind::Invalid || k2 == Kind::Invalid {
        return Err("invalid type for comparison".into());
    }
    if k1 != k2 {
        return match (a, b) {
            (Value::Int(i, _), Value::Uint(u)) => Ok(*i < 0 || (*i as u64) < *u),
            (Value::Uint(u), Value::Int(i, _)) => Ok(*i >= 0 && *u < *i as u64),
            _ => Err(go_err!("incompatible types for comparison: {} and {}", a.type_name(), b.type_name())),
        };
    }
    Ok(match (a, b) {
        (Value::Int(x, _), Value::Int(y, _)) => x < y,
        (Value::Uint(x), Value::Uint(y)) => x < y,
        (Value::Float(x), Value::Float(y)) => x < y,
        (Value::String(x), Value::String(y)) => crate::gostring::cmp(x, y).is_lt(),
        _ => return Err("invalid type for comparison".into()),
    })
}
