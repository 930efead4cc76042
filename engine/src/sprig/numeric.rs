//! Sprig's numeric.go and the math one-liners of functions.go: integer math
//! through spf13/cast's ToInt64 (wrapping like Go), float math through
//! shopspring/decimal (exact decimal arithmetic on the shortest decimal form
//! of each float64, division rounded to 16 places).

use crate::error::{go_err, Error};
use crate::gofmt::strconv;
use crate::template::{FuncMap, Ty};
use crate::value::{ListType, Value};

use super::cast::{parse_int, to_float64, to_int64};
use super::{arg, arg_int};

/// Longest list `until`/`untilStep`/`seq` may build (Go has no limit but
/// would exhaust memory; we must not hang the browser).
pub(crate) const MAX_RANGE: usize = 1 << 22;

pub fn register(m: &mut FuncMap) {
    use Ty::*;
    m.add("atoi", &[String], None, |_, a| {
        let s = super::arg_str(&a, 0);
        Ok(Value::int(atoi(&s)))
    });
    m.add("int64", &[Any], None, |_, a| Ok(Value::int64(to_int64(&arg(&a, 0)))));
    m.add("int", &[Any], None, |_, a| Ok(Value::int(to_int64(&arg(&a, 0)))));
    m.add("float64", &[Any], None, |_, a| Ok(Value::Float(to_float64(&arg(&a, 0)))));
    m.add("toDecimal", &[Any], None, |_, a| {
        Ok(Value::int64(parse_int(&arg(&a, 0).to_go_string(), 8, 64).unwrap_or(0)))
    });
    m.add("seq", &[], Some(Int), |_, a| {
        let p: Vec<i64> = a
            .iter()
            .map(|v| match v {
                Value::Int(i, _) => *i,
                _ => 0,
            })
            .collect();
        seq(&p).map(Value::string)
    });
    m.add("until", &[Int], None, |_, a| {
        let n = arg_int(&a, 0);
        int_list(until_step(0, n, if n < 0 { -1 } else { 1 })?)
    });
    m.add("untilStep", &[Int, Int, Int], None, |_, a| {
        int_list(until_step(arg_int(&a, 0), arg_int(&a, 1), arg_int(&a, 2))?)
    });
    m.add("add1", &[Any], None, |_, a| Ok(Value::int64(to_int64(&arg(&a, 0)).wrapping_add(1))));
    m.add("add", &[], Some(Any), |_, a| Ok(Value::int64(a.iter().fold(0i64, |acc, v| acc.wrapping_add(to_int64(v))))));
    m.add("sub", &[Any, Any], None, |_, a| Ok(Value::int64(to_int64(&arg(&a, 0)).wrapping_sub(to_int64(&arg(&a, 1))))));
    m.add("div", &[Any, Any], None, |_, a| {
        let d = to_int64(&arg(&a, 1));
        if d == 0 {
            return Err("runtime error: integer divide by zero".into());
        }
        Ok(Value::int64(to_int64(&arg(&a, 0)).wrapping_div(d)))
    });
    m.add("mod", &[Any, Any], None, |_, a| {
        let d = to_int64(&arg(&a, 1));
        if d == 0 {
            return Err("runtime error: integer divide by zero".into());
        }
        Ok(Value::int64(to_int64(&arg(&a, 0)).wrapping_rem(d)))
    });
    m.add("mul", &[Any], Some(Any), |_, a| {
        let first = to_int64(&arg(&a, 0));
        Ok(Value::int64(a.iter().skip(1).fold(first, |acc, v| acc.wrapping_mul(to_int64(v)))))
    });
    m.add("randInt", &[Int, Int], None, |env, a| {
        let (min, max) = (arg_int(&a, 0), arg_int(&a, 1));
        let n = max.wrapping_sub(min);
        if n <= 0 {
            return Err("invalid argument to Intn".into());
        }
        Ok(Value::int((env.next_u64() % n as u64) as i64 + min))
    });
    m.add("add1f", &[Any], None, |_, a| decimal_op(&arg(&a, 0), &[Value::int(1)], Op::Add).map(Value::Float));
    m.add("addf", &[], Some(Any), |_, a| decimal_op(&Value::Float(0.0), &a, Op::Add).map(Value::Float));
    m.add("subf", &[Any], Some(Any), |_, a| {
        decimal_op(&arg(&a, 0), a.get(1..).unwrap_or(&[]), Op::Sub).map(Value::Float)
    });
    m.add("divf", &[Any], Some(Any), |_, a| {
        decimal_op(&arg(&a, 0), a.get(1..).unwrap_or(&[]), Op::Div).map(Value::Float)
    });
    m.add("mulf", &[Any], Some(Any), |_, a| {
        decimal_op(&arg(&a, 0), a.get(1..).unwrap_or(&[]), Op::Mul).map(Value::Float)
    });
    for name in ["biggest", "max"] {
        m.add(name, &[Any], Some(Any), |_, a| {
            Ok(Value::int64(a.iter().skip(1).fold(to_int64(&arg(&a, 0)), |acc, v| acc.max(to_int64(v)))))
        });
    }
    m.add("min", &[Any], Some(Any), |_, a| {
        Ok(Value::int64(a.iter().skip(1).fold(to_int64(&arg(&a, 0)), |acc, v| acc.min(to_int64(v)))))
    });
    m.add("maxf", &[Any], Some(Any), |_, a| {
        Ok(Value::Float(a.iter().skip(1).fold(to_float64(&arg(&a, 0)), |acc, v| go_max(acc, to_float64(v)))))
    });
    m.add("minf", &[Any], Some(Any), |_, a| {
        Ok(Value::Float(a.iter().skip(1).fold(to_float64(&arg(&a, 0)), |acc, v| go_min(acc, to_float64(v)))))
    });
    m.add("ceil", &[Any], None, |_, a| Ok(Value::Float(to_float64(&arg(&a, 0)).ceil())));
    m.add("floor", &[Any], None, |_, a| Ok(Value::Float(to_float64(&arg(&a, 0)).floor())));
    m.add("round", &[Any, Int], Some(Float64), |_, a| {
        let round_on = match a.get(2) {
            Some(Value::Float(f)) => *f,
            _ => 0.5,
        };
        Ok(Value::Float(round(to_float64(&arg(&a, 0)), arg_int(&a, 1), round_on)))
    });
}

