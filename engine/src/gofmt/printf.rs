//! Go's `fmt.Sprintf`, `fmt.Sprint` and `fmt.Sprintln` over template values
//! (a port of src/fmt/print.go and src/fmt/format.go).
//!
//! Templates reach these through `printf`, `print`, `println` and every
//! function that stringifies its arguments, so the output must be Go's to
//! the byte, including the error forms (`%!d(float64=2)`, `%!(EXTRA …)`).
//!
//! How Go's reflection maps onto [`Value`]: a template argument is an
//! `interface{}` holding a concrete value (`printArg`); elements of a
//! `[]interface{}` and values of a `map[string]interface{}` are interface
//! slots (a nil slot prints `<nil>` whatever the verb), while the elements of
//! a `[]string` or `[]byte` and the keys of a map are concrete values.

use super::{ftoa, strconv};
use crate::value::{IntType, Object, Value};

const LDIGITS: &[u8; 17] = b"0123456789abcdefx";
const UDIGITS: &[u8; 17] = b"0123456789ABCDEFX";

const PERCENT_BANG: &str = "%!";
const NIL_ANGLE: &str = "<nil>";
const MISSING: &str = "(MISSING)";
const BAD_INDEX: &str = "(BADINDEX)";
const EXTRA: &str = "%!(EXTRA ";
const BAD_WIDTH: &str = "%!(BADWIDTH)";
const BAD_PREC: &str = "%!(BADPREC)";
const NO_VERB: &str = "%!(NOVERB)";

/// Nesting depth beyond which containers are not printed (see `print_value`).
const MAX_DEPTH: usize = 1000;

/// Go's `fmt.Sprintf(format, args...)`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    // Fast paths for the overwhelmingly common `%s`/`%v` of one string.
    if args.len() == 1 && (format == "%s" || format == "%v") {
        if let Value::String(s) = &args[0] {
            return s.to_string();
        }
    }
    let mut p = Printer::new(format.len() + estimate(args));
    p.do_printf(format, args);
    p.finish()
}

/// Go's `fmt.Sprint(args...)`: spaces between operands when neither is a string.
pub fn sprint(args: &[Value]) -> String {
    if let [Value::String(s)] = args {
        return s.to_string();
    }
    let mut p = Printer::new(estimate(args));
    p.do_print(args);
    p.finish()
}

/// Go's `fmt.Sprintln(args...)`: spaces always, newline at the end.
pub fn sprintln(args: &[Value]) -> String {
    let mut p = Printer::new(estimate(args) + 1);
    p.do_println(args);
    p.finish()
}

/// Output size guess, so that the common `printf "%s-%s"` allocates once.
fn estimate(args: &[Value]) -> usize {
    args.iter()
        .map(|a| match a {
            Value::String(s) => s.len(),
            _ => 16,
        })
        .sum()
}

/// Flags of one verb (Go's `fmtFlags`).
#[derive(Clone, Copy, Default)]
struct Flags {
    wid_present: bool,
    prec_present: bool,
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    // %+v and %#v are different, flagless formats set at the top level.
    plus_v: bool,
    sharp_v: bool,
}

