//! Sprig's strings.go and the string one-liners of functions.go (Go `strings`
//! wrappers, goutils word utilities, base64/base32, paths).

use crate::error::Error;
use crate::gofmt::{path, strconv};
use crate::gostring;
use crate::template::{Env, FuncMap, Ty};
use crate::value::{ListType, MapType, SliceOf, Value};

use super::{arg, arg_int, arg_str, is_go_space, strval};

/// Upper bound for generated strings (`repeat`, `indent` pads…): Go would
/// try to allocate and die; we refuse instead of exhausting wasm memory.
pub(crate) const MAX_OUTPUT: usize = 1 << 28;

pub fn register(m: &mut FuncMap) {
    use Ty::*;
    m.add("hello", &[], None, |_, _| Ok(Value::str("Hello!")));
    m.add("abbrev", &[Int, String], None, |_, a| Ok(Value::string(abbrev(arg_int(&a, 0), &arg_str(&a, 1)))));
    m.add("abbrevboth", &[Int, Int, String], None, |_, a| {
        Ok(Value::string(abbrevboth(arg_int(&a, 0), arg_int(&a, 1), &arg_str(&a, 2))))
    });
    m.add("trunc", &[Int, String], None, |_, a| Ok(Value::string(trunc(arg_int(&a, 0), &arg_str(&a, 1)))));
    m.add("trim", &[String], None, |_, a| Ok(Value::str(arg_str(&a, 0).trim_matches(is_go_space))));
    m.add("upper", &[String], None, |_, a| Ok(Value::string(to_upper(&arg_str(&a, 0)))));
    m.add("lower", &[String], None, |_, a| Ok(Value::string(to_lower(&arg_str(&a, 0)))));
    m.add("title", &[String], None, |_, a| Ok(Value::string(title(&arg_str(&a, 0)))));
    m.add("untitle", &[String], None, |_, a| Ok(Value::string(untitle(&arg_str(&a, 0)))));
    m.add("substr", &[Int, Int, String], None, |_, a| {
        substring(arg_int(&a, 0), arg_int(&a, 1), &arg_str(&a, 2)).map(Value::string)
    });
    m.add("repeat", &[Int, String], None, |_, a| repeat(&arg_str(&a, 1), arg_int(&a, 0)).map(Value::string));
    for name in ["trimall", "trimAll"] {
        m.add(name, &[String, String], None, |_, a| {
            let cut = arg_str(&a, 0);
            Ok(Value::str(arg_str(&a, 1).trim_matches(|c| cut.contains(c))))
        });
    }
    m.add("trimSuffix", &[String, String], None, |_, a| {
        let (suf, s) = (arg_str(&a, 0), arg_str(&a, 1));
        Ok(match (gostring::to_bytes(&suf), gostring::to_bytes(&s)) {
            (std::borrow::Cow::Borrowed(_), std::borrow::Cow::Borrowed(_)) => {
                Value::str(s.strip_suffix(suf.as_str()).unwrap_or(&s))
            }
            // Byte strings: the suffix may cut a multi-byte character.
            (x, y) => Value::string(gostring::from_bytes(y.strip_suffix(&*x).unwrap_or(&y))),
        })
    });
    m.add("trimPrefix", &[String, String], None, |_, a| {
        let (pre, s) = (arg_str(&a, 0), arg_str(&a, 1));
        Ok(match (gostring::to_bytes(&pre), gostring::to_bytes(&s)) {
            (std::borrow::Cow::Borrowed(_), std::borrow::Cow::Borrowed(_)) => {
                Value::str(s.strip_prefix(pre.as_str()).unwrap_or(&s))
            }
            (x, y) => Value::string(gostring::from_bytes(y.strip_prefix(&*x).unwrap_or(&y))),
        })
    });
    m.add("nospace", &[String], None, |_, a| Ok(Value::string(delete_white_space(&arg_str(&a, 0)))));
    m.add("initials", &[String], None, |_, a| Ok(Value::string(initials(&arg_str(&a, 0)))));
    m.add("randAlphaNum", &[Int], None, |env, a| crypto_random(env, arg_int(&a, 0), true, true).map(Value::string));
    m.add("randAlpha", &[Int], None, |env, a| crypto_random(env, arg_int(&a, 0), true, false).map(Value::string));
    m.add("randNumeric", &[Int], None, |env, a| crypto_random(env, arg_int(&a, 0), false, true).map(Value::string));
    m.add("randAscii", &[Int], None, |env, a| crypto_random_range(env, arg_int(&a, 0), 32, 127).map(Value::string));
    m.add("swapcase", &[String], None, |_, a| Ok(Value::string(swap_case(&arg_str(&a, 0)))));
    m.add("camelcase", &[String], None, |_, a| Ok(Value::string(super::xstrings::to_pascal_case(&arg_str(&a, 0)))));
    m.add("snakecase", &[String], None, |_, a| {
        Ok(Value::string(super::xstrings::camel_to_lower(&arg_str(&a, 0), '_')))
    });
    m.add("kebabcase", &[String], None, |_, a| {
        Ok(Value::string(super::xstrings::camel_to_lower(&arg_str(&a, 0), '-')))
    });
    m.add("shuffle", &[String], None, |env, a| Ok(Value::string(super::xstrings::shuffle(env, &arg_str(&a, 0)))));
    m.add("wrap", &[Int, String], None, |_, a| {
        Ok(Value::string(wrap_custom(&arg_str(&a, 1), arg_int(&a, 0), "", false)))
    });
    m.add("wrapWith", &[Int, String, String], None, |_, a| {
        Ok(Value::string(wrap_custom(&arg_str(&a, 2), arg_int(&a, 0), &arg_str(&a, 1), true)))
    });
    // Byte comparisons: a broken byte is a prefix of the rune it was cut from.
    m.add("contains", &[String, String], None, |_, a| {
        let (sub, s) = (arg_str(&a, 0), arg_str(&a, 1));
        Ok(Value::Bool(match (gostring::to_bytes(&sub), gostring::to_bytes(&s)) {
            (std::borrow::Cow::Borrowed(_), std::borrow::Cow::Borrowed(_)) => s.contains(sub.as_str()),
            (x, y) => x.is_empty() || y.windows(x.len()).any(|w| w == &*x),
        }))
    });
    m.add("hasPrefix", &[String, String], None, |_, a| {
        let (p, s) = (arg_str(&a, 0), arg_str(&a, 1));
        Ok(Value::Bool(gostring::to_bytes(&s).starts_with(&gostring::to_bytes(&p))))
    });
    m.add("hasSuffix", &[String, String], None, |_, a| {
        let (p, s) = (arg_str(&a, 0), arg_str(&a, 1));
        Ok(Value::Bool(gostring::to_bytes(&s).ends_with(&gostring::to_bytes(&p))))
    });
    m.add("quote", &[], Some(Any), |_, a| {
        let parts: Vec<std::string::String> =
            a.iter().filter(|v| !v.is_nil()).map(|v| strconv::quote(&strval(v))).collect();
        Ok(Value::string(parts.join(" ")))
    });
    m.add("squote", &[], Some(Any), |_, a| {
        let parts: Vec<std::string::String> =
            a.iter().filter(|v| !v.is_nil()).map(|v| format!("'{}'", v.to_go_string())).collect();
        Ok(Value::string(parts.join(" ")))
    });
    m.add("cat", &[], Some(Any), |_, a| {
        // Built in place: no copy of each argument (`cat $s $s` doubles).
        let mut out = std::string::String::new();
        for (i, v) in a.iter().filter(|v| !v.is_nil()).enumerate() {
            if i > 0 {
                out.push(' ');
            }
            match v {
                Value::String(s) => out.push_str(s),
                v => out.push_str(&v.to_go_string()),
            }
        }
        Ok(Value::string(out))
    });
    m.add("indent", &[Int, String], None, |_, a| indent(arg_int(&a, 0), &arg_str(&a, 1)).map(Value::string));
    m.add("nindent", &[Int, String], None, |_, a| {
        indent(arg_int(&a, 0), &arg_str(&a, 1)).map(|s| Value::string(format!("\n{s}")))
    });
    m.add("replace", &[String, String, String], None, |_, a| {
        Ok(Value::string(go_replace(&arg_str(&a, 2), &arg_str(&a, 0), &arg_str(&a, 1))))
    });
    m.add("plural", &[String, String, Int], None, |_, a| Ok(if arg_int(&a, 2) == 1 { arg(&a, 0) } else { arg(&a, 1) }));
    m.add("toString", &[Any], None, |_, a| Ok(Value::string(strval(&arg(&a, 0)))));
    m.add("split", &[String, String], None, |_, a| Ok(parts_map(go_split(&arg_str(&a, 1), &arg_str(&a, 0), -1))));
    m.add("splitList", &[String, String], None, |_, a| {
        Ok(super::string_list(go_split(&arg_str(&a, 1), &arg_str(&a, 0), -1)))
    });
    m.add("splitn", &[String, Int, String], None, |_, a| {
        Ok(parts_map(go_split(&arg_str(&a, 2), &arg_str(&a, 0), arg_int(&a, 1))))
    });
    m.add("toStrings", &[Any], None, |_, a| match arg(&a, 0) {
        // strslice returns a []string as it is (nil stays nil).
        v @ Value::List(_, ListType { of: SliceOf::String, .. }) => Ok(v),
        v => Ok(super::string_list(strslice(&v))),
    });
    m.add("join", &[String, Any], None, |_, a| Ok(Value::string(strslice(&arg(&a, 1)).join(&arg_str(&a, 0)))));
    m.add("b64enc", &[String], None, |_, a| {
        Ok(Value::string(crate::gofmt::base64::encode_std(&gostring::to_bytes(&arg_str(&a, 0)))))
    });
    m.add("b64dec", &[String], None, |_, a| {
        Ok(Value::string(match crate::gofmt::base64::decode_std(arg_str(&a, 0).as_bytes()) {
            Ok(b) => gostring::from_bytes(&b),
            Err(e) => e.message,
        }))
    });
    m.add("b32enc", &[String], None, |_, a| {
        Ok(Value::string(crate::gofmt::base32::encode_std(&gostring::to_bytes(&arg_str(&a, 0)))))
    });
    m.add("b32dec", &[String], None, |_, a| {
        Ok(Value::string(match crate::gofmt::base32::decode_std(arg_str(&a, 0).as_bytes()) {
            Ok(b) => gostring::from_bytes(&b),
            Err(e) => e.message,
        }))
    });
    // path and path/filepath (Unix semantics on both: Helm runs on Linux here).
    for name in ["base", "osBase"] {
        m.add(name, &[String], None, |_, a| Ok(Value::string(path::base(&arg_str(&a, 0)).to_string())));
    }
    for name in ["dir", "osDir"] {
        m.add(name, &[String], None, |_, a| Ok(Value::string(path::dir(&arg_str(&a, 0)))));
    }
    for name in ["clean", "osClean"] {
        m.add(name, &[String], None, |_, a| Ok(Value::string(path::clean(&arg_str(&a, 0)))));
    }
    for name in ["ext", "osExt"] {
        m.add(name, &[String], None, |_, a| Ok(Value::string(path::ext(&arg_str(&a, 0)).to_string())));
    }
    for name in ["isAbs", "osIsAbs"] {
        m.add(name, &[String], None, |_, a| Ok(Value::Bool(arg_str(&a, 0).starts_with('/'))));
    }
}

