//! Helm's `.helmignore` rules (pkg/ignore/rules.go, v4.2.3), and the way
//! `loader.LoadDir` (pkg/chart/v2/loader/directory.go) applies them while it
//! walks a chart folder.
//!
//! Helm's semantics are peculiar and are kept as they are: rules are tried
//! in order and the FIRST match decides; a `!` rule that does NOT match
//! ignores the path (a matching one only moves on to the next rule); a
//! trailing `/` makes a rule apply to directories only; a leading `/` or a
//! `/` inside makes the glob meet the whole path, otherwise only its last
//! element; globs are Go's `filepath.Match`, and `**` is refused. LoadDir
//! adds the default rule `templates/.?*` after the file's own rules.
//!
//! Used by the engine's folder loading (`chart::load_files`), the CLI's
//! directory walk and the page's folder import, so the three agree.
//! `.helmignore` is never applied to archives (Helm's LoadArchive does not).

use crate::error::{Error, Kind};
use std::fmt;

/// The file LoadDir reads its rules from, at the chart folder's root only
/// (Go: `ignore.HelmIgnore`); a subchart's own `.helmignore` is just a file.
pub const HELM_IGNORE: &str = ".helmignore";

/// The rule LoadDir adds after the file's (Go: `AddDefaults`): dotfiles in
/// the chart's own templates/ are never templates.
const DEFAULT_RULE: &[u8] = b"templates/.?*";

/// bufio.Scanner's limit on a line (bufio.MaxScanTokenSize).
const MAX_LINE: usize = 64 * 1024;

/// A `.helmignore` that Helm refuses, in Helm's words, marked at the line
/// it stopped at (the message itself carries no position, as in Helm).
fn parse_error(message: impl Into<String>, line: usize) -> Error {
    Error::new(Kind::Chart, message).at(HELM_IGNORE, Some(line), None)
}

/// Go's `filepath.ErrBadPattern`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadPattern;

impl fmt::Display for BadPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("syntax error in pattern")
    }
}

/// One parsed rule (Go: `pattern`).
#[derive(Clone, Debug)]
struct Pattern {
    /// The glob without `!`, trailing `/` and leading `/`.
    glob: Vec<u8>,
    negate: bool,
    /// A trailing `/`: only directories match.
    must_dir: bool,
    /// How the glob meets a path: the whole path (a leading `/` or a `/`
    /// inside) or only its last element.
    whole_path: bool,
}

/// A `.helmignore`'s rules in order (Go: `Rules`).
#[derive(Clone, Debug, Default)]
pub struct Rules {
    patterns: Vec<Pattern>,
}

impl Rules {
    /// What LoadDir uses for a folder: `ignore.ParseFile` of the folder's
    /// `.helmignore` when there is one, then `AddDefaults`.
    pub fn for_load_dir(helmignore: Option<&[u8]>) -> Result<Rules, Error> {
        let mut rules = match helmignore {
            Some(bytes) => Rules::parse(bytes)?,
            None => Rules::default(),
        };
        rules.add_defaults();
        Ok(rules)
    }

