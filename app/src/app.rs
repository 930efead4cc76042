//! The page: options bar, file list, editor, output panes, share and
//! workspace controls.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::documents;
use crate::embed::EmbedConfig;
use crate::examples::{self, HELLO_WORLD};
use crate::file_tree;
use crate::files::{base_name, is_template, ChartFiles};
use crate::import;
use crate::options::{values_key, values_name, Options, MOCK_CLUSTER_KEY, PLUGIN_YAML_KEY};
use crate::protocol::{RenderFailure, Task, TaskAnswer};
use crate::recovery::{self, Source};
use crate::remote;
use crate::render_client::{task_failure, RenderInputs, RenderOutputs, Renderer};
use crate::share::{self, Workspace};
use crate::web;

const STARTER_TEMPLATE: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\ndata:\n  hello: world\n";
const DEFAULT_FILE: &str = "templates/deployment.yaml";

fn example_files() -> ChartFiles {
    ChartFiles::from_pairs(HELLO_WORLD.iter().copied())
}

fn example_workspace() -> Workspace {
    Workspace::new(&example_files(), Options::default(), DEFAULT_FILE.into())
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

/// The chart's name from Chart.yaml (for the command line's chart path).
fn chart_name(files: &ChartFiles) -> Option<String> {
    let text = files.text("Chart.yaml")?;
    text.lines().find_map(|l| l.strip_prefix("name:")).map(|n| n.trim().trim_matches(['"', '\'']).to_string())
}

/// The output panes, in tab order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pane {
    Manifest,
    Documents,
    Notes,
    Hooks,
    Errors,
    Plugins,
    Lint,
}

const PANES: [Pane; 7] =
    [Pane::Manifest, Pane::Documents, Pane::Notes, Pane::Hooks, Pane::Errors, Pane::Plugins, Pane::Lint];

impl Pane {
    fn id(self) -> &'static str {
        match self {
            Pane::Manifest => "manifest",
            Pane::Documents => "documents",
            Pane::Notes => "notes",
            Pane::Hooks => "hooks",
            Pane::Errors => "errors",
            Pane::Plugins => "plugins",
            Pane::Lint => "lint",
        }
    }
    fn label(self) -> &'static str {
        match self {
            Pane::Manifest => "Manifest",
            Pane::Documents => "Documents",
            Pane::Notes => "NOTES",
            Pane::Hooks => "Hooks",
            Pane::Errors => "Errors",
            Pane::Plugins => "Plugins",
            Pane::Lint => "Lint",
        }
    }
    fn index(self) -> usize {
        PANES.iter().position(|p| *p == self).unwrap_or(0)
    }
}

/// A message above the panes (share link results, storage problems).
#[derive(Clone, Debug, PartialEq)]
struct Notice {
    error: bool,
    text: String,
}

/// A text option bound to one field of `Options`.
fn opt_text(
    options: RwSignal<Options>,
    id: &'static str,
    label: &'static str,
    placeholder: String,
    get: fn(&Options) -> &String,
    field: fn(&mut Options) -> &mut String,
    multiline: bool,
) -> impl IntoView {
    let value = move || options.with(|o| get(o).clone());
    let set = move |v: String| options.update(|o| *field(o) = v);
    let input = if multiline {
        view! {
            <textarea id=id data-testid=id rows="2" spellcheck="false" wrap="off" placeholder=placeholder.clone()
                prop:value=value on:input=move |ev| set(event_target_value(&ev))></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id data-testid=id type="text" spellcheck="false" placeholder=placeholder
                prop:value=value on:input=move |ev| set(event_target_value(&ev)) />
        }
        .into_any()
    };
    view! {
        <div class="opt">
            <label for=id>{label}</label>
            {input}
        </div>
    }
}

/// A boolean option bound to one field of `Options`.
fn opt_flag(
    options: RwSignal<Options>,
    id: &'static str,
    label: &'static str,
    get: fn(&Options) -> bool,
    field: fn(&mut Options) -> &mut bool,
) -> impl IntoView {
    view! {
        <label class="flag" for=id>
            <input id=id data-testid=id type="checkbox"
                prop:checked=move || options.with(get)
                on:change=move |ev| {
                    let on = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).map(|i| i.checked()).unwrap_or(false);
                    options.update(|o| *field(o) = on);
                } />
            {label}
        </label>
    }
}

