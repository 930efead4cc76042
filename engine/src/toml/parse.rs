//! BurntSushi/toml's parser (parse.go) and `Unmarshal` into
//! `map[string]interface{}` (decode.go: for an empty-interface map every
//! value is stored as the parser built it).
//!
//! The parser builds its `mapping` through shared maps exactly like Go
//! (implicit tables, arrays of tables as `[]map[string]interface {}`), so
//! redefinition errors and the final shape match. Go's panics with a
//! `ParseError` are `Err` here: the one error, with BurntSushi's text and
//! the line.

use std::collections::{HashMap, HashSet};

use crate::error::Error;
use crate::gofmt::strconv;
use crate::value::{IntType, ListType, MapRef, Value};

use super::lex::{is_hex, Item, ItemType, Lexer};
use super::{key_string, TomlType};

/// BurntSushi's `ParseError`: its `Error()` text, with the line as the
/// error's position. Boxed: the parser recurses once per nested array or
/// inline table, and each frame holds a [`PResult`].
fn parse_error(message: &str, line: usize, last_key: &str) -> Box<Error> {
    let text = if last_key.is_empty() {
        format!("toml: line {line}: {message}")
    } else {
        format!("toml: line {line} (last key {}): {message}", strconv::quote(last_key))
    };
    let mut e = Error::go(text);
    e.line = Some(line);
    Box::new(e)
}

type PResult<T> = Result<T, Box<Error>>;

struct Parser<'a> {
    lx: Lexer<'a>,
    context: Vec<String>,
    current_key: String,
    /// Line of the last item read with `next_pos` (Go's `p.pos`).
    pos_line: usize,
    key_info: HashMap<String, TomlType>,
    mapping: MapRef,
    implicits: HashSet<String>,
    /// Array / inline-table nesting, limited so that no input can overflow
    /// the (wasm) stack; BurntSushi v1.6.0 has no limit.
    depth: usize,
}

const MAX_DEPTH: usize = 250;

/// `fromToml`: the decoded map, or an empty map and the error text.
pub(crate) fn from_toml(s: &str) -> (Value, Option<Error>) {
    match parse(s) {
        Ok(m) => (Value::map_ref(m), None),
        Err(e) => (Value::empty_map(), Some(*e)),
    }
}

fn parse(data: &str) -> PResult<MapRef> {
    // Byte-order marks are skipped (UTF-16 ones cannot be in a &str).
    let data = data.strip_prefix('\u{feff}').unwrap_or(data);
    if data.bytes().take(6).any(|b| b == 0) {
        return Err(parse_error(
            "files cannot contain NULL bytes; probably using UTF-16; TOML files must be UTF-8",
            1,
            "",
        ));
    }
    let mut p = Parser {
        lx: Lexer::new(data),
        context: Vec::new(),
        current_key: String::new(),
        pos_line: 0,
        key_info: HashMap::new(),
        mapping: crate::value::new_map(Default::default()),
        implicits: HashSet::new(),
        depth: 0,
    };
    loop {
        let item = p.next()?;
        if item.typ == ItemType::Eof {
            break;
        }
        p.top_level(item)?;
    }
    Ok(p.mapping)
}

fn new_map() -> Value {
    Value::empty_map()
}

