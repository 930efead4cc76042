//! Helm's `.helmignore` rules (pkg/ignore/rules.go, v4.2.3) as
//! `loader.LoadDir` applies them when a chart is loaded from a folder: the
//! folder's `.helmignore` lines, then the default rule `templates/.?*`
//! (dotfiles in templates/ are never chart content). A folder import keeps
//! what `helm template ./folder` (and `helm package`) would load.
//!
//! A port rather than the engine's matcher: the page does not link the
//! engine, and Helm's semantics are peculiar and must be kept — rules are
//! tried in order and the first match decides, and a `!` rule that does NOT
//! match ignores the path.

/// One parsed rule (Go: `pattern`).
#[derive(Debug)]
struct Pattern {
    /// The glob without `!`, trailing `/` and leading `/`.
    glob: String,
    negate: bool,
    /// A trailing `/`: only directories match.
    must_dir: bool,
    /// How the glob meets a path: the whole path (a leading `/` or a `/`
    /// inside) or only its last part.
    whole_path: bool,
}

/// A `.helmignore` plus Helm's defaults (Go: `Rules`).
#[derive(Debug, Default)]
pub struct Rules {
    patterns: Vec<Pattern>,
}

impl Rules {
    /// `ignore.Parse` of a `.helmignore` then `AddDefaults`, as LoadDir
    /// does; `None` (no `.helmignore`) gives the defaults alone. The error
    /// is Helm's text for a rule it refuses.
    pub fn for_folder(helmignore: Option<&[u8]>) -> Result<Rules, String> {
        let mut rules = Rules::default();
        if let Some(bytes) = helmignore {
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            // bufio.Scanner's lines: split at \n, a trailing \r dropped
            // (TrimSpace below takes it anyway).
            for line in String::from_utf8_lossy(bytes).split('\n') {
                rules.parse_rule(line)?;
            }
        }
        rules.parse_rule("templates/.?*")?;
        Ok(rules)
    }

    fn parse_rule(&mut self, rule: &str) -> Result<(), String> {
        // Go's strings.TrimSpace (Unicode white space).
        let rule = rule.trim();
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err("double-star (**) syntax is not supported".into());
        }
        // Helm compiles the raw rule (with its `!` and `/`) against "abc".
        go_match(rule, "abc")?;
        let (negate, rule) = match rule.strip_prefix('!') {
            Some(r) => (true, r),
            None => (false, rule),
        };
        let (must_dir, rule) = match rule.strip_suffix('/') {
            Some(r) => (true, r),
            None => (false, rule),
        };
        let (whole_path, glob) = match rule.strip_prefix('/') {
            Some(r) => (true, r),
            None => (rule.contains('/'), rule),
        };
        self.patterns.push(Pattern { glob: glob.to_string(), negate, must_dir, whole_path });
        Ok(())
    }

    /// `Rules.Ignore(path, fi)`: `path` relative to the chart folder,
    /// `/`-separated.
    pub fn ignore(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        for p in &self.patterns {
            let matches = || {
                let name = if p.whole_path { path } else { base(path) };
                // Helm logs a bad pattern and treats it as no match.
                go_match(&p.glob, name).unwrap_or(false)
            };
            if p.negate {
                if p.must_dir && !is_dir {
                    return true;
                }
                if !matches() {
                    return true;
                }
                continue;
            }
            if p.must_dir && !is_dir {
                continue;
            }
            if matches() {
                return true;
            }
        }
        false
    }

    /// What LoadDir's walk leaves out: the file itself, or a folder on its
    /// way (an ignored folder is skipped whole, `filepath.SkipDir`).
    pub fn ignores_file(&self, path: &str) -> bool {
        let dirs = path.match_indices('/').map(|(i, _)| &path[..i]);
        dirs.into_iter().any(|d| self.ignore(d, true)) || self.ignore(path, false)
    }
}

