//! Sprig's reflect.go and `deepEqual`.

use crate::template::{FuncMap, Ty};
use crate::value::Value;

use super::{arg, arg_str};

pub fn register(m: &mut FuncMap) {
    use Ty::*;
    m.add("typeOf", &[Any], None, |_, a| Ok(Value::string(arg(&a, 0).type_name())));
    m.add("typeIs", &[String, Any], None, |_, a| Ok(Value::Bool(arg_str(&a, 0) == arg(&a, 1).type_name())));
    m.add("typeIsLike", &[String, Any], None, |_, a| {
        let (t, target) = (arg(&a, 1).type_name(), arg_str(&a, 0));
        Ok(Value::Bool(target == t || format!("*{target}") == t))
    });
    m.add("kindOf", &[Any], None, |_, a| Ok(Value::str(arg(&a, 0).kind_name())));
    m.add("kindIs", &[String, Any], None, |_, a| Ok(Value::Bool(arg_str(&a, 0) == arg(&a, 1).kind_name())));
    m.add("deepEqual", &[Any, Any], None, |_, a| Ok(Value::Bool(super::list::deep_equal(&arg(&a, 0), &arg(&a, 1)))));
}
