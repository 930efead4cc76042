//! The output pane: the pane tabs, the render status, downloads, the
//! render error, each output pane (Manifest, Documents, NOTES, Hooks,
//! Errors, Plugins, Lint), the Explain panel and the command line.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::command_line::{CommandLine, ShareResult};
use crate::documents::DocumentsPane;
use crate::manifest_pane::ManifestPane;
use crate::protocol::RenderFailure;
use crate::store::{use_store, Action, Pane, Store, PANES};
use crate::web;
use crate::workspace_io;

/// A render error with its position, linked to the editor.
fn error_view(store: Store, e: RenderFailure, id: &'static str) -> impl IntoView {
    crate::error_view::error_view(e, id, move |path, line, col| {
        // A `--set` line's error names the flag and the line.
        let option = line.and_then(|n| store.options.with_untracked(|o| o.option_line(&path, n)));
        match option {
            Some((id, line)) => store.dispatch(Action::FocusOptionLine { id, line }),
            None => store.dispatch(Action::Goto { path, line, col }),
        };
    })
}

#[component]
pub fn NotesPane() -> impl IntoView {
    let outputs = use_store().outputs;
    view! {
        <pre id="notes" data-testid="notes" tabindex="0" aria-label="NOTES.txt">{move || outputs.rendered.with(|r| r.as_ref().map(|r| r.notes.clone()).unwrap_or_default())}</pre>
    }
}

#[component]
pub fn HooksPane() -> impl IntoView {
    let outputs = use_store().outputs;
    move || {
        let hooks = outputs.rendered.with(|r| r.as_ref().map(|r| r.hooks.clone()).unwrap_or_default());
        if hooks.is_empty() {
            return view! { <p class="empty">"This chart has no hooks."</p> }.into_any();
        }
        hooks.into_iter().map(|h| view! {
            <article class="hook">
                <h3>{format!("{} {}", h.kind, h.name)}</h3>
                <dl>
                    <dt>"source"</dt><dd>{h.path.clone()}</dd>
                    <dt>"events"</dt><dd class="hook-events">{h.events.join(", ")}</dd>
                    <dt>"weight"</dt><dd>{h.weight.to_string()}</dd>
                    <dt>"delete policy"</dt><dd>{if h.delete_policies.is_empty() { "(none)".to_string() } else { h.delete_policies.join(", ") }}</dd>
                </dl>
                <pre>{h.manifest}</pre>
            </article>
        }).collect_view().into_any()
    }
}

#[component]
pub fn ErrorsPane() -> impl IntoView {
    let store = use_store();
    move || match store.outputs.error.get() {
        Some(e) => error_view(store, e, "error-detail").into_any(),
        None => view! { <p class="empty">"No errors."</p> }.into_any(),
    }
}

/// Helm's `log.Printf` lines of the shown render (values coalescing's
/// warnings, which `helm template` prints on stderr), folded to one line
/// that counts them; none, no strip.
#[component]
fn HelmWarnings() -> impl IntoView {
    let outputs = use_store().outputs;
    // A failed render shows its own lines; the kept output's would be stale.
    let lines = Memo::new(move |_| match outputs.error.with(|e| e.as_ref().map(|e| e.log.clone())) {
        Some(log) => log,
        None => outputs.rendered.with(|r| r.as_ref().map(|r| r.log.clone()).unwrap_or_default()),
    });
    move || {
        let lines = lines.get();
        (!lines.is_empty()).then(|| {
            let n = lines.len();
            view! {
                <details class="helm-warnings" data-testid="helm-warnings" data-count=n.to_string()>
                    <summary title="What helm template prints on stderr (Go's log.Printf, without its time prefix)">
                        {format!("Helm warnings ({n})")}
                    </summary>
                    <pre data-testid="helm-warnings-text">{lines.join("\n")}</pre>
                </details>
            }
        })
    }
}

