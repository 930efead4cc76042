//! Kubernetes structural schemas: compiled from the JSON-Schema subset that
//! both the per-version bundles (scripts/kube_schemas.py) and a CRD's
//! `openAPIV3Schema` use, and checked against a decoded document.
//!
//! Semantics follow the API server rather than generic JSON Schema:
//! - null is accepted anywhere (the server treats it as unset);
//! - an object with `properties` rejects other fields (strict field
//!   validation) unless `x-kubernetes-preserve-unknown-fields`;
//! - `x-kubernetes-int-or-string` and `format: quantity` are their own
//!   types; numbers are JSON numbers (`1.0` is an integer, as YAML→JSON
//!   conversion prints it `1`).
//!
//! chart/schema.rs validates values.schema.json with the whole of JSON
//! Schema and reproduces the Go library's error tree; this walks compiled
//! nodes and reports Kubernetes field paths (`spec.containers[0].image`),
//! which is what a manifest's author needs and what keeps a 700 KB
//! manifest well under the page's time budget.

use crate::error::{Error, Kind};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use crate::sprig::regexp::Regex;
use crate::value::Value;

/// Index of a node in its arena.
pub(crate) type NodeId = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ty {
    Object,
    Array,
    String,
    Integer,
    Number,
    Boolean,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    None,
    Int32,
    Int64,
    Byte,
    Quantity,
    /// RFC 3339 (metav1.Time, MicroTime; a CRD's `date-time`).
    DateTime,
    /// A CRD's `date` (full-date, `2006-01-02`).
    Date,
}

#[derive(Clone, Debug)]
pub(crate) enum Extra {
    /// No `additionalProperties`: other fields are unknown (unless the
    /// node preserves unknown fields).
    Closed,
    /// A map: every other field's value has this schema.
    Schema(NodeId),
    /// `additionalProperties: true`.
    Any,
}

#[derive(Clone)]
pub(crate) struct Node {
    ty: Option<Ty>,
    props: BTreeMap<String, NodeId>,
    has_props: bool,
    required: Vec<String>,
    extra: Extra,
    items: Option<NodeId>,
    enum_: Vec<Value>,
    format: Format,
    int_or_string: bool,
    preserve_unknown: bool,
    /// `x-kubernetes-embedded-resource`: apiVersion, kind and metadata are
    /// implied.
    embedded: bool,
    all_of: Vec<NodeId>,
    any_of: Vec<NodeId>,
    one_of: Vec<NodeId>,
    /// `$ref` to another node (resolved after all definitions have ids).
    reference: Option<NodeId>,
    minimum: Option<f64>,
    maximum: Option<f64>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    /// The pattern, compiled on its first use: a chart's CRDs hold many
    /// that no document reaches, and compiling is most of their cost.
    pattern: Option<Rc<(String, std::cell::OnceCell<Option<Regex>>)>>,
}

impl Default for Node {
    fn default() -> Self {
        Node {
            ty: None,
            props: BTreeMap::new(),
            has_props: false,
            required: Vec::new(),
            extra: Extra::Closed,
            items: None,
            enum_: Vec::new(),
            format: Format::None,
            int_or_string: false,
            preserve_unknown: false,
            embedded: false,
            all_of: Vec::new(),
            any_of: Vec::new(),
            one_of: Vec::new(),
            reference: None,
            minimum: None,
            maximum: None,
            min_length: None,
            max_length: None,
            min_items: None,
            max_items: None,
            pattern: None,
        }
    }
}

/// Compiled nodes; definitions (bundle `defs`) are the first ids.
#[derive(Default)]
pub(crate) struct Arena {
    pub nodes: Vec<Node>,
    pub defs: HashMap<String, NodeId>,
}

/// Schemas nest this deep at most (a hostile CRD is refused, not recursed).
const MAX_SCHEMA_DEPTH: usize = 200;

fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Float(f) => Some(*f),
        Value::Int(i, _) => Some(*i as f64),
        Value::Uint(u) => Some(*u as f64),
        _ => None,
    }
}

