//! `values.schema.json` validation as Helm 4.2.3 does it
//! (pkg/chart/common/util/jsonschema.go, `ValidateAgainstSchema`), with the
//! validation semantics and error text of santhosh-tekuri/jsonschema v6.0.2
//! that Helm uses.
//!
//! Helm validates the chart's coalesced values against its schema, then,
//! for every subchart, the values under the subchart's name against the
//! subchart's schema (recursively). Messages are collected per chart:
//! `values don't meet the specifications of the schema(s) in the following
//! chart(s):\nNAME:\n- at '/path': ...\n`.
//!
//! What is ported: JSON decoding with encoding/json's syntax errors; drafts
//! 4, 6, 7, 2019-09 and 2020-12 (`$schema`, 2020-12 by default); the
//! meta-schema check of draft-07 and 2020-12 schemas (a schema that does
//! not conform is refused with the library's report; the meta-schemas are
//! built in metaschema.rs); `$ref` to JSON
//! pointers, anchors and `$id`s inside the document, `$dynamicRef` (and
//! `$recursiveRef`, followed statically); reference-cycle detection; the
//! library's validation order and error tree (groups, references shown
//! only when they hold several causes) with its message texts, including
//! golang.org/x/text's English number formatting (`1,000`, `1×10⁰⁶`);
//! `unevaluatedProperties`/`unevaluatedItems`; format assertions (only
//! before draft 2019-09, as the library does by default, and in the
//! meta-schema check) for email, hostname, ipv4, ipv6 (netip's texts),
//! uuid, date, time, date-time, uri/iri and uri-reference (net/url's
//! texts, common cases) and regex (with Go regexp's error texts).
//!
//! Known differences: Go iterates maps in random order, so Helm lists
//! errors of several properties (and `additionalProperties` names, and
//! subcharts) in a different order from run to run; we use sorted order.
//! Patterns are Go RE2 patterns, read as Sprig's regex functions read them
//! (sprig/regex.rs: Go's ASCII `\d \w \s \b`, Unicode classes and case
//! folding); a pattern Go would reject is not checked. Draft-04/06/2019-09 schemas are not checked
//! against their meta-schemas, nor are schemas nested more than about 20
//! levels deep (the check is skipped rather than risk the stack). Remote (`http(s)`) references cannot be
//! fetched here and fail like an offline Helm (the resolver's words
//! differ). Content keywords are annotations only.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use super::Chart;

use crate::gofmt::strconv;
use crate::sprig::regexp::Regex;
use crate::value::Value;

#[path = "metaschema.rs"]
mod metaschema;

const ROOT_URL: &str = "file:///values.schema.json";

// ------------------------------------------------------------ helm side ---

/// `ToRenderValuesWithSchemaValidation`'s check: Helm's full error text, or
/// Ok when the values meet every chart's schema.
pub fn validate_against_schema(chart: &Chart, values: &Value) -> Result<(), String> {
    let mut sb = String::new();
    validate_chart(chart, values, &mut sb);
    if sb.is_empty() {
        Ok(())
    } else {
        Err(format!("values don't meet the specifications of the schema(s) in the following chart(s):\n{sb}"))
    }
}

/// `ValidateAgainstSchema` (one chart and its subcharts).
fn validate_chart(chart: &Chart, values: &Value, sb: &mut String) {
    if let Some(schema) = &chart.schema {
        if let Err(e) = validate_against_single_schema(values, schema) {
            sb.push_str(&format!("{}:\n", chart.name()));
            sb.push_str(&e);
        }
    }
    for sub in &chart.dependencies {
        let raw = match values {
            Value::Map(m, _) => m.borrow().get(sub.name()).cloned(),
            _ => None,
        };
        match raw {
            None | Some(Value::Nil) => continue,
            Some(v @ Value::Map(_, _)) => validate_chart(sub, &v, sb),
            Some(other) => sb.push_str(&format!(
                "{}:\ninvalid type for values: expected object (map), got {}\n",
                sub.name(),
                other.type_name()
            )),
        }
    }
}

/// `ValidateAgainstSingleSchema`: the error text as Helm appends it (a
/// validation report ends with a newline, a schema problem does not).
pub fn validate_against_single_schema(values: &Value, schema_json: &[u8]) -> Result<(), String> {
    let doc = parse_json(schema_json)?;
    let compiled = SchemaDoc::compile(doc, schema_json)?;
    match compiled.validate_root(values, false, MAX_DEPTH) {
        Ok(()) => Ok(()),
        Err(causes) => {
            let mut out = String::new();
            for c in &causes {
                c.display(&mut out, 1);
            }
            // Helm trims the "jsonschema validation failed with ..." line;
            // every cause starts with the newline that followed it.
            Err(format!("{}\n", out.strip_prefix('\n').unwrap_or(&out)))
        }
    }
}

// ----------------------------------------------------------------- JSON ---

/// A JSON document as `jsonschema.UnmarshalJSON` gives it (numbers kept as
/// their literal text, like json.Number).
#[derive(Clone, Debug, PartialEq)]
enum J {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(BTreeMap<String, J>),
}

impl J {
    fn get(&self, k: &str) -> Option<&J> {
        match self {
            J::Obj(m) => m.get(k),
            _ => None,
        }
    }
    fn as_str(&self) -> Option<&str> {
        match self {
            J::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// encoding/json's `quoteChar`.
fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".into(),
        b'"' => "'\"'".into(),
        _ => {
            let q = strconv::quote(&char::from(c).to_string());
            format!("'{}'", &q[1..q.len() - 1])
        }
    }
}

struct JsonParser<'a> {
    b: &'a [u8],
    i: usize,
    depth: usize,
}

/// Go's decoder error for byte `c` in a context.
fn syntax(c: u8, ctx: &str) -> String {
    format!("invalid character {} {ctx}", quote_char(c))
}

const UNEXPECTED_EOF: &str = "unexpected EOF";
const MAX_JSON_DEPTH: usize = 1000;

impl<'a> JsonParser<'a> {
    fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn value(&mut self) -> Result<J, String> {
        self.ws();
        let c = self.peek().ok_or(UNEXPECTED_EOF)?;
        // Go's decoder stops at 10000 levels; our stack is smaller.
        if matches!(c, b'{' | b'[') && self.depth >= MAX_JSON_DEPTH {
            return Err(syntax(c, "exceeded max depth"));
        }
        match c {
            b'{' => {
                self.i += 1;
                self.depth += 1;
                let mut m = BTreeMap::new();
                self.ws();
                if self.peek() == Some(b'}') {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(J::Obj(m));
                }
                loop {
                    self.ws();
                    match self.peek() {
                        None => return Err(UNEXPECTED_EOF.into()),
                        Some(b'"') => {}
                        Some(c) => return Err(syntax(c, "looking for beginning of object key string")),
                    }
                    let k = self.string()?;
                    self.ws();
                    match self.peek() {
                        None => return Err(UNEXPECTED_EOF.into()),
                        Some(b':') => self.i += 1,
                        Some(c) => return Err(syntax(c, "after object key")),
                    }
                    let v = self.value()?;
                    m.insert(k, v);
                    self.ws();
                    match self.peek() {
                        None => return Err(UNEXPECTED_EOF.into()),
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            self.depth -= 1;
                            return Ok(J::Obj(m));
                        }
                        Some(c) => return Err(syntax(c, "after object key:value pair")),
                    }
                }
            }
            b'[' => {
                self.i += 1;
                self.depth += 1;
                let mut a = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(J::Arr(a));
                }
                loop {
                    a.push(self.value()?);
                    self.ws();
                    match self.peek() {
                        None => return Err(UNEXPECTED_EOF.into()),
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            self.depth -= 1;
                            return Ok(J::Arr(a));
                        }
                        Some(c) => return Err(syntax(c, "after array element")),
                    }
                }
            }
            b'"' => Ok(J::Str(self.string()?)),
            b'-' | b'0'..=b'9' => self.number(),
            b't' => self.literal("true", J::Bool(true)),
            b'f' => self.literal("false", J::Bool(false)),
            b'n' => self.literal("null", J::Null),
            c => Err(syntax(c, "looking for beginning of value")),
        }
    }

    fn literal(&mut self, word: &str, v: J) -> Result<J, String> {
        for (k, &want) in word.as_bytes().iter().enumerate() {
            match self.peek() {
                None => return Err(UNEXPECTED_EOF.into()),
                Some(c) if c == want => self.i += 1,
                Some(c) => {
                    return Err(syntax(c, &format!("in literal {word} (expecting {})", quote_char(word.as_bytes()[k]))))
                }
            }
        }
        Ok(v)
    }

    fn digits(&mut self) -> usize {
        let s = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        self.i - s
    }

    fn number(&mut self) -> Result<J, String> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            None => return Err(UNEXPECTED_EOF.into()),
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            Some(c) => return Err(syntax(c, "in numeric literal")),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            match self.peek() {
                None => return Err(UNEXPECTED_EOF.into()),
                Some(b'0'..=b'9') => {
                    self.digits();
                }
                Some(c) => return Err(syntax(c, "after decimal point in numeric literal")),
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            match self.peek() {
                None => return Err(UNEXPECTED_EOF.into()),
                Some(b'0'..=b'9') => {
                    self.digits();
                }
                Some(c) => return Err(syntax(c, "in exponent of numeric literal")),
            }
        }
        Ok(J::Num(String::from_utf8_lossy(&self.b[start..self.i]).into_owned()))
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut v = 0u32;
        for _ in 0..4 {
            let c = self.peek().ok_or(UNEXPECTED_EOF)?;
            let d = (c as char).to_digit(16).ok_or_else(|| syntax(c, "in \\u hexadecimal character escape"))?;
            v = v * 16 + d;
            self.i += 1;
        }
        Ok(v)
    }

    fn string(&mut self) -> Result<String, String> {
        self.i += 1; // opening quote
        let mut out: Vec<u8> = Vec::new();
        loop {
            let c = self.peek().ok_or(UNEXPECTED_EOF)?;
            self.i += 1;
            match c {
                b'"' => return Ok(String::from_utf8_lossy(&out).into_owned()),
                b'\\' => {
                    let e = self.peek().ok_or(UNEXPECTED_EOF)?;
                    self.i += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            if (0xD800..0xDC00).contains(&hi)
                                && self.b.get(self.i) == Some(&b'\\')
                                && self.b.get(self.i + 1) == Some(&b'u')
                            {
                                let save = self.i;
                                self.i += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                                        .unwrap_or('\u{FFFD}')
                                } else {
                                    self.i = save;
                                    '\u{FFFD}'
                                }
                            } else {
                                char::from_u32(hi).unwrap_or('\u{FFFD}')
                            }
                        }
                        other => return Err(syntax(other, "in string escape code")),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                c if c < 0x20 => return Err(syntax(c, "in string literal")),
                c => out.push(c),
            }
        }
    }
}

/// `jsonschema.UnmarshalJSON`: one value, then only whitespace.
fn parse_json(b: &[u8]) -> Result<J, String> {
    let mut p = JsonParser { b, i: 0, depth: 0 };
    p.ws();
    if p.peek().is_none() {
        return Err("EOF".into());
    }
    let scalar_top = !matches!(p.peek(), Some(b'{' | b'[' | b'"'));
    let v = p.value()?;
    if scalar_top {
        // A number or literal ends only at the next byte, which the
        // decoder's scanner checks as "after top-level value".
        if let Some(c) = p.peek() {
            if !matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                return Err(syntax(c, "after top-level value"));
            }
        }
    }
    p.ws();
    if p.peek().is_some() {
        return Err("invalid character after top-level value".into());
    }
    Ok(v)
}

// -------------------------------------------------------------- numbers ---

/// An exact decimal (`big.Rat` of a number's text): value = digits × 10^exp.
#[derive(Clone, Debug)]
struct Dec {
    neg: bool,
    /// Significant digits, no leading or trailing zeros (empty = 0).
    digits: Vec<u8>,
    exp: i64,
}

