//! Ports of Go's standard library that templates can observe: `fmt`,
//! `strconv`, `encoding/base64`, `encoding/base32`, `path` and `sort`.

pub mod atoi;
pub mod base32;
pub mod base64;
pub mod civil;
pub mod escape;
pub mod ftoa;
pub mod isprint;
pub mod log;
pub mod path;
pub mod printf;
pub mod slog;
pub mod sort;
pub mod strconv;
