//! Chartroom's engine: everything `helm template` does, in pure Rust.
//!
//! No DOM, no threads, no filesystem access in the core: charts come in as
//! in-memory file maps so the same code runs natively and in a Web Worker.

pub mod chart;
pub mod gofmt;
pub mod json;
pub mod sprig;
pub mod template;
pub mod value;
pub mod yaml;

pub use value::Value;
