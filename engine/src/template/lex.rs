//! Go's text/template lexer (port of text/template/parse/lex.go, Go 1.25).
//!
//! Go runs the lexer as a set of state functions, each returning the next
//! state; `nextItem` runs states until one emits an item. This port keeps the
//! exact same states and bookkeeping (positions, line counting, trim markers)
//! as a plain enum-driven loop: no threads, no channels.
//!
//! Items borrow their text from the input, so lexing allocates nothing except
//! error messages. All slicing happens at char boundaries: the lexer only moves
//! by whole UTF-8 chars or by ASCII delimiters/markers.

use std::borrow::Cow;

use crate::gofmt::strconv::{is_go_printable, quote};

/// Byte offset into the input.
pub type Pos = usize;

/// Go's itemType. The order matters: everything after `Keyword` is a keyword
/// (item.String() prints those as `<word>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemType {
    Error,
    Bool,
    Char,
    CharConstant,
    Comment,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // Keywords appear after all the rest.
    Keyword,
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

/// A token: type, starting byte offset, text, and the line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Item<'a> {
    pub typ: ItemType,
    pub pos: Pos,
    pub val: Cow<'a, str>,
    pub line: usize,
}

impl Item<'_> {
    pub(crate) fn eof() -> Self {
        Item { typ: ItemType::Eof, pos: 0, val: Cow::Borrowed(""), line: 0 }
    }
}

impl std::fmt::Display for Item<'_> {
    /// Go's `item.String()`, used in "unexpected X in Y" messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.typ {
            ItemType::Eof => f.write_str("EOF"),
            ItemType::Error => f.write_str(&self.val),
            t if t > ItemType::Keyword => write!(f, "<{}>", self.val),
            _ if self.val.len() > 10 => {
                // `%.10q...`: the precision truncates to 10 runes before quoting.
                let cut = match self.val.char_indices().nth(10) {
                    Some((i, _)) => &self.val[..i],
                    None => &self.val[..],
                };
                write!(f, "{}...", quote(cut))
            }
            _ => f.write_str(&quote(&self.val)),
        }
    }
}

fn keyword(word: &str) -> Option<ItemType> {
    Some(match word {
        "block" => ItemType::Block,
        "break" => ItemType::Break,
        "continue" => ItemType::Continue,
        "define" => ItemType::Define,
        "else" => ItemType::Else,
        "end" => ItemType::End,
        "if" => ItemType::If,
        "range" => ItemType::Range,
        "nil" => ItemType::Nil,
        "template" => ItemType::Template,
        "with" => ItemType::With,
        _ => return None,
    })
}

/// Go's lexOptions.
#[derive(Debug, Clone, Copy, Default)]
pub struct LexOptions {
    /// Emit `Comment` items (parse mode ParseComments).
    pub emit_comment: bool,
    /// `break` is a keyword (no function named "break").
    pub break_ok: bool,
    /// `continue` is a keyword (no function named "continue").
    pub continue_ok: bool,
}

const LEFT_DELIM: &str = "{{";
const RIGHT_DELIM: &str = "}}";
const LEFT_COMMENT: &str = "/*";
const RIGHT_COMMENT: &str = "*/";
/// The trim marker plus the space before or after it.
const TRIM_MARKER_LEN: usize = 2;

/// Go's `eof` rune.
const EOF: i32 = -1;

#[derive(Clone, Copy)]
enum State {
    Text,
    LeftDelim,
    Comment,
    RightDelim,
    InsideAction,
    Space,
    Identifier,
    Field,
    Variable,
    Char,
    Number,
    Quote,
    RawQuote,
}

pub struct Lexer<'a> {
    input: &'a str,
    left_delim: &'a str,
    right_delim: &'a str,
    pos: Pos,
    start: Pos,
    /// We have hit the end of input and returned eof (Go's atEOF: once set,
    /// `backup` is a no-op).
    at_eof: bool,
    paren_depth: i64,
    line: usize,
    start_line: usize,
    item: Item<'a>,
    inside_action: bool,
    pub options: LexOptions,
}

fn is_space(r: i32) -> bool {
    r == ' ' as i32 || r == '\t' as i32 || r == '\r' as i32 || r == '\n' as i32
}

