//! TOML datetimes as BurntSushi's `valueDatetime` reads them: Go's
//! `time.ParseInLocation` tried with seven layouts in order, the first that
//! parses wins. Only the layout elements those layouts use are ported,
//! with `time.Parse`'s rules (a one-digit hour is accepted — the
//! `missingLeadingZero` check rejects it afterwards —, range checks,
//! fractions of any length truncated to nanoseconds, `Z` or `±hh:mm`).
//!
//! Zones: Go's Local is UTC for Helm here (as in the oracle), so an offset
//! of zero reads as `UTC`; other offsets get Go's unnamed fixed zone; TOML
//! local forms get BurntSushi's `datetime-local`/`date-local`/`time-local`.

use crate::sprig::date::{Loc, Time};

#[derive(Clone, Copy, PartialEq)]
enum El {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Frac,
    Zone,
    Lit(u8),
}

use El::*;

const LAYOUTS: [(&str, &[El], &str); 7] = [
    (
        "2006-01-02T15:04:05.999999999Z07:00",
        &[Year, Lit(b'-'), Month, Lit(b'-'), Day, Lit(b'T'), Hour, Lit(b':'), Minute, Lit(b':'), Second, Frac, Zone],
        "",
    ),
    (
        "2006-01-02T15:04:05.999999999",
        &[Year, Lit(b'-'), Month, Lit(b'-'), Day, Lit(b'T'), Hour, Lit(b':'), Minute, Lit(b':'), Second, Frac],
        "datetime-local",
    ),
    ("2006-01-02", &[Year, Lit(b'-'), Month, Lit(b'-'), Day], "date-local"),
    ("15:04:05.999999999", &[Hour, Lit(b':'), Minute, Lit(b':'), Second, Frac], "time-local"),
    ("2006-01-02T15:04Z07:00", &[Year, Lit(b'-'), Month, Lit(b'-'), Day, Lit(b'T'), Hour, Lit(b':'), Minute, Zone], ""),
    (
        "2006-01-02T15:04",
        &[Year, Lit(b'-'), Month, Lit(b'-'), Day, Lit(b'T'), Hour, Lit(b':'), Minute],
        "datetime-local",
    ),
    ("15:04", &[Hour, Lit(b':'), Minute], "time-local"),
];

use crate::gofmt::civil::days_from_civil;

fn days_in(month: u32, year: i64) -> u32 {
    crate::gofmt::civil::days_in_month(year, month)
}

/// Go's getnum: one or two digits (`fixed`: exactly two).
fn getnum(v: &[u8], fixed: bool) -> Option<(u32, &[u8])> {
    let d0 = *v.first().filter(|c| c.is_ascii_digit())?;
    match v.get(1).filter(|c| c.is_ascii_digit()) {
        Some(d1) => Some((u32::from(d0 - b'0') * 10 + u32::from(d1 - b'0'), &v[2..])),
        None if fixed => None,
        None => Some((u32::from(d0 - b'0'), &v[1..])),
    }
}

fn parse_layout(els: &[El], value: &str, loc: &str) -> Option<Time> {
    let mut v = value.as_bytes();
    let (mut year, mut month, mut day) = (0i64, 1u32, 1u32);
    let (mut hour, mut min, mut sec, mut nanos) = (0u32, 0u32, 0u32, 0i64);
    // None: the layout's location; Some(None): 'Z' (UTC); Some(Some(off)).
    let mut zone: Option<Option<i32>> = None;
    for el in els {
        match *el {
            Lit(c) => {
                if v.first() != Some(&c) {
                    return None;
                }
                v = &v[1..];
            }
            Year => {
                let p = v.get(..4)?;
                if !p.iter().all(u8::is_ascii_digit) {
                    return None;
                }
                year = std::str::from_utf8(p).ok()?.parse().ok()?;
                v = &v[4..];
            }
            Month => {
                let (m, rest) = getnum(v, true)?;
                if !(1..=12).contains(&m) {
                    return None;
                }
                month = m;
                v = rest;
            }
            Day => {
                let (d, rest) = getnum(v, true)?;
                day = d;
                v = rest;
            }
            Hour => {
                let (h, rest) = getnum(v, false)?;
                if h >= 24 {
                    return None;
                }
                hour = h;
                v = rest;
            }
            Minute => {
                let (m, rest) = getnum(v, true)?;
                if m >= 60 {
                    return None;
                }
                min = m;
                v = rest;
            }
            Second => {
                let (s, rest) = getnum(v, true)?;
                if s >= 60 {
                    return None;
                }
                sec = s;
                v = rest;
            }
            Frac => {
                // ".999999999": optional; any number of digits.
                if v.len() >= 2 && (v[0] == b'.' || v[0] == b',') && v[1].is_ascii_digit() {
                    let n = 1 + v[1..].iter().take_while(|c| c.is_ascii_digit()).count();
                    let digits = &v[1..n.min(10)];
                    let mut ns: i64 = 0;
                    for d in digits {
                        ns = ns * 10 + i64::from(d - b'0');
                    }
                    for _ in digits.len()..9 {
                        ns *= 10;
                    }
                    nanos = ns;
                    v = &v[n..];
                }
            }
            Zone => {
                if v.first() == Some(&b'Z') {
                    v = &v[1..];
                    zone = Some(None);
                } else {
                    if v.len() < 6 || v[3] != b':' {
                        return None;
                    }
                    let (hr, _) = getnum(&v[1..3], true)?;
                    let (mm, _) = getnum(&v[4..6], true)?;
                    if hr > 24 || mm > 60 {
                        return None;
                    }
                    let mut off = ((hr * 60 + mm) * 60) as i32;
                    match v[0] {
                        b'+' => {}
                        b'-' => off = -off,
                        _ => return None,
                    }
                    zone = Some(Some(off));
                    v = &v[6..];
                }
            }
        }
    }
    if !v.is_empty() || day < 1 || day > days_in(month, year) {
        return None;
    }
    let wall =
        days_from_civil(year, month, day) * 86_400 + i64::from(hour) * 3600 + i64::from(min) * 60 + i64::from(sec);
    let (secs, zone, offset) = match zone {
        None => (wall, loc.to_string(), 0),
        Some(None) => (wall, "UTC".to_string(), 0),
        // Local (UTC) when the offset matches it, else an unnamed zone.
        Some(Some(0)) => (wall, "UTC".to_string(), 0),
        Some(Some(off)) => (wall - i64::from(off), String::new(), off),
    };
    let loc = if offset == 0 && zone == "UTC" { Loc::Utc } else { Loc::Fixed };
    Some(Time { secs, nanos, zone, offset, mono: None, loc })
}

/// Go's time.Parse accepts numbers without their leading zero; the
/// separators then sit elsewhere than in the layout.
fn missing_leading_zero(d: &str, l: &str) -> bool {
    let d = d.as_bytes();
    for (i, c) in l.bytes().enumerate() {
        if c == b'.' || c == b'Z' {
            return false;
        }
        if !c.is_ascii_digit() && d.get(i) != Some(&c) {
            return true;
        }
    }
    false
}

/// Parses a (already `z`/`t`/space-normalised) TOML datetime; `None` is
/// BurntSushi's `invalid datetime` error.
pub(crate) fn parse(value: &str) -> Option<Time> {
    for (layout, els, loc) in LAYOUTS {
        if let Some(t) = parse_layout(els, value, loc) {
            if missing_leading_zero(value, layout) {
                return None;
            }
            return Some(t);
        }
    }
    None
}