/// Go's `filepath.Base` for `/`-separated paths: the last non-empty part.
fn base(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return if path.is_empty() { "." } else { "/" };
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

const BAD_PATTERN: &str = "syntax error in pattern";

/// Go's `filepath.Match` (Unix: `/` separates, `\\` escapes): `*` is any run
/// of non-`/` characters, `?` one non-`/` character, `[...]`/`[^...]` a class.
/// On bytes, as Go slices strings.
pub fn go_match(pattern: &str, name: &str) -> Result<bool, String> {
    let mut pattern = pattern.as_bytes();
    let mut name = name.as_bytes();
    'pattern: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // A trailing * matches the rest unless it has a /.
            return Ok(!name.contains(&b'/'));
        }
        let (t, ok) = match_chunk(chunk, name)?;
        if ok && (t.is_empty() || !pattern.is_empty()) {
            name = t;
            continue;
        }
        if star {
            // Skip i+1 bytes of name (never a /) and try again.
            let mut i = 0;
            while i < name.len() && name[i] != b'/' {
                let (t, ok) = match_chunk(chunk, &name[i + 1..])?;
                if ok {
                    if pattern.is_empty() && !t.is_empty() {
                        i += 1;
                        continue;
                    }
                    name = t;
                    continue 'pattern;
                }
                i += 1;
            }
        }
        // No match: the rest of the pattern must still be well formed.
        while !pattern.is_empty() {
            let (_, chunk, rest) = scan_chunk(pattern);
            pattern = rest;
            match_chunk(chunk, b"")?;
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// The next run of the pattern without `*`, and whether `*`s preceded it.
fn scan_chunk(pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let stars = pattern.iter().take_while(|&&b| b == b'*').count();
    let pattern = &pattern[stars..];
    let mut in_range = false;
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            b'\\' if i + 1 < pattern.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    (stars > 0, &pattern[..i], &pattern[i..])
}

/// Go's utf8.DecodeRune: (U+FFFD, 1) for a bad byte, (U+FFFD, 0) at the end.
fn decode(s: &[u8]) -> (char, usize) {
    let Some(&b) = s.first() else { return ('\u{FFFD}', 0) };
    let n = match b {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    };
    match s.get(..n).and_then(|p| std::str::from_utf8(p).ok()).and_then(|p| p.chars().next()) {
        Some(c) => (c, n),
        None => ('\u{FFFD}', 1),
    }
}

/// Whether `chunk` matches the start of `s`: Ok((rest of s, matched)), or
/// Go's error for a malformed chunk. After a mismatch the chunk is still
/// read to its end to check its syntax, as Go does.
fn match_chunk<'a>(mut chunk: &[u8], mut s: &'a [u8]) -> Result<(&'a [u8], bool), String> {
    let mut failed = false;
    while let Some(&c) = chunk.first() {
        if !failed && s.is_empty() {
            failed = true;
        }
        match c {
            b'[' => {
                let mut r = '\0';
                if !failed {
                    let (ch, n) = decode(s);
                    r = ch;
                    s = &s[n..];
                }
                chunk = &chunk[1..];
                let negated = chunk.first() == Some(&b'^');
                if negated {
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut nrange = 0;
                loop {
                    if nrange > 0 && chunk.first() == Some(&b']') {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = get_esc(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk.first() == Some(&b'-') {
                        let (h, rest) = get_esc(&chunk[1..])?;
                        hi = h;
                        chunk = rest;
                    }
                    if lo <= r && r <= hi {
                        matched = true;
                    }
                    nrange += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            b'?' => {
                if !failed {
                    if s.first() == Some(&b'/') {
                        failed = true;
                    }
                    let (_, n) = decode(s);
                    s = &s[n..];
                }
                chunk = &chunk[1..];
            }
            _ => {
                if c == b'\\' {
                    chunk = &chunk[1..];
                    if chunk.is_empty() {
                        return Err(BAD_PATTERN.into());
                    }
                }
                if !failed {
                    if chunk.first() != s.first() {
                        failed = true;
                    }
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    Ok(if failed { (&[], false) } else { (s, true) })
}

/// A possibly escaped character of a class, and the chunk after it (Go's
/// getEsc: an error also when nothing follows it).
fn get_esc(chunk: &[u8]) -> Result<(char, &[u8]), String> {
    let bad = || BAD_PATTERN.to_string();
    let chunk = match chunk.first() {
        None | Some(b'-') | Some(b']') => return Err(bad()),
        Some(b'\\') => &chunk[1..],
        Some(_) => chunk,
    };
    if chunk.is_empty() {
        return Err(bad());
    }
    let (r, n) = decode(chunk);
    if r == '\u{FFFD}' && n == 1 {
        return Err(bad());
    }
    let rest = &chunk[n..];
    if rest.is_empty() {
        return Err(bad());
    }
    Ok((r, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(rule: &str) -> Rules {
        let mut r = Rules::default();
        r.parse_rule(rule).unwrap_or_else(|e| panic!("{rule}: {e}"));
        r
    }

    /// Helm's own table (pkg/ignore/rules_test.go TestIgnore, v4.2.3); the
    /// directories of its testdata are "cargo", "mast" and "templates".
    #[test]
    fn helms_ignore_table() {
        let cases: &[(&str, &str, bool)] = &[
            ("helm.txt", "helm.txt", true),
            ("helm.*", "helm.txt", true),
            ("helm.*", "rudder.txt", false),
            ("*.txt", "tiller.txt", true),
            ("*.txt", "cargo/a.txt", true),
            ("cargo/*.txt", "cargo/a.txt", true),
            ("cargo/*.*", "cargo/a.txt", true),
            ("cargo/*.txt", "mast/a.txt", false),
            ("ru[c-e]?er.txt", "rudder.txt", true),
            ("templates/.?*", "templates/.dotfile", true),
            (".*", ".", false),
            (".*", "./", false),
            (".*", ".joonix", true),
            (".*", "helm.txt", false),
            (".*", "", false),
            ("cargo/", "cargo", true),
            ("cargo/", "cargo/", true),
            ("cargo/", "mast/", false),
            ("helm.txt/", "helm.txt", false),
            ("!helm.txt", "helm.txt", false),
            ("!helm.txt", "tiller.txt", true),
            ("!*.txt", "cargo", true),
            ("!cargo/", "mast/", true),
            ("/a.txt", "a.txt", true),
            ("/a.txt", "cargo/a.txt", false),
            ("/cargo/a.txt", "cargo/a.txt", true),
        ];
        for &(rule, path, want) in cases {
            let is_dir = matches!(path.trim_end_matches('/'), "cargo" | "mast" | "templates" | "." | "");
            assert_eq!(one(rule).ignore(path, is_dir), want, "{rule} on {path}");
        }
    }

    /// TestParse / TestParseFail.
    #[test]
    fn helms_parse_cases() {
        let r = Rules::for_folder(Some(b"#ignore\n\n\t#ignore\nfoo\nbar/*\nbaz/bar/foo.txt\n\none/more\n"))
            .unwrap_or_else(|e| panic!("{e}"));
        // The four rules plus the default one.
        assert_eq!(r.patterns.len(), 5);
        for bad in ["foo/**/bar", "[z-"] {
            assert!(Rules::for_folder(Some(bad.as_bytes())).is_err(), "{bad}");
        }
        assert_eq!(
            Rules::for_folder(Some(b"a/**")).err().as_deref(),
            Some("double-star (**) syntax is not supported")
        );
        assert_eq!(Rules::for_folder(Some(b"[")).err().as_deref(), Some(BAD_PATTERN));
    }

    /// Go's filepath.Match cases (path/filepath match_test.go) that apply on Unix.
    #[test]
    fn go_match_table() {
        let ok: &[(&str, &str, bool)] = &[
            ("abc", "abc", true),
            ("*", "abc", true),
            ("*c", "abc", true),
            ("a*", "a", true),
            ("a*", "abc", true),
            ("a*", "ab/c", false),
            ("a*/b", "abc/b", true),
            ("a*/b", "a/c/b", false),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", true),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f", true),
            ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", false),
            ("a*b?c*x", "abxbbxdbxebxczzx", true),
            ("a*b?c*x", "abxbbxdbxebxczzy", false),
            ("ab[c]", "abc", true),
            ("ab[b-d]", "abc", true),
            ("ab[e-g]", "abc", false),
            ("ab[^c]", "abc", false),
            ("ab[^b-d]", "abc", false),
            ("ab[^e-g]", "abc", true),
            ("a\\*b", "a*b", true),
            ("a\\*b", "ab", false),
            ("a?b", "a☺b", true),
            ("a[^a]b", "a☺b", true),
            ("a???b", "a☺b", false),
            ("a[^a][^a][^a]b", "a☺b", false),
            ("[a-ζ]*", "α", true),
            ("*[a-ζ]", "A", false),
            ("a?b", "a/b", false),
            ("a*b", "a/b", false),
            ("[\\]a]", "]", true),
            ("[\\-]", "-", true),
            ("[x\\-]", "x", true),
            ("[x\\-]", "-", true),
            ("[x\\-]", "z", false),
            ("[\\-x]", "x", true),
            ("[\\-x]", "-", true),
            ("[\\-x]", "a", false),
            ("*x", "xxx", true),
        ];
        for &(p, n, want) in ok {
            assert_eq!(go_match(p, n), Ok(want), "{p} on {n}");
        }
        let bad: &[(&str, &str)] = &[
            ("[]a]", "]"),
            ("[-]", "-"),
            ("[x-]", "x"),
            ("[x-]", "-"),
            ("[x-]", "z"),
            ("[-x]", "x"),
            ("[-x]", "-"),
            ("[-x]", "a"),
            ("\\", "a"),
            ("[a-b-c]", "a"),
            ("[", "a"),
            ("[^", "a"),
            ("[^bc", "a"),
            ("a[", "a"),
            ("a[", "ab"),
            ("a[", "x"),
            ("a/b[", "x"),
        ];
        for &(p, n) in bad {
            assert_eq!(go_match(p, n), Err(BAD_PATTERN.to_string()), "{p} on {n}");
        }
    }

    #[test]
    fn load_dir_walk_skips_ignored_folders_and_template_dotfiles() {
        let r = Rules::for_folder(Some(b"*.bak\ndrafts/\n")).unwrap_or_else(|e| panic!("{e}"));
        assert!(r.ignores_file("templates/.scratch.yaml"));
        assert!(r.ignores_file("templates/x.yaml.bak"));
        assert!(r.ignores_file("drafts/a/b.md"));
        assert!(!r.ignores_file("templates/x.yaml"));
        assert!(!r.ignores_file(".helmignore"));
        // The default rule is anchored at the chart root: a subchart's
        // templates/ dotfiles are not left out (Helm loads them).
        assert!(!r.ignores_file("charts/sub/templates/.x.yaml"));
        // No .helmignore: the default rule alone.
        let d = Rules::for_folder(None).unwrap_or_else(|e| panic!("{e}"));
        assert!(d.ignores_file("templates/.hidden"));
        assert!(!d.ignores_file("templates/a.bak"));
    }
}