impl Parser<'_> {
    /// `p.current()`: the full key name of the current context.
    fn current(&self) -> String {
        if self.current_key.is_empty() {
            return key_string(&self.context);
        }
        if self.context.is_empty() {
            return self.current_key.clone();
        }
        format!("{}.{}", key_string(&self.context), self.current_key)
    }

    fn err_at(&self, line: usize, message: String) -> Box<Error> {
        parse_error(&message, line, &self.current())
    }

    /// `panicf`: positioned at the last `next_pos` item.
    fn panicf(&self, message: String) -> Box<Error> {
        self.err_at(self.pos_line, message)
    }

    fn bug(&self, message: String) -> Box<Error> {
        self.err_at(self.pos_line, format!("BUG: {message}"))
    }

    fn next(&mut self) -> PResult<Item> {
        let it = self.lx.next_item();
        if it.typ == ItemType::Error {
            let msg = it.err.clone().unwrap_or_else(|| it.val.clone());
            return Err(self.err_at(it.line, msg));
        }
        Ok(it)
    }

    fn next_pos(&mut self) -> PResult<Item> {
        let it = self.next()?;
        self.pos_line = it.line;
        Ok(it)
    }

    fn expect(&mut self, typ: ItemType) -> PResult<Item> {
        let it = self.next()?;
        self.assert_equal(typ, it.typ)?;
        Ok(it)
    }

    fn assert_equal(&self, expected: ItemType, got: ItemType) -> PResult<()> {
        if expected != got {
            return Err(self.bug(format!("Expected '{expected:?}' but got '{got:?}'.")));
        }
        Ok(())
    }

    /// Reads key parts up to `end` (the item after the first part).
    fn read_key(&mut self, first: Item, end: ItemType) -> PResult<Vec<String>> {
        let mut key = Vec::new();
        let mut name = first;
        while name.typ != end && name.typ != ItemType::Eof {
            key.push(self.key_string(&name)?);
            name = self.next()?;
        }
        self.assert_equal(end, name.typ)?;
        Ok(key)
    }

    fn top_level(&mut self, item: Item) -> PResult<()> {
        match item.typ {
            ItemType::CommentStart => {
                self.expect(ItemType::Text)?;
            }
            ItemType::TableStart | ItemType::ArrayTableStart => {
                let array = item.typ == ItemType::ArrayTableStart;
                let first = self.next_pos()?;
                let end = if array { ItemType::ArrayTableEnd } else { ItemType::TableEnd };
                let key = self.read_key(first, end)?;
                self.add_context(&key, array)?;
                self.set_type("", if array { TomlType::ArrayHash } else { TomlType::Hash });
            }
            ItemType::KeyStart => {
                let outer = self.context.clone();
                let first = self.next_pos()?;
                let key = self.read_key(first, ItemType::KeyEnd)?;
                self.set_key_value(&key)?;
                self.context = outer;
                self.current_key.clear();
            }
            other => return Err(self.bug(format!("Unexpected type at top level: {other:?}"))),
        }
        Ok(())
    }

    /// The part of `key = value` shared by top level and inline tables:
    /// implicit tables for the dotted parents, then the value. Returns the
    /// parent parts and the value.
    fn set_key_value(&mut self, key: &[String]) -> PResult<(Vec<String>, Value)> {
        let Some((last, parents)) = key.split_last() else {
            return Err(self.bug("empty key".into()));
        };
        self.current_key = last.clone();
        for part in parents {
            let mut k = self.context.clone();
            k.push(part.clone());
            self.add_implicit_context(&k)?;
        }
        let v_item = self.next()?;
        let (val, typ) = self.value(&v_item, false)?;
        let ck = self.current_key.clone();
        self.set_value(&ck, val.clone())?;
        self.set_type(&ck, typ);
        Ok((parents.to_vec(), val))
    }

    fn key_string(&mut self, it: &Item) -> PResult<String> {
        match it.typ {
            ItemType::Text => Ok(it.val.clone()),
            ItemType::String
            | ItemType::StringEsc
            | ItemType::MultilineString
            | ItemType::RawString
            | ItemType::RawMultilineString => {
                let (v, _) = self.value(it, false)?;
                Ok(v.as_str().unwrap_or_default().to_string())
            }
            other => Err(self.bug(format!("Unexpected key type: {other:?}"))),
        }
    }

    fn value(&mut self, it: &Item, parent_is_array: bool) -> PResult<(Value, TomlType)> {
        Ok(match it.typ {
            ItemType::String | ItemType::RawString => (Value::str(&it.val), TomlType::String),
            ItemType::StringEsc => (Value::string(self.replace_escapes(it, &it.val)?), TomlType::String),
            ItemType::MultilineString => {
                let s = strip_escaped_newlines(strip_first_newline(&it.val));
                (Value::string(self.replace_escapes(it, &s)?), TomlType::String)
            }
            ItemType::RawMultilineString => (Value::str(strip_first_newline(&it.val)), TomlType::String),
            ItemType::Integer => self.value_integer(it)?,
            ItemType::Float => self.value_float(it)?,
            ItemType::Bool => match it.val.as_str() {
                "true" => (Value::Bool(true), TomlType::Bool),
                "false" => (Value::Bool(false), TomlType::Bool),
                other => return Err(self.bug(format!("Expected boolean value, but got '{other}'."))),
            },
            ItemType::Datetime => {
                let v: String = it
                    .val
                    .chars()
                    .map(|c| match c {
                        'z' => 'Z',
                        't' | ' ' => 'T',
                        c => c,
                    })
                    .collect();
                match super::datetime::parse(&v) {
                    Some(t) => (Value::Object(std::rc::Rc::new(t)), TomlType::Datetime),
                    None => return Err(self.err_at(it.line, format!("invalid datetime: {}", strconv::quote(&v)))),
                }
            }
            ItemType::Array | ItemType::InlineTableStart => {
                if self.depth >= MAX_DEPTH {
                    return Err(self.err_at(it.line, "arrays and inline tables nested too deeply".into()));
                }
                self.depth += 1;
                let r = if it.typ == ItemType::Array {
                    self.value_array()
                } else {
                    self.value_inline_table(parent_is_array)
                };
                self.depth -= 1;
                r?
            }
            other => return Err(self.bug(format!("Unexpected value type: {other:?}"))),
        })
    }

    fn value_integer(&self, it: &Item) -> PResult<(Value, TomlType)> {
        if !num_underscores_ok(&it.val) {
            return Err(self.err_at(
                it.line,
                format!("Invalid integer {}: underscores must be surrounded by digits", strconv::quote(&it.val)),
            ));
        }
        if num_has_leading_zero(&it.val) {
            return Err(self
                .err_at(it.line, format!("Invalid integer {}: cannot have leading zeroes", strconv::quote(&it.val))));
        }
        match parse_int(&it.val) {
            Some(Ok(n)) => Ok((Value::Int(n, IntType::Int64), TomlType::Integer)),
            Some(Err(())) => Err(self.err_at(it.line, format!("{} is out of range for int64", it.val))),
            None => Err(self.bug(format!("Expected integer value, but got '{}'.", it.val))),
        }
    }

    fn value_float(&self, it: &Item) -> PResult<(Value, TomlType)> {
        let parts: Vec<&str> = it.val.split(['.', 'e', 'E']).filter(|p| !p.is_empty()).collect();
        for part in &parts {
            if !num_underscores_ok(part) {
                return Err(self.err_at(
                    it.line,
                    format!("Invalid float {}: underscores must be surrounded by digits", strconv::quote(&it.val)),
                ));
            }
        }
        if parts.first().is_some_and(|p| num_has_leading_zero(p)) {
            return Err(
                self.err_at(it.line, format!("Invalid float {}: cannot have leading zeroes", strconv::quote(&it.val)))
            );
        }
        if !num_periods_ok(&it.val) {
            return Err(self.err_at(
                it.line,
                format!("Invalid float {}: '.' must be followed by one or more digits", strconv::quote(&it.val)),
            ));
        }
        let mut val = it.val.replace('_', "");
        let mut signbit = false;
        if val == "+nan" || val == "-nan" {
            signbit = val == "-nan";
            val = "nan".into();
        }
        let num = match parse_float(&val) {
            Some(Ok(f)) => f,
            Some(Err(())) => return Err(self.err_at(it.line, format!("{} is out of range for float64", it.val))),
            None => {
                return Err(self.err_at(it.line, format!("Invalid float value: {}", strconv::quote(&it.val))));
            }
        };
        let num = if signbit { -num.abs() } else { num };
        Ok((Value::Float(num), TomlType::Float))
    }

    fn value_array(&mut self) -> PResult<(Value, TomlType)> {
        let ck = self.current_key.clone();
        self.set_type(&ck, TomlType::Array);
        let mut array = Vec::new();
        loop {
            let it = self.next()?;
            if it.typ == ItemType::ArrayEnd {
                break;
            }
            if it.typ == ItemType::CommentStart {
                self.expect(ItemType::Text)?;
                continue;
            }
            let (v, _) = self.value(&it, true)?;
            array.push(v);
        }
        Ok((Value::list(array), TomlType::Array))
    }

    fn value_inline_table(&mut self, parent_is_array: bool) -> PResult<(Value, TomlType)> {
        let top_hash = crate::value::new_map(Default::default());
        let outer_context = self.context.clone();
        let outer_key = self.current_key.clone();
        self.context.push(self.current_key.clone());
        let prev_context = self.context.clone();
        self.current_key.clear();
        self.add_implicit(&prev_context);
        self.add_context(&prev_context, parent_is_array)?;
        loop {
            let it = self.next()?;
            if it.typ == ItemType::InlineTableEnd {
                break;
            }
            if it.typ == ItemType::CommentStart {
                self.expect(ItemType::Text)?;
                continue;
            }
            let first = self.next_pos()?;
            let key = self.read_key(first, ItemType::KeyEnd)?;
            let (parents, val) = self.set_key_value(&key)?;
            let mut hash = top_hash.clone();
            for c in &parents {
                let existing = hash.borrow().get(c).cloned();
                let h = match existing {
                    Some(h) => h,
                    None => {
                        let h = new_map();
                        hash.borrow_mut().insert(c.clone(), h.clone());
                        h
                    }
                };
                match h {
                    Value::Map(m, _) => hash = m,
                    _ => return Err(self.panicf(format!("{} is not a table", quote_key_list(&self.context)))),
                }
            }
            hash.borrow_mut().insert(self.current_key.clone(), val);
            self.context = prev_context.clone();
        }
        self.context = outer_context;
        self.current_key = outer_key;
        Ok((Value::map_ref(top_hash), TomlType::Hash))
    }

    /// `addContext`: establishes `key` as the current table (or a new
    /// element of the array of tables `key`), creating implicit parents.
    fn add_context(&mut self, key: &[String], array: bool) -> PResult<()> {
        let Some((last, parents)) = key.split_last() else {
            return Err(self.bug("empty table name".into()));
        };
        let mut hash_context = self.mapping.clone();
        let mut key_context: Vec<String> = Vec::new();
        for k in parents {
            let ok = hash_context.borrow().contains_key(k);
            key_context.push(k.clone());
            if !ok {
                self.add_implicit(&key_context);
                hash_context.borrow_mut().insert(k.clone(), new_map());
            }
            let cur = hash_context.borrow().get(k).cloned();
            hash_context = match cur {
                Some(Value::List(l, ListType::MAP)) => match l.borrow().last() {
                    Some(Value::Map(m, _)) => m.clone(),
                    _ => return Err(self.bug("empty array of tables".into())),
                },
                Some(Value::Map(m, _)) => m,
                _ => {
                    return Err(
                        self.panicf(format!("Key '{}' was already created as a hash.", key_string(&key_context)))
                    )
                }
            };
        }
        self.context = key_context;
        if array {
            if !hash_context.borrow().contains_key(last) {
                hash_context.borrow_mut().insert(last.clone(), Value::List(Default::default(), ListType::MAP));
            }
            let cur = hash_context.borrow().get(last).cloned();
            match cur {
                Some(Value::List(l, ListType::MAP)) => l.borrow_mut().push(new_map()),
                _ => {
                    return Err(self.panicf(format!(
                        "Key '{}' was already created and cannot be used as an array.",
                        key_string(key)
                    )))
                }
            }
        } else {
            self.set_value(last, new_map())?;
        }
        self.context.push(last.clone());
        Ok(())
    }

    /// `setValue`: sets `key` in the current context; redefinitions are
    /// errors unless the earlier definition was implicit.
    fn set_value(&mut self, key: &str, value: Value) -> PResult<()> {
        let mut hash = self.mapping.clone();
        let mut key_context: Vec<String> = Vec::new();
        for k in self.context.clone() {
            key_context.push(k.clone());
            let tmp = hash.borrow().get(&k).cloned();
            let Some(tmp) = tmp else {
                return Err(
                    self.bug(format!("Context for key '{}' has not been established.", key_string(&key_context)))
                );
            };
            hash = match tmp {
                Value::List(l, ListType::MAP) => match l.borrow().last() {
                    Some(Value::Map(m, _)) => m.clone(),
                    _ => return Err(self.bug("empty array of tables".into())),
                },
                Value::Map(m, _) => m,
                _ => return Err(self.panicf(format!("Key '{}' has already been defined.", key_string(&key_context)))),
            };
        }
        key_context.push(key.to_string());
        if hash.borrow().contains_key(key) {
            if self.is_array(&key_context) {
                if !self.is_implicit(&key_context) {
                    return Err(self.panicf(format!("Key '{}' has already been defined.", key_string(&key_context))));
                }
                self.remove_implicit(&key_context);
                hash.borrow_mut().insert(key.to_string(), value);
                return Ok(());
            }
            if self.is_implicit(&key_context) {
                self.remove_implicit(&key_context);
                return Ok(());
            }
            return Err(self.panicf(format!("Key '{}' has already been defined.", key_string(&key_context))));
        }
        hash.borrow_mut().insert(key.to_string(), value);
        Ok(())
    }

    fn set_type(&mut self, key: &str, typ: TomlType) {
        let mut kc = self.context.clone();
        if !key.is_empty() {
            kc.push(key.to_string());
        }
        if kc.is_empty() {
            kc.push(String::new());
        }
        self.key_info.insert(key_string(&kc), typ);
    }

    fn add_implicit(&mut self, key: &[String]) {
        self.implicits.insert(key_string(key));
    }
    fn remove_implicit(&mut self, key: &[String]) {
        self.implicits.remove(&key_string(key));
    }
    fn is_implicit(&self, key: &[String]) -> bool {
        self.implicits.contains(&key_string(key))
    }
    fn is_array(&self, key: &[String]) -> bool {
        self.key_info.get(&key_string(key)) == Some(&TomlType::Array)
    }
    fn add_implicit_context(&mut self, key: &[String]) -> PResult<()> {
        self.add_implicit(key);
        self.add_context(key, false)
    }

    fn replace_escapes(&self, it: &Item, s: &str) -> PResult<String> {
        let b = s.as_bytes();
        let mut out = String::with_capacity(s.len());
        let mut skip = 0usize;
        for (i, c) in s.char_indices() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            if c != '\\' {
                out.push(c);
                continue;
            }
            let Some(&e) = b.get(i + 1) else {
                return Err(self.bug("Escape sequence at end of string.".into()));
            };
            let hex = |n: usize| s.get(i + 2..i + 2 + n).unwrap_or("");
            match e {
                b' ' | b'\t' => {
                    return Err(self.err_at(it.line, format!("invalid escape: '\\{}'", e as char)));
                }
                b'b' => out.push('\x08'),
                b't' => out.push('\t'),
                b'n' => out.push('\n'),
                b'f' => out.push('\x0c'),
                b'r' => out.push('\r'),
                b'e' => out.push('\x1b'),
                b'"' => out.push('"'),
                b'\\' => out.push('\\'),
                b'x' | b'u' | b'U' => {
                    let n = match e {
                        b'x' => 2,
                        b'u' => 4,
                        _ => 8,
                    };
                    let h = hex(n);
                    if h.len() != n || !h.chars().all(is_hex) {
                        return Err(self.bug(format!("Could not parse '{h}' as a hexadecimal number")));
                    }
                    let code = u32::from_str_radix(h, 16).unwrap_or(u32::MAX);
                    match char::from_u32(code) {
                        Some(ch) => out.push(ch),
                        None => {
                            return Err(self.err_at(it.line, format!("Escaped character '\\u{h}' is not valid UTF-8.")))
                        }
                    }
                    skip = n + 1;
                    continue;
                }
                other => {
                    return Err(self.bug(format!(
                        "Expected valid escape code after \\, but got {}.",
                        super::lex::quote_rune(other as char)
                    )))
                }
            }
            skip = 1;
        }
        Ok(out)
    }
}

