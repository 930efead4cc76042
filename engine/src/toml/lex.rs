//! BurntSushi/toml's lexer (lex.go): a state machine whose states are
//! functions; items are pulled one at a time by the parser, so an error
//! item surfaces exactly where Go's parser would see it.
//!
//! Go's "BUG in lexer" panics become error items here (never reached on
//! any input we know of, but nothing user-supplied may panic).

use std::collections::VecDeque;

use crate::gofmt::strconv;

pub(crate) const EOF: char = '\0';
const RUNE_ERROR: char = '\u{FFFD}';

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ItemType {
    Error,
    Eof,
    Text,
    String,
    StringEsc,
    RawString,
    MultilineString,
    RawMultilineString,
    Bool,
    Integer,
    Float,
    Datetime,
    Array,
    ArrayEnd,
    TableStart,
    TableEnd,
    ArrayTableStart,
    ArrayTableEnd,
    KeyStart,
    KeyEnd,
    CommentStart,
    InlineTableStart,
    InlineTableEnd,
}

#[derive(Clone, Debug)]
pub(crate) struct Item {
    pub typ: ItemType,
    pub val: String,
    /// The error message of an `Error` item.
    pub err: Option<String>,
    /// Line of the item (the only part of Go's Position its Error() prints).
    pub line: usize,
}

#[derive(Clone, Copy)]
struct State(fn(&mut Lexer) -> Option<State>);

pub(crate) struct Lexer<'a> {
    input: &'a str,
    start: usize,
    pos: usize,
    line: usize,
    state: Option<State>,
    items: VecDeque<Item>,
    esc: bool,
    prev_widths: [usize; 4],
    nprev: usize,
    at_eof: bool,
    stack: Vec<State>,
}

/// Go's `%q` of a rune (strconv.QuoteRune).
pub(crate) fn quote_rune(r: char) -> String {
    let q = strconv::quote(&r.to_string());
    let inner = &q[1..q.len() - 1];
    let inner = if inner == "\\\"" {
        "\"".to_string()
    } else if inner == "'" {
        "\\'".to_string()
    } else {
        inner.to_string()
    };
    format!("'{inner}'")
}

