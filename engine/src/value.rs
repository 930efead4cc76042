//! The value model, as Go's `text/template` sees Helm's data.
//!
//! Helm hands templates `interface{}` values: numbers from values files are
//! `float64` (they pass through JSON), template literals are `int`, Sprig math
//! returns `int64`, `--set` gives `int64`. Maps and lists are Go reference
//! types: `set $d "k" v` mutates what every other variable holding `$d` sees,
//! so both are shared (`Rc<RefCell<..>>`). Maps iterate in sorted key order
//! because Go's template `range`, `fmt` and `encoding/json` all sort keys.
//!
//! Typed Helm objects (`.Capabilities`, `.Files`, semver versions…) are
//! [`Object`]s with fields and methods.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use crate::gofmt::strconv;

/// A Go map[string]interface{}: sorted by key bytes, like Go's printers.
pub type Map = BTreeMap<String, Value>;

/// Shared, mutable map (Go maps are references).
pub type MapRef = Rc<RefCell<Map>>;
/// Shared, mutable list (Go slices share their backing array; Sprig never
/// appends in place, so sharing the whole Vec is the observable behaviour).
pub type ListRef = Rc<RefCell<Vec<Value>>>;

/// Go integer types that templates can observe through `%T`, `typeOf`, `kindOf`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntType {
    /// `int`: template literals, `len`, `atoi`, `int`.
    Int,
    /// `int64`: Sprig math (`add`, `sub`…), `int64`, `--set` numbers.
    Int64,
    /// `int32`, from `--set`? no: from `toDecimal`/`int32`-returning helpers.
    Int32,
}

impl IntType {
    pub fn go_name(self) -> &'static str {
        match self {
            IntType::Int => "int",
            IntType::Int64 => "int64",
            IntType::Int32 => "int32",
        }
    }
}

/// Element type of a Go slice, for `%T`/`typeOf` (`[]interface {}` vs `[]string`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListType {
    /// `[]interface {}`
    Any,
    /// `[]string` (splitList, keys, sortAlpha…)
    String,
    /// `[]map[string]interface {}` (TOML arrays of tables from `fromToml`).
    Map,
}

#[derive(Clone)]
pub enum Value {
    /// Go's untyped nil interface (`<nil>`; missing values are nil too).
    Nil,
    Bool(bool),
    Int(i64, IntType),
    Uint(u64),
    Float(f64),
    String(Rc<str>),
    /// `[]byte` (`.Files.GetBytes`); prints like a list of numbers.
    Bytes(Rc<[u8]>),
    List(ListRef, ListType),
    Map(MapRef),
    Object(Rc<dyn Object>),
}

