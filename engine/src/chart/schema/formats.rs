//! Format assertions (format.go): email, hostname, ipv4/ipv6 (netip's
//! texts), uuid, date, time, date-time, uri/iri, uri-reference (net/url's
//! texts) and regex (Go regexp's error texts).

use super::*;
use crate::error::{go_err, Error};

/// The library's format checkers (format.go) for the common formats. None
/// when the format is unknown (not asserted) or the value is not a string.
pub(super) fn check_format(name: &str, v: &Value) -> Option<Result<(), Error>> {
    let Value::String(s) = v else { return None };
    let s: &str = s;
    Some(match name {
        "email" => validate_email(s),
        "hostname" => validate_hostname(s),
        "ipv4" => validate_ipv4(s),
        "ipv6" => validate_ipv6(s),
        "uuid" => validate_uuid(s),
        "date" => validate_date(s),
        "time" => validate_time(s),
        "date-time" => validate_date_time(s),
        "uri" | "iri" => validate_uri(s),
        "uri-reference" => validate_uri_reference(s),
        "regex" => match go_regexp_error(s) {
            Some(e) => Err(Error::go(e)),
            None => Ok(()),
        },
        _ => return None,
    })
}

/// The first error Go's regexp/syntax parser reports for `p` (its common
/// cases), as `regexp.Compile` words it; None when Go accepts it.
pub(super) fn go_regexp_error(p: &str) -> Option<String> {
    let err = |code: &str, expr: &str| Some(format!("error parsing regexp: {code}: `{expr}`"));
    let c: Vec<char> = p.chars().collect();
    let mut i = 0;
    let mut depth = 0usize;
    // What the previous token was: None (start, after `(` or `|`), an
    // operand, or a repetition (its text, and whether `?` may follow).
    enum Last {
        Start,
        Operand,
        Repeat(String, bool),
    }
    let mut last = Last::Start;
    let text = |a: usize, b: usize| c[a..b.min(c.len())].iter().collect::<String>();
    while i < c.len() {
        match c[i] {
            '(' => {
                if c.get(i + 1) == Some(&'?') {
                    let named = if c.get(i + 2) == Some(&'P') && c.get(i + 3) == Some(&'<') {
                        Some(i + 4)
                    } else if c.get(i + 2) == Some(&'<') {
                        Some(i + 3)
                    } else {
                        None
                    };
                    if let Some(begin) = named {
                        let Some(end) = (begin..c.len()).find(|&k| c[k] == '>') else {
                            return err("invalid named capture", &text(i, c.len()));
                        };
                        let name = text(begin, end);
                        if name.is_empty() || !name.chars().all(|x| x.is_alphanumeric() || x == '_') {
                            // Go's expression is the capture text `(?<name>`.
                            return err("invalid named capture", &text(i, end + 1));
                        }
                        depth += 1;
                        i = end + 1;
                        last = Last::Start;
                        continue;
                    }
                    let mut k = i + 2;
                    loop {
                        match c.get(k) {
                            Some('i' | 'm' | 's' | 'U' | '-') => k += 1,
                            Some(':') => {
                                depth += 1;
                                last = Last::Start;
                                break;
                            }
                            Some(')') => {
                                last = Last::Start;
                                break;
                            }
                            Some(_) => return err("invalid or unsupported Perl syntax", &text(i, k + 1)),
                            None => return err("missing closing )", p),
                        }
                    }
                    i = k + 1;
                    continue;
                }
                depth += 1;
                last = Last::Start;
            }
            ')' => {
                if depth == 0 {
                    return err("unexpected )", p);
                }
                depth -= 1;
                last = Last::Operand;
            }
            '|' => last = Last::Start,
            '*' | '+' | '?' => {
                let op = c[i];
                match &mut last {
                    Last::Start => return err("missing argument to repetition operator", &op.to_string()),
                    Last::Repeat(t, lazy_ok) => {
                        if op == '?' && *lazy_ok {
                            t.push('?');
                            *lazy_ok = false;
                        } else {
                            return err("invalid nested repetition operator", &format!("{t}{op}"));
                        }
                    }
                    Last::Operand => last = Last::Repeat(op.to_string(), true),
                }
            }
            '{' => {
                // {n}, {n,}, {n,m}; anything else is a literal brace.
                let close = (i + 1..c.len()).find(|&k| c[k] == '}');
                let body = close.map(|e| text(i + 1, e));
                let parsed = body.as_deref().and_then(|b| {
                    let (lo, hi) = match b.split_once(',') {
                        Some((l, h)) => (l, Some(h)),
                        None => (b, None),
                    };
                    let num = |x: &str| {
                        (!x.is_empty() && x.chars().all(|d| d.is_ascii_digit()))
                            .then(|| x.parse::<u64>().unwrap_or(u64::MAX))
                    };
                    let lo = num(lo)?;
                    let hi = match hi {
                        None => Some(lo),
                        Some("") => None,
                        Some(h) => Some(num(h)?),
                    };
                    Some((lo, hi))
                });
                if let (Some((lo, hi)), Some(e)) = (parsed, close) {
                    let op = text(i, e + 1);
                    match &last {
                        Last::Start => return err("missing argument to repetition operator", &op),
                        Last::Repeat(t, _) => return err("invalid nested repetition operator", &format!("{t}{op}")),
                        Last::Operand => {}
                    }
                    if lo > 1000 || hi.is_some_and(|h| h > 1000 || h < lo) {
                        return err("invalid repeat count", &op);
                    }
                    last = Last::Repeat(op, true);
                    i = e + 1;
                    continue;
                }
                last = Last::Operand;
            }
            '[' => {
                let start = i;
                let mut k = i + 1;
                if c.get(k) == Some(&'^') {
                    k += 1;
                }
                let mut first = true;
                loop {
                    let Some(&ch) = c.get(k) else {
                        return err("missing closing ]", &text(start, c.len()));
                    };
                    if ch == ']' && !first {
                        break;
                    }
                    first = false;
                    if ch == '[' && c.get(k + 1) == Some(&':') {
                        if let Some(e) = (k + 2..c.len().saturating_sub(1)).find(|&q| c[q] == ':' && c[q + 1] == ']') {
                            k = e + 2;
                            continue;
                        }
                    }
                    let (lo, next) = if ch == '\\' {
                        match c.get(k + 1) {
                            None => return err("trailing backslash at end of expression", ""),
                            Some(e)
                                if e.is_ascii_digit() && *e != '0'
                                    || (e.is_ascii_alphabetic() && !"afnrtvxdDsSwWpP".contains(*e)) =>
                            {
                                return err("invalid escape sequence", &text(k, k + 2))
                            }
                            Some(e) => (Some(*e).filter(|_| !"dDsSwWpP".contains(*e)), k + 2),
                        }
                    } else {
                        (Some(ch), k + 1)
                    };
                    k = next;
                    // a range lo-hi
                    if let (Some(lo), Some('-'), Some(&hi)) = (lo, c.get(k), c.get(k + 1)) {
                        if hi != ']' && hi != '\\' {
                            if hi < lo {
                                return err("invalid character class range", &text(k - 1, k + 2));
                            }
                            k += 2;
                        }
                    }
                }
                i = k + 1;
                last = Last::Operand;
                continue;
            }
            '\\' => {
                let Some(&e) = c.get(i + 1) else {
                    return err("trailing backslash at end of expression", "");
                };
                if e == 'Q' {
                    let rest = text(i + 2, c.len());
                    let skip = rest.find("\\E").map_or(rest.chars().count(), |b| rest[..b].chars().count() + 2);
                    i += 2 + skip;
                    last = Last::Operand;
                    continue;
                }
                let invalid =
                    (e.is_ascii_digit() && e != '0') || (e.is_ascii_alphabetic() && !"afnrtvxdDsSwWpPbBAz".contains(e));
                if invalid {
                    return err("invalid escape sequence", &text(i, i + 2));
                }
                last = if "bBAz".contains(e) { Last::Start } else { Last::Operand };
                i += 2;
                continue;
            }
            '^' | '$' => last = Last::Start,
            _ => last = Last::Operand,
        }
        i += 1;
    }
    if depth > 0 {
        return err("missing closing )", p);
    }
    None
}

