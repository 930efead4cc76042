//! Sprig's url.go (`urlParse`, `urlJoin`) on a port of the parts of Go's
//! `net/url` they use: `Parse`, `URL.String`, `Hostname`, userinfo, and the
//! RFC 3986 escaping rules per URL component.

use crate::error::{go_err, Error};
use crate::gofmt::strconv::quote;
use crate::template::{FuncMap, Ty};
use crate::value::{Map, Value};

use super::{arg, arg_str, NIL_DEREF};

pub fn register(m: &mut FuncMap) {
    m.add("urlParse", &[Ty::String], None, |_, a| {
        let u = parse(&arg_str(&a, 0)).map_err(|e| format!("unable to parse url: {e}"))?;
        let mut d = Map::new();
        d.insert("scheme".into(), Value::string(u.scheme.clone()));
        d.insert("host".into(), Value::string(u.host.clone()));
        d.insert("hostname".into(), Value::string(u.hostname()));
        d.insert("path".into(), Value::string(u.path.clone()));
        d.insert("query".into(), Value::string(u.raw_query.clone()));
        d.insert("opaque".into(), Value::string(u.opaque.clone()));
        d.insert("fragment".into(), Value::string(u.fragment.clone()));
        d.insert("userinfo".into(), Value::string(u.user.as_ref().map(User::string).unwrap_or_default()));
        Ok(Value::map(d))
    });
    m.add("urlJoin", &[Ty::Map], None, |_, a| {
        let d = arg(&a, 0);
        let get = |k: &str| -> Result<String, Error> {
            match d.get(k) {
                None => Ok(String::new()),
                Some(Value::String(s)) => Ok(s.to_string()),
                Some(Value::Nil) => Err(NIL_DEREF.into()),
                Some(v) => Err(go_err!("unable to parse {k} key, must be of type string, but {} found", v.kind_name())),
            }
        };
        let mut u = Url {
            scheme: get("scheme")?,
            host: get("host")?,
            path: get("path")?,
            raw_query: get("query")?,
            opaque: get("opaque")?,
            fragment: get("fragment")?,
            ..Url::default()
        };
        let userinfo = get("userinfo")?;
        if !userinfo.is_empty() {
            let t = parse(&format!("proto://{userinfo}@host"))
                .map_err(|e| format!("unable to parse userinfo in dict: {e}"))?;
            u.user = t.user;
        }
        Ok(Value::string(u.string()))
    });
}

#[derive(Clone, Debug, Default)]
pub struct User {
    username: String,
    password: Option<String>,
}

impl User {
    fn string(&self) -> String {
        let mut s = escape(&self.username, Mode::UserPassword);
        if let Some(p) = &self.password {
            s.push(':');
            s.push_str(&escape(p, Mode::UserPassword));
        }
        s
    }
}

#[derive(Clone, Debug, Default)]
pub struct Url {
    pub scheme: String,
    pub opaque: String,
    pub user: Option<User>,
    pub host: String,
    pub path: String,
    pub omit_host: bool,
    pub force_query: bool,
    pub raw_query: String,
    pub fragment: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Path,
    Host,
    UserPassword,
    Fragment,
}

fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if matches!(mode, Mode::Host)
        && matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'"'
        )
    {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => return false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => {
            return match mode {
                Mode::Path => c == b'?',
                Mode::UserPassword => matches!(c, b'@' | b'/' | b'?' | b':'),
                Mode::Fragment => false,
                Mode::Host => true,
            };
        }
        _ => {}
    }
    if mode == Mode::Fragment && matches!(c, b'!' | b'(' | b')' | b'*') {
        return false;
    }
    true
}

fn escape(s: &str, mode: Mode) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in s.as_bytes() {
        if should_escape(c, mode) {
            out.push_str(&format!("%{c:02X}"));
        } else {
            out.push(char::from(c));
        }
    }
    out
}

fn unhex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

