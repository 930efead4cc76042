//! The page: file list, editor, release fields and the output pane.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;

use crate::example::HELLO_WORLD;
use crate::files::{is_template, ChartFiles};
use crate::protocol::RenderFailure;
use crate::render_client::{RenderInputs, RenderOutputs, Renderer};

const STARTER_TEMPLATE: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\ndata:\n  hello: world\n";

fn example_files() -> ChartFiles {
    ChartFiles::from_pairs(HELLO_WORLD.iter().copied())
}

/// Byte offset (UTF-16 for the DOM, see below) of the start of 1-based `line`.
fn line_start_utf16(text: &str, line: u64) -> u32 {
    let mut offset = 0u32;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i as u64 + 1 >= line {
            break;
        }
        // textarea selection offsets count UTF-16 code units.
        offset = offset.saturating_add(l.encode_utf16().count() as u32);
    }
    offset
}

#[component]
pub fn App() -> impl IntoView {
    let files = RwSignal::new(example_files());
    let selected = RwSignal::new("templates/deployment.yaml".to_string());
    // Bumped when the editor must reload its text although `selected` did not
    // change (reset); typing itself never reloads the textarea (keeps the caret).
    let editor_rev = RwSignal::new(0u64);
    let release_name = RwSignal::new("release-name".to_string());
    let namespace = RwSignal::new("default".to_string());
    let set = RwSignal::new(String::new());
    let file_msg = RwSignal::new(None::<String>);
    let new_name = RwSignal::new(String::new());
    let rename_to = RwSignal::new(String::new());
    let editor: NodeRef<html::Textarea> = NodeRef::new();

    let inputs = RenderInputs { files, release_name, namespace, set };
    let outputs = RenderOutputs::new();
    let renderer = Renderer::new(inputs, outputs);

    // Re-render whenever any input changes; the first run renders at once.
    Effect::new(move |first: Option<()>| {
        files.track();
        release_name.track();
        namespace.track();
        set.track();
        renderer.schedule(first.is_none());
    });

    // The rename field follows the selected file.
    Effect::new(move |_| {
        let p = selected.get();
        rename_to.set(p.strip_prefix("templates/").unwrap_or(&p).to_string());
    });

    let select = move |path: String| {
        file_msg.set(None);
        selected.set(path);
    };

    let on_add = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let name = new_name.get_untracked();
        let mut result = Err(crate::files::FileOpError::EmptyName);
        files.update(|f| result = f.add_template(&name, STARTER_TEMPLATE));
        match result {
            Ok(path) => {
                new_name.set(String::new());
                select(path);
            }
            Err(e) => file_msg.set(Some(e.to_string())),
        }
    };

    let on_rename = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let from = selected.get_untracked();
        let to = rename_to.get_untracked();
        let mut result = Err(crate::files::FileOpError::EmptyName);
        files.update(|f| result = f.rename_template(&from, &to));
        match result {
            Ok(path) => select(path),
            Err(e) => file_msg.set(Some(e.to_string())),
        }
    };

    let on_delete = move |_| {
        let path = selected.get_untracked();
        let mut result = Ok(());
        files.update(|f| result = f.delete_template(&path));
        match result {
            Ok(()) => select("values.yaml".to_string()),
            Err(e) => file_msg.set(Some(e.to_string())),
        }
    };

    let on_reset = move |_| {
        files.set(example_files());
        release_name.set("release-name".into());
        namespace.set("default".into());
        set.set(String::new());
        select("templates/deployment.yaml".into());
        editor_rev.update(|r| *r += 1);
    };

    // Jump to an error's file and line.
    let goto = move |error_path: String, line: Option<u64>| {
        let Some(path) = files.with_untracked(|f| f.resolve(&error_path)) else {
            return;
        };
        select(path.clone());
        let offset = files.with_untracked(|f| {
            f.get(&path).map(|x| line_start_utf16(&x.text, line.unwrap_or(1))).unwrap_or(0)
        });
        // After the textarea has taken the newly selected file's text.
        request_animation_frame(move || {
            if let Some(el) = editor.get_untracked() {
                let _ = el.focus();
                let _ = el.set_selection_range(offset, offset);
            }
        });
    };

    let editor_text = move || {
        editor_rev.track();
        let p = selected.get();
        files.with_untracked(|f| f.get(&p).map(|x| x.text.clone()).unwrap_or_default())
    };

    let cli = move || {
        let s = set.get();
        let s = s.trim();
        let set_arg = if s.is_empty() { String::new() } else { format!(" --set {s}") };
        format!("helm template {} . -n {}{}", release_name.get(), namespace.get(), set_arg)
    };

    let status = move || {
        if outputs.busy.get() {
            "Rendering…".to_string()
        } else if outputs.error.with(|e| e.is_some()) {
            "Error".to_string()
        } else {
            match outputs.engine_ms.get() {
                Some(ms) if ms < 10.0 => format!("Rendered in {ms:.1} ms"),
                Some(ms) => format!("Rendered in {ms:.0} ms"),
                None => String::new(),
            }
        }
    };

    view! {
        <header class="topbar">
            <h1><span class="logo" aria-hidden="true">"⎈"</span>" Chartroom"</h1>
            <p class="tagline">"Helm 4 playground — rendered in your browser"</p>
            <div class="release-fields">
                <label for="release-name">"Release name"</label>
                <input id="release-name" data-testid="release-name" type="text" spellcheck="false"
                    prop:value=move || release_name.get()
                    on:input=move |ev| release_name.set(event_target_value(&ev)) />
                <label for="namespace">"Namespace"</label>
                <input id="namespace" data-testid="namespace" type="text" spellcheck="false"
                    prop:value=move || namespace.get()
                    on:input=move |ev| namespace.set(event_target_value(&ev)) />
                <label for="set">"--set"</label>
                <input id="set" data-testid="set" type="text" spellcheck="false" placeholder="key=value,other=1"
                    prop:value=move || set.get()
                    on:input=move |ev| set.set(event_target_value(&ev)) />
                <button id="reset-example" type="button" class="secondary" on:click=on_reset>"Reset example"</button>
            </div>
        </header>
        <main class="workspace">
            <nav class="files" aria-label="Chart files">
                <h2 id="files-heading">"Files"</h2>
                <ul id="file-list" aria-labelledby="files-heading">
                    <For each=move || files.with(|f| f.paths()) key=|p| p.clone() let:path>
                        {
                            let p_click = path.clone();
                            let p_cur = path.clone();
                            let p_cls = path.clone();
                            let template = is_template(&path);
                            // Templates are listed under a "templates/" heading, by their name.
                            let label = path.strip_prefix("templates/").unwrap_or(&path).to_string();
                            view! {
                                <li class:template=template>
                                    <button type="button" class="file"
                                        class:selected=move || selected.with(|s| *s == p_cls)
                                        data-testid=format!("file-{path}")
                                        data-path=path.clone()
                                        title=path.clone()
                                        aria-label=path.clone()
                                        aria-current=move || selected.with(|s| (*s == p_cur).then_some("true"))
                                        on:click=move |_| select(p_click.clone())>
                                        {label}
                                    </button>
                                </li>
                            }
                        }
                    </For>
                </ul>
                <form class="add-file" on:submit=on_add>
                    <label for="new-file-name">"New template"</label>
                    <div class="row">
                        <input id="new-file-name" data-testid="new-file-name" type="text" spellcheck="false"
                            placeholder="configmap.yaml"
                            prop:value=move || new_name.get()
                            on:input=move |ev| new_name.set(event_target_value(&ev)) />
                        <button id="add-file" data-testid="add-file" type="submit">"Add"</button>
                    </div>
                </form>
                <p id="file-error" class="file-error" role="alert">{move || file_msg.get()}</p>
            </nav>
            <section class="editor-pane" aria-label="Editor">
                <div class="editor-toolbar">
                    <label for="editor" id="editor-label" class="path">{move || selected.get()}</label>
                    <Show when=move || selected.with(|s| is_template(s))>
                        <form class="rename" on:submit=on_rename>
                            <label for="rename-to" class="visually-hidden">"New name for the selected template"</label>
                            <span class="prefix" aria-hidden="true">"templates/"</span>
                            <input id="rename-to" data-testid="rename-to" type="text" spellcheck="false"
                                prop:value=move || rename_to.get()
                                on:input=move |ev| rename_to.set(event_target_value(&ev)) />
                            <button id="rename-file" data-testid="rename-file" type="submit" class="secondary">"Rename"</button>
                            <button id="delete-file" data-testid="delete-file" type="button" class="danger"
                                on:click=on_delete>"Delete"</button>
                        </form>
                    </Show>
                </div>
                <textarea id="editor" data-testid="editor" node_ref=editor
                    spellcheck="false" autocapitalize="off" autocomplete="off" wrap="off"
                    prop:value=editor_text
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        let path = selected.get_untracked();
                        files.update(|f| f.set_text(&path, text));
                    }></textarea>
            </section>
            <section class="output-pane" aria-labelledby="output-heading">
                <div class="output-toolbar">
                    <h2 id="output-heading">"Output"</h2>
                    <code class="cli" id="cli">{cli}</code>
                    <span id="status" data-testid="status" role="status" aria-live="polite"
                        class:busy=move || outputs.busy.get()
                        class:failed=move || !outputs.busy.get() && outputs.error.with(|e| e.is_some())>{status}</span>
                </div>
                {move || outputs.error.get().map(|e: RenderFailure| {
                    let loc = e.location();
                    let file = e.file.clone();
                    let line = e.line;
                    view! {
                        <div id="error" data-testid="error" role="alert" class="error"
                            data-file=e.file.clone().unwrap_or_default()
                            data-line=e.line.map(|l| l.to_string()).unwrap_or_default()>
                            <strong>"Error: "</strong>
                            <span class="message">{e.message.clone()}</span>
                            {loc.map(|loc| view! {
                                <button id="error-location" type="button" class="location"
                                    title="Show in editor"
                                    on:click=move |_| {
                                        if let Some(f) = file.clone() { goto(f, line) }
                                    }>{loc}</button>
                            })}
                        </div>
                    }
                })}
                <pre id="output" data-testid="output" tabindex="0" aria-label="Rendered manifest"
                    class:stale=move || outputs.error.with(|e| e.is_some())
                    data-seq=move || outputs.shown_seq.get().to_string()
                    data-rendered-at=move || outputs.shown_at.get().to_string()
                >{move || outputs.rendered.with(|r| r.as_ref().map(|r| r.manifest.clone()).unwrap_or_default())}</pre>
                <details id="notes-pane">
                    <summary>"NOTES.txt"</summary>
                    <pre id="notes" data-testid="notes">{move || outputs.rendered.with(|r| r.as_ref().map(|r| r.notes.clone()).unwrap_or_default())}</pre>
                </details>
            </section>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::line_start_utf16;

    #[test]
    fn line_offsets_count_utf16_units() {
        let t = "a\néé\n😀x\nlast";
        assert_eq!(line_start_utf16(t, 1), 0);
        assert_eq!(line_start_utf16(t, 2), 2);
        assert_eq!(line_start_utf16(t, 3), 5);
        assert_eq!(line_start_utf16(t, 4), 9);
        // Past the last line: the end of the text (13 UTF-16 units).
        assert_eq!(line_start_utf16(t, 99), 13);
        assert_eq!(line_start_utf16(t, 0), 0);
    }
}