/// What `badVerb` prints after `%!v(`: Go's `p.arg` / `p.value`.
#[derive(Clone, Copy)]
enum Cur<'v> {
    /// No value: `<nil>`.
    Nil,
    /// A top-level operand (`p.arg`).
    Arg(&'v Value),
    /// A value reached by reflection (`p.value`).
    Val(&'v Value),
    /// A map key (a concrete string).
    Str(&'v str),
    /// An element of a `[]byte`.
    U8(u8),
}

struct Printer {
    buf: Vec<u8>,
    f: Flags,
    wid: i64,
    prec: i64,
    reordered: bool,
    good_arg_num: bool,
    erroring: bool,
}

impl Printer {
    fn new(cap: usize) -> Printer {
        Printer {
            buf: Vec::with_capacity(cap),
            f: Flags::default(),
            wid: 0,
            prec: 0,
            reordered: false,
            good_arg_num: true,
            erroring: false,
        }
    }

    fn finish(self) -> String {
        // Only `%s` of a []byte can emit invalid UTF-8.
        match String::from_utf8(self.buf) {
            Ok(s) => s,
            // Bytes that are not UTF-8 (`%s` of broken text, `%c` of a
            // surrogate…) travel on as raw bytes.
            Err(e) => crate::gostring::from_bytes(e.as_bytes()),
        }
    }

    fn clear_flags(&mut self) {
        self.f = Flags::default();
        self.wid = 0;
        self.prec = 0;
    }

    fn write_str(&mut self, s: &str) {
        self.buf.extend_from_slice(s.as_bytes());
    }

    fn write_char(&mut self, c: char) {
        let mut tmp = [0u8; 4];
        self.buf.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
    }

    // ---- format.go: padding ----

    fn write_padding(&mut self, n: i64) {
        if n <= 0 {
            return;
        }
        // Zero padding is allowed only to the left.
        let pad = if self.f.zero && !self.f.minus { b'0' } else { b' ' };
        let new_len = self.buf.len() + n as usize;
        self.buf.resize(new_len, pad);
    }

    fn pad(&mut self, b: &[u8]) {
        if !self.f.wid_present || self.wid == 0 {
            self.buf.extend_from_slice(b);
            return;
        }
        let width = self.wid - rune_count(b) as i64;
        if !self.f.minus {
            self.write_padding(width);
            self.buf.extend_from_slice(b);
        } else {
            self.buf.extend_from_slice(b);
            self.write_padding(width);
        }
    }

    fn pad_string(&mut self, s: &str) {
        if !self.f.wid_present || self.wid == 0 {
            self.buf.extend_from_slice(s.as_bytes());
            return;
        }
        let width = self.wid - s.chars().count() as i64;
        if !self.f.minus {
            self.write_padding(width);
            self.buf.extend_from_slice(s.as_bytes());
        } else {
            self.buf.extend_from_slice(s.as_bytes());
            self.write_padding(width);
        }
    }

    // ---- format.go: basic formatters ----

    fn fmt_boolean(&mut self, v: bool) {
        self.pad_string(if v { "true" } else { "false" });
    }

    /// `U+0078`, or with `#` `U+0078 'x'`.
    fn fmt_unicode(&mut self, u: u64) {
        let mut prec: i64 = 4;
        if self.f.prec_present && self.prec > 4 {
            prec = self.prec;
        }
        let mut hex = Vec::with_capacity(20);
        let mut x = u;
        loop {
            hex.push(UDIGITS[(x & 0xF) as usize]);
            prec -= 1;
            x >>= 4;
            if x == 0 {
                break;
            }
        }
        while prec > 0 {
            hex.push(b'0');
            prec -= 1;
        }
        hex.extend_from_slice(b"+U");
        hex.reverse();
        if self.f.sharp && u <= 0x10FFFF {
            if let Some(c) = char::from_u32(u as u32) {
                if strconv::is_go_printable(c) {
                    hex.extend_from_slice(b" '");
                    let mut tmp = [0u8; 4];
                    hex.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
                    hex.push(b'\'');
                }
            }
        }
        let old_zero = self.f.zero;
        self.f.zero = false;
        self.pad(&hex);
        self.f.zero = old_zero;
    }

    /// Go's `fmt.fmtInteger`: signed and unsigned integers in any base.
    fn fmt_integer(&mut self, mut u: u64, base: u64, is_signed: bool, verb: char, digits: &[u8; 17]) {
        let negative = is_signed && (u as i64) < 0;
        if negative {
            u = u.wrapping_neg();
        }
        let mut size = 68usize;
        if self.f.wid_present || self.f.prec_present {
            // Room for a sign, "0x"/"0o" and the requested digits.
            size = size.max(8 + self.wid.max(0) as usize + self.prec.max(0) as usize);
        }
        let mut buf = vec![0u8; size];
        // Two ways to ask for extra leading zero digits: %.3d or %03d.
        // If both are specified the zero flag is ignored and padding with
        // spaces is used instead.
        let mut prec: i64 = 0;
        if self.f.prec_present {
            prec = self.prec;
            // Precision of 0 and value of 0 means "print nothing" but padding.
            if prec == 0 && u == 0 {
                let old_zero = self.f.zero;
                self.f.zero = false;
                self.write_padding(self.wid);
                self.f.zero = old_zero;
                return;
            }
        } else if self.f.zero && !self.f.minus && self.f.wid_present {
            prec = self.wid;
            if negative || self.f.plus || self.f.space {
                prec -= 1; // leave room for sign
            }
        }
        let mut i = buf.len();
        while u >= base {
            i -= 1;
            buf[i] = digits[(u % base) as usize];
            u /= base;
        }
        i -= 1;
        buf[i] = digits[u as usize];
        while i > 8 && prec > (buf.len() - i) as i64 {
            i -= 1;
            buf[i] = b'0';
        }
        if self.f.sharp {
            match base {
                2 => {
                    i -= 2;
                    buf[i] = b'0';
                    buf[i + 1] = b'b';
                }
                8 if buf[i] != b'0' => {
                    i -= 1;
                    buf[i] = b'0';
                }
                16 => {
                    i -= 2;
                    buf[i] = b'0';
                    buf[i + 1] = digits[16];
                }
                _ => {}
            }
        }
        if verb == 'O' {
            i -= 2;
            buf[i] = b'0';
            buf[i + 1] = b'o';
        }
        if negative {
            i -= 1;
            buf[i] = b'-';
        } else if self.f.plus {
            i -= 1;
            buf[i] = b'+';
        } else if self.f.space {
            i -= 1;
            buf[i] = b' ';
        }
        // Left padding with zeros has already been handled like precision
        // earlier, or the zero flag is ignored due to an explicit precision.
        let old_zero = self.f.zero;
        self.f.zero = false;
        self.pad(&buf[i..]);
        self.f.zero = old_zero;
    }

    fn truncate_string<'s>(&self, s: &'s str) -> &'s str {
        if self.f.prec_present {
            let mut n = self.prec;
            for (i, _) in s.char_indices() {
                n -= 1;
                if n < 0 {
                    return &s[..i];
                }
            }
        }
        s
    }

    fn truncate_bytes<'b>(&self, b: &'b [u8]) -> &'b [u8] {
        if self.f.prec_present {
            let mut n = self.prec;
            let mut i = 0;
            while i < b.len() {
                n -= 1;
                if n < 0 {
                    return &b[..i];
                }
                i += rune_len(&b[i..]);
            }
        }
        b
    }

    fn fmt_s(&mut self, s: &str) {
        let s = self.truncate_string(s);
        self.pad_string(s);
    }

    fn fmt_bs(&mut self, b: &[u8]) {
        let b = self.truncate_bytes(b);
        self.pad(b);
    }

    /// Hexadecimal encoding of the bytes of a string or byte slice.
    fn fmt_sbx(&mut self, b: &[u8], digits: &[u8; 17]) {
        let mut length = b.len() as i64;
        if self.f.prec_present && self.prec < length {
            length = self.prec;
        }
        let mut width = 2 * length;
        if width > 0 {
            if self.f.space {
                if self.f.sharp {
                    width *= 2;
                }
                width += length - 1;
            } else if self.f.sharp {
                width += 2;
            }
        } else {
            if self.f.wid_present {
                self.write_padding(self.wid);
            }
            return;
        }
        if self.f.wid_present && self.wid > width && !self.f.minus {
            self.write_padding(self.wid - width);
        }
        if self.f.sharp {
            self.buf.push(b'0');
            self.buf.push(digits[16]);
        }
        for (i, c) in b.iter().take(length as usize).enumerate() {
            if self.f.space && i > 0 {
                self.buf.push(b' ');
                if self.f.sharp {
                    self.buf.push(b'0');
                    self.buf.push(digits[16]);
                }
            }
            self.buf.push(digits[(c >> 4) as usize]);
            self.buf.push(digits[(c & 0xF) as usize]);
        }
        if self.f.wid_present && self.wid > width && self.f.minus {
            self.write_padding(self.wid - width);
        }
    }

    /// `%q` of a string: a double-quoted Go string, or with `#` a raw one
    /// when possible.
    fn fmt_q(&mut self, s: &[u8]) {
        let s = self.truncate_bytes(s);
        if self.f.sharp && can_backquote(s) {
            let mut q = Vec::with_capacity(s.len() + 2);
            q.push(b'`');
            q.extend_from_slice(s);
            q.push(b'`');
            self.pad(&q);
            return;
        }
        let q = strconv::quote_bytes(s, self.f.plus);
        self.pad(q.as_bytes());
    }

    fn fmt_c(&mut self, c: u64) {
        let r = rune_or_error(c);
        let mut tmp = [0u8; 4];
        let s = r.encode_utf8(&mut tmp);
        self.pad(s.as_bytes());
    }

    fn fmt_qc(&mut self, c: u64) {
        let r = rune_or_error(c);
        let mut q = String::with_capacity(8);
        q.push('\'');
        strconv::append_escaped_rune(&mut q, r, '\'', self.f.plus);
        q.push('\'');
        self.pad(q.as_bytes());
    }

    /// Go's `fmt.fmtFloat`.
    fn fmt_float_raw(&mut self, v: f64, verb: u8, mut prec: i32) {
        if self.f.prec_present {
            prec = self.prec.clamp(i32::MIN as i64, i32::MAX as i64) as i32;
        }
        // Format number, reserving space for a leading + sign if needed.
        let mut num: Vec<u8> = Vec::with_capacity(32);
        num.push(b'+');
        ftoa::append_float(&mut num, v, verb, prec);
        if num[1] == b'-' || num[1] == b'+' {
            num.remove(0);
        }
        // `space` means a leading space instead of "+" unless `plus` is set.
        if self.f.space && num[0] == b'+' && !self.f.plus {
            num[0] = b' ';
        }
        // Infinities and NaN don't look like a number: no zero padding.
        if num.get(1) == Some(&b'I') || num.get(1) == Some(&b'N') {
            let old_zero = self.f.zero;
            self.f.zero = false;
            let mut s: &[u8] = &num;
            if num[1] == b'N' && !self.f.space && !self.f.plus {
                s = &num[1..];
            }
            self.pad(s);
            self.f.zero = old_zero;
            return;
        }
        // The sharp flag forces printing a decimal point for non-binary
        // formats and retains trailing zeros, which we may need to restore.
        if self.f.sharp && verb != b'b' {
            let mut digits: i32 = 0;
            if matches!(verb, b'v' | b'g' | b'G' | b'x') {
                digits = prec;
                // If no precision is set explicitly use a precision of 6.
                if digits == -1 {
                    digits = 6;
                }
            }
            let mut tail: Vec<u8> = Vec::new();
            let mut has_decimal_point = false;
            let mut saw_nonzero_digit = false;
            let mut i = 1;
            while i < num.len() {
                match num[i] {
                    b'.' => has_decimal_point = true,
                    b'p' | b'P' => {
                        tail.extend_from_slice(&num[i..]);
                        num.truncate(i);
                        break;
                    }
                    b'e' | b'E' if verb != b'x' && verb != b'X' => {
                        tail.extend_from_slice(&num[i..]);
                        num.truncate(i);
                        break;
                    }
                    c => {
                        if c != b'0' {
                            saw_nonzero_digit = true;
                        }
                        // Count significant digits after the first non-zero digit.
                        if saw_nonzero_digit {
                            digits -= 1;
                        }
                    }
                }
                i += 1;
            }
            if !has_decimal_point {
                // Leading digit 0 should contribute once to digits.
                if num.len() == 2 && num[1] == b'0' {
                    digits -= 1;
                }
                num.push(b'.');
            }
            while digits > 0 {
                num.push(b'0');
                digits -= 1;
            }
            num.extend_from_slice(&tail);
        }
        // We want a sign if asked for and if the sign is not positive.
        if self.f.plus || num[0] != b'+' {
            // If we're zero padding to the left we want the sign before the
            // leading zeros.
            if self.f.zero && !self.f.minus && self.f.wid_present && self.wid > num.len() as i64 {
                self.buf.push(num[0]);
                self.write_padding(self.wid - num.len() as i64);
                self.buf.extend_from_slice(&num[1..]);
                return;
            }
            self.pad(&num);
            return;
        }
        // No sign to show and the number is positive.
        self.pad(&num[1..]);
    }

    // ---- print.go ----

    fn bad_verb(&mut self, verb: char, cur: Cur<'_>) {
        self.erroring = true;
        self.write_str(PERCENT_BANG);
        self.write_char(verb);
        self.buf.push(b'(');
        match cur {
            Cur::Arg(v) => {
                self.write_str(&v.type_name());
                self.buf.push(b'=');
                self.print_arg(v, 'v');
            }
            Cur::Val(v) => {
                self.write_str(&v.type_name());
                self.buf.push(b'=');
                self.print_value(v, 'v', 0);
            }
            Cur::Str(s) => {
                self.write_str("string=");
                self.fmt_string(s.as_bytes(), 'v');
            }
            Cur::U8(b) => {
                self.write_str("uint8=");
                self.fmt_int(b as u64, false, 'v');
            }
            Cur::Nil => self.write_str(NIL_ANGLE),
        }
        self.buf.push(b')');
        self.erroring = false;
    }

    fn fmt_bool(&mut self, v: bool, verb: char) -> bool {
        match verb {
            't' | 'v' => self.fmt_boolean(v),
            _ => return false,
        }
        true
    }

    /// Hexadecimal with or without a leading 0x, temporarily setting `sharp`.
    fn fmt_0x64(&mut self, v: u64, leading_0x: bool) {
        let sharp = self.f.sharp;
        self.f.sharp = leading_0x;
        self.fmt_integer(v, 16, false, 'v', LDIGITS);
        self.f.sharp = sharp;
    }

    /// Go's `pp.fmtInteger`; false means a bad verb.
    fn fmt_int(&mut self, v: u64, is_signed: bool, verb: char) -> bool {
        match verb {
            'v' => {
                if self.f.sharp_v && !is_signed {
                    self.fmt_0x64(v, true);
                } else {
                    self.fmt_integer(v, 10, is_signed, verb, LDIGITS);
                }
            }
            'd' => self.fmt_integer(v, 10, is_signed, verb, LDIGITS),
            'b' => self.fmt_integer(v, 2, is_signed, verb, LDIGITS),
            'o' | 'O' => self.fmt_integer(v, 8, is_signed, verb, LDIGITS),
            'x' => self.fmt_integer(v, 16, is_signed, verb, LDIGITS),
            'X' => self.fmt_integer(v, 16, is_signed, verb, UDIGITS),
            'c' => self.fmt_c(v),
            'q' => self.fmt_qc(v),
            'U' => self.fmt_unicode(v),
            _ => return false,
        }
        true
    }

    /// Go's `pp.fmtFloat` with the default precision of each verb.
    fn fmt_float(&mut self, v: f64, verb: char) -> bool {
        match verb {
            'v' => self.fmt_float_raw(v, b'g', -1),
            'b' | 'g' | 'G' | 'x' | 'X' => self.fmt_float_raw(v, verb as u8, -1),
            'f' | 'e' | 'E' => self.fmt_float_raw(v, verb as u8, 6),
            'F' => self.fmt_float_raw(v, b'f', 6),
            _ => return false,
        }
        true
    }

    fn fmt_string(&mut self, v: &[u8], verb: char) -> bool {
        match verb {
            'v' => {
                if self.f.sharp_v {
                    self.fmt_q(v);
                } else {
                    self.fmt_bs(v);
                }
            }
            's' => self.fmt_bs(v),
            'x' => self.fmt_sbx(v, LDIGITS),
            'X' => self.fmt_sbx(v, UDIGITS),
            'q' => self.fmt_q(v),
            _ => return false,
        }
        true
    }

    fn fmt_bytes(&mut self, v: &[u8], verb: char, type_string: &str) {
        match verb {
            'v' | 'd' => {
                if self.f.sharp_v {
                    self.write_str(type_string);
                    self.buf.push(b'{');
                    for (i, c) in v.iter().enumerate() {
                        if i > 0 {
                            self.write_str(", ");
                        }
                        self.fmt_0x64(*c as u64, true);
                    }
                    self.buf.push(b'}');
                } else {
                    self.buf.push(b'[');
                    for (i, c) in v.iter().enumerate() {
                        if i > 0 {
                            self.buf.push(b' ');
                        }
                        self.fmt_integer(*c as u64, 10, false, verb, LDIGITS);
                    }
                    self.buf.push(b']');
                }
            }
            's' => self.fmt_bs(v),
            'x' => self.fmt_sbx(v, LDIGITS),
            'X' => self.fmt_sbx(v, UDIGITS),
            'q' => self.fmt_q(v),
            _ => self.print_byte_slice(v, verb, 0),
        }
    }

    /// `%p`: maps, slices and pointers print their address; anything else
    /// is a bad verb. Addresses are not reproducible in Go either.
    fn fmt_pointer(&mut self, v: &Value, verb: char) {
        let u = match v {
            Value::List(l, _) => std::rc::Rc::as_ptr(l) as *const u8 as usize as u64,
            Value::Map(m, _) => std::rc::Rc::as_ptr(m) as *const u8 as usize as u64,
            Value::Bytes(b) => b.as_ptr() as usize as u64,
            Value::Object(o) => std::rc::Rc::as_ptr(o) as *const u8 as usize as u64,
            _ => {
                self.bad_verb(verb, Cur::Arg(v));
                return;
            }
        };
        self.fmt_0x64(u, !self.f.sharp);
    }

    /// A named integer type's `String()` (time.Month…), which Go's
    /// handleMethods uses for the string verbs.
    fn int_stringer(&self, i: i64, t: IntType, verb: char) -> Option<String> {
        if self.erroring || self.f.sharp_v || !matches!(verb, 'v' | 's' | 'x' | 'X' | 'q') {
            return None;
        }
        t.stringer(i)
    }

    /// Objects are Go pointer types whose `String()` (or `%v` rendering)
    /// is `format_v`.
    fn handle_methods(&mut self, o: &dyn Object, verb: char) -> bool {
        if self.erroring {
            return false;
        }
        if self.f.sharp_v {
            if let Some(g) = o.go_string() {
                self.fmt_s(&g);
                return true;
            }
            if o.fmt_fields().is_some() {
                return false;
            }
            self.fmt_s(&o.format_v());
            return true;
        }
        if !o.fmt_stringer() {
            return false;
        }
        match verb {
            'v' | 's' | 'x' | 'X' | 'q' => {
                let s = o.format_v();
                self.fmt_string(s.as_bytes(), verb);
                true
            }
            _ => false,
        }
    }

    /// Go's `printArg`: one top-level operand.
    fn print_arg(&mut self, arg: &Value, verb: char) {
        if let Value::Nil = arg {
            match verb {
                'T' | 'v' => self.pad_string(NIL_ANGLE),
                _ => self.bad_verb(verb, Cur::Nil),
            }
            return;
        }
        // %T (the value's type) and %p (its address) are special.
        match verb {
            'T' => {
                self.fmt_s(&arg.type_name());
                return;
            }
            'p' => {
                self.fmt_pointer(arg, 'p');
                return;
            }
            _ => {}
        }
        let ok = match arg {
            Value::Bool(b) => self.fmt_bool(*b, verb),
            Value::Float(f) => self.fmt_float(*f, verb),
            Value::Int(i, t) => match self.int_stringer(*i, *t, verb) {
                Some(text) => self.fmt_string(text.as_bytes(), verb),
                None => self.fmt_int(*i as u64, true, verb),
            },
            Value::Uint(u) => self.fmt_int(*u, false, verb),
            Value::String(s) => self.fmt_string(&crate::gostring::to_bytes(s), verb),
            Value::Bytes(b) => {
                self.fmt_bytes(b, verb, "[]byte");
                true
            }
            Value::Object(o) => {
                if !self.handle_methods(o.as_ref(), verb) {
                    self.print_value(arg, verb, 0);
                }
                true
            }
            Value::List(..) | Value::Map(..) | Value::Nil => {
                self.print_value(arg, verb, 0);
                true
            }
        };
        if !ok {
            self.bad_verb(verb, Cur::Arg(arg));
        }
    }

    /// An `interface{}` slot inside a container: nil prints `<nil>` (or
    /// `interface {}(nil)` for `%#v`) whatever the verb.
    fn print_slot(&mut self, v: &Value, verb: char, depth: usize) {
        if let Value::Nil = v {
            if self.f.sharp_v {
                self.write_str("interface {}(nil)");
            } else {
                self.write_str(NIL_ANGLE);
            }
            return;
        }
        self.print_value(v, verb, depth + 1);
    }

    /// Go's `printValue`: a value reached by reflection.
    fn print_value(&mut self, v: &Value, verb: char, depth: usize) {
        // A map that contains itself (`set $d "self" $d`) recurses forever;
        // Go dies of stack overflow there. Stop well before our stack does.
        if depth > MAX_DEPTH {
            self.write_str("...");
            return;
        }
        let ok = match v {
            Value::Nil => {
                if depth == 0 {
                    self.write_str("<invalid reflect.Value>");
                } else if verb == 'v' {
                    self.write_str(NIL_ANGLE);
                } else {
                    self.bad_verb(verb, Cur::Nil);
                }
                true
            }
            Value::Bool(b) => self.fmt_bool(*b, verb),
            Value::Int(i, t) => match self.int_stringer(*i, *t, verb) {
                Some(text) => self.fmt_string(text.as_bytes(), verb),
                None => self.fmt_int(*i as u64, true, verb),
            },
            Value::Uint(u) => self.fmt_int(*u, false, verb),
            Value::Float(f) => self.fmt_float(*f, verb),
            Value::String(s) => self.fmt_string(&crate::gostring::to_bytes(s), verb),
            Value::Bytes(b) => {
                match verb {
                    's' | 'q' | 'x' | 'X' => self.fmt_bytes(b, verb, "[]uint8"),
                    _ => self.print_byte_slice(b, verb, depth),
                }
                true
            }
            Value::Map(m, ty) => {
                let m = m.borrow();
                if self.f.sharp_v {
                    self.write_str(ty.go_name());
                    if ty.nil {
                        self.write_str("(nil)");
                        return;
                    }
                    self.buf.push(b'{');
                } else {
                    self.write_str("map[");
                }
                for (i, (k, val)) in crate::value::go_sorted(&m).into_iter().enumerate() {
                    if i > 0 {
                        if self.f.sharp_v {
                            self.write_str(", ");
                        } else {
                            self.buf.push(b' ');
                        }
                    }
                    if !self.fmt_string(k.as_bytes(), verb) {
                        self.bad_verb(verb, Cur::Str(k));
                    }
                    self.buf.push(b':');
                    if ty.elem_is_interface() {
                        self.print_slot(val, verb, depth + 1);
                    } else {
                        self.print_value(val, verb, depth + 1);
                    }
                }
                self.buf.push(if self.f.sharp_v { b'}' } else { b']' });
                true
            }
            Value::List(l, ty) => {
                let l = l.borrow();
                if self.f.sharp_v {
                    self.write_str(ty.go_name());
                    if ty.nil {
                        self.write_str("(nil)");
                        return;
                    }
                    self.buf.push(b'{');
                } else {
                    self.buf.push(b'[');
                }
                for (i, e) in l.iter().enumerate() {
                    if i > 0 {
                        if self.f.sharp_v {
                            self.write_str(", ");
                        } else {
                            self.buf.push(b' ');
                        }
                    }
                    if ty.elem_is_interface() {
                        self.print_slot(e, verb, depth + 1);
                    } else {
                        self.print_value(e, verb, depth + 1);
                    }
                }
                self.buf.push(if self.f.sharp_v { b'}' } else { b']' });
                true
            }
            Value::Object(o) => {
                if depth > 0 && self.handle_methods(o.as_ref(), verb) {
                    return;
                }
                if let Some(fields) = o.fmt_fields() {
                    // Go's printValue for a struct (behind a pointer: `&` at
                    // the top level).
                    if o.fmt_pointer() {
                        if depth > 0 {
                            self.fmt_pointer(v, 'v');
                            return;
                        }
                        if self.f.sharp_v {
                            self.buf.push(b'&');
                            self.write_str(o.type_name().trim_start_matches('*'));
                        } else {
                            self.buf.push(b'&');
                        }
                    } else if self.f.sharp_v {
                        self.write_str(&o.type_name());
                    }
                    self.buf.push(b'{');
                    for (i, (name, val)) in fields.iter().enumerate() {
                        if i > 0 {
                            if self.f.sharp_v {
                                self.write_str(", ");
                            } else {
                                self.buf.push(b' ');
                            }
                        }
                        if self.f.plus_v || self.f.sharp_v {
                            self.write_str(name);
                            self.buf.push(b':');
                        }
                        self.print_value(val, verb, depth + 1);
                    }
                    self.buf.push(b'}');
                    return;
                }
                match verb {
                    'v' | 's' => {
                        let s = o.format_v();
                        self.fmt_s(&s);
                        true
                    }
                    _ => false,
                }
            }
        };
        if !ok {
            self.bad_verb(verb, Cur::Val(v));
        }
    }

    /// A `[]uint8` printed element by element (`%v`, `%d`, `%c`, `%o`…).
    fn print_byte_slice(&mut self, b: &[u8], verb: char, _depth: usize) {
        if self.f.sharp_v {
            self.write_str("[]uint8{");
        } else {
            self.buf.push(b'[');
        }
        for (i, c) in b.iter().enumerate() {
            if i > 0 {
                if self.f.sharp_v {
                    self.write_str(", ");
                } else {
                    self.buf.push(b' ');
                }
            }
            if !self.fmt_int(*c as u64, false, verb) {
                self.bad_verb(verb, Cur::U8(*c));
            }
        }
        self.buf.push(if self.f.sharp_v { b'}' } else { b']' });
    }

    /// Go's `argNumber`: an explicit `[n]` index at `format[i..]`.
    fn arg_number(&mut self, arg_num: usize, format: &[u8], i: usize, num_args: usize) -> (usize, usize, bool) {
        if format.len() <= i || format[i] != b'[' {
            return (arg_num, i, false);
        }
        self.reordered = true;
        let (index, wid, ok) = parse_arg_number(&format[i..]);
        if ok && 0 <= index && (index as usize) < num_args {
            return (index as usize, i + wid, true);
        }
        self.good_arg_num = false;
        (arg_num, i + wid, ok)
    }

    fn do_printf(&mut self, format: &str, a: &[Value]) {
        let fb = format.as_bytes();
        let end = fb.len();
        let mut arg_num: usize = 0;
        let mut after_index: bool;
        self.reordered = false;
        let mut i = 0usize;
        'format_loop: while i < end {
            self.good_arg_num = true;
            let lasti = i;
            while i < end && fb[i] != b'%' {
                i += 1;
            }
            if i > lasti {
                self.buf.extend_from_slice(&fb[lasti..i]);
            }
            if i >= end {
                break;
            }
            // Process one verb.
            i += 1;
            self.clear_flags();
            while i < end {
                let c = fb[i];
                match c {
                    b'#' => self.f.sharp = true,
                    b'0' => self.f.zero = true,
                    b'+' => self.f.plus = true,
                    b'-' => self.f.minus = true,
                    b' ' => self.f.space = true,
                    _ => {
                        // Fast path for simple lower-case verbs without
                        // precision, width or argument indices.
                        if c.is_ascii_lowercase() && arg_num < a.len() {
                            if c == b'v' {
                                self.f.sharp_v = self.f.sharp;
                                self.f.sharp = false;
                                self.f.plus_v = self.f.plus;
                                self.f.plus = false;
                            }
                            self.print_arg(&a[arg_num], c as char);
                            arg_num += 1;
                            i += 1;
                            continue 'format_loop;
                        }
                        break;
                    }
                }
                i += 1;
            }

            // Do we have an explicit argument index?
            (arg_num, i, after_index) = self.arg_number(arg_num, fb, i, a.len());

            // Do we have width?
            if i < end && fb[i] == b'*' {
                i += 1;
                let (w, ok, n) = int_from_arg(a, arg_num);
                self.wid = w;
                self.f.wid_present = ok;
                arg_num = n;
                if !self.f.wid_present {
                    self.write_str(BAD_WIDTH);
                }
                // A negative width means left alignment.
                if self.wid < 0 {
                    self.wid = -self.wid;
                    self.f.minus = true;
                    self.f.zero = false;
                }
                after_index = false;
            } else {
                let (w, ok, ni) = parse_num(fb, i, end);
                self.wid = w;
                self.f.wid_present = ok;
                i = ni;
                if after_index && self.f.wid_present {
                    // "%[3]2d"
                    self.good_arg_num = false;
                }
            }

            // Do we have precision?
            if i + 1 < end && fb[i] == b'.' {
                i += 1;
                if after_index {
                    // "%[3].2d"
                    self.good_arg_num = false;
                }
                (arg_num, i, after_index) = self.arg_number(arg_num, fb, i, a.len());
                if i < end && fb[i] == b'*' {
                    i += 1;
                    let (p, ok, n) = int_from_arg(a, arg_num);
                    self.prec = p;
                    self.f.prec_present = ok;
                    arg_num = n;
                    // Negative precision arguments don't make sense.
                    if self.prec < 0 {
                        self.prec = 0;
                        self.f.prec_present = false;
                    }
                    if !self.f.prec_present {
                        self.write_str(BAD_PREC);
                    }
                    after_index = false;
                } else {
                    let (p, ok, ni) = parse_num(fb, i, end);
                    self.prec = p;
                    self.f.prec_present = ok;
                    i = ni;
                    if !self.f.prec_present {
                        self.prec = 0;
                        self.f.prec_present = true;
                    }
                }
            }

            if !after_index {
                (arg_num, i, after_index) = self.arg_number(arg_num, fb, i, a.len());
            }
            let _ = after_index;

            if i >= end {
                self.write_str(NO_VERB);
                break;
            }

            let verb = format[i..].chars().next().unwrap_or('%');
            i += verb.len_utf8();

            if verb == '%' {
                // Percent does not absorb operands and ignores width and precision.
                self.buf.push(b'%');
            } else if !self.good_arg_num {
                self.write_str(PERCENT_BANG);
                self.write_char(verb);
                self.write_str(BAD_INDEX);
            } else if arg_num >= a.len() {
                self.write_str(PERCENT_BANG);
                self.write_char(verb);
                self.write_str(MISSING);
            } else {
                if verb == 'v' {
                    self.f.sharp_v = self.f.sharp;
                    self.f.sharp = false;
                    self.f.plus_v = self.f.plus;
                    self.f.plus = false;
                }
                self.print_arg(&a[arg_num], verb);
                arg_num += 1;
            }
        }

        // Check for extra arguments unless the call accessed the arguments
        // out of order.
        if !self.reordered && arg_num < a.len() {
            self.clear_flags();
            self.write_str(EXTRA);
            for (i, arg) in a[arg_num..].iter().enumerate() {
                if i > 0 {
                    self.write_str(", ");
                }
                if let Value::Nil = arg {
                    self.write_str(NIL_ANGLE);
                } else {
                    self.write_str(&arg.type_name());
                    self.buf.push(b'=');
                    self.print_arg(arg, 'v');
                }
            }
            self.buf.push(b')');
        }
    }

    fn do_print(&mut self, a: &[Value]) {
        let mut prev_string = false;
        for (n, arg) in a.iter().enumerate() {
            // Go: the operand's reflect.Kind is String.
            let is_string = match arg {
                Value::String(_) => true,
                Value::Object(o) => o.kind() == "string",
                _ => false,
            };
            // Add a space between two non-string arguments.
            if n > 0 && !is_string && !prev_string {
                self.buf.push(b' ');
            }
            self.clear_flags();
            self.print_arg(arg, 'v');
            prev_string = is_string;
        }
    }

    fn do_println(&mut self, a: &[Value]) {
        for (n, arg) in a.iter().enumerate() {
            if n > 0 {
                self.buf.push(b' ');
            }
            self.clear_flags();
            self.print_arg(arg, 'v');
        }
        self.buf.push(b'\n');
    }
}

