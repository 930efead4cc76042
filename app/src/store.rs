//! The page's state in one store, and the typed actions that change it.
//!
//! `App` makes one `Store` and provides it through Leptos' context; every
//! component takes it with `use_store()`, reads its signals, and changes
//! the workspace through `Store::dispatch(Action)`. Services (links,
//! bundles, imports: `workspace_io.rs`; rendering: `render_client.rs`) sit
//! below the components and use the same actions. View-only state (a
//! form's text, an open menu) stays inside its component.

use std::sync::Arc;

use leptos::html;
use leptos::prelude::*;

use crate::embed::EmbedConfig;
use crate::examples::HELLO_WORLD;
use crate::files::{ChartFiles, FileOpError};
use crate::options::{values_key, values_name, Options, MOCK_CLUSTER_KEY, PLUGIN_YAML_KEY};
use crate::recovery::{self, Source};
use crate::remote::Origin;
use crate::render_client::{RenderInputs, RenderOutputs, Renderer};
use crate::share::Workspace;
use crate::web;

pub const STARTER_TEMPLATE: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\ndata:\n  hello: world\n";
pub const DEFAULT_FILE: &str = "templates/deployment.yaml";

fn example_files() -> ChartFiles {
    ChartFiles::from_pairs(HELLO_WORLD.iter().copied())
}

/// The workspace a first visit (and "Reset example") shows.
pub fn example_workspace() -> Workspace {
    Workspace::new(&example_files(), Options::default(), DEFAULT_FILE.into())
}

/// The output panes, in tab order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Manifest,
    Documents,
    Notes,
    Hooks,
    Errors,
    Plugins,
    Lint,
}

pub const PANES: [Pane; 7] =
    [Pane::Manifest, Pane::Documents, Pane::Notes, Pane::Hooks, Pane::Errors, Pane::Plugins, Pane::Lint];

impl Pane {
    pub fn id(self) -> &'static str {
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
    pub fn label(self) -> &'static str {
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
    pub fn index(self) -> usize {
        PANES.iter().position(|p| *p == self).unwrap_or(0)
    }
}

/// A message above the panes (share link results, storage problems).
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub error: bool,
    pub text: String,
}

/// The template line a clicked manifest line came from: manifest line
/// (1-based), template file, its line, the include chain (innermost first).
pub type SourceHint = (usize, String, u32, Vec<String>);