fn is_whitespace(r: char) -> bool {
    r == '\t' || r == ' '
}
fn is_nl(r: char) -> bool {
    r == '\n' || r == '\r'
}
fn is_control(r: char) -> bool {
    match r {
        '\t' | '\r' | '\n' => false,
        _ => (r as u32) <= 0x1f || r == '\x7f',
    }
}
fn is_digit(r: char) -> bool {
    r.is_ascii_digit()
}
fn is_binary(r: char) -> bool {
    r == '0' || r == '1'
}
fn is_octal(r: char) -> bool {
    ('0'..='7').contains(&r)
}
pub(crate) fn is_hex(r: char) -> bool {
    r.is_ascii_hexdigit()
}
/// Go's unicode.IsLetter (Rust's alphabetic is close enough: it only
/// changes which word a "expected value" error quotes).
fn is_letter(r: char) -> bool {
    r.is_alphabetic()
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(input: &'a str) -> Lexer<'a> {
        Lexer {
            input,
            start: 0,
            pos: 0,
            line: 1,
            state: Some(State(lex_top)),
            items: VecDeque::new(),
            esc: false,
            prev_widths: [0; 4],
            nprev: 0,
            at_eof: false,
            stack: Vec::new(),
        }
    }

    /// Runs states until an item is ready.
    pub(crate) fn next_item(&mut self) -> Item {
        loop {
            if let Some(it) = self.items.pop_front() {
                return it;
            }
            match self.state {
                Some(State(f)) => self.state = f(self),
                None => {
                    return Item { typ: ItemType::Eof, val: String::new(), err: None, line: self.line };
                }
            }
        }
    }

    fn push(&mut self, s: State) {
        self.stack.push(s);
    }

    fn pop(&mut self) -> Option<State> {
        match self.stack.pop() {
            Some(s) => Some(s),
            None => self.errorf("BUG in lexer: no states to pop".into()),
        }
    }

    fn current(&self) -> &'a str {
        self.input.get(self.start..self.pos).unwrap_or("")
    }

    fn emit(&mut self, typ: ItemType) {
        let val = self.current().to_string();
        self.items.push_back(Item { typ, val, err: None, line: self.line });
        self.start = self.pos;
    }

    fn emit_trim(&mut self, typ: ItemType) {
        let val = self.current().trim_matches(|c: char| c.is_whitespace()).to_string();
        self.items.push_back(Item { typ, val, err: None, line: self.line });
        self.start = self.pos;
    }

    fn next(&mut self) -> char {
        if self.at_eof {
            // Go panics ("BUG in lexer: next called after EOF").
            return EOF;
        }
        let bytes = self.input.as_bytes();
        if self.pos >= bytes.len() {
            self.at_eof = true;
            return EOF;
        }
        if bytes[self.pos] == b'\n' {
            self.line += 1;
        }
        self.prev_widths[3] = self.prev_widths[2];
        self.prev_widths[2] = self.prev_widths[1];
        self.prev_widths[1] = self.prev_widths[0];
        if self.nprev < 4 {
            self.nprev += 1;
        }
        let Some(r) = self.input.get(self.pos..).and_then(|s| s.chars().next()) else {
            self.at_eof = true;
            return EOF;
        };
        let w = r.len_utf8();
        if is_control(r) || (r == '\r' && (bytes.len() - 1 == self.pos || bytes.get(self.pos + 1) != Some(&b'\n'))) {
            self.error_control_char(r);
            return RUNE_ERROR;
        }
        self.prev_widths[0] = w;
        self.pos += w;
        r
    }

    fn ignore(&mut self) {
        self.start = self.pos;
    }

    fn backup(&mut self) {
        if self.at_eof {
            self.at_eof = false;
            return;
        }
        if self.nprev < 1 {
            return; // Go: "BUG in lexer: backed up too far"
        }
        let w = self.prev_widths[0];
        self.prev_widths[0] = self.prev_widths[1];
        self.prev_widths[1] = self.prev_widths[2];
        self.prev_widths[2] = self.prev_widths[3];
        self.nprev -= 1;
        self.pos = self.pos.saturating_sub(w);
        if self.input.as_bytes().get(self.pos) == Some(&b'\n') {
            self.line = self.line.saturating_sub(1);
        }
    }

    fn accept(&mut self, valid: char) -> bool {
        if self.next() == valid {
            return true;
        }
        self.backup();
        false
    }

    fn peek(&mut self) -> char {
        let r = self.next();
        self.backup();
        r
    }

    fn skip(&mut self, pred: fn(char) -> bool) {
        loop {
            let r = self.next();
            if pred(r) {
                continue;
            }
            self.backup();
            self.ignore();
            return;
        }
    }

    fn push_error(&mut self, line: usize, msg: String) -> Option<State> {
        self.items.push_back(Item { typ: ItemType::Error, val: String::new(), err: Some(msg), line });
        None
    }

    fn error(&mut self, msg: String) -> Option<State> {
        if self.at_eof {
            return self.error_prev_line(msg);
        }
        self.push_error(self.line, msg)
    }

    /// Errors at end of line or input are reported on the previous line.
    fn error_prev_line(&mut self, msg: String) -> Option<State> {
        self.push_error(self.line.saturating_sub(1), msg)
    }

    fn errorf(&mut self, msg: String) -> Option<State> {
        if self.at_eof {
            let mut line = self.line;
            if self.pos >= 1 && self.input.as_bytes().get(self.pos - 1) == Some(&b'\n') {
                line = line.saturating_sub(1);
            }
            return self.push_error(line, msg);
        }
        self.push_error(self.line, msg)
    }

    fn error_control_char(&mut self, cc: char) -> Option<State> {
        self.push_error(self.line, format!("TOML files cannot contain control characters: '0x{:02x}'", cc as u32))
    }
}

fn st(f: fn(&mut Lexer) -> Option<State>) -> Option<State> {
    Some(State(f))
}

fn lex_skip(lx: &mut Lexer, next: fn(&mut Lexer) -> Option<State>) -> Option<State> {
    lx.ignore();
    st(next)
}