fn is_space_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Go's unicode.IsLetter || unicode.IsDigit || '_'. Exact for ASCII; for other
/// runes Rust's Alphabetic/Numeric properties approximate Go's L and Nd classes.
fn is_alpha_numeric(r: i32) -> bool {
    if r < 0 {
        return false;
    }
    if r < 0x80 {
        let b = r as u8;
        return b == b'_' || b.is_ascii_alphanumeric();
    }
    match char::from_u32(r as u32) {
        Some(c) => c.is_alphabetic() || c.is_numeric(),
        None => false,
    }
}

fn has_left_trim_marker(s: &[u8]) -> bool {
    s.len() >= 2 && s[0] == b'-' && is_space_byte(s[1])
}

fn has_right_trim_marker(s: &[u8]) -> bool {
    s.len() >= 2 && is_space_byte(s[0]) && s[1] == b'-'
}

fn right_trim_length(s: &str) -> usize {
    s.len() - s.trim_end_matches([' ', '\t', '\r', '\n']).len()
}

fn left_trim_length(s: &str) -> usize {
    s.len() - s.trim_start_matches([' ', '\t', '\r', '\n']).len()
}

fn count_newlines(s: &str) -> usize {
    s.as_bytes().iter().filter(|&&b| b == b'\n').count()
}

/// Go's `%#U`: `U+0023 '#'` (the quoted char only if printable).
pub(crate) fn format_sharp_u(r: i32) -> String {
    let u = r as u32;
    let mut s = format!("U+{u:04X}");
    if let Some(c) = char::from_u32(u) {
        if is_go_printable(c) {
            s.push_str(" '");
            s.push(c);
            s.push('\'');
        }
    }
    s
}

impl<'a> Lexer<'a> {
    /// Go's `lex(name, input, "", "")`.
    pub fn new(input: &'a str) -> Self {
        Self::with_delims(input, LEFT_DELIM, RIGHT_DELIM)
    }

    /// Custom delimiters (empty means the default, as in Go).
    pub fn with_delims(input: &'a str, left: &'a str, right: &'a str) -> Self {
        Lexer {
            input,
            left_delim: if left.is_empty() { LEFT_DELIM } else { left },
            right_delim: if right.is_empty() { RIGHT_DELIM } else { right },
            pos: 0,
            start: 0,
            at_eof: false,
            paren_depth: 0,
            line: 1,
            start_line: 1,
            item: Item::eof(),
            inside_action: false,
            options: LexOptions::default(),
        }
    }

