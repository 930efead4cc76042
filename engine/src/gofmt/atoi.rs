//! Go's `strconv` number parsing (atoi.go, atof.go): ParseUint, ParseInt,
//! Atoi, ParseFloat and their `*NumError` texts — the one port every layer
//! uses (template number literals, Sprig's cast, go-yaml's resolver, `--set`
//! values, pflag).

use super::strconv::quote;

/// Go's `strconv.ErrSyntax` / `strconv.ErrRange`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumErr {
    Syntax,
    Range,
}

/// Go's `*strconv.NumError`; `Display` is its `Error()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumError {
    pub func: &'static str,
    pub num: String,
    pub(crate) err: NumErr,
}

impl std::fmt::Display for NumError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let why = match self.err {
            NumErr::Syntax => "invalid syntax",
            NumErr::Range => "value out of range",
        };
        write!(f, "strconv.{}: parsing {}: {why}", self.func, quote(&self.num))
    }
}

impl NumError {
    fn new(func: &'static str, num: &str, err: NumErr) -> NumError {
        NumError { func, num: num.to_string(), err }
    }
}

fn lower(c: u8) -> u8 {
    c | 0x20
}

/// Go's `underscoreOK`: underscores only between digits, or between a base
/// prefix and a digit.
pub(crate) fn underscore_ok(s: &str) -> bool {
    let mut b = s.as_bytes();
    // saw: '^' start, '0' digit or base prefix, '_' underscore, '!' other.
    let mut saw = b'^';
    let mut i = 0;
    if !b.is_empty() && (b[0] == b'-' || b[0] == b'+') {
        b = &b[1..];
    }
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(lower(b[1]), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = lower(b[1]) == b'x';
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

/// `strconv.ParseUint(s, base, bit_size)`: base 0 (Go literal prefixes and
/// underscores) or 2..=36; bit_size 0 means 64. Like Go, an overflow is
/// reported where it happens, before later bad digits.
pub fn parse_uint(s: &str, base: u32, bit_size: u32) -> Result<u64, NumError> {
    const F: &str = "ParseUint";
    if s.is_empty() {
        return Err(NumError::new(F, s, NumErr::Syntax));
    }
    let base0 = base == 0;
    let s0 = s;
    let mut digits = s.as_bytes();
    let mut base = base;
    if base0 {
        base = 10;
        if digits[0] == b'0' {
            if digits.len() >= 3 && matches!(lower(digits[1]), b'b' | b'o' | b'x') {
                base = match lower(digits[1]) {
                    b'b' => 2,
                    b'o' => 8,
                    _ => 16,
                };
                digits = &digits[2..];
            } else {
                base = 8;
                digits = &digits[1..];
            }
        }
    }
    let bits = if bit_size == 0 { 64 } else { bit_size.min(64) };
    let max_val: u64 = if bits == 64 { u64::MAX } else { (1u64 << bits) - 1 };
    let cutoff = u64::MAX / u64::from(base) + 1;
    let mut underscores = false;
    let mut n: u64 = 0;
    for &c in digits {
        let d = match c {
            b'_' if base0 => {
                underscores = true;
                continue;
            }
            b'0'..=b'9' => u32::from(c - b'0'),
            _ if lower(c).is_ascii_lowercase() => u32::from(lower(c) - b'a') + 10,
            _ => return Err(NumError::new(F, s0, NumErr::Syntax)),
        };
        if d >= base {
            return Err(NumError::new(F, s0, NumErr::Syntax));
        }
        if n >= cutoff {
            return Err(NumError::new(F, s0, NumErr::Range));
        }
        n *= u64::from(base);
        let n1 = n.wrapping_add(u64::from(d));
        if n1 < n || n1 > max_val {
            return Err(NumError::new(F, s0, NumErr::Range));
        }
        n = n1;
    }
    if underscores && !underscore_ok(s0) {
        return Err(NumError::new(F, s0, NumErr::Syntax));
    }
    Ok(n)
}

/// `strconv.ParseInt(s, base, bit_size)`. On a range error Go also returns
/// the clamped value; [`clamp_range`] gives it.
pub fn parse_int(s: &str, base: u32, bit_size: u32) -> Result<i64, NumError> {
    const F: &str = "ParseInt";
    if s.is_empty() {
        return Err(NumError::new(F, s, NumErr::Syntax));
    }
    let (neg, body) = match s.as_bytes()[0] {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    let un = match parse_uint(body, base, bit_size) {
        Ok(u) => u,
        Err(e) if e.err == NumErr::Range => u64::MAX,
        Err(_) => return Err(NumError::new(F, s, NumErr::Syntax)),
    };
    let bits = if bit_size == 0 { 64 } else { bit_size.min(64) };
    let cutoff = 1u64 << (bits - 1);
    if !neg && un >= cutoff {
        return Err(NumError::new(F, s, NumErr::Range));
    }
    if neg && un > cutoff {
        return Err(NumError::new(F, s, NumErr::Range));
    }
    Ok(if neg { (un as i64).wrapping_neg() } else { un as i64 })
}

/// The value Go's ParseInt/Atoi return with a range error: the bound on
/// the number's side.
pub(crate) fn clamp_range(s: &str) -> i64 {
    if s.starts_with('-') {
        i64::MIN
    } else {
        i64::MAX
    }
}

/// `strconv.Atoi`: ParseInt(s, 10, 0) reporting as "Atoi" (no prefixes, no
/// underscores).
pub fn atoi(s: &str) -> Result<i64, NumError> {
    parse_int(s, 10, 0).map_err(|e| NumError { func: "Atoi", ..e })
}

/// `strconv.ParseBool`.
pub fn parse_bool(s: &str) -> Result<bool, NumError> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(NumError::new("ParseBool", s, NumErr::Syntax)),
    }
}

/// atof.go's `special`: the whole of `s` is an infinity or NaN spelling
/// (a sign is allowed before "inf"/"infinity" only).
fn special(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (sign, rest) = match b.first()? {
        b'+' => (1.0, &s[1..]),
        b'-' => (-1.0, &s[1..]),
        _ => (1.0, s),
    };
    let l = rest.to_ascii_lowercase();
    if l == "inf" || l == "infinity" {
        return Some(sign * f64::INFINITY);
    }
    if rest.len() == s.len() && l == "nan" {
        return Some(f64::NAN);
    }
    None
}

/// `strconv.ParseFloat(s, 64)`: decimal and hexadecimal (`0x1.8p3`) forms,
/// underscores as Go's syntax allows, inf/infinity/nan spellings. An
/// overflow is a range error; an underflow gives 0 as in Go.
pub fn parse_float(s: &str) -> Result<f64, NumError> {
    const F: &str = "ParseFloat";
    let syntax = || NumError::new(F, s, NumErr::Syntax);
    if let Some(f) = special(s) {
        return Ok(f);
    }
    let b = s.as_bytes();
    let mut i = 0;
    let mut neg = false;
    match b.first() {
        Some(b'+') => i += 1,
        Some(b'-') => {
            neg = true;
            i += 1
        }
        Some(_) => {}
        None => return Err(syntax()),
    }
    let mut hex = false;
    let mut exp_char = b'e';
    if i + 2 < b.len() && b[i] == b'0' && lower(b[i + 1]) == b'x' {
        hex = true;
        exp_char = b'p';
        i += 2;
    }
    let mut underscores = false;
    let mut sawdot = false;
    let mut sawdigits = false;
    // Hex mantissa, accumulated while it fits (Go keeps 16 hex digits).
    let mut mant: u64 = 0;
    let mut nd_mant: i64 = 0;
    let mut nd: i64 = 0;
    let mut dp: i64 = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'_' {
            underscores = true;
        } else if c == b'.' {
            if sawdot {
                break;
            }
            sawdot = true;
            dp = nd;
        } else if c.is_ascii_digit() || (hex && (b'a'..=b'f').contains(&lower(c))) {
            sawdigits = true;
            let d = if c.is_ascii_digit() { u64::from(c - b'0') } else { u64::from(lower(c) - b'a') + 10 };
            if d == 0 && nd == 0 {
                dp -= 1;
            } else {
                nd += 1;
                if hex && nd_mant < 16 {
                    mant = mant * 16 + d;
                    nd_mant += 1;
                }
            }
        } else {
            break;
        }
        i += 1;
    }
    if !sawdigits {
        return Err(syntax());
    }
    if !sawdot {
        dp = nd;
    }
    let mut exp: i64 = 0;
    if i < b.len() && lower(b[i]) == exp_char {
        i += 1;
        if i >= b.len() {
            return Err(syntax());
        }
        let mut esign = 1;
        if b[i] == b'+' {
            i += 1;
        } else if b[i] == b'-' {
            i += 1;
            esign = -1;
        }
        if i >= b.len() || !b[i].is_ascii_digit() {
            return Err(syntax());
        }
        let mut e: i64 = 0;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            if b[i] == b'_' {
                underscores = true;
            } else if e < 10000 {
                e = e * 10 + i64::from(b[i] - b'0');
            }
            i += 1;
        }
        exp = e * esign;
    } else if hex {
        // A hex mantissa requires a 'p' exponent.
        return Err(syntax());
    }
    if i != b.len() {
        return Err(syntax());
    }
    if underscores && !underscore_ok(s) {
        return Err(syntax());
    }
    let f = if hex {
        // value = mantissa × 2^(4·(dp − nd_mant) + exp); leading zeros were
        // counted into dp negatively, exactly like Go's readFloat.
        if mant == 0 {
            0.0
        } else {
            scale2(mant as f64, 4 * (dp - nd_mant) + exp)
        }
    } else {
        let cleaned: String = s.chars().filter(|&c| c != '_').collect();
        cleaned.trim_start_matches(['+', '-']).parse::<f64>().map_err(|_| syntax())?
    };
    if f.is_infinite() {
        return Err(NumError::new(F, s, NumErr::Range));
    }
    Ok(if neg { -f } else { f })
}