fn lex_top(lx: &mut Lexer) -> Option<State> {
    let r = lx.next();
    if is_whitespace(r) || is_nl(r) {
        return lex_skip(lx, lex_top);
    }
    match r {
        '#' => {
            lx.push(State(lex_top));
            return st(lex_comment_start);
        }
        '[' => return st(lex_table_start),
        EOF => {
            if lx.pos > lx.start {
                return lx.errorf("unexpected EOF".into());
            }
            lx.emit(ItemType::Eof);
            return None;
        }
        _ => {}
    }
    lx.backup();
    lx.push(State(lex_top_end));
    st(lex_key_start)
}

fn lex_top_end(lx: &mut Lexer) -> Option<State> {
    let r = lx.next();
    if r == '#' {
        lx.push(State(lex_top));
        return st(lex_comment_start);
    }
    if is_whitespace(r) {
        return st(lex_top_end);
    }
    if is_nl(r) {
        lx.ignore();
        return st(lex_top);
    }
    if r == EOF {
        lx.emit(ItemType::Eof);
        return None;
    }
    lx.errorf(format!(
        "expected a top-level item to end with a newline, comment, or EOF, but got {} instead",
        quote_rune(r)
    ))
}

fn lex_table_start(lx: &mut Lexer) -> Option<State> {
    if lx.peek() == '[' {
        lx.next();
        lx.emit(ItemType::ArrayTableStart);
        lx.push(State(lex_array_table_end));
    } else {
        lx.emit(ItemType::TableStart);
        lx.push(State(lex_table_end));
    }
    st(lex_table_name_start)
}

fn lex_table_end(lx: &mut Lexer) -> Option<State> {
    lx.emit(ItemType::TableEnd);
    st(lex_top_end)
}

fn lex_array_table_end(lx: &mut Lexer) -> Option<State> {
    let r = lx.next();
    if r != ']' {
        return lx.errorf(format!("expected end of table array name delimiter ']', but got {} instead", quote_rune(r)));
    }
    lx.emit(ItemType::ArrayTableEnd);
    st(lex_top_end)
}

fn lex_table_name_start(lx: &mut Lexer) -> Option<State> {
    lx.skip(is_whitespace);
    let r = lx.peek();
    if r == ']' || r == EOF {
        return lx.errorf("unexpected end of table name (table names cannot be empty)".into());
    }
    if r == '.' {
        return lx.errorf("unexpected table separator (table names cannot be empty)".into());
    }
    if r == '"' || r == '\'' {
        lx.ignore();
        lx.push(State(lex_table_name_end));
        return st(lex_quoted_name);
    }
    lx.push(State(lex_table_name_end));
    st(lex_bare_name)
}

fn lex_table_name_end(lx: &mut Lexer) -> Option<State> {
    lx.skip(is_whitespace);
    let r = lx.next();
    if r == '.' {
        lx.ignore();
        return st(lex_table_name_start);
    }
    if r == ']' {
        return lx.pop();
    }
    lx.errorf(format!("expected '.' or ']' to end table name, but got {} instead", quote_rune(r)))
}

fn lex_bare_name(lx: &mut Lexer) -> Option<State> {
    let r = lx.next();
    if super::is_bare_key_char(r) {
        return st(lex_bare_name);
    }
    lx.backup();
    lx.emit(ItemType::Text);
    lx.pop()
}

fn lex_quoted_name(lx: &mut Lexer) -> Option<State> {
    let r = lx.next();
    if r == '"' {
        lx.ignore();
        return st(lex_string);
    }
    if r == '\'' {
        lx.ignore();
        return st(lex_raw_string);
    }
    if is_whitespace(r) {
        return lex_skip(lx, lex_value);
    }
    if r == EOF {
        return lx.errorf("unexpected EOF; expected value".into());
    }
    lx.errorf(format!("expected value but found {} instead", quote_rune(r)))
}

fn lex_key_start(lx: &mut Lexer) -> Option<State> {
    lx.skip(is_whitespace);
    let r = lx.peek();
    if r == '=' || r == EOF {
        return lx.errorf("unexpected '=': key name appears blank".into());
    }
    if r == '.' {
        return lx.errorf("unexpected '.': keys cannot start with a '.'".into());
    }
    if r == '"' || r == '\'' {
        lx.ignore();
    }
    lx.emit(ItemType::KeyStart);
    st(lex_key_name_start)
}

