//! The little JSON the plugin host needs: Go `encoding/json` output for the
//! input messages (HTML-safe escaping of `<`, `>`, `&`, U+2028/9, as Go's
//! `json.Marshal` does) and a strict parser for guest output and HTTP
//! request objects. No serde: the engine stays dependency-light.

use crate::error::{go_err, Error};
use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::json::quote_char;

#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// Go's case-insensitive struct-field match: exact key first, then the
    /// first key equal under Unicode case folding (ASCII is enough here).
    pub fn get_field(&self, name: &str) -> Option<&Json> {
        let Json::Object(kv) = self else { return None };
        kv.iter()
            .find(|(k, _)| k == name)
            .or_else(|| kv.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
            .map(|(_, v)| v)
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }
    /// The JSON type name in encoding/json's "cannot unmarshal X into …".
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "bool",
            Json::Number(_) => "number",
            Json::String(_) => "string",
            Json::Array(_) => "array",
            Json::Object(_) => "object",
        }
    }
}

/// Go `json.Marshal` of a string (HTML-safe).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `["a","b"]`, never `null` (Helm's messages always carry a slice).
pub(crate) fn string_array(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", parts.join(","))
}

pub(crate) fn object_of_strings(m: &BTreeMap<String, String>) -> String {
    let parts: Vec<String> = m.iter().map(|(k, v)| format!("{}:{}", quote(k), quote(v))).collect();
    format!("{{{}}}", parts.join(","))
}

/// Parses one JSON value (surrounding whitespace allowed). The error text
/// follows encoding/json where it matters to users (`unexpected end of JSON
/// input`, `invalid character 'x' looking for beginning of value`).
pub fn parse(src: &[u8]) -> Result<Json, Error> {
    let mut p = Parser { s: src, i: 0, depth: 0 };
    p.ws();
    if p.i >= p.s.len() {
        return Err("unexpected end of JSON input".into());
    }
    let v = p.value()?;
    p.ws();
    if let Some(&c) = p.s.get(p.i) {
        return Err(go_err!("invalid character {} after top-level value", quote_char(c)));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while matches!(self.s.get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }
    fn eof(&self) -> String {
        "unexpected end of JSON input".into()
    }
    fn value(&mut self) -> Result<Json, Error> {
        self.ws();
        let Some(&c) = self.s.get(self.i) else { return Err(Error::go(self.eof())) };
        match c {
            b'{' => {
                self.depth += 1;
                if self.depth > 512 {
                    return Err("exceeded max depth".into());
                }
                self.i += 1;
                let mut kv = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(Json::Object(kv));
                }
                loop {
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b'"') => {}
                        Some(&c) => {
                            return Err(go_err!(
                                "invalid character {} looking for beginning of object key string",
                                quote_char(c)
                            ))
                        }
                        None => return Err(Error::go(self.eof())),
                    }
                    let k = self.string()?;
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b':') => self.i += 1,
                        Some(&c) => return Err(go_err!("invalid character {} after object key", quote_char(c))),
                        None => return Err(Error::go(self.eof())),
                    }
                    let v = self.value()?;
                    kv.push((k, v));
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            self.depth -= 1;
                            return Ok(Json::Object(kv));
                        }
                        Some(&c) => {
                            return Err(go_err!("invalid character {} after object key:value pair", quote_char(c)))
                        }
                        None => return Err(Error::go(self.eof())),
                    }
                }
            }
            b'[' => {
                self.depth += 1;
                if self.depth > 512 {
                    return Err("exceeded max depth".into());
                }
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b']') {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(Json::Array(items));
                }
                loop {
                    items.push(self.value()?);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            self.depth -= 1;
                            return Ok(Json::Array(items));
                        }
                        Some(&c) => return Err(go_err!("invalid character {} after array element", quote_char(c))),
                        None => return Err(Error::go(self.eof())),
                    }
                }
            }
            b'"' => Ok(Json::String(self.string()?)),
            b't' => self.lit("true", Json::Bool(true)),
            b'f' => self.lit("false", Json::Bool(false)),
            b'n' => self.lit("null", Json::Null),
            b'-' | b'0'..=b'9' => {
                let st = self.i;
                self.i += 1;
                while matches!(self.s.get(self.i), Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')) {
                    self.i += 1;
                }
                let t = std::str::from_utf8(&self.s[st..self.i]).map_err(|e| Error::go(e.to_string()))?;
                t.parse::<f64>().map(Json::Number).map_err(|_| go_err!("invalid number {t}"))
            }
            c => Err(go_err!("invalid character {} looking for beginning of value", quote_char(c))),
        }
    }
    fn lit(&mut self, word: &str, v: Json) -> Result<Json, Error> {
        let end = self.i + word.len();
        match self.s.get(self.i..end) {
            Some(b) if b == word.as_bytes() => {
                self.i = end;
                Ok(v)
            }
            Some(_) => Err(go_err!("invalid character in literal {word} (expecting '{}')", &word[..1])),
            None => Err(Error::go(self.eof())),
        }
    }
    fn string(&mut self) -> Result<String, Error> {
        let (s, end) =
            crate::json::read_string(self.s, self.i).map_err(|e| e.unwrap_or_else(|| Error::go(self.eof())))?;
        self.i = end;
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn roundtrip() {
        let v = parse(br#" {"a":[1,true,null,"x\u003c\ud83d\ude00"],"B":{}} "#).unwrap();
        assert_eq!(v.get_field("b"), Some(&Json::Object(vec![])));
        assert_eq!(quote("<a&b>\n"), r#""\u003ca\u0026b\u003e\n""#);
        assert_eq!(parse(b"").unwrap_err(), "unexpected end of JSON input");
        assert_eq!(parse(b"{} x").unwrap_err(), "invalid character 'x' after top-level value");
    }
}
