//! The Manifest pane: `helm template`'s output, and the render explained
//! line by line (issue 15): clicking a line opens the template line that
//! wrote it (with the include chain), and the editor's caret line lights
//! the output lines it produced.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;

use crate::store::{use_store, Action, Store};

/// Lines in one piece of the shown manifest at most (a long document is
/// cut into several).
const CHUNK_LINES: usize = 200;

/// One piece of the manifest as the pane shows it: a document (from its
/// `---` line) or part of a long one. The pieces are consecutive, so the
/// pane's text is the manifest, byte for byte.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Chunk {
    pub text: Arc<str>,
    /// How many earlier pieces have the same text (keys stay unique).
    pub repeat: usize,
    /// Lines it shows (its height while scrolled out of view).
    pub lines: usize,
}

/// The manifest cut before every `---` line and every `CHUNK_LINES` lines
/// within a document. A render that changes one document leaves the other
/// pieces' texts, hence their DOM nodes, as they were (the pane is keyed
/// by text).
pub fn chunks(manifest: &str) -> Vec<Chunk> {
    // (start, end, lines) of each piece.
    let mut cuts: Vec<(usize, usize, usize)> = Vec::new();
    let (mut start, mut lines, mut at) = (0usize, 0usize, 0usize);
    for line in manifest.split_inclusive('\n') {
        let boundary = line.trim_end_matches(['\n', '\r']) == "---" || lines >= CHUNK_LINES;
        if boundary && at > start {
            cuts.push((start, at, lines));
            (start, lines) = (at, 0);
        }
        at += line.len();
        lines += 1;
    }
    if at > start {
        // A last line without a newline still takes a line.
        cuts.push((start, at, lines));
    }
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    cuts.into_iter()
        .map(|(a, b, lines)| {
            let text = &manifest[a..b];
            let n = seen.entry(text).or_insert(0);
            *n += 1;
            Chunk { text: Arc::from(text), repeat: *n - 1, lines }
        })
        .collect()
}

/// The 0-based manifest line of a caret at UTF-16 `offset` of `node`, a
/// text node in one of the pane's pieces (None elsewhere).
fn line_of_caret(node: &web_sys::Node, offset: usize) -> Option<usize> {
    let chunk = node.parent_element().filter(|e| e.class_name() == "out-chunk")?;
    chunk.parent_element().filter(|e| e.id() == "output")?;
    let mut line = crate::render_trace::line_at_utf16(&node.text_content().unwrap_or_default(), offset);
    let mut prev = chunk.previous_element_sibling();
    while let Some(e) = prev {
        if e.class_name() == "out-chunk" {
            line += e.get_attribute("data-lines").and_then(|n| n.parse::<usize>().ok()).unwrap_or(0);
        }
        prev = e.previous_element_sibling();
    }
    Some(line)
}

#[component]
pub fn ManifestPane() -> impl IntoView {
    let store = use_store();
    let Store { outputs, selected, caret_line, source_hint, .. } = store;
    // Compared by value: a render with the same output touches no DOM.
    let pieces =
        Memo::new(move |_| outputs.rendered.with(|r| r.as_ref().map(|r| chunks(&r.manifest)).unwrap_or_default()));
    // The output lines the caret's template line produced (0-based).
    let caret_lines = Memo::new(move |_| match caret_line.get() {
        Some(l) => outputs.rendered.with(|r| crate::render_trace::lines_from(r, &selected.get(), l)),
        None => Vec::new(),
    });
    // A click on a manifest line (no text selected) opens the template
    // line that produced it, from the traced render's source map.
    let on_output_click = move |_: ev::MouseEvent| {
        let Some(sel) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) else { return };
        if !sel.is_collapsed() {
            return;
        }
        let Some(line) = sel.focus_node().and_then(|n| line_of_caret(&n, sel.focus_offset() as usize)) else { return };
        let hit = outputs.rendered.with_untracked(|r| {
            let r = r.as_ref()?;
            let e = r.explain.as_ref()?;
            let (file, at) = e.manifest_lines.get(line)?.clone()?;
            let chain = e.manifest_chains.get(line).cloned().unwrap_or_default();
            Some((line + 1, file, at, chain))
        });
        source_hint.set(hit.clone());
        if let Some((_, file, at, _)) = hit {
            store.dispatch(Action::Goto { path: file, line: Some(u64::from(at)), col: None });
        }
    };
    view! {
        <pre id="output" data-testid="output" tabindex="0" aria-label="Rendered manifest"
            class:stale=move || outputs.error.with(|e| e.is_some())
            data-seq=move || outputs.shown_seq.get().to_string()
            data-rendered-at=move || outputs.shown_at.get().to_string()
            title="Click a line to open the template line that wrote it"
            on:click=on_output_click
        >
            // Pieces scrolled out of view are neither laid out nor painted
            // (content-visibility: auto, style.css) and keep their exact
            // height, so a 7,000-line output costs what its visible part
            // costs, and a new render replaces only the pieces that changed.
            <For each=move || pieces.get() key=|c| (c.text.clone(), c.repeat) let(c)>
                <div class="out-chunk" data-lines=c.lines.to_string()
                    style=format!("contain-intrinsic-block-size: auto {}px", c.lines as f64 * LINE_PX)>{c.text.to_string()}</div>
            </For>
            {move || caret_lines.get().into_iter().map(|i| view! {
                <div class="caret-out" data-line=i.to_string() style=format!("--i: {i}")></div>
            }).collect_view()}
        </pre>
        <p class="source-hint" data-testid="caret-hint">{move || {
            let n = caret_lines.with(Vec::len);
            caret_line.get().filter(|_| n > 0).map(|l| format!("template line {l} → {n} output line{}", if n == 1 { "" } else { "s" }))
        }}</p>
        <p class="source-hint" data-testid="source-hint" aria-live="polite">{move || source_hint.get().map(|(n, f, l, chain)| {
            // The include/template/tpl calls that led there, innermost first.
            let via = if chain.is_empty() { String::new() } else { format!(" (via {})", chain.join(" ← ")) };
            format!("manifest line {n} ← {f}:{l}{via}")
        })}</p>
    }
}

/// Height of one output line (style.css: `#output` is 13px/1.5).
const LINE_PX: f64 = 19.5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_the_manifest_cut_at_documents() {
        let m = "---\n# Source: a\nx: 1\n---\n# Source: b\ny: 2\n---\n# Source: a\nx: 1\n";
        let c = chunks(m);
        assert_eq!(c.iter().map(|c| &*c.text).collect::<String>(), m);
        assert_eq!(c.len(), 3);
        assert_eq!((c[0].repeat, c[1].repeat, c[2].repeat), (0, 0, 1));
        assert_eq!(c.iter().map(|c| c.lines).collect::<Vec<_>>(), vec![3, 3, 3]);
        assert!(chunks("").is_empty());
        // Text before the first `---`, and a last line without a newline.
        let c = chunks("a\n---\nb");
        assert_eq!(c.iter().map(|c| (&*c.text, c.lines)).collect::<Vec<_>>(), vec![("a\n", 1), ("---\nb", 2)]);
    }

    #[test]
    fn long_documents_are_cut_into_pieces() {
        let m = format!("---\n{}", "a: 1\n".repeat(450));
        let c = chunks(&m);
        assert_eq!(c.iter().map(|c| c.lines).collect::<Vec<_>>(), vec![200, 200, 51]);
        assert_eq!(c.iter().map(|c| &*c.text).collect::<String>(), m);
    }
}