/// The tabs that switch the panes (arrow keys move between them).
#[component]
fn PaneTabs() -> impl IntoView {
    let store = use_store();
    let Store { pane, outputs, embed, .. } = store;
    let shown: Vec<(usize, Pane)> =
        embed.with_value(|e| PANES.iter().copied().enumerate().filter(|(_, p)| e.shows_pane(p.id())).collect());
    view! {
        <div role="tablist" aria-label="Output panes" class="tabs"
            on:keydown=move |e: ev::KeyboardEvent| {
                let i = pane.get_untracked().index();
                let n = PANES.len();
                let next = match e.key().as_str() {
                    "ArrowRight" => Some((i + 1) % n),
                    "ArrowLeft" => Some((i + n - 1) % n),
                    _ => None,
                };
                if let Some(p) = next.and_then(|j| PANES.get(j)) {
                    e.prevent_default();
                    store.dispatch(Action::SetPane(*p));
                    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&format!("tab-{}", p.id()))) {
                        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() { let _ = el.focus(); }
                    }
                }
            }>
            {shown.into_iter().map(|(i, p)| {
                view! {
                    <button type="button" role="tab" id=format!("tab-{}", p.id()) data-testid=format!("tab-{}", p.id())
                        aria-controls=format!("pane-{}", p.id())
                        aria-selected=move || (pane.get() == p).to_string()
                        tabindex=move || if pane.get() == p { "0" } else { "-1" }
                        title=format!("Alt+Shift+{}", i + 1)
                        class:active=move || pane.get() == p
                        on:click=move |_| { store.dispatch(Action::SetPane(p)); }>
                        {p.label()}
                        {move || match p {
                            Pane::Hooks => outputs.rendered.with(|r| r.as_ref().map(|r| r.hooks.len()).filter(|n| *n > 0)).map(|n| format!(" ({n})")),
                            Pane::Errors => outputs.error.with(|e| e.is_some()).then(|| " (1)".to_string()),
                            Pane::Plugins => outputs.plugin.with(|r| r.as_ref().map(|r| if r.error.is_some() { " (error)".to_string() } else { format!(" ({})", r.name) })),
                            _ => None,
                        }}
                    </button>
                }
            }).collect_view()}
        </div>
    }
}

#[component]
pub fn OutputPane() -> impl IntoView {
    let store = use_store();
    let Store { pane, outputs, renderer, files, options, plugin_wasm, selected, .. } = store;
    let hidden = move |p: Pane| move || pane.get() != p;
    view! {
        // data-pane, data-plugin-failed: on the Plugins tab the panel shows a
        // failed plugin's error beside its run, so the render's box (Helm's
        // text of the same failure) is hidden there, and kept short otherwise.
        <section class="output-pane" aria-labelledby="output-heading" data-pane=move || pane.get().id()
            data-plugin-failed=move || (outputs.plugin.with(|r| r.as_ref().is_some_and(|r| r.error.is_some()))
                && outputs.error.with(|e| e.as_ref().is_some_and(|e| e.plugin))).to_string()>
            <div class="output-toolbar">
                <h2 id="output-heading" class="visually-hidden">"Output"</h2>
                <PaneTabs />
                <crate::render_status::RenderStatus outputs=outputs renderer=renderer />
                <button id="download-output" type="button" class="secondary" title="Download the output as .yaml"
                    on:click=move |_| {
                        let text = outputs.rendered.with_untracked(|r| r.as_ref().map(|r| r.manifest.clone()).unwrap_or_default());
                        web::download("manifest.yaml", &text, "text/yaml");
                    }>"⤓ .yaml"</button>
                <button id="download-chart" data-testid="download-chart" type="button" class="secondary"
                    title="Download the chart as a .tgz, named as helm package names it" aria-label="Download chart (.tgz)"
                    on:click=move |_| workspace_io::download_chart(store)>"⤓ Chart .tgz"</button>
            </div>
            {move || outputs.error.get().map(|e| error_view(store, e, "error"))}
            <HelmWarnings />
            <div class="panes">
                <div role="tabpanel" id="pane-manifest" aria-labelledby="tab-manifest" hidden=hidden(Pane::Manifest)>
                    <ManifestPane />
                </div>
                <div role="tabpanel" id="pane-documents" aria-labelledby="tab-documents" hidden=hidden(Pane::Documents)>
                    <DocumentsPane outputs renderer files options visible=Signal::derive(move || pane.get() == Pane::Documents) />
                </div>
                <div role="tabpanel" id="pane-notes" aria-labelledby="tab-notes" hidden=hidden(Pane::Notes)>
                    <NotesPane />
                </div>
                <div role="tabpanel" id="pane-hooks" aria-labelledby="tab-hooks" hidden=hidden(Pane::Hooks)>
                    <HooksPane />
                </div>
                <div role="tabpanel" id="pane-errors" aria-labelledby="tab-errors" hidden=hidden(Pane::Errors)>
                    <ErrorsPane />
                </div>
                <div role="tabpanel" id="pane-plugins" aria-labelledby="tab-plugins" hidden=hidden(Pane::Plugins)>
                    <crate::plugin_panel::PluginPanel options=options outputs=outputs plugin_wasm=plugin_wasm renderer=renderer selected=selected />
                </div>
                <div role="tabpanel" id="pane-lint" aria-labelledby="tab-lint" hidden=hidden(Pane::Lint)>
                    <crate::lint_pane::LintPane files=files options=options outputs=outputs renderer=renderer
                        visible=Signal::derive(move || pane.get() == Pane::Lint)
                        goto=Callback::new(move |(path, line): (String, Option<u64>)| { store.dispatch(Action::Goto { path, line, col: None }); }) />
                </div>
            </div>
            <crate::explain_panel::ExplainPanel />
            <CommandLine />
            <ShareResult />
        </section>
    }
}
