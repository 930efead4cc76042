//! Decoding of template literals exactly as Go's parser does it: strings via
//! `strconv.Unquote`, character constants via `strconv.UnquoteChar`, numbers
//! via `Tree.newNumber` (ParseUint/ParseInt with base 0, ParseFloat, and the
//! int/uint/float "ideal constant" rules).

use super::node::{NumberNode, Pos};
use crate::error::{go_err, Error};
use crate::gofmt::atoi;

/// `strconv.ErrSyntax`'s text, which the parser reports verbatim.
pub(crate) const ERR_SYNTAX: &str = "invalid syntax";

/// Go's `strconv.ErrSyntax`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntaxError;

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(ERR_SYNTAX)
    }
}

fn unhex(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some((b - b'0') as u32),
        b'a'..=b'f' => Some((b - b'a' + 10) as u32),
        b'A'..=b'F' => Some((b - b'A' + 10) as u32),
        _ => None,
    }
}

/// One decoded unit of a quoted literal: a rune, or (for `\x`/octal escapes) a
/// raw byte.
enum Unit {
    Rune(char),
    Byte(u8),
}

/// Go's `strconv.UnquoteChar(s, quote)`: decodes the first character or
/// escape of `s`; returns it and the tail.
fn unquote_char(s: &str, quote: u8) -> Result<(Unit, &str), SyntaxError> {
    let bytes = s.as_bytes();
    let c = *bytes.first().ok_or(SyntaxError)?;
    if c == quote && (quote == b'\'' || quote == b'"') {
        return Err(SyntaxError);
    }
    if c >= 0x80 {
        let ch = s.chars().next().ok_or(SyntaxError)?;
        return Ok((Unit::Rune(ch), &s[ch.len_utf8()..]));
    }
    if c != b'\\' {
        return Ok((Unit::Rune(c as char), &s[1..]));
    }
    // Hard case: c is a backslash.
    let c = *bytes.get(1).ok_or(SyntaxError)?;
    // A backslash before a non-ASCII character is no escape (Go's
    // UnquoteChar: ErrSyntax); `s[2..]` would cut that character.
    if !c.is_ascii() {
        return Err(SyntaxError);
    }
    let rest = &s[2..];
    let simple = |ch: char| Ok((Unit::Rune(ch), rest));
    match c {
        b'a' => simple('\x07'),
        b'b' => simple('\x08'),
        b'f' => simple('\x0c'),
        b'n' => simple('\n'),
        b'r' => simple('\r'),
        b't' => simple('\t'),
        b'v' => simple('\x0b'),
        b'x' | b'u' | b'U' => {
            let n = match c {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            let digits = rest.as_bytes().get(..n).ok_or(SyntaxError)?;
            let mut v: u32 = 0;
            for &d in digits {
                v = (v << 4) | unhex(d).ok_or(SyntaxError)?;
            }
            let tail = &rest[n..];
            if c == b'x' {
                // Single byte, possibly not UTF-8.
                return Ok((Unit::Byte(v as u8), tail));
            }
            let ch = char::from_u32(v).ok_or(SyntaxError)?;
            Ok((Unit::Rune(ch), tail))
        }
        b'0'..=b'7' => {
            let mut v = (c - b'0') as u32;
            let digits = rest.as_bytes().get(..2).ok_or(SyntaxError)?;
            for &d in digits {
                if !(b'0'..=b'7').contains(&d) {
                    return Err(SyntaxError);
                }
                v = (v << 3) | (d - b'0') as u32;
            }
            if v > 255 {
                return Err(SyntaxError);
            }
            Ok((Unit::Byte(v as u8), &rest[2..]))
        }
        b'\\' => simple('\\'),
        b'\'' | b'"' => {
            if c != quote {
                return Err(SyntaxError);
            }
            simple(c as char)
        }
        _ => Err(SyntaxError),
    }
}

/// Go's `strconv.Unquote` for the literal forms the lexer produces
/// (`"..."`, `` `...` ``, `'.'`). Escapes producing bytes that are not
/// valid UTF-8 (`"\xff"`) are replaced by U+FFFD: our strings are UTF-8.
pub fn unquote(s: &str) -> Result<String, SyntaxError> {
    let b = s.as_bytes();
    if b.len() < 2 {
        return Err(SyntaxError);
    }
    let quote = b[0];
    if quote != b[b.len() - 1] {
        return Err(SyntaxError);
    }
    let inner = &s[1..s.len() - 1];
    match quote {
        b'`' => {
            if inner.contains('`') {
                return Err(SyntaxError);
            }
            // Carriage returns are stripped from raw strings.
            if inner.contains('\r') {
                return Ok(inner.replace('\r', ""));
            }
            Ok(inner.to_string())
        }
        b'"' | b'\'' => {
            if quote == b'"' && !inner.contains('\\') && !inner.contains('\n') && !inner.contains('"') {
                return Ok(inner.to_string());
            }
            let mut out: Vec<u8> = Vec::with_capacity(inner.len());
            let mut rest = &s[1..];
            let mut n = 0;
            while let Some(&c0) = rest.as_bytes().first() {
                if c0 == quote {
                    break;
                }
                if c0 == b'\n' {
                    return Err(SyntaxError);
                }
                let (u, tail) = unquote_char(rest, quote)?;
                rest = tail;
                match u {
                    Unit::Rune(ch) => {
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                    }
                    Unit::Byte(x) => out.push(x),
                }
                n += 1;
                if quote == b'\'' {
                    break;
                }
            }
            // The string must end right at its terminating quote.
            if rest.len() != 1 || rest.as_bytes()[0] != quote {
                return Err(SyntaxError);
            }
            if quote == b'\'' && n != 1 {
                return Err(SyntaxError);
            }
            // `"\xc3"` is one byte that is not UTF-8 (crate::gostring).
            Ok(match String::from_utf8(out) {
                Ok(s) => s,
                Err(e) => crate::gostring::from_bytes(e.as_bytes()),
            })
        }
        _ => Err(SyntaxError),
    }
}

// Go's strconv.ParseUint/ParseInt(s, 0, 64) and ParseFloat(s, 64), as
// parse.go's newNumber calls them (the one port in gofmt::atoi).
fn parse_uint(s: &str) -> Option<u64> {
    atoi::parse_uint(s, 0, 64).ok()
}

fn parse_int(s: &str) -> Option<i64> {
    atoi::parse_int(s, 0, 64).ok()
}

fn parse_float(s: &str) -> Option<f64> {
    atoi::parse_float(s).ok()
}

/// float64(int64(f)) == f, with Go/amd64's out-of-range conversion results
/// (which never compare equal) instead of Rust's saturation.
fn float_is_int64(f: f64) -> bool {
    (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f) && (f as i64) as f64 == f
}

fn float_is_uint64(f: f64) -> bool {
    f > -1.0 && f < 18_446_744_073_709_551_616.0 && (f as u64) as f64 == f
}

/// Sets the int/uint/float views of a complex number with imaginary part 0
/// (Go's simplifyComplex).
fn simplify_complex(n: &mut NumberNode, re: f64, im: f64) {
    n.is_float = im == 0.0;
    if n.is_float {
        n.float64 = re;
        n.is_int = float_is_int64(re);
        if n.is_int {
            n.int64 = re as i64;
        }
        n.is_uint = float_is_uint64(re);
        if n.is_uint {
            n.uint64 = re as u64;
        }
    }
}

/// Which lexer item a number literal came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumberKind {
    Number,
    CharConstant,
    Complex,
}

