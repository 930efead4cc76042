//! Sprig's defaults.go (minus the JSON functions, which the Helm layer owns).

use crate::template::{FuncMap, Ty};
use crate::value::Value;

use super::{arg, arg_bool, empty};

pub fn register(m: &mut FuncMap) {
    use Ty::*;
    m.add("default", &[Any], Some(Any), |_, a| {
        // empty(given) is false for a non-empty variadic slice, so only the
        // first given value counts.
        match a.get(1) {
            Some(g) if !empty(g) => Ok(g.clone()),
            _ => Ok(arg(&a, 0)),
        }
    });
    m.add("empty", &[Any], None, |_, a| Ok(Value::Bool(empty(&arg(&a, 0)))));
    m.add("coalesce", &[], Some(Any), |_, a| Ok(a.iter().find(|v| !empty(v)).cloned().unwrap_or(Value::Nil)));
    m.add("all", &[], Some(Any), |_, a| Ok(Value::Bool(a.iter().all(|v| !empty(v)))));
    m.add("any", &[], Some(Any), |_, a| Ok(Value::Bool(a.iter().any(|v| !empty(v)))));
    m.add("ternary", &[Any, Any, Bool], None, |_, a| Ok(if arg_bool(&a, 2) { arg(&a, 0) } else { arg(&a, 1) }));
}
