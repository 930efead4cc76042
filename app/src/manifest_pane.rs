//! The Manifest pane: `helm template`'s output, and the render explained
//! line by line (issue 15): clicking a line opens the template line that
//! wrote it (with the include chain), and the editor's caret line lights
//! the output lines it produced.

use leptos::ev;
use leptos::prelude::*;

use crate::store::{use_store, Action, Store};

#[component]
pub fn ManifestPane() -> impl IntoView {
    let store = use_store();
    let Store { outputs, selected, caret_line, source_hint, .. } = store;
    // The output lines the caret's template line produced (0-based).
    let caret_lines = Memo::new(move |_| match caret_line.get() {
        Some(l) => outputs.rendered.with(|r| crate::render_trace::lines_from(r, &selected.get(), l)),
        None => Vec::new(),
    });
    // A click on a manifest line (no text selected) opens the template
    // line that produced it, from the traced render's source map.
    let on_output_click = move |_: ev::MouseEvent| {
        let Some(sel) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) else { return };
        let in_output = sel.focus_node().and_then(|n| n.parent_element()).is_some_and(|e| e.id() == "output");
        if !sel.is_collapsed() || !in_output {
            return;
        }
        let offset = sel.focus_offset() as usize;
        let hit = outputs.rendered.with_untracked(|r| {
            let r = r.as_ref()?;
            let line = crate::render_trace::line_at_utf16(&r.manifest, offset);
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
        >{move || outputs.rendered.with(|r| r.as_ref().map(|r| r.manifest.clone()).unwrap_or_default())}
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
