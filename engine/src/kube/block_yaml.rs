//! A fast decoder for the plain block-style YAML that CRD generators
//! (controller-gen) and most chart templates write: block mappings and
//! sequences, plain and one-line quoted scalars, literal block scalars
//! (`|`, `|-`), empty `[]`/`{}` and comments.
//!
//! Validation decodes megabytes of CRD YAML (kube-prometheus-stack ships
//! 4.5 MB) and every rendered document; the full decoder (libyaml events,
//! go-yaml's node tree, sigs.k8s.io/yaml's JSON conversion) is exact but
//! several times slower. This one gives up — `None` — on anything outside
//! its subset or anything it is not sure of (tabs, anchors, tags, flow
//! collections, folded or multi-line scalars, duplicate keys, odd
//! indentation…), and the caller then uses the full decoder. What it
//! accepts it decodes to the very value the full decoder gives: plain
//! scalars are resolved by the same `yaml::resolve`, numbers become
//! float64 as sigs.k8s.io/yaml's JSON step makes them. The tests compare
//! the two on every CRD file and rendered document of the corpus.

use crate::value::{Map, Value};
use crate::yaml::resolve::{self, Scalar};

/// Nesting deeper than this is left to the full decoder.
const MAX_DEPTH: usize = 200;

/// Every document of a stream, like `yaml::parse_all`.
pub(crate) fn parse_all(src: &str) -> Option<Vec<Value>> {
    let mut p = Parser::new(src)?;
    let mut docs = Vec::new();
    // An implicit first document (content before any `---`).
    p.skip_insignificant();
    if p.i < p.lines.len() && !p.is_marker(p.i) {
        docs.push(p.document()?);
    }
    while p.i < p.lines.len() {
        p.skip_insignificant();
        if p.i >= p.lines.len() {
            break;
        }
        if !p.is_marker(p.i) {
            return None;
        }
        // `---` alone (or before a comment) opens a document.
        let rest = p.lines[p.i].1[3..].trim_start_matches(' ');
        if !(rest.is_empty() || rest.starts_with('#')) {
            return None;
        }
        p.i += 1;
        docs.push(p.document()?);
    }
    Some(docs)
}

/// The first document, like `yaml::parse` (an empty stream is null).
pub(crate) fn parse(src: &str) -> Option<Value> {
    let docs = parse_all(src)?;
    Some(docs.into_iter().next().unwrap_or(Value::Nil))
}

struct Parser<'a> {
    /// (indent, text after the indent) per line.
    lines: Vec<(usize, &'a str)>,
    i: usize,
    depth: usize,
}