/// goutils `CryptoRandom(count, 0, 0, letters, numbers)`: characters drawn
/// from ' '..='z' and kept when they are letters/digits as asked. The
/// randomness comes from the render's seeded generator. Sprig ignores the
/// error (negative count) and returns "".
fn crypto_random(env: &mut Env, count: i64, letters: bool, numbers: bool) -> Result<String, Error> {
    if count <= 0 {
        return Ok(String::new());
    }
    if count as u64 > MAX_OUTPUT as u64 {
        return Err("chartroom: random string too long".into());
    }
    let mut out = String::with_capacity(count as usize);
    while (out.len() as i64) < count {
        let ch = char::from(b' ' + (env.next_u64() % u64::from(b'z' + 1 - b' ')) as u8);
        if (letters && ch.is_ascii_alphabetic()) || (numbers && ch.is_ascii_digit()) {
            out.push(ch);
        }
    }
    Ok(out)
}

/// goutils `CryptoRandom(count, start, end, false, false)` (`randAscii`).
fn crypto_random_range(env: &mut Env, count: i64, start: u8, end: u8) -> Result<String, Error> {
    if count <= 0 {
        return Ok(String::new());
    }
    if count as u64 > MAX_OUTPUT as u64 {
        return Err("chartroom: random string too long".into());
    }
    Ok((0..count).map(|_| char::from(start + (env.next_u64() % u64::from(end - start)) as u8)).collect())
}

