//! go-yaml v2 `decode.go` (node tree, anchors/aliases, `<<` merges, alias
//! limits) decoding into `interface{}`, then sigs.k8s.io/yaml's
//! `convertToJSONableObject` and the JSON round trip that Helm's values see.

use std::collections::HashMap;

use super::events::{Event, EventKind, Parser};
use super::resolve::{self, Scalar};
use super::YamlError;
use crate::gofmt::strconv;
use crate::value::{Map, Value};

/// Nesting limit. go-yaml's scanner stops at 10000 levels (max_flow_level /
/// max_indents, `exceeded max depth of 10000`); we stop at 1000 (same
/// message format) so that decoding, templates and encoding stay well
/// inside wasm's 1 MiB stack. Real charts nest a few dozen levels.
pub const MAX_DEPTH: usize = 1000;

enum NodeKind {
    Scalar {
        value: String,
        tag: String,
        implicit: bool,
    },
    Seq(Vec<usize>),
    Map(Vec<usize>),
    /// Alias with the node index it resolved to when parsed.
    Alias {
        name: String,
        target: usize,
    },
}

struct Node {
    kind: NodeKind,
    line: usize,
    col: usize,
}

/// One parsed document: a node arena and its root.
pub struct Document {
    nodes: Vec<Node>,
    root: usize,
}

/// Builds go-yaml's node tree from events, one document at a time.
pub struct DocParser {
    p: Parser,
    peeked: Option<Event>,
    started: bool,
    version_check: Option<YamlError>,
}

/// go-yaml accepts only `%YAML 1.1` ("found incompatible YAML document",
/// a parser error reported with its 0-based line); libyaml 0.2.5 also takes
/// 1.2 and fails differently on others, so the leading directives of the
/// stream are checked here.
/// go-yaml's reader checks every UTF-8 sequence (reader.go): text with
/// bytes that are not UTF-8 (crate::gostring) fails with its message for
/// the first bad sequence.
fn reader_utf8_error(src: &str) -> Option<YamlError> {
    let b = crate::gostring::to_bytes(src);
    if let std::borrow::Cow::Borrowed(_) = b {
        return None; // a Rust str is valid UTF-8
    }
    let mut i = 0;
    while i < b.len() {
        let o = b[i];
        let width = match o {
            _ if o & 0x80 == 0 => 1,
            _ if o & 0xE0 == 0xC0 => 2,
            _ if o & 0xF0 == 0xE0 => 3,
            _ if o & 0xF8 == 0xF0 => 4,
            _ => return Some(YamlError::new(0, 0, "yaml: invalid leading UTF-8 octet".into())),
        };
        if i + width > b.len() {
            return Some(YamlError::new(0, 0, "yaml: incomplete UTF-8 octet sequence".into()));
        }
        let mut value: u32 = u32::from(o) & [0x7F, 0x1F, 0x0F, 0x07][width - 1];
        for k in 1..width {
            let t = b[i + k];
            if t & 0xC0 != 0x80 {
                return Some(YamlError::new(0, 0, "yaml: invalid trailing UTF-8 octet".into()));
            }
            value = (value << 6) + u32::from(t & 0x3F);
        }
        let ok_len = match width {
            1 => true,
            2 => value >= 0x80,
            3 => value >= 0x800,
            _ => value >= 0x10000,
        };
        if !ok_len {
            return Some(YamlError::new(0, 0, "yaml: invalid length of a UTF-8 sequence".into()));
        }
        if (0xD800..=0xDFFF).contains(&value) || value > 0x10FFFF {
            return Some(YamlError::new(0, 0, "yaml: invalid Unicode character".into()));
        }
        i += width;
    }
    None
}

