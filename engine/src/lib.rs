//! Chartroom's engine: everything `helm template` does, in pure Rust.
//!
//! No DOM, no threads, no filesystem access in the core: charts come in as
//! in-memory file maps so the same code runs natively and in a Web Worker.

pub mod api;
pub mod chart;
pub mod engine;
pub mod error;
pub mod explain;
pub mod gofmt;
pub mod gostring;
pub mod helmfuncs;
pub mod json;
pub mod kube;
pub mod lint;
pub mod plugin;
pub mod releaseutil;
pub mod repo;
pub mod sprig;
pub mod strvals;
pub mod template;
pub mod toml;
pub mod value;
pub mod values;
pub mod values_origin;
pub mod yaml;

pub use api::{render, RenderError, RenderHooks, RenderOutput, RenderRequest};
pub use value::Value;
