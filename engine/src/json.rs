//! Go's `encoding/json`, as `toJson`/`fromJson` and sigs.k8s.io/yaml use it.
//!
//! Encoding (`json.Marshal`): map keys sorted bytewise, `<`, `>`, `&`
//! escaped as `\u003c…` unless HTML escaping is off (`toRawJson`), U+2028 and
//! U+2029 always escaped, floats in Go's floatEncoder format (`1e-7`,
//! `1e+21`, integral floats without a point), `[]byte` as base64.
//!
//! Decoding (`json.Unmarshal`): a port of Go's scanner state machine, so
//! syntax errors carry Go's exact messages (`invalid character 'x' looking
//! for beginning of value`, `unexpected end of JSON input`); numbers become
//! float64; duplicate keys: the last one wins.

use crate::error::{go_err, Error};
use std::collections::HashSet;
use std::rc::Rc;

use crate::gofmt::ftoa;
use crate::value::{ListType, Map, MapOf, MapType, Value};

// ---------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------

/// Why an encoding stopped.
#[derive(Debug, PartialEq, Eq)]
pub enum Fail {
    /// Go's own error (`json: unsupported value: …`).
    Go(Error),
    /// The text grew past the cap the caller gave (the render's memory
    /// budget): not a Go error, the render stops.
    Budget,
}

/// Which of Go's JSON encoders.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `json.Marshal` (Sprig `toJson`, sigs.k8s.io/yaml).
    Marshal,
    /// `json.MarshalIndent(v, "", "  ")` (Sprig `toPrettyJson`).
    Indent,
    /// Sprig `toRawJson`: `enc.SetEscapeHTML(false)`, `enc.Encode(&v)`.
    Raw,
}

/// `json.Marshal(v)` (Sprig `toJson`/`mustToJson`).
pub fn to_json(v: &Value) -> Result<String, Error> {
    go_only(encode(v, Style::Marshal, usize::MAX))
}

/// Sprig `toRawJson`: an Encoder with `SetEscapeHTML(false)`, without the
/// trailing newline.
pub fn to_raw_json(v: &Value) -> Result<String, Error> {
    go_only(encode(v, Style::Raw, usize::MAX))
}

/// `json.MarshalIndent(v, "", "  ")` (Sprig `toPrettyJson`).
pub fn to_pretty_json(v: &Value) -> Result<String, Error> {
    go_only(encode(v, Style::Indent, usize::MAX))
}

fn go_only(r: Result<String, Fail>) -> Result<String, Error> {
    r.map_err(|f| match f {
        Fail::Go(e) => e,
        Fail::Budget => Error::go("memory budget"),
    })
}

/// Encodes `v` in `style`, stopping with [`Fail::Budget`] once the text is
/// longer than `cap` bytes (a value built by doubling references is small
/// in memory but exponential written out; a cycle is written ~1000 levels
/// deep before Go notices it).
pub fn encode(v: &Value, style: Style, cap: usize) -> Result<String, Fail> {
    let mut e = Encoder {
        out: String::new(),
        cap,
        // `enc.Encode(&v)`: the pointer's encoder counts one level.
        ptr_level: usize::from(style == Style::Raw),
        seen: HashSet::new(),
        escape_html: style != Style::Raw,
        indent: style == Style::Indent,
    };
    e.encode(v, 0)?;
    Ok(e.out)
}

/// Go's `startDetectingCyclesAfter`: past this many nested maps/slices
/// (pointers too) the encoder remembers the ones on its path and reports
/// one met again as a cycle.
pub(crate) const START_DETECTING_CYCLES_AFTER: usize = 1000;
/// On wasm32 the stack cannot grow: nesting deeper than this (acyclic data
/// this deep can only be built on purpose, a loop of `dict "a" $d`) is
/// reported as a cycle rather than overflowing the worker's stack.
#[cfg(target_arch = "wasm32")]
const MAX_ENCODE_DEPTH: usize = 2000;

struct Encoder {
    out: String,
    /// [`Fail::Budget`] once `out` is longer.
    cap: usize,
    /// Go's `ptrLevel`: maps and slices being encoded.
    ptr_level: usize,
    /// Go's `ptrSeen`: the maps and slices on the current path, once past
    /// [`START_DETECTING_CYCLES_AFTER`].
    seen: HashSet<*const u8>,
    escape_html: bool,
    /// Two-space indentation as `json.Indent` lays it out.
    indent: bool,
}

