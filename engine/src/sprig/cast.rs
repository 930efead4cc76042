//! spf13/cast v1.7.0 conversions (what Sprig's `int`, `int64`, `float64` and
//! all integer math use), plus the Go `strconv` parsers they rely on.

use crate::value::{IntType, Value};

/// Go's `int64(f)` on amd64: truncation, and the "integer indefinite" value
/// (minimum int64) for NaN and out-of-range inputs.
pub fn f64_to_i64(f: f64) -> i64 {
    // 2^63 is exactly representable; anything at or beyond it overflows.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-LIMIT..LIMIT).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// `cast.ToInt64E`; errors are dropped by Sprig (value 0), but kept here.
pub fn to_int64_e(v: &Value) -> Result<i64, String> {
    match v {
        // cast knows the integer kinds, time.Month and time.Weekday, but not
        // time.Duration.
        Value::Int(_, IntType::Duration) => {
            Err(format!("unable to cast {} of type time.Duration to int64", v.to_go_string()))
        }
        Value::Int(i, _) => Ok(*i),
        Value::Uint(u) => Ok(*u as i64),
        Value::Float(f) => Ok(f64_to_i64(*f)),
        Value::String(s) => parse_int(&trim_zero_decimal(s), 0, 64)
            .map_err(|_| format!("unable to cast {} of type string to int64", crate::gofmt::strconv::quote(s))),
        Value::Bool(b) => Ok(i64::from(*b)),
        Value::Nil => Ok(0),
        other => Err(format!("unable to cast {} of type {} to int64", other.to_go_string(), other.type_name())),
    }
}

/// `cast.ToInt64` (errors give 0).
pub fn to_int64(v: &Value) -> i64 {
    to_int64_e(v).unwrap_or(0)
}

/// `cast.ToInt` (same as ToInt64 on 64-bit Go).
pub fn to_int(v: &Value) -> i64 {
    to_int64(v)
}

/// `cast.ToFloat64E`.
pub fn to_float64_e(v: &Value) -> Result<f64, String> {
    match v {
        Value::Int(_, IntType::Duration) => Err("unable to cast to float64".to_string()),
        Value::Int(i, _) => Ok(*i as f64),
        Value::Uint(u) => Ok(*u as f64),
        Value::Float(f) => Ok(*f),
        Value::String(s) => parse_float(s).ok_or_else(|| "unable to cast to float64".to_string()),
        Value::Bool(b) => Ok(if *b { 1.0 } else { 0.0 }),
        Value::Nil => Ok(0.0),
        _ => Err("unable to cast to float64".to_string()),
    }
}

/// `cast.ToFloat64` (errors give 0).
pub fn to_float64(v: &Value) -> f64 {
    to_float64_e(v).unwrap_or(0.0)
}

/// cast's `trimZeroDecimal`: "12.000" → "12" (only all-zero fractions).
pub fn trim_zero_decimal(s: &str) -> String {
    let b = s.as_bytes();
    let mut found_zero = false;
    let mut i = b.len();
    while i > 0 {
        match b[i - 1] {
            b'.' => {
                if found_zero {
                    return s[..i - 1].to_string();
                }
            }
            b'0' => found_zero = true,
            _ => return s.to_string(),
        }
        i -= 1;
    }
    s.to_string()
}

/// Go's `strconv.ParseInt(s, base, bits)` for base 0 (Go literal prefixes and
/// underscores), 8, 10 or 16. The error is only "invalid" (callers that
/// need Go's text build it themselves).
#[allow(clippy::result_unit_err)] // callers word Go's error themselves
pub fn parse_int(s: &str, base: u32, bits: u32) -> Result<i64, ()> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint(body, base)?;
    let cutoff: u128 = 1u128 << (bits - 1);
    let u = u as u128;
    if !neg && u >= cutoff {
        return Err(());
    }
    if neg && u > cutoff {
        return Err(());
    }
    let v = if neg { (u as i128).wrapping_neg() } else { u as i128 };
    Ok(v as i64)
}

/// Go's `strconv.ParseUint(s, base, 64)` digits part.
#[allow(clippy::result_unit_err)] // callers word Go's error themselves
pub fn parse_uint(s: &str, base: u32) -> Result<u64, ()> {
    if s.is_empty() {
        return Err(());
    }
    let base0 = base == 0;
    let mut base = base;
    let mut digits = s;
    if base0 {
        base = 10;
        let b = s.as_bytes();
        if b[0] == b'0' {
            if s.len() >= 3 && matches!(b[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
                base = match b[1].to_ascii_lowercase() {
                    b'b' => 2,
                    b'o' => 8,
                    _ => 16,
                };
                digits = &s[2..];
            } else {
                base = 8;
                digits = &s[1..];
            }
        }
    }
    let mut n: u64 = 0;
    let mut underscores = false;
    for c in digits.chars() {
        if c == '_' && base0 {
            underscores = true;
            continue;
        }
        let d = c.to_digit(36).ok_or(())?;
        if d >= base {
            return Err(());
        }
        n = n.checked_mul(u64::from(base)).ok_or(())?;
        n = n.checked_add(u64::from(d)).ok_or(())?;
    }
    if underscores && !underscore_ok(s) {
        return Err(());
    }
    Ok(n)
}

/// Go's `underscoreOK`: underscores only between digits or after a base prefix.
fn underscore_ok(s: &str) -> bool {
    // saw: '^' start, '0' digit or prefix, '_' underscore, '!' other
    let b = s.as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        hex = b[1].eq_ignore_ascii_case(&b'x');
        i = 2;
        saw = b'0';
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// Go's `strconv.ParseFloat(s, 64)` for decimal input (incl. inf/nan
/// spellings); `None` on syntax or range errors.
pub fn parse_float(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" || lower == "nan" {
        if lower == "nan" && body.len() != s.len() {
            return None;
        }
        return s.parse::<f64>().ok();
    }
    if !body.bytes().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-')) {
        return None;
    }
    let f: f64 = s.parse().ok()?;
    if f.is_infinite() {
        return None; // Go: value out of range
    }
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_parse_int_base0() {
        assert_eq!(parse_int("0x10", 0, 64), Ok(16));
        assert_eq!(parse_int("010", 0, 64), Ok(8));
        assert_eq!(parse_int("08", 0, 64), Err(()));
        assert_eq!(parse_int("0", 0, 64), Ok(0));
        assert_eq!(parse_int("-0b11", 0, 64), Ok(-3));
        assert_eq!(parse_int("1_000", 0, 64), Ok(1000));
        assert_eq!(parse_int("1__0", 0, 64), Err(()));
        assert_eq!(parse_int("9223372036854775808", 0, 64), Err(()));
        assert_eq!(parse_int("-9223372036854775808", 0, 64), Ok(i64::MIN));
        assert_eq!(parse_int("0x", 0, 64), Err(()));
        assert_eq!(parse_int("", 0, 64), Err(()));
    }
}