pub(super) fn go_q_rune(c: char) -> String {
    // Go's %q of a rune
    let q = strconv::quote(&c.to_string());
    format!("'{}'", &q[1..q.len() - 1].replace('\'', "\\'"))
}

pub(super) fn validate_ipv4(s: &str) -> Result<(), Error> {
    let groups: Vec<&str> = s.split('.').collect();
    if groups.len() != 4 {
        return Err("expected four decimals".into());
    }
    for g in groups {
        if g.len() > 1 && g.starts_with('0') {
            return Err("leading zeros".into());
        }
        let n: i64 = g.parse().map_err(|_| format!("strconv.Atoi: parsing {}: invalid syntax", strconv::quote(g)))?;
        if !(0..=255).contains(&n) {
            return Err("decimal must be between 0 and 255".into());
        }
    }
    Ok(())
}

pub(super) fn validate_ipv6(s: &str) -> Result<(), Error> {
    if !s.contains(':') {
        return Err("missing colon".into());
    }
    let zone = go_parse_addr(s)?;
    if !zone.is_empty() {
        return Err("zone id is not a part of ipv6 address".into());
    }
    Ok(())
}

/// Go's `netip.ParseAddr` with its error texts; Ok gives the IPv6 zone
/// (empty for none or IPv4).
pub(super) fn go_parse_addr(input: &str) -> Result<String, Error> {
    let err = |msg: &str, at: Option<&str>| -> String {
        match at {
            Some(a) if !a.is_empty() => {
                format!("ParseAddr({}): {msg} (at {})", strconv::quote(input), strconv::quote(a))
            }
            _ => format!("ParseAddr({}): {msg}", strconv::quote(input)),
        }
    };
    match input.bytes().find(|c| matches!(c, b'.' | b':' | b'%')) {
        Some(b'.') => return ipv4_fields(input, input, &err).map(|_| String::new()),
        Some(b':') => {}
        Some(_) => return Err(Error::go(err("missing IPv6 address", None))),
        None => return Err(Error::go(err("unable to parse IP", None))),
    }
    let (mut s, zone) = match input.split_once('%') {
        Some((_, "")) => return Err(Error::go(err("zone must be a non-empty string", None))),
        Some((a, z)) => (a, z),
        None => (input, ""),
    };
    let mut ellipsis = false;
    if let Some(r) = s.strip_prefix("::") {
        ellipsis = true;
        s = r;
        if s.is_empty() {
            return Ok(zone.to_string());
        }
    }
    let mut i = 0;
    while i < 16 {
        let b = s.as_bytes();
        let mut off = 0;
        let mut acc: u32 = 0;
        while off < b.len() {
            let Some(d) = (b[off] as char).to_digit(16) else { break };
            acc = (acc << 4) + d;
            if off > 3 {
                return Err(Error::go(err("each group must have 4 or less digits", Some(s))));
            }
            if acc > 0xffff {
                return Err(Error::go(err("IPv6 field has value >=2^16", Some(s))));
            }
            off += 1;
        }
        if off == 0 {
            return Err(Error::go(err("each colon-separated field must have at least one digit", Some(s))));
        }
        if b.get(off) == Some(&b'.') {
            if !ellipsis && i != 12 {
                return Err(Error::go(err(
                    "embedded IPv4 address must replace the final 2 fields of the address",
                    Some(s),
                )));
            }
            if i + 4 > 16 {
                return Err(Error::go(err(
                    "too many hex fields to fit an embedded IPv4 at the end of the address",
                    Some(s),
                )));
            }
            ipv4_fields(input, s, &err)?;
            s = "";
            i += 4;
            break;
        }
        i += 2;
        s = &s[off..];
        if s.is_empty() {
            break;
        }
        if !s.starts_with(':') {
            return Err(Error::go(err("unexpected character, want colon", Some(s))));
        } else if s.len() == 1 {
            return Err(Error::go(err("colon must be followed by more characters", Some(s))));
        }
        s = &s[1..];
        if s.starts_with(':') {
            if ellipsis {
                return Err(Error::go(err("multiple :: in address", Some(s))));
            }
            ellipsis = true;
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return Err(Error::go(err("trailing garbage after address", Some(s))));
    }
    if i < 16 && !ellipsis {
        return Err(Error::go(err("address string too short", None)));
    }
    if i >= 16 && ellipsis {
        return Err(Error::go(err("the :: must expand to at least one field of zeros", None)));
    }
    Ok(zone.to_string())
}

/// netip's `parseIPv4Fields` on `s` (a suffix of the whole input `input`).
pub(super) fn ipv4_fields(input: &str, s: &str, err: &dyn Fn(&str, Option<&str>) -> String) -> Result<(), Error> {
    // The embedded IPv4 runs to the zone, if any.
    let s = if input.len() != s.len() { s.split('%').next().unwrap_or(s) } else { s };
    let b = s.as_bytes();
    let (mut val, mut pos, mut dig) = (0u32, 0, 0);
    for i in 0..b.len() {
        match b[i] {
            c @ b'0'..=b'9' => {
                if dig == 1 && val == 0 {
                    return Err(Error::go(err("IPv4 field has octet with leading zero", None)));
                }
                val = val * 10 + u32::from(c - b'0');
                dig += 1;
                if val > 255 {
                    return Err(Error::go(err("IPv4 field has value >255", None)));
                }
            }
            b'.' => {
                if i == 0 || i == b.len() - 1 || b[i - 1] == b'.' {
                    return Err(Error::go(err("IPv4 field must have at least one digit", Some(&s[i..]))));
                }
                if pos == 3 {
                    return Err(Error::go(err("IPv4 address too long", None)));
                }
                pos += 1;
                val = 0;
                dig = 0;
            }
            _ => return Err(Error::go(err("unexpected character", Some(&s[i..])))),
        }
    }
    if pos < 3 {
        return Err(Error::go(err("IPv4 address too short", None)));
    }
    Ok(())
}

/// What jsonschema's `parseURL` needs of Go's `url.Parse`: the scheme and
/// host, or the error text (`parse "x": first path segment in URL cannot
/// contain colon`…).
pub(super) fn go_url_parse(raw: &str) -> Result<(String, String), Error> {
    let (u, frag) = match raw.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (raw, None),
    };
    let wrap = |url: &str, e: Error| e.wrap(&format!("parse {}: ", strconv::quote(url)));
    let parsed = go_url_parse_main(u).map_err(|e| wrap(u, e))?;
    if let Some(f) = frag {
        go_unescape(f, false).map_err(|e| wrap(raw, e))?;
    }
    Ok(parsed)
}