/// Characters libyaml reads differently or rejects: tabs, carriage
/// returns and other controls, the byte order mark, YAML 1.1's extra line
/// breaks (NEL, LS, PS) and non-characters.
fn unsupported_char(c: char) -> bool {
    matches!(c, '\0'..='\u{9}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Option<Parser<'a>> {
        if src.chars().any(unsupported_char) || src.starts_with('%') {
            return None;
        }
        let lines = src
            .split('\n')
            .map(|l| {
                let indent = l.len() - l.trim_start_matches(' ').len();
                (indent, &l[indent..])
            })
            .collect();
        Some(Parser { lines, i: 0, depth: 0 })
    }

    /// A `---` line (column 0); `...` and directives are not supported.
    fn is_marker(&self, i: usize) -> bool {
        let (ind, t) = self.lines[i];
        ind == 0 && t.starts_with("---") && (t.len() == 3 || t.as_bytes()[3] == b' ')
    }

    fn is_doc_end(&self, i: usize) -> bool {
        let (ind, t) = self.lines[i];
        ind == 0 && t.starts_with("...") && (t.len() == 3 || t.as_bytes()[3] == b' ')
    }

    /// Skips blank and comment lines.
    fn skip_insignificant(&mut self) {
        while self.i < self.lines.len() {
            let t = self.lines[self.i].1;
            if t.is_empty() || t.starts_with('#') {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    /// The next significant line, if it belongs to this document.
    fn peek(&mut self) -> Option<Option<(usize, &'a str)>> {
        self.skip_insignificant();
        if self.i >= self.lines.len() || self.is_marker(self.i) {
            return Some(None);
        }
        if self.is_doc_end(self.i) {
            return None;
        }
        Some(Some(self.lines[self.i]))
    }

    fn document(&mut self) -> Option<Value> {
        match self.peek()? {
            None => Some(Value::Nil),
            Some((ind, _)) => {
                let v = self.node(ind)?;
                // Anything left in the document is outside the subset.
                match self.peek()? {
                    None => Some(v),
                    Some(_) => None,
                }
            }
        }
    }

    /// A block node whose first line is the next significant line, at
    /// indent `ind`.
    fn node(&mut self, ind: usize) -> Option<Value> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let (_, t) = self.lines[self.i];
        let v = if is_dash(t) {
            self.sequence(ind)
        } else if split_key(t).is_some() {
            self.mapping(ind)
        } else {
            None
        };
        self.depth -= 1;
        v
    }

    fn mapping(&mut self, n: usize) -> Option<Value> {
        let mut m = Map::new();
        while let Some((ind, t)) = self.peek()? {
            if ind < n {
                break;
            }
            if ind > n {
                return None;
            }
            let (key, rest) = split_key(t)?;
            if m.contains_key(&key) {
                return None;
            }
            self.i += 1;
            let v = self.value(n, rest, true)?;
            m.insert(key, v);
        }
        Some(Value::map(m))
    }

    fn sequence(&mut self, n: usize) -> Option<Value> {
        let mut items = Vec::new();
        while let Some((ind, t)) = self.peek()? {
            if ind < n || (ind == n && !is_dash(t)) {
                break;
            }
            if ind > n {
                return None;
            }
            let rest = &t[1..];
            let spaces = rest.len() - rest.trim_start_matches(' ').len();
            let content = &rest[spaces..];
            if content.is_empty() || content.starts_with('#') {
                self.i += 1;
                items.push(self.nested(n, false)?);
            } else if is_dash(content) {
                return None;
            } else if split_key(content).is_some() {
                // `- key: value`: a mapping whose keys sit at this column.
                self.lines[self.i] = (n + 1 + spaces, content);
                let col = n + 1 + spaces;
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return None;
                }
                let v = self.mapping(col)?;
                self.depth -= 1;
                items.push(v);
            } else {
                self.i += 1;
                items.push(self.value(n, content, false)?);
            }
        }
        Some(Value::list(items))
    }

    /// What follows a key's `:` or an item's `-` on its line (`rest`,
    /// spaces included); `n` is the indent of the key or dash.
    fn value(&mut self, n: usize, rest: &'a str, in_map: bool) -> Option<Value> {
        let s = rest.trim_start_matches(' ');
        if s.is_empty() || s.starts_with('#') {
            if !s.is_empty() && s.len() == rest.len() {
                return None; // `key:#` is not a comment
            }
            return self.nested(n, in_map);
        }
        if s.len() == rest.len() && in_map {
            return None; // `key:value`
        }
        match s.as_bytes()[0] {
            b'|' => self.literal(n, &s[1..]),
            b'"' | b'\'' => {
                let v = self.quoted(n, s)?;
                self.end_of_scalar(n)?;
                Some(Value::string(v))
            }
            b'[' | b'{' => {
                let (body, tail) = s.split_at(2.min(s.len()));
                if !(body == "[]" || body == "{}") || !is_comment_tail(tail) {
                    return None;
                }
                self.end_of_scalar(n)?;
                Some(if body == "[]" { Value::list(Vec::new()) } else { Value::map(Map::new()) })
            }
            b'>' | b'&' | b'*' | b'!' | b'%' | b'@' | b'`' | b'?' | b':' | b',' | b']' | b'}' | b'-' | b'#' => {
                if s.starts_with('-') && !is_dash(s) && !s.starts_with("- ") {
                    // `-1`, `-foo`: a plain scalar.
                    return self.plain(n, s);
                }
                None
            }
            _ => self.plain(n, s),
        }
    }

    /// A value on the lines below (a key or dash with nothing after it):
    /// a more indented node, a sequence at the key's own indent, or null.
    fn nested(&mut self, n: usize, in_map: bool) -> Option<Value> {
        match self.peek()? {
            Some((ind, _)) if ind > n => self.node(ind),
            Some((ind, t)) if in_map && ind == n && is_dash(t) => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return None;
                }
                let v = self.sequence(n);
                self.depth -= 1;
                v
            }
            _ => Some(Value::Nil),
        }
    }

    /// After a one-line scalar: a more indented line would continue it (or
    /// be an error); the full decoder handles those.
    fn end_of_scalar(&mut self, n: usize) -> Option<()> {
        let mut j = self.i;
        while j < self.lines.len() && self.lines[j].1.is_empty() {
            j += 1;
        }
        match self.lines.get(j) {
            Some(&(ind, t)) if ind > n && !t.starts_with('#') => None,
            _ => Some(()),
        }
    }

    /// The blank lines from `self.i` and the next line after them, when
    /// it continues a scalar of the node at indent `n` (indented past it).
    fn continuation(&self, n: usize) -> Option<(usize, &'a str)> {
        let mut j = self.i;
        while j < self.lines.len() && self.lines[j].1.is_empty() {
            j += 1;
        }
        match self.lines.get(j) {
            Some(&(ind, t)) if ind > n => Some((j - self.i, t)),
            _ => None,
        }
    }

    /// A quoted scalar starting at `s`, maybe over several lines: a line
    /// break between two lines folds to a space, blank lines to line
    /// breaks, and the spaces around them go.
    fn quoted(&mut self, n: usize, s: &str) -> Option<String> {
        let q = s.as_bytes()[0];
        if quoted_end(s, q).is_some() {
            return if q == b'"' { double_quoted(s) } else { single_quoted(s) };
        }
        // A backslash at a line's end (an escaped line break, or an
        // escaped space the folding would trim) is left to the full decoder.
        let odd_backslashes = |piece: &str| q == b'"' && (piece.len() - piece.trim_end_matches('\\').len()) % 2 == 1;
        let first = s[1..].trim_end_matches(' ');
        if odd_backslashes(first) {
            return None;
        }
        let mut body = first.to_string();
        loop {
            let (blanks, t) = self.continuation(n)?;
            self.i += blanks + 1;
            match blanks {
                0 => body.push(' '),
                k => body.extend(std::iter::repeat_n('\n', k)),
            }
            match find_close(t, q) {
                Some(e) => {
                    if !is_comment_tail(&t[e + 1..]) {
                        return None;
                    }
                    body.push_str(&t[..e]);
                    return if q == b'"' {
                        double_quoted(&format!("\"{body}\""))
                    } else {
                        single_quoted(&format!("'{body}'"))
                    };
                }
                None => {
                    let piece = t.trim_end_matches(' ');
                    if odd_backslashes(piece) {
                        return None;
                    }
                    body.push_str(piece);
                }
            }
        }
    }

    fn plain(&mut self, n: usize, s: &str) -> Option<Value> {
        let (s, comment) = match s.find(" #") {
            Some(i) => (&s[..i], true),
            None => (s, false),
        };
        let s = s.trim_end_matches(' ');
        if s.contains(": ") || s.ends_with(':') {
            return None;
        }
        // More lines of the same scalar (not after a comment, which ends
        // it), folded as quoted scalars are.
        let mut folded = String::new();
        if !comment {
            while let Some((blanks, t)) = self.continuation(n) {
                if t.starts_with('#') || self.is_marker(self.i + blanks) || self.is_doc_end(self.i + blanks) {
                    break;
                }
                let (t, comment) = match t.find(" #") {
                    Some(i) => (&t[..i], true),
                    None => (t, false),
                };
                let t = t.trim_end_matches(' ');
                if t.contains(": ") || t.ends_with(':') || t.starts_with("- ") || t == "-" {
                    return None;
                }
                if folded.is_empty() {
                    folded.push_str(s);
                }
                match blanks {
                    0 => folded.push(' '),
                    k => folded.extend(std::iter::repeat_n('\n', k)),
                }
                folded.push_str(t);
                self.i += blanks + 1;
                if comment {
                    break;
                }
            }
        }
        let s = if folded.is_empty() { s } else { folded.as_str() };
        self.end_of_scalar(n)?;
        let (_, r) = resolve::resolve("", s).ok()?;
        Some(match r {
            Scalar::Null => Value::Nil,
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::Int(i) => Value::Float(i as f64),
            Scalar::Uint(u) => Value::Float(u as f64),
            Scalar::Float(f) if f.is_finite() => Value::Float(f),
            Scalar::Float(_) => return None,
            Scalar::Str | Scalar::Timestamp => Value::string(s.to_string()),
            Scalar::Merge => return None,
        })
    }

    /// A literal block scalar (`|`, `|-`); `header` follows the `|`.
    fn literal(&mut self, n: usize, header: &str) -> Option<Value> {
        let (strip, tail) = match header.strip_prefix('-') {
            Some(t) => (true, t),
            None => (false, header),
        };
        if !(tail.is_empty() || (tail.starts_with(' ') && is_comment_tail(tail))) {
            return None; // `|+`, `|2`, `|x`
        }
        // The block's indent: its first non-blank line's.
        let mut j = self.i;
        while j < self.lines.len() && self.lines[j].1.is_empty() {
            j += 1;
        }
        let block = match self.lines.get(j) {
            Some(&(ind, _)) if ind > n && !self.is_marker(j) && !self.is_doc_end(j) => ind,
            _ => {
                // No content: an empty string; the blank lines are the
                // block's (libyaml reads more-indented ones as content).
                if self.lines[self.i..j].iter().any(|(ind, _)| *ind > n) {
                    return None;
                }
                self.i = j;
                return Some(Value::string(String::new()));
            }
        };
        // Leading blank lines indented past the block are an error.
        if self.lines[self.i..j].iter().any(|(ind, _)| *ind > block) {
            return None;
        }
        let mut out = String::new();
        // Line index after the last content line written.
        let mut after_last: Option<usize> = None;
        let mut k = self.i;
        while k < self.lines.len() {
            let (ind, t) = self.lines[k];
            if t.is_empty() {
                if ind > block {
                    return None; // spaces beyond the indent on a blank line
                }
                k += 1;
                continue;
            }
            if ind < block || self.is_marker(k) || self.is_doc_end(k) {
                break;
            }
            // A line break per blank line since the previous content line
            // (or since the header: leading blank lines are kept).
            match after_last {
                Some(prev) => (prev..k).for_each(|_| out.push('\n')),
                None => (self.i..k).for_each(|_| out.push('\n')),
            }
            if after_last.is_some() {
                out.push('\n');
            }
            out.extend(std::iter::repeat_n(' ', ind - block));
            out.push_str(t);
            k += 1;
            after_last = Some(k);
        }
        // Trailing blank lines are chomped; clip keeps the last content
        // line's break, if the input has one.
        self.i = after_last.unwrap_or(self.i);
        if !strip && after_last.is_some_and(|a| a < self.lines.len()) {
            out.push('\n');
        }
        Some(Value::string(out))
    }
}

