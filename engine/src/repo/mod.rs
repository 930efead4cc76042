//! Helm's chart repositories (pkg/repo/v1), the chart downloader's choices
//! (pkg/downloader), dependency resolution (internal/resolver) and OCI
//! references (pkg/registry), without any I/O: the CLI fetches with a
//! native HTTP client and the page with the browser's `fetch`, and both
//! hand the bytes to these functions so that every choice and every
//! message is Helm's.

pub mod chartrepo;
pub mod index;
pub mod oci;
pub mod resolver;

pub use chartrepo::{find_chart_in_index, index_url, resolve_reference_url};
pub use index::{load_index, ChartVersion};