/// Go's `url.unescape` checks: `%` needs two hex digits; in a host, only
/// characters Go does not escape there.
pub(super) fn go_unescape(s: &str, host: bool) -> Result<(), Error> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if i + 2 >= b.len() || !b[i + 1].is_ascii_hexdigit() || !b[i + 2].is_ascii_hexdigit() {
                let end = (i + 3).min(b.len());
                return Err(go_err!("invalid URL escape {}", strconv::quote(&String::from_utf8_lossy(&b[i..end]))));
            }
            if host && (b[i + 1] as char).to_digit(16).is_some_and(|d| d < 8) && &b[i..i + 3] != b"%25" {
                return Err(go_err!("invalid URL escape {}", strconv::quote(&String::from_utf8_lossy(&b[i..i + 3]))));
            }
            i += 3;
            continue;
        }
        let c = b[i];
        let host_ok = c.is_ascii_alphanumeric() || b"!$&'()*+,;=:[]<>\"-_.~".contains(&c);
        if host && c < 0x80 && !host_ok {
            return Err(go_err!("invalid character {} in host name", strconv::quote(&(c as char).to_string())));
        }
        i += 1;
    }
    Ok(())
}

pub(super) fn go_url_parse_main(raw: &str) -> Result<(String, String), Error> {
    if raw.bytes().any(|c| c < b' ' || c == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    if raw == "*" {
        return Ok((String::new(), String::new()));
    }
    // getScheme
    let mut scheme = "";
    let mut rest = raw;
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return Err("missing protocol scheme".into()),
            b':' => {
                scheme = &raw[..i];
                rest = &raw[i + 1..];
                break;
            }
            _ => break,
        }
    }
    let rest = match rest.strip_suffix('?') {
        Some(r) if rest.matches('?').count() == 1 => r,
        _ => rest.split_once('?').map_or(rest, |(r, _)| r),
    };
    if !rest.starts_with('/') {
        if !scheme.is_empty() {
            // A rootless path is opaque.
            return Ok((scheme.to_ascii_lowercase(), String::new()));
        }
        if rest.split('/').next().is_some_and(|seg| seg.contains(':')) {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    let mut host = String::new();
    let mut path = rest;
    if (!scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let auth_rest = &rest[2..];
        let (authority, p) = match auth_rest.find('/') {
            Some(i) => (&auth_rest[..i], &auth_rest[i..]),
            None => (auth_rest, ""),
        };
        path = p;
        let (userinfo, h) = match authority.rfind('@') {
            Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
            None => (None, authority),
        };
        let valid_port =
            |p: &str| p.is_empty() || p.strip_prefix(':').is_some_and(|d| d.bytes().all(|c| c.is_ascii_digit()));
        if h.starts_with('[') {
            let Some(i) = h.rfind(']') else { return Err("missing ']' in host".into()) };
            if !valid_port(&h[i + 1..]) {
                return Err(go_err!("invalid port {} after host", strconv::quote(&h[i + 1..])));
            }
            // The IP literal must parse (zones, `%25…`, are left alone here).
            let lit = &h[1..i];
            if !lit.contains("%25") {
                go_parse_addr(lit).map_err(|e| format!("invalid host: {e}"))?;
            }
        } else if let Some(i) = h.find(':') {
            // Go ≥ 1.23 takes the port from the first colon.
            if !valid_port(&h[i..]) {
                return Err(go_err!("invalid port {} after host", strconv::quote(&h[i..])));
            }
        }
        go_unescape(h, true)?;
        if let Some(ui) = userinfo {
            if !ui.bytes().all(|c| c.is_ascii_alphanumeric() || b"-._:~!$&'()*+,;=%@".contains(&c)) {
                return Err("net/url: invalid userinfo".into());
            }
            go_unescape(ui, false)?;
        }
        host = h.to_string();
    }
    go_unescape(path, false)?;
    Ok((scheme.to_ascii_lowercase(), host))
}

/// jsonschema's `parseURL`: url.Parse, plus a check of IPv6 hosts.
pub(super) fn parse_url_checked(s: &str) -> Result<(String, String), Error> {
    let (scheme, host) = go_url_parse(s)?;
    // u.Hostname(): brackets and port removed.
    let hostname = match host.strip_prefix('[') {
        Some(h) => h.split(']').next().unwrap_or("").to_string(),
        None => host.rsplit_once(':').map_or(host.clone(), |(h, _)| h.to_string()),
    };
    if hostname.contains(':') {
        if !host.contains('[') || !host.contains(']') {
            return Err("ipv6 address not enclosed in brackets".into());
        }
        validate_ipv6(&hostname).map_err(|e| format!("invalid ipv6 address: {e}"))?;
    }
    Ok((scheme, host))
}

pub(super) fn validate_uri(s: &str) -> Result<(), Error> {
    let (scheme, _) = parse_url_checked(s)?;
    if scheme.is_empty() {
        return Err("relative url".into());
    }
    Ok(())
}

pub(super) fn validate_uri_reference(s: &str) -> Result<(), Error> {
    if s.contains('\\') {
        return Err("contains \\".into());
    }
    parse_url_checked(s).map(|_| ())
}

pub(super) fn validate_hostname(s: &str) -> Result<(), Error> {
    let s = s.strip_suffix('.').unwrap_or(s);
    if s.len() > 253 {
        return Err("more than 253 characters long".into());
    }
    for label in s.split('.') {
        if label.is_empty() || label.len() > 63 {
            return Err("label must be 1 to 63 characters long".into());
        }
        if label.starts_with('-') {
            return Err("label starts with hyphen".into());
        }
        if label.ends_with('-') {
            return Err("label ends with hyphen".into());
        }
        if let Some(c) = label.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-')) {
            return Err(go_err!("invalid character {}", go_q_rune(c)));
        }
    }
    Ok(())
}