impl Encoder {
    /// The text's buffer doubles when full: near the cap, it grows to the
    /// cap only (a text stopped there held up to twice the cap).
    fn make_room(&mut self, add: usize) {
        let need = self.out.len().saturating_add(add).saturating_add(1024);
        if need <= self.out.capacity() || self.cap == usize::MAX {
            return;
        }
        let want =
            self.out.capacity().saturating_mul(2).min(self.cap.saturating_add(add).saturating_add(1024)).max(need);
        self.out.reserve_exact(want - self.out.len());
    }

    fn newline(&mut self, depth: usize) {
        self.out.push('\n');
        for _ in 0..depth {
            self.out.push_str("  ");
        }
    }

    fn encode(&mut self, v: &Value, depth: usize) -> Result<(), Fail> {
        if self.out.len() > self.cap {
            return Err(Fail::Budget);
        }
        self.make_room(0);
        let (ptr, ty) = match v {
            Value::Map(m, t) if !t.nil => (Rc::as_ptr(m) as *const u8, t.go_name()),
            Value::List(l, t) if !t.nil => (Rc::as_ptr(l) as *const u8, t.go_name()),
            _ => return self.encode_inner(v, depth),
        };
        // mapEncoder/sliceEncoder: `if e.ptrLevel++; e.ptrLevel > startDetectingCyclesAfter`.
        self.ptr_level += 1;
        let tracked = self.ptr_level > START_DETECTING_CYCLES_AFTER;
        if tracked && !self.seen.insert(ptr) {
            return Err(Fail::Go(go_err!("json: unsupported value: encountered a cycle via {ty}")));
        }
        #[cfg(target_arch = "wasm32")]
        if depth > MAX_ENCODE_DEPTH {
            return Err(Fail::Go(go_err!("json: unsupported value: encountered a cycle via {ty}")));
        }
        // Natively the stack grows (every 32 levels is enough: a level's
        // frames are well under 1 KiB even in a debug build).
        let r = if depth.is_multiple_of(32) {
            crate::template::with_stack(|| self.encode_inner(v, depth))
        } else {
            self.encode_inner(v, depth)
        };
        if tracked {
            self.seen.remove(&ptr);
        }
        self.ptr_level -= 1;
        r
    }

    fn encode_inner(&mut self, v: &Value, depth: usize) -> Result<(), Fail> {
        match v {
            Value::Nil => self.out.push_str("null"),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i, _) => self.out.push_str(&i.to_string()),
            Value::Uint(u) => self.out.push_str(&u.to_string()),
            Value::Float(f) => encode_float(&mut self.out, *f).map_err(Fail::Go)?,
            Value::String(s) => {
                self.make_room(s.len());
                append_string(&mut self.out, s, self.escape_html)
            }
            Value::Bytes(b) => {
                self.out.push('"');
                self.out.push_str(&crate::gofmt::base64::encode_std(b));
                self.out.push('"');
            }
            // encoding/json writes nil slices and maps as null.
            Value::List(_, t) if t.nil => self.out.push_str("null"),
            Value::Map(_, t) if t.nil => self.out.push_str("null"),
            Value::List(l, _) => {
                let l = l.borrow();
                self.out.push('[');
                for (i, e) in l.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    if self.indent {
                        self.newline(depth + 1);
                    }
                    self.encode(e, depth + 1)?;
                }
                if self.indent && !l.is_empty() {
                    self.newline(depth);
                }
                self.out.push(']');
            }
            Value::Map(m, _) => {
                // Written out here rather than through encode_fields: maps
                // nest up to Go's cycle-detection depth (1000), and one more
                // stack frame per level overflows a debug build's thread.
                let m = m.borrow();
                self.out.push('{');
                for (i, (k, e)) in crate::value::go_sorted(&m).into_iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    if self.indent {
                        self.newline(depth + 1);
                    }
                    append_string(&mut self.out, k, self.escape_html);
                    self.out.push(':');
                    if self.indent {
                        self.out.push(' ');
                    }
                    self.encode(e, depth + 1)?;
                }
                if self.indent && !m.is_empty() {
                    self.newline(depth);
                }
                self.out.push('}');
            }
            Value::Object(o) => self.encode_object(o.as_ref(), depth)?,
        }
        Ok(())
    }

    /// A Go struct or other host object. Out of line so that encode_inner's
    /// stack frame, paid at every nesting level, stays small.
    #[inline(never)]
    fn encode_object(&mut self, o: &dyn crate::value::Object, depth: usize) -> Result<(), Fail> {
        match o.json_fields() {
            Some(fields) => self.encode_fields(fields.iter().map(|(k, e)| (k.as_str(), e)), fields.is_empty(), depth),
            None => match o.to_data() {
                Some(d) => self.encode(&d, depth),
                None => Err(Fail::Go(go_err!("json: unsupported type: {}", o.type_name()))),
            },
        }
    }

    /// A JSON object from (key, value) pairs in the order given (Go structs).
    fn encode_fields<'v>(
        &mut self,
        fields: impl Iterator<Item = (&'v str, &'v Value)>,
        empty: bool,
        depth: usize,
    ) -> Result<(), Fail> {
        self.out.push('{');
        for (i, (k, e)) in fields.enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            if self.indent {
                self.newline(depth + 1);
            }
            append_string(&mut self.out, k, self.escape_html);
            self.out.push(':');
            if self.indent {
                self.out.push(' ');
            }
            self.encode(e, depth + 1)?;
        }
        if self.indent && !empty {
            self.newline(depth);
        }
        self.out.push('}');
        Ok(())
    }
}

