//! Error output: the library's error kinds and texts, its error tree
//! (groups, references shown only when they hold several causes), and how
//! values and JSON pointers are quoted in messages.

use super::*;

/// The library's `quote`: Go `%q`, then `\"` → `"` and `'` → `\'`, in
/// single quotes.
pub(super) fn squote(s: &str) -> String {
    // Replacing on the whole quoted text, as the library does: an escaped
    // backslash at the end loses its second half to the closing quote.
    let q = strconv::quote(s).replace("\\\"", "\"").replace('\'', "\\'");
    let inner = q.get(1..q.len().saturating_sub(1)).unwrap_or("");
    format!("'{inner}'")
}

pub(super) fn join_quoted(a: &[String]) -> String {
    a.iter().map(|s| squote(s)).collect::<Vec<_>>().join(", ")
}

/// `display`: a primitive as the library prints it (`%v` of the decoded
/// JSON value; numbers keep the schema's literal text).
pub(super) fn display_json(v: &J) -> String {
    match v {
        J::Null => "<nil>".into(),
        J::Bool(b) => b.to_string(),
        J::Num(n) => n.clone(),
        J::Str(s) => squote(s),
        J::Arr(_) | J::Obj(_) => "value".into(),
    }
}

pub(super) fn display_value(v: &Value) -> String {
    match v {
        Value::String(s) => squote(s),
        Value::List(..) | Value::Map(_, _) => "value".into(),
        Value::Nil => "<nil>".into(),
        other => go_number_text(other).unwrap_or_else(|| other.to_go_string()),
    }
}

/// JSON-pointer token escaping.
pub(super) fn escape_tok(t: &str) -> String {
    t.replace('~', "~0").replace('/', "~1")
}

pub(super) fn json_ptr(loc: &[String]) -> String {
    loc.iter().map(|t| format!("/{}", escape_tok(t))).collect()
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Kind {
    Group,
    Reference,
    Msg(String),
}

/// `jsonschema.ValidationError`.
#[derive(Clone, Debug)]
pub(super) struct VErr {
    pub(super) loc: Vec<String>,
    pub(super) kind: Kind,
    pub(super) causes: Vec<VErr>,
}

impl VErr {
    /// Whether the depth limit cut this validation short somewhere.
    pub(super) fn too_deep(&self) -> bool {
        self.kind == Kind::Msg(TOO_DEEP.to_string()) || self.causes.iter().any(VErr::too_deep)
    }

    pub(super) fn skip(&self) -> bool {
        self.kind == Kind::Reference && self.causes.len() == 1
    }

    /// `ValidationError.display` (non-verbose).
    pub(super) fn display(&self, sb: &mut String, mut indent: usize) {
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
