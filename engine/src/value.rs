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

use crate::error::{go_err, Error};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use crate::gofmt::strconv;

pub(crate) mod gc;
pub(crate) use gc::{new_list, new_map};
// Go's time.Month and time.Weekday names, from the `time` port.
use crate::sprig::date::{DAYS as WEEKDAYS, MONTHS};

/// A Go map[string]interface{}: sorted by key bytes, like Go's printers.
pub type Map = BTreeMap<String, Value>;

/// Shared, mutable map (Go maps are references).
pub type MapRef = Rc<RefCell<Map>>;

/// A map's entries in Go's sorted-key order (fmt's and encoding/json's):
/// byte order, which differs from `Map`'s only for keys holding bytes that
/// are not UTF-8.
pub fn go_sorted(m: &Map) -> Vec<(&String, &Value)> {
    let mut v: Vec<(&String, &Value)> = m.iter().collect();
    if v.iter().any(|(k, _)| crate::gostring::raw_byte_in(k)) {
        crate::gofmt::sort::sort_by(&mut v, |a, b| crate::gostring::cmp(a.0, b.0));
    }
    v
}
/// Shared, mutable list (Go slices share their backing array; Sprig never
/// appends in place, so sharing the whole Vec is the observable behaviour).
pub type ListRef = Rc<RefCell<Vec<Value>>>;

/// Go integer types that templates can observe through `%T`, `typeOf`, `kindOf`.
/// The named ones (`time.Month`, `time.Weekday`, `time.Duration`) carry
/// their `String` method: `%v` and template output print it, `%d` and JSON
/// print the number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntType {
    /// `int`: template literals, `len`, `atoi`, `int`.
    Int,
    /// `int64`: Sprig math (`add`, `sub`…), `int64`, `--set` numbers.
    Int64,
    /// `int32`, from `--set`? no: from `toDecimal`/`int32`-returning helpers.
    Int32,
    /// `uint8`: an element of a `[]byte`.
    Uint8,
    /// `time.Month` (int): `$t.Month`.
    Month,
    /// `time.Weekday` (int): `$t.Weekday`.
    Weekday,
    /// `time.Duration` (int64 nanoseconds): `$t.Sub`, `$d.Round`.
    Duration,
}

impl IntType {
    pub fn go_name(self) -> &'static str {
        match self {
            IntType::Int => "int",
            IntType::Int64 => "int64",
            IntType::Int32 => "int32",
            IntType::Uint8 => "uint8",
            IntType::Month => "time.Month",
            IntType::Weekday => "time.Weekday",
            IntType::Duration => "time.Duration",
        }
    }

    /// reflect.Kind name.
    pub fn kind_name(self) -> &'static str {
        match self {
            IntType::Int | IntType::Month | IntType::Weekday => "int",
            IntType::Int64 | IntType::Duration => "int64",
            IntType::Int32 => "int32",
            IntType::Uint8 => "uint8",
        }
    }

    /// The type's `String()` method (fmt.Stringer), if it has one.
    pub fn stringer(self, i: i64) -> Option<String> {
        match self {
            IntType::Month => Some(month_name(i)),
            IntType::Weekday => Some(weekday_name(i)),
            IntType::Duration => Some(crate::sprig::date::format_duration(i)),
            _ => None,
        }
    }
}

/// `time.Month.String()`: out-of-range months print `%!Month(13)`.
fn month_name(m: i64) -> String {
    match usize::try_from(m - 1).ok().and_then(|i| MONTHS.get(i)) {
        Some(n) => n.to_string(),
        None => format!("%!Month({m})"),
    }
}

/// `time.Weekday.String()`.
fn weekday_name(d: i64) -> String {
    match usize::try_from(d).ok().and_then(|i| WEEKDAYS.get(i)) {
        Some(n) => n.to_string(),
        None => format!("%!Weekday({d})"),
    }
}