    fn rest(&self) -> &'a str {
        self.input.get(self.pos..).unwrap_or("")
    }

    fn rest_at(&self, p: usize) -> &'a str {
        self.input.get(p..).unwrap_or("")
    }

    /// Returns the next rune (as i32, `EOF` at the end).
    fn next(&mut self) -> i32 {
        match self.rest().chars().next() {
            None => {
                self.at_eof = true;
                EOF
            }
            Some(c) => {
                self.pos += c.len_utf8();
                if c == '\n' {
                    self.line += 1;
                }
                c as i32
            }
        }
    }

    fn peek(&mut self) -> i32 {
        let r = self.next();
        self.backup();
        r
    }

    fn backup(&mut self) {
        if !self.at_eof && self.pos > 0 {
            if let Some(c) = self.input.get(..self.pos).and_then(|s| s.chars().next_back()) {
                self.pos -= c.len_utf8();
                if c == '\n' {
                    self.line -= 1;
                }
            }
        }
    }

    fn this_item(&mut self, typ: ItemType) -> Item<'a> {
        let val = self.input.get(self.start..self.pos).unwrap_or("");
        let i = Item { typ, pos: self.start, val: Cow::Borrowed(val), line: self.start_line };
        self.start = self.pos;
        self.start_line = self.line;
        i
    }

    fn emit(&mut self, typ: ItemType) -> Option<State> {
        let i = self.this_item(typ);
        self.emit_item(i)
    }

    fn emit_item(&mut self, i: Item<'a>) -> Option<State> {
        self.item = i;
        None
    }

    /// Skips the pending input; counts its newlines (only for text skipped
    /// without `next`).
    fn ignore(&mut self) {
        let skipped = self.input.get(self.start..self.pos).unwrap_or("");
        self.line += count_newlines(skipped);
        self.start = self.pos;
        self.start_line = self.line;
    }

    fn accept(&mut self, valid: &str) -> bool {
        let r = self.next();
        if (0..0x80).contains(&r) && valid.as_bytes().contains(&(r as u8)) {
            return true;
        }
        self.backup();
        false
    }

    fn accept_run(&mut self, valid: &str) {
        loop {
            let r = self.next();
            if !((0..0x80).contains(&r) && valid.as_bytes().contains(&(r as u8))) {
                break;
            }
        }
        self.backup();
    }

    fn errorf(&mut self, msg: String) -> Option<State> {
        self.item = Item { typ: ItemType::Error, pos: self.start, val: Cow::Owned(msg), line: self.start_line };
        self.start = 0;
        self.pos = 0;
        self.input = "";
        None
    }

    /// Go's `nextItem`: runs the state machine until it emits an item.
    pub fn next_item(&mut self) -> Item<'a> {
        self.item = Item { typ: ItemType::Eof, pos: self.pos, val: Cow::Borrowed("EOF"), line: self.start_line };
        let mut state = if self.inside_action { State::InsideAction } else { State::Text };
        loop {
            let next = match state {
                State::Text => self.lex_text(),
                State::LeftDelim => self.lex_left_delim(),
                State::Comment => self.lex_comment(),
                State::RightDelim => self.lex_right_delim(),
                State::InsideAction => self.lex_inside_action(),
                State::Space => self.lex_space(),
                State::Identifier => self.lex_identifier(),
                State::Field => self.lex_field_or_variable(ItemType::Field),
                State::Variable => self.lex_variable(),
                State::Char => self.lex_char(),
                State::Number => self.lex_number(),
                State::Quote => self.lex_quote(),
                State::RawQuote => self.lex_raw_quote(),
            };
            match next {
                Some(s) => state = s,
                None => return std::mem::replace(&mut self.item, Item::eof()),
            }
        }
    }

    fn lex_text(&mut self) -> Option<State> {
        if let Some(x) = self.rest().find(self.left_delim) {
            if x > 0 {
                self.pos += x;
                // Do we trim any trailing space?
                let mut trim_length = 0;
                let delim_end = self.pos + self.left_delim.len();
                if has_left_trim_marker(self.rest_at(delim_end).as_bytes()) {
                    trim_length = right_trim_length(self.input.get(self.start..self.pos).unwrap_or(""));
                }
                self.pos -= trim_length;
                self.line += count_newlines(self.input.get(self.start..self.pos).unwrap_or(""));
                let i = self.this_item(ItemType::Text);
                self.pos += trim_length;
                self.ignore();
                if !i.val.is_empty() {
                    return self.emit_item(i);
                }
            }
            return Some(State::LeftDelim);
        }
        self.pos = self.input.len();
        // Correctly reached EOF.
        if self.pos > self.start {
            self.line += count_newlines(self.input.get(self.start..self.pos).unwrap_or(""));
            return self.emit(ItemType::Text);
        }
        self.emit(ItemType::Eof)
    }

    /// Whether the input is at a right delimiter, possibly preceded by a trim marker.
    fn at_right_delim(&self) -> (bool, bool) {
        let rest = self.rest();
        if has_right_trim_marker(rest.as_bytes())
            && self.rest_at(self.pos + TRIM_MARKER_LEN).starts_with(self.right_delim)
        {
            return (true, true);
        }
        if rest.starts_with(self.right_delim) {
            return (true, false);
        }
        (false, false)
    }

    fn lex_left_delim(&mut self) -> Option<State> {
        self.pos += self.left_delim.len();
        let trim_space = has_left_trim_marker(self.rest().as_bytes());
        let after_marker = if trim_space { TRIM_MARKER_LEN } else { 0 };
        if self.rest_at(self.pos + after_marker).starts_with(LEFT_COMMENT) {
            self.pos += after_marker;
            self.ignore();
            return Some(State::Comment);
        }
        let i = self.this_item(ItemType::LeftDelim);
        self.inside_action = true;
        self.pos += after_marker;
        self.ignore();
        self.paren_depth = 0;
        self.emit_item(i)
    }

    fn lex_comment(&mut self) -> Option<State> {
        self.pos += LEFT_COMMENT.len();
        let x = match self.rest().find(RIGHT_COMMENT) {
            Some(x) => x,
            None => return self.errorf("unclosed comment".into()),
        };
        self.pos += x + RIGHT_COMMENT.len();
        let (delim, trim_space) = self.at_right_delim();
        if !delim {
            return self.errorf("comment ends before closing delimiter".into());
        }
        self.line += count_newlines(self.input.get(self.start..self.pos).unwrap_or(""));
        let i = self.this_item(ItemType::Comment);
        if trim_space {
            self.pos += TRIM_MARKER_LEN;
        }
        self.pos += self.right_delim.len();
        if trim_space {
            self.pos += left_trim_length(self.rest());
        }
        self.ignore();
        if self.options.emit_comment {
            return self.emit_item(i);
        }
        Some(State::Text)
    }

    fn lex_right_delim(&mut self) -> Option<State> {
        let (_, trim_space) = self.at_right_delim();
        if trim_space {
            self.pos += TRIM_MARKER_LEN;
            self.ignore();
        }
        self.pos += self.right_delim.len();
        let i = self.this_item(ItemType::RightDelim);
        if trim_space {
            self.pos += left_trim_length(self.rest());
            self.ignore();
        }
        self.inside_action = false;
        self.emit_item(i)
    }

    fn lex_inside_action(&mut self) -> Option<State> {
        let (delim, _) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                return Some(State::RightDelim);
            }
            return self.errorf("unclosed left paren".into());
        }
        let r = self.next();
        if r == EOF {
            return self.errorf("unclosed action".into());
        }
        if is_space(r) {
            self.backup(); // Put space back in case we have " -}}".
            return Some(State::Space);
        }
        let c = char::from_u32(r as u32).unwrap_or('\u{fffd}');
        match c {
            '=' => self.emit(ItemType::Assign),
            ':' => {
                if self.next() != '=' as i32 {
                    return self.errorf("expected :=".into());
                }
                self.emit(ItemType::Declare)
            }
            '|' => self.emit(ItemType::Pipe),
            '"' => Some(State::Quote),
            '`' => Some(State::RawQuote),
            '$' => Some(State::Variable),
            '\'' => Some(State::Char),
            '.' => {
                // Special look-ahead for ".field" so we don't break backup().
                if let Some(&b) = self.input.as_bytes().get(self.pos) {
                    if !b.is_ascii_digit() {
                        return Some(State::Field);
                    }
                }
                // '.' can start a number.
                self.backup();
                Some(State::Number)
            }
            '+' | '-' | '0'..='9' => {
                self.backup();
                Some(State::Number)
            }
            _ if is_alpha_numeric(r) => {
                self.backup();
                Some(State::Identifier)
            }
            '(' => {
                self.paren_depth += 1;
                self.emit(ItemType::LeftParen)
            }
            ')' => {
                self.paren_depth -= 1;
                if self.paren_depth < 0 {
                    return self.errorf("unexpected right paren".into());
                }
                self.emit(ItemType::RightParen)
            }
            _ if (0x20..0x7f).contains(&r) => self.emit(ItemType::Char),
            _ => self.errorf(format!("unrecognized character in action: {}", format_sharp_u(r))),
        }
    }

    /// A run of space characters; the first one is known to be present and
    /// not consumed yet. Careful with a trim-marked right delimiter, which
    /// starts with a space.
    fn lex_space(&mut self) -> Option<State> {
        let mut num_spaces = 0;
        loop {
            let r = self.peek();
            if !is_space(r) {
                break;
            }
            self.next();
            num_spaces += 1;
        }
        // Be careful about a trim-marked closing delimiter, which has a minus
        // after a space. We know there is a space, so check for the '-' that might follow.
        let before = self.pos.saturating_sub(1);
        if has_right_trim_marker(self.rest_at(before).as_bytes())
            && self.rest_at(before + TRIM_MARKER_LEN).starts_with(self.right_delim)
        {
            self.backup(); // Before the space.
            if num_spaces == 1 {
                return Some(State::RightDelim); // On the delim, so go right to that.
            }
        }
        self.emit(ItemType::Space)
    }

    fn lex_identifier(&mut self) -> Option<State> {
        loop {
            let r = self.next();
            if is_alpha_numeric(r) {
                continue;
            }
            self.backup();
            let word = self.input.get(self.start..self.pos).unwrap_or("");
            if !self.at_terminator() {
                return self.errorf(format!("bad character {}", format_sharp_u(r)));
            }
            if let Some(item) = keyword(word) {
                if (item == ItemType::Break && !self.options.break_ok)
                    || (item == ItemType::Continue && !self.options.continue_ok)
                {
                    return self.emit(ItemType::Identifier);
                }
                return self.emit(item);
            }
            if word == "true" || word == "false" {
                return self.emit(ItemType::Bool);
            }
            return self.emit(ItemType::Identifier);
        }
    }

    fn lex_variable(&mut self) -> Option<State> {
        if self.at_terminator() {
            // Nothing interesting follows -> "$".
            return self.emit(ItemType::Variable);
        }
        self.lex_field_or_variable(ItemType::Variable)
    }

    /// A field or variable: [.$]Alphanumeric. The . or $ has been scanned.
    fn lex_field_or_variable(&mut self, typ: ItemType) -> Option<State> {
        if self.at_terminator() {
            // Nothing interesting follows -> "." or "$".
            if typ == ItemType::Variable {
                return self.emit(ItemType::Variable);
            }
            return self.emit(ItemType::Dot);
        }
        let mut r;
        loop {
            r = self.next();
            if !is_alpha_numeric(r) {
                self.backup();
                break;
            }
        }
        if !self.at_terminator() {
            return self.errorf(format!("bad character {}", format_sharp_u(r)));
        }
        self.emit(typ)
    }

    /// Whether the input is at a valid character to end an identifier.
    fn at_terminator(&mut self) -> bool {
        let r = self.peek();
        if is_space(r) {
            return true;
        }
        if r == EOF {
            return true;
        }
        if matches!(char::from_u32(r as u32), Some('.' | ',' | '|' | ':' | ')' | '(')) {
            return true;
        }
        self.rest().starts_with(self.right_delim)
    }

    fn lex_char(&mut self) -> Option<State> {
        loop {
            let r = self.next();
            if r == '\\' as i32 {
                let r2 = self.next();
                if r2 != EOF && r2 != '\n' as i32 {
                    continue;
                }
                return self.errorf("unterminated character constant".into());
            }
            if r == EOF || r == '\n' as i32 {
                return self.errorf("unterminated character constant".into());
            }
            if r == '\'' as i32 {
                break;
            }
        }
        self.emit(ItemType::CharConstant)
    }

    fn lex_number(&mut self) -> Option<State> {
        if !self.scan_number() {
            let text = quote(self.input.get(self.start..self.pos).unwrap_or(""));
            return self.errorf(format!("bad number syntax: {text}"));
        }
        let sign = self.peek();
        if sign == '+' as i32 || sign == '-' as i32 {
            // Complex: 1+2i. No spaces, must end in 'i'.
            let ok = self.scan_number();
            let ends_i = self.pos > 0 && self.input.as_bytes().get(self.pos - 1) == Some(&b'i');
            if !ok || !ends_i {
                let text = quote(self.input.get(self.start..self.pos).unwrap_or(""));
                return self.errorf(format!("bad number syntax: {text}"));
            }
            return self.emit(ItemType::Complex);
        }
        self.emit(ItemType::Number)
    }

    fn scan_number(&mut self) -> bool {
        // Optional leading sign.
        self.accept("+-");
        // Is it hex?
        let mut digits = "0123456789_";
        if self.accept("0") {
            // Note: Leading 0 does not mean octal in floats.
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 10 + 1 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 16 + 6 + 1 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        // Is it imaginary?
        self.accept("i");
        // Next thing mustn't be alphanumeric.
        if is_alpha_numeric(self.peek()) {
            self.next();
            return false;
        }
        true
    }

    fn lex_quote(&mut self) -> Option<State> {
        loop {
            let r = self.next();
            if r == '\\' as i32 {
                let r2 = self.next();
                if r2 != EOF && r2 != '\n' as i32 {
                    continue;
                }
                return self.errorf("unterminated quoted string".into());
            }
            if r == EOF || r == '\n' as i32 {
                return self.errorf("unterminated quoted string".into());
            }
            if r == '"' as i32 {
                break;
            }
        }
        self.emit(ItemType::String)
    }

    fn lex_raw_quote(&mut self) -> Option<State> {
        loop {
            let r = self.next();
            if r == EOF {
                return self.errorf("unterminated raw quoted string".into());
            }
            if r == '`' as i32 {
                break;
            }
        }
        self.emit(ItemType::RawString)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sharp_u() {
        assert_eq!(format_sharp_u(1), "U+0001");
        assert_eq!(format_sharp_u('#' as i32), "U+0023 '#'");
    }
}