fn lex_key_name_start(lx: &mut Lexer) -> Option<State> {
    lx.skip(is_whitespace);
    let r = lx.peek();
    if r == '"' || r == '\'' {
        lx.ignore();
        lx.push(State(lex_key_end));
        return st(lex_quoted_name);
    }
    if r == '=' || r == EOF {
        return lx.errorf("unexpected '='".into());
    }
    if r == '.' {
        return lx.errorf("unexpected '.'".into());
    }
    lx.push(State(lex_key_end));
    st(lex_bare_name)
}

fn lex_key_end(lx: &mut Lexer) -> Option<State> {
    lx.skip(is_whitespace);
    let r = lx.next();
    if is_whitespace(r) {
        return lex_skip(lx, lex_key_end);
    }
    if r == EOF {
        return lx.errorf("unexpected EOF; expected key separator '='".into());
    }
    if r == '.' {
        lx.ignore();
        return st(lex_key_name_start);
    }
    if r == '=' {
        lx.emit(ItemType::KeyEnd);
        return lex_skip(lx, lex_value);
    }
    let msg = format!("expected '.' or '=', but got {} instead", quote_rune(r));
    if r == '\n' {
        return lx.error_prev_line(msg);
    }
    lx.errorf(msg)
}

fn lex_value(lx: &mut Lexer) -> Option<State> {
    let r = lx.next();
    if is_whitespace(r) {
        return lex_skip(lx, lex_value);
    }
    if is_digit(r) {
        lx.backup();
        return st(lex_number_or_date_start);
    }
    match r {
        '[' => {
            lx.ignore();
            lx.emit(ItemType::Array);
            return st(lex_array_value);
        }
        '{' => {
            lx.ignore();
            lx.emit(ItemType::InlineTableStart);
            return st(lex_inline_table_value);
        }
        '"' => {
            if lx.accept('"') {
                if lx.accept('"') {
                    lx.ignore();
                    return st(lex_multiline_string);
                }
                lx.backup();
            }
            lx.ignore();
            return st(lex_string);
        }
        '\'' => {
            if lx.accept('\'') {
                if lx.accept('\'') {
                    lx.ignore();
                    return st(lex_multiline_raw_string);
                }
                lx.backup();
            }
            lx.ignore();
            return st(lex_raw_string);
        }
        '.' => return lx.errorf("floats must start with a digit, not '.'".into()),
        'i' | 'n' if ((lx.accept('n') && lx.accept('f')) || (lx.accept('a') && lx.accept('n'))) => {
            lx.emit(ItemType::Float);
            return lx.pop();
        }
        '-' | '+' => return st(lex_decimal_number_start),
        _ => {}
    }
    if is_letter(r) {
        lx.backup();
        return st(lex_bool);
    }
    if r == EOF {
        return lx.errorf("unexpected EOF; expected value".into());
    }
    let msg = format!("expected value but found {} instead", quote_rune(r));
    if r == '\n' {
        return lx.error_prev_line(msg);
    }
    lx.errorf(msg)
}

fn lex_array_value(lx: &mut Lexer) -> Option<State> {
    let r = lx.next();
    if is_whitespace(r) || is_nl(r) {
        return lex_skip(lx, lex_array_value);
    }
    if r == '#' {
        lx.push(State(lex_array_value));
        return st(lex_comment_start);
    }
    if r == ',' {
        return lx.errorf("unexpected comma".into());
    }
    if r == ']' {
        return st(lex_array_end);
    }
    lx.backup();
    lx.push(State(lex_array_value_end));
    st(lex_value)
}

fn rune_or_eof(r: char) -> String {
    if r == EOF {
        "end of file".into()
    } else {
        format!("'{r}'")
    }
}

fn lex_array_value_end(lx: &mut Lexer) -> Option<State> {
    let r = lx.next();
    if is_whitespace(r) || is_nl(r) {
        return lex_skip(lx, lex_array_value_end);
    }
    if r == '#' {
        lx.push(State(lex_array_value_end));
        return st(lex_comment_start);
    }
    if r == ',' {
        lx.ignore();
        return st(lex_array_value);
    }
    if r == ']' {
        return st(lex_array_end);
    }
    lx.errorf(format!("expected a comma (',') or array terminator (']'), but got {}", rune_or_eof(r)))
}