/// Go's `floatEncoder` for float64.
fn encode_float(out: &mut String, f: f64) -> Result<(), Error> {
    if f.is_nan() || f.is_infinite() {
        return Err(go_err!("json: unsupported value: {}", ftoa::format_float(f, b'g', -1)));
    }
    let abs = f.abs();
    let fmt = if abs != 0.0 && !(1e-6..1e21).contains(&abs) { b'e' } else { b'f' };
    let mut b = Vec::with_capacity(24);
    ftoa::append_float(&mut b, f, fmt, -1);
    if fmt == b'e' {
        // Clean up e-09 to e-9.
        let n = b.len();
        if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
            b[n - 2] = b[n - 1];
            b.truncate(n - 1);
        }
    }
    out.push_str(std::str::from_utf8(&b).unwrap_or("0"));
    Ok(())
}

/// Go's `appendString`: a JSON string literal.
fn append_string(out: &mut String, s: &str, escape_html: bool) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    // Runs of printable ASCII that need no escape are copied whole.
    let plain = |b: u8| {
        (0x20..0x80).contains(&b) && b != b'"' && b != b'\\' && !(escape_html && matches!(b, b'<' | b'>' | b'&'))
    };
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && plain(bytes[i]) {
            i += 1;
        }
        out.push_str(&s[start..i]);
        let Some(c) = s[i..].chars().next() else { break };
        i += c.len_utf8();
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' if escape_html => {
                let b = c as u8;
                out.push_str("\\u00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xF) as usize] as char);
            }
            c if (c as u32) < 0x20 => {
                let b = c as u8;
                out.push_str("\\u00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xF) as usize] as char);
            }
            // A byte that is not UTF-8 (crate::gostring): Go writes \ufffd.
            c if crate::gostring::raw_byte(c).is_some() => out.push_str("\\ufffd"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------

/// The Go type `json.Unmarshal` decodes into.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Target {
    /// `interface{}`
    Any,
    /// `map[string]interface{}` (Helm's `fromJson`)
    Map,
    /// `[]interface{}` (Helm's `fromJsonArray`)
    Slice,
}

/// `json.Unmarshal` into `interface{}`: the value, or Go's error text.
pub fn from_json(s: &str) -> Result<Value, Error> {
    match unmarshal(s.as_bytes(), Target::Any) {
        (v, None) => Ok(v),
        (_, Some(e)) => Err(e),
    }
}

/// `json.Unmarshal` into a variable of type `target`, as Helm's `fromJson`
/// (`Target::Map`) and `fromJsonArray` (`Target::Slice`) do: returns what
/// the variable holds afterwards and the error, if any. A type mismatch
/// deep inside (a number out of float64 range) leaves nil in its place and
/// decoding goes on, as in Go. JSON `null` leaves Go a nil map or slice.
pub fn unmarshal(data: &[u8], target: Target) -> (Value, Option<Error>) {
    let empty = || match target {
        Target::Any => Value::Nil,
        Target::Map => Value::empty_map(),
        Target::Slice => Value::list(Vec::new()),
    };
    let mut b = Builder { data, stack: Vec::new(), result: None, err: None };
    if let Err(e) = b.run() {
        return (empty(), Some(e));
    }
    let v = b.result.unwrap_or(Value::Nil);
    let mut err = b.err.map(Error::go);
    let v = match (target, v) {
        (Target::Any, v) => v,
        (Target::Map, v @ Value::Map(_, _)) | (Target::Slice, v @ Value::List(..)) => v,
        (Target::Map, Value::Nil) => Value::typed_map(Map::new(), MapType { of: MapOf::Any, nil: true }),
        (Target::Slice, Value::Nil) => Value::typed_list(Vec::new(), ListType::ANY.nil()),
        (t, v) => {
            let what = match v {
                Value::Map(_, _) => "object",
                Value::List(..) => "array",
                Value::String(_) => "string",
                Value::Bool(_) => "bool",
                _ => "number",
            };
            let ty = if t == Target::Map { "map[string]interface {}" } else { "[]interface {}" };
            // A type mismatch at the top is found before anything inside.
            err = Some(Error::go(format!("json: cannot unmarshal {what} into Go value of type {ty}")));
            empty()
        }
    };
    (v, err)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Continue,
    BeginLiteral,
    BeginObject,
    ObjectKey,
    ObjectValue,
    EndObject,
    BeginArray,
    ArrayValue,
    EndArray,
    SkipSpace,
    End,
    Error,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Parse {
    ObjectKey,
    ObjectValue,
    ArrayValue,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    BeginValueOrEmpty,
    BeginValue,
    BeginStringOrEmpty,
    BeginString,
    EndValue,
    EndTop,
    InString,
    InStringEsc,
    InStringEscU,
    InStringEscU1,
    InStringEscU12,
    InStringEscU123,
    Neg,
    One,
    Zero,
    Dot,
    Dot0,
    E,
    ESign,
    E0,
    T,
    Tr,
    Tru,
    F,
    Fa,
    Fal,
    Fals,
    N,
    Nu,
    Nul,
    Error,
}

const MAX_NESTING_DEPTH: usize = 10000;

/// Go's JSON scanner (src/encoding/json/scanner.go).
struct Scanner {
    step: State,
    end_top: bool,
    parse_state: Vec<Parse>,
    err: Option<String>,
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_hex(c: u8) -> bool {
    c.is_ascii_hexdigit()
}
/// encoding/json's word for a value's JSON type, as its UnmarshalTypeError
/// says it ("cannot unmarshal X into ...").
pub(crate) fn unmarshal_type_name(v: &Value) -> &'static str {
    match v {
        Value::Bool(_) => "bool",
        Value::Int(..) | Value::Uint(_) | Value::Float(_) => "number",
        Value::String(_) | Value::Bytes(_) => "string",
        Value::List(..) => "array",
        _ => "object",
    }
}

/// encoding/json's `quoteChar`: the byte as a quoted character literal in
/// its syntax errors (the one copy: the schema and plugin readers use it).
pub(crate) fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".to_string(),
        b'"' => "'\"'".to_string(),
        _ => {
            // Go quotes string(rune(c)): a byte ≥ 0x80 is the rune U+0080..U+00FF.
            let q = crate::gofmt::strconv::quote_bytes(char::from(c).to_string().as_bytes(), false);
            format!("'{}'", &q[1..q.len() - 1])
        }
    }
}