impl Dec {
    fn parse(s: &str) -> Option<Dec> {
        let (neg, s) = match s.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let (mant, e) = match s.find(['e', 'E']) {
            Some(i) => (&s[..i], s[i + 1..].parse::<i64>().ok()?),
            None => (s, 0),
        };
        let (ip, fp) = match mant.find('.') {
            Some(i) => (&mant[..i], &mant[i + 1..]),
            None => (mant, ""),
        };
        if ip.is_empty() && fp.is_empty() || !ip.bytes().chain(fp.bytes()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        let mut digits: Vec<u8> = ip.bytes().chain(fp.bytes()).map(|c| c - b'0').collect();
        let mut exp = e - fp.len() as i64;
        let lead = digits.iter().take_while(|&&d| d == 0).count();
        digits.drain(..lead);
        while digits.last() == Some(&0) {
            digits.pop();
            exp += 1;
        }
        if digits.is_empty() {
            return Some(Dec { neg: false, digits, exp: 0 });
        }
        Some(Dec { neg, digits, exp })
    }

    fn of_value(v: &Value) -> Option<Dec> {
        Dec::parse(&go_number_text(v)?)
    }

    fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    fn is_int(&self) -> bool {
        self.is_zero() || self.exp >= 0
    }

    fn cmp_abs(&self, o: &Dec) -> std::cmp::Ordering {
        use std::cmp::Ordering::*;
        match (self.is_zero(), o.is_zero()) {
            (true, true) => return Equal,
            (true, false) => return Less,
            (false, true) => return Greater,
            _ => {}
        }
        let ma = self.digits.len() as i64 + self.exp;
        let mb = o.digits.len() as i64 + o.exp;
        if ma != mb {
            return ma.cmp(&mb);
        }
        let n = self.digits.len().max(o.digits.len());
        for i in 0..n {
            let a = self.digits.get(i).copied().unwrap_or(0);
            let b = o.digits.get(i).copied().unwrap_or(0);
            if a != b {
                return a.cmp(&b);
            }
        }
        Equal
    }

    fn cmp(&self, o: &Dec) -> std::cmp::Ordering {
        use std::cmp::Ordering::*;
        let sa = if self.is_zero() {
            0
        } else if self.neg {
            -1
        } else {
            1
        };
        let sb = if o.is_zero() {
            0
        } else if o.neg {
            -1
        } else {
            1
        };
        if sa != sb {
            return sa.cmp(&sb);
        }
        match sa {
            0 => Equal,
            1 => self.cmp_abs(o),
            _ => o.cmp_abs(self),
        }
    }

    /// `new(big.Rat).Quo(a, b).IsInt()`.
    fn is_multiple_of(&self, b: &Dec) -> Option<bool> {
        if b.is_zero() {
            return None; // big.Rat panics: division by zero
        }
        if self.is_zero() {
            return Some(true);
        }
        let k = self.exp - b.exp;
        if k < 0 {
            // digits have no trailing zero: never divisible by 10^-k.
            return Some(false);
        }
        // (A·10^k) mod B, with B small enough for u128.
        if b.digits.len() > 36 {
            return Some(false);
        }
        let bm: u128 = b.digits.iter().fold(0u128, |acc, &d| acc * 10 + d as u128);
        let mut r: u128 = 0;
        for &d in &self.digits {
            r = (r * 10 + d as u128) % bm;
        }
        for _ in 0..k.min(10_000) {
            r = (r * 10) % bm;
        }
        Some(r == 0)
    }
}

/// `fmt.Sprint` of a value's number (what the library feeds to big.Rat).
fn go_number_text(v: &Value) -> Option<String> {
    match v {
        Value::Int(i, _) => Some(i.to_string()),
        Value::Uint(u) => Some(u.to_string()),
        Value::Float(f) => Some(strconv::format_float_g(*f, 64)),
        _ => None,
    }
}

fn value_as_f64(v: &Value) -> f64 {
    match v {
        Value::Int(i, _) => *i as f64,
        Value::Uint(u) => *u as f64,
        Value::Float(f) => *f,
        _ => 0.0,
    }
}

/// Thousands separators, as golang.org/x/text prints integers in English.
fn group_digits(int_part: &str) -> String {
    let (sign, digits) = match int_part.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", int_part),
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return int_part.to_string(); // +Inf, NaN
    }
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

/// `message.Printer` (English) `%v` of a float64: `%g` shortest, with
/// grouping, and exponents written `×10` with superscript digits.
fn localized_float(f: f64) -> String {
    let s = strconv::format_float_g(f, 64);
    if let Some((mant, exp)) = s.split_once('e') {
        let mut out = String::from(mant);
        out.push_str("×10");
        for c in exp.chars() {
            out.push(match c {
                '-' => '⁻',
                '+' => continue,
                '0' => '⁰',
                '1' => '¹',
                '2' => '²',
                '3' => '³',
                '4' => '⁴',
                '5' => '⁵',
                '6' => '⁶',
                '7' => '⁷',
                '8' => '⁸',
                '9' => '⁹',
                other => other,
            });
        }
        out
    } else {
        match s.split_once('.') {
            Some((i, frac)) => format!("{}.{frac}", group_digits(i)),
            None => group_digits(&s),
        }
    }
}

fn localized_int(n: usize) -> String {
    group_digits(&n.to_string())
}

// ------------------------------------------------------------- messages ---

/// The library's `quote`: Go `%q`, then `\"` → `"` and `'` → `\'`, in
/// single quotes.
fn squote(s: &str) -> String {
    // Replacing on the whole quoted text, as the library does: an escaped
    // backslash at the end loses its second half to the closing quote.
    let q = strconv::quote(s).replace("\\\"", "\"").replace('\'', "\\'");
    let inner = q.get(1..q.len().saturating_sub(1)).unwrap_or("");
    format!("'{inner}'")
}

fn join_quoted(a: &[String]) -> String {
    a.iter().map(|s| squote(s)).collect::<Vec<_>>().join(", ")
}

/// `display`: a primitive as the library prints it (`%v` of the decoded
/// JSON value; numbers keep the schema's literal text).
fn display_json(v: &J) -> String {
    match v {
        J::Null => "<nil>".into(),
        J::Bool(b) => b.to_string(),
        J::Num(n) => n.clone(),
        J::Str(s) => squote(s),
        J::Arr(_) | J::Obj(_) => "value".into(),
    }
}

fn display_value(v: &Value) -> String {
    match v {
        Value::String(s) => squote(s),
        Value::List(..) | Value::Map(_, _) => "value".into(),
        Value::Nil => "<nil>".into(),
        other => go_number_text(other).unwrap_or_else(|| other.to_go_string()),
    }
}

/// JSON-pointer token escaping.
fn escape_tok(t: &str) -> String {
    t.replace('~', "~0").replace('/', "~1")
}

fn json_ptr(loc: &[String]) -> String {
    loc.iter().map(|t| format!("/{}", escape_tok(t))).collect()
}

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Group,
    Reference,
    Msg(String),
}

/// `jsonschema.ValidationError`.
#[derive(Clone, Debug)]
struct VErr {
    loc: Vec<String>,
    kind: Kind,
    causes: Vec<VErr>,
}

impl VErr {
    /// Whether the depth limit cut this validation short somewhere.
    fn too_deep(&self) -> bool {
        self.kind == Kind::Msg(TOO_DEEP.to_string()) || self.causes.iter().any(VErr::too_deep)
    }

    fn skip(&self) -> bool {
        self.kind == Kind::Reference && self.causes.len() == 1
    }

    /// `ValidationError.display` (non-verbose).
    fn display(&self, sb: &mut String, mut indent: usize) {
        if !self.skip() {
            if indent > 0 {
                sb.push('\n');
                for _ in 0..indent - 1 {
                    sb.push_str("  ");
                }
                sb.push_str("- ");
            }
            indent += 1;
            sb.push_str(&format!("at {}: ", squote(&json_ptr(&self.loc))));
            sb.push_str(match &self.kind {
                Kind::Group | Kind::Reference => "validation failed",
                Kind::Msg(m) => m,
            });
        }
        for c in &self.causes {
            c.display(sb, indent);
        }
    }
}

// ----------------------------------------------------------- the schema ---

/// Where a schema sits: its JSON, the base URL of its resource, its draft.
#[derive(Clone)]
struct SRef<'a> {
    j: &'a J,
    base: Rc<str>,
    draft: u32,
    /// Absolute location (`file:///values.schema.json#/properties/a`).
    loc: Rc<str>,
}

/// A schema location: document index and JSON pointer tokens.
type Ptr = (usize, Vec<String>);

/// A compiled schema: its documents (the values.schema.json, or a
/// dialect's meta-schema documents) and their resources.
struct SchemaDoc {
    docs: Vec<J>,
    draft: u32,
    /// URL of document 0 (its locations are `URL#pointer`).
    root_url: String,
    /// Resource URL (no fragment) → its root.
    resources: HashMap<String, Ptr>,
    /// (resource URL, anchor) → schema.
    anchors: HashMap<(String, String), Ptr>,
    /// (resource URL, name) of every `$dynamicAnchor`.
    dyn_anchors: HashSet<(String, String)>,
    regexes: RefCell<HashMap<String, Option<Rc<Regex>>>>,
}

/// The meta-schema Helm's library checks a schema of this draft against
/// (built once per thread, see metaschema.rs). Draft-04, -06 and 2019-09
/// schemas are not checked against theirs.
fn meta_schema(draft: u32) -> Option<Rc<SchemaDoc>> {
    thread_local! {
        static META_2020: Rc<SchemaDoc> = Rc::new(SchemaDoc::from_documents(metaschema::draft_2020_12(), 2020));
        static META_07: Rc<SchemaDoc> = Rc::new(SchemaDoc::from_documents(vec![metaschema::draft_07()], 7));
    }
    match draft {
        2020 => Some(META_2020.with(Rc::clone)),
        7 => Some(META_07.with(Rc::clone)),
        _ => None,
    }
}

/// Outcomes of the meta-schema check for the last few schema texts: the
/// check walks the whole schema (20–30 ms for the largest public charts'),
/// and the playground re-renders the same chart on every edit.
const META_CACHE: usize = 4;

/// (draft, schema text, outcome)
type MetaOutcome = (u32, Vec<u8>, Result<(), String>);

/// The schema against its draft's meta-schema: Ok, or the library's report.
fn meta_check(draft: u32, root: &J, text: &[u8]) -> Result<(), String> {
    thread_local! {
        static CACHE: RefCell<Vec<MetaOutcome>> = const { RefCell::new(Vec::new()) };
    }
    if let Some(hit) =
        CACHE.with(|c| c.borrow().iter().find(|(d, t, _)| *d == draft && t.as_slice() == text).map(|e| e.2.clone()))
    {
        return hit;
    }
    let Some(meta) = meta_schema(draft) else { return Ok(()) };
    let result = match meta.validate_root(&json_to_value(root), true, META_MAX_DEPTH) {
        Ok(()) => Ok(()),
        // Deeper than we can follow: not checked (Helm would go on).
        Err(causes) if causes.iter().any(VErr::too_deep) => Ok(()),
        Err(causes) => {
            let mut out = format!(
                "{} is not valid against metaschema: jsonschema validation failed with {}",
                strconv::quote(&format!("{ROOT_URL}#")),
                squote(&format!("{}#", meta.root_url))
            );
            for c in &causes {
                c.display(&mut out, 1);
            }
            Err(out)
        }
    };
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= META_CACHE {
            let _ = c.remove(0);
        }
        c.push((draft, text.to_vec(), result.clone()));
    });
    result
}

/// A JSON document as an instance value (for meta-schema validation).
fn json_to_value(j: &J) -> Value {
    match j {
        J::Null => Value::Nil,
        J::Bool(b) => Value::Bool(*b),
        J::Num(n) => Value::Float(n.parse().unwrap_or(0.0)),
        J::Str(s) => Value::str(s),
        J::Arr(a) => Value::list(a.iter().map(json_to_value).collect()),
        J::Obj(m) => {
            Value::map_ref(Rc::new(RefCell::new(m.iter().map(|(k, v)| (k.clone(), json_to_value(v))).collect())))
        }
    }
}

/// `draftFromURL`: the `$schema` URLs the library knows (either scheme);
/// `json-schema.org/schema` is the latest draft. (With a fragment the
/// library finds the same preloaded meta-schema: Helm accepts it.)
fn draft_of(url: &str) -> Option<u32> {
    let (u, _frag) = split_frag(url);
    let u = u.strip_prefix("http://").or_else(|| u.strip_prefix("https://")).unwrap_or(u);
    match u {
        "json-schema.org/schema" => Some(2020),
        "json-schema.org/draft-04/schema" => Some(4),
        "json-schema.org/draft-06/schema" => Some(6),
        "json-schema.org/draft-07/schema" => Some(7),
        "json-schema.org/draft/2019-09/schema" => Some(2019),
        "json-schema.org/draft/2020-12/schema" => Some(2020),
        _ => None,
    }
}

fn split_frag(u: &str) -> (&str, &str) {
    match u.find('#') {
        Some(i) => (&u[..i], &u[i + 1..]),
        None => (u, ""),
    }
}

