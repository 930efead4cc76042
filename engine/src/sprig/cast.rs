//! spf13/cast v1.7.0 conversions (what Sprig's `int`, `int64`, `float64` and
//! all integer math use), on the strconv port in `gofmt::atoi`.

use crate::error::{go_err, Error};
use crate::gofmt::atoi;
use crate::value::{IntType, Value};

/// Go's `int64(f)` on amd64: truncation, and the "integer indefinite" value
/// (minimum int64) for NaN and out-of-range inputs.
pub(crate) fn f64_to_i64(f: f64) -> i64 {
    // 2^63 is exactly representable; anything at or beyond it overflows.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-LIMIT..LIMIT).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// `cast.ToInt64E`; errors are dropped by Sprig (value 0), but kept here.
pub fn to_int64_e(v: &Value) -> Result<i64, Error> {
    match v {
        // cast knows the integer kinds, time.Month and time.Weekday, but not
        // time.Duration.
        Value::Int(_, IntType::Duration) => {
            Err(go_err!("unable to cast {} of type time.Duration to int64", v.to_go_string()))
        }
        Value::Int(i, _) => Ok(*i),
        Value::Uint(u) => Ok(*u as i64),
        Value::Float(f) => Ok(f64_to_i64(*f)),
        Value::String(s) => parse_int(&trim_zero_decimal(s), 0, 64)
            .map_err(|_| go_err!("unable to cast {} of type string to int64", crate::gofmt::strconv::quote(s))),
        Value::Bool(b) => Ok(i64::from(*b)),
        Value::Nil => Ok(0),
        other => Err(go_err!("unable to cast {} of type {} to int64", other.to_go_string(), other.type_name())),
    }
}

/// `cast.ToInt64` (errors give 0).
pub(crate) fn to_int64(v: &Value) -> i64 {
    to_int64_e(v).unwrap_or(0)
}

/// `cast.ToInt` (same as ToInt64 on 64-bit Go).
pub(crate) fn to_int(v: &Value) -> i64 {
    to_int64(v)
}

/// `cast.ToFloat64E`.
pub fn to_float64_e(v: &Value) -> Result<f64, Error> {
    match v {
        Value::Int(_, IntType::Duration) => Err(Error::go("unable to cast to float64".to_string())),
        Value::Int(i, _) => Ok(*i as f64),
        Value::Uint(u) => Ok(*u as f64),
        Value::Float(f) => Ok(*f),
        Value::String(s) => parse_float(s).ok_or_else(|| Error::go("unable to cast to float64")),
        Value::Bool(b) => Ok(if *b { 1.0 } else { 0.0 }),
        Value::Nil => Ok(0.0),
        _ => Err(Error::go("unable to cast to float64".to_string())),
    }
}

/// `cast.ToFloat64` (errors give 0).
pub(crate) fn to_float64(v: &Value) -> f64 {
    to_float64_e(v).unwrap_or(0.0)
}

/// cast's `trimZeroDecimal`: "12.000" → "12" (only all-zero fractions).
pub(crate) fn trim_zero_decimal(s: &str) -> String {
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

/// Go's `strconv.ParseInt(s, base, bits)`; the error is only "invalid"
/// (callers word Go's error themselves).
#[allow(clippy::result_unit_err)]
pub fn parse_int(s: &str, base: u32, bits: u32) -> Result<i64, ()> {
    atoi::parse_int(s, base, bits).map_err(|_| ())
}

/// Go's `strconv.ParseFloat(s, 64)`; `None` on syntax or range errors.
pub(crate) fn parse_float(s: &str) -> Option<f64> {
    atoi::parse_float(s).ok()
}
