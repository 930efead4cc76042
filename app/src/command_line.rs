//! The equivalent `helm template …` command (with Chartroom's own options
//! noted apart), and the result of "Copy link".

use leptos::prelude::*;

use crate::files::ChartFiles;
use crate::store::{use_store, Store};
use crate::web;
use crate::workspace_io;

/// The chart's name from Chart.yaml (for the command line's chart path).
fn chart_name(files: &ChartFiles) -> Option<String> {
    let text = files.text("Chart.yaml")?;
    text.lines().find_map(|l| l.strip_prefix("name:")).map(|n| n.trim().trim_matches(['"', '\'']).to_string())
}

#[component]
pub fn CommandLine() -> impl IntoView {
    let Store { files, options, outputs, .. } = use_store();
    let cli = move || {
        let dir = files.with(chart_name).map(|n| format!("./{n}")).unwrap_or_else(|| ".".into());
        let info = outputs.plugin_info.get();
        options.with(|o| format!("{}{}", o.helm_command(&dir), o.plugin.cli_flags(info.as_ref())))
    };
    let cli_note = move || options.with(|o| o.chartroom_only_note());
    view! {
        <div class="cli-row">
            <div class="cli-lines">
                <code class="cli" id="cli" data-testid="cli">{cli}</code>
                {move || cli_note().map(|n| view! { <code class="cli cli-note" id="cli-note" data-testid="cli-note">{n}</code> })}
            </div>
            <button id="copy-cli" type="button" class="secondary" aria-label="Copy the helm template command"
                on:click=move |_| {
                    let text = match cli_note() { Some(n) => format!("{}\n{n}", cli()), None => cli() };
                    web::copy_to_clipboard(&text)
                }>"Copy"</button>
        </div>
    }
}

/// "Link copied", or the bundle to download when the workspace is too
/// large for a link.
#[component]
pub fn ShareResult() -> impl IntoView {
    let store = use_store();
    let Store { share_msg, share_url, too_large, .. } = store;
    move || {
        share_msg.get().map(|m| {
            view! {
                <div id="share" class="share" class:error=m.error>
                    <span id="share-msg" role="status">{m.text}</span>
                    {move || share_url.get().map(|u| view! {
                        <input id="share-url" data-testid="share-url" type="text" readonly aria-label="Share link" prop:value=u />
                    })}
                    <Show when=move || too_large.get()>
                        <button id="download-bundle" type="button" on:click=move |_| workspace_io::download_bundle(store)>"Download bundle"</button>
                        <crate::open_chart::HostedBundle current=move || store.current() />
                    </Show>
                </div>
            }
        })
    }
}