impl Arena {
    /// Reserves ids for named definitions, then compiles each one.
    pub fn with_defs(defs: &Value) -> Result<Arena, Error> {
        let mut a = Arena::default();
        let Value::Map(m, _) = defs else { return Err(Error::new(Kind::Setup, "defs is not an object")) };
        let m = m.borrow();
        for name in m.keys() {
            let id = a.nodes.len() as NodeId;
            a.nodes.push(Node::default());
            a.defs.insert(name.clone(), id);
        }
        for (name, d) in m.iter() {
            let id = a.defs[name];
            let n = a.build(d, 0)?;
            a.nodes[id as usize] = n;
        }
        Ok(a)
    }

    /// Compiles a schema (a CRD's openAPIV3Schema) into a new node.
    pub fn add(&mut self, s: &Value) -> Result<NodeId, Error> {
        let n = self.build(s, 0)?;
        Ok(self.push(n))
    }

    /// Makes a CRD version's root node a resource: apiVersion, kind and
    /// metadata are the server's (metadata is checked as ObjectMeta, not
    /// by the CRD, whose metadata schema the server ignores).
    pub(crate) fn mark_resource_root(&mut self, id: NodeId) {
        let n = &mut self.nodes[id as usize];
        n.embedded = true;
        n.props.remove("metadata");
    }

    fn push(&mut self, n: Node) -> NodeId {
        self.nodes.push(n);
        (self.nodes.len() - 1) as NodeId
    }

    fn child(&mut self, s: &Value, depth: usize) -> Result<NodeId, Error> {
        let n = self.build(s, depth + 1)?;
        Ok(self.push(n))
    }

    fn build(&mut self, s: &Value, depth: usize) -> Result<Node, Error> {
        if depth > MAX_SCHEMA_DEPTH {
            return Err(Error::new(Kind::Setup, format!("schema nested deeper than {MAX_SCHEMA_DEPTH} levels")));
        }
        let mut n = Node::default();
        let m = match s {
            Value::Map(m, _) => m.borrow(),
            // `true`/`false` schemas (JSONSchemaPropsOrBool): anything.
            _ => {
                n.preserve_unknown = true;
                return Ok(n);
            }
        };
        for (k, v) in m.iter() {
            match k.as_str() {
                "$ref" => {
                    let name = v.as_str().unwrap_or_default();
                    let name = name.rsplit('/').next().unwrap_or(name);
                    n.reference = Some(
                        *self
                            .defs
                            .get(name)
                            .ok_or_else(|| Error::new(Kind::Setup, format!("unknown schema reference {name:?}")))?,
                    );
                }
                "type" => {
                    n.ty = match v.as_str() {
                        Some("object") => Some(Ty::Object),
                        Some("array") => Some(Ty::Array),
                        Some("string") => Some(Ty::String),
                        Some("integer") => Some(Ty::Integer),
                        Some("number") => Some(Ty::Number),
                        Some("boolean") => Some(Ty::Boolean),
                        _ => None,
                    }
                }
                "properties" => {
                    if let Value::Map(p, _) = v {
                        n.has_props = true;
                        for (pk, pv) in p.borrow().iter() {
                            let id = self.child(pv, depth)?;
                            n.props.insert(pk.clone(), id);
                        }
                    }
                }
                "required" => {
                    if let Value::List(l, _) = v {
                        n.required = l.borrow().iter().filter_map(|x| x.as_str().map(str::to_string)).collect();
                    }
                }
                "additionalProperties" => {
                    n.extra = match v {
                        Value::Bool(true) => Extra::Any,
                        Value::Bool(false) => Extra::Closed,
                        _ => Extra::Schema(self.child(v, depth)?),
                    }
                }
                "items" => n.items = Some(self.child(v, depth)?),
                "enum" => {
                    if let Value::List(l, _) = v {
                        n.enum_ = l.borrow().clone();
                    }
                }
                "format" => {
                    n.format = match v.as_str() {
                        Some("int32") => Format::Int32,
                        Some("int64") => Format::Int64,
                        Some("byte") => Format::Byte,
                        Some("quantity") => Format::Quantity,
                        Some("date-time") => Format::DateTime,
                        Some("date") => Format::Date,
                        _ => Format::None,
                    }
                }
                "x-kubernetes-int-or-string" => n.int_or_string = matches!(v, Value::Bool(true)),
                "x-kubernetes-preserve-unknown-fields" => n.preserve_unknown = matches!(v, Value::Bool(true)),
                "x-kubernetes-embedded-resource" => n.embedded = matches!(v, Value::Bool(true)),
                "allOf" | "anyOf" | "oneOf" => {
                    if let Value::List(l, _) = v {
                        let mut ids = Vec::new();
                        for x in l.borrow().iter() {
                            ids.push(self.child(x, depth)?);
                        }
                        match k.as_str() {
                            "allOf" => n.all_of = ids,
                            "anyOf" => n.any_of = ids,
                            _ => n.one_of = ids,
                        }
                    }
                }
                "minimum" => n.minimum = num(v),
                "maximum" => n.maximum = num(v),
                "minLength" => n.min_length = num(v).map(|f| f as usize),
                "maxLength" => n.max_length = num(v).map(|f| f as usize),
                "minItems" => n.min_items = num(v).map(|f| f as usize),
                "maxItems" => n.max_items = num(v).map(|f| f as usize),
                "pattern" => {
                    // A pattern Go's regexp cannot compile is not checked
                    // (the API server uses its own regex engine).
                    n.pattern = v.as_str().map(|p| Rc::new((p.to_string(), std::cell::OnceCell::new())));
                }
                _ => {}
            }
        }
        Ok(n)
    }
}

