//! Helm's `toYamlPretty`: go-yaml v3's `Encoder` with `SetIndent(2)` on the
//! template value itself (no JSON round trip: float64 prints as `1e+06`).
//!
//! libyaml's emitter cannot produce v3's layout (block sequences indented
//! under their key, no line folding since v3's default width is unlimited,
//! tabs allowed in literal blocks), so this is a small port of the parts of
//! v3's `emitterc.go` the encoder reaches: block mappings and sequences,
//! `{}`/`[]` for empty ones, simple and `?` keys, and the plain, single-,
//! double-quoted and literal scalar writers with their analysis.

use super::decode::MAX_DEPTH;
use super::resolve;
use super::sorter;
use crate::error::Error;
use crate::gofmt::strconv;
use crate::value::Value;

const BEST_INDENT: i64 = 2;

#[derive(Clone, Copy, PartialEq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

struct Emitter {
    out: String,
    column: i64,
    whitespace: bool,
    indention: bool,
    indent: i64,
}

/// Context of the node being emitted (v3's emit_node flags + the state on
/// top of the stack, which decides how `increase_indent` indents).
#[derive(Clone, Copy)]
struct Ctx {
    simple_key: bool,
    /// The parent state is "block sequence item": nested blocks skip "- ".
    in_seq_item: bool,
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// go-yaml's `is_printable` (no 4-byte UTF-8: U+10000 and up are escaped).
fn is_printable(c: char) -> bool {
    c == '\n'
        || (' '..='~').contains(&c)
        || ('\u{A0}'..='\u{D7FF}').contains(&c)
        || (('\u{E000}'..='\u{FFFD}').contains(&c) && c != '\u{FEFF}')
}

/// v3 `yaml_emitter_analyze_scalar` (block context, unicode on).
fn analyze(value: &str) -> Analysis {
    if value.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = value.starts_with("---") || value.starts_with("...");
    let (mut line_breaks, mut special, mut tabs) = (false, false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) = (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    for (i, &c) in chars.iter().enumerate() {
        let followed_by_whitespace = chars.get(i + 1).is_none_or(|&d| is_blank(d));
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`' => {
                    block_indicators = true
                }
                '?' | ':' | '-' if followed_by_whitespace => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_whitespace => block_indicators = true,
                '#' if preceded_by_whitespace => block_indicators = true,
                _ => {}
            }
        }
        if c == '\t' {
            tabs = true;
        } else if !is_printable(c) {
            special = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i + 1 == n {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i + 1 == n {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        // is_blankz: blank, break or NUL.
        preceded_by_whitespace = is_blank(c) || is_break(c) || c == '\0';
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || tabs || special {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.block_allowed = false;
    }
    if line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

/// v3 `yaml_emitter_select_scalar_style` in block context.
fn select_style(value: &str, a: &Analysis, requested: Style, simple_key: bool) -> Style {
    let mut style = requested;
    if simple_key && a.multiline {
        style = Style::Double;
    }
    if style == Style::Plain && (!a.block_plain_allowed || (value.is_empty() && simple_key)) {
        style = Style::Single;
    }
    if style == Style::Single && !a.single_quoted_allowed {
        style = Style::Double;
    }
    if style == Style::Literal && (!a.block_allowed || simple_key) {
        style = Style::Double;
    }
    style
}

/// go-yaml v3's `encodeBase64`: standard base64 in lines of 70, each
/// ending in a newline when there is more than one line.
fn binary_base64(b: &[u8]) -> String {
    let enc = crate::gofmt::base64::encode_std(b);
    let lines = enc.len() / 70 + 1;
    if lines == 1 {
        return enc;
    }
    let mut out = String::with_capacity(enc.len() + lines);
    for chunk in enc.as_bytes().chunks(70) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// encode.go (v3) `stringv`: literal for multi-line text, plain when it
/// reads back as a string (and is no YAML 1.1 bool or base-60 float), else
/// double quotes. v3's resolver differs from v2's only by dropping the 1.1
/// bools, which `isOldBool` puts back, so v2's resolver decides the same.
fn string_style(s: &str) -> Style {
    if s.contains('\n') {
        return Style::Literal;
    }
    if matches!(resolve::resolve("", s), Ok((resolve::STR_TAG, _))) && !resolve::is_base60_float(s) {
        Style::Plain
    } else {
        Style::Double
    }
}

impl Emitter {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
        self.indention = true;
    }

    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
            self.indention = true;
        }
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
    }

    fn write_indicator(&mut self, ind: &str, need_whitespace: bool, is_whitespace: bool, is_indention: bool) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in ind.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    /// v3 `yaml_emitter_increase_indent`; returns the previous indent.
    fn increase_indent(&mut self, flow: bool, in_seq_item: bool) -> i64 {
        let old = self.indent;
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if in_seq_item {
            self.indent += 2;
        } else {
            self.indent = BEST_INDENT * ((self.indent + BEST_INDENT) / BEST_INDENT);
        }
        old
    }

    fn scalar(&mut self, value: &str, requested: Style, ctx: Ctx) {
        let a = analyze(value);
        let style = select_style(value, &a, requested, ctx.simple_key);
        let old = self.increase_indent(true, ctx.in_seq_item);
        match style {
            Style::Plain => self.write_plain(value),
            Style::Single => self.write_single(value),
            Style::Double => self.write_double(value),
            Style::Literal => self.write_literal(value),
        }
        self.indent = old;
    }

    fn write_plain(&mut self, value: &str) {
        if !value.is_empty() && !self.whitespace {
            self.put(' ');
        }
        let mut breaks = false;
        for c in value.chars() {
            if c == ' ' {
                self.put(c);
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
        if !value.is_empty() {
            self.whitespace = false;
        }
        self.indention = false;
    }

    fn write_single(&mut self, value: &str) {
        self.write_indicator("'", true, false, false);
        let mut breaks = false;
        for c in value.chars() {
            if c == ' ' {
                self.put(c);
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double(&mut self, value: &str) {
        self.write_indicator("\"", true, false, false);
        // go-yaml's is_bom looks at the start of the value, not at `i`.
        let bom = value.starts_with('\u{feff}');
        for c in value.chars() {
            if bom || !is_printable(c) || is_break(c) || c == '"' || c == '\\' {
                let esc = super::encode::go_escape(c);
                for e in esc.chars() {
                    self.put(e);
                }
            } else {
                self.put(c);
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, value: &str) {
        self.write_indicator("|", true, false, false);
        // Block scalar hints.
        if value.starts_with(' ') || value.chars().next().is_some_and(is_break) {
            self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        let chars: Vec<char> = value.chars().collect();
        let chomp = match chars.as_slice() {
            [] => Some("-"),
            [.., last] if !is_break(*last) => Some("-"),
            [_] => Some("+"),
            [.., prev, _] if is_break(*prev) => Some("+"),
            _ => None,
        };
        if let Some(h) = chomp {
            self.write_indicator(h, false, false, false);
        }
        // go.yaml.in/yaml/v3 v3.0.4 (Helm's) breaks the line after the
        // header like libyaml (visible with a leading empty line).
        self.put_break();
        self.whitespace = true;
        let mut breaks = true;
        for &c in &chars {
            if is_break(c) {
                self.write_break(c);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }

    fn node(&mut self, v: &Value, ctx: Ctx, depth: usize) -> Result<(), Error> {
        if depth > MAX_DEPTH {
            return Err("yaml: exceeded max depth".into());
        }
        match v {
            Value::Nil => self.scalar("null", Style::Plain, ctx),
            Value::Bool(b) => self.scalar(if *b { "true" } else { "false" }, Style::Plain, ctx),
            Value::Int(i, _) => self.scalar(&i.to_string(), Style::Plain, ctx),
            Value::Uint(u) => self.scalar(&u.to_string(), Style::Plain, ctx),
            Value::Float(f) => {
                let s = match strconv::format_float_g(*f, 64).as_str() {
                    "+Inf" => ".inf".to_string(),
                    "-Inf" => "-.inf".to_string(),
                    "NaN" => ".nan".to_string(),
                    s => s.to_string(),
                };
                self.scalar(&s, Style::Plain, ctx)
            }
            Value::String(s) => {
                let raw = crate::gostring::to_bytes(s);
                if std::str::from_utf8(&raw).is_err() {
                    // v3 stringv: a string that is not UTF-8 goes out as
                    // `!!binary` base64 (encodeBase64: lines of 70).
                    let b64 = binary_base64(&raw);
                    self.write_indicator("!!binary", true, false, false);
                    let style = if b64.contains('\n') { Style::Literal } else { Style::Plain };
                    self.scalar(&b64, style, ctx)
                } else {
                    self.scalar(s, string_style(s), ctx)
                }
            }
            Value::Bytes(b) => {
                let items: Vec<Value> = b.iter().map(|x| Value::int(*x as i64)).collect();
                self.node(&Value::list(items), ctx, depth + 1)?
            }
            Value::List(l, _) => {
                let l = l.borrow();
                if l.is_empty() {
                    self.write_indicator("[", true, true, false);
                    self.write_indicator("]", false, false, false);
                    return Ok(());
                }
                let old = self.increase_indent(false, ctx.in_seq_item);
                for x in l.iter() {
                    self.write_indent();
                    self.write_indicator("-", true, false, true);
                    self.node(x, Ctx { simple_key: false, in_seq_item: true }, depth + 1)?;
                }
                self.indent = old;
            }
            Value::Map(m, _) => {
                let m = m.borrow();
                if m.is_empty() {
                    self.write_indicator("{", true, true, false);
                    self.write_indicator("}", false, false, false);
                    return Ok(());
                }
                let pairs: Vec<(&String, &Value)> = m.iter().collect();
                let mut order: Vec<usize> = (0..pairs.len()).collect();
                sorter::sort_keys_by(&mut order, |i: usize| pairs[i].0.as_str(), sorter::less_v3);
                let old = self.increase_indent(false, ctx.in_seq_item);
                for i in order {
                    let (k, x) = pairs[i];
                    self.write_indent();
                    let value_ctx = Ctx { simple_key: false, in_seq_item: false };
                    if !analyze(k).multiline && k.len() <= 128 {
                        self.scalar(k, string_style(k), Ctx { simple_key: true, in_seq_item: false });
                        self.write_indicator(":", false, false, false);
                    } else {
                        self.write_indicator("?", true, false, true);
                        self.scalar(k, string_style(k), value_ctx);
                        self.write_indent();
                        self.write_indicator(":", true, false, true);
                    }
                    self.node(x, value_ctx, depth + 1)?;
                }
                self.indent = old;
            }
            Value::Object(o) => match o.to_data() {
                Some(d) => self.node(&d, ctx, depth + 1)?,
                None => {
                    let s = o.format_v();
                    self.scalar(&s, string_style(&s), ctx)
                }
            },
        }
        Ok(())
    }
}

/// Helm's `toYamlPretty` (trailing newline trimmed). `Err` means Helm would
/// print "" (it swallows encoder errors).
pub fn to_yaml_pretty(v: &Value) -> Result<String, Error> {
    let mut e = Emitter { out: String::new(), column: 0, whitespace: true, indention: true, indent: -1 };
    e.node(v, Ctx { simple_key: false, in_seq_item: false }, 0)?;
    // Document end: write_indent at indent 0.
    e.indent = -1;
    e.write_indent();
    let mut s = e.out;
    if s.ends_with('\n') {
        s.pop();
    }
    Ok(s)
}
