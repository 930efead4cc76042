//! The layout kyaml (sigs.k8s.io/kustomize/kyaml, go-yaml v3 underneath)
//! gives a document when Helm's post-render path re-serialises it: 2-space
//! mapping indentation, compact sequences (`- ` at the parent key's
//! column), blank lines dropped, comments kept (re-indented with their
//! block), block scalars re-indented relative to their key.
//!
//! A line-based re-indenter, not a YAML emitter. Known gaps against kyaml:
//! multi-line flow collections and multi-line plain/quoted scalars are not
//! joined, folded (`>`) scalars are not re-folded, a bare `-` line followed
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
            b'"' if !sq => {
                if !(i > 0 && b[i - 1] == b'\\') {
                    dq = !dq;
                }
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
    let mut comments: Vec<String> = Vec::new();
    let flush = |out: &mut Vec<String>, comments: &mut Vec<String>, col: usize| {
        for c in comments.drain(..) {
            out.push(format!("{}{}", " ".repeat(col), c));
        }
    };
    for raw in doc.lines() {
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
            continue; // kyaml drops blank lines
        }
        if body.starts_with('#') {
            // kyaml attaches a comment to the node that follows it and
            // prints it at that node's column: hold it until then.
            comments.push(body.to_string());
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
        flush(&mut out, &mut comments, base);
        if rest.is_empty() {
            // Bare `-`: its content follows on the next lines.
            out.push(format!("{}{}", " ".repeat(base), prefix.trim_end()));
            pending = Some((orig_col.saturating_sub(2), col.saturating_sub(2)));
            continue;
        }
        let entry = split_entry(rest);
        let line_out = match entry {
            // `key:   value` → `key: value`
            Some((k, v)) if !v.trim().is_empty() => format!("{}{}{}: {}", " ".repeat(base), prefix, k, tidy_value(v.trim_start())),
            _ => format!("{}{}{}", " ".repeat(base), prefix, tidy_value(rest)),
        };
        match entry {
            Some((_, value)) => {
                if !prefix.is_empty() {
                    // `- key: v` starts a mapping inside the item.
                    stack.push(Block { orig: orig_col, new: col, seq: false });
                }
                if block_scalar(value) {
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
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    // Comments after the last node stay at the column they would follow.
    let last_col = stack.last().map(|b| b.new).unwrap_or(0);
    flush(&mut out, &mut comments, last_col);
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
        assert_eq!(normalize("a: [ \"x\" ,  'y' ]   # c\nb:\n  - get     # view\n"), "a: [\"x\", 'y'] # c\nb:\n- get # view\n");
        assert_eq!(normalize("a: {}\nb: [ ]\nc: \"[ keep ]\"\n"), "a: {}\nb: []\nc: \"[ keep ]\"\n");
    }

    #[test]
    fn already_normal_is_unchanged() {
        let s = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    a: b\nspec:\n  containers:\n  - name: c\n    args:\n    - x\n    env:\n    - name: A\n      value: \"1\"\n  data: |\n    x\n\n    y\n";
        assert_eq!(normalize(s), s);
    }
}