/// A `-` entry line: `-` alone or followed by a space.
fn is_dash(t: &str) -> bool {
    t == "-" || t.starts_with("- ")
}

/// Spaces then nothing or a comment.
fn is_comment_tail(t: &str) -> bool {
    let s = t.trim_start_matches(' ');
    s.is_empty() || (s.starts_with('#') && s.len() < t.len())
}

/// `key: rest` or `key:` (a plain key that resolves to a string, or a
/// one-line quoted key): the key and what follows its colon.
fn split_key(t: &str) -> Option<(String, &str)> {
    let (key, after) = match t.as_bytes().first()? {
        b'"' => {
            let end = quoted_end(t, b'"')?;
            (double_quoted(&t[..=end])?, &t[end + 1..])
        }
        b'\'' => {
            let end = quoted_end(t, b'\'')?;
            (single_quoted(&t[..=end])?, &t[end + 1..])
        }
        c if b"-?:,[]{}#&*!|>%@`".contains(c) => return None,
        _ => {
            let colon = match t.find(": ") {
                Some(i) => i,
                None if t.ends_with(':') => t.len() - 1,
                None => return None,
            };
            let k = &t[..colon];
            // `<<` merges a mapping in (go-yaml's merge key).
            if k.is_empty() || k.ends_with(' ') || k.contains(" #") || k == "<<" {
                return None;
            }
            match resolve::resolve("", k).ok()?.1 {
                Scalar::Str => {}
                _ => return None,
            }
            (k.to_string(), &t[colon..])
        }
    };
    let rest = after.strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    Some((key, rest))
}