fn check_version_directive(src: &str) -> Option<YamlError> {
    for (n, line) in src.lines().enumerate() {
        let t = line.trim_start_matches('\u{feff}');
        if t.trim().is_empty() || t.starts_with('#') {
            continue;
        }
        let Some(rest) = t.strip_prefix("%YAML") else {
            if t.starts_with('%') {
                continue;
            }
            return None;
        };
        if !rest.starts_with([' ', '\t']) {
            return None;
        }
        let version = rest.split_whitespace().next().unwrap_or_default();
        let (major, minor) = version.split_once('.').unwrap_or((version, ""));
        let num = |s: &str| s.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty();
        if !num(major) || !num(minor) {
            return None; // libyaml reports the malformed directive itself
        }
        if major.trim_start_matches('0') == "1" && minor.trim_start_matches('0') == "1" {
            return None;
        }
        let msg = if n == 0 {
            "yaml: found incompatible YAML document".to_string()
        } else {
            format!("yaml: line {n}: found incompatible YAML document")
        };
        return Some(YamlError::new(n + 1, 1, msg));
    }
    None
}

impl DocParser {
    pub fn new(src: &str) -> DocParser {
        let version_check = check_version_directive(src).or_else(|| reader_utf8_error(src));
        DocParser { p: Parser::new(src), peeked: None, started: false, version_check }
    }

    fn take(&mut self) -> Result<Event, YamlError> {
        match self.peeked.take() {
            Some(e) => Ok(e),
            None => self.p.next(),
        }
    }

    /// The next document, `None` at the end of the stream (go-yaml's
    /// `parser.parse()` returning nil).
    pub fn next_document(&mut self) -> Result<Option<Document>, YamlError> {
        if !self.started {
            self.started = true;
            if let Some(err) = self.version_check.take() {
                return Err(err);
            }
            let e = self.take()?;
            if !matches!(e.kind, EventKind::StreamStart) {
                return Err(YamlError::new(e.line + 1, e.col + 1, "yaml: expected STREAM-START".into()));
            }
        }
        let e = self.take()?;
        match e.kind {
            EventKind::StreamEnd => {
                // Stay at the end: libyaml would report an error if asked again.
                self.peeked = Some(e);
                Ok(None)
            }
            EventKind::DocumentStart => {
                let mut b = Builder { nodes: Vec::new(), anchors: HashMap::new() };
                let root = b.node(self, 0)?;
                let end = self.take()?;
                if !matches!(end.kind, EventKind::DocumentEnd) {
                    return Err(YamlError::new(
                        end.line + 1,
                        end.col + 1,
                        "yaml: did not find expected <document end>".into(),
                    ));
                }
                Ok(Some(Document { nodes: b.nodes, root }))
            }
            _ => Err(YamlError::new(e.line + 1, e.col + 1, "yaml: unknown problem parsing YAML content".into())),
        }
    }
}

struct Builder {
    nodes: Vec<Node>,
    anchors: HashMap<String, usize>,
}

/// Work items for the iterative node builder (no recursion on user depth).
enum Open {
    Seq(usize),
    Map(usize),
}

impl Builder {
    fn push(&mut self, kind: NodeKind, line: usize, col: usize) -> usize {
        self.nodes.push(Node { kind, line, col });
        self.nodes.len() - 1
    }

    fn anchor(&mut self, anchor: Option<String>, idx: usize) {
        if let Some(a) = anchor {
            self.anchors.insert(a, idx);
        }
    }

    fn add_child(&mut self, parent: usize, child: usize) {
        match &mut self.nodes[parent].kind {
            NodeKind::Seq(c) | NodeKind::Map(c) => c.push(child),
            _ => {}
        }
    }