    /// `ignore.Parse`: bufio.Scanner lines (split at `\n`, a trailing `\r`
    /// dropped, a line of 64 KiB or more is an error), a UTF-8 byte order
    /// mark trimmed from the first, each line a rule.
    pub fn parse(bytes: &[u8]) -> Result<Rules, Error> {
        let mut rules = Rules::default();
        let mut rest = bytes;
        let mut line_no = 0;
        while !rest.is_empty() {
            line_no += 1;
            let (line, next) = match rest.iter().position(|&b| b == b'\n') {
                Some(i) => (&rest[..i], &rest[i + 1..]),
                None => (rest, &rest[rest.len()..]),
            };
            if line.len() >= MAX_LINE {
                return Err(parse_error("bufio.Scanner: token too long", line_no));
            }
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let line = if line_no == 1 { line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line) } else { line };
            rules.parse_rule(line).map_err(|e| parse_error(e.message, line_no))?;
            rest = next;
        }
        Ok(rules)
    }

    /// `AddDefaults`.
    pub(crate) fn add_defaults(&mut self) {
        // The default rule is well formed: this cannot fail.
        let _ = self.parse_rule(DEFAULT_RULE);
    }

    /// `parseRule`: Helm's error text for a rule it refuses.
    fn parse_rule(&mut self, rule: &[u8]) -> Result<(), Error> {
        let rule = trim_space(rule);
        if rule.is_empty() || rule.starts_with(b"#") {
            return Ok(());
        }
        if rule.windows(2).any(|w| w == b"**") {
            return Err(Error::new(Kind::Chart, "double-star (**) syntax is not supported"));
        }
        // Helm compiles the raw rule (with its `!` and `/`) against "abc".
        go_match(rule, b"abc").map_err(|e| Error::new(Kind::Chart, e.to_string()))?;
        let (negate, rule) = match rule.strip_prefix(b"!") {
            Some(r) => (true, r),
            None => (false, rule),
        };
        let (must_dir, rule) = match rule.strip_suffix(b"/") {
            Some(r) => (true, r),
            None => (false, rule),
        };
        let (whole_path, glob) = match rule.strip_prefix(b"/") {
            Some(r) => (true, r),
            None => (rule.contains(&b'/'), rule),
        };
        self.patterns.push(Pattern { glob: glob.to_vec(), negate, must_dir, whole_path });
        Ok(())
    }

    /// `Rules.Ignore(path, fi)`: `path` relative to the chart folder,
    /// `/`-separated; `is_dir` is `fi.IsDir()`.
    pub fn ignore(&self, path: &str, is_dir: bool) -> bool {
        // Never the folder itself (helm/helm#1776).
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        for p in &self.patterns {
            let matches = || {
                let name = if p.whole_path { path } else { crate::gofmt::path::base(path) };
                // Helm logs a pattern that fails to compile and treats it as
                // no match (parse_rule already refused the malformed ones).
                go_match(&p.glob, name.as_bytes()).unwrap_or(false)
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

    /// Whether LoadDir's walk leaves out the file at `path` (relative,
    /// `/`-separated): the walk meets each folder on the way first, as a
    /// directory, and skips an ignored one whole (`filepath.SkipDir`);
    /// then the file itself.
    pub fn ignores_file(&self, path: &str) -> bool {
        path.match_indices('/').any(|(i, _)| self.ignore(&path[..i], true)) || self.ignore(path, false)
    }
}

/// Go's strings.TrimSpace on bytes: Unicode white space off both ends; an
/// invalid UTF-8 byte is not space.
fn trim_space(mut s: &[u8]) -> &[u8] {
    while let Some((c, n)) = first_char(s) {
        if !c.is_whitespace() {
            break;
        }
        s = &s[n..];
    }
    while let Some((c, n)) = last_char(s) {
        if !c.is_whitespace() {
            break;
        }
        s = &s[..s.len() - n];
    }
    s
}

fn first_char(s: &[u8]) -> Option<(char, usize)> {
    (1..=4.min(s.len())).find_map(|n| Some((std::str::from_utf8(s.get(..n)?).ok()?.chars().next()?, n)))
}

fn last_char(s: &[u8]) -> Option<(char, usize)> {
    (1..=4.min(s.len())).find_map(|n| Some((std::str::from_utf8(s.get(s.len() - n..)?).ok()?.chars().next()?, n)))
}

/// Go's `filepath.Match` (Unix: `/` separates, `\\` escapes): `*` is any run
/// of non-`/` characters, `?` one non-`/` character, `[...]`/`[^...]` a class.
/// On bytes, as Go slices strings.
pub fn go_match(mut pattern: &[u8], mut name: &[u8]) -> Result<bool, BadPattern> {
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
fn match_chunk<'a>(mut chunk: &[u8], mut s: &'a [u8]) -> Result<(&'a [u8], bool), BadPattern> {
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
                        return Err(BadPattern);
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
fn get_esc(chunk: &[u8]) -> Result<(char, &[u8]), BadPattern> {
    let chunk = match chunk.first() {
        None | Some(b'-') | Some(b']') => return Err(BadPattern),
        Some(b'\\') => &chunk[1..],
        Some(_) => chunk,
    };
    if chunk.is_empty() {
        return Err(BadPattern);
    }
    let (r, n) = decode(chunk);
    if r == '\u{FFFD}' && n == 1 {
        return Err(BadPattern);
    }
    let rest = &chunk[n..];
    if rest.is_empty() {
        return Err(BadPattern);
    }
    Ok((r, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(rule: &str) -> Rules {
        let mut r = Rules::default();
        r.parse_rule(rule.as_bytes()).unwrap_or_else(|e| panic!("{rule}: {e}"));
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

    /// TestParse / TestParseFail / TestParseFile (its testdata/.helmignore).
    #[test]
    fn helms_parse_cases() {
        let r = Rules::parse(b"#ignore\n\n\t#ignore\nfoo\nbar/*\nbaz/bar/foo.txt\n\none/more\n")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.patterns.len(), 4);
        let globs: Vec<&[u8]> = r.patterns.iter().map(|p| p.glob.as_slice()).collect();
        assert_eq!(globs, [&b"foo"[..], b"bar/*", b"baz/bar/foo.txt", b"one/more"]);
        for bad in ["foo/**/bar", "[z-"] {
            assert!(Rules::parse(bad.as_bytes()).is_err(), "{bad}");
        }
        let file = Rules::parse(b"mast/a.txt\n.DS_Store\n.git\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(file.patterns.len(), 3);
        // LoadDir adds the default rule after the file's.
        let r = Rules::for_load_dir(Some(b"foo\n")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.patterns.len(), 2);
    }

    /// What Helm says about a rule it refuses, and on which line it stopped.
    #[test]
    fn refused_rules_are_helms_errors() {
        let err = |b: &[u8]| Rules::for_load_dir(Some(b)).err().map(|e| (e.message, e.line.unwrap_or(0)));
        assert_eq!(err(b"ok\n# c\na/**\n"), Some(("double-star (**) syntax is not supported".into(), 3)));
        assert_eq!(err(b"["), Some(("syntax error in pattern".into(), 1)));
        // The raw rule is compiled: a trailing escape even after `!`.
        assert_eq!(err(b"!a\\"), Some(("syntax error in pattern".into(), 1)));
        // bufio.Scanner: a line of 64 KiB or more (terminated or not).
        let mut long = vec![b'a'; MAX_LINE - 1];
        long.push(b'\n');
        assert_eq!(err(&long), None);
        long.pop();
        long.push(b'a');
        assert_eq!(err(&long), Some(("bufio.Scanner: token too long".into(), 1)));
        // A byte order mark only on the first line; CRLF line ends.
        let r = Rules::for_load_dir(Some(b"\xEF\xBB\xBFa.txt\r\nb.txt\r\n")).unwrap_or_else(|e| panic!("{e}"));
        assert!(r.ignore("a.txt", false) && r.ignore("b.txt", false));
        // Unicode white space is trimmed (Go's TrimSpace), a stray byte is not.
        let r = Rules::parse("\u{a0}x.txt\u{3000}\n".as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert!(r.ignore("x.txt", false));
        let r = Rules::parse(b"\xffx\n").unwrap_or_else(|e| panic!("{e}"));
        assert!(!r.ignore("x", false));
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
            assert_eq!(go_match(p.as_bytes(), n.as_bytes()), Ok(want), "{p} on {n}");
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
            assert_eq!(go_match(p.as_bytes(), n.as_bytes()), Err(BadPattern), "{p} on {n}");
        }
    }

    #[test]
    fn load_dir_walk_skips_ignored_folders_and_template_dotfiles() {
        let r = Rules::for_load_dir(Some(b"*.bak\ndrafts/\n")).unwrap_or_else(|e| panic!("{e}"));
        assert!(r.ignores_file("templates/.scratch.yaml"));
        assert!(r.ignores_file("templates/x.yaml.bak"));
        assert!(r.ignores_file("drafts/a/b.md"));
        assert!(!r.ignores_file("templates/x.yaml"));
        assert!(!r.ignores_file(".helmignore"));
        // The default rule is anchored at the chart root: a subchart's
        // templates/ dotfiles are not left out (Helm loads them).
        assert!(!r.ignores_file("charts/sub/templates/.x.yaml"));
        // No .helmignore: the default rule alone.
        let d = Rules::for_load_dir(None).unwrap_or_else(|e| panic!("{e}"));
        assert!(d.ignores_file("templates/.hidden"));
        assert!(!d.ignores_file("templates/a.bak"));
    }
}