/// Index of the closing quote of a one-line quoted scalar at the start of
/// `t`.
fn quoted_end(t: &str, q: u8) -> Option<usize> {
    find_close(&t[1..], q).map(|i| i + 1)
}

/// Index of the quote that closes a quoted scalar continuing in `t`.
fn find_close(t: &str, q: u8) -> Option<usize> {
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if q == b'"' && b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == q {
            if q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

/// A one-line double-quoted scalar (the whole of `s` up to the closing
/// quote and an optional comment), with YAML's common escapes.
fn double_quoted(s: &str) -> Option<String> {
    let end = quoted_end(s, b'"')?;
    if !is_comment_tail(&s[end + 1..]) {
        return None;
    }
    let body = &s[1..end];
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let e = chars.next()?;
        let hex = |chars: &mut std::str::Chars, n: usize| -> Option<char> {
            let h: String = chars.by_ref().take(n).collect();
            if h.len() != n {
                return None;
            }
            char::from_u32(u32::from_str_radix(&h, 16).ok()?)
        };
        out.push(match e {
            '\\' => '\\',
            '"' => '"',
            '/' => '/',
            ' ' => ' ',
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            '0' => '\0',
            'a' => '\u{7}',
            'b' => '\u{8}',
            'e' => '\u{1b}',
            'f' => '\u{c}',
            'v' => '\u{b}',
            'x' => {
                // A byte escape above 0x7F would need Go's byte strings.
                let c = hex(&mut chars, 2)?;
                if !c.is_ascii() {
                    return None;
                }
                c
            }
            'u' => hex(&mut chars, 4)?,
            'U' => hex(&mut chars, 8)?,
            _ => return None,
        });
    }
    Some(out)
}

/// A one-line single-quoted scalar (`''` is a quote).
fn single_quoted(s: &str) -> Option<String> {
    let end = quoted_end(s, b'\'')?;
    if !is_comment_tail(&s[end + 1..]) {
        return None;
    }
    Some(s[1..end].replace("''", "'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What this decoder accepts, it decodes as the full decoder does.
    fn same(src: &str) {
        let fast = parse_all(src).unwrap_or_else(|| panic!("refused: {src:?}"));
        let full = crate::yaml::parse_all(src).unwrap();
        assert_eq!(fast, full, "{src:?}");
    }

    fn refused(src: &str) {
        assert!(parse_all(src).is_none(), "accepted: {src:?}");
    }

    #[test]
    fn subset_decodes_like_the_full_decoder() {
        same("a: 1\nb: true\nc: ~\nd: 1.5\ne: hello world\nf: \"q\\\"x\\u00e9\"\ng: 'it''s'\nh: []\ni: {}\n");
        same("---\n# c\nspec:\n  list:\n  - a\n  - b: 1\n    c: 2\n  -\n    d: 3\n  other: -1\n");
        same("k:\n  - x # comment\n  - 'y'\nz: 0x1F\nw: 010\nv: 1e3\nu: yes\nt: 2026-01-02\n");
        same("d: |\n  line 1\n\n    indented\n  last\ne: |-\n  stripped\n\n\nf: x\n");
        same("a: |\n\nb: 1\n");
        same("a: |\n  no break at the end");
        same("d: a plain scalar\n  over two lines\n\n  and a paragraph\ne: 'single\n  quoted  \n  ''x'''\nf: \"double\n\n  quoted\"\n");
        same("- a\n  b\n- c: d\n    e\n");
        same("a: \"multi\n  line\"\n");
        same("a: \"escapes \\t\\\\\n  and \\\"folds\\\"\\n  \"\n");
        same("a: 1\n---\nb: 2\n---\n");
        same("");
        same("# only a comment\n");
        same("- 1\n- two\n");
        same("a:\n- 1\nb:\n  c:\n  - d\n");
    }

    #[test]
    fn outside_the_subset_is_refused() {
        for src in [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: [1, 2]\n",
            "a: >\n  folded\n",
            "a: |+\n  kept\n",
            "a: plain\n  continued: x\n",
            "a: \"esc\\\n  aped\"\n",
            "a: 1\na: 2\n",
            "a:\tb\n",
            "a: 1\n b: 2\n",
            "1: x\n",
            "<<: {}\n",
            "a: b: c\n",
            "a: .inf\n",
            "%YAML 1.1\n---\na: 1\n",
            "a: 1\n...\n",
        ] {
            refused(src);
        }
    }
}
