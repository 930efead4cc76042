//! huandu/xstrings v1.5.0 case converters as Sprig uses them: `camelcase`
//! (ToPascalCase), `snakecase`, `kebabcase`, and `shuffle`.

use crate::template::funcs::Env;

use super::is_go_space;
use super::strings::{lower_rune, upper_rune};

fn is_connector(r: char) -> bool {
    r == '-' || r == '_' || is_go_space(r)
}

/// xstrings `isAlphabet`: letters except CJK ideographs.
fn is_alphabet(r: char) -> bool {
    if !r.is_alphabetic() {
        return false;
    }
    let c = r as u32;
    if c < 0x3400 {
        return true;
    }
    !((0x4E00..=0x9FCC).contains(&c) || (0x3400..=0x4D85).contains(&c) || (0x20000..=0x2B81D).contains(&c))
}

/// Go's `unicode.IsPunct` (general category P). ASCII exactly; outside
/// ASCII the common punctuation blocks.
fn is_punct(r: char) -> bool {
    if r.is_ascii() {
        return matches!(
            r,
            '!' | '"'
                | '#'
                | '%'
                | '&'
                | '\''
                | '('
                | ')'
                | '*'
                | ','
                | '-'
                | '.'
                | '/'
                | ':'
                | ';'
                | '?'
                | '@'
                | '['
                | '\\'
                | ']'
                | '_'
                | '{'
                | '}'
        );
    }
    matches!(r as u32,
        0xA1 | 0xA7 | 0xAB | 0xB6 | 0xB7 | 0xBB | 0xBF | 0x37E | 0x387
        | 0x2010..=0x2027 | 0x2030..=0x2043 | 0x2045..=0x2051 | 0x2053..=0x205E
        | 0x3001..=0x3003 | 0x3008..=0x3011 | 0x3014..=0x301F | 0xFF01..=0xFF03 | 0xFF05..=0xFF0A
        | 0xFF0C..=0xFF0F | 0xFF1A | 0xFF1B | 0xFF1F | 0xFF20 | 0xFF3B..=0xFF3D | 0xFF3F | 0xFF5B | 0xFF5D)
}

