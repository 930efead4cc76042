//! The layout kyaml (sigs.k8s.io/kustomize/kyaml, go-yaml v3 underneath)
//! gives a document when Helm's post-render path re-serialises it: 2-space
//! mapping indentation, compact sequences (`- ` at the parent key's
//! column), blank lines dropped, comments kept (re-indented with their
//! block), block scalars re-indented relative to their key.
//!
//! Literal (`|`) block scalars are re-emitted from their value the way
//! go-yaml v3 does: the chomping indicator follows the value (`|-` without
//! a final newline — e.g. the last node of a document SplitManifests cut —,
//! `|+` with several), an indentation indicator when the value starts with
//! a space or newline, and double quotes when a literal cannot hold it
//! (empty, a space before a line break, trailing space, control chars).
//! Single-quoted scalars spanning lines are folded to their value and
//! written back with each line break as an empty line.
//! Comments indented deeper than the node that follows them are foot
//! comments of the deeper block and keep that block's column.
//!
//! A line-based re-indenter, not a YAML emitter. Known gaps against kyaml:
//! multi-line flow collections and multi-line plain/double-quoted scalars
//! are not joined, folded (`>`) scalars are not re-folded, a bare `-` line followed
//! by a mapping is not merged into `- key: v`.

struct Block {
    /// Column of this block's entries in the input.
    orig: usize,
    /// Column in the output.
    new: usize,
    seq: bool,
}

fn indent_of(l: &str) -> usize {
    l.len() - l.trim_start_matches(' ').len()
}

/// Does a mapping entry's value (text after `key:`) open a nested block?
fn opens_block(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() || v.starts_with('#') {
        return true;
    }
    // Only an anchor and/or tag, e.g. `key: &a` or `key: !!map`.
    v.split_whitespace().take_while(|t| !t.starts_with('#')).all(|t| t.starts_with('&') || t.starts_with('!'))
}

/// Is the value a block scalar header (`|`, `>-`, `|2+` …)?
fn block_scalar(value: &str) -> bool {
    let v = value.trim();
    let v = v.split(" #").next().unwrap_or(v).trim_end();
    let mut c = v.chars();
    matches!(c.next(), Some('|' | '>')) && c.all(|ch| ch == '-' || ch == '+' || ch.is_ascii_digit())
}