impl Scanner {
    fn new() -> Scanner {
        Scanner { step: State::BeginValue, end_top: false, parse_state: Vec::new(), err: None }
    }

    fn error(&mut self, c: u8, context: &str) -> Op {
        self.step = State::Error;
        self.err = Some(format!("invalid character {} {}", quote_char(c), context));
        Op::Error
    }

    fn eof(&mut self) -> Op {
        if self.err.is_some() {
            return Op::Error;
        }
        if self.end_top {
            return Op::End;
        }
        self.step(b' ');
        if self.end_top {
            return Op::End;
        }
        if self.err.is_none() {
            self.err = Some("unexpected end of JSON input".to_string());
        }
        Op::Error
    }

    fn push_parse_state(&mut self, c: u8, p: Parse, success: Op) -> Op {
        self.parse_state.push(p);
        if self.parse_state.len() <= MAX_NESTING_DEPTH {
            return success;
        }
        self.error(c, "exceeded max depth")
    }

    fn pop_parse_state(&mut self) {
        self.parse_state.pop();
        if self.parse_state.is_empty() {
            self.step = State::EndTop;
            self.end_top = true;
        } else {
            self.step = State::EndValue;
        }
    }

    fn step(&mut self, c: u8) -> Op {
        match self.step {
            State::BeginValueOrEmpty => {
                if is_space(c) {
                    return Op::SkipSpace;
                }
                if c == b']' {
                    return self.state_end_value(c);
                }
                self.state_begin_value(c)
            }
            State::BeginValue => self.state_begin_value(c),
            State::BeginStringOrEmpty => {
                if is_space(c) {
                    return Op::SkipSpace;
                }
                if c == b'}' {
                    if let Some(last) = self.parse_state.last_mut() {
                        *last = Parse::ObjectValue;
                    }
                    return self.state_end_value(c);
                }
                self.state_begin_string(c)
            }
            State::BeginString => self.state_begin_string(c),
            State::EndValue => self.state_end_value(c),
            State::EndTop => self.state_end_top(c),
            State::InString => {
                if c == b'"' {
                    self.step = State::EndValue;
                    return Op::Continue;
                }
                if c == b'\\' {
                    self.step = State::InStringEsc;
                    return Op::Continue;
                }
                if c < 0x20 {
                    return self.error(c, "in string literal");
                }
                Op::Continue
            }
            State::InStringEsc => match c {
                b'b' | b'f' | b'n' | b'r' | b't' | b'\\' | b'/' | b'"' => {
                    self.step = State::InString;
                    Op::Continue
                }
                b'u' => {
                    self.step = State::InStringEscU;
                    Op::Continue
                }
                _ => self.error(c, "in string escape code"),
            },
            State::InStringEscU | State::InStringEscU1 | State::InStringEscU12 | State::InStringEscU123 => {
                if is_hex(c) {
                    self.step = match self.step {
                        State::InStringEscU => State::InStringEscU1,
                        State::InStringEscU1 => State::InStringEscU12,
                        State::InStringEscU12 => State::InStringEscU123,
                        _ => State::InString,
                    };
                    return Op::Continue;
                }
                self.error(c, "in \\u hexadecimal character escape")
            }
            State::Neg => {
                if c == b'0' {
                    self.step = State::Zero;
                    return Op::Continue;
                }
                if (b'1'..=b'9').contains(&c) {
                    self.step = State::One;
                    return Op::Continue;
                }
                self.error(c, "in numeric literal")
            }
            State::One => {
                if c.is_ascii_digit() {
                    self.step = State::One;
                    return Op::Continue;
                }
                self.state_zero(c)
            }
            State::Zero => self.state_zero(c),
            State::Dot => {
                if c.is_ascii_digit() {
                    self.step = State::Dot0;
                    return Op::Continue;
                }
                self.error(c, "after decimal point in numeric literal")
            }
            State::Dot0 => {
                if c.is_ascii_digit() {
                    return Op::Continue;
                }
                if c == b'e' || c == b'E' {
                    self.step = State::E;
                    return Op::Continue;
                }
                self.state_end_value(c)
            }
            State::E => {
                if c == b'+' || c == b'-' {
                    self.step = State::ESign;
                    return Op::Continue;
                }
                self.state_e_sign(c)
            }
            State::ESign => self.state_e_sign(c),
            State::E0 => {
                if c.is_ascii_digit() {
                    return Op::Continue;
                }
                self.state_end_value(c)
            }
            State::T => self.literal(c, b'r', State::Tr, "in literal true (expecting 'r')"),
            State::Tr => self.literal(c, b'u', State::Tru, "in literal true (expecting 'u')"),
            State::Tru => self.literal(c, b'e', State::EndValue, "in literal true (expecting 'e')"),
            State::F => self.literal(c, b'a', State::Fa, "in literal false (expecting 'a')"),
            State::Fa => self.literal(c, b'l', State::Fal, "in literal false (expecting 'l')"),
            State::Fal => self.literal(c, b's', State::Fals, "in literal false (expecting 's')"),
            State::Fals => self.literal(c, b'e', State::EndValue, "in literal false (expecting 'e')"),
            State::N => self.literal(c, b'u', State::Nu, "in literal null (expecting 'u')"),
            State::Nu => self.literal(c, b'l', State::Nul, "in literal null (expecting 'l')"),
            State::Nul => self.literal(c, b'l', State::EndValue, "in literal null (expecting 'l')"),
            State::Error => Op::Error,
        }
    }

