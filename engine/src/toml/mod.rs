//! Helm's TOML functions (`toToml`, `mustToToml`, `fromToml`) on a port of
//! github.com/BurntSushi/toml v1.6.0, the library Helm 4.2.3 links:
//! `encode` is its `Encoder` (key order, sub-tables after direct keys,
//! two-space indented headers, its error texts), `lex` and `parse` are its
//! state-machine lexer and parser (so that syntax errors read the same:
//! `toml: line N (last key "k"): …`), `datetime` the `time.Parse` layouts it
//! tries for TOML datetimes.

mod datetime;
mod encode;
mod lex;
mod parse;

pub use encode::to_toml;
pub(crate) use parse::from_toml;

/// BurntSushi's `tomlType`: what the encoder makes of a Go value
/// (`tomlTypeOfGo`) and what the parser records for each key (to tell a
/// table from an array of tables, and a key defined twice).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum TomlType {
    Integer,
    Float,
    Datetime,
    String,
    Bool,
    Array,
    Hash,
    ArrayHash,
}

/// BurntSushi's `Key.String()`: dotted, each part bare when it only holds
/// `A-Za-z0-9_-`, else double-quoted with its escapes; `""` for empty parts.
pub(crate) fn key_string(key: &[String]) -> String {
    let mut out = String::new();
    for (i, k) in key.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        out.push_str(&maybe_quoted(k));
    }
    out
}

/// One key part as `Key.maybeQuoted` writes it.
pub(crate) fn maybe_quoted(k: &str) -> String {
    if k.is_empty() {
        return "\"\"".into();
    }
    if k.chars().all(is_bare_key_char) {
        return k.to_string();
    }
    format!("\"{}\"", dbl_quoted_replace(k))
}

pub(crate) fn is_bare_key_char(r: char) -> bool {
    r.is_ascii_alphanumeric() || r == '_' || r == '-'
}

/// The encoder's `dblQuotedReplacer`: `"` and `\`, the short escapes
/// `\b \t \n \f \r`, other C0 controls and DEL as `\u00XX`.
pub(crate) fn dbl_quoted_replace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x08' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\x0c' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}
