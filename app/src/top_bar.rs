//! The top bar: examples, share link, imports, opening a chart by URL,
//! bundles, named workspaces, theme, and the keyboard shortcuts (with
//! their "?" help).

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::examples;
use crate::files::ChartFiles;
use crate::options::Options;
use crate::recovery::Source;
use crate::share::Workspace;
use crate::store::{example_workspace, use_store, Action, Store, PANES};
use crate::web;
use crate::workspace_io;

/// The keyboard shortcuts, as the "?" popover lists them.
const SHORTCUTS: [(&str, &str); 6] = [
    ("Ctrl+Enter / ⌘+Enter", "Render now"),
    ("Alt+Shift+L", "Copy a share link"),
    ("Alt+Shift+1 … 7", "Show the Manifest, Documents, NOTES, Hooks, Errors, Plugins or Lint pane"),
    ("← / →", "Previous / next pane (on the pane tabs)"),
    ("?", "Show or hide this help (outside text fields)"),
    ("Esc", "Close this help"),
];

/// The key went to a text field or the code editor (where "?" is typed).
fn typing_target(e: &web_sys::KeyboardEvent) -> bool {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return false };
    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || el.closest("[contenteditable=true], .cm-editor").ok().flatten().is_some()
}

/// The file an `<input type=file>` change event carries (the input is
/// cleared, so choosing the same file again fires again).
fn chosen_file(ev: &ev::Event) -> Option<web_sys::File> {
    let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())?;
    let file = input.files().and_then(|l| l.get(0));
    input.set_value("");
    file
}