/// `strings.Repeat` (negative counts panic in Go).
pub fn repeat(s: &str, count: i64) -> Result<String, Error> {
    if count < 0 {
        return Err("strings: negative Repeat count".into());
    }
    let total = (s.len() as u128) * (count as u128);
    if total > MAX_OUTPUT as u128 {
        return Err("strings: Repeat output length overflow".into());
    }
    Ok(s.repeat(count as usize))
}

fn indent(spaces: i64, v: &str) -> Result<String, Error> {
    // The pad is repeated once per line: check the whole result's size
    // before building it (Go's strings.Repeat panics on overflow the same way).
    let lines = v.bytes().filter(|&b| b == b'\n').count() as u128 + 1;
    if spaces > 0 && (spaces as u128) * lines + v.len() as u128 > MAX_OUTPUT as u128 {
        return Err("strings: Repeat output length overflow".into());
    }
    let pad = repeat(" ", spaces)?;
    let mut out = pad.clone();
    out.push_str(&v.replace('\n', &format!("\n{pad}")));
    Ok(out)
}

/// Byte-offset slicing like Go's `s[a:b]` (may cut a UTF-8 sequence; the
/// broken bytes travel on as raw bytes, see crate::gostring).
fn byte_slice(s: &[u8], a: usize, b: usize) -> String {
    gostring::from_bytes(&s[a..b])
}