pub(super) fn validate_email(s: &str) -> Result<(), Error> {
    if s.len() > 254 {
        return Err("more than 255 characters long".into());
    }
    let Some(at) = s.rfind('@') else { return Err("missing @".into()) };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    if local.len() > 64 {
        return Err("local part more than 64 characters long".into());
    }
    if local.len() > 1 && local.starts_with('"') {
        let inner = &local.as_bytes()[1..local.len() - 1];
        if inner.contains(&b'\\') || inner.contains(&b'"') {
            return Err("backslash and quote are not allowed within quoted local part".into());
        }
    } else {
        if local.starts_with('.') {
            return Err("starts with dot".into());
        }
        if local.ends_with('.') {
            return Err("ends with dot".into());
        }
        if local.contains("..") {
            return Err("consecutive dots".into());
        }
        if let Some(c) = local.chars().find(|c| !(c.is_ascii_alphanumeric() || ".!#$%&'*+-/=?^_`{|}~".contains(*c))) {
            return Err(go_err!("invalid character {}", go_q_rune(c)));
        }
    }
    if domain.starts_with('[') && domain.ends_with(']') && domain.len() >= 2 {
        let d = &domain[1..domain.len() - 1];
        if let Some(rem) = d.strip_prefix("IPv6:") {
            return validate_ipv6(rem).map_err(|e| e.wrap("invalid ipv6 address: "));
        }
        return validate_ipv4(d).map_err(|e| e.wrap("invalid ipv4 address: "));
    }
    validate_hostname(domain).map_err(|e| e.wrap("invalid domain: "))
}

