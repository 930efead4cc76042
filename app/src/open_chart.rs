//! "Open chart…": a Helm repository URL (its index.yaml lists the charts
//! and versions; the version field takes a version or a constraint as
//! `--version` does, empty for the newest release), a chart archive URL,
//! or an `oci://` reference; and "Make link" for a hosted bundle.

use leptos::prelude::*;

use crate::protocol::AppError;
use crate::remote::{ChartRef, FileRef};
use crate::remote_open::{self, Opened};
use crate::render_client::Renderer;
use crate::repo_tasks::Listed;
use crate::share::Workspace;

fn is_archive_url(u: &str) -> bool {
    let path = u.split(['?', '#']).next().unwrap_or(u);
    path.ends_with(".tgz") || path.ends_with(".tar.gz")
}

#[component]
pub fn OpenChart(renderer: Renderer, on_open: impl Fn(Opened) + Clone + 'static) -> impl IntoView {
    let url = RwSignal::new(String::new());
    let status = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    // The repository shown (its URL) and its charts.
    let listing = RwSignal::new(None::<(String, Vec<(String, Vec<Listed>)>)>);
    let chosen = RwSignal::new(String::new());
    let version = RwSignal::new(String::new());
    let details: NodeRef<leptos::html::Details> = NodeRef::new();

    let open_fn = {
        let on_open = on_open.clone();
        move |chart: ChartRef| {
            let on_open = on_open.clone();
            busy.set(true);
            status.set(Some((false, format!("Opening {}…", chart.describe()))));
            leptos::task::spawn_local(async move {
                let r = remote_open::open_chart(renderer, chart).await;
                busy.set(false);
                match r {
                    Ok(o) => {
                        status.set(None);
                        if let Some(d) = details.get_untracked() {
                            d.set_open(false);
                        }
                        on_open(o);
                    }
                    Err(e) => status.set(Some((true, e.to_string()))),
                }
            });
        }
    };
    // Kept in the arena (Copy): the handlers below are recreated by
    // reactive closures, and the callback is not Send.
    let open = StoredValue::new_local(open_fn);
    let open_for_lookup = move |c: ChartRef| open.with_value(|f| f(c));
    let look_up = move || {
        let u = url.get_untracked().trim().to_string();
        if u.is_empty() {
            return;
        }
        listing.set(None);
        if u.starts_with("oci://") {
            open_for_lookup(ChartRef::Oci { reference: u, version: version.get_untracked(), sha256: String::new() });
            return;
        }
        if is_archive_url(&u) {
            open_for_lookup(ChartRef::Archive(FileRef { url: u, sha256: String::new() }));
            return;
        }
        busy.set(true);
        status.set(Some((false, format!("Reading {u}…"))));
        leptos::task::spawn_local(async move {
            let r = remote_open::list_repo(renderer, &u).await;
            busy.set(false);
            match r {
                Ok(list) if list.is_empty() => status.set(Some((true, format!("The repository {u} lists no charts.")))),
                Ok(list) => {
                    chosen.set(list[0].0.clone());
                    version.set(String::new());
                    status.set(Some((false, format!("{} charts in {u}.", list.len()))));
                    listing.set(Some((u, list)));
                }
                Err(e) => status.set(Some((true, e.to_string()))),
            }
        });
    };
    let versions = move || {
        listing.with(|l| {
            l.as_ref()
                .and_then(|(_, list)| list.iter().find(|(n, _)| *n == chosen.get()).map(|(_, v)| v.clone()))
                .unwrap_or_default()
        })
    };
    let open_selected = move |_| {
        let Some(repo) = listing.with_untracked(|l| l.as_ref().map(|(u, _)| u.clone())) else { return };
        let chart = ChartRef::Repo {
            repo,
            name: chosen.get_untracked(),
            version: version.get_untracked().trim().to_string(),
            sha256: String::new(),
        };
        open.with_value(|f| f(chart));
    };

    view! {
        <details class="open-chart" id="open-chart" node_ref=details>
            <summary data-testid="open-chart">"Open chart…"</summary>
            <div class="open-chart-menu">
                <form on:submit=move |ev| { ev.prevent_default(); look_up(); }>
                    <label for="open-chart-url">"Helm repository URL, chart .tgz URL or oci:// reference"</label>
                    <input id="open-chart-url" data-testid="open-chart-url" type="url" spellcheck="false"
                        placeholder="https://charts.example.com"
                        prop:value=move || url.get()
                        on:input=move |ev| url.set(event_target_value(&ev)) />
                    <button type="submit" data-testid="open-chart-go" disabled=move || busy.get()>"Look up"</button>
                </form>
                {move || listing.get().map(|(_, list)| view! {
                    <div class="open-chart-pick">
                        <label for="open-chart-name">"Chart"</label>
                        <select id="open-chart-name" data-testid="open-chart-name"
                            on:change=move |ev| { chosen.set(event_target_value(&ev)); version.set(String::new()); }>
                            {list.iter().map(|(n, _)| {
                                let n = n.clone();
                                let sel = n == chosen.get_untracked();
                                view! { <option value=n.clone() selected=sel>{n.clone()}</option> }
                            }).collect_view()}
                        </select>
                        <label for="open-chart-version">"Version (or constraint; empty: newest release)"</label>
                        <input id="open-chart-version" data-testid="open-chart-version" type="text" list="open-chart-versions"
                            spellcheck="false" placeholder="newest release"
                            prop:value=move || version.get()
                            on:input=move |ev| version.set(event_target_value(&ev)) />
                        <datalist id="open-chart-versions">
                            {move || versions().into_iter().map(|v| view! {
                                <option value=v.version.clone()>{if v.app_version.is_empty() { String::new() } else { format!("app {}", v.app_version) }}</option>
                            }).collect_view()}
                        </datalist>
                        <button type="button" data-testid="open-chart-open" disabled=move || busy.get() on:click=open_selected>"Open"</button>
                    </div>
                })}
                {move || status.get().map(|(error, text)| view! {
                    <p class="open-chart-status" class:error=error data-testid="open-chart-status" role="status">{text}</p>
                })}
            </div>
        </details>
    }
}