    /// Parses one node (with all its children) iteratively.
    fn node(&mut self, dp: &mut DocParser, _depth: usize) -> Result<usize, YamlError> {
        let mut stack: Vec<Open> = Vec::new();
        loop {
            let e = dp.take()?;
            let (line, col) = (e.line, e.col);
            let done: Option<usize> = match e.kind {
                EventKind::Scalar { anchor, tag, value, implicit } => {
                    let i = self.push(NodeKind::Scalar { value, tag, implicit }, line, col);
                    self.anchor(anchor, i);
                    Some(i)
                }
                EventKind::Alias { anchor } => {
                    let Some(&target) = self.anchors.get(&anchor) else {
                        return Err(YamlError::new(
                            line + 1,
                            col + 1,
                            format!("yaml: unknown anchor '{anchor}' referenced"),
                        ));
                    };
                    Some(self.push(NodeKind::Alias { name: anchor, target }, line, col))
                }
                EventKind::SequenceStart { anchor } => {
                    let i = self.push(NodeKind::Seq(Vec::new()), line, col);
                    self.anchor(anchor, i);
                    stack.push(Open::Seq(i));
                    None
                }
                EventKind::MappingStart { anchor } => {
                    let i = self.push(NodeKind::Map(Vec::new()), line, col);
                    self.anchor(anchor, i);
                    stack.push(Open::Map(i));
                    None
                }
                EventKind::SequenceEnd | EventKind::MappingEnd => match stack.pop() {
                    Some(Open::Seq(i)) | Some(Open::Map(i)) => Some(i),
                    None => {
                        return Err(YamlError::new(
                            line + 1,
                            col + 1,
                            "yaml: unknown problem parsing YAML content".into(),
                        ))
                    }
                },
                _ => {
                    return Err(YamlError::new(line + 1, col + 1, "yaml: unknown problem parsing YAML content".into()))
                }
            };
            if stack.len() > MAX_DEPTH {
                return Err(YamlError::new(
                    line + 1,
                    col + 1,
                    format!("yaml: line {}: exceeded max depth of {MAX_DEPTH}", line + 1),
                ));
            }
            if let Some(i) = done {
                match stack.last() {
                    Some(Open::Seq(p)) | Some(Open::Map(p)) => {
                        let p = *p;
                        self.add_child(p, i);
                    }
                    None => return Ok(i),
                }
            }
        }
    }
}

/// A value as go-yaml v2 hands it to `interface{}`.
#[derive(Clone, Debug)]
pub(super) enum GoVal {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
    /// A `!!binary` string: arbitrary bytes (Go strings need not be UTF-8).
    Bin(Vec<u8>),
    Seq(Vec<GoVal>),
    /// map[interface{}]interface{}: pairs in first-insertion order, later
    /// writes of an equal key overwrite in place.
    Map(GoMap),
}

#[derive(Clone, Debug, Default)]
pub(super) struct GoMap {
    pub(super) pairs: Vec<(GoVal, GoVal)>,
    index: HashMap<KeyRepr, usize>,
}

/// Go interface equality for hashable map keys.
#[derive(Hash, PartialEq, Eq, Clone, Debug)]
enum KeyRepr {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(u64),
    Str(String),
    Bin(Vec<u8>),
    /// NaN: never equal to anything.
    Unique(usize),
}

/// Maps up to this size are searched linearly; bigger ones get a hash index.
const LINEAR_MAP: usize = 16;

impl GoMap {
    /// Whether `k` is already a key (Go's `out.MapIndex(k)` is valid).
    fn contains(&self, k: &GoVal) -> bool {
        if self.index.is_empty() {
            return self.pairs.iter().any(|(pk, _)| go_key_eq(pk, k));
        }
        self.index.contains_key(&key_repr(k, usize::MAX))
    }

    fn insert(&mut self, k: GoVal, v: GoVal) {
        if self.pairs.len() < LINEAR_MAP && self.index.is_empty() {
            if let Some(slot) = self.pairs.iter_mut().find(|(pk, _)| go_key_eq(pk, &k)) {
                slot.1 = v;
                return;
            }
            self.pairs.push((k, v));
            if self.pairs.len() == LINEAR_MAP {
                for i in 0..self.pairs.len() {
                    let repr = key_repr(&self.pairs[i].0, i);
                    self.index.entry(repr).or_insert(i);
                }
            }
            return;
        }
        let repr = key_repr(&k, self.pairs.len());
        match self.index.get(&repr) {
            Some(&i) => {
                if let Some(slot) = self.pairs.get_mut(i) {
                    slot.1 = v;
                }
            }
            None => {
                self.index.insert(repr, self.pairs.len());
                self.pairs.push((k, v));
            }
        }
    }
}