/// Element type of a Go slice, for `%T`/`typeOf`/`%#v` (`[]interface {}`
/// vs `[]string`…), and the named slice types Helm uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SliceOf {
    /// `[]interface {}`
    Any,
    /// `[]string` (splitList, keys, sortAlpha…)
    String,
    /// `[]int` (until, untilStep)
    Int,
    /// `[]map[string]interface {}` (TOML arrays of tables from `fromToml`).
    Map,
    /// `[][]interface {}` (chunk)
    AnyList,
    /// `common.VersionSet`: a named `[]string` with a `Has` method
    /// (`.Capabilities.APIVersions`).
    VersionSet,
}

/// A Go slice type, and whether the slice is nil (a nil slice prints `[]`
/// but encodes as JSON `null` and `%#v` shows `(nil)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListType {
    pub of: SliceOf,
    pub nil: bool,
}

impl ListType {
    pub const ANY: ListType = ListType { of: SliceOf::Any, nil: false };
    pub const STRING: ListType = ListType { of: SliceOf::String, nil: false };
    pub const INT: ListType = ListType { of: SliceOf::Int, nil: false };
    pub const MAP: ListType = ListType { of: SliceOf::Map, nil: false };
    pub const ANY_LIST: ListType = ListType { of: SliceOf::AnyList, nil: false };
    pub const VERSION_SET: ListType = ListType { of: SliceOf::VersionSet, nil: false };

    /// The nil slice of this type.
    pub fn nil(self) -> ListType {
        ListType { nil: true, ..self }
    }

    /// The same type, not nil (a slice of it that has elements).
    pub fn non_nil(self) -> ListType {
        ListType { nil: false, ..self }
    }

    pub fn go_name(self) -> &'static str {
        match self.of {
            SliceOf::Any => "[]interface {}",
            SliceOf::String => "[]string",
            SliceOf::Int => "[]int",
            SliceOf::Map => "[]map[string]interface {}",
            SliceOf::AnyList => "[][]interface {}",
            SliceOf::VersionSet => "common.VersionSet",
        }
    }

    /// Whether elements are `interface{}` slots (nil prints `<nil>`,
    /// `%#v` shows each element's own type).
    pub fn elem_is_interface(self) -> bool {
        self.of == SliceOf::Any
    }

    /// Whether a value of this type may be passed where Go wants `[]string`.
    pub fn is_string_slice(self) -> bool {
        matches!(self.of, SliceOf::String | SliceOf::VersionSet)
    }
}

/// Value type of a Go map with string keys, and the named map types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapOf {
    /// `map[string]interface {}`
    Any,
    /// `map[string]string` (split, splitn)
    String,
    /// `common.Values`: Helm's named `map[string]interface {}` (`.Values`,
    /// `.Template`).
    Values,
}

/// A Go map type, and whether the map is nil (`fromJson "null"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MapType {
    pub of: MapOf,
    pub nil: bool,
}

impl MapType {
    pub const ANY: MapType = MapType { of: MapOf::Any, nil: false };
    pub const STRING: MapType = MapType { of: MapOf::String, nil: false };
    pub const VALUES: MapType = MapType { of: MapOf::Values, nil: false };

    pub fn go_name(self) -> &'static str {
        match self.of {
            MapOf::Any => "map[string]interface {}",
            MapOf::String => "map[string]string",
            MapOf::Values => "common.Values",
        }
    }

    /// Whether values are `interface{}` slots.
    pub fn elem_is_interface(self) -> bool {
        self.of != MapOf::String
    }

    /// Whether Go may pass it as a `map[string]interface {}` parameter
    /// (a named type with that underlying type is assignable).
    pub fn is_any_map(self) -> bool {
        self.of != MapOf::String
    }
}

#[derive(Clone, Default)]
pub enum Value {
    /// Go's untyped nil interface (`<nil>`; missing values are nil too).
    #[default]
    Nil,
    Bool(bool),
    Int(i64, IntType),
    Uint(u64),
    Float(f64),
    String(Rc<str>),
    /// `[]byte` (`.Files.GetBytes`); prints like a list of numbers.
    Bytes(Rc<[u8]>),
    List(ListRef, ListType),
    Map(MapRef, MapType),
    Object(Rc<dyn Object>),
}

