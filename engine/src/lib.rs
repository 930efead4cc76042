//! Chartroom's engine: everything `helm template` does, in pure Rust.
//!
//! No DOM, no threads, no filesystem access in the core: charts come in as
//! in-memory file maps so the same code runs natively and in a Web Worker.

// TEMPORARY stub of render(); the lead replaces it with the real API.
mod api;
pub mod chart;
pub mod gofmt;
pub mod json;
pub mod sprig;
pub mod template;
pub mod value;
pub mod yaml;

pub use api::{render, RenderError, RenderOutput, RenderRequest};
pub use value::Value;