/// Go interface equality of two map keys (same dynamic type and value).
fn go_key_eq(a: &GoVal, b: &GoVal) -> bool {
    match (a, b) {
        (GoVal::Nil, GoVal::Nil) => true,
        (GoVal::Bool(x), GoVal::Bool(y)) => x == y,
        (GoVal::Int(x), GoVal::Int(y)) => x == y,
        (GoVal::Uint(x), GoVal::Uint(y)) => x == y,
        (GoVal::Float(x), GoVal::Float(y)) => x == y,
        (GoVal::Str(x), GoVal::Str(y)) => x == y,
        (GoVal::Bin(x), GoVal::Bin(y)) => x == y,
        (GoVal::Str(x), GoVal::Bin(y)) | (GoVal::Bin(y), GoVal::Str(x)) => x.as_bytes() == y.as_slice(),
        _ => false,
    }
}

/// Hashable form of a key consistent with `go_key_eq`; `pos` makes
/// never-equal keys (NaN, collections) unique.
fn key_repr(k: &GoVal, pos: usize) -> KeyRepr {
    match k {
        GoVal::Nil => KeyRepr::Nil,
        GoVal::Bool(b) => KeyRepr::Bool(*b),
        GoVal::Int(i) => KeyRepr::Int(*i),
        GoVal::Uint(u) => KeyRepr::Uint(*u),
        GoVal::Float(f) if f.is_nan() => KeyRepr::Unique(pos),
        GoVal::Float(f) => KeyRepr::Float(if *f == 0.0 { 0 } else { f.to_bits() }),
        GoVal::Str(s) => KeyRepr::Str(s.clone()),
        GoVal::Bin(b) => match std::str::from_utf8(b) {
            // A binary string equal to a text string is the same Go string.
            Ok(s) => KeyRepr::Str(s.to_string()),
            Err(_) => KeyRepr::Bin(b.clone()),
        },
        GoVal::Seq(_) | GoVal::Map(_) => KeyRepr::Unique(pos),
    }
}

// go-yaml's alias expansion limits (decode.go).
const ALIAS_RATIO_RANGE_LOW: usize = 400_000;
const ALIAS_RATIO_RANGE_HIGH: usize = 4_000_000;

fn allowed_alias_ratio(decode_count: usize) -> f64 {
    if decode_count <= ALIAS_RATIO_RANGE_LOW {
        0.99
    } else if decode_count >= ALIAS_RATIO_RANGE_HIGH {
        0.10
    } else {
        0.99 - 0.89
            * ((decode_count - ALIAS_RATIO_RANGE_LOW) as f64 / (ALIAS_RATIO_RANGE_HIGH - ALIAS_RATIO_RANGE_LOW) as f64)
    }
}

struct Decoder<'a> {
    nodes: &'a [Node],
    active_aliases: Vec<bool>,
    decode_count: usize,
    alias_count: usize,
    alias_depth: usize,
    /// go-yaml v2's `d.strict` (UnmarshalStrict): the `terrors` collected so
    /// far. `None` when decoding leniently.
    strict: Option<Vec<String>>,
}

impl<'a> Decoder<'a> {
    /// A decoder for one document (go-yaml's `newDecoder`, its count
    /// starting at the document node); `strict` collects `terrors`.
    fn new(doc: &'a Document, strict: bool) -> Decoder<'a> {
        Decoder {
            nodes: &doc.nodes,
            active_aliases: vec![false; doc.nodes.len()],
            decode_count: 1,
            alias_count: 0,
            alias_depth: 0,
            strict: strict.then(Vec::new),
        }
    }
}

fn fail_at(n: &Node, msg: String) -> YamlError {
    YamlError::new(n.line + 1, n.col + 1, format!("yaml: {msg}"))
}

impl<'a> Decoder<'a> {
    fn node(&self, i: usize) -> Result<&'a Node, YamlError> {
        self.nodes.get(i).ok_or_else(|| YamlError::new(0, 0, "yaml: internal error: bad node".into()))
    }

