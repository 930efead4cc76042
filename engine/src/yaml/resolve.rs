//! go-yaml v2's `resolve.go`: what a plain YAML 1.1 scalar means.
//!
//! Used both ways: the decoder turns plain scalars into bools, ints, floats,
//! nulls; the encoder quotes every string that would read back as something
//! other than a string (`"yes"`, `"1.0"`, `"2001-12-14"`).

use crate::error::{go_err, Error};
use crate::gofmt::atoi;

/// Long tags as libyaml reports them after `!!` handle expansion.
pub const STR_TAG: &str = "tag:yaml.org,2002:str";
pub const BOOL_TAG: &str = "tag:yaml.org,2002:bool";
pub const INT_TAG: &str = "tag:yaml.org,2002:int";
pub const FLOAT_TAG: &str = "tag:yaml.org,2002:float";
pub const NULL_TAG: &str = "tag:yaml.org,2002:null";
pub const TIMESTAMP_TAG: &str = "tag:yaml.org,2002:timestamp";
pub const BINARY_TAG: &str = "tag:yaml.org,2002:binary";
pub const MERGE_TAG: &str = "tag:yaml.org,2002:merge";

const LONG_TAG_PREFIX: &str = "tag:yaml.org,2002:";

/// go-yaml's `shortTag`: `tag:yaml.org,2002:int` → `!!int`.
pub fn short_tag(tag: &str) -> String {
    match tag.strip_prefix(LONG_TAG_PREFIX) {
        Some(rest) => format!("!!{rest}"),
        None => tag.to_string(),
    }
}

/// A resolved scalar, typed as go-yaml hands it to an `interface{}`.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    Null,
    Bool(bool),
    /// Go `int`/`int64` (same width on the 64-bit platforms Helm runs on).
    Int(i64),
    /// Go `uint64`: integers above `i64::MAX`.
    Uint(u64),
    Float(f64),
    /// A string; for timestamps the original text (go-yaml keeps
    /// timestamps as strings when decoding into `interface{}`).
    Str,
    /// `<<`
    Merge,
    /// A timestamp (the caller keeps the original text).
    Timestamp,
}

/// The resolved tag (long form) and value. `Err` is go-yaml's
/// `cannot decode !!str `x` as a !!int` (without the `yaml: ` prefix).
pub fn resolve(tag: &str, input: &str) -> Result<(&'static str, Scalar), Error> {
    let resolvable = matches!(tag, "" | STR_TAG | BOOL_TAG | INT_TAG | FLOAT_TAG | NULL_TAG | TIMESTAMP_TAG);
    if !resolvable {
        // Unknown tags keep the text; the caller treats it as a string.
        return Ok(("", Scalar::Str));
    }
    let (rtag, out) = resolve_plain(tag, input);
    // go-yaml's deferred check: an explicit tag must agree with the resolution.
    if tag.is_empty() || tag == rtag || tag == STR_TAG || tag == BINARY_TAG {
        return Ok((rtag, out));
    }
    if tag == FLOAT_TAG && rtag == INT_TAG {
        if let Scalar::Int(i) = out {
            return Ok((FLOAT_TAG, Scalar::Float(i as f64)));
        }
        // uint64 is not converted by go-yaml: falls through to the error.
    }
    Err(go_err!("cannot decode {} `{}` as a {}", short_tag(rtag), input, short_tag(tag)))
}

fn resolve_plain(tag: &str, input: &str) -> (&'static str, Scalar) {
    let first = input.as_bytes().first().copied();
    // resolveTable: the first byte hints at what the scalar may be.
    let hint = match first {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => 0,
    };
    if hint == 0 || tag == STR_TAG || tag == BINARY_TAG {
        return (STR_TAG, Scalar::Str);
    }
    if let Some(found) = lookup(input) {
        return found;
    }
    match hint {
        // strconv.ParseFloat on text starting with '.': only `.5`, `.5e3`.
        b'.' if is_yaml_style_float(input) => {
            if let Some(f) = go_parse_float(input) {
                return (FLOAT_TAG, Scalar::Float(f));
            }
        }
        b'D' | b'S' => {
            if (tag.is_empty() || tag == TIMESTAMP_TAG) && parse_timestamp(input) {
                return (TIMESTAMP_TAG, Scalar::Timestamp);
            }
            let plain: String;
            let plain_ref: &str = if input.contains('_') {
                plain = input.replace('_', "");
                &plain
            } else {
                input
            };
            if let Some(i) = go_parse_int(plain_ref) {
                return (INT_TAG, Scalar::Int(i));
            }
            if let Some(u) = go_parse_uint(plain_ref) {
                return (INT_TAG, Scalar::Uint(u));
            }
            if is_yaml_style_float(plain_ref) {
                if let Some(f) = go_parse_float(plain_ref) {
                    return (FLOAT_TAG, Scalar::Float(f));
                }
            }
            // The explicit 0b/-0b branches of resolve.go are already covered
            // by ParseInt's base-0 prefixes (binary values that overflow
            // int64 would need ParseUint: covered by go_parse_uint too).
        }
        _ => {}
    }
    (STR_TAG, Scalar::Str)
}

