//! The page: the store, the services that feed it (autosave, links in the
//! URL, the embedding page's messages, drag and drop) and the layout of the
//! components (top bar, options bar, notices, file tree, editor, output).

use leptos::ev;
use leptos::prelude::*;

use crate::editor_pane::EditorPane;
use crate::embed::EmbedConfig;
use crate::file_tree::FileTree;
use crate::notices::{NoticeBar, PendingPrompt};
use crate::options_bar::OptionsBar;
use crate::output_pane::OutputPane;
use crate::recovery::Source;
use crate::remote;
use crate::store::{example_workspace, Action, Notice, Store};
use crate::top_bar::TopBar;
use crate::web;
use crate::workspace_io;

#[component]
pub fn App() -> impl IntoView {
    let embed = EmbedConfig::from_query(&web::query());
    let is_embed = embed.embed;
    // What the page starts with: the autosave, else the example. Embedded
    // playgrounds neither read nor write it (several may share one origin).
    let autosaved = if is_embed { None } else { web::load_autosave() };
    let mut start_notice = None;
    let start = match &autosaved {
        Some(Ok(ws)) => ws.clone(),
        Some(Err(e)) => {
            start_notice = Some(Notice {
                error: true,
                text: format!("The autosaved workspace could not be read ({e}); the example was loaded."),
            });
            example_workspace()
        }
        None => example_workspace(),
    };
    let has_saved_work = matches!(autosaved, Some(Ok(_)));
    let plugins_allowed = embed.plugins_allowed();
    let policy = embed.message_policy();
    let readonly = embed.readonly;
    let store = Store::new(embed, &start, start_notice);
    provide_context(store);
    let Store { files, options, selected, plugin_wasm, renderer, outputs, .. } = store;

    // A chart by URL (`?chart=…`, an embed's or a by-reference link).
    if let Some(link) = remote::from_query(&web::query()) {
        workspace_io::open_remote(store, if is_embed { Source::Embed } else { Source::Link }, link);
    }
    // A share link in the fragment; one pasted into this tab only changes the fragment.
    workspace_io::open_fragment(store, has_saved_work);
    let hash_listener = window_event_listener(ev::hashchange, move |_| workspace_io::open_fragment(store, true));
    on_cleanup(move || hash_listener.remove());

    web::apply_theme(&store.theme.get_untracked());

    // Re-render whenever any input changes; the first run renders at once.
    Effect::new(move |first: Option<()>| {
        files.track();
        options.track();
        plugin_wasm.track();
        renderer.schedule(first.is_none());
    });

    // Autosave, a moment after the last change (deflate is cheap but not free).
    let autosave_timer = StoredValue::new_local(None::<TimeoutHandle>);
    Effect::new(move |first: Option<()>| {
        files.track();
        options.track();
        selected.track();
        if first.is_none() || is_embed {
            return;
        }
        if let Some(h) = autosave_timer.try_update_value(|t| t.take()).flatten() {
            h.clear();
        }
        let h = set_timeout_with_handle(
            move || {
                if let Err(e) = web::save_autosave(&store.current()) {
                    store.dispatch(Action::Notify { error: true, text: format!("Autosave failed: {e}") });
                }
            },
            // Longer after slow renders (a big chart is typed into slowly anyway).
            std::time::Duration::from_millis(if outputs.engine_ms.get_untracked().unwrap_or(0.0) > 100.0 {
                1500
            } else {
                300
            }),
        )
        .ok();
        autosave_timer.set_value(h);
    });

    // A .tgz or folder dropped anywhere on the page.
    let drag_over = RwSignal::new(false);
    workspace_io::install_drop(store, drag_over);

    // postMessage API (docs/embed.md): embed mode only, the parent only.
    crate::embed_api::install(
        policy,
        outputs,
        move |ws| {
            store.dispatch(Action::Replace {
                source: Source::Embed,
                title: "the chart from the embedding page".into(),
                ws,
            });
        },
        move |link| workspace_io::open_remote(store, Source::Embed, link),
    );

    view! {
        <TopBar />
        <OptionsBar />
        <PendingPrompt />
        <NoticeBar />
        <crate::plugin_panel::ConsentPrompt options=options info=outputs.plugin_info plugins_allowed=plugins_allowed />
        <Show when=move || drag_over.get()>
            <div id="drop-overlay" class="drop-overlay" aria-hidden="true">"Drop a chart .tgz or folder to import it"</div>
        </Show>
        <main class="workspace" class:embed=is_embed class:editable=is_embed && !readonly>
            <FileTree />
            <EditorPane />
            <OutputPane />
        </main>
    }
}