    /// `d.unmarshal(n, out)` with `out` an `interface{}`.
    fn unmarshal(&mut self, i: usize, depth: usize) -> Result<GoVal, YamlError> {
        let n = self.node(i)?;
        self.count(n)?;
        if depth > MAX_DEPTH {
            return Err(fail_at(n, format!("exceeded max depth of {MAX_DEPTH}")));
        }
        match &n.kind {
            NodeKind::Alias { name, target } => {
                let t = *target;
                self.enter_alias(i, name, n)?;
                let r = self.unmarshal(t, depth + 1);
                self.leave_alias(i);
                r
            }
            NodeKind::Scalar { value, tag, implicit } => scalar(n, value, tag, *implicit),
            NodeKind::Seq(children) => {
                let mut out = Vec::with_capacity(children.len());
                for &c in children {
                    out.push(self.unmarshal(c, depth + 1)?);
                }
                Ok(GoVal::Seq(out))
            }
            NodeKind::Map(_) => {
                let mut m = GoMap::default();
                self.mapping_into(i, &mut m, depth)?;
                Ok(GoVal::Map(m))
            }
        }
    }

    fn count(&mut self, _n: &Node) -> Result<(), YamlError> {
        self.decode_count += 1;
        if self.alias_depth > 0 {
            self.alias_count += 1;
        }
        if self.alias_count > 100
            && self.decode_count > 1000
            && self.alias_count as f64 / self.decode_count as f64 > allowed_alias_ratio(self.decode_count)
        {
            return Err(YamlError::new(0, 0, "yaml: document contains excessive aliasing".into()));
        }
        Ok(())
    }

    fn enter_alias(&mut self, i: usize, name: &str, n: &Node) -> Result<(), YamlError> {
        if self.active_aliases.get(i).copied().unwrap_or(false) {
            return Err(fail_at(n, format!("anchor '{name}' value contains itself")));
        }
        if let Some(a) = self.active_aliases.get_mut(i) {
            *a = true;
        }
        self.alias_depth += 1;
        Ok(())
    }

    fn leave_alias(&mut self, i: usize) {
        if let Some(a) = self.active_aliases.get_mut(i) {
            *a = false;
        }
        self.alias_depth -= 1;
    }

    /// `d.mapping(n, out)` with `out` an existing map (also used by merges:
    /// `d.unmarshal(n, out)` where out is the map being merged into, which
    /// follows aliases to their mapping).
    fn mapping_into(&mut self, i: usize, out: &mut GoMap, depth: usize) -> Result<(), YamlError> {
        let n = self.node(i)?;
        let children = match &n.kind {
            NodeKind::Map(c) => c,
            NodeKind::Alias { name, target } => {
                let t = *target;
                self.enter_alias(i, name, n)?;
                self.count(self.node(t)?)?;
                let r = self.mapping_into(t, out, depth + 1);
                self.leave_alias(i);
                return r;
            }
            _ => return Err(fail_at(n, "map merge requires map or sequence of maps as the value".into())),
        };
        if depth > MAX_DEPTH {
            return Err(fail_at(n, format!("exceeded max depth of {MAX_DEPTH}")));
        }
        for pair in children.chunks(2) {
            let [k, v] = pair else { break };
            if self.is_merge(*k) {
                self.merge(*v, out, depth + 1)?;
                continue;
            }
            let key = self.unmarshal(*k, depth + 1)?;
            if matches!(key, GoVal::Map(_) | GoVal::Seq(_)) {
                let kn = self.node(*k)?;
                return Err(fail_at(kn, format!("invalid map key: {}", go_sharp_v(&key))));
            }
            let val = self.unmarshal(*v, depth + 1)?;
            // setMapIndex: in strict mode a key already present (also one a
            // merge put there) is an error at the value's line, and the
            // first value stays.
            if let Some(terrors) = self.strict.as_mut() {
                if out.contains(&key) {
                    let line = self.nodes.get(*v).map_or(0, |n| n.line + 1);
                    terrors.push(format!("line {line}: key {} already set in map", go_sharp_v(&key)));
                    continue;
                }
            }
            out.insert(key, val);
        }
        Ok(())
    }