    fn literal(&mut self, c: u8, want: u8, next: State, context: &str) -> Op {
        if c == want {
            self.step = next;
            return Op::Continue;
        }
        self.error(c, context)
    }

    fn state_begin_value(&mut self, c: u8) -> Op {
        if is_space(c) {
            return Op::SkipSpace;
        }
        match c {
            b'{' => {
                self.step = State::BeginStringOrEmpty;
                return self.push_parse_state(c, Parse::ObjectKey, Op::BeginObject);
            }
            b'[' => {
                self.step = State::BeginValueOrEmpty;
                return self.push_parse_state(c, Parse::ArrayValue, Op::BeginArray);
            }
            b'"' => self.step = State::InString,
            b'-' => self.step = State::Neg,
            b'0' => self.step = State::Zero,
            b't' => self.step = State::T,
            b'f' => self.step = State::F,
            b'n' => self.step = State::N,
            b'1'..=b'9' => self.step = State::One,
            _ => return self.error(c, "looking for beginning of value"),
        }
        Op::BeginLiteral
    }

    fn state_begin_string(&mut self, c: u8) -> Op {
        if is_space(c) {
            return Op::SkipSpace;
        }
        if c == b'"' {
            self.step = State::InString;
            return Op::BeginLiteral;
        }
        self.error(c, "looking for beginning of object key string")
    }

