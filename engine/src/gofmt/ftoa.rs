//! Go's `strconv.AppendFloat(dst, f, fmt, prec, 64)` for every format
//! (`e E f g G b x X`) and precision, as `fmt`'s float verbs and
//! `encoding/json` use it.
//!
//! Digit generation: Go produces either the shortest digits that round-trip
//! (prec < 0) or correctly rounded digits (round half to even on exact
//! ties). Rust's `{:e}` / `{:.N}` / `{:.Ne}` formatting computes exactly
//! the same digits, so we take the digits from there and lay them out with
//! ports of Go's `fmtE`, `fmtF`, `fmtB` and `fmtX`.

/// Decimal digits `d` (ASCII, no trailing zeros; empty for zero) with the
/// decimal point at `dp`: value = 0.d1d2… × 10^dp. Go's `decimalSlice`.
struct Digits {
    d: Vec<u8>,
    dp: i32,
}

/// Parses Rust's `{:e}` output of a non-negative finite number.
fn digits_from_exp(s: &str) -> Digits {
    let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut d: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
    while d.last() == Some(&b'0') {
        d.pop();
    }
    if d.is_empty() {
        return Digits { d, dp: 0 };
    }
    Digits { d, dp: exp + 1 }
}

/// Shortest round-tripping digits of |f|.
fn shortest(f: f64) -> Digits {
    digits_from_exp(&format!("{:e}", f.abs()))
}

/// `n` (≥ 1) correctly rounded significant digits of |f|, trailing zeros trimmed.
fn fixed(f: f64, n: usize) -> Digits {
    digits_from_exp(&format!("{:.*e}", n.saturating_sub(1), f.abs()))
}

/// Appends `strconv.FormatFloat(f, fmt, prec, 64)` to `dst`.
pub(crate) fn append_float(dst: &mut Vec<u8>, f: f64, fmt: u8, prec: i32) {
    if f.is_nan() {
        dst.extend_from_slice(b"NaN");
        return;
    }
    if f.is_infinite() {
        dst.extend_from_slice(if f > 0.0 { b"+Inf" } else { b"-Inf" });
        return;
    }
    let neg = f.is_sign_negative();
    let bits = f.to_bits();
    let mut exp = ((bits >> 52) & 0x7ff) as i32;
    let mut mant = bits & ((1u64 << 52) - 1);
    if exp == 0 {
        exp += 1;
    } else {
        mant |= 1u64 << 52;
    }
    exp -= 1023;
    match fmt {
        b'b' => return fmt_b(dst, neg, mant, exp),
        b'x' | b'X' => return fmt_x(dst, prec, fmt, neg, mant, exp),
        _ => {}
    }
    if prec < 0 {
        // Fast path: small integral values (`%v` of 3.0, JSON of 2.0) are
        // their integer digits in both %g (below 1e6) and %f forms.
        let limit = match fmt {
            b'g' | b'G' => 1e6,
            b'f' => 1e15,
            _ => 0.0,
        };
        if f.abs() < limit && f.fract() == 0.0 {
            if neg {
                dst.push(b'-');
            }
            dst.extend_from_slice((f.abs() as u64).to_string().as_bytes());
            return;
        }
        let digs = shortest(f);
        let p = match fmt {
            b'e' | b'E' => digs.d.len() as i32 - 1,
            b'f' => (digs.d.len() as i32 - digs.dp).max(0),
            _ => digs.d.len() as i32,
        };
        format_digits(dst, neg, &digs, p, fmt, true);
        return;
    }
    match fmt {
        b'f' => {
            // Exactly rounded at the requested decimal place; Rust's layout
            // of `{:.N}` is Go's `fmtF` layout.
            if neg {
                dst.push(b'-');
            }
            dst.extend_from_slice(format!("{:.*}", prec as usize, f.abs()).as_bytes());
        }
        b'e' | b'E' => {
            let digs = fixed(f, prec as usize + 1);
            fmt_e(dst, neg, &digs, prec, fmt);
        }
        b'g' | b'G' => {
            let p = if prec == 0 { 1 } else { prec };
            let digs = fixed(f, p as usize);
            format_digits(dst, neg, &digs, p, fmt, false);
        }
        _ => {
            dst.push(b'%');
            dst.push(fmt);
        }
    }
}