fn lex_array_end(lx: &mut Lexer) -> Option<State> {
    lx.ignore();
    lx.emit(ItemType::ArrayEnd);
    lx.pop()
}

fn lex_inline_table_value(lx: &mut Lexer) -> Option<State> {
    let r = lx.next();
    if is_whitespace(r) || is_nl(r) {
        return lex_skip(lx, lex_inline_table_value);
    }
    if r == '#' {
        lx.push(State(lex_inline_table_value));
        return st(lex_comment_start);
    }
    if r == ',' {
        return lx.errorf("unexpected comma".into());
    }
    if r == '}' {
        return st(lex_inline_table_end);
    }
    lx.backup();
    lx.push(State(lex_inline_table_value_end));
    st(lex_key_start)
}

fn lex_inline_table_value_end(lx: &mut Lexer) -> Option<State> {
    let r = lx.next();
    if is_whitespace(r) || is_nl(r) {
        return lex_skip(lx, lex_inline_table_value_end);
    }
    if r == '#' {
        lx.push(State(lex_inline_table_value_end));
        return st(lex_comment_start);
    }
    if r == ',' {
        lx.ignore();
        lx.skip(is_whitespace);
        if lx.peek() == '}' {
            return st(lex_inline_table_value_end);
        }
        return st(lex_inline_table_value);
    }
    if r == '}' {
        return st(lex_inline_table_end);
    }
    lx.errorf(format!("expected a comma or an inline table terminator '}}', but got {} instead", rune_or_eof(r)))
}

fn lex_inline_table_end(lx: &mut Lexer) -> Option<State> {
    lx.ignore();
    lx.emit(ItemType::InlineTableEnd);
    lx.pop()
}

fn lex_string(lx: &mut Lexer) -> Option<State> {
    let r = lx.next();
    if r == EOF {
        return lx.errorf("unexpected EOF; expected '\"'".into());
    }
    if is_nl(r) {
        return lx.error_prev_line("strings cannot contain newlines".into());
    }
    if r == '\\' {
        lx.push(State(lex_string));
        return st(lex_string_escape);
    }
    if r == '"' {
        lx.backup();
        if lx.esc {
            lx.esc = false;
            lx.emit(ItemType::StringEsc);
        } else {
            lx.emit(ItemType::String);
        }
        lx.next();
        lx.ignore();
        return lx.pop();
    }
    st(lex_string)
}

fn lex_multiline_string(lx: &mut Lexer) -> Option<State> {
    let r = lx.next();
    match r {
        EOF => lx.errorf("unexpected EOF; expected '\"\"\"'".into()),
        '\\' => st(lex_multiline_string_escape),
        '"' => {
            if lx.accept('"') {
                if lx.accept('"') {
                    if lx.peek() == '"' {
                        let cur = lx.current();
                        if cur.ends_with("\"\"\"\"\"") && !cur.ends_with("\\\"\"\"\"\"") {
                            return lx.errorf("unexpected '\"\"\"\"\"\"'".into());
                        }
                        lx.backup();
                        lx.backup();
                        return st(lex_multiline_string);
                    }
                    lx.backup();
                    lx.backup();
                    lx.backup();
                    lx.esc = false;
                    lx.emit(ItemType::MultilineString);
                    lx.next();
                    lx.next();
                    lx.next();
                    lx.ignore();
                    return lx.pop();
                }
                lx.backup();
            }
            st(lex_multiline_string)
        }
        _ => st(lex_multiline_string),
    }
}

fn lex_raw_string(lx: &mut Lexer) -> Option<State> {
    let r = lx.next();
    if r == EOF {
        return lx.errorf("unexpected EOF; expected \"'\"".into());
    }
    if is_nl(r) {
        return lx.error_prev_line("strings cannot contain newlines".into());
    }
    if r == '\'' {
        lx.backup();
        lx.emit(ItemType::RawString);
        lx.next();
        lx.ignore();
        return lx.pop();
    }
    st(lex_raw_string)
}