    fn state_end_value(&mut self, c: u8) -> Op {
        let Some(&ps) = self.parse_state.last() else {
            // Completed top-level before the current byte.
            self.step = State::EndTop;
            self.end_top = true;
            return self.state_end_top(c);
        };
        if is_space(c) {
            self.step = State::EndValue;
            return Op::SkipSpace;
        }
        match ps {
            Parse::ObjectKey => {
                if c == b':' {
                    if let Some(last) = self.parse_state.last_mut() {
                        *last = Parse::ObjectValue;
                    }
                    self.step = State::BeginValue;
                    return Op::ObjectKey;
                }
                self.error(c, "after object key")
            }
            Parse::ObjectValue => {
                if c == b',' {
                    if let Some(last) = self.parse_state.last_mut() {
                        *last = Parse::ObjectKey;
                    }
                    self.step = State::BeginString;
                    return Op::ObjectValue;
                }
                if c == b'}' {
                    self.pop_parse_state();
                    return Op::EndObject;
                }
                self.error(c, "after object key:value pair")
            }
            Parse::ArrayValue => {
                if c == b',' {
                    self.step = State::BeginValue;
                    return Op::ArrayValue;
                }
                if c == b']' {
                    self.pop_parse_state();
                    return Op::EndArray;
                }
                self.error(c, "after array element")
            }
        }
    }

    fn state_end_top(&mut self, c: u8) -> Op {
        if !is_space(c) {
            // Complain about non-space byte on next call.
            self.error(c, "after top-level value");
        }
        Op::End
    }

    fn state_zero(&mut self, c: u8) -> Op {
        if c == b'.' {
            self.step = State::Dot;
            return Op::Continue;
        }
        if c == b'e' || c == b'E' {
            self.step = State::E;
            return Op::Continue;
        }
        self.state_end_value(c)
    }

    fn state_e_sign(&mut self, c: u8) -> Op {
        if c.is_ascii_digit() {
            self.step = State::E0;
            return Op::Continue;
        }
        self.error(c, "in exponent of numeric literal")
    }
}

/// A container being filled.
enum Frame {
    List(Vec<Value>),
    Map(Map, Option<String>),
}

/// Builds the value while the scanner validates; the value is discarded if
/// the scan fails (Go checks validity before decoding anything).
struct Builder<'a> {
    data: &'a [u8],
    stack: Vec<Frame>,
    result: Option<Value>,
    /// First non-syntax error (Go's `savedError`).
    err: Option<String>,
}