/// Go's `formatDigits`.
fn format_digits(dst: &mut Vec<u8>, neg: bool, digs: &Digits, mut prec: i32, fmt: u8, shortest: bool) {
    let nd = digs.d.len() as i32;
    match fmt {
        b'e' | b'E' => fmt_e(dst, neg, digs, prec, fmt),
        b'f' => fmt_f(dst, neg, digs, prec),
        _ => {
            let mut eprec = prec;
            if eprec > nd && nd >= digs.dp {
                eprec = nd;
            }
            // %e is used if the exponent from the conversion is less than -4
            // or greater than or equal to the precision. If precision was the
            // shortest possible, use precision 6 for this decision.
            if shortest {
                eprec = 6;
            }
            let exp = digs.dp - 1;
            if exp < -4 || exp >= eprec {
                if prec > nd {
                    prec = nd;
                }
                fmt_e(dst, neg, digs, prec - 1, fmt + b'e' - b'g');
                return;
            }
            if prec > digs.dp {
                prec = nd;
            }
            fmt_f(dst, neg, digs, (prec - digs.dp).max(0));
        }
    }
}

/// `%e`: -d.ddddde±dd
fn fmt_e(dst: &mut Vec<u8>, neg: bool, d: &Digits, prec: i32, fmt: u8) {
    if neg {
        dst.push(b'-');
    }
    dst.push(d.d.first().copied().unwrap_or(b'0'));
    if prec > 0 {
        dst.push(b'.');
        let m = d.d.len().min(prec as usize + 1);
        let mut i = 1usize;
        if i < m {
            dst.extend_from_slice(&d.d[i..m]);
            i = m;
        }
        while i <= prec as usize {
            dst.push(b'0');
            i += 1;
        }
    }
    dst.push(fmt);
    let mut exp = d.dp - 1;
    if d.d.is_empty() {
        exp = 0;
    }
    if exp < 0 {
        dst.push(b'-');
        exp = -exp;
    } else {
        dst.push(b'+');
    }
    if exp < 10 {
        dst.push(b'0');
        dst.push(b'0' + exp as u8);
    } else if exp < 100 {
        dst.push(b'0' + (exp / 10) as u8);
        dst.push(b'0' + (exp % 10) as u8);
    } else {
        dst.push(b'0' + (exp / 100) as u8);
        dst.push(b'0' + ((exp / 10) % 10) as u8);
        dst.push(b'0' + (exp % 10) as u8);
    }
}

/// `%f`: -ddddddd.ddddd
fn fmt_f(dst: &mut Vec<u8>, neg: bool, d: &Digits, prec: i32) {
    if neg {
        dst.push(b'-');
    }
    let nd = d.d.len() as i32;
    if d.dp > 0 {
        let m = nd.min(d.dp);
        dst.extend_from_slice(&d.d[..m as usize]);
        for _ in m..d.dp {
            dst.push(b'0');
        }
    } else {
        dst.push(b'0');
    }
    if prec > 0 {
        dst.push(b'.');
        for i in 1..=prec {
            let j = d.dp + i - 1;
            let ch = if 0 <= j && j < nd { d.d[j as usize] } else { b'0' };
            dst.push(ch);
        }
    }
}

/// `%b`: -ddddddddp±ddd (binary exponent).
fn fmt_b(dst: &mut Vec<u8>, neg: bool, mant: u64, exp: i32) {
    let exp = exp - 52;
    if neg {
        dst.push(b'-');
    }
    dst.extend_from_slice(mant.to_string().as_bytes());
    dst.push(b'p');
    if exp >= 0 {
        dst.push(b'+');
    }
    dst.extend_from_slice(exp.to_string().as_bytes());
}

