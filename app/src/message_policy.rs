//! Who may use the embed `postMessage` API (docs/embed.md), and where its
//! answers go. Pure (no DOM), so the rules are tested natively; the page's
//! side is `embed_api`.
//!
//! The rules: messages are read in embed mode only (`?embed=1`), only from the
//! window that frames the playground (`event.source === window.parent`), and,
//! when the embed URL has `origins=`, only from a parent whose origin is on
//! that list. Answers go to the sender's origin, never `'*'`: a parent that
//! navigated elsewhere in the meantime does not get them.

/// Why a message was accepted or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Accept,
    /// Not an embed: the page reads no messages at all.
    NotEmbed,
    /// The sender is not the embedding window (an opener, a sibling frame,
    /// a popup, the page itself).
    NotParent,
    /// An opaque origin (`"null"`: sandboxed frame, `data:` or `file:` page)
    /// cannot be answered without `'*'`, so it is not listened to either.
    OpaqueOrigin,
    /// The embed URL lists origins and the parent's is not among them.
    OriginNotListed,
}

/// The embed's message policy, from its URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MessagePolicy {
    embed: bool,
    /// `origins=` of the embed URL, normalised; None: any parent origin.
    /// An empty list (every entry invalid) accepts nobody: a typo fails closed.
    allowed: Option<Vec<String>>,
}

impl MessagePolicy {
    /// `origins`: the raw, comma-separated `origins=` value (already
    /// percent-decoded), if the URL has one.
    pub fn new(embed: bool, origins: Option<&str>) -> Self {
        let allowed = origins.map(|list| list.split(',').filter_map(normalize_origin).collect());
        MessagePolicy { embed, allowed }
    }

    /// The page listens for messages at all.
    pub fn listens(&self) -> bool {
        self.embed
    }

    /// The origin list of the URL (None: none given).
    pub fn allowed(&self) -> Option<&[String]> {
        self.allowed.as_deref()
    }

    /// May this origin (as `MessageEvent.origin` spells it) talk to the embed?
    pub fn allows_origin(&self, origin: &str) -> bool {
        if origin.is_empty() || origin == "null" || origin == "*" {
            return false;
        }
        match &self.allowed {
            None => true,
            Some(list) => normalize_origin(origin).is_some_and(|o| list.contains(&o)),
        }
    }

    /// Decides on one message: `from_parent` is `event.source ===
    /// window.parent` in a framed page; `origin` is `event.origin`.
    pub fn judge(&self, from_parent: bool, origin: &str) -> Verdict {
        if !self.embed {
            Verdict::NotEmbed
        } else if !from_parent {
            Verdict::NotParent
        } else if origin.is_empty() || origin == "null" {
            Verdict::OpaqueOrigin
        } else if !self.allows_origin(origin) {
            Verdict::OriginNotListed
        } else {
            Verdict::Accept
        }
    }

    /// Where `chartroom:rendered` goes (None: nowhere). `learned`: the origin
    /// of the parent's newest accepted message (the browser vouches for it);
    /// `hint`: the parent's origin as the browser reports it at load
    /// (`location.ancestorOrigins[0]`, else the referrer's). Posting to a
    /// concrete origin is safe even with a wrong hint: the browser delivers
    /// only if the parent has that origin now.
    pub fn broadcast_origin(&self, learned: Option<&str>, hint: Option<&str>) -> Option<String> {
        if !self.embed {
            return None;
        }
        [learned, hint].into_iter().flatten().filter_map(normalize_origin).find(|o| self.allows_origin(o))
    }
}

