//! Chartroom's browser app: a Leptos (client-side rendered) page that edits a
//! chart in memory and renders it with `chartroom_engine` in a Web Worker.

mod app;
mod base64url;
mod code_editor;
mod command_line;
pub mod documents;
mod editor_pane;
pub mod embed;
mod embed_api;
pub mod error_view;
pub mod examples;
mod explain_panel;
pub mod file_tree;
pub mod files;
pub mod import;
mod lint_pane;
mod manifest_pane;
mod message_policy;
mod notices;
mod open_chart;
pub mod options;
mod options_bar;
mod output_pane;
mod plugin_panel;
#[cfg(feature = "plugins")]
pub mod plugin_run;
pub mod plugin_state;
pub mod protocol;
mod recovery;
pub mod remote;
mod remote_open;
mod render_client;
mod render_status;
mod render_trace;
pub mod repo_tasks;
pub mod share;
mod shell;
mod store;
mod top_bar;
mod url_query;
mod web;
mod worker;
#[cfg(feature = "plugins")]
mod worker_plugins;
pub mod worker_tasks;
mod workspace_io;

pub use app::App;
pub use worker::{install_panic_reporter, OomReporting, RenderWorker};