fn trunc(c: i64, s: &str) -> String {
    let orig = s;
    let s = &*gostring::to_bytes(s);
    let len = s.len() as i64;
    if c < 0 && len + c > 0 {
        return byte_slice(s, (len + c) as usize, s.len());
    }
    if c >= 0 && len > c {
        return byte_slice(s, 0, c as usize);
    }
    orig.to_string()
}

/// Go's panic text for an out-of-range `s[a:b]` slice expression.
fn slice_panic(a: Option<i64>, b: i64, len: usize, b_is_len: bool) -> String {
    match a {
        None if b < 0 => format!("runtime error: slice bounds out of range [:{b}]"),
        None => format!("runtime error: slice bounds out of range [:{b}] with length {len}"),
        Some(a) if b_is_len => format!("runtime error: slice bounds out of range [{a}:{b}]"),
        Some(a) => format!("runtime error: slice bounds out of range [{a}:{b}]"),
    }
}

fn substring(start: i64, end: i64, s: &str) -> Result<String, Error> {
    let s = &*gostring::to_bytes(s);
    let len = s.len() as i64;
    if start < 0 {
        if end < 0 || end > len {
            return Err(Error::go(slice_panic(None, end, s.len(), false)));
        }
        return Ok(byte_slice(s, 0, end as usize));
    }
    if end < 0 || end > len {
        if start > len {
            return Err(Error::go(slice_panic(Some(start), len, s.len(), true)));
        }
        return Ok(byte_slice(s, start as usize, s.len()));
    }
    if start > end {
        return Err(Error::go(slice_panic(Some(start), end, s.len(), false)));
    }
    Ok(byte_slice(s, start as usize, end as usize))
}