/// `scheme://host[:port]` in the form browsers serialise an origin
/// (lowercase, default port dropped, no trailing slash); None for anything
/// else (a path, credentials, a query, `*`, `null`).
pub fn normalize_origin(raw: &str) -> Option<String> {
    let s = raw.trim();
    let (scheme, rest) = s.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let scheme_ok = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if !scheme_ok || authority.is_empty() || authority.contains(['/', '?', '#', '@', '*', ' ']) {
        return None;
    }
    let authority = authority.to_ascii_lowercase();
    // An IPv6 literal keeps its brackets; the port follows the last ':' after them.
    let host_end = authority.rfind(']').map(|i| i + 1).unwrap_or(0);
    let (host, port) = match authority[host_end..].rfind(':') {
        Some(i) => (&authority[..host_end + i], Some(&authority[host_end + i + 1..])),
        None => (authority.as_str(), None),
    };
    if host.is_empty() {
        return None;
    }
    let port = match port {
        None => None,
        Some(p) => {
            let n: u16 = p.parse().ok().filter(|_| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))?;
            let default = matches!((scheme.as_str(), n), ("http", 80) | ("https", 443));
            (!default).then_some(n)
        }
    };
    Some(match port {
        Some(n) => format!("{scheme}://{host}:{n}"),
        None => format!("{scheme}://{host}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_normalise_like_browsers_serialise_them() {
        assert_eq!(normalize_origin("https://a.example").as_deref(), Some("https://a.example"));
        assert_eq!(normalize_origin(" HTTPS://A.Example:443/ ").as_deref(), Some("https://a.example"));
        assert_eq!(normalize_origin("http://127.0.0.1:8080").as_deref(), Some("http://127.0.0.1:8080"));
        assert_eq!(normalize_origin("http://x.example:80").as_deref(), Some("http://x.example"));
        assert_eq!(normalize_origin("https://x.example:80").as_deref(), Some("https://x.example:80"));
        assert_eq!(normalize_origin("http://[::1]:3000").as_deref(), Some("http://[::1]:3000"));
        for bad in [
            "",
            "null",
            "*",
            "a.example",
            "https://",
            "https://a.example/path",
            "https://user@a.example",
            "https://a.example?x",
            "https://*.example",
            "https://a.example:99999",
            "https://a.example:",
            "1http://a",
        ] {
            assert_eq!(normalize_origin(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn normal_mode_reads_no_message() {
        let p = MessagePolicy::new(false, None);
        assert!(!p.listens());
        assert_eq!(p.judge(true, "https://a.example"), Verdict::NotEmbed);
        assert_eq!(p.broadcast_origin(Some("https://a.example"), None), None);
        // An origin list does not turn the API on outside embed mode.
        let p = MessagePolicy::new(false, Some("https://a.example"));
        assert_eq!(p.judge(true, "https://a.example"), Verdict::NotEmbed);
    }

    #[test]
    fn embeds_answer_only_their_parent() {
        let p = MessagePolicy::new(true, None);
        assert!(p.listens());
        assert_eq!(p.judge(true, "https://any.example"), Verdict::Accept);
        assert_eq!(p.judge(false, "https://any.example"), Verdict::NotParent);
        assert_eq!(p.judge(true, "null"), Verdict::OpaqueOrigin);
        assert_eq!(p.judge(true, ""), Verdict::OpaqueOrigin);
    }

    #[test]
    fn an_origin_list_is_honoured() {
        let p = MessagePolicy::new(true, Some("https://a.example, https://B.example:443/,junk"));
        assert_eq!(p.allowed(), Some(&["https://a.example".to_string(), "https://b.example".to_string()][..]));
        assert_eq!(p.judge(true, "https://a.example"), Verdict::Accept);
        assert_eq!(p.judge(true, "https://b.example"), Verdict::Accept);
        assert_eq!(p.judge(true, "https://c.example"), Verdict::OriginNotListed);
        assert_eq!(p.judge(true, "http://a.example"), Verdict::OriginNotListed);
        assert_eq!(p.judge(true, "https://a.example:8443"), Verdict::OriginNotListed);
        assert_eq!(p.judge(false, "https://a.example"), Verdict::NotParent);
        // Nothing valid in the list: nobody is accepted (fails closed).
        let p = MessagePolicy::new(true, Some("a.example"));
        assert_eq!(p.allowed(), Some(&[][..]));
        assert_eq!(p.judge(true, "https://a.example"), Verdict::OriginNotListed);
        let p = MessagePolicy::new(true, Some(""));
        assert_eq!(p.judge(true, "https://a.example"), Verdict::OriginNotListed);
    }

    #[test]
    fn broadcasts_go_to_an_allowed_concrete_origin_only() {
        let any = MessagePolicy::new(true, None);
        assert_eq!(any.broadcast_origin(None, None), None);
        assert_eq!(any.broadcast_origin(None, Some("https://p.example")).as_deref(), Some("https://p.example"));
        // A message's origin (vouched for by the browser) wins over the hint.
        assert_eq!(
            any.broadcast_origin(Some("https://m.example"), Some("https://p.example")).as_deref(),
            Some("https://m.example")
        );
        assert_eq!(any.broadcast_origin(None, Some("null")), None);
        assert_eq!(any.broadcast_origin(None, Some("*")), None);
        let listed = MessagePolicy::new(true, Some("https://a.example"));
        assert_eq!(listed.broadcast_origin(None, Some("https://evil.example")), None);
        assert_eq!(listed.broadcast_origin(None, Some("https://a.example")).as_deref(), Some("https://a.example"));
        assert_eq!(
            listed.broadcast_origin(Some("https://evil.example"), Some("https://a.example")).as_deref(),
            Some("https://a.example")
        );
    }
}