fn lex_multiline_raw_string(lx: &mut Lexer) -> Option<State> {
    let r = lx.next();
    match r {
        EOF => lx.errorf("unexpected EOF; expected \"'''\"".into()),
        '\'' => {
            if lx.accept('\'') {
                if lx.accept('\'') {
                    if lx.peek() == '\'' {
                        if lx.current().ends_with("'''''") {
                            return lx.errorf("unexpected \"''''''\"".into());
                        }
                        lx.backup();
                        lx.backup();
                        return st(lex_multiline_raw_string);
                    }
                    lx.backup();
                    lx.backup();
                    lx.backup();
                    lx.emit(ItemType::RawMultilineString);
                    lx.next();
                    lx.next();
                    lx.next();
                    lx.ignore();
                    return lx.pop();
                }
                lx.backup();
            }
            st(lex_multiline_raw_string)
        }
        _ => st(lex_multiline_raw_string),
    }
}

fn lex_multiline_string_escape(lx: &mut Lexer) -> Option<State> {
    if is_nl(lx.next()) {
        return st(lex_multiline_string);
    }
    lx.backup();
    lx.push(State(lex_multiline_string));
    lex_string_escape(lx)
}

fn lex_string_escape(lx: &mut Lexer) -> Option<State> {
    lx.esc = true;
    let r = lx.next();
    match r {
        'e' | 'b' | 't' | 'n' | 'f' | 'r' | '"' | ' ' | '\t' | '\\' => lx.pop(),
        'x' => st(lex_hex_escape),
        'u' => st(lex_short_unicode_escape),
        'U' => st(lex_long_unicode_escape),
        _ => lx.error(format!("invalid escape in string '\\{r}'")),
    }
}

fn lex_n_hex(lx: &mut Lexer, n: usize, what: &str) -> Option<State> {
    for _ in 0..n {
        let r = lx.next();
        if !is_hex(r) {
            let cur = strconv::quote(lx.current());
            return lx.errorf(format!(
                "expected {what} hexadecimal digits after {}, but got {cur} instead",
                match n {
                    2 => "'\\x'",
                    4 => "'\\u'",
                    _ => "'\\U'",
                }
            ));
        }
    }
    lx.pop()
}

fn lex_hex_escape(lx: &mut Lexer) -> Option<State> {
    lex_n_hex(lx, 2, "two")
}
fn lex_short_unicode_escape(lx: &mut Lexer) -> Option<State> {
    lex_n_hex(lx, 4, "four")
}
fn lex_long_unicode_escape(lx: &mut Lexer) -> Option<State> {
    lex_n_hex(lx, 8, "eight")
}

fn lex_number_or_date_start(lx: &mut Lexer) -> Option<State> {
    if lx.next() == '0' {
        return st(lex_base_number_or_date);
    }
    st(lex_number_or_date)
}

fn lex_number_or_date(lx: &mut Lexer) -> Option<State> {
    let r = lx.next();
    if is_digit(r) {
        return st(lex_number_or_date);
    }
    match r {
        '-' | ':' => return st(lex_datetime),
        '_' => return st(lex_decimal_number),
        '.' | 'e' | 'E' => return st(lex_float),
        _ => {}
    }
    lx.backup();
    lx.emit(ItemType::Integer);
    lx.pop()
}

fn lex_datetime(lx: &mut Lexer) -> Option<State> {
    let r = lx.next();
    if is_digit(r) {
        return st(lex_datetime);
    }
    if matches!(r, '-' | ':' | 'T' | 't' | ' ' | '.' | 'Z' | 'z' | '+') {
        return st(lex_datetime);
    }
    lx.backup();
    lx.emit_trim(ItemType::Datetime);
    lx.pop()
}

fn lex_prefixed_integer(lx: &mut Lexer, ok: fn(char) -> bool, again: fn(&mut Lexer) -> Option<State>) -> Option<State> {
    let r = lx.next();
    if ok(r) || r == '_' {
        return st(again);
    }
    lx.backup();
    lx.emit(ItemType::Integer);
    lx.pop()
}