/// Reports whether the magnitude of `x` is too large for a width or precision.
fn too_large(x: i64) -> bool {
    const MAX: i64 = 1_000_000;
    !(-MAX..=MAX).contains(&x)
}

/// Go's `parsenum`: (number, found, new index).
fn parse_num(s: &[u8], start: usize, end: usize) -> (i64, bool, usize) {
    if start >= end {
        return (0, false, end);
    }
    let mut num: i64 = 0;
    let mut isnum = false;
    let mut newi = start;
    while newi < end && s[newi].is_ascii_digit() {
        if too_large(num) {
            return (0, false, end); // Overflow; crazy long number most likely.
        }
        num = num * 10 + (s[newi] - b'0') as i64;
        isnum = true;
        newi += 1;
    }
    (num, isnum, newi)
}

/// Go's `parseArgNumber`: the bracketed number minus one, bytes consumed, ok.
fn parse_arg_number(format: &[u8]) -> (i64, usize, bool) {
    // There must be at least 3 bytes: [n].
    if format.len() < 3 {
        return (0, 1, false);
    }
    for i in 1..format.len() {
        if format[i] == b']' {
            let (width, ok, newi) = parse_num(format, 1, i);
            if !ok || newi != i {
                return (0, i + 1, false);
            }
            return (width - 1, i + 1, true);
        }
    }
    (0, 1, false)
}