/// Go's `unescape` (no query-component mode needed here).
fn unescape(s: &str, mode: Mode) -> Result<String, Error> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                if i + 2 >= b.len() || !b[i + 1].is_ascii_hexdigit() || !b[i + 2].is_ascii_hexdigit() {
                    let end = (i + 3).min(b.len());
                    return Err(go_err!("invalid URL escape {}", quote(&String::from_utf8_lossy(&b[i..end]))));
                }
                if mode == Mode::Host && unhex(b[i + 1]) < 8 && &s[i..i + 3] != "%25" {
                    return Err(go_err!("invalid URL escape {}", quote(&s[i..i + 3])));
                }
                i += 3;
            }
            c => {
                if matches!(mode, Mode::Host) && c < 0x80 && should_escape(c, mode) {
                    return Err(go_err!("invalid character {} in host name", quote(&s[i..i + 1])));
                }
                i += 1;
            }
        }
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push((unhex(b[i + 1]) << 4) | unhex(b[i + 2]));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    // url.unescape gives a Go string: escaped bytes need not be UTF-8.
    Ok(crate::gostring::from_bytes(&out))
}

fn get_scheme(raw: &str) -> Result<(String, &str), Error> {
    for (i, c) in raw.bytes().enumerate() {
        if c.is_ascii_alphabetic() {
            continue;
        }
        if c.is_ascii_digit() || matches!(c, b'+' | b'-' | b'.') {
            if i == 0 {
                return Ok((String::new(), raw));
            }
            continue;
        }
        if c == b':' {
            if i == 0 {
                return Err("missing protocol scheme".into());
            }
            return Ok((raw[..i].to_string(), &raw[i + 1..]));
        }
        return Ok((String::new(), raw));
    }
    Ok((String::new(), raw))
}

fn valid_optional_port(port: &str) -> bool {
    if port.is_empty() {
        return true;
    }
    match port.strip_prefix(':') {
        Some(p) => p.bytes().all(|c| c.is_ascii_digit()),
        None => false,
    }
}

fn parse_host(host: &str) -> Result<String, Error> {
    if host.starts_with('[') {
        let Some(i) = host.rfind(']') else {
            return Err("missing ']' in host".into());
        };
        let colon_port = &host[i + 1..];
        if !valid_optional_port(colon_port) {
            return Err(go_err!("invalid port {} after host", quote(colon_port)));
        }
        return Ok(host.to_string());
    } else if let Some(i) = host.rfind(':') {
        let colon_port = &host[i..];
        if !valid_optional_port(colon_port) {
            return Err(go_err!("invalid port {} after host", quote(colon_port)));
        }
    }
    unescape(host, Mode::Host)
}

fn valid_userinfo(s: &str) -> bool {
    s.bytes().all(|c| c.is_ascii_alphanumeric() || b"-._:~!$&'()*+,;=%@".contains(&c))
}

fn parse_authority(authority: &str) -> Result<(Option<User>, String), Error> {
    let i = authority.rfind('@');
    let host = parse_host(match i {
        Some(i) => &authority[i + 1..],
        None => authority,
    })?;
    let Some(i) = i else { return Ok((None, host)) };
    let userinfo = &authority[..i];
    if !valid_userinfo(userinfo) {
        return Err("net/url: invalid userinfo".into());
    }
    let user = match userinfo.split_once(':') {
        None => User { username: unescape(userinfo, Mode::UserPassword)?, password: None },
        Some((u, p)) => {
            User { username: unescape(u, Mode::UserPassword)?, password: Some(unescape(p, Mode::UserPassword)?) }
        }
    };
    Ok((Some(user), host))
}

/// Go's `url.Parse`, errors as `parse "URL": reason`.
pub fn parse(raw: &str) -> Result<Url, Error> {
    let (u, frag) = match raw.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (raw, None),
    };
    let mut url = parse_url(u, false).map_err(|e| format!("parse {}: {e}", quote(u)))?;
    if let Some(f) = frag {
        if !f.is_empty() {
            url.fragment = unescape(f, Mode::Fragment).map_err(|e| format!("parse {}: {e}", quote(raw)))?;
        }
    }
    Ok(url)
}

/// Go's `url.ParseRequestURI` (url.parse with viaRequest): the whole
/// text is the URI (no fragment), an absolute URI or an absolute path.
/// Lint's govalidator.IsRequestURL asks it.
pub fn parse_request_uri(raw: &str) -> Result<Url, Error> {
    parse_url(raw, true)
}

