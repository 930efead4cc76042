//! Go's `path` package (and `path/filepath`, which is the same on Unix,
//! where Helm runs here): the lexical path operations that templates
//! (`base`, `dir`, `clean`, `ext`), the chart loader, the archive reader,
//! lint and the CLI observe. One copy for all of them.

/// Go's `path.Clean`: the shortest equivalent path, by lexical processing
/// alone (`.` for an empty result).
pub fn clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

/// Go's `path.Base`: the last element, trailing slashes removed (`.` for
/// an empty path, `/` for slashes alone).
pub(crate) fn base(p: &str) -> &str {
    if p.is_empty() {
        return ".";
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/";
    }
    match t.rfind('/') {
        Some(i) => &t[i + 1..],
        None => t,
    }
}

/// Go's `path.Dir`: everything up to the last slash, cleaned.
pub fn dir(p: &str) -> String {
    let i = p.rfind('/').map(|i| i + 1).unwrap_or(0);
    clean(&p[..i])
}

/// Go's `path.Ext`: the suffix from the final dot of the last element
/// (empty when it has none).
pub(crate) fn ext(p: &str) -> &str {
    for (i, c) in p.char_indices().rev() {
        if c == '/' {
            break;
        }
        if c == '.' {
            return &p[i..];
        }
    }
    ""
}

/// Go's `path.Join`: the non-empty elements joined with `/`, cleaned
/// (empty when every element is).
pub fn join(elems: &[&str]) -> String {
    let joined = elems.iter().filter(|e| !e.is_empty()).copied().collect::<Vec<_>>().join("/");
    if joined.is_empty() {
        return String::new();
    }
    clean(&joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values from Go's path_test.go (cleantests, jointests,
    // exttests, basetests, dirtests).
    #[test]
    fn clean_matches_go() {
        for (i, o) in [
            ("", "."),
            ("a/b/../c", "a/c"),
            ("../a", "../a"),
            ("/../a", "/a"),
            ("a/./b/", "a/b"),
            ("a/..", "."),
            ("..foo/x", "..foo/x"),
            ("abc/def/../../..", ".."),
            ("abc//def//ghi", "abc/def/ghi"),
            ("/abc/def/../../..", "/"),
            ("abc/../../././../def", "../../def"),
        ] {
            assert_eq!(clean(i), o, "{i}");
        }
    }

    #[test]
    fn base_dir_ext_join_match_go() {
        for (i, o) in [("", "."), (".", "."), ("/.", "."), ("/", "/"), ("////", "/"), ("x/", "x"), ("a/b", "b")] {
            assert_eq!(base(i), o, "base {i}");
        }
        for (i, o) in [("", "."), (".", "."), ("/.", "/"), ("/", "/"), ("x/", "x"), ("a/b/c", "a/b"), ("x", ".")] {
            assert_eq!(dir(i), o, "dir {i}");
        }
        for (i, o) in
            [("path.go", ".go"), ("path.pb.go", ".go"), ("a.dir/b", ""), ("a.dir/b.go", ".go"), ("a.dir/", "")]
        {
            assert_eq!(ext(i), o, "ext {i}");
        }
        for (i, o) in [
            (&["", ""][..], ""),
            (&["a", ""][..], "a"),
            (&["", "b"][..], "b"),
            (&["/", "a"][..], "/a"),
            (&["a/", "b"][..], "a/b"),
            (&["a", "b", "c"][..], "a/b/c"),
        ] {
            assert_eq!(join(i), o, "join {i:?}");
        }
    }
}