/// RFC 3986 reference resolution for the forms schemas use.
fn resolve_url(base: &str, r: &str) -> String {
    let (base_nofrag, _) = split_frag(base);
    if r.starts_with('#') {
        return format!("{base_nofrag}{r}");
    }
    if r.is_empty() {
        return base_nofrag.to_string();
    }
    if let Some(i) = r.find(':') {
        if r[..i].chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) && i > 0 {
            return r.to_string();
        }
    }
    let scheme_end = base_nofrag.find("://").map(|i| i + 3);
    let authority_end =
        scheme_end.map(|s| base_nofrag[s..].find('/').map_or(base_nofrag.len(), |j| s + j)).unwrap_or(0);
    if let Some(rest) = r.strip_prefix("//") {
        let scheme = base_nofrag.find(':').map_or("", |i| &base_nofrag[..i]);
        return format!("{scheme}://{rest}");
    }
    let (origin, path) = base_nofrag.split_at(authority_end);
    let merged = if r.starts_with('/') {
        r.to_string()
    } else {
        let dir = match path.rfind('/') {
            Some(i) => &path[..=i],
            None => "/",
        };
        format!("{dir}{r}")
    };
    // remove dot segments
    let (p, frag) = split_frag(&merged);
    let mut out: Vec<&str> = Vec::new();
    let segs: Vec<&str> = p.split('/').collect();
    for (i, s) in segs.iter().enumerate() {
        match *s {
            "." => {
                if i == segs.len() - 1 {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if i == segs.len() - 1 {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let path = out.join("/");
    let path = if path.starts_with('/') { path } else { format!("/{path}") };
    if merged.contains('#') {
        format!("{origin}{path}#{frag}")
    } else {
        format!("{origin}{path}")
    }
}

/// Percent-decoding of a URL fragment.
fn pct_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn lookup<'a>(root: &'a J, ptr: &[String]) -> Option<&'a J> {
    let mut cur = root;
    for t in ptr {
        cur = match cur {
            J::Obj(m) => m.get(t)?,
            J::Arr(a) => a.get(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// A `$ref` found while indexing: (pointer of the schema holding it, base URL, reference).
type RefSite = (Vec<String>, String, String);

/// How many subschema steps a pointer takes from the root (`properties/a` is
/// one, `items` is one, `allOf/0` is one): its level in the compile queue.
fn schema_depth(ptr: &[String]) -> usize {
    let (mut i, mut depth) = (0, 0);
    while i < ptr.len() {
        let k = ptr[i].as_str();
        let indexed = ptr.get(i + 1).is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        i += if SUB_MAP.contains(&k) || (SUB_ARR.contains(&k) && (k != "items" || indexed)) { 2 } else { 1 };
        depth += 1;
    }
    depth
}

/// Keywords whose value is one subschema / a map of them / an array of them.
const SUB_ONE: &[&str] = &[
    "additionalProperties",
    "additionalItems",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contentSchema",
    "items",
];
const SUB_MAP: &[&str] =
    &["properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies"];
const SUB_ARR: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems", "items"];

impl SchemaDoc {
    /// `compiler.AddResource` + `Compile`: draft, resources, anchors, and
    /// every `$ref` resolved up front (Helm fails before validating).
    fn compile(root: J, text: &[u8]) -> Result<SchemaDoc, String> {
        let draft = match root.get("$schema").and_then(J::as_str) {
            None => 2020,
            Some(s) => match draft_of(s) {
                Some(d) => d,
                None => return Err(load_error(&resolve_url(ROOT_URL, split_frag(s).0))),
            },
        };
        // The schema must conform to its draft's meta-schema.
        meta_check(draft, &root, text)?;
        let mut doc = SchemaDoc {
            docs: vec![root.clone()],
            draft,
            root_url: ROOT_URL.to_string(),
            resources: HashMap::new(),
            anchors: HashMap::new(),
            dyn_anchors: HashSet::new(),
            regexes: RefCell::new(HashMap::new()),
        };
        doc.resources.insert(ROOT_URL.to_string(), (0, Vec::new()));
        let mut refs = Vec::new();
        doc.index(0, &root, ROOT_URL, &mut Vec::new(), &mut refs);
        // jsonschema/v6 compiles subschemas from a queue (breadth first) and
        // loads a remote `$ref` when it compiles the schema holding it, so the
        // first reference that cannot be loaded is the shallowest one
        // (bjw-s common: `defaultPodOptions` → schemas/pod.json before the
        // deeper `configMaps.*` → schemas/configmap.json).
        let mut refs: Vec<(usize, String, String)> =
            refs.into_iter().map(|(ptr, base, r)| (schema_depth(&ptr), base, r)).collect();
        refs.sort_by_key(|x| x.0);
        for (_, base, r) in refs {
            doc.resolve_ref(&base, &r)?;
        }
        Ok(doc)
    }

    /// A dialect's meta-schema documents ((URL, JSON), the dialect schema
    /// first), indexed like compiled ones; their references are trusted.
    fn from_documents(docs: Vec<(String, J)>, draft: u32) -> SchemaDoc {
        let root_url = docs.first().map(|d| d.0.clone()).unwrap_or_default();
        let mut doc = SchemaDoc {
            docs: docs.iter().map(|d| d.1.clone()).collect(),
            draft,
            root_url,
            resources: HashMap::new(),
            anchors: HashMap::new(),
            dyn_anchors: HashSet::new(),
            regexes: RefCell::new(HashMap::new()),
        };
        for (i, (url, j)) in docs.iter().enumerate() {
            doc.resources.insert(url.clone(), (i, Vec::new()));
            doc.index(i, j, url, &mut Vec::new(), &mut Vec::new());
        }
        doc
    }

    fn id_key(&self) -> &'static str {
        if self.draft == 4 {
            "id"
        } else {
            "$id"
        }
    }

    /// Walks subschemas: records `$id` resources, anchors, and refs.
    fn index(&mut self, d: usize, j: &J, base: &str, ptr: &mut Vec<String>, refs: &mut Vec<RefSite>) {
        let J::Obj(m) = j else { return };
        let mut base = base.to_string();
        if let Some(id) = m.get(self.id_key()).and_then(J::as_str) {
            let abs = resolve_url(&base, id);
            let (url, frag) = split_frag(&abs);
            if self.draft < 2019 && id.starts_with('#') {
                self.anchors.insert((url.to_string(), frag.to_string()), (d, ptr.clone()));
            } else {
                self.resources.entry(url.to_string()).or_insert_with(|| (d, ptr.clone()));
                base = url.to_string();
                if !frag.is_empty() && self.draft < 2019 {
                    self.anchors.insert((url.to_string(), frag.to_string()), (d, ptr.clone()));
                }
            }
        }
        for kw in ["$anchor", "$dynamicAnchor"] {
            if let Some(a) = m.get(kw).and_then(J::as_str) {
                if self.draft >= 2019 {
                    self.anchors.entry((base.clone(), a.to_string())).or_insert_with(|| (d, ptr.clone()));
                    if kw == "$dynamicAnchor" {
                        self.dyn_anchors.insert((base.clone(), a.to_string()));
                    }
                }
            }
        }
        for kw in ["$ref", "$dynamicRef", "$recursiveRef"] {
            if let Some(r) = m.get(kw).and_then(J::as_str) {
                refs.push((ptr.clone(), base.clone(), r.to_string()));
                if self.draft < 2019 && kw == "$ref" {
                    // siblings of $ref are ignored before 2019-09
                    return;
                }
            }
        }
        for (k, v) in m {
            let k = k.as_str();
            if SUB_MAP.contains(&k) {
                if let J::Obj(mm) = v {
                    for (name, s) in mm {
                        ptr.push(k.to_string());
                        ptr.push(name.clone());
                        self.index(d, s, &base, ptr, refs);
                        ptr.pop();
                        ptr.pop();
                    }
                }
            } else if SUB_ARR.contains(&k) && matches!(v, J::Arr(_)) {
                if let J::Arr(a) = v {
                    for (i, s) in a.iter().enumerate() {
                        ptr.push(k.to_string());
                        ptr.push(i.to_string());
                        self.index(d, s, &base, ptr, refs);
                        ptr.pop();
                        ptr.pop();
                    }
                }
            } else if SUB_ONE.contains(&k) {
                ptr.push(k.to_string());
                self.index(d, v, &base, ptr, refs);
                ptr.pop();
            }
        }
    }

    /// Resolves a reference to (target pointer, its resource base URL).
    /// None: a `urn:` reference nobody resolves, which Helm loads as the
    /// permissive `true` schema.
    fn resolve_ref(&self, base: &str, r: &str) -> Result<Option<(Ptr, String)>, String> {
        let abs = resolve_url(base, r);
        let (url, frag) = split_frag(&abs);
        let Some(res_ptr) = self.resources.get(url) else {
            if url.starts_with("urn:") {
                return Ok(None);
            }
            return Err(load_error(url));
        };
        let frag = pct_decode(frag);
        if frag.is_empty() {
            return Ok(Some((res_ptr.clone(), url.to_string())));
        }
        if let Some(p) = frag.strip_prefix('/') {
            let mut ptr = res_ptr.clone();
            for t in p.split('/') {
                ptr.1.push(t.replace("~1", "/").replace("~0", "~"));
            }
            if self.lookup(&ptr).is_none() {
                return Err(format!("json-pointer in {} not found", strconv::quote(&format!("{url}#{frag}"))));
            }
            return Ok(Some((ptr, url.to_string())));
        }
        match self.anchors.get(&(url.to_string(), frag.clone())) {
            Some(p) => Ok(Some((p.clone(), url.to_string()))),
            None => Err(format!(
                "anchor in {} not found in schema {}",
                strconv::quote(&format!("{url}#{frag}")),
                strconv::quote(url)
            )),
        }
    }

    fn lookup(&self, p: &Ptr) -> Option<&J> {
        lookup(self.docs.get(p.0)?, &p.1)
    }

    fn validate_root(&self, v: &Value, assert_format: bool, max_depth: usize) -> Result<(), Vec<VErr>> {
        let root = self.docs.first().ok_or_else(Vec::new)?;
        let s = SRef {
            j: root,
            base: Rc::from(self.root_url.as_str()),
            draft: self.draft,
            loc: Rc::from(format!("{}#", self.root_url).as_str()),
        };
        let mut vd = Validator {
            doc: self,
            uneval: Vec::new(),
            out_uneval: None,
            caller_needs: false,
            scopes: Vec::new(),
            assert_format,
            max_depth,
        };
        match vd.validate(&s, v, &mut Vec::new(), String::new(), false) {
            Ok(()) => Ok(()),
            Err(e) if e.kind == Kind::Group => Err(e.causes),
            Err(e) => Err(vec![e]),
        }
    }

    fn regex(&self, pat: &str) -> Option<Rc<Regex>> {
        if let Some(r) = self.regexes.borrow().get(pat) {
            return r.clone();
        }
        let r = crate::sprig::regex::compile(pat).ok().map(Rc::new);
        self.regexes.borrow_mut().insert(pat.to_string(), r.clone());
        r
    }
}

fn load_error(url: &str) -> String {
    let q = strconv::quote(url);
    if let Some(rest) = url.strip_prefix("file://") {
        // FileLoader opens url.Parse(url).Path: what follows `file://` up to
        // the next '/' is the host (`file://../x.json` opens `/x.json`).
        let path = rest.find('/').map_or("", |i| &rest[i..]);
        format!("failing loading {q}: open {path}: no such file or directory")
    } else if url.starts_with("http://") || url.starts_with("https://") {
        let host = url.split("://").nth(1).and_then(|r| r.split(['/', ':']).next()).unwrap_or("");
        format!("failing loading {q}: HTTP request failed for {url}: Get {q}: dial tcp: lookup {host}: no such host")
    } else {
        let scheme = url.split(':').next().unwrap_or("");
        let _ = scheme;
        format!("no URLLoader registered for {q}")
    }
}

// ------------------------------------------------------------ validator ---

#[derive(Clone, Copy, PartialEq, Eq)]
enum JType {
    Null,
    Boolean,
    Number,
    Integer,
    String,
    Array,
    Object,
}

const TYPE_ORDER: [JType; 7] =
    [JType::Null, JType::Boolean, JType::Number, JType::Integer, JType::String, JType::Array, JType::Object];

impl JType {
    fn name(self) -> &'static str {
        match self {
            JType::Null => "null",
            JType::Boolean => "boolean",
            JType::Number => "number",
            JType::Integer => "integer",
            JType::String => "string",
            JType::Array => "array",
            JType::Object => "object",
        }
    }
    fn from_name(s: &str) -> Option<JType> {
        TYPE_ORDER.iter().copied().find(|t| t.name() == s)
    }
}

fn type_of(v: &Value) -> Option<JType> {
    Some(match v {
        Value::Nil => JType::Null,
        Value::Bool(_) => JType::Boolean,
        Value::Int(..) | Value::Uint(_) | Value::Float(_) => JType::Number,
        Value::String(_) => JType::String,
        Value::List(..) => JType::Array,
        Value::Map(_, _) => JType::Object,
        _ => return None,
    })
}

fn type_of_json(j: &J) -> JType {
    match j {
        J::Null => JType::Null,
        J::Bool(_) => JType::Boolean,
        J::Num(_) => JType::Number,
        J::Str(_) => JType::String,
        J::Arr(_) => JType::Array,
        J::Obj(_) => JType::Object,
    }
}

fn is_integer(v: &Value) -> bool {
    Dec::of_value(v).is_some_and(|d| d.is_int())
}

/// `equals` between an instance value and a schema constant.
fn equals_json(v: &Value, j: &J) -> bool {
    match (v, j) {
        (Value::Nil, J::Null) => true,
        (Value::Bool(a), J::Bool(b)) => a == b,
        (Value::String(a), J::Str(b)) => **a == **b,
        (Value::Int(..) | Value::Uint(_) | Value::Float(_), J::Num(n)) => match (Dec::of_value(v), Dec::parse(n)) {
            (Some(a), Some(b)) => a.cmp(&b) == std::cmp::Ordering::Equal,
            _ => false,
        },
        (Value::List(l, _), J::Arr(a)) => {
            let l = l.borrow();
            l.len() == a.len() && l.iter().zip(a).all(|(x, y)| equals_json(x, y))
        }
        (Value::Map(m, _), J::Obj(o)) => {
            let m = m.borrow();
            m.len() == o.len() && m.iter().all(|(k, x)| o.get(k).is_some_and(|y| equals_json(x, y)))
        }
        _ => false,
    }
}

/// `equals` between two instance values (uniqueItems).
fn equals_values(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::List(x, _), Value::List(y, _)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| equals_values(p, q))
        }
        (Value::Map(x, _), Value::Map(y, _)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len() && x.iter().all(|(k, p)| y.get(k).is_some_and(|q| equals_values(p, q)))
        }
        _ => match (Dec::of_value(a), Dec::of_value(b)) {
            (Some(x), Some(y)) => x.cmp(&y) == std::cmp::Ordering::Equal,
            _ => false,
        },
    }
}

fn num_of(j: Option<&J>) -> Option<Dec> {
    match j {
        Some(J::Num(n)) => Dec::parse(n),
        _ => None,
    }
}

fn usize_of(j: Option<&J>) -> Option<usize> {
    let d = num_of(j)?;
    if !d.is_int() || d.neg {
        return None;
    }
    if d.is_zero() {
        return Some(0);
    }
    if d.digits.len() as i64 + d.exp > 19 {
        return Some(usize::MAX);
    }
    let s: String =
        d.digits.iter().map(|x| (b'0' + x) as char).collect::<String>() + &"0".repeat(d.exp.max(0) as usize);
    Some(s.parse().unwrap_or(usize::MAX))
}

fn num_f64(j: &J) -> f64 {
    match j {
        J::Num(n) => n.parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

/// Nesting of schema applications we follow (Go has no limit but its
/// goroutine stack grows; ours is fixed, in wasm 1 MiB).
const MAX_DEPTH: usize = 200;

/// The same for the meta-schema check, where every level of the schema is
/// about six levels of meta-schema (dialect, allOf, vocabulary, keyword,
/// subschema, `$dynamicRef`) through larger frames: 120 keeps a debug build
/// inside a 2 MiB thread stack, and covers schemas nested about 20 deep.
/// A deeper schema is not meta-checked.
const META_MAX_DEPTH: usize = 120;

/// The message of the depth limit.
const TOO_DEEP: &str = "schema nesting too deep";

struct Scope {
    /// Identity of the schema (its address in the document).
    id: usize,
    /// Keyword path from the parent scope's schema, or `/$ref`.
    frag: String,
    /// Depth of the value being validated.
    vid: usize,
    /// Base URL of the schema's resource (for `$dynamicRef`).
    base: Rc<str>,
}

/// Properties / items not yet evaluated by any keyword (`uneval`); None
/// when nobody needs to know.
#[derive(Clone, Default)]
struct Uneval {
    props: Option<BTreeSet<String>>,
    items: Option<BTreeSet<usize>>,
}

impl Uneval {
    fn is_empty(&self) -> bool {
        self.props.as_ref().is_none_or(|p| p.is_empty()) && self.items.as_ref().is_none_or(|i| i.is_empty())
    }

    /// `uneval.merge`: what `other` evaluated is evaluated here too.
    fn merge(&mut self, other: &Uneval) {
        if let Some(p) = &mut self.props {
            p.retain(|k| other.props.as_ref().is_some_and(|o| o.contains(k)));
        }
        if let Some(i) = &mut self.items {
            i.retain(|k| other.items.as_ref().is_some_and(|o| o.contains(k)));
        }
    }
}

struct Validator<'d> {
    doc: &'d SchemaDoc,
    /// Stack of the schemas being applied: what they have not evaluated.
    uneval: Vec<Uneval>,
    /// The state of the last schema that passed (for `validateSelf`).
    out_uneval: Option<Uneval>,
    /// Whether the schema about to be applied must track evaluation.
    caller_needs: bool,
    scopes: Vec<Scope>,
    /// Formats asserted in every draft (meta-schema validation).
    assert_format: bool,
    /// Limit on `scopes` (MAX_DEPTH, or META_MAX_DEPTH).
    max_depth: usize,
}

impl<'d> Validator<'d> {
    fn err(&self, vloc: &[String], msg: String) -> VErr {
        VErr { loc: vloc.to_vec(), kind: Kind::Msg(msg), causes: Vec::new() }
    }

    /// Follows `$ref`/`$dynamicRef`/`$recursiveRef` from `s`.
    fn target(&self, s: &SRef<'d>, r: &str) -> Option<SRef<'d>> {
        match self.doc.resolve_ref(&s.base, r) {
            Ok(Some((ptr, base))) => {
                let j = self.doc.lookup(&ptr)?;
                let res_len = self.doc.resources.get(&base).map_or(0, |p| p.1.len()).min(ptr.1.len());
                let loc = format!("{base}#{}", json_ptr(&ptr.1[res_len..]));
                Some(SRef { j, base: Rc::from(base.as_str()), draft: s.draft, loc: Rc::from(loc.as_str()) })
            }
            _ => None,
        }
    }

    fn validate_ref(&mut self, s: &SRef<'d>, kw: &str, r: &str, v: &Value, vloc: &mut Vec<String>) -> Result<(), VErr> {
        let Some(mut t) = self.target(s, r) else {
            // urn: references load as the permissive `true` schema.
            return Ok(());
        };
        if kw == "$dynamicRef" {
            // A `$dynamicRef` to a `$dynamicAnchor` resolves to the
            // outermost resource in scope that declares the same anchor.
            let name = split_frag(r).1;
            if !name.is_empty() && !name.starts_with('/') && t.j.get("$dynamicAnchor").and_then(J::as_str) == Some(name)
            {
                let outer = self
                    .scopes
                    .iter()
                    .find(|sc| self.doc.dyn_anchors.contains(&(sc.base.to_string(), name.to_string())))
                    .map(|sc| sc.base.clone());
                if let Some(base) = outer {
                    if let Some(dt) = self.target(&SRef { base, ..s.clone() }, &format!("#{name}")) {
                        t = dt;
                    }
                }
            }
        }
        // validateRef is a validateSelf: evaluation flows back on success.
        self.caller_needs = self.uneval.last().is_some_and(|u| !u.is_empty());
        let r = self.validate(&t, v, vloc, format!("/{}", escape_tok(kw)), false);
        self.caller_needs = false;
        if r.is_ok() {
            if let (Some(child), Some(cur)) = (self.out_uneval.take(), self.uneval.last_mut()) {
                cur.merge(&child);
            }
        }
        match r {
            Ok(()) => Ok(()),
            Err(e) => {
                let causes = if e.kind == Kind::Group { e.causes } else { vec![e] };
                Err(VErr { loc: vloc.clone(), kind: Kind::Reference, causes })
            }
        }
    }

    /// A subschema under keyword path `frag` (`/properties/a`).
    fn sub(&self, s: &SRef<'d>, j: &'d J, frag: &str) -> (SRef<'d>, String) {
        let loc = format!("{}{frag}", s.loc);
        (SRef { j, base: s.base.clone(), draft: s.draft, loc: Rc::from(loc.as_str()) }, frag.to_string())
    }

    /// `validateSelf`: another schema on the same value; when it passes,
    /// what it evaluated counts as evaluated here (unevaluated* keywords).
    fn validate_self(
        &mut self,
        s: &SRef<'d>,
        j: &'d J,
        frag: &str,
        v: &Value,
        vloc: &mut Vec<String>,
    ) -> Result<(), VErr> {
        let (sub, frag) = self.sub(s, j, frag);
        self.caller_needs = self.uneval.last().is_some_and(|u| !u.is_empty());
        let r = self.validate(&sub, v, vloc, frag, false);
        self.caller_needs = false;
        if r.is_ok() {
            if let (Some(child), Some(cur)) = (self.out_uneval.take(), self.uneval.last_mut()) {
                cur.merge(&child);
            }
        }
        r
    }

    fn mark_prop(&mut self, name: &str) {
        if let Some(Uneval { props: Some(p), .. }) = self.uneval.last_mut() {
            p.remove(name);
        }
    }

    fn mark_item(&mut self, i: usize) {
        if let Some(Uneval { items: Some(it), .. }) = self.uneval.last_mut() {
            it.remove(&i);
        }
    }

    /// `validateVal`: a subschema on a child value (`tok` in the instance).
    fn validate_val(
        &mut self,
        s: &SRef<'d>,
        j: &'d J,
        frag: &str,
        v: &Value,
        vloc: &mut Vec<String>,
        tok: String,
    ) -> Result<(), VErr> {
        vloc.push(tok);
        let (sub, frag) = self.sub(s, j, frag);
        let r = self.validate(&sub, v, vloc, frag, true);
        vloc.pop();
        r
    }

    /// Enters a scope (Go's `scope`: schema, keyword path, value depth) and
    /// validates.
    fn validate(
        &mut self,
        s: &SRef<'d>,
        v: &Value,
        vloc: &mut Vec<String>,
        frag: String,
        new_value: bool,
    ) -> Result<(), VErr> {
        if self.scopes.len() > self.max_depth {
            return Err(self.err(vloc, TOO_DEEP.into()));
        }
        let vid = self.scopes.last().map_or(0, |sc| sc.vid + usize::from(new_value));
        self.scopes.push(Scope { id: s.j as *const J as usize, frag, vid, base: s.base.clone() });
        let r = self.validate_inner(s, v, vloc);
        self.scopes.pop();
        r
    }

    /// `scope.checkCycle`: the same schema already applies to the same
    /// value further up. Returns the two keyword locations.
    fn check_cycle(&self) -> Option<(String, String)> {
        let cur = self.scopes.last()?;
        let n = self.scopes.len() - 1;
        let kw_loc = |i: usize| self.scopes[1..=i].iter().map(|sc| sc.frag.as_str()).collect::<String>();
        for i in (0..n).rev() {
            let sc = &self.scopes[i];
            if sc.vid != cur.vid {
                break;
            }
            if sc.id == cur.id {
                return Some((kw_loc(n), if i == 0 { String::new() } else { kw_loc(i) }));
            }
        }
        None
    }

    fn validate_inner(&mut self, s0: &SRef<'d>, v: &Value, vloc: &mut Vec<String>) -> Result<(), VErr> {
        let needs = std::mem::take(&mut self.caller_needs);
        self.out_uneval = None;
        // `unevalFrom`: what this schema must account for.
        let (track_props, track_items) = match s0.j {
            J::Obj(m) if s0.draft >= 2019 => {
                (needs || m.contains_key("unevaluatedProperties"), needs || m.contains_key("unevaluatedItems"))
            }
            _ => (needs, needs),
        };
        let uneval = Uneval {
            props: match v {
                Value::Map(o, _) if track_props => Some(o.borrow().keys().cloned().collect()),
                _ => None,
            },
            items: match v {
                Value::List(l, _) if track_items => Some((0..l.borrow().len()).collect()),
                _ => None,
            },
        };
        self.uneval.push(uneval);
        let r = self.validate_body(s0, v, vloc);
        let done = self.uneval.pop();
        self.out_uneval = if r.is_ok() { done } else { None };
        r
    }

    fn validate_body(&mut self, s0: &SRef<'d>, v: &Value, vloc: &mut Vec<String>) -> Result<(), VErr> {
        let m = match s0.j {
            J::Bool(true) => return Ok(()),
            J::Bool(false) => return Err(self.err(vloc, "false schema".into())),
            J::Obj(m) => m,
            _ => return Ok(()),
        };
        if let Some((kw1, kw2)) = self.check_cycle() {
            return Err(self.err(
                vloc,
                format!("both {kw1} and {kw2} resolve to {} causing reference cycle", strconv::quote(&s0.loc)),
            ));
        }
        // A subschema with its own $id is a resource with its own base.
        let mut s = s0.clone();
        let id_key = if s.draft == 4 { "id" } else { "$id" };
        if let Some(id) = m.get(id_key).and_then(J::as_str) {
            if !(s.draft < 2019 && id.starts_with('#')) {
                let abs = resolve_url(&s.base, id);
                s.base = Rc::from(split_frag(&abs).0);
            }
        }
        let s = &s;
        let draft = s.draft;
        let Some(t) = type_of(v) else {
            return Err(self.err(vloc, format!("invalid jsonType {}", v.type_name())));
        };

        // type --
        if let Some(tj) = m.get("type") {
            let want: Vec<JType> = match tj {
                J::Str(n) => JType::from_name(n).into_iter().collect(),
                J::Arr(a) => a.iter().filter_map(|x| x.as_str().and_then(JType::from_name)).collect(),
                _ => Vec::new(),
            };
            if !want.is_empty() {
                let matched =
                    want.contains(&t) || (want.contains(&JType::Integer) && t == JType::Number && is_integer(v));
                if !matched {
                    let names: Vec<&str> = TYPE_ORDER.iter().filter(|x| want.contains(x)).map(|x| x.name()).collect();
                    return Err(self.err(vloc, format!("got {}, want {}", t.name(), names.join(" or "))));
                }
            }
        }

        // const --
        if draft >= 6 {
            if let Some(c) = m.get("const") {
                if !equals_json(v, c) {
                    let msg = match c {
                        J::Arr(_) | J::Obj(_) => "'const' failed".to_string(),
                        other => format!("value must be {}", display_json(other)),
                    };
                    return Err(self.err(vloc, msg));
                }
            }
        }

        // enum --
        if let Some(J::Arr(items)) = m.get("enum") {
            let types: Vec<JType> = items.iter().map(type_of_json).collect();
            let matched = types.contains(&t) && items.iter().any(|it| equals_json(v, it));
            if !matched {
                let all_primitive = !items.iter().any(|i| matches!(i, J::Arr(_) | J::Obj(_)));
                let msg = if all_primitive {
                    if items.len() == 1 {
                        format!("value must be {}", display_json(&items[0]))
                    } else {
                        format!(
                            "value must be one of {}",
                            items.iter().map(display_json).collect::<Vec<_>>().join(", ")
                        )
                    }
                } else {
                    "'enum' failed".to_string()
                };
                return Err(self.err(vloc, msg));
            }
        }

        // format (asserted before draft 2019-09 only, the library's default) --
        if draft < 2019 || self.assert_format {
            if let Some(f) = m.get("format").and_then(J::as_str) {
                if let Some(Err(e)) = check_format(f, v) {
                    return Err(self.err(vloc, format!("{} is not valid {f}: {e}", display_value(v))));
                }
            }
        }

        let mut errors: Vec<VErr> = Vec::new();

        // $ref --
        if let Some(r) = m.get("$ref").and_then(J::as_str) {
            let res = self.validate_ref(s, "$ref", r, v, vloc);
            if draft < 2019 {
                return res;
            }
            if let Err(e) = res {
                errors.push(e);
            }
        }

        match v {
            Value::Map(obj, _) => self.obj_validate(s, m, &obj.borrow(), vloc, &mut errors),
            Value::List(arr, _) => self.arr_validate(s, m, &arr.borrow(), vloc, &mut errors),
            Value::String(st) => self.str_validate(m, st, vloc, &mut errors),
            Value::Int(..) | Value::Uint(_) | Value::Float(_) => self.num_validate(m, v, vloc, &mut errors),
            _ => {}
        }

        if draft >= 2019 {
            for kw in ["$recursiveRef", "$dynamicRef"] {
                if let Some(r) = m.get(kw).and_then(J::as_str) {
                    if let Err(e) = self.validate_ref(s, kw, r, v, vloc) {
                        errors.push(e);
                    }
                }
            }
        }
        self.cond_validate(s, m, v, vloc, &mut errors);

        // unevaluatedProperties / unevaluatedItems (2019-09 and later).
        if draft >= 2019 {
            if let (Some(up), Value::Map(obj, _)) = (m.get("unevaluatedProperties"), v) {
                let left: Vec<String> = self
                    .uneval
                    .last()
                    .and_then(|u| u.props.clone())
                    .map(|p| p.into_iter().collect())
                    .unwrap_or_default();
                let obj = obj.borrow();
                for pname in left {
                    if let Some(pv) = obj.get(&pname) {
                        if let Err(e) = self.validate_val(s, up, "/unevaluatedProperties", pv, vloc, pname.clone()) {
                            errors.push(e);
                        }
                    }
                }
                if let Some(u) = self.uneval.last_mut() {
                    u.props = Some(BTreeSet::new());
                }
            }
            if let (Some(ui), Value::List(arr, _)) = (m.get("unevaluatedItems"), v) {
                let left: Vec<usize> = self
                    .uneval
                    .last()
                    .and_then(|u| u.items.clone())
                    .map(|p| p.into_iter().collect())
                    .unwrap_or_default();
                let arr = arr.borrow();
                for i in left {
                    if let Some(item) = arr.get(i) {
                        if let Err(e) = self.validate_val(s, ui, "/unevaluatedItems", item, vloc, i.to_string()) {
                            errors.push(e);
                        }
                    }
                }
                if let Some(u) = self.uneval.last_mut() {
                    u.items = Some(BTreeSet::new());
                }
            }
        }

        match errors.len() {
            0 => Ok(()),
            1 => Err(errors.remove(0)),
            _ => Err(VErr { loc: vloc.clone(), kind: Kind::Group, causes: errors }),
        }
    }

    fn obj_validate(
        &mut self,
        s: &SRef<'d>,
        m: &'d BTreeMap<String, J>,
        obj: &BTreeMap<String, Value>,
        vloc: &mut Vec<String>,
        errors: &mut Vec<VErr>,
    ) {
        let draft = s.draft;
        if let Some(n) = usize_of(m.get("minProperties")) {
            if obj.len() < n {
                errors.push(
                    self.err(
                        vloc,
                        format!("minProperties: got {}, want {}", localized_int(obj.len()), localized_int(n)),
                    ),
                );
            }
        }
        if let Some(n) = usize_of(m.get("maxProperties")) {
            if obj.len() > n {
                errors.push(
                    self.err(
                        vloc,
                        format!("maxProperties: got {}, want {}", localized_int(obj.len()), localized_int(n)),
                    ),
                );
            }
        }
        let find_missing = |req: &J| -> Vec<String> {
            match req {
                J::Arr(a) => {
                    a.iter().filter_map(J::as_str).filter(|p| !obj.contains_key(*p)).map(String::from).collect()
                }
                _ => Vec::new(),
            }
        };
        if let Some(req) = m.get("required") {
            let missing = find_missing(req);
            if !missing.is_empty() {
                let msg = if missing.len() == 1 {
                    format!("missing property {}", squote(&missing[0]))
                } else {
                    format!("missing properties {}", join_quoted(&missing))
                };
                errors.push(self.err(vloc, msg));
            }
        }
        if draft < 2019 {
            if let Some(J::Obj(deps)) = m.get("dependencies") {
                for (pname, dep) in deps {
                    if !obj.contains_key(pname) {
                        continue;
                    }
                    match dep {
                        J::Arr(_) => {
                            let missing = find_missing(dep);
                            if !missing.is_empty() {
                                errors.push(self.err(
                                    vloc,
                                    format!(
                                        "properties {} required, if {} exists",
                                        join_quoted(&missing),
                                        squote(pname)
                                    ),
                                ));
                            }
                        }
                        sch => {
                            let val = Value::map_ref(Rc::new(RefCell::new(obj.clone())));
                            let frag = format!("/dependencies/{}", escape_tok(pname));
                            if let Err(e) = self.validate_self(s, sch, &frag, &val, vloc) {
                                errors.push(e);
                            }
                        }
                    }
                }
            }
        }

        let props = match m.get("properties") {
            Some(J::Obj(p)) => Some(p),
            _ => None,
        };
        let pattern_props: Vec<(&'d String, Option<Rc<Regex>>, &'d J)> = match m.get("patternProperties") {
            Some(J::Obj(pp)) => pp.iter().map(|(re, sch)| (re, self.doc.regex(re), sch)).collect(),
            _ => Vec::new(),
        };
        let additional = m.get("additionalProperties");
        let mut additional_names = Vec::new();
        for (pname, pvalue) in obj {
            let mut evaluated = false;
            if let Some(sch) = props.and_then(|p| p.get(pname)) {
                evaluated = true;
                self.mark_prop(pname);
                let frag = format!("/properties/{}", escape_tok(pname));
                if let Err(e) = self.validate_val(s, sch, &frag, pvalue, vloc, pname.clone()) {
                    errors.push(e);
                }
            }
            for (re_src, re, sch) in &pattern_props {
                if re.as_ref().is_some_and(|r| r.is_match(pname)) {
                    evaluated = true;
                    self.mark_prop(pname);
                    let frag = format!("/patternProperties/{}", escape_tok(re_src));
                    if let Err(e) = self.validate_val(s, sch, &frag, pvalue, vloc, pname.clone()) {
                        errors.push(e);
                    }
                }
            }
            if !evaluated && additional.is_some() {
                self.mark_prop(pname);
                match additional {
                    Some(J::Bool(false)) => additional_names.push(pname.clone()),
                    Some(sch @ J::Obj(_)) => {
                        if let Err(e) = self.validate_val(s, sch, "/additionalProperties", pvalue, vloc, pname.clone())
                        {
                            errors.push(e);
                        }
                    }
                    _ => {}
                }
            }
        }
        if !additional_names.is_empty() {
            errors
                .push(self.err(vloc, format!("additional properties {} not allowed", join_quoted(&additional_names))));
        }
        if draft == 4 {
            return;
        }
        if let Some(pn) = m.get("propertyNames") {
            for pname in obj.keys() {
                let name = Value::str(pname);
                // A fresh validation (the library's `sch.validate`).
                let saved = std::mem::take(&mut self.scopes);
                let (sub, _) = self.sub(s, pn, "/propertyNames");
                let res = self.validate(&sub, &name, &mut Vec::new(), String::new(), false);
                self.scopes = saved;
                if let Err(e) = res {
                    let causes = if e.kind == Kind::Group { e.causes } else { vec![e] };
                    errors.push(VErr {
                        loc: Vec::new(),
                        kind: Kind::Msg(format!("invalid propertyName {}", squote(pname))),
                        causes,
                    });
                }
            }
        }
        if draft < 2019 {
            return;
        }
        if let Some(J::Obj(ds)) = m.get("dependentSchemas") {
            for (pname, sch) in ds {
                if obj.contains_key(pname) {
                    let val = Value::map_ref(Rc::new(RefCell::new(obj.clone())));
                    let frag = format!("/dependentSchemas/{}", escape_tok(pname));
                    if let Err(e) = self.validate_self(s, sch, &frag, &val, vloc) {
                        errors.push(e);
                    }
                }
            }
        }
        if let Some(J::Obj(dr)) = m.get("dependentRequired") {
            for (pname, req) in dr {
                if obj.contains_key(pname) {
                    let missing = find_missing(req);
                    if !missing.is_empty() {
                        errors.push(self.err(
                            vloc,
                            format!("properties {} required, if {} exists", join_quoted(&missing), squote(pname)),
                        ));
                    }
                }
            }
        }
    }

    fn arr_validate(
        &mut self,
        s: &SRef<'d>,
        m: &'d BTreeMap<String, J>,
        arr: &[Value],
        vloc: &mut Vec<String>,
        errors: &mut Vec<VErr>,
    ) {
        let draft = s.draft;
        if let Some(n) = usize_of(m.get("minItems")) {
            if arr.len() < n {
                errors.push(
                    self.err(vloc, format!("minItems: got {}, want {}", localized_int(arr.len()), localized_int(n))),
                );
            }
        }
        if let Some(n) = usize_of(m.get("maxItems")) {
            if arr.len() > n {
                errors.push(
                    self.err(vloc, format!("maxItems: got {}, want {}", localized_int(arr.len()), localized_int(n))),
                );
            }
        }
        if m.get("uniqueItems") == Some(&J::Bool(true)) && arr.len() > 1 {
            'outer: for i in 1..arr.len() {
                for j in 0..i {
                    if equals_values(&arr[i], &arr[j]) {
                        errors.push(
                            self.err(vloc, format!("items at {} and {} are equal", localized_int(j), localized_int(i))),
                        );
                        break 'outer;
                    }
                }
            }
        }
        if draft < 2020 {
            let mut evaluated = 0;
            match m.get("items") {
                Some(J::Arr(items)) => {
                    let n = arr.len().min(items.len());
                    for i in 0..n {
                        self.mark_item(i);
                        if let Err(e) =
                            self.validate_val(s, &items[i], &format!("/items/{i}"), &arr[i], vloc, i.to_string())
                        {
                            errors.push(e);
                        }
                    }
                    evaluated = n;
                    match m.get("additionalItems") {
                        Some(J::Bool(false)) if evaluated != arr.len() => errors.push(self.err(
                            vloc,
                            format!("last {} additionalItem(s) not allowed", localized_int(arr.len() - evaluated)),
                        )),
                        Some(sch @ J::Obj(_)) => {
                            for k in evaluated..arr.len() {
                                self.mark_item(k);
                            }
                            // The library numbers these from 0 again.
                            for (i, item) in arr[evaluated..].iter().enumerate() {
                                if let Err(e) = self.validate_val(s, sch, "/additionalItems", item, vloc, i.to_string())
                                {
                                    errors.push(e);
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Some(sch @ (J::Obj(_) | J::Bool(_))) => {
                    for k in 0..arr.len() {
                        self.mark_item(k);
                    }
                    for (i, item) in arr.iter().enumerate() {
                        if let Err(e) = self.validate_val(s, sch, "/items", item, vloc, i.to_string()) {
                            errors.push(e);
                        }
                    }
                    evaluated = arr.len();
                }
                _ => {}
            }
            let _ = evaluated;
        } else {
            let prefix: &[J] = match m.get("prefixItems") {
                Some(J::Arr(p)) => p,
                _ => &[],
            };
            let evaluated = prefix.len().min(arr.len());
            for i in 0..evaluated {
                self.mark_item(i);
                if let Err(e) =
                    self.validate_val(s, &prefix[i], &format!("/prefixItems/{i}"), &arr[i], vloc, i.to_string())
                {
                    errors.push(e);
                }
            }
            if let Some(sch @ (J::Obj(_) | J::Bool(_))) = m.get("items") {
                for k in evaluated..arr.len() {
                    self.mark_item(k);
                }
                for (i, item) in arr[evaluated..].iter().enumerate() {
                    if let Err(e) = self.validate_val(s, sch, "/items", item, vloc, i.to_string()) {
                        errors.push(e);
                    }
                }
            }
        }
        if draft >= 6 {
            if let Some(c) = m.get("contains") {
                let mut errs = Vec::new();
                let mut matched = Vec::new();
                for (i, item) in arr.iter().enumerate() {
                    match self.validate_val(s, c, "/contains", item, vloc, i.to_string()) {
                        Ok(()) => {
                            matched.push(i);
                            if draft >= 2020 {
                                self.mark_item(i);
                            }
                        }
                        Err(e) => errs.push(e),
                    }
                }
                let min_c = if draft >= 2019 { usize_of(m.get("minContains")) } else { None };
                let list = |v: &[usize]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(" ");
                if let Some(min) = min_c {
                    if matched.len() < min {
                        let msg = if matched.is_empty() {
                            format!(
                                "min {} items required to match contains schema, but none matched",
                                localized_int(min)
                            )
                        } else {
                            format!(
                                "min {} items required to match contains schema, but matched {} items at {}",
                                localized_int(min),
                                localized_int(matched.len()),
                                list(&matched)
                            )
                        };
                        errors.push(VErr { loc: vloc.clone(), kind: Kind::Msg(msg), causes: errs });
                    }
                } else if matched.is_empty() {
                    errors.push(VErr {
                        loc: vloc.clone(),
                        kind: Kind::Msg("no items match contains schema".into()),
                        causes: errs,
                    });
                }
                if draft >= 2019 {
                    if let Some(max) = usize_of(m.get("maxContains")) {
                        if matched.len() > max {
                            errors.push(self.err(
                                vloc,
                                format!(
                                    "max {} items required to match contains schema, but matched {} items at {}",
                                    localized_int(max),
                                    localized_int(matched.len()),
                                    list(&matched)
                                ),
                            ));
                        }
                    }
                }
            }
        }
    }

    fn str_validate(&mut self, m: &BTreeMap<String, J>, st: &str, vloc: &[String], errors: &mut Vec<VErr>) {
        let len = st.chars().count();
        if let Some(n) = usize_of(m.get("minLength")) {
            if len < n {
                errors
                    .push(self.err(vloc, format!("minLength: got {}, want {}", localized_int(len), localized_int(n))));
            }
        }
        if let Some(n) = usize_of(m.get("maxLength")) {
            if len > n {
                errors
                    .push(self.err(vloc, format!("maxLength: got {}, want {}", localized_int(len), localized_int(n))));
            }
        }
        if let Some(p) = m.get("pattern").and_then(J::as_str) {
            if let Some(re) = self.doc.regex(p) {
                if !re.is_match(st) {
                    errors.push(self.err(vloc, format!("{} does not match pattern {}", squote(st), squote(p))));
                }
            }
        }
    }

    fn num_validate(&mut self, m: &BTreeMap<String, J>, v: &Value, vloc: &[String], errors: &mut Vec<VErr>) {
        use std::cmp::Ordering::*;
        let Some(num) = Dec::of_value(v) else { return };
        let got = localized_float(value_as_f64(v));
        let mut minimum = m.get("minimum");
        let mut maximum = m.get("maximum");
        let mut exc_min = m.get("exclusiveMinimum");
        let mut exc_max = m.get("exclusiveMaximum");
        // draft-04's boolean form moves the bound to the exclusive check.
        if exc_max == Some(&J::Bool(true)) {
            exc_max = maximum;
            maximum = None;
        }
        if exc_min == Some(&J::Bool(true)) {
            exc_min = minimum;
            minimum = None;
        }
        type Check<'a> = (&'a str, Option<&'a J>, fn(std::cmp::Ordering) -> bool);
        let checks: [Check; 4] = [
            ("minimum", minimum, |o| o == Less),
            ("maximum", maximum, |o| o == Greater),
            ("exclusiveMinimum", exc_min, |o| o != Greater),
            ("exclusiveMaximum", exc_max, |o| o != Less),
        ];
        for (name, bound, fails) in checks {
            if let (Some(b), Some(bj)) = (num_of(bound), bound) {
                if fails(num.cmp(&b)) {
                    errors.push(self.err(vloc, format!("{name}: got {got}, want {}", localized_float(num_f64(bj)))));
                }
            }
        }
        if let (Some(b), Some(bj)) = (num_of(m.get("multipleOf")), m.get("multipleOf")) {
            if num.is_multiple_of(&b) == Some(false) {
                errors.push(self.err(vloc, format!("multipleOf: got {got}, want {}", localized_float(num_f64(bj)))));
            }
        }
    }

    fn cond_validate(
        &mut self,
        s: &SRef<'d>,
        m: &'d BTreeMap<String, J>,
        v: &Value,
        vloc: &mut Vec<String>,
        errors: &mut Vec<VErr>,
    ) {
        if let Some(n) = m.get("not") {
            if self.validate_self(s, n, "/not", v, vloc).is_ok() {
                errors.push(self.err(vloc, "'not' failed".into()));
            }
        }
        if let Some(J::Arr(all)) = m.get("allOf") {
            let errs: Vec<VErr> = all
                .iter()
                .enumerate()
                .filter_map(|(i, sch)| self.validate_self(s, sch, &format!("/allOf/{i}"), v, vloc).err())
                .collect();
            if !errs.is_empty() {
                errors.push(VErr { loc: vloc.clone(), kind: Kind::Msg("'allOf' failed".into()), causes: errs });
            }
        }
        if let Some(J::Arr(any)) = m.get("anyOf") {
            let mut errs = Vec::new();
            let mut matched = false;
            for (i, sch) in any.iter().enumerate() {
                match self.validate_self(s, sch, &format!("/anyOf/{i}"), v, vloc) {
                    Ok(()) => {
                        matched = true;
                        break;
                    }
                    Err(e) => errs.push(e),
                }
            }
            if !matched {
                errors.push(VErr { loc: vloc.clone(), kind: Kind::Msg("'anyOf' failed".into()), causes: errs });
            }
        }
        if let Some(J::Arr(one)) = m.get("oneOf") {
            let mut matched: Option<usize> = None;
            let mut errs = Vec::new();
            for (i, sch) in one.iter().enumerate() {
                match self.validate_self(s, sch, &format!("/oneOf/{i}"), v, vloc) {
                    Err(e) => {
                        if matched.is_none() {
                            errs.push(e);
                        }
                    }
                    Ok(()) => match matched {
                        None => matched = Some(i),
                        Some(first) => {
                            errors.push(self.err(
                                vloc,
                                format!(
                                    "'oneOf' failed, subschemas {}, {} matched",
                                    localized_int(first),
                                    localized_int(i)
                                ),
                            ));
                            break;
                        }
                    },
                }
            }
            if matched.is_none() {
                errors.push(VErr {
                    loc: vloc.clone(),
                    kind: Kind::Msg("'oneOf' failed, none matched".into()),
                    causes: errs,
                });
            }
        }
        if s.draft >= 7 {
            if let Some(i) = m.get("if") {
                if self.validate_self(s, i, "/if", v, vloc).is_ok() {
                    if let Some(t) = m.get("then") {
                        if let Err(e) = self.validate_self(s, t, "/then", v, vloc) {
                            errors.push(e);
                        }
                    }
                } else if let Some(e) = m.get("else") {
                    if let Err(err) = self.validate_self(s, e, "/else", v, vloc) {
                        errors.push(err);
                    }
                }
            }
        }
    }
}

// -------------------------------------------------------------- formats ---

/// The library's format checkers (format.go) for the common formats. None
/// when the format is unknown (not asserted) or the value is not a string.
fn check_format(name: &str, v: &Value) -> Option<Result<(), String>> {
    let Value::String(s) = v else { return None };
    let s: &str = s;
    Some(match name {
        "email" => validate_email(s),
        "hostname" => validate_hostname(s),
        "ipv4" => validate_ipv4(s),
        "ipv6" => validate_ipv6(s),
        "uuid" => validate_uuid(s),
        "date" => validate_date(s),
        "time" => validate_time(s),
        "date-time" => validate_date_time(s),
        "uri" | "iri" => validate_uri(s),
        "uri-reference" => validate_uri_reference(s),
        "regex" => match go_regexp_error(s) {
            Some(e) => Err(e),
            None => Ok(()),
        },
        _ => return None,
    })
}

/// The first error Go's regexp/syntax parser reports for `p` (its common
/// cases), as `regexp.Compile` words it; None when Go accepts it.
fn go_regexp_error(p: &str) -> Option<String> {
    let err = |code: &str, expr: &str| Some(format!("error parsing regexp: {code}: `{expr}`"));
    let c: Vec<char> = p.chars().collect();
    let mut i = 0;
    let mut depth = 0usize;
    // What the previous token was: None (start, after `(` or `|`), an
    // operand, or a repetition (its text, and whether `?` may follow).
    enum Last {
        Start,
        Operand,
        Repeat(String, bool),
    }
    let mut last = Last::Start;
    let text = |a: usize, b: usize| c[a..b.min(c.len())].iter().collect::<String>();
    while i < c.len() {
        match c[i] {
            '(' => {
                if c.get(i + 1) == Some(&'?') {
                    let named = if c.get(i + 2) == Some(&'P') && c.get(i + 3) == Some(&'<') {
                        Some(i + 4)
                    } else if c.get(i + 2) == Some(&'<') {
                        Some(i + 3)
                    } else {
                        None
                    };
                    if let Some(begin) = named {
                        let Some(end) = (begin..c.len()).find(|&k| c[k] == '>') else {
                            return err("invalid named capture", &text(i, c.len()));
                        };
                        let name = text(begin, end);
                        if name.is_empty() || !name.chars().all(|x| x.is_alphanumeric() || x == '_') {
                            // Go's expression is the capture text `(?<name>`.
                            return err("invalid named capture", &text(i, end + 1));
                        }
                        depth += 1;
                        i = end + 1;
                        last = Last::Start;
                        continue;
                    }
                    let mut k = i + 2;
                    loop {
                        match c.get(k) {
                            Some('i' | 'm' | 's' | 'U' | '-') => k += 1,
                            Some(':') => {
                                depth += 1;
                                last = Last::Start;
                                break;
                            }
                            Some(')') => {
                                last = Last::Start;
                                break;
                            }
                            Some(_) => return err("invalid or unsupported Perl syntax", &text(i, k + 1)),
                            None => return err("missing closing )", p),
                        }
                    }
                    i = k + 1;
                    continue;
                }
                depth += 1;
                last = Last::Start;
            }
            ')' => {
                if depth == 0 {
                    return err("unexpected )", p);
                }
                depth -= 1;
                last = Last::Operand;
            }
            '|' => last = Last::Start,
            '*' | '+' | '?' => {
                let op = c[i];
                match &mut last {
                    Last::Start => return err("missing argument to repetition operator", &op.to_string()),
                    Last::Repeat(t, lazy_ok) => {
                        if op == '?' && *lazy_ok {
                            t.push('?');
                            *lazy_ok = false;
                        } else {
                            return err("invalid nested repetition operator", &format!("{t}{op}"));
                        }
                    }
                    Last::Operand => last = Last::Repeat(op.to_string(), true),
                }
            }
            '{' => {
                // {n}, {n,}, {n,m}; anything else is a literal brace.
                let close = (i + 1..c.len()).find(|&k| c[k] == '}');
                let body = close.map(|e| text(i + 1, e));
                let parsed = body.as_deref().and_then(|b| {
                    let (lo, hi) = match b.split_once(',') {
                        Some((l, h)) => (l, Some(h)),
                        None => (b, None),
                    };
                    let num = |x: &str| {
                        (!x.is_empty() && x.chars().all(|d| d.is_ascii_digit()))
                            .then(|| x.parse::<u64>().unwrap_or(u64::MAX))
                    };
                    let lo = num(lo)?;
                    let hi = match hi {
                        None => Some(lo),
                        Some("") => None,
                        Some(h) => Some(num(h)?),
                    };
                    Some((lo, hi))
                });
                if let (Some((lo, hi)), Some(e)) = (parsed, close) {
                    let op = text(i, e + 1);
                    match &last {
                        Last::Start => return err("missing argument to repetition operator", &op),
                        Last::Repeat(t, _) => return err("invalid nested repetition operator", &format!("{t}{op}")),
                        Last::Operand => {}
                    }
                    if lo > 1000 || hi.is_some_and(|h| h > 1000 || h < lo) {
                        return err("invalid repeat count", &op);
                    }
                    last = Last::Repeat(op, true);
                    i = e + 1;
                    continue;
                }
                last = Last::Operand;
            }
            '[' => {
                let start = i;
                let mut k = i + 1;
                if c.get(k) == Some(&'^') {
                    k += 1;
                }
                let mut first = true;
                loop {
                    let Some(&ch) = c.get(k) else {
                        return err("missing closing ]", &text(start, c.len()));
                    };
                    if ch == ']' && !first {
                        break;
                    }
                    first = false;
                    if ch == '[' && c.get(k + 1) == Some(&':') {
                        if let Some(e) = (k + 2..c.len().saturating_sub(1)).find(|&q| c[q] == ':' && c[q + 1] == ']') {
                            k = e + 2;
                            continue;
                        }
                    }
                    let (lo, next) = if ch == '\\' {
                        match c.get(k + 1) {
                            None => return err("trailing backslash at end of expression", ""),
                            Some(e)
                                if e.is_ascii_digit() && *e != '0'
                                    || (e.is_ascii_alphabetic() && !"afnrtvxdDsSwWpP".contains(*e)) =>
                            {
                                return err("invalid escape sequence", &text(k, k + 2))
                            }
                            Some(e) => (Some(*e).filter(|_| !"dDsSwWpP".contains(*e)), k + 2),
                        }
                    } else {
                        (Some(ch), k + 1)
                    };
                    k = next;
                    // a range lo-hi
                    if let (Some(lo), Some('-'), Some(&hi)) = (lo, c.get(k), c.get(k + 1)) {
                        if hi != ']' && hi != '\\' {
                            if hi < lo {
                                return err("invalid character class range", &text(k - 1, k + 2));
                            }
                            k += 2;
                        }
                    }
                }
                i = k + 1;
                last = Last::Operand;
                continue;
            }
            '\\' => {
                let Some(&e) = c.get(i + 1) else {
                    return err("trailing backslash at end of expression", "");
                };
                if e == 'Q' {
                    let rest = text(i + 2, c.len());
                    let skip = rest.find("\\E").map_or(rest.chars().count(), |b| rest[..b].chars().count() + 2);
                    i += 2 + skip;
                    last = Last::Operand;
                    continue;
                }
                let invalid =
                    (e.is_ascii_digit() && e != '0') || (e.is_ascii_alphabetic() && !"afnrtvxdDsSwWpPbBAz".contains(e));
                if invalid {
                    return err("invalid escape sequence", &text(i, i + 2));
                }
                last = if "bBAz".contains(e) { Last::Start } else { Last::Operand };
                i += 2;
                continue;
            }
            '^' | '$' => last = Last::Start,
            _ => last = Last::Operand,
        }
        i += 1;
    }
    if depth > 0 {
        return err("missing closing )", p);
    }
    None
}

fn go_q_rune(c: char) -> String {
    // Go's %q of a rune
    let q = strconv::quote(&c.to_string());
    format!("'{}'", &q[1..q.len() - 1].replace('\'', "\\'"))
}

fn validate_ipv4(s: &str) -> Result<(), String> {
    let groups: Vec<&str> = s.split('.').collect();
    if groups.len() != 4 {
        return Err("expected four decimals".into());
    }
    for g in groups {
        if g.len() > 1 && g.starts_with('0') {
            return Err("leading zeros".into());
        }
        let n: i64 = g.parse().map_err(|_| format!("strconv.Atoi: parsing {}: invalid syntax", strconv::quote(g)))?;
        if !(0..=255).contains(&n) {
            return Err("decimal must be between 0 and 255".into());
        }
    }
    Ok(())
}

fn validate_ipv6(s: &str) -> Result<(), String> {
    if !s.contains(':') {
        return Err("missing colon".into());
    }
    let zone = go_parse_addr(s)?;
    if !zone.is_empty() {
        return Err("zone id is not a part of ipv6 address".into());
    }
    Ok(())
}

/// Go's `netip.ParseAddr` with its error texts; Ok gives the IPv6 zone
/// (empty for none or IPv4).
fn go_parse_addr(input: &str) -> Result<String, String> {
    let err = |msg: &str, at: Option<&str>| -> String {
        match at {
            Some(a) if !a.is_empty() => {
                format!("ParseAddr({}): {msg} (at {})", strconv::quote(input), strconv::quote(a))
            }
            _ => format!("ParseAddr({}): {msg}", strconv::quote(input)),
        }
    };
    match input.bytes().find(|c| matches!(c, b'.' | b':' | b'%')) {
        Some(b'.') => return ipv4_fields(input, input, &err).map(|_| String::new()),
        Some(b':') => {}
        Some(_) => return Err(err("missing IPv6 address", None)),
        None => return Err(err("unable to parse IP", None)),
    }
    let (mut s, zone) = match input.split_once('%') {
        Some((_, "")) => return Err(err("zone must be a non-empty string", None)),
        Some((a, z)) => (a, z),
        None => (input, ""),
    };
    let mut ellipsis = false;
    if let Some(r) = s.strip_prefix("::") {
        ellipsis = true;
        s = r;
        if s.is_empty() {
            return Ok(zone.to_string());
        }
    }
    let mut i = 0;
    while i < 16 {
        let b = s.as_bytes();
        let mut off = 0;
        let mut acc: u32 = 0;
        while off < b.len() {
            let Some(d) = (b[off] as char).to_digit(16) else { break };
            acc = (acc << 4) + d;
            if off > 3 {
                return Err(err("each group must have 4 or less digits", Some(s)));
            }
            if acc > 0xffff {
                return Err(err("IPv6 field has value >=2^16", Some(s)));
            }
            off += 1;
        }
        if off == 0 {
            return Err(err("each colon-separated field must have at least one digit", Some(s)));
        }
        if b.get(off) == Some(&b'.') {
            if !ellipsis && i != 12 {
                return Err(err("embedded IPv4 address must replace the final 2 fields of the address", Some(s)));
            }
            if i + 4 > 16 {
                return Err(err("too many hex fields to fit an embedded IPv4 at the end of the address", Some(s)));
            }
            ipv4_fields(input, s, &err)?;
            s = "";
            i += 4;
            break;
        }
        i += 2;
        s = &s[off..];
        if s.is_empty() {
            break;
        }
        if !s.starts_with(':') {
            return Err(err("unexpected character, want colon", Some(s)));
        } else if s.len() == 1 {
            return Err(err("colon must be followed by more characters", Some(s)));
        }
        s = &s[1..];
        if s.starts_with(':') {
            if ellipsis {
                return Err(err("multiple :: in address", Some(s)));
            }
            ellipsis = true;
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return Err(err("trailing garbage after address", Some(s)));
    }
    if i < 16 && !ellipsis {
        return Err(err("address string too short", None));
    }
    if i >= 16 && ellipsis {
        return Err(err("the :: must expand to at least one field of zeros", None));
    }
    Ok(zone.to_string())
}

/// netip's `parseIPv4Fields` on `s` (a suffix of the whole input `input`).
fn ipv4_fields(input: &str, s: &str, err: &dyn Fn(&str, Option<&str>) -> String) -> Result<(), String> {
    // The embedded IPv4 runs to the zone, if any.
    let s = if input.len() != s.len() { s.split('%').next().unwrap_or(s) } else { s };
    let b = s.as_bytes();
    let (mut val, mut pos, mut dig) = (0u32, 0, 0);
    for i in 0..b.len() {
        match b[i] {
            c @ b'0'..=b'9' => {
                if dig == 1 && val == 0 {
                    return Err(err("IPv4 field has octet with leading zero", None));
                }
                val = val * 10 + u32::from(c - b'0');
                dig += 1;
                if val > 255 {
                    return Err(err("IPv4 field has value >255", None));
                }
            }
            b'.' => {
                if i == 0 || i == b.len() - 1 || b[i - 1] == b'.' {
                    return Err(err("IPv4 field must have at least one digit", Some(&s[i..])));
                }
                if pos == 3 {
                    return Err(err("IPv4 address too long", None));
                }
                pos += 1;
                val = 0;
                dig = 0;
            }
            _ => return Err(err("unexpected character", Some(&s[i..]))),
        }
    }
    if pos < 3 {
        return Err(err("IPv4 address too short", None));
    }
    Ok(())
}

/// What jsonschema's `parseURL` needs of Go's `url.Parse`: the scheme and
/// host, or the error text (`parse "x": first path segment in URL cannot
/// contain colon`…).
fn go_url_parse(raw: &str) -> Result<(String, String), String> {
    let (u, frag) = match raw.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (raw, None),
    };
    let wrap = |url: &str, e: String| format!("parse {}: {e}", strconv::quote(url));
    let parsed = go_url_parse_main(u).map_err(|e| wrap(u, e))?;
    if let Some(f) = frag {
        go_unescape(f, false).map_err(|e| wrap(raw, e))?;
    }
    Ok(parsed)
}

/// Go's `url.unescape` checks: `%` needs two hex digits; in a host, only
/// characters Go does not escape there.
fn go_unescape(s: &str, host: bool) -> Result<(), String> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if i + 2 >= b.len() || !b[i + 1].is_ascii_hexdigit() || !b[i + 2].is_ascii_hexdigit() {
                let end = (i + 3).min(b.len());
                return Err(format!("invalid URL escape {}", strconv::quote(&String::from_utf8_lossy(&b[i..end]))));
            }
            if host && (b[i + 1] as char).to_digit(16).is_some_and(|d| d < 8) && &b[i..i + 3] != b"%25" {
                return Err(format!("invalid URL escape {}", strconv::quote(&String::from_utf8_lossy(&b[i..i + 3]))));
            }
            i += 3;
            continue;
        }
        let c = b[i];
        let host_ok = c.is_ascii_alphanumeric() || b"!$&'()*+,;=:[]<>\"-_.~".contains(&c);
        if host && c < 0x80 && !host_ok {
            return Err(format!("invalid character {} in host name", strconv::quote(&(c as char).to_string())));
        }
        i += 1;
    }
    Ok(())
}

fn go_url_parse_main(raw: &str) -> Result<(String, String), String> {
    if raw.bytes().any(|c| c < b' ' || c == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    if raw == "*" {
        return Ok((String::new(), String::new()));
    }
    // getScheme
    let mut scheme = "";
    let mut rest = raw;
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return Err("missing protocol scheme".into()),
            b':' => {
                scheme = &raw[..i];
                rest = &raw[i + 1..];
                break;
            }
            _ => break,
        }
    }
    let rest = match rest.strip_suffix('?') {
        Some(r) if rest.matches('?').count() == 1 => r,
        _ => rest.split_once('?').map_or(rest, |(r, _)| r),
    };
    if !rest.starts_with('/') {
        if !scheme.is_empty() {
            // A rootless path is opaque.
            return Ok((scheme.to_ascii_lowercase(), String::new()));
        }
        if rest.split('/').next().is_some_and(|seg| seg.contains(':')) {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    let mut host = String::new();
    let mut path = rest;
    if (!scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let auth_rest = &rest[2..];
        let (authority, p) = match auth_rest.find('/') {
            Some(i) => (&auth_rest[..i], &auth_rest[i..]),
            None => (auth_rest, ""),
        };
        path = p;
        let (userinfo, h) = match authority.rfind('@') {
            Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
            None => (None, authority),
        };
        let valid_port =
            |p: &str| p.is_empty() || p.strip_prefix(':').is_some_and(|d| d.bytes().all(|c| c.is_ascii_digit()));
        if h.starts_with('[') {
            let Some(i) = h.rfind(']') else { return Err("missing ']' in host".into()) };
            if !valid_port(&h[i + 1..]) {
                return Err(format!("invalid port {} after host", strconv::quote(&h[i + 1..])));
            }
            // The IP literal must parse (zones, `%25…`, are left alone here).
            let lit = &h[1..i];
            if !lit.contains("%25") {
                go_parse_addr(lit).map_err(|e| format!("invalid host: {e}"))?;
            }
        } else if let Some(i) = h.find(':') {
            // Go ≥ 1.23 takes the port from the first colon.
            if !valid_port(&h[i..]) {
                return Err(format!("invalid port {} after host", strconv::quote(&h[i..])));
            }
        }
        go_unescape(h, true)?;
        if let Some(ui) = userinfo {
            if !ui.bytes().all(|c| c.is_ascii_alphanumeric() || b"-._:~!$&'()*+,;=%@".contains(&c)) {
                return Err("net/url: invalid userinfo".into());
            }
            go_unescape(ui, false)?;
        }
        host = h.to_string();
    }
    go_unescape(path, false)?;
    Ok((scheme.to_ascii_lowercase(), host))
}

/// jsonschema's `parseURL`: url.Parse, plus a check of IPv6 hosts.
fn parse_url_checked(s: &str) -> Result<(String, String), String> {
    let (scheme, host) = go_url_parse(s)?;
    // u.Hostname(): brackets and port removed.
    let hostname = match host.strip_prefix('[') {
        Some(h) => h.split(']').next().unwrap_or("").to_string(),
        None => host.rsplit_once(':').map_or(host.clone(), |(h, _)| h.to_string()),
    };
    if hostname.contains(':') {
        if !host.contains('[') || !host.contains(']') {
            return Err("ipv6 address not enclosed in brackets".into());
        }
        validate_ipv6(&hostname).map_err(|e| format!("invalid ipv6 address: {e}"))?;
    }
    Ok((scheme, host))
}

fn validate_uri(s: &str) -> Result<(), String> {
    let (scheme, _) = parse_url_checked(s)?;
    if scheme.is_empty() {
        return Err("relative url".into());
    }
    Ok(())
}

fn validate_uri_reference(s: &str) -> Result<(), String> {
    if s.contains('\\') {
        return Err("contains \\".into());
    }
    parse_url_checked(s).map(|_| ())
}

fn validate_hostname(s: &str) -> Result<(), String> {
    let s = s.strip_suffix('.').unwrap_or(s);
    if s.len() > 253 {
        return Err("more than 253 characters long".into());
    }
    for label in s.split('.') {
        if label.is_empty() || label.len() > 63 {
            return Err("label must be 1 to 63 characters long".into());
        }
        if label.starts_with('-') {
            return Err("label starts with hyphen".into());
        }
        if label.ends_with('-') {
            return Err("label ends with hyphen".into());
        }
        if let Some(c) = label.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-')) {
            return Err(format!("invalid character {}", go_q_rune(c)));
        }
    }
    Ok(())
}

fn validate_email(s: &str) -> Result<(), String> {
    if s.len() > 254 {
        return Err("more than 255 characters long".into());
    }
    let Some(at) = s.rfind('@') else { return Err("missing @".into()) };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    if local.len() > 64 {
        return Err("local part more than 64 characters long".into());
    }
    if local.len() > 1 && local.starts_with('"') {
        let inner = &local.as_bytes()[1..local.len() - 1];
        if inner.contains(&b'\\') || inner.contains(&b'"') {
            return Err("backslash and quote are not allowed within quoted local part".into());
        }
    } else {
        if local.starts_with('.') {
            return Err("starts with dot".into());
        }
        if local.ends_with('.') {
            return Err("ends with dot".into());
        }
        if local.contains("..") {
            return Err("consecutive dots".into());
        }
        if let Some(c) = local.chars().find(|c| !(c.is_ascii_alphanumeric() || ".!#$%&'*+-/=?^_`{|}~".contains(*c))) {
            return Err(format!("invalid character {}", go_q_rune(c)));
        }
    }
    if domain.starts_with('[') && domain.ends_with(']') && domain.len() >= 2 {
        let d = &domain[1..domain.len() - 1];
        if let Some(rem) = d.strip_prefix("IPv6:") {
            return validate_ipv6(rem).map_err(|e| format!("invalid ipv6 address: {e}"));
        }
        return validate_ipv4(d).map_err(|e| format!("invalid ipv4 address: {e}"));
    }
    validate_hostname(domain).map_err(|e| format!("invalid domain: {e}"))
}

fn validate_uuid(s: &str) -> Result<(), String> {
    let lens = [8, 4, 4, 4, 12];
    let groups: Vec<&str> = s.split('-').collect();
    if groups.len() != lens.len() {
        return Err(format!("must have {} elements", lens.len()));
    }
    for (i, g) in groups.iter().enumerate() {
        if g.len() != lens[i] {
            return Err(format!("element {} must be {} characters long", i + 1, lens[i]));
        }
        if let Some(c) = g.chars().find(|c| !c.is_ascii_hexdigit()) {
            return Err(format!("non-hex character {}", go_q_rune(c)));
        }
    }
    Ok(())
}

/// `time.Parse("2006-01-02", s)` acceptance, with Go's error texts for the
/// usual mistakes.
fn validate_date(s: &str) -> Result<(), String> {
    let q = strconv::quote(s);
    let err = |elem: &str, value: &str| {
        Err(format!(
            "parsing time {q} as \"2006-01-02\": cannot parse {} as {}",
            strconv::quote(value),
            strconv::quote(elem)
        ))
    };
    let b = s.as_bytes();
    let digits = |from: usize, n: usize| b.len() >= from + n && b[from..from + n].iter().all(u8::is_ascii_digit);
    if !digits(0, 4) {
        return err("2006", s);
    }
    if b.get(4) != Some(&b'-') {
        return err("-", &s[4..]);
    }
    if !digits(5, 2) {
        return err("01", &s[5..]);
    }
    if b.get(7) != Some(&b'-') {
        return err("-", &s[7..]);
    }
    if !digits(8, 2) {
        return err("02", &s[8..]);
    }
    if b.len() > 10 {
        return Err(format!("parsing time {q}: extra text: {}", strconv::quote(&s[10..])));
    }
    let y: i32 = s[0..4].parse().unwrap_or(0);
    let mo: u32 = s[5..7].parse().unwrap_or(0);
    let d: u32 = s[8..10].parse().unwrap_or(0);
    if !(1..=12).contains(&mo) {
        return Err(format!("parsing time {q}: month out of range"));
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if d < 1 || d > days[(mo - 1) as usize] {
        return Err(format!("parsing time {q}: day out of range"));
    }
    Ok(())
}

fn validate_time(s: &str) -> Result<(), String> {
    let b = s.as_bytes();
    if b.len() < 9 {
        return Err("less than 9 characters long".into());
    }
    if b[2] != b':' || b[5] != b':' {
        return Err("missing colon in correct place".into());
    }
    if !s.is_char_boundary(8) {
        return Err("invalid hour/min/sec".into());
    }
    let mut hms = Vec::new();
    for tok in s[..8].splitn(3, ':') {
        let i: i64 = tok.parse().map_err(|_| "invalid hour/min/sec".to_string())?;
        if i < 0 {
            return Err("non-positive hour/min/sec".into());
        }
        hms.push(i);
    }
    if hms.len() != 3 {
        return Err("missing hour/min/sec".into());
    }
    let (mut h, mut mi, sec) = (hms[0], hms[1], hms[2]);
    if h > 23 || mi > 59 || sec > 60 {
        return Err("hour/min/sec out of range".into());
    }
    let mut rest = &s[8..];
    if let Some(r) = rest.strip_prefix('.') {
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return Err("no digits in second fraction".into());
        }
        rest = &r[n..];
    }
    if rest != "z" && rest != "Z" {
        if rest.len() != 6 {
            return Err("offset must be 6 characters long".into());
        }
        let sign = match rest.as_bytes()[0] {
            b'+' => -1,
            b'-' => 1,
            _ => return Err("offset must begin with plus/minus".into()),
        };
        let r = &rest[1..];
        if r.as_bytes()[2] != b':' {
            return Err("missing colon in offset in correct place".into());
        }
        let mut zhm = Vec::new();
        for tok in r.splitn(2, ':') {
            let i: i64 = tok.parse().map_err(|_| "invalid hour/min in offset".to_string())?;
            if i < 0 {
                return Err("non-positive hour/min in offset".into());
            }
            zhm.push(i);
        }
        let (zh, zm) = (zhm[0], zhm.get(1).copied().unwrap_or(0));
        if zh > 23 || zm > 59 {
            return Err("hour/min in offset out of range".into());
        }
        let mut hm = (h * 60 + mi) + sign * (zh * 60 + zm);
        if hm < 0 {
            hm += 24 * 60;
        }
        h = hm / 60;
        mi = hm % 60;
    }
    if sec >= 60 && (h != 23 || mi != 59) {
        return Err("invalid leap second".into());
    }
    Ok(())
}

fn validate_date_time(s: &str) -> Result<(), String> {
    if s.len() < 20 {
        return Err("less than 20 characters long".into());
    }
    let b = s.as_bytes();
    if b[10] != b't' && b[10] != b'T' {
        return Err("11th character must be t or T".into());
    }
    if !s.is_char_boundary(10) || !s.is_char_boundary(11) {
        return Err("invalid date element".into());
    }
    validate_date(&s[..10]).map_err(|e| format!("invalid date element: {e}"))?;
    validate_time(&s[11..]).map_err(|e| format!("invalid time element: {e}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localized_numbers() {
        for (f, want) in [
            (1000.0, "1,000"),
            (12345.5, "12,345.5"),
            (0.0001, "0.0001"),
            (0.00001, "1×10⁻⁰⁵"),
            (1e21, "1×10²¹"),
            (-5.0, "-5"),
            (100000.0, "100,000"),
            (123456789.0, "1.23456789×10⁰⁸"),
            (-1234567.25, "-1.23456725×10⁰⁶"),
            (999999.0, "999,999"),
        ] {
            assert_eq!(localized_float(f), want);
        }
    }

    #[test]
    fn json_syntax_errors() {
        assert_eq!(
            parse_json(b"{bad").unwrap_err(),
            "invalid character 'b' looking for beginning of object key string"
        );
        assert_eq!(parse_json(b"").unwrap_err(), "EOF");
        assert_eq!(parse_json(b"{} x").unwrap_err(), "invalid character after top-level value");
        assert_eq!(parse_json(b"[1,").unwrap_err(), "unexpected EOF");
    }

    #[test]
    fn decimals() {
        let d = |s: &str| Dec::parse(s).expect("dec");
        assert!(d("3.05").cmp(&d("3")).is_gt());
        assert_eq!(d("0.3").is_multiple_of(&d("0.1")), Some(true));
        assert_eq!(d("3.05").is_multiple_of(&d("0.1")), Some(false));
        assert_eq!(d("1e6").cmp(&d("1000000")), std::cmp::Ordering::Equal);
    }
}
