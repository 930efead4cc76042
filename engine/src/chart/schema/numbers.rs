//! Numbers: exact decimals for `multipleOf` and the bounds, and
//! golang.org/x/text's English formatting of numbers in messages
//! (`1,000`, `1×10⁰⁶`).

use super::*;

/// An exact decimal (`big.Rat` of a number's text): value = digits × 10^exp.
#[derive(Clone, Debug)]
pub(super) struct Dec {
    pub(super) neg: bool,
    /// Significant digits, no leading or trailing zeros (empty = 0).
    pub(super) digits: Vec<u8>,
    pub(super) exp: i64,
}

impl Dec {
    pub(super) fn parse(s: &str) -> Option<Dec> {
        let (neg, s) = match s.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let (mant, e) = match s.find(['e', 'E']) {
            Some(i) => (&s[..i], s[i + 1..].parse::<i64>().ok()?),
            None => (s, 0),
        };
        let (ip, fp) = match mant.find('.') {
            Some(i) => (&mant[..i], &mant[i + 1..]),
            None => (mant, ""),
        };
        if ip.is_empty() && fp.is_empty() || !ip.bytes().chain(fp.bytes()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        let mut digits: Vec<u8> = ip.bytes().chain(fp.bytes()).map(|c| c - b'0').collect();
        let mut exp = e - fp.len() as i64;
        let lead = digits.iter().take_while(|&&d| d == 0).count();
        digits.drain(..lead);
        while digits.last() == Some(&0) {
            digits.pop();
            exp += 1;
        }
        if digits.is_empty() {
            return Some(Dec { neg: false, digits, exp: 0 });
        }
        Some(Dec { neg, digits, exp })
    }

    pub(super) fn of_value(v: &Value) -> Option<Dec> {
        Dec::parse(&go_number_text(v)?)
    }

    pub(super) fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    pub(super) fn is_int(&self) -> bool {
        self.is_zero() || self.exp >= 0
    }

    pub(super) fn cmp_abs(&self, o: &Dec) -> std::cmp::Ordering {
        use std::cmp::Ordering::*;
        match (self.is_zero(), o.is_zero()) {
            (true, true) => return Equal,
            (true, false) => return Less,
            (false, true) => return Greater,
            _ => {}
        }
        let ma = self.digits.len() as i64 + self.exp;
        let mb = o.digits.len() as i64 + o.exp;
        if ma != mb {
            return ma.cmp(&mb);
        }
        let n = self.digits.len().max(o.digits.len());
        for i in 0..n {
            let a = self.digits.get(i).copied().unwrap_or(0);
            let b = o.digits.get(i).copied().unwrap_or(0);
            if a != b {
                return a.cmp(&b);
            }
        }
        Equal
    }

    pub(super) fn cmp(&self, o: &Dec) -> std::cmp::Ordering {
        use std::cmp::Ordering::*;
        let sa = if self.is_zero() {
            0
        } else if self.neg {
            -1
        } else {
            1
        };
        let sb = if o.is_zero() {
            0
        } else if o.neg {
            -1
        } else {
            1
        };
        if sa != sb {
            return sa.cmp(&sb);
        }
        match sa {
            0 => Equal,
            1 => self.cmp_abs(o),
            _ => o.cmp_abs(self),
        }
    }

    /// `new(big.Rat).Quo(a, b).IsInt()`.
    pub(super) fn is_multiple_of(&self, b: &Dec) -> Option<bool> {
        if b.is_zero() {
            return None; // big.Rat panics: division by zero
        }
        if self.is_zero() {
            return Some(true);
        }
        let k = self.exp - b.exp;
        if k < 0 {
            // digits have no trailing zero: never divisible by 10^-k.
            return Some(false);
        }
        // (A·10^k) mod B, with B small enough for u128.
        if b.digits.len() > 36 {
            return Some(false);
        }
        let bm: u128 = b.digits.iter().fold(0u128, |acc, &d| acc * 10 + d as u128);
        let mut r: u128 = 0;
        for &d in &self.digits {
            r = (r * 10 + d as u128) % bm;
        }
        for _ in 0..k.min(10_000) {
            r = (r * 10) % bm;
        }
        Some(r == 0)
    }
}

/// `fmt.Sprint` of a value's number (what the library feeds to big.Rat).
pub(super) fn go_number_text(v: &Value) -> Option<String> {
    match v {
        Value::Int(i, _) => Some(i.to_string()),
        Value::Uint(u) => Some(u.to_string()),
        Value::Float(f) => Some(strconv::format_float_g(*f, 64)),
        _ => None,
    }
}

pub(super) fn value_as_f64(v: &Value) -> f64 {
    match v {
        Value::Int(i, _) => *i as f64,
        Value::Uint(u) => *u as f64,
        Value::Float(f) => *f,
        _ => 0.0,
    }
}

/// Thousands separators, as golang.org/x/text prints integers in English.
pub(super) fn group_digits(int_part: &str) -> String {
    let (sign, digits) = match int_part.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", int_part),
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return int_part.to_string(); // +Inf, NaN
    }
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

/// `message.Printer` (English) `%v` of a float64: `%g` shortest, with
/// grouping, and exponents written `×10` with superscript digits.
pub(super) fn localized_float(f: f64) -> String {
    let s = strconv::format_float_g(f, 64);
    if let Some((mant, exp)) = s.split_once('e') {
        let mut out = String::from(mant);
        out.push_str("×10");
        for c in exp.chars() {
            out.push(match c {
                '-' => '⁻',
                '+' => continue,
                '0' => '⁰',
                '1' => '¹',
                '2' => '²',
                '3' => '³',
                '4' => '⁴',
                '5' => '⁵',
                '6' => '⁶',
                '7' => '⁷',
                '8' => '⁸',
                '9' => '⁹',
                other => other,
            });
        }
        out
    } else {
        match s.split_once('.') {
            Some((i, frac)) => format!("{}.{frac}", group_digits(i)),
            None => group_digits(&s),
        }
    }
}

pub(super) fn localized_int(n: usize) -> String {
    group_digits(&n.to_string())
}