/// `strings.Split` / `strings.SplitN` (n < 0: all; n == 0: none).
/// `strings.Replace(s, old, new, -1)` on Go byte strings.
fn go_replace(s: &str, old: &str, new: &str) -> String {
    match (gostring::to_bytes(s), gostring::to_bytes(old)) {
        // An empty `old` matches before every rune; a byte that is not
        // UTF-8 is one rune, as it is one char here.
        (std::borrow::Cow::Borrowed(_), std::borrow::Cow::Borrowed(_)) => s.replace(old, new),
        _ if old.is_empty() => s.replace(old, new),
        (b, o) => {
            let new = gostring::to_bytes(new);
            let mut out = Vec::with_capacity(b.len());
            let mut i = 0;
            while i < b.len() {
                if b[i..].starts_with(&o) {
                    out.extend_from_slice(&new);
                    i += o.len();
                } else {
                    out.push(b[i]);
                    i += 1;
                }
            }
            gostring::from_bytes(&out)
        }
    }
}

/// `strings.SplitN` on Go byte strings: a separator that is not UTF-8 (or
/// a string holding such bytes) splits the bytes.
fn split_bytes(s: &[u8], sep: &[u8], n: i64) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        if n > 0 && out.len() as i64 == n - 1 {
            break;
        }
        match rest.windows(sep.len()).position(|w| w == sep) {
            Some(i) => {
                out.push(gostring::from_bytes(&rest[..i]));
                rest = &rest[i + sep.len()..];
            }
            None => break,
        }
    }
    out.push(gostring::from_bytes(rest));
    out
}

pub(crate) fn go_split(s: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if !sep.is_empty() {
        if let (b, x @ std::borrow::Cow::Owned(_)) | (b @ std::borrow::Cow::Owned(_), x) =
            (gostring::to_bytes(s), gostring::to_bytes(sep))
        {
            return split_bytes(&b, &x, n);
        }
    }
    if sep.is_empty() {
        // Explode into UTF-8 sequences, the last one holding the rest.
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        let mut out = Vec::new();
        for (i, (pos, c)) in chars.iter().enumerate() {
            if n > 0 && out.len() as i64 == n - 1 {
                out.push(s[*pos..].to_string());
                return out;
            }
            let _ = i;
            out.push(c.to_string());
        }
        return out;
    }
    if n < 0 {
        return s.split(sep).map(str::to_string).collect();
    }
    s.splitn(n as usize, sep).map(str::to_string).collect()
}

/// Sprig's `split`/`splitn` result: `map[_0:a _1:b]`.
fn parts_map(parts: Vec<String>) -> Value {
    let m = parts.into_iter().enumerate().map(|(i, p)| (format!("_{i}"), Value::string(p))).collect();
    Value::typed_map(m, MapType::STRING)
}

/// Sprig's `strslice`: lists become strings (nil elements dropped), other
/// values a one-element list, nil an empty one.
pub(crate) fn strslice(v: &Value) -> Vec<String> {
    match v {
        Value::List(l, _) => l.borrow().iter().filter(|x| !x.is_nil()).map(strval).collect(),
        Value::Bytes(b) => b.iter().map(|x| x.to_string()).collect(),
        Value::Nil => Vec::new(),
        other => vec![strval(other)],
    }
}