/// Go's `%q` of a []string: `["a" "b"]`.
fn quote_key_list(k: &[String]) -> String {
    let parts: Vec<String> = k.iter().map(|s| strconv::quote(s)).collect();
    format!("[{}]", parts.join(" "))
}

fn strip_first_newline(s: &str) -> &str {
    s.strip_prefix('\n').or_else(|| s.strip_prefix("\r\n")).unwrap_or(s)
}

/// Removes a line-ending backslash and all whitespace after it.
fn strip_escaped_newlines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut s = s;
    let mut i = 0usize;
    loop {
        let Some(ix) = s.get(i..).and_then(|r| r.find('\\')) else {
            out.push_str(s);
            return out;
        };
        i += ix;
        let b = s.as_bytes();
        if b.get(i + 1) == Some(&b'\\') {
            i += 2;
            continue;
        }
        let mut j = i + 1;
        while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\r' | b'\n') {
            j += 1;
        }
        if j == i + 1 || !s[i..j].contains('\n') {
            i += 1;
            continue;
        }
        out.push_str(&s[..i]);
        s = &s[j..];
        i = 0;
    }
}

fn num_has_leading_zero(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() > 1 && b[0] == b'0' && !matches!(b[1], b'b' | b'o' | b'x') {
        return true;
    }
    b.len() > 2 && (b[0] == b'-' || b[0] == b'+') && b[1] == b'0'
}