/// Go's `intFromArg`: a `*` width or precision operand.
fn int_from_arg(a: &[Value], arg_num: usize) -> (i64, bool, usize) {
    let mut new_arg_num = arg_num;
    let (mut num, mut is_int) = (0i64, false);
    if let Some(v) = a.get(arg_num) {
        match v {
            Value::Int(n, _) => {
                num = *n;
                is_int = true;
            }
            Value::Uint(u) if *u <= i64::MAX as u64 => {
                num = *u as i64;
                is_int = true;
            }
            _ => {}
        }
        new_arg_num = arg_num + 1;
        if too_large(num) {
            num = 0;
            is_int = false;
        }
    }
    (num, is_int, new_arg_num)
}

/// Length of the UTF-8 sequence at the start of `b` as Go's
/// `utf8.DecodeRune` sees it (1 for an invalid byte).
fn rune_len(b: &[u8]) -> usize {
    let n = b.len().min(4);
    match std::str::from_utf8(&b[..n]) {
        Ok(s) => s.chars().next().map_or(1, char::len_utf8),
        Err(e) => {
            let valid = e.valid_up_to();
            if valid > 0 {
                std::str::from_utf8(&b[..valid]).ok().and_then(|s| s.chars().next()).map_or(1, char::len_utf8)
            } else {
                1
            }
        }
    }
}