pub(super) fn validate_uuid(s: &str) -> Result<(), Error> {
    let lens = [8, 4, 4, 4, 12];
    let groups: Vec<&str> = s.split('-').collect();
    if groups.len() != lens.len() {
        return Err(go_err!("must have {} elements", lens.len()));
    }
    for (i, g) in groups.iter().enumerate() {
        if g.len() != lens[i] {
            return Err(go_err!("element {} must be {} characters long", i + 1, lens[i]));
        }
        if let Some(c) = g.chars().find(|c| !c.is_ascii_hexdigit()) {
            return Err(go_err!("non-hex character {}", go_q_rune(c)));
        }
    }
    Ok(())
}

/// `time.Parse("2006-01-02", s)` acceptance, with Go's error texts for the
/// usual mistakes.
pub(super) fn validate_date(s: &str) -> Result<(), Error> {
    let q = strconv::quote(s);
    let err = |elem: &str, value: &str| {
        Err(go_err!(
            "parsing time {q} as \"2006-01-02\": cannot parse {} as {}",
            strconv::quote(value),
            strconv::quote(elem)
        ))
    };
    let b = s.as_bytes();
    let digits = |from: usize, n: usize| b.len() >= from + n && b[from..from + n].iter().all(u8::is_ascii_digit);
    if !digits(0, 4) {
        return err("2006", s);
    }
    if b.get(4) != Some(&b'-') {
        return err("-", &s[4..]);
    }
    if !digits(5, 2) {
        return err("01", &s[5..]);
    }
    if b.get(7) != Some(&b'-') {
        return err("-", &s[7..]);
    }
    if !digits(8, 2) {
        return err("02", &s[8..]);
    }
    if b.len() > 10 {
        return Err(go_err!("parsing time {q}: extra text: {}", strconv::quote(&s[10..])));
    }
    let y: i32 = s[0..4].parse().unwrap_or(0);
    let mo: u32 = s[5..7].parse().unwrap_or(0);
    let d: u32 = s[8..10].parse().unwrap_or(0);
    if !(1..=12).contains(&mo) {
        return Err(go_err!("parsing time {q}: month out of range"));
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if d < 1 || d > days[(mo - 1) as usize] {
        return Err(go_err!("parsing time {q}: day out of range"));
    }
    Ok(())
}

pub(super) fn validate_time(s: &str) -> Result<(), Error> {
    let b = s.as_bytes();
    if b.len() < 9 {
        return Err("less than 9 characters long".into());
    }
    if b[2] != b':' || b[5] != b':' {
        return Err("missing colon in correct place".into());
    }
    if !s.is_char_boundary(8) {
        return Err("invalid hour/min/sec".into());
    }
    let mut hms = Vec::new();
    for tok in s[..8].splitn(3, ':') {
        let i: i64 = tok.parse().map_err(|_| "invalid hour/min/sec".to_string())?;
        if i < 0 {
            return Err("non-positive hour/min/sec".into());
        }
        hms.push(i);
    }
    if hms.len() != 3 {
        return Err("missing hour/min/sec".into());
    }
    let (mut h, mut mi, sec) = (hms[0], hms[1], hms[2]);
    if h > 23 || mi > 59 || sec > 60 {
        return Err("hour/min/sec out of range".into());
    }
    let mut rest = &s[8..];
    if let Some(r) = rest.strip_prefix('.') {
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return Err("no digits in second fraction".into());
        }
        rest = &r[n..];
    }
    if rest != "z" && rest != "Z" {
        if rest.len() != 6 {
            return Err("offset must be 6 characters long".into());
        }
        let sign = match rest.as_bytes()[0] {
            b'+' => -1,
            b'-' => 1,
            _ => return Err("offset must begin with plus/minus".into()),
        };
        let r = &rest[1..];
        if r.as_bytes()[2] != b':' {
            return Err("missing colon in offset in correct place".into());
        }
        let mut zhm = Vec::new();
        for tok in r.splitn(2, ':') {
            let i: i64 = tok.parse().map_err(|_| "invalid hour/min in offset".to_string())?;
            if i < 0 {
                return Err("non-positive hour/min in offset".into());
            }
            zhm.push(i);
        }
        let (zh, zm) = (zhm[0], zhm.get(1).copied().unwrap_or(0));
        if zh > 23 || zm > 59 {
            return Err("hour/min in offset out of range".into());
        }
        let mut hm = (h * 60 + mi) + sign * (zh * 60 + zm);
        if hm < 0 {
            hm += 24 * 60;
        }
        h = hm / 60;
        mi = hm % 60;
    }
    if sec >= 60 && (h != 23 || mi != 59) {
        return Err("invalid leap second".into());
    }
    Ok(())
}

pub(super) fn validate_date_time(s: &str) -> Result<(), Error> {
    if s.len() < 20 {
        return Err("less than 20 characters long".into());
    }
    let b = s.as_bytes();
    if b[10] != b't' && b[10] != b'T' {
        return Err("11th character must be t or T".into());
    }
    if !s.is_char_boundary(10) || !s.is_char_boundary(11) {
        return Err("invalid date element".into());
    }
    validate_date(&s[..10]).map_err(|e| format!("invalid date element: {e}"))?;
    validate_time(&s[11..]).map_err(|e| format!("invalid time element: {e}"))?;
    Ok(())
}
