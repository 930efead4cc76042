//! HTTP for `extism:host/env.http_request`: the allow-list rule (URL
//! hostname matched exactly or as a glob, empty list denies all — go-sdk's
//! rule) and the transport as a trait returning a future. The browser
//! implements it with `fetch()` (the guest is suspended meanwhile, see
//! host.rs); natively only [`MockHttp`] exists, whose futures are ready at
//! once.

use crate::error::{go_err, Error};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    pub url: String,
    pub method: String,
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

/// A response to come. `Err` is a transport failure (traps the guest, as
/// go-sdk's panic does). Dropping it abandons the request (the browser's
/// client aborts its fetch), e.g. when the plugin's deadline passes.
pub type HttpFuture = Pin<Box<dyn Future<Output = Result<HttpResponse, Error>>>>;

pub trait HttpClient {
    /// Starts an allowed request.
    fn fetch(&self, req: &HttpRequest) -> HttpFuture;
}

/// A future already answered (for clients that answer at once).
pub fn ready(r: Result<HttpResponse, Error>) -> HttpFuture {
    Box::pin(std::future::ready(r))
}

/// Canned responses keyed by `METHOD URL` or by URL alone.
#[derive(Debug, Clone, Default)]
pub struct MockHttp {
    pub responses: BTreeMap<String, HttpResponse>,
}

impl MockHttp {
    pub fn with(mut self, url: &str, status: u16, body: &[u8]) -> MockHttp {
        self.responses.insert(url.to_string(), HttpResponse { status, headers: BTreeMap::new(), body: body.to_vec() });
        self
    }
}

impl MockHttp {
    /// The canned answer for `req`.
    pub fn answer(&self, req: &HttpRequest) -> Result<HttpResponse, Error> {
        self.responses
            .get(&format!("{} {}", req.method, req.url))
            .or_else(|| self.responses.get(&req.url))
            .cloned()
            .ok_or_else(|| go_err!("Get {:?}: no mock response for this URL", req.url))
    }
}

impl HttpClient for MockHttp {
    fn fetch(&self, req: &HttpRequest) -> HttpFuture {
        ready(self.answer(req))
    }
}

/// The hostname of an absolute URL (lower-cased, no port, no userinfo).
pub fn hostname(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("://")?;
    let auth = rest.split(['/', '?', '#']).next().unwrap_or("");
    let auth = auth.rsplit_once('@').map(|(_, h)| h).unwrap_or(auth);
    let host = if let Some(v6) = auth.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        auth.split(':').next().unwrap_or("")
    };
    Some(host.to_ascii_lowercase())
}

/// gobwas/glob with no separators (as go-sdk compiles it): `*` any run,
/// `?` one char, `[abc]`/`[!a-z]` classes, `{a,b}` alternatives.
pub(crate) fn glob_match(pattern: &str, s: &str) -> bool {
    fn go(p: &[char], s: &[char], depth: usize) -> bool {
        if depth > 64 {
            return false;
        }
        let Some((&c, rest)) = p.split_first() else { return s.is_empty() };
        match c {
            '*' => (0..=s.len()).any(|i| go(rest, &s[i..], depth + 1)),
            '?' => !s.is_empty() && go(rest, &s[1..], depth + 1),
            '[' => {
                let Some(end) = rest.iter().position(|&x| x == ']') else {
                    return s.first() == Some(&'[') && go(rest, &s[1..], depth + 1);
                };
                let (class, after) = (&rest[..end], &rest[end + 1..]);
                let Some(&ch) = s.first() else { return false };
                let (neg, class) = match class.first() {
                    Some('!') => (true, &class[1..]),
                    _ => (false, class),
                };
                let mut hit = false;
                let mut i = 0;
                while i < class.len() {
                    if i + 2 < class.len() && class[i + 1] == '-' {
                        hit |= class[i] <= ch && ch <= class[i + 2];
                        i += 3;
                    } else {
                        hit |= class[i] == ch;
                        i += 1;
                    }
                }
                hit != neg && go(after, &s[1..], depth + 1)
            }
            '{' => {
                let Some(end) = rest.iter().position(|&x| x == '}') else {
                    return s.first() == Some(&'{') && go(rest, &s[1..], depth + 1);
                };
                let after = &rest[end + 1..];
                rest[..end].split(|&x| x == ',').any(|alt| {
                    let mut p2: Vec<char> = alt.to_vec();
                    p2.extend_from_slice(after);
                    go(&p2, s, depth + 1)
                })
            }
            '\\' if !rest.is_empty() => s.first() == rest.first() && go(&rest[1..], &s[1..], depth + 1),
            c => s.first() == Some(&c) && go(rest, &s[1..], depth + 1),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = s.chars().collect();
    go(&p, &s, 0)
}

/// Which allowedHosts entry admits `url`, if any.
pub(crate) fn allowed_by<'a>(allowed: &'a [String], url: &str) -> Option<&'a str> {
    let host = hostname(url)?;
    allowed.iter().find(|a| **a == host || glob_match(a, &host)).map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn hosts() {
        let allowed = vec!["charts.example.com".to_string(), "*.trusted.org".to_string()];
        assert_eq!(allowed_by(&allowed, "https://charts.example.com:443/x"), Some("charts.example.com"));
        assert_eq!(allowed_by(&allowed, "https://a.b.trusted.org/"), Some("*.trusted.org"));
        assert_eq!(allowed_by(&allowed, "https://trusted.org/"), None);
        assert_eq!(allowed_by(&allowed, "https://evil.com/?charts.example.com"), None);
        assert_eq!(allowed_by(&[], "https://charts.example.com/"), None);
        assert!(glob_match("{a,b}.x[0-9]", "b.x7"));
    }
}
