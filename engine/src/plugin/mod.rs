//! Helm 4 Wasm plugins (`runtime: extism/v1`): plugin.yaml, an Extism host
//! on wasmi, limits, a capability log, and the three plugin types.
//!
//! ```text
//! let plugin = plugin::load(&files)?;                 // plugin.yaml + plugin.wasm
//! let r = plugin.invoke(input_json, &RunOptions::default());
//! let out = plugin::postrender::run(&plugin, &manifests, &args, &opts)?;
//! ```
//!
//! Deliberate deviations from Helm 4.2.3 (where Helm is broken or cannot be
//! reproduced in a browser):
//! * postrenderer/v1 uses the intended string protocol (helm/helm#31832);
//!   Helm sends `{"manifests":{}}` and accepts no output.
//! * rc ≠ 0 without an error message is an error (`plugin exited with code
//!   N and set no error message`); Helm panics on a nil error.
//! * the `documented` profile counts maxPages over all memories plus host
//!   kernel blocks (Extism Rust SDK style); `helm-4.2` caps each memory and
//!   the kernel blocks separately, as wazero does.
//! * a start section runs under the call's fuel and deadline (Helm runs it
//!   at instantiation, outside the timeout).
//! * trap texts omit wazero's `(recovered by wazero)` / `wasm stack trace`.
//! * guest stdout/stderr and logs are captured for every type (Helm only
//!   shows cli/v1 stdio and drops logs); vars never outlive a call (as Helm).
//! * subprocess/legacy plugins are refused: they cannot run in a browser.
//! * two caps Helm lacks keep a guest from exhausting the page's memory:
//!   at most [`limits::MAX_HOST_BLOCK_BYTES`] (64 MiB) held in host kernel
//!   blocks (alloc past it returns 0; an output_set of such a block fails
//!   with `host block limit exceeded: …`) and [`wasi::MAX_CAPTURE_BYTES`]
//!   (16 MiB) of stdout+stderr (a write past it fails the call with
//!   `stdout/stderr limit exceeded: …`).
//!
//! Pure Rust, no threads, no filesystem or network: runs natively and in
//! the browser's Web Worker (HTTP goes through [`http::HttpClient`], time
//! through [`limits::Clock`]). A call is an `async fn` ([`Plugin::invoke_async`]):
//! a guest waiting on HTTP is suspended (wasmi resumable call) while the
//! host awaits the response; the synchronous API drives the same code with
//! clients that answer at once ([`future::block_on`]).

// Always built: plugin.yaml, limits and profiles, the log's types, the HTTP
// allow-list (the page and the first-visit worker describe a plugin with
// these). The runtime (wasmi and everything that runs a guest) comes with
// the `plugins` feature.
pub mod future;
pub mod http;
pub mod json;
pub mod limits;
pub mod log;
pub mod manifest;

#[cfg(feature = "plugins")]
pub mod cli;
#[cfg(feature = "plugins")]
pub mod getter;
#[cfg(feature = "plugins")]
pub mod host;
#[cfg(feature = "plugins")]
mod invoke;
#[cfg(feature = "plugins")]
pub mod kernel;
#[cfg(feature = "plugins")]
pub mod kyaml;
#[cfg(feature = "plugins")]
pub mod postrender;
#[cfg(feature = "plugins")]
pub mod wasi;
#[cfg(feature = "plugins")]
pub mod wasm_binary;

#[cfg(feature = "plugins")]
pub use invoke::*;
pub use limits::{Clock, Limits, Profile};
pub use log::{Decision, Event, Summary};
pub use manifest::{Metadata, PluginType};