/// Everything the page's components share. `Copy`: signals are handles.
#[derive(Clone, Copy)]
pub struct Store {
    pub embed: StoredValue<EmbedConfig>,
    /// Embed mode (`?embed=1`): no autosave, no named workspaces.
    pub is_embed: bool,
    /// A read-only embed (`readonly=1`).
    pub readonly: bool,
    pub files: RwSignal<ChartFiles>,
    pub options: RwSignal<Options>,
    /// The editor's file: a chart path, a values file key (`-f:name`), the
    /// mock cluster or the plugin.yaml.
    pub selected: RwSignal<String>,
    /// Bumped when the editor must reload its text although `selected` did
    /// not change (reset, load); typing itself never reloads the textarea
    /// (keeps the caret).
    pub editor_rev: RwSignal<u64>,
    /// The last file operation's error (under the file list).
    pub file_msg: RwSignal<Option<String>>,
    pub pane: RwSignal<Pane>,
    /// The options bar's "More options" disclosure (folded at start).
    pub more_options: RwSignal<bool>,
    /// The option line to put the caret on (the options bar does, then clears it).
    pub option_focus: RwSignal<Option<(&'static str, String)>>,
    pub notice: RwSignal<Option<Notice>>,
    /// A workspace waiting for the user's decision (it would replace other work).
    pub pending: RwSignal<Option<(Source, String, Workspace)>>,
    /// The work a replacement took away, with the notice that offers Undo.
    pub undo: RwSignal<Option<(String, Workspace)>>,
    /// What the newest replacement opened (an embed keeps no backup of it unedited).
    pub last_opened: StoredValue<Option<Workspace>>,
    /// This browser's named workspaces (none in an embed).
    pub saved: RwSignal<Vec<String>>,
    pub theme: RwSignal<String>,
    /// Where the chart came from (a URL, a repository's name and version): links reference it.
    pub origin: RwSignal<Option<Origin>>,
    /// plugin.wasm of a bundled plugin, fetched by the plugin panel.
    pub plugin_wasm: RwSignal<Option<Arc<Vec<u8>>>>,
    /// The plain editor (the fallback while CodeMirror is not loaded).
    pub editor: NodeRef<html::Textarea>,
    /// CodeMirror loaded (it announces itself with an event).
    pub code_ready: RwSignal<bool>,
    /// The editor's caret line (issue 15: the output lines it produced are highlighted).
    pub caret_line: RwSignal<Option<u32>>,
    /// Issue 15: the template line of the last clicked manifest line.
    pub source_hint: RwSignal<Option<SourceHint>>,
    /// The share link's result under the command line.
    pub share_url: RwSignal<Option<String>>,
    pub share_msg: RwSignal<Option<Notice>>,
    pub too_large: RwSignal<bool>,
    pub renderer: Renderer,
    pub outputs: RenderOutputs,
}

/// A change to the page's state.
pub enum Action {
    /// Show this file (selection key) in the editor.
    Select(String),
    /// Open the file an error or a trace names (as the engine names it:
    /// `mychart/templates/x.yaml`, a values file's name) at its line.
    Goto {
        path: String,
        line: Option<u64>,
        col: Option<u64>,
    },
    /// Open an editor key (a chart path, `-f:name`) at a 1-based line.
    OpenAt {
        key: String,
        line: Option<u64>,
    },
    /// Fold or unfold the options bar's "More options".
    ShowMoreOptions(bool),
    /// Put the caret on a line of a multi-line option (`--set` and its kin:
    /// the field's id and the line's text), unfolding "More options" for it.
    FocusOptionLine {
        id: &'static str,
        line: String,
    },
    /// The editor's text changed: it is the selected file's new content.
    Edit(String),
    /// File operations; on failure `file_msg` says why.
    AddTemplate(String),
    AddFile(String),
    AddValuesFile(String),
    RenameSelected(String),
    DeleteSelected,
    Notify {
        error: bool,
        text: String,
    },
    DismissNotice,
    /// Replace the workspace now, keeping the previous work (a named
    /// "Before …" workspace, and Undo).
    Replace {
        source: Source,
        title: String,
        ws: Workspace,
    },
    /// Ask first: the pending prompt offers to open it.
    Ask {
        source: Source,
        title: String,
        ws: Workspace,
    },
    /// At once over the untouched example, else ask first.
    Offer {
        source: Source,
        title: String,
        ws: Workspace,
    },
    OpenPending,
    KeepWork,
    Undo,
    SetPane(Pane),
    SaveAs(String),
    OpenSaved(String),
    DeleteSaved(String),
    ToggleTheme,
    RenderNow,
}

/// The store of this page (provided by `App`).
pub fn use_store() -> Store {
    expect_context::<Store>()
}

impl Store {
    /// The store for a page starting with `start`; the render worker starts too.
    pub fn new(embed: EmbedConfig, start: &Workspace, notice: Option<Notice>) -> Store {
        let is_embed = embed.embed;
        let files = RwSignal::new(start.chart_files());
        let options = RwSignal::new(start.options.clone());
        let first_file = embed.file.clone().filter(|f| start.files.iter().any(|(p, _)| p == f));
        let selected = RwSignal::new(match first_file {
            Some(f) => f,
            None if start.selected.is_empty() => DEFAULT_FILE.to_string(),
            None => start.selected.clone(),
        });
        let plugin_wasm = RwSignal::new(None::<Arc<Vec<u8>>>);
        let inputs = RenderInputs { files, options, plugin_wasm, plugins_allowed: embed.plugins_allowed() };
        let outputs = RenderOutputs::new();
        let renderer = Renderer::new(inputs, outputs);
        Store {
            is_embed,
            readonly: embed.readonly,
            pane: RwSignal::new(PANES.iter().copied().find(|p| embed.shows_pane(p.id())).unwrap_or(Pane::Manifest)),
            // An embed never shows (nor writes) this browser's named workspaces.
            saved: RwSignal::new(if is_embed { Vec::new() } else { web::saved_names() }),
            theme: RwSignal::new(embed.theme.clone().or_else(web::load_theme).unwrap_or_else(|| "dark".into())),
            embed: StoredValue::new(embed),
            files,
            options,
            selected,
            editor_rev: RwSignal::new(0),
            more_options: RwSignal::new(false),
            option_focus: RwSignal::new(None),
            file_msg: RwSignal::new(None),
            notice: RwSignal::new(notice),
            pending: RwSignal::new(None),
            undo: RwSignal::new(None),
            last_opened: StoredValue::new(None),
            origin: RwSignal::new(start.origin.clone()),
            plugin_wasm,
            editor: NodeRef::new(),
            code_ready: RwSignal::new(false),
            caret_line: RwSignal::new(None),
            source_hint: RwSignal::new(None),
            share_url: RwSignal::new(None),
            share_msg: RwSignal::new(None),
            too_large: RwSignal::new(false),
            renderer,
            outputs,
        }
    }