fn lex_hex_integer(lx: &mut Lexer) -> Option<State> {
    lex_prefixed_integer(lx, is_hex, lex_hex_integer)
}
fn lex_octal_integer(lx: &mut Lexer) -> Option<State> {
    lex_prefixed_integer(lx, is_octal, lex_octal_integer)
}
fn lex_binary_integer(lx: &mut Lexer) -> Option<State> {
    lex_prefixed_integer(lx, is_binary, lex_binary_integer)
}

fn lex_decimal_number(lx: &mut Lexer) -> Option<State> {
    let r = lx.next();
    if is_digit(r) {
        return st(lex_decimal_number);
    }
    match r {
        '.' | 'e' | 'E' => return st(lex_float),
        '_' => return st(lex_decimal_number),
        _ => {}
    }
    lx.backup();
    lx.emit(ItemType::Integer);
    lx.pop()
}

fn lex_decimal_number_start(lx: &mut Lexer) -> Option<State> {
    let r = lx.next();
    match r {
        'i' => {
            if !lx.accept('n') || !lx.accept('f') {
                let cur = lx.current().to_string();
                return lx.errorf(format!("invalid float: '{cur}'"));
            }
            lx.emit(ItemType::Float);
            return lx.pop();
        }
        'n' => {
            if !lx.accept('a') || !lx.accept('n') {
                let cur = lx.current().to_string();
                return lx.errorf(format!("invalid float: '{cur}'"));
            }
            lx.emit(ItemType::Float);
            return lx.pop();
        }
        '0' => {
            let p = lx.peek();
            if matches!(p, 'b' | 'o' | 'x') {
                let cur = lx.current().to_string();
                return lx.errorf(format!("cannot use sign with non-decimal numbers: '{cur}{p}'"));
            }
        }
        '.' => return lx.errorf("floats must start with a digit, not '.'".into()),
        _ => {}
    }
    if is_digit(r) {
        return st(lex_decimal_number);
    }
    lx.errorf(format!("expected a digit but got {}", quote_rune(r)))
}

fn lex_base_number_or_date(lx: &mut Lexer) -> Option<State> {
    let r = lx.next();
    if is_digit(r) {
        return st(lex_number_or_date);
    }
    match r {
        '_' => return st(lex_decimal_number),
        '.' | 'e' | 'E' => return st(lex_float),
        // Go reports the error but keeps lexing (the error item still
        // comes first).
        'b' => {
            let p = lx.peek();
            if !is_binary(p) {
                let cur = lx.current().to_string();
                lx.errorf(format!("not a binary number: '{cur}{p}'"));
            }
            return st(lex_binary_integer);
        }
        'o' => {
            let p = lx.peek();
            if !is_octal(p) {
                let cur = lx.current().to_string();
                lx.errorf(format!("not an octal number: '{cur}{p}'"));
            }
            return st(lex_octal_integer);
        }
        'x' => {
            let p = lx.peek();
            if !is_hex(p) {
                let cur = lx.current().to_string();
                lx.errorf(format!("not a hexadecimal number: '{cur}{p}'"));
            }
            return st(lex_hex_integer);
        }
        _ => {}
    }
    lx.backup();
    lx.emit(ItemType::Integer);
    lx.pop()
}

fn lex_float(lx: &mut Lexer) -> Option<State> {
    let r = lx.next();
    if is_digit(r) || matches!(r, '_' | '.' | '-' | '+' | 'e' | 'E') {
        return st(lex_float);
    }
    lx.backup();
    lx.emit(ItemType::Float);
    lx.pop()
}

fn lex_bool(lx: &mut Lexer) -> Option<State> {
    let mut s = String::new();
    loop {
        let r = lx.next();
        if !is_letter(r) {
            lx.backup();
            break;
        }
        s.push(r);
    }
    if s == "true" || s == "false" {
        lx.emit(ItemType::Bool);
        return lx.pop();
    }
    lx.errorf(format!("expected value but found {} instead", strconv::quote(&s)))
}

fn lex_comment_start(lx: &mut Lexer) -> Option<State> {
    lx.ignore();
    lx.emit(ItemType::CommentStart);
    st(lex_comment)
}

fn lex_comment(lx: &mut Lexer) -> Option<State> {
    let r = lx.next();
    if is_nl(r) || r == EOF {
        lx.backup();
        lx.emit(ItemType::Text);
        return lx.pop();
    }
    st(lex_comment)
}
