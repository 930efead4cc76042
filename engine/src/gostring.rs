//! Go strings are byte strings; ours are Rust `str`. Byte slicing in Go
//! (`trunc`, `substr`, `b64dec` of binary data…) can leave bytes that are not
//! UTF-8, and they travel on: `len` counts them, `b64enc` and `%x` show them,
//! `quote` writes `\xc3`, JSON writes U+FFFD, and the output carries the raw
//! byte. Each such byte (always 0x80–0xFF) is held in a `str` as one private
//! code point U+10F780–U+10F7FF ("raw byte", away from the U+10FFFF
//! edge that tests like to probe), turned back into the byte where
//! Go's bytes are observable. (Template text that itself contains those
//! private-use code points would be read as raw bytes.)

use std::borrow::Cow;

const RAW_BASE: u32 = 0x10_F700;

/// The byte a raw-byte code point stands for.
pub(crate) fn raw_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if (RAW_BASE + 0x80..=RAW_BASE + 0xFF).contains(&u) {
        Some((u - RAW_BASE) as u8)
    } else {
        None
    }
}

fn raw_char(b: u8) -> char {
    char::from_u32(RAW_BASE + u32::from(b)).unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// Whether `s` may hold raw bytes (their UTF-8 form starts with 0xF4 0x8F).
fn may_hold_raw(s: &str) -> bool {
    let b = s.as_bytes();
    b.contains(&0xF4) && b.windows(2).any(|w| w == [0xF4, 0x8F])
}

/// Go's `string(b)`: valid UTF-8 as it is, every other byte as a raw byte.
pub fn from_bytes(b: &[u8]) -> String {
    decode(b, raw_char)
}

/// What Go's rune decoding (`[]rune`, encoding/json) makes of bytes: each
/// byte that is not UTF-8 becomes U+FFFD (utf8.DecodeRune consumes one byte
/// of an invalid sequence).
pub(crate) fn from_bytes_lossy(b: &[u8]) -> String {
    decode(b, |_| char::REPLACEMENT_CHARACTER)
}

/// The UTF-8 runs of `b` as they are, each other byte as `invalid` makes it.
fn decode(b: &[u8], invalid: impl Fn(u8) -> char) -> String {
    let mut out = String::with_capacity(b.len());
    for chunk in b.utf8_chunks() {
        out.push_str(chunk.valid());
        out.extend(chunk.invalid().iter().map(|&x| invalid(x)));
    }
    out
}

/// The Go bytes of a string.
pub fn to_bytes(s: &str) -> Cow<'_, [u8]> {
    if !may_hold_raw(s) {
        return Cow::Borrowed(s.as_bytes());
    }
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        match raw_byte(c) {
            Some(b) => out.push(b),
            None => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    Cow::Owned(out)
}

/// The one form of a Go string: raw bytes that, side by side, make a UTF-8
/// character (a cut "é" joined again by `join`, an `include`'s output…)
/// become that character, as they are in Go.
pub(crate) fn canonical(s: &str) -> Cow<'_, str> {
    if !may_hold_raw(s) {
        return Cow::Borrowed(s);
    }
    let b = to_bytes(s);
    let c = from_bytes(&b);
    if c == s {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(c)
    }
}

/// Whether `s` holds a byte that is not UTF-8.
pub(crate) fn raw_byte_in(s: &str) -> bool {
    may_hold_raw(s) && s.chars().any(|c| raw_byte(c).is_some())
}

/// Go's `a < b` on strings: byte order (a byte that is not UTF-8 sorts by
/// its value, not by its private code point).
pub fn cmp(a: &str, b: &str) -> std::cmp::Ordering {
    if !may_hold_raw(a) && !may_hold_raw(b) {
        return a.cmp(b);
    }
    to_bytes(a).cmp(&to_bytes(b))
}

/// Go's `len(s)`.
pub(crate) fn byte_len(s: &str) -> usize {
    if !may_hold_raw(s) {
        return s.len();
    }
    s.chars().map(|c| if raw_byte(c).is_some() { 1 } else { c.len_utf8() }).sum()
}

/// What Go's rune decoding (range, strings.Map, encoding/json) makes of the
/// text: each raw byte becomes U+FFFD.
pub fn to_runes(s: &str) -> Cow<'_, str> {
    if !may_hold_raw(s) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(|c| if raw_byte(c).is_some() { char::REPLACEMENT_CHARACTER } else { c }).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lossy_is_one_replacement_per_byte() {
        // Go's utf8.DecodeRune consumes one byte of an invalid sequence.
        assert_eq!(from_bytes_lossy(b"a\xffb"), "a\u{FFFD}b");
        assert_eq!(from_bytes_lossy(b"\xe2\x82"), "\u{FFFD}\u{FFFD}");
    }

    #[test]
    fn raw_bytes_round_trip() {
        let b = [b'a', 0xC3, b'b', 0xFF, 0xE2, 0x80, 0xA6];
        let s = from_bytes(&b);
        assert_eq!(s.chars().count(), 5);
        assert_eq!(&*to_bytes(&s), &b[..]);
        assert_eq!(byte_len(&s), 7);
        assert_eq!(to_runes(&s), "a\u{FFFD}b\u{FFFD}…");
        assert_eq!(from_bytes("é".as_bytes()), "é");
    }

    #[test]
    fn canonical_form_and_byte_order() {
        // A cut "é" (0xC3, 0xA9) joined again is "é", as Go's bytes are.
        let joined = format!("{}{}", from_bytes(&[0xC3]), from_bytes(&[0xA9]));
        assert_eq!(canonical(&joined), "é");
        assert_eq!(canonical("a\u{FFFD}"), "a\u{FFFD}");
        // Go compares bytes: 0x80 < 0xC3 0xA9 < 0xFF.
        assert!(cmp(&from_bytes(&[0x80]), "é").is_lt());
        assert!(cmp(&from_bytes(&[0xC3]), "é").is_lt());
        assert!(cmp(&from_bytes(&[0xFF]), "\u{10FFFF}").is_gt());
    }
}
