//! The schema document as JSON: encoding/json's decoder with its syntax
//! errors, numbers kept as their literal text (`jsonschema.UnmarshalJSON`).

use super::*;
use crate::error::Error;

/// A JSON document as `jsonschema.UnmarshalJSON` gives it (numbers kept as
/// their literal text, like json.Number).
#[derive(Clone, Debug, PartialEq)]
pub(super) enum J {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(BTreeMap<String, J>),
}

impl J {
    pub(super) fn get(&self, k: &str) -> Option<&J> {
        match self {
            J::Obj(m) => m.get(k),
            _ => None,
        }
    }
    pub(super) fn as_str(&self) -> Option<&str> {
        match self {
            J::Str(s) => Some(s),
            _ => None,
        }
    }
}

pub(super) use crate::json::quote_char;

pub(super) struct JsonParser<'a> {
    pub(super) b: &'a [u8],
    pub(super) i: usize,
    pub(super) depth: usize,
}

/// Go's decoder error for byte `c` in a context.
pub(super) fn syntax(c: u8, ctx: &str) -> String {
    format!("invalid character {} {ctx}", quote_char(c))
}

pub(super) const UNEXPECTED_EOF: &str = "unexpected EOF";

/// The decoder's result: its error boxed, as the decoder recurses once per
/// nesting level (up to [`MAX_JSON_DEPTH`]) and each frame holds one.
pub(super) type Parsed<T> = Result<T, Box<Error>>;

fn go_box(text: impl Into<String>) -> Box<Error> {
    Box::new(Error::go(text))
}
pub(super) const MAX_JSON_DEPTH: usize = 1000;

impl<'a> JsonParser<'a> {
    pub(super) fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    pub(super) fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    pub(super) fn value(&mut self) -> Parsed<J> {
        self.ws();
        let c = self.peek().ok_or_else(|| go_box(UNEXPECTED_EOF))?;
        // Go's decoder stops at 10000 levels; our stack is smaller.
        if matches!(c, b'{' | b'[') && self.depth >= MAX_JSON_DEPTH {
            return Err(go_box(syntax(c, "exceeded max depth")));
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
                        None => return Err(go_box(UNEXPECTED_EOF)),
                        Some(b'"') => {}
                        Some(c) => return Err(go_box(syntax(c, "looking for beginning of object key string"))),
                    }
                    let k = self.string()?;
                    self.ws();
                    match self.peek() {
                        None => return Err(go_box(UNEXPECTED_EOF)),
                        Some(b':') => self.i += 1,
                        Some(c) => return Err(go_box(syntax(c, "after object key"))),
                    }
                    let v = self.value()?;
                    m.insert(k, v);
                    self.ws();
                    match self.peek() {
                        None => return Err(go_box(UNEXPECTED_EOF)),
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            self.depth -= 1;
                            return Ok(J::Obj(m));
                        }
                        Some(c) => return Err(go_box(syntax(c, "after object key:value pair"))),
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
                        None => return Err(go_box(UNEXPECTED_EOF)),
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            self.depth -= 1;
                            return Ok(J::Arr(a));
                        }
                        Some(c) => return Err(go_box(syntax(c, "after array element"))),
                    }
                }
            }
            b'"' => Ok(J::Str(self.string()?)),
            b'-' | b'0'..=b'9' => self.number(),
            b't' => self.literal("true", J::Bool(true)),
            b'f' => self.literal("false", J::Bool(false)),
            b'n' => self.literal("null", J::Null),
            c => Err(go_box(syntax(c, "looking for beginning of value"))),
        }
    }

    pub(super) fn literal(&mut self, word: &str, v: J) -> Parsed<J> {
        for (k, &want) in word.as_bytes().iter().enumerate() {
            match self.peek() {
                None => return Err(go_box(UNEXPECTED_EOF)),
                Some(c) if c == want => self.i += 1,
                Some(c) => {
                    return Err(go_box(syntax(
                        c,
                        &format!("in literal {word} (expecting {})", quote_char(word.as_bytes()[k])),
                    )))
                }
            }
        }
        Ok(v)
    }

    pub(super) fn digits(&mut self) -> usize {
        let s = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        self.i - s
    }

    pub(super) fn number(&mut self) -> Parsed<J> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            None => return Err(go_box(UNEXPECTED_EOF)),
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            Some(c) => return Err(go_box(syntax(c, "in numeric literal"))),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            match self.peek() {
                None => return Err(go_box(UNEXPECTED_EOF)),
                Some(b'0'..=b'9') => {
                    self.digits();
                }
                Some(c) => return Err(go_box(syntax(c, "after decimal point in numeric literal"))),
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            match self.peek() {
                None => return Err(go_box(UNEXPECTED_EOF)),
                Some(b'0'..=b'9') => {
                    self.digits();
                }
                Some(c) => return Err(go_box(syntax(c, "in exponent of numeric literal"))),
            }
        }
        Ok(J::Num(String::from_utf8_lossy(&self.b[start..self.i]).into_owned()))
    }

    pub(super) fn string(&mut self) -> Parsed<String> {
        let (s, end) =
            crate::json::read_string(self.b, self.i).map_err(|e| e.map_or_else(|| go_box(UNEXPECTED_EOF), Box::new))?;
        self.i = end;
        Ok(s)
    }
}

/// `jsonschema.UnmarshalJSON`: one value, then only whitespace. An error is
/// encoding/json's text, marked in `values.schema.json` where the decoder
/// stopped.
pub(super) fn parse_json(b: &[u8]) -> Result<J, Error> {
    parse_json_text(b).map_err(|(message, offset)| {
        let (line, col) = line_col(b, offset);
        Error::new(ErrorKind::Schema, message).at(SCHEMA_FILE, Some(line), Some(col))
    })
}

/// Line and column (from 1; the column in characters) of byte `offset`.
fn line_col(text: &[u8], offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    (line, String::from_utf8_lossy(&before[line_start..]).chars().count() + 1)
}

/// [`parse_json`]'s decoder: Go's text and the byte offset.
fn parse_json_text(b: &[u8]) -> Result<J, (String, usize)> {
    let mut p = JsonParser { b, i: 0, depth: 0 };
    p.ws();
    if p.peek().is_none() {
        return Err(("EOF".into(), p.i));
    }
    let scalar_top = !matches!(p.peek(), Some(b'{' | b'[' | b'"'));
    let v = p.value().map_err(|e| (e.message, p.i))?;
    if scalar_top {
        // A number or literal ends only at the next byte, which the
        // decoder's scanner checks as "after top-level value".
        if let Some(c) = p.peek() {
            if !matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                return Err((syntax(c, "after top-level value"), p.i));
            }
        }
    }
    p.ws();
    if p.peek().is_some() {
        return Err(("invalid character after top-level value".into(), p.i));
    }
    Ok(v)
}
