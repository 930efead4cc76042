//! What the page shows of a traced render (issue 15) outside the Explain
//! panel: a template's line coverage for the file tree, its gutter marks
//! for the editor, the output lines a template line produced, and the
//! manifest line under a click.

use crate::protocol::Rendered;

/// `hit` of `total` as a whole percentage (a dash when there is nothing to count).
pub fn percent(hit: u32, total: u32) -> String {
    if total == 0 {
        return "–".into();
    }
    format!("{:.0}%", 100.0 * f64::from(hit) / f64::from(total))
}

/// The line coverage of the workspace file `path` (`templates/x.yaml`,
/// `charts/sub/templates/y.tpl`) in a traced render, for the file tree:
/// coverage names files as `# Source:` does, after the chart's name.
pub fn file_coverage(rendered: &Option<Rendered>, path: &str) -> Option<(String, String)> {
    let e = rendered.as_ref()?.explain.as_ref()?;
    let c = e.coverage.iter().find(|c| c.file.split_once('/').is_some_and(|(_, rest)| rest == path))?;
    Some((percent(c.lines_hit, c.lines), format!("{} of {} lines holding an action ran", c.lines_hit, c.lines)))
}

/// The gutter marks of workspace file `path` in a traced render: each line
/// holding an action as ran, never ran or partly taken (a branch of its
/// if/with/range never taken).
pub fn file_marks(rendered: &Option<Rendered>, path: &str) -> Option<Vec<(u32, &'static str)>> {
    let e = rendered.as_ref()?.explain.as_ref()?;
    let c = e.coverage.iter().find(|c| c.file.split_once('/').is_some_and(|(_, rest)| rest == path))?;
    let mut marks: std::collections::BTreeMap<u32, &'static str> = std::collections::BTreeMap::new();
    for l in &c.ran {
        marks.insert(*l, "ran");
    }
    for l in &c.missed {
        marks.insert(*l, "missed");
    }
    for l in &c.partial {
        if marks.get(l) != Some(&"missed") {
            marks.insert(*l, "partial");
        }
    }
    Some(marks.into_iter().collect())
}

/// The manifest lines (0-based) that template line `line` of workspace
/// file `path` produced in a traced render.
pub fn lines_from(rendered: &Option<Rendered>, path: &str, line: u32) -> Vec<usize> {
    let Some(e) = rendered.as_ref().and_then(|r| r.explain.as_ref()) else { return Vec::new() };
    e.manifest_lines
        .iter()
        .enumerate()
        .filter(|(_, m)| {
            m.as_ref().is_some_and(|(f, l)| *l == line && f.split_once('/').is_some_and(|(_, rest)| rest == path))
        })
        .map(|(i, _)| i)
        .collect()
}

/// The 0-based line of `text` that holds UTF-16 offset `offset` (a DOM
/// selection offset in the manifest's text node).
pub fn line_at_utf16(text: &str, offset: usize) -> usize {
    let mut units = 0;
    let mut line = 0;
    for c in text.chars() {
        if units >= offset {
            break;
        }
        units += c.len_utf16();
        if c == '\n' {
            line += 1;
        }
    }
    line
}

#[cfg(test)]
mod tests {
    #[test]
    fn line_at_utf16_counts_newlines_before_the_offset() {
        let t = "a: 1\nb: \u{1F600}\nc: 3\n";
        assert_eq!(super::line_at_utf16(t, 0), 0);
        assert_eq!(super::line_at_utf16(t, 4), 0);
        assert_eq!(super::line_at_utf16(t, 5), 1);
        // The emoji is two UTF-16 units.
        assert_eq!(super::line_at_utf16(t, 9), 1);
        assert_eq!(super::line_at_utf16(t, 10), 1);
        assert_eq!(super::line_at_utf16(t, 11), 2);
    }
}
