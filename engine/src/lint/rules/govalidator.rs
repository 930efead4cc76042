//! github.com/asaskevich/govalidator (a9d515a09cc2, Helm v4.2.3's): the
//! e-mail and URL checks lint applies to Chart.yaml's maintainers, sources
//! and icon. The patterns are govalidator's (patterns.go), in Go's RE2
//! syntax, compiled by the Sprig regexp port.

use std::sync::OnceLock;

use crate::sprig::regexp::Regex;

/// govalidator's `Email` pattern.
const EMAIL: &str = r#"^(((([a-zA-Z]|\d|[!#\$%&'\*\+\-\/=\?\^_`{\|}~]|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}])+(\.([a-zA-Z]|\d|[!#\$%&'\*\+\-\/=\?\^_`{\|}~]|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}])+)*)|((\x22)((((\x20|\x09)*(\x0d\x0a))?(\x20|\x09)+)?(([\x01-\x08\x0b\x0c\x0e-\x1f\x7f]|\x21|[\x23-\x5b]|[\x5d-\x7e]|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}])|(\([\x01-\x09\x0b\x0c\x0d-\x7f]|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}]))))*(((\x20|\x09)*(\x0d\x0a))?(\x20|\x09)+)?(\x22)))@((([a-zA-Z]|\d|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}])|(([a-zA-Z]|\d|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}])([a-zA-Z]|\d|-|\.|_|~|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}])*([a-zA-Z]|\d|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}])))\.)+(([a-zA-Z]|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}])|(([a-zA-Z]|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}])([a-zA-Z]|\d|-|_|~|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}])*([a-zA-Z]|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}])))\.?$"#;

/// govalidator's `URL` pattern (URLSchema, URLUsername, URLIP, IP,
/// URLSubdomain, URLPort and URLPath put together as patterns.go does).
const URL: &str = r#"^((ftp|tcp|udp|wss?|https?):\/\/)?(\S+(:\S*)?@)?((([1-9]\d?|1\d\d|2[01]\d|22[0-3]|24\d|25[0-5])(\.(\d{1,2}|1\d\d|2[0-4]\d|25[0-5])){2}(?:\.([0-9]\d?|1\d\d|2[0-4]\d|25[0-5]))|(\[(([0-9a-fA-F]{1,4}:){7,7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,7}:|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}|([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}|[0-9a-fA-F]{1,4}:((:[0-9a-fA-F]{1,4}){1,6})|:((:[0-9a-fA-F]{1,4}){1,7}|:)|fe80:(:[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]{1,}|::(ffff(:0{1,4}){0,1}:){0,1}((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])|([0-9a-fA-F]{1,4}:){1,4}:((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9]))\])|(([a-zA-Z0-9]([a-zA-Z0-9-_]+)?[a-zA-Z0-9]([-\.][a-zA-Z0-9]+)*)|(((www\.)|([a-zA-Z0-9]+([-_\.]?[a-zA-Z0-9])*[a-zA-Z0-9]\.[a-zA-Z0-9]+))?))?(([a-zA-Z\x{00a1}-\x{ffff}0-9]+-?-?)*[a-zA-Z\x{00a1}-\x{ffff}0-9]+)(?:\.([a-zA-Z\x{00a1}-\x{ffff}]{1,}))?))\.?(:(\d{1,5}))?((\/|\?|#)[^\s]*)?$"#;

const MAX_URL_RUNE_COUNT: usize = 2083;
const MIN_URL_RUNE_COUNT: usize = 3;

fn compiled(cell: &'static OnceLock<Option<Regex>>, pat: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| crate::sprig::regex::compile(pat).ok()).as_ref()
}

/// `govalidator.IsEmail`
pub fn is_email(s: &str) -> bool {
    static RX: OnceLock<Option<Regex>> = OnceLock::new();
    compiled(&RX, EMAIL).is_some_and(|r| r.is_match(s))
}

/// `govalidator.IsURL`
pub fn is_url(s: &str) -> bool {
    if s.is_empty() || s.chars().count() >= MAX_URL_RUNE_COUNT || s.len() <= MIN_URL_RUNE_COUNT || s.starts_with('.') {
        return false;
    }
    // No scheme but a colon (a port): url.Parse gets an http:// prefix.
    let tmp = if s.contains(':') && !s.contains("://") { format!("http://{s}") } else { s.to_string() };
    let Ok(u) = crate::sprig::url::parse(&tmp) else { return false };
    if u.host.starts_with('.') {
        return false;
    }
    if u.host.is_empty() && !u.path.is_empty() && !u.path.contains('.') {
        return false;
    }
    static RX: OnceLock<Option<Regex>> = OnceLock::new();
    compiled(&RX, URL).is_some_and(|r| r.is_match(s))
}

/// `govalidator.IsRequestURL`: url.ParseRequestURI accepts it and it has
/// a scheme.
pub fn is_request_url(s: &str) -> bool {
    crate::sprig::url::parse_request_uri(s).is_ok_and(|u| !u.scheme.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_and_urls() {
        assert!(is_email("ann@example.com"));
        assert!(!is_email("not-an-email"));
        assert!(is_url("https://example.com/ann"));
        assert!(is_url("example.com"));
        assert!(!is_url("not a url"));
        assert!(is_request_url("https://github.com/x/y"));
        assert!(is_request_url("data:image/png;base64,AAAA"));
        assert!(!is_request_url("icon.png"));
        assert!(!is_request_url("/icons/x.png"));
        assert!(!is_request_url("not a url"));
    }
}