/// Go's `Tree.newNumber`. The error is Go's message.
pub fn new_number(pos: Pos, text: &str, kind: NumberKind) -> Result<NumberNode, Error> {
    let mut n = NumberNode {
        pos,
        is_int: false,
        is_uint: false,
        is_float: false,
        is_complex: false,
        int64: 0,
        uint64: 0,
        float64: 0.0,
        text: text.to_string(),
    };
    match kind {
        NumberKind::CharConstant => {
            let body = text.get(1..).unwrap_or("");
            let (u, tail) = unquote_char(body, b'\'').map_err(|_| ERR_SYNTAX.to_string())?;
            if tail != "'" {
                return Err(go_err!("malformed character constant: {text}"));
            }
            let r = match u {
                Unit::Rune(c) => c as u32,
                Unit::Byte(b) => b as u32,
            };
            n.int64 = r as i64;
            n.is_int = true;
            n.uint64 = r as u64;
            n.is_uint = true;
            n.float64 = r as f64; // odd but those are the rules.
            n.is_float = true;
            return Ok(n);
        }
        NumberKind::Complex => {
            // fmt.Sscan parses the "real±imag i" pair.
            let (re, im) = scan_complex(text).ok_or_else(|| "expected integer".to_string())?;
            n.is_complex = true;
            simplify_complex(&mut n, re, im);
            return Ok(n);
        }
        NumberKind::Number => {}
    }
    // Imaginary constants can only be complex unless they are zero.
    if let Some(stripped) = text.strip_suffix('i') {
        if let Some(f) = parse_float(stripped) {
            n.is_complex = true;
            simplify_complex(&mut n, 0.0, f);
            return Ok(n);
        }
    }
    // Do integer test first so we get 0x123 etc.
    let u = parse_uint(text);
    if let Some(u) = u {
        n.is_uint = true;
        n.uint64 = u;
    }
    if let Some(i) = parse_int(text) {
        n.is_int = true;
        n.int64 = i;
        if i == 0 {
            n.is_uint = true; // in case of -0.
            n.uint64 = u.unwrap_or(0);
        }
    }
    // If an integer extraction succeeded, promote the float.
    if n.is_int {
        n.is_float = true;
        n.float64 = n.int64 as f64;
    } else if n.is_uint {
        n.is_float = true;
        n.float64 = n.uint64 as f64;
    } else if let Some(f) = parse_float(text) {
        // If we parsed it as a float but it looks like an integer,
        // it's a huge number too large to fit in an int. Reject it.
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(go_err!("integer overflow: {}", crate::gofmt::strconv::quote(text)));
        }
        n.is_float = true;
        n.float64 = f;
        // If a floating-point extraction succeeded, extract the int if needed.
        if !n.is_int && float_is_int64(f) {
            n.is_int = true;
            n.int64 = f as i64;
        }
        if !n.is_uint && float_is_uint64(f) {
            n.is_uint = true;
            n.uint64 = f as u64;
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(go_err!("illegal number syntax: {}", crate::gofmt::strconv::quote(text)));
    }
    Ok(n)
}