/// Go's `unicode.ToUpper` for one rune (simple case mapping only).
pub(crate) fn upper_rune(c: char) -> char {
    // strings.Map decodes runes: a byte that is not UTF-8 is RuneError.
    if crate::gostring::raw_byte(c).is_some() {
        return char::REPLACEMENT_CHARACTER;
    }
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Go's `unicode.ToLower` for one rune.
pub(crate) fn lower_rune(c: char) -> char {
    // strings.Map decodes runes: a byte that is not UTF-8 is RuneError.
    if crate::gostring::raw_byte(c).is_some() {
        return char::REPLACEMENT_CHARACTER;
    }
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    if c == '\u{130}' {
        return 'i';
    }
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Go's `unicode.ToTitle`: upper case except for the Latin digraphs.
pub(crate) fn title_rune(c: char) -> char {
    // strings.Map decodes runes: a byte that is not UTF-8 is RuneError.
    if crate::gostring::raw_byte(c).is_some() {
        return char::REPLACEMENT_CHARACTER;
    }
    match c {
        '\u{1C4}'..='\u{1C6}' => '\u{1C5}',
        '\u{1C7}'..='\u{1C9}' => '\u{1C8}',
        '\u{1CA}'..='\u{1CC}' => '\u{1CB}',
        '\u{1F1}'..='\u{1F3}' => '\u{1F2}',
        _ => upper_rune(c),
    }
}

pub(crate) fn to_upper(s: &str) -> String {
    s.chars().map(upper_rune).collect()
}

pub(crate) fn to_lower(s: &str) -> String {
    s.chars().map(lower_rune).collect()
}

/// Go's `unicode.IsUpper`/`IsLower`/`IsTitle` approximations via Rust's
/// Unicode tables.
fn is_title(c: char) -> bool {
    matches!(c, '\u{1C5}' | '\u{1C8}' | '\u{1CB}' | '\u{1F2}' | '\u{1F88}'..='\u{1F8F}' | '\u{1F98}'..='\u{1F9F}' | '\u{1FA8}'..='\u{1FAF}' | '\u{1FBC}' | '\u{1FCC}' | '\u{1FFC}')
}

/// The deprecated `strings.Title`.
fn title(s: &str) -> String {
    fn is_separator(r: char) -> bool {
        if r.is_ascii() {
            return !(r.is_ascii_alphanumeric() || r == '_');
        }
        if r.is_alphabetic() || r.is_numeric() {
            return false;
        }
        is_go_space(r)
    }
    let mut prev = ' ';
    // strings.Map writes a byte that is not UTF-8 as U+FFFD.
    crate::gostring::to_runes(s)
        .chars()
        .map(|r| {
            let out = if is_separator(prev) { title_rune(r) } else { r };
            prev = r;
            out
        })
        .collect()
}

/// goutils `Uncapitalize` (whitespace-delimited words).
fn untitle(s: &str) -> String {
    let mut next = true;
    // []rune(str): a byte that is not UTF-8 becomes U+FFFD.
    crate::gostring::to_runes(s)
        .chars()
        .map(|c| {
            if is_go_space(c) {
                next = true;
                c
            } else if next {
                next = false;
                lower_rune(c)
            } else {
                c
            }
        })
        .collect()
}

/// goutils `SwapCase`.
fn swap_case(s: &str) -> String {
    let mut ws = true;
    // []rune(str): a byte that is not UTF-8 becomes U+FFFD.
    crate::gostring::to_runes(s)
        .chars()
        .map(|c| {
            if c.is_uppercase() || is_title(c) {
                ws = false;
                lower_rune(c)
            } else if c.is_lowercase() {
                if ws {
                    ws = false;
                    title_rune(c)
                } else {
                    upper_rune(c)
                }
            } else {
                ws = is_go_space(c);
                c
            }
        })
        .collect()
}

/// goutils `Initials`: iterates *bytes*, each taken as a rune (Latin-1).
fn initials(s: &str) -> String {
    let mut out = String::new();
    let mut gap = true;
    for &b in gostring::to_bytes(s).iter() {
        let c = char::from(b);
        if is_go_space(c) {
            gap = true;
        } else if gap {
            out.push(c);
            gap = false;
        }
    }
    out
}

/// goutils `DeleteWhiteSpace`: also byte-wise (multi-byte text is re-encoded
/// as Latin-1 runes when any whitespace is removed).
fn delete_white_space(s: &str) -> String {
    let mut out = String::new();
    let mut count = 0;
    // Go's bytes, each taken as a rune (Latin-1).
    let b = gostring::to_bytes(s);
    for &b in b.iter() {
        let c = char::from(b);
        if !is_go_space(c) {
            out.push(c);
            count += 1;
        }
    }
    if count == b.len() {
        return s.to_string();
    }
    out
}

/// goutils `Abbreviate`.
fn abbrev(width: i64, s: &str) -> String {
    if width < 4 {
        return s.to_string();
    }
    abbreviate_full(s, 0, width).unwrap_or_default()
}

fn abbrevboth(left: i64, right: i64, s: &str) -> String {
    if right < 4 || (left > 0 && right < 7) {
        return s.to_string();
    }
    abbreviate_full(s, left, right).unwrap_or_default()
}

/// goutils `AbbreviateFull` (byte offsets).
fn abbreviate_full(s: &str, offset: i64, max_width: i64) -> Option<String> {
    if s.is_empty() {
        return Some(String::new());
    }
    if max_width < 4 {
        return None;
    }
    let len = gostring::byte_len(s) as i64;
    if len <= max_width {
        return Some(s.to_string());
    }
    let s = &*gostring::to_bytes(s);
    let mut offset = offset.min(len);
    if len - offset < max_width - 3 {
        offset = len - (max_width - 3);
    }
    if offset <= 4 {
        return Some(byte_slice(s, 0, (max_width - 3) as usize) + "...");
    }
    if max_width < 7 {
        return None;
    }
    if offset + max_width - 3 < len {
        let rest = byte_slice(s, offset as usize, s.len());
        return Some(format!("...{}", abbreviate_full(&rest, 0, max_width - 3)?));
    }
    Some(format!("...{}", byte_slice(s, (len - (max_width - 3)) as usize, s.len())))
}

/// goutils `WrapCustom` (byte offsets, words split at ' ').
fn wrap_custom(s: &str, wrap_length: i64, new_line: &str, wrap_long: bool) -> String {
    if s.is_empty() {
        return String::new();
    }
    let nl = if new_line.is_empty() { "\n" } else { new_line };
    let nl = &*gostring::to_bytes(nl);
    let wl = wrap_length.max(1) as usize;
    // goutils.WrapCustom slices bytes: a cut multi-byte character stays
    // as its raw bytes.
    let b = &*gostring::to_bytes(s);
    let len = b.len();
    let mut offset = 0usize;
    let mut out: Vec<u8> = Vec::new();
    while len - offset > wl {
        if b[offset] == b' ' {
            offset += 1;
            continue;
        }
        let end = wl + offset + 1;
        let space = b[offset..end].iter().rposition(|&c| c == b' ');
        if let Some(p) = space {
            let at = p + offset;
            out.extend_from_slice(&b[offset..at]);
            out.extend_from_slice(nl);
            offset = at + 1;
        } else if wrap_long {
            let end = wl + offset;
            out.extend_from_slice(&b[offset..end]);
            out.extend_from_slice(nl);
            offset += wl;
        } else {
            let end = wl + offset;
            match b[end..].iter().position(|&c| c == b' ') {
                None => {
                    out.extend_from_slice(&b[offset..]);
                    offset = len;
                }
                Some(i) => {
                    let at = i + end;
                    out.extend_from_slice(&b[offset..at]);
                    out.extend_from_slice(nl);
                    offset = at + 1;
                }
            }
        }
    }
    out.extend_from_slice(&b[offset..]);
    gostring::from_bytes(&out)
}