/// resolve.go's resolveMap.
fn lookup(s: &str) -> Option<(&'static str, Scalar)> {
    // Every entry is at most 6 bytes long: skip the string compares.
    if s.len() > 6 {
        return None;
    }
    // Byte-slice patterns: no string compares on the hot path.
    Some(match s.as_bytes() {
        [b'y']
        | [b'Y']
        | [b'y', b'e', b's']
        | [b'Y', b'e', b's']
        | [b'Y', b'E', b'S']
        | [b't', b'r', b'u', b'e']
        | [b'T', b'r', b'u', b'e']
        | [b'T', b'R', b'U', b'E']
        | [b'o', b'n']
        | [b'O', b'n']
        | [b'O', b'N'] => (BOOL_TAG, Scalar::Bool(true)),
        [b'n']
        | [b'N']
        | [b'n', b'o']
        | [b'N', b'o']
        | [b'N', b'O']
        | [b'f', b'a', b'l', b's', b'e']
        | [b'F', b'a', b'l', b's', b'e']
        | [b'F', b'A', b'L', b'S', b'E']
        | [b'o', b'f', b'f']
        | [b'O', b'f', b'f']
        | [b'O', b'F', b'F'] => (BOOL_TAG, Scalar::Bool(false)),
        [] | [b'~'] | [b'n', b'u', b'l', b'l'] | [b'N', b'u', b'l', b'l'] | [b'N', b'U', b'L', b'L'] => {
            (NULL_TAG, Scalar::Null)
        }
        [b'.', b'n', b'a', b'n'] | [b'.', b'N', b'a', b'N'] | [b'.', b'N', b'A', b'N'] => {
            (FLOAT_TAG, Scalar::Float(f64::NAN))
        }
        [b'.', b'i', b'n', b'f']
        | [b'.', b'I', b'n', b'f']
        | [b'.', b'I', b'N', b'F']
        | [b'+', b'.', b'i', b'n', b'f']
        | [b'+', b'.', b'I', b'n', b'f']
        | [b'+', b'.', b'I', b'N', b'F'] => (FLOAT_TAG, Scalar::Float(f64::INFINITY)),
        [b'-', b'.', b'i', b'n', b'f'] | [b'-', b'.', b'I', b'n', b'f'] | [b'-', b'.', b'I', b'N', b'F'] => {
            (FLOAT_TAG, Scalar::Float(f64::NEG_INFINITY))
        }
        [b'<', b'<'] => (MERGE_TAG, Scalar::Merge),
        _ => return None,
    })
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let st = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - st
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// strconv.ParseFloat(s, 64) for text already matching the YAML float
/// pattern: `None` on overflow (Go returns ErrRange, go-yaml then keeps a
/// string); underflow gives 0 like Go.
fn go_parse_float(s: &str) -> Option<f64> {
    atoi::parse_float(s).ok()
}

/// strconv.ParseUint(s, 0, 64) (underscores already removed).
pub fn go_parse_uint(s: &str) -> Option<u64> {
    atoi::parse_uint(s, 0, 64).ok()
}

/// strconv.ParseInt(s, 0, 64).
pub fn go_parse_int(s: &str) -> Option<i64> {
    atoi::parse_int(s, 0, 64).ok()
}

/// encode.go's isBase60Float: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
/// Such strings (`1:20`) are quoted on output for YAML 1.1 readers.
pub fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&c) = b.first() else { return false };
    if !(c == b'+' || c == b'-' || c.is_ascii_digit()) || !b.contains(&b':') {
        return false;
    }
    let mut i = 0;
    if c == b'+' || c == b'-' {
        i += 1;
    }
    if !b.get(i).is_some_and(|c| c.is_ascii_digit()) {
        return false;
    }
    i += 1;
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        // [0-5]?[0-9]
        let d1 = b.get(i).copied();
        let d2 = b.get(i + 1).copied();
        match (d1, d2) {
            (Some(x @ b'0'..=b'5'), Some(y)) if y.is_ascii_digit() => {
                let _ = x;
                i += 2;
            }
            (Some(x), _) if x.is_ascii_digit() => i += 1,
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// resolve.go's parseTimestamp: does `s` parse with one of go-yaml's
/// allowed `time.Parse` layouts?
///   "2006-1-2T15:4:5.999999999Z07:00", "2006-1-2t15:4:5.999999999Z07:00",
///   "2006-1-2 15:4:5.999999999", "2006-1-2"
pub fn parse_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    // Quick check: all date formats start with YYYY-.
    let i = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if i != 4 || i == b.len() || b[i] != b'-' {
        return false;
    }
    let Some((year, month, day, rest)) = parse_date(b) else { return false };
    if !valid_date(year, month, day) {
        return false;
    }
    if rest.is_empty() {
        return true;
    }
    let (sep, rest) = (rest[0], &rest[1..]);
    let tz_required = match sep {
        b'T' | b't' => true,
        b' ' => false,
        _ => return false,
    };
    let Some(rest) = parse_clock(rest) else { return false };
    if tz_required {
        parse_iso_tz(rest)
    } else {
        rest.is_empty()
    }
}