/// The real and imaginary parts of a lexed complex literal `A±Bi`.
fn scan_complex(text: &str) -> Option<(f64, f64)> {
    let b = text.as_bytes();
    // The sign separating the parts: the first +/- after position 0 that does
    // not follow an exponent marker.
    let mut split = None;
    for i in 1..b.len() {
        if (b[i] == b'+' || b[i] == b'-') && !matches!(b[i - 1], b'e' | b'E' | b'p' | b'P') {
            split = Some(i);
            break;
        }
    }
    let split = split?;
    let re = parse_float(&text[..split])?;
    let im = parse_float(text[split..].strip_suffix('i')?)?;
    Some((re, im))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unquote_like_go() {
        assert_eq!(unquote(r#""a\tb""#).as_deref(), Ok("a\tb"));
        assert_eq!(unquote("`a\\d`").as_deref(), Ok("a\\d"));
        assert_eq!(unquote("`a\r\nb`").as_deref(), Ok("a\nb"));
        assert_eq!(unquote(r#""\u00e9\x41\101""#).as_deref(), Ok("éAA"));
        assert!(unquote(r#""\q""#).is_err());
        assert!(unquote(r#""\'""#).is_err());
        assert_eq!(unquote(r#"'\''"#).as_deref(), Ok("'"));
    }

    #[test]
    fn ints_like_go() {
        assert_eq!(parse_uint("0x1F"), Some(31));
        assert_eq!(parse_uint("0o17"), Some(15));
        assert_eq!(parse_uint("017"), Some(15));
        assert_eq!(parse_uint("0b101"), Some(5));
        assert_eq!(parse_uint("1_000"), Some(1000));
        assert_eq!(parse_uint("1__0"), None);
        assert_eq!(parse_uint("089"), None);
        assert_eq!(parse_uint("-1"), None);
        assert_eq!(parse_int("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_int("9223372036854775808"), None);
        assert_eq!(parse_uint("18446744073709551616"), None);
    }

    #[test]
    fn floats_like_go() {
        assert_eq!(parse_float("1e3"), Some(1000.0));
        assert_eq!(parse_float(".5"), Some(0.5));
        assert_eq!(parse_float("0x_1p-4"), Some(1.0 / 16.0));
        assert_eq!(parse_float("0x1.e_fp4"), Some(30.9375));
        assert_eq!(parse_float("0x1.8"), None);
        assert_eq!(parse_float("1e400"), None);
        assert_eq!(parse_float("1e"), None);
        assert_eq!(parse_float("."), None);
        assert_eq!(parse_float("1_e3"), None);
    }
}