    fn is_merge(&self, i: usize) -> bool {
        match self.nodes.get(i).map(|n| &n.kind) {
            Some(NodeKind::Scalar { value, tag, implicit }) => {
                value == "<<" && (*implicit || tag == resolve::MERGE_TAG)
            }
            _ => false,
        }
    }

    fn alias_target_is_map(&self, i: usize) -> bool {
        match self.nodes.get(i).map(|n| &n.kind) {
            Some(NodeKind::Alias { target, .. }) => {
                matches!(self.nodes.get(*target).map(|n| &n.kind), Some(NodeKind::Map(_)))
            }
            _ => false,
        }
    }

    fn merge(&mut self, i: usize, out: &mut GoMap, depth: usize) -> Result<(), YamlError> {
        let n = self.node(i)?;
        let want_map = || fail_at(n, "map merge requires map or sequence of maps as the value".into());
        match &n.kind {
            NodeKind::Map(_) => {
                self.count(n)?;
                self.mapping_into(i, out, depth)
            }
            NodeKind::Alias { .. } => {
                if !self.alias_target_is_map(i) {
                    return Err(want_map());
                }
                self.count(n)?;
                self.mapping_into(i, out, depth)
            }
            NodeKind::Seq(children) => {
                // Earlier maps win: merged from last to first.
                for &c in children.iter().rev() {
                    let cn = self.node(c)?;
                    match &cn.kind {
                        NodeKind::Alias { .. } if self.alias_target_is_map(c) => {}
                        NodeKind::Map(_) => {}
                        _ => return Err(want_map()),
                    }
                    self.count(cn)?;
                    self.mapping_into(c, out, depth + 1)?;
                }
                Ok(())
            }
            NodeKind::Scalar { .. } => Err(want_map()),
        }
    }
}

/// `d.scalar(n, out)` into `interface{}`.
fn scalar(n: &Node, value: &str, tag: &str, implicit: bool) -> Result<GoVal, YamlError> {
    if tag.is_empty() && !implicit {
        return Ok(GoVal::Str(value.to_string()));
    }
    if tag == resolve::BINARY_TAG {
        return match crate::gofmt::base64::decode_std(value.as_bytes()) {
            Ok(b) => Ok(GoVal::Bin(b)),
            Err(_) => Err(fail_at(n, "!!binary value contains invalid base64 data".into())),
        };
    }
    let (_, r) = resolve::resolve(tag, value).map_err(|m| fail_at(n, m.message))?;
    Ok(match r {
        Scalar::Null => GoVal::Nil,
        Scalar::Bool(b) => GoVal::Bool(b),
        Scalar::Int(i) => GoVal::Int(i),
        Scalar::Uint(u) => GoVal::Uint(u),
        Scalar::Float(f) => GoVal::Float(f),
        Scalar::Str | Scalar::Merge | Scalar::Timestamp => GoVal::Str(value.to_string()),
    })
}

/// A Go `%#v`-ish rendering of a decoded value, for error messages.
fn go_sharp_v(v: &GoVal) -> String {
    match v {
        GoVal::Nil => "interface {}(nil)".into(),
        GoVal::Bool(b) => b.to_string(),
        GoVal::Int(i) => i.to_string(),
        GoVal::Uint(u) => format!("0x{u:x}"),
        GoVal::Float(f) => strconv::format_float_g(*f, 64),
        GoVal::Str(s) => strconv::quote(s),
        GoVal::Bin(b) => strconv::quote(&crate::gostring::from_bytes_lossy(b)),
        GoVal::Seq(items) => {
            let parts: Vec<String> = items.iter().map(go_sharp_v).collect();
            format!("[]interface {{}}{{{}}}", parts.join(", "))
        }
        GoVal::Map(m) => {
            let mut parts: Vec<String> =
                m.pairs.iter().map(|(k, v)| format!("{}:{}", go_sharp_v(k), go_sharp_v(v))).collect();
            crate::gofmt::sort::sort(&mut parts);
            format!("map[interface {{}}]interface {{}}{{{}}}", parts.join(", "))
        }
    }
}

