//! One step of Go's `json.NewDecoder(r).Decode(&v)` as `--set-json` uses it:
//! read the first JSON value of the rest of the line, and tell how many
//! bytes it took (`dec.InputOffset()`), so parsing goes on after it.
//!
//! The decoder's scanner ends a value at its closing `}`/`]`/`"`, and a
//! number or literal at the first byte that cannot continue it (whatever that
//! byte is: `a=3x` decodes 3 and leaves `x`). The value itself is decoded
//! by [`crate::json::unmarshal`], Go's scanner port, so numbers are float64
//! and syntax errors carry Go's text; input ending inside a value is Go's
//! `unexpected EOF` (io.ErrUnexpectedEOF).

use crate::error::Error;
use crate::json::{self, Target};
use crate::value::Value;

enum End {
    /// The value ends before this byte offset.
    At(usize),
    /// A byte that cannot continue the value (a syntax error there).
    Bad(usize),
    /// The input ends inside the value.
    Eof,
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// Decodes the first JSON value of `s`: the value and the bytes consumed
/// (leading JSON whitespace included).
pub(crate) fn decode(s: &str) -> Result<(Value, usize), Error> {
    let b = s.as_bytes();
    let start = b.iter().position(|&c| !is_space(c)).unwrap_or(b.len());
    let first = match b.get(start) {
        Some(&c) => c,
        None => return Err("EOF".into()),
    };
    let end = match first {
        b'{' | b'[' => container_end(b, start),
        b'"' => string_end(b, start + 1),
        b't' => literal_end(b, start, b"true"),
        b'f' => literal_end(b, start, b"false"),
        b'n' => literal_end(b, start, b"null"),
        b'-' | b'0'..=b'9' => number_end(b, start),
        _ => End::Bad(start),
    };
    match end {
        End::At(e) => match json::unmarshal(&b[start..e], Target::Any) {
            (v, None) => Ok((v, e)),
            (_, Some(err)) => Err(err),
        },
        End::Bad(at) => Err(Error::go(syntax_error(&b[start..=at]))),
        // A number or literal cut short: the scanner saw no bad byte.
        End::Eof if !matches!(first, b'{' | b'[' | b'"') => Err("unexpected EOF".into()),
        End::Eof => {
            // A container or string cut short: the decoder reports the first
            // syntax error in it, else io.ErrUnexpectedEOF. A control byte
            // appended is invalid in every scanner state, so an error about
            // it means the bytes before were fine.
            let mut probe = b[start..].to_vec();
            probe.push(0x01);
            let err = syntax_error(&probe);
            if err.contains("'\\x01'") {
                Err("unexpected EOF".into())
            } else {
                Err(Error::go(err))
            }
        }
    }
}

/// The scanner's error for bytes known to be invalid or incomplete.
fn syntax_error(b: &[u8]) -> String {
    match json::unmarshal(b, Target::Any) {
        (_, Some(e)) => e.message,
        (_, None) => "unexpected EOF".into(),
    }
}

/// After the matching close bracket (strings skipped); a mismatched bracket
/// also ends it, and unmarshal reports it.
fn container_end(b: &[u8], start: usize) -> End {
    let mut depth = 0usize;
    let mut i = start;
    while i < b.len() {
        match b[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return End::At(i + 1);
                }
            }
            b'"' => match string_end(b, i + 1) {
                End::At(e) => {
                    i = e;
                    continue;
                }
                other => return other,
            },
            _ => {}
        }
        i += 1;
    }
    End::Eof
}

/// `i` is just after the opening quote.
fn string_end(b: &[u8], mut i: usize) -> End {
    while i < b.len() {
        match b[i] {
            b'"' => return End::At(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    End::Eof
}

fn literal_end(b: &[u8], start: usize, word: &[u8]) -> End {
    for (j, &w) in word.iter().enumerate() {
        match b.get(start + j) {
            None => return End::Eof,
            Some(&c) if c != w => return End::Bad(start + j),
            Some(_) => {}
        }
    }
    End::At(start + word.len())
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, ended by the first
/// byte that does not continue it.
fn number_end(b: &[u8], start: usize) -> End {
    #[derive(Clone, Copy, PartialEq)]
    enum S {
        Neg,
        Zero,
        Int,
        Dot,
        Frac,
        E,
        ESign,
        Exp,
    }
    let mut s = if b[start] == b'-' {
        S::Neg
    } else if b[start] == b'0' {
        S::Zero
    } else {
        S::Int
    };
    let mut i = start + 1;
    loop {
        let c = b.get(i).copied();
        let next = match (s, c) {
            (S::Neg, Some(b'0')) => Some(S::Zero),
            (S::Neg, Some(b'1'..=b'9')) => Some(S::Int),
            (S::Int, Some(b'0'..=b'9')) => Some(S::Int),
            (S::Zero | S::Int, Some(b'.')) => Some(S::Dot),
            (S::Zero | S::Int | S::Frac, Some(b'e' | b'E')) => Some(S::E),
            (S::Dot | S::Frac, Some(b'0'..=b'9')) => Some(S::Frac),
            (S::E, Some(b'+' | b'-')) => Some(S::ESign),
            (S::E | S::ESign | S::Exp, Some(b'0'..=b'9')) => Some(S::Exp),
            _ => None,
        };
        match next {
            Some(n) => {
                s = n;
                i += 1;
            }
            None => {
                let complete = matches!(s, S::Zero | S::Int | S::Frac | S::Exp);
                return match (complete, c) {
                    (true, _) => End::At(i),
                    (false, None) => End::Eof,
                    (false, Some(_)) => End::Bad(i),
                };
            }
        }
    }
}