/// A typed Go value with fields and methods: `.Capabilities`, `.Files`,
/// `*semver.Version`, `time.Time`…
// `len` answers "is this a Go map or slice, and how long", so an `is_empty`
// beside it would say nothing `len() == Some(0)` does not.
#[allow(clippy::len_without_is_empty)]
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
    /// Why text/template cannot call method `name` (several results), if so.
    fn bad_signature(&self, _name: &str) -> Option<String> {
        None
    }
    /// The Go parameter types of method `name`, when known: the executor
    /// then converts and checks arguments as Go does before the call.
    fn method_params(&self, _name: &str) -> Option<&'static [crate::template::Ty]> {
        None
    }
    /// Calls method `name` with arguments.
    fn call_method(&self, name: &str, _args: &[Value]) -> Result<Value, Error> {
        Err(go_err!("can't call method/function {name:?} with arguments"))
    }
    /// Go `%v` rendering: the `String()` method when the type has one
    /// (template output always finds it), else the struct's `%v`.
    fn format_v(&self) -> String;
    /// Whether `fmt` (printf, print, toString) sees a `String()` method on
    /// the value as functions receive it. A pointer-receiver method on a
    /// struct value (common.KubeVersion) is seen by template output, which
    /// takes the field's address, but not by fmt.
    fn fmt_stringer(&self) -> bool {
        true
    }
    /// reflect.DeepEqual with another object of the same Go type (struct
    /// fields, or the fields behind two pointers).
    fn deep_equal(&self, _other: &dyn Object) -> bool {
        false
    }
    /// What copystructure (Sprig's `deepCopy`) makes of it: `None` keeps
    /// the value (time.Time has a copier); unexported fields come out zero.
    fn deep_copy(&self) -> Option<Value> {
        None
    }
    /// Whether the Go value is a pointer to the struct (fmt prints `&{…}`
    /// at the top level).
    fn fmt_pointer(&self) -> bool {
        false
    }
    /// A `GoString()` method (`%#v`), e.g. time.Time's `time.Date(…)`.
    fn go_string(&self) -> Option<String> {
        None
    }
    /// The struct's fields in declaration order, as fmt prints a struct
    /// that has no String method (`{a b}`, `%+v` `{A:a B:b}`, `%#v`).
    fn fmt_fields(&self) -> Option<Vec<(&'static str, Value)>> {
        None
    }
    /// Truthiness for `if`/`with` (Go: non-nil pointer/struct is true).
    fn truthy(&self) -> bool {
        true
    }
    /// `len`, for objects that are really Go maps or slices.
    fn len(&self) -> Option<usize> {
        None
    }
    /// `index OBJ KEY` on an object that is a Go map (engine.files): the
    /// element, or the element type's zero value when the key is missing.
    fn map_index(&self, key: &str) -> Option<Value> {
        match self.to_data() {
            Some(Value::Map(m, _)) => Some(m.borrow().get(key).cloned().unwrap_or(Value::Nil)),
            _ => None,
        }
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
            Value::Map(m, _) => f.debug_map().entries(m.borrow().iter()).finish(),
            Value::Object(o) => write!(f, "Object({})", o.type_name()),
        }
    }
}