fn go_type_name(v: &GoVal) -> &'static str {
    match v {
        GoVal::Nil => "%!s(<nil>)",
        GoVal::Bool(_) => "bool",
        GoVal::Int(_) => "int",
        GoVal::Uint(_) => "uint64",
        GoVal::Float(_) => "float64",
        GoVal::Str(_) | GoVal::Bin(_) => "string",
        GoVal::Seq(_) => "[]interface {}",
        GoVal::Map(_) => "map[interface {}]interface {}",
    }
}

/// Go `%+#v` of a value in sigs' "unsupported map key" message (nil prints
/// `<nil>` there).
fn go_plus_sharp_v(v: &GoVal) -> String {
    match v {
        GoVal::Nil => "<nil>".into(),
        _ => go_sharp_v(v),
    }
}

/// sigs.k8s.io/yaml conversion + JSON round trip: keys to strings, numbers
/// to float64. `key_err` collects the first unsupported key (Go returns one
/// of them, in map-iteration order); non-finite floats are checked after.
fn to_value(v: GoVal, key_err: &mut Option<String>, nonfinite: &mut bool) -> Value {
    match v {
        GoVal::Nil => Value::Nil,
        GoVal::Bool(b) => Value::Bool(b),
        GoVal::Int(i) => Value::Float(i as f64),
        GoVal::Uint(u) => Value::Float(u as f64),
        GoVal::Float(f) => {
            if !f.is_finite() {
                *nonfinite = true;
            }
            Value::Float(f)
        }
        GoVal::Str(s) => Value::string(s),
        GoVal::Bin(b) => Value::string(crate::gostring::from_bytes_lossy(&b)),
        GoVal::Seq(items) => Value::list(items.into_iter().map(|x| to_value(x, key_err, nonfinite)).collect()),
        GoVal::Map(m) => {
            let mut out = Map::new();
            for (k, v) in m.pairs {
                let Some(key) = convert_key(&k, &v, key_err) else { continue };
                // Keys that collide after conversion: Go's map order decides
                // (random); we keep the later one.
                out.insert(key, to_value(v, key_err, nonfinite));
            }
            Value::map(out)
        }
    }
}

/// sigs' map key conversion; records the "unsupported map key" error.
pub(super) fn convert_key(k: &GoVal, v: &GoVal, key_err: &mut Option<String>) -> Option<String> {
    Some(match k {
        GoVal::Str(s) => s.clone(),
        GoVal::Bin(b) => crate::gostring::from_bytes_lossy(b),
        GoVal::Int(i) => i.to_string(),
        GoVal::Float(f) => match strconv::format_float_g(*f, 32).as_str() {
            "+Inf" => ".inf".to_string(),
            "-Inf" => "-.inf".to_string(),
            "NaN" => ".nan".to_string(),
            s => s.to_string(),
        },
        GoVal::Bool(b) => b.to_string(),
        GoVal::Nil | GoVal::Uint(_) | GoVal::Seq(_) | GoVal::Map(_) => {
            if key_err.is_none() {
                *key_err = Some(format!(
                    "unsupported map key of type: {}, key: {}, value: {}",
                    go_type_name(k),
                    go_plus_sharp_v(k),
                    go_plus_sharp_v(v)
                ));
            }
            return None;
        }
    })
}

/// sigs' conversion of a scalar headed for a Go `string` field.
pub(super) fn scalar_to_string(v: GoVal) -> Result<String, GoVal> {
    match v {
        GoVal::Int(i) => Ok(i.to_string()),
        GoVal::Uint(u) => Ok(u.to_string()),
        GoVal::Float(f) => Ok(strconv::format_float_g(f, 32)),
        GoVal::Bool(b) => Ok(b.to_string()),
        GoVal::Str(s) => Ok(s),
        GoVal::Bin(b) => Ok(crate::gostring::from_bytes_lossy(&b)),
        other => Err(other),
    }
}

