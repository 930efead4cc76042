//! Workspaces in and out of the page: share links (inline and by
//! reference), bundle files, chart imports (.tgz, folders, dropped files)
//! and the chart download. A service under the components: it changes the
//! page only through the store's actions.

use leptos::prelude::*;

use crate::files::is_template;
use crate::import;
use crate::options::Options;
use crate::protocol::{AppError, Task, TaskAnswer};
use crate::recovery::Source;
use crate::remote;
use crate::render_client::task_failure;
use crate::share::{self, Workspace};
use crate::store::{Action, Notice, Store};
use crate::web;

fn fail(store: Store, text: String) {
    store.dispatch(Action::Notify { error: true, text });
}

/// A chart, values or plugin by URL (a by-reference link, an embed's
/// `?chart=…`): fetched and checked, then opened; on any failure the
/// notice says what, and the current work stays.
pub fn open_remote(store: Store, source: Source, link: remote::RefLink) {
    store.dispatch(Action::Notify { error: false, text: format!("Fetching {}…", link.chart.describe()) });
    leptos::task::spawn_local(async move {
        match crate::remote_open::open_link(store.renderer, link, &web::base_url()).await {
            Ok(o) => opened(store, source, o),
            Err(e) => fail(store, format!("Could not open the linked chart: {e}. Your current work is unchanged.")),
        }
    });
}

/// A chart opened by reference replaces the work; its warnings follow.
pub fn opened(store: Store, source: Source, o: crate::remote_open::Opened) {
    store.dispatch(Action::Replace { source, title: o.title, ws: o.ws });
    if !o.warnings.is_empty() {
        fail(store, o.warnings.join(" "));
    }
}

/// A share link in the fragment: open it, or ask first when it would
/// replace different saved work; a bad link leaves everything as it is.
pub fn open_fragment(store: Store, saved_work: bool) {
    let frag = web::fragment();
    if frag.is_empty() {
        return;
    }
    web::clear_fragment();
    if remote::is_ref_link(&frag) {
        match remote::decode(&frag) {
            Ok(link) => open_remote(store, Source::Link, link),
            Err(e) => fail(store, format!("Could not open the shared link: {e}. Your current work is unchanged.")),
        }
        return;
    }
    match share::decode(&frag) {
        Err(e) => fail(store, format!("Could not open the shared link: {e}. Your current work is unchanged.")),
        Ok(ws) => {
            if store.current().same_work(&ws) {
                store.dispatch(Action::Notify {
                    error: false,
                    text: "The shared chart is the same as your current work.".into(),
                });
            } else if saved_work {
                store.dispatch(Action::Ask { source: Source::Link, title: "A shared chart".into(), ws });
            } else {
                store.dispatch(Action::Replace { source: Source::Link, title: "the shared chart".into(), ws });
            }
        }
    }
}

/// "Copy link": the whole workspace in the fragment, or a link by
/// reference for a chart from a URL or repository; a bundle file instead
/// when the workspace is too large for a link.
pub fn copy_link(store: Store) {
    let Store { share_url, share_msg, too_large, .. } = store;
    let ws = store.current();
    if let Some(link) =
        store.origin.get_untracked().and_then(|o| remote::link_for(&ws.chart_files(), &ws.options, &ws.selected, &o))
    {
        too_large.set(false);
        let url = format!("{}#{}", web::base_url(), remote::encode(&link));
        web::copy_to_clipboard(&url);
        share_msg.set(Some(Notice {
            error: false,
            text: format!(
                "Link copied ({} characters). It references {} by its sha256 and carries your edits and options.",
                url.len(),
                link.chart.describe()
            ),
        }));
        share_url.set(Some(url));
        return;
    }
    let enc = share::encode(&ws);
    if enc.len() > share::MAX_LINK_CHARS {
        share_url.set(None);
        too_large.set(true);
        share_msg.set(Some(Notice {
            error: true,
            text: format!(
                "This workspace is too large for a link ({} KB compressed; links hold up to {} KB). Download it as a bundle file instead; \"Open bundle\" opens it the same way.",
                enc.len() / 1024,
                share::MAX_LINK_CHARS / 1024
            ),
        }));
        return;
    }
    too_large.set(false);
    let url = format!("{}#{enc}", web::base_url());
    web::copy_to_clipboard(&url);
    share_msg.set(Some(Notice { error: false, text: format!("Link copied ({} characters).", url.len()) }));
    share_url.set(Some(url));
}

pub fn download_bundle(store: Store) {
    web::download("workspace.chartroom", &share::encode(&store.current()), "text/plain");
}