/// `strconv.Atoi`, errors giving 0: Go's Atoi returns the clamped value
/// with a range error, and Sprig ignores the error; syntax errors give 0.
fn atoi(s: &str) -> i64 {
    use crate::gofmt::atoi::{atoi, clamp_range, NumErr};
    match atoi(s) {
        Ok(v) => v,
        Err(e) if e.err == NumErr::Range => clamp_range(s),
        Err(_) => 0,
    }
}

fn int_list(v: Vec<i64>) -> Result<Value, Error> {
    Ok(Value::typed_list(v.into_iter().map(Value::int).collect(), ListType::INT))
}

/// Sprig's `untilStep`.
pub fn until_step(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, Error> {
    let mut v = Vec::new();
    let too_long = || "chartroom: range too long".to_string();
    // Refused before anything is built: filling the list up to the cap
    // first held 100 MB whatever the render's memory budget (the
    // template_ast fuzz target: `until 2147483647`).
    if step != 0 && (stop < start) == (step < 0) {
        let (d, s) = ((stop as i128 - start as i128).abs(), (step as i128).abs());
        // The loops below fail once a value more than the cap would come.
        if (d + s - 1) / s > MAX_RANGE as i128 {
            return Err(Error::go(too_long()));
        }
    }
    if stop < start {
        if step >= 0 {
            return Ok(v);
        }
        let mut i = start;
        while i > stop {
            if v.len() >= MAX_RANGE {
                return Err(Error::go(too_long()));
            }
            v.push(i);
            match i.checked_add(step) {
                Some(n) => i = n,
                None => break,
            }
        }
        return Ok(v);
    }
    if step <= 0 {
        return Ok(v);
    }
    let mut i = start;
    while i < stop {
        if v.len() >= MAX_RANGE {
            return Err(Error::go(too_long()));
        }
        v.push(i);
        match i.checked_add(step) {
            Some(n) => i = n,
            None => break,
        }
    }
    Ok(v)
}

fn join_ints(v: &[i64]) -> String {
    v.iter().map(i64::to_string).collect::<Vec<_>>().join(" ")
}

/// Sprig's `seq`.
fn seq(p: &[i64]) -> Result<String, Error> {
    match p.len() {
        1 => {
            let (start, end) = (1i64, p[0]);
            let inc = if end < start { -1 } else { 1 };
            Ok(join_ints(&until_step(start, end.wrapping_add(inc), inc)?))
        }
        2 => {
            let (start, end) = (p[0], p[1]);
            let step = if end < start { -1 } else { 1 };
            Ok(join_ints(&until_step(start, end.wrapping_add(step), step)?))
        }
        3 => {
            let (start, step, end) = (p[0], p[1], p[2]);
            let mut inc = 1;
            if end < start {
                inc = -1;
                if step > 0 {
                    return Ok(String::new());
                }
            }
            Ok(join_ints(&until_step(start, end.wrapping_add(inc), step)?))
        }
        _ => Ok(String::new()),
    }
}

/// Go's `math.Max`.
fn go_max(x: f64, y: f64) -> f64 {
    if x.is_infinite() && x > 0.0 || y.is_infinite() && y > 0.0 {
        return f64::INFINITY;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 && x == y {
        return if x.is_sign_negative() { y } else { x };
    }
    if x > y {
        x
    } else {
        y
    }
}

/// Go's `math.Min`.
fn go_min(x: f64, y: f64) -> f64 {
    if x.is_infinite() && x < 0.0 || y.is_infinite() && y < 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 && x == y {
        return if x.is_sign_negative() { x } else { y };
    }
    if x < y {
        x
    } else {
        y
    }
}

/// Sprig's `round`.
fn round(val: f64, places: i64, round_on: f64) -> f64 {
    let pow = 10f64.powf(places as f64);
    let digit = pow * val;
    let div = digit - digit.trunc(); // math.Modf's fractional part
    let r = if div >= round_on { digit.ceil() } else { digit.floor() };
    r / pow
}

#[derive(Clone, Copy)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

/// Sprig's `execDecimalOp`.
fn decimal_op(a: &Value, rest: &[Value], op: Op) -> Result<f64, Error> {
    let mut acc = Decimal::from_f64(to_float64(a))?;
    for x in rest {
        let d = Decimal::from_f64(to_float64(x))?;
        acc = match op {
            Op::Add => acc.add(&d),
            Op::Sub => acc.add(&d.neg()),
            Op::Mul => acc.mul(&d),
            Op::Div => acc.div_round(&d, 16)?,
        };
    }
    Ok(acc.to_f64())
}

/// A minimal arbitrary-precision decimal: sign × digits × 10^exp, digits
/// most-significant first, no leading zeros (empty = zero).
#[derive(Clone, Debug)]
struct Decimal {
    neg: bool,
    digits: Vec<u8>,
    exp: i64,
}

impl Decimal {
    /// shopspring `NewFromFloat`: the shortest decimal that round-trips.
    fn from_f64(f: f64) -> Result<Decimal, Error> {
        if f.is_nan() || f.is_infinite() {
            return Err(go_err!("Cannot create a Decimal from {}", strconv::format_float_g(f, 64)));
        }
        if f == 0.0 {
            return Ok(Decimal { neg: false, digits: vec![], exp: 0 });
        }
        let s = format!("{:e}", f.abs());
        let (mant, e) = s.split_once('e').unwrap_or((&s, "0"));
        let e: i64 = e.parse().unwrap_or(0);
        let digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).map(|c| c - b'0').collect();
        let frac = mant.split_once('.').map(|(_, f)| f.len() as i64).unwrap_or(0);
        Ok(Decimal { neg: f < 0.0, digits, exp: e - frac }.norm())
    }

    fn norm(mut self) -> Decimal {
        while self.digits.first() == Some(&0) {
            self.digits.remove(0);
        }
        if self.digits.is_empty() {
            self.neg = false;
            self.exp = 0;
        }
        self
    }

    fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    fn neg(&self) -> Decimal {
        let mut d = self.clone();
        if !d.is_zero() {
            d.neg = !d.neg;
        }
        d
    }

    /// Digits scaled to exponent `e` (e <= self.exp).
    fn scaled(&self, e: i64) -> Vec<u8> {
        let mut v = self.digits.clone();
        v.extend(std::iter::repeat_n(0u8, (self.exp - e).max(0) as usize));
        v
    }

    fn add(&self, o: &Decimal) -> Decimal {
        if self.is_zero() {
            return o.clone();
        }
        if o.is_zero() {
            return self.clone();
        }
        let e = self.exp.min(o.exp);
        let (a, b) = (self.scaled(e), o.scaled(e));
        if self.neg == o.neg {
            return Decimal { neg: self.neg, digits: mag_add(&a, &b), exp: e }.norm();
        }
        match mag_cmp(&a, &b) {
            std::cmp::Ordering::Equal => Decimal { neg: false, digits: vec![], exp: 0 },
            std::cmp::Ordering::Greater => Decimal { neg: self.neg, digits: mag_sub(&a, &b), exp: e }.norm(),
            std::cmp::Ordering::Less => Decimal { neg: o.neg, digits: mag_sub(&b, &a), exp: e }.norm(),
        }
    }

    fn mul(&self, o: &Decimal) -> Decimal {
        Decimal { neg: self.neg != o.neg, digits: mag_mul(&self.digits, &o.digits), exp: self.exp + o.exp }.norm()
    }

    /// shopspring `DivRound(d2, precision)`: quotient truncated to
    /// `precision` places, then rounded half away from zero.
    fn div_round(&self, o: &Decimal, precision: i64) -> Result<Decimal, Error> {
        if o.is_zero() {
            return Err("decimal division by 0".into());
        }
        // q = trunc(self / o * 10^precision), r compared via 2r >= |o|.
        let k = self.exp - o.exp + precision;
        let (mut num, mut den) = (self.digits.clone(), o.digits.clone());
        if k >= 0 {
            num.extend(std::iter::repeat_n(0u8, k as usize));
        } else {
            den.extend(std::iter::repeat_n(0u8, (-k) as usize));
        }
        let (q, r) = mag_divmod(&num, &den);
        let twice_r = mag_add(&r, &r);
        let mut q = q;
        if mag_cmp(&trim(&twice_r), &trim(&den)) != std::cmp::Ordering::Less {
            q = mag_add(&q, &[1]);
        }
        Ok(Decimal { neg: self.neg != o.neg, digits: q, exp: -precision }.norm())
    }

    /// Nearest float64 (big.Rat.Float64 rounds to nearest even, like Rust's
    /// parser on the exact decimal string).
    fn to_f64(&self) -> f64 {
        if self.is_zero() {
            return 0.0;
        }
        let digits: String = self.digits.iter().map(|d| char::from(b'0' + d)).collect();
        let s = format!("{}{}e{}", if self.neg { "-" } else { "" }, digits, self.exp);
        s.parse().unwrap_or(0.0)
    }
}

fn trim(a: &[u8]) -> Vec<u8> {
    let i = a.iter().position(|&d| d != 0).unwrap_or(a.len());
    a[i..].to_vec()
}

fn mag_cmp(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let (a, b) = (trim(a), trim(b));
    a.len().cmp(&b.len()).then_with(|| a.cmp(&b))
}

fn mag_add(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(a.len().max(b.len()) + 1);
    let (mut i, mut j, mut carry) = (a.len(), b.len(), 0u8);
    while i > 0 || j > 0 || carry > 0 {
        let mut s = carry;
        if i > 0 {
            i -= 1;
            s += a[i];
        }
        if j > 0 {
            j -= 1;
            s += b[j];
        }
        out.push(s % 10);
        carry = s / 10;
    }
    out.reverse();
    trim(&out)
}

/// a - b for a >= b.
fn mag_sub(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(a.len());
    let (mut i, mut j, mut borrow) = (a.len(), b.len(), 0i8);
    while i > 0 {
        i -= 1;
        let mut s = a[i] as i8 - borrow;
        if j > 0 {
            j -= 1;
            s -= b[j] as i8;
        }
        if s < 0 {
            s += 10;
            borrow = 1;
        } else {
            borrow = 0;
        }
        out.push(s as u8);
    }
    out.reverse();
    trim(&out)
}

fn mag_mul(a: &[u8], b: &[u8]) -> Vec<u8> {
    if a.is_empty() || b.is_empty() {
        return Vec::new();
    }
    let mut acc = vec![0u32; a.len() + b.len()];
    for (i, &x) in a.iter().enumerate().rev() {
        for (j, &y) in b.iter().enumerate().rev() {
            acc[i + j + 1] += u32::from(x) * u32::from(y);
        }
    }
    for k in (1..acc.len()).rev() {
        let c = acc[k] / 10;
        acc[k] %= 10;
        acc[k - 1] += c;
    }
    trim(&acc.into_iter().map(|d| d as u8).collect::<Vec<_>>())
}

/// Schoolbook long division of magnitudes: (quotient, remainder).
fn mag_divmod(a: &[u8], b: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let b = trim(b);
    let mut q = Vec::with_capacity(a.len());
    let mut r: Vec<u8> = Vec::new();
    for &d in a {
        r.push(d);
        r = trim(&r);
        let mut n = 0u8;
        while mag_cmp(&r, &b) != std::cmp::Ordering::Less {
            r = mag_sub(&r, &b);
            n += 1;
        }
        q.push(n);
    }
    (trim(&q), r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_ops_match_shopspring() {
        let f = |a: f64, b: f64, op| decimal_op(&Value::Float(a), &[Value::Float(b)], op).unwrap();
        assert_eq!(f(0.1, 0.2, Op::Add), 0.3);
        assert_eq!(f(1.0, 3.0, Op::Div), 0.3333333333333333);
        assert_eq!(f(2.0, 3.0, Op::Div), 0.6666666666666667);
        assert_eq!(f(1.5, 2.0, Op::Mul), 3.0);
        assert_eq!(f(1.0, 3e20, Op::Div), 0.0);
        assert_eq!(f(0.3, 0.1, Op::Sub), 0.2);
    }
}