/// Go's unexported `url.parse`: `via_request` for an HTTP request's URI (absolute URI
/// or absolute path only), else a URL reference without its fragment.
fn parse_url(raw: &str, via_request: bool) -> Result<Url, Error> {
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    if raw.is_empty() && via_request {
        return Err("empty url".into());
    }
    let mut url = Url::default();
    if raw == "*" {
        url.path = "*".into();
        return Ok(url);
    }
    let (scheme, rest) = get_scheme(raw)?;
    url.scheme = scheme.to_ascii_lowercase();
    let mut rest = rest.to_string();
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        url.force_query = true;
        rest.pop();
    } else if let Some((r, q)) = rest.clone().split_once('?') {
        rest = r.to_string();
        url.raw_query = q.to_string();
    }
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            url.opaque = rest;
            return Ok(url);
        }
        if via_request {
            return Err("invalid URI for request".into());
        }
        let segment = rest.split('/').next().unwrap_or("");
        if segment.contains(':') {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    if (!url.scheme.is_empty() || !via_request && !rest.starts_with("///")) && rest.starts_with("//") {
        let auth_and_rest = &rest[2..];
        let (authority, path) = match auth_and_rest.find('/') {
            Some(i) => (&auth_and_rest[..i], &auth_and_rest[i..]),
            None => (auth_and_rest, ""),
        };
        let (user, host) = parse_authority(authority)?;
        url.user = user;
        url.host = host;
        rest = path.to_string();
    } else if !url.scheme.is_empty() && rest.starts_with('/') {
        url.omit_host = true;
    }
    url.path = unescape(&rest, Mode::Path)?;
    Ok(url)
}

impl Url {
    /// `URL.EscapedPath()` (the port keeps no RawPath: always the
    /// escaping of `path`).
    pub(crate) fn escaped_path(&self) -> String {
        escape(&self.path, Mode::Path)
    }

    /// `URL.setPath`: `path` from its escaped form.
    pub fn set_path(&mut self, escaped: &str) -> Result<(), Error> {
        self.path = unescape(escaped, Mode::Path)?;
        Ok(())
    }

    /// `URL.Hostname()`.
    pub fn hostname(&self) -> String {
        let mut host = self.host.as_str();
        if let Some(c) = host.rfind(':') {
            if valid_optional_port(&host[c..]) {
                host = &host[..c];
            }
        }
        if host.starts_with('[') && host.ends_with(']') && host.len() >= 2 {
            host = &host[1..host.len() - 1];
        }
        host.to_string()
    }

    /// `URL.String()`.
    // Mirrors url.URL.String's conditions one for one.
    #[allow(clippy::nonminimal_bool)]
    pub fn string(&self) -> String {
        let mut buf = String::new();
        if !self.scheme.is_empty() {
            buf.push_str(&self.scheme);
            buf.push(':');
        }
        if !self.opaque.is_empty() {
            buf.push_str(&self.opaque);
        } else {
            if (!self.scheme.is_empty() || !self.host.is_empty() || self.user.is_some())
                && !(self.omit_host && self.host.is_empty() && self.user.is_none())
            {
                if !self.host.is_empty() || !self.path.is_empty() || self.user.is_some() {
                    buf.push_str("//");
                }
                if let Some(u) = &self.user {
                    buf.push_str(&u.string());
                    buf.push('@');
                }
                if !self.host.is_empty() {
                    buf.push_str(&escape(&self.host, Mode::Host));
                }
            }
            let path = if self.path == "*" { "*".to_string() } else { escape(&self.path, Mode::Path) };
            if !path.is_empty() && !path.starts_with('/') && !self.host.is_empty() {
                buf.push('/');
            }
            if buf.is_empty() && path.split('/').next().unwrap_or("").contains(':') {
                buf.push_str("./");
            }
            buf.push_str(&path);
        }
        if self.force_query || !self.raw_query.is_empty() {
            buf.push('?');
            buf.push_str(&self.raw_query);
        }
        if !self.fragment.is_empty() {
            buf.push('#');
            buf.push_str(&escape(&self.fragment, Mode::Fragment));
        }
        buf
    }
}