/// `%x`: -0x1.yyyyyyyyp±ddd or -0x0p+00 (hexadecimal mantissa, binary exponent).
fn fmt_x(dst: &mut Vec<u8>, prec: i32, fmt: u8, neg: bool, mut mant: u64, mut exp: i32) {
    if mant == 0 {
        exp = 0;
    }
    // Shift digits so the leading 1 (if any) is at bit 1<<60.
    mant <<= 60 - 52;
    while mant != 0 && mant & (1 << 60) == 0 {
        mant <<= 1;
        exp -= 1;
    }
    if (0..15).contains(&prec) {
        let shift = (prec * 4) as u32;
        let extra = (mant << shift) & ((1u64 << 60) - 1);
        mant >>= 60 - shift;
        if extra | (mant & 1) > 1 << 59 {
            mant += 1;
        }
        mant <<= 60 - shift;
        if mant & (1 << 61) != 0 {
            // Wrapped around.
            mant >>= 1;
            exp += 1;
        }
    }
    let hex: &[u8; 16] = if fmt == b'X' { b"0123456789ABCDEF" } else { b"0123456789abcdef" };
    if neg {
        dst.push(b'-');
    }
    dst.push(b'0');
    dst.push(fmt);
    dst.push(b'0' + ((mant >> 60) & 1) as u8);
    mant <<= 4; // remove leading 0 or 1
    if prec < 0 && mant != 0 {
        dst.push(b'.');
        while mant != 0 {
            dst.push(hex[((mant >> 60) & 15) as usize]);
            mant <<= 4;
        }
    } else if prec > 0 {
        dst.push(b'.');
        for _ in 0..prec {
            dst.push(hex[((mant >> 60) & 15) as usize]);
            mant <<= 4;
        }
    }
    dst.push(if fmt == b'X' { b'P' } else { b'p' });
    if exp < 0 {
        dst.push(b'-');
        exp = -exp;
    } else {
        dst.push(b'+');
    }
    if exp < 100 {
        dst.push(b'0' + (exp / 10) as u8);
        dst.push(b'0' + (exp % 10) as u8);
    } else if exp < 1000 {
        dst.push(b'0' + (exp / 100) as u8);
        dst.push(b'0' + ((exp / 10) % 10) as u8);
        dst.push(b'0' + (exp % 10) as u8);
    } else {
        dst.push(b'0' + (exp / 1000) as u8);
        dst.push(b'0' + ((exp / 100) % 10) as u8);
        dst.push(b'0' + ((exp / 10) % 10) as u8);
        dst.push(b'0' + (exp % 10) as u8);
    }
}

/// `strconv.FormatFloat(f, fmt, prec, 64)`.
pub(crate) fn format_float(f: f64, fmt: u8, prec: i32) -> String {
    let mut v = Vec::with_capacity(24);
    append_float(&mut v, f, fmt, prec);
    String::from_utf8(v).unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::approx_constant)] // 3.14159 is an oracle case value, not π
mod tests {
    use super::format_float;

    #[test]
    fn formats_match_go() {
        // Expected values are Go's strconv.FormatFloat output.
        assert_eq!(format_float(3.14159, b'e', 6), "3.141590e+00");
        assert_eq!(format_float(1e21, b'f', -1), "1000000000000000000000");
        assert_eq!(format_float(1e-7, b'e', -1), "1e-07");
        assert_eq!(format_float(1234.5678, b'g', 3), "1.23e+03");
        assert_eq!(format_float(0.00012345, b'g', 3), "0.000123");
        assert_eq!(format_float(100.0, b'g', 3), "100");
        assert_eq!(format_float(0.0, b'e', 2), "0.00e+00");
        assert_eq!(format_float(1.0, b'x', -1), "0x1p+00");
        assert_eq!(format_float(3.14159, b'X', -1), "0X1.921F9F01B866EP+01");
        assert_eq!(format_float(3.14159, b'x', 3), "0x1.922p+01");
        assert_eq!(format_float(1.0, b'b', -1), "4503599627370496p-52");
        assert_eq!(format_float(0.125, b'f', 2), "0.12");
        assert_eq!(format_float(-0.0, b'g', -1), "-0");
    }
}