/// A typed Go value with fields and methods: `.Capabilities`, `.Files`,
/// `*semver.Version`, `time.Time`…
pub trait Object {
    /// Go's `%T` name, e.g. `*common.Capabilities`.
    fn type_name(&self) -> String;
    /// Go's reflect kind name for `kindOf` (`struct`, `ptr`, `map`…).
    fn kind(&self) -> &'static str {
        "ptr"
    }
    /// A field or a method without arguments, as `.Name` reaches it.
    /// `None` means the type has no such field or method.
    fn field(&self, name: &str) -> Option<Value>;
    /// Whether `name` is a method (so that `.Has "x"` may pass arguments).
    fn has_method(&self, _name: &str) -> bool {
        false
    }
    /// The parameter types of method `name`, when known: then the executor
    /// checks the argument count and evaluates each argument for its type
    /// as Go's evalCall does (`expected string; found 1` for a literal),
    /// before the method runs.
    fn method_params(&self, _name: &str) -> Option<Vec<crate::template::funcs::Ty>> {
        None
    }
    /// Calls method `name` with arguments.
    fn call_method(&self, name: &str, _args: &[Value]) -> Result<Value, String> {
        Err(format!("can't call method/function {name:?} with arguments"))
    }
    /// Go `%v` rendering.
    fn format_v(&self) -> String;
    /// Truthiness for `if`/`with` (Go: non-nil pointer/struct is true).
    fn truthy(&self) -> bool {
        true
    }
    /// `len`, for objects that are really Go maps or slices.
    fn len(&self) -> Option<usize> {
        None
    }
    /// Convert to plain data (for toYaml/toJson); `None` if not representable.
    fn to_data(&self) -> Option<Value> {
        None
    }
    /// A Go struct's JSON fields in declaration order (encoding/json keeps
    /// it; a map would sort the keys). `None`: encode `to_data()` instead.
    fn json_fields(&self) -> Option<Vec<(String, Value)>> {
        None
    }
    fn as_any(&self) -> &dyn std::any::Any;
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Nil => write!(f, "Nil"),
            Value::Bool(b) => write!(f, "Bool({b})"),
            Value::Int(i, t) => write!(f, "Int({i}, {t:?})"),
            Value::Uint(u) => write!(f, "Uint({u})"),
            Value::Float(x) => write!(f, "Float({x:?})"),
            Value::String(s) => write!(f, "String({s:?})"),
            Value::Bytes(b) => write!(f, "Bytes({b:?})"),
            Value::List(l, _) => f.debug_list().entries(l.borrow().iter()).finish(),
            Value::Map(m) => f.debug_map().entries(m.borrow().iter()).finish(),
            Value::Object(o) => write!(f, "Object({})", o.type_name()),
        }
    }
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::String(Rc::from(s))
    }
    pub fn string(s: String) -> Value {
        Value::String(Rc::from(s))
    }
    pub fn int(i: i64) -> Value {
        Value::Int(i, IntType::Int)
    }
    pub fn int64(i: i64) -> Value {
        Value::Int(i, IntType::Int64)
    }
    pub fn list(v: Vec<Value>) -> Value {
        Value::List(Rc::new(RefCell::new(v)), ListType::Any)
    }
    pub fn string_list(v: Vec<Value>) -> Value {
        Value::List(Rc::new(RefCell::new(v)), ListType::String)
    }
    pub fn map(m: Map) -> Value {
        Value::Map(Rc::new(RefCell::new(m)))
    }
    pub fn empty_map() -> Value {
        Value::map(Map::new())
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Go's `%T`.
    pub fn type_name(&self) -> String {
        match self {
            Value::Nil => "<nil>".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_, t) => t.go_name().into(),
            Value::Uint(_) => "uint64".into(),
            Value::Float(_) => "float64".into(),
            Value::String(_) => "string".into(),
            Value::Bytes(_) => "[]uint8".into(),
            Value::List(_, ListType::Any) => "[]interface {}".into(),
            Value::List(_, ListType::String) => "[]string".into(),
            Value::List(_, ListType::Map) => "[]map[string]interface {}".into(),
            Value::Map(_) => "map[string]interface {}".into(),
            Value::Object(o) => o.type_name(),
        }
    }

    /// Go's reflect.Kind name (Sprig `kindOf`).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Nil => "invalid",
            Value::Bool(_) => "bool",
            Value::Int(_, t) => t.go_name(),
            Value::Uint(_) => "uint64",
            Value::Float(_) => "float64",
            Value::String(_) => "string",
            Value::Bytes(_) | Value::List(..) => "slice",
            Value::Map(_) => "map",
            Value::Object(o) => o.kind(),
        }
    }

    /// Go template truth (`if`, `with`, `and`, `or`, `not`): false, 0, nil,
    /// and empty strings, slices and maps are false.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i, _) => *i != 0,
            Value::Uint(u) => *u != 0,
            Value::Float(f) => *f != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::List(l, _) => !l.borrow().is_empty(),
            Value::Map(m) => !m.borrow().is_empty(),
            Value::Object(o) => o.truthy(),
        }
    }

    /// Go's `fmt` `%v` rendering (also `print`, `toString`, template output).
    pub fn to_go_string(&self) -> String {
        let mut out = String::new();
        self.write_go(&mut out, true);
        out
    }

    /// Appends `%v`. `top` matters for nil: Go prints a nil interface at top
    /// level as `<nil>` and also inside containers as `<nil>`.
    fn write_go(&self, out: &mut String, _top: bool) {
        match self {
            Value::Nil => out.push_str("<nil>"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i, _) => out.push_str(&i.to_string()),
            Value::Uint(u) => out.push_str(&u.to_string()),
            Value::Float(f) => out.push_str(&strconv::format_float_g(*f, 64)),
            Value::String(s) => out.push_str(s),
            Value::Bytes(b) => {
                out.push('[');
                for (i, x) in b.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(&x.to_string());
                }
                out.push(']');
            }
            Value::List(l, _) => {
                out.push('[');
                for (i, x) in l.borrow().iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    x.write_go(out, false);
                }
                out.push(']');
            }
            Value::Map(m) => {
                out.push_str("map[");
                for (i, (k, v)) in m.borrow().iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(k);
                    out.push(':');
                    v.write_go(out, false);
                }
                out.push(']');
            }
            Value::Object(o) => out.push_str(&o.format_v()),
        }
    }

    /// Deep copy of plain data (Sprig `deepCopy`, values coalescing).
    pub fn deep_copy(&self) -> Value {
        match self {
            Value::List(l, t) => {
                Value::List(Rc::new(RefCell::new(l.borrow().iter().map(Value::deep_copy).collect())), *t)
            }
            Value::Map(m) => Value::map(m.borrow().iter().map(|(k, v)| (k.clone(), v.deep_copy())).collect()),
            other => other.clone(),
        }
    }

    /// Looks up `key` in a map value.
    pub fn get(&self, key: &str) -> Option<Value> {
        match self {
            Value::Map(m) => m.borrow().get(key).cloned(),
            _ => None,
        }
    }
}

/// Structural equality of plain data (Go's reflect.DeepEqual on JSON-like data).
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a, ta), Value::Int(b, tb)) => a == b && ta == tb,
            (Value::Uint(a), Value::Uint(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Bytes(a), Value::Bytes(b)) => a == b,
            (Value::List(a, ta), Value::List(b, tb)) => ta == tb && (Rc::ptr_eq(a, b) || *a.borrow() == *b.borrow()),
            (Value::Map(a), Value::Map(b)) => Rc::ptr_eq(a, b) || *a.borrow() == *b.borrow(),
            (Value::Object(a), Value::Object(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Default for Value {
    fn default() -> Value {
        Value::Nil
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::str(s)
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::string(s)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}
impl From<f64> for Value {
    fn from(f: f64) -> Value {
        Value::Float(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_v_formatting_of_containers() {
        let mut m = Map::new();
        m.insert("b".into(), Value::list(vec![Value::int(1), Value::str("x"), Value::Float(2.5)]));
        m.insert("a".into(), Value::Nil);
        assert_eq!(Value::map(m).to_go_string(), "map[a:<nil> b:[1 x 2.5]]");
        assert_eq!(Value::Float(1e6).to_go_string(), "1e+06");
    }

    #[test]
    fn maps_are_shared_references() {
        let m = Value::empty_map();
        let alias = m.clone();
        if let Value::Map(r) = &alias {
            r.borrow_mut().insert("k".into(), Value::Bool(true));
        }
        assert_eq!(m.get("k"), Some(Value::Bool(true)));
    }
}
