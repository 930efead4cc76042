//! Sprig v3.3.0 functions as Helm v4.2.3 vendors them (minus `env`/`expandenv`,
//! which Helm deletes, and minus the JSON/YAML/`fail` functions that the Helm
//! layer owns).
//!
//! Modules are named after Sprig's source files. Every function is registered
//! with its Go signature: the executor converts arguments to those types before
//! the call, so bodies can rely on e.g. a `Ty::Int` argument being a
//! `Value::Int`. Go panics inside a function are recovered by text/template and
//! reported as `error calling NAME: <panic text>`, so the bodies return the
//! panic text as an error.

pub mod cast;
pub mod certs;
pub mod crypto;
pub mod date;
pub mod defaults;
pub mod dict;
pub mod list;
mod memo;
pub mod network;
pub mod numeric;
pub mod ondemand;
pub mod reflect;
pub mod regex;
pub mod regexp;
pub mod semver;
pub mod strings;
pub mod url;
pub mod xstrings;

use crate::error::{go_err, Error};
use crate::template::FuncMap;
use crate::value::{IntType, Value};

/// Registers every Sprig function Helm keeps into `map`.
pub fn register(map: &mut FuncMap) {
    strings::register(map);
    numeric::register(map);
    list::register(map);
    dict::register(map);
    defaults::register(map);
    reflect::register(map);
    regex::register(map);
    semver::register(map);
    crypto::register(map);
    #[cfg(feature = "crypto")]
    certs::register(map);
    #[cfg(not(feature = "crypto"))]
    {
        use crate::template::Ty::*;
        ondemand::register(
            map,
            &[
                ("genPrivateKey", &[String]),
                ("genCA", &[String, Int]),
                ("genCAWithKey", &[String, Int, String]),
                ("genSelfSignedCert", &[String, List, List, Int]),
                ("genSelfSignedCertWithKey", &[String, List, List, Int, String]),
                ("genSignedCert", &[String, List, List, Int, Any]),
                ("genSignedCertWithKey", &[String, List, List, Int, Any, String]),
                ("buildCustomCert", &[String, String]),
                ("encryptAES", &[String, String]),
                ("decryptAES", &[String, String]),
                ("bcrypt", &[String]),
                ("htpasswd", &[String, String]),
                ("derivePassword", &[Uint32, String, String, String, String]),
            ],
        );
    }
    date::register(map);
    url::register(map);
    network::register(map);
}

/// Go's runtime panic text for `reflect.TypeOf(nil).Kind()` and friends.
pub(crate) const NIL_DEREF: &str = "runtime error: invalid memory address or nil pointer dereference";

/// Argument `i`, or nil when the call supplied fewer (never panics).
pub(crate) fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Nil)
}

/// A `string` parameter (the executor already converted it).
pub(crate) fn arg_str(args: &[Value], i: usize) -> String {
    match args.get(i) {
        Some(Value::String(s)) => s.to_string(),
        Some(v) if !v.is_nil() => v.to_go_string(),
        _ => String::new(),
    }
}

/// An `int`/`int64` parameter (the executor already converted it).
pub(crate) fn arg_int(args: &[Value], i: usize) -> i64 {
    match args.get(i) {
        Some(Value::Int(n, _)) => *n,
        Some(Value::Uint(n)) => *n as i64,
        Some(Value::Float(f)) => cast::f64_to_i64(*f),
        _ => 0,
    }
}

/// A `bool` parameter.
pub(crate) fn arg_bool(args: &[Value], i: usize) -> bool {
    matches!(args.get(i), Some(Value::Bool(true)))
}

/// Sprig's `strval`: strings and byte slices as text, Stringers via their
/// String method, everything else `%v`.
pub(crate) fn strval(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Bytes(b) => crate::gostring::from_bytes(b),
        // fmt's view (a struct value's pointer-receiver String is not seen).
        Value::Object(_) => crate::gofmt::printf::sprint(std::slice::from_ref(v)),
        other => other.to_go_string(),
    }
}

/// Sprig's `empty` (adapted from text/template's isTrue): zero numbers, "",
/// false, nil and empty slices/maps are empty; structs and non-nil pointers
/// are not.
pub(crate) fn empty(v: &Value) -> bool {
    match v {
        Value::Object(o) => o.len().map(|n| n == 0).unwrap_or(false),
        other => !other.truthy(),
    }
}

/// Elements of a Go slice/array value, for Sprig's reflection-based list
/// functions; `None` for anything that is not a slice.
pub(crate) fn slice_items(v: &Value) -> Option<Vec<Value>> {
    match v {
        Value::List(l, _) => Some(l.borrow().clone()),
        Value::Bytes(b) => Some(b.iter().map(|x| Value::Int(i64::from(*x), IntType::Uint8)).collect()),
        _ => None,
    }
}

/// Like [`slice_items`], but with Sprig's error for non-slices
/// (`Cannot push on type map`) and Go's nil-dereference panic for nil.
pub(crate) fn slice_items_or(v: &Value, what: &str) -> Result<Vec<Value>, Error> {
    match slice_items(v) {
        Some(items) => Ok(items),
        None if v.is_nil() => Err(Error::go(NIL_DEREF.to_string())),
        None => Err(go_err!("{what} {}", v.kind_name())),
    }
}

/// A Go `[]string` result.
pub(crate) fn string_list(items: Vec<String>) -> Value {
    Value::string_list(items.into_iter().map(Value::string).collect())
}

/// Go's `unicode.IsSpace`.
pub(crate) fn is_go_space(c: char) -> bool {
    c.is_whitespace()
}

/// Helm's `IsCompatibleRange(constraint, version)`: whether `version`
/// satisfies the Masterminds semver `constraint`; false when either does not
/// parse. Used for Chart.yaml's kubeVersion and dependency versions.
pub(crate) fn semver_constraint_check(constraint: &str, version: &str) -> bool {
    let v = match semver::Version::parse(version) {
        Ok(v) => v,
        Err(_) => return false,
    };
    match semver::Constraints::parse(constraint) {
        Ok(c) => c.check(&v),
        Err(_) => false,
    }
}