    /// The workspace as it is now (for links, bundles, autosave).
    pub fn current(self) -> Workspace {
        Workspace {
            origin: self.origin.get_untracked(),
            ..Workspace::new(&self.files.get_untracked(), self.options.get_untracked(), self.selected.get_untracked())
        }
    }

    /// Nothing the user did would be lost: the untouched example, or what
    /// was last opened (an import, a bundle, a link) still unedited. An
    /// import or a bundle then opens at once (`replace` still keeps it and
    /// offers Undo); edits make them ask first.
    pub fn nothing_to_lose(self) -> bool {
        let cur = self.current();
        cur.same_work(&example_workspace())
            || self.last_opened.with_value(|l| l.as_ref().is_some_and(|l| l.same_work(&cur)))
    }

    /// Applies `action`; false when it did not take effect (a file
    /// operation that failed: `file_msg` says why).
    pub fn dispatch(self, action: Action) -> bool {
        match action {
            Action::Select(path) => {
                self.file_msg.set(None);
                self.selected.set(path);
            }
            Action::Goto { path, line, col } => {
                if let Some(key) = self.error_key(&path) {
                    self.open_at(key, line, col);
                }
            }
            Action::OpenAt { key, line } => self.open_at(key, line, None),
            Action::ShowMoreOptions(open) => self.more_options.set(open),
            Action::FocusOptionLine { id, line } => {
                if id != "set" {
                    self.more_options.set(true);
                }
                self.option_focus.set(Some((id, line)));
            }
            Action::Edit(text) => {
                let path = self.selected.get_untracked();
                if path == MOCK_CLUSTER_KEY {
                    self.options.update(|o| o.mock_cluster = text);
                } else if path == PLUGIN_YAML_KEY {
                    self.options.update(|o| o.plugin.yaml = text);
                } else if let Some(name) = values_name(&path) {
                    let name = name.to_string();
                    self.options.update(|o| o.set_values_text(&name, text));
                } else {
                    self.files.update(|f| f.set_text(&path, text));
                }
            }
            Action::AddTemplate(name) => {
                let mut result = Err(FileOpError::EmptyName);
                self.files.update(|f| result = f.add_template(&name, STARTER_TEMPLATE));
                return self.file_op(result);
            }
            Action::AddFile(name) => {
                let mut result = Err(FileOpError::EmptyName);
                self.files.update(|f| result = f.add_file(&name, ""));
                return self.file_op(result);
            }
            Action::AddValuesFile(name) => {
                let mut result = Err(FileOpError::EmptyName);
                self.options.update(|o| result = o.add_values_file(&name));
                return self.file_op(result.map(|n| values_key(&n)));
            }
            Action::RenameSelected(to) => {
                let from = self.selected.get_untracked();
                let mut result = Err(FileOpError::EmptyName);
                self.files.update(|f| result = f.rename(&from, &to));
                return self.file_op(result);
            }
            Action::DeleteSelected => {
                let path = self.selected.get_untracked();
                if let Some(name) = values_name(&path) {
                    let name = name.to_string();
                    self.options.update(|o| o.remove_values_file(&name));
                    self.dispatch(Action::Select("values.yaml".to_string()));
                    return true;
                }
                let mut result = Ok(());
                self.files.update(|f| result = f.delete(&path));
                return self.file_op(result.map(|()| self.files.with_untracked(|f| f.fallback_selection())));
            }
            Action::Notify { error, text } => self.notice.set(Some(Notice { error, text })),
            Action::DismissNotice => self.notice.set(None),
            Action::Replace { source, title, ws } => self.replace(source, title, ws),
            Action::Ask { source, title, ws } => self.pending.set(Some((source, title, ws))),
            Action::Offer { source, title, ws } => {
                if self.nothing_to_lose() {
                    self.replace(source, title, ws);
                } else {
                    self.pending.set(Some((source, title, ws)));
                }
            }
            Action::OpenPending => {
                if let Some((source, title, ws)) = self.pending.get_untracked() {
                    self.pending.set(None);
                    self.replace(source, title, ws);
                }
            }
            Action::KeepWork => self.pending.set(None),
            Action::Undo => {
                if let Some((_, prev)) = self.undo.get_untracked() {
                    self.undo.set(None);
                    self.apply(prev);
                    self.notice.set(Some(Notice { error: false, text: "Undone: your previous work is back.".into() }));
                }
            }
            Action::SetPane(p) => self.pane.set(p),
            Action::SaveAs(name) => {
                if self.is_embed {
                    return false;
                }
                let name = name.trim().to_string();
                if name.is_empty() {
                    self.notice
                        .set(Some(Notice { error: true, text: "Enter a name to save the workspace under.".into() }));
                    return false;
                }
                match web::save_named(&name, &self.current()) {
                    Ok(()) => {
                        self.saved.set(web::saved_names());
                        self.notice.set(Some(Notice { error: false, text: format!("Saved as \"{name}\".") }));
                    }
                    Err(e) => {
                        self.notice.set(Some(Notice { error: true, text: format!("Could not save: {e}") }));
                        return false;
                    }
                }
            }
            Action::OpenSaved(name) => match web::load_named(&name) {
                Some(Ok(ws)) => self.replace(Source::Saved, format!("\"{name}\""), ws),
                _ => self.notice.set(Some(Notice { error: true, text: format!("Could not read \"{name}\".") })),
            },
            Action::DeleteSaved(name) => {
                web::delete_named(&name);
                self.saved.set(web::saved_names());
            }
            Action::ToggleTheme => {
                let next = if self.theme.get_untracked() == "dark" { "light" } else { "dark" };
                self.theme.set(next.into());
                web::apply_theme(next);
                web::save_theme(next);
            }
            Action::RenderNow => self.renderer.schedule(true),
        }
        true
    }

