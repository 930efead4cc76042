//! Go `text/template`'s escaping builtins `html`, `js` and `urlquery`
//! (src/text/template/funcs.go, src/net/url QueryEscape).
//!
//! Each takes any number of arguments and escapes their `evalArgs` string:
//! a single string argument as is, otherwise `fmt.Sprint` of the arguments
//! with nil ones replaced by the string `<no value>`.

use std::fmt::Write as _;

use super::printf::sprint;
use super::strconv;
use crate::value::Value;

/// Go's `evalArgs`: the string the escapers work on.
pub(crate) fn eval_args(args: &[Value]) -> String {
    if let [Value::String(s)] = args {
        return s.to_string();
    }
    if args.iter().any(Value::is_nil) {
        // printableValue turns an invalid (nil) value into "<no value>".
        let fixed: Vec<Value> =
            args.iter().map(|a| if a.is_nil() { Value::str("<no value>") } else { a.clone() }).collect();
        return sprint(&fixed);
    }
    sprint(args)
}

/// The `html` builtin: Go's `template.HTMLEscapeString` of the arguments.
pub fn html(args: &[Value]) -> String {
    html_escape_string(&eval_args(args))
}

/// The `js` builtin: Go's `template.JSEscapeString` of the arguments.
pub fn js(args: &[Value]) -> String {
    js_escape_string(&eval_args(args))
}

/// The `urlquery` builtin: Go's `url.QueryEscape` of the arguments.
pub fn urlquery(args: &[Value]) -> String {
    query_escape(&eval_args(args))
}

/// Go's `template.HTMLEscapeString`.
pub(crate) fn html_escape_string(s: &str) -> String {
    if !s.contains(['\'', '"', '&', '<', '>', '\0']) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

fn js_is_special(c: char) -> bool {
    matches!(c, '\\' | '\'' | '"' | '<' | '>' | '&' | '=') || c < ' ' || !c.is_ascii()
}

/// Go's `template.JSEscapeString`.
pub(crate) fn js_escape_string(s: &str) -> String {
    if !s.chars().any(js_is_special) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if !js_is_special(c) {
            out.push(c);
            continue;
        }
        if c.is_ascii() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\'' => out.push_str("\\'"),
                '"' => out.push_str("\\\""),
                '<' => out.push_str("\\u003C"),
                '>' => out.push_str("\\u003E"),
                '&' => out.push_str("\\u0026"),
                '=' => out.push_str("\\u003D"),
                // Control characters get written as \u00XX.
                _ => {
                    let _ = write!(out, "\\u00{:02X}", c as u32);
                }
            }
        } else if strconv::is_go_printable(c) || crate::gostring::raw_byte(c).is_some() {
            // A byte that is not UTF-8 decodes as RuneError, which is
            // printable: the byte is written as it is.
            out.push(c);
        } else {
            let _ = write!(out, "\\u{:04X}", c as u32);
        }
    }
    out
}

/// Go's `url.QueryEscape`: unreserved bytes stay, space becomes `+`,
/// everything else is `%XX` (upper-case hex) per UTF-8 byte.
pub(crate) fn query_escape(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = Vec::with_capacity(s.len() + 8);
    for &b in crate::gostring::to_bytes(s).iter() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b),
            b' ' => out.push(b'+'),
            _ => {
                out.push(b'%');
                out.push(HEX[(b >> 4) as usize]);
                out.push(HEX[(b & 15) as usize]);
            }
        }
    }
    // Only ASCII was written.
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlquery_matches_go() {
        // Expected value measured on Helm (see the semantics spec).
        assert_eq!(urlquery(&[Value::str("a b&c=d/é?")]), "a+b%26c%3Dd%2F%C3%A9%3F");
    }
}