fn num_underscores_ok(s: &str) -> bool {
    if matches!(s, "nan" | "+nan" | "-nan" | "inf" | "-inf" | "+inf") {
        return true;
    }
    let mut accept = false;
    for r in s.chars() {
        if r == '_' && !accept {
            return false;
        }
        accept = is_hex(r);
    }
    accept
}

fn num_periods_ok(s: &str) -> bool {
    let mut period = false;
    for r in s.chars() {
        if period && !r.is_ascii_digit() {
            return false;
        }
        period = r == '.';
    }
    !period
}

/// `strconv.ParseInt(s, 0, 64)` for what the lexer produces: `None` is a
/// syntax error, `Some(Err)` a range error.
fn parse_int(s: &str) -> Option<Result<i64, ()>> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) = if let Some(r) = rest.strip_prefix("0x") {
        (16, r)
    } else if let Some(r) = rest.strip_prefix("0o") {
        (8, r)
    } else if let Some(r) = rest.strip_prefix("0b") {
        (2, r)
    } else if rest.len() > 1 && rest.starts_with('0') {
        (8, &rest[1..])
    } else {
        (10, rest)
    };
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let mut n: u128 = 0;
    for c in digits.chars() {
        n = n * u128::from(radix) + u128::from(c.to_digit(radix).unwrap_or(0));
        if n > (1u128 << 64) {
            return Some(Err(()));
        }
    }
    let lim = if neg { 1u128 << 63 } else { (1u128 << 63) - 1 };
    if n > lim {
        return Some(Err(()));
    }
    Some(Ok(if neg { (n as i128).wrapping_neg() as i64 } else { n as i64 }))
}

