//! Chartroom's browser app: a Leptos (client-side rendered) page that edits a
//! chart in memory and renders it with `chartroom_engine` in a Web Worker.

mod app;
mod code_editor;
pub mod documents;
pub mod embed;
mod embed_api;
pub mod error_view;
pub mod examples;
mod explain_panel;
pub mod file_tree;
pub mod files;
pub mod import;
mod lint_pane;
mod message_policy;
mod open_chart;
pub mod options;
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
pub mod repo_tasks;
pub mod share;
mod web;
mod worker;
#[cfg(feature = "plugins")]
mod worker_plugins;
pub mod worker_tasks;

pub use app::App;
pub use worker::{install_panic_reporter, OomReporting, RenderWorker};