/// A bundle file ("Open bundle"), opened as an import is (`Action::Offer`):
/// at once when there is no work to lose, else after the user's confirmation.
pub fn open_bundle(store: Store, file: web_sys::File) {
    leptos::task::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string());
        match text.map(|t| share::decode(&t)) {
            Some(Ok(ws)) => {
                store.dispatch(Action::Offer { source: Source::Bundle, title: "The bundle".into(), ws });
            }
            Some(Err(e)) => fail(store, format!("Could not open the bundle: {e}. Your current work is unchanged.")),
            None => fail(store, "Could not read the bundle file.".into()),
        }
    });
}

/// An imported chart replaces the work at once when there is nothing to
/// lose (the untouched example, or the last opened work unedited), else
/// after the user's confirmation.
/// `result`'s error's text is the notice's (see [`import`]).
fn imported(store: Store, what: String, result: Result<import::Imported, AppError>) {
    match result {
        Ok(imp) => {
            let open = imp
                .files
                .paths()
                .into_iter()
                .find(|p| is_template(p) && !p.ends_with(".tpl") && !p.ends_with(".txt"))
                .unwrap_or_else(|| imp.files.fallback_selection());
            store.dispatch(Action::Offer {
                source: Source::Import,
                title: format!("The imported chart {what}{}", imp.left_out()),
                ws: Workspace::new(&imp.files, Options::default(), open),
            });
        }
        Err(e) => fail(store, format!("Could not import {what}: {e}. Your current work is unchanged.")),
    }
}

/// A chart archive (.tgz) to import.
pub fn import_archive_file(store: Store, file: web_sys::File) {
    let name = file.name();
    leptos::task::spawn_local(async move {
        match web::file_bytes(&file).await {
            // tar/gzip run in the render worker (the page does not link them).
            Some(bytes) => store.renderer.task(Task::ImportArchive { bytes }, move |a| match a {
                TaskAnswer::Imported(read) => imported(store, name, import::from_archive(read)),
                other => imported(store, name, Err(task_failure(other))),
            }),
            None => imported(store, name, Err(AppError::Browser("the file could not be read".into()))),
        }
    });
}

/// A chart folder's files (paths from the folder's parent) to import.
pub fn import_folder_files(store: Store, what: String, files: Vec<(String, web_sys::File)>) {
    leptos::task::spawn_local(async move {
        let mut entries = Vec::with_capacity(files.len());
        for (path, file) in files {
            match web::file_bytes(&file).await {
                Some(b) => entries.push((path, b)),
                None => return imported(store, what, Err(AppError::Browser(format!("{path} could not be read")))),
            }
        }
        imported(store, what, import::from_folder(entries));
    });
}

/// Drag and drop anywhere on the page: a .tgz, or a folder. `drag_over`
/// lights the drop overlay.
pub fn install_drop(store: Store, drag_over: RwSignal<bool>) {
    let is_embed = store.is_embed;
    let drag_listener = window_event_listener_untyped("dragover", move |e: web_sys::Event| {
        if !is_embed && web::drag_has_files(&e) {
            e.prevent_default();
            drag_over.set(true);
        }
    });
    let leave_listener = window_event_listener_untyped("dragleave", move |e: web_sys::Event| {
        // Only leaving the window (no related target) ends the highlight.
        let related = js_sys::Reflect::get(&e, &"relatedTarget".into()).ok();
        if related.is_none_or(|r| r.is_null() || r.is_undefined()) {
            drag_over.set(false);
        }
    });
    let drop_listener = window_event_listener_untyped("drop", move |e: web_sys::Event| {
        drag_over.set(false);
        if !web::drag_has_files(&e) || is_embed {
            return;
        }
        e.prevent_default();
        match web::dropped(&e) {
            web::Dropped::Folder(entries) => {
                leptos::task::spawn_local(async move {
                    let name = entries.first().map(web::entry_name).unwrap_or_default();
                    match web::read_entries(entries).await {
                        Ok(list) => imported(store, format!("folder {name}"), import::from_folder(list)),
                        Err(err) => imported(store, format!("folder {name}"), Err(err)),
                    }
                });
            }
            web::Dropped::Files(mut list) if list.len() == 1 => {
                if let Some(f) = list.pop() {
                    import_archive_file(store, f);
                }
            }
            web::Dropped::Files(list) => {
                let with_paths = list.into_iter().map(|f| (f.name(), f)).collect();
                import_folder_files(store, "the dropped files".into(), with_paths);
            }
        }
    });
    on_cleanup(move || {
        drag_listener.remove();
        leave_listener.remove();
        drop_listener.remove();
    });
}

/// The chart as `<name>-<version>.tgz`, packed in the render worker.
pub fn download_chart(store: Store) {
    let (name, dir) = store.files.with_untracked(import::archive_name);
    let files = store.files.with_untracked(|f| f.to_bytes());
    store.renderer.task(Task::ExportArchive { dir, files }, move |a| match a {
        TaskAnswer::Exported(bytes) => web::download_bytes(&name, &bytes, "application/gzip"),
        other => fail(store, format!("Could not export the chart: {}.", task_failure(other))),
    });
}