impl Value {
    pub fn str(s: &str) -> Value {
        match crate::gostring::canonical(s) {
            std::borrow::Cow::Borrowed(s) => Value::String(Rc::from(s)),
            std::borrow::Cow::Owned(s) => Value::String(Rc::from(s)),
        }
    }
    pub fn string(s: String) -> Value {
        match crate::gostring::canonical(&s) {
            std::borrow::Cow::Borrowed(_) => Value::String(Rc::from(s)),
            std::borrow::Cow::Owned(s) => Value::String(Rc::from(s)),
        }
    }
    pub fn int(i: i64) -> Value {
        Value::Int(i, IntType::Int)
    }
    pub fn int64(i: i64) -> Value {
        Value::Int(i, IntType::Int64)
    }
    pub fn list(v: Vec<Value>) -> Value {
        Value::List(new_list(v), ListType::ANY)
    }
    pub fn string_list(v: Vec<Value>) -> Value {
        Value::List(new_list(v), ListType::STRING)
    }
    /// A slice of the given type.
    pub fn typed_list(v: Vec<Value>, t: ListType) -> Value {
        Value::List(new_list(v), t)
    }
    pub fn map(m: Map) -> Value {
        Value::Map(new_map(m), MapType::ANY)
    }
    /// A map of the given type.
    pub fn typed_map(m: Map, t: MapType) -> Value {
        Value::Map(new_map(m), t)
    }
    /// A map[string]interface{} sharing `m` (Go maps are references).
    pub fn map_ref(m: MapRef) -> Value {
        Value::Map(m, MapType::ANY)
    }
    pub fn empty_map() -> Value {
        Value::map(Map::new())
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// Go's nil test on the dynamic value: the nil interface, or a nil map
    /// or slice of some type (reflect's IsNil).
    pub fn is_go_nil(&self) -> bool {
        match self {
            Value::Nil => true,
            Value::List(_, t) => t.nil,
            Value::Map(_, t) => t.nil,
            _ => false,
        }
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
            Value::List(_, t) => t.go_name().into(),
            Value::Map(_, t) => t.go_name().into(),
            Value::Object(o) => o.type_name(),
        }
    }

    /// Go's reflect.Kind name (Sprig `kindOf`).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Nil => "invalid",
            Value::Bool(_) => "bool",
            Value::Int(_, t) => t.kind_name(),
            Value::Uint(_) => "uint64",
            Value::Float(_) => "float64",
            Value::String(_) => "string",
            Value::Bytes(_) | Value::List(..) => "slice",
            Value::Map(..) => "map",
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
            Value::Map(m, _) => !m.borrow().is_empty(),
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
    fn write_go(&self, out: &mut String, top: bool) {
        match self {
            Value::Nil => out.push_str("<nil>"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i, t) => match t.stringer(*i) {
                Some(s) => out.push_str(&s),
                None => out.push_str(&i.to_string()),
            },
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
            Value::Map(m, _) => {
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
            // fmt's printValue below the top level: a pointer to a struct
            // without a String method prints as its address (Helm's
            // `{{ . }}` shows `Capabilities:0xc000…`), as printf.rs does.
            Value::Object(o) if !top && !o.fmt_stringer() && o.fmt_pointer() && o.fmt_fields().is_some() => {
                out.push_str(&format!("{:#x}", Rc::as_ptr(o) as *const u8 as usize));
            }
            Value::Object(o) => out.push_str(&o.format_v()),
        }
    }

    /// Deep copy of plain data (Sprig `deepCopy`, values coalescing); the
    /// copy keeps the Go type (copystructure does).
    pub fn deep_copy(&self) -> Value {
        match self {
            Value::List(l, t) => Value::List(new_list(l.borrow().iter().map(Value::deep_copy).collect()), *t),
            Value::Map(m, t) => {
                Value::typed_map(m.borrow().iter().map(|(k, v)| (k.clone(), v.deep_copy())).collect(), *t)
            }
            Value::Object(o) => o.deep_copy().unwrap_or_else(|| self.clone()),
            other => other.clone(),
        }
    }

    /// Looks up `key` in a map value.
    pub fn get(&self, key: &str) -> Option<Value> {
        match self {
            Value::Map(m, _) => m.borrow().get(key).cloned(),
            _ => None,
        }
    }

    /// A method of a named non-struct type (`common.VersionSet.Has`,
    /// `time.Month.String`, `time.Duration.Hours`…): `None` when the type
    /// has no method `name`.
    pub fn method(&self, name: &str, args: &[Value]) -> Option<Result<Value, Error>> {
        match self {
            Value::List(l, t) if t.of == SliceOf::VersionSet && name == "Has" => Some(match args {
                [Value::String(s)] => Ok(Value::Bool(l.borrow().iter().any(|v| v.as_str() == Some(s)))),
                [other] => Err(go_err!("wrong type for value; expected string; got {}", other.type_name())),
                _ => Err(go_err!("wrong number of args for Has: want 1 got {}", args.len())),
            }),
            Value::Int(i, t) => int_method(*i, *t, name, args),
            Value::Map(m, t) if t.of == MapOf::Values => values_method(m, name, args),
            _ => None,
        }
    }

    /// The Go parameter types of [`Value::method`] `name`.
    pub fn method_params(&self, name: &str) -> Option<&'static [crate::template::Ty]> {
        use crate::template::Ty;
        match (self, name) {
            (Value::List(..), "Has") => Some(&[Ty::String]),
            (Value::Int(_, IntType::Duration), "Round" | "Truncate") => Some(&[Ty::Duration]),
            (Value::Int(..), _) => Some(&[]),
            (Value::Map(..), "Table" | "PathValue") => Some(&[Ty::String]),
            (Value::Map(..), "Encode") => Some(&[Ty::Any]),
            (Value::Map(..), _) => Some(&[]),
            _ => None,
        }
    }

