//! Go's `strconv` number and string formatting, exactly.

use std::fmt::Write as _;

/// Shortest decimal digits and decimal-point position of `f` (|f| > 0, finite):
/// returns (digits, dp) such that f = 0.d1d2d3… × 10^dp.
fn shortest_digits(f: f64, bits: u32) -> (String, i32) {
    // Rust's `{:e}` prints the shortest representation that round-trips,
    // which is what Go's FormatFloat(…, -1, bits) computes too.
    let s = if bits == 32 { format!("{:e}", (f as f32).abs()) } else { format!("{:e}", f.abs()) };
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let digits = digits.trim_end_matches('0').to_string();
    let digits = if digits.is_empty() { "0".to_string() } else { digits };
    (digits, exp + 1)
}

fn special(f: f64) -> Option<String> {
    if f.is_nan() {
        Some("NaN".into())
    } else if f.is_infinite() {
        Some(if f > 0.0 { "+Inf".into() } else { "-Inf".into() })
    } else {
        None
    }
}

/// `strconv.FormatFloat(f, 'g', -1, bits)`: `%v` of float64.
pub(crate) fn format_float_g(f: f64, bits: u32) -> String {
    if let Some(s) = special(f) {
        return s;
    }
    let neg = f.is_sign_negative();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if f == 0.0 {
        out.push('0');
        return out;
    }
    let (digits, dp) = shortest_digits(f, bits);
    let exp = dp - 1;
    // Go uses precision 6 for the %e/%f decision when printing shortest.
    let eprec = 6;
    if exp < -4 || exp >= eprec {
        out.push_str(&fmt_e(&digits, exp));
    } else {
        out.push_str(&fmt_f(&digits, dp));
    }
    out
}

/// `strconv.FormatFloat(f, 'f', -1, 64)`.
pub(crate) fn format_float_f(f: f64) -> String {
    if let Some(s) = special(f) {
        return s;
    }
    let mut out = String::new();
    if f.is_sign_negative() {
        out.push('-');
    }
    if f == 0.0 {
        out.push('0');
        return out;
    }
    let (digits, dp) = shortest_digits(f, 64);
    out.push_str(&fmt_f(&digits, dp));
    out
}

fn fmt_e(digits: &str, exp: i32) -> String {
    let mut s = String::new();
    s.push_str(&digits[..1]);
    if digits.len() > 1 {
        s.push('.');
        s.push_str(&digits[1..]);
    }
    s.push('e');
    s.push(if exp < 0 { '-' } else { '+' });
    let e = exp.unsigned_abs();
    if e < 10 {
        s.push('0');
    }
    s.push_str(&e.to_string());
    s
}

fn fmt_f(digits: &str, dp: i32) -> String {
    let mut s = String::new();
    if dp <= 0 {
        s.push_str("0.");
        for _ in 0..(-dp) {
            s.push('0');
        }
        s.push_str(digits);
    } else {
        let dp = dp as usize;
        if digits.len() <= dp {
            s.push_str(digits);
            for _ in digits.len()..dp {
                s.push('0');
            }
        } else {
            s.push_str(&digits[..dp]);
            s.push('.');
            s.push_str(&digits[dp..]);
        }
    }
    s
}

/// Go's `strconv.Quote`: double-quoted with Go escapes; printable unicode kept.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    // Go iterates runes; a byte that is not UTF-8 (held as a raw byte, see
    // crate::gostring) prints as \x...
    for c in s.chars() {
        match crate::gostring::raw_byte(c) {
            Some(b) => {
                let _ = write!(out, "\\x{b:02x}");
            }
            None => append_escaped_rune(&mut out, c, '"', false),
        }
    }
    out.push('"');
    out
}

/// Go's `appendEscapedRune` (without the graphic-only mode).
pub(crate) fn append_escaped_rune(out: &mut String, r: char, quote: char, ascii_only: bool) {
    if r == quote || r == '\\' {
        out.push('\\');
        out.push(r);
        return;
    }
    if ascii_only {
        if r.is_ascii() && is_go_printable(r) {
            out.push(r);
            return;
        }
    } else if is_go_printable(r) {
        out.push(r);
        return;
    }
    match r {
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x0b' => out.push_str("\\v"),
        _ => {
            let u = r as u32;
            if u < 0x20 || u == 0x7f {
                let _ = write!(out, "\\x{u:02x}");
            } else if u < 0x10000 {
                let _ = write!(out, "\\u{u:04x}");
            } else {
                let _ = write!(out, "\\U{u:08x}");
            }
        }
    }
}

/// Go's `strconv.Quote` (or `QuoteToASCII`) of a byte string: invalid
/// UTF-8 bytes become `\xNN`.
pub(crate) fn quote_bytes(s: &[u8], ascii_only: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for chunk in s.utf8_chunks() {
        for c in chunk.valid().chars() {
            append_escaped_rune(&mut out, c, '"', ascii_only);
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out.push('"');
    out
}

/// Go's `strconv.IsPrint` (exact, Unicode 15.0.0 tables in `isprint`).
pub(crate) fn is_go_printable(c: char) -> bool {
    super::isprint::is_print(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g_format_matches_go() {
        // Expected values are Go's strconv.FormatFloat(f, 'g', -1, 64).
        for (f, want) in [
            (1e6, "1e+06"),
            (123456.0, "123456"),
            (100000.0, "100000"),
            (1e21, "1e+21"),
            (1e-6, "1e-06"),
            (0.0001, "0.0001"),
            (1.5, "1.5"),
            (-2.5, "-2.5"),
            (0.0, "0"),
            (1.2345678901234567e19, "1.2345678901234567e+19"),
            (9007199254740992.0, "9.007199254740992e+15"),
            (1234567.0, "1.234567e+06"),
            (0.1, "0.1"),
            (3.0, "3"),
        ] {
            assert_eq!(format_float_g(f, 64), want, "{f}");
        }
    }

    #[test]
    fn quote_matches_go() {
        assert_eq!(quote("a\"b\\c\té\x07"), "\"a\\\"b\\\\c\\té\\a\"");
    }
}