/// One problem the validator found in a document: the field path and what
/// is wrong. A finding, not an error: the render succeeded, and the page
/// lists the findings next to it (as `helm lint` does its own).
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// `spec.template.spec.containers[0].image`; empty for the document.
    pub path: String,
    pub message: String,
    /// The manifest line the field is on (1-based), when found.
    pub line: Option<usize>,
}

/// The JSON type name of a decoded YAML value, as an error names it.
fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Nil => "null",
        Value::Bool(_) => "boolean",
        Value::Int(..) | Value::Uint(_) => "integer",
        Value::Float(f) if f.fract() == 0.0 && f.is_finite() => "integer",
        Value::Float(_) => "number",
        Value::String(_) | Value::Bytes(_) => "string",
        Value::List(..) => "array",
        Value::Map(..) => "object",
        Value::Object(_) => "object",
    }
}

fn ty_name(t: Ty) -> &'static str {
    match t {
        Ty::Object => "object",
        Ty::Array => "array",
        Ty::String => "string",
        Ty::Integer => "integer",
        Ty::Number => "number",
        Ty::Boolean => "boolean",
    }
}

fn has_type(v: &Value, t: Ty) -> bool {
    match t {
        Ty::Object => matches!(v, Value::Map(..)),
        Ty::Array => matches!(v, Value::List(..)),
        Ty::String => matches!(v, Value::String(_)),
        Ty::Integer => type_name(v) == "integer",
        Ty::Number => matches!(v, Value::Float(_) | Value::Int(..) | Value::Uint(_)),
        Ty::Boolean => matches!(v, Value::Bool(_)),
    }
}

/// resource.ParseQuantity's grammar: a signed decimal number, then a
/// binary-SI suffix (Ki…Ei), a decimal-SI suffix (n u m k M G T P E) or a
/// decimal exponent (e3, E-2).
pub(crate) fn is_quantity(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let start = i;
    let mut digits = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
        digits += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
            digits += 1;
        }
    }
    if digits == 0 || i == start {
        return false;
    }
    let suffix = &s[i..];
    match suffix {
        "" | "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" | "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E" => true,
        _ => {
            let r = suffix.as_bytes();
            if r[0] != b'e' && r[0] != b'E' {
                return false;
            }
            let mut j = 1;
            if j < r.len() && (r[j] == b'+' || r[j] == b'-') {
                j += 1;
            }
            j < r.len() && r[j..].iter().all(u8::is_ascii_digit)
        }
    }
}