/// Shown when a workspace is too large for a link: how to host its bundle,
/// and "Make link" once it is hosted.
#[component]
pub fn HostedBundle(current: impl Fn() -> Workspace + Clone + 'static) -> impl IntoView {
    let url = RwSignal::new(String::new());
    // The link made, or why not (its text shown under the field instead).
    let result = RwSignal::new(None::<Result<String, AppError>>);
    let make = move || {
        let u = url.get_untracked().trim().to_string();
        if u.is_empty() {
            return;
        }
        let ws = current();
        result.set(None);
        leptos::task::spawn_local(async move {
            let r = remote_open::hosted_bundle_link(&u, &ws).await;
            if let Ok(link) = &r {
                crate::web::copy_to_clipboard(link);
            }
            result.set(Some(r));
        });
    };
    view! {
        <div class="hosted-bundle" data-testid="hosted-bundle">
            <p>{crate::remote::HOSTING_HELP}</p>
            <form on:submit=move |ev| { ev.prevent_default(); make(); }>
                <label for="hosted-bundle-url">"Hosted bundle URL"</label>
                <input id="hosted-bundle-url" data-testid="hosted-bundle-url" type="url" spellcheck="false"
                    prop:value=move || url.get()
                    on:input=move |ev| url.set(event_target_value(&ev)) />
                <button type="submit" data-testid="hosted-bundle-make">"Make link"</button>
            </form>
            {move || result.get().map(|r| match r {
                Ok(link) => view! {
                    <p role="status">"Link copied: it references the hosted bundle and its sha256."</p>
                    <input data-testid="hosted-bundle-link" type="text" readonly prop:value=link />
                }.into_any(),
                Err(e) => view! { <p class="error" role="status" data-testid="hosted-bundle-error">{e.to_string()}</p> }.into_any(),
            })}
        </div>
    }
}