#[component]
pub fn TopBar() -> impl IntoView {
    let store = use_store();
    let Store { options, saved, theme, renderer, .. } = store;
    let help_open = RwSignal::new(false);
    let save_name = RwSignal::new(String::new());
    let folder_input: NodeRef<html::Input> = NodeRef::new();

    // Keyboard shortcuts: Ctrl/⌘+Enter renders now, Alt+Shift+L copies the
    // link, Alt+Shift+1…7 switch panes.
    let keys = window_event_listener(ev::keydown, move |e: web_sys::KeyboardEvent| {
        let key = e.key();
        if key == "Escape" && help_open.get_untracked() {
            help_open.set(false);
        } else if key == "?" && !e.ctrl_key() && !e.meta_key() && !e.alt_key() && !typing_target(&e) {
            e.prevent_default();
            help_open.update(|h| *h = !*h);
        } else if (e.ctrl_key() || e.meta_key()) && key == "Enter" {
            e.prevent_default();
            store.dispatch(Action::RenderNow);
        } else if e.alt_key() && e.shift_key() && e.code() == "KeyL" {
            e.prevent_default();
            workspace_io::copy_link(store);
        } else if e.alt_key() && e.shift_key() {
            if let Some(d) = e.code().strip_prefix("Digit").and_then(|d| d.parse::<usize>().ok()) {
                if let Some(p) = d.checked_sub(1).and_then(|i| PANES.get(i)) {
                    e.prevent_default();
                    store.dispatch(Action::SetPane(*p));
                }
            }
        }
    });
    on_cleanup(move || keys.remove());

    // `webkitdirectory` is not a standard attribute Leptos knows.
    Effect::new(move |_| {
        if let Some(el) = folder_input.get() {
            let _ = el.set_attribute("webkitdirectory", "");
        }
    });
    let on_import_file = move |ev: ev::Event| {
        if let Some(file) = chosen_file(&ev) {
            workspace_io::import_archive_file(store, file);
        }
    };
    let on_import_folder = move |ev: ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let list = web::input_files_with_paths(&input);
        input.set_value("");
        let what = list.first().map(|(p, _)| p.split('/').next().unwrap_or_default().to_string()).unwrap_or_default();
        if !list.is_empty() {
            workspace_io::import_folder_files(store, format!("folder {what}"), list);
        }
    };
    let open_bundle = move |ev: ev::Event| {
        if let Some(file) = chosen_file(&ev) {
            workspace_io::open_bundle(store, file);
        }
    };
    let save_as = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if store.dispatch(Action::SaveAs(save_name.get_untracked())) {
            save_name.set(String::new());
        }
    };

    view! {
        <header class="topbar" hidden=store.is_embed>
            <h1><span class="logo" aria-hidden="true">"⎈"</span>" Chartroom"</h1>
            <p class="tagline" id="tagline">{move || format!("Helm v{} playground — rendered in your browser", options.with(|o| o.helm_version.clone()))}</p>
            <div class="top-actions">
                <label for="examples" class="visually-hidden">"Open an example chart"</label>
                <select id="examples" data-testid="examples" aria-label="Open an example chart"
                    on:change=move |ev| {
                        let id = event_target_value(&ev);
                        if let Some(ex) = examples::find(&id) {
                            let files = ChartFiles::from_pairs(ex.files.iter().copied());
                            let ws = Workspace::new(&files, Options::default(), ex.open.to_string());
                            store.dispatch(Action::Ask { source: Source::Example, title: format!("The example \"{}\"", ex.title), ws });
                        }
                        if let Some(sel) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                            sel.set_value("");
                        }
                    }>
                    <option value="" selected>"Examples…"</option>
                    {examples::EXAMPLES.iter().map(|e| view! { <option value=e.id>{e.title}</option> }).collect_view()}
                </select>
                <button id="copy-link" data-testid="copy-link" type="button" title="Copy a link with the whole workspace (Alt+Shift+L)"
                    on:click=move |_| workspace_io::copy_link(store)>"Copy link"</button>
                <label class="button secondary" for="import-file" title="Import a chart .tgz (or drop it, or a folder, on the page)">"Import…"</label>
                <input id="import-file" data-testid="import-file" class="visually-hidden" type="file"
                    accept=".tgz,.tar.gz,application/gzip,application/x-gzip" aria-label="Import a chart archive (.tgz)"
                    on:change=on_import_file />
                <label class="button secondary" for="import-folder" title="Import a chart folder">"Import folder…"</label>
                <input id="import-folder" data-testid="import-folder" class="visually-hidden" type="file" multiple
                    node_ref=folder_input aria-label="Import a chart folder"
                    on:change=on_import_folder />
                <crate::open_chart::OpenChart renderer=renderer
                    on_open=move |o: crate::remote_open::Opened| workspace_io::opened(store, Source::Import, o) />
                <label class="button secondary" for="open-bundle">"Open bundle"</label>
                <input id="open-bundle" data-testid="open-bundle" class="visually-hidden" type="file" accept=".chartroom,.txt"
                    on:change=open_bundle />
                <details class="workspaces" id="workspaces">
                    <summary>"Workspaces"</summary>
                    <div class="workspaces-menu">
                        <form on:submit=save_as>
                            <label for="save-name">"Save current as"</label>
                            <input id="save-name" data-testid="save-name" type="text" spellcheck="false" placeholder="my chart"
                                prop:value=move || save_name.get()
                                on:input=move |ev| save_name.set(event_target_value(&ev)) />
                            <button id="save-workspace" type="submit">"Save"</button>
                        </form>
                        <ul id="saved-list" aria-label="Saved workspaces">
                            <For each=move || saved.get() key=|n| n.clone() let:name>
                                {
                                    let n_open = name.clone();
                                    let n_del = name.clone();
                                    view! {
                                        <li>
                                            <button type="button" class="secondary" data-testid=format!("open-saved-{name}")
                                                on:click=move |_| { store.dispatch(Action::OpenSaved(n_open.clone())); }>{name.clone()}</button>
                                            <button type="button" class="danger" aria-label=format!("Delete saved workspace {name}")
                                                data-testid=format!("delete-saved-{name}")
                                                on:click=move |_| { store.dispatch(Action::DeleteSaved(n_del.clone())); }>"✕"</button>
                                        </li>
                                    }
                                }
                            </For>
                        </ul>
                    </div>
                </details>
                <button id="reset-example" type="button" class="secondary"
                    on:click=move |_| { store.dispatch(Action::Replace { source: Source::Reset, title: "the example".into(), ws: example_workspace() }); }>"Reset example"</button>
                <button id="theme-toggle" type="button" class="secondary" aria-label="Toggle dark or light theme"
                    on:click=move |_| { store.dispatch(Action::ToggleTheme); }>{move || if theme.get() == "dark" { "☀ Light" } else { "☾ Dark" }}</button>
                <button id="help-button" type="button" class="secondary" aria-label="Keyboard shortcuts (?)"
                    aria-haspopup="dialog" aria-controls="shortcuts-help"
                    aria-expanded=move || help_open.get().to_string()
                    on:click=move |_| help_open.update(|h| *h = !*h)>"?"</button>
                <Show when=move || help_open.get()>
                    <div id="shortcuts-help" class="help-popover" role="dialog" aria-labelledby="shortcuts-title">
                        <h2 id="shortcuts-title">"Keyboard shortcuts"</h2>
                        <dl>
                            {SHORTCUTS.iter().map(|(k, what)| view! { <dt><kbd>{*k}</kbd></dt><dd>{*what}</dd> }).collect_view()}
                        </dl>
                        <p class="help-more">"Drop a chart .tgz or folder anywhere on the page to import it."</p>
                        <button id="help-close" type="button" class="secondary" on:click=move |_| help_open.set(false)>"Close"</button>
                    </div>
                </Show>
            </div>
        </header>
    }
}