impl Builder<'_> {
    fn run(&mut self) -> Result<(), Error> {
        let mut scan = Scanner::new();
        let mut lit_start: Option<usize> = None;
        let data = self.data;
        let mut i = 0;
        loop {
            let (op, at) = if i < data.len() {
                let op = scan.step(data[i]);
                (op, i)
            } else {
                (scan.eof(), data.len())
            };
            if op == Op::Error {
                return Err(Error::go(scan.err.take().unwrap_or_default()));
            }
            // A literal ends at the first byte that doesn't continue it.
            if op != Op::Continue {
                if let Some(start) = lit_start.take() {
                    self.literal(&data[start..at]);
                }
            }
            match op {
                Op::BeginLiteral => lit_start = Some(at),
                Op::BeginObject => self.stack.push(Frame::Map(Map::new(), None)),
                Op::BeginArray => self.stack.push(Frame::List(Vec::new())),
                Op::EndObject | Op::EndArray => {
                    if let Some(f) = self.stack.pop() {
                        let v = match f {
                            Frame::List(l) => Value::List(crate::value::new_list(l), ListType::ANY),
                            Frame::Map(m, _) => Value::map_ref(crate::value::new_map(m)),
                        };
                        self.store(v);
                    }
                }
                _ => {}
            }
            if i >= data.len() {
                break;
            }
            i += 1;
        }
        Ok(())
    }

    /// Puts a finished value where it belongs.
    fn store(&mut self, v: Value) {
        match self.stack.last_mut() {
            None => self.result = Some(v),
            Some(Frame::List(l)) => l.push(v),
            Some(Frame::Map(m, key)) => match key.take() {
                Some(k) => {
                    m.insert(k, v);
                }
                None => {
                    // The literal was the key.
                    if let Value::String(s) = v {
                        *key = Some(s.to_string());
                    }
                }
            },
        }
    }

    fn literal(&mut self, item: &[u8]) {
        let v = match item.first() {
            Some(b'n') => Value::Nil,
            Some(b't') => Value::Bool(true),
            Some(b'f') => Value::Bool(false),
            Some(b'"') => Value::string(unquote(item)),
            _ => {
                let s = std::str::from_utf8(item).unwrap_or("0");
                match s.parse::<f64>() {
                    Ok(f) if f.is_finite() => Value::Float(f),
                    _ => {
                        if self.err.is_none() {
                            self.err = Some(format!("json: cannot unmarshal number {s} into Go value of type float64"));
                        }
                        Value::Nil
                    }
                }
            }
        };
        self.store(v);
    }
}

/// Go's `unquote` of a string literal the scanner has validated.
fn unquote(item: &[u8]) -> String {
    read_string(item, 0).map(|(s, _)| s).unwrap_or_default()
}

/// A byte that is not allowed where it stands in a string literal, with its
/// scanner context (e.g. "in string literal"): Go's syntax error text.
fn string_syntax(c: u8, context: &str) -> Option<Error> {
    Some(go_err!("invalid character {} {context}", quote_char(c)))
}