fn scale2(m: f64, e: i64) -> f64 {
    let mut v = m;
    let mut e = e.clamp(-2200, 2200);
    while e > 0 {
        let step = e.min(1000);
        v *= 2f64.powi(step as i32);
        e -= step;
    }
    while e < 0 {
        let step = (-e).min(1000);
        v /= 2f64.powi(step as i32);
        e += step;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expectations from Go's strconv atoi_test.go / atof_test.go tables.
    #[test]
    fn parse_int_base0() {
        assert_eq!(parse_int("0x10", 0, 64), Ok(16));
        assert_eq!(parse_int("010", 0, 64), Ok(8));
        assert!(parse_int("08", 0, 64).is_err());
        assert_eq!(parse_int("0", 0, 64), Ok(0));
        assert_eq!(parse_int("-0b11", 0, 64), Ok(-3));
        assert_eq!(parse_int("1_000", 0, 64), Ok(1000));
        assert!(parse_int("1__0", 0, 64).is_err());
        assert!(parse_int("1_000", 10, 64).is_err());
        assert_eq!(parse_int("9223372036854775808", 0, 64).unwrap_err().err, NumErr::Range);
        assert_eq!(parse_int("-9223372036854775808", 0, 64), Ok(i64::MIN));
        assert!(parse_int("0x", 0, 64).is_err());
        assert!(parse_int("", 0, 64).is_err());
        assert_eq!(parse_int("127", 10, 8), Ok(127));
        assert_eq!(parse_int("128", 10, 8).unwrap_err().err, NumErr::Range);
        assert_eq!(parse_int("-128", 10, 8), Ok(-128));
    }

    #[test]
    fn errors_say_what_go_says() {
        assert_eq!(atoi("x1").unwrap_err().to_string(), "strconv.Atoi: parsing \"x1\": invalid syntax");
        assert_eq!(
            atoi("99999999999999999999").unwrap_err().to_string(),
            "strconv.Atoi: parsing \"99999999999999999999\": value out of range"
        );
        // Overflow is reported where it happens, before a later bad digit.
        assert_eq!(atoi("99999999999999999999x").unwrap_err().err, NumErr::Range);
        assert_eq!(parse_uint("-1", 10, 64).unwrap_err().err, NumErr::Syntax);
        assert_eq!(
            parse_float("1e400").unwrap_err().to_string(),
            "strconv.ParseFloat: parsing \"1e400\": value out of range"
        );
    }

    #[test]
    fn parse_float_forms() {
        assert_eq!(parse_float("1e3"), Ok(1000.0));
        assert_eq!(parse_float(".5"), Ok(0.5));
        assert_eq!(parse_float("5."), Ok(5.0));
        assert_eq!(parse_float("1_000"), Ok(1000.0));
        assert_eq!(parse_float("1_000.5"), Ok(1000.5));
        assert!(parse_float("_1000").is_err());
        assert_eq!(parse_float("0x_1p-4"), Ok(1.0 / 16.0));
        assert_eq!(parse_float("0x1.e_fp4"), Ok(30.9375));
        assert!(parse_float("0x1.8").is_err());
        assert!(parse_float("1e").is_err());
        assert!(parse_float(".").is_err());
        assert_eq!(parse_float("-Inf"), Ok(f64::NEG_INFINITY));
        assert_eq!(parse_float("+infinity"), Ok(f64::INFINITY));
        assert!(parse_float("NaN").unwrap().is_nan());
        assert!(parse_float("+nan").is_err());
        assert!(parse_float("infin").is_err());
        assert_eq!(parse_float("1e-400"), Ok(0.0));
    }
}