/// A `date-time` string. Built-in fields are metav1.Time/MicroTime, whose
/// UnmarshalJSON is `time.Parse(time.RFC3339, s)` (a fraction after the
/// seconds is accepted, as Go's Parse does). A CRD's `date-time` is
/// checked by the format registry of kube-openapi (strfmt's IsDateTime):
/// lower-cased, split at `t`, a full date, then `hh:mm:ss`, an optional
/// fraction and `z` or `±hh:mm`.
pub(crate) fn is_date_time(s: &str, crd: bool) -> bool {
    if !crd {
        return crate::sprig::date::parse_layout("2006-01-02T15:04:05Z07:00", s).is_ok();
    }
    let lower = s.to_ascii_lowercase();
    let mut parts = lower.split('t');
    let (Some(date), Some(time)) = (parts.next(), parts.next()) else { return false };
    if s.len() < 4 || crate::sprig::date::parse_layout("2006-01-02", date).is_err() {
        return false;
    }
    let b = time.as_bytes();
    let two = |i: usize, max: u32| {
        b.len() >= i + 2
            && b[i].is_ascii_digit()
            && b[i + 1].is_ascii_digit()
            && u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0') <= max
    };
    if !(two(0, 23) && b.get(2) == Some(&b':') && two(3, 59) && b.get(5) == Some(&b':') && two(6, 59)) {
        return false;
    }
    let mut i = 8;
    // `(.[0-9]+)?`: the regexp's `.` is any character.
    if b.len() > i + 1 && b[i] != b'z' && b[i] != b'+' && b[i] != b'-' {
        i += 1;
        let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        i += digits;
    }
    match &b[i.min(b.len())..] {
        [b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// encoding/base64's StdEncoding (padded), ignoring `\r` and `\n` as Go does.
fn is_base64(s: &str) -> bool {
    let b: Vec<u8> = s.bytes().filter(|c| *c != b'\r' && *c != b'\n').collect();
    if !b.len().is_multiple_of(4) {
        return false;
    }
    let pad = b.iter().rev().take_while(|c| **c == b'=').count();
    if pad > 2 {
        return false;
    }
    b[..b.len() - pad].iter().all(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
}

fn quote(s: &str) -> String {
    crate::gofmt::strconv::quote(s)
}

fn show_value(v: &Value) -> String {
    match v {
        Value::String(s) => quote(s),
        Value::Nil => "null".into(),
        _ => crate::json::to_json(v).unwrap_or_else(|_| "?".into()),
    }
}

fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Nil, Value::Nil) => true,
        _ => match (num(a), num(b)) {
            (Some(x), Some(y)) => x == y,
            _ => crate::json::to_json(a).ok() == crate::json::to_json(b).ok() && crate::json::to_json(a).is_ok(),
        },
    }
}

/// Field path segment for a struct field (`.name`) — map keys and list
/// indexes are bracketed, as Kubernetes' field.Path prints them.
fn push_field(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// Documents nest this deep at most before validation stops descending.
const MAX_VALUE_DEPTH: usize = 500;

pub(crate) struct Validator<'a> {
    pub arenas: [&'a Arena; 3],
    pub errors: Vec<Finding>,
    /// Schema nodes visited for this document so far: nested anyOf/oneOf
    /// in a hostile CRD could otherwise take exponential time.
    pub steps: &'a std::cell::Cell<u64>,
}

/// Nodes one document may visit before its check stops.
pub(crate) const MAX_STEPS: u64 = 2_000_000;

/// A node in one of the arenas (0: the version bundle, 1: the chart's
/// crds/ files, 2: CRDs rendered in the manifest).
#[derive(Clone, Copy)]
pub(crate) struct At {
    pub arena: u8,
    pub id: NodeId,
}

impl<'a> Validator<'a> {
    fn node(&self, at: At) -> &'a Node {
        &self.arenas[at.arena as usize].nodes[at.id as usize]
    }

    fn err(&mut self, path: &str, message: String) {
        self.errors.push(Finding { path: path.to_string(), message, line: None });
    }

    /// Validates `v` at `path`; errors are appended.
    pub fn check(&mut self, at: At, v: &Value, path: &str, depth: usize) {
        if depth > MAX_VALUE_DEPTH {
            return;
        }
        let steps = self.steps.get() + 1;
        self.steps.set(steps);
        if steps == MAX_STEPS {
            self.err(path, "check stopped: the schema is too complex".into());
        }
        if steps >= MAX_STEPS {
            return;
        }
        let mut at = at;
        let mut hops = 0;
        while let Some(r) = self.node(at).reference {
            at = At { arena: at.arena, id: r };
            hops += 1;
            if hops > 64 {
                return;
            }
        }
        let n = self.node(at);
        if matches!(v, Value::Nil) {
            return;
        }
        if n.int_or_string {
            if !(matches!(v, Value::String(_)) || type_name(v) == "integer") {
                self.err(path, format!("expected integer or string, got {}", type_name(v)));
                return;
            }
        } else if n.format == Format::Quantity && n.ty.is_none() {
            match v {
                Value::String(s) => {
                    if !is_quantity(s) {
                        self.err(path, format!("invalid quantity {}", quote(s)));
                    }
                }
                Value::Float(_) | Value::Int(..) | Value::Uint(_) => {}
                _ => self.err(path, format!("expected quantity (string or number), got {}", type_name(v))),
            }
            return;
        } else if let Some(t) = n.ty {
            if !has_type(v, t) {
                self.err(path, format!("expected {}, got {}", ty_name(t), type_name(v)));
                return;
            }
        }
        // A built-in enum field set to "" is defaulted by the API server
        // before validation (imagePullPolicy, Service type, protocol…), or
        // means "any" (a toleration's effect): Kubernetes' enum lists omit it.
        let builtin_empty = at.arena == 0 && matches!(v, Value::String(s) if s.is_empty());
        if !n.enum_.is_empty() && !builtin_empty && !n.enum_.iter().any(|e| values_equal(e, v)) {
            let allowed: Vec<String> = n.enum_.iter().map(show_value).collect();
            self.err(path, format!("unsupported value {}: supported values: {}", show_value(v), allowed.join(", ")));
        }
        match n.format {
            Format::Int32 | Format::Int64 if n.ty == Some(Ty::Integer) => {
                if let Some(f) = num(v) {
                    let (lo, hi) = if n.format == Format::Int32 {
                        (i32::MIN as f64, i32::MAX as f64)
                    } else {
                        (i64::MIN as f64, i64::MAX as f64)
                    };
                    if f < lo || f > hi {
                        let name = if n.format == Format::Int32 { "int32" } else { "int64" };
                        self.err(path, format!("value {} out of {name} range", show_value(v)));
                    }
                }
            }
            Format::Byte => {
                if let Value::String(s) = v {
                    if !is_base64(s) {
                        self.err(path, "invalid base64 data".into());
                    }
                }
            }
            Format::Quantity => {
                if let Value::String(s) = v {
                    if !is_quantity(s) {
                        self.err(path, format!("invalid quantity {}", quote(s)));
                    }
                }
            }
            Format::DateTime => {
                if let Value::String(s) = v {
                    if !is_date_time(s, at.arena != 0) {
                        self.err(
                            path,
                            format!("invalid date-time {}: want RFC 3339, e.g. \"2006-01-02T15:04:05Z\"", quote(s)),
                        );
                    }
                }
            }
            Format::Date => {
                if let Value::String(s) = v {
                    if crate::sprig::date::parse_layout("2006-01-02", s).is_err() {
                        self.err(path, format!("invalid date {}: want \"2006-01-02\"", quote(s)));
                    }
                }
            }
            _ => {}
        }
        if let Some(f) = num(v) {
            if let Some(m) = n.minimum {
                if f < m {
                    self.err(path, format!("value {} is less than the minimum {}", show_value(v), m));
                }
            }
            if let Some(m) = n.maximum {
                if f > m {
                    self.err(path, format!("value {} is greater than the maximum {}", show_value(v), m));
                }
            }
        }
        if let Value::String(s) = v {
            let len = s.chars().count();
            if let Some(m) = n.min_length {
                if len < m {
                    self.err(path, format!("length {len} is less than the minimum length {m}"));
                }
            }
            if let Some(m) = n.max_length {
                if len > m {
                    self.err(path, format!("length {len} is greater than the maximum length {m}"));
                }
            }
            if let Some(p) = &n.pattern {
                if let Some(re) = p.1.get_or_init(|| crate::sprig::regex::compile(&p.0).ok()) {
                    if !re.is_match(s) {
                        self.err(path, format!("{} does not match the pattern {}", quote(s), quote(&p.0)));
                    }
                }
            }
        }
        for &c in &n.all_of {
            self.check(At { arena: at.arena, id: c }, v, path, depth + 1);
        }
        for (list, one) in [(&n.any_of, false), (&n.one_of, true)] {
            if list.is_empty() {
                continue;
            }
            let passing = list
                .iter()
                .filter(|&&c| {
                    let mut sub = Validator { arenas: self.arenas, errors: Vec::new(), steps: self.steps };
                    sub.check(At { arena: at.arena, id: c }, v, path, depth + 1);
                    sub.errors.is_empty()
                })
                .count();
            if passing == 0 {
                let kw = if one { "oneOf" } else { "anyOf" };
                self.err(path, format!("matches none of the {kw} schemas"));
            } else if one && passing > 1 {
                self.err(path, "matches more than one of the oneOf schemas".into());
            }
        }
        match v {
            Value::Map(m, _) => {
                let m = m.borrow();
                for r in &n.required {
                    if !m.contains_key(r) {
                        self.err(&push_field(path, r), "missing required field".into());
                    }
                }
                for (k, x) in m.iter() {
                    if let Some(&c) = n.props.get(k) {
                        self.check(At { arena: at.arena, id: c }, x, &push_field(path, k), depth + 1);
                        continue;
                    }
                    if n.embedded && matches!(k.as_str(), "apiVersion" | "kind" | "metadata") {
                        continue;
                    }
                    match n.extra {
                        Extra::Schema(c) => {
                            self.check(At { arena: at.arena, id: c }, x, &format!("{path}[{k}]"), depth + 1)
                        }
                        Extra::Any => {}
                        Extra::Closed => {
                            // A field a oneOf/anyOf/allOf branch declares is
                            // known (structural schemas list them at the
                            // top too; the bundles' are plain).
                            let declared = n
                                .all_of
                                .iter()
                                .chain(&n.any_of)
                                .chain(&n.one_of)
                                .any(|&c| self.node(At { arena: at.arena, id: c }).props.contains_key(k));
                            if !n.preserve_unknown && (n.has_props || n.ty == Some(Ty::Object)) && !declared {
                                self.err(&push_field(path, k), "unknown field".into());
                            }
                        }
                    }
                }
            }
            Value::List(l, _) => {
                let l = l.borrow();
                if let Some(m) = n.min_items {
                    if l.len() < m {
                        self.err(path, format!("{} items, fewer than the minimum {m}", l.len()));
                    }
                }
                if let Some(m) = n.max_items {
                    if l.len() > m {
                        self.err(path, format!("{} items, more than the maximum {m}", l.len()));
                    }
                }
                if let Some(c) = n.items {
                    for (i, x) in l.iter().enumerate() {
                        self.check(At { arena: at.arena, id: c }, x, &format!("{path}[{i}]"), depth + 1);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities() {
        for ok in ["1", "100m", "1.5Gi", "0.5", "-1", "+2k", "1e3", "2E-2", "128974848", ".5", "5."] {
            assert!(is_quantity(ok), "{ok}");
        }
        for bad in ["", "m", "1 cpu", "1GB", "1.2.3", "abc", "1e", "Gi", "1ki"] {
            assert!(!is_quantity(bad), "{bad}");
        }
    }

    #[test]
    fn date_times() {
        for ok in ["2026-01-02T15:04:05Z", "2026-01-02T15:04:05.123456Z", "2026-01-02T15:04:05+02:00"] {
            assert!(is_date_time(ok, false), "{ok}");
        }
        for bad in ["2026-01-02", "2026-01-02 15:04:05Z", "2026-13-02T15:04:05Z", "yesterday", "2026-01-02T15:04:05"] {
            assert!(!is_date_time(bad, false), "{bad}");
        }
        // A CRD's date-time (strfmt.IsDateTime): lower case is fine, a zone is not optional.
        assert!(is_date_time("2026-01-02t15:04:05.5z", true));
        assert!(is_date_time("2026-01-02T15:04:05+02:00", true));
        assert!(!is_date_time("2026-01-02T15:04:05", true));
        assert!(!is_date_time("2026-01-02T24:04:05Z", true));
    }

    #[test]
    fn base64() {
        assert!(is_base64("aGVsbG8="));
        assert!(is_base64(""));
        assert!(!is_base64("hello"));
        assert!(!is_base64("aGVsbG8"));
    }
}