    /// A file operation's result: its new selection, or why it failed.
    fn file_op(self, result: Result<String, FileOpError>) -> bool {
        match result {
            Ok(path) => {
                self.dispatch(Action::Select(path));
                true
            }
            Err(e) => {
                self.file_msg.set(Some(e.to_string()));
                false
            }
        }
    }

    /// Shows a workspace (no backup: see `replace`).
    fn apply(self, ws: Workspace) {
        self.origin.set(ws.origin.clone());
        let sel = ws.selected.clone();
        let chart = ws.chart_files();
        let ok_sel = chart.contains(&sel)
            || sel == MOCK_CLUSTER_KEY
            || (sel == PLUGIN_YAML_KEY && ws.options.plugin.has_plugin())
            || values_name(&sel).is_some_and(|n| ws.options.values_text(n).is_some());
        let fallback = if chart.contains(DEFAULT_FILE) { DEFAULT_FILE.to_string() } else { chart.fallback_selection() };
        self.renderer.prepare_for(&chart);
        self.files.set(chart);
        self.options.set(ws.options);
        self.selected.set(if ok_sel { sel } else { fallback });
        self.editor_rev.update(|r| *r += 1);
    }

    /// Replaces the workspace without losing the previous work: it is saved
    /// as a named workspace "Before …" (not in embeds) and the notice offers
    /// Undo. A plugin that comes from outside waits for the user's consent.
    fn replace(self, source: Source, title: String, mut ws: Workspace) {
        let is_embed = self.is_embed;
        if source.is_from_outside() {
            ws.options.plugin.require_consent();
        }
        let prev = self.current();
        let unchanged = is_embed && self.last_opened.with_value(|l| l.as_ref().is_some_and(|l| l.same_work(&prev)));
        let keep = recovery::worth_keeping(prev.same_work(&example_workspace()), prev.same_work(&ws), unchanged);
        let mut text = format!("Opened: {title}.");
        let mut error = false;
        if keep {
            match source.backup_name(&web::now_label()).filter(|_| !is_embed) {
                Some(base) => {
                    let name = recovery::unique_name(&base, &web::saved_names());
                    match web::save_named(&name, &prev) {
                        Ok(()) => {
                            self.saved.set(web::saved_names());
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
        self.last_opened.set_value(Some(ws.clone()));
        self.apply(ws);
        // An embed loaded by its page says nothing unless edits were replaced.
        if !is_embed || keep {
            self.undo.set(keep.then(|| (text.clone(), prev)));
            self.notice.set(Some(Notice { error, text }));
        }
    }

    /// Shows the file of editor key `path` with the caret at a line and column.
    fn open_at(self, path: String, line: Option<u64>, col: Option<u64>) {
        self.dispatch(Action::Select(path.clone()));
        self.editor_rev.update(|r| *r += 1);
        let text = self.editor_text_of(&path);
        let offset = line_start_utf16(&text, line.unwrap_or(1));
        let editor = self.editor;
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
    }

    /// The editor key of the file an error names (values files by name, chart
    /// files with or without the chart name in front).
    pub fn error_key(self, error_path: &str) -> Option<String> {
        let values_file = self.options.with_untracked(|o| o.values_text(error_path).map(|_| values_key(error_path)));
        values_file.or_else(|| self.files.with_untracked(|f| f.resolve(error_path)))
    }

    /// The text shown in the editor for a selection key (nothing for a
    /// binary file: the page says "binary, N bytes" instead).
    pub fn editor_text_of(self, key: &str) -> String {
        if key == MOCK_CLUSTER_KEY {
            return self.options.with_untracked(|o| o.mock_cluster.clone());
        }
        if key == PLUGIN_YAML_KEY {
            return self.options.with_untracked(|o| o.plugin.yaml.clone());
        }
        match values_name(key) {
            Some(name) => self.options.with_untracked(|o| o.values_text(name).unwrap_or_default().to_string()),
            None => self.files.with_untracked(|f| f.text(key).unwrap_or_default().to_string()),
        }
    }

    /// Size of the file `key` when it is binary (tracked).
    pub fn binary_size(self, key: &str) -> Option<usize> {
        self.files.with(|f| f.get(key).filter(|x| x.is_binary()).map(|x| x.len()))
    }
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
