//! The editor pane: the selected file in the code editor (CodeMirror once
//! loaded, a <textarea> until then and with `?editor=textarea`), its
//! rename/delete toolbar, and what the editor marks from the newest render:
//! the error at its line, and (issue 15) the template coverage gutter.

use leptos::ev;
use leptos::prelude::*;

use crate::files::base_name;
use crate::options::{values_name, MOCK_CLUSTER_KEY, PLUGIN_YAML_KEY};
use crate::store::{use_store, Action, Store};
use crate::web;

#[component]
pub fn EditorPane() -> impl IntoView {
    let store = use_store();
    let Store { files, selected, editor_rev, code_ready, caret_line, outputs, editor, readonly, .. } = store;
    let show_ws = RwSignal::new(false);
    let rename_to = RwSignal::new(String::new());

    // CodeMirror announces itself when loaded (see below for when it loads).
    let ready_listener = window_event_listener_untyped("chartroom-editor-ready", move |_| code_ready.set(true));
    on_cleanup(move || ready_listener.remove());
    // The editor's caret line (issue 15: the output lines it produced are highlighted).
    let caret_listener = window_event_listener_untyped("chartroom-caret", move |e| {
        let line = js_sys::Reflect::get(&e, &"detail".into()).ok().and_then(|d| d.as_f64());
        caret_line.set(line.map(|l| l as u32));
    });
    on_cleanup(move || caret_listener.remove());
    // CodeMirror (95 KB) loads once the first output is shown, so the first
    // visit spends its bytes and time on the render (issue 21); the textarea
    // works meanwhile. A render that takes long does not hold the editor back
    // beyond 2 s.
    if !web::query().contains("editor=textarea") {
        Effect::new(move |loaded: Option<bool>| {
            if loaded == Some(true) || outputs.shown_seq.get() == 0 {
                return loaded.unwrap_or(false);
            }
            crate::code_editor::load();
            true
        });
        let _ = set_timeout_with_handle(crate::code_editor::load, std::time::Duration::from_secs(2));
    }
    // Another file in the editor: give CodeMirror its text.
    Effect::new(move |_| {
        editor_rev.track();
        let p = selected.get();
        if code_ready.get() {
            crate::code_editor::set_text(&store.editor_text_of(&p));
        }
    });
    // The render error, marked in the editor when it is in the shown file.
    Effect::new(move |_| {
        editor_rev.track();
        let sel = selected.get();
        if !code_ready.get() {
            return;
        }
        let mark = outputs.error.get().and_then(|e| {
            let key = store.error_key(e.file.as_deref()?)?;
            (key == sel).then_some((e.line?, e.col.unwrap_or(0), e.message))
        });
        match mark {
            Some((line, col, msg)) => crate::code_editor::set_error(line, col, &msg),
            None => crate::code_editor::clear_error(),
        }
    });
    Effect::new(move |_| {
        let on = show_ws.get();
        if code_ready.get() {
            crate::code_editor::set_whitespace(on);
        }
    });
    // Issue 15: the shown file's template coverage as gutter marks (ran,
    // never ran, a branch never taken), from the newest traced render.
    Effect::new(move |_| {
        editor_rev.track();
        let sel = selected.get();
        if !code_ready.get() {
            return;
        }
        let marks = outputs.rendered.with(|r| crate::render_trace::file_marks(r, &sel));
        crate::code_editor::set_coverage(marks.as_deref());
    });
    // The rename field follows the selected file (its name: a bare name
    // keeps the folder).
    Effect::new(move |_| {
        let p = selected.get();
        rename_to.set(base_name(&p).to_string());
    });
    let on_rename = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        store.dispatch(Action::RenameSelected(rename_to.get_untracked()));
    };
    let editor_text = move || {
        editor_rev.track();
        let p = selected.get();
        store.editor_text_of(&p)
    };

    view! {
        <section class="editor-pane" aria-label="Editor" class:binary=move || store.binary_size(&selected.get()).is_some()>
            <div class="editor-toolbar">
                <label for="editor" id="editor-label" class="path">{move || {
                    let s = selected.get();
                    match s.as_str() {
                        MOCK_CLUSTER_KEY => "mock cluster (lookup)".to_string(),
                        PLUGIN_YAML_KEY => "plugin.yaml (the chosen plugin)".to_string(),
                        _ => s,
                    }
                }}</label>
                <Show when=move || !readonly && files.with(|f| selected.with(|s| f.contains(s)))>
                    <form class="rename" on:submit=on_rename>
                        <label for="rename-to" class="visually-hidden">"New name for the selected file (a name keeps its folder; a path with / is from the chart root)"</label>
                        // A one-line textarea that wraps and grows with the name
                        // (CSS field-sizing), so a long name shows whole; Enter
                        // renames, as in a text field.
                        <textarea id="rename-to" data-testid="rename-to" rows="1" spellcheck="false" wrap="soft"
                            title="A name keeps the folder; a path with / is from the chart root"
                            prop:value=move || rename_to.get()
                            on:input=move |ev| rename_to.set(event_target_value(&ev).replace(['\n', '\r'], ""))
                            on:keydown=move |ev: ev::KeyboardEvent| {
                                if ev.key() == "Enter" {
                                    ev.prevent_default();
                                    store.dispatch(Action::RenameSelected(rename_to.get_untracked()));
                                }
                            }></textarea>
                        <button id="rename-file" data-testid="rename-file" type="submit" class="secondary">"Rename"</button>
                        <button id="delete-file" data-testid="delete-file" type="button" class="danger"
                            aria-label=move || format!("Delete {}", selected.get())
                            on:click=move |_| { store.dispatch(Action::DeleteSelected); }>"Delete"</button>
                    </form>
                </Show>
                <button id="toggle-whitespace" type="button" class="secondary" title="Show spaces and tabs (indentation is YAML's syntax)"
                    aria-pressed=move || show_ws.get().to_string()
                    hidden=move || !code_ready.get()
                    on:click=move |_| show_ws.update(|w| *w = !*w)>"␣ Whitespace"</button>
                <Show when=move || selected.with(|s| values_name(s).is_some())>
                    <button id="delete-values" data-testid="delete-values" type="button" class="danger"
                        on:click=move |_| { store.dispatch(Action::DeleteSelected); }>"Remove values file"</button>
                </Show>
            </div>
            {move || store.binary_size(&selected.get()).map(|n| view! {
                <p id="binary-info" class="binary-info" role="note">{format!("binary, {n} bytes (read-only)")}</p>
            })}
            {move || (selected.get() == MOCK_CLUSTER_KEY).then(|| view! {
                <p id="mock-help" class="mock-help">"Objects "<code>"lookup"</code>" finds, as YAML documents (or a "<code>"kind: List"</code>"). Empty: no cluster, as with "<code>"helm template"</code>"."</p>
            })}
            <textarea id="editor" data-testid="editor" node_ref=editor readonly=readonly
                spellcheck="false" autocapitalize="off" autocomplete="off" wrap="off"
                prop:value=editor_text
                on:input=move |ev| { store.dispatch(Action::Edit(event_target_value(&ev))); }></textarea>
        </section>
    }
}