    /// Whether `method` would find `name` (so `.Name` calls it).
    pub fn has_method(&self, name: &str) -> bool {
        match self {
            Value::List(_, t) => t.of == SliceOf::VersionSet && name == "Has",
            Value::Int(i, t) => int_method(*i, *t, name, &[]).is_some(),
            // common.Values's methods shadow keys of the same name.
            Value::Map(_, t) => {
                t.of == MapOf::Values && matches!(name, "YAML" | "AsMap" | "Table" | "PathValue" | "Encode")
            }
            _ => false,
        }
    }
}

/// Methods of the named integer types (time.Month, time.Weekday,
/// time.Duration). Argument errors use text/template's wording.
fn int_method(i: i64, t: IntType, name: &str, args: &[Value]) -> Option<Result<Value, Error>> {
    use crate::sprig::date::{duration_round_to, duration_truncate};
    let want = |n: usize| -> Result<(), Error> {
        if args.len() == n {
            Ok(())
        } else {
            Err(go_err!("wrong number of args for {name}: want {n} got {}", args.len()))
        }
    };
    let dur_arg = || -> Result<i64, Error> {
        want(1)?;
        match &args[0] {
            Value::Int(d, IntType::Duration) => Ok(*d),
            other => Err(go_err!("wrong type for value; expected time.Duration; got {}", other.type_name())),
        }
    };
    let r = match (t, name) {
        (IntType::Month | IntType::Weekday | IntType::Duration, "String") => {
            want(0).map(|_| Value::string(t.stringer(i).unwrap_or_default()))
        }
        (IntType::Duration, "Hours") => want(0).map(|_| Value::Float(duration_float(i, 3_600_000_000_000))),
        (IntType::Duration, "Minutes") => want(0).map(|_| Value::Float(duration_float(i, 60_000_000_000))),
        (IntType::Duration, "Seconds") => want(0).map(|_| Value::Float(duration_float(i, 1_000_000_000))),
        (IntType::Duration, "Milliseconds") => want(0).map(|_| Value::int64(i / 1_000_000)),
        (IntType::Duration, "Microseconds") => want(0).map(|_| Value::int64(i / 1_000)),
        (IntType::Duration, "Nanoseconds") => want(0).map(|_| Value::int64(i)),
        (IntType::Duration, "Abs") => want(0).map(|_| {
            Value::Int(
                if i >= 0 {
                    i
                } else if i == i64::MIN {
                    i64::MAX
                } else {
                    -i
                },
                IntType::Duration,
            )
        }),
        (IntType::Duration, "Round") => dur_arg().map(|m| Value::Int(duration_round_to(i, m), IntType::Duration)),
        (IntType::Duration, "Truncate") => dur_arg().map(|m| Value::Int(duration_truncate(i, m), IntType::Duration)),
        _ => return None,
    };
    Some(r)
}