/// `strconv.ParseFloat(s, 64)` for decimal forms and inf/nan.
fn parse_float(s: &str) -> Option<Result<f64, ()>> {
    match s {
        "inf" | "+inf" => return Some(Ok(f64::INFINITY)),
        "-inf" => return Some(Ok(f64::NEG_INFINITY)),
        "nan" => return Some(Ok(f64::NAN)),
        _ => {}
    }
    // Go's grammar: [sign] digits [. digits] [(e|E) [sign] digits]
    // (with '.' always followed by digits here).
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let d0 = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut mant_digits = i - d0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let f0 = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        mant_digits += i - f0;
    }
    if mant_digits == 0 {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let e0 = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == e0 {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    let f: f64 = s.parse().ok()?;
    if f.is_infinite() {
        return Some(Err(()));
    }
    Some(Ok(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Awkward inputs from a small TOML-ish alphabet: parsing must end
    /// (with a value or an error) and never panic; what parses must
    /// encode again.
    #[test]
    fn awkward_inputs_never_panic() {
        let alphabet: Vec<&str> = vec![
            "a",
            "b",
            "=",
            " ",
            "\n",
            "\r\n",
            "\r",
            ".",
            "\"",
            "'",
            "\"\"\"",
            "'''",
            "[",
            "]",
            "[[",
            "]]",
            "{",
            "}",
            ",",
            "#",
            "\\",
            "\\u",
            "\\U",
            "\\x",
            "0",
            "1",
            "9",
            "_",
            "e",
            "E",
            "+",
            "-",
            ":",
            "T",
            "z",
            "0x",
            "0o",
            "0b",
            "inf",
            "nan",
            "true",
            "1979-05-27",
            "07:32:00",
            "é",
            "\t",
            "\u{1}",
            "\u{7f}",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            let mut s = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let n = (seed % 24) as usize;
            for _ in 0..n {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push_str(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            let (v, err) = from_toml(&s);
            if err.is_none() {
                let _ = crate::toml::to_toml(&v);
            }
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_an_overflow() {
        let deep = format!("a = {}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(from_toml(&deep).1.is_some());
        let deep = format!("a = {}{}", "{b=".repeat(100_000), "}".repeat(100_000));
        assert!(from_toml(&deep).1.is_some());
        let ok = format!("a = {}{}", "[".repeat(100), "]".repeat(100));
        assert_eq!(from_toml(&ok).1, None);
    }

    #[test]
    fn cyclic_values_do_not_overflow() {
        let m = Value::empty_map();
        if let Value::Map(r, _) = &m {
            r.borrow_mut().insert("self".into(), m.clone());
        }
        assert!(crate::toml::to_toml(&m).is_err());
        if let Value::Map(r, _) = &m {
            r.borrow_mut().clear();
        }
    }

    #[test]
    fn errors_read_like_burntsushi() {
        assert_eq!(
            from_toml("a = 1\na = 2").1.map(|e| e.message).as_deref(),
            Some("toml: line 2 (last key \"a\"): Key 'a' has already been defined.")
        );
        assert_eq!(
            from_toml("[a").1.map(|e| e.message).as_deref(),
            Some("toml: line 1: expected '.' or ']' to end table name, but got '\\x00' instead")
        );
    }
}