/// Splits `key: value` at the mapping colon (outside quotes); None when the
/// line is not a mapping entry.
// The quote tracking reads as the YAML rules say it ("not in single quotes
// and not escaped"); clippy's De Morgan form does not.
#[allow(clippy::nonminimal_bool)]
fn split_entry(s: &str) -> Option<(&str, &str)> {
    let b = s.as_bytes();
    let mut i = 0;
    let (mut sq, mut dq) = (false, false);
    if matches!(b.first(), Some(b'[' | b'{' | b'#' | b'|' | b'>' | b'&' | b'*' | b'!')) {
        // flow collection, comment, scalar header, alias… (or `&a key:` —
        // rare; treated as a scalar line)
        return None;
    }
    while i < b.len() {
        match b[i] {
            b'\'' if !dq => sq = !sq,
            b'"' if !sq && !(i > 0 && b[i - 1] == b'\\') => {
                dq = !dq;
            }
            b':' if !sq && !dq && (i + 1 == b.len() || b[i + 1] == b' ') => return Some((&s[..i], &s[i + 1..])),
            b' ' if !sq && !dq && b.get(i + 1) == Some(&b'#') => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// Byte offset of a trailing ` #` comment outside quotes, if any.
#[allow(clippy::nonminimal_bool)] // as in split_entry
fn comment_start(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let (mut sq, mut dq) = (false, false);
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\'' if !dq => sq = !sq,
            b'"' if !sq && !(i > 0 && b[i - 1] == b'\\') => dq = !dq,
            b'#' if !sq && !dq && i > 0 && b[i - 1] == b' ' => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// kyaml's spacing: one space before a trailing comment, and a one-line
/// flow collection printed canonically (`[a, b]`, `{k: v}`).
fn tidy_value(v: &str) -> String {
    let (val, comment) = match comment_start(v) {
        Some(i) => (v[..i].trim_end(), Some(&v[i..])),
        None => (v, None),
    };
    let val = if (val.starts_with('[') && val.ends_with(']')) || (val.starts_with('{') && val.ends_with('}')) {
        tidy_flow(val)
    } else {
        val.to_string()
    };
    match comment {
        Some(c) => format!("{val} {c}"),
        None => val,
    }
}

fn tidy_flow(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let (mut sq, mut dq) = (false, false);
    let mut prev = '\0';
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        if sq || dq {
            if (c == '\'' && sq) || (c == '"' && dq && prev != '\\') {
                sq = false;
                dq = false;
            }
            out.push(c);
            prev = c;
            continue;
        }
        match c {
            '\'' => sq = true,
            '"' => dq = true,
            _ => {}
        }
        if c == ' ' {
            // drop spaces after an opener / before a closer / around commas
            let next = chars.peek().copied().unwrap_or(' ');
            if matches!(prev, '[' | '{' | ' ') || matches!(next, ']' | '}' | ',' | ' ') || prev == ',' {
                continue;
            }
        }
        out.push(c);
        if c == ',' {
            out.push(' ');
        }
        prev = c;
    }
    // `{}` / `[]` stay; `{ }` → `{}`.
    out
}

/// A literal block scalar being collected (re-emitted from its value).
struct Literal {
    /// Index in the output of the `key: |` line.
    header_idx: usize,
    /// That line up to and including `: `.
    key_prefix: String,
    /// The owner key's column in the input.
    owner: usize,
    /// Content column in the output.
    new: usize,
    chomp: Option<char>,
    indent: Option<usize>,
    lines: Vec<String>,
}

/// `|`, `|-`, `|+`, `|2`, `|-2`, `|2+` … → (chomp, indentation indicator).
/// None for anything else (folded, trailing comment, junk).
fn literal_header(value: &str) -> Option<(Option<char>, Option<usize>)> {
    let rest = value.trim().strip_prefix('|')?;
    let (mut chomp, mut indent) = (None, None);
    for c in rest.chars() {
        match c {
            '-' | '+' if chomp.is_none() => chomp = Some(c),
            '1'..='9' if indent.is_none() => indent = c.to_digit(10).map(|d| d as usize),
            _ => return None,
        }
    }
    Some((chomp, indent))
}

/// The scalar's value (YAML 1.2 §8.1.1). `final_break`: whether the last
/// collected line ended with a line break (false only at the end of a
/// document that has none).
fn literal_value(l: &Literal, final_break: bool) -> String {
    let ci = match l.indent {
        Some(n) => l.owner + n,
        None => l.lines.iter().find(|x| !x.trim().is_empty()).map(|x| indent_of(x)).unwrap_or(l.owner + 2),
    };
    // Only the (ASCII) indentation is cut, so slicing stays on a char
    // boundary; an under-indented line (invalid YAML) keeps its text.
    let lines: Vec<&str> = l
        .lines
        .iter()
        .map(|x| {
            if x.trim().is_empty() || indent_of(x) >= ci {
                x.get(ci..).unwrap_or("")
            } else {
                x.trim_start_matches(' ')
            }
        })
        .collect();
    let Some(last) = lines.iter().rposition(|x| !x.is_empty()) else {
        return String::new();
    };
    let body = lines[..=last].join("\n");
    let breaks = lines.len() - 1 - last + usize::from(final_break);
    match l.chomp {
        Some('-') => body,
        Some('+') => body + &"\n".repeat(breaks),
        _ => body + if breaks > 0 { "\n" } else { "" },
    }
}

/// go-yaml v3's printable test (yaml_emitter_analyze_scalar).
fn yaml_printable(c: char) -> bool {
    matches!(c, '\n' | '\u{20}'..='\u{7E}' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
        && c != '\u{FEFF}'
}

/// Can go-yaml v3 keep this value in a literal block?
fn block_allowed(v: &str) -> bool {
    !v.is_empty() && !v.ends_with(' ') && !v.contains(" \n") && v.chars().all(|c| c == '\t' || yaml_printable(c))
}

/// go-yaml v3's double-quoted form (no folding: kyaml's width is unlimited).
fn double_quoted(v: &str) -> String {
    let mut out = String::from("\"");
    for c in v.chars() {
        match c {
            '\0' => out.push_str("\\0"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{B}' => out.push_str("\\v"),
            '\u{C}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\u{1B}' => out.push_str("\\e"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if yaml_printable(c) => out.push(c),
            c if (c as u32) <= 0xFF => out.push_str(&format!("\\x{:02X}", c as u32)),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Writes a collected literal the way go-yaml v3 emits its value.
fn finish_literal(out: &mut Vec<String>, l: Literal, final_break: bool) {
    let v = literal_value(&l, final_break);
    if !block_allowed(&v) {
        if let Some(h) = out.get_mut(l.header_idx) {
            *h = format!("{}{}", l.key_prefix, double_quoted(&v));
        }
        return;
    }
    let mut header = String::from("|");
    if v.starts_with(' ') || v.starts_with('\n') {
        header.push('2');
    }
    let trailing = v.len() - v.trim_end_matches('\n').len();
    if trailing == 0 {
        header.push('-');
    } else if trailing >= 2 || v == "\n" {
        header.push('+');
    }
    if let Some(h) = out.get_mut(l.header_idx) {
        *h = format!("{}{header}", l.key_prefix);
    }
    let text = v.strip_suffix('\n').unwrap_or(&v);
    for piece in text.split('\n') {
        out.push(if piece.is_empty() { String::new() } else { format!("{}{piece}", " ".repeat(l.new)) });
    }
}

/// A single-quoted scalar spanning several lines, being collected.
struct Quoted {
    header_idx: usize,
    key_prefix: String,
    /// Continuation column in the output (go-yaml's indent for the value).
    new: usize,
    /// The text of each line inside the quotes (first after `'`).
    segs: Vec<String>,
}

/// Byte index of the closing `'` in a single-quoted run (`''` is an
/// escaped quote), if the line has it.
fn closing_quote(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\'' {
            if b.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

/// YAML flow folding of the collected lines: a single line break becomes
/// a space, each empty line a newline; `''` is a quote.
fn quoted_value(segs: &[String]) -> String {
    let n = segs.len();
    let mut v = String::new();
    let mut empties = 0;
    for (i, seg) in segs.iter().enumerate() {
        let t = match (i == 0, i + 1 == n) {
            (true, true) => seg.as_str(),
            (true, false) => seg.trim_end(),
            (false, true) => seg.trim_start(),
            (false, false) => seg.trim(),
        };
        if i == 0 {
            v.push_str(t);
            continue;
        }
        if t.is_empty() && i + 1 < n {
            empties += 1;
            continue;
        }
        if empties == 0 {
            v.push(' ');
        } else {
            v.push_str(&"\n".repeat(empties));
        }
        empties = 0;
        v.push_str(t);
    }
    v.replace("''", "'")
}

/// Writes a collected single-quoted scalar as go-yaml v3 emits its value:
/// single quotes with each line break written as an empty line (no width
/// folding), or double quotes when single quotes cannot hold it.
fn finish_quoted(out: &mut Vec<String>, q: Quoted) {
    let v = quoted_value(&q.segs);
    let single_ok = !v.contains(" \n") && !v.contains("\n ") && v.chars().all(|c| c != '\t' && yaml_printable(c));
    let text = if single_ok {
        let mut t = String::from("'");
        let mut breaks = false;
        for c in v.chars() {
            if c == '\n' {
                if !breaks {
                    t.push('\n');
                }
                t.push('\n');
                breaks = true;
                continue;
            }
            if breaks {
                t.push_str(&" ".repeat(q.new));
                breaks = false;
            }
            if c == '\'' {
                t.push('\'');
            }
            t.push(c);
        }
        t.push('\'');
        t
    } else {
        double_quoted(&v)
    };
    let mut lines = text.split('\n');
    if let (Some(first), Some(h)) = (lines.next(), out.get_mut(q.header_idx)) {
        *h = format!("{}{first}", q.key_prefix);
    }
    out.extend(lines.map(str::to_string));
}

/// Re-indents one block-style YAML document the way kyaml prints it.
pub fn normalize(doc: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut stack: Vec<Block> = vec![Block { orig: 0, new: 0, seq: false }];
    // A key (or seq item) waiting for its nested block: (orig column of the
    // owner, new column of the owner).
    let mut pending: Option<(usize, usize)> = None;
    // Inside a block scalar: (owner's orig column, content orig column once
    // known, content new column).
    let mut scalar: Option<(usize, Option<usize>, usize)> = None;
    // Continuation lines being joined onto the line of the entry at this
    // orig column.
    let mut joined_owner: Option<usize> = None;
    // Held comments: (text, input column, output column of the deepest
    // open block at or left of that column, a blank line followed it).
    let mut comments: Vec<(String, usize, usize, bool)> = Vec::new();
    let mut literal: Option<Literal> = None;
    // `ind`: the column of the node the comments precede. go-yaml v3 makes
    // a comment indented deeper than that node, or separated from it by a
    // blank line, a foot comment of the block before: printed at that
    // block's column and followed by a blank line unless a sequence item
    // comes next. Other comments are the next node's head comments.
    let flush = |out: &mut Vec<String>,
                 comments: &mut Vec<(String, usize, usize, bool)>,
                 col: usize,
                 ind: usize,
                 item: bool| {
        let is_foot = |at: usize, blank: bool| at > ind || blank;
        let feet = comments.iter().filter(|(_, at, _, b)| is_foot(*at, *b)).count();
        let heads = comments.len() - feet;
        for (c, at, own, blank) in comments.drain(..) {
            if !is_foot(at, blank) {
                out.push(format!("{}{}", " ".repeat(col), c));
                continue;
            }
            out.push(format!("{}{}", " ".repeat(own), c));
        }
        if feet > 0 && (!item || heads > 0) {
            // The blank line goes between the foot and what follows.
            let at = out.len() - heads;
            out.insert(at, String::new());
        }
    };
    let mut quoted: Option<Quoted> = None;
    for raw in doc.lines() {
        if let Some(q) = quoted.as_mut() {
            match closing_quote(raw) {
                None => q.segs.push(raw.to_string()),
                Some(i) => {
                    q.segs.push(raw.get(..i).unwrap_or("").to_string());
                    if let Some(q) = quoted.take() {
                        finish_quoted(&mut out, q);
                    }
                }
            }
            continue;
        }
        if let Some(l) = literal.as_mut() {
            if raw.trim().is_empty() || indent_of(raw) > l.owner {
                l.lines.push(raw.to_string());
                continue;
            }
            if let Some(l) = literal.take() {
                finish_literal(&mut out, l, true);
            }
        }
        // Trailing spaces never survive kyaml (outside block scalars).
        let line = if scalar.is_some() { raw } else { raw.trim_end() };
        let ind = indent_of(line);
        let body = line.trim_start_matches(' ');
        if let Some((owner, content, new)) = scalar {
            if body.is_empty() {
                out.push(String::new());
                continue;
            }
            if ind > owner {
                let c = content.unwrap_or(ind);
                scalar = Some((owner, Some(c), new));
                out.push(format!("{}{}", " ".repeat(new + ind.saturating_sub(c)), body));
                continue;
            }
            scalar = None;
            // Trailing blank lines belonged to the scalar only if it keeps
            // them (`|+`); kyaml drops them otherwise.
            while out.last().is_some_and(|l| l.is_empty()) {
                out.pop();
            }
        }
        if body.is_empty() {
            // kyaml drops blank lines, but one after comments makes them
            // foot comments.
            // Not for comments opening a nested block (right after `key:`):
            // there is no node before them to be the foot of.
            if pending.is_none() {
                for c in comments.iter_mut() {
                    c.3 = true;
                }
            }
            continue;
        }
        if body.starts_with('#') {
            // kyaml attaches a comment to the node that follows it and
            // prints it at that node's column: hold it until then.
            let own = stack.iter().rev().find(|b| b.orig <= ind).map(|b| b.new).unwrap_or(0);
            comments.push((body.to_string(), ind, own, false));
            continue;
        }
        let is_item = body == "-" || body.starts_with("- ");
        // A key whose value sits on the following line(s) (`resources:` /
        // `  {}`, or a scalar wrapped by go-yaml v2): kyaml prints the value
        // on the key's line.
        if let Some((o, _)) = pending {
            if ind > o && !is_item && split_entry(body).is_none() {
                if let Some(last) = out.last_mut() {
                    last.push(' ');
                    last.push_str(body);
                }
                pending = None;
                joined_owner = Some(o);
                continue;
            }
        }
        if let Some(o) = joined_owner {
            if ind > o && !is_item && split_entry(body).is_none() {
                if let Some(last) = out.last_mut() {
                    last.push(' ');
                    last.push_str(body);
                }
                continue;
            }
            joined_owner = None;
        }
        // Open the pending block if this line is its first entry.
        if let Some((o, n)) = pending.take() {
            if ind > o || (is_item && ind == o && !stack.last().is_some_and(|b| b.seq && b.orig == ind)) {
                stack.push(Block { orig: ind, new: if is_item { n } else { n + 2 }, seq: is_item });
            }
        }
        while stack.len() > 1 && stack.last().is_some_and(|b| b.orig > ind || (b.orig == ind && b.seq && !is_item)) {
            stack.pop();
        }
        let Some(top) = stack.last() else { break };
        if ind > top.orig && !(top.seq && is_item) {
            // A continuation of the previous line's scalar or flow value
            // (go-yaml v2 wraps long strings): kyaml joins it.
            if let Some(last) = out.last_mut() {
                last.push(' ');
                last.push_str(body);
            }
            joined_owner = Some(ind.saturating_sub(1));
            continue;
        }
        let base = top.new;
        // Peel `- ` prefixes (nested sequences on one line).
        let mut col = base;
        let mut rest = body;
        let mut orig_col = ind;
        let mut prefix = String::new();
        let mut first = true;
        while rest == "-" || rest.starts_with("- ") {
            if !first {
                stack.push(Block { orig: orig_col, new: col, seq: true });
            }
            first = false;
            prefix.push_str("- ");
            let after = rest.get(1..).unwrap_or("");
            let trimmed = after.trim_start_matches(' ');
            orig_col += 1 + (after.len() - trimmed.len());
            col += 2;
            rest = trimmed;
            if rest.is_empty() {
                break;
            }
        }
        flush(&mut out, &mut comments, base, ind, is_item);
        if rest.is_empty() {
            // Bare `-`: its content follows on the next lines.
            out.push(format!("{}{}", " ".repeat(base), prefix.trim_end()));
            pending = Some((orig_col.saturating_sub(2), col.saturating_sub(2)));
            continue;
        }
        let entry = split_entry(rest);
        let line_out = match entry {
            // `key:   value` → `key: value`
            Some((k, v)) if !v.trim().is_empty() => {
                format!("{}{}{}: {}", " ".repeat(base), prefix, k, tidy_value(v.trim_start()))
            }
            _ => format!("{}{}{}", " ".repeat(base), prefix, tidy_value(rest)),
        };
        match entry {
            Some((_, value)) => {
                if !prefix.is_empty() {
                    // `- key: v` starts a mapping inside the item.
                    stack.push(Block { orig: orig_col, new: col, seq: false });
                }
                let v = value.trim_start();
                let open_quote = v.strip_prefix('\'').filter(|after| closing_quote(after).is_none());
                if let (Some(after), Some((k, _))) = (open_quote, entry) {
                    quoted = Some(Quoted {
                        header_idx: out.len(),
                        key_prefix: format!("{}{}{}: ", " ".repeat(base), prefix, k),
                        new: col + 2,
                        segs: vec![after.to_string()],
                    });
                } else if let (Some((chomp, indent)), Some((k, _))) = (literal_header(value), entry) {
                    literal = Some(Literal {
                        header_idx: out.len(),
                        key_prefix: format!("{}{}{}: ", " ".repeat(base), prefix, k),
                        owner: orig_col,
                        new: col + 2,
                        chomp,
                        indent,
                        lines: Vec::new(),
                    });
                } else if block_scalar(value) {
                    scalar = Some((orig_col, None, col + 2));
                } else if opens_block(value) {
                    pending = Some((orig_col, col));
                }
            }
            None => {
                if block_scalar(rest) && !prefix.is_empty() {
                    scalar = Some((orig_col.saturating_sub(2), None, col));
                }
            }
        }
        out.push(line_out);
    }
    if let Some(l) = literal.take() {
        finish_literal(&mut out, l, doc.ends_with('\n'));
    }
    if let Some(q) = quoted.take() {
        finish_quoted(&mut out, q); // unterminated (invalid YAML): keep the text
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    // Comments after the last node stay at the column they would follow.
    let last_col = stack.last().map(|b| b.new).unwrap_or(0);
    flush(&mut out, &mut comments, last_col, 0, true);
    let mut s = out.join("\n");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn reindents_like_kyaml() {
        // Expected text printed by real Helm 4.2.3 (kyaml) for this input.
        let input = "kind: Indented\nmetadata:\n    name: four\n    annotations:\n        keep: \"yes\"\nspec:\n    containers:\n      - name: web\n        image: nginx\n\n        args:\n        - --a\n        -   --b\n    # comment in spec\n    script: |\n        echo hi\n          indented more\n    long: a b\n    empty:\n    tilde: ~\n    'quoted key': \"double\"\n    nested:\n      - - x\n        - y\n";
        let want = "kind: Indented\nmetadata:\n  name: four\n  annotations:\n    keep: \"yes\"\nspec:\n  containers:\n  - name: web\n    image: nginx\n    args:\n    - --a\n    - --b\n  # comment in spec\n  script: |\n    echo hi\n      indented more\n  long: a b\n  empty:\n  tilde: ~\n  'quoted key': \"double\"\n  nested:\n  - - x\n    - y\n";
        assert_eq!(normalize(input), want);
    }

    #[test]
    fn flow_and_comment_spacing() {
        assert_eq!(
            normalize("a: [ \"x\" ,  'y' ]   # c\nb:\n  - get     # view\n"),
            "a: [\"x\", 'y'] # c\nb:\n- get # view\n"
        );
        assert_eq!(normalize("a: {}\nb: [ ]\nc: \"[ keep ]\"\n"), "a: {}\nb: []\nc: \"[ keep ]\"\n");
    }

    #[test]
    fn literal_never_panics_on_odd_indentation() {
        // Under-indented line with a multi-byte char (invalid YAML from a
        // plugin): no panic, the text survives.
        let out = normalize("a: |\n      x\n    ééé\nb: 1\n");
        assert!(out.contains("ééé"), "{out}");
        let _ = normalize("a: |2\n\u{3000}x\n é\nb: 1\n");
    }

    #[test]
    fn already_normal_is_unchanged() {
        let s = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    a: b\nspec:\n  containers:\n  - name: c\n    args:\n    - x\n    env:\n    - name: A\n      value: \"1\"\n  data: |\n    x\n\n    y\n";
        assert_eq!(normalize(s), s);
    }
}