/// Methods of Helm's `common.Values` (pkg/chart/common/values.go).
fn values_method(m: &MapRef, name: &str, args: &[Value]) -> Option<Result<Value, Error>> {
    let arg = || args.first().and_then(Value::as_str).unwrap_or("").to_string();
    // `Table`: each dotted segment must name a map.
    let table = |path: &str| -> Result<MapRef, Error> {
        let mut t = m.clone();
        for seg in path.split('.') {
            let next = match t.borrow().get(seg) {
                Some(Value::Map(n, mt)) if mt.of != MapOf::String => n.clone(),
                _ => return Err(go_err!("{} is not a table", strconv::quote(seg))),
            };
            t = next;
        }
        Ok(t)
    };
    let not_value = |k: &str| format!("{} is not a value", strconv::quote(k));
    let is_table = |v: &Value| matches!(v, Value::Map(_, t) if t.of != MapOf::String);
    Some(match name {
        "YAML" => crate::yaml::marshal(&Value::Map(m.clone(), MapType::VALUES)).map(Value::string),
        "AsMap" => Ok(Value::Map(m.clone(), MapType::ANY)),
        "Table" => table(&arg()).map(|t| Value::Map(t, MapType::VALUES)),
        "PathValue" => {
            let path = arg();
            if path.is_empty() {
                return Some(Err("YAML path cannot be empty".into()));
            }
            let (parent, key) = match path.rsplit_once('.') {
                Some((p, k)) => (Some(p), k),
                None => (None, path.as_str()),
            };
            let t = match parent {
                None => Ok(m.clone()),
                Some(p) => table(p),
            };
            match t {
                Ok(t) => match t.borrow().get(key) {
                    Some(v) if !is_table(v) => Ok(v.clone()),
                    _ => Err(Error::go(not_value(key))),
                },
                Err(_) => Err(Error::go(not_value(key))),
            }
        }
        "Encode" => Err(go_err!(
            "wrong type for value; expected io.Writer; got {}",
            args.first().map(Value::type_name).unwrap_or_default()
        )),
        _ => return None,
    })
}

/// Go's `Duration.Hours()` etc.: whole units plus the fraction, as Go
/// computes them (`hour + nsec/(60*60*1e9)`).
fn duration_float(d: i64, unit: i64) -> f64 {
    let whole = d / unit;
    let frac = d % unit;
    whole as f64 + frac as f64 / unit as f64
}

/// Structural equality of plain data (Go's reflect.DeepEqual on JSON-like
/// data): the types must be identical too.
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
            (Value::List(a, ta), Value::List(b, tb)) => {
                ta.of == tb.of && ta.nil == tb.nil && (Rc::ptr_eq(a, b) || *a.borrow() == *b.borrow())
            }
            (Value::Map(a, ta), Value::Map(b, tb)) => {
                ta.of == tb.of && ta.nil == tb.nil && (Rc::ptr_eq(a, b) || *a.borrow() == *b.borrow())
            }
            (Value::Object(a), Value::Object(b)) => {
                Rc::ptr_eq(a, b) || (a.type_name() == b.type_name() && a.deep_equal(b.as_ref()))
            }
            _ => false,
        }
    }
}

impl Value {
    /// Go's `==` on two values of the same non-basic type, as template `eq`
    /// applies it: structs compare field by field, pointers by address.
    pub fn go_identical(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Object(a), Value::Object(b)) => {
                Rc::ptr_eq(a, b) || (a.kind() == "struct" && a.type_name() == b.type_name() && a.deep_equal(b.as_ref()))
            }
            _ => self == other,
        }
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
        if let Value::Map(r, _) = &alias {
            r.borrow_mut().insert("k".into(), Value::Bool(true));
        }
        assert_eq!(m.get("k"), Some(Value::Bool(true)));
    }
}