/// Go's getnum(s, false): one or two digits.
fn getnum(b: &[u8]) -> Option<(u32, &[u8])> {
    let d0 = *b.first()?;
    if !d0.is_ascii_digit() {
        return None;
    }
    match b.get(1) {
        Some(d1) if d1.is_ascii_digit() => Some((((d0 - b'0') * 10 + (d1 - b'0')) as u32, &b[2..])),
        _ => Some(((d0 - b'0') as u32, &b[1..])),
    }
}

fn parse_date(b: &[u8]) -> Option<(u32, u32, u32, &[u8])> {
    let year: u32 = std::str::from_utf8(b.get(0..4)?).ok()?.parse().ok()?;
    let rest = b.get(4..)?.strip_prefix(b"-")?;
    let (month, rest) = getnum(rest)?;
    let rest = rest.strip_prefix(b"-")?;
    let (day, rest) = getnum(rest)?;
    Some((year, month, day, rest))
}

fn valid_date(year: u32, month: u32, day: u32) -> bool {
    if !(1..=12).contains(&month) || day < 1 {
        return false;
    }
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    day <= days
}

/// `15:4:5.999999999` (fraction optional).
fn parse_clock(b: &[u8]) -> Option<&[u8]> {
    let (h, rest) = getnum(b)?;
    let rest = rest.strip_prefix(b":")?;
    let (m, rest) = getnum(rest)?;
    let rest = rest.strip_prefix(b":")?;
    let (sec, mut rest) = getnum(rest)?;
    if h >= 24 || m >= 60 || sec >= 60 {
        return None;
    }
    // stdFracSecond9: optional; '.' or ',' followed by at least one digit.
    if rest.len() >= 2 && (rest[0] == b'.' || rest[0] == b',') && rest[1].is_ascii_digit() {
        let n = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        rest = &rest[1 + n..];
    }
    Some(rest)
}

/// `Z07:00`: `Z` or `±hh:mm`, then end of input.
fn parse_iso_tz(b: &[u8]) -> bool {
    if b.first() == Some(&b'Z') {
        return b.len() == 1;
    }
    if b.len() != 6 || b[3] != b':' || !(b[0] == b'+' || b[0] == b'-') {
        return false;
    }
    let two = |x: &[u8]| x.len() == 2 && x[0].is_ascii_digit() && x[1].is_ascii_digit();
    if !two(&b[1..3]) || !two(&b[4..6]) {
        return false;
    }
    let hr = (b[1] - b'0') as u32 * 10 + (b[2] - b'0') as u32;
    let mm = (b[4] - b'0') as u32 * 10 + (b[5] - b'0') as u32;
    hr <= 24 && mm <= 60
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Scalar {
        resolve("", s).map(|x| x.1).unwrap_or(Scalar::Str)
    }

    #[test]
    fn plain_scalars() {
        assert_eq!(r("yes"), Scalar::Bool(true));
        assert_eq!(r("Off"), Scalar::Bool(false));
        assert_eq!(r("~"), Scalar::Null);
        assert_eq!(r("017"), Scalar::Int(15));
        assert_eq!(r("0o17"), Scalar::Int(15));
        assert_eq!(r("0x1F"), Scalar::Int(31));
        assert_eq!(r("-0b101"), Scalar::Int(-5));
        assert_eq!(r("1_000"), Scalar::Int(1000));
        assert_eq!(r("08"), Scalar::Float(8.0));
        assert_eq!(r("+12"), Scalar::Int(12));
        assert_eq!(r("18446744073709551615"), Scalar::Uint(u64::MAX));
        assert_eq!(r("1e3"), Scalar::Float(1000.0));
        assert_eq!(r(".5"), Scalar::Float(0.5));
        assert_eq!(r("1e999"), Scalar::Str);
        assert_eq!(r("2001-12-14"), Scalar::Timestamp);
        assert_eq!(r("2001-12-14T21:59:43.10Z"), Scalar::Timestamp);
        assert_eq!(r("2001-02-30"), Scalar::Str);
        assert_eq!(r("1:20"), Scalar::Str);
        assert!(is_base60_float("1:20"));
        assert!(is_base60_float("190:20:30.15"));
        assert!(!is_base60_float("1:2a"));
        assert_eq!(r("<<"), Scalar::Str); // '<' has no hint: only `isMerge` sees it
    }

    #[test]
    fn explicit_tags() {
        assert_eq!(resolve(FLOAT_TAG, "1").map(|x| x.1), Ok(Scalar::Float(1.0)));
        assert_eq!(resolve(INT_TAG, "abc"), Err(Error::go("cannot decode !!str `abc` as a !!int")));
        assert_eq!(resolve(STR_TAG, "123").map(|x| x.1), Ok(Scalar::Str));
    }
}
