//! The reading side of strvals: Go's `bytes.Buffer` rune reader,
//! `runesUntil`/`runesUntilLiteral`, `typedVal` and `strconv.Atoi`.

use crate::error::Error;
use crate::gofmt::strconv::quote;
use crate::value::Value;

/// Go's `bytes.Buffer` as strvals uses it: ReadRune, UnreadRune (only right
/// after a successful ReadRune), the unread rest, and discarding bytes.
pub(crate) struct Buffer<'s> {
    s: &'s str,
    pos: usize,
    last_width: Option<usize>,
}

impl<'s> Buffer<'s> {
    pub(crate) fn new(s: &'s str) -> Buffer<'s> {
        Buffer { s, pos: 0, last_width: None }
    }

    /// The next rune, or `None` at EOF.
    pub(crate) fn read_rune(&mut self) -> Option<char> {
        let c = self.s.get(self.pos..).and_then(|r| r.chars().next());
        self.last_width = c.map(char::len_utf8);
        if let Some(c) = c {
            self.pos += c.len_utf8();
        }
        c
    }

    pub(crate) fn unread_rune(&mut self) {
        if let Some(w) = self.last_width.take() {
            self.pos -= w;
        }
    }

    /// The column (in runes, from 1) of the next rune: where a parse
    /// error is marked.
    pub(crate) fn column(&self) -> usize {
        self.s[..self.pos.min(self.s.len())].chars().count() + 1
    }

    /// `t.sc.String()`: what is left.
    pub(crate) fn rest(&self) -> &'s str {
        self.s.get(self.pos..).unwrap_or("")
    }

    /// `io.CopyN(io.Discard, t.sc, n)`.
    pub(crate) fn discard(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.s.len());
        self.last_width = None;
    }
}

/// `runesUntil` (with `\` escaping the next rune) or, `escapes` off,
/// `runesUntilLiteral`: the runes before the first stop rune, and that rune
/// (`None`: EOF came first — `io.EOF` in Go).
pub(crate) fn runes_until(sc: &mut Buffer<'_>, stop: &[char], escapes: bool) -> (String, Option<char>) {
    let mut v = String::new();
    loop {
        match sc.read_rune() {
            None => return (v, None),
            Some(r) if stop.contains(&r) => return (v, Some(r)),
            Some('\\') if escapes => match sc.read_rune() {
                None => return (v, None),
                Some(next) => v.push(next),
            },
            Some(r) => v.push(r),
        }
    }
}

/// Go's `strings.EqualFold(val, word)` for the lower-case ASCII words
/// typedVal knows: ASCII letters match either case, and Unicode's simple
/// folding also maps `ſ` (U+017F) to `s` and the Kelvin sign (U+212A) to `k`.
fn equal_fold(val: &str, word: &str) -> bool {
    let mut a = val.chars();
    for w in word.chars() {
        let c = match a.next() {
            Some(c) => c,
            None => return false,
        };
        let same = c.to_ascii_lowercase() == w || (w == 's' && c == '\u{17F}') || (w == 'k' && c == '\u{212A}');
        if !same {
            return false;
        }
    }
    a.next().is_none()
}

/// `typedVal`: `st` forces a string; else true/false/null (any case),
/// `0`, and base-10 int64s not starting with `0` are typed.
pub(crate) fn typed_val(val: &str, st: bool) -> Value {
    if st {
        return Value::str(val);
    }
    if equal_fold(val, "true") {
        return Value::Bool(true);
    }
    if equal_fold(val, "false") {
        return Value::Bool(false);
    }
    if equal_fold(val, "null") {
        return Value::Nil;
    }
    if val == "0" {
        return Value::int64(0);
    }
    // strconv.ParseInt(val, 10, 64) takes an optional sign and decimal
    // digits only, like Rust's i64 parser.
    if !val.is_empty() && !val.starts_with('0') {
        if let Ok(i) = val.parse::<i64>() {
            return Value::int64(i);
        }
    }
    Value::str(val)
}

/// `strconv.Atoi` with Go's error texts (`strconv.Atoi: parsing "x":
/// invalid syntax`, `… value out of range`).
pub(crate) fn atoi(s: &str) -> Result<i64, Error> {
    crate::gofmt::atoi::atoi(s).map_err(|e| Error::go(e.to_string()))
}

/// The text of the runtime panic Go's `x.(T)` raises when `x` (an
/// `interface{}`) holds another type, as strvals' `recover` reports it.
pub(crate) fn conversion_panic(v: &Value, want: &str) -> String {
    let have = match v {
        Value::Nil => "nil".to_string(),
        other => other.type_name(),
    };
    format!("unable to parse key: interface conversion: interface {{}} is {have}, not {want}")
}

/// Go's `%q` of a `[]rune`: each rune as strconv.QuoteRune, space
/// separated, in brackets (`['x' 'y']`).
pub(crate) fn quote_runes(s: &str) -> String {
    let parts: Vec<String> = s
        .chars()
        .map(|r| {
            let q = quote(&r.to_string());
            let inner = q.get(1..q.len().saturating_sub(1)).unwrap_or("");
            let inner = match inner {
                "\\\"" => "\"",
                "'" => "\\'",
                other => other,
            };
            format!("'{inner}'")
        })
        .collect();
    format!("[{}]", parts.join(" "))
}