/// xstrings `toCamelCase(str, isBig=true)` = `ToPascalCase`.
pub(crate) fn to_pascal_case(s: &str) -> String {
    // Every rune is decoded and written again: a byte that is not UTF-8
    // becomes U+FFFD.
    let chars: Vec<char> = crate::gostring::to_runes(s).chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    let mut buf = String::new();
    let mut i = 0;
    let mut r0 = '\0';
    let mut first_upper = false;
    while i < chars.len() {
        r0 = chars[i];
        i += 1;
        if !is_connector(r0) {
            first_upper = r0.is_uppercase();
            r0 = upper_rune(r0);
            break;
        }
        buf.push(r0);
    }
    // A string of one rune (or only connectors) writes the last rune again,
    // exactly like xstrings.
    if i == chars.len() {
        buf.push(r0);
        return buf;
    }
    while i < chars.len() {
        let r1 = r0;
        r0 = chars[i];
        i += 1;
        if is_connector(r0) && is_connector(r1) {
            buf.push(r1);
            continue;
        }
        if is_connector(r1) {
            first_upper = r0.is_uppercase();
            r0 = upper_rune(r0);
        } else {
            if first_upper {
                if r0.is_uppercase() {
                    r0 = lower_rune(r0);
                } else {
                    first_upper = false;
                }
            }
            buf.push(r1);
        }
    }
    buf.push(r0);
    buf
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Wt {
    Invalid,
    Number,
    Upper,
    Alphabet,
    Connector,
    Punct,
    Other,
}

/// xstrings `nextValidRune` over chars: the first rune from `s[off..]` that
/// is not utf8.RuneError (a byte that is not UTF-8, or U+FFFD itself) and
/// how many chars it took; `prev` when only such bytes are left, so they
/// join the word they follow.
fn next_valid(s: &[char], off: usize, prev: char) -> (char, usize) {
    let mut k = 0;
    for &c in &s[off..] {
        k += 1;
        if c != char::REPLACEMENT_CHARACTER && crate::gostring::raw_byte(c).is_none() {
            return (c, k);
        }
    }
    (prev, k)
}

/// xstrings `nextWord`: (type, word, remaining) over char slices.
fn next_word(s: &[char]) -> (Wt, &[char], &[char]) {
    if s.is_empty() {
        return (Wt::Invalid, &[], &[]);
    }
    let n = s.len();
    let (mut r, size) = next_valid(s, 0, char::REPLACEMENT_CHARACTER);
    let mut off = size;
    if r == char::REPLACEMENT_CHARACTER {
        return (Wt::Invalid, &s[..off], &s[off..]);
    }
    // Extends the word while the next valid rune satisfies `pred`.
    let extend = |off: &mut usize, r: &mut char, pred: &dyn Fn(char) -> bool| {
        while *off < n {
            let (c, k) = next_valid(s, *off, *r);
            *r = c;
            if !pred(c) {
                break;
            }
            *off += k;
        }
    };
    let wt;
    if is_connector(r) {
        wt = Wt::Connector;
        extend(&mut off, &mut r, &is_connector);
    } else if is_punct(r) {
        wt = Wt::Punct;
        extend(&mut off, &mut r, &is_punct);
    } else if r.is_uppercase() {
        wt = Wt::Upper;
        if off < n {
            let (r2, k) = next_valid(s, off, r);
            r = r2;
            if r2.is_uppercase() {
                let mut prev_size = k;
                off += k;
                while off < n {
                    let (c, k) = next_valid(s, off, r);
                    r = c;
                    if !c.is_uppercase() {
                        break;
                    }
                    prev_size = k;
                    off += k;
                }
                // "HTTPServer": the last upper letter starts the next word.
                if off < n && is_alphabet(r) {
                    off -= prev_size;
                }
            } else if is_alphabet(r2) {
                off += k;
                extend(&mut off, &mut r, &|c| is_alphabet(c) && !c.is_uppercase());
            }
        }
    } else if is_alphabet(r) {
        wt = Wt::Alphabet;
        extend(&mut off, &mut r, &|c| is_alphabet(c) && !c.is_uppercase());
    } else if r.is_numeric() {
        wt = Wt::Number;
        extend(&mut off, &mut r, &|c: char| c.is_numeric());
    } else {
        wt = Wt::Other;
        extend(&mut off, &mut r, &|c| !(is_connector(c) || is_alphabet(c) || c.is_numeric() || is_punct(c)));
    }
    (wt, &s[..off], &s[off..])
}

fn to_lower(buf: &mut String, wt: Wt, word: &[char], connector: char) {
    if wt != Wt::Upper && wt != Wt::Connector {
        buf.extend(word.iter());
        return;
    }
    for &r in word {
        if is_connector(r) {
            buf.push(connector);
        } else if r.is_uppercase() {
            buf.push(lower_rune(r));
        } else if crate::gostring::raw_byte(r).is_some() {
            // Decoded and written again as a rune: utf8.RuneError.
            buf.push(char::REPLACEMENT_CHARACTER);
        } else {
            buf.push(r);
        }
    }
}

/// xstrings `camelCaseToLowerCase` (ToSnakeCase / ToKebabCase).
pub(crate) fn camel_to_lower(s: &str, connector: char) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    let mut buf = String::new();
    let (mut wt, mut word, mut remaining) = next_word(&chars);
    while !remaining.is_empty() {
        if wt != Wt::Connector {
            to_lower(&mut buf, wt, word, connector);
        }
        let prev = wt;
        let last = word;
        (wt, word, remaining) = next_word(remaining);
        match prev {
            Wt::Number => {
                while wt == Wt::Alphabet || wt == Wt::Number {
                    to_lower(&mut buf, wt, word, connector);
                    (wt, word, remaining) = next_word(remaining);
                }
                if wt != Wt::Invalid && wt != Wt::Punct && wt != Wt::Connector {
                    buf.push(connector);
                }
            }
            Wt::Connector => to_lower(&mut buf, prev, last, connector),
            Wt::Punct => {}
            _ => {
                if wt != Wt::Number {
                    if wt != Wt::Connector && wt != Wt::Punct {
                        buf.push(connector);
                    }
                    continue;
                }
                if remaining.is_empty() {
                    continue;
                }
                let last = word;
                (wt, word, remaining) = next_word(remaining);
                if wt != Wt::Alphabet {
                    to_lower(&mut buf, Wt::Number, last, connector);
                    if wt != Wt::Connector && wt != Wt::Punct {
                        buf.push(connector);
                    }
                    continue;
                }
                buf.push(connector);
                to_lower(&mut buf, Wt::Number, last, connector);
                while wt == Wt::Alphabet || wt == Wt::Number {
                    to_lower(&mut buf, wt, word, connector);
                    (wt, word, remaining) = next_word(remaining);
                }
                if wt != Wt::Invalid && wt != Wt::Connector && wt != Wt::Punct {
                    buf.push(connector);
                }
            }
        }
    }
    to_lower(&mut buf, wt, word, connector);
    buf
}

/// xstrings `Shuffle` with math/rand's `Intn` replaced by the render's
/// deterministic generator.
pub(crate) fn shuffle(env: &mut Env, s: &str) -> String {
    let mut runes: Vec<char> = s.chars().collect();
    let mut i = runes.len();
    while i > 1 {
        i -= 1;
        let index = (env.next_u64() % (i as u64 + 1)) as usize;
        runes.swap(i, index);
    }
    runes.into_iter().collect()
}