#[component]
pub fn App() -> impl IntoView {
    let embed = EmbedConfig::from_query(&web::query());
    let is_embed = embed.embed;
    // What the page starts with: the autosave, else the example. Embedded
    // playgrounds neither read nor write it (several may share one origin).
    let autosaved = if embed.embed { None } else { web::load_autosave() };
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

    let files = RwSignal::new(start.chart_files());
    let options = RwSignal::new(start.options.clone());
    let first_file = embed.file.clone().filter(|f| start.files.iter().any(|(p, _)| p == f));
    let selected = RwSignal::new(match first_file {
        Some(f) => f,
        None if start.selected.is_empty() => DEFAULT_FILE.to_string(),
        None => start.selected.clone(),
    });
    // Bumped when the editor must reload its text although `selected` did not
    // change (reset, load); typing itself never reloads the textarea (keeps the caret).
    let editor_rev = RwSignal::new(0u64);
    let file_msg = RwSignal::new(None::<String>);
    let new_name = RwSignal::new(String::new());
    let new_values = RwSignal::new(String::new());
    let new_path = RwSignal::new(String::new());
    // The keyboard shortcuts popover; a file dragged over the page.
    let help_open = RwSignal::new(false);
    // The options bar's "More options" disclosure (folded at start).
    let more_open = RwSignal::new(false);
    let drag_over = RwSignal::new(false);
    let folder_input: NodeRef<html::Input> = NodeRef::new();
    // Folded folders of the file tree (not saved: a view setting).
    let collapsed = RwSignal::new(std::collections::BTreeSet::<String>::new());
    let rename_to = RwSignal::new(String::new());
    let pane = RwSignal::new(PANES.iter().copied().find(|p| embed.shows_pane(p.id())).unwrap_or(Pane::Manifest));
    let notice = RwSignal::new(start_notice);
    // A shared workspace waiting for the user's decision (it differs from saved work).
    let pending = RwSignal::new(None::<(Source, String, Workspace)>);
    // The work a replacement took away, with the notice that offers Undo.
    let undo = RwSignal::new(None::<(String, Workspace)>);
    // What the newest replacement opened (an embed keeps no backup of it unedited).
    let last_opened = StoredValue::new(None::<Workspace>);
    let share_url = RwSignal::new(None::<String>);
    let share_msg = RwSignal::new(None::<Notice>);
    let too_large = RwSignal::new(false);
    // An embed never shows (nor writes) this browser's named workspaces.
    let saved = RwSignal::new(if is_embed { Vec::new() } else { web::saved_names() });
    let save_name = RwSignal::new(String::new());
    let theme = RwSignal::new(embed.theme.clone().or_else(web::load_theme).unwrap_or_else(|| "dark".into()));
    let editor: NodeRef<html::Textarea> = NodeRef::new();
    // CodeMirror loaded (it announces itself with an event); whitespace toggle.
    let code_ready = RwSignal::new(false);
    let caret_line = RwSignal::new(None::<u32>);
    let show_ws = RwSignal::new(false);

    // plugin.wasm of a bundled plugin, fetched by the plugin panel.
    let plugin_wasm = RwSignal::new(None::<std::sync::Arc<Vec<u8>>>);
    let inputs = RenderInputs { files, options, plugin_wasm, plugins_allowed: embed.plugins_allowed() };
    let outputs = RenderOutputs::new();
    let renderer = Renderer::new(inputs, outputs);

    // Where the chart came from (a URL, a repository's name and version): links reference it.
    let origin = RwSignal::new(start.origin.clone());
    let current = move || Workspace {
        origin: origin.get_untracked(),
        ..Workspace::new(&files.get_untracked(), options.get_untracked(), selected.get_untracked())
    };
    let apply = move |ws: Workspace| {
        origin.set(ws.origin.clone());
        let sel = ws.selected.clone();
        let chart = ws.chart_files();
        let ok_sel = chart.contains(&sel)
            || sel == MOCK_CLUSTER_KEY
            || (sel == PLUGIN_YAML_KEY && ws.options.plugin.has_plugin())
            || values_name(&sel).is_some_and(|n| ws.options.values_text(n).is_some());
        let fallback = if chart.contains(DEFAULT_FILE) { DEFAULT_FILE.to_string() } else { chart.fallback_selection() };
        files.set(chart);
        options.set(ws.options);
        selected.set(if ok_sel { sel } else { fallback });
        editor_rev.update(|r| *r += 1);
    };
    // Replaces the workspace without losing the previous work: it is saved
    // as a named workspace "Before …" (not in embeds) and the notice offers
    // Undo. A plugin that comes from outside waits for the user's consent.
    let replace = move |source: Source, title: String, mut ws: Workspace| {
        if source.is_from_outside() {
            ws.options.plugin.require_consent();
        }
        let prev = current();
        let unchanged = is_embed && last_opened.with_value(|l| l.as_ref().is_some_and(|l| l.same_work(&prev)));
        let keep = recovery::worth_keeping(prev.same_work(&example_workspace()), prev.same_work(&ws), unchanged);
        let mut text = format!("Opened: {title}.");
        let mut error = false;
        if keep {
            match source.backup_name(&web::now_label()).filter(|_| !is_embed) {
                Some(base) => {
                    let name = recovery::unique_name(&base, &web::saved_names());
                    match web::save_named(&name, &prev) {
                        Ok(()) => {
                            saved.set(web::saved_names());
                            text.push_str(&format!(" Your previous work was saved as \"{name}\" (Workspaces)."));
                        }
                        Err(e) => {
                            error = true;
                            text.push_str(&format!(
                                " Your previous work could not be saved ({e}); Undo brings it back."
                            ));
                        }
                    }
                }
                None => text.push_str(" Undo brings back your previous work."),
            }
        }
        last_opened.set_value(Some(ws.clone()));
        apply(ws);
        // An embed loaded by its page says nothing unless edits were replaced.
        if !is_embed || keep {
            undo.set(keep.then(|| (text.clone(), prev)));
            notice.set(Some(Notice { error, text }));
        }
    };

    // A chart, values or plugin by URL (a by-reference link, an embed's
    // `?chart=…`): fetched and checked, then opened; on any failure the
    // notice says what, and the current work stays.
    let open_remote = move |source: Source, link: remote::RefLink| {
        notice.set(Some(Notice { error: false, text: format!("Fetching {}…", link.chart.describe()) }));
        leptos::task::spawn_local(async move {
            match crate::remote_open::open_link(renderer, link, &web::base_url()).await {
                Ok(o) => {
                    replace(source, o.title, o.ws);
                    if !o.warnings.is_empty() {
                        notice.set(Some(Notice { error: true, text: o.warnings.join(" ") }));
                    }
                }
                Err(e) => notice.set(Some(Notice {
                    error: true,
                    text: format!("Could not open the linked chart: {e}. Your current work is unchanged."),
                })),
            }
        });
    };
    if let Some(link) = remote::from_query(&web::query()) {
        open_remote(if is_embed { Source::Embed } else { Source::Link }, link);
    }
    // A share link in the fragment: open it, or ask first when it would
    // replace different saved work; a bad link leaves everything as it is.
    let open_fragment = move |saved_work: bool| {
        let frag = web::fragment();
        if frag.is_empty() {
            return;
        }
        web::clear_fragment();
        if remote::is_ref_link(&frag) {
            match remote::decode(&frag) {
                Ok(link) => open_remote(Source::Link, link),
                Err(e) => notice.set(Some(Notice {
                    error: true,
                    text: format!("Could not open the shared link: {e}. Your current work is unchanged."),
                })),
            }
            return;
        }
        match share::decode(&frag) {
            Err(e) => notice.set(Some(Notice {
                error: true,
                text: format!("Could not open the shared link: {e}. Your current work is unchanged."),
            })),
            Ok(ws) => {
                let same = current().same_work(&ws);
                if same {
                    notice.set(Some(Notice {
                        error: false,
                        text: "The shared chart is the same as your current work.".into(),
                    }));
                } else if saved_work {
                    pending.set(Some((Source::Link, "A shared chart".into(), ws)));
                } else {
                    replace(Source::Link, "the shared chart".into(), ws);
                }
            }
        }
    };
    open_fragment(has_saved_work);
    // A link pasted into this tab only changes the fragment.
    let hash_listener = window_event_listener(ev::hashchange, move |_| open_fragment(true));
    on_cleanup(move || hash_listener.remove());

    web::apply_theme(&theme.get_untracked());

    // The code editor, after the first paint (`?editor=textarea` keeps the plain one).
    let ready_listener = window_event_listener_untyped("chartroom-editor-ready", move |_| code_ready.set(true));
    on_cleanup(move || ready_listener.remove());
    // The editor's caret line (issue 15: the output lines it produced are highlighted).
    let caret_listener = window_event_listener_untyped("chartroom-caret", move |e| {
        let line = js_sys::Reflect::get(&e, &"detail".into()).ok().and_then(|d| d.as_f64());
        caret_line.set(line.map(|l| l as u32));
    });
    on_cleanup(move || caret_listener.remove());
    if !web::query().contains("editor=textarea") {
        // CodeMirror (95 KB) loads once the first output is shown, so the
        // first visit spends its bytes and time on the render (issue 21);
        // the textarea works meanwhile. A render that takes long does not
        // hold the editor back beyond 2 s.
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
            crate::code_editor::set_text(&editor_text_of(files, options, &p));
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
            let key = error_key(files, options, e.file.as_deref()?)?;
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
        let marks = outputs.rendered.with(|r| crate::explain_panel::file_marks(r, &sel));
        crate::code_editor::set_coverage(marks.as_deref());
    });

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
                if let Err(e) = web::save_autosave(&current()) {
                    notice.set(Some(Notice { error: true, text: format!("Autosave failed: {e}") }));
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

    // The rename field follows the selected file (its name: a bare name
    // keeps the folder).
    Effect::new(move |_| {
        let p = selected.get();
        rename_to.set(base_name(&p).to_string());
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

    let on_add_path = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let name = new_path.get_untracked();
        let mut result = Err(crate::files::FileOpError::EmptyName);
        files.update(|f| result = f.add_file(&name, ""));
        match result {
            Ok(path) => {
                new_path.set(String::new());
                select(path);
            }
            Err(e) => file_msg.set(Some(e.to_string())),
        }
    };

    let on_add_values = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let name = new_values.get_untracked();
        let mut result = Err(crate::files::FileOpError::EmptyName);
        options.update(|o| result = o.add_values_file(&name));
        match result {
            Ok(name) => {
                new_values.set(String::new());
                select(values_key(&name));
            }
            Err(e) => file_msg.set(Some(e.to_string())),
        }
    };

    let on_rename = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let from = selected.get_untracked();
        let to = rename_to.get_untracked();
        let mut result = Err(crate::files::FileOpError::EmptyName);
        files.update(|f| result = f.rename(&from, &to));
        match result {
            Ok(path) => select(path),
            Err(e) => file_msg.set(Some(e.to_string())),
        }
    };

    let on_delete = move |_| {
        let path = selected.get_untracked();
        if let Some(name) = values_name(&path) {
            let name = name.to_string();
            options.update(|o| o.remove_values_file(&name));
            select("values.yaml".to_string());
            return;
        }
        let mut result = Ok(());
        files.update(|f| result = f.delete(&path));
        match result {
            Ok(()) => select(files.with_untracked(|f| f.fallback_selection())),
            Err(e) => file_msg.set(Some(e.to_string())),
        }
    };

    let on_reset = move |_| {
        replace(Source::Reset, "the example".into(), example_workspace());
    };

    // Jump to an error's file and line.
    let goto = move |error_path: String, line: Option<u64>, col: Option<u64>| {
        let Some(path) = error_key(files, options, &error_path) else {
            return;
        };
        select(path.clone());
        editor_rev.update(|r| *r += 1);
        let text = editor_text_of(files, options, &path);
        let offset = line_start_utf16(&text, line.unwrap_or(1));
        // After the textarea has taken the newly selected file's text.
        request_animation_frame(move || {
            if crate::code_editor::focus_at(line.unwrap_or(1), col.unwrap_or(1)) {
                return;
            }
            if let Some(el) = editor.get_untracked() {
                let _ = el.focus();
                let _ = el.set_selection_range(offset, offset);
            }
        });
    };

    // Issue 15: a click on a manifest line (no text selected) opens the
    // template line that produced it, from the traced render's source map.
    let source_hint = RwSignal::new(None::<(usize, String, u32, Vec<String>)>);
    // The output lines the caret's template line produced (0-based).
    let caret_lines = Memo::new(move |_| match caret_line.get() {
        Some(l) => outputs.rendered.with(|r| crate::explain_panel::lines_from(r, &selected.get(), l)),
        None => Vec::new(),
    });
    let on_output_click = move |_: ev::MouseEvent| {
        let Some(sel) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) else { return };
        let in_output = sel.focus_node().and_then(|n| n.parent_element()).is_some_and(|e| e.id() == "output");
        if !sel.is_collapsed() || !in_output {
            return;
        }
        let offset = sel.focus_offset() as usize;
        let hit = outputs.rendered.with_untracked(|r| {
            let r = r.as_ref()?;
            let line = crate::explain_panel::line_at_utf16(&r.manifest, offset);
            let e = r.explain.as_ref()?;
            let (file, at) = e.manifest_lines.get(line)?.clone()?;
            let chain = e.manifest_chains.get(line).cloned().unwrap_or_default();
            Some((line + 1, file, at, chain))
        });
        source_hint.set(hit.clone());
        if let Some((_, file, at, _)) = hit {
            goto(file, Some(u64::from(at)), None);
        }
    };

    let editor_text = move || {
        editor_rev.track();
        let p = selected.get();
        editor_text_of(files, options, &p)
    };

    let cli = move || {
        let dir = files.with(chart_name).map(|n| format!("./{n}")).unwrap_or_else(|| ".".into());
        let info = outputs.plugin_info.get();
        options.with(|o| format!("{}{}", o.helm_command(&dir), o.plugin.cli_flags(info.as_ref())))
    };

    let cli_note = move || options.with(|o| o.chartroom_only_note());

    let copy_link = move || {
        // A chart from a URL or repository: the link references it.
        if let Some(link) = origin.get_untracked().and_then(|o| remote::link_for(&current(), &o)) {
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
        let enc = share::encode(&current());
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
    };

    let download_bundle = move |_| {
        web::download("workspace.chartroom", &share::encode(&current()), "text/plain");
    };

    // An imported chart replaces the work at once when there is nothing to
    // lose (the untouched example), else after the user's confirmation.
    let offer = move |title: String, ws: Workspace| {
        if current().same_work(&example_workspace()) {
            replace(Source::Import, title, ws);
        } else {
            pending.set(Some((Source::Import, title, ws)));
        }
    };
    let imported = move |what: String, result: Result<import::Imported, String>| match result {
        Ok(imp) => {
            let open = imp
                .files
                .paths()
                .into_iter()
                .find(|p| is_template(p) && !p.ends_with(".tpl") && !p.ends_with(".txt"))
                .unwrap_or_else(|| imp.files.fallback_selection());
            offer(
                format!("The imported chart {what}{}", imp.left_out()),
                Workspace::new(&imp.files, Options::default(), open),
            );
        }
        Err(e) => notice.set(Some(Notice {
            error: true,
            text: format!("Could not import {what}: {e}. Your current work is unchanged."),
        })),
    };
    let import_archive_file = move |file: web_sys::File| {
        let name = file.name();
        leptos::task::spawn_local(async move {
            match web::file_bytes(&file).await {
                // tar/gzip run in the render worker (the page does not link them).
                Some(bytes) => renderer.task(Task::ImportArchive { bytes }, move |a| match a {
                    TaskAnswer::Imported(read) => imported(name, import::from_archive(read)),
                    other => imported(name, Err(task_failure(other))),
                }),
                None => imported(name, Err("the file could not be read".into())),
            }
        });
    };
    let import_folder_files = move |what: String, files: Vec<(String, web_sys::File)>| {
        leptos::task::spawn_local(async move {
            let mut entries = Vec::with_capacity(files.len());
            for (path, file) in files {
                match web::file_bytes(&file).await {
                    Some(b) => entries.push((path, b)),
                    None => return imported(what, Err(format!("{path} could not be read"))),
                }
            }
            imported(what, import::from_folder(entries));
        });
    };
    let on_import_file = move |ev: ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let file = input.files().and_then(|l| l.get(0));
        input.set_value("");
        if let Some(file) = file {
            import_archive_file(file);
        }
    };
    let on_import_folder = move |ev: ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let list = web::input_files_with_paths(&input);
        input.set_value("");
        let what = list.first().map(|(p, _)| p.split('/').next().unwrap_or_default().to_string()).unwrap_or_default();
        if !list.is_empty() {
            import_folder_files(format!("folder {what}"), list);
        }
    };
    // Drag and drop anywhere on the page: a .tgz, or a folder.
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
                        Ok(list) => imported(format!("folder {name}"), import::from_folder(list)),
                        Err(err) => imported(format!("folder {name}"), Err(err)),
                    }
                });
            }
            web::Dropped::Files(mut list) if list.len() == 1 => {
                if let Some(f) = list.pop() {
                    import_archive_file(f);
                }
            }
            web::Dropped::Files(list) => {
                let with_paths = list.into_iter().map(|f| (f.name(), f)).collect();
                import_folder_files("the dropped files".into(), with_paths);
            }
        }
    });
    on_cleanup(move || {
        drag_listener.remove();
        leave_listener.remove();
        drop_listener.remove();
    });
    let download_chart = move |_| {
        let (name, dir) = files.with_untracked(import::archive_name);
        let files = files.with_untracked(|f| f.to_bytes());
        renderer.task(Task::ExportArchive { dir, files }, move |a| match a {
            TaskAnswer::Exported(bytes) => web::download_bytes(&name, &bytes, "application/gzip"),
            other => notice.set(Some(Notice {
                error: true,
                text: format!("Could not export the chart: {}.", task_failure(other)),
            })),
        });
    };
    // `webkitdirectory` is not a standard attribute Leptos knows.
    Effect::new(move |_| {
        if let Some(el) = folder_input.get() {
            let _ = el.set_attribute("webkitdirectory", "");
        }
    });

    let open_bundle = move |ev: ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|l| l.get(0)) else { return };
        input.set_value("");
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string());
            match text.map(|t| share::decode(&t)) {
                // As an import: at once over the untouched example, else
                // after the user's confirmation.
                Some(Ok(ws)) if current().same_work(&example_workspace()) => {
                    replace(Source::Bundle, "the bundle".into(), ws)
                }
                Some(Ok(ws)) => pending.set(Some((Source::Bundle, "The bundle".into(), ws))),
                Some(Err(e)) => notice.set(Some(Notice {
                    error: true,
                    text: format!("Could not open the bundle: {e}. Your current work is unchanged."),
                })),
                None => notice.set(Some(Notice { error: true, text: "Could not read the bundle file.".into() })),
            }
        });
    };

    let save_as = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if is_embed {
            return;
        }
        let name = save_name.get_untracked().trim().to_string();
        if name.is_empty() {
            notice.set(Some(Notice { error: true, text: "Enter a name to save the workspace under.".into() }));
            return;
        }
        match web::save_named(&name, &current()) {
            Ok(()) => {
                saved.set(web::saved_names());
                save_name.set(String::new());
                notice.set(Some(Notice { error: false, text: format!("Saved as \"{name}\".") }));
            }
            Err(e) => notice.set(Some(Notice { error: true, text: format!("Could not save: {e}") })),
        }
    };

    let toggle_theme = move |_| {
        let next = if theme.get_untracked() == "dark" { "light" } else { "dark" };
        theme.set(next.into());
        web::apply_theme(next);
        web::save_theme(next);
    };

    // postMessage API (docs/embed.md): embed mode only, the parent only.
    crate::embed_api::install(
        embed.message_policy(),
        outputs,
        move |ws| replace(Source::Embed, "the chart from the embedding page".into(), ws),
        move |link| open_remote(Source::Embed, link),
    );

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
            renderer.schedule(true);
        } else if e.alt_key() && e.shift_key() && e.code() == "KeyL" {
            e.prevent_default();
            copy_link();
        } else if e.alt_key() && e.shift_key() {
            if let Some(d) = e.code().strip_prefix("Digit").and_then(|d| d.parse::<usize>().ok()) {
                if let Some(p) = d.checked_sub(1).and_then(|i| PANES.get(i)) {
                    e.prevent_default();
                    pane.set(*p);
                }
            }
        }
    });
    on_cleanup(move || keys.remove());

    let error_view = move |e: RenderFailure, id: &'static str| crate::error_view::error_view(e, id, goto);

    view! {
        <header class="topbar" hidden=embed.embed>
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
                            pending.set(Some((Source::Example, format!("The example \"{}\"", ex.title), ws)));
                        }
                        if let Some(sel) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                            sel.set_value("");
                        }
                    }>
                    <option value="" selected>"Examples…"</option>
                    {examples::EXAMPLES.iter().map(|e| view! { <option value=e.id>{e.title}</option> }).collect_view()}
                </select>
                <button id="copy-link" data-testid="copy-link" type="button" title="Copy a link with the whole workspace (Alt+Shift+L)"
                    on:click=move |_| copy_link()>"Copy link"</button>
                <label class="button secondary" for="import-file" title="Import a chart .tgz (or drop it, or a folder, on the page)">"Import…"</label>
                <input id="import-file" data-testid="import-file" class="visually-hidden" type="file"
                    accept=".tgz,.tar.gz,application/gzip,application/x-gzip" aria-label="Import a chart archive (.tgz)"
                    on:change=on_import_file />
                <label class="button secondary" for="import-folder" title="Import a chart folder">"Import folder…"</label>
                <input id="import-folder" data-testid="import-folder" class="visually-hidden" type="file" multiple
                    node_ref=folder_input aria-label="Import a chart folder"
                    on:change=on_import_folder />
                <crate::open_chart::OpenChart renderer=renderer
                    on_open=move |o: crate::remote_open::Opened| {
                        replace(Source::Import, o.title, o.ws);
                        if !o.warnings.is_empty() {
                            notice.set(Some(Notice { error: true, text: o.warnings.join(" ") }));
                        }
                    } />
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
                                                on:click=move |_| match web::load_named(&n_open) {
                                                    Some(Ok(ws)) => replace(Source::Saved, format!("\"{n_open}\""), ws),
                                                    _ => notice.set(Some(Notice { error: true, text: format!("Could not read \"{n_open}\".") })),
                                                }>{name.clone()}</button>
                                            <button type="button" class="danger" aria-label=format!("Delete saved workspace {name}")
                                                data-testid=format!("delete-saved-{name}")
                                                on:click=move |_| { web::delete_named(&n_del); saved.set(web::saved_names()); }>"✕"</button>
                                        </li>
                                    }
                                }
                            </For>
                        </ul>
                    </div>
                </details>
                <button id="reset-example" type="button" class="secondary" on:click=on_reset>"Reset example"</button>
                <button id="theme-toggle" type="button" class="secondary" aria-label="Toggle dark or light theme"
                    on:click=toggle_theme>{move || if theme.get() == "dark" { "☀ Light" } else { "☾ Dark" }}</button>
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
        // The options bar: the everyday flags in one row, the rarer ones
        // behind "More options" (a disclosure that unfolds a second row).
        <form class="options-bar" aria-label="helm template options" hidden=embed.embed && !embed.options on:submit=|ev: ev::SubmitEvent| ev.prevent_default()>
            <div class="options-main">
                {opt_text(options, "release-name", "Release name", "release-name".into(), |o| &o.release_name, |o| &mut o.release_name, false)}
                {opt_text(options, "namespace", "Namespace", "default".into(), |o| &o.namespace, |o| &mut o.namespace, false)}
                {opt_text(options, "set", "--set", "key=value, one per line".into(), |o| &o.set, |o| &mut o.set, true)}
                {opt_text(options, "show-only", "Show only", "templates/x.yaml".into(), |o| &o.show_only, |o| &mut o.show_only, true)}
                <div class="flags" role="group" aria-label="Flags">
                    {opt_flag(options, "is-upgrade", "is-upgrade", |o| o.is_upgrade, |o| &mut o.is_upgrade)}
                    {opt_flag(options, "include-crds", "include CRDs", |o| o.include_crds, |o| &mut o.include_crds)}
                    {opt_flag(options, "skip-tests", "skip tests", |o| o.skip_tests, |o| &mut o.skip_tests)}
                </div>
                {crate::plugin_panel::options_bar_controls(options, outputs.plugin_info)}
                <button id="more-options-toggle" data-testid="more-options-toggle" type="button" class="secondary more-toggle"
                    aria-controls="more-options" aria-expanded=move || if more_open.get() { "true" } else { "false" }
                    aria-label=move || match options.with(Options::more_options_in_use) {
                        0 => "More options".to_string(),
                        n => format!("More options ({n} in use)"),
                    }
                    on:click=move |_| more_open.update(|o| *o = !*o)>
                    "More options"
                    {move || match options.with(Options::more_options_in_use) {
                        0 => None,
                        n => Some(view! { <span class="badge" id="more-options-count">{format!("{n} in use")}</span> }),
                    }}
                </button>
            </div>
            <div id="more-options" class="options-more" role="group" aria-label="More options" hidden=move || !more_open.get()>
                {opt_text(options, "kube-version", "Kube version", format!("{} (Helm's default)", chartroom_engine::chart::objects::DEFAULT_KUBE_VERSION), |o| &o.kube_version, |o| &mut o.kube_version, false)}
                {opt_text(options, "api-versions", "API versions", "one per line".into(), |o| &o.api_versions, |o| &mut o.api_versions, true)}
                {opt_text(options, "set-string", "--set-string", "key=value, one per line".into(), |o| &o.set_string, |o| &mut o.set_string, true)}
                {opt_text(options, "set-json", "--set-json", "key=JSON, one per line".into(), |o| &o.set_json, |o| &mut o.set_json, true)}
                {opt_text(options, "set-literal", "--set-literal", "key=value, one per line".into(), |o| &o.set_literal, |o| &mut o.set_literal, true)}
                {opt_text(options, "set-file", "--set-file", "key=path, one per line".into(), |o| &o.set_file, |o| &mut o.set_file, true)}
                <div class="opt">
                    <label for="helm-version">"Helm version"</label>
                    <select id="helm-version" data-testid="helm-version"
                        prop:value=move || options.with(|o| o.helm_version.clone())
                        on:change=move |ev| { let v = event_target_value(&ev); options.update(|o| o.helm_version = v) }>
                        {crate::options::HELM_VERSIONS.iter().map(|v| view! {
                            <option value=*v selected=move || options.with(|o| o.helm_version == *v)>{format!("Helm v{v}")}</option>
                        }).collect_view()}
                    </select>
                </div>
                <fieldset class="repro">
                    <legend>"Reproducible (Chartroom only)"</legend>
                    <div class="repro-row">
                        {opt_flag(options, "fixed-seed", "fixed seed", |o| o.fixed_seed, |o| &mut o.fixed_seed)}
                        <input id="seed" data-testid="seed" type="text" inputmode="numeric" spellcheck="false"
                            aria-label="Random seed (a whole number)"
                            disabled=move || options.with(|o| !o.fixed_seed)
                            prop:value=move || options.with(|o| o.seed.clone())
                            on:input=move |ev| { let v = event_target_value(&ev); options.update(|o| o.seed = v) } />
                    </div>
                    <div class="repro-row">
                        {opt_flag(options, "fixed-now", "fixed clock", |o| o.fixed_now, |o| &mut o.fixed_now)}
                        <input id="now" data-testid="now" type="text" spellcheck="false"
                            aria-label="Fixed time for now (RFC 3339)"
                            disabled=move || options.with(|o| !o.fixed_now)
                            prop:value=move || options.with(|o| o.now.clone())
                            on:input=move |ev| { let v = event_target_value(&ev); options.update(|o| o.now = v) } />
                    </div>
                </fieldset>
            </div>
        </form>
        {move || pending.get().map(|(_, title, ws)| {
            let n = ws.files.len();
            view! {
                <div id="pending-link" class="notice" role="alertdialog" aria-labelledby="pending-text">
                    <span id="pending-text">{format!("{title} ({n} files) is ready to open. Opening it replaces your current work in this tab; your current work is first saved as a named workspace (\"Before …\") and can be undone.")}</span>
                    <button id="pending-open" type="button" on:click=move |_| {
                        if let Some((source, title, ws)) = pending.get_untracked() {
                            pending.set(None);
                            replace(source, title, ws);
                        }
                    }>"Open it"</button>
                    <button id="pending-keep" type="button" class="secondary" on:click=move |_| pending.set(None)>"Keep my work"</button>
                </div>
            }
        })}
        {move || notice.get().map(|n| {
            // Undo belongs to the notice of the replacement it undoes.
            let can_undo = undo.with(|u| u.as_ref().is_some_and(|(t, _)| *t == n.text));
            view! {
                <div id="notice" data-testid="notice" class="notice" class:error=n.error role=if n.error { "alert" } else { "status" }>
                    <span>{n.text}</span>
                    {can_undo.then(|| view! {
                        <button id="notice-undo" data-testid="notice-undo" type="button" on:click=move |_| {
                            if let Some((_, prev)) = undo.get_untracked() {
                                undo.set(None);
                                apply(prev);
                                notice.set(Some(Notice { error: false, text: "Undone: your previous work is back.".into() }));
                            }
                        }>"Undo"</button>
                    })}
                    <button type="button" class="secondary" aria-label="Dismiss" on:click=move |_| notice.set(None)>"✕"</button>
                </div>
            }
        })}
        <crate::plugin_panel::ConsentPrompt options=options info=outputs.plugin_info plugins_allowed=embed.plugins_allowed() />
        <Show when=move || drag_over.get()>
            <div id="drop-overlay" class="drop-overlay" aria-hidden="true">"Drop a chart .tgz or folder to import it"</div>
        </Show>
        <main class="workspace" class:embed=is_embed class:editable=is_embed && !embed.readonly>
            // A read-only embed shows no file list (docs/embed.md).
            <nav class="files" aria-label="Chart files" hidden=is_embed && embed.readonly>
                <h2 id="files-heading">"Files"</h2>
                <ul id="file-list" aria-labelledby="files-heading">
                    <For each=move || collapsed.with(|c| files.with(|f| file_tree::visible(file_tree::rows(&f.paths()), c))) key=|r| (r.folder, r.path.clone()) let:row>
                        {
                            let indent = format!("--depth: {}", row.depth);
                            if row.folder {
                                let p_open = row.path.clone();
                                let p_toggle = row.path.clone();
                                view! {
                                    <li class="folder" style=indent data-folder=row.path.clone()>
                                        <button type="button" class="folder-name" title=row.path.clone()
                                            data-testid=format!("folder-{}", row.path)
                                            aria-label=format!("folder {}", row.path)
                                            aria-expanded=move || collapsed.with(|c| (!c.contains(&p_open)).to_string())
                                            on:click=move |_| collapsed.update(|c| if !c.remove(&p_toggle) { c.insert(p_toggle.clone()); })>
                                            {row.label.clone()}
                                        </button>
                                    </li>
                                }.into_any()
                            } else {
                                let path = row.path.clone();
                                let p_click = path.clone();
                                let p_cur = path.clone();
                                let p_cls = path.clone();
                                let binary = files.with_untracked(|f| f.get(&path).is_some_and(|x| x.is_binary()));
                                view! {
                                    <li class:template=is_template(&path) class:binary=binary style=indent>
                                        <button type="button" class="file"
                                            class:selected=move || selected.with(|s| *s == p_cls)
                                            data-testid=format!("file-{path}")
                                            data-path=path.clone()
                                            title=path.clone()
                                            aria-label=path.clone()
                                            aria-current=move || selected.with(|s| (*s == p_cur).then_some("true"))
                                            on:click=move |_| select(p_click.clone())>
                                            {row.label.clone()}
                                            {
                                                // Issue 15: line coverage of the template in the shown render.
                                                let p_cov = path.clone();
                                                move || outputs.rendered.with(|r| crate::explain_panel::file_coverage(r, &p_cov)).map(|(pct, why)| view! {
                                                    <span class="cov" title=why data-testid=format!("cov-{p_cov}")>{pct}</span>
                                                })
                                            }
                                        </button>
                                    </li>
                                }.into_any()
                            }
                        }
                    </For>
                </ul>
                <form class="add-file" on:submit=on_add hidden=embed.readonly>
                    <label for="new-file-name">"New template"</label>
                    <div class="row">
                        <input id="new-file-name" data-testid="new-file-name" type="text" spellcheck="false"
                            placeholder="configmap.yaml"
                            prop:value=move || new_name.get()
                            on:input=move |ev| new_name.set(event_target_value(&ev)) />
                        <button id="add-file" data-testid="add-file" type="submit">"Add"</button>
                    </div>
                </form>
                <form class="add-file" on:submit=on_add_path hidden=embed.readonly>
                    <label for="new-path">"New file (path from the chart root)"</label>
                    <div class="row">
                        <input id="new-path" data-testid="new-path" type="text" spellcheck="false"
                            placeholder="charts/sub/Chart.yaml"
                            prop:value=move || new_path.get()
                            on:input=move |ev| new_path.set(event_target_value(&ev)) />
                        <button id="add-path" data-testid="add-path" type="submit" aria-label="Add the file">"Add"</button>
                    </div>
                </form>
                <h2 id="values-heading">"Values files (-f, in order)"</h2>
                <ul id="values-list" aria-labelledby="values-heading">
                    <For each=move || options.with(|o| o.values_files.iter().map(|v| v.name.clone()).collect::<Vec<_>>()) key=|n| n.clone() let:name>
                        {
                            let key = values_key(&name);
                            let k_click = key.clone();
                            let k_cls = key.clone();
                            view! {
                                <li>
                                    <button type="button" class="file"
                                        class:selected=move || selected.with(|s| *s == k_cls)
                                        data-testid=format!("file-{key}")
                                        aria-label=format!("values file {name}")
                                        on:click=move |_| select(k_click.clone())>{format!("-f {name}")}</button>
                                </li>
                            }
                        }
                    </For>
                </ul>
                <form class="add-file" on:submit=on_add_values hidden=embed.readonly>
                    <label for="new-values-name">"New values file"</label>
                    <div class="row">
                        <input id="new-values-name" data-testid="new-values-name" type="text" spellcheck="false"
                            placeholder="prod.yaml"
                            prop:value=move || new_values.get()
                            on:input=move |ev| new_values.set(event_target_value(&ev)) />
                        <button id="add-values" data-testid="add-values" type="submit">"Add"</button>
                    </div>
                </form>
                <h2 id="cluster-heading">"Cluster (lookup)"</h2>
                <ul id="cluster-list" aria-labelledby="cluster-heading">
                    <li>
                        <button type="button" class="file" data-testid="file--mock-cluster" id="open-mock-cluster"
                            class:selected=move || selected.with(|s| s == MOCK_CLUSTER_KEY)
                            aria-label="mock cluster: objects lookup finds"
                            on:click=move |_| select(MOCK_CLUSTER_KEY.to_string())>
                            {move || if options.with(|o| o.mock_cluster_opt().is_some()) { "mock cluster (on)" } else { "mock cluster (empty)" }}
                        </button>
                    </li>
                </ul>
                {crate::plugin_panel::plugin_file_entry(options, selected)}
                <p id="file-error" class="file-error" role="alert">{move || file_msg.get()}</p>
            </nav>
            <section class="editor-pane" aria-label="Editor" class:binary=move || binary_size(files, &selected.get()).is_some()>
                <div class="editor-toolbar">
                    <label for="editor" id="editor-label" class="path">{move || {
                        let s = selected.get();
                        match s.as_str() {
                            MOCK_CLUSTER_KEY => "mock cluster (lookup)".to_string(),
                            PLUGIN_YAML_KEY => "plugin.yaml (the chosen plugin)".to_string(),
                            _ => s,
                        }
                    }}</label>
                    <Show when=move || !embed.readonly && files.with(|f| selected.with(|s| f.contains(s)))>
                        <form class="rename" on:submit=on_rename>
                            <label for="rename-to" class="visually-hidden">"New name for the selected file (a name keeps its folder; a path with / is from the chart root)"</label>
                            <input id="rename-to" data-testid="rename-to" type="text" spellcheck="false"
                                size=move || rename_to.with(|n| n.chars().count().max(8) + 1)
                                title="A name keeps the folder; a path with / is from the chart root"
                                prop:value=move || rename_to.get()
                                on:input=move |ev| rename_to.set(event_target_value(&ev)) />
                            <button id="rename-file" data-testid="rename-file" type="submit" class="secondary">"Rename"</button>
                            <button id="delete-file" data-testid="delete-file" type="button" class="danger"
                                aria-label=move || format!("Delete {}", selected.get())
                                on:click=on_delete>"Delete"</button>
                        </form>
                    </Show>
                    <button id="toggle-whitespace" type="button" class="secondary" title="Show spaces and tabs (indentation is YAML's syntax)"
                        aria-pressed=move || show_ws.get().to_string()
                        hidden=move || !code_ready.get()
                        on:click=move |_| show_ws.update(|w| *w = !*w)>"␣ Whitespace"</button>
                    <Show when=move || selected.with(|s| values_name(s).is_some())>
                        <button id="delete-values" data-testid="delete-values" type="button" class="danger"
                            on:click=on_delete>"Remove values file"</button>
                    </Show>
                </div>
                {move || binary_size(files, &selected.get()).map(|n| view! {
                    <p id="binary-info" class="binary-info" role="note">{format!("binary, {n} bytes (read-only)")}</p>
                })}
                {move || (selected.get() == MOCK_CLUSTER_KEY).then(|| view! {
                    <p id="mock-help" class="mock-help">"Objects "<code>"lookup"</code>" finds, as YAML documents (or a "<code>"kind: List"</code>"). Empty: no cluster, as with "<code>"helm template"</code>"."</p>
                })}
                <textarea id="editor" data-testid="editor" node_ref=editor readonly=embed.readonly
                    spellcheck="false" autocapitalize="off" autocomplete="off" wrap="off"
                    prop:value=editor_text
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        let path = selected.get_untracked();
                        if path == MOCK_CLUSTER_KEY {
                            options.update(|o| o.mock_cluster = text);
                        } else if path == PLUGIN_YAML_KEY {
                            options.update(|o| o.plugin.yaml = text);
                        } else if let Some(name) = values_name(&path) {
                            let name = name.to_string();
                            options.update(|o| o.set_values_text(&name, text));
                        } else {
                            files.update(|f| f.set_text(&path, text));
                        }
                    }></textarea>
            </section>
            <section class="output-pane" aria-labelledby="output-heading">
                <div class="output-toolbar">
                    <h2 id="output-heading" class="visually-hidden">"Output"</h2>
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
                                pane.set(*p);
                                if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&format!("tab-{}", p.id()))) {
                                    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() { let _ = el.focus(); }
                                }
                            }
                        }>
                        {PANES.iter().enumerate().filter(|(_, p)| embed.shows_pane(p.id())).map(|(i, p)| {
                            let p = *p;
                            view! {
                                <button type="button" role="tab" id=format!("tab-{}", p.id()) data-testid=format!("tab-{}", p.id())
                                    aria-controls=format!("pane-{}", p.id())
                                    aria-selected=move || (pane.get() == p).to_string()
                                    tabindex=move || if pane.get() == p { "0" } else { "-1" }
                                    title=format!("Alt+Shift+{}", i + 1)
                                    class:active=move || pane.get() == p
                                    on:click=move |_| pane.set(p)>
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
                    <crate::render_status::RenderStatus outputs=outputs renderer=renderer />
                    <button id="download-output" type="button" class="secondary" title="Download the output as .yaml"
                        on:click=move |_| {
                            let text = outputs.rendered.with_untracked(|r| r.as_ref().map(|r| r.manifest.clone()).unwrap_or_default());
                            web::download("manifest.yaml", &text, "text/yaml");
                        }>"⤓ .yaml"</button>
                    <button id="download-chart" data-testid="download-chart" type="button" class="secondary"
                        title="Download the chart as a .tgz, named as helm package names it" aria-label="Download chart (.tgz)"
                        on:click=download_chart>"⤓ Chart .tgz"</button>
                </div>
                {move || outputs.error.get().map(|e| error_view(e, "error"))}
                <div class="panes">
                    <div role="tabpanel" id="pane-manifest" aria-labelledby="tab-manifest" hidden=move || pane.get() != Pane::Manifest>
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
                    </div>
                    <div role="tabpanel" id="pane-documents" aria-labelledby="tab-documents" hidden=move || pane.get() != Pane::Documents>
                        <documents::DocumentsPane outputs renderer files options visible=Signal::derive(move || pane.get() == Pane::Documents) />
                    </div>
                    <div role="tabpanel" id="pane-notes" aria-labelledby="tab-notes" hidden=move || pane.get() != Pane::Notes>
                        <pre id="notes" data-testid="notes" tabindex="0" aria-label="NOTES.txt">{move || outputs.rendered.with(|r| r.as_ref().map(|r| r.notes.clone()).unwrap_or_default())}</pre>
                    </div>
                    <div role="tabpanel" id="pane-hooks" aria-labelledby="tab-hooks" hidden=move || pane.get() != Pane::Hooks>
                        {move || {
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
                        }}
                    </div>
                    <div role="tabpanel" id="pane-errors" aria-labelledby="tab-errors" hidden=move || pane.get() != Pane::Errors>
                        {move || match outputs.error.get() {
                            Some(e) => error_view(e, "error-detail").into_any(),
                            None => view! { <p class="empty">"No errors."</p> }.into_any(),
                        }}
                    </div>
                    <div role="tabpanel" id="pane-plugins" aria-labelledby="tab-plugins" hidden=move || pane.get() != Pane::Plugins>
                        <crate::plugin_panel::PluginPanel options=options outputs=outputs plugin_wasm=plugin_wasm renderer=renderer selected=selected />
                    </div>
                    <div role="tabpanel" id="pane-lint" aria-labelledby="tab-lint" hidden=move || pane.get() != Pane::Lint>
                        <crate::lint_pane::LintPane files=files options=options outputs=outputs renderer=renderer
                            visible=Signal::derive(move || pane.get() == Pane::Lint)
                            goto=Callback::new(move |(f, l): (String, Option<u64>)| goto(f, l, None)) />
                    </div>
                </div>
                {crate::explain_panel::explain_panel(outputs.rendered)}
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
                {move || share_msg.get().map(|m| view! {
                    <div id="share" class="share" class:error=m.error>
                        <span id="share-msg" role="status">{m.text}</span>
                        {move || share_url.get().map(|u| view! {
                            <input id="share-url" data-testid="share-url" type="text" readonly aria-label="Share link" prop:value=u />
                        })}
                        <Show when=move || too_large.get()>
                            <button id="download-bundle" type="button" on:click=download_bundle>"Download bundle"</button>
                            <crate::open_chart::HostedBundle current=current />
                        </Show>
                    </div>
                })}
            </section>
        </main>
    }
}

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

/// The editor key of the file an error names (values files by name, chart
/// files with or without the chart name in front).
fn error_key(files: RwSignal<ChartFiles>, options: RwSignal<Options>, error_path: &str) -> Option<String> {
    let values_file = options.with_untracked(|o| o.values_text(error_path).map(|_| values_key(error_path)));
    values_file.or_else(|| files.with_untracked(|f| f.resolve(error_path)))
}

/// The text shown in the editor for a selection key (nothing for a
/// binary file: the page says "binary, N bytes" instead).
fn editor_text_of(files: RwSignal<ChartFiles>, options: RwSignal<Options>, key: &str) -> String {
    if key == MOCK_CLUSTER_KEY {
        return options.with_untracked(|o| o.mock_cluster.clone());
    }
    if key == PLUGIN_YAML_KEY {
        return options.with_untracked(|o| o.plugin.yaml.clone());
    }
    match values_name(key) {
        Some(name) => options.with_untracked(|o| o.values_text(name).unwrap_or_default().to_string()),
        None => files.with_untracked(|f| f.text(key).unwrap_or_default().to_string()),
    }
}

/// Size of the selected file when it is binary.
fn binary_size(files: RwSignal<ChartFiles>, key: &str) -> Option<usize> {
    files.with(|f| f.get(key).filter(|x| x.is_binary()).map(|x| x.len()))
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