/// Go's `utf8.RuneCount`.
fn rune_count(b: &[u8]) -> usize {
    if let Ok(s) = std::str::from_utf8(b) {
        return s.chars().count();
    }
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        i += rune_len(&b[i..]);
        n += 1;
    }
    n
}

/// A code point for `%c`/`%q`: invalid ones become U+FFFD.
fn rune_or_error(c: u64) -> char {
    if c > 0x10FFFF {
        return '\u{FFFD}';
    }
    char::from_u32(c as u32).unwrap_or('\u{FFFD}')
}

/// Go's `strconv.CanBackquote`.
fn can_backquote(s: &[u8]) -> bool {
    for chunk in s.utf8_chunks() {
        if !chunk.invalid().is_empty() {
            return false;
        }
        for c in chunk.valid().chars() {
            if c.len_utf8() > 1 {
                if c == '\u{FEFF}' {
                    return false;
                }
                continue;
            }
            if (c < ' ' && c != '\t') || c == '`' || c == '\u{7F}' {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
#[allow(clippy::approx_constant)] // 3.14159 is an oracle case value, not π
mod tests {
    use super::*;

    #[test]
    fn basic_verbs() {
        // Expected values are Go's fmt.Sprintf output.
        assert_eq!(sprintf("%d|%5.2f|%s", &[Value::int(2), Value::Float(3.14159), Value::str("x")]), "2| 3.14|x");
        assert_eq!(sprintf("%d", &[Value::Float(2.0)]), "%!d(float64=2)");
        assert_eq!(sprintf("%s", &[Value::list(vec![Value::str("a"), Value::int(1)])]), "[a %!s(int=1)]");
        assert_eq!(sprintf("x", &[Value::int(1), Value::str("x")]), "x%!(EXTRA int=1, string=x)");
        assert_eq!(sprintf("%d %s", &[Value::int(1)]), "1 %!s(MISSING)");
        assert_eq!(sprint(&[Value::int(1), Value::int(2), Value::str("a"), Value::str("b"), Value::int(3)]), "1 2ab3");
        assert_eq!(sprintln(&[Value::int(1), Value::str("a")]), "1 a\n");
    }
}