/// The value json.Unmarshal would see (non-finite floats flagged).
pub(super) fn go_to_value(v: GoVal, key_err: &mut Option<String>, nonfinite: &mut bool) -> Value {
    to_value(v, key_err, nonfinite)
}

/// go-yaml's decoding of one document into `interface{}`.
pub(super) fn decode_go(doc: &Document) -> Result<GoVal, YamlError> {
    Decoder::new(doc, false).unmarshal(doc.root, 0)
}

/// go-yaml v2's `UnmarshalStrict` into `interface{}`: the `unmarshal
/// errors` (duplicate keys) it collects, in document order. Empty when the
/// document has none; structural errors are the lenient decoder's.
pub(super) fn strict_errors(doc: &Document) -> Result<Vec<String>, YamlError> {
    let mut d = Decoder::new(doc, true);
    d.unmarshal(doc.root, 0)?;
    Ok(d.strict.unwrap_or_default())
}

pub(super) fn json_error_nonfinite(v: &Value) -> Option<String> {
    first_nonfinite(v).map(|f| format!("json: unsupported value: {}", strconv::format_float_g(f, 64)))
}

/// encoding/json's error for the first non-finite float, in JSON order
/// (map keys sorted bytewise, like our maps).
fn first_nonfinite(v: &Value) -> Option<f64> {
    match v {
        Value::Float(f) if !f.is_finite() => Some(*f),
        Value::List(l, _) => l.borrow().iter().find_map(first_nonfinite),
        Value::Map(m, _) => m.borrow().values().find_map(first_nonfinite),
        _ => None,
    }
}

/// Decodes one parsed document the way `sigs.k8s.io/yaml.Unmarshal` into
/// `interface{}` sees it. Errors: go-yaml's `yaml: ...`, sigs' `unsupported
/// map key ...`, encoding/json's `json: unsupported value: +Inf` (the caller
/// adds sigs' `error converting YAML to JSON: ` prefix).
pub fn decode_document(doc: &Document) -> Result<Value, YamlError> {
    decode_document_with(doc, to_value)
}

/// Like [`decode_document`], but ints stay `int`/`uint64` (go-yaml's own
/// types, as sigs.k8s.io/yaml holds them before its JSON step): decoding into
/// a Go struct turns a YAML int that lands in a string field into its decimal
/// text, which float64 would lose (`123456789012`).
pub fn decode_document_typed(doc: &Document) -> Result<Value, YamlError> {
    decode_document_with(doc, to_value_typed)
}

/// Decodes the document's node tree, then turns go-yaml's values into ours
/// with `convert` (float64 numbers as after sigs' JSON step, or typed ints).
fn decode_document_with(
    doc: &Document,
    convert: fn(GoVal, &mut Option<String>, &mut bool) -> Value,
) -> Result<Value, YamlError> {
    let go = Decoder::new(doc, false).unmarshal(doc.root, 0)?;
    let mut key_err = None;
    let mut nonfinite = false;
    let v = convert(go, &mut key_err, &mut nonfinite);
    if let Some(e) = key_err {
        return Err(YamlError::new(0, 0, e));
    }
    if nonfinite {
        if let Some(f) = first_nonfinite(&v) {
            return Err(YamlError::new(0, 0, format!("json: unsupported value: {}", strconv::format_float_g(f, 64))));
        }
    }
    Ok(v)
}

fn to_value_typed(v: GoVal, key_err: &mut Option<String>, nonfinite: &mut bool) -> Value {
    match v {
        GoVal::Int(i) => Value::Int(i, crate::value::IntType::Int),
        GoVal::Uint(u) => Value::Uint(u),
        GoVal::Seq(items) => Value::list(items.into_iter().map(|x| to_value_typed(x, key_err, nonfinite)).collect()),
        GoVal::Map(m) => {
            let mut out = Map::new();
            for (k, v) in m.pairs {
                let Some(key) = convert_key(&k, &v, key_err) else { continue };
                out.insert(key, to_value_typed(v, key_err, nonfinite));
            }
            Value::map(out)
        }
        other => to_value(other, key_err, nonfinite),
    }
}
