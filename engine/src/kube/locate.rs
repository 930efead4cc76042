//! The line a finding's field path is on, in a document's text: block-style
//! YAML as templates print it (`key: value`, `- item` lists). Flow style
//! or anything unexpected gives the deepest line found (or none), so the
//! page links the finding to its document at worst.

enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// `spec.containers[0].resources.limits[cpu]` → segments (a bracketed map
/// key may hold dots: `labels[app.kubernetes.io/name]`).
fn segments(path: &str) -> Vec<Seg<'_>> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').unwrap_or(r.len());
            let inner = &r[..end];
            out.push(match inner.parse::<usize>() {
                Ok(i) => Seg::Index(i),
                Err(_) => Seg::Key(inner),
            });
            rest = r.get(end + 1..).unwrap_or("");
        } else {
            let r = rest.strip_prefix('.').unwrap_or(rest);
            let end = r.find(['.', '[']).unwrap_or(r.len());
            if end > 0 {
                out.push(Seg::Key(&r[..end]));
            }
            rest = &r[end..];
            if end == 0 && !rest.starts_with('[') {
                rest = rest.get(1..).unwrap_or("");
            }
        }
    }
    out
}

/// Column and text of a line's content (after its indentation).
fn content(line: &str) -> (usize, &str) {
    let t = line.trim_start_matches(' ');
    (line.len() - t.len(), t)
}

fn is_blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// Column and text of a line's key, after the dashes of list items that
/// start on the same line.
fn key_at(line: &str) -> (usize, &str) {
    let (mut col, mut t) = content(line);
    while let Some(r) = t.strip_prefix("- ") {
        let r2 = r.trim_start_matches(' ');
        col += 2 + (r.len() - r2.len());
        t = r2;
    }
    (col, t)
}

fn key_matches(text: &str, key: &str) -> bool {
    let unq = |q: char| text.strip_prefix(q).and_then(|r| r.strip_prefix(key)).and_then(|r| r.strip_prefix(q));
    let rest = text.strip_prefix(key).or_else(|| unq('"')).or_else(|| unq('\''));
    rest.is_some_and(|r| r.starts_with(':') && (r.len() == 1 || r[1..].starts_with([' ', '\t'])))
}

/// The 0-based line of `path` in `doc`, or the deepest parent found.
pub(crate) fn field_line(doc: &str, path: &str) -> Option<usize> {
    let lines: Vec<&str> = doc.lines().collect();
    let segs = segments(path);
    // The block being searched: lines [lo, hi), children deeper than `min_col`
    // (a list item's first line counts from its dash's content).
    let (mut lo, mut hi, mut min_col) = (0usize, lines.len(), 0usize);
    let mut found = None;
    for seg in segs {
        match seg {
            Seg::Key(k) => {
                let mut hit = None;
                let mut col_seen: Option<usize> = None;
                for (i, l) in lines.iter().enumerate().take(hi).skip(lo) {
                    if is_blank(l) {
                        continue;
                    }
                    let (col, t) = key_at(l);
                    if col < min_col {
                        break;
                    }
                    let c = *col_seen.get_or_insert(col);
                    if col == c && key_matches(t, k) {
                        hit = Some((i, col));
                        break;
                    }
                }
                let Some((i, col)) = hit else { return found };
                found = Some(i);
                // The value's block: following lines deeper than the key.
                let mut end = i + 1;
                while end < hi && (is_blank(lines[end]) || content(lines[end]).0 > col) {
                    end += 1;
                }
                // A list under the key may sit at the key's own column.
                while end < hi
                    && !is_blank(lines[end])
                    && content(lines[end]).0 == col
                    && content(lines[end]).1.starts_with("- ")
                {
                    end += 1;
                    while end < hi && (is_blank(lines[end]) || content(lines[end]).0 > col) {
                        end += 1;
                    }
                }
                (lo, hi, min_col) = (i + 1, end, col);
            }
            Seg::Index(n) => {
                let mut items = Vec::new();
                let mut dash_col = None;
                for (i, l) in lines.iter().enumerate().take(hi).skip(lo) {
                    if is_blank(l) {
                        continue;
                    }
                    let (col, t) = content(l);
                    if col < min_col {
                        break;
                    }
                    if t.starts_with("- ") || t == "-" {
                        let d = *dash_col.get_or_insert(col);
                        if col == d {
                            items.push(i);
                        }
                    }
                }
                let Some(&i) = items.get(n) else { return found };
                found = Some(i);
                let d = dash_col.unwrap_or(0);
                let end = items.get(n + 1).copied().unwrap_or(hi);
                // The item's keys: on the dash line and deeper lines.
                (lo, hi, min_col) = (i, end, d + 1);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "# Source: c/templates/d.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
spec:
  replicas: \"2\"
  template:
    spec:
      containers:
        - name: a
          image: x
        - name: b
          resources:
            limits:
              cpu: 1 cpu
      volumes:
      - name: v
        emptyDir: {}
";

    #[test]
    fn finds_fields_items_and_map_keys() {
        let at = |p: &str| field_line(DOC, p);
        assert_eq!(at("spec.replicas"), Some(8));
        assert_eq!(at("metadata.labels[app.kubernetes.io/name]"), Some(6));
        assert_eq!(at("spec.template.spec.containers[0].image"), Some(13));
        assert_eq!(at("spec.template.spec.containers[1].name"), Some(14));
        assert_eq!(at("spec.template.spec.containers[1].resources.limits[cpu]"), Some(17));
        assert_eq!(at("spec.template.spec.volumes[0].emptyDir"), Some(20));
        // Missing parts: the deepest parent, or nothing.
        assert_eq!(at("spec.template.spec.containers[1].ports"), Some(14));
        assert_eq!(at("nope"), None);
    }
}