/// The string literal whose opening quote is at `b[start]`, as encoding/json
/// reads it: the scanner's checks (escapes, `\u` digits, control bytes),
/// then `unquote` (a surrogate pair combines; a lone surrogate is U+FFFD
/// and a following `\u` escape is read on its own; each byte that is not
/// UTF-8 becomes U+FFFD). Returns the text and the index after the closing
/// quote. `Err(None)` when the input ends first: each reader says that its
/// own way (Unmarshal's `unexpected end of JSON input`, a Decoder's
/// `unexpected EOF`).
pub(crate) fn read_string(b: &[u8], start: usize) -> Result<(String, usize), Option<Error>> {
    let hex4 = |i: usize| -> Result<u32, Option<Error>> {
        let mut v = 0;
        for k in i..i + 4 {
            let c = *b.get(k).ok_or(None)?;
            let d =
                char::from(c).to_digit(16).ok_or_else(|| string_syntax(c, "in \\u hexadecimal character escape"))?;
            v = v * 16 + d;
        }
        Ok(v)
    };
    let mut out: Vec<u8> = Vec::new();
    let mut i = start + 1; // after the opening quote
    loop {
        let c = *b.get(i).ok_or(None)?;
        i += 1;
        let ch = match c {
            b'"' => return Ok((crate::gostring::from_bytes_lossy(&out), i)),
            b'\\' => {
                let e = *b.get(i).ok_or(None)?;
                i += 1;
                match e {
                    b'"' | b'\\' | b'/' => char::from(e),
                    b'b' => '\u{8}',
                    b'f' => '\u{c}',
                    b'n' => '\n',
                    b'r' => '\r',
                    b't' => '\t',
                    b'u' => {
                        let hi = hex4(i)?;
                        i += 4;
                        let pair = if (0xD800..0xDC00).contains(&hi) && b.get(i..i + 2) == Some(b"\\u") {
                            let lo = hex4(i + 2)?;
                            (0xDC00..0xE000).contains(&lo).then(|| 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                        } else {
                            None
                        };
                        match pair {
                            Some(r) => {
                                i += 6;
                                char::from_u32(r).unwrap_or('\u{FFFD}')
                            }
                            None => char::from_u32(hi).unwrap_or('\u{FFFD}'),
                        }
                    }
                    other => return Err(string_syntax(other, "in string escape code")),
                }
            }
            c if c < 0x20 => return Err(string_syntax(c, "in string literal")),
            c => {
                out.push(c);
                continue;
            }
        };
        let mut tmp = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut tmp).as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marshal_matches_go() {
        // Expected values are Go's json.Marshal output.
        let mut m = Map::new();
        m.insert("b".into(), Value::Float(1e-7));
        m.insert("a".into(), Value::str("<&>"));
        assert_eq!(to_json(&Value::map(m)).as_deref(), Ok(r#"{"a":"\u003c\u0026\u003e","b":1e-7}"#));
        assert_eq!(to_json(&Value::Float(1e21)).as_deref(), Ok("1e+21"));
        assert_eq!(to_json(&Value::Float(3.0)).as_deref(), Ok("3"));
    }

    #[test]
    fn strings_unquote_like_go() {
        // Helm 4.2.3 (oracle): printf "%q" of fromJsonArray's strings:
        // "\ud800\u0041" → "\ufffdA", raw bytes e2 82 then "Z" → two U+FFFD
        // then Z (one per byte), a pair → 😀, "\udc00\ud800" → two U+FFFD.
        let read = |b: &[u8]| read_string(b, 0).map(|(s, _)| s);
        assert_eq!(read(br#""\ud800\u0041""#), Ok("\u{FFFD}A".to_string()));
        assert_eq!(read(b"\"\xe2\x82Z\""), Ok("\u{FFFD}\u{FFFD}Z".to_string()));
        assert_eq!(read(br#""\ud83d\ude00""#), Ok("😀".to_string()));
        assert_eq!(read(br#""\udc00\ud800""#), Ok("\u{FFFD}\u{FFFD}".to_string()));
        let text = |e: Option<Error>| e.map(|e| e.message);
        assert_eq!(read(br#""a\qb""#).map_err(text), Err(Some("invalid character 'q' in string escape code".into())));
        assert_eq!(
            read(br#""\u00g0""#).map_err(text),
            Err(Some("invalid character 'g' in \\u hexadecimal character escape".into()))
        );
        assert_eq!(read(b"\"a\nb\"").map_err(text), Err(Some("invalid character '\\n' in string literal".into())));
        assert_eq!(read(br#""ab"#).map_err(text), Err(None));
        assert_eq!(read_string(br#"x"ab"y"#, 1), Ok(("ab".to_string(), 5)));
    }

    #[test]
    fn unmarshal_errors_match_go() {
        assert_eq!(from_json("x"), Err(Error::go("invalid character 'x' looking for beginning of value")));
        assert_eq!(from_json(""), Err(Error::go("unexpected end of JSON input")));
        assert_eq!(from_json(r#"{"a":1,"a":2}"#).map(|v| v.get("a")), Ok(Some(Value::Float(2.0))));
    }
}

#[cfg(test)]
mod cycle_tests {
    use super::*;

    #[test]
    fn self_containing_map_is_an_error_not_a_crash() {
        let d = Value::empty_map();
        if let Value::Map(m, _) = &d {
            m.borrow_mut().insert("self".into(), d.clone());
        }
        let e = to_json(&d).unwrap_err();
        assert_eq!(e, "json: unsupported value: encountered a cycle via map[string]interface {}");
        let p = crate::gofmt::printf::sprintf("%v", std::slice::from_ref(&d));
        assert!(p.starts_with("map[self:map[self:"));
        // Break the cycle so the test does not leak.
        if let Value::Map(m, _) = &d {
            m.borrow_mut().clear();
        }
    }
}
